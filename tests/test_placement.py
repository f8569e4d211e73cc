"""Notes in every shape offices send → structured lines → placed facts (key, reason, confidence, origin)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.placement import SentenceBank
from drafting.notes.reading import read_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def placed(notes: str, outline, year: int = 2024) -> dict[str, str]:
    return {f.text: f.key for f in parse_notes(notes, outline, year=year).facts}


# (shape, notes, {fact text: expected key}, covering lines)
SHAPES = [
    (
        "bracket labels",
        "【组织领导】\n局党组专题研究法治建设4次\n【执法监管】\n出动执法人员320人次，查处案件41件\n"
        "[不足]\n执法装备老化\n",
        {
            "局党组专题研究法治建设4次": "measures.organization",
            "出动执法人员320人次，查处案件41件": "measures.enforcement",
            "执法装备老化": "shortcomings",
        },
        ["【组织领导】", "【执法监管】", "[不足]"],
    ),
    (
        "numbered headings 一、（一）1.",
        "一、依法行政\n（一）规范性文件\n1. 清理规范性文件6件\n2. 合法性审核12件\n（二）执法\n1. 行政处罚55件\n"
        "二、存在问题\n1. 执法人员年龄偏大\n三、下一步打算\n1. 推进执法数字化\n",
        {
            "清理规范性文件6件": "measures.rules",
            "合法性审核12件": "measures.rules",
            "行政处罚55件": "measures.enforcement",
            "执法人员年龄偏大": "shortcomings",
            "推进执法数字化": "plans",
        },
        ["一、依法行政", "（一）规范性文件", "二、存在问题", "三、下一步打算"],
    ),
    (
        "numbered items (1) ① 1、",
        "1、全年办理行政复议案件5件\n(2) 开展宪法宣传周活动8场\n① 修订应急预案3个\n",
        {
            "全年办理行政复议案件5件": "measures.disputes",
            "开展宪法宣传周活动8场": "measures.publicity",
            "修订应急预案3个": "measures.emergency",
        },
        [],
    ),
    (
        "markdown and bold",
        "# 某县司法局2024年法治建设材料（办公室汇总）\n## 普法\n- 开展民法典宣讲40场\n"
        "**主要负责人**：局长带头述法\n**问题**：基层法律服务力量薄弱\n",
        {
            "开展民法典宣讲40场": "measures.publicity",
            "局长带头述法": "leadership",
            "基层法律服务力量薄弱": "shortcomings",
        },
        ["# 某县司法局2024年法治建设材料（办公室汇总）", "## 普法"],
    ),
    (
        "colon headings and topic prefixes",
        "主要工作：\n办理人大建议、政协提案21件\n问题：执法力量不足\n明年：推进综合查一次\n"
        "下一步：完善执法监督机制\n亮点：调解经验在全市推广\n",
        {
            "办理人大建议、政协提案21件": "measures.oversight",
            "执法力量不足": "shortcomings",
            "推进综合查一次": "plans",
            "完善执法监督机制": "plans",
            "调解经验在全市推广": "other",
        },
        ["主要工作："],
    ),
    (
        "office prefixes are origins, not topics",
        "办公室：全年在政府网站发布信息40条\n法规股：重大行政决策听证2次\n执法大队：立案查处违法案件63件\n"
        "审批股方面，新办证照1200件\n",
        {
            "全年在政府网站发布信息40条": "measures.oversight",
            "重大行政决策听证2次": "measures.decisions",
            "立案查处违法案件63件": "measures.enforcement",
        },
        [],
    ),
    (
        "covering lines",
        "2024年法治政府建设工作情况（办公室整理，起草参考）\n下面是各科室发来的（群里汇总）\n先给这些：\n"
        "全年行政处罚98件\n以上仅供起草参考\n",
        {"全年行政处罚98件": "measures.enforcement"},
        [
            "2024年法治政府建设工作情况（办公室整理，起草参考）",
            "下面是各科室发来的（群里汇总）",
            "先给这些：",
            "以上仅供起草参考",
        ],
    ),
    (
        "tab table",
        "项目\t数量\n新办证照\t1200件\n其中网上办理\t900件\n行政处罚\t87件\n",
        {"新办证照1200件": "measures.functions", "行政处罚87件": "measures.enforcement"},
        ["项目\t数量"],
    ),
    (
        "space-aligned table under a heading",
        "执法情况\n监督检查          1325家次\n罚没款            46.3万元\n",
        {"监督检查1325家次": "measures.enforcement", "罚没款46.3万元": "measures.enforcement"},
        ["执法情况"],
    ),
    (
        "markdown pipe table",
        "| 类别 | 内容 |\n| --- | --- |\n| 应急 | 组织演练6次 |\n| 不足 | 监管手段少 |\n| 明年打算 | 开展执业自查 |\n",
        {
            "应急：组织演练6次": "measures.emergency",
            "不足：监管手段少": "shortcomings",
            "明年打算：开展执业自查": "plans",
        },
        ["| 类别 | 内容 |", "| --- | --- |"],
    ),
    (
        "chat export with run-on lines",
        "执法大队老马 14:10\n卫片执法图斑核查1436个，立案58件\n办公室小李 14:16\n收到\n"
        "法规科王科 14:40 行政复议5件；局长出庭应诉4次；中心组学法6次\n"
        "老马 15:08 执法车也老化了。明年想推田长制\n",
        {
            "卫片执法图斑核查1436个，立案58件": "measures.enforcement",
            "行政复议5件": "measures.disputes",
            "局长出庭应诉4次": "leadership",
            "中心组学法6次": "measures.study",
            "执法车也老化了": "shortcomings",
            "明年想推田长制": "plans",
        },
        ["执法大队老马 14:10", "办公室小李 14:16", "收到"],
    ),
]


@pytest.mark.parametrize(("shape", "notes", "expected", "covering"), SHAPES, ids=[s[0] for s in SHAPES])
def test_every_shape_is_read_and_placed(outline, shape, notes, expected, covering):
    parsed = parse_notes(notes, outline, year=2024)
    got = {f.text: f.key for f in parsed.facts}
    for text, key in expected.items():
        assert got.get(text) == key, (text, got)
    listed = parsed.covering + parsed.dropped
    for line in covering:
        assert line in listed, (line, listed)
    # nothing lost: every non-empty line is a fact, a listed covering line or a quarantined instruction
    fact_lines = {f.line_no for f in parsed.facts}
    for n, line in enumerate(notes.splitlines(), 1):
        if line.strip():
            assert n in fact_lines or line.strip() in listed or line.strip() in parsed.instructions, line
    for fact in parsed.facts:
        assert fact.reason and 0 < fact.confidence <= 1


def test_office_is_kept_as_origin(outline):
    facts = parse_notes(
        "法规股：重大行政决策听证2次\n执法大队老马 14:10 立案58件\n", outline, year=2024
    ).facts
    assert [(f.origin, f.text) for f in facts] == [
        ("法规股", "重大行政决策听证2次"),
        ("执法大队", "立案58件"),
    ]


def test_heading_chain_is_kept(outline):
    lines = read_notes("一、依法行政\n（一）执法\n1. 行政处罚55件\n", outline, year=2024).facts
    assert lines[0].headings == ["依法行政", "执法"]


def test_covering_line_with_a_figure_is_a_fact(outline):
    parsed = parse_notes("下面是各科室报来的，共办理行政许可326件\n", outline, year=2024)
    assert [f.figures for f in parsed.facts] == [["326件"]]


def test_a_line_with_a_duty_is_never_chatter(outline):
    parsed = parse_notes("材料汇总如下：\n制定年度普法计划、普法清单\n", outline, year=2024)
    assert [f.text for f in parsed.facts] == ["制定年度普法计划、普法清单"]


def test_cue_words_decide_the_part_before_the_topic(outline):
    got = placed("## 执法\n- 执法人员专业力量薄弱\n- 2025年将推进执法培训全覆盖\n- 行政处罚12件\n", outline)
    assert got == {
        "执法人员专业力量薄弱": "shortcomings",
        "2025年将推进执法培训全覆盖": "plans",
        "行政处罚12件": "measures.enforcement",
    }


def test_sentence_bank_places_a_line_the_lexicon_cannot(outline):
    bank = SentenceBank(
        [
            ("measures.functions", "往年", "不动产登记窗口推行交房即交证，一般登记3个工作日办结"),
            ("measures.enforcement", "往年", "全年办理行政处罚案件98件"),
            ("measures.publicity", "往年", "开展宪法宣传周活动"),
        ]
    )
    plain = parse_notes("交房即交证项目11个\n", outline, year=2024).facts[0]
    helped = parse_notes("交房即交证项目11个\n", outline, year=2024, bank=bank).facts[0]
    assert plain.key == "measures" and plain.confidence < 0.5
    assert helped.key == "measures.functions" and "往年" in helped.reason


def test_low_confidence_lines_are_marked(outline):
    fact = parse_notes("另外这个也搞了\n", outline, year=2024).facts[0]
    assert fact.low_confidence


# -- the stored placement is what every later step uses ------------------------------------------------------

NOTES = """一、主要工作
- 全年办理行政处罚案件98件，罚没款27.4万元
- 组织干部职工集中学法4次
- 开展普法宣传活动26场
二、存在的不足
- 执法人员年龄结构偏大
三、明年打算
- 推进执法规范化建设
"""


@pytest.fixture(scope="module")
def drafted(bundled_workspace):
    return bundled_workspace.draft(NOTES, unit="某县交通运输局", year=2024, engine="offline")


def test_json_carries_the_placement(drafted):
    rows = drafted.to_json()["placement"]
    assert {r["text"]: r["key"] for r in rows}["- 组织干部职工集中学法4次"] == "measures.study"
    assert all({"line", "text", "key", "reason", "confidence", "origin"} <= set(r) for r in rows)
    assert "一、主要工作" in drafted.covering and "一、主要工作" in drafted.checks.lines_dropped


def test_regenerate_recheck_and_section_lines_use_the_stored_placement(
    bundled_workspace, drafted, monkeypatch
):
    from dataclasses import replace

    ws = bundled_workspace
    # A placement the rules would never make: if any step read the notes again, the line would go back.
    moved = replace(drafted, placement=[replace(f) for f in drafted.placement])
    study = next(f for f in moved.placement if "学法4次" in f.text)
    study.key, study.assigned_by = "measures.publicity", "user"

    def no_reading(*args, **kwargs):
        raise AssertionError("the notes were read again")

    monkeypatch.setattr(type(ws.drafter), "read", no_reading)
    assert sorted(f.text for f in ws.section_lines(moved, "measures.publicity")) == [
        "开展普法宣传活动26场",
        "组织干部职工集中学法4次",
    ]
    new = ws.regenerate(moved, "measures.publicity", engine="offline")
    assert "学法4次" in new.section("measures.publicity").text
    checked = ws.recheck(new)
    assert checked.placement[study_index(checked)].key == "measures.publicity"
    assert not any("4次" in w for w in checked.section("measures.publicity").warnings)


def study_index(draft) -> int:
    return next(i for i, f in enumerate(draft.placement) if "学法4次" in f.text)


def test_move_redrafts_the_sections_concerned(bundled_workspace, drafted):
    ws = bundled_workspace
    new = ws.move_lines(drafted, [study_index(drafted)], "measures.publicity", engine="offline")
    assert "学法4次" in new.section("measures.publicity").text
    assert new.section("measures.study").placeholder  # emptied: waits for material, the rest is kept
    assert new.placement[study_index(new)].reason.startswith("用户调整")
    assert new.notes == drafted.notes  # the user's notes are untouched


def test_a_revision_never_writes_markup_into_the_notes(bundled_workspace, drafted):
    new, reply = bundled_workspace.revise(drafted, "补充：全年办理行政复议案件5件", engine="offline")
    assert "【" not in new.notes and new.notes.rstrip().endswith("全年办理行政复议案件5件")
    added = [f for f in new.placement if "复议案件5件" in f.text]
    assert (
        len(added) == 1
        and added[0].assigned_by == "user"
        and "复议案件5件" in "".join(s.text for s in new.sections)
    )


@pytest.mark.parametrize("notes", ["好的收到", "哈哈\n收到👌\n辛苦了", "   \n"])
def test_chatter_only_is_the_empty_notes_error(bundled_workspace, notes):
    from core.errors import ZhibiError

    with pytest.raises(ZhibiError) as empty:
        bundled_workspace.draft("", unit="某县交通运输局", year=2024, engine="offline")
    with pytest.raises(ZhibiError) as chatter:
        bundled_workspace.draft(notes, unit="某县交通运输局", year=2024, engine="offline")
    assert str(chatter.value) == str(empty.value) and chatter.value.hint == empty.value.hint


# -- evidence weighed by what a line is about ----------------------------------------------------------------

# (line, expected key): where two areas' words meet, the head of the phrase decides, not its modifier
HEAD_OR_MODIFIER = [
    ("安全生产执法检查企业560家次", "measures.enforcement"),  # 安全生产 only qualifies 执法检查
    ("执法监督员业务培训2期", "measures.study"),  # the training is the act, 监督员 says who
    ("行政执法案卷评查120卷", "measures.enforcement"),  # reviewing its own case files is enforcement work
    ("复议案件5件", "measures.disputes"),  # a generic head (案件) leaves its modifier the topic
    ("印发本年度法治宣传教育要点", "measures.organization"),  # the words of a document's name qualify it
    ("全县行政机关负责人出庭应诉率100%", "measures.disputes"),  # a county-wide rate, not the head's act
    ("局长出庭应诉2次", "leadership"),
    ("成立以局长为组长的法治政府建设领导小组", "measures.organization"),  # the head only qualifies the group
    ("局长主持召开党组会研究法治工作3次", "leadership"),
    ("局主要负责人出庭应诉率100%", "leadership"),  # the bureau's own head, every case
]


# (line, expected key): the services a bureau delivers to people are its functions, not a part-level remark
SERVICE_LINES = [
    ("特困人员供养资格复核430户", "measures.functions"),
    ("城乡居民参保登记1.2万人", "measures.functions"),
    ("高龄津贴待遇认定860人", "measures.functions"),
    ("跨省异地就医直接结算9600人次", "measures.functions"),
]


@pytest.mark.parametrize(("line", "key"), SERVICE_LINES, ids=[c[0] for c in SERVICE_LINES])
def test_services_delivered_are_functions(outline, line, key):
    assert placed(line + "\n", outline) == {line: key}


@pytest.mark.parametrize(("line", "key"), HEAD_OR_MODIFIER, ids=[c[0] for c in HEAD_OR_MODIFIER])
def test_the_head_of_a_phrase_decides(outline, line, key):
    assert placed(line + "\n", outline) == {line: key}


# (notes, {fact text: key}): how far a heading reaches
HEADING_SCOPE = [
    (  # a bare 其他 in the notes collects other work: a line with a topic keeps it
        "一、主要工作\n（一）执法\n1. 行政处罚9件\n（二）其他\n1. 聘请常年法律顾问2名\n2. 未注明的其他事项\n",
        {
            "行政处罚9件": "measures.enforcement",
            "聘请常年法律顾问2名": "measures.decisions",
            "未注明的其他事项": "other",
        },
    ),
    (  # an office's block after a heading's own items is not part of that heading
        "一、学法\n1. 中心组学法4次\n执法大队报来：\n- 发现违法线索3条\n",
        {"中心组学法4次": "measures.study", "发现违法线索3条": "measures.enforcement"},
    ),
    (  # a heading whose content comes office by office keeps all its blocks
        "三、存在问题\n执法大队：\n- 执法车辆老旧\n法规科：\n- 合同管理台账不全\n",
        {"执法车辆老旧": "shortcomings", "合同管理台账不全": "shortcomings"},
    ),
    (  # a table row with no evidence of its own goes where its block goes
        "执法检查情况\n检查企业\t300家次\n发现隐患\t120条\n行政处罚\t9件\n",
        {"检查企业300家次": "measures.enforcement", "发现隐患120条": "measures.enforcement"},
    ),
    (  # a numbered sibling of an item is an item, not a heading over the cause heading after it
        "三、存在的问题\n1. 执法人员不足，专业人员少\n2. 信息化水平不高\n原因分析：\n编制少，经费不足\n"
        "整改措施：\n年底前完成3家敬老院消防改造\n",
        {
            "执法人员不足，专业人员少": "shortcomings",
            "信息化水平不高": "shortcomings",
            "编制少，经费不足": "shortcomings",
            "年底前完成3家敬老院消防改造": "shortcomings",
        },
    ),
    (  # a cause or countermeasure heading or label belongs to the shortcomings part wherever it stands
        "一、主要工作\n1. 开展消防检查12次\n原因分析：\n编制少，经费不足\n"
        "| 项目 | 内容 |\n|---|---|\n| 整改措施 | 年底前完成3家敬老院消防改造 |\n",
        {
            "开展消防检查12次": "measures.emergency",
            "编制少，经费不足": "shortcomings",
            "整改措施：年底前完成3家敬老院消防改造": "shortcomings",
        },
    ),
]


@pytest.mark.parametrize(
    ("notes", "expected"),
    HEADING_SCOPE,
    ids=["bare 其他", "office block", "offices", "table", "numbered siblings", "cause and remedy"],
)
def test_how_far_a_heading_reaches(outline, notes, expected):
    got = placed(notes, outline)
    for text, key in expected.items():
        assert got.get(text) == key, (text, got)


# (line, {fact text: key}): cue words read as grammar, and run-on lines split where a clause names its own area
CLAUSES = [
    (  # 将 marking the object of a deed done is not "will"
        "印发年度法治工作实施方案，将法治建设纳入年度考核",
        {"印发年度法治工作实施方案，将法治建设纳入年度考核": "measures.organization"},
    ),
    ("明年将法治建设纳入年度考核", {"明年将法治建设纳入年度考核": "plans"}),
    (  # one specific term is enough for a clause long enough to be a statement of its own
        "规范性文件备案2件，新城区控制性详细规划作为重大行政决策事项，开了听证会",
        {
            "规范性文件备案2件": "measures.rules",
            "新城区控制性详细规划作为重大行政决策事项，开了听证会": "measures.decisions",
        },
    ),
    (  # a short clause with one term stays with the line
        "行政处罚12件，罚款3万元，教育为主",
        {"行政处罚12件，罚款3万元，教育为主": "measures.enforcement"},
    ),
    ("许可和处罚信息7个工作日内双公示", {"许可和处罚信息7个工作日内双公示": "measures.enforcement"}),
    (  # how a case ended stays with the case, whatever area its words name
        "被申请行政复议3件，维持原处罚决定2件",
        {"被申请行政复议3件，维持原处罚决定2件": "measures.disputes"},
    ),
    (  # a clause opening with an adverb continues the one before it
        "受理食品投诉举报216件，均按时限处理并反馈",
        {"受理食品投诉举报216件，均按时限处理并反馈": "measures.disputes"},
    ),
    (  # a clause that names its topic in speech starts a piece of its own
        "学法的话中心组学习4次。执法方面主要是低保审核，全年审核办理1200户",
        {
            "学法的话中心组学习4次": "measures.study",
            "执法方面主要是低保审核，全年审核办理1200户": "measures.enforcement",
        },
    ),
    (  # a part of the count before it ("其中") stays with it, whatever its words name
        "党组中心组学法5次，其中民法典、档案法专题宣讲各1次",
        {"党组中心组学法5次，其中民法典、档案法专题宣讲各1次": "measures.study"},
    ),
]


@pytest.mark.parametrize(("line", "expected"), CLAUSES, ids=[c[0][:12] for c in CLAUSES])
def test_clauses_and_cues(outline, line, expected):
    assert placed(line + "\n", outline) == expected


# (notes, {fact text: key}): under a heading of work done, an aspect verb reports that work; a future marker plans
WEAK_CUES_UNDER_HEADINGS = [
    (
        "## 执法\n- 继续推行说理式执法\n- 将开展执法培训全覆盖\n",
        {"继续推行说理式执法": "measures.enforcement", "将开展执法培训全覆盖": "plans"},
    ),
    ("主要负责人履职：\n- 推动述法工作落实\n", {"推动述法工作落实": "leadership"}),
    ("- 继续推行说理式执法\n", {"继续推行说理式执法": "plans"}),  # no heading: the cue is all there is
    ("## 不足\n- 推动力度不够\n", {"推动力度不够": "shortcomings"}),
]


@pytest.mark.parametrize(
    ("notes", "expected"), WEAK_CUES_UNDER_HEADINGS, ids=["执法", "负责人", "no heading", "不足"]
)
def test_weak_cues_under_headings(outline, notes, expected):
    assert placed(notes, outline) == expected


# -- issue 21: what was done decides, not the field it was done in ---------------------------------------------

# (notes, {fact text: key}) of bureaus whose field words are outline keywords of another part
ACTIVITY_OVER_FIELD = [
    (  # a water bureau: 防汛 is its field, 宣传 what it did; alone, 防汛 still places a 预案 line
        "发放防汛知识宣传资料5000份\n修订防汛应急预案2个\n",
        {"发放防汛知识宣传资料5000份": "measures.publicity", "修订防汛应急预案2个": "measures.emergency"},
    ),
    (  # a forestry bureau's speech: the topic named aloud ("普法嘛") is a label said aloud
        "普法呢，安全生产月活动搞了30场\n",
        {"普法呢，安全生产月活动搞了30场": "measures.publicity"},
    ),
    (  # a city-management bureau: the predicate (追发) is the act, 待遇 only what it recovered
        "为环卫工人追发工资等待遇86万元\n",
        {"为环卫工人追发工资等待遇86万元": "measures.enforcement"},
    ),
]


@pytest.mark.parametrize(
    ("notes", "expected"), ACTIVITY_OVER_FIELD, ids=["field word", "spoken topic", "verb"]
)
def test_the_activity_decides_not_the_field(outline, notes, expected):
    got = placed(notes, outline)
    for text, key in expected.items():
        assert got.get(text) == key, (text, got)


def test_a_word_in_many_lines_is_the_bureaus_field(outline):
    # An education bureau's notes: 校外培训 is the field of half its lines, so "培训" no longer outweighs what was
    # done with the institutions (检查, 审批); its own training of staff is still 学法用法.
    notes = (
        "校外培训机构检查214家次\n审批新设校外培训机构3家\n校外培训机构预收费监管账户开户率100%\n"
        "组织机关干部法治培训2期\n办理人大代表建议12件\n修订学校安全应急预案1个\n"
    )
    got = placed(notes, outline)
    assert got["校外培训机构检查214家次"] == "measures.enforcement"
    assert got["审批新设校外培训机构3家"] == "measures.functions"
    assert got["组织机关干部法治培训2期"] == "measures.study"


def test_a_line_broken_mid_sentence_goes_on_with_the_line_before(outline):
    # A forestry bureau's scanned form: one shortcoming wrapped over three lines; the pieces with no words of
    # their own for a part are the same shortcoming.
    notes = "存在问题：1.基层护林员年龄老化，全县护林员\n共计312人，管护林地面积\n达86万亩\n"
    facts = parse_notes(notes, outline, year=2024).facts
    assert [f.key for f in facts] == ["shortcomings"] * 3, [(f.key, f.text) for f in facts]


def test_the_heads_own_account_under_a_heading_naming_the_head(outline):
    # A tax bureau head's speech: in the first person under a heading naming the head, the acts are the head's
    # whatever area they touch; a third-person heading ("一把手抓法治") keeps each line's own part.
    speech = (
        "一、关于我本人抓依法治税的情况\n"
        "今年我带队到3个分局开展执法督查，发现问题12个，已整改10个。\n"
        "行政诉讼案件2件，我出庭了1件。\n"
    )
    got = placed(speech, outline)
    assert set(got.values()) == {"leadership"}, got
    topic = "## 一把手抓法治\n局党组专题研究法治工作3次\n"
    assert placed(topic, outline) == {"局党组专题研究法治工作3次": "measures.organization"}


def test_a_close_runner_up_leaves_the_confidence_low(outline):
    # Two parts' words in equal measure: the tool should ask, not guess.
    facts = parse_notes("受理纠纷、许可共12件\n", outline, year=2024).facts
    assert len(facts) == 1 and facts[0].confidence < 0.5 and facts[0].low_confidence
    clear = parse_notes("受理行政复议申请12件\n", outline, year=2024).facts
    assert clear[0].confidence >= 0.8


def test_legal_advisers_and_the_review_of_contracts_serve_decisions():
    """重大行政决策程序暂行条例 art. 28: legal advisers and 公职律师 take part in the legality review of decisions."""
    outline = load_outline(DEFAULT_OUTLINE)
    notes = "\n".join(
        [
            "常年法律顾问审查招商引资合同、政府采购合同27份",
            "配备公职律师2名，出具法律意见书15份",
            "清理行政规范性文件11件",
        ]
    )
    got = placed(notes, outline)
    assert got["常年法律顾问审查招商引资合同、政府采购合同27份"] == "measures.decisions"
    assert got["配备公职律师2名，出具法律意见书15份"] == "measures.decisions"
    assert got["清理行政规范性文件11件"] == "measures.rules"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # An aside in brackets tells when the rest will be done: the line reports the year's work.
        ("修订涉侨规范性文件3件（另有1件预计明年印发）", "measures.rules"),
        ("清理科技领域规范性文件12件（2件修改稿预计2025年上半年印发）", "measures.rules"),
        # Outside brackets the next year still makes a plan.
        ("明年修订涉侨规范性文件3件", "plans"),
    ],
)
def test_next_year_in_an_aside_is_no_plan(outline, line, key):
    # The aside itself (what is not done yet) waits in 待确认; the line's own work is placed.
    got = placed(line, outline)
    assert set(got.values()) == {key} and any(text in line for text in got)


@pytest.mark.parametrize(
    "line",
    [
        # A 法治副校长 teaches the law to a school's pupils: 普法 (法治进校园), whoever sends them.
        "选派民警担任中小学法治副校长56名",
        "全县法治副校长到校上课312节",
        "检察官兼任法治副校长18人",
    ],
)
def test_a_vice_principal_for_the_rule_of_law_is_publicity(outline, line):
    assert placed(line, outline) == {line: "measures.publicity"}
