"""Target profiles defined in the Hub by programme staff: services and the /frameworks/ pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localdigital.audit.models import AuditEvent
from localdigital.frameworks import selectors, services
from localdigital.frameworks.forms import TARGET_INVALID, TARGET_REQUIRED
from localdigital.frameworks.loader import parse_framework_file
from localdigital.frameworks.models import Profile, ProfileTarget
from localdigital.frameworks.reference_data import DATA_DIR

pytestmark = pytest.mark.django_db

CAF_32 = DATA_DIR / "caf-3.2.yaml"


def load(path):
    return services.framework_load(actor=None, spec=parse_framework_file(path)).framework


@pytest.fixture
def caf():
    return load(CAF_32)


def all_targets(framework, level="achieved"):
    return {
        node.node_id: level for node in framework.nodes.filter(assessable=True).order_by("position")
    }


def form_data(framework, name="Local government baseline", **overrides):
    data = {"name": name, "description": "For councils"}
    for node in framework.nodes.filter(assessable=True):
        data["target-" + node.node_id.split(":")[1].replace(".", "_")] = "achieved"
    data.update(overrides)
    return data


def urls(framework, profile_id=None):
    base = f"/frameworks/{framework.framework_id}/{framework.version}/"
    return {
        "list": "/frameworks/",
        "detail": base,
        "create": base + "profiles/new/",
        "edit": base + f"profiles/{profile_id}/edit/" if profile_id else None,
    }


# Services


def test_programme_staff_create_a_profile_with_a_target_per_outcome(caf, programme_staff):
    targets = all_targets(caf)
    targets["caf-3.2:B5.c"] = "partially-achieved"
    targets["caf-3.2:C2.b"] = None

    profile = services.profile_create(
        actor=programme_staff, framework=caf, name="Local government baseline", targets=targets
    )

    assert profile.origin == Profile.Origin.HUB
    assert profile.profile_id == "local-government-baseline"
    found = {t.node.code: t.level.key if t.level else None for t in profile.targets.all()}
    assert len(found) == 39
    assert found["B5.c"] == "partially-achieved"
    assert found["C2.b"] is None
    event = AuditEvent.objects.get(action="framework.profile_create")
    assert event.data["targets"]["caf-3.2:C2.b"] == "not-required"


def test_only_programme_staff_can_create_or_change_profiles(caf, member):
    with pytest.raises(PermissionDenied):
        services.profile_create(actor=member, framework=caf, name="X", targets=all_targets(caf))
    assert not Profile.objects.filter(origin=Profile.Origin.HUB).exists()


def test_a_level_not_in_the_outcomes_scale_is_refused_and_nothing_written(caf, programme_staff):
    targets = all_targets(caf)
    # A1.a has no "partially achieved".
    targets["caf-3.2:A1.a"] = "partially-achieved"
    targets["caf-3.2:A1.b"] = "excellent"
    del targets["caf-3.2:A1.c"]
    before = ProfileTarget.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.profile_create(actor=programme_staff, framework=caf, name="X", targets=targets)

    errors = caught.value.message_dict
    assert errors["caf-3.2:A1.a"] == [
        services.PROFILE_LEVEL_UNKNOWN.format(code="A1.a", title="Board Direction")
    ]
    assert "caf-3.2:A1.b" in errors
    assert errors["caf-3.2:A1.c"] == [
        services.PROFILE_TARGET_MISSING.format(code="A1.c", title="Decision-making")
    ]
    assert ProfileTarget.objects.count() == before
    assert not Profile.objects.filter(origin=Profile.Origin.HUB).exists()
    assert not AuditEvent.objects.filter(action="framework.profile_create").exists()


def test_profiles_from_the_file_cannot_be_changed(caf, programme_staff):
    baseline = caf.profiles.get(profile_id="baseline")

    with pytest.raises(PermissionDenied):
        services.profile_update(
            actor=programme_staff, profile=baseline, name="Changed", targets=all_targets(caf)
        )

    baseline.refresh_from_db()
    assert baseline.name == "Government CAF Baseline"


def test_a_hub_profile_can_be_changed_and_the_change_is_audited(caf, programme_staff):
    profile = services.profile_create(
        actor=programme_staff, framework=caf, name="Draft", targets=all_targets(caf)
    )
    targets = all_targets(caf)
    targets["caf-3.2:B5.c"] = "partially-achieved"

    services.profile_update(
        actor=programme_staff, profile=profile, name="Council profile", targets=targets
    )

    profile.refresh_from_db()
    assert profile.name == "Council profile"
    assert profile.targets.get(node__code="B5.c").level.key == "partially-achieved"
    assert profile.targets.count() == 39
    event = AuditEvent.objects.get(action="framework.profile_update")
    assert event.data["changed"] == ["caf-3.2:B5.c"]


def test_a_profile_name_is_unique_within_a_framework(caf, programme_staff):
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=programme_staff,
            framework=caf,
            name="government caf baseline",
            targets=all_targets(caf),
        )
    assert "name" in caught.value.message_dict


# Pages


def test_anyone_can_see_the_frameworks_and_a_frameworks_tree(client, caf):
    response = client.get("/frameworks/")
    assert response.status_code == 200
    assert "NCSC Cyber Assessment Framework 3.2" in response.content.decode()
    assert "Government CAF Baseline" in response.content.decode()
    assert "Add a profile" not in response.content.decode()

    detail = client.get(urls(caf)["detail"]).content.decode()
    assert "B5.c Backups" in detail
    assert "B5 Resilient Networks and Systems" in detail
    assert "Partially achieved (2 indicators)" in detail
    assert "Add a target profile" not in detail


def test_the_tree_page_makes_a_constant_number_of_queries(client, caf, programme_staff):
    with CaptureQueriesContext(connection) as first:
        client.get(urls(caf)["detail"])
    services.profile_create(
        actor=programme_staff, framework=caf, name="Extra", targets=all_targets(caf)
    )
    with CaptureQueriesContext(connection) as second:
        assert client.get(urls(caf)["detail"]).status_code == 200
    assert len(second) == len(first)
    assert len(first) <= 12


def test_an_unknown_framework_version_is_not_found(client, caf):
    assert client.get("/frameworks/caf/9.9/").status_code == 404


@pytest.mark.parametrize("page", ["create", "edit"])
def test_profile_pages_are_for_programme_staff_only(client, caf, member, programme_staff, page):
    profile = services.profile_create(
        actor=programme_staff, framework=caf, name="Council", targets=all_targets(caf)
    )
    url = urls(caf, profile.profile_id)[page]

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/accounts/" in anonymous["Location"]
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(caf, name="Hijacked")).status_code == 404
    profile.refresh_from_db()
    assert profile.name == "Council"


def test_staff_add_a_profile_through_the_form(verified_client, caf, programme_staff):
    client = verified_client(programme_staff)
    page = client.get(urls(caf)["create"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "A Managing security risk" in html
    assert "A1 Governance" in html
    assert 'name="target-B5_c"' in html

    data = form_data(caf, **{"target-B5_c": "partially-achieved", "target-C2_a": "not-required"})
    response = client.post(urls(caf)["create"], data)

    assert response.status_code == 302
    profile = Profile.objects.get(origin=Profile.Origin.HUB)
    assert profile.name == "Local government baseline"
    assert profile.targets.get(node__code="B5.c").level.key == "partially-achieved"
    assert profile.targets.get(node__code="C2.a").level is None


def test_a_level_not_in_the_scale_is_a_clear_error_and_nothing_is_written(
    verified_client, caf, programme_staff
):
    client = verified_client(programme_staff)
    data = form_data(caf, **{"target-A1_a": "partially-achieved"})
    del data["target-B5_c"]

    response = client.post(urls(caf)["create"], data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert TARGET_INVALID.format(code="A1.a", title="Board Direction") in html
    assert TARGET_REQUIRED.format(code="B5.c", title="Backups") in html
    assert 'href="#target-A1_a"' in html or "#id_target-A1_a" in html
    assert not Profile.objects.filter(origin=Profile.Origin.HUB).exists()


def test_staff_change_a_hub_profile_but_not_a_shipped_one(verified_client, caf, programme_staff):
    profile = services.profile_create(
        actor=programme_staff, framework=caf, name="Council", targets=all_targets(caf)
    )
    client = verified_client(programme_staff)
    edit = urls(caf, profile.profile_id)["edit"]
    assert 'value="Council"' in client.get(edit).content.decode()

    response = client.post(
        edit, form_data(caf, name="Council 2026", **{"target-B5_c": "not-required"})
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Council 2026"
    assert profile.targets.get(node__code="B5.c").level is None
    assert client.get(urls(caf, "baseline")["edit"]).status_code == 404


def test_the_list_selector_names_each_frameworks_profiles(caf):
    frameworks = list(selectors.framework_list_with_profiles())
    assert [p.profile_id for p in frameworks[0].profiles.all()] == ["baseline", "enhanced"]


def test_a_new_profile_can_start_from_the_government_baseline(
    verified_client, caf, programme_staff
):
    client = verified_client(programme_staff)

    html = client.get(urls(caf)["create"] + "?from=baseline").content.decode()

    assert "The targets start as those of Government CAF Baseline" in html
    assert 'action="/frameworks/caf/3.2/profiles/new/?from=baseline"' in html
    # A2.a is "partially achieved" at Baseline; C2.a is not required.
    assert (
        'id="id_target-A2_a" name="target-A2_a" type="radio" value="partially-achieved" checked'
        in html
    )
    assert 'name="target-C2_a" type="radio" value="not-required" checked' in html
    assert 'name="target-A1_a"' in html
    # "Not achieved" is never offered as a target: "Not required" stands for it.
    assert 'value="not-achieved"' not in html


def test_the_questionnaire_page_shows_date_answers_and_the_caf_outcomes_informed(client):
    questionnaire = load(DATA_DIR / "ransomware-readiness.yaml")

    html = client.get(urls(questionnaire)["detail"]).content.decode()

    assert "2 Date of the last restore test" in html
    assert "A date" in html
    assert "Informs CAF B5.c" in html
    assert "Add a target profile" not in html


def test_staff_see_links_to_add_and_start_profiles(verified_client, caf, programme_staff):
    client = verified_client(programme_staff)

    assert "Add a profile" in client.get("/frameworks/").content.decode()
    detail = client.get(urls(caf)["detail"]).content.decode()
    assert "Add a target profile" in detail
    assert "/frameworks/caf/3.2/profiles/new/?from=baseline" in detail
