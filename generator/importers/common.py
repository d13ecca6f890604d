"""What every importer shares: the rating table, text cleaning, records, the report and reading inputs.

An importer turns each input record into a :class:`Record` (a claim as plain
data, where it came from, and what was odd about it) and hands the list to
:func:`generator.importers.writer.write_records`, which checks and writes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import PENDING, Settings, read_config
from ..errors import ClaimlineError, ConfigError, Problems
from ..report import counted

# Verdict texts (compared case-insensitively, '-'/'_' read as spaces, outer punctuation ignored) → scale ids.
DEFAULT_RATINGS: dict[str, str] = {
    **dict.fromkeys(["True", "Correct", "Accurate", "Geppetto Checkmark", "This is True"], "true"),
    **dict.fromkeys(["Mostly True", "Mostly Correct", "Mostly Accurate", "Largely Accurate", "One Pinocchio"],
                    "mostly-true"),
    **dict.fromkeys(["Half True", "Mixed", "Mixture", "Partly True", "Partly False",
                     "Two Pinocchios"], "half-true"),
    **dict.fromkeys(["Mostly False", "Barely True", "Three Pinocchios"], "mostly-false"),
    **dict.fromkeys(["False", "Pants on Fire", "pants-fire", "Four Pinocchios", "Bottomless Pinocchio", "Wrong",
                     "Very Wrong", "Incorrect", "Inaccurate", "Not True", "Not Accurate", "Fake", "Fabricated",
                     "Baseless", "Hoax", "False: Distorts Facts", "False: Distorts the Facts",
                     "False: Lacks Evidence", "False: No Evidence"], "false"),
    **dict.fromkeys(["Misleading", "Misleads", "Distorts the Facts", "Distorts Facts", "Spins the Facts",
                     "Spinning the Facts", "Spins the Numbers", "Spin", "Twists the Facts", "Lacks Context",
                     "Needs Context", "Needs More Context", "Needs Full Context", "Missing Context",
                     "Out of Context", "Quoted out of Context", "Claim out of Context", "Not the Whole Story",
                     "Not the Full Story", "Not Full Story", "Cherry Picks", "Cherry-Picked", "Exaggerates",
                     "Exaggerated", "Exagerated", "Exaggeration", "Overstated", "Overstates", "Fuzzy Math"],
                    "misleading"),
    **dict.fromkeys(["Unproven", "Unproven Claim", "Unsupported", "Unsubstantiated", "Unverified", "No Evidence",
                     "Lacks Evidence", "No Proof", "Cannot Be Verified", "Not Able to Verify", "Hard to Verify",
                     "No Way to Know", "Disputed", "In Dispute", "Under Dispute", "Unclear"], "unproven"),
    "Verdict Pending": PENDING,
}

_PUNCT_EDGES = "\"'“”‘’.!?()[]* "


def rating_key(text: str) -> str:
    """The form a verdict text is looked up in: ``"Pants on Fire!"`` → ``"pants on fire"``."""
    text = re.sub(r"[-_\s]+", " ", clean_text(str(text))[0].casefold())
    return text.strip(_PUNCT_EDGES)


class RatingTable:
    """Verdict text → rating id: :data:`DEFAULT_RATINGS`, then the site's ``import_ratings`` on top.

    In ``mkdocs.yml``, ``extra: claimline: import_ratings: {"Some text": rating-id}`` adds or
    overrides entries; ``~`` (null) as the id removes a default entry, so that text stays unmapped.
    """

    def __init__(self, table: dict[str, str]):
        self._table = {rating_key(text): rid for text, rid in table.items()}

    def lookup(self, text: str | None) -> str | None:
        return self._table.get(rating_key(text)) if text and text.strip() else None

    @classmethod
    def for_site(cls, settings: Settings) -> "RatingTable":
        """The table for ``settings``; raise :class:`ConfigError` if it maps onto an id not on the scale."""
        table = {rating_key(k): (k, v) for k, v in DEFAULT_RATINGS.items()}
        problems = Problems(root=settings.root)
        doc = read_config(settings.config_file, problems)
        if doc is None or problems.errors:
            raise ConfigError(problems.text())
        extra = doc.data.get("extra") if isinstance(doc.data, dict) else None
        own = extra.get("claimline") if isinstance(extra, dict) else None
        site = own.get("import_ratings") if isinstance(own, dict) else None
        loc = ("extra", "claimline", "import_ratings")
        where = lambda *keys: "{}:{}:{}".format(settings.config_file.name, *doc.at(loc + keys))  # noqa: E731
        if site is not None and not isinstance(site, dict):
            raise ConfigError(f"{where()}: extra.claimline.import_ratings must be a mapping of "
                              "'verdict text: rating id' lines")
        scale = settings.ratings
        for text, rid in (site or {}).items():  # spellings of one text: the last one wins
            key = rating_key(text)
            if rid is None:
                table.pop(key, None)
                continue
            if not isinstance(rid, str) or rid not in scale:
                raise ConfigError(f"{where(text)}: import_ratings maps '{text}' onto '{rid}', which is not on "
                                  "the site's rating scale", f"use one of: {', '.join(scale)}")
            table[key] = (text, rid)
        missing: dict[str, list[str]] = {}
        for text, rid in table.values():
            if rid not in scale:
                missing.setdefault(rid, []).append(text)
        if missing:
            raise ConfigError(
                f"the default import rating table maps onto {', '.join(map(repr, missing))}, which "
                f"{'is' if len(missing) == 1 else 'are'} not on the site's rating scale",
                "add them to extra.claimline.ratings, or map these texts under extra.claimline.import_ratings "
                "to ids on your scale (~ leaves a text unmapped): "
                + "; ".join(f"{rid}: {', '.join(map(repr, texts))}" for rid, texts in missing.items()))
        return cls({text: rid for text, rid in table.values()})


# Invisible format characters (zero-width spaces, bidi marks and embeddings, BOMs, soft hyphens) and
# control characters are removed; ZWJ/ZWNJ stay, some scripts and emoji need them.
_KEEP = {"\u200c", "\u200d", "\n", "\t"}


def clean_text(text: str) -> tuple[str, list[str]]:
    """``text`` without invisible and control characters, and the code points removed (``U+200B``)."""
    removed = [c for c in text if c not in _KEEP and unicodedata.category(c) in ("Cf", "Cc")]
    return "".join(c for c in text if c not in removed), [f"U+{ord(c):04X}" for c in removed]


def one_line(text: Any) -> str:
    """Text on one line with single spaces (any Unicode space or line break counts as one)."""
    return " ".join(str(text).split()) if text is not None else ""


@dataclass(frozen=True)
class Item:
    """One skipped record or one anomaly: where it is, its kind (for grouping) and the particulars."""

    source: str
    line: int
    kind: str
    detail: str = ""


@dataclass
class Record:
    """A claim ready to be written: its id, its fields in file order, where it came from, what was odd."""

    ident: str
    data: dict
    source: str
    line: int
    anomalies: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)
    unmapped: str | None = None  # the verdict text, when it did not map and the claim is pending

    def note(self, kind: str, detail: str = "") -> None:
        self.anomalies.append((kind, detail))

    def text(self, value: Any, what: str) -> str:
        """``value`` as one line of clean text; removed invisible characters are noted as an anomaly."""
        if value is None or isinstance(value, (dict, list, bool)):
            return ""
        text, removed = clean_text(str(value))
        if removed:
            self.note("invisible or bidi characters removed", f"{what}: {', '.join(removed)}")
        return one_line(text)

    def rate(self, table: "RatingTable", verdict: str) -> str:
        """The rating id for ``verdict``; ``pending`` (and the text kept for the report) when it does not map."""
        rid = table.lookup(verdict)
        if not verdict:
            self.note("no verdict text: rating 'pending'")
        elif rid is None:
            self.unmapped = verdict
        return rid or PENDING


@dataclass
class ImportReport:
    """What an import did. ``written`` and ``unchanged`` hold paths relative to the project."""

    sources: list[str]  # input file names
    dest: str = ""  # the folder written to, relative to the project
    records: int = 0  # records read, including the skipped ones
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Item] = field(default_factory=list)
    anomalies: list[Item] = field(default_factory=list)  # odd records that were imported all the same
    unmapped: Counter = field(default_factory=Counter)  # verdict text → claims imported as pending
    notes: list[str] = field(default_factory=list)

    def skip(self, source: str, line: int, kind: str, detail: str = "") -> None:
        self.skipped.append(Item(source, line, kind, detail))

    def skip_counts(self) -> dict[str, int]:
        return _counts(self.skipped)

    def anomaly_counts(self) -> dict[str, int]:
        return _counts(self.anomalies)

    def format(self, verbose: bool = False) -> str:
        """The text the CLI prints: totals, skips and anomalies grouped with counts, then unmapped ratings.

        ``verbose`` lists every skipped record and anomaly, and every unmapped text.
        """
        many = len(self.sources) > 1
        lines = [f"Imported {', '.join(self.sources)} into {self.dest}/: {counted(self.records, 'record')} read, "
                 f"{counted(len(self.written), 'claim')} written, {len(self.unchanged):,} unchanged, "
                 f"{len(self.skipped):,} skipped."]
        for title, items in (("Skipped", self.skipped), ("Anomalies (these claims were imported)", self.anomalies)):
            if items:
                lines.append(f"{title}: {len(items):,}")
                lines += _grouped(items, many, verbose)
        lines += [f"Note: {note}" for note in self.notes]
        if self.unmapped:
            claims, texts = sum(self.unmapped.values()), len(self.unmapped)
            lines.append(f"Unmapped ratings: {claims:,} claim{'s' * (claims != 1)} with {texts:,} verdict "
                         f"text{'s' * (texts != 1)} imported as 'pending'; map the texts under extra: claimline: "
                         "import_ratings: in mkdocs.yml and import again:")
            shown = sorted(self.unmapped.items(), key=lambda kv: (-kv[1], kv[0]))
            limit = len(shown) if verbose else 20
            lines += [f"  {n:>6,}  {text}" for text, n in shown[:limit]]
            if len(shown) > limit:
                rest = shown[limit:]
                lines.append(f"          … and {len(rest):,} more texts ({sum(n for _, n in rest):,} claims)")
        return "\n".join(lines)


def _counts(items: list[Item]) -> dict[str, int]:
    counts = Counter(i.kind for i in items)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _places(items: list[Item], many: bool, limit: int = 8) -> str:
    """``line 4`` / ``lines 4, 9 and 3 more`` / ``train.tsv:4, valid.tsv:9``."""
    shown = [f"{i.source}:{i.line}" if many else str(i.line) for i in items[:limit]]
    text = ("" if many else "line " if len(items) == 1 else "lines ") + ", ".join(shown)
    return text + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def _grouped(items: list[Item], many: bool, verbose: bool) -> list[str]:
    """One line per kind with its count and where; the particulars when they are few (or ``verbose``)."""
    out = []
    for kind, n in _counts(items).items():
        group = [i for i in items if i.kind == kind]
        out.append(f"  {n:>6,}  {kind} ({_places(group, many)})")
        details = Counter(i.detail for i in group if i.detail)
        if verbose:
            out += [f"            {_places([i], many)}: {i.detail}" for i in group if i.detail]
        elif 0 < len(details) <= 3:
            out += [f"            {detail}" + (f" ({count:,})" if count > 1 else "")
                    for detail, count in details.most_common()]
    return out


def read_input(path: Path) -> str:
    """A UTF-8 input file as text (BOM dropped, CRLF read as LF); :class:`ClaimlineError` if unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClaimlineError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ClaimlineError(f"{path.name}:{line}: the file is not UTF-8 text", "save it with UTF-8 encoding")
    return text.replace("\r\n", "\n")


def input_files(path: Path | str, suffixes: tuple[str, ...]) -> list[Path]:
    """``path`` itself, or the files with one of ``suffixes`` in the folder ``path``, sorted by name."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes
                       and not p.name.startswith("."))
        if not found:
            raise ClaimlineError(f"no {' or '.join(suffixes)} files in {path}")
        return found
    if not path.is_file():
        raise ClaimlineError(f"cannot read {path}: no such file")
    return [path]
