"""A statistical form pasted as a Markdown table with a 序号 and a 计量单位 column: its header is a header (not a
page's menu), the unit column gives each bare number its unit, and the 上年 column stays another year's."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


def test_a_form_with_a_unit_column_writes_this_year_with_units_and_keeps_last_year_apart() -> None:
    notes = "\n".join(
        [
            "| 序号 | 指标 | 计量单位 | 本年 | 上年 | 增减 |",
            "|---|---|---|---|---|---|",
            "| 1 | 办理行政许可 | 件 | 418 | 377 | +41 |",
            "| 2 | 群众满意率 | % | 97.2 | 95.8 | +1.4 |",
        ]
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "418件" in text and "97.2%" in text
    assert "377" not in text and "95.8" not in text and "计量单位" not in text
    earlier = {fig for c in parsed.set_aside if c.role == "earlier" for fig in c.figures}
    assert "377件" in earlier


def test_an_attachment_label_ends_the_instruction_heading_above_it() -> None:
    notes = "\n".join(
        [
            "主要领导批示：",
            "同意，按此起草。",
            "附件：",
            "情况说明",
            "一、执法方面。查处无证经营案件12件，罚款8.4万元。",
            "二、普法方面。开展普法进社区活动9场。",
        ]
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    placed = {f.line_no: f.key for f in parsed.facts}
    assert placed[5] == "measures.enforcement" and placed[6] == "measures.publicity", placed


def test_a_part_s_name_alone_on_a_line_heads_the_lines_under_it() -> None:
    notes = "\n".join(
        [
            "党组会研究法治 3次",
            "执法案件 立案27件",
            "问题",
            "执法人员5人 持证3人",
            "明年",
            "推动执法人员全部持证",
        ]
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    placed = {f.line_no: f.key for f in parsed.facts}
    assert placed[4] == "shortcomings" and placed[6] == "plans", placed


def test_a_statement_followed_by_a_question_about_it_keeps_the_statement() -> None:
    notes = "二、普法\n另外，在车站建了一个法治宣传角，这个算普法还是算执法？\n"
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "法治宣传角" in text and "还是" not in text


def test_a_grid_of_months_writes_the_year_total_and_keeps_last_year_apart() -> None:
    notes = "\n".join(
        [
            "指标\t1月\t2月\t3月\t全年\t2025年\t备注",
            "执法检查（家次）\t12\t\t9\t47家次\t39家次\t",
            "普法讲座（场）\t2\t1\t\t8场\t6场\t进社区",
        ]
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "47家次" in text and "8场" in text
    assert "39家次" not in text and "6场" not in text and "12家次" not in text
    earlier = {fig for c in parsed.set_aside if c.role == "earlier" for fig in c.figures}
    assert {"39家次", "6场"} <= earlier
