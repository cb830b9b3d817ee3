"""The notice as plain, immutable data, built once the checks passed. No I/O, no positions."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from noticegen.checks.notice import Checked
from noticegen.core.hashing import SectionContent, copied_from_candidates, translation_state
from noticegen.model.tables import Table, build_table, table_clauses
from noticegen.source.branding import BRANDING
from noticegen.source.ui_strings import IN_TEXT
from noticegen.text.clauses import Clause


@dataclass(frozen=True)
class Locale:
    code: str
    name: str
    lang: str  # BCP 47 tag for <html lang>
    dir: str  # "ltr" or "rtl"


@dataclass(frozen=True)
class Section:
    id: str
    parent: str | None
    level: int
    order: int
    children: tuple[str, ...]
    dpv: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionText:
    title: str
    body: str  # Markdown with references; "" for a section that only groups subsections
    source_hash: str | None
    table: Table | None = None
    clauses: tuple[Clause, ...] = ()  # the anchors its body and table rows carry, in reading order

    @functools.cached_property  # asked of each section in every locale for every translation state
    def content(self) -> SectionContent:
        """What its hash and translation state count (core.hashing): title, body, and table if it has one."""
        return (self.title, self.body) if self.table is None else (self.title, self.body, self.table.content)


@dataclass(frozen=True)
class LocaleText:
    title: str
    sections: Mapping[str, SectionText]
    summary: str = ""  # Markdown; "" when the notice has none (then no locale has one)
    summary_source_hash: str | None = None  # a translation's stamp: the source summary it was translated from


@dataclass(frozen=True)
class Gap:
    id: str
    kind: str
    section: str | None
    contacts: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Notice:
    controller: Mapping[str, Any]
    locales: tuple[Locale, ...]
    source_locale: str
    default_locale: str
    sections: tuple[Section, ...]  # reading order
    aliases: Mapping[str, str]
    texts: Mapping[str, LocaleText]
    ui: Mapping[str, Mapping[str, str]]
    data: Mapping[str, Any]  # notice/data/<name>.yaml, validated
    gaps: tuple[Gap, ...]
    # The source locale's text of each version released before this one (for the working text: of every
    # released version), oldest first, with that locale's code: a translation that is one of them was copied
    # from an older source text, not translated (model.site.load_site sets it). Only those of this notice's
    # source locale count: a text that used to be the source is no copy of it.
    earlier_sources: tuple[tuple[str, LocaleText], ...] = ()

    def without_locales(self, codes: set[str]) -> Notice:
        """This notice as published without `codes` (locales no released version includes)."""
        return replace(
            self,
            locales=tuple(locale for locale in self.locales if locale.code not in codes),
            texts=MappingProxyType({code: text for code, text in self.texts.items() if code not in codes}),
        )

    def locale(self, code: str) -> Locale:
        return next(locale for locale in self.locales if locale.code == code)

    def section(self, section_id: str) -> Section:
        return next(section for section in self.sections if section.id == section_id)

    def gaps_in(self, section_id: str) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if gap.section == section_id)

    def translation(self, locale: str, section_id: str) -> str:
        """How this locale's text of the section stands: "source" in the source locale, else current,
        outdated or untranslated (core.hashing.translation_state)."""
        known = self._translations
        if (locale, section_id) not in known:
            known[locale, section_id] = self._translation(locale, section_id)
        return known[locale, section_id]

    @functools.cached_property
    def _translations(self) -> dict[tuple[str, str], str]:
        """`translation`'s answers so far. Every page, redline and document of a version asks, and each answer
        compares the section with every other locale's: computed once per notice (which never changes)."""
        return {}

    def _translation(self, locale: str, section_id: str) -> str:
        if locale == self.source_locale:
            return "source"
        source = self.texts[self.source_locale].sections[section_id]
        text = self.texts[locale].sections[section_id]
        others = [
            self.texts[code].sections[section_id].content
            for code in copied_from_candidates(locale, self.texts, self.source_locale)
        ]
        earlier = [texts.sections[section_id].content for texts in self._earlier() if section_id in texts.sections]
        return translation_state(source.content, text.content, text.source_hash, others, earlier)

    def _earlier(self) -> list[LocaleText]:
        return [texts for code, texts in self.earlier_sources if code == self.source_locale]

    def summary_translation(self, locale: str) -> str:
        """How this locale's summary stands, as `translation` says of a section ("" when there is none)."""
        if not self.texts[locale].summary.strip():
            return ""
        if locale == self.source_locale:
            return "source"
        text = self.texts[locale]
        others = [
            ("", self.texts[code].summary) for code in copied_from_candidates(locale, self.texts, self.source_locale)
        ]
        source = ("", self.texts[self.source_locale].summary)
        earlier = [("", texts.summary) for texts in self._earlier() if texts.summary]
        return translation_state(source, ("", text.summary), text.summary_source_hash, others, earlier)


