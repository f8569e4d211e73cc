"""deploy/: the compose file parses and wires what a city needs, the nginx site passes `nginx -t` and keeps a
browser on one worker (and fails over when it dies), the systemd units name real commands, the backup scripts
back up a real PostgreSQL database and a Chroma folder. Docker cannot run here: the compose file is checked as
YAML, not started."""

from __future__ import annotations

import configparser
import http.server
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_compose_file_wires_a_city():
    spec = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = spec["services"]
    assert {"db", "chroma", "worker1", "worker2", "proxy"} <= set(services)
    workers = [s for name, s in services.items() if name.startswith("worker")]
    for worker in workers:
        env = worker["environment"]
        assert env["ZHIBI_DATABASE_URL"].startswith("postgresql+psycopg://zhibi:")
        assert env["ZHIBI_CHROMA_URL"] == "http://chroma:8000"
        assert "/healthz" in " ".join(worker["healthcheck"]["test"])
        assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    homes = [v for w in workers for v in w["volumes"] if v.endswith(":/var/lib/zhibi")]
    assert len(set(homes)) == len(workers)  # each worker its own ZHIBI_HOME
    assert services["chroma"]["command"][:2] == ["chroma", "run"]
    assert set(services["proxy"]["depends_on"]) == {n for n in services if n.startswith("worker")}
    upstream = (DEPLOY / "nginx" / "zhibi-compose.conf").read_text(encoding="utf-8")
    assert sorted(re.findall(r"server (worker\d+):7860", upstream)) == sorted(
        n for n in services if n.startswith("worker")
    )
    for path in services["proxy"]["volumes"]:
        assert (DEPLOY / path.split(":")[0]).exists(), path
    from ui.app import read_auth

    assert read_auth(None, str(DEPLOY / "accounts.example"))  # what deploy/accounts is copied from parses


