"""Values for a page's YAML front matter, which MkDocs reads before the Markdown.

MkDocs drops a front matter it cannot parse and shows it as text at the top of the page, with no error: a
value must be a YAML string whatever the notice's text holds. JSON's escapes are not enough (`json.dumps` writes
an emoji or a rare CJK character as a surrogate pair, which YAML refuses), so characters are written as they
are, and only those YAML may not hold as they are (control characters, the C1 range, U+FFFE/U+FFFF, lone
surrogates, the line breaks it would fold) are escaped.
"""

from __future__ import annotations

import json
import re

# What YAML does not hold as it is in a double-quoted scalar: DEL and the C1 range (json.dumps escapes only
# C0), U+FFFE/U+FFFF and surrogates, and the line breaks YAML folds into a space (NEL, U+2028, U+2029).
_NOT_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    # A lone surrogate is no character at all: the replacement character takes its place.
    return "\\ufffd" if "\ud800" <= char <= "\udfff" else f"\\u{ord(char):04x}"


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back as `text` (lone surrogates replaced)."""
    return _NOT_PRINTABLE.sub(_escaped, json.dumps(text, ensure_ascii=False))


def yaml_entry(key: str, text: str) -> str:
    """One `key: "text"` line of front matter."""
    return f"{key}: {yaml_string(text)}"
