"""Every page of the site, as Markdown by path (mkdocs-static-i18n's folder layout), and the feeds.

Pure functions of the site model: no I/O. Links between pages are relative `.md` paths, which MkDocs
checks; links to another locale or to a feed are absolute, built from `site_url`.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import itertools
import re
from collections.abc import Callable, Mapping

from noticegen.model.notice import Notice
from noticegen.model.site import Site, Version
from noticegen.render.address_block import address_html
from noticegen.render.contact_box import contact_box
from noticegen.render.description import description, shortened
from noticegen.render.feed import atom_feed
from noticegen.render.front_matter import yaml_entry
from noticegen.render.notice_page import TITLE_ID, escape, note, render_page, summary_block
from noticegen.render.page_header import HeaderLink, page_header, print_record
from noticegen.render.redline import Change, inline_diff, redline, table_diff_html, title_diff_html
from noticegen.text.cldr import names_list
from noticegen.text.dates import long_date, time_element
from noticegen.text.punctuation import colon, in_parentheses, list_separator, sentence_end

FULL_WIDTH_STOPS = ("。", "！", "？", "．")
ARCHIVED_FRONT_MATTER = "search:\n  exclude: true\nrobots: noindex\n"
NOT_SEARCHED_FRONT_MATTER = "search:\n  exclude: true\n"
# The anchors of the versions list's and the changelog's titles, the same in every language (a title in
# Chinese would otherwise get a positional `#_1`); in English they are the ids the titles always had.
VERSIONS_ID = "versions"
CHANGELOG_ID = "changelog"


def locale_url(site_url: str, notice: Notice, locale: str, path: str = "") -> str:
    """The absolute URL of `path` in `locale`: the default locale at the root, others under their code."""
    prefix = "" if locale == notice.default_locale else f"{locale}/"
    return site_url.rstrip("/") + "/" + prefix + path


def json_url(site_url: str, version_id: str, locale: str) -> str:
    """Where one version in one locale is published as JSON (see export.py)."""
    return site_url.rstrip("/") + f"/api/v/{version_id}/{locale}.json"


def pdf_url(site_url: str, notice: Notice, version_id: str, locale: str) -> str:
    """Where one version in one locale is published as PDF (export.pdf): under the locale's root."""
    return locale_url(site_url, notice, locale, f"versions/{version_id}/{locale}.pdf")


def fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def fill_marked_up(template: str, escape_text: Callable[[str], str], **markup: str) -> str:
    """A site string with its words escaped by `escape_text` and each `{placeholder}` replaced by markup
    given as it is (a `<time>` element): escaping the filled string would escape the markup too."""
    if not markup:
        return escape_text(template)
    placeholder = re.compile("|".join(re.escape("{" + key + "}") for key in markup))
    parts, position = [], 0
    for match in placeholder.finditer(template):
        parts += [escape_text(template[position : match.start()]), markup[match.group(0)[1:-1]]]
        position = match.end()
    return "".join([*parts, escape_text(template[position:])])


def dated_markdown(template: str, day: datetime.date, lang: str) -> str:
    """A site string with a `{date}`, as Markdown: the date in the page's language in a <time> element."""
    return fill_marked_up(template, escape, date=time_element(day, lang, escape))


def dated_html(template: str, day: datetime.date, lang: str) -> str:
    """A site string with a `{date}`, as HTML: the date in the page's language in a <time> element."""
    return fill_marked_up(template, html.escape, date=time_element(day, lang))


# A released version's page and redline by (version id, locale, page): see site_pages' `released`.
ReleasedPages = dict[tuple[str, str, str], str]


