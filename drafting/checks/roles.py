"""Claims judged by role: a figure the notes give for another year, correct away or doubt, and a task the notes
say is not done, must not appear in the draft as this year's fact.

The checks read the notes through the reader's roles (ParsedNotes.set_aside), never through a writer: nothing
here rewrites text. A sentence is judged by what it says (its figures, its polarity), so an LLM reply and the
offline composer are held to the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.types import Clause, Fact, register_problem_kind
from drafting.checks.claims import bigrams
from drafting.text.names import person_spans
from drafting.text.numbers import CITATION, contains_figure
from drafting.text.units import split_units

# A sentence that says it compares ("较上年增加12件", "同比下降3%", "比2023年的35件多12件").
COMPARISON = re.compile(
    r"同比|环比|较|比上|相比|上年|去年|前年|增加|减少|增长|下降|提高|降低|持平|(?:19|20)\d\d年(?:的|同期)"
)
UNCONFIRMED_MARK = "待核实"
# A sentence that says a task is not done, is under way or is planned (it may name an unfinished task).
NOT_DONE_WORDS = re.compile(
    r"未|没(?!收)|尚|仍|正在|推进中|有待|将|计划|拟|下一步|明年|下一年度|继续|不足|滞后|延期|推迟"
)
# Share of an unfinished task's words a sentence must hold to be about that task.
TASK_SHARE = 0.6
# Words of aspect and negation are no part of what a task is.
ASPECT = re.compile(
    r"还没|还未|尚未|未完成|没完成|没有完成|未启动|未开展|暂未|未能|没能|没来得及|进行中|推到明年|推迟|延期|顺延"
)
# Polarity a sentence may not turn round: (the note says, the sentence says instead).
OPPOSITES = (
    (re.compile(r"未(?!来)|没有|尚未|还没|没(?!收)"), re.compile(r"已|完成|实现|全面")),
    (re.compile(r"减少|下降|降低|回落"), re.compile(r"增加|增长|上升|提高")),
    (re.compile(r"增加|增长|上升|提高"), re.compile(r"减少|下降|降低|回落")),
)


# A report names offices and posts, never the staff who wrote or said the notes.
PEOPLE_NAMED = register_problem_kind("people_named", "正文写入了工作人员姓名", "red").name


def people_named(text: str, notes_text: str) -> list[str]:
    """Names of people the notes mention that the section's text repeats."""
    names = {notes_text[a:b] for a, b in person_spans(notes_text)}
    return sorted(n for n in names if n in text)


@dataclass
class RoleFindings:
    other_year: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)


def role_findings(
    text: str, set_aside: list[Clause], facts: list[Fact], *, year: int | None, tasks: bool = True
) -> RoleFindings:
    """What of the set-aside clauses the section states as this year's fact."""
    found = RoleFindings()
    this_year = "\n".join(f.text for f in facts)
    sentences = [CITATION.sub("", u.text) for u in split_units(text)]
    for clause in set_aside:
        if clause.role in ("earlier", "superseded", "unconfirmed"):
            for fig in clause.figures:
                if contains_figure(this_year, fig):
                    continue  # the notes also state it as this year's: the value is supported as such
                for sentence in sentences:
                    if not contains_figure(sentence, fig):
                        continue
                    if clause.role == "earlier" and COMPARISON.search(sentence):
                        continue
                    if clause.role == "unconfirmed" and UNCONFIRMED_MARK in sentence:
                        continue
                    bucket = {
                        "earlier": found.other_year,
                        "superseded": found.superseded,
                        "unconfirmed": found.unconfirmed,
                    }[clause.role]
                    if fig not in bucket:
                        bucket.append(fig)
        elif clause.role == "not_done" and clause.pending and tasks:
            task = bigrams(ASPECT.sub("", re.sub(r"[（(][^）)]*[）)]", "", clause.text)))
            if len(task) < 3:
                continue
            for sentence in sentences:
                shared = len(task & bigrams(sentence)) / len(task)
                stated = shared >= TASK_SHARE and not NOT_DONE_WORDS.search(sentence)
                if stated and sentence not in found.not_done:
                    found.not_done.append(sentence)
    return found


def turns_round(note: str, sentence: str) -> bool:
    """The sentence says the opposite of its note line (未 → 已, 减少 → 增加)."""
    for said, opposite in OPPOSITES:
        if said.search(note) and not said.search(sentence) and opposite.search(sentence):
            return True
    return False
