"""Check a publiccode.yml file against the standard (versions 0.2 to 0.4, and "0").

``validate`` never raises for bad input: every problem becomes a ``Message`` that names the line
and column it was found at, the dotted key it concerns and what to do about it. Problems that
make the file wrong are errors; things the standard tolerates (unknown keys, deprecated keys,
style) are warnings.

Rules are written to accept every real file this package ships in ``examples/``: files written
for older versions of the standard stay valid when they follow the version they declare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from license_expression import Licensing, get_spdx_licensing

from . import vocabularies as vocab
from .checks import LATEST, Checker, Handler, Message
from .parser import ParseError, Path, parse

DESCRIPTION_SHORT_MAX = 150
DESCRIPTION_LONG_MIN = 150
DESCRIPTION_LONG_MAX = 10_000
FEATURE_MAX = 100
GENERIC_NAME_MAX = 35

_VERSION = re.compile(r"^0(?:\.([234])(?:\.(?:0|[1-9][0-9]*))?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_LICENCE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_LICENCE_TOKEN = re.compile(r"[A-Za-z0-9.+:-]+")
_OPERATORS = frozenset({"and", "or", "with"})


@dataclass
class ValidationReport:
    """The outcome of ``validate``: findings, the declared version and the parsed mapping."""

    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    version: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def validate(text: str | bytes) -> ValidationReport:
    """Parse and check publiccode.yml ``text``; return every error and warning found."""
    try:
        document = parse(text)
    except ParseError as error:
        return ValidationReport(
            errors=[Message(error.line, error.column, error.key, error.message)]
        )
    checker = _Rules(document)
    checker.check()
    return ValidationReport(
        errors=sorted(checker.errors, key=_place),
        warnings=sorted(checker.warnings, key=_place),
        version=checker.version,
        data=document.data,
    )


@lru_cache(maxsize=1)
def _licensing() -> Licensing:
    return get_spdx_licensing()


def _place(message: Message) -> tuple[int, int]:
    return (message.line or 0, message.column or 0)


def _version_key(version: str) -> tuple[int, int]:
    match = _VERSION.match(version)
    if match is None or match.group(1) is None:
        return LATEST
    return (0, int(match.group(1)))


class _Rules(Checker):
    """The rules of the publiccode.yml standard, plus the Hub's `uk` extension."""

    # The document --------------------------------------------------------------------------

    def check(self) -> None:
        self.check_version()
        handlers: dict[str, Handler] = {
            "publiccodeYmlVersion": self.accept,
            "name": self.text_key,
            "applicationSuite": self.text_key,
            "url": self.url,
            "landingURL": self.url,
            "isBasedOn": self.check_is_based_on,
            "softwareVersion": self.text_key,
            "releaseDate": self.date,
            "logo": self.path_or_url,
            "monochromeLogo": self.check_monochrome_logo,
            "platforms": self.check_platforms,
            "categories": self.check_categories,
            "usedBy": self.text_list,
            "fundedBy": self.check_funded_by,
            "roadmap": self.url,
            "developmentStatus": lambda p, v: self.one_of(p, v, vocab.DEVELOPMENT_STATUSES),
            "softwareType": lambda path, value: self.one_of(path, value, vocab.SOFTWARE_TYPES),
            "inputTypes": self.check_io_types,
            "outputTypes": self.check_io_types,
            "intendedAudience": self.check_intended_audience,
            "description": self.check_description,
            "legal": self.check_legal,
            "maintenance": self.check_maintenance,
            "localisation": self.check_localisation,
            "dependsOn": self.check_depends_on,
            # Country extensions: Italy's is maintained by its own standard, so it is accepted
            # as written; `uk` is the Hub's own.
            "it": self.accept,
            "IT": self.accept,
            "uk": self.check_uk,
            "organisation": self.check_organisation,
        }
        required = (
            "publiccodeYmlVersion",
            "name",
            "url",
            "platforms",
            "categories",
            "developmentStatus",
            "softwareType",
            "description",
            "legal",
            "maintenance",
            "localisation",
        )
        self.keys((), self.data, handlers, required)
        if "softwareVersion" in self.data and "releaseDate" not in self.data:
            self.error_at(
                ("softwareVersion",),
                ("releaseDate",),
                "Add releaseDate (YYYY-MM-DD): it is mandatory when softwareVersion is set",
            )

    def accept(self, path: Path, value: Any) -> None:
        """Keys accepted as written: the version (checked first) and Italy's extension."""

    def text_key(self, path: Path, value: Any) -> None:
        self.text(path, value)

    def text_list(self, path: Path, value: Any) -> None:
        self.texts(path, value)

    def check_platforms(self, path: Path, value: Any) -> None:
        self.texts(path, value, non_empty=True)

    def check_version(self) -> None:
        path: Path = ("publiccodeYmlVersion",)
        value = self.data.get("publiccodeYmlVersion")
        if value is None:
            return  # reported as a missing mandatory key
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.warn(path, 'Write the version in quotes, such as "0.4"')
            value = str(value)
        if not isinstance(value, str):
            self.wrong_type(path, value, "text")
            return
        self.version = value
        if not _VERSION.match(value):
            self.error(
                path,
                f"publiccodeYmlVersion '{value}' is not supported; use "
                f"{vocab.SUPPORTED_VERSIONS_TEXT}",
            )
        self.version_key = _version_key(value)

    def check_is_based_on(self, path: Path, value: Any) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.url((*path, index), item)
        else:
            self.url(path, value)

    def check_monochrome_logo(self, path: Path, value: Any) -> None:
        self.deprecated(path, (0, 4), "use logo only")
        self.path_or_url(path, value)

    def check_io_types(self, path: Path, value: Any) -> None:
        self.deprecated(path, (0, 3), "remove it")
        self.texts(path, value)

    def check_categories(self, path: Path, value: Any) -> None:
        for item_path, item in self.texts(path, value, non_empty=True):
            if item not in vocab.CATEGORIES:
                self.error(
                    item_path,
                    f"'{item}' is not a category of the publiccode.yml standard",
                )

    def check_funded_by(self, path: Path, value: Any) -> None:
        for index, item in enumerate(self.sequence(path, value) or []):
            funder = self.mapping((*path, index), item)
            if funder is not None:
                handlers = {"name": self.text_key, "uri": self.url}
                self.keys((*path, index), funder, handlers, ("name",))

    def check_intended_audience(self, path: Path, value: Any) -> None:
        audience = self.mapping(path, value)
        if audience is None:
            return
        handlers = {
            "countries": self.check_countries,
            "unsupportedCountries": self.check_countries,
            "scope": self.check_scope,
        }
        self.keys(path, audience, handlers)

    def check_countries(self, path: Path, value: Any) -> None:
        for item_path, item in self.texts(path, value):
            code = item.upper()
            if code in vocab.COUNTRY_HINTS:
                better = vocab.COUNTRY_HINTS[code]
                hint = f"; use {better}" if better else ""
                self.error(item_path, f"'{item}' is not an ISO 3166-1 alpha-2 country code{hint}")
            elif code not in vocab.COUNTRIES:
                self.error(item_path, f"'{item}' is not an ISO 3166-1 alpha-2 country code")
            elif item != code:
                self.warn(item_path, f"Write country codes in capitals: '{code}'")

    def check_scope(self, path: Path, value: Any) -> None:
        for item_path, item in self.texts(path, value):
            if item not in vocab.SCOPES:
                self.error(item_path, f"'{item}' is not a scope of the publiccode.yml standard")

    # description ---------------------------------------------------------------------------

    def check_description(self, path: Path, value: Any) -> None:
        languages = self.mapping(path, value)
        if languages is None:
            return
        if not languages:
            self.error(path, "Describe the software in at least one language", at_key=True)
        for language, entry in languages.items():
            child = (*path, language)
            if not _LANGUAGE.match(language):
                self.error(
                    child,
                    f"'{language}' is not a language code (BCP 47), such as en or en-GB",
                    at_key=True,
                )
            described = self.mapping(child, entry)
            if described is not None:
                self.check_description_entry(child, described)

    def check_description_entry(self, path: Path, entry: dict[str, Any]) -> None:
        handlers: dict[str, Handler] = {
            "localisedName": self.text_key,
            "genericName": self.check_generic_name,
            "shortDescription": self.check_short_description,
            "longDescription": self.check_long_description,
            "documentation": self.url,
            "apiDocumentation": self.url,
            "features": self.check_features,
            "screenshots": self.check_screenshots,
            "videos": self.check_videos,
            "awards": self.text_list,
        }
        self.keys(path, entry, handlers, ("shortDescription", "longDescription"))

    def check_generic_name(self, path: Path, value: Any) -> None:
        if self.version_key >= (0, 3):
            self.warn(path, "Deprecated since publiccode.yml 0.3: remove genericName", at_key=True)
        else:
            self.warn(
                path,
                "genericName is deprecated from publiccode.yml 0.3; leave it out when you move "
                "to a newer version",
                at_key=True,
            )
        checked = self.text(path, value)
        if checked is not None and len(checked.strip()) > GENERIC_NAME_MAX:
            self.warn(path, f"Should be at most {GENERIC_NAME_MAX} characters")

    def check_short_description(self, path: Path, value: Any) -> None:
        checked = self.text(path, value)
        if checked is not None and len(checked.strip()) > DESCRIPTION_SHORT_MAX:
            self.error(
                path,
                f"Must be at most {DESCRIPTION_SHORT_MAX} characters; it has "
                f"{len(checked.strip())}",
            )

    def check_long_description(self, path: Path, value: Any) -> None:
        checked = self.text(path, value)
        if checked is None:
            return
        length = len(checked.strip())
        if not DESCRIPTION_LONG_MIN <= length <= DESCRIPTION_LONG_MAX:
            self.error(
                path,
                f"Must be between {DESCRIPTION_LONG_MIN} and {DESCRIPTION_LONG_MAX:,} "
                f"characters; it has {length:,}",
            )

    def check_features(self, path: Path, value: Any) -> None:
        for item_path, item in self.texts(path, value):
            if len(item.strip()) > FEATURE_MAX:
                self.warn(item_path, f"Each feature should be at most {FEATURE_MAX} characters")

    def check_screenshots(self, path: Path, value: Any) -> None:
        for index, item in enumerate(self.sequence(path, value) or []):
            self.path_or_url((*path, index), item)

    def check_videos(self, path: Path, value: Any) -> None:
        for index, item in enumerate(self.sequence(path, value) or []):
            self.url((*path, index), item)

    # legal ---------------------------------------------------------------------------------

    def check_legal(self, path: Path, value: Any) -> None:
        legal = self.mapping(path, value)
        if legal is None:
            return
        handlers: dict[str, Handler] = {
            "license": self.check_licence,
            "mainCopyrightOwner": self.text_key,
            "repoOwner": self.text_key,
            "authorsFile": self.check_authors_file,
        }
        self.keys(path, legal, handlers, ("license",))

    def check_authors_file(self, path: Path, value: Any) -> None:
        self.deprecated(path, (0, 3), "remove legal.authorsFile")
        self.text(path, value)

    def check_licence(self, path: Path, value: Any) -> None:
        expression = self.text(path, value)
        if expression is None:
            return
        info = _licensing().validate(expression.strip())
        unknown = list(dict.fromkeys(symbol for symbol in info.invalid_symbols if symbol))
        references = [symbol for symbol in unknown if _LICENCE_REF.match(symbol)]
        unknown = [symbol for symbol in unknown if symbol not in references]
        syntax = [error for error in info.errors if not error.startswith("Unknown license key")]
        if unknown and not syntax:
            names = ", ".join(f"'{symbol}'" for symbol in unknown)
            noun = (
                "is not an SPDX licence identifier"
                if len(unknown) == 1
                else "are not SPDX licence identifiers"
            )
            self.error(path, f"{names} {noun}; see https://spdx.org/licenses/")
        elif syntax:
            self.error(path, f"'{expression}' is not a valid SPDX licence expression")
        elif info.normalized_expression and not references:
            written = [t for t in _LICENCE_TOKEN.findall(expression) if t.lower() not in _OPERATORS]
            spdx = _LICENCE_TOKEN.findall(info.normalized_expression)
            spdx = [t for t in spdx if t.lower() not in _OPERATORS]
            if written != spdx:
                self.warn(path, f"SPDX writes this licence as '{info.normalized_expression}'")

    # maintenance ---------------------------------------------------------------------------

    def check_maintenance(self, path: Path, value: Any) -> None:
        maintenance = self.mapping(path, value)
        if maintenance is None:
            return
        handlers: dict[str, Handler] = {
            "type": lambda child, kind: self.one_of(child, kind, vocab.MAINTENANCE_TYPES),
            "contractors": self.check_contractors,
            "contacts": self.check_contacts,
        }
        self.keys(path, maintenance, handlers, ("type",))
        kind = maintenance.get("type")
        if kind not in vocab.MAINTENANCE_TYPES:
            return
        type_path = (*path, "type")
        if kind == "contract" and not maintenance.get("contractors"):
            self.because_of_type(
                type_path,
                "contractors" in maintenance,
                "contractors",
                "Add at least one contractor: maintenance type 'contract' needs contractors",
            )
        if kind != "contract" and "contractors" in maintenance:
            self.error(
                (*path, "contractors"),
                f"Remove the contractors: they are only for maintenance type 'contract', "
                f"and this is '{kind}'",
                at_key=True,
            )
        if kind in {"internal", "community"} and not maintenance.get("contacts"):
            self.because_of_type(
                type_path,
                "contacts" in maintenance,
                "contacts",
                f"Add at least one contact: maintenance type '{kind}' needs contacts",
            )

    def because_of_type(self, type_path: Path, present: bool, key: str, text: str) -> None:
        """A list the maintenance type needs is missing: point at it, or at the type if absent."""
        key_path = (*type_path[:-1], key)
        if present:
            self.error(key_path, text, at_key=True)
            return
        self.error_at(type_path, key_path, text)

    def check_contractors(self, path: Path, value: Any) -> None:
        handlers: dict[str, Handler] = {
            "name": self.text_key,
            "until": self.date,
            "email": self.email,
            "website": self.url,
        }
        for index, item in enumerate(self.sequence(path, value) or []):
            contractor = self.mapping((*path, index), item)
            if contractor is not None:
                self.keys((*path, index), contractor, handlers, ("name", "until"))

    def check_contacts(self, path: Path, value: Any) -> None:
        handlers: dict[str, Handler] = {
            "name": self.text_key,
            "email": self.email,
            "phone": self.optional_text,
            "affiliation": self.optional_text,
        }
        for index, item in enumerate(self.sequence(path, value) or []):
            contact = self.mapping((*path, index), item)
            if contact is not None:
                self.keys((*path, index), contact, handlers, ("name",))

    # localisation, dependencies, extensions ------------------------------------------------

    def check_localisation(self, path: Path, value: Any) -> None:
        localisation = self.mapping(path, value)
        if localisation is None:
            return
        handlers: dict[str, Handler] = {
            "localisationReady": self.boolean,
            "availableLanguages": self.check_languages,
        }
        self.keys(path, localisation, handlers, ("localisationReady", "availableLanguages"))

    def check_languages(self, path: Path, value: Any) -> None:
        for item_path, item in self.texts(path, value, non_empty=True):
            if not _LANGUAGE.match(item):
                self.error(item_path, f"'{item}' is not a language code (BCP 47), such as en")

    def check_depends_on(self, path: Path, value: Any) -> None:
        depends_on = self.mapping(path, value)
        if depends_on is None:
            return
        handlers = {kind: self.check_dependencies for kind in vocab.DEPENDENCY_KINDS}
        self.keys(path, depends_on, handlers)

    def check_dependencies(self, path: Path, value: Any) -> None:
        handlers: dict[str, Handler] = {
            "name": self.text_key,
            "versionMin": self.text_key,
            "versionMax": self.text_key,
            "version": self.text_key,
            "optional": self.boolean,
        }
        for index, item in enumerate(self.sequence(path, value) or []):
            dependency = self.mapping((*path, index), item)
            if dependency is not None:
                self.keys((*path, index), dependency, handlers, ("name",))

    def check_organisation(self, path: Path, value: Any) -> None:
        organisation = self.mapping(path, value)
        if organisation is not None:
            self.keys(path, organisation, {"uri": self.text_key, "name": self.text_key})

    def check_uk(self, path: Path, value: Any) -> None:
        uk = self.mapping(path, value)
        if uk is None:
            return
        for key in uk:
            if key != "supports":
                self.error(
                    (*path, key),
                    f"Unknown key '{key}' in the uk section: only 'supports' is allowed",
                    at_key=True,
                )
        if "supports" not in uk:
            self.warn(path, "The uk section is empty: add uk.supports or remove it", at_key=True)
            return
        supports_path = (*path, "supports")
        seen: set[str] = set()
        for item_path, item in self.texts(supports_path, uk["supports"]):
            if item not in vocab.UK_SUPPORTS:
                self.error(
                    item_path,
                    f"'{item}' is not one of: {', '.join(vocab.UK_SUPPORTS)}",
                )
            elif item in seen:
                self.warn(item_path, f"'{item}' is listed more than once")
            seen.add(item)
