"""Cyber pages: the council's cyber roles, granted and removed by its admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from localdigital.core.access import access_organisation_for_user, is_org_admin
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.cyber.forms.roles import RoleGrantForm
from localdigital.cyber.models import CyberRole
from localdigital.cyber.selectors import cycles as selectors
from localdigital.cyber.services import roles as services
from localdigital.cyber.views.cycles import page
from localdigital.organisations.models import Organisation


def _organisation_for_admin(user: object, code: str) -> Organisation:
    organisation = access_organisation_for_user(user, code)
    if not is_org_admin(user, organisation):
        raise Http404("No such page")
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def roles(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _organisation_for_admin(request.user, code)
    members = list(selectors.council_members(organisation))
    form = RoleGrantForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        person = form.members.get(form.cleaned_data["user"])
        try:
            granted = services.role_grant(
                actor=request.user,
                organisation=organisation,
                user=person,
                role=form.cleaned_data["role"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{granted.user} is now {granted.get_role_display()}.")
            return redirect("cyber:roles", code=organisation.code)
    return page(
        request,
        "roles_list.html",
        {
            "organisation": organisation,
            "roles": list(selectors.roles_at(organisation)),
            "form": form,
        },
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request.user, code)
    role = (
        CyberRole.objects.select_related("user", "organisation")
        .filter(pk=pk, organisation=organisation)
        .first()
    )
    if role is None:
        raise Http404("No such role")
    try:
        services.role_remove(actor=request.user, role=role)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{role.user} is no longer {role.get_role_display()}.")
    return redirect("cyber:roles", code=organisation.code)


urlpatterns: list[URLPattern] = [
    path("councils/<str:code>/roles/", roles, name="roles"),
    path("councils/<str:code>/roles/<int:pk>/remove/", role_remove, name="role_remove"),
]
