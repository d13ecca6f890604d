"""Draft claims from an article: direct quotations, reported speech and the dates they were made.

Rule-based and deterministic (no language model).  This module owns the public API (:func:`extract`,
:func:`extract_file`, :class:`Extraction`, :class:`Draft`), the reading of an article into drafts and the
drafts' YAML (:func:`draft_yaml`, :func:`drafts_yaml`, :func:`write_drafts`).  A quotation of four words or
more becomes a draft of kind "quote"; reported speech ("X said Wednesday Moscow …", "X denied reports …")
becomes drafts of kind "indirect".  Blocks, sentences and quotation spans come from
:mod:`generator.textscan`, speakers from :mod:`generator.speakers`, dates from :mod:`generator.reldates`.
Every draft's ``quote`` is an exact substring of the article, usable as ``appearances.quote``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from slugify import slugify

from .dates import FuzzyDate, parse_date
from .errors import Problems, ValidationFailed
from .model import ID_PATTERN, ArticleMeta, validate
from .read import ARTICLE_SUFFIXES, discover, read_article_file
from .reldates import DateMention, DateResolver
from .speakers import UNKNOWN, Speaker, Speakers, np_end, split_name
from .textscan import (DETS, PRONOUNS, QUOTE_ONLY, RECIPIENT, SKIP, STANCE, STOP, Block, article_blocks, cap, clean,
                       quote_spans, sentences, tokens)
from .write import atomic_write, safe_target
from .yamlquote import yaml_comment, yaml_quoted as _q

MIN_QUOTE_WORDS = 4  # shorter quotations ("frank", "deep concerns") are phrases, not claims


@dataclass
class Draft:
    statement: str
    speaker: str | None
    role: str | None
    kind: str  # "quote" or "indirect"
    quote: str  # exact text of the article, usable as appearances.quote
    date: FuzzyDate | None
    date_expression: str | None
    paragraph: int  # index into Extraction.blocks
    start: int  # span of ``quote`` in that block's text
    end: int
    flags: list[str] = field(default_factory=list)


@dataclass
class Phrase:
    text: str
    paragraph: int
    start: int
    reason: str  # "short" (1-3 words) or "title" (Title Case: a name or a headline)


@dataclass
class EventDraft:
    date: FuzzyDate
    title: str
    expression: str
    paragraph: int


@dataclass
class Extraction:
    title: str | None
    article_date: FuzzyDate | None
    blocks: list[Block] = field(default_factory=list)
    claims: list[Draft] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    in_content: bool = True  # the article is one check reads: drafts may name it in appearances


# -- reading an article -------------------------------------------------------------------------------------

class _Extractor(Speakers):
    """Reads an article block by block and sentence by sentence into drafts, dates and events."""

    def __init__(self, blocks: list[Block], article_date: FuzzyDate | None, markdown: bool):
        super().__init__(blocks)
        self.markdown = markdown
        self.resolver = DateResolver(article_date)

    def clause(self, b: int, text: str, sent: tuple, subj: list, spans: list) -> list[tuple[Speaker, int, int]]:
        """Reported speech: ``(speaker, start, end)`` of each reported clause in the sentence."""
        s0, s1 = sent
        end = s0 + len(text[s0:s1].rstrip(" .;:"))
        m = re.match(r"\s*According to\s+", text[s0:s1])
        tail = re.search(r",\s*according to\s+", text[s0:s1])
        if m or tail:  # "According to X, …" / "…, according to X."
            lo = s0 + (m or tail).end()
            toks = tokens(text[lo:s1], lo)
            j = np_end(toks, 0)
            sp = self.complete(split_name([w for w, _, _ in toks[:j]]), b, lo) if j else None
            if sp and m and j < len(toks) and toks[j][0] == ",":
                return [(sp, toks[j][2] + 1, end)]
            if sp and tail:
                return [(sp, s0 + len(text[s0:s1]) - len(text[s0:s1].lstrip()), s0 + tail.start())]
        toks = tokens(text[s0:s1], s0)
        dated = [(d.offset, d.offset + len(d.expression)) for d in self.blockdates]
        found: list[tuple[Speaker, int, int]] = []
        for tok, base, form, sp, start in subj:
            if sp is None or not sp.name or any(a <= tok[1] < z for _, a, z in found):
                continue
            k = next(n for n, t in enumerate(toks) if t[1] == tok[1]) + 1
            if base in STANCE and toks[k:k + 1] and toks[k][0] != "that":  # "Russia has denied reports …"
                hi = min([t[1] for t in toks[k:] if t[0] in ",;"] + [end] +
                         [x[0][1] if x[2] == "ing" else x[4] for x in subj if x[0][1] > tok[1]])
                hi = len(re.sub(r"\s+(?:and|but)\s*$", "", text[:hi]).rstrip())
                if len(re.findall(r"\w+", text[tok[2]:hi])) >= 3:
                    found.append((sp, tok[1] if form == "ing" else start, hi))
                continue
            if base in QUOTE_ONLY:
                continue
            while k < len(toks) and (toks[k][0].lower() in SKIP | {"to"} or any(a <= toks[k][1] < z for a, z in dated)):
                k += 1  # "said Wednesday …", "said to …"
            if base in RECIPIENT and k < len(toks):  # "told reporters …", "warned Moscow …"
                k = max(np_end(toks, k), k + 1 if toks[k][0].islower() and toks[k][0] not in STOP else k)
            that = next((n for n in range(k, min(k + 9, len(toks))) if toks[n][0].lower() == "that"), None)
            if that is not None and not any(t[0] in ",;:" for t in toks[k:that]):
                k = that + 1
            elif k >= len(toks) or not (toks[k][0].lower() in DETS | set(PRONOUNS) | {"there"}
                                        or (cap(toks[k][0]) and toks[k][0].lower() not in STOP)):
                continue  # what follows does not start a clause
            if len(toks[k:]) >= 5 and not any(s <= toks[k][1] < e for s, e, _ in spans):
                found.append((sp, toks[k][1], end))
        return found

    def run(self, ext: Extraction) -> None:
        pending: Draft | None = None  # a quotation still open at the end of its paragraph
        for b, block in enumerate(self.blocks):
            self.blockdates, text = [], block.text
            if block.kind == "title" or not text:
                continue
            spans = quote_spans(text) if block.kind != "h" else []
            if block.kind == "quote" and not spans:
                spans = [(0, len(text), True)]  # a Markdown blockquote without quotation marks
            sents = sentences(text, spans)
            self.blockdates = self.resolver.scan(text, b, sents)
            ext.dates += self.blockdates
            cont = pending is not None and bool(spans) and not text[:max(0, spans[0][0] - 1)].strip()
            if pending is not None and not cont:
                pending.flags.append("the quotation is not closed in the article: review")
                pending = None
            for sent in sents:
                subj, earlier = self.subjects(b, text, sent, spans), []
                for q in [q for q in spans if sent[0] <= max(q[0] - 1, 0) < sent[1]]:
                    draft = self.quote(ext, b, text, q, sent, spans, subj, earlier)
                    if draft is not None and cont and q is spans[0]:  # journalistic style: “… ¶ “… ,” X said.
                        pending.statement += " " + draft.statement
                        pending.flags.append("the quotation goes on in the next paragraph; appearances.quote "
                                             "holds its first part")
                        if not pending.speaker and draft.speaker:
                            pending.speaker, pending.role = draft.speaker, draft.role
                            pending.flags = [f for f in pending.flags if not f.startswith(UNKNOWN)] + draft.flags
                        draft = pending
                    elif draft is not None:
                        ext.claims.append(draft)
                    if draft is not None:
                        pending = draft if not q[2] and q[1] == len(text) else None
                if block.kind != "h" and not any(d.paragraph == b and sent[0] <= d.start < sent[1] for d in ext.claims):
                    for sp, lo, hi in self.clause(b, text, sent, subj, spans):
                        ext.claims.append(Draft(clean(text[lo:hi], self.markdown), sp.name or None, sp.role,
                                                "indirect", text[lo:hi], None, None, b, lo, hi, list(sp.flags)))
                        self.date_for(ext.claims[-1], sent, spans)
                self.event(ext, b, text, sent, spans)
        for n, d in enumerate(ext.claims):  # no date in its sentence: the same speaker's date just before
            prior = [x for x in ext.claims[:n] if x.speaker == d.speaker and x.date and x.paragraph >= d.paragraph - 2]
            if d.date is None and d.speaker and prior:
                d.date, d.date_expression = prior[-1].date, prior[-1].date_expression
                d.flags.append(f"date taken from {d.speaker}'s statement in paragraph {prior[-1].paragraph}: review")

    def quote(self, ext, b, text, q, sent, spans, subj, earlier) -> Draft | None:
        s, e, _ = q
        if text[max(0, s - 2):s - 1].strip() == "=":  # an HTML attribute value: style="…"
            return None
        raw = text[s:e].strip().rstrip(",;:—– ")
        s += len(text[s:e]) - len(text[s:e].lstrip())
        words = re.findall(r"[^\W_][\w'’\-]*", raw)
        long = [w for w in words if len(w) > 3]
        reason = "short" if len(words) < MIN_QUOTE_WORDS else "title" if (
            len(words) <= 10 and len(long) >= 2 and all(w[0].isupper() for w in long)) else ""
        if reason:
            ext.phrases.append(Phrase(raw, b, s, reason))
            return None
        sp = self.attribute(b, text, q, sent, spans, subj, earlier)
        earlier.append(sp)
        if sp.name:
            self.history.append((b, s, sp))
        draft = Draft(clean(raw, self.markdown), sp.name or None, sp.role, "quote", raw, None, None, b, s,
                      s + len(raw), list(sp.flags))
        found = [f for f in self.clause(b, text, sent, subj, []) if f[1] <= s < f[2]] if raw[:1].islower() else []
        if found:  # a partial quotation: state the whole reported clause
            draft.statement = clean(text[found[0][1]:found[0][2]], self.markdown)
            draft.flags.append("partial quotation: the statement is the reported clause; check its wording")
        self.date_for(draft, sent, spans)
        return draft

    def sentence_dates(self, sent: tuple, spans: list) -> Iterator[DateMention]:
        """The resolved dates in the sentence ``sent`` of the block being read, outside its quotations."""
        return (d for d in self.blockdates
                if sent[0] <= d.offset < sent[1] and d.resolved and not any(s <= d.offset < e for s, e, _ in spans))

    def date_for(self, draft: Draft, sent: tuple, spans: list) -> None:
        """The first date in the draft's sentence that is neither quoted nor part of the claim itself."""
        d = next((d for d in self.sentence_dates(sent, spans) if not draft.start <= d.offset < draft.end), None)
        if d is not None:
            draft.date, draft.date_expression = d.resolved, d.expression

    def event(self, ext: Extraction, b: int, text: str, sent: tuple, spans: list) -> None:
        """The sentence as a dated event, by its first date outside quotations."""
        d = next(self.sentence_dates(sent, spans), None)
        if d is not None:
            title = clean(text[sent[0]:sent[1]], self.markdown)
            if not any(ev.title == title for ev in ext.events):
                ext.events.append(EventDraft(d.resolved, title, d.expression, b))


