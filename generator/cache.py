"""A cache of parsed inputs, keyed by each file's content hash, in the git-ignored ``.claimline-cache/``.

Reading is the read stage's costliest step, so its results — the plain data and the read-stage problems —
are kept between runs (the positions of a problem found later are composed from the file, read again).
A file is looked up by the SHA-1 of its bytes (and its extension, which decides how an article is
read), never by its name or modification time: an edit misses, a rename hits, a deleted file's entry is
dropped at the next save.  Model validation and everything after it run on every run, so the cache can
never hide a problem.  A cache that cannot be read (corrupt, from another version) is ignored and
rebuilt; it is never an error.  A ``.claimline-cache`` that is not a folder (a file) is left alone and the run
goes on without the cache.  ``claimline check`` reads the cache but never writes it.

The cache lives in the project, where a pull request could plant a file: so it is signed with an
HMAC whose key is kept outside the project (``$XDG_CACHE_HOME/claimline/cache.key``, made on first use)
and nothing is loaded unless the signature matches.  A ``.claimline-cache`` that is a symbolic link is
neither read nor written.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import marshal
import re
import secrets
import sys
from functools import partial
from pathlib import Path

from .errors import Problems
from .parallel import in_background, settle, split_map
from .read import (ArticleSource, Doc, decode_text, discover, front_matter_source, load_bytes, parse_article,
                   parse_yaml, yaml_source)
from .write import atomic_write

FOLDER = ".claimline-cache"
FORMAT = 6  # bump when what is cached, or how it is read, changes (6: each document's data, not its text)
# marshal, not pickle: the entries are plain values (dicts, lists, tuples, strings, numbers), which marshal
# writes 4.6x faster (0.19 s against 0.86 s for the 49 MB a 10,000-claim archive's cache was then; loading
# takes the same time), and it cannot be made to call code.  Its format may change with Python, so the version
# is in the name.
_STEM = f"parsed-v{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"
# The cache is one file, or two when a first run's read ahead ran on two cores: each process then wrote what it
# parsed, the child after sending its results, instead of this process writing it all afterwards (0.5 s at
# 10,000 claims).  Entries are keyed by content, so files of different runs can only hold more, never wrong.
FILES = (f"{_STEM}.bin", f"{_STEM}.2.bin")
FILE = FILES[0]  # the whole cache, once a run has saved it
# A cache of another format written by this Python: an older claimline's, which a first run clears away
_OTHER_FORMAT = re.compile(rf"parsed-v(?!{FORMAT}-)\d+-py{sys.version_info[0]}{sys.version_info[1]}-m{marshal.version}"
                           r"(\.2)?\.bin")


# A document is kept as its data only.  Its positions are composed from the file's text if a problem needs
# one, and the text is then read again: the file holds the very bytes the entry was found by, unless it was
# saved since, moments ago (its positions then come from what is there now).  Keeping the text doubled the
# cache, and the share of it the read ahead's child sends back.

def _pack_doc(doc: Doc) -> tuple:
    return (doc.data,)  # in a tuple: an empty file's data is None, which stands for a failed parse


def _unpack_doc(path: Path, parts: tuple) -> Doc:
    return Doc(path, parts[0], source=partial(yaml_source, path))


def _pack_article(source: ArticleSource) -> tuple:
    return source.meta.data, source.body, source.body_line, source.format


def _unpack_article(path: Path, parts: tuple) -> ArticleSource:
    data, body, body_line, fmt = parts
    return ArticleSource(path, Doc(path, data, source=partial(front_matter_source, path)), body, body_line, fmt)


# kind -> (parse, pack into plain values, unpack)
_KINDS = {"yaml": (parse_yaml, _pack_doc, _unpack_doc),
          "article": (parse_article, _pack_article, _unpack_article)}


def _key_of(kind: str, path: Path, raw: bytes) -> tuple:
    return kind, path.suffix.lower(), hashlib.sha1(raw).digest()


def _parse_entry(kind: str, path: Path, raw: bytes) -> tuple:
    """The cache entry for one file's bytes: the packed parse (None if it failed) and its read problems."""
    parse, pack, _ = _KINDS[kind]
    local = Problems()
    text = decode_text(raw, path, local)
    result = parse(text, path, local) if text is not None else None
    return None if result is None else pack(result), [(p.line, p.col, p.severity, p.message, p.hint)
                                                      for p in local.items]


