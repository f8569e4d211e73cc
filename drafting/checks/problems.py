"""The one list of problems a draft carries, built from the checks of its sections and of the whole draft.

Every verdict and panel is computed from this list (core.types.Draft.problems): the banner, the section
warnings, 逐句依据, the chat footer, the .docx, the CLI and the JSON. Each problem names its section and, where
there is one, the sentence it is in; 逐句依据 then marks that sentence, so a sentence whose figure the claim
checks reject is never shown as supported. New kinds of problem are added with
core.types.register_problem_kind and appended to the list like the built-in ones.

Only checks and text helpers are imported here, never a writer (the offline composer or the LLM engine).
"""

from __future__ import annotations

import re
from collections import Counter

from core.types import CHECK_NAMES, Checks, Problem, SentenceEvidence, register_problem_kind
from drafting.text.numbers import CITATION, contains_figure

# Notes that speak of another year than the report's: drafted, but the user is told (amber).
OTHER_YEAR = register_problem_kind("notes_other_year", "材料所写年份与报告年度不符", "amber").name
YEAR_MENTION = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")

# Kinds whose items are found in one sentence of the section (a figure, a named thing, a [n], a sentence).
IN_A_SENTENCE = (
    "numbers_unsupported",
    "carried_over",
    "misattributed",
    "claims_unsupported",
    "citations_unresolved",
    "citations_irrelevant",
    "sentences_unsupported",
    "figures_other_year",
    "figures_superseded",
    "figures_unconfirmed",
    "not_done_as_done",
)
# Kinds judged for the draft as a whole, not taken from one section's checks.
WHOLE_DRAFT = (
    "facts_missing",
    "parts_missing",
    "instructions_ignored",
    "lines_dropped",
    "lines_elsewhere",
    "pending",
)
QUOTED = re.compile(r"“([^”]{2,60})”|《([^》]{2,60})》")
CARRIED = re.compile(r"^往年报告原句：")


def section_problems(key: str, checks: Checks, evidence: list[SentenceEvidence]) -> list[Problem]:
    """The problems of one section's checks, each placed in its sentence; the sentence's row in 逐句依据 is
    marked with it (a row the claim checks reject is never "supported")."""
    out: list[Problem] = []
    for kind in checks.kinds():
        if kind in WHOLE_DRAFT:
            continue
        for item in checks.listed(kind):
            row = _row_of(kind, item, evidence) if kind in IN_A_SENTENCE else None
            problem = Problem(kind, item, key, row.sentence if row else "")
            out.append(problem)
            if row is not None and kind != "sentences_unsupported":
                _mark(row, problem)
    return out


def _mark(row: SentenceEvidence, problem: Problem) -> None:
    said = f"{problem.label}：{problem.item}"
    if said not in row.problems and not any(problem.item in p for p in row.problems):
        row.problems.append(said)
    if row.status != "unsupported":
        row.status = "flagged"


def _row_of(kind: str, item: str, evidence: list[SentenceEvidence]) -> SentenceEvidence | None:
    """The sentence an item was found in: its figure, its [n], its quoted name or its words."""
    if kind == "sentences_unsupported":
        return next((r for r in evidence if r.sentence == item), None)
    if kind in ("citations_unresolved", "citations_irrelevant"):
        return next((r for r in evidence if item in r.sentence), None)
    text = CARRIED.sub("", item)
    for row in evidence:
        body = CITATION.sub("", row.sentence)
        if contains_figure(body, text) or text in re.sub(r"\s+", "", body):
            return row
    names = [a or b for a, b in QUOTED.findall(text)]
    for row in evidence:
        if any(n in row.sentence for n in names):
            return row
    # A described item ("“326件”写在“复议”之下，材料中属于“处罚”"): the figure it quotes first.
    figures = re.findall(r"\d+(?:\.\d+)?\s*[^\d\s，。；、“”]{0,3}", text)
    for row in evidence:
        if figures and contains_figure(CITATION.sub("", row.sentence), figures[0].strip()):
            return row
    return None


def draft_problems(
    section_lists: list[list[Problem]],
    *,
    missing: list[tuple[str, str]],
    omitted: list[str],
    parts_missing: list[str],
    instructions: list[str],
    dropped: list[str],
    elsewhere: list[tuple[str, str]],
    pending: list[str] | None = None,
) -> list[Problem]:
    """The whole draft's list: each section's problems, then what is judged over the whole draft.

    `missing` are (figure, section key) of the notes' figures the text does not carry; those the user deleted
    on purpose (`omitted`) are recorded as the user's choice. `elsewhere` are (line, section key) of the lines
    a one-section draft leaves to other parts.
    """
    out = [p for problems in section_lists for p in problems]
    for figure, key in missing:
        kind = "user_omitted" if figure in omitted else "facts_missing"
        out.append(Problem(kind, figure, key))
    out.extend(Problem("parts_missing", title) for title in parts_missing)
    out.extend(Problem("instructions_ignored", line) for line in instructions)
    # What waits in 待确认 is not in the text: the draft cannot be vouched for until the user decides.
    out.extend(Problem("pending", clause) for clause in pending or [])
    out.extend(Problem("lines_elsewhere", line, key) for line, key in elsewhere)
    out.extend(Problem("lines_dropped", line) for line in dropped)
    return out


def notes_year_problems(notes: str, year: int) -> list[Problem]:
    """Notes whose own years are another year's ("2023年全年办理……" in notes for a 2024 report).

    The next year is left out (plans name it), as is a year the notes also give as the report year."""
    # A document's own year ("《……2021—2025年规划》", "（2021年修订）") is not the year the notes report.
    plain = re.sub(r"《[^》]*》|[（(][^）)]*(?:修订|修正|版)[）)]", "", notes)
    seen = Counter(int(y) for y in YEAR_MENTION.findall(plain))
    if not seen or seen.get(year):
        return []
    other, count = max(((y, n) for y, n in seen.items() if y != year + 1), key=lambda t: t[1], default=(0, 0))
    first = notes.strip().split("\n", 1)[0]
    if not other or (count < 2 and str(other) not in first):
        return []
    return [
        Problem(
            OTHER_YEAR, f"材料写的是 {other} 年的工作（{count} 处），报告年度为 {year} 年；请核对年度或材料"
        )
    ]


assert all(kind in CHECK_NAMES for kind in (*IN_A_SENTENCE, *WHOLE_DRAFT))
