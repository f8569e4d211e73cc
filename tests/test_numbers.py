"""Numerals through cn2an, the one place (drafting/text/numbers.py): formats, so pinned exactly."""

from __future__ import annotations

import pytest

from drafting.engines.offline.parts import ordinal
from drafting.outline import cn_numeral as heading_numeral
from drafting.text.numbers import cn_digits, cn_numeral, cn_value


@pytest.mark.parametrize(
    ("n", "written"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")]
)
def test_cn_numeral(n, written):
    assert cn_numeral(n) == written == heading_numeral(n)


@pytest.mark.parametrize(
    ("text", "value"), [("十一", 11), ("二十", 20), ("7", 7), ("三", 3), ("第", None), ("", None)]
)
def test_cn_value(text, value):
    assert cn_value(text) == value


def test_cn_digits_and_ordinals():
    assert cn_digits(2024) == "二〇二四"
    assert [ordinal(i) for i in (0, 9, 10)] == ["一是", "十是", "十一是"]  # no "11是" after the tenth point
