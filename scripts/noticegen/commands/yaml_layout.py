"""The canonical layout of a source YAML file: the same data and comments, written one way.

2-space indentation, a block sequence indented under its key, the keys of a mapping in the order its schema
declares them (mappings keyed by ids or locales keep the editor's order), multi-line text as `|` blocks,
one-line text plain unless it needs quotes, no trailing spaces, one final newline. The text is rewritten
round-trip with ruamel.yaml, so comments stay, and what it would write is read back with the reader
`notice check` uses: it must hold exactly the data the file held, or nothing is returned.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.emitter import Emitter, ScalarAnalysis
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from noticegen.commands.yaml_edit import dump_text, first_difference, first_line
from noticegen.core.diagnostics import Report
from noticegen.source.datatables import TABLE_SCHEMA, TableFile
from noticegen.source.schema import DictOf, Kind, ListOf, Localized, Nullable, Record
from noticegen.source.yamlsource import parse_yaml

# `notice stamp` writes a section's source_hash first, so a translator sees what a section was translated
# from before its text: the layout keeps it there, although the schema declares it last.
LEADING_KEYS = ("source_hash",)
# ...and always in double quotes, as it writes it: a hash of digits only ("123456789012") must stay text.
QUOTED_KEYS = ("source_hash", "summary_source_hash")


class LayoutError(Exception):
    """The file cannot be laid out; the message starts with file:line:col when the file has a place to name."""


def canonical_text(text: str, path: str, kind: Kind | None) -> str:
    """`text` (the file at `path`, read with the schema `kind`, or None for a file with no known schema) in
    the canonical layout. LayoutError when it cannot be read, or when the layout would change its data."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")  # YAML reads either line ending alike
    report = Report()
    before = parse_yaml(text, path, report)
    if report.errors:
        raise LayoutError(str(report.errors[0]))
    try:
        document = _reader().load(text)
    except Exception as failure:  # ruamel.yaml raises many kinds; each becomes the same message
        raise LayoutError(f"{path}: the file cannot be laid out ({first_line(failure)}): run `notice check`") from None
    if document is None:  # only comments, or nothing: the text stays as it is, tidied
        return _tidy(text).rstrip("\n") + "\n" if text.strip() else ""
    _lay_out(document, kind, _root_lead(document) if isinstance(document, CommentedMap) else None, root=True)
    _tidy_comments(document)
    new_text = _finish(dump_text(_writer(), document), isinstance(document, CommentedSeq))
    after_report = Report()
    after = parse_yaml(new_text, path, after_report)
    difference = None if after_report.errors else first_difference(_typed(before), _typed(after), [])
    if difference is None and not after_report.errors and _comments(text) != _comments(new_text):
        raise LayoutError(
            f"{path}: the canonical layout would lose or change a comment: the file is left as it was "
            "(please report this, with the file)"
        )
    if after_report.errors or difference is not None:
        where = ".".join(difference or []) or "the document"
        raise LayoutError(
            f"{path}: the canonical layout would read back differently at {where}: the file is left as it was "
            "(please report this, with the file)"
        )
    return new_text


def _reader() -> YAML:
    reader = YAML(typ="rt")
    reader.preserve_quotes = True  # the quotes an editor wrote: needed to tell `'no'` (text) from `no`
    return reader


def _writer() -> YAML:
    writer = YAML(typ="rt")
    writer.width = 1 << 20  # never fold a long line of text onto the next
    writer.indent(mapping=2, sequence=4, offset=2)
    # An explicit null is written `null` (ruamel.yaml would leave the value empty), as `yaml_edit` writes it.
    writer.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return writer


# -- the keys' order and the scalars' styles --------------------------------------------------------------


