"""One deed's clauses stay together; a list of deeds is split (placement.py _segments, _cell_items).

Written in the words of bureaus the benches do not cover (档案馆, 邮政管理局, 民宗局, 港航中心, 供销社, 烟草专卖局)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def placed(notes: str, outline, year: int = 2025) -> list[tuple[str, str]]:
    return [(f.text, f.key) for f in parse_notes(notes, outline, year=year).facts]


def key_with(figure: str, notes: str, outline) -> str:
    keys = {key for text, key in placed(notes, outline) if figure in text}
    assert len(keys) == 1, (figure, placed(notes, outline))
    return keys.pop()


@pytest.mark.parametrize(
    ("notes", "figure", "key"),
    [
        # after "；" a short clause with its own word for another part is the next deed of the list
        (
            "档案馆馆务会专题研究法治建设4次；会前学法12次；组织全馆职工参加学法考试，参考21人。",
            "12次",
            "measures.study",
        ),
        (
            "民宗局局务会专题研究法治工作2次；行政复议1件。",
            "1件",
            "measures.disputes",
        ),
    ],
)
def test_a_list_of_deeds_is_split_at_its_semicolons(outline, notes, figure, key):
    assert key_with(figure, notes, outline) == key


@pytest.mark.parametrize(
    "line",
    [
        # a group's membership has no subject of its own: the offices it names are who is in the group
        "调整邮政管理局法治建设领导小组，成员由行政审批科、快递安全监管科负责人组成，办公室设在法规科",
        "成立港航中心法治政府建设领导小组；成员包括政务服务科、港航执法大队负责人",
    ],
)
def test_a_groups_membership_stays_with_the_group(outline, line):
    assert placed(line, outline) == [(line, "measures.organization")]


def test_how_a_deed_was_done_counts_for_the_deeds_part(outline):
    # the procedure of a major decision makes the revision a decision, not a rule of the bureau's own
    line = (
        "修订《快递末端网点备案管理办法》，将备案办理时限调整为5个工作日，按重大行政决策程序开展风险评估、"
        "专家论证和合法性审查，经局务会集体讨论通过"
    )
    assert placed(line, outline) == [(line, "measures.decisions")]


def test_a_block_heading_that_names_no_part_ends_the_plans(outline):
    notes = (
        "三、下一步打算\n"
        "1.推动港口经营许可全程网办；\n"
        "2.健全港航执法案卷评查机制。\n"
        "【现场答问】\n"
        "今年港航执法大队查处非法码头案件4件，罚款合计6.2万元。\n"
    )
    assert key_with("4件", notes, outline) == "measures.enforcement"
    assert key_with("网办", notes, outline) == "plans"


def test_a_ruling_on_one_case_is_no_shortcoming(outline):
    # 证据不足 is the ground a review gave for one case's outcome, not a shortfall of the bureau
    line = "烟草专卖行政处罚全年立案12件，其中1件经复核证据不足已撤销立案，罚没款合计8.6万元"
    assert key_with("8.6万元", line, outline) == "measures.enforcement"
    # a shortfall of the bureau's, with a case left undone, is still one
    assert key_with("3件", "专卖执法力量不足，3件案件未能按期办结", outline) == "shortcomings"
    assert key_with("3件", "3件案件因人手不足未能按期办结", outline) == "shortcomings"


def test_a_cell_holding_a_numbered_list_is_split_by_its_items(outline):
    notes = (
        "序号\t考核项目\t完成情况\n"
        "1\t学法用法\t1.理事会中心组集体学法4次；2.组织机关干部参加学法考试，参考26人；"
        "3.为全县农资经营户开展《农药管理条例》培训3期，培训180人\n"
        "2\t组织领导\t1.理事会专题研究法治建设2次；2.主要负责人年终在全县述法评议会上述法\n"
    )
    assert key_with("26人", notes, outline) == "measures.study"
    assert key_with("180人", notes, outline) == "measures.publicity"
    assert key_with("述法评议会", notes, outline) == "leadership"


def test_a_heading_joining_two_topics_leaves_the_line_to_its_own_words(outline):
    notes = "【组织与学法】\n民宗局局务会专题研究法治建设3次；会前学法6次\n"
    facts = parse_notes(notes, outline, year=2025).facts
    three = next(f for f in facts if "3次" in f.text)
    assert three.key == "measures.organization" and three.confidence >= 0.5


def test_a_dated_label_heads_the_line_when_its_clause_is_set_aside(outline):
    # roles may set the first clause aside ("村级档案员全覆盖（待定）"); "明年：" still heads what is left
    from dataclasses import replace

    from drafting.notes.placement import Placer
    from drafting.notes.reading import read_notes

    raw = "12月22日 明年：村级档案员全覆盖；档案执法检查覆盖全部立档单位；档案业务培训不少于4期。"
    line = next(ln for ln in read_notes(raw, outline, year=2025).lines if ln.kind == "fact")
    rest = replace(line, text="档案执法检查覆盖全部立档单位；档案业务培训不少于4期")
    assert {f.key for f in Placer(outline, year=2025).place_line(rest)} == {"plans"}


def test_the_bureaus_field_is_no_topic_of_the_line_under_a_heading(outline):
    # 许可 is in a quarter of a tobacco bureau's lines: under 专卖执法, withdrawing a licence is enforcement
    notes = (
        "一、依法履行职能\n"
        "1.新办烟草专卖零售许可证312户，延续许可证868户；\n"
        "2.许可审批全程网办率100%；\n"
        "3.组织全局干部职工参加学法考试，参考58人。\n"
        "二、专卖执法\n"
        "1.查处涉烟违法案件41起，罚没款合计36.5万元；\n"
        "2.依法撤回以欺骗手段取得的许可证3户；\n"
        "3.开展卷烟零售户普法宣传12场。\n"
    )
    assert key_with("3户", notes, outline) == "measures.enforcement"


def test_a_heading_naming_two_parts_does_not_choose_between_them(outline):
    notes = "（七）监督与数字邮政\n聘请快递业社会监督员12名。\n快递电子运单使用率达到96.2%。\n"
    rate = next(f for f in parse_notes(notes, outline, year=2025).facts if "96.2%" in f.text)
    assert rate.key == "measures.digital" or rate.confidence < 0.5
