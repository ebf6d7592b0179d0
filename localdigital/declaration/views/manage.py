"""Pages where organisations sign the Declaration and manage their commitments.

Signing is a form page, then a check-your-answers page (the answers wait in the session), then
a confirmation. Everything else is one form page that posts, then redirects.
"""

import datetime
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from localdigital.core.access import (
    access_commitment_for_user,
    access_commitment_partner_for_user,
    access_organisation_for_user,
    access_signing_for_user,
    can_act_for_declaration,
    can_act_for_organisations,
    is_programme_staff,
)
from localdigital.core.exceptions import ApplicationError
from localdigital.core.forms import add_service_error
from localdigital.core.rendering import render_page
from localdigital.declaration import services
from localdigital.declaration.forms import (
    CommitmentForm,
    CorrectionForm,
    OfflineSigningForm,
    PartnerResponseForm,
    ProgressForm,
    SigningForm,
    WithdrawForm,
)
from localdigital.declaration.models import CommitmentPartner, Principle, Signing
from localdigital.organisations.models import Membership, Organisation

NAV = "organisations"


def _session_key(organisation: Organisation) -> str:
    return f"declaration-sign-{organisation.pk}"


_page = partial(render_page, nav_section=NAV, template_dir="declaration/manage")


def _blocked(
    request: HttpRequest,
    organisation: Organisation,
    heading: str,
    message: str,
    *,
    show_withdraw: bool = False,
) -> HttpResponse:
    return _page(
        request,
        "blocked.html",
        {
            "organisation": organisation,
            "heading": heading,
            "message": message,
            "show_withdraw": show_withdraw,
        },
    )


def _sign_blocker(request: HttpRequest, organisation: Organisation) -> HttpResponse | None:
    """The page to show instead of the signing form, when the organisation cannot sign."""
    heading = "You cannot sign the Declaration"
    if not organisation.is_current:
        return _blocked(
            request,
            organisation,
            heading,
            services.NOT_CURRENT.format(organisation=organisation.short_name),
        )
    if services.active_signing(organisation) is not None:
        return _blocked(
            request,
            organisation,
            heading,
            services.ALREADY_SIGNED.format(organisation=organisation.short_name),
            show_withdraw=True,
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, code: str) -> HttpResponse:
    """The signing questions; valid answers go to the session and on to the check page."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    blocked = _sign_blocker(request, organisation)
    if blocked is not None:
        return blocked
    key = _session_key(organisation)
    if request.method == "POST":
        form = SigningForm(request.POST)
        if form.is_valid():
            request.session[key] = form.to_session()
            return redirect("declaration:sign_check", code=organisation.code)
    else:
        form = SigningForm(initial=request.session.get(key) or {})
    return _page(request, "sign.html", {"organisation": organisation, "form": form})


def _answers(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    answers = request.session.get(_session_key(organisation))
    if not isinstance(answers, dict) or "signed_on" not in answers:
        return None
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def sign_check(request: HttpRequest, code: str) -> HttpResponse:
    """Check your answers, then sign."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    answers = _answers(request, organisation)
    if answers is None:
        return redirect("declaration:sign", code=organisation.code)
    principles = list(Principle.objects.filter(key__in=answers["principles"]))
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.signing_create(
                actor=request.user,
                organisation=organisation,
                signed_on=datetime.date.fromisoformat(answers["signed_on"]),
                senior_officer_name=answers["senior_officer_name"],
                senior_officer_role=answers["senior_officer_role"],
                political_lead_name=answers["political_lead_name"],
                political_lead_role=answers["political_lead_role"],
                principles=principles,
                statement=answers.get("statement", ""),
            )
        except ApplicationError as error:
            href = reverse("declaration:sign", kwargs={"code": organisation.code})
            if error.field:
                href += f"#id_{error.field}"
            errors.append({"text": error.message, "href": href})
        else:
            del request.session[_session_key(organisation)]
            return redirect("declaration:sign_done", code=organisation.code)
    return _page(
        request,
        "sign_check.html",
        {
            "organisation": organisation,
            "answers": answers,
            "signed_on": datetime.date.fromisoformat(answers["signed_on"]),
            "principles": sorted(principles, key=lambda p: p.position),
            "errors": errors,
            "has_errors": bool(errors),
        },
    )


