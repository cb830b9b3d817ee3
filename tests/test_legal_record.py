"""The legal record: append-only history checked against git, a lock chain, digests that never move, honest
dates, and a verifier anyone can run."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import BOTPRESS, MINIMAL, PROJECT, copy_notice, copy_site_project, mkdocs, release_on, started, today_is
from noticegen.checks.notice import check_notice
from noticegen.cli import main
from noticegen.export import documents
from noticegen.model.notice import build_notice
from noticegen.model.site import Site, Version, load_site
from noticegen.source.versions import (
    PARTS_FILE,
    SUMS_FILE,
    VERSIONS_DIR,
    chain_link,
    sha256,
    snapshot_dir,
    statuses,
    sums_text,
    version_files,
)

OLD = "2025-09-23"
NEW = "2025-12-01"
SUMMARIES = ["--summary", "en=Retention.", "--summary", "zh=保留。"]


def git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the bundled project in a git repository of its own, with one commit."""
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "as released")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def forge(root: Path) -> None:
    """What a hostile insider would do after editing a snapshot: recompute every SHA256SUMS, lock, digest,
    part and chain link, so that the project on its own looks untouched."""
    path = root / "notice" / "changelog.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    versions: list[Version] = []
    previous = None
    for entry in entries:
        version_id = entry["effective"].isoformat()
        folder = snapshot_dir(root, version_id)
        sums = sums_text(version_files(folder))
        (folder / SUMS_FILE).write_text(sums, encoding="utf-8")
        entry["lock"] = sha256(sums.encode())
        snapshot = check_notice(folder, prefix=f"{VERSIONS_DIR}/{version_id}/", ui_root=root)
        notice = build_notice(snapshot)
        version = Version(version_id, entry["effective"], entry["published"], entry["change"], entry["summary"], notice)
        versions.append(version)
        on = version.effective
        site = Site(notice, tuple(versions), statuses([v.id for v in versions], on), False, on)
        entry["digests"], parts = documents.released_digests(site, version)
        (folder / PARTS_FILE).write_text(json.dumps(parts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        entry.pop("chain", None)
        entry["chain"] = previous = chain_link(previous, entry)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def check_against(root: Path, revision: str, capsys) -> tuple[int, list[str]]:
    code = main(["check", "--strict", "--against", revision, str(root)])
    lines = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    return code, lines


# -- append-only history, against git ---------------------------------------------------------------------


def test_a_rewritten_snapshot_with_every_lock_recomputed_passes_alone_but_not_against_git(repo: Path, capsys) -> None:
    released = snapshot_dir(repo, OLD) / "locales" / "en" / "notice.yaml"
    released.write_text(released.read_text(encoding="utf-8").replace("we value privacy", "we value data"), "utf-8")
    forge(repo)
    commit(repo, "a quiet rewrite")
    assert main(["check", "--strict", str(repo)]) == 0  # the forgery is consistent on its own...
    capsys.readouterr()
    code, errors = check_against(repo, "HEAD~1", capsys)  # ...but not with what was released
    assert code == 1
    assert (
        f"notice/versions/{OLD}/locales/en/notice.yaml:1:1: error: notice/versions/{OLD}/locales/en/notice.yaml "
        "differs from the file released in HEAD~1 (released history is never edited: restore it from that "
        "revision, and release a new version instead)"
    ) in errors
    assert any(f"field 'lock' of version {OLD} differs from HEAD~1" in line for line in errors)


def test_an_edited_summary_is_named_against_git_by_the_locale_that_changed(repo: Path, capsys) -> None:
    path = repo / "notice" / "changelog.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries[0]["summary"]["en"] += " Quietly reworded."
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    commit(repo, "a reworded summary")
    code, errors = check_against(repo, "HEAD~1", capsys)
    assert code == 1
    said = [line for line in errors if f"of version {OLD} differs from HEAD~1" in line]
    assert [line.split(": error: ")[1].split(" differs")[0] for line in said] == [
        f"field 'summary.en' of version {OLD}"
    ]
    assert said[0].split(" differs from HEAD~1: ")[1].endswith(" Quietly reworded.' here (released history is never "
        "edited: restore it from that revision, and release a new version instead)")  # fmt: skip


def test_deleting_the_only_released_version_is_caught_against_git(repo: Path, capsys) -> None:
    shutil.rmtree(snapshot_dir(repo, OLD))
    (repo / "notice" / "changelog.yaml").write_text("# nothing released\n", encoding="utf-8")
    commit(repo, "forget the past")
    code, errors = check_against(repo, "HEAD~1", capsys)
    assert code == 1
    assert errors[0] == (
        f"notice/changelog.yaml:1:1: error: version {OLD}, released in HEAD~1, is missing from the changelog "
        "(released history is never edited: restore it from that revision, and release a new version instead)"
    )
    assert f"notice/versions/{OLD}/SHA256SUMS, released in HEAD~1, is missing" in "\n".join(errors)


def test_renaming_a_version_is_caught_against_git(repo: Path, capsys) -> None:
    snapshot_dir(repo, OLD).rename(snapshot_dir(repo, "2025-09-24"))
    path = repo / "notice" / "changelog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"effective: {OLD}", "effective: 2025-09-24"), "utf-8")
    commit(repo, "move it a day")
    code, errors = check_against(repo, "HEAD~1", capsys)
    assert code == 1
    assert any(f"entry 1 of the changelog was version {OLD} in HEAD~1, and is now 2025-09-24" in e for e in errors)
    assert any(f"notice/versions/{OLD}/notice/notice.yaml, released in HEAD~1, is missing" in e for e in errors)


def test_an_unknown_revision_is_a_message_not_a_traceback(repo: Path, capsys) -> None:
    assert main(["check", "--against", "no-such-branch", str(repo)]) == 2
    assert "notice check: --against no-such-branch: fatal: Needed a single revision" in capsys.readouterr().err


def test_the_workflow_checks_history_on_every_pull_request_and_push() -> None:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    step = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Check that released"))
    assert 'notice check --strict --against "$BASE"' in step["run"]
    assert "github.event.pull_request.base.sha" in step["env"]["BASE"] and "github.event.before" in step["env"]["BASE"]


# -- the chain, without git --------------------------------------------------------------------------------


def three_versions(tmp_path: Path) -> Path:
    root = copy_notice(MINIMAL, tmp_path / "minimal")
    text = root / "locales" / "en" / "notice.yaml"
    for number, (day, effective) in enumerate([("2024-01-01", "2024-03-01"), ("2024-04-01", "2024-06-01"),
                                               ("2024-07-01", "2024-09-01")]):  # fmt: skip
        text.write_text(text.read_text("utf-8").replace("We care", f"We care ({number})", 1), "utf-8")
        arguments = ["release", effective, "--change", "editorial", "--summary", "en=x", "--summary", "fr=x"]
        assert release_on(day, [*arguments, "--path", str(root)]) == 0
    return root


def test_removing_a_middle_version_breaks_the_chain_of_every_later_one(tmp_path: Path, run_check) -> None:
    root = three_versions(tmp_path)
    assert run_check(root).exit_code == 0
    path = root / "notice" / "changelog.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump([entries[0], entries[2]], allow_unicode=True, sort_keys=False), "utf-8")
    shutil.rmtree(snapshot_dir(root, "2024-06-01"))
    run = run_check(root)
    assert run.exit_code == 1
    assert any(
        "the changelog's chain is broken at version 2024-09-01: this entry, or one before it, was edited, "
        "removed or reordered after release" in line
        for line in run.lines()
    )


def test_editing_a_released_summary_breaks_the_chain(tmp_path: Path, run_check) -> None:
    root = three_versions(tmp_path)
    path = root / "notice" / "changelog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("en: x", "en: y", 1), encoding="utf-8")
    errors = run_check(root).lines("error")
    assert len(errors) == 1 and "the changelog's chain is broken at version 2024-03-01" in errors[0]


# -- digests that never move -------------------------------------------------------------------------------


def index_digests(root: Path, site_url: str) -> dict[str, dict[str, str]]:
    site, _ = load_site(root, datetime.date(2025, 1, 1))
    index = documents.api_files(site, site_url)["notice.json"]
    return {version["id"]: version["digests"] for version in index["versions"]}


def test_site_url_ui_strings_and_a_new_locale_leave_every_released_digest_as_it_was(tmp_path: Path) -> None:
    root = three_versions(tmp_path)
    before = index_digests(root, "https://example.org/privacy/")
    assert index_digests(root, "https://elsewhere.example/legal/") == before
    ui = root / "locales" / "en" / "site.yaml"  # the missing DPO address is written with this string
    ui.write_text(ui.read_text("utf-8").replace("e-mail address not available", "no e-mail address"), "utf-8")
    shutil.copytree(root / "locales" / "fr", root / "locales" / "de")
    notice = root / "notice" / "notice.yaml"
    notice.write_text(
        notice.read_text("utf-8").replace("    fr:\n", "    de:\n      name: Deutsch\n    fr:\n"), "utf-8"
    )
    data = root / "notice" / "data" / "representative.yaml"
    data.write_text(data.read_text("utf-8").replace("      fr: Belgique\n", "      fr: Belgique\n      de: Belgien\n"))
    assert check_notice(root).report.errors == []
    assert index_digests(root, "https://elsewhere.example/legal/") == before


def export_changes_section(monkeypatch: pytest.MonkeyPatch, section_id: str, field: str) -> None:
    """As a newer library or a change of the export code might: one field of one section comes out different."""
    real = documents._section_locale

    def changed(notice, locale, section, page_url):
        made = real(notice, locale, section, page_url)
        return made | {field: made[field] + "!"} if section == section_id else made

    monkeypatch.setattr(documents, "_section_locale", changed)


def test_a_build_that_does_not_reproduce_a_recorded_digest_names_the_version_locale_and_section(
    run_check, monkeypatch
) -> None:
    export_changes_section(monkeypatch, "retention", "markdown")
    run = run_check(BOTPRESS)
    assert run.exit_code == 1
    assert (
        f"notice/changelog.yaml:1:1: error: released version {OLD}, locale 'en': the document rebuilt from its "
        "snapshot has digest"
    ) in "\n".join(run.lines())
    assert "the first part that differs is /sections/retention" in "\n".join(run.lines())


# -- honest dates ------------------------------------------------------------------------------------------


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edited(root: Path) -> Path:
    path = root / "locales" / "zh" / "notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("所需的时间内", "所必需的时间内"), encoding="utf-8")
    assert main(["stamp", "en", "retention", "--path", str(root)]) == 0  # the translation still says the same
    return root


@pytest.mark.parametrize(
    ("today", "arguments", "message"),
    [
        (
            "2025-11-28",
            [NEW, "--change", "material"],
            "a material change needs 30 days' notice (notice_period_days), and this one gives 3: publish it "
            "earlier, take effect later, or record why with --short-notice REASON",
        ),
        (
            "2025-12-05",
            [NEW, "--change", "editorial", "--published", "2025-11-01"],
            f"the effective date {NEW} is in the past (today is 2025-12-05): a new version takes effect today or "
            "later; to record a version published before this site existed, say where its text comes from with "
            "--imported SOURCE",
        ),
        (
            "2025-09-01",
            [NEW, "--change", "editorial", "--published", "2025-09-01"],
            f"the publication date 2025-09-01 is before the last version's publication, {OLD}",
        ),
        (
            "2025-10-01",
            [NEW, "--change", "editorial", "--short-notice", "law"],
            "--short-notice is for a material change with less than the notice period: this is not one",
        ),
        (
            "2025-10-01",
            [NEW, "--change", "editorial", "--published", "2025-09-24"],
            "the publication date 2025-09-24 is not today (2025-10-01): a version is published the day it is "
            "released; a version published before this site existed is recorded with --imported SOURCE",
        ),
        (
            "2025-10-01",
            [NEW, "--change", "editorial", "--published", "2025-10-20"],
            "the publication date 2025-10-20 is not today (2025-10-01): a version is published the day it is "
            "released; a version published before this site existed is recorded with --imported SOURCE",
        ),
        ("2025-10-01", ["01/11/2025", "--change", "editorial"],
         "the effective date '01/11/2025' is not a date: write it YYYY-MM-DD"),
        ("2025-10-01", ["2025-11-31", "--change", "editorial"],
         "the effective date '2025-11-31' is not a date (day is out of range for month): write it YYYY-MM-DD"),
        ("2025-10-01", [NEW, "--change", "editorial", "--published", "2025-13-01"],
         "--published '2025-13-01' is not a date (month must be in 1..12): write it YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_release_refuses_dishonest_dates_and_writes_nothing(tmp_path: Path, capsys, today, arguments, message):
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    before = files_of(root)
    assert release_on(today, ["release", *arguments, *SUMMARIES, "--path", str(root)]) == 1
    assert f"notice release: {message}\n" in capsys.readouterr().err
    assert files_of(root) == before


def test_a_short_notice_is_recorded_and_shown_on_the_changelog_and_in_the_json(tmp_path: Path) -> None:
    root = edited(copy_site_project(BOTPRESS, tmp_path / "project"))
    reason = "A court order required the change at once."
    arguments = ["release", NEW, "--change", "material", "--short-notice", reason, *SUMMARIES, "--path", str(root)]
    assert release_on("2025-11-28", arguments) == 0
    entry = yaml.safe_load((root / "notice" / "changelog.yaml").read_text(encoding="utf-8"))[-1]
    assert entry["short_notice"] == reason and entry["published"] == datetime.date(2025, 11, 28)
    with today_is("2025-12-02"):
        mkdocs(root, "build", "--strict")
    changelog = (root / "site" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert f'<p class="notice-short-notice">Less notice than usual, because: {reason}</p>' in changelog
    assert "提前通知期短于常规，原因：" in (root / "site" / "zh" / "changelog" / "index.html").read_text("utf-8")
    document = json.loads((root / "site" / "api" / "v" / NEW / "en.json").read_text(encoding="utf-8"))
    assert document["version"]["short_notice"] == reason
    index = json.loads((root / "site" / "api" / "notice.json").read_text(encoding="utf-8"))
    assert index["versions"][-1]["short_notice"] == reason
    assert main(["verify", str(root / "site")]) == 0


def test_imported_history_may_be_in_the_past_and_published_late(tmp_path: Path, run_check) -> None:
    """A company moving its notice here records the versions it published before, then releases as usual."""
    root = copy_notice(MINIMAL, tmp_path / "minimal")
    text = root / "locales" / "en" / "notice.yaml"
    source = "The PDF on the company's website, archived on 2025-11-03"
    for number, (effective, published) in enumerate([("2024-01-01", "2024-01-03"), ("2025-03-01", "2025-02-01")]):
        text.write_text(text.read_text("utf-8").replace("We care", f"We care ({number})", 1), "utf-8")
        arguments = ["release", effective, "--change", "material", "--published", published, "--imported", source]
        assert (
            release_on("2026-06-01", [*arguments, "--summary", "en=x", "--summary", "fr=x", "--path", str(root)]) == 0
        )
    entries = yaml.safe_load((root / "notice" / "changelog.yaml").read_text(encoding="utf-8"))
    assert [entry["imported"] for entry in entries] == [source, source]
    text.write_text(text.read_text("utf-8").replace("We care", "We do care", 1), "utf-8")
    arguments = ["release", "2026-08-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-06-01", [*arguments, "--path", str(root)]) == 0
    assert run_check(root).exit_code == 0


def test_history_cannot_be_imported_after_a_version_released_here(tmp_path: Path, capsys) -> None:
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    before = files_of(root)
    arguments = ["release", "2026-02-01", "--change", "material", "--imported", "nothing really", *SUMMARIES]
    assert release_on("2026-06-01", [*arguments, "--path", str(root)]) == 1
    assert (
        "notice release: --imported records history from before this site, and this site has released versions "
        "already: imported versions come before the first version released here"
    ) in capsys.readouterr().err
    assert files_of(root) == before


# -- notice verify -----------------------------------------------------------------------------------------


def test_verify_passes_on_the_built_site(built_site: Path, capsys) -> None:
    assert main(["verify", str(built_site / "site")]) == 0
    out = capsys.readouterr().out
    assert f"ok: version {OLD}: 3 documents, digests and chain reproduced" in out
    assert out.splitlines()[-1] == "notice verify: passed: 0 problem(s)"


def test_verify_fails_when_one_byte_of_a_version_document_changes(built_site: Path, tmp_path: Path, capsys) -> None:
    site = shutil.copytree(built_site / "site", tmp_path / "site")
    document = site / "api" / "v" / OLD / "zh.json"
    data = document.read_bytes()
    position = data.index(b'"html"')  # a rendering, outside the content digest: the file hash still sees it
    document.write_bytes(data[:position] + b'"HTML"' + data[position + 6 :])
    assert main(["verify", str(site)]) == 1
    assert f"FAILED: version {OLD}, zh: the file" in capsys.readouterr().out


def test_verify_fails_when_a_version_document_is_missing(built_site: Path, tmp_path: Path, capsys) -> None:
    site = shutil.copytree(built_site / "site", tmp_path / "site")
    (site / "api" / "v" / OLD / "en.json").unlink()
    assert main(["verify", str(site)]) == 1
    assert f"FAILED: version {OLD}: the en document is missing" in capsys.readouterr().out


# -- corrections (errata) ----------------------------------------------------------------------------------


def corrected(root: Path, *extra: str) -> int:
    text = root / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text("utf-8").replace("we value privacy", "we value your privacy", 1), "utf-8")
    arguments = ["release", "--corrects", OLD, "--change", "editorial", *SUMMARIES, *extra, "--path", str(root)]
    return release_on("2025-11-29", arguments)


def test_a_correction_has_its_own_id_and_date_and_both_texts_stay_online_marked(tmp_path: Path) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    assert corrected(root) == 0
    entry = yaml.safe_load((root / "notice" / "changelog.yaml").read_text(encoding="utf-8"))[-1]
    assert entry["corrects"] == OLD and entry["effective"] == datetime.date(2025, 9, 23)
    assert entry["published"] == datetime.date(2025, 11, 29)
    with today_is("2025-11-29"):
        mkdocs(root, "build", "--strict")
    site = root / "site"
    old_page = (site / "versions" / OLD / "index.html").read_text(encoding="utf-8")
    assert 'This text was corrected on <time datetime="2025-11-29">November 29, 2025</time>.' in old_page
    assert f'href="../{OLD}.1/"' in old_page
    corrected_on = 'Corrected on <time datetime="2025-11-29">November 29, 2025</time>'
    assert corrected_on in (site / "versions" / "index.html").read_text(encoding="utf-8")
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert f"Correction of the version of {OLD}" in changelog and corrected_on in changelog
    assert '已于<time datetime="2025-11-29">2025年11月29日</time>更正' in (
        site / "zh" / "versions" / "index.html"
    ).read_text(encoding="utf-8")
    redline = (site / "versions" / f"{OLD}.1" / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<ins><span class="notice-sr">inserted: </span>your</ins> privacy' in redline
    assert "we value your privacy" in (site / "index.html").read_text(encoding="utf-8")  # the correction is in force
    old_json = json.loads((site / "api" / "v" / OLD / "en.json").read_text(encoding="utf-8"))
    assert old_json["build"]["corrected_by"] == [{"id": f"{OLD}.1", "published": "2025-11-29"}]
    new_json = json.loads((site / "api" / "v" / f"{OLD}.1" / "en.json").read_text(encoding="utf-8"))
    assert new_json["version"]["corrects"] == OLD and new_json["version"]["supersedes"] == OLD
    assert main(["verify", str(site)]) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--change", "material"],
            "a correction is an editorial change (--change editorial): a change of substance is",
        ),
        (["--short-notice", "x"], "a correction takes its version's dates: --short-notice and --imported do not apply"),
    ],
)
def test_a_correction_that_is_not_errata_is_refused(tmp_path: Path, capsys, extra, message) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    text = root / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text("utf-8").replace("we value privacy", "we value your privacy", 1), "utf-8")
    before = files_of(root)
    arguments = ["release", "--corrects", OLD, "--change", "editorial", *SUMMARIES, *extra, "--path", str(root)]
    assert release_on("2025-11-29", arguments) == 1
    assert message in capsys.readouterr().err
    assert files_of(root) == before


def test_only_the_latest_text_of_a_date_can_be_corrected(tmp_path: Path, capsys) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    assert corrected(root) == 0
    text = root / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text("utf-8").replace("we value your privacy", "we value all privacy", 1), "utf-8")
    arguments = ["release", "--corrects", OLD, "--change", "editorial", *SUMMARIES, "--path", str(root)]
    assert release_on("2025-11-30", arguments) == 1
    assert f"version {OLD} was corrected already, by {OLD}.1: correct that text instead" in capsys.readouterr().err
    arguments[2] = f"{OLD}.1"
    assert release_on("2025-11-30", arguments) == 0
    assert (root / "notice" / "versions" / f"{OLD}.2").is_dir()


def test_a_correction_entry_that_names_another_text_is_an_error(tmp_path: Path, run_check) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    assert corrected(root) == 0
    path = root / "notice" / "changelog.yaml"
    path.write_text(path.read_text("utf-8").replace(f"corrects: '{OLD}'", "corrects: '2025-09-22'"), "utf-8")
    assert any(
        f"version {OLD}.1 corrects '2025-09-22', which is not the latest text in force from {OLD}" in line
        for line in run_check(root).lines("error")
    )


def test_verify_reads_a_site_over_http(built_site: Path, tmp_path: Path, capsys) -> None:
    """As an auditor would, from the published address (here a server on this machine, under /privacy/)."""
    import functools
    import http.server
    import threading

    shutil.copytree(built_site / "site", tmp_path / "www" / "privacy")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}/privacy/"
        assert main(["verify", address]) == 0
        assert f"ok: version {OLD}: 3 documents, digests and chain reproduced" in capsys.readouterr().out
        (tmp_path / "www" / "privacy" / "api" / "v" / OLD / "notice.json").unlink()
        assert main(["verify", address]) == 1
        assert f"FAILED: version {OLD}: the all document is missing" in capsys.readouterr().out
    finally:
        server.shutdown()
        server.server_close()


