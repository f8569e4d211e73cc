"""Alembic environment of the workspace database.

zhibi.store.migrate passes an open connection (config.attributes["connection"]). Run by hand, e.g.
`alembic -c zhibi/store/migrations/alembic.ini upgrade head`, it opens ZHIBI_DATABASE_URL or the SQLite file under
ZHIBI_HOME, like the workers do.
"""

from __future__ import annotations

from alembic import context

from zhibi.store.schema import metadata

connection = context.config.attributes.get("connection")


def _run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=conn.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    from core.config import resolve_settings
    from zhibi.store import open_store

    store = open_store(resolve_settings().database, migrate=False)
    with store.write() as conn:
        _run(conn)
