"""Estate pages: joint procurement windows and the "interested in joint procurement" action.
Routes are listed in `urlpatterns` and collected by estate/urls.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from localdigital.core.access import active_organisation_ids, is_sector_member
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.forms.procurement import InterestForm, WindowForm
from localdigital.estate.selectors.procurement import procurement_windows
from localdigital.estate.services.procurement import procurement_interest_register
from localdigital.estate.views.register import page
from localdigital.organisations.models import Organisation


def _my_councils(user: object) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=active_organisation_ids(user)).order_by("short_name")
    )


@login_required
@require_GET
def procurement(request: HttpRequest) -> HttpResponse:
    """Product/function pairs where at least 3 councils' contracts end within the window."""
    if not is_sector_member(request.user):
        raise Http404("Joint procurement windows are for members of councils")
    form = WindowForm(request.GET or None)
    months = form.months_value()
    windows = procurement_windows(months=months)
    councils = _my_councils(request.user)
    return page(
        request,
        "procurement_list.html",
        {
            "form": form,
            "months": months,
            "windows": windows,
            "my_councils": councils,
            "my_council_ids": {c.pk for c in councils},
            "has_errors": bool(form.is_bound and form.errors),
        },
    )


@login_required
@require_POST
def procurement_interest(request: HttpRequest) -> HttpResponse:
    """A member says one of their councils is interested in procuring a pair jointly."""
    councils = Organisation.objects.filter(pk__in=active_organisation_ids(request.user))
    form = InterestForm(request.POST, organisations=councils)
    back = reverse("estate:procurement")
    months = request.POST.get("months", "")
    if months.isdigit():
        back += f"?months={months}"
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect(back)
    organisation = form.cleaned_data["organisation"]
    try:
        interest = procurement_interest_register(
            actor=request.user,
            organisation=organisation,
            function=form.cleaned_data["function"],
            product=form.cleaned_data["product"],
        )
    except ApplicationError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            f"{organisation.short_name} is now on the joint procurement project for "
            f"{interest.product.name}.",
        )
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("procurement/", procurement, name="procurement"),
    path("procurement/interest/", procurement_interest, name="procurement_interest"),
]
