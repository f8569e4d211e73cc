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


def test_a_reload_shows_the_conversation_and_the_draft(h):
    *_, (_, chat, _, draft, sid) = run_draft(h, owner=OWNER)
    *_, (chat, _, _, _, draft, sid) = h.revise("补充：全年召开听证会2次", draft, sid, chat, OWNER)
    restored = h.restore("e" * 32)
    chat_after, draft_after = restored[7], restored[9]
    said = "".join(m["content"] for m in chat_after)
    assert "326件" in said and "听证会2次" in said  # the draft and the follow-up, as the page showed them
    assert draft_after.to_json() == draft.to_json()
    # a new page of another browser sees none of it
    assert skipped(h.restore("f" * 32)[7])


def test_the_conversation_outlives_a_restart(h, fake, tmp_path):
    run_draft(h, owner=OWNER)
    again = Handlers(fake, History(fake.settings.db_path), export_root=tmp_path / "exports2")
    chat = again.restore("e" * 32)[7]
    assert any("326件" in m["content"] for m in chat)


def test_the_section_tools_open_on_a_locked_section(h):
    *_, (_, _, _, draft, sid) = run_draft(h, owner=OWNER)
    key = draft.sections[2].key
    _, locked, sid, _ = h.set_locked(key, True, draft, sid, OWNER)
    panels = h.panels(locked, False, None, OWNER)
    chosen, locked_box = panels[4], panels[6]
    assert chosen["value"] == key and locked_box is True
