"""Markdown as the site publishes it (Python-Markdown, MkDocs' renderer), and what may be in it.

The checker reads section text with markdown-it for line numbers, but the published HTML comes from
Python-Markdown, and the two disagree on edge cases (`<img/src/onerror=…>`, `javascript: x` with a
space, attribute lists). So the checker also renders every body here and holds the result to an
allowlist: what is not on it is never published.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import ENTITY_RE, SubstituteTagInlineProcessor

from noticegen.core.diagnostics import shown


class BackslashLineBreak(Extension):
    """A backslash at the end of a line breaks the line, as in CommonMark (and so in the checker's reading of
    the text, and on GitHub): the one way to break a line inside a paragraph, e.g. an address written line by
    line. Python-Markdown would publish the backslash. It runs after code spans and escapes, so a backslash in
    code, or an escaped one (`\\\\`), stays text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "backslash_line_break", 175)


MARKDOWN_EXTENSIONS: list[str | Extension] = ["attr_list", "md_in_html", "tables", "toc", BackslashLineBreak()]

ALLOWED_TAGS = {
    "p", "a", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "br", "code",
    "blockquote", "hr",
    # What the generator writes for a data table or an address (render/datatable.py, render/address_block.py).
    "caption", "address", "time", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "th": {"style", "scope", "role"}, "td": {"style", "role", "data-label"},
    "ol": {"start"}, "time": {"datetime"},
    # A data table's layout (render/datatable.py): a labelled region a keyboard can scroll, and ARIA roles.
    "div": {"class", "role", "aria-label", "tabindex"}, "table": {"class", "role"}, "thead": {"role"},
    "tbody": {"role"}, "tr": {"role"},
}  # fmt: skip
# The only values these attributes may have: what the generator writes, nothing an editor could add.
FIXED_VALUES = {
    "class": {"notice-table", "notice-table__table"},
    "role": {"region", "table", "rowgroup", "row", "columnheader", "rowheader", "cell"},
    "tabindex": {"0"},
}
# The values a column or row heading's `scope` may have.
TABLE_SCOPES = ("col", "row", "colgroup", "rowgroup")
TABLE_ALIGNMENT = re.compile(r"^text-align: (left|right|center);?$")
ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


