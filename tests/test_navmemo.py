"""generator/navmemo.py: Material's navigation is rendered once per folder of pages, and the site is the same."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.utils import normalize_url

from conftest import copy_sample
from generator import api, navmemo
from generator.engine import SKIP_ENV
from generator.search import DEFER_ENV


def mkdocs_build(root: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site)))


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How many times each reused template was really rendered."""
    renders: dict[str, int] = {}
    reusing = navmemo._reusing

    def counting(name, render, *shared):
        def render_counted(context):
            renders[name] = renders.get(name, 0) + 1
            return render(context)
        return reusing(name, render_counted, *shared)

    monkeypatch.setattr(navmemo, "_reusing", counting)
    keeper = navmemo._keeper

    def counting_keeper(kept, on):
        keep = keeper(kept, on)

        def claimline_keep(*key, caller):
            def counted_caller():
                renders["keep " + key[0]] = renders.get("keep " + key[0], 0) + 1
                return caller()
            return keep(*key, caller=counted_caller)
        return claimline_keep

    monkeypatch.setattr(navmemo, "_keeper", counting_keeper)
    monkeypatch.setenv(SKIP_ENV, "1")
    monkeypatch.setenv(DEFER_ENV, "1")  # no Pagefind run: the HTML is what is compared
    return renders


SITES = {
    "folder URLs": "",
    "file URLs": "use_directory_urls: false",
    "a claim page in the nav": "claim",
    "a language menu in the header": "alternate",
}


@pytest.mark.parametrize("variant", SITES.values(), ids=SITES.keys())
def test_the_built_site_is_byte_for_byte_the_same_without_reuse(tmp_path, monkeypatch, counted, variant) -> None:
    root = copy_sample(tmp_path / "sample")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    if variant == "claim":  # an active entry for one claim page, inside a section
        text = text.replace("  - Data: data.md\n",
                            "  - Data: data.md\n  - Checked:\n    - Denial: claims/russia-denies-attack-plans.md\n")
    elif variant == "alternate":  # links relative to each page, in the header; a nav that names no folder
        text = text.replace("\nextra:\n", "\nextra:\n  alternate:\n    - {name: English, link: ./, lang: en}\n"
                            "    - {name: Claims, link: claims/, lang: fr}\n", 1)
        nav = text.index("\nnav:\n")
        text = text[:nav] + "\nnav:\n  - Home: index.md\n" + text[text.index("\n\n", nav):]
        assert "alternate:" in text and "Fact-checks" not in text
    elif variant:
        text = text.replace("use_directory_urls: true", variant)
    config.write_text(text, "utf-8")
    api.generate(root)
    pages = len(list((root / "docs").rglob("*.md")))
    claim_pages = len(list((root / "docs" / "claims").glob("*.md"))) - 1  # not claims/index.md

    mkdocs_build(root, tmp_path / "reused")
    assert 0 < counted["partials/nav.html"] <= pages - claim_pages + 1  # the claim pages share one rendering
    assert counted["partials/tabs.html"] == counted["partials/nav.html"]
    assert counted["partials/search.html"] == counted["partials/palette.html"] == counted["partials/nav.html"]
    assert counted["partials/header.html"] == counted["partials/nav.html"]  # titles differ: the header is shared
    depths = {name.count("/") for name in files_of(tmp_path / "reused") if name.endswith(".html")}
    assert 0 < counted["keep config"] <= len(depths) + 1  # the config block: once per depth (and for 404.html)

    install = navmemo.install
    monkeypatch.setattr(navmemo, "install", lambda env: install(env, reuse=False))
    mkdocs_build(root, tmp_path / "plain")
    reused, plain = files_of(tmp_path / "reused"), files_of(tmp_path / "plain")
    assert reused.keys() == plain.keys()
    assert [name for name in plain if reused[name] != plain[name]] == []
    if variant == "alternate":
        assert 'href="../" hreflang="fr"' in reused["claims/russia-denies-attack-plans/index.html"].decode()
        assert 'href="./" hreflang="en"' in reused["index.html"].decode()
    if variant == "claim":
        page = reused["claims/russia-denies-attack-plans/index.html"].decode()
        assert 'md-nav__link--active' in page and "Denial" in page


