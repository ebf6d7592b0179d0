"""Access helpers for importing and exporting a council's register (to move into
core/access.py). Only the council's active members may import into or export its register;
anyone else gets 404, so nobody learns what another council has uploaded."""

from typing import Any

from django.http import Http404

from localdigital.core.access import is_member
from localdigital.estate.models import EstateImport
from localdigital.organisations.models import Organisation


def access_register_for_member(user: Any, code: str) -> Organisation:
    """The council with this code, for one of its active members (404 for anyone else)."""
    if not (user and user.is_authenticated):
        raise Http404("No such council")
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None or not is_member(user, organisation):
        raise Http404("No such council")
    return organisation


def access_import_for_user(
    user: Any, code: str, pk: int, *, with_rows: bool = False
) -> EstateImport:
    """One of a council's imports, for one of its members. The parsed rows (large) are only
    loaded when the caller is going to check or apply them."""
    organisation = access_register_for_member(user, code)
    imports = EstateImport.objects.filter(pk=pk, organisation=organisation)
    if not with_rows:
        imports = imports.defer("rows")
    estate_import = imports.select_related("created_by").first()
    if estate_import is None:
        raise Http404("No such import")
    estate_import.organisation = organisation
    return estate_import
