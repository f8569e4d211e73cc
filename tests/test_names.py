"""People's names (drafting/text/names.py): a report names posts, never the staff."""

from __future__ import annotations

import pytest

from drafting.text.names import person_spans


@pytest.mark.parametrize(
    "text",
    [
        "镇级林长全部设立，供销社基层网点协同巡林",
        "港航所配合村级林长巡林",
        "明年：村级路长全覆盖；烟草专卖执法记录仪配齐",
    ],
)
def test_a_post_after_a_level_or_place_word_is_no_name(text: str) -> None:
    assert person_spans(text) == []


def test_a_surname_with_a_post_is_still_a_name() -> None:
    assert person_spans("档案馆李股长审核")


def test_a_change_from_a_value_typed_with_a_space_is_one_clause() -> None:
    from drafting.notes.reading import spaced_clauses

    said = spaced_clauses("档案查阅时限由5个工作日 压缩到3个工作日 已公示")
    assert "由5个工作日压缩到3个工作日，已公示" in said
