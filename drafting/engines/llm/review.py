"""The reviewing call of the LLM path: one request in which the model may move a placed line to another part or
take it out of the text (drafting.notes.placement.review_with_llm), for every draft the LLM writes, whatever its
scope.

Two things are added around that call here. Its reply is reduced to the lines the parser can read: a small model
wraps its table in reasoning, code fences, Markdown and prose, and a reply the server cut at its token limit ends
in a half-written line whose key may still read as a real one ("7\tmeasures." reads as the part "measures").
And its answer can take a line out of the text but never make one a deed of the year: a line the reader placed
among the shortcomings or plans (a task not done, pushed to next year, still short) stays there when the model
moves it into a part that states what was done.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.ports import ChatModel, Message
from core.types import Fact, ParsedNotes
from drafting.engines.llm.client import Reply
from drafting.engines.llm.engine import not_done_part
from drafting.engines.llm.hygiene import _FENCE_LINE, split_reasoning
from drafting.notes.placement import DECIDED_BY_USER, review_with_llm
from drafting.outline import Outline

_BULLET = re.compile(r"^\s*(?:[-*•·]|>)\s+")
_ROW_NUMBER = re.compile(r"第\s*(\d+)\s*[行条项]")
_MARKUP = re.compile(r"[`*]")
_CELL = re.compile(r"\s*\|\s*")


def review_reply(reply: str) -> str:
    """The lines of a review reply that can be read as "line number, key": reasoning blocks, code fences and
    Markdown taken off; a table row ("| 3 | plans |") and "第3行" read as the plain row. Prose stays (the parser
    reads no line that does not start with a number and a key). When the server cut the reply at its token limit
    (or mid-reasoning) its last line is dropped: it may stop inside a key."""
    answer, _reasoning, unfinished = split_reasoning(str(reply))
    lines = [line for line in answer.splitlines() if line.strip() and not _FENCE_LINE.match(line)]
    if lines and (unfinished or getattr(reply, "truncated", False)):
        lines.pop()
    out = []
    for line in lines:
        line = _MARKUP.sub("", _BULLET.sub("", line))
        if line.strip().startswith("|"):
            line = "\t".join(c for c in _CELL.split(line.strip().strip("|")) if c)
        out.append(_ROW_NUMBER.sub(r"\1", line).lower())
    return "\n".join(out)


@dataclass
class _ReadableReplies:
    """The chat model as the reviewing call sees it: each reply already reduced by review_reply()."""

    model: ChatModel

    def complete(self, messages: list[Message]) -> Reply:
        reply = self.model.complete(messages)
        return Reply(review_reply(reply), finish_reason=getattr(reply, "finish_reason", ""))

    def stream(self, messages: list[Message]) -> Iterator[str]:  # the review never streams
        return self.model.stream(messages)


def review_placement(
    model: ChatModel, outline: Outline, parsed: ParsedNotes, lines: list[Fact] | None = None
) -> int:
    """Let the model review the placement of `lines` (default: every fact of `parsed`) in one call.

    A line it takes out of the text leaves parsed.facts for parsed.set_aside, as review_with_llm does. A line it
    moves out of the shortcomings or plans into a part of deeds is put back: the model's word alone never makes a
    task not done a fact of the year. Returns how many lines changed; LLMUnavailable propagates.
    """
    shown = list(parsed.facts if lines is None else lines)
    if not any(f.assigned_by not in DECIDED_BY_USER for f in shown):
        return 0  # nothing the review could change: no call
    before = {id(f): (f.key, f.assigned_by, f.reason, f.confidence) for f in shown}
    changed = review_with_llm(_ReadableReplies(model), outline, shown, parsed.set_aside)
    kept = {id(f) for f in shown}
    parsed.facts[:] = [f for f in parsed.facts if id(f) not in before or id(f) in kept]
    for fact in shown:
        key, by, reason, confidence = before[id(fact)]
        if fact.key != key and not_done_part(key) and not not_done_part(fact.key):
            fact.key, fact.assigned_by, fact.reason, fact.confidence = key, by, reason, confidence
            changed -= 1
    return changed
