"""Drafting history in SQLite: every session's notes and every draft, regeneration, revision and edit.

One connection per call (gradio runs handlers in threads), WAL mode so readers never wait on a writer.
Notes are saved the moment drafting starts, before any engine runs, so a crash or a failed LLM call
loses nothing that was typed; drafts are stored as Draft.to_json() and restored with Draft.from_json().
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from zhibi.types import Draft

KINDS = ("draft", "regenerate", "revise", "edit")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    unit TEXT NOT NULL,
    year INTEGER NOT NULL,
    notes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created REAL NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('draft', 'regenerate', 'revise', 'edit')),
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drafts_session ON drafts(session_id, id);
"""


@dataclass
class SessionInfo:
    id: int
    created: float
    unit: str
    year: int
    notes: str
    drafts: int  # how many drafts/revisions the session holds
    scope: str = ""  # scope of its latest draft ("report" or an outline key), "" when none


@dataclass
class DraftRecord:
    id: int
    session_id: int
    created: float
    kind: str
    draft: Draft


class History:
    """The workspace's drafting history at `path` (settings.db_path)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            with db:  # commits on success, rolls back on error
                yield db
        finally:
            db.close()

    # -- writing --------------------------------------------------------------
    def start_session(self, unit: str, year: int, notes: str) -> int:
        """Record the notes of a new drafting session; returns its id."""
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO sessions (created, unit, year, notes) VALUES (?, ?, ?, ?)",
                (time.time(), unit, int(year), notes),
            )
            return int(cur.lastrowid or 0)

    def update_session(self, session_id: int, *, unit: str, year: int, notes: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE sessions SET unit = ?, year = ?, notes = ? WHERE id = ?",
                (unit, int(year), notes, session_id),
            )

    def save_draft(self, session_id: int, kind: str, draft: Draft) -> int:
        """Store one version of the draft; returns its id."""
        if kind not in KINDS:
            raise ValueError(f"unknown history kind {kind!r}")
        data = draft.to_json()
        # to_json leaves the notes out; revisions may have added to them
        data.setdefault("notes", draft.notes)
        payload = json.dumps(data, ensure_ascii=False)
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO drafts (session_id, created, kind, json) VALUES (?, ?, ?, ?)",
                (session_id, time.time(), kind, payload),
            )
            return int(cur.lastrowid or 0)

    def delete_session(self, session_id: int) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- reading --------------------------------------------------------------
    def sessions(self, limit: int = 50) -> list[SessionInfo]:
        """Most recent sessions first."""
        with self._connect() as db:
            rows = db.execute(
                """
                SELECT s.id, s.created, s.unit, s.year, s.notes,
                       (SELECT COUNT(*) FROM drafts d WHERE d.session_id = s.id),
                       (SELECT d.json FROM drafts d WHERE d.session_id = s.id ORDER BY d.id DESC LIMIT 1)
                FROM sessions s ORDER BY s.id DESC LIMIT ?
                """,
                (limit,),
            ).fetchall()
        out = []
        for sid, created, unit, year, notes, count, latest in rows:
            scope = json.loads(latest).get("scope", "report") if latest else ""
            out.append(SessionInfo(sid, created, unit, year, notes, count, scope))
        return out

    def session(self, session_id: int) -> SessionInfo | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT id, created, unit, year, notes, (SELECT COUNT(*) FROM drafts WHERE session_id = ?) "
                "FROM sessions WHERE id = ?",
                (session_id, session_id),
            ).fetchone()
        return SessionInfo(*row) if row else None

    def drafts(self, session_id: int) -> list[DraftRecord]:
        """Every version of a session's draft, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                _SELECT + " WHERE d.session_id = ? ORDER BY d.id",
                (session_id,),
            ).fetchall()
        return [_record(row) for row in rows]

    def draft(self, draft_id: int) -> DraftRecord | None:
        with self._connect() as db:
            row = db.execute(_SELECT + " WHERE d.id = ?", (draft_id,)).fetchone()
        return _record(row) if row else None

    def latest(self, session_id: int) -> DraftRecord | None:
        with self._connect() as db:
            row = db.execute(
                _SELECT + " WHERE d.session_id = ? ORDER BY d.id DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        return _record(row) if row else None


_SELECT = "SELECT d.id, d.session_id, d.created, d.kind, d.json, s.notes FROM drafts d JOIN sessions s ON s.id = d.session_id"


def _record(row: tuple) -> DraftRecord:
    did, sid, created, kind, payload, notes = row
    data = json.loads(payload)
    draft = Draft.from_json(data)
    draft.notes = draft.notes or data.get("notes") or notes
    return DraftRecord(int(did), int(sid), float(created), kind, draft)
