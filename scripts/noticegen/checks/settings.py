"""The settings in notice/notice.yaml that name other things: locales and aliases."""

from __future__ import annotations

from noticegen.checks.context import CheckContext
from noticegen.source.schema import did_you_mean
from noticegen.source.yamlsource import YMap


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
                f"{key} '{code}' is not one of the available locales",
                did_you_mean(code, available) if available else "list it under locales.available",
            )


def check_aliases(ctx: CheckContext) -> None:
    aliases = ctx.notice.get("aliases")
    if not isinstance(aliases, YMap):
        return
    for old, new in aliases.items():
        if old in ctx.outline:
            ctx.report.error(
                ctx.notice.file.at(aliases.key_pos[old]),
                f"alias '{old}' is also the id of a section",
                "an alias keeps a retired id alive; a section that still exists needs none",
            )
        if new not in ctx.outline:
            ctx.report.error(
                ctx.notice.file.at(aliases.value_pos[old]),
                f"alias '{old}' points to '{new}', which is not in the outline",
                did_you_mean(new, tuple(ctx.outline)) or "point it to an existing section",
            )
