"""Last year's report: which one it is, its parts mapped to outline keys by meaning, its promises as a checklist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.types import Chunk, DocumentInfo, Draft, Fact, PlanItem
from drafting.outline import Outline, strip_numbering

if TYPE_CHECKING:
    from core.ports import Corpus

LEVEL2 = re.compile(r"^([一二三四五六七八九十]+)?([（(][一二三四五六七八九十]+[）)])?")


@dataclass
class PriorSection:
    key: str
    heading: str
    locator: str
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def text(self) -> str:
        return without_trailer("\n".join(c.text for c in self.chunks))


# A line of prose ends in, or holds, sentence punctuation; the lines after a report's last sentence (the 落款:
# unit and date, and a web page's "扫码使用手机浏览本页内容") are not part of its last section.
PROSE = re.compile(r"[。；，：！？,;:]")


def without_trailer(text: str) -> str:
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or (len(lines[-1].strip()) <= 40 and not PROSE.search(lines[-1]))):
        lines.pop()
    return "\n".join(lines)


@dataclass
class PriorReport:
    doc: DocumentInfo
    sections: dict[str, PriorSection] = field(default_factory=dict)

    def section(self, key: str) -> PriorSection | None:
        return self.sections.get(key)


def last_year_report(docs: list[DocumentInfo], unit: str, year: int) -> DocumentInfo | None:
    """The same bureau's latest report before `year`, or None.

    Another bureau's report is never "last year's report": handed to a model as the section to follow, it
    gets copied (another district's ports and railways in a transport bureau's draft). Such reports still
    serve as short wording examples through search.
    """
    earlier = [
        d
        for d in docs
        if d.kind == "report" and d.year is not None and d.year < year and same_bureau(d, unit)
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda d: (d.year or 0, d.title))


_NOISE = re.compile(r"[\s　·•]|^中共|^中国共产党")


def same_bureau(doc: DocumentInfo, unit: str) -> bool:
    """Whether a report was issued by `unit`: the names agree, allowing for a prefix ("聊城市东昌府区…").

    A masked name ("**区交通运输局", as published reports often are) proves nothing and does not match.
    """
    unit = _NOISE.sub("", unit or "")
    if len(unit) < 3:
        return False
    issuer = _NOISE.sub("", doc.issuer or "")
    if issuer:
        if "*" in issuer or len(issuer) < 3:
            return False
        return issuer == unit or issuer.endswith(unit) or unit.endswith(issuer)
    return unit in _NOISE.sub("", doc.title or "")


def map_report(chunks: list[Chunk], outline: Outline) -> dict[str, PriorSection]:
    """Group a past report's chunks by part and sub-section and name each group with an outline key."""
    groups: dict[tuple[str, str], list[Chunk]] = {}
    for chunk in chunks:
        m = LEVEL2.match(chunk.locator or "")
        sub = (m.group(2) or "") if m and m.group(1) else ""
        groups.setdefault((chunk.part, sub), []).append(chunk)
    part_keys: dict[str, str] = {}
    for part in {p for p, _ in groups}:
        part_chunks = [c for (p, _), cs in groups.items() if p == part for c in cs]
        part_keys[part] = _part_key(part, part_chunks, outline)
    sections: dict[str, PriorSection] = {}
    for (part, sub), group in groups.items():
        part_key = part_keys.get(part)
        if not part_key:
            continue
        key = part_key
        if sub and outline.children(part_key):
            key = _sub_key(group, outline, part_key) or part_key
        elif sub:
            # A sub-section of another part that names a measures area ("（二）严格落实重大行政决策程序").
            key = _sub_key(group, outline, "measures", strict=True) or part_key
        heading = _group_heading(group, sub)
        locator = (m.group(1) or "") + sub if (m := LEVEL2.match(group[0].locator or "")) else sub
        for chunk in group:
            # Items of a mixed sub-section ("（三）坚持依法行政…" holds 政务服务 and 监督 items) go by their own heading.
            own = _sub_key([chunk], outline, part_key, strict=True) if outline.children(part_key) else None
            target = own if own and own != key and chunk.heading else key
            if target not in sections:
                sections[target] = PriorSection(key=target, heading=heading, locator=locator, chunks=[])
            sections[target].chunks.append(chunk)
    for s in sections.values():
        s.chunks.sort(key=lambda c: c.order)
    return sections


def _part_key(part: str, chunks: list[Chunk], outline: Outline) -> str | None:
    if not part:
        return None
    key = outline.match_heading(part)
    if key and not outline.get(key).parent:
        return key
    if key:
        return outline.get(key).parent
    # Headings such as "一、头雁领航，法治政府建设不断推进" say little: read the first paragraph too.
    scores: dict[str, int] = {}
    sample = " ".join(c.text for c in chunks[:2])
    for e in outline.parts:
        scores[e.key] = sum(sample.count(a) for a in e.aliases) * 2 + sum(sample.count(k) for k in e.keywords)
    best = max(scores.items(), key=lambda kv: kv[1])
    return best[0] if best[1] else None