def _lay_out(node: Any, kind: Kind | None, lead: list[CommentToken] | None, root: bool = False) -> None:
    """Lay out `node` as `kind` says; `lead` is the list of comment lines above its first key, where there is
    one (ruamel.yaml keeps it with what holds the mapping)."""
    kind = _unwrapped(kind)
    if isinstance(node, CommentedMap):
        order = _key_order(kind)
        if order is not None:
            _reorder(node, order, lead, root)
        for key in list(node):
            value = node[key]
            if key in QUOTED_KEYS and isinstance(value, str):
                value = DoubleQuotedScalarString(str(value))
            elif key not in QUOTED_KEYS:
                value = _restyled(node, key, value)
            # Set as dict and list do: ruamel.yaml would keep the old value's quotes or block style.
            ordereddict.__setitem__(node, key, value)
            _lay_out(value, _child_kind(kind, str(key)), _nested_lead(node, key))
    elif isinstance(node, CommentedSeq):
        item_kind = _unwrapped(kind).item if isinstance(_unwrapped(kind), ListOf) else None  # type: ignore[union-attr]
        for index in range(len(node)):
            list.__setitem__(node, index, _restyled(node, index, node[index]))
            _lay_out(node[index], item_kind, None)


def _root_lead(document: Any) -> list[CommentToken]:
    if document.ca.comment is None:
        document.ca.comment = [None, []]
    if document.ca.comment[1] is None:
        document.ca.comment[1] = []
    return document.ca.comment[1]


def _nested_lead(mapping: CommentedMap, key: Any) -> list[CommentToken] | None:
    """The comment lines between `key:` and the first key of the mapping it holds."""
    value = mapping[key]
    if not isinstance(value, CommentedMap):
        return None
    entry = mapping.ca.items.setdefault(key, [None, None, None, None])
    if entry[3] is None:
        entry[3] = []
    value.ca.comment = [None, entry[3]]  # ruamel.yaml may read either: they are one list
    return entry[3]


def _unwrapped(kind: Kind | None) -> Kind | None:
    return kind.inner if isinstance(kind, Nullable) else kind


def _key_order(kind: Kind | None) -> list[str] | None:
    """The keys in the order the schema declares them; None for a mapping whose order is the editor's."""
    if isinstance(kind, Record):
        declared = list(kind.fields)
        return [key for key in LEADING_KEYS if key in declared] + [key for key in declared if key not in LEADING_KEYS]
    if isinstance(kind, TableFile):
        return ["schema", "rows"]
    return None


def _child_kind(kind: Kind | None, key: str) -> Kind | None:
    if isinstance(kind, Record):
        spec = kind.fields.get(key)
        return spec.kind if spec is not None else None
    if isinstance(kind, TableFile):
        return TABLE_SCHEMA if key == "schema" else None
    if isinstance(kind, DictOf) and not isinstance(kind, Localized):
        return kind.value
    return None


def _reorder(mapping: CommentedMap, declared: list[str], lead: list[CommentToken] | None, root: bool) -> None:
    """Put the declared keys first, in their order, then the others as they were. The comment lines above a
    key travel with it: ruamel.yaml keeps them with the value before it (or, above the first key, in `lead`),
    so they are handed over."""
    keys = list(mapping)
    wanted = [key for key in declared if key in mapping] + [key for key in keys if key not in declared]
    if keys == wanted:
        return
    above = {after: _take_lines_after(mapping, before) for before, after in itertools.pairwise(keys)}
    above[keys[0]] = _take_own_lead(lead, root)
    at_end = _take_lines_after(mapping, keys[-1])
    for key in wanted:
        mapping.move_to_end(key)
    for before, after in itertools.pairwise(wanted):
        _give_lines_after(mapping, before, above.get(after, ""))
    first = above.get(wanted[0], "")
    if first and lead is not None:
        lead.append(CommentToken(first, CommentMark(0), None))
    elif first:  # nowhere above the first key to put them: after the mapping, rather than lost
        at_end = first + at_end
    _give_lines_after(mapping, wanted[-1], at_end)


def _take_own_lead(lead: list[CommentToken] | None, root: bool) -> str:
    """The comment lines right above the first key (after the last blank line), taken out of `lead`. A
    file's first lines, with no blank line under them, are the file's header: they stay."""
    if not lead:
        return ""
    blank = [index for index, token in enumerate(lead) if "\n\n" in token.value or not token.value.strip()]
    if not blank and root:
        return ""
    start = blank[-1] + 1 if blank else 0
    own = "".join(token.value for token in lead[start:])
    del lead[start:]
    return own


