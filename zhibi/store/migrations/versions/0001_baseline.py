"""Baseline: the history schema as zhibi/history.py made it before the migrations (sessions with owners,
drafts, each owner's workspace with its conversation).

A database made by that code has these tables already and no alembic_version: each table, column and index is
created only when missing, so such a database (or an older one without sessions.owner) is upgraded in place and
keeps every row.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "sessions" not in tables:
        op.create_table(
            "sessions",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created", sa.Float, nullable=False),
            sa.Column("unit", sa.Text, nullable=False),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("notes", sa.Text, nullable=False),
            sa.Column("owner", sa.Text, nullable=False, server_default=""),
            sqlite_autoincrement=True,
        )
    elif "owner" not in {c["name"] for c in inspector.get_columns("sessions")}:
        # databases from before private histories: their sessions belong to no account ("")
        op.add_column("sessions", sa.Column("owner", sa.Text, nullable=False, server_default=""))
    if "drafts" not in tables:
        op.create_table(
            "drafts",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column(
                "session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
            ),
            sa.Column("created", sa.Float, nullable=False),
            sa.Column("kind", sa.Text, nullable=False),
            sa.Column("json", sa.Text, nullable=False),
            sa.CheckConstraint("kind IN ('draft', 'regenerate', 'revise', 'edit')", name="drafts_kind"),
            sqlite_autoincrement=True,
        )
    if "workspace" not in tables:
        op.create_table(
            "workspace",
            sa.Column("owner", sa.Text, primary_key=True),
            sa.Column("updated", sa.Float, nullable=False),
            sa.Column("notes", sa.Text, nullable=False, server_default=""),
            sa.Column("unit", sa.Text, nullable=False, server_default=""),
            sa.Column("year", sa.Text, nullable=False, server_default=""),
            sa.Column("scope", sa.Text, nullable=False, server_default="report"),
            sa.Column("session_id", sa.Integer),
            sa.Column("draft_id", sa.Integer),
            sa.Column("chat", sa.Text, nullable=False, server_default="[]"),
        )
    elif "chat" not in {c["name"] for c in inspector.get_columns("workspace")}:
        # databases from before the conversation was kept
        op.add_column("workspace", sa.Column("chat", sa.Text, nullable=False, server_default="[]"))
    indexes = {
        name
        for table in ("sessions", "drafts")
        for name in (i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table))
    }
    if "drafts_session" not in indexes:
        op.create_index("drafts_session", "drafts", ["session_id", "id"])
    if "sessions_owner" not in indexes:
        op.create_index("sessions_owner", "sessions", ["owner", "id"])


def downgrade() -> None:
    op.drop_table("workspace")
    op.drop_table("drafts")
    op.drop_table("sessions")
