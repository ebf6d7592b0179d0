"""The audit log's filter form, with GOV.UK date inputs (day, month and year boxes)."""

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict

from localdigital.audit.selectors import AuditFilters

DATE_PARTS = ("day", "month", "year")


class DatePartsWidget(forms.Widget):
    """Reads the three boxes of a GOV.UK date input (`<name>-day`, `-month`, `-year`)."""

    govuk_macro = "date"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}-{part}", "")).strip() for part in DATE_PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in DATE_PARTS)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the first box, as the GOV.UK pattern asks.
        return f"{id_}-day" if id_ else id_


class DatePartsField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK error messages."""

    widget = DatePartsWidget

    def to_python(self, value: Any) -> dt.date | None:
        if not value or not any(value.values()):
            return None
        name = str(self.label)
        missing = [part for part in DATE_PARTS if not value.get(part)]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and '.join(missing)}")
        if not all(value[part].isdigit() for part in DATE_PARTS):
            raise forms.ValidationError(f"{name} must be a real date")
        if len(value["year"]) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date") from None


class AuditFilterForm(forms.Form):
    """Filters for the audit log, read from the query string."""

    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="For example, membership.approve, or membership for every membership action",
    )
    actor_email = forms.CharField(
        label="Email address of the person who acted",
        required=False,
        max_length=254,
        help_text="Part of an address is enough, for example hackney.gov.uk",
    )
    organisation_code = forms.CharField(
        label="Organisation code",
        required=False,
        max_length=40,
        help_text="For example, HCK",
    )
    date_from = DatePartsField(
        label="From date", required=False, help_text="For example, 27 3 2026"
    )
    date_to = DatePartsField(label="To date", required=False, help_text="For example, 4 4 2026")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return cleaned

    def to_filters(self) -> AuditFilters:
        """The valid filters; an invalid form filters nothing rather than hiding events."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            action=data["action"],
            actor_email=data["actor_email"],
            organisation_code=data["organisation_code"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )

    def date_input(self, name: str) -> dict[str, Any]:
        """Parameters for the official govukDateInput macro for one of the date fields."""
        bound = self[name]
        value = bound.value() or {}
        if not isinstance(value, dict):
            value = {}
        error = {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None
        widths = {"day": 2, "month": 2, "year": 4}
        return {
            "id": bound.auto_id,
            "namePrefix": bound.html_name,
            "fieldset": {
                "legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}
            },
            "hint": {"text": str(bound.help_text)},
            "errorMessage": error,
            "items": [
                {
                    "name": part,
                    "label": part.capitalize(),
                    "value": value.get(part, ""),
                    "classes": f"govuk-input--width-{widths[part]}"
                    + (" govuk-input--error" if error else ""),
                    "inputmode": "numeric",
                }
                for part in DATE_PARTS
            ],
        }

    def query_string(self, **overrides: Any) -> str:
        """The current filters as a query string, for pagination and export links."""
        params = QueryDict(mutable=True)
        if self.is_bound:
            for key, values in self.data.lists():
                if key != "page":
                    params.setlist(key, [v for v in values if v])
        for key, value in overrides.items():
            params[key] = str(value)
        return params.urlencode()
