"""What a model is given to write a good section: the report's outline and its place in it, the openings
already written, what the part must contain, a target length, facts with line numbers, whole statute articles,
the same bureau's section of last year (figures masked) and never another bureau's, one house-style example."""

from __future__ import annotations

from pathlib import Path

from core.config import DEFAULT_OUTLINE, Settings, resolve_settings
from core.types import DocumentInfo, Fact, Source
from drafting.engines.base import SectionContext
from drafting.engines.llm.client import FakeChatModel
from drafting.engines.llm.engine import LLMEngine, mask_figures, section_brief, whole_article
from drafting.sources.prior import last_year_report
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:  # pragma: no cover
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

NOTES = """主要工作：
- 局党组专题研究法治政府建设工作12次
- 全年办理行政处罚案件98件，罚没款合计27.4万元
主要负责人履职：
- 主要负责人带头述法，出庭应诉2次
存在的不足：
- 执法人员年龄结构偏大
"""


def llm_workspace(base: Workspace, fake: FakeOpenAI) -> Workspace:
    settings = resolve_settings(
        home=base.settings.home, llm_base_url=fake.base_url, llm_api_key="k", llm_timeout=5.0, llm_retries=0
    )
    return Workspace(settings)


def user_prompts(fake: FakeOpenAI) -> list[str]:
    return [b["messages"][-1]["content"] for b in fake.chat_requests() if len(b["messages"]) == 2]


def prompt_for(fake: FakeOpenAI, heading: str) -> str:
    return next(p for p in user_prompts(fake) if f"中的“{heading}”部分" in p)


def test_report_prompts_carry_outline_openings_brief_and_masked_prior(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = ("text", "我局依法推进各项工作，成效明显。")
    llm_workspace(bundled_workspace, fake_llm).draft(NOTES, unit="东昌府区交通运输局", year=2024)
    enforcement = prompt_for(fake_llm, "严格规范公正文明执法")
    # the outline, this section marked
    assert "【报告提纲】" in enforcement and "→   （二）严格规范公正文明执法" in enforcement
    assert "  三、推进法治政府建设存在的不足和原因" in enforcement
    # the section written before it, so that it opens differently
    assert "【已写部分的开头】" in enforcement and "（一）加强党对法治政府建设的领导：" in enforcement
    # facts with their line in the notes
    assert "（第3行）：全年办理行政处罚案件98件" in enforcement
    # the same bureau's section of last year, figures masked, and a length taken from it
    assert "【本单位往年同一部分】" in enforcement and "×" in enforcement
    prior_block = enforcement.split("【本单位往年同一部分】")[1].split("【")[0]
    assert not any(ch.isdigit() for ch in prior_block)
    assert "篇幅约" in enforcement
    leadership = prompt_for(
        fake_llm, "党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况"
    )
    assert "主要负责人本人的行动" in leadership and "【文风示例】" in leadership
    shortcomings = prompt_for(fake_llm, "推进法治政府建设存在的不足和原因")
    assert "原因" in shortcomings.split("【本部分须包含】")[1].split("【")[0]


def test_another_bureaus_report_is_never_last_years_section(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    """The bundled 2022 report is a masked "**区" bureau's: for 东昌府区's 2023 report it is no prior."""
    fake_llm.default = ("text", "全年办理行政处罚案件98件，罚没款合计27.4万元。")
    notes = "全年办理行政处罚案件98件，罚没款合计27.4万元"
    ws = llm_workspace(bundled_workspace, fake_llm)
    draft = ws.draft(notes, unit="东昌府区交通运输局", year=2023, section="measures.enforcement")
    assert draft.prior_title == ""
    prompt = user_prompts(fake_llm)[0]
    assert "往年同一部分" not in prompt and "篇幅约" not in prompt
    assert "港口" not in prompt and "铁路" not in prompt  # none of the other bureau's matching section


def test_same_bureau_matching() -> None:
    def report(issuer: str, year: int = 2023, title: str = "报告") -> DocumentInfo:
        return DocumentInfo(title=title, kind="report", year=year, issuer=issuer, chunks=1)

    docs = [report("东昌府区交通运输局"), report("**区交通运输局", 2023), report("某县市场监督管理局", 2023)]
    assert last_year_report(docs, "东昌府区交通运输局", 2024).issuer == "东昌府区交通运输局"
    assert last_year_report(docs, "聊城市东昌府区交通运输局", 2024).issuer == "东昌府区交通运输局"
    assert last_year_report(docs, "某区交通运输局", 2024) is None  # a masked name proves nothing
    assert last_year_report(docs, "东昌府区交通运输局", 2023) is None  # only earlier years
    assert last_year_report(docs, "某县教育局", 2024) is None


def test_whole_article_and_masking() -> None:
    context = (
        "第四条 公民、法人或者其他组织违反行政管理秩序的行为，应当给予行政处罚的，依照本法由法律、法规、规章规定，"
        "并由行政机关依照本法规定的程序实施。 第五条 行政处罚遵循公正、公开的原则。设定和实施行政处罚必须以事实为依据，"
        "与违法行为的事实、性质、情节以及社会危害程度相当。 第六条 实施行政处罚，纠正违法行为，应当坚持处罚与教育相结合。"
    )
    src = Source(
        id=1,
        title="中华人民共和国行政处罚法",
        kind="law",
        locator="第五条",
        quote="行政处罚遵循公正、公开的原则",
        context=context,
    )
    article = whole_article(src)
    assert article.startswith("第五条") and "社会危害程度相当" in article and "第六条" not in article
    policy = Source(
        id=2, title="纲要", kind="policy", locator="五", quote="全面推行行政执法公示制度", context=context
    )
    assert whole_article(policy) == "全面推行行政执法公示制度"
    assert mask_figures("办理案件98件，罚款1,326.5万元，增长12%") == "办理案件×件，罚款×万元，增长×%"


def test_brief_defaults_and_budget_drops_extras_before_facts(tmp_path: Path) -> None:
    assert "原因" in section_brief(DEFAULT_OUTLINE, "shortcomings").must
    default = section_brief(DEFAULT_OUTLINE, "measures.digital")
    assert default.must and default.style  # the "*" brief
    facts = [
        Fact(text=f"开展专项执法检查{i}次，查处违法行为{i + 3}起。", raw="", key="k", line_no=i)
        for i in range(1, 30)
    ]
    ctx = SectionContext(
        key="measures.enforcement",
        heading="（二）严格规范公正文明执法",
        title="严格规范公正文明执法",
        unit="某局",
        year=2024,
        level=2,
        facts=facts,
        outline=["  一、主要举措和成效", "→   （二）严格规范公正文明执法"] * 20,
        written=["（一）组织领导：我局坚持党的领导。"] * 8,
    )
    engine = LLMEngine(FakeChatModel(default="正文。"), Settings(home=tmp_path, llm_context_tokens=900))
    messages, budget = engine.build_messages(ctx)
    assert all(f.text in messages[1][1] for f in facts)
    assert budget.dropped_context[:2] == ["style", "written"]
