"""Article text for the extractor: the word lists its rules know; blocks, sentences, quotation spans and tokens.

Everything here is stateless and knows nothing of speakers or drafts.  :func:`article_blocks` splits an
article into blocks (Markdown is parsed with markdown-it-py; seed-shaped ``.txt`` uses
:func:`model.text_blocks`), :func:`quote_spans` finds double-quoted passages, :func:`sentences` splits a block
into sentences that never cut a quotation, :func:`tokens` gives words and marks with their offsets, and
:func:`clean` turns a piece of article text into a plain statement.  The word lists are shared by
:mod:`generator.speakers` (names, titles, pronouns) and :mod:`generator.extract` (reported speech).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .model import markdown_title, split_text_article, text_blocks

W = str.split  # the word lists below are written as one string each
ROLE = set(W(
    "president vice prime minister premier chancellor secretary secretary-general senator sen. representative rep. "
    "congressman congresswoman governor gov. mayor ambassador envoy spokesman spokeswoman spokesperson aide adviser "
    "advisor official officials lawmaker lawmakers mp leader leaders chairman chairwoman chair chairperson chief head "
    "director commander general gen gen. lieutenant lt lt. colonel col. captain capt. admiral sergeant major officer "
    "king queen prince princess pope judge justice attorney lawyer prosecutor professor prof. reporter correspondent "
    "editor journalist analyst expert experts economist researcher researchers scientist doctor physician surgeon "
    "cardiologist founder co-founder ceo executive manager candidate president-elect activist activists member "
    "members nations protesters protestors demonstrators organisers organizers critics supporters witnesses sources "
    "deputy former senior top author co-author commissioner delegate negotiator diplomat cleric bishop speaker "
    "historian scholar academic writer commentator columnist pollster strategist consultant campaigner treasurer "
    "inspector sheriff dean principal superintendent"))
HONORIFIC = set(W("dr. dr mr. mr mrs. mrs ms. ms miss sir dame lord"))
ORG = set(W(
    "ministry government council committee commission agency office department party union association network "
    "institute university league foundation organization organisation corporation corp inc company group bank court "
    "parliament senate congress house assembly kremlin times post news press daily herald journal service army navy "
    "police embassy administration board bureau authority federation alliance coalition movement church centre "
    "center clinic hospital media"))
DOCS = set(W("statement report communique communiqué release letter declaration document memo brief text motion "
             "resolution article editorial study survey message"))
NAME_PARTICLES = set(W("de da do dos du del della van von der den la le al bin ibn y"))
LINKS = set(W("of and the for &"))  # join words of an organisation's name, never of a person's
PARTICLES = NAME_PARTICLES | LINKS
DETS = set(W("the a an another its their his her"))
BE = set(W("is are was were be been being"))
PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "group", "we": "first", "i": "first"}
STOP = set(W(
    "the a an this that these those although though while when as but and however in on at after before during "
    "since according speaking if because for with by from it he she they we i his her their its our there here "
    "then also meanwhile furthermore moreover last next earlier later despite unlike following some many most all "
    "both each other such no not what who which where why how so yet or only even just still now once first "
    "finally instead under over between among into through about around to of asked addition monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july august september "
    "october november december"))
SKIP = set(W("also later then again once further still previously recently earlier now reportedly publicly has have "
             "had was were is are did does do would will could should may might not never already first last on "
             "this week today yesterday tonight , however directly"))
SUFFIX = set(W("jr. jr sr. sr ii iii iv"))
ABBR = set(W("v mr mrs ms dr st jr sr gen lt col sgt capt cmdr adm sen rep gov prof rev hon pres vs etc inc corp co "
             "ltd no mt ft jan feb mar apr jun jul aug sep sept oct nov dec"))
IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think"}
SAY = set(W(  # verbs of saying (base forms)
    "say tell state add stress note ask explain write mention declare announce insist argue warn claim remark reply "
    "respond answer comment chant shout urge acknowledge admit emphasize emphasise underline affirm observe recall "
    "report agree suggest predict promise vow pledge confirm deny allege caution counter tweet call describe express "
    "believe think propose assure inform reject dismiss accuse blame condemn criticise criticize"))
STANCE = set(W("deny reject dismiss accuse blame condemn criticise criticize describe"))  # "X denied reports …"
QUOTE_ONLY = set(W("ask reply respond answer chant shout call describe express recall tweet inform"))
RECIPIENT = set(W("tell warn assure inform remind urge advise promise"))
NOUNISH = set(W("report reports claim claims call calls comment comments answer answers warning warnings promise "
                "promises pledge pledges note notes stress reply urge vow vows statement tweet tweets"))
_TOK = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_][\w'’\-]*\.?|[^\w\s'’]")
_OPEN, _MARKS = "“„«", "\"“”„«»"  # a mark that does not open a quotation closes one
_MD = MarkdownIt("commonmark")


@dataclass
class Block:
    kind: str  # "title", "standfirst", "p", "h" (subheading), "quote" (blockquote), "li"
    text: str


def tokens(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    """Words (abbreviations keep their dot) and punctuation marks, with their offsets."""
    out = []
    for m in _TOK.finditer(text):
        w, at = m.group(0), base + m.start()
        if w.endswith(".") and len(w) > 1 and not re.fullmatch(r"(?:[A-Za-z]\.){2,}", w) and not (
                w[:-1].lower() in ABBR or (len(w) == 2 and w[0].isupper())):
            out.append((w[:-1].rstrip("'’"), at, at + len(w[:-1].rstrip("'’"))))
            w, at = ".", at + len(w) - 1
        elif w[0].isalnum():
            w = w.rstrip("'’") or w
        out.append((w, at, at + len(w)))
    return out


def cap(w: str) -> bool:
    """A capitalised word, a digit-word such as G8, or a name such as al-Maliki."""
    return w[:1].isupper() or (w[:1].isdigit() and any(c.isalpha() for c in w)) or bool(
        re.match(r"(?:al|el|ad|as|ash|at|az|ben|bin|ibn|abu|de|di|da|du|le|la|van|von|d)['’-][A-Z]", w))


def saying(w: str) -> tuple[str, str] | None:
    """``(base, form)`` of a verb of saying; form is "base", "s", "past" or "ing"."""
    lw = w.lower()
    if lw in IRREGULAR:
        return IRREGULAR[lw], "past"
    for suffix, add, form in (("", "", "base"), ("s", "", "s"), ("es", "", "s"), ("ed", "", "past"), ("d", "", "past"),
                              ("ied", "y", "past"), ("ing", "", "ing"), ("ing", "e", "ing"), ("ted", "", "past"),
                              ("ped", "", "past")):
        if lw.endswith(suffix) and len(lw) > len(suffix) and lw[: len(lw) - len(suffix)] + add in SAY:
            return lw[: len(lw) - len(suffix)] + add, form
    return None


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(inner start, inner end, closed)`` of each double-quoted passage; curly or straight marks."""
    spans, open_at = [], None
    for i, ch in enumerate(text):
        if ch not in _MARKS:
            continue
        prev, nxt = (text[i - 1] if i else " "), (text[i + 1] if i + 1 < len(text) else " ")
        opening = ch in _OPEN
        if ch == '"':
            left, right = prev.isspace() or prev in "([{—–-/:", nxt.isspace() or nxt in ".,;:!?)]}—–-"
            opening = (left and not right) if left != right else open_at is None
        if opening and open_at is not None:  # a second opening mark: the first quotation was never closed
            spans.append((open_at, i, False))
        if opening:
            open_at = i + 1
        elif open_at is not None:
            spans.append((open_at, i, True))
            open_at = None
    return spans + [(open_at, len(text), False)] if open_at is not None else spans


