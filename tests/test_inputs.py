"""The one set of rules for a drafting request, shared by the CLI, the web page and the pipeline."""

from __future__ import annotations

import pytest

from drafting.inputs import MAX_NOTES_CHARS, InputError, check_request

KEYS = ["measures", "measures.enforcement", "shortcomings"]
NOTES = "全年办理行政处罚案件12件"


@pytest.mark.parametrize(
    ("notes", "unit", "year", "section", "field", "says"),
    [
        ("", "甲县交通运输局", 2024, None, "notes", "工作笔记为空"),
        (" \n\t", "甲县交通运输局", 2024, None, "notes", "工作笔记为空"),
        ("案" * (MAX_NOTES_CHARS + 1), "甲县交通运输局", 2024, None, "notes", "200,000"),
        (NOTES, "  ", 2024, None, "unit", "缺少单位名称"),
        (NOTES, "局" * 101, 2024, None, "unit", "上限 100 字"),
        (NOTES, "甲县交通运输局", None, None, "year", "没有填写报告年度"),
        (NOTES, "甲县交通运输局", "二〇二x", None, "year", "不是年份"),
        (NOTES, "甲县交通运输局", 1999, None, "year", "2000"),
        (NOTES, "甲县交通运输局", 2024, "measures.nope", "section", "measures.enforcement"),
    ],
)
def test_each_wrong_input_names_its_field_and_the_fix(notes, unit, year, section, field, says):
    with pytest.raises(InputError) as info:
        check_request(notes, unit, year, section, KEYS)
    assert info.value.field == field
    assert says in str(info.value)


@pytest.mark.parametrize(
    ("unit", "year", "section", "expect"),
    [
        (" 甲县交通运输局 ", "二〇二四", "report", ("甲县交通运输局", 2024, None)),
        ("甲县交通运输局", "２０２４年度", "", ("甲县交通运输局", 2024, None)),
        ("甲县交通运输局", 2024, " measures.enforcement ", ("甲县交通运输局", 2024, "measures.enforcement")),
    ],
)
def test_good_requests_come_back_clean(unit, year, section, expect):
    req = check_request(NOTES, unit, year, section, KEYS)
    assert (req.unit, req.year, req.section) == expect and req.notes == NOTES
