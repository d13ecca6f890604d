"""Sharing a run's two heaviest loops with a second core: parsing the inputs and rendering the pages.

:func:`split_map` computes ``[func(item) for item in items]``, but on a machine with more than one core it
forks one child that does every other item while this process does the rest.  The child sends its results
back through an unnamed temporary file, each one ``marshal``-ed (plain values only).  The result is the
same list, in the same order, as the plain loop gives — the child runs the same code on the same data — so
the output stays byte-for-byte deterministic.

The child is only a helper.  If it cannot be started, dies, or sends anything unreadable, this process
computes the child's half itself: an error (a broken template, say) is then raised here, exactly as
without the child.  Nothing is forked when the process runs other threads (the preview server does; a
fork copies no thread but keeps their locks), when there are few items, on one core, or where ``os.fork``
does not exist.  Set ``CLAIMLINE_NO_PARALLEL=1`` to turn it off.

Two more calls can share the wait.  ``then`` is made once the items are done: by the child after its half,
or here when there is no child or it did not get that far.  ``meanwhile`` is always made here, after this
process's half and before it waits for the child's.  Rendering a site, the child saves the parse cache
while this process renders the exports.
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
_HEADER = 8


def usable(count: int) -> bool:
    return (count >= MIN_ITEMS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and not os.environ.get(OFF_ENV))


def split_map(func: Callable[[Any], Any], items: Sequence[Any], then: Callable[[], None] | None = None,
              meanwhile: Callable[[], None] | None = None) -> list[Any]:
    """``[func(item) for item in items]``, with every other item done in a forked child when that pays;
    ``then()`` and ``meanwhile()``, if given, are each called once (see the module's docstring)."""
    pid, spool = _fork(len(items))
    if pid is None:
        out = [func(item) for item in items]
        for call in (meanwhile, then):
            if call is not None:
                call()
        return out
    theirs_items = items[1::2]
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        os._exit(_child(func, theirs_items, spool, then))
    with spool:
        try:
            mine = [func(item) for item in items[0::2]]
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            _wait(pid, kill=then is None)  # killed in the middle of ``then``, the child could leave a file half-made
            raise
        status = _wait(pid)
        theirs = None
        if status in (_DONE, _THEN_FAILED):
            spool.seek(0)
            theirs = _decode(spool, len(theirs_items))
    if theirs is None:  # the child failed: do its half here (raising here what it raised there)
        theirs = [func(item) for item in theirs_items]
    if then is not None and status != _DONE:
        then()
    out: list[Any] = [None] * len(items)
    out[0::2], out[1::2] = mine, theirs
    return out


def _fork(count: int):
    """``(pid, spool)`` after a fork (pid 0 in the child); ``(None, None)`` when there is to be no child."""
    if not usable(count):
        return None, None
    try:
        spool = tempfile.TemporaryFile()  # not a pipe: the child must never wait for this process to read
    except OSError:
        return None, None
    try:
        return os.fork(), spool
    except OSError:
        spool.close()
        return None, None


_DONE, _FAILED, _THEN_FAILED = 0, 1, 2  # the child's exit codes


def _child(func: Callable[[Any], Any], items: Sequence[Any], spool, then: Callable[[], None] | None) -> int:
    try:
        for item in items:
            blob = marshal.dumps(func(item))
            spool.write(len(blob).to_bytes(_HEADER, "little"))
            spool.write(blob)
        spool.flush()
    except BaseException:  # noqa: BLE001 - any failure: the parent redoes this half and reports it itself
        return _FAILED
    try:
        if then is not None:
            then()
        return _DONE
    except BaseException:  # noqa: BLE001 - the parent makes the call again
        return _THEN_FAILED


def _wait(pid: int, kill: bool = False) -> int:
    """Reap the child (killed first if this process is leaving with an error); its exit code."""
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _decode(spool, count: int) -> list[Any] | None:
    """The child's ``count`` results, read one by one (the whole file in memory at once would add to the peak)."""
    out: list[Any] = []
    try:
        for _ in range(count):
            head = spool.read(_HEADER)
            size = int.from_bytes(head, "little")
            blob = spool.read(size)
            if len(head) < _HEADER or len(blob) < size:
                return None
            out.append(marshal.loads(blob))
    except (ValueError, EOFError, TypeError):
        return None
    return None if spool.read(1) else out
