"""Drafting speed, in-process after warm-up: offline whole report (d2 notes), one section, LLM overhead.

Targets: whole report < 2 s, one section < 0.5 s, our own per-section overhead with an LLM < 300 ms
(the fake server answers at once, so what is measured is retrieval, prompt building and checks).
Usage: .venv/bin/python bench/drafting_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from core.config import resolve_settings  # noqa: E402
from zhibi.api import Workspace  # noqa: E402

SHARED = ROOT.parent / "shared"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", help="reuse an index home (default: a temporary one)")
    args = parser.parse_args()
    notes_path = SHARED / "eval/cases/d2-full-report-2022/notes.md"
    section_path = SHARED / "eval/cases/d1-enforcement-2022/notes.md"
    if not notes_path.exists():
        print("../shared is absent: the benchmark drafts the d2/d1 eval notes")
        return 1
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="zhibi-bench-"))
    ws = Workspace(resolve_settings(home=home))
    if not ws.documents():
        t = time.perf_counter()
        ws.ingest([str(SHARED / "corpus")])
        print(f"ingest of ../shared/corpus: {time.perf_counter() - t:.1f} s")
    notes, section_notes = notes_path.read_text(encoding="utf-8"), section_path.read_text(encoding="utf-8")
    ws.draft(notes, unit="某区交通运输局", year=2023, engine="offline")  # warm-up

    def timed(fn) -> list[float]:
        out = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return out

    report = timed(lambda: ws.draft(notes, unit="某区交通运输局", year=2023, engine="offline"))
    section = timed(
        lambda: ws.draft(
            section_notes, unit="某区交通运输局", year=2023, section="measures.enforcement", engine="offline"
        )
    )
    from fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        fake.default = ("text", "全年行政处罚326件，罚款218.6万元。")
        lw = Workspace(resolve_settings(home=home, llm_base_url=fake.base_url, llm_api_key="k"))
        lw.draft(
            section_notes, unit="某区交通运输局", year=2023, section="measures.enforcement", engine="llm"
        )
        llm_runs = []
        for _ in range(args.runs):
            d = lw.draft(
                section_notes, unit="某区交通运输局", year=2023, section="measures.enforcement", engine="llm"
            )
            llm_runs.append(d.timings["total_ms"] - d.timings.get("compose", 0.0))
    rows = [
        ("offline whole report (d2 notes)", report, 2000),
        ("offline one section (d1 notes)", section, 500),
        ("LLM path: our overhead per section", llm_runs, 300),
    ]
    print("| measure | median ms | max ms | target ms |")
    print("|---|---|---|---|")
    results = {}
    for name, values, target in rows:
        print(f"| {name} | {statistics.median(values):.0f} | {max(values):.0f} | < {target} |")
        results[name] = {"median_ms": statistics.median(values), "max_ms": max(values), "target_ms": target}
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "drafting_speed.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
