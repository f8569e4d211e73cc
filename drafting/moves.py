"""Moving notes lines between parts of a draft: only the part a line leaves and the part it joins are redrafted.

A move is the user correcting the placement. Every other part keeps its text exactly, hand edits and deletions
included: drafting the whole report again would undo them. A part left with no lines becomes a placeholder
【待补充：…】; a part that had no lines before is inserted where the outline puts it; locked parts keep their
text. Parts are named to the user by their headings, never by outline keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from core.errors import ZhibiError
from core.types import Draft, ParsedNotes, Section


class Redrafter(Protocol):
    """What a move needs of the Drafter (which calls it with the draft's stored placement; not imported here)."""

    settings: Any

    def regenerate(self, current: Draft, key: str, **kwargs: Any) -> Draft: ...


REPORT = "report"


@dataclass
class MoveResult:
    """What a move did, in the words the page shows."""

    draft: Draft
    moved: int = 0
    target: str = ""  # heading (or title) of the part the lines joined
    redrafted: list[str] = field(default_factory=list)  # headings of the parts written again
    added: list[str] = field(default_factory=list)  # headings of the parts inserted
    emptied: list[str] = field(default_factory=list)  # headings of the parts now waiting for material
    locked: list[str] = field(default_factory=list)  # headings of concerned parts kept as they were
    left_scope: int = 0  # lines moved out of a one-section draft's part

    def message(self) -> str:
        line = f"已把 {self.moved} 行材料移到“{self.target}”"
        if self.redrafted:
            line += "，重写了" + "、".join(f"“{h}”" for h in self.redrafted)
        if self.added:
            line += "；新增" + "、".join(f"“{h}”" for h in self.added)
        if self.emptied:
            line += "；" + "、".join(f"“{h}”" for h in self.emptied) + "已没有材料，留待补充"
        if self.locked:
            line += "；" + "、".join(f"“{h}”" for h in self.locked) + "已锁定，保持原文"
        if self.left_scope:
            line += f"；{self.left_scope} 行不再属于本稿的部分，未写入"
        return line + "；其他部分未改动"


def move_lines(
    drafter: Redrafter,
    placement: ParsedNotes | None,
    current: Draft,
    rows: list[int],
    key: str,
    engine: str = "auto",
) -> MoveResult:
    """Put placement rows `rows` (indexes into `placement`, the draft's stored placement, a copy) in part `key`
    and redraft the parts concerned."""
    from drafting.outline import load_outline

    outline = load_outline(drafter.settings.outline_path)
    if key not in outline.keys:
        names = "、".join(f"“{e.title}”" for e in outline.entries)
        raise ZhibiError(f"没有“{key}”这一部分", hint=f"可以移到的部分有 {names}")
    if placement is None:
        raise ZhibiError("这份稿件没有保存材料归类", hint="请重新起草一次，再调整材料归类")
    bad = sorted({r for r in rows if not 0 <= r < len(placement.facts)})
    if bad or not rows:
        raise ZhibiError(
            "没有所选的材料行" + (f"（第 {'、'.join(str(r + 1) for r in bad)} 项）" if bad else ""),
            hint="请在材料归类表中重新选择要调整的行",
        )
    entry = outline.get(key)
    concerned = [key]
    for r in dict.fromkeys(rows):
        fact = placement.facts[r]
        if fact.key not in concerned:
            concerned.append(fact.key)
        fact.key, fact.assigned_by, fact.confidence = key, "user", 1.0
        fact.reason = f"用户调整到“{entry.title}”"

    result = MoveResult(draft=current, moved=len(set(rows)))
    in_scope = _in_scope(outline, current.scope)
    work = replace(current, sections=[replace(s) for s in current.sections])
    if key not in (s.key for s in work.sections) and in_scope(key):
        work, result.added = _insert(work, outline, key)
        concerned.extend(k for k in result.added if k not in concerned)
    if not in_scope(key):
        result.left_scope = result.moved
    # In a one-section draft its own part is the one written from the lines (sub-parts are written in it).
    order = {k: n for n, k in enumerate(outline.keys)}
    redraft = sorted(
        {k if current.scope == REPORT else current.scope for k in concerned if in_scope(k)},
        key=lambda k: order.get(k, -1),
    )
    draft = work
    for k in redraft:
        section = draft.section(k)
        if section is None:
            continue  # a line left a part this draft never had
        if section.locked:
            result.locked.append(k)
            continue
        draft = drafter.regenerate(draft, k, engine=engine, placement=placement)
        result.redrafted.append(k)
    if not result.redrafted:  # nothing written again: the corrected placement is still the draft's
        draft = replace(draft, placement=[replace(f) for f in placement.facts])
    if current.scope == REPORT:
        draft = _number_headings(draft, outline)
    result.draft = draft
    result.emptied = [k for k in result.redrafted if (s := draft.section(k)) is not None and s.placeholder]
    result.redrafted = [k for k in result.redrafted if k not in result.emptied and k not in result.added]
    heading = _headings(draft, outline)
    result.target = heading(key)
    for name in ("redrafted", "added", "emptied", "locked"):
        setattr(result, name, [heading(k) for k in getattr(result, name)])
    return result


def _in_scope(outline: Any, scope: str) -> Any:
    def inside(key: str) -> bool:
        return scope == REPORT or key == scope or outline.get(key).parent == scope

    return inside


def _insert(draft: Draft, outline: Any, key: str) -> tuple[Draft, list[str]]:
    """A stub of part `key` where the outline puts it (its parent part first, when the draft lacks it);
    returns the draft and the keys inserted."""
    entry = outline.get(key)
    inserted: list[str] = []
    if entry.parent and draft.section(entry.parent) is None:
        draft, inserted = _insert(draft, outline, entry.parent)
    order = {k: n for n, k in enumerate(outline.keys)}
    mine = order[key]
    at = len(draft.sections)
    for n, sec in enumerate(draft.sections):
        if sec.key in order and order[sec.key] > mine:
            at = n
            break
    stub = Section(key=key, heading=entry.render_heading(draft.year), text="", level=entry.level)
    stub.run_in = entry.level == 2
    return replace(draft, sections=[*draft.sections[:at], stub, *draft.sections[at:]]), [*inserted, key]


def _number_headings(draft: Draft, outline: Any) -> Draft:
    """Parts and sub-parts numbered in the order they now stand (一、二、… and （一）（二）… under each part)."""
    from drafting.outline import part_heading, sub_heading

    parts = 0
    subs: dict[str, int] = {}
    sections = []
    for sec in draft.sections:
        if sec.key not in outline.keys:
            sections.append(sec)
            continue
        entry = outline.get(sec.key)
        title = entry.render_heading(draft.year)
        if entry.parent:
            subs[entry.parent] = subs.get(entry.parent, 0) + 1
            sections.append(replace(sec, heading=sub_heading(subs[entry.parent], title)))
        else:
            parts += 1
            sections.append(replace(sec, heading=part_heading(parts, title)))
    return replace(draft, sections=sections)


def _headings(draft: Draft, outline: Any) -> Any:
    def heading(key: str) -> str:
        sec = draft.section(key)
        if sec is not None and sec.heading:
            return sec.heading
        return outline.get(key).title if key in outline.keys else key

    return heading
