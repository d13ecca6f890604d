"""The site published under a path, as a GitHub Pages project site is (https://newsroom.github.io/factchecks/).

Each build is served ONLY under /factchecks/ (nothing answers at /), and a missing page gets the site's
404.html with status 404, as GitHub Pages does. Three builds of the sample: with ``site_url`` naming the path,
without ``site_url`` (relative links only), and with ``month_split: 3`` (timeline entries moved to month pages).
The browser and ``open_page`` are test_browser.py's; ``server`` here is the prefixed one.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import copy_sample, set_month_split, set_site_url
from generator import api
import test_browser

pytestmark = test_browser.pytestmark  # skipped where Chromium is missing, as test_browser.py is
browser, open_page = test_browser.browser, test_browser.open_page  # its fixtures (open_page uses `server` below)
_search, SEARCHES = test_browser._search, test_browser.SEARCHES

PREFIX = "/factchecks/"
SITE_URL = "https://newsroom.github.io/factchecks/"
PAGES = {  # a page of every kind
    "home": "",
    "claim": "claims/russia-denies-attack-plans/",
    "claim-pending": "claims/ushakov-kyiv-sabotages-minsk/",
    "claimant": "claimants/vladimir-putin/",
    "topic": "topics/russia/",
    "rating": "ratings/false/",
    "story": "stories/russia-ukraine-crisis-2021-22/",
    "timeline-index": "timeline/",
    "timeline-period": "timeline/2021/",
    "article": "articles/putin-biden-summit-2021-12-08/",
    "data": "data/",
    "corrections": "corrections/",
    "not-found": "no/such/page/",
}
ATOM = "{http://www.w3.org/2005/Atom}"


class PrefixHandler(test_browser.QuietHandler):
    """The site folder at /factchecks/ only; a missing file there gets 404.html (status 404)."""

    def send_head(self):
        if not self.path.startswith(PREFIX):
            self.send_error(404, "only /factchecks/ is served")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path(path[len(PREFIX) - 1:])

    def send_error(self, code: int, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not self.path.startswith(PREFIX) or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serving_under_prefix(site: Path):
    """The folder ``site`` over HTTP at http://127.0.0.1:PORT/factchecks/ only; yields that URL."""
    return test_browser.serving(site, PrefixHandler, PREFIX)


def _build(tmp_path_factory, name: str, site_url: str | None, month_split: int | None = None) -> Path:
    root = copy_sample(tmp_path_factory.mktemp(f"subpath-{name}") / "sample")
    set_site_url(root, site_url)
    if month_split:
        set_month_split(root, month_split)
    api.build(root, strict=True)
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "absolute", SITE_URL)


@pytest.fixture(scope="module")
def server(site: Path):
    with serving_under_prefix(site) as url:
        yield url