def site_pages(
    site: Site,
    site_url: str,
    *,
    default_at_root: bool = False,
    pdf: bool = False,
    released: ReleasedPages | None = None,
) -> dict[str, str]:
    """Every page by its path. Each locale has its own folder (mkdocs-static-i18n's layout), or, with
    `default_at_root`, the default locale's pages are at the top and the others in their folders. With
    `pdf`, the versions list and each version's page link the version's PDF (export.pdf writes them).

    `released`, when given, keeps each released version's page and redline for the next call, which takes
    them from it: they are made of the released snapshots, the changelog, the site strings and the site's
    layout, never of the working texts (locales/*/notice.yaml). The caller empties it when anything else
    changes (the preview, which makes the pages again after every save of a working text)."""
    pages = {}
    for locale in site.working.locales:
        folder = locale_folder(site, locale.code, default_at_root)
        for path, text in locale_pages(site, locale.code, site_url, pdf=pdf, released=released).items():
            pages[folder + path] = text
    return pages


def locale_folder(site: Site, locale: str, default_at_root: bool) -> str:
    """Where a locale's pages are in site_pages' layout: its folder, or the top for the default locale with
    `default_at_root`."""
    return "" if default_at_root and locale == site.working.default_locale else f"{locale}/"


def released_paths(version_id: str) -> tuple[str, str]:
    """A released version's page and redline, by their path in a locale's pages."""
    return f"versions/{version_id}/index.md", f"versions/{version_id}/changes/index.md"


def page_locales(site: Site, path: str) -> list[str]:
    """The locales that have the page at `path` (a locale's own path, as locale_pages gives it, or its URL):
    a released version's page and redline are in the locales that version was published in, every other
    page in every locale of the site."""
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "versions" and any(version.id == parts[1] for version in site.versions):
        published = site.version(parts[1]).notice.texts
        return [locale.code for locale in site.working.locales if locale.code in published]
    return [locale.code for locale in site.working.locales]


def released_page_paths(site: Site, *, default_at_root: bool = False) -> set[str]:
    """The paths (as site_pages gives them) of the pages made of released versions alone: each version's
    page and redline, which never change once the version is released."""
    return {
        locale_folder(site, locale.code, default_at_root) + path
        for locale in site.working.locales
        for version in site.versions
        if locale.code in version.notice.texts
        for path in released_paths(version.id)
    }


def locale_pages(
    site: Site, locale: str, site_url: str, *, pdf: bool = False, released: ReleasedPages | None = None
) -> dict[str, str]:
    kept: ReleasedPages = {} if released is None else released
    pages = {"index.md": main_page(site, locale, site_url, pdf=pdf)}
    if site.versions:
        pages["versions/index.md"] = versions_page(site, locale, pdf=pdf)
        pages["changelog/index.md"] = changelog_page(site, locale, site_url)
    for version in site.versions:
        if locale not in version.notice.texts:
            continue
        page, changes = (version.id, locale, "version"), (version.id, locale, "changes")
        if page not in kept:
            kept[page] = version_page(site, version, locale, site_url, pdf=pdf)
        if changes not in kept:
            kept[changes] = changes_page(site, version, locale, site_url)
        page_path, changes_path = released_paths(version.id)
        pages[page_path], pages[changes_path] = kept[page], kept[changes]
    if site.preview and site.in_force is not None:
        pages[WORKING_CHANGES] = working_changes_page(site, site.in_force, locale, site_url)
    return pages


# The preview's redline of the working text against the version in force (never in a build). "working" is
# no version id (those are dates), so the page cannot take a released version's place.
WORKING = "working"
WORKING_CHANGES = f"versions/{WORKING}/changes/index.md"


def working_changes_page(site: Site, in_force: Version, locale: str, site_url: str) -> str:
    """The working text as if it were released next, compared with the version in force as a release's redline
    is: the same page, titled for the working text and linked back to the preview of it."""
    working = dataclasses.replace(
        in_force, id=WORKING, effective=site.on, published=site.on, summary={}, notice=site.working,
        corrects=None, translation_only=False, short_notice=None, imported=None,
    )  # fmt: skip
    ui = site.working.ui[locale]
    return changes_page(
        dataclasses.replace(site, versions=(in_force, working)),
        working,
        locale,
        site_url,
        title=fill(ui["working_changes_heading"], version=in_force.id),
        back=(ui["preview_banner"], "../../../index.md"),
    )


