"""What the kinds of schema.py need to describe themselves as JSON Schema (draft 2020-12) for editors.

An editor (VS Code with the YAML extension, any editor with yaml-language-server) checks a file against
its JSON Schema as it is typed and shows each key's description on hover. Its regular expressions are
ECMA-262's in Unicode mode, which refuses escapes Python allows (`\\"`, `\\-` outside a class) and spells
named groups otherwise: each pattern is translated here into what both read alike (a checker in Python, such
as the tests' jsonschema, reads the same schema), and refused if it cannot be.
"""

from __future__ import annotations

from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Escapes ECMA-262 knows in Unicode mode: character classes, assertions, and the characters with a meaning.
_CLASS_ESCAPES = frozenset("dDsSwWbBtnrfv0")
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")


def ecma_pattern(pattern: str) -> str:
    """`pattern` (Python `re` syntax) as ECMA-262 in Unicode mode; ValueError for what has no equivalent."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped in _CLASS_ESCAPES or escaped in _SYNTAX or (escaped == "-" and in_class):
                out.append(char + escaped)
            elif escaped in ("u", "x"):
                width = 4 if escaped == "u" else 2
                out.append(f"\\u{int(pattern[index + 2 : index + 2 + width], 16):04x}")
                index += width
            elif escaped and not escaped.isalnum():
                out.append(escaped)  # punctuation escaped for clarity: the character itself
            else:
                raise ValueError(f"the escape \\{escaped} in {pattern!r} has no ECMA-262 equivalent")
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                out.append("[^")
                index += 2
                continue
        elif char == "]" and in_class and out[-1] not in ("[", "[^"):
            in_class = False
        elif char == "(" and not in_class and pattern.startswith("(?", index):
            if pattern.startswith("(?P<", index):  # a name is of no use to a schema, and Python cannot read ECMA's
                out.append("(?:")
                index = pattern.index(">", index) + 1
                continue
            if not pattern.startswith(("(?:", "(?=", "(?!", "(?<=", "(?<!"), index):
                raise ValueError(f"the group at {index} of {pattern!r} has no ECMA-262 equivalent")
        out.append(char)
        index += 1
    return "".join(out)


# Characters no text of a notice may hold (schema.text_problem says why): control characters, direction
# controls, and in one-line text a line break (but at its end), a tab and the invisible characters.
_CONTROL = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f"
_ONE_LINE_CONTROL = "\\u0000-\\u001f\\u007f-\\u009f"
_BIDI = "\\u202a-\\u202e\\u2066-\\u2069"
_INVISIBLE = "\\u200b\\u2060\\ufeff"
_MARKUP = '<>"`'


def text_pattern(*, single_line: bool, plain: bool) -> str:
    """The ECMA-262 pattern text of a Text kind must match: something besides spaces, none of the characters
    it may not hold."""
    refused = (_ONE_LINE_CONTROL + _INVISIBLE if single_line else _CONTROL) + _BIDI + (_MARKUP if plain else "")
    return f"^(?=[\\s\\S]*\\S)[^{refused}]*" + ("\\n*$" if single_line else "$")


def text_message(*, single_line: bool, plain: bool) -> str:
    """What an editor says when text does not match its pattern."""
    what = "one line of text" if single_line else "text"
    refused = ["control characters", "direction controls"] + (["invisible characters"] if single_line else [])
    if plain:
        refused.append('< > " `')
    return f"Write {what} (not empty), without {', '.join(refused[:-1])} or {refused[-1]}."


def sentence(doc: str) -> str:
    """A field's doc as an editor shows it on hover: a sentence."""
    doc = doc.strip()
    if not doc:
        return doc
    doc = doc[0].upper() + doc[1:]
    return doc if doc.endswith((".", "?", "!", ")", "…")) else doc + "."


def with_doc(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    """`schema` described by `doc` (which says more than the kind's own description)."""
    return {"description": sentence(doc), **{k: v for k, v in schema.items() if k != "description"}} if doc else schema


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` that also takes null (an empty YAML value)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"], **({"enum": [*schema["enum"], None]} if "enum" in schema else {})}
    return {"anyOf": [schema, {"type": "null"}]}
