"""Dates as fact-checkers write them: a day, a month or only a year, maybe approximate.

``2021-12-07`` (day), ``2021-12`` (month), ``2021`` (year); a leading ``~``,
``about``, ``circa`` or ``c.`` marks the date as approximate.  A time of day is
allowed on full dates (``2021-12-08T14:30+03:00``) and kept for feeds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

DAY, MONTH, YEAR = "day", "month", "year"
# English month names, fixed: calendar.month_name follows the process locale (and calls strftime)
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PRECISIONS = (DAY, MONTH, YEAR)

_APPROX = re.compile(r"^(?:~\s*|(?:about|circa|approx\.?|c\.)\s+)", re.I)
_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?$",
    re.ASCII,  # \d is 0-9 only: full-width digits would reach the feeds as written
)
PATTERN = r"^(?:(?:~\s*|(?:about|circa|approx\.?|c\.)\s+))?\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:[T ].+)?)?)?$"


@dataclass(frozen=True)
class FuzzyDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    time: str | None = None  # "HH:MM[:SS][tz]" when given

    @property
    def precision(self) -> str:
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.year, self.month or 0, self.day or 0, self.time or "")

    def iso(self) -> str:
        """The date at its own precision: ``2021-12-07``, ``2021-12`` or ``2021``."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return ("~" if self.approximate else "") + self.iso() + (f"T{self.time}" if self.time else "")

    def human(self) -> str:
        """``7 December 2021``, ``December 2021`` or ``2021``; ``about`` when approximate."""
        if self.day:
            text = f"{self.day} {MONTHS[self.month]} {self.year}"
        elif self.month:
            text = f"{MONTHS[self.month]} {self.year}"
        else:
            text = str(self.year)
        return f"about {text}" if self.approximate else text

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def coarsen(self, precision: str) -> "FuzzyDate":
        if precision == YEAR:
            return FuzzyDate(self.year, approximate=self.approximate)
        if precision == MONTH:
            return FuzzyDate(self.year, self.month, approximate=self.approximate)
        return self

    def datetime_iso(self) -> str:
        """A full RFC 3339 timestamp for feeds (midnight UTC when no time was given)."""
        d = self.first_day().isoformat()
        if not self.time:
            return f"{d}T00:00:00Z"
        clock, tz = re.match(r"^([\d:.]+)(.*)$", self.time).groups()
        if clock.count(":") == 1:  # RFC 3339 needs the seconds
            clock += ":00"
        return f"{d}T{clock}{tz or 'Z'}"


def parse_date(value: object) -> FuzzyDate:
    """Parse an editor's date; raise ``ValueError`` with an editor-facing message."""
    if isinstance(value, FuzzyDate):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueError("a date must be written like 2021-12-07, 2021-12 or 2021")
    return _parse_text(value)


@lru_cache(maxsize=65536)  # dates repeat (a claim, its sources, its review): 40,000 dates at 10,000 claims
def _parse_text(value: str) -> FuzzyDate:
    text = value.strip()
    approx = False
    m = _APPROX.match(text)
    if m:
        approx = True
        text = text[m.end():].strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"'{value}' is not a date; write it like 2021-12-07, 2021-12 or 2021")
    year, month, day = int(m["y"]), m["m"], m["d"]
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"'{value}' has no month {int(month)}; months run from 01 to 12")
    if day is not None:
        try:
            dt.date(year, int(month), int(day))
        except ValueError:
            raise ValueError(f"'{value}' is not a calendar date") from None
    time = None
    if m["time"]:
        hh, mm, *ss = m["time"].split(":")
        tz = m["tz"] or ""
        offset_ok = not tz[1:] or (int(tz[1:3]) <= 23 and int(tz[-2:]) <= 59)
        if int(hh) > 23 or int(mm) > 59 or (ss and float(ss[0]) >= 60) or not offset_ok:
            raise ValueError(f"'{value}' has an impossible time of day")
        # stored as HH:MM[:SS] with a ±HH:MM offset, so that times sort and print in one form
        time = ":".join([f"{int(hh):02d}", mm, *ss]) + (tz if len(tz) != 5 else f"{tz[:3]}:{tz[3:]}")
    return FuzzyDate(year, int(month) if month else None, int(day) if day else None, approx, time)
