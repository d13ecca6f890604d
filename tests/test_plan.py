"""Stage: plan — which pages exist, at which paths, and how the links between them are written."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import MINIMAL_MKDOCS
from generator import api
from generator.config import load_settings
from generator.errors import Problems
from generator.link import load_site
from generator.model import Event
from generator.dates import FuzzyDate
from generator.plan import event_anchors, page_url, paginate, plan_pages, relative_url, timeline_entries
from generator.read import read_yaml_file


# -- URLs -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, url", [
    ("index.md", ""),
    ("claims/index.md", "claims/"),
    ("claims/russia-denies.md", "claims/russia-denies/"),
    ("timeline/2021/index.md", "timeline/2021/"),
    ("timeline/2021/12.md", "timeline/2021/12/"),
    ("methodology.md", "methodology/"),
])
def test_page_url(path, url):
    assert page_url(path) == url


@pytest.mark.parametrize("src, dst, anchor, directory, flat", [
    ("index.md", "claims/x.md", "", "claims/x/", "claims/x.html"),
    ("claims/x.md", "index.md", "", "../../", "../index.html"),
    ("claims/x.md", "claims/y.md", "claim-y", "../y/#claim-y", "y.html#claim-y"),
    ("claims/x.md", "claims/x.md", "top", "./#top", "x.html#top"),
    ("claims/index.md", "claims/x.md", "", "x/", "x.html"),
    ("claims/x.md", "claims/index.md", "", "../", "index.html"),
    ("timeline/2021/12.md", "timeline/2021/index.md", "", "../", "index.html"),
    ("timeline/2021/index.md", "claims/a.md", "claim-a", "../../claims/a/#claim-a", "../../claims/a.html#claim-a"),
    ("claimants/x/page-2.md", "claimants/x.md", "", "../", "../x.html"),
    ("index.md", "index.md", "", "./", "index.html"),
])
def test_relative_url(src, dst, anchor, directory, flat):
    assert relative_url(src, dst, anchor) == directory
    assert relative_url(src, dst, anchor, directory_urls=False) == flat


def test_relative_urls_resolve_to_the_target():
    """Follow each relative link from the page's own URL, the way a browser would."""
    from urllib.parse import urljoin

    pages = ["index.md", "claims/index.md", "claims/a.md", "timeline/2021/index.md", "timeline/2021/12.md",
             "claimants/x/page-2.md", "methodology.md"]
    site = "https://example.org/sub/"
    for src in pages:
        for dst in pages:
            here = urljoin(site, page_url(src))
            assert urljoin(here, relative_url(src, dst, "a")) == urljoin(site, page_url(dst)) + "#a", (src, dst)
            here = urljoin(site, src[:-3] + ".html")
            flat = relative_url(src, dst, directory_urls=False)
            assert urljoin(here, flat) == urljoin(site, dst[:-3] + ".html"), (src, dst)


# -- pagination -----------------------------------------------------------------------------------------------


def test_paginate():
    assert paginate("ratings/false", list(range(5)), 2) == [
        ("ratings/false.md", [0, 1], 1, 3),
        ("ratings/false/page-2.md", [2, 3], 2, 3),
        ("ratings/false/page-3.md", [4], 3, 3)]
    assert paginate("ratings/false", [1, 2], 2) == [("ratings/false.md", [1, 2], 1, 1)]
    assert paginate("ratings/false", [], 2) == [("ratings/false.md", [], 1, 1)]  # an empty list still has a page


# -- whole-site plans -----------------------------------------------------------------------------------------


def settings_yaml(**claimline) -> str:
    lines = "".join(f"    {k}: {v}\n" for k, v in claimline.items())
    return MINIMAL_MKDOCS + ("extra:\n  claimline:\n" + lines if lines else "")


def claim(date: str, claimant: str = "Kremlin", rating: str = "false", extra: str = "") -> str:
    return f"statement: Said on {date}\nclaimant: {claimant}\ndate: {date}\nrating: {rating}\n{extra}"


