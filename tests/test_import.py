"""Importers: ClaimReview (every input form) and LIAR into claim files that `claimline check` accepts.

Unit tests use small synthetic inputs written here; the corpus tests at the end read the real
data sets in ../shared/corpora (never copied into the repository) and skip when they are absent.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import CORPORA, ProjectBuilder, requires_corpora
from generator import api
from generator.cli import main
from generator.config import load_settings
from generator.errors import ClaimlineError, ConfigError
from generator.importers import DEFAULT_RATINGS, RatingTable, import_claimreview, import_liar
from generator.importers.claimreview import review_id
from generator.importers.common import Record, clean_text, ImportReport
from generator.importers.writer import MARKER, write_records, yaml_scalar
from generator.link import MAX_ID_LENGTH
from generator.importers.liar import speaker_name, subject_tag
from generator.model import ID_PATTERN

CR_DIR = "claims/imported/claimreview"
LIAR_DIR = "claims/imported/liar"


def review(n: int = 1, **changes) -> dict:
    """A synthetic ClaimReview; ``changes`` replace fields (None removes one; dotted keys reach inside)."""
    data = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://checks.example.org/2020/03/0{n}/lunar-dairy-claim-{n}/",
        "datePublished": f"2020-03-0{n}",
        "sdLicense": "https://creativecommons.org/licenses/by/4.0/",
        "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org"},
        "claimReviewed": f"The moon is made of cheese, number {n}.",
        "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"},
        "itemReviewed": {"@type": "Claim", "datePublished": f"2020-02-0{n}",
                         "author": {"@type": "Person", "name": "Jane Roe"}},
    }
    for key, value in changes.items():
        *path, last = key.split(".")
        target = data
        for part in path:
            target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return data


def settings_of(project: ProjectBuilder):
    return load_settings(project.root)


def claim_files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.yaml"))}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.yaml")}


def age(folder: Path) -> None:
    past = time.time_ns() - 3_600 * 10**9
    for p in folder.rglob("*.yaml"):
        os.utime(p, ns=(past, past))


def script_lines(records: list[dict]) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(r)}</script>\n' for r in records)


# --- ClaimReview: input forms -----------------------------------------------------------------


def test_single_object_becomes_one_checked_claim_file(project):
    project.write("in/one.json", json.dumps(review(), indent=2))
    report = import_claimreview(settings_of(project), project.root / "in/one.json")
    ident = "lunar-dairy-claim-1-" + review_id(review()["url"], "", {})[0][-6:]
    assert report.written == [f"{CR_DIR}/{ident}.yaml"] and report.records == 1
    assert (report.skipped, report.anomalies, report.unmapped) == ([], [], {})
    text = (project.root / CR_DIR / f"{ident}.yaml").read_text("utf-8")
    assert text == (
        f"{MARKER}one.json, line 1. Re-importing replaces this file; delete this line to keep your edits.\n"
        "statement: The moon is made of cheese, number 1.\n"
        "claimant: Jane Roe\n"
        'date: "2020-02-01"\n'
        'rating: "false"\n'
        "reviewed:\n"
        '  date: "2020-03-01"\n'
        "  by: Example Checks\n"
        "original_review:\n"
        "  by: Example Checks\n"
        '  by_url: "https://checks.example.org/"\n'
        '  url: "https://checks.example.org/2020/03/01/lunar-dairy-claim-1/"\n'
        "  rating: Pants on Fire\n"
        '  date: "2020-03-01"\n'
        '  license: "https://creativecommons.org/licenses/by/4.0/"\n')
    result = api.check(project.root, strict=True)
    claim = result.site.claims[ident].claim
    assert claim.rating == "false" and claim.original_review.rating == "Pants on Fire"


FORMS = {
    "list.json": lambda rs: json.dumps(rs, indent=2),
    "feed.json": lambda rs: json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "item": rs[:2]}, rs[2]]}, indent=1),
    "lines.jsonl": lambda rs: "".join(json.dumps(r) + "\n" for r in rs),
    "dump.txt": script_lines,
}


@pytest.mark.parametrize("name", FORMS)
def test_every_input_form_gives_the_same_claims(project, name):
    records = [review(n) for n in (1, 2, 3)]
    project.write(f"in/{name}", FORMS[name](records))
    report = import_claimreview(settings_of(project), project.root / "in" / name)
    assert len(report.written) == 3 and report.records == 3 and not report.skipped
    files = claim_files(project.root / CR_DIR)
    bodies = sorted(text.split("\n", 1)[1] for text in files.values())
    ref = ProjectBuilder(project.root.parent / "ref")
    ref.write("in/ref.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    import_claimreview(settings_of(ref), ref.root / "in/ref.jsonl")
    assert bodies == sorted(t.split("\n", 1)[1] for t in claim_files(ref.root / CR_DIR).values())
    api.check(project.root, strict=True)


def test_line_numbers_point_at_each_record(project):
    records = [review(n) for n in (1, 2, 3)]
    text = json.dumps({"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": records}]},
                      indent=2)
    project.write("in/feed.json", text)
    import_claimreview(settings_of(project), project.root / "in/feed.json")
    lines = text.split("\n")
    for body in claim_files(project.root / CR_DIR).values():
        line = int(re.search(r", line (\d+)\.", body).group(1))
        assert lines[line - 1].strip() == "{"  # the record's opening brace
        statement = yaml.safe_load(body)["statement"]
        assert json.dumps(statement) in "\n".join(lines[line:line + 12])


def test_feed_elements_that_are_not_reviews_and_broken_lines_are_skipped(project):
    text = script_lines([review(1)]) + "not a script\n" + '<script type="application/ld+json">{oops</script>\n' \
        + script_lines([{"@type": "Claim", "name": "x"}])
    project.write("in/dump.txt", text)
    report = import_claimreview(settings_of(project), project.root / "in/dump.txt")
    assert len(report.written) == 1 and report.records == 4
    assert report.skip_counts() == {"unreadable record": 2, "not a ClaimReview": 1}
    assert [i.line for i in report.skipped] == [2, 3, 4]


def test_a_broken_json_document_is_an_error_with_its_position(project):
    project.write("in/bad.json", '[\n  {"@type": "ClaimReview",\n  oops]\n')
    with pytest.raises(ClaimlineError, match=r"bad\.json:3:3: not valid JSON"):
        import_claimreview(settings_of(project), project.root / "in/bad.json")


def test_mapping_of_claimant_links_role_appearances_and_id(project):
    record = review(1, **{"itemReviewed.author": {"@type": "Person", "name": "Jane Roe", "jobTitle": "Mayor",
                                                  "sameAs": ["https://www.wikidata.org/wiki/Q1", "urn:x"]},
                          "itemReviewed.appearance": [{"url": "https://video.example.net/watch/1"}, "ftp://x"],
                          "itemReviewed.firstAppearance": {"@type": "CreativeWork",
                                                           "url": "https://news.example.net/a"},
                          "@id": "https://checks.example.org/#review-1"})
    project.write("in/one.json", json.dumps(record))
    report = import_claimreview(settings_of(project), project.root / "in/one.json")
    claim = next(iter(api.check(project.root).site.claims.values())).claim
    assert claim.claimant.name == "Jane Roe" and claim.claimant.role == "Mayor"
    assert claim.claimant.same_as == ["https://www.wikidata.org/wiki/Q1"]
    assert [a.url for a in claim.appearances] == ["https://video.example.net/watch/1", "https://news.example.net/a"]
    assert claim.original_review.id == "https://checks.example.org/#review-1"
    assert report.anomaly_counts() == {"appearance is not a web address: dropped": 1,
                                       "claimant link is not a web address: dropped": 1}


@pytest.mark.parametrize("url, slug", [
    ("https://checks.example.org/2019/05/some-claim-checked/", "some-claim-checked"),
    ("https://checks.example.org/news/2017/06/01/index.html", "news"),
    ("https://checks.example.org/a/" + "very-long-words-" * 10 + "/?utm=1#part", "very-long-words-very-long-words"),
    ("https://bit.example/2AbC9x", "2abc9x"),
    ("in an ad", "in-an-ad"),
])
def test_review_ids_are_stable_slugs_with_a_short_hash(url, slug):
    ident, grew = review_id(url, "fallback", {})
    assert re.match(ID_PATTERN, ident) and not grew
    assert ident.startswith(slug) and re.fullmatch(r"-[0-9a-f]{6}", ident[len(ident.rsplit("-", 1)[0]):])
    assert len(ident) <= 60 + 7 and review_id(url, "fallback", {})[0] == ident
    other, grew = review_id(url + "x", "fallback", {ident: "someone else"})
    assert other != ident
    taken = {ident: "a different url"}
    longer, grew = review_id(url, "fallback", taken)
    assert grew and len(longer) == len(ident) + 2 and longer.startswith(ident)


# --- ClaimReview: anomalies of real-world data ------------------------------------------------------


def test_each_anomaly_is_reported_and_the_result_passes_check(project):
    records = [
        review(1, **{"itemReviewed.datePublished": "2106-03-05"}),  # claim dated after its review (typo year)
        review(2, datePublished=None),  # no review date
        review(3, **{"itemReviewed.datePublished": None}),  # no claim date
        review(4, datePublished=None, **{"itemReviewed.datePublished": None}),  # neither date
        review(5, claimReviewed="Lorem ipsum placeholder text", **{"itemReviewed.author": {"@type": "Person"}}),
        review(6, claimReviewed="Zero\u200bwidth and \u202abidi\u202c text\u200e."),
        review(1, claimReviewed="A second record with the first one's URL."),
        review(7, author={"@type": "Organization", "name": "Washington Post"}),
        review(8, url="on a billboard"),
    ]
    project.write("in/dump.txt", script_lines(records))
    report = import_claimreview(settings_of(project), project.root / "in/dump.txt")
    assert report.records == 9 and len(report.written) == 7
    assert report.skip_counts() == {"duplicate review URL (the first record is kept)": 1, "no claimant": 1}
    assert report.anomaly_counts() == {
        "no review date: no 'reviewed' block": 2,
        "claim dated after its review: the review date is used as an approximate claim date": 1,
        "invisible or bidi characters removed": 1,
        "no claim date and no review date: date 'unknown'": 1,
        "no claim date: the review date is used as an approximate claim date": 1,
        "no review URL: the claim does not link to the original review": 1,
        "publisher name normalised": 1,
    }
    by_line = {a.kind: a for a in report.anomalies}
    assert by_line["publisher name normalised"].detail == "'Washington Post' → 'The Washington Post'"
    assert by_line["invisible or bidi characters removed"].line == 6
    claims = {rec.path.name: rec.claim for rec in api.check(project.root, strict=True).site.claims.values()}
    by_statement = {c.statement: c for c in claims.values()}
    assert str(by_statement["The moon is made of cheese, number 1."].date) == "~2020-03-01"
    assert by_statement["The moon is made of cheese, number 2."].reviewed is None
    assert str(by_statement["The moon is made of cheese, number 3."].date) == "~2020-03-03"
    assert by_statement["The moon is made of cheese, number 4."].date is None
    assert "Zerowidth and bidi text." in by_statement
    assert by_statement["The moon is made of cheese, number 7."].original_review.by == "The Washington Post"
    assert by_statement["The moon is made of cheese, number 8."].original_review.url is None
    text = report.format()
    assert "no claimant (line 5)" in text and "duplicate review URL (the first record is kept) (line 7)" in text


def test_clean_text_removes_invisible_and_bidi_characters_only():
    assert clean_text("a\u200bb\u202ac\u202c\ufeffd\x90e") == ("abcde", ["U+200B", "U+202A", "U+202C", "U+FEFF",
                                                                         "U+0090"])
    kept = "emoji 👩\u200d💻 and a\u2009thin space"
    assert clean_text(kept) == (kept, [])


# --- the rating table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, rid", [
    ("Pants on Fire!", "false"), ("FALSE", "false"), ("Four Pinocchios", "false"), ("Three Pinocchios", "mostly-false"),
    ("Two Pinocchios", "half-true"), ("One Pinocchio", "mostly-true"), ("Barely True", "mostly-false"),
    ("barely-true", "mostly-false"), ("pants-fire", "false"), ("Distorts the Facts", "misleading"),
    ("  distorts   THE facts ", "misleading"), ("Lacks Context", "misleading"), ("Needs context", "misleading"),
    ("Unsupported", "unproven"), ("No Evidence", "unproven"), ("Spins the Facts", "misleading"),
    ("Correct", "true"), ("Accurate", "true"), ("half-true", "half-true"), ("Full Flop", None), ("", None),
])
def test_default_rating_table(project, text, rid):
    assert RatingTable.for_site(settings_of(project)).lookup(text) == rid


def test_every_default_maps_onto_the_default_scale(project):
    scale = settings_of(project).ratings
    assert set(DEFAULT_RATINGS.values()) <= set(scale)


OVERRIDES = """
extra:
  claimline:
    import_ratings:
      Full Flop: misleading
      Mixed: unproven
      spin: ~