def sentences(text: str, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Sentence spans; a quotation is never cut, and ``"…!" X said`` stays one sentence."""
    out, start = [], 0
    for m in re.finditer(r"[.!?…]+[\"”»'’)\]]*\s+(?=[^\sa-z—–-])", text):
        q = m.start()
        inside = next(((s, e) for s, e, _ in spans if s <= q < e), None)
        if inside:
            if inside[1] > m.end() or text[q:inside[1]].strip(".!?… "):
                continue  # punctuation inside a quotation, not at its end
            if text[q:inside[1]].rstrip()[-1:] in "!?" and any(saying(w) and not cap(w)
                                                              for w, _, _ in tokens(text[m.end():])[:6]):
                continue
        elif text[q] == ".":
            word = re.search(r"([\w.]+)$", text[:q])
            if word and (word.group(1).lower() in ABBR or re.fullmatch(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]", word.group(1))):
                continue
        out.append((start, m.end()))
        start = m.end()
    return out + [(start, len(text))] if start < len(text) else out


def clean(text: str, markdown: bool) -> str:
    """A statement from article text: no markup, no quotation marks, one space, a capital and a full stop."""
    if markdown:
        text = "".join(" " if t.type in ("softbreak", "hardbreak") else t.content  # a line break is a space
                       for tok in _MD.parseInline(text) for t in tok.children or []
                       if t.type in ("text", "code_inline", "softbreak", "hardbreak"))
    text = " ".join(re.sub(r"[\"“”„«»]|''", "", text).split()).strip(" ,;:—–")
    text = text[:1].upper() + text[1:]
    return text + "." if text and text[-1] not in ".!?…" else text


def article_blocks(body: str, fmt: str, title: str | None = None) -> list[Block]:
    """The article's blocks in reading order; ``paragraph`` in drafts and dates indexes this list."""
    if fmt == "text":
        first, standfirst, rest = split_text_article(body)
        blocks = [Block("title", title or first or "")] + ([Block("standfirst", standfirst)] if standfirst else [])
        return blocks + [Block(k, t) for k, t in text_blocks(rest)]
    heading, rest = markdown_title(body)
    blocks, stack = [Block("title", title or heading or "")], []
    for tok in _MD.parse(rest):
        if tok.nesting:
            stack = stack + [tok.type] if tok.nesting == 1 else stack[:-1]
        elif tok.type == "inline" and tok.content.strip():
            kind = ("h" if "heading_open" in stack else "quote" if "blockquote_open" in stack
                    else "li" if "list_item_open" in stack else "p")
            blocks.append(Block(kind, tok.content.strip()))
    return blocks
