"""The legal guarantees over released versions: locked snapshots, an honest changelog, anchors that live on."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from noticegen.core.diagnostics import InputError, Location, Report
from noticegen.source import formats
from noticegen.source.load import LOCALES_DIR, NOTICE_FILE, Loaded
from noticegen.source.schema import did_you_mean, shown, validate_file
from noticegen.source.tables import section_clauses, table_parts
from noticegen.source.versions import (
    CHANGELOG_FILE,
    PARTS_FILE,
    SUMS_FILE,
    VERSIONS_DIR,
    build_date,
    chain_link,
    entry_ids,
    parse_sums,
    sha256,
    snapshot_dir,
    snapshot_ids,
    version_files,
    version_locales,
)
from noticegen.source.yamlsource import YList, YMap, load_data, load_yaml_file, read_source_bytes

DEFAULT_NOTICE_PERIOD_DAYS = 30


def load_changelog(root: Path, report: Report, locales: tuple[str, ...]) -> Loaded | None:
    if not (root / CHANGELOG_FILE).is_file():
        return None
    file = load_yaml_file(root / CHANGELOG_FILE, CHANGELOG_FILE, report)
    if file is None:
        return None
    if file.data is None:
        return Loaded(file, YList())
    # An entry's summary is in the locales of its own version, which later versions may outnumber: a
    # released entry is never edited for a locale added after it (check_summary_locales).
    return Loaded(file, validate_file(formats.CHANGELOG, file, report, ()))


def check_versions(root: Path, notice: Loaded, anchor_ids: set[str], report: Report, locales: tuple[str, ...]) -> None:
    """`anchor_ids`: the ids of the sections of the outline and of the clauses of the source locale's text."""
    changelog = load_changelog(root, report, locales)
    released = snapshot_ids(root)
    entries = changelog.data if changelog is not None and isinstance(changelog.data, YList) else YList()
    if changelog is None and released:
        report.error(
            Location(CHANGELOG_FILE),
            f"{VERSIONS_DIR} holds released versions but there is no changelog",
            "restore notice/changelog.yaml from version control",
        )
    period = notice.get("notice_period_days", DEFAULT_NOTICE_PERIOD_DAYS)
    previous: YMap | None = None  # the entry above
    previous_version: YMap | None = None  # the last entry that is not a correction
    previous_chain: str | None = None
    chain_intact = True
    listed = set()
    dated = [entry for entry in entries if "effective" in entry]
    ids = dict(zip(map(id, dated), entry_ids([entry["effective"] for entry in dated]), strict=True))
    latest: dict[str, str] = {}  # effective date -> the id of the latest text of that date so far
    seen: list[YMap] = []
    previous_id: str | None = None
    today = build_date()
    for entry in entries:
        if "effective" not in entry:
            chain_intact = False
            continue
        version_id = ids[id(entry)]
        at = changelog.file.at(entry.value_pos["effective"])
        listed.add(version_id)
        if "corrects" in entry:
            check_correction(changelog, entry, version_id, latest, previous, report)
        else:
            promised = promised_notice_period(root, previous_id) if previous_id else period
            check_dates(changelog, entry, previous, previous_version, promised, report)
            previous_version = entry
        if "imported" in entry and any("imported" not in earlier for earlier in seen):
            report.error(
                changelog.file.at(entry.value_pos["imported"]),
                f"version {version_id} is marked imported, after versions released on this site",
                "imported history comes before the first version released here",
            )
        published = entry.get("published")
        if isinstance(published, datetime.date) and published > today:
            report.error(
                changelog.file.at(entry.value_pos["published"]),
                f"version {version_id} is published on {published.isoformat()}, after today ({today.isoformat()})",
                "a version is published the day it is released",
            )
        seen.append(entry)
        previous_id = version_id
        latest[entry["effective"].isoformat()] = version_id
        previous = entry
        if version_id not in released:
            report.error(at, f"version {version_id} has no snapshot in {VERSIONS_DIR}/{version_id}/")
        else:
            if "lock" in entry:
                check_lock(root, version_id, entry["lock"], report)
            check_summary_locales(changelog, entry, version_id, snapshot_dir(root, version_id), report)
        if chain_intact and "chain" in entry:
            expected = chain_link(previous_chain, entry)
            if entry["chain"] != expected:
                chain_intact = False  # every later link is broken too: say it once, where it breaks
                report.error(
                    changelog.file.at(entry.value_pos["chain"]),
                    f"the changelog's chain is broken at version {version_id}: this entry, or one before it, "
                    "was edited, removed or reordered after release",
                    "released entries never change: restore notice/changelog.yaml from version control",
                )
            previous_chain = entry["chain"]
        else:
            chain_intact = False
    for version_id in released:
        if version_id not in listed:
            report.error(
                Location(f"{VERSIONS_DIR}/{version_id}/"),
                f"version {version_id} has a snapshot but no changelog entry",
                "versions are made with `notice release`, which writes both",
            )
    check_permanent_anchors(root, released, notice, anchor_ids, report)
    check_unreleased_locales(root, notice, released, report)


