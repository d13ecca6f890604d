"""Every class of editor mistake, through `claimline check`, with the exact message an editor sees.

The README's "Problems and how to fix them" section shows these same cases.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main

OK = "statement: The sky is green.\nclaimant: Jane Doe\ndate: 2021-12-07\nrating: \"false\"\n"
ARTICLE = "---\ndate: 2021-12-08\n---\nTitle line\nStandfirst line.\nBody paragraph.\n"

CASES = {
    "yaml-syntax": ({"claims/a.yaml": "statement: Putin: we want peace\nclaimant: x\n"}, [
        "claims/a.yaml:1:17: error: YAML syntax error: mapping values are not allowed in this context",
        "    hint: a value that contains ': ' must be quoted, e.g. statement: \"Putin: we want peace\""]),
    "tabs": ({"claims/a.yaml": "statement: s\nclaimant:\n\tname: x\n"}, [
        "claims/a.yaml:3:1: error: YAML syntax error: found character that cannot start any token "
        "(while scanning for the next token)",
        "    hint: indent with spaces, not tabs"]),
    "not-a-mapping": ({"claims/a.yaml": "- statement: s\n- claimant: x\n"}, [
        "claims/a.yaml:1:1: error: the claim file must be a mapping of 'field: value' lines, not a list",
        "    hint: start with a line such as 'statement: ...'"]),
    "empty-file": ({"claims/a.yaml": "# nothing yet\n"}, [
        "claims/a.yaml:1:1: error: the claim file is empty",
        "    hint: a claim needs at least statement, claimant, date and rating"]),
    "not-utf8": ({"claims/a.yaml": "statement: caf\xe9\n".encode("latin-1")}, [
        "claims/a.yaml:1:15: error: file is not UTF-8 text (byte 0xe9)",
        "    hint: save the file with UTF-8 encoding"]),
    "unknown-field": ({"claims/a.yaml": OK + "sumary: x\n"}, [
        "claims/a.yaml:5:1: error: unknown field 'sumary'",
        "    hint: did you mean 'summary'?"]),
    "missing-field": ({"claims/a.yaml": "statement: s\nclaimant: x\ndate: 2021\n"}, [
        "claims/a.yaml:1:1: error: missing required field 'rating'"]),
    "wrong-type": ({"claims/a.yaml": OK + "sources: https://example.org\n"}, [
        "claims/a.yaml:5:10: error: 'sources' must be a list, not text",
        "    hint: write one item per line, each starting with '- '"]),
    "impossible-date": ({"claims/a.yaml": OK.replace("2021-12-07", "2021-02-30")}, [
        "claims/a.yaml:3:7: error: 'date': '2021-02-30' is not a calendar date"]),
    "malformed-date": ({"claims/a.yaml": OK.replace("2021-12-07", "7 December 2021")}, [
        "claims/a.yaml:3:7: error: 'date': '7 December 2021' is not a date; write it like 2021-12-07, "
        "2021-12 or 2021"]),
    "dated-after-review": ({"claims/a.yaml": OK + "reviewed:\n  date: 2021-12-01\n"}, [
        "claims/a.yaml:6:9: error: the claim is dated 2021-12-07 but was reviewed on 2021-12-01, before it was made",
        "    hint: check both dates; a review cannot come before the claim"]),
    "unknown-rating": ({"claims/a.yaml": OK.replace('"false"', "mostly-flase")}, [
        "claims/a.yaml:4:9: error: unknown rating 'mostly-flase'",
        "    hint: did you mean 'mostly-false'?"]),
    "unknown-related": ({"claims/sky-green.yaml": OK, "claims/a.yaml": OK + "related:\n  - claim: sky-gren\n"
                                                                          "    relation: supports\n"}, [
        "claims/a.yaml:6:12: error: related claim 'sky-gren' does not exist",
        "    hint: did you mean 'sky-green'?"]),
    "unknown-article": ({"content/summit.txt": ARTICLE, "claims/a.yaml": OK + "appearances:\n  - article: sumit\n"}, [
        "claims/a.yaml:6:14: error: article 'sumit' does not exist",
        "    hint: did you mean 'summit'?"]),
    "related-to-itself": ({"claims/a.yaml": OK + "related:\n  - claim: a\n    relation: supports\n"}, [
        "claims/a.yaml:6:12: error: claim 'a' is related to itself",
        "    hint: name a different claim id"]),
    "duplicate-claim-ids": ({"claims/sky.yaml": OK, "claims/more/Sky.yml": OK}, [
        "claims/more/Sky.yml:1:1: error: duplicate claim id 'Sky' (also used by claims/sky.yaml)",
        "    hint: ids must be unique, ignoring case; merge the two files or rename this one"]),
    "duplicate-article-ids": ({"content/summit.txt": ARTICLE, "content/summit.md": "---\ndate: 2021\n---\n# T\n"}, [
        "content/summit.txt:1:1: error: duplicate article id 'summit' (also used by content/summit.md)",
        "    hint: ids must be unique, ignoring case; rename one of the files"]),
    "article-without-date": ({"content/summit.txt": "Title line\nStandfirst.\nBody.\n"}, [
        "content/summit.txt:1:1: error: the article has no date",
        "    hint: add front matter at the top:",
        "---",
        "date: 2021-12-08",
        "---"]),
    "front-matter-never-closed": ({"content/summit.md": "---\ndate: 2021-12-08\n# T\n\nBody.\n"}, [
        "content/summit.md:1:1: error: the front matter that begins on line 1 never ends",
        "    hint: end it with a line of three dashes (---) before the article's text"]),
    "inf-as-a-field-name": ({"claims/a.yaml": OK + "inf: x\n"}, [
        "claims/a.yaml:5:1: error: unknown field 'inf'"]),
    "nan-as-a-field-name-in-front-matter": ({"content/summit.txt": ARTICLE.replace("---\nT", "nan: x\n---\nT")}, [
        "content/summit.txt:3:1: error: unknown field 'nan'"]),
    "control-character": ({"claims/a.yaml": OK + 'summary: "color \x1b[31m red"\n'}, [
        "claims/a.yaml:5:17: error: YAML error: control character U+001B (ESC) is not allowed",
        "    hint: remove the character; it often comes from pasting from a word processor or a terminal"]),
    "control-character-in-front-matter": ({"content/summit.txt": ARTICLE.replace("8\n", '8\ntitle: "a \x00"\n')}, [
        "content/summit.txt:3:11: error: YAML error: control character U+0000 (NUL) is not allowed",
        "    hint: remove the character; it often comes from pasting from a word processor or a terminal"]),
    "alias-repeating-a-long-value": ({"claims/a.yaml": OK + f"sources: [ &s {{title: &t \"{'x' * 20_000}\"}}"
                                                        + ", *s" * 2000 + " ]\n"}, [
        "claims/a.yaml:5:23: error: the file's YAML aliases ('*name') repeat more than 1,000,000 characters",
        "    hint: each '*name' repeats the whole value marked '&name'; repeat fewer or shorter values"]),
    "quote-not-in-article": ({"content/summit.txt": ARTICLE,
                              "claims/a.yaml": OK + "appearances:\n  - article: summit\n    quote: not there\n"}, [
        "claims/a.yaml:7:12: warning: the quote was not found in article 'summit'",
        "    hint: copy the words exactly as the article prints them"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_exact_message(project, case: str) -> None:
    files, expected = CASES[case]
    for rel, data in files.items():
        path = project.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    lines = result.output.splitlines()
    assert lines[: len(expected)] == expected
    assert result.exit_code == (0 if case == "quote-not-in-article" else 1)


@pytest.mark.parametrize("text, field, shown", [
    ("statement: no\n", "statement", "no"),
    ("statement: 1.10\n", "statement", "1.10"),
    ("statement: 2021-12-07\n", "statement", "2021-12-07"),
    ("statement: null\n", None, None),
])
def test_yaml_implicit_types_never_surprise(project, text: str, field, shown) -> None:
    """YAML would read `no` as false and `1.10` as 1.1; claimline keeps what the editor typed."""
    project.claim("a", text + "claimant: Norway\ndate: 2021\nrating: pending\n")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    if field is None:
        assert result.exit_code == 1
        assert "claims/a.yaml:1:12: error: 'statement' must be text, not empty" in result.output
        return
    assert result.exit_code == 0, result.output
    from generator import api

    page = api.render(project.root).files["claims/a.md"].decode()
    assert f'title: "{shown}"' in page


def test_control_characters_in_editor_text_are_shown_as_escapes(project) -> None:
    """A YAML "\\e[2J" in a rating must not clear the editor's terminal or a CI log."""
    project.claim("a", 'statement: s\nclaimant: c\ndate: 2021\nrating: "\\e[2Jfalse\\u202e"\n')
    for fmt in ("text", "github"):
        result = CliRunner().invoke(main, ["check", "--format", fmt, "--project", str(project.root)])
        assert "\x1b" not in result.output and "\u202e" not in result.output
        assert "\\x1b[2Jfalse\\u202e" in result.output


