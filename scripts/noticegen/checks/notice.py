"""`notice check`: every rule a notice must follow, run over all files, every problem reported.

Each concern lives in a module of its own; this one loads the sources and runs them in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from noticegen.checks.branding import check_branding
from noticegen.checks.clauses import check_clauses, source_clause_ids
from noticegen.checks.context import CheckContext
from noticegen.checks.datatables import check_tables_used
from noticegen.checks.gaps import check_gaps_and_contacts
from noticegen.checks.parties import check_parties
from noticegen.checks.schema_lines import check_schema_lines
from noticegen.checks.sections import check_sections, check_summaries
from noticegen.checks.settings import check_aliases, check_locale_settings, check_reserved_ids
from noticegen.checks.tables import check_tables_match
from noticegen.checks.translations import check_translation_freshness
from noticegen.checks.ui import check_ui_strings
from noticegen.checks.versions import check_versions
from noticegen.core.diagnostics import Location, Report, shown
from noticegen.source.branding import BRANDING
from noticegen.source.load import Sources, load_sources
from noticegen.source.outline import OutlineEntry, read_outline
from noticegen.source.versions import VERSIONS_DIR, interrupted_releases, stray_entries


@dataclass
class Checked:
    """What the checks found, and what later stages need from the sources."""

    sources: Sources
    outline: tuple[OutlineEntry, ...]
    report: Report


def check_notice(root: Path, *, prefix: str = "", ui_root: Path | None = None) -> Checked:
    """Check the notice under `root` (or a released snapshot of it: see load_sources)."""
    report = Report()
    sources = load_sources(root, report, prefix=prefix, ui_root=ui_root)
    if sources.notice is None:
        return Checked(sources, (), report)
    outline = read_outline(sources.notice, report)
    outline_broken = any(d.location.path == sources.notice.file.path for d in report.errors)
    ctx = CheckContext(sources, {entry.id: entry for entry in outline}, report, outline_broken)
    ctx.clause_ids = source_clause_ids(sources.texts.get(ctx.source_locale or ""))
    check_locale_settings(ctx)
    check_aliases(ctx)
    check_reserved_ids(ctx)
    for code, loaded in sources.texts.items():
        check_sections(ctx, code, loaded)
    check_summaries(ctx)
    check_tables_match(ctx)
    check_clauses(ctx)
    for code, loaded in sources.ui.items():
        check_ui_strings(ctx, code, loaded)
    check_translation_freshness(ctx)
    check_gaps_and_contacts(ctx)  # after the sections: they record the contacts used and lead-ins found
    check_tables_used(ctx)  # after the sections too: they record the tables shown
    check_parties(ctx)
    if not prefix:  # a project, not a snapshot: its released versions are checked too
        for name in stray_entries(root):
            report.error(
                Location(f"{VERSIONS_DIR}/{name}"),
                f"'{shown(name)}' in {VERSIONS_DIR}/ is not a released version",
                "only `notice release` writes here, one folder per version named by its date: remove it",
            )
        for name in interrupted_releases(root):
            report.warning(
                Location(f"{VERSIONS_DIR}/{name}"),
                "left by a `notice release` that was stopped before its end: it released nothing",
                "the next `notice release` removes it, or remove it yourself",
            )
        check_schema_lines(root, sources, report)
        # The project's files (a snapshot keeps branding.yaml, not the images: the site shows the project's).
        check_branding(root, sources.data.get(BRANDING), report)
        anchors = {entry.id for entry in outline} | set(ctx.clause_ids)
        check_versions(root, sources.notice, anchors, report, sources.locale_codes())
    return Checked(sources, outline, report)
