"""Incremental regeneration: after an edit, only what the edit touches is read, validated and rendered again.

The preview server (``claimline serve``, ``mkdocs serve``) keeps one :class:`Session` per project for as
long as it runs.  A run then costs what the edit costs, not what the archive costs:

* **read** — a file whose ``stat`` (size, times, inode) is unchanged is not read again: the session hands
  back the same parsed object, and the validation of that object is replayed with its problems
  (:class:`SessionCache`).  A folder whose ``stat`` is unchanged is not listed again.
* **link** — linking and grouping run again unless the edit cannot change their outcome (no file added,
  removed or renamed, no article changed, and each changed claim names the same related claims,
  appearances, claimant, story and topics): a new statement, verdict or analysis keeps the last run's links
  and groups, and their problems (:meth:`SessionCache.link`).  Planning runs over the whole site as always.
* **render** — each page is rendered through proxies of the site's collections that record which records
  the page looked at (:class:`Recorder`).  The next run compares every record with its previous version
  (most are the very same objects, so that is cheap) and renders a page again only if it is new, its own
  data changed, or it looked at a record that changed.  Everything else keeps its previous bytes.
* **write** — only the re-rendered files are compared with the disk (:func:`generator.write.write_tree`).

A change of mkdocs.yml settings or of a template override starts the session over.  The result is the
same as a full run: tests/test_incremental.py edits projects in many ways and compares every file.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

from .cache import ParseCache
from .config import Settings
from .errors import Problems
from .exports import render_exports
from .link import link_key
from .records import ARTICLE_LINKED, CLAIM_LINKED, ArticleRec, ClaimRec, Site
from .plan import Page, timeline_entries
from .read import discover
from .render import environment, render_page
from .stamp import RACY_SECONDS, tree_stat

COMMON = ("site", "counts", "located")  # context every page shares; looked up through recording proxies
COLLECTIONS = ("claims", "articles", "claimants", "stories", "tags")
ALL = object()  # a page that iterated or counted a collection depends on all of it


class SessionCache(ParseCache):
    """The parse cache, plus: unchanged files (same ``stat``) are not read, and their validation is replayed."""

    def __init__(self, root: Path | None):
        super().__init__(root)
        self.known: dict[Path, tuple[tuple, object, list]] = {}
        self.now = time.time_ns()  # set again at the start of each run
        self.checked: dict[tuple[str, str], tuple[object, object, list]] = {}
        self.listings: dict[tuple, tuple[list, list]] = {}  # (folder, suffixes) → (folders' signatures, files)
        self.linked: _Linked | None = None

    def prefill(self, files):
        # the first run parses ahead; after a save only the changed files are read, one by one (and nothing
        # the first run parsed ahead is handed out again: a file its reader skipped may have changed since)
        super().prefill([] if self.known else files)

    def _signature(self, st: os.stat_result, kind: str) -> tuple | None:
        """What tells that a file or folder is as it was; None if it changed in the last two seconds, when it
        may change again within the clock's resolution with the same size (it is then looked at again)."""
        if self.now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_SECONDS * 1e9:
            return None
        return kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino

    def discover(self, folder, suffixes, problems):
        """The input files, listed again only when one of the folders listed last time changed.  Adding,
        removing or renaming a file changes its folder's modification and change times (git's untracked
        cache relies on the same); editing a file in place does not, and the file's own ``stat`` finds that.
        A listing that warned (a symbolic link, whose target may change unseen) is never reused."""
        hit = self.listings.get((folder, suffixes))
        if hit is not None:
            try:
                if all(self._signature(os.stat(here), "folder") == sig for here, sig in hit[0]):
                    return list(hit[1])
            except OSError:
                pass
        local = Problems(root=problems.root)
        walked: list = []
        found = discover(folder, suffixes, local, walked)
        problems.extend(local.items)
        sigs = [(here, self._signature(st, "folder")) for here, st in walked]
        if walked and not local.items and all(sig is not None for _, sig in sigs):
            self.listings[(folder, suffixes)] = (sigs, found)
        else:
            self.listings.pop((folder, suffixes), None)
        return found

    def link(self, site, docs, named, problems, full):
        """Linking and grouping, or the last run's links and groups when they cannot differ: the same files,
        the same articles, and every claim file that changed still valid, at the same path, naming the same
        related claims, appearances, claimant, story and topics (:func:`generator.link.link_key`), with no
        problem of linking reported on it last time (its positions may have moved).  Editing a statement, a
        verdict or an analysis saves the site-wide passes."""
        last = self.linked
        if last is not None and _links_hold(last, site, docs, named):
            claims = {}
            for ident, old in last.site.claims.items():  # in the order linking left them
                rec = site.claims[ident]
                if not _same(rec, old, _REC_OWN):  # a changed claim: its new record, with the links it had
                    for name in CLAIM_LINKED:
                        setattr(rec, name, getattr(old, name))
                    old = rec
                claims[ident] = old
            site.claims = claims
            for name in ("articles", "claimants", "stories", "tags"):
                setattr(site, name, getattr(last.site, name))
            found = last.problems
        else:
            found = Problems(root=problems.root)
            full(found)
        problems.extend(found.items)
        self.linked = _Linked(site, docs, named, found)

    def _cached(self, kind, path, problems):
        try:
            sig = self._signature(os.stat(path), kind)  # (its content hash still saves the parse of a racy file)
        except OSError:
            sig = None
        hit = self.known.get(path)
        if sig is not None and hit is not None and hit[0] == sig:
            problems.extend(hit[2])
            return hit[1]
        local = Problems(root=problems.root)
        result = super()._cached(kind, path, local)
        problems.extend(local.items)
        if sig is not None:
            self.known[path] = (sig, result, local.items)
        return result

    def memo(self, kind, ident, source, problems, check):
        hit = self.checked.get((kind, ident))
        if hit is not None and hit[0] is source:
            problems.extend(hit[2])
            return hit[1]
        local = Problems(root=problems.root)
        result = check(local)
        problems.extend(local.items)
        self.checked[(kind, ident)] = (source, result, local.items)
        return result


