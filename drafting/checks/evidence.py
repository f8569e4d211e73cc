"""The sentence → evidence table of a section, carried-over wording and citation relevance.

Each sentence (a clause ended by 。；！？) is traced to the note lines that state it (by line number: shared
figures or most of a line's wording) and to the sources it cites. A sentence that neither the notes, a cited
quote nor the outline's own formulas explain is unsupported; a section made mostly of such sentences reports
someone else's work and is red.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from core.types import Fact, SentenceEvidence, Source
from drafting.checks.claims import (
    bigrams,
    figure_claims,
    matches_value,
    named_claims,
)
from drafting.checks.roles import turns_round
from drafting.text.numbers import CITATION
from drafting.text.relevance import citation_relevant
from drafting.text.units import cjk_len, split_units

QUOTED = re.compile(r"“[^”]{1,40}”")
MASKED_FIGURE = re.compile(r"[*＊]{1,3}[\u4e00-\u9fff]")
# A line supports a sentence when this share of its wording (bigrams) is in the sentence.
LINE_SHARE = 0.5
# A sentence is explained when this share of its wording is found in the notes, cited quotes or formulas.
EXPLAINED = 0.6
# Below this many characters a figure-free sentence is a connective ("为此，", "具体如下：").
SHORT = 12
# A section is red when more than this share of its characters sits in unsupported sentences.
MOSTLY = 0.5
# Verbatim run (characters) with a past report that counts as carried-over wording.
CARRY_RUN = 16
# Note lines listed as a sentence's support, the best first kept. Every matching line of every sentence once made
# 10,000 one-character lines cost 10^8 rows (227 s, 11.7 GB); a sentence states a few lines, not hundreds.
MAX_EVIDENCE_LINES = 12
# A bigram found in more note lines than this is too common to find candidates by ("开展", "全年"); lines are
# still compared on all their bigrams once found by a rarer one.
COMMON_GRAM_LINES = 200
MAX_CANDIDATES = 4 * MAX_EVIDENCE_LINES


@dataclass
class SectionFindings:
    """What the evidence pass found in one section (the checks turn these into items)."""

    table: list[SentenceEvidence] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # sentences nobody supports
    mostly_unsupported: bool = False
    unsupported_share: float = 0.0
    carried_wording: list[str] = field(default_factory=list)
    irrelevant: list[int] = field(default_factory=list)  # source ids cited where they do not fit


def section_findings(
    text: str,
    facts: list[Fact],
    sources: dict[int, Source],
    *,
    heading: str = "",
    formulas: Iterable[str] = (),
    past_reports: Iterable[str] = (),
    year: int | None = None,
    notes: Iterable[Fact] | None = None,
) -> SectionFindings:
    """`facts` are the section's note lines (what supports its sentences); `notes` every fact line of this
    year's notes (wording they state is never "carried over" from a past report, whatever part it is in)."""
    findings = SectionFindings()
    formulas = list(formulas)
    # A note line supports a sentence in its own words or in the written register the composer puts it in
    # ("就两三个人" → "仅两三个人"): the draft is compared with both.
    lines = []
    for f in facts:
        forms = [g for g in (bigrams(f.text),) if g]
        lines.append((f.line_no, forms, figure_claims(f.text, year=year), f.text))
    postings: dict[str, list[int]] = {}
    by_value: dict[float, list[int]] = {}
    for i, (_, forms, line_claims, _) in enumerate(lines):
        for g in set().union(*forms) if forms else ():
            postings.setdefault(g, []).append(i)
        for lc in line_claims:
            by_value.setdefault(round(lc.value, 6), []).append(i)
    formula_grams: set[str] = set()
    for formula in formulas:
        formula_grams |= bigrams(formula)
    formula_grams |= bigrams(heading)
    past = [re.sub(r"\s+", "", CITATION.sub("", p)) for p in past_reports if p]
    past_grams = _ngram_index(tuple(past))
    notes_flat = re.sub(r"\s+", "", "\n".join(f.text for f in (facts if notes is None else notes)))
    total_chars = 0
    unsupported_chars = 0
    for unit in split_units(text):
        cited = [int(n) for n in CITATION.findall(unit.text)]
        body = CITATION.sub("", unit.text)
        quotes = [sources[n].quote for n in cited if n in sources]
        row = SentenceEvidence(sentence=unit.text, sources=[n for n in cited if n in sources])
        claims = figure_claims(body, year=year)
        grams = bigrams(body)
        support_grams: set[str] = set()
        matched: list[tuple[int, int, int]] = []  # (states its figure, shared bigrams, line index)
        for i in _candidates(grams, postings, claims, by_value):
            line_no, forms, line_claims, note = lines[i]
            for line_grams in forms:
                shared = len(grams & line_grams)
                by_words = shared / len(line_grams) >= LINE_SHARE or (
                    grams and shared / len(grams) >= LINE_SHARE
                )
                figure_match = shared >= 2 and any(matches_value(c, lc) for c in claims for lc in line_claims)
                if by_words or figure_match:
                    if turns_round(note, body):
                        break  # a sentence that says the opposite of its note (未 → 已) is not supported by it
                    matched.append((int(figure_match), shared, i))
                    break
        # the lines that state the sentence's figures first, then those sharing most of its wording
        best = sorted(matched, key=lambda m: (-m[0], -m[1], m[2]))[:MAX_EVIDENCE_LINES]
        for *_, i in sorted(best, key=lambda m: m[2]):
            row.note_lines.append(lines[i][0])
            support_grams |= lines[i][1][0]
        quote_grams: set[str] = set()
        for q in [*quotes, *(sources[n].title for n in cited if n in sources)]:
            quote_grams |= bigrams(q)
        for n in cited:
            src = sources.get(n)
            if src and not citation_relevant(body, src, heading):
                findings.irrelevant.append(n)
                row.problems.append(f"引用[{n}]与本句内容无关")
        explained = _share(grams, support_grams | quote_grams | formula_grams)
        own_wording = (
            _share(grams, formula_grams | quote_grams) >= 0.9
        )  # the outline's opening, a cited quote
        specific = bool(claims or named_claims(body) or QUOTED.search(body) or MASKED_FIGURE.search(body))
        if row.note_lines and explained >= 0.3:
            row.status = "supported"
        elif row.sources and explained >= EXPLAINED:
            row.status = "source"
        elif own_wording or (not specific and (explained >= EXPLAINED or cjk_len(body) <= SHORT)):
            row.status = "formula"
        else:
            row.status = "unsupported"
        run = _carried_run(body, past, past_grams, notes_flat, [*quotes, *formulas])
        if run:
            run = _whole_clause(re.sub(r"\s+", "", body), run)
            findings.carried_wording.append(run)
            row.problems.append(f"与往年报告原句雷同：{run}")
        length = cjk_len(body)
        total_chars += length
        if row.status == "unsupported":
            unsupported_chars += length
            findings.unsupported.append(unit.text)
        if row.problems and row.status != "unsupported":
            row.status = "flagged"
        findings.table.append(row)
    findings.unsupported_share = round(unsupported_chars / total_chars, 3) if total_chars else 0.0
    findings.mostly_unsupported = findings.unsupported_share > MOSTLY
    return findings


