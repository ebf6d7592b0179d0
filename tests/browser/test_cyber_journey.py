"""Cyber health in a real browser (issue 7), on CAF 4.0: a council admin gives out the CAF lead
and approver roles, the CAF lead starts a cycle against a target profile and answers an outcome
(an error first), sends the assessment for review, the approver approves it, the lead submits
it, programme staff assign an assurer from another council, and the assurer assures it. The
lead also opens the gaps, adds a plan action from a gap and answers the readiness
questionnaire. Everyone signs in with two-factor. Every page reached is checked with axe-core
(WCAG 2.2 AA)."""

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts.tests.factories import UserFactory
from localdigital.cyber.models import (
    Assessment,
    CyberRole,
    Cycle,
    OutcomeAnswer,
    PlanAction,
    ReadinessAnswer,
)
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.frameworks.models import Framework, Level, Profile, ProfileTarget
from localdigital.frameworks.reference_data import load_frameworks
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from tests.browser.test_declaration_journey import sign_in
from tests.browser.test_membership_journey import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outcome answered in the browser, and the one the fixture's profile sets a gap on.
ANSWERED = "A1.a"
GAP = "A1.b"


def with_authenticator(user):
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def baseline_profile(caf: Framework) -> Profile:
    """A profile for CAF 4.0 (it ships none): every outcome of objectives A and D achieved."""
    profile = Profile.objects.create(
        framework=caf, profile_id="test-baseline", name="Test baseline", origin=Profile.Origin.HUB
    )
    nodes = list(outcome_nodes(caf, Assessment.Kind.ORGANISATION))
    achieved = {
        level.node_id: level
        for level in Level.objects.filter(node__in=nodes, key="achieved").select_related("node")
    }
    ProfileTarget.objects.bulk_create(
        ProfileTarget(profile=profile, node=node, level=achieved.get(node.pk)) for node in nodes
    )
    return profile


@pytest.fixture
def cyber(transactional_db):
    """CAF 4.0 with a target profile, Hackney's admin and two members to be given roles, an
    assurer from Kent and programme staff, each with an authenticator app."""
    load_frameworks()
    caf = Framework.objects.get(framework_id="caf", version="4.0")
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    kent = OrganisationFactory(code="KEN", short_name="Kent", name="Kent County Council")
    admin = MembershipFactory(organisation=hackney, role=Membership.Role.ADMIN).user
    return {
        "caf": caf,
        "profile": baseline_profile(caf),
        "hackney": hackney,
        "admin": with_authenticator(admin),
        "lead": with_authenticator(MembershipFactory(organisation=hackney).user),
        "approver": with_authenticator(MembershipFactory(organisation=hackney).user),
        "assurer": with_authenticator(MembershipFactory(organisation=kent).user),
        "staff": with_authenticator(UserFactory(is_programme_staff=True)),
    }


def grant(hub, person, role: str) -> None:
    page = hub.page
    page.get_by_label("Person").select_option(label=f"{person} ({person.email})")
    page.get_by_label(role, exact=True).check()
    hub.submit("Give the role")
    assert f"{person} is now {role}." in text_of(page, ".govuk-notification-banner")


def complete_the_rest(assessment: Assessment) -> None:
    """Every outcome but the one answered in the browser: achieved, except a gap on GAP."""
    nodes = outcome_nodes(assessment.cycle.framework, assessment.kind).exclude(code=ANSWERED)
    for node in nodes:
        key = "not-achieved" if node.code == GAP else "achieved"
        OutcomeAnswer.objects.update_or_create(
            assessment=assessment,
            node=node,
            defaults={
                "status": OutcomeAnswer.Status.COMPLETED,
                "level": Level.objects.get(node=node, key=key),
                "justification": "Checked by the cyber team.",
            },
        )


def answer_an_outcome(hub, assessment: Assessment) -> None:
    page = hub.page
    hub.follow(f"{ANSWERED} Board Direction")
    assert text_of(page, "main h1") == f"{ANSWERED} Board Direction"
    page.get_by_label("Achieved", exact=True).check()
    hub.submit("Confirm and continue")
    assert "Explain why you chose this judgement" in text_of(page, ".govuk-error-summary")
    assert not OutcomeAnswer.objects.filter(
        assessment=assessment, node__code=ANSWERED, status=OutcomeAnswer.Status.COMPLETED
    ).exists()
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Why this judgement").fill("The cabinet reviews cyber risk each quarter.")
    hub.submit("Confirm and continue")
    assert f"{ANSWERED} is completed." in text_of(page, ".govuk-notification-banner")
    answer = OutcomeAnswer.objects.get(assessment=assessment, node__code=ANSWERED)
    assert (answer.status, answer.level.key) == (OutcomeAnswer.Status.COMPLETED, "achieved")


