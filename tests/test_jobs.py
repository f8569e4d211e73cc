"""zhibi.jobs on SQLite and a real PostgreSQL: one running job per owner across workers, progress any worker
reads, a stale or overlong job failed by whoever looks, a stopping worker's jobs failed at once."""

from __future__ import annotations

import time

import pytest

from zhibi.history import History
from zhibi.jobs import DONE, FAILED, OVERTIME_MESSAGE, STALE_MESSAGE, JobStore
from zhibi.store.schema import jobs as J

try:
    from tests.test_history import make_draft
except ImportError:  # tests/ itself on sys.path
    from test_history import make_draft


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request, tmp_path) -> History:
    target = str(tmp_path / "ws.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    return History(target)


def _age(history: History, job_id: int, **columns: float) -> None:
    """Move a job's clock back, as if its worker had gone quiet (no sleeping in tests)."""
    with history.store.write() as db:
        db.execute(J.update().where(J.c.id == job_id).values(**columns))


def test_one_running_job_per_owner_across_workers(history):
    a = JobStore(history.store, worker="a")
    b = JobStore(history.store, worker="b")
    sid = history.start_session("甲局", 2024, "笔记", owner="user:x")
    first = a.start("user:x", sid, [{"role": "user", "content": "起草全文"}])
    assert first is not None
    assert b.start("user:x", sid, []) is None  # the same owner on another worker: refused
    other = history.start_session("乙局", 2024, "笔记", owner="user:y")
    assert b.start("user:y", other, []) is not None  # another owner is not blocked
    seen = b.running("user:x")
    assert seen is not None and seen.worker == "a" and seen.opening[0]["content"] == "起草全文"

    a.progress(first, status="正在起草执法部分", sections=[{"key": "k", "heading": "（一）", "text": "正文"}])
    a.progress(first, partial="全年办理")
    seen = b.get(first)
    assert (seen.status, seen.partial, seen.sections[0]["text"]) == ("正在起草执法部分", "全年办理", "正文")
    assert seen.version == 2
    did = history.save_draft(sid, "draft", make_draft())
    assert a.finish(first, did)
    done = b.get(first)
    assert done.state == DONE and done.draft_id == did and b.running("user:x") is None
    assert not a.fail(first, error="晚到的失败")  # an ended job stays as it ended
    assert a.start("user:x", sid, []) is not None  # and the owner can draft again


def test_stale_and_overlong_jobs_are_failed_by_whoever_looks(history):
    a = JobStore(history.store, worker="a", stale=30, max_seconds=600)
    b = JobStore(history.store, worker="b", stale=30, max_seconds=600)
    sid = history.start_session("甲局", 2024, "笔记", owner="user:x")
    job = a.start("user:x", sid, [])
    now = history.store.now()
    _age(history, job, heartbeat=now - 31)
    assert b.running("user:x") is None  # the reader marks it failed
    dead = b.get(job)
    assert dead.state == FAILED and dead.error == STALE_MESSAGE and dead.finished is not None
    assert not a.finish(job, 1)  # the worker coming back late cannot revive it

    again = b.start("user:x", sid, [])  # the rerun
    _age(history, again, created=now - 601)  # beating, but running for longer than allowed
    b.beat([again])
    assert a.running("user:x") is None and a.get(again).error == OVERTIME_MESSAGE

    fresh = a.start("user:x", sid, [])
    _age(history, fresh, heartbeat=now - 29)
    assert b.running("user:x").id == fresh  # not yet stale
    a.beat([fresh])
    assert b.get(fresh).heartbeat >= now


def test_a_stopping_worker_fails_its_own_jobs_only(history):
    a = JobStore(history.store, worker="a")
    b = JobStore(history.store, worker="b")
    s1 = history.start_session("甲局", 2024, "笔记", owner="user:x")
    s2 = history.start_session("乙局", 2024, "笔记", owner="user:y")
    mine, theirs = a.start("user:x", s1, []), b.start("user:y", s2, [])
    assert a.abandon() == 1
    assert b.get(mine).state == FAILED and b.get(theirs).state == "running"
    assert a.latest("user:x").id == mine


def test_a_serving_worker_fails_dead_jobs_nobody_looks_at(tmp_path):
    """The heartbeat thread of a worker also fails other workers' dead jobs, owner or no owner coming back."""
    from ui.handlers import Handlers

    try:
        from tests.test_ui import FakeWorkspace
    except ImportError:
        from test_ui import FakeWorkspace

    ws = FakeWorkspace(tmp_path / "home")
    h = Handlers(ws, export_root=tmp_path / "exports")
    h._heartbeat_every = 0.05
    dead = JobStore(h.history.store, worker="dead-worker", stale=h.job_store.stale)
    sid = h.history.start_session("甲局", 2024, "笔记", owner="user:gone")
    job = dead.start("user:gone", sid, [])
    _age(h.history, job, heartbeat=h.history.store.now() - h.job_store.stale - 1)
    with h.history.store.read() as db:
        assert db.execute(J.select().where(J.c.id == job)).first().state == "running"
    h._keep_beating()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with h.history.store.read() as db:
            if db.execute(J.select().where(J.c.id == job)).first().state != "running":
                break
        time.sleep(0.02)
    with h.history.store.read() as db:
        row = db.execute(J.select().where(J.c.id == job)).first()
    assert row.state == FAILED and row.error == STALE_MESSAGE
