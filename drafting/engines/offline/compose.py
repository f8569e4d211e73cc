"""The offline engine: a deterministic composer that writes a section in 公文 style with no model.

Plan: the section's facts are grouped by the notes' own heading (Fact.headings) when the notes give one, else by
topic (the phrase bank in outline.toml); two or more groups become numbered points, each opened by a short lead
("1、加大执法办案力度。"). Sentences: every fact goes through the register table (drafting/register.py, on jieba
tokens) and the verb lexicon (drafting/phrasing.py), then ends as a sentence of its own. A statute clause is
cited after the one sentence it supports, or not at all. It never adds a figure: every number it writes comes
from a fact line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.types import Fact, Source
from drafting.engines.base import SectionContext, TokenFn
from drafting.engines.offline import parts, patterns
from drafting.engines.offline.data import done_with_outline, outline_path, using_outline
from drafting.engines.offline.phrasing import (
    TRANSITIVE,
    drop_office_label,
    heading_names,
    label_lead,
    phrase,
    quote_programmes,
)
from drafting.engines.offline.register import to_written, we_of
from drafting.sources.prior import bigrams
from drafting.text.normalize import tidy
from drafting.text.numbers import cn_numeral, find_figures
from drafting.text.relevance import RELEVANCE, relevance, supports_claim
from drafting.text.tokens import tokens
from drafting.text.units import split_units

__all__ = ["OfflineEngine", "compose_section", "officialise", "we_of", "enumerate_clauses", "preamble_text"]

SAID_TOPIC = re.compile(r"^在([\u4e00-\u9fff]{1,8}?)方面[，,]")
TOPIC_LABEL = re.compile(r"^([^：，。；]{1,12})：(.+)$")
# What a form's unfilled field holds: the date's characters, a stamp's place, blanks.
FORM_BLANK = re.compile(r"^[\s　年月日（）()盖章签字_＿□]*$")
# Labels that name the part a line belongs to ("问题：", "明年："): the part says it already.
PART_LABEL = re.compile(r"^(?:问题|不足|原因|明年|今年|下一步|打算|计划|安排|亮点|特色|其他|\d{4}年)$")
# Bigrams too common in 公文 to show that a statute clause and a sentence are about the same thing.
GENERIC = frozenset(
    "行政 法治 政府 依法 建设 工作 管理 部门 机关 单位 有关 规定 应当 进行 开展 实施 落实 推进 加强 相关 制度"
    " 人民 国家 按照 依照 组织 服务 情况".split()
)


@dataclass
class Topic:
    name: str
    cues: tuple[str, ...]
    leads: tuple[str, ...]


@dataclass
class Group:
    lead: str  # "" when the section is one paragraph
    facts: list[Fact] = field(default_factory=list)
    # The lead is the notes' own heading: it groups the lines but is never written (a heading copied from the
    # notes is their wrapping, not the report's words); the point opens "一是……" instead.
    from_notes: bool = False


@lru_cache(maxsize=4)
def phrase_bank(path: str) -> tuple[Topic, ...]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return ()
    return tuple(
        Topic(p.get("topic", ""), tuple(p.get("cues", ())), tuple(p.get("lead", ())))
        for p in data.get("phrase", [])
    )


@lru_cache(maxsize=4)
def section_names(path: str) -> dict[str, tuple[str, ...]]:
    """Each section's other names in notes (its aliases): "普法" names 深入推进法治宣传教育."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}
    return {s["key"]: tuple(s.get("aliases", ())) for s in data.get("section", []) if "key" in s}


def names_section(topic: str, ctx: SectionContext) -> bool:
    """Whether a topic the notes said ("在普法方面，") only names the section it sits in."""
    return heading_names(topic, ctx.heading) or topic in section_names(outline_path()).get(ctx.key, ())


DEFAULT_PREAMBLE = (
    "{year}年，{unit}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，{plan}"
    "认真落实法治政府建设各项任务。现将{year}年度法治政府建设情况报告如下："
)


