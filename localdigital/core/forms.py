"""Form pieces shared by every app: the GOV.UK date field and a base form."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone


class GovukDateInput(forms.Widget):
    """Three inputs named `<name>-day`, `<name>-month`, `<name>-year`, as govukDateInput draws."""

    govuk_macro = "date"
    parts = ("day", "month", "year")

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return ["", "", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")).strip() for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK error messages.

    `label` should read as a noun phrase ("Date signed"): messages are built from it.
    """

    widget = GovukDateInput

    def __init__(self, *, allow_future: bool = True, allow_past: bool = True, **kwargs: Any):
        self.allow_future = allow_future
        self.allow_past = allow_past
        super().__init__(**kwargs)

    def _name(self) -> str:
        return str(self.label or "Date")

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = (list(value) + ["", "", ""])[:3]
        missing = [
            part
            for part, given in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not given
        ]
        if missing:
            raise forms.ValidationError(
                f"{self._name()} must include a {' and a '.join(missing)}", code="incomplete"
            )
        try:
            parsed = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self._name()} must be a real date", code="invalid"
            ) from None
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        return parsed

    def validate(self, value: datetime.date | None) -> None:
        if value is None:
            if self.required:
                raise forms.ValidationError(f"Enter the {self._name().lower()}", code="required")
            return
        today = timezone.localdate()
        if not self.allow_future and value > today:
            raise forms.ValidationError(
                f"{self._name()} must be today or in the past", code="future"
            )
        if not self.allow_past and value < today:
            raise forms.ValidationError(
                f"{self._name()} must be today or in the future", code="past"
            )


def add_service_error(form: forms.Form, error: Any) -> None:
    """Show a service's ApplicationError on the field it names, or above the form."""
    field_name = error.field if error.field in form.fields and error.field != "query" else None
    form.add_error(field_name, error.message)
