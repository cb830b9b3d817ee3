"""RFC 8785 (JSON Canonicalization Scheme) for the values noticegen hashes, and digests over it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) for the values these documents hold: text, integers, booleans, null, arrays, objects.

    Keys are sorted by their UTF-16 code units, strings are written as JSON with no escapes beyond
    those RFC 8785 requires, and there is no whitespace. (No floating-point numbers are ever hashed.)
    """
    if _keys_sort_as_code_points(value):
        # The same text as _canonical writes, from the json module's C encoder: sorting by code points is
        # sorting by UTF-16 code units for every key without a character from U+D800 up.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return _canonical(value).encode("utf-8")


# Where UTF-16 code units and code points sort apart: a character beyond U+FFFF (a surrogate pair in UTF-16)
# sorts before one from U+E000 to U+FFFF in UTF-16 and after it by code point.
_FIRST_UNSAFE = "\ud800"


def _keys_sort_as_code_points(value: Any) -> bool:
    """Whether `value` holds only dicts, lists, tuples and JSON scalars, no float, and only keys that sort
    the same by code points as by UTF-16 code units."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str or (key and max(key) >= _FIRST_UNSAFE):
                    return False
            pending.extend(item.values())
        elif kind is list or kind is tuple:
            pending.extend(item)
        elif kind is float or not (kind is str or kind is int or kind is bool or item is None):
            return False
    return True


def _canonical(value: Any) -> str:
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: item[0].encode("utf-16-be"))
        return "{" + ",".join(f"{_canonical(key)}:{_canonical(item)}" for key, item in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, float):
        raise TypeError("floating-point numbers are not hashed")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canonical_digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()
