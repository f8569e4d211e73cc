"""Approximate figures: read as approximate, written in report register with one marker by the offline composer,
and an approximate figure stated as exact caught by a check of its own (offline draft or LLM reply alike).

Also the plan composer's verbs: a plan that has its verb keeps it once and in its place.
"""

from __future__ import annotations

import json

import jieba
import pytest

from core.types import Fact, Section, problem_kind
from drafting.checks.approximations import APPROXIMATE_AS_EXACT, approximate_as_exact
from drafting.checks.verify import Evidence, verify_section
from drafting.engines.offline import parts
from drafting.engines.offline.compose import officialise
from drafting.text.numbers import contains_figure, find_figures

try:
    from tests.fake_openai import fake_llm, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import fake_llm, llm_workspace  # noqa: F401


def _fact(text: str) -> Fact:
    return Fact(text=text, raw=text, key="measures.enforcement")


# -- reading ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "figure", "approximate"),
    [
        ("全年开展医保基金专项检查大概60次", "60次", True),
        ("水政监察培训差不多120人次左右", "120人次", True),
        ("大约有35家定点药店接受飞行检查", "35家", True),
        ("受理统计违法举报十来件", "十来件", True),
        ("走访慰问退役军人百余人次", "百余人次", True),
        ("气象行政许可网上办理占三成", "三成", True),
        ("全年查处水事违法案件40余起", "40", True),
        ("将近200人参加气象法规知识测试", "200人", True),
        # exact: 约 and 近 inside a word, and 近N年 is the last N years
        ("与30家定点医疗机构签约", "30家", False),
        ("节约水资源费12万元", "12万元", False),
        ("近3年共查处统计违法案件46起", "3年", False),
        ("全年开展医保基金专项检查60次", "60次", False),
    ],
)
def test_a_figure_knows_it_is_approximate(line: str, figure: str, approximate: bool) -> None:
    found = {f.text: f.approximate for f in find_figures(line, year=2026)}
    assert found[figure] is approximate


# -- the offline composer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "written", "gone"),
    [
        ("全年开展医保基金专项检查大概60次", "约60次", ("大概",)),
        ("组织水政监察人员培训差不多120人次左右", "120人次左右", ("差不多", "约")),
        ("约80人左右参加统计法知识竞赛", "80人左右", ("约",)),
        ("大约有35家定点药店接受飞行检查", "约有35家", ("大约",)),
        ("受理统计违法举报十来件", "十余件", ("十来件",)),
        ("走访退役军人二十来户", "二十余户", ("来户",)),
        ("全年查处水事违法案件40余起", "40余起", ("约",)),
        ("气象行政许可网上办理占两成", "约占两成", ()),
        ("兼职法制审核员三十出头", "三十余", ("出头",)),
        ("将近200人参加气象法规知识测试", "近200人", ("将近",)),
    ],
)
def test_the_composer_writes_an_approximation_with_one_marker(line: str, written: str, gone: tuple) -> None:
    text = officialise(line, unit="某县医疗保障局", year=2026)
    assert written in text, text
    for word in gone:
        assert word not in text, text


@pytest.mark.parametrize(
    "line",
    [
        "与30家定点医疗机构签约",
        "节约水资源费12万元",
        "气象灾害预警信息七成以上经短信发布",
        "超过两成案件适用简易程序",
    ],
)
def test_an_exact_or_bounded_figure_is_left_as_it_is(line: str) -> None:
    assert officialise(line, unit="某县水利局", year=2026) == line


# -- the check --------------------------------------------------------------------------------------------------

NOTES = [
    _fact("全年开展医保基金专项检查大概60次，约谈定点医药机构差不多45家左右"),
    _fact("受理医保违规举报十来件，追回医保基金40余万元"),
]


def test_an_approximate_figure_stated_as_exact_is_named() -> None:
    text = "全年开展医保基金专项检查60次，约谈定点医药机构45家，受理举报10件，追回医保基金40万元[2]。"
    assert approximate_as_exact(text, NOTES, year=2026) == ["60次", "45家", "10件", "40万元"]


def test_an_approximation_kept_is_no_problem() -> None:
    text = "全年开展医保基金专项检查约60次，约谈定点医药机构45家左右，受理举报十余件，追回医保基金40余万元。"
    assert approximate_as_exact(text, NOTES, year=2026) == []


def test_a_value_the_notes_also_give_exactly_is_supported() -> None:
    notes = [*NOTES, _fact("其中联合卫健部门检查60次")]
    assert approximate_as_exact("全年开展医保基金专项检查60次。", notes, year=2026) == []


