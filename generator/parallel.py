"""Sharing a run's heaviest loops with a second core: reading and parsing the inputs, and rendering and writing.

:func:`split_map` computes ``[func(item) for item in items]``, but on a machine with more than one core it
forks one child, and the two processes take runs of items in turn from a queue until none is left.  The child
sends its results back through an unnamed temporary file, each run ``marshal``-ed (plain values only), then
one byte through a pipe to say they are all there.  The result is the same list, in the same order, as the
plain loop gives — the child runs the same code on the same data — so the output stays byte-for-byte
deterministic, whichever process computed which run.

The child is only a helper.  If it cannot be started, dies, or sends anything unreadable, this process
computes the child's runs itself: an error (a broken template, say) is then raised here, exactly as
without the child.  Nothing is forked when the process runs other threads (the preview server does; a
fork copies no thread but keeps their locks), when there are few items, on one core, or where ``os.fork``
does not exist.  Set ``CLAIMLINE_NO_PARALLEL=1`` to turn it off.
"""

from __future__ import annotations

import marshal
import os
import signal
import tempfile
import threading
from typing import Any, Callable, Sequence

OFF_ENV = "CLAIMLINE_NO_PARALLEL"
MIN_ITEMS = 2000  # below this a fork (milliseconds, and a copy of the heap's page tables) is not worth it
CHUNKS = 400  # runs of items the two processes take turns at: 10 ms of rendering each at 10,000 claims
_HEADER = 8
_NUMBER = 4  # bytes of a run's number in the queue


def usable(count: int) -> bool:
    """Whether :func:`split_map` forks for ``count`` items (never beside other threads: a fork keeps their locks)."""
    return (count >= MIN_ITEMS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and not os.environ.get(OFF_ENV))


Finish = Callable[[int, list], None]
_finishing: list[int] = []  # children that sent their results and are still storing them (``finish``)


