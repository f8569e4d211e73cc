"""For every data rule of the offline engine (rules/*.toml: register, negation, verbs, clauses, reorder): the notes files it
fires on.

Each notes file is drafted by the offline engine, as a user would draft it, with the rules' firing recorded:
bench/prose_notes/*.toml, bench/placement/{cases,heldout}/*.toml, bench/role_notes/*/notes.md and the shared
eval cases (../shared/eval/cases/*/notes.md). A rule that fires on no file is dead; a rule that fires only on
the shared cases is fitted to them. Both are listed, then the summary.

Usage: .venv/bin/python bench/rule_report.py [--home DIR] [--json PATH]   (JSON: bench/results/rule_report.json)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import resolve_settings  # noqa: E402
from drafting.engines.offline.firing import recording  # noqa: E402
from drafting.engines.offline.phrasing import COUNTED, REORDER_RULES, UNCOUNTED  # noqa: E402
from drafting.engines.offline.register import CLAUSE_RULES, RULES  # noqa: E402
from zhibi.api import Workspace  # noqa: E402
from zhibi.evaluate import workspace_for  # noqa: E402

SHARED = ROOT.parent / "shared"
SHARED_CASES = SHARED / "eval" / "cases"


def notes_files() -> list[tuple[str, bool, dict]]:
    """(name, is a shared case, {notes, unit, year, section}) for every notes file of the benchmarks."""
    found = []
    for folder in ("prose_notes", "placement/cases", "placement/heldout"):
        for path in sorted((ROOT / "bench" / folder).glob("*.toml")):
            case = tomllib.loads(path.read_text(encoding="utf-8"))
            found.append((f"{folder}/{path.stem}", False, case))
    for base, shared in ((ROOT / "bench" / "role_notes", False), (SHARED_CASES, True)):
        for folder in sorted(p for p in base.iterdir() if (p / "notes.md").exists()) if base.is_dir() else ():
            case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
            case["notes"] = (folder / "notes.md").read_text(encoding="utf-8")
            label = f"shared/{folder.name}" if shared else f"role_notes/{folder.name}"
            found.append((label, shared, case))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="reuse an index home (default: a temporary one)")
    parser.add_argument(
        "--json",
        default=str(ROOT / "bench" / "results" / "rule_report.json"),
        help="write the report as JSON here",
    )
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="zhibi-rules-"))
    ws = workspace_for(
        Workspace(resolve_settings(home=home)),
        sorted(str(p) for p in (SHARED / "corpus" / "laws").glob("*") if p.is_file()),
    )
    fires: dict[str, set[str]] = defaultdict(set)
    files = notes_files()
    for name, _shared, case in files:
        section = case.get("section") if case.get("scope") == "section" else None
        with recording() as fired:
            ws.draft(
                case["notes"], unit=case["unit"], year=int(case["year"]), section=section, engine="offline"
            )
        for rule_id in fired:
            fires[rule_id].add(name)
    shared_names = {name for name, shared, _ in files if shared}
    ids = (
        [r.id for r in RULES]
        + [r.id for r in (*COUNTED, *UNCOUNTED)]
        + [r.id for r in CLAUSE_RULES]
        + [r.id for r in REORDER_RULES]
    )
    guards = {r.id: r.guards for r in (*RULES, *REORDER_RULES) if r.guards}
    dead = [i for i in ids if not fires[i] and i not in guards]
    fitted = [i for i in ids if fires[i] and fires[i] <= shared_names]
    print(f"notes files: {len(files)} ({len(shared_names)} shared cases)")
    print("| rule | files it fires on |")
    print("|---|---|")
    for rule_id in ids:
        names = sorted(fires[rule_id])
        mark = (
            f" (guard of {guards[rule_id]})"
            if rule_id in guards and not names
            else " (dead)"
            if not names
            else " (shared cases only)"
            if rule_id in fitted
            else ""
        )
        print(f"| {rule_id}{mark} | {len(names)}: {', '.join(n.split('/')[-1] for n in names)} |")
    print(
        f"\nrules: {len(ids)} ({len(RULES)} register incl. negation, {len(COUNTED) + len(UNCOUNTED)} verb, "
        f"{len(CLAUSE_RULES)} clause, {len(REORDER_RULES)} reorder)"
    )
    print(f"fire on no notes file: {len(dead)}: {'、'.join(dead)}")
    quiet = [i for i in guards if not fires[i]]
    print(
        f"guards that fire on no notes file (kept: tests show their general row's damage): {len(quiet)}: {'、'.join(quiet)}"
    )
    print(f"fire only on the shared cases: {len(fitted)}: {'、'.join(fitted)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "files": [n for n, _, _ in files],
                    "fires": {i: sorted(fires[i]) for i in ids},
                    "dead": dead,
                    "fitted": fitted,
                    "guards": guards,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
