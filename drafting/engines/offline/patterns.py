"""Sentence patterns mined from past reports of the same section: their wording, never their figures.

A clause of a past report that holds figures becomes a pattern: each figure is a slot that remembers the noun
before it and its measure word ("全年道路运输证核发{0}个" ← "全年道路运输证核发2025个"). A pattern phrases a
fact clause when every slot finds a figure of the fact with the same measure word after the same noun, and every
noun of the pattern is a noun of the fact: the pattern lends its verbs, order and time words, the fact gives
every noun and every figure. The pattern's own figures are gone before it is stored, so they cannot reach a
draft; the carry-over check of drafting/verify.py would flag them if they did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafting.text.numbers import UNITS, find_figures
from drafting.text.tokens import tokens

CLAUSE = re.compile(r"[^，；。：,;:（）()\n]+")
NOUN = ("n", "nz", "nt", "ns", "vn", "j")
# The only words a pattern may add to a fact: when, how many in all, of which. Any other word of the pattern
# (a verb, a place, a qualifier such as 网上) must be the fact's own, or the pattern would change the claim.
WORDING_ONLY = frozenset("全年 年内 共 共计 累计 合计 其中 达 达到 全年共 总计 ， 、 ,".split())
SLOT = re.compile(r"\{(\d+)\}")
UNITS_SET = frozenset(UNITS)


@dataclass(frozen=True)
class Slot:
    noun: str  # the noun right before the figure in the pattern ("证", "检查")
    measure: str  # its measure word ("个", "次")


@dataclass(frozen=True)
class Pattern:
    template: str  # "全年道路运输证核发{0}个"
    slots: tuple[Slot, ...]
    words: tuple[str, ...]  # every word of the pattern: all must be the fact's own or WORDING_ONLY


def mine(text: str, *, year: int | None = None) -> list[Pattern]:
    """Patterns of every clause with figures in a past section's text; figures become slots."""
    return list(_mine(text, year))


@lru_cache(maxsize=64)
def _mine(text: str, year: int | None) -> tuple[Pattern, ...]:
    out: list[Pattern] = []
    for m in CLAUSE.finditer(text):
        clause = m.group(0).strip()
        figures = [f for f in find_figures(clause, year=year) if f.unit and not f.chinese]
        if not figures or len(clause) > 60 or re.search(r"[《》“”（）()*＊]", clause):
            continue
        template, slots, cursor = "", [], 0
        for i, fig in enumerate(figures):
            before = clause[cursor : fig.start]
            noun = _last_noun(clause[: fig.start])
            if not noun:
                break
            template += before + "{" + str(i) + "}" + fig.unit
            slots.append(Slot(noun, fig.unit))
            cursor = fig.start + len(fig.text)
        else:
            template += clause[cursor:]
            if re.search(r"\d", SLOT.sub("", template)):
                continue  # a figure the finder did not take as one: the pattern would carry it
            words = tuple(w for w, _ in tokens(SLOT.sub(" ", template)) if w.strip() and w not in UNITS_SET)
            out.append(Pattern(template, tuple(slots), words))
    return tuple(out)


def _last_noun(text: str) -> str:
    nouns = [w for w, f in tokens(text) if f.startswith(NOUN) or f.startswith("v")]
    return nouns[-1] if nouns else ""


def rephrase(text: str, patterns: list[Pattern], *, year: int | None = None) -> str:
    """Each clause of a fact line phrased by a pattern where one fits; the others as they were."""
    if not patterns:
        return text
    parts = re.split(r"([，；])", text)
    return "".join(apply(p, patterns, year=year) or p if i % 2 == 0 else p for i, p in enumerate(parts))


def apply(clause: str, patterns: list[Pattern], *, year: int | None = None) -> str | None:
    """The fact clause phrased by the first pattern whose slots and nouns it fills, else None."""
    figures = [f for f in find_figures(clause, year=year) if f.unit]
    if not figures:
        return None
    for pattern in patterns:
        if len(pattern.slots) != len(figures):
            continue
        if any(w not in clause and w not in WORDING_ONLY for w in pattern.words):
            continue
        filled = []
        for slot, fig in zip(pattern.slots, figures, strict=True):
            if slot.measure != fig.unit or slot.noun not in clause[: fig.start]:
                break
            filled.append(fig.number)
        else:
            return SLOT.sub(lambda m, got=filled: got[int(m.group(1))], pattern.template)
    return None
