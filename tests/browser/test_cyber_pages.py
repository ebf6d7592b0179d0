"""Cyber health pages the journey does not reach, checked with axe-core (WCAG 2.2 AA): the CAF
lead's outcome page with indicator statements, the plan's action pages, the summary and the
council's benchmark; the approver's read-only pages and an error on the workflow; programme
staff's sector benchmark, progress and an assurer refused; and the start page for people with
no cyber role. Everyone with a role signs in with two-factor."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.cyber.models import (
    Assessment,
    CyberRole,
    Cycle,
    OutcomeAnswer,
    PlanAction,
)
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.cyber.selectors.progress import current_cycle_year
from localdigital.estate.models import Function, System
from localdigital.estate.reference_data import load_functions
from localdigital.frameworks.models import Framework, Indicator, Level
from localdigital.frameworks.reference_data import load_frameworks
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.reference_data import load_service_areas
from tests.browser.test_cyber_journey import baseline_profile
from tests.browser.test_declaration_journey import sign_in
from tests.browser.test_membership_journey import text_of
from tests.browser.test_pipeline_journey import sign_in as sign_in_with_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outcome whose indicators get statements, and which is a gap against the profile.
WITH_STATEMENTS = "A1.b"
# Assured councils for the sector benchmark: enough to show shares (selectors.benchmark).
SECTOR_COUNCILS = 5


def person(organisation, role: str | None = None, *, authenticator: bool = True):
    user = MembershipFactory(organisation=organisation).user
    if role:
        CyberRole.objects.create(organisation=organisation, user=user, role=role)
    if authenticator:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def answered_assessment(cycle: Cycle, status: str) -> Assessment:
    """An organisation assessment with every outcome completed: achieved, but for a gap."""
    assessment = Assessment.objects.create(
        cycle=cycle, kind=Assessment.Kind.ORGANISATION, status=status
    )
    nodes = list(outcome_nodes(cycle.framework, assessment.kind))
    levels = {(lv.node_id, lv.key): lv for lv in Level.objects.filter(node__in=nodes)}
    OutcomeAnswer.objects.bulk_create(
        OutcomeAnswer(
            assessment=assessment,
            node=node,
            status=OutcomeAnswer.Status.COMPLETED,
            level=levels[(node.pk, "not-achieved" if node.code == WITH_STATEMENTS else "achieved")],
            justification="Checked by the cyber team.",
        )
        for node in nodes
    )
    return assessment


@pytest.fixture
def cyber(transactional_db):
    """Hackney's CAF 4.0 cycle this year with a profile, its answered organisation assessment,
    a plan action and a critical system not yet assessed; statements for one outcome's
    indicators; five other councils' assured assessments; the people to look at them."""
    load_frameworks()
    load_service_areas()
    load_functions()
    caf = Framework.objects.get(framework_id="caf", version="4.0")
    # No statements overlay for CAF 4.0 exists in the project (only a synthetic one for 3.2),
    # so the wording is set here as an overlay would set it.
    for indicator in Indicator.objects.filter(
        framework=caf, indicator_id__startswith=f"caf-4.0:{WITH_STATEMENTS}."
    ):
        indicator.statement = f"Synthetic statement {indicator.indicator_id.split(':')[-1]}"
        indicator.save(update_fields=["statement"])
    year = current_cycle_year()
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    lead = person(hackney, CyberRole.Role.LEAD)
    cycle = Cycle.objects.create(
        organisation=hackney, year=year, framework=caf, profile=baseline_profile(caf)
    )
    assessment = answered_assessment(cycle, Assessment.Status.DRAFT)
    action = PlanAction.objects.create(
        assessment=assessment,
        answer=assessment.answers.get(node__code=WITH_STATEMENTS),
        description="Write down who owns each cyber decision.",
        owner=lead,
    )
    System.objects.create(
        organisation=hackney,
        function=Function.objects.order_by("pk").first(),
        other_name="Revenues and benefits",
        critical=True,
    )
    for n in range(SECTOR_COUNCILS):
        council = OrganisationFactory(code=f"S{n:02d}", short_name=f"Council {n}")
        sector_cycle = Cycle.objects.create(organisation=council, year=year, framework=caf)
        answered_assessment(sector_cycle, Assessment.Status.ASSURED)
    return {
        "hackney": hackney,
        "cycle": cycle,
        "assessment": assessment,
        "action": action,
        "lead": lead,
        "approver": person(hackney, CyberRole.Role.APPROVER),
        "plain_member": person(hackney, authenticator=False),
        "staff": UserFactory(is_programme_staff=True),
    }


