"""The read stage's fast path (rapidyaml) must read every document exactly as PyYAML's path does, or step aside.

The property checked throughout: for any text, ``yamlfast.values(text)`` is either MISS or the very data that
composing with PyYAML gives, and then PyYAML's path reports no problem for the text either.  It is checked on
the sample, on thousands of mutations of it, on YAML written by the importers from the real corpora in
``../shared/corpora`` (skipped where that folder is absent), and on the cases where the parsers disagree.
"""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import pytest

from conftest import CORPORA, REPO, ProjectBuilder, requires_corpora
from generator import yamlfast
from generator.config import load_settings
from generator.errors import Problems
from generator.importers import import_claimreview, import_liar
from generator.read import _compose, parse_yaml, split_front_matter

PATH = Path("c.yaml")


def pyyaml(text: str):
    """PyYAML's reading: (data, problems) or (None, problems)."""
    problems = Problems()
    doc = _compose(text, PATH, problems, 0)
    return (None if doc is None else doc.data), problems.items


def agrees(text: str) -> bool:
    """The property; True when the fast path read the text itself (and agreed)."""
    fast = yamlfast.values(text)
    if fast is yamlfast.MISS:
        return False
    data, problems = pyyaml(text)
    assert problems == [] and fast == data, text
    return True


def sample_texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((REPO / "claims").rglob("*.yaml"))]
    for article in sorted((REPO / "content").rglob("*")):
        if article.suffix in (".md", ".txt"):
            front, _, _ = split_front_matter(article.read_text("utf-8"))
            if front:
                texts.append(front)
    return texts


def test_the_sample_is_read_by_the_fast_path_and_alike():
    texts = sample_texts()
    assert len(texts) >= 13  # its claims and its articles' front matter
    assert all(agrees(text) for text in texts)  # every one of them plain enough for the fast path


