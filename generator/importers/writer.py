"""Writing imported claims: every record and every destination path checked before the first file is written.

:func:`write_records`

1. refuses ids already used elsewhere in ``claims/`` and files the importer did
   not write (they are recognised by the first-line comment :data:`MARKER`); an id longer than
   :data:`generator.link.MAX_ID_LENGTH` is shortened (:func:`fit_id`) and the record noted;
2. serialises each claim as deterministic YAML and validates that very text in
   memory, with the same reader, model and cross checks as ``claimline check``;
3. checks every destination path as the write will (:class:`generator.write.Targets`: no symbolic
   link, nothing leading out of the folder, no name too long) and that no folder or special file is
   in the way; a record whose file cannot be written is skipped with the reason;
4. only then writes, and only the files whose bytes differ, atomically. Should the system still refuse
   a write (a full disk), the import stops with a :class:`ClaimlineError` that says what was written.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from ..config import Settings
from ..errors import ClaimlineError, Problems, UnsafePathError
from ..link import MAX_ID_LENGTH, RESERVED_IDS, check_claim
from ..model import ID_PATTERN
from ..read import CLAIM_SUFFIXES, discover, parse_yaml
from ..write import Targets, atomic_write
from ..yamlquote import yaml_quoted
from .common import ImportReport, Item, Record, clean_text, one_line, rating_key

MARKER = "# Imported by claimline from "
_HASH = 6  # hex digits of SHA-1 that keep a shortened id distinct


def fit_id(ident: str) -> str:
    """``ident``, or when it is longer than ``MAX_ID_LENGTH``, its beginning and six hex digits of its SHA-1:
    the same id at every import, and a different one for every long id."""
    if len(ident) <= MAX_ID_LENGTH:
        return ident
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:_HASH]
    return f"{ident[:MAX_ID_LENGTH - _HASH - 1].rstrip('-_')}-{digest}"


def render_record(rec: Record) -> str:
    """The claim file's text: the marker comment, then the fields as block YAML in a fixed order."""
    origin = one_line(clean_text(f"{rec.source}, line {rec.line}")[0])
    return (f"{MARKER}{origin}. Re-importing replaces this file; delete this line to keep your edits.\n"
            + "".join(_yaml_lines(rec.data, "")))


def _yaml_lines(data: dict, pad: str) -> Iterator[str]:
    """Block YAML for a mapping of text, lists and mappings; every scalar through :func:`yaml_scalar`."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield f"{pad}{key}:\n"
            yield from _yaml_lines(value, pad + "  ")
        elif isinstance(value, list):
            yield f"{pad}{key}:\n"
            for item in value:
                if isinstance(item, dict):
                    lines = list(_yaml_lines(item, pad + "    "))
                    yield f"{pad}  - {lines[0].lstrip()}"
                    yield from lines[1:]
                else:
                    yield f"{pad}  - {yaml_scalar(item)}\n"
        else:
            yield f"{pad}{key}: {yaml_scalar(value)}\n"


_PLAIN = re.compile(r"^[A-Za-z0-9][^:#\s]*(?: [^:#\s]+)*$")
_RESOLVER = yaml.resolver.Resolver()
# Characters YAML does not allow unescaped (or reads as line breaks) beyond what JSON escapes already.
def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that is unambiguous text, else JSON-style double quotes.

    Plain only for single-spaced text that starts with a letter or digit, has no ':' or '#', and that
    YAML would not read as anything but a string (``true``, ``2021-12-07``, ``1.5`` are quoted).
    """
    value = str(value)
    if _PLAIN.match(value) and all(c.isprintable() for c in value) \
            and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str":
        return value
    return yaml_quoted(value)


