"""Clause anchors: a permanent id at the start of a paragraph or a list item, written `[§id]`.

`[§retention-periods] We keep your data…` publishes that paragraph with `id="retention-periods"`, so that a
contract or a regulator can cite it as `…/#retention-periods` in every language. The marker is plain text to
both Markdown parsers (markdown-it in the checker, Python-Markdown on the site): it is not a link without a
link definition, and definitions are refused. This module finds the markers in what Python-Markdown made of
the text and turns each into the element's id; the checker makes sure that every marker it sees is one of
them, so a marker is never published as text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from noticegen.text.markup import MARKDOWN_EXTENSIONS, RENDERED_TEXTS

# A clause id has a section id's form (source.schema.SECTION_ID): section and clause ids share the page's anchors.
CLAUSE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MARKER = "[§"
# A marker that anchors what it opens: at the very start of a paragraph's or list item's text.
MARKER_AT_START = re.compile(r"^\[§(?P<id>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)\][ \t]*")
# Whatever is written as a marker, well-formed or not (`\[§` writes the characters themselves).
ANY_MARKER = re.compile(r"(?<!\\)\[§(?P<id>[^\]\s]*)(?P<end>\])?")

PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
TABLE_ROW = "table-row"
KINDS = (PARAGRAPH, LIST_ITEM, TABLE_ROW)
CLAUSE_CLASS = "notice-clause"
ALIAS_CLASS = "notice-alias"
# Material shows a `.headerlink` when its parent is hovered or targeted, and hides it in print. Its ¶ is drawn
# by the stylesheet (notice.css), not written in the text: the search index, the JSON's text and a copied
# paragraph hold the clause's words only. `aria-label` names the link (as `title` does on hover).
PERMALINK_CLASS = "headerlink notice-permalink"


@dataclass(frozen=True)
class Clause:
    id: str
    kind: str  # PARAGRAPH, LIST_ITEM or TABLE_ROW


class _ClauseAnchors(Treeprocessor):
    """After the inline patterns ran: a paragraph or list item whose text opens with a marker gets its id."""

    def __init__(self, md: markdown.Markdown, extension: ClauseAnchors) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ElementTree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag not in ("p", "li"):
                continue
            match = MARKER_AT_START.match(element.text or "")
            if match is None:
                continue
            element.text = element.text[match.end() :] if element.text else None
            parent = parents.get(element)
            target, kind = element, (LIST_ITEM if element.tag == "li" else PARAGRAPH)
            if (
                parent is not None
                and parent.tag == "li"
                and len(parent)
                and parent[0] is element
                and not (parent.text or "").strip()
            ):
                target, kind = parent, LIST_ITEM  # the first paragraph of a list item (a "loose" list)
            self.extension.found.append(Clause(match["id"], kind))
            anchor(target, match["id"], self.extension.aliases.get(match["id"], ()))
            if self.extension.permalink_title is not None:
                holder = element if element.tag == "p" else target
                permalink(holder, match["id"], self.extension.permalink_title)


def anchor(element: ElementTree.Element, clause_id: str, retired: Sequence[str] = ()) -> None:
    """The element as the clause's anchor; each retired id that leads to it, as an empty span at its start."""
    element.set("id", clause_id)
    classes = [name for name in (element.get("class") or "").split() if name]
    element.set("class", " ".join([*classes, CLAUSE_CLASS]))
    for old in reversed(retired):
        span = ElementTree.Element("span", {"id": old, "class": ALIAS_CLASS})
        span.tail, element.text = element.text, None
        element.insert(0, span)


def permalink(element: ElementTree.Element, clause_id: str, title: str) -> None:
    """A ¶ link to the clause at the end of the element's own text (before a nested list)."""
    link = ElementTree.Element(
        "a", {"class": PERMALINK_CLASS, "href": f"#{clause_id}", "title": title, "aria-label": title}
    )
    link.text = ""  # written out as <a …></a>, never as an empty <a …/>
    nested = next((index for index, child in enumerate(element) if child.tag in ("ul", "ol", "p")), None)
    if nested is None:
        element.append(link)
        return
    if element[nested].tag == "p" and nested == 0:  # a loose list item: into its first paragraph
        element[nested].append(link)
        return
    element.insert(nested, link)
    link.tail = "\n"


class ClauseAnchors(Extension):
    """Python-Markdown extension: clause markers become ids (and, for the page, ¶ permalinks titled
    `permalink_title`). `aliases` maps a clause id to the retired ids that lead to it; what was found is in
    `found`, in reading order."""

    def __init__(self, permalink_title: str | None = None, aliases: Mapping[str, Sequence[str]] | None = None):
        super().__init__()
        self.permalink_title = permalink_title
        self.aliases: Mapping[str, Sequence[str]] = aliases or {}
        self.found: list[Clause] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After the inline patterns (20) and attr_list (8), before unescaping (0): `\[§` stays escaped.
        md.treeprocessors.register(_ClauseAnchors(md, self), "notice_clauses", 7)


def markdown_with_clauses(
    text: str, *, permalink_title: str | None = None, aliases: Mapping[str, Sequence[str]] | None = None
) -> tuple[str, list[Clause]]:
    """`text` as the site publishes it (text.markup.markdown_to_html), each clause marker made the id of what
    it opens; and the clauses found, in reading order."""
    retired = tuple((clause_id, tuple(old)) for clause_id, old in (aliases or {}).items())
    html, found = _rendered(text, permalink_title, retired)
    return html, list(found)


@functools.lru_cache(maxsize=RENDERED_TEXTS)
def _rendered(
    text: str, permalink_title: str | None, aliases: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[str, tuple[Clause, ...]]:
    """Rendered once per distinct text and settings: the same section recurs in every version, page and
    document, and the checker renders it too."""
    converter, extension = _converter()
    extension.permalink_title, extension.aliases, extension.found = permalink_title, dict(aliases), []
    html = converter.reset().convert(text)
    return html, tuple(extension.found)


@functools.lru_cache(maxsize=1)
def _converter() -> tuple[markdown.Markdown, ClauseAnchors]:
    """One Python-Markdown instance and its clause extension, set up and reset for each text: making one
    costs as much as converting a section."""
    extension = ClauseAnchors()
    return markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, extension]), extension


def clauses_in(text: str) -> list[Clause]:
    """The clauses a Markdown text anchors, in reading order."""
    return markdown_with_clauses(text)[1]
