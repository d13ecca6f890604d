"""End to end: the sample site through `mkdocs build --strict`, and what a reader finds in site/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, ProjectBuilder, copy_sample, set_month_split
from generator import api
from generator.errors import EngineError

PAGES = [
    "index.html", "claims/index.html", "claims/russia-denies-attack-plans/index.html",
    "timeline/index.html", "timeline/2021/index.html", "stories/russia-ukraine-crisis-2021-22/index.html",
    "stories/index.html", "claimants/index.html", "claimants/vladimir-putin/index.html",
    "articles/index.html", "articles/putin-biden-summit-2021-12-08/index.html", "ratings/index.html",
    "ratings/false/index.html", "ratings/pending/index.html", "methodology/index.html", "topics/index.html",
    "topics/russia/index.html", "404.html", "sitemap.xml",
    "search/search_index.json", "pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-entry.json",
]


class Page(HTMLParser):
    """Collects links, ids, scripts and event-handler attributes of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.script_types: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        self.handlers += [(tag, k) for k in attrs if k.startswith("on")]
        if tag == "script":
            self._in_script = True
            self.scripts.append(attrs.get("src") or "")
            self.script_types.append(attrs.get("type") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("e2e") / "sample")
    api.build(root, strict=True)
    return root


@pytest.mark.parametrize("rel", PAGES)
def test_every_page_type_is_built(built: Path, rel: str) -> None:
    assert (built / "site" / rel).is_file()


@pytest.fixture(scope="module")
def built_split(tmp_path_factory) -> Path:
    """The sample with month_split 3: its timeline and its story are split into year and month pages."""
    root = copy_sample(tmp_path_factory.mktemp("e2e-split") / "sample")
    set_month_split(root, 3)
    api.build(root, strict=True)
    return root


def test_every_internal_link_and_anchor_resolves(built: Path, built_split: Path) -> None:
    assert broken_links(built / "site") == []
    assert broken_links(built_split / "site") == []


def test_a_long_story_reads_year_by_year(built: Path, built_split: Path) -> None:
    """The split story's page lists its years; each period page names the story and leads back to it; together
    they hold exactly the entries of the one-page story."""
    rel = Path("stories") / "russia-ukraine-crisis-2021-22"
    story = built_split / "site" / rel
    front = parse(story / "index.html")
    assert "2021/" in front.links
    assert not any(i.startswith("claim-") for i in front.ids)  # the entries moved to the year pages
    periods = [p for p in story.rglob("index.html") if p.parent != story]
    assert {p.parent.relative_to(story).as_posix() for p in periods} == {"2021", "2021/12"}  # December is busy
    split_entries: list[str] = []
    for path in periods:
        page = parse(path)
        assert "Russia–Ukraine crisis 2021–22: " in " ".join(page.text), path
        depth = len(path.parent.relative_to(story).parts)
        assert "../" * depth in page.links, path  # the crumbs lead back to the story's page
        split_entries += [i for i in page.ids if i.startswith(("claim-", "article-", "event-"))]
    one_page = parse(built / "site" / rel / "index.html")
    whole = [i for i in one_page.ids if i.startswith(("claim-", "article-", "event-"))]
    assert len(whole) > 3 and sorted(split_entries) == sorted(whole)


