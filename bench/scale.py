"""Scale: ingest throughput, search latency and memory at 20,000+ chunks, and `zhibi search` wall time.

Usage: .venv/bin/python bench/scale.py [--copies 24] [--shared DIR] [--keep DIR]

1. Real ingest of ../shared/corpus (read, clean, chunk, embed with the bundled USE model, write to Chroma, build
   the BM25 cache): chunks/s end to end.
2. Scale-up: the corpus is written again under `--copies` new titles until there are 20,000+ chunks. Each copy goes
   through chunking, Chroma writes and BM25 tokenisation like any document, but reuses the vectors the real
   ingest computed for the same text (USE embeds ~100 chunks/s on two cores, so 20k chunks would take minutes of
   identical work); these chunks/s therefore exclude embedding.
3. Search latency (hybrid, dense, BM25) in-process over bench/queries.toml, after one warm-up query.
4. `zhibi search` wall time in a fresh process (start-up included), median of 5.
Prints a markdown table and writes bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.chunking import chunk_text  # noqa: E402
from retrieval.ingest import SourceDoc, collect  # noqa: E402
from zhibi.api import Workspace  # noqa: E402

TARGET = 20_000


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument(
        "--copies", type=int, default=0, help="copies of the corpus (default: enough for 20,000 chunks)"
    )
    ap.add_argument("--keep", help="use this home and keep it (default: a temporary folder)")
    args = ap.parse_args()
    corpus = Path(args.shared) / "corpus"
    if not (corpus / "manifest.toml").exists():
        print(f"skipped: {corpus} not found (pass --shared)", file=sys.stderr)
        return 0
    queries = [
        q["q"] for q in tomllib.loads((ROOT / "bench" / "queries.toml").read_text(encoding="utf-8"))["query"]
    ]

    with tempfile.TemporaryDirectory(prefix="zhibi-scale-") as tmp:
        home = Path(args.keep or tmp)
        ws = Workspace(home=str(home), chroma_url="", embed_base_url="")
        index = ws.index

        # 1. real ingest
        started = time.perf_counter()
        real = ws.ingest([str(corpus)])
        real_s = time.perf_counter() - started
        print(f"real ingest: {real.chunks} chunks in {real_s:.1f} s", file=sys.stderr)

        # 2. scale-up with reused vectors
        docs: list[SourceDoc] = collect([str(corpus)], {})
        col = index._collection()
        prepared = []
        for doc in docs:
            pieces = chunk_text(doc.text, ws.settings.chunk_tokens)
            ids = [c.id for c in ws.chunks(doc.meta.title)]
            got = col.get(ids=ids, include=["embeddings"])
            by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
            prepared.append((doc, pieces, [by_id[i] for i in ids]))
        per_copy = sum(len(p) for _, p, _ in prepared)
        copies = args.copies or -(-(TARGET - real.chunks) // per_copy)
        started = time.perf_counter()
        written = 0
        for n in range(1, copies + 1):
            for doc, pieces, vectors in prepared:
                copy = SourceDoc(
                    meta=replace(doc.meta, title=f"{doc.meta.title}（副本{n:02d}）"),
                    text=doc.text,
                    sha256=doc.sha256,
                )
                written += index.add_prepared(copy, pieces, vectors, bump=False)
            print(f"  copy {n}/{copies}: {written} chunks", file=sys.stderr)
        index._bump(col)
        write_s = time.perf_counter() - started
        started = time.perf_counter()
        total = col.count()
        index.lexical(col, total)  # what the first search after the change pays (then cached on disk)
        bm25_s = time.perf_counter() - started
        print(f"scaled to {total} chunks: writes {write_s:.1f} s, BM25 cache {bm25_s:.1f} s", file=sys.stderr)

        # 3. in-process latency; modes interleaved so that load from elsewhere on the box hits them alike
        modes = ("hybrid", "dense", "lexical")
        times: dict[str, list[float]] = {m: [] for m in modes}
        for mode in modes:
            ws.search(queries[0], 5, mode=mode)  # warm-up
        for _ in range(3):
            for q in queries:
                for mode in modes:
                    t0 = time.perf_counter()
                    ws.search(q, 5, mode=mode)
                    times[mode].append((time.perf_counter() - t0) * 1000)
        latency = {
            m: {"p50_ms": statistics.median(t), "p95_ms": percentile(t, 95), "n": len(t)}
            for m, t in times.items()
        }
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # Removing a document rewrites the BM25 cache (cached tokens reused), as any change does.
        started = time.perf_counter()
        ws.remove(f"{prepared[0][0].meta.title}（副本01）")
        refresh_s = time.perf_counter() - started

        # 4. CLI wall time, fresh process each time
        walls = []
        zhibi = Path(sys.executable).parent / "zhibi"
        cmd = [str(zhibi)] if zhibi.exists() else [sys.executable, "-m", "ui.cli"]
        for q in queries[:5]:
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*cmd, "--home", str(home), "search", q], capture_output=True, text=True, cwd=ROOT
            )
            walls.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
        # Peak RSS of one `zhibi search` run: VmHWM of that process (getrusage maxrss would count the forked
        # copy of this bench process).
        probe = (
            "import re,sys;from ui.cli import main;main(sys.argv[1:]);"
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
        )
        proc = subprocess.run(
            [sys.executable, "-c", probe, "--home", str(home), "search", queries[0]],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        cli_rss_mb = int(proc.stdout.strip().splitlines()[-1]) / 1024

    result = {
        "chunks": total,
        "real_ingest": {
            "chunks": real.chunks,
            "seconds": round(real_s, 2),
            "chunks_per_s": round(real.chunks / real_s, 1),
        },
        "scaled_ingest_without_embedding": {
            "chunks": written,
            "seconds": round(write_s, 2),
            "chunks_per_s": round(written / write_s, 1),
        },
        "bm25_cache_build_seconds": round(bm25_s, 2),
        "remove_one_document_seconds": round(refresh_s, 2),
        "search_ms": {m: {k: round(v, 1) for k, v in d.items()} for m, d in latency.items()},
        "peak_rss_mb": round(peak_rss_mb, 1),
        "cli_search_wall_s": {"median": round(statistics.median(walls), 2), "max": round(max(walls), 2)},
        "cli_peak_rss_mb": round(cli_rss_mb, 1),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"\nScale: {total} chunks ({copies} copies of the shared corpus on top of the real ingest)\n")
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| real ingest, shared corpus ({real.chunks} chunks, USE embedding) | {real_s:.1f} s, {real.chunks / real_s:.0f} chunks/s |"
    )
    print(
        f"| scaled ingest, vectors reused ({written} chunks) | {write_s:.1f} s, {written / write_s:.0f} chunks/s |"
    )
    print(f"| BM25 cache build, jieba for the {written} new chunks included | {bm25_s:.1f} s |")
    print(
        f"| remove one document at {total} chunks (BM25 cache refreshed, cached tokens reused) | {refresh_s:.1f} s |"
    )
    for mode, d in latency.items():
        print(f"| search {mode}, in-process | p50 {d['p50_ms']:.1f} ms, p95 {d['p95_ms']:.1f} ms |")
    print(f"| peak RSS, bench process | {peak_rss_mb:.0f} MB |")
    print(
        f"| `zhibi search` wall (fresh process) | median {statistics.median(walls):.2f} s, max {max(walls):.2f} s |"
    )
    print(f"| peak RSS, `zhibi search` | {cli_rss_mb:.0f} MB |")
    print(
        f"| 1-min load average at the end (2 cores; other work on the box inflates times) | {os.getloadavg()[0]:.2f} |"
    )
    out = ROOT / "bench" / "results" / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\n({out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
