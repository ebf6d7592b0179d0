"""Answering CAF outcomes: assigning contributors, ticking indicators, confirming a judgement,
and the evidence files behind it.

The CAF lead may answer any outcome of a draft assessment; a contributor only the outcomes
assigned to them; nobody once the assessment has left draft. The suggested judgement comes from
cyber/judgement.py; the confirmed one is the person's choice, with a justification.
"""

import datetime as dt
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber import judgement
from localdigital.cyber.access import cyber_roles
from localdigital.cyber.models import Assessment, CyberRole, Evidence, OutcomeAnswer
from localdigital.frameworks.models import Level

NOT_A_DRAFT = "This assessment is no longer a draft, so its answers cannot be changed"
NOT_ASSIGNED = "Only the CAF lead or the contributor assigned to this outcome can answer it"
NOT_THE_LEAD = "Only the council’s CAF lead can assign outcomes"
NOT_A_CONTRIBUTOR = (
    "Choose the CAF lead or a contributor: only they can answer an outcome assigned to them"
)
# The people an outcome may be assigned to: those who can then answer it (see `can_answer`).
ASSIGNABLE_ROLES = frozenset({CyberRole.Role.LEAD, CyberRole.Role.CONTRIBUTOR})
UNKNOWN_INDICATOR = "Tick only this outcome’s indicators"
COMMENT_TOO_LONG = "Keep each comment to 2,000 characters or fewer"
LEVEL_REQUIRED = "Select the judgement for this outcome"
JUSTIFICATION_REQUIRED = "Explain why you chose this judgement"
JUSTIFICATION_TOO_LONG = "Keep the justification to 5,000 characters or fewer"
LINK_INVALID = "Enter each link as a web address starting with http:// or https://, one a line"
TOO_MANY_LINKS = "Enter 20 links or fewer"
OWNER_INVALID = "Choose an owner with a cyber role at the council"
DUE_DATE_INVALID = "Enter a real due date"
FILE_REQUIRED = "Choose a file to upload"
FILE_TOO_BIG = "The file must be smaller than 10 MB"
FILE_EMPTY = "The selected file is empty"
FILE_TYPE = "The file must be a PDF, PNG, JPEG, text, CSV, XLSX or DOCX file"
FILE_CONTENT = "The file’s contents do not match its type: check it is a real {kind} file"

MAX_COMMENT = 2000
MAX_JUSTIFICATION = 5000
MAX_LINKS = 20
MAX_FILE_BYTES = 10 * 1024 * 1024

# Allowed evidence: extension -> (content type, plain name). The content type served is ours,
# never the uploader's.
FILE_TYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".png": ("image/png", "PNG"),
    ".jpg": ("image/jpeg", "JPEG"),
    ".jpeg": ("image/jpeg", "JPEG"),
    ".txt": ("text/plain", "text"),
    ".csv": ("text/csv", "CSV"),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
}

_http = URLValidator(schemes=["http", "https"])


# Who may answer.
def can_answer(actor: Any, answer: OutcomeAnswer, roles: set[str] | None = None) -> bool:
    """Whether the person may change this answer now (see the module docstring)."""
    assessment = answer.assessment
    if assessment.status != Assessment.Status.DRAFT:
        return False
    if roles is None:
        roles = cyber_roles(actor, assessment.cycle.organisation)
    if CyberRole.Role.LEAD in roles:
        return True
    return CyberRole.Role.CONTRIBUTOR in roles and answer.assigned_to_id == actor.pk


def _require_answerer(actor: Any, answer: OutcomeAnswer) -> None:
    if answer.assessment.status != Assessment.Status.DRAFT:
        raise ApplicationError(NOT_A_DRAFT)
    if not can_answer(actor, answer):
        raise ApplicationError(NOT_ASSIGNED)


def _has_cyber_role(user: Any, answer: OutcomeAnswer) -> bool:
    return bool(cyber_roles(user, answer.assessment.cycle.organisation))


def _can_be_assigned(user: Any, answer: OutcomeAnswer) -> bool:
    return bool(cyber_roles(user, answer.assessment.cycle.organisation) & ASSIGNABLE_ROLES)


