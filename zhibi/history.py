"""Drafting history: every session's notes and every draft, regeneration, revision and edit.

The rows live in the workspace database (zhibi.store): the SQLite file under ZHIBI_HOME by default, or the
PostgreSQL database of ZHIBI_DATABASE_URL that every worker of a city deployment shares. Notes are saved the
moment drafting starts, before any engine runs, so a crash or a failed LLM call loses nothing that was typed;
drafts are stored as Draft.to_json() and restored with Draft.from_json().

Histories are private: every session has an owner ("user:NAME" under --auth, "browser:ID" for one browser
without auth, "" for the CLI and API callers of old databases), and every read takes the owner and returns
only that owner's rows. The `workspace` table holds each owner's open work (notes, unit, year, scope, the
current draft) so a reload, another tab, another worker or another day starts where the owner left off.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.exc import OperationalError

from core.types import Draft
from zhibi.store import Store, open_store, unreachable
from zhibi.store.schema import drafts as D
from zhibi.store.schema import sessions as S
from zhibi.store.schema import workspace as W

KINDS = ("draft", "regenerate", "revise", "edit")
ANY = None  # owner filter meaning "every owner" (maintenance and tests only)
STATE_FIELDS = ("notes", "unit", "year", "scope", "session_id", "draft_id", "chat")


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
    """The drafting history in the store at `target`: a database URL, a SQLite file path, or an open Store."""

    def __init__(self, target: str | Path | Store, *, pool_size: int = 5, quota_mb: float = 0.0) -> None:
        self.store = target if isinstance(target, Store) else open_store(target, pool_size=pool_size)
        # Characters of notes and drafts one owner may keep; past it the oldest sessions go (the current stays).
        self.quota = int(quota_mb * 1024 * 1024) if quota_mb > 0 else 0
        self.path = Path(str(target)) if not isinstance(target, Store) and "://" not in str(target) else None

    @classmethod
    def for_settings(cls, settings: Any) -> History:
        return cls(settings.database, pool_size=settings.db_pool_size, quota_mb=settings.history_quota_mb)

    # -- writing --------------------------------------------------------------
    def start_session(self, unit: str, year: int, notes: str, owner: str = "") -> int:
        """Record the notes of a new drafting session of `owner`; returns its id."""
        with self._write() as db:
            result = db.execute(
                S.insert().values(created=time.time(), unit=unit, year=int(year), notes=notes, owner=owner)
            )
            session_id = int(result.inserted_primary_key[0])
            self._prune(db, owner, session_id)
            return session_id

    def owner_of(self, session_id: int) -> str | None:
        with self._read() as db:
            return db.execute(select(S.c.owner).where(S.c.id == session_id)).scalar_one_or_none()

    def update_session(self, session_id: int, *, unit: str, year: int, notes: str) -> None:
        with self._write() as db:
            db.execute(S.update().where(S.c.id == session_id).values(unit=unit, year=int(year), notes=notes))

    def save_draft(self, session_id: int, kind: str, draft: Draft) -> int:
        """Store one version of the draft; returns its id."""
        if kind not in KINDS:
            raise ValueError(f"unknown history kind {kind!r}")
        data = draft.to_json()
        # to_json leaves the notes out; revisions may have added to them
        data.setdefault("notes", draft.notes)
        payload = json.dumps(data, ensure_ascii=False)
        now = time.time()
        with self._write() as db:
            result = db.execute(
                D.insert().values(session_id=session_id, created=now, kind=kind, json=payload)
            )
            draft_id = int(result.inserted_primary_key[0])
            # The newest version is the owner's current draft, whether or not a page is open to see it.
            owner = select(S.c.owner).where(S.c.id == session_id).scalar_subquery()
            db.execute(
                W.update()
                .where(W.c.owner == owner)
                .values(session_id=session_id, draft_id=draft_id, updated=now)
            )
            self._prune(
                db, db.execute(select(S.c.owner).where(S.c.id == session_id)).scalar_one(), session_id
            )
            return draft_id

    def _prune(self, db: Any, owner: str, keep: int) -> None:
        """Past the owner's quota, delete their oldest sessions (with every version) until under it."""
        if not self.quota:
            return
        drafted = (
            select(func.coalesce(func.sum(func.length(D.c.json)), 0))
            .where(D.c.session_id == S.c.id)
            .scalar_subquery()
        )
        rows = db.execute(
            select(S.c.id, (func.length(S.c.notes) + drafted).label("size"))
            .where(S.c.owner == owner)
            .order_by(S.c.id)
        ).all()
        total = sum(int(r.size or 0) for r in rows)
        for row in rows:
            if total <= self.quota:
                break
            if row.id == keep:
                continue
            db.execute(D.delete().where(D.c.session_id == row.id))
            db.execute(S.delete().where(S.c.id == row.id))
            total -= int(row.size or 0)

    def delete_session(self, session_id: int) -> None:
        with self._write() as db:
            db.execute(S.delete().where(S.c.id == session_id))

    # -- reading --------------------------------------------------------------
    def sessions(self, limit: int = 50, owner: str | None = ANY) -> list[SessionInfo]:
        """Most recent sessions first; only `owner`'s when one is given."""
        count = select(func.count()).where(D.c.session_id == S.c.id).scalar_subquery()
        latest = (
            select(D.c.json)
            .where(D.c.session_id == S.c.id)
            .order_by(D.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = select(S.c.id, S.c.created, S.c.unit, S.c.year, S.c.notes, count, latest)
        if owner is not None:
            query = query.where(S.c.owner == owner)
        with self._read() as db:
            rows = db.execute(query.order_by(S.c.id.desc()).limit(limit)).all()
        out = []
        for sid, created, unit, year, notes, n, payload in rows:
            scope = json.loads(payload).get("scope", "report") if payload else ""
            out.append(SessionInfo(int(sid), float(created), unit, int(year), notes, int(n), scope))
        return out

    def session(self, session_id: int, owner: str | None = ANY) -> SessionInfo | None:
        """One session; None when it does not exist or belongs to another owner."""
        count = select(func.count()).where(D.c.session_id == S.c.id).scalar_subquery()
        query = select(S.c.id, S.c.created, S.c.unit, S.c.year, S.c.notes, count, S.c.owner)
        with self._read() as db:
            row = db.execute(query.where(S.c.id == session_id)).first()
        if row is None or (owner is not None and row[6] != owner):
            return None
        return SessionInfo(int(row[0]), float(row[1]), row[2], int(row[3]), row[4], int(row[5]))

    def drafts(self, session_id: int, owner: str | None = ANY) -> list[DraftRecord]:
        """Every version of a session's draft, oldest first ([] for another owner's session)."""
        with self._read() as db:
            rows = db.execute(_SELECT.where(D.c.session_id == session_id).order_by(D.c.id)).all()
        return [_record(row) for row in rows if owner is None or row[-1] == owner]

    def draft(self, draft_id: int, owner: str | None = ANY) -> DraftRecord | None:
        with self._read() as db:
            row = db.execute(_SELECT.where(D.c.id == draft_id)).first()
        return _record(row) if row and (owner is None or row[-1] == owner) else None

    def latest(self, session_id: int, owner: str | None = ANY) -> DraftRecord | None:
        with self._read() as db:
            row = db.execute(
                _SELECT.where(D.c.session_id == session_id).order_by(D.c.id.desc()).limit(1)
            ).first()
        return _record(row) if row and (owner is None or row[-1] == owner) else None

    # -- an owner's open work -------------------------------------------------
    def save_state(self, owner: str, **fields: object) -> None:
        """Update some of notes, unit, year, scope, session_id, draft_id, chat for `owner` (a row is made if
        none). `chat` is the conversation (a list of messages), kept so a reload shows it again."""
        unknown = set(fields) - set(STATE_FIELDS)
        if unknown:
            raise ValueError(f"unknown workspace fields {sorted(unknown)}")
        if "chat" in fields:
            fields["chat"] = json.dumps(list(fields["chat"] or []), ensure_ascii=False)  # type: ignore[call-overload]
        now = time.time()
        with self._write() as db:
            insert = self.store.insert(W).values(owner=owner, updated=now, **fields)
            if fields:
                db.execute(
                    insert.on_conflict_do_update(index_elements=["owner"], set_={**fields, "updated": now})
                )
            else:
                db.execute(insert.on_conflict_do_nothing(index_elements=["owner"]))

    def state(self, owner: str) -> WorkspaceState:
        columns = [W.c.owner, *(W.c[name] for name in STATE_FIELDS)]
        with self._read() as db:
            row = db.execute(select(*columns).where(W.c.owner == owner)).first()
        if not row:
            return WorkspaceState(owner)
        try:
            chat = json.loads(row[-1] or "[]")
        except ValueError:
            chat = []
        return WorkspaceState(*row[:-1], chat=chat if isinstance(chat, list) else [])

    # -- connections ------------------------------------------------------------
    def _read(self):  # type: ignore[no-untyped-def]
        return _translated(self.store, self.store.read())

    def _write(self):  # type: ignore[no-untyped-def]
        return _translated(self.store, self.store.write())


class _translated:
    """A connection context whose "database down" becomes one ZhibiError naming ZHIBI_DATABASE_URL; every other
    error passes unchanged."""

    def __init__(self, store: Store, inner: Any) -> None:
        self.store, self.inner = store, inner

    def __enter__(self) -> Any:
        try:
            return self.inner.__enter__()
        except OperationalError as exc:
            if not self.store.shared:
                raise
            raise unreachable(exc, self.store.url) from None

    def __exit__(self, *exc: Any) -> Any:
        return self.inner.__exit__(*exc)


_SELECT = select(D.c.id, D.c.session_id, D.c.created, D.c.kind, D.c.json, S.c.notes, S.c.owner).join(
    S, S.c.id == D.c.session_id
)


def _record(row: Row) -> DraftRecord:
    did, sid, created, kind, payload, notes, _owner = row
    data = json.loads(payload)
    draft = Draft.from_json(data)
    draft.notes = draft.notes or data.get("notes") or notes
    return DraftRecord(int(did), int(sid), float(created), kind, draft)