def plan(root: Path):
    settings = load_settings(root)
    problems = Problems(root=settings.root)
    site = load_site(settings, problems)
    assert [p.format() for p in problems.errors] == []
    return site, plan_pages(site)


@pytest.fixture
def busy(project):
    """2021 has 5 entries (split by month at month_split 3); 2022 has 2 (one page)."""
    project.write("mkdocs.yml", settings_yaml(month_split=3, page_size=2))
    project.claim("a", claim("2021-12-07"))
    project.claim("b", claim("2021-12"))
    project.claim("c", claim("~2021", claimant="Joe Biden"))
    project.claim("d", claim("2021-03-01", claimant="Joe Biden", rating="true"))
    project.claim("e", claim("2022-02-24"))
    project.article("summit.txt", "---\ndate: 2021-12-08\nevents:\n  - date: 2022-01\n    title: Talks in Geneva\n"
                                  "---\nTitle\nStandfirst.\n")
    return project


def test_timeline_split_by_month(busy):
    site, pages = plan(busy.root)
    timeline = {p.path: p for p in pages if p.path.startswith("timeline/")}
    assert sorted(timeline) == ["timeline/2021/03.md", "timeline/2021/12.md", "timeline/2021/index.md",
                                "timeline/2022.md", "timeline/index.md"]
    year = timeline["timeline/2021/index.md"]
    assert [e.ident for e in year.context["entries"]] == ["c"]  # only the year-precision claim stays on it
    assert year.context["months"] == [  # with the entries each month page holds, for links to the year page
        {"label": "March 2021", "count": 1, "path": "timeline/2021/03.md", "anchors": ["claim-d"]},
        {"label": "December 2021", "count": 3, "path": "timeline/2021/12.md",
         "anchors": ["claim-b", "claim-a", "article-summit"]}]
    december = timeline["timeline/2021/12.md"]
    assert [e.ident for e in december.context["entries"]] == ["b", "a", "summit"]  # month, then days in order
    assert december.title == "Timeline: December 2021"
    assert december.context["up"] == "timeline/2021/index.md"
    assert [e.ident for e in timeline["timeline/2022.md"].context["entries"]] == [
        "summit/event-summit-2022-01-talks-in-geneva", "e"]
    assert timeline["timeline/index.md"].context["years"] == [
        {"year": 2021, "count": 5, "path": "timeline/2021/index.md"},
        {"year": 2022, "count": 2, "path": "timeline/2022.md"}]


def test_year_at_the_split_limit_is_not_split(project):
    project.write("mkdocs.yml", settings_yaml(month_split=2))
    project.claim("a", claim("2021-12-07"))
    project.claim("b", claim("2021-11-07"))
    _, pages = plan(project.root)
    assert sorted(p.path for p in pages if p.path.startswith("timeline/")) == ["timeline/2021.md",
                                                                                "timeline/index.md"]


def test_every_entry_is_on_exactly_one_timeline_page(busy):
    site, pages = plan(busy.root)
    entries = timeline_entries(site)
    periods = [p for p in pages if p.template == "timeline_period.md"]
    shown = Counter(e.anchor for p in periods for e in p.context["entries"])
    assert len(entries) == 7
    assert set(shown) == {e.anchor for e in entries}
    assert set(shown.values()) == {1}
    located = pages[0].context["located"]
    for page in periods:
        for entry in page.context["entries"]:
            assert located[entry.anchor] == page.path


@pytest.fixture
def long_story(project):
    """A story of 5 entries, split at month_split 3: one in 2020, four in 2021 (two in December)."""
    project.write("mkdocs.yml", settings_yaml(month_split=3))
    for n, date in enumerate(["2020-05-01", "2021-12-07", "2021-12", "~2021", "2021-03-01"]):
        project.claim(f"s{n}", claim(date, extra="story: Long story\n"))
    project.claim("short", claim("2021-01-01", extra="story: Short story\n"))
    return project