@lru_cache(maxsize=4)
def _preamble_data(path: str) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8")).get("preamble", {})
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


def preamble_text(unit: str, year: int, path: str = "") -> str:
    """The report's first paragraph: guidance, the national plan in force in the report year, why it reports."""
    data = _preamble_data(path or outline_path())
    plan = next(
        (p["title"] for p in data.get("plans", []) if p.get("from", 0) <= year <= p.get("to", 9999)), ""
    )
    return data.get("text", DEFAULT_PREAMBLE).format(
        year=year, unit=unit, plan=f"按照{plan}部署，" if plan else "", rule=data.get("rule", "")
    )


def officialise(text: str, *, unit: str = "", year: int | None = None) -> str:
    """A note line as a written clause: register converted, verbs supplied, end punctuation off."""
    text = to_written(text, unit=unit, year=year).text
    text = phrase(text)
    text = text.strip().rstrip("；;，,。.、 ")
    # A sentence break inside one fact would split it from its figures: keep the fact as one clause.
    return tidy(inner_breaks(text))


class OfflineEngine:
    name = "offline"

    def __init__(self) -> None:
        self.last_flags: list[str] = []  # relative times the register table could not resolve

    def write(self, ctx: SectionContext, on_token: TokenFn | None = None) -> str:
        flags: list[str] = []
        token = using_outline(ctx.outline_path)
        try:
            text = compose_section(ctx, flags=flags)
        finally:
            done_with_outline(token)
        self.last_flags = list(dict.fromkeys(flags))
        if on_token:
            for piece in re.split(r"(?<=[。；：])", text):
                if piece:
                    on_token(piece)
        return text


# -- sentences --------------------------------------------------------------------------------------------------


def clause_of(fact: Fact, ctx: SectionContext | None = None, flags: list[str] | None = None) -> str:
    """One fact as a written clause (no end punctuation)."""
    unit = ctx.unit if ctx else ""
    year = ctx.year if ctx else None
    text = OWN_ORDINAL.sub("", drop_reply(written_marks(drop_office_label(fact.text))))
    if fact.origin and text.startswith(fact.origin):
        text = text[len(fact.origin) :].lstrip("：: ")
    if FRAME_ONLY.match(text.strip("，。；：、 ")) or FORM_QUESTION.match(text):
        return ""
    label = ""
    if (m := TOPIC_LABEL.match(text)) and not find_figures(m.group(1)):
        label, text = m.group(1), m.group(2)
        if PART_LABEL.match(label):
            label = ""
        if FORM_BLANK.match(text):
            return ""  # "审核意见：年 月 日": a form's field nobody filled in says nothing
    converted = to_written(text, unit=unit, year=year)
    if flags is not None:
        flags.extend(converted.flags)
    written = converted.text
    if ctx is not None and (m := SAID_TOPIC.match(written)) and names_section(m.group(1), ctx):
        written = written[m.end() :]  # "在学法方面，" under 抓好学法用法: the heading says it
    if ctx is not None and ctx.prior_text:
        # Wording of last year's same section where a clause fits one of its patterns; never its figures.
        written = patterns.rephrase(written, patterns.mine(ctx.prior_text, year=ctx.year - 1), year=ctx.year)
    body = phrase(written).strip().rstrip("；;，,。.、 ")
    body = one_mark(inner_breaks(LIST_NUMBER.sub("", body)))
    if label:
        body = label_lead(to_written(label, unit=unit, year=year).text, body, ctx.heading if ctx else "")
    return tidy(body)


