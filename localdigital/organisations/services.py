"""Writes for organisations: creating them, changing their details, and their email domains.

Views fetch the organisation through `localdigital.core.access` first; these services then apply
the finer rule of who may change what (an organisation's admins may only switch automatic joining;
the reference data owns a council's names).
"""

import re
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from localdigital.audit.services import event_log
from localdigital.core.access import is_org_admin, is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations.models import Organisation, OrganisationDomain

NAME_REQUIRED = "Enter the organisation's official name"
SHORT_NAME_REQUIRED = "Enter the name to show in lists"
NAME_TAKEN = "There is already an organisation called {name}"
KIND_REQUIRED = "Select the type of organisation"
KIND_FROM_REFERENCE_DATA = (
    "Councils come from the reference data, so they cannot be added here. "
    "Select another type of organisation"
)
REFERENCE_DATA_OWNS_NAMES = (
    "This organisation's names and type come from the reference data, "
    "so they cannot be changed here"
)
ONLY_STAFF = "Only the programme team can change this"
DOMAIN_REQUIRED = "Enter a domain name"
DOMAIN_FORMAT = "Enter a domain name in the correct format, like hackney.gov.uk"
DOMAIN_PUBLIC = "Enter a domain your organisation owns, not a public email service like gmail.com"
DOMAIN_TAKEN = "That domain already belongs to {organisation}"

# Kinds programme staff add by hand. Councils come only from the reference data file.
CREATABLE_KINDS = tuple(k for k in Organisation.Kind if k != Organisation.Kind.COUNCIL)

# A plain DNS name: labels of letters, digits and inner hyphens, and a top-level domain of letters.
DOMAIN_PATTERN = re.compile(
    r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
# Anyone can get an address at these, so they never prove someone works somewhere.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "me.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "yahoo.co.uk",
        "yahoo.com",
    }
)
# Codes that would clash with the directory's own URLs (/organisations/new/).
RESERVED_CODES = frozenset({"new"})


def details_editable(organisation: Organisation) -> bool:
    """Whether programme staff may change the names and type here (not for councils, whose
    details belong to the reference data)."""
    return not organisation.is_reference_data and organisation.kind in CREATABLE_KINDS


def normalise_domain(value: str) -> str:
    """A domain name as the Hub stores it: trimmed, lower-case, without a leading `@` or dot.

    Raises ApplicationError with the GOV.UK message for an empty or malformed domain.
    """
    domain = value.strip().lower().lstrip("@").rstrip(".")
    if not domain:
        raise ApplicationError(DOMAIN_REQUIRED, field="domain")
    if not DOMAIN_PATTERN.match(domain):
        raise ApplicationError(DOMAIN_FORMAT, field="domain")
    if domain in PUBLIC_EMAIL_DOMAINS:
        raise ApplicationError(DOMAIN_PUBLIC, field="domain")
    return domain


