"""Sources for one section: statute clauses as citable basis, last year's wording for openings and closings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.types import Fact, Passage, Source
from drafting.outline import OutlineEntry
from drafting.sources.prior import PriorSection, bigrams

if TYPE_CHECKING:
    from core.ports import Corpus

ARTICLE_LABEL = re.compile(r"^\s*第[一二三四五六七八九十百零]+条\s*")
NOT_OURS = re.compile(r"^(?:国务院|全国|国家|新闻媒体|人民法院|人民检察院|县级以上|省、自治区)")
PRINCIPLE = re.compile(r"应当|遵循|坚持|原则|依法|不得|保障|加强|推进|建立健全")
CLOSING_WORDS = re.compile(r"^(?:进一步|切实|确保|不断|持续|着力|有效|为)")
# A heading on its own line: numbered, short, and not a sentence.
HEADING_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\)|）)[^。]{0,40}$"
)
STRUCTURE_LINE = re.compile(r"^第[一二三四五六七八九十百零]+[章节编]")
SENTENCE_END = re.compile(r"(?<=[。；！？])")


def gather_sources(
    corpus: Corpus,
    entry: OutlineEntry,
    facts: list[Fact],
    prior: PriorSection | None,
    *,
    basis_k: int = 2,
    wording_k: int = 2,
    avoid: set[str] | None = None,
    year: int | None = None,
    unit: str = "",
) -> list[Source]:
    """Numbered (1..n) candidate sources for the engine; ids are local to the section.

    With `year`, a statute is offered only in the version in force that year (the latest indexed version whose
    修订/修正 year is not after it). With `unit`, last year's opening and closing are offered as citable wording
    only when that report is the same unit's: another unit's report is never the cited source of a sentence.
    """
    sources: list[Source] = []
    if entry.basis:
        query = f"{entry.basis} {entry.title}"
        hits = [p for p in corpus.search(query, 8, kind="law")] + [
            p for p in corpus.search(query, 4, kind="policy")
        ]
        if year is not None:
            hits = in_force(hits, year, since=lambda title: effective_year(corpus, title))
        want = bigrams(entry.basis + entry.title + entry.heading + " ".join(f.text for f in facts[:4]))
        told = bigrams(" ".join(f.text for f in facts)) - bigrams(entry.basis + entry.title)
        terms = [t for t in entry.basis.split() if len(t) >= 2]
        clauses = sorted(
            ((score, clause, hit) for hit in hits for clause, score in _clauses(hit, want, terms, told)),
            key=lambda t: -t[0],
        )
        seen_titles: set[str] = set()
        for _score, clause, hit in clauses:
            if clause in (avoid or set()):
                continue
            if len([s for s in sources if s.role == "basis"]) >= basis_k:
                break
            if hit.title in seen_titles:
                continue
            seen_titles.add(hit.title)
            sources.append(_source(len(sources) + 1, hit, clause, "basis"))
    if prior is not None and (not unit or same_unit(prior, unit)):
        body = _body_of(prior)
        opening, closing = _opening_and_closing(body)
        chunk = prior.chunks[0]
        if opening:
            sources.append(
                Source(
                    len(sources) + 1,
                    chunk.title,
                    chunk.kind,
                    prior.locator,
                    opening,
                    context=body,
                    role="opening",
                )
            )
        if closing:
            last = prior.chunks[-1]
            sources.append(
                Source(
                    len(sources) + 1,
                    last.title,
                    last.kind,
                    prior.locator,
                    closing,
                    context=body,
                    role="closing",
                )
            )
    if wording_k and facts:
        query = " ".join(f.text for f in facts[:3])[:200] or entry.title
        for hit in corpus.search(query, wording_k, kind="report"):
            sentence = _first_sentence(hit.text)
            if sentence and not any(s.quote == sentence for s in sources):
                sources.append(_source(len(sources) + 1, hit, sentence, "wording"))
    return sources


VERSION_YEAR = re.compile(r"[（(](\d{4})年(?:修订|修正|修改)[）)]")


def version_year(hit: Passage) -> int | None:
    """The year of a statute's version: its title's "（2023年修订）", else the year the corpus gives it."""
    if m := VERSION_YEAR.search(hit.title):
        return int(m.group(1))
    return hit.year


def base_title(title: str) -> str:
    return VERSION_YEAR.sub("", title).strip()


def in_force(
    hits: list[Passage], year: int, since: Callable[[str], int | None] | None = None
) -> list[Passage]:
    """Passages of the version of each statute in force in `year`: later versions out, older ones superseded.

    A version counts from the year it took effect (`since`: "本法自2024年1月1日起施行" of the 2023 revision of
    the 行政复议法), not the year it was adopted: a 2023 report cites the version in force in 2023."""

    def start(hit: Passage) -> int | None:
        v = version_year(hit)
        took = since(hit.title) if since is not None else None
        return max(x for x in (v, took) if x is not None) if v is not None or took else None

    latest: dict[str, int] = {}
    for hit in hits:
        v = start(hit)
        if v is not None and v > year:
            continue
        name = base_title(hit.title)
        latest[name] = max(latest.get(name, 0), v or 0)
    return [
        hit
        for hit in hits
        if (v := start(hit)) is None or (v <= year and v == latest.get(base_title(hit.title), v))
    ]


IN_EFFECT = re.compile(r"自\s*(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日起施行")
_EFFECTIVE: dict[tuple[int, str], int | None] = {}


def effective_year(corpus: Corpus, title: str) -> int | None:
    """The year a statute's text says it takes effect (its last "自……起施行"), None when it does not say."""
    key = (id(corpus), title)
    if key not in _EFFECTIVE:
        try:
            found = IN_EFFECT.findall(corpus.document_text(title))
        except Exception:  # noqa: BLE001 - a title not readable: fall back to its version year
            found = []
        _EFFECTIVE[key] = int(found[-1]) if found else None
    return _EFFECTIVE[key]


