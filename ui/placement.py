"""The placement table: each notes line → the part it was drafted in, why, and how sure; the user moves lines.

The table shows the draft's stored placement (never a placement computed again). Moving a line records the
user's decision in the placement and redrafts the sections concerned; the user's notes are not touched.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from core.errors import ZhibiError
from core.types import Draft
from ui import format as fmt
from ui.handlers import Handlers, error, owner_of, user_error, warn_if_llm_down


def placement_html(draft: Draft | None, labels: dict[str, str]) -> str:
    if draft is None or not draft.placement:
        return '<div class="zb-subhead">起草后，这里列出每行材料归入了哪一部分</div>'
    low = sum(f.low_confidence for f in draft.placement)
    head = f"共 {len(draft.placement)} 条材料" + (f"，{low} 条把握不大（标 ⚠），请核对" if low else "")
    rows = []
    for n, fact in enumerate(draft.placement):
        mark = "⚠ " if fact.low_confidence else ""
        cls = ' class="zb-low"' if fact.low_confidence else ""
        # Three columns fit the right-hand column: the office that sent a line is a tag under it, the
        # reason sits under the part it was put in.
        office = f'<div class="zb-loc">报送：{html.escape(fact.origin)}</div>' if fact.origin else ""
        rows.append(
            f"<tr{cls} data-row='{n}'><td>{fact.line_no}</td><td>{html.escape(fact.raw or fact.text)}{office}</td>"
            f"<td>{mark}{html.escape(labels.get(fact.key, fact.key))}"
            f'<div class="zb-loc">{html.escape(fact.reason)}</div></td></tr>'
        )
    covering = ""
    if draft.checks.lines_dropped:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in draft.checks.lines_dropped)
        covering = f'<div class="zb-subhead">未写入正文的行（标题、说明、寒暄）</div><ul>{items}</ul>'
    return (
        f'<div class="zb-subhead">{head}</div><table class="zb-placement">'
        '<colgroup><col class="zb-c-line"><col class="zb-c-text"><col class="zb-c-key"></colgroup>'
        "<tr><th>行</th><th>材料（报送）</th><th>归入（理由）</th></tr>"
        + "".join(rows)
        + "</table>"
        + covering
    )


def row_choices(draft: Draft | None) -> list[tuple[str, str]]:
    if draft is None:
        return []
    out = []
    for n, fact in enumerate(draft.placement):
        text = fact.raw or fact.text
        out.append((f"第{fact.line_no}行 · {text[:28]}{'…' if len(text) > 28 else ''}", str(n)))
    return out


class PlacementPanel:
    def __init__(self, h: Handlers) -> None:
        self.h = h

    def view(self, current: Draft | None) -> tuple:
        return placement_html(current, self.h.labels), gr.update(choices=row_choices(current), value=[])

    def move(
        self,
        rows: list[str] | None,
        key: str | None,
        current: Draft | None,
        session_id: int | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Move the chosen lines to `key`; (draft panel, draft state, session id, status)."""
        current = self.h._need_draft(current)
        if not rows:
            raise error("请先在“材料行”中选择要调整的行", title="没有选择材料")
        if not key or key == fmt.REPORT:
            raise error("请选择要归入的部分", title="没有选择部分")
        try:
            with (
                self.h.asking(owner_of(owner_state, request)),
                self.h.viewing(request),
            ):  # the redraft's LLM requests are this owner's
                moved = self.h.ws.move(current, [int(r) for r in rows], key)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        new = moved.draft
        new.notes = new.notes or current.notes
        session_id = self.h._ensure_session(session_id, new, owner_of(owner_state, request))
        self.h.history.save_draft(session_id, "revise", new)  # a correction of the draft
        warn_if_llm_down(new)
        return fmt.draft_panel(new), new, session_id, moved.message()


def build(h: Handlers) -> dict[str, Any]:
    """The components of the placement tab (call inside a gr.Tab)."""
    panel = PlacementPanel(h)
    # The controls come first: a year's notes make a long table, scrolled inside its own box below them.
    with gr.Row():
        rows = gr.Dropdown(label="材料行", choices=[], multiselect=True, scale=3, elem_id="placement-rows")
        target = gr.Dropdown(
            label="移到",
            choices=[c for c in fmt.section_choices(h.labels) if c[1] != fmt.REPORT],
            scale=2,
            elem_id="placement-target",
        )
    move = gr.Button("移动并重写相关部分", variant="primary", elem_id="placement-move")
    status = gr.Markdown("", elem_id="placement-status")
    table = gr.HTML(placement_html(None, h.labels), elem_id="placement-panel")
    return {"panel": panel, "table": table, "rows": rows, "target": target, "move": move, "status": status}


def wire(
    parts: dict[str, Any],
    draft_state: Any,
    session_state: Any,
    owner_state: Any,
    draft_out: Any,
    refresh: Any,
) -> None:
    panel: PlacementPanel = parts["panel"]
    refresh(
        parts["move"].click(
            panel.move,
            [parts["rows"], parts["target"], draft_state, session_state, owner_state],
            [draft_out, draft_state, session_state, parts["status"]],
            api_name="move_lines",
            concurrency_id="engine",
        )
    )


def refresh_outputs(parts: dict[str, Any]) -> list[Any]:
    return [parts["table"], parts["rows"]]
