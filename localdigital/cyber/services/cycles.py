"""CAF cycles and their assessments.

A council has one cycle a year, on one CAF version and (optionally) one of its target profiles.
Each cycle has one organisation assessment (objectives A and D) and one assessment per critical
system (B and C), the systems chosen from the council's estate register. Creating an assessment
creates one answer per outcome, so the task list is complete from the start.

Carrying last year's answers forward is done by the workflow area when it exists; a new cycle
here only records which cycle it follows (`previous`).
"""

from typing import Any

from django.db import IntegrityError, transaction

from localdigital.audit.services import event_log
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.access import cyber_roles
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.estate.models import System
from localdigital.frameworks.models import Framework, Profile
from localdigital.organisations.models import Organisation

NOT_THE_LEAD = "Only the council’s CAF lead can do this"
YEAR_INVALID = "Enter a year between 2020 and 2100, like 2026 for 2026/27"
CYCLE_EXISTS = "{organisation} already has a cycle for {year}/{next:02d}"
NOT_CAF = "Choose a version of the Cyber Assessment Framework"
PROFILE_NOT_OF_FRAMEWORK = "Choose a target profile of the framework version you chose"
ORGANISATION_EXISTS = "This cycle already has an organisation assessment"
SYSTEM_REQUIRED = "Choose a system from the council’s register"
SYSTEM_NOT_OURS = "Choose a system from the council’s own register"
SYSTEM_EXISTS = "This cycle already has an assessment of {system}"
CYCLE_CLOSED = "Assessments can only be added while the cycle’s assessments are drafts"

CAF_ID = "caf"


def _require_lead(actor: Any, organisation: Organisation) -> None:
    if CyberRole.Role.LEAD not in cyber_roles(actor, organisation):
        raise ApplicationError(NOT_THE_LEAD)


def _create_answers(assessment: Assessment) -> int:
    nodes = outcome_nodes(assessment.cycle.framework, assessment.kind).values_list("pk", flat=True)
    answers = [OutcomeAnswer(assessment=assessment, node_id=pk) for pk in nodes]
    OutcomeAnswer.objects.bulk_create(answers, batch_size=500)
    return len(answers)


@transaction.atomic
def cycle_start(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    framework: Framework,
    profile: Profile | None = None,
) -> Cycle:
    """Start the council's CAF cycle for a year (2026 is 2026/27) with its organisation
    assessment. The cycle follows the council's latest earlier cycle, if any, and carries its
    answers forward."""
    _require_lead(actor, organisation)
    if not isinstance(year, int) or not 2020 <= year <= 2100:
        raise ApplicationError(YEAR_INVALID, field="year")
    if framework is None or framework.framework_id != CAF_ID:
        raise ApplicationError(NOT_CAF, field="framework")
    if profile is not None and profile.framework_id != framework.pk:
        raise ApplicationError(PROFILE_NOT_OF_FRAMEWORK, field="profile")
    if Cycle.objects.filter(organisation=organisation, year=year).exists():
        raise ApplicationError(
            CYCLE_EXISTS.format(organisation=organisation, year=year, next=(year + 1) % 100),
            field="year",
        )
    previous = (
        Cycle.objects.filter(organisation=organisation, year__lt=year).order_by("-year").first()
    )
    cycle = Cycle(
        organisation=organisation,
        year=year,
        framework=framework,
        profile=profile,
        previous=previous,
        created_by=actor,
    )
    cycle.full_clean()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:  # started by someone else at the same moment
        raise ApplicationError(
            CYCLE_EXISTS.format(organisation=organisation, year=year, next=(year + 1) % 100),
            field="year",
        ) from None
    event_log(
        actor=actor,
        action="cyber.cycle_start",
        summary=f"Started the {cycle} CAF cycle on {framework}",
        obj=cycle,
        organisation=organisation,
        data={"framework": framework.key, "previous": previous.pk if previous else None},
    )
    assessment_add_organisation(actor=actor, cycle=cycle)
    if previous is not None:
        # Answers (and system assessments) come forward from the last cycle, marked "check this
        # still holds"; through the crosswalk when the CAF version changes.
        from localdigital.cyber.services.carry_forward import cycle_carry_forward

        cycle_carry_forward(actor=actor, new_cycle=cycle)
    return cycle


def _require_open(cycle: Cycle) -> None:
    if cycle.assessments.exclude(status=Assessment.Status.DRAFT).exists():
        raise ApplicationError(CYCLE_CLOSED)


@transaction.atomic
def assessment_add_organisation(*, actor: Any, cycle: Cycle) -> Assessment:
    """Add the cycle's organisation assessment (objectives A and D)."""
    _require_lead(actor, cycle.organisation)
    if cycle.assessments.filter(kind=Assessment.Kind.ORGANISATION).exists():
        raise ApplicationError(ORGANISATION_EXISTS)
    assessment = Assessment(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    count = _create_answers(assessment)
    event_log(
        actor=actor,
        action="cyber.assessment_add",
        summary=f"Added the organisation assessment to {cycle} ({count} outcomes)",
        obj=assessment,
        organisation=cycle.organisation,
    )
    return assessment


@transaction.atomic
def assessment_add_system(*, actor: Any, cycle: Cycle, system: System | None) -> Assessment:
    """Add an assessment of one of the council's systems (objectives B and C)."""
    _require_lead(actor, cycle.organisation)
    if system is None:
        raise ApplicationError(SYSTEM_REQUIRED, field="system")
    if system.organisation_id != cycle.organisation_id:
        raise ApplicationError(SYSTEM_NOT_OURS, field="system")
    _require_open(cycle)
    if cycle.assessments.filter(system=system).exists():
        raise ApplicationError(SYSTEM_EXISTS.format(system=system.display_name), field="system")
    assessment = Assessment(
        cycle=cycle,
        kind=Assessment.Kind.SYSTEM,
        system=system,
        system_name=system.display_name[:150],
    )
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    count = _create_answers(assessment)
    event_log(
        actor=actor,
        action="cyber.assessment_add",
        summary=f"Added an assessment of {assessment.system_name} to {cycle} ({count} outcomes)",
        obj=assessment,
        organisation=cycle.organisation,
        data={"system": system.pk, "critical": system.critical},
    )
    return assessment
