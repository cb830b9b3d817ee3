"""Links and references in a section body: to sections, to other sites, to contacts and data."""

from __future__ import annotations

from typing import Any

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import Location, shown
from noticegen.source.formats import TABLE_PLACEHOLDER
from noticegen.source.references import (
    BLOCK_REFS,
    TABLE,
    Reference,
    Resolved,
    find_references,
    resolve,
    unclosed_braces,
)
from noticegen.source.schema import did_you_mean
from noticegen.text.markup import link_problem


def check_link(ctx: CheckContext, location: Location, href: str, text: str) -> None:
    if href.startswith("#"):
        target = href[1:]
        if target in ctx.clause_ids:
            if not text.strip():
                ctx.report.error(
                    location,
                    f"link to clause '#{target}' has no text",
                    "write the words to link between [ ]: only a link to a section is given its title",
                )
        elif target not in ctx.outline:
            aliases = ctx.notice.get("aliases") or {}
            if target in aliases:
                ctx.report.warning(
                    location,
                    f"link to '#{target}', a retired id",
                    f"link to '#{aliases[target]}', the section that replaced it",
                )
            else:
                ctx.report.error(
                    location,
                    f"link to '#{target}', which is not a section or a clause",
                    did_you_mean(target, (*ctx.outline, *ctx.clause_ids))
                    or "link to a section id of the outline, or to a clause id",
                )
        return
    problem = link_problem(href)
    if problem:
        ctx.report.error(
            location,
            problem,
            "links may use https, http, mailto or tel, or point to a section as (#section-id)",
        )
    elif not text.strip():
        ctx.report.error(location, f"link to '{shown(href)}' has no text", "write the text between [ ]")


def check_references(
    ctx: CheckContext, body: str, at_offset: Any, *, table: bool | None = False, blocks: bool = True
) -> None:
    """The references of a body (`table`: whether its section has a table), or of a table's cell (None); without
    `blocks`, of a text that holds no block (the notice's summary, shown in the page's header)."""
    unclosed = unclosed_braces(body)
    if unclosed:  # the first, where it stands; the others counted (thousands would each be placed, and said)
        more = f" (and {len(unclosed) - 1} more in this text)" if len(unclosed) > 1 else ""
        ctx.report.error(
            at_offset(unclosed[0]),
            f"'{{{{' is never closed{more}",
            "write {{contact:ID}}, {{data:FILE.path}} or {{table:NAME}}",
        )
    placed = False
    for ref in find_references(body):
        location = at_offset(ref.start)
        if not blocks and _is_block(ctx, ref):
            ctx.report.error(
                location,
                f"'{shown(ref.text)}' is a block: a summary holds sentences only",
                "link the section that shows it instead, as [](#section-id)",
            )
            continue
        if ref.kind == TABLE:
            check_table_placeholder(ctx, body, ref, location, table, placed)
            placed = True
        elif ref.kind == "contact":
            ctx.used_contacts.add(ref.target)
            if ref.target not in ctx.contacts:
                ctx.report.error(
                    location,
                    f"unknown contact '{shown(ref.target)}'",
                    did_you_mean(ref.target, tuple(ctx.contacts)) or "add it to notice/data/contacts.yaml",
                )
        elif ref.kind:
            resolved = resolve(ref, ctx.data, ctx.notice.get("controller"))
            if isinstance(resolved, Resolved):
                if ref.kind == "table" or resolved.ref == "table":
                    ctx.used_tables.add(ref.target.split(".")[0])
            elif resolved:
                ctx.report.error(location, f"{ref.kind} reference '{shown(ref.target)}': {resolved}")
            block = ref.kind in BLOCK_REFS or (isinstance(resolved, Resolved) and resolved.is_block)
            if block and not stands_alone(body, ref.start, ref.end):
                ctx.report.error(
                    location,
                    f"'{{{{{ref.kind}:{shown(ref.target)}}}}}' is a block and must be a paragraph of its own",
                    "put empty lines before and after it",
                )
        else:
            ctx.report.error(
                location,
                f"'{{{{{shown(ref.target)}}}}}' is not a reference",
                "write {{contact:ID}}, {{data:FILE.path}}, {{table:NAME}}, {{address:PARTY}} or {{table}}",
            )


def _is_block(ctx: CheckContext, ref: Reference) -> bool:
    """Whether a reference stands for a block (a table, an address): a paragraph of its own on the page."""
    if ref.kind == TABLE or ref.kind in BLOCK_REFS:
        return True
    if not ref.kind or ref.kind == "contact":
        return False
    resolved = resolve(ref, ctx.data, ctx.notice.get("controller"))
    return isinstance(resolved, Resolved) and resolved.is_block


def check_table_placeholder(
    ctx: CheckContext, body: str, ref: Reference, location: Location, table: bool | None, placed: bool
) -> None:
    """`{{table}}`: where the section's own table stands in its body, once, on a paragraph of its own."""
    if table is None:
        ctx.report.error(location, f"'{TABLE_PLACEHOLDER}' cannot stand in a table cell", "remove it")
    elif not table:
        ctx.report.error(
            location,
            f"'{TABLE_PLACEHOLDER}' places a table, but this section has none",
            f"add the section's `table:` beside its body, or remove {TABLE_PLACEHOLDER}",
        )
    elif placed:
        ctx.report.error(
            location, "the section's table is placed twice", f"keep one {TABLE_PLACEHOLDER}: a section has one table"
        )
    elif not stands_alone(body, ref.start, ref.end):
        ctx.report.error(
            location, f"'{TABLE_PLACEHOLDER}' must be a paragraph of its own", "put empty lines before and after it"
        )


def stands_alone(body: str, start: int, end: int) -> bool:
    before = body[:start].rsplit("\n\n", 1)[-1]
    after = body[end:].split("\n\n", 1)[0]
    return not before.strip() and not after.strip()
