"""Verification and repair on hand-built sections: each check must catch what it names."""

from core.types import Fact, Section, Source
from drafting.checks.verify import Evidence, verbatim_share, verify_section
from drafting.engines.base import SectionContext
from drafting.engines.offline.compose import OfflineEngine, enumerate_clauses, officialise, we_of
from drafting.repair import append_missing, drop_clauses_with

LAW = "第五条 行政处罚遵循公正、公开的原则。\n设定和实施行政处罚必须以事实为依据。"
PAST = "2023年，共出动执法车辆560辆次，对企业实施处罚745起，罚款金额58.07万元。"


def docs(title: str) -> str:
    return {"行政处罚法": LAW, "往年报告": PAST}.get(title, "")


def evidence(facts: list[Fact]) -> Evidence:
    notes = "\n".join(f.text for f in facts)
    return Evidence(notes_text=notes, facts=facts, past_reports=[PAST], year=2024)


FACTS = [
    Fact(text="全年办理行政处罚案件98件，罚没款合计27.4万元", raw="", key="k", figures=["98件", "27.4万元"])
]
SOURCES = {
    1: Source(1, "行政处罚法", "law", "第五条", "行政处罚遵循公正、公开的原则"),
    2: Source(2, "行政处罚法", "law", "第五条", "行政处罚遵循公平原则"),  # not verbatim
}


def test_clean_section_passes():
    sec = Section(
        "k",
        "（一）行政执法",
        "坚持“行政处罚遵循公正、公开的原则”[1]。全年办理行政处罚案件98件，罚没款合计27.4万元。",
    )
    checks = verify_section(sec, SOURCES, evidence(FACTS), docs)
    assert checks.problems() == 0


def test_each_problem_is_caught():
    text = "全年办理行政处罚案件98件[2]，出动执法车辆560辆次，查处违章车辆268辆[9]。"
    checks = verify_section(Section("k", "h", text), SOURCES, evidence(FACTS), docs)
    assert checks.facts_missing == ["27.4万元"]
    assert checks.carried_over == ["560辆次"]
    assert checks.numbers_unsupported == ["268辆"]
    assert checks.citations_unresolved == ["[2]", "[9]"]


def test_number_in_cited_quote_is_supported():
    sources = {1: Source(1, "行政处罚法", "law", "第五条", "设定和实施行政处罚必须以事实为依据")}
    sec = Section("k", "h", "全年办理行政处罚案件98件，罚没款合计27.4万元。")
    assert verify_section(sec, sources, evidence(FACTS), docs).problems() == 0


def test_drop_clause_keeps_note_figures():
    text = "全年办理行政处罚案件98件，出动执法车辆560辆次，罚没款合计27.4万元，共处罚745起。"
    out, removed, kept = drop_clauses_with(text, ["560辆次", "745起"], ["98件", "27.4万元"])
    assert out == "全年办理行政处罚案件98件，罚没款合计27.4万元。"
    assert removed == ["出动执法车辆560辆次，", "共处罚745起。"]
    assert kept == []
    out2, removed2, kept2 = drop_clauses_with("办理案件98件和560辆次。", ["560辆次"], ["98件"])
    assert out2 == "办理案件98件和560辆次。" and kept2 == ["560辆次"] and removed2 == []


def test_append_missing():
    assert (
        append_missing("坚持依法行政。", ["罚没款合计27.4万元"]) == "坚持依法行政。此外，罚没款合计27.4万元。"
    )


def test_verbatim_share():
    prior = "严格规范公正文明执法，以三亮为要求，规范执法证件管理。"
    assert verbatim_share("严格规范公正文明执法，以三亮为要求，规范执法证件管理。", prior) == 1.0
    assert verbatim_share("全年办理行政处罚案件98件。", prior) == 0.0


def test_offline_engine_carries_every_fact_and_cites_only_what_a_sentence_rests_on():
    ctx = SectionContext(
        key="measures.enforcement",
        heading="（一）严格规范公正文明执法",
        title="严格规范公正文明执法",
        unit="某县交通运输局",
        year=2024,
        level=2,
        facts=[*FACTS, Fact(text="开展治超联合执法行动十五次", raw="", key="k", figures=["十五次"])],
        sources=[Source(1, "行政处罚法", "law", "第五条", "行政处罚遵循公正、公开的原则", role="basis")],
        leads=["{we}坚持严格规范公正文明执法{basis}。"],
    )
    text = OfflineEngine().write(ctx)
    # No sentence rests on the principle of 公正、公开: the clause is not cited for decoration.
    assert text == (
        "我局坚持严格规范公正文明执法。全年办理行政处罚案件98件，罚没款合计27.4万元。开展治超联合执法行动十五次。"
    )
    concise = OfflineEngine().write(SectionContext(**{**ctx.__dict__, "concise": True}))
    assert concise == "全年办理行政处罚案件98件，罚没款合计27.4万元。开展治超联合执法行动十五次。"
    public = Fact(text="行政处罚决定信息按时公开公示", raw="", key="k")
    cited = OfflineEngine().write(SectionContext(**{**ctx.__dict__, "facts": [*ctx.facts, public]}))
    assert cited.endswith("行政处罚决定信息按时公开公示[1]。") and cited.count("[1]") == 1


def test_style_helpers():
    assert (
        we_of("东昌府区交通运输局") == "我局"
        and we_of("某县司法所") == "我所"
        and we_of("某公司") == "本单位"
    )
    # 跟 → 与 on jieba tokens; an act done with others is carried out (开展), once for both clauses.
    assert (
        officialise("跟兄弟单位交叉执法，跟公安、环保联合执法")
        == "开展与兄弟单位交叉执法，与公安、环保联合执法"
    )
    assert (
        enumerate_clauses(["深化理论学习", "推进“四基四化”建设"])
        == "一是深化理论学习；二是推进“四基四化”建设。"
    )


