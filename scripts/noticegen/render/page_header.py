"""The header under a notice page's title: when the text is in force, and where a reader goes next.

A pure function of what the page renderer (render/pages.py) decides to show: the dates line (HTML, or none where
a banner states the dates) and a list of links. Each link is one `HeaderLink`, so another way out
of the page (a PDF of this version) is one more item in the list the renderer builds.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from noticegen.render.notice_page import escape
from noticegen.text.punctuation import colon


@dataclass(frozen=True)
class HeaderLink:
    """One link of the header: `target` is a page's `.md` path (MkDocs checks it) or an absolute URL; `lang` is
    the linked page's language tag when it is not the page's own (a language switch link), named in it. A link
    with a `media_type` is a download written beside the page (a PDF): a relative URL to a file MkDocs does not
    build, so it is written as HTML, which MkDocs' link validation leaves alone."""

    label: str
    target: str
    lang: str | None = None
    media_type: str | None = None


def _link(item: HeaderLink) -> str:
    attrs = []
    if item.lang:
        attrs += [f'hreflang="{html.escape(item.lang)}"', f'lang="{html.escape(item.lang)}"']
    if item.media_type:
        attrs.append(f'type="{html.escape(item.media_type)}"')
    if item.media_type:
        return f'- <a href="{html.escape(item.target)}" {" ".join(attrs)}>{html.escape(item.label)}</a>'
    listed = "{: " + " ".join(attrs) + " }" if attrs else ""
    return f"- [{escape(item.label)}]({item.target}){listed}"


def page_header(dates: str | None, links: Sequence[HeaderLink], label: str) -> str:
    """The header as one Markdown block (md_in_html): the dates line, then the links as a named navigation list
    (`label`, in the page's language). Empty when there is nothing to say."""
    if not dates and not links:
        return ""
    out = ['<div class="notice-header" data-search-exclude markdown>', ""]
    if dates:
        out += [f'<p class="notice-header__dates">{dates}</p>', ""]
    if links:
        out += [f'<nav class="notice-header__links" aria-label="{html.escape(label)}" markdown>', ""]
        out += [_link(item) for item in links]
        out += ["", "</nav>", ""]
    out.append("</div>")
    return "\n".join(out)


def print_record(publisher: str, address: str, facts: Sequence[tuple[str, str]], lang: str) -> str:
    """What a printed copy must carry to stand on its own (shown on paper only, notice.css): the publisher and
    their address (`address`: HTML, may be empty), then each (label, value as HTML) fact: version, dates, digest."""
    rows = "".join(f"<p>{html.escape(label)}{colon(lang)}{value}</p>" for label, value in facts)
    return f'<div class="notice-print-record" data-search-exclude><p>{html.escape(publisher)}</p>{address}{rows}</div>'
