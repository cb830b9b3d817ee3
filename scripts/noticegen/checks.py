"""`notice check`: every rule a notice must follow, run over all files, every problem reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check_versions import check_versions
from .diagnostics import Location, Report
from .load import Loaded, Sources, load_sources
from .markdown_scan import BodyScan, Found, lead_ins_without_list, scan_body
from .markup import link_problem, markdown_to_html, policy_problems
from .outline import OutlineEntry, read_outline
from .references import ANY_REFERENCE, find_references, is_block_reference, resolve_data, unclosed_braces
from .schema import did_you_mean
from .translations import State, translation_states
from .ui_strings import REQUIRED as REQUIRED_UI_STRINGS
from .yamlsource import Pos, SourceFile, YMap


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
    checker = _Checker(sources, outline, report, outline_broken)
    checker.run()
    if not prefix:  # a project, not a snapshot: its released versions are checked too
        check_versions(root, sources.notice, {entry.id for entry in outline}, report, sources.locale_codes())
    return Checked(sources, outline, report)


@dataclass
class _LeadIn:
    section: str
    location: Location


class _Checker:
    def __init__(
        self, sources: Sources, outline: tuple[OutlineEntry, ...], report: Report, outline_broken: bool
    ) -> None:
        assert sources.notice is not None
        self.sources = sources
        self.notice: Loaded = sources.notice
        self.outline = {entry.id: entry for entry in outline}
        self.report = report
        # With a broken outline, which section has subsections is unknown: a missing body proves nothing.
        self.outline_broken = outline_broken
        locales = self.notice.get("locales", {})
        self.source_locale: str | None = locales.get("source_locale")
        self.default_locale: str | None = locales.get("default_locale")
        self.data = {name: loaded.data for name, loaded in sources.data.items()}
        contacts = self.data.get("contacts")
        self.contacts: dict[str, Any] = contacts if isinstance(contacts, dict) else {}
        self.used_contacts: set[str] = set()
        self.lead_ins: list[_LeadIn] = []

    def run(self) -> None:
        self.check_locale_settings()
        self.check_aliases()
        for code, loaded in self.sources.texts.items():
            self.check_sections(code, loaded)
        for code, loaded in self.sources.ui.items():
            self.check_ui_strings(code, loaded)
        self.check_translation_freshness()
        self.check_gaps_and_contacts()

    # -- notice.yaml ------------------------------------------------------------------------

    def check_locale_settings(self) -> None:
        locales = self.notice.get("locales")
        if not isinstance(locales, YMap):
            return
        available = tuple(self.sources.locale_codes())
        for key in ("source_locale", "default_locale"):
            code = locales.get(key)
            if code is not None and code not in available:
                self.report.error(
                    self.notice.file.at(locales.value_pos[key]),
                    f"{key} '{code}' is not one of the available locales",
                    did_you_mean(code, available) if available else "list it under locales.available",
                )

    def check_aliases(self) -> None:
        aliases = self.notice.get("aliases")
        if not isinstance(aliases, YMap):
            return
        for old, new in aliases.items():
            if old in self.outline:
                self.report.error(
                    self.notice.file.at(aliases.key_pos[old]),
                    f"alias '{old}' is also the id of a section",
                    "an alias keeps a retired id alive; a section that still exists needs none",
                )
            if new not in self.outline:
                self.report.error(
                    self.notice.file.at(aliases.value_pos[old]),
                    f"alias '{old}' points to '{new}', which is not in the outline",
                    did_you_mean(new, tuple(self.outline)) or "point it to an existing section",
                )

    # -- locales/<code>/notice.yaml ---------------------------------------------------------

    def check_sections(self, code: str, loaded: Loaded) -> None:
        sections = loaded.get("sections")
        if not isinstance(sections, YMap):
            return
        file = loaded.file
        anchor = file.at(loaded.data.key_pos.get("sections")) if isinstance(loaded.data, YMap) else file.at(None)
        for section_id in self.outline:
            if section_id not in sections:
                self.report.error(
                    anchor,
                    f"locale '{code}' is missing section '{section_id}'",
                    f"add `{section_id}:` with its title and body under `sections:`; "
                    "every locale has every section of the outline",
                )
        for section_id, text in sections.items():
            key_at = file.at(sections.key_pos[section_id])
            entry = self.outline.get(section_id)
            if entry is None:
                self.report.error(
                    key_at,
                    f"section '{section_id}' of locale '{code}' is not in the outline",
                    did_you_mean(section_id, tuple(self.outline))
                    or "add it to the outline in notice/notice.yaml, or delete it here",
                )
                continue
            if "title" in text:
                self.check_title(file, text.value_pos["title"], text["title"])
            if "body" in text:
                self.check_body(code, section_id, file, text.value_pos["body"], text["body"])
            elif not entry.children and "body" not in text.invalid and not self.outline_broken:
                self.report.error(
                    key_at,
                    f"section '{section_id}' of locale '{code}' has no body",
                    "write its text under `body: |`; only a section with subsections may go without",
                )
            if "source_hash" in text and code == self.source_locale:
                self.report.warning(
                    file.at(text.value_pos["source_hash"]),
                    f"'{code}' is the source locale: its sections record no source_hash",
                    "remove the line",
                )

    def check_title(self, file: SourceFile, pos: Pos, title: str) -> None:
        if re.search(r"<[A-Za-z!/?]", title):
            self.report.error(file.at(pos), "raw HTML is not allowed in a title", "write plain text")
        if "{" in title or "}" in title:
            self.report.error(
                file.at(pos),
                "braces are not allowed in a title",
                "a title is plain text: references and attribute lists belong nowhere in it",
            )

    def check_body(self, code: str, section_id: str, file: SourceFile, pos: Pos, body: str) -> None:
        start_line, start_col = _body_start(file, pos)

        def at(found: Found) -> Location:
            if not pos.literal:  # folded or quoted text: lines in the value are not lines in the file
                return Location(file.path, start_line, start_col)
            line = start_line + found.line
            text = file.lines[line - 1] if 0 < line <= len(file.lines) else ""
            column = text.find(found.text) if found.text else -1
            return Location(file.path, line, column + 1 if column >= 0 else start_col)

        def at_offset(offset: int) -> Location:
            line = body.count("\n", 0, offset)
            return at(Found(line, body[offset : offset + 12].split("\n")[0]))

        scan = scan_body(body)
        for found in scan.html:
            self.report.error(
                at(found),
                f"raw HTML is not allowed in the text: {found.text[:40]}",
                "write Markdown instead; HTML would be published as it is",
            )
        for found in scan.images:
            self.report.error(at(found), "images are not allowed in the notice text", "describe it in words")
        for found in scan.headings:
            self.report.error(
                at(found),
                "a heading inside a section body",
                "make it a subsection in the outline; headings carry the permanent anchors",
            )
        for found in scan.attr_lists:
            self.report.error(
                at(found),
                f"attribute list '{found.text}' is not allowed",
                "remove it: ids and attributes are set by the generator",
            )
        for found in scan.lists_without_blank_line:
            self.report.error(
                at(found),
                "a list or table must follow an empty line",
                "insert an empty line before it, or it is published as plain text",
            )
        for found in scan.shallow_nested_lists:
            self.report.error(
                at(found),
                "a nested list must be indented by four spaces",
                "indent it four spaces more than its parent item, or it is published as a sibling",
            )
        for found in scan.link_definitions:
            self.report.error(
                at(found),
                f"'{found.text[:40]}' would be read as a link definition or a marker and disappear",
                "write links inline as [text](https://…); do not start a line with [label]:",
            )
        for found, href, text in scan.links:
            self.check_link(at(found), href, text)
        errors_before = len(self.report.errors)
        self.check_references(body, at_offset)
        if len(self.report.errors) == errors_before and not _found_anything(scan):
            self.check_published_html(body, at_offset)
        has_subsections = bool(self.outline[section_id].children)
        for paragraph in lead_ins_without_list(scan, has_subsections, self.is_block_reference):
            content = paragraph.content.strip()
            self.lead_ins.append(_LeadIn(section_id, at(Found(paragraph.line, content[:16]))))

    def check_published_html(self, body: str, at_offset: Any) -> None:
        """The safety net: render the body as the site does and allow only what is on the allowlist."""
        neutral = ANY_REFERENCE.sub(lambda m: "x" * len(m.group(0)), body)
        for written, problem in policy_problems(markdown_to_html(neutral)):
            offset = neutral.find(written)
            if offset < 0:
                offset = neutral.find(written.split()[0].rstrip(">")) if written.split() else -1
            self.report.error(
                at_offset(max(offset, 0)),
                f"{problem}: {written[:60]}",
                "write plain Markdown: paragraphs, emphasis, lists, tables and https, mailto or tel links",
            )

    def check_link(self, location: Location, href: str, text: str) -> None:
        if href.startswith("#"):
            target = href[1:]
            if target not in self.outline:
                aliases = self.notice.get("aliases") or {}
                if target in aliases:
                    self.report.warning(
                        location,
                        f"link to '#{target}', a retired id",
                        f"link to '#{aliases[target]}', the section that replaced it",
                    )
                else:
                    self.report.error(
                        location,
                        f"link to '#{target}', which is not a section",
                        did_you_mean(target, tuple(self.outline)) or "link to a section id of the outline",
                    )
            return
        problem = link_problem(href)
        if problem:
            self.report.error(
                location,
                problem,
                "links may use https, http, mailto or tel, or point to a section as (#section-id)",
            )
        elif not text.strip():
            self.report.error(location, f"link to '{href[:60]}' has no text", "write the text between [ ]")

    def is_block_reference(self, content: str) -> bool:
        return is_block_reference(content, self.data)

    def check_references(self, body: str, at_offset: Any) -> None:
        for offset in unclosed_braces(body):
            self.report.error(at_offset(offset), "'{{' is never closed", "write {{contact:ID}} or {{data:FILE.path}}")
        for ref in find_references(body):
            location = at_offset(ref.start)
            if ref.kind == "contact":
                self.used_contacts.add(ref.target)
                if ref.target not in self.contacts:
                    self.report.error(
                        location,
                        f"unknown contact '{ref.target}'",
                        did_you_mean(ref.target, tuple(self.contacts)) or "add it to notice/data/contacts.yaml",
                    )
            elif ref.kind == "data":
                resolved = resolve_data(ref.target, self.data)
                if isinstance(resolved, str):
                    self.report.error(location, f"data reference '{ref.target}': {resolved}")
                elif resolved.is_block and not self.stands_alone(body, ref.start, ref.end):
                    self.report.error(
                        location,
                        f"'{{{{data:{ref.target}}}}}' is a block and must be a paragraph of its own",
                        "put empty lines before and after it",
                    )
            else:
                self.report.error(
                    location,
                    f"'{{{{{ref.target}}}}}' is not a reference",
                    "write {{contact:ID}} or {{data:FILE.path}}",
                )

    @staticmethod
    def stands_alone(body: str, start: int, end: int) -> bool:
        before = body[:start].rsplit("\n\n", 1)[-1]
        after = body[end:].split("\n\n", 1)[0]
        return not before.strip() and not after.strip()

    # -- locales/<code>/site.yaml -----------------------------------------------------------

    def check_ui_strings(self, code: str, loaded: Loaded) -> None:
        strings = loaded.data
        if not isinstance(strings, YMap):
            return
        for key, purpose in REQUIRED_UI_STRINGS.items():
            if key not in strings and key not in strings.invalid:
                self.report.error(
                    loaded.file.at(Pos(1, 1)),
                    f"locale '{code}' has no UI string '{key}'",
                    f"add `{key}: ...`, the {purpose}",
                )
        for key in strings:
            if key not in REQUIRED_UI_STRINGS:
                self.report.error(
                    loaded.file.at(strings.key_pos[key]),
                    f"unknown UI string '{key}'",
                    did_you_mean(key, tuple(REQUIRED_UI_STRINGS)) or "remove it",
                )

    # -- translations -----------------------------------------------------------------------

    def check_translation_freshness(self) -> None:
        for state in translation_states(self.sources, list(self.outline)):
            at = Location(state.path, state.pos.line, state.pos.col) if state.pos else Location(state.path)
            stamp = f"notice stamp {state.locale} {state.section}"
            if state.state is State.UNRECORDED:
                self.report.warning(
                    at,
                    f"translation of '{state.section}' in locale '{state.locale}' does not record its source text",
                    f"once it matches the {self.source_locale} text, run `{stamp}` (sets source_hash: {state.current})",
                )
            elif state.state is State.OUTDATED:
                self.report.warning(
                    at,
                    f"translation of '{state.section}' in locale '{state.locale}' is outdated: "
                    f"the {self.source_locale} text changed since it was translated",
                    f"update the translation, then run `{stamp}` (sets source_hash: {state.current})",
                )

    # -- contacts and known gaps ------------------------------------------------------------

    def check_gaps_and_contacts(self) -> None:
        gaps_file = self.sources.data.get("gaps")
        gaps = gaps_file.data if gaps_file and isinstance(gaps_file.data, list) else []
        gap_ids: dict[str, int] = {}
        list_gaps: dict[str, tuple[YMap, SourceFile]] = {}
        address_gaps: dict[str, YMap] = {}
        for gap in gaps:
            file = gaps_file.file
            gap_id, kind = gap.get("id"), gap.get("kind")
            if gap_id in gap_ids:
                self.report.error(
                    file.at(gap.value_pos["id"]),
                    f"known gap id '{gap_id}' is used twice (first on line {gap_ids[gap_id]})",
                )
                continue
            if gap_id is not None:
                gap_ids[gap_id] = gap.pos.line
            needs = "contacts" if kind == "missing-address" else "section"
            if kind is not None and needs not in gap:
                self.report.error(file.at(gap.pos), f"known gap '{gap_id}' of kind {kind} needs `{needs}`")
                continue
            section = gap.get("section")
            if section is not None and section not in self.outline:
                self.report.error(
                    file.at(gap.value_pos["section"]),
                    f"known gap '{gap_id}' names section '{section}', which is not in the outline",
                    did_you_mean(section, tuple(self.outline)),
                )
                continue
            note = " ".join(str(gap.get("note", "")).split())
            if kind == "missing-list":
                list_gaps[section] = (gap, file)
            elif kind in ("partial-list", "missing-link"):
                what = "a list recovered only in part" if kind == "partial-list" else "lost link targets"
                self.report.acknowledged(
                    file.at(gap.pos), f"known gap '{gap_id}': {what} in section '{section}': {note}"
                )
            elif kind == "missing-address":
                for contact_id, pos in zip(gap["contacts"], gap["contacts"].item_pos, strict=True):
                    if contact_id not in self.contacts:
                        self.report.error(
                            file.at(pos),
                            f"known gap '{gap_id}' names contact '{contact_id}', which does not exist",
                            did_you_mean(contact_id, tuple(self.contacts)),
                        )
                    else:
                        address_gaps[contact_id] = gap
        found_sections = set()
        for lead_in in self.lead_ins:
            declared = list_gaps.get(lead_in.section)
            if declared is None:
                self.report.warning(
                    lead_in.location,
                    f"in section '{lead_in.section}', a paragraph ends with a colon but no list follows",
                    "add the list, or declare the lost list as a known gap (kind: missing-list) "
                    "in notice/data/gaps.yaml",
                )
            else:
                found_sections.add(lead_in.section)
                gap = declared[0]
                self.report.acknowledged(
                    lead_in.location,
                    f"lead-in without its list in section '{lead_in.section}': known gap '{gap.get('id')}'",
                )
        for section, (gap, file) in list_gaps.items():
            if section not in found_sections:
                self.report.warning(
                    file.at(gap.pos),
                    f"known gap '{gap.get('id')}' is no longer found in section '{section}'",
                    "if the list was restored, delete the gap",
                )
        self.check_contacts(address_gaps)

    def check_contacts(self, address_gaps: dict[str, YMap]) -> None:
        contacts_file = self.sources.data.get("contacts")
        if contacts_file is None or not isinstance(contacts_file.data, YMap):
            return
        for contact_id, contact in self.contacts.items():
            at = contacts_file.file.at(contacts_file.data.key_pos[contact_id])
            gap = address_gaps.get(contact_id)
            if contact.get("email") is None and "email" in contact:
                if gap is not None:
                    self.report.acknowledged(
                        at, f"contact '{contact_id}' has no e-mail address: known gap '{gap.get('id')}'"
                    )
                else:
                    self.report.warning(
                        at,
                        f"contact '{contact_id}' has no e-mail address",
                        "add `email:`, or declare it as a known gap (kind: missing-address) in notice/data/gaps.yaml",
                    )
            elif gap is not None and contact.get("email"):
                self.report.warning(
                    at,
                    f"contact '{contact_id}' has an address but is still listed in known gap '{gap.get('id')}'",
                    "remove it from the gap in notice/data/gaps.yaml",
                )
            if contact_id not in self.used_contacts:
                self.report.warning(
                    at,
                    f"contact '{contact_id}' is never referenced in the text",
                    f"use it as {{{{contact:{contact_id}}}}} or remove it",
                )


def _body_start(file: SourceFile, pos: Pos) -> tuple[int, int]:
    """Line and column where a `|` body's text starts in its file (its value's position otherwise)."""
    if not pos.literal:
        return pos.line, pos.col
    line = pos.line + 1  # a `|` block keeps its leading empty lines: line 0 of the body is here
    first_text = next((t for t in file.lines[pos.line :] if t.strip()), "")
    return line, len(first_text) - len(first_text.lstrip()) + 1


def _found_anything(scan: BodyScan) -> bool:
    return bool(
        scan.html
        or scan.images
        or scan.headings
        or scan.attr_lists
        or scan.lists_without_blank_line
        or scan.shallow_nested_lists
        or scan.link_definitions
        or any(link_problem(href) for _, href, _ in scan.links)
    )
