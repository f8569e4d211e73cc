"""Verification after every generation: figures kept, numbers supported, citations verbatim, nothing carried over.

Also the repairs that keep a draft honest without a model: drop an unresolvable [n], drop the clause that
holds an unsupported figure (never a clause that holds a figure of the notes), append a fact the text lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from drafting.numbers import CITATION, contains_figure, find_figures
from zhibi.types import Checks, Fact, Section, Source

DocText = Callable[[str], str]  # title → cleaned full text of that document ("" when not indexed)


@dataclass
class Evidence:
    """What a section may rely on: the notes (facts) and last year's reports (to spot carried-over figures)."""

    notes_text: str  # normalised notes as a whole
    facts: list[Fact]
    past_reports: list[str] = field(default_factory=list)  # texts of earlier reports
    year: int = 0


def verify_section(
    section: Section, sources: dict[int, Source], evidence: Evidence, doc_text: DocText
) -> Checks:
    checks = Checks()
    text = section.text
    for fact in evidence.facts:
        for fig in fact.figures:
            if not contains_figure(text, fig) and fig not in checks.facts_missing:
                checks.facts_missing.append(fig)
    cited = [int(n) for n in CITATION.findall(text)]
    quotes = []
    for n in cited:
        src = sources.get(n)
        if src is None or not quote_is_verbatim(src, doc_text):
            marker = f"[{n}]"
            if marker not in checks.citations_unresolved:
                checks.citations_unresolved.append(marker)
        else:
            quotes.append(src.quote)
    for fig in find_figures(text, year=evidence.year):
        if _supported(fig.text, fig.number, evidence, quotes):
            continue
        if any(contains_figure(past, fig.text) for past in evidence.past_reports) and fig.unit:
            if fig.text not in checks.carried_over:
                checks.carried_over.append(fig.text)
        elif fig.text not in checks.numbers_unsupported:
            checks.numbers_unsupported.append(fig.text)
    if section.placeholder:
        checks.placeholders.append(section.key)
    return checks


def _supported(figure: str, number: str, evidence: Evidence, quotes: list[str]) -> bool:
    if contains_figure(evidence.notes_text, figure) or any(contains_figure(q, figure) for q in quotes):
        return True
    # A bare number of the notes used with another unit word ("12次" written as "12场次") still comes from the
    # notes; only the figure with unit is checked for carry-over.
    return contains_figure(evidence.notes_text, number) and not any(
        contains_figure(past, figure) for past in evidence.past_reports
    )


def quote_is_verbatim(source: Source, doc_text: DocText) -> bool:
    doc = doc_text(source.title)
    if not doc or not source.quote.strip():
        return False
    return squash(source.quote) in squash(doc)


def squash(text: str) -> str:
    """Whitespace-insensitive comparison: line breaks of a chunk are not part of the wording."""
    return re.sub(r"\s+", "", text)


# -- repairs ---------------------------------------------------------------------------------------------------

CLAUSE_SPLIT = re.compile(r"(?<=[，；。：])")


def drop_markers(text: str, markers: list[str]) -> str:
    for marker in markers:
        text = text.replace(marker, "")
    return text


def drop_clauses_with(
    text: str, figures: list[str], keep_figures: list[str]
) -> tuple[str, list[str], list[str]]:
    """Remove each clause holding one of `figures`, unless it also holds a figure of the notes (kept, flagged)."""
    removed, kept = [], []
    pieces = CLAUSE_SPLIT.split(text)
    out = []
    for piece in pieces:
        bad = [f for f in figures if contains_figure(piece, f)]
        if not bad:
            out.append(piece)
            continue
        if any(contains_figure(piece, k) for k in keep_figures):
            out.append(piece)
            kept.extend(bad)
            continue
        removed.append(piece)
        # Keep the sentence end when the dropped clause carried it.
        if piece.endswith("。") and out and not out[-1].endswith("。"):
            out[-1] = out[-1][:-1] + "。" if out[-1][-1:] in "，；：" else out[-1] + "。"
    result = "".join(out).strip()
    return result, removed, kept


def append_missing(text: str, clauses: list[str]) -> str:
    if not clauses:
        return text
    addition = "；".join(c.rstrip("。；") for c in clauses) + "。"
    text = text.rstrip()
    if not text:
        return addition
    return text + ("此外，" if text.endswith("。") else "。此外，") + addition


def verbatim_share(draft_text: str, prior_text: str, min_run: int = 8) -> float:
    """Share of the draft's characters inside runs of ≥ min_run characters repeated verbatim from prior_text."""
    from difflib import SequenceMatcher

    body = CITATION.sub("", draft_text)
    if not body or not prior_text:
        return 0.0
    matcher = SequenceMatcher(None, body, prior_text, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks() if b.size >= min_run)
    return round(same / len(body), 3)
