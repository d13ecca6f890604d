"""Who is speaking: names and titles read from noun phrases, and the speaker of each quotation or verb of saying.

:func:`split_name` splits titles from names ("Russian President Vladimir Putin").  :class:`Speakers` indexes
the people and proper names of one article and attributes a quotation from the words around it (``"…,"
Putin stressed``, ``X told reporters: "…"``, ``according to X``), completing short names from earlier mentions.
Pronouns, descriptions ("the statement") and carried-over speakers are resolved only by its rules, always with
a review flag; a speaker that cannot be told is left empty and flagged with :data:`UNKNOWN`, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .reldates import DateMention
from .textscan import (BE, DETS, DOCS, HONORIFIC, LINKS, NOUNISH, ORG, PARTICLES, PRONOUNS, ROLE, SKIP, STOP, SUFFIX,
                       Block, cap, quote_spans, saying, sentences, tokens)

UNKNOWN = "speaker unknown: review"


@dataclass
class Speaker:
    name: str
    role: str | None = None
    person: bool = False
    flags: list[str] = field(default_factory=list)
    titled: bool = False  # named with a title or role ("Senator Brown"), so surely a person


def _adjective(toks: list, j: int) -> bool:
    """A lower-case word before a role or organisation: "the *foreign* ministry", "the *chief* cardiologist"."""
    for k in range(j, min(j + 2, len(toks))):
        w = toks[k][0].lower()
        if w in ROLE | ORG | DOCS:
            return k > j
        if not w.isalpha() or w in STOP | SKIP or saying(w) or w.endswith("ed"):
            return False
    return False


def np_end(toks: list, i: int) -> int:
    """End of the noun phrase (names, titles, roles) that starts at ``toks[i]``; ``i`` if there is none."""
    j, seen = i + (i < len(toks) and toks[i][0].lower() in DETS), False
    while j < len(toks):
        w, lw = toks[j][0], toks[j][0].lower()
        if (cap(w) and lw not in STOP - DETS) or lw in ROLE | ORG | DOCS:
            j, seen = j + 1, True
        elif lw in PARTICLES and seen and any(cap(t[0]) and all(x[0].lower() in PARTICLES for x in toks[j:k])
                                              for k, t in enumerate(toks[j + 1:j + 3], j + 1)):
            j += 1
        elif _adjective(toks, j):
            j += 1
        else:
            break
    return j if seen else i


def _np_start(toks: list, j: int) -> int:
    """Start of the noun phrase that ends just before ``toks[j]``."""
    i = j
    while i > 0:
        w, lw = toks[i - 1][0], toks[i - 1][0].lower()
        if (cap(w) and lw not in STOP) or lw in ROLE | ORG or _adjective(toks, i - 1):
            i -= 1
        elif lw in PARTICLES and 2 <= i < j and cap(toks[i - 2][0]) and cap(toks[i][0]):
            i -= 1
        else:
            break
    return i - 1 if i > 0 and toks[i - 1][0].lower() in DETS else i


def split_name(words: list[str]) -> Speaker | None:
    """``["Russian", "President", "Vladimir", "Putin"]`` → Vladimir Putin, role Russian President."""
    owner = next((n for n, w in enumerate(words) if re.search(r"['’]s$", w)), None)
    if owner is not None and words[-1].lower() in DOCS and cap(words[owner]):  # "Beijing's statement"
        return split_name(words[:owner] + [re.sub(r"['’]s$", "", words[owner])])
    words = words[:-1] + [re.sub(r"['’]s$", "", w) for w in words[-1:]]
    while words and words[0].lower() in STOP:
        words = words[1:]
    if not words:
        return None
    k = max((n for n, w in enumerate(words[:-1]) if w.lower() in ROLE | HONORIFIC and cap(words[n + 1])
             and words[n + 1].lower() not in PARTICLES), default=None)
    cut = next((n for n in range(k + 1, len(words)) if words[n].lower() in LINKS), len(words)) if k is not None else 0
    if k is not None and not any(w.lower() in ORG | ROLE for w in words[k + 1:cut]):
        role = " ".join(w for w in words[: k + 1] if w.lower() not in HONORIFIC)
        role = role if any(w.lower() in ROLE for w in role.split()) else None  # "Ghana Mr. X": no role
        tail = " ".join(w for w in words[cut + 1:] if w.lower() not in DETS)  # "Dr. X of the Y Institute"
        return Speaker(" ".join(words[k + 1:cut]), role or tail or None, person=True, titled=True)
    if all(cap(w) or w.lower() in PARTICLES for w in words):
        return Speaker(" ".join(words), person=len(words) > 1 and not words[-1].isupper()
                       and not any(w.lower() in ROLE | ORG | DOCS | LINKS for w in words))
    return Speaker(" ".join(words), flags=["speaker is a description, not a name: review"])


def _apposition(lower: list[str], words: list[str]) -> str | None:
    """A role from an apposition ("X, a historian at Yale, said"), or None when it is rather a clause."""
    cut = next((n for n, w in enumerate(lower) if w in ("who", "which", "that")), len(lower))
    words = words[lower[:1] in (["of"], ["a"], ["an"], ["the"], ["another"]):cut]
    words = words[words[:1] == ["the"]:]
    return " ".join(words) if 0 < len(words) <= 10 and not any(w.endswith("ed") and w.islower() for w in words) \
        else None


def _like(sp: Speaker, flag: str | None = None) -> Speaker:
    """A copy of ``sp`` for another use; ``flag`` replaces its flags."""
    return replace(sp, flags=[flag] if flag else list(sp.flags))


class Speakers:
    """The speakers of one article: its people and names, and every attribution read so far."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.history: list[tuple[int, int, Speaker]] = []  # (block, pos, speaker) of every attribution read
        self.in_sentence: Speaker | None = None  # the speaker of an earlier verb in the sentence being read
        self.blockdates: list[DateMention] = []  # dates in the block being read, set by the reader
        self.people: list[tuple[int, int, Speaker]] = []  # (block, pos, person) of every named person
        self.names: list[tuple[int, int, str]] = []  # (block, pos, name) of every proper name of 2+ words
        for b, block in enumerate(blocks):
            toks, i, inside = tokens(block.text), 0, quote_spans(block.text)
            while i < len(toks):
                j = np_end(toks, i) if (cap(toks[i][0]) or toks[i][0].lower() in ROLE) else i
                run = [w for w, _, _ in toks[i:j]]
                if len(run) > 1 and cap(run[-1]):
                    self.names.append((b, toks[i][1], " ".join(run[next(n for n, w in enumerate(run)
                                                                             if w.lower() not in STOP):])))
                start = i
                for n, w in enumerate(run + ["and"]):  # "President X and Prime Minister Y": two people
                    if w.lower() in ("and", "&"):
                        sp = split_name(run[start - i:n]) if n > start - i else None
                        quoted = any(qs <= toks[start][1] < qe for qs, qe, _ in inside)
                        if sp and sp.person and (sp.titled or not quoted):
                            self.people.append((b, toks[start][1], sp))
                        start = i + n + 1
                i = max(j, i + 1)

    def complete(self, sp: Speaker, b: int, pos: int) -> Speaker:
        """Who is meant by a short name, a role, a bare document or a bare organisation word."""
        key, lname = sp.name.split()[-1].lower(), sp.name.lower()
        before = [p for p in self.people if p[:2] < (b, pos)]
        if " " not in sp.name and (sp.person or cap(sp.name)):  # "Putin" → Vladimir Putin
            same = [p for p in self.people if " " in p[2].name
                    and [w for w in p[2].name.lower().split() if w not in SUFFIX][-1:] == [key]]
            pick = ([p for p in same if p in before] or same)[-1:]
            if pick:
                sp = Speaker(pick[0][2].name, sp.role, True, sp.flags, sp.titled)
        if sp.person:
            mentions = [p[2] for p in before[::-1] + self.people if p[2].name == sp.name]  # latest first
            roles = [m.role for m in mentions if m.role]
            return replace(sp, role=sp.role or (roles[0] if roles else None),
                           titled=sp.titled or any(m.titled for m in mentions))
        if sp.flags and key in ROLE:  # "the Russian president" → the person last called so
            same = [p[2] for p in before if p[2].role and p[2].role.lower().endswith(lname)]
            if same:
                return replace(same[-1], flags=[f"speaker inferred: 'the {sp.name}' taken as {same[-1].name}: review"])
        if sp.flags and key in DOCS and " " not in sp.name:  # a bare "the statement"; "the US-Japan statement" is named
            prev = self.prev_sentence(b, pos)
            recent = [s for bb, pp, s in self.history if prev and prev[:2] <= (bb, pp) < (b, pos)
                      and not s.person and not s.flags]
            recent = [self.in_sentence] if self.in_sentence and self.in_sentence.name else recent
            if recent:
                return _like(recent[-1], f"speaker inferred: 'the {sp.name}' taken as {recent[-1].name}: review")
            return Speaker("", flags=[f"{UNKNOWN} (the article says 'the {sp.name}')"])
        if " " not in sp.name and key in ORG:  # "the Ministry" → British Ministry of Defence
            longer = [n for bb, pp, n in self.names if (bb, pp) < (b, pos) and key in n.lower().split() and " " in n]
            if longer:
                return replace(sp, name=longer[-1])
        return sp

    def pronoun(self, word: str, b: int, pos: int, sent: tuple[int, int]) -> Speaker:
        """He/she: the person just named; they/it: the organisation that last spoke; otherwise unknown."""
        kind, flag = PRONOUNS[word.lower()], f"speaker from the pronoun '{word}': review"
        if kind == "first":
            return Speaker("", flags=[f"{UNKNOWN} (first person '{word}')"])
        said = [(bb, pp, s) for bb, pp, s in sorted(self.history, key=lambda h: h[:2]) if (bb, pp) < (b, pos)]
        if kind == "group":
            groups = [s for bb, _, s in said if bb >= b - 1 and not s.person and s.name]
            return _like(groups[-1], flag) if groups else Speaker(
                "", flags=[f"{UNKNOWN} ('{word}' with no organisation before it)"])
        here = [s for bb, pp, s in said if bb == b and pp >= sent[0] and s.person]
        if here:
            return _like(here[-1], flag)
        prev = self.prev_sentence(b, sent[0])
        sp = self.head(prev[0], self.blocks[prev[0]].text, prev[1], prev[2], whole=True) if prev else None
        if sp and sp.person and sp.titled:
            return _like(sp, flag)
        people = [(bb, pp, s) for bb, pp, s in said if s.person]
        if not people:
            return Speaker("", flags=[f"{UNKNOWN} ('{word}' with no named person before it)"])
        last = people[-1]
        others = [p[2].name for p in self.people if last[:2] < p[:2] < (b, pos) and p[2].name != last[2].name]
        return Speaker("", flags=[f"{UNKNOWN} ('{word}' could be {last[2].name} or {others[-1]})"]) if others \
            else _like(last[2], flag)

    def prev_sentence(self, b: int, pos: int) -> tuple[int, int, int] | None:
        """``(block, start, end)`` of the sentence before the one at ``pos`` (maybe in the block before)."""
        sents = sentences(self.blocks[b].text, quote_spans(self.blocks[b].text))
        cur = next((s for s in sents if s[0] <= pos < s[1]), (pos, pos))
        before = [s for s in sents if s[1] <= cur[0]]
        if before:
            return (b, *before[-1])
        last = sentences(self.blocks[b - 1].text, quote_spans(self.blocks[b - 1].text)) \
            if b > 1 and self.blocks[b - 1].kind not in ("title", "h") else []
        return (b - 1, *last[-1]) if last else None

    def head(self, b: int, text: str, lo: int, hi: int, whole: bool = False) -> Speaker | None:
        """The subject of the clause ``text[lo:hi]`` that ends at a verb of saying (or of a whole sentence)."""
        toks = tokens(text[lo:hi], lo)
        while toks:  # drop introductory phrases: "Speaking to the BBC, …", "In 1990, …", "But …"
            first, comma = toks[0][0].lower(), next((n for n, t in enumerate(toks) if t[0] == ","), None)
            if comma is not None and (first in STOP - DETS - set(PRONOUNS) - {"and", "but"}
                                      or (first.endswith(("ing", "ly")))):
                toks = toks[comma + 1:]
            elif first in ("and", "but", "so", "yet", "then", "however"):
                toks = toks[1:]
            else:
                break
        dates = [(d.offset, d.offset + len(d.expression)) for d in self.blockdates if d.paragraph == b]
        commas, named = [n for n, t in enumerate(toks) if t[0] == ","], None
        while len(toks) > 1 and toks[-1][0] != "," and toks[-1][0].lower() in SKIP:
            toks.pop()
        for c in (reversed(commas[:-1]) if commas and commas[-1] == len(toks) - 1 and not whole else ()):
            i = _np_start(toks, c)  # "Ann Lee, a spokeswoman for …, told": the name before the apposition
            named = split_name([w for w, _, _ in toks[i:c]]) if i < c else None
            if named and named.person:
                named.role = named.role or " ".join(w for w, _, _ in toks[c + 1:commas[-1]]) or None
                break
            named = None
        while toks and (toks[-1][0].lower() in SKIP or toks[-1][0].endswith("ly") and toks[-1][0].islower()
                        or any(s <= toks[-1][1] < e for s, e in dates)):
            toks.pop()
        if not toks:
            return None
        if toks[0][0].lower() in PRONOUNS and len(toks) == 1:
            return self.pronoun(toks[0][0], b, toks[0][1], (lo, hi))
        j, back = np_end(toks, 0), _np_start(toks, len(toks))
        rest = [w.lower() for w, _, _ in toks[j:]]
        ok = j > 0 and (whole or not rest or rest[0] in (",", "of", "from", "at", "in", "for", "with", "on", "by",
                                                         "who", "which", "that") or all(w in SKIP for w in rest))
        first = split_name([w for w, _, _ in toks[:j]]) if ok else None
        if first and first.person and not first.role and rest[:1] == [","] and "," in rest[1:]:
            first.role = _apposition(rest[1:rest.index(",", 1)], [w for w, _, _ in toks[j + 1:]])
        by = next((n + 1 for n in range(j, len(toks) - 1) if rest[n - j] in ("from", "by", "of")
                   and (n == j or rest[:1] == [","]) and cap(toks[n + 1][0])), None)
        if first and first.flags and first.name.split()[-1].lower() in DOCS and by:  # "the statement from X"
            first = split_name([w for w, _, _ in toks[by:np_end(toks, by)]]) or first
        elif first and first.flags and rest[:1] == ["of"] and first.name.split()[-1].lower() in ROLE:
            first.name += " " + " ".join(w for w, _, _ in toks[j:])  # "the head of the party"
        last = named or (split_name([w for w, _, _ in toks[back:]]) if back < len(toks) and not whole else None)
        best = last if last and (last.titled or last is named) and not (first and first.person) else first or last
        return self.complete(best, b, toks[0][1]) if best else None

    def is_verb(self, toks: list, n: int) -> tuple[str, str] | None:
        """``saying`` of ``toks[n]`` when it is used as a verb of saying here."""
        w, v = toks[n][0], saying(toks[n][0])
        if not v or cap(w):
            return None
        prev, nxt = (toks[n - 1][0].lower() if n else ""), (toks[n + 1][0].lower() if n + 1 < len(toks) else "")
        if w.lower() in NOUNISH or v[1] == "base":
            return v if prev and prev not in DETS | {"to"} and (cap(toks[n - 1][0]) or prev in PRONOUNS
                                                                 or prev in ROLE | SKIP or prev == ",") else None
        if prev in BE:  # a passive ("it is believed") names no speaker
            return None
        if v[1] == "s" and not (nxt in DETS | set(PRONOUNS) | {"that", "to", "there", "this"} or nxt in ",:\"“"
                                or (n + 1 < len(toks) and cap(toks[n + 1][0]))):
            return None  # "remarks made to …", "news reports in …": plural nouns
        if v[1] == "ing":
            return v if prev in (",", "and") or nxt in ("that", ":", ",") else None
        return v

    def subjects(self, b: int, text: str, sent: tuple[int, int], spans: list) -> list[tuple]:
        """``(token, base, form, speaker, clause start)`` of each verb of saying outside the quotations."""
        toks = [t for t in tokens(text[sent[0]:sent[1]], sent[0]) if not any(s <= t[1] < e for s, e, _ in spans)]
        out, lo = [], sent[0]
        for n in range(len(toks)):
            v = self.is_verb(toks, n)
            if not v:
                continue
            start = max([lo] + [e + 1 for s, e, _ in spans if e < toks[n][1]])
            if v[1] == "ing":
                sp = out[-1][3] if out else self.head(b, text, sent[0], toks[n][1], whole=True)
            else:
                self.in_sentence = out[-1][3] if out else None
                sp = self.head(b, text, start, toks[n][1])
                self.in_sentence = None
                if sp is None and out and not re.sub(r"\b(?:and|but)\b|[,\s]", "", text[start:toks[n][1]]):
                    sp = out[0][3]  # "Kremlin described … and said …"
            out.append((toks[n], *v, sp, start + len(text[start:toks[n][1]]) - len(text[start:toks[n][1]].lstrip())))
            lo = toks[n][2]
            if sp and sp.name:
                self.history.append((b, toks[n][1], sp))
        return out

    def after(self, b: int, text: str, lo: int, sent: tuple[int, int]) -> Speaker | None:
        """``…," Putin stressed`` / ``…," said a spokesman`` / ``…", according to X``."""
        toks = tokens(text[lo:sent[1]], lo)
        dash = bool(toks) and toks[0][0] in "—–-"
        while toks and toks[0][0] in ",—–-:":
            toks = toks[1:]
        words = [w.lower() for w, _, _ in toks]
        j = np_end(toks, 0)
        gap = next((n for n in range(1, j) if text[toks[n - 1][2]:toks[n][1]].count(" ") > 1), None)
        if dash and j and (gap or j == len(toks) or not toks[j][0][0].isalnum()):  # '"…" – P.J. O'Rourke'
            j = gap or j  # a name ends at a wide gap
            if words[0] in ("unknown", "anonymous"):
                return Speaker("", flags=[f"{UNKNOWN} (the article says '{toks[0][0]}')"])
            return self.complete(split_name([w for w, _, _ in toks[:j]]), b, lo)
        if words[:2] == ["according", "to"] and np_end(toks, 2) > 2:
            return self.complete(split_name([w for w, _, _ in toks[2:np_end(toks, 2)]]), b, lo)
        if words and (self.is_verb(toks, 0) or ("", ""))[1] not in ("", "ing"):
            if words[1:2] and words[1] in PRONOUNS:
                return self.pronoun(toks[1][0], b, lo, sent)
            j = np_end(toks, 1)
            return self.complete(split_name([w for w, _, _ in toks[1:j]]), b, lo) if j > 1 else None
        if words and words[0] in PRONOUNS and len(toks) > 1 and self.is_verb(toks, 1):
            return self.pronoun(toks[0][0], b, lo, sent)
        k, role = j, None
        if words[j:j + 1] == [","] and "," in words[j + 1:j + 12]:  # '," Dr. Lopez, a historian at Yale, said'
            k = words.index(",", j + 1)
            role = " ".join(w for w, _, _ in toks[j + 1 + (words[j + 1] in DETS):k]) or None
        while k < len(toks) and (words[k] in SKIP or words[k].endswith("ly")):
            k += 1
        sp = split_name([w for w, _, _ in toks[:j]]) if 0 < j <= 10 and k < len(toks) and self.is_verb(toks, k) \
            else None
        if sp and sp.person and not sp.role:
            sp.role = role
        return self.complete(sp, b, lo) if sp else None

    def attribute(self, b: int, text: str, q: tuple, sent: tuple, spans: list, subj: list,
                  earlier: list[Speaker]) -> Speaker:
        """The speaker of the quotation ``q``, by the first rule that applies."""
        s, e, closed = q
        inner = text[s:e].rstrip()
        if closed and (inner[-1:] != "." or text[e + 1:e + 4].strip()[:1].islower() or
                       text[e + 1:e + 4].strip()[:1] in ("—", "–", "-")):
            sp = self.after(b, text, e + 1, sent)
            if sp is not None:
                return sp
        lo = max([sent[0]] + [qe + 1 for qs, qe, _ in spans if qe < s])
        before = tokens(text[lo:max(lo, s - 1)], lo)
        while before and before[-1][0].lower() in SKIP:
            before.pop()
        i, first = _np_start(before, len(before)), re.match(r"[\w']+", inner)
        if first and saying(first.group(0)) and inner[:1].islower() and i < len(before):  # 'an expert "urged …'
            sp = split_name([w for w, _, _ in before[i:]])
            if sp and (not sp.flags or before[-1][0].lower() in ROLE | ORG):
                return self.complete(sp, b, before[i][1])
        if re.findall(r"[\w']+", text[lo:s])[-1:] and re.findall(r"[\w']+", text[lo:s])[-1].lower() in DOCS:
            sp = self.head(b, text, sent[0], s, whole=True)  # 'the Senate passed a resolution "opposing …"'
            if sp and sp.name and sp.name.split()[-1].lower() not in DOCS:
                return sp
        verbs = [x for x in subj if x[0][1] < s and x[3] is not None]
        if verbs and (verbs[-1][2] != "ing" or not (earlier and earlier[-1].name)):
            return verbs[-1][3]
        m = re.search(r"\baccording to\s+", text[sent[0]:sent[1]], re.I)
        toks = tokens(text[sent[0] + m.end():sent[1]], sent[0] + m.end()) if m else []
        sp = split_name([w for w, _, _ in toks[:np_end(toks, 0)]]) if toks and not verbs else None
        if sp:
            return self.complete(sp, b, s)
        if earlier and earlier[-1].name:  # '"…," stating that "…"', or a second quotation in the sentence
            return _like(earlier[-1])
        pron = re.search(r"\b(he|she|his|her|they|their)\b", text[lo:s], re.I)
        if pron:
            return self.pronoun({"his": "he", "her": "she", "their": "they"}.get(pron.group(1).lower(),
                                                                                  pron.group(1)), b, s, sent)
        said = [h for h in sorted(self.history, key=lambda h: h[:2]) if h[0] >= b - 1 and h[:2] < (b, s)]
        if said and not text[sent[0]:max(sent[0], s - 1)].strip():  # a quotation standing alone
            return _like(said[-1][2], "speaker carried over from the sentence before: review")
        return Speaker("", flags=[UNKNOWN])
