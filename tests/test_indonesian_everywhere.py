"""Indonesian everywhere (issue 16, point 9) outside Qt: argparse's own messages, the
CLI's error prefix and --version help, dev.py, and the shipped label papers' names."""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shopdesk import i18n
from shopdesk.cli import main
from shopdesk.cli.parser import ARGPARSE_MESSAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("id")


def argparse_messages() -> set[str]:
    """Every literal argparse passes to its gettext (``_`` or ``ngettext``)."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
            found |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    return {text for text in found if isinstance(text, str)}


def test_every_argparse_message_has_indonesian():
    assert argparse_messages() <= set(ARGPARSE_MESSAGES)
    catalog = i18n.load_catalog("id")
    assert [m for m in ARGPARSE_MESSAGES if not catalog.get(m)] == []


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_and_usage_errors_in_indonesian(capsys):
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert "tampilkan versi program lalu keluar" in out
    assert "show program" not in out
    code, _out, err = run(capsys, "stock", "in", "--seller")
    assert code == 2 and "galat: argumen --seller: membutuhkan satu argumen" in err
    code, _out, err = run(capsys, "stock", "in", "--seller", "a", "KOPI-1", "3", "--bogus")
    assert code == 2 and "argumen tidak dikenal: --bogus" in err


def test_the_error_prefix_speaks_indonesian(capsys, home, monkeypatch):
    monkeypatch.delenv("SHOPDESK_PIN", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal to type a PIN into
    code, _out, err = run(capsys, "whoami", "--seller", "kopi")
    assert code != 0
    assert err.startswith("Galat: ") and "Error" not in err


def test_dev_py_speaks_the_apps_language():
    def usage(lang: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "dev.py")],
            capture_output=True,
            text=True,
            env={"SHOPDESK_LANG": lang, "PATH": "/usr/bin:/bin"},
            check=False,
        )
        assert done.returncode == 2
        return done.stdout

    assert "siapkan .venv, jalankan semua tes" in usage("id")
    assert "set up .venv, run the whole test suite" in usage("en")


def test_shipped_paper_names_in_indonesian_with_decimal_commas():
    from shopdesk.labels.papers import get_paper

    names = {pid: get_paper(pid).name for pid in ("a4-24up", "a4-40up", "roll-40x30", "tj-103")}
    assert names == {
        "a4-24up": "A4, 24 per lembar, 70 × 36 mm, tepi ke tepi",
        "a4-40up": "A4, 40 per lembar, 52,5 × 29,7 mm, tepi ke tepi",
        "roll-40x30": "Gulungan thermal 40 × 30 mm, 203 dpi",
        "tj-103": "Tom & Jerry / Koala No. 103, 64 × 32 mm, 12 per lembar",
    }
    i18n.set_language("en")
    assert get_paper("a4-40up").name == "A4, 40 per sheet, 52.5 × 29.7 mm, edge to edge"


def test_a_sellers_own_paper_keeps_its_name(tmp_path):
    from shopdesk.labels.papers import custom_paper, get_paper, save_user_paper

    paper = custom_paper(
        paper_id="stiker-pasar", name="Stiker pasar 5 × 3", page_width_mm=210,
        page_height_mm=297, label_width_mm=50, label_height_mm=30, columns=4, rows=9,
        left_mm=5, top_mm=8,
    )  # fmt: skip
    save_user_paper(paper, tmp_path)
    assert get_paper("stiker-pasar", tmp_path).name == "Stiker pasar 5 × 3"


ENGLISH_PLACEHOLDERS = re.compile(
    r"\b(NOTE|LIMIT|PRICE|COST|DESCRIPTION|OWNER_NAME|DISPLAY_NAME|CATEGORY|DAYS|PAPER|OUTPUT|"
    r"GRID|WEIGHT_G|SHELF_LIFE_DAYS|LISTING_URL|BARCODE|REASON|COPIES|PRINTER|UNIT|HALAL)\b"
)


@pytest.mark.parametrize(
    "command",
    [
        "stock in", "stock history", "product add", "variant edit", "shop edit",
        "seller create", "search", "sale list", "sale void", "report daily", "batch expiring",
        "labels print", "labels add-paper", "count start", "audit", "export",
        "bundle category-code",
    ],
)  # fmt: skip
def test_help_names_every_value_in_indonesian(capsys, command):
    code, out, _err = run(capsys, *command.split(), "--help")
    assert code == 0
    assert ENGLISH_PLACEHOLDERS.findall(out) == [], out
