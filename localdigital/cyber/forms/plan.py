"""Forms for the Improvement and Implementation Plan: an action and a progress note.

Forms check the shape of input; the rules are the services', whose messages are reused.
"""

from typing import Any

from django import forms

from localdigital.core.forms import GovukDateField
from localdigital.cyber.models import PlanAction
from localdigital.cyber.services import plan as services


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done",
        help_text="Say what will change and how you will know it is done",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_TEXT,
        error_messages={
            "required": services.DESCRIPTION_REQUIRED,
            "max_length": services.DESCRIPTION_TOO_LONG,
        },
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        required=False,
        empty_label="Nobody yet",
        help_text="Only people in your council’s cyber team can own an action",
        error_messages={"invalid_choice": services.OWNER_NOT_CYBER},
    )
    target_date = GovukDateField(
        label="Target date", required=False, allow_past=False, help_text="For example, 27 3 2027"
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=PlanAction.Priority.choices,
        widget=forms.RadioSelect,
        initial=PlanAction.Priority.MEDIUM,
        error_messages={"required": services.PRIORITY_INVALID},
    )
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = people
        owner.label_from_instance = lambda user: (
            f"{user.full_name} ({user.email})" if user.full_name else user.email
        )


class ActionEditForm(ActionForm):
    # A date already passed may stay when other things change; the service refuses a new one.
    target_date = GovukDateField(
        label="Target date", required=False, help_text="For example, 27 3 2027"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=PlanAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.STATUS_INVALID},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["answer"]


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="Progress note",
        help_text="What has happened since the last note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_TEXT,
        error_messages={"required": services.NOTE_REQUIRED, "max_length": services.NOTE_TOO_LONG},
    )
