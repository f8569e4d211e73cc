"""An e-mail thread pasted newest first, earlier mails quoted with "> ", "> > ": the quoted mails are notes like any
other, read oldest first, so a later mail's correction replaces the figure it corrects."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.reading import mail_thread, read_notes
from drafting.outline import load_outline

# A county justice bureau's thread: the top mail corrects a figure of the mail it quotes two levels down.
THREAD = """主题：回复：回复：年度法治材料
发件人：王芳（办公室）
发送时间：2025年12月10日 9:12

李科长：
更正一下前天报的：人民调解案件是126件，不是120件，漏了两个乡镇的台账。
王芳

> -----原始邮件-----
> 发件人：赵强（公共法律服务科）
> 发送时间：2025年12月9日 15:30
>
> - 办理法律援助案件58件
> - 组织“法律明白人”培训4期，培训240人
>
> > -----原始邮件-----
> > 发件人：王芳（办公室）
> > 发送时间：2025年12月8日 11:02
> >
> > 办公室先报几条：
> > - 指导人民调解组织调解矛盾纠纷120件，调解成功率98%
> > - 审查局合同17份"""


def _parse(notes: str, year: int = 2025):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def test_quoted_mails_are_text_of_the_notes() -> None:
    parsed = _parse(THREAD)
    text = "\n".join(f.text for f in parsed.facts)
    for kept in ("58件", "4期", "240人", "98%", "17份"):
        assert kept in text, kept
    assert ">" not in text
    for gone in ("发件人", "发送时间", "原始邮件", "赵强", "王芳"):
        assert gone not in text, gone


def test_a_later_mail_corrects_a_figure_of_an_earlier_one() -> None:
    parsed = _parse(THREAD)
    text = "\n".join(f.text for f in parsed.facts)
    assert "126件" in text and "120件" not in text
    assert any(c.role == "superseded" and "120件" in c.text for c in parsed.set_aside)


def test_each_line_keeps_its_pasted_line_number() -> None:
    read = read_notes(THREAD, load_outline(DEFAULT_OUTLINE), year=2025)
    lines = THREAD.splitlines()
    for line in read.lines:
        assert line.raw.lstrip("> ").strip() in lines[line.line_no - 1], (line.line_no, line.raw)
    legal_aid = next(ln for ln in read.facts if "58件" in ln.text)
    assert legal_aid.line_no == 13


def test_a_mail_closes_the_headings_of_the_mail_before() -> None:
    read = read_notes(THREAD, load_outline(DEFAULT_OUTLINE), year=2025)
    # The oldest mail's lines came from the office; the next mail's lines are not the office's.
    contracts = next(ln for ln in read.facts if "17份" in ln.text)
    assert contracts.origin == "办公室"
    legal_aid = next(ln for ln in read.facts if "58件" in ln.text)
    assert legal_aid.origin != "办公室" and not legal_aid.headings


def test_quote_marks_without_mails_are_left_alone() -> None:
    # ">" bullets of a list, and a reply written between quoted lines, are no thread read oldest first.
    bullets = ["档案馆2025年工作：", "> 接收进馆档案3200卷", "> 开展档案执法检查12次"]
    assert mail_thread(bullets)[0] == bullets
    inline = ["> 侨办今年归侨侨眷法律服务几次？", "6次，都在社区。", "> 涉侨纠纷呢？", "调解4件。"]
    assert mail_thread(inline)[0] == inline


def test_a_writers_aside_that_doubts_a_figure_is_no_instruction() -> None:
    # A sports bureau's line: the aside doubts the grant, the events held stand.
    parsed = _parse("全民健身赛事举办23场，补助资金约86万元（这个数财务还没对账，先别写死）")
    text = "\n".join(f.text for f in parsed.facts)
    assert "23场" in text and "86万元" not in text
    assert not parsed.instructions
    assert any(c.pending and "86万元" in c.text for c in parsed.set_aside)
