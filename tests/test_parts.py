"""The parts written as numbered points: 存在的不足和原因 and 下一年度主要安排 (drafting/parts.py).

Table-driven: each rule on lines in other bureaus' wording (none of them from the shared notes), then three whole
notes of other bureaus through the composer, and the rule that no figure is added, changed or lost.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from prose_properties import has_predicate, prose_problems, rewrite_problems, sentences

from core.types import Fact
from drafting.engines.base import SectionContext
from drafting.engines.offline.compose import OfflineEngine, preamble_text
from drafting.engines.offline.parts import (
    inline_items,
    plan_clause,
    plan_lines,
    plan_point,
    problem_point,
    remedy_label_of,
    role_of,
    split_clauses,
    strip_plan_prefix,
    write_plans,
    write_shortcomings,
)
from drafting.engines.offline.register import we_of
from drafting.text.numbers import find_figures

# (problem line in written register, lead, sentences, countermeasures carried at its end)
PROBLEM_CASES = [
    # The line opens with its judgement: it leads, the facts follow as a sentence of their own.
    ("卫生监督力量不足，每万人口卫生监督员不到1人", "卫生监督力量不足", ["每万人口卫生监督员不到1人。"], []),
    # Two judgements in a row lead together.
    (
        "基层执法人员法律素养参差不齐，持证率偏低，部分市场监管所仅有2名持证人员",
        "基层执法人员法律素养参差不齐，持证率偏低",
        ["部分市场监管所仅有2名持证人员。"],
        [],
    ),
    # Judgement after a concession: stated first, repeated as "但仍……"; a dated past event is followed by "目前，".
    (
        "2023年3月完成机构改革，人员结构老化，虽然开展了岗位练兵，办案能力有待提升",
        "办案能力有待提升",
        ["2023年3月完成机构改革，目前，人员结构老化，虽然开展了岗位练兵，但办案能力仍有待提升。"],
        [],
    ),
    # Opening judgement and a concession inside: the concession gets its "但".
    (
        "智慧监管手段不足，虽然已建成特种设备监管平台，数据共享还不够顺畅",
        "智慧监管手段不足",
        ["虽然已建成特种设备监管平台，但数据共享还不够顺畅。"],
        [],
    ),
    # A step under way is its own sentence, "目前，正在……".
    (
        "执法装备标准不高，部分执法记录仪无法联网；正在与供应商协商更换",
        "执法装备标准不高",
        ["部分执法记录仪无法联网。", "目前，正在与供应商协商更换。"],
        [],
    ),
    # A bare noun phrase after the judgement names its instance: "如……，".
    (
        "信息化水平不高，移动执法平台，数据还是本地存储",
        "信息化水平不高",
        ["如移动执法平台，数据还是本地存储。"],
        [],
    ),
    # An announcement of the problem goes; a countermeasure at the end leaves the point.
    (
        "问题主要是学校法治副校长作用发挥不充分，有的只挂名；下一步将建立履职考核制度",
        "学校法治副校长作用发挥不充分",
        ["有的只挂名。"],
        ["将建立履职考核制度"],
    ),
    # The judgement holds a figure after a concession: it is not copied in front (no figure is written twice).
    (
        "虽然招录了新人，持证人员仍不足30%",
        "",
        ["虽然招录了新人，但持证人员仍不足30%。"],
        [],
    ),
    # No judgement of its own: the line stays one sentence, nothing is invented to lead it.
    ("复议案件量翻了一倍，复议人员只有5名", "", ["复议案件量翻了一倍，复议人员只有5名。"], []),
    # A judgement of speech leads in written words ("有待提高") and holds still after its concession.
    (
        "虽然组织了3次文物执法培训，文物执法水平还是跟不上",
        "文物执法水平有待提高",
        ["虽然组织了3次文物执法培训，但文物执法水平仍难以适应工作需要。"],
        [],
    ),
    ("统计数据质量上不去，部分企业填报靠估算", "统计数据质量有待提升", ["部分企业填报靠估算。"], []),
    # A judgement at the end is not lifted: the sentence reads well as it stands.
    (
        "执法人员只有23人，要监管4000多家企业，监管力量明显不够",
        "",
        ["执法人员只有23人，要监管4000多家企业，监管力量明显不够。"],
        [],
    ),
]


@pytest.mark.parametrize(("line", "lead", "sentences", "remedies"), PROBLEM_CASES)
def test_problem_point(line, lead, sentences, remedies):
    point, carried = problem_point(line)
    # The shape is pinned (a lead or none, how many sentences and remedies); the wording is judged.
    assert (bool(point.lead), len(point.sentences), len(carried)) == (
        bool(lead),
        len(sentences),
        len(remedies),
    )
    written = "".join([point.lead, *point.sentences, *carried])
    assert not rewrite_problems(line, written, "".join([lead, *sentences, *remedies]))
    assert all(has_predicate(s) for s in [point.lead, *point.sentences] if s)


# (raw line, notes headings, label or None)
REMEDY_CASES = [
    ("对策：积极争取培训经费", [], "对策建议"),
    ("3. **对策**：争取名额招录新人", [], "对策建议"),
    ("【整改措施】完善执法监督制度", [], "整改措施"),
    ("- 下一步：推进数据共享", [], ""),
    ("加强在岗培训", ["对策建议"], "对策建议"),
    ("执法力量不足", ["存在的问题"], None),
    ("建议书办理率100%", [], None),  # a word that starts like a label is not one
]


@pytest.mark.parametrize(("raw", "headings", "label"), REMEDY_CASES)
def test_remedy_label(raw, headings, label):
    assert remedy_label_of(raw, headings) == label


# (plan line in written register, next year, lead, rest)
PLAN_CASES = [
    ("深化理论学习", 2025, "进一步深化理论学习", ""),  # a bare verb of improvement reads as the next step
    ("持续推进“放管服”改革，扩大跨省通办事项", 2025, "持续推进“放管服”改革，扩大跨省通办事项", ""),
    ("2025年要推进行政复议规范化建设", 2025, "推进行政复议规范化建设", ""),  # the heading says when
    ("2024年完成剩余2个片区改造", 2025, "2024年完成剩余2个片区改造", ""),  # not the year after: kept below
    ("明年打算：开展法治校园示范校创建", 2025, "开展法治校园示范校创建", ""),
    ("下一步建议争取培训经费", 2025, "争取培训经费", ""),
    # A label of the notes becomes the point's lead with a verb; the items follow.
    (
        "执法信息化：专线改造、综合执法系统、移动执法终端",
        2025,
        "加快推进执法信息化",
        "推进专线改造、综合执法系统，更新配备移动执法终端",
    ),
    (
        "公共法律服务：建成村法律服务站120个，培养法律明白人500名",
        2025,
        "推进公共法律服务",
        "建成村法律服务站120个，培养法律明白人500名",
    ),
    # A long plan: its first verb phrase leads.
    (
        "加强执法队伍建设，分批轮训执法人员，开展案卷评查，建立执法监督约谈制度",
        2025,
        "进一步加强执法队伍建设",
        "分批轮训执法人员，开展案卷评查，建立执法监督约谈制度",
    ),
]


@pytest.mark.parametrize(("line", "next_year", "lead", "rest"), PLAN_CASES)
def test_plan_point(line, next_year, lead, rest):
    _plan_point_is_like(plan_point(line, next_year), line, lead, rest)


def _plan_point_is_like(point: tuple[str, str], line: str, lead: str, rest: str) -> None:
    """A plan point as reviewed: a lead with a verb, steps where the reviewed one has them, the same figures and
    none of the words of speech the reviewed one dropped (its wording is not pinned)."""
    got_lead, got_rest = point
    assert bool(got_rest) == bool(rest)
    assert not rewrite_problems(line, got_lead + "，" + got_rest, lead + "，" + rest)
    assert has_predicate(got_lead)


def test_plan_prefix_keeps_a_plan_that_starts_with_a_word_like_a_prefix():
    assert strip_plan_prefix("建设智慧监管平台", 2025) == "建设智慧监管平台"
    assert strip_plan_prefix("将要推进执法改革", 2025) == "推进执法改革"


def test_clauses_split_outside_quotes_and_titles():
    assert split_clauses("落实《条例（2023年修订，第二版）》，推广“一件事，一次办”；完成") == [
        ("落实《条例（2023年修订，第二版）》", "，"),
        ("推广“一件事，一次办”", "；"),
        ("完成", "。"),
    ]


# -- whole notes of other bureaus through the composer ------------------------------------------------------------


def _facts(notes: str, key: str) -> list[Fact]:
    facts, heading = [], ""
    for line in notes.strip().splitlines():
        line = line.strip()
        if line.endswith("：") and len(line) < 12:
            heading = line.rstrip("：")
            continue
        text = re.sub(r"^(?:\d+[.、]|-)\s*", "", line)
        text = (
            re.sub(r"^[^：]{1,6}：", "", text) if text.startswith(("对策", "措施", "建议", "整改")) else text
        )
        facts.append(
            Fact(text, line, key, [f.text for f in find_figures(text)], headings=[heading] if heading else [])
        )
    return facts


def _write(notes: str, key: str, unit: str, year: int, leads: list[str], variant: int = 0) -> str:
    ctx = SectionContext(
        key=key,
        heading="",
        title="",
        unit=unit,
        year=year,
        level=1,
        facts=_facts(notes, key),
        leads=leads,
        variant=variant,
    )
    return OfflineEngine().write(ctx)


SHORTCOMINGS_LEAD = ["{year}年，{we}法治政府建设取得了一定成效，但仍存在一些不足。"]
PLANS_LEAD = ["{next_year}年，{we}将重点抓好以下工作："]

MARKET_NOTES = """
存在问题：
1. 基层执法人员法律素养参差不齐，持证率偏低，部分市场监管所仅有2名持证人员
2. 智慧监管手段不足，虽然已建成特种设备监管平台，数据共享还不够顺畅
整改措施：
1. 加强执法人员培训，力争持证率达到95%
2. 推进监管数据与省平台对接
"""

EDUCATION_NOTES = """
问题主要是学校法治副校长作用发挥不充分，有的只挂名；下一步将建立法治副校长履职考核制度
"""

JUSTICE_PLANS = """
明年打算：
- 2025年要推进行政复议规范化建设，复议人员增加到8名
- 公共法律服务：建成村（社区）法律服务站120个、培养法律明白人500名
- 完善行政执法协调监督工作体系
- 深化“八五”普法
"""


ORDINAL = re.compile(r"[一二三四五六七八九十]是")


def _points(text: str) -> list[str]:
    """The numbered points of a part, in order ("" before the first is not a point)."""
    return ORDINAL.split(text)[1:]


def _first_sentence(point: str) -> str:
    return re.split(r"(?<=。)", point)[0]


def test_market_bureau_shortcomings_lead_each_point_and_close_with_measures():
    text = _write(MARKET_NOTES, "shortcomings", "某区市场监督管理局", 2024, SHORTCOMINGS_LEAD)
    assert not prose_problems(MARKET_NOTES, text)
    points = _points(text.split("整改措施：")[0])
    assert len(points) == 2  # the measures are not another shortcoming
    # Each point opens with the notes' own judgement, the facts behind it after.
    assert "持证率偏低" in _first_sentence(points[0]) and "2名" not in _first_sentence(points[0])
    assert "手段不足" in _first_sentence(points[1])
    assert re.search(r"虽然[^。]*，但[^。]*不够顺畅", points[1])  # the concession gets its 但
    # The measures close the part, under the notes' label (a format of the part).
    measures = text.split("整改措施：")[1]
    assert "整改措施：" in text and "力争持证率达到95%" in measures and "省平台对接" in measures


def test_shortcomings_opening_comes_back_with_another_variant():
    text = _write(MARKET_NOTES, "shortcomings", "某区市场监督管理局", 2024, SHORTCOMINGS_LEAD, variant=1)
    assert text.startswith("2024年，我局法治政府建设取得了一定成效，但仍存在一些不足。一是")


def test_education_bureau_single_problem_with_next_step():
    text = _write(EDUCATION_NOTES, "shortcomings", "某县教育体育局", 2024, SHORTCOMINGS_LEAD)
    assert not prose_problems(EDUCATION_NOTES, text)
    assert not _points(text)  # one problem is not numbered
    assert "问题主要是" not in text  # the announcement of speech goes
    said = [s for s in sentences(text)]
    assert "作用发挥不充分" in said[0] and "有的只挂名" in said[1]  # the problem first, then its fact
    assert "建立法治副校长履职考核制度" in said[-1] and "我局" in said[-1]  # the unit takes the next step


def test_justice_bureau_plans_are_points_with_verbs_not_a_chain():
    text = _write(JUSTICE_PLANS, "plans", "某县司法局", 2024, PLANS_LEAD)
    opening = "2025年，我局将重点抓好以下工作："
    assert text.startswith(opening)  # a format: the part's opening sentence
    body = text[len(opening) :]
    assert not prose_problems(JUSTICE_PLANS, body)
    points = _points(body)
    assert len(points) == 4  # one point per plan, not a chain
    assert all(has_predicate(_first_sentence(p)) for p in points)
    assert "2025年要" not in body and "明年打算" not in body  # the heading says when
    assert "公共法律服务：" not in body  # the notes' label leads its point with a verb
    # "进一步" is not said on two points in a row.
    assert not any(
        a.startswith("进一步") and b.startswith("进一步") for a, b in zip(points, points[1:], strict=False)
    )


@pytest.mark.parametrize(
    ("notes", "key"),
    [(MARKET_NOTES, "shortcomings"), (EDUCATION_NOTES, "shortcomings"), (JUSTICE_PLANS, "plans")],
)
def test_no_figure_added_changed_or_lost(notes, key):
    text = _write(notes, key, "某县某局", 2024, SHORTCOMINGS_LEAD if key == "shortcomings" else PLANS_LEAD)
    given = Counter(f.text for fact in _facts(notes, key) for f in find_figures(fact.text))
    opening = Counter(f.text for f in find_figures(text.split("：")[0])) if key == "plans" else Counter()
    written = Counter(f.text for f in find_figures(text))
    # Every figure of the notes is written, none more often than the notes and the opening give it.
    assert set(written) == set(given) | set(opening)
    assert not written - (given + opening)


# -- the frame ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "plan_named"),
    [(2021, True), (2022, True), (2025, True), (2020, False), (2026, False)],
)
def test_preamble_names_the_plan_in_force_in_the_report_year_only(year, plan_named):
    text = preamble_text("某县司法局", year)
    assert text.startswith(f"{year}年，某县司法局")
    assert ("《法治政府建设实施纲要（2021－2025年）》" in text) is plan_named
    assert "《法治政府建设与责任落实督察工作规定》" in text
    assert text.endswith(f"现将{year}年度法治政府建设情况报告如下：")


def test_highlights_are_points_and_a_list_number_of_the_notes_goes():
    facts = [
        Fact("“信用修复一件事”经验做法被省局发文推广", "", "other"),
        Fact("2. 承办全市知识产权保护工作现场会", "", "other"),
    ]
    ctx = SectionContext(
        key="other", heading="", title="", unit="某区市场监督管理局", year=2024, level=1, facts=facts
    )
    text = OfflineEngine().write(ctx)
    assert not prose_problems("\n".join(f.text for f in facts), text)  # "2. " of the notes goes
    points = _points(text)
    assert len(points) == 2 and "省局发文推广" in points[0] and "知识产权保护工作现场会" in points[1]


def test_measures_and_plans_parts_do_not_open_alike():
    from core.config import DEFAULT_OUTLINE
    from drafting.outline import load_outline

    outline = load_outline(DEFAULT_OUTLINE)
    measures, plans = outline.get("measures").lead, outline.get("plans").lead
    # No clause of one part's opening is said again by the other's.
    for m in measures:
        for p in plans:
            assert not set(re.split(r"[，。：]", m)) & set(re.split(r"[，。：]", p)) - {""}


@pytest.mark.parametrize(
    ("notes", "key", "items"),
    [
        # Problems joined by "；" in one line, each with its own judgement: a point each.
        (
            "问题：窗口人员业务能力不强；基层站所执法装备老化",
            "shortcomings",
            ["业务能力不强", "执法装备老化"],
        ),
        # A "；" inside one problem joins its facts: one point.
        ("执法装备标准不高，部分执法记录仪无法联网；正在与供应商协商更换", "shortcomings", []),
        # Plans joined by "；", each opening on its verb: a point each.
        (
            "2025年：推进电子证照扩面；加强执法人员培训；完善听证程序",
            "plans",
            ["电子证照扩面", "执法人员培训", "听证程序"],
        ),
    ],
)
def test_items_joined_by_semicolons(notes, key, items):
    lead = SHORTCOMINGS_LEAD if key == "shortcomings" else PLANS_LEAD
    text = _write(notes, key, "某县交通运输局", 2024, lead)
    body = text.split("工作：", 1)[-1]
    assert not prose_problems(notes, body)
    points = _points(body)
    assert len(points) == len(items) and all(item in p for item, p in zip(items, points, strict=True))
    if not items:  # one problem: its facts follow its judgement, the step under way its own sentence
        said = sentences(text)
        assert "标准不高" in said[0] and "无法联网" in said[1] and "供应商协商更换" in said[2]


CAUSE_NOTES = """
存在问题：
1. 执法人员持证率偏低，部分中队仅有3名持证人员
原因分析：
1. 近两年退休人员多，新招录人员尚未取得执法证
对策：
1. 组织新进人员参加执法资格考试
"""


@pytest.mark.parametrize(
    ("raw", "headings", "role"),
    [
        ("原因：编制不足", [], "原因"),
        ("- 主要原因：培训经费少", [], "原因"),
        ("编制不足", ["原因分析"], "原因"),
        ("原因主要是编制未增加", [], "原因"),  # a line of its own that gives the cause
        ("执法人员少，原因是编制不足", [], None),  # said inside a problem line: it stays there
        ("| 整改措施 | 争取增设协理员岗位 |", [], "整改措施"),  # a table row: the first cell is the label
        ("执法人员少", ["不足和原因"], None),
        ("对策：加强培训", [], "对策建议"),
    ],
)
def test_role_of_a_line(raw, headings, role):
    assert role_of(raw, headings) == role


def _order(text: str, *parts: str) -> list[int]:
    return [text.find(p) for p in parts]


def test_cause_follows_its_problem_not_a_point_of_its_own():
    text = _write(CAUSE_NOTES, "shortcomings", "某县城市管理局", 2024, SHORTCOMINGS_LEAD)
    assert not prose_problems(CAUSE_NOTES, text)
    assert not _points(text) and "原因分析" not in text  # the cause is no second problem
    at = _order(text, "持证率偏低", "3名持证人员", "新招录人员尚未取得执法证", "对策建议：", "执法资格考试")
    assert -1 not in at and at == sorted(at)  # problem, its facts, its cause, then the measures


def test_cause_after_several_problems_is_said_of_them_all_and_one_between_of_the_one_before():
    after_all = "执法人员持证率偏低\n数字城管平台功能单一\n原因：近两年退休人员多"
    text = _write(after_all, "shortcomings", "某县城市管理局", 2024, SHORTCOMINGS_LEAD)
    points = _points(text)
    assert not prose_problems(after_all, text) and len(points) == 2
    assert "退休人员" in points[1] and "退休人员" not in _first_sentence(points[1])  # after all the problems
    assert "上述问题" in points[1]  # said of them all
    between = "执法人员持证率偏低\n原因：近两年退休人员多\n数字城管平台功能单一"
    text = _write(between, "shortcomings", "某县城市管理局", 2024, SHORTCOMINGS_LEAD)
    points = _points(text)
    assert not prose_problems(between, text) and len(points) == 2
    assert "退休人员" in points[0] and "退休人员" not in points[1]  # said of the problem before it


def test_a_step_with_no_problem_stated_closes_the_part_even_without_a_label():
    notes = "窗口人员业务能力不强\n基层站所执法装备老化\n积极争取装备更新经费，加强窗口人员轮岗培训"
    text = _write(notes, "shortcomings", "某县交通运输局", 2024, SHORTCOMINGS_LEAD)
    points = _points(text)
    assert not prose_problems(notes, text) and len(points) == 2  # the step is no third problem
    last = sentences(text)[-1]
    assert (
        "装备更新经费" in last and "轮岗培训" in last and "我局" in last
    )  # it closes the part, the unit acts
    # A line that states a problem stays a problem even when it opens like a step.
    notes = "加强执法监督的手段还不够，案卷评查覆盖面偏窄\n基层站所执法装备老化"
    assert _write(notes, "shortcomings", "某县交通运输局", 2024, SHORTCOMINGS_LEAD).startswith(
        "一是加强执法监督的手段仍显不足，案卷评查覆盖面偏窄。二是"
    )


def test_single_problem_with_two_judgements_reads_as_one_noun_phrase():
    notes = "执法人员法律素养参差不齐，持证率偏低，部分中队仅有3名持证人员"
    text = _write(notes, "shortcomings", "某县城市管理局", 2024, SHORTCOMINGS_LEAD)
    said = sentences(text)
    assert not prose_problems(notes, text) and not _points(text)
    assert "参差不齐" in said[0] and "持证率偏低" in said[0] and "，" not in said[0]  # one noun phrase
    assert "3名持证人员" in said[1]


def test_a_cause_line_that_concedes_and_judges_is_a_problem():
    notes = "执法装备老化\n原因：虽然开展了岗位练兵，办案能力还是跟不上"
    text = _write(notes, "shortcomings", "某县交通运输局", 2024, SHORTCOMINGS_LEAD)
    points = _points(text)
    assert not prose_problems(notes, text) and len(points) == 2
    assert "跟不上" not in text and "原因" not in text  # a judgement of speech, written; no cause
    assert "办案能力" in _first_sentence(points[1])  # the judgement leads its point
    assert re.search(r"虽然开展了岗位练兵，但", points[1])


CHAT_NOTES = [
    "问题的话，一是执法人员少，全区就14个人，要管1800多家排污单位；二是非现场监管还是起步阶段，在线监控数据用得不够",
    "原因主要是编制一直未增加",
]


def test_notes_own_ordinals_and_a_cause_line_in_chat_wording():
    facts = [Fact(t, t, "shortcomings", [f.text for f in find_figures(t)]) for t in CHAT_NOTES]
    ctx = SectionContext(
        key="shortcomings", heading="", title="", unit="某区生态环境分局", year=2024, level=1, facts=facts
    )
    text = OfflineEngine().write(ctx)
    points = _points(text)
    assert not prose_problems("\n".join(CHAT_NOTES), text) and len(points) == 2  # the notes' 一是/二是 once
    assert "问题的话" not in text and "原因主要是" not in text  # the topic and cause of speech go
    assert "14个人" in points[0] and "1800多家" in points[0] and "在线监控" in points[1]
    assert "编制一直未增加" in sentences(text)[-1]  # the cause, said of both problems, closes the part


@pytest.mark.parametrize(
    ("line", "lead", "rest"),
    [
        ("殡葬领域：推进殡葬改革，规范公益性公墓管理", "在殡葬领域，推进殡葬改革，规范公益性公墓管理", ""),
        ("还有要把“双随机”抽查比例提到10%", "把“双随机”抽查比例提到10%", ""),
        ("二是完善社会救助审批规程", "进一步完善社会救助审批规程", ""),
        ("再把低保积案清零", "进一步实现低保积案清零", ""),  # an end state brought about
    ],
)
def test_plan_areas_ba_sentences_and_own_ordinals(line, lead, rest):
    _plan_point_is_like(plan_point(line, 2025), line, lead, rest)


# (plan clause as spoken, in written register, the clause as a report writes it): one row per rule, in the words of
# other bureaus (民政, 文旅, 统计, 退役军人事务) and shapes of speech the bundled notes do not have.
PLAN_CLAUSE_CASES = [
    # 把 + object + (再) + verb + (一下/一遍/起来/下去/完): the verb goes first, 再 reads 进一步.
    ("把低保对象档案再梳理一下", "进一步梳理低保对象档案"),  # any verb jieba knows ends a 把 clause
    ("把社会组织年检再抓规范", "进一步规范社会组织年检"),  # 抓 + verb: the spoken 抓 only says it is done
    ("把困难退役军人帮扶台账建起来", "建立困难退役军人帮扶台账"),  # 建 of a register is 建立
    ("把优抚对象走访慰问工作推下去", "持续推进优抚对象走访慰问工作"),
    ("把文化市场执法培训开展一遍", "开展文化市场执法培训"),  # an activity is carried out
    ("把图书馆、文化馆、博物馆这几个场馆的免费开放推下去", "持续推进图书馆、文化馆、博物馆等场馆的免费开放"),
    # Object + modal/adverb + verb: a verb that can be a noun is carried forward, the others act on the object.
    ("统计执法检查系统要升级", "推进统计执法检查系统升级"),
    ("统计数据造假问责办法再完善", "进一步完善统计数据造假问责办法"),
    ("执法检查范围再扩大", "进一步扩大执法检查范围"),
    ("养老机构等级评定要再规范一步", "进一步规范养老机构等级评定"),
    ("退役军人服务站标准化建设继续推", "继续推进退役军人服务站标准化建设"),
    ("“一件事一次办”继续推", "继续推进“一件事一次办”"),
    ("社会救助资金要管好", "管好社会救助资金"),
    ("婚姻登记系统改造完", "完成婚姻登记系统改造"),
    ("档案数字化改造完成", "完成档案数字化改造"),
    ("殡仪馆火化设备升级改造", "推进殡仪馆火化设备升级改造"),  # two verbs of change, one carried forward
    ("把养老机构“双随机”抽查再开展规范点", "进一步规范养老机构“双随机”抽查"),  # 搞规范点 in speech
    ("救助审批系统和低保系统均要升级", "推进救助审批系统和低保系统升级"),
    ("把退役军人档案数字化弄完", "完成退役军人档案数字化"),  # 弄 only says "do": the task is the object
    ("得把景区执法队伍充实一下", "充实景区执法队伍"),
    ("统计执法人员均过一遍培训", "开展统计执法人员全员培训"),
    ("继续推“一网通办”", "继续推进“一网通办”"),
    ("A级景区复核等工作要抓紧", "抓紧推进A级景区复核等工作"),
    ("把“九五”普法验收迎检准备好", "做好“九五”普法验收迎检准备"),
    ("2025年还有A级景区复核这几项工作要抓紧", "2025年抓紧推进A级景区复核等工作"),  # a time of its own stays
    ("婚姻登记系统争取上线", "推动婚姻登记系统上线"),
    ("星级饭店消防评估结果落实", "落实星级饭店消防评估结果"),  # a verb of a task turns the clause round bare
    # A bare spoken verb of one syllable at a plan's start: the written verb, chosen by its object.
    ("建婚姻登记预约平台", "建设婚姻登记预约平台"),
    ("建殡葬服务监管机制", "建立殡葬服务监管机制"),
    ("推殡葬改革", "推进殡葬改革"),
    ("推文旅市场首违不罚制度", "推行文旅市场首违不罚制度"),
    ("再开展统计法律知识竞赛", "进一步开展统计法律知识竞赛"),
    ("全员过一次统计法考试", "开展全员统计法考试"),
    ("开展全员过一次档案法考试", "开展全员档案法考试"),  # the verb is said once
    # A thing's own change: the bureau brings it about.
    ("全市景区门票预约均接入省平台", "推动全市景区门票预约全部接入省平台"),
    ("医保考核与基金监管挂钩", "推动医保考核与基金监管挂钩"),
    ("河湖巡查与水政执法衔接", "推动河湖巡查与水政执法衔接"),
    # Left as they are: a figure, a body that acts, a verb of aim, a count, a predicate already first.
    ("把救助标准提高到每月800元", "把救助标准提高到每月800元"),
    ("执法大队要加强", "执法大队要加强"),
    ("争取增加执法编制", "争取增加执法编制"),
    ("每半年组织一次统计执法检查", "每半年组织一次统计执法检查"),
    ("开展执法案卷评查全覆盖", "开展执法案卷评查全覆盖"),
    ("做到文物安全巡查全覆盖", "做到文物安全巡查全覆盖"),
    ("做到全覆盖", "做到全覆盖"),
    ("推广网上立案", "推广网上立案"),
    ("建好退役军人之家", "建好退役军人之家"),  # "建好" is written already
]


@pytest.mark.parametrize(("spoken", "written"), PLAN_CLAUSE_CASES)
def test_plan_clause(spoken, written):
    assert not rewrite_problems(spoken, plan_clause(spoken), written)


@pytest.mark.parametrize(
    ("line", "lead", "rest"),
    [
        # Steps said object first are parallel steps of one point, not an aim and its steps.
        (
            "婚姻登记系统要升级，殡葬管理系统上线，配移动执法终端",
            "推进婚姻登记系统升级，推动殡葬管理系统上线，配备移动执法终端",
            "",
        ),
        # "进一步" once in a plan: the later steps belong to the same further effort.
        (
            "养老机构消防设施要再完善，等级评定范围再扩大",
            "进一步完善养老机构消防设施，扩大等级评定范围",
            "",
        ),
        # Under a label of the notes, the steps are turned round too.
        (
            "文旅执法信息化：执法记录仪要换代，执法办案系统争取上线",
            "加快推进文旅执法信息化",
            "推进执法记录仪换代，推动执法办案系统上线",
        ),
        # Two steps that open on the same verb share it.
        (
            "把网格员轮训搞一遍，全员过一次消防演练",
            "开展网格员轮训、全员消防演练",
            "",
        ),
    ],
)
def test_plan_point_turns_its_steps_round(line, lead, rest):
    _plan_point_is_like(plan_point(line, 2025), line, lead, rest)


# (plan line in written register, the plans it holds)
PLAN_LINE_CASES = [
    # Two plans joined by a connective are two points; "再" stays to read "进一步".
    ("推进婚姻登记“跨省通办”，同时开展殡葬执法培训", ["推进婚姻登记“跨省通办”", "开展殡葬执法培训"]),
    ("推行养老服务监管清单，再把护理员培训开展起来", ["推行养老服务监管清单", "再把护理员培训开展起来"]),
    ("推进文物安全巡查，还有非遗保护条例宣传", ["推进文物安全巡查", "非遗保护条例宣传"]),
    # One plan with its steps stays one.
    ("推进统计执法规范化建设，争取执法人员增加到6名", ["推进统计执法规范化建设，争取执法人员增加到6名"]),
    # A list broken off by "这些，还有" or inside a 把 clause is one list.
    (
        "低保、特困、临时救助这些，还有残疾人两项补贴要再规范",
        ["低保、特困、临时救助、残疾人两项补贴要再规范"],
    ),
    (
        "把低保、特困、临时救助，还有残疾人两项补贴再规范一下",
        ["把低保、特困、临时救助、残疾人两项补贴再规范一下"],
    ),
]


@pytest.mark.parametrize(("line", "plans"), PLAN_LINE_CASES)
def test_plan_lines(line, plans):
    assert plan_lines(line, 2025) == plans


# (spoken plan line as pasted, unit, the 安排 part): register table, plan rules and composer together.
SPOKEN_PLAN_CASES = [
    (
        [
            "明年要把低保、特困、临时救助这些，还有残疾人两项补贴再规范一下",
            "明年想推殡葬改革，再把公墓年检搞起来",
        ],
        "某县民政局",
        "一是进一步规范低保、特困、临时救助、残疾人两项补贴。二是推进殡葬改革。三是进一步开展公墓年检。",
    ),
    (
        [
            "下一步：统计执法检查系统要升级，统计数据造假问责办法再完善",
            "下一步：全员过一次统计法考试，参考率达到95%",
        ],
        "某县统计局",
        "一是推进统计执法检查系统升级，进一步完善统计数据造假问责办法。二是开展全员统计法考试，参考率达到95%。",
    ),
    (
        ["明年建退役军人服务站评星机制，站点都接入省信息系统", "八五普法继续抓"],
        "某县退役军人事务局",
        "一是建立退役军人服务站评星机制，推动站点全部接入省信息系统。二是继续抓好“八五”普法。",
    ),
]


@pytest.mark.parametrize(("lines", "unit", "written"), SPOKEN_PLAN_CASES)
def test_spoken_plans_read_as_a_report(lines, unit, written):
    opening = f"2025年，{we_of(unit)}将重点抓好以下工作："
    text = _write("\n".join(lines), "plans", unit, 2024, PLANS_LEAD)
    assert text.startswith(opening)  # a format: the part's opening sentence
    body = text[len(opening) :]
    ordinals = re.compile(r"[一二三四五六七八九十]是")
    assert len(ordinals.findall(body)) == len(ordinals.findall(written))  # one point per plan
    assert not rewrite_problems("\n".join(lines), ordinals.sub("", body), ordinals.sub("", written))
    assert all(has_predicate(s) for s in sentences(body))
    notes = Counter(f.text for t in lines for f in find_figures(t))
    assert (
        Counter(f.text for f in find_figures(text[len(opening) :])) == notes
    )  # every figure kept, none added


def test_points_numbered_inline_on_one_line_are_points_of_their_own():
    line = "一是档案库房面积不足，库容仅剩5%；二是数字化扫描进度偏慢"
    assert inline_items(line) == ["档案库房面积不足，库容仅剩5%", "数字化扫描进度偏慢"]
    assert inline_items("库房面积不足，一是说不清") == ["库房面积不足，一是说不清"]  # not a second point
    assert inline_items("推进档案数字化；②扩建库房；③开展执法检查") == [
        "推进档案数字化",
        "扩建库房",
        "开展执法检查",
    ]
    text = write_shortcomings([(line, None)], we="我局")
    assert text.startswith("一是") and "二是数字化扫描进度偏慢" in text and "5%" in text


def test_plans_joined_by_semicolons_on_one_line_are_numbered_points():
    text = write_plans(["推进档案数字化；档案库房要扩建；开展档案执法检查"], opening="", next_year=None)
    assert text.count("是") >= 3 and text.startswith("一是") and "三是" in text


def test_a_second_problem_after_a_semicolon_is_a_point_of_its_own():
    line = "档案执法人员较少，全局持证的仅3人；基层档案员变动较大，业务不熟"
    text = write_shortcomings([(line, None)], we="我局")
    assert text.startswith("一是") and "二是基层档案员变动较大" in text