def same_unit(prior: PriorSection, unit: str) -> bool:
    """Whether a past report's section is the unit's own (its issuer or title names the unit)."""
    chunk = prior.chunks[0] if prior.chunks else None
    if chunk is None:
        return False
    issuer = chunk.issuer.strip()
    if issuer and (issuer in unit or unit in issuer):
        return True
    return bool(unit) and unit in chunk.title


def _source(n: int, hit: Passage, quote: str, role: str) -> Source:
    return Source(
        id=n, title=hit.title, kind=hit.kind, locator=hit.locator, quote=quote, context=hit.text, role=role
    )


def _clauses(
    hit: Passage, want: set[str], terms: list[str], told: set[str] | None = None
) -> list[tuple[str, float]]:
    """Figure-free clauses of a statute passage (verbatim substrings) that name a basis term of the section.

    A clause that names none of the section's terms is never offered: no citation beats a beside-the-point one.
    Of an article's clauses, the one that speaks of what the notes did (`told`: their wording beyond the
    section's own title) fits best: an article on 政务服务 and 电子证照 is quoted by its 电子证照 clause for
    notes on 电子证照.
    """
    text = ARTICLE_LABEL.sub("", hit.text)
    out = []
    for sentence in re.split(r"[。；\n]", text):
        sentence = sentence.strip()
        if not 8 <= len(sentence) <= 60 or re.search(r"\d|[：:]$", sentence) or sentence not in hit.text:
            continue
        if sentence.startswith(("（", "(")) or STRUCTURE_LINE.match(sentence):
            continue  # list items and chapter headings read badly on their own
        named = sum(1 for t in terms if t in sentence)
        if not named:
            continue
        overlap = len(bigrams(sentence) & want)
        fits = len(bigrams(sentence) & told) if told else 0
        score = (
            3 * named + overlap + 2 * fits + (1.5 if PRINCIPLE.search(sentence) else 0) - len(sentence) / 40
        )
        if NOT_OURS.match(sentence):
            score -= 4  # a duty of the State Council or the press is no basis for a county bureau's work
        out.append((sentence, score))
    return out


def _body_of(prior: PriorSection) -> str:
    """Last year's section without its heading lines ("五、其他需要报告的内容（特色、亮点工作）")."""
    lines = []
    for chunk in prior.chunks:
        for line in chunk.text.split("\n"):
            stripped = line.strip()
            if not stripped or (stripped == chunk.part.strip()) or HEADING_LINE.match(stripped):
                continue
            lines.append(stripped)
    return "\n".join(lines)


def _opening_and_closing(body: str) -> tuple[str, str]:
    sentences = [s.strip() for s in SENTENCE_END.split(body.replace("\n", "")) if s.strip()]
    sentences = [re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[、.．])", "", s) for s in sentences]
    # The first sentence of a run-in part is its heading ("（四）严格规范公正文明执法。"): skip short ones.
    opening = ""
    for s in sentences[:3]:
        if 14 <= len(s) <= 70 and not re.search(r"\d|\*|^[一二三四五六七八九十]是", s) and s.endswith("。"):
            opening = s
            break
    closing = ""
    for s in reversed(sentences[-2:]):
        if 8 <= len(s) <= 50 and not re.search(r"\d|\*", s) and CLOSING_WORDS.search(s) and s != opening:
            closing = s
            break
    return opening, closing


def _first_sentence(text: str) -> str:
    for s in SENTENCE_END.split(text.replace("\n", "")):
        s = s.strip()
        if 10 <= len(s) <= 80:
            return s
    return ""
