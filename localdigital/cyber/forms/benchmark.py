"""The sector benchmark's filters: year, CAF version, council type, region and whether approved
assessments count as well as assured ones. Read from the query string, so a filtered page can be
shared."""

from typing import Any

from django import forms

from localdigital.cyber.selectors.benchmark import BenchmarkFilters


class BenchmarkFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    version = forms.ChoiceField(
        label="CAF version",
        required=False,
        help_text="Versions are never added together",
    )
    council_type = forms.ChoiceField(label="Council type", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    include_approved = forms.BooleanField(
        label="Include approved assessments that are not yet assured",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        years: list[int],
        council_types: list[tuple[str, str]],
        regions: list[tuple[str, str]],
        versions: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        choices = {
            "year": [("", "Latest year")]
            + [(str(year), f"{year}/{(year + 1) % 100:02d}") for year in years],
            "council_type": [("", "All council types"), *council_types],
            "region": [("", "All regions"), *regions],
            "version": [("", "The year's newest version"), *versions],
        }
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]

    def filters(self) -> BenchmarkFilters:
        """The chosen filters; none when the input is not valid."""
        if not self.is_bound or not self.is_valid():
            return BenchmarkFilters()
        data = self.cleaned_data
        return BenchmarkFilters(
            year=data.get("year"),
            council_type=data.get("council_type") or "",
            region=data.get("region") or "",
            include_approved=bool(data.get("include_approved")),
            version=data.get("version") or "",
        )
