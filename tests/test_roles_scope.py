"""A cue's scope is its clause: what a line says is not done, doubted or corrected reaches only as far as the words
say, and the rest of the line stays a fact (lines in the words of other bureaus than the bench notes)."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _parse(notes: str, year: int = 2025):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def _facts(parsed) -> str:  # noqa: ANN001
    return "\n".join(f.text for f in parsed.facts)


def _waiting(parsed) -> str:  # noqa: ANN001
    return "\n".join(c.text for c in parsed.set_aside if c.pending)


def test_a_deed_ended_by_a_semicolon_is_not_the_unfinished_clause_after_it() -> None:
    parsed = _parse("执法：新建执法记录仪数据平台接口3个；“司法+公安”联动原定11月上线。\n")
    assert "3个" in _facts(parsed)
    assert "原定11月上线" in _waiting(parsed)
    assert "原定11月上线" not in _facts(parsed)


def test_a_status_cell_belongs_to_the_clause_that_names_what_is_unfinished() -> None:
    row = (
        "序号\t任务\t完成情况\t状态\n"
        "1\t制度建设\t起草《社区矫正对象教育管理办法》，已征求9个单位意见；尚未提请局务会审议\t未完成\n"
    )
    parsed = _parse(row)
    assert "9个" in _facts(parsed)
    assert "尚未提请局务会审议" in _waiting(parsed)


def test_a_bracketed_aside_is_no_status_cell_of_the_whole_line() -> None:
    parsed = _parse("规章清理：清理现行制度35项，建议修订4项（修订的要等局务会，暂未发文）。\n")
    assert "35项" in _facts(parsed)


def test_a_remaining_count_under_way_is_not_done() -> None:
    parsed = _parse("督察反馈问题8个，整改完6个，还有2个在改，明年上半年销号。\n")
    assert "还有2个在改" in _waiting(parsed)
    assert "还有2个在改" not in _facts(parsed)
    assert "8个" in _facts(parsed)


def test_a_completion_denied_by_a_modal_is_not_done() -> None:
    parsed = _parse("审计反馈问题10个，已整改8个，剩下2个涉及土地权属，一时半会儿改不完。\n")
    assert "改不完" in _waiting(parsed)
    assert "改不完" not in _facts(parsed)


def test_a_speaker_owning_a_misreading_corrects_rather_than_doubts() -> None:
    parsed = _parse("1、法律援助案件216件，不对不对，是261件，我看反了，261。\n")
    assert "261件" in _facts(parsed)
    assert "261件" not in _waiting(parsed)
    assert "看反了" not in _facts(parsed)


def test_a_value_confirmed_again_as_a_bare_number_is_the_corrected_value() -> None:
    parsed = _parse("- 政务公开信息发布318条 → 不对，后台导出来是381条，以381为准\n")
    assert "381条" in _facts(parsed)
    assert "381条" not in _waiting(parsed)
    assert "318条" not in _facts(parsed)


def test_a_hotline_number_in_a_doubt_doubts_no_figure_of_an_earlier_line() -> None:
    notes = (
        "信访：12348热线和来信来访受理法律咨询83件，办结83件。\n"
        "调解挽回损失约6万元——这个我心里没底，12348那边的统计跟我们台账对不上，先别写死\n"
    )
    parsed = _parse(notes)
    assert "83件" in _facts(parsed)
    assert "83件" not in _waiting(parsed)
    assert "6万元" not in _facts(parsed)


def test_hearsay_doubts_the_figure() -> None:
    parsed = _parse("网上办结率我听说是97%，但我没看到系统的数。\n")
    assert "97%" not in _facts(parsed)
    assert "97%" in _waiting(parsed)


def test_an_old_value_told_in_its_own_clause_leaves_the_standing_value_a_fact() -> None:
    parsed = _parse("财政资金审计查出问题金额2.47亿元，原填2.61亿元，复核时剔除重复项目后更正。\n")
    assert "2.47亿元" in _facts(parsed)
    assert "2.47亿元" not in _waiting(parsed)
    assert "2.61亿元" not in _facts(parsed)


def test_a_value_first_filled_in_is_the_old_one() -> None:
    row = '序号,股室,事项,数量,备注\n12,法规股,持证执法人员,14人,"原填12人，11月新增2人取证，已更正为14人"\n'
    parsed = _parse(row)
    assert "12人" not in _facts(parsed)


def test_which_of_two_values_to_report_is_undecided_so_the_value_is_a_doubt() -> None:
    notes = (
        "按期办结率：99.1%：群众满意率：95.4%（省平台口径）\n"
        "满意率那个95.4%是省平台的口径，我们按回访记录算的是91%左右，到底报哪个局长还没定。\n"
    )
    parsed = _parse(notes)
    assert "99.1%" in _facts(parsed)
    assert "99.1%" not in _waiting(parsed)
    assert "95.4%" not in _facts(parsed)


def test_a_doubt_in_a_bracket_of_several_clauses_doubts_the_clause_it_hangs_on() -> None:
    parsed = _parse("收缴罚没款86.4万元（手写：含物资折价？财务股账上是79万多，待对），开展专项检查5次。\n")
    assert "86.4万元" not in _facts(parsed)
    assert "86.4万元" in _waiting(parsed)
    assert "5次" in _facts(parsed)


def test_a_doubt_in_a_remark_cell_doubts_the_same_figure_on_its_row() -> None:
    row = (
        "序号\t任务\t完成情况\t备注\n"
        "6\t法律援助\t为820余名群众办理法律援助，挽回损失约640万元\t640万是援助中心口径，法院说里面含调解部分，待核\n"
    )
    parsed = _parse(row)
    assert "640万元" not in _facts(parsed)
    assert "640万元" in _waiting(parsed)
    assert "820余名" in _facts(parsed)


def test_an_arrow_and_a_mark_before_the_words_of_correction_go_with_them() -> None:
    parsed = _parse("- 法律顾问审查合同 21份 → ❌ 写错了 改：23份（补录了2份）\n")
    assert "23份" in _facts(parsed)
    assert "❌" not in _facts(parsed)
    assert "写" not in _facts(parsed).replace("审查", "")


def test_in_the_middle_of_a_task_is_a_noun_phrase_not_a_status() -> None:
    parsed = _parse(
        "局长今年带队到4个街道调研违建清理整改中的法律问题。（调研次数是办公室报的，应该没问题）\n"
    )
    assert "4个街道" in _facts(parsed)
    assert "4个街道" not in _waiting(parsed)
    assert "没问题" not in _facts(parsed)
