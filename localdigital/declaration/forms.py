"""Forms for signing the Declaration and managing commitments. The rules live in services."""

from typing import Any

from django import forms
from django.utils import timezone

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import GovukDateField
from localdigital.declaration import services
from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing
from localdigital.organisations.models import Organisation

TEXTAREA_ROWS = 4


class PrincipleChoiceField(forms.ModelMultipleChoiceField):
    """Principles as checkboxes, submitted by their stable keys, labelled with their titles."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any):
        super().__init__(
            queryset=Principle.objects.order_by("position"), to_field_name="key", **kwargs
        )

    def label_from_instance(self, obj: Principle) -> str:
        return obj.title


def _text(
    label: str,
    required_message: str | None,
    *,
    help_text: str = "",
    rows: int = 0,
    max_length: int = 150,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=None if rows else max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={"required": required_message or ""},
    )


class SignatoriesMixin(forms.Form):
    senior_officer_name = _text(
        "Name of the senior officer",
        services.SENIOR_OFFICER_NAME_REQUIRED,
        help_text="The chief executive or another senior officer who endorses the Declaration",
    )
    senior_officer_role = _text(
        "Role of the senior officer",
        services.SENIOR_OFFICER_ROLE_REQUIRED,
        help_text="For example, Chief Executive",
    )
    political_lead_name = _text(
        "Name of the political lead",
        services.POLITICAL_LEAD_NAME_REQUIRED,
        help_text="The leader of the council or the cabinet member who endorses it",
    )
    political_lead_role = _text(
        "Role of the political lead",
        services.POLITICAL_LEAD_ROLE_REQUIRED,
        help_text="For example, Leader of the Council",
    )


class SigningForm(SignatoriesMixin):
    """What an organisation's admin gives when signing; checked again on the check page."""

    signed_on = GovukDateField(
        label="Date signed", allow_future=False, help_text="For example, 27 3 2026"
    )
    principles = PrincipleChoiceField(
        label="Principles your organisation agrees to",
        help_text="Signing the Declaration means agreeing to all five principles",
        error_messages={"required": services.PRINCIPLES_REQUIRED},
    )
    statement = _text(
        "Statement (optional)",
        None,
        help_text="Why your organisation is signing, or what it hopes to change",
        rows=TEXTAREA_ROWS,
    )

    def clean_principles(self) -> list[Principle]:
        chosen = list(self.cleaned_data["principles"])
        if len(chosen) != Principle.objects.count():
            raise forms.ValidationError(services.PRINCIPLES_REQUIRED)
        return chosen

    def to_session(self) -> dict[str, Any]:
        """The answers as JSON-friendly values, kept in the session until the check page."""
        data = dict(self.cleaned_data)
        data["signed_on"] = data["signed_on"].isoformat()
        data["principles"] = [p.key for p in data["principles"]]
        return data


class WithdrawForm(forms.Form):
    reason = _text(
        "Why is your organisation withdrawing?",
        services.WITHDRAWAL_REASON_REQUIRED,
        help_text="This is kept with your organisation's Declaration history",
        rows=TEXTAREA_ROWS,
    )


def _organisation_from_text(value: str) -> Organisation:
    try:
        found = services.resolve_partners([value])
    except ApplicationError as error:
        raise forms.ValidationError(error.message) from None
    if not found:
        raise forms.ValidationError("Enter the organisation's code or name")
    return found[0]


class OfflineSigningForm(forms.Form):
    """Programme staff record a signing made on paper or by email."""

    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="Its code or name, like HCK or Hackney",
        error_messages={"required": "Enter the organisation's code or name"},
    )
    signed_on = GovukDateField(
        label="Date signed", allow_future=False, help_text="For example, 27 3 2026"
    )
    senior_officer_name = _text("Name of the senior officer (optional)", None)
    senior_officer_role = _text("Role of the senior officer (optional)", None)
    political_lead_name = _text("Name of the political lead (optional)", None)
    political_lead_role = _text("Role of the political lead (optional)", None)
    statement = _text("Statement (optional)", None, rows=TEXTAREA_ROWS)
    evidence = _text(
        "How we know (optional)",
        None,
        help_text="For example, signed letter from the chief executive received by email",
        max_length=500,
    )
    source_url = forms.URLField(
        label="Link to the evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://example.gov.uk"
        },
    )

    def clean_organisation(self) -> Organisation:
        return _organisation_from_text(self.cleaned_data["organisation"])