# How many distinct texts the rendering caches keep: a big notice's sections, cells and pages, across every
# version and locale, with room to spare (a long `mkdocs serve` session evicts its oldest edits).
RENDERED_TEXTS = 32768
# What Python-Markdown keeps aside as a character reference (`&amp;`, `&#8212;`): text, not HTML.
CHARACTER_REFERENCE = re.compile(ENTITY_RE)


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One Python-Markdown instance, reset before each text: making one with its extensions costs as much
    as converting a section."""
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)


def markdown_to_html(text: str) -> str:
    """A pure function of the text, so rendered once per distinct text, for the checker, the pages and the
    export alike (the same section recurs in every version and document)."""
    return _rendered(text)[0]


def raw_html_in(text: str) -> tuple[str, ...]:
    """The HTML in `text` that Python-Markdown publishes as it is, as written (an element md_in_html parses as
    `<tag>`): what it kept aside as raw while rendering, which is exactly what it did not make from Markdown.
    Character references are kept aside too, and are not HTML. The checker reads the text with markdown-it,
    which disagrees with Python-Markdown on where HTML is (after a backslash, in a list item's indented line):
    this is the renderer's own answer."""
    return _rendered(text)[1]


@functools.lru_cache(maxsize=RENDERED_TEXTS)
def _rendered(text: str) -> tuple[str, tuple[str, ...]]:
    converter = _converter().reset()
    html = converter.convert(text)
    raw = []
    for block in converter.htmlStash.rawHtmlBlocks:
        if isinstance(block, str):
            if not CHARACTER_REFERENCE.fullmatch(block):
                raw.append(block)
        else:
            raw.append(f"<{block.tag}>")
    return html, tuple(raw)


def link_problem(href: str) -> str | None:
    """Why a link may not be published, or None. Browsers ignore whitespace and controls in a scheme."""
    if href.startswith("#"):
        return None
    normalized = re.sub(r"[\x00-\x20\x7f]", "", href).lower()
    scheme = SCHEME.match(normalized)
    if scheme is None:
        return f"relative link '{shown(href)}' is not allowed"
    if scheme.group(1) not in ALLOWED_SCHEMES:
        return f"'{shown(scheme.group(1))}:' link '{shown(href)}' is not allowed"
    return None


class _FastParser(HTMLParser):
    """An HTMLParser that does not track line numbers: nothing here asks for them (getpos), and counting the
    lines of every tag is a fifth of the parse of a whole page."""

    def updatepos(self, i: int, j: int) -> int:
        return j


class _Policy(_FastParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []  # (the tag as written, what is wrong)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or f"<{tag}>"
        if tag not in ALLOWED_TAGS:
            self.problems.append((written, f"<{tag}> would be published"))
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.problems.append((written, f"attribute '{shown(name)}' on <{tag}> would be published"))
            elif name == "href" and (problem := link_problem(value or "")):
                self.problems.append((written, problem))
            elif name == "style" and not TABLE_ALIGNMENT.match(value or ""):
                self.problems.append((written, f"style '{shown(value)}' would be published"))
            elif name == "scope" and value not in TABLE_SCOPES:
                self.problems.append((written, f"scope '{shown(value)}' would be published"))
            elif name in FIXED_VALUES and value not in FIXED_VALUES[name]:
                self.problems.append((written, f"{name} '{shown(value)}' would be published"))

    def handle_comment(self, data: str) -> None:
        self.problems.append(("<!--", "an HTML comment would be published"))

    def handle_decl(self, decl: str) -> None:
        self.problems.append(("<!", "an HTML declaration would be published"))

    def handle_pi(self, data: str) -> None:
        self.problems.append(("<?", "an HTML processing instruction would be published"))


@functools.lru_cache(maxsize=RENDERED_TEXTS)
def policy_problems(html: str) -> tuple[tuple[str, str], ...]:
    """(the offending tag, what is wrong) for everything in `html` that is not on the allowlist. A pure function
    of the text: a section that recurs in every version is checked once."""
    policy = _Policy()
    policy.feed(html)
    policy.close()
    return tuple(policy.problems)


# A line break between two wide characters of a language written without spaces (CJK ideographs, kana,
# full-width punctuation and forms).
WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
# Where the text had a line break: marked while the HTML is read, and resolved once the text is whole, because
# the characters on either side of a break may be in different elements (`以下方式\n**联系我们**`).
SOFT_BREAK = "\x00"
SOFT_BREAK_IN_CJK = re.compile(f"(?<=[{WIDE}])[ \t]*{SOFT_BREAK}[ \t{SOFT_BREAK}]*(?=[{WIDE}])")


class _TextOnly(_FastParser):
    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "table", "ul", "ol"})

    CELL_SEPARATOR = " | "  # between the cells of a table's row, on the row's line

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.cells = 0  # in the row being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self.parts.append(self.CELL_SEPARATOR)
            self.cells += 1

    def handle_data(self, data: str) -> None:
        # A line break in the text is a soft one, which reads as a space (as nothing between two Chinese or
        # Japanese characters, CSS Text's segment break rule): lines end with blocks.
        self.parts.append(data.replace(SOFT_BREAK, "").replace("\n", SOFT_BREAK))


