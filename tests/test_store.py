"""zhibi.store: migrations upgrade an existing history in place, fresh databases match the schema module,
secrets are shared, and user errors about the database URL are one Chinese line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from core.config import resolve_settings
from core.errors import ZhibiError
from zhibi.history import History
from zhibi.store import open_store, schema
from zhibi.store.migrate import current, head

try:
    from tests.legacy_history import History as LegacyHistory
    from tests.test_history import make_draft
except ImportError:  # tests/ itself on sys.path
    from legacy_history import History as LegacyHistory
    from test_history import make_draft

ROOT = Path(__file__).resolve().parents[1]


def test_history_of_main_upgraded_in_place(tmp_path):
    """A workspace.sqlite3 written by the code before the store opens with every row, and is migrated."""
    path = tmp_path / "workspace.sqlite3"
    old = LegacyHistory(path)
    a = old.start_session("甲县交通运输局", 2024, "执法：全年办理行政处罚案件326件", owner="user:a")
    first = old.save_draft(a, "draft", make_draft())
    old.save_state(
        "user:a",
        notes="正在写的笔记",
        unit="甲县交通运输局",
        year="2024",
        scope="measures",
        chat=[{"role": "user", "content": "起草全文"}],
    )
    second = old.save_draft(a, "edit", make_draft(text="手改过的执法部分[1]。"))
    b = old.start_session("乙县司法局", 2023, "乙的笔记", owner="browser:b")
    con = sqlite3.connect(path)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")} >= {"sessions"}
    assert "alembic_version" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()

    h = History(path)
    assert current(h.store) == head()
    assert [s.id for s in h.sessions(owner="user:a")] == [a]
    assert [r.id for r in h.drafts(a, owner="user:a")] == [first, second]
    assert h.latest(a).draft.sections[0].text == "手改过的执法部分[1]。"
    assert h.latest(a).draft.to_json() == make_draft(text="手改过的执法部分[1]。").to_json()
    state = h.state("user:a")
    assert state.chat == [{"role": "user", "content": "起草全文"}]  # the conversation kept by the old code
    assert (state.notes, state.scope, state.session_id, state.draft_id) == (
        "正在写的笔记",
        "measures",
        a,
        second,
    )
    assert h.session(b, owner="browser:b").notes == "乙的笔记"
    # new rows continue the old ids, and the new tables exist
    c = h.start_session("丙县", 2024, "新笔记", owner="user:a")
    assert c > b
    assert {"jobs", "secrets", "llm_breaker"} <= set(inspect(h.store.engine).get_table_names())
    # the old code still reads what the new code wrote (a rollback of the deployment loses nothing)
    assert [s.id for s in LegacyHistory(path).sessions(owner="user:a")] == [c, a]


def _columns(engine) -> dict[str, list[str]]:
    insp = inspect(engine)
    return {
        t: [c["name"] for c in insp.get_columns(t)] for t in insp.get_table_names() if t != "alembic_version"
    }


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_make_the_schema_module(backend, tmp_path, request):
    """What the migrations create is what zhibi/store/schema.py queries: same tables, same columns, in order."""
    target = str(tmp_path / "fresh.sqlite3") if backend == "sqlite" else request.getfixturevalue("pg_url")
    store = open_store(target)
    expected = {t.name: [c.name for c in t.columns] for t in schema.metadata.sorted_tables}
    assert _columns(store.engine) == expected
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("jobs")}
    assert {"jobs_one_running", "jobs_state"} <= indexes


def test_secret_made_once_and_shared(pg_url, tmp_path):
    first = open_store(pg_url).secret("browser", lambda: "a" * 32)
    again = open_store(pg_url).secret("browser", lambda: "b" * 32)
    assert first == again == "a" * 32
    # another process sees the same secret
    code = (
        "import sys; from zhibi.store import open_store; "
        "print(open_store(sys.argv[1]).secret('browser', lambda: 'c' * 32))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, pg_url], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert out == "a" * 32


def test_workers_starting_together_upgrade_once(pg_url):
    """Four processes open a fresh database at once: the advisory lock lets one migrate, none fails."""
    code = (
        "import sys; from zhibi.history import History; History(sys.argv[1]).start_session('甲', 2024, 'x')"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, pg_url], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    assert len(History(pg_url).sessions()) == 4


def test_database_url_from_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIBI_HOME", str(tmp_path))
    monkeypatch.delenv("ZHIBI_DATABASE_URL", raising=False)
    assert resolve_settings().database == str(tmp_path / "workspace.sqlite3")
    monkeypatch.setenv("ZHIBI_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert resolve_settings().database == "postgresql+psycopg://u@h/db"
    assert (
        resolve_settings(database_url="postgresql+psycopg://x@y/z").database == "postgresql+psycopg://x@y/z"
    )
    monkeypatch.setenv("ZHIBI_LLM_CONCURRENCY", "两个")
    with pytest.raises(ZhibiError, match="ZHIBI_LLM_CONCURRENCY"):
        resolve_settings()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://u@h/db", "不支持的数据库"),
        ("postgresql+psycopg://zhibi:secret@127.0.0.1:1/none", "无法连接数据库"),
    ],
)
def test_bad_database_url_is_one_line(url, words):
    with pytest.raises(ZhibiError) as caught:
        History(url)
    message = str(caught.value)
    assert words in message and "ZHIBI_DATABASE_URL" in message
    assert "secret" not in message  # the password is never shown


def test_zhibi_db_status_and_upgrade(tmp_path):
    """`zhibi db` says where the database is and whether it is current; `zhibi db upgrade` makes it so."""
    path = tmp_path / "home" / "workspace.sqlite3"
    path.parent.mkdir()
    LegacyHistory(path).start_session("甲局", 2024, "旧笔记", owner="user:a")  # a history of the old code

    def db(*args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in __import__("os").environ.items() if k != "ZHIBI_DATABASE_URL"}
        return subprocess.run(
            [sys.executable, "-m", "ui.cli", "--home", str(tmp_path / "home"), "db", *args],
            capture_output=True, text=True, cwd=ROOT, env=env,
        )  # fmt: skip

    before = db()
    assert before.returncode == 1 and "未建立" in before.stdout and "zhibi db upgrade" in before.stdout
    upgraded = db("upgrade")
    assert upgraded.returncode == 0 and f"结构版本：{head()}" in upgraded.stdout, upgraded.stderr
    assert db("status").returncode == 0
    assert [s.notes for s in History(path).sessions(owner="user:a")] == ["旧笔记"]
