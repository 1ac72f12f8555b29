"""Test switches stay in tests: SHOPDESK_FAST_HASH=1 makes cheap hashes only
inside the test suite, and a hash weaker than today's settings is replaced at
the next right login."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from argon2 import PasswordHasher, Type

from shopdesk import paths, profiles
from shopdesk.errors import AuthError
from shopdesk.store.models import Operator, Seller
from tests.conftest import OPERATOR_PASSWORD, PIN_A, ROOT

FULL = "$argon2id$v=19$m=65536,t=3,p=4$"
TEST_SET = "$argon2id$v=19$m=256,t=1,p=1$"


def _shopdesk(home, *args: str, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shopdesk", *args],
        cwd=ROOT,
        env=dict(os.environ, SHOPDESK_HOME=str(home), SHOPDESK_FAST_HASH="1", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.sqlite_only  # reads the SQLite file
def test_the_switch_is_ignored_outside_the_test_suite(tmp_path):
    """The real CLI, with the switch set (and pytest's own variables inherited),
    but without pytest loaded: every new hash has the full parameters."""
    home = tmp_path / "home"
    password = {"SHOPDESK_OPERATOR_PASSWORD": OPERATOR_PASSWORD}
    _shopdesk(home, "init", **password)
    _shopdesk(
        home,
        "seller",
        "create",
        "kopi",
        "--display-name",
        "Sri",
        "--shop",
        "Kopi Sindoro",
        SHOPDESK_NEW_PIN=PIN_A,
        **password,
    )
    con = sqlite3.connect(home / paths.DB_FILENAME)
    try:
        hashes = [*con.execute("SELECT pin_hash, recovery_hash FROM seller").fetchone()]
        hashes += [con.execute("SELECT password_hash FROM operator").fetchone()[0]]
    finally:
        con.close()
    assert [h[: len(FULL)] for h in hashes] == [FULL] * 3


def test_the_frozen_app_ignores_the_switch(monkeypatch):
    assert profiles.hasher().hash("123456").startswith(TEST_SET)  # the suite's cheap set
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert profiles.hasher().hash("123456").startswith(FULL)


def _pin_hash() -> str:
    return Seller.get(Seller.login == "kopi").pin_hash


def test_a_weak_pin_hash_is_replaced_at_the_next_right_login(seller, monkeypatch):
    """The fixture's hash has the test set: weak by today's real settings."""
    monkeypatch.delenv("SHOPDESK_FAST_HASH")
    weak = _pin_hash()
    assert weak.startswith(TEST_SET)
    with pytest.raises(AuthError):
        profiles.seller_login(login="kopi", pin="000000")
    assert _pin_hash() == weak  # a wrong PIN replaces nothing
    profiles.seller_login(login="kopi", pin=PIN_A)
    replaced = _pin_hash()
    assert replaced.startswith(FULL)
    assert profiles.seller_login(login="kopi", pin=PIN_A).login == "kopi"  # the PIN still works
    assert _pin_hash() == replaced  # and is not hashed again
    monkeypatch.setenv("SHOPDESK_FAST_HASH", "1")
    profiles.seller_login(login="kopi", pin=PIN_A)
    assert _pin_hash() == replaced  # cheaper settings never downgrade a hash


def test_a_weak_operator_hash_is_replaced_too(operator, monkeypatch):
    monkeypatch.delenv("SHOPDESK_FAST_HASH")
    profiles.operator_login(password=OPERATOR_PASSWORD)
    assert Operator.get().password_hash.startswith(FULL)
    assert profiles.operator_login(password=OPERATOR_PASSWORD).username == "admin"


def test_an_older_kind_of_hash_is_replaced(seller):
    """argon2i (another type), even with more memory, is not what ShopDesk makes now."""
    older = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, type=Type.I)
    Seller.update(pin_hash=older.hash(PIN_A)).execute()
    profiles.seller_login(login="kopi", pin=PIN_A)
    assert _pin_hash().startswith("$argon2id$")