def main_page(site: Site, locale: str, site_url: str, *, pdf: bool = False) -> str:
    working = site.working
    ui = working.ui[locale]
    lang = working.locale(locale).lang
    shown = site.shown
    if shown is not None and locale not in shown.notice.texts:
        # A locale first published by a version still to come: its page is that version, announced as such.
        shown = next((site.version(v) for v in site.status.upcoming if locale in site.version(v).notice.texts), None)
        if shown is not None:
            text = dated_markdown(ui["banner_upcoming"], shown.effective, lang)
            banner = _banner_md(text, ui["versions"], "versions/index.md")
            # The banner states the date; the header leads on, as on every other page of the notice.
            links = header_links(site, shown, locale, site_url, "", pdf=pdf)
            header = "\n\n".join(
                (
                    page_header(None, links, ui["page_header_label"]),
                    contact_box(shown.notice, locale),
                    printed_record(site, shown, locale),
                )
            )
            return render_page(
                shown.notice,
                locale,
                effective=shown.effective,
                banners=(banner,),
                header=header,
                source_page_url=locale_url(site_url, working, working.source_locale),
                json_url=json_url(site_url, shown.id, locale),
                description=description(shown.notice, locale),
            )
    if shown is None or locale not in shown.notice.texts:
        banners = (preview_banner(site, ui),) if site.preview else ()
        notice, effective = working, None
    else:
        notice, effective, banners = shown.notice, shown.effective, ()
        dates = dated_html(ui["in_force_since"], shown.effective, lang)
        if site.status.current is None:  # nothing is in force yet: the first version is coming
            text = dated_html(ui["banner_upcoming"], shown.effective, lang)
            banners, dates = (f'<p class="notice-banner" role="note">{text}</p>',), None
        upcoming = [site.version(v) for v in site.status.upcoming if v != shown.id]
        if upcoming:
            text = dated_markdown(ui["upcoming_notice"], upcoming[0].effective, lang)
            # Named with its version: the header's link of the same words leads to the changes of the one in force.
            heading = fill(ui["version_heading"], version=upcoming[0].id)
            link_text = ui["see_what_changes"] + in_parentheses(heading, lang)
            banners += (_banner_md(text, link_text, f"versions/{upcoming[0].id}/changes/index.md"),)
        # The header states the dates (or the banner does): the page does not repeat them.
        links = header_links(site, shown, locale, site_url, "", pdf=pdf)
        source_page_url = locale_url(site_url, working, working.source_locale)
        summary = summary_block(notice, locale, source_page_url)
        header = page_header(dates, links, ui["page_header_label"], summary)
        header += "\n\n" + contact_box(notice, locale) + "\n\n" + printed_record(site, shown, locale)
        return render_page(
            notice,
            locale,
            banners=banners,
            header=header,
            source_page_url=source_page_url,
            json_url=json_url(site_url, shown.id, locale),
            description=description(notice, locale),
        )
    links = header_links(site, None, locale, site_url, "")
    return render_page(
        notice,
        locale,
        effective=effective,
        banners=banners,
        header=page_header(
            None,
            links,
            ui["page_header_label"],
            summary_block(notice, locale, locale_url(site_url, working, working.source_locale)),
        )
        + "\n\n"
        + contact_box(notice, locale),
        source_page_url=locale_url(site_url, working, working.source_locale),
        json_url=json_url(site_url, shown.id, locale) if shown and locale in shown.notice.texts else None,
        description=description(notice, locale),
    )


def preview_banner(site: Site, ui: Mapping[str, str]) -> str:
    """The preview's banner: the working text is shown, and its redline against the version in force is a
    click away."""
    if site.in_force is None:
        return note(ui["preview_banner"], "banner")
    return _banner_md(escape(ui["preview_banner"]), ui["working_changes"], WORKING_CHANGES)


def _banner_md(text: str, link_text: str, target: str, classes: str = "notice-banner") -> str:
    """A banner with a link MkDocs checks: Markdown inside a div (md_in_html). `text` is Markdown (escaped)."""
    return f'<div class="{classes}" role="note" markdown>\n{text} [{escape(link_text)}]({target})\n</div>'


