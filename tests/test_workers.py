"""Two workers, one database: separate processes with their own ZHIBI_HOME and one ZHIBI_DATABASE_URL (a real
PostgreSQL server, or one SQLite file) behave as one service. The same history, open work and locks on both; a draft started on one
is followed from the other; a worker killed mid-draft leaves its job failed with the notes saved, and 起草 on
the other worker runs it again. Each worker is tests/worker_driver.py: the real Workspace and Handlers."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

try:
    from tests.fake_openai import FakeOpenAI
except ImportError:  # tests/ itself on sys.path
    from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "worker_driver.py"
NOTES = (
    "执法：全年办理行政处罚案件326件，罚没款218.6万元\n"
    "复议应诉：行政复议案件5件，无败诉\n"
    "普法：开展“八五”普法宣传活动12场\n"
    "明年：推进执法信息化建设"
)
UNIT = "甲县交通运输局"
# seconds; a worker that says nothing for this long has hung (the test fails rather than wait forever)
REPLY_TIMEOUT = 180


class Worker:
    """A worker process and its request/reply pipe."""

    def __init__(self, home: Path, url: str, llm: FakeOpenAI, *, stale: float = 30.0) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ZHIBI_HOME": str(home),
            "ZHIBI_DATABASE_URL": url,
            "ZHIBI_LLM_BASE_URL": llm.base_url,
            "ZHIBI_LLM_API_KEY": "test",
            "ZHIBI_LLM_MODEL": "fake-model",
            "ZHIBI_JOB_HEARTBEAT": "0.5",
            "ZHIBI_JOB_STALE": str(stale),
        }
        for var in ("ZHIBI_CHROMA_URL", "ZHIBI_EMBED_BASE_URL", "ZHIBI_OUTLINE"):
            env.pop(var, None)
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")

    def reply(self) -> dict[str, Any]:
        line = self.lines.get(timeout=REPLY_TIMEOUT)
        if not line:
            raise AssertionError(f"worker exited with {self.proc.wait()}")
        return json.loads(line)

    def ready(self) -> str:
        return self.reply()["ready"]

    def ask(self, op: str, **fields: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **fields}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        answer = self.reply()
        assert answer.get("ok") or op in ("follow",) or "title" in answer, answer.get("trace", answer)
        return answer

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def slow_llm():
    """The fake LLM at a real server's pace: each request waits before its first piece."""
    with FakeOpenAI() as fake:
        fake.default = ("echo_facts",)
        fake.first_delay = 0.4
        yield fake


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request, tmp_path) -> str:
    """The one database of both workers: a real PostgreSQL server, or one SQLite file on this machine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def workers(tmp_path, database, slow_llm, request):
    stale = getattr(request, "param", 30.0)
    pair = [Worker(tmp_path / name, database, slow_llm, stale=stale) for name in ("a", "b")]
    try:
        names = [w.ready() for w in pair]
        assert names[0] != names[1]
        yield pair
    finally:
        for w in pair:
            w.close()


def test_two_workers_are_one_service(workers):
    a, b = workers
    owner = "browser:" + "1" * 32
    assert a.ask("draft", owner=owner, notes=NOTES, unit=UNIT, year=2024)["started"]
    running = b.ask("running", owner=owner)
    assert running["job"] and not running["local"]  # B sees A's job in the database
    # 起草 again, from a tab served by B: no second job starts; that tab follows A's
    assert b.ask("draft", owner=owner, notes=NOTES, unit=UNIT, year=2024)["started"]
    followed = b.ask("follow", owner=owner)
    assert followed["error"] is None and followed["steps"] >= 2, followed
    final = followed["draft"]
    assert final is not None and "326件" in json.dumps(final, ensure_ascii=False)
    a.ask("wait", owner=owner)
    b.ask("wait", owner=owner)

    # one session, seen alike from both workers
    sessions_a, sessions_b = a.ask("sessions", owner=owner), b.ask("sessions", owner=owner)
    assert len(sessions_a["sessions"]) == 1 and sessions_a == sessions_b
    # a reload on B: the notes, the unit and the draft A finished
    page = b.ask("restore", owner=owner)
    assert page["owner"] == owner and page["notes"] == NOTES and page["unit"] == UNIT
    assert page["draft"]["sections"] == final["sections"]
    # a lock set on A holds on B
    key = next(s["key"] for s in final["sections"] if s["text"] and s["key"] != "preamble")
    assert "已锁定" in a.ask("lock", owner=owner, key=key)["status"]
    locked = {s["key"]: s["locked"] for s in b.ask("restore", owner=owner)["draft"]["sections"]}
    assert locked[key] is True and sum(locked.values()) == 1
    # another owner sees none of it
    assert b.ask("sessions", owner="browser:" + "2" * 32)["sessions"] == []


@pytest.mark.parametrize("workers", [2.0], indirect=True)  # a job is dead 2 s after its last heartbeat
def test_killed_worker_leaves_a_failed_job_and_a_rerun(workers, slow_llm):
    a, b = workers
    owner = "browser:" + "3" * 32
    slow_llm.first_delay = 3.0  # A is certainly mid-draft when it dies
    assert a.ask("draft", owner=owner, notes=NOTES, unit=UNIT, year=2024)["started"]
    assert b.ask("running", owner=owner)["job"]
    a.kill()  # kill -9: no goodbye, no abandon()

    followed = b.ask("follow", owner=owner)  # a page on B follows until the heartbeat is stale
    assert followed["draft"] is None and "服务进程已停止" in (followed["error"] or ""), followed
    assert "笔记已保存" in followed["contents"][-1] and "重新起草" in followed["contents"][-1]
    assert b.ask("running", owner=owner)["job"] is None  # never a job alive forever

    page = b.ask("restore", owner=owner)  # a reload: the notes are there and the failure is said
    assert page["notes"] == NOTES and page["draft"] is None
    assert any("服务进程已停止" in c for c in page["chat"])

    slow_llm.first_delay = 0.0
    assert b.ask("draft", owner=owner, notes=NOTES, unit=UNIT, year=2024)["started"]  # the rerun
    b.ask("wait", owner=owner)
    page = b.ask("restore", owner=owner)
    assert page["draft"] is not None and "326件" in json.dumps(page["draft"], ensure_ascii=False)
    assert not any("服务进程已停止" in c for c in page["chat"])
    assert len(b.ask("sessions", owner=owner)["sessions"]) == 2  # the failed run's notes stay in the history


def test_serve_health_and_browser_secret_in_the_database(tmp_path, pg_url):
    """`zhibi serve` with a database URL: /healthz answers without a login, the secret is in the database."""
    import signal
    import urllib.request

    from ui.app import free_port
    from zhibi.store import open_store
    from zhibi.store.schema import secrets

    port = free_port()
    home = tmp_path / "home"
    env = {**os.environ, "ZHIBI_HOME": str(home), "ZHIBI_DATABASE_URL": pg_url, "ZHIBI_LLM_BASE_URL": ""}
    env["ZHIBI_AUTH_PASSWORD"] = "jia-Long-pass-2024"  # never on the command line
    env.pop("OPENAI_BASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--auth", "甲"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        lines = []
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if "执笔已启动" in line:
                break
        assert any(f":{port}/" in line for line in lines), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as resp:
            health = json.loads(resp.read())
        assert resp.status == 200 and health["status"] == "ok" and health["database"] == "postgresql"
        assert health["index"] == "loaded" and health["jobs_running"] == 0
        with open_store(pg_url).read() as db:
            names = [row.name for row in db.execute(secrets.select())]
        # the key that seals browser ids is the database's, never a file of one worker
        assert names == ["browser-seal"] and not (home / "browser-seal").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