def test_a_story_past_month_split_is_split_like_the_timeline(long_story):
    _, pages = plan(long_story.root)
    stories = {p.path: p for p in pages if p.path.startswith("stories/")}
    assert sorted(stories) == ["stories/index.md", "stories/long-story.md", "stories/long-story/2020.md",
                               "stories/long-story/2021/03.md", "stories/long-story/2021/12.md",
                               "stories/long-story/2021/index.md", "stories/short-story.md"]
    story = stories["stories/long-story.md"]
    assert story.template == "story.md" and story.context["entries"] == [] and story.context["count"] == 5
    assert story.context["years"] == [
        {"year": 2020, "count": 1, "path": "stories/long-story/2020.md", "anchors": ["claim-s0"]},
        {"year": 2021, "count": 4, "path": "stories/long-story/2021/index.md",
         "anchors": ["claim-s3", "claim-s4", "claim-s2", "claim-s1"]}]
    december = stories["stories/long-story/2021/12.md"]
    assert december.template == "timeline_period.md" and december.title == "Long story: December 2021"
    assert [e.ident for e in december.context["entries"]] == ["s2", "s1"]
    assert december.context["up"] == "stories/long-story/2021/index.md"
    assert december.context["story"].slug == "long-story"
    year = stories["stories/long-story/2021/index.md"]
    assert [e.ident for e in year.context["entries"]] == ["s3"]  # dated only to the year
    assert [m["path"] for m in year.context["months"]] == ["stories/long-story/2021/03.md",
                                                           "stories/long-story/2021/12.md"]
    # each of the story's entries is on exactly one of its pages; the site's timeline is split on its own
    shown = Counter(e.ident for p in stories.values() if p.template == "timeline_period.md"
                    for e in p.context["entries"])
    assert shown == Counter({"s0": 1, "s1": 1, "s2": 1, "s3": 1, "s4": 1})
    short = stories["stories/short-story.md"]
    assert [e.ident for e in short.context["entries"]] == ["short"] and short.context["years"] == []
    assert "timeline/2021/12.md" in {p.path for p in pages}


def test_a_story_at_the_split_limit_keeps_one_page(long_story):
    long_story.write("mkdocs.yml", settings_yaml(month_split=5))
    _, pages = plan(long_story.root)
    assert sorted(p.path for p in pages if p.path.startswith("stories/long-story")) == ["stories/long-story.md"]


def test_sample_timeline_anchors_are_unique_and_located(sample_project):
    site, pages = plan(sample_project)
    entries = timeline_entries(site)
    anchors = [e.anchor for e in entries]
    assert len(anchors) == len(set(anchors)) == 16
    located = pages[0].context["located"]
    assert set(located) == set(anchors)
    assert set(located.values()) == {"timeline/2021.md"}


def test_event_anchors_are_unique_within_an_article():
    events = [Event(date=FuzzyDate(2021, 12, 7), title=t) for t in ("Talks", "Talks", "Talks 2", "Talks", "!!!")]
    anchors = event_anchors("summit", events)
    assert anchors == ["event-summit-2021-12-07-talks", "event-summit-2021-12-07-talks-2",
                       "event-summit-2021-12-07-talks-2-2", "event-summit-2021-12-07-talks-3",
                       "event-summit-2021-12-07-event"]
    assert event_anchors("summit", events) == anchors  # stable from run to run


def test_event_anchors_are_unique_across_articles(project):
    """An article whose id extends another's could repeat one of its event anchors: the timeline's entry ids,
    timeline.json's unique_ids and the article pages' links must each name one event."""
    import json
    import re

    project.article("a.txt", "---\ndate: 2021-12-01\nevents:\n  - date: 2021-12-07\n    title: B 2021-12-08 y\n"
                             "---\nFirst\nStandfirst.\n")
    project.article("a-2021-12-07-b.txt", "---\ndate: 2021-12-02\nevents:\n  - date: 2021-12-08\n    title: y\n"
                                          "---\nSecond\nStandfirst.\n")
    files = api.render(project.root).files
    slides = json.loads(files["timeline.json"])["events"]
    ids = [slide["unique_id"] for slide in slides]
    assert len(ids) == len(set(ids)) == 4
    assert "event-a-2021-12-07-b-2021-12-08-y" in ids and "event-a-2021-12-07-b-2021-12-08-y-2" in ids
    page_ids = re.findall(r' id="([^"]+)"', files["timeline/2021.md"].decode())
    assert sorted(page_ids) == sorted(ids)
    for article, anchor in (("a", "event-a-2021-12-07-b-2021-12-08-y"),
                            ("a-2021-12-07-b", "event-a-2021-12-07-b-2021-12-08-y-2")):
        page = files[f"articles/{article}.md"].decode()
        assert f'id="{anchor}"' in page and f"#{anchor}" in page


