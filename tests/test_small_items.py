"""The smaller items of issue 19: notes of another year, the .docx 落款 never alone on its last page."""

from __future__ import annotations

import pytest

from core.types import PROBLEM_KINDS, Draft

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
NOTES_2023 = """2023年执法工作情况
2023年全年办理行政处罚案件326件，罚没款218.6万元
2023年开展治超专项行动15次
开展执法人员培训2期"""


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


TABLE = "事项\t数量\t责任股室\n医疗机构专项检查\t1268户次\t卫生监督所\n查处立案\t56件\t卫生监督所\n公共场所检查\t430家次\t疾控中心\n"


def test_table_rows_are_written_as_sentences_with_their_own_office(bundled_workspace):
    d = bundled_workspace.draft(TABLE, unit="某县卫生健康委员会", year=2024, engine="offline")
    text = d.section("measures.enforcement").text
    assert "开展医疗机构专项检查1268户次" in text and "检查医疗机构专项检查" not in text  # a verb, said once
    assert "立案查处56件" in text and "查处立案" not in text  # filed, then dealt with
    offices = {f.text[:4]: f.origin for f in d.placement}
    assert offices == {"医疗机构": "卫生监督所", "查处立案": "卫生监督所", "公共场所": "疾控中心"}


def test_notes_all_of_another_year_say_which_year_not_that_they_are_empty(bundled_workspace):
    from core.errors import ZhibiError

    notes = "2023年全年办理行政处罚案件326件，罚没款218.6万元\n2023年开展治超专项行动15次"
    with pytest.raises(ZhibiError) as caught:
        bundled_workspace.draft(notes, unit="某县交通运输局", year=2024, engine="offline")
    assert "2023" in caught.value.message and "2024" in caught.value.hint
    # Notes whose every figure waits for the user still give a draft: placeholders and the 待确认 list.
    d = bundled_workspace.draft(
        "罚没款好像是30多万元，再核一下", unit="某县交通运输局", year=2024, engine="offline"
    )
    assert d.pending and d.status.level != "green"
