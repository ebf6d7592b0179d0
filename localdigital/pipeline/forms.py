"""Forms for adding and changing Pipeline items, posting updates and choosing partners.

Forms parse and check the shape of input; the rules (who may change what, summary length, dates)
are the services', whose messages are reused here so the page and the API say the same thing.
"""

from typing import Any

from django import forms

from localdigital.core.forms import GovukDateField
from localdigital.organisations.models import Membership, Organisation
from localdigital.pipeline.models import Item, ServiceArea
from localdigital.pipeline.services import items as services
from localdigital.pipeline.services import updates as update_services

ROWS = 5


def _text(label: str, *, required: str | None = None, help_text: str = "", rows: int = 0,
          max_length: int | None = None) -> forms.CharField:  # fmt: skip
    messages = {"required": required or ""}
    if max_length:
        messages["max_length"] = f"Enter {label.lower()} of {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=messages,
    )


def _url(label: str) -> forms.URLField:
    return forms.URLField(
        label=f"{label} (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": f"Enter the {label.lower()} address in the correct format, like "
            "https://example.org",
        },
    )


class ItemForm(forms.Form):
    """Every field of an item. On a change, fields the person may not change are removed."""

    organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"required": "Select the lead organisation"},
    )
    kind = forms.ChoiceField(
        label="What are you sharing?",
        choices=Item.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.KIND_REQUIRED},
    )
    title = _text("Title", required=services.TITLE_REQUIRED, max_length=200)
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences other councils will see in lists, 280 characters or fewer",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.SUMMARY_REQUIRED},
    )
    problem = _text(
        "The problem (optional)",
        help_text="What is wrong today, and for whom. You can use Markdown.",
        rows=ROWS,
    )
    user_needs = _text(
        "Users’ needs (optional)",
        help_text="As a …, I need … so that …. You can use Markdown.",
        rows=ROWS,
    )
    description = _text(
        "Description (optional)",
        help_text="What you are doing or plan to do, what you have learned. You can use Markdown.",
        rows=8,
    )
    service_area = forms.ModelChoiceField(
        label="Service area (optional)",
        queryset=ServiceArea.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="Not chosen",
    )
    tags = _text(
        "Tags (optional)", help_text="Separate tags with commas, like SEND, EHCP, case management"
    )
    phase = forms.ChoiceField(label="Phase", choices=Item.Phase.choices)
    collaboration_level = forms.ChoiceField(
        label="How would you like to work with others?",
        choices=Item.CollaborationLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you would like to work with others"},
    )
    budget_band = forms.ChoiceField(label="Budget", choices=Item.BudgetBand.choices)
    funding_source = _text(
        "Funding source (optional)",
        help_text="For example, Local Digital Fund round 6, or your own budget",
        max_length=200,
    )
    start_date = GovukDateField(
        label="Start date (optional)", required=False, help_text="For example, 1 4 2026"
    )
    end_date = GovukDateField(
        label="Estimated end date (optional)", required=False, help_text="For example, 31 3 2027"
    )
    next_assessment_date = GovukDateField(
        label="Next service assessment (optional)",
        required=False,
        help_text="When the service will next be assessed against the Service Standard",
    )
    key_contact = forms.ModelChoiceField(
        label="Key contact (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="No named contact",
        help_text="Told when someone expresses interest",
    )
    repository_url = _url("Code repository")
    blog_url = _url("Blog")
    sprint_notes_url = _url("Sprint notes")
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Item.Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see it"},
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation] | None = None,
        item: Item | None = None,
        editable: set[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if item is not None or not organisations or len(organisations) == 1:
            # One organisation (or a change): nothing to choose.
            del self.fields["organisation"]
            self.single_organisation = item.organisation if item else (organisations or [None])[0]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            ).order_by("short_name")
            self.single_organisation = None
        lead = item.organisation if item else self.single_organisation
        if "key_contact" in self.fields:
            from django.contrib.auth import get_user_model

            people = get_user_model().objects.filter(
                memberships__organisation=lead, memberships__status=Membership.Status.ACTIVE
            ) if lead else get_user_model().objects.none()  # fmt: skip
            field = self.fields["key_contact"]
            field.queryset = people.order_by("full_name", "email")
            field.label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"
        if editable is not None:
            for name in list(self.fields):
                if name not in editable:
                    del self.fields[name]

    def clean_summary(self) -> str:
        summary = " ".join(self.cleaned_data["summary"].split())
        if len(summary) > services.SUMMARY_MAX:
            raise forms.ValidationError(services.SUMMARY_TOO_LONG)
        return summary

    def service_data(self) -> dict[str, Any]:
        """Cleaned values for the service, without the lead organisation."""
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


def initial_for(item: Item) -> dict[str, Any]:
    """A change form's starting values from the item."""
    initial: dict[str, Any] = {name: getattr(item, name) for name in services.FIELDS}
    initial["tags"] = ", ".join(t.name for t in item.tags.all())
    initial["service_area"] = item.service_area.key if item.service_area else None
    initial["key_contact"] = item.key_contact_id
    return initial


class StatusUpdateForm(forms.Form):
    title = _text(
        "Title", required=update_services.UPDATE_TITLE_REQUIRED, max_length=150,
        help_text="For example, Alpha finished",
    )  # fmt: skip
    body = _text(
        "What has happened?",
        required=update_services.UPDATE_BODY_REQUIRED,
        help_text="What you did, learned and will do next. You can use Markdown.",
        rows=8,
    )
    phase = forms.ChoiceField(
        label="Phase after this update",
        choices=[("", "No change"), *Item.Phase.choices],
        required=False,
    )


class PartnerAddForm(forms.Form):
    organisation = forms.CharField(
        label="Add a partner organisation",
        help_text="Its code or name, like MAN or Manchester",
        max_length=200,
        error_messages={"required": "Enter the partner organisation’s code or name"},
    )


class PartnerFieldsForm(forms.Form):
    fields_ = forms.MultipleChoiceField(
        label="Fields partners can change",
        choices=[(f, services.LABELS[f]) for f in services.PARTNER_FIELD_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="People from partner organisations can post updates and change these fields",
    )
