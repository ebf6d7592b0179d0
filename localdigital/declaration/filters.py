"""The register's search and filters, read from a query string by the pages, the downloads and
the API alike, so the same address gives the same signatories in each."""

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters

from localdigital.declaration import selectors
from localdigital.organisations.models import Organisation


class SignatoryFilterForm(forms.Form):
    """The register's filter panel. Values that match no choice are dropped, never errors."""

    q = forms.CharField(
        label="Search by name or code",
        required=False,
        max_length=100,
        help_text="For example, Hackney or E09000012",
    )
    nation = forms.MultipleChoiceField(
        label="Nation",
        required=False,
        choices=Organisation.Nation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(label="Region", required=False)
    type = forms.MultipleChoiceField(
        label="Type of council", required=False, widget=forms.CheckboxSelectMultiple
    )
    year = forms.MultipleChoiceField(
        label="Year signed", required=False, widget=forms.CheckboxSelectMultiple
    )
    former = forms.BooleanField(
        label="Include councils that no longer exist",
        required=False,
        help_text="Councils that signed before they were replaced, like Allerdale",
    )

    def __init__(self, data: QueryDict, *, options: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        self.fields["region"].choices = [("", "All regions"), *options["regions"]]
        self.fields["type"].choices = options["types"]
        self.fields["year"].choices = options["years"]

    def to_filters(self) -> selectors.SignatoryFilters:
        """The filters to apply, keeping every field that is valid."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return selectors.SignatoryFilters(
            q=(data.get("q") or "").strip(),
            nations=list(data.get("nation") or []),
            regions=[data["region"]] if data.get("region") else [],
            types=list(data.get("type") or []),
            years=list(data.get("year") or []),
            include_former=bool(data.get("former")),
        )

    def download_query(self) -> str:
        """The query string of the filters in force (no page number), for download links."""
        params = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        params.pop("page", None)
        return params.urlencode()


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """A comma-separated list of values, any of which may match."""


class SignatoryFilter(filters.FilterSet):
    """The API's filters: the same as the register page's, under the same names."""

    q = filters.CharFilter(
        method="keep",
        label="Search names, alternative names and codes. Results come best match first.",
    )
    nation = filters.MultipleChoiceFilter(
        method="keep",
        choices=Organisation.Nation.choices,
        label="Nation (repeat for more than one)",
    )
    region = CharInFilter(
        method="keep", label="Region, like London (comma-separated for more than one)"
    )
    type = CharInFilter(
        method="keep",
        label="Local authority type code, like LBO or NMD (comma-separated for more than one)",
    )
    year = CharInFilter(
        method="keep",
        label=(
            "Year signed, like 2018, or `unknown` for signatories whose date is not known "
            "(comma-separated for more than one)"
        ),
    )
    former = filters.BooleanFilter(
        method="keep",
        label="Include councils that no longer exist (current organisations only by default)",
    )

    class Meta:
        model = Organisation
        fields = ["q", "nation", "region", "type", "year", "former"]

    def keep(self, queryset: QuerySet[Organisation], name: str, value: object) -> QuerySet:
        # Every filter is applied together by the selector in filter_queryset.
        return queryset

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        data = self.form.cleaned_data
        return selectors.signatory_list(
            selectors.SignatoryFilters(
                q=(data.get("q") or "").strip(),
                nations=list(data.get("nation") or []),
                regions=list(data.get("region") or []),
                types=list(data.get("type") or []),
                years=[str(year).strip().lower() for year in data.get("year") or []],
                include_former=bool(data.get("former")),
            )
        )
