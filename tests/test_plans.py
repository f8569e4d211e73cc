"""Last year's plans as a checklist, and 对照去年 (issue 19, item 5), over the bundled 2023 东昌府 report.

Its 下一年度主要安排: 1 普法责任, 2 政务服务标准化, 3 行业监管, 4 执法监督.
"""

from __future__ import annotations

import pytest

from core.types import Draft, Fact
from drafting.outline import load_outline
from drafting.sources.prior import load_prior, plans_checklist
from ui import format as fmt

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
UNIT = "东昌府区交通运输局"


def checklist(ws, *lines: tuple[str, str]):
    outline = load_outline(ws.settings.outline_path)
    facts = [Fact(text=t, raw=t, key=k, line_no=n) for n, (t, k) in enumerate(lines, 1)]
    draft = Draft(unit=UNIT, year=2024, engine="offline", title="", placement=facts)
    return {i.text[:6]: i for i in plans_checklist(ws.index, outline, draft, facts)}


def test_a_promise_is_answered_by_a_fact_about_its_work(bundled_workspace):
    items = checklist(
        bundled_workspace,
        ("开展交通运输专题普法宣传活动12场，发放普法资料3000余份", "measures.publicity"),
        ("政务服务事项全部实现跨域通办，群众满意度99%", "measures.functions"),
    )
    assert items["加强干部职工"].answered and items["持续推进政务"].answered
    assert not items["加强行业监管"].answered


def test_a_problem_or_a_new_promise_about_it_means_not_done(bundled_workspace):
    items = checklist(
        bundled_workspace,
        ("开展交通运输专题普法宣传活动12场", "measures.publicity"),
        ("专题普法宣传活动覆盖面不广，普法责任清单落实不到位", "shortcomings"),
        ("明年继续优化政务服务办事流程，提升跨域通办服务效能", "plans"),
    )
    for key in ("加强干部职工", "持续推进政务"):
        assert not items[key].answered and items[key].not_done, key
    html = fmt.plans_html(list(items.values()), "2023年报告")
    assert "回应 0 项" in html and "尚未完成" in html and "☒" in html


def test_a_title_line_answers_nothing(bundled_workspace):
    items = checklist(
        bundled_workspace,
        ("东昌府区交通运输局2024年推进法治政府建设政务服务和执法监督工作总结材料", "measures.functions"),
    )
    assert not any(i.answered for i in items.values())


def test_last_years_last_section_ends_with_its_last_sentence(bundled_workspace):
    prior = load_prior(
        bundled_workspace.index, load_outline(bundled_workspace.settings.outline_path), UNIT, 2024
    )
    text = prior.section("plans").text
    assert text.rstrip().endswith("。") and "扫码" not in text and "目录导读" not in text


def test_a_section_is_compared_with_last_years_by_content(bundled_workspace):
    """Work last year's report holds under another heading is found there, not "去年无对应部分"."""
    from drafting.drafter import _by_content

    outline = load_outline(bundled_workspace.settings.outline_path)
    prior = load_prior(bundled_workspace.index, outline, UNIT, 2024)
    mine = next(s for s in prior.sections.values() if "双随机" in s.text)
    text = "组织开展部门“双随机、一公开”监管检查70次，部门联合检查58次，避免重复检查、多头执法、执法扰民。"
    assert _by_content(prior, text) is mine
    assert _by_content(prior, "全年办理信访件3件。") is None
