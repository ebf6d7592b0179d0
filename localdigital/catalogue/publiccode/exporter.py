"""Write publiccode.yml text from a plain dict, and read a validated file back into one.

The plain dict is what the rest of the Hub works with (a catalogue entry's fields):

    name, url, landing_url, software_version, release_date (date), platforms, categories,
    development_status, software_type, description ({language: {shortDescription, ...}}),
    short_description, long_description, documentation, features, description_language,
    licence, main_copyright_owner, repo_owner, maintenance_type, contractors, contacts,
    available_languages, localisation_ready, depends_on, supports, extra

``extra`` carries whatever the Hub has no field for, unchanged: whole top-level keys (``usedBy``,
``it``...) and, for sections the Hub maps only in part (``legal``, ``maintenance``,
``localisation``, ``uk``), a mapping of the leftover keys of that section.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import yaml

from . import vocabularies as vocab
from .parser import CORE_SCHEMA_RESOLVERS

EXPORT_VERSION = "0.4.0"
DEFAULT_LANGUAGE = "en"

CONTRACTOR_FIELDS = ("name", "until", "email", "website")
CONTACT_FIELDS = ("name", "email", "phone", "affiliation")
DEPENDENCY_FIELDS = ("name", "versionMin", "versionMax", "version", "optional")

# Top-level keys the plain dict maps in full, and sections it maps in part (with their keys).
_MAPPED_KEYS = frozenset(
    {
        "publiccodeYmlVersion",
        "name",
        "url",
        "landingURL",
        "softwareVersion",
        "releaseDate",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "dependsOn",
    }
)
_PARTLY_MAPPED: dict[str, frozenset[str]] = {
    "legal": frozenset({"license", "mainCopyrightOwner", "repoOwner"}),
    "maintenance": frozenset({"type", "contractors", "contacts"}),
    "localisation": frozenset({"localisationReady", "availableLanguages"}),
    "uk": frozenset({"supports"}),
}


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as literal blocks.

    Its resolvers are YAML 1.1's plus YAML 1.2's core schema, so any text that either
    reading could take for a number, boolean, date or null is quoted.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _Quoted(str):
    """Text always written in double quotes, as the standard's example writes its version."""

    __slots__ = ()


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted style by itself when a literal block cannot hold the text.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def _represent_date(dumper: yaml.SafeDumper, value: date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat())


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(date, _represent_date)
for _tag, _pattern, _first in CORE_SCHEMA_RESOLVERS:
    _Dumper.add_implicit_resolver(_tag, _pattern, _first)


def _filled(value: Any) -> bool:
    """True for values worth writing: not None, not empty text, lists or mappings."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def _as_date_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _ordered(mapping: Mapping[str, Any], order: Iterable[str]) -> dict[str, Any]:
    """The mapping's filled keys in ``order`` first, then the others as they came."""
    order = list(order)
    result = {key: mapping[key] for key in order if key in mapping and _filled(mapping[key])}
    for key, value in mapping.items():
        if key not in result and key not in order and _filled(value):
            result[key] = value
    return result


