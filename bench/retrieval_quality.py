"""Retrieval quality on ../shared/corpus: recall@5 and MRR@10 for hybrid, dense-only and BM25-only search (and plain RRF).

Usage: .venv/bin/python bench/retrieval_quality.py [--home DIR] [--shared DIR] [--show-misses]
Ingests the shared corpus into a temporary home (or --home), runs bench/queries.toml in the three modes,
prints a markdown table and writes bench/results/retrieval_quality.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.search import search as run_search  # noqa: E402
from zhibi.api import Workspace  # noqa: E402

# (row label, search mode, fusion); "hybrid (RRF)" is plain reciprocal rank fusion, k=60, for comparison.
MODES = ("hybrid", "dense", "lexical", "hybrid-rrf")
LABELS = {
    "hybrid": "hybrid (z-score fusion)",
    "dense": "dense only (USE)",
    "lexical": "BM25 only",
    "hybrid-rrf": "hybrid (plain RRF k=60)",
}
RECALL_AT = 5
MRR_AT = 10


def load_queries(path: Path) -> list[dict]:
    queries = tomllib.loads(path.read_text(encoding="utf-8"))["query"]
    for q in queries:
        assert {"q", "title", "expect"} <= set(q), q
    return queries


def rank_of(hits, query: dict) -> int | None:
    for i, h in enumerate(hits, 1):
        if h.title == query["title"] and query["expect"] in h.text:
            return i
    return None


def evaluate(ws: Workspace, queries: list[dict]) -> dict:
    results: dict[str, dict] = {}
    ws.search("法治政府建设", 1)  # load the model and the BM25 cache before timing
    for mode in MODES:
        ranks, latencies = [], []
        for q in queries:
            started = time.perf_counter()
            if mode == "hybrid-rrf":
                hits = run_search(ws.index, q["q"], MRR_AT, mode="hybrid", fusion="rrf")
            else:
                hits = ws.search(q["q"], MRR_AT, mode=mode)
            latencies.append((time.perf_counter() - started) * 1000)
            ranks.append(rank_of(hits, q))
        n = len(queries)
        results[mode] = {
            "recall@5": sum(1 for r in ranks if r is not None and r <= RECALL_AT) / n,
            "mrr@10": sum(1.0 / r for r in ranks if r is not None) / n,
            "mean_ms": sum(latencies) / n,
            "ranks": ranks,
        }
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", help="reuse this ZHIBI_HOME (default: a fresh temporary one)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--queries", default=str(ROOT / "bench" / "queries.toml"))
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()

    corpus = Path(args.shared) / "corpus"
    if not (corpus / "manifest.toml").exists():
        print(f"skipped: {corpus} not found (pass --shared)", file=sys.stderr)
        return 0
    queries = load_queries(Path(args.queries))
    with tempfile.TemporaryDirectory(prefix="zhibi-bench-") as tmp:
        ws = Workspace(home=args.home or tmp)
        report = ws.ingest([str(corpus)])
        for q in queries:  # every expectation must be satisfiable, or the query set is wrong
            if q["expect"] not in ws.index.document_text(q["title"]):
                raise SystemExit(f"queries.toml: {q['expect']!r} is not in 《{q['title']}》")
        results = evaluate(ws, queries)
        chunks = sum(d.chunks for d in ws.documents())

    print(f"\nRetrieval quality: {len(queries)} queries, {chunks} chunks, ingest {report.seconds:.1f} s\n")
    print("| mode | recall@5 | MRR@10 | mean latency |")
    print("|---|---|---|---|")
    for mode in MODES:
        r = results[mode]
        print(f"| {LABELS[mode]} | {r['recall@5']:.3f} | {r['mrr@10']:.3f} | {r['mean_ms']:.1f} ms |")
    if args.show_misses:
        for mode in MODES:
            for q, rank in zip(queries, results[mode]["ranks"], strict=True):
                if rank is None or rank > 1:
                    print(f"{mode:8} rank={rank}  {q['q']}")
    out = ROOT / "bench" / "results" / "retrieval_quality.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "queries": len(queries),
        "chunks": chunks,
        "ingest_seconds": round(report.seconds, 2),
        "modes": {
            m: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
            for m, r in results.items()
        },
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    best = {k: max(results["dense"][k], results["lexical"][k]) for k in ("recall@5", "mrr@10")}
    ok = all(results["hybrid"][k] >= best[k] for k in best)
    print(
        f"\nhybrid >= best single mode on both measures: {'yes' if ok else 'NO'}  ({out.relative_to(ROOT)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
