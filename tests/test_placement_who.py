"""Who the work is done to decides the part (placement.py _acted_on, _leadership; outline.toml [placement.who]).

Written in the words of bureaus none of the benches cover (体育局, 科技局, 档案馆, 司法局, 侨办, 文旅局)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def key_of(line: str, outline, year: int = 2025) -> str:
    facts = parse_notes(line, outline, year=year).facts
    assert len(facts) == 1, [(f.text, f.key) for f in facts]
    return facts[0].key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # lessons for people outside the government are 普法; the bureau's own staff learning is 学法
        ("为全县游泳场馆经营者举办安全法规讲座2场", "measures.publicity"),
        ("对科技型中小企业开展知识产权法律培训3期", "measures.publicity"),
        ("常年法律顾问给村民上法治课6次", "measures.publicity"),
        ("非遗保护条例解读讲座（面向民宿经营户）4场", "measures.publicity"),
        ("组织全馆干部职工参加档案法专题讲座2场", "measures.study"),
        ("邀请律师为机关干部授课3次", "measures.study"),
    ],
)
def test_a_lesson_for_outsiders_is_publicity(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # an inspection of public bodies supervises the administration; of the regulated it is enforcement
        ("对全县12个乡镇科技经费使用情况开展专项检查，发现问题15个", "measures.oversight"),
        ("抽查局属单位财务收支8家", "measures.oversight"),
        ("对全县健身场馆经营企业开展检查15家", "measures.enforcement"),
        # the line calls it enforcement: a bureau whose regulated are public bodies (档案执法)
        ("对15个部门开展档案执法检查", "measures.enforcement"),
    ],
)
def test_an_inspection_of_public_bodies_is_oversight(outline, line, key):
    assert key_of(line, outline) == key


def test_partners_named_by_their_offices_are_who_not_what(outline):
    line = "联合县消防救援大队、县应急管理局对全县体育场馆开展安全检查21家"
    assert key_of(line, outline) == "measures.enforcement"


@pytest.mark.parametrize(
    "line",
    [
        "科技局局长主持召开党组会议专题研究科技领域法治工作2次",
        "馆长兼党组书记全年主持党组会研究法治工作3次",
        "局长认真履行第一责任人职责，年内亲自督办重点执法案件4件",
        "主要负责人带队到景区检查文旅市场，现场交办问题6个",
    ],
)
def test_the_heads_own_acts_are_leadership(outline, line):
    facts = parse_notes(line, outline, year=2025).facts
    assert {f.key for f in facts} == {"leadership"}, [(f.text, f.key) for f in facts]


def test_a_dated_topic_prefix_is_a_label(outline):
    # a diary's date before the topic ("3月9日 政协提案办理：") does not hide the topic
    assert key_of("3月9日 政协提案办理：全年5件，全部办结，满意率100%", outline) == "measures.oversight"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # 合法性审查 is the step of major decisions and contracts; 合法性审核 that of normative documents
        ("对招商合作协议开展合法性审查11份", "measures.decisions"),
        ("规范性文件合法性审查4件", "measures.rules"),
        ("责令停止违法经营行为3起", "measures.enforcement"),
        ("调整权责清单事项6项，承接省级下放事项2项", "measures.functions"),
        ("开展法治督查2次，反馈问题9个", "measures.oversight"),
        ("局领导接访来访群众41人次", "measures.disputes"),
        ("基层文化市场执法人员业务水平参差不齐", "shortcomings"),
    ],
)
def test_terms_of_the_activity(outline, line, key):
    assert key_of(line, outline) == key


def test_the_units_totals_said_by_the_head_are_not_the_heads_own(outline):
    from drafting.plan import in_scope

    notes = "\n".join(
        [
            "一、履行第一责任人职责情况",
            "今年我主持召开局党组会专题研究法治工作4次。",
            "我们全年检查经营主体2140家次，发现问题隐患1386处，罚款合计52.3万元。",
            "大队全年办结行政处罚案件97件，这些都是全体执法员干出来的。",
            "我本人出庭应诉1件。",
        ]
    )
    parsed = parse_notes(notes, outline, year=2026)
    lead = [f for f in parsed.facts if in_scope(outline, f, "leadership")]
    said = "\n".join(f.text for f in lead)
    assert "4次" in said and "1件" in said
    for total in ("2140家次", "1386处", "52.3万元", "97件"):
        assert total not in said, total


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # 普法 names whom the lesson is for, the public: the teaching word is only its form
        ("档案馆开展档案普法讲座5场", "measures.publicity"),
        ("邮政管理局举办普法讲座3场", "measures.publicity"),
        ("民宗局举办宗教场所普法讲座6场", "measures.publicity"),
        # the bureau's own people named as the audience still make it 学法
        ("组织干部职工参加普法培训2次", "measures.study"),
        ("港航中心开展学法讲座4场", "measures.study"),
    ],
)
def test_a_lesson_named_for_the_public_is_publicity(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    ("notes", "line", "key"),
    [
        # 公开政府信息 is 政府信息公开 said in the other order: its own part, not the line before it
        (
            "- 全年无行政复议案件\n- 门户网站公开政府信息64条",
            "门户网站公开政府信息64条",
            "measures.oversight",
        ),
        ("邮政管理局门户网站公开政府信息41条", "邮政管理局门户网站公开政府信息41条", "measures.oversight"),
        # an electronic credential or record is digital government, even under a heading that joins two topics
        (
            "（三）监督与数字港航\n聘请社会监督员6名\n船员电子凭证激活率达到71.2%",
            "船员电子凭证激活率达到71.2%",
            "measures.digital",
        ),
        ("供销社合同档案电子化归档率达100%", "供销社合同档案电子化归档率达100%", "measures.digital"),
    ],
)
def test_the_words_of_an_area_in_another_order_or_form(outline, notes, line, key):
    assert {f.text: f.key for f in parse_notes(notes, outline, year=2025).facts}[line] == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        # shared and public data are the work of digital government
        ("港航中心与海事部门新增政务数据共享接口9个", "measures.digital"),
        # a policy that pays firms without their asking is the service side of government's functions
        ("烟草专卖局推行惠企政策“免申即享”，兑现资金86万元", "measures.functions"),
    ],
)
def test_data_sharing_is_digital_and_benefits_paid_unasked_are_functions(outline, line, key):
    assert key_of(line, outline) == key


@pytest.mark.parametrize(
    "line",
    ["港航中心汛后抢通水毁航道7处", "邮政管理局组织抢险保通，恢复邮路3条"],
)
def test_flood_season_repair_and_rescue_are_emergency_work(outline, line):
    assert key_of(line, outline) == "measures.emergency"