@pytest.fixture(scope="module")
def relative_server(tmp_path_factory):
    with serving_under_prefix(_build(tmp_path_factory, "relative", None)) as url:
        yield url


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def _check_page(browser, base: str, path: str) -> None:
    """Every request the page makes succeeds, and every link and anchor on it resolves under the prefix."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.url != base + path else None)
        page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
        page.goto(base + path, wait_until="networkidle")
        assert failed == [], f"/{path}: {failed}"
        links = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
    finally:
        context.close()
    internal = sorted({link for link in links if link.startswith(base.split(PREFIX)[0])})
    outside = [link for link in internal if not link.startswith(base)]
    assert outside == [], f"/{path} links outside {PREFIX}: {outside}"
    pages: dict[str, str] = {}
    for link in internal:
        target, _, anchor = link.partition("#")
        if target not in pages:
            status = _status(target)
            assert status < 400, f"/{path} links to {target}: {status}"
            pages[target] = _get(target).decode("utf-8", "replace") if target.endswith("/") else ""
        if anchor and pages[target]:
            assert re.search(rf'\bid="?{re.escape(urllib.parse.unquote(anchor))}[" >]', pages[target]), \
                f"/{path} links to a missing anchor: {link}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_kind_of_page_works_under_the_prefix(browser, server, name: str) -> None:
    _check_page(browser, server, PAGES[name])


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="MkDocs links the 404 page from site_url's "
                                               "path, / when it is unset: a site under a path needs site_url"))
    if name == "not-found" else name for name in sorted(PAGES)])
def test_every_kind_of_page_works_under_the_prefix_without_site_url(browser, relative_server, name: str) -> None:
    _check_page(browser, relative_server, PAGES[name])


@pytest.fixture(scope="module")
def root_server(site: Path):
    """The same built site served at / (the result lists must not depend on where the site is)."""
    with test_browser.serving(site) as url:
        yield url


@pytest.mark.parametrize("start", ["", "claims/russia-denies-attack-plans/", "no/such/page/"])
def test_search_under_the_prefix_finds_what_it_finds_at_the_root(open_page, root_server, server, start) -> None:
    for query, expected in SEARCHES:
        at_root = open_page("")
        at_root.goto(root_server, wait_until="load")
        under = open_page(start)
        found_at_root, found = _search(at_root, query), _search(under, query)
        assert found_at_root and [link.removeprefix(root_server) for link in found_at_root] == \
            [link.removeprefix(server) for link in found], query
        assert expected in found[0] or any(expected in link for link in found[:3]), (query, found)
        for link in found:
            assert link.startswith(server) and _status(link) == 200, link
        under.click(".md-search-result__item > .md-search-result__link")  # a result leads to its page
        under.wait_for_url(f"{server}**?h=*")
        assert under.url.startswith(found[0]) and under.locator("h1").count() == 1
        errors = [e for e in under.errors if not (start == PAGES["not-found"] and "404 (Not Found)" in e)]
        assert errors == [] and at_root.errors == []


def test_absolute_addresses_carry_the_prefix(open_page, server) -> None:
    page = open_page(PAGES["claim"])
    own = SITE_URL + PAGES["claim"]
    assert page.get_attribute('link[rel="canonical"]', "href") == own
    assert page.get_attribute('meta[property="og:url"]', "content") == own
    assert page.eval_on_selector('link[type="application/atom+xml"]', "e => e.href") == server + "feed.xml"
    data = json.loads(page.text_content('script[type="application/ld+json"]'))
    assert data["url"] == own
    assert data["itemReviewed"]["firstAppearance"]["url"] == SITE_URL + PAGES["article"]
    feed = ET.fromstring(_get(server + "feed.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert entries and feed.findtext(f"{ATOM}id") == SITE_URL + "feed.xml"
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith(SITE_URL + "claims/")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
    claims = json.loads(_get(server + "claims.json"))
    assert claims["url"] == SITE_URL + "data/"
    assert all(item["url"].startswith(SITE_URL + "claims/") for item in claims["dataFeedElement"])
    links = re.findall(r'href="([^"]+)"', json.dumps(json.loads(_get(server + "timeline.json")), ensure_ascii=False)
                       .replace('\\"', '"'))
    assert links and all(link.startswith(SITE_URL) for link in links)


def _resolves_under(base: str, document: str, url: str) -> str:
    """``url`` as a reader of ``document`` resolves it; asserts it is a page under the prefix."""
    target = urllib.parse.urljoin(document, url)
    assert target.startswith(base) and _status(target.split("#")[0]) == 200, f"{url} in {document} -> {target}"
    return target


def test_relative_addresses_resolve_under_the_prefix(browser, relative_server) -> None:
    """Without site_url, the addresses in the structured data, the feed and the data files are relative: each
    resolves, against the document that holds it, to the right page under the prefix."""
    base = relative_server
    context = browser.new_context()
    try:
        page = context.new_page()
        for name in ("claim", "claim-pending"):
            page.goto(base + PAGES[name], wait_until="load")
            data = json.loads(page.text_content('script[type="application/ld+json"]'))
            assert _resolves_under(base, page.url, data["url"]) == base + PAGES[name]
            claim = data.get("itemReviewed", data)
            assert _resolves_under(base, page.url, claim["firstAppearance"]["url"]) == base + PAGES["article"]
            assert page.locator('link[rel="canonical"], meta[property="og:url"]').count() == 0
    finally:
        context.close()
    feed = ET.fromstring(_get(base + "feed.xml"))
    entries = feed.findall(f"{ATOM}entry")
    home, own = [next(link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == rel)
                 for rel in (None, "self")]
    assert entries and _resolves_under(base, base + "feed.xml", home) == base
    assert _resolves_under(base, base + "feed.xml", own) == base + "feed.xml"
    for entry in entries:
        assert "/claims/" in _resolves_under(base, base + "feed.xml", entry.find(f"{ATOM}link").get("href"))
    claims = json.loads(_get(base + "claims.json"))
    assert _resolves_under(base, base + "claims.json", claims["url"]) == base + "data/"
    for item in claims["dataFeedElement"]:
        _resolves_under(base, base + "claims.json", item["url"])


@pytest.fixture(scope="module")
def split_server(tmp_path_factory):
    with serving_under_prefix(_build(tmp_path_factory, "split", SITE_URL, month_split=3)) as url:
        yield url


@pytest.mark.parametrize("old, new", [
    ("timeline/2021/", "timeline/2021/12/"),
    ("stories/russia-ukraine-crisis-2021-22/", "stories/russia-ukraine-crisis-2021-22/2021/12/"),  # two hops
])
def test_a_link_to_an_entry_that_moved_leads_to_its_new_page_under_the_prefix(browser, split_server, old, new):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        anchor = "claim-russia-denies-attack-plans"
        page.goto(f"{split_server}{old}#{anchor}", wait_until="load")
        page.wait_for_url(f"{split_server}{new}#{anchor}", timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator(f"#{anchor}").is_visible()
    finally:
        context.close()
    for path in (old, new, "timeline/2021/12/"):
        _check_page(browser, split_server, path)
