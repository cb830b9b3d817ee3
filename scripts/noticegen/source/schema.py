"""A small declarative schema for the YAML files, with messages written for legal editors.

Validation returns a cleaned copy of the data: a value of the wrong type is reported and dropped
(`INVALID`), so the later checks still run on everything else and every problem is found in one
run. Each kind also says how a `{{data:...}}` reference to it is rendered (`ref`).
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from noticegen.core.diagnostics import Report, shown
from noticegen.source.json_schema import ecma_pattern, nullable, text_message, text_pattern, with_doc
from noticegen.source.yamlsource import INVALID, Pos, SourceFile, YList, YMap

SECTION_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DATA_KEY = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
LOCALE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")  # BCP 47, as <html lang> takes it
# Characters a URL never needs and that could end the markup it is written into.
URL = re.compile(r"^https?://[^\s/$.?#<>\"'`\\{}|^][^\s<>\"'`\\{}|^]*$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{4,}[0-9]$")
# Characters no text of a notice needs, each of which can change what a reader sees or what a page does:
# control characters (a carriage return ends a Markdown line as a newline does), bidirectional embeddings,
# overrides and isolates (they reorder what is shown: "Trojan Source"), and, in single-line text, invisible
# characters (zero-width space, word joiner, byte-order mark) that make two equal-looking texts differ.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")


def char_name(char: str) -> str:
    """A character as messages show it: `U+202E (RIGHT-TO-LEFT OVERRIDE)`, never the character itself."""
    names = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE"}
    name = names.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    # A two-letter code one letter off (fe for fr) is half like it: short words are compared more loosely.
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5 if len(word) <= 3 else 0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= 12:
        return "expected one of: " + ", ".join(sorted(choices)) if choices else "nothing is expected here"
    return ""


@dataclass
class Where:
    """Where a value stands: its file, position and dotted path, plus what validation needs to know."""

    file: SourceFile
    pos: Pos | None
    path: str
    report: Report
    locales: tuple[str, ...] = ()

    def child(self, key: str | int, pos: Pos | None) -> Where:
        label = f"{self.path}[{key}]" if isinstance(key, int) else (f"{self.path}.{key}" if self.path else key)
        return Where(self.file, pos, label, self.report, self.locales)

    def error(self, message: str, hint: str = "") -> None:
        self.report.error(self.file.at(self.pos), message, hint)

    def error_at_char(self, value: str, index: int, message: str, hint: str = "") -> None:
        """An error at a character of a one-line value, in characters on its own line where it can be found."""
        at = self.file.at(self.pos)
        line = self.file.lines[at.line - 1] if self.pos and 0 < at.line <= len(self.file.lines) else ""
        before = value[:index]
        if "\n" not in before:
            column = line.find(value[index], at.col - 1)
            if column >= 0:
                at = type(at)(at.path, at.line, column + 1)
        self.report.error(at, message, hint)

    @property
    def name(self) -> str:
        return f"'{shown(self.path)}'" if self.path else "the file"


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Kind:
    """One kind of value. `ref` names how a `{{data:...}}` reference to it renders (None: it cannot)."""

    expected = "a value"
    ref: str | None = None

    def validate(self, value: Any, where: Where) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The same rules as JSON Schema (draft 2020-12), for editors: as close as a static schema can say."""
        raise NotImplementedError(f"{type(self).__name__} has no JSON Schema")

    def wrong_type(self, value: Any, where: Where) -> Any:
        hint = "put it in quotes" if self.expected == "text" and value is not None else ""
        where.error(f"{where.name} should be {self.expected}, not {describe(value)}", hint)
        return INVALID


@dataclass
class Text(Kind):
    single_line: bool = False
    plain: bool = False  # shown by the theme as it is: no markup characters
    expected = "text"
    ref = "text"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if not value.strip():
            where.error(f"{where.name} is empty", "write the text, or remove the key if it is optional")
            return INVALID
        problem = text_problem(value, single_line=self.single_line, plain=self.plain)
        if problem is None:
            return value
        index, what, hint = problem
        if index is None:
            where.error(f"{where.name} {what}", hint)
        else:
            where.error_at_char(value, index, f"{where.name} {what}", hint)
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": text_pattern(single_line=self.single_line, plain=self.plain),
            "patternErrorMessage": text_message(single_line=self.single_line, plain=self.plain),
        }


