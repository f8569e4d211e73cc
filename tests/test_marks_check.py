"""A sentence cut inside an aside, a title or a quotation (a mark without its partner) is red, however it came."""

from __future__ import annotations

import pytest

from core.types import Status
from drafting.checks.marks import MARKS_UNBALANCED, unbalanced_marks

try:
    from tests.fake_openai import fake_llm, llm_workspace  # noqa: F401
except ImportError:  # pragma: no cover - run from tests/
    from fake_openai import fake_llm, llm_workspace  # noqa: F401


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        (
            "全年审核医保服务协议58份（一季度报的是41份，后来又签了17份。开展培训3期。",
            "全年审核医保服务协议58份（",
        ),
        ("修订《河道采砂管理办法》《水资源论证规程。", "修订《河道采砂管理办法》《水资源论证规程。"),
        ("开展“气象科普进校园活动12场。", "开展“气象科普进校园活动12场。"),
        ("清理规范性文件9件）。", "清理规范性文件9件）。"),
    ],
)
def test_a_mark_without_its_partner_names_its_sentence(text: str, cut: str) -> None:
    found = unbalanced_marks(text)
    assert len(found) == 1 and found[0].startswith(cut[:12]), found


@pytest.mark.parametrize(
    "text",
    [
        "制定《退役军人服务站管理办法（试行）》1件[2]。开展“八一”走访慰问（含困难退役军人）126户。",
        "（一）加强组织领导。局党组专题研究法治工作4次。【待补充：主要负责人履职情况，材料中未提供】",
        "统计执法检查约25次；受理举报十余件。",
    ],
)
def test_marks_in_pairs_are_no_problem(text: str) -> None:
    assert unbalanced_marks(text) == []


def test_the_status_line_names_a_kind_the_checks_layer_registered() -> None:
    status = Status(level="red", problems=1, notices=0, counts={MARKS_UNBALANCED: 1})
    assert "不成对" in status.summary()


NOTES = "全年开展统计执法检查25次，立案查处统计违法案件6件。\n"


def test_an_llm_reply_cut_inside_an_aside_is_red_and_said_so(bundled_workspace, fake_llm) -> None:  # noqa: F811
    cut = "全年开展统计执法检查25次（含联合检查，立案查处统计违法案件6件。"
    fake_llm.script([("keep_placement",), ("text", cut), ("text", cut)])
    d = llm_workspace(bundled_workspace.settings.home, fake_llm).draft(
        NOTES, unit="某县统计局", year=2026, section="measures.enforcement", engine="llm"
    )
    assert d.checks.listed(MARKS_UNBALANCED)
    assert d.checks.status().level == "red"
    assert "不成对" in d.checks.status().summary()


def test_an_offline_draft_of_notes_with_asides_keeps_its_marks_in_pairs(bundled_workspace) -> None:
    notes = (
        "全年审核医保服务协议58份（一季度报的是41份，后来又签了17份，以58份为准）。\n"
        "查处违规使用医保基金定点机构9家（其中民营医院6家），追回基金46.2万元。\n"
        "制定《医保定点机构协议管理细则（试行）》1件。\n"
    )
    d = bundled_workspace.draft(notes, unit="某县医疗保障局", year=2026, engine="offline")
    assert not d.checks.listed(MARKS_UNBALANCED), d.checks.listed(MARKS_UNBALANCED)
