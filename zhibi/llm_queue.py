"""One LLM server shared by a city: a per-worker limit on requests in flight, a fair queue across owners, and a
circuit breaker whose state is in the database so that every worker stops sending to a dead server together.

- `FairLimiter`: at most ZHIBI_LLM_CONCURRENCY requests of this worker in flight. A request that must wait is
  served by owner in turn: the owner served least recently goes first, each owner's own requests in order. A
  whole-report draft (a dozen requests of one owner) therefore cannot keep a colleague's one-section
  regeneration waiting behind all of them: it waits for at most one request of each other owner.
- `SharedBreaker`: failed requests in a row, counted over every worker (the `llm_breaker` row of the endpoint).
  After ZHIBI_LLM_BREAKER_FAILURES of them no worker sends for ZHIBI_LLM_BREAKER_COOLDOWN seconds; then one
  worker (whichever claims the probe first) tries one request; its success closes the breaker for all.
- `SharedModel`: the chat model seen through both. The owner and where to report a place in the queue come from
  `asking(owner, on_wait)`, a context variable set by the handler or the job thread (and carried into the
  drafter's section threads).
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, select

from core.errors import LLMUnavailable
from zhibi.store import Store
from zhibi.store.schema import llm_breaker as B

log = logging.getLogger("zhibi.llm")

WaitFn = Callable[[int], None]  # called with the request's place in the queue (1 = next), 0 once it is sent


@dataclass(frozen=True)
class Asker:
    owner: str = ""
    on_wait: WaitFn | None = None


_NOBODY = Asker()  # frozen: safe as the default of every context
_asker: contextvars.ContextVar[Asker] = contextvars.ContextVar("zhibi_llm_asker", default=_NOBODY)  # noqa: B039


@contextmanager
def asking(owner: str, on_wait: WaitFn | None = None) -> Iterator[None]:
    """LLM requests made inside this block are `owner`'s; `on_wait(n)` hears their place in the queue."""
    token = _asker.set(Asker(owner, on_wait))
    try:
        yield
    finally:
        _asker.reset(token)


def ask_as(owner: str, on_wait: WaitFn | None = None) -> None:
    """For the rest of this thread (a draft job's own thread): its LLM requests are `owner`'s."""
    _asker.set(Asker(owner, on_wait))


def queue_message(place: int) -> str:
    """The line the user sees while a request waits for the LLM server."""
    return f"大模型繁忙，正在排队（第 {place} 位），轮到后自动继续"


# -- the fair queue ----------------------------------------------------------------------------------------
@dataclass
class _Ticket:
    owner: str
    number: int


@dataclass
class FairLimiter:
    """At most `limit` requests in flight (0 = no limit); waiting requests served least-recently-served owner
    first, FIFO within an owner."""

    limit: int
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _active: int = 0
    _waiting: list[_Ticket] = field(default_factory=list)
    _served: dict[str, int] = field(default_factory=dict)  # owner → when it was last served (a counter)
    _clock: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def active(self) -> int:
        return self._active

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def _order(self) -> list[_Ticket]:
        """The waiting tickets in the order they will be served (least recently served owner first)."""
        served = dict(self._served)
        pending = list(self._waiting)
        clock = max(served.values(), default=0)
        out: list[_Ticket] = []
        while pending:
            owners = {t.owner for t in pending}
            # ties (owners never served) go by arrival: the owner of the oldest waiting ticket
            owner = min(
                owners, key=lambda o: (served.get(o, 0), next(t.number for t in pending if t.owner == o))
            )
            ticket = next(t for t in pending if t.owner == owner)
            pending.remove(ticket)
            out.append(ticket)
            clock += 1
            served[owner] = clock
        return out

    @contextmanager
    def slot(self, owner: str, on_wait: WaitFn | None = None) -> Iterator[None]:
        if self.limit <= 0:
            yield
            return
        with self._cond:
            ticket = _Ticket(owner, next(self._clock))
            self._waiting.append(ticket)
            self._cond.notify_all()  # the others' places may change (a newcomer can go ahead of a busy owner)
            told = -1
            try:
                while True:
                    order = self._order()
                    if self._active < self.limit and order[0] is ticket:
                        break
                    place = order.index(ticket) + 1
                    if on_wait is not None and place != told:
                        told = place
                        on_wait(place)
                    self._cond.wait()
            except BaseException:
                self._waiting.remove(ticket)
                self._cond.notify_all()
                raise
            self._waiting.remove(ticket)
            self._active += 1
            self._served[owner] = next(self._clock)
        if on_wait is not None and told > 0:
            on_wait(0)
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()


_limiters: dict[int, FairLimiter] = {}
_limiters_lock = threading.Lock()


def limiter(limit: int) -> FairLimiter:
    """This worker's limiter (one per process, whatever the number of Workspaces)."""
    with _limiters_lock:
        if limit not in _limiters:
            _limiters[limit] = FairLimiter(limit)
        return _limiters[limit]


# -- the shared circuit breaker -----------------------------------------------------------------------------
class BreakerOpen(LLMUnavailable):
    """No request was sent: the breaker shared by every worker is open."""

    permanent = True  # the run's guard switches the model off at once: the rest of the draft goes offline


