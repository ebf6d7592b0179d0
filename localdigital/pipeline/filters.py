"""The Pipeline list's search and filters, read from a query string.

The list page, saved searches (when they are saved, run and matched against a new item) and
anything else that takes the same parameters parse them here, so one address means the same
search everywhere. A value that matches no choice is reported on its field and left out of the
search; it never breaks the page.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.http import QueryDict

from localdigital.pipeline.models import Item

# "Last updated": a number of days back from now, or older than a year.
UPDATED_OLDER = "older"
UPDATED_CHOICES = [
    ("", "Any time"),
    ("7", "In the last 7 days"),
    ("30", "In the last 30 days"),
    ("90", "In the last 90 days"),
    ("365", "In the last year"),
    (UPDATED_OLDER, "More than a year ago"),
]
OLDER_THAN_DAYS = 365

SORT_RELEVANCE = "relevance"
SORT_UPDATED = "updated"
SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Relevance"),
    (SORT_UPDATED, "Recently updated"),
    (SORT_NEWEST, "Newest"),
    (SORT_TITLE, "Title A to Z"),
]

Q_MAX_LENGTH = 200
CHOOSE_KIND = "Choose a kind of item from the list"
CHOOSE_ORGANISATION = "Choose an organisation from the list"
CHOOSE_REGION = "Choose a region from the list"
CHOOSE_COUNCIL_TYPE = "Choose a type of council from the list"
CHOOSE_SERVICE_AREA = "Choose a service area from the list"
CHOOSE_PHASE = "Choose a phase from the list"
CHOOSE_COLLABORATION = "Choose a collaboration level from the list"
CHOOSE_BUDGET = "Choose a budget band from the list"
CHOOSE_UPDATED = "Choose when the item was last updated from the list"
CHOOSE_SORT = "Choose how to sort the items from the list"
Q_TOO_LONG = f"Enter search words of {Q_MAX_LENGTH} characters or fewer"

# The query-string parameters that make up a search (the page number and sort order do not
# change which items match, so saved searches leave them out).
SEARCH_PARAMETERS = (
    "q",
    "kind",
    "organisation",
    "region",
    "council_type",
    "service_area",
    "phase",
    "collaboration_level",
    "budget_band",
    "updated",
    "archived",
)


@dataclass(frozen=True)
class ItemFilters:
    """A Pipeline search: the words and every filter, each a list of accepted values."""

    q: str = ""
    kinds: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    council_types: list[str] = field(default_factory=list)
    service_areas: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    collaboration_levels: list[str] = field(default_factory=list)
    budget_bands: list[str] = field(default_factory=list)
    updated: str = ""
    include_archived: bool = False
    sort: str = ""

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (the sort order does not)."""
        return bool(self.to_query())

    @property
    def effective_sort(self) -> str:
        """The order the list is in: relevance only makes sense with search words."""
        if self.sort == SORT_RELEVANCE and not self.q:
            return SORT_UPDATED
        return self.sort or (SORT_RELEVANCE if self.q else SORT_UPDATED)

    def params(self) -> list[tuple[str, str]]:
        """The search as query-string pairs in a fixed order (no page number or sort)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name, values in (
            ("kind", self.kinds),
            ("organisation", self.organisations),
            ("region", self.regions),
            ("council_type", self.council_types),
            ("service_area", self.service_areas),
            ("phase", self.phases),
            ("collaboration_level", self.collaboration_levels),
            ("budget_band", self.budget_bands),
        ):
            pairs.extend((name, value) for value in sorted(set(values)))
        if self.updated:
            pairs.append(("updated", self.updated))
        if self.include_archived:
            pairs.append(("archived", "true"))
        return pairs

    def to_query(self) -> str:
        """The normalised query string of the search: what a saved search stores, so the same
        search saved twice is the same text."""
        query = QueryDict(mutable=True)
        for name, value in self.params():
            query.appendlist(name, value)
        return query.urlencode()


class ItemFilterForm(forms.Form):
    """The list's filter panel. `options` holds the choices read from the database (see
    `selectors.find.filter_options`), so parsing many saved searches costs no more queries."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=Q_MAX_LENGTH,
        help_text="For example, EHCP, school transport or housing repairs",
        error_messages={"max_length": Q_TOO_LONG},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": CHOOSE_SORT},
    )
    kind = forms.MultipleChoiceField(
        label="Kind",
        required=False,
        choices=Item.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_KIND},
    )
    organisation = forms.ChoiceField(
        label="Organisation", required=False, error_messages={"invalid_choice": CHOOSE_ORGANISATION}
    )
    region = forms.ChoiceField(
        label="Region", required=False, error_messages={"invalid_choice": CHOOSE_REGION}
    )
    council_type = forms.MultipleChoiceField(
        label="Type of council",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_COUNCIL_TYPE},
    )
    service_area = forms.ChoiceField(
        label="Service area", required=False, error_messages={"invalid_choice": CHOOSE_SERVICE_AREA}
    )
    phase = forms.MultipleChoiceField(
        label="Phase",
        required=False,
        choices=Item.Phase.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_PHASE},
    )
    collaboration_level = forms.MultipleChoiceField(
        label="Collaboration level",
        required=False,
        choices=Item.CollaborationLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_COLLABORATION},
    )
    budget_band = forms.MultipleChoiceField(
        label="Budget",
        required=False,
        choices=Item.BudgetBand.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_BUDGET},
    )
    updated = forms.ChoiceField(
        label="Last updated",
        required=False,
        choices=UPDATED_CHOICES,
        error_messages={"invalid_choice": CHOOSE_UPDATED},
    )
    archived = forms.BooleanField(
        label="Include archived items",
        required=False,
        help_text="Items nobody reviewed for 6 months after their review date",
    )

    def __init__(self, data: Any, *, options: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        choices = {
            "organisation": [("", "All organisations"), *options["organisations"]],
            "region": [("", "All regions"), *options["regions"]],
            "council_type": options["types"],
            "service_area": [("", "All service areas"), *options["service_areas"]],
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def to_filters(self) -> ItemFilters:
        """The search to run, keeping every field that is valid and dropping those that are
        not (their errors stay on the form for the page to show)."""
        self.is_valid()
        data: dict[str, Any] = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return ItemFilters(
            q=" ".join((data.get("q") or "").split()),
            kinds=list(data.get("kind") or []),
            organisations=[data["organisation"]] if data.get("organisation") else [],
            regions=[data["region"]] if data.get("region") else [],
            council_types=list(data.get("council_type") or []),
            service_areas=[data["service_area"]] if data.get("service_area") else [],
            phases=list(data.get("phase") or []),
            collaboration_levels=list(data.get("collaboration_level") or []),
            budget_bands=list(data.get("budget_band") or []),
            updated=data.get("updated") or "",
            include_archived=bool(data.get("archived")),
            sort=data.get("sort") or "",
        )


def parse_filters(
    params: QueryDict | str, *, options: dict[str, list[tuple[str, str]]]
) -> ItemFilterForm:
    """A bound filter form for a query string (or a request's GET); call `to_filters()` for the
    search and read `errors` for the values that were not understood."""
    data = QueryDict(params) if isinstance(params, str) else params
    return ItemFilterForm(data, options=options)


class SavedSearchForm(forms.Form):
    """Name a search to save it; the search itself travels as its query string."""

    name = forms.CharField(
        label="Name your search",
        max_length=100,
        help_text="For example, SEND transport projects in the North West",
        error_messages={
            "required": "Enter a name for your search",
            "max_length": "Enter a name of 100 characters or fewer",
        },
    )
    email = forms.BooleanField(
        label="Email me when a new item matches",
        required=False,
        help_text="You will always see new matches in your notifications on the Hub",
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)
