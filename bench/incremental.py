"""The preview server's regeneration after a one-claim edit, measured in one process as ``serve`` runs it.

    .venv/bin/python bench/incremental.py PROJECT [--claim claim-00007] [--repeat 3] [--json OUT]

PROJECT is a generated project (``bench/corpus.py``).  The script runs a first, full generation through a
:class:`generator.incremental.Session` (what ``claimline serve`` does at start-up), then edits one claim's
statement ``--repeat`` times, each time timing the session's regeneration from the save to the files on disk,
and counting the pages rendered and the files written, and the generated files that show the claim.  The
claim file is restored at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import api  # noqa: E402
from generator.incremental import Session  # noqa: E402


def measure(project: Path, claim_id: str, repeat: int) -> dict:
    session = Session()
    started = time.perf_counter()
    api.generate(project, atomic=False, session=session)
    first = time.perf_counter() - started
    claim = project / claim_id if claim_id.endswith((".yaml", ".yml")) else project / "claims" / f"{claim_id}.yaml"
    original = claim.read_text("utf-8")
    runs = []
    try:
        for n in range(1, repeat + 1):
            marker = f"Edit number {n}:"
            lines = original.splitlines()
            at = next(i for i, line in enumerate(lines) if line.startswith("statement:"))
            value = lines[at][len("statement:"):].strip()
            quoted = value[:1] in "\"'"
            lines[at] = f"statement: {value[0]}{marker} {value[1:]}" if quoted else f"statement: {marker} {value}"
            claim.write_text("\n".join(lines) + "\n", "utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            result = api.generate(project, atomic=False, session=session)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            docs = result.settings.docs_dir
            showing = sorted(p for p, data in result.files.items() if marker.encode() in data)
            runs.append({"seconds": round(seconds, 3), "cpu_s": round(cpu, 3), "rendered": session.stats["rendered"],
                         "written": sorted(result.report.written), "showing": showing,
                         "written_not_showing": sorted(set(result.report.written) - set(showing)),
                         "on_disk": all(marker.encode() in (docs / p).read_bytes() for p in showing)})
    finally:
        claim.write_text(original, "utf-8")
    return {"project": str(project), "claims": len(result.site.claims), "articles": len(result.site.articles),
            "pages": session.stats["pages"], "first_generation_s": round(first, 2), "edits": runs,
            "best_s": min(r["seconds"] for r in runs),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--claim", default="claim-00007", help="a claim id, or a claim file's path in PROJECT")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    found = measure(args.project.resolve(), args.claim, args.repeat)
    for run in found["edits"]:
        print(f"edit: {run['seconds']:.3f} s (CPU {run['cpu_s']:.3f} s), {run['rendered']} pages rendered, {len(run['written'])} files written, "
              f"{len(run['showing'])} files show the claim, {len(run['written_not_showing'])} written without it")
    print(f"{found['claims']} claims, {found['articles']} articles, {found['pages']} pages; first generation "
          f"{found['first_generation_s']} s; best edit {found['best_s']:.3f} s; peak RSS {found['peak_rss_mib']} MiB")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