# The notes' own list numbers, at a clause's start ("2.党组中心组学法6次", "③…"): the report numbers its points
# itself. Not a decimal ("2.5万元").
LIST_NUMBER = re.compile(r"(?:^|(?<=[。；，]))\s*(?:\d{1,2}[.．、)）]|[①-⑩])\s*(?=[^\d\s.．])")
# The notes' own ordinal opening a line ("三是个别科室…"): the report numbers its points itself, and a verb put
# before it would read "落实三是…". Only at the line's start: "抓好两件事，一是…" keeps its inline list.
OWN_ORDINAL = re.compile(r"^\s*[一二三四五六七八九十]是(?![的否])[，、]?(?=[\u4e00-\u9fff“《])")
# A reply's bare yes ("答：是。", "说话人1：要。", "有，…"): it answers a question the report does not ask, and
# the deed after it is the fact. Only an assent: a bare no ("无。") carries the answer's meaning and stays.
REPLY = re.compile(r"^\s*(?:答\s*[：:]\s*)?(?:是的?|对的?|有的?|要的?|好的?|嗯|可以)\s*[。！，,；]\s*(?=\S)")
# A questionnaire's question ("问1：…？请列举具体举措"): what the form asks, never what the bureau did.
FORM_QUESTION = re.compile(r"^\s*问\s*\d{0,2}\s*[：:]")


# The shorthand of notes typed on a phone or a ledger: a tick for done (✅, ✓), an arrow for "then" (→), a
# pictograph (⏳, 🤔, 😓), a star that draws a heading (★). None of them is prose: between two clauses each is a
# clause break, at a clause's end nothing. "+" joins two things outside a quoted name ("权责清单+办事指南"), not
# inside one ("“互联网+监管”").
TYPED_MARK = re.compile(
    r"\s*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u23E9-\u23FA\u2190-\u21FF\u27F5\u27F6]"
    r"[\ufe0f\u200d]?|[■□▌◆◇★☆▶►])+\s*"
)
# Not a rise ("同比+12家") and not inside a name whose opening quote was cut off ("用+综合监管”").
PLUS_JOIN = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<!同比|环比|增长|增加|上年)(?<![比较])\s*[+＋]\s*(?=[\u4e00-\u9fff\d])(?![^“”。；]*”)"
)
QUOTED = re.compile(r"“[^”]*”|《[^》]*》")
POINTED_REMARK = re.compile(r"\s*[←⬅][^。；\n]*")


def written_marks(text: str) -> str:
    """ "办理9件✅全部按时办结" → "办理9件，全部按时办结"; "检查11处→印发整改通知6份" → "检查11处，印发…"."""
    if not TYPED_MARK.search(text) and not PLUS_JOIN.search(text):
        return text
    # An arrow pointing back at the line ("罚没款78.6万←财务对过") opens a remark about it, not a clause of it.
    text = POINTED_REMARK.sub(lambda m: "" if not find_figures(m[0]) else m[0], text)
    kept = [m[0] for m in QUOTED.finditer(text)]
    out = QUOTED.sub("\ue001", text)
    out = TYPED_MARK.sub("，", out)
    out = PLUS_JOIN.sub("和", out)
    for q in kept:
        out = out.replace("\ue001", q, 1)
    out = re.sub(r"^[，\s]+|[，\s]+$", "", out)
    return re.sub(r"，(?=[，。；：、！？（])|(?<=[。；：、！？，（])，", "", out)


# A line set off by a drawn mark with no figure and no clause of its own ("★ 综合科：合同审查与法律顾问"): a
# bulletin's subtitle, the heading of the lines under it, not a sentence of the report.
DRAWN_HEADING = re.compile(r"^\s*(?:[■□▌◆◇★☆▶►]|[\U0001F300-\U0001FAFF])")


def is_drawn_heading(fact: Fact) -> bool:
    line = (fact.raw or fact.text).strip()
    if not DRAWN_HEADING.match(line) or fact.figures or find_figures(fact.text):
        return False
    body = TYPED_MARK.sub("", line)
    return len(body) <= 30 and not re.search(r"[，。；,;]", body)


