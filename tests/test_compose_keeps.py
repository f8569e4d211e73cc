"""What the offline composer keeps of a fact and how it writes it: every figure in report prose, no shorthand of
the notes (a reply's "是。", a tick, an arrow, a drawn subtitle), no verb put before a clause that has its own.

Written in the words of bureaus other than the bench notes (司法局, 教育局, 市场监管局, 水务局, 民政局).
"""

from __future__ import annotations

from core.types import Fact
from drafting.engines.base import SectionContext
from drafting.engines.offline import parts
from drafting.engines.offline.compose import clause_of, compose_section


def _clause(text: str) -> str:
    return clause_of(Fact(text, text, "measures.enforcement", line_no=1))


def _ctx(facts: list[Fact], **kw) -> SectionContext:  # noqa: ANN003
    base = dict(
        key="measures.enforcement",
        heading="（四）严格规范公正文明执法",
        title="严格规范公正文明执法",
        unit="某县市场监督管理局",
        year=2026,
        level=2,
        facts=facts,
        sources=[],
        leads=[],
    )
    base.update(kw)
    return SectionContext(**base)


# -- the notes' shorthand ----------------------------------------------------------------------------------------


def test_a_replys_assent_is_not_written() -> None:
    """ "答：是。" of a questionnaire, "说话人1：有。" of a dictation: the yes answers a question, the deed is the fact."""
    out = _clause("是。局长全年主持局务会专题研究法治工作3次，年底在县政府常务会议上述法。")
    assert out.startswith("局长全年主持局务会"), out
    assert "研究法治工作3次" in out
    out = _clause("有。受理群众来信来访21件，全部按期答复。")
    assert not out.startswith(("有", "；")) and "21件" in out, out


def test_a_bare_no_keeps_its_meaning() -> None:
    """Only an assent goes: "无。" answers with a fact of its own."""
    assert _clause("无。") == "无"


def test_the_notes_own_ordinal_is_not_written_and_gets_no_verb_before_it() -> None:
    """ "二是个别学校…" in a done section: the report numbers its points itself; "落实二是…" would be no sentence."""
    out = _clause("二是个别学校对校外培训机构检查重台账、轻现场。")
    assert "二是" not in out and not out.startswith("落实"), out
    inline = _clause("重点抓好两件事，一是校车安全检查，二是食堂检查。")
    assert "一是" in inline and "二是" in inline, inline


def test_ticks_arrows_and_pictographs_are_no_prose() -> None:
    out = _clause("受理食品经营许可12件✅全部按时办结")
    assert "✅" not in out and "12件" in out and "全部按时办结" in out, out
    out = _clause("专项检查农贸市场15家→下达责令改正通知书4份")
    assert "→" not in out and "15家" in out and "4份" in out, out
    out = _clause("标准化建设完成了约八成⏳")
    assert "⏳" not in out and "约八成" in out, out


def test_a_plus_joins_two_things_but_not_a_rise_nor_a_name() -> None:
    assert "和" in _clause("权责清单+办事指南在县政府网站更新")
    assert "+" in _clause("推行“互联网+监管”，检查农贸市场12家")
    assert "同比+3家" in _clause("检查加油站28家同比+3家")


def test_an_arrow_back_at_a_line_opens_a_remark_that_is_not_written() -> None:
    out = _clause("罚没款12.4万元←财务股核过，没问题")
    assert "12.4万元" in out and "财务股" not in out and "←" not in out, out


def test_a_clause_that_only_frames_what_followed_is_not_written() -> None:
    """ "据统计，全年…": the reader cut the frame from its sentence; alone it says nothing."""
    assert _clause("据统计") == ""


def test_a_drawn_subtitle_of_a_bulletin_is_not_written() -> None:
    facts = [
        Fact("★ 稽查科：执法办案提质增效", "★ 稽查科：执法办案提质增效", "measures.enforcement", line_no=3),
        Fact(
            "全年查处违法案件86件，罚没款52.3万元",
            "全年查处违法案件86件，罚没款52.3万元",
            "measures.enforcement",
            ["86件", "52.3万元"],
            line_no=4,
        ),
    ]
    text = compose_section(_ctx(facts))
    assert "提质增效" not in text and "★" not in text, text
    assert "86件" in text and "52.3万元" in text, text


# -- verbs: none before a clause that has its own --------------------------------------------------------------