def broken_links(site: Path) -> list[str]:
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            if parts.path.startswith("/"):  # 404.html links from the site root (site_url's path is /)
                target = site / unquote(parts.path).lstrip("/")
            else:
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)} → {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(f"{path.relative_to(site)} → {link} (no such anchor)")
    return broken


def test_claim_page_shows_verdict_in_words_and_related_claims_on_both_sides(built: Path) -> None:
    site = built / "site"
    denial = (site / "claims/russia-denies-attack-plans/index.html").read_text("utf-8")
    report = (site / "claims/us-media-report-possible-attack/index.html").read_text("utf-8")
    assert re.search(r'cl-verdict__label">False<', denial)
    assert 'cl-pair__relation-text">contradicts<' in denial
    assert 'href="../us-media-report-possible-attack/"' in denial
    assert 'cl-pair__relation-text">contradicted by<' in report
    assert 'href="../russia-denies-attack-plans/"' in report
    assert "<title>Russia is not planning to attack Ukraine;" in denial


def test_claims_are_not_listed_in_the_nav(built: Path) -> None:
    home = (built / "site/index.html").read_text("utf-8")
    nav_links = re.findall(r'<a href="([^"]*)" class="md-nav__link', home)
    assert {"timeline/", "methodology/", "claims/"} <= set(nav_links)
    assert [link for link in nav_links if re.match(r"claims/.+", link)] == []


def test_plain_mkdocs_build_works_on_a_fresh_clone(tmp_path: Path) -> None:
    """A clone has docs/ with only .gitkeep in it (docs/ is generated): MkDocs needs the folder to exist, and the
    claimline plugin generates the pages before the build; .gitkeep stays and is not published."""
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files", "docs"], capture_output=True, text=True)
    if tracked.returncode == 0:
        assert tracked.stdout.split() == ["docs/.gitkeep"]
    root = copy_sample(tmp_path / "sample")
    (root / "docs").mkdir()
    shutil.copy(REPO / "docs" / ".gitkeep", root / "docs" / ".gitkeep")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (root / "site" / "claims" / "russia-denies-attack-plans" / "index.html").is_file()
    assert (root / "docs" / ".gitkeep").is_file() and not (root / "site" / ".gitkeep").exists()


def test_a_failed_engine_build_leaves_the_previous_site(built: Path) -> None:
    site = built / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = built / "docs" / "broken-hand-written.md"
    broken.write_text("# Broken\n\n[nowhere](missing-page.md)\n", "utf-8")
    try:
        with pytest.raises(EngineError) as info:
            api.build(built, strict=True)
        assert "site/ was left as it was" in info.value.message
    finally:
        broken.unlink()
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(built.glob(".site.*")), "the staging folder must be cleaned up"


PAYLOADS = [
    "<script>alert('x1')</script>",
    '<img src=x onerror="alert(\'x2\')">',
    "[click me](javascript:alert('x3'))",
    '"><svg onload=alert("x4")>',
    "<a href=\"javascript:alert('x5')\">link</a>",
    "[a](JaVaScRiPt:alert('x6'))",
    "![img](javascript:alert('x7'))",
    "&lt;script&gt;alert('x8')&lt;/script&gt;",
    "<iframe src=javascript:alert('x9')>",
    "{{ config }} {% raw %} ${alert('x10')}",
]


def test_hostile_text_in_every_field_stays_inert(tmp_path: Path) -> None:
    p = ProjectBuilder(tmp_path / "hostile")
    joined = " ".join(PAYLOADS)
    q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    p.article("evil-article.md", f"""\
        ---
        title: {q(joined)}
        date: 2021-12-08
        publisher: {q(joined)}
        authors: [{q(joined)}]
        summary: {q(joined)}
        events:
          - date: 2021-12-07
            title: {q(joined)}
        ---
        {joined}

        {PAYLOADS[2]} and {PAYLOADS[5]}
        """)
    p.claim("evil", f"""\
        statement: {q(joined)}
        claimant:
          name: {q(joined)}
          role: {q(joined)}
        date: 2021-12-07
        rating: "false"
        summary: {q(joined)}
        analysis: {q(joined)}
        story: {q(joined)}
        sources:
          - title: {q(joined)}
            publisher: {q(joined)}
            url: https://example.org/?q=%3Cscript%3E
        appearances:
          - article: evil-article
            quote: {q(joined)}
          - url: https://example.org/said?q=%22%3E%3Cscript%3E
            quote: {q(joined)}
        original_review:
          by: {q(joined)}
          rating: {q(joined)}
          by_url: https://example.org/?who=%3Cscript%3E
          url: https://example.org/review?q=%3Cscript%3E
          date: 2021-12-08
        reviewed:
          date: 2021-12-09
          by: {q(joined)}
        updates:
          - date: 2021-12-10
            kind: correction
            note: {q(joined)}
        """)
    p.claim("evil-reply", f"""\
        statement: {q(joined)}
        claimant: {q(joined)}
        date: 2021-12-08
        rating: "false"
        related:
          - claim: evil
            relation: contradicts
        """)  # the two statements side by side, on both pages
    api.build(p.root, strict=False)
    site = p.root / "site"
    for html in site.rglob("*.html"):
        page = parse(html)
        rel = html.relative_to(site)
        assert page.handlers == [], f"{rel}: event-handler attributes {page.handlers}"
        assert not [link for link in page.links if link.strip().lower().startswith(("javascript", "data:text"))], rel
        for script, kind in zip(page.scripts, page.script_types):
            if kind == "application/ld+json":  # data, never run: it must parse and hold no markup
                assert "<" not in script and json.loads(script)["@context"] == "https://schema.org", rel
                continue
            assert "alert(" not in script, f"{rel}: a script runs editor text"
        raw = html.read_text("utf-8")
        if 'class="md-content__inner' in raw:  # where editor text lives: no script element at all
            content = raw[raw.index('class="md-content__inner'):]
            assert "<script" not in content[: content.index("</article>")], rel
        assert "<iframe" not in raw and "<svg onload" not in raw.lower(), rel
    claim = "".join(parse(site / "claims/evil/index.html").text)
    assert "<script>alert('x1')</script>" in claim, "the payload must be shown as text"
    shown = (site / "claims/evil/index.html").read_text("utf-8")
    for part in ("cl-facts", "cl-original-rating", "cl-pair", "cl-appearances", "cl-sources", "cl-updates"):
        assert part in shown, f"the claim page lost its {part} section"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    """Same inputs, two separate folders and runs: byte-identical Markdown."""
    outputs = []
    for name in ("one", "two"):
        root = copy_sample(tmp_path / name)
        api.generate(root)
        outputs.append({p.relative_to(root / "docs").as_posix(): p.read_bytes()
                        for p in sorted((root / "docs").rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 40


@pytest.mark.skipif("SOURCE_DATE_EPOCH" in os.environ, reason="the caller's SOURCE_DATE_EPOCH wins over the data's")
def test_the_sitemap_is_dated_from_the_data_not_the_day_of_the_build(built: Path) -> None:
    site = built / "site"
    lastmod = re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text("utf-8"))
    assert lastmod and set(lastmod) == {"2022-03-01"}  # the newest date in the records, as in the feed
    header = (site / "sitemap.xml.gz").read_bytes()[:8]
    assert int.from_bytes(header[4:8], "little") == 1646092800  # gzip's mtime: 2022-03-01T00:00:00Z
