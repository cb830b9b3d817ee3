"""`notice release`: freeze the working text as a new version, or say exactly why not."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from noticegen.checks.notice import Checked, check_notice
from noticegen.checks.versions import DEFAULT_NOTICE_PERIOD_DAYS, promised_approvals, promised_notice_period
from noticegen.commands.locales import LocaleError, without_draft_marks
from noticegen.commands.yaml_edit import EditError
from noticegen.commands.yaml_layout import LayoutError, canonical_text
from noticegen.core.lock import held
from noticegen.core.writer import current_umask, write_atomically
from noticegen.export.documents import released_digests
from noticegen.model.notice import build_notice, published_content
from noticegen.model.site import Site, Version, load_site
from noticegen.source.editor_schemas import without_header
from noticegen.source.formats import CHANGELOG
from noticegen.source.load import NOTICE_FILE, Sources
from noticegen.source.schema import text_problem
from noticegen.source.versions import (
    CHANGELOG_FILE,
    PARTS_FILE,
    STAGING_PREFIX,
    SUMS_FILE,
    VERSIONS_DIR,
    chain_link,
    entry_ids,
    interrupted_releases,
    sha256,
    snapshot_dir,
    sums_text,
    version_files,
    version_order,
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
    today: datetime.date = datetime.date.min  # the build date: no new version takes effect before it
    short_notice: str | None = None  # why a material change comes with less than the notice period
    imported: str | None = None  # where the text of a version older than this site comes from
    corrects: str | None = None  # the released version whose text this release corrects (errata)
    # The locales the version is published in (--locales): every published locale, and the drafts it
    # publishes from now on. None: every locale but the drafts.
    locales: tuple[str, ...] | None = None
    approved_by: tuple[str, ...] = ()  # who signed the version off (--approved-by), in the order given

    @property
    def approvers(self) -> tuple[str, ...]:
        """The approvers as the entry records them: one form of each character (NFC), single spaces."""
        return tuple(" ".join(unicodedata.normalize("NFC", name).split()) for name in self.approved_by)


def included_locales(sources: Sources, release: Release) -> tuple[str, ...]:
    """The locales the new version is published in, in the order notice.yaml declares them."""
    wanted = set(release.locales) if release.locales is not None else set(sources.published_codes())
    return tuple(code for code in sources.locale_codes() if code in wanted)


def locale_refusals(sources: Sources, release: Release) -> list[str]:
    problems = []
    declared = sources.locale_codes()
    requested = release.locales or ()
    unknown = [code for code in requested if code not in declared]
    if unknown:
        problems.append(
            f"--locales names {', '.join(unknown)}, which notice/notice.yaml does not declare "
            f"(declared: {', '.join(declared)}); add a locale with `notice locale add CODE`"
        )
    if release.locales is not None:
        left_out = [code for code in sources.published_codes() if code not in requested]
        if left_out:
            problems.append(
                f"--locales leaves out {', '.join(left_out)}, which the site publishes: a published locale is in "
                "every version (its lagging sections are published marked as such)"
            )
    included = included_locales(sources, release)
    missing = [code for code in included if not release.summaries.get(code, "").strip()]
    if missing:
        problems.append(f"no summary for locale(s) {', '.join(missing)}: give --summary CODE=TEXT for each")
    unknown = sorted(set(release.summaries) - set(declared))
    if unknown:
        problems.append(f"summary for unknown locale(s) {', '.join(unknown)}")
    drafts = sorted(set(release.summaries) & set(declared) - set(included))
    if drafts:
        problems.append(
            f"summary for draft locale(s) {', '.join(drafts)}, which this version does not publish: publish them "
            f"with --locales {','.join((*included, *drafts))}, or leave their summaries out"
        )
    return problems


def same_person(name: str) -> str:
    """A name as compared with the others: `José` typed two ways, `Ａna` in full-width letters, a doubled
    space or another case are the same person."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def approval_refusals(sources: Sources, release: Release, released_policy: Mapping[str, int]) -> list[str]:
    """Each approver named once, in plain words; as many as `approvals` asks for the change, in the working
    notice.yaml or in the version in force, whichever asks more (the same change cannot lower its own bar)."""
    problems = []
    seen: set[str] = set()
    for name in release.approved_by:
        problem = text_problem(name, single_line=True, plain=True) if name.strip() else (None, "is empty", "")
        if problem is not None:
            problems.append(f"--approved-by {name.strip()!r} {problem[1]}" + (f" ({problem[2]})" if problem[2] else ""))
        elif same_person(name) in seen:
            problems.append(f"--approved-by names {name.strip()!r} twice: each approver counts once")
        seen.add(same_person(name))
    if release.imported is not None:
        return problems  # history from before this site: its sign-off, if any, is recorded as given
    policy = (sources.notice.get("approvals") if sources.notice is not None else None) or {}
    kind = "editorial" if release.corrects is not None else release.change
    working, released = policy.get(kind, 0), released_policy.get(kind, 0)
    needed = max(working, released)
    if len(seen) < needed and released > working:
        problems.append(
            f"the latest released version asks for {released} approval(s) of {_kind_words(release, kind)} "
            f"(approvals: {kind} in its notice.yaml), and this release names {len(seen)}: lowering the number in "
            "the working notice.yaml applies from the next release; name each approver with --approved-by NAME"
        )
    elif len(seen) < needed:
        problems.append(
            f"notice/notice.yaml asks for {needed} approval(s) of {_kind_words(release, kind)} (approvals: {kind}), "
            f"and this release names {len(seen)}: name each approver with --approved-by NAME"
        )
    return problems


