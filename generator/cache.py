"""A cache of parsed inputs, keyed by each file's content hash, in the git-ignored ``.claimline-cache/``.

Reading is the read stage's costliest step (composing YAML with positions, then converting every node),
so its results — the plain data, the positions, and the read-stage problems — are kept between runs.
A file is looked up by the SHA-1 of its bytes (and its extension, which decides how an article is
read), never by its name or modification time: an edit misses, a rename hits, a deleted file's entry is
dropped at the next save.  Model validation and everything after it run on every run, so the cache can
never hide a problem.  A cache that cannot be read (corrupt, from another version) is ignored and
rebuilt; it is never an error.  ``claimline check`` reads the cache but never writes it.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .errors import Problems
from .read import ArticleSource, Doc, decode_text, load_bytes, parse_article, parse_yaml
from .write import atomic_write

FOLDER = ".claimline-cache"
FORMAT = 1  # bump when what is cached, or how it is read, changes


class ParseCache:
    def __init__(self, root: Path | None):
        self.file = root / FOLDER / f"parsed-v{FORMAT}.pickle" if root is not None else None
        self.entries: dict[tuple, tuple] = {}
        self.used: set[tuple] = set()
        self.changed = False
        self.hits = self.misses = 0
        if self.file is not None and self.file.is_file():
            try:
                with self.file.open("rb") as handle:
                    data = pickle.load(handle)
                if isinstance(data, dict) and data.get("format") == FORMAT:
                    self.entries = data["entries"]
            except Exception:  # any damage at all: start from empty, never fail the run
                self.entries = {}

    def _lookup(self, kind: str, path: Path, problems: Problems):
        raw = load_bytes(path, problems)
        if raw is None:
            return None, None, None
        key = (kind, path.suffix.lower(), hashlib.sha1(raw).digest())
        self.used.add(key)
        return raw, key, self.entries.get(key)

    def _store(self, key: tuple, value: tuple) -> None:
        self.entries[key] = value
        self.changed = True
        self.misses += 1

    @staticmethod
    def _replay(found: list[tuple], path: Path, problems: Problems) -> None:
        for line, col, severity, message, hint in found:
            problems.add(path, line, col, message, hint, severity)

    def yaml_doc(self, path: Path, problems: Problems) -> Doc | None:
        raw, key, hit = self._lookup("yaml", path, problems)
        if raw is None:
            return None
        if hit is not None:
            self.hits += 1
            parts, found = hit
            self._replay(found, path, problems)
            return None if parts is None else Doc(path, *parts)
        local = Problems(root=problems.root)
        text = decode_text(raw, path, local)
        doc = parse_yaml(text, path, local) if text is not None else None
        found = [(p.line, p.col, p.severity, p.message, p.hint) for p in local.items]
        self._store(key, (None if doc is None else (doc.data, doc.pos, doc.keypos, doc.implicit), found))
        self._replay(found, path, problems)
        return doc

    def article(self, path: Path, problems: Problems) -> ArticleSource | None:
        raw, key, hit = self._lookup("article", path, problems)
        if raw is None:
            return None
        if hit is not None:
            self.hits += 1
            parts, found = hit
            self._replay(found, path, problems)
            if parts is None:
                return None
            meta, body, body_line, fmt = parts
            return ArticleSource(path, Doc(path, *meta), body, body_line, fmt)
        local = Problems(root=problems.root)
        text = decode_text(raw, path, local)
        source = parse_article(text, path, local) if text is not None else None
        found = [(p.line, p.col, p.severity, p.message, p.hint) for p in local.items]
        parts = None if source is None else (
            (source.meta.data, source.meta.pos, source.meta.keypos, source.meta.implicit),
            source.body, source.body_line, source.format)
        self._store(key, (parts, found))
        self._replay(found, path, problems)
        return source

    def save(self) -> None:
        """Write the cache when anything changed; entries of files no longer read are dropped."""
        unused = set(self.entries) - self.used
        if self.file is None or not (self.changed or unused):
            return
        for key in unused:
            del self.entries[key]
        data = pickle.dumps({"format": FORMAT, "entries": self.entries}, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            atomic_write(self.file, data)
        except OSError:
            pass  # a cache that cannot be written only costs time