def split_map(func: Callable[[Any], Any], items: Sequence[Any], finish: Finish | None = None) -> list[Any]:
    """``[func(item) for item in items]``, shared with a forked child when that pays.

    The items are cut into about :data:`CHUNKS` runs, whose numbers wait in a pipe: each process takes the
    next number when it is free, so the one that runs faster does more (the child also spends time sending
    what it made, and copying the pages both processes touch).  ``finish(share, results)``, if given, is
    called by the process that computed ``results``: share 0 is this process's items (all of them when nothing
    is forked), share 1 the child's.  It lets each process store what it made (the parse cache does).  The
    child calls it after sending its results, so this process goes on meanwhile; :func:`settle` waits for
    such children."""
    settle()
    if not usable(len(items)):
        return _share(func, items, 0, finish)
    size = -(-len(items) // CHUNKS)
    count = -(-len(items) // size)
    fds: list[int] = []
    spool = None
    try:
        queue, ahead = os.pipe()  # the numbers of the runs not taken yet
        fds += [queue, ahead]
        os.write(ahead, b"".join(n.to_bytes(_NUMBER, "little") for n in range(count)))  # < 4 KB: never blocks
        os.close(ahead)
        fds.remove(ahead)
        spool = tempfile.TemporaryFile()  # not a pipe: the child must never wait for this process to read
        ready, sent = os.pipe()  # one byte from the child: its results are all in the spool
        fds += [ready, sent]
        pid = os.fork()
    except OSError:
        for fd in fds:
            os.close(fd)
        if spool is not None:
            spool.close()
        return _share(func, items, 0, finish)
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        os.close(ready)
        os._exit(_child(func, items, size, queue, spool, sent, finish))
    os.close(sent)
    out: list[Any] = [None] * len(items)
    mine: list[int] = []  # the runs computed here
    with spool:
        try:
            for n in _runs(queue):
                out[n * size:(n + 1) * size] = [func(item) for item in items[n * size:(n + 1) * size]]
                mine.append(n)
        except BaseException:
            os.close(queue)
            os.close(ready)
            _wait(pid, kill=True)
            raise
        os.close(queue)
        if finish is not None:
            finish(0, [result for n in mine for result in out[n * size:(n + 1) * size]])
        theirs = None
        if os.read(ready, 1) == b"1":  # nothing (end of file): the child died or failed before sending
            spool.seek(0)
            theirs = _decode(spool, size, len(items))
        os.close(ready)
    if finish is not None and theirs is not None:
        _finishing.append(pid)
    else:
        _wait(pid)
    taken = set(mine)
    for n, results in (theirs or {}).items():
        if n not in taken:
            out[n * size:(n + 1) * size] = results
            taken.add(n)
    missing = [n for n in range(count) if n not in taken]
    if missing:  # the child failed: do its runs here (raising here what it raised there)
        results = _share(func, [item for n in missing for item in items[n * size:(n + 1) * size]], 1, finish)
        at = 0
        for n in missing:
            length = len(items[n * size:(n + 1) * size])
            out[n * size:n * size + length] = results[at:at + length]
            at += length
    return out


def _runs(queue: int):
    """The numbers of the runs this process takes, until none is left.  A pipe's reads are atomic, so each
    number goes to one process only."""
    while True:
        number = os.read(queue, _NUMBER)
        if not number:
            return
        yield int.from_bytes(number, "little")


def in_background(task: Callable[[], Any], count: int) -> bool:
    """Run ``task()`` in a forked child and go on without waiting for it (:func:`settle` reaps it) when a fork
    pays for ``count`` items of work (:func:`usable`); otherwise run it here.  Whether it went to a child.

    For work whose result this process does not need, done while the second core would otherwise sit idle: a
    first run's parse cache is written while this process validates and links what it read."""
    if usable(count):
        try:
            pid = os.fork()
        except OSError:
            pid = None
        if pid == 0:
            code = 1
            try:
                task()
                code = 0
            finally:
                os._exit(code)  # never this process's exit handlers, whatever happened
        if pid is not None:
            _finishing.append(pid)
            return True
    task()
    return False


def settle() -> None:
    """Wait for the children still storing their results (an earlier :func:`split_map`'s ``finish``)."""
    while _finishing:
        _wait(_finishing.pop())


def _share(func: Callable[[Any], Any], items: Sequence[Any], share: int, finish: Finish | None) -> list[Any]:
    results = [func(item) for item in items]
    if finish is not None:
        finish(share, results)
    return results


def _child(func: Callable[[Any], Any], items: Sequence[Any], size: int, queue: int, spool, sent: int,
           finish: Finish | None = None) -> int:
    try:
        made: list[Any] = []
        for n in _runs(queue):  # each run is sent as soon as it is made
            results = [func(item) for item in items[n * size:(n + 1) * size]]
            blob = marshal.dumps((n, results))
            spool.write(len(blob).to_bytes(_HEADER, "little"))
            spool.write(blob)
            if finish is not None:
                made += results
        spool.flush()
        os.write(sent, b"1")
        os.close(sent)
        if finish is not None:
            finish(1, made)
        return 0
    except BaseException:  # noqa: BLE001 - any failure: the parent redoes these runs and reports it itself
        return 1


def _wait(pid: int, kill: bool = False) -> bool:
    """Reap the child (killed first if this process is leaving with an error); whether it succeeded."""
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _decode(spool, size: int, total: int) -> dict[int, list[Any]] | None:
    """The child's runs, ``{number: results}``, read one at a time: the whole file in memory at once would
    add its size (70 MB for the pages of a 10,000-claim site) to this process's peak.  None if damaged."""
    out: dict[int, list[Any]] = {}
    try:
        while head := spool.read(_HEADER):
            length = int.from_bytes(head, "little")
            blob = spool.read(length)
            if len(head) < _HEADER or len(blob) < length:
                return None
            n, results = marshal.loads(blob)
            if len(results) != len(range(total)[n * size:(n + 1) * size]):
                return None
            out[n] = results
    except (ValueError, EOFError, TypeError):
        return None
    return out
