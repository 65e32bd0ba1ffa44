"""A PostgreSQL 15 server of a test's own, for the tests that stop and restart it.

The shared server (AKHBAR_TEST_DATABASE_URL) serves every test at once: a test must never stop
it.  This one is initdb'd into a temporary folder (as the `postgres` user when we are root:
initdb refuses root), listens on 127.0.0.1 on a free port with trust auth, and is removed at
the end — the recipe of .ci/run.  Without the server binaries the test is skipped, saying
so (CI installs them when they are missing, so there it always runs).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
PASSWORD = "the-Right-pa55word"


def _bin_dir() -> Path | None:
    for folder in _BIN_DIRS:
        if Path(folder, "initdb").is_file():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(os.path.realpath(found)).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """A running server; `url` connects as `akhbar`, a role that owns its database (trust auth);
    the role `akhbar_pw` must give its password, PASSWORD, and owns the database `akhbar_pw`."""

    def __init__(self, bin_dir: Path, folder: Path, port: int, as_postgres: list[str]) -> None:
        self.bin_dir, self.folder, self.port, self._as = bin_dir, folder, port, as_postgres
        self.url = f"postgresql://akhbar@127.0.0.1:{port}/akhbar"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), *args],
            check=True, stdout=subprocess.DEVNULL, timeout=120,
        )

    def start(self) -> None:
        self._pg_ctl("-w", "start")

    def stop(self) -> None:
        """As a restart or a crash looks to the bot: every connection is cut at once."""
        self._pg_ctl("-m", "fast", "-w", "stop")


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb) on this machine")
    as_postgres: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="akhbar-pg-"))
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run initdb as")
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    server = ThrowawayPostgres(bin_dir, folder, _free_port(), as_postgres)
    try:
        subprocess.run(
            [*as_postgres, str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL, timeout=300,
        )
        with open(folder / "data" / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses='127.0.0.1'\nport={server.port}\nunix_socket_directories='{folder}'\nfsync=off\n")
        hba = folder / "data" / "pg_hba.conf"
        hba.write_text("host all akhbar_pw 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        server.start()
        subprocess.run(
            [str(bin_dir / "psql"), "-q", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
             "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE akhbar LOGIN", "-c", "CREATE DATABASE akhbar OWNER akhbar",
             "-c", f"CREATE ROLE akhbar_pw LOGIN PASSWORD '{PASSWORD}'", "-c", "CREATE DATABASE akhbar_pw OWNER akhbar_pw"],
            check=True, stdout=subprocess.DEVNULL, timeout=60,
        )
        yield server
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)
