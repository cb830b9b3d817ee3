"""The whole site as data: the working notice, every released version and which one is in force."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from noticegen.checks.notice import check_notice
from noticegen.checks.versions import load_changelog
from noticegen.core.diagnostics import Report
from noticegen.model.notice import LocaleText, Notice, build_notice
from noticegen.source.load import LOCALES_DIR
from noticegen.source.versions import VERSIONS_DIR, Status, entry_ids, snapshot_dir, statuses, version_order


@dataclass(frozen=True)
class Version:
    id: str  # the effective date, YYYY-MM-DD
    effective: datetime.date
    published: datetime.date
    change: str  # "material" or "editorial"
    summary: Mapping[str, str]
    notice: Notice
    lock: str = ""  # SHA-256 of the snapshot's SHA256SUMS
    chain: str = ""  # the entry's link in the lock chain (source.versions.chain_link)
    digests: Mapping[str, str] = field(default_factory=dict)  # as recorded at release: "all" and each locale
    short_notice: str | None = None  # why a material change came with less than the notice period
    imported: str | None = None  # where the text of a version older than the site comes from
    corrects: str | None = None  # the version whose text this one corrects (errata), same effective date
    translation_only: bool = False  # no binding text changed: the version publishes translations only
    approved_by: tuple[str, ...] = ()  # who signed the version off (`notice release --approved-by`)

    def summary_in(self, locale: str, fallback: str) -> str:
        """The summary in `locale`, or in `fallback` for a locale added after this version."""
        return self.summary.get(locale) or self.summary.get(fallback, "")


@dataclass(frozen=True)
class Site:
    working: Notice
    versions: tuple[Version, ...]  # oldest first
    status: Status
    preview: bool  # show the working text on the main page (mkdocs serve)
    on: datetime.date  # the build date, which decides the status of every version

    @property
    def shown(self) -> Version | None:
        """The version the main page shows: the one in force, else the first upcoming one."""
        return None if self.preview else self.in_force

    @property
    def in_force(self) -> Version | None:
        """The version in force, else the first upcoming one: what a build's main page shows, and what the
        preview compares the working text with."""
        wanted = self.status.current or (self.status.upcoming[0] if self.status.upcoming else None)
        return self.version(wanted) if wanted else None

    def version(self, version_id: str) -> Version:
        return next(version for version in self.versions if version.id == version_id)

    def before(self, version: Version) -> Version | None:
        index = self.versions.index(version)
        return self.versions[index - 1] if index > 0 else None

    def last_day(self, version: Version) -> datetime.date | None:
        """The last day a version's date is in force: the day before a later one takes effect (None: still
        open). A corrected text shares its period with its correction."""
        later = [other for other in self.versions if other.effective > version.effective]
        return later[0].effective - datetime.timedelta(days=1) if later else None

    def corrected_by(self, version: Version) -> Version | None:
        """The correction that replaced this version's text, if one did."""
        return next((other for other in self.versions if other.corrects == version.id), None)

    def status_of(self, version: Version) -> str:
        if version.id == self.status.current:
            return "current"
        return "upcoming" if version.id in self.status.upcoming else "archived"


