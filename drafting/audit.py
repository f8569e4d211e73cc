"""The audit record of a drafting run: what went in (notes, placed facts, passages, prompts) and what came out.

One JSON file per run under settings.audit_dir, written atomically, so a reviewer can trace every sentence of
a draft to the facts, passages and model replies behind it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core.types import Checks, Draft, Fact, ParsedNotes, Source


def start_record(notes: str, parsed: ParsedNotes, prior_title: str | None) -> dict[str, Any]:
    return {
        "notes": notes,
        "facts": [asdict(f) for f in parsed.facts],
        "lines_dropped": parsed.dropped,
        "instructions_ignored": parsed.instructions,
        "prior_report": prior_title,
        "sections": {},
    }


def section_record(
    *,
    engine: str,
    facts: list[Fact],
    passages: list[Source],
    prompt: object,
    raw_output: str,
    citation_map: dict[str, int | None],
    repairs: list[str],
    checks: Checks,
    reply: str | None = None,
    hygiene: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "engine": engine,
        "facts": [f.text for f in facts],
        "passages": [asdict(s) for s in passages],
        "prompt": prompt,
        "raw_output": raw_output,
        # the model's reply as it came (reasoning, wrapping and all) and what the cleaning stage took out
        "reply": reply,
        "hygiene": hygiene,
        "citation_map": citation_map,
        "repairs": repairs,
        "checks": asdict(checks),
    }


# One record is bounded whatever the model sent: a text field keeps its first MAX_TEXT characters, a list its
# first MAX_ITEMS entries, each cut marked. (A looping model once made a 72 MB record.) Notes are at most
# 200,000 characters, so they are kept whole.
MAX_TEXT = 250_000
MAX_ITEMS = 2_000


def bounded(value: Any) -> Any:
    """A copy of a JSON-like value with long strings and lists cut, saying how much was cut."""
    if isinstance(value, str):
        if len(value) <= MAX_TEXT:
            return value
        return value[:MAX_TEXT] + f"……（审计记录截断：原长 {len(value):,} 字）"
    if isinstance(value, dict):
        return {k: bounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        head = [bounded(v) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            head.append(f"……（审计记录截断：共 {len(value):,} 项）")
        return head
    return value


def write_record(folder: Path, record: dict[str, Any], result: Draft) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{result.id}-{uuid.uuid4().hex[:6]}.json"
    full = dict(record)
    full["draft"] = result.to_json()
    tmp = path.with_suffix(".tmp")
    data = json.dumps(bounded(full), ensure_ascii=False, indent=1, default=str)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # other people's notes: owner only
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
