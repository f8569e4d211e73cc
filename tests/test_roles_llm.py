"""The LLM path held to the roles of the notes: a reply that states another year's, a corrected-away or a doubted
figure, or an unfinished task as done, comes back repaired or red, never green or amber with the error in it;
repair never pastes notes text; the prompt tells the model which clauses are not this year's facts."""

from __future__ import annotations

from drafting.text.numbers import contains_figure
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401

NOTES = """执法：
- 全年立案查处违法案件41件，不对，说错了，是44件
- 上年立案36件
- 罚没款好像是60多万元，再核一下
- 开展执法案卷评查2次
- 编制行政检查事项清单还没完成，推到明年
"""
# Every role error at once, as a small real model wrote them.
BAD_REPLY = (
    "全年立案查处违法案件41件，较往年有所提升，上年立案36件。罚没款60多万元。"
    "开展执法案卷评查2次。已完成编制行政检查事项清单。"
)


def test_a_reply_with_every_role_error_is_repaired_or_red(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.script([("keep_placement",)])
    fake_llm.default = ("text", BAD_REPLY)
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    draft = ws.draft(NOTES, unit="某县城市管理局", year=2024, section="measures.enforcement", engine="llm")
    text = "\n".join(s.text for s in draft.sections)
    errors = [
        contains_figure(text, "41件"),
        contains_figure(text, "36件") and "上年立案36件" in text,
        "60多万元" in text,
        "已完成编制行政检查事项清单" in text,
    ]
    level = draft.status.level
    assert level == "red" or not any(errors), (level, text)
    assert level != "green"
    # Repair writes sentences; it never pastes the notes' own words of correction, doubt or speech.
    for speech in ("不对", "说错了", "再核一下", "推到明年", "好像"):
        assert speech not in text, speech
    # The model was told which clauses are not this year's facts.
    prompt = fake_llm.section_requests()[0]["messages"][-1]["content"]
    assert "不得写成本年度事实" in prompt and "41件" in prompt.split("不得写成本年度事实", 1)[1]
    # What waits for the user is listed with the draft.
    assert any("60多万元" in c.text for c in draft.pending)


def test_the_reviewing_call_can_take_a_line_out_of_the_text_but_never_bring_one_in() -> None:
    from core.config import DEFAULT_OUTLINE
    from drafting.engines.llm.client import FakeChatModel
    from drafting.notes import parse_notes
    from drafting.notes.placement import review_with_llm
    from drafting.outline import load_outline

    outline = load_outline(DEFAULT_OUTLINE)
    parsed = parse_notes(
        "开展执法检查86次\n罚没款合计15.2万元\n上年为11万元\n组织旁听庭审1次", outline, year=2024
    )
    before = {c.text for c in parsed.set_aside}
    assert any("11万元" in c.text for c in parsed.set_aside)
    # The model says line 2 is doubtful; it also tries to put a key on a line it was never shown.
    model = FakeChatModel(["1\tmeasures.enforcement\n2\tunconfirmed\n9\tmeasures.enforcement"])
    changed = review_with_llm(model, outline, parsed.facts, parsed.set_aside)
    assert changed == 1
    assert not any("15.2万元" in f.text for f in parsed.facts)
    assert any("15.2万元" in c.text and c.pending for c in parsed.set_aside)
    assert not any("11万元" in f.text for f in parsed.facts)  # what the reader set aside stays aside
    assert before <= {c.text for c in parsed.set_aside}
    prompt = model.calls[0][0][1]
    assert "11万元" not in prompt  # set-aside clauses are never shown to it


SPAN_NOTES = """普法与纠纷化解：
- “八五”普法以来累计开展送法下乡活动112场
- 近三年共化解农资购销纠纷46起，其中今年19起
- 一季度受理投诉举报12件
- 全年受理投诉举报57件
- 开展农资市场联合检查37次
"""
# A small model drops the span a figure was counted over: several years' and one quarter's figures become the year's.
SPAN_REPLY = "全年开展送法下乡活动112场，化解农资购销纠纷46起，受理投诉举报12件，开展农资市场联合检查37次。"


def test_a_figure_of_several_years_or_one_quarter_written_as_the_years_is_red(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.script([("keep_placement",)])
    fake_llm.default = ("text", SPAN_REPLY)
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    draft = ws.draft(SPAN_NOTES, unit="某县供销合作社", year=2026, section="measures.publicity", engine="llm")
    text = "\n".join(s.text for s in draft.sections)
    spans_lost = [f for f in ("112场", "46起", "12件") if contains_figure(text, f) and "以来" not in text]
    assert draft.status.level == "red" or not spans_lost, (draft.status.level, text)
    assert draft.status.level != "green"
    # The offline writer sets a total over several years aside (fail closed) and keeps this year's part of it.
    offline = ws.draft(SPAN_NOTES, unit="某县供销合作社", year=2026, engine="offline")
    assert not [p for p in offline.problems if p.kind == "figures_not_the_year"], offline.problems
    body = "\n".join(s.text for s in offline.sections)
    assert "112场" not in body and "46起" not in body and "19起" in body
