"""Line breaks inside a paragraph, and what answers a lead-in. A backslash at the end of a line is the one way
to break a line (an address written line by line), and the site publishes it as the checker reads it; a lead-in
answered by such lines or by a reference alone on its paragraph is no lost list. The checker's messages for the
other forms are in tests/check_cases/ (backslash-*, line-break-with-trailing-spaces, address-lines-run-together,
lead-in-*)."""

from __future__ import annotations

import pytest

from conftest import MINIMAL, copy_notice
from noticegen.checks.markdown_scan import lead_ins_without_list, scan_body
from noticegen.checks.notice import check_notice
from noticegen.model.notice import build_notice
from noticegen.render.notice_page import render_page
from noticegen.render.redline import section_text
from noticegen.text.markup import markdown_to_html

ADDRESS = "Privacy Team\\\nMain Street 1\\\n1000 Brussels"


def test_a_backslash_at_a_line_end_breaks_the_line() -> None:
    assert markdown_to_html(ADDRESS) == "<p>Privacy Team<br />\nMain Street 1<br />\n1000 Brussels</p>"
    assert markdown_to_html("- Privacy Team\\\n  Main Street 1") == (
        "<ul>\n<li>Privacy Team<br />\n  Main Street 1</li>\n</ul>"
    )


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("a folder: C:\\\\\nthen text", "<p>a folder: C:\\\nthen text</p>"),  # an escaped backslash is text
        ("`C:\\`\nthen text", "<p><code>C:\\</code>\nthen text</p>"),  # so is one in code
        ("the end.\\", "<p>the end.\\</p>"),  # and one that ends the paragraph (the checker warns)
    ],
)
def test_a_backslash_that_breaks_no_line_is_text_as_the_checker_reads_it(markdown: str, html: str) -> None:
    assert markdown_to_html(markdown) == html


@pytest.mark.parametrize(
    "answer",
    [
        "{{contact:privacy}}",
        "{{data:representative.address}}",
        "{{table:cookies}}",  # any reference alone on its paragraph is a block, whatever kinds there are
        "{{address:dpo}}",
        ADDRESS,
        "Privacy Team\nMain Street 1",  # lines without breaks: not a lost list (the checker says they run on)
    ],
)
def test_a_lead_in_answered_by_an_address_or_a_reference_is_no_missing_list(answer: str) -> None:
    assert lead_ins_without_list(scan_body(f"Write to us by mail at:\n\n{answer}\n"), has_subsections=False) == []


@pytest.mark.parametrize("following", ["", "This is prose on one line.", "Write to {{contact:privacy}} today."])
def test_a_lead_in_followed_by_prose_or_nothing_is_a_missing_list(following: str) -> None:
    found = lead_ins_without_list(scan_body(f"We also collect:\n\n{following}\n"), has_subsections=False)
    assert [paragraph.content for paragraph in found] == ["We also collect:"]


@pytest.fixture(scope="module")
def notice_with_an_address(tmp_path_factory: pytest.TempPathFactory):
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("address") / "notice")
    path = root / "locales/en/notice.yaml"
    written = "      Or write to us by mail at:\n\n      " + ADDRESS.replace("\n", "\n      ") + "\n"
    reference = "      {{data:representative.address}}\n"
    text = path.read_text(encoding="utf-8").replace(reference, reference + "\n" + written)
    path.write_text(text, encoding="utf-8")
    checked = check_notice(root)
    assert [str(d) for d in checked.report.errors + checked.report.warnings] == []
    return build_notice(checked)


def test_an_address_typed_as_lines_is_published_as_lines(notice_with_an_address) -> None:
    page = render_page(notice_with_an_address, "en")
    assert "<p>Or write to us by mail at:</p>\n<p>Privacy Team<br />\nMain Street 1<br />\n1000 Brussels</p>" in page
    assert "Privacy Team\nMain Street 1\n1000 Brussels" in section_text(notice_with_an_address, "en", "contact")


def test_a_line_break_without_a_backslash_is_a_space_in_the_text_and_rewrapping_is_no_change() -> None:
    """A paragraph's lines are one line of text (a browser shows their breaks as spaces), in the redline and in
    the JSON's `text`: a paragraph wrapped anew in the source shows no change."""
    from noticegen.render.redline import inline_diff
    from noticegen.text.markup import html_to_text

    def text(markdown: str) -> str:
        return html_to_text(markdown_to_html(markdown))

    old = text("We do not use\nadvertising cookies.\n\n- one item\n  wrapped\n- two")
    new = text("We do not use advertising\ncookies.\n\n- one item wrapped\n- two")
    assert old == new == "We do not use advertising cookies.\none item wrapped\ntwo"
    assert (
        inline_diff(old, new, "en", "inserted:", "deleted:")
        == "We do not use advertising cookies.<br>one item wrapped<br>two"
    )
    assert text(ADDRESS) == "Privacy Team\nMain Street 1\n1000 Brussels"  # a break made with a backslash stays
    assert text("我们收集\n您的信息，\n包括 Botpress\n账户。") == "我们收集您的信息，包括 Botpress 账户。"
    assert text("请通过以下方式\n**联系我们**。") == "请通过以下方式联系我们。"  # a break beside markup too
    assert text("私たちは\n`コード`を使います。") == "私たちはコードを使います。"
    assert text("𠮷野家で\n𠮷") == "𠮷野家で𠮷"  # an ideograph beyond the first plane
    assert text("한국어\n텍스트") == "한국어 텍스트"  # Korean is written with spaces


def test_a_table_row_is_a_line_of_text_with_its_cells_apart() -> None:
    """In the redline and the JSON's `text`, a table reads row by row, a cell's words never run into the next's."""
    from noticegen.text.markup import html_to_text

    table = "| Data | Kept for |\n|---|---|\n| Support tickets | 2 years |\n| Invoices | 10 years |"
    assert html_to_text(markdown_to_html(table)) == "Data | Kept for\nSupport tickets | 2 years\nInvoices | 10 years"
