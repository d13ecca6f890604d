"""The open data and structured data as other tools read them: XML parsers, spreadsheets, TimelineJS,
ClaimReview consumers (Google's guidelines) and claimline's own ClaimReview importer."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import yaml

from conftest import REPO, ProjectBuilder
from generator import api
from generator.config import load_settings
from generator.importers import import_claimreview

ATOM = "{http://www.w3.org/2005/Atom}"
# what no consumer should see in a text field: C0 controls (but tab and line feed), DEL, bidi overrides/isolates
HIDDEN = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + ["\x7f"] + \
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]

HOSTILE_MKDOCS = """\
site_name: "Desk \\x01 <b>&amp;</b> ]]>"
site_url: https://example.org/
extra:
  claimline:
    organisation:
      name: "Org \\x02 ]]> <script>x</script>"
"""


def jsonld(page: bytes) -> dict:
    meta = yaml.safe_load(page.decode().split("---\n")[1])
    return json.loads(meta["claimline_jsonld"])


def hidden_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c in HIDDEN]


def hostile(project: ProjectBuilder) -> dict[str, bytes]:
    project.write("mkdocs.yml", HOSTILE_MKDOCS)
    project.claim("hostile", r'''
        statement: "Ctrl \x01\x0b ]]> <script>alert(1)</script> \u202eRTL\u202c \x7f and \uFFFE\uFFFF end"
        claimant:
          name: "Name \x03 \u202e<img src=x onerror=alert(1)>"
          role: "Role \x04 \u2066here"
        date: 2021-12-07
        rating: "false"
        summary: "Sum \x05 ]]> <script>x</script>"
        reviewed: {date: 2022-01-02}
        ''')
    return api.render(project.root).files


# --- feed.xml (RFC 4287) -----------------------------------------------------------------------------------


def test_the_feed_stays_well_formed_xml_whatever_the_editor_typed(project) -> None:
    """Characters XML 1.0 forbids (controls, U+FFFE, U+FFFF) never reach the feed, from claims or mkdocs.yml."""
    feed = ET.fromstring(hostile(project)["feed.xml"])  # raised "not well-formed (invalid token)" before
    assert feed.find(f"{ATOM}title").text == "Desk  <b>&amp;</b> ]]>"
    assert feed.find(f"{ATOM}author").find(f"{ATOM}name").text == "Org  ]]> <script>x</script>"
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "False: Ctrl  ]]> <script>alert(1)</script> RTL  and  end"
    assert "\ufffe" not in entry.find(f"{ATOM}summary").text


def test_the_feed_is_updated_at_its_newest_entry_whatever_the_time_zones(project) -> None:
    """``<updated>`` of the feed is the latest instant of its entries, not the largest text (RFC 3339 offsets)."""
    for ident, when in (("early", "2021-12-03T09:05+01:00"), ("late", "2021-12-03T08:30:15.1234567Z")):
        project.claim(ident, f"""\
            statement: {ident}
            claimant: someone
            date: 2021-12-01
            rating: "false"
            reviewed: {{date: "{when}"}}
            """)
    feed = ET.fromstring(api.render(project.root).files["feed.xml"])
    updated = datetime.fromisoformat(feed.find(f"{ATOM}updated").text)
    entries = [datetime.fromisoformat(e.find(f"{ATOM}updated").text) for e in feed.iter(f"{ATOM}entry")]
    assert updated == max(entries) == datetime.fromisoformat("2021-12-03T08:30:15.123456+00:00")
    ids = [e.find(f"{ATOM}id").text for e in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == 2 and all(i.startswith("https://example.org/claims/") for i in ids)


# --- claims.json and the page head (schema.org ClaimReview, Google's guidelines) ------------------------------


def test_structured_data_text_has_no_control_or_bidi_characters(project) -> None:
    """Text that the pages, feed and CSV show cleaned is cleaned in the JSON-LD too (search results show it)."""
    files = hostile(project)
    for review in (jsonld(files["claims/hostile.md"]), json.loads(files["claims.json"])["dataFeedElement"][0]):
        assert hidden_in(json.dumps(review, ensure_ascii=False)) == []
        assert review["claimReviewed"].startswith("Ctrl  ]]> <script>alert(1)</script> RTL ")
        assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Name  <img src=x onerror=alert(1)>",
                                                    "jobTitle": "Role  here"}
        assert review["author"]["name"] == "Org  ]]> <script>x</script>"


def test_a_scale_with_one_numbered_rating_gives_no_numeric_rating(project) -> None:
    """Google: bestRating must be greater than worstRating; one number on the scale is no scale."""
    project.write("mkdocs.yml", "site_name: S\nsite_url: https://example.org/\nextra:\n  claimline:\n"
                                "    ratings:\n      - {id: wrong, label: Wrong, value: 1}\n"
                                "      - {id: odd, label: Odd}\n")
    project.claim("a", 'statement: s\nclaimant: c\ndate: 2021-12-01\nrating: wrong\nreviewed: {date: 2021-12-02}\n')
    files = api.render(project.root).files
    assert jsonld(files["claims/a.md"])["reviewRating"] == {"@type": "Rating", "alternateName": "Wrong"}


def test_every_sample_review_follows_googles_required_and_recommended_properties() -> None:
    files = api.render(REPO).files
    feed = json.loads(files["claims.json"])
    assert feed["dataFeedElement"]
    for review in feed["dataFeedElement"]:
        page = jsonld(files["claims/" + review["url"].rstrip("/").rsplit("/", 1)[1] + ".md"])
        assert {k: v for k, v in page.items() if k != "@context"} == review  # the feed holds the page's review
        assert review["url"].startswith("https://example.org/claims/") and review["claimReviewed"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        if "ratingValue" in rating:
            assert 1 <= rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
            assert rating["worstRating"] < rating["bestRating"]
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        datetime.strptime(review["datePublished"], "%Y-%m-%d")
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["author"]["@type"] in ("Person", "Organization")


# --- timeline.json (TimelineJS) --------------------------------------------------------------------------------


def test_timeline_text_has_no_control_or_bidi_characters(project) -> None:
    events = json.loads(hostile(project)["timeline.json"])["events"]
    slide = next(e for e in events if e["unique_id"] == "claim-hostile")
    assert hidden_in(slide["text"]["headline"] + slide["text"]["text"]) == []
    assert slide["text"]["text"].startswith("Name  &lt;img src=x onerror=alert(1)&gt; · False · <a href=")


# --- claims.csv (RFC 4180, spreadsheets) ------------------------------------------------------------------------


def test_no_csv_cell_runs_as_a_formula_nor_hides_characters(project) -> None:
    project.claim("a", """\
        statement: "=1+1"
        claimant: {name: "@someone", role: "\\x01=HYPERLINK(\\"https://evil.example\\")"}
        date: 2021-12-01
        rating: "false"
        story: '=HYPERLINK("https://evil.example","x")'
        """)
    rows = list(csv.DictReader(io.StringIO(api.render(project.root).files["claims.csv"].decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["story"] == "'=HYPERLINK(\"https://evil.example\",\"x\")"
    assert row["claimant_role"] == "'=HYPERLINK(\"https://evil.example\")"
    assert (row["statement"], row["claimant"]) == ("'=1+1", "'@someone")


# --- the round trip: claimline's own claims.json through `claimline import claimreview` --------------------------


def _fresh(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_the_sample_reviews_come_back_from_claims_json(tmp_path: Path) -> None:
    """Statement, claimant (name, a person's role, links), dates, rating and the review's address come back."""
    original = api.check(REPO).site
    source = tmp_path / "claims.json"
    source.write_bytes(api.render(REPO).files["claims.json"])
    root = _fresh(tmp_path, "again")
    report = import_claimreview(load_settings(root), source)
    assert len(report.written) == 4 and not report.skipped and not report.unmapped
    imported = {rec.claim.original_review.url: rec.claim for rec in api.check(root).site.claims.values()}
    assert len(imported) == 4
    for ident, rec in original.claims.items():
        url = f"https://example.org/claims/{ident}/"
        if rec.rating.id == "pending":
            assert url not in imported
            continue
        back, claim = imported[url], rec.claim
        assert (back.statement, back.rating, back.date) == (claim.statement, claim.rating, claim.date)
        assert (back.claimant.name, back.claimant.same_as) == (claim.claimant.name, claim.claimant.same_as)
        # schema.org gives a Person a jobTitle, an Organization none; and the importer does not read the
        # author's @type (the Data Commons dump types every claimant, people too, as an Organization)
        assert back.claimant.role == (claim.claimant.role if claim.claimant.kind != "organization" else None)
        assert back.claimant.kind is None
        assert back.reviewed.date == claim.reviewed.date
        assert back.original_review.by == "Claimline sample desk"


def test_an_imported_reviews_licence_survives_export_and_import(tmp_path: Path) -> None:
    """claims.json writes the licence as ``license``; the importer reads it back (``sdLicense`` first)."""
    source = ProjectBuilder(tmp_path / "src")
    source.claim("imported", """\
        statement: Says Facebook shut down an appreciation day.
        claimant: Ted Cruz
        date: 2018-04-11
        rating: half-true
        original_review:
          by: PolitiFact
          url: https://www.politifact.com/example-review/
          rating: Half True
          date: 2018-04-23
          license: https://creativecommons.org/licenses/by/4.0/
        """)
    data = tmp_path / "claims.json"
    data.write_bytes(api.render(source.root).files["claims.json"])
    root = _fresh(tmp_path, "dst")
    import_claimreview(load_settings(root), data)
    (claim,) = [rec.claim for rec in api.check(root).site.claims.values()]
    assert claim.original_review.license == "https://creativecommons.org/licenses/by/4.0/"
    assert (claim.rating, claim.original_review.rating) == ("half-true", "Half True")
