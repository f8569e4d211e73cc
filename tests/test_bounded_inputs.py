"""Hostile or unlucky inputs stay bounded: .docx bombs, slow or huge web pages, links out of an ingested folder."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.errors import ZhibiError
from retrieval import ingest
from retrieval.ingest import collect, expand, fetch_url, read_text_file

PARAGRAPH = "<w:p><w:r><w:t>全年办理行政处罚案件98件，罚没款27.4万元。</w:t></w:r></w:p>".encode()


def write_docx_bomb(path: Path, xml_mb: int) -> None:
    """A real .docx whose word/document.xml inflates to about xml_mb MB from a file of a few hundred KB."""
    from docx import Document

    template = io.BytesIO()
    doc = Document()
    doc.add_paragraph("一、主要举措")
    doc.save(template)
    src = zipfile.ZipFile(template)
    block = PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
                continue
            head, _, tail = src.read(info).partition(b"<w:body>")
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                for _ in range(xml_mb):
                    member.write(block)
                member.write(tail)


def test_docx_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "笔记.docx"
    write_docx_bomb(bomb, 192)
    assert bomb.stat().st_size < ingest.MAX_BYTES  # the on-disk limit alone lets it through
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(ZhibiError) as exc:
            read_text_file(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert "解压后过大" in str(exc.value) and str(bomb) in str(exc.value)
    assert elapsed < 2.0, f"refusing the bomb took {elapsed:.1f} s"
    assert peak < 5 * 1024 * 1024, f"refusing the bomb allocated {peak / 1e6:.0f} MB"


def test_docx_bomb_process_stays_small(tmp_path: Path) -> None:
    """The whole process (lxml's C allocations included, which tracemalloc cannot see) stays small."""
    bomb = tmp_path / "bomb.docx"
    write_docx_bomb(bomb, 192)
    script = (
        "import json, resource, sys, time\n"
        "from retrieval.ingest import read_text_file\n"
        "from core.errors import ZhibiError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.perf_counter()\n"
        "try:\n"
        "    read_text_file(sys.argv[1]); outcome = 'read'\n"
        "except ZhibiError:\n"
        "    outcome = 'refused'\n"
        "print(json.dumps({'outcome': outcome, 'seconds': time.perf_counter() - t,"
        " 'grew_mb': (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"] == "refused"
    assert result["seconds"] < 2.0 and result["grew_mb"] < 50, result


def test_docx_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "parts.docx"
    Document().save(path)
    with zipfile.ZipFile(path, "a") as z:
        for i in range(ingest.MAX_DOCX_PARTS + 1):
            z.writestr(f"word/padding/part{i}.xml", "<a/>")
    with pytest.raises(ZhibiError, match="部件"):
        read_text_file(path)


def test_normal_docx_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    write_docx_bomb(path, 2)  # 2 MB of XML: a long but ordinary report
    text = read_text_file(path)
    assert text.startswith("一、主要举措") or "全年办理行政处罚案件98件" in text


# --------------------------------------------------------------------------- URL ingest


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        try:
            if self.path == "/drip":
                self._drip()
            elif self.path == "/big":
                self._big(declare=False)
            elif self.path == "/big-declared":
                self._big(declare=True)
            else:
                body = "<html><body><h1>某区司法局2024年报告</h1><p>一、主要举措</p></body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _drip(self) -> None:
        """A valid page sent one byte every 0.3 s: each read returns in time, the whole never ends."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(10**6))
        self.end_headers()
        for _ in range(10**6):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.3)

    def _big(self, declare: bool) -> None:
        """200 MB of page, streamed fast, chunked (no length) unless `declare`."""
        total = 200 * 1024 * 1024
        block = b"<p>" + "文字".encode() * 21000 + b"</p>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        while sent < total:
            if declare:
                self.wfile.write(block)
            else:
                self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            sent += len(block)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hostile_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_drip_server_hits_the_total_deadline(hostile_site: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ZhibiError, match="超过 2 秒"):
        fetch_url(f"{hostile_site}/drip", deadline=2.0)
    elapsed = time.perf_counter() - started
    assert 1.9 < elapsed < 3.0, elapsed


def test_drip_server_through_the_cli(hostile_site: str, zhibi_home: Path, monkeypatch, capsys) -> None:
    from ui.cli import main

    monkeypatch.setenv("ZHIBI_URL_TIMEOUT", "1.5")
    started = time.perf_counter()
    assert main(["ingest", f"{hostile_site}/drip"]) == 2  # the page would take 3.5 days
    assert time.perf_counter() - started < 20.0  # 1.5 s of download plus opening the index on a busy box
    assert "超过 1.5 秒仍未完成" in capsys.readouterr().err


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_big_body_is_cut_at_the_cap_not_buffered(hostile_site: str, path: str) -> None:
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(ZhibiError, match="太大"):
            fetch_url(hostile_site + path, deadline=30.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * ingest.MAX_BYTES, f"{peak / 1e6:.0f} MB held"
    assert time.perf_counter() - started < 10.0


def test_ordinary_page_still_downloads(hostile_site: str) -> None:
    fetched = fetch_url(f"{hostile_site}/page", deadline=5.0)
    assert "某区司法局" in fetched.data.decode() and fetched.content_type.startswith("text/html")


# --------------------------------------------------------------------------- symlinks


SECRET = "绝密材料：这是文件夹外面的文件，不应被导入。\n第一条 任何人不得查阅。\n"
INSIDE = "某区司法局2024年法治政府建设情况报告\n一、主要举措\n（一）全年办理行政复议案件12件。\n"


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "sub" / "more.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "folder"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "report.txt").write_text(INSIDE, encoding="utf-8")
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "alias.txt").symlink_to(folder / "docs" / "report.txt")  # inside: kept (and read once)
    return folder


def test_links_out_of_a_folder_are_skipped_and_listed(linked_folder: Path) -> None:
    skipped: list[str] = []
    files = expand([str(linked_folder)], skipped)
    # The link that stays inside is kept; it is the same file as docs/report.txt, which is read once.
    assert [Path(f).resolve() for f in files] == [(linked_folder / "docs" / "report.txt").resolve()]
    assert sorted(skipped) == sorted(
        [str(linked_folder / "elsewhere") + "/", str(linked_folder / "passwd.txt")]
    )
    docs = collect([str(linked_folder)], {})
    assert all("绝密" not in d.text for d in docs)


def test_cli_ingest_lists_skipped_links(linked_folder: Path, zhibi_home: Path, capsys) -> None:
    from ui.cli import main
    from zhibi.api import Workspace

    assert main(["ingest", str(linked_folder)]) == 0
    out = capsys.readouterr().out
    assert "跳过 2 个指向文件夹外的链接" in out and "passwd.txt" in out
    ws = Workspace(home=str(zhibi_home), chroma_url="", embed_base_url="")
    assert [d.title for d in ws.documents()] == ["某区司法局2024年法治政府建设情况报告"]
    assert all("绝密" not in h.text for h in ws.search("绝密材料 任何人不得查阅", 5))
