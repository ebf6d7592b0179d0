"""The ransomware readiness questionnaire: answering it, its rules, who may see it, the answers
an outcome page shows, and the sector's offline-backup figure with its suppression."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Cycle, ReadinessAnswer
from localdigital.cyber.selectors.readiness import (
    BACKUPS_QUESTION,
    offline_backup_share,
    readiness_for_outcome,
)
from localdigital.cyber.services.readiness import (
    DATE_IN_FUTURE,
    LEVEL_NOT_ALLOWED,
    NOT_ALLOWED,
    ReadinessInput,
    readiness_save,
)
from localdigital.frameworks.models import Level, Node
from localdigital.organisations.tests.factories import OrganisationFactory


def url(cycle):
    return reverse("cyber:readiness", args=[cycle.pk])


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")]


def test_the_lead_answers_the_questionnaire_and_it_is_audited(verified_client, people, cycle):
    client = verified_client(people["lead"])
    response = client.post(
        url(cycle),
        {
            "answer_1": "partly",
            "comment_1": "Only the finance system so far",
            "answer_2-day": "3",
            "answer_2-month": "11",
            "answer_2-year": "2026",
            "answer_7": "draft",
        },
    )
    assert response.status_code == 302
    answers = {a.node.node_id: a for a in ReadinessAnswer.objects.filter(cycle=cycle)}
    assert answers[BACKUPS_QUESTION].level.key == "partly"
    assert answers[BACKUPS_QUESTION].comment == "Only the finance system so far"
    assert answers[BACKUPS_QUESTION].answered_by == people["lead"]
    assert answers["ransomware:restore-test"].date_value == datetime.date(2026, 11, 3)
    assert answers["ransomware:response-plan"].level.key == "draft"
    # A date left blank is saved as "never"; a level left blank stays unanswered.
    assert answers["ransomware:plan-exercised"].date_value is None
    assert answers["ransomware:patching"].level is None
    assert AuditEvent.objects.filter(action="cyber.readiness_save").count() == 1
    page = client.get(url(cycle))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("input[name=answer_1][value=partly]").has_attr("checked")


def test_a_level_that_is_not_one_of_the_questions_levels_is_refused_and_nothing_is_written(
    verified_client, people, cycle
):
    client = verified_client(people["contributor"])
    response = client.post(url(cycle), {"answer_1": "maybe", "answer_3": "yes"})
    assert response.status_code == 200
    assert errors(response) == [
        "Select one of the answers for “Offline or immutable backups of critical data”"
    ]
    assert not ReadinessAnswer.objects.exists()
    # The service holds the same rule for any caller, and writes nothing either.
    with pytest.raises(ApplicationError) as error:
        readiness_save(
            actor=people["lead"],
            cycle=cycle,
            answers={
                "ransomware:mfa-remote": ReadinessInput(level="yes"),
                # A level of another question's scale.
                "ransomware:response-plan": ReadinessInput(level="partly"),
            },
        )
    assert error.value.message == LEVEL_NOT_ALLOWED.format(title="Incident response plan")
    assert not ReadinessAnswer.objects.exists()


def test_a_date_in_the_future_is_refused(verified_client, people, cycle):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = verified_client(people["lead"])
    response = client.post(
        url(cycle),
        {
            "answer_1": "yes",
            "answer_2-day": str(tomorrow.day),
            "answer_2-month": str(tomorrow.month),
            "answer_2-year": str(tomorrow.year),
        },
    )
    assert response.status_code == 200
    assert errors(response) == ["Date of the last restore test must be today or in the past"]
    assert not ReadinessAnswer.objects.exists()
    with pytest.raises(ApplicationError) as error:
        readiness_save(
            actor=people["lead"],
            cycle=cycle,
            answers={"ransomware:restore-test": ReadinessInput(date_value=tomorrow)},
        )
    assert error.value.message == DATE_IN_FUTURE.format(title="Date of the last restore test")


def test_only_the_lead_and_contributors_may_save(people, cycle):
    for name in ("approver", "plain_member", "other_lead", "assurer", "staff"):
        with pytest.raises(ApplicationError, match=NOT_ALLOWED):
            readiness_save(
                actor=people[name],
                cycle=cycle,
                answers={BACKUPS_QUESTION: ReadinessInput(level="yes")},
            )
    assert not ReadinessAnswer.objects.exists()


@pytest.mark.parametrize(
    ("name", "get", "post"),
    [
        ("lead", 200, 302),
        ("contributor", 200, 302),
        ("approver", 200, 404),
        ("assurer", 200, 404),
        ("staff", 200, 404),
        ("plain_member", 404, 404),
        ("other_lead", 404, 404),
        ("other_assurer", 404, 404),
        ("no_council", 404, 404),
    ],
)
def test_who_may_see_and_answer_the_questionnaire(verified_client, people, cycle, name, get, post):
    client = verified_client(people[name])
    response = client.get(url(cycle))
    assert response.status_code == get
    if get == 200:
        has_form = BeautifulSoup(response.content, "html.parser").select_one("form[method=post]")
        assert bool(has_form) == (post == 302)
    assert client.post(url(cycle), {"answer_1": "yes"}).status_code == post


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cycle):
    assert client.get(url(cycle)).status_code == 302
    assert client.post(url(cycle), {"answer_1": "yes"}).status_code == 302
    assert not ReadinessAnswer.objects.exists()


def test_the_page_makes_the_same_number_of_queries_however_many_answers(
    verified_client, people, cycle
):
    client = verified_client(people["lead"])
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url(cycle)).status_code == 200
    answers = {
        node.node_id: ReadinessInput(level="yes")
        for node in Node.objects.filter(
            framework__framework_id="ransomware-readiness", scale="yes-partly-no"
        )
    }
    answers["ransomware:restore-test"] = ReadinessInput(date_value=datetime.date(2026, 1, 5))
    readiness_save(actor=people["lead"], cycle=cycle, answers=answers)
    with CaptureQueriesContext(connection) as full:
        assert client.get(url(cycle)).status_code == 200
    assert len(full) == len(empty)


def test_an_outcome_page_can_show_the_answers_that_inform_it(people, cycle):
    readiness_save(
        actor=people["lead"],
        cycle=cycle,
        answers={BACKUPS_QUESTION: ReadinessInput(level="no", comment="Planned for spring")},
    )
    items = readiness_for_outcome(cycle, "B5.c")
    assert [item.question.node_id for item in items] == [
        BACKUPS_QUESTION,
        "ransomware:restore-test",
    ]
    assert items[0].display == "No"
    assert items[0].answer.comment == "Planned for spring"
    assert items[1].display == "Not answered"
    assert readiness_for_outcome(cycle, "A1.a") == []


def _councils_answering(caf, answers, *, year=2026):
    """A cycle for each answer in `answers` (a level key of the backups question, or None for a
    cycle whose questionnaire is not answered), each at a new council."""
    backups = Node.objects.get(
        framework__framework_id="ransomware-readiness", node_id=BACKUPS_QUESTION
    )
    levels = {level.key: level for level in Level.objects.filter(node=backups)}
    cycles = []
    for key in answers:
        cycle = Cycle.objects.create(organisation=OrganisationFactory(), year=year, framework=caf)
        if key:
            ReadinessAnswer.objects.create(cycle=cycle, node=backups, level=levels[key])
        cycles.append(cycle)
    return cycles


def test_the_offline_backup_share_is_hidden_below_five_councils(caf):
    _councils_answering(caf, ["yes", "yes", "no", "partly", None])
    share = offline_backup_share()
    assert share.suppressed
    assert share.councils is None
    assert share.percent is None
    assert share.message == "fewer than 5 councils"


def test_the_offline_backup_share_counts_yes_answers_in_each_councils_latest_cycle(caf):
    cycles = _councils_answering(caf, ["yes", "yes", "no", "partly", "yes", None])
    share = offline_backup_share()
    assert not share.suppressed
    assert (share.councils, share.yes, share.percent) == (5, 3, 60)
    # A council whose newer cycle has not answered yet is no longer counted; its older answer
    # still counts for that year.
    Cycle.objects.create(organisation=cycles[0].organisation, year=2027, framework=caf)
    assert offline_backup_share().suppressed
    assert offline_backup_share(2026).councils == 5
    assert offline_backup_share(2027).suppressed


def test_the_offline_backup_share_takes_one_query_however_many_councils(
    caf, django_assert_num_queries
):
    _councils_answering(caf, ["yes"] * 5)
    with django_assert_num_queries(1):
        offline_backup_share()
    _councils_answering(caf, ["no"] * 20)
    with django_assert_num_queries(1):
        share = offline_backup_share()
    assert (share.councils, share.yes, share.percent) == (25, 5, 20)
