"""Forms for importing a council's register: the upload, and the answers for products the Hub
does not know."""

from typing import Any

from django import forms

from localdigital.estate.services import imports as services

NO_FILE = "Choose a CSV or XLSX file"
MAPPING_REQUIRED = "Choose a product for {name}, or in-house or other system"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your register",
        help_text="A CSV or XLSX file in the template's columns, up to 20 MB and 50,000 systems.",
        error_messages={"required": NO_FILE, "empty": NO_FILE, "invalid": NO_FILE},
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > services.MAX_BYTES:
            raise forms.ValidationError(services.FILE_TOO_BIG)
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(services.FILE_FORMAT)
        return uploaded


def product_choices(products: Any) -> list[tuple[str, str]]:
    """Approved products (supplier loaded) as select options, after the in-house choice."""
    return [
        ("", "Choose"),
        (services.IN_HOUSE, "In-house or other system"),
        *[(str(p.pk), f"{p.name} ({p.supplier.name})") for p in products],
    ]


class UnknownProductsForm(forms.Form):
    """One select per product the Hub does not know: a product on the list, or in-house."""

    def __init__(
        self, *args: Any, unknown: list[dict[str, Any]], choices: list[tuple[str, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}
        for index, entry in enumerate(unknown):
            name = f"product_{index}"
            self.keys[name] = entry["key"]
            shown = entry["name"] + (f" ({entry['supplier']})" if entry["supplier"] else "")
            rows = ", ".join(str(row) for row in entry["rows"])
            more = entry["count"] - len(entry["rows"])
            hint = f"In row{'s' if entry['count'] > 1 else ''} {rows}"
            if more > 0:
                hint += f" and {more} more"
            if entry["in_house"]:
                initial = services.IN_HOUSE
            else:
                initial = str(entry["product"]) if entry["product"] else ""
            self.fields[name] = forms.ChoiceField(
                label=f"What is {shown}?",
                help_text=hint,
                choices=choices,
                initial=initial,
                error_messages={
                    "required": MAPPING_REQUIRED.format(name=shown),
                    "invalid_choice": MAPPING_REQUIRED.format(name=shown),
                },
            )

    def answers(self) -> dict[str, str]:
        return {self.keys[name]: value for name, value in self.cleaned_data.items()}
