"""How many wrong claims the checks catch, and how many false alarms right drafts and the shared cases raise.

    .venv/bin/python bench/claims_bench.py [--no-eval]

1. bench/claims.toml: per case a right draft (`good`) and the same draft with one wrong claim (`bad`), verified
   against the case's notes with drafting.checks.verify.verify_section. Caught = the bad draft raises an item the good
   one does not (red items counted apart); false alarm = any red item on a good draft.
2. Citation relevance: the score of every citation the offline engine writes (shared corpus with the statutes
   when present, else the bundled one) for notes of its own (bench/claims_notes.md), relevant,
   against the same quotes paired with another section's sentences (unrelated), to place RELEVANCE.
3. The shared eval cases (../shared/eval/cases) drafted by the offline engine: every red item of the new checks
   is a false alarm, and every amber one is counted.

Writes bench/results/claims.json.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import DEFAULT_OUTLINE  # noqa: E402
from core.types import CHECK_NAMES, RED_CHECKS, Checks, Section, Source  # noqa: E402
from drafting.checks.verify import Evidence, verify_section  # noqa: E402
from drafting.notes import parse_notes  # noqa: E402
from drafting.outline import load_outline  # noqa: E402
from drafting.text.relevance import RELEVANCE, relevance  # noqa: E402

SHARED = ROOT.parent / "shared"


def _items(checks: Checks, names: tuple[str, ...]) -> set[str]:
    return {f"{n}:{i}" for n in names for i in getattr(checks, n)}


def run_case(case: dict, past: str) -> tuple[Checks, Checks]:
    outline = load_outline(DEFAULT_OUTLINE)
    notes = "\n".join(case["notes"])
    parsed = parse_notes(notes, outline, year=2024)
    sources: dict[int, Source] = {}
    docs: dict[str, str] = {}
    if "source" in case:
        src = case["source"]
        sources[1] = Source(1, src["title"], "law", "", src["quote"], role="basis")
        docs[src["title"]] = src["quote"]
    evidence = Evidence(
        notes_text=notes,
        facts=parsed.facts,
        past_reports=[past],
        year=2024,
        all_facts=parsed.facts,
        unit=case["unit"],
    )
    out = []
    for text in (case["good"], case["bad"]):
        section = Section("measures", "", text)
        out.append(verify_section(section, sources, evidence, lambda t: docs.get(t, "")))
    return out[0], out[1]


def wrong_claims(data: dict) -> dict:
    per_kind: dict[str, dict] = {}
    misses, alarms = [], []
    for case in data["case"]:
        good, bad = run_case(case, data["past_report"])
        kind = per_kind.setdefault(
            case["kind"], {"cases": 0, "caught": 0, "caught_red": 0, "false_alarms": 0}
        )
        kind["cases"] += 1
        new = _items(bad, CHECK_NAMES) - _items(good, CHECK_NAMES)
        new_red = _items(bad, RED_CHECKS) - _items(good, RED_CHECKS)
        if new:
            kind["caught"] += 1
        else:
            misses.append(case["bad"])
        if new_red:
            kind["caught_red"] += 1
        if good.problems():
            kind["false_alarms"] += 1
            alarms.append({"draft": case["good"], "items": sorted(_items(good, RED_CHECKS))})
    total = {
        k: sum(v[k] for v in per_kind.values()) for k in ("cases", "caught", "caught_red", "false_alarms")
    }
    return {"per_kind": per_kind, "total": total, "missed": misses, "false_alarms_on_good": alarms}


def citation_threshold(more=None) -> dict:  # noqa: ANN001 - a Workspace to draft the shared cases again
    """Scores of the offline engine's own citations (relevant) against mismatched pairs (unrelated)."""
    import tempfile

    from core.config import BUNDLED_CORPUS
    from zhibi.api import Workspace

    home = Path(tempfile.mkdtemp(prefix="zhibi-claims-"))
    ws = Workspace(home=str(home), chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")
    shared = SHARED / "corpus"
    # The statutes (citable basis) are in the shared corpus; the bundled one holds past reports only.
    corpus = shared if (shared / "manifest.toml").exists() else BUNDLED_CORPUS
    ws.ingest([str(corpus)])
    notes = (ROOT / "bench" / "claims_notes.md").read_text(encoding="utf-8")
    import drafting.checks.evidence as evidence_module

    # The engine's citations as it writes them: no relevance repair while drafting for this measure.
    evidence_module.RELEVANCE = 0.0
    try:
        drafts = [ws.draft(notes, unit="某区交通运输局", year=2024, engine="offline")]
        if more is not None:
            drafts.extend(shared_cases(more)[1])
    finally:
        evidence_module.RELEVANCE = RELEVANCE
    relevant, unrelated = [], []
    low = []
    for draft in drafts:
        by_id = {s.id: s for s in draft.sources}
        pairs = []
        sentences = []
        for sec in draft.sections:
            for row in sec.evidence:
                sentences.append((sec.key, sec.heading, row.sentence))
                for n in row.sources:
                    if n in by_id and by_id[n].role == "basis":
                        pairs.append((sec.key, sec.heading, row.sentence, by_id[n]))
        for key, heading, sentence, src in pairs:
            relevant.append(relevance(sentence, src, heading))
            if relevant[-1] < RELEVANCE:
                low.append(
                    {
                        "score": round(relevant[-1], 3),
                        "sentence": sentence,
                        "quote": src.quote,
                        "title": src.title,
                    }
                )
            # The same quote against the sentences of the other sections of this draft: unrelated topics.
            for key2, heading2, sentence2 in sentences:
                if key2.split(".")[0] == "measures" and key2 != key and len(sentence2) > 12:
                    unrelated.append(relevance(sentence2, src, heading2))
    return {
        "relevant_pairs": len(relevant),  # every statute citation the engine wrote
        "relevant_min": round(min(relevant), 3) if relevant else None,
        "relevant_below_threshold": sum(1 for r in relevant if r < RELEVANCE),
        "relevant_median": round(sorted(relevant)[len(relevant) // 2], 3) if relevant else None,
        "unrelated_median": round(sorted(unrelated)[len(unrelated) // 2], 3) if unrelated else None,
        "unrelated_pairs": len(unrelated),
        "unrelated_max": round(max(unrelated), 3) if unrelated else None,
        "unrelated_at_or_above_threshold": sum(1 for r in unrelated if r >= RELEVANCE),
        "threshold": RELEVANCE,
        "engine_citations_below_threshold": low,
        "sweep": {
            f"{t:.2f}": {
                "relevant_below": sum(1 for r in relevant if r < t),
                "unrelated_at_or_above": sum(1 for r in unrelated if r >= t),
            }
            for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
        },
        "corpus": str(corpus.name if corpus == BUNDLED_CORPUS else "shared corpus (reports + statutes)"),
    }


def shared_cases(ws=None) -> tuple[dict, list]:
    cases = SHARED / "eval" / "cases"
    if not cases.is_dir():
        return {"skipped": f"no {cases}"}, []
    import tempfile

    from zhibi.api import Workspace
    from zhibi.evaluate import run_cases

    if ws is None:
        home = Path(tempfile.mkdtemp(prefix="zhibi-claims-eval-"))
        ws = Workspace(home=str(home), chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")
    drafts = []
    import zhibi.evaluate as ev

    original = ev.measure

    def keep(draft, *args, **kwargs):
        drafts.append(draft)
        return original(draft, *args, **kwargs)

    ev.measure = keep
    try:
        results = run_cases(ws, cases)
    finally:
        ev.measure = original
    out = {
        "cases": len(results),
        "clean": sum(1 for r in results if r.clean),
        "red": {},
        "amber": {},
        "level": {},
    }
    for result, draft in zip(results, drafts, strict=True):
        red = {n: getattr(draft.checks, n) for n in RED_CHECKS if getattr(draft.checks, n)}
        amber = {
            n: getattr(draft.checks, n)
            for n in ("sentences_unsupported", "style")
            if getattr(draft.checks, n)
        }
        out["red"][result.name] = red
        out["amber"][result.name] = amber
        out["level"][result.name] = draft.status.level
    out["false_alarms"] = sum(len(v) for r in out["red"].values() for v in r.values())
    return out, drafts


def main() -> None:
    started = time.perf_counter()
    data = tomllib.loads((ROOT / "bench" / "claims.toml").read_text(encoding="utf-8"))
    report = {"wrong_claims": wrong_claims(data)}
    if "--no-eval" not in sys.argv:
        import tempfile

        from zhibi.api import Workspace

        ws = Workspace(
            home=tempfile.mkdtemp(prefix="zhibi-claims-eval-"),
            chroma_url="",
            embed_base_url="",
            llm_base_url="",
            llm_api_key="",
        )
        shared, _ = shared_cases(ws)
        report["shared_cases"] = shared
        report["citation_relevance"] = citation_threshold(ws if shared.get("cases") else None)
    report["seconds"] = round(time.perf_counter() - started, 1)
    out = ROOT / "bench" / "results" / "claims.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=asdict), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1, default=asdict))


if __name__ == "__main__":
    main()
