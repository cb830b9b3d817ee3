"""Content hashes of section texts, recorded by translations to detect when they fall behind."""

from __future__ import annotations

import hashlib
import unicodedata

HASH_LENGTH = 12


def normalized(text: str) -> str:
    """Text as it counts for a hash: NFC, Unix line ends, no trailing spaces, no outer blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def section_hash(title: str, body: str) -> str:
    """A short SHA-256 of a section's title and body in one locale."""
    content = normalized(title) + "\n\n" + normalized(body)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:HASH_LENGTH]
