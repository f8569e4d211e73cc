"""Raw notes → placed facts: the reader (drafting/reading.py) then placement (drafting/placement.py).

Chatter is dropped and listed, covering lines (titles, heading lines, table headers) listed, instructions
quarantined; every other line becomes one fact or, when its clauses belong to different parts, several.
"""

from __future__ import annotations

import re

from core.types import Clause, ParsedNotes
from drafting.notes.conventions import follow_conventions
from drafting.notes.placement import Placer, SentenceBank
from drafting.notes.reading import ReadNotes, read_notes
from drafting.notes.register import doubt_figures_called_wrong, refuse_talk
from drafting.notes.roles import assign_roles, settle_not_done
from drafting.outline import Outline

LABEL = re.compile(r"^([^：，。；]{1,10})：(.+)$")


def parse_notes(
    notes: str, outline: Outline, *, year: int | None = None, bank: SentenceBank | None = None
) -> ParsedNotes:
    """Read the notes once and place every fact line; `bank` adds similarity to past reports' sentences."""
    read = read_notes(notes, outline, year=year)
    set_aside = assign_roles(read, year)
    set_aside += follow_conventions(read, year)
    parsed = Placer(outline, bank, year=year).place(read)
    parsed.set_aside = set_aside
    if part := declared_part(read, set_aside, outline):
        _send_to(parsed, part, outline)
    follow_placing_remarks(parsed, set_aside, outline, {ln.line_no: ln.raw for ln in read.lines})
    settle_not_done(parsed, read.lines)
    refuse_talk(parsed, notes.splitlines())
    doubt_figures_called_wrong(parsed)
    return parsed


# "放报告第二部分'主要负责人履行……情况'用", "供第一部分使用": the notes say which part of the report they are for.
DESTINATION = re.compile(
    r"(?:放|放在|放到|用于|用在|供|写进|写入|写到|用作)(?:报告|材料|总结)?的?"
    r"(?:第\s*(?P<n>[一二三四五六七八九十]|\d)\s*部分|[“\"「‘'](?P<title>[^”\"」’']{4,40})[”\"」’'])"
)


# "报告第二部分“主要负责人……情况”我在写，有几个数想跟您对一下": the writer names the part the notes are for.
WRITING = re.compile(
    r"(?:报告|材料|总结)的?第\s*(?P<n>[一二三四五六七八九十]|\d)\s*部分(?:[“\"「‘'][^”\"」’']{4,40}[”\"」’'])?"
    r"\s*(?:我|我们)?(?:正|正在|在)(?:写|起草|弄|整理)"
)


# Words that make a declaration about the notes as a whole ("以下材料……", "这些……", "本材料……").
WHOLE = re.compile(r"以下|下面|下列|这些|本材料|本稿|全部|整份|这份|此份|各科室")


def declared_part(read: ReadNotes, set_aside: list[Clause], outline: Outline) -> str:
    """The part of the report the notes declare themselves for, from their covering words; "" when none."""
    said = [ln.raw for ln in read.lines if ln.kind != "fact"] + [
        c.text for c in set_aside if c.role in ("wrapping", "remark")
    ]
    for text in said:
        if (m := WRITING.search(text)) and (key := _part_numbered(m.group("n"), outline)):
            return key
        if not WHOLE.search(text):
            continue  # "这条放第二部分" speaks of one line, not of the notes
        for m in DESTINATION.finditer(text):
            if m.group("n"):
                if key := _part_numbered(m.group("n"), outline):
                    return key
            elif key := outline.match_heading(m.group("title")):
                return outline.part_of(key)
    return ""


