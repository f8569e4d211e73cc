"""Verification after every generation, and the repairs that keep a draft honest without a model.

Checks: every figure of the notes written (compared as values), every figure of the draft found in the notes or a
cited quote under the same kind of unit and not under another subject (claims), named things (《titles》, honours,
organisations, dates) found in the notes or a cited source, citations verbatim and on topic, nothing carried over
from a past report (figures or event sentences), every sentence traced to its note lines (evidence table).

Figures of quarantined instruction lines are never support: only the notes' fact lines are.

Repairs: drop an unresolvable or irrelevant [n]; put the notes' figure in place of a misattributed or mistyped one;
drop the clause that holds an unsupported figure or an invented named thing (never a clause that holds a figure of
the notes); append a fact the text lost, removing the wrong version it replaces. A section mostly unsupported by
the notes is not patched by appending the notes after it: it stays red.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.types import Checks, Clause, Fact, Section, Source
from drafting.checks.approximations import APPROXIMATE_AS_EXACT, approximate_as_exact
from drafting.checks.claims import (
    FigureClaim,
    NamedClaim,
    figure_claims,
    matches_value,
    misattributed,
    named_claims,
    named_supported,
)
from drafting.checks.evidence import section_findings
from drafting.checks.marks import MARKS_UNBALANCED, unbalanced_marks
from drafting.checks.roles import (
    NOT_THE_YEAR,
    PEOPLE_NAMED,
    WRAPPING_IN_TEXT,
    people_named,
    role_findings,
    wrapping_in_text,
)
from drafting.checks.talk import TALK_IN_TEXT, talk_in_text
from drafting.text.normalize import to_fullwidth
from drafting.text.numbers import CITATION, contains_figure

MASKED = re.compile(r"[*＊]{1,3}(?:万元|万|人次|辆次|件|家|人|次|起|辆|吨|元|个|项|条|份|场|%)")
DocText = Callable[[str], str]  # title → cleaned full text of that document ("" when not indexed)


@dataclass
class Evidence:
    """What a section may rely on: the notes (facts) and last year's reports (to spot carried-over figures)."""

    notes_text: str  # normalised notes as a whole
    facts: list[Fact]  # the section's facts
    past_reports: list[str] = field(default_factory=list)  # texts of earlier reports
    year: int = 0
    quarantined: list[str] = field(default_factory=list)  # instruction lines: data, never support
    all_facts: list[Fact] | None = None  # every fact line of the notes (support across sections)
    formulas: list[str] = field(default_factory=list)  # the tool's own wording (outline leads, preamble)
    unit: str = ""
    set_aside: list[Clause] = field(
        default_factory=list
    )  # clauses of the notes whose role is not this year's fact

    def support_text(self) -> str:
        """The notes without their quarantined instruction lines."""
        if self.all_facts is not None:
            return "\n".join(f.text for f in self.all_facts)
        if not self.quarantined:
            return self.notes_text
        banned = {_flat(to_fullwidth(q)) for q in self.quarantined} | {_flat(q) for q in self.quarantined}
        return "\n".join(
            line for line in self.notes_text.splitlines() if not any(b and b in _flat(line) for b in banned)
        )

    def fact_lines(self) -> list[Fact]:
        return self.all_facts if self.all_facts is not None else self.facts


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text).strip("；;，,。.、")


