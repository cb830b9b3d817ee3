"""A page's meta description: what a search engine shows under its title, as plain text of about 150 characters.

Taken from the notice itself (the opening of its first section), in the page's language; a version's page and
its redline say which version they are first.
"""

from __future__ import annotations

import re

from noticegen.model.notice import Notice
from noticegen.render.notice_page import expand_body
from noticegen.text.markup import html_to_text, markdown_to_html

LONGEST = 150
# Chinese and Japanese say as much in about half the characters; search engines cut them sooner too.
LONGEST_CJK = 80
SENTENCE_END = re.compile(r"(?<=[.!?])\s|(?<=[。！？])")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def opening(notice: Notice, locale: str) -> str:
    """The plain text of the first section with text in this locale's own words (an untranslated section shows
    another language's: it is skipped)."""
    for section in notice.sections:
        if notice.translation(locale, section.id) == "untranslated":
            continue
        body = notice.texts[locale].sections[section.id].body
        if body and body.strip():
            return " ".join(html_to_text(markdown_to_html(expand_body(notice, locale, body))).split())
    return ""


def shortened(text: str) -> str:
    """Whole sentences up to the length a search engine shows; a first sentence too long is cut at a word (or, in
    Chinese and Japanese, a character) and ends with an ellipsis."""
    longest = LONGEST_CJK if CJK.search(text) else LONGEST
    if len(text) <= longest:
        return text
    ends = [match.end() for match in SENTENCE_END.finditer(text) if match.end() <= longest + 1]
    if ends and ends[-1] >= longest // 3:
        return text[: ends[-1]].strip()
    cut = text[:longest]
    if " " in cut and not CJK.search(cut[-1]):
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:、，；：") + "…"


def description(notice: Notice, locale: str, lead: str = "") -> str:
    """The page's description: `lead` (which version, which page) then the notice's opening, shortened."""
    text = opening(notice, locale) or notice.texts[locale].title
    return shortened(f"{lead}{text}")