class _Linked(NamedTuple):
    """What the last run's linking saw and made (see :meth:`SessionCache.link`)."""

    site: Site
    docs: dict  # claim id → its document, for every claim file that is a mapping
    named: set  # the ids of every input file
    problems: Problems  # those linking reported


_REC_OWN = [f.name for f in fields(ClaimRec) if f.name not in CLAIM_LINKED]
_ARTICLE_OWN = [f.name for f in fields(ArticleRec) if f.name not in ARTICLE_LINKED]


def _same(new, old, names: list[str]) -> bool:
    """Whether two records hold the same values in ``names``: mostly the very same objects, unless the file
    was read again (it changed in the last two seconds) or the value is made afresh (an id)."""
    for name in names:
        mine, theirs = getattr(new, name), getattr(old, name)
        if mine is not theirs and mine != theirs:
            return False
    return True


def _links_hold(last: _Linked, site: Site, docs: dict, named: set) -> bool:
    """Whether linking ``site`` would give what it gave in the run ``last`` (see :meth:`SessionCache.link`)."""
    before, old_docs, old_named, found = last
    if named != old_named or docs.keys() != old_docs.keys() or site.claims.keys() != before.claims.keys() \
            or site.articles.keys() != before.articles.keys():
        return False
    if not all(_same(article, before.articles[ident], _ARTICLE_OWN) for ident, article in site.articles.items()):
        return False
    for ident, doc in docs.items():
        old = old_docs[ident]
        if doc is old:
            continue
        if doc.path != old.path or ident not in site.claims or found.about(doc.path) \
                or link_key(site.claims[ident].claim) != link_key(before.claims[ident].claim):
            return False
    return True


class Tracked(Mapping):
    """A read-only view of one of the site's mappings that notes each key a page looks up."""

    def __init__(self, name: str, data: Mapping, recorder: "Recorder"):
        self._name, self._data, self._recorder = name, data, recorder

    def __getitem__(self, key):
        self._recorder.deps.add((self._name, key))
        return self._data[key]

    def __contains__(self, key):
        self._recorder.deps.add((self._name, key))
        return key in self._data

    def get(self, key, default=None):
        self._recorder.deps.add((self._name, key))
        return self._data.get(key, default)

    def __iter__(self):
        self._recorder.deps.add((self._name, ALL))
        return iter(self._data)

    # Going through every record depends on all of them (ALL), which covers each key: so the views are the
    # mapping's own, without Mapping's lookup of each key through __getitem__ (the exports go through all
    # 10,000 claims of a large archive after every save)
    def items(self):
        self._recorder.deps.add((self._name, ALL))
        return self._data.items()

    def values(self):
        self._recorder.deps.add((self._name, ALL))
        return self._data.values()

    def __len__(self):
        self._recorder.deps.add((self._name, ALL))
        return len(self._data)


class _SiteView:
    """The site as templates see it: settings as they are, every collection recorded."""

    def __init__(self, site, recorder: "Recorder"):
        self.settings = site.settings
        for name in COLLECTIONS:
            setattr(self, name, Tracked(name, getattr(site, name), recorder))


class Recorder:
    """Proxies for the shared context of one run; ``deps`` collects what the page being rendered read."""

    def __init__(self, site, common: dict):
        self.deps: set = set()
        self.context = {"site": _SiteView(site, self),
                        **{k: Tracked(k, common[k], self) for k in COMMON if k != "site"}}


def _own(context: dict) -> tuple[dict, list]:
    """A page's own data, with the claim or article it is about replaced by its key (compared through the
    changed keys, rather than field by field again); and those keys, which the page depends on."""
    own, held = {}, []
    for name, value in context.items():
        kind = type(value)
        if kind is ClaimRec or kind is ArticleRec:
            value = ("claims" if kind is ClaimRec else "articles", value.id)
            held.append(value)
        own[name] = value
    return own, held


def changed_keys(old: dict[str, Mapping], new: dict[str, Mapping]) -> set:
    """``(collection, key)`` for every record added, removed or different, plus ``(collection, ALL)``."""
    dirty: set = set()
    for name, now in new.items():
        before = old.get(name, {})
        keys = {k for k in now if before.get(k, ALL) != now[k]} | {k for k in before if k not in now}
        if keys:
            dirty |= {(name, k) for k in keys} | {(name, ALL)}
    return dirty