@login_required
@require_GET
def sign_done(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation panel after signing."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    signing = services.active_signing(organisation)
    if signing is None:
        return redirect(organisation.get_absolute_url())
    return _page(request, "sign_done.html", {"organisation": organisation, "signing": signing})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for the reason and confirmation, then withdraw the organisation's signature."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    signing = services.active_signing(organisation)
    if signing is None:
        return _blocked(
            request,
            organisation,
            "There is nothing to withdraw",
            f"{organisation.short_name} has not signed the Declaration.",
        )
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signing_withdraw(
                actor=request.user, signing=signing, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{organisation.short_name} has withdrawn from the Local Digital Declaration.",
            )
            return redirect(organisation.get_absolute_url())
    return _page(
        request, "withdraw.html", {"organisation": organisation, "signing": signing, "form": form}
    )


def _staff_only(request: HttpRequest) -> None:
    if not is_programme_staff(request.user):
        raise Http404("No such page")


@login_required
@require_http_methods(["GET", "POST"])
def signing_record(request: HttpRequest) -> HttpResponse:
    """Programme staff record a signing made outside the Hub."""
    _staff_only(request)
    if request.method == "POST":
        form = OfflineSigningForm(request.POST)
    else:
        form = OfflineSigningForm(initial={"organisation": request.GET.get("organisation", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            services.signing_record_offline(actor=request.user, organisation=organisation, **data)
        except ApplicationError as error:
            if error.field is None:
                error.field = "organisation"
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Recorded that {organisation.short_name} signed the Declaration offline.",
            )
            return redirect(organisation.get_absolute_url())
    return _page(request, "record.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def signing_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Programme staff correct the recorded details of any signing."""
    _staff_only(request)
    signing = access_signing_for_user(request.user, pk, write=True)
    form = CorrectionForm(request.POST if request.method == "POST" else None, signing=signing)
    if request.method == "POST" and form.is_valid():
        try:
            services.signing_correct(actor=request.user, signing=signing, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The signing record has been corrected.")
            return redirect(signing.organisation.get_absolute_url())
    return _page(request, "correct.html", {"signing": signing, "form": form})


def _commitment_kwargs(form: CommitmentForm) -> dict[str, Any]:
    return {
        "year": form.cleaned_data["year"],
        "title": form.cleaned_data["title"],
        "mission": form.cleaned_data["mission"],
        "impact": form.cleaned_data["impact"],
        "principles": list(form.cleaned_data["principles"]),
        "partners": form.cleaned_data["partners"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def commitment_new(request: HttpRequest, code: str) -> HttpResponse:
    """Add a yearly commitment (signatories only)."""
    organisation = access_organisation_for_user(request.user, code, write=True)
    if services.active_signing(organisation) is None:
        return _blocked(
            request,
            organisation,
            "You cannot add a commitment yet",
            services.NOT_SIGNED.format(organisation=organisation.short_name),
        )
    form = CommitmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                actor=request.user, organisation=organisation, **_commitment_kwargs(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            message = "Your commitment has been added."
            if form.cleaned_data["partners"]:
                message += " Each partner has been asked to confirm."
            messages.success(request, message)
            return redirect("declaration:commitment_detail", pk=commitment.pk)
    return _page(
        request,
        "commitment_form.html",
        {"organisation": organisation, "form": form, "commitment": None},
    )


def _admin_organisation_ids(user: Any) -> set[int]:
    """The organisations this person administers, in one query (for partner actions)."""
    if not can_act_for_organisations(user):
        return set()
    return set(
        Membership.objects.filter(
            user=user, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
        ).values_list("organisation_id", flat=True)
    )


@require_GET
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment's public record, with the actions the person may take on it."""
    commitment = access_commitment_for_user(request.user, pk)
    staff = is_programme_staff(request.user)
    admin_of = _admin_organisation_ids(request.user)
    can_manage = staff or commitment.organisation_id in admin_of
    partners = []
    for partner in commitment.partners.all():
        is_partner_admin = partner.organisation_id in admin_of
        # A declined partner is not shown to the public: it said it is not part of this work.
        if partner.status == CommitmentPartner.Status.DECLINED and not (
            can_manage or is_partner_admin
        ):
            continue
        partners.append({"partner": partner, "can_respond": is_partner_admin})
    return _page(
        request,
        "commitment_detail.html",
        {
            "commitment": commitment,
            "organisation": commitment.organisation,
            "partners": partners,
            "principles": list(commitment.principles.all()),
            "can_manage": can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = access_commitment_for_user(request.user, pk, write=True)
    form = CommitmentForm.for_commitment(
        commitment, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                actor=request.user, commitment=commitment, **_commitment_kwargs(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("declaration:commitment_detail", pk=commitment.pk)
    return _page(
        request,
        "commitment_form.html",
        {"organisation": commitment.organisation, "form": form, "commitment": commitment},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = access_commitment_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = ProgressForm(request.POST)
    else:
        initial = {"progress": commitment.progress or None, "note": commitment.progress_note}
        form = ProgressForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_progress_report(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your progress report has been saved.")
            return redirect("declaration:commitment_detail", pk=commitment.pk)
    return _page(request, "progress.html", {"commitment": commitment, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def partner_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner organisation's admin confirms or declines being named in a commitment."""
    partner = access_commitment_partner_for_user(request.user, pk)
    if request.method == "POST":
        form = PartnerResponseForm(request.POST)
    else:
        answered = partner.status != CommitmentPartner.Status.AWAITING
        form = PartnerResponseForm(initial={"status": partner.status if answered else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_partner_respond(
                actor=request.user, partner=partner, status=form.cleaned_data["status"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            name = partner.organisation.short_name
            if form.cleaned_data["status"] == CommitmentPartner.Status.CONFIRMED:
                messages.success(request, f"You confirmed that {name} is a partner.")
            else:
                messages.success(request, f"You declined for {name} to be named as a partner.")
            return redirect("declaration:commitment_detail", pk=partner.commitment_id)
    return _page(
        request,
        "partner_respond.html",
        {"partner": partner, "commitment": partner.commitment, "form": form},
    )


def admin_actions(user: Any, organisation: Organisation, signing: Signing | None) -> list[dict]:
    """The Declaration buttons an organisation's page shows this person (none for most people).

    `signing` is the organisation's active signing, or None. Returns govukButton parameters.
    The council page's Declaration section passes these to `declaration/manage/_actions.html`.
    """
    if not can_act_for_declaration(user, organisation):
        return []
    code = organisation.code
    actions: list[dict] = []
    if signing is None:
        if organisation.is_current:
            actions.append(
                {"text": "Sign the Declaration", "href": reverse("declaration:sign", args=[code])}
            )
            if is_programme_staff(user):
                actions.append(
                    {
                        "text": "Record an offline signing",
                        "href": f"{reverse('declaration:signing_record')}?organisation={code}",
                        "classes": "govuk-button--secondary",
                    }
                )
        return actions
    actions.append(
        {"text": "Add a commitment", "href": reverse("declaration:commitment_new", args=[code])}
    )
    if is_programme_staff(user):
        actions.append(
            {
                "text": "Correct the signing record",
                "href": reverse("declaration:signing_correct", args=[signing.pk]),
                "classes": "govuk-button--secondary",
            }
        )
    actions.append(
        {
            "text": "Withdraw from the Declaration",
            "href": reverse("declaration:withdraw", args=[code]),
            "classes": "govuk-button--warning",
        }
    )
    return actions
