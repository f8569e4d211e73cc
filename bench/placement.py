"""Placement benchmark: is every notes line placed in the right part of the outline?

(a) every `[[place]]` line of the shared eval cases (../shared/eval/cases);
(b) the notes of bench/placement/cases/*.toml: the shared notes rewritten in other shapes and notes of other
    bureaus, each line labelled with its expected key (a part key also accepts its sub-keys), plus the covering
    lines that must not become facts;
(d) the notes of bench/placement/heldout/*.toml: notes of bureaus none of (b) covers, written before any rule was
    tuned on (b) and never looked at while tuning: they tell whether a change generalises;
(c) the sentences of the bundled reports (corpus/reports) under their own headings, each placed with a sentence
    bank built from the *other* reports only.
Placement uses what a workspace has: the outline lexicon and cues, and the indexed past reports of the bundled
corpus written before the notes' year (so a report is never the answer key for its own notes).
Usage: .venv/bin/python bench/placement.py [--verbose] [--json bench/results/placement.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import BUNDLED_CORPUS, DEFAULT_OUTLINE, resolve_settings  # noqa: E402
from core.types import Fact  # noqa: E402
from drafting.notes import parse_notes  # noqa: E402
from drafting.notes.placement import Placer, SentenceBank, bank_from_corpus, report_sentences  # noqa: E402
from drafting.notes.reading import NoteLine  # noqa: E402
from drafting.outline import load_outline  # noqa: E402
from zhibi.api import Workspace  # noqa: E402

CASES = ROOT / "bench" / "placement" / "cases"
HELDOUT = ROOT / "bench" / "placement" / "heldout"
SHARED_CASES = ROOT.parent / "shared" / "eval" / "cases"


def accepts(expected: str | list[str], key: str) -> bool:
    wanted = [expected] if isinstance(expected, str) else expected
    return any(key == w or key.startswith(w + ".") for w in wanted)


def fact_for(facts: list[Fact], line_no: int, text: str) -> Fact | None:
    """The fact a label names: the one from that line sharing most characters with the labelled text."""
    from drafting.text.normalize import to_fullwidth

    mine = [f for f in facts if f.line_no == line_no]
    if not mine:
        return None
    want = to_fullwidth(text.replace("\t", ""))
    return max(mine, key=lambda f: (want in f.text, len(set(want) & set(f.text))))


def run_shape_cases(folder: Path, outline, banks, verbose: bool) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = defaultdict(list)
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        notes, year = data["notes"], int(data["year"])
        lines = notes.splitlines()
        parsed = parse_notes(notes, outline, year=year, bank=banks(year))
        for label in data.get("line", []):
            line_no = next(n for n, line in enumerate(lines, 1) if label["text"] in line)
            fact = fact_for(parsed.facts, line_no, label["text"])
            ok = fact is not None and accepts(label["key"], fact.key)
            results[data["shape"]].append(ok)
            if verbose and not ok:
                got = f"{fact.key} ({fact.reason})" if fact else "not a fact"
                print(
                    f"  {path.stem}:{line_no} want {label['key']}, got {got}: {lines[line_no - 1].strip()[:60]}"
                )
        for needle in data.get("covering", []):
            line_no = next(n for n, line in enumerate(lines, 1) if needle in line)
            ok = not any(f.line_no == line_no for f in parsed.facts)
            results[data["shape"] + " (covering)"].append(ok)
            if verbose and not ok:
                print(
                    f"  {path.stem}:{line_no} covering line became a fact: {lines[line_no - 1].strip()[:60]}"
                )
    return results


def run_shared_cases(outline, banks, verbose: bool) -> list[bool]:
    out = []
    for case in sorted(SHARED_CASES.glob("*/case.toml")):
        data = tomllib.loads(case.read_text(encoding="utf-8"))
        if not data.get("place"):
            continue
        notes = (case.parent / "notes.md").read_text(encoding="utf-8")
        year = int(data["year"])
        parsed = parse_notes(notes, outline, year=year, bank=banks(year))
        for place in data["place"]:
            from drafting.text.normalize import to_fullwidth

            holders = [f for f in parsed.facts if to_fullwidth(place["text"]) in f.text]
            ok = bool(holders) and all(accepts(place["in"], f.key) for f in holders)
            out.append(ok)
            if verbose and not ok:
                got = [(f.key, f.reason) for f in holders] or "not a fact"
                print(f"  {case.parent.name}: {place['text']} want {place['in']}, got {got}")
    return out


def run_report_sentences(ws: Workspace, outline, verbose: bool) -> dict[str, list[bool]]:
    from drafting.sources.prior import map_report

    results: dict[str, list[bool]] = defaultdict(list)
    reports = [d for d in ws.documents() if d.kind == "report"]
    for doc in reports:
        others = []
        for other in reports:
            if other.title == doc.title:
                continue
            for key, section in map_report(ws.chunks(other.title), outline).items():
                others.extend((key, other.title, s) for s in report_sentences(section.text))
        placer = Placer(outline, SentenceBank(others), year=doc.year)
        for key, section in map_report(ws.chunks(doc.title), outline).items():
            part = next((c.part for c in section.chunks if c.part), "")
            chain = [h for h in (part, section.heading) if h]
            for n, sentence in enumerate(report_sentences(section.text)):
                for name, headings in (("under its headings", chain), ("alone", [])):
                    line = NoteLine(n + 1, sentence, "fact", text=sentence, headings=headings)
                    facts = placer.place_line(line)
                    ok = any(accepts(key, f.key) for f in facts)
                    results[f"{doc.title[:16]} {name}"].append(ok)
                    if verbose and not ok and headings:
                        print(f"  {doc.title[:12]} {key}: got {[f.key for f in facts]}: {sentence[:50]}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "placement.json"))
    args = parser.parse_args()
    outline = load_outline(DEFAULT_OUTLINE)
    home = Path(tempfile.mkdtemp(prefix="zhibi-placement-"))
    ws = Workspace(resolve_settings(home=home, chroma_url="", embed_base_url=""))
    ws.ingest([str(BUNDLED_CORPUS)])
    cache: dict[int, SentenceBank] = {}

    def banks(year: int) -> SentenceBank:
        if year not in cache:
            cache[year] = bank_from_corpus(ws.index, outline, before_year=year)
        return cache[year]

    started = time.perf_counter()
    report: dict[str, object] = {}
    rows = []
    if SHARED_CASES.is_dir():
        shared = run_shared_cases(outline, banks, args.verbose)
        rows.append(("(a) shared eval [[place]] lines", shared))
    else:
        print(f"skipping (a): {SHARED_CASES} is absent")
    if CASES.is_dir():
        for shape, oks in sorted(run_shape_cases(CASES, outline, banks, args.verbose).items()):
            rows.append((f"(b) {shape}", oks))
    if HELDOUT.is_dir():
        heldout = run_shape_cases(HELDOUT, outline, banks, args.verbose)
        for shape, oks in sorted(heldout.items()):
            rows.append((f"(d) held-out {shape}", oks))
        placed = [ok for shape, oks in heldout.items() if "covering" not in shape for ok in oks]
        rows.append(("(d) held-out, all labelled lines", placed))
    for title, oks in run_report_sentences(ws, outline, args.verbose).items():
        rows.append((f"(c) {title} sentences", oks))
    for name, oks in rows:
        share = sum(oks) / len(oks) if oks else 0.0
        report[name] = {"placed": sum(oks), "of": len(oks), "accuracy": round(share, 3)}
        print(f"{name:48s} {sum(oks):4d}/{len(oks):<4d} {share:6.1%}")
    report["seconds"] = round(time.perf_counter() - started, 2)
    Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
