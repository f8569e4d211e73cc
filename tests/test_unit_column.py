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