def _plain(value: Any) -> Any:
    """Position-carrying YAML containers as plain read-only ones."""
    if isinstance(value, dict):
        return MappingProxyType({key: _plain(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_plain(item) for item in value)
    return value


def _section_text(text: Mapping[str, Any]) -> SectionText:
    table = build_table(text.get("table"))
    body = text.get("body", "")
    return SectionText(text["title"], body, text.get("source_hash"), table, table_clauses(body, table))


def build_notice(checked: Checked, *, drafts: bool = False) -> Notice:
    """The model of a notice whose check found no error (the caller makes sure of that). Its locales are
    the published ones; with `drafts`, the locales being translated too (a preview shows them)."""
    if checked.report.errors or checked.sources.notice is None:
        raise ValueError("the notice has errors: run `notice check`")
    sources = checked.sources
    notice = sources.notice
    locales_block = notice.get("locales")
    shown_codes = sources.locale_codes() if drafts else sources.published_codes()
    locales = tuple(
        Locale(code, entry["name"], entry.get("lang", code), entry.get("dir", "ltr"))
        for code, entry in locales_block["available"].items()
        if code in shown_codes
    )
    texts = {
        code: LocaleText(
            loaded.data["title"],
            MappingProxyType({section_id: _section_text(text) for section_id, text in loaded.data["sections"].items()}),
            loaded.data.get("summary", ""),
            loaded.data.get("summary_source_hash"),
        )
        for code, loaded in sources.texts.items()
        if code in shown_codes
    }
    gaps_file = sources.data.get("gaps")
    gaps = tuple(
        Gap(gap["id"], gap["kind"], gap.get("section"), tuple(gap.get("contacts", ())), " ".join(gap["note"].split()))
        for gap in (gaps_file.data if gaps_file else ())
    )
    return Notice(
        controller=_plain(notice.get("controller")),
        locales=locales,
        source_locale=locales_block["source_locale"],
        default_locale=locales_block["default_locale"],
        sections=tuple(
            Section(entry.id, entry.parent, entry.level, entry.order, entry.children, entry.dpv)
            for entry in checked.outline
        ),
        aliases=_plain(notice.get("aliases") or {}),
        texts=MappingProxyType(texts),
        ui=MappingProxyType(
            {
                code: {**_plain(loaded.data), **sources.frozen_strings.get(code, {})}
                for code, loaded in sources.ui.items()
            }
        ),
        data=MappingProxyType({name: _plain(loaded.data) for name, loaded in sources.data.items()}),
        gaps=gaps,
    )


def published_content(checked: Checked, codes: tuple[str, ...]) -> dict[str, Any]:
    """What readers of `codes` are given by a checked notice: its facts and outline, its text and the strings
    inside the text in those locales, its data with each text per locale reduced to them. Two notices with
    the same published content differ only in layout, comments or locales not published from them; with the
    source locale alone, it is the binding text (a release that keeps it changes translations only)."""
    sources = checked.sources
    if checked.report.errors or sources.notice is None:
        raise ValueError("the notice has errors: run `notice check`")
    declared = set(sources.locale_codes())
    wanted = [code for code in codes if code in declared]

    def reduced(value: Any) -> Any:
        if isinstance(value, dict) and value and set(value) == declared:  # a text per locale (schema Localized)
            return {code: value[code] for code in wanted}
        if isinstance(value, dict):
            return {key: reduced(item) for key, item in value.items()}
        if isinstance(value, list):
            return [reduced(item) for item in value]
        return value

    facts = {key: value for key, value in sources.notice.data.items() if key not in ("locales", "translations")}
    return {
        "notice": reduced(_plain_data(facts)),
        "source_locale": sources.notice.data["locales"]["source_locale"],
        # The logo and favicon are the site's look, not what readers are told (source/branding.py).
        "data": {
            name: reduced(_plain_data(loaded.data)) for name, loaded in sorted(sources.data.items()) if name != BRANDING
        },
        "texts": {
            code: {
                "title": sources.texts[code].data["title"],
                # Only when written: a notice without a summary compares as it did before summaries existed.
                **({"summary": sources.texts[code].data["summary"]} if "summary" in sources.texts[code].data else {}),
                **(
                    {"summary_source_hash": sources.texts[code].data["summary_source_hash"]}
                    if "summary_source_hash" in sources.texts[code].data
                    else {}
                ),
                "sections": {
                    # The stamp too: it says whether the translation follows the source, which readers are told.
                    section_id: (text["title"], text.get("body", ""), text.get("source_hash"))
                    + ((_plain_data(text["table"]),) if "table" in text else ())
                    for section_id, text in sources.texts[code].data["sections"].items()
                },
                "strings": {
                    key: {**sources.ui[code].data, **sources.frozen_strings.get(code, {})}.get(key) for key in IN_TEXT
                },
            }
            for code in wanted
        },
    }


def _plain_data(value: Any) -> Any:
    """Validated YAML (position-carrying containers, dates) as plain, comparable values."""
    if isinstance(value, dict):
        return {str(key): _plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_data(item) for item in value]
    return value