def _tail(container: Any, key: Any) -> tuple[Any, Any]:
    """The container and key of the last scalar the entry `key` ends with: it holds the lines after it."""
    value = container[key]
    if isinstance(value, CommentedMap) and len(value):
        return _tail(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value):
        return _tail(value, len(value) - 1)
    return container, key


def _slot(container: Any) -> int:
    return 0 if isinstance(container, CommentedSeq) else 2


def _is_block(value: Any) -> bool:
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def _take_lines_after(mapping: CommentedMap, key: Any) -> str:
    """Remove and return the whole comment lines (and blank lines) after the entry `key`; a comment on the
    value's own line stays."""
    holder, last = _tail(mapping, key)
    entry = holder.ca.items.get(last)
    token = entry[_slot(holder)] if entry else None
    if token is None:
        return ""
    own_line, lines = _split(token.value, _is_block(holder[last]))
    _set_comment(holder, last, own_line, "")
    return lines


def _give_lines_after(mapping: CommentedMap, key: Any, lines: str) -> None:
    holder, last = _tail(mapping, key)
    entry = holder.ca.items.get(last)
    token = entry[_slot(holder)] if entry else None
    own_line, existing = _split(token.value, _is_block(holder[last])) if token is not None else ("", "")
    _set_comment(holder, last, own_line, existing + lines)


def _split(value: str, block: bool) -> tuple[str, str]:
    """A comment token's value as (the comment on the value's own line, the lines after it)."""
    if block:  # a `|` block ends with its line break: nothing can follow on its own line
        return "", value
    if value.startswith("#"):
        own, _, rest = value.partition("\n")
        return own + "\n", rest
    return "", value.removeprefix("\n")


def _set_comment(holder: Any, key: Any, own_line: str, lines: str) -> None:
    block = _is_block(holder[key])
    value = lines if block else (own_line or ("\n" if lines else "")) + lines
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    slot = _slot(holder)
    if not value:
        entry[slot] = None
    elif entry[slot] is not None:
        entry[slot].value = value
    else:
        entry[slot] = CommentToken(value, CommentMark(0), None)


def _restyled(container: Any, key: Any, value: Any) -> Any:
    """Multi-line text as a `|` block; one-line text plain unless it needs quotes. Only the style changes:
    plain text stays plain (`no` is false to the checker's reader, and stays so)."""
    if not isinstance(value, str):
        return value
    text = str(value)
    flow = _in_flow(container)
    if "\n" in text:
        if flow or isinstance(value, LiteralScalarString) or not _analysis(text).allow_block:
            return value
        new: Any = LiteralScalarString(text)
    elif type(value) is str and (not flow or _reads_back_in_flow(text)):
        return value
    elif _plain_is_text(text, flow):
        new = text
    elif isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return value
    else:  # a one-line `|` block whose text would not read as text plain
        new = SingleQuotedScalarString(text) if _analysis(text).allow_single_quoted else DoubleQuotedScalarString(text)
    _restyle_comment(container, key, _is_block(value), _is_block(new))
    return new


def _restyle_comment(container: Any, key: Any, was_block: bool, is_block: bool) -> None:
    """A block's comment lines start on the line after its text; a plain value's after its own line."""
    if was_block == is_block:
        return
    entry = container.ca.items.get(key)
    slot = _slot(container)
    token = entry[slot] if entry else None
    if token is None:
        return
    own_line, lines = _split(token.value, was_block)
    if not own_line and not lines:
        entry[slot] = None
    else:  # a comment on the line of a value that becomes a block goes below it
        token.value = own_line + lines if is_block else (own_line or "\n") + lines


def _analysis(text: str) -> ScalarAnalysis:
    emitter = Emitter(None)
    emitter.use_version = None  # as the writer: no %YAML directive
    return emitter.analyze_scalar(text)


