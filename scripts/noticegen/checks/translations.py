"""How each translated section stands against the source text it was translated from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import Location, shown
from noticegen.core.hashing import section_hash
from noticegen.source.load import Sources
from noticegen.source.yamlsource import Pos, YMap


class State(StrEnum):
    CURRENT = "current"
    OUTDATED = "outdated"
    UNRECORDED = "unrecorded"  # no source_hash: nobody said which source text it translates
    MISSING = "missing"


@dataclass(frozen=True)
class TranslationState:
    locale: str
    section: str
    state: State
    recorded: str | None
    current: str
    path: str
    pos: Pos | None  # of the section key, or of its source_hash when there is one


def translation_states(sources: Sources, section_ids: list[str]) -> list[TranslationState]:
    """One entry per (translated locale, section of the outline), in outline order."""
    if sources.notice is None:
        return []
    source_locale = sources.notice.get("locales", {}).get("source_locale")
    source = sources.texts.get(source_locale or "")
    source_sections = source.get("sections") if source else None
    if not isinstance(source_sections, YMap):
        return []
    states = []
    for code, loaded in sources.texts.items():
        sections = loaded.get("sections")
        if code == source_locale or not isinstance(sections, YMap):
            continue
        for section_id in section_ids:
            original = source_sections.get(section_id)
            if not isinstance(original, dict) or "title" not in original:
                continue
            current = section_hash(original["title"], original.get("body", ""))
            text = sections.get(section_id)
            if not isinstance(text, YMap):
                states.append(TranslationState(code, section_id, State.MISSING, None, current, loaded.file.path, None))
                continue
            recorded = text.get("source_hash")
            if "source_hash" in text.invalid:  # reported by the schema check; stamping rewrites it
                recorded = "(malformed)"
            if recorded is None:
                state, pos = State.UNRECORDED, sections.key_pos[section_id]
            else:
                state = State.CURRENT if recorded == current else State.OUTDATED
                pos = text.value_pos["source_hash"]
            states.append(TranslationState(code, section_id, state, recorded, current, loaded.file.path, pos))
    return states


def check_translation_freshness(ctx: CheckContext) -> None:
    """A translation behind its source text, or one that never said which text it translates."""
    for state in translation_states(ctx.sources, list(ctx.outline)):
        at = Location(state.path, state.pos.line, state.pos.col) if state.pos else Location(state.path)
        stamp = f"notice stamp {state.locale} {state.section}"
        if state.state is State.UNRECORDED:
            ctx.report.warning(
                at,
                f"translation of '{shown(state.section)}' in locale '{shown(state.locale)}' "
                "does not record its source text",
                f"once it matches the {ctx.source_locale} text, run `{stamp}` (sets source_hash: {state.current})",
            )
        elif state.state is State.OUTDATED:
            ctx.report.warning(
                at,
                f"translation of '{shown(state.section)}' in locale '{shown(state.locale)}' is outdated: "
                f"the {ctx.source_locale} text changed since it was translated",
                f"update the translation, then run `{stamp}` (sets source_hash: {state.current})",
            )
