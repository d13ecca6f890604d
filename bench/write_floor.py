"""The write floor: write the files of a generated docs/ folder again, and nothing else.

    python bench/write_floor.py DOCS_DIR [TRASH_DIR]

Reads every file under DOCS_DIR into memory (not timed), then writes them all into a new folder beside it the
way ``generator/write.py`` assembles a new site (``os.open``/``os.write``, each folder made once), and prints
``{"files": N, "bytes": B, "write_s": S}`` as JSON.  The new folder is removed afterwards (not timed), or
moved into TRASH_DIR when one is given, so that the next measurement does not pay for its deletion (see
``procs.discard``).  The seconds are what this machine's file system takes to take in the output of
``claimline generate``; with ``yaml_floor.py`` it bounds from below what any generator that reads these inputs
and writes these pages costs.
"""

import json
import os
import shutil
import sys
import time
from pathlib import Path

from procs import TRASH, discard  # this script's folder is bench/


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
    made = set()
    start = time.perf_counter()
    for rel, data in sorted(files.items()):
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(os.path.join(copy, folder), exist_ok=True)
            made.add(folder)
        handle = os.open(os.path.join(copy, rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(handle, data)
        os.close(handle)
    seconds = time.perf_counter() - start
    if len(sys.argv) > 2:
        TRASH[:] = [Path(sys.argv[2])]
    discard(copy)  # into the trash folder, or deleted without one
    print(json.dumps({"files": len(files), "bytes": sum(map(len, files.values())), "write_s": round(seconds, 3)}))


if __name__ == "__main__":
    main()
