"""The offline composer's plans, shortcomings and counts as an editor of a county government office reads them.

A plan item is a task the bureau will do; a shortcoming part is one list of problems; a count has the verb its
noun calls for; a paper issued is 出具, a document 出台. Written in the words of bureaus other than the notes the
composer was tuned on (水利局, 气象局, 医疗保障局, 统计局, 退役军人事务局, 林业局).
"""

from __future__ import annotations

import pytest

from drafting.engines.offline.parts import plan_task, write_plans, write_shortcomings
from drafting.engines.offline.phrasing import phrase
from drafting.engines.offline.register import to_written

OPENING = "2027年，我局将紧紧围绕法治政府建设目标任务，重点抓好以下工作："


# -- plans: a task of the bureau, or nothing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        "拖到2027年",  # the deferred thing was said in another clause
        "顺延至2027年一季度",
        "剩下的2027年一季度到",  # "剩下的": the object is elsewhere
        "预计2027年上半年投用",
        "尚待2027年初县人代会审议批准",
    ],
)
def test_an_item_with_no_object_of_its_own_is_left_out(item: str) -> None:
    assert plan_task(item) is None


@pytest.mark.parametrize(
    ("item", "task"),
    [
        ("水资源监管平台预计2027年6月上线", "推动水资源监管平台于2027年6月上线"),
        ("气象灾害防御条例实施办法报县政府", "推动气象灾害防御条例实施办法报送县政府"),
        ("《医保基金监管办法》尚待县政府常务会审议", "推动《医保基金监管办法》经县政府常务会审议"),
        ("统计执法检查规程修订拖到2027年", "继续推进统计执法检查规程修订"),
        ("护林员档案电子化2027年底前完成", "2027年底前完成护林员档案电子化"),
    ],
)
def test_a_date_or_a_state_is_written_as_the_task_on_its_own_object(item: str, task: str) -> None:
    assert plan_task(item) == task


@pytest.mark.parametrize(
    "item",
    [
        "开展水行政执法案卷评查",  # already a task, verb first
        "争取新增持证执法人员3名",  # a counted figure keeps its item
        "退役军人服务站办公室2026年1月8日印发",  # an office issuing a paper on a day is no plan to turn round
        "优抚对象档案未整理完，推到2027年",  # the object is another clause: not guessed
        "预计2027年6月上线",  # no object, but a month the checks hold the draft to: kept, never dropped
    ],
)
def test_a_task_or_an_unreadable_item_is_kept_as_it_is(item: str) -> None:
    assert plan_task(item) == item


def test_the_plans_part_keeps_only_tasks() -> None:
    text = write_plans(
        ["拖到2027年", "水资源监管平台预计2027年6月上线", "开展水行政执法案卷评查"], opening=OPENING
    )
    assert "拖到" not in text and "一是推动水资源监管平台于2027年6月上线。" in text
    assert "二是开展水行政执法案卷评查。" in text


# -- shortcomings: one list of problems -------------------------------------------------------------------------


def test_two_judgements_of_one_line_are_one_list_of_problems() -> None:
    text = write_shortcomings([("水文监测站点偏少，汛期数据报送不及时。", None)], we="我局")
    assert text == "主要存在水文监测站点偏少、汛期数据报送不及时等问题。"


def test_a_fact_after_the_problem_keeps_its_own_sentence() -> None:
    text = write_shortcomings([("气象执法力量薄弱，法规科仅2人，均非法律专业出身。", None)], we="我局")
    assert text.startswith("主要存在气象执法力量薄弱的问题。") and "法规科仅2人" in text


# -- counts and papers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "written"),
    [
        ("行政复议1件（申请人不服医保待遇认定）", "发生行政复议1件（申请人不服医保待遇认定）"),
        ("行政诉讼2起", "发生行政诉讼2起"),
        ("公职律师2人", "配备公职律师2人"),
        ("法律顾问1名", "配备法律顾问1名"),
    ],
)
def test_a_count_gets_the_verb_its_noun_calls_for(clause: str, written: str) -> None:
    assert phrase(clause) == written


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("法规股对取水许可方案出了书面审查意见", "出具书面审查意见"),
        ("律师对征收补偿出了法律意见", "出具法律意见"),
        ("年初出了2个林地管理办法", "出台2个林地管理办法"),
    ],
)
def test_the_object_head_chooses_the_verb_of_issuing(spoken: str, written: str) -> None:
    assert written in to_written(spoken, unit="某县水利局", year=2026).text
