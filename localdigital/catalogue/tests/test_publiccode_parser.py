"""Reading publiccode.yml text: what the parser refuses, and the positions it records.

Every expected line and column is worked out from the text the test builds.
"""

from __future__ import annotations

import time

import pytest

from localdigital.catalogue.publiccode import MAX_BYTES, Message, examples, validate
from localdigital.catalogue.publiccode.parser import (
    MESSAGE_ANCHORS,
    MESSAGE_MANY_DOCUMENTS,
    MESSAGE_TOO_LARGE,
    ParseError,
    parse,
)

from .test_publiccode import LYNIS, SIGNALEN, SPEC, column_of, line_of, replaced

# Files that cannot be parsed --------------------------------------------------------------


def test_anchors_and_aliases_are_rejected_at_the_first_anchor() -> None:
    text = replaced(
        examples.read(LYNIS), "platforms:\n  - linux\n  - mac\n", "platforms: &os [linux]\n"
    )
    text += "extraPlatforms: *os\n"

    report = validate(text)

    assert report.errors == [
        Message(line_of(text, "&os"), column_of(text, "&os"), "", MESSAGE_ANCHORS)
    ]
    assert report.data == {}


def test_a_yaml_alias_bomb_is_rejected_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    started = time.perf_counter()

    report = validate("\n".join(lines) + "\n")

    assert time.perf_counter() - started < 1
    assert [(m.line, m.text) for m in report.errors] == [(1, MESSAGE_ANCHORS)]


def test_a_file_over_1_mb_is_rejected_without_a_line() -> None:
    text = examples.read(LYNIS) + "# " + "x" * MAX_BYTES + "\n"

    report = validate(text)

    assert report.errors == [Message(None, None, "", MESSAGE_TOO_LARGE)]
    assert validate(text.encode("utf-8")).errors == report.errors


def test_a_file_of_exactly_1_mb_is_accepted() -> None:
    text = examples.read(SIGNALEN)
    padding = MAX_BYTES - len(text.encode("utf-8")) - len("# \n")
    text += "# " + "x" * padding + "\n"

    assert len(text.encode("utf-8")) == MAX_BYTES
    assert validate(text).valid


def test_a_list_at_the_top_level_is_rejected() -> None:
    text = "- name: Lynis\n- url: https://github.com/CISOfy/lynis\n"

    report = validate(text)

    assert [(m.line, m.column) for m in report.errors] == [(1, 1)]
    assert "not a list" in report.errors[0].text


def test_an_empty_file_is_rejected() -> None:
    assert "empty" in validate("# nothing here\n").errors[0].text


def test_invalid_yaml_is_rejected_at_the_line_and_column_of_the_problem() -> None:
    text = replaced(examples.read(LYNIS), "name: Lynis", "name: Lynis: the auditing tool")

    report = validate(text)

    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.line, error.column) == (line_of(text, "name: Lynis"), column_of(text, ": the"))
    assert error.text.startswith("The file is not valid YAML")


def test_two_yaml_documents_are_rejected_at_the_second() -> None:
    text = examples.read(LYNIS) + "---\nname: Another\n"

    report = validate(text)

    assert [(m.line, m.text) for m in report.errors] == [
        (line_of(text, "---"), MESSAGE_MANY_DOCUMENTS)
    ]


def test_bytes_that_are_not_utf8_are_rejected_at_their_line() -> None:
    text = examples.read(LYNIS)
    raw = text.encode("utf-8").replace(b"name: Lynis", b"name: Lyn\xe9s")

    error = validate(raw).errors[0]

    assert "UTF-8" in error.text
    assert (error.line, error.column) == (line_of(text, "name: Lynis"), len("name: Lyn") + 1)


def test_a_key_written_twice_is_rejected_at_the_second() -> None:
    text = examples.read(LYNIS) + "name: Lynis again\n"

    error = validate(text).errors[0]

    assert error.line == line_of(text, "name: Lynis again")
    assert error.key == "name"


def test_a_python_object_tag_is_rejected_not_run() -> None:
    text = replaced(
        examples.read(LYNIS), "name: Lynis", "name: !!python/object/apply:os.system [ls]"
    )

    error = validate(text).errors[0]

    assert error.line == line_of(text, "!!python")
    assert "tag" in error.text


def test_deep_nesting_is_rejected_without_crashing() -> None:
    assert "nested too deeply" in validate("a: " + "[" * 5000 + "]" * 5000 + "\n").errors[0].text


def test_a_byte_order_mark_is_ignored() -> None:
    raw = b"\xef\xbb\xbf" + examples.read(LYNIS).encode("utf-8")

    assert validate(raw).valid


# The parser's positions -------------------------------------------------------------------


def test_the_parser_records_the_line_and_column_of_keys_values_and_items() -> None:
    text = examples.read(SPEC)
    document = parse(text)

    contractor_until = ("maintenance", "contractors", 0, "until")
    assert document.key_position(contractor_until).line == line_of(text, "until:")
    assert document.key_position(contractor_until).column == column_of(text, "until:")
    assert document.value_position(contractor_until).column == column_of(text, '"2019-01-01"')
    assert document.value_position(("platforms", 1)).line == line_of(text, "  - ios")


def test_the_parser_raises_its_own_error_with_a_position() -> None:
    with pytest.raises(ParseError) as caught:
        parse("a: [1,\n")

    assert caught.value.line == 2
    assert "line 2" in str(caught.value)


def test_a_message_reads_as_a_sentence_with_its_place() -> None:
    message = Message(4, 3, "legal.license", "Enter a licence")

    assert str(message) == "line 4, column 3: legal.license: Enter a licence"


@pytest.mark.parametrize(
    "text",
    [
        "null\n",
        "42\n",
        "{name: [\n",
        "? [a, b]\n: c\n",
        "name:\tLynis\n\t- x\n",
        "name: !custom value\n",
        "name: !!set {a, b}\n",
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        "a: *undefined\n",
        "\x00",
        b"\xff\xfe",
    ],
)
def test_odd_input_is_reported_as_errors_and_never_raises(text: str | bytes) -> None:
    report = validate(text)

    assert not report.valid
    assert report.data == {}