def header_links(
    site: Site, version: Version | None, locale: str, site_url: str, here: str, *, pdf: bool = False
) -> list[HeaderLink]:
    """The header's links on the page at `here` (the main page: "", a version's: `versions/<id>/`): what changed in
    `version` (none for the first version), every version, with `pdf` the version's PDF in this locale (written
    by export.pdf under the locale's root), and the same page in each other language it exists in.
    """
    ui = site.working.ui[locale]
    up = "../" * here.count("/")  # back to the locale's root, where page paths start
    links = []
    if version is not None and site.before(version) is not None:
        links.append(HeaderLink(ui["see_what_changes"], f"{up}versions/{version.id}/changes/index.md"))
    if site.versions:
        links.append(HeaderLink(ui["versions"], f"{up}versions/index.md"))
    if pdf and version is not None and locale in version.notice.texts:
        beside = here == f"versions/{version.id}/"  # the version's own page: the PDF is in its folder
        target = f"{locale}.pdf" if beside else f"{up}versions/{version.id}/{locale}.pdf"
        links.append(HeaderLink(ui["download_pdf"], target, media_type="application/pdf"))
    for other in site.working.locales:
        if other.code == locale or (version is not None and here and other.code not in version.notice.texts):
            continue
        links.append(HeaderLink(other.name, locale_url(site_url, site.working, other.code, here), other.lang))
    return links


def printed_record(site: Site, version: Version, locale: str) -> str:
    """The print-only block of a page showing `version`: who publishes it, where, and which text it is. The
    publisher is the one the version names: a later change of the controller never rewrites an older record."""
    working = site.working
    ui = working.ui[locale]
    lang = working.locale(locale).lang
    controller = version.notice.controller
    address = controller.get("address")
    where = address_html(address, locale, lang) if isinstance(address, Mapping) else ""
    if not where and controller.get("website"):
        where = f"<p>{html.escape(str(controller['website']))}</p>"
    facts = [
        (ui["column_version"], html.escape(version.id)),
        (ui["effective_date"], time_element(version.effective, lang)),
    ]
    digest = version.digests.get(locale)
    if digest:
        facts.append((ui["print_digest"], f"<code>{html.escape(digest)}</code>"))
    publisher = ui["print_publisher"] + colon(lang) + str(controller["name"])
    return print_record(publisher, where, facts, lang)


def version_banner(site: Site, version: Version, locale: str) -> str:
    """What a version's page says first: whether the text is in force and its dates, with a link to where the
    reader goes next (the text in force, the correction, or the changes). A note for screen readers, marked by
    its status for the eye (colour and icon, notice.css)."""
    ui = site.working.ui[locale]
    lang = site.working.locale(locale).lang
    status = site.status_of(version)
    last_day = site.last_day(version)

    def dated(template: str, **days: datetime.date) -> str:
        return fill_marked_up(template, escape, **{key: time_element(day, lang, escape) for key, day in days.items()})

    since = dated(ui["in_force_since"], date=version.effective)
    correction = site.corrected_by(version)
    if correction is not None:  # errata: the correction takes this text's place from the same date
        status = "corrected"
        parts = [dated(ui["banner_corrected"], date=correction.published)]
        link = (ui["read_correction"], f"../{correction.id}/index.md")
    elif status == "current":
        parts = [escape(ui["banner_current"]), since]
        link = None  # what changed: in the page's header, once
    elif status == "upcoming":
        parts = [dated(ui["banner_upcoming"], date=version.effective)]
        link = None
    else:
        period = dated(ui["in_force_period"], start=version.effective, end=last_day) if last_day else since
        parts = [escape(ui["banner_archived"]), period]
        link = (ui["read_current"], "../../index.md")
    text = f"<strong>{parts[0]}</strong>"
    for before, part in itertools.pairwise(parts):
        # Sentences follow each other after a space, but not after a full-width stop (Chinese, Japanese).
        text += ("" if before.endswith(FULL_WIDTH_STOPS) else " ") + part
    onward = f"\n\n[{escape(link[0])}]({link[1]}){{: .notice-banner__link }}" if link else ""
    return f'<div class="notice-banner notice-banner--{status}" role="note" markdown>\n{text}{onward}\n</div>'


