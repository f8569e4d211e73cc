"""Follow-up messages answered by the offline composer, and the one-line answer when it cannot."""

from __future__ import annotations

import pytest

from core.errors import ZhibiError
from core.types import Draft, Section
from drafting.outline import load_outline
from drafting.revise import drop_sentence, parse_request, put_first, regenerate_reply
from drafting.text.numbers import contains_figure

NOTES = """主要工作：
- 局党组专题研究法治建设4次
- 修订防汛抗旱应急预案3个，组织山洪灾害避险转移演练
- 全年办理行政处罚案件41件，罚没款9.6万元
- 推行说理式执法，落实首违不罚清单
- 12345热线工单办理870件，办结率100%
主要负责人履职：
- 主要负责人带头述法，出庭应诉2次
问题：
- 执法人员少，专业背景单一
明年：
- 推进执法队伍专业化建设
"""


@pytest.fixture(scope="module")
def draft(bundled_workspace) -> Draft:
    return bundled_workspace.draft(NOTES, unit="某县水利局", year=2024, engine="offline")


def test_drop_keeps_a_figure_of_the_same_sentence():
    text = "（五）应急。修订防汛抗旱应急预案3个，组织山洪灾害避险转移演练。全年办理案件41件。"
    out, dropped = drop_sentence(text, "组织山洪灾害避险转移演练")
    assert dropped == "组织山洪灾害避险转移演练"
    assert "修订防汛抗旱应急预案3个。" in out and "演练" not in out and "41件" in out
    # A quote that runs across a figure it does not name drops nothing.
    assert drop_sentence("处罚案件41件，罚没款9.6万元。", "案件41件，罚没")[1] == ""
    # A quote that names every figure of its sentence drops the whole sentence.
    out, dropped = drop_sentence("坚持依法行政。办理工单870件，办结率100%。", "办理工单870件，办结率100%")
    assert out == "坚持依法行政。" and dropped.startswith("办理工单")
    assert drop_sentence("坚持依法行政。办理工单870件。", "last") == ("坚持依法行政。", "办理工单870件。")


def test_put_first_moves_the_named_sentence_after_the_opening():
    text = "我局坚持规范执法。全年办理案件41件。推行说理式执法，落实首违不罚清单。"
    assert (
        put_first(text, "首违不罚")
        == "我局坚持规范执法。推行说理式执法，落实首违不罚清单。全年办理案件41件。"
    )
    assert put_first(text, "不存在的话") is None


def test_parse_requests():
    current = Draft(unit="某局", year=2024, engine="offline", title="t")
    current.sections = [Section("measures.enforcement", "（一）严格规范公正文明执法", "推行说理式执法。")]
    outline = load_outline("drafting/outline.toml")
    req = parse_request("更简洁，突出说理式执法", current, outline)
    assert (req.action, req.key, req.emphasis) == ("shorten", "measures.enforcement", "说理式执法")
    req = parse_request("把“说理式执法”改成“柔性执法”", current, outline)
    assert (req.action, req.payload, req.replacement, req.key) == (
        "edit",
        "说理式执法",
        "柔性执法",
        "measures.enforcement",
    )
    assert parse_request("把罚款金额改成300万元", current, outline).replacement == "300万元"


def test_follow_ups_offline(bundled_workspace, draft):
    ws = bundled_workspace
    key = next(s.key for s in draft.sections if "演练" in s.text)
    before = draft.section(key).text
    d1, reply = ws.revise(draft, "删掉“组织山洪灾害避险转移演练”这句", engine="offline")
    assert "修订防汛抗旱应急预案3个" in d1.section(key).text and "演练" not in d1.section(key).text
    assert reply.startswith("已从") and before != d1.section(key).text

    d2, reply = ws.revise(d1, "把罚款金额改成300万元", engine="offline")
    assert d2 is d1 and "\n" not in reply and "笔记" in reply

    d3, reply = ws.revise(d1, "第二部分写得更有文采一些", engine="offline")
    assert d3 is d1 and "\n" not in reply and "ZHIBI_LLM_BASE_URL" in reply

    d4, reply = ws.revise(d1, "补充：全年办理行政复议案件5件", engine="offline")
    added = next(s for s in d4.sections if contains_figure(s.text, "5件"))
    assert "补充" in reply and added.heading in reply

    enforcement = next(s.key for s in d4.sections if "首违不罚" in s.text)
    d5, reply = ws.revise(d4, "执法部分更简洁，突出首违不罚", engine="offline")
    text = d5.section(enforcement).text
    assert text.index("首违不罚") < text.index("41件") and "41件" in text and "9.6万元" in text

    again, reply = ws.revise(d5, "执法部分再精简些", engine="offline")
    if again.section(enforcement).text == d5.section(enforcement).text:
        assert again is d5 and "已精简" not in reply and "ZHIBI_LLM_BASE_URL" in reply

    d6, reply = ws.revise(d5, "执法部分换个开头", engine="offline")
    if d6 is d5:
        assert "已为" not in reply and "ZHIBI_LLM_BASE_URL" in reply
    else:
        assert reply.startswith("已为") and d6.section(enforcement).text != d5.section(enforcement).text

    d7, reply = ws.revise(d5, "把“说理式执法”改成“柔性执法”", engine="offline")
    assert "柔性执法" in d7.section(enforcement).text and "说理式执法" not in d7.section(enforcement).text

    with pytest.raises(ZhibiError, match="没有找到"):
        ws.revise(d5, "执法部分删掉“根本没有这句话”", engine="offline")


def test_regenerate_reply_never_claims_an_unchanged_rewrite():
    before = Section("measures.enforcement", "（一）执法", "全年办理案件41件。")
    assert regenerate_reply(before, before, "", "offline").startswith("本节文字没有变化")
    line = regenerate_reply(before, before, "突出首违不罚", "offline")
    assert "ZHIBI_LLM_BASE_URL" in line and "\n" not in line and "已重写" not in line
    after = Section("measures.enforcement", "（一）执法", "全年共办理案件41件。")
    assert regenerate_reply(before, after, "", "offline").startswith("已重写")
