"""Index and search with real Chroma, the real USE embedder and real BM25 over small documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.errors import ReplaceNeeded, ZhibiError
from ui.cli import main as cli_main
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI
except ImportError:  # tests/ itself on sys.path
    from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]

REPORT = """甲区交通运输局2023年法治政府建设情况报告
2023年，甲区交通运输局坚持依法行政，现将有关情况报告如下：
一、主要举措和成效
（一）严格规范公正文明执法。全年查处超限超载车辆268辆，推行首违不罚清单。
（二）推进政务公开
1、扎实推进政务公开。坚持以公开为常态、不公开为例外，发布政府信息32条。
2、办理建议提案。全年办理人大代表建议7件、政协委员提案4件。
二、存在的不足和原因
执法人员中取得法律职业资格的较少，尚未配备公职律师。
"""

LAW = """# 中华人民共和国示例诉讼法

2017年6月27日 修正

## 第一章 总则

第一条 为保证人民法院公正审理行政案件，制定本法。

第二条 公民认为行政行为侵犯其合法权益，有权依照本法向人民法院提起诉讼。

第三条 被诉行政机关负责人应当出庭应诉。不能出庭的，应当委托行政机关相应的工作人员出庭。

## 第二章 受案范围

第四条 人民法院受理公民对行政处罚不服提起的诉讼。
"""

POLICY = """乙省法治政府建设实施纲要（2021－2025年）
一、总体要求
到2025年，政府行为全面纳入法治轨道，行政执法体制机制基本完善。
二、主要任务
（一）健全行政决策制度体系。严格落实重大行政决策程序，推行合法性审查全覆盖。
"""

MANIFEST = """
[[document]]
file = "report.txt"
title = "甲区交通运输局2023年法治政府建设情况报告"
kind = "report"
issuer = "甲区交通运输局"
year = 2023

[[document]]
file = "law.md"
title = "中华人民共和国示例诉讼法（2017年修正）"
kind = "law"
issuer = "全国人民代表大会常务委员会"
year = 2017

