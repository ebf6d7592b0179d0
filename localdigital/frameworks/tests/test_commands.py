"""The load_framework command and the frameworks loader of load_reference_data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command, load_command_class

from localdigital.core.reference_data import loaders
from localdigital.frameworks.models import Framework, Indicator, Node
from localdigital.frameworks.reference_data import DATA_DIR
from localdigital.frameworks.tests.conftest import CAF_LIKE, CAF_LIKE_STATEMENTS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_framework", *[str(arg) for arg in args], stdout=out)
    return out.getvalue().strip()


def test_the_command_loads_a_file_and_prints_a_one_line_summary():
    output = run(DATA_DIR / "tcop.yaml")

    assert output == (
        "Loaded tcop 2025 (Technology Code of Practice): 13 nodes, 13 assessable, 52 levels, "
        "0 indicators, 0 profiles, 0 targets."
    )
    assert run(DATA_DIR / "tcop.yaml") == (
        "tcop 2025 is already loaded with the same content: unchanged."
    )


def test_the_command_adds_statements_with_the_framework_or_later():
    output = run(CAF_LIKE, "--statements", CAF_LIKE_STATEMENTS)

    assert output.splitlines()[1] == (
        "Added 3 indicator statements and 1 node descriptions to caf-like 3.2 "
        "(Statements licence for tests)."
    )
    assert run("--statements", CAF_LIKE_STATEMENTS) == (
        "caf-like 3.2 already has these statements: unchanged."
    )


def test_the_command_lists_every_problem_in_a_bad_file_and_loads_nothing(write_yaml, caf_like):
    caf_like.pop("licence")
    caf_like["nodes"][0]["scale"] = "two-level"

    with pytest.raises(CommandError) as caught:
        run(write_yaml(caf_like), "--statements", CAF_LIKE_STATEMENTS)

    message = str(caught.value)
    assert message.startswith("Nothing was loaded: 2 problems.")
    assert "framework.yaml, line 1: Add licence" in message
    assert "node caf-like-3.2:A: Only an assessable node has a scale" in message
    assert caught.value.returncode == 1
    assert not Framework.objects.exists()


def test_the_command_exits_non_zero_on_a_bad_file(write_yaml, capsys):
    command = load_command_class("localdigital.frameworks", "load_framework")
    path = write_yaml("id: broken\n")

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "load_framework", str(path)])

    assert exited.value.code == 1
    assert "Add version" in capsys.readouterr().err


def test_the_command_refuses_a_changed_version_and_keeps_what_was_loaded(write_yaml, caf_like):
    run(CAF_LIKE)
    caf_like["nodes"][0]["title"] = "Changed"

    with pytest.raises(CommandError, match="caf-like 3.2 is already loaded with different content"):
        run(write_yaml(caf_like))

    assert Node.objects.get(node_id="caf-like-3.2:A").title == "Managing security risk"


def test_the_command_needs_a_file(tmp_path):
    with pytest.raises(CommandError, match="Give a framework file"):
        run()
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.yaml")


def test_load_reference_data_loads_tcop_and_a_second_run_changes_nothing():
    assert "frameworks" in {loader.name for loader in loaders()}
    out = StringIO()

    call_command("load_reference_data", "--only", "frameworks", stdout=out)
    call_command("load_reference_data", "--only", "frameworks", stdout=out)

    first, second = out.getvalue().strip().splitlines()
    assert first.startswith(
        "frameworks (caf 3.2, caf 4.0, ransomware-readiness 2026, tcop 2025): 4 rows, 4 created"
    )
    assert "4 unchanged, 0 nodes added" in second
    tcop = Framework.objects.get(framework_id="tcop")
    assert tcop.nodes.filter(assessable=True).count() == 13
    assert not tcop.indicators.exists()
    assert not Indicator.objects.exclude(statement="").exists()
