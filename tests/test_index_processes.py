"""One index for every process: a server sees what the CLI writes; re-ingests are atomic even under kill -9;
a same-title ingest with other content asks before replacing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import ReplaceNeeded
from zhibi.api import Workspace

HERE = Path(__file__).resolve().parent
LAW = "中华人民共和国示例处罚法\n第一条 行政处罚遵循公正、公开的原则。\n第二条 实施行政处罚，应当依法进行，坚持严格规范公正文明执法。\n第三条 法治政府建设应当依法行政，履行职责。\n"
NEW_LAW = "丙省行政执法监督办法\n第一条 行政处罚应当公正、公开，严格规范公正文明执法。\n第二条 法治政府建设应当依法行政，明确职责。\n第三条 本办法自公布之日起施行。\n"
SHIPS = "丙港航管理办法\n第一条 船舶检验由港航机构负责。\n第二条 其他。\n第三条 施行。\n"
NOTES = "执法：全年办理行政处罚案件326件，罚没款218.6万元\n普法：开展宣传活动12场"


def workspace(home: Path) -> Workspace:
    return Workspace(home=str(home), chroma_url="", embed_base_url="", collection="zhibi")


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIBI_", "OPENAI_"))}
    return {**env, "ZHIBI_HOME": str(home), "PYTHONPATH": str(HERE.parent)}


# --------------------------------------------------------------------------- one index for every process


@pytest.mark.slow
def test_cli_ingest_in_another_process_is_served_without_restart(zhibi_home: Path, tmp_path: Path) -> None:
    """A long-running reader (a server's Workspace) after a `zhibi ingest` and a `zhibi corpus --remove` run as
    separate processes: before, its in-memory vectors went stale ("Error finding id")."""
    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "ships.txt").write_text(SHIPS, encoding="utf-8")
    server = workspace(zhibi_home)
    server.ingest([str(tmp_path / "law.txt")])
    assert server.search("行政处罚", 3)  # vectors loaded into this process
    cli = [sys.executable, "-m", "ui.cli"]
    done = subprocess.run(
        [*cli, "ingest", str(tmp_path / "ships.txt")], env=cli_env(zhibi_home), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for mode in ("hybrid", "dense", "lexical"):
        assert server.search("船舶检验", 1, mode=mode)[0].title == "丙港航管理办法"
    assert server.search("船舶检验", 1, kind="law")[0].title == "丙港航管理办法"
    assert {d.title for d in server.documents()} == {"丙港航管理办法", "中华人民共和国示例处罚法"}
    done = subprocess.run(
        [*cli, "corpus", "--remove", "丙港航管理办法"],
        env=cli_env(zhibi_home),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for mode in ("hybrid", "dense", "lexical"):
        assert all(h.title != "丙港航管理办法" for h in server.search("船舶检验", 5, mode=mode))
    assert server.search("实施行政处罚", 1, kind="law")[0].title == "中华人民共和国示例处罚法"


def test_two_indexes_in_one_process_see_each_other(zhibi_home: Path, tmp_path: Path) -> None:
    """Each Index has its own Chroma client (as separate processes do): writes through one reach the other."""
    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "ships.txt").write_text(SHIPS, encoding="utf-8")
    reader, writer = workspace(zhibi_home), workspace(zhibi_home)
    writer.ingest([str(tmp_path / "law.txt")])
    assert reader.search("行政处罚", 1)[0].title == "中华人民共和国示例处罚法"
    writer.ingest([str(tmp_path / "ships.txt")])
    assert reader.search("船舶检验", 1, kind="law", mode="dense")[0].title == "丙港航管理办法"
    writer.remove("丙港航管理办法")
    assert all(h.title != "丙港航管理办法" for h in reader.search("船舶检验", 5))
    (tmp_path / "ships.txt").write_text(SHIPS.replace("港航机构", "海事机构"), encoding="utf-8")
    reader.ingest([str(tmp_path / "ships.txt")])  # and the other way round
    assert "海事机构" in writer.search("船舶检验", 1, mode="dense")[0].text


@pytest.mark.slow
def test_cli_ingest_while_zhibi_serve_runs(zhibi_home: Path, tmp_path: Path) -> None:
    """The issue's case end to end: a real `zhibi serve`, the CLI adding, replacing and removing documents in
    the same home, drafts through gradio_client after each change."""
    from gradio_client import Client

    from ui.app import free_port
    from ui.cli import main

    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW_LAW, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "law.txt")]) == 0
    port = free_port()
    env = cli_env(zhibi_home)
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        for line in server.stdout:  # type: ignore[union-attr]
            if "已启动" in line:
                break
            assert time.monotonic() < deadline, "zhibi serve did not start"
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)

        def enforcement() -> str:
            return client.predict(NOTES, "甲县交通运输局", 2024, "measures.enforcement", api_name="/draft")[0]

        assert "326件" in enforcement() and "[1]" in enforcement()  # grounded on the one statute
        assert main(["corpus", "--remove", "中华人民共和国示例处罚法"]) == 0  # removed by another process
        text = enforcement()
        assert "326件" in text and "[1]" not in text  # nothing left to cite, and no error
        assert main(["ingest", str(tmp_path / "new.txt")]) == 0  # added by another process
        assert "[1]" in enforcement()
        assert main(["ingest", str(tmp_path / "law.txt"), "--title", "丙省行政执法监督办法"]) == 2
        assert (
            main(["ingest", str(tmp_path / "law.txt"), "--title", "丙省行政执法监督办法", "--replace"]) == 0
        )
        text = enforcement()
        assert "326件" in text and "[1]" in text
    finally:
        server.terminate()
        server.wait(timeout=30)


# --------------------------------------------------------------------------- atomic re-ingest


@pytest.mark.slow
def test_reingest_killed_at_random_points_leaves_one_whole_version(tmp_path: Path) -> None:
    """kill -9 during re-ingests that swap two versions of one statute, at random points of the write phase;
    after every kill a fresh process sees exactly one whole version, searched once."""
    trials = 6
    done = subprocess.run(
        [sys.executable, str(HERE / "reingest_kill.py"), str(tmp_path / "home"), str(tmp_path / "files"),
         str(trials), str(int(time.time()))],
        env=cli_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    checks = [result["first"], result["second"]] + [r["check"] for r in result["runs"]]
    for check in checks:
        assert "error" not in check, check
        live, other = check["live"], "B" if check["live"] == "A" else "A"
        assert live in ("A", "B") and check["titles"] == 1 and not check["both_markers"], check
        assert check["chunks"] == result["first"]["chunks"], check
        assert check["duplicate_hits"] == 0 and check["other_version_hits"] == 0, check
        assert check["marker_hits"] == {live: True, other: False}, check
    assert sum(r["outcome"] == "killed" for r in result["runs"]) >= trials // 2, result["runs"]


# --------------------------------------------------------------------------- same title, other content


def test_same_title_other_content_needs_replace(zhibi_home: Path, tmp_path: Path, capsys) -> None:
    from ui.cli import main

    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "one.txt").write_text("第一条 只有一条。\n", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "law.txt")]) == 0
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "one.txt"), "--title", "中华人民共和国示例处罚法"]) == 2
    err = capsys.readouterr().err
    assert "《中华人民共和国示例处罚法》" in err and str(tmp_path / "law.txt") in err and "--replace" in err
    ws = workspace(zhibi_home)
    assert ws.documents()[0].path == str(tmp_path / "law.txt")  # untouched
    same = main(["ingest", str(tmp_path / "law.txt")])  # the same text again: nothing to confirm
    assert same == 0 and "未变 1 篇" in capsys.readouterr().out
    assert (
        main(["ingest", str(tmp_path / "one.txt"), "--title", "中华人民共和国示例处罚法", "--replace"]) == 0
    )
    assert "更新 1 篇" in capsys.readouterr().out
    assert [(d.title, d.chunks) for d in ws.documents()] == [("中华人民共和国示例处罚法", 1)]


def test_web_upload_asks_before_replacing(zhibi_home: Path, tmp_path: Path) -> None:
    import gradio as gr

    from ui.handlers import Handlers

    ws = workspace(zhibi_home)
    first = tmp_path / "a" / "示例处罚法.txt"
    first.parent.mkdir()
    first.write_text(LAW, encoding="utf-8")
    h = Handlers(ws)
    h.ingest([str(first)], "law")
    second = tmp_path / "b" / "示例处罚法.txt"
    second.parent.mkdir()
    second.write_text(LAW + "第四条 新增一条。\n", encoding="utf-8")
    with pytest.raises(gr.Error) as exc:
        h.ingest([str(second)], "law")
    assert "《中华人民共和国示例处罚法》" in exc.value.message and "替换同名文档" in exc.value.message
    assert ws.documents()[0].chunks == len(ws.chunks("中华人民共和国示例处罚法")) and "新增一条" not in (
        ws.index.document_text("中华人民共和国示例处罚法")
    )
    *_, line = h.ingest([str(second)], "law", None, replace=True)
    assert "更新 1 篇" in line and "新增一条" in ws.index.document_text("中华人民共和国示例处罚法")


def test_replace_needed_lists_every_conflict_and_writes_nothing(zhibi_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "law.txt").write_text(LAW, encoding="utf-8")
    (folder / "new.txt").write_text(NEW_LAW, encoding="utf-8")
    ws = workspace(zhibi_home)
    ws.ingest([str(folder)])
    count = ws.index._collection().count()
    (folder / "law.txt").write_text(LAW + "第四条 新增。\n", encoding="utf-8")
    (folder / "new.txt").write_text(NEW_LAW + "第四条 新增。\n", encoding="utf-8")
    (folder / "third.txt").write_text(
        "丁市法治政府建设实施方案\n一、总体要求\n依法行政。\n", encoding="utf-8"
    )
    with pytest.raises(ReplaceNeeded) as exc:
        ws.ingest([str(folder)])
    assert set(exc.value.titles) == {"中华人民共和国示例处罚法", "丙省行政执法监督办法"}
    assert ws.index._collection().count() == count and len(ws.documents()) == 2


def test_a_replaced_client_is_closed_after_a_grace_period(
    zhibi_home: Path, tmp_path: Path, monkeypatch
) -> None:
    """Reopening keeps memory flat: the replaced client's vectors are freed once calls in flight are done."""
    import retrieval.index as index_module

    monkeypatch.setattr(index_module, "RETIRE_AFTER", 0.05)
    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    ws = workspace(zhibi_home)
    ws.ingest([str(tmp_path / "law.txt")])
    old = ws.index._client
    ws.index.refresh()
    deadline = time.monotonic() + 5
    while hasattr(old._server, "bindings") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not hasattr(old._server, "bindings")  # closed
    assert ws.search("实施行政处罚", 1, mode="dense")[0].title == "中华人民共和国示例处罚法"


def test_writers_wait_for_the_index_lock(zhibi_home: Path, tmp_path: Path) -> None:
    """A second writer (here: another open file holding the lock, as another process would) is waited for."""
    import fcntl
    import threading

    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    ws = workspace(zhibi_home)
    ws.documents()
    zhibi_home.mkdir(parents=True, exist_ok=True)
    with open(zhibi_home / "index.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        writer = threading.Thread(target=ws.ingest, args=([str(tmp_path / "law.txt")],))
        writer.start()
        writer.join(3.0)
        assert writer.is_alive() and ws.documents() == []  # embedded, waiting: nothing written
        fcntl.flock(held, fcntl.LOCK_UN)
    writer.join(120)
    assert not writer.is_alive() and [d.title for d in ws.documents()] == ["中华人民共和国示例处罚法"]
