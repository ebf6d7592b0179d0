"""Forms for the directory filters and for managing organisations. Rules live in services."""

from django import forms
from django.http import QueryDict

from localdigital.organisations import selectors, services
from localdigital.organisations.models import Organisation

KIND_LABELS = dict(Organisation.Kind.choices)


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters, read from the query string."""

    q = forms.CharField(
        label="Search by name or code",
        required=False,
        max_length=100,
        help_text="For example, Hackney or E09000012",
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=selectors.STATUS_CHOICES,
        widget=forms.RadioSelect,
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
    kind = forms.MultipleChoiceField(
        label="Type of organisation",
        required=False,
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave these clear to see councils and combined authorities",
    )

    def __init__(self, data: QueryDict, *, options: dict[str, list[tuple[str, str]]]):
        # The form is always bound (it reads the query string), so `initial` would never show:
        # put the default status into the data instead, and the "Current" radio is checked.
        if not data.get("status"):
            data = data.copy()
            data["status"] = selectors.STATUS_CURRENT
        super().__init__(data)
        self.fields["region"].choices = [("", "All regions"), *options["regions"]]
        self.fields["type"].choices = options["types"]

    def to_filters(self) -> selectors.DirectoryFilters:
        """The filters to apply. Values that do not match a choice are dropped, not errors."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {
                name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
            }
        return selectors.DirectoryFilters(
            q=(data.get("q") or "").strip(),
            nations=list(data.get("nation") or []),
            regions=[data["region"]] if data.get("region") else [],
            types=list(data.get("type") or []),
            kinds=list(data.get("kind") or []),
            status=data.get("status") or selectors.STATUS_CURRENT,
        )


class OrganisationForm(forms.Form):
    """Details of an organisation that programme staff add by hand."""

    name = forms.CharField(
        label="Official name",
        max_length=200,
        error_messages={"required": services.NAME_REQUIRED},
        help_text="For example, Department for Levelling Up, Housing and Communities",
    )
    short_name = forms.CharField(
        label="Name to show in lists",
        max_length=200,
        error_messages={"required": services.SHORT_NAME_REQUIRED},
        help_text="Usually the name people use, for example DLUHC",
    )
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[(kind.value, kind.label) for kind in services.CREATABLE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": services.KIND_REQUIRED},
    )
    nation = forms.ChoiceField(
        label="Nation (optional)",
        required=False,
        choices=[("", "Not specific to one nation"), *Organisation.Nation.choices],
    )
    alt_names = forms.CharField(
        label="Other names (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line. People can search for any of them",
    )


class OrganisationDetailsForm(OrganisationForm):
    is_current = forms.BooleanField(
        label="This organisation still exists",
        required=False,
    )


class DomainForm(forms.Form):
    domain = forms.CharField(
        label="Email domain",
        max_length=253,
        error_messages={"required": services.DOMAIN_REQUIRED},
        help_text="The part of the organisation's email addresses after the @, like hackney.gov.uk",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SettingsForm(forms.Form):
    allow_automatic_joining = forms.BooleanField(
        label="Let people join without approval",
        required=False,
        help_text=(
            "People who confirm an email address on one of this organisation's domains become "
            "members straight away. Otherwise an admin approves each request."
        ),
    )