def test_a_base_template_the_site_overrides_is_rendered_for_every_page(tmp_path, counted) -> None:
    """claimline's config block calls Material's with super(): a site's own base.html may read the page there."""
    root = copy_sample(tmp_path / "sample")
    stock = Path(navmemo._material_templates(), "base.html").read_text("utf-8")
    assert stock.count('"base": base_url,') == 1
    (root / "site-overrides" / "base.html").write_text(
        stock.replace('"base": base_url,', '"base": base_url, "my_title": page.title if page else "",'), "utf-8")
    api.generate(root)
    mkdocs_build(root, tmp_path / "site")
    assert counted["keep config"] == len(list((tmp_path / "site").rglob("*.html")))  # rendered for every page
    for rel in ("claims/russia-denies-attack-plans/index.html", "claims/kremlin-talks-frank/index.html"):
        page = (tmp_path / "site" / rel).read_text("utf-8")
        title = page.split("<title>", 1)[1].split(" - ", 1)[0]
        assert f'"my_title": "{title}"' in page


def test_a_navigation_the_site_overrides_is_rendered_for_every_page(tmp_path, counted) -> None:
    """An override may read anything (here the page's title), so it is never reused; nor is a stock template
    that imports an overridden one (nav.html imports nav-item.html)."""
    root = copy_sample(tmp_path / "sample")
    partials = root / "site-overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "tabs.html").write_text('<p class="my-tabs">{{ page.title | e }}</p>\n', "utf-8")
    stock = Path(navmemo._material_templates(), "partials", "nav-item.html").read_text("utf-8")
    (partials / "nav-item.html").write_text(stock.replace("md-nav__link", "md-nav__link my-link"), "utf-8")
    api.generate(root)
    mkdocs_build(root, tmp_path / "site")
    assert "partials/tabs.html" not in counted and "partials/nav.html" not in counted
    assert counted["partials/search.html"] >= 1  # untouched partials are still reused
    for rel in ("claims/russia-denies-attack-plans/index.html", "claims/kremlin-talks-frank/index.html"):
        page = (tmp_path / "site" / rel).read_text("utf-8")
        title = page.split("<title>", 1)[1].split(" - ", 1)[0]
        assert f'<p class="my-tabs">{title}</p>' in page and "my-link" in page


# -- the key, on stand-ins for MkDocs' objects -----------------------------------------------------------------

def context(url: str, nav_items, **config) -> SimpleNamespace:
    page = SimpleNamespace(url=url)
    values = {"page": page, "nav": SimpleNamespace(items=nav_items, homepage=nav_items[0]), "config": config}

    def relative(ctx, target: str) -> str:  # MkDocs' url filter
        return normalize_url(target, page=ctx.get("page"))

    return SimpleNamespace(get=values.get, environment=SimpleNamespace(filters={"url": relative}))


def nav(active: str = "") -> list:
    def entry(url):
        return SimpleNamespace(url=url, active=url == active)
    return [entry(""), entry("claims/"), SimpleNamespace(children=[entry("about/"), entry("data/")],
                                                         active=active in ("about/", "data/"))]


def test_siblings_share_a_key_and_nothing_else_does() -> None:
    def same_place(a: str, b: str) -> bool:
        return navmemo.page_key(context(a, nav())) == navmemo.page_key(context(b, nav()))

    assert same_place("claims/a/", "claims/b/") and same_place("claims/a.html", "claims/b.html")
    assert not same_place("claims/a/", "articles/a/") and not same_place("claims/a/", "claims/a/b/")
    assert not same_place("", "about/") and not same_place("claims/a.html", "articles/a.html")
    assert navmemo.page_key(context("data/", nav("data/"))) != navmemo.page_key(context("data/", nav()))


def test_pages_it_cannot_tell_about_are_rendered_as_they_are() -> None:
    assert navmemo.page_key(context("claims/a/", [SimpleNamespace(title="no URL, no children")])) is None
    assert navmemo.page_key(SimpleNamespace(get={}.get, environment=SimpleNamespace(filters={}))) is None
