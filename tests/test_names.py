"""People's names (drafting/text/names.py) and the shapes of lines read around them (drafting/notes/reading.py)."""

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


def test_a_slide_title_heads_its_bullets_and_the_contents_slide_heads_nothing() -> None:
    from core.config import DEFAULT_OUTLINE
    from drafting.notes.reading import read_notes
    from drafting.outline import load_outline

    deck = "\n".join(
        [
            "幻灯片 2　目录",
            "    一、主要工作　二、存在问题　三、2026年打算",
            "幻灯片 3　档案执法检查",
            "    • 检查立档单位42家",
            "幻灯片 4　2026年打算",
            "    • 完成档案馆新馆消防验收",
        ]
    )
    read = read_notes(deck, load_outline(DEFAULT_OUTLINE), year=2025)
    heads = {ln.line_no: ln.headings for ln in read.lines if ln.kind == "fact"}
    assert heads[4] == ["档案执法检查"] and heads[6] == ["2026年打算"]


@pytest.mark.parametrize(
    "text",
    ["制定《黄连木保护办法》，报局务会审议", "印发《何首乌种植技术规范》", "开展古树名木普查"],
)
def test_nothing_in_a_document_title_or_a_field_term_is_taken_for_a_name(text: str) -> None:
    from drafting.text.names import without_names

    assert without_names(text) == text


def test_a_name_outside_a_title_is_still_found() -> None:
    assert person_spans("刘敏牵头修订《古树名木保护细则》") == [(0, 2)]
