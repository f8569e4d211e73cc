"""Placement of notes that answer findings (a reply to a 督查通报, a rectification report): the finding's topic
names the part; its words of criticism and the word 问题 do not."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline


def _placed(notes: str) -> dict[int, str]:
    parsed = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2025)
    return {f.line_no: f.key for f in parsed.facts}


def test_a_heading_that_answers_a_finding_is_not_a_shortcoming() -> None:
    notes = "\n".join(
        [
            "一、关于“合同审查流于形式”的问题",
            "法律顾问全年审查科技项目合同31份，出具法律意见书9份。",
            "二、关于“执法检查覆盖面窄”问题的整改情况",
            "全年对科技服务机构开展执法检查28家次。",
            "三、存在的问题",
            "持证执法人员仅3人，难以覆盖全县科技企业。",
        ]
    )
    placed = _placed(notes)
    assert placed[2] == "measures.decisions"
    assert placed[4] == "measures.enforcement"
    assert placed[6] == "shortcomings"


def test_quoted_words_of_criticism_are_no_cue_of_a_shortfall() -> None:
    placed = _placed("针对通报指出的“普法针对性不强”，开展科普法治讲座进企业12场。")
    assert placed[1] == "measures.publicity"