def outcome_levels(answer: OutcomeAnswer) -> list[Level]:
    """The outcome's levels, lowest first, each with its indicators prefetched."""
    return list(
        Level.objects.filter(node=answer.node_id)
        .prefetch_related("indicators")
        .order_by("rank", "position")
    )


def _audit(actor: Any, answer: OutcomeAnswer, action: str, summary: str, **data: Any) -> None:
    event_log(
        actor=actor,
        action=f"cyber.{action}",
        summary=f"{summary}: {answer.node.code} in {answer.assessment}",
        obj=answer,
        organisation=answer.assessment.cycle.organisation,
        data=data or None,
    )


@transaction.atomic
def answer_assign(*, actor: Any, answer: OutcomeAnswer, contributor: Any) -> OutcomeAnswer:
    """The CAF lead assigns an outcome to a contributor or the CAF lead (or to nobody). Nobody
    else could answer it, so it would stay with the lead while the page named someone else."""
    organisation = answer.assessment.cycle.organisation
    if CyberRole.Role.LEAD not in cyber_roles(actor, organisation):
        raise ApplicationError(NOT_THE_LEAD)
    if answer.assessment.status != Assessment.Status.DRAFT:
        raise ApplicationError(NOT_A_DRAFT)
    if contributor is not None and not _can_be_assigned(contributor, answer):
        raise ApplicationError(NOT_A_CONTRIBUTOR, field="contributor")
    answer.assigned_to = contributor
    answer.save(update_fields=["assigned_to", "updated_at"])
    _audit(
        actor,
        answer,
        "answer_assign",
        f"Assigned to {contributor.email}" if contributor else "Unassigned",
        contributor=contributor.pk if contributor else None,
    )
    return answer


@transaction.atomic
def answer_save(*, actor: Any, answer: OutcomeAnswer, data: dict[str, Any]) -> OutcomeAnswer:
    """Save the ticked indicators and comments, and the judgement they suggest.

    `data` has `true_indicators` (indicator ids) and `indicator_comments` (id -> text)."""
    _require_answerer(actor, answer)
    levels = outcome_levels(answer)
    valid = {i.indicator_id for level in levels for i in level.indicators.all()}
    ticked = list(dict.fromkeys(data.get("true_indicators") or []))
    if any(i not in valid for i in ticked):
        raise ApplicationError(UNKNOWN_INDICATOR, field="true_indicators")
    comments = {}
    for key, text in (data.get("indicator_comments") or {}).items():
        if key not in valid:
            raise ApplicationError(UNKNOWN_INDICATOR, field="true_indicators")
        text = (text or "").strip()
        if len(text) > MAX_COMMENT:
            raise ApplicationError(COMMENT_TOO_LONG, field="true_indicators")
        if text:
            comments[key] = text
    suggested = None
    if levels:
        by_key = {level.key: level for level in levels}
        key = judgement.suggest(
            {level.key: [i.indicator_id for i in level.indicators.all()] for level in levels},
            ticked,
        )
        suggested = by_key[key]
    answer.true_indicators = ticked
    answer.indicator_comments = comments
    answer.suggested_level = suggested
    if answer.status == OutcomeAnswer.Status.NOT_STARTED:
        answer.status = OutcomeAnswer.Status.IN_PROGRESS
    answer.save(
        update_fields=[
            "true_indicators",
            "indicator_comments",
            "suggested_level",
            "status",
            "updated_at",
        ]
    )
    _audit(
        actor,
        answer,
        "answer_save",
        "Saved indicators",
        ticked=len(ticked),
        suggested=suggested.key if suggested else None,
    )
    return answer


