"""The write floor: write the files of a generated docs/ folder again, and nothing else.

    python bench/write_floor.py DOCS_DIR [TRASH_DIR] [--threads N]

Reads every file under DOCS_DIR into memory (not timed), then writes them all into a new folder beside it the
way ``generator/write.py`` assembles a new site (``os.open``/``os.write``, each folder made once), and prints
``{"files": N, "bytes": B, "write_s": S}`` as JSON.  The new folder is removed afterwards (not timed), or
moved into TRASH_DIR when one is given, so that the next measurement does not pay for its deletion (see
``procs.discard``).  The seconds are what this machine's file system takes to take in the output of
``claimline generate``; with ``yaml_floor.py`` it bounds from below what any generator that reads these inputs
and writes these pages costs.  ``--threads 2`` shares the files between two threads, taking every other one,
as ``generator/write.py`` does for a large run (``parallel.on_two_threads``).
"""

import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from procs import TRASH, discard  # this script's folder is bench/


def main():
    args = sys.argv[1:]
    threads = 1
    if "--threads" in args:
        at = args.index("--threads")
        threads = int(args[at + 1])
        del args[at:at + 2]
    docs = os.path.abspath(args[0])
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
    helpers = [threading.Thread(target=create, args=(jobs[n::threads],)) for n in range(1, threads)]
    for helper in helpers:
        helper.start()
    create(jobs[0::threads])
    for helper in helpers:
        helper.join()
    seconds = time.perf_counter() - start
    if len(args) > 1:
        TRASH[:] = [Path(args[1])]
    discard(copy)  # into the trash folder, or deleted without one
    print(json.dumps({"files": len(files), "bytes": sum(map(len, files.values())), "threads": threads,
                      "write_s": round(seconds, 3)}))


def create(jobs):
    for path, data in jobs:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(handle, data)
        os.close(handle)


if __name__ == "__main__":
    main()
