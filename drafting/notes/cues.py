"""The cues of the roles (roles.toml): data a linguist can edit, each row with the examples that are its tests.

Loaded once here, below both the reader (which sets a few kinds of wrapping aside before it reads a line) and the
roles (which read every clause with them), so the two use one loader and one parsed copy of the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CUES_FILE = Path(__file__).with_name("roles.toml")


@dataclass(frozen=True)
class Cue:
    id: str
    role: str
    scope: str  # line | clause | strip | mark
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    unlike: tuple[str, ...]
    spans_figure: bool = False  # the match takes in the figure it doubts: a confirmation keeps the figure


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cues = []
    for row in data.get("cue", []):
        cues.append(
            Cue(
                id=row["id"],
                role=row["role"],
                scope=row["scope"],
                pattern=re.compile(row["pattern"]),
                examples=tuple(row.get("examples", ())),
                unlike=tuple(row.get("unlike", ())),
                spans_figure=row.get("spans_figure", False),
            )
        )
    return tuple(cues)


def cues_of(role: str, scope: str | None = None) -> list[Cue]:
    return [c for c in load_cues() if c.role == role and (scope is None or c.scope == scope)]
