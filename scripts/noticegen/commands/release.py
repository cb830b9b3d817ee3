"""`notice release`: freeze the working text as a new version, or say exactly why not."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from noticegen.checks.notice import check_notice
from noticegen.core.writer import write_atomically
from noticegen.source.versions import (
    CHANGELOG_FILE,
    SUMS_FILE,
    VERSIONS_DIR,
    sha256,
    snapshot_dir,
    snapshot_ids,
    sums_text,
    version_files,
)

CHANGELOG_HEADER = (
    "# One entry per released version, oldest first. Written by `notice release`: do not edit a released\n"
    "# entry (its lock is the SHA-256 of the version's SHA256SUMS; `notice check` verifies it).\n"
)


@dataclass(frozen=True)
class Release:
    effective: datetime.date
    published: datetime.date
    change: str  # "material" or "editorial"
    summaries: dict[str, str]  # locale -> summary


def refusals(root: Path, release: Release) -> list[str]:
    """Every reason not to release, in plain words; empty when the release may go ahead."""
    problems = []
    checked = check_notice(root)
    # Warnings do not stop a release: a source text may take effect before its translations are
    # updated, and the site then marks each outdated section (see render.outdated).
    if checked.report.errors:
        problems.append(f"the notice does not pass `notice check` ({checked.report.summary()}): fix it first")
    locales = checked.sources.locale_codes()
    missing = [code for code in locales if not release.summaries.get(code, "").strip()]
    if missing:
        problems.append(f"no summary for locale(s) {', '.join(missing)}: give --summary CODE=TEXT for each")
    unknown = sorted(set(release.summaries) - set(locales))
    if unknown:
        problems.append(f"summary for unknown locale(s) {', '.join(unknown)}")
    released = snapshot_ids(root)
    if released and release.effective <= datetime.date.fromisoformat(released[-1]):
        problems.append(
            f"the effective date {release.effective.isoformat()} is not after the last version's, {released[-1]}"
        )
    if release.published > release.effective:
        problems.append(
            f"the publication date {release.published.isoformat()} is after the effective date "
            f"{release.effective.isoformat()}"
        )
    if released and version_files(root) == version_files(snapshot_dir(root, released[-1])):
        problems.append(f"nothing changed since version {released[-1]}: there is nothing to release")
    return problems


def changelog_entry(release: Release, lock: str) -> str:
    entry = {
        "effective": release.effective,
        "published": release.published,
        "change": release.change,
        "summary": dict(release.summaries),
        "lock": lock,
    }
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)


class ReleaseError(Exception):
    """The release cannot be written as it is; nothing was written."""


def changelog_with(existing: str | None, release: Release, lock: str) -> str:
    """The changelog's new text: the entry appended, or a new file; verified by reading it back."""
    text = existing if existing is not None else CHANGELOG_HEADER
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError:
        entries = "unreadable"
    if entries in (None, []):  # nothing released yet: only comments, or an empty list
        text = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#")) + "\n"
        if not text.strip():
            text = CHANGELOG_HEADER
    elif not isinstance(entries, list):
        raise ReleaseError(
            f"{CHANGELOG_FILE} is not a list of entries: fix it (`notice check` says where) and release again"
        )
    new = text.rstrip("\n") + "\n" + changelog_entry(release, lock)
    after = yaml.safe_load(new)
    if not isinstance(after, list) or len(after) != len(entries or []) + 1 or after[:-1] != (entries or []):
        raise ReleaseError(f"{CHANGELOG_FILE} cannot take a new entry at its end as it is written: fix its layout")
    return new


def make_release(root: Path, release: Release) -> Path:
    """Write the snapshot and its changelog entry; the caller has checked `refusals` first."""
    files = version_files(root)
    sums = sums_text(files)
    changelog = root / CHANGELOG_FILE
    existing = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
    new_changelog = changelog_with(existing, release, sha256(sums.encode()))  # before anything is written
    target = snapshot_dir(root, release.effective.isoformat())
    (root / VERSIONS_DIR).mkdir(parents=True, exist_ok=True)
    # Build the snapshot beside its final place, then rename: it appears whole or not at all.
    staging = Path(tempfile.mkdtemp(dir=root / VERSIONS_DIR, prefix=".release-"))
    try:
        for path, content in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(content)
        (staging / SUMS_FILE).write_text(sums, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        write_atomically(changelog, new_changelog)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target
