"""Wrapping and talk around the notes never reach the text nor the 待确认 list: scores, signatures, salutations,
covering sentences, remarks on the report's structure, a form's instructions to the offices that fill it."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from core.types import ParsedNotes
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _parse(notes: str, year: int = 2026) -> ParsedNotes:
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def _text(parsed: ParsedNotes) -> str:
    return "\n".join(f.text for f in parsed.facts)


def _kept(parsed: ParsedNotes) -> str:
    """What reaches the text or the 待确认 list: every placed fact (one placed unsurely is asked about) and every
    clause set aside to wait for the user."""
    return _text(parsed) + "\n" + "\n".join(c.text for c in parsed.pending)


def test_a_self_assessment_score_is_no_fact() -> None:
    parsed = _parse(
        "1.全年开展水政执法巡查86次（自评4分）\n"
        "2.办理取水许可审批23件，自评得分9分\n"
        "3.年度依法行政考核得分：98.5\n"
        "合计自评分：95（上年自评分91）\n"
        "普法任务完成得分率96%\n"
    )
    kept = _kept(parsed)
    assert "86次" in kept and "23件" in kept
    for score in ("4分", "9分", "98.5", "95", "91", "96%", "自评"):
        assert score not in kept, score


def test_a_covering_letter_salutation_and_signature_are_wrapping() -> None:
    parsed = _parse(
        "周局长：\n"
        "    按您要求，把执法监督股今年的情况整理如下，您看看行不行。\n"
        "1.局党组今年专门研究法治工作4次。\n"
        "2.全年查处破坏森林资源案件17起。\n"
        "                                   执法监督股 吴海燕\n"
        "                                   12月5日\n"
    )
    kept = _kept(parsed)
    assert "4次" in kept and "17起" in kept
    for word in ("周局长", "整理如下", "您看看", "执法监督股", "吴海燕", "12月5日"):
        assert word not in kept, word
    # The salutation heads nothing: the facts under it keep their own topics.
    assert not any("局长" in h for f in parsed.facts for h in f.headings)


def test_remarks_on_the_reports_structure_and_material_are_talk() -> None:
    parsed = _parse(
        "报告按四个部分写，跟去年一样。\n"
        "格式参照去年的\n"
        "现场照片要用的话找办公室小周要\n"
        "全年办理退役军人优待证1260张。\n"
    )
    kept = _kept(parsed)
    assert "1260张" in kept
    for word in ("四个部分", "跟去年一样", "格式", "照片"):
        assert word not in kept, word


def test_a_forms_instructions_to_offices_are_its_wrapping() -> None:
    parsed = _parse(
        "反馈要求：请各承办科室于11月25日前将落实情况报局办公室\n"
        "注意事项：数据统一填写到个位\n"
        "请各股室于12月5日前将佐证材料报局办公室\n"
        "本表统计时段为2026年1月1日至12月31日\n"
        "全年开展统计执法检查31家。\n"
    )
    kept = _kept(parsed)
    assert "31家" in kept
    for word in ("反馈要求", "注意事项", "佐证材料", "本表"):
        assert word not in kept, word
    assert not parsed.instructions  # addressed to offices by the form, never an order to the tool


def test_a_chat_exports_sender_lines_and_a_documents_name_are_wrapping() -> None:
    parsed = _parse(
        "某县气象局工作群（38）\n"
        "文件：2026法治气象报告_终稿（2）。\n"
        "-办公室12月3日上午9:02\n"
        "全年发布气象灾害预警信息126条\n"
        "孙某某-法规科12月4日下午3:40\n"
        "我再翻一下台账\n"
    )
    kept = _kept(parsed)
    assert "126条" in kept
    for word in ("工作群", "终稿", "9:02", "3:40", "翻一下"):
        assert word not in kept, word


def test_a_ticked_status_cell_adds_nothing_to_its_row() -> None:
    parsed = _parse(
        "序号\t工作要点\t落实情况\t完成情况\t自评分\n"
        "1\t加强河湖执法\t开展河湖联合执法12次，查处非法采砂3起\t✔已完成\t10\n"
        "2\t抓好学法用法\t局务会会前学法9次\t已完成\t5\n"
    )
    text = _text(parsed)
    assert "12次" in text and "9次" in text
    assert "已完成" not in text and "✔" not in text
