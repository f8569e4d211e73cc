"""What a remark says reaches as far as its words: a remark with no object of its own takes back the clause just
before it, one that names a figure takes back only that, a remark cell's correction corrects its row (lines in the
words of other bureaus than the bench notes)."""

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


def test_a_remark_naming_a_kind_of_figure_takes_back_the_clause_that_counts_it() -> None:
    parsed = _parse("1、举办家长法治课堂3场，到场家长200多人，具体人数不用写。\n")
    assert "3场" in _facts(parsed)
    assert "200多人" not in _facts(parsed)
    assert "200多人" not in _waiting(parsed)


def test_a_remark_pointing_at_what_was_just_said_takes_it_back_and_leaves_the_rest() -> None:
    parsed = _parse("2、开展校园安全专项检查12次，发现隐患45处，这个别写了。\n")
    assert "12次" in _facts(parsed)
    assert "45处" not in _facts(parsed)


def test_a_remark_naming_one_figure_leaves_the_other_figures_of_its_line() -> None:
    parsed = _parse("3、办理行政复议5件，应诉行政诉讼3件，败诉0件，败诉那个零就别写了吧。\n")
    facts = _facts(parsed)
    assert "复议5件" in facts
    assert "诉讼3件" in facts
    assert "0件" not in facts
    assert "5件" not in _waiting(parsed)


def test_a_remark_saying_how_to_write_still_quarantines_its_line() -> None:
    # "别写成…" says how to write, withdrawing nothing said: the line stays an instruction, its figures asked about.
    parsed = _parse("4、修订《学生资助管理办法》，征求意见17条，别写成已经印发了。\n")
    assert "17条" not in _facts(parsed)
    assert "17条" in _waiting(parsed)


def test_words_about_the_notes_numbering_are_no_fact() -> None:
    parsed = _parse("第二块，培训，序号接着上面排啊。\n5、组织教师法治培训4期。\n")
    assert "序号" not in _facts(parsed)
    assert "4期" in _facts(parsed)


def test_a_remark_cell_correction_corrects_every_place_of_the_value_it_names() -> None:
    notes = (
        "序号\t任务\t完成情况\t备注\n"
        "3\t校外培训机构执法\t检查培训机构86家次；立案15件，结案15件\t15件里有2件重复登记，经核实为13件，结案13件\n"
    )
    parsed = _parse(notes)
    facts = _facts(parsed)
    assert "立案13件" in facts and "结案13件" in facts
    assert "15件" not in facts
    assert "重复登记" not in facts
    assert any(c.role == "superseded" and c.text == "15件" for c in parsed.set_aside)


def test_a_remark_cell_correction_that_fits_no_place_changes_nothing() -> None:
    # The note gives a value of a unit the row does not count in: the row is not rewritten by guess.
    notes = "序号\t任务\t完成情况\t备注\n4\t法治宣传\t开展送法进校园活动20场\t资料份数实为3000份\n"
    parsed = _parse(notes)
    assert "3000份" not in _facts(parsed)
    assert "20场" in _facts(parsed) + _waiting(parsed)


def test_a_withdrawal_in_a_line_of_several_sentences_keeps_the_line_an_instruction() -> None:
    # The remark speaks of its own sentence; what else the line says is not plain enough to write: fail closed.
    parsed = _parse("5、送法进校园18场。哎呀这个怎么说呢，家长会那次来了50多人，具体人数就别写了。\n")
    assert "18场" not in _facts(parsed)
    assert "18场" in _waiting(parsed)


def test_a_pictograph_before_a_mail_header_is_still_wrapping() -> None:
    parsed = _parse("开展教育执法检查12次。\n📎 附件：检查照片.png、2026检查台账.xlsx\n")
    assert "附件" not in _facts(parsed)
    assert "12次" in _facts(parsed)


