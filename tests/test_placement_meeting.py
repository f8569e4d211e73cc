"""A meeting's decision is the meeting's, not the head's act (placement.py _leadership, _head_goes_on;
outline.toml [placement] meetings).

Written in the words of bureaus none of the benches cover (邮政管理局, 供销社, 烟草专卖局)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def placed(notes: str, outline) -> list[tuple[str, str]]:
    return [(f.text, f.key) for f in parse_notes(notes, outline, year=2025).facts]


def test_what_a_meeting_settled_after_the_head_spoke_is_the_meeting(outline):
    facts = placed("3月2日 党组会。局长讲了邮政法治工作，会议审定《工作要点》12条。", outline)
    assert [k for t, k in facts if "12条" in t] == ["measures.organization"]
    assert [k for t, k in facts if "局长讲" in t] == ["leadership"]


@pytest.mark.parametrize(
    "line",
    [
        # a diary row read as a table cell: placed whole, it is the meeting's
        "4月8日  社务会。主要负责人讲供销社法治工作，调整法治建设领导小组，法规科牵头。工作要点定了9条。",
        "5月9日  党组会。局长讲烟草专卖法治工作，工作要点定了10条。",
    ],
)
def test_a_meeting_the_head_spoke_at_is_not_the_heads_act(outline, line):
    facts = placed(line, outline)
    assert [k for t, k in facts if "条" in t] == ["measures.organization"]


def test_the_head_chairing_the_meeting_is_still_the_heads_act(outline):
    facts = placed("党组会上局长主持研究邮政法治工作2次", outline)
    assert [k for _, k in facts] == ["leadership"]
