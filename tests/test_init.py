"""`notice init`: a new company's notice project that builds and tests at once, also outside this repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT
from noticegen.cli import main
from noticegen.commands.init import Settings, init_project, starter_files

BIN = Path(sys.executable).parent
STARTER = PROJECT / "scripts" / "noticegen" / "commands" / "starter"
ARTICLE_13 = [
    "controller",
    "data-protection-officer",
    "purposes-and-legal-bases",
    "legitimate-interests",
    "recipients",
    "international-transfers",
    "retention",
    "your-rights",
    "withdrawing-consent",
    "complaints",
    "statutory-or-contractual-requirement",
    "automated-decisions",
]


def settings(**changes: str) -> Settings:
    values = {
        "controller": "Acme GmbH",
        "locale": "de",
        "locale_name": "Deutsch",
        "site_url": "https://acme.example/datenschutz/",
        "email": "datenschutz@acme.example",
    }
    return Settings(**{**values, **changes})


def test_a_new_project_passes_the_strict_check_with_one_section_per_article_13_heading(tmp_path: Path, run_check):
    target = tmp_path / "acme"
    init_project(target, settings(), requirement="noticegen==0.1.0")
    notice = yaml.safe_load((target / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in notice["outline"]] == ARTICLE_13
    assert notice["controller"]["name"] == "Acme GmbH"
    assert list(notice["locales"]["available"]) == ["de"]
    mkdocs_yml = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: https://acme.example/datenschutz/" in mkdocs_yml
    assert "locale: " not in mkdocs_yml  # notice/notice.yaml is the one list of locales
    for path in (".gitignore", ".github/workflows/site.yml", "generated/.gitignore", "locales/de/site.yaml"):
        assert (target / path).is_file(), path
    assert (target / "requirements" / "noticegen.txt").read_text(encoding="utf-8").endswith("noticegen==0.1.0\n")
    run = run_check(target, "--strict")
    assert run.exit_code == 0, run.output
    assert run.summary == "notice check (strict) passed: 0 errors, 0 warnings, 0 acknowledged known gaps"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"controller": "</title><script>x</script>"}, "--controller '</title><script>x</script>' must be a plain"),
        ({"controller": "Acme\nGmbH"}, "must be a plain, single-line name"),
        ({"locale": "german"}, "--locale 'german' is not a language tag such as en, de or pt-BR"),
        ({"site_url": "acme.example"}, "--site-url 'acme.example' must be an absolute http(s) address"),
        ({"site_url": "javascript:alert(1)"}, "must be an absolute http(s) address"),
        ({"email": "nobody"}, "--email 'nobody' is not an e-mail address"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(tmp_path: Path, capsys, change, message) -> None:
    chosen = settings(**change)
    target = tmp_path / "acme"
    code = main(
        [
            "init",
            str(target),
            "--controller",
            chosen.controller,
            "--locale",
            chosen.locale,
            "--site-url",
            chosen.site_url,
            "--email",
            chosen.email,
        ]
    )
    assert code == 1
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys) -> None:
    target = tmp_path / "acme"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    assert main(["init", str(target)]) == 1
    assert f"{target} already exists and is not empty: choose a new folder; nothing was written" in (
        capsys.readouterr().err
    )
    assert [path.name for path in target.iterdir()] == ["notes.txt"]


def test_the_starter_carries_this_projects_locks() -> None:
    """`make lock` copies them; a starter with other pins would build another site."""
    assert (STARTER / "requirements" / "site.txt").read_bytes() == (PROJECT / "requirements" / "site.txt").read_bytes()
    assert (STARTER / "requirements" / "test.txt").read_bytes() == (
        PROJECT / "requirements" / "starter-test.txt"
    ).read_bytes()


def test_the_starter_workflow_is_this_projects_without_its_own_extras() -> None:
    """The same pinned actions, keep-alive and deploy; less the engines job and Node (no npm packages there)."""
    ours = yaml.safe_load((PROJECT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    theirs = yaml.safe_load((STARTER / "github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    del ours["jobs"]["engines"]
    del ours["jobs"]["build"]["env"]
    ours["jobs"]["build"]["steps"] = [
        step for step in ours["jobs"]["build"]["steps"] if "setup-node" not in step.get("uses", "")
    ]
    assert theirs == ours


def test_the_starter_is_packaged_whole() -> None:
    files = starter_files()
    assert {"Makefile", "mkdocs.yml", "README.md", "gitignore", "github/workflows/site.yml"} <= set(files)
    assert "tests/test_notice.py" in files and "locales/LOCALE/notice.yaml" in files


def test_python_m_noticegen_prints_the_version() -> None:
    result = subprocess.run([sys.executable, "-m", "noticegen", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == "notice (noticegen) 0.1.0"


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_wheel_installed_outside_the_repository_makes_a_project_that_builds_and_tests(tmp_path: Path) -> None:
    """As a company would: install the wheel (as pipx would, in its own venv), `notice init acme`, then
    `make site && make test` in acme, with nothing from this repository but the wheel."""
    dist = tmp_path / "dist"
    run([str(BIN / "python"), "-m", "build", "--no-isolation", "--wheel", "--outdir", str(dist), str(PROJECT)], PROJECT)
    wheel = next(dist.glob("noticegen-*.whl"))
    tool = tmp_path / "tool"
    run([sys.executable, "-m", "venv", str(tool)], tmp_path)
    pip = [str(tool / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "--no-deps", "-r", str(PROJECT / "requirements" / "site.txt")], tmp_path)
    run([*pip, "--no-deps", str(wheel)], tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # As from a fresh shell: not inside this project's venv, nor inside the `make test` that runs this test.
    inherited = ("VIRTUAL_ENV", "PYTHON", "MAKE", "MFLAGS")
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    run([str(tool / "bin" / "notice"), "init", "acme", "--controller", "Acme Ltd."], elsewhere, clean_env)
    acme = elsewhere / "acme"
    assert (acme / "wheels" / wheel.name).is_file()
    assert f"./wheels/{wheel.name}" in (acme / "requirements" / "noticegen.txt").read_text(encoding="utf-8")
    site = run(["make", "site"], acme, clean_env)
    assert "checked against its SHA-256 hash (pip --require-hashes)" in site.stdout
    page = (acme / "site" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{section}"' in page for section in ARTICLE_13)
    test = run(["make", "test"], acme, clean_env)
    assert "notice check (strict) passed" in test.stdout
    assert any(line.endswith(" passed") or " passed in " in line for line in test.stdout.splitlines())


def test_the_starters_notice_tests_pass_on_this_repositorys_notice() -> None:
    """The tests a new project gets are written for any notice: they hold for the one bundled here too."""
    env = {**os.environ, "NOTICE_PROJECT": str(PROJECT)}
    command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", str(STARTER / "tests" / "test_notice.py")]
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "passed" in result.stdout.splitlines()[-1] and "skipped" not in result.stdout.splitlines()[-1]