def parse_links(text: str) -> list[str]:
    """Links entered one a line, blanks dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def answer_confirm(
    *,
    actor: Any,
    answer: OutcomeAnswer,
    level: Level | None,
    justification: str,
    evidence_text: str = "",
    evidence_links: list[str] | None = None,
    owner: Any = None,
    due_date: dt.date | None = None,
) -> OutcomeAnswer:
    """Confirm the outcome's judgement with a justification and evidence; it is completed and
    no longer needs checking. Without loaded statements this is how a level is chosen."""
    _require_answerer(actor, answer)
    if level is None or level.node_id != answer.node_id:
        raise ApplicationError(LEVEL_REQUIRED, field="level")
    justification = (justification or "").strip()
    if not justification:
        raise ApplicationError(JUSTIFICATION_REQUIRED, field="justification")
    if len(justification) > MAX_JUSTIFICATION:
        raise ApplicationError(JUSTIFICATION_TOO_LONG, field="justification")
    links = list(evidence_links or [])
    if len(links) > MAX_LINKS:
        raise ApplicationError(TOO_MANY_LINKS, field="evidence_links")
    for link in links:
        try:
            _http(link)
        except ValidationError:
            raise ApplicationError(LINK_INVALID, field="evidence_links") from None
    if owner is not None and not _has_cyber_role(owner, answer):
        raise ApplicationError(OWNER_INVALID, field="owner")
    if due_date is not None and not isinstance(due_date, dt.date):
        raise ApplicationError(DUE_DATE_INVALID, field="due_date")
    answer.level = level
    answer.justification = justification
    answer.evidence_text = (evidence_text or "").strip()
    answer.evidence_links = links
    answer.owner = owner
    answer.due_date = due_date
    answer.status = OutcomeAnswer.Status.COMPLETED
    answer.needs_check = False
    answer.save(
        update_fields=[
            "level",
            "justification",
            "evidence_text",
            "evidence_links",
            "owner",
            "due_date",
            "status",
            "needs_check",
            "updated_at",
        ]
    )
    _audit(
        actor,
        answer,
        "answer_confirm",
        f"Confirmed {level.label}",
        level=level.key,
        suggested=answer.suggested_level.key if answer.suggested_level else None,
    )
    return answer


# Evidence files.
def _sniff(extension: str, head: bytes, uploaded_file: Any) -> bool:
    """Whether the file's first bytes (and, for Office files, its zip contents) match the type
    its extension claims."""
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in (".txt", ".csv"):
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            return error.start >= len(head) - 3
        return True
    if extension in (".xlsx", ".docx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        marker = "xl/" if extension == ".xlsx" else "word/"
        try:
            uploaded_file.seek(0)
            with zipfile.ZipFile(uploaded_file) as archive:
                return any(name.startswith(marker) for name in archive.namelist())
        except zipfile.BadZipFile:
            return False
        finally:
            uploaded_file.seek(0)
    return False


@transaction.atomic
def evidence_add(*, actor: Any, answer: OutcomeAnswer, uploaded_file: Any) -> Evidence:
    """Keep a private evidence file for the answer, after checking its type (extension and
    content) and size."""
    _require_answerer(actor, answer)
    if uploaded_file is None:
        raise ApplicationError(FILE_REQUIRED, field="file")
    name = Path(uploaded_file.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in FILE_TYPES:
        raise ApplicationError(FILE_TYPE, field="file")
    size = uploaded_file.size or 0
    if size == 0:
        raise ApplicationError(FILE_EMPTY, field="file")
    if size > MAX_FILE_BYTES:
        raise ApplicationError(FILE_TOO_BIG, field="file")
    content_type, kind = FILE_TYPES[extension]
    uploaded_file.seek(0)
    head = uploaded_file.read(2048)
    uploaded_file.seek(0)
    if not _sniff(extension, head, uploaded_file):
        raise ApplicationError(FILE_CONTENT.format(kind=kind), field="file")
    evidence = Evidence(
        answer=answer,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        uploaded_by=actor,
    )
    # A random stored name: the person's file name never becomes a path.
    evidence.file.save(f"{uuid.uuid4().hex}{extension}", uploaded_file, save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    _audit(actor, answer, "evidence_add", f"Added evidence {name}", evidence=evidence.pk)
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    """Delete an evidence file and its record."""
    answer = evidence.answer
    _require_answerer(actor, answer)
    _audit(
        actor,
        answer,
        "evidence_remove",
        f"Removed evidence {evidence.original_name}",
        evidence=evidence.pk,
    )
    stored = evidence.file
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
