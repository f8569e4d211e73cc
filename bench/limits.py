"""Time and memory against input size, up to and past the limits of issue 22 (results in bench/results/limits.json).

Each measurement runs in a fresh process, so its peak memory (ru_maxrss, minus the process's size before the
work) is its own. Inputs:
- notes: N lines of realistic notes (figures, offices, topics) and N one-character lines (the hostile shape),
  drafted by the offline engine over the bundled corpus; past MAX_NOTES_LINES the refusal is timed.
- .docx: N empty paragraphs (the 82 KB bomb has 5.2 million), read as an upload is read.
- ingest: a statute-like text of N KB, chunked, embedded and written.

    python bench/limits.py            # all (a few minutes on 2 cores)
    python bench/limits.py --quick    # the smaller sizes only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "limits.json"
OFFICES = ["法规股", "执法大队", "审批股", "办公室", "安全股"]
TOPICS = ["执法", "复议应诉", "普法", "审批", "监督", "学法"]


def realistic_notes(lines: int) -> str:
    out = []
    for i in range(lines):
        office, topic = OFFICES[i % len(OFFICES)], TOPICS[i % len(TOPICS)]
        out.append(
            f"{office}：{topic}方面开展第{i % 97 + 1}批专项检查，检查企业{i % 300 + 5}家，整改问题{i % 41 + 1}个"
        )
    return "\n".join(out)


def docx_bytes(paragraphs: int) -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_failures import _docx_of

    return _docx_of(paragraphs)


def statute(kb: int) -> str:
    article = "第{n}条 行政机关实施行政处罚，应当遵循公正、公开的原则，以事实为依据，与违法行为的性质、情节以及社会危害程度相当。\n"
    out, n = [], 1
    while sum(len(x.encode()) for x in out) < kb * 1024:
        out.append(article.format(n=n))
        n += 1
    return "".join(out)


def one(kind: str, size: int, home: str) -> dict:
    """Run one measurement in this process; returns seconds, peak MB above the start, and the outcome."""
    sys.path.insert(0, str(ROOT))
    from core.errors import ZhibiError
    from zhibi.api import Workspace

    ws = Workspace(home=home, chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")
    if kind.startswith("notes"):
        ws.drafter.warm()
        text = realistic_notes(size) if kind == "notes" else "\n".join("甲" for _ in range(size))
    elif kind == "docx":
        from retrieval.ingest import read_text_file

        path = Path(tempfile.mkdtemp()) / "n.docx"
        path.write_bytes(docx_bytes(size))
    else:
        path = Path(tempfile.mkdtemp()) / f"条例{size}.txt"
        path.write_text(statute(size), encoding="utf-8")
        ws.index.embedder.embed(["预热"])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    outcome = "ok"
    try:
        if kind.startswith("notes"):
            draft = ws.draft(text, unit="某县交通运输局", year=2024, engine="offline")
            outcome = f"ok ({draft.status.level})"
        elif kind == "docx":
            read_text_file(path)
        else:
            ws.ingest([path], kind="law")
    except ZhibiError as exc:
        outcome = f"refused: {exc.message[:60]}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "kind": kind,
        "size": size,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak - before),  # above the process before the work (index, model and code loaded)
        "process_peak_mb": round(peak),
        "outcome": outcome,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=3, metavar=("KIND", "SIZE", "HOME"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.one:
        kind, size, home = args.one
        print(json.dumps(one(kind, int(size), home), ensure_ascii=False))
        return 0
    sys.path.insert(0, str(ROOT))
    home = tempfile.mkdtemp(prefix="zhibi-limits-")
    from core.config import BUNDLED_CORPUS
    from zhibi.api import Workspace

    Workspace(home=home, chroma_url="", embed_base_url="").ingest([BUNDLED_CORPUS])
    plan = [
        ("notes", [100, 500, 1000, 10_000]),
        ("notes-1char", [1000, 10_000]),
        ("docx", [10_000, 100_000, 190_000, 5_200_000]),
        ("ingest", [50, 200, 1000]),
    ]
    if args.quick:
        plan = [(k, sizes[:2] + sizes[-1:]) for k, sizes in plan]
    rows = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for kind, sizes in plan:
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, str(size), home],
                capture_output=True,
                text=True,
                env=env,
                timeout=1800,
            )
            if out.returncode != 0:
                row = {"kind": kind, "size": size, "error": out.stderr.strip().splitlines()[-1:]}
            else:
                row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
