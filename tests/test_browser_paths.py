"""Issue 19: a user's whole path in Chromium, read to the end.

Each test does what a user does and then reads every panel the feature promises, after the page has finished
what it was doing: the page marks the end of its load chain on `#page-state` (data-loaded), so the tests wait
on that condition and never on a fixed sleep. Runs on the offline engine over the bundled corpus.
"""

from __future__ import annotations

import re

import pytest
from test_browser import CHROMIUM, NOTES, UNIT, browser_page, choose, fill, paragraphs, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*"),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium missing: run tests/install_browser.sh as root"
    ),
]
LONG = 180_000  # ms: a loaded machine (five engineers on two cores) drafts slowly


@pytest.fixture(scope="module")
def app_url(ui_workspace):
    with served(ui_workspace) as url:
        yield url


@pytest.fixture
def page(app_url):
    with browser_page(app_url) as page:
        yield page


def wait_loaded(page) -> None:
    """Wait until the page's load chain has run to its end (restore, panels, any running draft followed)."""
    page.wait_for_selector("#page-state [data-loaded]", state="attached", timeout=LONG)


def settled(page) -> int:
    """How many chains of events of this page have run to their end (the page marks each one)."""
    marker = page.locator("#page-state [data-settled]")
    return int(marker.get_attribute("data-settled") or 0) if marker.count() else 0


def wait_settled(page, after: int) -> None:
    """Wait until a chain of events started after `after` has run to its end, every panel updated."""
    page.wait_for_function(
        "Number((document.querySelector('#page-state [data-settled]') || {dataset: {settled: 0}})"
        f".dataset.settled) > {after}",
        timeout=LONG,
    )


def wait_text(page, elem_id: str, text: str, timeout: int = LONG) -> None:
    page.wait_for_function(
        f"(document.querySelector('#{elem_id}') || {{innerText: ''}}).innerText.includes({text!r})",
        timeout=timeout,
    )


def wait_value(page, elem_id: str, text: str) -> None:
    page.wait_for_function(
        f"((document.querySelector('#{elem_id} textarea, #{elem_id} input') || {{value: ''}}).value || '')"
        f".includes({text!r})",
        timeout=LONG,
    )


def begin(page, notes: str, unit: str, marker: str) -> None:
    wait_loaded(page)
    fill(page, "notes-input", notes)
    fill(page, "unit-input", unit)
    fill(page, "year-input", "2024")
    before = settled(page)
    page.click("#draft-button")
    wait_text(page, "draft-output", marker)
    wait_settled(page, before)


def lock(page, heading: str, text: str) -> None:
    """Lock the section under `heading`, once the section tools show its text (`text` is part of it)."""
    choose(page, "regenerate-section", heading)
    wait_value(page, "section-text", text)
    box = page.locator("#section-lock input")
    before = settled(page)
    box.check()
    wait_text(page, "section-status", "已锁定")
    wait_settled(page, before)
    page.wait_for_selector("#draft-output .zb-lock")


def doc_text(page) -> str:
    """The draft itself (gradio's progress line above it left out)."""
    return page.locator("#draft-output .zb-doc").inner_text()


def read_panels(page) -> dict[str, str]:
    """Every panel a user reads after a reload (the right-hand tabs opened one by one)."""
    out = {
        "draft": doc_text(page),
        "chat": page.locator("#chat").inner_text(),
        "checks": page.locator("#checks-panel").inner_text(),
        "notes": page.locator("#notes-input textarea").input_value(),
        "section": page.locator("#section-text textarea").input_value(),
    }
    page.get_by_role("tab", name="来源").click()
    out["sources"] = page.locator("#sources-panel").inner_text()
    page.get_by_role("tab", name="材料归类").click()
    page.wait_for_selector("#placement-panel", state="visible")
    out["placement"] = page.locator("#placement-panel").inner_text()
    page.get_by_role("tab", name="对照去年").click()
    page.wait_for_selector("#compare-panel", state="visible")
    out["compare"] = page.locator("#compare-panel").inner_text()
    return out


