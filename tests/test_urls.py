"""URLs: spelled in one place, with the base path, so the site works at / and under a sub-path."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from statement_archive.urls import (Urls, entity_url, entity_year_url, is_year_page, normalise_alias, output_file,
                                    statement_path, timeline_month_id, timeline_year_url)


def test_links_carry_the_base_path():
    assert Urls("/").href("people/maria-zakharova/") == "/people/maria-zakharova/"
    assert Urls("/archive/").href("people/maria-zakharova/") == "/archive/people/maria-zakharova/"
    assert Urls("/archive").href("") == "/archive/"
    assert Urls("https://example.org/archive/").href("timeline/") == "/archive/timeline/"


def test_a_year_of_the_timeline_has_its_own_address_and_its_months_an_anchor():
    assert timeline_year_url(2016) == "timeline/2016/"
    assert timeline_month_id(2016, 2) == "y2016-02"  # the id months had when the timeline was one page
    assert output_file(timeline_year_url(2016)) == "timeline/2016/index.html"


def test_year_pages_are_told_from_other_pages():
    assert is_year_page(timeline_year_url(2016)) and is_year_page(entity_year_url("people", "x", 2016))
    for other in ("timeline/", "people/x/", "people/2016/", "statements/2016/", "timeline/2016/x/", "people/x/2016"):
        assert not is_year_page(other), other


def test_absolute_urls_keep_the_configured_domain():
    assert Urls("https://example.org/archive/").absolute("people/x/") == "https://example.org/archive/people/x/"
    assert Urls("https://example.org").absolute("") == "https://example.org/"
    assert Urls("/archive/").absolute("people/x/") == "/archive/people/x/"


def test_statement_addresses_are_dated_and_zero_padded():
    assert statement_path(dt.date(2016, 2, 8), "x") == "statements/2016/02/08/x/"
    assert entity_url("organisations", "amor") == "organisations/amor/"


def test_folders_are_written_as_index_html():
    assert output_file("") == "index.html"
    assert output_file("people/x/") == "people/x/index.html"
    assert output_file("404.html") == "404.html"


def test_aliases_become_site_paths():
    assert normalise_alias("/statements/2025/03/19/old-slug") == "statements/2025/03/19/old-slug/"
    assert normalise_alias(" statements/2025/03/19/old-slug/ ") == "statements/2025/03/19/old-slug/"
    assert normalise_alias("/old/page.html") == "old/page.html"


segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@given(base=st.lists(segment, max_size=3), path=st.lists(segment, max_size=4),
       origin=st.sampled_from(["", "https://example.org", "http://localhost:8000"]))
def test_every_link_stays_under_the_base_path(base, path, origin):
    base_url = origin + "/" + "".join(s + "/" for s in base)
    urls = Urls(base_url)
    site_path = "".join(s + "/" for s in path)
    assert urls.href(site_path).startswith(urls.base_path)
    assert urls.href(site_path) == urls.base_path + site_path
    assert urls.absolute(site_path) == origin + urls.base_path + site_path


def test_links_written_for_the_sites_root_move_under_the_base_path():
    html = ('<p><a href="/people/x/">X</a> <a href="//cdn.example.org/a">cdn</a> <a href="https://e.org/">e</a> '
            '<a href="#p2">here</a> <a href="notes/">notes</a> <img src=\'/assets/c.png\' alt="/not-a-link/"></p>')
    assert Urls("/").in_site(html) == html
    assert Urls("https://example.org/").in_site(html) == html
    moved = Urls("https://example.org/archive/").in_site(html)
    assert moved == html.replace('href="/people/', 'href="/archive/people/').replace("src='/assets/", "src='/archive/assets/")
    assert Urls("/archive/").in_site(html) == moved



def test_links_into_the_site_in_html_a_site_trusts_move_under_the_base_path_however_written():
    """trust_html publishes raw HTML as written: upper case, spaces round '=', single or no quotes."""
    html = ('<A HREF="/people/x/">X</A> <a href = "/events/y/">y</a> <img SRC=/assets/c.png> '
            "<a href='/outlets/z/'>z</a> <a href=\"/\\evil.example/\">no</a> <a href='//cdn.example.org/'>cdn</a>")
    assert Urls("/archive/").in_site(html) == (
        '<A HREF="/archive/people/x/">X</A> <a href = "/archive/events/y/">y</a> <img SRC=/archive/assets/c.png> '
        "<a href='/archive/outlets/z/'>z</a> <a href=\"/\\evil.example/\">no</a> <a href='//cdn.example.org/'>cdn</a>")


def test_a_feeds_links_are_whole_addresses_for_readers_that_ignore_xml_base():
    html = ('<p id="p1"><a href="/people/x/">X</a> <a href="#p2">here</a> <a href="//cdn.example.org/a">cdn</a> '
            '<a href="https://e.org/">e</a> <a href="../../../../../events/y/">y</a> <a title="t" href=\'z/\'>z</a> '
            '<A HREF="mailto:a@b.org">mail</A> <a href="?q=1&amp;r=2">q</a></p>')
    whole = Urls("https://example.org/archive/").whole_addresses(html, "statements/2025/03/20/x/")
    page = "https://example.org/archive/statements/2025/03/20/x/"
    assert whole == (f'<p id="p1"><a href="https://example.org/archive/people/x/">X</a> <a href="{page}#p2">here</a> '
                     '<a href="https://cdn.example.org/a">cdn</a> <a href="https://e.org/">e</a> '
                     '<a href="https://example.org/archive/events/y/">y</a> '
                     f"<a title=\"t\" href='{page}z/'>z</a> "
                     f'<A HREF="mailto:a@b.org">mail</A> <a href="{page}?q=1&amp;r=2">q</a></p>')
    # Without a host, site paths are all there is (the build says such a site is not for publishing).
    assert Urls("/archive/").whole_addresses(html, "s/").startswith(
        '<p id="p1"><a href="/archive/people/x/">X</a> <a href="/archive/s/#p2">here</a>')
    # A text with no link, only its paragraphs' ids, is returned as it is.
    plain = '<p id="p1">Text.</p>\n<p id="p2a">More, with a <abbr title="title">t</abbr>.</p>'
    assert Urls("https://example.org/").whole_addresses(plain, "s/") == plain


def test_a_feeds_link_written_bare_or_with_spaces_around_its_equals_sign_is_made_whole_too():
    """Trusted HTML may write href=/people/x/ or href = "/people/x/"; alone in a text, such a link had been left as
    written, and a feed reader resolved it against the host's root, outside a site under a sub-path."""
    urls = Urls("https://example.net/archive/")
    assert urls.whole_addresses('<p><a href=/people/x/>X</a></p>', "s/") == (
        '<p><a href=https://example.net/archive/people/x/>X</a></p>')
    assert urls.whole_addresses('<p><a href = "/people/x/">X</a></p>', "s/") == (
        '<p><a href = "https://example.net/archive/people/x/">X</a></p>')
    assert urls.whole_addresses("<p><a href= '#p2'>2</a></p>", "s/") == (
        "<p><a href= 'https://example.net/archive/s/#p2'>2</a></p>")
    whole = '<p id=p1><a href="https://e.org/">e</a></p>'
    assert urls.whole_addresses(whole, "s/") == whole


