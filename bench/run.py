"""claimline's performance benchmark: generator, YAML floor, MkDocs builds, memory, search bytes, side by side.

    .venv/bin/python bench/run.py --claims 1000 --articles 200 [--scale] [--liar] [--out bench/results/x.json]

For each corpus (the synthetic one from bench/corpus.py; with ``--scale`` also one ``--scale-factor`` times
larger; with ``--liar`` the real LIAR data set imported through ``generator.importers.import_liar``) it
measures, each as a separate process timed from fork to exit:

* ``claimline generate`` cold (no docs/, no .claimline-cache/), warm (nothing changed) and after a
  one-claim edit (which files in docs/ were rewritten, and which pages show the edited claim);
* the YAML-parse floor (bench/yaml_floor.py: read the same files, ``yaml.compose`` with CSafeLoader), the
  target's floor, and beside it the same files parsed to values (``yaml.load``), as the issue timed its floor;
* ``mkdocs build`` of the generated docs/, and of a flat baseline with as many plain one-page Markdown files
  of the same average size in a minimal Material project;
* peak memory of each process: max RSS read by a reaper (``/usr/bin/time``) and the sampled process tree;
* the bytes a reader downloads for a first search (bench/search_bytes.py, headless Chromium);

then prints a table with PASS/FAIL against the targets and writes the raw numbers as JSON (and the table as
Markdown beside it).  See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
from report import TARGETS, _write, plain, ratio  # noqa: E402
from procs import TRASH, compare, discard, files_containing, measure, repeated, snapshot  # noqa: E402
from diagnostics import pagefind_whatif, phases, write_floor  # noqa: E402
from search_bytes import browser_available  # noqa: E402
from projects import LIAR_DIR, edit_statement, make_baseline, make_liar, make_synthetic, yaml_files  # noqa: E402


# --------------------------------------------------------------------------- one corpus

def bench_corpus(name: str, project: Path, info: dict, args, py: str) -> dict:
    print(f"\n== {name}: {info['claims']:,} claims, {info['articles']:,} articles in {project}", flush=True)
    res: dict = {"name": name, "project": str(project), **info}
    claim_files = yaml_files(project / "claims")
    res["claims"] = len(claim_files)
    res["avg_claim_yaml_bytes"] = round(sum(p.stat().st_size for p in claim_files) / max(1, len(claim_files)))
    docs = project / "docs"
    gen_cmd = [py, "-m", "generator", "generate", "--project", str(project)]

    def clean(_i: int) -> None:
        discard(docs)
        discard(project / ".claimline-cache")
        for leftover in project.glob(".docs.*"):
            discard(leftover)

    time.sleep(2.1)  # inputs saved in the last two seconds are never trusted by generate's up-to-date check
    print("  generate, cold", flush=True)
    res["generate_cold"] = repeated("cold", args.repeat, clean, lambda i: measure(gen_cmd, cwd=project))
    if res["generate_cold"]["rc"] != 0:
        res["error"] = "generate failed: " + res["generate_cold"]["samples"][-1]["stderr_tail"][-800:]
        return res
    print("  generate, warm (nothing changed: the up-to-date check)", flush=True)
    res["generate_warm"] = repeated("warm", args.repeat, None, lambda i: measure(gen_cmd, cwd=project))
    res["generate_stdout"] = res["generate_warm"]["samples"][-1]["stdout_tail"].strip()[-300:]
    print("  generate, warm parse cache but a full run (up-to-date stamp removed)", flush=True)
    stamp_file = project / ".claimline-cache" / "up-to-date-v1.json"
    res["generate_full_warm"] = repeated("full warm", args.repeat, lambda i: stamp_file.unlink(missing_ok=True),
                                         lambda i: measure(gen_cmd, cwd=project))

    print("  YAML floor", flush=True)
    floor_cmd = [py, str(BENCH / "yaml_floor.py"), str(project / "claims"), str(project / "content")]
    res["floor"] = repeated("floor", args.repeat, None, lambda i: measure(floor_cmd))
    print("  YAML floor parsed to values (yaml.load: the issue's yardstick)", flush=True)
    res["floor_values"] = repeated("floor values", args.repeat, None, lambda i: measure(floor_cmd + ["--values"]))

    print("  write floor (the generated files written again, nothing else)", flush=True)
    res["write_floor"] = write_floor(py, docs, args.repeat)
    if args.phases:
        res["phases"] = phases(py, project)

    # one-claim edit: the middle claim file; its statement gets a unique marker in front
    target = claim_files[len(claim_files) // 2]
    res["edit_claim"] = target.relative_to(project).as_posix()
    original = target.read_text("utf-8")
    edits = []
    print(f"  one-claim edit ({res['edit_claim']})", flush=True)
    for i in range(args.repeat):
        marker = f"Benchedit{i + 1}x{os.getpid()}"
        target.write_text(original, "utf-8")
        edit_statement(target, marker)
        before = snapshot(docs)
        sample = measure(gen_cmd, cwd=project)
        after = snapshot(docs)
        diff = compare(before, after)
        showing = files_containing(docs, marker)
        rewritten = sorted(set(diff["touched"]) | set(diff["added"]) | set(diff["removed"]))
        sample.update(
            files_in_docs=len(after), rewritten=len(rewritten), bytes_changed=len(diff["bytes_changed"]),
            added=diff["added"][:20], removed=diff["removed"][:20], showing_claim=len(showing),
            showing_claim_files=showing[:50],
            rewritten_not_showing=sorted(set(rewritten) - set(showing))[:50],
            n_rewritten_not_showing=len(set(rewritten) - set(showing)),
            rewritten_same_bytes=sorted(set(diff["touched"]) - set(diff["bytes_changed"]))[:20],
            n_rewritten_same_bytes=len(set(diff["touched"]) - set(diff["bytes_changed"])))
        edits.append(sample)
        print(f"    edit #{i + 1}: {sample['wall_s']:.2f} s wall, {sample['cpu_s']:.2f} s CPU; "
              f"{sample['rewritten']} files rewritten ({sample['bytes_changed']} with new bytes), "
              f"{sample['showing_claim']} show the claim, {sample['n_rewritten_not_showing']} rewritten "
              f"without showing it", flush=True)
    res["edit"] = {"samples": edits, "best_wall_s": min(e["wall_s"] for e in edits),
                   "median_wall_s": statistics.median(e["wall_s"] for e in edits),
                   "best_cpu_s": min(e["cpu_s"] for e in edits), "maxrss_mib": max(e["maxrss_mib"] for e in edits),
                   "tree_peak_mib": max(e["tree_peak_mib"] for e in edits)}

    # the same edit in the preview server's session (bench/incremental.py, one process, as serve runs it)
    print("  one-claim edit in the preview's session", flush=True)
    session_json = args.workdir / f"{name}-session.json"
    sample = measure([py, str(BENCH / "incremental.py"), str(project), "--claim", res["edit_claim"],
                      "--repeat", str(max(3, args.repeat)), "--json", str(session_json)], cwd=REPO)
    if sample["rc"] == 0:
        res["session_edit"] = json.loads(session_json.read_text("utf-8"))
        print(f"    best {res['session_edit']['best_s']:.3f} s", flush=True)
    else:
        res["session_edit"] = {"error": sample["stderr_tail"][-800:]}

    # pages
    md = [p for p in docs.rglob("*.md")]
    res["md_pages"] = len(md)
    res["docs_files"] = sum(1 for p in docs.rglob("*") if p.is_file())
    res["docs_bytes"] = sum(p.stat().st_size for p in docs.rglob("*") if p.is_file())
    res["avg_md_bytes"] = round(sum(p.stat().st_size for p in md) / max(1, len(md)))

    # builds: the site as `claimline build` makes it (MkDocs in a child, then Pagefind once it has exited),
    # with docs/ up to date, against `mkdocs build` of the flat baseline
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    target.write_text(original, "utf-8")
    time.sleep(2.1)  # inputs saved in the last two seconds are never trusted by the up-to-date check
    subprocess.run(gen_cmd, cwd=project, capture_output=True, check=True)
    out_site = project / "site"
    print("  claimline build of the generated site (docs/ up to date)", flush=True)
    claimline_build = [py, "-m", "generator", "build", "--project", str(project)]
    res["build"] = repeated("build", args.build_repeat, lambda i: discard(out_site),
                            lambda i: measure(claimline_build, cwd=project, env=env, timeout=args.build_timeout))
    res["build_stdout"] = res["build"]["samples"][-1]["stdout_tail"].strip()[-300:]

    def build_cmd(config: Path, dest: Path):
        return lambda i: measure([py, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(dest)],
                                 env=env, timeout=args.build_timeout)

    res["html_pages"] = sum(1 for _ in out_site.rglob("*.html")) if out_site.is_dir() else 0
    res["site_bytes"] = sum(p.stat().st_size for p in out_site.rglob("*") if p.is_file()) if out_site.is_dir() else 0

    print(f"  flat baseline: {res['md_pages']:,} pages of ~{res['avg_md_bytes']:,} bytes", flush=True)
    base = args.workdir / f"{name}-baseline"
    base_site = args.workdir / f"{name}-baseline-site"
    res["baseline"] = make_baseline(base, res["md_pages"], res["avg_md_bytes"])
    res["baseline_build"] = repeated("baseline build", args.build_repeat,
                                     lambda i: discard(base_site),
                                     build_cmd(base / "mkdocs.yml", base_site))
    res["baseline_html_pages"] = sum(1 for _ in base_site.rglob("*.html")) if base_site.is_dir() else 0
    discard(base)
    discard(base_site)

    # search
    if args.no_search or res["build"]["rc"] != 0:
        res["search"] = {"skipped": "--no-search" if args.no_search else "the build failed"}
    else:
        from search_bytes import first_search_bytes

        query = args.query or ("health" if info["kind"] == "liar" else "budget")
        print(f"  first search for {query!r} (headless Chromium)", flush=True)
        res["search"] = first_search_bytes(out_site, query, timeout_s=args.search_timeout)
        print(f"    {res['search'].get('method')}: {res['search'].get('search_bytes', 0):,} search bytes, "
              f"{res['search'].get('results')} results in {res['search'].get('time_to_results_s')} s", flush=True)
        if args.whatif_pagefind and res["search"].get("backend") == "lunr":
            res["search_pagefind_whatif"] = pagefind_whatif(py, out_site, query, args)
    if not args.keep:
        discard(out_site)
    return res


# --------------------------------------------------------------------------- verdicts and the table

def machine() -> dict:
    from importlib import metadata

    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), None)

    def sh(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None

    import yaml

    return {"cpu": cpu, "cores": os.cpu_count(), "ram_mib": mem, "python": platform.python_version(),
            "platform": platform.platform(), "mkdocs": version("mkdocs"),
            "mkdocs-material": version("mkdocs-material"), "pyyaml": version("PyYAML"),
            "yaml_c_loader": hasattr(yaml, "CSafeLoader"), "playwright": version("playwright"),
            "pagefind": version("pagefind"), "chromium": sh("/usr/bin/chromium", "--version"),
            "git_commit": sh("git", "-C", str(REPO), "rev-parse", "--short", "HEAD"),
            "git_dirty_generator_files": len((sh("git", "-C", str(REPO), "status", "--short", "generator") or "")
                                             .splitlines()),
            "date_utc": datetime.now(UTC).strftime("%a %b %d %H:%M:%S UTC %Y"),
            "loadavg_start": os.getloadavg()}


# --------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", action="store_true", help="also run at --scale-factor times the size")
    parser.add_argument("--scale-factor", type=int, default=10)
    parser.add_argument("--liar", action="store_true", help="also import and measure the real LIAR corpus")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the synthetic corpus (with --liar)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each generate/floor/edit measurement")
    parser.add_argument("--build-repeat", type=int, default=1, help="runs of each mkdocs build")
    parser.add_argument("--phases", action="store_true", help="also time the generator's stages in-process")
    parser.add_argument("--whatif-pagefind", action="store_true",
                        help="also index each lunr site with Pagefind (if installed) and measure its first search")
    parser.add_argument("--no-search", action="store_true", help="skip the browser search measurement")
    parser.add_argument("--preview-claims", type=int, default=2000,
                        help="claims in the project whose serve preview is timed in Chromium (0: skip)")
    parser.add_argument("--query", help="search word (default: budget; health for LIAR)")
    parser.add_argument("--search-timeout", type=float, default=900)
    parser.add_argument("--build-timeout", type=float, default=3600)
    parser.add_argument("--workdir", type=Path, help="where projects are written (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--out", type=Path, help="JSON results file (default bench/results/run-<time>.json)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only print (and rewrite beside it) the table of an earlier results file")
    args = parser.parse_args()

    if args.render:
        data = json.loads(args.render.read_text("utf-8"))
        info = {k: v for k, v in data.items() if k not in ("results", "scale", "notes")}
        if data.get("scale"):  # re-judge with the current targets
            small, big = (next(r for r in data["results"] if r["name"] == data["scale"][k]) for k in ("small", "big"))
            data["scale"]["build_cpu_ratio"] = ratio(big["build"]["best_cpu_s"], small["build"]["best_cpu_s"])
            data["scale"]["pass"] = (data["scale"]["build_ratio"] or 1e9) <= TARGETS["scale_build"]
        print(plain(_write(args.render, info, data["results"], data.get("scale"), data.get("notes", []))))
        return

    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(REPO))
    py = sys.executable
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or BENCH / "results" / f"run-{stamp}.json"
    made_workdir = args.workdir is None
    args.workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="claimline-bench-"))).resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    info = {"command": " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:]), "python_executable": py,
            "machine": machine(), "targets": {k: v for k, v in TARGETS.items()}, "workdir": str(args.workdir)}
    print(f"claimline bench: commit {info['machine']['git_commit']} "
          f"({info['machine']['git_dirty_generator_files']} changed files under generator/), "
          f"{info['machine']['cpu']}, {info['machine']['cores']} cores, load {os.getloadavg()[0]:.1f}", flush=True)

    plan: list[tuple[str, callable]] = []
    if not args.no_synthetic:
        sizes = [(args.claims, args.articles)]
        if args.scale:
            sizes.append((args.claims * args.scale_factor, args.articles * args.scale_factor))
        for claims, articles in sizes:
            name = f"synthetic-{claims // 1000}k" if claims % 1000 == 0 else f"synthetic-{claims}"
            plan.append((name, lambda root, c=claims, a=articles: make_synthetic(root, c, a, args.seed)))
    notes = []
    if args.liar:
        if LIAR_DIR.is_dir() and any(LIAR_DIR.glob("*.tsv")):
            plan.append(("liar", make_liar))
        else:
            msg = f"--liar: skipped, the LIAR corpus is not at {LIAR_DIR}"
            print(msg, flush=True)
            notes.append(msg)
    why_not = browser_available()
    if why_not and (not args.no_search or args.preview_claims):
        msg = (f"no browser ({why_not}): the first search is measured by file sizes, a lower bound for Pagefind "
               "that passes no target, and the serve preview is not measured")
        print(msg, flush=True)
        notes.append(msg)

    results = []
    TRASH[:] = [args.workdir / ".trash"]  # emptied only at the end: see procs.discard
    try:
        for name, make in plan:
            project = args.workdir / name
            discard(project)
            try:
                corpus_info = make(project)
                results.append(bench_corpus(name, project, corpus_info, args, py))
            except Exception as exc:  # noqa: BLE001 - record it and go on with the next corpus
                import traceback
                traceback.print_exc()
                results.append({"name": name, "error": f"{type(exc).__name__}: {exc}"})
            if not args.keep:
                discard(project)
            _write(out, info, results, None, notes)  # partial results survive a later failure
        if args.preview_claims:
            info["preview"] = preview(args, py)
            _write(out, info, results, None, notes)
    finally:
        shutil.rmtree(TRASH[0], ignore_errors=True)
        if made_workdir and not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)

    scale = None
    synth = [r for r in results if r.get("kind") == "synthetic" and "build" in r]
    if args.scale and len(synth) == 2:
        small, big = synth
        br = ratio(big["build"]["best_wall_s"], small["build"]["best_wall_s"])
        scale = {"small": small["name"], "big": big["name"], "build_ratio": br,
                 "build_cpu_ratio": ratio(big["build"]["best_cpu_s"], small["build"]["best_cpu_s"]),
                 "generate_ratio": ratio(big["generate_cold"]["best_wall_s"], small["generate_cold"]["best_wall_s"]),
                 "claims_ratio": ratio(big["claims"], small["claims"]),
                 "pass": br is not None and br <= TARGETS["scale_build"]}
    info["machine"]["loadavg_end"] = os.getloadavg()
    md = _write(out, info, results, scale, notes)
    print("\n" + plain(md))
    for r in results:
        if "error" in r:
            print(f"{r['name']}: ERROR {r['error']}")
    for n in notes:
        print(n)
    print(f"\nraw numbers: {out}\ntable: {out.with_suffix('.md')}")


def preview(args, py: str) -> dict:
    """Save-to-browser time of ``claimline serve`` on a synthetic project (bench/serve_preview.py)."""
    n = args.preview_claims
    why_not = browser_available()
    if why_not:  # say so, rather than a traceback from Playwright in the table
        print(f"\n== serve preview: not measured, {why_not}", flush=True)
        return {"claims": n, "skipped": why_not}
    project = args.workdir / f"preview-{n}"
    discard(project)
    make_synthetic(project, n, max(1, n // 5), args.seed)
    print(f"\n== serve preview: {n:,} claims in {project}", flush=True)
    dest = args.workdir / f"preview-{n}.json"
    sample = measure([py, str(BENCH / "serve_preview.py"), str(project), "--repeat", str(max(3, args.repeat)),
                      "--json", str(dest)], cwd=REPO)
    if not args.keep:
        discard(project)
    if sample["rc"] != 0:
        return {"claims": n, "error": sample["stderr_tail"][-800:] + sample["stdout_tail"][-800:]}
    found = json.loads(dest.read_text("utf-8"))
    print(f"    best {found['best_s']:.2f} s, worst {found['worst_s']:.2f} s", flush=True)
    return found


if __name__ == "__main__":
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve() \
            and not os.environ.get("CLAIMLINE_BENCH_NO_REEXEC"):
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])  # the project's virtualenv
    main()