@functools.lru_cache(maxsize=RENDERED_TEXTS)
def html_to_text(html: str) -> str:
    """The words of `html`, a line per block. Pure, and asked of the same section in every version and
    document: computed once per distinct text."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    text = SOFT_BREAK_IN_CJK.sub("", "".join(parser.parts)).replace(SOFT_BREAK, " ")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# The published-HTML allowlist for whole pages: the body allowlist above, plus what the theme (Material)
# and our templates write around it. `data-*` and `aria-*` attributes are allowed on any allowed element;
# an event handler (`on…`), a `style` outside tables, or any other element is never published.
PAGE_TAGS = ALLOWED_TAGS | {
    "html", "head", "title", "meta", "link", "script", "body", "header", "footer", "main", "nav", "article",
    "div", "span", "form", "input", "label", "button", "svg", "path", "h1", "h2", "h3", "h4", "h5", "h6",
    "time", "ins", "del", "details", "summary", "em", "strong", "code",
    "caption",  # a section's or a data table's (render/tables.py, render/datatable.py)
    "address",  # a party's postal address (render/address_block.py)
    "aside",  # Material's announcement bar: the preview's problem banner (mkdocs_plugin/overrides/main.html)
    "img",  # the publisher's logo in the theme's header (notice/data/branding.yaml); never in the text
}  # fmt: skip
PAGE_GLOBAL_ATTRIBUTES = {"class", "id", "role", "title", "tabindex", "hidden", "dir", "lang"}
PAGE_ATTRIBUTES = {
    "a": {"href", "hreflang", "type", "rel", "target"},
    "html": {"lang", "dir"},
    "meta": {"charset", "content", "http-equiv", "name"},
    "link": {"href", "hreflang", "rel", "type"},
    "script": {"src", "type"},
    "form": {"name"},
    "input": {
        "autocapitalize", "autocomplete", "autocorrect", "checked", "name", "placeholder", "required",
        "spellcheck", "type",
    },
    "label": {"for"},
    "button": {"type"},
    "img": {"src", "alt"},
    "svg": {"viewbox", "xmlns"},
    "path": {"d"},
    "time": {"datetime"},
    "ol": {"start"},
    "th": {"style", "scope"},  # scope: a table names its column and row headers
    "td": {"style"},
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src"}
# A <time> element's `datetime` is what machines read: an ISO 8601 date (every date a page shows, see
# text/dates.py), optionally with a time and zone, and nothing else.
TIME_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
# The one `javascript:` URL the theme writes: Material's search "share" link, which its script handles.
THEME_URLS = {"javascript:void(0)"}


class _PagePolicy(_FastParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or f"<{tag}>"
        if tag not in PAGE_TAGS:
            self.problems.append((written, f"<{tag}> is not allowed on a page"))
            return
        for name, value in attrs:
            if name.startswith(("data-", "aria-")) and not name.startswith("data-on"):
                continue
            if name not in PAGE_GLOBAL_ATTRIBUTES and name not in PAGE_ATTRIBUTES.get(tag, set()):
                self.problems.append((written, f"attribute '{shown(name)}' on <{tag}> is not allowed on a page"))
            elif name in URL_ATTRIBUTES and value not in THEME_URLS and (problem := _page_link_problem(value or "")):
                self.problems.append((written, problem))
            elif tag == "img" and name == "src" and not _own_file(value or ""):
                self.problems.append((written, f"an image from '{shown(value, 40)}': a page shows only its site's"))
            elif name == "style" and not TABLE_ALIGNMENT.match(value or ""):
                self.problems.append((written, f"style '{shown(value)}' is not allowed on a page"))
            elif name == "datetime" and not TIME_DATETIME.fullmatch(value or ""):
                self.problems.append((written, f"datetime '{shown(value)}' on <time> is not an ISO 8601 date"))
            elif name == "scope" and value not in TABLE_SCOPES:
                self.problems.append((written, f"scope '{shown(value)}' is not allowed on a page"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _own_file(url: str) -> bool:
    """Whether `url` is a file of the page's own site (a relative or root-relative path): the page makes no request
    to another host, and an image is fetched as the page loads."""
    # A browser reads a backslash as a slash: /\\host is //host, another host.
    normalized = re.sub(r"[\x00-\x20\x7f]", "", url).lower().replace("\\", "/")
    return bool(normalized) and not SCHEME.match(normalized) and not normalized.startswith("//")


def _page_link_problem(href: str) -> str | None:
    """Pages link to their own site by relative URLs; other URLs must be https, http, mailto or tel."""
    normalized = re.sub(r"[\x00-\x20\x7f]", "", href).lower()
    scheme = SCHEME.match(normalized)
    if scheme is None or scheme.group(1) in ALLOWED_SCHEMES:
        return None
    return f"'{shown(scheme.group(1))}:' link '{shown(href)}' is not allowed"


def page_policy_problems(page: str) -> list[tuple[str, str]]:
    """(the offending tag, what is wrong) for every element of a whole page that is not on the page allowlist.

    The pages of a site share most of their lines (the theme's header, the navigation, the footer). The page is
    fed to the parser line by line, which parses as one feed does, and a line that starts and ends outside any
    tag, comment or script (the parser holds nothing back) is checked once: its problems are remembered and
    taken again wherever the same line comes in the same state."""
    policy = _PagePolicy()
    for line in page.splitlines(keepends=True):
        if policy.rawdata or policy.cdata_elem is not None:
            policy.feed(line)
            continue
        known = _CHECKED_LINES.get(line)
        if known is not None:
            policy.problems.extend(known)
            continue
        found = len(policy.problems)
        policy.feed(line)
        if not policy.rawdata and policy.cdata_elem is None:
            if len(_CHECKED_LINES) >= CHECKED_LINES_KEPT:
                _CHECKED_LINES.clear()
            _CHECKED_LINES[line] = tuple(policy.problems[found:])
    policy.close()
    return policy.problems


# Lines of pages checked from the parser's initial state, with their problems: a site's distinct lines, across
# every page and locale, fit with room to spare (a long `mkdocs serve` session starts again when it is full).
CHECKED_LINES_KEPT = 100_000
_CHECKED_LINES: dict[str, tuple[tuple[str, str], ...]] = {}
