"""`notice init`: a new company's notice project that builds and tests at once, also outside this repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT
from noticegen.cli import main
from noticegen.commands import init as init_module
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
        ({"site_url": "https://[acme.example/"}, "--site-url 'https://[acme.example/' must be an absolute http(s)"),
        (
            {"site_url": "https://acme.example/privacy/?a=1#x"},
            "--site-url 'https://acme.example/privacy/?a=1#x' must not have a query (?…) or a fragment (#…): "
            "give the site's folder; nothing was written",
        ),
        (
            {"site_url": "https://acme.example/privacy/#x"},
            "--site-url 'https://acme.example/privacy/#x' must not have a query (?…) or a fragment (#…)",
        ),
        (
            {"site_url": "https://acme.example/pri vacy/"},
            "--site-url 'https://acme.example/pri vacy/' must not contain whitespace (write a space as %20); "
            "nothing was written",
        ),
        (
            {"site_url": "https://acme.example/privacy\t/"},
            "--site-url 'https://acme.example/privacy<U+0009>/' must not contain whitespace",
        ),
        (
            {"site_url": 'https://acme.example/"privacy"/'},
            "--site-url 'https://acme.example/\"privacy\"/' contains '\"', which an address cannot hold as it is "
            "(escape it as %XX); nothing was written",
        ),
        (
            {"site_url": "https://acme.example/datenschütz/"},
            "--site-url 'https://acme.example/datenschütz/' contains 'ü', which an address cannot hold as it is",
        ),
        (
            {"site_url": "https://acme.example/100%/"},
            "--site-url 'https://acme.example/100%/' has a '%' that is not followed by two hexadecimal digits",
        ),
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


def test_a_site_url_that_is_a_folder_without_its_slash_gets_one(tmp_path: Path) -> None:
    """Pages and hreflang links are the site URL followed by a path: without the slash they would run on."""
    target = tmp_path / "acme"
    init_project(target, settings(site_url="https://acme.example/daten%20schutz"), requirement="noticegen==0.1.0")
    mkdocs_yml = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: https://acme.example/daten%20schutz/\n" in mkdocs_yml


class EditableInstall:
    """What importlib.metadata gives for noticegen installed with `pip install -e FOLDER` (PEP 610)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return json.dumps({"dir_info": {"editable": True}, "url": self.folder.as_uri()})


def test_made_from_an_editable_install_it_warns_that_the_workflow_cannot_install_that_folder(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    source = tmp_path / "noticegen-source"
    source.mkdir()
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: EditableInstall(source))
    target = tmp_path / "acme"
    assert main(["init", str(target)]) == 0
    requirements = (target / "requirements" / "noticegen.txt").read_text(encoding="utf-8")
    assert requirements.endswith(
        "# a folder on this machine, which the project's GitHub workflow cannot install: replace this line with a "
        f"release or a git URL.\nnoticegen @ {source.as_uri()}\n"
    )
    assert capsys.readouterr().err == (
        f"notice init: warning: {target / 'requirements' / 'noticegen.txt'} installs noticegen from "
        f"{source.as_uri()}, a folder on this machine, which the project's GitHub workflow cannot install: put a "
        "release (noticegen==0.1.0) or a git URL there, or make the project with --noticegen REQUIREMENT\n"
    )


def test_a_chosen_requirement_is_written_without_a_warning(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: EditableInstall(tmp_path))
    target = tmp_path / "acme"
    requirement = "noticegen @ git+https://github.com/acme/noticegen@v0.1.0"
    assert main(["init", str(target), "--noticegen", requirement]) == 0
    assert (
        (target / "requirements" / "noticegen.txt")
        .read_text(encoding="utf-8")
        .endswith("# or a release from the package index.\n" + requirement + "\n")
    )
    assert capsys.readouterr().err == ""


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
    for lock in ("build.txt", "site.txt"):
        assert (STARTER / "requirements" / lock).read_bytes() == (PROJECT / "requirements" / lock).read_bytes()
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
    # The build tools first, as the Makefiles install them: a source package of the lock is built with them.
    run([*pip, "--require-hashes", "--no-deps", "-r", str(PROJECT / "requirements" / "build.txt")], tmp_path)
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


@pytest.mark.parametrize(
    ("arguments", "locale", "name"),
    [
        (["--locale", "en"], "en", "English"),
        (["--locale", "de"], "de", "Deutsch"),
        (["--locale", "pt-BR"], "pt-BR", "Português (Brasil)"),
        (["--locale", "de", "--locale-name", "Deutsch (Schweiz)"], "de", "Deutsch (Schweiz)"),
    ],
)
def test_the_language_is_named_in_itself_unless_named_on_the_command_line(
    tmp_path: Path, arguments: list[str], locale: str, name: str
) -> None:
    """The language switcher and the JSON name the language as its readers do (CLDR), not by its tag."""
    target = tmp_path / "acme"
    assert main(["init", str(target), *arguments, "--noticegen", "noticegen==0.1.0"]) == 0
    notice = yaml.safe_load((target / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    assert notice["locales"]["available"][locale]["name"] == name


def test_the_company_is_shown_with_the_e_mail_address_given(tmp_path: Path) -> None:
    import datetime

    from noticegen.model.site import load_site
    from noticegen.render.contact_box import contact_box

    target = tmp_path / "acme"
    init_project(target, settings(), requirement="noticegen==0.1.0")
    site, _ = load_site(target, datetime.date(2026, 1, 1), preview=True)
    box = contact_box(site.working, "de")
    assert '<a href="mailto:datenschutz@acme.example">datenschutz@acme.example</a>' in box
    assert site.working.ui["de"]["contact_no_email"] not in box
