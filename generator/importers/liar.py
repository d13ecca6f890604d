"""Import the LIAR data set (Wang 2017): PolitiFact statements in tab-separated files.

Each line is one statement with 14 tab-separated columns and no header (see the data set's
README): statement id (``2635.json``), label, statement, subjects, speaker (a slug), the
speaker's job title, state, party, five credit-history counts, and context (where it was said).
Lines are split on tabs only: a statement may start with a ``"``, which a CSV reader would take
for a quoted field.

Mapping: statement → statement; speaker → claimant name (``barack-obama`` → ``Barack Obama``)
with the job title as role; subjects → tags; context → analysis (``Said in: …``); label →
rating through the rating table, shown in PolitiFact's words in ``original_review.rating``.
LIAR has no dates and no review URLs: claims are dated ``unknown`` and credit PolitiFact with the
statement id but without a link. Ids are ``liar-<statement id>``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slugify import slugify

from ..config import Settings
from .common import ImportReport, RatingTable, Record, input_files, read_input
from .writer import write_records

SOURCE = "liar"
COLUMNS = 14
PUBLISHER = "PolitiFact"
PUBLISHER_URL = "https://www.politifact.com/"
# LIAR's labels in PolitiFact's own words (its Truth-O-Meter called "Mostly False" "Barely True" until 2011).
LABELS = {"pants-fire": "Pants on Fire", "false": "False", "barely-true": "Barely True", "half-true": "Half True",
          "mostly-true": "Mostly True", "true": "True"}
NOTE = ("LIAR has no dates and no review URLs: its claims are dated 'unknown' and credit PolitiFact with the "
        "statement id, without a link to the original review.")

_SMALL_WORDS = {"a", "an", "and", "at", "de", "del", "for", "in", "la", "of", "on", "the", "to", "van", "von"}
_ACRONYMS = {"aarp", "abc", "afl", "aclu", "afscme", "cbs", "cia", "cio", "cnn", "dccc", "dnc", "dscc", "fbi", "gop",
             "ii", "iii", "iv", "msnbc", "naacp", "nbc", "npr", "nra", "nrcc", "nrsc", "pac", "rnc", "seiu", "uaw",
             "us", "usa"}
_TAG_FORBIDDEN = re.compile(r"[<>\"`{}\[\]\\]")
_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~!&])")


def md_escape(text: str) -> str:
    """Plain text safe inside a Markdown field: Markdown punctuation is backslash-escaped."""
    return _MD_ESCAPE.sub(r"\\\1", text)




def import_liar(settings: Settings, path: Path | str, dest: Path | str | None = None) -> ImportReport:
    """Import LIAR's ``.tsv`` files from ``path`` (one file, or a folder such as ``liar/``) into ``dest``.

    ``dest`` defaults to ``claims/imported/liar/``. Raises :class:`ClaimlineError` when an input cannot
    be read and :class:`ConfigError` when the rating table does not fit the site's scale.
    """
    table = RatingTable.for_site(settings)
    files = input_files(path, (".tsv",))
    report = ImportReport([f.name for f in files], notes=[NOTE])
    seen: dict[str, str] = {}  # id → "file:line" of the row kept
    records = []
    for file in files:
        for n, line in enumerate(read_input(file).split("\n"), 1):
            if not line.strip():
                continue
            report.records += 1
            rec = _record(line.split("\t"), file.name, n, table, report, seen)
            if rec is not None:
                records.append(rec)
    write_records(settings, dest or settings.claims_dir / "imported" / SOURCE, records, report)
    return report


def speaker_name(slug: str) -> str:
    """A display name for a LIAR speaker: ``barack-obama`` → ``Barack Obama``, ``league-of-women-voters``
    → ``League of Women Voters``, ``bob-mcdonnell`` → ``Bob McDonnell``; words with capitals are kept."""
    words = [w for w in re.split(r"[-_\s]+", slug) if w]
    out = []
    for i, word in enumerate(words):
        if word != word.lower():
            out.append(word)
        elif word in _ACRONYMS:
            out.append(word.upper())
        elif i and word in _SMALL_WORDS:
            out.append(word)
        elif word.startswith("mc") and len(word) > 3 and word[2:].isalpha():
            out.append("Mc" + word[2:].capitalize())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def subject_tag(subject: str) -> str:
    """A readable tag for a LIAR subject: ``health-care`` → ``Health care``."""
    words = " ".join(_TAG_FORBIDDEN.sub(" ", subject.replace("-", " ")).split())
    return words[:1].upper() + words[1:]


def _record(cols: list[str], source: str, line: int, table: RatingTable, report: ImportReport,
            seen: dict[str, str]) -> Record | None:
    """The claim for one row, or ``None`` after recording in ``report`` why it was skipped."""
    if len(cols) != COLUMNS:
        report.skip(source, line, f"not {COLUMNS} tab-separated columns", f"{len(cols)} columns")
        return None
    rec = Record("", {}, source, line)
    statement_id = rec.text(cols[0], "statement id")
    number = re.fullmatch(r"(\d+)\.json", statement_id)
    ident = f"liar-{number.group(1) if number else slugify(statement_id)}"
    if not statement_id or ident == "liar-":
        report.skip(source, line, "no statement id")
        return None
    if ident in seen:
        report.skip(source, line, "duplicate statement id (the first row is kept)",
                    f"{statement_id} is also on {seen[ident]}")
        return None
    statement = rec.text(cols[2], "statement")
    if not statement:
        report.skip(source, line, "no statement")
        return None
    claimant = speaker_name(rec.text(cols[4], "speaker"))
    if not claimant:
        report.skip(source, line, "no claimant", "the speaker column is empty")
        return None
    seen[ident] = f"{source}:{line}"
    rec.ident = ident
    role = rec.text(cols[5], "job title")
    label = rec.text(cols[1], "label")
    verdict = LABELS.get(label.lower(), label)
    data: dict[str, Any] = {"statement": statement, "claimant": {"name": claimant, "role": role} if role else claimant,
                            "date": "unknown", "rating": rec.rate(table, label)}
    if rec.unmapped:
        rec.unmapped = verdict
    context = rec.text(cols[13], "context")
    if context:
        data["analysis"] = f"Said in: {md_escape(context)}"
    tags = [subject_tag(s) for s in rec.text(cols[3], "subjects").split(",")]
    tags = list(dict.fromkeys(t for t in tags if t))
    if tags:
        data["tags"] = tags
    data["original_review"] = {"by": PUBLISHER, "by_url": PUBLISHER_URL, "rating": verdict or None,
                               "id": statement_id}
    data["original_review"] = {k: v for k, v in data["original_review"].items() if v}
    rec.data = data
    return rec
