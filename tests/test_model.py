"""Stage: model — validation of claims and front matter, reported at path:line:col."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.dates import FuzzyDate
from generator.errors import Problems
from generator.model import (ArticleMeta, Claim, is_subheading, markdown_title, split_text_article, text_blocks,
                             validate)
from generator.read import parse_yaml

SAMPLE_ARTICLE = Path(__file__).resolve().parent.parent / "content" / "putin-biden-summit-2021-12-08.txt"

BASE = """\
statement: Russia is not planning to attack Ukraine
claimant: Kremlin
date: 2021-12-07
rating: false
"""


def check(text: str, model=Claim, what: str = "claim file"):
    problems = Problems()
    doc = parse_yaml(textwrap.dedent(text), Path("claims/c.yaml"), problems)
    assert problems.items == [], "the YAML itself must be valid in these tests"
    record = validate(model, doc, problems, what=what)
    return record, [p.format() for p in problems.sorted()]


def test_minimal_claim_is_valid():
    claim, problems = check(BASE)
    assert problems == []
    assert claim.statement == "Russia is not planning to attack Ukraine"
    assert claim.claimant.name == "Kremlin"
    assert claim.date == FuzzyDate(2021, 12, 7)
    assert claim.rating == "false"  # YAML's boolean stays the rating id
    assert claim.tags == [] and claim.sources == [] and claim.summary is None


def test_missing_required_field():
    claim, problems = check("claimant: Kremlin\ndate: 2021\nrating: pending\n")
    assert claim is None
    assert problems == ["claims/c.yaml:1:1: error: missing required field 'statement'"]


def test_missing_nested_field_points_at_its_parent():
    _, problems = check(BASE + "reviewed:\n  by: Jane\nsources:\n  - url: https://example.org/\n")
    assert problems == ["claims/c.yaml:5:1: error: missing required field 'reviewed.date'",
                        "claims/c.yaml:8:5: error: missing required field 'sources[1].title'"]


def test_several_problems_in_one_run():
    _, problems = check("statment: x\nclaimant: Kremlin\ndate: 2021-13\nrating: pending\n")
    assert problems == [
        "claims/c.yaml:1:1: error: missing required field 'statement'",
        "claims/c.yaml:1:1: error: unknown field 'statment'\n    hint: did you mean 'statement'?",
        "claims/c.yaml:3:7: error: 'date': '2021-13' has no month 13; months run from 01 to 12"]


@pytest.mark.parametrize("extra, expected", [
    ("ratting: x\n", "claims/c.yaml:5:1: error: unknown field 'ratting'\n    hint: did you mean 'rating'?"),
    ("tag: [a]\n", "claims/c.yaml:5:1: error: unknown field 'tag'\n    hint: did you mean 'tags'?"),
    ("sources:\n  - titel: T\n    title: T\n",
     "claims/c.yaml:6:5: error: unknown field 'sources[1].titel'\n    hint: did you mean 'title'?"),
    ("reviewed:\n  date: 2021-12-08\n  bye: Jane\n",
     "claims/c.yaml:7:3: error: unknown field 'reviewed.bye'\n    hint: did you mean 'by'?"),
    ("zzz: 1\n", "claims/c.yaml:5:1: error: unknown field 'zzz'\n    hint: known fields here: statement, claimant, "
                 "date, rating, summary, analysis, sources, appearances, related, tags, story, reviewed, updates, original_review"),
])
def test_unknown_field_with_hint(extra, expected):
    claim, problems = check(BASE + extra)
    assert claim is None
    assert problems == [expected]


def test_unknown_field_in_claimant_mapping():
    _, problems = check(BASE.replace("claimant: Kremlin\n", "claimant:\n  name: Kremlin\n  rol: office\n"))
    assert problems == ["claims/c.yaml:4:3: error: unknown field 'claimant.rol'\n    hint: did you mean 'role'?"]


@pytest.mark.parametrize("text, expected", [
    (BASE.replace("statement: Russia is not planning to attack Ukraine", "statement: [a, b]"),
     "claims/c.yaml:1:12: error: 'statement' must be text, not a list"),
    (BASE.replace("statement: Russia is not planning to attack Ukraine", "statement: {a: b}"),
     "claims/c.yaml:1:12: error: 'statement' must be text, not a mapping"),
    (BASE.replace("statement: Russia is not planning to attack Ukraine", "statement:"),
     "claims/c.yaml:1:11: error: 'statement' must be text, not empty"),
    (BASE + "sources: A report\n",
     "claims/c.yaml:5:10: error: 'sources' must be a list, not text\n"
     "    hint: write one item per line, each starting with '- '"),
    (BASE + "sources: [A report]\n", "claims/c.yaml:5:11: error: 'sources[1]' must be a mapping, not text"),
    (BASE + "reviewed: 2021-12-08\n", "claims/c.yaml:5:11: error: 'reviewed' must be a mapping, not text"),
    (BASE + "sources:\n  - title: [a]\n", "claims/c.yaml:6:12: error: 'sources[1].title' must be text, not a list"),
    (BASE + "story: [a, b]\n", "claims/c.yaml:5:8: error: 'story' must be text, not a list"),
])
def test_wrong_type(text, expected):
    claim, problems = check(text)
    assert claim is None
    assert problems == [expected]


@pytest.mark.parametrize("value", ["''", "'   '"])
def test_empty_text(value):
    _, problems = check(BASE + f"summary: {value}\n")
    assert problems == ["claims/c.yaml:5:10: error: 'summary' is empty\n    hint: fill it in or remove the line"]


def test_empty_optional_field_is_left_out():
    claim, problems = check(BASE + "summary:\nstory: ~\n")
    assert problems == []
    assert claim.summary is None and claim.story is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org/",
                                 "//example.org/", "example.org", "https://exa mple.org"])
def test_bad_url(url):
    _, problems = check(BASE + f"sources:\n  - title: T\n    url: '{url}'\n")
    assert problems == [f"claims/c.yaml:7:10: error: 'sources[1].url': '{url}' is not a web address; "
                        "it must start with https:// or http://"]


def test_good_urls_are_trimmed():
    claim, problems = check(BASE + "sources:\n  - title: T\n    url: ' https://example.org/a?b=1 '\n"
                                   "    archive_url: HTTP://web.archive.org/x\n")
    assert problems == []
    assert claim.sources[0].url == "https://example.org/a?b=1"
    assert claim.sources[0].archive_url == "HTTP://web.archive.org/x"


def test_bad_relation_with_hint():
    _, problems = check(BASE + "related:\n  - claim: other\n    relation: contradict\n")
    assert problems == ["claims/c.yaml:7:15: error: 'related[1].relation' must be one of contradicts, supports, "
                        "responds-to, updates; got 'contradict'\n    hint: did you mean 'contradicts'?"]


def test_bad_source_kind_without_close_match():
    _, problems = check(BASE + "sources:\n  - title: T\n    kind: blog\n")
    assert problems == ["claims/c.yaml:7:11: error: 'sources[1].kind' must be one of primary, official, media, "
                        "anonymous; got 'blog'"]


@pytest.mark.parametrize("date, message", [
    ("2021-02-30", "'2021-02-30' is not a calendar date"),
    ("2021-13", "'2021-13' has no month 13; months run from 01 to 12"),
    ("yesterday", "'yesterday' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("[2021]", "a date must be written like 2021-12-07, 2021-12 or 2021"),
])
def test_bad_date(date, message):
    _, problems = check(BASE.replace("date: 2021-12-07", f"date: {date}"))
    assert problems == [f"claims/c.yaml:3:7: error: 'date': {message}"]


def test_bad_nested_date():
    _, problems = check(BASE + "updates:\n  - date: 2022-02-30\n    kind: update\n    note: N\n")
    assert problems == ["claims/c.yaml:6:11: error: 'updates[1].date': '2022-02-30' is not a calendar date"]


def test_approximate_date_is_accepted():
    claim, problems = check(BASE.replace("date: 2021-12-07", "date: about 2021-12"))
    assert problems == []
    assert claim.date == FuzzyDate(2021, 12, approximate=True)


def test_single_string_where_a_list_is_expected():
    claim, problems = check(BASE + "tags: Ukraine\nreviewed:\n  date: 2021-12-09\n  by: Jane Doe\n")
    assert problems == []
    assert claim.tags == ["Ukraine"]
    assert claim.reviewed.by == ["Jane Doe"]


def test_tags_are_tidied_and_checked():
    claim, problems = check(BASE + "tags: ['  United   States ', NATO]\n")
    assert problems == []
    assert claim.tags == ["United States", "NATO"]
    _, problems = check(BASE + "tags: [Ukraine, '<b>bold</b>']\n")
    assert problems == ["claims/c.yaml:5:17: error: 'tags[2]': tag '<b>bold</b>' may not contain "
                        "< > \" ` { } [ ] or \\"]


def test_claimant_as_plain_string_or_mapping():
    claim, problems = check(BASE)
    assert problems == []
    assert (claim.claimant.name, claim.claimant.role, claim.claimant.same_as) == ("Kremlin", None, [])
    claim, problems = check(BASE.replace("claimant: Kremlin\n", "claimant:\n  name: Vladimir Putin\n"
                                         "  role: President of Russia\n"
                                         "  same_as: https://www.wikidata.org/wiki/Q7747\n"))
    assert problems == []
    assert claim.claimant.name == "Vladimir Putin"
    assert claim.claimant.role == "President of Russia"
    assert claim.claimant.same_as == ["https://www.wikidata.org/wiki/Q7747"]


def test_claimant_mapping_without_name():
    _, problems = check(BASE.replace("claimant: Kremlin\n", "claimant:\n  role: Office\n"))
    assert problems == ["claims/c.yaml:2:1: error: missing required field 'claimant.name'"]


def test_rating_is_checked_against_the_scale_later():
    """The model keeps the editor's text; the link stage compares it with the site's scale."""
    claim, problems = check(BASE.replace("rating: false", "rating: Mostly False"))
    assert problems == [] and claim.rating == "Mostly False"


def test_appearance_needs_article_or_url():
    _, problems = check(BASE + "appearances:\n  - quote: words\n")
    assert problems == ["claims/c.yaml:6:5: error: 'appearances[1]': an appearance needs an 'article' id or a 'url'"]


@pytest.mark.parametrize("data, kind", [("- a\n- b\n", "a list"), ("just text\n", "text")])
def test_claim_file_that_is_not_a_mapping(data, kind):
    claim, problems = check(data)
    assert claim is None
    assert problems == [f"claims/c.yaml:1:1: error: the claim file must be a mapping of 'field: value' lines, "
                        f"not {kind}\n    hint: start with a line such as 'statement: ...'"]


# -- article front matter -------------------------------------------------------------------------------------


def test_article_meta_valid():
    meta, problems = check("date: 2021-12-08\nauthors: Jane Doe\nlanguage: pt-BR\ntags: Russia\n"
                           "events:\n  - date: 2021-12-07\n    title: Summit\n    precision: month\n",
                           ArticleMeta, "front matter")
    assert problems == []
    assert meta.authors == ["Jane Doe"] and meta.tags == ["Russia"] and meta.language == "pt-BR"
    assert meta.events[0].shown_date == FuzzyDate(2021, 12)


def test_article_meta_problems():
    _, problems = check("title: T\nlanguage: english\nurl: javascript:alert(1)\nevents:\n"
                        "  - date: 2021-12-09\n    title: E\n    end: 2021-12-01\n"
                        "  - date: 2021-12-09\n    title: F\n    precision: week\n", ArticleMeta, "front matter")
    assert problems == [
        "claims/c.yaml:1:1: error: missing required field 'date'",
        "claims/c.yaml:2:11: error: 'language': 'english' is not in the expected form\n"
        "    hint: a language is a code such as 'en' or 'pt-BR'",
        "claims/c.yaml:3:6: error: 'url': 'javascript:alert(1)' is not a web address; "
        "it must start with https:// or http://",
        "claims/c.yaml:5:5: error: 'events[1]': the event ends (2021-12-01) before it starts (2021-12-09)",
        "claims/c.yaml:10:16: error: 'events[2].precision' must be one of day, month, year; got 'week'"]


def test_front_matter_that_is_a_list():
    _, problems = check("- a\n", ArticleMeta, "front matter")
    assert problems == ["claims/c.yaml:1:1: error: the front matter must be a mapping of 'field: value' lines, "
                        "not a list"]


# -- seed-shaped text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    'Talks were "frank"',
    "France warns Russia of 'massive' consequences",
    "Sanctions",
    "  Indented subheading  ",
])
def test_subheadings(line):
    assert is_subheading(line)


@pytest.mark.parametrize("line", [
    "This is the fifth conversation between Putin and Biden since the latter took office.",
    'Kremlin described the talks as "frank."',
    "He said it was “open and constructive.”",
    "Is it true?",
    "Wait!",
    "As the ministry put it:",
    "",
    "   ",
    "A very long line without final punctuation that goes on and on and on and clearly is a paragraph",
    "x " * 41,
])
def test_not_subheadings(line):
    assert not is_subheading(line)


def test_seed_article_shape():
    """The sample article is the seed text under front matter."""
    from generator.read import split_front_matter

    _, body, _ = split_front_matter(SAMPLE_ARTICLE.read_text("utf-8"))
    title, standfirst, rest = split_text_article(body)
    assert title == "Russia has 'right to defend security’: Putin"
    assert standfirst.startswith("After holding a big one-on-one video call with US President Joe Biden")
    blocks = text_blocks(rest)
    headings = [text for kind, text in blocks if kind == "h"]
    assert headings == ['Talks were "frank"', "France warns Russia of 'massive' consequences"]
    paragraphs = [text for kind, text in blocks if kind == "p"]
    assert len(paragraphs) == 14
    assert paragraphs[0].startswith("Russian President Vladimir Putin said Wednesday")
    assert paragraphs[-1].startswith("Russia has constantly denied news reports")
    assert [kind for kind, _ in blocks].index("h") == 4  # after the first four paragraphs


def test_split_text_article_edge_cases():
    assert split_text_article("\n\nTitle\nStand\nOne\n\nTwo\n") == ("Title", "Stand", "One\n\nTwo")
    assert split_text_article("Title only") == ("Title only", None, "")
    assert split_text_article("") == (None, None, "")
    assert text_blocks("One.\n\n  \nTwo.\n") == [("p", "One."), ("p", "Two.")]


def test_markdown_title():
    assert markdown_title("# Hello #\n\nbody") == ("Hello", "\n\nbody")
    assert markdown_title("\n\n#   Spaced  \nrest") == ("Spaced", "\nrest")
    assert markdown_title("intro\n# Later heading\n") == (None, "intro\n# Later heading\n")
    assert markdown_title("## Second level\n") == (None, "## Second level\n")
