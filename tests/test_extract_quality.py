"""Precision and recall of `claimline extract` on hand-checked gold sets; a drop below the floors fails.

The scoring code lives in bench/extract_quality.py (run it to see the table); the gold sets are in
tests/fixtures/extract/.  Floors are the figures measured when the rules were last changed, minus a small
margin, so that a regression fails while harmless wording changes in the rules do not.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import CORPORA, REPO, requires_corpora

_spec = importlib.util.spec_from_file_location("extract_quality", REPO / "bench" / "extract_quality.py")
quality = importlib.util.module_from_spec(_spec)
sys.modules["extract_quality"] = quality  # dataclasses look their module up there
_spec.loader.exec_module(quality)

CORPUS = CORPORA / "wikinews-politics" / "wikinews_politics_200.jsonl"


@pytest.fixture(scope="module")
def seed():
    return quality.seed_scores()


def test_seed_quotes(seed):
    q = seed["quotes"]
    assert (q.gold, q.precision, q.recall) == (5, 1.0, 1.0), q.misses
    assert q.speaker_accuracy == 1.0, q.misses


def test_seed_dates(seed):
    d = seed["dates"]
    assert (d.gold, d.precision, d.recall) == (3, 1.0, 1.0), d.misses


def test_seed_hand_made_claims_are_covered(seed):
    c = seed["claims_coverage"]
    # 11 of the 12 hand-made claims; the one left is the article's own count ("This is the fifth
    # conversation …"), which has no speaker to attribute it to
    assert c.gold == 12 and c.hits >= 11, c.misses


@pytest.fixture(scope="module")
def wikinews():
    if not CORPUS.is_file():
        pytest.skip(f"Wikinews corpus not found at {CORPUS}")
    return quality.wikinews_scores(CORPUS)


@requires_corpora()
def test_wikinews_quotes(wikinews):
    q = wikinews["quotes"]
    assert q.gold == 41
    assert q.precision >= 0.95 and q.recall >= 0.93, (q.precision, q.recall, q.misses)


@requires_corpora()
def test_wikinews_speakers(wikinews):
    q = wikinews["quotes"]
    assert q.speaker_accuracy >= 0.89, (q.speaker_accuracy, q.misses)
    assert q.unknown_right == q.unknown_gold  # unattributed quotations stay unattributed


@requires_corpora()
def test_wikinews_dates(wikinews):
    d, rel = wikinews["dates"], wikinews["dates_relative"]
    assert d.gold == 54 and rel.gold == 35
    assert d.precision >= 0.96 and d.recall >= 0.96, (d.precision, d.recall, d.misses)
    assert rel.precision >= 0.94 and rel.recall >= 0.94, (rel.precision, rel.recall, rel.misses)


@requires_corpora()
def test_wikinews_gold_matches_the_corpus():
    """The gold set identifies each article by id, date and sha256: a changed corpus must fail loudly."""
    import hashlib
    import json

    import yaml

    gold = yaml.safe_load((quality.FIXTURES / "wikinews.yaml").read_text("utf-8"))
    lines = CORPUS.read_text("utf-8").splitlines()
    assert [a["line"] for a in gold["articles"]] == list(range(0, 200, 10))
    for art in gold["articles"]:
        rec = json.loads(lines[art["line"]])
        assert (rec["id"], rec["date"]) == (art["id"], art["date"])
        assert hashlib.sha256(rec["text"].encode("utf-8")).hexdigest() == art["sha256"]
        for item in art["quotes"] + art["dates"] + (art.get("out_of_scope") or []):
            start, end = item["span"]
            assert 0 <= start < end <= len(rec["text"])


def test_no_corpus_text_in_the_wikinews_gold_set():
    """Licensing: the fixture holds offsets, names and dates only, never the articles' words."""
    text = (quality.FIXTURES / "wikinews.yaml").read_text("utf-8")
    assert "quote:" not in text and "text:" not in text
    if CORPUS.is_file():
        import json
        for line in CORPUS.read_text("utf-8").splitlines()[::10]:
            body = json.loads(line)["text"]
            for n in range(0, len(body) - 40, 40):  # no 40-character stretch of any article
                assert body[n:n + 40] not in text