def test_reload_after_a_finished_draft_restores_every_panel(page):
    notes = NOTES + "\n普法：举办法治讲座31场"
    begin(page, notes, UNIT, "讲座31场")
    lock(page, "严格规范公正文明执法", "326")
    page.locator("#chat-input textarea").fill("补充：全年召开行政复议听证会2次")
    before = settled(page)
    page.click("#chat-send")
    wait_text(page, "draft-output", "听证会2次")
    wait_settled(page, before)
    before = doc_text(page)
    page.wait_for_selector("#checks-panel .zb-banner:not(.zb-idle)")
    banner = page.locator("#checks-panel .zb-banner").inner_text()
    sources = page.locator("#sources-panel").inner_text()

    page.reload()
    wait_loaded(page)
    panels = read_panels(page)
    assert paragraphs(panels["draft"]) == paragraphs(before)  # the same draft, not blanked
    assert (
        "讲座31场" in panels["chat"] and "补充：全年召开行政复议听证会2次" in panels["chat"]
    )  # the conversation
    assert banner.splitlines()[0] in panels["checks"]  # the same verdict
    assert "讲座31场" in panels["notes"]
    assert panels["sources"] == sources
    assert "执法：全年办理行政处罚案件326件" in panels["placement"]  # 材料归类 is filled
    assert "2023" in panels["compare"]
    # the lock: the locked section is the one the section tools show, its box ticked
    assert "326" in panels["section"]
    assert page.locator("#section-lock input").is_checked()
    assert page.locator("#draft-output .zb-lock").count() == 1


def test_reload_while_a_draft_runs_follows_it_and_then_restores_every_panel(page):
    begin(page, NOTES, UNIT, "326")
    fill(page, "notes-input", NOTES + "\n普法：举办法治讲座37场")
    page.click("#draft-button")
    # the job is on the server once the conversation shows the request; reload at once
    wait_text(page, "chat", "起草全文")
    page.reload()
    wait_loaded(page)  # the chain ends after the running draft was followed to its end
    panels = read_panels(page)
    assert "讲座37场" in panels["draft"] and "讲座37场" in panels["chat"]
    assert "讲座37场" in panels["placement"]
    assert "zb-idle" not in (page.locator("#checks-panel .zb-banner").get_attribute("class") or "")
    cited = "[1]" in panels["draft"]
    assert ("[1]" in panels["sources"]) == cited
    # and a second reload, with nothing running, keeps it all
    page.reload()
    wait_loaded(page)
    again = read_panels(page)
    assert paragraphs(again["draft"]) == paragraphs(panels["draft"])
    assert "讲座37场" in again["chat"] and "讲座37场" in again["placement"]


MOVE_NOTES = NOTES.replace(
    "学法：组织领导干部集中学法4次", "学法：组织领导干部集中学法4次\n学法：组织旁听庭审1次"
)
EDITED = "全年办理行政处罚案件326件，经逐件核对后定稿。"


def test_moving_a_line_keeps_a_hand_edit_elsewhere(page):
    begin(page, MOVE_NOTES, UNIT, "旁听庭审1次")
    # edit a third part by hand
    choose(page, "regenerate-section", "严格规范公正文明执法")
    wait_value(page, "section-text", "326")
    page.locator("#section-text textarea").fill(EDITED)
    before = settled(page)
    page.click("#section-save")
    wait_text(page, "draft-output", "经逐件核对")
    wait_settled(page, before)
    before = paragraphs(doc_text(page))

    # move a line from 学法用法 to 普法, both parts unlocked and both keeping lines
    page.get_by_role("tab", name="材料归类").click()
    wait_text(page, "placement-panel", "集中学法4次")
    choose(page, "placement-rows", "集中学法4次")
    page.keyboard.press("Escape")
    choose(page, "placement-target", "普法")
    count = settled(page)
    page.click("#placement-move")
    wait_text(page, "placement-status", "已把")
    wait_settled(page, count)
    after = paragraphs(doc_text(page))
    status = page.locator("#placement-status").inner_text()

    assert EDITED in "".join(after)  # the hand edit survived the move
    moved = [p for p in after if "集中学法4次" in p]
    assert len(moved) == 1 and "法治宣传教育" in moved[0]
    assert any("旁听庭审1次" in p and "学法" in p for p in after)  # the part it left is still there
    concerned = ("学法", "法治宣传教育")
    untouched = [p for p in before if not any(word in p for word in concerned)]
    assert untouched and all(p in after for p in untouched)  # every other part kept its text
    assert "preamble" not in status and "measures" not in status and "其他部分未改动" in status


def test_the_right_column_keeps_its_tabs_and_controls_in_view(page):
    """逐句依据 opened and a year's 材料归类 table: the tabs and the move controls stay above the fold."""
    many = (
        NOTES + "\n" + "\n".join(f"执法：开展第{n}轮路面巡查，出动执法人员{n * 3}人次" for n in range(1, 41))
    )
    begin(page, many, UNIT, "第40轮")
    fold = page.viewport_size["height"]
    page.locator("#checks-panel details.zb-sec-evidence > summary").click()  # open 逐句依据 …
    page.evaluate(
        "() => document.querySelectorAll('#checks-panel details').forEach(d => d.open = true)"
    )  # … all
    sources_tab = page.get_by_role("tab", name="来源")
    assert sources_tab.bounding_box()["y"] + sources_tab.bounding_box()["height"] <= fold

    page.get_by_role("tab", name="材料归类").click()
    wait_text(page, "placement-panel", "第40轮")
    button = page.locator("#placement-move").bounding_box()
    assert button["y"] + button["height"] <= fold  # the move controls are not below a long table
    fits = page.evaluate(
        "() => { const p = document.querySelector('#placement-panel'); const t = p.querySelector('table');"
        " return t.getBoundingClientRect().width <= p.getBoundingClientRect().width + 1; }"
    )
    assert fits  # the table wraps in its column, no sideways scrolling


