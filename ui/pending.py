"""待确认: clauses of the notes the draft left out because the tool cannot vouch for them (a doubted figure, a
task not done, a correction it could not place, a block headed by another year). Each shows why; the user
writes one into a part with one click, which redrafts that part only."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from core.errors import ZhibiError
from core.types import CLAUSE_ROLES, Draft
from ui import format as fmt
from ui.handlers import Handlers, error, owner_of, user_error, warn_if_llm_down


def pending_html(draft: Draft | None) -> str:
    if draft is None:
        return ""
    pending = draft.pending
    if not pending:
        return '<div class="zb-subhead">待确认：无（材料中没有需要您确认的内容）</div>'
    rows = "".join(
        f"<tr data-pending='{n}'><td>{c.line_no}</td><td>{html.escape(c.text)}</td>"
        f"<td>{html.escape(CLAUSE_ROLES.get(c.role, c.role))}</td><td>{html.escape(c.reason)}</td></tr>"
        for n, c in enumerate(pending)
    )
    return (
        f'<div class="zb-subhead">待确认 {len(pending)} 条：未写入正文，确认后可写入所选部分</div>'
        '<table class="zb-placement zb-pending"><tr><th>行</th><th>材料</th><th>类别</th><th>原因</th></tr>'
        + rows
        + "</table>"
    )


def pending_choices(draft: Draft | None) -> list[tuple[str, str]]:
    if draft is None:
        return []
    return [
        (f"第{c.line_no}行 · {c.text[:28]}{'…' if len(c.text) > 28 else ''}", str(n))
        for n, c in enumerate(draft.pending)
    ]


class PendingPanel:
    def __init__(self, h: Handlers) -> None:
        self.h = h

    def view(self, current: Draft | None) -> tuple:
        return pending_html(current), gr.update(choices=pending_choices(current), value=None)

    def confirm(
        self,
        item: str | None,
        key: str | None,
        current: Draft | None,
        session_id: int | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Write the chosen 待确认 clause into `key`; (draft panel, draft state, session id, status)."""
        current = self.h._need_draft(current)
        if item is None or item == "":
            raise error("请先在“待确认”中选择一条", title="没有选择")
        index = int(item)
        about_notes = 0 <= index < len(current.pending) and current.pending[index].about_notes
        if not about_notes and (not key or key == fmt.REPORT):
            raise error("请选择要写入的部分", title="没有选择部分")
        try:
            new = self.h.ws.confirm_pending(current, index, key or "")
        except ZhibiError as exc:
            raise user_error(exc) from exc
        new.notes = new.notes or current.notes
        session_id = self.h._ensure_session(session_id, new, owner_of(owner_state, request))
        self.h.history.save_draft(session_id, "revise", new)
        warn_if_llm_down(new)
        if about_notes:
            return fmt.draft_panel(new), new, session_id, "已记下您的核对：这一条说的是整份材料，不写入正文"
        title = self.h.labels.get(key, key)
        return fmt.draft_panel(new), new, session_id, f"已按您的确认写入“{title}”，只重写了这一部分"


def build(h: Handlers) -> dict[str, Any]:
    """The 待确认 list and its controls (call inside the placement tab)."""
    panel = PendingPanel(h)
    table = gr.HTML(pending_html(None), elem_id="pending-panel")
    with gr.Row():
        item = gr.Dropdown(label="待确认的材料", choices=[], scale=3, elem_id="pending-item")
        target = gr.Dropdown(
            label="写入",
            choices=[c for c in fmt.section_choices(h.labels) if c[1] != fmt.REPORT],
            scale=2,
            elem_id="pending-target",
        )
    confirm = gr.Button("确认无误，写入", elem_id="pending-confirm")
    status = gr.Markdown("", elem_id="pending-status")
    return {
        "panel": panel,
        "table": table,
        "item": item,
        "target": target,
        "confirm": confirm,
        "status": status,
    }


def wire(
    parts: dict[str, Any],
    draft_state: Any,
    session_state: Any,
    owner_state: Any,
    draft_out: Any,
    refresh: Any,
) -> None:
    panel: PendingPanel = parts["panel"]
    refresh(
        parts["confirm"].click(
            panel.confirm,
            [parts["item"], parts["target"], draft_state, session_state, owner_state],
            [draft_out, draft_state, session_state, parts["status"]],
            api_name="confirm_pending",
            concurrency_id="engine",
        )
    )


def refresh_outputs(parts: dict[str, Any]) -> list[Any]:
    return [parts["table"], parts["item"]]
