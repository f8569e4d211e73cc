"""Wrapping a page, an app or a form brings along, and words to the writer, never reach the report: a web page's
menu and footer, a form's fields about who handles a task by when, a clause said to 你, talk about the notes
themselves, a directive on how to write, where a file is kept, a spoken opener. The facts next to them stay."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _facts(notes: str, year: int = 2026) -> str:
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)
    return "\n".join(f.text for f in parsed.facts)


def test_a_portal_page_keeps_its_facts_and_loses_its_chrome() -> None:
    page = "\n".join(
        [
            "某县气象局门户网站 | 首页 | 机构概况 | 政务公开 | 气象服务 | 联系我们",
            "当前位置：首页 > 政务公开 > 工作总结",
            "县气象局2026年法治建设工作总结",
            "发布时间：2026-12-08 15:20    来源：县气象局办公室    作者：    浏览次数：131",
            "【字体：大 中 小】  【打印本页】  【关闭窗口】",
            "一、依法履职",
            "全年发布气象灾害预警信号46次，开展施放气球活动行政许可检查12次。",
            "二、普法宣传",
            "开展“气象法进校园”宣讲8场，发放资料2000余份。",
            "上一篇：县气象局召开汛期气象服务工作会",
            "下一篇：关于做好2027年人工影响天气作业准备的通知",
            "相关链接：中国气象局 | 省气象局",
            "【我要评论】 共0条评论",
            "版权所有：某县气象局  技术支持：某县信息中心  备案号：某ICP备0001号",
            "返回顶部",
        ]
    )
    text = _facts(page)
    assert "46次" in text and "12次" in text and "8场" in text
    for chrome in (
        "首页",
        "联系我们",
        "浏览次数",
        "打印本页",
        "关闭窗口",
        "上一篇",
        "下一篇",
        "相关链接",
        "评论",
        "版权所有",
        "技术支持",
        "返回顶部",
    ):
        assert chrome not in text, chrome


def test_a_menu_of_short_items_is_wrapping_and_a_list_of_deeds_is_not() -> None:
    notes = "\n".join(
        [
            "某县水利局办公平台 | 首页 | 通知公告 | 工作动态 | 下载中心 | 退出",
            "首页 · 信息公开 · 水利动态 · 联系我们",
            "全年办理水行政许可21件，查处河道违法案件9起。",
            "开展河湖巡查 | 清理违建 | 整治非法采砂 | 公示处理结果",
        ]
    )
    text = _facts(notes)
    assert "通知公告" not in text and "下载中心" not in text and "水利动态" not in text
    assert "21件" in text and "9起" in text
    assert "整治非法采砂" in text  # a list of deeds is work done, not a menu


def test_form_fields_about_handling_go_and_the_work_done_stays_without_its_label() -> None:
    sheet = "\n".join(
        [
            "督办事项二：医保基金监管",
            "牵头科室：基金监管科　　完成时限：6月30日　　是否完成：已完成",
            "落实情况：开展定点医药机构专项检查86家次，追回医保基金42.6万元。",
            "佐证材料：检查通报、现场照片",
            "检查家次：86家次　　追回金额：42.6万元",
            "主要负责人：局长带头讲医保法治课",
        ]
    )
    parsed = parse_notes(sheet, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    for gone in ("牵头科室", "完成时限", "是否完成", "佐证材料", "现场照片"):
        assert gone not in text, gone
    assert any(f.text.startswith("开展定点医药机构专项检查86家次") for f in parsed.facts)
    assert "落实情况" not in text
    assert "局长带头讲医保法治课" in text  # a field whose value is a deed is a fact, whatever its label
    # Fields that count something are facts, whatever their shape.
    assert "追回金额" in text or text.count("42.6万元") >= 2


def test_a_clause_said_to_you_is_a_remark_wherever_it_stands() -> None:
    notes = "\n".join(
        [
            "全年完成林木采伐许可审批57件，页眉页码那些你自己删掉。",
            "查处滥伐林木案件6起，护林员名单您看着处理。",
            "开展《你我同护一片林》主题宣传3场。",
        ]
    )
    text = _facts(notes)
    assert "57件" in text and "6起" in text and "3场" in text
    assert "删掉" not in text and "看着处理" not in text
    assert "你我同护一片林" in text  # a title in 《》 addresses no one


def test_talk_about_the_notes_and_directives_on_writing_are_remarks() -> None:
    notes = "\n".join(
        [
            "统计局那篇年度通报我整段贴过来了，要补的几处我先列在下面：",
            "全年开展统计执法检查14次，立案查处统计违法案件3件。",
            "统计违法举报核查数核不清就先空着",
            "统计执法证只有5个人有，这个当问题写吧",
            "联网直报平台改造还在招标，放明年打算里就行",
            "有事打我分机 6021",
        ]
    )
    text = _facts(notes)
    assert "14次" in text and "3件" in text
    for gone in ("贴过来", "列在下面", "先空着", "当问题写", "就行", "分机", "6021", "有事打我"):
        assert gone not in text, gone


def test_where_a_file_is_kept_is_wrapping_and_spoken_openers_are_filler() -> None:
    notes = "\n".join(
        [
            "- 走访慰问重点优抚对象312人次，慰问材料在共享盘",
            "- 烈士纪念设施保护执法检查5次，检查记录见OA附件",
            "讲老实话，光荣牌悬挂进度慢，乡镇人手不够",
            "嗯这个其实差不多了哈",
        ]
    )
    text = _facts(notes)
    assert "312人次" in text and "5次" in text
    assert "光荣牌悬挂进度慢" in text
    for gone in ("共享盘", "OA附件", "讲老实话", "差不多了"):
        assert gone not in text, gone