# A clause that only frames what follows ("据统计", "总的来看"): cut from its sentence by the reader, it says nothing.
FRAME_ONLY = re.compile(
    r"^(?:据统计|经统计|据了解|总的来看|总的来说|总体来看|总体上|另外|此外|同时|其中|具体来说|具体如下)$"
)


def drop_reply(text: str) -> str:
    """ "要。人大建议7件…" → "人大建议7件…": the assent of a reply is no clause of the report."""
    return re.sub(r"^\s*答\s*[：:]\s*", "", REPLY.sub("", text, count=1))


# A line's first sentence that only names what the rest does ("强化财会监督。开展专项行动…"): its point, said
# before the deeds; no figure, no clause of its own.
POINT_FIRST = re.compile(r"^[^，；。：、\d]{4,10}。(?=.)")


def inner_breaks(text: str) -> str:
    """A sentence break inside one fact would split it from its figures: the fact stays one sentence, its parts
    joined by "；", and its point, when it opens with one, by "，" ("强化财会监督，开展专项行动…")."""
    if (m := POINT_FIRST.match(text)) and _names_a_task(m[0][:-1]):
        text = m[0][:-1] + "，" + text[m.end() :]
    return re.sub(r"。(?=.)", "；", text)


def _names_a_task(text: str) -> bool:
    """ "强化财会监督", "严格合法性审查": a verb (or a manner) and the thing it works on, nothing said of it being done
    ("考试已整改") and no remark ("顾问还是恒正所")."""
    toks = [t for t in tokens(text) if t[0].strip()]
    if len(toks) < 2 or re.search(r"已|还|是|了|吗|吧", text):
        return False
    opens = (toks[0][1].startswith(("v", "a", "d")) and toks[0][1] != "vn") or toks[0][0] in TRANSITIVE
    return opens and toks[-1][1].startswith(("n", "vn"))


def one_mark(text: str) -> str:
    """ "建立台账，；受理3件" → "建立台账；受理3件": where a clause was taken out between two marks, the stronger
    one stays; a mark that opens the text goes."""
    text = re.sub(r"[，；、]{2,}", lambda m: "；" if "；" in m[0] else "，", text)
    return re.sub(r"^[，；、。]+", "", text)


def written_line(fact: Fact, ctx: SectionContext, flags: list[str]) -> str:
    """A note line in written register, its own words and any "标签：" kept (the parts composer reads them)."""
    text = drop_reply(written_marks(drop_office_label(fact.text)))
    if fact.origin and text.startswith(fact.origin):
        text = text[len(fact.origin) :].lstrip("：: ")
    if (m := TOPIC_LABEL.match(text)) and PART_LABEL.match(m.group(1)):
        text = m.group(2)
    converted = to_written(text, unit=ctx.unit, year=ctx.year)
    flags.extend(converted.flags)
    return tidy(one_mark(re.sub(r"[，；、]+。", "。", converted.text)).strip().rstrip("；;，,。.、 "))


def sentence(clause: str) -> str:
    clause = clause.rstrip("；;，,。.、 ")
    return clause + "。" if clause else ""


def enumerate_clauses(clauses: list[str]) -> str:
    if len(clauses) == 1:
        return clauses[0] + "。"
    out = []
    for i, clause in enumerate(clauses):
        label = cn_numeral(i + 1) + "是"
        out.append(label + clause)
    return "；".join(out) + "。"


# -- planning ---------------------------------------------------------------------------------------------------


BRACKET_HEADING = re.compile(r"^\s*[【\[]([^】\]]{1,16})[】\]]\s*$")


def lift_headings(facts: list[Fact]) -> list[Fact]:
    """A line that is only a bracket label ("【调解】") heads the lines after it; it is not a sentence."""
    out: list[Fact] = []
    current = ""
    for fact in facts:
        if (m := BRACKET_HEADING.match(fact.text)) and not fact.figures:
            current = m.group(1)
            continue
        if current and not fact.headings:
            fact = Fact(**{**fact.__dict__, "headings": [current]})
        out.append(fact)
    return out