# "这个可以放不足里面", "放举措那块，第二部分不写": a remark that says where the line before it goes.
PUT_IN = re.compile(
    r"(?:放|写|归|挪|移|列)(?:到|在|进|入)?(?P<where>[^，。；,;？?\s]{1,10}?)"
    r"(?:里面|里头|里|那块|这块|那里|那儿|部分|中|去)(?![^，。；,;]{0,3}(?:吗|么|不|没))"
)
# A speaker's label or a time stamp before what a line says.
LEAD = re.compile(r"^\s*(?:[\[【(（][\d\-/:. ]{4,20}[\]】)）])?\s*(?:[^：:，,。\s]{1,12}[：:])?")
# What a placing remark may say before its verb: "这个", "这条可以", "嗯，这个" (the line it follows).
THIS_ONE = re.compile(
    r"[\s\W]*(?:【[^】：:]{0,6}[：:])?(?:嗯|好|行|对)?[，,]?\s*(?:这个|这条|这段|这句|这块|这项|这|那个)?"
    r"(?:可以|就|要|也|还是|应该|得|最好)?"
)
OPTIONAL = re.compile(r"^[^，。；]{0,4}(?:也行|也可以|也可|都行|你们定|你定|看着办)")
MEASURES_WORDS = ("举措", "成效", "做法", "工作成效", "主要工作")


def follow_placing_remarks(
    parsed: ParsedNotes, set_aside: list[Clause], outline: Outline, raws: dict[int, str]
) -> None:
    """A remark that places the line it follows ("这个放不足里") moves that line there; it beats a keyword,
    never the user. At a line's start it speaks of the line before; after what a line states, of that line."""
    for clause in set_aside:
        if clause.role != "remark" or "？" in clause.text or "?" in clause.text:
            continue
        m = PUT_IN.search(clause.text)
        if not m or not (key := _named_part(m.group("where"), outline)):
            continue
        if not THIS_ONE.fullmatch(clause.text[: m.start()]) or OPTIONAL.search(clause.text[m.end() :]):
            continue  # "第三条放第三部分也行": another item, and only a suggestion
        raw = raws.get(clause.line_no, "")
        at = raw.find(clause.text[:4])
        said_first = re.sub(r"[^\u4e00-\u9fff\d]", "", LEAD.sub("", raw[: max(at, 0)]))
        last_line = clause.line_no if len(said_first) >= 4 else clause.line_no - 1
        before = [
            f
            for f in parsed.facts
            if clause.line_no - 3 <= f.line_no <= last_line and f.assigned_by not in ("user", "explicit")
        ]
        if not before:
            continue
        last = max(f.line_no for f in before)
        for fact in before:
            if fact.line_no == last and not (key == "measures" and fact.key.startswith("measures.")):
                fact.key, fact.assigned_by, fact.confidence = key, "label", 0.9
                fact.reason = f"第{clause.line_no}行说“{m.group(0)}”"


def _named_part(where: str, outline: Outline) -> str:
    where = re.sub(r"^(?:报告|材料)?的?|的$", "", where)
    if m := re.fullmatch(r"第\s*([一二三四五六七八九十]|\d)\s*", where):
        return _part_numbered(m.group(1), outline)
    if any(w in where for w in MEASURES_WORDS):
        return "measures"
    return outline.match_heading(where) or ""


def _part_numbered(n: str, outline: Outline) -> str:
    k = int(n) if n.isdigit() else "一二三四五六七八九十".index(n) + 1
    return outline.parts[k - 1].key if 1 <= k <= len(outline.parts) else ""


def _send_to(parsed: ParsedNotes, part: str, outline: Outline) -> None:
    """Lines the notes' own headings did not place go to the declared part; one already inside it stays put."""
    for fact in parsed.facts:
        if fact.assigned_by in ("heading", "user") or outline.part_of(fact.key) == part:
            continue
        fact.key = part
        fact.assigned_by = "heading"
        fact.reason = f"材料注明用于“{outline.get(part).heading}”"
        fact.confidence = 0.9


def strip_label(text: str, outline: Outline) -> str:
    """ "执法：全年行政处罚326件" → "全年行政处罚326件" when the label only names the section.

    Longer labels ("谁执法谁普法：", "智慧监管：") carry meaning and stay.
    """
    if (m := LABEL.match(text)) and len(m.group(1)) <= 4 and outline.match_heading(m.group(1)):
        return m.group(2).strip()
    return text
