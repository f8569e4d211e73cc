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


def test_a_clause_known_only_by_likeness_stays_with_its_deed(outline):
    # "提出问题7个" has no word of its own for a part, only a likeness to a past report's sentence: it is what
    # the audit before it found
    from drafting.notes.placement import SentenceBank

    bank = SentenceBank([("measures.disputes", "《往年报告》", "群众提出问题7个已整改6个并逐一答复")])
    line = "接受市审计局专项资金审计，提出问题7个，已整改6个。"
    facts = parse_notes(line, outline, year=2025, bank=bank).facts
    assert [(f.key, "7个" in f.text) for f in facts] == [("measures.oversight", True)]


def test_a_numbered_chapter_naming_next_year_heads_the_lines_under_it(outline):
    # a speech's chapter the reader took for a line of its own (as in a 述职 draft): it still heads the items under it
    from drafting.notes.placement import Placer
    from drafting.notes.reading import NoteLine, ReadNotes

    item = "一是推动持证执法人员增加到12名；二是完成社区矫正应急预案修订"
    read = ReadNotes(
        lines=[
            NoteLine(1, raw="　　五、2026年打算", kind="fact", text="2026年打算"),
            NoteLine(2, raw="　　" + item, kind="fact", text=item),
        ]
    )
    facts = Placer(outline, year=2025).place(read).facts
    assert {f.key for f in facts} == {"plans"} and facts[0].line_no == 2


def test_a_cue_inside_a_sentence_does_not_carry_to_the_next_deed(outline):
    # the cases carried into next year are part of the petition work; the legal aid after "；" is work done
    line = "信访：受理群众来信来访31件，办结29件，其余2件转入2026年办理；法律援助中心提供法律咨询约460人次"
    facts = parse_notes(line, outline, year=2025).facts
    keys = {f.key for f in facts if "460人次" in f.text}
    assert keys == {"measures.disputes"}


def test_a_plan_sentence_keeps_heading_its_items(outline):
    line = "全年办结行政复议9件。明年计划修订工作规则2项；开展复议人员培训3次"
    facts = parse_notes(line, outline, year=2025).facts
    assert {f.key for f in facts if "3次" in f.text} == {"plans"}


def test_a_casebook_made_for_a_part_is_that_parts_work(outline):
    assert placed("编印以案释法的典型案例汇编1册，收录案例15个", outline) == {1: "measures.publicity"}
    assert placed("入选全省以案释法典型案例2个", outline) == {1: "other"}


def test_the_head_named_in_a_subject_taken_off_still_acted(outline):
    # the reader took the staff name off ("李局长"), leaving "带队到…": the head is still who led the visit
    from drafting.notes.placement import Placer
    from drafting.notes.reading import NoteLine, ReadNotes

    text = "带队到城南街道、河西乡督导审计整改和普法工作，现场交办问题6个"
    read = ReadNotes(lines=[NoteLine(1, raw="2. 李局长" + text + "。", kind="fact", text=text)])
    facts = Placer(outline, year=2025).place(read).facts
    assert [f.key for f in facts] == ["leadership"]


def test_the_procedure_a_rule_went_through_is_how_not_what(outline):
    # 合法性审查 and 集体讨论 are the steps before issuing; issuing a 办法 is making a rule
    from drafting.notes.placement import LOW_CONFIDENCE

    line = "《县社区矫正对象分类管理办法》经合法性审查、集体讨论后由县政府印发"
    facts = parse_notes(line, outline, year=2025).facts
    assert [f.key for f in facts] == ["measures.rules"]
    assert facts[0].confidence >= LOW_CONFIDENCE  # sure enough to be written, not asked


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # the words of the deed itself: an exam before taking office is 学法, moving people out of danger 应急
        ("新任中层干部任前考法，参考12人，全部合格", "measures.study"),
        ("台风来临前转移群众80余人，无人员伤亡", "measures.emergency"),
        ("消防安全进校园活动9场", "measures.publicity"),
        # opening a public body's affairs to view (校务公开, like 政务公开) is supervision, whatever checks it
        ("校务公开检查覆盖县直学校6所、乡镇中心校14所", "measures.oversight"),
    ],
)
def test_a_deed_named_by_its_own_words_is_placed(outline, line, key):
    assert placed(line, outline) == {1: key}


def test_disciplining_own_staff_is_supervision(outline):
    # a warning to the bureau's own staff is internal supervision, not enforcement against the regulated
    notes = "查处冒领低保金行为；对3名违规审核的工作人员给予诫勉谈话"
    facts = parse_notes(notes, outline, year=2025).facts
    assert {f.key for f in facts if "3名" in f.text} == {"measures.oversight"}


def test_a_list_item_with_no_words_of_its_own_goes_with_the_item_before(outline):
    notes = "1、不动产首次登记一般业务2个工作日办结。\n2、“带押过户”办了45宗。\n"
    assert placed(notes, outline) == {1: "measures.functions", 2: "measures.functions"}


def test_a_list_item_that_counts_nothing_is_not_carried_into_a_part(outline):
    notes = "1、不动产首次登记一般业务2个工作日办结。\n2、反正就是把拖着的那几件再催一遍，大家都头疼。\n"
    # Talk (那几件, 反正) may also leave the line no fact at all: either way it is in no part.
    assert placed(notes, outline).get(2, "measures") == "measures"
