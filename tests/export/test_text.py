"""Text helpers under arbitrary input: what the targets rely on always holds."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopdesk.errors import ValidationError
from shopdesk.export.text import (
    drop_emoji,
    file_part,
    has_emoji,
    join_url,
    normalise_base_url,
    one_line,
    plain_text,
    slug,
    whatsapp_link,
    whatsapp_number,
)

TEXT = st.text(max_size=300)


@given(TEXT)
def test_plain_text_has_no_tabs_or_control_characters(text):
    out = plain_text(text)
    assert "\t" not in out and "\r" not in out
    assert all(ch == "\n" or unicodedata.category(ch) != "Cc" for ch in out)
    assert plain_text(out) == out or "<" in out  # stable unless it still looks like markup


@given(TEXT)
def test_one_line_names(text):
    out = one_line(text)
    assert "\n" not in out and "\t" not in out and out == out.strip()


@given(TEXT)
def test_handles_and_file_names(text):
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug(text))
    part = file_part(text)
    assert part and not set(part) & set(" ,/\\\t\n%?#")


@given(TEXT)
def test_drop_emoji(text):
    assert not has_emoji(drop_emoji(text))


def test_html_descriptions():
    text = "<p>Kopi <b>enak</b> &amp; wangi</p><ul><li>250 g</li><li>Robusta</li></ul>"
    assert plain_text(text) == "Kopi enak & wangi\n\n250 g\n\nRobusta"


@pytest.mark.parametrize("number", ["0812-2700-1234", "+62 812 2700 1234", "6281227001234"])
def test_whatsapp_numbers(number):
    assert whatsapp_number(number) == "6281227001234"


def test_whatsapp_rejects_nonsense_and_links_encode_text():
    with pytest.raises(ValidationError):
        whatsapp_number("12")
    link = whatsapp_link("6281227001234", "Halo, saya mau pesan\nKopi & Gula")
    assert (
        link == "https://wa.me/6281227001234?text=Halo%2C%20saya%20mau%20pesan%0AKopi%20%26%20Gula"
    )


def test_urls():
    assert (
        normalise_base_url(" https://toko.example.id/katalog/ ")
        == "https://toko.example.id/katalog"
    )
    assert join_url("https://t.example.id", "images/A B,1.jpg") == (
        "https://t.example.id/images/A%20B%2C1.jpg"
    )
    assert join_url("", "images/a.jpg") == ""
    for bad in ("toko saya", "ftp://x.example.id", "https://x", "https://a.example.id/b,c"):
        with pytest.raises(ValidationError):
            normalise_base_url(bad)
