"""Security on the shared PC: PIN guessing, argon2id, append-only audit log,
no secret in logs, the audit table or backups."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import datetime, timedelta

import pytest

from shopdesk import backup, paths, profiles, store
from shopdesk.errors import AuthError
from shopdesk.store.models import AuditLog, Movement, Seller
from tests import figures
from tests.conftest import ROOT


def test_pin_guessing_is_slow_even_for_a_tireless_script(seller, monkeypatch, request):
    """A script that tries PINs as fast as the waits allow, on a simulated clock."""
    now = [datetime(2026, 11, 29, 8, 0)]
    monkeypatch.setattr(profiles, "utcnow", lambda: now[0])
    end = now[0] + timedelta(hours=24)
    guesses = refused = 0
    pin = 0
    while now[0] < end:
        try:
            profiles.seller_login(login="kopi", pin=f"{pin:06d}" if pin != 111111 else "000000")
        except AuthError as exc:
            if "Tunggu" in exc.message:
                refused += 1
                row = Seller.get(Seller.login == "kopi")
                now[0] = max(now[0] + timedelta(seconds=1), row.next_attempt_at)
                continue
            guesses += 1
            pin += 1
    years = (10**6 / 2) / guesses / 365
    figures.report(
        request,
        f"\nPIN guessing: {guesses} guesses in 24 h ({refused} refused while waiting); "
        f"half of the 1,000,000 six-digit PINs would take {years:.0f} years",
    )
    assert guesses < 120
    assert Seller.get(Seller.login == "kopi").failed_attempts == guesses


def test_the_wait_is_in_the_database_and_holds_across_processes(home, seller):
    """Each wrong PIN from a separate process counts; a wait written by one
    process holds for the next (a restart resets nothing)."""
    store.close_database()
    env = dict(os.environ, SHOPDESK_HOME=str(home))

    def whoami(pin: str) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-m", "shopdesk", "whoami", "--seller", "kopi"],
            cwd=ROOT,
            env=dict(env, SHOPDESK_PIN=pin),
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.returncode, done.stderr.strip()

    codes = [whoami(pin)[0] for pin in ("000001", "000002", "000003")]
    store.open_database()
    row = Seller.get(Seller.login == "kopi")
    assert codes == [4, 4, 4] and row.failed_attempts == 3 and row.next_attempt_at
    # Many failures later the wait is long (simulated); the right PIN must wait too.
    Seller.update(next_attempt_at=datetime.utcnow() + timedelta(minutes=10)).execute()
    store.close_database()
    code, message = whoami("111111")
    store.open_database()
    assert code == 4 and "Tunggu" in message


GUESSER = textwrap.dedent(
    """
    import sys, time
    from shopdesk import store, profiles
    from shopdesk.errors import AuthError
    store.open_database()
    start = float(sys.argv[1])
    time.sleep(max(0.0, start - time.time()))
    try:
        profiles.seller_login(login="kopi", pin=sys.argv[2])
    except AuthError as exc:
        print("WAIT" if "Tunggu" in exc.message else "WRONG")
    """
)


def test_guesses_started_in_parallel_queue_behind_the_wait(home, operator, monkeypatch, request):
    """Ten failures are behind, and the wait has just run out. Eight scripts guess
    at the same instant: one is checked, the seven others meet the new wait of
    several minutes (each attempt is booked before its PIN is checked; checking
    first would let all eight through the same open moment)."""
    monkeypatch.delenv("SHOPDESK_FAST_HASH")  # a real, slow argon2 hash widens the race
    profiles.create_seller(operator, login="kopi", display_name="Sri", pin="111111", shop_name="K")
    Seller.update(failed_attempts=10, next_attempt_at=None).execute()
    store.close_database()
    start = time.time() + 3
    env = dict(os.environ, SHOPDESK_HOME=str(home))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GUESSER, str(start), f"{n:06d}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = [p.communicate(timeout=120)[0].strip() for p in procs]
    store.open_database()
    checked = results.count("WRONG")
    figures.report(
        request,
        f"\nparallel guessing: 8 at once, {checked} PINs checked, {results.count('WAIT')} refused",
    )
    assert checked == 1 and results.count("WAIT") == 7
    assert Seller.get(Seller.login == "kopi").failed_attempts == 11


def test_a_real_seller_hash_has_the_documented_argon2id_parameters(operator, monkeypatch):
    monkeypatch.delenv("SHOPDESK_FAST_HASH")
    profiles.create_seller(operator, login="asli", display_name="Asli", pin="482913", shop_name="A")
    row = Seller.get(Seller.login == "asli")
    for encoded in (row.pin_hash, row.recovery_hash):
        assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert profiles.ARGON2_PARAMS["memory_cost"] == 65536
    assert profiles.ARGON2_PARAMS["time_cost"] == 3 and profiles.ARGON2_PARAMS["parallelism"] == 4


def test_the_audit_log_and_ledger_cannot_be_altered(seller):
    from shopdesk import catalog, stock

    catalog.create_product(seller, name="Kopi", price=1000, sku="K-1")
    stock.receive(seller, sku="K-1", quantity=3)
    entry = AuditLog.select().first()
    for attempt in (
        lambda: AuditLog.update(action="nothing").execute(),
        lambda: AuditLog.delete().execute(),
        lambda: AuditLog.delete_by_id(entry.id),
        lambda: store.database.execute_sql("UPDATE audit_log SET detail = ''"),
        lambda: store.database.execute_sql("DELETE FROM audit_log"),
        lambda: Movement.delete().execute(),
        lambda: store.database.execute_sql("UPDATE movement SET quantity = 0"),
    ):
        with pytest.raises(Exception, match="append-only"), store.database.atomic():
            attempt()
    assert AuditLog.get_by_id(entry.id).action == entry.action


SECRETS = {
    "operator password": "Sandi-Operator-7351",
    "pin": "739184",
    "wrong pin": "739185",
    "new pin": "558201",
}


def test_no_secret_in_logs_audit_table_database_or_backups(cli, tmp_path, request):
    code, _out, err = cli("init", password=SECRETS["operator password"])
    assert code == 0, err
    code, out, err = cli(
        "seller",
        "create",
        "kopi",
        "--display-name",
        "Sri",
        "--shop",
        "Kopi Sindoro",
        password=SECRETS["operator password"],
        env={"SHOPDESK_NEW_PIN": SECRETS["pin"]},
    )
    assert code == 0, err
    recovery = out.split(":")[-1].strip()
    cli("whoami", "--seller", "kopi", pin=SECRETS["wrong pin"])
    Seller.update(next_attempt_at=None).execute()
    code, out, err = cli(
        "seller",
        "reset-pin",
        "kopi",
        env={"SHOPDESK_RECOVERY_CODE": recovery, "SHOPDESK_NEW_PIN": SECRETS["new pin"]},
    )
    assert code == 0, err
    new_recovery = out.split(":")[-1].strip()
    cli("backup", "now", "--seller", "kopi", "--to", tmp_path, pin=SECRETS["new pin"])
    cli("backup", "now", password=SECRETS["operator password"])
    cli("doctor", password=SECRETS["operator password"])
    from shopdesk.logging_setup import log_exception

    try:  # a crash while a PIN is in the air: the log has the traceback only
        raise RuntimeError("boom")
    except RuntimeError:
        log_exception("test")
    secrets = {**SECRETS, "recovery": recovery, "new recovery": new_recovery}
    audit_text = "\n".join(
        f"{a.actor} {a.action} {a.detail}" for a in AuditLog.select().order_by(AuditLog.id)
    )
    haystacks = {"audit table": audit_text}
    for log in paths.logs_dir().glob("*"):
        haystacks[f"log {log.name}"] = log.read_text(errors="replace")
    store.close_database()
    for suffix in ("", "-wal"):
        raw = paths.database_path().with_name(paths.DB_FILENAME + suffix)
        if raw.exists():
            haystacks[f"database file{suffix}"] = raw.read_bytes().decode("latin-1")
    for path in [*tmp_path.glob("*.zip"), *paths.backups_dir().glob("*.zip")]:
        with zipfile.ZipFile(path) as archive:
            haystacks[path.name] = b"".join(archive.read(n) for n in archive.namelist()).decode(
                "latin-1"
            )
    store.open_database()
    found = [
        (what, where) for what, s in secrets.items() for where, h in haystacks.items() if s in h
    ]
    figures.report(
        request,
        f"\nsecrets: {len(secrets)} secrets searched in {len(haystacks)} places, found {found}",
    )
    assert "login.failed" in audit_text and "seller.reset_pin" in audit_text
    assert found == []


def test_a_shop_backup_carries_no_pin_hash(seller, tmp_path):
    info = backup.backup_now(seller, folder=tmp_path)
    with zipfile.ZipFile(info.path) as archive:
        raw = archive.read(backup.DB_MEMBER)
    assert b"$argon2" not in raw
