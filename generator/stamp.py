"""Is the docs folder already what ``generate`` would write?  A stamp of every input and every output file.

``claimline generate`` (and ``build``, which starts with it) records, after a clean run, the ``stat`` of
every input (claims, articles, mkdocs.yml, template overrides) and of every entry of the docs folder, with
the run's warnings.  When the next run finds exactly the same stats, nothing can have changed, and it
reports the same warnings without reading, rendering or writing anything — as ``make`` does.

Safe by construction:

* the inputs are stat-ed *before* they are read, so an edit made during a run always misses next time;
* a run whose inputs were modified in the last two seconds records no stamp: a second edit within the
  file system's clock resolution, of the same size, could otherwise go unseen;
* any change in the docs folder (a file edited, added or removed by hand, a planted symbolic link) misses
  too, so the full run's checks and repairs still happen;
* the stamp names claimline's version and the stats of its own files (templates, theme, code), so an
  upgrade, or an edit to claimline itself in a development install, makes a full run;
* it lives in the git-ignored, HMAC-free ``.claimline-cache/``: a forged stamp can at worst make a run
  skip work whose output is already in docs/ — it cannot run code.  When that is not a usable folder (a
  symbolic link, a file), no stamp is read or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from . import __version__
from .cache import cache_folder
from .config import Settings
from .errors import Problem, Problems
from .read import ARTICLE_SUFFIXES, CLAIM_SUFFIXES, discover
from .write import atomic_write

FILE = "up-to-date-v1.json"
RACY_SECONDS = 2.0
CODE = Path(__file__).resolve().parent  # claimline's own package: its templates, theme layer and code


def tree_stat(folder: Path) -> list[tuple]:
    """``(relative path, is link, size, mtime, inode)`` of every entry below ``folder``, sorted."""
    found: list[tuple] = []
    top = os.fspath(folder)
    cut = len(os.path.join(top, ""))  # entry.path[cut:] is the path below it (os.path.relpath took half the time)
    pending = [top]
    while pending:
        here = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            found.append((entry.path[cut:], entry.is_symlink(), st.st_size, st.st_mtime_ns, st.st_ino))
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    return sorted(found)


def inputs(settings: Settings) -> tuple[str, float] | None:
    """A digest of the inputs' stats and the newest modification time among them; None if unknowable."""
    quiet = Problems(root=settings.root)
    paths = [settings.config_file] + discover(settings.content_dir, ARTICLE_SUFFIXES, quiet) \
        + discover(settings.claims_dir, CLAIM_SUFFIXES, quiet)
    templates = settings.overrides_dir / "claimline"
    rows: list = [__version__, str(settings.root), [(p.message, p.path) for p in quiet.items],
                  [(os.path.lexists(f), f.is_dir()) for f in (settings.content_dir, settings.claims_dir)],
                  tree_stat(templates) if templates.is_dir() else [],
                  [row for row in tree_stat(CODE) if "__pycache__" not in row[0]]]
    newest = 0.0
    try:
        for path in paths:
            st = path.stat()
            rows.append((str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            newest = max(newest, st.st_mtime_ns / 1e9, st.st_ctime_ns / 1e9)
    except OSError:
        return None
    return _digest(rows), newest


def outputs(settings: Settings) -> str:
    return _digest(tree_stat(settings.docs_dir) if settings.docs_dir.is_dir() else None)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode("utf-8")).hexdigest()


def _path(settings: Settings) -> Path | None:
    """The stamp's file; None when the cache folder cannot be used (:func:`generator.cache.cache_folder`)."""
    folder = cache_folder(settings.root)
    return None if folder is None else folder / FILE


def unchanged(settings: Settings, stamp: tuple[str, float] | None) -> dict | None:
    """The last run's record (its files and warnings) if nothing changed since it, else None."""
    path = _path(settings)
    if stamp is None or path is None:
        return None
    try:
        if path.is_symlink():
            return None
        saved = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("inputs") != stamp[0] or saved.get("outputs") != outputs(settings):
        return None
    return saved


def record(settings: Settings, stamp: tuple[str, float] | None, files: list[str], warnings: list[Problem]) -> None:
    """Remember a clean run (see the module's notes on when it is not remembered)."""
    path = _path(settings)
    if path is None:
        return
    if stamp is None or time.time() - stamp[1] < RACY_SECONDS:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a folder of that name, say: the stamp is not read from there either
            pass
        return
    data = {"inputs": stamp[0], "outputs": outputs(settings), "files": files,
            "warnings": [[p.path, p.line, p.col, p.severity, p.message, p.hint] for p in warnings]}
    try:
        atomic_write(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def saved_warnings(saved: dict) -> list[Problem]:
    return [Problem(*row) for row in saved.get("warnings", [])]
