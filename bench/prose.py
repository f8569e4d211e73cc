"""Prose quality of the offline engine: closeness to the published report and spoken register left in drafts.

1. Character-bigram F1 (drafting/evaluate.py) against the real published report, on the shared eval cases that
   name a `reference`: the raw notes' own F1 beside the draft's. Target: draft mean >= notes mean + 0.10.
   The draft is compared as delivered, headings included, because the reference holds its headings too (a
   section's reference starts at its heading line); the body alone is printed beside it.
2. Spoken-register words (the list quoted in ../shared/eval/README.md, "no spoken register survives (...)") in
   the drafts of every shared case and of the other-bureau notes under bench/placement/cases (notes nobody
   tuned rules on). Target: 0.

Usage: .venv/bin/python bench/prose.py [--home DIR] [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import resolve_settings  # noqa: E402
from drafting.text.numbers import CITATION  # noqa: E402
from zhibi.api import Workspace  # noqa: E402
from zhibi.evaluate import _reference_text, bigram_f1, delivered_text, workspace_for  # noqa: E402

SHARED = ROOT.parent / "shared"
# Other bureaus' notes: the placement benchmark's, and notes in further shapes written for this check.
OTHER_NOTES = (ROOT / "bench" / "placement" / "cases", ROOT / "bench" / "prose_notes")


def spoken_words(readme: Path) -> list[str]:
    """The quoted words of the README's spoken-register rule."""
    text = readme.read_text(encoding="utf-8")
    m = re.search(r"no\s+spoken\s+register\s+survives\s+\((.*?)and the like", text, re.S)
    return re.findall(r'"([^"]+)"', m.group(1)) if m else []


def draft_text(d) -> str:
    """The body alone (no headings, no [n])."""
    return CITATION.sub("", "\n".join(s.text for s in d.sections))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="reuse an index home (default: a temporary one)")
    parser.add_argument("--show", action="store_true", help="print every draft")
    args = parser.parse_args()
    cases = SHARED / "eval" / "cases"
    if not cases.is_dir():
        print("../shared is absent: the benchmark drafts the shared eval cases")
        return 1
    words = spoken_words(SHARED / "eval" / "README.md")
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="zhibi-prose-"))
    ws = Workspace(resolve_settings(home=home))
    corpus = SHARED / "corpus"
    rows, spoken_hits, timings = [], [], []
    for folder in sorted(p for p in cases.iterdir() if (p / "case.toml").exists()):
        case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        notes = (folder / "notes.md").read_text(encoding="utf-8")
        files = sorted({str(p) for g in case.get("index", []) for p in corpus.glob(g) if p.is_file()})
        case_ws = workspace_for(ws, files)
        section = case.get("section") if case.get("scope") == "section" else None
        t = time.perf_counter()
        d = case_ws.draft(notes, unit=case["unit"], year=int(case["year"]), section=section, engine="offline")
        timings.append(time.perf_counter() - t)
        text = draft_text(d)
        spoken_hits += [(folder.name, w) for w in words if w in text]
        if args.show:
            print(f"===== {folder.name}\n{text}\n")
        if ref := case.get("reference"):
            reference = _reference_text(corpus / ref, case.get("reference_heading", ""))
            rows.append(
                (
                    folder.name,
                    bigram_f1(notes, reference),
                    bigram_f1(delivered_text(d), reference),
                    bigram_f1(text, reference),
                )
            )
    other = sorted(p for folder in OTHER_NOTES if folder.is_dir() for p in folder.glob("*.toml"))
    other_ws = workspace_for(ws, sorted(str(p) for p in (corpus / "laws").glob("*") if p.is_file()))
    for path in other:
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        d = other_ws.draft(case["notes"], unit=case["unit"], year=int(case["year"]), engine="offline")
        text = draft_text(d)
        spoken_hits += [(path.stem, w) for w in words if w in text]
        if args.show:
            print(f"===== {path.stem}\n{text}\n")
    print("| case | bigram-F1 raw notes | bigram-F1 draft (as delivered) | gain | draft body only |")
    print("|---|---|---|---|---|")
    for name, notes_f1, draft_f1, body_only in rows:
        print(f"| {name} | {notes_f1:.3f} | {draft_f1:.3f} | {draft_f1 - notes_f1:+.3f} | {body_only:.3f} |")
    notes_mean = statistics.mean(r[1] for r in rows)
    draft_mean = statistics.mean(r[2] for r in rows)
    body_mean = statistics.mean(r[3] for r in rows)
    print(
        f"| mean | {notes_mean:.3f} | {draft_mean:.3f} | {draft_mean - notes_mean:+.3f} (target >= +0.10) "
        f"| {body_mean:.3f} |"
    )
    print(
        f"spoken-register words left: {len(spoken_hits)} in drafts of {len(list(cases.iterdir()))} shared cases "
        f"and {len(other)} other-bureau notes (list: {'、'.join(words)})"
    )
    for name, w in spoken_hits:
        print(f"  {name}: {w}")
    results = {
        "bigram_f1": {
            name: {"notes": round(n, 3), "draft": round(dr, 3), "draft_body_only": round(h, 3)}
            for name, n, dr, h in rows
        },
        "bigram_f1_mean": {
            "notes": round(notes_mean, 3),
            "draft": round(draft_mean, 3),
            "draft_body_only": round(body_mean, 3),
        },
        "spoken_left": len(spoken_hits),
        "other_notes": len(other),
        "max_case_seconds": round(max(timings), 2),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "prose.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    ok = draft_mean >= notes_mean + 0.10 and not spoken_hits
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
