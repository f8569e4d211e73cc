"""The reviewing call of the LLM path: made for one-section drafts and one-section redrafts as for the whole report,
read robustly from what a small real model sends, and never able to make a line that is not a deed of the year
a fact; the section prompt tells a line's role the same way whatever the scope."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.engines.llm.client import FakeChatModel, Reply
from drafting.engines.llm.review import review_placement, review_reply
from drafting.notes import parse_notes
from drafting.outline import load_outline
from zhibi.api import Workspace

try:
    from tests.fake_openai import REVIEW_MARK, FakeOpenAI, _keep_placement, fake_llm, is_review, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import REVIEW_MARK, FakeOpenAI, _keep_placement, fake_llm, is_review, llm_workspace  # noqa: F401

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REPLIES = SHARED / "llm-replies"

# A forestry bureau's notes: deeds, one plan, one shortcoming; and clauses of the other roles.
FOREST = """林政执法：
- 全年办理林政案件23件
- 开展林木采伐专项检查9次
- 上年办理林政案件17件
- 查处滥伐林木案件好像是5起，待核实
- 护林员培训原定12月举办，没办成
- 林区执法力量不足，执法车辆老化
- 明年计划建设林区视频监控点30个
"""


def _outline():
    return load_outline(DEFAULT_OUTLINE)


def _parsed(notes: str = FOREST, year: int = 2025):
    return parse_notes(notes, _outline(), year=year)


def _row(facts, text: str) -> int:
    """The 1-based row a fact is shown at in the review prompt."""
    return next(i for i, f in enumerate(facts, 1) if text in f.text)


def _real_replies() -> list[str]:
    if not REPLIES.is_dir():
        pytest.skip(f"needs the real model's replies at {REPLIES}")
    replies = [json.loads(p.read_text(encoding="utf-8"))["reply"] for p in sorted(REPLIES.glob("*.json"))]
    assert replies, REPLIES
    return replies


# -- reading the reply ------------------------------------------------------------------------------------------


def test_a_small_models_prose_in_a_review_reply_moves_nothing() -> None:
    """What the small model really sent (a numbered list, a copied section) wrapped as it wraps answers: no row
    of it reads as a line number and a key, so the placement stays as the reader made it."""
    for prose in _real_replies():
        parsed = _parsed()
        before = [(f.text, f.key) for f in parsed.facts]
        # It thinks aloud in rows before it answers in prose.
        thinking = f"<think>\n{prose[:300]}\n2\tplans\n3\tunconfirmed\n</think>"
        wrapped = f"{thinking}\n好的，复核结果如下：\n```\n{prose}\n```\n以上供参考。"
        changed = review_placement(FakeChatModel([wrapped]), _outline(), parsed)
        assert changed == 0
        assert [(f.text, f.key) for f in parsed.facts] == before


def test_rows_inside_reasoning_fences_tables_and_prose_are_read_as_the_model_meant() -> None:
    parsed = _parsed()
    facts = list(parsed.facts)
    checks, cases = _row(facts, "专项检查9次"), _row(facts, "案件23件")
    prose = _real_replies()[0]
    reply = (
        f"<think>第{checks}行也许是 plans？\n{checks}\tplans\n</think>\n"  # thinking aloud is not the answer
        f"{prose}\n```text\n"
        f"| {cases} | unconfirmed |\n"  # a Markdown table row
        f"- 第{checks}行：`measures.enforcement`\n"  # a list item, 第N行, code span
        "```\n希望对您有帮助。"
    )
    review_placement(FakeChatModel([reply]), _outline(), parsed)
    assert not any("案件23件" in f.text for f in parsed.facts)  # the table row was read
    assert any("案件23件" in c.text and c.pending for c in parsed.set_aside)
    check = next(f for f in parsed.facts if "专项检查9次" in f.text)
    assert check.key == "measures.enforcement"  # the <think> row was not


def test_the_cut_last_line_of_a_truncated_reply_is_not_read() -> None:
    """Cut at the token limit, "3\\tmeasures.enforcement" can end as "3\\tmeasures." — the key of a whole part."""
    cut = Reply("1\tmeasures.enforcement\n2\tmeasures.", finish_reason="length")
    assert review_reply(cut).splitlines() == ["1\tmeasures.enforcement"]
    assert review_reply(Reply(str(cut), finish_reason="stop")).splitlines()[-1] == "2\tmeasures."
    # A reply that stopped while still thinking has no answer line to trust at its end either.
    assert review_reply("1\tplans\n<think>再看第2行") == ""
    parsed = _parsed()
    second = parsed.facts[1]
    review_placement(FakeChatModel([cut]), _outline(), parsed)
    assert second.key != "measures" and second.assigned_by != "llm"


def test_the_fake_servers_review_answer_is_the_real_prompts_and_moves_nothing() -> None:
    """The scripted tests answer the review with ("keep_placement",): it must recognise the prompt in use."""
    from drafting.prompting import render

    parsed = _parsed()
    keys = "\n".join(f"{e.key}：{e.title}" for e in _outline().entries)
    lines = "\n".join(f"{i}\t{f.key}\t{f.text}" for i, f in enumerate(parsed.facts, 1))
    body = {"messages": [{"role": "user", "content": render("classify", keys=keys, lines=lines)}]}
    assert REVIEW_MARK in body["messages"][0]["content"] and is_review(body)
    answer = _keep_placement(body)
    assert len(answer.splitlines()) == len(parsed.facts)
    before = [(f.text, f.key) for f in parsed.facts]
    assert review_placement(FakeChatModel([answer]), _outline(), parsed) == 0
    assert [(f.text, f.key) for f in parsed.facts] == before


# -- what the answer may not do ----------------------------------------------------------------------------------


def test_a_review_answer_cannot_make_a_line_that_is_no_deed_a_fact() -> None:
    parsed = _parsed()
    facts = list(parsed.facts)
    aside = {(c.text, c.role) for c in parsed.set_aside}
    roles = {c.role for c in parsed.set_aside}
    assert {"earlier", "unconfirmed", "not_done"} <= roles, parsed.set_aside
    plan, short = _row(facts, "视频监控点"), _row(facts, "执法力量不足")
    assert facts[plan - 1].key == "plans" and facts[short - 1].key == "shortcomings"
    # Every row the model may name, moved into the enforcement section, and rows it was never shown.
    reply = "\n".join(f"{i}\tmeasures.enforcement" for i in range(1, len(facts) + 8))
    review_placement(FakeChatModel([reply]), _outline(), parsed)
    assert facts[plan - 1].key == "plans" and facts[short - 1].key == "shortcomings"
    assert facts[plan - 1].assigned_by != "llm"
    # The earlier-year, doubted and not-done clauses were never shown and stay aside, out of every fact.
    assert aside <= {(c.text, c.role) for c in parsed.set_aside}
    for text in ("上年", "待核实", "没办成", "17件", "5起"):
        assert not any(text in f.text for f in parsed.facts), text


def test_a_review_answer_may_still_move_a_deed_or_take_it_out() -> None:
    """The refusal is only of a move into the deeds: the review keeps its other powers."""
    parsed = _parsed()
    facts = list(parsed.facts)
    checks, cases = _row(facts, "专项检查9次"), _row(facts, "案件23件")
    changed = review_placement(
        FakeChatModel([f"{checks}\tmeasures.oversight\n{cases}\tearlier"]), _outline(), parsed
    )
    assert changed == 2
    assert facts[checks - 1].key == "measures.oversight"
    assert facts[cases - 1] not in parsed.facts


# -- the call is made for one section too ---------------------------------------------------------------------

# A statistics bureau's notes for one section. The model is scripted to doubt a line the reader took as a deed:
# only an answer of the reviewing call can take it out.
STATS = """统计执法：
- 开展统计执法检查14次
- 立案查处统计违法案件6件
"""
ADDED = "- 办理统计违法举报线索9条\n"


def _review_requests(fake: FakeOpenAI) -> list[str]:
    return [body["messages"][-1]["content"] for body in fake.review_requests()]


def test_a_one_section_draft_has_its_lines_reviewed(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    row = _row(_parsed(STATS, 2025).facts, "案件6件")
    fake_llm.script([("text", f"<think>第{row}行的数还要核</think>\n{row}\tunconfirmed")])
    fake_llm.default = ("text", "开展统计执法检查14次，立案查处统计违法案件6件。")
    draft = ws.draft(STATS, unit="某县统计局", year=2025, section="measures.enforcement", engine="llm")
    reviews = _review_requests(fake_llm)
    assert len(reviews) == 1 and "案件6件" in reviews[0]
    assert fake_llm.chat_requests()[0]["messages"][-1]["content"] == reviews[0]  # before the section
    assert any("6件" in c.text for c in draft.pending)
    # The section's prompt no longer gives the doubted line to write from.
    section = fake_llm.chat_requests()[1]["messages"][-1]["content"]
    facts, _not_facts = _blocks(section)
    assert not any("6件" in line for line in facts), facts
    assert any("14次" in line for line in facts), facts
    # The reply states it anyway: the draft cannot pass.
    assert draft.status.level != "green"


def test_redrafting_one_section_reviews_the_lines_that_are_new_and_only_those(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    fake_llm.script([("text", "1\tmeasures.enforcement\n2\tmeasures.enforcement")])
    fake_llm.default = ("text", "开展统计执法检查14次，立案查处统计违法案件6件。")
    draft = ws.draft(STATS, unit="某县统计局", year=2025, section="measures.enforcement", engine="llm")
    assert len(_review_requests(fake_llm)) == 1
    # The same notes redrafted: nothing new to review, no call.
    ws.regenerate(draft, "measures.enforcement", engine="llm")
    assert len(_review_requests(fake_llm)) == 1
    # A line added to the notes: only it is shown, and the model may take it out.
    fake_llm.script([("text", "1\tunconfirmed")])
    again = ws.regenerate(draft, "measures.enforcement", notes=STATS + ADDED, engine="llm")
    reviews = _review_requests(fake_llm)
    assert len(reviews) == 2
    shown = reviews[1].split("【材料】", 1)[1]
    assert "线索9条" in shown and "检查14次" not in shown
    assert any("9条" in c.text for c in again.pending)
    assert not any("9条" in f.text for f in again.placement)


# -- the section prompt tells the roles the same way ------------------------------------------------------------

# A weather bureau's notes under one heading: deeds, a figure corrected on its line, and a plan cue in the block.
WEATHER = """气象执法：
- 开展施放气球安全检查11次
- 查处违规施放气球案件3起，不对，是4起
- 防雷装置检测监管办法还没出台，推到明年
"""


def _blocks(prompt: str) -> tuple[list[str], list[str]]:
    facts = prompt.split("【材料】", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    rest = prompt.split("【不得写成本年度事实的内容】", 1)
    not_facts = rest[1].split("\n\n", 1)[0].splitlines()[1:] if len(rest) > 1 else []
    return facts, not_facts


def _prompt_for(fake: FakeOpenAI, heading_word: str, start: int) -> str:
    for body in fake.chat_requests()[start:]:
        content = body["messages"][-1]["content"]
        m = re.search(r"中的“(.+?)”部分", content)
        if m and heading_word in m.group(1):
            return content
    raise AssertionError(f"no prompt for {heading_word}")


def test_a_one_section_prompt_labels_the_roles_as_the_whole_report_does(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    fake_llm.default = ("echo_facts",)
    ws.draft(WEATHER, unit="某县气象局", year=2025, engine="llm")
    whole_facts, whole_not = _blocks(_prompt_for(fake_llm, "执法", 0))
    start = len(fake_llm.chat_requests())
    ws.draft(WEATHER, unit="某县气象局", year=2025, section="measures.enforcement", engine="llm")
    one_facts, one_not = _blocks(_prompt_for(fake_llm, "执法", start))
    # What the whole report tells as not this year's fact, the one-section draft tells too, in the same words.
    assert whole_not and set(whole_not) <= set(one_not), (whole_not, one_not)
    # A line the whole report drafts as a plan, if the one section keeps it, carries that role with it.
    for line in one_facts:
        if line not in whole_facts and "明年" in line:
            assert "下一年度安排" in line, line
    # Every deed of the whole report's section is told the same way.
    assert set(whole_facts) <= set(one_facts), (whole_facts, one_facts)
