"""Repairs after the checks: which problems call for one, how bad a result is, and the offline repair itself.

The LLM engine gets one re-ask with `problem_lines`; whatever is still wrong is repaired here without a
model (repair_section below): unverifiable or irrelevant [n] markers dropped, a misattributed or
mistyped figure replaced by the notes' own, clauses with unsupported figures or invented names removed, missing
note figures appended as sentences of the notes, except in a section mostly not stated by the notes (red).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from core.types import Checks, Fact, Section, Source
from drafting.checks.approximations import APPROXIMATE_AS_EXACT
from drafting.checks.claims import (
    FigureClaim,
    figure_claims,
    matches_value,
    misattributed,
    same_unit_kind,
    subject_score,
)
from drafting.checks.verify import missing_figures
from drafting.engines.offline.compose import officialise
from drafting.text.normalize import strip_markdown, to_fullwidth
from drafting.text.numbers import CITATION, contains_figure
from drafting.text.units import SENTENCE_END

# Section warnings that record a repair (the draft-wide Checks.repairs list gathers them).
REPAIR_PREFIXES = ("删除了", "补回了", "已请大模型", "以下数字", "将“")


def clean(raw: str) -> str:
    """An engine's raw text as paragraphs of full-width prose without Markdown."""
    text = strip_markdown(raw)
    paragraphs = [to_fullwidth(p) for p in text.split("\n") if p.strip()]
    return "\n\n".join(paragraphs)


def needs_repair(checks: Checks) -> bool:
    return bool(
        checks.facts_missing
        or checks.numbers_unsupported
        or checks.misattributed
        or checks.claims_unsupported
        or checks.citations_unresolved
        or checks.citations_irrelevant
        or checks.carried_over
        or checks.sections_unsupported
        or checks.listed(APPROXIMATE_AS_EXACT)
    )


def severity(checks: Checks) -> int:
    return (
        3 * len(checks.facts_missing)
        + 3 * len(checks.misattributed)
        + 6 * len(checks.sections_unsupported)
        + 2 * len(checks.carried_over)
        + 2 * len(checks.numbers_unsupported)
        + 2 * len(checks.claims_unsupported)
        + len(checks.citations_unresolved)
        + len(checks.citations_irrelevant)
        + 2 * len(checks.listed(APPROXIMATE_AS_EXACT))
    )


def problem_lines(checks: Checks) -> list[str]:
    """The problems of an attempt, as the re-ask tells them to the model."""
    lines = []
    if checks.facts_missing:
        lines.append("漏掉了材料中的数字：" + "、".join(checks.facts_missing) + "，请原样写入")
    if checks.numbers_unsupported:
        lines.append("出现了材料中没有的数字：" + "、".join(checks.numbers_unsupported) + "，请删除")
    if checks.carried_over:
        lines.append("沿用了往年报告的数字或原句：" + "、".join(checks.carried_over) + "，请删除")
    if checks.citations_unresolved:
        lines.append(
            "引用标记无对应来源：" + "、".join(checks.citations_unresolved) + "，请删除或改用参考资料中的编号"
        )
    if checks.misattributed:
        lines.append("数字与事项对应错误：" + "；".join(checks.misattributed) + "，请按材料改正")
    if checks.claims_unsupported:
        lines.append(
            "出现了材料中没有的名称、荣誉或日期：" + "；".join(checks.claims_unsupported) + "，请删除"
        )
    if checks.citations_irrelevant:
        lines.append("引用与所在句子内容无关：" + "、".join(checks.citations_irrelevant) + "，请删除这些编号")
    if checks.listed(APPROXIMATE_AS_EXACT):
        # The model can mend this itself: the figure is right, only its marker was dropped.
        lines.append(
            "材料中的约数写成了确数："
            + "、".join(checks.listed(APPROXIMATE_AS_EXACT))
            + "，请按材料保留约数标记（约、余、左右），不要写成确数"
        )
    if checks.sections_unsupported:
        lines.append("正文大部分内容不是材料中的事实，请只依据材料重写，不要照搬往年报告或其他单位的内容")
    return lines