def verify_section(
    section: Section, sources: dict[int, Source], evidence: Evidence, doc_text: DocText
) -> Checks:
    """All checks of one section; fills `section.evidence` with its sentence → evidence table."""
    checks = Checks()
    text = section.text
    year = evidence.year or None
    support = evidence.support_text()
    draft_claims = figure_claims(text, year=year)
    for fig in missing_figures(evidence.facts, text, year=year):
        if fig not in checks.facts_missing:
            checks.facts_missing.append(fig)
    cited = [int(n) for n in CITATION.findall(text)]
    quotes: list[str] = []
    cited_sources: dict[int, Source] = {}
    for n in cited:
        src = sources.get(n)
        if src is None or not quote_is_verbatim(src, doc_text):
            marker = f"[{n}]"
            if marker not in checks.citations_unresolved:
                checks.citations_unresolved.append(marker)
        else:
            quotes.append(src.quote)
            cited_sources[n] = src
    note_claims = [c for f in evidence.fact_lines() for c in figure_claims(f.text, year=year)]
    if evidence.all_facts is None:
        note_claims = figure_claims(support, year=year)
    quote_claims = [c for q in quotes for c in figure_claims(q, year=year)]
    for claim in draft_claims:
        if _figure_supported(claim, support, note_claims, quotes, quote_claims):
            continue
        if claim.unit and any(contains_figure(past, claim.text) for past in evidence.past_reports):
            if claim.text not in checks.carried_over:
                checks.carried_over.append(claim.text)
        elif claim.text not in checks.numbers_unsupported:
            checks.numbers_unsupported.append(claim.text)
    for masked in MASKED.findall(CITATION.sub("", text)):
        # A figure blanked out with * is another report's figure with its value removed, never a fact.
        bucket = (
            checks.carried_over
            if any(masked in p for p in evidence.past_reports)
            else checks.numbers_unsupported
        )
        if masked not in bucket:
            bucket.append(masked)
    line_claims = [c for f in evidence.fact_lines() for c in figure_claims(f.text, year=year)]
    for wrong in misattributed(draft_claims, line_claims):
        item = wrong.describe()
        if item not in checks.misattributed:
            checks.misattributed.append(item)
    named_support = "\n".join(
        [support, evidence.unit, *quotes, *(s.title for s in cited_sources.values()), *evidence.formulas]
    )
    for named in named_claims(text):
        if not named_supported(named, named_support):
            item = _named_item(named)
            if item not in checks.claims_unsupported:
                checks.claims_unsupported.append(item)
    findings = section_findings(
        text,
        evidence.facts,
        cited_sources,
        heading=section.heading,
        formulas=[*evidence.formulas, evidence.unit],
        past_reports=evidence.past_reports,
        year=year,
        notes=evidence.fact_lines(),
    )
    section.evidence = findings.table
    for n in dict.fromkeys(findings.irrelevant):
        marker = f"[{n}]"
        if marker not in checks.citations_irrelevant:
            checks.citations_irrelevant.append(marker)
    for run in findings.carried_wording:
        item = f"往年报告原句：{run}"
        if item not in checks.carried_over:
            checks.carried_over.append(item)
    label = section.heading or section.key
    if findings.mostly_unsupported and not section.placeholder:
        checks.sections_unsupported.append(
            f"{label}：{round(findings.unsupported_share * 100)}% 的内容在材料中找不到依据"
            f"（{len(findings.unsupported)} 句），疑似照搬其他报告或编造"
        )
    else:
        checks.sentences_unsupported.extend(findings.unsupported)
    # An unfinished task may be written in the parts about shortfalls and next year's work, as what it is.
    about_work_done = section.key.split(".")[0] not in ("shortcomings", "plans")
    roles = role_findings(text, evidence.set_aside, evidence.fact_lines(), year=year, tasks=about_work_done)
    checks.figures_other_year.extend(roles.other_year)
    checks.figures_superseded.extend(roles.superseded)
    checks.figures_unconfirmed.extend(roles.unconfirmed)
    checks.not_done_as_done.extend(roles.not_done)
    checks.listed(PEOPLE_NAMED).extend(people_named(text, evidence.notes_text))
    checks.listed(NOT_THE_YEAR).extend(roles.not_the_year)
    checks.listed(WRAPPING_IN_TEXT).extend(wrapping_in_text(text))
    checks.listed(TALK_IN_TEXT).extend(talk_in_text(text))
    as_exact = approximate_as_exact(text, evidence.fact_lines(), year=year)
    checks.listed(APPROXIMATE_AS_EXACT).extend(as_exact)
    named = {*roles.other_year, *roles.superseded, *roles.unconfirmed, *roles.not_the_year, *as_exact}
    # A figure with a named problem is listed once, under its name.
    checks.numbers_unsupported = [f for f in checks.numbers_unsupported if f not in named]
    checks.carried_over = [f for f in checks.carried_over if f not in named]
    checks.style.extend(style_problems(text, section.heading))
    checks.listed(MARKS_UNBALANCED).extend(unbalanced_marks(text))
    if section.placeholder:
        checks.placeholders.append(section.key)
    return checks


