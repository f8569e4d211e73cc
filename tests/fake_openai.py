"""A small OpenAI-compatible HTTP server for tests: scripted chat replies, deterministic embeddings.

    with FakeOpenAI() as fake:                    # or the `fake_llm` pytest fixture
        fake.script([("status", 500), ("text", "依法行政。")])
        settings = Settings(home=tmp, llm_base_url=fake.base_url)
        ...
        fake.requests[-1]["body"]["messages"]

Chat behaviours, consumed one per POST /v1/chat/completions (stream or not):
    ("text", "…")                 a reply (SSE chunks of a few characters when stream=true)
    ("status", 500[, "message"])  an HTTP error with an OpenAI-style error body
    ("sleep", seconds[, "…"])     wait (the client should time out), then close, or reply "…" when given
    ("cut", "partial")            stream "partial", then drop the connection mid-body (no finish, no [DONE])
    ("cut_clean", "partial")      stream "partial", then end the body cleanly without finish_reason or [DONE]
    ("error_event", "message")    stream an SSE `data: {"error": …}` event
    ("reasoning", "thought", "…") a reasoning model: `reasoning_content` deltas (DeepSeek, vLLM reasoning
                                  parser) first, then the reply "…"; non-streamed: message.reasoning_content
    ("truncated", "partial")      a reply stopped by the token limit (finish_reason "length")
    ("echo_facts",)               a reasoning model's chatty reply that states every 材料 line of the prompt:
                                  <think>…</think>, a preamble, the facts as one paragraph, a sign-off
    ("drip", "…", seconds)        stream "…" one piece every `seconds` (each read well within a per-read
                                  timeout), cycling over it until the client hangs up
    ("loop", "…"[, max_chars])    a model that repeats itself: "…" streamed over and over, as fast as the
                                  client reads, until it hangs up (or max_chars, then a normal finish)
    ("keep_placement",)           the answer to the placement review (prompts/classify.md) that moves nothing:
                                  each 材料 row of the prompt with the key it already has
A draft with the LLM engine first asks the placement review (one call, whatever the scope), then each section:
a script for a draft starts with the review's answer. `is_review(body)` tells the two kinds of request apart;
`section_requests()` and `review_requests()` list each kind.
When the script is empty the server answers `default` (a behaviour tuple) or HTTP 500 "script exhausted".

POST /v1/embeddings returns deterministic, L2-normalised hashed character/bigram vectors (similar texts get
similar vectors), float or base64; GET /v1/models lists `models`. Every request is recorded in `requests`.
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Behaviour = tuple[Any, ...]


class FakeOpenAI:
    def __init__(
        self, *, models: Iterable[str] = ("fake-model",), piece_chars: int = 3, embed_dim: int = 64
    ) -> None:
        self.models = list(models)
        self.piece_chars = max(1, piece_chars)
        self.embed_dim = embed_dim
        self.default: Behaviour | None = None
        # A real server's pace (load bench): seconds before the first streamed piece, and between pieces.
        self.first_delay = 0.0
        self.piece_delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread: threading.Thread | None = None

    # lifecycle ------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
            self._thread.daemon = True
            self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # script and records -----------------------------------------------------------
    def script(self, behaviours: Iterable[Behaviour]) -> FakeOpenAI:
        with self._lock:
            for b in behaviours:
                if not isinstance(b, tuple) or not b or b[0] not in _KINDS:
                    raise ValueError(f"unknown fake behaviour {b!r}; use one of {sorted(_KINDS)}")
                self._script.append(b)
        return self

    @property
    def pending(self) -> int:
        return len(self._script)

    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the POST /chat/completions requests, in order."""
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def section_requests(self) -> list[dict[str, Any]]:
        """Bodies of the chat requests that are not the placement review (the sections and their re-asks)."""
        return [b for b in self.chat_requests() if not is_review(b)]

    def review_requests(self) -> list[dict[str, Any]]:
        """Bodies of the placement-review requests."""
        return [b for b in self.chat_requests() if is_review(b)]

    def last_messages(self) -> list[dict[str, Any]]:
        bodies = self.chat_requests()
        return bodies[-1]["messages"] if bodies else []

    def _next(self) -> Behaviour:
        with self._lock:
            if self._script:
                return self._script.popleft()
        return self.default or ("status", 500, "fake_openai: script exhausted")

    def _record(self, method: str, path: str, headers: dict[str, str], body: Any) -> None:
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})

    # embeddings -------------------------------------------------------------------
    def embed(self, item: Any, dim: int | None = None) -> list[float]:
        dim = dim or self.embed_dim
        vec = [0.0] * dim
        if isinstance(item, str):
            text = "".join(item.split())
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        else:
            grams = [json.dumps(t) for t in item]
        for g in grams:
            h = zlib.crc32(g.encode("utf-8"))
            vec[h % dim] += 1.0 if (h >> 16) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec))
        if norm == 0:
            vec[0], norm = 1.0, 1.0
        return [v / norm for v in vec]


