"""drafting.export: plain 公文 text in draft and publish mode, and the GB/T 9704 .docx."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from core.errors import ZhibiError
from core.types import Checks, Draft, Section, Source
from drafting import export

# A citation marker; a bracketed year before "5号" is a document number (区政发[2023]5号), not a marker.
MARKER = re.compile(r"[\[［]\s*\d+(?:\s*[,，、\-]\s*\d+)*\s*[\]］](?!\s*\d+\s*号)")
FIGURES = ["326件", "218.6万元", "98.6%", "3次", "12次", "47人", "2024年"]
PLACEHOLDER = "【待补充：行政复议案件纠错率】"
TITLE = "临江区交通运输局2024年法治政府建设情况报告"


def make_draft(scope: str = "report") -> Draft:
    sections = [
        Section(
            key="preamble",
            heading="",
            text=(
                "2024年，临江区交通运输局坚持以习近平法治思想为指导，认真贯彻落实"
                "《法治政府建设实施纲要（2021—2025年）》[1]，现将有关情况报告如下。"
            ),
            citations=[1],
            level=0,
        ),
        Section(key="measures", heading="一、2024年推进法治政府建设的主要举措和成效", text="", level=1),
        Section(
            key="measures.leadership",
            heading="（一）加强党对法治政府建设的领导",
            text=(
                "局党委全年召开专题会议3次，研究部署法治政府建设重点任务[1]。\n\n"
                "严格落实领导干部学法制度，组织集中学法12次 [1][2]，47人参加行政执法资格培训。"
            ),
            citations=[1, 2],
            level=2,
            run_in=True,
        ),
        Section(
            key="measures.enforcement",
            heading="（二）严格规范公正文明执法",
            text=(
                "全面推行行政执法“三项制度”，全年办理行政处罚案件326件，罚没款218.6万元［2］，"
                "案卷评查合格率98.6%［3］。\n\n"
                "依据区政发[2023]5号文件，对首次轻微违法行为依法不予处罚。"
            ),
            citations=[2, 3],
            level=2,
        ),
        Section(
            key="measures.review",
            heading="（三）依法化解行政争议：",
            text=f"行政复议和行政应诉工作有序开展，{PLACEHOLDER}。",
            level=2,
            run_in=True,
            placeholder=True,
        ),
        Section(
            key="problems",
            heading="二、存在的不足和原因",
            text="执法人员法治素养仍需提升，部分执法文书制作不够规范。",
            level=1,
        ),
    ]
    sources = [
        Source(1, "法治政府建设实施纲要（2021—2025年）", "policy", "三（九）", "全面推行行政执法公示制度"),
        Source(
            2,
            "中华人民共和国行政处罚法",
            "law",
            "第三十三条",
            "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。",
        ),
        Source(3, "东昌府区交通运输局2023年法治政府建设情况报告", "report", "一（三）", "服务好评率100%"),
        Source(
            4,
            "中华人民共和国行政许可法",
            "law",
            "第五条",
            "设定和实施行政许可，应当遵循公开、公平、公正、非歧视的原则。",
        ),
    ]
    checks = Checks(
        numbers_unsupported=["98.6%"],
        placeholders=["行政复议案件纠错率"],
        lines_dropped=["好的收到，辛苦"],
        repairs=["删去无依据数字"],
    )
    return Draft(
        unit="临江区交通运输局",
        year=2024,
        engine="offline",
        title=TITLE,
        sections=sections,
        sources=sources,
        checks=checks,
        scope=scope,
    )


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --------------------------------------------------------------------------- strip_citations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("严格规范公正文明执法[1]。", "严格规范公正文明执法。"),
        ("组织集中学法12次 [1][2]，47人参加培训。", "组织集中学法12次，47人参加培训。"),
        ("罚没款218.6万元［2］，合格率98.6%［3］。", "罚没款218.6万元，合格率98.6%。"),
        ("依据[1,2]和[3-5]办理。", "依据和办理。"),
        ("成效明显 [1] 。", "成效明显。"),
        ("依据区政发[2023]5号文件[2]。", "依据区政发[2023]5号文件。"),
        ("GB/T 9704 [1] standard", "GB/T 9704 standard"),
        (f"{PLACEHOLDER}[4]", PLACEHOLDER),
        ("没有引用的句子，保持原样。", "没有引用的句子，保持原样。"),
    ],
)
def test_strip_citations(text: str, expected: str) -> None:
    assert export.strip_citations(text) == expected


def test_cited_ids_expands_runs_and_ranges() -> None:
    assert export.cited_ids("甲[2]乙[1][2]丙［3］丁[5-7]戊[9,10]，区政发[2023]5号") == [
        2,
        1,
        3,
        5,
        6,
        7,
        9,
        10,
    ]


# --------------------------------------------------------------------------- plain text


def test_markdown_draft_mode_keeps_markers_and_lists_cited_sources() -> None:
    md = export.to_markdown(make_draft())
    assert "研究部署法治政府建设重点任务[1]。" in md
    assert "组织集中学法12次 [1][2]" in md
    assert "罚没款218.6万元［2］" in md
    body, sources = md.split("\n\n参考来源：\n")
    assert sources.splitlines() == [
        "[1] 《法治政府建设实施纲要（2021—2025年）》 三（九）：全面推行行政执法公示制度",
        "[2] 《中华人民共和国行政处罚法》 第三十三条：违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。",
        "[3] 《东昌府区交通运输局2023年法治政府建设情况报告》 一（三）：服务好评率100%",
    ]
    assert "行政许可法" not in md  # source 4 is offered but never cited
    assert body.startswith(TITLE + "\n\n")


def test_markdown_flags_a_cited_id_without_source() -> None:
    draft = make_draft()
    draft.sections[-1].text += "持续开展执法培训[8]。"
    md = export.to_markdown(draft)
    assert "[8] 【未找到对应来源，请核查】" in md.split("参考来源：")[1]


def test_markdown_publish_mode_strips_markers_but_keeps_figures_and_placeholders() -> None:
    draft = make_draft()
    md = export.to_markdown(draft, publish=True)
    assert not MARKER.search(md)
    assert "参考来源" not in md
    assert "《》" not in md and "  " not in md
    assert not re.search(r"\s[，。；：、）]", md)
    for figure in FIGURES:
        assert figure in md, figure
    assert PLACEHOLDER in md
    assert "区政发[2023]5号" in md  # a document number is not a citation
    assert "组织集中学法12次，47人参加行政执法资格培训。" in md
    # Publishing removes only the markers: every other character of the draft text survives.
    draft_md = export.to_markdown(draft).split("\n\n参考来源：")[0]
    assert export.strip_citations(draft_md).replace("  ", "") == md


def test_run_in_heading_shares_the_paragraph() -> None:
    paras = paragraphs(export.to_markdown(make_draft(), publish=True))
    assert (
        "（一）加强党对法治政府建设的领导。局党委全年召开专题会议3次，研究部署法治政府建设重点任务。" in paras
    )
    # The second paragraph of a run-in section stands alone, after the first.
    first = "（一）加强党对法治政府建设的领导。局党委全年召开专题会议3次，研究部署法治政府建设重点任务。"
    assert paras[paras.index(first) + 1].startswith("严格落实领导干部学法制度")
    # A heading already ending in punctuation gets no extra 。
    assert f"（三）依法化解行政争议：行政复议和行政应诉工作有序开展，{PLACEHOLDER}。" in paras
    # Not run-in: heading on its own paragraph, text after it.
    i = paras.index("（二）严格规范公正文明执法")
    assert paras[i + 1].startswith("全面推行行政执法“三项制度”")
    assert paras[paras.index("二、存在的不足和原因") + 1].startswith("执法人员法治素养仍需提升")


def test_sections_in_order_and_preamble_has_no_heading() -> None:
    paras = paragraphs(export.to_markdown(make_draft(), publish=True))
    assert paras[0] == TITLE
    assert paras[1].startswith("2024年，临江区交通运输局")
    order = [
        "一、2024年推进法治政府建设的主要举措和成效",
        "（一）加强党对法治政府建设的领导。",
        "（二）严格规范公正文明执法",
        "（三）依法化解行政争议：",
        "二、存在的不足和原因",
    ]
    positions = [next(i for i, p in enumerate(paras) if p.startswith(h)) for h in order]
    assert positions == sorted(positions)


def test_no_markdown_marks() -> None:
    for publish in (False, True):
        md = export.to_markdown(make_draft(), publish=publish)
        assert "**" not in md and "__" not in md and "`" not in md
        for line in md.splitlines():
            assert not re.match(r"\s*(#|[-*+>]\s|\d+\.\s)", line), line
        assert "\n\n\n" not in md


def test_section_scope_has_no_title() -> None:
    draft = make_draft(scope="measures.enforcement")
    draft.sections = [draft.section("measures.enforcement")]
    md = export.to_markdown(draft, publish=True)
    assert TITLE not in md
    assert md.startswith("（二）严格规范公正文明执法\n\n全面推行行政执法")


def test_placeholder_flag_without_marker_stays_visible() -> None:
    draft = make_draft()
    sec = draft.section("problems")
    sec.text, sec.placeholder = "", True
    for publish in (False, True):
        assert "【待补充：存在的不足和原因】" in export.to_markdown(draft, publish=publish)


def test_to_plain_matches_markdown() -> None:
    draft = make_draft()
    assert export.to_plain(draft) == export.to_markdown(draft)
    assert export.to_plain(draft, publish=True) == export.to_markdown(draft, publish=True)


# --------------------------------------------------------------------------- docx


def east_asia(run) -> str | None:
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def body_paragraphs(doc) -> list:
    """Paragraphs of the report itself (before the appendix page break)."""
    out = []
    for p in doc.paragraphs:
        if p._p.xpath(".//w:br[@w:type='page']"):
            break
        out.append(p)
    return out


def find(doc, start: str):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


@pytest.fixture
def draft_docx(tmp_path: Path):
    path = export.to_docx(make_draft(), tmp_path / "报告.docx")
    return path, docx.Document(str(path))


@pytest.fixture
def publish_docx(tmp_path: Path):
    path = export.to_docx(make_draft(), tmp_path / "报告-发布.docx", publish=True)
    return path, docx.Document(str(path))


def test_docx_page_setup(draft_docx) -> None:
    path, doc = draft_docx
    assert path.name == "报告.docx" and path.is_file()
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37,
        35,
        28,
        26,
    ]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None


def test_docx_title_font_and_size(draft_docx) -> None:
    _, doc = draft_docx
    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        assert east_asia(run) == "方正小标宋简体"
        assert run.font.size == Pt(22)


def test_docx_body_font_spacing_and_indent(draft_docx) -> None:
    _, doc = draft_docx
    par = find(doc, "全面推行行政执法")
    pf = par.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.line_spacing == Pt(28.95)
    assert pf.first_line_indent == Pt(32)
    for run in par.runs:
        assert east_asia(run) == "仿宋_GB2312"
        assert run.font.size == Pt(16)


def test_docx_heading_fonts_by_level(draft_docx) -> None:
    _, doc = draft_docx
    h1 = find(doc, "一、2024年推进法治政府建设")
    assert {east_asia(r) for r in h1.runs} == {"黑体"}
    assert h1.runs[0].font.size == Pt(16)
    assert h1.paragraph_format.first_line_indent == Pt(32)
    h2 = find(doc, "（二）严格规范公正文明执法")
    assert h2.text == "（二）严格规范公正文明执法"
    assert {east_asia(r) for r in h2.runs} == {"楷体_GB2312"}
    run_in = find(doc, "（一）加强党对法治政府建设的领导")
    assert run_in.runs[0].text == "（一）加强党对法治政府建设的领导。"
    assert east_asia(run_in.runs[0]) == "楷体_GB2312"
    assert run_in.runs[1].text.startswith("局党委全年召开专题会议3次")
    assert east_asia(run_in.runs[1]) == "仿宋_GB2312"


def test_docx_fonts_declare_fallbacks(draft_docx) -> None:
    path, _ = draft_docx
    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', fonts)
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)
    assert re.search(r'w:name="楷体_GB2312"><w:altName w:val="楷体"/>', fonts)


def test_docx_page_numbers_on_the_outer_side(draft_docx) -> None:
    """GB/T 9704: odd pages right, even pages left, one character in; both a PAGE field between 一字线."""
    path, doc = draft_docx
    settings = zipfile.ZipFile(path).read("word/settings.xml").decode("utf-8")
    assert "w:evenAndOddHeaders" in settings
    sec = doc.sections[0]
    for footer, align in (
        (sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        par = footer.paragraphs[0]
        assert par.alignment == align
        inset = (
            par.paragraph_format.right_indent
            if align == WD_ALIGN_PARAGRAPH.RIGHT
            else par.paragraph_format.left_indent
        )
        assert inset == Pt(14)
        instr = "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        kinds = [f.get(qn("w:fldCharType")) for f in footer._element.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert "".join(t.text for t in footer._element.iter(qn("w:t"))) == "— 1 —"


def test_docx_signature_unit_and_date(tmp_path: Path) -> None:
    """落款: the unit, then the date two characters further right, both right-aligned, after the body."""
    import datetime as dt

    path = export.to_docx(make_draft(), tmp_path / "r.docx", publish=True, signed=dt.date(2025, 1, 6))
    paras = body_paragraphs(docx.Document(str(path)))
    unit, when = paras[-2], paras[-1]
    assert (unit.text, when.text) == ("临江区交通运输局", "2025年1月6日")
    assert paras[-3].text == ""  # one blank line between the body and the 落款
    assert unit.alignment == when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # unit 8 characters wide, date 6 (six digits at half a character, 年月日): the date starts two characters
    # right of the unit's first character
    unit_right = unit.paragraph_format.right_indent.pt / 16
    date_right = when.paragraph_format.right_indent.pt / 16
    assert unit_right == 2
    assert (8 + unit_right) - (6 + date_right) == 2
    # a date longer than the unit: the date keeps two characters, the unit moves left
    short = make_draft()
    short.unit = "某局"
    paras = body_paragraphs(
        docx.Document(str(export.to_docx(short, tmp_path / "k.docx", signed=dt.date(2025, 12, 16))))
    )
    unit, when = paras[-2], paras[-1]
    assert when.paragraph_format.right_indent.pt / 16 == 2
    assert (2 + unit.paragraph_format.right_indent.pt / 16) - (7 + 2) == 2
    section_doc = make_draft()
    section_doc.scope = "measures"
    paras = body_paragraphs(docx.Document(str(export.to_docx(section_doc, tmp_path / "s.docx"))))
    assert not any(p.text.startswith("2025年") or p.text == "临江区交通运输局" for p in paras)


def test_docx_table_header_does_not_wrap(draft_docx) -> None:
    _, doc = draft_docx
    header = doc.tables[0].rows[0]
    for cell in header.cells:
        assert cell._tc.tcPr.find(qn("w:noWrap")) is not None
    # 序号: two 12 pt characters plus the default cell margins (2 × 5.4 pt) fit in the column
    assert header.cells[0].width.pt >= 2 * 12 + 2 * 5.4 + 8


def test_docx_placeholder_is_kept_and_red(publish_docx) -> None:
    _, doc = publish_docx
    runs = [r for p in doc.paragraphs for r in p.runs if "待补充" in r.text]
    assert [r.text for r in runs] == [PLACEHOLDER]
    assert str(runs[0].font.color.rgb) == "FF0000"
    par = find(doc, "（三）依法化解行政争议：")
    assert par.text == f"（三）依法化解行政争议：行政复议和行政应诉工作有序开展，{PLACEHOLDER}。"


@pytest.mark.parametrize("publish", [False, True])
def test_docx_body_matches_the_text_export(tmp_path: Path, publish: bool) -> None:
    """Publish mode: no [n], every figure. Draft mode: the [n] markers stay in the body, as in the .md."""
    import datetime as dt

    day = dt.date(2025, 1, 6)
    doc = docx.Document(str(export.to_docx(make_draft(), tmp_path / "r.docx", publish=publish, signed=day)))
    paras = [p.text.replace("\n", "") for p in body_paragraphs(doc)]  # the title breaks at a phrase
    assert paras[-3:] == ["", "临江区交通运输局", "2025年1月6日"]
    body = "\n".join(paras[:-3])
    assert bool(MARKER.search(body)) is not publish
    for figure in FIGURES:
        assert figure in body, figure
    assert "区政发[2023]5号" in body
    text = export.to_markdown(make_draft(), publish=publish).split("\n\n参考来源：")[0]
    assert body == text.replace("\n\n", "\n")
    if not publish:
        assert "研究部署法治政府建设重点任务[1]。" in body


def test_docx_draft_mode_appendix(draft_docx) -> None:
    _, doc = draft_docx
    texts = [p.text for p in doc.paragraphs]
    assert "附：引用来源" in texts and "核查结果" in texts
    breaks = [i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//w:br[@w:type='page']")]
    assert breaks and breaks[0] < texts.index("附：引用来源")
    sources, checks = doc.tables
    rows = [[c.text for c in r.cells] for r in sources.rows]
    assert rows == [
        ["序号", "文件", "位置", "原文"],
        ["1", "《法治政府建设实施纲要（2021—2025年）》", "三（九）", "全面推行行政执法公示制度"],
        [
            "2",
            "《中华人民共和国行政处罚法》",
            "第三十三条",
            "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。",
        ],
        ["3", "《东昌府区交通运输局2023年法治政府建设情况报告》", "一（三）", "服务好评率100%"],
    ]
    check_rows = [[c.text for c in r.cells] for r in checks.rows]
    assert check_rows == [
        ["项目", "内容"],
        ["数字在材料中找不到（1）", "98.6%"],
        ["待补充的占位（1）", "行政复议案件纠错率"],
        ["已自动修正（1）", "删去无依据数字"],
    ]  # dropped chatter is information; repairs are listed because the status (amber) says so


def test_docx_publish_mode_has_no_appendix(publish_docx) -> None:
    _, doc = publish_docx
    assert doc.tables == []
    all_text = "\n".join(p.text for p in doc.paragraphs)
    assert "引用来源" not in all_text and "核查结果" not in all_text
    assert not doc.element.body.xpath(".//w:br[@w:type='page']")
    assert not MARKER.search(all_text)


def test_docx_draft_mode_without_citations_or_problems(tmp_path: Path) -> None:
    draft = make_draft()
    for sec in draft.sections:
        sec.text = export.strip_citations(sec.text)
    draft.checks = Checks()
    doc = docx.Document(str(export.to_docx(draft, tmp_path / "r.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert doc.tables == []
    assert "正文未引用来源。" in texts and any(t.startswith("核查结论：【绿】核查通过") for t in texts)


# --------------------------------------------------------------------------- atomic write


def test_docx_write_is_atomic_when_rendering_fails(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "报告.docx"
    path.write_bytes(b"previous version")

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(export, "_appendix", boom)
    with pytest.raises(RuntimeError):
        export.to_docx(make_draft(), path)
    assert path.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]


def test_docx_write_is_atomic_when_saving_fails(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "报告.docx"
    path.write_bytes(b"previous version")

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(ZhibiError, match="无法写入"):
        export.to_docx(make_draft(), path)
    assert path.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]


def test_docx_replaces_existing_file_and_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "out" / "2024" / "报告.docx"
    export.to_docx(make_draft(), path, publish=True)
    first = docx.Document(str(path))
    assert first.tables == []
    export.to_docx(make_draft(), path)  # draft mode overwrites
    assert len(docx.Document(str(path)).tables) == 2
    assert sorted(p.name for p in path.parent.iterdir()) == ["报告.docx"]


def test_docx_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ZhibiError):
        export.to_docx(make_draft(), tmp_path)


def test_long_title_breaks_at_a_phrase():
    from drafting.export import title_lines

    assert title_lines("东昌府区交通运输局2023年法治政府建设情况报告") == [
        "东昌府区交通运输局2023年",
        "法治政府建设情况报告",
    ]
    assert title_lines("某局2023年法治政府建设情况报告") == ["某局2023年法治政府建设情况报告"]


# --------------------------------------------------------------------------- sources follow the text


def test_renumber_keeps_cited_sources_once_per_article_in_reading_order() -> None:
    from core.types import SentenceEvidence
    from drafting.citations import renumber

    law = "优化营商环境条例"
    draft = Draft(
        unit="甲局",
        year=2024,
        engine="offline",
        title="t",
        sections=[
            Section("a", "（一）甲", "先引第三十七条[8]，再引纲要[2]。", citations=[2, 8], level=2),
            Section(
                "b",
                "（二）乙",
                "又引第三十七条[1][8]，未知[5]。",
                citations=[1, 5, 8],
                level=2,
                evidence=[SentenceEvidence("又引第三十七条", sources=[1, 8])],
            ),
        ],
        sources=[
            Source(1, law, "law", "第三十七条", "第一段原文"),
            Source(2, "纲要", "policy", "三（九）", "纲要原文"),
            Source(3, "无人引用", "law", "第一条", "没有句子引用它"),
            Source(8, law, "law", "第三十七条", "同一条的另一段"),
        ],
        notes="笔记",
    )
    out = renumber(draft)
    assert [(s.id, s.title, s.locator) for s in out.sources] == [
        (1, law, "第三十七条"),
        (2, "纲要", "三（九）"),
    ]
    assert out.sections[0].text == "先引第三十七条[1]，再引纲要[2]。"
    assert out.sections[1].text == "又引第三十七条[1]，未知[5]。"  # [1][8] are one article: one marker
    assert out.sections[0].citations == [1, 2] and out.sections[1].citations == [1]
    assert out.sections[1].evidence[0].sources == [1]
    assert out.notes == "笔记" and draft.sections[0].text.endswith("[2]。")  # the input is untouched
    clash = renumber(
        Draft("甲局", 2024, "offline", "t", sections=[Section("a", "", "甲[7]乙[1]", level=1)],
              sources=[Source(7, law, "law", "第一条", "x")])
    )  # fmt: skip
    assert clash.sections[0].text == "甲[1]乙[1001]"  # an unknown [1] cannot pass for the new [1]
