"""Exports of a Draft: plain 公文 text (to paste) and a .docx laid out after GB/T 9704-2012.

Two modes everywhere:

* draft (publish=False): for the reviewer. The plain text and the .docx body keep the inline [n] markers;
  the text ends with a "参考来源：" list of the sources actually cited, the .docx with an appendix (引用来源
  table and 核查结果 table) after a page break.
* publish (publish=True): the text as it goes out. Every [n] marker and the source list are removed.

In both modes placeholders 【待补充：…】 stay visible (red in the .docx): they must never vanish silently.
Apart from removing markers and laying out paragraphs, the text is not changed.

Fonts in the .docx: the names 公文 templates use (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are set
on every run for East Asian text (w:eastAsia, which python-docx's ``font.name`` does not set) as well as
Latin text. The fonts may be missing on the reader's machine, so each one is also declared in the
document's font table with w:altName naming the Windows font to use instead (宋体, 仿宋, 黑体, 楷体) and that
font's PANOSE class and the GB2312 charset, which is what Word uses to pick a substitute.

Grid: 版心 156 mm × 225 mm; exact line spacing 28.95 pt gives the standard 22 lines a page, and 16 pt
characters fill a line with 27 to 28 of them. A line grid only (w:docGrid type "lines"): a character grid
(linesAndChars with charSpace) is read differently by LibreOffice, which spreads each character over two cells.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from core.errors import ZhibiError
from core.types import CHECK_LABELS, Checks, Draft, Section, Source, problem_kind

__all__ = ["cited_ids", "strip_citations", "to_docx", "to_markdown", "to_plain"]

# --------------------------------------------------------------------------- citation markers

# One marker: [3] ［3］ [1,2] [1、2] [1-3]; half- or full-width brackets and digits.
_MARK = r"[\[［]\s*\d+(?:\s*[,，、\-–~～]\s*\d+)*\s*[\]］]"
# A bracketed year followed by a number and 号 is a document number (区政发[2023]5号), not a citation.
_NOT_DOCNO = r"(?!\s*\d+\s*号)"
_ONE_MARK = re.compile(_MARK + _NOT_DOCNO)
_MARK_RUN = re.compile(rf"(?P<pre>[ \t]*)(?:{_MARK}{_NOT_DOCNO})+(?P<post>[ \t]*)")
_NUM = re.compile(r"\d+")
_RANGE = re.compile(r"(\d+)\s*[\-–~～]\s*(\d+)")

PLACEHOLDER = re.compile(r"【待补充[^】]*】")

_END_PUNCT = "。！？；：，、.!?;:…"
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百零]+[、．.]|[（(][一二三四五六七八九十百零\d]+[）)]|\d+[、．.])\s*"
)


def _wordish(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def strip_citations(text: str) -> str:
    """Remove every citation marker ([n], ［n］, [1][2], [1,2], [1-3]) and tidy the spaces it leaves.

    Spaces around a removed marker are dropped (Chinese text has no word spaces, and a space before
    punctuation is wrong) except between two Latin letters or digits, where one space is kept.
    Document numbers such as 区政发[2023]5号 and placeholders 【待补充：…】 are left alone.
    """

    def repl(m: re.Match[str]) -> str:
        s = m.string
        before = s[m.start() - 1] if m.start() > 0 else ""
        after = s[m.end()] if m.end() < len(s) else ""
        if (m.group("pre") or m.group("post")) and _wordish(before) and _wordish(after):
            return " "
        return ""

    return _MARK_RUN.sub(repl, text)


def cited_ids(text: str) -> list[int]:
    """Source ids cited in `text` by [n] markers, in order of first appearance, ranges expanded."""
    seen: list[int] = []
    for m in _ONE_MARK.finditer(text):
        body = m.group(0)
        ids: list[int] = []
        for r in _RANGE.finditer(body):
            lo, hi = int(r.group(1)), int(r.group(2))
            if lo <= hi <= lo + 50:
                ids.extend(range(lo, hi + 1))
        if not ids:
            ids = [int(n) for n in _NUM.findall(body)]
        for i in ids:
            if i not in seen:
                seen.append(i)
    return seen


# --------------------------------------------------------------------------- layout shared by both outputs


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a section text: one per line, blank lines and edge whitespace dropped."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def _bare_heading(heading: str) -> str:
    return _NUMBERING.sub("", heading).strip()


def _run_in_heading(heading: str) -> str:
    """Heading as it starts a run-in paragraph: 。 added unless it already ends with punctuation."""
    return heading if heading.endswith(tuple(_END_PUNCT)) else heading + "。"


def _section_body(sec: Section) -> list[str]:
    paras = _paragraphs(sec.text)
    if sec.placeholder and not PLACEHOLDER.search(sec.text):
        # A section flagged as lacking content must show that, even if the engine wrote no marker.
        paras.append(f"【待补充：{_bare_heading(sec.heading) or sec.key}】")
    return paras


def _has_heading(sec: Section) -> bool:
    return sec.level > 0 and bool(sec.heading.strip())


def _is_whole_report(draft: Draft) -> bool:
    return draft.scope == "report"


def _cited(draft: Draft) -> list[int]:
    """Ids cited anywhere in the draft's text (title, headings, sections), sorted."""
    seen: set[int] = set()
    parts = [draft.title] if _is_whole_report(draft) else []
    for sec in draft.sections:
        parts += [sec.heading, sec.text]
    for part in parts:
        seen.update(cited_ids(part))
    return sorted(seen)