def repair(
    section: Section,
    checks: Checks,
    facts: list[Fact],
    sources: dict[int, Source],
    *,
    year: int | None = None,
    unit: str = "",
) -> tuple[Section, list[str]]:
    """The offline repair (repair_section below), note lines appended in written style.

    The unit and year reach the register conversion: a line put back says 我局 and "2021年", not 我们 and 去年.
    """

    def written(text: str) -> str:
        return officialise(text, unit=unit, year=year)

    return repair_section(section, checks, facts, sources, officialise=written, year=year)


# How each warning of check_warnings starts: a section's warnings are recomputed from the draft's one list of
# problems, so the old ones are recognised and replaced, never kept beside new ones that say otherwise.
CHECK_WARNING_PREFIXES = (
    "遗漏材料数字：",
    "数字无依据：",
    "疑似沿用往年数字或原句：",
    "引用无法核对：",
    "数字张冠李戴：",
    "名称、荣誉或日期无出处：",
    "引用与句子内容无关：",
    "本节大部分内容在材料中找不到依据：",
    "材料中有 ",
    "按用户要求删去：",
)


def is_check_warning(warning: str) -> bool:
    from core.types import PROBLEM_KINDS

    return warning.startswith(CHECK_WARNING_PREFIXES) or any(
        warning.startswith(f"{k.label}：") for k in PROBLEM_KINDS.values()
    )


def check_warnings(checks: Checks) -> list[str]:
    """What the checks still find, as warnings shown under the section."""
    from core.types import problem_kind

    out = []
    if checks.facts_missing:
        out.append("遗漏材料数字：" + "、".join(checks.facts_missing))
    if checks.numbers_unsupported:
        out.append("数字无依据：" + "、".join(checks.numbers_unsupported))
    if checks.carried_over:
        out.append("疑似沿用往年数字或原句：" + "、".join(checks.carried_over))
    if checks.citations_unresolved:
        out.append("引用无法核对：" + "、".join(checks.citations_unresolved))
    if checks.misattributed:
        out.append("数字张冠李戴：" + "；".join(checks.misattributed))
    if checks.claims_unsupported:
        out.append("名称、荣誉或日期无出处：" + "；".join(checks.claims_unsupported))
    if checks.citations_irrelevant:
        out.append("引用与句子内容无关：" + "、".join(checks.citations_irrelevant))
    if checks.sections_unsupported:
        out.append(
            "本节大部分内容在材料中找不到依据："
            + "；".join(checks.sections_unsupported)
            + "。请改用离线引擎或重写本节"
        )
    if checks.lines_elsewhere:
        out.append(
            f"材料中有 {len(checks.lines_elsewhere)} 条属于其他部分，未写入本节："
            + "；".join(checks.lines_elsewhere)
        )
    if checks.user_omitted:
        out.append("按用户要求删去：" + "、".join(checks.user_omitted))
    # Every other red kind (the role checks', those the checks layer registers) under its own label.
    for kind in checks.kinds():
        if kind not in SAID_ABOVE and problem_kind(kind).severity == "red":
            out.append(f"{problem_kind(kind).label}：" + "；".join(checks.listed(kind)))
    return out


SAID_ABOVE = frozenset(
    """facts_missing numbers_unsupported carried_over citations_unresolved misattributed claims_unsupported
    citations_irrelevant sections_unsupported parts_missing""".split()
)


# -- the repairs themselves ---------------------------------------------------------------------------------------------------

CLAUSE_SPLIT = re.compile(r"(?<=[，；。：])")


def drop_markers(text: str, markers: list[str]) -> str:
    for marker in markers:
        text = text.replace(marker, "")
    return text


