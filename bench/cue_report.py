"""For every cue row of the roles (drafting/notes/roles.toml) and of the reader's last gate (register.toml):
the notes files whose lines it matches.

The notes files are every bench notes file (bench/prose_notes, bench/placement/{cases,heldout}, bench/role_notes*/)
and the shared eval cases (../shared/eval/cases). bench/role_notes_blind5 and role_notes_blind6 are left out on
purpose: they are held out for their measured runs, and a count over them would be a look at them (the sets held
out in earlier sessions are now used for diagnosis and counted). A cue that matches no file is dead; one that
matches a single file is a sign of fitting unless its examples show it is common usage (they are in other bureaus'
words). After the held-out sets' runs, `--held-out` also says how many rows, and how many one-file rows, fire
on their notes: a row fitted to one file seldom fires on notes nobody had seen. Matching is by the cue's pattern
over each line (for "earlier" cues, over lines naming another year), so a file counts when the cue could fire
there; the roles' tests show that it does.

Usage: .venv/bin/python bench/cue_report.py [--json PATH]   (JSON: bench/results/cue_report.json)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafting.notes.cues import load_cues  # noqa: E402
from drafting.notes.register import register_cues  # noqa: E402

# Held out: committed at 353574a and 6055209 before any run, run on ddf89bc (the session start) and at the end.
HELD_OUT = ("role_notes_blind5", "role_notes_blind6")


def notes_files(shared: Path) -> dict[str, str]:
    """name → notes text, for every notes file the report looks at."""
    out: dict[str, str] = {}
    bench = ROOT / "bench"
    for path in sorted(bench.glob("prose_notes/*.toml")) + sorted(bench.glob("placement/*/*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if isinstance(data.get("notes"), str):
            out[str(path.relative_to(ROOT))] = data["notes"]
    for path in sorted(bench.glob("role_notes*/*/notes.md")):
        if not set(HELD_OUT) & set(path.parts):
            out[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for path in sorted((shared / "eval" / "cases").glob("*/notes.md")):
        out["shared/" + path.parent.name] = path.read_text(encoding="utf-8")
    return out


ITEM = re.compile(r"^\s*(?:\d{1,3}[.、．]|[-*•·])\s*")
LEAD = re.compile(r"^\s*(?:[\[【(（][\d\-/:. ]{4,20}[\]】)）])?\s*(?:[^：:，,。]{1,12}[：:])?\s*")


def pieces(text: str) -> list[str]:
    """Each line, the line without a speaker's or a time stamp's lead, and each of its clauses: what a cue is
    searched in (a clause cue anchored at ^ fires on a clause, not on the whole line)."""
    out = []
    for line in text.splitlines():
        bare = LEAD.sub("", ITEM.sub("", line))
        unbracketed = re.sub(r"^[（(【\[]", "", bare)
        out += [line, bare, unbracketed, *(c for c in re.split(r"(?<=[，,；;。！!？?])", bare) if c.strip())]
    return out


def all_cues() -> list:
    """The roles' cues and the reader's last gate (drafting/notes/register.toml)."""
    return [*load_cues(), *register_cues()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "cue_report.json"))
    parser.add_argument(
        "--held-out", action="store_true", help="after its run: which rows fire on the held-out set"
    )
    args = parser.parse_args()
    files = notes_files(Path(args.shared))
    report = {}
    for cue in all_cues():
        hits = [name for name, text in files.items() if any(cue.pattern.search(p) for p in pieces(text))]
        report[cue.id] = hits
    dead = [c for c, hits in report.items() if not hits]
    single = {c: hits[0] for c, hits in report.items() if len(hits) == 1}
    for cue_id in dead:
        print(f"fires on no file: {cue_id}")
    for cue_id, name in single.items():
        print(f"fires on one file only: {cue_id} ({name})")
    print(
        f"cues: {len(report)} rows over {len(files)} notes files; {len(dead)} fire on none, "
        f"{len(single)} on one file only"
    )
    if args.held_out:
        held = [
            p.read_text(encoding="utf-8")
            for s in HELD_OUT
            for p in sorted((ROOT / "bench" / s).glob("*/notes.md"))
        ]
        fired = {c.id for c in all_cues() if any(c.pattern.search(p) for t in held for p in pieces(t))}
        print(
            f"on {' and '.join(HELD_OUT)} ({len(held)} notes files): {len(fired)} of {len(report)} rows fire; "
            f"of the {len(single)} one-file rows, {len(fired & set(single))} do"
        )
    Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