def plan_groups(facts: list[Fact], variant: int = 0) -> list[Group]:
    """Facts grouped by the notes' own heading, else by topic; one unnamed group when grouping says nothing."""
    # A heading that names a section of the outline is the notes' wrapping (the section heading says it
    # already, or the line was placed elsewhere): only the notes' own topic headings become leads.
    own = [f.headings[-1] if f.headings and not _names_a_section(f.headings[-1]) else "" for f in facts]
    if any(own) and len({h for h in own if h}) >= 2:
        groups: dict[str, Group] = {}
        for fact, heading in zip(facts, own, strict=True):
            lead = heading_lead(heading) if heading else ""
            groups.setdefault(lead, Group(lead, from_notes=True)).facts.append(fact)
        return list(groups.values())
    if len(facts) < 4:
        return [Group("", list(facts))]
    bank = phrase_bank(outline_path())
    by_topic: dict[str, list[Fact]] = {}
    for fact in facts:
        by_topic.setdefault(topic_of(fact.text, bank), []).append(fact)
    named = [t for t in by_topic if t]
    if len(named) < 2 or any(len(v) < 1 for v in by_topic.values()):
        return [Group("", list(facts))]
    leads = {t.name: t.leads for t in bank}
    out = []
    for topic, members in by_topic.items():
        choices = leads.get(topic, ())
        out.append(Group(choices[variant % len(choices)] if choices else "", members))
    # Facts no topic claimed join a neighbouring group rather than standing without a lead.
    merged: list[Group] = []
    for g in out:
        if not g.lead and merged:
            merged[-1].facts.extend(g.facts)
        else:
            merged.append(g)
    if len(merged) > 1 and not merged[0].lead:
        merged[1].facts[:0] = merged[0].facts
        merged = merged[1:]
    return merged


def _names_a_section(heading: str) -> bool:
    from drafting.outline import load_outline

    return load_outline(outline_path()).match_heading(heading) is not None


# Nouns of a place, a body or a thing: a cue right before one only says which ("培训机构", "监管平台").
QUALIFIED_HEADS = re.compile(r"^(?:机构|机关|中心|学校|基地|平台|系统|场所|窗口|队伍|人员|终端|设备|班子)")


def topic_of(text: str, bank: tuple[Topic, ...]) -> str:
    """The bank's topic whose cues weigh most in the text; a cue that qualifies a noun after it weighs little
    ("养老培训机构检查" is a check, not a training)."""
    best = ("", 0.0)
    for topic in bank:
        score = 0.0
        for cue in topic.cues:
            at = text.find(cue)
            if at < 0:
                continue
            score += len(cue) * (0.35 if QUALIFIED_HEADS.match(text[at + len(cue) :]) else 1.0)
        if score > best[1]:
            best = (topic.name, score)
    return best[0]


def heading_lead(heading: str) -> str:
    """A notes heading as a lead phrase: numbering and colons off, register written, no office names."""
    from drafting.outline import strip_numbering

    text = strip_numbering(heading).strip("：: *#")
    text = re.sub(r"[（(][^）)]*[）)]$", "", text)
    return to_written(text).text


# -- the section ------------------------------------------------------------------------------------------------


# Short counts of adjacent note lines (a pasted table's rows, a list of tallies) make one sentence, not a row each:
# "检查企业1186家次，发现隐患4321条。" rather than "检查企业1186家次。发现隐患4321条。".
SHORT_COUNT = 20


def sentences_of(facts: list[Fact], ctx: SectionContext, flags: list[str]) -> str:
    out: list[str] = []
    prev: Fact | None = None
    run = 0  # short counts joined into the last sentence so far (0: the last sentence is not such a run)
    for f in facts:
        clause = clause_of(f, ctx, flags)
        if not clause:
            continue
        short = _short_count(clause, f)
        if short and run and prev is not None and 0 < f.line_no - prev.line_no <= 2 and run < 4:
            out[-1] = out[-1][:-1] + "，" + sentence(clause)
            run += 1
        elif prev is not None and out and _one_deed(prev, f, out[-1], clause):
            out[-1] = out[-1][:-1] + "，" + sentence(clause)
            run = 0
        else:
            out.append(sentence(clause))
            run = 1 if short else 0
        prev = f
    return "".join(out)