"""


def test_site_overrides_from_mkdocs_yml_and_unmapped_texts(project):
    (project.root / "mkdocs.yml").write_text((project.root / "mkdocs.yml").read_text() + OVERRIDES)
    table = RatingTable.for_site(settings_of(project))
    assert (table.lookup("full flop"), table.lookup("MIXED"), table.lookup("Spin")) == ("misleading", "unproven",
                                                                                       None)
    verdicts = ["Full Flop", "Spin", "Not what the study says", "not what the  study says", "Spin"]
    project.write("in/l.jsonl", "".join(json.dumps(review(n + 1, reviewRating={"alternateName": v})) + "\n"
                                        for n, v in enumerate(verdicts)))
    report = import_claimreview(settings_of(project), project.root / "in/l.jsonl")
    assert dict(report.unmapped) == {"Spin": 2, "Not what the study says": 2}
    claims = api.check(project.root).site.claims.values()
    assert sorted((c.claim.rating, c.claim.original_review.rating) for c in claims) == [
        ("misleading", "Full Flop"), ("pending", "Not what the study says"), ("pending", "Spin"),
        ("pending", "Spin"), ("pending", "not what the study says")]
    text = report.format()
    assert text.rindex("Unmapped ratings") > text.index("records read")
    assert text.endswith("       2  Not what the study says\n       2  Spin")


def test_a_mapped_id_off_the_scale_is_a_configuration_error(project):
    (project.root / "mkdocs.yml").write_text((project.root / "mkdocs.yml").read_text()
                                             + "extra:\n  claimline:\n    import_ratings:\n      Satire: satire\n")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:\d+:\d+: import_ratings maps 'Satire' onto 'satire'"):
        RatingTable.for_site(settings_of(project))


def test_a_custom_scale_without_the_defaults_ids_is_a_configuration_error(project):
    (project.root / "mkdocs.yml").write_text((project.root / "mkdocs.yml").read_text() + (
        "extra:\n  claimline:\n    ratings:\n      - {id: right, label: Right}\n      - {id: wrong, label: Wrong}\n"))
    with pytest.raises(ConfigError, match="maps onto 'true', .*'unproven', which are not on the site's rating "
                       "scale") as info:
        import_claimreview(settings_of(project), project.root / "missing.json")
    assert "extra.claimline.import_ratings" in info.value.hint and "'Four Pinocchios'" in info.value.hint


# --- LIAR -----------------------------------------------------------------------------------------------

def liar_row(sid: str, label: str, statement: str, subjects="health-care,taxes", speaker="jane-q-public",
             job="State senator", state="Ohio", party="democrat", context="a floor speech.") -> str:
    return "\t".join([f"{sid}.json", label, statement, subjects, speaker, job, state, party, "1", "2", "3", "4", "0",
                      context]) + "\n"


def test_liar_rows(project):
    project.write("in/liar/train.tsv",
                  liar_row("11", "pants-fire", '"Quoted" start of a statement, then more.')
                  + liar_row("12", "barely-true", "  Padded statement.  ", job="  ", context="",
                             speaker="league-of-women-voters")
                  + liar_row("13", "half-true", "Bidi \u202acontrol\u202c inside.", job=" U.S. Senator ",
                             context=" an *interview* on <TV> ", speaker="bob-mcdonnell")
                  + "too\tfew\tcolumns\n")
    project.write("in/liar/valid.tsv", liar_row("11", "true", "Same id as a train row.")
                  + liar_row("14", "verified", "A label LIAR never uses.", speaker="Jack_Graham"))
    report = import_liar(settings_of(project), project.root / "in/liar")
    assert report.records == 6 and len(report.written) == 3 + 1
    assert report.skip_counts() == {"duplicate statement id (the first row is kept)": 1,
                                    "not 14 tab-separated columns": 1}
    assert report.anomaly_counts() == {"invisible or bidi characters removed": 1}
    assert dict(report.unmapped) == {"verified": 1}
    assert "no review URLs" in report.format() and "train.tsv:4" in report.format()
    site = api.check(project.root, strict=True).site
    c11, c12, c13, c14 = (site.claims[f"liar-{n}"].claim for n in (11, 12, 13, 14))
    assert c11.statement == '"Quoted" start of a statement, then more.'
    assert (c11.claimant.name, c11.claimant.role, c11.date, c11.rating) == ("Jane Q Public", "State senator", None,
                                                                           "false")
    assert c11.tags == ["Health care", "Taxes"] and c11.analysis == "Said in: a floor speech."
    assert (c11.original_review.by, c11.original_review.id, c11.original_review.rating,
            c11.original_review.url, c11.original_review.date) == ("PolitiFact", "11.json", "Pants on Fire", None,
                                                                   None)
    assert (c12.statement, c12.claimant.name, c12.claimant.role, c12.analysis, c12.rating) == (
        "Padded statement.", "League of Women Voters", None, None, "mostly-false")
    assert c12.original_review.rating == "Barely True"
    assert (c13.statement, c13.claimant.name, c13.claimant.role) == ("Bidi control inside.", "Bob McDonnell",
                                                                     "U.S. Senator")
    assert c13.analysis == r"Said in: an \*interview\* on \<TV\>"
    assert (c14.claimant.name, c14.rating, c14.original_review.rating) == ("Jack Graham", "pending", "verified")
    page = api.render(project.root).files["claims/liar-13.md"].decode()
    assert "an *interview* on &lt;TV&gt;" in page


@pytest.mark.parametrize("slug, name", [("barack-obama", "Barack Obama"), ("chain-email", "Chain Email"),
                                        ("national-republican-congressional-committee",
                                         "National Republican Congressional Committee"),
                                        ("aclu-of-texas", "ACLU of Texas"), ("Rhode_Island_Catholic",
                                                                            "Rhode Island Catholic"),
                                        ("bernie-s", "Bernie S"), ("the-onion", "The Onion")])
def test_speaker_names(slug, name):
    assert speaker_name(slug) == name


def test_subject_tags():
    assert [subject_tag(s) for s in ("health-care", "Alcohol", "a{b}")] == ["Health care", "Alcohol", "A b"]


# --- writing: idempotence, conflicts, validation --------------------------------------------------------


def test_reimporting_changes_nothing_and_a_changed_record_rewrites_one_file(project):
    project.write("in/l.jsonl", "".join(json.dumps(review(n)) + "\n" for n in (1, 2, 3)))
    settings = settings_of(project)
    import_claimreview(settings, project.root / "in/l.jsonl")
    folder = project.root / CR_DIR
    age(folder)
    before, texts = mtimes(folder), claim_files(folder)
    again = import_claimreview(settings, project.root / "in/l.jsonl")
    assert (again.written, len(again.unchanged)) == ([], 3)
    assert mtimes(folder) == before and claim_files(folder) == texts
    project.write("in/l.jsonl", "".join(json.dumps(review(n, **({"reviewRating": {"alternateName": "True"}}
                                                                   if n == 2 else {}))) + "\n" for n in (1, 2, 3)))
    third = import_claimreview(settings, project.root / "in/l.jsonl")
    assert len(third.written) == 1 and len(third.unchanged) == 2
    assert [n for n, t in mtimes(folder).items() if t != before[n]] == [Path(third.written[0]).name]


def test_hand_written_files_and_taken_ids_are_never_overwritten(project):
    project.write("in/liar.tsv", liar_row("1", "true", "One.") + liar_row("2", "false", "Two.")
                  + liar_row("3", "false", "Three."))
    hand = project.write(f"{LIAR_DIR}/liar-1.yaml", "statement: Mine.\nclaimant: Me\ndate: 2020\nrating: pending\n")
    project.claim("liar-2", "statement: Also mine.\nclaimant: Me\ndate: 2020\nrating: pending\n")
    report = import_liar(settings_of(project), project.root / "in/liar.tsv")
    assert report.written == [f"{LIAR_DIR}/liar-3.yaml"]
    assert report.skip_counts() == {"conflict: a claim file the importer did not write is in the way": 1,
                                    "id already used by another claim": 1}
    assert hand.read_text() == "statement: Mine.\nclaimant: Me\ndate: 2020\nrating: pending\n"
    assert "claims/liar-2.yaml" in report.format()
    api.check(project.root, strict=True)


def test_an_invalid_record_is_skipped_with_its_reason_and_the_rest_written(project):
    settings = settings_of(project)
    good = {"statement": "Fine.", "claimant": "A", "date": "2020-01-01", "rating": "true"}
    records = [Record("ok", dict(good), "x.json", 1),
               Record("bad-date", {**good, "date": "2020-13-01"}, "x.json", 2),
               Record("bad-rating", {**good, "rating": "bogus"}, "x.json", 3),
               Record("early-review", {**good, "reviewed": {"date": "2019-12-31", "by": "B"}}, "x.json", 4),
               Record("Bad_Id", dict(good), "x.json", 5)]
    report = ImportReport(["x.json"])
    write_records(settings, settings.claims_dir / "imported" / "x", records, report)
    assert report.written == ["claims/imported/x/ok.yaml"]
    reasons = {i.line: i.detail for i in report.skipped}
    assert report.skip_counts() == {"invalid claim": 4}
    assert "no month 13" in reasons[2] and "unknown rating 'bogus'" in reasons[3]
    assert "reviewed on 2019-12-31" in reasons[4] and "cannot be a claim id" in reasons[5]


def test_destination_must_be_inside_the_claims_folder(project):
    project.write("in/one.json", json.dumps(review()))
    with pytest.raises(ClaimlineError, match="not inside claims/"):
        import_claimreview(settings_of(project), project.root / "in/one.json", dest=project.root / "elsewhere")


@pytest.mark.parametrize("value, shown", [("plain words", "plain words"), ("true", '"true"'),
                                          ("2021-12-07", '"2021-12-07"'), ("a: b", '"a: b"'),
                                          ("- item", '"- item"'), ("line\u2028break", '"line\\u2028break"'),
                                          ('say "hi"', 'say "hi"'), ('"hi" she said', '"\\"hi\\" she said"'),
                                          ("", '""')])
def test_yaml_scalars(value, shown):
    assert yaml_scalar(value) == shown


# --- what an editor sees on bad input: long ids, paths in the way, hostile JSON, reviews without URLs ----------


def claimline(project: ProjectBuilder, *args: str):
    """``claimline ARGS --project …`` as the shell runs it (exit code, stdout and stderr)."""
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def test_an_id_too_long_for_check_is_shortened_stably_and_passes_check(project):
    long_a, long_b = "8" * 125, "8" * 124 + "9"  # ids of 130 characters that share their first 129
    project.write("in/liar.tsv", liar_row(long_a, "false", "One.") + liar_row(long_b, "true", "Two.")
                  + liar_row("2635", "false", "Three."))
    result = claimline(project, "import", "liar", str(project.root / "in/liar.tsv"))
    assert result.exit_code == 0, result.output
    assert "3 claims written" in result.output and "0 skipped" in result.output
    assert f"id longer than {MAX_ID_LENGTH} characters: shortened (lines 1, 2)" in result.output
    names = sorted(claim_files(project.root / LIAR_DIR))
    assert len(names) == 3 and all(len(Path(n).stem) <= MAX_ID_LENGTH for n in names)
    checked = claimline(project, "check", "--strict")
    assert checked.exit_code == 0, checked.output
    again = claimline(project, "import", "liar", str(project.root / "in/liar.tsv"))
    assert "0 claims written, 3 unchanged" in again.output and sorted(claim_files(project.root / LIAR_DIR)) == names
    short = next(n for n in names if n.startswith("liar-8"))
    assert api.check(project.root).site.claims[Path(short).stem].claim.original_review.id in (
        f"{long_a}.json", f"{long_b}.json")


def test_every_destination_path_is_checked_before_the_first_file_is_written(project, tmp_path):
    project.write("in/liar.tsv", "".join(liar_row(str(n), "false", f"Statement {n}.") for n in (1, 2, 3, 4)))
    folder = project.root / LIAR_DIR
    folder.mkdir(parents=True)
    (folder / "liar-2.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "liar-3.yaml").mkdir()
    result = claimline(project, "import", "liar", str(project.root / "in/liar.tsv"))
    assert result.exit_code == 0, result.output
    assert "2 claims written, 0 unchanged, 2 skipped" in result.output
    assert "cannot write the claim file (lines 2, 3)" in result.output
    assert "refusing to write 'liar-2.yaml': it is a symbolic link" in result.output
    assert "'liar-3.yaml' is a folder or a special file" in result.output
    written = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    assert written == ["liar-1.yaml", "liar-4.yaml"] and not (tmp_path / "outside.yaml").exists()
    assert claimline(project, "import", "liar", str(project.root / "in/liar.tsv"), "--strict").exit_code == 1


def test_a_destination_folder_under_a_file_stops_the_import_before_it_writes(project):
    project.write("in/liar.tsv", liar_row("1", "false", "One."))
    project.write("claims/imported", "not a folder\n")
    result = claimline(project, "import", "liar", str(project.root / "in/liar.tsv"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "claims/imported is a file, not a folder" in result.stderr


def test_a_write_the_system_refuses_half_way_says_what_was_written(project, monkeypatch):
    project.write("in/liar.tsv", "".join(liar_row(str(n), "false", f"Statement {n}.") for n in (1, 2, 3)))
    real, calls = os.replace, []

    def full_disk(src, dst):  # the second file written finds the disk full
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    result = claimline(project, "import", "liar", str(project.root / "in/liar.tsv"))
    assert result.exit_code == 2 and "internal error" not in result.output
    assert ("the import stopped at claims/imported/liar/liar-2.yaml: No space left on device. Written before it: "
            "1 of 3 claim files (claims/imported/liar/liar-1.yaml); 0 already up to date; 2 not written."
            ) in result.stderr
    assert "1 claim written" in result.stderr and "check the free space" in result.stderr
    assert sorted(claim_files(project.root / LIAR_DIR)) == ["liar-1.yaml"]


@pytest.mark.parametrize("name, text, message", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "deep.json:1:100000: not valid JSON: brackets nested 100,000 levels deep, too deep to "
     "read"),
    ("deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "deep.jsonl:1:100000: not valid JSON: brackets nested 100,000"),
    ("big.json", '{"@type": "ClaimReview",\n "datePublished": ' + "9" * 5000 + "}",
     "big.json:2:19: not valid JSON: a number of 5,000 digits (at most 4,300 can be read)"),
    ("nan.json", '[{"@type": "ClaimReview", "claimReviewed": NaN}]', "nan.json:1:44: not valid JSON: NaN is not "
     "standard JSON"),
    ("huge.json", '{"claimReviewed": 1e999}', "huge.json:1:19: not valid JSON: the number 1e999 is too large"),
])
def test_hostile_json_is_an_error_with_its_position_never_a_crash(project, name, text, message):
    project.write(f"in/{name}", text.encode())
    result = claimline(project, "import", "claimreview", str(project.root / "in" / name))
    assert result.exit_code == 2 and "internal error" not in result.output
    assert f"claimline: {message}" in result.stderr
    assert not (project.root / CR_DIR).exists()


def test_hostile_json_lines_are_skipped_with_their_column(project):
    good = json.dumps(review(1))
    lines = [good, "[" * 100_000 + "]" * 100_000, good.replace('"Pants on Fire"', "NaN"),
             good.replace('"2020-03-01"', "9" * 5000), f'{{"claimReviewed": -Infinity, "x": {good}}}']
    project.write("in/l.jsonl", "\n".join(lines).encode())
    result = claimline(project, "import", "claimreview", str(project.root / "in/l.jsonl"), "--verbose")
    assert result.exit_code == 0, result.output
    assert "5 records read, 1 claim written" in result.output and "unreadable record (lines 2, 3, 4, 5)" in result.output
    assert "not valid JSON at column 100000: brackets nested 100,000 levels deep" in result.output
    column = good.index('"Pants on Fire"') + 1
    assert f"not valid JSON at column {column}: NaN is not standard JSON" in result.output
    assert "-Infinity is not standard JSON" in result.output and "a number of 5,000 digits" in result.output
    assert "nan" not in "".join(claim_files(project.root / CR_DIR).values()).lower()


def test_reviews_of_one_claim_by_different_reviewers_get_their_own_ids(project):
    same = {"url": None, "claimReviewed": "The moon is made of cheese.", "itemReviewed.author": {"name": "Bob"}}
    records = [review(1, **same, author={"name": "PolitiFact"}),
               review(2, **same, author={"name": "Snopes"}, reviewRating={"alternateName": "Mostly True"}),
               review(3, **same, author={"name": "politifact.com"}),  # PolitiFact again, on another day
               review(1, **same, author={"name": "PolitiFact"}, reviewRating={"alternateName": "True"})]
    project.write("in/l.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    result = claimline(project, "import", "claimreview", str(project.root / "in/l.jsonl"))
    assert result.exit_code == 0, result.output
    assert "4 records read, 3 claims written, 0 unchanged, 1 skipped" in result.output
    assert "duplicate review (the first record is kept) (line 4)" in result.output
    assert "same claimant, statement, reviewer and review date as l.jsonl:1" in result.output
    names = sorted(claim_files(project.root / CR_DIR))
    assert len(names) == 3 and all(n.startswith("bob-the-moon-is-made-of-cheese-") for n in names)
    claims = api.check(project.root, strict=True).site.claims.values()
    assert sorted((c.claim.original_review.by, c.claim.original_review.rating) for c in claims) == [
        ("PolitiFact", "Pants on Fire"), ("PolitiFact", "Pants on Fire"), ("Snopes", "Mostly True")]
    again = claimline(project, "import", "claimreview", str(project.root / "in/l.jsonl"))
    assert "0 claims written, 3 unchanged" in again.output


# --- the claim page credits the original reviewer -----------------------------------------------------------


def test_claim_page_credits_the_original_review(project):
    project.write("in/one.json", json.dumps(review(1, author={"name": "Example Checks",
                                                               "url": "https://checks.example.org/"})))
    report = import_claimreview(settings_of(project), project.root / "in/one.json")
    page_path = "claims/" + Path(report.written[0]).stem + ".md"
    page = api.render(project.root).files[page_path].decode()
    assert "Originally rated" in page and '<span class="cl-original-rating">Pants on Fire</span>' in page
    assert '<a href="https://checks.example.org/" rel="nofollow noopener">Example Checks</a>' in page
    assert '<a href="https://checks.example.org/2020/03/01/lunar-dairy-claim-1/" rel="nofollow noopener">' \
           'read the original review</a>' in page


# --- the real corpora (../shared/corpora; skipped when absent) ---------------------------------------------

DATACOMMONS = CORPORA / "claimreview-datacommons" / "fact_checks_20190605.txt"
LIAR = CORPORA / "liar"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict:
    """One project holding both real imports (made once for the module), with the reports and timings."""
    project = ProjectBuilder(tmp_path_factory.mktemp("corpora") / "site")
    settings = settings_of(project)
    started = time.perf_counter()
    cr = import_claimreview(settings, DATACOMMONS)
    middle = time.perf_counter()
    liar = import_liar(settings, LIAR)
    return {"project": project, "settings": settings, "cr": cr, "liar": liar,
            "cr_time": middle - started, "liar_time": time.perf_counter() - middle}


@requires_corpora()
def test_corpora_import_and_check(corpora, capsys):
    cr, liar, project = corpora["cr"], corpora["liar"], corpora["project"]
    assert (cr.records, len(cr.written), len(cr.skipped)) == (5764, 5763, 1)
    assert [(i.line, i.kind) for i in cr.skipped] == [(3114, "no claimant")]
    assert cr.anomaly_counts() == {
        "publisher name normalised": 659,
        "no review date: no 'reviewed' block": 31,  # 32 in the data; the 32nd is the skipped placeholder
        "claim dated after its review: the review date is used as an approximate claim date": 18,
        "no claim date: the review date is used as an approximate claim date": 10,
        "invisible or bidi characters removed": 5,
        "no claim date and no review date: date 'unknown'": 1,
        "no review URL: the claim does not link to the original review": 1,
    }
    assert (sum(cr.unmapped.values()), len(cr.unmapped)) == (372, 317)
    assert (liar.records, len(liar.written), liar.skipped, dict(liar.unmapped)) == (12836, 12836, [], {})
    assert liar.anomaly_counts() == {"invisible or bidi characters removed": 5}
    started = time.perf_counter()
    result = api.check(project.root, strict=True)
    check_time = time.perf_counter() - started
    assert len(result.site.claims) == 5763 + 12836 and not result.warnings
    assert all(r.claim.original_review for r in result.site.claims.values())
    age(project.root / "claims")
    before = mtimes(project.root / CR_DIR)
    started = time.perf_counter()
    again = import_claimreview(corpora["settings"], DATACOMMONS)
    again_time = time.perf_counter() - started
    assert (again.written, len(again.unchanged)) == ([], 5763) and mtimes(project.root / CR_DIR) == before
    with capsys.disabled():
        print(f"\n[corpora] import: Data Commons {corpora['cr_time']:.1f}s (again, unchanged: {again_time:.1f}s), "
              f"LIAR {corpora['liar_time']:.1f}s; check of {len(result.site.claims):,} claims {check_time:.1f}s")


@requires_corpora()
def test_corpora_site_builds(corpora, capsys):
    """Both imports, ~18,600 claims, built once (about 3 minutes on a 2-core machine)."""
    project = corpora["project"]
    started = time.perf_counter()
    result = api.build(project.root, strict=False)
    build_time = time.perf_counter() - started
    claims = [p for p in (project.root / "docs" / "claims").glob("*.md") if p.name != "index.md"]
    assert len(claims) == 5763 + 12836
    claim = Path(corpora["cr"].written[0]).stem
    assert "read the original review" in (project.root / "site/claims" / claim / "index.html").read_text("utf-8")
    with capsys.disabled():
        print(f"\n[corpora] build of {len(claims):,} claims ({len(result.report.files):,} pages): "
              f"{build_time:.1f}s")