def gaps_plan_and_readiness(hub, assessment: Assessment) -> None:
    page = hub.page
    hub.follow("Gaps against the target profile")
    assert text_of(page, "main h1") == "Gaps against the target profile"
    assert page.locator("#gaps-heatmap").count() == 1
    assert "Gap" in text_of(page, "#gaps-table")
    hub.follow(f"Add to the plan ({GAP})")
    assert text_of(page, "main h1") == "Add an action to the plan"
    page.get_by_label("What will be done").fill("Write down who owns each cyber decision.")
    hub.submit("Add to the plan")
    assert "Write down who owns each cyber decision." in text_of(page, "main")
    action = PlanAction.objects.get()
    assert action.answer.node.code == GAP

    hub.visit(f"/cyber/cycles/{assessment.cycle_id}/")
    hub.follow("Ransomware readiness questionnaire")
    assert text_of(page, "main h1") == "Ransomware readiness"
    backups = page.get_by_role("group", name="Offline or immutable backups of critical data")
    backups.get_by_label("Partly", exact=True).check()
    hub.submit("Save answers")
    assert "Your readiness answers have been saved." in text_of(page, ".govuk-notification-banner")
    answered = ReadinessAnswer.objects.filter(cycle_id=assessment.cycle_id, level__isnull=False)
    assert [(a.node.code, a.level.key) for a in answered] == [("1", "partly")]


def transition(hub, assessment: Assessment, button: str) -> None:
    hub.visit(f"/cyber/assessments/{assessment.pk}/workflow/")
    hub.submit(button)


def status_of(assessment: Assessment) -> str:
    assessment.refresh_from_db()
    return assessment.status


def test_a_caf_40_assessment_goes_from_draft_to_assured(cyber, open_hub):
    hackney = cyber["hackney"]

    # The council admin gives out the two roles.
    admin = open_hub("admin")
    sign_in(admin, cyber["admin"])
    admin.visit(f"/cyber/councils/{hackney.code}/roles/")
    assert text_of(admin.page, "main h1") == "Cyber roles"
    grant(admin, cyber["lead"], "CAF lead")
    grant(admin, cyber["approver"], "Internal approver")
    assert set(CyberRole.objects.values_list("role", flat=True)) == {
        CyberRole.Role.LEAD,
        CyberRole.Role.APPROVER,
    }

    # The CAF lead starts the cycle against the profile and answers an outcome.
    lead = open_hub("lead")
    page = lead.page
    sign_in(lead, cyber["lead"])
    lead.visit("/cyber/")
    lead.visit(f"/cyber/councils/{hackney.code}/cycles/new/")
    page.get_by_label("Year the cycle starts").fill("2026")
    page.get_by_label(str(cyber["caf"]), exact=True).check()
    page.get_by_label("Target profile (optional)").select_option(label="Test baseline (CAF 4.0)")
    lead.submit("Start the cycle")
    assert "cycle has started" in text_of(page, ".govuk-notification-banner")
    cycle = Cycle.objects.get()
    assert (cycle.framework, cycle.profile) == (cyber["caf"], cyber["profile"])
    assessment = Assessment.objects.get(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
    lead.follow("Organisation (A and D)")
    assert text_of(page, "main h1") == "Organisation assessment"
    answer_an_outcome(lead, assessment)
    complete_the_rest(assessment)
    lead.visit(f"/cyber/assessments/{assessment.pk}/")
    assert "Assessment complete" in text_of(page, "main")
    gaps_plan_and_readiness(lead, assessment)
    transition(lead, assessment, "Send for internal review")
    assert status_of(assessment) == Assessment.Status.INTERNAL_REVIEW

    # The approver approves, and the lead submits.
    approver = open_hub("approver")
    sign_in(approver, cyber["approver"])
    transition(approver, assessment, "Approve")
    assert status_of(assessment) == Assessment.Status.APPROVED
    transition(lead, assessment, "Submit for independent assurance")
    assert status_of(assessment) == Assessment.Status.SUBMITTED

    # Programme staff assign the assurer from Kent.
    staff = open_hub("staff")
    sign_in(staff, cyber["staff"])
    staff.visit(f"/cyber/cycles/{cycle.pk}/")
    staff.follow("Assign the assurer")
    staff.page.get_by_label("Email address of the assurer").fill(cyber["assurer"].email)
    staff.submit("Assign assurer")
    cycle.refresh_from_db()
    assert cycle.assurer == cyber["assurer"]

    # The assurer starts assurance, agrees with one outcome here and the rest off-screen.
    assurer = open_hub("assurer")
    sign_in(assurer, cyber["assurer"])
    transition(assurer, assessment, "Start assurance")
    assert status_of(assessment) == Assessment.Status.UNDER_ASSURANCE
    assurer.follow("Review each outcome")
    question = f"Do you agree with the council’s judgement of {ANSWERED}?"
    assurer.page.get_by_role("group", name=question).get_by_label("Yes, I agree").check()
    assurer.submit(f"Save your review of {ANSWERED}")
    answered = OutcomeAnswer.objects.get(assessment=assessment, node__code=ANSWERED)
    assert answered.assurer_agrees is True
    OutcomeAnswer.objects.filter(assessment=assessment, assurer_agrees__isnull=True).update(
        assurer_agrees=True, assurer_reviewed_at=timezone.now()
    )
    transition(assurer, assessment, "Complete assurance")
    assert status_of(assessment) == Assessment.Status.ASSURED
    assert "Assured" in text_of(assurer.page, "main")
    lead.visit(f"/cyber/assessments/{assessment.pk}/workflow/")
    assert "Assured" in text_of(page, "main")
