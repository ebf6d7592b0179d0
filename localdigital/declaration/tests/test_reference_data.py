"""The Declaration principles loader, on the real file and on broken copies of it."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from localdigital.core.reference_data import ReferenceDataError, loaders
from localdigital.declaration.models import Principle
from localdigital.declaration.reference_data import DEFAULT_PATH, load_principles

pytestmark = pytest.mark.django_db

EXPECTED_KEYS = ["user-needs", "fix-plumbing", "safe-sharing", "leadership", "open-culture"]


def real_data() -> dict:
    with DEFAULT_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write_copy(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "principles.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_real_file_loads_the_five_principles_in_order():
    result = load_principles()

    assert result.created == 5
    assert list(Principle.objects.values_list("key", flat=True)) == EXPECTED_KEYS
    first = Principle.objects.get(key="user-needs")
    assert first.title == "Redesign services around the needs of the people using them"
    assert first.position == 1
    assert first.explanation.startswith("Start from what residents")


def test_the_real_file_names_its_source_version_and_licence():
    data = real_data()
    assert data["id"] == "local-digital-declaration-principles"
    assert data["source_url"] == "https://www.localdigital.gov.uk/declaration/"
    assert data["version"]
    assert "Open Government Licence" in data["licence"]


def test_loading_twice_changes_nothing_the_second_time():
    load_principles()
    again = load_principles()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert not again.changed
    assert Principle.objects.count() == 5


def test_a_changed_title_updates_the_principle_and_keeps_its_id(tmp_path):
    load_principles()
    before = Principle.objects.get(key="leadership").pk
    data = real_data()
    data["principles"][3]["title"] = "Show digital leadership"

    result = load_principles(path=write_copy(tmp_path, data))

    assert (result.created, result.updated) == (0, 1)
    principle = Principle.objects.get(key="leadership")
    assert principle.pk == before
    assert principle.title == "Show digital leadership"


def test_the_loader_is_registered_for_load_reference_data():
    assert "declaration-principles" in {loader.name for loader in loaders()}
    out = StringIO()
    call_command("load_reference_data", "--only", "declaration-principles", stdout=out)
    assert Principle.objects.count() == 5


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        (lambda d: d["principles"][1].update(title=""), 2, "title", "This value is missing"),
        (lambda d: d["principles"][2].pop("explanation"), 3, "explanation", "missing"),
        (lambda d: d["principles"][4].update(key="Open Culture"), 5, "key", "is not a key"),
        (lambda d: d["principles"][4].update(key="user-needs"), 5, "key", "also on row 1"),
        (lambda d: d["principles"][0].update(title=["a list"]), 1, "title", "must be text"),
    ],
)
def test_a_malformed_row_names_file_row_and_column_and_writes_nothing(
    tmp_path, change, row, column, message
):
    data = real_data()
    change(data)
    path = write_copy(tmp_path, data)

    with pytest.raises(ReferenceDataError) as caught:
        load_principles(path=path)

    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("principles.yaml", row, column)
    assert message in problem.message
    assert f"principles.yaml, row {row}, column '{column}'" in str(caught.value)
    assert Principle.objects.count() == 0


def test_missing_metadata_is_refused_before_anything_is_written(tmp_path):
    data = real_data()
    del data["licence"]
    with pytest.raises(ReferenceDataError, match="Add licence to the metadata"):
        load_principles(path=write_copy(tmp_path, data))
    assert Principle.objects.count() == 0


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "principles.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="not valid YAML"):
        load_principles(path=path)


def test_the_command_reports_a_bad_file_and_loads_nothing(tmp_path):
    data = real_data()
    data["principles"][0]["key"] = ""
    path = write_copy(tmp_path, data)
    with pytest.raises(CommandError, match="row 1, column 'key'"):
        call_command(
            "load_reference_data",
            "--only",
            "declaration-principles",
            "--source",
            str(path),
            stdout=StringIO(),
        )
    assert Principle.objects.count() == 0
