"""Stage: link — cross references, duplicate ids, date order and grouping, over small projects."""

from __future__ import annotations

import pytest

from generator.config import load_settings
from generator.errors import ERROR, WARNING, Problems
from generator.link import load_site

ARTICLE = """\
---
date: 2021-12-08
tags: [Russia]
story: Russia–Ukraine crisis 2021–22
---
Russia has 'right to defend security’: Putin
After the call, Putin affirms that Russia pursues a peaceful foreign policy.
Kremlin described the talks as "frank" and asked for guarantees.
Talks were "frank"
France warned Moscow of “strategic and massive consequences”.
"""


def claim(statement="Russia is not planning to attack Ukraine", claimant="Kremlin", date="2021-12-07",
          rating="false", extra=""):
    return f"statement: {statement}\nclaimant: {claimant}\ndate: {date}\nrating: {rating}\n{extra}"


def load(project):
    settings = load_settings(project.root)
    problems = Problems(root=settings.root)
    site = load_site(settings, problems)
    return site, problems


def formatted(problems: Problems) -> list[str]:
    return [p.format() for p in problems.sorted()]


def test_clean_project(project):
    project.article("summit.txt", ARTICLE)
    project.claim("a", claim(extra="appearances:\n  - article: summit\n    quote: described the talks as \"frank\"\n"))
    site, problems = load(project)
    assert formatted(problems) == []
    assert list(site.claims) == ["a"]
    assert site.claims["a"].rating.label == "False"
    article = site.articles["summit"]
    assert article.title == "Russia has 'right to defend security’: Putin"
    assert article.standfirst == "After the call, Putin affirms that Russia pursues a peaceful foreign policy."
    assert article.cited_by == ["a"]
    assert ("h", 'Talks were "frank"') in article.blocks


def test_unknown_rating_with_did_you_mean(project):
    project.claim("a", claim(rating="mostly-flase"))
    site, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:4:9: error: unknown rating 'mostly-flase'\n    hint: did you mean 'mostly-false'?"]
    assert site.claims["a"].rating.id == "pending"  # shown as pending; the run fails on the error anyway


def test_unknown_rating_lists_the_scale(project):
    project.claim("a", claim(rating="zzz"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:4:9: error: unknown rating 'zzz'\n    hint: the site's ratings are: true, mostly-true, "
        "half-true, mostly-false, false, misleading, unproven, pending"]


def test_unknown_related_claim(project):
    project.claim("a", claim(extra="related:\n  - claim: russia-denis\n    relation: contradicts\n"))
    project.claim("russia-denies", claim())
    site, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:12: error: related claim 'russia-denis' does not exist\n"
        "    hint: did you mean 'russia-denies'?"]
    assert site.claims["a"].links == [] and site.claims["russia-denies"].links == []