def _sub_key(group: list[Chunk], outline: Outline, part_key: str, strict: bool = False) -> str | None:
    heading = " ".join(dict.fromkeys(c.heading for c in group))
    body = " ".join(c.text for c in group)
    scores: dict[str, float] = {}
    for e in outline.children(part_key):
        s = sum(3 for a in e.aliases if a in heading) + sum(2 for k in e.keywords if k in heading)
        if not strict:
            s += sum(min(body.count(k), 3) for k in e.keywords) * 0.5
        if s:
            scores[e.key] = s
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def _group_heading(group: list[Chunk], sub: str) -> str:
    first = group[0]
    return (sub + first.heading) if sub else strip_numbering(first.part)


def load_prior(corpus: Corpus, outline: Outline, unit: str, year: int) -> PriorReport | None:
    doc = last_year_report(corpus.documents(), unit, year)
    if doc is None:
        return None
    return PriorReport(doc=doc, sections=map_report(corpus.chunks(doc.title), outline))


# -- 下一年度主要安排 as a checklist -------------------------------------------------------------------------

ITEM_START = re.compile(
    r"(?:^|(?<=[。；\n]))\s*(?:\d+[、.．]|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)])"
)


def plan_items(text: str) -> list[tuple[str, str]]:
    """Split a plans section into its promises: (short label, whole item) for "1、加强…。", "一是…；", "（二）…"."""
    starts = [m.start() for m in ITEM_START.finditer(text)]
    if not starts:
        return [(s.strip(), s.strip()) for s in re.split(r"(?<=。)", text) if len(s.strip()) > 6]
    items = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        item = text[start:end].strip()
        item = re.sub(
            r"^\s*(?:\d+[、.．]|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)])", "", item
        )
        first = re.split(r"(?<=[。；])", item, maxsplit=1)[0].strip()
        if len(first) > 4:
            items.append((first, item))
    return items


def bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    stop = {
        "推进",
        "加强",
        "进一步",
        "一步",
        "工作",
        "建设",
        "落实",
        "持续",
        "开展",
        "提升",
        "法治",
        "政府",
        "全面",
        "不断",
        "提高",
        "积极",
        "我局",
        "全局",
        "有关",
        "相关",
        "情况",
        "方面",
        "以上",
        "以下",
    }
    grams = {han[i : i + 2] for i in range(len(han) - 1)}
    return {g for g in grams if g not in stop}


def plans_checklist(corpus: Corpus, outline: Outline, current: Draft, facts: list[Fact]) -> list[PlanItem]:
    """Last year's 下一年度主要安排 as a checklist, answered by this year's placed facts."""
    prior = load_prior(corpus, outline, current.unit, current.year)
    if prior is None or prior.section("plans") is None:
        return []
    covering = set(current.covering)
    items = []
    for label, whole in plan_items(prior.section("plans").text):
        # The bureau's own name ("交通运输") is in every line and says nothing about the promised work.
        want = bigrams(whole) - bigrams(current.unit)
        area = _area_of(whole, outline)
        done, not_done = [], []
        for fact in facts:
            if fact.text in covering or (fact.raw or "").strip() in covering or _is_title(fact.text):
                continue  # the notes' title answers nothing
            shared = len(want & bigrams(fact.text))
            # About the promised work: it shares its wording, or works in its area and shares some of it.
            if not (shared >= 3 or (area and fact.key == area and shared >= 1)):
                continue
            if fact.key in NOT_DONE_PARTS:
                not_done.append((shared, fact.text))  # a 问题 or a promise again: the work is not done
            else:
                done.append((shared, fact.text))
        done.sort(key=lambda t: -t[0])
        not_done.sort(key=lambda t: -t[0])
        items.append(
            PlanItem(
                text=label,
                answered=bool(done) and not not_done,
                evidence=[text for _, text in done[:3]],
                locator=prior.doc.title,
                not_done=[text for _, text in not_done[:3]],
            )
        )
    return items


# A 问题 line ("覆盖率只有60%") or a plan line ("明年继续推进……") about a promise says it is not done.
NOT_DONE_PARTS = ("shortcomings", "plans")
TITLE = re.compile(r"(?:总结|材料|报告|情况|汇报|要点|清单)[）)]?$")


def _is_title(text: str) -> bool:
    """A title over the notes ("2024年度法治政府建设工作材料"): no figure stated, named as a document."""
    return (
        len(text) <= 40
        and not re.search(r"\d+(?:\.\d+)?[^\d年]", text)
        and bool(TITLE.search(text.strip(" 。")))
    )


def _area_of(text: str, outline: Outline) -> str | None:
    scores = outline.score_line(text, within="measures")
    return max(scores.items(), key=lambda kv: kv[1])[0] if scores else None
