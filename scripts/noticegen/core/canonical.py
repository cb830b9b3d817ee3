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
    return _canonical(value).encode("utf-8")


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
