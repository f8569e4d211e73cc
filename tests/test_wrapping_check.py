"""The independent check for the notes' wrapping in a draft's text (drafting/checks/wrapping.toml): each row finds
its examples and leaves report prose alone, and a reply that carries wrapping is never green."""

from __future__ import annotations

import pytest

from drafting.checks.roles import wrapping_in_text, wrapping_patterns
from zhibi.api import Workspace

try:
    from tests.fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from inside tests/
    from fake_openai import FakeOpenAI, fake_llm, llm_workspace  # noqa: F401

ROWS = wrapping_patterns()


@pytest.mark.parametrize(("row", "example"), [(r.id, e) for r in ROWS for e in r.examples])
def test_each_row_finds_its_examples(row: str, example: str) -> None:
    assert any(r.pattern.search(example) for r in ROWS if r.id == row), (row, example)


@pytest.mark.parametrize("prose", [u for r in ROWS for u in r.unlike])
def test_report_prose_is_not_wrapping(prose: str) -> None:
    assert wrapping_in_text(prose) == []


def test_a_reply_carrying_the_notes_wrapping_is_red(
    bundled_workspace: Workspace, fake_llm: FakeOpenAI
) -> None:
    notes = "发件人：执法股 李蓉 13857201146\n执法：\n- 全年立案查处违法案件44件\n- 开展执法案卷评查2次\n"
    fake_llm.script([("keep_placement",)])
    fake_llm.default = (
        "text",
        "发件人：执法股。全年立案查处违法案件44件，开展执法案卷评查2次。联系电话13857201146。",
    )
    ws = llm_workspace(bundled_workspace.settings.home, fake_llm)
    draft = ws.draft(notes, unit="某县烟草专卖局", year=2026, section="measures.enforcement", engine="llm")
    text = "\n".join(s.text for s in draft.sections)
    assert draft.status.level == "red" or not wrapping_in_text(text), (draft.status.level, text)
    assert draft.status.level != "green"
