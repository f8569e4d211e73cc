"""Moving notes lines (issue 19, item 2) on the real offline drafter over the bundled corpus.

Only the part a line leaves and the part it joins are written again; every other part keeps its text, hand
edits included; an emptied part becomes a placeholder, a new part takes its place in the outline; parts are
named by their headings.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.errors import ZhibiError

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")

NOTES = """执法：全年办理行政处罚案件326件，罚没款218.6万元
执法：开展治超专项行动15次，查处超限车辆87辆
复议应诉：行政复议案件5件，行政诉讼案件2件，无败诉
普法：开展“八五”普法宣传活动12场，发放资料3000余份
学法：组织领导干部集中学法4次
学法：组织旁听庭审1次
决策：重大行政决策全部经过合法性审查，共审查3件
不足：执法人员专业能力有待提升
明年：推进执法规范化建设，加强执法队伍培训"""
EDITED = "全年办理行政处罚案件326件，经逐件核对后定稿。"
KEY_WORDS = re.compile(r"preamble|measures|leadership|shortcomings|plans|\bother\b")


@pytest.fixture(scope="module")
def drafted(bundled_workspace):
    return bundled_workspace.draft(NOTES, unit="某县交通运输局", year=2024, engine="offline")


def row(draft, text: str) -> int:
    return next(i for i, f in enumerate(draft.placement) if text in f.text)


def hand_edit(ws, draft, key: str, text: str):
    new = replace(
        draft, sections=[replace(s, text=text) if s.key == key else replace(s) for s in draft.sections]
    )
    new.notes = draft.notes
    return ws.recheck(new)


def texts(draft) -> dict[str, str]:
    return {s.key: s.text for s in draft.sections}


def test_a_move_between_two_parts_redrafts_only_those_two(bundled_workspace, drafted):
    ws = bundled_workspace
    assert drafted.section("measures.study") and drafted.section("measures.publicity")
    edited = hand_edit(ws, drafted, "measures.enforcement", EDITED)
    result = ws.move(edited, [row(edited, "集中学法4次")], "measures.publicity", engine="offline")
    new = result.draft
    assert "学法4次" in new.section("measures.publicity").text
    assert (
        "学法4次" not in new.section("measures.study").text
        and "旁听庭审1次" in new.section("measures.study").text
    )
    before, after = texts(edited), texts(new)
    assert after["measures.enforcement"] == EDITED  # the hand edit of a third part is kept
    others = set(before) - {"measures.study", "measures.publicity"}
    assert {k: after[k] for k in others} == {k: before[k] for k in others}
    assert [s.heading for s in new.sections] == [s.heading for s in edited.sections]
    assert new.placement[row(new, "集中学法4次")].assigned_by == "user"
    assert new.notes == drafted.notes
    said = result.message()
    assert not KEY_WORDS.search(said) and "学法用法" in said and "法治宣传教育" in said


def test_a_part_left_empty_becomes_a_placeholder(bundled_workspace, drafted):
    ws = bundled_workspace
    result = ws.move(drafted, [row(drafted, "重大行政决策")], "measures.oversight", engine="offline")
    new = result.draft
    emptied = new.section("measures.decisions")
    assert emptied is not None and emptied.placeholder and "待补充" in emptied.text
    assert "审查3件" in new.section("measures.oversight").text
    unchanged = set(texts(drafted)) - {"measures.decisions", "measures.oversight"}
    assert {k: texts(new)[k] for k in unchanged} == {k: texts(drafted)[k] for k in unchanged}
    assert not KEY_WORDS.search(result.message()) and "待补充" in result.message()


def test_a_new_part_is_inserted_in_outline_order(bundled_workspace, drafted):
    ws = bundled_workspace
    assert drafted.section("measures.emergency") is None
    result = ws.move(drafted, [row(drafted, "普法宣传活动12场")], "measures.emergency", engine="offline")
    new = result.draft
    keys = [s.key for s in new.sections]
    assert (
        keys.index("measures.enforcement")
        < keys.index("measures.emergency")
        < keys.index("measures.disputes")
    )
    assert "12场" in new.section("measures.emergency").text
    # sub-parts numbered in the order they now stand: （一）（二）… with no gap or repeat
    subs = [s.heading[1] for s in new.sections if s.key.startswith("measures.")]
    assert subs == list("一二三四五六七八九十")[: len(subs)]
    assert new.section("measures.enforcement").text == drafted.section("measures.enforcement").text
    assert "新增" in result.message() and not KEY_WORDS.search(result.message())


def test_a_locked_part_keeps_its_text(bundled_workspace, drafted):
    ws = bundled_workspace
    locked = replace(
        drafted,
        sections=[replace(s, locked=s.key == "measures.study") for s in drafted.sections],
    )
    locked.notes = drafted.notes
    result = ws.move(locked, [row(locked, "集中学法4次")], "measures.publicity", engine="offline")
    new = result.draft
    assert new.section("measures.study").text == drafted.section("measures.study").text
    assert new.section("measures.study").locked
    assert "学法4次" in new.section("measures.publicity").text
    assert "已锁定" in result.message()


def test_an_unknown_part_is_named_by_title(bundled_workspace, drafted):
    with pytest.raises(ZhibiError) as info:
        bundled_workspace.move(drafted, [0], "nowhere", engine="offline")
    assert not KEY_WORDS.search(info.value.hint) and "普法" in info.value.hint
