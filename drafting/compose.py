"""The offline engine: a deterministic composer that writes a section in 公文 style with no model.

Opening sentence from the outline (with a cited clause of a statute where one fits), the notes' facts as
official clauses joined with "；", and a closing sentence taken from last year's wording where it has one.
It never adds a figure: every number it writes comes from a fact line or a cited quote.
"""

from __future__ import annotations

import re

from drafting.engine import SectionContext, TokenFn
from drafting.normalize import tidy
from drafting.numbers import find_figures
from zhibi.types import Fact

ORDINALS = "一二三四五六七八九十"

# Colloquial note wording → written style. Never touches digits.
_PLAIN_TO_OFFICIAL = [
    (re.compile(r"(^|[，；、])跟"), r"\1与"),
    (re.compile(r"正在跟"), "正在与"),
    (re.compile(r"正与"), "正在与"),
    (re.compile(r"搞了"), "开展了"),
    (re.compile(r"搞"), "开展"),
    (re.compile(r"还要提高"), "有待提高"),
    (re.compile(r"还要"), "仍需"),
    (re.compile(r"还是"), "仍为"),
    (re.compile(r"做不到"), "尚不能"),
    (re.compile(r"才完成"), "完成"),
    (re.compile(r"比较单一"), "较为单一"),
    (re.compile(r"这块"), "方面"),
    (re.compile(r"按“"), "按照“"),
    (re.compile(r"咱们|我们"), "我局"),
]
COUNTERMEASURE = re.compile(r"^(?:对策(?:建议)?|措施|下一步|整改措施)[：:]\s*")


def we_of(unit: str) -> str:
    """How a bureau refers to itself: 我局 / 我委 / 我办 …, else 本单位."""
    for suffix, we in (
        ("局", "我局"),
        ("委员会", "我委"),
        ("委", "我委"),
        ("办公室", "我办"),
        ("办", "我办"),
        ("厅", "我厅"),
        ("院", "我院"),
        ("中心", "我中心"),
        ("所", "我所"),
    ):
        if unit.endswith(suffix):
            return we
    return "本单位"


def officialise(text: str) -> str:
    """A note line as a written clause: label dropped by the caller, colloquialisms replaced, end punctuation off."""
    for pattern, repl in _PLAIN_TO_OFFICIAL:
        text = pattern.sub(repl, text)
    text = text.strip().rstrip("；;，,。.、 ")
    # A sentence break inside one fact would split the enumeration: keep the fact as one clause.
    text = re.sub(r"。(?=.)", "；", text)
    return tidy(text)


class OfflineEngine:
    name = "offline"

    def write(self, ctx: SectionContext, on_token: TokenFn | None = None) -> str:
        text = compose_section(ctx)
        if on_token:
            for piece in re.split(r"(?<=[。；：])", text):
                if piece:
                    on_token(piece)
        return text


def compose_section(ctx: SectionContext) -> str:
    we = we_of(ctx.unit)
    facts = [f for f in ctx.facts]
    if not facts:
        return ""
    paragraphs: list[str] = []
    lead = "" if ctx.concise else opening(ctx, we)
    if ctx.key == "plans":
        body = enumerate_clauses([clause_of(f) for f in facts])
        paragraphs.append((lead or "") + body)
    elif ctx.key == "shortcomings":
        problems = [f for f in facts if not COUNTERMEASURE.match(f.text)]
        remedies = [f for f in facts if COUNTERMEASURE.match(f.text)]
        parts = []
        if problems:
            parts.append((lead or "") + enumerate_clauses([clause_of(f) for f in problems]))
        if remedies:
            steps = "；".join(officialise(COUNTERMEASURE.sub("", f.text)) for f in remedies)
            parts.append(f"针对上述问题，下一步将{_drop_leading_will(steps)}。")
        paragraphs.append("".join(parts))
    else:
        clauses = [clause_of(f) for f in facts]
        body = "；".join(clauses) + "。"
        closing = "" if ctx.concise else closing_sentence(ctx)
        paragraphs.append((lead or "") + body + closing)
    return "\n\n".join(p for p in paragraphs if p)


def clause_of(fact: Fact) -> str:
    from drafting.notes import LABEL

    text = fact.text
    m = LABEL.match(text)
    if m and not find_figures(m.group(1)):
        # "“三亮”：执法证件…统一规范管理" → "“三亮”方面，执法证件…"; keeps every word of the note.
        text = f"{m.group(1)}方面，{m.group(2)}" if len(m.group(1)) <= 6 else f"{m.group(1)}，{m.group(2)}"
    return officialise(text)


def enumerate_clauses(clauses: list[str]) -> str:
    if len(clauses) == 1:
        return clauses[0] + "。"
    out = []
    for i, clause in enumerate(clauses):
        label = (ORDINALS[i] if i < len(ORDINALS) else str(i + 1)) + "是"
        out.append(label + clause)
    return "；".join(out) + "。"


def _drop_leading_will(text: str) -> str:
    return re.sub(r"^(?:将|要)", "", text)


def opening(ctx: SectionContext, we: str) -> str:
    """The outline's opening sentence for this section, rotated by ctx.variant, with a cited statute clause."""
    basis = basis_clause(ctx)
    candidates = list(ctx.leads)
    if not candidates:
        return ""  # the outline gives this part no opening: the facts speak for themselves
    past = past_opening(ctx)
    if past:
        candidates.append(past)  # last year's wording, offered when the editor asks for another opening
    chosen = candidates[ctx.variant % len(candidates)]
    if chosen is past:
        return past
    used_basis = "{basis}" in chosen
    text = chosen.format(unit=ctx.unit, we=we, year=ctx.year, next_year=ctx.year + 1, basis=basis)
    if not used_basis and basis and ctx.level == 2 and not ctx.key.startswith(("plans", "shortcomings")):
        text = text.rstrip("。") + basis + "。"
    return text


def basis_clause(ctx: SectionContext) -> str:
    """ "，认真执行《中华人民共和国行政处罚法》关于“行政处罚遵循公正、公开的原则”的规定[3]" or ""."""
    for src in ctx.sources:
        if src.role == "basis":
            return f"，认真执行《{src.title}》关于“{src.quote.rstrip('。；')}”的规定[{src.id}]"
    return ""


def past_opening(ctx: SectionContext) -> str:
    """A figure-free opening sentence of last year's matching section, cited as past wording."""
    for src in ctx.sources:
        if src.role == "opening":
            return f"{src.quote.rstrip('。')}[{src.id}]。"
    return ""


def closing_sentence(ctx: SectionContext) -> str:
    for src in ctx.sources:
        if src.role == "closing":
            return f"{src.quote.rstrip('。')}[{src.id}]。"
    return ""
