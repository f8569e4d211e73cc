"""Issue 22, points 3 and 4: no outbound traffic from any client request, work bound to its account.

Each test runs a real server (Gradio with the Guard middleware, ui/security.py) and talks to it over HTTP.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ui import security
from zhibi.accounts import ADMIN, Account, Accounts, Throttle, TrustedHeader

PASSWORDS = {"alice": "alice-Pass-2024", "bob": "bob-Pass-2024x"}


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Recorder.hits.append(self.path)
        body = b"secret page of the intranet"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site():
    """A local HTTP server that records every request it gets."""
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def lookups(monkeypatch):
    """Every host name this process resolves (Gradio's URL check included), except the test's own loopback."""
    seen: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1", None):
            seen.append(str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def _workspace(home: Path):
    from zhibi.api import Workspace

    return Workspace(home=str(home), chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")


@pytest.fixture
def server(tmp_path, monkeypatch):
    """Start an app; yields a function (accounts=None, **launch options) -> (base url, demo)."""
    from ui.app import free_port, launch

    monkeypatch.delenv("GRADIO_TEMP_DIR", raising=False)
    started = []

    def start(accounts=None, **options):
        demo = launch(
            _workspace(tmp_path / "home"),
            "127.0.0.1",
            free_port(),
            accounts,
            prevent_thread_lock=True,
            **options,
        )
        started.append(demo)
        return f"http://127.0.0.1:{demo.server_port}", demo

    yield start
    for demo in started:
        demo.close()


@contextlib.contextmanager
def _login(base: str, user: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        r = client.post("/login", data={"username": user, "password": PASSWORDS[user]})
        assert r.status_code == 200, r.text
        yield client


def _accounts() -> Accounts:
    return Accounts(
        {
            "alice": Account("alice", PASSWORDS["alice"], "甲县交通运输局"),
            "bob": Account("bob", PASSWORDS["bob"], "乙县交通运输局"),
        }
    )


# -- no open proxy ---------------------------------------------------------------------------------------
def test_file_route_never_fetches_a_url(server, local_site, lookups, monkeypatch):
    """/file=<url>, /file/<url>, /proxy=<url>, encoded or not: refused before any lookup or connection."""
    import safehttpx

    validated: list[str] = []

    async def validate(host: str, *args, **kwargs) -> str:
        # Stand in for a public host that resolves: without the guard Gradio would now connect and stream.
        validated.append(host)
        return "127.0.0.1"

    monkeypatch.setattr(safehttpx, "async_validate_url", validate)
    base, _ = server()
    port = local_site.split(":")[1]
    targets = [
        f"/gradio_api/file=http://{local_site}/a",
        f"/gradio_api/file=http://intranet-files.example:{port}/b",
        f"/gradio_api/file=https%3A//intranet-files.example:{port}/c",
        f"/gradio_api/file=http%253A%252F%252Fintranet-files.example:{port}/d",
        f"/gradio_api/file/http://intranet-files.example:{port}/e",
        f"/gradio_api/proxy=http://intranet-files.example:{port}/f",
        f"/gradio_api/file=//intranet-files.example:{port}/g",
    ]
    with httpx.Client(base_url=base, timeout=30) as client:
        for target in targets:
            for method in (client.get, client.head):
                r = method(target)
                assert r.status_code in (403, 404), (target, r.status_code)
                assert b"intranet" not in r.content
    assert Recorder.hits == []  # no connection reached the local server
    assert validated == [] and lookups == []  # and no host name was looked up


# -- data bound to its account ---------------------------------------------------------------------------
def test_queue_stream_of_one_account_is_refused_to_another(server):
    from gradio_client import Client

    base, _ = server(_accounts())
    alice = Client(base + "/", auth=("alice", PASSWORDS["alice"]), verbose=False)
    assert alice.predict(api_name="/history") == []  # her session is now bound to her
    with _login(base, "bob") as bob:
        r = bob.get("/gradio_api/queue/data", params={"session_hash": alice.session_hash})
        assert r.status_code == 403 and "其他账号" in r.json()["detail"]
        assert bob.get(f"/gradio_api/heartbeat/{alice.session_hash}").status_code == 403
        r = bob.post(
            "/gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": alice.session_hash}
        )
        assert r.status_code == 403


def test_exports_and_uploads_are_served_to_their_owner_only(server):
    base, demo = server(_accounts())
    h = demo.zhibi_handlers
    with _login(base, "alice") as alice, _login(base, "bob") as bob:
        # an export of alice's, written where the page writes it
        folder = h.export_root / security.owner_key("user:alice", h.secret) / "x1"
        folder.mkdir(parents=True)
        export = folder / "甲县报告.md"
        export.write_text("甲县的草稿", encoding="utf-8")
        assert alice.get(f"/gradio_api/file={export}").text == "甲县的草稿"
        r = bob.get(f"/gradio_api/file={export}")
        assert r.status_code == 404 and "甲县" not in r.text
        # an upload of alice's
        r = alice.post(
            "/gradio_api/upload", files={"files": ("notes.txt", "甲县笔记".encode(), "text/plain")}
        )
        assert r.status_code == 200, r.text
        uploaded = r.json()[0]
        assert alice.get(f"/gradio_api/file={uploaded}").text == "甲县笔记"
        assert bob.get(f"/gradio_api/file={uploaded}").status_code == 404

        class Bob:
            username = "bob"

        import gradio as gr

        with pytest.raises(gr.Error, match="不是当前账号上传的"):
            h.read_notes_file(uploaded, "", Bob())
        # files are in ZHIBI_HOME/files (0700), not in Gradio's shared temp folder
        assert Path(uploaded).resolve().is_relative_to(Path(h.ws.settings.home).resolve() / "files")
        assert (Path(h.ws.settings.home) / "files").stat().st_mode & 0o077 == 0


def test_upload_quota(server, monkeypatch):
    monkeypatch.setenv("ZHIBI_UPLOAD_QUOTA_MB", "0.01")  # 10 KB a day
    base, _ = server(_accounts())
    with _login(base, "alice") as alice, _login(base, "bob") as bob:
        assert alice.post("/gradio_api/upload", files={"files": ("a.txt", b"x" * 6000)}).status_code == 200
        r = alice.post("/gradio_api/upload", files={"files": ("b.txt", b"x" * 6000)})
        assert r.status_code == 413 and "配额" in r.json()["detail"]
        assert bob.post("/gradio_api/upload", files={"files": ("c.txt", b"x" * 6000)}).status_code == 200


def test_browser_secret_never_reaches_a_client(server, tmp_path):
    base, demo = server()
    secret = security.browser_secret(tmp_path / "home")
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in ("/config", "/", "/gradio_api/info"):
            assert secret not in client.get(path).text
    h = demo.zhibi_handlers
    sealed = security.seal("a" * 32, h.secret)
    assert security.unseal(sealed, h.secret) == "a" * 32
    assert security.unseal("a" * 32, h.secret) is None
    assert security.unseal("a" * 32 + "." + "0" * 32, h.secret) is None


def test_failed_logins_are_throttled(server):
    base, _ = server(_accounts())
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(5):
            assert client.post("/login", data={"username": "alice", "password": "wrong"}).status_code == 400
        # the address is locked for a while: even the right password is refused, with a message
        r = client.post("/login", data={"username": "alice", "password": PASSWORDS["alice"]})
        assert r.status_code == 429 and "过多" in r.json()["detail"]


def test_account_throttle_and_passwords():
    from zhibi.accounts import hash_password, password_problem

    now = [0.0]
    accounts = Accounts(
        {"amy": Account("amy", hash_password("amy-Secret-9"))}, throttle=Throttle(clock=lambda: now[0])
    )
    assert accounts.check("amy", "amy-Secret-9")
    for _ in range(5):
        assert not accounts.check("amy", "guess")
    assert not accounts.check("amy", "amy-Secret-9")  # locked, whatever the password
    now[0] += 400
    assert accounts.check("amy", "amy-Secret-9")
    assert password_problem("amy", "123456") and password_problem("amy", "1234567890")
    assert password_problem("zhang", "zhang-2024-ok") and password_problem("amy", "aaaaaaaaaaaa")
    assert not password_problem("amy", "Lu-shan-2024!")


def test_auth_file_units_roles_and_no_password_in_argv(tmp_path, monkeypatch):
    from core.errors import ZhibiError
    from zhibi.accounts import read_accounts

    f = tmp_path / "users"
    f.write_text(
        "# 用户:密码:单位:角色\nwang:Lake-pass-2024:甲县交通运输局:user\nli:Li:pass:2024x:某市司法局:管理员\n",
        encoding="utf-8",
    )
    accounts = read_accounts(None, str(f), env={})
    assert accounts.get("wang") == Account("wang", "Lake-pass-2024", "甲县交通运输局", "user")
    assert accounts.get("li").secret == "Li:pass:2024x" and accounts.get("li").role == ADMIN
    f.write_text("zhao:123456:甲县交通运输局:user\n", encoding="utf-8")
    with pytest.raises(ZhibiError, match="zhao 的密码"):
        read_accounts(None, str(f), env={})
    with pytest.raises(ZhibiError, match="命令行"):
        read_accounts("wang:Lake-pass-2024", None, env={})
    assert read_accounts("wang", None, env={"ZHIBI_AUTH_PASSWORD": "Lake-pass-2024"}).get("wang").admin


def test_trusted_header_only_from_configured_proxies(server, monkeypatch):
    from core.errors import ZhibiError

    with pytest.raises(ZhibiError, match="ZHIBI_TRUSTED_PROXIES"):
        TrustedHeader.from_env({"ZHIBI_TRUSTED_USER_HEADER": "X-Remote-User"})
    env = {
        "ZHIBI_TRUSTED_USER_HEADER": "X-Remote-User",
        "ZHIBI_TRUSTED_UNIT_HEADER": "X-Remote-Unit",
        "ZHIBI_TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/24",
        "ZHIBI_ADMINS": "chief",
    }
    trusted = TrustedHeader.from_env(env)
    headers = {"X-Remote-User": "wang", "X-Remote-Unit": "%E7%94%B2%E5%8E%BF%E5%B1%80"}
    assert trusted.account("10.1.2.3", headers) == Account("wang", "", "甲县局", "user")
    assert trusted.account("192.168.0.77", {"X-Remote-User": "chief"}).admin
    assert trusted.account("10.9.9.9", headers) is None  # not a configured proxy: the header is ignored
    # a running server: from 127.0.0.1, which is not the proxy, the header signs no one in
    base, _ = server(None, trusted=trusted)
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/gradio_api/info", headers=headers).status_code == 401
    ours = TrustedHeader.from_env({**env, "ZHIBI_TRUSTED_PROXIES": "127.0.0.1"})
    base, demo = server(None, trusted=ours)
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/gradio_api/info", headers=headers).status_code == 200

    class Wang:
        username = "wang"

    # the account the header named, with its unit: what its searches and drafts are scoped to
    account = demo.zhibi_handlers.account_of(Wang())
    assert account.unit == "甲县局" and not account.admin
