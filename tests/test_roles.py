"""Roles of the notes' clauses (drafting/notes/roles.py): the cue rows of roles.toml are their own tests, and
what a user needs holds on notes in shapes the reader was not written for."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.cues import load_cues
from drafting.notes.roles import first_cue
from drafting.outline import load_outline

CUES = load_cues()


def test_every_cue_has_an_example_and_a_unique_id() -> None:
    ids = [c.id for c in CUES]
    assert len(ids) == len(set(ids))
    assert all(c.examples for c in CUES)


@pytest.mark.parametrize(
    ("cue", "example"), [(c, e) for c in CUES for e in c.examples], ids=lambda v: getattr(v, "id", str(v))
)
def test_cue_fires_on_its_examples(cue, example) -> None:  # noqa: ANN001
    assert cue.pattern.search(example), f"{cue.id} does not fire on {example!r}"


@pytest.mark.parametrize(
    ("cue", "text"), [(c, u) for c in CUES for u in c.unlike], ids=lambda v: getattr(v, "id", str(v))
)
def test_cue_does_not_fire_on_its_counter_examples(cue, text) -> None:  # noqa: ANN001
    hit = first_cue(text, cue.role, cue.scope, year=2024)
    assert hit is None or hit[0].id != cue.id, f"{cue.id} fires on {text!r}"


def _parse(notes: str, year: int = 2024):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def _fact_text(parsed) -> str:  # noqa: ANN001
    return "\n".join(f.text for f in parsed.facts)


def test_a_voice_memo_keeps_only_this_years_facts() -> None:
    memo = "\n".join(
        [
            "（语音转文字，未校对）",
            "嗯，今年我们办理信访件62件，不对，说错了，是65件。",
            "然后入户核查好像是30多次吧，回头对一下。",
            "上年度受理投诉八十几件，这个不用写。",
            "开展法律顾问审查合同19份。",
            "小赵你把这个弄成正式稿子，周三前发我。",
            "就这些。",
        ]
    )
    parsed = _parse(memo)
    text = _fact_text(parsed)
    assert "65件" in text and "19份" in text
    for gone in ("62件", "30多次", "八十几件", "小赵", "周三", "语音", "不对", "就这些"):
        assert gone not in text, gone
    roles = {c.role for c in parsed.set_aside}
    assert {"superseded", "unconfirmed", "earlier", "remark", "wrapping"} <= roles
    # The doubted figure waits for the user; a corrected-away one does not.
    assert any(c.pending and "30多次" in c.text for c in parsed.set_aside)
    assert not any(c.pending and c.role == "superseded" for c in parsed.set_aside)


def test_a_correction_on_a_later_line_replaces_the_earlier_figure() -> None:
    chat = "\n".join(
        [
            "执法一科 10:02 今年双随机抽查企业268户",
            "执法一科 10:05 更正：应为271户",
            "法规科 10:07 组织旁听庭审2次",
        ]
    )
    parsed = _parse(chat)
    text = _fact_text(parsed)
    assert "271户" in text and "268户" not in text and "更正" not in text


def test_an_unfinished_task_is_never_a_measure() -> None:
    todo = "\n".join(
        [
            "- [x] 完成行政执法人员资格清理1次",
            "- [ ] 编制行政检查事项清单（系统还没上线，推到明年）",
        ]
    )
    parsed = _parse(todo)
    measures = [f for f in parsed.facts if f.key.startswith("measures")]
    assert any("资格清理" in f.text for f in measures)
    assert not any("检查事项清单" in f.text for f in measures)
    assert any(c.role == "not_done" and "检查事项清单" in c.text for c in parsed.set_aside) or any(
        "检查事项清单" in f.text for f in parsed.facts if f.key in ("shortcomings", "plans")
    )


def test_a_comparison_that_says_so_stays_and_a_bare_earlier_figure_goes() -> None:
    parsed = _parse("受理消费投诉138件，同比增长12%；上年为123件。")
    text = _fact_text(parsed)
    assert "138件" in text and "12%" in text and "123件" not in text


def test_links_tags_and_mail_headers_are_wrapping() -> None:
    mail = "\n".join(
        [
            "发件人：县农业农村局法规科 <fgk@example.cn>",
            "主题：法治材料",
            "#法治 #年度",
            "开展农资打假专项行动3次，详见[工作动态](http://example.cn/news/1)",
        ]
    )
    parsed = _parse(mail)
    text = _fact_text(parsed)
    assert "3次" in text and "工作动态" in text
    for gone in ("http", "example.cn", "#", "发件人", "fgk"):
        assert gone not in text, gone


def test_a_doubt_about_the_figure_just_said_sets_that_figure_aside() -> None:
    parsed = _parse("全年发放宣传资料5000余份，这个数再核一下")
    assert "5000" not in _fact_text(parsed)
    assert any(c.pending and "5000" in c.text for c in parsed.set_aside)


def test_an_approximation_is_not_a_doubt() -> None:
    parsed = _parse("培训网格员约300人次，发放手册1200册左右")
    text = _fact_text(parsed)
    assert "300人次" in text and "1200册" in text
    assert not parsed.pending


def test_a_pending_clause_the_user_confirms_is_written_into_the_part_chosen(bundled_workspace) -> None:  # noqa: ANN001
    notes = "全年开展执法检查120次\n罚没款好像是30多万元，再核一下\n组织执法人员培训3期"
    ws = bundled_workspace
    draft = ws.draft(notes, unit="某县城市管理局", year=2024, engine="offline")
    text = "\n".join(s.text for s in draft.sections)
    assert "30多万元" not in text and draft.status.level != "green"
    [waiting] = [i for i, c in enumerate(draft.pending) if "30多万元" in c.text]
    before = {s.key: s.text for s in draft.sections if s.key != "measures.enforcement"}
    done = ws.confirm_pending(draft, waiting, "measures.enforcement", engine="offline")
    enforcement = done.section("measures.enforcement")
    assert enforcement is not None and "30多万元" in enforcement.text
    assert "好像" not in enforcement.text and "再核" not in enforcement.text
    assert not any("30多万元" in c.text for c in done.pending)
    # Every other section keeps its text.
    assert {s.key: s.text for s in done.sections if s.key in before} == before


def test_a_value_said_to_be_written_wrongly_elsewhere_goes_with_its_aside() -> None:
    parsed = _parse("办理信访事项213件，按期办结率97%。（更正：上次报的稿子里写成231件，有误，以本稿为准）")
    text = _fact_text(parsed)
    assert "213件" in text and "97%" in text
    assert "231件" not in text and "更正" not in text and "本稿" not in text
    assert any(c.role == "superseded" and "231件" in c.figures for c in parsed.set_aside)


def test_a_bare_status_cell_speaks_for_its_whole_row() -> None:
    rows = "\n".join(
        [
            "事项\t牵头科室\t状态\t截止时间",
            "编制行政许可事项清单\t审批科\t已完成\t2024-06-30",
            "修订执法文书格式\t法规科\t未启动\t2024-09-30",
        ]
    )
    parsed = _parse(rows)
    assert not any("执法文书格式" in f.text for f in parsed.facts if f.key.startswith("measures"))
    assert any("执法文书格式" in c.text or c.text == "未启动" for c in parsed.pending)


def test_a_change_log_of_a_value_already_stated_is_no_fact() -> None:
    notes = "\n".join(["全年受理行政许可申请1520件", "修改记录：受理数由“1502件”改为“1520件”"])
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert text.count("1520件") == 1 and "1502件" not in text and "修改记录" not in text


def test_one_unfinished_clause_does_not_take_the_done_work_of_its_line_with_it() -> None:
    parsed = _parse("行政应诉9件：已审结7件，均胜诉；2件还在审理")
    text = _fact_text(parsed)
    assert "9件" in text and "7件" in text


def test_a_judgement_at_a_sentence_end_keeps_the_sentence_in_one_part() -> None:
    parsed = _parse("稽查队现有在编执法人员12人，具有法律专业背景的仅2人，专业力量明显不足；另外执法装备老化")
    keys = {f.key.split(".")[0] for f in parsed.facts if "12人" in f.text or "2人" in f.text}
    assert keys == {"shortcomings"}, [(f.key, f.text) for f in parsed.facts]


def test_speech_to_an_audience_and_document_notes_stay_out() -> None:
    notes = "\n".join(
        [
            "【说明】以下是局长在年度工作会上讲话的录音整理",
            "同志们：",
            "我讲两点意见。今年我们办理行政许可892件（掌声）",
            "（综合科汇总，数据截至11月30日，供起草年度报告用，请勿对外公开）",
            "钱某 | 县体育局 | 办公电话 5523xxxx",
            "#年度 #法治",
        ]
    )
    text = _fact_text(_parse(notes))
    assert "892件" in text
    for gone in ("说明", "同志们", "两点意见", "掌声", "数据截至", "请勿", "5523", "#"):
        assert gone not in text, gone


def test_the_offline_engine_reads_the_configured_outline(bundled_workspace, tmp_path) -> None:  # noqa: ANN001
    """ZHIBI_OUTLINE is every reader's outline: a bureau's own preamble wording reaches the offline draft."""
    from core.config import resolve_settings
    from zhibi.api import Workspace

    own = tmp_path / "outline.toml"
    own.write_text(
        DEFAULT_OUTLINE.read_text(encoding="utf-8").replace(
            "认真落实法治政府建设各项任务", "扎实推进本系统依法行政各项任务", 1
        ),
        encoding="utf-8",
    )
    ws = Workspace(resolve_settings(home=bundled_workspace.settings.home, outline_path=str(own)))
    draft = ws.draft(
        "全年开展执法检查120次\n组织执法人员培训3期", unit="某县体育局", year=2024, engine="offline"
    )
    text = "\n".join(s.text for s in draft.sections)
    assert "扎实推进本系统依法行政各项任务" in text
    plain = bundled_workspace.draft("全年开展执法检查120次", unit="某县体育局", year=2024, engine="offline")
    assert "扎实推进本系统依法行政各项任务" not in "\n".join(s.text for s in plain.sections)


def test_last_years_column_under_a_merged_header_is_never_this_years() -> None:
    """A spreadsheet pasted with a merged cell over 本年/上年/增减: the cells no longer line up with the header,
    but the row's figures in order are the value columns in order."""
    table = "\n".join(
        [
            "序号\t项目（单位）\t2024年度\t\t\t备注",
            "\t\t本年\t上年\t增减\t",
            "一\t执法办案",
            "1\t行政检查（家次）\t352\t298\t+54\t含联合检查",
            "2\t罚没款（万元）\t18.6\t22.4\t-3.8\t",
        ]
    )
    parsed = _parse(table)
    text = _fact_text(parsed)
    assert "352家次" in text and "18.6万元" in text
    for gone in ("298", "22.4", "+54", "-3.8", "上年", "增减"):
        assert gone not in text, gone
    assert {"298家次", "22.4万元"} <= {f for c in parsed.set_aside if c.role == "earlier" for f in c.figures}


