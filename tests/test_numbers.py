"""Numerals through cn2an, the one place (drafting/text/numbers.py), and the field terms of the tagger."""

from __future__ import annotations

import pytest

from drafting.engines.offline.parts import ordinal
from drafting.outline import cn_numeral as heading_numeral
from drafting.text.numbers import cn_digits, cn_numeral, cn_value, find_figures


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


def test_field_terms_are_one_word_for_drafting_and_leave_retrievals_jieba_alone():
    import jieba

    from drafting.text.tokens import FIELD_TERMS, tokens

    terms = [line.split()[0] for line in FIELD_TERMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert terms and all(tokens(t) == ((t, tokens(t)[0][1]),) for t in terms)
    assert jieba.lcut("首违不罚") != ["首违不罚"]  # the BM25 index's tokenizer is not changed under it


def test_a_file_count_in_juan_is_a_figure():
    # 档案 and 案卷 are counted by the 卷.
    assert [f.text for f in find_figures("整理民宗档案案卷320卷")] == ["320卷"]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("民宗局排查宗教场所十来处", ["十来处"]),
        ("走访二十来家", ["二十来家"]),
        ("发放三千多份", ["三千多份"]),
        ("自己发现的占两成", ["两成"]),
        ("一成不变", []),
        ("三成员单位", []),
        ("三五成群", []),
        ("一来二去", []),
    ],
)
def test_approximations_said_in_chinese_numerals_are_figures(text, figures) -> None:  # noqa: ANN001
    assert [f.text for f in find_figures(text)] == figures
