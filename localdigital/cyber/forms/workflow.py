"""Forms for the workflow page, the assurer's outcome reviews and programme staff's pages."""

from typing import Any

from django import forms

from localdigital.accounts.models import User
from localdigital.cyber.selectors.progress import PROGRESS_STATES
from localdigital.cyber.services.workflow import TRANSITIONS


class TransitionForm(forms.Form):
    """One of the workflow page's buttons, with a reason when returning to draft."""

    transition = forms.ChoiceField(
        choices=[(name, t.label) for name, t in TRANSITIONS.items()],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose one of the buttons on the page",
            "invalid_choice": "Choose one of the buttons on the page",
        },
    )
    reason = forms.CharField(
        label="Why is it going back to draft?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The CAF lead and contributors will see this in the history",
        error_messages={"max_length": "Keep the reason to 1,000 characters or fewer"},
    )


class AssureOutcomeForm(forms.Form):
    """The assurer's view of one outcome."""

    agrees = forms.TypedChoiceField(
        label="Do you agree with the council’s judgement?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree with the council’s judgement"},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if you disagree: say what is missing or why the level is different",
        error_messages={"max_length": "Keep your comment to 2,000 characters or fewer"},
    )


class ProgressFilterForm(forms.Form):
    """Filters of the sector progress page, read from the query string."""

    year = forms.TypedChoiceField(label="Cycle year", coerce=int, required=False)
    la_type = forms.ChoiceField(label="Council type", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    state = forms.ChoiceField(
        label="Progress",
        required=False,
        choices=[("", "Any"), *PROGRESS_STATES.items()],
    )

    def __init__(
        self, *args: Any, years: list[int], la_types: list[str], regions: list[str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}/{(y + 1) % 100:02d}") for y in years]
        self.fields["la_type"].choices = [("", "Any"), *((t, t) for t in la_types)]
        self.fields["region"].choices = [("", "Any"), *((r, r) for r in regions)]


class AssignAssurerForm(forms.Form):
    """Programme staff choose the cycle's assurer by email address."""

    email = forms.EmailField(
        label="Email address of the assurer",
        help_text="They must already have an account on the Hub, and not be from this council",
        error_messages={
            "required": "Enter the email address of the assurer",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "There is no account with that email address: ask them to create one first"
            )
        return user