def test_a_reviewers_note_inside_a_line_speaks_to_the_writer_and_disputes_its_figure() -> None:
    line = "全年办理行政许可412件，按期办结率100%。〔张科批：办结率是系统算的，不一定准，别写100%〕开展集中审批日活动6次"
    parsed = _parse(line)
    text = _fact_text(parsed)
    assert "412件" in text and "6次" in text  # the line's other facts survive: the note is no instruction
    assert "张科" not in text and "别写" not in text and "100%" not in text
    assert any(c.pending and "100%" in c.text for c in parsed.set_aside)
    assert not parsed.instructions


def test_struck_through_values_are_corrected_away() -> None:
    parsed = _parse("全年受理投诉举报 ~~356~~ 365件，办结率~~95%~~ 98%")
    text = _fact_text(parsed)
    assert "365件" in text and "98%" in text and "356" not in text and "95%" not in text and "~" not in text
    assert any(c.role == "superseded" and "356" in c.text for c in parsed.set_aside)


def test_a_report_names_no_staff() -> None:
    """A roster, a speaker and a colleague's name are wrapping; the facts they say stay, without the names."""
    minutes = "\n".join(
        [
            "参会人员：吴海燕、钱志刚、孙丽（记录）",
            "钱志刚（执法股）：我补两条；全年办理林业行政案件41件",
            "组织执法人员旁听庭审2次，邹股长带队",
        ]
    )
    text = _fact_text(_parse(minutes))
    assert "41件" in text and "2次" in text
    for name in ("吴海燕", "钱志刚", "孙丽", "邹股长", "我补两条"):
        assert name not in text


