"""The form for granting a cyber role."""

from typing import Any

from django import forms

from localdigital.cyber.models import CyberRole


class RoleGrantForm(forms.Form):
    user = forms.ChoiceField(
        label="Person", error_messages={"required": "Choose a member of the council"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=CyberRole.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["user"].choices = [("", "Choose a person")] + [
            (str(m.pk), f"{m} ({m.email})") for m in members
        ]