def test_unknown_related_claim_without_close_match(project):
    project.claim("a", claim(extra="related:\n  - claim: qqq\n    relation: supports\n"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:12: error: related claim 'qqq' does not exist\n"
        "    hint: the id is the claim's file name without .yaml"]


def test_self_relation(project):
    project.claim("a", claim(extra="related:\n  - claim: a\n    relation: supports\n"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:12: error: claim 'a' is related to itself\n    hint: name a different claim id"]


@pytest.mark.parametrize("relation, inverse", [
    ("contradicts", "contradicted by"), ("supports", "supported by"),
    ("responds-to", "responded to by"), ("updates", "updated by"),
])
def test_relation_shown_on_both_claims(project, relation, inverse):
    project.claim("a", claim(extra=f"related:\n  - claim: b\n    relation: {relation}\n"))
    project.claim("b", claim(statement="Russia may be preparing an attack"))
    site, problems = load(project)
    assert problems.items == []
    assert [(link.label, link.other, link.inverse) for link in site.claims["a"].links] == \
        [(relation.replace("-", " "), "b", False)]
    assert [(link.label, link.other, link.inverse) for link in site.claims["b"].links] == [(inverse, "a", True)]


def test_relation_declared_on_both_sides_is_not_doubled(project):
    project.claim("a", claim(extra="related:\n  - claim: b\n    relation: contradicts\n"))
    project.claim("b", claim(extra="related:\n  - claim: a\n    relation: contradicts\n"))
    site, _ = load(project)
    assert [link.label for link in site.claims["a"].links] == ["contradicts"]
    assert [link.label for link in site.claims["b"].links] == ["contradicts"]


def test_unknown_appearance_article(project):
    project.article("summit.txt", ARTICLE)
    project.claim("a", claim(extra="appearances:\n  - article: sumit\n  - article: nothing-like-it\n"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:14: error: article 'sumit' does not exist\n    hint: did you mean 'summit'?",
        "claims/a.yaml:7:14: error: article 'nothing-like-it' does not exist\n"
        "    hint: the id is the article's file name in content/ without its extension"]


def test_quote_not_found_is_a_warning(project):
    project.article("summit.txt", ARTICLE)
    project.claim("a", claim(extra="appearances:\n  - article: summit\n    quote: Putin promised to withdraw\n"))
    site, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:7:12: warning: the quote was not found in article 'summit'\n"
        "    hint: copy the words exactly as the article prints them"]
    assert problems.errors == [] and problems.fails(strict=False) is False and problems.fails(strict=True)
    assert site.articles["summit"].cited_by == ["a"]


@pytest.mark.parametrize("quote", [
    "'Kremlin described the talks as “frank”'",  # typographic quotes match straight ones
    "'kremlin   described THE talks'",  # case and spacing do not matter
    "'strategic and massive consequences'",
    "'Russia has ‘right to defend security’'",  # found in the title line
])
def test_quote_found_despite_typography(project, quote):
    project.article("summit.txt", ARTICLE)
    project.claim("a", claim(extra=f"appearances:\n  - article: summit\n    quote: {quote}\n"))
    _, problems = load(project)
    assert formatted(problems) == []


def test_review_dated_before_claim_is_an_error(project):
    project.claim("a", claim(extra="reviewed:\n  date: 2021-12-06\n  by: Jane Doe\n"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:9: error: the claim is dated 2021-12-07 but was reviewed on 2021-12-06, before it was made\n"
        "    hint: check both dates; a review cannot come before the claim"]


def test_review_in_the_same_month_as_a_month_precision_claim_is_fine(project):
    project.claim("a", claim(date="2021-12", extra="reviewed:\n  date: 2021-12-01\n"))
    _, problems = load(project)
    assert problems.items == []


def test_update_before_claim_is_a_warning(project):
    project.claim("a", claim(extra="updates:\n  - date: 2021-11-30\n    kind: correction\n    note: Fixed.\n"))
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/a.yaml:6:11: warning: update dated 2021-11-30 is earlier than the claim (2021-12-07)"]


def test_ids_differing_only_in_case(project):
    project.claim("Foo.yaml", claim())
    project.claim("foo.yaml", claim())
    assert sorted(p.name for p in (project.root / "claims").iterdir()) == ["Foo.yaml", "foo.yaml"]
    site, problems = load(project)
    assert list(site.claims) == ["foo"]
    # never advise renaming Foo.yaml to foo.yaml: that would overwrite the other claim
    assert formatted(problems) == [
        "claims/Foo.yaml:1:1: error: duplicate claim id 'Foo' (also used by claims/foo.yaml)\n"
        "    hint: ids must be unique, ignoring case; merge the two files or rename this one"]


def test_invalid_name_whose_suggestion_is_taken(project):
    project.claim("Putin Claim.yaml", claim())
    project.claim("putin-claim.yaml", claim())
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/Putin Claim.yaml:1:1: error: file name 'Putin Claim.yaml' cannot be used as a claim id; "
        "ids use lower-case letters, digits, '-' and '_'\n"
        "    hint: rename it; 'putin-claim' is already the id of another claim"]


def test_yaml_and_yml_with_the_same_stem(project):
    project.claim("foo.yaml", claim())
    project.claim("foo.yml", claim(statement="Another"))
    site, problems = load(project)
    assert site.claims["foo"].claim.statement == "Russia is not planning to attack Ukraine"
    assert formatted(problems) == [
        "claims/foo.yml:1:1: error: duplicate claim id 'foo' (also used by claims/foo.yaml)\n"
        "    hint: ids must be unique, ignoring case; rename one of the files"]


def test_same_id_in_a_subfolder(project):
    project.claim("foo.yaml", claim())
    project.write("claims/2021/foo.yaml", claim())
    _, problems = load(project)
    assert [(p.path, p.message) for p in problems.items] == [
        ("claims/foo.yaml", "duplicate claim id 'foo' (also used by claims/2021/foo.yaml)")]


@pytest.mark.parametrize("name, suggestion", [
    ("my claim.yaml", "my-claim.yaml"),
    ("Putin Claim.yml", "putin-claim.yml"),
    ("UPPER.yaml", "upper.yaml"),
    ("-dash.yaml", "dash.yaml"),
    ("Ünïcode claim.yaml", "unicode-claim.yaml"),
])
def test_invalid_file_names_with_rename_hint(project, name, suggestion):
    project.claim(name, claim())
    site, problems = load(project)
    assert site.claims == {}
    assert formatted(problems) == [
        f"claims/{name}:1:1: error: file name '{name}' cannot be used as a claim id; "
        f"ids use lower-case letters, digits, '-' and '_'\n    hint: rename it to '{suggestion}'"]


def test_invalid_article_file_name(project):
    project.article("Summit Report.txt", ARTICLE)
    _, problems = load(project)
    assert formatted(problems) == [
        "content/Summit Report.txt:1:1: error: file name 'Summit Report.txt' cannot be used as an article id; "
        "ids use lower-case letters, digits, '-' and '_'\n    hint: rename it to 'summit-report.txt'"]


def test_reserved_id(project):
    project.claim("index", claim())
    _, problems = load(project)
    assert formatted(problems) == [
        "claims/index.yaml:1:1: error: 'index' is reserved and cannot be a claim id\n    hint: rename the file"]


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n", "---\n"])
def test_empty_claim_file(project, text):
    project.claim("a", text)
    site, problems = load(project)
    assert site.claims == {}
    assert formatted(problems) == [
        "claims/a.yaml:1:1: error: the claim file is empty\n"
        "    hint: a claim needs at least statement, claimant, date and rating"]


def test_claim_file_that_is_a_list(project):
    project.claim("a", "- statement: x\n  date: 2021\n")
    site, problems = load(project)
    assert site.claims == {}
    assert formatted(problems) == [
        "claims/a.yaml:1:1: error: the claim file must be a mapping of 'field: value' lines, not a list\n"
        "    hint: start with a line such as 'statement: ...'"]


def test_article_without_date(project):
    project.article("summit.txt", "---\ntitle: T\n---\nTitle\nStandfirst.\n")
    site, problems = load(project)
    assert site.articles == {}
    # reported once, with the fix, not a second time as a missing field
    assert formatted(problems) == [
        "content/summit.txt:1:1: error: the article has no date\n"
        "    hint: add front matter at the top:\n---\ndate: 2021-12-08\n---"]


def test_article_without_date_still_reports_other_fields(project):
    project.article("summit.md", "---\ntitle: T\nlanguage: english\n---\nBody\n")
    _, problems = load(project)
    assert [(p.line, p.col, p.message) for p in problems.sorted()] == [
        (1, 1, "the article has no date"),
        (3, 11, "'language': 'english' is not in the expected form")]


def test_article_without_front_matter(project):
    project.article("summit.md", "# A title\n\nBody.\n")
    _, problems = load(project)
    assert [p.message for p in problems.items] == ["the article has no date"]


@pytest.mark.parametrize("name, text, hint", [
    ("summit.md", "---\ndate: 2021-12-08\n---\nJust a paragraph.\n",
     "add 'title:' to the front matter or start the body with '# Title'"),
    ("summit.txt", "---\ndate: 2021-12-08\n---\n\n", "add 'title:' to the front matter"),
])
def test_article_without_title(project, name, text, hint):
    project.article(name, text)
    site, problems = load(project)
    assert site.articles == {}
    assert formatted(problems) == [f"content/{name}:4:1: error: the article has no title\n    hint: {hint}"]


def test_article_title_from_front_matter_or_heading(project):
    project.article("a.md", "---\ndate: 2021-12-08\n---\n# From the heading\n\nBody.\n")
    project.article("b.md", "---\ndate: 2021-12-08\ntitle: From front matter\n---\n# Heading\n")
    site, problems = load(project)
    assert problems.items == []
    assert site.articles["a"].title == "From the heading"
    assert site.articles["a"].body.strip() == "Body."
    assert site.articles["b"].title == "From front matter"


def test_problems_from_many_files_in_one_run(project):
    project.claim("a", claim(rating="flase"))
    project.claim("b", "statement: [x]\n")
    project.article("c.md", "no front matter\n")
    _, problems = load(project)
    assert {p.path for p in problems.errors} == {"claims/a.yaml", "claims/b.yaml", "content/c.md"}
    assert all(p.severity in (ERROR, WARNING) for p in problems.items)


def test_grouping_by_slug(project):
    project.article("summit.txt", ARTICLE)
    project.claim("a", claim(claimant="Vladimir Putin", extra="tags: [Ukraine, ukraine, NATO]\n"
                                                              "story: Russia–Ukraine crisis 2021–22\n"
                                                              "appearances:\n  - article: summit\n"))
    project.claim("b", claim(claimant="vladimir putin", extra="tags: UKRAINE\nstory: russia-ukraine crisis 2021-22\n"))
    project.claim("c", claim(claimant="\"Vladimir  Putin!\"", extra="tags: [Minsk agreements]\n"))
    project.claim("d", claim(claimant="{name: Kremlin, role: Office of the President}"))
    site, problems = load(project)
    assert problems.items == []
    assert list(site.claimants) == ["kremlin", "vladimir-putin"]
    putin = site.claimants["vladimir-putin"]
    assert (putin.name, putin.claims) == ("Vladimir Putin", ["a", "b", "c"])
    assert site.claimants["kremlin"].role == "Office of the President"
    assert {slug: (g.name, g.claims, g.articles) for slug, g in site.tags.items()} == {
        "minsk-agreements": ("Minsk agreements", ["c"], []),
        "nato": ("NATO", ["a"], []),
        "russia": ("Russia", [], ["summit"]),
        "ukraine": ("Ukraine", ["a", "b"], []),
    }
    assert site.claims["a"].tags == ["ukraine", "nato"]  # the duplicate tag is listed once
    assert site.claims["a"].claimant == "vladimir-putin"
    [story] = site.stories.values()
    assert (story.slug, story.name, story.claims, story.articles) == (
        "russia-ukraine-crisis-2021-22", "Russia–Ukraine crisis 2021–22", ["a", "b"], ["summit"])
    assert site.claims["b"].story == story.slug and site.articles["summit"].story == story.slug


def test_group_named_index_gets_another_slug(project):
    project.claim("a", claim(claimant="Index", extra="tags: [index]\nstory: Index\n"))
    site, problems = load(project)
    assert problems.items == []
    assert list(site.claimants) == ["index-1"]
    assert list(site.tags) == ["index-1"]
    assert list(site.stories) == ["index-1"]


def test_claimant_same_as_links_are_merged(project):
    project.claim("a", claim(claimant="{name: Joe Biden, same_as: 'https://www.wikidata.org/wiki/Q6279'}"))
    project.claim("b", claim(claimant="{name: joe biden, role: President, same_as: ["
                                      "'https://www.wikidata.org/wiki/Q6279', 'https://example.org/biden']}"))
    site, problems = load(project)
    assert problems.items == []
    biden = site.claimants["joe-biden"]
    assert biden.role == "President"
    assert biden.same_as == ["https://www.wikidata.org/wiki/Q6279", "https://example.org/biden"]


def test_claim_and_article_may_share_an_id(project):
    project.article("summit.txt", ARTICLE)
    project.claim("summit", claim())
    site, problems = load(project)
    assert problems.items == []
    assert "summit" in site.claims and "summit" in site.articles


def test_article_ids_are_unique_across_formats(project):
    project.article("summit.txt", ARTICLE)
    project.article("summit.md", "---\ndate: 2021-12-08\n---\n# T\n")
    site, problems = load(project)
    assert list(site.articles) == ["summit"]
    assert formatted(problems) == [
        "content/summit.txt:1:1: error: duplicate article id 'summit' (also used by content/summit.md)\n"
        "    hint: ids must be unique, ignoring case; rename one of the files"]


def test_reserved_article_id(project):
    project.article("index.md", "---\ndate: 2021-12-08\n---\n# T\n")
    _, problems = load(project)
    assert formatted(problems) == [
        "content/index.md:1:1: error: 'index' is reserved and cannot be an article id\n    hint: rename the file"]


def test_reference_to_a_broken_claim_or_article_is_not_called_missing(project):
    """The referenced files exist but have their own errors: report those, not 'does not exist'."""
    project.article("summit.md", "---\ntitle: T\n---\nBody\n")  # no date
    project.claim("b", "statement: [not text]\n")
    project.claim("a", claim(extra="related:\n  - claim: b\n    relation: contradicts\n"
                                   "appearances:\n  - article: summit\n"))
    site, problems = load(project)
    assert [(p.path, p.message) for p in problems.sorted()] == [
        ("claims/b.yaml", "missing required field 'claimant'"),
        ("claims/b.yaml", "missing required field 'date'"),
        ("claims/b.yaml", "missing required field 'rating'"),
        ("claims/b.yaml", "'statement' must be text, not a list"),
        ("content/summit.md", "the article has no date")]
    assert site.claims["a"].links == []


def messages(project) -> list[str]:
    return formatted(load(project)[1])


def test_rating_written_as_its_label_gets_a_hint(project):
    project.claim("a", "statement: S\nclaimant: C\ndate: 2021\nrating: Mostly False\n")
    assert messages(project) == ["claims/a.yaml:4:9: error: unknown rating 'Mostly False'\n"
                                 "    hint: did you mean 'mostly-false'?"]


def test_references_are_checked_even_when_the_claim_has_other_errors(project):
    """Every problem in one run: a misspelt field does not hide a wrong rating or a missing claim."""
    project.claim("a", """\
        statement: S
        claimant: C
        date: 2021
        rating: mislead
        sumary: typo
        related:
          - claim: nowhere
            relation: supports
        appearances:
          - article: no-such-article
        """)
    assert messages(project) == [
        "claims/a.yaml:4:9: error: unknown rating 'mislead'\n    hint: did you mean 'misleading'?",
        "claims/a.yaml:5:1: error: unknown field 'sumary'\n    hint: did you mean 'summary'?",
        "claims/a.yaml:7:12: error: related claim 'nowhere' does not exist\n"
        "    hint: the id is the claim's file name without .yaml",
        "claims/a.yaml:10:14: error: article 'no-such-article' does not exist\n"
        "    hint: the id is the article's file name in content/ without its extension",
    ]
