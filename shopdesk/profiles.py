"""Sellers and the operator on one shared PC.

A seller logs in with a PIN and gets a ``Session``: every core service takes
it and filters by ``session.shop_id``. The operator (village admin) manages
profiles and whole-PC backups with a password and gets an ``OperatorSession``,
which no service that reads shop data accepts.

PINs, passwords and recovery codes are hashed with argon2id and never stored
or logged in clear. Failed attempts are counted in the database, and each one
makes the next attempt wait longer (``retry_delay``), across restarts. A right
secret is never counted as a failure, whatever the disk does (``_attempt``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from shopdesk import audit, store
from shopdesk.clock import ZONES, utcnow
from shopdesk.errors import AuthError, DatabaseError, NotFoundError, StorageError, ValidationError
from shopdesk.i18n import _
from shopdesk.store.models import Operator, Seller, Shop
from shopdesk.validators import (
    check_login,
    check_password,
    check_pin,
    check_text,
    normalize_pirt,
    normalize_whatsapp,
)

if TYPE_CHECKING:
    from pathlib import Path

    from argon2 import PasswordHasher


class Argon2Params(TypedDict):
    time_cost: int
    memory_cost: int
    parallelism: int


# argon2id as documented in the README: RFC 9106's second recommended set
# (64 MiB, 3 passes, 4 lanes), about 0.25 s on a modest PC. Well above OWASP's
# minimum of 19 MiB and 2 passes.
# argon2 itself is imported at the first hash or check, not before the login window.
ARGON2_PARAMS: Argon2Params = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}
# The test suite sets SHOPDESK_FAST_HASH=1 to create hashes cheaply (see
# ``_test_suite_hashing``); verifying always uses the parameters stored in each hash.
_FAST_PARAMS: Argon2Params = {"time_cost": 1, "memory_cost": 256, "parallelism": 1}
FREE_ATTEMPTS = 2  # mistypes allowed before any wait
MAX_DELAY_SECONDS = 15 * 60
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _test_suite_hashing() -> bool:
    """The cheap test set is honoured only inside the test suite: the variable is
    set, pytest is loaded in this process, and this is not the frozen app. A
    variable left behind in a seller's environment then weakens nothing."""
    return (
        os.environ.get("SHOPDESK_FAST_HASH") == "1"
        and "pytest" in sys.modules
        and not getattr(sys, "frozen", False)
    )


def hasher() -> PasswordHasher:
    """argon2id with ``ARGON2_PARAMS`` (or the cheap test set, in the test suite)."""
    from argon2 import PasswordHasher, Type

    params = _FAST_PARAMS if _test_suite_hashing() else ARGON2_PARAMS
    return PasswordHasher(**params, type=Type.ID)


def weaker_than_current(stored_hash: str) -> bool:
    """Whether a hash was made with weaker settings than today's (an older
    release, or the test set leaking out): it is replaced at the next right
    login. A hash at least as strong is kept, so a cheaper setting never
    downgrades one."""
    from argon2 import Type, extract_parameters
    from argon2.exceptions import InvalidHashError
    from argon2.low_level import ARGON2_VERSION

    current = hasher()
    if not current.check_needs_rehash(stored_hash):
        return False
    try:
        old = extract_parameters(stored_hash)
    except InvalidHashError:
        return True
    return (
        old.type is not Type.ID
        or old.version < ARGON2_VERSION
        or old.memory_cost < current.memory_cost
        or old.time_cost < current.time_cost
        or old.hash_len < current.hash_len
        or old.salt_len < current.salt_len
    )


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after this many failures: 0, 0, 2, 4, 8 ... up to 15 min."""
    if failed_attempts <= FREE_ATTEMPTS:
        return 0
    return min(1 << (failed_attempts - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def verify_secret(stored_hash: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _normalize_recovery(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@dataclass(frozen=True)
class Session:
    """A logged-in seller. Services read ``shop_id`` from here, never from input."""

    seller_id: int
    shop_id: int
    login: str
    display_name: str
    shop_name: str
    timezone: str
    language: str

    @property
    def actor(self) -> str:
        return f"seller:{self.login}"


@dataclass(frozen=True)
class OperatorSession:
    operator_id: int
    username: str

    @property
    def actor(self) -> str:
        return f"operator:{self.username}"


@dataclass(frozen=True)
class SellerProfile:
    """What the profile picker may show before anyone logs in."""

    login: str
    display_name: str
    shop_name: str
    logo: str
    disabled: bool


@dataclass(frozen=True)
class ShopInfo:
    id: int
    name: str
    owner_name: str
    address: str
    village: str
    district: str
    whatsapp: str
    pirt_number: str
    halal_cert_number: str
    logo: str
    timezone: str


SHOP_FIELDS = (
    "name",
    "owner_name",
    "address",
    "village",
    "district",
    "whatsapp",
    "pirt_number",
    "halal_cert_number",
    "timezone",
)


def require_seller(session: object) -> Session:
    """Guard for services that read a shop's data: the operator is refused."""
    if not isinstance(session, Session):
        raise AuthError(_("Log in as a seller first. The operator cannot open a shop's data."))
    return session


