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


# How a locale's text of a section stands against the source locale's text now in force.
CURRENT = "current"  # translated from the source text now in force
OUTDATED = "outdated"  # translated from an older source text, or from one it never recorded
UNTRANSLATED = "untranslated"  # no translation: the text is the source's, or another locale's, copied


def translation_state(
    source: tuple[str, str], text: tuple[str, str], stamp: str | None, others: list[tuple[str, str]]
) -> str:
    """`source` and `text` are (title, body); `others` the same section in the other locales. A text whose
    title and body are another locale's was copied, not translated, whatever its stamp says (a body alone may
    be the same in every language: a table of data, say). A heading alone (a section that only groups others)
    that is another locale's is copied unless a stamp says a translator kept it: a name may read the same."""
    same = (normalized(text[0]), normalized(text[1]))
    copied = any((normalized(title), normalized(body)) == same for title, body in [source, *others])
    if copied and (text[1].strip() or stamp is None):
        return UNTRANSLATED
    return CURRENT if stamp == section_hash(*source) else OUTDATED