def _candidates(
    grams: set[str], postings: dict[str, list[int]], claims: list, by_value: dict[float, list[int]]
) -> list[int]:
    """The note lines worth comparing with a sentence, at most MAX_CANDIDATES by shared wording (rarer bigrams
    first, see COMMON_GRAM_LINES) plus those stating one of its figures. With notes of a few dozen lines that is
    every line sharing a bigram, as before; with thousands it keeps the table linear."""
    counts: Counter[int] = Counter()
    common: list[str] = []
    for g in grams:
        hits = postings.get(g)
        if not hits:
            continue
        if len(hits) > COMMON_GRAM_LINES:
            common.append(g)
        else:
            counts.update(hits)
    if not counts:
        for g in common:
            counts.update(postings[g][:COMMON_GRAM_LINES])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
    found = {i for i, _ in ranked}
    for c in claims:
        found.update(by_value.get(round(c.value, 6), ())[:MAX_CANDIDATES])
    return sorted(found)


def _share(grams: set[str], known: set[str]) -> float:
    if not grams:
        return 1.0
    return len(grams & known) / len(grams)


# -- carried-over wording ---------------------------------------------------------------------------------------

_N = 10


@lru_cache(maxsize=8)
def _ngram_index(past: tuple[str, ...]) -> frozenset[str]:
    grams: set[str] = set()
    for text in past:
        for i in range(len(text) - _N + 1):
            grams.add(text[i : i + _N])
    return frozenset(grams)


def _carried_run(body: str, past: list[str], index: frozenset[str], notes: str, quotes: list[str]) -> str:
    """The longest run of `body` repeated verbatim from a past report's event or result sentence, or ""."""
    flat = re.sub(r"\s+", "", body)
    if len(flat) < CARRY_RUN or not index:
        return ""
    hits = [i for i in range(len(flat) - _N + 1) if flat[i : i + _N] in index]
    best = ""
    i = 0
    while i < len(hits):
        j = i
        while j + 1 < len(hits) and hits[j + 1] == hits[j] + 1:
            j += 1
        run = flat[hits[i] : hits[j] + _N]
        if len(run) >= CARRY_RUN and len(run) > len(best) and _is_carried(run, past, notes, quotes):
            best = run
        i = j + 1
    return best


def _whole_clause(body: str, run: str) -> str:
    """The run widened to the clause(s) it sits in, so the item shown never starts or ends mid-word."""
    at = body.find(run)
    if at < 0:
        return run
    left = max(body.rfind(ch, 0, at) for ch in "，。；！？：、") + 1
    ends = [p for p in (body.find(ch, at + len(run)) for ch in "，。；！？") if p >= 0]
    return body[left : min(ends) if ends else len(body)]


def _is_carried(run: str, past: list[str], notes: str, quotes: list[str]) -> bool:
    if run in notes or any(run in re.sub(r"\s+", "", q) for q in quotes):
        return False  # the notes (or a cited quote) say it too
    grams = bigrams(run)
    if grams and len(grams & bigrams(notes)) / len(grams) >= 0.8:
        return False  # this year's notes state it, in nearly these words (the register changed a word)
    if cjk_len(run) < CARRY_RUN * 0.75:
        return False
    for text in past:
        at = text.find(run)
        if at < 0:
            continue
        sentence = _sentence_at(text, at, len(run))
        if states_event(sentence):
            return True
    return False


def _sentence_at(text: str, at: int, length: int) -> str:
    left = max(text.rfind(ch, 0, at) for ch in "。；！？\n") + 1
    rights = [p for p in (text.find(ch, at + length) for ch in "。；！？\n") if p >= 0]
    return text[left : (min(rights) + 1 if rights else len(text))]


EVENT = re.compile(
    r"开展|组织|查处|办理|完成|出动|检查|清理|整治|实施|创建|召开|举办|印发|制定|出台|受理|调解|培训|推行|"
    r"建立|建成|落实|推送|下发|审核|备案|处罚|罚款|立案|结案|接待|化解|发放|联合|专项"
)


def states_event(sentence: str) -> bool:
    """A sentence that reports what was done or achieved (not a formula of intent)."""
    if MASKED_FIGURE.search(sentence) or figure_claims(sentence) or QUOTED.search(sentence):
        return True
    return len(EVENT.findall(sentence)) >= 2
