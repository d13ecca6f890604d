"""The built site in a real browser: Debian's Chromium driven by Playwright, pages served on 127.0.0.1.

The site is the sample plus one claim whose every text field holds HTML/JavaScript payloads.
Screenshots at 1280 and 360 px are kept in test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

from conftest import REPO, copy_sample, set_month_split
from generator import api

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]

PAGES = {
    "home": "",
    "claim": "claims/russia-denies-attack-plans/",
    "timeline": "timeline/2021/",
    "claimant": "claimants/vladimir-putin/",
    "article": "articles/putin-biden-summit-2021-12-08/",
}

PAYLOAD = ("<script>window.__xss=1</script> <img src=x onerror=\"window.__xss=2\"> "
           "[click](javascript:window.__xss=3) <a href=\"javascript:window.__xss=4\">a</a> "
           "\"><svg onload=window.__xss=5> [b](JaVaScRiPt:window.__xss=6) ![i](javascript:window.__xss=7) "
           "&lt;script&gt;window.__xss=8&lt;/script&gt; <iframe src=javascript:window.__xss=9></iframe>")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed; "
                                "bash .ci/test installs it (apt-get install chromium)")


def _q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("browser") / "sample")
    (root / "claims" / "xss-probe.yaml").write_text(
        f"statement: {_q(PAYLOAD)}\nclaimant:\n  name: {_q(PAYLOAD)}\n  role: {_q(PAYLOAD)}\n"
        f"date: 2021-12-09\nrating: \"false\"\nsummary: {_q(PAYLOAD)}\nanalysis: {_q(PAYLOAD)}\n"
        f"sources:\n  - title: {_q(PAYLOAD)}\n    publisher: {_q(PAYLOAD)}\n"
        f"appearances:\n  - url: https://example.org/?q=%3Cscript%3E\n    quote: {_q(PAYLOAD)}\n"
        f"updates:\n  - date: 2021-12-10\n    kind: correction\n    note: {_q(PAYLOAD)}\n"
        f"reviewed:\n  date: 2021-12-10\n  by: {_q(PAYLOAD)}\n", "utf-8")
    api.build(root, strict=False)
    return root / "site"


@contextlib.contextmanager
def serving(site: Path, handler: type | None = None, path: str = "/"):
    """The folder ``site`` over HTTP on 127.0.0.1 (by ``handler``, :class:`QuietHandler` unless given, at
    ``path``); yields its URL."""
    handler = functools.partial(handler or QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{path}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(site: Path):
    with serving(site) as url:
        yield url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, server):
    contexts = []

    def _open(path: str, width: int = 1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.dialogs = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(server + path, wait_until="load")
        page.wait_for_timeout(150)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_without_console_errors_and_is_screenshotted(open_page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page = open_page(PAGES[name], width)
        assert page.errors == [], f"{name} at {width}px: {page.errors}"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} scrolls sideways at {width}px ({overflow}px wide)"


SEARCHES = [
    ("sanctions", "claims/biden-sanctions-warning/"),
    ("Minsk sabotages", "claims/ushakov-kyiv-sabotages-minsk/"),
    ("Ushakov", "claims/ushakov-kyiv-sabotages-minsk/"),
]


def _wait_for_results(page, query: str) -> None:
    """Until the list shows the results of ``query`` (not of a prefix typed before it: a pause while typing
    runs a search too); the ``h`` parameter of each link (Material's search.highlight) holds the query."""
    page.wait_for_function("""query => {
        const link = document.querySelector('.md-search-result__item > .md-search-result__link');
        return link && new URL(link.href).searchParams.get('h') === query;
    }""", arg=query, timeout=15000)


def _search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the result pages in order (Pagefind fills the list)."""
    page.click("input.md-search__input")
    page.keyboard.type(query, delay=20)
    _wait_for_results(page, query)
    links = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                      "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(link.split("?")[0].split("#")[0] for link in links))


@pytest.mark.parametrize("query, expected", SEARCHES)
def test_search_finds_claims_by_statement_and_claimant(open_page, query: str, expected: str) -> None:
    page = open_page("")
    documents = _search(page, query)
    assert any(expected in link for link in documents[:3]), documents
    assert page.errors == []


def test_search_recovers_when_pagefind_could_not_be_loaded(open_page) -> None:
    """The preview re-indexes search in the background after a save, so a query can find Pagefind's files
    missing for a moment: the reader is told, and the next query loads it and finds the claim."""
    page = open_page("")
    requested: list[str] = []

    def fail_twice(route) -> None:  # the load when the box gets focus, and the first query's
        requested.append(route.request.url)
        if len(requested) <= 2:
            route.abort()
        else:
            route.continue_()

    page.route(re.compile(r".*/pagefind/pagefind\.js(\?.*)?$"), fail_twice)
    page.click("input.md-search__input")
    page.keyboard.type("sanctions", delay=20)
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent"
                           ".includes('not available')", timeout=15000)
    page.keyboard.type(" warning", delay=20)  # the next query
    _wait_for_results(page, "sanctions warning")
    links = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert any("claims/biden-sanctions-warning/" in link for link in links[:3]), links
    assert len(requested) == 3 and "retry=1" in requested[1] and "retry=2" in requested[2]


def test_search_keeps_materials_dialog_and_keys(open_page) -> None:
    """Material's own behaviour around Pagefind's results: the count, Enter for the best result, Escape."""
    page = open_page(PAGES["claim"])
    page.keyboard.press("/")  # Material's shortcut opens the search
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.is_checked("#__search")
    page.keyboard.type("Minsk sabotages", delay=20)
    _wait_for_results(page, "Minsk sabotages")
    assert page.inner_text(".md-search-result__meta").endswith("matching documents")
    first = page.get_attribute(".md-search-result__item .md-search-result__link", "href")
    assert "/claims/ushakov-kyiv-sabotages-minsk/?h=Minsk+sabotages" in first  # search.highlight's terms
    assert page.locator(".md-search-result__list").get_attribute("role") == "list"
    page.keyboard.press("ArrowDown")  # Material moves the focus to the first result
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    page.wait_for_timeout(400)  # Material switches its keyboard mode asynchronously; a person never types this fast
    page.keyboard.press("/")
    page.wait_for_function("document.getElementById('__search').checked")
    page.keyboard.press("Enter")  # the best result, as Material does
    page.wait_for_url("**/claims/ushakov-kyiv-sabotages-minsk/?h=*")
    page.wait_for_selector("mark[data-md-highlight]")  # Material highlights the terms on the page
    assert page.errors == []


def test_search_link_with_a_query_opens_the_results(open_page) -> None:
    page = open_page(PAGES["timeline"] + "?q=sanctions")  # Material's deep link (the search.share feature)
    _wait_for_results(page, "sanctions")
    assert page.is_checked("#__search")
    links = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert any("claims/biden-sanctions-warning/" in link for link in links[:3]), links
    assert page.errors == []


def test_search_results_show_hostile_text_as_text(open_page) -> None:
    page = open_page("")
    _search(page, "onerror")
    assert page.evaluate("window.__xss === undefined") and page.dialogs == []
    assert page.locator(".md-search-result__list script, .md-search-result__list img, "
                        ".md-search-result__list iframe, .md-search-result__list svg").count() == 0
    tags = page.eval_on_selector_all(".md-search-result__list *", "els => [...new Set(els.map(e => e.tagName))]")
    assert set(tags) <= {"LI", "A", "ARTICLE", "DIV", "H1", "H2", "P", "MARK", "DETAILS", "SUMMARY"}


def _bytes_of_first_search(browser, server: str, query: str) -> dict:
    """Every response from requesting the home page until the first results are on screen, by group."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    responses = []
    context.on("response", lambda response: responses.append(response))  # the page's and its workers' (Pagefind searches in one)
    try:
        page = context.new_page()
        page.goto(server, wait_until="load")
        page.click("input.md-search__input")
        page.fill("input.md-search__input", query)  # the whole query at once: one search, as after a pause
        _wait_for_results(page, query)
        page.wait_for_load_state("networkidle")
        rows = []
        for response in responses:
            path = response.url.removeprefix(server).split("?")[0]
            size = len(response.body()) if response.status < 300 else 0
            search = path.startswith(("pagefind/", "search/")) or "claimline-search" in path \
                or "/workers/search" in path
            rows.append({"path": path, "status": response.status, "bytes": size,
                         "group": "search" if search else "page"})
    finally:
        context.close()
    return {"query": query, "requests": rows,
            "search_bytes": sum(r["bytes"] for r in rows if r["group"] == "search"),
            "page_bytes": sum(r["bytes"] for r in rows if r["group"] == "page")}


def test_first_search_downloads_only_what_the_query_needs(browser, server, site: Path) -> None:
    """The bytes of a first search, recorded by the browser; written to test-artifacts/search-bytes.json."""
    measured = [_bytes_of_first_search(browser, server, query) for query, _ in SEARCHES]
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "search-bytes.json").write_text(json.dumps(measured, indent=1), "utf-8")
    fragments = len(list((site / "pagefind" / "fragment").iterdir()))
    for m in measured:
        paths = {r["path"]: r["bytes"] for r in m["requests"]}
        print(f"first search {m['query']!r}: search {m['search_bytes']:,} B, page {m['page_bytes']:,} B, "
              f"{len(paths)} requests")
        assert all(r["status"] < 400 for r in m["requests"]), m["requests"]
        assert "pagefind/pagefind.js" in paths and paths["search/search_index.json"] < 1000
        assert any(p.startswith("pagefind/index/") for p in paths)
        loaded = [p for p in paths if p.startswith("pagefind/fragment/")]
        assert 0 < len(loaded) <= 10 < fragments  # only the fragments of the results on screen
        assert m["search_bytes"] < 250_000  # loader, worker, wasm and one index chunk; no whole-site index
