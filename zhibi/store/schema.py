"""The tables of the workspace database, as SQLAlchemy Core objects: the queries' one description of them.

The migrations (zhibi/store/migrations/versions) create and change these tables; this module only names them for
queries. A change here without a migration beside it is a bug (tests/test_store.py compares the two).

Everything is keyed by an `owner` string ("user:NAME", "browser:ID", "session:HASH", "" for the CLI), so that a
unit or an organisation can be attached to an owner later without touching these rows.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
)

metadata = MetaData()

# One drafting session: the notes as given when drafting started (saved before any engine runs).
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("notes", Text, nullable=False),
    Column("owner", Text, nullable=False, server_default=""),
    sqlite_autoincrement=True,
)
Index("sessions_owner", sessions.c.owner, sessions.c.id)

# Every version of a session's draft (Draft.to_json() as text, so SQLite and PostgreSQL store the same bytes).
drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("created", Float, nullable=False),
    Column("kind", Text, nullable=False),
    Column("json", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("drafts_session", drafts.c.session_id, drafts.c.id)

# Each owner's open work: what the page shows after a reload, a second tab or a worker switch.
workspace = Table(
    "workspace",
    metadata,
    Column("owner", Text, primary_key=True),
    Column("updated", Float, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("unit", Text, nullable=False, server_default=""),
    Column("year", Text, nullable=False, server_default=""),
    Column("scope", Text, nullable=False, server_default="report"),
    Column("session_id", Integer),
    Column("draft_id", Integer),
    Column("chat", Text, nullable=False, server_default="[]"),  # the conversation as the page last showed it
)

# Draft jobs: one row per draft run on any worker, with its progress, so any worker can follow it, and a
# heartbeat, so a job whose worker died is seen to be dead.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", Text, nullable=False),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("state", Text, nullable=False),  # running | done | failed
    Column("worker", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("heartbeat", Float, nullable=False),
    Column("finished", Float),
    Column("opening", Text, nullable=False, server_default="[]"),  # the conversation's opening turn (JSON)
    Column("status", Text, nullable=False, server_default=""),
    Column("sections", Text, nullable=False, server_default="[]"),  # sections finished so far (JSON)
    Column("partial", Text, nullable=False, server_default=""),  # the section being written
    Column("version", Integer, nullable=False, server_default="0"),
    Column("draft_id", Integer),
    Column("failure", Text, nullable=False, server_default=""),  # the conversation's text when it failed
    Column("error", Text, nullable=False, server_default=""),  # the popup's message ("" = internal error)
)
# At most one running job per owner, across every worker: the second 起草 anywhere finds the first.
Index(
    "jobs_one_running",
    jobs.c.owner,
    unique=True,
    sqlite_where=text("state = 'running'"),
    postgresql_where=text("state = 'running'"),
)
Index("jobs_state", jobs.c.state, jobs.c.heartbeat)

# Server secrets (the key that seals browser ids), shared by every worker of one database.
secrets = Table(
    "secrets",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("created", Float, nullable=False),
)

# The LLM circuit breaker, one row per endpoint, shared so that every worker stops sending to a dead server.
llm_breaker = Table(
    "llm_breaker",
    metadata,
    Column("endpoint", Text, primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),  # failed requests in a row, all workers
    Column("open_until", Float, nullable=False, server_default="0"),  # no requests before this time
    Column("probe_until", Float, nullable=False, server_default="0"),  # one worker's trial request in flight
    Column("updated", Float, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
)
