"""A remark that points at what another line says carries its role there, and a line of deeds keeps the done ones
(drafting/notes/roles.py). Written in the words of bureaus other than the bench's."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.checks.roles import role_findings
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _parse(notes: str, year: int = 2026):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def _fact_text(parsed) -> str:  # noqa: ANN001
    return "\n".join(f.text for f in parsed.facts)


def _measures(parsed) -> str:  # noqa: ANN001
    return "\n".join(f.text for f in parsed.facts if not f.key.startswith(("shortcomings", "plans")))


def _pending(parsed) -> str:  # noqa: ANN001
    return "\n".join(c.text for c in parsed.pending)


def test_a_figure_pointed_at_and_doubted_above_waits_where_it_is_stated_below() -> None:
    notes = "\n".join(
        [
            "给写材料的同志：造林那个3.6万亩我怎么看都像是三年累计的，你再核一下，核不清就先空着",
            "一、依法履职",
            "全年完成人工造林3.6万亩，开展森林督查图斑核查214个。",
            "办理林木采伐许可证87件，均在法定时限内办结。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "3.6万亩" not in text
    assert "214个" in text and "87件" in text
    assert "3.6万亩" in _pending(parsed)
    for talk in ("再核", "核不清", "怎么看", "累计"):
        assert talk not in text


def test_a_quoted_figure_doubted_above_waits_where_it_is_stated_and_the_draft_stating_it_is_red() -> None:
    notes = "\n".join(
        [
            "说明：“追回资金128.4万元”这个数财务股对账后说是119.6万，差额可能是有一笔还在分期退回，待核实后再报。",
            "开展定点医药机构专项检查46家次，追回违规使用医保基金128.4万元。",
            "办理医保行政处罚案件5件。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "46家次" in text and "5件" in text
    assert "128.4万元" not in text and "119.6万" not in text
    assert "128.4万元" in _pending(parsed)
    draft = "全年开展专项检查46家次，追回违规使用医保基金128.4万元。"
    found = role_findings(draft, parsed.set_aside, parsed.facts, year=2026)
    assert "128.4万元" in found.unconfirmed


def test_a_quoted_phrase_said_to_be_not_done_is_never_a_measure() -> None:
    notes = "\n".join(
        [
            "水库那句“实现除险加固全覆盖”删掉，还有3座小二型水库没完工，推到明年了",
            "完成全县小型水库安全鉴定42座，实现病险水库除险加固全覆盖。",
            "开展河湖“清四乱”专项行动，清理违建12处。",
        ]
    )
    parsed = _parse(notes)
    measures = _measures(parsed)
    assert "42座" in measures and "12处" in measures
    assert "全覆盖" not in measures
    assert any(c.role == "not_done" and "全覆盖" in c.text for c in parsed.set_aside)
    assert "删掉" not in _fact_text(parsed)
    draft = "完成全县小型水库安全鉴定42座，实现病险水库除险加固全覆盖。"
    assert role_findings(draft, parsed.set_aside, parsed.facts, year=2026).not_done


def test_a_topic_said_not_to_be_written_as_built_stays_out_of_the_measures() -> None:
    notes = "\n".join(
        [
            "完成全县12个区域自动气象站维护，观测数据到报率99.8%。",
            "县级突发事件预警信息发布平台升级改造已完成招标。",
            "—— 以下是我补的 ——",
            "预警发布平台升级那个只是招标完了，设备还没装，明年4月才能验收，别写成建成了",
        ]
    )
    parsed = _parse(notes)
    measures = _measures(parsed)
    assert "12个" in measures
    assert "发布平台" not in measures
    assert "别写成" not in _fact_text(parsed)
    draft = "建成县级突发事件预警信息发布平台，完成全县12个区域自动气象站维护。"
    assert role_findings(draft, parsed.set_aside, parsed.facts, year=2026).not_done


def test_a_figure_doubted_once_is_doubted_wherever_the_same_thing_is_counted() -> None:
    notes = "\n".join(
        [
            "为退役军人家庭悬挂光荣牌352户。",
            "一、基本情况：全年走访慰问困难退役军人352户，发放慰问金28.5万元。",
            "二、具体工作：春节、八一期间走访慰问困难退役军人352户，其中参战退役军人41户。",
            "备注：走访慰问的352户好像把重复走访的也算进去了，再核一下。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "走访慰问困难退役军人352户" not in text
    assert "光荣牌352户" in text
    assert "28.5万元" in text and "41户" in text


def test_a_quoted_name_in_a_line_of_its_own_work_points_at_nothing() -> None:
    notes = "\n".join(
        [
            "推行统计“双随机、一公开”检查，抽查调查对象36家。",
            "“双随机、一公开”检查发现问题9个，还有2个正在整改。",
        ]
    )
    parsed = _parse(notes)
    assert "推行统计“双随机、一公开”检查" in _measures(parsed) and "36家" in _measures(parsed)


def test_a_finished_deed_stays_when_the_next_one_on_its_line_is_unfinished() -> None:
    parsed = _parse("修订《林木采伐审批办法》，经局务会审议通过；《古树名木保护细则》还在征求意见")
    measures = _measures(parsed)
    assert "林木采伐审批办法" in measures and "审议通过" in measures
    assert "古树名木" not in measures
    assert any("古树名木" in c.text for c in parsed.set_aside if c.role == "not_done") or any(
        "古树名木" in f.text for f in parsed.facts if f.key.startswith(("shortcomings", "plans"))
    )


def test_a_deeds_procedure_clause_stays_with_it() -> None:
    parsed = _parse(
        "按重大行政决策程序制定《防汛抗旱应急预案》，经局长办公会集体讨论通过；《河道采砂管理办法》正在起草"
    )
    measures = _measures(parsed)
    assert "重大行政决策程序" in measures and "集体讨论通过" in measures
    assert "河道采砂" not in measures


def test_a_deed_with_nothing_finished_stays_unfinished_whole() -> None:
    parsed = _parse("修订《退役军人服务站管理办法》；目前还在征求意见")
    assert "服务站管理办法" not in _measures(parsed)
