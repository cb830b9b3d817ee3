"""The notice as Markdown: references and cross-references render in the page's own language."""

from __future__ import annotations

import pytest

from conftest import BOTPRESS, MINIMAL
from noticegen.checks.notice import check_notice
from noticegen.model.notice import Section, build_notice
from noticegen.render.notice_page import body_html, escape, render_page, render_plain_text


@pytest.fixture(scope="module")
def minimal():
    return build_notice(check_notice(MINIMAL))


def test_every_section_is_a_heading_with_its_id_at_its_level(minimal) -> None:
    page = render_page(minimal, "fr")
    assert "# Avis de confidentialité {#notice-title}\n" in page
    assert "## Introduction {#intro}\n" in page
    assert "## Vos droits {#rights}\n" in page
    assert "### Accès {#rights-access}\n" in page


def test_an_empty_cross_reference_shows_the_target_title_in_the_page_language(minimal) -> None:
    assert 'See <a href="#rights">Your rights</a>.' in render_page(minimal, "en")
    assert 'Voir <a href="#rights">Vos droits</a>.' in render_page(minimal, "fr")


def test_a_contact_renders_as_a_mailto_link_or_says_plainly_that_the_address_is_missing(minimal) -> None:
    page = render_page(minimal, "fr")
    assert 'Écrivez à <a href="mailto:privacy@example.com">privacy@example.com</a>' in page
    assert "à notre DPD à <em>adresse électronique non disponible</em>." in page


def test_the_address_block_uses_the_country_name_of_the_page_language(minimal) -> None:
    assert "Rep BV\nMain Street 1\n1000 Brussels\nBelgique" in render_plain_text(minimal, "fr")
    assert "1000 Brussels\nBelgium" in render_plain_text(minimal, "en")


def test_titles_are_escaped_so_they_show_as_written() -> None:
    assert escape("Schedule 1 - *all* [sub]_processors_ <b> & {x}") == (
        "Schedule 1 \\- \\*all\\* \\[sub\\]\\_processors\\_ &lt;b&gt; &amp; \\{x\\}"
    )


def test_bundled_notice_renders_data_in_each_language() -> None:
    notice = build_notice(check_notice(BOTPRESS))
    zh, en = render_plain_text(notice, "zh"), render_plain_text(notice, "en")
    assert "1017 DR Amsterdam\n荷兰" in zh
    assert "1017 DR Amsterdam\nNetherlands" in en
    assert "电子邮件地址不可用" in zh and "e-mail address not available" in en
    assert "[email" not in zh + en


def test_each_body_is_rendered_on_its_own_so_a_link_definition_reaches_no_other_section() -> None:
    notice = build_notice(check_notice(MINIMAL))
    page = render_page(notice, "en")
    assert page.count('<div class="notice-body">') == 3  # intro, contact and rights-access
    # Rendered alone, a reference to a definition that would sit in another body stays text.
    alone = body_html(notice, "en", Section("intro", None, 1, 1, ()), "See ![x][trk] and [y][js].")
    assert "<a" not in alone and "<img" not in alone and "![x][trk]" in alone


def test_markdown_is_rendered_by_one_reused_converter_as_a_new_one_would_render_it() -> None:
    """One Python-Markdown instance renders every text (and each distinct text once): a link definition,
    a heading's id or an HTML block of one text never reaches the next."""
    import markdown

    from noticegen.text.clauses import markdown_with_clauses
    from noticegen.text.markup import MARKDOWN_EXTENSIONS, markdown_to_html

    texts = [
        "[trk]: https://tracker.example\n\n# Heading\n\n<div markdown>*a*</div>",
        "See [x][trk].\n\n# Heading\n\n<div markdown>*b*</div>",
        "A line\\\nbroken, `code\\`.",
        "See [x][trk].\n\n# Heading\n\n<div markdown>*b*</div>",
    ]
    for text in texts:
        assert markdown_to_html(text) == markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)
    assert "<a" not in markdown_to_html(texts[1]) and "[x][trk]" in markdown_to_html(texts[1])
    first, clauses = markdown_with_clauses("[§a] One.\n\n[§b] Two.", permalink_title="Link", aliases={"a": ["old"]})
    clauses.append("changed by a caller")
    again, clauses_again = markdown_with_clauses(
        "[§a] One.\n\n[§b] Two.", permalink_title="Link", aliases={"a": ["old"]}
    )
    assert (again, [clause.id for clause in clauses_again]) == (first, ["a", "b"])
    plain, _ = markdown_with_clauses("[§a] One.\n\n[§b] Two.")
    assert 'id="old"' in first and "Link" in first and 'id="old"' not in plain and "Link" not in plain
