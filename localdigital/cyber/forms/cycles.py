"""Forms for starting a cycle and adding a system assessment."""

from typing import Any

from django import forms
from django.utils import timezone


class CycleStartForm(forms.Form):
    year = forms.IntegerField(
        label="Year the cycle starts",
        help_text="For example, 2026 for the 2026/27 cycle.",
        min_value=2020,
        max_value=2100,
        error_messages={
            "required": "Enter the year the cycle starts",
            "invalid": "Enter the year as 4 numbers, like 2026",
            "min_value": "Enter a year between 2020 and 2100",
            "max_value": "Enter a year between 2020 and 2100",
        },
    )
    framework = forms.ChoiceField(
        label="Framework version",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the CAF version"},
    )
    profile = forms.ChoiceField(label="Target profile (optional)", required=False)

    def __init__(self, *args: Any, frameworks: list[Any], profiles: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(f.pk): f for f in frameworks}
        self.profiles = {str(p.pk): p for p in profiles}
        self.fields["framework"].choices = [(str(f.pk), str(f)) for f in frameworks]
        # The newest version is the default (CAF 4.0 from 2026/27), as is this year's cycle:
        # councils' cycles follow the financial year, from April.
        if frameworks:
            self.fields["framework"].initial = str(frameworks[0].pk)
        today = timezone.localdate()
        self.fields["year"].initial = today.year if today.month >= 4 else today.year - 1
        self.fields["profile"].choices = [("", "No target profile")] + [
            (str(p.pk), f"{p.name} (CAF {p.framework.version})") for p in profiles
        ]

    def service_data(self) -> dict[str, Any]:
        return {
            "year": self.cleaned_data["year"],
            "framework": self.frameworks.get(self.cleaned_data["framework"]),
            "profile": self.profiles.get(self.cleaned_data["profile"] or ""),
        }


class SystemAssessmentForm(forms.Form):
    system = forms.ChoiceField(
        label="System",
        help_text="Critical systems in the council’s register are listed first.",
        error_messages={"required": "Choose a system from the council’s register"},
    )

    def __init__(self, *args: Any, systems: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.systems = {str(s.pk): s for s in systems}
        self.fields["system"].choices = [("", "Choose a system")] + [
            (str(s.pk), f"{s.display_name} (critical)" if s.critical else s.display_name)
            for s in systems
        ]
