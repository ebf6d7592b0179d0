"""Issue 7's "done when", all in a real browser: a council completes an organisation and a
critical-system assessment on CAF 4.0 - every outcome judged on its page - gets its gaps against
a target profile, adds a plan action, has both approved, and the assurer from another council
reviews every outcome of both and assures them. Every page reached is checked with axe-core
(WCAG 2.2 AA). The role-giving, the readiness questionnaire and errors on the way are in
test_cyber_journey.py; here nothing is filled in behind the browser's back."""

import pytest

from localdigital.accounts.tests.factories import UserFactory
from localdigital.cyber.models import Assessment, CyberRole, Cycle, OutcomeAnswer, PlanAction
from localdigital.cyber.selectors.outcomes import outcome_nodes
from localdigital.estate.models import Function, System
from localdigital.estate.reference_data import load_functions
from localdigital.frameworks.models import Framework, Level, Profile, ProfileTarget
from localdigital.frameworks.reference_data import load_frameworks
from localdigital.organisations.tests.factories import MembershipFactory, OrganisationFactory
from localdigital.pipeline.reference_data import load_service_areas
from tests.browser.test_cyber_journey import status_of, transition, with_authenticator
from tests.browser.test_declaration_journey import sign_in
from tests.browser.test_membership_journey import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outcomes judged "Not achieved" in the browser, one in each assessment: the gaps.
GAPS = {"A1.b", "B2.a"}
SYSTEM = "Revenues and benefits"


def full_profile(caf: Framework) -> Profile:
    """A CAF 4.0 profile (it ships none) asking for every outcome to be achieved."""
    profile = Profile.objects.create(
        framework=caf,
        profile_id="test-all-achieved",
        name="All achieved",
        origin=Profile.Origin.HUB,
    )
    achieved = Level.objects.filter(node__framework=caf, node__type="outcome", key="achieved")
    ProfileTarget.objects.bulk_create(
        ProfileTarget(profile=profile, node_id=level.node_id, level=level) for level in achieved
    )
    return profile


@pytest.fixture
def council(transactional_db):
    load_frameworks()
    load_service_areas()
    load_functions()
    caf = Framework.objects.get(framework_id="caf", version="4.0")
    hackney = OrganisationFactory(code="HCK", short_name="Hackney", name="Hackney Council")
    kent = OrganisationFactory(code="KEN", short_name="Kent", name="Kent County Council")
    people = {}
    for name, role in (("lead", CyberRole.Role.LEAD), ("approver", CyberRole.Role.APPROVER)):
        people[name] = with_authenticator(MembershipFactory(organisation=hackney).user)
        CyberRole.objects.create(organisation=hackney, user=people[name], role=role)
    System.objects.create(
        organisation=hackney,
        function=Function.objects.order_by("pk").first(),
        other_name=SYSTEM,
        critical=True,
    )
    return {
        "caf": caf,
        "profile": full_profile(caf),
        "hackney": hackney,
        "assurer": with_authenticator(MembershipFactory(organisation=kent).user),
        "staff": with_authenticator(UserFactory(is_programme_staff=True)),
        **people,
    }


def judge_every_outcome(hub, assessment: Assessment) -> None:
    """From the task list, judge each outcome on its page; confirming one opens the next."""
    page = hub.page
    codes = list(
        outcome_nodes(assessment.cycle.framework, assessment.kind).values_list("code", flat=True)
    )
    hub.visit(f"/cyber/assessments/{assessment.pk}/")
    hub.follow(text_of(page, f"a[href$='/outcomes/{codes[0]}/']"))
    for code in codes:
        assert text_of(page, "main h1").startswith(f"{code} ")
        label = "Not achieved" if code in GAPS else "Achieved"
        page.get_by_label(label, exact=True).check()
        page.get_by_label("Why this judgement").fill(f"Checked {code} against our evidence.")
        hub.submit("Confirm and continue")
        assert f"{code} is completed." in text_of(page, ".govuk-notification-banner")
    # After the last outcome the task list is back, complete.
    assert "Assessment complete" in text_of(page, "main")
    completed = OutcomeAnswer.objects.filter(
        assessment=assessment, status=OutcomeAnswer.Status.COMPLETED, level__isnull=False
    )
    assert sorted(completed.values_list("node__code", flat=True)) == sorted(codes)


