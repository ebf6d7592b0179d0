"""Cyber pages: an assessment's workflow panel (status, history and the buttons each person may
use) and the assurer's outcome-by-outcome review. Routes are listed in `urlpatterns` and
collected by cyber/urls.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.cyber.access import (
    access_answer_for_user,
    access_assessment_for_user,
    cyber_roles,
    is_cycle_assurer,
)
from localdigital.cyber.forms.workflow import AssureOutcomeForm, TransitionForm
from localdigital.cyber.models import Assessment, CyberRole
from localdigital.cyber.selectors.progress import assessment_history, assurance_answers
from localdigital.cyber.services import workflow as services

NAV = "cyber"
# GOV.UK tag colours for each status.
STATUS_TAGS = {
    Assessment.Status.DRAFT: "govuk-tag--grey",
    Assessment.Status.INTERNAL_REVIEW: "govuk-tag--blue",
    Assessment.Status.APPROVED: "govuk-tag--turquoise",
    Assessment.Status.SUBMITTED: "govuk-tag--purple",
    Assessment.Status.UNDER_ASSURANCE: "govuk-tag--yellow",
    Assessment.Status.ASSURED: "govuk-tag--green",
}
DONE = {
    "submit_for_review": "The assessment has been sent for internal review.",
    "return_to_draft": "The assessment is back in draft.",
    "approve": "You have approved the assessment.",
    "submit": "The assessment has been submitted for independent assurance.",
    "start_assurance": "You have started assurance: review each outcome.",
    "complete_assurance": "Assurance is complete.",
    "return_to_council": "The assessment is back with the council as a draft.",
}


def _workflow_page(
    request: HttpRequest, assessment: Assessment, form: TransitionForm | None = None
) -> HttpResponse:
    roles = cyber_roles(request.user, assessment.cycle.organisation)
    buttons = services.available_transitions(request.user, assessment, roles)
    # Someone who is both CAF lead and approver gets no Approve button; say why.
    lead_cannot_approve = (
        services.LEAD_CANNOT_APPROVE
        if assessment.status == Assessment.Status.INTERNAL_REVIEW
        and {CyberRole.Role.LEAD, CyberRole.Role.APPROVER} <= roles
        else ""
    )
    form = form or TransitionForm()
    return render(
        request,
        "cyber/workflow_panel.html",
        {
            "nav_section": NAV,
            "assessment": assessment,
            "status_tag": STATUS_TAGS[Assessment.Status(assessment.status)],
            "history": assessment_history(assessment).select_related("actor"),
            "buttons": buttons,
            "lead_cannot_approve": lead_cannot_approve,
            "verified": request.user.is_verified(),  # type: ignore[union-attr]
            "is_assurer": is_cycle_assurer(request.user, assessment.cycle),
            "form": form,
            "has_errors": form.is_bound and bool(form.errors),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def workflow(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment_for_user(request.user, pk, action="read")
    return _workflow_page(request, assessment)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one of the workflow buttons; the service checks the person's role and the status."""
    assessment = access_assessment_for_user(request.user, pk, action="read")
    form = TransitionForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["transition"]
        try:
            services.assessment_transition(
                actor=request.user,
                assessment=assessment,
                name=name,
                reason=form.cleaned_data["reason"],
                verified=request.user.is_verified(),  # type: ignore[union-attr]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, DONE[name])
            return redirect(reverse("cyber:workflow", args=[assessment.pk]))
    return _workflow_page(request, assessment, form)


def _assurance_page(
    request: HttpRequest,
    assessment: Assessment,
    bound: tuple[str, AssureOutcomeForm] | None = None,
) -> HttpResponse:
    rows: list[dict[str, Any]] = []
    for answer in assurance_answers(assessment):
        code = answer.node.code or answer.node.node_id
        if bound is not None and bound[0] == answer.node.node_id:
            form = bound[1]
        else:
            initial = {}
            if answer.assurer_agrees is not None:
                initial = {
                    "agrees": "yes" if answer.assurer_agrees else "no",
                    "comment": answer.assurer_comment,
                }
            form = AssureOutcomeForm(prefix=code.replace(".", "-"), initial=initial)
        rows.append({"answer": answer, "form": form, "code": code})
    reviewed = sum(1 for row in rows if row["answer"].assurer_agrees is not None)
    has_errors = bound is not None and bool(bound[1].errors)
    return render(
        request,
        "cyber/workflow_assurance.html",
        {
            "nav_section": NAV,
            "assessment": assessment,
            "rows": rows,
            "reviewed": reviewed,
            "can_review": assessment.status == Assessment.Status.UNDER_ASSURANCE,
            "error_form": bound[1] if has_errors and bound else None,
            "has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )


@login_required
@require_GET
def assurance(request: HttpRequest, pk: int) -> HttpResponse:
    """The assurer's page: every outcome with the council's judgement and a review form."""
    # Fetching to assure writes the assurer's read to the audit log, once.
    assessment = access_assessment_for_user(request.user, pk, action="assure")
    return _assurance_page(request, assessment)


@login_required
@require_POST
def assure_outcome(request: HttpRequest, pk: int, node_code: str) -> HttpResponse:
    answer = access_answer_for_user(request.user, pk, node_code, action="assure")
    code = answer.node.code or answer.node.node_id
    form = AssureOutcomeForm(request.POST, prefix=code.replace(".", "-"))
    if form.is_valid():
        try:
            services.assessment_assure_outcome(
                actor=request.user,
                answer=answer,
                agrees=form.cleaned_data["agrees"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Your review of {code} has been saved.")
            url = reverse("cyber:assurance", args=[pk])
            return redirect(f"{url}#outcome-{code.replace('.', '-')}")
    return _assurance_page(request, answer.assessment, (answer.node.node_id, form))


urlpatterns: list[URLPattern] = [
    path("assessments/<int:pk>/workflow/", workflow, name="workflow"),
    path("assessments/<int:pk>/workflow/transition/", transition, name="transition"),
    path("assessments/<int:pk>/assurance/", assurance, name="assurance"),
    path(
        "assessments/<int:pk>/assurance/<str:node_code>/",
        assure_outcome,
        name="assure_outcome",
    ),
]
