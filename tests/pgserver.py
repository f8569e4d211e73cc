"""A throw-away PostgreSQL server for tests and benches: the Debian server package's initdb and pg_ctl on a
temporary folder, listening on 127.0.0.1 at a free port, trust authentication, stopped at the end.

    with PostgresServer() as pg:          # or the `pg_url` pytest fixture (one fresh database per test)
        url = pg.create_database("t1")    # postgresql+psycopg://zhibi@127.0.0.1:PORT/t1

initdb refuses to run as root: as root the server runs as the `postgres` user the Debian package creates.
`unavailable()` says why a server cannot be started here (tests skip with that reason).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "apt-get install -y postgresql (the Debian server package: initdb, pg_ctl)"


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run_as() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


def unavailable() -> str:
    """Why no server can be started here, or "" when one can."""
    if bindir() is None:
        return f"PostgreSQL is not installed ({INSTALL_HINT})"
    if os.geteuid() == 0 and _run_as() is None:
        return "running as root and there is no `postgres` user to run the server as (install the Debian package)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]')"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, *, max_connections: int = 200) -> None:
        reason = unavailable()
        if reason:
            raise RuntimeError(reason)
        self.bin = bindir()
        self.user = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="zhibi-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.max_connections = max_connections
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        user = self.user

        def demote() -> None:
            if user is not None:
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)

        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            preexec_fn=demote,
            cwd=self.root,
        )

    def start(self) -> PostgresServer:
        self._cmd("initdb", "-D", str(self.data), "-U", "zhibi", "--auth=trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c max_connections={self.max_connections}"
        )
        self._cmd("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        if self.data.exists():
            self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://zhibi@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=zhibi dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
