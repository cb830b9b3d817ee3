"""The printable HTML of one released version in one locale, which export.pdf turns into the version's PDF.

The same section texts as the site (render.notice_page.section_html), their ids kept so that links inside the
document become PDF destinations. Every page carries, in its margin boxes, what identifies the legal record:
the publisher, the version, its period in force and the locale's content digest, and page n / N.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping
from pathlib import Path

from noticegen.model.site import Site, Version
from noticegen.render.notice_page import section_html
from noticegen.text.dates import long_date


def _css_string(text: str) -> str:
    """A CSS string literal: margin boxes take their text from `content`, not from the HTML."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def font_faces(fonts: Mapping[str, Path]) -> str:
    """@font-face rules for the embedded fonts (local files only: the PDF asks no other host for anything)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); }}'
        for family, path in fonts.items()
    )


def pdf_html(site: Site, version: Version, locale: str, fonts: Mapping[str, Path]) -> str:
    """The version's text in `locale` as one HTML document for print."""
    notice = version.notice
    language = site.working.locale(locale)
    ui = site.working.ui[locale]
    texts = notice.texts[locale]
    last_day = site.last_day(version)
    period = f"{ui['column_from']} {long_date(version.effective, language.lang)}"
    if last_day is not None:
        period += f" · {ui['column_until']} {long_date(last_day, language.lang)}"
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
.notice-pdf-meta dt {{ font-weight: bold; }}
.notice-pdf-meta dd {{ margin: 0 0 1mm; word-break: break-all; }}
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
    ]
    for section in notice.sections:
        text = texts.sections.get(section.id)
        if text is None:
            continue
        level = min(section.level + 1, 6)
        out.append(f'<h{level} id="{html.escape(section.id)}">{html.escape(text.title)}</h{level}>')
        if text.body or text.table:
            out.append(section_html(notice, locale, text.body, text.table, title=text.title, page=False))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def pdf_date(version: Version) -> datetime.datetime:
    """The PDF's creation and modification date: the version's publication day, so rebuilds agree."""
    return datetime.datetime.combine(version.published, datetime.time(), tzinfo=datetime.UTC)
