"""Who can open what ShopDesk writes (issue 17, point 5).

In the data folder everything is this account's only, whatever the umask: folders
0700, files 0600 (the database, its -wal and -shm, backups, photos, the log, the
lock). What the seller exports elsewhere is meant for others and keeps the modes
the user's umask gives. ``doctor`` names a data folder others can open and says how
to close it; on Windows it explains the shared folder.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from shopdesk import doctor, i18n, paths, store, tabular
from shopdesk.safe_io import write_bytes_atomic
from tests.conftest import ROOT, server_admin_url

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")

DEMO_PASSWORD = "operator-demo"  # what `shopdesk demo` sets


@pytest.fixture
def umask():
    """umask(value): set the process umask for the test; the old one comes back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _not_private(folder: Path) -> list[str]:
    """Every folder and file under ``folder`` (itself included) that is not 0700/0600."""
    wrong = []
    for root, _dirs, names in os.walk(folder):
        if _mode(Path(root)) != 0o700:
            wrong.append(f"{oct(_mode(Path(root)))} {root}/")
        for name in names:
            path = Path(root, name)
            if _mode(path) != 0o600:
                wrong.append(f"{oct(_mode(path))} {path}")
    return wrong


# The real CLI entry point, command after command in one child process (one start-up
# instead of ten): each line of argv is one command and the status it must end with.
# The last one crashes on purpose, so that its error goes to the log file.
CHAIN = """
import json, sys
import pytest  # a child of the test suite: cheap PIN hashes (profiles._test_suite_hashing)
from shopdesk import catalog, cli
def broken(*args, **kwargs):
    raise RuntimeError("planted")
for argv, expected in json.loads(sys.argv[1]):
    if argv[:2] == ["product", "list"]:
        catalog.list_products = broken
    code = cli.main(argv)
    if code != expected:
        sys.exit(f"{argv}: status {code}, expected {expected}")
"""


