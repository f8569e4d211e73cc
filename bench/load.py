"""Load test of a city deployment on this machine (issue 20): two `zhibi serve` workers with their own
ZHIBI_HOME, one PostgreSQL server (ZHIBI_DATABASE_URL) and one Chroma server (`chroma run`, ZHIBI_CHROMA_URL),
driven by locust users over the HTTP API. Each simulated user is one owner (its gradio session) and repeats:
draft the whole report, regenerate one section, revise ("补充：…"), export the .docx, draft one section; it waits
3–8 s after each cycle. Users are spread over the two workers (as the proxy's sticky cookie does).

    .venv/bin/python bench/load.py                                   # offline engine, then the fake LLM, then a kill
    .venv/bin/python bench/load.py --engine offline --users 2,4,8 --step-seconds 60
    .venv/bin/python bench/load.py --engine llm --kill-only

For each number of users: requests, failures, p50/p95/max per action. "Users per worker" is the largest step
whose section actions (regenerate, one-section draft) have p95 < 3 s and whole-report drafts p95 < 10 s, with no
failure, divided by two. The kill run kills one worker (SIGKILL) mid-run; its users move to the other worker (as
the proxy fails over) and the run then checks in the database that nothing is lost: every version a user was
told is saved is in the history, every job has ended (none running), and every failed job kept its notes.
Results: bench/results/load.json. Needs PostgreSQL (Debian package) and locust (pip install -e '.[bench]').
"""

from __future__ import annotations

import sys

if __name__ == "__main__" and sys.argv[1:2] == ["--fake-llm"]:
    # The fake LLM server in a process of its own (the load generator's gevent must not pace it).
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from fake_openai import FakeOpenAI

    fake = FakeOpenAI(piece_chars=4)
    fake.default = ("echo_facts",)
    fake.first_delay, fake.piece_delay = float(sys.argv[2]), float(sys.argv[3])
    fake.start()
    print(fake.base_url, flush=True)
    while True:
        time.sleep(3600)

try:
    import gevent  # noqa: E402  (locust patches the standard library for gevent on import)
    from locust import User, between, events, task  # noqa: E402
    from locust.env import Environment  # noqa: E402
except ImportError:
    sys.exit("bench/load.py 需要 locust：.venv/bin/pip install -e '.[bench]'")

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import requests  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pgserver import PostgresServer  # noqa: E402

PY = sys.executable
RESULTS = ROOT / "bench" / "results" / "load.json"
UNIT = "某区交通运输局"
YEAR = "2023"
SECTION = "measures.enforcement"
SECTION_ACTIONS = ("regenerate section", "draft section")
REPORT_ACTIONS = ("draft report",)


def notes() -> str:
    path = SHARED / "eval/cases/d2-full-report-2022/notes.md"
    if path.exists():
        return path.read_text(encoding="utf-8")
    return (
        "执法：全年办理行政处罚案件326件，罚没款218.6万元\n复议应诉：行政复议案件5件，无败诉\n"
        "普法：开展“八五”普法宣传活动12场\n学法：局党组会议专题学法6次\n明年：推进执法信息化建设"
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=3).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what} 未在 {seconds:.0f} 秒内就绪（{url}）")


