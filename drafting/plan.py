"""The plan of a draft: which sections it writes and which notes lines each one is written from.

A whole report drafts every required part and every section the notes speak to; a one-section draft takes the
lines placed in that section (the notes' own heading over a block outranks a keyword; a move by the user outranks
both), and records the lines it leaves to other parts, so the draft can say how many and never look complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from core.types import Clause, Fact
from drafting.outline import Outline

# Evidence for a line's part that a one-section draft respects even in notes pasted for that section.
RESPECTED_IN_SECTION = ("heading", "label", "explicit", "user", "topic")
# The parts of what is still to do: a cue word ("不足", "明年", "尚待") places a line there surely enough.
OWN_SAY_PARTS = ("shortcomings", "plans")
# The part on the principal's own duties (第一责任人).
PRINCIPAL = "leadership"
# A remark telling the writer to keep the other parts out ("别的部分别往里塞", "其他内容不要写进来"): the notes
# were pasted whole, not cut for the section, so a line a keyword sends elsewhere is not the section's.
OTHERS_KEPT_OUT = re.compile(
    r"(?:别的|其他|其它|其余)(?:部分|内容|方面|科室的?)[^。；]{0,6}(?:别|不要|不用|不必|勿)[^。；]{0,4}(?:塞|放|写|加|掺)"
    r"|别往里(?:塞|放|写|加|掺)|不要往里(?:塞|放|写|加|掺)"
)


@dataclass
class SectionPlan:
    scope: str  # "report" or an outline key
    keys: list[str]  # the sections drafted, in order ("preamble" first in a whole report)
    facts: list[Fact]  # the lines the draft is written from
    elsewhere: list[Fact] = field(default_factory=list)  # lines a one-section draft leaves to other parts
    single: bool = False  # a one-section draft of a section with no sub-sections: every line is its own

    def facts_of(self, key: str) -> list[Fact]:
        if self.single and key == self.scope:
            return self.facts
        return [f for f in self.facts if f.key == key]


def plan_sections(
    outline: Outline, facts: list[Fact], scope: str, set_aside: list[Clause] | None = None
) -> SectionPlan:
    if scope == "report":
        return SectionPlan(scope, planned_keys(outline, facts), list(facts))
    mine, elsewhere = split_scope(outline, facts, scope, set_aside)
    with_facts = {f.key for f in mine}
    entry = outline.get(scope)
    children = [c.key for c in outline.children(entry.key) if c.key in with_facts]
    single = not outline.children(scope)
    return SectionPlan(scope, [entry.key, *children], mine, elsewhere, single)


def planned_keys(outline: Outline, facts: list[Fact]) -> list[str]:
    """The sections a whole report drafts for these facts."""
    with_facts = {f.key for f in facts}
    keys = ["preamble"]
    for part in outline.parts:
        children = [c.key for c in outline.children(part.key) if c.key in with_facts]
        if part.required or part.key in with_facts or children:
            keys.append(part.key)
            keys.extend(children)
    return keys


def split_scope(
    outline: Outline, facts: list[Fact], scope: str, set_aside: list[Clause] | None = None
) -> tuple[list[Fact], list[Fact]]:
    """(lines of a one-section draft, lines it leaves to other parts).

    It takes the lines placed in the section, as 重写本节 does, where the notes' own heading over a block
    outranks a keyword. Notes pasted for this one section (no heading or label of theirs names another part,
    and more than two fifths of their lines are the section's) also keep a line that only a keyword or a cue
    word sent elsewhere; whole-year notes keep only the section's lines. Notes whose remark keeps the other
    parts out keep only the section's lines too, and a clause cut from a line the section tells.
    """
    mine, others = _split_scope(outline, facts, scope, set_aside)
    # The principal's part is told by who acted, not by what was done: a clause a keyword cut for it from a line
    # the section tells ("行政诉讼应诉4件，局长出庭应诉1次") is also the section's deed, and a one-section draft
    # that left it out would lose the figure from both.
    told = {f.line_no for f in mine}
    joined = {
        id(f)
        for f in others
        if f.key == PRINCIPAL and f.assigned_by == "keyword" and f.line_no in told and scope != PRINCIPAL
    }
    if not joined:
        return mine, others
    moved = [replace(f, key=scope) for f in others if id(f) in joined]
    return sorted([*mine, *moved], key=lambda f: f.line_no), [f for f in others if id(f) not in joined]


def _split_scope(
    outline: Outline, facts: list[Fact], scope: str, set_aside: list[Clause] | None = None
) -> tuple[list[Fact], list[Fact]]:
    facts = [part for f in facts for part in _done_apart(outline, f, scope)]
    inside = [f for f in facts if in_scope(outline, f, scope)]
    kept = {id(f) for f in inside}
    others = [f for f in facts if id(f) not in kept]
    # Notes that name the parts aloud ("然后不足这块……") say themselves which lines are the section's.
    structured = any(f.assigned_by in RESPECTED_IN_SECTION for f in others) or any(
        f.assigned_by == "topic" for f in facts
    )
    # Counted in the notes' lines, not in the pieces a line was cut into (how a line splits is no measure of
    # whose notes they are); notes pasted for one section give it most of their lines, while a whole year's
    # notes give one part a third at most.
    if structured or len({f.line_no for f in inside}) * 5 <= len({f.line_no for f in facts}) * 2:
        return inside, others
    if keeps_others_out(set_aside or []):
        # One line tells one deed: a clause the keywords split off ("培训新稽查员" from "…领取执法证") goes
        # with the section's clause of the same line.
        told = {f.line_no for f in inside}
        joined = {id(f) for f in others if f.line_no in told and not _kept_out(outline, f, scope)}
        mine = [replace(f, key=scope) if id(f) in joined else f for f in facts if id(f) in kept | joined]
        return mine, [f for f in others if id(f) not in joined]
    mine = [
        f if id(f) in kept else replace(f, key=scope)
        for f in facts
        if id(f) in kept or not _kept_out(outline, f, scope)
    ]
    return mine, [f for f in others if _kept_out(outline, f, scope)]


def keeps_others_out(set_aside: list[Clause]) -> bool:
    return any(c.role == "remark" and OTHERS_KEPT_OUT.search(c.text) for c in set_aside)


# Words that say a sentence is not done (a plan, a hope, a lack): a sentence without any may be a deed.
STILL_TO_DO = re.compile(
    r"计划|预计|拟|将|准备|打算|争取|力争|尚|未|没|正在|还在|待|明年|下一步|下步|继续|需要|要"
)


def _done_apart(outline: Outline, fact: Fact, scope: str) -> list[Fact]:
    """A plan the reader glued to a deed of the next sentence ("计划明年完成。服务中心建成法治长廊1处"), under a
    heading that names the section: the deed's sentences are the section's, the plan's are not."""
    if not _said_still_to_do(fact) or "。" not in fact.text or scope.split(".")[0] in OWN_SAY_PARTS:
        return [fact]
    named = next((k for h in reversed(fact.headings) if (k := outline.match_heading(h))), None)
    if not named or not (named == scope or outline.get(named).parent == scope):
        return [fact]
    sentences = [t for t in fact.text.split("。") if t.strip()]
    done = [t for t in sentences if not STILL_TO_DO.search(t)]
    if not done or len(done) == len(sentences):
        return [fact]
    todo = "。".join(t for t in sentences if t not in done)
    deed = "。".join(done)
    return [
        replace(fact, text=todo, raw=todo, figures=[f for f in fact.figures if f in todo]),
        replace(
            fact,
            text=deed,
            raw=deed,
            figures=[f for f in fact.figures if f in deed],
            key=named,
            assigned_by="heading",
        ),
    ]


def _said_still_to_do(fact: Fact) -> bool:
    """A line its own cue word made a shortcoming or a plan ("尚未", "计划", "预计")."""
    return fact.assigned_by == "cue" and fact.key.split(".")[0] in OWN_SAY_PARTS


def _kept_out(outline: Outline, fact: Fact, scope: str) -> bool:
    """A line notes pasted for one section still leave to another part: one the notes' own structure placed, and
    one its cue words made a shortcoming or a plan, which a section of measures never states as done
    ("顺延至2026年", "尚待…审议批准")."""
    if fact.assigned_by in RESPECTED_IN_SECTION:
        return True
    return _said_still_to_do(fact) and scope.split(".")[0] not in OWN_SAY_PARTS


def in_scope(outline: Outline, fact: Fact, scope: str) -> bool:
    """A line is the section's when placed there, or when the notes' own heading over its block names the
    section ("执法：" over "修订执法制度32条"): that heading outranks a keyword; a move by the user outranks both."""
    if fact.key == scope or outline.get(fact.key).parent == scope:
        return True
    if fact.assigned_by == "user":
        return False
    if _said_still_to_do(fact) and scope.split(".")[0] not in OWN_SAY_PARTS:
        # "计划明年完成", "预计明年上半年投用" under a heading of work done: the line's own cue word says the
        # work is still to do, and a heading over the block cannot make it done.
        return False
    for heading in reversed(fact.headings):
        named = outline.match_heading(heading)
        if named:
            return named == scope or outline.get(named).parent == scope
    return False
