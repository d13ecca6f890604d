"""The bytes of a reader's first search on a large synthetic site: build it, then measure in Chromium.

    .venv/bin/python bench/search_scale.py [--claims 10000] [--articles 2000] [--query budget]
                                           [--workdir DIR] [--reuse] [--json OUT]

Writes a corpus with bench/corpus.py (``make_corpus``), builds it with ``claimline build`` (MkDocs, then the
claimline plugin's Pagefind index), and measures a first search with bench/search_bytes.py's
``first_search_bytes`` (a counting static server and headless Chromium: every byte sent from requesting the
home page until the first results are on screen).  Its ``search`` group is regrouped here so that
claimline's own search script and worker stand-in count as search too.  ``--reuse`` skips the build when
``DIR/site`` exists.  Target: ≤ 1 MB (1,000,000 bytes) for a first search at 10,000 claims.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import make_corpus  # noqa: E402
from search_bytes import first_search_bytes  # noqa: E402

TARGET = 1_000_000


def is_search(path: str) -> bool:
    return (path.startswith(("/search/", "/pagefind/")) or "claimline-search" in path
            or ("/workers/" in path and "search" in path))


def build(root: Path, claims: int, articles: int) -> float:
    make_corpus(root, claims=claims, articles=articles)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(root)], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--query", default="budget")
    parser.add_argument("--workdir", type=Path, help="project folder (default: a new temp folder)")
    parser.add_argument("--reuse", action="store_true", help="measure DIR/site as it is when it exists")
    parser.add_argument("--json", type=Path, help="write the whole measurement here")
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="claimline-search-")) / "project"
    seconds = None
    if not (args.reuse and (root / "site" / "index.html").is_file()):
        print(f"building {args.claims:,} claims and {args.articles:,} articles in {root} …", flush=True)
        seconds = build(root, args.claims, args.articles)
        print(f"built in {seconds:.0f} s", flush=True)
    site = root / "site"
    out = first_search_bytes(site, args.query)
    requests = out.get("requests", [])
    search = sum(r["bytes"] for r in requests if is_search(r["path"]))
    search_gz = sum(r["gzip"] for r in requests if is_search(r["path"]))
    page = sum(r["bytes"] for r in requests if not is_search(r["path"]))
    pagefind = site / "pagefind"
    on_disk = sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file()) if pagefind.is_dir() else 0
    summary = {"claims": args.claims, "articles": args.articles, "query": args.query, "build_s": seconds,
               "method": out.get("method"), "results": out.get("results"),
               "time_to_results_s": out.get("time_to_results_s"), "search_bytes": search,
               "search_gzip_bytes": search_gz, "page_bytes": page, "pagefind_on_disk_bytes": on_disk,
               "target_bytes": TARGET, "pass": bool(requests) and search <= TARGET}
    print(f"\nfirst search for {args.query!r} on {args.claims:,} claims + {args.articles:,} articles "
          f"({out.get('method')}, {out.get('results')} results on screen, {out.get('time_to_results_s')} s):")
    print(f"  search downloads {search:,} bytes (gzip {search_gz:,}); the page itself {page:,} bytes")
    print(f"  target <= {TARGET:,}: {'PASS' if summary['pass'] else 'FAIL'}; "
          f"the whole Pagefind bundle on disk is {on_disk:,} bytes")
    for r in requests:
        if is_search(r["path"]):
            print(f"    {r['status']} {r['bytes']:>10,} {r['gzip']:>10,}  {r['path']}")
    if out.get("error"):
        print("error:", out["error"])
    if args.json:
        args.json.write_text(json.dumps({**summary, "measurement": out}, indent=1, default=str), "utf-8")


if __name__ == "__main__":
    main()