def digests_of(version_id: str) -> str:
    entries = yaml.safe_load((BOTPRESS / "notice" / "changelog.yaml").read_text(encoding="utf-8"))
    return json.dumps(next(entry["digests"] for entry in entries if entry["effective"].isoformat() == version_id))


def test_the_build_stops_when_a_released_version_does_not_reproduce_its_digest(
    tmp_path: Path, monkeypatch, caplog
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    export_changes_section(monkeypatch, "intro", "title")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    with pytest.raises(Abort):
        build(started(root / "mkdocs.yml"))
    said = "\n".join(record.getMessage() for record in caplog.records)
    assert f"released version {OLD}, all locales: the document rebuilt from its snapshot has digest" in said
    assert f"but its changelog entry records {json.loads(digests_of(OLD))['all']}" in said
    assert "the first part that differs is /sections/intro" in said
    assert not (root / "site" / "index.html").exists()


# -- what an insider might try, found by review --------------------------------------------------------------


def test_a_back_dated_release_is_caught_against_the_revision_it_follows(repo: Path, capsys) -> None:
    edited(repo)
    assert release_on("2025-10-01", ["release", NEW, "--change", "editorial", *SUMMARIES, "--path", str(repo)]) == 0
    commit(repo, "a release that says it was published last year")
    code, errors = check_against(repo, "HEAD~1", capsys)
    committed = git(repo, "show", "-s", "--format=%cs", "HEAD~1").strip()
    assert code == 1
    assert any(
        f"version {NEW} is new since HEAD~1, but says it was published on 2025-10-01, before HEAD~1 was committed "
        f"({committed})" in line
        for line in errors
    )


def test_the_notice_period_owed_is_the_one_the_version_in_force_promised(tmp_path: Path, capsys) -> None:
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    notice = root / "notice" / "notice.yaml"
    notice.write_text(notice.read_text("utf-8").replace("notice_period_days: 30", "notice_period_days: 0"), "utf-8")
    assert release_on("2025-11-28", ["release", NEW, "--change", "material", *SUMMARIES, "--path", str(root)]) == 1
    assert "a material change needs 30 days' notice (notice_period_days), and this one gives 3" in (
        capsys.readouterr().err
    )


def test_a_file_added_to_a_snapshot_is_an_error(tmp_path: Path, run_check) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    (snapshot_dir(root, OLD) / "README").write_text("unread\n", encoding="utf-8")
    assert (
        f"notice/versions/{OLD}/README:1:1: error: released version {OLD} was changed: notice/versions/{OLD}/README "
        "is not part of it (a released version holds only what `notice release` wrote: remove it)"
    ) in run_check(root).lines()


def test_an_edited_digests_file_is_an_error(tmp_path: Path, run_check) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    parts = snapshot_dir(root, OLD) / PARTS_FILE
    recorded = json.loads(parts.read_text(encoding="utf-8"))
    recorded["en"]["/sections/intro"] = "0" * 64
    parts.write_text(json.dumps(recorded), encoding="utf-8")
    assert any(
        f"released version {OLD}, locale 'en': its DIGESTS.json does not match its documents" in line
        for line in run_check(root).lines()
    )


def test_a_publication_in_the_future_is_an_error(tmp_path: Path, run_check) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    with today_is("2025-09-22"):
        assert any(
            f"version {OLD} is published on 2025-09-23, after today (2025-09-22)" in line
            for line in run_check(root).lines()
        )


def test_a_correction_may_not_change_facts_or_the_outline(tmp_path: Path, capsys) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "project")
    data = root / "notice" / "data" / "subprocessors.yaml"
    data.write_text(data.read_text("utf-8") + "\n# a comment is a change of the file too\n", "utf-8")
    assert corrected(root) == 1
    assert (
        "a correction mends the wording of the text (locales/*/notice.yaml) only, but "
        "notice/data/subprocessors.yaml changed"
    ) in capsys.readouterr().err