def text_problem(value: str, *, single_line: bool, plain: bool = False) -> tuple[int | None, str, str] | None:
    """What makes `value` unsafe to publish as text: (character index or None, what, hint), or None."""
    control = r"[\x00-\x09\x0b-\x1f\x7f-\x9f]" if single_line else CONTROL.pattern  # a tab only in text
    patterns = [
        (control, "the control character", "delete it"),
        (BIDI_CONTROL.pattern, "the invisible direction control", "delete it: it reorders the text as shown"),
    ]
    if single_line:
        patterns.append((INVISIBLE.pattern, "the invisible character", "delete it"))
    for pattern, what, hint in patterns:
        found = re.search(pattern, value)
        if found:
            return found.start(), f"contains {what} {char_name(found.group(0))}", hint
    if single_line and "\n" in value.rstrip("\n"):
        return None, "must be a single line", "write it on one line; a line break in it would start new markup"
    if plain and re.search(r"[<>\"`]", value):
        return None, 'may not contain < > " or `', "write plain text"
    return None


@dataclass
class Pattern(Kind):
    regex: re.Pattern[str]
    expected: str = "text"
    hint: str = ""
    ref: str | None = "text"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if not self.regex.match(value):
            where.error(f"{where.name} '{shown(value)}' is not {self.expected}", self.hint)
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        message = f"Not {self.expected}" + (f": {self.hint}." if self.hint else ".")
        return {"type": "string", "pattern": ecma_pattern(self.regex.pattern), "patternErrorMessage": message}


def Identifier() -> Pattern:  # noqa: N802 - reads as a kind in the schemas below
    return Pattern(
        SECTION_ID,
        "a valid id",
        "use lowercase ASCII letters, digits and single hyphens, starting with a letter",
        None,
    )


def Email() -> Pattern:  # noqa: N802
    return Pattern(EMAIL, "an e-mail address", "write it as name@example.com", None)


def Phone() -> Pattern:  # noqa: N802
    p = Pattern(PHONE, "a phone number", "write it in international form, e.g. +420 228 881 031")
    p.ref = "phone"
    return p


@dataclass
class Url(Kind):
    expected = "an https or http URL"
    ref = "url"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if not URL.match(value):
            where.error(
                f"{where.name} '{shown(value)}' is not {self.expected}", "write the full address, starting https://"
            )
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "uri",
            "pattern": ecma_pattern(URL.pattern),
            "patternErrorMessage": f"Not {self.expected}: write the full address, starting https://",
        }


# The largest whole number every JSON reader takes exactly (RFC 8785 and I-JSON's safe range): a version's
# digest is computed over its canonical JSON, which has no form for a larger one.
LARGEST_INTEGER = 2**53 - 1


@dataclass
class Integer(Kind):
    minimum: int | None = None
    expected = "a whole number"
    ref = "number"

    def validate(self, value: Any, where: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, where)
        if abs(value) > LARGEST_INTEGER:  # never written out: Python refuses to print one of 4,300 digits or more
            where.error(
                f"{where.name} is too large a number: the JSON export and its digest take at most {LARGEST_INTEGER}",
                "a count of days or an age has a few digits",
            )
            return INVALID
        if self.minimum is not None and value < self.minimum:
            where.error(f"{where.name} should be at least {self.minimum}, not {value}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        bounds = {"maximum": LARGEST_INTEGER, "minimum": -LARGEST_INTEGER if self.minimum is None else self.minimum}
        return {"type": "integer"} | bounds


@dataclass
class Boolean(Kind):
    expected = "true or false"

    def validate(self, value: Any, where: Where) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(value, where)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass
class Date(Kind):
    expected = "a date (YYYY-MM-DD)"
    ref = "date"

    def validate(self, value: Any, where: Where) -> Any:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            return self.wrong_type(value, where)
        return value

    def json_schema(self) -> dict[str, Any]:
        # YAML reads an unquoted 2025-09-23 as a date; an editor's YAML server hands it over as text.
        return {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "patternErrorMessage": "Not a date: write it as YYYY-MM-DD, without quotes.",
        }


@dataclass
class OneOf(Kind):
    choices: tuple[str, ...]
    ref = "text"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, str):
            return self.wrong_type(value, where)
        if value not in self.choices:
            where.error(f"{where.name} '{shown(value)}' is not {self.expected}", did_you_mean(value, self.choices))
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


@dataclass
class Nullable(Kind):
    inner: Kind

    def __post_init__(self) -> None:
        self.ref = self.inner.ref

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.inner.expected} or null"

    def validate(self, value: Any, where: Where) -> Any:
        return None if value is None else self.inner.validate(value, where)

    def json_schema(self) -> dict[str, Any]:
        return nullable(self.inner.json_schema())


