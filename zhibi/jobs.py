"""Draft jobs in the workspace database, so that workers are stateless.

A draft runs in a thread of the worker that started it, but its record lives in the `jobs` table: the owner, the
session (its notes saved before the engine runs), the progress the page shows (status line, sections finished,
the section being written) and a heartbeat. Any worker can therefore follow any owner's job, and at most one job
per owner runs anywhere (a unique index over running jobs).

A job whose heartbeat is older than `stale` seconds, or that has run longer than `max_seconds`, is dead: its
worker was killed, lost its database or hangs. Whoever looks at it next (a follower, a page load, a new 起草 of
the same owner) marks it failed, with a message saying the notes are saved and 起草 runs it again. No job can
therefore look alive forever.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from zhibi.store import Store
from zhibi.store.schema import jobs as J

RUNNING, DONE, FAILED = "running", "done", "failed"
STALE_MESSAGE = "负责这次起草的服务进程已停止（重启或故障），起草没有完成"
OVERTIME_MESSAGE = "这次起草超过了允许的最长时间，已停止"


def worker_id() -> str:
    """This process, as named in the jobs it runs: host, pid and a random tag (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class JobRecord:
    id: int
    owner: str
    session_id: int
    state: str
    worker: str
    created: float
    heartbeat: float
    finished: float | None
    opening: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""
    sections: list[dict[str, Any]] = field(default_factory=list)
    partial: str = ""
    version: int = 0
    draft_id: int | None = None
    failure: str = ""  # the conversation's text when it failed ("" = made from `error`)
    error: str = ""  # the popup's message ("" with a failure = an internal error)

    @property
    def running(self) -> bool:
        return self.state == RUNNING


class JobStore:
    def __init__(
        self, store: Store, *, worker: str | None = None, stale: float = 30.0, max_seconds: float = 1800.0
    ) -> None:
        self.store = store
        self.worker = worker or worker_id()
        self.stale = stale
        self.max_seconds = max_seconds

    # -- a job's life -------------------------------------------------------------
    def start(self, owner: str, session_id: int, opening: list[dict[str, Any]]) -> int | None:
        """Record a running job of `owner` on this worker; None when one of theirs runs already (anywhere)."""
        self.reap(owner)
        now = self.store.now()
        try:
            with self.store.write() as db:
                result = db.execute(
                    J.insert().values(
                        owner=owner,
                        session_id=session_id,
                        state=RUNNING,
                        worker=self.worker,
                        created=now,
                        heartbeat=now,
                        opening=json.dumps(opening, ensure_ascii=False),
                    )
                )
                return int(result.inserted_primary_key[0])
        except IntegrityError:
            return None

    def progress(
        self,
        job_id: int,
        *,
        status: str | None = None,
        sections: list[dict[str, Any]] | None = None,
        partial: str | None = None,
    ) -> None:
        """Store what a follower shows now (and beat: progress proves the worker alive)."""
        values: dict[str, Any] = {"heartbeat": self.store.now(), "version": J.c.version + 1}
        if status is not None:
            values["status"] = status
        if sections is not None:
            values["sections"] = json.dumps(sections, ensure_ascii=False)
        if partial is not None:
            values["partial"] = partial
        with self.store.write() as db:
            db.execute(J.update().where(J.c.id == job_id, J.c.state == RUNNING).values(**values))

    def beat(self, job_ids: list[int]) -> None:
        """The heartbeat of this worker's running jobs (from its heartbeat thread)."""
        if not job_ids:
            return
        with self.store.write() as db:
            db.execute(
                J.update()
                .where(J.c.id.in_(job_ids), J.c.state == RUNNING, J.c.worker == self.worker)
                .values(heartbeat=self.store.now())
            )

    def finish(self, job_id: int, draft_id: int) -> bool:
        """The job's draft is saved as `draft_id`; False when the job had been declared dead meanwhile."""
        return self._end(job_id, DONE, draft_id=draft_id, partial="")

    def fail(self, job_id: int, *, error: str, failure: str = "") -> bool:
        return self._end(job_id, FAILED, error=error, failure=failure)

    def _end(self, job_id: int, state: str, **values: Any) -> bool:
        now = self.store.now()
        with self.store.write() as db:
            result = db.execute(
                J.update()
                .where(J.c.id == job_id, J.c.state == RUNNING)
                .values(state=state, finished=now, heartbeat=now, version=J.c.version + 1, **values)
            )
            return result.rowcount == 1

    def abandon(self) -> int:
        """This worker stops (SIGTERM): its running jobs fail now rather than after the stale delay."""
        with self.store.write() as db:
            result = db.execute(
                J.update()
                .where(J.c.worker == self.worker, J.c.state == RUNNING)
                .values(state=FAILED, finished=self.store.now(), error=STALE_MESSAGE, version=J.c.version + 1)
            )
            return int(result.rowcount or 0)

    # -- reading ------------------------------------------------------------------
    def get(self, job_id: int) -> JobRecord | None:
        """The job as it is now; a dead one is marked failed first."""
        self.reap(job_id=job_id)
        with self.store.read() as db:
            row = db.execute(select(J).where(J.c.id == job_id)).first()
        return _record(row) if row else None

    def running(self, owner: str) -> JobRecord | None:
        """`owner`'s running job on any worker (a dead one is marked failed and not returned)."""
        self.reap(owner)
        with self.store.read() as db:
            row = db.execute(select(J).where(J.c.owner == owner, J.c.state == RUNNING)).first()
        return _record(row) if row else None

    def latest(self, owner: str) -> JobRecord | None:
        """`owner`'s most recent job, whatever its state."""
        self.reap(owner)
        with self.store.read() as db:
            row = db.execute(select(J).where(J.c.owner == owner).order_by(J.c.id.desc()).limit(1)).first()
        return _record(row) if row else None

    def reap(self, owner: str | None = None, *, job_id: int | None = None) -> int:
        """Mark dead running jobs failed (of `owner`, or job `job_id`, or all); returns how many."""
        now = self.store.now()
        scope = [J.c.state == RUNNING]
        if owner is not None:
            scope.append(J.c.owner == owner)
        if job_id is not None:
            scope.append(J.c.id == job_id)
        done = 0
        with self.store.write() as db:
            for condition, message in (
                (J.c.heartbeat < now - self.stale, STALE_MESSAGE),
                (J.c.created < now - self.max_seconds, OVERTIME_MESSAGE),
            ):
                result = db.execute(
                    J.update()
                    .where(and_(*scope, or_(condition)))
                    .values(state=FAILED, finished=now, error=message, version=J.c.version + 1)
                )
                done += int(result.rowcount or 0)
        return done


def _record(row: Any) -> JobRecord:
    data = dict(row._mapping)
    data["opening"] = json.loads(data["opening"] or "[]")
    data["sections"] = json.loads(data["sections"] or "[]")
    return JobRecord(**data)


def section_row(section: Any) -> dict[str, Any]:
    """A finished section as the job stores it: what the streaming view needs, nothing more."""
    return {
        "key": section.key,
        "heading": section.heading,
        "text": section.text,
        "level": section.level,
        "run_in": section.run_in,
        "locked": section.locked,
    }


def section_from_row(row: dict[str, Any]) -> Any:
    from core.types import Section

    return Section(
        key=row["key"],
        heading=row.get("heading", ""),
        text=row.get("text", ""),
        level=int(row.get("level", 1)),
        run_in=bool(row.get("run_in")),
        locked=bool(row.get("locked")),
    )
