"""`claimline extract` library side: quotations, speakers, reported speech, dates, YAML drafts, writing."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from generator.dates import FuzzyDate, parse_date
from generator.errors import Problems
from generator.extract import (UNKNOWN, Extraction, draft_yaml, drafts_yaml, extract, extract_file,
                               quote_spans, write_drafts)
from generator.model import Claim, validate
from generator.read import discover, parse_yaml
from generator.reldates import DateResolver, find_dates

SEED = REPO / "content" / "putin-biden-summit-2021-12-08.txt"
D = parse_date("2021-12-08")  # the seed's date, a Wednesday


@pytest.fixture(scope="module")
def seed() -> tuple[str, Extraction]:
    return extract_file(SEED, Problems())


def by_quote(ext: Extraction, start: str):
    found = [d for d in ext.claims if d.quote.startswith(start)]
    assert len(found) == 1, [d.quote[:40] for d in ext.claims]
    return found[0]


def text_article(*paragraphs: str) -> str:
    return "Headline of the test article\nA standfirst that sets the scene.\n" + "\n".join(paragraphs) + "\n"


def yaml_claims(stream: str) -> list[Claim]:
    """Every document of a drafts_yaml stream, read and validated the way `claimline check` does it."""
    docs = [d for d in stream.split("\n---\n")[1:]]
    claims = []
    for text in docs:
        problems = Problems()
        doc = parse_yaml(text, Path("draft.yaml"), problems)
        claim = validate(Claim, doc, problems, what="claim file") if doc else None
        assert claim is not None and not problems.items, (text, [p.format() for p in problems.items])
        claims.append(claim)
    return claims


# -- the seed article --------------------------------------------------------------------------------------

def test_seed_putin_quote(seed):
    _, ext = seed
    d = by_quote(ext, "The conversation was open, substantive, and constructive")
    assert (d.kind, d.speaker, d.role) == ("quote", "Vladimir Putin", "Russian President")
    assert d.date == FuzzyDate(2021, 12, 8)
    assert d.statement.endswith("this is the most important thing.")


def test_seed_kremlin_statement(seed):
    _, ext = seed
    d = by_quote(ext, "Russia is seriously interested in obtaining reliable legal guarantees")
    assert d.speaker == "Kremlin"
    assert any("the statement" in f for f in d.flags)  # inferred from "the statement mentioned": flagged


def test_seed_ushakov_and_ministry(seed):
    _, ext = seed
    ushakov = by_quote(ext, "Our president informed [Biden]")
    assert (ushakov.speaker, ushakov.role) == ("Yury Ushakov", "Kremlin aide")
    assert ushakov.quote.endswith("exclude Donbas from the negotiation process")
    ministry = by_quote(ext, "Strong messages were sent to Russia")
    assert ministry.speaker == "foreign ministry"
    assert any("description" in f for f in ministry.flags)


def test_seed_short_fragments_are_phrases_not_claims(seed):
    _, ext = seed
    assert {p.text for p in ext.phrases} >= {"frank", "deep concerns"}
    assert not any(d.quote in ("frank", "deep concerns") for d in ext.claims)


def test_seed_reported_speech_and_its_date(seed):
    _, ext = seed
    putin = by_quote(ext, "Moscow pursues a peaceful foreign policy")
    assert (putin.kind, putin.speaker, putin.date, putin.date_expression) == (
        "indirect", "Vladimir Putin", FuzzyDate(2021, 12, 8), "Wednesday")
    biden = by_quote(ext, "the United States and its allies would impose")
    assert (biden.kind, biden.speaker) == ("indirect", "Joe Biden")
    france = by_quote(ext, "strategic and massive consequences")  # a 4-word partial quotation
    assert france.speaker == "France" and france.date == D
    assert france.statement == "It would face strategic and massive consequences if Russia attacked Ukraine."


def test_seed_weekdays(seed):
    _, ext = seed
    resolved = {(m.expression, str(m.resolved)) for m in ext.dates}
    assert resolved == {("Wednesday", "2021-12-08"), ("Tuesday", "2021-12-07")}
    assert any(ev.date == FuzzyDate(2021, 12, 7) and "concluded Tuesday" in ev.title for ev in ext.events)


def test_every_quote_is_an_exact_substring(seed):
    _, ext = seed
    body = SEED.read_text("utf-8")
    assert ext.claims and all(d.quote and d.quote in body for d in ext.claims)
    for d in ext.claims:
        assert ext.blocks[d.paragraph].text[d.start:d.end] == d.quote


# -- speakers ----------------------------------------------------------------------------------------------

def test_he_said_without_a_named_person_is_flagged_not_guessed():
    ext = extract(text_article('"We will never accept these terms from anyone," he said.'), "text", D)
    (d,) = ext.claims
    assert d.speaker is None and any(f.startswith(UNKNOWN) for f in d.flags)


def test_pronoun_resolves_to_the_named_speaker_and_is_flagged():
    ext = extract(text_article("Senator Jane Okafor spoke to reporters on Tuesday.",
                               '"The bill will pass before the end of the year," she said.'), "text", D)
    d = by_quote(ext, "The bill will pass")
    assert (d.speaker, d.role) == ("Jane Okafor", "Senator")
    assert any("pronoun" in f for f in d.flags)


def test_pronoun_with_two_candidates_is_left_unknown():
    ext = extract(text_article('"Prices will fall by the summer," Mayor Tom Reyes said.',
                               "Reyes spoke after a meeting with Governor Ana Silva and her staff.",
                               "Later they met again.",
                               '"We have agreed on every point in the plan," he said.'), "text", D)
    d = by_quote(ext, "We have agreed")
    assert d.speaker is None and any(f.startswith(UNKNOWN) for f in d.flags)


@pytest.mark.parametrize("sentence, name, role", [
    ('Kremlin aide Yury Ushakov told reporters: "The talks lasted two full hours today."', "Yury Ushakov",
     "Kremlin aide"),
    ('"The talks lasted two full hours today," said a Kremlin spokesman.', "Kremlin spokesman", None),
    ('The ceasefire is "the only way to save the harvest", according to the World Food Programme.',
     "World Food Programme", None),
    ('"The talks lasted two full hours today," Dr. Maria F. Lopez, a historian at Yale, said.', "Maria F. Lopez",
     "historian at Yale"),
])
def test_attribution_patterns(sentence, name, role):
    (d,) = extract(text_article(sentence), "text", D).claims
    assert (d.speaker, d.role) == (name, role)


@pytest.mark.parametrize("sentence, name", [
    ('"Every new tax is a promise the state makes to itself." - J.Q. O\'Malley.', "J.Q. O'Malley"),
    ('"We shall defend every street of the city." –Unknown.', None),
    ('The Trade Ministry also, "urged both sides to return to the table by spring."', "Trade Ministry"),
    ('"We will hold talks with every party in the region," Prime Minister Nouri al-Maliki said.',
     "Nouri al-Maliki"),
    ('It is believed that "the attackers came from across the border at night".', None),  # a passive names no one
])
def test_more_attribution_patterns(sentence, name):
    (d,) = extract(text_article(sentence), "text", D).claims
    assert d.speaker == name and (name or any(f.startswith(UNKNOWN) for f in d.flags))


def test_titles_and_attribute_values_are_not_quotations():
    ext = extract(text_article('He quoted the "I Have a Dream" speech in a <div class="float right clear both">.'),
                  "text", D)
    assert ext.claims == [] and [(p.text, p.reason) for p in ext.phrases] == [("I Have a Dream", "title")]


def test_surname_is_completed_from_an_earlier_mention():
    ext = extract(text_article("Prime Minister Helen Achterberg arrived in the capital on Monday.",
                               '"Nothing has been decided about the bridge yet," Achterberg said.'), "text", D)
    (d,) = ext.claims
    assert (d.speaker, d.role) == ("Helen Achterberg", "Prime Minister")


def test_a_quotation_that_goes_on_in_the_next_paragraph():
    ext = extract(text_article(
        "Foreign Minister Anna Berg spoke to reporters on Monday.",
        '"We have made our position clear to everyone at the table. There will be no retreat from the deal.',
        '"We expect our partners to keep their word," Berg said.'), "text", D)
    (d,) = ext.claims
    assert d.speaker == "Anna Berg"
    assert d.quote == "We have made our position clear to everyone at the table. There will be no retreat from the deal."
    assert d.statement.endswith("We expect our partners to keep their word.")
    assert any("next paragraph" in f for f in d.flags)


def test_curly_and_mixed_quotation_marks():
    text = 'Kato said: "We open the border crossing at noon.” Then “we talk,” he added “at length today.”'
    assert [text[s:e] for s, e, _ in quote_spans(text)] == [
        "We open the border crossing at noon.", "we talk,", "at length today."]


# -- Markdown articles -------------------------------------------------------------------------------------

MARKDOWN = textwrap.dedent("""\
    # Council votes on the budget

    The mayor, Maria Lopez, spoke on *Tuesday* after the vote.

    Lopez said:

    > The budget protects **every** school in the city.

    "We will *not* cut the libraries this year," Lopez told reporters.
    """)


def test_markdown_blockquote_and_emphasis():
    ext = extract(MARKDOWN, "markdown", D)
    assert ext.title == "Council votes on the budget"
    block = by_quote(ext, "The budget protects")
    assert block.speaker == "Maria Lopez" and block.statement == "The budget protects every school in the city."
    libraries = by_quote(ext, "We will *not* cut")
    assert libraries.statement == "We will not cut the libraries this year."
    assert libraries.speaker == "Maria Lopez"
    assert all(d.quote in MARKDOWN for d in ext.claims)
    assert [(m.expression, str(m.resolved)) for m in ext.dates] == [("Tuesday", "2021-12-07"), ("this year", "2021")]


# -- dates -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expression, resolved", [
    ("The ministers met on Friday.", "Friday", "2021-12-03"),
    ("The ministers will meet on Friday.", "Friday", "2021-12-10"),
    ("The ministers are expected to meet Monday.", "Monday", "2021-12-13"),
    ("The vote is on Wednesday.", "Wednesday", "2021-12-08"),  # the article's own weekday is the article date
    ("He left yesterday.", "yesterday", "2021-12-07"),
    ("It happened last week.", "last week", "~2021-12-01"),
    ("They meet next week.", "next week", "~2021-12-15"),
    ("It was signed on December 7.", "December 7", "2021-12-07"),
    ("It was signed on 7 December.", "7 December", "2021-12-07"),
    ("It was signed on Dec. 7.", "Dec. 7", "2021-12-07"),
    ("It was signed on December 7, 2020.", "December 7, 2020", "2020-12-07"),
    ("It was signed on 2020-12-07.", "2020-12-07", "2020-12-07"),
    ("It was signed in March.", "March", "2021-03"),
    ("It will be signed in March.", "March", "2022-03"),
    ("It was signed earlier this year.", "earlier this year", "2021"),
    ("It was signed last month.", "last month", "2021-11"),
    ("It was signed two weeks ago.", "two weeks ago", "~2021-11-24"),
])
def test_relative_dates(sentence, expression, resolved):
    (m,) = find_dates(sentence, D)
    assert (m.expression, str(m.resolved)) == (expression, resolved)
    assert sentence[m.offset:m.offset + len(m.expression)] == expression


@pytest.mark.parametrize("sentence, expression, resolved", [
    ("It was found on Tuesday last week.", "Tuesday last week", "2021-11-30"),
    ("No meeting has taken place since December, 2002.", "December, 2002", "2002-12"),
    ("In 2001, weeks after the September 11 attacks, the law passed.", "September 11", "2001-09-11"),
    ("The garrison could go home as early as October.", "October", "2022-10"),  # "could": ahead
    ("It happened last November.", "last November", "2021-11"),  # the latest November before December
    ("It happened last December.", "last December", "2020-12"),
    ("The election is this Sunday.", "this Sunday", "2021-12-12"),
    ("He comes tomorrow.", "tomorrow", "2021-12-09"),
    ("It was signed 14 years ago.", "14 years ago", "~2007"),
])
def test_more_relative_dates(sentence, expression, resolved):
    found = {m.expression: str(m.resolved) for m in find_dates(sentence, D)}
    assert found[expression] == resolved


def test_last_week_keeps_the_calendar_week():
    (m,) = find_dates("It happened last week.", D)
    assert (m.approximate, m.precision, m.start, m.end) == (True, "day", dt.date(2021, 11, 29), dt.date(2021, 12, 5))


def test_names_with_weekdays_are_not_dates():
    assert find_dates("He won before Super Tuesday and a rally called Red Friday was held.", D) == []


def test_the_following_day_counts_from_the_previous_date():
    resolver = DateResolver(D)
    first = resolver.scan("The report came out on September 21, 2005.", 0)
    (m,) = resolver.scan("The minister answered the following day.", 1)
    assert first[0].kind == "absolute" and str(m.resolved) == "2005-09-22" and m.flags


def test_without_an_article_date_relative_dates_are_flagged():
    ext = extract(text_article('"The summit was a failure for everyone," Ana Silva said on Tuesday.'), "text", None)
    (m,) = ext.dates
    assert m.resolved is None and m.flags
    assert ext.flags and ext.claims[0].date is None
    stream = drafts_yaml("test-article", ext)
    assert "fill in the date" in stream
    assert len(yaml_claims(stream)) == 1


def test_extract_file_without_a_date(tmp_path):
    path = tmp_path / "no-date.txt"
    path.write_text(text_article('"The summit was a failure for everyone," Ana Silva said.'), "utf-8")
    problems = Problems()
    ident, ext = extract_file(path, problems)
    assert ident == "no-date" and ext.article_date is None and len(ext.claims) == 1
    assert any("no usable date" in p.message for p in problems.warnings)


# -- YAML drafts and writing them --------------------------------------------------------------------------

def test_drafts_yaml_are_valid_claims(seed):
    ident, ext = seed
    stream = drafts_yaml(ident, ext)
    claims = yaml_claims(stream)
    assert len(claims) == len(ext.claims)
    for claim, draft in zip(claims, ext.claims):
        assert claim.rating == "pending" and claim.appearances[0].article == ident
        assert claim.appearances[0].quote == draft.quote.strip()
        assert claim.claimant.name == (draft.speaker or "Unknown speaker")
    assert "# events:" in stream and '"2021-12-07"' in stream


def test_drafts_yaml_escapes_awkward_text():
    ext = extract(text_article('"Yes: no #1 - {x} [y] \\\\ \'z\' ~ it is a key: value," Ana Silva said.'), "text", D)
    (claim,) = yaml_claims(drafts_yaml("t", ext))
    assert claim.statement.startswith("Yes: no #1 - {x} [y]")


def test_write_drafts_never_overwrites(seed, tmp_path):
    ident, ext = seed
    claims_dir = tmp_path / "claims"
    first = write_drafts(claims_dir, ident, ext)
    assert len(first) == len(ext.claims) and all(p.parent == claims_dir / "_drafts" for p in first)
    assert len({p.name for p in first}) == len(first)
    assert write_drafts(claims_dir, ident, ext) == []  # the same drafts again: nothing new
    first[0].write_text("statement: edited by hand\n", "utf-8")
    again = write_drafts(claims_dir, ident, ext)
    assert [p.name for p in again] == [first[0].stem + "-2.yaml"]
    assert first[0].read_text("utf-8") == "statement: edited by hand\n"
    assert discover(claims_dir, (".yaml",), Problems()) == []  # claims/_drafts is not read by check/build
    assert draft_yaml(ident, ext, ext.claims[0]).encode() == again[0].read_bytes()


# -- line breaks, characters YAML does not allow raw, articles outside content/ ------------------------------

WRAPPED = textwrap.dedent("""\
    # Wrapped lines

    Russian President Vladimir Putin said on Wednesday that Moscow pursues a peaceful
    foreign policy but has the right to defend its security.

    > "Russia has no plans to attack the
    > neighbouring country," Dmitry Peskov said.

    "We will defend our  \\
    security at any cost," Sergei Lavrov said.
    """)


def test_a_line_break_inside_a_markdown_paragraph_is_a_space():
    ext = extract(WRAPPED, "markdown", D)
    statements = [d.statement for d in ext.claims]
    assert "Moscow pursues a peaceful foreign policy but has the right to defend its security." in statements
    assert "Russia has no plans to attack the neighbouring country." in statements
    assert "We will defend our security at any cost." in statements  # a hard break too
    assert [ev.title for ev in ext.events] == ["Russian President Vladimir Putin said on Wednesday that Moscow "
                                               "pursues a peaceful foreign policy but has the right to defend its "
                                               "security."]
    documents = [d for d in yaml.safe_load_all(drafts_yaml("wrapped", ext)) if d]
    assert {d["statement"] for d in documents} == set(statements)
    assert all(d["appearances"][0]["quote"] in WRAPPED for d in documents)


def test_drafts_of_windows_1252_text_read_as_latin_1_read_back_exactly():
    body = text_article('"Don\x92t believe the \x93fake\x94 reports," Sergei Lavrov said.',
                        "Peskov said the West\x85 was wrong about the \u2028 new sanctions\x7f regime.")
    ext = extract(body, "text", D)
    stream = drafts_yaml("mojibake", ext)
    documents = [d for d in yaml.safe_load_all(stream) if d]
    assert [d["statement"] for d in documents] == ["Don\x92t believe the \x93fake\x94 reports.",
                                                   "The West was wrong about the new sanctions\x7f regime."]
    assert [d["appearances"][0]["quote"] for d in documents] == [
        "Don\x92t believe the \x93fake\x94 reports", "the West\x85 was wrong about the \u2028 new sanctions\x7f regime"]
    assert len(yaml_claims(stream)) == 2  # as check reads them
    for draft in ext.claims:
        assert yaml.safe_load(draft_yaml("mojibake", ext, draft))["appearances"][0]["quote"] == draft.quote


def test_review_comments_keep_to_their_line():
    ext = extract(text_article('"The summit was a failure for everyone," Ana\x85 Silva said.'), "text", D)
    ext.claims[0].flags.append("speaker\u2028statement: injected\x85rating: false")
    ext.flags.append("note\x85rating: true")
    (document,) = [d for d in yaml.safe_load_all(drafts_yaml("a\u2028b: c", ext)) if d]
    assert document["rating"] == "pending" and "statement" in document


def test_an_article_outside_content_is_not_named_in_appearances(tmp_path):
    content = tmp_path / "content"
    for where in (tmp_path / "elsewhere" / "outside.txt", content / "_hidden" / "hidden.txt", content / "in.txt"):
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text("---\ndate: 2021-12-08\n---\n" + text_article(
            '"The summit was a failure for everyone," Ana Silva said.'), "utf-8")
        problems = Problems(root=tmp_path)
        ident, ext = extract_file(where, problems, content)
        (document,) = [d for d in yaml.safe_load_all(drafts_yaml(ident, ext)) if d]
        stream = draft_yaml(ident, ext, ext.claims[0])
        if where.name == "in.txt":
            assert not problems.items and document["appearances"] == [{"article": "in", "quote": ext.claims[0].quote}]
            continue
        assert [p.message for p in problems.warnings] == [
            "the article is not in content/, so no claim can cite it: the drafts' appearances are left as comments"]
        assert "move it into content/" in problems.warnings[0].hint
        assert "appearances" not in document and len(yaml_claims("\n---\n" + stream)) == 1
        assert f"#   - article: {ident}\n#     quote: \"The summit was a failure for everyone\"" in stream
