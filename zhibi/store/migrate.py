"""Run the packaged Alembic migrations on a store: once per process and database, under a lock, so that the
workers of a deployment starting together upgrade the schema once and none reads a half-made table."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from zhibi.store import Store, unreachable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_lock key of the schema upgrade (any constant; "zhibi" in ASCII)
_PG_LOCK = 0x7A68696269


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    return str(ScriptDirectory.from_config(config()).get_current_head())


def current(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store) -> None:
    """Bring the store's schema to the newest revision (nothing to do when it is there already)."""
    try:
        if current(store) == head():
            return
        with _lock(store):
            if current(store) == head():  # another worker did it while we waited
                return
            cfg = config()
            with store.write() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
    except OperationalError as exc:
        if not store.shared:
            raise
        raise unreachable(exc, store.url) from None


@contextmanager
def _lock(store: Store) -> Iterator[None]:
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK})
                conn.commit()
        return
    database = make_url(store.url).database
    path = Path(f"{database}.migrate.lock") if database and database != ":memory:" else None
    if path is None:
        yield
        return
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
