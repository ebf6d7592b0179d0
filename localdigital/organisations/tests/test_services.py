"""Services that add organisations, change them and manage their email domains."""

import pytest

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.organisations import services
from localdigital.organisations.models import Organisation, OrganisationDomain
from localdigital.organisations.tests.factories import (
    OrganisationDomainFactory,
    OrganisationFactory,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("hackney.gov.uk", "hackney.gov.uk"),
        ("  Hackney.GOV.UK ", "hackney.gov.uk"),
        ("@hackney.gov.uk", "hackney.gov.uk"),
        ("hackney.gov.uk.", "hackney.gov.uk"),
        ("learning-pool.com", "learning-pool.com"),
    ],
)
def test_a_domain_is_stored_plain_and_lower_case(typed, stored):
    assert services.normalise_domain(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", services.DOMAIN_REQUIRED),
        ("   ", services.DOMAIN_REQUIRED),
        ("hackney", services.DOMAIN_FORMAT),
        ("https://hackney.gov.uk", services.DOMAIN_FORMAT),
        ("name@hackney.gov.uk", services.DOMAIN_FORMAT),
        ("hack ney.gov.uk", services.DOMAIN_FORMAT),
        ("-hackney.gov.uk", services.DOMAIN_FORMAT),
        ("hackney..gov.uk", services.DOMAIN_FORMAT),
        ("hackney.gov.uk/path", services.DOMAIN_FORMAT),
        ("hackney.123", services.DOMAIN_FORMAT),
        ("gmail.com", services.DOMAIN_PUBLIC),
    ],
)
def test_a_malformed_or_public_domain_is_refused_with_a_gov_uk_message(typed, message):
    with pytest.raises(ApplicationError) as raised:
        services.normalise_domain(typed)
    assert raised.value.message == message
    assert raised.value.field == "domain"


def test_a_domain_belongs_to_one_organisation_only(programme_staff, council, other_council):
    OrganisationDomainFactory(organisation=other_council, domain="cambridge.gov.uk")

    with pytest.raises(ApplicationError) as raised:
        services.organisation_domain_add(
            actor=programme_staff, organisation=council, domain="CAMBRIDGE.gov.uk"
        )

    assert raised.value.message == "That domain already belongs to Cambridge City Council"
    assert OrganisationDomain.objects.count() == 1


def test_adding_a_domain_is_audited_against_the_organisation(programme_staff, council):
    record = services.organisation_domain_add(
        actor=programme_staff, organisation=council, domain="hackney.gov.uk"
    )

    event = AuditEvent.objects.get(action="organisation.domain_add")
    assert event.actor == programme_staff
    assert event.organisation == council
    assert event.object_id == str(record.pk)


def test_an_organisation_admin_cannot_add_or_remove_domains(org_admin, council):
    domain = OrganisationDomainFactory(organisation=council)

    with pytest.raises(ApplicationError, match=services.ONLY_STAFF):
        services.organisation_domain_add(actor=org_admin, organisation=council, domain="x.gov.uk")
    with pytest.raises(ApplicationError, match=services.ONLY_STAFF):
        services.organisation_domain_remove(actor=org_admin, domain=domain)
    assert OrganisationDomain.objects.count() == 1


def test_programme_staff_add_an_organisation_with_a_code_made_from_its_name(programme_staff):
    organisation = services.organisation_create(
        actor=programme_staff,
        name="Dorset and Wiltshire Fire and Rescue Service",
        short_name="Dorset & Wiltshire Fire",
        kind=Organisation.Kind.FIRE_AND_RESCUE,
        alt_names="DWFRS\n\n  Dorset Fire  ",
    )

    assert organisation.code == "dorset-wiltshire-fire"
    assert organisation.alt_name_list == ["DWFRS", "Dorset Fire"]
    assert "|dwfrs|" in organisation.search_text
    assert not organisation.is_reference_data
    assert AuditEvent.objects.get(action="organisation.create").organisation == organisation


