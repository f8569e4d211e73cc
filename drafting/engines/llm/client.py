"""The model seam: a ChatModel protocol, the OpenAI-compatible client behind it, and a fake for tests.

Messages are plain (role, content) tuples with role "system", "user" or "assistant"; langchain objects
never leave this module. `stream()` yields text pieces and, being a generator, *returns* the full reply
(StopIteration.value): when a stream is cut short and retried, the pieces already shown are not shown
again, so the joined pieces are for display while the return value is the reply to keep.

Replies are `Reply` strings: the `content` the server sent, with the reasoning it sent in a separate field
(`reasoning_content` of DeepSeek and vLLM's reasoning parsers, `reasoning` of Ollama) and the finish reason
as attributes. While a model reasons, `stream()` yields `Thinking` pieces, which are not part of the reply.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

from core.config import Settings
from core.errors import LLMUnavailable
from core.ports import ChatModel, Message

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

log = logging.getLogger("zhibi.llm")

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_API_BASE = "https://api.openai.com/v1"
RETRY_STATUSES = frozenset({408, 409, 429})  # plus every 5xx


class Reply(str):
    """A reply's content, with what the server sent beside it."""

    reasoning: str = ""
    finish_reason: str = ""

    def __new__(cls, content: str, reasoning: str = "", finish_reason: str = "") -> Reply:
        reply = super().__new__(cls, content)
        reply.reasoning = reasoning
        reply.finish_reason = finish_reason or ""
        return reply

    @property
    def truncated(self) -> bool:
        """The server stopped at the token limit (ZHIBI_LLM_MAX_TOKENS or its own)."""
        return self.finish_reason == "length"


class Thinking(str):
    """A piece of the model's reasoning while it streams (shown collapsed, never drafted)."""


def collect(pieces: Iterator[str], on_piece: Callable[[str], None] | None = None) -> str:
    """Drain a stream, calling on_piece for each piece; return the generator's full reply when it gives one."""
    shown: list[str] = []
    while True:
        try:
            piece = next(pieces)
        except StopIteration as stop:
            final = stop.value
            break
        if not isinstance(piece, Thinking):
            shown.append(piece)
        if on_piece is not None and piece:
            on_piece(piece)
    return final if isinstance(final, str) else "".join(shown)


# -- errors -------------------------------------------------------------------
class _CutShort(Exception):
    """The stream ended before the server said it was finished."""


class ReplyCut(LLMUnavailable):
    """The client stopped a reply that ran past its bounds: too long, past its deadline, or repeating itself.

    Never retried (the same request would run into the same bound) and never used as if it were complete:
    the section goes to the offline engine with a warning that names the bound."""

    def __init__(self, message: str, *, hint: str = "", partial: str = "", why: str = "") -> None:
        super().__init__(message, hint=hint)
        self.partial = partial
        self.why = why  # "chars" | "deadline" | "loop"


LOOP_TAIL = 40  # characters at the end of a reply that, found this many times before, mean it loops
LOOP_REPEATS = 4
LOOP_EVERY = 200  # characters between two checks (the check is linear in the reply's length)
LOOP_MIN = 600  # a reply shorter than this is never called a loop


def repeats_itself(text: str) -> bool:
    """Whether the reply's last LOOP_TAIL characters occur LOOP_REPEATS times or more: a model stuck in a
    loop repeats a sentence or a paragraph, while ordinary prose repeats no 40-character run that often."""
    if len(text) < LOOP_MIN:
        return False
    tail = text[-LOOP_TAIL:]
    if len(set(tail)) < 4:  # a run of one or two characters ("……………") repeats trivially; still a loop
        return text.count(tail) >= LOOP_REPEATS * 4
    return text.count(tail) >= LOOP_REPEATS


class _Retryable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _key_hint() -> str:
    return "请检查 ZHIBI_LLM_API_KEY（或 OPENAI_API_KEY）是否正确；本地服务不需要密钥时可不设"


def _model_hint() -> str:
    return "请用 ZHIBI_LLM_MODEL 设为该服务提供的模型名，并确认 ZHIBI_LLM_BASE_URL 以 /v1 结尾"


