"""publiccode.yml into and out of the catalogue: the five real files, the round trip, broken
files rejected at the right line with nothing written, the command, the pages and the API."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from localdigital.catalogue.models import Asset, AssetRevision
from localdigital.catalogue.publiccode import validate
from localdigital.catalogue.publiccode.examples import NAMES, read
from localdigital.catalogue.services.publiccode import (
    PubliccodeInvalid,
    asset_plain,
    asset_publiccode,
    publiccode_import,
)

PAGE = "https://hub.example/catalogue/x/"
FIELDS = (
    "name", "summary", "description", "kind", "licence", "repository_url", "landing_url",
    "documentation_url", "development_status", "maintenance", "contractors", "maintainers",
    "platforms", "supports", "software_version", "release_date", "categories",
    "software_type", "descriptions", "dependencies", "publiccode_extra",
)  # fmt: skip


def snapshot(asset: Asset) -> dict:
    asset.refresh_from_db()
    return {name: getattr(asset, name) for name in FIELDS}


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("name", NAMES)
def test_each_real_file_imports_and_round_trips_to_the_same_asset(db, name):
    outcome = publiccode_import(actor=None, content=read(name))
    assert outcome.created
    asset = outcome.asset
    assert asset.publiccode_text == read(name)
    before = snapshot(asset)
    exported = asset_publiccode(asset, page_url=PAGE)
    report = validate(exported)
    assert report.valid, report.errors
    assert report.version.startswith("0.4")
    again = publiccode_import(actor=None, content=exported)
    assert again.asset.pk == asset.pk
    assert not again.changed
    assert snapshot(asset) == before
    assert Asset.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing(db):
    text = read("CISOfy__lynis.yml")
    publiccode_import(actor=None, content=text)
    outcome = publiccode_import(actor=None, content=text)
    assert (outcome.created, outcome.changed) == (False, False)
    assert AssetRevision.objects.count() == 1


def test_a_changed_file_updates_the_asset_keyed_by_its_repository(db):
    text = read("CISOfy__lynis.yml")
    first = publiccode_import(actor=None, content=text).asset
    changed = text.replace("developmentStatus: stable", "developmentStatus: obsolete")
    assert changed != text
    outcome = publiccode_import(actor=None, content=changed)
    assert outcome.asset.pk == first.pk
    assert outcome.changed
    first.refresh_from_db()
    assert first.development_status == "obsolete"
    assert first.publiccode_text == changed


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("AGPL-3.0-only", "NOT-A-LICENCE", "legal.license"),
        ("developmentStatus: stable", "developmentStatus: finished", "developmentStatus"),
        ("url: https://github.com/CISOfy/lynis", "url: ftp://example.org/lynis", "url"),
    ],
)
def test_a_broken_file_is_rejected_at_the_right_line_and_writes_nothing(db, old, new, key):
    text = read("CISOfy__lynis.yml")
    assert old in text, old
    broken = text.replace(old, new)
    with pytest.raises(PubliccodeInvalid) as raised:
        publiccode_import(actor=None, content=broken)
    errors = raised.value.report.errors
    assert [e.key for e in errors] == [key]
    assert errors[0].line == line_of(broken, new)
    assert not Asset.objects.exists()


def test_yaml_bombs_lists_and_large_files_are_rejected_with_a_clear_message(db):
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    assert "anchors or aliases" in validate(bomb).errors[0].text
    assert "mapping" in validate("- just\n- a list\n").errors[0].text.lower()
    assert "1 MB" in validate("a: " + "x" * (1024 * 1024)).errors[0].text


def test_an_asset_entered_on_the_hub_exports_as_valid_publiccode(asset):
    plain = asset_plain(asset, page_url=PAGE)
    assert plain["url"] == asset.repository_url
    report = validate(asset_publiccode(asset, page_url=PAGE))
    assert report.valid, report.errors


def test_the_command_imports_files_and_exits_non_zero_on_a_bad_one(db, tmp_path: Path):
    good = tmp_path / "good.yml"
    good.write_text(read("CISOfy__lynis.yml"), encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(read("CatalaLang__catala.yml").replace("Apache-2.0", "NOPE"), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        call_command("import_publiccode", str(good), str(bad), stdout=out, stderr=err)
    assert "created lynis" in out.getvalue()
    line = line_of(bad.read_text(encoding="utf-8"), "NOPE")
    assert f"bad.yml:{line}:" in err.getvalue()
    assert Asset.objects.count() == 1


def test_the_command_gives_new_assets_the_named_owner(db, council):
    path = Path(__file__).resolve().parents[1] / "publiccode" / "examples" / "CISOfy__lynis.yml"
    call_command("import_publiccode", str(path), "--organisation", council.code, stdout=StringIO())
    assert list(Asset.objects.get().owners.all()) == [council]


def test_the_import_page_lists_every_error_with_its_line_and_saves_nothing(verified_client, member):
    client = verified_client(member)
    broken = read("CISOfy__lynis.yml").replace("AGPL-3.0-only", "NOPE")
    response = client.post(
        "/catalogue/import/", {"text": broken, "owner": member.memberships.get().organisation.code}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was saved" in page
    assert f">{line_of(broken, 'NOPE')}<" in page
    assert not Asset.objects.exists()


def test_the_import_page_adds_an_uploaded_file_owned_by_the_chosen_organisation(
    verified_client, member, council
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(member)
    upload = SimpleUploadedFile("publiccode.yml", read("CISOfy__lynis.yml").encode("utf-8"))
    response = client.post("/catalogue/import/", {"file": upload, "owner": council.code})
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url()
    assert list(asset.owners.all()) == [council]


def test_the_export_url_serves_yaml_that_validates(client, asset):
    response = client.get(f"/catalogue/{asset.slug}/publiccode.yml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert validate(response.content).valid


def test_the_validation_api_returns_the_same_line_numbered_messages(client, db):
    broken = read("CISOfy__lynis.yml").replace("AGPL-3.0-only", "NOPE")
    response = client.post(
        "/api/v1/catalogue/publiccode/validate/", data=broken, content_type="application/yaml"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["valid"] is False
    assert body["errors"][0]["line"] == line_of(broken, "NOPE")
    assert body["errors"][0]["key"] == "legal.license"
    too_big = client.post(
        "/api/v1/catalogue/publiccode/validate/",
        data="a: " + "x" * (1024 * 1024 + 1),
        content_type="text/plain",
    )
    assert too_big.status_code == 413


def test_anyone_can_check_a_file_without_saving_it(client, db):
    valid = client.post("/catalogue/validate/", {"text": read("CatalaLang__catala.yml")})
    assert "The file is valid" in valid.content.decode()
    broken = read("CatalaLang__catala.yml").replace("Apache-2.0", "NOPE")
    page = client.post("/catalogue/validate/", {"text": broken}).content.decode()
    assert "1 error" in page
    assert f">{line_of(broken, 'NOPE')}<" in page
    empty = client.post("/catalogue/validate/", {}).content.decode()
    assert "Upload a publiccode.yml file or paste its contents" in empty
    assert not Asset.objects.exists()
