"""Content hashes of section texts, recorded by translations to detect when they fall behind."""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Sequence

HASH_LENGTH = 12


@functools.lru_cache(maxsize=65536)
def normalized(text: str) -> str:
    """Text as it counts for a hash: NFC, Unix line ends, no trailing spaces, no outer blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def table_content(
    caption: str | None, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[str | None, Sequence[str]]]
) -> str:
    """A section's table as its hash counts it: caption, (column id, header) pairs, and each row's id and cells
    in column order, as one line of JSON. Key order in the file and layout do not count; the words do."""
    plain = [
        normalized(caption or ""),
        [[column, normalized(header)] for column, header in columns],
        [[row_id, [normalized(cell) for cell in cells]] for row_id, cells in rows],
    ]
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def section_hash(title: str, body: str, table: str = "") -> str:
    """A short SHA-256 of a section's title, body and table (table_content) in one locale. A section without
    a table hashes its title and body alone, as before tables existed, so that its stamps stay valid."""
    content = normalized(title) + "\n\n" + normalized(body)
    if table:
        content += "\n\n" + table
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def summary_hash(summary: str) -> str:
    """The short SHA-256 of a notice's summary in one locale (section_hash of a text without a title), which a
    translation of the summary records as `summary_source_hash`."""
    return section_hash("", summary)


# How a locale's text of a section stands against the source locale's text now in force.
CURRENT = "current"  # translated from the source text now in force
OUTDATED = "outdated"  # translated from an older source text, or from one it never recorded
UNTRANSLATED = "untranslated"  # no translation: the text is the source's (now or earlier), or another locale's, copied


def same_language(code: str, other: str) -> bool:
    """Whether two locale codes are of one language (en and en_GB, pt and pt-BR): one may rightly keep the
    other's words, which is no copy."""
    return code.replace("_", "-").split("-")[0].lower() == other.replace("_", "-").split("-")[0].lower()


def copied_from_candidates(locale: str, codes: Iterable[str], source_locale: str) -> list[str]:
    """The locales besides the source whose text a translation into `locale` may have been copied from: every
    other one but those of its own language."""
    return [code for code in codes if code not in (locale, source_locale) and not same_language(code, locale)]


# A section's text in one locale as its state counts it: (title, body) or (title, body, table_content).
SectionContent = tuple[str, ...]


def translation_state(
    source: SectionContent,
    text: SectionContent,
    stamp: str | None,
    others: list[SectionContent],
    earlier: Sequence[SectionContent] = (),
) -> str:
    """`source` and `text` are (title, body[, table]); `others` the same section in the other locales, and
    `earlier` in the source locale of the versions released before. A text whose title, body and table are
    another locale's, the source's of an earlier version, or the very source text its stamp records was
    copied, not translated, whatever its stamp says (a body alone may be the same in every language: a table
    of data, say). A heading alone (a section that only groups others) that is another locale's is copied
    unless a stamp says a translator kept it: a name may read the same."""

    def parts(content: SectionContent) -> tuple[str, ...]:
        title, body, table = (*content, "")[:3]
        return normalized(title), normalized(body), table

    same = parts(text)
    copied = stamp == section_hash(*text) or any(parts(other) == same for other in [source, *others, *earlier])
    if copied and (any(part.strip() for part in text[1:]) or stamp is None):
        return UNTRANSLATED
    return CURRENT if stamp == section_hash(*source) else OUTDATED
