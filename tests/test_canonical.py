"""Digests are SHA-256 over RFC 8785 (JCS): our writer gives the bytes of an independent implementation."""

from __future__ import annotations

import random

import pytest
import rfc8785

from noticegen.core.canonical import canonical_json

# Characters where JSON escaping and UTF-16 key order are easy to get wrong: controls, quotes, the last BMP
# characters (which sort after a surrogate pair by code point but before it in UTF-16), astral ones.
CHARACTERS = ["a", "Z", "é", "数", "\x00", "\x1f", "\x7f", '"', "\\", "/", "\u2028", "\ue000", "\uffff", "😀", "𠀀"]


def random_value(rnd: random.Random, depth: int = 0) -> object:
    def text() -> str:
        return "".join(rnd.choice(CHARACTERS) for _ in range(rnd.randint(0, 4)))

    kind = rnd.randint(0, 6 if depth < 3 else 3)
    if kind == 0:
        return text()
    if kind == 1:
        return rnd.choice([0, -1, 7, 2**40, True, False, None])
    if kind in (2, 3):
        return text()
    if kind == 4:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    return {text(): random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}


@pytest.mark.parametrize("seed", range(300))
def test_canonical_json_is_rfc_8785(seed: int) -> None:
    value = random_value(random.Random(seed))
    assert canonical_json(value) == rfc8785.dumps(value)


def test_keys_beyond_the_bmp_sort_by_utf16_code_units() -> None:
    value = {"\ue000": 1, "😀": 2, "a": {"\uffff": 3, "𠀀": 4}}
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value).decode().startswith('{"a":{"𠀀":4,"\uffff":3},"😀":2,')


def test_a_float_is_never_hashed() -> None:
    with pytest.raises(TypeError, match="floating-point"):
        canonical_json({"a": [1, 2.5]})
