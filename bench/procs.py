"""Running a measured command: wall and CPU time, peak memory of the process and of its whole tree.

Used by bench/run.py.  Every command runs under a small reaper (``/usr/bin/time`` or a minimal Python
process), because Linux carries the RSS high-water mark across ``exec`` and a child started directly from
a large benchmark process would report the benchmark's own memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


PAGE = os.sysconf("SC_PAGE_SIZE")

# Where the run puts what it no longer needs; emptied once, when the run ends (see discard).
TRASH: list[Path] = []


def discard(path: Path) -> None:
    """Put ``path`` out of the way by moving it into the run's trash folder, not by deleting it.

    On ext4, creating a file right after thousands were deleted is slow: the inode allocator skips every
    inode freed in the last 60 to 300 seconds (``recently_deleted()`` under ``ext4_create``; `perf` showed
    it taking most of the time of writing 12,625 files after a 10,000-claim docs/ was removed).  Deleting
    between measurements made the next generate or write floor pay for the benchmark's own clean-up, by
    0.5 to 7 s from one sample to the next.  A rename frees no inode.
    """
    if not os.path.lexists(path):
        return
    if not TRASH:
        shutil.rmtree(path, ignore_errors=True)
        return
    TRASH[0].mkdir(parents=True, exist_ok=True)
    os.rename(path, tempfile.mkdtemp(dir=TRASH[0]) + "/" + Path(path).name)


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (from /proc; 0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree every ``interval`` s; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.done.wait(self.interval)


GNU_TIME = Path("/usr/bin/time")
# Fallback reaper when GNU time is missing: a small Python process that forks, execs and wait4()s the command.
REAPER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{ru.ru_utime} {ru.ru_stime} {ru.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``cmd`` as a separate process and return its wall time, CPU time and peak memory.

    Peak memory comes from a small reaper between this script and the command: GNU ``/usr/bin/time``
    (or, without it, a minimal Python process) forks, execs the command and reads its rusage with
    ``wait4``.  The reaper is needed because Linux carries a process's RSS high-water mark across
    ``exec``: a command started directly by this (large) Python process would report *this* process's
    RSS as its ``ru_maxrss`` whenever its own peak is lower (checked: ``/usr/bin/true`` started from a
    420 MiB Python parent reported 419 MiB).  ``resource.getrusage(RUSAGE_CHILDREN)`` would be worse
    still: the running maximum over every child so far.  ``maxrss_mib`` is the peak RSS of the command or
    of the largest of its own children (Linux reports the maximum, not the sum); ``tree_peak_mib`` is
    the largest *sum* of RSS over the command and its descendants alive at the same moment, sampled from
    /proc every 0.1 s (it sees a process MkDocs starts, such as the search indexer, on top of MkDocs
    itself, and can miss a peak shorter than 0.1 s).
    """
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    err = tempfile.TemporaryFile()  # noqa: SIM115
    fd, usage_file = tempfile.mkstemp(prefix="claimline-bench-usage-")
    os.close(fd)
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-f", "%U %S %M", "-o", usage_file, *cmd]
    else:
        wrapped = [sys.executable, "-S", "-c", REAPER, usage_file, *cmd]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        proc.wait()
    finally:
        killer.cancel()
        sampler.done.set()
        sampler.join()
    wall = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    stderr = err.read().decode("utf-8", "replace")
    out.close()
    err.close()
    try:
        user, system, maxrss = Path(usage_file).read_text().strip().splitlines()[-1].split()
        user, system, maxrss = float(user), float(system), int(maxrss)
    except (OSError, ValueError, IndexError):
        user = system = float("nan")
        maxrss = 0
    finally:
        Path(usage_file).unlink(missing_ok=True)
    return {"wall_s": round(wall, 3), "cpu_s": round(user + system, 3), "user_s": round(user, 3),
            "sys_s": round(system, 3), "maxrss_mib": round(maxrss / 1024, 1),
            "tree_peak_mib": round(sampler.peak / 2 ** 20, 1), "rc": proc.returncode, "load1_before": load,
            "reaper": GNU_TIME.name if GNU_TIME.exists() else "python",
            "stdout_tail": stdout[-1500:], "stderr_tail": stderr[-1500:]}


def repeated(label: str, n: int, before, cmd_fn) -> dict:
    """Run a measurement ``n`` times (``before()`` first each time); keep every sample, best and median."""
    samples = []
    for i in range(n):
        if before:
            before(i)
        sample = cmd_fn(i)
        samples.append(sample)
        print(f"    {label} #{i + 1}: {sample['wall_s']:.2f} s wall, {sample['cpu_s']:.2f} s CPU, "
              f"{sample['maxrss_mib']:.0f} MiB max RSS ({sample['tree_peak_mib']:.0f} MiB process tree), "
              f"exit {sample['rc']}", flush=True)
        if sample["rc"] != 0:
            print(f"      stderr: {sample['stderr_tail'][-600:]}", flush=True)
            break
    walls = [s["wall_s"] for s in samples]
    return {"samples": samples, "best_wall_s": min(walls), "median_wall_s": statistics.median(walls),
            "best_cpu_s": min(s["cpu_s"] for s in samples),
            "maxrss_mib": max(s["maxrss_mib"] for s in samples),
            "tree_peak_mib": max(s["tree_peak_mib"] for s in samples), "rc": max((s["rc"] for s in samples), key=abs)}


# --------------------------------------------------------------------------- docs/ snapshots

def snapshot(folder: Path) -> dict[str, tuple]:
    """rel path -> (size, mtime_ns, inode, sha1) for every file in ``folder``."""
    snap = {}
    if not folder.is_dir():
        return snap
    for path in folder.rglob("*"):
        if path.is_file():
            st = path.stat()
            snap[path.relative_to(folder).as_posix()] = (
                st.st_size, st.st_mtime_ns, st.st_ino, hashlib.sha1(path.read_bytes()).hexdigest())
    return snap


def compare(before: dict, after: dict) -> dict:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    common = set(before) & set(after)
    touched = sorted(r for r in common if before[r][:3] != after[r][:3] or before[r][3] != after[r][3])
    bytes_changed = sorted(r for r in common if before[r][3] != after[r][3])
    return {"added": added, "removed": removed, "touched": touched, "bytes_changed": bytes_changed}


def files_containing(folder: Path, needle: str) -> list[str]:
    low = needle.lower().encode()
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and low in p.read_bytes().lower())


# --------------------------------------------------------------------------- corpora
