"""Cyber pages: the start page, starting a cycle, a cycle and an assessment's task list.

Routes are listed in `urlpatterns` and collected by cyber/urls.py.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from localdigital.core.access import access_organisation_for_user, is_programme_staff
from localdigital.core.cache import private_page_cache
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.rendering import render_page
from localdigital.cyber.access import access_assessment_for_user, access_cycle_for_user, cyber_roles
from localdigital.cyber.forms.cycles import CycleStartForm, SystemAssessmentForm
from localdigital.cyber.models import Assessment, CyberRole
from localdigital.cyber.selectors import cycles as selectors
from localdigital.cyber.selectors.tasklist import task_list as task_list_selector
from localdigital.cyber.services import cycles as services

NAV = "cyber"


page = partial(render_page, nav_section=NAV, template_dir="cyber")


def index(request: HttpRequest) -> HttpResponse:
    cycles = list(selectors.cycles_for_user(request.user)) if request.user.is_authenticated else []
    return page(
        request,
        "index.html",
        {
            "cycles": cycles,
            "assuring": list(selectors.cycles_assured_by(request.user)),
            "lead_of": selectors.lead_organisations(request.user)
            if request.user.is_authenticated
            else [],
            "admin_of": selectors.admin_organisations(request.user)
            if request.user.is_authenticated
            else [],
            "is_staff": is_programme_staff(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_start(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_organisation_for_user(request.user, code)
    if CyberRole.Role.LEAD not in cyber_roles(request.user, organisation):
        raise Http404("No such page")
    form = CycleStartForm(
        request.POST if request.method == "POST" else None,
        frameworks=list(selectors.caf_frameworks()),
        profiles=list(selectors.caf_profiles()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_start(
                actor=request.user, organisation=organisation, **form.service_data()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"The {cycle} cycle has started.")
            return redirect("cyber:cycle", pk=cycle.pk)
    return page(request, "cycle_start.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = "manage" if request.method == "POST" else "read"
    cycle = access_cycle_for_user(request.user, pk, action=action)
    is_lead = CyberRole.Role.LEAD in cyber_roles(request.user, cycle.organisation)
    assessments = list(selectors.cycle_assessments(cycle))
    is_open = all(a.status == Assessment.Status.DRAFT for a in assessments)
    systems = list(selectors.systems_to_assess(cycle)) if is_lead and is_open else []
    form = SystemAssessmentForm(request.POST if request.method == "POST" else None, systems=systems)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_add_system(
                actor=request.user,
                cycle=cycle,
                system=form.systems.get(form.cleaned_data["system"]),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{assessment.system_name} has been added to the cycle.")
            return redirect("cyber:task_list", pk=assessment.pk)
    return page(
        request,
        "cycle_detail.html",
        {
            "cycle": cycle,
            "assessments": assessments,
            "is_staff": is_programme_staff(request.user),
            "is_lead": is_lead,
            "is_open": is_open,
            "systems": systems,
            "form": form,
        },
    )


@login_required
@private_page_cache
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment_for_user(request.user, pk)
    return page(
        request,
        "cycle_task_list.html",
        {
            "assessment": assessment,
            "cycle": assessment.cycle,
            "tasks": task_list_selector(assessment),
        },
    )


urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("councils/<str:code>/cycles/new/", cycle_start, name="cycle_start"),
    path("cycles/<int:pk>/", cycle_detail, name="cycle"),
    path("assessments/<int:pk>/", task_list, name="task_list"),
]
