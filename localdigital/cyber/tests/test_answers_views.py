"""The outcome page (ticking, the suggestion, confirming, evidence, assigning) and the private
evidence download."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localdigital.audit.models import AuditEvent
from localdigital.cyber.models import Evidence, OutcomeAnswer
from localdigital.cyber.services.answers import evidence_add
from localdigital.cyber.services.cycles import assessment_add_organisation
from localdigital.frameworks.models import Indicator, Level


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def storage(tmp_path, settings):
    settings.HUB_PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def org_assessment(cycle, people):
    return assessment_add_organisation(actor=people["lead"], cycle=cycle)


@pytest.fixture
def a1a(org_assessment):
    return OutcomeAnswer.objects.select_related("node").get(
        assessment=org_assessment, node__code="A1.a"
    )


@pytest.fixture
def with_statements(a1a):
    """Synthetic indicator wording for A1.a, as an operator's statements file would add."""
    for indicator in Indicator.objects.filter(node=a1a.node):
        indicator.statement = f"Synthetic statement {indicator.indicator_id.split(':')[-1]}"
        indicator.save(update_fields=["statement"])


def url_for(answer):
    return reverse("cyber:outcome", kwargs={"pk": answer.assessment_id, "node_code": "A1.a"})


def ids(answer, key):
    return list(
        Level.objects.get(node=answer.node, key=key)
        .indicators.order_by("position")
        .values_list("indicator_id", flat=True)
    )


def test_without_statements_the_lead_chooses_the_level_directly(verified_client, people, a1a):
    page = soup(verified_client(people["lead"]).get(url_for(a1a)))
    assert page.h1.text.strip() == "A1.a Board Direction"
    assert "What good looks like" in page.text
    assert a1a.node.description[:40] in page.text
    assert not page.select("input[name=true_indicators]")
    assert "not loaded" in page.text
    radios = [r["value"] for r in page.select("input[name=level]")]
    assert radios == ["achieved", "not-achieved"]
    assert page.select_one("form[enctype='multipart/form-data'] input[type=file]")
    owners = [o.text for o in page.select("select[name=owner] option")]
    assert str(people["contributor"]) in owners
    assert str(people["plain_member"]) not in owners


def test_ticking_indicators_shows_the_suggestion(verified_client, people, a1a, with_statements):
    client = verified_client(people["lead"])
    page = soup(client.get(url_for(a1a)))
    boxes = page.select("input[name=true_indicators]")
    assert len(boxes) == len(ids(a1a, "achieved")) + len(ids(a1a, "not-achieved"))
    assert "Synthetic statement A1.a.A.1" in page.text
    response = client.post(
        url_for(a1a),
        {"form": "indicators", "true_indicators": ids(a1a, "achieved"), "comment-0": "Stale"},
    )
    assert response.status_code == 302
    page = soup(client.get(url_for(a1a)))
    suggestion = page.select_one("#suggestion").text
    assert "Achieved" in suggestion
    assert "only a suggestion" in suggestion
    assert page.select_one("input[name=level][value=achieved]").has_attr("checked")
    a1a.refresh_from_db()
    assert a1a.status == "in_progress"
    assert a1a.indicator_comments == {ids(a1a, "not-achieved")[0]: "Stale"}