def review_every_outcome(hub, assessment: Assessment) -> None:
    page = hub.page
    transition(hub, assessment, "Start assurance")
    assert status_of(assessment) == Assessment.Status.UNDER_ASSURANCE
    hub.follow("Review each outcome")
    nodes = outcome_nodes(assessment.cycle.framework, assessment.kind)
    for code in nodes.values_list("code", flat=True):
        question = f"Do you agree with the council’s judgement of {code}?"
        page.get_by_role("group", name=question).get_by_label("Yes, I agree").check()
        hub.submit(f"Save your review of {code}")
    assert not assessment.answers.filter(assurer_agrees__isnull=True).exists()
    transition(hub, assessment, "Complete assurance")
    assert status_of(assessment) == Assessment.Status.ASSURED


def test_a_council_completes_both_assessments_in_the_browser(council, open_hub):
    hackney = council["hackney"]
    lead = open_hub("lead")
    page = lead.page
    sign_in(lead, council["lead"])

    # Start the cycle on CAF 4.0 against the profile, and add the critical system.
    lead.visit(f"/cyber/councils/{hackney.code}/cycles/new/")
    page.get_by_label("Year the cycle starts").fill("2026")
    page.get_by_label(str(council["caf"]), exact=True).check()
    page.get_by_label("Target profile (optional)").select_option(label="All achieved (CAF 4.0)")
    lead.submit("Start the cycle")
    cycle = Cycle.objects.get()
    lead.visit(f"/cyber/cycles/{cycle.pk}/")
    page.get_by_label("System", exact=True).select_option(label=f"{SYSTEM} (critical)")
    lead.submit("Add the assessment")
    assert f"{SYSTEM} has been added to the cycle." in text_of(page, ".govuk-notification-banner")
    organisation = Assessment.objects.get(cycle=cycle, kind=Assessment.Kind.ORGANISATION)
    system = Assessment.objects.get(cycle=cycle, kind=Assessment.Kind.SYSTEM)
    assert system.system_name == SYSTEM

    # Every outcome of both, judged in the browser.
    judge_every_outcome(lead, organisation)
    judge_every_outcome(lead, system)

    # The gaps against the profile are the two outcomes judged not achieved; one becomes an
    # action in the plan.
    for assessment, gap in ((organisation, "A1.b"), (system, "B2.a")):
        lead.visit(f"/cyber/assessments/{assessment.pk}/")
        lead.follow("Gaps against the target profile")
        assert gap in text_of(page, "#gaps-table")
    lead.follow("Add to the plan (B2.a)")
    page.get_by_label("What will be done").fill("Put multi-factor sign-in on the admin portal.")
    lead.submit("Add to the plan")
    assert PlanAction.objects.get().answer.node.code == "B2.a"

    # Review, approval by the approver, submission.
    for assessment in (organisation, system):
        transition(lead, assessment, "Send for internal review")
        assert status_of(assessment) == Assessment.Status.INTERNAL_REVIEW
    approver = open_hub("approver")
    sign_in(approver, council["approver"])
    for assessment in (organisation, system):
        transition(approver, assessment, "Approve")
        assert status_of(assessment) == Assessment.Status.APPROVED
        transition(lead, assessment, "Submit for independent assurance")
        assert status_of(assessment) == Assessment.Status.SUBMITTED

    # Programme staff assign the assurer from Kent, who reviews every outcome of both and
    # assures them.
    staff = open_hub("staff")
    sign_in(staff, council["staff"])
    staff.visit(f"/cyber/cycles/{cycle.pk}/")
    staff.follow("Assign the assurer")
    staff.page.get_by_label("Email address of the assurer").fill(council["assurer"].email)
    staff.submit("Assign assurer")
    assurer = open_hub("assurer")
    sign_in(assurer, council["assurer"])
    review_every_outcome(assurer, organisation)
    review_every_outcome(assurer, system)
    lead.visit(f"/cyber/cycles/{cycle.pk}/")
    assert text_of(page, "main").count("Assured") >= 2