def test_the_problem_is_red_in_the_section_checks() -> None:
    facts = [_fact("全年水政监察巡查大概300次，查处水事违法案件十来件")]
    evidence = Evidence(notes_text=facts[0].text, facts=facts, year=2026)
    section = Section(
        "measures.enforcement", "（二）严格规范公正文明执法", "全年水政监察巡查300次，查处水事违法案件10件。"
    )
    checks = verify_section(section, {}, evidence, lambda title: "")
    assert checks.listed(APPROXIMATE_AS_EXACT) == ["300次", "10件"]
    assert problem_kind(APPROXIMATE_AS_EXACT).severity == "red"
    assert checks.status().level == "red"
    # Named once: not again as a figure the notes lack.
    assert "10件" not in checks.numbers_unsupported


STATISTICS_NOTES = """全年开展统计执法检查大概25次，涉及调查对象约80家左右。
受理统计违法举报十来件。
"""


def test_an_offline_draft_writes_approximations_and_passes_the_check(bundled_workspace) -> None:
    d = bundled_workspace.draft(
        STATISTICS_NOTES, unit="某县统计局", year=2026, section="measures.enforcement", engine="offline"
    )
    text = d.section("measures.enforcement").text
    for written in ("约25次", "80家左右", "十余件"):
        assert written in text, text
    for spoken in ("大概", "十来件", "约80家"):
        assert spoken not in text, text
    assert not d.checks.listed(APPROXIMATE_AS_EXACT)


# -- the LLM path -----------------------------------------------------------------------------------------------


def test_an_llm_reply_that_drops_the_marker_is_red(bundled_workspace, fake_llm) -> None:
    dropped = "全年开展统计执法检查25次，涉及调查对象80家；受理统计违法举报十余件。"
    fake_llm.script([("keep_placement",), ("text", dropped), ("text", dropped)])
    d = llm_workspace(bundled_workspace.settings.home, fake_llm).draft(
        STATISTICS_NOTES, unit="某县统计局", year=2026, section="measures.enforcement", engine="llm"
    )
    sec = d.section("measures.enforcement")
    assert d.engine == "llm" and contains_figure(sec.text, "25次")
    assert d.checks.listed(APPROXIMATE_AS_EXACT) == ["25次", "80家"]
    assert d.checks.status().level == "red"
    # The prompt told the model to keep an approximation's marker.
    system = json.dumps(fake_llm.section_requests()[0]["messages"][0], ensure_ascii=False)
    assert "约数标记" in system and "不得删去标记写成确数" in system


def test_an_llm_reply_that_drops_the_marker_is_asked_again_and_the_mended_reply_kept(
    bundled_workspace, fake_llm
) -> None:
    dropped = "全年开展统计执法检查25次，涉及调查对象80家；受理统计违法举报十余件。"
    mended = "全年开展统计执法检查约25次，涉及调查对象80家左右；受理统计违法举报十余件。"
    fake_llm.script([("keep_placement",), ("text", dropped), ("text", mended)])
    d = llm_workspace(bundled_workspace.settings.home, fake_llm).draft(
        STATISTICS_NOTES, unit="某县统计局", year=2026, section="measures.enforcement", engine="llm"
    )
    assert d.section("measures.enforcement").text == mended
    assert not d.checks.listed(APPROXIMATE_AS_EXACT)
    reask = fake_llm.section_requests()[1]["messages"][-1]["content"]
    assert "25次" in reask and "约数" in reask


def test_an_llm_reply_that_keeps_the_marker_is_clean(bundled_workspace, fake_llm) -> None:
    kept = "全年开展统计执法检查约25次，涉及调查对象80家左右；受理统计违法举报十余件。"
    fake_llm.script([("keep_placement",), ("text", kept)])
    d = llm_workspace(bundled_workspace.settings.home, fake_llm).draft(
        STATISTICS_NOTES, unit="某县统计局", year=2026, section="measures.enforcement", engine="llm"
    )
    assert d.section("measures.enforcement").text == kept
    assert not d.checks.listed(APPROXIMATE_AS_EXACT)
    assert d.checks.problems() == 0, d.checks


# -- plan verbs -------------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    """jieba's global dictionary as a process has it before anything used it: nothing loaded."""
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())


@pytest.mark.parametrize(
    ("plan", "written"),
    [
        ("推进医保支付方式改革", "推进医保支付方式改革"),
        ("推进社区医保服务站建设", "推进社区医保服务站建设"),
        ("推进社区气象信息员队伍建设", "推进社区气象信息员队伍建设"),
        ("推动水利工程标准化管理", "推动水利工程标准化管理"),
        ("推进河长制落实", "推进河长制落实"),
        ("全面推行田长制落实", "全面推行田长制落实"),
        ("推行统计执法责任制落实", "推行统计执法责任制落实"),
        ("加快推进气象灾害防御条例落实", "加快推进气象灾害防御条例落实"),
        # a task put first is still turned round
        ("河长制落实", "落实河长制"),
        ("首问负责制全面推开", "全面推行首问负责制"),
    ],
)
def test_a_plan_keeps_its_verb_once_and_in_place(fresh_jieba: None, plan: str, written: str) -> None:
    assert parts.write_plans([plan]).rstrip("。") in (written, "进一步" + written)