def version_page(site: Site, version: Version, locale: str, site_url: str, *, pdf: bool = False) -> str:
    ui = site.working.ui[locale]
    lang = site.working.locale(locale).lang
    status = site.status_of(version)
    banner = version_banner(site, version, locale)
    # Only the previous version is linked: a link to the next one would change this page, a legal
    # record, each time a version is released after it. The versions list links them all.
    before = site.before(version)
    links = header_links(site, version, locale, site_url, f"versions/{version.id}/", pdf=pdf)
    if before is not None and locale in before.notice.texts:
        previous = HeaderLink(ui["previous_version"] + in_parentheses(before.id, lang), f"../{before.id}/index.md")
        links.insert(1 if links and links[0].target.endswith("changes/index.md") else 0, previous)
    # The banner states the dates: the header only leads on.
    source_page_url = locale_url(site_url, site.working, site.working.source_locale, f"versions/{version.id}/")
    page = render_page(
        version.notice,
        locale,
        banners=(banner,),
        header="\n\n".join(
            (
                page_header(
                    None, links, ui["page_header_label"], summary_block(version.notice, locale, source_page_url)
                ),
                contact_box(version.notice, locale),
                printed_record(site, version, locale),
            )
        ),
        source_page_url=source_page_url,
        json_url=json_url(site_url, version.id, locale),
        front_matter=ARCHIVED_FRONT_MATTER if status == "archived" else NOT_SEARCHED_FRONT_MATTER,
        description=description(version.notice, locale, fill(ui["version_heading"], version=version.id) + colon(lang)),
    )
    # The page's title names the version: "Privacy Statement" alone would repeat the main page's.
    title = version.notice.texts[locale].title
    heading = fill(ui["version_heading"], version=version.id)
    return page.replace(
        f"# {escape(title)} {{#{TITLE_ID}}}\n", f"# {escape(title + colon(lang) + heading)} {{#{TITLE_ID}}}\n", 1
    )


def described(text: str) -> list[str]:
    """Front matter giving a page its meta description (render.description)."""
    return ["---", yaml_entry("description", shortened(text)), "---", ""]


def versions_page(site: Site, locale: str, *, pdf: bool = False) -> str:
    """Every version, newest first, with its period in force, its kind of change and its status: a table that a
    narrow screen shows as one block per version, each field with its column's name (notice.css), laid out
    as the notice's own tables (render.tables) and kept a table for screen readers by its ARIA roles."""
    ui = site.working.ui[locale]
    lang = site.working.locale(locale).lang
    columns = [
        ui[f"column_{key}"] for key in ("version", "from", "until", "change", "status", "pdf")[: 6 if pdf else 5]
    ]

    def cell(index: int, content: str) -> str:
        return f'<td role="cell" data-label="{html.escape(columns[index])}">{content}</td>'

    headers = "".join(f'<th scope="col" role="columnheader">{html.escape(column)}</th>' for column in columns)
    out = [
        *described(ui["versions"] + colon(lang) + site.working.texts[locale].title),
        f"# {escape(ui['versions'])} {{#{VERSIONS_ID}}}",
        "",
        f'<div class="notice-table notice-versions" role="region" aria-label="{html.escape(ui["versions"])}" '
        'tabindex="0" markdown="1">',
        '<table class="notice-table__table" role="table" markdown="1">',
        f'<thead role="rowgroup"><tr role="row">{headers}</tr></thead>',
        '<tbody role="rowgroup" markdown="1">',
    ]
    for version in reversed(site.versions):
        last_day = site.last_day(version)
        # The version's own page, a link MkDocs checks (Markdown in the cell); only the locales it was published in.
        name = f"[{version.id}]({version.id}/index.md)" if locale in version.notice.texts else version.id
        correction = site.corrected_by(version)
        status = site.status_of(version)
        shown = (
            dated_html(ui["corrected_on"], correction.published, lang)
            if correction is not None
            else html.escape(ui["status_" + status])
        )
        cells = [
            f'<th scope="row" role="rowheader" data-label="{html.escape(columns[0])}" markdown="span">{name}</th>',
            cell(1, time_element(version.effective, lang)),
            cell(2, time_element(last_day, lang) if last_day else ""),
            cell(3, html.escape(ui["change_" + version.change])),
            cell(4, f'<span class="notice-status notice-status--{status}">{shown}</span>'),
        ]
        if pdf:
            # Only the locales the version was published in have its PDF; the link names its version for
            # a screen reader, which reads every row's link as "PDF" otherwise.
            link = (
                f'<a href="{version.id}/{locale}.pdf" type="application/pdf" '
                f'aria-label="{html.escape(columns[5])} {version.id}">{html.escape(columns[5])}</a>'
            )
            cells.append(cell(5, link if locale in version.notice.texts else ""))
        out.append(f'<tr role="row" class="notice-version-{status}" markdown="1">{"".join(cells)}</tr>')
    out += ["</tbody>", "</table>", "</div>", ""]
    return "\n".join(out)


