"""The checker of the role_notes sets' cases: every case.toml parses, every list entry is a literal substring of its
notes.md, and the writing rules hold (facts with Arabic digits and a unit, no fact inside a larger number or overlapping
an excluded entry, 40 to 100 lines of notes, valid outline keys).

Each set's check_cases.py calls main() on its own folder. The outsider writers each copied one checker; the copies
were identical, so they share this one.
"""

import tomllib
from pathlib import Path

PARTS = ["measures", "leadership", "shortcomings", "plans", "other"]
SUBSECTIONS = [
    "organization",
    "study",
    "functions",
    "rules",
    "decisions",
    "enforcement",
    "emergency",
    "disputes",
    "oversight",
    "digital",
    "publicity",
]
KEYS = set(PARTS) | {"measures." + name for name in SUBSECTIONS}

ROLE_LISTS = ["unconfirmed", "superseded", "earlier_year", "not_done"]
HALF_DIGITS = "0123456789"
FULL_DIGITS = "０１２３４５６７８９"
NUMBER_CHARS = HALF_DIGITS + FULL_DIGITS + ".．"


def has_digit(text):
    return any(ch in HALF_DIGITS or ch in FULL_DIGITS for ch in text)


def inside_larger_number(entry, notes):
    """True when some occurrence of entry's number in notes continues a longer number."""
    first = next((i for i, ch in enumerate(entry) if ch in HALF_DIGITS or ch in FULL_DIGITS), None)
    if first is None:
        return False
    last = max(i for i, ch in enumerate(entry) if ch in HALF_DIGITS or ch in FULL_DIGITS)
    start = notes.find(entry)
    while start != -1:
        before = start + first - 1
        after = start + last + 1
        if first == 0 and before >= 0 and notes[before] in NUMBER_CHARS:
            return True
        if last == len(entry) - 1 and after < len(notes) and notes[after] in NUMBER_CHARS:
            return True
        start = notes.find(entry, start + 1)
    return False


def check_case(folder):
    problems = []
    toml_path = folder / "case.toml"
    notes_path = folder / "notes.md"
    try:
        with toml_path.open("rb") as handle:
            case = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [f"case.toml does not parse: {exc}"]
    notes = notes_path.read_text(encoding="utf-8")

    line_count = len(notes.splitlines())
    if not 40 <= line_count <= 100:
        problems.append(f"notes.md has {line_count} lines (want 40-100)")

    for field in ["unit", "year", "scope", "index", "facts", "must_not_contain"]:
        if field not in case:
            problems.append(f"missing field {field}")
    if case.get("year") not in (2025, 2026):
        problems.append(f"year {case.get('year')!r} is not 2025 or 2026")
    scope = case.get("scope")
    section = case.get("section")
    if scope not in ("report", "section"):
        problems.append(f"scope {scope!r} is neither report nor section")
    if scope == "section" and section not in KEYS:
        problems.append(f"section {section!r} is not an outline key")
    if scope == "report" and section is not None:
        problems.append("a whole report has no section field")
    index = case.get("index", [])
    if not isinstance(index, list) or not all(isinstance(glob, str) for glob in index):
        problems.append("index is not a list of globs")

    facts = case.get("facts", [])
    banned = case.get("must_not_contain", [])
    roles = {name: case.get(name, []) for name in ROLE_LISTS}
    places = case.get("place", [])

    lists = {"facts": facts, "must_not_contain": banned} | roles
    lists["place.text"] = [place.get("text", "") for place in places]
    for name, entries in lists.items():
        if not isinstance(entries, list):
            problems.append(f"{name} is not a list")
            continue
        seen = set()
        for entry in entries:
            if not isinstance(entry, str) or not entry:
                problems.append(f"{name}: empty or non-string entry {entry!r}")
                continue
            if entry not in notes:
                problems.append(f"{name}: {entry!r} is not a literal substring of notes.md")
            if entry in seen and name != "place.text":
                problems.append(f"{name}: {entry!r} listed twice")
            seen.add(entry)

    for entry in banned:
        if not 2 <= len(entry) <= 12:
            problems.append(f"must_not_contain: {entry!r} is not 2-12 characters")

    for fact in facts:
        if not has_digit(fact):
            problems.append(f"facts: {fact!r} carries no figure")
        if any(ch in FULL_DIGITS for ch in fact):
            problems.append(f"facts: {fact!r} uses full-width digits")
        if fact[-1] in NUMBER_CHARS:
            problems.append(f"facts: {fact!r} has no unit word after its number")

    negatives = banned + [entry for name in ROLE_LISTS for entry in roles[name]]
    for fact in facts:
        for other in negatives:
            if fact in other or other in fact:
                problems.append(f"fact {fact!r} overlaps the excluded entry {other!r}")
    allowed_some_way = roles["unconfirmed"] + roles["earlier_year"] + roles["not_done"]
    for entry in banned:
        for other in allowed_some_way:
            if entry in other or other in entry:
                problems.append(f"must_not_contain {entry!r} overlaps the role entry {other!r}")
    for place in places:
        text = place.get("text", "")
        for other in negatives:
            if text in other or other in text:
                problems.append(f"place {text!r} overlaps the excluded entry {other!r}")

    figures = facts + [entry for name in ROLE_LISTS for entry in roles[name]]
    for entry in figures:
        if has_digit(entry) and inside_larger_number(entry, notes):
            problems.append(f"{entry!r} sits inside a larger number of notes.md")

    for place in places:
        keys = place.get("in", [])
        if not keys or not all(key in KEYS for key in keys):
            problems.append(f"place {place.get('text')!r}: bad keys {keys!r}")
        if scope == "section" and section in KEYS:
            for key in keys:
                if not (key == section or key.startswith(section + ".")):
                    problems.append(f"place {place.get('text')!r}: {key!r} is outside section {section!r}")
    for field in ["expect_placeholder_for", "may_be_placeholder"]:
        for key in case.get(field, []):
            if key not in KEYS:
                problems.append(f"{field}: {key!r} is not an outline key")
    return problems


def main(here: Path) -> int:
    """Check every case folder under `here`; 0 when all pass."""
    folders = sorted(path.parent for path in here.glob("*/case.toml"))
    failed = 0
    for folder in folders:
        problems = check_case(folder)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{folder.name}: {status}")
        for problem in problems:
            print(f"  - {problem}")
        if problems:
            failed += 1
    print(f"{len(folders)} case(s), {failed} with problems")
    return 1 if failed or not folders else 0