def test_confirming_with_a_file_completes_the_outcome(verified_client, people, a1a, storage):
    client = verified_client(people["lead"])
    response = client.post(
        url_for(a1a),
        {
            "form": "confirm",
            "level": "achieved",
            "justification": "Board minutes show it.",
            "evidence_links": "https://example.gov.uk/a\n\nhttp://example.gov.uk/b",
            "owner": str(people["contributor"].pk),
            "due_date-day": "31",
            "due_date-month": "3",
            "due_date-year": "2027",
            "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 minutes"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/outcomes/A1.b/")
    a1a.refresh_from_db()
    assert a1a.status == "completed"
    assert a1a.level.key == "achieved"
    assert a1a.evidence_links == ["https://example.gov.uk/a", "http://example.gov.uk/b"]
    assert a1a.files.get().original_name == "minutes.pdf"


def test_a_bad_file_leaves_the_judgement_unconfirmed(verified_client, people, a1a, storage):
    client = verified_client(people["lead"])
    response = client.post(
        url_for(a1a),
        {
            "form": "confirm",
            "level": "achieved",
            "justification": "Because",
            "file": SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>"),
        },
    )
    page = soup(response)
    assert "real PDF file" in page.select_one(".govuk-error-summary").text
    a1a.refresh_from_db()
    assert a1a.status == "not_started"
    assert a1a.level is None
    assert not Evidence.objects.exists()


def test_confirming_without_a_justification_or_level_shows_errors(verified_client, people, a1a):
    response = verified_client(people["lead"]).post(
        url_for(a1a), {"form": "confirm", "evidence_links": "javascript:alert(1)"}
    )
    summary = soup(response).select_one(".govuk-error-summary").text
    assert "Select the judgement for this outcome" in summary
    assert "Explain why you chose this judgement" in summary
    a1a.refresh_from_db()
    assert a1a.status == "not_started"


def test_a_bad_link_is_shown_on_its_field(verified_client, people, a1a):
    response = verified_client(people["lead"]).post(
        url_for(a1a),
        {
            "form": "confirm",
            "level": "achieved",
            "justification": "x",
            "evidence_links": "javascript:alert(1)",
        },
    )
    page = soup(response)
    assert "starting with http:// or https://" in page.select_one(".govuk-error-summary").text
    assert page.select_one("#id_evidence_links-error")


def test_a_contributor_sees_an_unassigned_outcome_but_cannot_answer_it(
    verified_client, people, a1a
):
    client = verified_client(people["contributor"])
    page = soup(client.get(url_for(a1a)))
    assert not page.select("input[name=level]")
    assert "Not confirmed yet" in page.text
    response = client.post(
        url_for(a1a), {"form": "confirm", "level": "achieved", "justification": "x"}
    )
    assert "contributor assigned" in soup(response).select_one(".govuk-error-summary").text
    a1a.refresh_from_db()
    assert a1a.status == "not_started"


def test_the_lead_assigns_an_outcome_and_the_contributor_answers_it(verified_client, people, a1a):
    lead = verified_client(people["lead"])
    lead.post(url_for(a1a), {"form": "assign", "contributor": str(people["contributor"].pk)})
    a1a.refresh_from_db()
    assert a1a.assigned_to == people["contributor"]
    client = verified_client(people["contributor"])
    assert not soup(client.get(url_for(a1a))).select("#assign")
    response = client.post(
        url_for(a1a), {"form": "confirm", "level": "not-achieved", "justification": "No plan"}
    )
    assert response.status_code == 302
    a1a.refresh_from_db()
    assert a1a.level.key == "not-achieved"


@pytest.mark.parametrize(
    ("name", "read", "write"),
    [
        ("approver", 200, 404),
        ("assurer", 200, 404),
        ("staff", 200, 404),
        ("plain_member", 404, 404),
        ("other_lead", 404, 404),
        ("other_assurer", 404, 404),
        ("no_council", 404, 404),
    ],
)
def test_who_may_read_and_answer_an_outcome(verified_client, people, a1a, name, read, write):
    client = verified_client(people[name])
    assert client.get(url_for(a1a)).status_code == read
    response = client.post(
        url_for(a1a), {"form": "confirm", "level": "achieved", "justification": "x"}
    )
    assert response.status_code == write
    a1a.refresh_from_db()
    assert a1a.status == "not_started"


def test_an_unknown_outcome_is_not_found(verified_client, people, a1a):
    url = reverse("cyber:outcome", kwargs={"pk": a1a.assessment_id, "node_code": "B5.c"})
    assert verified_client(people["lead"]).get(url).status_code == 404


def test_the_outcome_page_makes_a_constant_number_of_queries(
    verified_client, people, a1a, org_assessment, with_statements, storage
):
    client = verified_client(people["lead"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_for(a1a)).status_code == 200
        return len(queries)

    small = count()
    for n in range(3):
        evidence_add(
            actor=people["lead"],
            answer=a1a,
            uploaded_file=SimpleUploadedFile(f"f{n}.txt", b"text"),
        )
    OutcomeAnswer.objects.filter(assessment=org_assessment).update(
        assigned_to=people["contributor"], owner=people["contributor"], status="completed"
    )
    assert count() == small
    assert small <= 18  # 17, and 1 for the readiness questions that might inform it


# Evidence download.
@pytest.fixture
def evidence(a1a, people, storage):
    return evidence_add(
        actor=people["lead"],
        answer=a1a,
        uploaded_file=SimpleUploadedFile("Board minutes.pdf", b"%PDF-1.7 secret"),
    )


def test_evidence_downloads_as_an_attachment_that_is_not_sniffed(verified_client, people, evidence):
    response = verified_client(people["contributor"]).get(
        reverse("cyber:evidence", kwargs={"pk": evidence.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Board minutes.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 secret"


def test_the_assurers_download_is_audited(verified_client, people, evidence):
    before = AuditEvent.objects.filter(action="cyber.read").count()
    response = verified_client(people["assurer"]).get(
        reverse("cyber:evidence", kwargs={"pk": evidence.pk})
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="cyber.read").count() == before + 1


@pytest.mark.parametrize("name", ["plain_member", "other_lead", "other_assurer", "no_council"])
def test_outsiders_cannot_download_evidence(verified_client, client, people, evidence, name):
    url = reverse("cyber:evidence", kwargs={"pk": evidence.pk})
    assert verified_client(people[name]).get(url).status_code == 404


def test_anonymous_visitors_cannot_download_evidence(client, evidence):
    response = client.get(reverse("cyber:evidence", kwargs={"pk": evidence.pk}))
    assert response.status_code == 302


def test_the_lead_removes_evidence_and_a_contributor_cannot(verified_client, people, evidence):
    url = reverse("cyber:evidence_remove", kwargs={"pk": evidence.pk})
    response = verified_client(people["contributor"]).post(url)
    assert response.status_code == 302
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert verified_client(people["other_lead"]).post(url).status_code == 404
    verified_client(people["lead"]).post(url)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_outcome_page_shows_the_readiness_answers_that_inform_it(
    verified_client, people, org_assessment
):
    from localdigital.cyber.models import ReadinessAnswer
    from localdigital.frameworks.models import Node

    question = Node.objects.get(node_id="ransomware:plan-exercised")
    ReadinessAnswer.objects.create(
        cycle=org_assessment.cycle, node=question, date_value=dt.date(2026, 3, 4)
    )
    d1c = reverse("cyber:outcome", kwargs={"pk": org_assessment.pk, "node_code": "D1.c"})
    page = verified_client(people["lead"]).get(d1c)
    assert "Date the plan was last exercised" in page.text
    assert "4 March 2026" in page.text
    a1a = reverse("cyber:outcome", kwargs={"pk": org_assessment.pk, "node_code": "A1.a"})
    assert "ransomware readiness questionnaire says" not in (
        verified_client(people["lead"]).get(a1a).text
    )
