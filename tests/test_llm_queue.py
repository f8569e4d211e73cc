"""zhibi.llm_queue: the per-worker limit on LLM requests, the fair queue across owners, the breaker shared by
every worker through the database (SQLite and a real PostgreSQL), and the queue place the user sees."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from core.config import resolve_settings
from zhibi.llm_queue import BreakerOpen, FairLimiter, SharedBreaker, queue_message, shared_model
from zhibi.store import open_store
from zhibi.store.schema import llm_breaker

try:
    from tests.fake_openai import FakeOpenAI
except ImportError:  # tests/ itself on sys.path
    from fake_openai import FakeOpenAI


def until(condition: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    """Wait for a state of the threads under test (the test fails if it never comes; nothing is timed)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


class Requests:
    """Requests held inside the limiter until released one by one; the order they were let in."""

    def __init__(self, limiter: FairLimiter) -> None:
        self.limiter = limiter
        self.order: list[str] = []
        self.places: dict[str, list[int]] = {}
        self.gates: dict[str, threading.Event] = {}
        self.in_flight = 0
        self.most = 0
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def send(self, owner: str, name: str) -> None:
        self.gates[name] = threading.Event()
        self.places[name] = []

        def run() -> None:
            with self.limiter.slot(owner, self.places[name].append):
                with self.lock:
                    self.order.append(name)
                    self.in_flight += 1
                    self.most = max(self.most, self.in_flight)
                self.gates[name].wait(30)
                with self.lock:
                    self.in_flight -= 1

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()


def test_a_report_cannot_starve_a_colleagues_regeneration():
    """One slot; owner A's report has five requests, B asks for one section after them: B goes second."""
    limiter = FairLimiter(1)
    r = Requests(limiter)
    r.send("user:a", "a1")
    until(lambda: r.order == ["a1"], "a1 sent")
    for n in range(2, 6):
        r.send("user:a", f"a{n}")
        until(lambda n=n: limiter.waiting == n - 1, f"a{n} queued")
    r.send("user:b", "b1")
    until(lambda: limiter.waiting == 5, "b1 queued")
    assert r.places["b1"] == [1]  # told at once: next in line
    until(lambda: r.places["a5"] == [4, 5], "a5 told it moved back one place when b1 arrived")
    for name in ["a1", "b1", "a2", "a3", "a4", "a5"]:
        until(lambda name=name: name in r.order, f"{name} sent")
        r.gates[name].set()
    for thread in r.threads:
        thread.join(10)
    assert r.order == ["a1", "b1", "a2", "a3", "a4", "a5"]
    assert r.places["a5"][-1] == 0 and r.places["b1"] == [1, 0]
    assert r.places["a1"] == []  # never waited, never told


def test_owners_take_turns_and_the_limit_holds():
    """Two slots, three owners with three requests each: no more than two in flight; turns go round."""
    limiter = FairLimiter(2)
    r = Requests(limiter)
    for n in range(3):
        for owner in "xyz":
            r.send(f"user:{owner}", f"{owner}{n}")
            until(lambda: limiter.active + limiter.waiting == len(r.gates), "queued")
    until(lambda: limiter.active == 2 and limiter.waiting == 7, "two in flight, seven waiting")
    released = 0
    while released < 9:
        until(lambda released=released: len(r.order) >= min(9, released + 1), "next sent")
        r.gates[r.order[released]].set()
        released += 1
    for thread in r.threads:
        thread.join(10)
    assert r.most == 2
    assert r.order[:2] == ["x0", "y0"]  # the first two, as they came
    # then every owner in turn, never one owner twice while another waits
    for i in range(2, 9, 3):
        assert len({name[0] for name in r.order[i : i + 3]}) == len(r.order[i : i + 3])


