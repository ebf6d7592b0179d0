"""The form for a pathway off legacy: where the council moved from and to, status, dates, cost
band and lessons. The service decides the rules and its messages are reused here."""

from typing import Any

from django import forms

from localdigital.catalogue.models import Asset
from localdigital.core.forms import GovukDateField
from localdigital.estate.models import Function, Pathway, Product, System
from localdigital.estate.services import pathways as services
from localdigital.pipeline.models import Item

ASSET_NOT_FOUND = "Enter the address or short name of an asset in the catalogue"


def _slug_from(value: str) -> str:
    """The last part of a pasted address (https://…/catalogue/x/ -> x), or the text itself."""
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


class PathwayForm(forms.Form):
    function = forms.ModelChoiceField(
        label="What is the system used for?",
        queryset=Function.objects.order_by("position"),
        to_field_name="key",
        empty_label="Choose a function",
        error_messages={"required": services.FUNCTION_REQUIRED},
    )
    from_product = forms.ModelChoiceField(
        label="Product you are moving off (optional)",
        queryset=Product.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="In-house or not on the list",
    )
    to_product = forms.ModelChoiceField(
        label="Product you are moving to",
        queryset=Product.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Not a product: a catalogue asset",
        help_text="Choose a product, or a catalogue asset below",
    )
    to_asset = forms.ModelChoiceField(
        label="Catalogue asset you are moving to",
        queryset=Asset.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Not a catalogue asset",
    )
    to_asset_slug = forms.CharField(
        label="Or the catalogue asset's address (optional)",
        required=False,
        max_length=300,
        help_text="For example, https://hub.localdigital.gov.uk/catalogue/open-waste-booking/",
    )
    status = forms.ChoiceField(
        label="Where is the move now?",
        choices=Pathway.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.STATUS_REQUIRED},
    )
    started_on = GovukDateField(
        label="Start date (optional)", required=False, help_text="For example, 1 4 2025"
    )
    finished_on = GovukDateField(
        label="Finish date (optional)", required=False, help_text="For example, 31 3 2026"
    )
    cost_band = forms.ChoiceField(
        label="What did the move cost? (optional)",
        choices=[("", "Not known")] + list(System.CostBand.choices),
        required=False,
        help_text="Shown to others only as a count, when at least 5 councils gave one",
    )
    lessons = forms.CharField(
        label="Lessons learned (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What worked and what you would do differently. Other councils see this, "
        "with your council's name, unless your council shares nothing.",
    )
    pipeline_item = forms.CharField(
        label="Pipeline item for the move (optional)",
        required=False,
        max_length=300,
        help_text="The address of the project in the Pipeline, "
        "for example https://hub.localdigital.gov.uk/pipeline/new-waste-system/",
    )

    def __init__(self, *args: Any, user: Any, pathway: Pathway | None = None, **kwargs: Any):
        if pathway is not None and "initial" not in kwargs:
            kwargs["initial"] = pathway_initial(pathway)
        super().__init__(*args, **kwargs)
        self.user = user
        products = Product.objects.exclude(status=Product.Status.REJECTED)
        for name in ("from_product", "to_product"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = products.select_related("supplier").order_by("name")
            field.label_from_instance = lambda p: f"{p.name} ({p.supplier.name})"

    def clean_to_asset_slug(self) -> Asset | None:
        value = _slug_from(self.cleaned_data.get("to_asset_slug") or "")
        if not value:
            return None
        asset = Asset.objects.filter(slug=value).first()
        if asset is None:
            raise forms.ValidationError(ASSET_NOT_FOUND)
        return asset

    def clean_pipeline_item(self) -> Item | None:
        """The item, found by address or slug; whether the person may link it is the
        service's rule (they must be able to see it)."""
        value = _slug_from(self.cleaned_data.get("pipeline_item") or "")
        if not value:
            return None
        item = Item.objects.filter(slug=value).first()
        if item is None:
            raise forms.ValidationError(services.ITEM_NOT_VISIBLE)
        return item

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        typed_asset = data.pop("to_asset_slug")
        if typed_asset is not None:
            data["to_asset"] = typed_asset
        return data


def pathway_initial(pathway: Pathway) -> dict[str, Any]:
    return {
        "function": pathway.function.key,
        "from_product": pathway.from_product.slug if pathway.from_product else None,
        "to_product": pathway.to_product.slug if pathway.to_product else None,
        "to_asset": pathway.to_asset.slug if pathway.to_asset else None,
        "status": pathway.status,
        "started_on": pathway.started_on,
        "finished_on": pathway.finished_on,
        "cost_band": pathway.cost_band,
        "lessons": pathway.lessons,
        "pipeline_item": pathway.pipeline_item.slug if pathway.pipeline_item else "",
    }