def test_timeline_entry_order_on_the_same_day():
    """Events, then articles, then claims; ties broken by id."""
    from generator.plan import Entry

    day = FuzzyDate(2021, 12, 8)
    entries = [Entry(day, "claim", "b", "", "", "b"), Entry(day, "article", "x", "", "", "x"),
               Entry(day, "claim", "a", "", "", "a"), Entry(day, "event", "e", "", "", "e"),
               Entry(FuzzyDate(2021, 12), "claim", "z", "", "", "z")]
    assert [e.ident for e in sorted(entries, key=lambda e: e.key)] == ["z", "e", "x", "a", "b"]


def test_pagination_of_claimant_and_rating_pages(busy):
    site, pages = plan(busy.root)
    paths = [p.path for p in pages]
    assert "claimants/kremlin.md" in paths and "claimants/kremlin/page-2.md" in paths
    assert "claimants/kremlin/page-3.md" not in paths  # 3 claims, 2 a page
    assert "ratings/false.md" in paths and "ratings/false/page-2.md" in paths
    kremlin = [p for p in pages if p.template == "claimant.md" and p.title == "Kremlin"]
    assert [(p.context["page_no"], p.context["pages"], p.context["claims"]) for p in kremlin] == [
        (1, 2, ["e", "a"]), (2, 2, ["b"])]  # newest first
    assert [r.id for r, n in kremlin[0].context["scorecard"]] == ["false"]


def test_topic_pages_list_claims_and_articles_in_numbered_pages(project):
    """3 claims and 5 articles on one topic, 2 a page: three pages, each claim and article on exactly one."""
    project.write("mkdocs.yml", settings_yaml(page_size=2))
    for ident, date in [("a", "2021-12-07"), ("b", "2022-01-10"), ("c", "2021-03-01")]:
        project.claim(ident, claim(date, extra="tags: [Energy, Gas]\n"))
    for n in range(5):
        project.article(f"art{n}.md", f"---\ndate: 2021-0{n + 1}-01\ntags: [energy]\n---\n# Article {n}\n")
    site, pages = plan(project.root)
    energy = [p for p in pages if p.template == "topic.md" and p.title == "Energy"]
    assert [p.path for p in energy] == ["topics/energy.md", "topics/energy/page-2.md", "topics/energy/page-3.md"]
    assert [(p.context["page_no"], p.context["pages"], p.context["claims"], p.context["articles"])
            for p in energy] == [(1, 3, ["b", "a"], ["art4", "art3"]), (2, 3, ["c"], ["art2", "art1"]),
                                 (3, 3, [], ["art0"])]  # latest claims and newest articles first
    gas = [p for p in pages if p.template == "topic.md" and p.title == "Gas"]
    assert [(p.path, p.context["claims"], p.context["articles"]) for p in gas] == [
        ("topics/gas.md", ["b", "a"], []), ("topics/gas/page-2.md", ["c"], [])]


