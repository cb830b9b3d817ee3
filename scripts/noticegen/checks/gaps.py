"""Known gaps (lost lists, links and addresses) and contacts: acknowledged, still found, still needed."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import shown
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import SourceFile, YMap


def check_gaps_and_contacts(ctx: CheckContext) -> None:
    gaps_file = ctx.sources.data.get("gaps")
    gaps = gaps_file.data if gaps_file and isinstance(gaps_file.data, list) else []
    gap_ids: dict[str, int] = {}
    list_gaps: dict[str, tuple[YMap, SourceFile]] = {}
    address_gaps: dict[str, YMap] = {}
    for gap in gaps:
        file = gaps_file.file
        gap_id, kind = gap.get("id"), gap.get("kind")
        if gap_id in gap_ids:
            ctx.report.error(
                file.at(gap.value_pos["id"]),
                f"known gap id '{shown(gap_id)}' is used twice (first on line {gap_ids[gap_id]})",
            )
            continue
        if gap_id is not None:
            gap_ids[gap_id] = gap.pos.line
        needs = "contacts" if kind == "missing-address" else "section"
        if kind is not None and needs not in gap:
            ctx.report.error(file.at(gap.pos), f"known gap '{shown(gap_id)}' of kind {kind} needs `{needs}`")
            continue
        section = gap.get("section")
        if section is not None and section not in ctx.outline:
            ctx.report.error(
                file.at(gap.value_pos["section"]),
                f"known gap '{shown(gap_id)}' names section '{shown(section)}', which is not in the outline",
                did_you_mean(section, tuple(ctx.outline)),
            )
            continue
        note = " ".join(str(gap.get("note", "")).split())
        if kind == "missing-list":
            list_gaps[section] = (gap, file)
        elif kind in ("partial-list", "missing-link"):
            what = "a list recovered only in part" if kind == "partial-list" else "lost link targets"
            ctx.report.acknowledged(
                file.at(gap.pos), f"known gap '{shown(gap_id)}': {what} in section '{shown(section)}': {note}"
            )
        elif kind == "missing-address":
            for contact_id, pos in zip(gap["contacts"], gap["contacts"].item_pos, strict=True):
                if contact_id not in ctx.contacts:
                    ctx.report.error(
                        file.at(pos),
                        f"known gap '{shown(gap_id)}' names contact '{shown(contact_id)}', which does not exist",
                        did_you_mean(contact_id, tuple(ctx.contacts)),
                    )
                else:
                    address_gaps[contact_id] = gap
    found_sections = set()
    for lead_in in ctx.lead_ins:
        declared = list_gaps.get(lead_in.section)
        if declared is None:
            ctx.report.warning(
                lead_in.location,
                f"in section '{shown(lead_in.section)}', a paragraph ends with a colon but no list follows",
                "add the list, or declare the lost list as a known gap (kind: missing-list) in notice/data/gaps.yaml",
            )
        else:
            found_sections.add(lead_in.section)
            gap = declared[0]
            ctx.report.acknowledged(
                lead_in.location,
                f"lead-in without its list in section '{shown(lead_in.section)}': known gap '{shown(gap.get('id'))}'",
            )
    for section, (gap, file) in list_gaps.items():
        if section not in found_sections:
            ctx.report.warning(
                file.at(gap.pos),
                f"known gap '{shown(gap.get('id'))}' is no longer found in section '{shown(section)}'",
                "if the list was restored, delete the gap",
            )
    check_contacts(ctx, address_gaps)


def check_contacts(ctx: CheckContext, address_gaps: dict[str, YMap]) -> None:
    contacts_file = ctx.sources.data.get("contacts")
    if contacts_file is None or not isinstance(contacts_file.data, YMap):
        return
    for contact_id, contact in ctx.contacts.items():
        at = contacts_file.file.at(contacts_file.data.key_pos[contact_id])
        gap = address_gaps.get(contact_id)
        if contact.get("email") is None and "email" in contact:
            if gap is not None:
                ctx.report.acknowledged(
                    at, f"contact '{shown(contact_id)}' has no e-mail address: known gap '{shown(gap.get('id'))}'"
                )
            else:
                ctx.report.warning(
                    at,
                    f"contact '{shown(contact_id)}' has no e-mail address",
                    "add `email:`, or declare it as a known gap (kind: missing-address) in notice/data/gaps.yaml",
                )
        elif gap is not None and contact.get("email"):
            ctx.report.warning(
                at,
                f"contact '{shown(contact_id)}' has an address but is still listed in known gap "
                f"'{shown(gap.get('id'))}'",
                "remove it from the gap in notice/data/gaps.yaml",
            )
        if contact_id not in ctx.used_contacts:
            ctx.report.warning(
                at,
                f"contact '{shown(contact_id)}' is never referenced in the text",
                f"use it as {{{{contact:{contact_id}}}}} or remove it",
            )