class CorrectionForm(forms.Form):
    """Programme staff correct a signing's recorded details."""

    signed_on = GovukDateField(
        label="Date signed",
        allow_future=False,
        required=False,
        help_text="Leave empty only if the date is not known",
    )
    signed_on_precision = forms.ChoiceField(
        label="How much of the date is known",
        choices=Signing.DatePrecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how much of the date is known"},
    )
    senior_officer_name = _text("Name of the senior officer", None)
    senior_officer_role = _text("Role of the senior officer", None)
    political_lead_name = _text("Name of the political lead", None)
    political_lead_role = _text("Role of the political lead", None)
    statement = _text("Statement", None, rows=TEXTAREA_ROWS)
    evidence = _text("How we know", None, max_length=500)
    source_url = forms.CharField(label="Link to the evidence", required=False, max_length=500)
    withdrawn_on = GovukDateField(label="Date withdrawn", allow_future=False, required=False)
    withdrawal_reason = _text("Reason for withdrawing", None, rows=TEXTAREA_ROWS)

    def __init__(self, *args: Any, signing: Signing, **kwargs: Any):
        kwargs.setdefault(
            "initial", {name: getattr(signing, name) for name in services.CORRECTABLE_FIELDS}
        )
        super().__init__(*args, **kwargs)
        if signing.status != Signing.Status.WITHDRAWN:
            del self.fields["withdrawn_on"]
            del self.fields["withdrawal_reason"]


class CommitmentForm(forms.Form):
    """A yearly commitment: what the organisation will deliver, with whom, and why."""

    year = forms.IntegerField(
        label="Year",
        help_text="The year your commitment starts, like 2026",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": services.YEAR_REQUIRED,
            "invalid": "Year must be a number, like 2026",
        },
    )
    title = _text(
        "Title",
        services.TITLE_REQUIRED,
        help_text="A short name for your commitment",
        max_length=200,
    )
    mission = _text(
        "Mission",
        services.MISSION_REQUIRED,
        help_text="What you will deliver within a year",
        rows=TEXTAREA_ROWS,
    )
    impact = _text(
        "Impact",
        services.IMPACT_REQUIRED,
        help_text="Who will benefit, and how",
        rows=TEXTAREA_ROWS,
    )
    partners = _text(
        "Partner organisations (optional)",
        None,
        help_text=(
            "One organisation a line, by name or code, like Manchester or MAN. "
            "Each partner is asked to confirm it is working with you."
        ),
        rows=3,
    )
    principles = PrincipleChoiceField(
        label="Principles this commitment advances (optional)",
        required=False,
        help_text="Select all that apply",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)

    @classmethod
    def for_commitment(cls, commitment: Commitment, data: Any = None) -> "CommitmentForm":
        """The form for editing a commitment, filled in with its current values."""
        partners = sorted(commitment.partners.all(), key=lambda p: p.organisation.short_name)
        return cls(
            data,
            initial={
                "year": commitment.year,
                "title": commitment.title,
                "mission": commitment.mission,
                "impact": commitment.impact,
                "partners": "\n".join(p.organisation.short_name for p in partners),
                "principles": [p.key for p in commitment.principles.all()],
            },
        )

    def clean_partners(self) -> list[Organisation]:
        lines = self.cleaned_data["partners"].splitlines()
        try:
            return services.resolve_partners(lines)
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(
        label="How much of the commitment was done?",
        choices=[(value, label) for value, label in Commitment.Progress.choices if value],
        widget=forms.RadioSelect,
        error_messages={"required": services.PROGRESS_REQUIRED},
    )
    note = _text(
        "Progress note",
        services.PROGRESS_NOTE_REQUIRED,
        help_text="What you delivered, what changed for people, and what is left to do",
        rows=5,
    )


class PartnerResponseForm(forms.Form):
    status = forms.ChoiceField(
        label="Is your organisation a partner in this commitment?",
        choices=[
            (CommitmentPartner.Status.CONFIRMED, "Yes, confirm that we are a partner"),
            (CommitmentPartner.Status.DECLINED, "No, decline being named"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": services.RESPONSE_REQUIRED},
    )
