"""No stray tracebacks (issue 17, point 7).

``shopdesk … | head``: a reader that stops early ends the command quietly with
141 (what a shell shows for a program stopped by SIGPIPE), nothing on stderr,
also when stdout is found closed only at the last flush. An XLSX export to a full
drive says the disk is full, prints no "Exception ignored" tracebacks of a zip or
sheet left open, and leaves no file. The full drive is a small tmpfs mounted here
as root, or, everywhere, a child whose files cannot grow (``RLIMIT_FSIZE``).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopdesk import stock, store
from shopdesk.cli import EXIT_READER_GONE
from shopdesk.errors import StorageError
from tests.conftest import PIN_A, ROOT
from tests.test_fault_storage import _fill, _mount_tmpfs, _umount

PRODUCTS = 1500  # `product list` then prints about 130 kB, more than a pipe holds


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, SHOPDESK_HOME=str(home), SHOPDESK_PIN=PIN_A)


def _command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "shopdesk", *argv]


@pytest.fixture
def many_products(home, seller, tmp_path, cli):
    table = tmp_path / "produk.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "name", "price", "category"])
        writer.writerows(
            [f"KRP-{n:04d}", f"Keripik Tempe Rasa Nomor {n}", 12000 + n, "Camilan"]
            for n in range(PRODUCTS)
        )
    code, out, err = cli("import", "--seller", "kopi", "--apply", str(table), pin=PIN_A)
    assert code == 0, out + err
    store.close_database()
    return home


def test_a_reader_that_stops_after_one_line_ends_the_command_quietly(many_products):
    """`shopdesk product list --seller kopi | head -1`, with head written in Python."""
    child = subprocess.Popen(
        _command("product", "list", "--seller", "kopi"),
        cwd=ROOT,
        env=_env(many_products),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # head -1 has what it wanted
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == EXIT_READER_GONE
    assert first.split()[0] == b"No."
    assert err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("--version",),
        ("whoami", "--seller", "kopi"),
        ("product", "list", "--seller", "kopi"),
    ],
)
def test_stdout_closed_before_the_first_byte_ends_quietly(home, seller, argv):
    """`shopdesk … | true`: small output stays buffered until the last flush, which
    is where the closed pipe is found. (--help is argparse's: it ignores its own
    write errors and ends with 0, quietly too.)"""
    store.close_database()
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            _command(*argv),
            cwd=ROOT,
            env=_env(home),
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (EXIT_READER_GONE, "")


@pytest.fixture
def full_stick(tmp_path):
    stick = tmp_path / "stick"
    if not _mount_tmpfs(stick, 512):
        pytest.skip("cannot mount a small tmpfs here (not root or no permission)")
    _fill(stick)
    yield stick
    _umount(stick)


# Movements and sales: the tables the reports write. (Stock and products were zipped in
# memory already; test_fault_storage covers writes of finished bytes to a full stick.)
@pytest.mark.parametrize("table", ["movements", "sales"])
def test_an_xlsx_export_to_a_full_stick_says_so_and_nothing_else(home, seller, full_stick, table):
    stock.receive(seller, sku=_product(seller), quantity=5)
    store.close_database()
    target = full_stick / f"{table}.xlsx"
    done = subprocess.run(
        _command("table-export", table, "--seller", "kopi", "--format", "xlsx", "-o", str(target)),
        cwd=ROOT,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == StorageError.exit_code, done.stdout + done.stderr
    assert done.stderr.split(": ", 1)[1].startswith("Disk penuh")
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert sorted(p.name for p in full_stick.iterdir()) == ["filler.bin"]


# A child whose files cannot grow past a limit: the fallback full disk.
FSIZE_EXPORT = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    from shopdesk import reports, store
    from shopdesk.errors import ShopDeskError
    from shopdesk.profiles import Session
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    store.open_database()
    table, target, limit, session = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    export = getattr(reports, "export_" + table)
    try:
        print(export(Session(**json.loads(session)), Path(target), "xlsx"), "rows")
    except ShopDeskError as exc:
        print(type(exc).__name__, exc.message)
    """
)


@pytest.mark.parametrize(
    "table,movements,limit,where",
    [
        # 0 sales: the sheet's rows fit, the finished file (about 5 kB) does not
        ("sales", 0, 3000, "out"),
        # 60 movements: openpyxl's temporary file of the rows outgrows the limit first
        ("movements", 60, 8000, "tmp"),
    ],
)
def test_an_xlsx_export_hitting_the_file_size_limit_in_a_child(
    home, seller, tmp_path, table, movements, limit, where
):
    sku = _product(seller)
    for _n in range(movements):
        stock.receive(seller, sku=sku, quantity=1, note="kiriman dari gudang")
    store.close_database()
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    session = json.dumps(dataclasses.asdict(seller))
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_EXPORT, table, str(out / "x.xlsx"), str(limit), session],
        cwd=ROOT,
        env=dict(_env(home), TMPDIR=str(tmp)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected = f"StorageError Disk penuh: {out / 'x.xlsx' if where == 'out' else tmp}."
    assert done.stdout.startswith(expected), done.stdout + done.stderr
    assert done.stderr == ""  # no "Exception ignored" of a zip, a sheet or a file
    assert list(out.iterdir()) == [] and list(tmp.iterdir()) == []


def _product(seller) -> str:
    from shopdesk import catalog

    return catalog.create_product(seller, name="Kopi Sindoro", price=35000, sku="KOPI-1").sku
