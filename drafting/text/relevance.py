"""Citation relevance: the content words a cited quote shares with its sentence (or the section heading).

Writers use it to choose which clause to cite, the checks to judge a citation; it rewrites nothing.
"""

from __future__ import annotations

import re

from core.types import Source
from drafting.text.numbers import CITATION
from drafting.text.units import cjk_len

# Content words a cited quote shares with its sentence (or the section heading), over the smaller side. Measured by
# bench/claims_bench.py on the offline drafts of the shared cases: the 10 citations the engine writes score 0.33 to
# 0.67, the same quotes against 158 sentences of other sections score 0 (median) to 0.375, one of them ≥ 0.3.
RELEVANCE = 0.3


def content_words(text: str) -> set[str]:
    import jieba

    words = set()
    for w in jieba.lcut(CITATION.sub("", text)):
        w = w.strip()
        if len(w) >= 2 and cjk_len(w) == len(w) and w not in STOP_WORDS:
            words.add(w)
    return words


# Words every sentence of a report may carry: they say nothing about its topic.
STOP_WORDS = frozenset(
    """应当 可以 不得 依法 依照 按照 根据 有关 相关 工作 进行 加强 推进 开展 落实 坚持 持续 不断 切实 进一步 全面
    深入 有效 规定 法律 法规 本法 条例 办法 部门 单位 机关 人民 政府 国家 我局 本局 全年 年度 同时 以及 或者 并且
    通过 实现 提高 提升 建立 健全 完善 积极 严格 认真 组织 实施 情况 方面 问题 要求 主要 其他 行政""".split()
)


def citation_relevant(sentence: str, source: Source, heading: str = "") -> bool:
    return relevance(sentence, source, heading) >= RELEVANCE and supports_claim(sentence, source)


# Verbs a clause and a count share without the clause saying anything about the count ("办理…案件5件" and
# "办理行政复议案件，可以进行调解").
PLAIN_VERBS = frozenset("办理 受理 实施 执行 作出 处理 决定 申请 案件 事项 机关".split())


def claim_words(source: Source) -> set[str]:
    """What a clause says beyond its topic: its content words less the words of its law's title (复议 in
    《行政复议法》) and the plain verbs of any count. "可以进行调解" → {调解}."""
    title = re.sub(r"^中华人民共和国|[（(][^）)]*[）)]|[法条例规定办法]+$", "", source.title)
    topic = content_words(title) | ({title} if len(title) >= 2 else set())
    return {
        w
        for w in content_words(source.quote)
        if w not in PLAIN_VERBS and not any(t in w or w in t for t in topic)
    }


def supports_claim(sentence: str, source: Source) -> bool:
    """Whether the sentence says what the clause is about, not only its topic: a count of 复议 cases is no
    place for "行政复议机关办理行政复议案件，可以进行调解"; a sentence on 调解 is. A clause that says nothing
    beyond its topic (a quote of the title's own words) is judged by relevance alone."""
    words = claim_words(source)
    if not words:
        return True
    flat = re.sub(r"\s+", "", CITATION.sub("", sentence))
    quote = re.sub(r"\s+", "", source.quote).rstrip("。；")
    if quote and quote in flat:
        return True
    mine = content_words(flat)
    return any(w in flat or any(w in v or v in w for v in mine if len(v) >= 2) for w in words)


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
