"""What stands between the network and the app: no outbound fetches, work bound to its account, upload quotas.

`Guard` is an ASGI middleware around Gradio's FastAPI app (passed through `launch(app_kwargs=...)`):
- Gradio's `/file=<url>` route fetches any URL it is given and streams it back (an open proxy that also resolves
  any host name); `/proxy=` does the same for loaded Spaces. Zhibi never serves a remote file, so both are refused
  before Gradio sees them: nothing is resolved and no connection is made.
- Under accounts, a queue session (`session_hash`) belongs to the account that first used it: another account
  cannot subscribe to its stream, heartbeat or cancel it.
- Exports are written under a folder named by the owner's key; under accounts a file there is served only to
  that account. Uploads are registered to the account that sent them, served back and read only for it.
- Uploads count against a per-owner quota (bytes per rolling day).

The browser id of a page without an account is sealed here too: the id and an HMAC of it under a secret that
stays on the server (Gradio's BrowserState "secret" is part of the page config every client receives).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from zhibi.accounts import Accounts, Throttle, TrustedHeader

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

UPLOAD_QUOTA_BYTES = 200 * 1024 * 1024  # per owner per rolling day
QUOTA_WINDOW = 24 * 3600.0
MAX_BODY_SCAN = (
    8 * 1024 * 1024
)  # bodies read for their session_hash; larger ones are refused (notes ≤ 200,000 chars)
_URLISH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//|\\\\)")
_SESSION_IN_BODY = re.compile(rb'"session_hash"\s*:\s*"([^"]{1,200})"')
_BOUND_POSTS = ("/queue/join", "/cancel", "/run/", "/api/", "/call/")


def browser_secret(home: Path) -> str:
    """The server-side key that seals browser ids; kept in ZHIBI_HOME (0600) so ids outlive a restart."""
    # Not "browser-secret": earlier versions gave that key to Gradio's BrowserState, which sends it to every
    # client, so a key that was ever public never seals anything.
    path = Path(home) / "browser-seal"
    try:
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) >= 16:
            return secret
    except OSError:
        pass
    secret = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(secret, encoding="utf-8")
    return secret


def seal(client_id: str, secret: str) -> str:
    """The value a browser keeps: its id and a MAC only the server can make."""
    mac = hmac.new(secret.encode(), client_id.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{client_id}.{mac}"


def unseal(token: Any, secret: str) -> str | None:
    """The browser id of a sealed value, or None when the value is missing or was not made by this server."""
    if not isinstance(token, str) or token.count(".") != 1:
        return None
    client_id, _ = token.split(".")
    if not (16 <= len(client_id) <= 64 and client_id.isalnum()):
        return None
    return client_id if hmac.compare_digest(seal(client_id, secret), token) else None


def owner_key(owner: str, secret: str) -> str:
    """A folder name for an owner's files: stable, not reversible to the owner, not guessable by others."""
    return hmac.new(secret.encode(), f"owner:{owner}".encode(), hashlib.sha256).hexdigest()[:24]


def remote_target(path: str) -> bool:
    """Whether a /file= or /file/ path names something other than a local file (a URL, a scheme, a UNC path)."""
    for marker in ("/file=", "/file/"):
        if marker in path:
            target = path.split(marker, 1)[1]
            for candidate in (target, unquote(target), unquote(unquote(target))):
                if _URLISH.match(candidate.lstrip()):
                    return True
    return False


@dataclass
class Registry:
    """Who owns what, in this process: queue sessions, uploaded files, upload bytes per owner."""

    sessions: dict[str, str] = field(default_factory=dict)  # session_hash -> account
    uploads: dict[str, str] = field(default_factory=dict)  # resolved upload path -> owner ("user:…"/"ip:…")
    upload_log: dict[str, deque[tuple[float, int]]] = field(default_factory=dict)
    quota: int = UPLOAD_QUOTA_BYTES
    clock: Callable[[], float] = time.time
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bind_session(self, session_hash: str, user: str) -> bool:
        """True when the session is (now) this account's; False when another account holds it."""
        with self.lock:
            holder = self.sessions.setdefault(session_hash, user)
            if len(self.sessions) > 200_000:  # bounded: forget the oldest bindings
                for old in list(self.sessions)[:100_000]:
                    del self.sessions[old]
            return holder == user

    def used(self, owner: str) -> int:
        now = self.clock()
        with self.lock:
            log = self.upload_log.setdefault(owner, deque())
            while log and now - log[0][0] > QUOTA_WINDOW:
                log.popleft()
            return sum(n for _, n in log)

    def add_upload(self, owner: str, size: int, paths: list[str]) -> None:
        with self.lock:
            self.upload_log.setdefault(owner, deque()).append((self.clock(), size))
            for p in paths:
                self.uploads[str(Path(p).resolve())] = owner

    def upload_owner(self, path: str) -> str | None:
        with self.lock:
            return self.uploads.get(str(Path(path).resolve()))