def is_ours(path: Path) -> bool:
    """Whether the importer wrote ``path`` (its first line is the marker comment)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MARKER.encode())) == MARKER.encode()
    except OSError:
        return False


def _resolve_dest(settings: Settings, dest: Path | str) -> Path:
    dest = Path(dest)
    dest = (dest if dest.is_absolute() else settings.root / dest).resolve()
    claims = settings.claims_dir.resolve()
    if dest != claims and claims not in dest.parents:
        raise ClaimlineError(f"cannot import into {dest}: it is not inside {claims.name}/",
                             "imported claims must live in the claims folder, where check and build read them")
    if any(part.startswith((".", "_")) for part in dest.relative_to(claims).parts):
        raise ClaimlineError(f"cannot import into {dest}: folders starting with '.' or '_' are not read",
                             "choose a folder name that starts with a letter or digit")
    existing = next(p for p in (dest, *dest.parents) if p.exists())  # the folder, or where it will be made
    if not existing.is_dir():
        raise ClaimlineError(f"cannot import into {dest}: {'it' if existing == dest else existing} is a file, "
                             "not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ClaimlineError(f"cannot import into {dest}: {existing} is not writable",
                             "check the folder's permissions; nothing was written")
    return dest


def _rel(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.root).as_posix()  # every path here is inside claims/


def write_records(settings: Settings, dest: Path | str, records: Iterable[Record], report: ImportReport) -> None:
    """Validate every record and check every destination path, then write the valid ones into ``dest``;
    fill ``report`` with what happened."""
    dest = _resolve_dest(settings, dest)
    report.dest = _rel(settings, dest)
    taken: dict[str, Path] = {}  # lower-case id → a claim file the importer may not replace
    for path in discover(settings.claims_dir, CLAIM_SUFFIXES, Problems()):
        path = path.resolve()
        if not (path.parent == dest and path.suffix == ".yaml" and is_ours(path)):
            taken.setdefault(path.stem.lower(), path)
    planned: dict[str, tuple[Record, Path, str]] = {}
    for rec in records:
        if len(rec.ident) > MAX_ID_LENGTH and re.fullmatch(ID_PATTERN, rec.ident):
            short = fit_id(rec.ident)
            rec.note(f"id longer than {MAX_ID_LENGTH} characters: shortened",
                     f"'{rec.ident[:20]}…' ({len(rec.ident)} characters) → '{short}'")
            rec.ident = short
        target = dest / f"{rec.ident}.yaml"
        other = taken.get(rec.ident.lower())
        if other == target:
            report.skip(rec.source, rec.line, "conflict: a claim file the importer did not write is in the way",
                        f"{_rel(settings, other)} has no '{MARKER.strip()}' first line")
        elif other is not None:
            report.skip(rec.source, rec.line, "id already used by another claim",
                        f"'{rec.ident}' is used by {_rel(settings, other)}")
        elif not re.fullmatch(ID_PATTERN, rec.ident) or rec.ident in RESERVED_IDS or rec.ident.lower() in planned:
            report.skip(rec.source, rec.line, "invalid claim", f"'{rec.ident}' cannot be a claim id"
                        + (" twice" if rec.ident.lower() in planned else ""))
        else:
            planned[rec.ident.lower()] = (rec, target, render_record(rec))
    errors = _validate(settings, {rec.ident: (target, text, rec.data) for rec, target, text in planned.values()})
    targets = Targets(dest)
    for key, (rec, target, text) in list(planned.items()):
        if rec.ident in errors:
            report.skip(rec.source, rec.line, "invalid claim", "; ".join(errors[rec.ident]))
        elif why := _unwritable(targets, target.name):
            report.skip(rec.source, rec.line, "cannot write the claim file", why)
        else:
            continue
        del planned[key]
    _write(settings, list(planned.values()), report)  # nothing is written before every record was checked


def _unwritable(targets: Targets, name: str) -> str:
    """Why the claim file ``name`` cannot be written (``""`` when it can): what :func:`write.safe_target`
    refuses at the write (a symbolic link, a path out of the folder, a name too long), or a folder or
    special file of that name in the way."""
    try:
        path = targets(name)
    except UnsafePathError as exc:
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    if os.path.lexists(path) and not path.is_file():
        return f"'{name}' is a folder or a special file, not a claim file (move it away)"
    return ""


def _write(settings: Settings, planned: list[tuple[Record, Path, str]], report: ImportReport) -> None:
    """Write the checked claims whose bytes changed; on a write the system refuses, stop saying what was written."""
    unmapped_names: dict[str, str] = {}
    for rec, path, text in planned:
        data = text.encode("utf-8")
        try:
            same = path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            try:
                atomic_write(path, data)
            except OSError as exc:
                raise _stopped(settings, report, path, exc, len(planned)) from None
        (report.unchanged if same else report.written).append(_rel(settings, path))
        report.anomalies += [Item(rec.source, rec.line, kind, detail) for kind, detail in rec.anomalies]
        if rec.unmapped:  # spellings of one text ("Full Flop", "Full flop") are counted under the first seen
            shown = unmapped_names.setdefault(rating_key(rec.unmapped), rec.unmapped)
            report.unmapped[shown] += 1


def _stopped(settings: Settings, report: ImportReport, path: Path, exc: OSError, planned: int) -> ClaimlineError:
    """The error for a write the system refused half-way: what was written, what was not, then the report."""
    written, left = report.written, planned - len(report.written) - len(report.unchanged)
    names = f" ({', '.join(written) if len(written) <= 3 else f'{written[0]} … {written[-1]}'})" if written else ""
    return ClaimlineError(
        f"the import stopped at {_rel(settings, path)}: {exc.strerror or exc}. Written before it: {len(written):,} "
        f"of {planned:,} claim files{names}; {len(report.unchanged):,} already up to date; {left:,} not written."
        f"\n{report.format()}",
        "the file system refused it: check the free space and the permissions, then import again (the files "
        "already written are complete and pass check; only the rest will be written)")


def _validate(settings: Settings, texts: dict[str, tuple[Path, str, dict]]) -> dict[str, list[str]]:
    """What ``claimline check`` would report for each claim text, by id: the text read back as check
    reads it, then :func:`link.check_claim` (imported claims name no articles and no related claims;
    ids are checked by :func:`write_records`)."""
    errors: dict[str, list[str]] = {}
    for ident, (path, text, data) in texts.items():
        problems = Problems(root=settings.root)
        doc = parse_yaml(text, path, problems)
        if doc is not None:
            check_claim(settings, ident, doc, problems)
            if doc.data != data:
                problems.error(path, (1, 1), "the YAML written would not read back as the imported values")
        if problems.items:
            errors[ident] = [f"{p.line}:{p.col}: {p.message}" for p in problems.sorted()]
    return errors