def _key() -> bytes | None:
    """The signing key, kept outside every project; None when it can be neither read nor made."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimline"
    path = home / "cache.key"
    try:
        if not path.is_file():
            home.mkdir(parents=True, exist_ok=True)
            atomic_write(path, secrets.token_bytes(32))
            os.chmod(path, 0o600)
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


def cache_folder(root: Path) -> Path | None:
    """``root/.claimline-cache`` if claimline may keep its files there: a folder, or nothing yet.  None for a
    symbolic link (never followed) or anything else that is not a folder, such as a file: the run then goes on
    without the cache and leaves it as it is."""
    folder = root / FOLDER
    if folder.is_symlink() or os.path.lexists(folder) and not folder.is_dir():
        return None
    return folder


class ParseCache:
    def __init__(self, root: Path | None):
        self.folder = cache_folder(root) if root is not None else None
        self.key = _key() if self.folder is not None else None
        if self.key is None:
            self.folder = None  # without a key the cache could be forged: do without it
        self.entries: dict[tuple, tuple] = {}
        self.used: set[tuple] = set()
        self.ahead: dict[Path, tuple] = {}  # path -> key, from prefill, for this run's reader only
        self.changed = False
        self.saves = False  # whether this run writes the cache (``check`` only reads it): set by the caller
        for name in FILES if self.folder is not None else ():
            self.entries.update(self._load(self.folder / name))

    def _load(self, file: Path) -> dict:
        """The entries of one cache file; none if it is missing, damaged or not signed with this machine's key."""
        if not file.is_file() or file.is_symlink():
            return {}
        try:
            blob = file.read_bytes()
            mac, payload = blob[:32], blob[32:]
            if hmac.compare_digest(mac, hmac.new(self.key, payload, hashlib.sha256).digest()):
                data = marshal.loads(payload)  # only what this machine wrote and signed
                if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data["entries"], dict):
                    return data["entries"]
        except Exception:  # any damage at all: do without it, never fail the run
            pass
        return {}

    def _cached(self, kind: str, path: Path, problems: Problems):
        """Look ``path`` up by content; parse and remember it on a miss; replay its read problems."""
        key = self.ahead.pop(path, None)  # read (and parsed) by prefill moments ago
        if key is None or key not in self.entries:
            raw = load_bytes(path, problems)
            if raw is None:
                return None
            key = _key_of(kind, path, raw)
        self.used.add(key)
        hit = self.entries.get(key)
        if hit is None:
            hit = self.entries[key] = _parse_entry(kind, path, raw)
            self.changed = True
        parts, found = hit
        for line, col, severity, message, hint in found:
            problems.add(path, line, col, message, hint, severity)
        return None if parts is None else _KINDS[kind][2](path, parts)

    def discover(self, folder: Path, suffixes: tuple[str, ...], problems: Problems) -> list[Path]:
        """The input files in ``folder`` (:func:`generator.read.discover`; the preview's cache may list
        them again only when a folder changed)."""
        return discover(folder, suffixes, problems)

    def yaml_doc(self, path: Path, problems: Problems) -> Doc | None:
        return self._cached("yaml", path, problems)

    def article(self, path: Path, problems: Problems) -> ArticleSource | None:
        return self._cached("article", path, problems)

    def prefill(self, files: list[tuple[str, Path]]) -> None:
        """Read ahead every one of ``files`` (``("yaml" | "article", path)``) and parse each the cache does not
        hold, with a second core when there are many (:mod:`generator.parallel`): what a first run spends most
        of its read stage on.  Files that cannot be read are left for the reader, which reports them."""
        known = self.entries

        def look(item: tuple[str, Path]) -> tuple | None:
            """``(key, entry)``, the entry None when the cache holds it; None if the file cannot be read."""
            kind, path = item
            raw = load_bytes(path, Problems())  # too large or unreadable: the reader reports it
            if raw is None:
                return None
            key = _key_of(kind, path, raw)
            return key, None if key in known else _parse_entry(kind, path, raw)

        # Nothing cached (a first run): every file is parsed here, and each process writes the cache file of
        # what it parsed: the child after sending its results, this process's share in a second child while
        # this process goes on to validate.  Otherwise the few new entries are written with the rest by save().
        shares = bool(files) and not known and self.saves and self.folder is not None
        if shares:
            self._remove(FILES)
            self._remove(self._other_formats())
        written: list[bool] = []
        mine: dict = {}

        def finish(share: int, results: list) -> None:
            entries = {found[0]: found[1] for found in results if found}
            if share == 0:
                mine.update(entries)  # written below, once the child's results are in
            else:  # the child's share, stored here only when the child failed and this process parsed it
                written.append(self._write(FILES[share], entries))

        self.ahead = {}  # path -> key: the reader takes these instead of reading and hashing each file again
        for (_, path), found in zip(files, split_map(look, files, finish if shares else None)):
            if found is not None:
                key, entry = found
                self.ahead[path] = key
                if entry is not None:
                    self.entries[key] = entry
                    self.changed = True
        if shares:
            here: list[bool] = []  # the write's outcome when it runs in this process
            if in_background(lambda: here.append(self._write(FILES[0], mine)), len(files)):
                here.append(True)  # taken to succeed: a write that fails in the child only costs the next run a parse
            if all(written + here):
                self.changed = False

    def memo(self, kind: str, ident: str, source, problems: Problems, check):
        """``check(problems)``: the validation of one parsed file.  Here it simply runs; a cache that hands out
        the same parsed object again (:class:`generator.incremental.SessionCache`) may return the last result."""
        return check(problems)

    def link(self, site, docs: dict[str, Doc], named: set[str], problems: Problems, full) -> None:
        """``full(problems)``: linking and grouping the validated records.  Here it simply runs; the preview's
        cache (:class:`generator.incremental.SessionCache`) may give the last run's links instead."""
        full(problems)

    def save(self) -> None:
        """Write the cache when anything changed, as one file; entries of files no longer read are dropped."""
        settle()  # the read ahead's child may still be writing its part of the cache
        unused = set(self.entries) - self.used
        if self.folder is None or not (self.changed or unused):
            return
        for key in unused:
            del self.entries[key]
        if self._write(FILE, self.entries):
            self._remove(FILES[1:])

    def _write(self, name: str, entries: dict) -> bool:
        """Write ``entries`` as the signed cache file ``name``; whether it was written."""
        try:
            data = marshal.dumps({"format": FORMAT, "entries": entries})
        except ValueError:  # a value marshal cannot write (none is expected): do without the cache
            return False
        if self.folder is None or self.folder.is_symlink():
            return False
        try:
            atomic_write(self.folder / name, hmac.new(self.key, data, hashlib.sha256).digest() + data)
            return True
        except OSError:
            return False  # a cache that cannot be written only costs time

    def _other_formats(self) -> list[str]:
        try:
            return [entry.name for entry in os.scandir(self.folder) if _OTHER_FORMAT.fullmatch(entry.name)]
        except OSError:
            return []

    def _remove(self, names) -> None:
        for name in names:
            try:
                (self.folder / name).unlink(missing_ok=True)
            except OSError:
                pass
