"""Paired marks left open or closed alone in the text (（…, …》, “…): a sentence cut in the middle of an aside,
a title or a quotation. What the cut-off part said is unknown, so the text cannot be vouched for.

The check reads only the text's marks: it shares nothing with any writer.
"""

from __future__ import annotations

import re

from core.types import register_problem_kind
from drafting.text.numbers import CITATION

MARKS_UNBALANCED = register_problem_kind(
    "marks_unbalanced", "括号、书名号或引号不成对，句子可能被截断", "red"
).name

PAIRS = {"（": "）", "(": ")", "《": "》", "“": "”", "【": "】", "〔": "〕"}
CLOSERS = {v: k for k, v in PAIRS.items()}
SENTENCE = re.compile(r"[^。！？；\n]*[。！？；\n]?")


def unbalanced_marks(text: str) -> list[str]:
    """Each sentence of the text that holds a mark without its partner, as written (at most 40 characters)."""
    body = CITATION.sub("", text)
    bad: list[int] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(body):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            if stack and stack[-1][0] == CLOSERS[ch]:
                stack.pop()
            elif any(opener == CLOSERS[ch] for opener, _ in stack):
                # the marks between were left open: "（……《……）"
                while stack[-1][0] != CLOSERS[ch]:
                    bad.append(stack.pop()[1])
                stack.pop()
            else:
                bad.append(i)
    bad.extend(i for _, i in stack)
    out: list[str] = []
    for m in SENTENCE.finditer(body):
        if m.group(0).strip() and any(m.start() <= i < m.end() for i in bad):
            sentence = m.group(0).strip()
            out.append(sentence if len(sentence) <= 40 else sentence[:39] + "…")
    return list(dict.fromkeys(out))
