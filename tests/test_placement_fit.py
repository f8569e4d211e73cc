"""The deed decides the part, not the place, the occasion or the means (placement.py; outline.toml [placement]).

Written in the words of bureaus the benches do not cover (司法局, 教育局, 商务局, 统计局, 民宗局)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def placed(notes: str, outline, year: int = 2025) -> dict[int, str]:
    return {f.line_no: f.key for f in parse_notes(notes, outline, year=year).facts}


@pytest.mark.parametrize(
    "line",
    [
        # the overseer came to examine the bureau, and the bureau answered: 人大/政协 oversight, not enforcement
        "市人大教科文卫委来开展《义务教育法》执法检查1次，提出意见6条，已逐条整改",
        "县政协组织委员来视察社区矫正工作，提出建议3条，均书面答复",
    ],
)
def test_an_overseer_examining_the_bureau_is_oversight(outline, line):
    assert placed(line, outline) == {1: "measures.oversight"}


def test_a_partner_in_an_inspection_is_no_overseer(outline):
    line = "会同市局开展联合执法检查，责令整改商户9家"
    assert placed(line, outline) == {1: "measures.enforcement"}


def test_answering_public_opinion_online_is_oversight_not_digital(outline):
    # 网上 says where the opinion was voiced; the deed is answering it (舆论监督)
    assert placed("网上涉校舆情回应处置27起，均在当日回应", outline) == {1: "measures.oversight"}


def test_a_meeting_attended_is_the_occasion_not_the_work(outline):
    # the adviser sat in on the party group's meetings: legal advice on decisions, not the party group's leading
    assert placed("法律顾问列席党委会6次", outline) == {1: "measures.decisions"}


def test_leaders_taken_to_a_court_hearing_study_the_law(outline):
    # 组织/领导干部: the leaders are whom the hearing was organised for, not 组织领导 of the rule of law
    assert placed("组织领导干部旁听行政诉讼案件庭审2次，参加40人", outline) == {1: "measures.study"}


def test_a_bulleted_item_is_not_the_tail_of_the_item_before(outline):
    notes = (
        "- 统计执法检查企业21家，立案4件\n- 县政协组织委员来视察统计数据质量工作，提出建议2条，逐条书面答复\n"
    )
    keys = placed(notes, outline)
    assert keys[1] == "measures.enforcement"
    assert keys[2] == "measures.oversight"


def test_worn_out_equipment_is_a_shortcoming(outline):
    assert placed("执法记录仪就5台，还老掉牙了", outline) == {1: "shortcomings"}
