"""Estate pages: importing a council's register from a spreadsheet, the template, and the
export. Routes are listed in `urlpatterns` and collected by estate/urls.py."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, re_path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.rendering import render_page
from localdigital.estate import exports
from localdigital.estate.access import access_import_for_user, access_register_for_member
from localdigital.estate.forms.imports import (
    ImportUploadForm,
    UnknownProductsForm,
    product_choices,
)
from localdigital.estate.models import EstateImport, Product
from localdigital.estate.services import imports as services

NAV = "estate"
# The preview lists this many row errors; the rest are counted.
ERRORS_SHOWN = 500


page = partial(render_page, nav_section=NAV, template_dir="estate")


def _download(content: bytes, file_format: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a register file; it is checked and shown as a preview before anything is saved."""
    organisation = access_register_for_member(request.user, code)
    form = (
        ImportUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else ImportUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            estate_import = services.import_start(
                actor=request.user,
                organisation=organisation,
                file_name=uploaded.name,
                data=uploaded.read(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("estate:import_preview", code=organisation.code, pk=estate_import.pk)
    return page(request, "import_upload.html", {"organisation": organisation, "form": form})


@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The empty template, in CSV or XLSX (public: it holds no council's data)."""
    return _download(exports.template(fmt), fmt, f"estate-register-template.{fmt}")


@login_required
@require_GET
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A council's register in the template's columns, for its members (audited)."""
    organisation = access_register_for_member(request.user, code)
    content = services.register_export(
        actor=request.user, organisation=organisation, file_format=fmt
    )
    today = timezone.localdate().isoformat()
    return _download(content, fmt, f"{organisation.code}-estate-register-{today}.{fmt}")


def _products() -> Any:
    return (
        Product.objects.filter(status=Product.Status.APPROVED)
        .select_related("supplier")
        .order_by("name", "supplier__name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """What the import would do, its row errors, and a question for each unknown product."""
    estate_import = access_import_for_user(
        request.user, code, pk, with_rows=request.method == "POST"
    )
    organisation = estate_import.organisation
    in_preview = estate_import.status == EstateImport.Status.PREVIEW
    form = None
    if estate_import.unknown_products and in_preview:
        form = UnknownProductsForm(
            request.POST if request.method == "POST" else None,
            unknown=estate_import.unknown_products,
            choices=product_choices(_products()),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.import_map(
                    actor=request.user, estate_import=estate_import, answers=form.answers()
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Your answers are saved and the file checked again.")
                return redirect("estate:import_preview", code=organisation.code, pk=pk)
    # (position, entry): the position names the entry's field in the form.
    unmapped = [
        (index, entry)
        for index, entry in enumerate(estate_import.unknown_products)
        if not entry["product"] and not entry["in_house"]
    ]
    errors = estate_import.errors
    # Before the person has answered, each unanswered question shows its message on the field.
    pending = {}
    if form is not None and not form.is_bound:
        pending = {
            f"product_{index}": form[f"product_{index}"].field.error_messages["required"]
            for index, _ in unmapped
        }
    context = {
        "organisation": organisation,
        "estate_import": estate_import,
        "in_preview": in_preview,
        "form": form,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
        "error_rows": len({error[0] for error in errors}),
        "unmapped": unmapped,
        "pending": pending,
        "ready": in_preview and not errors and not unmapped,
        "to_write": estate_import.created_count + estate_import.updated_count,
        "applied_at": (
            timezone.localtime(estate_import.applied_at) if estate_import.applied_at else None
        ),
    }
    return page(request, "import_preview.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    estate_import = access_import_for_user(request.user, code, pk, with_rows=True)
    try:
        services.import_apply(actor=request.user, estate_import=estate_import)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Your register is updated: {estate_import.created_count} systems added and "
            f"{estate_import.updated_count} changed.",
        )
    return redirect("estate:import_preview", code=code, pk=pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    estate_import = access_import_for_user(request.user, code, pk)
    try:
        services.import_cancel(actor=request.user, estate_import=estate_import)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("estate:import_preview", code=code, pk=pk)
    messages.success(request, "The import is cancelled: nothing in your register changed.")
    return redirect("estate:import", code=code)


urlpatterns: list[URLPattern] = [
    re_path(r"^import/template\.(?P<fmt>csv|xlsx)$", import_template, name="import_template"),
    path("councils/<str:code>/import/", import_upload, name="import"),
    path("councils/<str:code>/import/<int:pk>/", import_preview, name="import_preview"),
    path("councils/<str:code>/import/<int:pk>/apply/", import_apply, name="import_apply"),
    path("councils/<str:code>/import/<int:pk>/cancel/", import_cancel, name="import_cancel"),
    re_path(r"^councils/(?P<code>[^/]+)/export\.(?P<fmt>csv|xlsx)$", export, name="export"),
]
