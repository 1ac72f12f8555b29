"""The CLI over the foundation: help in two languages, one-line errors."""

import os
import subprocess
import sys

from shopdesk import __version__
from tests.conftest import OPERATOR_PASSWORD, PIN_A, ROOT


def run_cli(*args, home, **env):
    full_env = dict(os.environ, SHOPDESK_HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "shopdesk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
    )


def test_help_is_indonesian_by_default_and_english_on_request(tmp_path):
    indonesian = run_cli("--help", home=tmp_path)
    assert indonesian.returncode == 0
    assert "pemakaian:" in indonesian.stdout and "tampilkan bantuan ini" in indonesian.stdout
    english = run_cli("--lang", "en", "--help", home=tmp_path)
    assert "usage:" in english.stdout and "show this help message" in english.stdout
    assert run_cli("--version", home=tmp_path).stdout.strip() == f"ShopDesk {__version__}"


def test_usage_errors_are_translated(tmp_path):
    done = run_cli("seller", "hapus", home=tmp_path)
    assert done.returncode == 2
    assert "pilihan tidak valid" in done.stderr


def test_whole_flow_through_the_cli(tmp_path):
    assert (
        run_cli("init", home=tmp_path, SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD).returncode == 0
    )
    created = run_cli(
        "seller",
        "create",
        "kopi",
        "--display-name",
        "Sri",
        "--shop",
        "Kopi Sindoro",
        "--whatsapp",
        "0812-2700-1234",
        home=tmp_path,
        SHOPDESK_OPERATOR_PASSWORD=OPERATOR_PASSWORD,
        SHOPDESK_NEW_PIN=PIN_A,
    )
    assert created.returncode == 0, created.stderr
    assert "Kode pemulihan" in created.stdout
    who = run_cli("whoami", "--seller", "kopi", home=tmp_path, SHOPDESK_PIN=PIN_A)
    assert who.returncode == 0 and "Kopi Sindoro" in who.stdout and "+6281227001234" in who.stdout
    listed = run_cli("seller", "list", home=tmp_path)
    assert "kopi" in listed.stdout
    log = (tmp_path / "logs").glob("*.log")
    for path in log:
        assert PIN_A not in path.read_text() and OPERATOR_PASSWORD not in path.read_text()


def test_errors_are_one_clear_line_and_change_nothing(tmp_path):
    run_cli("demo", home=tmp_path)
    cases = [
        (("whoami", "--seller", "kopi"), {"SHOPDESK_PIN": "000000"}, "PIN salah.", 4),
        (
            ("whoami", "--seller", "siapa"),
            {"SHOPDESK_PIN": "123456"},
            "Tidak ada penjual bernama",
            3,
        ),
        (
            ("seller", "create", "baru", "--display-name", "B", "--shop", "B", "--whatsapp", "123"),
            {"SHOPDESK_OPERATOR_PASSWORD": "operator-demo", "SHOPDESK_NEW_PIN": "123456"},
            "bukan nomor telepon yang valid",
            2,
        ),
        (
            ("seller", "create", "baru", "--display-name", "B", "--shop", "B"),
            {"SHOPDESK_OPERATOR_PASSWORD": "operator-demo", "SHOPDESK_NEW_PIN": "123"},
            "PIN terdiri dari 6",
            2,
        ),
        (("seller", "disable", "kopi"), {"SHOPDESK_OPERATOR_PASSWORD": "salah-salah"}, "salah", 4),
    ]
    for args, env, message, code in cases:
        done = run_cli(*args, home=tmp_path, **env)
        assert done.returncode == code, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], done.stderr
        assert "Traceback" not in done.stderr
    listed = run_cli("seller", "list", home=tmp_path).stdout
    assert "baru" not in listed


def test_english_errors(tmp_path):
    run_cli("demo", home=tmp_path)
    done = run_cli(
        "--lang", "en", "whoami", "--seller", "kopi", home=tmp_path, SHOPDESK_PIN="000000"
    )
    assert done.stderr.strip() == "Error: Wrong PIN."


def test_demo_is_idempotent(tmp_path):
    first = run_cli("demo", "--if-missing", home=tmp_path)
    second = run_cli("demo", "--if-missing", home=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "sudah ada" in second.stdout


def test_debug_shows_the_traceback(tmp_path):
    run_cli("demo", home=tmp_path)
    done = run_cli("--debug", "whoami", "--seller", "kopi", home=tmp_path, SHOPDESK_PIN="000000")
    assert "Traceback" in done.stderr