def changelog_page(site: Site, locale: str, site_url: str) -> str:
    ui = site.working.ui[locale]
    lang = site.working.locale(locale).lang
    out = [*described(ui["changelog"] + colon(lang) + site.working.texts[locale].title)]
    out += [f"# {escape(ui['changelog'])} {{#{CHANGELOG_ID}}}", ""]
    feed = locale_url(site_url, site.working, locale, "feed.xml")
    out += [f'<p class="notice-feed"><a href="{html.escape(feed)}" type="application/atom+xml">'
            f"{html.escape(ui['subscribe'])}</a></p>", ""]  # fmt: skip
    for version in reversed(site.versions):
        out += [f"## {version.id} {{#v{version.id}}}", ""]
        out += [
            f"{escape(ui['change_' + version.change])} · {escape(ui['published_on'])} "
            f"{time_element(version.published, lang, escape)}"
            f" · {escape(ui['status_' + site.status_of(version)])}",
            "",
        ]
        # HTML, not Markdown: a summary is plain text (`notice release --summary`), never markup. A version
        # from before this locale was published has its summary in the source locale, marked as such.
        if locale in version.summary:
            out += [f'<p class="notice-summary">{html.escape(version.summary[locale])}</p>', ""]
        else:
            source = version.notice.locale(version.notice.source_locale)
            summary = html.escape(version.summary.get(source.code, ""))
            marked = f'lang="{html.escape(source.lang)}" dir="{html.escape(source.dir)}"'
            out += [f'<p class="notice-summary" {marked}>{summary}</p>', ""]
        if version.translation_only:
            out += [note(ui["translation_only"], "translation-only"), ""]
        # A link to a version's page only where the locale has one (as on the versions page): a version
        # released before the locale was published has no page in it.
        if version.corrects is not None:
            corrects = escape(fill(ui["correction_of"], version=version.corrects))
            out += [_version_link(site, version.corrects, locale, corrects), ""]
        correction = site.corrected_by(version)
        if correction is not None:
            corrected = dated_markdown(ui["corrected_on"], correction.published, lang)
            out += [_version_link(site, correction.id, locale, corrected), ""]
        if version.approved_by:
            names = html.escape(names_list(version.approved_by, lang))
            out += [f'<p class="notice-approved-by">{html.escape(ui["approved_by"])} {names}</p>', ""]
        for key, value in (("short_notice", version.short_notice), ("imported", version.imported)):
            if value is not None:
                out += [
                    f'<p class="notice-{key.replace("_", "-")}">{html.escape(ui[key])} {html.escape(value)}</p>',
                    "",
                ]
        if locale in version.notice.texts:
            line = f"[{escape(fill(ui['version_heading'], version=version.id))}](../versions/{version.id}/index.md)"
            if site.before(version) is not None:  # the first version changes nothing: its redline says only that
                line += f" · [{escape(ui['see_what_changes'])}](../versions/{version.id}/changes/index.md)"
            out += [line, ""]
    return "\n".join(out)


