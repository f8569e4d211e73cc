"""Reading files: encodings, formats, web-page chrome, metadata, and one clear error per bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.config import BUNDLED_CORPUS
from core.errors import ZhibiError
from retrieval.ingest import (
    clean_text,
    collect,
    decode_bytes,
    expand,
    html_to_text,
    infer_kind,
    read_source,
    read_text_file,
)

REPORT_2023 = BUNDLED_CORPUS / "reports" / "2023_dongchangfu_transport_bureau.txt"
TEXT = "某区交通运输局2023年法治政府建设情况报告\n一、主要举措\n（一）严格规范公正文明执法。全年办理行政处罚案件98件。\n"


def test_gb18030_file_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "gbk.txt"
    f.write_bytes(TEXT.encode("gb18030"))
    assert read_text_file(f) == TEXT


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gbk"])
def test_common_encodings(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes(TEXT.encode(encoding))
    assert read_text_file(f).lstrip("\ufeff") == TEXT


def test_utf8_with_one_damaged_byte_stays_utf8() -> None:
    data = (TEXT * 3).encode("utf-8")[:-1]  # truncated last character
    assert decode_bytes(data, "x").startswith("某区交通运输局")


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("一、主要举措")
    doc.add_paragraph("（一）严格规范公正文明执法。全年办理案件98件。")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "罚款"
    table.rows[0].cells[1].text = "27.4万元"
    f = tmp_path / "r.docx"
    doc.save(f)
    text = read_text_file(f)
    assert "一、主要举措\n（一）严格规范公正文明执法。" in text
    assert "罚款 27.4万元" in text


def test_html_drops_navigation_scripts_and_styles() -> None:
    html = """<html><head><title>报告_某区政府网</title><style>.x{color:red}</style></head><body>
    <nav><a href="/">首页</a> 网站地图</nav><div class="breadcrumb">当前位置：首页 &gt; 信息公开</div>
    <script>var tracking = 1;</script>
    <h1>某区2023年法治政府建设情况报告</h1>
    <div id="zoom"><p>一、主要举措</p><p>（一）规范执法。全年<span>办理</span>案件98件。<br>第二行</p></div>
    <footer>版权所有 某区人民政府</footer></body></html>"""
    text = html_to_text(html)
    assert "（一）规范执法。全年办理案件98件。\n第二行" in text
    for chrome in ("tracking", "color:red", "网站地图", "当前位置", "版权所有"):
        assert chrome not in text


def test_web_page_chrome_is_stripped_and_paragraphs_kept() -> None:
    cleaned = clean_text(REPORT_2023.read_text(encoding="utf-8"))
    lines = cleaned.text.split("\n")
    for chrome in (
        "无障碍阅读",
        "政府信息公开",
        "113715020044301982/2024-45222172",
        "2024-01-02 15:54:42",
        "字号",
        "打印整页",
        "扫码使用手机浏览本页内容",
        "目录导读",
    ):
        assert not any(line.startswith(chrome) for line in lines), chrome
    assert cleaned.title == "东昌府区交通运输局2023年法治政府建设情况报告"
    assert cleaned.issuer == "东昌府区交通运输局"
    assert lines[0].startswith("2023年,在区委、区政府的坚强领导下")
    assert lines[1] == "一、推进法治政府建设的主要举措和成效"
    assert "东昌府区交通运输局2023年法治政府建设情况报告" not in cleaned.text.split("\n")


def test_markdown_heading_marks_and_title(tmp_path: Path) -> None:
    f = tmp_path / "law.md"
    f.write_text(
        "# 中华人民共和国某某法\n\n2017年6月27日 修正\n\n## 第一章 总则\n\n第一条 为了规范。\n",
        encoding="utf-8",
    )
    doc = read_source(str(f), {})
    assert doc.meta.title == "中华人民共和国某某法"
    assert doc.meta.kind == "law"
    assert doc.text.split("\n") == ["2017年6月27日 修正", "第一章 总则", "第一条 为了规范。"]


def test_metadata_from_manifest(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nfile = "docs/a.txt"\ntitle = "甲报告"\nkind = "report"\nissuer = "甲局"\nyear = 2021\n',
        encoding="utf-8",
    )
    meta = read_source(str(tmp_path / "docs" / "a.txt"), {}).meta
    assert (meta.title, meta.kind, meta.issuer, meta.year) == ("甲报告", "report", "甲局", 2021)
    over = read_source(
        str(tmp_path / "docs" / "a.txt"), {"kind": "policy", "year": 2020, "issuer": "乙局"}
    ).meta
    assert (over.title, over.kind, over.issuer, over.year) == ("甲报告", "policy", "乙局", 2020)


def test_metadata_inferred_without_manifest(tmp_path: Path) -> None:
    f = tmp_path / "copy.txt"
    f.write_bytes(REPORT_2023.read_bytes())
    meta = read_source(str(f), {}).meta
    assert meta.title == "东昌府区交通运输局2023年法治政府建设情况报告"
    assert (meta.kind, meta.year, meta.issuer) == ("report", 2023, "东昌府区交通运输局")
    assert read_source(str(f), {"title": "另一个标题2019年"}).meta.year == 2019


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("东昌府区交通运输局2023年法治政府建设情况报告", "report"),
        ("法治政府建设实施纲要（2021－2025年）", "policy"),
        ("关于加强行政执法协调监督工作体系建设的意见", "policy"),
        ("中华人民共和国行政诉讼法（2017年修正）", "law"),
        ("重大行政决策程序暂行条例", "law"),
        ("交通运输行政执法程序规定", "law"),
        ("会议纪要", "other"),
    ],
)
def test_kind_from_title(title: str, kind: str) -> None:
    assert infer_kind(title) == kind


def test_same_document_twice_is_read_once() -> None:
    docs = collect([str(BUNDLED_CORPUS), str(REPORT_2023)], {})
    titles = [d.meta.title for d in docs]
    assert len(titles) == len(set(titles)) == 2


# --------------------------------------------------------------------------- bad input: one clear error


def _error(paths: list[str], **overrides) -> str:
    with pytest.raises(ZhibiError) as exc:
        collect(paths, overrides)
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    msg = _error([str(f)])
    assert str(f) in msg and "空" in msg


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "scan.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4096))
    msg = _error([str(f)])
    assert str(f) in msg and "二进制" in msg


def test_undecodable_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(b"abc \xff\xfe\xfd\x80\x80 def \xff\x80\xff" * 50)
    msg = _error([str(f)])
    assert str(f) in msg and "UTF-8" in msg


def test_file_too_large(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, and the size is checked before reading
    msg = _error([str(f)])
    assert str(f) in msg and "50.0 MB" in msg


def test_unsupported_type(tmp_path: Path) -> None:
    f = tmp_path / "report.pdf"
    f.write_bytes(b"%PDF-1.4")
    assert ".docx" in _error([str(f)])


def test_missing_path() -> None:
    assert "/no/such/file.txt" in _error(["/no/such/file.txt"])


def test_folder_without_documents(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    msg = _error([str(tmp_path)])
    assert str(tmp_path) in msg and "没有可导入的文档" in msg


def test_manifest_lists_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nfile = "gone.txt"\ntitle = "x"\n', encoding="utf-8"
    )
    msg = _error([str(tmp_path)])
    assert "manifest.toml" in msg and "gone.txt" in msg and "不存在" in msg


def test_manifest_bad_toml(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text('[[document]]\nfile = "a.txt\n', encoding="utf-8")
    msg = _error([str(tmp_path / "a.txt")])
    assert "manifest.toml" in msg and "TOML" in msg


def test_manifest_bad_kind(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text('[[document]]\nfile = "a.txt"\nkind = "memo"\n', encoding="utf-8")
    assert "memo" in _error([str(tmp_path)])


def test_title_override_needs_one_file(tmp_path: Path) -> None:
    assert "--title" in _error([str(BUNDLED_CORPUS)], title="x")


def test_two_files_with_one_title(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("同名标题\n" + TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("同名标题\n" + TEXT + "多一行。\n", encoding="utf-8")
    assert "同名标题" in _error([str(tmp_path)])


def test_readme_in_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# 说明\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert [Path(p).name for p in expand([str(tmp_path)])] == ["a.txt"]