def drop_clauses_with(
    text: str, figures: list[str], keep_figures: list[str]
) -> tuple[str, list[str], list[str]]:
    """Remove each clause holding one of `figures`, unless it also holds a figure of the notes (kept, flagged)."""
    removed, kept = [], []
    pieces = CLAUSE_SPLIT.split(text)
    out = []
    for piece in pieces:
        bad = [f for f in figures if contains_figure(piece, f) or (f.startswith("《") and f in piece)]
        if not bad:
            out.append(piece)
            continue
        if any(contains_figure(piece, k) for k in keep_figures):
            out.append(piece)
            kept.extend(bad)
            continue
        removed.append(piece)
        # Keep the sentence end when the dropped clause carried it.
        if piece.endswith("。") and out and not out[-1].endswith("。"):
            out[-1] = out[-1][:-1] + "。" if out[-1][-1:] in "，；：" else out[-1] + "。"
    result = "".join(out).strip()
    return result, removed, kept


def drop_clauses_naming(text: str, names: list[str], keep_figures: list[str]) -> tuple[str, list[str]]:
    """Remove each clause that holds one of `names` (invented titles, honours …), keeping note figures."""
    removed = []
    out = []
    for piece in CLAUSE_SPLIT.split(text):
        if any(n and n in piece for n in names) and not any(contains_figure(piece, k) for k in keep_figures):
            removed.append(piece)
            if piece.endswith("。") and out and not out[-1].endswith("。"):
                out[-1] = out[-1][:-1] + "。" if out[-1][-1:] in "，；：" else out[-1] + "。"
            continue
        out.append(piece)
    return "".join(out).strip(), removed


def put_figures_in_place(text: str, facts: list[Fact], *, year: int | None = None) -> tuple[str, list[str]]:
    """Replace figures the notes give another value for under the same subject, in place.

    A misattributed figure ("行政处罚案件5件" where the notes say 处罚326件) and a mistyped one ("23条" where the
    notes say 32条 and never 23条) both become the notes' figure, so no wrong version is left beside the right one.
    """
    lines = [c for f in facts for c in figure_claims(f.text, year=year)]
    draft = figure_claims(text, year=year)
    swaps: list[tuple[FigureClaim, FigureClaim]] = []
    for wrong in misattributed(draft, lines):
        swaps.append((wrong.claim, wrong.expected))
    support = "\n".join(f.text for f in facts)
    missing = [
        c for c in lines if not any(matches_value(d, c) for d in draft) and not contains_figure(text, c.text)
    ]
    taken = {id(e) for _, e in swaps}
    for claim in draft:
        if any(c is claim for c, _ in swaps) or contains_figure(support, claim.text):
            continue
        if any(matches_value(claim, n) for n in lines):
            continue
        candidates = [m for m in missing if id(m) not in taken and same_unit_kind(claim.unit, m.unit)]
        if not candidates:
            continue
        best = max(candidates, key=lambda m: subject_score(claim.subject, m.subject))
        # Only a figure of the same subject (a mistyped 23条 for the notes' 32条) is put in its place. Being
        # the one missing figure of the same kind of unit is not enough: "投入执法装备资金1200万元" must not
        # become the year's fines (218.6万元); an unsupported figure of another subject is removed instead.
        if subject_score(claim.subject, best.subject) >= 0.5:
            swaps.append((claim, best))
            taken.add(id(best))
    if not swaps:
        return text, []
    done = []
    for claim, right in sorted(swaps, key=lambda s: -s[0].start):
        at = text.find(claim.text, claim.start)
        if at < 0:
            continue
        text = text[:at] + right.text + text[at + len(claim.text) :]
        done.append(f"将“{claim.subject}{claim.text}”改为材料中的“{right.text}”")
    return text, list(reversed(done))


def drop_sentences(text: str, sentences: list[str]) -> tuple[str, list[str]]:
    """Remove whole sentences (as the checks quote them, citations aside), keeping every other character."""
    wanted = {s.strip() for s in sentences}
    removed: list[str] = []
    pieces = SENTENCE_END.split(text)
    out = []
    for piece in pieces:
        body = CITATION.sub("", piece).strip()
        if body and body in wanted:
            removed.append(body)
            continue
        out.append(piece)
    return "".join(out).strip(), removed