# --- operator ------------------------------------------------------------


def operator_exists() -> bool:
    return Operator.select().exists()


def create_operator(*, password: str, username: str = "admin") -> OperatorSession:
    check_password(password)
    with store.transaction():
        if Operator.select().exists():
            raise ValidationError(_("The operator already exists. Log in with its password."))
        row = Operator.create(
            username=username, password_hash=hasher().hash(password), created_at=utcnow()
        )
        audit.record("operator.create", actor=f"operator:{username}")
    return OperatorSession(row.id, row.username)


def operator_login(*, password: str, username: str = "admin") -> OperatorSession:
    row = Operator.get_or_none(Operator.username == username)
    if row is None:
        raise AuthError(_("There is no operator yet. Run “shopdesk init” first."))
    account = _Account(Operator, row.id, "password_hash", f"operator:{username}", None)
    _login(account, password or "", wrong=_("Wrong operator password."))
    return OperatorSession(row.id, row.username)


@store.follows_session
def change_operator_password(op: OperatorSession, *, old: str, new: str) -> None:
    operator_login(password=old, username=op.username)
    check_password(new)
    with store.transaction():
        Operator.update(password_hash=hasher().hash(new)).where(
            Operator.id == op.operator_id
        ).execute()
        audit.record("operator.password", actor=op.actor)


# --- attempts ------------------------------------------------------------


def _check_wait(next_attempt_at: datetime | None) -> None:
    if next_attempt_at is None:
        return
    remaining = (next_attempt_at - utcnow()).total_seconds()
    if remaining > 0:
        raise AuthError(
            _("Too many wrong attempts. Wait {seconds} seconds and try again.").format(
                seconds=int(remaining) + 1
            )
        )


@dataclass(frozen=True)
class _Account:
    """Whose secret is tried: the row, its hash column, and the names for the audit log."""

    model: type[Seller] | type[Operator]
    row_id: int
    field: str
    actor: str
    shop_id: int | None


def _attempt(
    account: _Account,
    secret: str,
    *,
    wrong: str,
    on_right: Callable[[Seller | Operator], None],
    essential: bool = False,
) -> None:
    """Check the wait, verify ``secret`` and book the outcome in one IMMEDIATE
    transaction; a wrong secret raises ``AuthError(wrong)``.

    The write lock is held while argon2 runs, so guesses started in parallel
    (several windows or scripts at once) queue, and each meets the wait booked
    by the one before. A failure is booked only once the check has failed: a
    right secret is never counted, neither when the process dies half-way
    (nothing commits) nor when the disk is full. What a right secret writes
    (``on_right``) is bookkeeping unless ``essential``: when the disk refuses
    it, the login still stands. When the disk refuses a failure, the answer says
    so, and that attempt is not counted (nothing could be written).
    """
    right: bool | None = None
    # A seller's attempt holds only their shop's writes while argon2 runs: on a
    # server, a login on one PC must not stall the other shops' sales.
    shop = store.for_shop(account.shop_id) if account.shop_id else contextlib.nullcontext()
    try:
        with shop, store.transaction():
            row = account.model.get_by_id(account.row_id)
            _check_wait(row.next_attempt_at)
            right = verify_secret(getattr(row, account.field), secret)
            if right:
                on_right(row)
            else:
                failed = _book_failure(account, row)
                audit.record(
                    "login.failed",
                    actor=account.actor,
                    shop_id=account.shop_id,
                    attempts=failed,
                    wait=retry_delay(failed),
                )
    except (StorageError, DatabaseError) as exc:
        if right is False:
            raise AuthError(
                _("{wrong} {problem}").format(wrong=wrong, problem=exc.message), detail=exc.detail
            ) from exc
        if right is None or essential:
            raise  # nothing was checked, or the change asked for was not saved
        # A right secret stands: clearing the count and the audit row wait for space.
    if not right:
        raise AuthError(wrong)


