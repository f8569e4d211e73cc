"""Structure-aware chunking: 公文 headings (run-in, damaged), statutes by article, sizes, and nothing lost."""

from __future__ import annotations

import pytest

from core.config import BUNDLED_CORPUS
from retrieval.chunking import chunk_text, count_tokens, parse_heading, split_sentences
from retrieval.ingest import read_source

REPORTS = BUNDLED_CORPUS / "reports"


def _pieces(name: str, limit: int = 320):
    doc = read_source(str(REPORTS / name), {})
    return doc, chunk_text(doc.text, limit)


def _rejoin(pieces) -> str:
    out = ""
    for p in pieces:
        out += p.text if (p.cont or not out) else "\n" + p.text
    return out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、推进法治政府建设的主要举措和成效", (1, "一", "推进法治政府建设的主要举措和成效", True)),
        ("（二）坚持党建引领，加强法治教育", (2, "（二）", "坚持党建引领，加强法治教育", True)),
        ("(三)坚持依法行政,规范权力运行", (2, "（三）", "坚持依法行政,规范权力运行", True)),
        (
            "（四）严格规范公正文明执法。以“三亮”为要求，规范执法证件。",
            (2, "（四）", "严格规范公正文明执法", False),
        ),
        ("1、坚持领导班子带头学法。将党的二十大精神纳入学习内容。", (3, "1", "坚持领导班子带头学法", False)),
        ("2.完善社会监督和舆论监督机制。将依法有效化解矛盾。", (3, "2", "完善社会监督和舆论监督机制", False)),
        ("（1）建立台账", (4, "（1）", "建立台账", True)),
        ("十二、其他事项", (1, "十二", "其他事项", True)),
        ("2023年,在区委、区政府的坚强领导下", None),
        ("1.5万元用于执法装备。", None),
        ("一是综合行政执法能力还有待于提高。", None),
    ],
)
def test_heading_levels(line, expected) -> None:
    assert parse_heading(line) == expected


def test_damaged_heading_and_item_units_in_web_copy() -> None:
    doc, pieces = _pieces("2023_dongchangfu_transport_bureau.txt")
    by_loc = {p.locator: p for p in pieces}
    # ")将法治建设纳入…" lost its "(一": still the first level-2 heading of part 一.
    damaged = by_loc["一（一）"]
    assert damaged.heading == "将法治建设纳入全局工作议事日程,总体规划、统一部署"
    assert damaged.text.startswith(")将法治建设纳入全局工作议事日程")
    assert "一（二）" not in by_loc  # the bare (二) heading has no chunk of its own
    # One chunk per 1、 item; the bare (二) heading line rides with its first item.
    item = by_loc["一（二）1"]
    assert item.heading == "坚持领导班子带头学法"
    assert item.text.startswith("(二)坚持党建引领,加强法治教育,提升法治素养\n1、坚持领导班子带头学法。")
    assert by_loc["一（二）2"].text.startswith("2、推动党员干部职工跟进学。")
    assert by_loc["一（六）2"].heading == "完善社会监督和舆论监督机制"
    assert by_loc["开头"].part == "" and by_loc["开头"].text.startswith("2023年,在区委")
    assert by_loc["三1"].part == "三、存在的不足和原因"
    assert [p.locator for p in pieces][:3] == ["开头", "一", "一（一）"]


def test_run_in_headings_in_2022_report() -> None:
    doc, pieces = _pieces("2022_district_transport_bureau_anonymized.txt")
    enforcement = [p for p in pieces if p.locator == "二（四）"]
    assert enforcement and all(p.heading == "严格规范公正文明执法" for p in enforcement)
    assert enforcement[0].text.startswith("（四）严格规范公正文明执法。以“三亮”为要求")
    assert enforcement[0].part == "二、依法行政，法治政府建设不断加强"
    assert [p.cont for p in enforcement[1:]] == [True] * (len(enforcement) - 1)  # one long paragraph, split
    shortcomings = [p for p in pieces if p.part.startswith("三、")]
    assert shortcomings[0].part == "三、推进法治政府建设存在的不足和原因及对策建议"


@pytest.mark.parametrize(
    "name", ["2022_district_transport_bureau_anonymized.txt", "2023_dongchangfu_transport_bureau.txt"]
)
@pytest.mark.parametrize("limit", [80, 320])
def test_reports_chunks_fit_never_cross_parts_and_lose_nothing(name: str, limit: int) -> None:
    doc, pieces = _pieces(name, limit)
    assert _rejoin(pieces) == doc.text
    for p in pieces:
        assert count_tokens(p.text) <= limit
        parts_inside = [ln for ln in p.text.split("\n") if (h := parse_heading(ln)) and h[0] == 1]
        assert len(parts_inside) <= 1
        if parts_inside:
            assert p.part.startswith(parts_inside[0][:2])


STATUTE = (
    """中华人民共和国示例法
2021年1月22日 修订
第一章 总 则
第一条 为了规范示例行为，制定本法。
第二条 本法所称示例，是指下列行为：
（一）第一种行为；
（二）第二种行为。
第二章 示例的实施
第一节 一般规定
第三条 行政机关负责人应当出庭应诉。不能出庭的，应当委托相应的工作人员出庭。
第四条 """
    + "行政机关应当依法履行职责，不得超越职权。" * 40
    + """
第四条之一 补充规定。"""
)


def test_statute_chunked_by_article() -> None:
    pieces = chunk_text(STATUTE, 120)
    assert [p.locator for p in pieces[:4]] == ["开头", "第一条", "第二条", "第三条"]
    first = pieces[1]
    assert first.text == "第一章 总 则\n第一条 为了规范示例行为，制定本法。"
    assert (first.part, first.heading) == ("第一章 总 则", "总则")
    assert pieces[2].text.endswith("（二）第二种行为。")  # items stay in their article
    third = pieces[3]
    assert (third.part, third.heading) == ("第二章 示例的实施", "一般规定")
    assert third.text.startswith("第二章 示例的实施\n第一节 一般规定\n第三条")
    long = [p for p in pieces if p.locator == "第四条"]
    assert len(long) > 2 and all(count_tokens(p.text) <= 120 for p in long)
    assert all(p.text.endswith("。") for p in long)  # split at sentence ends
    assert long[0].text.startswith("第四条 ") and all(p.cont for p in long[1:])
    assert pieces[-1].locator == "第四条之一"
    assert _rejoin(pieces) == STATUTE.replace("\n\n", "\n")


def test_shared_statute_article_three(shared_corpus) -> None:
    doc = read_source(str(shared_corpus / "laws" / "xingzheng_susong_fa_2017.md"), {})
    pieces = chunk_text(doc.text, 320)
    art3 = next(p for p in pieces if p.locator == "第三条")
    assert "被诉行政机关负责人应当出庭应诉" in art3.text
    assert art3.part == "第一章 总则"
    assert len({p.locator for p in pieces if p.locator.startswith("第")}) >= 100


def test_sentence_split_keeps_closing_quotes() -> None:
    assert split_sentences("他说：“好。”然后走了；最后到了！余下") == [
        "他说：“好。”",
        "然后走了；",
        "最后到了！",
        "余下",
    ]