_KINDS = {
    "text",
    "status",
    "sleep",
    "cut",
    "cut_clean",
    "error_event",
    "reasoning",
    "truncated",
    "echo_facts",
    "keep_placement",
}

# The placement review's prompt (prompts/classify.md) asks for one "row, key" line per 材料 row.
REVIEW_MARK = "请逐行复核"
_REVIEW_ROW = re.compile(r"^(\d+)\t([a-z_.]+)\t", re.M)


def is_review(body: dict[str, Any]) -> bool:
    """Whether a chat request is the placement review rather than a section."""
    return any(REVIEW_MARK in str(m.get("content", "")) for m in body.get("messages") or [])


def _keep_placement(body: dict[str, Any]) -> str:
    prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages") or [])
    return "\n".join(f"{n}\t{key}" for n, key in _REVIEW_ROW.findall(prompt))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients hanging up is part of the script
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the default stderr log
        return

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake

    # routing ------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802
        self.fake._record("GET", self.path, dict(self.headers), None)
        if self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.fake.models]
            self._json(200, {"object": "list", "data": data})
        else:
            self._json(404, _error(f"no route GET {self.path}", 404))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        self.fake._record("POST", self.path, dict(self.headers), body)
        path = self.path.split("?")[0].rstrip("/")
        try:
            if path.endswith("/chat/completions"):
                self._chat(body)
            elif path.endswith("/embeddings"):
                self._embeddings(body)
            else:
                self._json(404, _error(f"no route POST {self.path}", 404))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): nothing to answer
            self.close_connection = True

    # chat -----------------------------------------------------------------------------
    def _chat(self, body: dict[str, Any]) -> None:
        b = self.fake._next()
        kind = b[0]
        stream = bool(body.get("stream"))
        model = body.get("model") or "fake-model"
        if kind == "sleep":
            self.fake._stop.wait(float(b[1]))
            if len(b) < 3:
                self.close_connection = True
                return
            b, kind = ("text", b[2]), "text"
        if kind == "status":
            code = int(b[1])
            message = b[2] if len(b) > 2 else f"fake error {code}"
            self._json(code, _error(message, code))
            return
        if kind == "echo_facts":
            b, kind = ("text", _echo_facts(body)), "text"
        if kind == "keep_placement":
            b, kind = ("text", _keep_placement(body)), "text"
        text = str(b[1]) if len(b) > 1 else ""
        reasoning = ""
        if kind == "reasoning":
            reasoning, text = text, str(b[2]) if len(b) > 2 else ""
        finish_reason = "length" if kind == "truncated" else "stop"
        if kind in ("reasoning", "truncated"):
            kind = "text"
        if not stream:
            if kind != "text":  # a cut or error event only makes sense when streaming: drop the connection
                self.close_connection = True
                return
            self._json(200, _completion(model, text, body, reasoning=reasoning, finish_reason=finish_reason))
            return
        if kind == "cut_clean":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            for event in _events(model, text, self.fake.piece_chars, finish=False):
                self.wfile.write(event)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if kind in ("drip", "loop"):
            self._endless(model, text, b)
            return
        if kind == "error_event":
            self._chunk(_sse({"error": {"message": text or "fake stream error", "type": "server_error"}}))
            self._chunk(b"")
            return
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = _events(
            model,
            text,
            self.fake.piece_chars,
            finish=kind == "text",
            usage=include_usage,
            body=body,
            reasoning=reasoning,
            finish_reason=finish_reason,
        )
        if self.fake.first_delay:
            self.fake._stop.wait(self.fake.first_delay)
        for event in events:
            self._chunk(event)
            if self.fake.piece_delay:
                time.sleep(self.fake.piece_delay)
        if kind == "cut":  # no terminating chunk: the client sees the body end mid-way
            self.wfile.flush()
            self.close_connection = True
            return
        self._chunk(b"")

    def _endless(self, model: str, text: str, b: Behaviour) -> None:
        """drip / loop: pieces until the client disconnects (a write fails) or the server stops."""
        events = _events(model, text or "依法行政。", self.fake.piece_chars, finish=False)
        self._chunk(next(events))  # the role chunk
        pieces = [e for e in events]
        limit = int(b[2]) if b[0] == "loop" and len(b) > 2 else 0
        interval = float(b[2]) if b[0] == "drip" and len(b) > 2 else 0.0
        sent = 0
        while not self.fake._stop.is_set():
            for piece in pieces:
                self._chunk(piece)  # BrokenPipeError when the client has given up: handled by do_POST
                sent += self.fake.piece_chars
                if interval:
                    self.fake._stop.wait(interval)
                if limit and sent >= limit:
                    self._chunk(_sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
                    self._chunk(b"data: [DONE]\n\n")
                    self._chunk(b"")
                    return
                if self.fake._stop.is_set():
                    break
        self.close_connection = True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    # embeddings -------------------------------------------------------------------------
    def _embeddings(self, body: dict[str, Any]) -> None:
        items = body.get("input", [])
        if isinstance(items, str) or (items and isinstance(items[0], int)):
            items = [items]
        dim = int(body.get("dimensions") or self.fake.embed_dim)
        as_b64 = body.get("encoding_format") == "base64"
        data = []
        for i, item in enumerate(items):
            vec = self.fake.embed(item, dim)
            emb: Any = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode() if as_b64 else vec
            data.append({"object": "embedding", "index": i, "embedding": emb})
        tokens = sum(len(x) for x in items)
        self._json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model") or "fake-embed",
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _json(self, code: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _error(message: str, code: int) -> dict[str, Any]:
    kind = {401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_exceeded"}.get(
        code, "server_error"
    )
    return {"error": {"message": message, "type": kind, "param": None, "code": str(code)}}


def _completion(
    model: str, text: str, body: dict[str, Any], *, reasoning: str = "", finish_reason: str = "stop"
) -> dict[str, Any]:
    prompt = _prompt_chars(body)
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if reasoning:
        message["reasoning_content"] = reasoning
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": len(text),
            "total_tokens": prompt + len(text),
        },
    }


