"""Sentence units: a section's text cut at 。；！？： and line ends, each with where it starts."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A lead-in ending in "：" ("……重点抓好以下工作：") is its own unit: the items after it are judged on their own.
SENTENCE_END = re.compile(r"(?<=[。；！？：])|\n+")


@dataclass
class Unit:
    """One sentence of a section and where it sits."""

    text: str
    start: int


def split_units(text: str) -> list[Unit]:
    out = []
    pos = 0
    for piece in SENTENCE_END.split(text):
        if piece is None:
            continue
        start = text.find(piece, pos) if piece else pos
        pos = start + len(piece)
        if cjk_len(piece) == 0:
            continue
        out.append(Unit(piece.strip(), start))
    return out


def cjk_len(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