def test_an_asset_s_address_carries_its_version_when_known():
    urls = Urls("/archive/", (("style.css", "1a2b3c4d5e6f"),))
    assert urls.asset("style.css") == "/archive/assets/style.css?v=1a2b3c4d5e6f"
    assert urls.asset("site.js") == "/archive/assets/site.js"
    assert Urls("/").asset("style.css") == "/assets/style.css"


def test_the_folders_by_date_of_statement_addresses():
    """What a reader meets who shortens /statements/2025/03/20/slug/ by hand: each folder up to /statements/."""
    from statement_archive.urls import date_folder, date_folders_of

    assert date_folders_of(["statements/2025/03/20/a/", "statements/2024/12/19/b/", "people/x/",
                            "statements/old-page/", "statements/2023/03/"]) == [
        "statements/", "statements/2023/", "statements/2024/", "statements/2024/12/", "statements/2025/",
        "statements/2025/03/"]
    assert date_folder("statements/") == (None, None)
    assert date_folder("statements/2025/03/") == (2025, 3)
    for other in ("statements/2025/03/20/", "statements/2025/03/20/a/", "statements/2025/13/", "timeline/2025/",
                  "statements/25/", "statements"):
        assert date_folder(other) is None, other


def test_only_the_href_and_src_of_tags_are_links_whatever_the_words_around_them():
    from statement_archive.urls import link_values, rewrite_links

    html = ('<p>src=/words/ &lt;a href="/escaped/"&gt; <a title="a > b src=/in-title/" href="/x/">x</a> '
            "<abbr title='href=/no/'>A</abbr> <img alt=\"\" src=/y.png /><br/><a href=\"/z/\" data-n=\"3\">z</a></p>")
    assert link_values(html) == ["/x/", "/y.png", "/z/"]
    assert rewrite_links(html, lambda value: "/archive" + value) == html.replace(
        'href="/x/"', 'href="/archive/x/"').replace("src=/y.png", "src=/archive/y.png").replace(
        'href="/z/"', 'href="/archive/z/"')