class SiteError(Exception):
    """The notice or one of its versions has errors; the report says which."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report

    def __reduce__(self) -> tuple[type[SiteError], tuple[Report]]:
        # Made again from its report when it comes back from a forked check (mkdocs_plugin/forks.py).
        return (SiteError, (self.report,))


# The released notices this process has checked, by the digest of every file they were made from: a released
# version never changes, so `mkdocs serve` checks each once, not again after every edit of the working text.
_RELEASED: dict[str, Notice] = {}
RELEASED_KEPT = 256


def snapshot_inputs(root: Path, version_id: str) -> str:
    """A digest of what a released notice is made from: its snapshot's files and the project's site strings."""
    digest = hashlib.sha256(version_id.encode() + b"\0")
    for folder in (snapshot_dir(root, version_id), root / LOCALES_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and (folder != root / LOCALES_DIR or path.name == "site.yaml"):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def released_notice(root: Path, version_id: str) -> Notice:
    """A released version's notice, checked (SiteError when its snapshot has errors): once per process for
    the same files."""
    key = snapshot_inputs(root, version_id)
    if key in _RELEASED:
        return _RELEASED[key]
    snapshot = check_notice(snapshot_dir(root, version_id), prefix=f"{VERSIONS_DIR}/{version_id}/", ui_root=root)
    if snapshot.report.errors:
        raise SiteError(snapshot.report)
    notice = build_notice(snapshot)
    _keep(key, notice)
    return notice


def _keep(key: str, notice: Notice) -> None:
    if len(_RELEASED) >= RELEASED_KEPT:
        _RELEASED.clear()
    _RELEASED[key] = notice


def remember_released(root: Path, version_id: str, notice: Notice) -> None:
    """Keep a released version's notice checked elsewhere (another process) as if checked here."""
    _keep(snapshot_inputs(root, version_id), notice)


def is_checked(root: Path, version_id: str) -> bool:
    """Whether this process holds the released version's notice, checked, for its files as they are."""
    return checked_in_process(root, version_id) is not None


def checked_in_process(root: Path, version_id: str) -> Notice | None:
    """The released version's notice this process checked (or was given) for its files as they are, if any."""
    return checked_for_inputs(root, version_id)[1]


def checked_for_inputs(root: Path, version_id: str) -> tuple[str, Notice | None]:
    """What the released version is made from now (snapshot_inputs), and its notice if this process checked
    (or was given) it for those files."""
    inputs = snapshot_inputs(root, version_id)
    return inputs, _RELEASED.get(inputs)


def released_notices(root: Path, version_ids: Sequence[str]) -> dict[str, Notice]:
    """Each released version's notice, checked (released_notice), one after the other."""
    return {version_id: released_notice(root, version_id) for version_id in version_ids}


# How load_site checks the released versions: released_notices, or a way of doing the same work side by side.
ReleasedCheck = Callable[[Path, Sequence[str]], Mapping[str, Notice]]


def load_site(
    root: Path, on: datetime.date, *, preview: bool = False, check_released: ReleasedCheck = released_notices
) -> tuple[Site, Report]:
    checked = check_notice(root)
    report = checked.report
    if report.errors:
        raise SiteError(report)
    # A preview shows the locales being translated too; a build publishes a locale once a release has it.
    working = build_notice(checked, drafts=preview)
    changelog = load_changelog(root, Report(), checked.sources.locale_codes())
    versions = []
    entries = list(changelog.data) if changelog is not None else []
    ids = entry_ids([entry["effective"] for entry in entries])
    notices = check_released(root, ids)
    sources_before: list[tuple[str, LocaleText]] = []  # in the order of release, which the changelog keeps
    for entry, version_id in zip(entries, ids, strict=True):
        released = replace(notices[version_id], earlier_sources=tuple(sources_before))
        sources_before.append((released.source_locale, released.texts[released.source_locale]))
        versions.append(
            Version(
                version_id,
                entry["effective"],
                entry["published"],
                entry["change"],
                dict(entry["summary"]),
                released,
                lock=entry.get("lock", ""),
                chain=entry.get("chain", ""),
                digests=MappingProxyType(dict(entry.get("digests") or {})),
                short_notice=entry.get("short_notice"),
                imported=entry.get("imported"),
                corrects=entry.get("corrects"),
                translation_only=entry.get("translation_only") is True,
                approved_by=tuple(entry.get("approved_by") or ()),
            )
        )
    versions.sort(key=lambda version: version_order(version.id))  # a correction right after what it corrects
    working = replace(working, earlier_sources=tuple(sources_before))
    if versions and not preview:
        released = {locale.code for version in versions for locale in version.notice.locales}
        working = working.without_locales({locale.code for locale in working.locales} - released)
    site = Site(working, tuple(versions), statuses([v.id for v in versions], on), preview, on)
    return site, report