def append_missing(text: str, clauses: list[str]) -> str:
    if not clauses:
        return text
    addition = "；".join(c.rstrip("。；") for c in clauses) + "。"
    text = text.rstrip()
    if not text:
        return addition
    return text + ("此外，" if text.endswith("。") else "。此外，") + addition


def repair_section(
    section: Section,
    checks: Checks,
    facts: list[Fact],
    sources: dict[int, Source],
    *,
    officialise: Callable[[str], str] = lambda s: s,
    year: int | None = None,
) -> tuple[Section, list[str]]:
    """Fix what can be fixed without a model; every change is listed (a repaired draft is amber, not green)."""
    text = section.text
    repairs: list[str] = []
    if checks.citations_unresolved:
        text = drop_markers(text, checks.citations_unresolved)
        repairs.append("删除了无法核对的引用标记：" + "、".join(checks.citations_unresolved))
    if checks.citations_irrelevant:
        text, dropped = drop_irrelevant_in_sentences(text, sources, section.heading)
        if dropped:
            repairs.append("删除了与句子内容无关的引用标记：" + "、".join(dropped))
    text, swapped = put_figures_in_place(text, facts, year=year)
    repairs.extend(swapped)
    note_figures = [fig for f in facts for fig in f.figures]
    by_role = checks.figures_other_year + checks.figures_superseded + checks.figures_unconfirmed
    bad = [
        f
        for f in checks.numbers_unsupported + checks.carried_over + by_role
        if not f.startswith("往年报告原句") and (contains_figure(text, f) or f[:1] in "*＊")
    ]
    if checks.not_done_as_done:
        text, removed = drop_sentences(text, checks.not_done_as_done)
        if removed:
            repairs.append("删除了把未完成事项写成已完成的句子：" + "".join(removed))
    if bad:
        text, removed, kept = drop_clauses_with(text, bad, note_figures)
        if removed:
            repairs.append("删除了含无依据数字的分句：" + "".join(removed))
        if kept:
            repairs.append("以下数字与材料数字在同一分句，未删除，请人工核对：" + "、".join(kept))
    invented = [item.split("：", 1)[1] for item in checks.claims_unsupported]
    if invented:
        text, removed = drop_clauses_naming(text, invented, note_figures)
        if removed:
            repairs.append("删除了材料和引用来源中都没有的名称或荣誉：" + "".join(removed))
    if checks.sections_unsupported:
        # Appending the notes after another report's text would hide it: the section stays red instead.
        return replace(section, text=text), repairs
    missing_now = missing_figures(facts, text, year=year)
    lost = [f for f in facts if any(fig in missing_now for fig in f.figures)]
    if lost:
        text = append_missing(text, [officialise(f.text) for f in lost])
        repairs.append("补回了遗漏的材料：" + "；".join(f.text for f in lost))
    return replace(section, text=text), repairs


def drop_irrelevant_in_sentences(
    text: str, sources: dict[int, Source], heading: str
) -> tuple[str, list[str]]:
    """Remove [n] from each sentence it does not fit, keeping paragraphs and every other character."""
    from drafting.text.relevance import citation_relevant

    removed: list[str] = []

    def fix(sentence: str) -> str:
        body = CITATION.sub("", sentence)
        for n in [int(x) for x in CITATION.findall(sentence)]:
            src = sources.get(n)
            if src is not None and not citation_relevant(body, src, heading):
                sentence = sentence.replace(f"[{n}]", "")
                removed.append(f"[{n}]")
        return sentence

    fixed = re.sub(r"[^。；！？\n]+[。；！？]?", lambda m: fix(m.group(0)), text)
    return fixed, list(dict.fromkeys(removed))
