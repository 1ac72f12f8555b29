"""A throwaway PostgreSQL cluster that the tests start and stop themselves: the
server-gone tests pull it away mid-work, and the move and backup tests on a
server use it too, so that they run wherever PostgreSQL is installed.

The cluster lives in a temporary folder, on localhost only, port 54392
(``SHOPDESK_TEST_PG_PORT``) or the next free one, with trust authentication; it runs as an
unprivileged account (PostgreSQL refuses root: ``nobody`` then). Binaries: the
newest ``/usr/lib/postgresql/*/bin`` or ``SHOPDESK_PG_BIN``; without them the
tests that need it are skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

PORT = int(os.environ.get("SHOPDESK_TEST_PG_PORT", "54392"))


def free_port(first: int = PORT) -> int:
    """``first``, or the next port nobody listens on: several test runs at once
    (engineers sharing a machine, CI) each get their own cluster."""
    for port in range(first, first + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a test PostgreSQL cluster")


APP_ROLE = "shopdesk_app"


def binaries() -> Path | None:
    named = os.environ.get("SHOPDESK_PG_BIN")
    if named:
        return Path(named) if (Path(named) / "pg_ctl").exists() else None
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


class Cluster:
    def __init__(self, bin_dir: Path, port: int | None = None, *, durable: bool = False) -> None:
        """``durable``: the server flushes its commits to disk (benchmarks); tests skip it."""
        self.bin = bin_dir
        self.durable = durable
        self.port = port or free_port()
        self.started = False
        self.root = Path(tempfile.mkdtemp(prefix="shopdesk-pg-"))
        self.data = self.root / "data"
        self.as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "nobody")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            cwd=self.root,
        )

    def start(self) -> None:
        """Start on its port; when another run took that port meanwhile, on the next
        free one (the first start only: a restart must keep the address)."""
        for _attempt in range(5):
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            options += "" if self.durable else " -c fsync=off"
            log = str(self.root / "server.log")
            try:
                self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
                self.started = True
                return
            except subprocess.CalledProcessError:
                if self.started:
                    raise
                self.port = free_port(self.port + 1)
        raise RuntimeError(f"the test cluster in {self.root} does not start")

    def stop(self, mode: str = "fast") -> None:
        """``immediate``: the server dies as in a power cut (no clean shutdown)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")  # whatever a test left it in
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        """The app's address of ``dbname``: an ordinary role, so row-level security applies."""
        return f"postgresql://{APP_ROLE}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            cur = con.execute(sql)
            return cur.fetchall() if cur.description else []

    def fresh_database(self, name: str) -> str:
        """An empty database owned by the app's role; its URL."""
        if not self.admin(f"SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}'"):
            self.admin(f"CREATE ROLE {APP_ROLE} LOGIN")
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin(f"CREATE DATABASE {name} OWNER {APP_ROLE}")
        return self.url(name)

    def query(self, dbname: str, sql: str, params: tuple = ()) -> list[tuple]:
        """As the admin (every shop's rows, past row-level security)."""
        url = f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"
        with psycopg.connect(url, autocommit=True) as con:
            cur = con.execute(sql, params)
            return cur.fetchall() if cur.description else []
