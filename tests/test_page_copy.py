"""A copy of a printed document (a PDF, a scan): page numbers and running headers are no text, a sentence a line
or a page break cut reads as one, and a covering note above it doubts or corrects figures it states further down."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.reading import page_furniture, read_notes
from drafting.outline import load_outline

# An archives bureau's summary copied from its PDF: lines broken at the page's edge, a figure cut by a page break.
PDF = """某县档案馆2025年工作总结
一、主要工作
（一）档案接收。全年接收进馆档案3200卷，其中重点建设项目档案450卷，完成馆藏
档案数字化扫描18万页，数字化率达到76%，馆藏档案全部实现异地异质备份，开展
档案安全检查4次。
                                   —1—

某县档案馆2025年工作总结和2026年工作计划
（二）档案执法和开放。对全县26家机关单位开展档案行政执法检查，发现问题并督
促整改的单位共9家；全年接待查档利用群众860人次，经鉴定向社会开放档案
                                   —2—

某县档案馆2025年工作总结和2026年工作计划
1500余件。
二、存在问题
一是专业人员不足。二是库房面积紧张。
                                   —3—"""


def _outline():  # noqa: ANN202
    return load_outline(DEFAULT_OUTLINE)


def test_page_numbers_and_running_headers_are_no_text() -> None:
    read = read_notes(PDF, _outline(), year=2025)
    text = "\n".join(ln.text for ln in read.facts)
    assert "—1—" not in text and "工作计划" not in text
    furniture = [ln for ln in read.lines if ln.why == "页码、页眉或页脚"]
    assert {ln.raw for ln in furniture} >= {"—1—", "—2—", "—3—", "某县档案馆2025年工作总结和2026年工作计划"}


def test_a_figure_cut_by_a_page_break_is_one_figure() -> None:
    read = read_notes(PDF, _outline(), year=2025)
    opened = next(ln for ln in read.facts if "开放档案" in ln.text)
    assert "开放档案1500余件" in opened.text
    assert "1500余件" in opened.figures


def test_lines_broken_at_the_pages_edge_read_as_one_sentence() -> None:
    read = read_notes(PDF, _outline(), year=2025)
    received = next(ln for ln in read.facts if "3200卷" in ln.text)
    assert "完成馆藏档案数字化扫描18万页" in received.text
    assert "开展档案安全检查4次" in received.text


def test_notes_without_page_numbers_keep_their_lines() -> None:
    typed = ["侨办工作", "归侨侨眷法律服务6次", "调解涉侨纠纷4件"]
    assert page_furniture(typed) == (typed, [1, 2, 3], [])


def test_a_covering_note_doubts_and_corrects_figures_stated_below() -> None:
    notes = "\n".join(
        [
            "材料是从总结里摘的，下文“办理行政复议案件14件”是笔误，应为12件；法律援助58件是中心自己统计的，还没核清楚。",
            "一、主要工作",
            "全年办理行政复议案件14件，纠错2件；办理法律援助58件，开展普法活动20场。",
        ]
    )
    parsed = parse_notes(notes, _outline(), year=2025)
    text = "\n".join(f.text for f in parsed.facts)
    assert "行政复议案件12件" in text and "14件" not in text
    assert "58件" not in text and "20场" in text
    assert any(c.pending and "58件" in c.text and c.line_no == 3 for c in parsed.set_aside)