# The longest tail of a line that cannot stand as a sentence of its own ("经复议维持", "均已按期答复").
TAIL = 12
# Adverbs and prepositions jieba may tag otherwise ("经/n 县政府验收").
TAIL_START = re.compile(r"^(?:经|均|全部|已|并|且|预计|正在|尚|由|于)")


def _one_deed(prev: Fact, fact: Fact, last: str, clause: str) -> bool:
    """A short clause the reader cut from the line before it, with no subject and no figure of its own ("经复议
    维持", "预计6月上线"): it ends that line's sentence, it cannot stand as one."""
    if fact.line_no != prev.line_no or fact.key != prev.key or len(clause) > TAIL or find_figures(clause):
        return False
    first = next((t for t in tokens(clause) if t[0].strip()), ("", ""))
    opens_on_predicate = first[1].startswith(("d", "v", "p", "c")) or bool(TAIL_START.match(clause))
    return opens_on_predicate and len(last) + len(clause) <= 90


def _short_count(clause: str, fact: Fact) -> bool:
    return bool(fact.figures) and len(clause) <= SHORT_COUNT and not re.search(r"[，；。：]", clause)


def compose_section(ctx: SectionContext, flags: list[str] | None = None) -> str:
    we = we_of(ctx.unit)
    facts = lift_headings(list(ctx.facts))
    # A bulletin's drawn subtitle is not written; a section of nothing else keeps it rather than go empty.
    facts = [f for f in facts if not is_drawn_heading(f)] or facts
    if not facts:
        return ""
    flags = flags if flags is not None else []
    lead = "" if ctx.concise else opening(ctx, we)
    if ctx.key.startswith("plans"):
        lines = [written_line(f, ctx, flags) for f in facts]
        # A plan's own "2025年" goes only where the opening says the year already.
        said = f"{ctx.year + 1}年" in (lead or "")
        text = parts.write_plans(lines, opening=lead or "", next_year=ctx.year + 1 if said else None)
    elif ctx.key.startswith("shortcomings"):
        items = [
            (
                written_line(f, ctx, flags),
                parts.role_of(f.raw or f.text, f.headings, text=f.text),
            )
            for f in facts
        ]
        text = parts.write_shortcomings(items, we=we, opening=lead or "", variant=ctx.variant)
    else:
        groups = plan_groups(facts, ctx.variant)
        if ctx.key == "other" and len(groups) == 1 and len(facts) >= 2 and not ctx.concise:
            # Highlights are separate things, each its own point ("一是……。二是……。"), not one run of sentences.
            clauses = [c for f in facts if (c := clause_of(f, ctx, flags))]
            text = (lead or "") + "".join(
                parts.ordinal(i) + sentence(re.sub(r"^\d{1,2}[.．、]\s*(?=\D)", "", c))
                for i, c in enumerate(clauses)
            )
        elif len(groups) == 1 or ctx.concise:
            body = sentences_of(facts, ctx, flags)
            text = (lead or "") + body
        else:
            points = []
            number = 0
            for g in groups:
                body = sentences_of(g.facts, ctx, flags)
                # "一是加大执法办案力度。办理……": a point opens on its ordinal, with the bank's lead when the
                # topic gave one (the report's own words), on its facts when the notes' heading grouped them.
                if g.lead:
                    lead_sentence = "" if g.from_notes else f"{g.lead}。"
                    points.append(parts.ordinal(number) + lead_sentence + body)
                    number += 1
                else:
                    points.append(body)
            text = (lead + "\n" if lead else "") + "\n".join(points)
        if not ctx.concise:
            text += closing_sentence(ctx)
    return cite_where_supported(quote_programmes(text), ctx.sources, heading=ctx.heading)