def _version_link(site: Site, version_id: str, locale: str, text: str) -> str:
    """`text` (Markdown) as a link from the changelog to the version's page, where `locale` has that page."""
    if locale in site.version(version_id).notice.texts:
        return f"[{text}](../versions/{version_id}/index.md)"
    return text


def changes_page(
    site: Site,
    version: Version,
    locale: str,
    site_url: str = "",
    *,
    title: str | None = None,
    back: tuple[str, str] | None = None,
) -> str:
    """The redline of `version` against the one before it; `title` and `back` (link text, target) replace the
    page's own for a text that is not a released version (the preview's working text)."""
    ui = site.working.ui[locale]
    lang = site.working.locale(locale).lang
    title = title or fill(ui["changes_heading"], version=version.id)
    what = version.summary.get(locale, "")  # never another language's summary in this page's description
    meta = yaml_entry("description", shortened(title + (colon(lang) + what if what else "")))
    out = ["---", NOT_SEARCHED_FRONT_MATTER.rstrip("\n"), meta, "---", "", f"# {escape(title)} {{#{TITLE_ID}}}", ""]
    before = site.before(version)
    out += [redline_links(site, version, locale, back), ""]
    source = version.notice.source_locale
    language = version.notice.locale(source)
    source_redline = locale_url(site_url, site.working, source, f"versions/{version.id}/changes/")
    if version.translation_only:
        out += [note(ui["translation_only"], "translation-only"), ""]
    if before is None:  # the first version: a page that says so, not an empty redline
        text = escape(ui["no_previous_version"])
        link = fill(ui["version_heading"], version=version.id)
        out += [_banner_md(text, link, "../index.md", "notice-banner notice-banner--first"), ""]
        return "\n".join(out)
    if locale not in before.notice.texts:  # the locale's first version: the binding text's changes are elsewhere
        attrs = f' hreflang="{language.lang}" lang="{language.lang}"'
        link = (source_redline, language.name)
        out += [note(fill(ui["first_in_language"], language=language.name), "first-in-language", link, attrs), ""]
        return "\n".join(out)
    out += [note(ui["redline_legend"], "legend"), ""]
    unchanged = []
    changes = redline(before.notice, version.notice, locale)
    if changes.summary_changed:  # the summary is released text too: its change is shown first, like its place
        diff = inline_diff(changes.summary[0], changes.summary[1], locale, ui["inserted"], ui["deleted"])
        out += [f"## {escape(ui['notice_summary'])} {{#notice-summary}}", ""]
        out += [f'<p class="notice-redline">{diff}</p>', ""]
    for change in changes.sections:
        if change.id in changes.pending:  # the binding text changed, this translation did not follow yet
            out += [f"## {escape(change.title)} {{#{change.id}}}", ""]
            link = (f"{source_redline}#{change.id}", language.name)
            attrs = f' hreflang="{language.lang}" lang="{language.lang}"'
            out += [note(fill(ui["translation_pending"], language=language.name), "pending", link, attrs), ""]
            continue
        if change.changes == (Change.UNCHANGED,):
            unchanged.append(change.title)
            continue
        labels = list_separator(lang).join(ui[f"section_{kind.value}"] for kind in change.changes)
        out += [f"## {escape(change.title)} {{#{change.id}}}", ""]
        out += [f'<p class="notice-change-kind"><strong>{html.escape(labels)}</strong></p>', ""]
        if change.markup_only:
            out += [note(ui["markup_changed"], "markup-changed"), ""]
        title_diff = title_diff_html(change, locale, ui["inserted"], ui["deleted"])
        if title_diff:
            out += [title_diff, ""]
        if change.old_text or change.new_text:
            diff = inline_diff(change.old_text, change.new_text, locale, ui["inserted"], ui["deleted"])
            out += [f'<p class="notice-redline">{diff}</p>', ""]
        if change.table is not None and change.table.changed:  # compared cell by cell, not as one run of text
            label = change.table.caption[1] or change.table.caption[0] or change.title
            out += [table_diff_html(change.table, locale, ui["inserted"], ui["deleted"], label), ""]
    providers = changes.providers
    if providers:
        out += [f"## {escape(ui['providers_changed'])} {{#service-providers}}", ""]
        texts = version.notice.texts[locale].sections
        for channel, name, kind in providers:
            where = texts.get(f"subprocessors-{channel}")
            place = in_parentheses(where.title, lang) if where else ""
            out += [f"- {escape(name + place + colon(lang))}{escape(ui['provider_' + kind])}"]
        out += [""]
    if unchanged:
        items = "".join(f"<li>{html.escape(title)}</li>" for title in unchanged)
        summary = html.escape(fill(ui["unchanged_sections"], count=str(len(unchanged))))
        out += [f"<details><summary>{summary}</summary><ul>{items}</ul></details>", ""]
    return "\n".join(out)