# -- the deployment ----------------------------------------------------------------------------------
@dataclass
class City:
    root: Path
    engine: str
    llm_first: float
    llm_piece: float
    concurrency: int
    pg: PostgresServer | None = None
    database: str = ""
    chroma_url: str = ""
    llm_url: str = ""
    workers: list[str] = field(default_factory=list)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self) -> City:
        self.pg = PostgresServer(max_connections=300).start()
        self.database = self.pg.create_database("zhibi")
        port = free_port()
        self.chroma_url = f"http://127.0.0.1:{port}"
        chroma = str(Path(PY).with_name("chroma"))
        self.procs["chroma"] = self._spawn(
            [chroma, "run", "--path", str(self.root / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
            {},
        )
        wait_http(f"{self.chroma_url}/api/v2/heartbeat", 90, "Chroma 服务")
        corpus = [str(ROOT / "corpus")]
        if (SHARED / "corpus" / "manifest.toml").exists():
            corpus.append(str(SHARED / "corpus"))
        started = time.perf_counter()
        subprocess.run(
            [PY, "-m", "ui.cli", "ingest", *corpus],
            env=self._env(self.root / "ingest-home"),
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"ingest into the Chroma server: {time.perf_counter() - started:.1f} s", flush=True)
        if self.engine == "llm":
            proc = self._spawn(
                [PY, str(Path(__file__).resolve()), "--fake-llm", str(self.llm_first), str(self.llm_piece)],
                {},
                pipe=True,
            )
            self.procs["llm"] = proc
            assert proc.stdout is not None
            self.llm_url = proc.stdout.readline().strip()
        for n in range(2):
            self.start_worker(n)
        for url in self.workers:
            wait_http(f"{url}/healthz", 240, f"工作进程 {url}")
        return self

    def _env(self, home: Path) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ZHIBI_HOME": str(home),
            "ZHIBI_DATABASE_URL": self.database,
            "ZHIBI_CHROMA_URL": self.chroma_url,
            "ZHIBI_LLM_CONCURRENCY": str(self.concurrency),
            "ZHIBI_JOB_STALE": "10",
            "ZHIBI_JOB_HEARTBEAT": "2",
        }
        for var in ("ZHIBI_LLM_BASE_URL", "OPENAI_BASE_URL", "ZHIBI_LLM_API_KEY", "OPENAI_API_KEY"):
            env.pop(var, None)
        if self.llm_url:
            env.update(
                ZHIBI_LLM_BASE_URL=self.llm_url, ZHIBI_LLM_API_KEY="bench", ZHIBI_LLM_MODEL="fake-model"
            )
        return env

    def _spawn(self, cmd: list[str], env: dict[str, str], *, pipe: bool = False) -> subprocess.Popen:
        """A server process; its output goes to a log file (a pipe nobody reads would fill and stall it)."""
        log = open(self.root / f"log-{len(self.procs)}.txt", "w")  # noqa: SIM115
        return subprocess.Popen(
            cmd,
            env=env or {**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            cwd=ROOT,
            stdout=subprocess.PIPE if pipe else log,
            stderr=log,
            text=True,
        )

    def start_worker(self, n: int) -> None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [PY, "-m", "ui.cli", "serve", "--port", str(port)]
        self.procs[f"worker{n}"] = self._spawn(cmd, self._env(self.root / f"home{n}"))
        self.workers.append(url)

    def kill_worker(self, n: int) -> None:
        proc = self.procs[f"worker{n}"]
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.pg is not None:
            self.pg.stop()

    def db_rows(self, sql: str) -> list[tuple]:
        import psycopg

        dsn = self.database.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as conn:
            return list(conn.execute(sql).fetchall())


# -- the simulated user ------------------------------------------------------------------------------
class ApiFailure(Exception):
    pass


class Drafter(User):
    """One owner: draft the report, regenerate a section, revise, export, draft one section."""

    wait_time = between(3, 8)
    workers: list[str] = []
    dead: set[str] = set()
    ledger: dict[str, dict[str, int]] = {}  # owner → versions the user was told are saved
    notes_text = ""
    counter = 0

    def on_start(self) -> None:
        Drafter.counter += 1
        self.base = self.workers[Drafter.counter % len(self.workers)]
        self.session = uuid.uuid4().hex[:12]
        self.owner = f"session:{self.session}"
        self.http = requests.Session()
        self.ledger.setdefault(self.owner, {"versions": 0})

    def call(self, api: str, data: list[Any], name: str, *, saves: bool = True) -> bool:
        """One API call timed from the POST to its last event; a failure is reported and ends the cycle."""
        started = time.perf_counter()
        exc: Exception | None = None
        length = 0
        if self.base in self.dead:  # the proxy would send this browser to a live worker
            self.base = next(w for w in self.workers if w not in self.dead)
        try:
            r = self.http.post(
                f"{self.base}/gradio_api/call/{api}",
                json={"data": data, "session_hash": self.session},
                timeout=60,
            )
            r.raise_for_status()
            event_id = r.json()["event_id"]
            with self.http.get(
                f"{self.base}/gradio_api/call/{api}/{event_id}", stream=True, timeout=300
            ) as s:
                s.raise_for_status()
                event, outcome = "", None
                for line in s.iter_lines(decode_unicode=True):
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event in ("complete", "error"):
                        length = len(line)
                        outcome = (event, line[5:].strip())
                        break
                if outcome is None:
                    raise ApiFailure("stream ended without an outcome")
                if outcome[0] == "error":
                    raise ApiFailure(outcome[1][:200])
                if outcome[1] in ("null", "[]"):
                    raise ApiFailure("no output")
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as e:
            self.dead.add(self.base)
            exc = e
        except Exception as e:  # reported to locust as this action's failure
            exc = e
        events.request.fire(
            request_type="API",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=length,
            exception=exc,
            context={"worker": self.base},
        )
        if exc is None and saves:
            self.ledger[self.owner]["versions"] += 1
        return exc is None

    def on_stop(self) -> None:
        self.http.close()

    @task
    def cycle(self) -> None:
        if not self.call("draft", [self.notes_text, UNIT, YEAR, "report"], "draft report"):
            return
        if not self.call("regenerate", [SECTION, "", ""], "regenerate section"):
            return
        if not self.call("revise", ["补充：全年办理行政复议案件5件"], "revise"):
            return
        if not self.call("export", [False], "export docx", saves=False):
            return
        self.call("draft", [self.notes_text, UNIT, YEAR, SECTION], "draft section")


# -- runs ----------------------------------------------------------------------------------------------
def run_step(city: City, users: int, seconds: float, *, kill_at: float | None = None) -> dict[str, Any]:
    Drafter.workers = list(city.workers)
    Drafter.dead = set()
    Drafter.notes_text = notes()
    env = Environment(user_classes=[Drafter], events=events)
    runner = env.create_local_runner()
    load_before = os.getloadavg()[0]
    runner.start(users, spawn_rate=max(1, users / 5))
    if kill_at is not None:
        gevent.sleep(kill_at)
        city.kill_worker(0)
        print(f"  killed worker 0 at {kill_at:.0f} s", flush=True)
        gevent.sleep(max(0.0, seconds - kill_at))
    else:
        gevent.sleep(seconds)
    runner.stop()
    runner.quit()
    out: dict[str, Any] = {"users": users, "seconds": seconds, "load_before": round(load_before, 2)}
    out["load_after"] = round(os.getloadavg()[0], 2)
    actions = {}
    for (name, _method), entry in env.stats.entries.items():
        if entry.num_requests == 0:
            continue
        actions[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time),
        }
    out["actions"] = actions
    out["errors"] = {f"{e.name}: {e.error}"[:300]: e.occurrences for e in env.stats.errors.values()}
    return out


def meets(step: dict[str, Any]) -> bool:
    acts = step["actions"]
    if not all(a in acts for a in (*SECTION_ACTIONS, *REPORT_ACTIONS)):
        return False
    if any(a["failures"] for a in acts.values()):
        return False
    return all(acts[a]["p95_ms"] < 3000 for a in SECTION_ACTIONS) and all(
        acts[a]["p95_ms"] < 10000 for a in REPORT_ACTIONS
    )


def drain(city: City, seconds: float = 60) -> None:
    """Let running jobs end before the next step (a cut-off user's draft still finishes on its worker)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not city.db_rows("SELECT count(*) FROM jobs WHERE state = 'running'")[0][0]:
            return
        time.sleep(1)


def audit(city: City, stale: float = 10.0) -> dict[str, Any]:
    """After the kill: nothing lost, nothing alive forever."""
    from zhibi.jobs import JobStore
    from zhibi.store import open_store

    time.sleep(stale + 3)  # the dead worker's jobs go stale
    # Whoever looks fails a dead job: a page load of its owner, a new 起草, a follower. The API users that
    # have not come back yet are looked at here, as their next page load would.
    reaped = JobStore(open_store(city.database), stale=stale).reap()
    running = city.db_rows("SELECT count(*) FROM jobs WHERE state = 'running'")[0][0]
    by_owner = dict(
        city.db_rows(
            "SELECT s.owner, count(d.id) FROM sessions s LEFT JOIN drafts d ON d.session_id = s.id GROUP BY s.owner"
        )
    )
    lost = {
        owner: row["versions"] - by_owner.get(owner, 0)
        for owner, row in Drafter.ledger.items()
        if row["versions"] > by_owner.get(owner, 0)
    }
    failed = city.db_rows(
        "SELECT j.id, length(s.notes) FROM jobs j JOIN sessions s ON s.id = j.session_id WHERE j.state = 'failed'"
    )
    return {
        "versions_told_saved": sum(r["versions"] for r in Drafter.ledger.values()),
        "versions_in_database": sum(by_owner.get(o, 0) for o in Drafter.ledger),
        "owners_missing_versions": lost,
        "dead_jobs_failed_by_the_final_look": reaped,
        "jobs_still_running": running,
        "jobs_failed": len(failed),
        "failed_jobs_without_notes": sum(1 for _id, n in failed if not n),
    }


def table(steps: list[dict[str, Any]]) -> str:
    lines = [
        "| users (per worker) | action | requests | failures | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for step in steps:
        for name, a in sorted(step["actions"].items()):
            lines.append(
                f"| {step['users']} ({step['users'] / 2:g}) | {name} | {a['requests']} | {a['failures']} | "
                f"{a['p50_ms']:.0f} | {a['p95_ms']:.0f} | {a['max_ms']} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["offline", "llm", "both"], default="both")
    parser.add_argument("--users", default="2,4,6,8", help="total users of each step (two workers)")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument(
        "--kill-users", type=int, default=0, help="users of the kill run (0: the last passing step)"
    )
    parser.add_argument("--kill-seconds", type=float, default=60)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--kill-only", action="store_true")
    parser.add_argument("--llm-first", type=float, default=0.6, help="fake LLM: seconds to the first token")
    parser.add_argument(
        "--llm-piece", type=float, default=0.02, help="fake LLM: seconds between 4-char pieces"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="ZHIBI_LLM_CONCURRENCY per worker")
    args = parser.parse_args()
    engines = ["offline", "llm"] if args.engine == "both" else [args.engine]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for engine in engines:
        root = Path(tempfile.mkdtemp(prefix=f"zhibi-load-{engine}-"))
        city = City(root, engine, args.llm_first, args.llm_piece, args.concurrency)
        print(f"== {engine}: starting PostgreSQL, Chroma, 2 workers in {root}", flush=True)
        try:
            city.start()
            steps: list[dict[str, Any]] = []
            if not args.kill_only:
                for users in [int(u) for u in args.users.split(",")]:
                    step = run_step(city, users, args.step_seconds)
                    step["meets_targets"] = meets(step)
                    steps.append(step)
                    print(table([step]), flush=True)
                    drain(city)
            passing = [s["users"] for s in steps if s["meets_targets"]]
            record: dict[str, Any] = {
                "engine": engine,
                "llm_first_token_s": args.llm_first if engine == "llm" else None,
                "llm_piece_s": args.llm_piece if engine == "llm" else None,
                "llm_concurrency": args.concurrency,
                "steps": steps,
                "users_per_worker": (max(passing) / 2) if passing else 0,
                "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "cpus": os.cpu_count(),
            }
            if not args.no_kill:
                Drafter.ledger = {}
                users = args.kill_users or (max(passing) if passing else 2)
                kill = run_step(city, users, args.kill_seconds, kill_at=args.kill_seconds / 3)
                kill["audit"] = audit(city)
                record["kill"] = kill
                print(table([kill]), flush=True)
                print(json.dumps(kill["audit"], ensure_ascii=False), flush=True)
            earlier = results.get(engine, {})
            if args.kill_only or args.no_kill:  # a partial run adds to the record of the full one
                kept = {s["users"]: s for s in earlier.get("steps", [])}
                kept.update({s["users"]: s for s in steps})
                record["steps"] = [kept[u] for u in sorted(kept)]
                passing = [s["users"] for s in record["steps"] if s["meets_targets"]]
                record["users_per_worker"] = (max(passing) / 2) if passing else 0
                if args.no_kill and "kill" in earlier:
                    record["kill"] = earlier["kill"]
            results[engine] = record
            RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"users per worker ({engine}): {record['users_per_worker']:g}", flush=True)
        finally:
            city.stop()
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
