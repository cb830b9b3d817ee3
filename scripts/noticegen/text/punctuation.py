"""The punctuation of a language written in another's: Chinese and Japanese write full-width marks
(，。：；！？（）), and an ASCII comma, colon or parenthesis next to their characters is a slip (`生效日期: `).

Only the clear cases: an ASCII , : ; ! ? ( ) touching a CJK character (spaces aside), and the other half of
a pair of parentheses one of which is such a slip. Other languages' conventions (French spacing) are
left to their editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Languages (BCP 47 primary subtags) whose text uses full-width punctuation.
FULL_WIDTH_LANGUAGES = frozenset({"zh", "ja"})
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# Han (with its extensions and compatibility forms), kana, and CJK and full-width punctuation.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


@dataclass(frozen=True)
class PunctuationSlip:
    """The ASCII marks to write full-width in a string (their indexes in it) and the string as it should be."""

    indexes: tuple[int, ...]
    corrected: str


def uses_full_width(lang: str) -> bool:
    """Whether a language tag (`zh-Hans`, `ja`) names a language written with full-width punctuation."""
    return lang.split("-")[0].lower() in FULL_WIDTH_LANGUAGES


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _paired(text: str, slips: set[int]) -> set[int]:
    """The slips, with the other parenthesis of each pair one of whose halves is a slip."""
    stack: list[int] = []
    pairs = {}
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            opening = stack.pop()
            pairs[opening], pairs[index] = index, opening
    return slips | {pairs[index] for index in slips if index in pairs}


def ascii_punctuation_in_cjk(text: str) -> PunctuationSlip | None:
    """The ASCII marks of `text` that touch a CJK character, or None when there is none."""
    slips = {
        index
        for index, char in enumerate(text)
        if char in FULL_WIDTH and any(_CJK.match(_neighbour(text, index, step) or " ") for step in (-1, 1))
    }
    if not slips:
        return None
    slips = _paired(text, slips)
    out: list[str] = []
    after_slip = False  # a full-width mark has its own space: the ASCII spaces around it go
    for index, char in enumerate(text):
        if index in slips:
            while out and out[-1] == " ":
                out.pop()
            out.append(FULL_WIDTH[char])
            after_slip = True
        elif not (char == " " and after_slip):
            out.append(char)
            after_slip = False
    return PunctuationSlip(tuple(sorted(slips)), "".join(out))


# The marks the templates put between their own words, in the page's language.
def colon(lang: str) -> str:
    """After a label: ": " ("Effective date: "), or "：" in Chinese and Japanese ("生效日期：")."""
    return "：" if uses_full_width(lang) else ": "


def in_parentheses(text: str, lang: str) -> str:
    """An aside after a word: " (text)", or "（text）" in Chinese and Japanese."""
    return f"（{text}）" if uses_full_width(lang) else f" ({text})"


def list_separator(lang: str) -> str:
    """Between the items of a short list of labels: ", ", or "、" in Chinese and Japanese."""
    return "、" if uses_full_width(lang) else ", "


def sentence_end(lang: str) -> str:
    """After a sentence that another follows: ". ", or "。" in Chinese and Japanese."""
    return "。" if uses_full_width(lang) else ". "