def _people(items: Any, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Contractors or contacts: only the standard's fields, only those filled, in order."""
    people = []
    for item in items or []:
        if isinstance(item, Mapping):
            person = {key: _as_date_text(item[key]) for key in fields if _filled(item.get(key))}
            if person:
                people.append(person)
    return people


def _description_language(description: Mapping[str, Any]) -> str | None:
    if DEFAULT_LANGUAGE in description:
        return DEFAULT_LANGUAGE
    return next(iter(description), None)


def _description(data: Mapping[str, Any]) -> dict[str, Any]:
    description: dict[str, Any] = copy.deepcopy(dict(data.get("description") or {}))
    language = data.get("description_language") or _description_language(description)
    language = language or DEFAULT_LANGUAGE
    flat = {
        "shortDescription": data.get("short_description"),
        "longDescription": data.get("long_description"),
        "documentation": data.get("documentation"),
        "features": data.get("features"),
    }
    # The flat fields are the Hub's editable copy of one language: they win over the map.
    overrides = {key: value for key, value in flat.items() if _filled(value)}
    if overrides:
        entry = description.setdefault(language, {})
        entry.update(copy.deepcopy(overrides))
    return {
        lang: _ordered(entry, vocab.DESCRIPTION_ORDER)
        for lang, entry in description.items()
        if isinstance(entry, Mapping) and entry
    }


def _depends_on(depends_on: Any) -> dict[str, Any]:
    if not isinstance(depends_on, Mapping):
        return {}
    result: dict[str, Any] = {}
    for kind in (*vocab.DEPENDENCY_KINDS, *depends_on):
        items = depends_on.get(kind)
        if kind in result or not isinstance(items, list) or not items:
            continue
        result[kind] = [
            _ordered(item, DEPENDENCY_FIELDS) if isinstance(item, Mapping) else item
            for item in items
        ]
    return result


def _merge_extra(section: dict[str, Any], extra: Any) -> dict[str, Any]:
    """Add leftover keys carried in ``extra`` without overriding what the Hub maps."""
    if isinstance(extra, Mapping):
        for key, value in extra.items():
            section.setdefault(key, copy.deepcopy(value))
    return section


def to_publiccode(data: Mapping[str, Any]) -> str:
    """Write publiccode.yml (version 0.4.0) text from the plain dict; missing keys are left out.

    The result is not validated here: pass it to ``validate`` to learn whether the fields
    given are enough for a valid file.
    """
    extra: dict[str, Any] = dict(data.get("extra") or {})
    document: dict[str, Any] = {
        "publiccodeYmlVersion": _Quoted(EXPORT_VERSION),
        "name": data.get("name"),
        "url": data.get("url"),
        "landingURL": data.get("landing_url"),
        "softwareVersion": data.get("software_version"),
        "releaseDate": _as_date_text(data.get("release_date")),
        "platforms": list(data.get("platforms") or []),
        "categories": list(data.get("categories") or []),
        "developmentStatus": data.get("development_status"),
        "softwareType": data.get("software_type"),
        "description": _description(data),
        "legal": _merge_extra(
            {
                "license": data.get("licence"),
                "mainCopyrightOwner": data.get("main_copyright_owner"),
                "repoOwner": data.get("repo_owner"),
            },
            extra.pop("legal", None),
        ),
        "maintenance": _merge_extra(
            {
                "type": data.get("maintenance_type"),
                "contractors": _people(data.get("contractors"), CONTRACTOR_FIELDS),
                "contacts": _people(data.get("contacts"), CONTACT_FIELDS),
            },
            extra.pop("maintenance", None),
        ),
        "localisation": _merge_extra(
            {
                "localisationReady": data.get("localisation_ready"),
                "availableLanguages": list(data.get("available_languages") or []),
            },
            extra.pop("localisation", None),
        ),
        "dependsOn": _depends_on(data.get("depends_on")),
        "uk": _merge_extra({"supports": list(data.get("supports") or [])}, extra.pop("uk", None)),
    }
    if document["softwareVersion"] is not None:
        document["softwareVersion"] = str(document["softwareVersion"])
    for key, value in extra.items():
        if key not in document or not _filled(document[key]):
            document[key] = copy.deepcopy(value)
    for key in ("legal", "maintenance", "localisation", "uk"):
        document[key] = {name: value for name, value in document[key].items() if _filled(value)}
    ordered = _ordered(document, vocab.TOP_LEVEL_ORDER)
    return yaml.dump(  # noqa: S506 - dumping, with a SafeDumper subclass
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _as_date(value: Any) -> date | Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _list(value: Any) -> list[Any]:
    return copy.deepcopy(value) if isinstance(value, list) else []


def from_publiccode(data: Mapping[str, Any]) -> dict[str, Any]:
    """Map a validated publiccode.yml mapping to the plain dict ``to_publiccode`` takes.

    The one-language fields come from the ``en`` description, else the first language; the
    full description map is kept too. Keys the Hub has no field for are kept in ``extra``.
    """

    def section(key: str) -> dict[str, Any]:
        value = data.get(key)
        return value if isinstance(value, dict) else {}

    description = section("description")
    language = _description_language(description)
    chosen = description.get(language) if language else None
    chosen = chosen if isinstance(chosen, dict) else {}
    legal = section("legal")
    maintenance = section("maintenance")
    localisation = section("localisation")
    uk = section("uk")

    contractors = [
        {**person, "until": _as_date(person["until"])} if "until" in person else person
        for person in _people(maintenance.get("contractors"), CONTRACTOR_FIELDS)
    ]
    release_date = data.get("releaseDate")
    software_version = data.get("softwareVersion")

    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key in _MAPPED_KEYS:
            continue
        if key in _PARTLY_MAPPED:
            leftovers = {
                name: copy.deepcopy(item)
                for name, item in section(key).items()
                if name not in _PARTLY_MAPPED[key]
            }
            if leftovers:
                extra[key] = leftovers
            continue
        extra[key] = copy.deepcopy(value)

    return {
        "name": _text(data.get("name")),
        "url": _text(data.get("url")),
        "landing_url": _text(data.get("landingURL")),
        "software_version": "" if software_version is None else str(software_version),
        "release_date": _as_date(release_date) if release_date else None,
        "platforms": _list(data.get("platforms")),
        "categories": _list(data.get("categories")),
        "development_status": _text(data.get("developmentStatus")),
        "software_type": _text(data.get("softwareType")),
        "description": copy.deepcopy(description),
        "description_language": language or "",
        "short_description": _text(chosen.get("shortDescription")),
        "long_description": _text(chosen.get("longDescription")),
        "documentation": _text(chosen.get("documentation")),
        "features": _list(chosen.get("features")),
        "licence": _text(legal.get("license")),
        "main_copyright_owner": _text(legal.get("mainCopyrightOwner")),
        "repo_owner": _text(legal.get("repoOwner")),
        "maintenance_type": _text(maintenance.get("type")),
        "contractors": contractors,
        "contacts": _people(maintenance.get("contacts"), CONTACT_FIELDS),
        "available_languages": _list(localisation.get("availableLanguages")),
        "localisation_ready": localisation.get("localisationReady")
        if isinstance(localisation.get("localisationReady"), bool)
        else None,
        "depends_on": copy.deepcopy(section("dependsOn")),
        "supports": _list(uk.get("supports")),
        "extra": extra,
    }
