"""locales/<code>/site.yaml: every UI string the templates need, and none they do not know."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import shown
from noticegen.source.load import Loaded
from noticegen.source.schema import did_you_mean
from noticegen.source.ui_strings import REQUIRED as REQUIRED_UI_STRINGS
from noticegen.source.yamlsource import Pos, YMap
from noticegen.text.punctuation import FULL_WIDTH, ascii_punctuation_in_cjk, uses_full_width


def check_ui_strings(ctx: CheckContext, code: str, loaded: Loaded) -> None:
    strings = loaded.data
    if not isinstance(strings, YMap):
        return
    for key, purpose in REQUIRED_UI_STRINGS.items():
        if key not in strings and key not in strings.invalid:
            ctx.report.error(
                loaded.file.at(Pos(1, 1)),
                f"locale '{shown(code)}' has no UI string '{shown(key)}'",
                f"add `{key}: ...`, the {purpose}",
            )
    for key in strings:
        if key not in REQUIRED_UI_STRINGS:
            ctx.report.error(
                loaded.file.at(strings.key_pos[key]),
                f"unknown UI string '{shown(key)}'",
                did_you_mean(key, tuple(REQUIRED_UI_STRINGS)) or "remove it",
            )
    check_punctuation(ctx, code, loaded)


def locale_lang(ctx: CheckContext, code: str) -> str:
    """The language tag notice.yaml gives a locale (`zh-Hans`), else its code."""
    available = ctx.notice.get("locales", {}).get("available", {})
    entry = available.get(code) if isinstance(available, dict) else None
    lang = entry.get("lang") if isinstance(entry, dict) else None
    return lang if isinstance(lang, str) and lang else code


def check_punctuation(ctx: CheckContext, code: str, loaded: Loaded) -> None:
    """Chinese and Japanese strings write full-width marks: an ASCII `: ` after 生效日期 is a slip. A warning
    (the page still reads), which `--strict` refuses; the hint is the string as it should be."""
    strings = loaded.data
    lang = locale_lang(ctx, code)
    if not isinstance(strings, YMap) or not uses_full_width(lang):
        return
    for key, value in strings.items():
        if not isinstance(value, str):
            continue
        slip = ascii_punctuation_in_cjk(value)
        if slip is None:
            continue
        first = slip.indexes[0]
        marks = " ".join(dict.fromkeys(f"'{value[index]}'" for index in slip.indexes))
        full = " ".join(dict.fromkeys(FULL_WIDTH[value[index]] for index in slip.indexes))
        ctx.report.warning(
            loaded.file.at(value_char_pos(loaded, key, value, first)),
            f"'{shown(key)}' writes ASCII {marks} in {lang} text, which uses full-width marks ({full})",
            "write " + quoted(slip.corrected),
        )


def quoted(text: str) -> str:
    """A string as YAML writes it in single quotes, ready to paste after its key."""
    return "'" + text.replace("'", "''") + "'"


def value_char_pos(loaded: Loaded, key: str, value: str, index: int) -> Pos | None:
    """The position of a character of a one-line string value in its file (else the value's own)."""
    strings = loaded.data
    pos = strings.value_pos.get(key)
    if pos is None or "\n" in value[:index] or not 0 < pos.line <= len(loaded.file.lines):
        return pos
    line = loaded.file.lines[pos.line - 1]
    start = line.find(value[: index + 1], pos.col - 1)
    if start < 0:
        start = line.find(value[index], pos.col - 1) - index
        if start + index < pos.col - 1:
            return pos
    return Pos(pos.line, start + index + 1)