def _echo_facts(body: dict[str, Any]) -> str:
    prompt = str((body.get("messages") or [{}])[-1].get("content", ""))
    facts = [
        m.group(1).rstrip("。；;，, ") for m in re.finditer(r"^材料\d+(?:（第\d+行）)?：(.+)$", prompt, re.M)
    ]
    body_text = "；".join(facts) + "。" if facts else "依法推进各项工作。"
    return (
        "<think>\n用户要我起草这一部分，材料有" + str(len(facts)) + "条，数字要原样照录。\n</think>\n"
        "好的，以下是该部分正文：\n\n" + body_text + "\n\n希望以上内容对您有所帮助！"
    )


def _prompt_chars(body: dict[str, Any]) -> int:
    return sum(len(str(m.get("content", ""))) for m in body.get("messages", []))


def _sse(payload: Any) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _events(
    model: str,
    text: str,
    piece_chars: int,
    *,
    finish: bool,
    usage: bool = False,
    body: dict[str, Any] | None = None,
    reasoning: str = "",
    finish_reason: str = "stop",
) -> Iterator[bytes]:
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish_reason: str | None) -> bytes:
        return _sse(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            }
        )

    yield chunk({"role": "assistant", "content": ""}, None)
    for i in range(0, len(reasoning), piece_chars):
        yield chunk({"content": None, "reasoning_content": reasoning[i : i + piece_chars]}, None)
    for i in range(0, len(text), piece_chars):
        yield chunk({"content": text[i : i + piece_chars]}, None)
    if not finish:
        return
    yield chunk({}, finish_reason)
    if usage:
        prompt = _prompt_chars(body or {})
        yield _sse(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": len(text),
                    "total_tokens": prompt + len(text),
                },
            }
        )
    yield b"data: [DONE]\n\n"


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    """A running FakeOpenAI on 127.0.0.1; `.base_url`, `.script([...])`, `.requests`."""
    with FakeOpenAI() as fake:
        yield fake


def llm_workspace(home: Any, fake: FakeOpenAI) -> Any:
    """A Workspace on `home` whose LLM is the fake server: no retries, a short timeout."""
    from core.config import resolve_settings
    from zhibi.api import Workspace

    return Workspace(
        resolve_settings(
            home=home,
            llm_base_url=fake.base_url,
            llm_api_key="k",
            llm_model="fake-model",
            llm_timeout=5.0,
            llm_retries=0,
        )
    )
