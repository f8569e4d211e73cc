"""The source list follows the text: numbered by first citation, one entry per article, nothing uncited.

Every path that changes a draft (a fresh draft, a regeneration, a follow-up, a hand edit) ends here, so a
source that no sentence cites any more leaves the list, and the same article retrieved twice (once for
each section that needed it) is listed once under one number.
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.types import Draft, Source
from drafting.text.numbers import CITATION

_REPEAT = re.compile(r"(\[(\d+)\])(?:\1)+")


def article_key(src: Source) -> tuple[str, str]:
    """One statute article, policy clause or past-report part: its document and locator.

    A source without a locator is keyed by its quote, so two passages of an unstructured text stay apart.
    """
    where = re.sub(r"\s+", "", src.locator)
    return (src.title.strip(), where or re.sub(r"\s+", "", src.quote))


def renumber(draft: Draft) -> Draft:
    """A copy of `draft` whose sources are exactly those its text cites, numbered 1, 2, … in reading order.

    Markers of a number with no source are left as they are (the checks flag them), moved past the new
    numbers when they would collide with one.
    """
    by_id = {s.id: s for s in draft.sources}
    order: list[tuple[str, str]] = []
    first: dict[tuple[str, str], Source] = {}
    for sec in draft.sections:
        for m in CITATION.finditer(sec.heading + "\n" + sec.text):
            src = by_id.get(int(m.group(1)))
            if src is None:
                continue
            key = article_key(src)
            if key not in first:
                first[key] = src
                order.append(key)
    new_id = {key: i for i, key in enumerate(order, 1)}
    mapping = {old: new_id[article_key(src)] for old, src in by_id.items() if article_key(src) in new_id}
    top = len(order)

    def sub(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n in mapping:
            return f"[{mapping[n]}]"
        return f"[{n}]" if n > top else f"[{n + 1000}]"

    sections = []
    for sec in draft.sections:
        text = _REPEAT.sub(r"\1", CITATION.sub(sub, sec.text))
        heading = _REPEAT.sub(r"\1", CITATION.sub(sub, sec.heading))
        evidence = [
            replace(e, sources=sorted({mapping[n] for n in e.sources if n in mapping})) for e in sec.evidence
        ]
        cited = sorted({int(n) for n in CITATION.findall(heading + "\n" + text) if 1 <= int(n) <= top})
        sections.append(replace(sec, text=text, heading=heading, citations=cited, evidence=evidence))
    sources = [replace(first[key], id=new_id[key]) for key in order]
    return replace(draft, sections=sections, sources=sources)