@dataclass
class Rendered:
    template: str
    title: str
    own: dict  # the page's own data (records as their keys, see _own), to compare with the next plan
    deps: frozenset
    data: bytes


@dataclass
class Session:
    """What the preview server remembers of one project between runs (see :func:`generator.api.generate`)."""

    identity: tuple | None = None
    cache: SessionCache | None = None
    shared: dict[str, Mapping] = field(default_factory=dict)  # the last run's collections and common context
    pages: dict[str, Rendered] = field(default_factory=dict)
    exports: dict[str, bytes] = field(default_factory=dict)
    pieces: dict[tuple, tuple] = field(default_factory=dict)  # parts of the exports: key → (deps, text, same)
    stats: dict = field(default_factory=dict)
    env: object = None
    entries: dict = field(default_factory=dict)  # timeline entries by record, reused while it is unchanged
    _pending: tuple | None = None

    @contextmanager
    def run(self, settings: Settings, use_disk_cache: bool = True) -> Iterator[SessionCache]:
        """One run: start over if the settings or template overrides changed; yields the cache to read through.

        The cyclic garbage collector is paused during the run (a collection walks every object a run made,
        ~0.5 s at 10,000 claims); afterwards what the session keeps is frozen out of its sight."""
        self.started = time.perf_counter()
        identity = (settings, _templates(settings))
        if identity != self.identity:
            self.__init__(identity=identity)
        self.settings = self.identity[0]  # the same objects (ratings) run after run: records compare faster
        if self.cache is None:
            self.cache = SessionCache(settings.root if use_disk_cache else None)
        self.cache.now = time.time_ns()
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield self.cache
        finally:
            self._pending = None
            if collecting:
                gc.enable()

    @property
    def first(self) -> bool:
        return not self.pages

    def render(self, site: Site, pages: list[Page]) -> tuple[dict[str, bytes], set[str] | None]:
        """Every file's bytes, rendering only the pages the changes since the last run touch; also the set of
        files that may differ from the last run (None on a first run: compare everything)."""
        common = pages[0].common if pages else {}
        shared = {**{name: getattr(site, name) for name in COLLECTIONS}, "counts": common.get("counts", {}),
                  "located": common.get("located", {})}
        dirty = changed_keys(self.shared, shared) if not self.first else set()
        if self.env is None:  # kept while the settings and templates are the same (it caches compiled templates)
            self.env = environment(site.settings)
        env = self.env
        recorder = Recorder(site, common)
        rendered: dict[str, Rendered] = {}
        fresh: set[str] = set()
        for page in pages:
            own, held = _own(page.own)
            old = self.pages.get(page.path)
            if old is not None and old.template == page.template and old.title == page.title \
                    and old.deps.isdisjoint(dirty) and old.own == own:
                rendered[page.path] = old
                continue
            recorder.deps = set(held)
            text = render_page(env, Page(page.path, page.template, page.title, page.own, recorder.context))
            rendered[page.path] = Rendered(page.template, page.title, own, frozenset(recorder.deps),
                                           text.encode("utf-8"))
            fresh.add(page.path)
        exports, pieces = self.exports, self.pieces
        if self.first or dirty:
            pieces: dict = {}
            before = self.pieces.get

            def piece(key: tuple, make, same=None) -> str:
                """One review, row or slide of the exports: made again only if what it read changed."""
                made = before(key)
                if made is None or not made[0].isdisjoint(dirty) or made[2] is not same and made[2] != same:
                    recorder.deps = set()
                    value = make()
                    made = (frozenset(recorder.deps), value, same)
                pieces[key] = made
                return made[1]

            exports = render_exports(recorder.context["site"], timeline_entries(site), piece)
            fresh |= {name for name, data in exports.items() if self.exports.get(name) != data}
        files = {path: r.data for path, r in rendered.items()} | exports
        only = None if self.first else fresh
        self._pending = (rendered, shared, exports, pieces, len(pages), len(fresh & rendered.keys()))
        return files, only

    def commit(self, written: int) -> None:
        """The files are on disk: remember this run as the base of the next."""
        self.pages, self.shared, self.exports, self.pieces, total, count = self._pending
        self._pending = None
        # what a session keeps lives long: out of the cyclic collector's sight, or every later run pays for
        # full collections walking hundreds of megabytes of unchanged records (~0.7 s at 10k claims)
        gc.freeze()
        self.stats = {"pages": total, "rendered": count, "written": written,
                      "seconds": time.perf_counter() - self.started}


def _templates(settings: Settings) -> tuple:
    """The site's template overrides with their sizes and times: editing one re-renders everything."""
    folder = settings.overrides_dir / "claimline"
    return tuple(tree_stat(folder)) if folder.is_dir() else ()


_SESSIONS: dict[Path, Session] = {}


def session_for(project: Path | str) -> Session:
    """The session of a project in this process (one preview server serves one project)."""
    root = Path(project).resolve()
    return _SESSIONS.setdefault(root, Session())
