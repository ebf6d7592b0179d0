import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from localdigital.audit.models import AuditEvent
from localdigital.core.exceptions import ApplicationError
from localdigital.estate.models import (
    CONTRACT_DATES,
    PRODUCT_OR_NAME,
    SATISFACTION_RANGE,
    Product,
    SharingSetting,
    Supplier,
    System,
)
from localdigital.estate.services import systems as services
from localdigital.estate.services.systems import (
    product_propose,
    product_review,
    sharing_set,
    system_create,
    system_update,
)


@pytest.fixture
def bartec(make_product):
    return make_product("Bartec Collective")


@pytest.fixture
def system(member, council, functions, bartec):
    return system_create(
        actor=member,
        organisation=council,
        data={"function": functions["waste"], "product": bartec, "annual_cost_band": "10k_50k"},
    )


# Systems


def test_a_member_adds_a_system_with_the_functions_service_area_and_an_audit_event(
    member, council, functions, bartec
):
    system = system_create(
        actor=member,
        organisation=council,
        data={
            "function": functions["waste"],
            "product": bartec,
            "hosting": "saas",
            "contract_start": dt.date(2024, 4, 1),
            "contract_end": dt.date(2029, 3, 31),
            "satisfaction": 4,
            "no_api": True,
        },
    )
    assert system.service_area.key == "waste-and-environment"
    assert not system.is_demo
    event = AuditEvent.objects.get(action="estate.system_create")
    assert event.organisation == council
    assert event.object_id == str(system.pk)


def test_an_in_house_system_needs_only_a_name(member, council, functions):
    system = system_create(
        actor=member,
        organisation=council,
        data={"function": functions["waste"], "other_name": "  Bin rounds app "},
    )
    assert system.product is None
    assert str(system) == "Bin rounds app"


def test_a_contract_ending_before_it_starts_is_rejected_and_nothing_is_written(
    member, council, functions, bartec
):
    with pytest.raises(ApplicationError) as error:
        system_create(
            actor=member,
            organisation=council,
            data={
                "function": functions["waste"],
                "product": bartec,
                "contract_start": dt.date(2025, 4, 1),
                "contract_end": dt.date(2025, 3, 31),
            },
        )
    assert error.value.message == CONTRACT_DATES
    assert error.value.field == "contract_end"
    assert not System.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_system_without_a_product_or_a_name_is_rejected(member, council, functions):
    with pytest.raises(ApplicationError, match=PRODUCT_OR_NAME):
        system_create(actor=member, organisation=council, data={"function": functions["waste"]})
    assert not System.objects.exists()


def test_a_system_without_a_function_is_rejected(member, council, bartec):
    with pytest.raises(ApplicationError, match=services.FUNCTION_REQUIRED):
        system_create(actor=member, organisation=council, data={"product": bartec})


@pytest.mark.parametrize("score", [0, 6])
def test_a_satisfaction_score_outside_1_to_5_is_rejected(member, council, functions, bartec, score):
    with pytest.raises(ApplicationError, match=SATISFACTION_RANGE):
        system_create(
            actor=member,
            organisation=council,
            data={"function": functions["waste"], "product": bartec, "satisfaction": score},
        )


def test_an_unknown_choice_is_rejected_in_plain_words(member, council, functions, bartec):
    with pytest.raises(ApplicationError) as error:
        system_create(
            actor=member,
            organisation=council,
            data={"function": functions["waste"], "product": bartec, "hosting": "mainframe"},
        )
    assert error.value.field == "hosting"


def test_a_rejected_product_cannot_be_recorded(member, council, functions, make_product):
    rejected = make_product("Vapourware", status=Product.Status.REJECTED)
    with pytest.raises(ApplicationError, match="is not on the product list"):
        system_create(
            actor=member,
            organisation=council,
            data={"function": functions["waste"], "product": rejected},
        )