def redline_links(site: Site, version: Version, locale: str, back: tuple[str, str] | None = None) -> str:
    """The links at the top of a redline: the version before (when there is one in this locale), the version
    itself (or `back`, for the preview's working text), and its entry in the changelog (what the editors say
    changed)."""
    ui = site.working.ui[locale]
    links = []
    before = site.before(version)
    if before is not None and locale in before.notice.texts:
        in_brackets = in_parentheses(before.id, site.working.locale(locale).lang)
        links.append(f"[{escape(ui['previous_version'])}{in_brackets}](../../{before.id}/index.md)")
    if back is not None:
        links.append(f"[{escape(back[0])}]({back[1]})")
    else:
        links.append(f"[{escape(fill(ui['version_heading'], version=version.id))}](../index.md)")
        links.append(f"[{escape(ui['change_summary'])}](../../../changelog/index.md#v{version.id})")
    return '<div class="notice-version-links" markdown>\n' + " · ".join(links) + "\n</div>"


def not_found_links(notice: Notice, locale: str, site_path: str) -> list[dict[str, str]]:
    """The 404 page's links to the notice's main page in every language, the page's own first: absolute paths
    under the site's path (the page answers at any depth), each named by the notice's title in its language."""
    order = [locale] + [item.code for item in notice.locales if item.code != locale]
    links = []
    for code in order:
        language = notice.locale(code)
        title = notice.texts[code].title if code in notice.texts else language.name
        links.append(
            {"href": locale_url(site_path, notice, code), "text": title, "lang": language.lang, "dir": language.dir}
        )
    return links


def feeds(site: Site, site_url: str) -> dict[str, str]:
    """Atom feeds by path in the built site: `feed.xml` for the default locale, `<code>/feed.xml` others."""
    result = {}
    working = site.working
    for locale in working.locales:
        ui = working.ui[locale.code]
        title = working.texts[locale.code].title
        entries = [
            {
                "key": version.id,
                "title": fill(ui["version_heading"], version=version.id)
                + in_parentheses(ui["change_" + version.change], locale.lang),
                "updated": version.published.isoformat(),
                "url": locale_url(site_url, working, locale.code, f"versions/{version.id}/changes/"),
                "summary": ui["effective_date"]
                + colon(locale.lang)
                + long_date(version.effective, locale.lang)
                + sentence_end(locale.lang)
                + version.summary_in(locale.code, working.source_locale),
            }
            for version in reversed(site.versions)
        ]
        path = "feed.xml" if locale.code == working.default_locale else f"{locale.code}/feed.xml"
        result[path] = atom_feed(
            title=fill(ui["feed_title"], title=title),
            lang=locale.lang,
            author=str(working.controller["name"]),
            self_url=locale_url(site_url, working, locale.code, "feed.xml"),
            page_url=locale_url(site_url, working, locale.code, "changelog/"),
            feed_key=locale_url(site_url, working, locale.code, "feed.xml"),
            entries=entries,
        )
    return result
