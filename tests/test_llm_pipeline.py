"""The LLM path of a whole report: a dead or useless model switched off after consecutive failures (one
message, the rest offline at once), and the reply's reasoning and wrapping kept out of the draft, in the audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import resolve_settings
from drafting.text.numbers import contains_figure
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

NOTES = """主要工作：
- 局党组专题研究法治政府建设工作12次
- 出台规范性文件3件，均按规定报备
- 全年办理行政处罚案件98件，罚没款合计27.4万元
- 办理人大代表建议7件、政协委员提案4件
- 开展普法宣传活动26场
主要负责人履职：
- 行政机关负责人出庭应诉率100%
存在的不足：
- 执法人员年龄结构偏大
明年打算：
- 继续推进执法规范化建设
"""
FIGURES = ("12次", "3件", "98件", "27.4万元", "26场", "100%")


def llm_workspace(base: Workspace, fake: FakeOpenAI, **overrides: object) -> Workspace:
    values: dict[str, object] = {
        "home": base.settings.home,
        "llm_base_url": fake.base_url,
        "llm_api_key": "k",
        "llm_model": "fake-model",
        "llm_timeout": 2.0,
        "llm_retries": 2,
    }
    values.update(overrides)
    return Workspace(resolve_settings(**values))


def model_warnings(draft) -> list[str]:
    return [w for s in draft.sections for w in s.warnings if "大模型" in w]


def test_dead_model_costs_a_report_a_few_timeouts(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    fake_llm.default = ("sleep", 30)  # every request hangs past the 2 s timeout
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, engine="auto")
    elapsed = draft.timings["total_ms"] / 1000  # drafting only: loading the client library is not counted
    requests = len(fake_llm.chat_requests())
    # the first call and its two retries time out: three failed requests in a row switch the model off
    assert requests == 3, requests
    # three timeouts and the back-off waits (7.5 s), then offline drafting, slow on a loaded test box; a retry
    # per section would take 7.5 s each (about 100 s for these sections)
    assert elapsed < 3 * 2.0 + 1.5 + 20, elapsed
    warnings = model_warnings(draft)
    assert len(warnings) == 1 and "超时" in warnings[0] and "其余部分改用离线引擎" in warnings[0], warnings
    assert draft.engine == "offline" and len(draft.sections) > 5
    text = "\n".join(s.text for s in draft.sections)
    assert all(contains_figure(text, fig) for fig in FIGURES)


def test_guard_off_keeps_the_old_behaviour(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    """ZHIBI_LLM_FAILURES_BEFORE_OFFLINE=0: every section tries the model (what the guard saves)."""
    fake_llm.default = ("status", 503)
    # the breaker shared by every worker (ZHIBI_LLM_BREAKER_FAILURES) off too: it would stop after 5 in a row
    ws = llm_workspace(
        bundled_workspace, fake_llm, llm_retries=0, llm_failures_before_offline=0, llm_breaker_failures=0
    )
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, engine="auto")
    assert len(fake_llm.chat_requests()) > 6  # one per section with notes
    assert len(model_warnings(draft)) > 2


def test_english_replies_are_failures(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    fake_llm.default = ("text", "In 2024, the bureau strictly enforced the law and handled 98 cases.")
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(NOTES, unit="某县交通运输局", year=2024, engine="auto")
    assert len(fake_llm.chat_requests()) <= 4  # placement, then three sections rejected
    warnings = model_warnings(draft)
    assert all("不是中文" in w for w in warnings) and "其余部分改用离线引擎" in warnings[-1], warnings
    assert len(warnings) == 3
    text = "\n".join(s.text for s in draft.sections)
    assert "bureau" not in text and contains_figure(text, "98件")


def test_reasoning_and_wrapping_stay_out_of_the_draft_and_go_to_the_audit(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    reply = (
        "<think>\n用户要写执法部分，材料是98件、27.4万元，不要写去年的数字。\n</think>\n"
        "好的，以下是该部分正文：\n\n**全年办理行政处罚案件98件，罚没款合计27.4万元。**\n\n希望对您有所帮助！"
    )
    fake_llm.script([("keep_placement",), ("text", reply)])
    ws = llm_workspace(bundled_workspace, fake_llm)
    tokens: list[str] = []
    notes = "全年办理行政处罚案件98件，罚没款合计27.4万元"
    draft = ws.draft(
        notes, unit="某县交通运输局", year=2024, section="measures.enforcement", on_token=tokens.append
    )
    sec = draft.section("measures.enforcement")
    assert sec.text == "全年办理行政处罚案件98件，罚没款合计27.4万元。" and draft.engine == "llm"
    watched = "".join(tokens)
    assert "<think>" not in watched and "好的" not in watched and "用户要写" not in watched
    record = json.loads(Path(draft.audit_path).read_text(encoding="utf-8"))["sections"][
        "measures.enforcement"
    ]
    assert record["reply"] == reply
    assert "不要写去年的数字" in record["hygiene"]["reasoning"]
    assert any(r.startswith("开场白") for r in record["hygiene"]["removed"])
    assert any(r.startswith("结束语") for r in record["hygiene"]["removed"])


@pytest.mark.parametrize("threshold", [1, 3])
def test_threshold_is_configurable(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI, threshold: int
) -> None:
    fake_llm.default = ("status", 500)
    ws = llm_workspace(bundled_workspace, fake_llm, llm_retries=0, llm_failures_before_offline=threshold)
    ws.draft(NOTES, unit="某县交通运输局", year=2024, engine="auto")
    assert len(fake_llm.chat_requests()) == threshold


def test_refused_key_switches_off_at_once(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    fake_llm.default = ("status", 401, "invalid api key")
    draft = llm_workspace(bundled_workspace, fake_llm).draft(NOTES, unit="某县交通运输局", year=2024)
    assert len(fake_llm.chat_requests()) == 1
    warnings = model_warnings(draft)
    assert len(warnings) == 1 and "ZHIBI_LLM_API_KEY" in warnings[0]


def test_placement_reply_of_a_reasoning_model_is_read_without_its_thinking() -> None:
    from drafting.engines.llm.client import FakeChatModel, GuardedModel

    raw = "<think>\n1\tmeasures.enforcement 还是 3\tplans？\n</think>\n1\tmeasures.study"
    reply = GuardedModel(FakeChatModel([raw]), 3).complete([("user", "分类")])
    assert reply == "1\tmeasures.study" and "3\tplans" in reply.reasoning
