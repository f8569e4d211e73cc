"""Repairs after the checks: which problems call for one, how bad a result is, and the offline repair itself.

The LLM engine gets one re-ask with `problem_lines`; whatever is still wrong is repaired here without a
model (drafting.checks.verify.repair_section): unverifiable or irrelevant [n] markers dropped, a misattributed or
mistyped figure replaced by the notes' own, clauses with unsupported figures or invented names removed, missing
note figures appended as sentences of the notes, except in a section mostly not stated by the notes (red).
"""

from __future__ import annotations

from drafting.checks.verify import repair_section
from drafting.engines.offline.compose import officialise
from drafting.text.normalize import strip_markdown, to_fullwidth
from zhibi.types import Checks, Fact, Section, Source

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
    """The offline repair (drafting.checks.verify.repair_section), note lines appended in written style.

    The unit and year reach the register conversion: a line put back says 我局 and "2021年", not 我们 and 去年.
    """

    def written(text: str) -> str:
        return officialise(text, unit=unit, year=year)

    return repair_section(section, checks, facts, sources, officialise=written, year=year)


def check_warnings(checks: Checks) -> list[str]:
    """What the checks still find, as warnings shown under the section."""
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
    return out
