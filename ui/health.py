"""GET /healthz for the reverse proxy, systemd and compose health checks: 200 when this worker can serve (its
database answers, its index is loaded), 503 with the reason otherwise. No login needed, no notes disclosed."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

log = logging.getLogger("zhibi.ui")


def health(h: Any) -> dict[str, Any]:
    """The worker's state: database reachable, index loaded, jobs it runs. Raises on a failed check."""
    started = time.perf_counter()
    with h.history.store.read() as db:
        db.execute(text("SELECT 1"))
    database_ms = (time.perf_counter() - started) * 1000
    with h._jobs_lock:
        running = sum(1 for j in h.jobs.values() if not j.finished)
    return {
        "status": "ok",
        "worker": h.job_store.worker,
        "database": h.history.store.dialect,
        "database_ms": round(database_ms, 1),
        "index": "loaded" if getattr(h.ws, "_index", None) is not None else "not loaded",
        "jobs_running": running,
    }


def add_health_route(demo: Any) -> None:
    """Put /healthz first among the app's routes (gradio's own routes never shadow it)."""
    h = demo.zhibi_handlers

    async def healthz(_request: Request) -> JSONResponse:
        try:
            return JSONResponse(health(h))
        except Exception as exc:  # the point of a health check: report, never raise
            log.warning("健康检查失败：%s", exc)
            return JSONResponse({"status": "fail", "reason": type(exc).__name__}, status_code=503)

    demo.app.router.routes.insert(0, Route("/healthz", healthz, methods=["GET", "HEAD"]))
