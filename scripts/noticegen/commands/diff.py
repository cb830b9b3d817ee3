"""`notice diff`: which two texts of the notice to compare, and their redline in one locale."""

from __future__ import annotations

from dataclasses import dataclass

from noticegen.core.diagnostics import shown
from noticegen.model.notice import Notice
from noticegen.model.site import Site
from noticegen.render.redline import Redline, redline

WORKING = "working"  # the name of the text being edited, next to the released versions' ids


class DiffError(Exception):
    """Two texts that cannot be compared (an unknown version, a locale one of them lacks)."""


class NoReleaseError(Exception):
    """No version was released yet: the working text has nothing to be compared with."""


@dataclass(frozen=True)
class Text:
    name: str  # a version's id, or WORKING
    label: str  # how the header names it
    notice: Notice


@dataclass(frozen=True)
class Diff:
    older: Text
    newer: Text
    redline: Redline

    @property
    def header(self) -> str:
        language = self.newer.notice.locale(self.redline.locale)
        return f"Redline of {self.newer.label} against {self.older.label}, in {language.name} ({language.code})"


def _text(site: Site, name: str) -> Text:
    if name == WORKING:
        return Text(WORKING, "the working text", site.working)
    if name not in {version.id for version in site.versions}:
        known = ", ".join(version.id for version in site.versions) or "none released yet"
        raise DiffError(
            f"no version '{shown(name)}'; the versions are: {known} (and `{WORKING}`, the text being edited)"
        )
    version = site.version(name)
    status = site.status_of(version)
    return Text(name, f"version {name} ({'in force' if status == 'current' else status})", version.notice)


def in_force(site: Site) -> str:
    """The version the working text is compared with by default: the one in force, else (nothing in force
    yet) the latest released."""
    if site.status.current is not None:
        return site.status.current
    if not site.versions:
        raise NoReleaseError("no version has been released yet: there is nothing to compare the working text with")
    return site.versions[-1].id


def diff(site: Site, older: str | None, newer: str | None, locale: str | None) -> Diff:
    """The redline from `older` (default: the version in force) to `newer` (default: the working text), in
    `locale` (default: the source locale)."""
    first = _text(site, older if older is not None else in_force(site))
    second = _text(site, newer if newer is not None else WORKING)
    code = locale or site.working.source_locale
    for text in (first, second):
        if code not in text.notice.texts:
            has = ", ".join(sorted(text.notice.texts))
            where = "the working text" if text.name == WORKING else f"version {text.name}"
            raise DiffError(f"{where} has no locale '{shown(code)}'; its locales are: {has}")
    return Diff(first, second, redline(first.notice, second.notice, code))