@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(open_page, name: str, scheme: str) -> None:
    page = open_page(PAGES[name], color_scheme=scheme)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_dialog_with_results_has_no_serious_accessibility_violations(open_page, scheme: str) -> None:
    page = open_page("", color_scheme=scheme)
    _search(page, "Ushakov")
    page.click(".md-search-result__more summary")  # the sections of a page, too
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.errors == []


def test_dark_mode_follows_the_reader(open_page) -> None:
    assert open_page("", color_scheme="dark").get_attribute("body", "data-md-color-scheme") == "slate"
    assert open_page("", color_scheme="light").get_attribute("body", "data-md-color-scheme") == "default"


def test_related_claims_side_by_side_on_wide_screens_and_stacked_on_phones(open_page) -> None:
    def boxes(width: int):
        page = open_page(PAGES["claim"], width)
        this = page.locator(".cl-pair__side--this").first.bounding_box()
        other = page.locator(".cl-pair__side--other").first.bounding_box()
        return this, other

    this, other = boxes(1280)
    assert other["x"] > this["x"] + this["width"] - 1 and abs(other["y"] - this["y"]) < this["height"]
    this, other = boxes(360)
    assert other["y"] >= this["y"] + this["height"] - 1


def test_verdicts_are_readable_without_colour(open_page) -> None:
    page = open_page(PAGES["claim"])
    badge = page.locator(".cl-claim__verdict .cl-verdict")
    assert badge.inner_text().strip().endswith("False")
    page.emulate_media(forced_colors="active")
    assert page.locator(".cl-claim__verdict .cl-verdict__label").inner_text() == "False"


