"""The LLM path's own cost per section, against the fake OpenAI server (it answers at once, so what is measured
is ours: retrieval, prompt building, reply hygiene, checks), the prompt size in tokens per section, and what a
dead model costs a whole report with and without the switch-off after consecutive failures.

Usage: .venv/bin/python bench/llm_overhead.py [--runs 3] [--dead]
Notes: ../shared/eval/cases/d2-full-report-2022 (the bundled corpus plus ../shared/corpus when present).
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

from fake_openai import FakeOpenAI  # noqa: E402

import drafting.engines.llm.engine as engine_llm  # noqa: E402
from core.config import BUNDLED_CORPUS, resolve_settings  # noqa: E402
from drafting.prompting import count_tokens  # noqa: E402
from zhibi.api import Workspace  # noqa: E402

SHARED = ROOT.parent / "shared"
UNIT, YEAR = "某区交通运输局", 2023


class Stopwatch:
    """Milliseconds spent in a function, summed over calls."""

    def __init__(self, owner: object, name: str) -> None:
        self.owner, self.name, self.ms, self.calls = owner, name, 0.0, 0
        self.original = getattr(owner, name)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.ms += (time.perf_counter() - t) * 1000
                self.calls += 1

        setattr(owner, name, timed)

    def reset(self) -> None:
        self.ms, self.calls = 0.0, 0


def overhead(ws: Workspace, notes: str, runs: int) -> dict[str, object]:
    prompt = Stopwatch(engine_llm.LLMEngine, "build_messages")
    hygiene = Stopwatch(engine_llm, "clean")
    per_run = []
    with FakeOpenAI(piece_chars=8) as fake:
        fake.default = ("echo_facts",)
        llm = Workspace(
            resolve_settings(
                home=ws.settings.home, llm_base_url=fake.base_url, llm_api_key="k", llm_retries=0
            )
        )
        llm.draft(notes, unit=UNIT, year=YEAR, engine="llm")  # warm-up: client import, caches
        for _ in range(runs):
            prompt.reset()
            hygiene.reset()
            before = len(fake.chat_requests())
            t = time.perf_counter()
            draft = llm.draft(notes, unit=UNIT, year=YEAR, engine="llm")
            wall = (time.perf_counter() - t) * 1000
            bodies = fake.chat_requests()[before:]
            sections = [b for b in bodies if len(b["messages"]) == 2]
            n = len(sections)
            tokens = [sum(count_tokens(m["content"]) + 4 for m in b["messages"]) for b in sections]
            per_run.append(
                {
                    "sections": n,
                    "requests": len(bodies),
                    "retrieval_ms": draft.timings.get("retrieve", 0) / n,
                    "prompt_ms": prompt.ms / n,
                    "hygiene_ms": hygiene.ms / n,
                    "checks_ms": draft.timings.get("verify", 0) / n,
                    "wall_ms_per_section": wall / n,
                    "prompt_tokens_median": statistics.median(tokens),
                    "prompt_tokens_max": max(tokens),
                    "repairs": sum(
                        1 for s in draft.sections for w in s.warnings if w.startswith("已请大模型")
                    ),
                }
            )
    keys = [k for k in per_run[0] if k.endswith("_ms") or k.endswith("_per_section")]
    result = {k: round(statistics.median(r[k] for r in per_run), 1) for k in keys}
    result["own_ms_per_section"] = round(
        sum(result[k] for k in ("retrieval_ms", "prompt_ms", "hygiene_ms", "checks_ms")), 1
    )
    for k in ("sections", "requests", "prompt_tokens_median", "prompt_tokens_max", "repairs"):
        result[k] = per_run[-1][k]
    return result


def dead_model(ws: Workspace, notes: str, threshold: int) -> dict[str, object]:
    with FakeOpenAI() as fake:
        fake.default = ("sleep", 30)
        settings = resolve_settings(
            home=ws.settings.home,
            llm_base_url=fake.base_url,
            llm_api_key="k",
            llm_timeout=2.0,
            llm_retries=2,
            llm_failures_before_offline=threshold,
        )
        dead = Workspace(settings)
        t = time.perf_counter()
        draft = dead.draft(notes, unit=UNIT, year=YEAR, engine="auto")
        return {
            "threshold": threshold,
            "seconds": round(time.perf_counter() - t, 1),
            "requests": len(fake.chat_requests()),
            "model_warnings": sum(1 for s in draft.sections for w in s.warnings if "大模型" in w),
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dead", action="store_true", help="also time a dead model (about 2 minutes)")
    args = parser.parse_args()
    notes_path = SHARED / "eval/cases/d2-full-report-2022/notes.md"
    if not notes_path.exists():
        print("../shared is absent: the benchmark drafts the d2 eval notes")
        return 1
    notes = notes_path.read_text(encoding="utf-8")
    ws = Workspace(resolve_settings(home=Path(tempfile.mkdtemp(prefix="zhibi-llm-bench-"))))
    paths = [str(BUNDLED_CORPUS)] + ([str(SHARED / "corpus")] if (SHARED / "corpus").exists() else [])
    ws.ingest(paths)
    results: dict[str, object] = {"overhead": overhead(ws, notes, args.runs)}
    if args.dead:
        results["dead_model_guard_off"] = dead_model(ws, notes, 0)
        results["dead_model_guard_on"] = dead_model(ws, notes, 3)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    out = ROOT / "bench/results/llm_overhead.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