def _kind_words(release: Release, kind: str) -> str:
    if release.corrects is not None:
        return "a correction"
    return {"material": "a material change", "editorial": "an editorial change"}[kind]


def refusals(root: Path, release: Release) -> list[str]:
    """Every reason not to release, in plain words; empty when the release may go ahead."""
    problems = []
    checked = check_notice(root)
    # Warnings do not stop a release: a source text may take effect before its translations are
    # updated, and the site then marks each outdated section (see render.outdated).
    if checked.report.errors:
        problems.append(f"the notice does not pass `notice check` ({checked.report.summary()}): fix it first")
    problems += locale_refusals(checked.sources, release)
    entries = _entries(root)
    ids = entry_ids([entry["effective"] for entry in entries])
    in_force = promised_approvals(root, max(ids, key=version_order)) if ids else {}
    problems += approval_refusals(checked.sources, release, in_force)
    last = entries[-1] if entries else None
    if last is not None and isinstance(last.get("published"), datetime.date) and release.published < last["published"]:
        problems.append(
            f"the publication date {release.published.isoformat()} is before the last version's publication, "
            f"{last['published'].isoformat()}"
        )
    if release.imported is None and release.today != datetime.date.min and release.published != release.today:
        problems.append(
            f"the publication date {release.published.isoformat()} is not today ({release.today.isoformat()}): a "
            "version is published the day it is released; a version published before this site existed is "
            "recorded with --imported SOURCE"
        )
    if release.corrects is not None:
        return problems + _correction_refusals(root, release, entries, ids, checked)
    if release.imported is not None and any("imported" not in entry for entry in entries):
        problems.append(
            "--imported records history from before this site, and this site has released versions already: "
            "imported versions come before the first version released here"
        )
    versions = [entry["effective"] for entry in entries if "corrects" not in entry]
    if versions and release.effective <= max(versions):
        problems.append(
            f"the effective date {release.effective.isoformat()} is not after the last version's, "
            f"{max(versions).isoformat()}"
        )
    if release.imported is None:
        if release.effective < release.today:
            problems.append(
                f"the effective date {release.effective.isoformat()} is in the past (today is "
                f"{release.today.isoformat()}): a new version takes effect today or later; to record a version "
                "published before this site existed, say where its text comes from with --imported SOURCE"
            )
        if release.published > release.effective:
            problems.append(
                f"the publication date {release.published.isoformat()} is after the effective date "
                f"{release.effective.isoformat()}"
            )
    period = promised_notice_period(root, max(ids, key=version_order)) if ids else DEFAULT_NOTICE_PERIOD_DAYS
    notice_days = (release.effective - release.published).days
    # A date before the publication is refused above, as such: no "-32 days' notice".
    if entries and release.change == "material" and 0 <= notice_days < period and release.imported is None:
        if not (release.short_notice or "").strip():
            problems.append(
                f"a material change needs {period} days' notice (notice_period_days), and this one gives "
                f"{notice_days}: publish it earlier, take effect later, or record why with --short-notice REASON"
            )
    elif release.short_notice is not None:
        problems.append("--short-notice is for a material change with less than the notice period: this is not one")
    latest = max(ids, key=version_order) if ids else None
    if latest is not None and same_text(root, snapshot_dir(root, latest)):
        problems.append(f"nothing changed since version {latest}: there is nothing to release")
    else:
        problems += _content_refusals(root, checked, release)
    return problems


