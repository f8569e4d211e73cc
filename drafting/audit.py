"""The audit record of a drafting run: what went in (notes, placed facts, passages, prompts) and what came out.

One JSON file per run under settings.audit_dir, written atomically, so a reviewer can trace every sentence of
a draft to the facts, passages and model replies behind it.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from zhibi.types import Checks, Draft, Fact, ParsedNotes, Source


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


def write_record(folder: Path, record: dict[str, Any], result: Draft) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{result.id}-{uuid.uuid4().hex[:6]}.json"
    full = dict(record)
    full["draft"] = result.to_json()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(full, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)
    return path
