"""Placement of note lines in the outline beyond their own headings: the past-report classifier and the
one LLM call that reviews the placement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from drafting.outline import Outline
from zhibi.errors import LLMUnavailable
from zhibi.types import ParsedNotes

if TYPE_CHECKING:
    from drafting.llm import ChatModel
    from drafting.pipeline import Corpus

CLASSIFIED = re.compile(r"^\s*(\d+)\s+([a-z]+(?:\.[a-z]+)?|none)\s*$")


def place_with_llm(model: ChatModel, outline: Outline, parsed: ParsedNotes) -> None:
    """Let the model place the lines that no heading or keyword placed (one call for the whole notes).

    Its answer only moves a line between outline keys; a reply it cannot give or that names an unknown key
    leaves the retrieval placement as it was.
    """
    from drafting.prompting import render

    pending = [f for f in parsed.facts if f.assigned_by in ("retrieval", "default")]
    if not pending:
        return
    keys = "\n".join(f"{e.key}：{e.title}" for e in outline.entries)
    lines = "\n".join(f"{i}\t{f.text}" for i, f in enumerate(pending, 1))
    try:
        reply = model.complete([("user", render("classify", keys=keys, lines=lines))])
    except LLMUnavailable:
        return
    for row in reply.splitlines():
        m = CLASSIFIED.match(row)
        if not m or not 1 <= int(m.group(1)) <= len(pending) or m.group(2) not in outline.keys:
            continue
        fact, key = pending[int(m.group(1)) - 1], m.group(2)
        if outline.children(fact.key) and outline.get(key).parent != fact.key:
            continue  # the notes' own heading put it in this part: the model may only choose a sub-section
        fact.key, fact.assigned_by = key, "llm"


def retrieval_classifier(corpus: Corpus, outline: Outline) -> Callable[[str], str | None]:
    """Place an unlabelled line by the past-report passage it resembles most."""
    from drafting.prior import map_report

    def classify(line: str) -> str | None:
        hits = corpus.search(line, 3, kind="report")
        for hit in hits:
            sections = map_report([hit.chunk], outline)
            for key in sections:
                return key
        return None

    return classify
