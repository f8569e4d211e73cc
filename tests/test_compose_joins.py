"""Sentence-level faults of the offline composer on notes it has not seen: what a set-aside clause leaves, verbs
doubled or put before a subject, clauses of one deed split into sentences, the notes' headings pasted as leads.

Written in the words of other bureaus than the notes the rules were read from.
"""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.engines.offline.phrasing import first_item, phrase, separate_counts
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
    assert separate_counts("受理退役军人来信来访63件较上年41件减少22件") == "受理退役军人来信来访63件较上年41件减少22件"
    assert separate_counts("处罚12件罚款3.6万元") == "处罚12件，罚款3.6万元"  # two counts are still two clauses
