"""The one adapter from Django forms to GOV.UK Frontend macro parameters.

Pages never hand-write `govuk-form-group` markup: they call the wrappers in
`templates/components/forms.html`, which call `govuk.field(bound_field)` to get the parameters for
the official macro. Widgets choose the macro: text-like inputs -> govukInput, Textarea ->
govukTextarea, Select -> govukSelect, RadioSelect -> govukRadios, CheckboxSelectMultiple ->
govukCheckboxes, CheckboxInput -> a single govukCheckboxes item, DateInput -> govukDateInput,
FileInput -> govukFileUpload.
"""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

WIDTH_CLASSES = {
    "email": "govuk-!-width-two-thirds",
    "password": "govuk-!-width-one-half",
}


def macro_for(bound: BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if getattr(widget, "govuk_macro", None):
        return str(widget.govuk_macro)
    if getattr(widget, "input_type", "") == "password":
        return "password"
    return "input"


def _error(bound: BoundField) -> dict | None:
    if bound.errors:
        return {"text": " ".join(str(e) for e in bound.errors)}
    return None


def _label(bound: BoundField, *, is_page_heading: bool = False, size: str = "m") -> dict:
    label: dict[str, Any] = {"text": str(bound.label)}
    if is_page_heading:
        label.update(
            {"isPageHeading": True, "classes": f"govuk-label--{'l' if size == 'l' else size}"}
        )
    return label


def _hint(bound: BoundField) -> dict | None:
    return {"text": str(bound.help_text)} if bound.help_text else None


def _choices(bound: BoundField) -> list[tuple[Any, Any]]:
    return list(getattr(bound.field, "choices", []))


def _attributes(widget: forms.Widget) -> dict:
    skip = {"class", "id", "name", "type", "value", "required"}
    return {k: v for k, v in widget.attrs.items() if k not in skip and v not in (None, False)}


def field(bound: BoundField, **overrides: Any) -> dict:
    """Return the macro name and parameters for a bound field.

    `overrides` lets a page set classes, a page-heading label or a fieldset legend size.
    """
    macro = macro_for(bound)
    widget = bound.field.widget
    is_page_heading = overrides.pop("is_page_heading", False)
    params: dict[str, Any] = {
        "id": bound.id_for_label or bound.auto_id,
        "name": bound.html_name,
        "hint": _hint(bound),
        "errorMessage": _error(bound),
    }
    value = bound.value()
    if macro == "date":
        return {"macro": macro, "params": _date_params(bound, params, overrides)}
    if macro == "password":
        params["label"] = _label(bound, is_page_heading=is_page_heading)
        params["autocomplete"] = widget.attrs.get("autocomplete", "current-password")
        params["classes"] = WIDTH_CLASSES["password"]
        params.update(overrides)
        return {"macro": macro, "params": params}
    if macro == "file":
        params["label"] = _label(bound, is_page_heading=is_page_heading)
        params["attributes"] = _attributes(widget)
        params.update(overrides)
        return {"macro": macro, "params": params}
    if macro in {"input", "textarea", "select"}:
        params["label"] = _label(bound, is_page_heading=is_page_heading)
        if macro == "input":
            input_type = getattr(widget, "input_type", "text")
            params["type"] = input_type
            params["value"] = "" if value is None or input_type == "password" else str(value)
            params["classes"] = WIDTH_CLASSES.get(input_type, "")
            autocomplete = widget.attrs.get("autocomplete")
            if autocomplete:
                params["autocomplete"] = autocomplete
            if input_type == "email":
                params["spellcheck"] = False
        elif macro == "textarea":
            params["value"] = "" if value is None else str(value)
            params["rows"] = widget.attrs.get("rows", 5)
        else:
            selected = "" if value is None else str(value)
            params["items"] = [
                {"value": str(v), "text": str(t), "selected": str(v) == selected}
                for v, t in _choices(bound)
            ]
        params["attributes"] = _attributes(widget)
    elif macro in {"radios", "checkboxes"}:
        legend_size = overrides.pop("legend_size", "m")
        params["fieldset"] = {
            "legend": {
                "text": str(bound.label),
                "isPageHeading": is_page_heading,
                "classes": f"govuk-fieldset__legend--{'l' if is_page_heading else legend_size}",
            }
        }
        chosen = value if isinstance(value, list | tuple) else [value]
        chosen_str = {str(v) for v in chosen if v not in (None, "")}
        params["items"] = [
            {"value": str(v), "text": str(t), "checked": str(v) in chosen_str}
            for v, t in _choices(bound)
            if str(v) != "" or macro == "checkboxes"
        ]
        params["idPrefix"] = params.pop("id")
    elif macro == "checkbox":
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {
                "value": "true",
                "text": str(bound.label),
                "checked": bool(value),
                "hint": params.pop("hint"),
            }
        ]
        params["hint"] = None
        macro = "checkboxes"
    params.update(overrides)
    return {"macro": macro, "params": params}


def _date_params(bound: BoundField, params: dict[str, Any], overrides: dict) -> dict:
    """Parameters for govukDateInput: a fieldset of day, month and year inputs."""
    is_page_heading = overrides.pop("is_page_heading", False)
    legend_size = overrides.pop("legend_size", "m")
    value = bound.value()
    parts = bound.field.widget.decompress(value) if not isinstance(value, list | tuple) else value
    day, month, year = (list(parts) + ["", "", ""])[:3]
    missing = _missing_date_parts(bound)
    params["namePrefix"] = params.pop("name")
    params["fieldset"] = {
        "legend": {
            "text": str(bound.label),
            "isPageHeading": is_page_heading,
            "classes": f"govuk-fieldset__legend--{'l' if is_page_heading else legend_size}",
        }
    }
    widths = {"day": 2, "month": 2, "year": 4}
    params["items"] = [
        {
            "name": part,
            "label": part.capitalize(),
            # Only the boxes at fault are marked: all three when the date as a whole is wrong.
            "classes": f"govuk-input--width-{widths[part]}"
            + (" govuk-input--error" if bound.errors and (not missing or part in missing) else ""),
            "value": entered or "",
        }
        for part, entered in zip(("day", "month", "year"), (day, month, year), strict=True)
    ]
    params.update(overrides)
    return params


def _missing_date_parts(bound: BoundField) -> list[str]:
    """The boxes left empty in a date that was partly filled in (none if all or none are)."""
    value = bound.value()
    if not isinstance(value, list | tuple):
        return []
    empty = [p for p, v in zip(("day", "month", "year"), value, strict=False) if not v]
    return empty if len(empty) < 3 else []


def error_summary(*forms_: forms.BaseForm) -> list[dict]:
    """Error-summary items with links to the field in error, in the order fields appear."""
    items: list[dict] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": "#main-content"})
        for name in form.fields:
            bound = form[name]
            if bound.errors:
                macro = macro_for(bound)
                anchor = bound.id_for_label or bound.auto_id
                if macro in {"radios", "checkboxes", "checkbox"}:
                    anchor = bound.auto_id
                elif macro == "date":
                    # GOV.UK links to the first box at fault.
                    anchor = f"{bound.auto_id}-{(_missing_date_parts(bound) or ['day'])[0]}"
                for error in bound.errors:
                    items.append({"text": str(error), "href": f"#{anchor}"})
    return items