def test_a_code_never_clashes_with_another_in_any_letter_case_or_with_a_page(programme_staff):
    OrganisationFactory(code="NHSE")

    first = services.organisation_create(
        actor=programme_staff, name="NHS E", short_name="nhse", kind="nhs_body"
    )
    new = services.organisation_create(
        actor=programme_staff, name="New Ltd", short_name="New", kind="supplier"
    )

    assert first.code == "nhse-2"
    assert new.code == "new-2"


def test_a_second_organisation_with_the_same_name_is_refused(programme_staff):
    services.organisation_create(
        actor=programme_staff,
        name="Crown Commercial Service",
        short_name="CCS",
        kind="other_public_body",
    )

    with pytest.raises(ApplicationError) as raised:
        services.organisation_create(
            actor=programme_staff,
            name="crown commercial service",
            short_name="CCS",
            kind="other_public_body",
        )
    assert raised.value.field == "name"


def test_only_programme_staff_add_organisations(org_admin):
    with pytest.raises(ApplicationError):
        services.organisation_create(
            actor=org_admin, name="A supplier", short_name="A supplier", kind="supplier"
        )
    assert not Organisation.objects.filter(name="A supplier").exists()


def test_councils_are_not_added_by_hand(programme_staff):
    with pytest.raises(ApplicationError) as raised:
        services.organisation_create(
            actor=programme_staff, name="Newtown Council", short_name="Newtown", kind="council"
        )
    assert raised.value.message == services.KIND_FROM_REFERENCE_DATA


def test_an_admin_can_switch_automatic_joining_and_it_is_audited(org_admin, council):
    services.organisation_update(
        actor=org_admin, organisation=council, allow_automatic_joining=True
    )

    council.refresh_from_db()
    assert council.allow_automatic_joining is True
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.data["changes"] == {"allow_automatic_joining": {"from": "False", "to": "True"}}


def test_an_admin_cannot_rename_their_organisation(org_admin, council):
    with pytest.raises(ApplicationError, match=services.ONLY_STAFF):
        services.organisation_update(actor=org_admin, organisation=council, name="Renamed")
    council.refresh_from_db()
    assert council.name == "Hackney Council"


def test_an_admin_of_another_council_cannot_change_this_one(other_admin, council):
    with pytest.raises(ApplicationError):
        services.organisation_update(
            actor=other_admin, organisation=council, allow_automatic_joining=True
        )
    council.refresh_from_db()
    assert council.allow_automatic_joining is False


def test_a_council_from_the_reference_data_keeps_its_names(programme_staff, council):
    council.reference_data_id = "uk-local-authorities"
    council.save()

    with pytest.raises(ApplicationError, match="come from the reference data"):
        services.organisation_update(actor=programme_staff, organisation=council, name="Renamed")


def test_an_update_that_changes_nothing_writes_no_audit_event(org_admin, council):
    services.organisation_update(
        actor=org_admin, organisation=council, allow_automatic_joining=False
    )
    assert not AuditEvent.objects.exists()


def test_renaming_keeps_the_search_text_in_step(programme_staff):
    body = OrganisationFactory(code="nhsx", kind="nhs_body", name="NHSX", short_name="NHSX")

    services.organisation_update(
        actor=programme_staff, organisation=body, name="NHS Transformation Directorate"
    )

    body.refresh_from_db()
    assert "|nhs transformation directorate|" in body.search_text


def test_a_person_with_no_role_changes_nothing(db, council):
    with pytest.raises(ApplicationError):
        services.organisation_update(
            actor=UserFactory(), organisation=council, allow_automatic_joining=True
        )


def test_a_council_added_outside_the_reference_data_is_still_not_renamed_by_hand(
    programme_staff, council
):
    with pytest.raises(ApplicationError, match="come from the reference data"):
        services.organisation_update(actor=programme_staff, organisation=council, name="Renamed")
    assert not services.details_editable(council)
