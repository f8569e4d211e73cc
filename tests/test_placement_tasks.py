"""A task board's rows: the task's name and the row's deed decide, a tag only names a topic (placement.py _decide).

Written in the words of bureaus the benches do not cover (医保局, 港航中心, 供销社)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def key_with(figure: str, notes: str, outline) -> str:
    keys = {f.key for f in parse_notes(notes, outline, year=2025).facts if figure in f.text}
    assert len(keys) == 1, (figure, [(f.text, f.key) for f in parse_notes(notes, outline, year=2025).facts])
    return keys.pop()


def test_a_task_that_is_the_heads_own_is_leadership_whatever_field_it_touches(outline):
    notes = (
        "任务名称\t状态\t进展说明\n"
        "局长“陪办”窗口体验\t已完成\t以参保群众身份办理异地就医备案、门诊慢特病认定等事项4次，现场交办问题9个\n"
        "窗口事项精简\t已完成\t取消证明材料17项\n"
    )
    assert key_with("4次", notes, outline) == "leadership"
    assert key_with("17项", notes, outline) == "measures.functions"


def test_a_meeting_named_after_the_head_is_the_body_that_decided(outline):
    # "局长办公会" names a meeting, not the head acting: what it passed keeps its own part
    rules = "起草的《县医保定点医药机构协议管理实施办法》经合法性审核、征求意见和局长办公会审议后印发，共27条"
    assert key_with("27条", rules, outline) == "measures.rules"
    assert key_with("7件", "港航中心局长办公会集体审议涉法事项7件", outline) == "measures.decisions"
    # the head acting at it is still the head's act
    assert key_with("4次", "局长主持召开局长办公会研究法治建设4次", outline) == "leadership"


def test_a_shortfall_named_as_the_cause_of_what_was_settled_is_no_shortcoming(outline):
    line = "对因政策解读不到位引发的5起邻里纠纷，组织三方调解，均已化解"
    assert key_with("5起", line, outline) == "measures.disputes"
    # the bureau's own shortfall is still one
    assert key_with("5起", "政策解读不到位，5起纠纷未能化解", outline) == "shortcomings"
