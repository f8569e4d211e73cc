"""Repairs after the checks: which problems call for one, how bad a result is, and the offline repair itself.

The LLM engine gets one re-ask with `problem_lines`; whatever is still wrong is repaired here without a
model: unverifiable [n] markers dropped, clauses with unsupported figures removed, missing note figures
appended as sentences of the notes.
"""

from __future__ import annotations

from dataclasses import replace

from drafting.compose import officialise
from drafting.normalize import strip_markdown, to_fullwidth
from drafting.verify import append_missing, drop_clauses_with, drop_markers
from zhibi.types import Checks, Fact, Section

# Section warnings that record a repair (the draft-wide Checks.repairs list gathers them).
REPAIR_PREFIXES = ("删除了", "补回了", "已请大模型", "以下数字")


def clean(raw: str) -> str:
    """An engine's raw text as paragraphs of full-width prose without Markdown."""
    text = strip_markdown(raw)
    paragraphs = [to_fullwidth(p) for p in text.split("\n") if p.strip()]
    return "\n\n".join(paragraphs)


def needs_repair(checks: Checks) -> bool:
    return bool(
        checks.facts_missing
        or checks.numbers_unsupported
        or checks.citations_unresolved
        or checks.carried_over
    )


def severity(checks: Checks) -> int:
    return (
        3 * len(checks.facts_missing)
        + 2 * len(checks.carried_over)
        + 2 * len(checks.numbers_unsupported)
        + len(checks.citations_unresolved)
    )


def problem_lines(checks: Checks) -> list[str]:
    """The problems of an attempt, as the re-ask tells them to the model."""
    lines = []
    if checks.facts_missing:
        lines.append("漏掉了材料中的数字：" + "、".join(checks.facts_missing) + "，请原样写入")
    if checks.numbers_unsupported:
        lines.append("出现了材料中没有的数字：" + "、".join(checks.numbers_unsupported) + "，请删除")
    if checks.carried_over:
        lines.append("沿用了往年报告的数字：" + "、".join(checks.carried_over) + "，请删除")
    if checks.citations_unresolved:
        lines.append(
            "引用标记无对应来源：" + "、".join(checks.citations_unresolved) + "，请删除或改用参考资料中的编号"
        )
    return lines


def repair(section: Section, checks: Checks, facts: list[Fact]) -> tuple[Section, list[str]]:
    text = section.text
    repairs = []
    if checks.citations_unresolved:
        text = drop_markers(text, checks.citations_unresolved)
        repairs.append("删除了无法核对的引用标记：" + "、".join(checks.citations_unresolved))
    bad = checks.numbers_unsupported + checks.carried_over
    if bad:
        note_figures = [fig for f in facts for fig in f.figures]
        text, removed, kept = drop_clauses_with(text, bad, note_figures)
        if removed:
            repairs.append("删除了含无依据数字的分句：" + "".join(removed))
        if kept:
            repairs.append("以下数字与材料数字在同一分句，未删除，请人工核对：" + "、".join(kept))
    missing = [f for f in facts if any(fig in checks.facts_missing for fig in f.figures)]
    if missing:
        text = append_missing(text, [officialise(f.text) for f in missing])
        repairs.append("补回了遗漏的材料：" + "；".join(f.text for f in missing))
    return replace(section, text=text), repairs


def check_warnings(checks: Checks) -> list[str]:
    """What the checks still find, as warnings shown under the section."""
    out = []
    if checks.facts_missing:
        out.append("遗漏材料数字：" + "、".join(checks.facts_missing))
    if checks.numbers_unsupported:
        out.append("数字无依据：" + "、".join(checks.numbers_unsupported))
    if checks.carried_over:
        out.append("疑似沿用往年数字：" + "、".join(checks.carried_over))
    if checks.citations_unresolved:
        out.append("引用无法核对：" + "、".join(checks.citations_unresolved))
    return out
