"""Structured data and open data, read back the way another fact-check tool would read them."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import REPO, set_site_url
from generator import api
from generator.config import load_settings

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return api.render(REPO).files


def jsonld(page: bytes) -> dict | None:
    meta = yaml.safe_load(page.decode().split("---\n")[1])
    return json.loads(meta["claimline_jsonld"]) if "claimline_jsonld" in meta else None


def test_one_structured_data_block_on_claim_pages_and_on_no_other_page(files) -> None:
    for path, data in files.items():
        if not path.endswith(".md"):
            continue
        block = jsonld(data)
        if re.fullmatch(r"claims/[^/]+\.md", path) and path != "claims/index.md":
            assert block is not None, path
        else:
            assert block is None, path


def test_claim_review_follows_the_rules(files) -> None:
    review = jsonld(files["claims/russia-denies-attack-plans.md"])
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Russia is not planning to attack Ukraine; US media reports of a possible " \
                                      "attack are false."
    assert review["url"] == "https://example.org/claims/russia-denies-attack-plans/"
    assert review["author"] == {"@type": "Organization", "name": "Claimline sample desk",
                                "url": "https://example.org/"}
    assert review["datePublished"] == "2022-02-24"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                                      "bestRating": 5, "worstRating": 1}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2021-12"
    assert item["author"] == {"@type": "Organization", "name": "Russian government"}
    assert item["firstAppearance"]["url"] == "https://example.org/articles/putin-biden-summit-2021-12-08/"


def test_claimant_same_as_and_non_numeric_verdicts(files) -> None:
    review = jsonld(files["claims/putin-peaceful-foreign-policy.md"])
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Vladimir Putin",
                                                "jobTitle": "President of Russia",
                                                "sameAs": "https://www.wikidata.org/wiki/Q7747"}
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading"}


def test_a_pending_claim_carries_a_claim_not_a_review(files) -> None:
    block = jsonld(files["claims/ushakov-kyiv-sabotages-minsk.md"])
    assert block["@type"] == "Claim"
    assert "reviewRating" not in json.dumps(block)
    assert block["author"]["name"] == "Yury Ushakov" and block["datePublished"] == "2021-12-07"


def test_imported_review_names_its_original_reviewer(project) -> None:
    project.claim("imported", """\
        statement: Says Facebook shut down an appreciation day.
        claimant: {name: Ted Cruz, kind: person}
        date: 2018-04-11
        rating: half-true
        original_review:
          by: PolitiFact
          by_url: https://www.politifact.com/
          url: https://www.politifact.com/example-review/
          rating: Half True
          date: 2018-04-23
        """)
    review = jsonld(api.render(project.root).files["claims/imported.md"])
    assert review["author"] == {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.com/"}
    assert review["reviewRating"]["alternateName"] == "Half True"
    assert review["isBasedOn"] == "https://www.politifact.com/example-review/"
    assert review["datePublished"] == "2018-04-23"


def test_a_verdict_given_here_on_an_imported_claim_is_this_sites_review(project) -> None:
    """An imported review that gave no verdict, rated on this site: the ClaimReview is the site's (its
    organisation, its review date), based on the original; it used to name the original reviewer as the
    author of a verdict they never gave."""
    project.claim("imported", """\
        statement: Says Facebook shut down an appreciation day.
        claimant: {name: Ted Cruz, kind: person}
        date: 2018-04-11
        rating: "false"
        reviewed: {date: 2018-05-02, by: [A. Editor]}
        original_review:
          by: PolitiFact
          url: https://www.politifact.com/example-review/
          date: 2018-04-23
          license: https://creativecommons.org/licenses/by/4.0/
        """)
    review = jsonld(api.render(project.root).files["claims/imported.md"])
    site_org = load_settings(project.root).organisation
    assert review["author"]["name"] == site_org["name"] != "PolitiFact"
    assert review["reviewRating"]["alternateName"] == "False"
    assert review["datePublished"] == "2018-05-02"
    assert review["isBasedOn"] == "https://www.politifact.com/example-review/"
    assert "license" not in review  # the original's licence covers the original's data, not this verdict


def test_addresses_follow_use_directory_urls(project) -> None:
    """With ``use_directory_urls: false`` the site's pages are ``claims/a.html``: the structured data, the feed
    and the data files link there, with ``site_url`` (absolute) or without it (relative)."""
    project.claim("a", 'statement: s\nclaimant: c\ndate: 2021-12-01\nrating: "false"\nreviewed: {date: 2021-12-02}\n')
    config = project.root / "mkdocs.yml"
    plain = config.read_text("utf-8").replace("site_url: https://example.org/\n", "") + "use_directory_urls: false\n"
    for site_url, page, feed_link in (("https://example.org/news/", "https://example.org/news/claims/a.html",
                                       "https://example.org/news/claims/a.html"),
                                      (None, "a.html", "claims/a.html")):
        config.write_text(plain + (f"site_url: {site_url}\n" if site_url else ""), "utf-8")
        files = api.render(project.root).files
        assert jsonld(files["claims/a.md"])["url"] == page
        assert json.loads(files["claims.json"])["dataFeedElement"][0]["url"] == feed_link
        entry = ET.fromstring(files["feed.xml"]).find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}link").get("href") == feed_link


def test_claims_json_is_a_datafeed_of_the_reviews(files) -> None:
    feed = json.loads(files["claims.json"])
    assert feed["@type"] == "DataFeed" and feed["@context"] == "https://schema.org"
    reviewed = {e["url"].rsplit("/", 2)[1] for e in feed["dataFeedElement"]}
    assert reviewed == {"russia-denies-attack-plans", "us-media-report-possible-attack",
                        "putin-peaceful-foreign-policy", "biden-sanctions-warning"}
    assert all(e["@type"] == "ClaimReview" and "reviewRating" in e for e in feed["dataFeedElement"])


def test_claims_csv_has_every_claim(files) -> None:
    rows = list(csv.DictReader(io.StringIO(files["claims.csv"].decode())))
    assert len(rows) == 12
    row = next(r for r in rows if r["id"] == "kremlin-nato-guarantees")
    assert row["rating"] == "pending" and row["date"] == "2021-12-07" and row["date_approximate"] == "true"
    assert row["claimant"] == "Kremlin" and row["tags"] == "Russia; NATO"


def test_timeline_json_is_timelinejs(files) -> None:
    timeline = json.loads(files["timeline.json"])
    assert timeline["title"]["text"]["headline"] == "Claimline sample fact checks"
    events = timeline["events"]
    assert len(events) == 16  # 12 claims, 3 events, 1 article
    summit = next(e for e in events if e["group"] == "Events" and e["start_date"]["day"] == 7)
    assert summit["start_date"] == {"year": 2021, "month": 12, "day": 7, "display_date": "7 December 2021"}
    assert all(e["unique_id"] and e["text"]["headline"] for e in events)
    month_only = next(e for e in events if e["unique_id"] == "claim-russia-denies-attack-plans")
    assert month_only["start_date"] == {"year": 2021, "month": 12, "display_date": "December 2021"}
    assert "&#x27;" in next(e for e in events if e["group"] == "Articles")["text"]["headline"]


def test_timeline_json_read_more_links_lead_to_a_page_and_an_anchor_it_has(files) -> None:
    events = json.loads(files["timeline.json"])["events"]
    for event in events:
        href = html.unescape(re.search(r'href="([^"]+)"', event["text"]["text"])[1])
        path, _, fragment = href.removeprefix("https://example.org/").partition("#")
        page = files[path.rstrip("/") + ".md"].decode()
        if event["group"] == "Events":  # an event is an item of its article's page
            assert fragment and f'id="{fragment}"' in page, href
        else:
            assert not fragment, href
            assert path in (f"claims/{event['unique_id'].removeprefix('claim-')}/",
                            f"articles/{event['unique_id'].removeprefix('article-')}/"), href


def test_atom_feed_is_dated_from_the_data(files) -> None:
    root = ET.fromstring(files["feed.xml"])
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == "2022-03-01T00:00:00Z"  # the newest date in the records
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 12
    first = entries[0]
    assert first.find(f"{ATOM}id").text == "https://example.org/claims/biden-sanctions-warning/"
    assert first.find(f"{ATOM}title").text.startswith("True: The United States")


@pytest.mark.parametrize("variables, url", [
    ({}, "https://default.example/"),
    ({"CLAIMLINE_TEST_URL": "https://env.example/"}, "https://env.example/"),
    ({"CLAIMLINE_TEST_OTHER": "https://other.example/"}, "https://other.example/"),
    ({"CLAIMLINE_TEST_URL": "https://env.example/", "CLAIMLINE_TEST_OTHER": "https://other.example/"},
     "https://env.example/"),  # the first variable set wins
])
def test_site_url_from_the_environment_as_mkdocs_reads_it(sample_project: Path, monkeypatch, variables, url) -> None:
    """``!ENV [VAR, OTHER, default]``: the first variable set, else the default; every absolute address uses it."""
    set_site_url(sample_project, '!ENV [CLAIMLINE_TEST_URL, CLAIMLINE_TEST_OTHER, "https://default.example/"]')
    for name in ("CLAIMLINE_TEST_URL", "CLAIMLINE_TEST_OTHER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    made = api.render(sample_project).files
    assert jsonld(made["claims/kremlin-talks-frank.md"])["url"] == f"{url}claims/kremlin-talks-frank/"
    assert ET.fromstring(made["feed.xml"]).find(f"{ATOM}entry").find(f"{ATOM}id").text.startswith(f"{url}claims/")
    rows = list(csv.DictReader(io.StringIO(made["claims.csv"].decode())))
    assert all(row["url"].startswith(f"{url}claims/") for row in rows) and rows
    assert b"CLAIMLINE_TEST" not in b"".join(made.values())


def test_env_values_anywhere_in_mkdocs_yml_follow_mkdocs(tmp_path: Path, monkeypatch) -> None:
    """``!ENV NAME`` unset is null (the setting's default); a variable YAML reads as null is null too; a nested
    ``!ENV`` default is resolved first; a mapping after ``!ENV`` is an error at its position."""
    from generator.errors import ConfigError

    for name in ("CL_UNSET", "CL_PAGES", "CL_EMPTY", "CL_ORG", "CL_ORG_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CL_PAGES", "7")
    monkeypatch.setenv("CL_EMPTY", "")
    monkeypatch.setenv("CL_ORG_URL", "https://org.example/")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV CL_UNSET\nsite_url: !ENV [CL_EMPTY, https://not-used.example/]\n"
        "extra:\n  claimline:\n    page_size: !ENV [CL_PAGES, 3]\n    latest: !ENV [CL_UNSET, 4]\n"
        "    organisation:\n      name: !ENV [CL_ORG, !ENV [CL_UNSET, Nested default]]\n"
        "      url: !ENV CL_ORG_URL\n", "utf-8")
    settings = load_settings(tmp_path)
    assert (settings.site_name, settings.site_url, settings.page_size, settings.latest) == ("Fact checks", "", 7, 4)
    assert settings.organisation == {"name": "Nested default", "url": "https://org.example/"}
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: !ENV {CL_ORG: 1}\n", "utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:2:11: error: !ENV takes the name of an environment variable"):
        load_settings(tmp_path)


def test_exports_do_not_change_between_runs(files) -> None:
    again = api.render(REPO).files
    for name in ("claims.json", "claims.csv", "timeline.json", "feed.xml"):
        assert again[name] == files[name]


def test_corrections_page_lists_updates_newest_first(files) -> None:
    page = files["corrections.md"].decode()
    assert '<strong>Update</strong>, <time datetime="2022-02-24">24 February 2022</time>' in page
    assert 'href="../claims/russia-denies-attack-plans/"' in page


def test_data_page_links_every_export(files) -> None:
    page = files["data.md"].decode()
    for name in ("claims.json", "claims.csv", "timeline.json", "feed.xml"):
        assert f'href="../{name}"' in page
    assert "<code>rating_label</code>" in page


def test_exports_reach_the_built_site(tmp_path: Path, sample_project: Path) -> None:
    api.build(sample_project, strict=True)
    site = sample_project / "site"
    for name in ("claims.json", "claims.csv", "timeline.json", "feed.xml"):
        assert (site / name).read_bytes() == (sample_project / "docs" / name).read_bytes()
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "https://example.org/claims/russia-denies-attack-plans/" in sitemap
    assert "https://example.org/timeline/2021/" in sitemap
    head = (site / "claims/kremlin-talks-frank/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/claims/kremlin-talks-frank/">' in head
    assert '<meta property="og:title" content="The talks between Putin and Biden were frank.">' in head
    assert '<meta name="twitter:card" content="summary">' in head
    assert 'type="application/atom+xml"' in head
