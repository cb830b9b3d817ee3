"""What every check reads, and what one check leaves for another (contacts used, lead-ins found)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from noticegen.core.diagnostics import Location, Report
from noticegen.source.load import Loaded, Sources
from noticegen.source.outline import OutlineEntry


@dataclass
class LeadIn:
    """A paragraph that ends with a colon and has no list after it: a list may have been lost."""

    section: str
    location: Location


@dataclass(frozen=True)
class ClauseSite:
    """A clause anchor as written in one locale: a marked paragraph or list item, or a table row's id."""

    id: str
    section: str
    kind: str  # text.clauses.PARAGRAPH, LIST_ITEM or TABLE_ROW
    location: Location


@dataclass
class CheckContext:
    sources: Sources
    outline: dict[str, OutlineEntry]
    report: Report
    # With a broken outline, which section has subsections is unknown: a missing body proves nothing.
    outline_broken: bool
    used_contacts: set[str] = field(default_factory=set)
    used_tables: set[str] = field(default_factory=set)
    lead_ins: list[LeadIn] = field(default_factory=list)
    # The clause ids of the source locale's text (clause id -> section), known before any text is checked:
    # links and aliases may lead to them.
    clause_ids: dict[str, str] = field(default_factory=dict)
    # Every clause anchor the checked texts carry, by locale, in the order they were found.
    clauses: dict[str, list[ClauseSite]] = field(default_factory=dict)

    @property
    def notice(self) -> Loaded:
        assert self.sources.notice is not None
        return self.sources.notice

    @property
    def source_locale(self) -> str | None:
        locales = self.notice.get("locales", {})
        return locales.get("source_locale")

    @property
    def data(self) -> dict[str, Any]:
        return {name: loaded.data for name, loaded in self.sources.data.items()}

    @property
    def contacts(self) -> dict[str, Any]:
        contacts = self.data.get("contacts")
        return contacts if isinstance(contacts, dict) else {}
