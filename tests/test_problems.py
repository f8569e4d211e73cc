"""One status from one list of problems (issue 19, item 4), and one-section drafts (item 3).

The banner, the section warnings, 逐句依据, the chat footer, the .docx, the CLI and the JSON all say the same
thing because they are all computed from Draft.problems.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.types import Draft, Fact, Problem, register_problem_kind
from ui import format as fmt

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")

UNIT = "某县交通运输局"
NOTES = """执法：全年办理行政处罚案件326件，罚没款218.6万元
执法：开展治超专项行动15次，查处超限车辆87辆
复议应诉：行政复议案件5件，行政诉讼案件2件，无败诉
普法：开展“八五”普法宣传活动12场，发放资料3000余份
学法：组织领导干部集中学法4次
不足：执法人员专业能力有待提升
明年：推进执法规范化建设，加强执法队伍培训"""
# Whole-year notes as a 卫健委 sends them: a title, unlabelled lines, then the leader's duties under their heading.
YEAR_NOTES = """2024年度法治政府建设工作材料
全年办理行政处罚案件126件，罚没款38.5万元
开展医疗机构专项检查1268户次
组织干部职工集中学法6次
重大行政决策3件全部经过合法性审查
行政复议案件4件，无败诉
开展普法宣传活动20场
一、主要负责人履行推进法治建设第一责任人职责情况
局主要负责人主持召开党组会专题研究法治工作4次
主要负责人带头出庭应诉2次
对重大行政决策事项坚持集体讨论决定，全年集体研究重大决策5项
三、明年打算
推进执法规范化建设"""


@pytest.fixture(scope="module")
def drafted(bundled_workspace) -> Draft:
    return bundled_workspace.draft(NOTES, unit=UNIT, year=2024, engine="offline")


def edited(ws, draft: Draft, key: str, text: str) -> Draft:
    new = replace(
        draft, sections=[replace(s, text=text) if s.key == key else replace(s) for s in draft.sections]
    )
    new.notes = draft.notes
    return ws.recheck(new)


def every_verdict(draft: Draft, tmp_path) -> dict[str, str]:
    """The level each place shows: banner, chat footer, .docx, JSON."""
    from docx import Document

    from drafting import export

    banner = re.search(r"zb-banner zb-(\w+)", fmt.checks_html(draft)).group(1)
    footer = next(level for level, mark in fmt.LEVEL_MARKS.items() if mark in fmt.status_line(draft))
    path = export.to_docx(draft, tmp_path / "d.docx", publish=False)
    body = "\n".join(p.text for p in Document(str(path)).paragraphs)
    docx = next(
        level
        for level, word in {"green": "【绿】", "amber": "【黄】", "red": "【红】"}.items()
        if word in body
    )
    return {"banner": banner, "footer": footer, "docx": docx, "json": draft.to_json()["status"]["level"]}


def evidence_of(draft: Draft, key: str, words: str):
    return next(e for e in draft.section(key).evidence if words in e.sentence)


@pytest.mark.parametrize(
    ("old", "new"),
    [("326件", "329件"), ("罚没款218.6万元", "罚没款218.6万元，出动执法人员99人次")],
    ids=["changed", "invented"],
)
def test_a_changed_or_invented_figure_is_red_everywhere_and_in_its_sentence(
    bundled_workspace, drafted, tmp_path, old, new
):
    key = "measures.enforcement"
    text = drafted.section(key).text
    assert old in text
    d = edited(bundled_workspace, drafted, key, text.replace(old, new, 1))
    figure = "329件" if "329" in new else "99人次"
    assert set(every_verdict(d, tmp_path).values()) == {"red"}
    mine = [p for p in d.problems if figure in p.item]
    assert mine and all(p.section == key and figure in p.sentence for p in mine)
    row = evidence_of(d, key, figure)
    assert row.status not in ("supported", "source", "formula") and row.problems  # 逐句依据 agrees
    assert any(figure in w for w in d.section(key).warnings)  # the section's warning agrees
    cli = d.status.summary()
    assert cli.startswith("【红】")


def test_a_green_banner_never_sits_over_a_warning_of_the_checks(bundled_workspace, drafted, tmp_path):
    from drafting.repair import is_check_warning

    for d in (drafted, bundled_workspace.recheck(drafted)):
        levels = set(every_verdict(d, tmp_path).values())
        assert len(levels) == 1
        flagged = [w for s in d.sections for w in s.warnings if is_check_warning(w)]
        bad_rows = [e for s in d.sections for e in s.evidence if e.status in ("unsupported", "flagged")]
        if levels == {"green"}:
            assert not flagged and not bad_rows
        red = [p for p in d.problems if p.severity == "red"]
        assert (levels == {"red"}) == bool(red)


def test_a_deletion_the_user_asked_for_is_their_choice(bundled_workspace, drafted, tmp_path):
    sentence = next(
        s for s in re.split(r"(?<=。)", drafted.section("measures.enforcement").text) if "15次" in s
    )
    words = re.sub(r"\[\d+\]", "", sentence)[2:12]
    new, reply = bundled_workspace.revise(drafted, f"删掉“{words}”这句", engine="offline")
    assert "15次" not in new.section("measures.enforcement").text
    assert "15次" in new.checks.user_omitted and "15次" not in new.checks.facts_missing
    assert "red" not in every_verdict(new, tmp_path).values()
    assert Draft.from_json(new.to_json()).omitted == new.omitted  # kept with the draft


def test_wording_this_years_notes_state_is_not_carried_over():
    from drafting.checks.evidence import section_findings

    past = "今年以来，我局组织开展部门“双随机、一公开”监管检查70次，部门联合检查58次，避免重复检查。"
    text = "我局组织开展部门“双随机、一公开”监管检查70次，部门联合检查58次。"
    line = Fact(
        text="我们组织开展部门“双随机、一公开”监管检查70次，部门联合检查58次",
        raw="",
        key="measures.functions",
    )
    alone = section_findings(text, [], {}, past_reports=[past], year=2024)
    assert alone.carried_wording  # the check itself still finds last year's sentence …
    run = alone.carried_wording[0]
    assert text.startswith(run) or run.startswith("组织") or run[0] in "我组"  # … shown from a clause start
    stated = section_findings(text, [], {}, past_reports=[past], year=2024, notes=[line])
    assert stated.carried_wording == []  # … but not when this year's notes state it (in another part)


def test_a_kind_of_problem_the_checks_layer_adds_counts_everywhere(drafted, tmp_path):
    register_problem_kind("role_superseded", "材料已被后文更正", "red")
    d = replace(
        drafted,
        problems=[*drafted.problems, Problem("role_superseded", "罚没款218.6万元", "measures.enforcement")],
    )
    assert d.status.level == "red" and "材料已被后文更正" in fmt.checks_html(d)
    assert set(every_verdict(d, tmp_path).values()) == {"red"}
    again = Draft.from_json(d.to_json())
    assert again.status.level == "red" and again.problems[-1].kind == "role_superseded"


# -- item 3: a one-section draft from whole-year notes --------------------------------------------------
def test_a_one_section_draft_takes_only_its_own_lines(bundled_workspace, tmp_path):
    d = bundled_workspace.draft(
        YEAR_NOTES, unit="某县卫生健康委员会", year=2024, section="measures.enforcement", engine="offline"
    )
    text = d.section("measures.enforcement").text
    assert "126件" in text and "1268户次" in text
    for other in ("学法6次", "普法宣传活动20场", "复议案件4件", "出庭应诉2次", "工作材料"):
        assert other not in text
    left = d.checks.lines_elsewhere
    assert len(left) >= 7 and any("出庭应诉2次" in line for line in left)
    assert any(
        f"{len(left)} 条" in w for w in d.section("measures.enforcement").warnings
    )  # listed with a count
    assert "green" not in every_verdict(d, tmp_path).values()  # figures left out: never green


def test_the_notes_heading_over_a_block_outranks_a_keyword(bundled_workspace):
    d = bundled_workspace.draft(
        YEAR_NOTES, unit="某县卫生健康委员会", year=2024, section="leadership", engine="offline"
    )
    text = d.section("leadership").text
    for figure in ("4次", "出庭应诉2次", "重大决策5项"):
        assert figure in text  # the leader's 重大决策 and 出庭应诉 stay under the leader's heading
    assert "126件" not in text
    assert d.checks.facts_missing == []
