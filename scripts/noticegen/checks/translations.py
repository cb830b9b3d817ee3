"""How each translated section stands against the source text it was translated from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import Location, shown
from noticegen.core.hashing import (
    CURRENT,
    OUTDATED,
    UNTRANSLATED,
    copied_from_candidates,
    same_language,
    section_hash,
    summary_hash,
    translation_state,
)
from noticegen.source.load import Loaded, Sources
from noticegen.source.tables import section_content
from noticegen.source.versions import released_source_texts
from noticegen.source.yamlsource import Pos, YMap


class State(StrEnum):
    CURRENT = CURRENT  # translated from the source text now in force
    OUTDATED = OUTDATED  # translated from an older source text, or from one it never recorded
    UNTRANSLATED = UNTRANSLATED  # the source's text (now or earlier), or another locale's, copied: not a translation
    MISSING = "missing"  # no text at all (an error of its own)


# The notice's summary, in the list of what a translation stands against: after the sections, under a name no
# section id can have (ids have no parentheses).
SUMMARY = "(summary)"


@dataclass(frozen=True)
class TranslationState:
    locale: str
    section: str
    state: State
    recorded: str | None
    current: str
    path: str
    pos: Pos | None  # of the section key, or of its source_hash when there is one
    # (for the summary: of its `summary:` key, or of its summary_source_hash)


def translation_states(sources: Sources, section_ids: list[str]) -> list[TranslationState]:
    """One entry per (translated locale, section of the outline), in outline order, then the locale's summary
    (SUMMARY) when the notice has one."""
    if sources.notice is None:
        return []
    source_locale = sources.notice.get("locales", {}).get("source_locale")
    source = sources.texts.get(source_locale or "")
    source_sections = source.get("sections") if source else None
    if not isinstance(source_sections, YMap):
        return []
    # Each locale's text of each section as a state counts it, made once: a state compares the section with
    # every other locale's text.
    contents = {
        code: {
            section_id: section_content(text)
            for section_id, text in (loaded.get("sections") or {}).items()
            if isinstance(text, dict) and isinstance(text.get("title"), str)
        }
        for code, loaded in sources.texts.items()
        if isinstance(loaded.get("sections") or {}, dict)
    }
    earlier = released_source_texts(sources.root, source_locale) if isinstance(source_locale, str) else []
    earlier_sections = [text.get("sections") for text in earlier]
    states = []
    for code, loaded in sources.texts.items():
        sections = loaded.get("sections")
        if code == source_locale or not isinstance(sections, YMap):
            continue
        for section_id in section_ids:
            original = source_sections.get(section_id)
            if not isinstance(original, dict) or "title" not in original:
                continue
            current = section_hash(*section_content(original))
            text = sections.get(section_id)
            if not isinstance(text, YMap):
                states.append(TranslationState(code, section_id, State.MISSING, None, current, loaded.file.path, None))
                continue
            recorded = text.get("source_hash")
            if "source_hash" in text.invalid:  # reported by the schema check; stamping rewrites it
                recorded = "(malformed)"
            others = [
                contents[other][section_id]
                for other in copied_from_candidates(code, contents, source_locale)
                if section_id in contents[other]
            ]
            before = [
                section_content(released[section_id])
                for released in earlier_sections
                if isinstance(released, Mapping) and isinstance(released.get(section_id), Mapping)
            ]
            state = State(translation_state(section_content(original), section_content(text), recorded, others, before))
            pos = text.value_pos["source_hash"] if recorded is not None else sections.key_pos[section_id]
            states.append(TranslationState(code, section_id, state, recorded, current, loaded.file.path, pos))
        summary = _summary_state(code, loaded, source, sources, source_locale, earlier)
        if summary is not None:
            states.append(summary)
    return states


def _summary_state(
    code: str, loaded: Loaded, source: Loaded, sources: Sources, source_locale: str, earlier: list[Mapping[str, Any]]
) -> TranslationState | None:
    """How this locale's summary stands against the source locale's (now, and in `earlier`, the released
    versions' source texts); None when the source has no summary, or this locale has none (an error of its
    own, reported by the checks of summaries)."""
    original, data = source.data.get("summary"), loaded.data
    if not isinstance(original, str) or not isinstance(data, YMap) or not isinstance(data.get("summary"), str):
        return None
    recorded = data.get("summary_source_hash")
    if "summary_source_hash" in data.invalid:  # reported by the schema check; stamping rewrites it
        recorded = "(malformed)"
    others = [
        ("", sources.texts[other].data["summary"])
        for other in copied_from_candidates(code, sources.texts, source_locale)
        if isinstance(sources.texts[other].data, YMap) and isinstance(sources.texts[other].data.get("summary"), str)
    ]
    before = [("", text["summary"]) for text in earlier if isinstance(text.get("summary"), str) and text["summary"]]
    state = State(translation_state(("", original), ("", data["summary"]), recorded, others, before))
    pos = data.value_pos.get("summary_source_hash") if recorded is not None else None
    return TranslationState(
        code, SUMMARY, state, recorded, summary_hash(original), loaded.file.path, pos or data.key_pos["summary"]
    )


def check_translation_freshness(ctx: CheckContext) -> None:
    """Lag is a state the site shows, not an error: a translation behind its source, or none yet, is
    published marked as such. A notice may choose to block on it (`translations:` in notice.yaml)."""
    policy = ctx.notice.get("translations") or {}
    if "block" not in (policy.get(State.OUTDATED.value), policy.get(State.UNTRANSLATED.value)):
        return  # nothing to compute: states are shown, not checked
    drafts = ctx.sources.draft_codes()  # not published: nothing to block until a release includes them
    for state in translation_states(ctx.sources, list(ctx.outline)):
        if state.locale in drafts:
            continue
        if state.state not in (State.OUTDATED, State.UNTRANSLATED) or policy.get(state.state.value) != "block":
            continue
        at = Location(state.path, state.pos.line, state.pos.col) if state.pos else Location(state.path)
        what = (
            "is outdated: the source text changed since it was translated"
            if state.state is State.OUTDATED
            else "is not translated: its text is another locale's"
        )
        if state.section == SUMMARY:
            subject, stamp = "the summary", f"notice stamp {state.locale} --summary` (sets summary_source_hash"
        else:
            subject = f"'{shown(state.section)}'"
            stamp = f"notice stamp {state.locale} {state.section}` (sets source_hash"
        ctx.report.error(
            at,
            f"translation of {subject} in locale '{shown(state.locale)}' {what}, and this notice "
            f"blocks {state.state.value} sections (translations: in notice/notice.yaml)",
            f"translate it, then run `{stamp}: {state.current})",
        )


@dataclass(frozen=True)
class CopiedStrings:
    """A locale's site strings (locales/<code>/site.yaml) that are still another language's, word for word."""

    locale: str
    copied: list[str]  # their keys, in the file's order
    total: int
    language: str  # the locale whose words they are
    path: str


def copied_site_strings(sources: Sources) -> list[CopiedStrings]:
    """For each locale with site strings, those that are the source or default locale's own (as `notice locale
    add` copies them), unless the two are the same language (en_GB may keep en's words). A string may rightly
    read the same in two languages, so this is said, never refused."""
    locales = sources.notice.get("locales", {}) if sources.notice is not None else {}
    if not isinstance(locales, dict):
        return []
    others = [code for code in (locales.get("source_locale"), locales.get("default_locale")) if isinstance(code, str)]
    found = []
    for code, loaded in sources.ui.items():
        strings = loaded.data if isinstance(loaded.data, dict) else {}
        for other in dict.fromkeys(others):
            theirs = sources.ui.get(other)
            if other == code or theirs is None or not isinstance(theirs.data, dict) or same_language(other, code):
                continue
            copied = [key for key, text in strings.items() if isinstance(text, str) and text == theirs.data.get(key)]
            if copied:
                found.append(CopiedStrings(code, copied, len(strings), other, loaded.file.path))
                break
    return found
