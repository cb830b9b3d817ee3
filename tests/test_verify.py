"""`notice verify` as an auditor relies on it: what the index says is checked against the signed documents,
an expectation recorded earlier catches versions removed at the end, a malformed index is a FAILED line, and
no document is read from outside the site's api/ folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from noticegen.cli import main
from noticegen.commands import verify as verify_module

OLD = "2025-09-23"
ALL = f"https://example.github.io/privacy/api/v/{OLD}/notice.json"


def notice_verify(*argv: str) -> int:
    """`notice verify SOURCE [options]`, as the command line runs it."""
    return main(["verify", *argv])


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site / "site", tmp_path / "site"))


def edit_index(site: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    path = site / "api" / "notice.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    change(index)
    path.write_text(json.dumps(index, indent=2), encoding="utf-8")


def failures(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("FAILED: ")]


def chain_of(site: Path) -> str:
    return json.loads((site / "api" / "notice.json").read_text(encoding="utf-8"))["versions"][-1]["chain"]


# -- what the index says, against the documents ------------------------------------------------------------


def entry(index: dict[str, Any]) -> dict[str, Any]:
    return index["versions"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda index: entry(index).update(published="2025-09-01"),
            f'version {OLD}: the index gives published "2025-09-01", its document "{OLD}"',
        ),
        (
            lambda index: entry(index).update(effective_from="2025-09-22"),
            f'version {OLD}: the index gives effective_from "2025-09-22", its document "{OLD}"',
        ),
        (
            lambda index: entry(index).update(effective_until="2026-01-01"),
            f'version {OLD}: the index gives effective_until "2026-01-01", the effective dates of the listed '
            "versions null",
        ),
        (
            lambda index: entry(index).update(change="editorial"),
            f'version {OLD}: the index gives change "editorial", its document "material"',
        ),
        (
            lambda index: entry(index).update(short_notice="A court order."),
            f'version {OLD}: the index gives short_notice "A court order.", its document null',
        ),
        (
            lambda index: entry(index).update(corrects="2025-01-01"),
            f'version {OLD}: the index gives corrects "2025-01-01", its document null',
        ),
        (lambda index: index.update(current="2099-01-01"), 'the index\'s current version "2099-01-01" is not listed'),
        (
            lambda index: entry(index).update(status="archived"),
            f'version {OLD}: its status is "archived", but the index\'s current version is "{OLD}"',
        ),
    ],
)
def test_what_the_index_says_of_a_version_is_checked_against_its_document(site: Path, capsys, change, expected) -> None:
    edit_index(site, change)
    assert main(["verify", str(site)]) == 1
    out = capsys.readouterr().out
    assert failures(out) == [f"FAILED: {expected}"]
    assert out.splitlines()[-1] == "notice verify: failed: 1 problem(s)"


def test_an_id_the_document_does_not_have_is_caught(site: Path, capsys) -> None:
    edit_index(site, lambda index: entry(index).update(id="2025-09-24"))
    assert main(["verify", str(site)]) == 1
    assert failures(capsys.readouterr().out) == [
        'FAILED: version 2025-09-24: the index gives id "2025-09-24", its document "2025-09-23"',
        f'FAILED: the index\'s current version "{OLD}" is not listed',
    ]


def version(version_id: str, effective: str, until: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    entry = {"id": version_id, "effective_from": effective, "effective_until": until, "published": effective}
    document = {"version": {"id": version_id, "effective": effective, "published": effective}}
    return entry, document


def test_effective_until_is_the_day_before_the_next_later_date_and_a_correction_shares_its_date() -> None:
    listed = [
        version(OLD, OLD, "2025-11-30"),
        version(f"{OLD}.1", OLD, "2025-11-30"),
        version("2025-12-01", "2025-12-01", None),
    ]
    entries = [entry for entry, _ in listed]
    documents = {entry["id"]: document for entry, document in listed}
    verdict = verify_module.Verdict()
    verify_module.check_index_fields(entries, documents, verdict)
    assert verdict.lines == []
    entries[1]["effective_until"] = None  # as if the correction were the last version
    entries[2]["effective_until"] = "2026-05-31"
    verify_module.check_index_fields(entries, documents, verdict)
    assert verdict.lines == [
        f"FAILED: version {OLD}.1: the index gives effective_until null, the effective dates of the listed "
        'versions "2025-11-30"',
        'FAILED: version 2025-12-01: the index gives effective_until "2026-05-31", the effective dates of the '
        "listed versions null",
    ]


def test_the_latest_copies_must_be_the_current_versions_files(site: Path, capsys) -> None:
    copy = site / "api" / "latest" / "en.json"
    copy.write_bytes(copy.read_bytes().replace(b'"html"', b'"HTML"', 1))
    (site / "api" / "latest" / "notice.json").unlink()
    assert main(["verify", str(site)]) == 1
    lines = failures(capsys.readouterr().out)
    assert lines[0].startswith(f"FAILED: latest/notice.json is missing: {site.resolve() / 'api' / 'latest'}")
    assert lines[1:] == [f"FAILED: latest/en.json is not a copy of version {OLD}'s en document"]


# -- an outside anchor -------------------------------------------------------------------------------------


def test_it_prints_the_latest_version_and_its_chain_for_the_auditor_to_record(site: Path, capsys) -> None:
    chain = chain_of(site)
    assert notice_verify(str(site), "--expect-chain", chain, "--expect-version", OLD) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        f"latest: {OLD}, chain {chain}",
        "notice verify: passed: 0 problem(s)",
    ]


def test_an_expected_chain_or_version_that_is_no_longer_listed_fails(site: Path, capsys) -> None:
    assert notice_verify(str(site), "--expect-chain", "ab" * 32, "--expect-version", "2025-12-01") == 1
    assert failures(capsys.readouterr().out) == [
        f'FAILED: no listed version has the chain "{"ab" * 32}" (--expect-chain)',
        'FAILED: version "2025-12-01" is not listed (--expect-version)',
    ]


def test_emptied_versions_pass_only_without_an_expectation(site: Path, capsys) -> None:
    chain = chain_of(site)
    edit_index(site, lambda index: index.update(versions=[], current=None))
    assert notice_verify(str(site)) == 0
    assert capsys.readouterr().out.splitlines() == ["ok: no version is listed", "notice verify: passed: 0 problem(s)"]
    assert notice_verify(str(site), "--expect-chain", chain) == 1
    assert failures(capsys.readouterr().out) == [
        "FAILED: no version is listed, but a version was expected (--expect-chain, --expect-version)"
    ]


# -- a malformed index: FAILED lines, never a traceback ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda index: entry(index).update(urls={}),
            f"version {OLD}: the index entry is malformed: urls not as the schema says",
        ),
        (
            lambda index: entry(index).update(urls={"all": ALL, "json": ["en"]}),
            f"version {OLD}: the index entry is malformed: urls not as the schema says",
        ),
        (
            lambda index: index.update(versions=[OLD]),
            f'version #1: the index entry is malformed: "{OLD}" is not an object',
        ),
        (
            lambda index: [entry(index).pop(key) for key in ("chain", "files")],
            f"version {OLD}: the index entry is malformed: no chain, files",
        ),
        (
            lambda index: entry(index).update(id=7, digests=[]),
            "version #1: the index entry is malformed: id, digests not as the schema says",
        ),
        (lambda index: index.update(versions={}), "is not a notice index (no list of versions)"),
    ],
)
def test_a_malformed_index_entry_is_a_failed_line(site: Path, capsys, change, expected) -> None:
    edit_index(site, change)
    assert main(["verify", str(site)]) == 1
    lines = failures(capsys.readouterr().out)
    assert lines[0].endswith(expected)
    assert all("Traceback" not in line for line in lines)


def test_a_version_document_of_another_shape_is_a_failed_line(site: Path, capsys) -> None:
    (site / "api" / "v" / OLD / "notice.json").write_text('[{"version": 1}]', encoding="utf-8")
    (site / "api" / "v" / OLD / "en.json").write_text('{"version": {}, "sections": 3, "x": NaN}', encoding="utf-8")
    assert main(["verify", str(site)]) == 1
    lines = failures(capsys.readouterr().out)
    assert f"FAILED: version {OLD}, all: {ALL} is not a version document" in lines
    assert f"FAILED: version {OLD}, en: unknown schema None" in lines


# -- nothing outside the site's api/ folder ----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://x/api/../../../../etc/hostname",
        "https://x/api/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
        "/api//etc/hostname",
    ],
)
def test_a_local_site_reads_nothing_outside_its_api_folder(site: Path, capsys, address) -> None:
    edit_index(site, lambda index: entry(index)["urls"].update(all=address))
    assert main(["verify", str(site)]) == 1
    assert failures(capsys.readouterr().out)[0] == (
        f"FAILED: version {OLD}: the all document is not read: {address} is outside the site's api/ folder"
    )


def test_a_link_out_of_the_api_folder_is_not_followed(site: Path, tmp_path: Path, capsys) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text("{}", encoding="utf-8")
    document = site / "api" / "v" / OLD / "en.json"
    document.unlink()
    document.symlink_to(secret)
    assert main(["verify", str(site)]) == 1
    address = f"https://example.github.io/privacy/api/v/{OLD}/en.json"
    assert failures(capsys.readouterr().out)[0] == (
        f"FAILED: version {OLD}: the en document is not read: {address} is outside the site's api/ folder"
    )


@contextlib.contextmanager
def served(www: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_site_fetches_nothing_outside_the_index_folder(built_site: Path, tmp_path: Path, capsys) -> None:
    www = tmp_path / "www"
    site = Path(shutil.copytree(built_site / "site", www / "privacy"))
    (www / "elsewhere.json").write_text("{}", encoding="utf-8")
    address = "https://example.github.io/privacy/api/../../elsewhere.json"
    edit_index(site, lambda index: entry(index)["urls"].update(all=address))
    with served(www) as origin:
        assert main(["verify", f"{origin}/privacy/"]) == 1
    assert failures(capsys.readouterr().out)[0] == (
        f"FAILED: version {OLD}: the all document is not read: {address} is outside the site's api/ folder"
    )


# -- a hostile site folder: a FAILED line, never a traceback, a wait or all the memory -----------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.write_text(nested(200_000)), "nested deeper than any notice document"),
        (lambda path: path.write_text(nested(500)), "nested deeper than any notice document (64 levels)"),
        (lambda path: os.mkfifo(path), "is not a file"),  # nothing writes to it: reading would wait for ever
        (lambda path: path.symlink_to("/dev/zero"), "is not a file"),  # reading would never end
    ],
    ids=["recursion", "deep", "fifo", "device"],
)
def test_an_index_that_cannot_be_read_as_a_document_is_a_failed_line(site: Path, capsys, make, expected) -> None:
    index = site / "api" / "notice.json"
    index.unlink()
    make(index)
    assert main(["verify", str(site)]) == 1
    lines = failures(capsys.readouterr().out)
    assert len(lines) == 1 and lines[0].startswith("FAILED: the index cannot be read: ")
    assert lines[0].endswith(expected)


def test_a_version_document_nested_too_deep_is_a_failed_line(site: Path, capsys) -> None:
    (site / "api" / "v" / OLD / "en.json").write_text(nested(900), encoding="utf-8")
    assert main(["verify", str(site)]) == 1
    assert any("en.json: nested deeper than any notice document" in line for line in failures(capsys.readouterr().out))


class Trickle(http.server.BaseHTTPRequestHandler):
    """A server that answers, then sends one byte of its document every tenth of a second, for ever."""

    def do_GET(self) -> None:
        import time

        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:  # verify gave up and closed the connection
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_document_that_never_finishes_arriving_is_a_failed_line(capsys, monkeypatch) -> None:
    """Each read gets a byte well within its timeout: only a deadline for the whole document ends it."""
    monkeypatch.setattr(verify_module, "DOWNLOAD_SECONDS", 1.0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}/privacy/"
        assert main(["verify", address]) == 1
    finally:
        server.shutdown()
        server.server_close()
    assert failures(capsys.readouterr().out) == [
        f"FAILED: the index cannot be read: {address}api/notice.json took more than 1 s to download"
    ]
