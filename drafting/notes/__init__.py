"""Raw notes → placed facts: the reader (drafting/reading.py) then placement (drafting/placement.py).

Chatter is dropped and listed, covering lines (titles, heading lines, table headers) listed, instructions
quarantined; every other line becomes one fact or, when its clauses belong to different parts, several.
"""

from __future__ import annotations

import re

from core.types import Clause, ParsedNotes
from drafting.notes.placement import Placer, SentenceBank
from drafting.notes.reading import ReadNotes, read_notes
from drafting.notes.roles import assign_roles, settle_not_done
from drafting.outline import Outline

LABEL = re.compile(r"^([^：，。；]{1,10})：(.+)$")


def parse_notes(
    notes: str, outline: Outline, *, year: int | None = None, bank: SentenceBank | None = None
) -> ParsedNotes:
    """Read the notes once and place every fact line; `bank` adds similarity to past reports' sentences."""
    read = read_notes(notes, outline, year=year)
    set_aside = assign_roles(read, year)
    parsed = Placer(outline, bank, year=year).place(read)
    parsed.set_aside = set_aside
    if part := declared_part(read, set_aside, outline):
        _send_to(parsed, part, outline)
    settle_not_done(parsed, read.lines)
    return parsed


# "放报告第二部分'主要负责人履行……情况'用", "供第一部分使用": the notes say which part of the report they are for.
DESTINATION = re.compile(
    r"(?:放|放在|放到|用于|用在|供|写进|写入|写到|用作)(?:报告|材料|总结)?的?"
    r"(?:第\s*(?P<n>[一二三四五六七八九十]|\d)\s*部分|[“\"「‘'](?P<title>[^”\"」’']{4,40})[”\"」’'])"
)


# Words that make a declaration about the notes as a whole ("以下材料……", "这些……", "本材料……").
WHOLE = re.compile(r"以下|下面|下列|这些|本材料|本稿|全部|整份|这份|此份|各科室")


def declared_part(read: ReadNotes, set_aside: list[Clause], outline: Outline) -> str:
    """The part of the report the notes declare themselves for, from their covering words; "" when none."""
    said = [ln.raw for ln in read.lines if ln.kind != "fact"] + [
        c.text for c in set_aside if c.role in ("wrapping", "remark")
    ]
    for text in said:
        if not WHOLE.search(text):
            continue  # "这条放第二部分" speaks of one line, not of the notes
        for m in DESTINATION.finditer(text):
            if m.group("n"):
                n = (
                    int(m.group("n"))
                    if m.group("n").isdigit()
                    else "一二三四五六七八九十".index(m.group("n")) + 1
                )
                if 1 <= n <= len(outline.parts):
                    return outline.parts[n - 1].key
            elif key := outline.match_heading(m.group("title")):
                return outline.part_of(key)
    return ""


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