# -- public API ---------------------------------------------------------------------------------------------

def extract(body: str, fmt: str, article_date: FuzzyDate | None, title: str | None = None) -> Extraction:
    """Draft claims and date mentions from an article body (``fmt``: "text" or "markdown")."""
    blocks = article_blocks(body, fmt, title)
    ext = Extraction(title or blocks[0].text or None, article_date, blocks)
    if article_date is None:
        ext.flags.append("the article has no date: relative dates are left unresolved")
    _Extractor(blocks, article_date, fmt != "text").run(ext)
    for d in ext.claims:
        if d.quote not in body:  # a Markdown blockquote over several lines: keep its longest line
            d.quote = max(d.quote.split("\n"), key=len).strip()
            d.flags.append("appearances.quote shortened to one line of the article")
    return ext


def _in_content(path: Path, content_dir: Path) -> bool:
    """Whether ``claimline check`` reads ``path`` as an article: one of the files :func:`read.discover` lists."""
    return path.parent.resolve() / path.name in discover(content_dir.resolve(), ARTICLE_SUFFIXES, Problems())


def extract_file(path: Path, problems: Problems, content_dir: Path | None = None) -> tuple[str, Extraction]:
    """``(article id, extraction)`` of an article file; a file that cannot be read raises ValidationFailed.

    With ``content_dir``, an article check does not read there is warned about, and its drafts leave
    ``appearances`` as a comment: no claim may name an article the site does not have."""
    source = read_article_file(path, problems)
    if source is None:
        raise ValidationFailed(problems.sorted())
    data = source.meta.data if isinstance(source.meta.data, dict) else {}
    meta = validate(ArticleMeta, source.meta, problems, what="front matter") if "date" in data else None
    date = meta.date if meta else None
    if date is None and data.get("date") is not None:
        try:
            date = parse_date(data["date"])
        except ValueError:
            pass
    if date is None:
        problems.warning(path, (1, 1), "the article has no usable date: relative dates are left unresolved",
                         "add front matter at the top:\n---\ndate: 2021-12-08\n---")
    title = meta.title if meta else data.get("title") if isinstance(data.get("title"), str) else None
    ext = extract(source.body, source.format, date, title)
    if content_dir is not None and not _in_content(path, content_dir):
        problems.warning(path, (1, 1), f"the article is not in {content_dir.name}/, so no claim can cite it: "
                         "the drafts' appearances are left as comments",
                         f"move it into {content_dir.name}/ (a .md or .txt file, in no folder whose name starts "
                         "with '.' or '_'), then run claimline extract again")
        ext.in_content = False
    return path.stem, ext


