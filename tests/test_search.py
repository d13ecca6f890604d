"""Site search with Pagefind (generator/search.py): what the build writes into site/, without a browser.

tests/test_browser.py drives the search box and measures what a reader downloads.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import copy_sample
from generator import api
from generator.errors import EngineError
from generator.search import UNUSED


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("search") / "sample")
    api.build(root, strict=True)
    return root / "site"


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's per-page records (gzip, a ``pagefind_dcd`` signature, then JSON), by URL."""
    out = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        out[record["url"]] = record
    return out


def test_materials_big_index_is_replaced_by_its_config(site: Path) -> None:
    index = site / "search" / "search_index.json"
    assert index.stat().st_size < 1000
    data = json.loads(index.read_text("utf-8"))
    assert data["docs"] == [] and data["config"]["lang"] == ["en"] and data["config"]["separator"]


def test_generated_pages_leave_materials_index_and_plain_mkdocs_build_indexes(tmp_path, monkeypatch) -> None:
    """Every generated page opts out of Material's lunr index, so Material never parses its HTML for it: the
    index Material writes holds no page.  With the deferral variable (as `claimline build` sets it) the plugin
    only leaves a marker; a plain `mkdocs build` indexes with Pagefind itself."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.engine import SKIP_ENV
    from generator.search import DEFER_ENV, DEFER_MARKER, index_deferred

    root = copy_sample(tmp_path / "sample")
    api.generate(root)
    pages = list((root / "docs").rglob("*.md"))
    assert pages and all("\nsearch:\n  exclude: true\n" in p.read_text("utf-8").split("\n---\n", 1)[0] + "\n"
                         for p in pages)
    monkeypatch.setenv(SKIP_ENV, "1")
    monkeypatch.setenv(DEFER_ENV, "1")
    deferred = tmp_path / "deferred"
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(deferred)))
    data = json.loads((deferred / "search" / "search_index.json").read_text("utf-8"))
    assert data["docs"] == [] and data["config"]["lang"] == ["en"]  # written by Material, not cut down after
    assert (deferred / DEFER_MARKER).is_file() and not (deferred / "pagefind").exists()
    index_deferred(deferred)
    assert not (deferred / DEFER_MARKER).exists() and (deferred / "pagefind" / "pagefind.js").is_file()

    monkeypatch.delenv(DEFER_ENV)
    plain = tmp_path / "plain"
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(plain)))
    assert not (plain / DEFER_MARKER).exists() and (plain / "pagefind" / "pagefind.js").is_file()


def test_claimline_build_indexes_after_mkdocs_has_exited(project, monkeypatch) -> None:
    from generator import engine
    from generator.search import DEFER_MARKER

    seen = []

    def index_deferred(staging):
        # MkDocs' child process has returned: it left the marker and no index
        seen.append(((staging / DEFER_MARKER).is_file(), (staging / "pagefind").exists()))
        return real(staging)

    real = engine.index_deferred
    monkeypatch.setattr(engine, "index_deferred", index_deferred)
    project.claim("c", ONE_CLAIM)
    api.build(project.root, strict=True)
    site = project.root / "site"
    assert seen == [(True, False)]
    assert (site / "pagefind" / "pagefind.js").is_file() and not (site / DEFER_MARKER).exists()


def test_pagefind_bundle_is_written_without_its_unused_interfaces(site: Path) -> None:
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-worker.js").is_file()
    assert list(bundle.glob("wasm.*.pagefind")) and list((bundle / "index").glob("*.pf_index"))
    assert not [name for name in UNUSED if (bundle / name).exists()]
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(fragments(site))


def test_only_the_content_area_of_each_page_is_indexed(site: Path) -> None:
    marked = {p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")}
    assert site / "404.html" not in marked and site / "claims/russia-denies-attack-plans/index.html" in marked
    for page in marked:
        html = page.read_text("utf-8")
        assert html.count("data-pagefind-body") == 1
        assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in html
    records = fragments(site)
    assert len(records) == len(marked)
    for url, record in records.items():
        text = record["content"]
        assert "Made with" not in text, url  # Material's footer
        assert "Skip to content" not in text and "Switch to dark mode" not in text, url  # header
        assert "¶" not in text, url  # the headings' permalinks


def test_only_pages_a_result_leads_to_are_indexed(site: Path) -> None:
    """Claims, articles, claimants and the standing pages are indexed; list pages, which only repeat claim
    statements, are not, nor the lists of other claims inside indexed pages."""
    records = fragments(site)
    claims = {f"/{p.parent.relative_to(site).as_posix()}/" for p in (site / "claims").glob("*/index.html")}
    assert claims and claims <= set(records)
    for url in ("/articles/putin-biden-summit-2021-12-08/", "/claimants/yury-ushakov/", "/methodology/", "/data/"):
        assert url in records, url
    lists = ("/", "/claims/", "/timeline/", "/timeline/2021/", "/stories/", "/stories/russia-ukraine-crisis-2021-22/",
             "/claimants/", "/articles/", "/ratings/", "/ratings/false/", "/topics/", "/topics/russia/",
             "/corrections/")
    for url in lists:
        assert url not in records, url
        html = (site / url.strip("/") / "index.html").read_text("utf-8")
        assert "data-pagefind-body" not in html, url
    statement = "Ukraine sabotages the implementation of the Minsk agreements."
    assert statement in (site / "claimants/yury-ushakov/index.html").read_text("utf-8")  # listed there, but
    assert "Minsk" not in records["/claimants/yury-ushakov/"]["content"]  # found on the claim page only


def test_claims_are_found_by_statement_and_claimant(site: Path) -> None:
    claim = fragments(site)["/claims/ushakov-kyiv-sabotages-minsk/"]
    assert claim["meta"]["title"] == "Ukraine sabotages the implementation of the Minsk agreements."
    assert "Yury Ushakov" in claim["content"] and "Minsk agreements" in claim["content"]


def test_search_excerpts_keep_a_space_between_a_fact_and_its_value(site: Path) -> None:
    """Pagefind joins a definition list's term and description as written: "Claimed byRussian government"
    was what a search result showed."""
    content = fragments(site)["/claims/russia-denies-attack-plans/"]["content"]
    assert "Claimed by Russian government Claimed on December 2021 Reviewed 24 February 2022" in content
    data = fragments(site)["/data/"]["content"]
    assert "claims.json A schema.org DataFeed" in data


def test_pages_load_the_search_script_and_silence_materials_worker(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    claim = (site / "claims/russia-denies-attack-plans/index.html").read_text("utf-8")
    assert '<script src="assets/claimline-search.js" defer></script>' in home
    assert '"search": "assets/claimline-search-worker.js"' in home
    assert '"search": "../../assets/claimline-search-worker.js"' in claim
    assert "workers/search." not in home
    assert (site / "assets/claimline-search.js").is_file() and (site / "assets/claimline-search-worker.js").is_file()


ONE_CLAIM = """\
statement: A claim.
claimant: {name: Someone}
date: 2021-12-07
rating: "false"
"""


def test_a_site_without_materials_search_gets_no_index(project) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - search\n", ""), "utf-8")
    project.claim("c", ONE_CLAIM)
    api.build(project.root, strict=True)
    site = project.root / "site"
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    assert "claimline-search" not in (site / "index.html").read_text("utf-8")


def test_a_failed_index_fails_the_build_and_keeps_the_site(project, monkeypatch) -> None:
    project.claim("c", ONE_CLAIM)
    api.build(project.root, strict=True)
    before = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project.root / "no-such-pagefind"))
    with pytest.raises(EngineError) as info:
        api.build(project.root, strict=True)
    assert "Pagefind could not index the site" in info.value.message
    assert {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()} == before


def test_a_large_site_is_indexed_in_parts_that_together_hold_each_page_once(tmp_path, monkeypatch) -> None:
    """Pagefind's memory grows with the text it holds: past PART_PAGES pages the site is indexed in parts,
    each a Pagefind run over its share of the pages that search results lead to, and named for the script."""
    from generator import search

    root = copy_sample(tmp_path / "sample")
    monkeypatch.setattr(search, "PART_PAGES", 5)
    api.build(root, strict=True)
    site = root / "site"
    bundles = json.loads((site / "pagefind" / search.PARTS).read_text("utf-8"))["bundles"]
    assert bundles == [f"pagefind-{n}" for n in range(2, len(bundles) + 2)] and len(bundles) >= 2
    counts = [json.loads((site / b / "pagefind-entry.json").read_text("utf-8"))["languages"]["en"]["page_count"]
              for b in ["pagefind", *bundles]]
    searched = [p for p in site.rglob("*.html") if b"data-pagefind-body" in p.read_bytes()]
    assert sum(counts) == len(searched) and max(counts) <= 5
    assert not list(site.glob(search.SCRATCH + "*"))  # the scratch folders are gone
    other = copy_sample(tmp_path / "other")  # parts are indexed side by side: the bundles are the same every time
    api.build(other, strict=True)

    def bundle_bytes(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.glob("pagefind*/**/*"))
                if p.is_file()}

    assert bundle_bytes(site) == bundle_bytes(other / "site")
    monkeypatch.setattr(search, "PART_PAGES", 4000)  # a smaller site later: the old parts are removed
    api.build(root, strict=True)
    assert json.loads((site / "pagefind" / search.PARTS).read_text("utf-8")) == {"bundles": []}
    assert not list(site.glob("pagefind-*"))