class SharedBreaker:
    def __init__(self, store: Store, endpoint: str, *, failures: int = 5, cooldown: float = 30.0) -> None:
        self.store = store
        self.endpoint = endpoint
        self.threshold = failures
        self.cooldown = cooldown
        self.probe_seconds = 120.0  # a probe that never reports back frees the probe after this

    def _ensure(self, db: Any) -> None:
        db.execute(
            self.store.insert(B)
            .values(endpoint=self.endpoint, updated=self.store.now())
            .on_conflict_do_nothing(index_elements=["endpoint"])
        )

    def check(self) -> None:
        """Raise BreakerOpen when this request must not be sent; claims the probe after the cool-down."""
        if self.threshold <= 0:
            return
        now = self.store.now()
        with self.store.read() as db:
            row = db.execute(
                select(B.c.failures, B.c.open_until).where(B.c.endpoint == self.endpoint)
            ).first()
        if row is None or row.failures < self.threshold:
            return
        if row.open_until > now:
            raise self._open(row.open_until - now)
        with self.store.write() as db:  # half-open: one trial request, by whoever claims it first
            claimed = db.execute(
                B.update()
                .where(B.c.endpoint == self.endpoint, B.c.probe_until < now, B.c.open_until <= now)
                .values(probe_until=now + self.probe_seconds, updated=now)
            ).rowcount
        if not claimed:
            raise self._open(self.cooldown)
        log.info("大模型服务冷却结束，本进程发送一次试探请求")

    def success(self) -> None:
        with self.store.read() as db:
            failures = db.execute(select(B.c.failures).where(B.c.endpoint == self.endpoint)).scalar()
        if failures:  # write only when there is something to reset (a success is the common case)
            with self.store.write() as db:
                db.execute(
                    B.update()
                    .where(B.c.endpoint == self.endpoint)
                    .values(failures=0, open_until=0, probe_until=0, updated=self.store.now(), reason="")
                )
            log.info("大模型服务恢复，各工作进程重新发送请求")

    def failure(self, reason: str) -> None:
        now = self.store.now()
        with self.store.write() as db:
            self._ensure(db)
            opens = B.c.failures + 1 >= self.threshold
            db.execute(
                B.update()
                .where(B.c.endpoint == self.endpoint)
                .values(
                    failures=B.c.failures + 1,
                    open_until=case((opens, now + self.cooldown), else_=B.c.open_until),
                    probe_until=0,
                    updated=now,
                    reason=reason[:500],
                )
            )

    def _open(self, seconds: float) -> BreakerOpen:
        return BreakerOpen(
            f"大模型服务暂停使用：各工作进程连续 {self.threshold} 次请求失败，约 {max(1, round(seconds))} 秒后自动重试",
            hint="请用 zhibi llm-check 检查大模型服务；本节已改用离线引擎",
        )


# -- the model seen through both -----------------------------------------------------------------------------
class SharedModel:
    """A ChatModel (OpenAICompatibleModel) behind the worker's fair limiter and the shared breaker."""

    supports_retries = True  # GuardedModel may pass retries=0 through to the wrapped client

    def __init__(self, model: Any, limiter: FairLimiter, breaker: SharedBreaker | None) -> None:
        self.model = model
        self.limiter = limiter
        self.breaker = breaker

    @property
    def name(self) -> str:
        return getattr(self.model, "name", type(self.model).__name__)

    def __getattr__(self, attr: str) -> Any:  # attempts, last_usage … of the wrapped client
        if attr == "model":
            raise AttributeError(attr)
        return getattr(self.model, attr)

    def complete(self, messages: list[Any], **kwargs: Any) -> Any:
        asker = _asker.get()
        if self.breaker is not None:
            self.breaker.check()
        with self.limiter.slot(asker.owner, asker.on_wait):
            try:
                reply = self.model.complete(messages, **kwargs)
            except LLMUnavailable as exc:
                self._failed(exc)
                raise
        self._succeeded()
        return reply

    def stream(self, messages: list[Any], **kwargs: Any) -> Generator[str, None, Any]:
        asker = _asker.get()
        if self.breaker is not None:
            self.breaker.check()
        with self.limiter.slot(asker.owner, asker.on_wait):
            try:
                reply = yield from self.model.stream(messages, **kwargs)
            except LLMUnavailable as exc:
                self._failed(exc)
                raise
        self._succeeded()
        return reply

    def _failed(self, exc: LLMUnavailable) -> None:
        if self.breaker is not None:
            self.breaker.failure(exc.message)

    def _succeeded(self) -> None:
        if self.breaker is not None:
            self.breaker.success()


def shared_model(model: Any, settings: Any) -> SharedModel:
    """`model` behind this worker's limiter and the breaker of its database (settings.database)."""
    from zhibi.store import open_store

    store = open_store(settings.database, pool_size=settings.db_pool_size)
    breaker = SharedBreaker(
        store,
        getattr(model, "base_url", "") or "https://api.openai.com/v1",
        failures=settings.llm_breaker_failures,
        cooldown=settings.llm_breaker_cooldown,
    )
    return SharedModel(model, limiter(settings.llm_concurrency), breaker)
