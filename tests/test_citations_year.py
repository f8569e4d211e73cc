"""Citations (issue 19, item 6): the version in force in the report year, a clause only for the sentence whose
claim it supports, and the best-fitting sentence of an article as the quote."""

from __future__ import annotations

import pytest

from core.types import Chunk, Passage, Source
from drafting.checks.evidence import section_findings
from drafting.sources.gather import _clauses, bigrams, in_force
from drafting.text.relevance import supports_claim

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
FUYI = "中华人民共和国行政复议法"
MEDIATION = Source(1, f"{FUYI}（2023年修订）", "law", "第五条", "行政复议机关办理行政复议案件，可以进行调解")


def passage(title: str, text: str = "第一条 为了……，制定本法。") -> Passage:
    return Passage(Chunk("c", title, "law", None, "", "第一条", "", text, 0), 1.0)


def test_a_version_counts_from_the_year_it_took_effect():
    old, new = passage(f"{FUYI}（2017年修正）"), passage(f"{FUYI}（2023年修订）")
    took = {new.title: 2024, old.title: 2017}.get
    assert in_force([old, new], 2023, since=took) == [old]  # adopted 2023, in force from 2024
    assert in_force([old, new], 2024, since=took) == [new]
    assert in_force([new], 2023, since=took) == []  # no version in force: nothing to cite


def test_a_2023_report_is_never_offered_a_law_that_took_effect_in_2024(shared_workspace):
    from core.types import Fact
    from drafting.outline import load_outline
    from drafting.sources.gather import gather_sources

    entry = load_outline(shared_workspace.settings.outline_path).get("measures.disputes")
    facts = [Fact(text="积极运用调解方式化解行政争议，调解结案3件", raw="", key=entry.key)]
    offered = {
        year: [s.title for s in gather_sources(shared_workspace.index, entry, facts, None, year=year)]
        for year in (2023, 2024)
    }
    assert any("行政复议法（2023年修订）" in t for t in offered[2024])  # in force from 1 January 2024
    assert not any("行政复议法（2023年修订）" in t for t in offered[2023]), offered[2023]


def test_a_clause_is_cited_for_its_claim_not_its_topic():
    assert not supports_claim("全年办理行政复议案件5件，无败诉。", MEDIATION)
    assert supports_claim("积极运用调解方式化解行政争议，调解结案3件。", MEDIATION)
    found = section_findings("全年办理行政复议案件5件，无败诉[1]。", [], {1: MEDIATION}, year=2024)
    assert 1 in found.irrelevant  # the checks say so too


def test_the_best_fitting_sentence_of_an_article_is_quoted():
    article = passage(
        "某某省政务服务条例",
        "第十条 县级以上人民政府应当加强政务服务大厅建设，推进政务服务事项集中办理。"
        "行政机关应当推广电子证照应用，电子证照与纸质证照具有同等法律效力。",
    )
    told = bigrams("全年核发电子证照1200个，电子证照应用率达到95%")
    scored = sorted(
        _clauses(article, bigrams("政务服务 依法全面履行政府职能"), ["政务服务", "证照"], told),
        key=lambda t: -t[1],
    )
    assert "电子证照" in scored[0][0]
