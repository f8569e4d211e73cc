# Frozen copy of zhibi/history.py as it was on main before the store (commit a822e6d), to make databases of the
# old schema for tests/test_store.py. Do not edit: it is the past the migrations must upgrade from.
"""Drafting history in SQLite: every session's notes and every draft, regeneration, revision and edit.

One connection per call (gradio runs handlers in threads), WAL mode so readers never wait on a writer.
Notes are saved the moment drafting starts, before any engine runs, so a crash or a failed LLM call
loses nothing that was typed; drafts are stored as Draft.to_json() and restored with Draft.from_json().

Histories are private: every session has an owner ("user:NAME" under --auth, "browser:ID" for one browser
without auth, "" for the CLI and API callers of old databases), and every read takes the owner and returns
only that owner's rows. The `workspace` table holds each owner's open work (notes, unit, year, scope, the
current draft) so a reload, another tab or another day starts where the owner left off.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.types import Draft

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
CREATE TABLE IF NOT EXISTS workspace (
    owner TEXT PRIMARY KEY,
    updated REAL NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    year TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT 'report',
    session_id INTEGER,
    draft_id INTEGER,
    chat TEXT NOT NULL DEFAULT '[]'
);
"""

ANY = None  # owner filter meaning "every owner" (maintenance and tests only)


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
class WorkspaceState:
    """An owner's open work, as last saved."""

    owner: str
    notes: str = ""
    unit: str = ""
    year: str = ""
    scope: str = "report"
    session_id: int | None = None
    draft_id: int | None = None
    chat: list[dict] = field(default_factory=list)  # the conversation as the page last showed it


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
            columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
            if "owner" not in columns:  # databases from before private histories
                db.execute("ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
            db.execute("CREATE INDEX IF NOT EXISTS sessions_owner ON sessions(owner, id)")
            columns = {row[1] for row in db.execute("PRAGMA table_info(workspace)")}
            if "chat" not in columns:  # databases from before the conversation was kept
                db.execute("ALTER TABLE workspace ADD COLUMN chat TEXT NOT NULL DEFAULT '[]'")

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
    def start_session(self, unit: str, year: int, notes: str, owner: str = "") -> int:
        """Record the notes of a new drafting session of `owner`; returns its id."""
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO sessions (created, unit, year, notes, owner) VALUES (?, ?, ?, ?, ?)",
                (time.time(), unit, int(year), notes, owner),
            )
            return int(cur.lastrowid or 0)

    def owner_of(self, session_id: int) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT owner FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row[0] if row else None

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
            draft_id = int(cur.lastrowid or 0)
            # The newest version is the owner's current draft, whether or not a page is open to see it.
            db.execute(
                "UPDATE workspace SET session_id = ?, draft_id = ?, updated = ? "
                "WHERE owner = (SELECT owner FROM sessions WHERE id = ?)",
                (session_id, draft_id, time.time(), session_id),
            )
            return draft_id

    def delete_session(self, session_id: int) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- reading --------------------------------------------------------------
    def sessions(self, limit: int = 50, owner: str | None = ANY) -> list[SessionInfo]:
        """Most recent sessions first; only `owner`'s when one is given."""
        where, args = ("WHERE s.owner = ?", (owner,)) if owner is not None else ("", ())
        with self._connect() as db:
            rows = db.execute(
                f"""
                SELECT s.id, s.created, s.unit, s.year, s.notes,
                       (SELECT COUNT(*) FROM drafts d WHERE d.session_id = s.id),
                       (SELECT d.json FROM drafts d WHERE d.session_id = s.id ORDER BY d.id DESC LIMIT 1)
                FROM sessions s {where} ORDER BY s.id DESC LIMIT ?
                """,
                (*args, limit),
            ).fetchall()
        out = []
        for sid, created, unit, year, notes, count, latest in rows:
            scope = json.loads(latest).get("scope", "report") if latest else ""
            out.append(SessionInfo(sid, created, unit, year, notes, count, scope))
        return out

    def session(self, session_id: int, owner: str | None = ANY) -> SessionInfo | None:
        """One session; None when it does not exist or belongs to another owner."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id, created, unit, year, notes, (SELECT COUNT(*) FROM drafts WHERE session_id = ?), "
                "owner FROM sessions WHERE id = ?",
                (session_id, session_id),
            ).fetchone()
        if not row or (owner is not None and row[6] != owner):
            return None
        return SessionInfo(*row[:6])

    def drafts(self, session_id: int, owner: str | None = ANY) -> list[DraftRecord]:
        """Every version of a session's draft, oldest first ([] for another owner's session)."""
        with self._connect() as db:
            rows = db.execute(
                _SELECT + " WHERE d.session_id = ? ORDER BY d.id",
                (session_id,),
            ).fetchall()
        return [_record(row) for row in rows if owner is None or row[-1] == owner]

    def draft(self, draft_id: int, owner: str | None = ANY) -> DraftRecord | None:
        with self._connect() as db:
            row = db.execute(_SELECT + " WHERE d.id = ?", (draft_id,)).fetchone()
        return _record(row) if row and (owner is None or row[-1] == owner) else None

    def latest(self, session_id: int, owner: str | None = ANY) -> DraftRecord | None:
        with self._connect() as db:
            row = db.execute(
                _SELECT + " WHERE d.session_id = ? ORDER BY d.id DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        return _record(row) if row and (owner is None or row[-1] == owner) else None

    # -- an owner's open work -------------------------------------------------
    def save_state(self, owner: str, **fields: object) -> None:
        """Update some of notes, unit, year, scope, session_id, draft_id, chat for `owner` (a row is made if
        none). `chat` is the conversation (a list of messages), kept so a reload shows it again."""
        allowed = {"notes", "unit", "year", "scope", "session_id", "draft_id", "chat"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown workspace fields {sorted(unknown)}")
        if "chat" in fields:
            fields["chat"] = json.dumps(list(fields["chat"] or []), ensure_ascii=False)  # type: ignore[call-overload]
        with self._connect() as db:
            db.execute(
                "INSERT INTO workspace (owner, updated) VALUES (?, ?) ON CONFLICT(owner) DO NOTHING",
                (owner, time.time()),
            )
            if fields:
                assignments = ", ".join(f"{name} = ?" for name in fields)
                db.execute(
                    f"UPDATE workspace SET {assignments}, updated = ? WHERE owner = ?",
                    (*fields.values(), time.time(), owner),
                )

    def state(self, owner: str) -> WorkspaceState:
        with self._connect() as db:
            row = db.execute(
                "SELECT owner, notes, unit, year, scope, session_id, draft_id, chat FROM workspace WHERE owner = ?",
                (owner,),
            ).fetchone()
        if not row:
            return WorkspaceState(owner)
        try:
            chat = json.loads(row[7] or "[]")
        except ValueError:
            chat = []
        return WorkspaceState(*row[:7], chat=chat if isinstance(chat, list) else [])


_SELECT = (
    "SELECT d.id, d.session_id, d.created, d.kind, d.json, s.notes, s.owner "
    "FROM drafts d JOIN sessions s ON s.id = d.session_id"
)


def _record(row: tuple) -> DraftRecord:
    did, sid, created, kind, payload, notes, _owner = row
    data = json.loads(payload)
    draft = Draft.from_json(data)
    draft.notes = draft.notes or data.get("notes") or notes
    return DraftRecord(int(did), int(sid), float(created), kind, draft)
