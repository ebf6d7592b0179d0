"""Adding and changing assets: the rules, their messages, revisions and who may act."""

import pytest

from localdigital.audit.models import AuditEvent
from localdigital.catalogue.models import Asset, AssetDocument
from localdigital.catalogue.services import assets as services
from localdigital.catalogue.tests.conftest import ASSET_DATA
from localdigital.core.exceptions import ApplicationError


def test_a_member_adds_an_asset_with_a_revision_features_and_an_audit_event(asset, member):
    assert asset.slug == "bin-collection-day-finder"
    assert asset.last_verified is not None
    revision = asset.revisions.get()
    assert revision.author == member
    assert revision.changes["licence"]["new"] == "MIT"
    assert AssetDocument.objects.filter(asset=asset).exists()
    assert AuditEvent.objects.filter(action="catalogue.asset.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"summary": "x" * 281}, "summary", services.SUMMARY_TOO_LONG),
        ({"name": ""}, "name", services.NAME_REQUIRED),
        ({"licence": "NOT-A-LICENCE"}, "licence", "‘NOT-A-LICENCE’ is not an SPDX licence"),
        ({"repository_url": "ftp://example.org/code"}, "repository_url", services.URL_SCHEME),
        ({"maintenance": "contract"}, "contractors", services.CONTRACTOR_REQUIRED),
        (
            {"contractors": [{"name": "Acme", "until": "2030-01-01"}]},
            "contractors",
            services.CONTRACTORS_ONLY_FOR_CONTRACT,
        ),
        ({"maintainers": []}, "maintainers", services.CONTACT_REQUIRED),
        ({"supports": ["iso-27001"]}, "supports", "‘iso-27001’ is not a UK claim"),
        ({"owners": []}, "owners", services.OWNER_REQUIRED),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    member, council, change, field, message
):
    data = {**ASSET_DATA, "owners": [council], **change}
    with pytest.raises(ApplicationError) as raised:
        services.asset_create(actor=member, data=data)
    assert raised.value.field == field
    assert raised.value.message.startswith(message)
    assert not Asset.objects.exists()


def test_a_contractor_line_must_name_an_end_date(member, council):
    with pytest.raises(ApplicationError, match="Enter each contractor"):
        services.asset_create(
            actor=member,
            data={
                **ASSET_DATA,
                "owners": [council],
                "maintenance": "contract",
                "contractors": "Acme Ltd, next year",
            },  # fmt: skip
        )


def test_a_second_asset_cannot_claim_the_same_repository(asset, member, council):
    with pytest.raises(ApplicationError, match="already has this repository"):
        services.asset_create(actor=member, data={**ASSET_DATA, "owners": [council]})


def test_only_members_of_an_owning_organisation_can_add_or_change_it(asset, other_admin, council):
    with pytest.raises(ApplicationError, match=services.NOT_A_MEMBER):
        services.asset_create(
            actor=other_admin,
            data={**ASSET_DATA, "repository_url": "", "owners": [council]},
        )
    with pytest.raises(ApplicationError, match=services.NOT_AN_OWNER):
        services.asset_update(actor=other_admin, asset=asset, data={"summary": "Changed"})
    asset.refresh_from_db()
    assert asset.summary == ASSET_DATA["summary"]


def test_a_change_is_versioned_with_old_and_new_values_and_marks_it_verified(asset, member):
    Asset.objects.filter(pk=asset.pk).update(last_verified="2020-01-01")
    asset.refresh_from_db()
    services.asset_update(
        actor=member, asset=asset, data={"development_status": "stable", "tags": ["waste"]}
    )
    latest = asset.revisions.first()
    assert latest.changes["development_status"] == {
        "label": "Development status",
        "old": "Beta",
        "new": "Stable",
    }
    assert latest.changes["tags"]["new"] == "waste"
    asset.refresh_from_db()
    assert str(asset.last_verified) != "2020-01-01"


def test_saving_without_a_change_is_refused_and_leaves_no_revision(asset, member):
    with pytest.raises(ApplicationError, match=services.NOTHING_CHANGED):
        services.asset_update(actor=member, asset=asset, data={"name": asset.name})
    assert asset.revisions.count() == 1


def test_an_owner_can_remove_their_own_organisation_only_by_leaving_another(
    asset, member, other_council
):
    with pytest.raises(ApplicationError, match="cannot remove your own organisation"):
        services.asset_update(actor=member, asset=asset, data={"owners": [other_council]})


def test_an_owner_confirms_the_entry_is_still_accurate(asset, member, other_admin):
    Asset.objects.filter(pk=asset.pk).update(last_verified="2020-01-01")
    asset.refresh_from_db()
    services.asset_verify(actor=member, asset=asset)
    asset.refresh_from_db()
    assert str(asset.last_verified) != "2020-01-01"
    with pytest.raises(ApplicationError):
        services.asset_verify(actor=other_admin, asset=asset)


def test_a_pipeline_item_links_an_asset_only_by_its_owners(asset, member, other_admin, council):
    from localdigital.pipeline.tests.factories import ItemFactory

    item = ItemFactory(organisation=council, visibility="public")
    link = services.item_asset_link(actor=member, item=item, asset=asset, relation="reuses")
    assert link.get_relation_display() == "Reuses"
    with pytest.raises(ApplicationError, match="already says it reuses"):
        services.item_asset_link(actor=member, item=item, asset=asset, relation="reuses")
    with pytest.raises(ApplicationError, match="Only people from Hackney"):
        services.item_asset_link(actor=other_admin, item=item, asset=asset, relation="produces")
