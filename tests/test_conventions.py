"""The notes' own conventions (drafting/notes/conventions.py): a legend says what this document's marks mean, and a
draft follows it. The legends here are in the words of bureaus the tool was not written for."""

from __future__ import annotations

import tomllib

import pytest

from core.config import DEFAULT_OUTLINE
from drafting.notes import parse_notes
from drafting.notes.conventions import DATA, meaning_role
from drafting.outline import load_outline

ROWS = tomllib.loads(DATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("role", "example"), [(r["role"], e) for r in ROWS["meaning"] for e in r["examples"]]
)
def test_a_legends_words_name_their_role(role: str, example: str) -> None:
    assert meaning_role(example) == role


def _parse(notes: str, year: int = 2026):  # noqa: ANN202
    return parse_notes(notes, load_outline(DEFAULT_OUTLINE), year=year)


def _text(parsed) -> str:  # noqa: ANN001
    return "\n".join(f.text for f in parsed.facts)


ARCHIVE = "\n".join(
    [
        "县档案馆2026年法治建设情况（各科报送汇总）",
        "说明：标★的数字是估算的，还要再核；带△的事项年底前还没办完。",
        "1. 馆务会专题研究法治建设4次，制定年度普法责任清单。",
        "2. 开展档案执法检查，检查立档单位62家★，下达整改通知书9份。",
        "3. △修订《档案开放审核办法》，已征求意见。",
        "4. 举办档案法宣传周活动，发放资料3200份，接待咨询410人次★。",
        "5. 明年推进档案信息化平台二期建设。",
    ]
)


def test_a_marked_figure_waits_and_its_line_stays() -> None:
    parsed = _parse(ARCHIVE)
    text = _text(parsed)
    waiting = {c.text: c for c in parsed.pending}
    assert "62家" not in text and "410人次" not in text
    assert any("62家" in t for t in waiting) and any("410人次" in t for t in waiting)
    assert all(c.role == "unconfirmed" for t, c in waiting.items() if "62家" in t or "410人次" in t)
    # what the mark does not touch stays this year's fact
    assert "9份" in text and "3200份" in text and "4次" in text
    assert "★" not in text and "△" not in text


def test_a_marked_item_is_not_done_and_the_legend_is_no_fact() -> None:
    parsed = _parse(ARCHIVE)
    text = _text(parsed)
    assert "档案开放审核办法" not in text
    assert any(c.role == "not_done" and "档案开放审核办法" in c.text for c in parsed.pending)
    assert "估算" not in text and "说明" not in text


def test_marks_of_a_line_each_govern_their_item() -> None:
    notes = "\n".join(
        [
            "邮政管理局法治工作台账",
            "图例：★ 待核实  ▲ 未完成  √ 已完成",
            "★快递投诉调解成功58件，▲末端网点备案系统上线。√寄递企业检查136家次",
            "全年办理行政许可24件。",
        ]
    )
    parsed = _parse(notes)
    text = _text(parsed)
    assert "136家次" in text and "24件" in text and "√" not in text
    assert "58件" not in text and "备案系统" not in text
    roles = {c.role for c in parsed.pending}
    assert {"unconfirmed", "not_done"} <= roles


def test_brackets_declared_as_last_year_stay_out() -> None:
    notes = "\n".join(
        [
            "民宗局2026年法治建设材料",
            "宗教活动场所安全检查87处（64处），整改隐患19处（23处）。",
            "开展民族宗教政策法规宣传月活动12场。",
            "注：括号内为上年数。",
        ]
    )
    parsed = _parse(notes)
    text = _text(parsed)
    assert "87处" in text and "19处" in text and "12场" in text
    assert "64处" not in text and "23处" not in text
    assert {c.role for c in parsed.set_aside if "64处" in c.text} == {"earlier"}


def test_a_legend_a_paste_cannot_keep_is_asked() -> None:
    notes = "\n".join(
        [
            "烟草专卖局2026年法治建设情况",
            "查处涉烟违法案件93起，移送公安机关11起。",
            "开展零售户法规培训6期。",
            "（红字为去年数，请核对）",
        ]
    )
    parsed = _parse(notes)
    asked = [c for c in parsed.pending if c.cue == "legend.lost"]
    assert asked and asked[0].role == "earlier" and "红字" in asked[0].reason
    assert "红字" not in _text(parsed)


def test_no_legend_no_change() -> None:
    """A colour word that names no mark, and a Markdown list's stars, are left as they are."""
    notes = "\n".join(
        [
            "* 建成红色档案教育基地，该基地是去年立项的，接待参观1200人次。",
            "* 开展档案法宣传进机关活动8场。",
        ]
    )
    parsed = _parse(notes)
    assert "1200人次" in _text(parsed) and "8场" in _text(parsed)
    assert not [c for c in parsed.set_aside if c.cue.startswith("legend")]


def test_figures_declared_short_of_the_year_are_asked_about_once() -> None:
    """ "以下数据均截至11月20日": the figures are written, and the draft waits for the year's figures; the title that
    carried the declaration is no fact."""
    notes = "\n".join(
        [
            "县机关事务管理局法治建设材料（以下数据均截至11月20日，全年数12月底再报）",
            "1. 局务会专题研究法治建设3次。",
            "2. 办理公物仓调剂申请46件，公车使用违规问题立案核查2起。",
        ]
    )
    parsed = _parse(notes)
    text = _text(parsed)
    assert "3次" in text and "46件" in text
    assert "法治建设材料" not in text and "截至" not in text
    period = [c for c in parsed.pending if c.role == "partial"]
    assert len(period) == 1 and "11月20日" in period[0].reason


def test_a_question_about_the_whole_notes_is_answered_by_checking_and_writes_nothing(
    bundled_workspace,
) -> None:  # noqa: ANN001
    notes = "\n".join(
        [
            "港航管理处2026年法治建设材料（以下数据均截至11月20日）",
            "1. 处务会专题研究法治建设3次。",
            "2. 开展水上交通安全执法检查146艘次，查处违法行为23起。",
        ]
    )
    draft = bundled_workspace.draft(notes, unit="某县港航管理处", year=2026, engine="offline")
    asked = [n for n, c in enumerate(draft.pending) if c.about_notes]
    assert asked and draft.status.level != "green"
    before = {s.key: s.text for s in draft.sections}
    checked = bundled_workspace.confirm_pending(draft, asked[0], "")
    assert not any(c.about_notes for c in checked.pending)
    assert {s.key: s.text for s in checked.sections} == before  # nothing written, nothing redrafted
    assert not [p for p in checked.problems if p.kind == "pending"]
