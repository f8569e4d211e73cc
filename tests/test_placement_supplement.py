"""A stated supplement goes with the line it supplements (placement.py _supplements; outline.toml
[placement] supplements).

Written in the words of bureaus none of the benches cover (档案馆, 民宗局, 港航中心)."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


@pytest.fixture(scope="module")
def outline():
    return load_outline(DEFAULT_OUTLINE)


def keys(notes: str, outline) -> list[str]:
    return [f.key for f in parse_notes(notes, outline, year=2025).facts]


@pytest.mark.parametrize(
    ("notes", "key"),
    [
        # 法律意见书 names what was made; the work it was made for is the line's before
        (
            "张科长：档案行政执法检查，全年检查立档单位35家。\n李馆员：补充一下，检查后出具法律意见书6份。",
            "measures.enforcement",
        ),
        ("刘科长：宗教场所普法宣传，全年开展12场。\n补充一下：其中出具法律意见书3份。", "measures.publicity"),
    ],
)
def test_a_supplement_follows_the_line_it_supplements(outline, notes, key):
    assert keys(notes, outline)[-1] == key


@pytest.mark.parametrize(
    ("notes", "key"),
    [
        # it names a part by its own name
        ("刘科长：宗教场所普法宣传，全年开展12场。\n补充一下：会前学法4次。", "measures.study"),
        # it names another matter than the line before
        (
            "港航所：船舶执法检查，全年检查船舶210艘。\n周律师：补充一点，法律顾问审查合同9份。",
            "measures.decisions",
        ),
    ],
)
def test_a_supplement_naming_its_own_part_keeps_it(outline, notes, key):
    assert keys(notes, outline)[-1] == key