def test_the_caf_lead_s_pages(cyber, open_hub):
    assessment, cycle = cyber["assessment"], cyber["cycle"]
    lead = open_hub("lead")
    page = lead.page
    sign_in(lead, cyber["lead"])
    lead.visit("/cyber/")
    assert f"Hackney {cycle.year}/" in text_of(page, "main table")

    # A cycle in draft offers the critical system; starting a second cycle that year fails.
    lead.visit(f"/cyber/cycles/{cycle.pk}/")
    assert "Revenues and benefits (critical)" in text_of(page, "main")
    lead.visit("/cyber/councils/HCK/cycles/new/")
    page.get_by_label("Year the cycle starts").fill(str(cycle.year))
    lead.submit("Start the cycle")
    assert "already has a cycle for" in text_of(page, ".govuk-error-summary")
    page.get_by_label("Year the cycle starts").fill("")
    lead.submit("Start the cycle")
    assert "Enter the year the cycle starts" in text_of(page, ".govuk-error-summary")

    # The outcome with statements: tick one, see the suggested judgement.
    outcome = f"/cyber/assessments/{assessment.pk}/outcomes/{WITH_STATEMENTS}/"
    lead.visit(outcome)
    assert "Synthetic statement" in text_of(page, "#indicators + p + form")
    page.get_by_label(f"Synthetic statement {WITH_STATEMENTS}.NA.1").check()
    lead.submit("Save and see the suggested judgement")
    assert "Suggested judgement" in text_of(page, "#suggestion")

    # The plan, its action's pages, the summary and the council's benchmark.
    action = cyber["action"]
    lead.visit(f"/cyber/assessments/{assessment.pk}/plan/")
    assert action.description in text_of(page, "main")
    lead.visit(f"/cyber/actions/{action.pk}/edit/")
    assert text_of(page, "main h1") == "Change a plan action"
    lead.visit(f"/cyber/actions/{action.pk}/progress/")
    lead.submit("Add the note")
    assert page.locator(".govuk-error-summary").count() == 1
    lead.visit(f"/cyber/assessments/{assessment.pk}/plan/add/")
    lead.submit("Add to the plan")
    assert page.locator(".govuk-error-summary").count() == 1
    lead.visit(f"/cyber/assessments/{assessment.pk}/summary/")
    assert "CAF summary" in text_of(page, "main h1")
    lead.visit("/cyber/councils/HCK/benchmark/")
    assert text_of(page, "main h1") == "Your CAF levels against the sector"


def test_the_approver_s_read_only_pages_and_a_workflow_error(cyber, open_hub):
    assessment, cycle = cyber["assessment"], cyber["cycle"]
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.INTERNAL_REVIEW)
    approver = open_hub("approver")
    page = approver.page
    sign_in(approver, cyber["approver"])
    approver.visit(f"/cyber/assessments/{assessment.pk}/")
    approver.visit(f"/cyber/assessments/{assessment.pk}/outcomes/{WITH_STATEMENTS}/")
    assert "Not achieved" in text_of(page, "#judgement + dl")
    approver.visit(f"/cyber/cycles/{cycle.pk}/readiness/")
    approver.visit(f"/cyber/assessments/{assessment.pk}/workflow/")
    approver.submit("Return to draft")
    assert page.locator(".govuk-error-summary").count() == 1
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.INTERNAL_REVIEW


def test_programme_staff_s_pages(cyber, open_hub):
    staff = open_hub("staff")
    page = staff.page
    TOTPDevice.objects.create(user=cyber["staff"], name="Authenticator app", confirmed=True)
    sign_in(staff, cyber["staff"])
    staff.visit("/cyber/")
    staff.visit("/cyber/benchmark/")
    assert text_of(page, "main h1") == "Sector CAF benchmark"
    assert "100%" in text_of(page, "main")
    staff.visit("/cyber/progress/")
    assert "CAF cycle progress" in text_of(page, "main h1")
    # An assurer from the council itself is refused with a clear message.
    staff.visit(f"/cyber/cycles/{cyber['cycle'].pk}/assurer/")
    page.get_by_label("Email address of the assurer").fill(cyber["plain_member"].email)
    staff.submit("Assign assurer")
    assert "Hackney" in text_of(page, ".govuk-error-summary")
    cyber["cycle"].refresh_from_db()
    assert cyber["cycle"].assurer is None


def test_the_start_page_for_people_without_a_cyber_role(cyber, open_hub):
    visitor = open_hub("visitor")
    visitor.visit("/cyber/")
    assert "Who can take part" in text_of(visitor.page, "main")
    member = open_hub("member")
    sign_in_with_password(member, cyber["plain_member"])
    member.visit("/cyber/")
    assert text_of(member.page, "main h1") == "Cyber health"
    member.visit(f"/cyber/cycles/{cyber['cycle'].pk}/", status=404)


def test_an_outcome_is_confirmed_without_javascript(cyber, open_hub):
    assessment = cyber["assessment"]
    outcome = f"/cyber/assessments/{assessment.pk}/outcomes/{WITH_STATEMENTS}/"
    no_javascript = open_hub("lead-no-js", javascript=False)
    sign_in(no_javascript, cyber["lead"])
    page = no_javascript.visit(outcome)
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Why this judgement").fill("Each decision now has a named owner.")
    no_javascript.submit("Confirm and continue")
    assert f"{WITH_STATEMENTS} is completed." in text_of(page, ".govuk-notification-banner")
    answer = assessment.answers.get(node__code=WITH_STATEMENTS)
    assert answer.level.key == "achieved"

    # The same pages as a browser without JavaScript renders them, checked with axe, in the
    # lead's signed-in session (signing in through the rewriting route loses the cookie).
    rendering = open_hub.no_script_rendering("lead-no-js-axe")
    rendering.context.add_cookies(no_javascript.context.cookies())
    page = rendering.visit(f"/cyber/assessments/{assessment.pk}/")
    assert text_of(page, "main h1") == "Organisation assessment"
    rendering.visit(outcome)
    assert text_of(page, "main h1").startswith(WITH_STATEMENTS)
    rendering.visit(f"/cyber/assessments/{assessment.pk}/gaps/")
    assert page.locator("#gaps-heatmap").count() == 1
