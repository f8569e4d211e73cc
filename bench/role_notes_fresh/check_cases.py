# Consistency check for bench/role_notes_fresh (run: python3 check_cases.py .)
import os
import re
import sys
import tomllib
from pathlib import Path

root = sys.argv[1]
KEYS = {"measures", "leadership", "shortcomings", "plans", "other"} | {
    "measures." + k
    for k in "organization study functions rules decisions enforcement emergency disputes oversight digital publicity".split()
}
LISTS = ["unconfirmed", "superseded", "earlier_year", "not_done"]
bad = 0


def err(c, m):
    global bad
    bad += 1
    print(f"  ERROR {c}: {m}")


def occ(text, s):
    """number-aware occurrences: s not preceded by a digit/decimal point when s starts with a digit"""
    out = []
    for m in re.finditer(re.escape(s), text):
        i = m.start()
        if s[0].isdigit() and i > 0 and (text[i - 1].isdigit() or text[i - 1] in ".．"):
            continue
        j = m.end()
        if s[-1].isdigit() and j < len(text) and (text[j].isdigit() or text[j] in ".．"):
            continue
        out.append(i)
    return out


def inside(a, b):
    """a found inside b, number-aware"""
    return bool(occ(b, a))


for case in sorted(os.listdir(root)):
    d = os.path.join(root, case)
    if not os.path.isdir(d):
        continue
    print(case)
    notes = Path(d, "notes.md").read_text(encoding="utf-8")
    n = notes.count("\n") + (0 if notes.endswith("\n") else 1)
    if not 40 <= n <= 120:
        err(case, f"notes has {n} lines")
    try:
        c = tomllib.loads(Path(d, "case.toml").read_text(encoding="utf-8"))
    except Exception as e:
        err(case, f"toml: {e}")
        continue
    for k in ["unit", "year", "scope", "index", "facts", "must_not_contain"]:
        if k not in c:
            err(case, f"missing {k}")
    if c["scope"] not in ("report", "section"):
        err(case, "scope")
    if c["scope"] == "section" and c.get("section") not in KEYS:
        err(case, "section key")
    for k in c.get("expect_placeholder_for", []) + c.get("may_be_placeholder", []):
        if k not in KEYS:
            err(case, f"bad key {k}")
    facts, mnc = c["facts"], c["must_not_contain"]
    places = c.get("place", [])
    for p in places:
        for k in p["in"]:
            if k not in KEYS:
                err(case, f"bad place key {k}")
    entries = (
        [("facts", x) for x in facts]
        + [("must_not_contain", x) for x in mnc]
        + [(lst, x) for lst in LISTS for x in c.get(lst, [])]
        + [("place", p["text"]) for p in places]
    )
    for lst, x in entries:
        if x not in notes:
            err(case, f"{lst} entry not literal in notes: {x!r}")
        elif lst != "must_not_contain" and not occ(notes, x):
            err(case, f"{lst} entry only inside larger numbers: {x!r}")
    for x in mnc:
        if not 2 <= len(x) <= 12:
            err(case, f"mnc length {x!r}")
    if len(set(facts)) != len(facts):
        err(case, "duplicate fact")
    for f in facts:
        for m in mnc:
            if f in m or m in f:
                err(case, f"fact {f!r} ~ mnc {m!r}")
        # fact inside a larger number anywhere in notes
        raw = [m.start() for m in re.finditer(re.escape(f), notes)]
        good = occ(notes, f)
        if len(raw) != len(good):
            err(case, f"fact {f!r} sits inside a larger number")
        for lst in LISTS:
            for x in c.get(lst, []):
                if x == f or inside(f, x) or inside(x, f):
                    err(case, f"fact {f!r} overlaps {lst} {x!r}")
        for g in facts:
            if g != f and inside(f, g):
                print(f"  note: fact {f!r} inside fact {g!r}")
        if len(good) > 1:
            print(f"  note: fact {f!r} occurs {len(good)}x")
    for lst in ["unconfirmed", "superseded", "earlier_year"]:
        for x in c.get(lst, []):
            for m in mnc:
                if lst != "superseded" and (x == m):
                    err(case, f"{lst} {x!r} also in mnc")
    pt = [p["text"] for p in places]
    print(
        f"  ok-ish: {n} lines, {len(facts)} facts, {len(mnc)} mnc, {len(places)} places, "
        + ", ".join(f"{lst}={len(c.get(lst, []))}" for lst in LISTS)
    )
print("ERRORS:", bad)
