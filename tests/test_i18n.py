"""The Indonesian catalog is complete and keeps every placeholder."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n_update  # noqa: E402

from shopdesk import i18n  # noqa: E402

BRACES = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")
PERCENT = re.compile(r"%(?:\([a-z_]+\))?[srd]")


def test_every_message_has_an_indonesian_translation():
    missing = i18n_update.missing()
    assert missing == [], f"{len(missing)} messages lack Indonesian: {missing[:10]}"


def test_translations_keep_every_placeholder():
    catalog = i18n.load_catalog("id")
    broken = [
        msgid
        for msgid, text in catalog.items()
        if sorted(BRACES.findall(msgid)) != sorted(BRACES.findall(text))
        or sorted(PERCENT.findall(msgid)) != sorted(PERCENT.findall(text))
    ]
    assert broken == []


def test_own_po_reader_agrees_with_babel():
    from babel.messages.pofile import read_po

    for po in (ROOT / "resources" / "i18n" / "id").glob("*.po"):
        with open(po, "rb") as handle:
            expected = {str(m.id): str(m.string) for m in read_po(handle) if m.id and m.string}
        assert i18n._parse_po(po.read_text(encoding="utf-8")) == expected, po.name


@pytest.mark.parametrize("language", ["id", "en"])
def test_switching_language(language):
    try:
        i18n.set_language(language)
        text = i18n._("Wrong PIN.")
        assert text == ("PIN salah." if language == "id" else "Wrong PIN.")
    finally:
        i18n.set_language("id")


def test_indonesian_is_the_default(monkeypatch):
    monkeypatch.delenv("SHOPDESK_LANG", raising=False)
    assert i18n.set_language(None) == "id"
    assert i18n.set_language("en_US") == "en"
    assert i18n.set_language("fr") == "id"
