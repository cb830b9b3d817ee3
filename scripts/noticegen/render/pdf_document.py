"""The printable HTML of one released version in one locale, which export.pdf turns into the version's PDF.

The same section texts as the site (render.notice_page.section_html), their ids kept so that links inside the
document become PDF destinations. Every page carries, in its margin boxes, what identifies the legal record:
the publisher, the version, its period in force and the locale's content digest, and page n / N.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from noticegen.model.site import Site, Version
from noticegen.render.notice_page import note, section_html, shown_section, summary_block, with_gap_notes
from noticegen.text.dates import long_date
from noticegen.text.punctuation import colon


def _css_string(text: str) -> str:
    """A CSS string literal: margin boxes take their text from `content`, not from the HTML. Anything but
    letters, digits and plain punctuation is a six-digit CSS escape, so that no text (a publisher named
    `</style>…`) can end the string or the style element it stands in."""
    plain = " .,-_/()·:'&@+#"
    escaped = "".join(ch if ch.isalnum() or ch in plain else f"\\{ord(ch):06x}" for ch in text.replace("\n", " "))
    return f'"{escaped}"'


@dataclass(frozen=True)
class FontSource:
    """One file of a font family: its URL, and the weight it is fixed at (None: a file with every weight)."""

    url: str
    weight: int | None = None


def font_faces(fonts: Mapping[str, Path | Sequence[FontSource]]) -> str:
    """@font-face rules for the embedded fonts, a family's files or the whole file of each (local files or
    what export.pdf's URL fetcher holds: the PDF asks no other host for anything)."""
    rules = []
    for family, files in fonts.items():
        sources = [FontSource(files.resolve().as_uri())] if isinstance(files, Path) else files
        for source in sources:
            weight = f" font-weight: {source.weight};" if source.weight is not None else ""
            rules.append(f'@font-face {{ font-family: "{family}";{weight} src: url("{source.url}"); }}')
    return "\n".join(rules)


def pdf_html(site: Site, version: Version, locale: str, fonts: Mapping[str, Path | Sequence[FontSource]]) -> str:
    """The version's text in `locale` as one HTML document for print."""
    notice = version.notice
    language = site.working.locale(locale)
    ui = site.working.ui[locale]
    texts = notice.texts[locale]
    last_day = site.last_day(version)
    period = f"{ui['column_from']} {long_date(version.effective, language.lang)}"
    if last_day is not None:
        period += f" · {ui['column_until']} {long_date(last_day, language.lang)}"
    # A corrected text says so on every page and under its title, as its page's banner does.
    correction = site.corrected_by(version)
    corrected = ""
    if correction is not None:
        on = long_date(correction.published, language.lang)
        period += f" · {ui['corrected_on'].replace('{date}', on)}"
        corrected = (
            f"{ui['banner_corrected'].replace('{date}', on)} "
            f"{ui['read_correction']}{colon(language.lang)}{correction.id}"
        )
    publisher = str(notice.controller.get("name", ""))
    digest = version.digests.get(locale, "")
    # The digest is named by its algorithm: the same label in every language.
    footer = f"{ui['column_version']} {version.id} · SHA-256 {digest}"
    families = ", ".join(f'"{family}"' for family in fonts) or "sans-serif"
    start, end = ("right", "left") if language.dir == "rtl" else ("left", "right")
    css = f"""
{font_faces(fonts)}
@page {{
  size: A4;
  margin: 22mm 18mm 24mm 18mm;
  @top-{start} {{ content: {_css_string(publisher)}; font-size: 8pt; color: #333; }}
  @top-{end} {{ content: {_css_string(period)}; font-size: 8pt; color: #333; }}
  @bottom-{start} {{ content: {_css_string(footer)}; font-size: 6.5pt; color: #333; }}
  @bottom-{end} {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #333; }}
}}
html {{ font-family: {families}; font-size: 10pt; line-height: 1.45; color: #000; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; }}
h3, h4, h5, h6 {{ font-size: 11pt; margin: 4mm 0 2mm; }}
h2, h3, h4, h5, h6 {{ break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0; }}
th, td {{ border: 0.5pt solid #777; padding: 1.5mm; vertical-align: top; text-align: start; }}
a {{ color: #0645ad; }}
.notice-pdf-meta {{ margin: 0 0 6mm; font-size: 9pt; }}
.notice-gap, .notice-untranslated, .notice-outdated, .notice-corrected {{
  background: #eee; padding: 1.5mm 3mm; font-size: 9pt;
}}
.notice-pdf-meta dt {{ font-weight: bold; }}
.notice-pdf-meta dd {{ margin: 0 0 1mm; word-break: break-all; }}
.notice-summary {{ margin: 0 0 6mm; font-size: 11pt; }}
"""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language.lang)}" dir="{html.escape(language.dir)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(texts.title)} · {html.escape(version.id)}</title>",
        f'<meta name="author" content="{html.escape(publisher)}">',
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        f'<h1 id="top">{html.escape(texts.title)}</h1>',
        '<dl class="notice-pdf-meta">',
        f"<dt>{html.escape(ui['column_version'])}</dt><dd>{html.escape(version.id)}</dd>",
        f"<dt>{html.escape(ui['column_from'])}</dt><dd>{html.escape(long_date(version.effective, language.lang))}</dd>",
        *(
            [f"<dt>{html.escape(ui['column_until'])}</dt><dd>{html.escape(long_date(last_day, language.lang))}</dd>"]
            if last_day is not None
            else []
        ),
        f"<dt>SHA-256</dt><dd>{html.escape(digest)}</dd>",
        "</dl>",
        *([note(corrected, "corrected")] if corrected else []),
    ]
    summary = summary_block(notice, locale)
    if summary:  # part of the released text, as on the version's page: under the record, before the sections
        out.append(summary)
    source = notice.locale(notice.source_locale)
    for section in notice.sections:
        # As the page shows it (render.notice_page): an untranslated section in its source language, marked,
        # an outdated translation said to be so, and a note where the source lost a list or links.
        shown = shown_section(notice, locale, section)
        text, other = shown.text, shown.language
        marks = f' lang="{html.escape(other.lang)}" dir="{html.escape(other.dir)}"' if other else ""
        level = min(section.level + 1, 6)
        out.append(f'<h{level} id="{html.escape(section.id)}"{marks}>{html.escape(text.title)}</h{level}>')
        if other is not None:
            out.append(note(ui["translation_missing"], "untranslated"))
        elif shown.state == "outdated":
            out.append(note(f"{ui['translation_outdated']} {source.name}", "outdated"))
        if text.body or text.table:
            body = with_gap_notes(notice, locale, section, text.body)
            rendered = section_html(notice, locale, body, text.table, title=text.title, page=False)
            out.append(f"<div{marks}>{rendered}</div>" if marks else rendered)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def pdf_date(version: Version) -> datetime.datetime:
    """The PDF's creation and modification date: the version's publication day, so rebuilds agree."""
    return datetime.datetime.combine(version.published, datetime.time(), tzinfo=datetime.UTC)