def test_topic_pages_link_every_page_of_the_topic(project):
    project.write("mkdocs.yml", settings_yaml(page_size=2))
    for ident, date in [("a", "2021-12-07"), ("b", "2022-01-10"), ("c", "2021-03-01")]:
        project.claim(ident, claim(date, extra="tags: [Energy]\n"))
    project.article("art.md", "---\ndate: 2021-05-01\ntags: [Energy]\n---\n# Gas <script>x</script>\n")
    files = api.render(project.root).files
    first, second = files["topics/energy.md"].decode(), files["topics/energy/page-2.md"].decode()
    assert "3 claims and 1 article about this topic" in first
    assert "## Claims (page 1 of 2)" in first and "## Articles (page 1 of 2)" in first
    assert 'href="../../claims/b/"' in first and 'href="../../claims/a/"' in first
    assert 'href="../../../claims/c/"' in second and "## Articles" not in second
    assert "Gas &lt;script&gt;x&lt;/script&gt;" in first and "<script>" not in first
    assert 'href="page-2/"' in first and 'href="../"' in second  # the pager, both ways
    for ident in "abc":  # and each claim links to its topic
        assert '<dt>Topics</dt> <dd><a href="../../topics/energy/">Energy</a></dd>' in files[f"claims/{ident}.md"].decode()
    assert 'Topics: <a href="../../topics/energy/">Energy</a>' in files["articles/art.md"].decode()


def test_many_claimants_are_split_by_letter(project):
    project.write("mkdocs.yml", settings_yaml(page_size=2))
    for n, name in enumerate(["Alice", "anna", "Bob", "9 News"]):
        project.claim(f"c{n}", claim("2021-12-07", claimant=name))
    _, pages = plan(project.root)
    letters = {p.path: [g.name for g in p.context["claimants"]] for p in pages
               if p.path.startswith("claimants/letters/")}
    assert letters == {"claimants/letters/0-9.md": ["9 News"], "claimants/letters/a.md": ["Alice", "anna"],
                       "claimants/letters/b.md": ["Bob"]}
    [index] = [p for p in pages if p.path == "claimants/index.md"]
    assert index.context["letters"] == [("0-9", 1), ("a", 2), ("b", 1)]


def test_every_planned_path_is_unique(project):
    project.write("mkdocs.yml", settings_yaml(page_size=1, month_split=1))
    names = ["Index", "letters", "Page 2", "x", "X!"]
    for n, name in enumerate(names):
        project.claim(f"c{n}", claim(f"2021-{n + 1:02d}", claimant=name,
                                     extra=f"tags: [{name}, index]\nstory: {name}\n"))
    project.article("index-1.txt", "---\ndate: 2021-05-02\ntags: [Index]\n---\nTitle\nStandfirst.\n")
    _, pages = plan(project.root)
    paths = [p.path for p in pages]
    assert [path for path, n in Counter(paths).items() if n > 1] == []
    assert all(path.endswith(".md") and not path.startswith(("/", "..")) for path in paths)


def test_sample_paths_are_unique_and_stable(sample_project):
    _, first = plan(sample_project)
    _, second = plan(sample_project)
    paths = [p.path for p in first]
    assert len(paths) == len(set(paths))
    assert paths == [p.path for p in second]


def test_nav_stays_short(sample_project):
    """Every claim, article and list page is reached from an index, never listed in the nav."""
    site, pages = plan(sample_project)
    config = read_yaml_file(sample_project / "mkdocs.yml", Problems())
    nav = [next(iter(item.values())) for item in config.data["nav"]]
    planned = {p.path for p in pages}
    assert set(nav) <= planned  # every nav entry is a page the tool writes
    assert len(nav) == 10
    claim_pages = {p.path for p in pages if p.template == "claim.md"}
    assert len(claim_pages) == len(site.claims) == 12
    assert not claim_pages & set(nav)
    assert all(path.endswith("index.md") or path in ("methodology.md", "corrections.md", "data.md") for path in nav)


def test_generate_leaves_mkdocs_yml_alone(sample_project):
    from generator import api

    before = (sample_project / "mkdocs.yml").read_bytes()
    result = api.generate(sample_project)
    assert (sample_project / "mkdocs.yml").read_bytes() == before
    assert len(result.pages) > 40


def test_directory_urls_setting_is_read(project):
    project.write("mkdocs.yml", MINIMAL_MKDOCS + "use_directory_urls: false\n")
    settings = load_settings(project.root)
    assert settings.use_directory_urls is False
