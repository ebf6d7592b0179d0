"""Cyber pages: the ransomware readiness questionnaire of a cycle. Routes are listed in
`urlpatterns` and collected by cyber/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.cyber.access import access_cycle_for_user, cyber_roles
from localdigital.cyber.forms.readiness import ReadinessForm
from localdigital.cyber.models import CyberRole
from localdigital.cyber.selectors.readiness import readiness_framework, readiness_items
from localdigital.cyber.services.readiness import readiness_save

NAV = "cyber"
ANSWERERS = {CyberRole.Role.LEAD, CyberRole.Role.CONTRIBUTOR}


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire: a form for the CAF lead and contributors, the answers for the other
    people who may read the cycle."""
    action = "answer" if request.method == "POST" else "read"
    cycle = access_cycle_for_user(request.user, pk, action=action)
    can_answer = bool(cyber_roles(request.user, cycle.organisation) & ANSWERERS)
    items = readiness_items(cycle)
    form = None
    if can_answer:
        form = ReadinessForm(request.POST if request.method == "POST" else None, items=items)
        if request.method == "POST" and form.is_valid():
            try:
                readiness_save(actor=request.user, cycle=cycle, answers=form.answers())
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Your readiness answers have been saved.")
                return redirect(reverse("cyber:readiness", args=[cycle.pk]))
    return render(
        request,
        "cyber/readiness_form.html",
        {
            "nav_section": NAV,
            "cycle": cycle,
            "framework": readiness_framework(),
            "items": items,
            "form": form,
            "has_errors": bool(form is not None and form.is_bound and form.errors),
        },
    )


urlpatterns: list[URLPattern] = [
    path("cycles/<int:pk>/readiness/", readiness, name="readiness"),
]