def _book_failure(account: _Account, row: Seller | Operator) -> int:
    """Count one more failure and set the wait it earns; returns the count."""
    failed = int(row.failed_attempts) + 1
    wait = retry_delay(failed)
    account.model.update(
        failed_attempts=failed,
        next_attempt_at=utcnow() + timedelta(seconds=wait) if wait else None,
    ).where(account.model.id == account.row_id).execute()
    return failed


def _login(account: _Account, secret: str, *, wrong: str) -> None:
    """One login attempt; see ``_attempt``."""

    def logged_in(row: Seller | Operator) -> None:
        # Clearing the count and replacing a weak hash ride in the login's transaction.
        changes: dict[str, object] = {}
        if row.failed_attempts or row.next_attempt_at is not None:
            changes.update(failed_attempts=0, next_attempt_at=None)
        if weaker_than_current(getattr(row, account.field)):
            changes[account.field] = hasher().hash(secret)
        if changes:
            account.model.update(**changes).where(account.model.id == account.row_id).execute()
        audit.record("login", actor=account.actor, shop_id=account.shop_id)

    _attempt(account, secret, wrong=wrong, on_right=logged_in)


# --- sellers -------------------------------------------------------------


def _shop_values(fields: dict[str, str]) -> dict[str, str]:
    """Validate shop details typed by a person."""
    values: dict[str, str] = {}
    for key, value in fields.items():
        if key not in SHOP_FIELDS:
            raise ValidationError(_("Unknown shop field: {field}").format(field=key))
        if key == "whatsapp":
            values[key] = normalize_whatsapp(value)
        elif key == "pirt_number":
            values[key] = normalize_pirt(value)
        elif key == "timezone":
            zone = (value or "WIB").strip().upper()
            if zone not in ZONES:
                raise ValidationError(_("The time zone must be WIB, WITA or WIT."))
            values[key] = zone
        else:
            values[key] = check_text(value, field=key, required=key == "name", max_length=300)
    return values


@store.follows_session
def create_seller(
    op: OperatorSession,
    *,
    login: str,
    display_name: str,
    pin: str,
    shop_name: str,
    **shop_fields: str,
) -> tuple[SellerProfile, str]:
    """Create a seller with their shop; returns the profile and the recovery code,
    which is shown once and never stored in clear."""
    if not isinstance(op, OperatorSession):
        raise AuthError(_("Only the operator can create seller profiles."))
    login = check_login(login)
    display_name = check_text(display_name, field=_("Name"), required=True, max_length=80)
    check_pin(pin)
    values = _shop_values({"name": shop_name, **shop_fields})
    code = new_recovery_code()
    pin_hash, recovery_hash = hasher().hash(pin), hasher().hash(code)
    with store.transaction():
        if Seller.select().where(Seller.login == login).exists():
            raise ValidationError(
                _("The seller name “{login}” is taken. Choose another.").format(login=login)
            )
        shop = Shop.create(created_at=utcnow(), **values)
        Seller.create(
            shop=shop,
            login=login,
            display_name=display_name,
            pin_hash=pin_hash,
            recovery_hash=recovery_hash,
            created_at=utcnow(),
        )
        audit.record("seller.create", actor=op.actor, shop_id=shop.id, login=login)
    return SellerProfile(login, display_name, shop.name, "", False), code


@store.across_shops  # the login desk: every shop's profiles
def list_profiles(*, include_disabled: bool = False) -> list[SellerProfile]:
    query = Seller.select(Seller, Shop).join(Shop).order_by(Shop.name)
    if not include_disabled:
        query = query.where(Seller.disabled == False)  # noqa: E712 (peewee expression)
    return [
        SellerProfile(s.login, s.display_name, s.shop.name, s.shop.logo, s.disabled) for s in query
    ]


@store.across_shops  # the login desk: every shop's profiles
def _seller(login: str) -> Seller:
    row = Seller.get_or_none(Seller.login == (login or "").strip().lower())
    if row is None:
        raise NotFoundError(_("There is no seller named “{login}”.").format(login=login))
    return row