def test_print_stylesheet_drops_navigation(open_page) -> None:
    page = open_page(PAGES["claim"])
    page.emulate_media(media="print")
    assert not page.is_visible(".md-header")
    assert not page.is_visible(".md-sidebar--primary")
    assert page.is_visible(".cl-claim")


def test_hostile_claim_shows_payloads_as_inert_text(open_page) -> None:
    for path in ("claims/xss-probe/", "", "timeline/2021/", "corrections/", "ratings/false/"):
        page = open_page(path)
        assert page.evaluate("window.__xss === undefined"), f"a payload ran on /{path}"
        assert page.dialogs == []
        bad = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => /^on/i.test(a.name) ||
              (/^(href|src)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value))).map(a => el.tagName + ' ' + a.name))""")
        assert bad == [], f"/{path}: {bad}"
        assert page.locator("article iframe").count() == 0
    page = open_page("claims/xss-probe/")
    assert "<script>window.__xss=1</script>" in page.inner_text("h1")


def test_structured_data_parsed_from_every_claim_page(open_page, site: Path) -> None:
    numeric_ratings = {"true", "mostly-true", "half-true", "mostly-false", "false"}
    for html in sorted(site.glob("claims/*/index.html")):
        ident = html.parent.name
        page = open_page(f"claims/{ident}/")
        blocks = page.eval_on_selector_all('head script[type="application/ld+json"]',
                                           "els => els.map(e => JSON.parse(e.textContent))")
        assert len(blocks) == 1, ident
        data = blocks[0]
        if data["@type"] == "ClaimReview":
            assert data["url"] == f"https://example.org/claims/{ident}/"
            assert data["claimReviewed"] and data["author"]["name"] == "Claimline sample desk"
            rating = data["reviewRating"]
            assert rating["alternateName"]
            if rating.get("ratingValue") is not None:
                assert rating["worstRating"] >= 1 and rating["worstRating"] <= rating["ratingValue"] \
                    <= rating["bestRating"]
            item = data["itemReviewed"]
            assert item["@type"] == "Claim" and item["author"]["name"] and item["datePublished"]
            assert "firstAppearance" in item or ident == "xss-probe"
            assert ("ratingValue" in rating) == (page.inner_text(".cl-claim__verdict .cl-verdict__label").lower()
                                                 .replace(" ", "-") in numeric_ratings)
        else:
            assert data["@type"] == "Claim" and "reviewRating" not in json.dumps(data)
            assert page.inner_text(".cl-claim__verdict .cl-verdict__label") == "Pending review"
    for path in ("", "timeline/2021/", "data/"):
        page = open_page(path)
        assert page.locator('script[type="application/ld+json"]').count() == 0, path


def test_a_page_load_fetches_no_sitemap_and_the_feed_stays_discoverable(browser, server, site: Path) -> None:
    """Material fetches the sitemap of every <link rel="alternate">, taking it for a translation: the feed link
    made every reader download /sitemap.xml (1.5 MB at 10,000 claims).  Feed readers still find the feed."""
    html = (site / "claims" / "russia-denies-attack-plans" / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html  # autodiscovery reads the HTML
    context = browser.new_context()
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(server + PAGES["claim"], wait_until="networkidle")
    page.wait_for_timeout(300)
    feeds = page.eval_on_selector_all('link[type="application/atom+xml"]',
                                      "links => links.map(link => link.relList.contains('alternate'))")
    context.close()
    assert feeds == [True]
    assert fetched and not [url for url in fetched if "sitemap" in url], fetched


def test_feed_and_exports_parse_over_http(open_page, server) -> None:
    import csv
    import io
    import urllib.request
    import xml.etree.ElementTree as ET

    def get(name: str) -> bytes:
        with urllib.request.urlopen(server + name) as response:
            return response.read()

    assert ET.fromstring(get("feed.xml")).tag == "{http://www.w3.org/2005/Atom}feed"
    assert json.loads(get("claims.json"))["@type"] == "DataFeed"
    assert len(json.loads(get("timeline.json"))["events"]) == 17  # the sample's 16 entries and the probe
    assert len(list(csv.DictReader(io.StringIO(get("claims.csv").decode())))) == 13
    page = open_page("data/")
    for name in ("claims.json", "claims.csv", "timeline.json", "feed.xml"):
        assert page.locator(f'a[href="../{name}"]').count() >= 1


@pytest.fixture(scope="module")
def parted_server(tmp_path_factory):
    """The sample indexed in parts of 4 pages (a large site's layout, see generator/search.py), served."""
    from generator import search

    root = copy_sample(tmp_path_factory.mktemp("parted") / "sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_PAGES", 4)
        api.build(root, strict=True)
    with serving(root / "site") as url:
        yield root / "site", url


def test_a_site_indexed_in_parts_is_searched_as_one(browser, parted_server) -> None:
    site, url = parted_server
    bundles = json.loads((site / "pagefind" / "claimline-parts.json").read_text("utf-8"))["bundles"]
    assert len(bundles) >= 3 and all((site / b / "pagefind-entry.json").is_file() for b in bundles)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="load")
        for query, expected in SEARCHES:  # these claims sit in different parts
            page.fill("input.md-search__input", "")
            documents = _search(page, query)
            assert any(expected in link for link in documents[:3]), (query, documents)
        assert errors == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def split_server(tmp_path_factory):
    """The sample with month_split 3: 2021 is split into month pages, and the story into year pages."""
    root = copy_sample(tmp_path_factory.mktemp("split") / "sample")
    set_month_split(root, 3)
    api.build(root, strict=True)
    with serving(root / "site") as url:
        yield url


@pytest.mark.parametrize("old, new", [
    ("timeline/2021/", "timeline/2021/12/"),
    ("stories/russia-ukraine-crisis-2021-22/", "stories/russia-ukraine-crisis-2021-22/2021/12/"),  # two hops
])
def test_a_link_to_an_entry_that_moved_leads_to_its_new_page(browser, split_server, old: str, new: str) -> None:
    """Links cite timeline entries by anchor; once a year (or a story) is split, the entry is on another page,
    and a reader who follows an old link lands on it there."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        anchor = "claim-russia-denies-attack-plans"
        page.goto(f"{split_server}{old}#{anchor}", wait_until="load")
        page.wait_for_url(f"{split_server}{new}#{anchor}", timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator(f"#{anchor}").is_visible()
        page.goto(f"{split_server}{old}#no-such-entry", wait_until="load")  # an unknown anchor: the page stays
        page.wait_for_timeout(300)
        assert page.url == f"{split_server}{old}#no-such-entry"
        page.goto(f"{split_server}{new}#{anchor}", wait_until="load")  # the entry's own page loads no script
        assert page.locator('script[src$="claimline-moved.js"]').count() == 0
        assert errors == []
    finally:
        context.close()
