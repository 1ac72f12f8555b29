"""``shopdesk doctor``: a short health report of the whole PC, with what to do.

Run by the operator. It reads counts and checks only: no product, sale or
customer of any shop is shown, so it fits the operator's role.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from shopdesk import backup, instance_lock, media_store, opener, paths, server_link, store
from shopdesk.clock import utcnow
from shopdesk.errors import AuthError, ShopDeskError
from shopdesk.i18n import _
from shopdesk.profiles import OperatorSession
from shopdesk.store import files, structure
from shopdesk.store.files import Connection

OK, WARN, FAIL = "ok", "warn", "fail"
FRESH_DAYS = 2
LOW_SPACE_BYTES = 200 * 1024 * 1024
APPEND_ONLY = ("audit_log", "movement")

# Cache minus ledger per lot (a batch of a variant, or lot 0 for stock tied to
# no batch), in one pass over both: a lot row the ledger does not match, a
# non-zero ledger without a row (a missing row means 0), or a row filed under
# another shop than its movements (the rebuild of either shop repairs it).
# A lot with neither is fine.
_DRIFT = """
SELECT shop_id, count(*) FROM (
  SELECT MAX(shop_id) AS shop_id FROM (
    SELECT variant_id, lot, shop_id, on_hand AS q FROM lot_stock
    UNION ALL SELECT variant_id, COALESCE(batch_id, 0), shop_id, -quantity FROM movement
  ) AS lots GROUP BY variant_id, lot HAVING SUM(q) != 0 OR MIN(shop_id) != MAX(shop_id)
) AS drifted GROUP BY shop_id
"""


# The same for kasbon: cached balance minus the sum of the entries, per customer.
_DEBT_DRIFT = """
SELECT shop_id, count(*) FROM (
  SELECT MAX(shop_id) AS shop_id FROM (
    SELECT customer_id, shop_id, balance AS q FROM customer_balance
    UNION ALL SELECT customer_id, shop_id, -amount FROM debt_entry
  ) AS debts GROUP BY customer_id HAVING SUM(q) != 0 OR MIN(shop_id) != MAX(shop_id)
) AS drifted GROUP BY shop_id
"""
_SELLERS = "SELECT s.id, l.login FROM shop s JOIN seller l ON l.shop_id = s.id"
DEBT_GUARDS = ("debt_entry_no_update", "debt_entry_no_delete")

Rows = Callable[[str], list[tuple[Any, ...]]]  # a query's rows, on whichever engine


@dataclass(frozen=True)
class Finding:
    status: str  # ok, warn, fail
    what: str
    todo: str = ""


@store.follows_session
def run(op: OperatorSession) -> list[Finding]:
    if not isinstance(op, OperatorSession):
        raise AuthError(_("Only the operator can run the health check."))
    return _checks()


def run_on_damaged_database() -> list[Finding]:
    """The report when the database is too damaged for anyone to log in (the
    operator's password is in it): it shows no shop data, only what to do."""
    if not backup.live_database_is_damaged():
        raise AuthError(_("Only the operator can run the health check."))
    return _checks()


def _checks() -> list[Finding]:
    findings = [_folder(), _permissions()]
    if store.on_server():
        findings.extend(_server_database())
    else:
        try:
            con = files.connect(paths.database_path(), readonly=True)
        except files.Error as exc:
            failed = _("The database cannot be opened: {error}").format(error=exc)
            return [*findings, Finding(FAIL, failed)]
        with contextlib.closing(con):
            findings.extend(_file_database(con))
    findings.extend(_backups())
    findings.append(_restore_leftovers())
    findings.append(_instance())
    return findings


def _file_database(con: Connection) -> list[Finding]:
    """The data folder's SQLite file: its pages, then what its rows must agree on."""
    integrity = _integrity(con)
    if integrity.status != OK:
        return [integrity]

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return con.execute(sql).fetchall()

    return [integrity, *_ledgers(rows, structure.trigger_names(con))]


def _server_database() -> list[Finding]:
    """The server this PC works on. It keeps its own pages whole, so no file is
    checked here; what is checked: that it answers and its version, the schema,
    the guards that keep shops apart (row-level security, the app's role) and the
    ledgers' guards, then the same ledger checks as on a file, and the money."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return list(store.database.execute_sql(sql).fetchall())

    db = store.database.obj
    place = server_link.where().place
    reached = Finding(
        OK,
        _(
            "Server {place}: answers, PostgreSQL {version}. The data lives there: "
            "no database file on this PC is checked."
        ).format(place=place, version=store.server.describe(db)),
    )
    return [
        reached,
        _schema(store.migrations.user_version(db)),
        _row_security(store.server.unguarded_tables(db)),
        _role(*store.server.app_role(db)),
        *_ledgers(rows, store.server.trigger_names(db)),
        _money(rows),
    ]


def _schema(found: int) -> Finding:
    known = store.migrations.LATEST_VERSION
    if found == known:
        done = _("Schema: version {found}, as this ShopDesk expects.")
        return Finding(OK, done.format(found=found))
    return Finding(
        FAIL,
        _("Schema: the server has version {found}; this ShopDesk knows {known}.").format(
            found=found, known=known
        ),
        _("Every PC of the cooperative needs the same ShopDesk: update the older ones."),
    )


def _row_security(unguarded: list[str]) -> Finding:
    if not unguarded:
        return Finding(
            OK,
            _(
                "Shops kept apart on the server: row-level security is on and forced on "
                "every table of a shop's data."
            ),
        )
    return Finding(
        FAIL,
        _("Row-level security is off or not forced on: {tables}.").format(
            tables=", ".join(unguarded)
        ),
        _(
            "Someone changed the server's tables outside ShopDesk: one seller may see "
            "another's data. Open ShopDesk again (it puts the guard back), then run doctor again."
        ),
    )


def _role(name: str, superuser: bool, bypass: bool) -> Finding:
    if not superuser and not bypass:
        return Finding(
            OK,
            _(
                "The app's server user {role} is an ordinary user: the shops' guard binds it."
            ).format(role=name),
        )
    return Finding(
        FAIL,
        _(
            "The app's server user {role} is a superuser or bypasses row-level security: "
            "the guard between shops does not bind it."
        ).format(role=name),
        _(
            "Connect with an ordinary user (README, “Beberapa PC”): "
            "ALTER ROLE {role} NOSUPERUSER NOBYPASSRLS"
        ).format(role=name),
    )


# Each sale's total against its lines (quantity × price − discount), per shop.
_MONEY = """
SELECT s.shop_id, count(*) FROM sale s LEFT JOIN (
  SELECT sale_id, SUM(quantity * unit_price - discount) AS amount FROM sale_line GROUP BY sale_id
) AS l ON l.sale_id = s.id WHERE s.total != COALESCE(l.amount, 0) GROUP BY s.shop_id
"""
_SALES = "SELECT COUNT(DISTINCT shop_id), COUNT(*) FROM sale"


def _sellers_of(rows: Rows, shops: Iterable[Any]) -> str:
    """The sellers of ``shops``, by name (a shop without a seller by its id)."""
    names: dict[Any, Any] = dict(rows(_SELLERS))
    return ", ".join(sorted(str(names.get(s, s)) for s in shops))


def _money(rows: Rows) -> Finding:
    shops: dict[Any, int] = dict(rows(_MONEY))
    if not shops:
        shop_count, sales = rows(_SALES)[0]
        return Finding(
            OK,
            _("Money: each of {sales} sales ({shops} shops) adds up to its lines.").format(
                sales=sales, shops=shop_count
            ),
        )
    return Finding(
        FAIL,
        _("Money: {count} sales differ from the sum of their lines (sellers: {sellers}).").format(
            count=sum(shops.values()),
            sellers=_sellers_of(rows, shops),
        ),
        _("Someone changed the database outside ShopDesk. Restore the newest good backup."),
    )


def _ledgers(rows: Rows, triggers: set[str]) -> list[Finding]:
    return [_stock(rows), _triggers(triggers), _debts(rows, triggers), _photos(rows)]


def _photos(rows: Rows) -> Finding:
    """Photos and logos the data names but does not hold: from before they were kept
    in the database, with their file gone from the PC that had it."""
    shops: dict[Any, int] = {}
    for shop_id, _kind, _name in rows(media_store.UNHELD):
        shops[shop_id] = shops.get(shop_id, 0) + 1
    if not shops:
        return Finding(OK, _("Photos: every photo and logo is in the data."))
    return Finding(
        WARN,
        _("Photos: {count} photos or logos are missing from the data (sellers: {sellers}).").format(
            count=sum(shops.values()),
            sellers=_sellers_of(rows, shops),
        ),
        _(
            "Put the old media folder back into the data folder and open ShopDesk once, "
            "or add those photos again."
        ),
    )


def _integrity(con: Connection) -> Finding:
    try:
        problems = files.problems(con)
    except files.Error as exc:
        problems = [str(exc)]
    if not problems:
        return Finding(OK, _("Database: integrity check passed."))
    newest = backup.backup_files()
    todo = (
        _("Restore the newest good backup: shopdesk backup restore {name}").format(
            name=newest[-1].name
        )
        if newest
        else _("No backup was found; ask the operator for help.")
    )
    return Finding(
        FAIL,
        _("Database: the integrity check failed ({problems}).").format(
            problems="; ".join(problems[:3])
        ),
        todo,
    )


def _stock(rows: Rows) -> Finding:
    shops: dict[int, int] = {}
    for shop_id, count in rows(_DRIFT):
        shops[shop_id] = shops.get(shop_id, 0) + count
    if not shops:
        return Finding(OK, _("Stock: every cached figure equals the ledger."))
    who = _sellers_of(rows, shops)
    return Finding(
        FAIL,
        _("Stock: {count} cached figures differ from the ledger (sellers: {sellers}).").format(
            count=sum(shops.values()), sellers=who
        ),
        _("Each of these sellers runs: shopdesk stock rebuild --seller NAME"),
    )


def _debts(rows: Rows, triggers: set[str]) -> Finding:
    """Kasbon balances against their entries, and the ledger's guards."""
    missing = [name for name in DEBT_GUARDS if name not in triggers]
    if missing:
        return Finding(
            FAIL,
            _("The protection of the kasbon ledger is missing: {names}.").format(
                names=", ".join(missing)
            ),
            _("Someone changed the database outside ShopDesk. Restore the newest good backup."),
        )
    shops: dict[Any, int] = dict(rows(_DEBT_DRIFT))
    if not shops:
        return Finding(OK, _("Kasbon: every balance equals its entries."))
    return Finding(
        FAIL,
        _("Kasbon: {count} balances differ from their entries (sellers: {sellers}).").format(
            count=sum(shops.values()),
            sellers=_sellers_of(rows, shops),
        ),
        _("Each of these sellers runs: shopdesk debt rebuild --seller NAME"),
    )


def _triggers(names: set[str]) -> Finding:
    missing = [
        f"{table}_{kind}"
        for table in APPEND_ONLY
        for kind in ("no_update", "no_delete")
        if f"{table}_{kind}" not in names
    ]
    if not missing:
        return Finding(OK, _("Audit log and stock ledger: protected against changes."))
    return Finding(
        FAIL,
        _("The protection of the audit log or ledger is missing: {names}.").format(
            names=", ".join(missing)
        ),
        _("Someone changed the database outside ShopDesk. Restore the newest good backup."),
    )


def _backups() -> list[Finding]:
    files = [p for p in backup.backup_files() if p.name.startswith("shopdesk-full-")]
    if not files:
        return [
            Finding(
                WARN,
                _("Backups: there is no backup of this PC yet."),
                _("Make one now: shopdesk backup now"),
            )
        ]
    newest = max(files, key=lambda p: p.name)
    try:
        info = backup.verify(newest)
    except ShopDeskError as exc:
        return [Finding(FAIL, exc.message, _("Make a new backup now: shopdesk backup now"))]
    age = utcnow() - info.created_at
    if age > timedelta(days=FRESH_DAYS):
        return [
            Finding(
                WARN,
                _("Backups: the newest is {days} days old ({name}).").format(
                    days=age.days, name=newest.name
                ),
                _("Make one now: shopdesk backup now"),
            )
        ]
    return [
        Finding(
            OK,
            _("Backups: {count} in the backups folder; the newest ({name}) is sound.").format(
                count=len(files), name=newest.name
            ),
        )
    ]


def _folder() -> Finding:
    folder = paths.data_dir()
    try:
        fd, probe = tempfile.mkstemp(prefix=".doctor-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _full_disk(folder, 0)
        return Finding(
            FAIL,
            _("Data folder {path}: ShopDesk cannot write to it ({error}).").format(
                path=folder, error=exc.strerror
            ),
            _("Ask the operator to give this account write access."),
        )
    free = shutil.disk_usage(folder).free
    if free < store.FULL_DISK_BYTES:
        return _full_disk(folder, free)
    if free < LOW_SPACE_BYTES:
        return Finding(
            WARN,
            _("Data folder {path}: only {mb} MB free on the disk.").format(
                path=folder, mb=free // (1024 * 1024)
            ),
            _("Free some space: a full disk stops every sale from being saved."),
        )
    kind = drive_kind(folder)
    if kind in ("removable", "network"):
        return Finding(
            WARN,
            _("Data folder {path} is on a USB stick or another removable drive.").format(
                path=folder
            )
            if kind == "removable"
            else _("Data folder {path} is on a network drive.").format(path=folder),
            _(
                "The data lives on the server, but photos and the server's password are "
                "kept here: keep this folder on the PC's own disk."
            )
            if store.on_server()
            else _(
                "Keep the database on the PC's own disk: a pulled stick or a dropped "
                "network can damage it. Put backups on the stick instead."
            ),
        )
    return Finding(
        OK,
        _("Data folder {path}: writable, {mb} MB free.").format(
            path=folder, mb=free // (1024 * 1024)
        ),
    )


def _permissions() -> Finding:
    """Who else can open the data: on Linux and macOS ShopDesk makes it this
    account's only (folders 0700, files 0600); on Windows the folder's ACLs decide."""
    folder = paths.data_dir()
    if os.name == "nt":
        return _windows_sharing(folder)
    if drive_kind(folder) == "removable":  # FAT sticks have no owners: chmod cannot help
        return Finding(
            WARN,
            _("Data folder {path}: this drive keeps no file permissions.").format(path=folder),
            _("Whoever holds the stick can open every shop's data: keep it locked away."),
        )
    loose = open_to_others(folder)
    if not loose:
        return Finding(
            OK, _("Data folder {path}: only this account can open it.").format(path=folder)
        )
    exposed = (
        _(
            "Data folder {path}: other accounts on this PC can open {count} of its files "
            "or folders; its server password and backups show every shop."
        )
        if store.on_server()
        else _(
            "Data folder {path}: other accounts on this PC can open {count} of its files "
            "or folders; a copy of the database shows every shop."
        )
    )
    return Finding(
        WARN,
        exposed.format(path=folder, count=len(loose)),
        _("Make it private to this account: chmod -R go= {path}").format(
            path=shlex.quote(str(folder))
        ),
    )


def open_to_others(folder: Path) -> list[Path]:
    """The folder itself and what is in it with any group or other permission bit
    (links are not followed)."""
    loose = []
    for root, _dirs, names in os.walk(folder):  # each folder comes once as a root
        for path in (Path(root), *(Path(root, name) for name in names)):
            with contextlib.suppress(OSError):
                mode = path.lstat().st_mode
                if mode & 0o077 and not stat.S_ISLNK(mode):
                    loose.append(path)
    return loose


def _windows_sharing(folder: Path) -> Finding:
    """Windows: the installer's shared folder, or one account's own folder."""
    if paths.is_shared_folder(folder):
        return Finding(
            OK,
            _(
                "Data folder {path} is this PC's shared folder: every seller's Windows "
                "account can write it, and ShopDesk keeps the shops apart by PIN."
            ).format(path=folder),
            _(
                "Anyone who can log in to this PC can copy the database: give Windows "
                "accounts only to the shop's sellers (README: Who can open the data)."
            ),
        )
    return Finding(
        OK,
        _("Data folder {path} belongs to this Windows account only.").format(path=folder),
        _(
            "Sellers with other Windows accounts cannot use it; to share one database, "
            "install ShopDesk with its installer (README: Who can open the data)."
        ),
    )


_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs"}
_STICK_FS = {"vfat", "exfat", "msdos", "fuseblk"}  # what sticks are formatted with


def drive_kind(folder: Path) -> str:
    """The kind of drive holding ``folder``: local, removable, network or unknown."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import ctypes

            root = os.path.splitdrive(str(Path(folder).resolve()))[0] + "\\"
            kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))
            return {2: "removable", 3: "local", 4: "network"}.get(kind, "unknown")
        best, fstype = "", ""
        target = str(Path(folder).resolve())
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                point = parts[1].replace("\\040", " ")
                inside = target == point or target.startswith(point.rstrip("/") + "/")
                if inside and len(point) > len(best):
                    best, fstype = point, parts[2]
    except (OSError, AttributeError, IndexError):
        return "unknown"
    if fstype in _NETWORK_FS:
        return "network"
    if fstype in _STICK_FS:
        return "removable"
    return "local" if fstype else "unknown"


def _full_disk(folder: Path, free: int) -> Finding:
    return Finding(
        FAIL,
        _("Data folder {path}: the disk is full ({kb} KB free).").format(
            path=folder, kb=free // 1024
        ),
        _(
            "Free some space on this disk. Until then ShopDesk shows, reports and "
            "exports the data to another drive, but saves nothing new."
        ),
    )


def _restore_leftovers() -> Finding:
    """The work files of restores cut off by a kill or a power cut: those removed
    when this process opened the data, and any found now (removed as well)."""
    removed = [*opener.removed_at_start, *backup.remove_restore_leftovers(paths.data_dir())]
    if not removed:
        return Finding(OK, _("Restores: no work file was left behind."))
    return Finding(
        WARN,
        _("Restores: a restore was cut off; its {count} work files were removed: {names}.").format(
            count=len(removed), names=", ".join(sorted({p.name for p in removed}))
        ),
        _(
            "A restore changes all or nothing: check that the data is the one you "
            "expect, and restore the backup again if not."
        ),
    )


def _instance() -> Finding:
    # Asked without taking the lock: the check writes nothing, not even the lock's owner.
    if not instance_lock.in_use():
        return Finding(OK, _("No other ShopDesk window is open."))
    owner = instance_lock.read_owner()
    return Finding(
        OK,
        _("ShopDesk is open now (process {pid}); commands may still write safely.").format(
            pid=owner.get("pid", "?")
        ),
    )