# Text the fast path must leave to PyYAML: where the parsers disagree, where PyYAML reports a problem, and what
# the checks cannot tell apart from those (numbers JSON would type, quoted look-alikes)
DISAGREE = [
    "a: &x 1\nb: *x\n",  # rapidyaml keeps an alias as the text '*x'
    "base: &b {x: y}\nc:\n  <<: *b\n",  # a merge key
    "a: !!str x\n",  # a tag
    "a:\tb\n",  # PyYAML: a mapping; rapidyaml: one scalar
    "a: @x\n", "a: `x\n",  # reserved indicators: PyYAML's syntax error, rapidyaml's text
    "a: ~\n", "a: Null\n", "a: NULL\n", "a: [~, x]\n",  # nulls rapidyaml keeps as text
    "a: x\na: y\n",  # a key twice: PyYAML's path reports it
    "a: 1.5\n", "a: .5\n", "a: 12\n", "a: true\n", "a: [x, false]\n",  # typed by JSON
    "a: *x\n", "a: [x, *y]\n", "*k : v\n",  # aliases
    "a:\n  }name: x\n", "a: [x, ]y]\n", "a: %x\n", "a: [x,& y]\n", "a: [x, :y]\n",  # indicators starting a scalar
    "a:\n  : x\n",  # an empty key
    "a: > - x\n", "a: |x\n",  # text after a block scalar's indicator
    "a: [x, y:, z]\n", "a: [x, [y]]\n", "a: {b: c}\n",  # flow collections other than a list of words
    "a: '~'\n", "a: '*quoted'\n",  # only look like the above: sent to PyYAML all the same
    "a: 1\n---\nb: 2\n", "a: 1\n...\n",  # a second document, a document end
    "%YAML 1.1\n---\na: x\n", "%# x\na: y\n",  # directives (the second found by a mutation of a corpus file)
    "? complex\n: key\n",
    "a: \"\\x01\"\n", "a: x\x85y\n", "a: x\u2028y\n", "a: \ufeffx\n", "a: x\x7fy\n",  # controls, 1.1 breaks
    "a: b: c\n", "a: 'open\n", "a: [x, y\n", "- x\nb: y\n",  # syntax errors
    "a: " + "[" * 50 + "]" * 50 + "\n",  # deep nesting
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", DISAGREE)
def test_what_the_parsers_read_differently_goes_to_pyyaml(text):
    assert yamlfast.values(text) is yamlfast.MISS


AGREE = [
    "a: x\n", "a: 'single ''quoted'''\n", "a: \"tab\\there \\u00e9 \\\"q\\\" \\\\ \\N\"\n",
    "a: |\n  line\n  more\n", "a: |+\n  keep\n\n\nb: x\n", "a: >-\n  fold\n    more\n  back\n",
    "a: plain\n  two lines\n", "a: \"two\n  lines\"\n", "a: x # comment\n", "a:\n- x\n- y\n",
    "a: [x, y z, w]\n", "a: []\n", "a:\nb: null\n", "a: 'null'\n",
    "a: 2021-12-07\nb: no\nc: yes\nf: off\ng: 0x1F\n",  # text, as PyYAML's path keeps them
    "---\na: x\n", "a: 'emoji \U0001f600 and ünïcödé'\n", "key with spaces: x\n", "1: x\n",
    "- - x\n  - y\n- z\n", "just text\n", "a: x*y&z! 50% ok? me@example.org\n", "a: 007\n",
    "a: |2-  # comment\n   indented\n", "a: |\n  Some **bold** `code` @handle\n",
]


@pytest.mark.parametrize("text", AGREE)
def test_plain_yaml_is_read_by_the_fast_path_alike(text):
    assert agrees(text)


ALPHABET = [":", " ", "-", "\n", "'", '"', "#", "[", "]", "{", "}", ",", "|", ">", "&", "*", "!", "?",
            "~", "\t", "\\", "  ", "x", "null", "yes", "1", "---", "@", "%", "`", "<<", "&a", "*a", "!!str ",
            ": ", "- ", "? ", "...", "\x85", "\u2028", "\xa0", "é", "\ufeff", "\x00", "\r", "0.5", "true"]


def mutated(rng: random.Random, text: str) -> str:
    """``text`` with one to four random edits: a significant character put in, a few taken out, a line's
    indentation changed."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        edit = rng.random()
        if edit < 0.5:
            text = text[:at] + rng.choice(ALPHABET) + text[at:]
        elif edit < 0.8:
            text = text[:at] + text[at + rng.randint(1, 3):]
        else:
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + (" " if rng.random() < 0.5 else "") + text[start + (rng.random() < 0.5):]
    return text


def test_mutated_sample_files_never_read_differently():
    """Over 3,000 texts, most of them broken somewhere (``CLAIMLINE_FUZZ=100000`` for a longer run)."""
    rng = random.Random(20261128)
    texts = sample_texts()
    fast = sum(agrees(mutated(rng, rng.choice(texts))) for _ in range(int(os.environ.get("CLAIMLINE_FUZZ", 3200))))
    assert fast > 1000  # the fast path still read many of them itself


def corpus_texts(tmp_path: Path) -> list[str]:
    project = ProjectBuilder(tmp_path / "p")
    settings = load_settings(project.root)
    import_claimreview(settings, CORPORA / "claimreview-datacommons" / "fact_checks_20190605.txt",
                       project.root / "claims" / "cr")
    import_liar(settings, CORPORA / "liar" / "test.tsv", project.root / "claims" / "liar")
    return [p.read_text("utf-8") for p in sorted((project.root / "claims").rglob("*.yaml"))]


@requires_corpora()
def test_the_importers_yaml_from_real_corpora_reads_alike(tmp_path):
    """ClaimReview's records (many languages and scripts) and LIAR's test split, as the importers write them."""
    texts = corpus_texts(tmp_path)
    assert len(texts) > 3000
    fast = sum(agrees(text) for text in texts)
    assert fast > len(texts) * 0.9  # nearly all of them take the fast path
    rng = random.Random(7)
    assert sum(agrees(mutated(rng, rng.choice(texts))) for _ in range(3000)) > 1000


# rapidyaml writes these out as '.inf', '-.inf' or '.nan' (keys too, quoted or not); PyYAML's path keeps each one
SPECIAL_FLOATS = ["inf", "Inf", "INF", "nan", "NaN", "NAN", "-inf", "+inf", "infinity", "-infinity", ".inf",
                  ".Inf", ".INF", ".nan", ".NaN", ".NAN", "-.inf", "+.inf", "-.Inf", "+.INF", "-.INF"]


@pytest.mark.parametrize("word", SPECIAL_FLOATS)
@pytest.mark.parametrize("template, expected", [
    ("a: {}\n", lambda w: {"a": w}), ("{}: x\n", lambda w: {w: "x"}), ("'{}': x\n", lambda w: {w: "x"}),
    ('"{}": x\n', lambda w: {w: "x"}), ("a: [x, {}]\n", lambda w: {"a": ["x", w]}), ("- {}\n", lambda w: [w]),
    ("statement: s\ntags: [{0}, {0} news]\n{0}: x\n", lambda w: {"statement": "s", "tags": [w, w + " news"], w: "x"}),
], ids=["value", "key", "single-quoted-key", "double-quoted-key", "flow-item", "list-item", "claim"])
def test_inf_and_nan_spellings_are_read_as_typed_on_both_paths(word, template, expected):
    text = template.format(word)
    problems = Problems()
    assert parse_yaml(text, PATH, problems).data == expected(word) == pyyaml(text)[0]
    assert problems.items == []


def test_positions_of_a_fast_document_are_pyyaml_s_composed_later():
    text = "statement: x\nsources:\n  - url: https://example.org\n    title: t\n"
    doc = parse_yaml(text, PATH, Problems())
    assert doc.source == (text, 0) and doc._pos is None  # nothing composed yet
    composed = _compose(text, PATH, Problems(), 0)
    assert doc.pos == composed.pos and doc.keypos == composed.keypos
    assert doc.pos[("sources", 0, "title")] == (4, 12)
    assert doc._pos is not None


def test_front_matter_positions_count_from_the_file_s_first_line():
    problems = Problems()
    doc = parse_yaml("title: x\ndate: y\n", PATH, problems, line_offset=1)
    assert doc.keypos[("date",)] == (3, 1)


def test_rapidyaml_s_own_messages_never_reach_the_terminal(capfd):
    assert yamlfast.values("a: b: c\n") is yamlfast.MISS  # a syntax error rapidyaml prints about
    assert capfd.readouterr().err == ""
    problems = Problems()
    assert parse_yaml("a: b: c\n", PATH, problems) is None  # reported once, by PyYAML's path
    assert [p.message for p in problems.items] == [
        "YAML syntax error: mapping values are not allowed in this context"]


def test_with_other_threads_running_pyyaml_reads_everything():
    """Standard error is redirected while rapidyaml parses, which another thread's output must never meet."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert yamlfast.values("a: x\n") is yamlfast.MISS
        assert parse_yaml("a: x\n", PATH, Problems()).data == {"a": "x"}
    finally:
        stop.set()
        other.join()
    assert yamlfast.values("a: x\n") == {"a": "x"}