def _figure_supported(
    claim: FigureClaim,
    support: str,
    note_claims: list[FigureClaim],
    quotes: list[str],
    quote_claims: list[FigureClaim],
) -> bool:
    if contains_figure(support, claim.text) or any(contains_figure(q, claim.text) for q in quotes):
        return True
    pool = [*note_claims, *quote_claims]
    if any(matches_value(claim, n) for n in pool):
        return True
    # A bare number ("畅行40") is a weaker claim: any figure of that value in the notes states it.
    return not claim.unit and any(
        abs(n.value - claim.value) < 1e-9 and n.approx == claim.approx for n in pool
    )


def missing_figures(facts: list[Fact], text: str, *, year: int | None = None) -> list[str]:
    """Figures of the notes' lines that `text` does not carry (same value and kind of unit counts as carried)."""
    draft = figure_claims(text, year=year)
    out: list[str] = []
    for fact in facts:
        claims = {c.text: c for c in figure_claims(fact.text, year=year)}
        for fig in dict.fromkeys([*fact.figures, *claims]):
            if contains_figure(text, fig):
                continue
            claim = claims.get(fig)
            if claim is not None and any(matches_value(d, claim) for d in draft):
                continue
            if fig not in out:
                out.append(fig)
    return out


KIND_WORDS = {"title": "文件名称", "honour": "荣誉或排名", "organisation": "机构名称", "date": "日期"}


def _named_item(claim: NamedClaim) -> str:
    return f"{KIND_WORDS[claim.kind]}：{claim.text}"


def quote_is_verbatim(source: Source, doc_text: DocText) -> bool:
    doc = doc_text(source.title)
    if not doc or not source.quote.strip():
        return False
    return squash(source.quote) in squash(doc)


def squash(text: str) -> str:
    """Whitespace-insensitive comparison: line breaks of a chunk are not part of the wording."""
    return re.sub(r"\s+", "", text)


# -- style ------------------------------------------------------------------------------------------------------

SPOKEN = re.compile(
    r"搞了|搞好|罚了|做了|出了|的案子|这块|咱们|还要提高|做不到|(?:^|[，；。])跟(?!踪|进)|正在跟"
)
LIST_LABEL = re.compile(r"(?m)^\s*(?:\d+[.．、]|[（(]\d+[）)]|[-*•])\s*[^，。；：]{2,16}[：:]")
# "今年以来" is published wording for the report year; "去年" in this year's report names no year a reader can trust.
RELATIVE = re.compile(r"去年|明年|前年|上年度")


def style_problems(text: str, heading: str = "") -> list[str]:
    """What an editor would send back: spoken register, list items with labels, the heading repeated, 去年."""
    out = []
    body = CITATION.sub("", text)
    spoken = sorted({m.group(0).strip("，；。") for m in SPOKEN.finditer(body)})
    if spoken:
        out.append("口语化表述：" + "、".join(spoken))
    if LIST_LABEL.search(body):
        out.append("以编号列表加小标题行文，应写成完整段落")
    title = re.sub(r"^[（(]?[一二三四五六七八九十]+[）)、.]?", "", heading).strip("。 ")
    first = body.strip().split("\n", 1)[0]
    opening = re.sub(r"^(?:我局|本局|我单位)", "", first.strip())
    if title and len(title) >= 6 and opening.startswith(title):
        out.append(f"开头重复了标题：{title}")
    relative = sorted(set(RELATIVE.findall(body)))
    if relative:
        out.append("相对时间未改为具体年份：" + "、".join(relative))
    return out


def verbatim_share(draft_text: str, prior_text: str, min_run: int = 8) -> float:
    """Share of the draft's characters inside runs of ≥ min_run characters repeated verbatim from prior_text."""
    from difflib import SequenceMatcher

    body = CITATION.sub("", draft_text)
    if not body or not prior_text:
        return 0.0
    matcher = SequenceMatcher(None, body, prior_text, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks() if b.size >= min_run)
    return round(same / len(body), 3)
