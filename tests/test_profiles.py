"""Sellers on one shared PC: PINs, delays, recovery, operator limits, audit."""

import os
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from shopdesk import audit, profiles, store
from shopdesk.errors import AuthError, NotFoundError, ValidationError
from shopdesk.store.models import AuditLog, Operator, Seller, Shop
from tests.conftest import OPERATOR_PASSWORD, PIN_A


def test_whatsapp_is_stored_in_international_form(seller):
    assert profiles.shop_info(seller).whatsapp == "+6281227001234"


@pytest.mark.parametrize("phone", ["12345", "0812", "abc", "+1 202 555 01"])
def test_invalid_phone_is_refused_and_nothing_is_created(operator, phone):
    with pytest.raises(ValidationError) as caught:
        profiles.create_seller(
            operator, login="baru", display_name="Baru", pin="123456", shop_name="X", whatsapp=phone
        )
    assert "0812 3456 7890" in caught.value.message
    assert Shop.select().count() == 0 and Seller.select().count() == 0


@pytest.mark.parametrize("pin", ["12345", "abcdef", "12 3456", "", "１２３４５６"])
def test_short_or_non_digit_pin_is_refused(operator, pin):
    with pytest.raises(ValidationError):
        profiles.create_seller(operator, login="baru", display_name="Baru", pin=pin, shop_name="X")
    assert Seller.select().count() == 0


def test_short_operator_password_is_refused(home):
    with pytest.raises(ValidationError) as caught:
        profiles.create_operator(password="1234567")
    assert "8" in caught.value.message
    assert Operator.select().count() == 0


@pytest.mark.sqlite_only  # dumps the SQLite file
def test_secrets_are_hashed_with_argon2id_and_never_stored_in_clear(seller):
    row = Seller.get(Seller.login == "kopi")
    assert row.pin_hash.startswith("$argon2id$")
    assert PIN_A not in row.pin_hash
    assert Operator.get().password_hash.startswith("$argon2id$")
    dump = "\n".join(store.database.obj.connection().iterdump())
    assert PIN_A not in dump and OPERATOR_PASSWORD not in dump


def test_real_argon2_parameters_are_the_documented_ones(monkeypatch):
    monkeypatch.delenv("SHOPDESK_FAST_HASH")
    encoded = profiles.hasher().hash("123456")
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PasswordHasher(memory_cost=65536, time_cost=3, parallelism=4).verify(encoded, "123456")


def test_wrong_pin_counts_in_the_database_and_the_wait_grows(seller, monkeypatch):
    delays = []
    for attempt in range(1, 6):
        Seller.update(next_attempt_at=None).where(Seller.login == "kopi").execute()
        with pytest.raises(AuthError):
            profiles.seller_login(login="kopi", pin="000000")
        row = Seller.get(Seller.login == "kopi")
        assert row.failed_attempts == attempt
        delays.append(profiles.retry_delay(attempt))
    assert delays == [0, 0, 2, 4, 8]
    assert profiles.retry_delay(40) == profiles.MAX_DELAY_SECONDS


def test_waiting_is_enforced_even_with_the_right_pin_and_survives_a_restart(seller):
    for _attempt in range(4):
        Seller.update(next_attempt_at=None).where(Seller.login == "kopi").execute()
        with pytest.raises(AuthError):
            profiles.seller_login(login="kopi", pin="000000")
    store.close_database()
    store.open_database()  # a restart keeps the count and the wait
    with pytest.raises(AuthError) as caught:
        profiles.seller_login(login="kopi", pin=PIN_A)
    assert "Tunggu" in caught.value.message
    row = Seller.get(Seller.login == "kopi")
    assert row.failed_attempts == 4
    Seller.update(next_attempt_at=row.next_attempt_at - timedelta(hours=1)).where(
        Seller.id == row.id
    ).execute()
    session = profiles.seller_login(login="kopi", pin=PIN_A)
    assert session.login == "kopi"
    assert Seller.get(Seller.login == "kopi").failed_attempts == 0


def test_unknown_and_disabled_sellers(operator, seller):
    with pytest.raises(NotFoundError):
        profiles.seller_login(login="tidakada", pin="123456")
    profiles.set_seller_disabled(operator, login="kopi", disabled=True)
    with pytest.raises(AuthError) as caught:
        profiles.seller_login(login="kopi", pin=PIN_A)
    assert "dinonaktifkan" in caught.value.message
    assert [p.login for p in profiles.list_profiles()] == []
    profiles.set_seller_disabled(operator, login="kopi", disabled=False)
    assert profiles.seller_login(login="kopi", pin=PIN_A).login == "kopi"


def test_recovery_code_sets_a_new_pin_once(operator):
    _profile, code = profiles.create_seller(
        operator, login="gula", display_name="Gula", pin="123456", shop_name="Gula Aren"
    )
    with pytest.raises(AuthError):
        profiles.reset_pin(login="gula", recovery_code="AAAA-BBBB-CCCC", new_pin="654321")
    new_code = profiles.reset_pin(login="gula", recovery_code=code.lower(), new_pin="654321")
    assert profiles.seller_login(login="gula", pin="654321").login == "gula"
    with pytest.raises(AuthError):
        profiles.reset_pin(login="gula", recovery_code=code, new_pin="111111")
    assert new_code != code


def test_operator_session_cannot_open_shop_data(operator, seller):
    with pytest.raises(AuthError):
        profiles.shop_info(operator)
    with pytest.raises(AuthError):
        profiles.update_shop(operator, name="Diambil")


def test_seller_cannot_manage_profiles(seller):
    with pytest.raises(AuthError):
        profiles.create_seller(seller, login="x1", display_name="X", pin="123456", shop_name="X")
    with pytest.raises(AuthError):
        profiles.set_seller_disabled(seller, login="kopi", disabled=True)


def test_audit_log_records_logins_and_is_append_only(seller):
    with pytest.raises(AuthError):
        profiles.seller_login(login="kopi", pin="999999")
    actions = [e.action for e in audit.entries(seller)]
    assert "login.failed" in actions and "login" in actions and "seller.create" in actions
    with pytest.raises(Exception, match="append-only"):
        AuditLog.update(action="x").execute()
    with pytest.raises(Exception, match="append-only"):
        AuditLog.delete().execute()


def test_update_shop_validates_everything_before_writing(seller):
    with pytest.raises(ValidationError):
        profiles.update_shop(seller, address="Jl. Baru", pirt_number="12345")
    assert profiles.shop_info(seller).address == "Jl. Raya Kledung 12, Temanggung"
    info = profiles.update_shop(seller, pirt_number="2063201010123 28", timezone="wita")
    assert info.pirt_number == "2063201010123-28" and info.timezone == "WITA"


def test_fast_hash_is_only_a_test_setting():
    assert os.environ.get("SHOPDESK_FAST_HASH") == "1"
    assert profiles.ARGON2_PARAMS["memory_cost"] == 65536
