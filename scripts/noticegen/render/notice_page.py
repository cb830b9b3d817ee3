"""The notice as Markdown, one page per locale: pure functions of the model.

The output is plain Markdown with `{#id}` heading attributes (Python-Markdown's attr_list), so any
Markdown site generator can take it; nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from noticegen.checks.markdown_scan import lead_ins_without_list, scan_body
from noticegen.core.hashing import normalized
from noticegen.model.notice import Locale, Notice, Section, SectionText
from noticegen.model.tables import Table
from noticegen.render.address_block import address_html
from noticegen.render.datatable import data_table_html
from noticegen.render.front_matter import yaml_entry
from noticegen.render.tables import table_html
from noticegen.source.references import TABLE, Resolved, find_references, is_block_reference, resolve
from noticegen.text.clauses import markdown_with_clauses
from noticegen.text.dates import time_element
from noticegen.text.markup import html_to_text, markdown_to_html
from noticegen.text.punctuation import colon

EMPTY_CROSS_REFERENCE = re.compile(r"\[\]\(#([a-z0-9-]+)\)")
# Every character Python-Markdown (with tables) lets a backslash escape: escaped, none of them is markup,
# wherever the text is placed (mid-line or at the start of a line, where `#`, `-`, `1.` and `>` would be).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


# The page heading's id: fixed, so no title can take a section's id (checks/settings.py reserves it).
TITLE_ID = "notice-title"


def escape(text: str) -> str:
    """Plain text that Markdown shows as written, on one line (checked text has no line break)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub(r"[\r\n]+", " ", escaped)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)


def render_reference(resolved: Resolved, locale: str, ui: Mapping[str, str], lang: str | None = None) -> str:
    """A reference's value as Markdown (a block as one HTML block) in the page's language (`lang`: its tag)."""
    value = resolved.value
    kind = resolved.ref
    lang = lang or locale
    if kind == "table":
        return data_table_html(value, locale, lang, ui)
    if kind == "address":
        return address_html(value, locale, lang)
    if kind == "url":
        return f"<{value}>"
    if kind == "email":
        return f"[{escape(value)}](mailto:{value})"
    if kind == "phone":
        return f"[{escape(value)}](tel:{re.sub(r'[^0-9+]', '', value)})"
    if kind == "localized":
        return escape(value[locale])
    return escape(str(value))


def render_contact(notice: Notice, contact_id: str, locale: str) -> str:
    email = notice.data["contacts"][contact_id].get("email")
    if email:
        return f"[{escape(email)}](mailto:{email})"
    return f"*{escape(notice.ui[locale]['contact_address_missing'])}*"


def expand_body(notice: Notice, locale: str, body: str, *, table: str = "") -> str:
    """A section body with every reference replaced by Markdown in the page's language, and `{{table}}` by
    `table` (the section's table as HTML)."""
    parts = []
    position = 0
    for ref in find_references(body):
        parts.append(body[position : ref.start])
        if ref.kind == TABLE:
            parts.append(table)
        elif ref.kind == "contact":
            parts.append(render_contact(notice, ref.target, locale))
        else:
            resolved = resolve(ref, notice.data, notice.controller)
            assert isinstance(resolved, Resolved), "a checked notice has no unresolved reference"
            parts.append(render_reference(resolved, locale, notice.ui[locale], _lang(notice, locale)))
        position = ref.end
    parts.append(body[position:])
    texts = notice.texts[locale].sections

    def titled(match: re.Match[str]) -> str:
        target = notice.aliases.get(match.group(1), match.group(1))  # a retired id names its successor
        return f"[{escape(texts[target].title)}](#{target})"

    return EMPTY_CROSS_REFERENCE.sub(titled, "".join(parts))


def _lang(notice: Notice, locale: str) -> str:
    """The locale's language tag; a locale the model no longer lists (a draft left out) by its code."""
    return next((entry.lang for entry in notice.locales if entry.code == locale), locale)


def _gap_note(text: str) -> str:
    return note(text, "gap")


def with_gap_notes(notice: Notice, locale: str, section: Section, body: str) -> str:
    """The body with a visible note where the source lost a list or links (see notice/data/gaps.yaml)."""
    gaps = notice.gaps_in(section.id)
    if not gaps:
        return body
    ui = notice.ui[locale]
    lines = body.rstrip("\n").split("\n")
    if any(gap.kind == "missing-list" for gap in gaps):
        scan = scan_body(body)
        lead_ins = lead_ins_without_list(
            scan, bool(section.children), lambda content: is_block_reference(content, notice.data)
        )
        for paragraph in reversed(lead_ins):
            lines[paragraph.end_line : paragraph.end_line] = ["", _gap_note(ui["known_gap_missing_list"]), ""]
    for gap in gaps:
        if gap.kind in ("partial-list", "missing-link"):
            lines += ["", _gap_note(ui[f"known_gap_{gap.kind.replace('-', '_')}"])]
    return "\n".join(lines)


