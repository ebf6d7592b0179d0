"""Forms for joint procurement windows: the window's length (a GET filter) and the
"interested in joint procurement" action."""

from typing import Any

from django import forms

from localdigital.estate.models import Function, Product
from localdigital.estate.selectors.procurement import DEFAULT_WINDOW, WINDOW_MONTHS
from localdigital.organisations.models import Organisation


class WindowForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Contracts ending within",
        choices=[(str(m), f"{m} months") for m in WINDOW_MONTHS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_WINDOW,
        initial=str(DEFAULT_WINDOW),
        error_messages={"invalid_choice": "Choose a window from the list"},
    )

    def months_value(self) -> int:
        if self.is_valid():
            return int(self.cleaned_data["months"] or DEFAULT_WINDOW)
        return DEFAULT_WINDOW


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which council is interested?",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which of your councils is interested",
            "invalid_choice": "Choose one of your councils",
        },
    )
    function = forms.ModelChoiceField(
        queryset=Function.objects.all(), to_field_name="key", widget=forms.HiddenInput
    )
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(status=Product.Status.APPROVED),
        to_field_name="slug",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = organisations
        field.label_from_instance = lambda o: o.short_name