def _source_map(draft: Draft) -> dict[int, Source]:
    out: dict[int, Source] = {}
    for src in draft.sources:
        out.setdefault(src.id, src)
    return out


def _book_title(title: str) -> str:
    title = title.strip()
    return title if title.startswith("《") else f"《{title}》"


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())


# --------------------------------------------------------------------------- plain text


def to_markdown(draft: Draft, publish: bool = False) -> str:
    """The report as plain 公文 text, paragraphs separated by a blank line (no Markdown marks at all).

    Draft mode keeps the [n] markers and appends "参考来源：" with one line per cited source;
    publish mode removes both. 【待补充：…】 placeholders stay in both modes.
    """
    blocks: list[str] = []
    if _is_whole_report(draft) and draft.title.strip():
        blocks.append(draft.title.strip())
    for sec in draft.sections:
        body = _section_body(sec)
        if not _has_heading(sec):
            blocks += body
        elif sec.run_in and body:
            blocks.append(_run_in_heading(sec.heading.strip()) + body[0])
            blocks += body[1:]
        else:
            blocks.append(sec.heading.strip())
            blocks += body
    if publish:
        blocks = [b for b in (strip_citations(b).strip() for b in blocks) if b]
        return "\n\n".join(blocks)
    cited = _cited(draft)
    if cited:
        sources = _source_map(draft)
        lines = ["参考来源："]
        for n in cited:
            src = sources.get(n)
            if src is None:
                lines.append(f"[{n}] 【未找到对应来源，请核查】")
                continue
            where = f" {src.locator.strip()}" if src.locator.strip() else ""
            lines.append(f"[{n}] {_book_title(src.title)}{where}：{_one_line(src.quote)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def to_plain(draft: Draft, publish: bool = False) -> str:
    """Text for copy-paste; the same as `to_markdown`, which already carries no Markdown marks."""
    return to_markdown(draft, publish=publish)


# --------------------------------------------------------------------------- docx

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NO_FONT = "宋体"

# name -> (font Word should use when it is missing, that font's PANOSE, family). The 公文 fonts fall back
# to the Windows fonts; those name their English names, which Word and LibreOffice also recognise.
_SONG, _HEI, _FANG, _KAI = (
    "02010600030101010101",
    "02010609060101010101",
    "02010609060101010101",
    "02010609060101010101",
)
FONT_FALLBACKS = {
    TITLE_FONT: ("宋体", _SONG, "auto"),
    BODY_FONT: ("仿宋", _FANG, "modern"),
    H2_FONT: ("楷体", _KAI, "modern"),
    H1_FONT: ("SimHei", _HEI, "modern"),
    PAGE_NO_FONT: ("SimSun", _SONG, "auto"),
    "仿宋": ("FangSong", _FANG, "modern"),
    "楷体": ("KaiTi", _KAI, "modern"),
}

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NO_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四, appendix only
LINE = Pt(28.95)  # 22 lines in the 225 mm 版心
INDENT = Pt(32)  # two characters at 三号
RED = RGBColor(0xFF, 0x00, 0x00)

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
CHARS_PER_LINE = 28

# The same labels and verdict as the chat and the checks panel: all from the draft's one list of problems.


def _set_font(run, name: str, size, *, bold: bool | None = None) -> None:
    run.font.name = name  # ascii + hAnsi
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:hint"), "eastAsia")  # “”、—— and other shared characters in the East Asian font
    run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _add_text(par: Paragraph, text: str, font: str, size) -> None:
    """Add `text` as runs in `font`; placeholders 【待补充：…】 become separate red runs."""
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            _set_font(par.add_run(text[pos : m.start()]), font, size)
        run = par.add_run(m.group(0))
        _set_font(run, font, size)
        run.font.color.rgb = RED
        pos = m.end()
    if pos < len(text):
        _set_font(par.add_run(text[pos:]), font, size)


def _format(par: Paragraph, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=LINE) -> None:
    pf = par.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.alignment = align
    if indent:
        pf.first_line_indent = INDENT
        # Also in characters, so the indent stays two characters if the reader changes the font size.
        ind = par._p.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), "200")


