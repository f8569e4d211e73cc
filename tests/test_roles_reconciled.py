"""An aside that reconciles a figure the line already states: the figure stands, the aside's arithmetic goes."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _read(notes: str):  # type: ignore[no-untyped-def]
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026)


@pytest.mark.parametrize(
    ("line", "kept", "gone"),
    [
        (
            "全年审核医保服务协议58份（一季度报的是41份，后来又签了17份，以58份为准）。",
            "58份",
            ("41份", "17份"),
        ),
        ("受理水事投诉126件（原台账记的104件，漏登22件，应为126件）。", "126件", ("104件", "22件")),
        ("开展统计执法检查33次（半年报填的19次，下半年又查了14次，实际是33次）", "33次", ("19次", "14次")),
    ],
)
def test_an_aside_correcting_to_the_value_already_stated_leaves_that_value_and_takes_nothing_else(
    line: str, kept: str, gone: tuple[str, ...]
) -> None:
    parsed = _read(line)
    facts = "".join(f.text for f in parsed.facts)
    assert kept in facts
    for value in gone:
        assert value not in facts, facts
    assert "（" not in facts  # the reconciling words are talk, never text


def test_an_aside_correcting_a_value_the_line_does_not_state_still_replaces_it() -> None:
    parsed = _read("办理林业行政案件38件（不对，应为35件）。")
    facts = "".join(f.text for f in parsed.facts)
    assert "35件" in facts and "38件" not in facts
    assert any(c.role == "superseded" and c.text == "38件" for c in parsed.set_aside)
