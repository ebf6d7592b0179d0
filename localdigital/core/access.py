"""Access helpers: the one place that decides who may read or change a scoped record.

Every scoped record is fetched through one of these. They raise Http404 both when the record is
missing and when it is not the person's, so nobody can learn that a record exists.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from localdigital.organisations.models import Membership, Organisation, OrganisationDomain


def is_programme_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_programme_staff)


def can_act_for_organisations(user: Any) -> bool:
    """Signed in, with a confirmed email address: only then may a person act for a council."""
    return bool(user and user.is_authenticated and user.email_verified_at is not None)


def active_membership(user: Any, organisation: Organisation) -> Membership | None:
    """The person's active membership of the organisation, or None.

    A person whose email address is not yet confirmed has no active memberships: they can sign
    in, but cannot act for an organisation until they prove they own the address.
    """
    if not can_act_for_organisations(user):
        return None
    return (
        Membership.objects.filter(
            user=user, organisation=organisation, status=Membership.Status.ACTIVE
        )
        .select_related("organisation")
        .first()
    )


def is_member(user: Any, organisation: Organisation) -> bool:
    return active_membership(user, organisation) is not None


def is_org_admin(user: Any, organisation: Organisation) -> bool:
    membership = active_membership(user, organisation)
    return membership is not None and membership.role == Membership.Role.ADMIN


def access_organisation_for_user(user: Any, code: str, *, write: bool = False) -> Organisation:
    """An organisation by code. Reading is public; writing needs an org admin or programme staff."""
    try:
        organisation = Organisation.objects.get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None
    if write and not (is_programme_staff(user) or is_org_admin(user, organisation)):
        raise Http404("No such organisation")
    return organisation


def access_membership_for_user(user: Any, pk: int, *, write: bool = False) -> Membership:
    """A membership. The person can read their own; the organisation's admins and programme
    staff can read and decide on it. Anyone else gets 404."""
    if not (user and user.is_authenticated):
        raise Http404("No such membership")
    try:
        membership = Membership.objects.select_related("user", "organisation").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such membership") from None
    if is_programme_staff(user) or is_org_admin(user, membership.organisation):
        return membership
    if not write and membership.user_id == user.pk:
        return membership
    raise Http404("No such membership")


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    """Whether the person may approve, decline, re-role or remove the organisation's members."""
    return is_programme_staff(user) or is_org_admin(user, organisation)


def access_members_for_user(user: Any, code: str) -> Organisation:
    """The organisation whose member pages the person manages (its admins, programme staff)."""
    if not (user and user.is_authenticated):
        raise Http404("No such organisation")
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None or not can_manage_members(user, organisation):
        raise Http404("No such organisation")
    return organisation


def access_organisation_membership_for_user(
    user: Any, organisation: Organisation, pk: int
) -> Membership:
    """A membership of a given organisation, for someone who manages its members."""
    membership = access_membership_for_user(user, pk, write=True)
    if membership.organisation_id != organisation.pk:
        raise Http404("No such membership")
    return membership


def access_person_for_staff(user: Any, pk: int) -> Any:
    """A person's account, for programme staff granting or removing global roles."""
    from localdigital.accounts.models import User

    if not is_programme_staff(user):
        raise Http404("No such person")
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def access_api_token_for_user(user: Any, pk: int) -> Any:
    """A personal API token: only its owner can see or revoke it, not even programme staff."""
    from localdigital.accounts.models import ApiToken

    if not (user and user.is_authenticated):
        raise Http404("No such token")
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404("No such token")
    return token


def access_organisation_domain_for_user(user: Any, code: str, pk: int) -> OrganisationDomain:
    """One of an organisation's email domains, for programme staff (who manage domains) only."""
    if not is_programme_staff(user):
        raise Http404("No such domain")
    try:
        return OrganisationDomain.objects.select_related("organisation").get(
            pk=pk, organisation__code=code
        )
    except OrganisationDomain.DoesNotExist:
        raise Http404("No such domain") from None


def can_act_for_declaration(user: Any, organisation: Organisation) -> bool:
    """Whether the person may sign, withdraw or manage commitments for the organisation."""
    return is_programme_staff(user) or is_org_admin(user, organisation)


