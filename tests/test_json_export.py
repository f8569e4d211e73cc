"""A reporting system's JSON reply pasted whole (copied from the browser's developer tools): each item becomes one
line of notes, its last-year field stays another year's, an unverified value is doubted, an unfinished status is
not done, and the system's change log corrects the field it names."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline

NOTES = "\n".join(
    [
        "接口数据复制过来了，你看着整理。",
        '{"code":0,"data":{"unit":"某县市场监督管理局","items":[',
        '{"id":1,"title":"食品抽检","content":"全年完成食品安全抽检1260批次","value":1260,"prev_year":"1108批次","verified":true},',
        '{"id":2,"title":"案件查办","content":"查处食品违法案件57件，罚没款63.2万元","value":57,"prev_year":"49件","verified":true,',
        ' "history":[{"field":"content","old":"罚没款63.2万元","new":"罚没款36.2万元"}]},',
        '{"id":3,"title":"投诉处理","content":"处理消费投诉约2400件","value":2400,"prev_year":null,"verified":false},',
        '{"id":4,"title":"智慧监管平台","content":"平台二期建设资金未到位","value":0,"status":"UNFINISHED"}',
        "]}}",
    ]
)


def test_a_json_reply_becomes_lines_with_roles() -> None:
    parsed = parse_notes(NOTES, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "1260批次" in text and "57件" in text and "36.2万元" in text
    assert "1108批次" not in text and "49件" not in text and "63.2万元" not in text
    assert "2400件" not in text and "智慧监管平台" not in text
    earlier = {fig for c in parsed.set_aside if c.role == "earlier" for fig in c.figures}
    assert {"1108批次", "49件"} <= earlier
    assert "prev_year" not in text and "verified" not in text


def test_a_web_table_copied_cell_by_cell_keeps_its_columns() -> None:
    notes = "\n".join(
        ["序号", "工作事项", "落实情况", "上年同期", "备注"]
        + ["1", "执法检查", "检查药品经营企业186家次", "152家次", "&nbsp;"]
        + ["2", "普法宣传", "开展药品安全宣传21场", "", "宣传周另算"]
        + ["3", "案件查办", "查处药品违法案件14件", "11件", ""]
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "186家次" in text and "21场" in text and "14件" in text
    assert "152家次" not in text and "11件" not in text and "上年同期" not in text
    earlier = {fig for c in parsed.set_aside if c.role == "earlier" for fig in c.figures}
    assert {"152家次", "11件"} <= earlier
