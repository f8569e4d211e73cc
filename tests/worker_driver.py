"""One Zhibi worker in a process of its own, driven over stdin/stdout (one JSON object a line), for
tests/test_workers.py: the real Workspace and Handlers (no browser), its own ZHIBI_HOME, the shared database of
ZHIBI_DATABASE_URL. Each request {"op": …} gets one reply line {"ok": true, …} or {"ok": false, "error": …}.

    python tests/worker_driver.py        # ZHIBI_HOME, ZHIBI_DATABASE_URL, ZHIBI_LLM_BASE_URL from the environment
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gradio as gr  # noqa: E402

from core.types import Draft  # noqa: E402
from ui.handlers import Handlers  # noqa: E402
from ui.security import seal  # noqa: E402
from zhibi.api import Workspace  # noqa: E402


def main() -> None:
    ws = Workspace(chroma_url="", embed_base_url="")
    h = Handlers(ws, export_root=Path(ws.settings.home) / "exports")
    running: dict[str, threading.Thread] = {}
    out = sys.stdout
    print(json.dumps({"ok": True, "ready": h.job_store.worker}), file=out, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = handle(h, running, request)
            reply["ok"] = True
        except gr.Error as exc:
            reply = {"ok": False, "error": exc.message, "title": exc.title}
        except Exception as exc:  # reported to the test, which fails with the trace
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
        print(json.dumps(reply, ensure_ascii=False), file=out, flush=True)


def handle(h: Handlers, running: dict[str, threading.Thread], r: dict[str, Any]) -> dict[str, Any]:
    op, owner = r["op"], r.get("owner", "")
    if op == "draft":  # start a draft; reply once the job runs (its first snapshot), let it finish alone
        gen = h.draft(r["notes"], r["unit"], r["year"], r.get("section", "report"), None, owner)
        first = next(gen, None)
        thread = threading.Thread(target=lambda: list(gen), daemon=True)
        thread.start()
        running[owner] = thread
        return {"started": first is not None}
    if op == "wait":  # until this worker's own draft of `owner` is over
        if owner in running:
            running.pop(owner).join()
        return {}
    if op == "running":
        job = h.running_job(owner)
        return {"job": getattr(job, "job_id", None) or getattr(job, "id", None), "local": owner in h.jobs}
    if op == "follow":  # what a page of `owner` loading on this worker shows while the draft runs
        steps, final, err = [], None, None
        try:
            for step in h.resume(owner):
                steps.append(step[1][-1]["content"] if isinstance(step[1], list) else "")
                if isinstance(step[3], Draft):
                    final = step[3]
        except gr.Error as exc:
            err = exc.message
        return {
            "steps": len(steps),
            "contents": steps,
            "draft": final.to_json() if final else None,
            "error": err,
        }
    if op == "restore":  # a page load: the owner's open work
        # the page keeps its id sealed by the server's key (the database's, so any worker opens it)
        client_id = seal(owner.removeprefix("browser:"), h.secret)
        _, who, notes, unit, year, _section, _panel, chat, _, draft, sid, _hist, _ = h.restore(client_id)
        return {
            "owner": who,
            "notes": notes if isinstance(notes, str) else None,
            "unit": unit if isinstance(unit, str) else None,
            "draft": draft.to_json() if isinstance(draft, Draft) else None,
            "chat": [m["content"] for m in chat] if isinstance(chat, list) else [],
            "session": sid,
        }
    if op == "lock":
        restored = h.restore(seal(owner.removeprefix("browser:"), h.secret))
        draft, sid = restored[9], restored[10]
        _, new, _, status = h.set_locked(r["key"], True, draft, sid, owner)
        return {"status": status, "draft": new.to_json()}
    if op == "sessions":
        return {"sessions": h.history_list(owner)}
    raise ValueError(f"unknown op {op!r}")


if __name__ == "__main__":
    main()
