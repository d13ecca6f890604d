"""Structured data and open data, read back the way another fact-check tool would read them."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from generator import api

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


def test_atom_feed_is_dated_from_the_data(files) -> None:
    root = ET.fromstring(files["feed.xml"])
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == "2022-03-01T00:00:00Z"  # the newest date in the records
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 12
    first = entries[0]
    assert first.find(f"{ATOM}id").text == "https://example.org/claims/biden-sanctions-warning/"
    assert first.find(f"{ATOM}title").text.startswith("True: The United States")


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
