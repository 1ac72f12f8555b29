import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.errors import ValidationError
from shopdesk.money import MAX_RUPIAH, format_rupiah, parse_rupiah

ACCEPTED = {
    "15000": 15000,
    "15.000": 15000,
    "Rp 15.000,-": 15000,
    "Rp15.000,00": 15000,
    "15,000": 15000,
    "2.500.000": 2500000,
    "15rb": 15000,
    "15 ribu": 15000,
    "15k": 15000,
    "15,5rb": 15500,
    "1,5jt": 1500000,
    "1.5 juta": 1500000,
    "0": 0,
    "Rp 35.000": 35000,
    "Rp85.000,-": 85000,
    "450rb": 450000,
    "Rp 1,2jt": 1200000,
    "IDR 22000": 22000,
    "  18.000  ": 18000,
    "Rp 1.000.000.000": 1_000_000_000,
}
REJECTED = [
    "",
    "   ",
    "-5000",
    "abc",
    "15.00.0",
    "1e5",
    "Rp 2 milyar",
    "1.000.000.001",
    "15,5555rb",
    "1,0000005jt",
    "Rp",
    "15.000,50",
]


@pytest.mark.parametrize(("text", "amount"), ACCEPTED.items())
def test_parses_what_sellers_type(text, amount):
    assert parse_rupiah(text) == amount
    assert isinstance(parse_rupiah(text), int)


@pytest.mark.parametrize("text", REJECTED)
def test_rejects_with_a_message_that_says_what_is_expected(text):
    with pytest.raises(ValidationError) as caught:
        parse_rupiah(text)
    message = caught.value.message
    assert message and "Traceback" not in message


def test_rejection_message_is_indonesian_by_default_and_shows_an_example():
    with pytest.raises(ValidationError) as caught:
        parse_rupiah("abc")
    assert "15.000" in caught.value.message
    assert "harga" in caught.value.message.lower()


def test_too_large_says_the_limit():
    with pytest.raises(ValidationError) as caught:
        parse_rupiah("Rp 2.000.000.000")
    assert "1.000.000.000" in caught.value.message


def test_format():
    assert format_rupiah(15000) == "Rp 15.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(2500000) == "Rp 2.500.000"
    assert format_rupiah(-1500) == "-Rp 1.500"


@given(st.integers(min_value=0, max_value=MAX_RUPIAH))
def test_format_then_parse_round_trips(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


@given(st.text(max_size=40))
def test_any_text_gives_an_int_or_a_validation_error(text):
    try:
        value = parse_rupiah(text)
    except ValidationError:
        return
    assert isinstance(value, int) and 0 <= value <= MAX_RUPIAH