def test_a_text_a_later_version_replaced_cannot_be_corrected(tmp_path: Path, capsys) -> None:
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    assert release_on("2025-10-01", ["release", NEW, "--change", "editorial", *SUMMARIES, "--path", str(root)]) == 0
    assert corrected(root) == 1
    assert f"version {NEW} already replaced the text of {OLD}: a correction now would change what that version" in (
        capsys.readouterr().err
    )


def test_a_site_string_edited_later_does_not_change_what_a_released_version_says(tmp_path: Path) -> None:
    root = three_versions(tmp_path)  # the DPO's missing address is written with contact_address_missing
    site, _ = load_site(root, datetime.date(2025, 1, 1))
    before = documents.api_files(site, "https://example.org/")["v/2024-09-01/en.json"]
    ui = root / "locales" / "en" / "site.yaml"
    ui.write_text(ui.read_text("utf-8").replace("e-mail address not available", "write to x@attacker.example"))
    site, _ = load_site(root, datetime.date(2025, 1, 1))
    after = documents.api_files(site, "https://example.org/")["v/2024-09-01/en.json"]
    assert "e-mail address not available" in json.dumps(after) and "attacker" not in json.dumps(after)
    assert after == before


def test_a_second_release_waits_for_the_first_then_reads_the_changelog_it_wrote(tmp_path: Path) -> None:
    """Two `notice release` of the same text at once: the second waits until the first has written its entry,
    then finds the text released (before, both went ahead, and the changelog kept one entry of two)."""
    import os
    import sys
    import time

    from noticegen.commands.release import release_lock

    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    epoch = int(datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC).timestamp())
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}

    def release(day: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "noticegen.cli", "release", day, "--change", "material", *SUMMARIES]
        return subprocess.Popen([*command, "--path", str(root)], env=environment, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip

    changelog = (root / "notice/changelog.yaml").read_bytes()
    waiting = "notice release: another release of this notice is under way: waiting for it\n"
    with release_lock(root, waiting=lambda: None):  # a release under way
        processes = [release("2025-11-20"), release("2025-11-21")]
        time.sleep(5)  # time enough for either to write, had it not waited
        assert (root / "notice/changelog.yaml").read_bytes() == changelog
        assert [path.name for path in (root / "notice/versions").iterdir()] == [OLD]
    outcomes = {process.wait(timeout=120): process.communicate() for process in processes}
    assert sorted(outcomes) == [0, 1]
    assert outcomes[0][1] == waiting
    assert outcomes[1][1].startswith(waiting)
    assert "notice release: nothing changed since version 2025-11-2" in outcomes[1][1]
    entries = yaml.safe_load((root / "notice/changelog.yaml").read_text(encoding="utf-8"))
    assert len(entries) == 2 and len(list((root / "notice/versions").iterdir())) == 2
    assert check_notice(root).report.errors == []


def test_the_staging_folder_of_a_stopped_release_is_reported_and_removed_by_the_next(tmp_path: Path, run_check) -> None:
    """A release killed before its rename leaves its staging folder (never a version, never an entry): the check
    says so, and the next release, which no other runs beside, removes it."""
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    stopped = root / "notice/versions/.release-k1ll3d"
    (stopped / "locales/en").mkdir(parents=True)
    (stopped / "locales/en/notice.yaml").write_text("title: half\n", encoding="utf-8")
    assert run_check(root).lines() == [
        "notice/versions/.release-k1ll3d:1:1: warning: left by a `notice release` that was stopped before its end: "
        "it released nothing (the next `notice release` removes it, or remove it yourself)"
    ]
    precious = tmp_path / "precious"
    (precious / "keep.txt").parent.mkdir()
    (precious / "keep.txt").write_text("mine\n", encoding="utf-8")
    (root / "notice/versions/.release-link").symlink_to(precious)  # no release made that: never followed
    assert release_on("2025-10-01", ["release", NEW, "--change", "material", *SUMMARIES, "--path", str(root)]) == 0
    assert not stopped.exists()
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    (root / "notice/versions/.release-link").unlink()
    assert run_check(root, "--strict").lines() == []
    umask = os.umask(0)
    os.umask(umask)
    assert (root / "notice/versions" / NEW).stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700


def test_a_material_change_dated_in_the_past_is_refused_as_such_not_as_negative_notice(tmp_path: Path, capsys) -> None:
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    assert (
        release_on("2025-10-01", ["release", "2025-09-25", "--change", "material", *SUMMARIES, "--path", str(root)])
        == 1
    )
    said = capsys.readouterr().err
    assert "notice release: the effective date 2025-09-25 is in the past (today is 2025-10-01)" in said
    assert "days' notice" not in said


def test_a_released_version_that_does_not_load_stops_the_release_with_its_problems(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from noticegen import cli
    from noticegen.core.diagnostics import Location, Report
    from noticegen.model.site import SiteError

    report = Report()
    report.error(Location("notice/versions/2025-09-23/notice/notice.yaml", 19, 5), "locale 'en_GB' has no site.yaml")

    def fails(*_: object) -> None:
        raise SiteError(report)

    monkeypatch.setattr(cli, "make_release", fails)
    root = edited(copy_notice(BOTPRESS, tmp_path / "project"))
    assert release_on("2025-10-01", ["release", NEW, "--change", "material", *SUMMARIES, "--path", str(root)]) == 1
    assert capsys.readouterr().err.endswith(
        "notice/versions/2025-09-23/notice/notice.yaml:19:5: error: locale 'en_GB' has no site.yaml\n"
        "notice release: a released version does not load; nothing was written\n"
    )