@dataclass(frozen=True)
class Comparison:
    """How the text to release compares with the latest released version, as its readers see it."""

    latest: str | None
    unchanged: bool  # nothing published changes: only layout, comments or locales still in draft
    translation_only: bool  # the binding (source-locale) text and the facts stay; translations change


def compare_with_latest(root: Path, checked: Checked, release: Release) -> Comparison:
    ids = entry_ids([entry["effective"] for entry in _entries(root)])
    if not ids or checked.report.errors:
        return Comparison(None, False, False)
    latest = max(ids, key=version_order)
    released = check_notice(snapshot_dir(root, latest), prefix=f"{VERSIONS_DIR}/{latest}/", ui_root=root)
    if released.report.errors:
        return Comparison(latest, False, False)
    included, before = included_locales(checked.sources, release), released.sources.published_codes()
    unchanged = set(included) == set(before) and published_content(checked, included) == published_content(
        released, before
    )
    source = (checked.sources.notice.get("locales") or {}).get("source_locale")
    binding_kept = published_content(checked, (source,)) == published_content(released, (source,))
    return Comparison(latest, unchanged, binding_kept and not unchanged)


def _content_refusals(root: Path, checked: Checked, release: Release) -> list[str]:
    comparison = compare_with_latest(root, checked, release)
    if comparison.unchanged:
        return [
            f"nothing readers are given changed since version {comparison.latest} (only layout, comments or "
            "locales still in draft): there is nothing to release"
        ]
    if comparison.translation_only and release.change == "material":
        return [
            f"the binding text and the facts are those of version {comparison.latest}; only translations changed: "
            "a translation-only release is editorial (--change editorial)"
        ]
    return []


def _correction_refusals(
    root: Path, release: Release, entries: list[dict], ids: list[str], checked: Checked
) -> list[str]:
    """A correction (errata) mends the wording of the latest text of a released date, and nothing else."""
    target = release.corrects
    if target not in ids:
        return [f"there is no released version {target} to correct (released: {', '.join(ids) or 'none'})"]
    problems = []
    day = target.partition(".")[0]
    latest = [version_id for version_id in ids if version_id.partition(".")[0] == day][-1]
    if latest != target:
        problems.append(f"version {target} was corrected already, by {latest}: correct that text instead")
    if release.change != "editorial":
        problems.append(
            "a correction is an editorial change (--change editorial): a change of substance is a new version"
        )
    if release.short_notice is not None or release.imported is not None:
        problems.append("a correction takes its version's dates: --short-notice and --imported do not apply")
    if same_text(root, snapshot_dir(root, latest)):
        problems.append(f"the text is the same as version {latest}'s: there is nothing to correct")
    elif compare_with_latest(root, checked, release).unchanged:
        problems.append(
            f"what readers are given is the same as version {latest}'s (only layout, comments or locales still "
            "in draft changed): there is nothing to correct"
        )
    released = version_files(snapshot_dir(root, latest))
    working = version_files(root)
    facts = sorted(
        path
        for path in set(released) | set(working)
        if not path.startswith("locales/") and _facts(released.get(path)) != _facts(working.get(path))
    )
    if facts:
        problems.append(
            f"a correction mends the wording of the text (locales/*/notice.yaml) only, but {', '.join(facts)} "
            "changed: the outline and the facts stay as released; release a new version for them"
        )
    later = [entry["effective"] for entry in entries if entry["effective"].isoformat() > day]
    if later:
        problems.append(
            f"version {min(later).isoformat()} already replaced the text of {day}: a correction now would change "
            "what that version supersedes; publish the correction as a new version"
        )
    return problems


