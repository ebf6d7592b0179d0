"""Cyber pages: one outcome of an assessment (indicators, suggested and confirmed judgement,
evidence, who answers it) and the private evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core.cache import private_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.cyber.access import (
    access_answer_for_user,
    access_assessment_for_user,
    access_evidence_for_user,
    cyber_roles,
)
from localdigital.cyber.forms.answers import (
    AssignForm,
    ConfirmForm,
    IndicatorsForm,
    comment_name,
    with_assignable,
)
from localdigital.cyber.models import CyberRole, OutcomeAnswer
from localdigital.cyber.selectors.cycles import cyber_people
from localdigital.cyber.selectors.readiness import readiness_for_outcome
from localdigital.cyber.selectors.tasklist import outcome_page, task_status
from localdigital.cyber.services import answers as services
from localdigital.cyber.views.cycles import page


def _outcome_url(answer: OutcomeAnswer) -> str:
    return reverse(
        "cyber:outcome", kwargs={"pk": answer.assessment_id, "node_code": answer.node.code}
    )


@login_required
@require_http_methods(["GET", "POST"])
@private_page_cache
def outcome(request: HttpRequest, pk: int, node_code: str) -> HttpResponse:
    posting = request.method == "POST"
    answer = access_answer_for_user(
        request.user, pk, node_code, action="answer" if posting else "read"
    )
    organisation = answer.assessment.cycle.organisation
    roles = cyber_roles(request.user, organisation)
    data = outcome_page(answer)
    people = list(with_assignable(cyber_people(organisation), organisation))
    indicator_ids = [i.indicator_id for level in data.levels for i in level.indicators.all()]
    which = request.POST.get("form") if posting else None
    indicators_form = IndicatorsForm(
        request.POST if which == "indicators" else None,
        indicator_ids=indicator_ids,
        initial={
            "true_indicators": answer.true_indicators,
            **{
                comment_name(n): answer.indicator_comments.get(i, "")
                for n, i in enumerate(indicator_ids)
            },
        },
    )
    confirm_form = ConfirmForm(
        request.POST if which == "confirm" else None,
        request.FILES if which == "confirm" else None,
        levels=data.levels,
        people=people,
        initial={
            "level": (answer.level or answer.suggested_level).key
            if (answer.level or answer.suggested_level)
            else None,
            "justification": answer.justification,
            "evidence_text": answer.evidence_text,
            "evidence_links": "\n".join(answer.evidence_links),
            "owner": str(answer.owner_id or ""),
            "due_date": answer.due_date,
        },
    )
    assign_form = AssignForm(
        request.POST if which == "assign" else None,
        people=people,
        initial={"contributor": str(answer.assigned_to_id or "")},
    )
    if which == "indicators" and indicators_form.is_valid():
        try:
            services.answer_save(
                actor=request.user, answer=answer, data=indicators_form.service_data()
            )
        except ApplicationError as error:
            add_service_error(indicators_form, error)
        else:
            messages.success(request, "Your ticks are saved. Check the suggested judgement.")
            return redirect(_outcome_url(answer) + "#suggestion")
    elif which == "confirm" and confirm_form.is_valid():
        try:
            # The judgement and the file stand or fall together.
            with transaction.atomic():
                services.answer_confirm(
                    actor=request.user, answer=answer, **confirm_form.service_data()
                )
                upload = confirm_form.cleaned_data.get("file")
                if upload:
                    services.evidence_add(actor=request.user, answer=answer, uploaded_file=upload)
        except ApplicationError as error:
            answer.refresh_from_db()
            add_service_error(confirm_form, error)
        else:
            messages.success(request, f"{answer.node.code} is completed.")
            if data.next_code:
                return redirect("cyber:outcome", pk=answer.assessment_id, node_code=data.next_code)
            return redirect("cyber:task_list", pk=answer.assessment_id)
    elif which == "assign" and assign_form.is_valid():
        try:
            services.answer_assign(
                actor=request.user,
                answer=answer,
                contributor=assign_form.contributor_or_none(),
            )
        except ApplicationError as error:
            add_service_error(assign_form, error)
        else:
            messages.success(request, "The outcome has been assigned.")
            return redirect(_outcome_url(answer))
    elif posting and which not in ("indicators", "confirm", "assign"):
        raise Http404("No such form")
    ticked = set(answer.true_indicators)
    return page(
        request,
        "answer_outcome.html",
        {
            "answer": answer,
            "assessment": answer.assessment,
            "cycle": answer.assessment.cycle,
            "data": data,
            "readiness": readiness_for_outcome(answer.assessment.cycle, answer.node.code),
            "status": task_status(answer),
            "can_answer": services.can_answer(request.user, answer, roles),
            "is_lead": CyberRole.Role.LEAD in roles,
            "indicators_form": indicators_form,
            "confirm_form": confirm_form,
            "assign_form": assign_form,
            "ticked": ticked,
            "indicator_rows": [
                (level, [(n, i) for n, i in enumerate(indicator_ids) if i in level_ids])
                for level, level_ids in (
                    (level, {i.indicator_id for i in level.indicators.all()})
                    for level in data.levels
                )
            ],
            "statements": {
                i.indicator_id: i.statement for level in data.levels for i in level.indicators.all()
            },
        },
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access_evidence_for_user(request.user, pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access_evidence_for_user(request.user, pk)
    assessment = access_assessment_for_user(
        request.user, evidence.answer.assessment_id, action="answer"
    )
    evidence.answer.assessment = assessment
    answer = evidence.answer
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{evidence.original_name} has been removed.")
    return redirect(
        reverse(
            "cyber:outcome",
            kwargs={"pk": assessment.pk, "node_code": answer.node.code},
        )
        + "#evidence"
    )


urlpatterns: list[URLPattern] = [
    path("assessments/<int:pk>/outcomes/<str:node_code>/", outcome, name="outcome"),
    path("evidence/<int:pk>/", evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", evidence_remove, name="evidence_remove"),
]