def test_no_limit_means_no_waiting():
    limiter = FairLimiter(0)
    places: list[int] = []
    with limiter.slot("a", places.append), limiter.slot("a", places.append):
        pass
    assert places == [] and limiter.active == 0


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    target = str(tmp_path / "ws.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    return open_store(target)


def _cool_down(store) -> None:
    """Move the breaker's clock past its cool-down (instead of sleeping through it)."""
    with store.write() as db:
        db.execute(llm_breaker.update().values(open_until=store.now() - 1))


def test_breaker_is_shared_by_every_worker(store):
    one = SharedBreaker(store, "http://llm:8000/v1", failures=3, cooldown=30)
    two = SharedBreaker(store, "http://llm:8000/v1", failures=3, cooldown=30)
    other = SharedBreaker(store, "http://other:8000/v1", failures=3, cooldown=30)
    one.failure("连接失败")
    two.failure("连接失败")
    one.check()  # two failures in a row, over both workers: still closed
    two.failure("超时")
    for worker in (one, two):  # the third opens it for everyone
        with pytest.raises(BreakerOpen, match="暂停使用"):
            worker.check()
    other.check()  # another endpoint is not affected

    _cool_down(store)
    one.check()  # the cool-down is over: one worker claims the trial request…
    with pytest.raises(BreakerOpen):
        two.check()  # …and the others still wait for its outcome
    one.failure("连接失败")  # the trial failed: open again, for a whole cool-down
    _cool_down(store)
    two.check()  # now the other worker tries
    two.success()
    one.check()
    two.check()  # closed for all
    one.failure("超时")
    one.check()  # counting starts again from zero


def test_dead_server_stops_every_worker_together(tmp_path):
    """Two workers' clients over one database: after worker 1's failures, worker 2 sends nothing."""
    from drafting.engines.llm.client import GuardedModel, LLMSwitchedOff, OpenAICompatibleModel

    with FakeOpenAI() as fake:
        fake.default = ("status", 503, "model is loading")

        def worker(name: str):
            settings = resolve_settings(
                home=str(tmp_path / name),
                database_url=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
                llm_base_url=fake.base_url,
                llm_api_key="k",
                llm_retries=0,
                llm_breaker_failures=3,
            )
            return shared_model(OpenAICompatibleModel(settings), settings)

        one, two = worker("one"), worker("two")
        messages = [("user", "起草")]
        for _ in range(3):
            with pytest.raises(Exception, match="503"):
                one.complete(messages)
        sent = len(fake.chat_requests())
        assert sent == 3
        guarded = GuardedModel(two, threshold=3)  # worker 2's next draft
        with pytest.raises(LLMSwitchedOff, match="暂停使用") as caught:
            guarded.complete(messages)
        assert caught.value.opened  # the rest of that draft goes offline at once, said once
        assert len(fake.chat_requests()) == sent  # and nothing reached the dead server

        fake.default = ("text", "依法行政，各项工作有序推进。")
        _cool_down(one.breaker.store)
        assert "有序推进" in two.complete(messages)  # the trial request succeeds…
        assert "有序推进" in one.complete(messages)  # …and every worker sends again


def test_the_job_shows_its_place_in_the_queue(tmp_path):
    """A draft job waiting for the LLM says so in its status, on this worker and in its record for others."""
    from ui.handlers import Handlers
    from zhibi.llm_queue import _asker

    try:
        from tests.test_ui import NOTES, FakeWorkspace
    except ImportError:
        from test_ui import NOTES, FakeWorkspace

    class QueuedWorkspace(FakeWorkspace):
        seen: list[str] = []

        def stream_draft(self, *args, **kwargs):
            asker = _asker.get()
            asker.on_wait(3)  # what the limiter says while three requests are ahead of this one
            self.seen.append(handlers.job_store.running(asker.owner).status)
            asker.on_wait(0)
            yield from super().stream_draft(*args, **kwargs)

    ws = QueuedWorkspace(tmp_path / "home")
    handlers = Handlers(ws, export_root=tmp_path / "exports")
    *_, last = list(handlers.draft(NOTES, "甲县交通运输局", 2024, "report", None, "browser:" + "q" * 32))
    assert ws.seen == [queue_message(3)]
    assert "第 3 位" in ws.seen[0]
    assert last[3].unit == "甲县交通运输局"

    toasts: list[str] = []
    import ui.handlers as uh

    original = uh.info
    uh.info = toasts.append
    try:
        with handlers.asking("user:t"):
            _asker.get().on_wait(2)
            _asker.get().on_wait(1)
            _asker.get().on_wait(0)
    finally:
        uh.info = original
    assert toasts == [queue_message(2)]  # one toast per request, not one per step