def _contents(notice: Notice, locale: str) -> list[str]:
    """A nested list of links to every section, readable without JavaScript."""
    texts = notice.texts[locale].sections
    items = [
        f"{'    ' * (section.level - 1)}- [{escape(texts[section.id].title)}](#{section.id})"
        for section in notice.sections
    ]
    title = html.escape(notice.ui[locale]["contents"])
    # Collapsed behind one button (a <details>, no script needed): on a phone a long list would push the text
    # itself below the first screen.
    return [
        '<nav class="notice-contents" aria-labelledby="notice-contents-title" markdown>',
        '<details class="notice-contents__details" markdown>',
        f'<summary class="notice-contents__title" id="notice-contents-title">{title}</summary>',
        "",
        *items,
        "",
        "</details>",
        "</nav>",
        "",
    ]


def note(text: str, kind: str, link: tuple[str, str] | None = None, attrs: str = "") -> str:
    """A one-line HTML note (banner, gap, outdated translation): generated by us, never by editors. Its words
    come from the site strings, which are plain text: a gap note goes into a body before the body's references
    are expanded, so braces and brackets are written as character references that no expansion matches."""
    linked = f' <a href="{html.escape(link[0])}"{attrs}>{literal(link[1])}</a>' if link else ""
    return f'<p class="notice-{kind}" role="note">{literal(text)}{linked}</p>'


def literal(text: str) -> str:
    """Plain text as HTML that neither a reference (`{{data:...}}`) nor a cross-reference (`[](#id)`) matches."""
    return html.escape(text).translate(LITERAL_MARKS)


LITERAL_MARKS = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"})


def outdated(notice: Notice, locale: str, section_id: str) -> bool:
    """Whether this locale's translation of the section is behind its source text."""
    return notice.translation(locale, section_id) == "outdated"


def clause_aliases(notice: Notice) -> dict[str, list[str]]:
    """clause id -> the retired ids that lead to it (aliases to sections are the headings' own)."""
    sections = {section.id for section in notice.sections}
    retired: dict[str, list[str]] = {}
    for old, new in notice.aliases.items():
        if new not in sections:
            retired.setdefault(new, []).append(old)
    return retired


@dataclass(frozen=True)
class ShownSection:
    """What a page (or a PDF) shows for a section in a locale: the locale's text, or, when the section is
    untranslated, the text in force in its source language (`language`), marked as such; `state` is the
    translation's state (notice.translation)."""

    text: SectionText
    state: str
    language: Locale | None


def shown_section(notice: Notice, locale: str, section: Section) -> ShownSection:
    state = notice.translation(locale, section.id)
    if state == "untranslated":  # the text in force, in its own language: never shown unmarked
        source = notice.locale(notice.source_locale)
        return ShownSection(notice.texts[notice.source_locale].sections[section.id], state, source)
    return ShownSection(notice.texts[locale].sections[section.id], state, None)


def section_html(
    notice: Notice, locale: str, body: str, table: Table | None, *, title: str, page: bool, strip: bool = False
) -> str:
    """A section's body and table as HTML, its clause markers made anchors (text.clauses); the table stands
    where the body says `{{table}}`, else after the body. For the page (`page`), with the ¶ permalinks, the
    retired ids of clauses, and the table's layout for phones (render.tables)."""
    ui = notice.ui[locale]
    permalink_title = ui["clause_permalink"] if page else None
    aliases = clause_aliases(notice) if page else {}
    markup = ""
    if table is not None:

        def cell_html(cell: str) -> str:
            return markdown_to_html(expand_body(notice, locale, cell))

        markup = table_html(
            table,
            cell_html,
            label=table.caption or title,
            page=page,
            permalink_title=permalink_title,
            aliases=aliases,
        )
    expanded = expand_body(notice, locale, body, table=markup)
    if strip:
        expanded = expanded.strip()
    if markup and not any(ref.kind == TABLE for ref in find_references(body)):
        expanded = f"{expanded.rstrip()}\n\n{markup}" if expanded.strip() else markup
    return markdown_with_clauses(expanded, permalink_title=permalink_title, aliases=aliases)[0]


def body_html(
    notice: Notice,
    locale: str,
    section: Section,
    body: str,
    language: Locale | None = None,
    table: Table | None = None,
) -> str:
    """A section's body (and table) rendered on its own, as the checker rendered it: a link reference defined
    in one section can never reach another. The page's Markdown carries it as one raw HTML block; `lang`
    marks a body in another language than the page's (an untranslated section shows the source text)."""
    texts = (notice.texts[language.code] if language else notice.texts[locale]).sections
    title = texts[section.id].title if section.id in texts else ""
    with_notes = with_gap_notes(notice, locale, section, body)
    rendered = section_html(notice, locale, with_notes, table, title=title, page=True, strip=True)
    marked = f' lang="{html.escape(language.lang)}" dir="{html.escape(language.dir)}"' if language else ""
    return f'<div class="notice-body"{marked}>\n{rendered}\n</div>'


