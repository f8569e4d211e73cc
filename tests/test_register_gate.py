"""The reader's last gate (drafting/notes/register.toml) and the checks' own talk check (drafting/checks/talk.toml):
talk left in a fact is taken out before it is written, its figures wait in 待确认, and talk that reaches a text
by any path turns the draft red. Notes here are in other bureaus' words than the bench notes."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.checks.talk import talk_in_text, talk_patterns
from drafting.notes import parse_notes
from drafting.notes.register import _unquoted, register_cues
from drafting.outline import load_outline
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401

GATE = register_cues()
CLAUSE_GATE = [c for c in GATE if c.scope == "clause"]
TALK = talk_patterns()


@pytest.mark.parametrize(("cue", "example"), [(c.id, e) for c in GATE for e in c.examples])
def test_each_gate_row_finds_its_examples(cue: str, example: str) -> None:
    row = next(c for c in GATE if c.id == cue)
    assert row.pattern.search(_unquoted(example)), (cue, example)


@pytest.mark.parametrize("prose", [u for c in CLAUSE_GATE for u in c.unlike])
def test_report_wording_passes_the_gate(prose: str) -> None:
    assert not any(c.pattern.search(_unquoted(prose)) for c in CLAUSE_GATE), prose


@pytest.mark.parametrize(("row", "example"), [(r.id, e) for r in TALK for e in r.examples])
def test_each_talk_row_finds_its_examples(row: str, example: str) -> None:
    assert any(r.pattern.search(example) for r in TALK if r.id == row), (row, example)


@pytest.mark.parametrize("prose", [u for r in TALK for u in r.unlike])
def test_report_prose_is_not_talk(prose: str) -> None:
    assert talk_in_text(prose) == []


def test_the_bundled_reports_hold_no_talk() -> None:
    from pathlib import Path

    reports = sorted((Path(__file__).resolve().parents[1] / "corpus" / "reports").glob("*.txt"))
    assert reports, "the bundled reports are part of the project"
    for path in reports:
        assert talk_in_text(path.read_text(encoding="utf-8")) == [], path.name


def _parse(notes: str, year: int = 2026):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def test_talk_about_the_report_and_the_page_is_not_written_and_its_figures_wait() -> None:
    notes = "\n".join(
        [
            "交给写总结的同志：以下是药品股的几条，这回只写“行政执法”那一节。",
            "一、行政执法",
            "1. 全年办理药品行政处罚案件38件，罚没款46.2万元。",
            "2. 开展药店专项检查210家次，就是上面说的那几家连锁店，写的时候别说全覆盖。",
            "3. 抽检药品412批次，这个数是市局那边一起抽的。",
            "4. 培训执法人员3期，问题我觉得主要是人手不够。",
        ]
    )
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "38件" in text and "210家次" in text and "412批次" in text and "3期" in text
    for talk in ("那一节", "上面说的", "写的时候", "写总结", "这个数", "我觉得"):
        assert talk not in text, (talk, text)


def test_a_hedged_figure_the_roles_missed_waits_in_the_questions() -> None:
    parsed = _parse("二、政务服务\n网上办件满意度听说是98.6%，窗口评价器刚换过。\n开展证照联办126件。\n")
    text = "\n".join(f.text for f in parsed.facts)
    assert "126件" in text and "98.6%" not in text
    assert "98.6%" in {fig for c in parsed.pending for fig in c.figures}


def test_a_word_of_speech_is_struck_and_its_fact_kept() -> None:
    parsed = _parse("二、普法宣传\n说实话，今年普法进校园搞了12场啊，反正比往年扎实。\n")
    text = "\n".join(f.text for f in parsed.facts)
    assert "12场" in text
    assert "说实话" not in text and "反正" not in text and "啊" not in text


def test_a_reply_holding_talk_is_red(bundled_workspace: Workspace, fake_llm: FakeOpenAI) -> None:
    notes = "执法：\n- 全年立案查处违法案件44件\n- 开展执法案卷评查2次\n"
    fake_llm.script([("keep_placement",)])
    fake_llm.default = ("text", "全年立案查处违法案件44件，开展执法案卷评查2次，这个数我觉得还可以再核一下。")
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    draft = ws.draft(notes, unit="某县司法局", year=2026, section="measures.enforcement", engine="llm")
    text = "\n".join(s.text for s in draft.sections)
    assert draft.status.level == "red" or not talk_in_text(text), (draft.status.level, text)
    assert draft.status.level != "green"


def test_the_heads_own_account_is_written_as_the_principal_leader() -> None:
    notes = "【说明】以下是陈局长在全局法治工作会上讲话的录音整理\n今年我主持召开党组会专题研究法治工作4次，我本人出庭应诉1次。\n"
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "4次" in text and "1次" in text and "主要负责人" in text
    assert "我" not in text


def test_a_first_person_deed_of_nobody_known_is_asked_about() -> None:
    notes = "各股室报送汇总\n今年我主持召开股室会专题研究执法4次，全年执法检查86家。\n"
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "86家" in text and "我" not in text and "主要负责人" not in text
    assert any("4次" in c.figures for c in parsed.pending)


def test_a_chat_line_is_the_heads_when_its_speaker_is_the_head() -> None:
    notes = "[2026-01-10 08:15] 孙局长：年初我批示法治工作要点，党组会研究法治3次\n"
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "主要负责人批示" in text and "3次" in text


def test_an_acknowledgement_is_no_fact() -> None:
    notes = (
        "[2026-01-10 08:15] 孙局长：党组会研究法治3次\n[2026-01-10 08:16] 钱芳：收到，我再核一下学法次数5次\n"
    )
    parsed = _parse(notes)
    assert [f.text for f in parsed.facts if "收到" in f.text] == []
    assert "3次" in "".join(f.text for f in parsed.facts)


def test_a_message_s_moment_and_its_split_marks_stay_out() -> None:
    notes = "\n".join(
        [
            "[2026-12-15 09:02] 周敏：今天在乡镇督导走不开，格式按县里发的那个提纲。",
            "[2026-12-15 09:05] 周敏：执法：全年立案查处违法建设案件31件（1/2）",
            "[2026-12-15 09:05] 周敏：（2/2）罚没款合计47.5万元。",
            "[2026-12-15 09:07] 周敏：还有，上面是局长带队巡查的照片。",
        ]
    )
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "31件" in text and "47.5万元" in text
    for talk in ("今天", "走不开", "提纲", "1/2", "2/2", "照片", "还有"):
        assert talk not in text, (talk, text)


def test_a_dictation_s_spoken_headings_and_close_are_not_written() -> None:
    notes = "\n".join(
        [
            "说话人1：小唐你记一下，年度法治报告的。",
            "说话人1：第三执法，全年查处无证行医案件17件，罚款9.6万元。",
            "说话人1：年底述法，局长在县委常委会上述的。",
            "说话人1：药品抽检我没看到系统的数，不写。",
            "说话人1：差不多，就这些吧。",
        ]
    )
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "17件" in text and "9.6万元" in text
    for talk in ("第三执法", "差不多", "不写", "主要负责人没看到"):
        assert talk not in text, (talk, text)


def test_a_ledger_s_progress_column_is_never_written() -> None:
    notes = "\n".join(
        [
            "序号\t任务内容\t责任股室\t完成时限\t完成进度\t完成情况\t备注",
            "1\t执法案卷评查\t法规股\t11月\t100%\t评查行政处罚案卷64卷，优秀率达81%\t",
            "2\t巡察整改\t办公室\t全年\t85%\t巡察反馈问题12个，已整改10个，剩2个正在推进\t",
            "3\t局长述法\t办公室\t12月\t100%\t局长在县委依法治县委员会会议上述法\t放第二部分",
        ]
    )
    parsed = _parse(notes, 2025)
    text = "\n".join(f.text for f in parsed.facts)
    assert "64卷" in text and "81%" in text and "12个" in text
    assert "100%" not in text and "85%" not in text and "第二部分" not in text


def test_minutes_keep_their_decisions_about_the_report_and_their_distribution_out() -> None:
    notes = "\n".join(
        [
            "三、议定事项",
            "1. 全年受理统计违法举报7件，立案5件，罚款6.4万元。",
            "2. 报告中案件数一律按5件口径。",
            "分送：局领导班子成员，各股室。",
            "办公室共印12份。",
        ]
    )
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "7件" in text and "6.4万元" in text
    for talk in ("口径", "分送", "领导班子成员", "共印", "12份"):
        assert talk not in text, (talk, text)
    assert "12份" not in {fig for c in parsed.pending for fig in c.figures}


def test_a_personal_record_s_fields_are_not_the_bureau_s_work() -> None:
    notes = "姓名：韦晓梅    科室：法规科    职务：二级主任科员\n全年开展《统计法》宣讲11场。\n"
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "11场" in text
    assert "法规科" not in text and "主任科员" not in text


def test_a_figure_a_later_comment_calls_wrong_is_never_written() -> None:
    notes = "\n".join(
        [
            "三、执法",
            "全年查处无证采砂案件19件，罚没款27.3万元。",
            "[批注 财务 孔会计]: 我们账上是23.7万元，27.3是把数字打反了。",
            "开展河道巡查86次。",
        ]
    )
    parsed = _parse(notes)
    text = "\n".join(f.text for f in parsed.facts)
    assert "19件" in text and "86次" in text
    assert "27.3万元" not in text
    assert "27.3万元" in {fig for c in parsed.pending for fig in c.figures}
