"""Talk in a draft's text: words a published report never holds (drafting/checks/talk.toml).

The reader sets such clauses aside by their role (a remark to the writer, filler, a hedge); this check reads the
written text on its own, from the report's side, so a clause the reader misread still turns the draft red. It
shares no cue and no code with the reader or the writers.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.types import register_problem_kind
from drafting.checks.roles import TextRow, load_rows
from drafting.text.numbers import CITATION

TALK_FILE = Path(__file__).with_name("talk.toml")
TALK_IN_TEXT = register_problem_kind("talk_in_text", "正文写入了材料里的口语或对起草人说的话", "red").name
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|「[^」]*」")


def talk_patterns() -> tuple[TextRow, ...]:
    return load_rows(TALK_FILE)


def talk_in_text(text: str) -> list[str]:
    """Each piece of talk a section's text holds, with a few characters around it so the reader finds it."""
    body = CITATION.sub("", text)
    unquoted = QUOTED.sub(lambda m: "　" * len(m.group(0)), body)  # same length: positions stay valid
    found: list[str] = []
    for row in talk_patterns():
        for m in row.pattern.finditer(unquoted if row.outside_quotes else body):
            found.append(_context(body, m.start(), m.end()))
    return list(dict.fromkeys(found))


def _context(body: str, start: int, end: int, wide: int = 8) -> str:
    """The match with up to `wide` characters of its sentence on each side."""
    left = max(body.rfind(c, 0, start) for c in "。；！？\n") + 1
    rights = [i for i in (body.find(c, end) for c in "。；！？\n") if i >= 0]
    right = min(rights) if rights else len(body)
    return body[max(left, start - wide) : min(right, end + wide)].strip("，、 ")
