"""A checked notice (model.notice.Notice) as JSON text and back, exactly: the build cache keeps released
versions' notices so that a later build does not check them again.

JSON rather than pickle: the cache is a folder a CI cache restores, and reading it must never run code. The
decoder makes only the model's own classes and plain values; anything else in the text, or a value the
encoder does not know (a YAML type the checks let through and this module has never seen), is `UncodableError`:
the caller checks the version instead of caching it.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from noticegen.model.notice import Gap, Locale, LocaleText, Notice, Section, SectionText
from noticegen.model.tables import Column, Row, Table
from noticegen.text.clauses import Clause

# Each class by its tag: the only classes the decoder makes.
MODEL_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (Notice, Locale, Section, SectionText, LocaleText, Gap, Table, Column, Row, Clause)
}
TAG = "@"


class UncodableError(ValueError):
    """A value the codec does not know, in either direction."""


# What JSON holds as it is. Exactly these types: a subclass (an enum, a string with more to it) would come
# back as its base, so it is not known.
PLAIN = (type(None), bool, str, int, float)


def _encode(value: Any) -> Any:
    if type(value) in PLAIN:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if MODEL_CLASSES.get(name) is not type(value):
            raise UncodableError(f"not a class of the model: {type(value).__qualname__}")
        fields = {field.name: _encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {TAG: name, **fields}
    # A mapping keeps its kind (a read-only proxy or a dict) and its keys, which YAML lets be other than text.
    if isinstance(value, MappingProxyType):
        return {TAG: "proxy", "items": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, dict):
        return {TAG: "dict", "items": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    # datetime before date: a datetime is a date.
    if isinstance(value, datetime.datetime):
        return {TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {TAG: "date", "value": value.isoformat()}
    raise UncodableError(f"a value of type {type(value).__qualname__}")


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        raise UncodableError("a mapping key that is not hashable") from None
    return value


def _pairs(items: Any) -> list[tuple[Any, Any]]:
    if not isinstance(items, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in items):
        raise UncodableError("a mapping that is not a list of pairs")
    return [(_hashable(_decode(key)), _decode(item)) for key, item in items]


def _items(value: dict[str, Any]) -> Any:
    if set(value) != {TAG, "items"}:
        raise UncodableError(f"a {value[TAG]} with other fields than its items")
    return value["items"]


def _model(cls: type, value: dict[str, Any]) -> Any:
    names = {field.name for field in dataclasses.fields(cls)}
    given = set(value) - {TAG}
    if not given <= names:
        raise UncodableError(f"unknown fields of {cls.__name__}: {sorted(given - names)}")
    try:
        return cls(**{name: _decode(item) for name, item in value.items() if name != TAG})
    except TypeError as wrong:  # a required field missing
        raise UncodableError(f"{cls.__name__}: {wrong}") from None


def _iso(kind: Callable[[str], Any], value: dict[str, Any]) -> Any:
    if set(value) != {TAG, "value"} or not isinstance(value["value"], str):
        raise UncodableError(f"a {value[TAG]} that is not one ISO 8601 text")
    try:
        return kind(value["value"])
    except ValueError:
        raise UncodableError(f"not a {value[TAG]}: {value['value']!r}") from None


def _decode(value: Any) -> Any:
    if type(value) in PLAIN:
        return value
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict) or not isinstance(value.get(TAG), str):
        raise UncodableError("an object without its tag")
    tag = value[TAG]
    if tag in MODEL_CLASSES:
        return _model(MODEL_CLASSES[tag], value)
    if tag == "proxy":
        return MappingProxyType(dict(_pairs(_items(value))))
    if tag == "dict":
        return dict(_pairs(_items(value)))
    if tag == "tuple":
        items = _items(value)
        if not isinstance(items, list):
            raise UncodableError("a tuple that is not a list")
        return tuple(_decode(item) for item in items)
    if tag == "datetime":
        return _iso(datetime.datetime.fromisoformat, value)
    if tag == "date":
        return _iso(datetime.date.fromisoformat, value)
    raise UncodableError(f"an unknown tag {tag!r}")


def notice_text(notice: Notice) -> str:
    """The notice as JSON text (UncodableError when it holds a value this module does not know)."""
    try:
        return json.dumps(_encode(notice), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as unknown:  # UncodableError is one; json's own: a float that is not a number (YAML .nan)
        raise UncodableError(str(unknown)) from None


def notice_from_text(text: str) -> Notice:
    """The notice `notice_text` wrote (UncodableError for any other text)."""
    try:
        notice = _decode(json.loads(text))
    except RecursionError:
        raise UncodableError("nested too deep") from None
    except ValueError as wrong:  # UncodableError is one too
        raise wrong if isinstance(wrong, UncodableError) else UncodableError("not JSON text") from None
    if not isinstance(notice, Notice):
        raise UncodableError("not a notice")
    return notice
