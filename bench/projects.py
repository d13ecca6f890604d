"""The projects bench/run.py measures: the synthetic corpus, the real LIAR corpus through the importer, the
flat-page baseline, and the one-claim edit made to them."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

LIAR_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "liar"


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts))


def make_synthetic(root: Path, claims: int, articles: int, seed: int) -> dict:
    from corpus import make_corpus

    t = time.perf_counter()
    make_corpus(root, claims, articles, seed)
    return {"kind": "synthetic", "claims": claims, "articles": articles, "seed": seed,
            "make_s": round(time.perf_counter() - t, 2)}


def make_liar(root: Path) -> dict:
    from corpus import make_corpus

    from generator.config import load_settings
    from generator.importers import import_liar

    make_corpus(root, 0, 0)  # an empty project: the repository's mkdocs.yml and site-overrides/
    t = time.perf_counter()
    report = import_liar(load_settings(root), LIAR_DIR)
    claims = len(yaml_files(root / "claims"))
    return {"kind": "liar", "claims": claims, "articles": 0, "source": str(LIAR_DIR),
            "import_s": round(time.perf_counter() - t, 2), "records": getattr(report, "records", None),
            "import_report": report.format() if hasattr(report, "format") else str(report)}


def make_baseline(root: Path, pages: int, avg_bytes: int, seed: int = 7) -> dict:
    """A minimal Material project with ``pages`` flat plain-paragraph pages of ~``avg_bytes`` each."""
    from corpus import _paragraph, _sentence

    rng = random.Random(seed)
    docs = root / "docs"
    shutil.rmtree(root, ignore_errors=True)
    docs.mkdir(parents=True)
    names = ["index.md"] + [f"page-{n:05d}.md" for n in range(1, pages)]
    for name in names:
        parts = [f"# {_sentence(rng, 6)[:-1]}"]
        size = len(parts[0]) + 1
        while size < avg_bytes:
            parts.append(_paragraph(rng, 5))
            size += len(parts[-1]) + 2
        text = "\n\n".join(parts)
        (docs / name).write_text(text[:max(avg_bytes, len(parts[0]) + 1)].rstrip() + "\n", "utf-8")
    nav = "\n".join(f"  - Page {i}: {name}" for i, name in enumerate(names[1:5], 1))
    (root / "mkdocs.yml").write_text(
        "site_name: Flat baseline\nsite_url: https://example.org/\ntheme:\n  name: material\n"
        "plugins:\n  - search\n" f"nav:\n  - Home: index.md\n{nav}\n"
        "validation:\n  nav:\n    omitted_files: ignore\n", "utf-8")
    return {"pages": len(names), "avg_bytes": avg_bytes}


# --------------------------------------------------------------------------- the edit

def edit_statement(path: Path, marker: str) -> str:
    """Prefix the claim's statement with ``marker`` (rewriting only the statement's lines)."""
    import yaml

    text = path.read_text("utf-8")
    old = yaml.safe_load(text)["statement"]
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("statement:"))
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or lines[end] == ""):  # continuation lines
        end += 1
    while end > start + 1 and lines[end - 1] == "":
        end -= 1
    new = f"{marker} {old}"
    lines[start:end] = [f"statement: {json.dumps(new, ensure_ascii=False)}"]
    path.write_text("\n".join(lines), "utf-8")
    return new