def test_items_after_a_lead_in_are_judged_on_their_own():
    """ "……重点抓好以下工作：推进“…”创建；……" is the tool's lead-in and three note items, not an invention."""
    plans = [Fact(text="推进“依法治校”示范创建；加强执法队伍建设；完善学区划片决策程序", raw="", key="plans")]
    ev = Evidence(
        notes_text=plans[0].text,
        facts=plans,
        year=2024,
        formulas=["2025年，我局将紧紧围绕法治政府建设目标任务，重点抓好以下工作："],
    )
    text = (
        "2025年，我局将紧紧围绕法治政府建设目标任务，重点抓好以下工作：推进“依法治校”示范创建；"
        "加强执法队伍建设；完善学区划片决策程序。"
    )
    checks = verify_section(Section("plans", "四、2025年主要安排", text), {}, ev, docs)
    assert checks.sections_unsupported == [] and checks.sentences_unsupported == []
    invented = text.replace("推进“依法治校”示范创建", "创建“全国文明校园”“省级示范校”")
    checks = verify_section(Section("plans", "四、2025年主要安排", invented), {}, ev, docs)
    assert checks.sentences_unsupported or checks.claims_unsupported  # the item the notes do not hold is seen


def test_the_composer_cites_no_clause_the_verifier_would_strip():
    from drafting.engines.offline.compose import cite_where_supported

    quote = "行政强制措施由法律设定。尚未制定法律，且属于国务院行政管理职权事项的，行政法规可以设定"
    unrelated = Source(1, "行政强制法", "law", "第十条", quote, role="basis")
    # Three shared bigrams (法律, 尚未 …) were enough before; none of the clause's topic (强制措施, 设定) is here.
    text = "组织执法人员学习新修订的法律法规，尚未持证的人员全部参加培训，全年办理行政处罚案件98件。"
    assert "[1]" not in cite_where_supported(text, [unrelated])
    fitting = Source(1, "行政处罚法", "law", "第五条", "行政处罚遵循公正、公开的原则", role="basis")
    cited = cite_where_supported("行政处罚坚持公正、公开的原则，全年办理行政处罚案件98件。", [fitting])
    assert "[1]" in cited
    # The marker ends the last clause after ；, and that clause is what the verifier judges.
    review = Source(
        1, "优化营商环境条例", "law", "第六十二条", "制定行政规范性文件，应当进行合法性审核", role="basis"
    )
    split = "重大行政决策均经合法性审核；全年组织执法培训3期，培训执法人员120人次。"
    assert "[1]" not in cite_where_supported(split, [review])
    # A word of the heading is no reason to cite: the sentence itself must rest on the clause.
    lead = "我局党政主要负责人认真履行推进法治建设第一责任人职责，带头尊法学法守法用法。"
    coercion = Source(
        2,
        "行政强制法",
        "law",
        "第二十一条",
        "行政机关负责人认为不应当采取行政强制措施的，应当立即解除",
        role="basis",
    )
    assert "[2]" not in cite_where_supported(
        lead, [coercion], heading="二、党政主要负责人履行推进法治建设第一责任人职责"
    )
    # What the verifier would strip with the section heading in view is not cited either.
    filed = "出台规范性文件3件，均按要求报备。"
    quote = "制定涉及市场主体权利义务的行政规范性文件，应当按照国务院的规定进行合法性审核"
    review_in_full = Source(3, "优化营商环境条例", "law", "第六十二条", quote, role="basis")
    assert "[3]" not in cite_where_supported(filed, [review_in_full], heading="（二）完善依法行政制度体系")


def test_a_line_put_back_by_repair_is_in_written_register_for_the_unit_and_year():
    from core.types import Checks
    from drafting.repair import repair

    lost = Fact(text="我们去年9月组建了综合执法队伍，共45人", raw="", key="k", figures=["45人"])
    section = Section("k", "（一）行政执法", "全年办理行政处罚案件98件。")
    checks = Checks(facts_missing=["45人"])
    fixed, repairs = repair(section, checks, [*FACTS, lost], {}, year=2024, unit="某县交通运输局")
    assert "45人" in fixed.text and repairs
    assert "2023年9月" in fixed.text and "去年" not in fixed.text
    assert "我局" in fixed.text and "我们" not in fixed.text


def test_a_staff_name_in_the_text_is_red():
    """Whatever writer put it there (an LLM reads the notes too), a colleague's name in the report is an error."""
    facts = [
        Fact(
            text="全年办理行政处罚案件98件，罚没款合计27.4万元", raw="", key="k", figures=["98件", "27.4万元"]
        )
    ]
    notes = "执法股孙丽：全年办理行政处罚案件98件，罚没款合计27.4万元，邹股长带队"
    ev = Evidence(notes_text=notes, facts=facts, past_reports=[PAST], year=2024)
    clean = "全年办理行政处罚案件98件，罚没款合计27.4万元。"
    named = "执法股孙丽报告，全年办理行政处罚案件98件，罚没款合计27.4万元，由邹股长带队。"
    assert verify_section(Section("k", "h", clean), SOURCES, ev, docs).problems() == 0
    checks = verify_section(Section("k", "h", named), SOURCES, ev, docs)
    assert sorted(checks.listed("people_named")) == ["孙丽", "邹股长"]
    assert checks.status().level == "red"