def _released_settings(root: Path, version_id: str) -> dict:
    """A released version's own notice.yaml, as data ({} when it cannot be read: the check says why)."""
    try:
        data = load_data((snapshot_dir(root, version_id) / NOTICE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def promised_notice_period(root: Path, version_id: str) -> int:
    """The notice period the version in force promised its readers (its own notice.yaml): a later edit of the
    working text cannot shorten the notice owed for the change that replaces it."""
    period = _released_settings(root, version_id).get("notice_period_days")
    return period if _whole_number(period) else DEFAULT_NOTICE_PERIOD_DAYS


def promised_approvals(root: Path, version_id: str) -> dict[str, int]:
    """The `approvals` a released version's own notice.yaml asks for: a later edit of the working text cannot
    lower the sign-off owed by the change that replaces it."""
    policy = _released_settings(root, version_id).get("approvals")
    return {kind: n for kind, n in policy.items() if _whole_number(n)} if isinstance(policy, dict) else {}


def check_dates(
    changelog: Loaded, entry: YMap, previous: YMap | None, previous_version: YMap | None, period: int, report: Report
) -> None:
    """Honest dates: in order, published no earlier than the last version, with the notice a material change
    owes its readers unless a recorded reason (short_notice) or imported history (imported) says otherwise."""
    effective: datetime.date = entry["effective"]
    version_id = effective.isoformat()
    published: datetime.date | None = entry.get("published")
    at = changelog.file.at(entry.value_pos["effective"])
    if previous_version is not None and effective <= previous_version["effective"]:
        report.error(
            at,
            f"version {version_id} does not come after version {previous_version['effective'].isoformat()}",
            "changelog entries are in order of their effective dates, each later than the one before",
        )
    if published is None:
        return
    published_at = changelog.file.at(entry.value_pos["published"])
    earlier = previous.get("published") if previous is not None else None
    if earlier is not None and published < earlier:
        report.error(
            published_at,
            f"version {version_id} is published on {published.isoformat()}, before version "
            f"{previous['effective'].isoformat()} was ({earlier.isoformat()})",
            "versions are published in order: a later version cannot have been published first",
        )
    if published > effective:
        if "imported" in entry:
            return
        report.error(
            published_at,
            f"version {version_id} is published on {published.isoformat()}, after it takes effect",
            "a version is published on or before its effective date; history imported from before this site "
            "says where it comes from (`notice release --imported SOURCE`)",
        )
        return
    notice_days = (effective - published).days
    needs_notice = previous is not None and entry.get("change") == "material"  # the first version changes nothing
    if needs_notice and notice_days < period and "short_notice" not in entry and "imported" not in entry:
        report.error(
            published_at,
            f"material change {version_id} was published {notice_days} day(s) before it takes effect, less than "
            f"the notice period of {period} days, and the entry gives no reason",
            "readers are owed notice of a material change (notice_period_days in notice/notice.yaml); a shorter "
            "notice needs its reason recorded (`notice release --short-notice REASON`)",
        )


def check_correction(
    changelog: Loaded, entry: YMap, version_id: str, latest: dict[str, str], previous: YMap | None, report: Report
) -> None:
    """A correction (errata) takes the date of the text it corrects, the latest of that date; it is an
    editorial change, published after the versions before it."""
    at = changelog.file.at(entry.value_pos["corrects"])
    day = entry["effective"].isoformat()
    corrects = entry["corrects"]
    if latest.get(day) != corrects:
        expected = latest.get(day)
        report.error(
            at,
            f"version {version_id} corrects '{corrects}', which is not the latest text in force from {day}",
            f"a correction corrects the latest text of its date: {expected}"
            if expected
            else "a correction takes the effective date of the version it corrects",
        )
    if entry.get("change") != "editorial":
        report.error(
            changelog.file.at(entry.value_pos["change"]),
            f"correction {version_id} is a {entry.get('change')} change",
            "a correction mends the wording of a released text (editorial); a change of substance is a new version",
        )
    published, earlier = entry.get("published"), previous.get("published") if previous is not None else None
    if published is not None and earlier is not None and published < earlier:
        report.error(
            changelog.file.at(entry.value_pos["published"]),
            f"correction {version_id} is published on {published.isoformat()}, before the entry above it "
            f"({earlier.isoformat()})",
            "versions are published in order: a later entry cannot have been published first",
        )


def check_summary_locales(changelog: Loaded, entry: YMap, version_id: str, folder: Path, report: Report) -> None:
    """A version's summary is given in exactly the locales the version was released in."""
    summary = entry.get("summary")
    if not isinstance(summary, dict):
        return
    released = sorted(version_locales(folder))
    at = changelog.file.at(entry.value_pos["summary"])
    for code in released:
        if code not in summary:
            report.error(
                at, f"the summary of version {version_id} has no text for locale '{code}'", f"add `{code}: ...`"
            )
    for code in summary:
        if code not in released:
            report.error(
                at,
                f"the summary of version {version_id} is in locale '{code}', which that version does not have",
                did_you_mean(code, tuple(released)) or "remove it: a version's summary is in its own locales",
            )


def check_unreleased_locales(root: Path, notice: Loaded, released: list[str], report: Report) -> None:
    """A locale that is not a draft, yet in no released version, is not published until a release has it."""
    available = notice.get("locales", {}).get("available") if isinstance(notice.get("locales"), dict) else None
    if not released or not isinstance(available, YMap):
        return
    published = set().union(*(version_locales(snapshot_dir(root, version_id)) for version_id in released))
    for code, entry in available.items():
        if code not in published and not (isinstance(entry, dict) and entry.get("draft")):
            report.warning(
                notice.file.at(available.key_pos[code]),
                f"locale '{shown(code)}' is in no released version, so it is not published yet",
                f"mark it `draft: true` while it is translated; a release publishes it: "
                f"`notice release DATE --locales …,{code}`",
            )


def check_lock(root: Path, version_id: str, lock: str, report: Report) -> None:
    folder = snapshot_dir(root, version_id)
    shown_folder = f"{VERSIONS_DIR}/{version_id}/"
    sums_path = folder / SUMS_FILE
    sums_bytes = read_source_bytes(sums_path, shown_folder + SUMS_FILE, root) if sums_path.exists() else b""
    if sha256(sums_bytes) != lock:
        report.error(
            Location(shown_folder + SUMS_FILE),
            f"released version {version_id} was changed: {SUMS_FILE} does not match the lock in {CHANGELOG_FILE}",
            "a released version never changes: restore it from version control and release a new version",
        )
        return
    sums = parse_sums(sums_bytes.decode("utf-8", errors="replace")) or {}
    actual = version_files(folder, shown_folder)
    for path in sorted(set(sums) | set(actual)):
        if path not in actual:
            problem = "is missing"
        elif path not in sums:
            problem = "was added"
        elif sha256(actual[path]) != sums[path]:
            problem = "no longer matches its lock"
        else:
            continue
        report.error(
            Location(shown_folder + path),
            f"released version {version_id} was changed: {shown_folder}{path} {problem}",
            "a released version never changes: restore it from version control and release a new version",
        )
    # Nothing else may lie in a snapshot: what no check reads could be changed unseen.
    known = set(sums) | {SUMS_FILE, PARTS_FILE}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if (path.is_file() or path.is_symlink()) and relative not in known:
            report.error(
                Location(shown_folder + relative),
                f"released version {version_id} was changed: {shown_folder}{relative} is not part of it",
                "a released version holds only what `notice release` wrote: remove it",
            )


def check_permanent_anchors(
    root: Path, released: list[str], notice: Loaded, anchor_ids: set[str], report: Report
) -> None:
    """Every section and clause id ever published still leads somewhere: to a section or clause of the notice
    (`anchor_ids`), or to where a declared alias says."""
    aliases = notice.get("aliases") or {}
    outline_at = notice.file.at(notice.data.key_pos.get("outline")) if hasattr(notice.data, "key_pos") else None
    reported = set()
    for version_id in released:
        folder = snapshot_dir(root, version_id)
        for section_id in released_section_ids(folder):
            if section_id in anchor_ids or section_id in aliases or section_id in reported:
                continue
            reported.add(section_id)
            report.error(
                outline_at or Location(NOTICE_FILE),
                f"section '{section_id}' of released version {version_id} is gone from the outline",
                f"its anchor must keep working: add `{section_id}: <the section that replaced it>` under aliases",
            )
        for clause_id in released_clause_ids(folder):
            if clause_id in anchor_ids or clause_id in aliases or clause_id in reported:
                continue
            reported.add(clause_id)
            report.error(
                outline_at or Location(NOTICE_FILE),
                f"clause '{clause_id}' of released version {version_id} is gone from the notice",
                f"its anchor must keep working: add `{clause_id}: <the section or clause that replaced it>` "
                "under aliases",
            )


def released_section_ids(folder: Path) -> list[str]:
    try:
        data = load_data(read_source_bytes(folder / NOTICE_FILE, NOTICE_FILE, folder).decode("utf-8"))
    except (InputError, UnicodeDecodeError, yaml.YAMLError, RecursionError):  # reported where it is read
        return []
    outline = data.get("outline") if isinstance(data, dict) else None
    ids = [entry.get("id") for entry in outline or [] if isinstance(entry, dict)]
    return [section_id for section_id in ids if isinstance(section_id, str)]


def released_clause_ids(folder: Path) -> list[str]:
    """The clause ids a released version published: those of its source locale's text (every locale has the
    same)."""
    try:
        notice = load_data(read_source_bytes(folder / NOTICE_FILE, NOTICE_FILE, folder).decode("utf-8"))
        locales = notice.get("locales") if isinstance(notice, dict) else None
        source = locales.get("source_locale") if isinstance(locales, dict) else None
        if not isinstance(source, str):
            return []
        path = f"{LOCALES_DIR}/{source}/notice.yaml"
        text = load_data(read_source_bytes(folder / path, path, folder).decode("utf-8"))
    except (InputError, UnicodeDecodeError, yaml.YAMLError, RecursionError):  # reported where it is read
        return []
    sections = text.get("sections") if isinstance(text, dict) else None
    ids = []
    for section in sections.values() if isinstance(sections, dict) else ():
        if not isinstance(section, dict):
            continue
        parts = table_parts(section.get("table"))
        body = section.get("body")
        row_ids = [row_id for row_id, _ in parts[2]] if parts else []
        ids += [clause.id for clause in section_clauses(body if isinstance(body, str) else "", row_ids)]
    return ids
