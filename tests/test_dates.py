"""Stage: dates — FuzzyDate parsing, printing, ordering and coarsening."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.dates import DAY, MONTH, YEAR, FuzzyDate, parse_date


@pytest.mark.parametrize("text, year, month, day, precision", [
    ("2021-12-07", 2021, 12, 7, DAY),
    ("2021-12", 2021, 12, None, MONTH),
    ("2021", 2021, None, None, YEAR),
    ("2021-2-3", 2021, 2, 3, DAY),  # single digits are accepted
    ("  2021-12-07  ", 2021, 12, 7, DAY),  # surrounding spaces are ignored
    ("2020-02-29", 2020, 2, 29, DAY),  # leap day in a leap year
])
def test_parse_precision(text, year, month, day, precision):
    d = parse_date(text)
    assert (d.year, d.month, d.day) == (year, month, day)
    assert d.precision == precision
    assert d.approximate is False
    assert d.time is None


@pytest.mark.parametrize("text", [
    "~2021-12-07", "~ 2021-12-07", "about 2021-12-07", "About 2021-12-07", "circa 2021-12-07",
    "c. 2021-12-07", "C. 2021-12-07", "approx. 2021-12-07",
])
def test_approximate_prefixes(text):
    d = parse_date(text)
    assert d == FuzzyDate(2021, 12, 7, approximate=True)
    assert d.human() == "about 7 December 2021"
    assert str(d) == "~2021-12-07"
    assert d.iso() == "2021-12-07"  # the precision stays; only the flag is set


def test_approximate_month_and_year():
    assert parse_date("about 2021-12") == FuzzyDate(2021, 12, approximate=True)
    assert parse_date("circa 2021") == FuzzyDate(2021, approximate=True)
    assert parse_date("~2021").human() == "about 2021"


@pytest.mark.parametrize("text, message", [
    ("2021-02-30", "'2021-02-30' is not a calendar date"),
    ("2021-02-29", "'2021-02-29' is not a calendar date"),
    ("2021-04-31", "'2021-04-31' is not a calendar date"),
    ("2021-13", "'2021-13' has no month 13; months run from 01 to 12"),
    ("2021-13-01", "'2021-13-01' has no month 13; months run from 01 to 12"),
    ("2021-00", "'2021-00' has no month 0; months run from 01 to 12"),
    ("about 2021-02-30", "'about 2021-02-30' is not a calendar date"),
    ("21-12-07", "'21-12-07' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("7 December 2021", "'7 December 2021' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("", "'' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("about", "'about' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("2021-12-07T24:00", "'2021-12-07T24:00' has an impossible time of day"),
    ("2021-12-07T14:60", "'2021-12-07T14:60' has an impossible time of day"),
    ("2021-12-07T14:30:60", "'2021-12-07T14:30:60' has an impossible time of day"),
    ("2021-12-07T14:30+25:00", "'2021-12-07T14:30+25:00' has an impossible time of day"),
    ("2021-12-07T14:30+05:99", "'2021-12-07T14:30+05:99' has an impossible time of day"),
    ("2021-12-07T14:30-0560", "'2021-12-07T14:30-0560' has an impossible time of day"),
    # digits other than 0-9 would be printed as written in the feeds' timestamps
    ("2021-12-08T10:\uff13\uff10",
     "'2021-12-08T10:\uff13\uff10' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
    ("\uff12\uff10\uff12\uff11", "'\uff12\uff10\uff12\uff11' is not a date; write it like 2021-12-07, 2021-12 or 2021"),
])
def test_impossible_dates(text, message):
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize("value", [None, 2021, 20211207.0, ["2021"], {"date": "2021"}])
def test_non_text_is_refused(value):
    with pytest.raises(ValueError, match=r"^a date must be written like 2021-12-07, 2021-12 or 2021$"):
        parse_date(value)


def test_date_objects_and_fuzzy_dates_are_accepted():
    assert parse_date(dt.date(2021, 12, 7)) == FuzzyDate(2021, 12, 7)
    assert parse_date(dt.datetime(2021, 12, 7, 14, 30)) == FuzzyDate(2021, 12, 7, time="14:30:00")
    same = FuzzyDate(2021, 12)
    assert parse_date(same) is same


@pytest.mark.parametrize("text, time, shown, rfc3339", [
    ("2021-12-08T14:30+03:00", "14:30+03:00", "2021-12-08T14:30+03:00", "2021-12-08T14:30:00+03:00"),
    ("2021-12-08 14:30:15Z", "14:30:15Z", "2021-12-08T14:30:15Z", "2021-12-08T14:30:15Z"),
    ("2021-12-08T14:30Z", "14:30Z", "2021-12-08T14:30Z", "2021-12-08T14:30:00Z"),
    ("2021-12-08T14:30", "14:30", "2021-12-08T14:30", "2021-12-08T14:30:00Z"),
    ("2021-12-08T9:05", "09:05", "2021-12-08T09:05", "2021-12-08T09:05:00Z"),
    ("2021-12-08T14:30-0500", "14:30-05:00", "2021-12-08T14:30-05:00", "2021-12-08T14:30:00-05:00"),
])
def test_time_of_day(text, time, shown, rfc3339):
    d = parse_date(text)
    assert d.time == time
    assert d.precision == DAY
    assert str(d) == shown
    assert d.datetime_iso() == rfc3339
    assert d.human() == "8 December 2021"  # the page shows the day; the time is for feeds


def test_time_needs_a_full_date():
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("2021-12T14:30")


def test_datetime_iso_without_time_is_midnight_utc():
    assert FuzzyDate(2021, 12, 7).datetime_iso() == "2021-12-07T00:00:00Z"
    assert FuzzyDate(2021, 12).datetime_iso() == "2021-12-01T00:00:00Z"
    assert FuzzyDate(2021).datetime_iso() == "2021-01-01T00:00:00Z"


@pytest.mark.parametrize("date, human, iso", [
    (FuzzyDate(2021, 12, 7), "7 December 2021", "2021-12-07"),
    (FuzzyDate(2021, 1, 9), "9 January 2021", "2021-01-09"),
    (FuzzyDate(2021, 12), "December 2021", "2021-12"),
    (FuzzyDate(2021), "2021", "2021"),
    (FuzzyDate(987), "987", "0987"),
    (FuzzyDate(2021, 12, approximate=True), "about December 2021", "2021-12"),
])
def test_human_and_iso(date, human, iso):
    assert date.human() == human
    assert date.iso() == iso


def test_first_and_last_day():
    assert FuzzyDate(2021, 2).first_day() == dt.date(2021, 2, 1)
    assert FuzzyDate(2021, 2).last_day() == dt.date(2021, 2, 28)
    assert FuzzyDate(2024, 2).last_day() == dt.date(2024, 2, 29)
    assert FuzzyDate(2021).first_day() == dt.date(2021, 1, 1)
    assert FuzzyDate(2021).last_day() == dt.date(2021, 12, 31)
    assert FuzzyDate(2021, 12, 7).first_day() == FuzzyDate(2021, 12, 7).last_day() == dt.date(2021, 12, 7)


def test_sort_order():
    texts = ["2022", "2021-12-08T09:00", "2021-12-07", "2021", "2021-12", "2021-11-30", "2021-12-08",
             "2021-12-08T14:30", "2021-12-08T8:15", "2020-12-31"]
    ordered = sorted((parse_date(t) for t in texts), key=lambda d: d.sort_key)
    assert [str(d) for d in ordered] == [
        "2020-12-31", "2021", "2021-11-30", "2021-12", "2021-12-07", "2021-12-08",
        "2021-12-08T08:15", "2021-12-08T09:00", "2021-12-08T14:30", "2022"]


def test_approximate_does_not_change_the_order():
    assert parse_date("~2021-12-07").sort_key == parse_date("2021-12-07").sort_key


@pytest.mark.parametrize("precision, expected", [
    (YEAR, FuzzyDate(2021, approximate=True)),
    (MONTH, FuzzyDate(2021, 12, approximate=True)),
    (DAY, FuzzyDate(2021, 12, 7, approximate=True, time="14:30")),
])
def test_coarsen(precision, expected):
    d = parse_date("~2021-12-07T14:30")
    coarse = d.coarsen(precision)
    assert coarse == expected
    assert coarse.precision == precision


def test_coarsen_never_makes_a_date_finer():
    assert FuzzyDate(2021).coarsen(MONTH) == FuzzyDate(2021)
    assert FuzzyDate(2021).coarsen(MONTH).human() == "2021"
    assert FuzzyDate(2021, 12).coarsen(DAY) == FuzzyDate(2021, 12)
