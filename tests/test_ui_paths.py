"""Issue 19 on the handlers (no browser): a reload restores everything, moving lines keeps other parts.

The browser tests (tests/test_browser_paths.py) follow the same paths in Chromium; these pin the handler
contracts the page relies on, on the stand-in Workspace of tests/test_ui.py.
"""

from __future__ import annotations

import gradio as gr
import pytest
from test_ui import NOTES, FakeWorkspace

from ui import handlers as uh
from ui.handlers import Handlers
from ui.security import seal
from zhibi.history import History

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
OWNER = "browser:" + "e" * 32


@pytest.fixture
def fake(tmp_path) -> FakeWorkspace:
    return FakeWorkspace(tmp_path / "home")


@pytest.fixture
def h(fake, tmp_path, monkeypatch) -> Handlers:
    monkeypatch.setattr(uh, "recheck", lambda ws, d: d)
    return Handlers(fake, export_root=tmp_path / "exports")


def run_draft(h: Handlers, owner: str = OWNER) -> tuple:
    outputs = list(h.draft(NOTES, "甲县交通运输局", 2024, "report", None, owner))
    return outputs, outputs[-1]


def skipped(value: object) -> bool:
    return isinstance(value, type(gr.skip()))


def test_a_load_with_no_draft_running_changes_nothing(h):
    """Gradio applies a generator that ends without yielding as empty outputs: resume must yield skips."""
    steps = list(h.resume(OWNER))
    assert steps and all(skipped(v) for v in steps[-1])


def test_a_draft_that_ends_between_the_restore_and_the_follow_is_shown(h):
    """The restore showed the draft before; the job ended before the follow-up step looked: it is shown."""
    *_, (_, _, _, first, _) = run_draft(h)
    *_, (_, _, _, second, _) = list(
        h.draft("执法：讲座7场\n" + NOTES, "甲县交通运输局", 2024, "report", None, OWNER)
    )
    panel, chat, _, draft, _ = next(h.resume(OWNER, first))
    assert draft.to_json() == second.to_json() and any("讲座7场" in m["content"] for m in chat)
    assert all(skipped(v) for v in next(h.resume(OWNER, second)))  # already shown: nothing changes


def test_a_reload_shows_the_conversation_and_the_draft(h):
    *_, (_, chat, _, draft, sid) = run_draft(h, owner=OWNER)
    *_, (chat, _, _, _, draft, sid) = h.revise("补充：全年召开听证会2次", draft, sid, chat, OWNER)
    restored = h.restore(seal("e" * 32, h.secret))  # the browser keeps its id sealed by the server
    chat_after, draft_after = restored[7], restored[9]
    said = "".join(m["content"] for m in chat_after)
    assert "326件" in said and "听证会2次" in said  # the draft and the follow-up, as the page showed them
    assert draft_after.to_json() == draft.to_json()
    # a new page of another browser sees none of it
    assert skipped(h.restore(seal("f" * 32, h.secret))[7])


def test_the_conversation_outlives_a_restart(h, fake, tmp_path):
    run_draft(h, owner=OWNER)
    again = Handlers(fake, History(fake.settings.db_path), export_root=tmp_path / "exports2")
    chat = again.restore(seal("e" * 32, again.secret))[7]
    assert any("326件" in m["content"] for m in chat)


def test_the_section_tools_open_on_a_locked_section(h):
    *_, (_, _, _, draft, sid) = run_draft(h, owner=OWNER)
    key = draft.sections[2].key
    _, locked, sid, _ = h.set_locked(key, True, draft, sid, OWNER)
    panels = h.panels(locked, False, None, OWNER)
    chosen, locked_box = panels[4], panels[6]
    assert chosen["value"] == key and locked_box is True


# -- item 7: the smaller things a user sees ------------------------------------------------------------
def test_two_drafts_of_the_same_minute_have_different_history_labels(h):
    run_draft(h)
    run_draft(h)
    labels = [label for label, _ in h.history_update(OWNER)["choices"]]
    assert len(labels) == 2 and len(set(labels)) == 2


def test_the_rewrite_box_suggests_only_what_the_offline_engine_does(fake):
    from ui.app import build_app, instruction_hint

    demo = build_app(fake)
    box = next(c for c in demo.config["components"] if c["props"].get("elem_id") == "regenerate-instruction")
    assert not fake.settings.llm_configured
    offline = box["props"]["placeholder"]
    assert "例如" not in offline and "突出" not in offline  # no request it would then refuse
    assert "突出" in instruction_hint(type("S", (), {"llm_configured": True})())


def depth(text: str, pairs: tuple[str, str]) -> int:
    level = most = 0
    for ch in text:
        if ch == pairs[0]:
            level += 1
            most = max(most, level)
        elif ch == pairs[1]:
            level -= 1
    return most


@pytest.mark.parametrize(
    ("notes", "unit", "year", "section"),
    [("", "甲局", 2024, None), ("执法326件", "甲局", 2024, "nowhere"), ("执法326件", "甲局", "23", None)],
)
def test_messages_never_nest_brackets(notes, unit, year, section):
    from drafting.inputs import check_request

    with pytest.raises(uh.InputError) as info:
        check_request(notes, unit, year, section, ["measures", "plans"])
    said = str(info.value)
    assert depth(said, ("（", "）")) <= 1 and depth(said, ("(", ")")) <= 1, said


def test_book_titles_nest_as_chinese_typesetting_does():
    from core.errors import ZhibiError, book_title

    assert book_title("关于印发《某某办法》的通知") == "《关于印发〈某某办法〉的通知》"
    assert book_title("《行政处罚法》") == "《行政处罚法》"
    said = str(ZhibiError("未知的章节：x", hint="可用的章节有 report（全文）、measures"))
    assert depth(said, ("（", "）")) <= 1


def test_the_command_line_never_says_paste_or_upload(tmp_path, capsys, monkeypatch):
    from ui.cli import main

    monkeypatch.setenv("ZHIBI_HOME", str(tmp_path / "home"))
    empty = tmp_path / "notes.txt"
    empty.write_text("好的收到\n", encoding="utf-8")
    code = main(["draft", str(empty), "--unit", "甲县交通运输局", "--year", "2024", "--engine", "offline"])
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("zhibi:")]
    assert code == 2 and len(said) == 1
    err = said[0]
    assert "粘贴" not in err and "上传" not in err and "notes.txt" in err
