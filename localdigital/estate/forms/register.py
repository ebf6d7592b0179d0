"""Forms for a council's register: a system (every field a council records) and the sharing
setting. Forms check the shape of input; the rules are the services', whose messages are reused.
"""

from typing import Any

from django import forms

from localdigital.core.forms import GovukDateField
from localdigital.estate.models import Function, Hosting, Product, SharingSetting, System
from localdigital.estate.services import systems as services
from localdigital.pipeline.models import ServiceArea

# The legacy risk flags, one checkbox each in one question.
RISKS = [
    ("out_of_support", "Out of vendor support"),
    ("unsupported_platform", "Runs on an unsupported operating system or database"),
    ("single_person_dependency", "Depends on one person"),
    ("no_api", "Has no API"),
    ("heavy_customisation", "Heavily customised"),
]

SHARING_HINTS = {
    SharingSetting.Level.NOTHING: (
        "Other councils see that you share nothing. Your systems are not counted in sector "
        "figures or joint procurement windows."
    ),
    SharingSetting.Level.PRODUCTS: (
        "Signed-in members of other councils see what each system is for and which product "
        "it is. This is the setting until you choose."
    ),
    SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS: (
        "They also see when each contract ends, so your council is counted in joint "
        "procurement windows."
    ),
}


def _choice(label: str, choices: Any, *, radios: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Not known")] + list(choices) if not radios else list(choices),
        required=False,
        widget=forms.RadioSelect if radios else forms.Select,
    )


def _flag(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class SystemForm(forms.Form):
    function = forms.ModelChoiceField(
        label="What is the system used for?",
        queryset=Function.objects.order_by("position"),
        to_field_name="key",
        empty_label="Choose a function",
        error_messages={"required": services.FUNCTION_REQUIRED},
    )
    product = forms.ModelChoiceField(
        label="Product (optional if you enter a name below)",
        queryset=Product.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="In-house or not on the list",
        help_text="If the product is not on the list, enter its name below",
    )
    other_name = forms.CharField(
        label="In-house or other system name (optional)", required=False, max_length=150
    )
    service_area = forms.ModelChoiceField(
        label="Service area (optional)",
        queryset=ServiceArea.objects.order_by("position"),
        to_field_name="key",
        required=False,
        empty_label="The function's usual service area",
    )
    version = forms.CharField(label="Version (optional)", required=False, max_length=60)
    hosting = _choice("Hosting (optional)", Hosting.choices)
    contract_start = GovukDateField(
        label="Contract start (optional)", required=False, help_text="For example, 1 4 2022"
    )
    contract_end = GovukDateField(
        label="Contract end (optional)", required=False, help_text="For example, 31 3 2027"
    )
    notice_period_months = forms.IntegerField(
        label="Notice period in months (optional)",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter the notice period as a whole number of months",
            "min_value": "Enter a notice period of 0 months or more",
            "max_value": "Enter a notice period of 120 months or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    annual_cost_band = _choice("Annual cost (optional)", System.CostBand.choices)
    user_count_band = _choice("Number of users (optional)", System.UserBand.choices)
    open_apis = _choice("Does it have open APIs? (optional)", System.OpenApis.choices)
    data_export = _flag("You can export its data")
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with it? (optional)",
        choices=[("", "Not rated")] + [(str(n), f"{n} out of 5") for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 is very dissatisfied, 5 is very satisfied",
    )
    risks = forms.MultipleChoiceField(
        label="Legacy risks (optional)",
        choices=RISKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    plan = _choice("Your plan for it (optional)", System.Plan.choices)
    plan_target_date = GovukDateField(
        label="Plan target date (optional)", required=False, help_text="For example, 31 3 2028"
    )
    critical = _flag("It is one of the council's critical systems")
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your council's members see these",
    )

    def __init__(self, *args: Any, system: System | None = None, **kwargs: Any) -> None:
        if system is not None and "initial" not in kwargs:
            kwargs["initial"] = system_initial(system)
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(status=Product.Status.APPROVED)
        if system is not None and system.product_id:
            products = products | Product.objects.filter(pk=system.product_id)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = products.select_related("supplier").order_by("name")
        field.label_from_instance = lambda p: f"{p.name} ({p.supplier.name})"

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        risks = set(data.pop("risks"))
        for name, _label in RISKS:
            data[name] = name in risks
        for name in ("hosting", "annual_cost_band", "user_count_band", "open_apis", "plan"):
            data[name] = data[name] or ""
        return data


def system_initial(system: System) -> dict[str, Any]:
    """A system's values as the form shows them."""
    initial: dict[str, Any] = {name: getattr(system, name) for name in services.SYSTEM_FIELDS}
    initial["risks"] = [name for name, _label in RISKS if getattr(system, name)]
    initial["function"] = system.function.key if system.function_id else None
    initial["product"] = system.product.slug if system.product_id and system.product else None
    initial["service_area"] = (
        system.service_area.key if system.service_area_id and system.service_area else None
    )
    return initial


class SharingForm(forms.Form):
    level = forms.ChoiceField(
        label="What can other councils see of your register?",
        choices=SharingSetting.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.LEVEL_REQUIRED},
    )
