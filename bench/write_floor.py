"""The write floor: write the files of a generated docs/ folder again, and nothing else.

    python bench/write_floor.py DOCS_DIR [TRASH_DIR]

Reads every file under DOCS_DIR into memory (not timed), then writes them all into a new folder beside it the
way ``generator/write.py`` assembles a new site (``os.open``/``os.write``, each folder made once), and prints
``{"files": N, "bytes": B, "write_s": S}`` as JSON.  The new folder is removed afterwards (not timed), or
moved into TRASH_DIR when one is given, so that the next measurement does not pay for its deletion (see
``procs.discard``).  The seconds are what this machine's file system takes to take in the output of
``claimline generate``; with ``yaml_floor.py`` it bounds from below what any generator that reads these inputs
and writes these pages costs.  The files are written by ``generator/write.py``'s own ``write_file``, through
``parallel.split_map``: in two processes for a large run on two cores, as ``claimline generate`` writes each
file in the process that rendered it; ``CLAIMLINE_NO_PARALLEL=1`` writes in one.
"""

import json
import os
import shutil
import sys
import time
from pathlib import Path

from procs import TRASH, discard  # this script's folder is bench/

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from generator.parallel import split_map, usable  # noqa: E402
from generator.write import write_file  # noqa: E402


def main():
    docs = os.path.abspath(sys.argv[1])
    files = {}
    for here, _folders, names in os.walk(docs):
        for name in names:
            path = os.path.join(here, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, docs)] = handle.read()
    copy = f"{docs}.write-floor-{os.getpid()}"
    shutil.rmtree(copy, ignore_errors=True)
    start = time.perf_counter()
    jobs = []
    made = set()
    for rel, data in sorted(files.items()):
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(os.path.join(copy, folder), exist_ok=True)
            made.add(folder)
        jobs.append((os.path.join(copy, rel), data))
    split_map(lambda job: write_file(*job), jobs)
    seconds = time.perf_counter() - start
    if len(sys.argv) > 2:
        TRASH[:] = [Path(sys.argv[2])]
    discard(copy)  # into the trash folder, or deleted without one
    print(json.dumps({"files": len(files), "bytes": sum(map(len, files.values())), "processes": 2 if usable(len(jobs)) else 1,
                      "write_s": round(seconds, 3)}))


if __name__ == "__main__":
    main()
