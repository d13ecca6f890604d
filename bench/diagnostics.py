"""Diagnostic measurements beside the targets: the write floor, the generator's phases, a what-if Pagefind index."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

from procs import TRASH, discard, measure

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def write_floor(py: str, docs: Path, repeat: int) -> dict:
    """``bench/write_floor.py``: seconds to write the files of ``docs`` again, nothing else (best of ``repeat``),
    in as many processes as claimline writes them."""
    samples = []
    for _ in range(max(1, repeat)):
        run = measure([py, str(BENCH / "write_floor.py"), str(docs)] + ([str(TRASH[0])] if TRASH else []))
        try:
            samples.append(json.loads(run["stdout_tail"].strip().splitlines()[-1]))
        except (ValueError, IndexError):
            return {"error": run["stderr_tail"][-600:]}
    best = min(samples, key=lambda s: s["write_s"])
    print(f"    {best['files']:,} files, {best['bytes'] / 1e6:,.0f} MB written in "
          + ", ".join(f"{s['write_s']:.2f}" for s in samples) + " s", flush=True)
    return {**best, "best_write_s": best["write_s"], "samples_s": [s["write_s"] for s in samples]}


def pagefind_whatif(py: str, site: Path, query: str, args) -> dict:
    """Index a copy of the built site with Pagefind (if installed) and measure its first search."""
    if importlib.util.find_spec("pagefind") is None:
        return {"skipped": "the pagefind package is not installed"}
    from search_bytes import first_search_bytes

    copy = site.with_name(site.name + "-pagefind")
    discard(copy)
    shutil.copytree(site, copy)
    print("  what if: Pagefind index of the same site", flush=True)
    index = measure([py, "-m", "pagefind", "--site", str(copy)], timeout=args.build_timeout)
    out = {"index": {k: index[k] for k in ("wall_s", "cpu_s", "maxrss_mib", "rc")}}
    if index["rc"] == 0:
        out.update(first_search_bytes(copy, query, timeout_s=args.search_timeout))
        out["pagefind_dir_bytes"] = sum(p.stat().st_size for p in (copy / "pagefind").rglob("*") if p.is_file())
        print(f"    {out.get('method')}: {out.get('search_bytes', 0):,} search bytes", flush=True)
    discard(copy)
    return out


PHASES = r"""
import gc, json, resource, sys, time
gc.disable()  # as the claimline command does for a one-shot run
def usage():  # CPU seconds (user + system) and minor page faults of this process and its reaped children
    both = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in both), sum(u.ru_minflt for u in both)
t0 = time.perf_counter()
from generator.config import load_settings
from generator.errors import Problems
from generator.link import load_site
from generator.plan import plan_pages
from generator.render import render_all
from generator.write import write_tree
t = {"import": time.perf_counter() - t0}
s = time.perf_counter(); settings = load_settings(sys.argv[1]); problems = Problems(root=settings.root)
site = load_site(settings, problems); t["read+validate+link"] = time.perf_counter() - s
s = time.perf_counter(); pages = plan_pages(site); t["plan"] = time.perf_counter() - s
c, f = usage(); s = time.perf_counter(); files = render_all(site, pages); t["render"] = time.perf_counter() - s
c2, f2 = usage(); t["render CPU"] = c2 - c; t["render page faults (thousands)"] = (f2 - f) / 1000
s = time.perf_counter(); write_tree(settings.docs_dir, files); t["write (nothing changed)"] = time.perf_counter() - s
print(json.dumps({k: round(v, 3) for k, v in t.items()}))
"""


def phases(py: str, project: Path) -> dict:
    """Diagnostic: time the generator's stages in one process (stage functions called directly), on two
    cores as claimline runs by default, then with ``CLAIMLINE_NO_PARALLEL=1`` (keys ending in "1 core")."""
    out: dict = {}
    for label, extra in (("", {}), (" 1 core", {"CLAIMLINE_NO_PARALLEL": "1"})):
        run = measure([py, "-c", PHASES, str(project)], cwd=REPO, env={**os.environ, **extra})
        try:
            times = json.loads(run["stdout_tail"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {"error": run["stderr_tail"][-600:]}
        out.update({f"{k}{label}": v for k, v in times.items()})
    print("    phases: " + ", ".join(f"{k} {v:.2f}" + ("" if "faults" in k else " s") for k, v in out.items()),
          flush=True)
    return out
