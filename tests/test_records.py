"""A system's export (YAML, JSON, key: value records) is read record by record: each value keeps its subject, another
year's value, an unconfirmed value, a change log and the export's own fields stay out of the facts."""

from __future__ import annotations

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.outline import load_outline

JSON_EXPORT = """{
  "system": "某县统计执法管理平台",
  "exported_at": "2026-12-01 08:00",
  "records": [
    {
      "name": "统计执法检查企业",
      "section": "行政执法",
      "value": "64家",
      "last_year": "51家",
      "confirmed": true
    },
    {
      "name": "统计违法案件罚款",
      "section": "行政执法",
      "value": "18.2万元",
      "confirmed": false,
      "remark": "财务口径还没对上"
    },
    {
      "name": "开展《统计法》宣传进企业活动",
      "section": "普法",
      "value": "12场",
      "changes": [
        {"old": "10场", "new": "12场"}
      ]
    }
  ]
}"""


def test_a_json_export_is_read_record_by_record() -> None:
    parsed = parse_notes(JSON_EXPORT, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "统计执法检查企业64家" in text
    assert "12场" in text and "宣传" in text
    for gone in ("51家", "10场", "18.2万元", "exported_at", "2026-12-01", "某县统计执法管理平台"):
        assert gone not in text, gone
    assert any("18.2万元" in c.text for c in parsed.pending)
    assert any("51家" in c.figures for c in parsed.set_aside if c.role == "earlier")
    by_figure = {fig: f.key for f in parsed.facts for fig in f.figures}
    assert by_figure["64家"] == "measures.enforcement"
    assert by_figure["12场"] == "measures.publicity"


CSV_SHEET = """某县民政局2026年法治工作统计,,,,
序号,责任股室,工作事项,2026年,上年,备注
1,社会救助股,"低保对象专项核查",1260户,1105户,
2,政策法规股,"行政规范性文件清理",9件,,"其中废止2件"
3,婚姻登记处,"婚姻登记窗口普法宣传",24场,18场,"含“民法典宣传月”"
"""


def test_a_sheet_pasted_as_csv_is_a_table() -> None:
    parsed = parse_notes(CSV_SHEET, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "1260户" in text and "9件" in text and "24场" in text
    for gone in ("1105户", "18场", ",", "社会救助股", "婚姻登记处"):
        assert gone not in text, gone
    assert {f.origin for f in parsed.facts} >= {"社会救助股", "政策法规股"}


LEDGER = (
    "\t".join(["序号", "反馈问题", "整改措施", "责任科室", "责任人", "整改时限", "整改进度", "佐证材料"])
    + "\n"
    + "\n".join(
        "\t".join(row)
        for row in [
            [
                "1",
                "城管执法案卷不规范，2025年评查合格率仅68%",
                "开展案卷评查",
                "法制科",
                "郝建国",
                "2026年10月",
                "已整改。今年评查案卷55卷，合格率96%",
                "评查通报",
            ],
            [
                "2",
                "占道经营投诉处理慢",
                "建立快速处置机制",
                "执法大队",
                "沈丽",
                "长期坚持",
                "已整改。今年办结占道经营投诉412件",
                "台账",
            ],
        ]
    )
)


def test_a_rectification_ledger_reports_what_was_done_not_the_problem_found() -> None:
    parsed = parse_notes(LEDGER, load_outline(DEFAULT_OUTLINE), year=2026)
    text = "\n".join(f.text for f in parsed.facts)
    assert "55卷" in text and "96%" in text and "412件" in text
    for gone in ("68%", "郝建国", "沈丽", "2026年10月", "长期坚持", "评查通报", "台账"):
        assert gone not in text, gone
    assert not any(f.key.startswith("shortcomings") for f in parsed.facts)
    assert {f.origin for f in parsed.facts} == {"法制科", "执法大队"}


def _ledger(*rows: list[str]) -> str:
    head = ["序号", "反馈问题", "整改措施", "责任科室", "责任人", "整改时限", "整改进度", "佐证材料"]
    return "\n".join("\t".join(r) for r in [head, *rows]) + "\n"


def test_a_ledger_rows_problem_names_what_the_row_is_about() -> None:
    # The measure and the progress say nothing of the area; the problem found does (行政复议), and it stays
    # out of the text.
    notes = _ledger(
        [
            "1",
            "行政复议纠错意见落实不及时",
            "建立台账，限时销号",
            "法制科",
            "韩梅",
            "2026年9月",
            "已整改。今年落实纠错意见5件",
            "台账",
        ],
    )
    [fact] = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026).facts
    assert fact.key == "measures.disputes"
    assert "不及时" not in fact.text


def test_a_ledger_rows_measure_is_content_not_a_part_label() -> None:
    # "针对执法力量不足，…" is the measure taken, not a shortcoming of the year: the progress decides.
    notes = _ledger(
        [
            "1",
            "游泳场所监管不到位",
            "针对执法力量不足，开展联合执法",
            "体育执法队",
            "钟宁",
            "2026年8月",
            "已整改。今年联合检查游泳场所46家次，责令整改7家",
            "检查记录",
        ],
    )
    [fact] = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2026).facts
    assert fact.key == "measures.enforcement"


def test_a_reviewers_column_is_no_fact_of_the_row() -> None:
    # A self-check form's 审核意见 column is the reviewer's word on the row; its "只有" is no shortcoming of the work.
    notes = (
        "序号\t重点任务\t责任科室\t完成情况\t审核意见\n"
        "1\t档案行政执法\t监督指导科\t检查立档单位37家，责令整改5家\t台账只有电子版，请补纸质件\n"
    )
    [fact] = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2025).facts
    assert fact.key == "measures.enforcement"
    assert "请补" not in fact.text and "37家" in fact.text


def test_a_tables_group_row_heads_the_rows_under_it() -> None:
    # "二	政务公开" names the group; its rows with no words of their own go there, not where most rows go.
    notes = (
        "序号\t类别\t指标\t本年\t上年\n"
        "一\t学法用法\n"
        "1\t\t党组中心组学法（次）\t8\t6\n"
        "2\t\t干部法律知识考试（人）\t46\t41\n"
        "二\t政务公开\n"
        "3\t\t发布科技项目立项结果（条）\t214\t190\n"
        "三\t行政执法\n"
        "4\t\t科技领域行政检查（次）\t26\t20\n"
    )
    facts = parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=2025).facts
    [row] = [f for f in facts if "214" in f.text]
    assert row.key == "measures.oversight"