def _shopdesk(home: Path, mask: int, *commands: tuple[list[str], int]) -> str:
    """Run ``commands`` in a child that starts with the user's umask ``mask``."""
    env = dict(
        os.environ,
        SHOPDESK_HOME=str(home),
        SHOPDESK_PIN="123456",
        SHOPDESK_OPERATOR_PASSWORD=DEMO_PASSWORD,
    )
    done = subprocess.run(
        [sys.executable, "-c", CHAIN, json.dumps(commands)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.umask(mask),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _jpeg(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 48), (200, 120, 40)).save(path, "JPEG")
    return path


@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_everything_in_the_data_folder_is_private_and_exports_are_not(tmp_path, mask):
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    photo = str(_jpeg(tmp_path / "foto.jpg"))
    # The database, the sellers, imported photos, backups, a photo, a sale (-wal, -shm).
    _shopdesk(
        home,
        mask,
        (["demo"], 0),
        (["backup", "now"], 0),
        (["product", "photo-add", "--seller", "kopi", "KOPI-0001", photo], 0),
        (["sale", "record", "--seller", "kopi", "KOPI-0001:1"], 0),
    )
    full = sorted((home / "backups").glob("shopdesk-full-*-manual.zip"))[-1]
    xlsx = ["table-export", "movements", "--seller", "kopi", "--format", "xlsx"]
    report = _shopdesk(
        home,
        mask,
        (["backup", "restore", str(full), "--yes"], 0),
        ([*xlsx, "-o", str(out / "mutasi.xlsx")], 0),
        (["export", "--seller", "kopi", "--targets", "generic", "-o", str(out)], 0),
        (["product", "list", "--seller", "kopi"], 70),  # the error log
        (["--lang", "en", "doctor"], 0),
    )

    made = {p.name for p in home.iterdir()}
    assert made >= {"shopdesk.lock", "backups", "media", "cache", "logs"}
    on_a_server = bool(server_admin_url())  # then the rows live there, not in the folder
    assert (paths.DB_FILENAME in made) != on_a_server
    assert list((home / "media").rglob("*.*")) and list((home / "logs").iterdir())
    assert _not_private(home) == []
    assert "only this account can open it" in report

    # What the seller exports is for others: the user's umask decides, as before.
    bundle = next(p for p in out.iterdir() if p.is_dir())
    assert _mode(out / "mutasi.xlsx") == 0o666 & ~mask
    assert _mode(bundle) == 0o777 & ~mask
    assert {_mode(p) for p in bundle.rglob("*") if p.is_file()} == {0o666 & ~mask}


def test_a_new_database_its_wal_and_shm_and_folder_are_private_under_umask_0(tmp_path, umask):
    umask(0o000)
    folder = tmp_path / "baru"
    store.close_database()
    try:
        db = store.open_database(folder / paths.DB_FILENAME)
        db.execute_sql("CREATE TABLE probe (x)")
        names = {p.name: _mode(p) for p in folder.iterdir()}
    finally:
        store.close_database()
    assert _mode(folder) == 0o700
    db_name = paths.DB_FILENAME
    assert {db_name, f"{db_name}-wal", f"{db_name}-shm"} <= set(names)
    assert set(names.values()) == {0o600}, names


def test_files_keep_private_in_the_data_folder_and_shared_elsewhere(tmp_path, monkeypatch, umask):
    umask(0o022)
    home = tmp_path / "home"
    monkeypatch.setenv("SHOPDESK_HOME", str(home))
    paths.ensure_data_dir()
    with paths.private_files():  # as under the CLI and the app
        write_bytes_atomic(home / "kept.bin", b"x")
        write_bytes_atomic(tmp_path / "label.pdf", b"%PDF")
        tabular.write_csv(tmp_path / "produk.csv", ["name"], [["Kopi"]])
        (home / "made-by-a-library").mkdir()
    assert _mode(home) == 0o700 and _mode(home / "made-by-a-library") == 0o700
    assert _mode(home / "kept.bin") == 0o600
    assert _mode(tmp_path / "label.pdf") == 0o644
    assert _mode(tmp_path / "produk.csv") == 0o644
    assert os.umask(0o022) == 0o022  # the user's umask came back


def _doctor(operator) -> list[doctor.Finding]:
    """doctor as the CLI runs it: in English here, under the command's private umask."""
    i18n.set_language("en")
    with paths.private_files():
        return doctor.run(operator)


@pytest.mark.sqlite_only  # the database file's own mode
def test_doctor_names_a_folder_others_can_open_and_its_fix_works(home, operator):
    assert _finding(_doctor(operator), "only this account").status == doctor.OK
    home.chmod(0o755)
    (home / paths.DB_FILENAME).chmod(0o644)
    (home / "logs").mkdir(mode=0o700, exist_ok=True)
    (home / "logs" / "old.log").write_text("x")
    (home / "logs" / "old.log").chmod(0o640)

    loose = _finding(_doctor(operator), "other accounts")
    assert loose.status == doctor.WARN and "open 3 of its" in loose.what
    command = loose.todo.split(": ", 1)[1]
    assert command.startswith("chmod -R go= ")
    subprocess.run(shlex.split(command), check=True)  # what the operator is told to run

    assert _not_private(home) == []
    assert _finding(_doctor(operator), "only this account").status == doctor.OK


def test_doctor_flags_only_the_folder_when_only_the_folder_is_open(home, operator):
    home.chmod(0o755)
    loose = _finding(_doctor(operator), "other accounts")
    assert loose.status == doctor.WARN and "open 1 of its" in loose.what


@pytest.mark.parametrize("shared", [True, False])
def test_doctor_on_windows_explains_the_shared_folder(home, operator, monkeypatch, shared):
    fake_os = types.ModuleType("os")
    fake_os.__dict__.update(os.__dict__)
    fake_os.name = "nt"
    monkeypatch.setattr(doctor, "os", fake_os)
    monkeypatch.setattr(paths, "is_shared_folder", lambda folder: shared)
    home.chmod(0o755)  # Windows has no modes to read: the ACLs decide, and the text says so
    finding = next(f for f in _doctor(operator) if "Windows" in f.what + f.todo)
    assert finding.status == doctor.OK
    if shared:
        assert "every seller's Windows account can write" in finding.what
        assert "copy the database" in finding.todo
    else:
        assert "belongs to this Windows account only" in finding.what
        assert "installer" in finding.todo


def _finding(findings: list[doctor.Finding], words: str) -> doctor.Finding:
    found = [f for f in findings if words in f.what]
    assert len(found) == 1, [f.what for f in findings]
    return found[0]
