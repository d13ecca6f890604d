"""A deterministic synthetic newsroom archive: N claims and M articles with realistic field sizes.

    python bench/corpus.py OUT_DIR --claims 10000 --articles 2000 [--seed 1]

Claims are ~4 KB of YAML on average (statement, a claimant with role and Wikidata link, date, rating,
summary, a 4-6 paragraph analysis, 1-3 sources with archive links, appearances quoting an article and
sometimes a video link, related claims, tags, a story, a review, sometimes updates);
articles are ~3 KB Markdown with front matter and dated events.  The same arguments always give the
same bytes, so benchmarks and tests can compare runs.  The project is a copy of the repository's
mkdocs.yml and site-overrides/ around the generated content/ and claims/.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("government minister election budget report inflation border security policy court ruling vote "
         "parliament tax health school energy climate trade agreement talks sanctions troops summit protest "
         "council mayor governor senator record growth jobs wages prices housing transport police crime data "
         "survey study poll campaign promise figure million billion percent increase decrease since year "
         "month week official statement spokesperson agency ministry committee investigation evidence").split()
FIRST = "Ana Ben Chen Dara Eli Fatima Gil Hana Ivan Jun Kofi Lena Marta Nikos Omar Petra Quinn Rosa Sami Tara".split()
LAST = "Alvarez Brown Costa Dubois Evans Fischer Garcia Haddad Ito Jensen Kowalski Lopez Meyer Novak Okafor " \
       "Petrov Quist Rossi Silva Tanaka".split()
RATINGS = ["true", "mostly-true", "half-true", "mostly-false", "false", "misleading", "unproven", "pending"]
TAGS = ["Economy", "Health", "Elections", "Energy", "Climate", "Crime", "Education", "Housing", "Trade",
        "Defence", "Immigration", "Transport", "Budget", "Jobs", "Foreign policy"]
SOURCE_KINDS = ["primary", "official", "media"]
STORIES = [f"Story {n}: {w.title()} debate" for n, w in enumerate(WORDS[:40], start=1)]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(sentences))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _date(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def make_article(rng: random.Random, ident: str, when: date) -> tuple[str, list[str]]:
    paragraphs = [_paragraph(rng, rng.randint(3, 5)) for _ in range(4)]
    quotes = [p.split(". ")[0] for p in paragraphs]
    events = "".join(f"  - date: {(when - timedelta(days=rng.randint(0, 3))).isoformat()}\n"
                     f"    title: {_q(_sentence(rng, 8))}\n" for _ in range(rng.randint(0, 2)))
    text = (f"---\ntitle: {_q(_sentence(rng, 9)[:-1])}\ndate: {when.isoformat()}\npublisher: Example Gazette\n"
            f"authors: [{rng.choice(FIRST)} {rng.choice(LAST)}]\nlanguage: en\n"
            f"summary: {_q(_sentence(rng, 25))}\ntags: [{rng.choice(TAGS)}]\n"
            + (f"events:\n{events}" if events else "") + "---\n\n" + "\n\n".join(paragraphs) + "\n")
    return text, quotes


def make_claim(rng: random.Random, n: int, n_claims: int, when: date, article: tuple[str, list[str]] | None,
               claimants: list[str]) -> str:
    rating = rng.choice(RATINGS)
    claimant = rng.choice(claimants)
    lines = [f"statement: {_q(_sentence(rng, rng.randint(12, 28)))}",
             "claimant:", f"  name: {_q(claimant)}", f"  role: {_q(rng.choice(WORDS).title())}",
             f"  same_as: https://www.wikidata.org/wiki/Q{1000 + claimants.index(claimant)}",
             f"date: {when.isoformat()}", f"rating: {_q(rating)}",
             f"summary: {_q(_sentence(rng, 30))}",
             "analysis: |"] + [f"  {_paragraph(rng, 4)}\n" for _ in range(rng.randint(4, 6))]
    lines += ["sources:"] + [f"  - title: {_q(_sentence(rng, 7))}\n    url: https://example.org/source/{n}/{i}\n"
                             f"    publisher: Example Statistics Office\n    date: {when.isoformat()}\n"
                             f"    archive_url: https://web.archive.org/web/2024/https://example.org/source/{n}/{i}\n"
                             f"    kind: {rng.choice(SOURCE_KINDS)}"
                             for i in range(rng.randint(1, 3))]
    if article:
        ident, quotes = article
        lines += ["appearances:", f"  - article: {ident}", f"    quote: {_q(rng.choice(quotes))}"]
        if rng.random() < 0.5:
            lines += [f"  - url: https://example.org/video/{n}"]
    related = sorted({rng.randrange(n_claims) for _ in range(rng.randint(0, 2))} - {n})
    if related:
        lines += ["related:"] + [f"  - claim: claim-{r:05d}\n    relation: "
                                 f"{rng.choice(['contradicts', 'supports', 'responds-to', 'updates'])}"
                                 for r in related]
    lines += [f"tags: [{', '.join(sorted(set(rng.sample(TAGS, rng.randint(1, 3)))))}]",
              f"story: {_q(rng.choice(STORIES))}"]
    if rating != "pending":
        lines += ["reviewed:", f"  date: {(when + timedelta(days=rng.randint(1, 20))).isoformat()}",
                  f"  by: {rng.choice(FIRST)} {rng.choice(LAST)}"]
        if rng.random() < 0.1:
            lines += ["updates:", f"  - date: {(when + timedelta(days=30)).isoformat()}", "    kind: correction",
                      f"    note: {_q(_sentence(rng, 15))}"]
    return "\n".join(lines) + "\n"


def make_corpus(root: Path, claims: int, articles: int, seed: int = 1) -> Path:
    """Write a complete project into ``root`` (replacing its content/ and claims/); return ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site-overrides", root / "site-overrides", dirs_exist_ok=True)
    for name in ("content", "claims"):
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir()
    start = date(2015, 1, 1)
    made: list[tuple[str, list[str]]] = []
    for n in range(articles):
        ident = f"article-{n:05d}"
        text, quotes = make_article(rng, ident, _date(rng, start, 3650))
        (root / "content" / f"{ident}.md").write_text(text, "utf-8")
        made.append((ident, quotes))
    claimants = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(10, claims // 20))]
    for n in range(claims):
        article = made[rng.randrange(len(made))] if made and rng.random() < 0.7 else None
        text = make_claim(rng, n, claims, _date(rng, start, 3650), article, claimants)
        (root / "claims" / f"claim-{n:05d}.yaml").write_text(text, "utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make_corpus(args.out, args.claims, args.articles, args.seed)
    print(f"wrote {args.claims} claims and {args.articles} articles into {args.out}")


if __name__ == "__main__":
    main()
