"""The workspace database: one data-access layer (SQLAlchemy 2 Core) over SQLite or PostgreSQL.

Without ZHIBI_DATABASE_URL the store is the SQLite file `$ZHIBI_HOME/workspace.sqlite3`, as before; with it
(e.g. postgresql+psycopg://zhibi:…@db/zhibi) every worker of a city deployment shares the history, each owner's
open work, the draft jobs, the server secrets and the LLM circuit breaker. The same queries run on both: no
SQLite-only SQL, upserts through the dialect's own ON CONFLICT construct.

The schema is created and upgraded by the Alembic migrations packaged in zhibi/store/migrations, run when a
store is first opened (under a lock, so workers starting together upgrade once). An existing SQLite history from
before the migrations is upgraded in place.

One engine per URL and process: its pool is shared by every History, JobStore and breaker of the process.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from core.errors import ZhibiError
from zhibi.store import schema


@dataclass
class Store:
    """An open database: its engine (pooled) and the few helpers every store module needs."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def shared(self) -> bool:
        """True for a server database (workers on several machines), False for the embedded SQLite file."""
        return self.dialect != "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on error. On SQLite it takes the write lock
        at BEGIN (IMMEDIATE), so a read-then-write never fails half-way with "database is locked"."""
        with self.engine.connect().execution_options(zhibi_write=True) as conn, conn.begin():
            yield conn

    def insert(self, table: Table) -> Any:
        """INSERT with the dialect's ON CONFLICT support (on_conflict_do_nothing / do_update)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def secret(self, name: str, make: Callable[[], str]) -> str:
        """The server secret `name`, made once by whichever worker asks first; every worker reads the same."""
        table = schema.secrets
        with self.write() as conn:
            conn.execute(
                self.insert(table)
                .values(name=name, value=make(), created=time.time())
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return str(conn.execute(select(table.c.value).where(table.c.name == name)).scalar_one())

    def now(self) -> float:
        """Wall-clock time for heartbeats (every worker's clock is assumed synchronised, as NTP does)."""
        return time.time()


_stores: dict[tuple[str, int], Store] = {}
_stores_lock = threading.Lock()


def database_url(target: str | Path) -> str:
    """A URL for `target`: a URL as given, or a SQLite file path."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def open_store(target: str | Path, *, pool_size: int = 5, migrate: bool = True) -> Store:
    """The store at `target` (a database URL or a SQLite file path), migrated to the current schema."""
    url = database_url(target)
    key = (url, os.getpid())  # a pool must not cross a fork
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = Store(url, _engine(url, pool_size))
            if migrate:
                from zhibi.store.migrate import upgrade

                upgrade(store)
            _stores[key] = store
    return store


def dispose_all() -> None:
    """Close every pooled connection of this process (tests, and before a fork)."""
    with _stores_lock:
        for store in _stores.values():
            store.engine.dispose()
        _stores.clear()


def _engine(url: str, pool_size: int) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ZhibiError(
            f"ZHIBI_DATABASE_URL 格式不对：{_safe(url)}",
            hint="应写成 postgresql+psycopg://用户:密码@主机:5432/库名，或留空使用本机 SQLite 文件",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _sqlite_transactions(engine)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise ZhibiError(
            f"不支持的数据库：{parsed.get_backend_name()}",
            hint="ZHIBI_DATABASE_URL 请用 PostgreSQL（postgresql+psycopg://…），或留空使用本机 SQLite 文件",
        )
    if parsed.drivername == "postgresql":  # the driver we ship; psycopg2 is not installed
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    try:
        return create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            pool_pre_ping=True,  # a connection the server closed (restart, idle timeout) is replaced, not failed
            pool_recycle=1800,
            connect_args={"connect_timeout": 10, "application_name": "zhibi"},
        )
    except NoSuchModuleError as exc:
        raise ZhibiError(
            f"找不到数据库驱动：{exc}", hint="请安装依赖（pip install -e .）后重试，驱动是 psycopg"
        ) from None


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own transaction handling is off: we emit BEGIN (readers) or BEGIN IMMEDIATE (writers)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        # Readers never wait on a writer. Persistent in the file; a no-op once set (outside any transaction).
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("zhibi_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _safe(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def unreachable(exc: OperationalError, url: str) -> ZhibiError:
    """The one message for a database that does not answer (wrong host, server down, wrong password)."""
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    return ZhibiError(
        f"无法连接数据库 {_safe(url)}：{reason}",
        hint="检查 ZHIBI_DATABASE_URL 的主机、端口、用户名和密码，以及数据库服务是否在运行",
    )
