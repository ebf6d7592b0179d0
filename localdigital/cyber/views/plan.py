"""Cyber pages: gaps against the target profile, the Improvement and Implementation Plan, the
export of an assessment with its plan and the print-friendly summary. Routes are listed in
`urlpatterns` and collected by cyber/urls.py."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, re_path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.rendering import render_page
from localdigital.cyber import exports
from localdigital.cyber.access import (
    access_action_for_user,
    access_assessment_for_user,
    cyber_roles,
)
from localdigital.cyber.forms.plan import ActionEditForm, ActionForm, ProgressForm
from localdigital.cyber.models import Assessment, CyberRole, OutcomeAnswer, PlanAction
from localdigital.cyber.selectors.gaps import assessment_gaps, outcome_state
from localdigital.cyber.selectors.plan import (
    is_overdue,
    plan_actions,
    planned_answer_ids,
    possible_action_owners,
)
from localdigital.cyber.services import plan as services
from localdigital.frameworks.models import ProfileTarget

NAV = "cyber"


page = partial(render_page, nav_section=NAV, template_dir="cyber")


def _is_lead(request: HttpRequest, assessment: Assessment) -> bool:
    return CyberRole.Role.LEAD in cyber_roles(request.user, assessment.cycle.organisation)


@login_required
@require_GET
def gaps(request: HttpRequest, pk: int) -> HttpResponse:
    """Every outcome against the cycle's target profile, as a heat map and a table."""
    assessment = access_assessment_for_user(request.user, pk)
    return page(
        request,
        "gaps_page.html",
        {
            "assessment": assessment,
            "data": assessment_gaps(assessment),
            "can_plan": _is_lead(request, assessment),
            "planned": planned_answer_ids(assessment),
        },
    )


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's plan: its actions, their progress, and who may change each."""
    assessment = access_assessment_for_user(request.user, pk)
    roles = cyber_roles(request.user, assessment.cycle.organisation)
    lead = CyberRole.Role.LEAD in roles
    today = timezone.localdate()
    rows = [
        {
            "action": action,
            "overdue": is_overdue(action, today),
            "can_change": lead or bool(roles and action.owner_id == request.user.pk),
        }
        for action in plan_actions(assessment)
    ]
    return page(
        request, "plan_list.html", {"assessment": assessment, "rows": rows, "can_add": lead}
    )


def _prefill(assessment: Assessment, answer: OutcomeAnswer) -> str:
    """A starting description for an action that closes the gap on `answer`'s outcome."""
    target = None
    if assessment.cycle.profile_id is not None:
        row = (
            ProfileTarget.objects.filter(profile_id=assessment.cycle.profile_id, node=answer.node)
            .select_related("level")
            .first()
        )
        target = row.level if row else None
    node = answer.node
    if target is not None and outcome_state(answer.level, target) != "met":
        return f"Bring {node.code} {node.title} up to “{target.label}”."
    return f"Improve {node.code} {node.title}."


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an action (the CAF lead), prefilled when it comes from a gap (?answer=<pk>)."""
    assessment = access_assessment_for_user(request.user, pk, action="manage")
    people = possible_action_owners(assessment.cycle.organisation)
    answer = None
    raw = request.POST.get("answer") if request.method == "POST" else request.GET.get("answer")
    if raw and str(raw).isdigit():
        answer = (
            OutcomeAnswer.objects.select_related("node", "level")
            .filter(pk=int(raw), assessment=assessment)
            .first()
        )
    if request.method == "POST":
        form = ActionForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            if data["answer"] and answer is None:
                form.add_error(None, services.ANSWER_NOT_IN_ASSESSMENT)
            else:
                try:
                    services.action_create(
                        actor=request.user,
                        assessment=assessment,
                        description=data["description"],
                        owner=data["owner"],
                        target_date=data["target_date"],
                        priority=data["priority"],
                        answer=answer,
                    )
                except ApplicationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, "The action is added to the plan.")
                    return redirect("cyber:plan", pk=assessment.pk)
    else:
        initial: dict[str, Any] = {"priority": PlanAction.Priority.MEDIUM}
        if answer is not None:
            initial.update(
                answer=answer.pk,
                description=_prefill(assessment, answer),
                owner=answer.owner_id,
                target_date=answer.due_date,
                priority=PlanAction.Priority.HIGH,
            )
        form = ActionForm(initial=initial, people=people)
    return page(
        request,
        "plan_action_form.html",
        {"assessment": assessment, "form": form, "answer": answer, "action": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an action: the CAF lead or the action's owner."""
    action = access_action_for_user(request.user, pk, write=True)
    assessment = action.assessment
    people = possible_action_owners(assessment.cycle.organisation)
    if request.method == "POST":
        form = ActionEditForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update(
                    actor=request.user,
                    action=action,
                    description=data["description"],
                    owner=data["owner"],
                    target_date=data["target_date"],
                    priority=data["priority"],
                    status=data["status"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "The action is updated.")
                return redirect("cyber:plan", pk=assessment.pk)
    else:
        form = ActionEditForm(
            initial={
                "description": action.description,
                "owner": action.owner_id,
                "target_date": action.target_date,
                "priority": action.priority,
                "status": action.status,
            },
            people=people,
        )
    return page(
        request,
        "plan_action_form.html",
        {"assessment": assessment, "form": form, "answer": None, "action": action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a progress note to an action: the CAF lead or the action's owner."""
    action = access_action_for_user(request.user, pk, write=True)
    form = ProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_add(actor=request.user, action=action, note=form.cleaned_data["note"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your progress note is added.")
            return redirect("cyber:plan", pk=action.assessment_id)
    return page(
        request,
        "plan_progress_form.html",
        {"assessment": action.assessment, "action": action, "form": form},
    )


@login_required
@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The assessment and its plan as CSV or XLSX, stamped and audited."""
    assessment = access_assessment_for_user(request.user, pk)
    content = services.assessment_export(actor=request.user, assessment=assessment, file_format=fmt)
    today = timezone.localdate().isoformat()
    name = f"{assessment.cycle.organisation.code}-caf-{assessment.cycle.year}-{assessment.pk}"
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{today}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """A print-friendly summary of the assessment and its plan, stamped and audited."""
    assessment = access_assessment_for_user(request.user, pk)
    services.summary_record(actor=request.user, assessment=assessment)
    response = page(
        request,
        "print_summary.html",
        {
            "assessment": assessment,
            "data": assessment_gaps(assessment),
            "actions": list(plan_actions(assessment)),
            "stamp": exports.stamp(assessment, actor=request.user, now=timezone.now()),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("assessments/<int:pk>/gaps/", gaps, name="gaps"),
    path("assessments/<int:pk>/plan/", plan, name="plan"),
    path("assessments/<int:pk>/plan/add/", action_add, name="action_add"),
    path("actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", action_progress, name="action_progress"),
    re_path(r"^assessments/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", export, name="export"),
    path("assessments/<int:pk>/summary/", summary, name="summary"),
]
