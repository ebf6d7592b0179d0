"""The audit log's filter form, with GOV.UK date inputs (day, month and year boxes)."""

from typing import Any

from django import forms
from django.http import QueryDict

from localdigital.audit.selectors import AuditFilters
from localdigital.core.forms import GovukDateField


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
    date_from = GovukDateField(
        label="From date", required=False, help_text="For example, 27 3 2026"
    )
    date_to = GovukDateField(label="To date", required=False, help_text="For example, 4 4 2026")

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