def _unique_code(short_name: str) -> str:
    """A URL code for a hand-made organisation, unlike any other code in any letter case."""
    base = slugify(short_name)[:34].strip("-") or "organisation"
    code, number = base, 1
    while code in RESERVED_CODES or Organisation.objects.filter(code__iexact=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


def _clean_names(name: str, short_name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    short_name = " ".join(short_name.split())
    if not name:
        raise ApplicationError(NAME_REQUIRED, field="name")
    if not short_name:
        raise ApplicationError(SHORT_NAME_REQUIRED, field="short_name")
    return name, short_name


def _clean_alt_names(alt_names: str) -> str:
    return "\n".join(" ".join(line.split()) for line in alt_names.splitlines() if line.strip())


def _check_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    others = Organisation.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ApplicationError(NAME_TAKEN.format(name=name), field="name")


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    short_name: str,
    kind: str,
    nation: str = "",
    alt_names: str = "",
) -> Organisation:
    """Add an organisation that is not a council (a department, NHS body, supplier...).

    Only programme staff may do this. The organisation gets a URL code made from its short name.
    """
    if not is_programme_staff(actor):
        raise ApplicationError(ONLY_STAFF)
    name, short_name = _clean_names(name, short_name)
    if not kind:
        raise ApplicationError(KIND_REQUIRED, field="kind")
    if kind not in CREATABLE_KINDS:
        raise ApplicationError(KIND_FROM_REFERENCE_DATA, field="kind")
    _check_name_free(name)
    organisation = Organisation(
        code=_unique_code(short_name),
        kind=kind,
        name=name,
        short_name=short_name,
        nation=nation,
        alt_names=_clean_alt_names(alt_names),
        is_current=True,
    )
    organisation.search_text = organisation.build_search_text()
    organisation.full_clean()
    organisation.save()
    event_log(
        actor=actor,
        action="organisation.create",
        summary=f"Added the organisation {organisation.name} ({organisation.get_kind_display()})",
        obj=organisation,
        organisation=organisation,
        data={"code": organisation.code, "kind": organisation.kind},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    nation: str | None = None,
    alt_names: str | None = None,
    is_current: bool | None = None,
    allow_automatic_joining: bool | None = None,
) -> Organisation:
    """Change an organisation's details or settings. Arguments left as None stay as they are.

    Programme staff may change anything on an organisation they added; on a council from the
    reference data, only its settings. The organisation's own admins may change its settings.
    """
    staff = is_programme_staff(actor)
    if not (staff or is_org_admin(actor, organisation)):
        raise ApplicationError(ONLY_STAFF)
    requested: dict[str, Any] = {
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "nation": nation,
        "alt_names": _clean_alt_names(alt_names) if alt_names is not None else None,
        "is_current": is_current,
    }
    details = {key: value for key, value in requested.items() if value is not None}
    if details:
        if not staff:
            raise ApplicationError(ONLY_STAFF)
        if not details_editable(organisation):
            raise ApplicationError(REFERENCE_DATA_OWNS_NAMES)
        details["name"], details["short_name"] = _clean_names(
            details.get("name", organisation.name),
            details.get("short_name", organisation.short_name),
        )
        if "kind" in details and details["kind"] not in CREATABLE_KINDS:
            raise ApplicationError(KIND_FROM_REFERENCE_DATA, field="kind")
        _check_name_free(details["name"], exclude_pk=organisation.pk)
    if allow_automatic_joining is not None:
        details["allow_automatic_joining"] = allow_automatic_joining

    changed = {
        key: {"from": getattr(organisation, key), "to": value}
        for key, value in details.items()
        if getattr(organisation, key) != value
    }
    if not changed:
        return organisation
    for key in changed:
        setattr(organisation, key, details[key])
    organisation.search_text = organisation.build_search_text()
    organisation.full_clean()
    organisation.save(update_fields=[*changed, "search_text", "updated_at"])
    event_log(
        actor=actor,
        action="organisation.update",
        summary=f"Changed {', '.join(k.replace('_', ' ') for k in changed)} of {organisation}",
        obj=organisation,
        organisation=organisation,
        data={
            "changes": {k: {"from": str(c["from"]), "to": str(c["to"])} for k, c in changed.items()}
        },
    )
    return organisation


@transaction.atomic
def organisation_domain_add(
    *, actor: Any, organisation: Organisation, domain: str
) -> OrganisationDomain:
    """Record that an organisation owns an email domain. Programme staff only.

    A domain belongs to one organisation at most: it decides whom people signing up are
    suggested to join.
    """
    if not is_programme_staff(actor):
        raise ApplicationError(ONLY_STAFF)
    domain = normalise_domain(domain)
    owner = OrganisationDomain.objects.filter(domain=domain).select_related("organisation").first()
    if owner is not None:
        raise ApplicationError(
            DOMAIN_TAKEN.format(organisation=owner.organisation.name), field="domain"
        )
    record = OrganisationDomain(organisation=organisation, domain=domain)
    record.full_clean()
    record.save()
    event_log(
        actor=actor,
        action="organisation.domain_add",
        summary=f"Added the email domain {domain} to {organisation}",
        obj=record,
        organisation=organisation,
        data={"domain": domain},
    )
    return record


@transaction.atomic
def organisation_domain_remove(*, actor: Any, domain: OrganisationDomain) -> None:
    """Remove an email domain from its organisation. Programme staff only.

    People who already joined keep their memberships; new sign-ups on the domain are no longer
    pointed at the organisation.
    """
    if not is_programme_staff(actor):
        raise ApplicationError(ONLY_STAFF)
    organisation = domain.organisation
    name, pk = domain.domain, domain.pk
    domain.delete()
    event_log(
        actor=actor,
        action="organisation.domain_remove",
        summary=f"Removed the email domain {name} from {organisation}",
        organisation=organisation,
        data={"domain": name, "domain_id": pk},
    )
