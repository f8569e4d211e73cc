"""LLMEngine: prompt contents, token budget, repair re-ask, streaming, cleaning of the reply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT, Settings
from core.errors import LLMUnavailable
from core.types import Fact, Source
from drafting.engines.base import SectionContext
from drafting.engines.llm.client import FakeChatModel, OpenAICompatibleModel
from drafting.engines.llm.engine import LLMEngine, clean_reply, format_sources
from drafting.prompting import count_tokens

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:  # tests/ itself on sys.path (pytest rootdir-less import)
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

FACTS = [
    "全年办理行政处罚案件326件，罚没款218.6万元。",
    "开展执法案卷评查2次，评查案卷120卷，发现问题15个并全部整改。",
    "组织执法人员参加法律知识培训4期，累计培训260人次。",
]
LAW_QUOTE = "行政处罚遵循公正、公开的原则。设定和实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。"
REPORT_QUOTE = "建章立制，规范行政检查行为。相继印发了协同监管机制实施方案，制定了综合查一次场景清单，建立了行政检查台账。"


def make_ctx(**overrides: object) -> SectionContext:
    values: dict[str, object] = {
        "key": "measures.enforcement",
        "heading": "（四）严格规范公正文明执法",
        "title": "严格规范公正文明执法",
        "unit": "东昌府区交通运输局",
        "year": 2024,
        "level": 2,
        "facts": [Fact(text=t, raw=t, key="measures.enforcement", line_no=i) for i, t in enumerate(FACTS, 1)],
        "sources": [
            Source(id=1, title="中华人民共和国行政处罚法", kind="law", locator="第五条", quote=LAW_QUOTE),
            Source(
                id=2,
                title="东昌府区交通运输局2023年法治政府建设情况报告",
                kind="report",
                locator="一（三）",
                quote=REPORT_QUOTE,
            ),
            Source(
                id=3,
                title="法治政府建设实施纲要（2021—2025年）",
                kind="policy",
                locator="五",
                quote="全面推行行政执法公示制度。",
            ),
        ],
        "prior_text": "1、建章立制，规范行政检查行为。全年办理行政处罚案件98件。",
    }
    values.update(overrides)
    return SectionContext(**values)  # type: ignore[arg-type]


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(home=tmp_path, **overrides)  # type: ignore[arg-type]


# -- against the fake OpenAI server, through the real client -------------------------------
def test_request_carries_every_fact_and_numbered_source(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    reply = "严格落实行政执法三项制度[1]。全年办理行政处罚案件326件，罚没款218.6万元。"
    fake_llm.script([("text", reply)])
    s = settings(tmp_path, llm_base_url=fake_llm.base_url, llm_timeout=2.0, llm_retries=1)
    engine = LLMEngine.from_settings(s)
    tokens: list[str] = []
    assert engine.write(make_ctx(), tokens.append) == reply
    assert "".join(tokens) == reply and len(tokens) > 3

    messages = fake_llm.last_messages()
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "机关公文写作人员" in messages[0]["content"]
    user = messages[1]["content"]
    for i, fact in enumerate(FACTS, 1):
        assert f"材料{i}（第{i}行）：{fact}" in user  # with the line of the notes it came from
    assert f"[1]《中华人民共和国行政处罚法》第五条：{LAW_QUOTE}" in user
    assert "[2]《东昌府区交通运输局2023年法治政府建设情况报告》一（三）（往年报告" in user
    assert "[3]《法治政府建设实施纲要（2021—2025年）》五：全面推行行政执法公示制度。" in user
    assert "全年办理行政处罚案件×件" in user and "98件" not in user  # last year's wording, figures masked
    assert engine.last_prompt == [(m["role"], m["content"]) for m in messages]
    assert engine.last_raw == reply


def test_unavailable_server_raises_for_the_orchestrator(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 500)] * 2)
    s = settings(tmp_path, llm_base_url=fake_llm.base_url, llm_timeout=1.0, llm_retries=1)
    engine = LLMEngine(OpenAICompatibleModel(s, sleep=lambda _s: None), s)
    with pytest.raises(LLMUnavailable, match="ZHIBI_LLM_BASE_URL"):
        engine.write(make_ctx())
    assert engine.last_prompt and engine.last_raw == ""


def test_cut_stream_is_retried_through_the_engine(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    full = "全年办理行政处罚案件326件，罚没款218.6万元。开展执法案卷评查2次。"
    fake_llm.script([("cut", full[:12]), ("text", full)])
    s = settings(tmp_path, llm_base_url=fake_llm.base_url, llm_timeout=1.0, llm_retries=2)
    engine = LLMEngine(OpenAICompatibleModel(s, sleep=lambda _s: None), s)
    tokens: list[str] = []
    assert engine.write(make_ctx(), tokens.append) == full
    assert "".join(tokens) == full


# -- prompt building with the in-process fake --------------------------------------------
def test_budget_truncates_sources_but_never_facts(tmp_path: Path) -> None:
    long_facts = [
        f"第{i}项：开展专项执法检查{i * 7}次，查处违法行为{i * 3}起，" + "依法规范办理。" * 6
        for i in range(1, 9)
    ]
    facts = [Fact(text=t, raw=t, key="k") for t in long_facts]
    sources = [
        Source(
            id=i, title=f"文件{i}", kind="report" if i % 2 else "law", locator=f"第{i}条", quote=LAW_QUOTE * 6
        )
        for i in range(1, 13)
    ]
    ctx = make_ctx(facts=facts, sources=sources, prior_text=REPORT_QUOTE * 30)
    roomy = LLMEngine(FakeChatModel(default="正文。"), settings(tmp_path, llm_context_tokens=100_000))
    full_messages, full_budget = roomy.build_messages(ctx)
    assert full_budget.dropped_sources == [] and full_budget.quote_cap is None

    limit = 1800
    engine = LLMEngine(FakeChatModel(default="正文。"), settings(tmp_path, llm_context_tokens=limit))
    engine.write(ctx)
    budget = engine.last_budget
    assert budget is not None and not budget.over
    assert budget.tokens <= limit < full_budget.tokens
    user = engine.last_prompt[1][1]
    for fact in long_facts:
        assert fact in user  # every fact, whole
    assert budget.quote_cap is not None and budget.dropped_sources
    assert all(i % 2 for i in budget.dropped_sources[:6])  # report passages go first
    kept = [s.id for s in sources if s.id not in budget.dropped_sources]
    for i in kept:
        assert f"[{i}]《文件{i}》" in user  # kept sources keep their original numbers
    for i in budget.dropped_sources:
        assert f"[{i}]《文件{i}》" not in user
    assert sum(count_tokens(c) for _, c in engine.last_prompt) <= limit


def test_budget_smaller_than_the_facts_still_sends_every_fact(tmp_path: Path) -> None:
    engine = LLMEngine(FakeChatModel(default="正文。"), settings(tmp_path, llm_context_tokens=50))
    engine.write(make_ctx())
    user = engine.last_prompt[1][1]
    assert all(fact in user for fact in FACTS)
    assert engine.last_budget is not None and engine.last_budget.over
    assert engine.last_budget.dropped_sources == [2, 3, 1] and engine.last_budget.prior_tokens == 0
    assert "【参考资料】" not in user and "【本单位往年同一部分】" not in user


def test_prior_text_is_shortened_before_sources_are_dropped(tmp_path: Path) -> None:
    ctx = make_ctx(prior_text=REPORT_QUOTE * 40)
    roomy = LLMEngine(FakeChatModel(default="正文。"), settings(tmp_path, llm_context_tokens=100_000))
    _, full = roomy.build_messages(ctx)
    engine = LLMEngine(
        FakeChatModel(default="正文。"), settings(tmp_path, llm_context_tokens=full.tokens - 200)
    )
    _, budget = engine.build_messages(ctx)
    assert budget.prior_tokens and budget.prior_tokens > 0 and budget.dropped_sources == []


def test_repair_re_ask_carries_problems_and_previous_text(tmp_path: Path) -> None:
    model = FakeChatModel(["全年办理行政处罚案件326件，罚没款218.6万元。"])
    engine = LLMEngine(model, settings(tmp_path))
    ctx = make_ctx(
        repair=["遗漏数字：218.6万元", "未知引用：[7]"], previous_text="全年办理行政处罚案件326件[7]。"
    )
    assert engine.write(ctx) == "全年办理行政处罚案件326件，罚没款218.6万元。"
    (_, system), (_, user) = model.last_messages
    assert "机关公文写作人员" in system
    assert "材料2（第2行）：开展执法案卷评查2次" in user  # the facts are still there to fix omissions
    assert "1. 遗漏数字：218.6万元\n2. 未知引用：[7]" in user
    assert "全年办理行政处罚案件326件[7]。" in user
    assert "【上一稿】" not in user  # previous text appears once, in the repair part


def test_regenerate_shows_previous_text_and_instruction(tmp_path: Path) -> None:
    model = FakeChatModel(["正文。"])
    engine = LLMEngine(model, settings(tmp_path))
    engine.write(make_ctx(previous_text="上一稿正文。", instruction="再精简些"))
    user = model.last_messages[1][1]
    assert "【上一稿】" in user and "上一稿正文。" in user and "【编辑要求】\n再精简些" in user


def test_engine_strips_markdown_heading_and_fences(tmp_path: Path) -> None:
    raw = (
        "好的，以下是该部分正文：\n```\n### （四）严格规范公正文明执法\n\n"
        "- **规范执法程序**。全年办理行政处罚案件326件[1]。\n"
        "* 开展执法案卷评查2次。\n\n　　__加强培训__，累计培训260人次。\n```\n"
    )
    engine = LLMEngine(FakeChatModel([raw]), settings(tmp_path))
    tokens: list[str] = []
    text = engine.write(make_ctx(), tokens.append)
    assert text == (
        "一是规范执法程序。全年办理行政处罚案件326件[1]。\n二是开展执法案卷评查2次。\n加强培训，累计培训260人次。"
    )
    # what the user watched was clean too, and the raw reply is kept for the audit
    assert "".join(tokens) == text and engine.last_raw == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("严格规范公正文明执法\n全年办理案件326件。", "全年办理案件326件。"),
        ("（四）严格规范公正文明执法。全年办理案件326件。", "全年办理案件326件。"),
        ("## 四、严格规范公正文明执法：\n全年办理案件326件。", "全年办理案件326件。"),
        ("**（四）严格规范公正文明执法**\n全年办理案件326件。", "全年办理案件326件。"),
        ("好的。\n（四）严格规范公正文明执法\n全年办理案件326件。", "全年办理案件326件。"),
        ("严格规范公正文明执法，是依法行政的要求。", "严格规范公正文明执法，是依法行政的要求。"),
        ("《**市**区实施办法》印发。", "《**市**区实施办法》印发。"),  # masks are not Markdown
        ("第一段。\n\n\n第二段。", "第一段。\n第二段。"),
    ],
)
def test_clean_reply(raw: str, expected: str) -> None:
    assert clean_reply(raw, "（四）严格规范公正文明执法", "严格规范公正文明执法") == expected


def test_empty_reply_is_unavailable(tmp_path: Path) -> None:
    engine = LLMEngine(FakeChatModel(["```\n```"]), settings(tmp_path))
    with pytest.raises(LLMUnavailable):
        engine.write(make_ctx())


def test_format_sources_caps_quotes() -> None:
    src = [Source(id=4, title="条例", kind="law", locator="第一条", quote="依法行政。" * 200)]
    line = format_sources(src, quote_cap=20)
    assert line.startswith("[4]《条例》第一条：依法行政。") and line.endswith("……")
    assert count_tokens(line) < 40


def test_engine_module_does_not_import_chromadb() -> None:
    code = (
        "import sys, drafting.engines.llm.engine; assert 'chromadb' not in sys.modules, 'chromadb imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT, timeout=60)


def test_engine_name_and_protocol(tmp_path: Path) -> None:
    engine = LLMEngine(FakeChatModel(default="正文。"), settings(tmp_path))
    assert engine.name == "llm"
    assert engine.write(make_ctx(), None) == "正文。"
