"""The programme team's page for granting and removing global roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from localdigital.accounts import forms, selectors, services
from localdigital.accounts.views.auth import _page
from localdigital.core.access import access_person_for_staff, is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.core.pagination import govuk_pagination, paginate

PAGE_SIZE = 50


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not is_programme_staff(request.user):
        raise Http404("No such page")
    search = forms.PeopleSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = paginate(selectors.people_search(query), request, per_page=PAGE_SIZE)
    return _page(
        request,
        "accounts/people.html",
        {
            "search": search,
            "query": query,
            "page": page,
            "pagination": govuk_pagination(page, request),
            "has_errors": False,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = access_person_for_staff(request.user, pk)
    current = [r for r, attr in services.GLOBAL_ROLES.items() if getattr(subject, attr)]
    form = forms.GlobalRolesForm(
        request.POST if request.method == "POST" else None, initial={"roles": current}
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["roles"])
        try:
            for role in services.GLOBAL_ROLES:
                services.global_role_set(
                    actor=request.user, person=subject, role=role, value=role in chosen
                )
        except ApplicationError as error:
            form.add_error("roles", error.message)
        else:
            messages.success(request, f"{subject.full_name}'s roles have been saved")
            return redirect("accounts:person", pk=subject.pk)
    return _page(
        request,
        "accounts/person.html",
        {
            "form": form,
            "person": subject,
            "memberships": selectors.memberships_for_user(subject),
        },
    )
