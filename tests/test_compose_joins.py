"""Sentence-level faults of the offline composer on notes it has not seen: what a set-aside clause leaves, verbs
doubled or put before a subject, clauses of one deed split into sentences, the notes' headings pasted as leads.

Written in the words of other bureaus than the notes the rules were read from.
"""

from __future__ import annotations

import re

import pytest

from core.config import DEFAULT_OUTLINE
from core.types import Fact
from drafting.engines.base import SectionContext
from drafting.engines.offline.compose import OfflineEngine, clause_of, sentences_of
from drafting.engines.offline.phrasing import first_item, label_lead, phrase, separate_counts
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


def test_a_deed_glued_to_a_plan_stays_in_the_section() -> None:
    """ "计划明年完成。县气象台建成法治文化长廊1处": the reader glued a deed to the plan before it; under a heading of
    the section the deed is written, the plan is not."""
    notes = (
        "县气象局普法工作情况\n"
        "一、普法阵地建设\n"
        "2026年，在全县14个乡镇设立气象法律宣传栏12个，剩余2个乡镇因村部搬迁暂未设立，计划明年完成。"
        "县气象台建成气象法治文化长廊1处。\n"
        "二、普法形式创新\n"
        "开展《气象灾害防御条例》宣讲16场。\n"
    )
    parsed = _parse(notes)
    mine, _ = split_scope(load_outline(DEFAULT_OUTLINE), parsed.facts, "measures.publicity", parsed.set_aside)
    text = "".join(f.text for f in mine)
    assert "长廊1处" in text and "宣讲16场" in text
    assert "计划" not in text
    deed = next(f for f in mine if "长廊" in f.text)
    assert deed.figures == ["1处"]


# -- verbs: none before a subject, none before a verb ------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # A body of the state before its verb is the subject: nothing is "开展"-ed or "落实"-ed before it.
        "2026年以来，县统计局坚持“谁执法谁普法、谁服务谁普法”，把统计法宣传融入统计调查全过程",
        "县退役军人事务局党组坚持“周学习、月研讨”",
        "县水利局党组坚持“第一议题”制度",
        # A clause led by a verb of making or buying already has its verb.
        "制作防汛普法动漫视频5期",
        "分批购置林政执法记录仪",
        "启动规范性文件清理",
        "给乡镇水管员集中培训2期",
    ],
)
def test_a_clause_with_its_verb_gets_none_added(line: str) -> None:
    assert phrase(line) == line


def test_a_quoted_list_is_not_the_clause_list() -> None:
    """The 、 inside “…” lists the words of a slogan, not the items of the clause: the head noun is the clause's."""
    assert first_item("坚持“谁执法谁普法、谁服务谁普法”") == "坚持“谁执法谁普法、谁服务谁普法”"
    assert first_item("《森林法》、《草原法》宣讲") == "《森林法》"
    assert first_item("防汛演练、抗旱演练") == "防汛演练"


def test_a_change_stays_with_the_count_it_is_compared_with() -> None:
    """ "比上年的21场增加11场" is one comparison; a comma after its base would leave "增加11场" without what grew."""
    out = separate_counts("开展水法宣讲32场，比2025年的21场增加11场，增长52.4%")
    assert "21场增加11场" in out
    assert (
        separate_counts("受理退役军人来信来访63件较上年41件减少22件")
        == "受理退役军人来信来访63件较上年41件减少22件"
    )
    assert (
        separate_counts("处罚12件罚款3.6万元") == "处罚12件，罚款3.6万元"
    )  # two counts are still two clauses


# -- the section: leads, joins, leftovers -----------------------------------------------------------------------


def _ctx(facts: list[Fact], **kw) -> SectionContext:  # noqa: ANN003
    base = dict(
        key="measures.publicity",
        heading="（五）深入推进法治宣传教育",
        title="深入推进法治宣传教育",
        unit="某县气象局",
        year=2026,
        level=2,
        facts=facts,
        sources=[],
        leads=["{we}认真落实“谁执法谁普法”普法责任制。"],
    )
    base.update(kw)
    return SectionContext(**base)


def test_the_notes_headings_group_points_but_are_never_written() -> None:
    """ "一、气象防灾减灾宣传周" over a block groups its lines; the report opens each point "一是……" in its own words."""
    facts = [
        Fact(
            "防灾减灾日期间开展气象法规宣讲14场",
            "",
            "k",
            ["14场"],
            line_no=3,
            headings=["一、防灾减灾日集中宣传活动"],
        ),
        Fact("发放宣传资料3200份", "", "k", ["3200份"], line_no=4, headings=["一、防灾减灾日集中宣传活动"]),
        Fact(
            "为乡镇气象信息员举办培训班2期", "", "k", ["2期"], line_no=7, headings=["二、培育气象信息员队伍"]
        ),
    ]
    text = OfflineEngine().write(_ctx(facts))
    assert "防灾减灾日集中宣传活动" not in text and "培育气象信息员队伍" not in text
    assert "一是" in text and "二是" in text
    assert text.index("14场") < text.index("二是") < text.index("2期")


