"""Answering outcomes: ticks and the suggested judgement, confirming, who may answer, and the
evidence file checks."""

import datetime as dt
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, Evidence, OutcomeAnswer
from localdigital.cyber.services import answers as services
from localdigital.cyber.services.cycles import assessment_add_organisation
from localdigital.frameworks.models import Level


@pytest.fixture
def storage(tmp_path, settings):
    settings.HUB_PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def organisation_assessment(cycle, people):
    return assessment_add_organisation(actor=people["lead"], cycle=cycle)


def answer_for(assessment, code):
    answer = OutcomeAnswer.objects.select_related("node", "assessment__cycle__organisation").get(
        assessment=assessment, node__code=code
    )
    return answer


def ids(answer, level_key):
    return [
        i.indicator_id
        for i in Level.objects.get(node=answer.node, key=level_key).indicators.order_by("position")
    ]


@pytest.fixture
def a1a(organisation_assessment):
    return answer_for(organisation_assessment, "A1.a")


def test_ticking_every_achieved_indicator_suggests_achieved(a1a, people):
    services.answer_save(
        actor=people["lead"],
        answer=a1a,
        data={"true_indicators": ids(a1a, "achieved"), "indicator_comments": {}},
    )
    a1a.refresh_from_db()
    assert a1a.suggested_level.key == "achieved"
    assert a1a.status == OutcomeAnswer.Status.IN_PROGRESS
    assert a1a.level is None


def test_one_not_achieved_tick_suggests_not_achieved_and_comments_are_kept(a1a, people):
    na = ids(a1a, "not-achieved")[0]
    services.answer_save(
        actor=people["lead"],
        answer=a1a,
        data={
            "true_indicators": [*ids(a1a, "achieved"), na],
            "indicator_comments": {na: "  No board paper since 2023 ", ids(a1a, "achieved")[0]: ""},
        },
    )
    a1a.refresh_from_db()
    assert a1a.suggested_level.key == "not-achieved"
    assert a1a.indicator_comments == {na: "No board paper since 2023"}


def test_another_outcomes_indicator_is_refused(organisation_assessment, a1a, people):
    a1b = answer_for(organisation_assessment, "A1.b")
    with pytest.raises(ApplicationError, match=services.UNKNOWN_INDICATOR):
        services.answer_save(
            actor=people["lead"], answer=a1a, data={"true_indicators": ids(a1b, "achieved")}
        )
    a1a.refresh_from_db()
    assert a1a.true_indicators == []
    assert a1a.status == OutcomeAnswer.Status.NOT_STARTED


def test_confirming_completes_the_answer_and_clears_the_check(a1a, people):
    a1a.needs_check = True
    a1a.save()
    level = Level.objects.get(node=a1a.node, key="achieved")
    services.answer_confirm(
        actor=people["lead"],
        answer=a1a,
        level=level,
        justification="The board signed off the cyber strategy in May.",
        evidence_text="Board minutes, 12 May",
        evidence_links=["https://intranet.example.gov.uk/minutes"],
        owner=people["contributor"],
        due_date=dt.date(2027, 3, 31),
    )
    a1a.refresh_from_db()
    assert a1a.status == OutcomeAnswer.Status.COMPLETED
    assert not a1a.needs_check
    assert a1a.level == level
    assert a1a.owner == people["contributor"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"justification": "  "}, services.JUSTIFICATION_REQUIRED),
        ({"level": None}, services.LEVEL_REQUIRED),
        ({"evidence_links": ["javascript:alert(1)"]}, services.LINK_INVALID),
        ({"evidence_links": ["ftp://example.com/x"]}, services.LINK_INVALID),
        ({"owner": "plain_member"}, services.OWNER_INVALID),
        ({"owner": "other_lead"}, services.OWNER_INVALID),
    ],
)
def test_bad_confirmations_are_refused_and_nothing_is_written(a1a, people, change, message):
    data = {
        "level": Level.objects.get(node=a1a.node, key="achieved"),
        "justification": "Because",
        "evidence_links": [],
        "owner": None,
    }
    data.update(change)
    if isinstance(data["owner"], str):
        data["owner"] = people[data["owner"]]
    with pytest.raises(ApplicationError, match=message):
        services.answer_confirm(actor=people["lead"], answer=a1a, **data)
    a1a.refresh_from_db()
    assert a1a.status == OutcomeAnswer.Status.NOT_STARTED
    assert a1a.level is None


def test_a_level_of_another_outcome_is_refused(organisation_assessment, a1a, people):
    other = Level.objects.get(node=answer_for(organisation_assessment, "A1.b").node, key="achieved")
    with pytest.raises(ApplicationError, match=services.LEVEL_REQUIRED):
        services.answer_confirm(actor=people["lead"], answer=a1a, level=other, justification="x")


