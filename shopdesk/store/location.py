"""Where the data lives: this PC's SQLite file, or a PostgreSQL server.

SQLite is the default. A data folder is connected to a server by
``shopdesk server connect`` (``server.json``: the address without a password)
and the password kept in PostgreSQL's own password file format beside it
(``server.pgpass``, readable by this account only), which libpq reads itself:
the password never passes through a message or a log. ``SHOPDESK_DATABASE_URL``
overrides both, for scripts and tests.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from shopdesk import paths
from shopdesk.errors import ValidationError
from shopdesk.i18n import _

ENV_URL = "SHOPDESK_DATABASE_URL"
SERVER_FILE = "server.json"
PASS_FILE = "server.pgpass"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class Server:
    """A server's address, without its password."""

    user: str
    host: str
    port: int
    dbname: str

    @property
    def url(self) -> str:
        return f"postgresql://{quote(self.user)}@{self.host}:{self.port}/{quote(self.dbname)}"

    @property
    def place(self) -> str:
        """What a seller is shown: the database on its host."""
        return f"{self.dbname} @ {self.host}:{self.port}"


def parse(url: str) -> tuple[Server, str | None]:
    """The server named by ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` and the
    password in it, if any; a clear message for anything else."""
    bad = ValidationError(
        _(
            "Write the server as postgresql://USER@HOST:PORT/DATABASE "
            "(for example postgresql://toko@192.168.1.10:5432/shopdesk)."
        )
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise bad from None
    dbname = unquote(parts.path.lstrip("/"))
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or not dbname:
        raise bad
    if not parts.username or "/" in dbname:
        raise bad
    password = unquote(parts.password) if parts.password is not None else None
    return Server(unquote(parts.username), parts.hostname, port, dbname), password


def _server_file() -> Path:
    return paths.data_dir() / SERVER_FILE


def pass_file() -> Path:
    return paths.data_dir() / PASS_FILE


def configured() -> str | None:
    """The server URL this data folder (or ``SHOPDESK_DATABASE_URL``) names; None: SQLite."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    try:
        saved = json.loads(_server_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise ValidationError(
            _("The server settings in {path} cannot be read. Connect the server again.").format(
                path=_server_file()
            )
        ) from None
    found = saved.get("url") if isinstance(saved, dict) else None
    return found if isinstance(found, str) and found else None


# A pulled cable sends nothing back: without these, a statement waits for the
# network's own give-up (a quarter of an hour on Linux). The PC gives up on a
# server silent for about 20 s (keepalive probes while waiting, and unanswered
# data); the server rolls back a transaction whose PC fell silent in the middle
# after 30 s, so the rows it locked are free again for the other PCs.
LINK_CHECKS = (
    "keepalives=1",
    "keepalives_idle=5",
    "keepalives_interval=5",
    "keepalives_count=3",
    "tcp_user_timeout=20000",
    "options=" + quote("-c idle_in_transaction_session_timeout=30000", safe=""),
)


def conninfo(url: str) -> str:
    """What libpq is given: the URL, a connect timeout, the checks that notice a
    silent network (``LINK_CHECKS``), and this folder's password file."""
    extra = [f"connect_timeout={CONNECT_TIMEOUT_S}", "application_name=shopdesk", *LINK_CHECKS]
    if pass_file().exists():
        extra.append("passfile=" + quote(str(pass_file()), safe=""))
    return url + ("&" if "?" in url else "?") + "&".join(extra)


def _pgpass_field(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:")


def save(server: Server, password: str | None) -> None:
    """Remember the server for this data folder (the password in its own private file)."""
    from shopdesk import safe_io  # zip and hashing code: not for the login window (glance)

    paths.make_private_dir(paths.data_dir())
    if password is not None:
        line = ":".join(
            _pgpass_field(part)
            for part in (server.host, str(server.port), server.dbname, server.user, password)
        )
        safe_io.write_bytes_atomic(pass_file(), (line + "\n").encode("utf-8"))
        paths.set_mode(pass_file(), paths.PRIVATE_FILE_MODE)
    else:
        pass_file().unlink(missing_ok=True)
    text = json.dumps({"url": server.url}, indent=2) + "\n"
    safe_io.write_bytes_atomic(_server_file(), text.encode("utf-8"))


def forget() -> None:
    """Back to this PC's own file: the server's address and password are removed."""
    for path in (_server_file(), pass_file()):
        path.unlink(missing_ok=True)