def test_the_same_product_for_the_same_function_cannot_be_recorded_twice(
    member, council, functions, bartec, system
):
    with pytest.raises(ApplicationError, match="has already recorded Bartec Collective for Waste"):
        system_create(
            actor=member,
            organisation=council,
            data={"function": functions["waste"], "product": bartec},
        )
    assert System.objects.count() == 1


def test_another_councils_member_cannot_add_to_a_register(other_admin, council, functions, bartec):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        system_create(
            actor=other_admin,
            organisation=council,
            data={"function": functions["waste"], "product": bartec},
        )


def test_programme_staff_cannot_add_to_a_councils_register(
    programme_staff, council, functions, bartec
):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        system_create(
            actor=programme_staff,
            organisation=council,
            data={"function": functions["waste"], "product": bartec},
        )


def test_a_member_changes_a_system_and_only_the_changed_fields_are_audited(member, system):
    system_update(actor=member, system=system, data={"plan": "replace", "critical": True})
    system.refresh_from_db()
    assert (system.plan, system.critical) == ("replace", True)
    event = AuditEvent.objects.get(action="estate.system_update")
    assert sorted(event.data["fields"]) == ["critical", "plan"]


def test_an_update_that_changes_nothing_writes_no_audit_event(member, system):
    system_update(actor=member, system=system, data={"annual_cost_band": "10k_50k"})
    assert not AuditEvent.objects.filter(action="estate.system_update").exists()


def test_an_update_ending_the_contract_before_it_starts_is_rejected_and_nothing_changes(
    member, system
):
    system_update(actor=member, system=system, data={"contract_start": dt.date(2025, 1, 1)})
    with pytest.raises(ApplicationError, match=CONTRACT_DATES):
        system_update(actor=member, system=system, data={"contract_end": dt.date(2024, 1, 1)})
    assert system.contract_end is None
    system.refresh_from_db()
    assert system.contract_end is None


def test_an_update_from_another_council_is_refused(other_admin, system):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        system_update(actor=other_admin, system=system, data={"notes": "Ours now"})


def test_an_unknown_field_is_a_programming_error(member, system):
    with pytest.raises(ValueError, match="organisation"):
        system_update(actor=member, system=system, data={"organisation": None})


def test_the_database_refuses_a_contract_ending_before_it_starts(council, functions, bartec):
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(
            organisation=council,
            function=functions["waste"],
            product=bartec,
            contract_start=dt.date(2025, 1, 1),
            contract_end=dt.date(2024, 1, 1),
        )


def test_the_database_refuses_a_system_with_neither_product_nor_name(council, functions):
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(organisation=council, function=functions["waste"])


def test_the_database_refuses_a_satisfaction_score_of_6(council, functions, bartec):
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(
            organisation=council, function=functions["waste"], product=bartec, satisfaction=6
        )


def test_the_database_refuses_a_duplicate_product_but_allows_two_in_house_systems(
    council, functions, bartec
):
    waste = functions["waste"]
    System.objects.create(organisation=council, function=waste, other_name="A")
    System.objects.create(organisation=council, function=waste, other_name="B")
    System.objects.create(organisation=council, function=waste, product=bartec)
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(organisation=council, function=waste, product=bartec)


# Sharing


def test_an_admin_sets_what_the_sector_sees(org_admin, council):
    setting = sharing_set(actor=org_admin, organisation=council, level="nothing")
    assert setting.level == SharingSetting.Level.NOTHING
    sharing_set(actor=org_admin, organisation=council, level="products_and_contract_ends")
    assert SharingSetting.objects.get(organisation=council).level == "products_and_contract_ends"
    assert AuditEvent.objects.filter(action="estate.sharing_set").count() == 2


def test_a_new_sharing_setting_defaults_to_products_only(council):
    assert SharingSetting.objects.create(organisation=council).level == "products"


def test_a_plain_member_cannot_change_what_the_sector_sees(member, council):
    with pytest.raises(ApplicationError, match=services.NOT_AN_ADMIN):
        sharing_set(actor=member, organisation=council, level="nothing")
    assert not SharingSetting.objects.exists()