def summary_markup(notice: Notice, locale: str) -> str:
    """The notice's summary in this locale as HTML, its references expanded ("" when the notice has none)."""
    summary = notice.texts[locale].summary
    return markdown_to_html(expand_body(notice, locale, summary).strip()) if summary.strip() else ""


def summary_block(notice: Notice, locale: str, source_page_url: str | None = None) -> str:
    """The summary as the page's header shows it: one HTML block. A summary that is still the source locale's
    (a translation not made yet) is marked with that language, never shown as if it were translated; one
    translated from an older source summary says so, as an outdated section does (with a link to the source
    locale's page, `source_page_url`, when given)."""
    markup = summary_markup(notice, locale)
    if not markup:
        return ""
    source = notice.locale(notice.source_locale)
    copied = locale != source.code and normalized(notice.texts[locale].summary) == normalized(
        notice.texts[source.code].summary
    )
    marks = f' lang="{html.escape(source.lang)}" dir="{html.escape(source.dir)}"' if copied else ""
    if not copied and notice.summary_translation(locale) == "outdated":
        ui = notice.ui[locale]
        if source_page_url:
            attrs = f' hreflang="{html.escape(source.lang)}" lang="{html.escape(source.lang)}"'
            markup = note(ui["translation_outdated"], "outdated", (source_page_url, source.name), attrs) + "\n" + markup
        else:
            markup = note(f"{ui['translation_outdated']} {source.name}", "outdated") + "\n" + markup
    return f'<div class="notice-summary"{marks}>\n{markup}\n</div>'


def render_page(
    notice: Notice,
    locale: str,
    *,
    contents: bool = True,
    effective: datetime.date | None = None,
    banners: tuple[str, ...] = (),
    header: str = "",
    source_page_url: str | None = None,
    json_url: str | None = None,
    front_matter: str = "",
    description: str = "",
) -> str:
    """The whole notice in one locale as one Markdown page.

    `banners` are HTML lines shown under the title, then `header` (render.page_header); `source_page_url` is
    the same page in the source locale, which a section whose translation is behind its source points to.
    """
    text = notice.texts[locale]
    ui = notice.ui[locale]
    if json_url:  # for the <link rel="alternate" type="application/json"> in the page's <head>
        front_matter += yaml_entry("notice_json", json_url) + "\n"
    if description:  # the page's <meta name="description"> (render.description)
        front_matter += yaml_entry("description", description) + "\n"
    out = [f"---\n{front_matter}---", ""] if front_matter else []
    out += [f"# {escape(text.title)} {{#{TITLE_ID}}}", ""]
    for banner in banners:
        out += [banner, ""]
    if header:
        out += [header, ""]
    if effective:
        label = html.escape(ui["effective_date"])
        day = time_element(effective, notice.locale(locale).lang)
        out += [f'<p class="notice-effective">{label}{colon(notice.locale(locale).lang)}{day}</p>', ""]
    if contents:
        out += _contents(notice, locale)
    retired = {}
    for old, new in notice.aliases.items():
        retired.setdefault(new, []).append(old)
    source = notice.locale(notice.source_locale)
    for section in notice.sections:
        for old in retired.get(section.id, ()):
            # A retired anchor keeps working: it lands on the section that replaced it.
            out += [f'<div id="{old}" class="notice-alias"></div>', ""]
        hashes = "#" * (section.level + 1)
        shown = shown_section(notice, locale, section)
        section_text, state = shown.text, shown.state
        if shown.language is not None:
            marks = f' lang="{shown.language.lang}" dir="{shown.language.dir}"'
            out += [f"{hashes} {escape(section_text.title)} {{#{section.id}{marks}}}", ""]
            out += [note(ui["translation_missing"], "untranslated"), ""]
        else:
            out += [f"{hashes} {escape(section_text.title)} {{#{section.id}}}", ""]
        if source_page_url and state == "outdated":
            link = (f"{source_page_url}#{section.id}", source.name)
            out += [
                note(ui["translation_outdated"], "outdated", link, f' hreflang="{source.lang}" lang="{source.lang}"'),
                "",
            ]
        if section_text.body or section_text.table:
            out += [body_html(notice, locale, section, section_text.body, shown.language, section_text.table), ""]
    if json_url:  # for programs and archives: at the end, not between the title and the text
        label = html.escape(ui["download_json"])
        out += [f'<p class="notice-json"><a href="{html.escape(json_url)}" type="application/json">{label}</a></p>', ""]
    return "\n".join(out)


def render_plain_text(notice: Notice, locale: str) -> str:
    """The notice in one locale as a reader sees it, without markup."""
    return html_to_text(markdown_to_html(render_page(notice, locale, contents=False)))
