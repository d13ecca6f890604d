"""Date expressions in an article's text, resolved against the article's own date.

Rule-based and deterministic.  What each expression resolves to (the article
date is ``A``; weeks run Monday to Sunday):

* ``2021-12-07``, ``December 7, 2021``, ``7 December 2021``, ``Dec. 7, 2021`` — that day (absolute).
* ``April 2005``, ``February of 2006`` — that month; ``in 2003``, ``since 2002`` — that year.
* ``December 7``, ``7 December``, ``Dec. 7`` — that day in A's year; if it falls after A the previous
  year, unless the clause is future tense, then the next occurrence on or after A.  An explicit year
  earlier in the same sentence wins ("in 2001, weeks after the September 11 attacks"; flagged).
* ``in March``, ``as early as October`` — the same idea at month precision; ``last November`` is the most
  recent November before A's month, ``next March`` the first one after it.
* ``Wednesday``, ``on Tuesday``, ``Saturday's`` — the most recent such day on or before A (A's own weekday
  is A), or the first one on or after A when the clause is future tense (``will``, ``is to``, ``is
  expected to``, ``next`` …).  ``last Monday`` is strictly before A, ``next Monday`` strictly after it
  (flagged: some readers mean the week after), ``this Sunday`` the Sunday of A's week, ``Tuesday last
  week`` the Tuesday of the week before A's.  A capitalised word before a bare weekday makes a name, not a
  date (``Super Tuesday``, ``Red Friday``); plurals (``on Mondays``) are habits, not dates.
* ``today``, ``tonight``, ``this morning`` — A; ``yesterday``, ``last night`` — A - 1; ``tomorrow`` — A + 1.
* ``last week`` / ``next week`` — an approximate day, A - 7 / A + 7 (``~2021-12-01``), with the calendar
  week (Monday–Sunday) kept in ``start``/``end``; ``this week`` — ``~A`` with A's week;
  ``this weekend`` — ``~Saturday`` of A's week (last/next weekend: the one before/after).
* ``last month``, ``this month``, ``earlier this month``, ``next month`` — that month; ``this year``,
  ``earlier this year``, ``last year``, ``next year`` — that year.
* ``3 days ago`` — exact day; ``two weeks ago`` — approximate day; ``two months ago`` — approximate month;
  ``14 years ago`` — approximate year.
* ``the following day``, ``the next day``, ``the previous year``, ``the same day`` — relative to the
  previous date mentioned in the article (flagged for review); unresolved without one.

Nothing is guessed: without an article date (or when the article date is too coarse for the
expression) a mention keeps ``resolved=None`` and carries a flag saying why.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import DAY, MONTH, YEAR, FuzzyDate

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MON = (r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
        r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=\s*\d)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov"
        r"|Dec)(?=\s+\d))")
_MONTH_ONLY = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)(?!\d|,\d|-\d|/|\s*%)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PREP = r"(?:in|since|by|until|till|from|during|before|after|through|of|around|between|and|to|early|late)"

# (kind, pattern); matched case-sensitively unless written with (?i); longest match wins on overlap
PATTERNS = [
    ("iso", r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b"),
    ("mdy", rf"\b{_MON}\s*{_DAY},?\s+{_YEAR}"),
    ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MON}\s*,?\s+{_YEAR}"),
    ("my", rf"\b{_MONTH_ONLY},?\s+(?:of\s+)?{_YEAR}"),
    ("md", rf"\b{_MON}\s*{_DAY}\b(?!:|\d|,?\s*\d{{4}})"),
    ("dm", rf"\b{_DAY}\s+(?:of\s+)?{_MON}"),
    ("mon", rf"\b(?P<mod>(?i:as\s+(?:early|late)\s+as|last|next|this|{_PREP}))\s+{_MONTH_ONLY}(?!\s*\d)"),
    ("year", rf"\b(?i:{_PREP})\s+{_YEAR}\b"),
    ("deictic", r"(?i)\b(?P<w>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night"
                r"|this\s+(?:morning|afternoon|evening))\b"),
    ("weekday", rf"\b(?P<mod>(?i:last|next|this|on|since|by|until|from|before|after|early|late)\s+)?{_WD}"
                r"(?P<poss>['’]s)?(?P<pl>s\b)?"),
    ("wdweek", rf"\b{_WD}\s+(?P<rel>last|next|this)\s+week\b"),
    ("period", r"(?i)\b(?P<mod>(?:earlier|later)\s+this|last|next|this)\s+(?P<unit>week(?:end)?|month|year)\b"),
    ("ago", rf"(?i)\b{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago\b"),
    ("anaphoric", r"(?i)\bthe\s+(?P<dir>following|next|previous|preceding|same)\s+(?P<unit>day|week|month|year)\b"),
]
_COMPILED = [(kind, re.compile(p)) for kind, p in PATTERNS]

FUTURE = re.compile(r"(?i)\b(?:will|won't|shall|is\s+to|are\s+to|is\s+due|are\s+due|due\s+to|(?:is|are)\s+expected"
                    r"|expected\s+to|scheduled|plans?\s+to|planned|planning|set\s+to|going\s+to|upcoming|coming"
                    r"|next|could|might|may)\b|['’]ll\b")
PAST_VERB = re.compile(r"(?i)^(?:\w{3,}ed|said|told|met|held|began|won|took|made|went|came|gave|spoke|wrote|left|"
                       r"fell|rose|saw|was|were|had|did|announced|denied)$")


@dataclass
class DateMention:
    expression: str
    resolved: FuzzyDate | None
    precision: str | None
    approximate: bool
    paragraph: int
    offset: int  # character offset of the expression in its paragraph's text
    flags: list[str] = field(default_factory=list)
    kind: str = "relative"  # "absolute", "relative" (needs the article date) or "anaphoric" (needs an earlier date)
    start: dt.date | None = None  # the range meant, for week expressions
    end: dt.date | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.offset, self.offset + len(self.expression)


def simple_sentences(text: str) -> list[tuple[int, int]]:
    """A rough sentence split, used when the caller has no better one."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]['\"”’)]*\s+(?=[\"“‘(A-Z0-9])", text):
        out.append((start, m.end()))
        start = m.end()
    return out + [(start, len(text))] if start < len(text) else out


