"""Raw notes → placed facts: the reader (drafting/reading.py) then placement (drafting/placement.py).

Chatter is dropped and listed, covering lines (titles, heading lines, table headers) listed, instructions
quarantined; every other line becomes one fact or, when its clauses belong to different parts, several.
"""

from __future__ import annotations

import re

from core.types import ParsedNotes
from drafting.notes.placement import Placer, SentenceBank
from drafting.notes.reading import read_notes
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
    settle_not_done(parsed, read.lines)
    return parsed


def strip_label(text: str, outline: Outline) -> str:
    """ "执法：全年行政处罚326件" → "全年行政处罚326件" when the label only names the section.

    Longer labels ("谁执法谁普法：", "智慧监管：") carry meaning and stay.
    """
    if (m := LABEL.match(text)) and len(m.group(1)) <= 4 and outline.match_heading(m.group(1)):
        return m.group(2).strip()
    return text
