"""Issue 22, points 1, 5 and 7: bounded inputs, corpus keepers, and failures that say what to do.

Failures are produced for real where the machine allows it: a damaged index or history file, a lock held by
another open file, a closed port, and a full disk (a 256 KB tmpfs, when this process may mount one).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from core.errors import ZhibiError
from ui.cli import main

NOTES = (
    "执法：全年办理行政处罚案件326件，罚没款218.6万元\n复议应诉：行政复议案件5件\n普法：开展宣传活动12场\n"
)


def _one_line(err: str) -> str:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert len(lines) == 1, err  # one line, never a traceback
    return lines[0]


# -- bounded inputs ----------------------------------------------------------------------------------------
def test_many_short_lines_are_refused_before_any_work() -> None:
    from drafting.inputs import MAX_NOTES_LINES, check_request

    notes = "\n".join("甲" for _ in range(10_000))  # 20 KB: once 227 s and 11.7 GB
    with pytest.raises(ZhibiError, match=f"行数过多.*{MAX_NOTES_LINES:,}"):
        check_request(notes, "某县交通运输局", 2024, None, [])
    with pytest.raises(ZhibiError, match="一行过长"):
        check_request("执法：" + "很" * 6000, "某县交通运输局", 2024, None, [])
    assert check_request("\n".join(["执法：办理案件3件"] * 500), "某县交通运输局", 2024, None, []).notes


def _docx_of(paragraphs: int) -> bytes:
    body = "<w:p/>" * paragraphs
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}<w:p><w:r><w:t>执法检查</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document)
    return out.getvalue()


def test_docx_of_millions_of_empty_paragraphs_is_refused_by_element_count(tmp_path: Path) -> None:
    from retrieval import ingest

    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_of(5_200_000))
    assert bomb.stat().st_size < 200_000  # passes every byte limit
    with pytest.raises(ZhibiError, match="元素"):
        ingest.read_text_file(bomb)
    fine = tmp_path / "fine.docx"
    fine.write_bytes(_docx_of(2_000))
    assert "执法检查" in ingest.read_text_file(fine)


# -- corpus keepers ----------------------------------------------------------------------------------------
def test_a_unit_account_cannot_change_the_law_and_changes_are_recorded(
    zhibi_home: Path, tmp_path: Path
) -> None:
    from core.types import Draft, Section, Source
    from retrieval import scope
    from zhibi.accounts import ADMIN, Account
    from zhibi.api import Workspace
    from zhibi.corpus_log import CorpusLog

    ws = Workspace(home=str(zhibi_home), chroma_url="", embed_base_url="")
    law = tmp_path / "行政处罚法.txt"
    law.write_text("第一条 为了规范行政处罚的设定和实施，制定本法。\n第二条 行政处罚是指……", encoding="utf-8")
    admin = Account("chief", "", "", ADMIN)
    ws.ingest([law], title="中华人民共和国行政处罚法", kind="law", actor=admin)
    wang = Account("wang", "", "甲县交通运输局")
    li = Account("li", "", "乙县交通运输局")
    doctored = tmp_path / "改过的.txt"
    doctored.write_text("第一条 行政机关可以任意处罚。", encoding="utf-8")
    with pytest.raises(ZhibiError, match="只有管理员"):
        ws.ingest([doctored], title="中华人民共和国行政处罚法", kind="law", replace=True, actor=wang)
    with pytest.raises(ZhibiError, match="只有管理员可以删除"):
        ws.remove("中华人民共和国行政处罚法", actor=wang)
    # a unit's own past report: drafted from by that unit only
    report = tmp_path / "甲县2023.txt"
    report.write_text("一、主要举措\n甲县全年开展道路运输执法专项整治行动。", encoding="utf-8")
    ws.ingest([report], title="甲县交通运输局2023年法治政府建设情况报告", kind="report", actor=wang)
    with scope.viewing("乙县交通运输局"):
        assert "甲县交通运输局2023年法治政府建设情况报告" not in {d.title for d in ws.documents()}
        assert all("甲县" not in p.text for p in ws.search("道路运输执法专项整治", 5))
        mine = tmp_path / "乙县.txt"
        mine.write_text("一、主要举措\n乙县的报告。", encoding="utf-8")
        for replace in (False, True):  # another unit's title: refused, and its file never described
            with pytest.raises(ZhibiError, match="已属于其他单位") as refused:
                ws.ingest(
                    [mine],
                    title="甲县交通运输局2023年法治政府建设情况报告",
                    kind="report",
                    replace=replace,
                    actor=li,
                )
            assert str(report) not in str(refused.value)
    with scope.viewing("甲县交通运输局"):
        assert any("甲县" in p.text for p in ws.search("道路运输执法专项整治", 5))
    # the administrator replaces the statute: recorded with who, when, old and new hash
    ws.ingest([doctored], title="中华人民共和国行政处罚法", kind="law", replace=True, actor=admin)
    changes = CorpusLog(zhibi_home).changes()
    replaced = [c for c in changes if c.action == "replace"][-1]
    assert replaced.who == "chief" and replaced.old_sha256 and replaced.new_sha256 != replaced.old_sha256
    assert {c.action for c in changes} == {"add", "replace"} and all(c.when > 0 for c in changes)
    assert (zhibi_home / "corpus-changes.jsonl").stat().st_mode & 0o077 == 0
    # a draft citing it carries a notice until an administrator confirms the new text
    draft = Draft(
        unit="甲县交通运输局",
        year=2024,
        engine="offline",
        title="t",
        sections=[Section("measures", "一、主要举措", "依法实施行政处罚[1]。", citations=[1])],
        sources=[Source(1, "中华人民共和国行政处罚法", "law", "第一条", "行政机关可以任意处罚。")],
    )
    marked = ws.changed_notices(draft)
    assert any("尚未确认" in r for r in marked.remarks) and any(
        "chief" in w for w in marked.sections[0].warnings
    )
    with pytest.raises(ZhibiError, match="只有管理员"):
        ws.confirm("中华人民共和国行政处罚法", actor=wang)
    ws.confirm("中华人民共和国行政处罚法", actor=admin)
    draft.remarks, draft.sections[0].warnings = [], []
    assert not ws.changed_notices(draft).remarks


# -- failures that say what to do ----------------------------------------------------------------------------
def test_damaged_index_file(tmp_path: Path, capsys) -> None:
    chroma = tmp_path / "home" / "chroma"
    chroma.mkdir(parents=True)
    (chroma / "chroma.sqlite3").write_bytes(os.urandom(20_000))
    assert main(["--home", str(tmp_path / "home"), "corpus"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "已损坏" in line and "zhibi ingest" in line and "改名" in line


def test_damaged_history_database_stops_serve_with_the_fix(tmp_path: Path, capsys, monkeypatch) -> None:
    from ui.app import free_port

    home = tmp_path / "home"
    home.mkdir()
    (home / "workspace.sqlite3").write_bytes(b"not a database" * 500)
    monkeypatch.delenv("GRADIO_TEMP_DIR", raising=False)
    assert main(["--home", str(home), "serve", "--port", str(free_port())]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "历史数据库" in line and "已损坏" in line and "改名备份" in line
    assert (home / "workspace.sqlite3").read_bytes().startswith(b"not a database")  # nothing overwritten


def test_unreachable_chroma_server(tmp_path: Path, capsys, monkeypatch) -> None:
    from ui.app import free_port

    monkeypatch.setenv("ZHIBI_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    assert main(["--home", str(tmp_path / "home"), "search", "行政处罚"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "连不上" in line and "chroma run" in line


def test_held_index_lock_times_out_with_the_cause(
    zhibi_home: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    import fcntl

    from zhibi.api import Workspace

    doc = tmp_path / "a.txt"
    doc.write_text("第一条 为了规范行政处罚的设定和实施，制定本法。", encoding="utf-8")
    assert main(["ingest", str(doc), "--title", "甲", "--kind", "law"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ZHIBI_LOCK_TIMEOUT", "0.5")
    with open(zhibi_home / "index.lock", "a+b") as held:  # another writer, stuck
        fcntl.flock(held, fcntl.LOCK_EX)
        other = tmp_path / "b.txt"
        other.write_text("第一条 为了规范行政复议，制定本法。", encoding="utf-8")
        assert main(["ingest", str(other), "--title", "乙", "--kind", "law"]) == 2
        line = _one_line(capsys.readouterr().err)
        assert "另一个进程正在写入索引" in line and "ZHIBI_LOCK_TIMEOUT" in line
        assert main(["corpus", "--remove", "甲"]) == 2
        capsys.readouterr()
    # nothing was lost, and once the lock is free the write goes through
    assert [d.title for d in Workspace().documents()] == ["甲"]
    assert main(["ingest", str(other), "--title", "乙", "--kind", "law"]) == 0


@contextlib.contextmanager
def full_disk(where: Path):
    """A 256 KB tmpfs, filled; skips when this process may not mount one."""
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        with contextlib.suppress(OSError), open(where / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_on_export_says_so(zhibi_home: Path, tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    with full_disk(tmp_path / "full") as full:
        code = main(
            ["draft", str(notes), "--unit", "某县交通运输局", "--year", "2024", "--format", "docx",
             "-o", str(full / "报告.docx")]
        )  # fmt: skip
        assert code == 2
        line = _one_line(capsys.readouterr().err)
        assert "磁盘已满" in line and "清理" in line


def test_full_disk_on_history_is_one_message_on_the_page(tmp_path: Path) -> None:
    import gradio as gr

    from ui.handlers import guarded
    from zhibi.history import History

    with full_disk(tmp_path / "full") as full:
        os.remove(full / "filler")
        history = History(full / "workspace.sqlite3")
        history.save_state("user:a", notes="笔记：执法检查5次")
        with contextlib.suppress(OSError), open(full / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)

        @guarded
        def save() -> None:
            for i in range(200):
                history.save_state("user:a", notes="笔记" * 20_000 + str(i))

        with pytest.raises(gr.Error, match="磁盘已满"):
            save()
        # once there is room again, what was saved before the disk filled is still there
        os.remove(full / "filler")
        assert history.state("user:a").notes == "笔记：执法检查5次"


def test_serve_warns_when_open_to_the_network_without_sign_in() -> None:
    from ui.app import serve_warnings

    assert "未设置登录" in serve_warnings("0.0.0.0", signed_in=False)[0]
    assert "未设置登录" in serve_warnings("192.168.1.20", signed_in=False)[0]
    assert serve_warnings("0.0.0.0", signed_in=True) == []
    assert serve_warnings("127.0.0.1", signed_in=False) == []


def test_files_are_private(zhibi_home: Path, tmp_path: Path) -> None:
    """History, audit records and exports written by the CLI are 0600 in 0700 folders, whatever the umask."""
    import sys

    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    out = tmp_path / "out.md"
    env = {
        **os.environ,
        "ZHIBI_HOME": str(zhibi_home),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    cmd = [
        sys.executable,
        "-m",
        "ui.cli",
        "draft",
        str(notes),
        "--unit",
        "某县交通运输局",
        "--year",
        "2024",
    ]
    r = subprocess.run(
        ["sh", "-c", 'umask 022; exec "$@"', "sh", *cmd, "-o", str(out)], env=env, capture_output=True
    )
    assert r.returncode == 0, r.stderr.decode()
    audits = list((zhibi_home / "audit").glob("*.json"))
    assert audits
    for path in [out, *audits]:
        assert path.stat().st_mode & 0o077 == 0, path
    for folder in (zhibi_home, zhibi_home / "audit"):
        assert folder.stat().st_mode & 0o077 == 0, folder


def test_cli_lists_changes_and_confirms(zhibi_home: Path, tmp_path: Path, capsys) -> None:
    law = tmp_path / "法.txt"
    law.write_text("第一条 为了规范行政处罚的设定和实施，制定本法。", encoding="utf-8")
    assert main(["ingest", str(law), "--title", "中华人民共和国行政处罚法", "--kind", "law"]) == 0
    law.write_text("第一条 为了规范行政处罚，制定本法。第二条 新增。", encoding="utf-8")
    assert (
        main(["ingest", str(law), "--title", "中华人民共和国行政处罚法", "--kind", "law", "--replace"]) == 0
    )
    capsys.readouterr()
    assert main(["corpus", "--changes"]) == 0
    out = capsys.readouterr().out
    assert "新增《中华人民共和国行政处罚法》" in out and "替换《中华人民共和国行政处罚法》" in out
    assert "待管理员确认：《中华人民共和国行政处罚法》" in out and "本机:" in out
    assert main(["corpus", "--confirm", "中华人民共和国行政处罚法"]) == 0
    capsys.readouterr()
    assert main(["corpus", "--changes"]) == 0
    assert "待管理员确认" not in capsys.readouterr().out


def test_corpus_page_changes_and_confirm_need_an_admin(zhibi_home: Path, tmp_path: Path) -> None:
    import gradio as gr

    from ui.handlers import Handlers
    from zhibi.accounts import ADMIN, Account, Accounts
    from zhibi.api import Workspace

    ws = Workspace(home=str(zhibi_home), chroma_url="", embed_base_url="")
    law = tmp_path / "法.txt"
    law.write_text("第一条 为了规范行政处罚的设定和实施，制定本法。", encoding="utf-8")
    ws.ingest([law], title="中华人民共和国行政处罚法", kind="law")
    law.write_text("第一条 为了规范行政处罚，制定本法。", encoding="utf-8")
    ws.ingest([law], title="中华人民共和国行政处罚法", kind="law", replace=True)
    accounts = Accounts({"wang": Account("wang", "x", "甲县局"), "chief": Account("chief", "x", "", ADMIN)})
    h = Handlers(ws, export_root=tmp_path / "exports", accounts=accounts)

    class As:
        def __init__(self, name: str) -> None:
            self.username = name

    listing, choices = h.corpus_changes(As("wang"))
    assert "待管理员确认" in listing and choices["choices"] == ["中华人民共和国行政处罚法"]
    with pytest.raises(gr.Error, match="只有管理员"):
        h.confirm_change("中华人民共和国行政处罚法", As("wang"))
    with pytest.raises(gr.Error, match="只有管理员"):
        h.remove_document("中华人民共和国行政处罚法", As("wang"))
    listing, choices, status = h.confirm_change("中华人民共和国行政处罚法", As("chief"))
    assert "已确认" in status and "待管理员确认" not in listing and choices["choices"] == []
