"""The organisations API's filters: the same search and filters as the directory pages."""

import django_filters
from django.db.models import QuerySet

from localdigital.organisations import selectors
from localdigital.organisations.models import Organisation


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """A comma-separated list of values, any of which may match."""


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="keep",
        label=(
            "Search names, alternative names, mySociety codes and GSS codes. "
            "Results come best match first."
        ),
    )
    status = django_filters.ChoiceFilter(
        method="keep",
        choices=selectors.STATUS_CHOICES,
        empty_label=None,
        label="Current organisations (the default), former ones, or all",
    )
    nation = django_filters.MultipleChoiceFilter(
        choices=Organisation.Nation.choices, label="Nation (repeat for more than one)"
    )
    region = CharInFilter(
        field_name="region", label="Region, like London (comma-separated for more than one)"
    )
    type = CharInFilter(
        field_name="la_type",
        label="Local authority type code, like LBO or NMD (comma-separated for more than one)",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Organisation.Kind.choices,
        label="Kind of organisation (repeat for more than one); all kinds when left out",
    )

    class Meta:
        model = Organisation
        fields = ["q", "status", "nation", "region", "type", "kind"]

    def keep(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        # Applied in filter_queryset, after the other filters, so the search rank decides order.
        return queryset

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        queryset = super().filter_queryset(queryset)
        status = self.form.cleaned_data.get("status") or selectors.STATUS_CURRENT
        queryset = selectors.organisation_filter_status(queryset, status)
        q = self.form.cleaned_data.get("q")
        if q:
            queryset = selectors.organisation_search(queryset, q)
        return queryset