def opening(ctx: SectionContext, we: str) -> str:
    """The outline's opening for this section, rotated by ctx.variant; past wording only from the same unit."""
    candidates = [c for c in ctx.leads]
    past = past_opening(ctx)
    if past:
        candidates.append(past)
    if not candidates:
        return ""  # the outline gives this part no opening: the facts speak for themselves
    chosen = candidates[ctx.variant % len(candidates)]
    if chosen is past:
        return past
    text = chosen.format(unit=ctx.unit, we=we, year=ctx.year, next_year=ctx.year + 1, basis="")
    if ctx.level == 2 and ctx.variant % 2 == 1 and text.startswith(we):
        # Another opening for the same part: the subject goes, the sentence starts with what was done.
        text = f"{ctx.year}年以来，" + text
    elif ctx.level == 2 and text.startswith(we) and not ctx.heading.startswith(("（一）", "(一)")):
        text = text[len(we) :]  # only the first sub-section of a part names the bureau
    return text


def past_opening(ctx: SectionContext) -> str:
    """A figure-free opening sentence of the same unit's past section, cited as past wording."""
    for src in ctx.sources:
        if src.role == "opening":
            return f"{src.quote.rstrip('。')}[{src.id}]。"
    return ""


def closing_sentence(ctx: SectionContext) -> str:
    for src in ctx.sources:
        if src.role == "closing":
            return f"{src.quote.rstrip('。')}[{src.id}]。"
    return ""


# The verifier's threshold, bound once: bench/claims_bench.py lowers the verifier's to see what is cited.
CITE_AT = RELEVANCE


def cite_where_supported(text: str, sources: list[Source], *, heading: str = "", minimum: int = 3) -> str:
    """Put each statute clause's [n] after the sentence it supports most; a clause that supports none is left out."""
    basis = [s for s in sources if s.role == "basis"]
    if not basis:
        return text
    sentences = re.split(r"(?<=[。])", text)
    taken: set[int] = set()
    for src in basis:
        want = {b for b in bigrams(src.quote) if b not in GENERIC}
        best: tuple[int, int] | None = None
        for i, s in enumerate(sentences):
            if not s or i in taken or re.search(r"\[\d+\]", s):
                continue
            score = len(want & {b for b in bigrams(s) if b not in GENERIC})
            # The verifier's own relevance test (the unit the marker ends, with the section heading), and the
            # same unit alone: a clause is cited for what the sentence itself says ("负责人" in a heading is no
            # reason to cite 行政强制法 on a leadership formula), and never where the verifier would strip it.
            units = split_units(s)
            unit = units[-1].text if units else s
            if score < minimum or min(relevance(unit, src), relevance(unit, src, heading)) < CITE_AT:
                continue
            if not supports_claim(unit, src):
                continue  # the sentence shares the clause's topic, not what the clause says
            if best is None or score > best[1]:
                best = (i, score)
        if best is not None:
            i = best[0]
            taken.add(i)
            sentences[i] = (
                sentences[i][:-1] + f"[{src.id}]。" if sentences[i].endswith("。") else sentences[i]
            )
    return "".join(sentences)


def outline_formulas(outline, unit: str, year: int, path: str = "") -> list[str]:  # noqa: ANN001 - drafting.outline.Outline
    """The tool's own wording (every opening sentence of the outline and the preamble): never a claim of fact."""
    we = we_of(unit)
    out = [preamble_text(unit, year, path)]
    for entry in outline.entries:
        out.append(entry.render_heading(year))
        for lead in entry.lead:
            try:
                out.append(lead.format(unit=unit, we=we, year=year, next_year=year + 1, basis=""))
            except (KeyError, IndexError):
                out.append(lead)
    return out
