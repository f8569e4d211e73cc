"""Which data rules fire: the rule report (bench/rule_report.py) and the rule tests read it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_OPEN: list[list[str]] = []  # one list per open `recording()` block


@contextmanager
def recording() -> Iterator[list[str]]:
    """Collect the ids of the rules (register, verbs) that fire inside the block, in order."""
    fired: list[str] = []
    _OPEN.append(fired)
    try:
        yield fired
    finally:
        _OPEN.remove(fired)


def fire(rule_id: str) -> None:
    for fired in _OPEN:
        fired.append(rule_id)
