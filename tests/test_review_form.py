"""A review form and a transcript: what the reviewers and the recording add is no part of the report."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes.reading import chat_speaker, read_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


# A 司法局's form copied out of its OA: the table rules are gone, only the bars between cells are left.
REVIEW_FORM = """\
司法局文稿审核单
编号｜初稿内容｜审核意见｜审批人｜处理情况
1｜全年开展行政执法监督检查9次。｜记录显示应为10次。｜孙立｜已改为10次
2｜组织会前学法12次，学习《行政复议法》修订草案。｜别写草案，已经施行了。｜钱芳｜改为“学习新修订的行政复议法”
3｜局长带头讲法治课1次。｜放第二部分，这一节不写。｜钱芳｜移出
4｜全年办理法律援助案件315件。｜那是普法的数，放错了。｜孙立｜删
5｜法律顾问审查合同约60份。｜数还没对上，别写死。｜孙立｜待核
6｜完成公证业务1820件。｜同意。｜孙立｜—
"""


def _lines(outline, notes: str) -> dict[int, tuple[str, str]]:
    return {ln.line_no: (ln.kind, ln.text) for ln in read_notes(notes, outline, year=2026).lines}


def test_a_form_with_bars_only_is_read_as_a_table(outline) -> None:
    lines = _lines(outline, REVIEW_FORM)
    assert lines[2][0] == "covering"  # the header row
    assert lines[8] == ("fact", "完成公证业务1820件。")  # neither the reviewer, the comment nor "—"


def test_the_reviewers_decision_governs_its_row(outline) -> None:
    lines = _lines(outline, REVIEW_FORM)
    assert lines[3] == ("fact", "全年开展行政执法监督检查10次。")  # the corrected value only
    # The reviewer's words replace the clause they resemble; the comment ("别写草案") is no instruction.
    assert lines[4] == ("fact", "组织会前学法12次，学习新修订的行政复议法。")
    assert lines[5][0] == "instruction" and lines[6][0] == "instruction"  # moved out, deleted: never written


def test_the_row_to_check_is_marked_and_its_comment_makes_no_instruction(outline) -> None:
    kind, text = _lines(outline, REVIEW_FORM)[7]
    assert kind == "fact" and "约60份" in text and "待核实" in text and "别写" not in text


def test_a_lone_line_with_bars_is_no_table(outline) -> None:
    notes = "录音转写｜某某听见｜时长 12:03｜2026-12-01 09:00\n全年办理法律援助案件315件。"
    assert "\t" not in read_notes(notes, outline, year=2026).lines[0].raw


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("说话人2：全年调解纠纷86件", "全年调解纠纷86件"),
        ("发言人1：第三块，普法", "第三块，普法"),
        ("Speaker 1: 好", "好"),
    ],
)
def test_a_transcripts_numbered_voice_is_its_speaker(line: str, said: str) -> None:
    assert chat_speaker(line) is not None and chat_speaker(line)[1] == said


def test_a_transcripts_cast_line_is_wrapping(outline) -> None:
    lines = _lines(outline, "发言人1：周明（科长）\u3000发言人2：小陈\n发言人1：全年调解纠纷86件。")
    assert lines[1][0] == "covering"
    assert lines[2] == ("fact", "全年调解纠纷86件")