@store.follows_session
def set_seller_disabled(op: OperatorSession, *, login: str, disabled: bool) -> None:
    if not isinstance(op, OperatorSession):
        raise AuthError(_("Only the operator can disable or enable sellers."))
    row = _seller(login)
    with store.transaction():
        Seller.update(disabled=disabled).where(Seller.id == row.id).execute()
        audit.record(
            "seller.disable" if disabled else "seller.enable",
            actor=op.actor,
            shop_id=row.shop_id,
            login=row.login,
        )


@store.across_shops  # the login desk: every shop's profiles
def seller_login(*, login: str, pin: str) -> Session:
    row = _seller(login)
    if row.disabled:
        raise AuthError(
            _("The profile “{login}” is disabled. Ask the operator to enable it.").format(
                login=row.login
            )
        )
    account = _Account(Seller, row.id, "pin_hash", f"seller:{row.login}", row.shop_id)
    _login(account, pin or "", wrong=_("Wrong PIN."))
    return session_for(row)


@store.across_shops  # the login desk: every shop's profiles
def session_for(row: Seller) -> Session:
    shop = Shop.get_by_id(row.shop_id)
    return Session(
        seller_id=row.id,
        shop_id=shop.id,
        login=row.login,
        display_name=row.display_name,
        shop_name=shop.name,
        timezone=shop.timezone,
        language=row.language,
    )


@store.across_shops  # the login desk: every shop's profiles
def reset_pin(*, login: str, recovery_code: str, new_pin: str) -> str:
    """Set a new PIN with the recovery code; returns a fresh recovery code."""
    row = _seller(login)
    check_pin(new_pin)
    code = new_recovery_code()
    account = _Account(Seller, row.id, "recovery_hash", f"seller:{row.login}", row.shop_id)

    def replace(_row: Seller | Operator) -> None:
        Seller.update(
            pin_hash=hasher().hash(new_pin),
            recovery_hash=hasher().hash(code),
            failed_attempts=0,
            next_attempt_at=None,
        ).where(Seller.id == row.id).execute()
        audit.record("seller.reset_pin", actor=account.actor, shop_id=row.shop_id)

    _attempt(
        account,
        _normalize_recovery(recovery_code),
        wrong=_("Wrong recovery code."),
        on_right=replace,
        essential=True,  # the new PIN is the point: unsaved, it is an error
    )
    return code


@store.follows_session
def change_pin(session: Session, *, old_pin: str, new_pin: str) -> None:
    seller_login(login=session.login, pin=old_pin)
    check_pin(new_pin)
    with store.transaction():
        Seller.update(pin_hash=hasher().hash(new_pin)).where(
            Seller.id == session.seller_id
        ).execute()
        audit.record("seller.change_pin", actor=session.actor, shop_id=session.shop_id)


@store.follows_session
def shop_info(session: Session) -> ShopInfo:
    require_seller(session)
    s = Shop.get_by_id(session.shop_id)
    return ShopInfo(
        s.id,
        s.name,
        s.owner_name,
        s.address,
        s.village,
        s.district,
        s.whatsapp,
        s.pirt_number,
        s.halal_cert_number,
        s.logo,
        s.timezone,
    )


@store.follows_session
def update_shop(session: Session, **fields: str) -> ShopInfo:
    require_seller(session)
    values = _shop_values(fields)
    with store.transaction():
        Shop.update(**values).where(Shop.id == session.shop_id).execute()
        audit.record(
            "shop.update", actor=session.actor, shop_id=session.shop_id, fields=sorted(values)
        )
    return shop_info(session)


@store.follows_session
def set_shop_logo(session: Session, *, image_path: Path) -> ShopInfo:
    from shopdesk import media_store
    from shopdesk.media import prepare_image

    require_seller(session)
    stored = prepare_image(image_path)
    with store.transaction():  # the logo's bytes and the shop's row together
        media_store.keep(session.shop_id, "logos", stored)
        Shop.update(logo=stored.filename).where(Shop.id == session.shop_id).execute()
        audit.record("shop.logo", actor=session.actor, shop_id=session.shop_id)
    return shop_info(session)


@store.follows_session
def set_language(session: Session, *, language: str) -> None:
    from shopdesk.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise ValidationError(_("Choose a language: id or en."))
    with store.transaction():
        Seller.update(language=language).where(Seller.id == session.seller_id).execute()
