"""Sentence-level faults of the offline composer on notes it has not seen: what a set-aside clause leaves, verbs
doubled or put before a subject, clauses of one deed split into sentences, the notes' headings pasted as leads.

Written in the words of other bureaus than the notes the rules were read from.
"""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline
from drafting.plan import split_scope


def _parse(notes: str, year: int = 2026):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


# -- the plan of a one-section draft ----------------------------------------------------------------------------


def test_a_plan_under_a_heading_of_work_done_stays_out_of_the_section() -> None:
    """ "计划明年完成", "预计明年上半年投用" under "普法阵地建设": the heading names the section, the cue word says the
    work is still to do; a section of measures never states it."""
    notes = (
        "县气象局普法工作情况\n"
        "一、普法阵地建设\n"
        "2026年，在全县14个乡镇设立气象法律宣传栏12个，剩余2个乡镇因村部搬迁暂未设立，计划明年完成。\n"
        "二、普法形式创新\n"
        "“气象法进校园”小程序正在开发，还没上线，预计明年上半年投用。\n"
        "开展《气象灾害防御条例》宣讲16场。\n"
        "三、执法\n"
        "查处违法施放气球案件3件。\n"
    )
    parsed = _parse(notes)
    mine, elsewhere = split_scope(
        load_outline(DEFAULT_OUTLINE), parsed.facts, "measures.publicity", parsed.set_aside
    )
    text = "".join(f.text for f in mine)
    assert "宣讲16场" in text
    assert "计划" not in text and "预计" not in text
    assert any("预计" in f.text for f in elsewhere)
