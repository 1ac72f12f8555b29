"""Fuzzing the money parser with the ways Indonesian sellers write prices.

Every way of writing an amount that the parser documents gives that amount
back exactly; anything else gives whole rupiah in range or a ``ValidationError``
with a message, never another exception. The number of examples follows the
hypothesis profile (``tests/conftest.py``: ci about 200, release 5000).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shopdesk.errors import ShopDeskError, ValidationError
from shopdesk.money import MAX_RUPIAH, format_number, parse_rupiah

SPACES = st.sampled_from(["", " ", "  ", "\u00a0", "\t"])  # NBSP comes from copied text
UNITS = [
    ("rb", 1000),
    ("ribu", 1000),
    ("k", 1000),
    ("RB", 1000),
    ("jt", 10**6),
    ("juta", 10**6),
    ("Jt", 10**6),
]
PREFIXES = st.sampled_from(["", "Rp", "Rp.", "rp", "RP", "Rp ", "Rp. ", "IDR ", "idr"])
DASHES = st.sampled_from(["", ",-", ".-", "-"])  # "Rp 15.000,-"


def _grouped(amount: int, separator: str) -> str:
    return format_number(amount).replace(".", separator)


@st.composite
def written_amounts(draw) -> tuple[str, int]:
    """An amount and one way a seller writes it: 15000, 15.000, Rp 15.000,-, 15rb, 1,5jt."""
    amount = draw(
        st.one_of(
            st.integers(0, MAX_RUPIAH),
            st.integers(0, 999).map(lambda n: n * 1000),
            st.integers(0, 1000).map(lambda n: n * 1_000_000),
            st.integers(0, 9_999).map(lambda n: n * 100_000),
        )
    )
    style = draw(st.sampled_from(["plain", "grouped", "unit"]))
    if style == "unit" and amount % 1000 == 0 and amount:
        unit, size = draw(st.sampled_from(UNITS))
        whole, rest = divmod(amount, size)
        fraction = f"{rest:0{len(str(size)) - 1}d}".rstrip("0") if rest else ""
        if rest and not fraction:
            fraction = "0"
        mark = draw(st.sampled_from([",", "."]))
        number = f"{whole}{mark}{fraction}" if fraction else str(whole)
        return f"{draw(SPACES)}{number}{draw(SPACES)}{unit}{draw(SPACES)}", amount
    if style == "grouped" and amount >= 1000:
        separator = draw(st.sampled_from([".", ","]))
        cents = draw(st.sampled_from(["", "00"]))
        number = _grouped(amount, separator)
        if cents:
            number += ("," if separator == "." else ".") + cents
        suffix = draw(DASHES) if not cents and separator == "." else ""
    else:
        number, suffix = str(amount), draw(st.sampled_from(["", ",-", ",00", ".00"]))
    prefix = draw(PREFIXES)
    gap = draw(SPACES) if prefix else ""
    return f"{draw(SPACES)}{prefix}{gap}{number}{suffix}{draw(SPACES)}", amount


PRICE_ALPHABET = st.sampled_from(list("0123456789.,- RpIDRrbjtk\u00a0+e٠١５²"))
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=PRICE_ALPHABET, max_size=30),
    st.integers(1, 12_000).map(lambda n: "1" * n),  # past what int() takes from text
    st.integers(-(10**12), 10**12),
    st.builds(lambda a, b: f"{a}{b}", written_amounts().map(lambda w: w[0]), st.text(max_size=5)),
)


@given(written=written_amounts())
def test_every_documented_way_of_writing_an_amount_parses_to_it(written):
    text, amount = written
    assert parse_rupiah(text) == amount, text


@given(text=HOSTILE)
def test_anything_else_gives_rupiah_in_range_or_a_clear_refusal(text):
    try:
        value = parse_rupiah(text)
    except ValidationError as exc:
        assert exc.message.strip()
        assert len(exc.message) < 300  # the echo of the input is cut short
        return
    except ShopDeskError as exc:  # pragma: no cover - a wrong kind of error
        raise AssertionError(f"{type(exc).__name__} for {text!r}") from exc
    assert isinstance(value, int) and not isinstance(value, bool)
    assert 0 <= value <= MAX_RUPIAH