def title_lines(title: str, width: int = 18) -> list[str]:
    """A long title on two lines broken at a phrase ("某区交通运输局2023年" / "法治政府建设情况报告"), not mid-word."""
    if len(title) <= width:
        return [title]
    for marker in ("法治政府建设", "推进法治", "关于"):
        cut = title.find(marker)
        if 4 <= cut <= width and len(title) - cut <= width + 4:
            return [title[:cut], title[cut:]]
    return [title]


def _setup_page(doc: DocxDocument) -> None:
    sec = doc.sections[0]
    sec.start_type = WD_SECTION_START.NEW_PAGE
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    sec.left_margin, sec.right_margin = MARGINS["left"], MARGINS["right"]
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(24)  # page number about 7 mm below the 版心
    sectPr = sec._sectPr
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]


def _setup_styles(doc: DocxDocument) -> None:
    """Document defaults and Normal: 仿宋_GB2312 三号, exact 28.95 pt, no theme fonts, Chinese language."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:eastAsia", "w:hAnsi"):
                rfonts.set(qn(attr), BODY_FONT)
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is not None:
                el.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = styles.find(
        qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing")
    )
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.font.size = BODY_SIZE
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)


def _register_font_fallbacks(doc: DocxDocument) -> None:
    """Declare each 公文 font in word/fontTable.xml with w:altName = the common font to use instead."""
    part = next((p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None or not hasattr(part, "_blob"):
        return
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, panose, family) in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, val in (
            ("w:altName", alt),
            ("w:panose1", panose),
            ("w:charset", "86"),  # GB2312
            ("w:family", family),
            ("w:pitch", "variable"),
        ):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footers(doc: DocxDocument) -> None:
    """GB/T 9704 page numbers "— 1 —" (宋体 四号): odd pages right, even pages left, one character in.

    Word and LibreOffice show the even footer only when the document says odd and even pages differ.
    """
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:  # type: ignore[no-untyped-def]
    par = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    par.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        par.paragraph_format.right_indent = PAGE_NO_SIZE
    else:
        par.paragraph_format.left_indent = PAGE_NO_SIZE

    def run_with(*elements, text: str = "") -> None:
        run = par.add_run(text)
        _set_font(run, PAGE_NO_FONT, PAGE_NO_SIZE)
        for el in elements:
            run._r.append(el)

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(text="— ")
    run_with(fld("begin"))
    run_with(instr)
    run_with(fld("separate"))
    run_with(text="1")
    run_with(fld("end"))
    run_with(text=" —")


def signature_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros ("2024年3月5日")."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> float:
    """Width in body characters: Latin letters and digits take half a character in 仿宋."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _signature(doc: DocxDocument, unit: str, day: date) -> None:
    """落款 (GB/T 9704-2012 7.3.5.1, no seal): one blank line, the unit right-aligned two characters in, the
    date on the next line starting two characters right of the unit's first character; when the date is the
    longer of the two, the date stays two characters in and the unit moves left."""
    when = signature_date(day)
    u, d = _width(unit), _width(when)
    if d <= u - 2:
        unit_right, date_right = 2.0, u - d
    else:
        unit_right, date_right = d + 4 - u, 2.0
    # The 落款 never stands alone on the last page: the text's last paragraph and the blank line before the
    # 落款 stay with it (Word carries the paragraph's last lines over with them).
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    blank = doc.add_paragraph()
    _format(blank, indent=False)
    blank.paragraph_format.keep_with_next = True
    for text, right in ((unit, unit_right), (when, date_right)):
        par = doc.add_paragraph()
        _format(par, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        par.paragraph_format.right_indent = Pt(BODY_SIZE.pt * right)
        par.paragraph_format.keep_with_next = text == unit
        _add_text(par, text, BODY_FONT, BODY_SIZE)


def _heading_font(level: int) -> str:
    return H1_FONT if level == 1 else H2_FONT if level == 2 else BODY_FONT


def _body_paragraph(doc: DocxDocument, text: str) -> Paragraph:
    par = doc.add_paragraph()
    _format(par)
    _add_text(par, text, BODY_FONT, BODY_SIZE)
    return par


def _write_section(doc: DocxDocument, sec: Section, publish: bool) -> None:
    clean = strip_citations if publish else str
    body = [clean(p).strip() for p in _section_body(sec)]
    body = [p for p in body if p]
    heading = clean(sec.heading).strip()
    if sec.level <= 0 or not heading:
        for text in body:
            _body_paragraph(doc, text)
        return
    font = _heading_font(sec.level)
    if sec.run_in and body:
        par = doc.add_paragraph()
        _format(par)
        _add_text(par, _run_in_heading(heading), font, BODY_SIZE)
        _add_text(par, body[0], BODY_FONT, BODY_SIZE)
        rest = body[1:]
    else:
        par = doc.add_paragraph()
        _format(par)
        par.paragraph_format.keep_with_next = True
        _add_text(par, heading, font, BODY_SIZE)
        rest = body
    for text in rest:
        _body_paragraph(doc, text)


def _cell_text(cell, lines: list[str], *, font: str = BODY_FONT, bold: bool = False) -> None:
    first = True
    for line in lines or [""]:
        par = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        pf = par.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(0)
        _add_text(par, line, font, TABLE_SIZE)
        if bold:
            for run in par.runs:
                run.font.bold = True


def _table(doc: DocxDocument, header: list[str], rows: list[list[list[str]]], widths_mm: list[int]) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    with contextlib.suppress(KeyError):
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, [text], font=H1_FONT)
        cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # header row repeats on every page
    for row in rows:
        cells = table.add_row().cells
        for cell, lines in zip(cells, row, strict=True):
            _cell_text(cell, lines)
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)  # w:gridCol, used by the fixed layout
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)  # w:tcW
    return table


