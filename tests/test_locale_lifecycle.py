"""A locale's life: `notice locale add` starts a draft, a build leaves it out, a release that includes it
publishes it with every section marked as it stands. Run on a copy of the bundled project as a translator
would, with the three commands the README gives."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import BOTPRESS, PROJECT, copy_site_project, mkdocs, release_on, today_is
from noticegen.cli import main
from noticegen.source.versions import site_locales

TRANSLATED = {
    "intro": ("Introduction", "Chez Botpress, la vie privée compte."),
    "definitions": ("Définitions", "Les mots employés dans cette déclaration."),
    "security": ("Sécurité", "Nous protégeons vos données personnelles."),
}
RELEASE = ["release", "2026-02-01", "--change", "editorial", "--summary", "en=French added.",
           "--summary", "zh=新增法语版本。"]  # fmt: skip


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def status(root: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    main(["status", "--json", str(root)])
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The bundled project just after `notice locale add fr`, built; and its files before the command."""
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("draft") / "project")
    before = tree(root)
    assert main(["locale", "add", "fr", "--path", str(root)]) == 0
    with today_is("2026-01-10"):
        mkdocs(root, "build", "--strict")
    return root, before


def with_french(root: Path) -> Path:
    """A copy of the bundled project at `root` with French added and three sections translated and stamped."""
    copy_site_project(BOTPRESS, root)
    return add_french(root)


