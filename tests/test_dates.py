"""Typed dates (issue 16, point 2): one parser for the CLI and the app's date field.

A food seller types the day first, with or without separators; a month alone is
"best before end of that month" for an expiry and its first day for a start.
A wrong date is refused with a message saying what is wrong, never read as another day.
"""

from __future__ import annotations

from datetime import date

import pytest

from shopdesk import i18n, stock
from shopdesk.dates import Month, format_day, parse_day
from shopdesk.errors import ValidationError
from tests.conftest import PIN_A
from tests.stock_factories import make_product

JUNE_6 = date(2027, 6, 6)


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("id")


@pytest.mark.parametrize(
    "text",
    ["06-06-2027", "06062027", "6/6/27", "6.6.2027", "060627", "6 Juni 2027", "6 jun 27",
     "2027-06-06", "20270606", " 6 - 6 - 2027 ", "6jun2027"],
)  # fmt: skip
def test_a_day_typed_in_every_usual_way(text):
    assert parse_day(text, field="expiry") == JUNE_6


@pytest.mark.parametrize(
    ("text", "last", "first"),
    [
        ("06/2027", date(2027, 6, 30), date(2027, 6, 1)),
        ("062027", date(2027, 6, 30), date(2027, 6, 1)),
        ("Juni 2027", date(2027, 6, 30), date(2027, 6, 1)),
        ("Feb 28", date(2028, 2, 29), date(2028, 2, 1)),  # a leap year's February
        ("2027-12", date(2027, 12, 31), date(2027, 12, 1)),
    ],
)
def test_a_month_alone_is_its_last_day_for_an_expiry_and_its_first_for_a_start(text, last, first):
    assert parse_day(text, field="expiry", month=Month.LAST_DAY) == last
    assert parse_day(text, field="from", month=Month.FIRST_DAY) == first
    with pytest.raises(ValidationError, match="needs the day too"):
        parse_day(text, field="the day")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31-06-2027", "days 1 to 30 only"),
        ("29022027", "days 1 to 28 only"),
        ("12/31/2027", "no month 31"),  # American order: refused with the hint
        ("06/27", "not clear"),  # the 6th of a month, or June 2027?
        ("6/6", "not clear"),
        ("1/1/1990", "2000 to 2099"),
        ("besok", "not a date"),
        ("6/6/2027/1", "not a date"),
        ("--", "not a date"),
        ("9" * 5000, "not a date"),
        ("2027", "not a date"),
    ],
)
def test_a_wrong_date_is_refused_with_a_reason(text, why):
    with pytest.raises(ValidationError, match=why) as caught:
        parse_day(text, field="expiry", month=Month.LAST_DAY)
    assert "expiry" in caught.value.message


def test_messages_are_indonesian_and_empty_is_none():
    i18n.set_language("id")
    with pytest.raises(ValidationError, match="bukan tanggal"):
        parse_day("besok", field="tanggal kedaluwarsa")
    assert parse_day("  ", field="x") is None and parse_day(None, field="x") is None
    assert format_day(JUNE_6) == "06-06-2027" and parse_day(format_day(JUNE_6), field="x")


def run(cli, *argv):
    return cli("--lang", "en", *argv, "--seller", "kopi", pin=PIN_A)


def test_cli_stock_in_reads_typed_dates_and_refuses_a_wrong_one(cli, seller):
    sku = make_product(seller, shelf_life_days=90)
    code, _out, err = run(
        cli, "stock", "in", sku, "5", "--produced", "1/6/27", "--expires", "06/2027"
    )
    assert code == 0, err
    [batch] = stock.batches(seller, sku=sku)
    assert (batch.produced_on, batch.expires_on) == (date(2027, 6, 1), date(2027, 6, 30))
    code, _out, err = run(cli, "stock", "in", sku, "5", "--expires", "31-06-2027")
    assert code == 2 and "days 1 to 30 only" in err
    assert len(stock.batches(seller, sku=sku)) == 1  # nothing written
    code, _out, err = run(cli, "audit", "--since", "06/2027", "--until", "x")
    assert code == 2 and "“x” is not a date for --until" in err