def access_signing_for_user(user: Any, pk: int, *, write: bool = False) -> Any:
    """A Declaration signing. Signings are public records; changing one (withdrawing) needs an
    admin of its organisation or programme staff."""
    from localdigital.declaration.models import Signing

    signing = Signing.objects.select_related("organisation").filter(pk=pk).first()
    if signing is None:
        raise Http404("No such signing")
    if write and not can_act_for_declaration(user, signing.organisation):
        raise Http404("No such signing")
    return signing


def access_commitment_for_user(user: Any, pk: int, *, write: bool = False) -> Any:
    """A Declaration commitment. Its public fields are open to everyone; editing it and reporting
    progress need an admin of the owning organisation or programme staff."""
    from localdigital.declaration.models import Commitment

    commitment = (
        Commitment.objects.select_related("organisation", "signing")
        .prefetch_related("principles", "partners__organisation")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    if write and not can_act_for_declaration(user, commitment.organisation):
        raise Http404("No such commitment")
    return commitment


def access_commitment_partner_for_user(user: Any, pk: int) -> Any:
    """A partner's place in a commitment, for the partner organisation's admins, who alone
    decide whether their organisation is named. Anyone else, programme staff included, gets 404."""
    from localdigital.declaration.models import CommitmentPartner

    if not (user and user.is_authenticated):
        raise Http404("No such partner")
    partner = (
        CommitmentPartner.objects.select_related("organisation", "commitment__organisation")
        .filter(pk=pk)
        .first()
    )
    if partner is None or not is_org_admin(user, partner.organisation):
        raise Http404("No such partner")
    return partner


# --- Pipeline -------------------------------------------------------------------------------
# Items are public, for signed-in sector members, or drafts that only the lead organisation's
# members see (not even programme staff). Only the lead organisation's members and the members of
# accepted partner organisations (collaborators) may change an item; partners only the fields the
# owner agreed.


def active_organisation_ids(user: Any) -> set[int]:
    """Ids of the organisations the person is an active member of (empty when anonymous or
    unverified)."""
    if not can_act_for_organisations(user):
        return set()
    return set(
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )


def is_sector_member(user: Any) -> bool:
    """Signed in and either programme staff or an active member of some organisation: the people
    who see items shared with "signed-in sector members only"."""
    return is_programme_staff(user) or bool(active_organisation_ids(user))


def pipeline_visible_q(user: Any, prefix: str = "") -> Q:
    """A filter for the Pipeline items the person may see; `prefix` reaches items through a
    relation (e.g. "item__"). Every list, feed, search, similar-work list and API query uses it."""
    public = Q(**{f"{prefix}visibility": "public"})
    if not is_sector_member(user):
        return public
    shared = public | Q(**{f"{prefix}visibility": "members"})
    own = active_organisation_ids(user)
    if own:
        shared |= Q(**{f"{prefix}visibility": "draft", f"{prefix}organisation_id__in": own})
    return shared


def can_see_item(user: Any, item: Any) -> bool:
    if item.visibility == "public":
        return True
    if item.visibility == "members":
        return is_sector_member(user)
    return item.organisation_id in active_organisation_ids(user)


def is_item_owner(user: Any, item: Any) -> bool:
    """A member of the item's lead organisation."""
    return item.organisation_id in active_organisation_ids(user)


def is_item_collaborator(user: Any, item: Any) -> bool:
    """A member of one of the item's accepted partner organisations."""
    own = active_organisation_ids(user)
    if not own:
        return False
    from localdigital.pipeline.models import Partnership

    return Partnership.objects.filter(item=item, organisation_id__in=own).exists()


def can_edit_item(user: Any, item: Any) -> bool:
    return is_item_owner(user, item) or is_item_collaborator(user, item)


def _item_queryset() -> Any:
    from localdigital.pipeline.models import Item

    return Item.objects.select_related("organisation", "service_area", "key_contact")


def access_item_for_user(user: Any, slug: str, *, write: bool = False) -> Any:
    """A Pipeline item by slug. Reading follows its visibility; `write=True` needs the lead
    organisation's members or a collaborator (what a collaborator may change is decided by the
    service, from the item's agreed fields)."""
    item = _item_queryset().filter(slug=slug).first()
    if item is None or not can_see_item(user, item):
        raise Http404("No such item")
    if write and not can_edit_item(user, item):
        raise Http404("No such item")
    return item


def access_item_for_owner(user: Any, slug: str) -> Any:
    """A Pipeline item for the lead organisation's members only: visibility, partners, agreed
    fields, archiving and restoring, and answering interest."""
    item = _item_queryset().filter(slug=slug).first()
    if item is None or not is_item_owner(user, item):
        raise Http404("No such item")
    return item


def access_interest_for_user(user: Any, pk: int, *, respond: bool = False) -> Any:
    """An expression of interest: seen by the members of the interested organisation and of
    the item's lead organisation, nobody else. `respond=True` (accept, decline) needs the lead
    organisation's members."""
    from localdigital.pipeline.models import Interest

    own = active_organisation_ids(user)
    interest = (
        Interest.objects.select_related("item__organisation", "organisation", "person")
        .filter(pk=pk)
        .first()
    )
    if interest is None or not own:
        raise Http404("No such interest")
    owner = interest.item.organisation_id in own
    if not (owner or interest.organisation_id in own):
        raise Http404("No such interest")
    if respond and not owner:
        raise Http404("No such interest")
    return interest


def access_saved_search_for_user(user: Any, pk: int) -> Any:
    """A saved search, for the person who saved it only."""
    from localdigital.pipeline.models import SavedSearch

    if not (user and user.is_authenticated):
        raise Http404("No such saved search")
    saved = SavedSearch.objects.filter(pk=pk, user=user).first()
    if saved is None:
        raise Http404("No such saved search")
    return saved


# The catalogue. Assets, declared TCoP profiles and adoption records are public; only members of
# an asset's owning organisations change it or draft its profile; peer review needs a member of
# another organisation; assurance needs programme staff.


def is_asset_owner(user: Any, asset: Any) -> bool:
    """A member of one of the asset's owning organisations; for an asset no Hub organisation
    owns (imported from a publiccode.yml published abroad), programme staff look after it."""
    owners = list(asset.owners.all())
    if not owners:
        return is_programme_staff(user)
    own = active_organisation_ids(user)
    return bool(own) and any(o.pk in own for o in owners)


def access_asset_for_user(user: Any, slug: str, *, write: bool = False) -> Any:
    """A catalogue asset by slug. Anyone may read it; `write=True` needs an owner's member."""
    from localdigital.catalogue.models import Asset

    asset = (
        Asset.objects.filter(slug=slug)
        .select_related("origin__organisation")
        .prefetch_related("owners")
        .first()
    )
    if asset is None or (write and not is_asset_owner(user, asset)):
        raise Http404("No such asset")
    return asset


TCOP_ACTIONS = ("read", "edit", "review", "assure")


def access_tcop_profile_for_user(user: Any, asset: Any, pk: int, *, action: str = "read") -> Any:
    """One TCoP profile of `asset` (fetched through `access_asset_for_user` first).

    read: a draft only by the owners' members, any other profile by anyone; edit (claims,
    declaring): the owners' members, drafts only; review: a sector member from an organisation
    that does not own the asset, declared profiles only; assure: programme staff, peer-reviewed
    profiles only."""
    from localdigital.catalogue.models import TcopProfile

    if action not in TCOP_ACTIONS:
        raise ValueError(action)
    profile = (
        TcopProfile.objects.select_related("asset", "framework").filter(pk=pk, asset=asset).first()
    )
    if profile is None:
        raise Http404("No such profile")
    state = TcopProfile.State
    owner = is_asset_owner(user, asset)
    allowed = {
        "read": profile.state != state.DRAFT or owner,
        "edit": owner and profile.state == state.DRAFT,
        "review": (
            profile.state == state.DECLARED and bool(active_organisation_ids(user)) and not owner
        ),
        "assure": is_programme_staff(user) and profile.state == state.REVIEWED,
    }[action]
    if not allowed:
        raise Http404("No such profile")
    return profile


def access_adoption_for_user(user: Any, pk: int, *, write: bool = False) -> Any:
    """An adoption record. Anyone may read it (it is part of "used by"); changing, confirming
    or reviewing it needs a member of the adopting organisation."""
    from localdigital.catalogue.models import Adoption

    adoption = Adoption.objects.select_related("asset", "organisation").filter(pk=pk).first()
    if adoption is None:
        raise Http404("No such adoption record")
    if write and adoption.organisation_id not in active_organisation_ids(user):
        raise Http404("No such adoption record")
    return adoption


# --- Estate ---------------------------------------------------------------------------------
# The estate's helpers (a council's register, systems, imports, pathways, the product list) are
# in localdigital/estate/access.py; the frameworks' in localdigital/frameworks/access.py.