class Guard:
    """The ASGI middleware (see the module docstring). Configured once per app by `configure()`."""

    def __init__(
        self,
        app: ASGIApp,
        registry: Registry,
        accounts: Accounts | None = None,
        trusted: TrustedHeader | None = None,
        export_root: Path | None = None,
        export_secret: str = "",
    ) -> None:
        self.app = app
        self.registry = registry
        self.accounts = accounts
        self.trusted = trusted
        self.export_root = Path(export_root).resolve() if export_root else None
        self.export_secret = export_secret
        self.login_throttle = Throttle()  # per address, beside the per-account one in Accounts

    # -- identity ------------------------------------------------------------------------------
    @property
    def with_accounts(self) -> bool:
        return bool(self.accounts) or self.trusted is not None

    def user_of(self, scope: Scope) -> str | None:
        """The signed-in account of a request (as Gradio would find it), or None."""
        app = scope.get("app")
        if self.trusted is not None:
            client = scope.get("client") or ("", 0)
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            account = self.trusted.account(
                client[0], {k: headers.get(k.lower(), "") for k in _wanted(self.trusted)}
            )
            return account.name if account else None
        if app is None:
            return None
        cookies = _cookies(scope)
        cookie_id = getattr(app, "cookie_id", "")
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
        return getattr(app, "tokens", {}).get(token) if token else None

    def owner_of(self, scope: Scope) -> str:
        """Whom upload bytes are counted against: the account, else the client address."""
        user = self.user_of(scope) if self.with_accounts else None
        if user:
            return f"user:{user}"
        client = scope.get("client") or ("?", 0)
        return f"ip:{client[0]}"

    # -- the middleware --------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        if (
            "/proxy=" in path
            or remote_target(path)
            or remote_target(scope.get("raw_path", b"").decode("latin-1"))
        ):
            await _reply(send, 403, "不提供外部网址的文件：本服务只发送自己生成的文件")
            return
        if path.endswith("/login") or path.endswith("/login/"):
            await self._login(scope, receive, send)
            return
        if self.with_accounts:
            user = self.user_of(scope)
            session = _session_in_query(scope) or _session_in_path(path)
            if session and user and not self.registry.bind_session(session, user):
                await _reply(send, 403, "这个会话属于其他账号")
                return
            if method == "POST" and any(p in path for p in _BOUND_POSTS) and user:
                body = await _read_body(receive)
                if body is None:
                    await _reply(send, 413, "请求过大")
                    return
                found = _SESSION_IN_BODY.search(body)
                if found and not self.registry.bind_session(found.group(1).decode("utf-8", "replace"), user):
                    await _reply(send, 403, "这个会话属于其他账号")
                    return
                receive = _replay(body, receive)
            if ("/file=" in path or "/file/" in path) and not self._may_read(path, user):
                await _reply(send, 404, "文件不存在或不属于当前账号")
                return
        if method == "POST" and path.endswith("/upload"):
            await self._upload(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _may_read(self, path: str, user: str | None) -> bool:
        target = path.split("/file=", 1)[1] if "/file=" in path else path.split("/file/", 1)[1]
        try:
            resolved = Path(unquote(target)).resolve()
        except (OSError, ValueError):
            return False
        if self.export_root is not None and resolved.is_relative_to(self.export_root):
            parts = resolved.relative_to(self.export_root).parts
            return bool(user) and bool(parts) and parts[0] == owner_key(f"user:{user}", self.export_secret)
        holder = self.registry.upload_owner(str(resolved))
        return holder is None or holder == f"user:{user}"

    async def _upload(self, scope: Scope, receive: Callable, send: Callable) -> None:
        owner = self.owner_of(scope)
        declared = _content_length(scope)
        room = self.registry.quota - self.registry.used(owner)
        mb = self.registry.quota // 1024 // 1024
        if declared is not None and declared > room:
            await _reply(
                send, 413, f"上传超过每日配额 {mb} MB：请明天再传，或请管理员调整 ZHIBI_UPLOAD_QUOTA_MB"
            )
            return
        counted = 0

        async def counting() -> dict:
            nonlocal counted
            message = await receive()
            counted += len(message.get("body", b""))
            return message

        captured: list[bytes] = []
        status = [0]

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                captured.append(message.get("body", b""))
            await send(message)

        await self.app(scope, counting, capture)
        paths: list[str] = []
        if status[0] == 200:
            try:
                paths = [p for p in json.loads(b"".join(captured)) if isinstance(p, str)]
            except (ValueError, TypeError):
                paths = []
        self.registry.add_upload(owner, counted, paths)

    async def _login(self, scope: Scope, receive: Callable, send: Callable) -> None:
        """Gradio's login route, throttled per client address (the account throttle is in Accounts.check)."""
        client = (scope.get("client") or ("?", 0))[0]
        if self.login_throttle.locked(client):
            await _reply(send, 429, "登录失败次数过多，请 5 分钟后再试")
            return
        status = [0]

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status[0] == 400:
            self.login_throttle.failed(client)
        elif status[0] == 200:
            self.login_throttle.succeeded(client)


def _wanted(trusted: TrustedHeader) -> list[str]:
    return [h for h in (trusted.user_header, trusted.unit_header) if h]


def _cookies(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in scope.get("headers", []):
        if k == b"cookie":
            for part in v.decode("latin-1").split(";"):
                name, _, value = part.strip().partition("=")
                out[name] = value
    return out


def _content_length(scope: Scope) -> int | None:
    for k, v in scope.get("headers", []):
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None


def _session_in_query(scope: Scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    values = query.get("session_hash")
    return values[0] if values else None


def _session_in_path(path: str) -> str | None:
    m = re.search(r"/heartbeat/([^/]+)$", path)
    return m.group(1) if m else None


async def _read_body(receive: Callable) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        body = message.get("body", b"")
        size += len(body)
        if size > MAX_BODY_SCAN:
            return None
        chunks.append(body)
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, original: Callable) -> Callable:
    """The body already read, then the real channel (which reports the client's disconnect when it comes)."""
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


async def _reply(send: Callable, status: int, message: str) -> None:
    body = json.dumps({"detail": message, "error": message}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
