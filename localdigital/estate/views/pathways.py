"""Estate pages: a council records and changes its pathways off legacy. Routes are listed in
`urlpatterns` and collected by estate/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.estate.access import access_pathway_for_user, access_register_for_member
from localdigital.estate.forms.pathways import PathwayForm
from localdigital.estate.services import pathways as services
from localdigital.estate.views.register import page, register_url


@login_required
@require_http_methods(["GET", "POST"])
def pathway_add(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_register_for_member(request.user, code)
    form = PathwayForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.pathway_create(
                actor=request.user, organisation=organisation, data=form.data_for_service()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The move has been recorded.")
            return redirect(register_url(organisation.code) + "#pathways")
    return page(
        request,
        "pathway_form.html",
        {"form": form, "organisation": organisation, "pathway": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = access_pathway_for_user(request.user, pk, write=True)
    form = PathwayForm(
        request.POST if request.method == "POST" else None, user=request.user, pathway=pathway
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pathway_update(
                actor=request.user, pathway=pathway, data=form.data_for_service()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The move has been updated.")
            return redirect(register_url(pathway.organisation.code) + "#pathways")
    return page(
        request,
        "pathway_form.html",
        {"form": form, "organisation": pathway.organisation, "pathway": pathway},
    )


urlpatterns: list[URLPattern] = [
    path("councils/<str:code>/pathways/new/", pathway_add, name="pathway_add"),
    path("pathways/<int:pk>/", pathway_edit, name="pathway_edit"),
]
