"""The catalogue list's search and filters, read from a query string.

A value that matches no choice is reported on its field and left out of the search; it never
breaks the page. The export links carry the same parameters, so a download holds what the list
shows.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.http import QueryDict

from localdigital.catalogue.models import Asset

SORT_RELEVANCE = "relevance"
SORT_ADOPTERS = "adopters"
SORT_VERIFIED = "verified"
SORT_NAME = "name"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Relevance"),
    (SORT_ADOPTERS, "Most adopters"),
    (SORT_VERIFIED, "Recently verified"),
    (SORT_NAME, "Name A to Z"),
]
TIER_NONE = "none"
TIER_ACCREDITED = "accredited"
TIER_CHOICES = [
    (TIER_ACCREDITED, "Accredited (assured, every applicable point met)"),
    ("assured", "Assured"),
    ("reviewed", "Peer-reviewed"),
    ("declared", "Self-declared"),
    (TIER_NONE, "No current profile"),
]
Q_MAX_LENGTH = 200
Q_TOO_LONG = f"Enter search words of {Q_MAX_LENGTH} characters or fewer"
SEARCH_PARAMETERS = (
    "q",
    "kind",
    "service_area",
    "licence",
    "status",
    "tier",
    "like_mine",
)


@dataclass(frozen=True)
class AssetFilters:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    service_area: str = ""
    licence: str = ""
    statuses: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    like_mine: bool = False
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort == SORT_RELEVANCE and not self.q:
            return SORT_NAME
        return self.sort or (SORT_RELEVANCE if self.q else SORT_NAME)

    def params(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        pairs += [("kind", k) for k in sorted(set(self.kinds))]
        if self.service_area:
            pairs.append(("service_area", self.service_area))
        if self.licence:
            pairs.append(("licence", self.licence))
        pairs += [("status", s) for s in sorted(set(self.statuses))]
        pairs += [("tier", t) for t in sorted(set(self.tiers))]
        if self.like_mine:
            pairs.append(("like_mine", "true"))
        return pairs

    def to_query(self, *, with_sort: bool = False) -> str:
        query = QueryDict(mutable=True)
        for name, value in self.params():
            query.appendlist(name, value)
        if with_sort and self.sort:
            query["sort"] = self.sort
        return query.urlencode()


class AssetFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=Q_MAX_LENGTH,
        help_text="For example, planning applications, website or housing repairs",
        error_messages={"max_length": Q_TOO_LONG},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": "Choose how to sort the solutions from the list"},
    )
    kind = forms.MultipleChoiceField(
        label="Kind",
        required=False,
        choices=Asset.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose a kind of solution from the list"},
    )
    service_area = forms.ChoiceField(
        label="Service area",
        required=False,
        error_messages={"invalid_choice": "Choose a service area from the list"},
    )
    licence = forms.ChoiceField(
        label="Licence",
        required=False,
        error_messages={"invalid_choice": "Choose a licence from the list"},
    )
    status = forms.MultipleChoiceField(
        label="Development status",
        required=False,
        choices=Asset.DevelopmentStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose a development status from the list"},
    )
    tier = forms.MultipleChoiceField(
        label="Technology Code of Practice",
        required=False,
        choices=TIER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose a TCoP tier from the list"},
    )
    like_mine = forms.BooleanField(
        label="Used by councils like mine",
        required=False,
        help_text="Piloted or used by a council of the same type or in the same region as yours",
    )

    def __init__(self, data: Any, *, options: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["service_area"]).choices = [
            ("", "All service areas"),
            *options["service_areas"],
        ]
        cast(forms.ChoiceField, self.fields["licence"]).choices = [
            ("", "All licences"),
            *options["licences"],
        ]

    def to_filters(self) -> AssetFilters:
        self.is_valid()
        data: dict[str, Any] = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return AssetFilters(
            q=" ".join((data.get("q") or "").split()),
            kinds=list(data.get("kind") or []),
            service_area=data.get("service_area") or "",
            licence=data.get("licence") or "",
            statuses=list(data.get("status") or []),
            tiers=list(data.get("tier") or []),
            like_mine=bool(data.get("like_mine")),
            sort=data.get("sort") or "",
        )
