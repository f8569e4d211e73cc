"""Talk about the notes and the form they came in never reaches the text, and a dated correction keeps its facts
(drafting/notes/roles.py, roles.toml): places and versions of the text, handling of the material, empty form
boxes, titles of the material, totals over several years, a correction header and a doubt that names its figure.
The notes are in the words of bureaus the bench cases do not use."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from core.types import ParsedNotes
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _parse(lines: list[str], year: int = 2026) -> ParsedNotes:
    return parse_notes("\n".join(lines), load_outline(DEFAULT_OUTLINE), year=year)


def _text(parsed: ParsedNotes) -> str:
    return "\n".join(f.text for f in parsed.facts)


def _aside(parsed: ParsedNotes, role: str) -> str:
    return "\n".join(c.text for c in parsed.set_aside if c.role == role)


def test_talk_about_a_place_or_a_version_of_the_text_is_a_remark() -> None:
    parsed = _parse(
        [
            "第二段水政执法那个58起是送审稿的数，定稿是61起，以61起为准",
            "全年查处水事违法案件61起，办结率100%。",
            "表里的“考核得分”不要",
            "起草《某县河道采砂管理办法》（送审稿），已征求14个部门意见。",
        ]
    )
    text = _text(parsed)
    assert "61起" in text and "14个" in text
    assert "送审稿的数" not in text and "第二段" not in text and "考核得分" not in text
    # a draft regulation the bureau wrote is its work, not a version of the notes
    assert "（送审稿）" in text
    assert "送审稿的数" in _aside(parsed, "remark")


def test_handling_of_the_material_is_wrapping() -> None:
    parsed = _parse(
        [
            "全年开展统计执法检查26次，立案查处统计违法案件4件。",
            "佐证材料另刻光盘一份随表报送",
            "原件随后报送",
            "附：2025年度统计执法对照检查表（略）",
            "统计执法这一节写完先给我看一眼",
            "我还要给局长过一遍",
        ]
    )
    text = _text(parsed)
    assert "26次" in text and "4件" in text
    for gone in ("光盘", "随后报送", "对照检查表", "看一眼", "过一遍"):
        assert gone not in text, gone
    assert "过一遍" in _aside(parsed, "wrapping")


def test_the_title_of_the_form_and_of_the_material_is_covering() -> None:
    parsed = _parse(
        [
            "某县退役军人事务局“八五”普法中期先进集体推荐审批表",
            "让法治护航每一位退役军人",
            "——某县退役军人事务局“八五”普法工作情况",
            "2025年开展“退役军人法治讲堂”12场，受教育1800人次。",
        ],
        year=2025,
    )
    text = _text(parsed)
    assert "12场" in text and "1800人次" in text
    for gone in ("推荐审批表", "护航每一位", "工作情况"):
        assert gone not in text, gone


def test_empty_form_boxes_never_become_sentences() -> None:
    parsed = _parse(
        [
            "申报单位：某县气象局（盖章）　　单位人数：31人",
            "推荐层级：□国家级 ☑省级 □市级",
            "全年开展气象执法检查15次，查处违法行为2起。",
            "推荐单位意见：同意推荐。　（盖章）　　年　月　日",
            "县普法办审核意见：　　　　　　　　　　年　月　日",
            "审核人：刘某　　　　单位负责人（签字）：",
        ]
    )
    text = _text(parsed)
    assert "15次" in text and "2起" in text
    for gone in ("年月日", "审核意见", "盖章", "推荐层级", "签字", "31人"):
        assert gone not in text, gone


def test_a_total_over_several_years_is_not_the_years_figure() -> None:
    parsed = _parse(
        [
            "“八五”普法启动以来，县医保局坚持以案释法，五年累计开展普法活动210场，受益群众超过6万人次，"
            "其中今年开展45场。",
            "近三年累计追回医保基金1260万元。",
            "全年检查定点医药机构186家。",
        ],
        year=2025,
    )
    text = _text(parsed)
    assert "45场" in text and "186家" in text
    for gone in ("210场", "6万人次", "1260万元"):
        assert gone not in text, gone
    earlier = [c for c in parsed.set_aside if c.role == "earlier"]
    assert any("210场" in c.text and "多年累计" in c.reason for c in earlier)
    assert any("1260万元" in c.text for c in earlier)


def test_this_years_start_is_no_multi_year_total() -> None:
    parsed = _parse(["今年以来受理水土保持方案审批23件。", "2026年以来办结行政复议3件。"])
    text = _text(parsed)
    assert "23件" in text and "3件" in text


def test_a_dated_correction_header_keeps_its_facts_and_supersedes_the_old_figure() -> None:
    parsed = _parse(
        [
            "落实情况：全年查处林业行政案件74起（初报数）。",
            "【12月2日更正】经与林业执法办案系统逐案核对，初报数含3起已撤销立案，全年实际查处林业行政案件71起，"
            "其中滥伐林木29起、非法占用林地42起；罚没款合计38.6万元。上年同期为65起。",
            "移送公安机关涉嫌犯罪案件6起，刑事拘留8人。",
            "说明：“罚没款合计38.6万元”这个数财务股对账后说是37.2万，待核实后再报。",
        ]
    )
    text = _text(parsed)
    for kept in ("71起", "29起", "42起", "6起", "8人"):
        assert kept in text, kept
    for gone in ("74起", "3起", "65起", "38.6万元", "更正"):
        assert gone not in text, gone
    superseded = [c for c in parsed.set_aside if c.role == "superseded"]
    assert any("74起" in c.figures for c in superseded)
    # the doubt names its figure: the fine waits, the transfers it does not name stay in the text
    waiting = [c for c in parsed.set_aside if c.pending]
    assert any("38.6万元" in c.figures for c in waiting)
    assert not any("6起" in c.figures or "8人" in c.figures for c in waiting)


def test_the_span_of_a_multi_year_total_goes_with_it_and_its_this_year_part_loses_the_dangling_qizhong() -> (
    None
):
    from core.config import DEFAULT_OUTLINE
    from drafting.notes import parse_notes
    from drafting.outline import load_outline

    notes = (
        "“十四五”以来，局里坚持执法全过程记录，四年累计查处水事违法案件96起，其中今年查处水事违法案件27起。\n"
    )
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2025)
    facts = "".join(f.text for f in parsed.facts)
    assert "96起" not in facts and "以来" not in facts, facts
    assert "今年查处水事违法案件27起" in facts and "其中" not in facts, facts
