"""The settings in notice/notice.yaml that name other things: locales and aliases."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.core.diagnostics import shown
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import YList, YMap

# Ids and names the site's templates give elements of the pages that show sections (ours and Material's;
# Material's own ids start with "__" and cannot be section ids). A section or alias with one of them
# would make its permanent anchor land on that element instead.
RESERVED_IDS = (
    "author", "consent", "description", "feedback", "generator", "notice-contents-title", "notice-summary",
    "notice-title", "query", "robots", "search", "service-providers", "top", "viewport",
)  # fmt: skip


def check_reserved_ids(ctx: CheckContext) -> None:
    outline = ctx.notice.get("outline")
    aliases = ctx.notice.get("aliases")
    used = []
    for item in outline if isinstance(outline, YList) else ():
        if isinstance(item, YMap) and isinstance(item.get("id"), str):
            used.append(("section id", item["id"], item.value_pos["id"]))
    for old in aliases if isinstance(aliases, YMap) else ():
        used.append(("alias", old, aliases.key_pos[old]))
    for what, name, pos in used:
        if name in RESERVED_IDS:
            ctx.report.error(
                ctx.notice.file.at(pos),
                f"{what} '{shown(name)}' is reserved: the site's templates use it",
                "choose another id; reserved ids: " + ", ".join(RESERVED_IDS),
            )


def check_locale_settings(ctx: CheckContext) -> None:
    locales = ctx.notice.get("locales")
    if not isinstance(locales, YMap):
        return
    available = tuple(ctx.sources.locale_codes())
    for key in ("source_locale", "default_locale"):
        code = locales.get(key)
        if code is not None and code not in available:
            ctx.report.error(
                ctx.notice.file.at(locales.value_pos[key]),
                f"{key} '{shown(code)}' is not one of the available locales",
                did_you_mean(code, available) if available else "list it under locales.available",
            )
        elif code in ctx.sources.draft_codes():
            ctx.report.error(
                ctx.notice.file.at(locales.value_pos[key]),
                f"{key} '{shown(code)}' is a draft locale: it would not be published",
                f"remove `draft: true` from locales.available.{code}, or choose a published locale as {key}",
            )


def check_aliases(ctx: CheckContext) -> None:
    aliases = ctx.notice.get("aliases")
    if not isinstance(aliases, YMap):
        return
    for old, new in aliases.items():
        if old in ctx.outline:
            ctx.report.error(
                ctx.notice.file.at(aliases.key_pos[old]),
                f"alias '{shown(old)}' is also the id of a section",
                "an alias keeps a retired id alive; a section that still exists needs none",
            )
        elif old in ctx.clause_ids:
            ctx.report.error(
                ctx.notice.file.at(aliases.key_pos[old]),
                f"alias '{shown(old)}' is also the id of a clause (in section '{ctx.clause_ids[old]}')",
                "an alias keeps a retired id alive; a clause that still exists needs none",
            )
        if new not in ctx.outline and new not in ctx.clause_ids:
            ctx.report.error(
                ctx.notice.file.at(aliases.value_pos[old]),
                f"alias '{shown(old)}' points to '{shown(new)}', which is not in the outline",
                did_you_mean(new, (*ctx.outline, *ctx.clause_ids)) or "point it to an existing section or clause",
            )
