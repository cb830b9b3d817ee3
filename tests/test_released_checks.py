"""A build checks the released versions side by side (mkdocs_plugin.plugin.checked_apart): the same notices as
checking them one after the other, and the same error, the earliest broken version's."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, copy_notice, release_on, replace_once
from noticegen.mkdocs_plugin.plugin import checked_apart
from noticegen.model import site as site_model
from noticegen.model.site import SiteError, released_notices
from noticegen.source.versions import snapshot_dir

VERSIONS = ("2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal notice released four times, its introduction reworded before each release but the first."""
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("released") / "project")
    for number, effective in enumerate(VERSIONS):
        if number:
            before = "We care" if number == 1 else f"({number - 1})"
            replace_once(root / "locales/en/notice.yaml", before, f"({number})")
        summaries = ["--summary", f"en=Version {number}.", "--summary", f"fr=Version {number}."]
        arguments = ["release", effective, "--change", "material", *summaries, "--path", str(root)]
        assert release_on("2026-01-01", arguments) == 0
    return root


def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing checked yet in this process."""
    monkeypatch.setattr(site_model, "_RELEASED", {})


def test_versions_checked_apart_are_those_checked_one_after_the_other(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh(monkeypatch)
    serial = released_notices(project, VERSIONS)
    fresh(monkeypatch)
    apart = checked_apart(2, project, VERSIONS)
    assert list(apart) == list(VERSIONS)
    assert apart == serial
    assert "(3)" in apart[VERSIONS[3]].texts["en"].sections["intro"].body


def test_the_error_is_the_earliest_broken_versions(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = copy_notice(project, tmp_path / "broken")
    for version in (VERSIONS[2], VERSIONS[1]):  # in both groups of two: 1 is checked with 3, 2 with 0
        snapshot = snapshot_dir(broken, version) / "locales/en/notice.yaml"
        snapshot.write_text(snapshot.read_text(encoding="utf-8") + f"stray_{version[5:7]}: 1\n", encoding="utf-8")
    fresh(monkeypatch)
    with pytest.raises(SiteError) as serial:
        released_notices(broken, VERSIONS)
    fresh(monkeypatch)
    with pytest.raises(SiteError) as apart:
        checked_apart(2, broken, VERSIONS)
    assert [str(d) for d in apart.value.report.diagnostics] == [str(d) for d in serial.value.report.diagnostics]
    assert "stray_03" in str(apart.value.report.diagnostics[0])