def tense(sentence: str, start: int, end: int) -> str | None:
    """``"future"``, ``"past"`` or None for the clause around ``sentence[start:end]``."""
    before = re.split(r"[,;:—]|\bthat\b", sentence[:start])[-1]
    after = re.split(r"[,;:—.]", sentence[end:])[0]
    words = re.findall(r"[\w'’]+", before)
    if words and words[-1].lower() == "on":
        words = words[:-1]
    if words and PAST_VERB.match(words[-1]) and not FUTURE.search(before):
        return "past"
    if FUTURE.search(before) or FUTURE.search(after):
        return "future"
    return None


def _week(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def _fd(day: dt.date, approximate: bool = False, precision: str = DAY) -> FuzzyDate:
    if precision == YEAR:
        return FuzzyDate(day.year, approximate=approximate)
    if precision == MONTH:
        return FuzzyDate(day.year, day.month, approximate=approximate)
    return FuzzyDate(day.year, day.month, day.day, approximate=approximate)


def _day_ok(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class DateResolver:
    """Finds date expressions paragraph by paragraph; remembers the last date for anaphoric ones."""

    def __init__(self, article_date: FuzzyDate | None):
        self.article = article_date
        self.anchor: FuzzyDate | None = None
        self.year_here: int | None = None  # an explicit year earlier in the sentence being read

    def scan(self, text: str, paragraph: int = 0, sentences: list[tuple[int, int]] | None = None) -> list[DateMention]:
        """The date expressions of one paragraph, resolved; call it for the paragraphs in reading order."""
        found: list[tuple[int, int, str, re.Match, int]] = []
        for rank, (kind, rx) in enumerate(_COMPILED):
            for m in rx.finditer(text):
                found.append((m.start(), m.end(), kind, m, rank))
        chosen: list[tuple[int, int, str, re.Match, int]] = []
        for f in sorted(found, key=lambda f: (f[0] - f[1], f[4], f[0])):  # longest wins, then the list's order
            if not any(f[0] < c[1] and c[0] < f[1] for c in chosen) \
                    and not (f[2] == "weekday" and self._is_name(text, f[3])):
                chosen.append(f)
        sentences = sentences or simple_sentences(text) or [(0, len(text))]
        out: list[DateMention] = []
        for start, end, kind, m, _ in sorted(chosen, key=lambda f: f[0]):
            s0, s1 = next(((s, e) for s, e in sentences if s <= start < e), (0, len(text)))
            self.year_here = next((d.resolved.year for d in reversed(out) if d.kind == "absolute" and s0 <= d.offset
                                   and d.resolved), None)  # "in 2001, weeks after the September 11 attacks"
            mention = self._mention(kind, m, text, paragraph, text[s0:s1], start - s0)
            if mention is None:
                continue
            out.append(mention)
            if mention.resolved is not None and mention.kind != "anaphoric":
                self.anchor = mention.resolved
        return out

    def _mention(self, kind: str, m: re.Match, text: str, paragraph: int, sentence: str,
                 at: int) -> DateMention | None:
        expression = m.group(0)
        lead = ""
        if kind == "year" or (kind in ("mon", "weekday") and m.group("mod")
                              and m.group("mod").strip().lower() not in ("last", "next", "this")):
            lead = m.group(0)[: m.start({"mon": "mon", "year": "year"}.get(kind, "wd")) - m.start()]
        mention = DateMention(expression[len(lead):], None, None, False, paragraph, m.start() + len(lead))
        mention.kind = "absolute" if kind in ("iso", "mdy", "dmy", "my", "year") else \
            "anaphoric" if kind == "anaphoric" else "relative"
        when = tense(sentence, at, at + len(expression))
        try:
            result = getattr(self, f"_r_{kind}")(m, when, mention)
        except ValueError:
            result = None
        if result is None and not mention.flags:
            return None  # not a date after all (e.g. "February 30")
        if result is not None:
            mention.resolved = result
            mention.precision = result.precision
            mention.approximate = result.approximate
        return mention

    @staticmethod
    def _is_name(text: str, m: re.Match) -> bool:
        """``Super Tuesday``, ``Red Friday``: a capitalised word before the weekday makes it a name."""
        if m.group("mod") or m.group("pl"):
            return bool(m.group("pl"))  # "on Mondays" is a habit, not a date
        before = re.search(r"([A-Za-z][\w'’]*)\W*$", text[: m.start()])
        if not before or not before.group(1)[0].isupper():
            return False
        return not re.search(r"(?:^|[.!?:]\s+|[\"“]\s*)$", text[: before.start(1)])  # not sentence-initial

    # -- what each kind of expression means --------------------------------------------------------------

    def _need(self, mention: DateMention, precision: str) -> FuzzyDate | None:
        a = self.article
        if a is None:
            mention.flags.append("no article date: cannot resolve a relative date")
            return None
        if PRECISIONS_ORDER[a.precision] < PRECISIONS_ORDER[precision]:
            mention.flags.append(f"the article date ({a}) is not precise enough to resolve this")
            return None
        return a

    def _r_iso(self, m, when, mention):
        return FuzzyDate(int(m["year"]), int(m["m"]), int(m["day"])) if _day_ok(
            int(m["year"]), int(m["m"]), int(m["day"])) else None

    def _r_mdy(self, m, when, mention):
        day = _day_ok(int(m["year"]), MONTHS[m["mon"].rstrip(".").lower()], int(m["day"]))
        return _fd(day) if day else None

    _r_dmy = _r_mdy

    def _r_my(self, m, when, mention):
        return FuzzyDate(int(m["year"]), MONTHS[m["mon"].lower()])

    def _r_year(self, m, when, mention):
        return FuzzyDate(int(m["year"]))

    def _r_md(self, m, when, mention):
        month, dayno = MONTHS[m["mon"].rstrip(".").lower()], int(m["day"])
        if not _day_ok(2000, month, dayno):  # 2000 is a leap year: Feb 29 is allowed here
            return None
        if self.year_here and _day_ok(self.year_here, month, dayno):
            mention.flags.append(f"year taken from {self.year_here} earlier in the sentence: review")
            return _fd(_day_ok(self.year_here, month, dayno))
        a = self.article
        if a is None:
            mention.flags.append("no article date: cannot resolve a relative date")
            return None
        base = a.first_day() if a.precision == DAY else None
        if base is None:
            mention.flags.append(f"year taken from the article date ({a}): review")
        for year in ((a.year, a.year - 1) if when != "future" else (a.year, a.year + 1)):
            day = _day_ok(year, month, dayno)
            if day and (base is None or (day <= base if when != "future" else day >= base)):
                return _fd(day)
        return None

    _r_dm = _r_md

    def _r_mon(self, m, when, mention):
        a = self._need(mention, MONTH)
        if a is None:
            return None
        month, mod = MONTHS[m["mon"].lower()], m["mod"].lower()
        if mod == "this":
            return FuzzyDate(a.year, month)
        if mod == "last" or (mod != "next" and when != "future"):
            strictly = mod == "last"
            year = a.year if (month < a.month or (month == a.month and not strictly)) else a.year - 1
        else:
            strictly = mod == "next"
            year = a.year if (month > a.month or (month == a.month and not strictly)) else a.year + 1
        return FuzzyDate(year, month)

    def _r_deictic(self, m, when, mention):
        a = self._need(mention, DAY)
        if a is None:
            return None
        word = " ".join(m["w"].lower().split())
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2}.get(word, 0)
        return _fd(a.first_day() + dt.timedelta(days=shift))

    def _r_weekday(self, m, when, mention):
        a = self._need(mention, DAY)
        if a is None:
            return None
        base, target = a.first_day(), WEEKDAYS[m["wd"].lower()]
        mod = (m["mod"] or "").strip().lower()
        back = (base.weekday() - target) % 7
        fwd = (target - base.weekday()) % 7
        if mod == "last":
            day = base - dt.timedelta(days=back or 7)
        elif mod == "next":
            day = base + dt.timedelta(days=fwd or 7)
            mention.flags.append("'next' + weekday: some readers mean the week after; review")
        elif mod == "this":
            day = _week(base)[0] + dt.timedelta(days=target)
        elif when == "future" or mod in ("until", "by"):
            day = base + dt.timedelta(days=fwd)
        else:
            day = base - dt.timedelta(days=back)
        return _fd(day)

    def _r_wdweek(self, m, when, mention):
        """``Tuesday last week``: that weekday in the week before (after, this) the article's."""
        a = self._need(mention, DAY)
        if a is None:
            return None
        step = {"last": -1, "next": 1, "this": 0}[m["rel"]]
        monday = _week(a.first_day())[0] + dt.timedelta(days=7 * step)
        return _fd(monday + dt.timedelta(days=WEEKDAYS[m["wd"].lower()]))

    def _r_period(self, m, when, mention):
        unit, mod = m["unit"].lower(), " ".join(m["mod"].lower().split())
        step = -1 if mod == "last" else 1 if mod == "next" else 0
        if unit in ("week", "weekend"):
            a = self._need(mention, DAY)
            if a is None:
                return None
            base = a.first_day() + dt.timedelta(days=7 * step)
            mention.start, mention.end = _week(base)
            if unit == "weekend":
                mention.start = mention.start + dt.timedelta(days=5)
                return _fd(mention.start, approximate=True)
            return _fd(base, approximate=True)
        a = self._need(mention, MONTH if unit == "month" else YEAR)
        if a is None:
            return None
        if unit == "month":
            year, month = _add_months(a.year, a.month, step)
            return FuzzyDate(year, month)
        return FuzzyDate(a.year + step)

    def _r_ago(self, m, when, mention):
        unit, raw = m["unit"].lower(), m["n"].lower()
        n = int(raw) if raw.isdigit() else NUMBERS[raw]
        a = self._need(mention, DAY if unit in ("day", "week") else MONTH if unit == "month" else YEAR)
        if a is None:
            return None
        if unit in ("day", "week"):
            return _fd(a.first_day() - dt.timedelta(days=n * (7 if unit == "week" else 1)), approximate=unit == "week")
        if unit == "month":
            year, month = _add_months(a.year, a.month, -n)
            return FuzzyDate(year, month, approximate=True)
        return FuzzyDate(a.year - n, approximate=True)

    def _r_anaphoric(self, m, when, mention):
        anchor, unit, direction = self.anchor, m["unit"].lower(), m["dir"].lower()
        if anchor is None:
            mention.flags.append("no earlier date in the article to count from")
            return None
        need = {"day": DAY, "week": DAY, "month": MONTH, "year": YEAR}[unit]
        if PRECISIONS_ORDER[anchor.precision] < PRECISIONS_ORDER[need]:
            mention.flags.append(f"the earlier date ({anchor}) is not precise enough")
            return None
        mention.flags.append(f"counted from the previous date in the article ({anchor}): review")
        step = 0 if direction == "same" else -1 if direction in ("previous", "preceding") else 1
        if unit in ("day", "week"):
            day = anchor.first_day() + dt.timedelta(days=step * (7 if unit == "week" else 1))
            return _fd(day, approximate=anchor.approximate or unit == "week")
        if unit == "month":
            year, month = _add_months(anchor.year, anchor.month, step)
            return FuzzyDate(year, month, approximate=anchor.approximate)
        return FuzzyDate(anchor.year + step, approximate=anchor.approximate)


PRECISIONS_ORDER = {YEAR: 0, MONTH: 1, DAY: 2}


def find_dates(text: str, article_date: FuzzyDate | None, paragraph: int = 0) -> list[DateMention]:
    """Every date expression in one paragraph of text (a convenience for a single paragraph)."""
    return DateResolver(article_date).scan(text, paragraph)
