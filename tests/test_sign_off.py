"""Sign-off: `notice release --approved-by NAME` records who approved a version, in the changelog entry (under
its chain, like every other recorded fact), on the changelog page and in the JSON; notice.yaml's `approvals`
says how many approvers a release needs."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import SECOND_VERSION, edit_retention, release_on, replace_once
from noticegen.cli import main
from noticegen.export.documents import json_schema

SUMMARIES = ["--summary", "en=Retention reworded.", "--summary", "zh=保留期限措辞修改。"]


def release(root: Path, *extra: str, change: str = "material") -> int:
    arguments = ["release", SECOND_VERSION, "--change", change, "--published", "2025-10-15", *SUMMARIES]
    return release_on("2025-10-15", [*arguments, *extra, "--path", str(root)])


@pytest.fixture
def edited(bundled_copy: Path) -> Path:
    edit_retention(bundled_copy)
    assert main(["stamp", "en", "retention", "--path", str(bundled_copy)]) == 0
    return bundled_copy


def last_entry(root: Path) -> dict:
    return yaml.safe_load((root / "notice/changelog.yaml").read_text(encoding="utf-8"))[-1]


def test_the_approvers_are_recorded_in_the_changelog_entry_in_the_order_given(edited, capsys) -> None:
    assert release(edited, "--approved-by", "Ana  Lima", "--approved-by", "Bo Chen (DPO)") == 0
    assert "approved by Ana Lima, Bo Chen (DPO)" in capsys.readouterr().out
    assert last_entry(edited)["approved_by"] == ["Ana Lima", "Bo Chen (DPO)"]
    assert main(["check", "--strict", str(edited)]) == 0


def test_a_release_without_approvers_records_none(edited) -> None:
    assert release(edited) == 0
    assert "approved_by" not in last_entry(edited)


def test_the_sign_off_is_under_the_chain_so_rewriting_it_is_caught(edited, capsys) -> None:
    assert release(edited, "--approved-by", "Ana Lima") == 0
    capsys.readouterr()
    replace_once(edited / "notice/changelog.yaml", "- Ana Lima", "- Someone Else")
    assert main(["check", str(edited)]) == 1
    out = capsys.readouterr().out
    assert f"version {SECOND_VERSION}" in out and "notice/changelog.yaml" in out


def test_the_changelog_page_names_the_approvers_in_the_pages_language(edited, tmp_path) -> None:
    assert release(edited, "--approved-by", "Ana Lima", "--approved-by", "Bo Chen") == 0
    assert main(["pages", str(tmp_path / "out"), "--path", str(edited), "--date", "2026-01-01"]) == 0
    english = (tmp_path / "out/en/changelog/index.md").read_text(encoding="utf-8")
    chinese = (tmp_path / "out/zh/changelog/index.md").read_text(encoding="utf-8")
    assert '<p class="notice-approved-by">Approved by: Ana Lima and Bo Chen</p>' in english
    assert '<p class="notice-approved-by">批准人： Ana Lima和Bo Chen</p>' in chinese


def test_the_json_says_who_approved_the_version(edited, capsys) -> None:
    assert release(edited, "--approved-by", "Ana Lima") == 0
    capsys.readouterr()
    assert main(["export", "--version", SECOND_VERSION, "--locale", "en", "--date", "2026-01-01",
                 "--path", str(edited)]) == 0  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    assert document["version"]["approved_by"] == ["Ana Lima"]
    entries = {entry["version"]: entry for entry in document["changelog"]}
    assert entries[SECOND_VERSION]["approved_by"] == ["Ana Lima"]
    assert "approved_by" not in entries["2025-09-23"]
    validator = jsonschema.Draft202012Validator(json_schema("https://example.org/"))
    assert [error.message for error in validator.iter_errors(document)] == []
    document["version"]["approved_by"] = []  # recorded only when someone approved
    assert not validator.is_valid(document)


def require(root: Path, policy: str) -> None:
    path = root / "notice/notice.yaml"
    path.write_text(path.read_text(encoding="utf-8") + policy, encoding="utf-8")


def test_notice_yaml_may_require_approvals_of_a_material_change(edited, capsys) -> None:
    require(edited, "approvals:\n  material: 2\n")
    assert release(edited, "--approved-by", "Ana Lima") == 1
    assert (
        "notice release: notice/notice.yaml asks for 2 approval(s) of a material change (approvals: material), and "
        "this release names 1: name each approver with --approved-by NAME"
    ) in capsys.readouterr().err
    assert not (edited / "notice/versions" / SECOND_VERSION).exists()
    assert release(edited, "--approved-by", "Ana Lima", "--approved-by", "Bo Chen") == 0


def test_an_editorial_change_needs_only_what_the_policy_asks_of_it(edited) -> None:
    require(edited, "approvals:\n  material: 2\n")
    assert release(edited, change="editorial") == 0


def test_the_same_approver_counts_once(edited, capsys) -> None:
    require(edited, "approvals:\n  material: 2\n")
    assert release(edited, "--approved-by", "Ana Lima", "--approved-by", "ana  lima") == 1
    err = capsys.readouterr().err
    assert "--approved-by names 'ana  lima' twice: each approver counts once" in err
    assert "names 1: name each approver" in err


def test_an_approver_name_is_plain_text_on_one_line(edited, capsys) -> None:
    assert release(edited, "--approved-by", "<b>Ana</b>") == 1
    assert "--approved-by '<b>Ana</b>' may not contain < > \" or ` (write plain text)" in capsys.readouterr().err


def test_a_misspelt_policy_is_an_error_with_its_line(edited, capsys) -> None:
    require(edited, "approvals:\n  materal: 2\n")
    assert main(["check", str(edited)]) == 1
    out = capsys.readouterr().out
    lines = (edited / "notice/notice.yaml").read_text(encoding="utf-8").splitlines()
    assert f"notice/notice.yaml:{len(lines)}:3: error: unknown key 'materal' (did you mean 'material'?)" in out


def test_notice_verify_recomputes_the_chain_over_the_sign_off(edited, tmp_path, capsys) -> None:
    """An auditor's independent check covers the approvers too: the published documents reproduce the chain,
    and a document whose approvers were rewritten does not."""
    from noticegen.export.documents import api_files, serialize
    from noticegen.model.site import load_site

    assert release(edited, "--approved-by", "Ana Lima") == 0
    site, _ = load_site(edited, datetime.date(2026, 1, 1))
    api = tmp_path / "site/api"
    for relative, document in api_files(site, "https://example.org/").items():
        (api / relative).parent.mkdir(parents=True, exist_ok=True)
        (api / relative).write_text(serialize(document), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "site")]) == 0
    whole = api / f"v/{SECOND_VERSION}/notice.json"
    whole.write_text(whole.read_text(encoding="utf-8").replace('"Ana Lima"', '"Someone Else"'), encoding="utf-8")
    assert main(["verify", str(tmp_path / "site")]) == 1
    assert f"version {SECOND_VERSION}" in capsys.readouterr().out


def test_one_name_typed_two_ways_is_one_approver(edited, capsys) -> None:
    """An accent typed as one character or as a letter and a combining mark, full-width letters: the same
    name, however it was typed, counts once."""
    require(edited, "approvals:\n  material: 2\n")
    assert release(edited, "--approved-by", "Jos\u00e9 Lima", "--approved-by", "Jose\u0301 Lima") == 1
    assert "twice: each approver counts once" in capsys.readouterr().err
    assert release(edited, "--approved-by", "Ana Lima", "--approved-by", "\uff21na Lima") == 1
    assert "twice: each approver counts once" in capsys.readouterr().err


def test_a_change_cannot_lower_the_approvals_it_needs(edited, capsys) -> None:
    """The version in force asks for two approvers; lowering the number in the same change does not help."""
    require(edited, "approvals:\n  material: 2\n")
    assert release(edited, "--approved-by", "Ana Lima", "--approved-by", "Bo Chen") == 0
    path = edited / "notice/notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("material: 2", "material: 0"), encoding="utf-8")
    replace_once(edited / "locales/zh/notice.yaml", "所必需的时间内", "所严格必需的时间内")
    assert main(["stamp", "en", "retention", "--path", str(edited)]) == 0
    capsys.readouterr()
    arguments = ["release", "2026-03-01", "--change", "material", "--published", "2026-01-15", *SUMMARIES]
    assert release_on("2026-01-15", [*arguments, "--path", str(edited)]) == 1
    assert (
        "notice release: the latest released version asks for 2 approval(s) of a material change (approvals: "
        "material in its notice.yaml), and this release names 0: lowering the number in the working notice.yaml "
        "applies from the next release; name each approver with --approved-by NAME"
    ) in capsys.readouterr().err