def _appendix_heading(doc: DocxDocument, text: str) -> None:
    par = doc.add_paragraph()
    _format(par, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    par.paragraph_format.keep_with_next = True
    _add_text(par, text, H1_FONT, BODY_SIZE)


def _appendix(doc: DocxDocument, draft: Draft) -> None:
    """Draft mode only: cited sources and the non-empty checks, after a page break."""
    doc.add_page_break()
    _appendix_heading(doc, "附：引用来源")
    cited = _cited(draft)
    sources = _source_map(draft)
    if cited:
        rows = []
        for n in cited:
            src = sources.get(n)
            if src is None:
                rows.append([[str(n)], ["【未找到对应来源，请核查】"], [""], [""]])
            else:
                rows.append(
                    [[str(n)], [_book_title(src.title)], [src.locator.strip()], _paragraphs(src.quote)]
                )
        # 序号 needs 18 mm: two 小四 characters plus the cell margins, so the header never wraps.
        _table(doc, ["序号", "文件", "位置", "原文"], rows, [18, 40, 26, 72])
    else:
        par = doc.add_paragraph()
        _format(par)
        _add_text(par, "正文未引用来源。", BODY_FONT, BODY_SIZE)
    _appendix_heading(doc, "核查结果")
    status = draft.status
    par = doc.add_paragraph()
    _format(par)
    _add_text(par, f"核查结论：{status.summary()}。", BODY_FONT, BODY_SIZE)
    found = _check_rows(
        Checks.from_problems(draft.problems, draft.checks.repairs) if draft.problems else draft.checks
    )
    if found:
        _table(doc, ["项目", "内容"], found, [40, 116])


def _check_rows(checks: Checks) -> list[list[list[str]]]:
    rows = []
    # Every red and amber kind (the checks layer's own kinds too), then the repairs; info is for the record.
    names = [n for n in checks.kinds() if problem_kind(n).severity != "info"] + ["repairs"]
    for name in names:
        label = CHECK_LABELS.get(name) or problem_kind(name).label
        items = [str(i) for i in checks.listed(name) if str(i).strip()]
        if items:
            rows.append([[f"{label}（{len(items)}）"], items])
    return rows


def _build_docx(draft: Draft, publish: bool, signed: date | None = None) -> DocxDocument:
    doc = Document()
    _setup_page(doc)
    _setup_styles(doc)
    _register_font_fallbacks(doc)
    title = strip_citations(draft.title).strip()
    if _is_whole_report(draft) and title:
        par = doc.add_paragraph()
        _format(par, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        par.paragraph_format.space_after = LINE  # one blank line under the title
        par.paragraph_format.keep_with_next = True
        for i, line in enumerate(title_lines(title)):
            if i:
                par.runs[-1].add_break()  # inside the styled run: no unformatted run in the title
            _add_text(par, line, TITLE_FONT, TITLE_SIZE)
    for sec in draft.sections:
        _write_section(doc, sec, publish)
    if _is_whole_report(draft) and draft.unit.strip():
        _signature(doc, draft.unit.strip(), signed or datetime.now().date())
    _page_number_footers(doc)
    if not publish:
        _appendix(doc, draft)
    props = doc.core_properties
    props.title = title
    props.author = draft.unit
    props.last_modified_by = draft.unit
    props.comments = ""
    props.keywords = "法治政府建设情况报告"
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    props.revision = 1
    return doc


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, then rename over it: `path` is whole or untouched."""
    if path.is_dir():
        raise ZhibiError(f"无法写入 {path}：这是一个文件夹", hint="请给出 .docx 文件名")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666
    except OSError as exc:
        raise ZhibiError(
            f"无法写入 {path}：{exc.strerror or exc}", hint="检查文件夹是否存在、是否有写权限"
        ) from exc
    existed = path.exists()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)  # new file: mode minus umask
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if existed:  # keep the permissions of the file being replaced
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            from core.files import is_disk_error

            if is_disk_error(exc) and exc.errno not in (errno.EACCES, errno.EPERM):
                raise ZhibiError(
                    f"磁盘已满，无法写入 {path}", hint="请清理磁盘空间或换一个位置保存后重试，草稿未丢失"
                ) from exc
            raise ZhibiError(
                f"无法写入 {path}：{exc.strerror or exc}", hint="检查是否有写权限、文件是否在 Word 中打开"
            ) from exc
        raise


def to_docx(
    draft: Draft, path: str | os.PathLike[str], publish: bool = False, signed: date | None = None
) -> Path:
    """Write the report as .docx (GB/T 9704 layout) to `path`, atomically; return the path.

    Draft mode keeps the [n] markers in the body (as the .md and .txt do) and adds, after a page break,
    "附：引用来源" (序号, 文件, 位置, 原文 of each cited source) and "核查结果" (the non-empty checks).
    Publish mode removes the markers and the appendix. A whole report ends with its 落款: the unit and
    `signed` (default today).
    """
    path = Path(path)
    buf = io.BytesIO()
    _build_docx(draft, publish, signed).save(
        buf
    )  # everything that can fail in rendering fails before any write
    _write_atomic(path, buf.getvalue())
    return path