def draft_yaml(article_id: str, extraction: Extraction, draft: Draft) -> str:
    """One draft as the text of a claim file (valid for :class:`model.Claim`), review flags as comments."""
    article = article_id if re.fullmatch(ID_PATTERN, article_id) else slugify(article_id) or "article"
    flags, date = list(draft.flags), draft.date or extraction.article_date
    note = f"from {_q(draft.date_expression)}" if draft.date else "no date in the sentence: the article's date"
    if date is None:
        flags.append("no date found and the article has none: fill in the date")
    elif date.approximate:
        note += " (approximate)"
    lines = [f"# draft ({draft.kind}) from paragraph {draft.paragraph}"]
    lines += [f"# review: {yaml_comment(f)}" for f in flags]
    lines += [f"statement: {_q(draft.statement)}", "claimant:",
              f"  name: {_q(draft.speaker or 'Unknown speaker')}" + ("" if draft.speaker else "  # name the speaker")]
    lines += [f"  role: {_q(draft.role)}"] if draft.role else []
    lines.append(f"date: {_q(str(date))}  # {note}" if date else 'date: "2000"  # placeholder: fill in')
    cite = ["appearances:", f"  - article: {article}", f"    quote: {_q(draft.quote)}"]
    if not extraction.in_content:  # naming an article the site does not have would fail check
        cite = [f"# {line}" for line in cite]
        cite[0] += "  # the article is outside the content folder: move it there, then uncomment"
    return "\n".join(lines + ["rating: pending"] + cite) + "\n"