def _reads_back_in_flow(text: str) -> bool:
    """Whether the checker's reader (PyYAML) reads `text`, unquoted inside `[…]` and `{…}`, as this text:
    ruamel.yaml writes YAML 1.2, where more may stand plain there (`[:>]` is a list of one text in 1.2 and
    an error in 1.1)."""
    try:
        return yaml.safe_load(f"[{text}]") == [text] and yaml.safe_load(f"{{k: {text}}}") == {"k": text}
    except yaml.YAMLError:
        return False


def _in_flow(container: Any) -> bool:
    """Whether a mapping or list is written in flow style (`{…}`, `[…]`), where fewer texts may stand plain."""
    attributes = getattr(container, "fa", None)
    return bool(attributes is not None and attributes.flow_style())


def _plain_is_text(text: str, flow: bool = False) -> bool:
    """Whether `text` can stand unquoted and still be read as this text by `notice check` (YAML 1.1: `yes`,
    `1:20` and `2025-01-01` are not text there), in a block mapping or, with `flow`, inside `{…}` or `[…]`."""
    analysis = _analysis(text)
    if analysis.empty or not analysis.allow_block_plain:
        return False
    if flow and not (analysis.allow_flow_plain and _reads_back_in_flow(text)):
        return False
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return resolved == "tag:yaml.org,2002:str"


# -- comment lines and the finished text --------------------------------------------------------------------


def _tidy_comments(node: Any) -> None:
    """No trailing spaces after a comment, and no more than one blank line in a row."""
    for token in _comment_tokens(node):
        token.value = _tidy(token.value)


def _comment_tokens(node: Any) -> list[CommentToken]:
    found: list[CommentToken] = []

    def collect(value: Any) -> None:
        if isinstance(value, CommentToken):
            if all(value is not other for other in found):  # ruamel.yaml may hold a token in two places
                found.append(value)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def walk(item: Any) -> None:
        if isinstance(item, (CommentedMap, CommentedSeq)):
            collect(item.ca.comment)
            collect(list(item.ca.items.values()))
            collect(getattr(item.ca, "end", None))
            for child in item.values() if isinstance(item, CommentedMap) else item:
                walk(child)

    walk(node)
    return found


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+(?=\n|$)", "", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def _finish(text: str, top_level_list: bool) -> str:
    """The dumped text, finished: a list that is the whole document starts at the left margin, comment lines
    are indented as the line they stand above, and the file ends with one line break."""
    lines = text.split("\n")
    inside_blocks = _block_lines(text)
    if top_level_list:
        lines = [line.removeprefix("  ") for line in lines]
    following_indent: int | None = None
    for number in range(len(lines) - 1, -1, -1):  # from the end: each comment takes the indent of what follows
        line = lines[number]
        if number + 1 in inside_blocks or not line.strip():
            continue
        stripped = line.lstrip(" ")
        if stripped.startswith("#"):
            if following_indent is not None:
                lines[number] = " " * following_indent + stripped
        else:
            following_indent = len(line) - len(stripped)
    return "\n".join(lines).rstrip("\n") + "\n"


def _block_lines(text: str) -> set[int]:
    """The line numbers (from 1) of the text inside `|` and `>` blocks, which are the values themselves."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return set()
    lines: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node.style in ("|", ">"):
            end = node.end_mark.line + (1 if node.end_mark.column == 0 else 2)
            lines.update(range(node.start_mark.line + 2, end))
    return lines


def _comments(text: str) -> list[str]:
    """Every comment line of `text`, trimmed, in sorted order: what the layout must keep, wherever it moves."""
    lines = [line.strip() for token in _comment_tokens(_reader().load(text)) for line in token.value.split("\n")]
    return sorted(line for line in lines if line)


def _typed(value: Any) -> Any:
    """Data with its types made comparable (1, 1.0, True and "1" all differ); key order does not count."""
    if isinstance(value, dict):
        return ("map", [(str(key), _typed(item)) for key, item in sorted(value.items(), key=lambda p: str(p[0]))])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)