[[document]]
file = "policy.txt"
title = "乙省法治政府建设实施纲要（2021－2025年）"
kind = "policy"
issuer = "乙省人民政府"
year = 2021
"""

LAW_TITLE = "中华人民共和国示例诉讼法（2017年修正）"
REPORT_TITLE = "甲区交通运输局2023年法治政府建设情况报告"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    (folder / "law.md").write_text(LAW, encoding="utf-8")
    (folder / "policy.txt").write_bytes(POLICY.encode("gb18030"))
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return folder


def workspace(home: Path, **settings) -> Workspace:
    values = {"chroma_url": "", "embed_base_url": "", "collection": "zhibi", **settings}
    return Workspace(home=str(home), **values)


@pytest.fixture
def ws(zhibi_home: Path, corpus: Path) -> Workspace:
    ws = workspace(zhibi_home)
    report = ws.ingest([str(corpus)])
    assert sorted(report.added) == sorted(
        [REPORT_TITLE, LAW_TITLE, "乙省法治政府建设实施纲要（2021－2025年）"]
    )
    return ws


def collection_count(ws: Workspace) -> int:
    return ws.index._collection().count()


def snapshot(ws: Workspace) -> list[tuple]:
    return [(d.title, d.kind, d.year, d.chunks, d.sha256) for d in ws.documents()]


# --------------------------------------------------------------------------- ingest, documents, chunks


def test_documents_and_chunks(ws: Workspace, corpus: Path) -> None:
    docs = {d.title: d for d in ws.documents()}
    law = docs[LAW_TITLE]
    assert (law.kind, law.year, law.issuer) == ("law", 2017, "全国人民代表大会常务委员会")
    chunks = ws.chunks(LAW_TITLE)
    assert [c.locator for c in chunks] == ["开头", "第一条", "第二条", "第三条", "第四条"]
    assert [c.order for c in chunks] == list(range(5))
    assert chunks[3].part == "第一章 总则" and chunks[3].heading == "总则"
    assert law.chunks == len(chunks)
    assert collection_count(ws) == sum(d.chunks for d in ws.documents())
    report_chunks = ws.chunks(REPORT_TITLE)
    assert [c.locator for c in report_chunks] == ["开头", "一（一）", "一（二）1", "一（二）2", "二"]
    assert report_chunks[1].heading == "严格规范公正文明执法"


def test_document_text_is_the_cleaned_text(ws: Workspace, corpus: Path) -> None:
    from retrieval.ingest import read_source

    for name, title in (("law.md", LAW_TITLE), ("report.txt", REPORT_TITLE)):
        assert ws.index.document_text(title) == read_source(str(corpus / name), {}).text
    text = ws.index.document_text(LAW_TITLE)
    assert "被诉行政机关负责人应当出庭应诉。不能出庭的" in text


def test_reingest_unchanged_is_skipped(ws: Workspace, corpus: Path) -> None:
    before = snapshot(ws)
    ids = [c.id for c in ws.chunks(LAW_TITLE)]
    report = ws.ingest([str(corpus)])
    assert report.added == [] and report.replaced == [] and len(report.unchanged) == 3 and report.chunks == 0
    assert snapshot(ws) == before
    assert [c.id for c in ws.chunks(LAW_TITLE)] == ids


def test_changed_file_is_replaced(ws: Workspace, corpus: Path) -> None:
    old_ids = {c.id for c in ws.chunks(LAW_TITLE)}
    before = snapshot(ws)
    (corpus / "law.md").write_text(LAW + "\n第五条 本法自公布之日起施行。\n", encoding="utf-8")
    with pytest.raises(ReplaceNeeded) as exc:  # a changed text replaces a document only when asked to
        ws.ingest([str(corpus)])
    message = str(exc.value)
    assert f"《{LAW_TITLE}》" in message and "5 个片段" in message and "--replace" in message
    assert "\n" not in message and exc.value.titles == [LAW_TITLE]
    assert snapshot(ws) == before
    report = ws.ingest([str(corpus)], replace=True)
    assert report.replaced == [LAW_TITLE] and len(report.unchanged) == 2
    chunks = ws.chunks(LAW_TITLE)
    assert chunks[-1].locator == "第五条"
    assert not old_ids & {c.id for c in chunks}
    assert collection_count(ws) == sum(d.chunks for d in ws.documents())  # old version gone
    hits = ws.search("本法自公布之日起施行", 3, mode="lexical")
    assert hits[0].locator == "第五条"


def test_metadata_change_is_a_replacement(ws: Workspace, corpus: Path) -> None:
    report = ws.ingest([str(corpus / "policy.txt")], kind="other")
    assert report.replaced == ["乙省法治政府建设实施纲要（2021－2025年）"]
    assert {d.title: d.kind for d in ws.documents()}["乙省法治政府建设实施纲要（2021－2025年）"] == "other"


def test_remove(ws: Workspace) -> None:
    n = ws.remove(LAW_TITLE)
    assert n == 5
    assert LAW_TITLE not in [d.title for d in ws.documents()]
    assert all(h.title != LAW_TITLE for h in ws.search("出庭应诉", 10))
    with pytest.raises(ZhibiError) as exc:
        ws.remove("甲区交通运输局2023年报告")
    assert REPORT_TITLE in str(exc.value)  # close titles are listed
    with pytest.raises(ZhibiError):
        ws.chunks(LAW_TITLE)


# --------------------------------------------------------------------------- search


def test_search_modes_and_ranks(ws: Workspace) -> None:
    for mode in ("hybrid", "dense", "lexical"):
        hits = ws.search("行政机关负责人出庭应诉", 3, mode=mode)
        assert hits, mode
        assert hits[0].title == LAW_TITLE and hits[0].locator == "第三条", mode
    hybrid = ws.search("行政机关负责人出庭应诉", 3)
    assert hybrid[0].dense_rank is not None and hybrid[0].lexical_rank == 1
    assert hybrid[0].to_json()["locator"] == "第三条"
    assert ws.search("   ") == []
    with pytest.raises(ZhibiError):
        ws.search("出庭", mode="fuzzy")


def test_filters_apply_to_both_lists(ws: Workspace) -> None:
    for mode in ("hybrid", "dense", "lexical"):
        assert {h.kind for h in ws.search("依法行政", 10, kind="report", mode=mode)} == {"report"}
        assert {h.year for h in ws.search("依法行政", 10, year=2021, mode=mode)} == {2021}
        assert {h.title for h in ws.search("人民法院", 10, issuer="全国人民代表大会", mode=mode)} == {
            LAW_TITLE
        }
    assert ws.search("出庭应诉", 5, kind="law", year=2023) == []
    assert ws.search("出庭应诉", 5, issuer="没有这个机关") == []


def test_change_by_another_index_is_noticed(ws: Workspace, tmp_path: Path) -> None:
    assert ws.search("船舶检验", 3, mode="lexical") == []
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "丙港航管理办法\n第一条 船舶检验由港航机构负责。\n第二条 其他。\n第三条 施行。\n", encoding="utf-8"
    )
    other = workspace(
        ws.settings.home
    )  # a second Index with its own BM25 cache, as another process would have
    other.ingest([str(extra)])
    hits = ws.search("船舶检验", 3, mode="lexical")
    assert hits and hits[0].title == "丙港航管理办法"


def test_bm25_cache_persists_and_is_reused(ws: Workspace) -> None:
    ws.search("出庭", 1)
    folder = ws.settings.home / "bm25" / "zhibi"
    caches = [p for p in folder.iterdir() if not p.name.endswith(".tmp")]
    assert len(caches) == 1 and (caches[0] / "query_words.txt").exists()
    fresh = workspace(ws.settings.home)
    col = fresh.index._collection()
    lex = fresh.index.lexical(col, col.count())
    assert lex.folder == caches[0]  # loaded from disk, not rebuilt
    words = lex.query_tokens("行政机关负责人出庭应诉")
    from retrieval.lexical import tokenize

    assert words == tokenize("行政机关负责人出庭应诉")


# --------------------------------------------------------------------------- bad input: nothing lost


BAD_INPUTS = {
    "empty": lambda d: (d / "empty.txt").write_bytes(b""),
    "binary": lambda d: (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048)),
    "undecodable": lambda d: (d / "bad.txt").write_bytes(b"abc \xff\xfe\xfd\x80\x80 def \xff\x80\xff" * 50),
    "huge": lambda d: os.truncate(_touch(d / "huge.txt"), 50 * 1024 * 1024),
    "manifest-missing-file": lambda d: (d / "manifest.toml").write_text(
        '[[document]]\nfile = "gone.txt"\n', encoding="utf-8"
    ),
    "manifest-bad-toml": lambda d: (d / "manifest.toml").write_text("[[document]\nfile=", encoding="utf-8"),
}


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_leaves_index_untouched(ws: Workspace, corpus: Path, tmp_path: Path, case: str) -> None:
    before, count = snapshot(ws), collection_count(ws)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(
        "丁局2024年法治政府建设情况报告\n一、主要举措\n全年办理案件12件。\n", encoding="utf-8"
    )
    (corpus / "law.md").write_text(
        LAW + "\n第五条 新增条文。\n", encoding="utf-8"
    )  # a change that must not land
    BAD_INPUTS[case](batch)
    with pytest.raises(ZhibiError) as exc:
        ws.ingest([str(corpus), str(batch)])
    assert "\n" not in str(exc.value)
    assert snapshot(ws) == before and collection_count(ws) == count


def test_folder_without_documents(ws: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(ZhibiError, match="没有可导入的文档"):
        ws.ingest([str(empty)])


# --------------------------------------------------------------------------- URL ingest


class _Page(BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        status, ctype, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def local_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_ingest(zhibi_home: Path, local_site: str) -> None:
    html = """<html><head><meta charset="gbk"><title>戊局报告_戊区政府网</title><script>var t=1;</script></head>
    <body><nav>首页 | 政务公开 | 网站地图</nav>
    <h1>戊区交通运输局2022年法治政府建设情况报告</h1>
    <div class="content"><p>一、主要举措</p><p>（一）规范执法。全年开展联合执法检查58次，发现问题全部整改。</p></div>
    <div class="footer">主办单位：戊区人民政府</div></body></html>"""
    _Page.pages = {"/report.html": (200, "text/html; charset=gbk", html.encode("gbk"))}
    ws = workspace(zhibi_home)
    report = ws.ingest([f"{local_site}/report.html"])
    assert report.added == ["戊区交通运输局2022年法治政府建设情况报告"]
    doc = ws.documents()[0]
    assert (doc.kind, doc.year, doc.path) == ("report", 2022, f"{local_site}/report.html")
    text = ws.index.document_text(doc.title)
    assert "联合执法检查58次" in text
    assert "网站地图" not in text and "var t" not in text and "主办单位" not in text
    assert ws.search("联合执法检查", 1)[0].locator == "一（一）"
    with pytest.raises(ZhibiError, match="HTTP 404"):
        ws.ingest([f"{local_site}/missing.html"])


# --------------------------------------------------------------------------- OpenAI-compatible embeddings


def test_embeddings_endpoint(zhibi_home: Path, corpus: Path) -> None:
    with FakeOpenAI() as fake:
        ws = workspace(
            zhibi_home, embed_base_url=fake.base_url, embed_model="fake-embed", embed_api_key="sk-test"
        )
        ws.ingest([str(corpus)])
        calls = [r for r in fake.requests if r["path"].endswith("/embeddings")]
        assert calls and {r["body"]["model"] for r in calls} == {"fake-embed"}
        assert calls[0]["path"] == "/v1/embeddings"
        assert {k.lower(): v for k, v in calls[0]["headers"].items()}["authorization"] == "Bearer sk-test"
        hits = ws.search("被诉行政机关负责人出庭应诉", 3, mode="dense")
        assert hits[0].locator == "第三条"
        # The index remembers its embedder: the bundled model must not read it.
        with pytest.raises(ZhibiError, match="fake-embed"):
            workspace(zhibi_home).search("出庭应诉")
    # Endpoint down: a clear error naming the setting, and nothing written.
    down = workspace(
        zhibi_home, embed_base_url=f"http://127.0.0.1:{_free_port()}/v1", embed_model="fake-embed"
    )
    before = snapshot(down)
    (corpus / "report.txt").write_text(REPORT + "三、下一步安排\n继续推进。\n", encoding="utf-8")
    with pytest.raises(ZhibiError, match="ZHIBI_EMBED_BASE_URL"):
        down.ingest([str(corpus)], replace=True)
    assert snapshot(down) == before


def test_use_index_refuses_other_embedder(ws: Workspace) -> None:
    with pytest.raises(ZhibiError) as exc:
        workspace(ws.settings.home, embed_base_url="http://127.0.0.1:9/v1", embed_model="m").documents()
    assert "use-multilingual-v3" in str(exc.value) and "ZHIBI_EMBED" in str(exc.value)


# --------------------------------------------------------------------------- Chroma server


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    import time

    import httpx

    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a busy 2-core box needs more than 30 s
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma run did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_chroma_server_mode(zhibi_home: Path, corpus: Path, chroma_server: str) -> None:
    ws = workspace(zhibi_home, chroma_url=chroma_server)
    report = ws.ingest([str(corpus)])
    assert len(report.added) == 3
    assert not (zhibi_home / "chroma").exists()  # nothing went to the embedded store
    hits = ws.search("行政机关负责人出庭应诉", 3)
    assert hits[0].locator == "第三条"
    # A second client (another machine or process in real life) sees the same index and its changes.
    other = workspace(zhibi_home / "elsewhere", chroma_url=chroma_server)
    assert {d.title for d in other.documents()} == {d.title for d in ws.documents()}
    other.remove(LAW_TITLE)
    assert all(h.title != LAW_TITLE for h in ws.search("出庭应诉", 5, mode="lexical"))
    # Added and replaced through the other client: this one serves them at once, dense and BM25 alike.
    law = corpus / "law.md"
    other.ingest([str(law)])
    for mode in ("dense", "lexical", "hybrid"):
        assert ws.search("行政机关负责人出庭应诉", 1, kind="law", mode=mode)[0].title == LAW_TITLE
    law.write_text(LAW.replace("出庭应诉", "到庭应诉"), encoding="utf-8")
    with pytest.raises(ReplaceNeeded):
        other.ingest([str(law)])
    other.ingest([str(law)], replace=True)
    hits = ws.search("行政机关负责人到庭应诉", 10, kind="law")
    assert "到庭应诉" in hits[0].text and all("出庭应诉" not in h.text for h in hits)
    assert len({h.text for h in hits}) == len(hits)


def test_unreachable_chroma_server(zhibi_home: Path, corpus: Path) -> None:
    ws = workspace(zhibi_home, chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(ZhibiError) as exc:
        ws.ingest([str(corpus)])
    assert "ZHIBI_CHROMA_URL" in str(exc.value) and "chroma run" in str(exc.value)
    with pytest.raises(ZhibiError, match="ZHIBI_CHROMA_URL"):
        workspace(zhibi_home, chroma_url="ftp://x").documents()


# --------------------------------------------------------------------------- shared corpus


def test_shared_corpus_article_three(shared_workspace: Workspace) -> None:
    docs = shared_workspace.documents()
    assert len(docs) == 12 and sum(d.kind == "law" for d in docs) == 10
    law = "中华人民共和国行政诉讼法（2017年修正）"
    hits = shared_workspace.search("行政机关负责人出庭应诉", 5)
    assert any(h.title == law and h.locator == "第三条" for h in hits)
    top = shared_workspace.search("行政机关负责人出庭应诉", 1, kind="law")[0]
    assert (top.title, top.locator, top.chunk.part) == (law, "第三条", "第一章 总则")
    assert "被诉行政机关负责人应当出庭应诉" in shared_workspace.index.document_text(law)


# --------------------------------------------------------------------------- CLI


def test_cli_ingest_corpus_search_remove(zhibi_home: Path, corpus: Path, capsys) -> None:
    home = str(zhibi_home)
    assert cli_main(["--home", home, "ingest", str(corpus)]) == 0
    assert "新增 3 篇" in capsys.readouterr().out
    assert cli_main(["--home", home, "corpus"]) == 0
    out = capsys.readouterr().out
    assert "law    2017" in out and LAW_TITLE in out and "共 3 篇" in out
    assert cli_main(["--home", home, "search", "出庭应诉", "--json", "-k", "1"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["locator"] == "第三条"
    assert cli_main(["--home", home, "corpus", "--remove", LAW_TITLE]) == 0
    assert "5 个片段" in capsys.readouterr().out
    empty = corpus / "empty.txt"
    empty.write_bytes(b"")
    assert cli_main(["--home", home, "ingest", str(empty)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("zhibi: ") and str(empty) in err and "\n" not in err


def test_search_command_imports_no_ui_or_langchain(bundled_workspace: Workspace) -> None:
    code = "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["--home", str(bundled_workspace.settings.home), "search", "首违不罚", "-k", "1"]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("ZHIBI_")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "首违不罚" in proc.stdout
    imported = [
        line.rsplit("|", 1)[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "chromadb" in imported  # the check sees real imports
    heavy = [
        m
        for m in imported
        if m.split(".")[0] in ("gradio", "langchain", "langchain_openai", "langchain_core", "openai")
    ]
    assert heavy == []


def test_progress_printer_bars(ws: Workspace, corpus: Path) -> None:
    import io

    from retrieval.progress import ProgressPrinter

    out = io.StringIO()
    (corpus / "report.txt").write_text(REPORT + "三、下一步安排\n继续推进。\n", encoding="utf-8")
    with ProgressPrinter(file=out, disable=False) as progress:
        ws.ingest([str(corpus)], progress=progress, replace=True)
    text = out.getvalue()
    for stage in ("读取文档", "嵌入片段", "写入索引"):
        assert stage in text
    assert "3/3" in text  # three documents read


def test_interrupted_replace_keeps_a_whole_version(ws: Workspace, corpus: Path, monkeypatch) -> None:
    old_text = ws.index.document_text(LAW_TITLE)
    (corpus / "law.md").write_text(LAW + "\n第五条 本法自公布之日起施行。\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("power cut after the new chunks were written")

    with monkeypatch.context() as m:
        m.setattr(type(ws.index), "_delete", crash)
        with pytest.raises(RuntimeError):
            ws.ingest([str(corpus)], replace=True)
    # Both versions are stored; readers see one whole version, never a mix.
    text = ws.index.document_text(LAW_TITLE)
    assert text == old_text or text.endswith("第五条 本法自公布之日起施行。")
    assert [d.title for d in ws.documents()].count(LAW_TITLE) == 1
    assert collection_count(ws) > sum(d.chunks for d in ws.documents())  # the old version is still stored
    for mode in ("hybrid", "dense", "lexical"):  # ... but searched once: no passage comes back twice
        hits = ws.search("行政机关负责人出庭应诉", 10, mode=mode)
        assert hits and len({(h.title, h.text) for h in hits}) == len(hits)
        assert len({h.chunk.id.rsplit("-", 1)[0] for h in hits if h.title == LAW_TITLE}) == 1
    report = ws.ingest([str(corpus)], replace=True)  # the next ingest finishes the job
    assert LAW_TITLE in report.unchanged + report.replaced
    assert ws.index.document_text(LAW_TITLE).endswith("第五条 本法自公布之日起施行。")
    assert collection_count(ws) == sum(d.chunks for d in ws.documents())