def test_an_unfilled_form_field_writes_nothing() -> None:
    """ "县普法办审核意见：年 月 日" is a field of the form nobody filled in, not a topic of the section."""
    facts = [
        Fact("开展《气象灾害防御条例》宣讲16场", "", "k", ["16场"], line_no=3),
        Fact("县普法办审核意见：年月日", "", "k", [], line_no=9),
    ]
    text = OfflineEngine().write(_ctx(facts))
    assert "16场" in text and "审核意见" not in text and "年月日" not in text


def test_a_clause_taken_out_between_two_marks_leaves_one() -> None:
    fact = Fact("建立台账，限时办结，。2026年受理退役军人申诉3件，办结2件", "", "k", ["3件", "2件"])
    out = clause_of(fact)
    assert not re.search(r"[，；、]{2}", out) and "3件" in out and "2件" in out


def test_a_tail_cut_from_its_line_ends_that_line_sentence() -> None:
    """ "预计明年6月投用" cut from "平台正在开发，还没上线，预计明年6月投用": no subject, no figure, it cannot stand as a
    sentence; a clause of its own (a figure, a subject) still can."""
    facts = [
        Fact("气象灾害预警发布平台完成升级改造", "", "k", [], line_no=5),
        Fact("经县政府验收通过", "", "k", [], line_no=5),
        Fact("累计发布预警信号132次", "", "k", ["132次"], line_no=5),
        Fact("开展《气象法》宣讲16场", "", "k", ["16场"], line_no=8),
    ]
    text = sentences_of(facts, _ctx(facts), [])
    assert "升级改造，经县政府验收通过。" in text
    assert "。累计发布预警信号132次。" in text


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # A bracketed note between a thing and its count goes after the count; its commas end no clause.
        ("受理医保投诉（办结41件，其余2件转稽核）43件", "受理医保投诉43件（办结41件，其余2件转稽核）"),
        ("公平竞争审查（含《县林下经济扶持办法》）5件", "公平竞争审查5件（含《县林下经济扶持办法》）"),
        # A note after a place ("乡镇（街道）") is not before a count: it stays where it is.
        ("在全县14个乡镇（街道）设立气象信息服务站12个", "14个乡镇（街道）设立气象信息服务站12个"),
    ],
)
def test_a_bracketed_note_is_the_notes_aside(line: str, kept: str) -> None:
    out = phrase(line)
    assert kept in out
    assert re.sub(r"（[^）]*）", "", out).count("，") == re.sub(r"（[^）]*）", "", line).count("，")


@pytest.mark.parametrize("label", ["补一句", "再说明一下", "备注"])
def test_a_label_of_how_a_line_is_told_is_no_topic(label: str) -> None:
    """ "补一句：检查中发现的问题均已复查" is told as an afterthought; "在补一句方面" reads as nonsense."""
    out = label_lead(label, "检查中发现的问题均已跟踪复查")
    assert out == "检查中发现的问题均已跟踪复查"
    assert label_lead("古树名木", "全县登记412株").startswith("在古树名木方面")  # a topic still is one


def test_a_date_takes_no_verb_between_its_month_and_day() -> None:
    out = phrase("10月10日市医保局案卷评查")
    assert out.startswith("10月10日")


def test_a_line_that_opens_on_its_point_says_it_before_the_deeds() -> None:
    """ "强化统计监督。开展统计执法检查…": the point and its deeds are one sentence, joined as 公文 joins them."""
    out = clause_of(
        Fact("强化统计监督。开展统计执法检查，检查企业23家，发现问题61个", "", "k", ["23家", "61个"])
    )
    assert out.startswith("强化统计监督，开展")
    # Two deeds, each with its figure, stay apart.
    assert "；" in clause_of(Fact("全年查处水事违法案件12件。罚款3万元", "", "k", ["12件", "3万元"]))


def test_points_open_on_ordinals_and_the_notes_numbers_go() -> None:
    """Points by topic open "一是加大执法办案力度。…" (the report's own lead); no line opens on a list number, and
    a number the notes put inside a line ("；2.中心组学法6次") is not pasted either."""
    facts = [
        Fact("立案查处水事违法案件12件", "", "k", ["12件"], line_no=2),
        Fact("罚款3.6万元", "", "k", ["3.6万元"], line_no=3),
        Fact("开展水资源双随机抽查8次", "", "k", ["8次"], line_no=4),
        Fact("组织执法人员培训2期；2.党组中心组学法6次", "", "k", ["2期", "6次"], line_no=5),
    ]
    text = OfflineEngine().write(
        _ctx(facts, key="measures.enforcement", heading="（二）严格规范公正文明执法")
    )
    assert not re.search(r"(?m)^\s*\d{1,2}[、.．]", text)
    assert not re.search(r"[。；，]\s*\d[.．、](?!\d)", text)
    assert "3.6万元" in text and "6次" in text


@pytest.mark.parametrize(
    "line", ["顾问还是县恒信律师事务所。2026年审查合同52份", "收到。9月那件行政诉讼局长出庭"]
)
def test_a_remark_before_the_deeds_is_no_point(line: str) -> None:
    """Only a task named verb first ("强化统计监督") is a point said before its deeds; a remark is not joined."""
    assert "，" not in clause_of(Fact(line, "", "k", [])).split("；")[0]
