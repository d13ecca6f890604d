"""Two cores for a large run (generator/parallel.py): the same results, in the same order, as one core gives,
and a child that fails costs time only."""

from __future__ import annotations

import collections
import io
import marshal
import os
import threading
import time

import pytest

from conftest import copy_sample
from generator import api, parallel, write
from generator import cache as cache_module
from generator.cache import ParseCache
from generator.errors import ClaimlineError, ValidationFailed
from generator.incremental import Session
from test_atomic import digest

MAIN = os.getpid()


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.delenv(parallel.OFF_ENV, raising=False)
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        pytest.skip("needs os.fork and two cores")


def slow_square_and_pid(n: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that neither process takes every run before the other starts
    return n * n, os.getpid()


def test_a_large_list_is_shared_with_a_child_and_comes_back_in_order(small_threshold) -> None:
    out = parallel.split_map(slow_square_and_pid, list(range(1001)))
    assert [value for value, _ in out] == [n * n for n in range(1001)]
    pids = {pid for _, pid in out}
    assert len(pids) == 2 and os.getpid() in pids  # the child computed some of the runs
    size = -(-1001 // parallel.CHUNKS)
    runs = [{pid for _, pid in out[at:at + size]} for at in range(0, 1001, size)]
    assert all(len(run) == 1 for run in runs)  # each run by one process


def test_the_faster_process_takes_more_runs(small_threshold) -> None:
    """The queue balances the work: a child twice as slow per item computes about a third of the runs."""
    out = parallel.split_map(slower_in_the_child, list(range(400)))
    assert [value for value, _ in out] == list(range(400))
    theirs = sum(pid != MAIN for _, pid in out)
    assert 60 < theirs < 190  # a half would be 200; a fixed split could not do better


def slower_in_the_child(n: int) -> tuple[int, int]:
    time.sleep(0.004 if os.getpid() != MAIN else 0.002)
    return n, os.getpid()


def test_nothing_is_forked_when_asked_not_to_or_with_other_threads(small_threshold, monkeypatch) -> None:
    assert {pid for _, pid in parallel.split_map(square_and_pid, range(1))} == {os.getpid()}  # too few
    monkeypatch.setenv(parallel.OFF_ENV, "1")
    assert {pid for _, pid in parallel.split_map(square_and_pid, list(range(100)))} == {os.getpid()}
    monkeypatch.delenv(parallel.OFF_ENV)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()  # the preview server runs threads: a fork would copy their locks, not them
    try:
        assert {pid for _, pid in parallel.split_map(square_and_pid, list(range(100)))} == {os.getpid()}
    finally:
        stop.set()
        other.join()


def fails_in_the_child(n: int) -> int:
    if os.getpid() != MAIN:
        raise RuntimeError("lost in the child")
    return n + 1


def unmarshallable_in_the_child(n: int) -> object:
    return object() if os.getpid() != MAIN else n


def test_a_child_that_fails_costs_time_not_results(small_threshold) -> None:
    assert parallel.split_map(fails_in_the_child, list(range(300))) == list(range(1, 301))
    # a value marshal cannot send: this process computes the child's half itself
    assert parallel.split_map(unmarshallable_in_the_child, [1, 2, 3, 4]) == [1, 2, 3, 4]


def test_the_child_stores_its_results_after_sending_them(small_threshold, tmp_path) -> None:
    """``finish`` runs in the child after its results are sent: this process goes on without waiting for it."""
    go, done = tmp_path / "go", tmp_path / "done"
    stored = []

    def finish(share: int, results: list) -> None:
        if share == 0:
            stored.append(results)
            return
        deadline = time.monotonic() + 30  # the child waits until this process has its results (or gives up)
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        done.write_text("after go" if go.exists() else "timed out")

    out = parallel.split_map(slow_square_and_pid, list(range(40)), finish)
    go.touch()  # split_map returned while the child was still in finish
    assert [value for value, _ in out] == [n * n for n in range(40)]
    assert stored == [[result for result in out if result[1] == MAIN]]  # this process's runs, stored here
    parallel.settle()
    assert done.read_text() == "after go"


def test_work_in_the_background_runs_in_a_child_that_settle_waits_for(small_threshold, tmp_path) -> None:
    """``in_background`` forks for work whose result this process does not need, and settle() reaps it."""
    go, done = tmp_path / "go", tmp_path / "done"

    def task() -> None:
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        done.write_text(f"{os.getpid()} {'after go' if go.exists() else 'timed out'}")

    marks = tmp_path / "marks"
    assert parallel.in_background(task, 10) is True
    with marks.open("a") as handle:  # the code after the call runs here only: the child ends with its task
        handle.write(f"{os.getpid()}\n")
    go.touch()  # the call returned while the task still waited for this
    parallel.settle()
    pid, outcome = done.read_text().split(" ", 1)
    assert outcome == "after go" and int(pid) != os.getpid()
    assert marks.read_text().split() == [str(os.getpid())]
    ran: list[int] = []
    assert parallel.in_background(lambda: ran.append(os.getpid()), 1) is False  # too little to fork for
    assert ran == [os.getpid()]


def test_a_background_task_that_fails_leaves_this_process_alone(small_threshold, tmp_path) -> None:
    marks = tmp_path / "marks"

    def boom() -> None:
        marks.write_text(f"{os.getpid()}\n")
        raise RuntimeError("the disk is full")

    assert parallel.in_background(boom, 10) is True
    parallel.settle()  # reaped; nothing is raised here, and this process carries on
    child = int(marks.read_text())
    assert child != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # gone, not left running this test suite's code


def fails_on_seven(n: int) -> int:
    if n == 7:
        raise ClaimlineError("template broken at seven")
    return n


def test_an_error_is_raised_here_whichever_half_it_falls_in(small_threshold) -> None:
    for items in (list(range(10)), list(range(1, 11))):  # 7 in this process's half, then in the child's
        with pytest.raises(ClaimlineError, match="seven"):
            parallel.split_map(fails_on_seven, items)


def test_a_parallel_run_writes_the_same_bytes_and_cache_as_one_core(small_threshold, tmp_path, monkeypatch) -> None:
    """The sample site with the threshold lowered to 2 files: both the parse and the render use the child."""
    two = copy_sample(tmp_path / "two")
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    api.generate(two, strict=True)
    assert len(forks) == 3  # the read stage's parse, the write of this process's parse cache, then the render
    monkeypatch.setenv(parallel.OFF_ENV, "1")
    one = copy_sample(tmp_path / "one")
    api.generate(one, strict=True)
    assert len(forks) == 3
    assert digest(one / "docs") == digest(two / "docs")
    assert ParseCache(one).entries == ParseCache(two).entries != {}


def test_each_process_writes_the_pages_it_rendered(small_threshold, tmp_path, monkeypatch) -> None:
    """A first run's pages are written by whichever process rendered them (write.Staged.put): nothing is sent
    back but whether a file was written, and the folder is the one a single process writes."""
    log = tmp_path / "writers.log"
    real_put = write.Staged.put

    def logged_put(self, rel: str, data: bytes) -> bool:
        time.sleep(0.002)  # long enough that neither process takes every run before the other starts
        with open(log, "a", encoding="utf-8") as handle:  # one short line per append: never interleaved
            handle.write(f"{os.getpid()} {rel}\n")
        return real_put(self, rel, data)

    monkeypatch.setattr(write.Staged, "put", logged_put)
    two = copy_sample(tmp_path / "two")
    result = api.generate(two, strict=True)
    writers = collections.Counter(line.split()[0] for line in log.read_text("utf-8").splitlines())
    assert str(MAIN) in writers and len(writers) == 2, writers
    assert sum(writers.values()) == len(result.report.files) == len(result.report.written)
    monkeypatch.setenv(parallel.OFF_ENV, "1")
    one = copy_sample(tmp_path / "one")
    api.generate(one, strict=True)
    assert digest(one / "docs") == digest(two / "docs")


def test_pages_a_dying_child_left_half_written_are_written_again_here(small_threshold, tmp_path, monkeypatch) -> None:
    """The child writes half of a page, then dies: this process renders the child's runs again and writes
    them whole over what it left."""
    real_put = write.Staged.put

    def dies_half_way(self, rel: str, data: bytes) -> bool:
        if os.getpid() != MAIN:
            real_put(self, rel, data[:len(data) // 2])
            died.write_text(rel, "utf-8")
            os._exit(1)
        time.sleep(0.002)  # the child takes a run before this process has done them all
        return real_put(self, rel, data)

    died = tmp_path / "died"

    monkeypatch.setattr(write.Staged, "put", dies_half_way)
    two = copy_sample(tmp_path / "two")
    api.generate(two, strict=True)
    assert died.exists(), "the child wrote half a page and died"
    monkeypatch.setenv(parallel.OFF_ENV, "1")
    one = copy_sample(tmp_path / "one")
    api.generate(one, strict=True)
    assert digest(one / "docs") == digest(two / "docs")


def test_a_first_run_on_two_cores_writes_the_cache_in_two_files_and_a_save_joins_them(small_threshold, sample_project,
                                                                                     monkeypatch) -> None:
    """Each process of the read ahead writes the cache file of what it parsed; together they are the cache."""
    folder = sample_project / cache_module.FOLDER
    api.check(sample_project)
    assert not folder.exists(), "check never writes the cache, not even from the read ahead"
    api.generate(sample_project)
    reader = ParseCache(sample_project)  # holds the signing key
    one, two = (reader._load(folder / name) for name in cache_module.FILES)
    assert len(one) + len(two) == 13 and not one.keys() & two.keys()  # 13 inputs, each in one of the two
    parsed = []
    real = cache_module._parse_entry
    monkeypatch.setattr(cache_module, "_parse_entry", lambda *args: parsed.append(args[1]) or real(*args))
    again = api.render(sample_project)
    assert parsed == [] and len(again.site.claims) == 12, "the next run finds every input in the two files"
    frank = sample_project / "claims" / "kremlin-talks-frank.yaml"
    frank.write_text(frank.read_text("utf-8").replace("were frank.", "were frank and brief."), "utf-8")
    monkeypatch.setenv(parallel.OFF_ENV, "1")  # the one parse happens here, where it is counted
    api.generate(sample_project)
    assert parsed == [frank]
    assert not (folder / cache_module.FILES[1]).exists()
    assert len(ParseCache(sample_project).entries) == 13 == len(reader._load(folder / cache_module.FILE))


def test_a_first_run_reads_each_input_once(small_threshold, sample_project, tmp_path, monkeypatch) -> None:
    """The read ahead, shared by two processes, hands the reader each file's key: no file is read twice."""
    log = tmp_path / "reads.log"  # both processes append to it: the child's reads are not seen here otherwise
    real = cache_module.load_bytes

    def logged(path, problems):
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {path}\n")
        return real(path, problems)

    monkeypatch.setattr(cache_module, "load_bytes", logged)
    api.check(sample_project)
    pids, paths = zip(*(line.split(" ", 1) for line in log.read_text().splitlines()))
    reads = collections.Counter(paths)
    assert len(reads) == 13 and set(reads.values()) == {1}  # 12 claims and 1 article, once each
    assert len(set(pids)) == 2  # by both processes


def test_a_file_the_first_preview_run_skipped_is_read_afresh_later(small_threshold, sample_project,
                                                                   monkeypatch) -> None:
    """A file parsed ahead but skipped by the reader (here a duplicate id) is read again when it counts."""
    monkeypatch.setenv(api.NO_CACHE_ENV, "1")  # no cache file: its save would drop the skipped file's entry
    claims = sample_project / "claims"
    first = claims / "kremlin-talks-frank.yaml"
    twin = claims / "kremlin-talks-frank.yml"  # the same id, listed second: skipped as a duplicate
    twin.write_bytes(first.read_bytes())
    time.sleep(2.1)  # the session trusts only files older than two seconds: these it will not read again
    session = Session()
    with pytest.raises(ValidationFailed) as failed:
        api.generate(sample_project, session=session)
    assert [p.message for p in failed.value.problems] == [
        "duplicate claim id 'kremlin-talks-frank' (also used by claims/kremlin-talks-frank.yaml)"]
    twin.write_text(twin.read_text("utf-8").replace("were frank.", "were frank and brief."), "utf-8")
    first.unlink()
    api.generate(sample_project, session=session)
    assert "frank and brief" in (sample_project / "docs" / "claims" / "kremlin-talks-frank.md").read_text("utf-8")


def test_a_save_in_the_preview_reads_only_the_saved_file(small_threshold, sample_project, monkeypatch) -> None:
    """The parse ahead is for a first run: after a save the session reads the one changed file."""
    time.sleep(2.1)  # the session trusts only files older than two seconds
    session = Session()
    api.generate(sample_project, session=session)
    frank = sample_project / "claims" / "kremlin-talks-frank.yaml"
    frank.write_text(frank.read_text("utf-8").replace("were frank.", "were frank and brief."), "utf-8")
    reads = collections.Counter()
    real = cache_module.load_bytes
    monkeypatch.setattr(cache_module, "load_bytes", lambda path, problems: reads.update([path]) or real(path, problems))
    api.generate(sample_project, session=session)
    assert reads == {frank: 1}


def test_a_short_or_long_message_from_the_child_is_not_taken() -> None:
    def spool(*runs, extra: bytes = b"", cut: int = 0) -> io.BytesIO:
        data = b"".join(len(blob).to_bytes(8, "little") + blob for blob in map(marshal.dumps, runs)) + extra
        return io.BytesIO(data[:len(data) - cut])

    # runs of 2 items out of 5: numbers 0 and 1 hold two results, number 2 the last one
    assert parallel._decode(spool((0, ["a", "b"]), (2, ["e"])), 2, 5) == {0: ["a", "b"], 2: ["e"]}
    assert parallel._decode(spool((0, ["a", "b"]), cut=1), 2, 5) is None  # the child died while writing
    assert parallel._decode(spool((0, ["a", "b"]), extra=b"\0"), 2, 5) is None  # a broken header
    assert parallel._decode(spool((0, ["a"])), 2, 5) is None  # a run too short
    assert parallel._decode(spool((2, ["e", "f"])), 2, 5) is None  # ... or too long
    assert parallel._decode(spool("a"), 2, 5) is None  # not a run at all
