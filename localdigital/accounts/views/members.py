"""An organisation's member pages, for its admins and programme staff.

Routes live under /organisations/<code>/members/ (see member_urls.py); every view gets `code`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from localdigital.accounts import forms, selectors, services
from localdigital.accounts.views.auth import _page
from localdigital.core.access import (
    access_members_for_user,
    access_organisation_membership_for_user,
)
from localdigital.core.exceptions import ApplicationError


def _back(code: str) -> HttpResponse:
    return redirect("organisations:members:list", code=code)


@login_required
def member_list(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access_members_for_user(request.user, code)
    return _page(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "pending": list(selectors.organisation_pending_requests(organisation)),
            "members": list(selectors.organisation_members(organisation)),
            "nav_section": "organisations",
        },
    )


@require_POST
@login_required
def member_approve(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access_members_for_user(request.user, code)
    membership = access_organisation_membership_for_user(request.user, organisation, pk)
    try:
        services.membership_approve(actor=request.user, membership=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user.full_name} is now a member")
    return _back(code)


@require_POST
@login_required
def member_decline(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access_members_for_user(request.user, code)
    membership = access_organisation_membership_for_user(request.user, organisation, pk)
    try:
        services.membership_decline(actor=request.user, membership=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You declined {membership.user.full_name}'s request")
    return _back(code)


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access_members_for_user(request.user, code)
    membership = access_organisation_membership_for_user(request.user, organisation, pk)
    form = forms.RoleForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ApplicationError as error:
            form.add_error("role", error.message)
        else:
            messages.success(request, f"{membership.user.full_name}'s role has been changed")
            return _back(code)
    return _page(
        request,
        "accounts/member_role.html",
        {
            "form": form,
            "organisation": organisation,
            "membership": membership,
            "nav_section": "organisations",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access_members_for_user(request.user, code)
    membership = access_organisation_membership_for_user(request.user, organisation, pk)
    error_message = ""
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ApplicationError as error:
            error_message = error.message
        else:
            messages.success(request, f"{membership.user.full_name} has been removed")
            return _back(code)
    return _page(
        request,
        "accounts/member_remove.html",
        {
            "organisation": organisation,
            "membership": membership,
            "error_message": error_message,
            "has_errors": bool(error_message),
            "nav_section": "organisations",
        },
    )