# -- items 3 to 5: what the checks and the comparison tell a user ------------------------------------------
YEAR_NOTES = """2024年度法治政府建设工作材料
全年办理行政处罚案件126件，罚没款38.5万元
开展医疗机构专项检查1268户次
组织干部职工集中学法6次
行政复议案件4件，无败诉
开展普法宣传活动20场
一、主要负责人履行推进法治建设第一责任人职责情况
主要负责人带头出庭应诉2次
三、明年打算
推进执法规范化建设"""


def banner_level(page) -> str:
    cls = page.locator("#checks-panel .zb-banner").get_attribute("class") or ""
    return next(level for level in ("red", "amber", "green") if f"zb-{level}" in cls)


def test_a_one_section_draft_from_whole_year_notes(page):
    wait_loaded(page)
    choose(page, "section-select", "行政执法")
    begin(page, YEAR_NOTES, "某县卫生健康委员会", "1268户次")
    text = doc_text(page)
    for other in ("学法6次", "宣传活动20场", "复议案件4件", "出庭应诉2次", "工作材料"):
        assert other not in text, other
    checks = page.locator("#checks-panel").inner_text()
    assert "属于其他部分" in checks and re.search(r"\d+ 条属于其他部分", checks)
    assert banner_level(page) != "green"
    assert "🟢" not in page.locator("#chat .message").last.inner_text()  # the chat footer agrees


def test_a_figure_changed_by_hand_is_red_in_every_panel(page, tmp_path):
    from docx import Document

    begin(page, NOTES, UNIT, "326")
    choose(page, "regenerate-section", "严格规范公正文明执法")
    wait_value(page, "section-text", "326")
    box = page.locator("#section-text textarea")
    box.fill(box.input_value().replace("326件", "329件", 1))
    before = settled(page)
    page.click("#section-save")
    wait_text(page, "draft-output", "329件")
    wait_settled(page, before)
    assert banner_level(page) == "red"
    page.locator("#checks-panel details.zb-sec-evidence > summary").click()
    row = page.locator("#checks-panel .zb-evidence tr", has_text="329件").first
    assert "材料" not in row.locator("td").nth(1).inner_text()  # 逐句依据 does not call it supported
    assert "329件" in page.locator("#checks-panel .zb-sec-warn").inner_text()  # nor do the section warnings
    page.get_by_role("tab", name="导出").click()
    with page.expect_download() as info:
        page.click("#export-docx-button")
    path = tmp_path / "d.docx"
    info.value.save_as(path)
    assert "【红】" in "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_a_sentence_deleted_on_request_is_the_users_choice(page):
    begin(page, NOTES, UNIT, "326")
    assert "15次" in doc_text(page)
    page.locator("#chat-input textarea").fill("删掉“开展治超专项行动15次”这句")
    before = settled(page)
    page.click("#chat-send")
    wait_text(page, "chat", "已从")
    wait_settled(page, before)
    assert banner_level(page) != "red"
    assert "🔴" not in page.locator("#chat .message").last.inner_text()
    assert "按用户要求删去" in page.locator("#checks-panel").inner_text()


def test_last_years_plans_say_what_is_not_done(page):
    notes = (
        "东昌府区交通运输局2024年法治政府建设工作总结材料\n"
        "执法：全年办理行政处罚案件326件\n"
        "政务服务：政务服务事项全部实现跨域通办，群众满意度99%\n"
        "问题：专题普法宣传活动覆盖面不广，普法责任清单落实不到位"
    )
    begin(page, notes, "东昌府区交通运输局", "326")
    page.get_by_role("tab", name="对照去年").click()
    wait_text(page, "plans-panel", "下一年度安排")
    plans = page.locator("#plans-panel").inner_text()
    assert "尚未完成" in plans and "☒" in plans
    normal = [line for line in plans.splitlines() if line.startswith("☑")]
    assert not any("普法" in line for line in normal)  # the 问题 line never ticks the 普法 promise
    compare = page.locator("#compare-panel").inner_text()
    assert "扫码" not in compare and "目录导读" not in compare
