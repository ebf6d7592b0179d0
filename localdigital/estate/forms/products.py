"""Forms for the product list: finding products, proposing one, reviewing proposals and
changing a product. Forms check the shape of input; the rules (and their messages) are the
services'."""

from typing import Any
from urllib.parse import urlparse

from django import forms

from localdigital.catalogue.models import Asset
from localdigital.core.forms import GovukDateField
from localdigital.estate.models import Function, Hosting, Product, Supplier
from localdigital.estate.services import products as product_services
from localdigital.estate.services import systems as system_services

ASSET_NOT_FOUND = "Enter the address of a solution in the catalogue, or leave this blank"
DECISION_REQUIRED = "Choose whether to approve or reject the product"


def _functions_field(label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Function.objects.all(),
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": system_services.FUNCTIONS_REQUIRED,
            "invalid_choice": system_services.FUNCTIONS_REQUIRED,
            "invalid_pk_value": system_services.FUNCTIONS_REQUIRED,
        },
    )


class ProductFilterForm(forms.Form):
    """Search and filters on the product list. Unknown values are ignored, not errors."""

    q = forms.CharField(label="Product or supplier name", required=False, max_length=100)
    function = forms.ChoiceField(label="Used for", required=False)
    supplier = forms.ChoiceField(label="Supplier", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [
            ("", "All functions"),
            *Function.objects.values_list("key", "name"),
        ]
        suppliers = (
            Supplier.objects.filter(products__status=Product.Status.APPROVED)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["supplier"].choices = [("", "All suppliers"), *suppliers]

    def selected(self) -> dict[str, Any]:
        """The search and the chosen function and supplier (None when not chosen or unknown)."""
        data = self.cleaned_data if self.is_valid() else {}
        key, slug = data.get("function") or "", data.get("supplier") or ""
        return {
            "query": data.get("q") or "",
            "function": Function.objects.filter(key=key).first() if key else None,
            "supplier": Supplier.objects.filter(slug=slug).first() if slug else None,
        }


class ProductProposeForm(forms.Form):
    supplier_name = forms.CharField(
        label="Supplier",
        max_length=150,
        help_text="The company that sells or supports it, for example Civica",
        error_messages={
            "required": system_services.SUPPLIER_REQUIRED,
            "max_length": product_services.SUPPLIER_TOO_LONG,
        },
    )
    name = forms.CharField(
        label="Product name",
        max_length=150,
        error_messages={
            "required": system_services.PRODUCT_NAME_REQUIRED,
            "max_length": product_services.NAME_TOO_LONG,
        },
    )
    functions = _functions_field("What is it used for?")


class ProductReviewForm(forms.Form):
    product = forms.SlugField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")],
        error_messages={"required": DECISION_REQUIRED, "invalid_choice": DECISION_REQUIRED},
    )


class ProductEditForm(forms.Form):
    name = forms.CharField(
        label="Product name",
        max_length=150,
        error_messages={
            "required": system_services.PRODUCT_NAME_REQUIRED,
            "max_length": product_services.NAME_TOO_LONG,
        },
    )
    supplier_name = forms.CharField(
        label="Supplier",
        max_length=150,
        help_text="A supplier not yet on the list is added",
        error_messages={
            "required": system_services.SUPPLIER_REQUIRED,
            "max_length": product_services.SUPPLIER_TOO_LONG,
        },
    )
    functions = _functions_field("What is it used for?")
    hosting_models = forms.MultipleChoiceField(
        label="How is it offered? (optional)",
        required=False,
        choices=Hosting.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": product_services.HOSTING_UNKNOWN},
    )
    support_status = forms.ChoiceField(
        label="Vendor support status",
        choices=Product.SupportStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": product_services.SUPPORT_STATUS_REQUIRED,
            "invalid_choice": product_services.SUPPORT_STATUS_REQUIRED,
        },
    )
    end_of_support = GovukDateField(
        label="End of support date",
        required=False,
        help_text="Required when support has ended. For example, 31 3 2027",
    )
    catalogue_asset = forms.CharField(
        label="Catalogue solution (optional)",
        required=False,
        max_length=500,
        help_text="The address of its page in the catalogue, for example "
        "/catalogue/bin-collection-day-finder/, when it is open source or reusable",
    )

    @staticmethod
    def initial_for(product: Product) -> dict[str, Any]:
        asset = product.catalogue_asset
        return {
            "name": product.name,
            "supplier_name": product.supplier.name,
            "functions": [function.key for function in product.functions.all()],
            "hosting_models": list(product.hosting_models),
            "support_status": product.support_status,
            "end_of_support": product.end_of_support,
            "catalogue_asset": asset.get_absolute_url() if asset else "",
        }

    def clean_catalogue_asset(self) -> Asset | None:
        text = (self.cleaned_data.get("catalogue_asset") or "").strip()
        if not text:
            return None
        path = urlparse(text).path if "/" in text else text
        slug = [part for part in path.split("/") if part][-1:] or [""]
        asset = Asset.objects.filter(slug=slug[0]).first()
        if asset is None:
            raise forms.ValidationError(ASSET_NOT_FOUND)
        return asset

    def clean(self) -> dict[str, Any]:
        # The service checks this too; checking here shows it with the form's other errors.
        data = super().clean() or {}
        ended = data.get("support_status") == Product.SupportStatus.END_OF_SUPPORT
        if ended and data.get("end_of_support") is None and "end_of_support" not in self.errors:
            self.add_error("end_of_support", product_services.END_OF_SUPPORT_REQUIRED)
        return data

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in product_services.UPDATE_FIELDS}
