"""Validate the placement benchmark's notes files (bench/placement/cases/*.toml and heldout/*.toml).

Checks that every labelled `text` is a substring of exactly one notes line, every `key` is an outline key, every
`covering` substring names one line, and that every non-empty notes line is either labelled or listed as covering
(a line nobody labelled would silently drop out of the accuracy). Prints labelled lines per shape.
Stdlib only: `python3.11 bench/placement/check_cases.py [files...]`; exit status 1 on any error.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"
HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"
SHARED_CASES = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "cases"

SHAPES = {"brackets", "numbered", "offices", "chat", "table", "markdown", "prefixes", "mixed"}
MEASURES = (
    "organization study functions rules decisions enforcement emergency disputes oversight digital publicity"
).split()
KEYS = {"measures", "leadership", "shortcomings", "plans", "other"} | {f"measures.{m}" for m in MEASURES}


def lines_holding(notes_lines: list[str], needle: str) -> list[int]:
    return [number for number, line in enumerate(notes_lines, 1) if needle in line]


def check_file(path: Path) -> tuple[list[str], str, int]:
    errors: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [f"{path.name}: cannot be read: {exc}"], "", 0

    def fail(message: str) -> None:
        errors.append(f"{path.name}: {message}")

    shape = data.get("shape", "")
    if shape not in SHAPES:
        fail(f"shape {shape!r} is not one of {sorted(SHAPES)}")
    for field, kind in (("unit", str), ("year", int), ("source_case", str), ("notes", str)):
        if not isinstance(data.get(field), kind):
            fail(f"field {field!r} missing or not {kind.__name__}")
    if errors:
        return errors, shape, 0
    source_case = data["source_case"]
    if source_case and SHARED_CASES.is_dir() and not (SHARED_CASES / source_case).is_dir():
        fail(f"source_case {source_case!r} is not a folder of {SHARED_CASES.resolve()}")

    notes_lines = data["notes"].splitlines()
    accounted: set[int] = set()
    labels = data.get("line", [])
    if not labels:
        fail("no [[line]] tables")
    seen_texts: Counter[str] = Counter()
    for label in labels:
        text, key = label.get("text", ""), label.get("key", "")
        seen_texts[text] += 1
        if key not in KEYS:
            fail(f"key {key!r} (text {text!r}) is not an outline key")
        if not text.strip():
            fail("a [[line]] has an empty text")
            continue
        hits = lines_holding(notes_lines, text)
        if len(hits) != 1:
            fail(f"text {text!r} occurs in {len(hits)} notes lines {hits}, must be exactly one")
        accounted.update(hits)
    for text, count in seen_texts.items():
        if count > 1:
            fail(f"text {text!r} is labelled {count} times")

    for covering in data.get("covering", []):
        hits = lines_holding(notes_lines, covering)
        if len(hits) != 1:
            fail(f"covering {covering!r} occurs in {len(hits)} notes lines {hits}, must be exactly one")
        elif hits[0] in accounted:
            fail(f"covering {covering!r} names a line that is also labelled as a fact")
        accounted.update(hits)

    for number, line in enumerate(notes_lines, 1):
        if line.strip() and number not in accounted:
            fail(f"notes line {number} is neither labelled nor covering: {line.strip()[:60]!r}")
    return errors, shape, len(labels)


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(CASES_DIR.glob("*.toml")) + sorted(
        HELDOUT_DIR.glob("*.toml")
    )
    if not paths:
        print(f"no case files under {CASES_DIR}")
        return 1
    all_errors: list[str] = []
    lines_per_shape: Counter[str] = Counter()
    files_per_shape: Counter[str] = Counter()
    new_notes = 0
    for path in paths:
        errors, shape, labelled = check_file(path)
        all_errors.extend(errors)
        if not errors:
            lines_per_shape[shape] += labelled
            files_per_shape[shape] += 1
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            new_notes += data["source_case"] == ""
    for error in all_errors:
        print("ERROR", error)
    print(f"{len(paths)} files, {len(paths) - new_notes} rewrites of shared cases, {new_notes} new notes")
    for shape in sorted(lines_per_shape):
        print(f"  {shape:<9} {files_per_shape[shape]:>2} files {lines_per_shape[shape]:>4} labelled lines")
    print(
        f"  {'total':<9} {sum(files_per_shape.values()):>2} files {sum(lines_per_shape.values()):>4} labelled lines"
    )
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
