"""What a line is about decides its part, not the shape of its words (placement.py; outline.toml [placement]).

Written in the words of bureaus the benches do not cover (档案馆, 烟草专卖局, 邮政管理局, 民宗局, 气象局, 供销社)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def keys_of(notes: str, outline, year: int = 2025) -> dict[str, str]:
    return {f.text: f.key for f in parse_notes(notes, outline, year=year).facts}


def key_of(line: str, outline, year: int = 2025) -> str:
    facts = parse_notes(line, outline, year=year).facts
    assert len(facts) == 1, [(f.text, f.key) for f in facts]
    return facts[0].key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # any audience the lesson names that is not the bureau's own people is taught the law: 普法
        ("对全县立档单位档案员开展《档案法》培训3期", "measures.publicity"),
        ("为卷烟零售户举办专卖法规讲座12场", "measures.publicity"),
        ("组织辖区快递员参加《快递暂行条例》培训4期，参训320人", "measures.publicity"),
        ("为宗教活动场所负责人宣讲《宗教事务条例》5场", "measures.publicity"),
        ("为乡镇村医举办法规讲座3场", "measures.publicity"),
        # the bureau's own people learning is 学法
        ("对新入职人员开展岗前法治培训1期", "measures.study"),
        ("组织全馆干部职工参加宪法专题讲座1场", "measures.study"),
    ],
)
def test_the_audience_decides_who_was_taught(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # an invited lawyer or expert gives a lesson: its topic (合同) is what was taught, not legal advice
        ("6月请律师事务所律师讲合同风险防控，寄递企业负责人到场64人", "measures.publicity"),
        ("3月请法律顾问给局机关干部讲民法典合同编，参训46人", "measures.study"),
        # the audience is who learnt, not what the work was: 持证执法人员 learning a regulation is 学法
        (
            "9月请省局政策法规处的老师给全局持证执法人员讲新修订的《烟草专卖许可证管理办法》，参训38人",
            "measures.study",
        ),
        # a lawyer's legal advice stays decisions work
        ("聘请律师事务所担任法律顾问，审查合同12份", "measures.decisions"),
    ],
)
def test_an_invited_speaker_gives_a_lesson(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    "line",
    [
        # review of the bureau's own case files and its staff's enforcement credentials are enforcement work
        "开展烟草专卖行政执法案卷评查，评查案卷46卷",
        "组织专卖执法人员参加执法资格考试，新取证7人",
        "全局持证执法人员26人",
    ],
)
def test_case_file_review_and_credentials_are_enforcement(outline, line):
    assert key_of(line, outline) == "measures.enforcement"


@pytest.mark.parametrize(
    "line",
    [
        # a lack stated as the state of things is a shortcoming, not the part its topic names
        "档案数字化管理没有地方性法规、规章依据，只能靠规范性文件",
        "公职律师至今未配备，馆里没有取得法律职业资格的人",
        "民宗局无专职法制审核人员",
    ],
)
def test_a_lack_stated_as_the_state_of_things_is_a_shortcoming(outline, line):
    assert key_of(line, outline) == "shortcomings"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # what was done about a lack is the deed, and a lack with a plan is the plan
        ("针对寄递安全执法依据缺乏的问题，制定了《邮政业安全执法检查办法》", "measures.rules"),
        ("二、下一年度工作打算\n专门执法机构尚未设立，争取编制部门支持", "plans"),
    ],
)
def test_a_lack_answered_or_planned_is_no_shortcoming(outline, line, key):
    assert key_of(line, outline, year=2024) == key


@pytest.mark.parametrize(
    "line",
    [
        # the bureau answering its overseer: oversight of the administration, even when it was a 执法检查
        "人大执法检查指出的4个问题已整改3个",
        "县政协视察反馈的2条意见均已落实",
        "巡察反馈烟草专卖执法问题12个，已整改销号10个",
    ],
)
def test_the_overseer_as_actor_is_oversight(outline, line):
    assert key_of(line, outline) == "measures.oversight"


def test_the_bureau_examining_others_stays_enforcement(outline):
    assert key_of("对全县寄递企业开展执法检查46家次，发现问题已整改", outline) == "measures.enforcement"