def test_systemd_units_name_real_commands():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment]
        parser.read_string(unit.read_text(encoding="utf-8"))
        assert parser.has_section("Unit") and parser.has_section("Service"), unit.name
        command = parser["Service"]["ExecStart"].split()
        assert command[0].startswith("/opt/zhibi/"), unit.name
    worker = (DEPLOY / "systemd" / "zhibi-worker@.service").read_text(encoding="utf-8")
    assert "--port %i" in worker and "ZHIBI_HOME=/var/lib/zhibi/worker-%i" in worker
    ports = re.findall(r"server 127\.0\.0\.1:(\d+)", (DEPLOY / "nginx" / "zhibi.conf").read_text())
    assert ports == ["7861", "7862"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Backend(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _backend(name: str) -> _Backend:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = _Backend(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def nginx_site(tmp_path):
    """deploy/nginx/zhibi.conf in a private nginx prefix, its upstream pointed at two stand-in workers."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    backends = [_backend("worker-a"), _backend("worker-b")]
    port = _free_port()
    site = (DEPLOY / "nginx" / "zhibi.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/nginx/", f"{tmp_path}/").replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("127.0.0.1:7861", f"127.0.0.1:{backends[0].server_address[1]}")
    site = site.replace("127.0.0.1:7862", f"127.0.0.1:{backends[1].server_address[1]}")
    for inc in ("zhibi-http.inc", "zhibi-proxy.inc"):
        shutil.copy(DEPLOY / "nginx" / inc, tmp_path / inc)
    (tmp_path / "zhibi.conf").write_text(site, encoding="utf-8")
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user} daemon on; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/zhibi.conf; }}\n",
        encoding="utf-8",
    )
    test = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr
    subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], check=True)
    try:
        yield f"http://127.0.0.1:{port}", backends
    finally:
        subprocess.run(
            [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-s", "stop"], check=False
        )
        for b in backends:
            b.shutdown()
            b.server_close()


def _get(url: str, cookie: str = "") -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as resp:
        return resp.read().decode(), resp.headers.get("Set-Cookie") or ""


def test_nginx_keeps_a_browser_on_one_worker_and_fails_over(nginx_site):
    base, backends = nginx_site
    first, set_cookie = _get(f"{base}/")
    assert set_cookie.startswith("zhibi_route=") and "HttpOnly" in set_cookie
    cookie = set_cookie.split(";")[0]
    seen = {_get(f"{base}/gradio_api/queue/data", cookie)[0] for _ in range(12)}
    assert seen == {first}  # every request of this browser reaches the same worker
    again, renewed = _get(f"{base}/", cookie)
    assert again == first and renewed == ""  # the cookie is set once
    # many browsers spread over both workers
    assert {_get(f"{base}/")[0] for _ in range(24)} == {"worker-a", "worker-b"}
    # its worker dies: the next request of the same browser is answered by the other one
    dead = next(b for b in backends if first == ("worker-a" if b is backends[0] else "worker-b"))
    dead.shutdown()
    dead.server_close()
    assert _get(f"{base}/", cookie)[0] != first


def test_backup_scripts(tmp_path, pg_url):
    from zhibi.history import History

    History(pg_url).start_session("甲县交通运输局", 2024, "要备份的笔记", owner="user:a")
    pg_bin = Path(__import__("pgserver").bindir())
    env = {**os.environ, "ZHIBI_BACKUP_DIR": str(tmp_path / "backups"), "PG_DUMP": str(pg_bin / "pg_dump")}
    out = subprocess.run(
        ["sh", str(DEPLOY / "backup" / "backup-db.sh"), pg_url],
        capture_output=True, text=True, env=env, check=True,
    ).stdout.strip()  # fmt: skip
    dump = Path(out)
    assert dump.exists() and dump.suffix == ".dump" and not list(dump.parent.glob("*.part"))
    listing = subprocess.run(
        [str(pg_bin / "pg_restore"), "--list", str(dump)], capture_output=True, text=True
    )
    assert "TABLE DATA public sessions" in listing.stdout and "alembic_version" in listing.stdout

    index = tmp_path / "chroma"
    (index / "segment-1").mkdir(parents=True)
    (index / "segment-1" / "data_level0.bin").write_bytes(b"\x01" * 64)
    con = sqlite3.connect(index / "chroma.sqlite3")
    con.execute("CREATE TABLE t (x TEXT)")
    con.execute("INSERT INTO t VALUES ('索引')")
    con.commit()  # the connection stays open, as the server's would
    out = subprocess.run(
        ["sh", str(DEPLOY / "backup" / "backup-index.sh"), str(index)],
        capture_output=True, text=True, env=env, check=True,
    ).stdout.strip()  # fmt: skip
    con.close()
    with tarfile.open(out) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "restored", filter="data")
    assert "index/segment-1/data_level0.bin" in names
    copy = sqlite3.connect(tmp_path / "restored" / "index" / "chroma.sqlite3")
    assert copy.execute("SELECT x FROM t").fetchone() == ("索引",)
    copy.close()


def test_backup_scripts_refuse_missing_arguments(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZHIBI_DATABASE_URL"}
    db = subprocess.run(
        ["sh", str(DEPLOY / "backup" / "backup-db.sh")], capture_output=True, text=True, env=env
    )
    assert db.returncode == 2 and "ZHIBI_DATABASE_URL" in db.stderr
    index = subprocess.run(
        ["sh", str(DEPLOY / "backup" / "backup-index.sh"), str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert index.returncode == 2 and "找不到文件夹" in index.stderr


def test_env_example_is_read_alike_by_sh_and_zhibi():
    """zhibi.env is an EnvironmentFile, a compose env_file and sourced by sh: each value must survive all three."""
    out = subprocess.run(
        ["sh", "-c", f'set -a; . "{DEPLOY / "zhibi.env.example"}"; env'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if line.startswith("ZHIBI_"))
    from core.config import resolve_settings

    settings = resolve_settings(env=env)
    assert settings.llm_extra == {"chat_template_kwargs": {"enable_thinking": False}}
    assert settings.llm_concurrency == 4 and settings.llm_configured
