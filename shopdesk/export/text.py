"""Text helpers shared by the targets: plain text, emoji, handles, links, prices."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote

import phonenumbers

from shopdesk.errors import ValidationError
from shopdesk.i18n import _
from shopdesk.money import format_rupiah

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN_TAGS = {"script", "style"}
_SPACES = re.compile(r"[ \u00a0]{2,}")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_FILE_DROP = re.compile(r"[^A-Za-z0-9._-]+")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def has_html(text: str) -> bool:
    return bool(_TAG.search(text))


def strip_html(text: str) -> str:
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


def is_emoji(ch: str) -> bool:
    code = ord(ch)
    if code in (0x200D, 0xFE0F, 0x20E3):
        return True
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF:
        return True
    return unicodedata.category(ch) == "So" and code > 0x2000


def has_emoji(text: str) -> bool:
    return any(is_emoji(ch) for ch in text)


def drop_emoji(text: str) -> str:
    return _SPACES.sub(" ", "".join(ch for ch in text if not is_emoji(ch))).strip()


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text)


def plain_text(text: str) -> str:
    """Plain text every target takes: no HTML, no tabs or control characters."""
    if has_html(text):
        text = strip_html(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    """For names and TSV cells: no line breaks, tabs or control characters."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _SPACES.sub(" ", text).strip()


def slug(text: str) -> str:
    """Letters, digits and dashes only (a Shopify handle, a page name)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG_DROP.sub("-", folded).strip("-")


def file_part(text: str) -> str:
    """A file name part without spaces or commas (WooCommerce splits on commas)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _FILE_DROP.sub("-", folded).strip("-.") or "item"


def join_url(base_url: str, relative: str) -> str:
    """An absolute URL under the bundle's base URL; empty when no base is set."""
    if not base_url:
        return ""
    return base_url.rstrip("/") + "/" + quote(relative, safe="/-._~")


def normalise_base_url(base_url: str | None) -> str:
    value = (base_url or "").strip()
    if not value:
        return ""
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", value) or any(c in value for c in " ,\t\n"):
        raise ValidationError(
            _(
                "The base URL {url} is not a web address. Write it as https://example.com/shop "
                "(no spaces or commas)."
            ).format(url=value)
        )
    return value.rstrip("/")


def whatsapp_number(number: str) -> str:
    """Digits of an Indonesian WhatsApp number in international form (6281234567890)."""
    try:
        parsed = phonenumbers.parse(number, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("The WhatsApp number {number} is not a phone number. Write it as 0812...").format(
                number=number
            )
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("The WhatsApp number {number} is not valid. Check the digits.").format(number=number)
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def whatsapp_link(digits: str, message: str) -> str:
    return f"https://wa.me/{digits}?text={quote(message, safe='')}"


def format_price(amount: int) -> str:
    """Rp 15.000, as sellers and buyers read prices."""
    return format_rupiah(amount)
