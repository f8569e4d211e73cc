"""What a line is about decides its part, not the shape of its words (placement.py; outline.toml [placement]).

Written in the words of bureaus the benches do not cover (档案馆, 烟草专卖局, 邮政管理局, 民宗局, 气象局, 供销社)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.placement import LOW_CONFIDENCE
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def keys_of(notes: str, outline, year: int = 2025) -> dict[str, str]:
    return {f.text: f.key for f in parse_notes(notes, outline, year=year).facts}


def key_of(line: str, outline, year: int = 2025) -> str:
    facts = parse_notes(line, outline, year=year).facts
    assert len(facts) == 1, [(f.text, f.key) for f in facts]
    return facts[0].key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # any audience the lesson names that is not the bureau's own people is taught the law: 普法
        ("对全县立档单位档案员开展《档案法》培训3期", "measures.publicity"),
        ("为卷烟零售户举办专卖法规讲座12场", "measures.publicity"),
        ("组织辖区快递员参加《快递暂行条例》培训4期，参训320人", "measures.publicity"),
        ("为宗教活动场所负责人宣讲《宗教事务条例》5场", "measures.publicity"),
        ("为乡镇村医举办法规讲座3场", "measures.publicity"),
        # the bureau's own people learning is 学法
        ("对新入职人员开展岗前法治培训1期", "measures.study"),
        ("组织全馆干部职工参加宪法专题讲座1场", "measures.study"),
    ],
)
def test_the_audience_decides_who_was_taught(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # an invited lawyer or expert gives a lesson: its topic (合同) is what was taught, not legal advice
        ("6月请律师事务所律师讲合同风险防控，寄递企业负责人到场64人", "measures.publicity"),
        ("3月请法律顾问给局机关干部讲民法典合同编，参训46人", "measures.study"),
        # the audience is who learnt, not what the work was: 持证执法人员 learning a regulation is 学法
        (
            "9月请省局政策法规处的老师给全局持证执法人员讲新修订的《烟草专卖许可证管理办法》，参训38人",
            "measures.study",
        ),
        # a lawyer's legal advice stays decisions work
        ("聘请律师事务所担任法律顾问，审查合同12份", "measures.decisions"),
    ],
)
def test_an_invited_speaker_gives_a_lesson(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    "line",
    [
        # review of the bureau's own case files and its staff's enforcement credentials are enforcement work
        "开展烟草专卖行政执法案卷评查，评查案卷46卷",
        "组织专卖执法人员参加执法资格考试，新取证7人",
        "全局持证执法人员26人",
    ],
)
def test_case_file_review_and_credentials_are_enforcement(outline, line):
    assert key_of(line, outline) == "measures.enforcement"


@pytest.mark.parametrize(
    "line",
    [
        # a lack stated as the state of things is a shortcoming, not the part its topic names
        "档案数字化管理没有地方性法规、规章依据，只能靠规范性文件",
        "公职律师至今未配备，馆里没有取得法律职业资格的人",
        "民宗局无专职法制审核人员",
    ],
)
def test_a_lack_stated_as_the_state_of_things_is_a_shortcoming(outline, line):
    assert key_of(line, outline) == "shortcomings"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # what was done about a lack is the deed, and a lack with a plan is the plan
        ("针对寄递安全执法依据缺乏的问题，制定了《邮政业安全执法检查办法》", "measures.rules"),
        ("二、下一年度工作打算\n专门执法机构尚未设立，争取编制部门支持", "plans"),
    ],
)
def test_a_lack_answered_or_planned_is_no_shortcoming(outline, line, key):
    assert key_of(line, outline, year=2024) == key


@pytest.mark.parametrize(
    "line",
    [
        # the bureau answering its overseer: oversight of the administration, even when it was a 执法检查
        "人大执法检查指出的4个问题已整改3个",
        "县政协视察反馈的2条意见均已落实",
        "巡察反馈烟草专卖执法问题12个，已整改销号10个",
    ],
)
def test_the_overseer_as_actor_is_oversight(outline, line):
    assert key_of(line, outline) == "measures.oversight"


def test_the_bureau_examining_others_stays_enforcement(outline):
    assert key_of("对全县寄递企业开展执法检查46家次，发现问题已整改", outline) == "measures.enforcement"


# -- headings in any style, words that name a part loosely, cues said as words (placement.py, outline.py) --------


@pytest.mark.parametrize(
    ("heading", "line", "key"),
    [
        ("📌 学习这块", "组织干部职工参加水法知识测试46人", "measures.study"),
        ("■ 执法检查", "全年巡查河道采砂点31处", "measures.enforcement"),
        ("▌普法宣传（3项）：", "在集镇赶集日设点发放水法读本900份", "measures.publicity"),
        (">> 五、优化办事服务", "全年受理取水许可延续申请18件", "measures.functions"),
        ("★ 六、便民服务", "全年接待群众查询统计数据2130人次", "measures.functions"),
    ],
)
def test_a_heading_drawn_with_a_mark_heads_the_lines_under_it(outline, heading, line, key):
    # A water or statistics bureau's notes typed on a phone: the drawn heading is no fact of its own, and the
    # line under it is placed under it, not glued to it as an unfinished sentence.
    got = keys_of(f"{heading}\n{line}\n", outline)
    assert got == {line: key}, got


def test_a_heading_that_is_only_the_head_gathers_the_heads_acts(outline):
    # A meteorological bureau's memo: "王局（一把手）这块" is the director's block; "一把手抓法治" stays a topic.
    notes = "👤 王局（一把手）这块\n- 党组会专门研究法治 5次\n"
    assert keys_of(notes, outline) == {"党组会专门研究法治5次": "leadership"}
    topic = "## 一把手抓法治\n局党组专题研究法治工作3次\n"
    assert keys_of(topic, outline) == {"局党组专题研究法治工作3次": "measures.organization"}


def test_an_approximation_is_no_shortcoming(outline):
    # "差不多150人" is about 150 people, not "too few": the cue 不多 is inside the word 差不多.
    line = "全年局党组会会前学法大概12次，干部参加网上学法考试差不多150人左右"
    assert keys_of(f"一、学法\n{line}\n", outline, year=2026) == {line: "measures.study"}
    assert keys_of("二、存在的问题\n来参加培训的护林员不多\n", outline) == {
        "来参加培训的护林员不多": "shortcomings"
    }


def test_a_heading_named_mostly_for_one_part_heads_its_lines(outline):
    # A religious-affairs bureau: "审批 / 备案（许可这块）" is licensing work, so filing a cleric's record there is
    # a service (登记备案), not the filing of a normative document.
    notes = "⚖️ 审批 / 备案（许可这块）\n- 教职人员备案 16人\n"
    assert keys_of(notes, outline) == {"教职人员备案16人": "measures.functions"}


def test_a_checklist_task_with_a_clause_break_does_not_decide_the_row(outline):
    # An earthquake bureau's checklist: the task names 营商环境, the deed is an inspection with orders to correct.
    row = "6\t优化营商环境，规范涉企检查\t对建设工程抗震设防要求落实情况开展检查46项；“双随机”抽查9次，责令整改3项\t✔已完成\n"
    facts = parse_notes("序号\t任务\t完成情况\t状态\n" + row, outline, year=2026).facts
    assert [f.key for f in facts if "46项" in f.text] == ["measures.enforcement"], facts


def test_a_class_for_people_named_with_an_aside_is_publicity(outline):
    # A disabled persons' federation trains township committee members and village association chairs: 普法.
    line = "为各乡镇残联专职委员、村（社区）残协主席举办法律知识培训班3期"
    assert keys_of(line + "\n", outline) == {line: "measures.publicity"}
    staff = "给宗教教职人员办法规培训班2期，参训140人次"
    assert keys_of(staff + "\n", outline) == {staff: "measures.publicity"}


def test_a_round_of_training_for_all_staff_is_study(outline):
    # A statistics bureau: "全员轮训" trains its own people; 轮训 is training, 全员 the bureau's own staff.
    line = "全员轮训，办了3期，合计210人次"
    assert keys_of(line + "\n", outline) == {line: "measures.study"}


# -- the clause's own deed outweighs incidental words: the means, a tag, an attribute, an aside (placement.py) ----


@pytest.mark.parametrize(
    "line",
    [
        # told to people outside the bureau, though no word of teaching names it: 普法
        "为收养家庭讲解未成年人保护法，全年讲了41场",
        "在渔政码头给渔船船员讲禁渔期的处罚案例，共讲了6次",
        # a lecture taken to other bodies of the administration ("机关" is in their name, not the bureau's staff)
        "法规科到县直机关单位开展统计法讲座5场，听讲310人次",
    ],
)
def test_a_lesson_told_to_outsiders_is_publicity(outline, line):
    # A civil-affairs, a fisheries and a statistics bureau.
    assert keys_of(line + "\n", outline) == {line: "measures.publicity"}


def test_the_carrier_a_deed_was_done_through_is_not_the_deed(outline):
    # A veterans' affairs bureau: the platform is how the calls were dispatched; with no word of its own for a part
    # the line waits for the user instead of going to 数字法治.
    line = "依托县退役军人服务管理平台统一派单，全年上门走访优抚对象1260户次"
    parsed = parse_notes(line + "\n", outline, year=2025)
    assert [f.key for f in parsed.facts if "1260户次" in f.text] != ["measures.digital"]
    # with a word of its own for a part, the deed decides
    served = "依托县政务服务平台办理优待证申领补发业务320件"
    assert keys_of(served + "\n", outline) == {served: "measures.functions"}


def test_work_done_before_a_plan_is_not_the_plan(outline):
    # A meteorological bureau: the year's count is a sentence of its own, the plan only the sentence after it.
    line = "全年上门服务气象信息员1260人次。计划新建的6个自动气象站，已建成2个，剩余4个推到明年"
    facts = parse_notes(line + "\n", outline, year=2025).facts
    assert [f.key for f in facts if "1260人次" in f.text] != ["plans"], facts
    assert [f.key for f in facts if "6个" in f.text] == ["plans"], facts


def test_a_term_qualifying_a_noun_before_的_is_not_the_deed(outline):
    # A forestry bureau: 登记 qualifies the nurseries; what was done is 巡查.
    line = "全县登记的林木种苗生产经营单位43家全部巡查一遍"
    assert keys_of(line + "\n", outline) == {line: "measures.enforcement"}


def test_a_tag_on_a_row_is_a_filing_not_the_deed(outline):
    # A medical-insurance bureau's task board: its own counter staff trained, filed under #普法 by someone.
    rows = "任务名称\t状态\t进展说明\t标签\n窗口人员医保政策轮训\t已完成\t分两批对全部窗口人员52人轮训，考试全部合格\t#普法\n"
    facts = parse_notes(rows, outline, year=2026).facts
    assert [f.key for f in facts if "52人" in f.text] == ["measures.study"], facts


def test_an_aside_in_brackets_does_not_outweigh_the_deed(outline):
    # A water bureau's handwritten tally: "（系统数）" says where the figure came from.
    facts = parse_notes("立案 57件（系统数，12月5日截的）\n", outline, year=2025).facts
    assert [(f.key, f.confidence >= LOW_CONFIDENCE) for f in facts] == [("measures.enforcement", True)], facts