# -- the real client ------------------------------------------------------------
class OpenAICompatibleModel:
    """Any OpenAI-compatible /v1/chat/completions endpoint via langchain_openai.ChatOpenAI.

    Retries (settings.llm_retries times, waits backoff·2^k) on timeouts, connection errors, 408/409/429,
    5xx and streams cut short; then raises LLMUnavailable. 401/403/404 raise LLMUnavailable at once.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from core.offline import prepare_offline

        prepare_offline()
        self.settings = settings
        self.model_name = settings.llm_model or DEFAULT_MODEL
        self.base_url = settings.llm_base_url.rstrip("/") if settings.llm_base_url else ""
        self.retries = max(0, int(settings.llm_retries))
        self.timeout = float(settings.llm_timeout)
        self.backoff = backoff
        self._sleep = sleep
        self.attempts = 0  # requests made by the last call
        self.last_usage: dict[str, int] | None = None
        # Bounds on one streamed reply, whatever the server does: characters of text and of reasoning, and a
        # wall-clock deadline per request (the per-read timeout never trips on a server that drips a piece
        # every few seconds).
        self.max_chars = int(settings.llm_max_chars)
        self.request_deadline = float(settings.llm_request_deadline)
        extra = dict(settings.llm_extra)
        if settings.llm_max_tokens > 0:
            # `max_tokens` in the body itself: ChatOpenAI would send `max_completion_tokens`, which llama.cpp,
            # Ollama and older vLLM ignore. A value in ZHIBI_LLM_EXTRA_BODY wins.
            extra.setdefault("max_tokens", int(settings.llm_max_tokens))
        self._chat = _chat_class()(
            model=self.model_name,
            # ChatDeepSeek's default is DeepSeek's own API; with no base URL configured we mean OpenAI's.
            api_base=self.base_url or OPENAI_API_BASE,
            api_key=settings.llm_api_key or "not-needed",
            temperature=float(settings.llm_temperature),
            timeout=self.timeout,
            max_retries=0,
            extra_body=extra or None,
        )

    @property
    def name(self) -> str:
        return f"{self.model_name}@{self.base_url or 'api.openai.com'}"

    # ChatModel ----------------------------------------------------------------
    def complete(self, messages: list[Message], *, retries: int | None = None) -> Reply:
        payload = _to_langchain(messages)
        self.attempts = 0
        self.last_usage = None
        retries = self.retries if retries is None else max(0, retries)
        for attempt in range(retries + 1):
            self.attempts = attempt + 1
            try:
                reply = self._chat.invoke(payload)
                self.last_usage = _usage(reply)
                return Reply(
                    _text(reply),
                    reasoning=str(reply.additional_kwargs.get("reasoning_content") or ""),
                    finish_reason=str(reply.response_metadata.get("finish_reason") or ""),
                )
            except Exception as exc:  # noqa: BLE001 - sorted into retry / fail below
                self._handle(exc, attempt, retries)
        raise AssertionError("unreachable")

    def stream(
        self, messages: list[Message], *, retries: int | None = None, deadline: float | None = None
    ) -> Generator[str, None, Reply]:
        """Stream one reply; `deadline` (time.monotonic) ends it at the latest, with the request deadline."""
        payload = _to_langchain(messages)
        self.attempts = 0
        self.last_usage = None
        shown = ""  # text already yielded, over all attempts
        thought_shown = 0  # characters of reasoning already yielded, over all attempts
        retries = self.retries if retries is None else max(0, retries)
        for attempt in range(retries + 1):
            self.attempts = attempt + 1
            reply = ""
            reasoning = ""
            finished = ""
            caught_up = False
            ends = time.monotonic() + self.request_deadline if self.request_deadline > 0 else None
            if deadline is not None:
                ends = deadline if ends is None else min(ends, deadline)
            checked = 0
            try:
                for chunk in self._chat.stream(payload):
                    if ends is not None and time.monotonic() > ends:
                        raise self._cut("deadline", reply)
                    if self.max_chars > 0 and (
                        len(reply) > self.max_chars or len(reasoning) > 4 * self.max_chars
                    ):
                        raise self._cut("chars", reply)
                    if len(reply) - checked >= LOOP_EVERY:
                        checked = len(reply)
                        if repeats_itself(reply):
                            raise self._cut("loop", reply)
                    if chunk.response_metadata.get("finish_reason"):
                        finished = str(chunk.response_metadata["finish_reason"])
                    usage = _usage(chunk)
                    if usage:
                        self.last_usage = usage
                    thought = chunk.additional_kwargs.get("reasoning_content")
                    if thought:
                        reasoning += thought
                        if len(reasoning) > thought_shown:  # a retry's reasoning is not shown twice either
                            yield Thinking(reasoning[thought_shown:])
                            thought_shown = len(reasoning)
                    piece = _text(chunk)
                    if not piece:
                        continue
                    reply += piece
                    if len(reply) > len(shown):
                        if attempt and shown and not caught_up:
                            caught_up = True
                            if not reply.startswith(shown):
                                log.warning("重试后的回复与已显示的开头不同；以重试后的完整回复为准")
                        new = reply[len(shown) :]
                        shown += new
                        yield new
                if not finished:
                    raise _CutShort("回复中途中断（流在结束标记前断开）")
                return Reply(reply, reasoning=reasoning, finish_reason=finished)
            except Exception as exc:  # noqa: BLE001 - sorted into retry / fail below
                self._handle(exc, attempt, retries)
        raise AssertionError("unreachable")

    def _cut(self, why: str, partial: str) -> ReplyCut:
        """The error for a reply stopped at a bound (the stream is closed when the generator unwinds)."""
        if why == "deadline":
            message = (
                f"大模型回复超过 {self.request_deadline:g} 秒仍未结束，已中止（已收到 {len(partial)} 字）"
            )
            hint = "服务过慢时可调大 ZHIBI_LLM_DEADLINE，或改用更快的模型、离线引擎"
        elif why == "chars":
            message = f"大模型回复超过 {self.max_chars:,} 字仍未结束，已中止"
            hint = "一节不应这么长：可调小提示、检查模型是否失控，或调大 ZHIBI_LLM_MAX_CHARS"
        else:
            message = f"大模型回复在不断重复同一段内容，已在 {len(partial):,} 字处中止"
            hint = "可换用更稳定的模型，或调低 ZHIBI_LLM_TEMPERATURE 后重试"
        log.warning("%s", message)
        return ReplyCut(message, hint=hint, partial=partial, why=why)

    # retry policy -------------------------------------------------------------
    def _handle(self, exc: Exception, attempt: int, retries: int) -> None:
        """Return to retry after waiting; raise LLMUnavailable when the error is final or retries are spent."""
        if isinstance(exc, ReplyCut):
            raise exc  # the same request would run into the same bound: not retried
        reason = self._classify(exc)  # raises LLMUnavailable for errors a retry cannot fix
        if attempt >= retries:
            where = self.base_url or "https://api.openai.com/v1（未设置 ZHIBI_LLM_BASE_URL）"
            raise LLMUnavailable(
                f"大模型服务 {where} 请求 {attempt + 1} 次均失败（最后一次：{reason}）",
                hint=(
                    "请确认 ZHIBI_LLM_BASE_URL 指向已启动的 OpenAI 兼容接口（如 http://127.0.0.1:8000/v1），"
                    "回复慢时可调大 ZHIBI_LLM_TIMEOUT；也可改用离线引擎（--engine offline）"
                ),
            ) from exc
        wait = self.backoff * (2**attempt)
        log.warning("大模型请求失败（%s），%.1f 秒后第 %d 次重试", reason, wait, attempt + 1)
        self._sleep(wait)

    def _classify(self, exc: Exception) -> str:
        import httpx
        import openai

        if isinstance(exc, _CutShort):
            return str(exc)
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return f"超时（{self.timeout:g} 秒无响应）"
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            detail = _detail(exc)
            if status in (401, 403):
                raise _permanent(
                    f"大模型服务拒绝了访问（HTTP {status}：{detail}）", hint=_key_hint()
                ) from exc
            if status == 404:
                raise _permanent(
                    f"大模型服务找不到模型 {self.model_name} 或接口地址（HTTP 404：{detail}）",
                    hint=_model_hint(),
                ) from exc
            if status in RETRY_STATUSES or status >= 500:
                return f"HTTP {status}：{detail}"
            raise LLMUnavailable(
                f"大模型服务拒绝了请求（HTTP {status}：{detail}）",
                hint="请求内容过长时可调小 ZHIBI_LLM_CONTEXT_TOKENS；或检查 ZHIBI_LLM_MODEL 是否支持对话接口",
            ) from exc
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return f"连接失败（{type(exc).__name__}：{_short(exc)}）"
        if isinstance(exc, openai.APIError):  # an error event inside the stream
            return f"服务返回错误：{_short(exc)}"
        if not isinstance(exc, ValueError | KeyError | TypeError | AttributeError):
            raise exc  # not a reply we could not read: a bug or an interrupt must surface, never become a fallback
        raise LLMUnavailable(
            f"大模型服务的回复无法解析（{type(exc).__name__}：{_short(exc)}）",
            hint="请确认 ZHIBI_LLM_BASE_URL 指向 OpenAI 兼容的 /v1 接口",
        ) from exc


def _permanent(message: str, *, hint: str) -> LLMUnavailable:
    """A failure every later request would repeat (wrong key, unknown model): no point asking again this run."""
    exc = LLMUnavailable(message, hint=hint)
    exc.permanent = True  # type: ignore[attr-defined]
    return exc


def _short(exc: BaseException, limit: int = 160) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "…"


def _detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return _short(Exception(inner["message"]))
        if body.get("message"):
            return _short(Exception(body["message"]))
    return _short(Exception(getattr(exc, "message", "") or str(exc)))


def _chat_class() -> type:
    """The langchain chat model for any OpenAI-compatible server: langchain-deepseek's ChatDeepSeek.

    It is ChatOpenAI that keeps the reasoning OpenAI-compatible servers send beside `content` (DeepSeek and vLLM's
    reasoning parsers in `reasoning_content`, Ollama and newer vLLM in `reasoning`) in
    additional_kwargs["reasoning_content"], streamed or not, through its public class: the reasoning is kept out of
    the draft and put in the audit. Its name says DeepSeek; it talks to whatever `base_url` names.
    """
    from langchain_deepseek import ChatDeepSeek

    return ChatDeepSeek


def _reasoning_of(message: Any) -> str:
    if not isinstance(message, dict):
        return ""
    for key in ("reasoning_content", "reasoning"):
        value = message.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _to_langchain(messages: list[Message]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {
        "system": SystemMessage,
        "user": HumanMessage,
        "human": HumanMessage,
        "assistant": AIMessage,
        "ai": AIMessage,
    }
    out = []
    for role, content in messages:
        if role not in kinds:
            raise ValueError(f"unknown message role {role!r}")
        out.append(kinds[role](content=content))
    return out


def _text(message: Any) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def _usage(message: Any) -> dict[str, int] | None:
    usage = getattr(message, "usage_metadata", None)
    if not usage:
        return None
    return {k: int(usage.get(k, 0)) for k in ("input_tokens", "output_tokens", "total_tokens")}


# -- circuit breaker -------------------------------------------------------------
class LLMSwitchedOff(LLMUnavailable):
    """The model failed too often in a row during this run: the rest of it goes to the offline engine.

    `opened` is True on the call that switched it off (its message says so, once); later calls raise a quiet
    instance without making a request.
    """

    def __init__(self, message: str, *, hint: str = "", opened: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.opened = opened


class GuardedModel:
    """One run's view of the chat model, switched off for the rest of the run after `threshold` failed requests
    in a row (a request that failed, retries included, or a reply rejected as unusable) or one failure no retry
    can fix (key refused, model unknown). After a failure the next call is tried once, without retries. A dead
    server thus costs a report one call's retries instead of a timeout per section.

    threshold <= 0 turns the guard off (every call as configured, as before).
    """

    def __init__(self, model: ChatModel, threshold: int, draft_deadline: float = 0.0) -> None:
        self.model = model
        self.threshold = threshold
        self.failures = 0
        self.switched_off = False
        self._lock = threading.Lock()
        # One run's wall clock: past it, the rest of the draft goes to the offline engine (0 = none).
        self.draft_deadline = float(draft_deadline)
        self.ends = time.monotonic() + self.draft_deadline if self.draft_deadline > 0 else None

    @property
    def name(self) -> str:
        return getattr(self.model, "name", type(self.model).__name__)

    def __getattr__(self, attr: str) -> Any:  # last_usage, attempts… of the wrapped client
        if attr == "model":
            raise AttributeError(attr)
        return getattr(self.model, attr)

    def _kwargs(self) -> dict[str, int]:
        # a wrapper that passes `retries` through (zhibi.llm_queue.SharedModel) says so
        retries_ok = isinstance(self.model, OpenAICompatibleModel) or getattr(
            self.model, "supports_retries", False
        )
        if self.threshold > 0 and self.failures and retries_ok:
            return {"retries": 0}
        return {}

    def _check(self) -> None:
        if self.switched_off:
            raise LLMSwitchedOff("大模型已停用（本次起草中连续失败）")
        if self.ends is not None and time.monotonic() > self.ends:
            with self._lock:
                opened, self.switched_off = not self.switched_off, True
            raise LLMSwitchedOff(
                f"本次起草已用满 {self.draft_deadline:g} 秒，其余部分改用离线引擎",
                hint="服务过慢时可调大 ZHIBI_LLM_DRAFT_DEADLINE，或改用更快的模型",
                opened=opened,
            )

    def _requests(self) -> int:
        return max(1, int(getattr(self.model, "attempts", 1) or 1))

    def complete(self, messages: list[Message]) -> Reply:
        self._check()
        try:
            reply = self.model.complete(messages, **self._kwargs())  # type: ignore[call-arg]
        except LLMUnavailable as exc:
            raise self.reject(exc, self._requests()) from exc
        self.accept()
        # Whole replies (note placement) are parsed line by line: a <think> block must not be among the lines.
        from drafting.engines.llm.hygiene import split_reasoning

        answer, thought, _unfinished = split_reasoning(reply)
        if not thought:
            return reply if isinstance(reply, Reply) else Reply(reply)
        reasoning = "\n\n".join(t for t in (getattr(reply, "reasoning", ""), thought) if t)
        return Reply(answer.strip(), reasoning=reasoning, finish_reason=getattr(reply, "finish_reason", ""))

    def stream(self, messages: list[Message]) -> Generator[str, None, Reply]:
        self._check()
        kwargs: dict[str, Any] = dict(self._kwargs())
        # a request never outlives the draft's deadline (a wrapper passing keywords through says so)
        passes = isinstance(self.model, OpenAICompatibleModel) or getattr(
            self.model, "supports_retries", False
        )
        if self.ends is not None and passes:
            kwargs["deadline"] = self.ends
        try:
            reply = yield from self.model.stream(messages, **kwargs)  # type: ignore[call-arg]
        except LLMUnavailable as exc:
            raise self.reject(exc, self._requests()) from exc
        return reply  # accepted by the caller once the reply proves usable

    def accept(self) -> None:
        with self._lock:
            self.failures = 0

    def reject(self, exc: LLMUnavailable, requests: int = 1) -> LLMUnavailable:
        """Count failed requests; the error to raise (the one that switches the model off says so)."""
        with self._lock:
            if isinstance(exc, LLMSwitchedOff) or self.switched_off or self.threshold <= 0:
                return exc
            self.failures += requests
            if self.failures < self.threshold and not getattr(exc, "permanent", False):
                return exc
            self.switched_off = True
        log.warning("大模型请求连续 %d 次失败，本次起草其余部分改用离线引擎", self.failures)
        return LLMSwitchedOff(
            f"{exc.message}；本节及本次起草的其余部分改用离线引擎",
            hint=exc.hint or "请用 zhibi llm-check 检查大模型服务后重新起草",
            opened=True,
        )


# -- fake for tests ---------------------------------------------------------------
Scripted = Union[str, BaseException, Callable[[list[Message]], str]]  # noqa: UP007 - runtime alias


class FakeChatModel:
    """Replays queued replies (text, an exception to raise, or a function of the messages) and records calls."""

    name = "fake"

    def __init__(
        self, replies: Iterable[Scripted] = (), *, default: str | None = None, piece_chars: int = 3
    ) -> None:
        self.replies: deque[Reply] = deque(replies)
        self.default = default
        self.piece_chars = max(1, piece_chars)
        self.calls: list[list[Message]] = []

    def queue(self, *replies: Scripted) -> FakeChatModel:
        self.replies.extend(replies)
        return self

    @property
    def last_messages(self) -> list[Message]:
        return self.calls[-1] if self.calls else []

    def _next(self, messages: list[Message]) -> str:
        self.calls.append([(role, content) for role, content in messages])
        if self.replies:
            reply = self.replies.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise AssertionError("FakeChatModel: no reply queued")
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            return reply(list(messages))
        return reply

    def complete(self, messages: list[Message], *, retries: int | None = None) -> Reply:
        reply = self._next(messages)
        return reply if isinstance(reply, Reply) else Reply(reply)  # a scripted Reply keeps its finish_reason

    def stream(
        self, messages: list[Message], *, retries: int | None = None, deadline: float | None = None
    ) -> Generator[str, None, Reply]:
        reply = self._next(messages)
        for i in range(0, len(reply), self.piece_chars):
            yield reply[i : i + self.piece_chars]
        return reply if isinstance(reply, Reply) else Reply(reply)