def test_a_contributor_answers_only_outcomes_assigned_to_them(a1a, organisation_assessment, people):
    contributor = people["contributor"]
    with pytest.raises(ApplicationError, match=services.NOT_ASSIGNED):
        services.answer_save(actor=contributor, answer=a1a, data={"true_indicators": []})
    services.answer_assign(actor=people["lead"], answer=a1a, contributor=contributor)
    services.answer_save(actor=contributor, answer=a1a, data={"true_indicators": []})
    a1b = answer_for(organisation_assessment, "A1.b")
    with pytest.raises(ApplicationError, match=services.NOT_ASSIGNED):
        services.answer_save(actor=contributor, answer=a1b, data={"true_indicators": []})


@pytest.mark.parametrize("name", ["plain_member", "other_lead", "assurer", "approver", "staff"])
def test_people_who_are_not_lead_or_assigned_cannot_answer(a1a, people, name):
    a1a.assigned_to = people[name]
    a1a.save()
    with pytest.raises(ApplicationError, match=services.NOT_ASSIGNED):
        services.answer_save(actor=people[name], answer=a1a, data={"true_indicators": []})
    a1a.refresh_from_db()
    assert a1a.status == OutcomeAnswer.Status.NOT_STARTED


def test_nobody_answers_once_the_assessment_is_not_a_draft(a1a, people):
    Assessment.objects.filter(pk=a1a.assessment_id).update(status="internal_review")
    a1a.assessment.refresh_from_db()
    with pytest.raises(ApplicationError, match=services.NOT_A_DRAFT):
        services.answer_save(actor=people["lead"], answer=a1a, data={"true_indicators": []})


@pytest.mark.parametrize("name", ["contributor", "plain_member", "other_lead"])
def test_only_the_lead_assigns_outcomes(a1a, people, name):
    with pytest.raises(ApplicationError, match=services.NOT_THE_LEAD):
        services.answer_assign(actor=people[name], answer=a1a, contributor=people["contributor"])


def test_outcomes_are_assigned_only_to_people_with_a_cyber_role(a1a, people):
    with pytest.raises(ApplicationError, match=services.NOT_A_CONTRIBUTOR):
        services.answer_assign(actor=people["lead"], answer=a1a, contributor=people["plain_member"])


# Evidence files.
def office_file(marker):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{marker}document.xml", "<x/>")
    return buffer.getvalue()


GOOD = {
    "minutes.pdf": b"%PDF-1.7\n...",
    "diagram.png": b"\x89PNG\r\n\x1a\n....",
    "photo.JPG": b"\xff\xd8\xff\xe0....",
    "notes.txt": "Backups tested – 3 May".encode(),
    "assets.csv": b"name,owner\nRevenues,Finance\n",
    "register.xlsx": office_file("xl/"),
    "policy.docx": office_file("word/"),
}


@pytest.mark.parametrize("name", GOOD)
def test_allowed_evidence_files_are_kept_privately(a1a, people, storage, name):
    evidence = services.evidence_add(
        actor=people["lead"], answer=a1a, uploaded_file=SimpleUploadedFile(name, GOOD[name])
    )
    assert evidence.original_name == name
    assert evidence.file.path.startswith(str(storage))
    assert name not in evidence.file.name
    assert evidence.file.read() == GOOD[name]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ....", services.FILE_TYPE),
        ("page.html", b"<html>", services.FILE_TYPE),
        ("noextension", b"%PDF-1.7", services.FILE_TYPE),
        ("fake.pdf", b"<html><script>", "real PDF file"),
        ("fake.png", b"%PDF-1.7", "real PNG file"),
        ("binary.txt", b"abc\x00\x01\x02", "real text file"),
        ("renamed.docx", office_file("xl/"), "real DOCX file"),
        ("broken.xlsx", b"PK\x03\x04garbage", "real XLSX file"),
        ("empty.pdf", b"", services.FILE_EMPTY),
    ],
)
def test_wrong_evidence_files_are_refused(a1a, people, storage, name, content, message):
    with pytest.raises(ApplicationError, match=message):
        services.evidence_add(
            actor=people["lead"], answer=a1a, uploaded_file=SimpleUploadedFile(name, content)
        )
    assert not Evidence.objects.exists()
    assert not any(storage.rglob("*.*"))


def test_evidence_over_10_mb_is_refused(a1a, people, storage):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ApplicationError, match=services.FILE_TOO_BIG):
        services.evidence_add(actor=people["lead"], answer=a1a, uploaded_file=big)
    assert not Evidence.objects.exists()


def test_a_contributor_cannot_add_evidence_to_an_unassigned_outcome(a1a, people, storage):
    with pytest.raises(ApplicationError, match=services.NOT_ASSIGNED):
        services.evidence_add(
            actor=people["contributor"],
            answer=a1a,
            uploaded_file=SimpleUploadedFile("a.pdf", GOOD["minutes.pdf"]),
        )


@pytest.mark.django_db(transaction=True)
def test_removing_evidence_deletes_the_file(a1a, people, storage):
    evidence = services.evidence_add(
        actor=people["lead"], answer=a1a, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1")
    )
    path = evidence.file.path
    services.evidence_remove(actor=people["lead"], evidence=evidence)
    assert not Evidence.objects.exists()
    assert not os.path.exists(path)