def _facts(content: bytes | None) -> bytes | None:
    """A file as a correction compares it: the line naming its schema is for editors, not a fact."""
    return None if content is None else without_header(content)


def _entries(root: Path) -> list[dict]:
    try:
        entries = yaml.safe_load((root / CHANGELOG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("effective"), datetime.date)]


def _last_entry(root: Path) -> dict | None:
    try:
        entries = yaml.safe_load((root / CHANGELOG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return entries[-1] if isinstance(entries, list) and entries and isinstance(entries[-1], dict) else None


def same_text(root: Path, snapshot: Path) -> bool:
    """Whether the working text is the snapshot's (site strings compared only where the snapshot froze them)."""
    working, released = version_files(root), version_files(snapshot)
    if not any(path.endswith("/site.yaml") for path in released):
        working = {path: content for path, content in working.items() if not path.endswith("/site.yaml")}
    return working == released


@contextlib.contextmanager
def release_lock(root: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Held for the whole of a release, on the project's notice/ folder: a second `notice release` in the same
    project calls `waiting`, waits for the first to end, then reads the changelog the first wrote. (Two at once
    would each append their entry to the changelog as they had read it: one entry, and the chain, lost.)"""
    try:
        descriptor = os.open(root / "notice", os.O_RDONLY)
    except OSError:  # no notice/ folder: nothing can be released, and the refusals say why
        yield
        return
    with held(descriptor, waiting):
        yield


def entry_fields(release: Release, lock: str, digests: dict[str, str], translation_only: bool = False) -> dict:
    entry = {
        "effective": release.effective,
        "published": release.published,
        "change": release.change,
        "summary": dict(release.summaries),
    }
    if translation_only:
        entry["translation_only"] = True
    if release.short_notice is not None:
        entry["short_notice"] = release.short_notice.strip()
    if release.imported is not None:
        entry["imported"] = release.imported.strip()
    if release.corrects is not None:
        entry["corrects"] = release.corrects
    if release.approved_by:
        entry["approved_by"] = list(release.approvers)
    entry["lock"] = lock
    entry["digests"] = digests
    return entry


def changelog_entry(entry: dict) -> str:
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)


class ReleaseError(Exception):
    """The release cannot be written as it is; nothing was written."""


def changelog_with(existing: str | None, entry: dict) -> str:
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
    new = text.rstrip("\n") + "\n" + changelog_entry(entry)
    after = yaml.safe_load(new)
    if not isinstance(after, list) or len(after) != len(entries or []) + 1 or after[:-1] != (entries or []):
        raise ReleaseError(f"{CHANGELOG_FILE} cannot take a new entry at its end as it is written: fix its layout")
    try:  # in the canonical layout (`notice fmt`), which keeps every value: the entry as written, laid out
        return canonical_text(new, CHANGELOG_FILE, CHANGELOG)
    except LayoutError:
        return new


@dataclass(frozen=True)
class Released:
    folder: Path  # the new version's snapshot
    locales: tuple[str, ...]  # the locales it is published in
    promoted: tuple[str, ...]  # the drafts it publishes from now on
    translation_only: bool


def make_release(root: Path, release: Release) -> Released:
    """Write the snapshot and its changelog entry; the caller has checked `refusals` first.

    The entry records the digest of every JSON document of the new version and its link in the lock
    chain; the snapshot keeps the digests of their parts (DIGESTS.json). All of it is computed from the
    snapshot before anything is put in place.
    """
    checked = check_notice(root)
    included = included_locales(checked.sources, release)
    promoted = tuple(code for code in included if code in checked.sources.draft_codes())
    files = version_files(root)
    published_notice = None
    if promoted:  # the version publishes them: notice.yaml, as frozen and as worked on, no longer says draft
        text = files[NOTICE_FILE].decode("utf-8").removeprefix("\ufeff")
        try:
            published_notice = without_draft_marks(text, promoted)
        except (EditError, LocaleError) as failure:
            raise ReleaseError(str(failure)) from failure
        files[NOTICE_FILE] = published_notice.encode("utf-8")
    translation_only = compare_with_latest(root, checked, release).translation_only
    sums = sums_text(files)
    lock = sha256(sums.encode())
    version_id = entry_ids([entry["effective"] for entry in _entries(root)] + [release.effective])[-1]
    changelog = root / CHANGELOG_FILE
    existing = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
    target = snapshot_dir(root, version_id)
    site, _ = load_site(root, release.today if release.today != datetime.date.min else release.effective)
    (root / VERSIONS_DIR).mkdir(parents=True, exist_ok=True)
    for name in interrupted_releases(root):  # no other release runs: `notice release` holds release_lock
        shutil.rmtree(root / VERSIONS_DIR / name)
    # Build the snapshot beside its final place, then rename: it appears whole or not at all.
    staging = Path(tempfile.mkdtemp(dir=root / VERSIONS_DIR, prefix=STAGING_PREFIX))
    staging.chmod(0o777 & ~current_umask())  # mkdtemp's 0700 would stay the released folder's
    try:
        for path, content in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(content)
        (staging / SUMS_FILE).write_text(sums, encoding="utf-8")
        digests, parts = _digests_of(root, site, staging, release, version_id, lock, translation_only)
        entry = entry_fields(release, lock, digests, translation_only)
        last = _last_entry(root)
        entry["chain"] = chain_link(last.get("chain") if last else None, entry)
        new_changelog = changelog_with(existing, entry)  # verified before anything is put in place
        (staging / PARTS_FILE).write_text(json.dumps(parts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        write_atomically(changelog, new_changelog)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    if published_notice is not None:
        try:
            write_atomically(root / NOTICE_FILE, published_notice)
        except BaseException:  # the release is undone whole: the changelog as it was, no snapshot
            if existing is None:
                changelog.unlink(missing_ok=True)
            else:
                write_atomically(changelog, existing)
            shutil.rmtree(target, ignore_errors=True)
            raise
    return Released(target, included, promoted, translation_only)


def _digests_of(
    root: Path, site: Site, staging: Path, release: Release, version_id: str, lock: str, translation_only: bool
) -> tuple[dict[str, str], dict]:
    """The digests of the new version's documents, made from the staged snapshot as a build will make them."""
    snapshot = check_notice(staging, prefix=f"{VERSIONS_DIR}/{version_id}/", ui_root=root)
    if snapshot.report.errors:
        raise ReleaseError(f"the snapshot does not pass `notice check` ({snapshot.report.summary()})")
    new = Version(
        version_id,
        release.effective,
        release.published,
        release.change,
        dict(release.summaries),
        replace(build_notice(snapshot), earlier_sources=site.working.earlier_sources),
        lock=lock,
        short_notice=release.short_notice.strip() if release.short_notice is not None else None,
        imported=release.imported.strip() if release.imported is not None else None,
        corrects=release.corrects,
        translation_only=translation_only,
        approved_by=release.approvers,
    )
    versions = tuple(sorted((*site.versions, new), key=lambda version: version_order(version.id)))
    with_new = replace(site, versions=versions)
    return released_digests(with_new, new)
