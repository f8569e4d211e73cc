"""The drafting interface both engines implement: one section's context in, section text with [n] out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from core.types import Clause, Fact, Source


@dataclass
class SectionContext:
    """Everything an engine may use to write one section; it must add no fact that is not in `facts`."""

    key: str  # outline key, e.g. "measures.enforcement"
    heading: str  # heading as it will be printed, e.g. "（四）严格规范公正文明执法"
    title: str  # the short heading text without numbering, e.g. "严格规范公正文明执法"
    unit: str
    year: int
    level: int  # 1 part, 2 sub-section
    facts: list[Fact]
    # Numbered candidate sources: report passages (wording only) and law/policy passages (basis).
    # Source.id is the n the engine may cite as [n]; the quote is verbatim in the named document.
    sources: list[Source] = field(default_factory=list)
    prior_text: str = ""  # last year's matching section (wording and structure only, never its figures)
    prior_title: str = ""
    instruction: str = ""  # editor's instruction for this section, "" when none
    repair: list[str] = field(default_factory=list)  # problems of a previous attempt to fix (LLM re-ask)
    previous_text: str = ""  # the previous text of this section when regenerating or repairing
    leads: list[str] = field(
        default_factory=list
    )  # opening templates from the outline ({we} {year} {basis}…)
    # The report around the section (for the LLM prompt): the planned headings, this one marked "→", and the
    # heading and first sentence of each section already written (so that openings are not repeated).
    outline: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    variant: int = 0  # which opening to use: "换个开头" asks for the next one
    # Clauses of this section's lines that are not this year's facts (another year's, corrected, doubted, not
    # done): the LLM is told what they are so it does not state them; the offline engine never sees them.
    not_facts: list[Clause] = field(default_factory=list)
    outline_path: str = ""  # the configured outline (ZHIBI_OUTLINE): its vocabulary is the offline engine's
    concise: bool = False  # "再精简些": facts only, no opening or closing sentence


TokenFn = Callable[[str], None]


class Engine(Protocol):
    name: str  # "offline" or "llm"

    def write(self, ctx: SectionContext, on_token: TokenFn | None = None) -> str:
        """Return the section body (no heading) in 公文 style with [n] markers; stream tokens to on_token."""
        ...
