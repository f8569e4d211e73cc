"""The smaller items of issue 19: notes of another year, the .docx 落款 never alone on its last page."""

from __future__ import annotations

import pytest

from zhibi.types import PROBLEM_KINDS, Draft

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
NOTES_2023 = """2023年执法工作情况
2023年全年办理行政处罚案件326件，罚没款218.6万元
2023年开展治超专项行动15次"""


def test_notes_of_another_year_are_drafted_with_a_notice(bundled_workspace):
    d = bundled_workspace.draft(NOTES_2023, unit="某县交通运输局", year=2024, engine="offline")
    notices = [p for p in d.problems if p.kind == "notes_other_year"]
    assert len(notices) == 1 and "2023" in notices[0].item and d.status.level != "green"
    same = bundled_workspace.draft(NOTES_2023, unit="某县交通运输局", year=2023, engine="offline")
    assert not any(p.kind == "notes_other_year" for p in same.problems)
    # a saved draft keeps the kind's label and weight in another process (the registry is rebuilt from it)
    data = d.to_json()
    PROBLEM_KINDS.pop("notes_other_year")
    try:
        assert Draft.from_json(data).status.level == d.status.level
    finally:
        import importlib

        import drafting.checks.problems as problems

        importlib.reload(problems)


def test_the_signature_keeps_with_the_last_paragraph(bundled_workspace, tmp_path):
    from docx import Document

    from drafting import export

    d = bundled_workspace.draft(
        "执法：全年办理行政处罚案件326件", unit="某县交通运输局", year=2024, engine="offline"
    )
    path = export.to_docx(d, tmp_path / "d.docx", publish=True)
    paras = Document(str(path)).paragraphs
    unit_at = max(i for i, p in enumerate(paras) if p.text == "某县交通运输局")
    last_text, blank = paras[unit_at - 2], paras[unit_at - 1]
    assert last_text.text.strip() and blank.text == ""
    assert last_text.paragraph_format.keep_with_next and blank.paragraph_format.keep_with_next
    assert paras[unit_at].paragraph_format.keep_with_next  # unit with its date
