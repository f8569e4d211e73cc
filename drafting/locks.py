"""A lock is state on a section of the draft: whatever produced the new draft, a locked section comes back
exactly as it was (text, heading, the sources it cites), still locked.

The drafting paths (a fresh draft over the current one, a regeneration, a follow-up, a restore from history)
all end in `keep_locked`, so no path can overwrite a locked or hand-edited section.
"""

from __future__ import annotations

from dataclasses import replace

from core.types import Draft, Section, Source
from drafting.text.numbers import CITATION


def locked_sections(draft: Draft | None) -> list[Section]:
    return [s for s in draft.sections if s.locked] if draft else []


def keep_locked(previous: Draft | None, new: Draft) -> tuple[Draft, list[str]]:
    """`new` with every locked section of `previous` put back; returns it and the keys that were restored.

    A locked section keeps its text and the sources it cites (renumbered into `new`'s list); its heading
    takes the number it has in `new` when `new` has that part, so the numbering stays in order. A locked
    section that `new` lacks (its notes were removed) is kept at its old place: only the user drops it.
    """
    locked = locked_sections(previous)
    if not locked:
        return new, []
    assert previous is not None
    out = replace(new, sections=[replace(s) for s in new.sections], sources=list(new.sources))
    old_sources = {s.id: s for s in previous.sources}
    restored: list[str] = []
    for sec in locked:
        kept = _with_sources(sec, old_sources, out.sources)
        current = out.section(sec.key)
        if current is not None:
            if (current.text, current.locked) == (kept.text, True):
                continue
            kept = replace(kept, heading=current.heading or kept.heading)
            out.sections[out.sections.index(current)] = kept
        else:
            out.sections.insert(_position(previous, out, sec.key), kept)
        restored.append(sec.key)
    return out, restored


def _with_sources(sec: Section, old: dict[int, Source], sources: list[Source]) -> Section:
    """The locked section with its [n] markers pointing at the same passages in `sources` (added if absent)."""
    mapping: dict[int, int] = {}

    def sub(m) -> str:  # type: ignore[no-untyped-def]
        n = int(m.group(1))
        src = old.get(n)
        if src is None:
            return m.group(0)
        if n not in mapping:
            same = next(
                (s for s in sources if (s.title, s.locator, s.quote) == (src.title, src.locator, src.quote)),
                None,
            )
            if same is None:
                same = replace(src, id=max((s.id for s in sources), default=0) + 1)
                sources.append(same)
            mapping[n] = same.id
        return f"[{mapping[n]}]"

    text = CITATION.sub(sub, sec.text)
    return replace(
        sec,
        text=text,
        locked=True,
        citations=sorted({int(n) for n in CITATION.findall(text)}),
        evidence=[replace(e, sources=[mapping.get(n, n) for n in e.sources]) for e in sec.evidence],
    )


def _position(previous: Draft, new: Draft, key: str) -> int:
    """Where a section missing from `new` goes: after the nearest section that precedes it in `previous`."""
    keys = [s.key for s in previous.sections]
    present = [s.key for s in new.sections]
    for before in reversed(keys[: keys.index(key)]):
        if before in present:
            return present.index(before) + 1
    return 0