def test_another_councils_admin_cannot_change_what_the_sector_sees(other_admin, council):
    with pytest.raises(ApplicationError, match=services.NOT_AN_ADMIN):
        sharing_set(actor=other_admin, organisation=council, level="nothing")


def test_an_unknown_sharing_level_is_rejected(org_admin, council):
    with pytest.raises(ApplicationError, match=services.LEVEL_REQUIRED):
        sharing_set(actor=org_admin, organisation=council, level="everything")


# Products


def test_a_member_proposes_a_product_which_waits_for_review(member, functions):
    product = product_propose(
        actor=member,
        supplier_name=" Whitespace ",
        name="Whitespace Waste",
        functions=[functions["waste"]],
    )
    assert product.status == Product.Status.PROPOSED
    assert product.proposed_by == member
    assert product.supplier.name == "Whitespace"
    assert product.slug == "whitespace-whitespace-waste"
    assert list(product.functions.all()) == [functions["waste"]]
    assert AuditEvent.objects.filter(action="estate.product_propose").exists()


def test_a_proposal_reuses_a_supplier_whatever_its_case(member, functions):
    supplier = Supplier.objects.create(name="Civica", slug="civica")
    product = product_propose(
        actor=member, supplier_name="civica", name="Paris", functions=[functions["finance"]]
    )
    assert product.supplier == supplier


def test_a_product_already_on_the_list_cannot_be_proposed_again(member, functions, bartec):
    with pytest.raises(ApplicationError, match="already on the product list"):
        product_propose(
            actor=member,
            supplier_name="bartec collective ltd",
            name="BARTEC COLLECTIVE",
            functions=[functions["waste"]],
        )


@pytest.mark.parametrize(
    ("supplier", "name", "message"),
    [
        ("", "Thing", services.SUPPLIER_REQUIRED),
        ("Acme", " ", services.PRODUCT_NAME_REQUIRED),
    ],
)
def test_a_proposal_needs_a_supplier_and_a_name(member, functions, supplier, name, message):
    with pytest.raises(ApplicationError, match=message):
        product_propose(
            actor=member, supplier_name=supplier, name=name, functions=[functions["waste"]]
        )
    assert not Product.objects.exists()


def test_a_proposal_needs_a_function(member, functions):
    with pytest.raises(ApplicationError, match=services.FUNCTIONS_REQUIRED):
        product_propose(actor=member, supplier_name="Acme", name="Thing", functions=[])


def test_an_anonymous_visitor_cannot_propose_a_product(functions):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ApplicationError, match=services.NOT_A_SECTOR_MEMBER):
        product_propose(
            actor=AnonymousUser(),
            supplier_name="Acme",
            name="Thing",
            functions=[functions["waste"]],
        )


@pytest.mark.parametrize(("approve", "status"), [(True, "approved"), (False, "rejected")])
def test_programme_staff_approve_or_reject_a_proposal(
    member, programme_staff, functions, approve, status
):
    product = product_propose(
        actor=member, supplier_name="Acme", name="Thing", functions=[functions["waste"]]
    )
    product_review(actor=programme_staff, product=product, approve=approve)
    product.refresh_from_db()
    assert product.status == status
    with pytest.raises(ApplicationError, match="has already been reviewed"):
        product_review(actor=programme_staff, product=product, approve=approve)


def test_a_council_admin_cannot_review_a_proposal(member, org_admin, functions):
    product = product_propose(
        actor=member, supplier_name="Acme", name="Thing", functions=[functions["waste"]]
    )
    with pytest.raises(ApplicationError, match=services.NOT_PROGRAMME_STAFF):
        product_review(actor=org_admin, product=product, approve=True)
    product.refresh_from_db()
    assert product.status == Product.Status.PROPOSED


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Propose", "review"])
def test_product_slugs_never_take_the_product_pages_own_routes(name):
    from localdigital.estate.services.systems import unique_product_slug

    assert unique_product_slug(name) == f"{name.lower()}-2"
