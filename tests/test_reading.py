"""The notes reader: what each line is (fact, heading, covering, chatter), its text, origin and heading chain."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes.reading import chat_speaker, read_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


# (chat line, speaker, what was said): the speaker and the time are never part of the fact
CHAT_LINES = [
    ("孙中队 9:05：今天查了超限车辆12台", "孙中队", "今天查了超限车辆12台"),
    ("孙中队9:05 罚款3.6万元", "孙中队", "罚款3.6万元"),
    ("孙中队9:05：", "孙中队", ""),
    ("[09:05] 张三：行政复议2件", "张三", "行政复议2件"),
    ("【10:01】 法规科刘：局长出庭应诉1次", "法规科刘", "局长出庭应诉1次"),
    ("2024-03-01 09:07 李四：调解纠纷5件", "李四", "调解纠纷5件"),
    ("李四 2024/3/1 9:08:00", "李四", ""),
    ("执法大队老马 14:10", "执法大队老马", ""),
    ("孙中队 下午3:05 检查企业20家", "孙中队", "检查企业20家"),
    ("法规科王科 14:40 行政复议5件；局长出庭应诉4次", "法规科王科", "行政复议5件；局长出庭应诉4次"),
    ("张三(123456789) 9:05:12 行政处罚5件", "张三(123456789)", "行政处罚5件"),
    ("李科长  09:05  今天查了12家", "李科长", "今天查了12家"),
]


@pytest.mark.parametrize(("line", "speaker", "said"), CHAT_LINES, ids=[c[0] for c in CHAT_LINES])
def test_chat_speaker_and_time_are_split_off(line, speaker, said):
    assert chat_speaker(line) == (speaker, said)


@pytest.mark.parametrize(
    "line", ["截至12:00共受理12件", "全年办理12345工单", "9:30召开党组会", "早上8:30开展执法检查"]
)
def test_a_time_inside_a_fact_is_not_a_speaker(line):
    assert chat_speaker(line) is None


@pytest.mark.parametrize(
    ("notes", "facts"),
    [
        ("孙中队 9:05：今天查了超限车辆12台\n", [("孙中队", "今天查了超限车辆12台")]),
        ("孙中队9:05 罚款3.6万元\n", [("孙中队", "罚款3.6万元")]),
        ("[09:05] 张三：行政复议2件\n[09:06] 张三：好\n[09:07] 李四：👍\n", [("张三", "行政复议2件")]),
        ("[09:05] 执法大队张队：立案3件\n", [("执法大队", "立案3件")]),
        ("2024-03-01 09:07 李四：调解纠纷5件\n", [("李四", "调解纠纷5件")]),
        ("李科长  09:05  今天查了12家\n", [("李科长", "今天查了12家")]),
        ("张三(123456789) 9:05:12\n行政处罚5件\n", [("", "行政处罚5件")]),
    ],
)
def test_chat_lines_become_facts_without_speaker_or_time(outline, notes, facts):
    read = read_notes(notes, outline, year=2024)
    assert [(line.origin, line.text) for line in read.facts] == facts
    for line in read.facts:
        assert ":" not in line.text and "：" not in line.text


# (notes, [(heading text, chain above it)], [(fact text, its heading chain)])
MARKDOWN = [
    ("###执法\n行政处罚5件\n", [("执法", [])], [("行政处罚5件", ["执法"])]),
    ("##一、学法\n中心组学法4次\n", [("学法", [])], [("中心组学法4次", ["学法"])]),
    (
        "##一、依法行政\n###执法\n行政处罚5件\n##二、存在问题\n人员少\n",
        [("依法行政", []), ("执法", ["依法行政"]), ("存在问题", [])],
        [("行政处罚5件", ["依法行政", "执法"]), ("人员少", ["存在问题"])],
    ),
    (
        "###执法\n行政处罚5件\n##学法\n中心组学法4次\n###普法\n宣传8场\n",
        [("执法", []), ("学法", []), ("普法", ["学法"])],
        [("行政处罚5件", ["执法"]), ("中心组学法4次", ["学法"]), ("宣传8场", ["学法", "普法"])],
    ),
]


@pytest.mark.parametrize(
    ("notes", "headings", "facts"), MARKDOWN, ids=[m[0].split("\n")[0] for m in MARKDOWN]
)
def test_markdown_headings_without_a_space(outline, notes, headings, facts):
    read = read_notes(notes, outline, year=2024)
    assert [(line.text, line.headings) for line in read.of_kind("heading")] == headings
    assert [(line.text, line.headings) for line in read.facts] == facts


def test_a_pipe_table_header_without_a_rule_line_is_not_a_fact(outline):
    notes = "| 项目 | 数量 |\n| 检查养老机构 | 52家次 |\n| 取缔非法社会组织 | 2个 |\n"
    read = read_notes(notes, outline, year=2024)
    assert [line.kind for line in read.lines] == ["covering", "fact", "fact"]


def test_a_dated_caption_with_its_office_over_a_list_is_a_heading(outline):
    notes = "2024 救助和低保数据（社会救助股）\n* 临时救助发放386人次\n* 低保复核2100户\n"
    read = read_notes(notes, outline, year=2024)
    assert [line.text for line in read.facts] == ["临时救助发放386人次", "低保复核2100户"]
    assert len(read.of_kind("heading")) == 1


# (line, kind): a word about the material makes a remark, unless the line also judges the work
MATERIAL_WORDS = [
    ("材料汇总如下：", "covering"),
    ("以下为各科室报送材料", "covering"),
    ("合同管理台账不全", "fact"),
    ("执法台账还不完善", "fact"),
]


@pytest.mark.parametrize(("line", "kind"), MATERIAL_WORDS, ids=[m[0] for m in MATERIAL_WORDS])
def test_material_words_and_judgements(outline, line, kind):
    assert [read.kind for read in read_notes(line + "\n", outline, year=2024).lines] == [kind]


# (line, label, fact text): a remark to whoever writes the report is neither topic nor fact
AUTHORING_LINES = [
    (
        "登记中心 15:10 亮点可以写咱们的交房即交证，被市里评为典型案例",
        "亮点",
        "咱们的交房即交证，被市里评为典型案例",
    ),
    ("法规科：可以提一下，全年审查合同42份", "", "全年审查合同42份"),
    ("执法大队：建议写：开展联合执法8次", "", "开展联合执法8次"),
    ("特色这块也可以写：建成“法治广场”2处", "特色", "建成“法治广场”2处"),
    ("局长方面写重大问题亲自过问、重要案件亲自督办", "局长", "重大问题亲自过问、重要案件亲自督办"),
    ("主任那块就写重大事项集体研究", "主任", "重大事项集体研究"),
    ("王敏 09:12 补一句 林长制巡林记录全部上平台了", "", "林长制巡林记录全部上平台了"),
    ("再加一条：森林防火宣传进村42场", "", "森林防火宣传进村42场"),
    # Not remarks: 写入, a plain sentence about writing.
    ("宣传方面写信息稿件36篇", "", "宣传方面写信息稿件36篇"),
    ("办公室：档案可以写入系统，共120卷", "", "档案可以写入系统，共120卷"),
    ("编写普法读本2册", "", "编写普法读本2册"),
    ("补充完善应急预案3个", "", "补充完善应急预案3个"),
]


@pytest.mark.parametrize(("line", "label", "text"), AUTHORING_LINES, ids=[c[0] for c in AUTHORING_LINES])
def test_a_remark_to_the_writer_is_dropped_and_its_topic_kept(outline, line, label, text):
    facts = [ln for ln in read_notes(line, outline, year=2024).lines if ln.kind == "fact"]
    assert len(facts) == 1
    assert facts[0].label == label
    assert facts[0].text.removeprefix(f"{label}：") == text


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("2. 12345平台等渠道工单处理了1865件", "12345平台等渠道工单处理了1865件"),
        ("5. 605路公交流动普法专线开通", "605路公交流动普法专线开通"),
        ("2、12345热线受理诉求860件", "12345热线受理诉求860件"),
        ("3、5月开展安全生产月活动", "3、5月开展安全生产月活动"),  # March and May, not item 3
        ("1.5万元奖补资金全部发放", "1.5万元奖补资金全部发放"),
    ],
)
def test_an_item_number_before_a_figure_is_numbering(outline, line, text):
    facts = [ln for ln in read_notes(line, outline, year=2024).lines if ln.kind == "fact"]
    assert [f.text for f in facts] == [text]


# (notes, [(origin, fact text)]): wrapping that a pasted document brings along is never part of a fact.
WRAPPING = [
    # A forwarded chat record's day header; a date and a weekday.
    ("2024年3月5日\n农机安全检查38台次\n", [("", "农机安全检查38台次")]),
    ("2024-03-05 星期二\n查处无证收购粮食2起\n", [("", "查处无证收购粮食2起")]),
    # A page number between two pages of a print-out.
    ("检查施放气球单位14家\n— 3 —\n立案2件\n", [("", "检查施放气球单位14家"), ("", "立案2件")]),
    ("检查施放气球单位14家\n第2页 共4页\n", [("", "检查施放气球单位14家")]),
    # A Word table with a 序号 column and a 责任科室 column: the number is no label, the office is the origin.
    (
        "序号\t事项\t完成情况\t责任科室\n1\t气象执法\t检查施放气球单位14家，立案2件\t法规科\n",
        [("法规科", "气象执法：检查施放气球单位14家，立案2件")],
    ),
    # A cell that ran on to a second line joins its row.
    (
        "1\t粮食执法\t检查粮食企业26家\n责令整改3家\t监管科\n2\t普法\t发放资料900份\t办公室\n",
        [("监管科", "粮食执法：检查粮食企业26家，责令整改3家"), ("办公室", "普法：发放资料900份")],
    ),
    # A dated topic over the notes is their title.
    ("档案馆法治工作（2024）\n接收进馆档案1.2万卷\n", [("", "接收进馆档案1.2万卷")]),
    ("2024年县档案馆依法治档工作\n开放审核档案3600卷\n", [("", "开放审核档案3600卷")]),
    (
        "2024年组织档案执法检查工作\n检查立档单位45家\n",
        [("", "2024年组织档案执法检查工作"), ("", "检查立档单位45家")],
    ),
    # A line that opens on the punctuation ending the last one continues it.
    (
        "供销社开展农资打假检查12次\n，查处不合格化肥2批次\n",
        [("", "供销社开展农资打假检查12次，查处不合格化肥2批次")],
    ),
    # A verb of two characters ending in an office word is a topic's deed, not an office.
    ("代办服务：为企业代办登记事项120件\n", [("", "代办服务：为企业代办登记事项120件")]),
]


@pytest.mark.parametrize(("notes", "facts"), WRAPPING, ids=[w[0].split("\n")[0] for w in WRAPPING])
def test_wrapping_of_pasted_documents_is_not_a_fact(outline, notes, facts):
    read = read_notes(notes, outline, year=2024)
    assert [(line.origin, line.text) for line in read.facts] == facts


def test_a_cell_run_on_to_a_second_line_is_not_listed_as_set_aside(outline):
    notes = "1\t粮食执法\t检查粮食企业26家\n责令整改3家\t监管科\n2\t普法\t发放资料900份\t办公室\n"
    read = read_notes(notes, outline, year=2024)
    assert not [line for line in read.lines if "责令整改" in line.raw and line.kind != "fact"]
    assert "责令整改3家" in read.facts[0].raw


# (notes, fact texts): items numbered inside one line become the circled points the composer splits on
INLINE_ITEMS = [
    (
        "明年:(1)推进智慧农机监管;(2)开展农资打假培训;(3)修订裁量基准\n",
        ["推进智慧农机监管；②开展农资打假培训；③修订裁量基准"],
    ),
    ("下一步：1.建立招商引资合同台账 2.开展商务执法轮训\n", ["建立招商引资合同台账；②开展商务执法轮训"]),
    (
        "明年：①推进科技特派员服务 ②技术合同登记培训 ③修订专项资金管理办法\n",
        ["推进科技特派员服务；②技术合同登记培训；③修订专项资金管理办法"],
    ),
    ("下步：1)规范体育赛事审批 2)开展游泳场所检查\n", ["规范体育赛事审批；②开展游泳场所检查"]),
    # Figures, not numbering: a decimal, a list of months, a sequence that does not start at 1.
    ("1.5万元补贴资金、2.3万份宣传册全部发放\n", ["1.5万元补贴资金、2.3万份宣传册全部发放"]),
    ("检查（2）号仓和（3）号仓\n", ["检查（2）号仓和（3）号仓"]),
]


@pytest.mark.parametrize(("notes", "facts"), INLINE_ITEMS, ids=[w[0] for w in INLINE_ITEMS])
def test_items_numbered_inside_one_line(outline, notes, facts):
    assert [line.text for line in read_notes(notes, outline, year=2024).facts] == facts


SCANNED_PAGE = (
    "县商务局2024年法治政府建设\n"
    "工作情况\n"
    "一、组织领导\n"
    "\u3000\u3000局党组把依法行政纳入年度目标考核，党组会议研究\n"
    "法治工作3次，主要负责人带头讲法治课1次，年初制定了\n"
    "《县商务局依法行政工作要点》。\n"
    "二、商务执法\n"
    "\u3000\u3000全年检查成品油经营企业42家、报废机动车回收企业\n"
    "3家，立案查处违法经营行为5起，罚没款合计7.6万元，\n"
    "督促整改安全隐患19处，约谈企业负责人6人次。\n"
    "- 2 -\n"
    "三、存在问题\n"
    "\u3000\u3000商务执法人员少，没有专职法制审核人员。\n"
)


def test_a_scanned_page_is_read_sentence_by_sentence(outline):
    """Lines an OCR broke at the page's edge (in mid-word, in mid-figure) are one sentence again; the title over
    two lines and the page number are no facts."""
    read = read_notes(SCANNED_PAGE, outline, year=2024)
    assert [line.text for line in read.facts] == [
        "局党组把依法行政纳入年度目标考核，党组会议研究法治工作3次，主要负责人带头讲法治课1次，"
        "年初制定了《县商务局依法行政工作要点》",
        "全年检查成品油经营企业42家、报废机动车回收企业3家，立案查处违法经营行为5起，罚没款合计7.6万元，"
        "督促整改安全隐患19处，约谈企业负责人6人次",
        "商务执法人员少，没有专职法制审核人员",
    ]
    assert [line.text for line in read.of_kind("heading")] == ["组织领导", "商务执法", "存在问题"]


def test_typed_lines_without_a_full_stop_are_not_joined(outline):
    """Typed notes stop a line where a fact ends, at any width: nothing runs on, even where three lines happen to
    be about as wide and a sentence ends in 。."""
    notes = (
        "局党组研究依法行政工作3次，主要负责人带头讲法治课1次\n"
        "年初制定依法行政工作要点，全年检查成品油经营企业42家\n"
        "立案查处违法经营行为5起，罚没款合计7.6万元\n"
        "约谈企业负责人6人次，督促整改安全隐患19处\n"
        "商务执法人员少，没有专职法制审核人员。\n"
    )
    assert len(read_notes(notes, outline, year=2024).facts) == 5


@pytest.mark.parametrize(
    "title",
    [
        "县机关事务管理局法治建设材料（截至11月20日）",
        "邮政管理局法治工作总结素材 2026.12.01",
    ],
)
def test_a_dated_title_over_the_notes_is_no_fact(title: str) -> None:
    """The date beside a title says when the material was put together, not how much was done."""
    read = read_notes(
        f"{title}\n1. 局务会专题研究法治建设3次。\n2. 办理公物仓调剂申请46件。\n",
        load_outline(DEFAULT_OUTLINE),
        year=2026,
    )
    assert read.lines[0].kind == "covering"
    assert [ln.kind for ln in read.lines[1:]] == ["fact", "fact"]


def test_branch_marks_nest_a_tree_and_a_lone_figure_counts_its_node(outline):
    notes = (
        "2026年档案局法治工作\n"
        "├─ 一、档案执法\n"
        "│  ├─ 档案安全检查\n"
        "│  │  └─ 12次\n"
        "│  └─ 立案查处违法案件2件\n"
        "└─ 二、普法\n"
        "   └─ 《档案法》宣传进机关6场\n"
        "\n"
        "备注：\n"
        "数字已核对\n"
    )
    read = read_notes(notes, outline, year=2026)
    by_text = {line.text: line for line in read.lines}
    assert by_text["档案安全检查"].kind == "heading"
    assert by_text["档案安全检查：12次"].headings == ["档案执法", "档案安全检查"]
    assert by_text["立案查处违法案件2件"].headings == ["档案执法"]
    assert by_text["《档案法》宣传进机关6场"].headings == ["普法"]
    # The tree's nodes head only the tree.
    assert "普法" not in by_text["数字已核对"].headings
    assert all("├" not in line.raw and "│" not in line.raw for line in read.lines)


def test_a_unit_in_the_label_brackets_goes_to_a_value_in_digits_or_chinese_numerals(outline):
    notes = (
        "序号\t指标（单位）\t本年\t上年\n"
        "1\t港航执法案卷评查（卷）\t64\t50\n"
        "2\t邮政普法进网点活动（场）\t二十三\t17\n"
    )
    facts = [line.text for line in read_notes(notes, outline, year=2026).facts]
    assert any("64卷" in f for f in facts), facts
    assert any("二十三场" in f for f in facts), facts


def test_an_item_that_is_only_its_label_heads_the_lines_under_it() -> None:
    from core.config import DEFAULT_OUTLINE
    from drafting.notes import parse_notes
    from drafting.outline import load_outline

    notes = "一、学法：局务会会前学法8次。\n二、执法：\n·立案查处非法行医9起\n·“双随机”抽查医疗机构43家\n三、普法：义诊宣传12场\n"
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)
    assert all(f.text.rstrip("：:") != "执法" for f in parsed.facts), [f.text for f in parsed.facts]
    assert {f.key for f in parsed.facts if "9起" in f.text or "43家" in f.text} == {"measures.enforcement"}