def test_a_clause_that_opens_on_its_own_verb_gets_no_second_verb() -> None:
    for line, head in (
        ("收到群众投诉举报37件", "收到"),
        ("接到12345转办工单118件", "接到"),
        ("移送公安机关涉嫌犯罪案件3起", "移送"),
        ("县人大代表来校视察，提出建议6条", "县人大代表"),
    ):
        out = _clause(line)
        assert out.startswith(head) and "办理收到" not in out and "办理提出" not in out, out


def test_answering_a_suit_is_the_bureaus_deed_not_an_event() -> None:
    """ "一审应诉5件": 应诉 is done by the bureau; "发生…应诉" says it happened to it."""
    out = _clause("行政诉讼一审应诉5件")
    assert "发生" not in out and "应诉5件" in out, out
    assert _clause("行政复议4件").startswith("发生")  # a case brought against it still happened to it


def test_mainly_after_a_count_says_what_it_is_made_of_not_a_task() -> None:
    """ "多了40件，主要是学区划分": what the increase consists of; "重点做好学区划分工作" would invent a task."""
    out = _clause("信访件比去年多了40件，主要是学区划分")
    assert "重点做好" not in out and "学区划分" in out, out
    assert out.startswith("信访件比去年多了40件"), out  # the comparison is its predicate: no "办理" before it
    assert _clause("主要是河道采砂监管工作") == "重点做好河道采砂监管工作"  # said alone: the task


# -- the parts about shortfalls and next year -------------------------------------------------------------------


def test_a_line_that_only_names_the_part_is_no_problem() -> None:
    """ "问题，就是不足，" said aloud before the problems: a heading, not "一是就是不足"."""
    items = [
        (t, parts.role_of(t, [], text=t))
        for t in ("问题，就是不足", "执法人员不够，全局持证的仅5人", "部分村居调解员业务不熟")
    ]
    text = parts.write_shortcomings(items, we="我局", opening="")
    assert "就是不足" not in text, text
    assert text.startswith("一是执法人员不") and "5人" in text and "二是" in text, text


def test_a_verb_said_not_done_is_not_turned_round_into_a_plan() -> None:
    """ "场地一直没落实": the negation stays before its verb, never "落实场地一直没"."""
    lead, _rest = parts.plan_point("调解室场地一直没落实")
    assert "落实场地一直没" not in lead and "没落实" in lead, lead


def test_a_label_before_numbered_items_is_no_plan_and_the_items_are_plans() -> None:
    text = parts.write_plans(
        [
            "没办完的：1.区级法律援助工作站年内挂牌，推迟到明年；2.《社会救助家庭经济状况核对办法》修订稿报县政府"
        ]
    )
    assert "没办完的" not in text and "1." not in text and "2." not in text, text
    assert "一是" in text and "二是" in text, text


def test_a_copula_after_its_subject_is_the_predicate() -> None:
    """ "民主测评等次为“优秀”": 为 after the subject says what it is; "落实民主测评…" doubles a verb."""
    out = _clause("局长在县委依法治县委员会会议上述法，民主测评等次为“优秀”")
    assert "落实" not in out and out.endswith("民主测评等次为“优秀”"), out
    assert _clause("群众评议结果为“满意”") == "群众评议结果为“满意”"


def test_a_questionnaires_question_and_its_answer_label_are_not_written() -> None:
    """ "问2：…请列出具体做法" is what the form asks; "答：是。" labels and affirms the answer that follows."""
    assert _clause("问2：请列出具体做法") == ""
    out = _clause("答：是。局长全年主持局务会研究法治工作3次")
    assert out.startswith("局长全年主持局务会"), out
    assert _clause("答：列入县政府重大行政决策目录的共2项").startswith("列入"), _clause("答：列入目录的共2项")


def test_a_plan_that_opens_on_its_verb_keeps_its_order() -> None:
    """ "推动校园安全管理办法修订": 推动 is the plan's verb, 修订 names what is pushed; "修订推动…" turns the wrong
    verb round. An object said first still is turned round ("校车安全管理办法修订" → "修订…")."""
    for line in ("推动校园安全管理办法修订", "完成学生资助管理细则修订"):
        lead, _rest = parts.plan_point(line)
        assert lead == line, lead
    lead, _rest = parts.plan_point("校车安全管理办法修订")
    assert lead.startswith("修订校车安全管理办法"), lead