def test_a_figure_asked_about_or_illegible_waits() -> None:
    notes = "\n".join(["调解纠纷47件", "法律顾问审查合同5份？", "普法讲座有个十来场吧", "发放资料3□□份"])
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "47件" in text
    for doubted in ("5份", "十来场", "3□□份"):
        assert doubted not in text
    assert len(parsed.pending) >= 3


def test_a_reviewers_remark_corrects_confirms_or_removes() -> None:
    notes = "\n".join(
        [
            "全年受理复议申请12件，诉讼4件〔王局批：12件含3件不予受理，受理的是9件，写9件〕",
            "培训网格员160人次〔批：照实写160人次就行〕",
            "人手不足，基层执法力量薄弱〔批注：第三部分另有材料，这段不用〕",
            "完成执法记录仪配发，〔批：没完成，招标还没结束〕覆盖执法人员38人",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "9件" in text and "12件" not in text and "4件" in text
    assert "160人次" in text
    assert "人手不足" not in text
    assert "完成执法记录仪配发" not in text and "38人" in text
    assert any("执法记录仪" in c.text for c in parsed.pending)


def test_notes_that_declare_their_part_are_placed_there() -> None:
    notes = "\n".join(
        [
            "（以下材料放报告第二部分用）",
            "局长带队到乡镇民政所调研6次，发现问题12个",
            "主要负责人出庭应诉2件",
        ]
    )
    parsed = _parse(notes)
    assert {f.key for f in parsed.facts} == {"leadership"}


def test_a_footnote_or_a_later_line_can_doubt_or_withhold_a_figure() -> None:
    notes = "\n".join(
        [
            "项目\t本年",
            "救助金发放（万元）\t318.6",
            "低保对象核查（户）\t2140",
            "临时救助（人次）\t77",
            "注1：救助金318.6万是系统导出的，口径还没对上，先别写死，等核完再说。",
            "说明：低保核查2140户属于涉密数据，报告里不写。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "77人次" in text
    assert "318.6" not in text and "2140" not in text
    assert any("318.6" in c.text for c in parsed.pending)
    assert not any("2140" in c.text for c in parsed.pending)  # withheld: nothing for the user to confirm


def test_tracked_changes_copied_from_word_keep_only_what_was_inserted() -> None:
    notes = "\n".join(
        [
            "开展校园食品安全检查[删除的内容: 86所][插入的内容: 92所]｛王芳 2026/11/26 09:14｝，发现问题17个。",
            "[批注 王芳 2026/11/26 09:20]: 86所是上半年的数。",
            "[删除的内容: 全面完成校外培训机构清理整顿。][插入的内容: 开展校外培训机构清理整顿。]",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "92所" in text and "17个" in text
    for gone in ("86所", "删除的内容", "插入的内容", "王芳", "2026/11/26", "批注", "全面完成"):
        assert gone not in text, gone


def test_a_table_rows_remark_cell_can_doubt_its_value() -> None:
    table = "\n".join(
        [
            "指标\t本期\t备注",
            "商务执法检查（家次）\t312\t",
            "追缴违规资金（万元）\t约46\t部分项目未结，本期为预估数",
            "培训外贸企业（人次）\t180\t未明确前暂按180填",
        ]
    )
    parsed = _parse(table, year=2026)
    text = _fact_text(parsed)
    assert "312家次" in text
    assert "46" not in text and "180" not in text
    assert {"46万元", "180人次"} <= {f for c in parsed.pending for f in c.figures}


def test_last_years_text_with_this_years_edits_keeps_only_the_edits() -> None:
    notes = "\n".join(
        [
            "说明：去年原文没动，【改】后面是今年的",
            "全年办理商务行政执法案件14件，罚没款8.2万元。",
            "【改】今年办理商务行政执法案件19件，罚没款11.6万元。",
            "组织外贸企业合规培训3场。",
            "【改】今年合规培训5场，覆盖企业120家。",
        ]
    )
    parsed = _parse(notes, year=2026)
    text = _fact_text(parsed)
    assert "19件" in text and "11.6万元" in text and "5场" in text and "120家" in text
    for old in ("14件", "8.2万元", "3场", "【改】", "改："):
        assert old not in text, old


def test_confirming_a_doubted_figure_keeps_the_figure_and_drops_the_doubt() -> None:
    from drafting.notes.roles import confirmed_text

    parsed = _parse("\n".join(["法律顾问审查合同5份？", "普法讲座好像是十二场吧，再核一下"]))
    confirmed = [confirmed_text(c) for c in parsed.pending]
    assert any("5份" in t and "？" not in t for t in confirmed)
    assert any("十二场" in t and "好像" not in t and "吧" not in t for t in confirmed)


def test_a_colleagues_inline_suggestion_or_doubt_is_a_remark() -> None:
    notes = "\n".join(
        [
            "清理涉企规范性文件15件，宣布失效4件。【建议：失效的4件列个名单放附件，正文不用列】",
            "明确年度任务21项。【存疑：21项是年初定的，年中又加了任务，请办公室核一下】",
        ]
    )
    parsed = _parse(notes, year=2026)
    text = _fact_text(parsed)
    assert "15件" in text and "4件" in text  # the suggestion names the line's own figure: no dispute
    assert "建议" not in text and "名单" not in text and "存疑" not in text
    assert "21项" not in text and any("21项" in c.text for c in parsed.pending)


def test_a_corrections_explanation_a_deferral_and_a_repeated_doubt_are_talk() -> None:
    notes = "\n".join(
        [
            "发件：县民宗局办公室 黄晓峰",
            "法治专题培训办了3期，参训156人——不对，是165人，上次表格抄错了。",
            "法律顾问审查合同19份？这个数我拿不准，等财务股回话。",
            "配套细则原计划年内出台，目前还在征求意见，明年上半年再说。",
        ]
    )
    parsed = _parse(notes, year=2026)
    text = _fact_text(parsed)
    assert "165人" in text and "156人" not in text and "抄错" not in text
    for gone in ("19份", "财务股回话", "再说", "黄晓峰", "民宗局办公室"):
        assert gone not in text, gone
    assert [c.text for c in parsed.pending if "回话" in c.text] == []
    assert any("细则" in c.text for c in parsed.pending)


def test_last_years_figure_in_brackets_leaves_this_years_clause_standing() -> None:
    parsed = _parse("科技项目合同审查：全年审查项目合同41份（2024年为33份），提出修改意见18条。", 2025)
    text = _fact_text(parsed)
    assert "41份" in text and "18条" in text and "33份" not in text
    assert any(c.role == "earlier" and "33份" in c.text for c in parsed.set_aside)


def test_a_correction_corrects_the_value_it_names_not_one_it_says_stays() -> None:
    notes = "\n".join(
        [
            "科普讲座进社区：全年组织讲座26场，听众1800人次，其中青少年620人次。",
            "补充：讲座场次原来报的26场有误，核对台账为28场（青少年620人次不变），以28场为准。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "28场" in text and "620人次" in text and "26场" not in text


def test_a_part_named_aloud_is_the_topic_of_the_turns_after_it() -> None:
    call = "\n".join(
        [
            "[00:01:10] 说话人1：今年档案执法检查立卷单位42家。",
            "[00:02:10] 说话人1：然后短板这块，我说几条。",
            "[00:03:10] 说话人2：第一是人手，馆里编制15个，实际在岗9个。",
            "[00:04:10] 说话人2：第二，库房温湿度设备6台，坏了2台。",
            "[00:05:10] 说话人1：哦对了，档案法宣传进机关搞了8场。",
        ]
    )
    parsed = _parse(call, 2025)
    placed = {f.line_no: f.key for f in parsed.facts}
    assert placed[3] == "shortcomings" and placed[4] == "shortcomings"
    assert placed[1].startswith("measures") and placed[5].startswith("measures")
    # Only the section's lines go into a draft of that section: the notes placed the others themselves.
    from drafting.plan import split_scope

    mine, _ = split_scope(load_outline(DEFAULT_OUTLINE), parsed.facts, "shortcomings")
    assert {f.line_no for f in mine} == {3, 4}


def test_a_remark_that_says_where_a_line_goes_moves_that_line() -> None:
    chat = "\n".join(
        [
            "[00:06:10] 说话人1：跟6个社区签了侨务法律服务协议，还有4个没签。",
            "[00:07:10] 说话人2：这个放不足里。",
            "[00:08:10] 说话人1：侨法宣传月发放资料2100份。",
            "[00:09:10] 说话人2：第三条放第三部分也行，你们定。",
        ]
    )
    placed = {f.line_no: f.key for f in _parse(chat, 2025).facts}
    assert placed[1] == "shortcomings"
    assert placed[3].startswith("measures")  # "也行，你们定" speaks of another item and only suggests


def test_a_reviewers_note_that_says_the_figure_was_set_right_keeps_it() -> None:
    notes = "严格合同审查。全年审查各类合同46份【建议：原稿写的41份，年底又审了5份，已改】，均出具书面意见。"
    parsed = _parse(notes, 2025)
    assert "46份" in _fact_text(parsed)
    assert not any(c.pending for c in parsed.set_aside)


def test_a_letters_formulae_a_revision_log_and_a_sign_off_are_wrapping() -> None:
    letter = "\n".join(
        [
            "某某县档案馆2025年法治政府建设情况报告（送审稿）",
            "贵办《关于报送法治政府建设情况的通知》收悉，现将有关情况报告如下：",
            "全年开展档案执法检查37家，下达整改通知书9份。",
            "特此报告。",
            "某某县档案馆",
            "2025年12月",
            "——修订记录——",
            "v2  12月3日  办公室  补充执法数据",
        ]
    )
    parsed = _parse(letter, 2025)
    text = _fact_text(parsed)
    assert "37家" in text and "9份" in text
    for gone in ("收悉", "报告如下", "特此", "送审稿", "修订记录", "v2", "2025年12月"):
        assert gone not in text, gone


def test_a_line_whose_part_the_reader_cannot_tell_is_asked_about_not_written(bundled_workspace) -> None:  # noqa: ANN001
    notes = "全年开展执法检查86次。\n组织执法人员培训4期。\n完成馆藏破损资料抢救修复860件。"
    ws = bundled_workspace
    draft = ws.draft(notes, unit="某县档案馆", year=2025, engine="offline")
    text = "\n".join(s.text for s in draft.sections)
    assert "86次" in text and "860件" not in text
    [waiting] = [i for i, c in enumerate(draft.pending) if "860件" in c.text]
    assert draft.pending[waiting].role == "unplaced" and draft.status.level != "green"
    done = ws.confirm_pending(draft, waiting, "measures.functions", engine="offline")
    assert "860件" in done.section("measures.functions").text


def test_a_hard_wrapped_line_goes_on_with_the_line_before() -> None:
    wrapped = "\n".join(
        [
            "严格规范公正文明执法。全年开展体育经营场所执法检查46次，检查中对全县游泳场所救生员",
            "的证件逐一比对，共比对1200余人次",
        ]
    )
    placed = {f.line_no: f.key for f in _parse(wrapped, 2025).facts}
    assert placed.get(2) == placed[1] == "measures.enforcement"


def test_a_months_figure_and_an_earlier_running_total_are_not_the_years() -> None:
    monthly = "\n".join(
        [
            "档案行政检查：本月4家，累计9家。",
            "档案行政检查：本月6家，累计15家。",
            "接待查档：本月320人次。",
            "1—10月累计开展档案法宣传12场。",
        ]
    )
    parsed = _parse(monthly)
    text = _fact_text(parsed)
    assert "15家" in text and "12场" in text
    for gone in ("4家", "9家", "6家", "320人次"):
        assert gone not in text, gone
    # A month's figure with no running total of the same thing waits for the user; the replaced ones do not.
    assert any(c.pending and c.role == "partial" and "320人次" in c.text for c in parsed.set_aside)
    assert not any(c.pending and "9家" in c.text for c in parsed.set_aside)


def test_a_half_years_figure_gives_way_to_the_whole_years() -> None:
    diary = "\n".join(
        ["7月2日 半年小结：科普讲座约40场。", "12月30日 全年汇总：科普讲座约95场，受众约1.2万人次。"]
    )
    text = _fact_text(_parse(diary))
    assert "约95场" in text and "40场" not in text


def test_another_year_named_at_the_head_of_a_sentence_holds_for_its_next_clause() -> None:
    parsed = _parse("对照：2023年全年办理侨务信访41件，协调解决侨胞诉求17件。今年办理侨务信访52件。")
    text = _fact_text(parsed)
    assert "52件" in text and "41件" not in text and "17件" not in text
    # An aside on the clause before does not carry its year over the semicolon.
    text = _fact_text(_parse("受理复议申请12件，上年为9件；纠错3件。"))
    assert "纠错3件" in text


def test_a_sigh_in_a_work_diary_is_no_fact() -> None:
    parsed = _parse("11月5日 唉，又熬夜赶表，扫描仪坏了2台。\n11月6日 组织档案执法培训1期。")
    text = _fact_text(parsed)
    assert "培训1期" in text and "熬夜" not in text and "唉" not in text and "2台" not in text
    assert any(c.pending and "2台" in c.text for c in parsed.set_aside)


def test_a_colleague_called_by_surname_never_reaches_the_text() -> None:
    text = _fact_text(_parse("何局长带队检查体育场馆8家，台账请小孙再整理。\n组织全民健身赛事6场。"))
    assert "8家" in text and "6场" in text and "何" not in text and "小孙" not in text


def test_a_chat_turn_typed_with_spaces_keeps_its_clauses_apart() -> None:
    chat = "\n".join(
        [
            "[2025-01-08 09:10] 我：科技局全年受理科技项目投诉7件，办结7件。",
            "[2025-01-08 09:30] 刘主任：看过了 就这么定吧 报上去",
        ]
    )
    text = _fact_text(_parse(chat))
    assert "7件" in text and "就这么定" not in text and "报上去" not in text


def test_a_dictated_figure_replaces_the_whole_a_part_was_taken_from() -> None:
    chat = "\n".join(
        [
            "[2025-01-08 09:10] 我：档案馆审议重大事项17项，均经合法性审查。",
            "[2025-01-08 09:40] 王馆长：17项里有2项是人事任免 不算决策事项 写15项",
        ]
    )
    text = _fact_text(_parse(chat))
    assert "重大事项15项" in text and "17项" not in text and "人事任免" not in text


def test_this_one_not_takes_the_clause_just_said_with_it() -> None:
    text = _fact_text(_parse("侨办开展涉侨法律咨询12场。2023年那次是分管领导带队的，这个不用提。"))
    assert "12场" in text and "分管领导" not in text


def test_a_remark_that_quotes_the_phrase_it_deletes_is_a_remark() -> None:
    text = _fact_text(_parse("体育局组织全民健身赛事6场，这句“全民健身”删掉。"))
    assert "6场" in text and "删掉" not in text


def test_the_sentence_before_an_inline_edit_mark_is_the_old_text() -> None:
    parsed = _parse("全年办理科技项目审查41项。【改】今年办理科技项目审查56项。", year=2025)
    text = _fact_text(parsed)
    assert "56项" in text and "41项" not in text and "【改】" not in text
    assert any(c.role == "earlier" and "41项" in c.text for c in parsed.set_aside)


def test_a_correction_that_names_the_post_it_corrects_finds_the_value_by_subject() -> None:
    chat = "\n".join(
        [
            "1. 办公室：党组会专题研究法治建设3次；中心组学法6次；局长述法1次",
            "2. 法规股：组织普法进社区19场",
            "3. 办公室：更正1楼，中心组学法是7次",
        ]
    )
    text = _fact_text(_parse(chat))
    assert "学法7次" in text and "6次" not in text and "述法1次" in text


def test_an_aside_about_an_earlier_versions_figure_goes_whole() -> None:
    parsed = _parse(
        "全市体育场馆免费开放45家全部完成（原统计表填的是52家，把已关停的也算进去了），群众满意。"
    )
    text = _fact_text(parsed)
    assert "45家" in text and "52家" not in text and "关停" not in text


def test_an_aside_that_only_talks_to_the_writer_goes_whole() -> None:
    text = _fact_text(_parse("档案馆全年接待查档1260人次（我查的借阅登记簿，应该没错），开放档案3批。"))
    assert "1260人次" in text and "3批" in text and "登记簿" not in text and "没错" not in text


def test_a_reviewer_disputing_a_quoted_phrase_holds_its_clause() -> None:
    parsed = _parse("全年开放体育场馆23家，免费开放覆盖全部乡镇。〔局长批：“全部”不对，有3个乡镇没有场馆〕")
    text = _fact_text(parsed)
    assert "23家" in text and "全部乡镇" not in text
    assert any(c.pending and "全部乡镇" in c.text for c in parsed.set_aside)


def test_a_remark_that_keeps_comparisons_out_takes_the_comparison_it_follows() -> None:
    text = _fact_text(_parse("全年举办科普讲座36场，较上年的30场增加6场。〔批：跟去年比的统一不放〕"))
    assert "36场" in text and "30场" not in text and "增加6场" not in text


def test_a_note_that_strikes_the_clause_it_follows_holds_that_clause() -> None:
    parsed = _parse("全年开展科技执法检查42次，查处违规项目……〔主任批：项目数跟条财科对不上，先删掉〕")
    text = _fact_text(parsed)
    assert "42次" in text and "违规项目" not in text


def test_a_doubting_note_that_names_the_figure_by_its_number_holds_it() -> None:
    parsed = _parse("开展科普进社区活动12场，覆盖居民约860人次。【存疑：860是估的，签到表只有700人】")
    text = _fact_text(parsed)
    assert "12场" in text and "860" not in text
    assert any(c.pending and "860人次" in c.text for c in parsed.set_aside)


def test_a_comment_line_doubting_this_figure_holds_the_figure_before_it() -> None:
    notes = "\n".join(
        [
            "全年查处侨务领域违法案件6件，追缴资金82.4万元。",
            "[批注 王某 2025/12/02 15:50]: 这个数跟市里通报的对不上，请财务再核。",
            "开展涉侨法律服务进社区14场。",
        ]
    )
    parsed = _parse(notes, year=2025)
    text = _fact_text(parsed)
    assert "6件" in text and "14场" in text and "82.4万元" not in text
    assert any(c.pending and "82.4万元" in c.text for c in parsed.set_aside)


def test_a_reply_to_a_finding_keeps_its_answers_and_drops_its_talk() -> None:
    reply = "\n".join(
        [
            "某县科学技术局关于县委依法治县办督察反馈问题整改情况的报告",
            "某科函〔2025〕12号",
            "全年开展科技项目合同合法性审查31份，出具法律意见书9份。",
            "（督察组认为我局审查流于形式，依据是上半年只审了4份，这个我们有意见。）",
            "2024年同期审查合同19份，供对比。",
            "第二段括号里那句是气话，别用。",
        ]
    )
    parsed = _parse(reply, 2025)
    text = _fact_text(parsed)
    assert "31份" in text and "9份" in text
    for gone in ("报告", "〔2025〕", "督察组", "有意见", "19份", "供对比", "别用", "4份"):
        assert gone not in text, gone
    assert any(c.pending and "4份" in c.text for c in parsed.set_aside)


def test_an_unfinished_aside_waits_and_the_work_done_stands() -> None:
    parsed = _parse("制定科技领域行政规范性文件4件（另有2件预计明年印发）", 2025)
    assert "4件" in _fact_text(parsed) and "2件" not in _fact_text(parsed)
    assert any(c.role == "not_done" and c.pending and "2件" in c.text for c in parsed.set_aside)


def test_a_self_assessment_sheet_keeps_the_work_and_never_a_score() -> None:
    # A 档案馆's assessment form pasted from a spreadsheet: a caption over the header, a cell with line breaks
    # in quotes, score columns, an evidence column, a column of reasons for lost points and a total row.
    sheet = "\n".join(
        [
            "被考评单位（盖章）：某县档案馆\t\t\t填表日期：2026年1月6日",
            "序号\t评价内容\t标准分\t得分\t工作完成情况（简述）\t证明材料\t扣分原因",
            '1\t档案执法\t12\t10.5\t"1.开展档案执法检查23家；',
            '2.下达整改通知书6份"\t附件3-2检查记录\t档案数字化进度滞后，扣1.5分',
            "2\t普法宣传\t8\t8\t国际档案日开展宣传活动4场\t附件4照片\t",
            "合计\t\t20\t18.5\t\t\t",
        ]
    )
    parsed = _parse(sheet, year=2025)
    text = _fact_text(parsed)
    assert "23家" in text and "6份" in text and "4场" in text
    for gone in (
        "12",
        "10.5",
        "18.5",
        "标准分",
        "得分",
        "附件3-2",
        "附件4",
        "扣1.5分",
        "盖章",
        "填表日期",
        "合计",
    ):
        assert gone not in text, gone
    # The reason points were lost is a failing of the year: it goes to the shortcomings part.
    reason = next(f for f in parsed.facts if "数字化进度滞后" in f.text)
    assert reason.key == "shortcomings"
    assert not any("数字化进度滞后" in f.text for f in parsed.facts if f is not reason)


def test_an_outline_exports_branches_and_marks_stay_out_of_the_text() -> None:
    # A 侨办's mind map pasted as text: the tool's branch drawing is no word of the notes; a node marked [?] waits.
    outline = "\n".join(
        [
            "├─ 三、侨法宣传",
            "│  ├─ 开展侨法进社区宣传活动6场",
            "│  └─ 发放宣传资料约900份 [?]",
        ]
    )
    parsed = _parse(outline, year=2025)
    text = _fact_text(parsed)
    assert "6场" in text
    for gone in ("├", "│", "└", "─", "[?]", "900份"):
        assert gone not in text, gone
    assert any(c.pending and "900份" in c.text for c in parsed.set_aside)


def test_a_memo_of_a_new_shape_keeps_its_parts_and_drops_its_wrapping() -> None:
    memo = "\n".join(
        [
            "县档案馆 2025年法治工作情况（初稿）",
            "1）馆藏档案开放审核办件28件，均在法定时限内办结（2024年同期21件，供对比）。",
            "然后不足这块，说两条：",
            "第一是人手，馆里编制6个，实际在岗4个。",
            "明年的打算呢，一是修订档案利用工作规程，二是开展档案法宣传月活动。",
            "县档案馆",
        ]
    )
    parsed = _parse(memo, 2025)
    placed = {f.line_no: f for f in parsed.facts}
    assert "28件" in placed[2].text and "21件" not in placed[2].text and "法定时限" in placed[2].text
    assert placed[4].key == "shortcomings" and placed[5].key == "plans"
    assert "打算" not in placed[5].text
    assert 1 not in placed and 6 not in placed  # the title and the sign-off are wrapping


def test_an_approval_log_keeps_the_form_and_drops_its_routing() -> None:
    log = "\n".join(
        [
            "飞书 · 审批详情",
            "审批编号：202611030815000212",
            "标题：孙某提交的《2026年医保局法治材料》审批",
            "当前状态：已通过（第2次提交）",
            "【执法】查处违规使用医保基金案件14件，追回资金31.5万元。",
            "【不足】基金监管专业力量不足。",
            "● 发起申请　孙某　2026-11-02 16:40",
            "● 审批人　赵某（基金股股长）　已同意　2026-11-03 10:15",
            "　　意见：追回资金31.5万元我有疑问，财务股账上是30万多一点。",
            "● 审批人　钱某（分管副局长）　已退回　2026-11-04 09:12",
            "　　意见：1.执法那块按赵某意见改；2.不足先不要报，这次材料里不写。",
            "● 重新提交　孙某　2026-11-05 08:10",
            "● 抄送　法律顾问、办公室　已读",
            "● 审批结束　2026-11-06 17:30",
        ]
    )
    parsed = _parse(log, 2026)
    text = _fact_text(parsed)
    assert "14件" in text
    for gone in (
        "飞书",
        "202611030815000212",
        "已同意",
        "已退回",
        "重新提交",
        "已读",
        "审批结束",
        "先不要报",
        "30万",
    ):
        assert gone not in text, gone
    assert "31.5万元" not in text and any(c.pending and "31.5万元" in c.text for c in parsed.set_aside)
    assert not any(f.key == "shortcomings" and "不写" in f.text for f in parsed.facts)


def test_a_correction_naming_the_old_value_first_keeps_the_new_one() -> None:
    outline = "\n".join(
        [
            "├─ 政务公开",
            "│  ├─ 主动公开政府信息412条",
            "│  └─ 更正：412条是11月底的数，年底是437条，用437条",
            "├─ 执法",
            "│  └─ 责令整改单位21家，已整改到位16家",
            "　　意见：整改单位数写错了，应该是23家，表里的21家是10月底的数。已整改到位16家没错。",
        ]
    )
    parsed = _parse(outline, 2026)
    text = _fact_text(parsed)
    assert "437条" in text and "412条" not in text
    assert "23家" in text and "21家" not in text and text.count("16家") == 1


def test_a_note_that_the_record_says_otherwise_reaches_the_value_as_said() -> None:
    notes = "\n".join(
        [
            "党组会专题研究法治工作5次。",
            "（整理注：现场口述为“5次”，会后核对会议记录为7次，以7次为准。）",
        ]
    )
    text = _fact_text(_parse(notes, 2026))
    assert "7次" in text and "5次" not in text and "整理注" not in text


def test_an_off_script_aside_keeps_its_figures_and_drops_its_mood() -> None:
    speech = "\n".join(
        [
            "一、履行第一责任人职责情况",
            "今年我带队旁听行政诉讼庭审2次。",
            "（脱稿：这个庭审啊，说实在的对我触动很大，文书里的程序瑕疵，这个要不得。）",
            "（脱稿：今年执法投诉同比降了大概三成吧，这个数我记不太准。）",
        ]
    )
    parsed = _parse(speech, 2026)
    text = _fact_text(parsed)
    assert "2次" in text
    for gone in ("脱稿", "触动", "要不得", "三成"):
        assert gone not in text, gone
    assert any(c.pending and "三成" in c.text for c in parsed.set_aside)


def test_a_comment_on_this_figure_doubts_a_figure_of_its_unit() -> None:
    notes = "\n".join(
        [
            "办理行政许可案件63件。",
            "征收水资源费18.2万元，这个数据待确认。",
            "备注：财务系统里是17.6万元，差额还在对，对清楚前这个数别直接用",
        ]
    )
    parsed = _parse(notes, 2026)
    assert "63件" in _fact_text(parsed)


def test_an_outlines_drawn_marks_are_read_and_leave_the_text() -> None:
    notes = "\n".join(
        [
            "├─ 档案数字化",
            "│  ├─ 完成馆藏档案数字化12.6万卷",
            "│  ├─ 新馆库房消防验收 [×] 还没排上",
            "│  └─ [?] 节约数字化外包经费约40万元（口径没定）",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "12.6万卷" in text
    assert "×" not in text and "40万元" not in text and "？" not in text
    assert any("40万元" in c.text and c.role == "unconfirmed" for c in parsed.pending)


def test_quarterly_running_totals_give_way_to_the_years_report() -> None:
    notes = "\n".join(
        [
            "县邮政管理局2024年第三季度法治政府建设推进情况",
            "快递市场行政处罚累计立案5件",
            "县邮政管理局2024年第四季度暨全年法治政府建设推进情况",
            "全年实际查处快递违法案件7件，罚款合计3.2万元",
        ]
    )
    text = _fact_text(_parse(notes))
    assert "7件" in text
    assert "5件" not in text


def test_a_later_confirmation_that_names_the_doubted_figure_lifts_the_doubt() -> None:
    notes = "\n".join(
        [
            "一、依法行政",
            "受理档案查阅利用申请2.6万件",
            "办结率99.1%",
            "二、其他",
            "@小周 查阅那个数你再跟利用科对一下，他们说2.6万是含重复登记的，我不确定。",
            "回复：利用科确认2.6万件是去重以后的，没问题。",
        ]
    )
    parsed = _parse(notes, 2025)
    text = _fact_text(parsed)
    assert "受理档案查阅利用申请2.6万件" in text
    assert "确认" not in text and "利用科" not in text
    assert not any(c.pending for c in parsed.set_aside)
    fact = next(f for f in parsed.facts if "2.6万件" in f.text)
    assert fact.line_no == 2  # in its own line's place, not the confirming comment's


def test_asking_to_check_again_lifts_no_doubt() -> None:
    notes = "\n".join(
        [
            "邮政业务许可审查办件1.2万件（可能有重复）",
            "邮管科：1.2万件我们再核一下，对过以后告诉你",
        ]
    )
    parsed = _parse(notes, 2025)
    assert "1.2万件" not in _fact_text(parsed)
    assert any(c.pending and "1.2万" in c.text for c in parsed.set_aside)


def test_a_dash_between_two_statements_breaks_the_clause() -> None:
    notes = "\n".join(
        [
            "港航事业发展中心2025年第四季度暨全年法治政府建设推进情况",
            "水路运输行政处罚：全年实际立案查处6件——三季度报的累计5件里有1件经复核已撤销立案，四季度新增2件。罚款合计8.4万元。",
        ]
    )
    parsed = _parse(notes, 2025)
    text = _fact_text(parsed)
    assert "6件" in text and "8.4万元" in text
    assert "5件" not in text and "撤销" not in text and "——" not in text
    # The quarter's figures are what the year's figure is made of: nothing to ask.
    assert not any(c.pending for c in parsed.set_aside)
    assert any(c.role == "partial" and "5件" in c.figures for c in parsed.set_aside)


def test_a_dash_before_a_name_signs_the_line() -> None:
    parsed = _parse("供销社系统开展农资打假专项检查12次——李岚", 2025)
    assert "12次" in _fact_text(parsed)


def test_an_approvers_comment_that_restates_a_figure_adds_no_fact() -> None:
    notes = "\n".join(
        [
            "一、严格执法",
            "查处非法宗教活动案件2件，均已结案。",
            "● 审批人　马立（分管副局长）　已同意",
            "意见：另外查处案件去年是0件，今年2件是头一回，可以写一下。",
        ]
    )
    parsed = _parse(notes, 2025)
    assert [f.line_no for f in parsed.facts if "2件" in f.text] == [2]
    assert not any(f.key.startswith("plans") and "头一回" in f.text for f in parsed.facts)


def test_notes_pasted_for_a_measures_section_leave_its_unfinished_task_out() -> None:
    notes = "\n".join(
        [
            "局重大行政决策事项共3项，均经合法性审查和集体讨论决定。",
            "《邮政快递末端网点布局规划》：召开听证会1次，听证参加人15名。",
            "《邮政业安全生产管理办法》：因需先开展网点普查，经县政府同意调出年度目录，顺延至2026年。",
            "法律顾问全年出具法律意见书8份，审核合同协议21份。",
        ]
    )
    parsed = _parse(notes, 2025)
    from drafting.plan import split_scope

    mine, _ = split_scope(load_outline(DEFAULT_OUTLINE), parsed.facts, "measures.decisions")
    assert not any("安全生产管理办法" in f.text or "顺延" in f.text for f in mine)
    assert any("听证参加人15名" in f.text for f in mine)


def test_an_estimate_said_in_the_next_turn_holds_the_figure_asked_about_and_its_round_companions() -> None:
    call = "\n".join(
        [
            "[00:00:05] 说话人1：供销社今年开展农资打假，检查网点36个。",
            "[00:00:12] 说话人1：群众举报转来的只有二十来件，大概占三成。",
            "[00:00:20] 说话人2：三成……这个比例确定吗？",
            "[00:00:23] 说话人1：不太确定，我是按台账估的，你先别写死。",
        ]
    )
    parsed = _parse(call, 2026)
    waiting = {f for c in parsed.set_aside if c.role == "unconfirmed" and c.pending for f in c.figures}
    assert {"二十来件", "三成"} <= waiting
    # The clock of the reply ("00:00:23") is no figure: nothing else is doubted.
    assert "36个" in _fact_text(parsed)


def test_an_approximation_said_aloud_is_a_figure_but_no_doubt() -> None:
    parsed = _parse("烟草专卖局走访零售户二十来家，发放宣传册三千多份。", 2026)
    text = _fact_text(parsed)
    assert "二十来家" in text and "三千多份" in text
    assert not any(c.role == "unconfirmed" for c in parsed.set_aside)


def test_a_covering_note_corrects_a_figure_stated_further_down() -> None:
    """The wrong value is named before the line stating it: the only line stating it takes the right value."""
    notes = "\n".join(
        [
            "转发：档案馆年终简报。数字化那条简报印错了，写成3240卷，实际是3420卷，以我说的为准。",
            "全年接收进馆档案1860卷。",
            "完成馆藏档案数字化3240卷，建成数字档案室2个。",
        ]
    )
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "3420卷" in text and "1860卷" in text and "2个" in text
    assert "3240卷" not in text
    assert any(c.role == "superseded" and c.text == "3240卷" for c in parsed.set_aside)


def test_a_quoted_figure_corrected_up_front_leaves_the_rows_other_figures() -> None:
    """ "第4条“35次”那个是手误" names one figure: the row's own bracket corrects it, its other figures stay."""
    notes = "\n".join(
        [
            "第4条“35次”那个是我手误，括号里已经改了，以31次为准。",
            "开展邮政行业安全检查35次（经与台账核对，应为31次）；责令整改问题8项，约谈企业2家。",
        ]
    )
    text = _fact_text(_parse(notes))
    assert "31次" in text and "8项" in text and "2家" in text
    assert "35次" not in text and "手误" not in text


def test_a_bracket_naming_a_figure_said_elsewhere_keeps_the_lines_own() -> None:
    """ "（更正：群里说的5个是上半年的数，年底是7个）": 5个 is the old value, the line's 7个 stays."""
    notes = "宗教活动场所规范化建设示范点7个（更正：群里说的5个是上半年的数，年底是7个），开展普法宣讲14场。"
    parsed = _parse(notes)
    text = _fact_text(parsed)
    assert "7个" in text and "14场" in text
    assert "5个" not in text and "更正" not in text
    assert any(c.role == "superseded" and c.text == "5个" for c in parsed.set_aside)


def test_a_note_set_aside_whole_still_corrects_the_figure_it_names() -> None:
    notes = "\n".join(
        [
            "@写材料的同志：港航中心的材料，联系人：何敏。还有船检那个，初稿写的26艘不对，是22艘。",
            "全年开展船舶安全检查22艘次，依法检验船舶26艘。",
            "供销社送法下乡9场。",
        ]
    )
    text = _fact_text(_parse(notes))
    assert "22艘。" in text or "检验船舶22艘" in text
    assert "26艘" not in text and "9场" in text


def test_a_remark_that_keeps_other_parts_out_keeps_a_keyword_line_of_another_part_out_of_a_section() -> None:
    notes = "\n".join(
        [
            "写材料的同志：只写执法这一节，其他内容不要往里写。",
            "全年立案查处食品安全违法案件58起，罚没款41.2万元。",
            "重大执法决定法制审核23件，执法全过程记录仪配备40台。",
            "双随机抽查经营主体412户，结果全部公示。",
            "开展食品安全宣传周活动，发放宣传折页6200份。",
            "新办食品经营许可证530件，承诺时限压缩至5个工作日。",
        ]
    )
    parsed = _parse(notes, 2025)
    from drafting.plan import split_scope

    mine, elsewhere = split_scope(
        load_outline(DEFAULT_OUTLINE), parsed.facts, "measures.enforcement", parsed.set_aside
    )
    text = "".join(f.text for f in mine)
    assert "58起" in text and "412户" in text
    assert "6200份" not in text and "530件" not in text
    assert any("6200份" in f.text for f in elsewhere)


def test_a_correction_pointing_at_that_number_leaves_no_words_in_the_fact() -> None:
    """ "我们那个35起的数写错了，是37起": the figure pointed at is the wrong one, and the correction's words go."""
    parsed = _parse("供销社材料\n【执法】查处案件37起。我们那个35起的数写错了，是37起。\n", year=2026)
    text = _fact_text(parsed)
    assert "37起" in text
    assert "35起" not in text and "那个" not in text and "我们" not in text
