"""Issue 22, points 2 and 6: bounded model replies against the fake OpenAI server, ordinals past ten, repairs
that never move a figure between subjects, and a linear evidence table and a bounded audit record."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from core.config import resolve_settings
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

NOTES = "执法：全年办理行政处罚案件98件，罚没款合计27.4万元\n普法：开展普法宣传活动26场\n"
SECTION = "measures.enforcement"


def llm_workspace(base: Workspace, fake: FakeOpenAI, **overrides: object) -> Workspace:
    values: dict[str, object] = {
        "home": base.settings.home,
        "llm_base_url": fake.base_url,
        "llm_api_key": "k",
        "llm_model": "fake-model",
        "llm_timeout": 5.0,
        "llm_retries": 1,
    }
    values.update(overrides)
    return Workspace(resolve_settings(**values))


def _section(draft):
    return next(s for s in draft.sections if s.key == SECTION)


# -- bounded replies --------------------------------------------------------------------------------------
def test_max_tokens_is_sent_by_default(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    from drafting.engines.llm.client import OpenAICompatibleModel, collect

    fake_llm.script([("text", "依法行政。")])
    model = OpenAICompatibleModel(resolve_settings({}, home=tmp_path, llm_base_url=fake_llm.base_url))
    collect(model.stream([("user", "写")]))
    assert fake_llm.chat_requests()[0]["max_tokens"] == 4096


def test_a_looping_model_is_cut_marked_and_never_drafted_as_complete(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = ("loop", "我局坚持依法行政，严格规范公正文明执法，全面提升执法水平。")
    fake_llm.script([("keep_placement",)])
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, section=SECTION, engine="llm")
    section = _section(draft)
    assert any("不断重复" in w for w in section.warnings), section.warnings
    assert section.text.count("全面提升执法水平") <= 1  # the loop is not in the draft
    assert "98件" in section.text  # the offline engine wrote the section from the notes
    assert len(fake_llm.section_requests()) == 1  # a loop is not asked again
    audit = Path(draft.audit_path)
    assert audit.stat().st_size < 1_000_000


def test_a_long_reply_is_cut_at_the_character_cap(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    long = "".join(f"第{i}项工作按计划推进，完成率达{i % 90 + 10}%。" for i in range(400))
    fake_llm.default = ("text", long)
    fake_llm.script([("keep_placement",)])
    ws = llm_workspace(bundled_workspace, fake_llm, llm_max_chars=1000)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, section=SECTION, engine="llm")
    section = _section(draft)
    assert any("超过 1,000 字" in w for w in section.warnings), section.warnings
    assert "完成率" not in section.text


def test_a_slow_drip_server_trips_the_request_deadline(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    """Two characters every 0.3 s never trip a 5 s per-read timeout; the 1.5 s request deadline does."""
    fake_llm.default = ("drip", "依法", 0.3)
    fake_llm.script([("keep_placement",)])
    ws = llm_workspace(bundled_workspace, fake_llm, llm_request_deadline=1.5)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, section=SECTION, engine="llm")
    section = _section(draft)
    assert any("超过 1.5 秒仍未结束" in w for w in section.warnings), section.warnings
    assert "98件" in section.text


def test_the_draft_deadline_sends_the_rest_offline() -> None:
    from drafting.engines.llm.client import FakeChatModel, GuardedModel, LLMSwitchedOff, collect

    guard = GuardedModel(FakeChatModel(default="依法行政。"), 3, draft_deadline=600)
    assert collect(guard.stream([("user", "写")])) == "依法行政。"
    guard.ends = time.monotonic() - 1  # the draft's time is used up
    with pytest.raises(LLMSwitchedOff, match="已用满 600 秒") as first:
        collect(guard.stream([("user", "写")]))
    assert first.value.opened
    with pytest.raises(LLMSwitchedOff):
        collect(guard.stream([("user", "写")]))


def test_loop_detector_leaves_ordinary_prose_alone() -> None:
    from drafting.engines.llm.client import repeats_itself

    prose = "".join(
        f"全年开展第{i}批执法检查，检查企业{i * 7}家，发现问题{i * 3}个，均已整改到位。" for i in range(60)
    )
    assert not repeats_itself(prose)
    assert repeats_itself("开头。" + "我局坚持依法行政，严格规范公正文明执法，全面提升执法水平。" * 30)
    assert repeats_itself("开头" + "……" * 2000)


# -- content the checks cannot damage ----------------------------------------------------------------------
def test_points_past_ten_are_written_in_words_and_never_read_as_figures(bundled_workspace: Workspace) -> None:
    from drafting.checks.claims import figure_claims
    from drafting.engines.offline.parts import ordinal

    assert [ordinal(i) for i in (0, 9, 10, 11, 19, 20)] == [
        "一是",
        "十是",
        "十一是",
        "十二是",
        "二十是",
        "二十一是",
    ]
    assert figure_claims("11是加强执法队伍建设。") == []
    problems = [
        "执法人员法律知识培训不足",
        "执法装备配备不够齐全",
        "信息化水平有待提高",
        "基层执法力量薄弱",
        "案卷评查发现文书不规范",
        "普法宣传形式单一",
        "行政复议纠错率偏高",
        "重大决策公众参与不足",
        "执法监督机制不够健全",
        "行政执法协调不畅",
        "法律顾问作用发挥不够",
        "规范性文件清理不及时",
    ]
    notes = "存在的不足：\n" + "\n".join(problems) + "\n执法：全年办理行政处罚案件98件\n"
    draft = bundled_workspace.draft(notes, unit="某县交通运输局", year=2024, engine="offline")
    text = "\n".join(s.text for s in draft.sections)
    assert "十一是" in text and "十二是" in text and "11是" not in text
    assert not draft.checks.numbers_unsupported and not draft.checks.facts_missing
    assert all(p[:4] in text for p in problems)  # no point was deleted


def test_a_repair_never_moves_a_figure_between_subjects() -> None:
    from core.types import Fact
    from drafting.repair import put_figures_in_place

    facts = [
        Fact(text="全年办理行政处罚案件326件，罚没款218.6万元", raw="", key="measures.enforcement"),
        Fact(text="修订完善执法制度32条", raw="", key="measures.enforcement"),
    ]
    text, done = put_figures_in_place("投入执法装备资金1200万元，办理行政处罚案件326件。", facts, year=2024)
    assert "218.6万元" not in text and not done  # the fines are not the equipment budget
    text, done = put_figures_in_place("修订完善执法制度23条。", facts, year=2024)
    assert "32条" in text and done  # the same subject's mistyped figure is still put right


def test_an_invented_budget_is_removed_not_given_the_fines(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = (
        "text",
        "全年办理行政处罚案件98件，罚没款合计27.4万元。投入执法装备资金1200万元，执法保障能力明显提升。",
    )
    fake_llm.script([("keep_placement",)])
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, section=SECTION, engine="llm")
    section = _section(draft)
    assert "1200万元" not in section.text
    assert section.text.count("27.4万元") <= 1 and "装备资金27.4万元" not in section.text


# -- linear evidence, bounded audit -------------------------------------------------------------------------
def test_evidence_rows_per_sentence_are_bounded() -> None:
    from core.types import Fact
    from drafting.checks.evidence import MAX_EVIDENCE_LINES, section_findings

    facts = [
        Fact(text=f"执法大队开展道路运输执法检查{i}次", raw="", key="measures.enforcement", line_no=i)
        for i in range(1, 1001)
    ]
    text = "。".join(f"执法大队开展道路运输执法检查{i}次" for i in range(1, 201)) + "。"
    findings = section_findings(text, facts, {}, year=2024)
    assert len(findings.table) == 200
    assert all(0 < len(row.note_lines) <= MAX_EVIDENCE_LINES for row in findings.table)
    # the sentence's own line is among its evidence
    assert all(i + 1 in row.note_lines for i, row in enumerate(findings.table[:20]))


def test_audit_record_is_bounded() -> None:
    from drafting.audit import MAX_ITEMS, MAX_TEXT, bounded

    record = bounded({"reply": "复" * (MAX_TEXT * 4), "rows": list(range(MAX_ITEMS * 3)), "n": 5})
    assert len(record["reply"]) < MAX_TEXT + 50 and "截断" in record["reply"]
    assert len(record["rows"]) == MAX_ITEMS + 1 and record["n"] == 5
    assert len(json.dumps(record, ensure_ascii=False)) < 2 * MAX_TEXT


def test_a_reply_the_server_cut_at_its_token_limit_is_red(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = (
        "truncated",
        "全年办理行政处罚案件98件，罚没款合计27.4万元。开展普法宣传活动26场，进一步",
    )
    fake_llm.script([("keep_placement",)])
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, section=SECTION, engine="llm")
    section = _section(draft)
    assert draft.status.level == "red"
    assert any("长度上限被截断" in w for w in section.warnings), section.warnings
    assert "进一步" not in section.text  # the half sentence is gone, and the section is not called complete
