"""Stage: read — YAML and front matter into plain data that remembers line and column."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.errors import ERROR, WARNING, Problems
from generator.read import (ARTICLE_SUFFIXES, CLAIM_SUFFIXES, discover, parse_yaml, read_article_file,
                            read_yaml_file, split_front_matter)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def read(folder: Path, data: str | bytes, name: str = "c.yaml"):
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    problems = Problems(root=folder)
    return read_yaml_file(path, problems), problems


def formatted(problems: Problems) -> list[str]:
    return [p.format() for p in problems.sorted()]


CLAIM = """\
statement: Russia is not planning to attack Ukraine
claimant:
  name: Kremlin
  role: Office of the President
date: 2021-12
tags: [Russia, Ukraine]
sources:
  - title: A report
    url: https://example.org/r
"""


def test_positions_of_values_and_keys(folder):
    doc, problems = read(folder, CLAIM)
    assert problems.items == []
    assert doc.pos[("statement",)] == (1, 12)
    assert doc.keypos[("statement",)] == (1, 1)
    assert doc.keypos[("claimant",)] == (2, 1)
    assert doc.pos[("claimant", "name")] == (3, 9)
    assert doc.keypos[("claimant", "role")] == (4, 3)
    assert doc.pos[("date",)] == (5, 7)
    assert doc.pos[("tags", 0)] == (6, 8)
    assert doc.pos[("tags", 1)] == (6, 16)
    assert doc.pos[("sources", 0)] == (8, 5)
    assert doc.keypos[("sources", 0, "url")] == (9, 5)
    assert doc.pos[("sources", 0, "url")] == (9, 10)


def test_at_falls_back_to_nearest_ancestor(folder):
    doc, _ = read(folder, CLAIM)
    assert doc.at(("sources", 0, "publisher")) == (8, 5)  # absent field: where its mapping starts
    assert doc.at(("claimant", "role"), key=True) == (4, 3)
    assert doc.at(("claimant", "role")) == (4, 9)
    assert doc.at(("nothing", "here")) == (1, 1)


def test_scalars_stay_as_the_editor_typed_them(folder):
    doc, problems = read(folder, "a: no\nb: 2021-12-07\nc: 1.10\nd: yes\ne: 007\nf: 1e3\ng: off\nh: true\n")
    assert problems.items == []
    assert doc.data == {"a": "no", "b": "2021-12-07", "c": "1.10", "d": "yes", "e": "007", "f": "1e3",
                        "g": "off", "h": "true"}


def test_explicit_nulls_become_none_but_quoted_ones_stay_text(folder):
    doc, problems = read(folder, "a: ~\nb:\nc: null\nd: Null\ne: 'null'\nf: \"~\"\ng: ''\nh: [~, x]\n")
    assert problems.items == []
    assert doc.data == {"a": None, "b": None, "c": None, "d": None, "e": "null", "f": "~", "g": "",
                        "h": [None, "x"]}


def test_block_scalars_keep_their_text(folder):
    doc, _ = read(folder, "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n")
    assert doc.data == {"a": "line one\nline two\n", "b": "folded text"}


def test_yaml_syntax_error_has_the_parser_position(folder):
    doc, problems = read(folder, "statement: Putin: we want peace\ndate: 2021\n")
    assert doc is None
    assert formatted(problems) == [
        "c.yaml:1:17: error: YAML syntax error: mapping values are not allowed in this context\n"
        "    hint: a value that contains ': ' must be quoted, e.g. statement: \"Putin: we want peace\""]


def test_unclosed_flow_list_is_reported_where_the_parser_stopped(folder):
    doc, problems = read(folder, "tags: [Russia, Ukraine\ndate: 2021\n")
    assert doc is None
    [problem] = problems.items
    assert (problem.path, problem.severity) == ("c.yaml", ERROR)
    assert problem.message.startswith("YAML syntax error: ")
    assert (problem.line, problem.col) == (2, 5)


def test_tab_indentation_gets_a_hint(folder):
    doc, problems = read(folder, "tags:\n\t- Russia\n")
    assert doc is None
    [problem] = problems.items
    assert (problem.line, problem.col) == (2, 1)
    assert problem.hint == "indent with spaces, not tabs"


def test_two_documents_in_one_file(folder):
    doc, problems = read(folder, "statement: a\n---\nstatement: b\n")
    assert doc is None
    [problem] = problems.items
    assert (problem.line, problem.col) == (2, 1)
    assert problem.hint == "put one claim per file; remove the extra '---' line"


def test_duplicate_keys_are_reported_at_the_second_key(folder):
    doc, problems = read(folder, "statement: first\ndate: 2021\nstatement: second\nclaimant: {name: a, name: b}\n")
    assert formatted(problems) == [
        "c.yaml:3:1: error: field 'statement' appears twice in this mapping\n"
        "    hint: each field may appear once; remove or merge the duplicate",
        "c.yaml:4:21: error: field 'name' appears twice in this mapping\n"
        "    hint: each field may appear once; remove or merge the duplicate"]
    assert doc.data["statement"] == "first"


def test_merge_keys_and_complex_keys_are_refused(folder):
    _, problems = read(folder, "base: &b {a: 1}\n<<: *b\n? [x, y]\n: 2\n")
    assert formatted(problems) == [
        "c.yaml:2:1: error: YAML merge keys ('<<') are not supported\n    hint: write the fields out in full",
        "c.yaml:3:3: error: a field name must be plain text, not a list or mapping"]


@pytest.mark.parametrize("raw, line, col, byte", [
    (b"statement: caf\xe9\n", 1, 15, 0xE9),
    (b"statement: ok\ndate: 2021\nnote: \xff\xfe\n", 3, 7, 0xFF),
    ("statement: \u00e9t\u00e9\n".encode("utf-8") + b"x: \x80\n", 2, 4, 0x80),
    # the column counts characters, as the editor shows them, not bytes
    ("statement: \u00e9t\u00e9 ".encode("utf-8") + b"\x80\n", 1, 16, 0x80),
    # a byte-order mark is not a column, and does not shift the position
    (b"\xef\xbb\xbfstatement: \xe9\n", 1, 12, 0xE9),
    (b"\xef\xbb\xbfa: 1\nb: \xe9\n", 2, 4, 0xE9),
])
def test_non_utf8_file_is_reported_with_position(folder, raw, line, col, byte):
    doc, problems = read(folder, raw)
    assert doc is None
    assert formatted(problems) == [f"c.yaml:{line}:{col}: error: file is not UTF-8 text (byte 0x{byte:02x})\n"
                                   "    hint: save the file with UTF-8 encoding"]


def test_utf8_bom_is_accepted(folder):
    doc, problems = read(folder, "\ufeffstatement: Kyiv\ndate: 2021\n".encode("utf-8"))
    assert problems.items == []
    assert doc.data == {"statement": "Kyiv", "date": "2021"}  # not "\ufeffstatement"
    assert doc.keypos[("statement",)] == (1, 1)


def test_crlf_line_endings_are_accepted(folder):
    doc, problems = read(folder, b"statement: a\r\nanalysis: |\r\n  one\r\n  two\r\ndate: 2021\r\n")
    assert problems.items == []
    assert doc.data == {"statement": "a", "analysis": "one\ntwo\n", "date": "2021"}
    assert doc.pos[("date",)] == (5, 7)


def test_empty_file_gives_no_data_and_no_problem(folder):
    doc, problems = read(folder, "# only a comment\n")
    assert problems.items == []
    assert doc.data is None


def test_missing_file_is_reported(folder):
    problems = Problems(root=folder)
    assert read_yaml_file(folder / "gone.yaml", problems) is None
    [problem] = problems.items
    assert problem.path == "gone.yaml"
    assert problem.message.startswith("cannot read file: ")


def test_parse_yaml_line_offset_moves_every_position():
    problems = Problems()
    doc = parse_yaml("date: 2021\ntitle: T\n", Path("a.md"), problems, line_offset=1)
    assert doc.pos[("date",)] == (2, 7)
    assert doc.keypos[("title",)] == (3, 1)


# -- front matter ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, front, body, line", [
    ("---\ndate: 2021-12-08\ntitle: T\n---\nBody\n", "date: 2021-12-08\ntitle: T\n", "Body\n", 5),
    ("---\ndate: 2021\n...\nBody\n", "date: 2021\n", "Body\n", 4),
    ("---\n---\nBody\n", "", "Body\n", 3),
    ("---  \ndate: 2021\n---\t\nBody\n", "date: 2021\n", "Body\n", 4),
    ("---\ndate: 2021\n---", "date: 2021\n", "", 3),
    ("Just a body\n---\nnot front matter\n---\n", None, "Just a body\n---\nnot front matter\n---\n", 1),
    ("---\ndate: 2021\nno closing line\n", None, "---\ndate: 2021\nno closing line\n", 1),
])
def test_split_front_matter(text, front, body, line):
    assert split_front_matter(text) == (front, body, line)


def test_article_front_matter_and_body_lines(folder):
    path = folder / "a.txt"
    path.write_text("---\n# comment\ndate: 2021-12-08\ntags: [Russia]\n---\nTitle line\nStandfirst.\n", "utf-8")
    problems = Problems(root=folder)
    article = read_article_file(path, problems)
    assert problems.items == []
    assert article.format == "text"
    assert article.meta.data == {"date": "2021-12-08", "tags": ["Russia"]}
    assert article.meta.pos[("date",)] == (3, 7)  # file positions, not positions inside the front matter
    assert article.meta.keypos[("tags",)] == (4, 1)
    assert article.body == "Title line\nStandfirst.\n"
    assert article.body_line == 6
    assert path.read_text("utf-8").split("\n")[article.body_line - 1] == "Title line"


def test_article_with_crlf_and_bom(folder):
    path = folder / "a.md"
    path.write_bytes("\ufeff---\r\ndate: 2021-12-08\r\n---\r\n# Title\r\n".encode("utf-8"))
    problems = Problems(root=folder)
    article = read_article_file(path, problems)
    assert problems.items == []
    assert article.format == "markdown"
    assert article.meta.data == {"date": "2021-12-08"}
    assert (article.body, article.body_line) == ("# Title\n", 4)


def test_article_without_front_matter_has_empty_meta(folder):
    path = folder / "a.md"
    path.write_text("# Title\nBody\n", "utf-8")
    article = read_article_file(path, Problems(root=folder))
    assert article.meta.data == {}
    assert (article.body, article.body_line) == ("# Title\nBody\n", 1)


def test_empty_front_matter_is_an_empty_mapping(folder):
    path = folder / "a.md"
    path.write_text("---\n# nothing yet\n---\nBody\n", "utf-8")
    article = read_article_file(path, Problems(root=folder))
    assert article.meta.data == {}


def test_front_matter_syntax_error_is_reported_at_the_file_line(folder):
    path = folder / "a.md"
    path.write_text("---\ndate: 2021-12-08\ntitle: Putin: peace\n---\nBody\n", "utf-8")
    problems = Problems(root=folder)
    assert read_article_file(path, problems) is None
    assert formatted(problems) == [
        "a.md:3:13: error: YAML syntax error: mapping values are not allowed in this context\n"
        "    hint: a value that contains ': ' must be quoted, e.g. statement: \"Putin: we want peace\""]


# -- discover -------------------------------------------------------------------------------------------------


def test_discover_skips_hidden_and_underscore_files(folder):
    claims = folder / "claims"
    for rel in ("a.yaml", "b.yml", "sub/c.YAML", "notes.txt", ".hidden.yaml", "_draft.yaml",
                ".git/d.yaml", "_drafts/e.yaml", "sub/_f.yaml", "sub/.g.yml"):
        (claims / rel).parent.mkdir(parents=True, exist_ok=True)
        (claims / rel).write_text("statement: x\n", "utf-8")
    (claims / "folder.yaml").mkdir()  # a folder with a claim-like name is not a claim
    problems = Problems(root=folder)
    found = discover(claims, CLAIM_SUFFIXES, problems)
    assert [p.relative_to(claims).as_posix() for p in found] == ["a.yaml", "b.yml", "sub/c.YAML"]
    assert problems.items == []


def test_discover_article_suffixes(folder):
    content = folder / "content"
    content.mkdir()
    for name in ("a.md", "b.markdown", "c.txt", "d.html", "e.yaml"):
        (content / name).write_text("x", "utf-8")
    found = discover(content, ARTICLE_SUFFIXES, Problems())
    assert [p.name for p in found] == ["a.md", "b.markdown", "c.txt"]


def test_discover_warns_about_symlinks(folder):
    claims = folder / "claims"
    claims.mkdir()
    (claims / "real.yaml").write_text("statement: x\n", "utf-8")
    outside = folder / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("statement: x\n", "utf-8")
    os.symlink(outside / "secret.yaml", claims / "link.yaml")
    os.symlink(folder / "missing.yaml", claims / "dangling.yaml")
    os.symlink(outside, claims / "linked-folder")
    problems = Problems(root=folder)
    found = discover(claims, CLAIM_SUFFIXES, problems)
    assert found == [claims / "real.yaml"]
    assert [p.severity for p in problems.items] == [WARNING] * 3
    # each warning names the link itself, not the file it points to
    assert formatted(problems) == [
        f"claims/{name}:1:1: warning: symbolic link skipped\n"
        "    hint: inputs must be regular files inside the project"
        for name in ("dangling.yaml", "link.yaml", "linked-folder")]


def test_discover_missing_folder_is_empty(folder):
    assert discover(folder / "nope", CLAIM_SUFFIXES, Problems()) == []


# -- hostile or odd YAML --------------------------------------------------------------------------------------


def test_aliases_are_expanded(folder):
    doc, problems = read(folder, "a: &who [Putin, Biden]\nb: *who\n")
    assert problems.items == []
    assert doc.data == {"a": ["Putin", "Biden"], "b": ["Putin", "Biden"]}


def test_alias_bomb_is_refused_at_once(folder):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]  # 9**9 values
    started = time.perf_counter()
    doc, problems = read(folder, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert doc is None
    assert formatted(problems) == [
        "c.yaml:1:1: error: the file holds more than 100,000 values once its YAML aliases ('*name') are expanded\n"
        "    hint: write the values out in full"]


def test_anchors_used_sensibly_are_expanded(folder):
    source = "{title: " + "A long report title " * 20 + ", url: 'https://example.org/r'}"
    doc, problems = read(folder, f"claimant: &k {{name: Putin, role: President}}\nsources: [&s {source}, *s, *s]\n"
                                 "appearances:\n" + "  - {quote: x, by: *k}\n" * 50)
    assert problems.items == []
    assert doc.data["sources"][2] == doc.data["sources"][0] and doc.data["appearances"][49]["by"]["name"] == "Putin"


@pytest.mark.parametrize("copies, refused", [(98, False), (101, True)])
def test_aliases_repeating_a_long_value_are_refused_at_the_value(folder, copies, refused):
    """Aliases may repeat up to 1,000,000 characters: 2,000 copies of 20,000 made a 40 MB page."""
    text = f"statement: s\nsources: [&s {{title: &t \"{'x' * 10_000}\"}}{', *s' * copies}]\n"
    doc, problems = read(folder, text)
    if not refused:
        assert problems.items == [] and len(doc.data["sources"]) == copies + 1
        return
    assert doc is None
    assert formatted(problems) == [
        "c.yaml:2:22: error: the file's YAML aliases ('*name') repeat more than 1,000,000 characters\n"
        "    hint: each '*name' repeats the whole value marked '&name'; repeat fewer or shorter values"]


def test_aliases_repeating_long_keys_count_too(folder):
    doc, problems = read(folder, f"a: &m\n  ? {'k' * 10_000}\n  : v\nb: [{', '.join(['*m'] * 101)}]\n")
    assert doc is None
    assert [(p.line, p.message) for p in problems.items] == [
        (3, "the file's YAML aliases ('*name') repeat more than 1,000,000 characters")]  # at the key's value


HINT = "    hint: remove the character; it often comes from pasting from a word processor or a terminal"


@pytest.mark.parametrize("char, named", [("\x00", "control character U+0000 (NUL)"),
                                         ("\x0b", "control character U+000B (VT)"),
                                         ("\x1b", "control character U+001B (ESC)"),
                                         ("\x7f", "control character U+007F (DEL)"),
                                         ("\x9f", "control character U+009F"), ("\ufffe", "character U+FFFE")])
def test_a_control_character_is_reported_where_it_is_on_one_line(folder, char, named):
    """PyYAML's C loader gives a byte offset and no line: the column counts characters (the 'é' before it)."""
    doc, problems = read(folder, f"statement: s\nsummary: \"café {char}[31m red\"\n")
    assert doc is None
    assert formatted(problems) == [f"c.yaml:2:16: error: YAML error: {named} is not allowed\n" + HINT]


def test_a_control_character_in_front_matter_is_reported_at_its_file_line(folder):
    (folder / "a.md").write_text("---\ndate: 2021-12-08\ntitle: \"a \x1b b\"\n---\n# Body\n", encoding="utf-8")
    problems = Problems(root=folder)
    assert read_article_file(folder / "a.md", problems) is None
    assert formatted(problems) == ["a.md:3:11: error: YAML error: control character U+001B (ESC) is not allowed\n"
                                   + HINT]


@pytest.mark.parametrize("text", ["a: " + "[" * 600 + "]" * 600 + "\n", "a: &a [*a]\n"])
def test_too_deep_or_recursive_values_are_reported_not_raised(folder, text):
    doc, problems = read(folder, text)
    assert doc is None
    assert formatted(problems) == ["c.yaml:1:1: error: values are nested too deeply\n"
                                   "    hint: nest fewer lists and mappings inside each other"]


def test_reasonable_nesting_is_fine(folder):
    doc, problems = read(folder, "a: " + "[" * 50 + "x" + "]" * 50 + "\n")
    assert problems.items == []
    value = doc.data["a"]
    for _ in range(49):
        value = value[0]
    assert value == ["x"]
