"""Precision and recall of ``generator.extract`` against the hand-checked gold sets.

    .venv/bin/python bench/extract_quality.py            # the table
    .venv/bin/python bench/extract_quality.py --misses   # and every miss / false alarm, with offsets

Gold sets: tests/fixtures/extract/seed.yaml (the seed article) and tests/fixtures/extract/wikinews.yaml
(20 Wikinews articles from ../shared/corpora, stored as offsets only).  Matching rules:

* quote: a predicted quotation (kind "quote") matches a gold one when both are in the same block and their
  spans overlap by at least 80% of the gold span; each gold and each prediction matches at most once.
* speaker: of the matched quotes whose gold speaker is known, how many have a predicted speaker equal to one
  of the gold names (case, a leading "the/a/an" and punctuation ignored).  A gold speaker of null is right
  only when the prediction is empty (reported separately).
* date: a predicted mention matches a gold one when their spans overlap in the same block and the resolved
  dates are equal (``~`` included).  Every predicted mention counts for precision, resolved or not.

This file is also imported by tests/test_extract_quality.py, which asserts floors on these numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.dates import parse_date  # noqa: E402
from generator.errors import Problems  # noqa: E402
from generator.extract import Extraction, extract, extract_file  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "extract"
CORPUS = REPO.parent / "shared" / "corpora" / "wikinews-politics" / "wikinews_politics_200.jsonl"


@dataclass
class Score:
    name: str
    gold: int = 0
    pred: int = 0
    hits: int = 0
    speaker_known: int = 0  # matched quotes whose gold speaker is named
    speaker_right: int = 0
    unknown_gold: int = 0  # matched quotes whose gold speaker is null
    unknown_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_known if self.speaker_known else 1.0

    def add(self, other: "Score") -> None:
        for name in ("gold", "pred", "hits", "speaker_known", "speaker_right", "unknown_gold", "unknown_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def norm_speaker(name: str | None) -> str:
    text = re.sub(r"[^\w\s&-]", "", (name or "").lower())
    return re.sub(r"^(?:the|a|an)\s+", "", " ".join(text.split()))


def score_quotes(name: str, ext: Extraction, gold: list[dict], label: str = "") -> Score:
    """``gold``: dicts with block, start, end, speaker (list of names or None)."""
    pred = [d for d in ext.claims if d.kind == "quote"]
    score, used = Score(name, gold=len(gold), pred=len(pred)), set()
    for g in gold:
        span = g["end"] - g["start"]
        match = next((n for n, d in enumerate(pred) if n not in used and d.paragraph == g["block"] and
                      min(d.end, g["end"]) - max(d.start, g["start"]) >= 0.8 * span), None)
        if match is None:
            score.misses.append(f"{label} quote missed [{g['start']}, {g['end']})")
            continue
        used.add(match)
        score.hits += 1
        said = norm_speaker(pred[match].speaker)
        if g["speaker"] is None:
            score.unknown_gold += 1
            score.unknown_right += not said
        else:
            score.speaker_known += 1
            if said in {norm_speaker(s) for s in g["speaker"]}:
                score.speaker_right += 1
            else:
                score.misses.append(f"{label} speaker [{g['start']}, {g['end']}): got {pred[match].speaker!r}, "
                                    f"want {g['speaker']}")
    for n, d in enumerate(pred):
        if n not in used:
            score.misses.append(f"{label} false quote [{d.start}, {d.end}) speaker {d.speaker!r}")
    return score


def score_dates(name: str, ext: Extraction, gold: list[dict], label: str = "", kinds: tuple = ()) -> Score:
    """``gold``: dicts with block, start, end, resolved (str), kind. ``kinds`` limits gold and predictions."""
    gold = [g for g in gold if not kinds or g["kind"] in kinds]
    pred = [m for m in ext.dates if ext.blocks[m.paragraph].kind != "title" and (not kinds or m.kind in kinds)]
    score, used = Score(name, gold=len(gold), pred=len(pred)), set()
    for g in gold:
        match = next((n for n, m in enumerate(pred) if n not in used and m.paragraph == g["block"]
                      and min(m.span[1], g["end"]) > max(m.span[0], g["start"])
                      and str(m.resolved) == g["resolved"]), None)
        if match is None:
            got = [(m.expression, str(m.resolved)) for m in pred if m.paragraph == g["block"]
                   and min(m.span[1], g["end"]) > max(m.span[0], g["start"])]
            score.misses.append(f"{label} date missed [{g['start']}, {g['end']}) want {g['resolved']} got {got}")
        else:
            used.add(match)
            score.hits += 1
    for n, m in enumerate(pred):
        if n not in used:
            score.misses.append(f"{label} false date {m.expression!r} at {m.offset} -> {m.resolved} {m.flags}")
    return score


def seed_scores() -> dict[str, Score]:
    gold = yaml.safe_load((FIXTURES / "seed.yaml").read_text("utf-8"))
    _, ext = extract_file(REPO / gold["article"], Problems())

    def locate(text: str) -> tuple[int, int]:
        hits = [(b, block.text.find(text)) for b, block in enumerate(ext.blocks) if text in block.text]
        assert len(hits) == 1 and ext.blocks[hits[0][0]].text.count(text) == 1, f"not unique in the seed: {text}"
        return hits[0]

    quotes, dates = [], []
    for q in gold["quotes"]:
        b, at = locate(q.get("in", q["quote"]))
        at += q.get("in", q["quote"]).index(q["quote"])
        quotes.append({"block": b, "start": at, "end": at + len(q["quote"]), "speaker": q["speaker"]})
    for d in gold["dates"]:
        b, at = locate(d["in"])
        at += d["in"].index(d["expression"])
        dates.append({"block": b, "start": at, "end": at + len(d["expression"]), "resolved": d["resolved"],
                      "kind": d["kind"]})
    return {"quotes": score_quotes("seed", ext, quotes, "seed"), "dates": score_dates("seed", ext, dates, "seed"),
            "dates_relative": score_dates("seed", ext, dates, "seed", ("relative", "anaphoric")),
            "claims_coverage": claims_coverage(ext)}


def claims_coverage(ext: Extraction) -> Score:
    """How many appearances.quote texts of the hand-made claims in claims/ a draft covers (>= 80%)."""
    score = Score("seed: hand-made claims covered")
    article = Path(yaml.safe_load((FIXTURES / "seed.yaml").read_text("utf-8"))["article"]).stem
    for path in sorted((REPO / "claims").glob("*.yaml")):
        for appearance in (yaml.safe_load(path.read_text("utf-8")) or {}).get("appearances", []):
            text = str(appearance.get("quote") or "")
            if appearance.get("article") != article or not text:
                continue
            found = [(b, blk.text.find(text)) for b, blk in enumerate(ext.blocks) if text in blk.text]
            score.gold += 1
            if found and any(d.paragraph == found[0][0] and min(d.end, found[0][1] + len(text))
                             - max(d.start, found[0][1]) >= 0.8 * len(text) for d in ext.claims):
                score.hits += 1
            else:
                score.misses.append(f"claims/{path.name}: not covered")
    score.pred = len(ext.claims)
    return score


def load_corpus(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def wikinews_scores(path: Path = CORPUS) -> dict[str, Score]:
    gold = yaml.safe_load((FIXTURES / "wikinews.yaml").read_text("utf-8"))
    records = load_corpus(path)
    total = {k: Score(f"wikinews ({len(gold['articles'])} articles)")
             for k in ("quotes", "dates", "dates_relative", "out_of_scope")}
    for art in gold["articles"]:
        rec = records[art["line"]]
        text = rec["text"]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if (rec["id"], rec["date"], digest) != (art["id"], art["date"], art["sha256"]):
            raise AssertionError(f"corpus line {art['line']} changed since the gold set was made "
                                 f"(id {rec['id']}, sha256 {digest[:12]}); re-check the annotations")
        ext = extract(f"{rec['title']}\n{text}", "text", parse_date(rec["date"]))
        assert ext.blocks[1].text == text, f"line {art['line']}: the article body is not one block"
        label = f"line {art['line']} ({art['id']})"

        def at(items, **extra):
            return [{"block": 1, "start": x["span"][0], "end": x["span"][1], **{k: x.get(k) for k in extra}}
                    for x in items]
        total["quotes"].add(score_quotes("", ext, at(art["quotes"], speaker=1), label))
        total["out_of_scope"].add(score_quotes("", ext, at(art.get("out_of_scope") or [], speaker=1), label))
        dates = at(art["dates"], resolved=1, kind=1)
        total["dates"].add(score_dates("", ext, dates, label))
        total["dates_relative"].add(score_dates("", ext, dates, label, ("relative", "anaphoric")))
    return total


def table(rows: list[tuple[str, dict[str, Score]]]) -> str:
    head = f"{'set':<26}{'what':<22}{'gold':>5}{'pred':>6}{'hits':>6}{'precision':>11}{'recall':>8}"
    lines = [head, "-" * len(head)]
    for name, scores in rows:
        q = scores["quotes"]
        lines.append(f"{name:<26}{'quotes':<22}{q.gold:>5}{q.pred:>6}{q.hits:>6}{q.precision:>11.2f}{q.recall:>8.2f}")
        lines.append(f"{'':<26}{'speakers (of matched)':<22}{q.speaker_known:>5}{'':>6}{q.speaker_right:>6}"
                     f"{'':>11}{q.speaker_accuracy:>8.2f}")
        if q.unknown_gold:
            lines.append(f"{'':<26}{'unknown kept unknown':<22}{q.unknown_gold:>5}{'':>6}{q.unknown_right:>6}")
        for key, what in (("dates", "dates (all)"), ("dates_relative", "dates (relative)")):
            d = scores[key]
            lines.append(f"{'':<26}{what:<22}{d.gold:>5}{d.pred:>6}{d.hits:>6}{d.precision:>11.2f}{d.recall:>8.2f}")
        if "claims_coverage" in scores:
            c = scores["claims_coverage"]
            lines.append(f"{'':<26}{'hand-made claims':<22}{c.gold:>5}{c.pred:>6}{c.hits:>6}{'':>11}{c.recall:>8.2f}")
        if "out_of_scope" in scores:
            o = scores["out_of_scope"]
            lines.append(f"{'':<26}{'unmarked quotes':<22}{o.gold:>5}{'':>6}{o.hits:>6}{'':>11}{o.recall:>8.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    rows = [("seed article", seed_scores())]
    if CORPUS.is_file():
        rows.append(("wikinews sample (20)", wikinews_scores()))
    else:
        print(f"(Wikinews corpus not found at {CORPUS}: only the seed is measured)")
    print(table(rows))
    if args.misses:
        for name, scores in rows:
            for key in ("quotes", "dates", "claims_coverage"):
                for miss in scores[key].misses if key in scores else []:
                    print(f"{name}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