@dataclass
class Localized(Kind):
    """Text given once per locale: `{en: ..., zh: ...}`."""

    single_line: bool = True
    expected = "a text per locale"
    ref = "localized"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YMap):
            return self.wrong_type(value, where)
        result = {}
        for code in value:
            key_where = where.child(code, value.key_pos[code])
            if where.locales and code not in where.locales:
                key_where.error(f"unknown locale '{shown(code)}' in {where.name}", did_you_mean(code, where.locales))
                continue
            text = Text(single_line=self.single_line).validate(value[code], where.child(code, value.value_pos[code]))
            if text is not INVALID:
                result[code] = text
        for code in where.locales:
            if code not in value:
                where.error(f"{where.name} has no text for locale '{code}'", f"add `{code}: ...`")
        return result

    def json_schema(self) -> dict[str, Any]:
        # Which locales a notice has is in its notice.yaml, which a static schema cannot read: any code is taken.
        return {
            "type": "object",
            "description": "A text in every locale of the notice, by locale code: `en: …`, `zh: …`.",
            "propertyNames": {
                "pattern": ecma_pattern(LOCALE_CODE.pattern),
                "patternErrorMessage": "Not a locale code: use a code such as en, zh or pt-BR.",
            },
            "additionalProperties": Text(single_line=self.single_line).json_schema(),
            "minProperties": 1,
        }


@dataclass
class ListOf(Kind):
    item: Kind
    nonempty: bool = False
    ref: str | None = None
    expected = "a list"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YList):
            return self.wrong_type(value, where)
        if self.nonempty and not value:
            where.error(f"{where.name} is an empty list")
        result = YList()
        result.pos, result.item_pos = value.pos, []
        for index, (item, pos) in enumerate(zip(value, value.item_pos, strict=True)):
            cleaned = INVALID if item is INVALID else self.item.validate(item, where.child(index, pos))
            if cleaned is not INVALID:
                result.append(cleaned)
                result.item_pos.append(pos)
        return result

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema()} | ({"minItems": 1} if self.nonempty else {})


@dataclass
class DictOf(Kind):
    """A mapping whose keys are names chosen by the editor (ids, locale codes)."""

    key: Pattern
    value: Kind
    expected = "a mapping"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YMap):
            return self.wrong_type(value, where)
        return _clean_map(value, where, self._each)

    def _each(self, key: str, raw: Any, where: Where, key_where: Where) -> Any:
        if self.key.validate(key, key_where) is INVALID:
            return INVALID
        return self.value.validate(raw, where)

    def json_schema(self) -> dict[str, Any]:
        key = self.key.json_schema()
        return {
            "type": "object",
            "propertyNames": {k: v for k, v in key.items() if k != "type"},
            "additionalProperties": self.value.json_schema(),
        }


@dataclass
class Field:
    kind: Kind
    required: bool = True
    doc: str = ""


@dataclass
class Record(Kind):
    fields: Mapping[str, Field] = field(default_factory=dict)
    ref: str | None = None
    expected = "a mapping"

    def validate(self, value: Any, where: Where) -> Any:
        if not isinstance(value, YMap):
            return self.wrong_type(value, where)
        for name, spec in self.fields.items():
            if spec.required and name not in value:
                doc = f": {spec.doc}" if spec.doc else ""
                where.error(f"{where.name} has no '{name}'", f"add `{name}:`{doc}")
        return _clean_map(value, where, self._each)

    def _each(self, key: str, raw: Any, where: Where, key_where: Where) -> Any:
        spec = self.fields.get(key)
        if spec is None:
            key_where.error(f"unknown key '{shown(key)}'", did_you_mean(key, tuple(self.fields)))
            return INVALID
        return spec.kind.validate(raw, where)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: with_doc(spec.kind.json_schema(), spec.doc) for name, spec in self.fields.items()},
        }
        required = [name for name, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema


def _clean_map(value: YMap, where: Where, each: Any) -> YMap:
    result = YMap()
    result.pos, result.key_pos, result.value_pos = value.pos, {}, {}
    invalid = set()
    for key, raw in value.items():
        # Unknown keys and bad names are reported at the key; bad values at the value.
        cleaned = (
            INVALID
            if raw is INVALID
            else each(key, raw, where.child(key, value.value_pos[key]), where.child(key, value.key_pos[key]))
        )
        # Positions are kept for dropped keys too: `notice stamp` rewrites a malformed line in place.
        result.key_pos[key] = value.key_pos[key]
        result.value_pos[key] = value.value_pos[key]
        if cleaned is INVALID:
            invalid.add(key)
        else:
            result[key] = cleaned
    result.invalid = frozenset(invalid)
    return result


def validate_file(kind: Kind, file: SourceFile, report: Report, locales: tuple[str, ...] = ()) -> Any:
    """Validate a whole file's content; returns the cleaned data, or INVALID."""
    where = Where(file, Pos(1, 1), "", report, locales)
    if file.data is INVALID:
        return INVALID
    if file.data is None:
        where.error("the file is empty", "see the README for what it should contain")
        return INVALID
    return kind.validate(file.data, where)
