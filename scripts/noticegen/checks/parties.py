"""Parties (the controller, contacts, representatives, affiliates): one id each, one list of representatives."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import shown
from noticegen.source.parties import CONTROLLER_ID, REPRESENTATIVE_ID


def check_parties(ctx: CheckContext) -> None:
    """`{{address:ID}}` names a party by its id alone, so no two parties may share one."""
    if "representative" in ctx.sources.data and "representatives" in ctx.sources.data:
        loaded = ctx.sources.data["representatives"]
        ctx.report.error(
            loaded.file.at(None),
            "both representative.yaml and representatives.yaml give representatives",
            "move the one of representative.yaml into representatives.yaml under an id (e.g. eu:), then delete it",
        )
    seen: dict[str, str] = {CONTROLLER_ID: "notice/notice.yaml (controller)"}
    for name in ("contacts", "representatives", "affiliates"):
        loaded = ctx.sources.data.get(name)
        entries = loaded.data if loaded is not None else None
        if not isinstance(entries, dict):
            continue
        for party_id in entries:
            reserved = party_id == REPRESENTATIVE_ID and "representative" in ctx.sources.data
            if party_id in seen or reserved:
                first = seen.get(party_id, "notice/data/representative.yaml")
                ctx.report.error(
                    loaded.file.at(entries.key_pos[party_id]),
                    f"party id '{shown(party_id)}' is already used in {first}",
                    "give it another id: {{address:ID}} names a party by its id alone",
                )
            else:
                seen[party_id] = f"notice/data/{name}.yaml"
