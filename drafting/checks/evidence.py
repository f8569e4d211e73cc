"""The sentence → evidence table of a section, carried-over wording and citation relevance.

Each sentence (a clause ended by 。；！？) is traced to the note lines that state it (by line number: shared
figures or most of a line's wording) and to the sources it cites. A sentence that neither the notes, a cited
quote nor the outline's own formulas explain is unsupported; a section made mostly of such sentences reports
someone else's work and is red.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from drafting.checks.claims import (
    bigrams,
    figure_claims,
    matches_value,
    named_claims,
)
from drafting.engines.offline.register import to_written
from drafting.text.numbers import CITATION
from zhibi.types import Fact, SentenceEvidence, Source

# A lead-in ending in "：" ("……重点抓好以下工作：") is its own unit: the items after it are judged on their own.
SENTENCE_END = re.compile(r"(?<=[。；！？：])|\n+")
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
# Content words a cited quote shares with its sentence (or the section heading), over the smaller side. Measured by
# bench/claims_bench.py on the offline drafts of the shared cases: the 10 citations the engine writes score 0.33 to
# 0.67, the same quotes against 158 sentences of other sections score 0 (median) to 0.375, one of them ≥ 0.3.
RELEVANCE = 0.3


@dataclass
class Unit:
    """One sentence of a section and where it sits."""

    text: str
    start: int


@dataclass
class SectionFindings:
    """What the evidence pass found in one section (the checks turn these into items)."""

    table: list[SentenceEvidence] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # sentences nobody supports
    mostly_unsupported: bool = False
    unsupported_share: float = 0.0
    carried_wording: list[str] = field(default_factory=list)
    irrelevant: list[int] = field(default_factory=list)  # source ids cited where they do not fit


def split_units(text: str) -> list[Unit]:
    out = []
    pos = 0
    for piece in SENTENCE_END.split(text):
        if piece is None:
            continue
        start = text.find(piece, pos) if piece else pos
        pos = start + len(piece)
        if _cjk_len(piece) == 0:
            continue
        out.append(Unit(piece.strip(), start))
    return out


def _cjk_len(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


@lru_cache(maxsize=4096)
def _written_form(text: str, year: int | None) -> str:
    """A note line in written register; cached because every section of a draft reads every note line."""
    return to_written(text, year=year).text


def section_findings(
    text: str,
    facts: list[Fact],
    sources: dict[int, Source],
    *,
    heading: str = "",
    formulas: Iterable[str] = (),
    past_reports: Iterable[str] = (),
    year: int | None = None,
) -> SectionFindings:
    findings = SectionFindings()
    formulas = list(formulas)
    # A note line supports a sentence in its own words or in the written register the composer puts it in
    # ("就两三个人" → "仅两三个人"): the draft is compared with both.
    lines = []
    for f in facts:
        forms = [g for g in dict.fromkeys((bigrams(f.text), bigrams(_written_form(f.text, year)))) if g]
        lines.append((f.line_no, forms, figure_claims(f.text, year=year)))
    formula_grams: set[str] = set()
    for formula in formulas:
        formula_grams |= bigrams(formula)
    formula_grams |= bigrams(heading)
    past = [re.sub(r"\s+", "", CITATION.sub("", p)) for p in past_reports if p]
    past_grams = _ngram_index(tuple(past))
    notes_flat = re.sub(r"\s+", "", "".join(f.text for f in facts))
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
        for line_no, forms, line_claims in lines:
            figure_match = any(matches_value(c, lc) for c in claims for lc in line_claims)
            for line_grams in forms:  # the line's own words first; its written form only when they fail
                shared = len(grams & line_grams)
                by_words = shared / len(line_grams) >= LINE_SHARE or (
                    grams and shared / len(grams) >= LINE_SHARE
                )
                if by_words or (figure_match and shared >= 2):
                    row.note_lines.append(line_no)
                    support_grams |= line_grams
                    break
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
        elif own_wording or (not specific and (explained >= EXPLAINED or _cjk_len(body) <= SHORT)):
            row.status = "formula"
        else:
            row.status = "unsupported"
        run = _carried_run(body, past, past_grams, notes_flat, [*quotes, *formulas])
        if run:
            findings.carried_wording.append(run)
            row.problems.append(f"与往年报告原句雷同：{run}")
        length = _cjk_len(body)
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


def _is_carried(run: str, past: list[str], notes: str, quotes: list[str]) -> bool:
    if run in notes or any(run in re.sub(r"\s+", "", q) for q in quotes):
        return False  # the notes (or a cited quote) say it too
    if _cjk_len(run) < CARRY_RUN * 0.75:
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


# -- citation relevance -----------------------------------------------------------------------------------------


def content_words(text: str) -> set[str]:
    import jieba

    words = set()
    for w in jieba.lcut(CITATION.sub("", text)):
        w = w.strip()
        if len(w) >= 2 and _cjk_len(w) == len(w) and w not in STOP_WORDS:
            words.add(w)
    return words


# Words every sentence of a report may carry: they say nothing about its topic.
STOP_WORDS = frozenset(
    """应当 可以 不得 依法 依照 按照 根据 有关 相关 工作 进行 加强 推进 开展 落实 坚持 持续 不断 切实 进一步 全面
    深入 有效 规定 法律 法规 本法 条例 办法 部门 单位 机关 人民 政府 国家 我局 本局 全年 年度 同时 以及 或者 并且
    通过 实现 提高 提升 建立 健全 完善 积极 严格 认真 组织 实施 情况 方面 问题 要求 主要 其他 行政""".split()
)


def citation_relevant(sentence: str, source: Source, heading: str = "") -> bool:
    return relevance(sentence, source, heading) >= RELEVANCE


def relevance(sentence: str, source: Source, heading: str = "") -> float:
    """Content words shared by the quote and the sentence (titles left out) or its heading, over the smaller side."""
    quote_words = content_words(source.quote)
    if not quote_words:
        return 1.0
    flat = re.sub(r"\s+", "", CITATION.sub("", sentence))
    quote = re.sub(r"\s+", "", source.quote).rstrip("。；")
    if quote and quote in flat:
        return 1.0  # the sentence quotes the passage itself (a principle cited, last year's wording)
    rest = re.sub(r"《[^》]*》", "", flat)
    words = content_words(rest) | content_words(heading)
    if not words:
        return 0.0
    hits = sum(1 for w in quote_words if w in words or any(w in v or v in w for v in words))
    # Overlap over the smaller side: a long statute clause cited for a short sentence on one of its points fits.
    return hits / min(len(quote_words), len(words))


def outline_formulas(outline, unit: str, year: int) -> list[str]:  # noqa: ANN001 - drafting.outline.Outline
    """The tool's own wording (every opening sentence of the outline and the preamble): never a claim of fact."""
    from drafting.engines.offline.compose import preamble_text, we_of

    we = we_of(unit)
    out = [preamble_text(unit, year)]
    for entry in outline.entries:
        out.append(entry.render_heading(year))
        for lead in entry.lead:
            try:
                out.append(lead.format(unit=unit, we=we, year=year, next_year=year + 1, basis=""))
            except (KeyError, IndexError):
                out.append(lead)
    return out