def test_a_footnote_correcting_what_was_first_filled_in_replaces_it() -> None:
    notes = (
        "| 序号 | 指标 | 计量单位 | 本年 |\n|---|---|---|---|\n"
        "| 1 | 学生资助发放 | 万元 | 310 |\n| 2 | 资助政策知晓率 | % | 87.5 |\n\n"
        "填报说明：\n第2行知晓率原填87.5%有误，更正为91.2%，增减相应为+3.1。\n"
    )
    parsed = _parse(notes)
    facts = _facts(parsed)
    assert "91.2%" in facts
    assert "87.5" not in facts
    assert "3.1" not in facts


def test_a_footnote_doubting_a_named_row_holds_that_row_back() -> None:
    notes = (
        "| 序号 | 指标 | 计量单位 | 本年 |\n|---|---|---|---|\n"
        "| 1 | 校外培训机构检查 | 家次 | 146 |\n| 2 | 其中：线上培训机构 | 家 | 38 |\n\n"
        "第2行线上培训机构本年数为平台导出数，平台年中改过统计方法，待市局核定后再用。\n"
    )
    parsed = _parse(notes)
    assert "146家次" in _facts(parsed)
    assert "38家" not in _facts(parsed)
    assert "38家" in _waiting(parsed)
    assert "统计方法" not in _facts(parsed)


def test_a_figure_held_back_for_now_waits() -> None:
    parsed = _parse("资助政策知晓率约91%（按抽样问卷算的，样本偏小，先别用）。\n")
    assert "91%" not in _facts(parsed)
    assert "91%" in _waiting(parsed)


def test_a_comparison_stating_the_other_years_value_is_not_this_years() -> None:
    parsed = _parse("开展“宪法进校园”宣讲18场，比2024年的11场多了7场。\n")
    assert "18场" in _facts(parsed)
    assert "11场" not in _facts(parsed)


def test_a_bracketed_comment_line_doubting_this_count_holds_the_count_before_it() -> None:
    notes = (
        "举办青少年法治教育展，接待学生约3600人次\n"
        "（这个人次是门口登记的，系统里是2900多，两边对不上，用哪个还没定。）\n"
    )
    parsed = _parse(notes)
    assert "3600人次" not in _facts(parsed)
    assert "3600人次" in _waiting(parsed)


def test_a_comment_naming_a_slip_corrects_the_value_where_it_is_stated() -> None:
    notes = (
        "全年教育执法检查43次，罚款27.5万元。\n"
        "[批注 财务 黄会计]: 罚款我们账上是25.7万元，27.5是录反了，以财务为准。\n"
    )
    parsed = _parse(notes)
    facts = _facts(parsed)
    assert "25.7万元" in facts
    assert "27.5" not in facts
    assert "25.7万元" not in _waiting(parsed)


def test_a_remainder_that_cannot_be_worked_on_is_not_done() -> None:
    parsed = _parse("排查校舍安全隐患38处，已整改35处，剩下3处在山区校点，雨季没法施工。\n")
    assert "35处" in _facts(parsed)
    assert "剩下3处" not in _facts(parsed)
    assert "剩下3处" in _waiting(parsed)


def test_a_doubt_said_again_reaches_no_further_back_than_its_sentence() -> None:
    # The doubt said again further on ("重复的没剔") is about the figure its sentence doubted, not an earlier one.
    parsed = _parse(
        "今年受理教育投诉426件，总体平稳。网上投诉是213件，不过这个数我心里没底，是平台导出来的，重复的没剔。\n"
    )
    assert "426件" in _facts(parsed)
    assert "213件" in _waiting(parsed)


def test_another_offices_word_on_a_figure_is_no_fact() -> None:
    notes = (
        "序号\t任务\t完成情况\t备注\n"
        "6\t学生资助\t为1200余名学生发放资助金约380万元\t380万是资助中心口径，财政局说里面含省级补助的部分，待核\n"
    )
    parsed = _parse(notes)
    assert "财政局说" not in _facts(parsed)
    assert "省级补助" not in _facts(parsed)
