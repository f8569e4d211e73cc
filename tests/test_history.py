"""zhibi.history: sessions and drafts survive a reopen and concurrent writers, and restore Drafts, on the
embedded SQLite file and on a real PostgreSQL server (the same tests, `db` parametrised)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from core.types import Checks, Draft, PriorRef, Section, Source
from zhibi.history import History


def make_draft(unit: str = "甲县交通运输局", text: str = "全年办理行政处罚案件326件[1]。") -> Draft:
    return Draft(
        unit=unit,
        year=2024,
        engine="offline",
        title=f"{unit}2024年法治政府建设情况报告",
        sections=[
            Section(
                "measures.enforcement",
                "（四）严格规范公正文明执法",
                text,
                citations=[1],
                warnings=["注意"],
                prior=PriorRef("2023年报告", "一（四）", 0.25, text="去年的执法部分。", year=2023),
                locked=True,
                level=2,
                run_in=True,
            ),
        ],  # fmt: skip
        sources=[
            Source(
                1, "中华人民共和国行政处罚法", "law", "第五条", "公正、公开", context="第五条 公正、公开。"
            )
        ],
        checks=Checks(numbers_unsupported=["99件"], lines_dropped=["好的"]),
        notes="执法：全年办理行政处罚案件326件",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """Where the history lives: a SQLite file path, or a fresh database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "ws.sqlite3")
    return request.getfixturevalue("pg_url")


def test_roundtrip_survives_reopen(db):
    h = History(db)
    sid = h.start_session("甲县交通运输局", 2024, "执法：全年办理行政处罚案件326件")
    first = h.save_draft(sid, "draft", make_draft())
    h.save_draft(sid, "revise", make_draft(text="改过的执法部分[1]。"))

    reopened = History(db)  # a server restart
    sessions = reopened.sessions()
    assert [s.id for s in sessions] == [sid]
    assert sessions[0].drafts == 2 and sessions[0].scope == "report"
    assert sessions[0].notes == "执法：全年办理行政处罚案件326件"
    versions = reopened.drafts(sid)
    assert [v.kind for v in versions] == ["draft", "revise"]
    assert versions[0].id == first
    restored = reopened.latest(sid).draft
    assert restored.sections[0].text == "改过的执法部分[1]。"
    original = make_draft(text="改过的执法部分[1]。")
    assert restored.to_json() == original.to_json()
    assert restored.notes == original.notes
    assert restored.sections[0].locked and restored.sections[0].prior.verbatim_share == 0.25


def test_notes_saved_without_any_draft(db):
    h = History(db)
    sid = h.start_session("乙县司法局", 2023, "笔记在起草前就保存了")
    assert h.latest(sid) is None
    info = h.session(sid)
    assert info is not None and info.notes == "笔记在起草前就保存了" and info.drafts == 0
    assert h.sessions()[0].scope == ""


def test_wal_mode_and_schema(tmp_path):
    db = tmp_path / "ws.sqlite3"
    History(db)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sessions", "drafts", "workspace"} <= tables
        cols = [r[1] for r in con.execute("PRAGMA table_info(drafts)")]
        assert cols == ["id", "session_id", "created", "kind", "json"]
        cols = [r[1] for r in con.execute("PRAGMA table_info(sessions)")]
        assert cols == ["id", "created", "unit", "year", "notes", "owner"]
    finally:
        con.close()


def test_old_database_gains_owners(tmp_path):
    """A database from before private histories opens; its sessions belong to no account ("")."""
    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, unit TEXT NOT NULL,"
        " year INTEGER NOT NULL, notes TEXT NOT NULL);"
        "INSERT INTO sessions (created, unit, year, notes) VALUES (1.0, '旧单位', 2023, '旧笔记');"
    )
    con.commit()
    con.close()
    h = History(db)
    assert [s.unit for s in h.sessions(owner="")] == ["旧单位"]
    assert h.sessions(owner="user:a") == []


def test_histories_are_private(db):
    h = History(db)
    a = h.start_session("甲局", 2024, "甲的笔记", owner="user:a")
    b = h.start_session("乙局", 2024, "乙的笔记", owner="user:b")
    da = h.save_draft(a, "draft", make_draft(unit="甲局"))
    db_ = h.save_draft(b, "draft", make_draft(unit="乙局"))
    assert [s.unit for s in h.sessions(owner="user:a")] == ["甲局"]
    assert [s.unit for s in h.sessions(owner="user:b")] == ["乙局"]
    assert h.session(b, owner="user:a") is None and h.session(b, owner="user:b") is not None
    assert h.draft(db_, owner="user:a") is None and h.draft(da, owner="user:a") is not None
    assert h.drafts(b, owner="user:a") == [] and h.latest(b, owner="user:a") is None
    assert len(h.sessions()) == 2  # no owner given: every session (maintenance)


def test_workspace_state_per_owner_follows_the_latest_draft(db):
    h = History(db)
    assert h.state("browser:x").notes == "" and h.state("browser:x").draft_id is None
    h.save_state("browser:x", notes="笔记", unit="甲局", year="二〇二三", scope="measures")
    h.save_state("browser:y", notes="别人的笔记")
    sid = h.start_session("甲局", 2023, "笔记", owner="browser:x")
    did = h.save_draft(sid, "draft", make_draft(unit="甲局"))
    state = h.state("browser:x")
    assert (state.notes, state.unit, state.year, state.scope) == ("笔记", "甲局", "二〇二三", "measures")
    assert (state.session_id, state.draft_id) == (sid, did)
    assert h.state("browser:y").draft_id is None and h.state("browser:y").notes == "别人的笔记"
    with pytest.raises(ValueError):
        h.save_state("browser:x", created=0)


def test_unknown_kind_rejected(db):
    h = History(db)
    sid = h.start_session("丙县", 2024, "x")
    with pytest.raises(ValueError):
        h.save_draft(sid, "publish", make_draft())


def test_concurrent_writers(db):
    h = History(db)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            sid = h.start_session(f"单位{n}", 2024, f"笔记{n}")
            for _ in range(5):
                h.save_draft(sid, "draft", make_draft(unit=f"单位{n}"))
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    sessions = h.sessions()
    assert len(sessions) == 8 and all(s.drafts == 5 for s in sessions)
    for s in sessions:
        assert all(r.draft.unit == s.unit for r in h.drafts(s.id))


def test_delete_session_cascades(db):
    h = History(db)
    sid = h.start_session("丁县", 2024, "x")
    did = h.save_draft(sid, "edit", make_draft())
    h.delete_session(sid)
    assert h.session(sid) is None and h.draft(did) is None


def test_an_owners_history_has_a_quota_and_the_oldest_sessions_go_first(db):
    """100 calls of 200,000 characters from one owner keep at most the quota, the newest work kept whole;
    another owner's history is untouched."""
    history = History(db, quota_mb=1.0)  # about a million characters
    other = history.start_session("乙县", 2024, "全年办理行政复议案件5件", owner="bob")
    big = "全年开展执法检查120次。" * 15_000  # about 200,000 characters
    ids = [history.start_session("甲县", 2024, big, owner="alice") for _ in range(12)]
    history.save_draft(ids[-1], "draft", make_draft())
    kept = [s.id for s in history.sessions(limit=100, owner="alice")]
    assert ids[-1] in kept and ids[0] not in kept
    assert len(kept) <= 6  # about five of these fit in a million characters
    assert history.latest(ids[-1], owner="alice") is not None
    assert [s.id for s in history.sessions(owner="bob")] == [other]