def drafts_yaml(article_id: str, extraction: Extraction) -> str:
    """A YAML stream: one claim document per draft, then the article's dated events as a commented block."""
    out = [f"# claim drafts from article '{yaml_comment(article_id)}': every field needs an editor's review"]
    out += [f"# note: {yaml_comment(f)}" for f in extraction.flags]
    out += [] if extraction.claims else ["# no quotations or reported statements were found"]
    for draft in extraction.claims:
        out += ["---", draft_yaml(article_id, extraction, draft).rstrip("\n")]
    if extraction.events:
        out += ["", "# events: dated happenings in the article, for its front matter if useful", "# events:"]
        for ev in extraction.events:
            out += [f"#   - date: {_q(str(ev.date))}  # {_q(ev.expression)}", f"#     title: {_q(ev.title)}"]
    return "\n".join(out) + "\n"


def write_drafts(claims_dir: Path, article_id: str, extraction: Extraction) -> list[Path]:
    """Save each draft as ``claims/_drafts/<slug>.yaml``; never overwrite. Returns the paths written."""
    written: list[Path] = []
    for draft in extraction.claims:
        data = draft_yaml(article_id, extraction, draft).encode("utf-8")
        words = " ".join(draft.statement.split()[:6])
        base = slugify(f"{draft.speaker or 'unknown'} {words}", max_length=60, word_boundary=True) or "draft"
        for n in range(1, 1000):
            target = safe_target(claims_dir, f"_drafts/{base if n == 1 else f'{base}-{n}'}.yaml")
            if not target.exists():
                atomic_write(target, data)
                written.append(target)
                break
            if target.read_bytes() == data:
                break  # this very draft was saved before
    return written