def add_french(root: Path) -> Path:
    """The project at `root` with French added and three sections translated and stamped."""
    assert main(["locale", "add", "fr", "--path", str(root)]) == 0
    text = root / "locales/fr/notice.yaml"
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    for section_id, (title, body) in TRANSLATED.items():
        data["sections"][section_id] = {"title": title, "body": body + "\n"}
    text.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["stamp", "fr", *TRANSLATED, "--path", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with three sections translated into French and a release that includes fr, built."""
    root = with_french(tmp_path_factory.mktemp("published") / "project")
    arguments = [*RELEASE, "--summary", "fr=Ajout du français.", "--locales", "en,zh,fr", "--path", str(root)]
    assert release_on("2026-02-01", arguments) == 0
    with today_is("2026-02-10"):
        mkdocs(root, "build", "--strict")
    return root


def test_a_new_locale_is_a_draft_with_every_section_untranslated(drafted, capsys) -> None:
    root, _ = drafted
    text = (root / "notice/notice.yaml").read_text(encoding="utf-8")
    original = (BOTPRESS / "notice/notice.yaml").read_text(encoding="utf-8")
    added = "    fr:\n      name: Français\n      lang: fr\n      draft: true\n"  # above the comment that follows
    assert text == original.replace("      lang: zh-Hans\n", "      lang: zh-Hans\n" + added, 1)
    french = status(root, capsys)["locales"]["fr"]
    assert french == {"current": 0, "outdated": 0, "untranslated": 52, "total": 52, "percent_current": 0,
                      "draft": True}  # fmt: skip
    assert main(["check", "--strict", str(root)]) == 0


def test_adding_a_locale_touches_only_the_notice_and_the_locales(drafted) -> None:
    root, before = drafted
    after = tree(root)
    changed = {path for path in set(before) | set(after) if before.get(path) != after.get(path)}
    changed = {path for path in changed if not path.startswith(("site/", "generated/", ".cache/"))}  # build outputs
    assert changed == {
        "locales/fr/notice.yaml",
        "locales/fr/site.yaml",
        "notice/notice.yaml",
        "notice/data/representative.yaml",  # the country's name, to translate
    }
    assert (PROJECT / "mkdocs.yml").read_text(encoding="utf-8").count("locale: ") == 0


def test_a_build_does_not_publish_a_draft(drafted) -> None:
    root, _ = drafted
    site = root / "site"
    assert not (site / "fr").exists()
    assert not (site / "api/latest/fr.json").exists()
    assert "/fr/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="fr"' not in (site / "index.html").read_text(encoding="utf-8")


def test_a_preview_shows_the_draft(drafted, tmp_path: Path) -> None:
    root, _ = drafted
    assert [code for code, _ in site_locales(root, preview=True)[0]] == ["en", "zh", "fr"]
    assert [code for code, _ in site_locales(root, preview=False)[0]] == ["en", "zh"]
    with today_is("2026-01-10"):
        assert main(["pages", str(tmp_path / "pages"), "--preview", "--path", str(root)]) == 0
    french = (tmp_path / "pages/fr/index.md").read_text(encoding="utf-8")
    assert 'class="notice-untranslated"' in french


def test_a_release_that_includes_the_draft_publishes_it(published: Path) -> None:
    page = (published / "site/fr/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    for _title, body in TRANSLATED.values():
        assert body in page
    # The rest is the binding Chinese text, marked as such, with a note in French.
    assert re.search(r'<h2 (?=[^>]*\bid="retention")(?=[^>]*\blang="zh-Hans")[^>]*>', page)
    assert '<div class="notice-body" lang="zh-Hans" dir="ltr">' in page
    assert page.count('class="notice-untranslated"') == 49
    states = {
        s["id"]: s["translation"]["status"]
        for s in json.loads((published / "site/api/latest/fr.json").read_text())["sections"]
    }
    assert {section for section, state in states.items() if state == "current"} == set(TRANSLATED)
    assert set(states.values()) == {"current", "untranslated"}


def test_the_release_removes_the_draft_mark_and_nothing_else(published: Path) -> None:
    text = (published / "notice/notice.yaml").read_text(encoding="utf-8")
    original = (BOTPRESS / "notice/notice.yaml").read_text(encoding="utf-8")
    added = "    fr:\n      name: Français\n      lang: fr\n"
    assert text == original.replace("      lang: zh-Hans\n", "      lang: zh-Hans\n" + added, 1)
    entry = yaml.safe_load((published / "notice/changelog.yaml").read_text(encoding="utf-8"))[-1]
    assert entry["translation_only"] is True and entry["change"] == "editorial"
    assert main(["check", "--strict", str(published)]) == 0
    assert main(["verify", str(published / "site")]) == 0


def release_refusal(root: Path, arguments: list[str], capsys) -> list[str]:
    assert release_on("2026-02-01", [*arguments, "--path", str(root)]) == 1
    return capsys.readouterr().err.splitlines()


@pytest.fixture
def with_draft(tmp_path: Path) -> Path:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    assert main(["locale", "add", "fr", "--path", str(root)]) == 0
    return root


def test_a_release_cannot_leave_out_a_published_locale(with_draft: Path, capsys) -> None:
    capsys.readouterr()
    errors = release_refusal(with_draft, [*RELEASE, "--summary", "fr=x", "--locales", "en,fr"], capsys)
    assert (
        "notice release: --locales leaves out zh, which the site publishes: a published locale is in every version "
        "(its lagging sections are published marked as such)"
    ) in errors


def test_a_release_names_an_unknown_locale_and_a_summary_for_a_draft_it_leaves_out(with_draft: Path, capsys) -> None:
    capsys.readouterr()
    errors = release_refusal(with_draft, [*RELEASE, "--summary", "fr=x", "--locales", "en,zh,de"], capsys)
    assert (
        "notice release: --locales names de, which notice/notice.yaml does not declare (declared: en, zh, fr); add "
        "a locale with `notice locale add CODE`"
    ) in errors
    assert (
        "notice release: summary for draft locale(s) fr, which this version does not publish: publish them with "
        "--locales en,zh,fr, or leave their summaries out"
    ) in errors


def test_a_draft_alone_gives_nothing_to_release(with_draft: Path, capsys) -> None:
    capsys.readouterr()
    errors = release_refusal(with_draft, RELEASE, capsys)
    assert errors == [
        "notice release: nothing readers are given changed since version 2025-09-23 (only layout, comments or "
        "locales still in draft): there is nothing to release"
    ]


def test_a_release_of_translations_only_is_editorial(with_draft: Path, capsys) -> None:
    capsys.readouterr()
    arguments = [*RELEASE, "--summary", "fr=x", "--locales", "en,zh,fr"]
    arguments[arguments.index("editorial")] = "material"
    errors = release_refusal(with_draft, [*arguments, "--short-notice", "translation"], capsys)
    assert errors == [
        "notice release: the binding text and the facts are those of version 2025-09-23; only translations "
        "changed: a translation-only release is editorial (--change editorial)"
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["fr!"], "'fr!' is not a locale code: use a code such as fr, de or pt-BR"),
        (["xx"], "'xx' is not a language CLDR knows (a typo?): check the tag; to use it anyway, give the language's "
                 "name in itself with --name and its writing direction with --dir ltr|rtl"),
        (["fr", "--lang", "fr_FR"], "'fr_FR' is not a BCP 47 language tag: use a tag such as fr, pt-BR or zh-Hans"),
        (["zh"], "locale 'zh' is declared already in notice/notice.yaml"),
        (["de", "--name", "Deutsch\u202e"], "--name 'Deutsch\\u202e' is not a usable name: contains the invisible "
                                            "direction control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ],
)  # fmt: skip
def test_locale_add_refuses_and_writes_nothing(tmp_path: Path, capsys, arguments: list[str], message: str) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    before = tree(root)
    assert main(["locale", "add", *arguments, "--path", str(root)]) == 1
    assert capsys.readouterr().err == f"notice locale add: {message}; nothing was written\n"
    assert tree(root) == before


def test_locale_add_never_overwrites_a_folder_it_did_not_write(tmp_path: Path, capsys) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    (root / "locales/fr").mkdir()
    (root / "locales/fr/notes.txt").write_text("mine", encoding="utf-8")
    before = tree(root)
    assert main(["locale", "add", "fr", "--path", str(root)]) == 1
    assert "locales/fr exists already, and this command never overwrites what it did not write" in (
        capsys.readouterr().err
    )
    assert tree(root) == before


def test_a_language_cldr_does_not_know_is_added_with_its_name_and_direction(tmp_path: Path) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    assert main(["locale", "add", "tlh", "--name", "tlhIngan Hol", "--dir", "ltr", "--path", str(root)]) == 0
    declared = yaml.safe_load((root / "notice/notice.yaml").read_text(encoding="utf-8"))["locales"]["available"]
    assert declared["tlh"] == {"name": "tlhIngan Hol", "lang": "tlh", "draft": True}


def test_a_right_to_left_language_is_declared_so(tmp_path: Path) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    assert main(["locale", "add", "ar", "--path", str(root)]) == 0
    declared = yaml.safe_load((root / "notice/notice.yaml").read_text(encoding="utf-8"))["locales"]["available"]
    assert declared["ar"] == {"name": "العربية", "lang": "ar", "dir": "rtl", "draft": True}


def test_the_source_or_default_locale_cannot_be_a_draft(tmp_path: Path, run_check) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    notice = root / "notice/notice.yaml"
    notice.write_text(
        notice.read_text("utf-8").replace("      lang: en\n", "      lang: en\n      draft: true\n"), "utf-8"
    )
    result = run_check(root)
    assert result.lines() == [
        "notice/notice.yaml:15:19: error: default_locale 'en' is a draft locale: it would not be published "
        "(remove `draft: true` from locales.available.en, or choose a published locale as default_locale)"
    ]


def test_a_locale_declared_by_hand_is_not_published_before_a_release_has_it(tmp_path: Path, run_check) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    assert main(["locale", "add", "fr", "--path", str(root)]) == 0
    notice = root / "notice/notice.yaml"
    notice.write_text(notice.read_text("utf-8").replace("      draft: true\n", ""), "utf-8")
    result = run_check(root)
    assert result.lines() == [
        "notice/notice.yaml:23:5: warning: locale 'fr' is in no released version, so it is not published yet (mark "
        "it `draft: true` while it is translated; a release publishes it: `notice release DATE --locales …,fr`)"
    ]
    assert [code for code, _ in site_locales(root, preview=False)[0]] == ["en", "zh"]


def test_before_its_first_version_takes_effect_a_new_locale_s_page_has_the_header(tmp_path: Path) -> None:
    # Released on 2026-01-10 to take effect on 2026-02-01: until then the French page is the version to come,
    # announced by its banner, and the header under the title leads on as on every page, with the rights box
    # and the printed record.
    root = with_french(tmp_path / "project")
    arguments = [*RELEASE, "--summary", "fr=Ajout du français.", "--locales", "en,zh,fr", "--path", str(root)]
    assert release_on("2026-01-10", arguments) == 0
    with today_is("2026-01-20"):
        assert main(["pages", str(tmp_path / "pages"), "--path", str(root)]) == 0
    french = (tmp_path / "pages/fr/index.md").read_text(encoding="utf-8")
    assert 'class="notice-banner' in french
    header = french.split('<div class="notice-header"', 1)[1].split("</nav>", 1)[0]
    assert "](versions/index.md)" in header
    assert 'class="notice-contact' in french and 'class="notice-print-record"' in french


def test_a_locale_published_later_links_and_names_only_the_versions_it_has(tmp_path: Path) -> None:
    """The changelog in a locale published after a correction does not link the versions from before it, and
    a version's page names as alternates only the locales it was published in."""
    import datetime

    from noticegen.mkdocs_plugin.plugin import alternates
    from noticegen.model.site import load_site
    from noticegen.render.pages import site_pages

    root = copy_site_project(BOTPRESS, tmp_path / "project")
    text = root / "locales/en/notice.yaml"
    text.write_text(text.read_text("utf-8").replace("we value privacy", "we value your privacy", 1), "utf-8")
    correction = ["release", "--corrects", "2025-09-23", "--change", "editorial", "--summary", "en=Typo.",
                  "--summary", "zh=错字。", "--path", str(root)]  # fmt: skip
    assert release_on("2025-11-29", correction) == 0
    add_french(root)
    arguments = [*RELEASE, "--summary", "fr=Ajout du français.", "--locales", "en,zh,fr", "--path", str(root)]
    assert release_on("2026-02-01", arguments) == 0
    site, _ = load_site(root, datetime.date(2026, 2, 10))
    pages = site_pages(site, "https://example.org/", default_at_root=True)

    french = pages["fr/changelog/index.md"]
    assert "../versions/2025-09-23/index.md" not in french and "../versions/2025-09-23.1/index.md" not in french
    lines = french.splitlines()  # named, not linked (fr's site strings are still the English ones copied)
    assert r"Correction of the version of 2025\-09\-23" in lines
    assert 'Corrected on <time datetime="2025-11-29">29 novembre 2025</time>' in lines
    assert (
        r"[Correction of the version of 2025\-09\-23](../versions/2025-09-23/index.md)" in pages["changelog/index.md"]
    )

    def languages(locale: str, path: str) -> list[str]:
        return [link["hreflang"] for link in alternates(site, locale, path, "https://example.org/")]

    assert languages("en", "versions/2025-09-23.1/") == ["en", "zh-Hans", "x-default"]
    assert languages("en", "versions/2025-09-23.1/changes/") == ["en", "zh-Hans", "x-default"]
    assert languages("fr", "fr/versions/2026-02-01/") == ["en", "zh-Hans", "fr", "x-default"]
    assert languages("fr", "fr/changelog/") == ["en", "zh-Hans", "fr", "x-default"]


def test_a_locale_code_with_an_underscore_is_released_into_a_changelog_the_check_accepts(
    tmp_path: Path, run_check
) -> None:
    """Every code `notice locale add` accepts can be released: its digest is recorded under its code."""
    from conftest import MINIMAL, copy_notice

    root = copy_notice(MINIMAL, tmp_path / "project")
    assert main(["locale", "add", "en_GB", "--path", str(root)]) == 0
    summaries = ["--summary", "en=x", "--summary", "fr=x", "--summary", "en_GB=x"]
    arguments = ["release", "2026-02-01", "--change", "material", *summaries, "--locales", "en,fr,en_GB"]
    assert release_on("2026-01-01", [*arguments, "--path", str(root)]) == 0
    assert "en_GB" in yaml.safe_load((root / "notice/changelog.yaml").read_text(encoding="utf-8"))[-1]["digests"]
    assert run_check(root, "--strict").lines() == []


def test_a_draft_given_up_after_a_release_leaves_that_release_loading_with_its_own_strings(tmp_path: Path) -> None:
    """A released snapshot declares the drafts of its day: once the project drops one, the snapshot's own copy of
    its site strings stands in for the project's, and the next release goes ahead."""
    import datetime
    import shutil

    from conftest import MINIMAL, copy_notice
    from noticegen.model.site import load_site

    root = copy_notice(MINIMAL, tmp_path / "project")
    kept = {path: (root / path).read_bytes() for path in ("notice/notice.yaml", "notice/data/representative.yaml")}
    assert main(["locale", "add", "en_GB", "--path", str(root)]) == 0
    first = ["release", "2026-02-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-01-01", [*first, "--path", str(root)]) == 0
    for path, content in kept.items():  # the draft given up: as before `notice locale add`
        (root / path).write_bytes(content)
    shutil.rmtree(root / "locales/en_GB")
    site, _ = load_site(root, datetime.date(2026, 3, 1))
    assert [locale.code for locale in site.version("2026-02-01").notice.locales] == ["en", "fr"]
    text = root / "locales/en/notice.yaml"
    text.write_text(text.read_text("utf-8").replace("We care about", "We truly care about"), encoding="utf-8")
    second = ["release", "2026-04-01", "--change", "material", "--summary", "en=y", "--summary", "fr=y"]
    assert release_on("2026-03-01", [*second, "--path", str(root)]) == 0