@pytest.mark.parametrize("statement", ["nan", "inf", ".Inf", "-infinity"])
def test_inf_and_nan_stay_as_typed_in_every_value(project, statement: str) -> None:
    """A plain file (no number in it: 'date: 2021' would send it to PyYAML) takes the fast path (rapidyaml)."""
    from generator import api

    project.claim("a", f"statement: {statement}\nclaimant: inf\ndate: 2021-12-07\nrating: pending\n"
                       "tags: [NaN, nan news]\nsummary: .NAN\n")
    page = api.render(project.root).files["claims/a.md"].decode()
    assert f'title: "{statement}"' in page and '- "NaN"\n- "nan news"\n' in page
    assert ">inf</a></dd>" in page and "<p>.NAN</p>" in page


def test_a_control_character_is_one_github_annotation_at_its_position(project) -> None:
    project.claim("a", OK + 'summary: "color \x1b[31m red"\n')
    result = CliRunner().invoke(main, ["check", "--format", "github", "--project", str(project.root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "::error file=claims/a.yaml,line=5,col=17,title=claimline error::YAML error: control character U+001B (ESC) "
        "is not allowed%0Ahint: remove the character; it often comes from pasting from a word processor or a "
        "terminal")


def test_an_alias_repeating_a_long_value_writes_nothing(project) -> None:
    """2,000 copies of a 20,000-character title made a 40 MB page from a 40 KB file, with exit code 0."""
    project.claim("a", OK)
    assert CliRunner().invoke(main, ["generate", "--project", str(project.root)]).exit_code == 0
    before = {p: p.read_bytes() for p in (project.root / "docs").rglob("*") if p.is_file()}
    project.claim("a", OK + f"sources: [ &s {{title: &t \"{'x' * 20_000}\"}}" + ", *s" * 2000 + " ]\n")
    result = CliRunner().invoke(main, ["generate", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "claims/a.yaml:5:23: error: the file's YAML aliases ('*name') repeat more than 1,000,000 characters" \
        in result.output
    assert {p: p.read_bytes() for p in (project.root / "docs").rglob("*") if p.is_file()} == before
