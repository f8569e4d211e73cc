"""A real Chromium drives the workspace: paste notes, draft, regenerate one section, compare, export .docx.

Needs /usr/bin/chromium (tests/install_browser.sh apt-installs it with fonts-noto-cjk); skips otherwise.
Playwright never downloads a browser here: it is pointed at the system one.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
UNIT = "东昌府区交通运输局"
NOTES = """执法：全年办理行政处罚案件326件，罚没款218.6万元
执法：开展治超专项行动15次，查处超限车辆87辆
复议应诉：行政复议案件5件，行政诉讼案件2件，无败诉
普法：开展“八五”普法宣传活动12场，发放资料3000余份
学法：组织领导干部集中学法4次
决策：重大行政决策全部经过合法性审查，共审查3件
不足：执法人员专业能力有待提升
明年：推进执法规范化建设，加强执法队伍培训"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*"),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium missing: run tests/install_browser.sh as root"
    ),
]


def offline_workspace(home: Path):
    from zhibi.api import Workspace

    return Workspace(home=str(home), chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")


@contextmanager
def served(ws):
    from ui.app import free_port, launch, warm

    warm(ws)
    demo = launch(ws, "127.0.0.1", free_port(), prevent_thread_lock=True)
    try:
        yield f"http://127.0.0.1:{demo.server_port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def app_url(ui_workspace):
    with served(ui_workspace) as url:
        yield url


@contextmanager
def browser_page(url: str):
    """A Chromium page on `url`; fails the test if the page requests anything off the server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1100}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        off_host: list[str] = []
        page.on(
            "request",
            lambda r: off_host.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None,
        )
        page.goto(url)
        page.wait_for_selector("#draft-button")
        yield page
        browser.close()
        assert off_host == [], f"the page reached outside the server: {off_host[:5]}"


@pytest.fixture
def page(app_url):
    with browser_page(app_url) as page:
        yield page


def fill(page, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id}").locator("textarea, input").first.fill(text)


def draft_text(page) -> str:
    return page.locator("#draft-output").inner_text()


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def choose(page, elem_id: str, option_text: str) -> None:
    """Pick an option of a gradio Dropdown by (part of) its label."""
    page.locator(f"#{elem_id} input").first.click()
    page.get_by_role("option").filter(has_text=option_text).first.click()


HOOK_IDS = [
    "notes-input", "unit-input", "year-input", "section-select", "draft-button", "draft-output",
    "sources-panel", "checks-panel", "regenerate-button", "compare-panel", "export-docx-button",
]  # fmt: skip


def test_draft_regenerate_compare_export(page, tmp_path):
    from docx import Document

    for elem_id in HOOK_IDS:  # automation hooks; those on the other right-hand tabs render when opened
        if elem_id not in ("compare-panel", "export-docx-button"):
            assert page.locator(f"#{elem_id}").count() == 1, elem_id

    fill(page, "notes-input", NOTES)
    fill(page, "unit-input", UNIT)
    fill(page, "year-input", "2024")
    page.click("#draft-button")
    page.wait_for_function("document.querySelector('#draft-output').innerText.includes('326')")
    before = draft_text(page)
    assert UNIT in before and "218.6万元" in before and re.search(r"\[\d+\]", before)
    # the conversation holds the draft too, and the checks banner is up
    assert "326" in page.locator("#chat").inner_text()
    page.wait_for_selector("#checks-panel .zb-banner:not(.zb-idle)")
    page.wait_for_selector("#sources-panel details.zb-src")

    # regenerate the enforcement section with an extra note line; every other paragraph stays
    choose(page, "regenerate-section", "严格规范公正文明执法")
    page.wait_for_function("document.querySelector('#section-text textarea').value.includes('326')")
    target_before = page.locator("#section-text textarea").input_value()
    notes_box = page.locator("#regenerate-notes textarea")
    notes_box.fill(notes_box.input_value() + "\n执法：开展联合执法行动8次")
    page.click("#regenerate-button")
    page.wait_for_function("document.querySelector('#draft-output').innerText.includes('联合执法行动8次')")
    after = draft_text(page)
    target_head = target_before.strip()[:12]
    others = [p for p in paragraphs(before) if target_head not in p and p not in target_before]
    assert others and all(p in paragraphs(after) for p in others)

    # the prior-year comparison
    page.get_by_role("tab", name="对照去年").click()
    page.wait_for_selector("#compare-panel details.zb-cmp")
    compare = page.locator("#compare-panel").inner_text()
    assert "2023" in compare and "逐字相同" in compare

    # export .docx and open it
    page.get_by_role("tab", name="导出").click()
    with page.expect_download() as info:
        page.click("#export-docx-button")
    path = tmp_path / "draft.docx"
    info.value.save_as(path)
    body = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "326" in body and "联合执法行动8次" in body and UNIT in body

    page.screenshot(path=str(tmp_path / "workspace.png"), full_page=True)
    assert (tmp_path / "workspace.png").stat().st_size > 10_000


def test_bad_input_shows_message(page):
    fill(page, "unit-input", UNIT)
    page.click("#draft-button")
    page.get_by_text("请先粘贴或上传本年度的工作笔记").first.wait_for()
    fill(page, "notes-input", NOTES)
    page.click("#draft-button")  # the page keeps working after the error
    page.wait_for_function("document.querySelector('#draft-output').innerText.includes('326')")


def test_history_reopens_in_a_new_session(page):
    fill(page, "notes-input", NOTES + "\n普法：举办法治讲座9场")
    fill(page, "unit-input", "历史测试交通运输局")
    page.click("#draft-button")
    page.wait_for_function("document.querySelector('#draft-output').innerText.includes('讲座9场')")
    page.reload()  # a new browser session: nothing in the page, everything in the history database
    page.wait_for_selector("#draft-button")
    assert "讲座9场" not in draft_text(page)
    page.locator("#history-panel").get_by_text("历史记录").click()
    page.wait_for_function(
        "(document.querySelector('#history-select input') || {value: ''}).value.includes('历史测试交通运输局')"
    )
    page.click("#history-open")
    page.wait_for_function("document.querySelector('#draft-output').innerText.includes('讲座9场')")
    assert "讲座9场" in page.locator("#notes-input textarea").input_value()
    assert page.locator("#unit-input").locator("textarea, input").first.input_value() == "历史测试交通运输局"


def test_corpus_page_upload_and_remove(tmp_path):
    """On a workspace of its own: an empty index, one upload with progress, then its removal."""
    with served(offline_workspace(tmp_path / "home")) as url, browser_page(url) as page:
        corpus_page(page, tmp_path)


def corpus_page(page, tmp_path: Path) -> None:
    law = tmp_path / "某某县行政执法公示办法.txt"
    law.write_text(
        "某某县行政执法公示办法\n\n第一条 为了规范行政执法公示，制定本办法。\n\n第二条 行政执法机关应当在执法决定作出之日起七个工作日内公开执法决定信息。\n",
        encoding="utf-8",
    )
    page.get_by_role("tab", name="语料库").click()
    page.wait_for_function("document.querySelector('#corpus-summary').innerText.includes('索引为空')")
    assert "缺少以下重点文件" in page.locator("#corpus-summary").inner_text()
    with page.expect_file_chooser() as chooser:
        page.click("#corpus-upload")
    chooser.value.set_files(str(law))
    page.wait_for_function("document.querySelector('#corpus-status').innerText.includes('新增 1 篇')")
    assert "行政执法公示办法" in page.locator("#corpus-table").inner_text()
    title = next(t for t in page.locator("#corpus-table td").all_inner_texts() if "行政执法公示办法" in t)
    choose(page, "corpus-remove-select", title)
    page.click("#corpus-remove")
    page.wait_for_function("document.querySelector('#corpus-status').innerText.includes('已删除')")
    assert "行政执法公示办法" not in page.locator("#corpus-table").inner_text()
