"""Stateless workers: draft jobs with progress and heartbeat, server secrets, the shared LLM circuit breaker.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("worker", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("finished", sa.Float),
        sa.Column("opening", sa.Text, nullable=False, server_default="[]"),
        sa.Column("status", sa.Text, nullable=False, server_default=""),
        sa.Column("sections", sa.Text, nullable=False, server_default="[]"),
        sa.Column("partial", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("draft_id", sa.Integer),
        sa.Column("failure", sa.Text, nullable=False, server_default=""),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("state IN ('running', 'done', 'failed')", name="jobs_state_known"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "jobs_one_running",
        "jobs",
        ["owner"],
        unique=True,
        sqlite_where=sa.text("state = 'running'"),
        postgresql_where=sa.text("state = 'running'"),
    )
    op.create_index("jobs_state", "jobs", ["state", "heartbeat"])
    op.create_table(
        "secrets",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_table(
        "llm_breaker",
        sa.Column("endpoint", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("open_until", sa.Float, nullable=False, server_default="0"),
        sa.Column("probe_until", sa.Float, nullable=False, server_default="0"),
        sa.Column("updated", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("llm_breaker")
    op.drop_table("secrets")
    op.drop_index("jobs_state", table_name="jobs")
    op.drop_index("jobs_one_running", table_name="jobs")
    op.drop_table("jobs")
