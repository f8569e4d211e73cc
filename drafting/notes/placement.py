"""Placement: every fact line of the notes → an outline key, with the reason and a confidence.

All the evidence is weighed at once, in this order of authority:
1. markup a user or a revision wrote (`【measures.disputes】`) and moves made in the placement table;
2. a topic prefix or table label that names a part ("问题：", "明年：", "执法情况	…");
3. cue words that decide the part before the topic (将/计划/明年/下一步 → plans; 不足/有待/老化/短板 →
   shortcomings; 首创/推广 → other), read from `[placement]` in outline.toml;
4. the notes' own heading chain (the innermost heading that names a part of the outline);
5. the outline lexicon (aliases and keywords of each section);
6. similarity to the labelled sentences of the indexed past reports (their sections are mapped to outline keys).
Office names never decide a part: they are the line's origin. A run-on line whose clauses carry evidence for
different parts is split there: a "；" list of deeds (or a table cell's numbered list) at its items, while the clauses
of one deed (how it was done, who is in a group it set up) stay with it and count for its part. With an LLM endpoint the model reviews the whole placement in one call; its
answer is validated against the outline and may not override what the user decided.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from core.types import Clause, Fact, ParsedNotes
from drafting.notes.reading import NoteLine, ReadNotes
from drafting.outline import Outline
from drafting.text.numbers import find_figures
from drafting.text.tokens import tokens

if TYPE_CHECKING:
    from core.ports import ChatModel, Corpus

LOW_CONFIDENCE = 0.5
DECIDED_BY_USER = ("user", "explicit")  # placements no rule or model may change
WEAK_BY = ("default", "retrieval")  # placements made with no word of the line's own for a part
CLAUSE_END = re.compile(r"(?<=[，,；;。！？])")
# "执法方面……", "信访这块……", "学法的话……": a topic named in speech at a clause's start.
SPOKEN_TOPIC = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:方面|这块|那块|这一块|的话|嘛|呢)")
# A part of the report named aloud as the topic of what follows ("然后不足这块", "明年的打算要不要一起说").
PART_TOPIC = re.compile(
    r"(?:(?P<short>不足|短板|差距|薄弱环节|存在的?问题)(?:这块|那块|这一块|方面|的话|部分|呢)"
    r"|(?P<plans>明年|下一步|下步|来年|下一年度?)的?(?:打算|计划|安排|工作|思路)(?:这块|那块|方面|的话|呢|要不要|啊|，|,))"
)


def _spoken_part(m: re.Match[str]) -> str:
    return "plans" if m.group("plans") else "shortcomings"


# A turn to another matter in speech ("哦对了，……", "另外那个……", "还有个事").
NEW_MATTER = re.compile(
    r"(?:^|[\s：:，,。])(?:哦对了|对了|另外|还有个事|还有件事|再说(?:一下|说)|接下来|下面说)"
)
HAN = re.compile(r"[\u4e00-\u9fff]")
# The marks a heading is drawn with in notes typed on a phone or pasted from a slide: a pictograph (📌, 👤, ⚖️),
# a block or a star (■ ▌ ★ ◆), an arrow (▶ >>). Not a tick or a cross (✅ ❌), which mark the state of an item.
DRAWN_MARK = re.compile(
    r"^\s*(?:[\U0001F300-\U0001FAFF\u2600-\u26FF\u2B50\u2B55][\ufe0f\u200d]?|[■□▌▍▐◆◇★☆▶►▷]|>>|》)+\s*"
)
# A count or a colon after a heading's words ("（3项）", "：", "(5)").
DRAWN_TAIL = re.compile(r"(?:[（(]\s*\d+\s*[项条个件点]?\s*[）)])?\s*[：:]?\s*$")
TITLE = re.compile(r"《[^》]*》")
# A heading that answers a finding or an item of a list sent down: 关于“X”的问题 / 关于“X”问题的整改情况.
ANSWERED = re.compile(
    r"关于[“\"「](?P<topic>[^”\"」]{2,40})[”\"」]的?(?:问题|事项|意见)(?:的?(?:整改|落实|办理)情况)?"
)
# A tag the writer filed a row under ("#普法", "＃数字化"): a filing, not what the row did.
TAG = re.compile(r"[#＃][^\s#＃，,；;。]+")
QUOTED_SPAN = re.compile(r"“[^”]{1,40}”|\"[^\"]{1,40}\"|「[^」]{1,40}」")
PAREN = re.compile(r"[（(][^）)]*[）)]")
PUBLISHING = re.compile(r"(?:印发|制定|出台|修订|修改|起草|发布|编制)了?([^，。；,;]{2,40})")
HEADED_BY = re.compile(r"以[^，,。；;]{1,16}?为(?:组长|副组长|主任|总指挥|召集人)的?")
# Who a lesson is for (面向/对/为/给/向 X 开展…), who is gathered for it (组织 X 参加…) or who attended it (X 到场):
# an opening word, the audience, and where it stops (placement.py _named).
AUDIENCE = (
    (
        # "到机关单位开展…讲座", "深入企业宣讲": the people the lesson was taken to.
        re.compile(r"面向|对|为|给|向|到|深入|走进"),
        re.compile(
            r"开展|举办|办|进行|组织|召开|宣讲|讲授|讲解|解读|讲|授课|上|作|做|培训|集中|专题|[）)]|$"
        ),
    ),
    (re.compile(r"组织"), re.compile(r"开展|参加|参训|学习|进行|集中|接受")),
    (re.compile(r"^|[，,、\d]"), re.compile(r"参加|参训|听课|到场|参会|受训|轮训|《")),
)
AUDIENCE_CHARS = re.compile(r"[^，,；;。（）()《》]+")
# Told to an audience named just before ("给新人讲民法典", "向驾驶员讲解…"): a lesson, though no word of teaching names it.
TOLD = re.compile(r"讲解|解读|讲授|宣讲|普及|讲(?![话究求评])")
# The problem a deed answered, named before it ("针对执法依据缺乏的问题，…").
# "对物业服务不到位引发的3起纠纷，…均已化解": the shortfall that caused what the deed settled is named as its cause.
ANSWERING = re.compile(r"(?:针对|为解决|为弥补)[^，,；;。]*|[^，,；;。]*?(?:引发|引起|导致|造成)的")
CONTENT_LABEL = re.compile(r"[，,；;。！？!?]")
FUTURE_MARKERS = ("将", "拟", "计划", "准备")
# "将X纳入/列入/作为/写入Y": 将 as the object marker of a done deed, not "will".
DISPOSAL = re.compile(r"^将[^，,。；;]{1,24}?(?:纳入|列入|作为|写入|融入|贯穿|落实到|细化为|分解到)")
TIME_FRAME = ("期间", "以来", "之际", "背景下", "防控期间")
DATED_LABEL = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日\s*([\u4e00-\u9fff、/]{2,12})[：:]")
# "联合县消防救援大队、县市场监管局对…": the partners of the work, named by their offices. What the offices' names
# say ("消防", "信访") is who took part, not what was done.
PARTNERS = re.compile(
    r"(?:联合|会同|联同|协同|配合|伙同|邀请|会商)((?:[\u4e00-\u9fff]{1,14}?"
    r"(?:大队|支队|中队|分局|局|委员会|委|中心|站|所|办公室|办)[、和及与]?)+)"
)


@lru_cache(maxsize=8192)
def word_bounds(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Offsets where jieba's words start and end (cached: a line is scored once per outline entry and clause).
    Cut by drafting's own tokenizer, whose user dictionary (text/field_terms.txt) keeps "追发", "首违不罚" whole."""
    from drafting.text.tokens import _tagger

    starts, ends, pos = set(), set(), 0
    for word in _tagger().tokenizer.cut(text, HMM=False):
        starts.add(pos)
        pos += len(word)
        ends.add(pos)
    return frozenset(starts), frozenset(ends)


# A line whose subject is the whole unit over the year ("大队全年检查社会单位1863家次", "我们全年整改隐患3127处"): the
# unit's results, not the head's own acts, even when the head says it under a heading of their duties.
UNIT_SUBJECT = re.compile(
    r"^[^，,。；;]{0,4}?(?:我们|咱们|我局|本局|全局|我队|全队|大队|支队|我中心|本中心|全中心|我单位|本单位|全单位|"
    r"全馆|全系统|全所|全院)(?:今年|全年|一年来|本年度?)"
)


def _unit_totals(text: str) -> bool:
    return bool(UNIT_SUBJECT.match(text)) and not re.search(r"我(?![们局单司厅委办队中])", text)


@dataclass
class Cues:
    """Part-deciding cue words from outline.toml `[placement]`."""

    strong: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → words that decide it
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → words that lean to it
    subject: tuple[str, ...] = ()  # the bureau's head as the subject of a line → leadership
    wider_scope: tuple[str, ...] = ()  # "全县", "各部门": a line about more than the bureau itself


def cues_of(outline: Outline) -> Cues:
    data = outline.extra.get("placement", {})
    strong = {part: tuple(v.get("strong", ())) for part, v in data.get("cues", {}).items()}
    weak = {part: tuple(v.get("weak", ())) for part, v in data.get("cues", {}).items()}
    return Cues(
        strong=strong,
        weak=weak,
        subject=tuple(data.get("head_of_bureau", ())),
        wider_scope=tuple(data.get("wider_scope", ())),
    )


# -- similarity to past reports ---------------------------------------------------------------------------------


class SentenceBank:
    """Sentences of past reports under the outline key of the section they stand in (char-bigram TF-IDF)."""

    def __init__(self, labelled: Iterable[tuple[str, str, str]]) -> None:
        self.rows: list[tuple[str, str, dict[str, float]]] = []  # (key, where, vector)
        docs = [(key, where, _grams(text)) for key, where, text in labelled]
        df: Counter[str] = Counter()
        for _, _, grams in docs:
            df.update(set(grams))
        n = max(len(docs), 1)
        self.idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
        for key, where, grams in docs:
            vec = self._vector(grams)
            if vec:
                self.rows.append((key, where, vec))
        # gram -> (row, weight): a line is compared only with the sentences it shares a bigram with, so placing
        # N lines costs N × (their grams' postings), not N × every sentence of every past report.
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for row, (_, _, vec) in enumerate(self.rows):
            for g, v in vec.items():
                self.postings.setdefault(g, []).append((row, v))

    def __len__(self) -> int:
        return len(self.rows)

    def _vector(self, grams: Counter[str]) -> dict[str, float]:
        vec = {g: c * self.idf.get(g, 1.0) for g, c in grams.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def votes(self, text: str, k: int = 5, floor: float = 0.12) -> tuple[dict[str, float], str]:
        """Similarity-weighted votes of the k nearest sentences, and where the nearest one stands."""
        query = self._vector(_grams(text))
        if not query:
            return {}, ""
        sims: dict[int, float] = {}
        for g, w in query.items():  # the same sums, term by term in the query's order, as a full scan gives
            for row, v in self.postings.get(g, ()):
                sims[row] = sims.get(row, 0.0) + w * v
        scored = []
        for row in sorted(sims):
            if sims[row] >= floor:
                key, where, _ = self.rows[row]
                scored.append((sims[row], key, where))
        scored.sort(reverse=True)
        votes: dict[str, float] = {}
        for sim, key, _ in scored[:k]:
            votes[key] = votes.get(key, 0.0) + sim
        return votes, scored[0][2] if scored else ""


def _grams(text: str) -> Counter[str]:
    han = "".join(HAN.findall(text))
    return Counter(han[i : i + 2] for i in range(len(han) - 1))


def bank_from_corpus(corpus: Corpus, outline: Outline, *, before_year: int | None = None) -> SentenceBank:
    """The labelled sentences of every indexed past report (those before `before_year` when given)."""
    from drafting.sources.prior import map_report

    labelled = []
    for doc in corpus.documents():
        if doc.kind != "report" or (before_year and doc.year and doc.year >= before_year):
            continue
        for key, section in map_report(corpus.chunks(doc.title), outline).items():
            for sentence in report_sentences(section.text):
                labelled.append((key, f"《{doc.title}》{section.heading}", sentence))
    return SentenceBank(labelled)


# A heading marked as a block of its own (【现场提问环节】, **附：…**, ## …), not numbered as an item of the heading above.
BLOCK_HEADING = re.compile(
    r"^\s*(?:[【\[]|#{1,6}\s*|\*\*)(?![一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[）)])"
)
# An item of a numbered list inside a cell: its number at the cell's start or after a sentence's or a label's end.
CELL_ITEM = re.compile(r"(?:^|(?<=[；;。：:\s]))(\d{1,2})[.．、](?!\d)")
# The procedure a deed went through before it was done ("《…办法》经合法性审查、集体讨论后由县政府印发"): how it was
# done, not what was done; the deed after it names the part.
PROCEDURE_PASSED = re.compile(r"经过?([^，,；;。]{2,24}?)后(?=[^，,；;。]*[\u4e00-\u9fff])")
# An item of a numbered list and its number ("2、…", "3. …"), after a speaker's label ("说话人1：2、…").
LIST_ITEM = re.compile(r"^\s*(?:[^：:，,。]{1,8}[：:])?\s*(\d{1,2})[、.．](?!\d)")
# A chapter's number in a speech or a report ("六、", "（六）").
CHAPTER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*")
# A bullet a list item is drawn with ("- ", "• ", "· ").
BULLET = re.compile(r"^\s*(?:[-–•·●○▪◦‣]|\*(?!\*))\s*(?=\S)")
ITEM_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])")


def report_sentences(text: str) -> list[str]:
    out = []
    for piece in re.split(r"(?<=[。；！？])|\n", text):
        piece = ITEM_MARK.sub("", piece).strip()
        if len(HAN.findall(piece)) >= 6:
            out.append(piece)
    return out


# -- placement --------------------------------------------------------------------------------------------------


@dataclass
class _Evidence:
    key: str
    reason: str
    confidence: float
    by: str  # explicit | label | cue | heading | keyword | retrieval | default


class Placer:
    def __init__(
        self, outline: Outline, bank: SentenceBank | None = None, *, year: int | None = None
    ) -> None:
        self.outline = outline
        self.bank = bank
        self.year = year
        self.cues = cues_of(outline)
        self.measures_keys = [e.key for e in outline.entries if e.parent]
        self.generic = set(outline.extra.get("placement", {}).get("generic_terms", ()))
        self.field_words = set(outline.extra.get("placement", {}).get("field_words", ()))
        # term → share of the notes' fact lines holding it (set by `place`, which sees all the notes): a term in
        # many lines is the bureau's field, not the line's activity.
        self.line_share: dict[str, float] = {}
        self.block_headings: set[str] = set()  # set by `place`: headings that mark a block of their own
        self.outcome_verbs = tuple(outline.extra.get("placement", {}).get("outcome_verbs", ()))
        manner = outline.extra.get("placement", {}).get("manner", {})
        self.manner_opens = tuple(manner.get("opens", ()))
        self.procedures = tuple(manner.get("procedures", ()))
        self.referring = tuple(outline.extra.get("placement", {}).get("referring", ()))
        self.reviews = set(outline.extra.get("placement", {}).get("reviews", ()))
        absence = outline.extra.get("placement", {}).get("absence", {})
        self.lack = tuple(absence.get("lack", ()))
        self.lacked = tuple(absence.get("means", ()))
        self.remedied = tuple(absence.get("remedied", ()))
        who = outline.extra.get("placement", {}).get("who", {})
        self.head_verbs = tuple(who.get("head_verbs", ()))
        self.insiders = tuple(who.get("insiders", ()))
        self.audience_ends = tuple(who.get("audience_ends", ()))
        self.lecturers = tuple(who.get("lecturers", ()))
        self.regulated = tuple(who.get("regulated", ()))
        self.overseers = tuple(who.get("overseers", ()))
        self.findings = tuple(who.get("findings", ()))
        self.answers = tuple(who.get("answers", ()))
        self.examines = tuple(who.get("examines", ()))
        self.public_bodies = tuple(who.get("public_bodies", ()))
        self.teaching = tuple(who.get("teaching", ()))
        self.public_lessons = tuple(who.get("public_lessons", ()))
        self.inspecting = tuple(who.get("inspecting", ()))
        self.meetings = tuple(outline.extra.get("placement", {}).get("meetings", ()))
        means = outline.extra.get("placement", {}).get("means", {})
        opens, carriers = ("|".join(map(re.escape, means.get(k, ()))) for k in ("opens", "carriers"))
        # "依托县公务用车管理平台统一调度": the carrier named after a word of means, up to the carrier's noun.
        self.means = re.compile(
            rf"(?:{opens})([^，,；;。]{{0,20}}?(?:{carriers}))(?=[^，,；;。]*[\u4e00-\u9fff])"
            if opens and carriers
            else r"$^"
        )
        said = "|".join(map(re.escape, outline.extra.get("placement", {}).get("supplements", ())))
        # A speaker's name before it ("周律师：") is no topic; the supplement opens what is said.
        self.supplement = re.compile(rf"^\s*(?:[^：:，,。]{{1,12}}[：:])?\s*(?:{said})") if said else None
        # A label or heading that is a shortcoming's cause or countermeasure ("原因分析", "整改措施") belongs to the
        # shortcomings part, whose published title ends 及对策建议; the words are the parts composer's own roles.
        parts = outline.extra.get("parts", {})
        self.role_labels = {
            w for w in (*parts.get("remedy_labels", {}), *parts.get("cause_labels", ())) if len(w) >= 2
        } - {"下一步", "下步", "建议", "措施", "整改"}

    # -- public ------------------------------------------------------------------------------------------------
    def place(self, read: ReadNotes) -> ParsedNotes:
        parsed = ParsedNotes()
        self.line_share = self._line_shares([line.text for line in read.lines if line.kind == "fact"])
        self.block_headings = {
            line.text for line in read.lines if line.kind == "heading" and BLOCK_HEADING.match(line.raw)
        }
        # The drawn heading in force: the reader's chain under it, its words, the last line it headed. It has no
        # number to be ended by the next one's, so a gap of blank lines after its block ends it too ("★ 学法 /
        # …学法9次 / (blank) / 【他山之石】邻县…").
        drawn: tuple[list[str], str] | None = None
        last = drawn_at = 0
        for line in read.lines:
            if drawn and line.line_no - last > 1 and last > drawn_at:
                drawn = None
            if line.kind == "heading":
                drawn = None
            elif line.kind == "fact" and (heading := self._drawn_heading(line.raw)):
                parsed.covering.append(line.raw)
                drawn, drawn_at, last = (line.headings, heading), line.line_no, line.line_no
                continue
            elif drawn and line.kind == "fact" and line.headings == drawn[0]:
                line = replace(line, headings=[*line.headings, drawn[1]])
            last = line.line_no
            if line.kind == "instruction":
                parsed.instructions.append(line.raw)
            elif line.kind == "chatter":
                parsed.dropped.append(line.raw)
            elif line.kind in ("heading", "covering"):
                parsed.covering.append(line.raw)
            elif line.kind == "set_aside":
                continue  # every clause of it has a role that keeps it out of the text (roles.py lists them)
            else:
                parsed.facts.extend(self.place_line(line))
        self._fill_table_blocks(read, parsed.facts)
        self._carry_on(read, parsed.facts)
        self._list_siblings(read, parsed.facts)
        self._spoken_topics(read, parsed.facts)
        self._supplements(read, parsed.facts)
        return parsed

    def _drawn_heading(self, raw: str) -> str:
        """A heading drawn with a mark instead of a number ("📌 学法这块", "■ 执法检查", "▌普法宣传（3项）：",
        ">> 五、优化利用服务"), or numbered as a chapter of a speech ("六、2027年打算") the reader took for a line:
        short, no statement, no figure of its own but a year, and naming a part. What it names, or ""."""
        m = DRAWN_MARK.match(raw) or CHAPTER.match(raw)
        if not m:
            return ""
        core = DRAWN_TAIL.sub("", raw[m.end() :].replace("\ufe0f", "")).strip()
        core = core[1:-1] if core.startswith("【") and core.endswith("】") else core
        if not core or len(core) > 16 or re.search(r"[，,。；;！？!?\d]", re.sub(r"\d{4}年度?", "", core)):
            return ""
        return core if self._heading_key([core])[0] else ""

    def _supplements(self, read: ReadNotes, facts: list[Fact]) -> None:
        """A stated supplement ("周律师：补充一下，律师参与接访出具法律意见书53份") adds a figure to the line before
        it: a keyword of another part in it (法律意见书) names what was made, not the work it belongs to. It goes
        where the piece of that line it shares most words with went (it names that matter, or refers back with
        其中), unless it names a part by the part's own name (学法, 执法), a cue or a label."""
        if not self.supplement:
            return
        by_line: dict[int, list[Fact]] = {}
        for f in facts:
            by_line.setdefault(f.line_no, []).append(f)
        names = [a for e in self.outline.entries if e.parent for a in e.aliases if len(a) >= 2]
        before: list[Fact] = []
        for line in read.lines:
            if line.kind in ("heading", "covering"):
                before = []
            if line.kind != "fact":
                continue
            mine = by_line.get(line.line_no, [])
            if before and mine and self.supplement.match(line.raw):
                for fact in mine:
                    if fact.assigned_by in (*DECIDED_BY_USER, "label", "cue") or any(
                        n in fact.text for n in names
                    ):
                        continue
                    grams = _grams(self.supplement.sub("", fact.text))
                    last = max(before, key=lambda f: sum((_grams(f.text) & grams).values()))
                    if not (_grams(last.text) & grams) and not fact.text.startswith(("其中", "另有", "另外")):
                        continue  # names neither the matter before nor refers back: a new matter of its own
                    fact.key, fact.assigned_by = last.key, "continued"
                    fact.reason = f"补充上一行（第{last.line_no}行）所说"
                    fact.confidence = round(min(0.75, last.confidence), 3)
            if mine:
                before = mine

    def _spoken_topics(self, read: ReadNotes, facts: list[Fact]) -> None:
        """In speech, a part named aloud ("然后不足这块，……", "明年的打算呢") is the topic of the turns after it, up
        to the next topic, a turn to another matter ("哦对了", "另外") or a heading: a line there with no words of
        its own for a part takes it."""
        by_line: dict[int, list[Fact]] = {}
        for f in facts:
            by_line.setdefault(f.line_no, []).append(f)
        topic, named_at = "", 0
        for line in read.lines:
            said = line.raw
            if line.kind in ("heading", "covering") or NEW_MATTER.search(said):
                topic = ""
            if m := PART_TOPIC.search(said):
                topic, named_at = _spoken_part(m), line.line_no
                continue
            if (m := SPOKEN_TOPIC.search(said)) and self.outline.match_heading(m.group(1)):
                topic = ""
            if not topic or line.line_no - named_at > 40:
                continue
            for fact in by_line.get(line.line_no, []):
                if fact.assigned_by in WEAK_BY:
                    fact.key, fact.assigned_by, fact.confidence = topic, "topic", 0.7
                    fact.reason = f"接第{named_at}行口头说到的“{self.outline.get(topic).title}”"

    def _line_shares(self, texts: list[str]) -> dict[str, float]:
        """How many of the notes' lines each lexicon term stands in. Below six lines the count says nothing."""
        if len(texts) < 6:
            return {}
        terms = {t for e in self.outline.entries if e.parent for t in (*e.aliases, *e.keywords)}
        counts = Counter(t for text in texts for t in terms if t in text)
        return {t: c / len(texts) for t, c in counts.items() if c >= 3}

    def _carry_on(self, read: ReadNotes, facts: list[Fact]) -> None:
        """A line broken mid-sentence (a scan's wrapped cell, a hard-wrapped paste: "…全县卫生监督员" / "仅14人，
        监管…1600余家") goes on with the line before it: with no words of its own for a part, it takes that line's
        part. The line before ends without a sentence's or a clause's end mark."""
        by_line: dict[int, list[Fact]] = {}
        for f in facts:
            by_line.setdefault(f.line_no, []).append(f)
        lines = {line.line_no: line for line in read.lines}
        for line in read.lines:
            mine = by_line.get(line.line_no, [])
            if line.kind != "fact" or line.table or len(mine) != 1 or mine[0].assigned_by not in WEAK_BY:
                continue
            prev = lines.get(line.line_no - 1)
            before = by_line.get(line.line_no - 1, [])
            if not prev or prev.kind != "fact" or not before or before[-1].assigned_by in WEAK_BY:
                continue
            # A line drawn as an item of a list ("- …", "1、…") starts an item of its own, ended or not the one before.
            if (
                re.search(r"[。；;！？!?：:，,、）)…」”]\s*$", prev.raw)
                or ITEM_MARK.match(line.raw)
                or BULLET.match(line.raw)
            ):
                continue
            fact, last = mine[0], before[-1]
            fact.key, fact.assigned_by = last.key, "continued"
            fact.reason = f"接上一行（第{prev.line_no}行）未完的句子"
            fact.confidence = round(min(0.75, last.confidence), 3)

    def _list_siblings(self, read: ReadNotes, facts: list[Fact]) -> None:
        """An item of a numbered list with no words of its own for a part ("2、“交地即交证”办了19宗" after "1、不动产
        登记…办结") goes where the item numbered just before it went: the items of one list tell one piece of work.
        An item that counts nothing is left to the user."""
        by_line: dict[int, list[Fact]] = {}
        for f in facts:
            by_line.setdefault(f.line_no, []).append(f)
        items = {}
        for line in read.lines:
            if line.kind == "fact" and (m := LIST_ITEM.match(line.raw)):
                items[line.line_no] = int(m.group(1))
        lines = sorted(items)
        for before, line_no in zip(lines, lines[1:], strict=False):
            mine, prev = by_line.get(line_no, []), by_line.get(before, [])
            # Only a counted deed ("办了19宗"): an item with no figure and no word for a part may be talk
            # ("反正就是…再催一遍"), and waits for the user.
            if len(mine) != 1 or mine[0].assigned_by != "default" or not prev or not mine[0].figures:
                continue
            if items[line_no] != items[before] + 1 or line_no - before > 2 or prev[-1].assigned_by in WEAK_BY:
                continue
            fact, last = mine[0], prev[-1]
            fact.key, fact.assigned_by = last.key, "continued"
            fact.reason = f"同一列表的上一项（第{before}行）"
            fact.confidence = round(min(0.75, last.confidence), 3)

    def _fill_table_blocks(self, read: ReadNotes, facts: list[Fact]) -> None:
        """A table row with no evidence of its own ("发现隐患	4321条") belongs where the rows of its block go:
        a pasted table lists the figures of one piece of work. A group row above it ("四	普法与政务公开") names
        its piece of work first, and outranks a mere likeness to past reports' sentences too."""
        tables = {line.line_no for line in read.lines if line.table}
        lines = {line.line_no: line for line in read.lines}
        by_line = {f.line_no: f for f in facts if f.line_no in tables}
        for fact in by_line.values():
            if fact.assigned_by not in WEAK_BY:
                continue
            # A group row above it ("四	普法与政务公开": a name, no figure) heads the rows under it, up to the next.
            n = fact.line_no - 1
            while n in tables and not _group_row(lines[n]):
                n -= 1
            group = by_line.get(n) if n in tables else None
            if group and group.assigned_by not in WEAK_BY:
                fact.key, fact.assigned_by = group.key, "table"
                fact.reason = f"表格分组“{group.text}”"
                fact.confidence = round(min(0.75, group.confidence), 3)
                continue
            if fact.assigned_by != "default":
                continue  # a likeness to past reports' sentences outranks the other rows of the table
            block: list[Fact] = []
            for step in (-1, 1):
                n = fact.line_no + step
                while n in tables:
                    if n in by_line and by_line[n].assigned_by != "default":
                        block.append(by_line[n])
                    n += step
            keys = Counter(f.key for f in block)
            if keys:
                key, count = keys.most_common(1)[0]
                fact.key, fact.assigned_by = key, "table"
                fact.reason = f"同一表格其他行都在“{self.outline.get(key).title}”"
                fact.confidence = round(min(0.8, 0.4 + 0.1 * count), 3)

    def place_line(self, line: NoteLine) -> list[Fact]:
        if not line.label and (m := DATED_LABEL.match(line.text) or DATED_LABEL.match(line.raw.strip())):
            # "12月1日 人大建议办理：全年7件": a diary's date before a topic prefix; the topic is the label. It
            # heads the whole line, also when the clause it stood in was set aside ("明年：村级路长全覆盖；…").
            line = replace(line, label=m.group(1))
        if line.explicit_key:
            return [
                self._fact(line, line.text, _Evidence(line.explicit_key, "材料中的标注", 1.0, "explicit"))
            ]
        if not line.label and (title := self._subject_taken_off(line)):
            # "陈局长带队到…督导": the reader took the name off; the head it named is still who acted.
            line = replace(line, label=title)
        segments = self._segments(line)
        return [self._fact(line, text, ev) for text, ev in segments]

    def _subject_taken_off(self, line: NoteLine) -> str:
        """The head's title in the subject the reader took off the line's start (a staff name: "1. 陈局长带队…" is
        read "带队…"), or ""."""
        head = line.text[:6]
        at = line.raw.find(head) if len(head) >= 4 else -1
        if at <= 0:
            return ""
        said = CHAPTER.sub("", ITEM_MARK.sub("", BULLET.sub("", line.raw[:at]))).strip()
        if not said or len(said) > 8 or re.search(r"[，,。；;：:！？!?\d]", said):
            return ""
        return next((w for w in self.cues.subject if w in said), "")

    # -- one line ----------------------------------------------------------------------------------------------
    def _segments(self, line: NoteLine) -> list[tuple[str, _Evidence]]:
        """Split a run-on line where its clauses carry evidence for different parts; place each piece."""
        line_part = self._label_part(line.label)
        clauses = [c for c in CLAUSE_END.split(line.text) if c.strip()]
        if line.table:
            return self._cell_items(line, line_part)
        if len(clauses) < 2:
            return [(line.text, self._decide(line, line.text, line_part))]
        # The head's own account is one piece, unless a clause turns to a shortfall or a plan.
        if (
            not line_part
            and self._own_account(line.text, line.headings)
            and not any(self._cue_part(c, strong_only=True) for c in clauses)
        ):
            return [(line.text, self._decide(line, line.text, None))]
        context = line_part  # a part cue ("明年…") carries on to the clauses after it, up to another cue
        judged = self._judged_backwards(clauses) if not line_part else {}
        pieces: list[tuple[list[str], str | None, _Evidence]] = []
        inside = False  # the cue in force was said inside a sentence, after a clause of it
        for i, clause in enumerate(clauses):
            cue = None if line_part else (self._cue_part(clause, strong_only=True) or judged.get(i))
            ended = i > 0 and bool(re.search(r"[；;。！？!?]\s*$", clauses[i - 1]))
            if not cue and inside and ended and self._done_count(clause):
                # A cue said after a deed in the same sentence ("办结44件，其余2件转入2027年办理；") speaks of that
                # sentence; one that opens a sentence ("明年计划…；…") heads what follows. The next item that
                # counts a deed of its own ("法律援助工作站提供法律咨询约210人次") is work done.
                context, inside = line_part, False
            if cue:
                context, inside = cue, i > 0 and not ended
            ev = self._decide(line, clause, context)
            if pieces and (
                self._continues(clause, after=clauses[i - 1])
                or (pieces[-1][2].key == "leadership" and self._head_goes_on(clause) and not cue)
            ):
                pieces[-1][0].append(clause)
                continue
            if pieces:
                _, _, prev = pieces[-1]
                own = (
                    bool(cue)
                    or self._strong_topic(clause)
                    or self._names_topic(clause)
                    or (clauses[i - 1].rstrip().endswith(("；", ";")) and self._own_deed(clause))
                )
                same_part = self.outline.part_of(ev.key) == self.outline.part_of(prev.key) != "measures"
                # A clause known only by its likeness to a past report's sentence has no word of its own for a
                # part ("接受…专项审计，提出问题5个，已整改4个"): it goes on with the deed before it.
                if not own or ev.key == prev.key or ev.by in WEAK_BY or same_part:
                    pieces[-1][0].append(clause)
                    continue
            pieces.append(([clause], context, ev))
        # A piece with no words of its own for a part ("坚持每月学一部法律", "查各类单位1047户次") belongs with
        # the clause after it; a likeness to past reports' sentences is no such word.
        merged: list[tuple[list[str], str | None, _Evidence]] = []
        for parts, hint, ev in pieces:
            if merged and merged[-1][2].by in WEAK_BY and ev.key == "plans":
                # A sentence ended before a plan is no part of it: "…全年派车4163车次。计划更新…推到明年" reports
                # work done, then a plan; only the plan's own sentence goes with the plan.
                before = merged[-1][0]
                ends = [i for i, c in enumerate(before) if re.search(r"[。！？!?]\s*$", c)]
                if ends:
                    cut = ends[-1] + 1
                    merged[-1] = (before[:cut], merged[-1][1], merged[-1][2])
                    merged.append((before[cut:] + parts, hint, ev))
                    continue
            if merged and merged[-1][2].by in WEAK_BY:
                merged[-1] = (merged[-1][0] + parts, hint or merged[-1][1], ev)
            else:
                merged.append((parts, hint, ev))
        pieces = merged
        # A clause that only names its topic aloud ("普法呢，") heads the clause after it, as a label would.
        for i in range(len(pieces) - 1):
            said = "".join(pieces[i][0]).strip()
            if (m := SPOKEN_TOPIC.match(said)) and not HAN.search(said[m.end() :]):
                pieces[i + 1] = (pieces[i][0] + pieces[i + 1][0], pieces[i + 1][1], pieces[i + 1][2])
                pieces[i] = ([], None, pieces[i][2])
        pieces = [p for p in pieces if p[0]]
        if len(pieces) == 1:
            return [(line.text, self._decide(line, line.text, line_part))]
        out = []
        for parts, hint, _ in pieces:
            text = "".join(parts).strip().rstrip("；;，,。.、 ")
            out.append((text, self._decide(line, text, hint)))
        return out

    def _cell_items(self, line: NoteLine, line_part: str | None) -> list[tuple[str, _Evidence]]:
        """A table cell is one piece of work under its row's label, unless it holds a numbered list ("1.…3次；2.…；
        3.…培训150人"): then each item is a deed of its own, and items that name different parts are split as a
        run-on line's clauses are (an item with no word of its own for a part stays under the row's label)."""
        whole = [(line.text, self._decide(line, line.text, line_part))]
        marks = list(CELL_ITEM.finditer(line.text))
        if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
            return whole
        # Over a list, the row's label heads its items as a heading would: an item's own words (the head as its
        # subject, an outside audience taught) outrank it, and an item with none takes it.
        under = replace(line, label="", headings=[*line.headings, line.label]) if line.label else line
        cuts = [0] + [m.start(1) for m in marks[1:]] + [len(line.text)]
        pieces: list[tuple[str, _Evidence]] = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            item = line.text[a:b]
            ev = self._decide(under, item, line_part)
            if pieces and (ev.key == pieces[-1][1].key or ev.by in WEAK_BY):
                pieces[-1] = (pieces[-1][0] + item, pieces[-1][1])
            else:
                pieces.append((item, ev))
        if len(pieces) == 1:
            return whole
        out = []
        for i, (text, _) in enumerate(pieces):
            text = (ITEM_MARK.sub("", text) if i else text).strip().rstrip("；;，,。.、 ")
            out.append((text, self._decide(under, text, line_part)))
        return out

    def _judged_backwards(self, clauses: list[str]) -> dict[int, str]:
        """A judgement at the end of a sentence speaks of the whole sentence: in "执法人员14人，有专业背景的仅3人，
        专业力量不足" the shortfall cue in the last clause places the clauses before it too (a comma never tears a
        sentence between two parts)."""
        out: dict[int, str] = {}
        start = 0
        for i, clause in enumerate(clauses):
            if not clause.rstrip().endswith(("；", ";", "。", "！", "？")) and i < len(clauses) - 1:
                continue
            sentence = range(start, i + 1)
            cues = {k: self._cue_part(clauses[k], strong_only=True) for k in sentence}
            judged = [k for k in sentence if cues[k] == "shortcomings"]
            if judged:
                for k in sentence:
                    if k < judged[-1] and cues[k] is None:
                        out[k] = "shortcomings"
            start = i + 1
        return out

    def _own_deed(self, clause: str) -> bool:
        """After "；" a clause is the next item of a list of deeds ("专题研究法治建设3次；会前学法10次"): one
        specific word of its own for a part makes it a deed of its own, however short. A comma joins the clauses
        of one deed; a clause that refers back to the deed before it (`_continues`) is never a deed of its own."""
        scores = self._topic_scores(clause, "")
        return bool(self._leadership(clause, "")) or any(v >= 1 for v in scores.values())

    def _made_for(self, text: str, key: str | None) -> bool:
        """An other-part word naming a thing ("典型案例") qualified by the specific term of a part just before it
        ("以案释法的典型案例编了一本"): the thing was made for that part's work, not held up as a highlight. A
        recognition word ("入选", "评为") keeps the line a highlight."""
        if not key or re.search(r"入选|评为|获评|获得|被|推广", text):
            return False
        e = self.outline.get(key)
        terms = [t for t in (*e.aliases, *e.keywords) if t not in self.generic and len(t) >= 2]
        for word in self.cues.strong.get("other", ()):
            at = text.find(word)
            if at > 0 and any(re.search(rf"{re.escape(t)}的?$", text[:at]) for t in terms):
                return True
        return False

    def _done_count(self, clause: str) -> bool:
        """A clause that counts a deed of its own ("提供法律咨询约210人次") with no word of a plan or a lack."""
        figures = [f for f in find_figures(clause, year=self.year) if f.unit]
        return bool(figures) and self._own_deed(clause) and self._cue_part(clause) is None

    def _manner(self, clause: str, after: str) -> bool:
        """A clause after a comma that tells by what procedure the deed before it was done: it opens with a word
        of manner (按, 经) and names a procedure (程序, 审议, 讨论通过). After "；" it is the next deed of a list."""
        if not self.manner_opens or re.search(r"[；;。]\s*$", after):
            return False
        text = clause.lstrip("，,；; ")
        return text.startswith(self.manner_opens) and any(w in text for w in self.procedures)

    def _names_topic(self, clause: str) -> bool:
        """A clause that opens by naming its topic in speech ("执法方面……", "信访这块……") starts a new piece."""
        m = SPOKEN_TOPIC.match(clause.lstrip("，,；;。 "))
        return bool(m and self.lexicon(m.group(1)))

    def _continues(self, clause: str, after: str = "") -> bool:
        """A clause that only tells how the one before it ended ("维持原处罚决定", "均按期办结"), how it was done
        (`_manner`) or what it holds ("成员由…组成") is part of it: it opens with an adverb, an outcome verb of a case
        (outline.toml [placement] outcome_verbs) or a word referring back (`referring`)."""
        text = clause.lstrip("，,；; ")
        if text.startswith(self.outcome_verbs) or re.match(r"^(?:其中|含|包括|分别|占)", text):
            return True  # "其中宪法专题1次": a part of the count before it
        if self._manner(clause, after):
            # "按重大行政决策程序开展风险评估", "经管委会集体讨论通过": how the deed before was done; the
            # procedure's words are that deed's (a rule made by the procedure of a major decision is a decision).
            return True
        if text.startswith(self.referring):
            # "成员由行政审批股、法规股负责人组成": the group's membership, with no subject of its own; the
            # offices it names say who is in the group, not another part's work.
            return True
        words = tokens(text)
        return bool(words) and words[0][1] == "d" and words[0][0] not in ("不", "没", "未")

    def _decide(self, line: NoteLine, text: str, part_hint: str | None) -> _Evidence:
        outline = self.outline
        # A label with a clause break is content ("优化营商环境，规范涉企检查"): it counts among the row's words.
        label_key = (
            outline.match_heading(line.label) if line.label and not CONTENT_LABEL.search(line.label) else None
        )
        if (
            label_key
            and (named := self._topic_scores(line.label, ""))
            and max(named, key=named.__getitem__) != label_key
        ):
            label_key = None  # "监督检查" names 执法 by its longest term, not 监督 by a shorter one
        label_part = self._label_part(line.label)
        head_key, head_text, head_parts = self._heading_key(line.headings)
        head_part = outline.part_of(head_key) if head_key else None
        # A table row's label speaks through _label_part; a label that is itself content (a ledger's measure
        # "开展案卷评查，问题案卷逐卷反馈") names no part by the words in it.
        own = text[len(line.label) :].lstrip("：: ") if line.table and text.startswith(line.label) else text
        cue = self._cue_part(own)
        if (
            cue == "plans"
            and head_part in ("measures", "leadership", "other")
            and not self._cue_part(text, strong_only=True)
            and not TITLE.sub("", text).startswith(FUTURE_MARKERS)
        ):
            # "推动…", "继续…" under a heading of work done report that work; "将…", "拟…" still mean "will".
            cue = None
        if (
            cue == "shortcomings"
            and head_part
            and head_part != cue
            and not self._cue_part(text, strong_only=True)
        ):
            # A weak word ("仍", "问题") leans; a heading that names a part has said where the line stands.
            cue = None
        topic = self._topic_scores(text, line.label)
        for k, v in self.lexicon(line.topic).items() if line.topic else ():
            topic[k] = topic.get(k, 0.0) + v  # a ledger row's problem: what the row is about
        part: str | None = None
        reason, conf, by = "", 0.0, "default"
        if part_hint and part_hint != "measures":
            part, by = part_hint, "label" if part_hint == label_part else "cue"
            reason = f"前缀“{line.label}”" if by == "label" else "同一行前文的提示词"
            conf = 0.9 if by == "label" else 0.8
        elif (spoken := PART_TOPIC.match(text) or PART_TOPIC.match(line.raw.lstrip())) and (
            said := _spoken_part(spoken)
        ) != head_part:
            # "明年的打算呢，一是……" under "不足这块：": a part named aloud at the line's start ends the heading's say.
            part, reason, conf, by = said, f"口头说到“{spoken.group(0).rstrip('，,')}”", 0.85, "topic"
        elif head_part in ("shortcomings", "plans") and len(head_parts) == 1:
            part, reason, conf, by = head_part, f"标题“{head_text}”", 0.9, "heading"
        elif cue and cue != "other":
            word = self._cue_word(text, cue)
            part, reason, conf, by = cue, f"提示词“{word}”", 0.85, "cue"
        elif line.table and label_key and self._leadership(line.label, ""):
            # A table row's first cell names the task: a task that is the head's own ("局长走流程体验", "局长
            # 接访日") is the head's act, whatever field the rest of its name touches.
            return _Evidence("leadership", f"任务“{line.label}”是主要负责人本人的履职", 0.85, "label")
        elif label_key and outline.get(label_key).parent and not self._taught_others(text, label_key):
            return _Evidence(label_key, f"前缀“{line.label}”", 0.9, "label")
        elif head_part in ("shortcomings", "plans"):
            part, reason, conf, by = head_part, f"标题“{head_text}”", 0.7, "heading"
        elif self._own_account(text, line.headings):
            # The head's own account (a speech, a memo in the first person) under a heading naming the head:
            # "我出庭了2件", "没有一项是我一个人拍板的" are the head's acts whatever area they touch.
            head = next(h for h in reversed(line.headings) if self._leadership(h, ""))
            part, reason, conf, by = "leadership", f"标题“{head}”下主要负责人的自述", 0.8, "heading"
        elif head_part == "leadership" and len(head_parts) == 1 and not _unit_totals(line.text):
            # The notes' own heading over a block of the head's duties outranks a keyword of another part:
            # "集体研究重大决策5项" under it is the head's work, not the 重大决策 section's.
            part, reason, conf, by = "leadership", f"标题“{head_text}”", 0.85, "heading"
        if part is None:
            lead = self._leadership(text, line.label)
            best_sub, best_score = _top(topic, self.measures_keys)
            # "选编典型案例…播出以案释法节目" under "以案释法": a heading the line's own words agree with outranks it.
            agrees = head_key in self.measures_keys and best_sub == head_key and best_score > 0
            if (
                cue == "other"
                and (head_part in (None, "other") or best_score < 3)
                and not agrees
                and not self._made_for(text, best_sub)
            ):
                word = self._cue_word(text, "other")
                return _Evidence("other", f"提示词“{word}”", 0.8, "cue")
            if lead and lead >= best_score:
                why = f"标题“{head_text}”" if head_part == "leadership" else "主要负责人本人的履职"
                return _Evidence(
                    "leadership", why, 0.85, "heading" if head_part == "leadership" else "keyword"
                )
            if head_part == "leadership" and best_score < 3 and not _unit_totals(line.text):
                return _Evidence("leadership", f"标题“{head_text}”", 0.75, "heading")
            # A bare "其他" heading in notes collects "other work" as often as the report's 其他 part: it
            # decides only for a line with no topic of its own.
            bare_other = re.sub(r"[的方面工作情况事项]", "", head_text) in ("其他", "其它")
            if head_part == "other" and best_score < (0.01 if bare_other else 2):
                return _Evidence("other", f"标题“{head_text}”", 0.7, "heading")
            part = "measures"
        if part != "measures":
            return _Evidence(part, reason, conf, by)
        return self._measures_sub(text, line, topic, head_key, head_text)

    def _measures_sub(
        self, text: str, line: NoteLine, topic: dict[str, float], head_key: str | None, head_text: str
    ) -> _Evidence:
        outline = self.outline
        scores = {k: v for k, v in topic.items() if k in self.measures_keys}
        head_sub = head_key if head_key in self.measures_keys else None
        votes, where = self.bank.votes(text) if self.bank is not None and len(self.bank) else ({}, "")
        combined = dict(scores)
        for key, v in votes.items():
            sub = key if key in self.measures_keys else None
            if sub:
                combined[sub] = combined.get(sub, 0.0) + min(1.5, 1.5 * v)
        # A heading that joins two topics ("组织与学法", "制度与决策") speaks for neither alone against a line's
        # own words: it heads lines of both.
        joint = len([t for t in re.split(r"[与和及、/]", head_text) if len(t) >= 2]) >= 2
        # "监督与数字医保": each part the heading names is as likely for a line with no words of its own.
        # "审批 / 备案（许可这块）" names 审批 thrice and 备案 once: it heads the first; a name of half the weight
        # of the first is an aside.
        names = {k: v for k, v in self.outline.score_line(head_text).items() if k in self.measures_keys}
        named = [k for k, v in names.items() if v > 0.5 * max(names.values())] if joint else []
        if len(names) >= 2 and len(named) == 1:
            joint, head_sub = False, named[0]
        heads = named if len(named) >= 2 else [head_sub] if head_sub else []
        # The bureau's field ("审计" in an audit bureau's notes, said in a quarter of its lines) is no topic of the
        # line's own: under "四、审计执法", "完成审计项目27个" is the heading's.
        mine = scores if not heads or not self.line_share else self._beyond_field(text, line.label, scores)
        for k, v in scores.items():
            # as beside another part's term (_field_factor), the field words weigh a tenth under the heading
            combined[k] -= 0.9 * max(0.0, v - mine.get(k, 0.0))
        for head in heads:
            if mine and joint:
                continue
            # A heading decides for a line with no topic of its own; the line's own words beat it.
            combined[head] = combined.get(head, 0.0) + (2.5 if not mine else 0.9)
        if not combined:
            if head_key == "measures" or not head_key:
                return _Evidence("measures", "没有可判断的依据，暂放主要举措", 0.2, "default")
            return _Evidence("measures", f"标题“{head_text}”", 0.3, "default")
        ranked = sorted(combined.items(), key=lambda kv: -kv[1])
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        margin = (score - second) / (score + 1e-9)
        if best in heads and scores.get(best, 0) == 0:
            # Between two parts a heading names, only the margin speaks: at a tie the line waits for the user.
            sure = 0.75 + 0.2 * margin if len(heads) == 1 else 0.35 + 0.6 * margin
            return _Evidence(best, f"标题“{head_text}”", sure, "heading")
        if scores.get(best):
            words = self._keywords_hit(text + line.label, best)
            why = f"关键词“{'、'.join(words[:3])}”" if words else f"与“{outline.get(best).title}”用语相近"
            if head_sub == best:
                why = f"标题“{head_text}”，" + why
            # A runner-up close behind leaves the choice open: at a tie the confidence is below LOW_CONFIDENCE.
            return _Evidence(
                best, why, min(0.95, 0.35 + 0.6 * margin + 0.05 * min(scores[best], 3)), "keyword"
            )
        return _Evidence(best, f"与往年报告{where}中的句子相近", 0.35 + 0.3 * margin, "retrieval")

    # -- evidence helpers --------------------------------------------------------------------------------------
    def _label_part(self, label: str) -> str | None:
        """The part a prefix names: "问题"/"不足" → shortcomings, "明年"/"2025年" → plans, "亮点" → other."""
        if not label or CONTENT_LABEL.search(label):
            return (
                None  # a label with a clause break is a cell of content ("开展评查，逐卷反馈"), not a prefix
            )
        if label in self.role_labels:
            return "shortcomings"
        if self.year and re.fullmatch(rf"{self.year + 1}年?(?:打算|计划|安排|工作|思路)?", label):
            return "plans"
        key = self.outline.match_heading(label)
        if key and not self.outline.get(key).parent and key != "measures":
            names = self._parts_named(label)
            if len(names) == 1:
                return key
        return self._cue_part(label)

    def _parts_named(self, text: str) -> set[str]:
        return {e.parent or e.key for e in self.outline.entries if any(a in text for a in e.aliases)}

    def _names_only_the_head(self, heading: str) -> bool:
        """A heading that is the head and nothing more ("马局（一把手）这块", "局长"): the block of the head's own
        acts. One that says what the head does ("一把手抓法治") is the writer's topic, and its lines keep theirs."""
        words = [w for w in self.cues.subject if w in heading]
        if not words:
            return False
        rest = PAREN.sub("", heading)
        for w in sorted(words, key=len, reverse=True):
            rest = rest.replace(w, "")
        rest = re.sub(r"(?:这块|那块|这一块|方面|的话|情况|部分|履职|职责)", "", rest)
        # What is left is at most a surname with the title's first character ("马局", "王书记" less 书记).
        return len(HAN.findall(rest)) <= 2 and not self.lexicon(rest)

    def _heading_key(self, headings: list[str]) -> tuple[str | None, str, set[str]]:
        """The innermost heading that names a section: its key, its text and every part it names. A block heading
        that names no part and says nothing of a shortfall or a plan (【现场提问环节】 after 三、下一步打算) ends the
        say of a 不足 or 安排 heading before it: what follows is another block, not the next plan."""
        ended = False
        for text in reversed(headings):
            if ended and self.outline.match_heading(text) in ("shortcomings", "plans"):
                continue
            if m := ANSWERED.search(text):
                # "四、关于“合法性审查流于形式”的问题" heads the answer to a finding: the finding's topic names the
                # part, its words of criticism and the word 问题 do not.
                text = m.group("topic")
            key = (
                self.outline.heading_key(text)
                or ("shortcomings" if text in self.role_labels else None)
                or ("leadership" if self._names_only_the_head(text) else None)
            )
            parts = {p for p in self._parts_named(text) if p != "measures"} or (
                {self.outline.part_of(key)} if key else set()
            )
            if self.year and re.search(rf"{self.year + 1}年", text):
                key, parts = key or "plans", parts | {"plans"}
            if key:
                return key, text, parts
            ended = ended or (text in self.block_headings and not self._cue_part(text))
        return None, "", set()

    def _cue_part(self, text: str, *, strong_only: bool = False) -> str | None:
        # Quoted words are someone else's (关于“执法检查覆盖面窄”的问题: the supervisor's finding, answered with
        # the year's work): they name a topic, never a shortfall or a plan of the notes.
        text = QUOTED_SPAN.sub("", TITLE.sub("", text))
        # An aside in brackets after the line's own words ("需修改2件（预计明年印发）") tells when the rest
        # will be done; it does not make the line a plan.
        aside_off = PAREN.sub("", text) if PAREN.sub("", text).strip() else text
        if self.year and re.search(rf"(?:{self.year + 1}|明)年", aside_off):
            return "plans"
        # "针对…缺乏的问题，制定了…": the lack a deed answered is named there, the line tells the deed.
        answered = ANSWERING.sub("", text) if ANSWERING.sub("", text).strip("，,；; ") else text
        answered = self._without_rulings(answered)
        hits = {
            part: sum(
                1
                for w in words
                if _said(w, aside_off if part == "plans" else answered if part == "shortcomings" else text)
            )
            for part, words in self.cues.strong.items()
        }
        hits = {p: n for p, n in hits.items() if n}
        if self._states_absence(answered):
            hits["shortcomings"] = hits.get("shortcomings", 0) + 1
        if hits:
            return max(hits.items(), key=lambda kv: kv[1])[0]
        if strong_only:
            return None
        if DISPOSAL.match(text):
            return None  # "将法治建设纳入考核": 将 marks the object (把), not the future
        weak = {part: sum(1 for w in words if text.startswith(w)) for part, words in self.cues.weak.items()}
        weak = {p: n for p, n in weak.items() if n}
        if weak and not find_figures(text, year=self.year):
            return max(weak.items(), key=lambda kv: kv[1])[0]
        return None

    def _without_rulings(self, text: str) -> str:
        """The text without the clauses that tell how a case was ruled ("有1件经复核证据不足已撤销立案"): a judgement
        there is the ground of one case's outcome, part of the account of the work, not a shortfall of the bureau's.
        A ruling not made ("未能办结") is no such account."""
        if not self.outcome_verbs:
            return text
        verbs = "|".join(map(re.escape, self.outcome_verbs))
        ruled = re.compile(rf"(?:{verbs})")
        undone = re.compile(
            rf"(?:未|没|无法|不(?!足))[^，,；;。]{{0,3}}(?:{verbs})"
        )  # 未能按期办结, 不予撤销
        kept = [
            c for c in re.split(r"(?<=[，,；;。！？!?])|——", text) if not ruled.search(c) or undone.search(c)
        ]
        return "".join(kept) if "".join(kept).strip("，,；;。 ") else text

    def _states_absence(self, text: str) -> bool:
        """A lack stated as the state of things ("公职律师至今未配备", "没有地方性法规依据，只能…") is a shortcoming,
        whatever it lacks: a word of lack before a means of the work (outline.toml [placement.absence]). Not where
        the line tells what was done about the lack ("针对…缺乏的问题，制定了…") or that it has been filled."""
        if not self.lack or not self.lacked:
            return False
        lack, means = "|".join(map(re.escape, self.lack)), "|".join(map(re.escape, self.lacked))
        for sentence in re.split(r"[；;。！？!?]", text):
            m = re.search(rf"(?:{lack})[^，,；;。]{{0,12}}?(?:{means})", sentence)
            if m and not any(w in sentence for w in self.remedied):
                return True
        return False

    def _cue_word(self, text: str, part: str) -> str:
        if part == "plans" and self.year and (m := re.search(rf"(?:{self.year + 1}|明)年", text)):
            return m.group(0)
        for w in (*self.cues.strong.get(part, ()), *self.cues.weak.get(part, ())):
            if w in text:
                return w
        if part == "shortcomings" and (m := re.search("|".join(map(re.escape, self.lack)) or "$^", text)):
            return m.group(0)
        return part

    def lexicon(self, text: str) -> dict[str, float]:
        """Lexicon score per key: aliases weigh 2, keywords 1; the longest term wins where terms overlap
        ("监督检查" is not also "监督", "行政执法" not also "执法")."""
        found = []
        starts, ends = word_bounds(text)
        for e in self.outline.entries:
            for term in dict.fromkeys((*e.aliases, *e.keywords)):
                start = text.find(term)
                while start >= 0:
                    end = start + len(term)
                    # A term may not cut across words ("中小学/法治" holds no "学法", "组织/领导干部" no
                    # "组织领导") nor be a time frame ("疫情期间"); part of one word counts ("行政处罚": "处罚").
                    inner = any(start < b < end for b in ends)
                    straddles = inner and (start not in starts or end not in ends)
                    if straddles or text.startswith(TIME_FRAME, end):
                        start = text.find(term, start + 1)
                        continue
                    # Aliases name a section outright; generic terms (执法, 检查) say little.
                    alias = term in e.aliases and term not in e.keywords
                    weight = (2.0 if alias else 1.0) * (0.4 if term in self.generic else 1.0)
                    found.append((len(term), start, e.key, weight))
                    start = text.find(term, start + 1)
        taken: list[tuple[int, int]] = []
        kept: list[tuple[int, int, str, float]] = []
        for length, start, key, weight in sorted(found, key=lambda t: (-t[0], t[1])):
            end = start + length
            if any(a < end and start < b and (a, b) != (start, end) for a, b in taken):
                continue
            taken.append((start, end))
            kept.append((start, end, key, weight))
        verbs = self._verbs(text, kept)
        # Partners of the work and the audience of a lesson are who took part, not what was done; a tag ("#普法")
        # is where someone filed it; the carrier it was done through ("依托…管理平台统一调度") is only its means.
        # A meeting the deed took place at ("法律顾问列席党组会5次") is its occasion, not its work.
        incidental = (
            [m.span(1) for m in PARTNERS.finditer(text)]
            + self._audience_spans(text)
            + [m.span() for m in TAG.finditer(text)]
            + self._meeting_spans(text)
            + [m.span(1) for m in PROCEDURE_PASSED.finditer(text)]
        )
        means = [m.span(1) for m in self.means.finditer(text)]
        # An aside in brackets ("立案638件（系统数）") tells of the figure's source or a part of it; the words
        # outside say what was done.
        asides = [m.span() for m in PAREN.finditer(text)]
        outside = any(not any(a <= s and e <= b for a, b in asides) for s, e, _, _ in kept)
        scores: dict[str, float] = {}
        for start, end, key, weight in kept:
            weight *= self._field_factor(text, text[start:end], key, kept)
            if any(a <= start and end <= b for a, b in means):
                # Not even a lean: a deed known only by its carrier ("依托…平台…派车4163车次") waits for the user.
                weight = 0.0
            elif any(a <= start and end <= b for a, b in incidental):
                weight *= 0.1
            elif outside and any(a <= start and end <= b for a, b in asides):
                weight *= 0.5
            if self._attribute(text, start, end, key, kept):
                weight *= 0.35
            # The predicate names what was done; a term in its object only what it was done to: "追发工资等待遇"
            # is recovering wages (执法), not paying benefits; "学习民法典" is 学法, not 普法.
            if any(v_end <= start and k != key and same for v_end, k, same in verbs(start)):
                weight *= 0.5
            if weight:
                scores[key] = scores.get(key, 0.0) + weight * self._modifier_factor(
                    text, start, end, key, kept
                )
        return scores

    def _meeting_spans(self, text: str) -> list[tuple[int, int]]:
        """Where a meeting is named as the place of a deed ("列席党组会", "在局务会上"): after a verb of attending or
        at, not as the subject that decided ("党组会研究…")."""
        if not self.meetings:
            return []
        names = "|".join(map(re.escape, sorted(self.meetings, key=len, reverse=True)))
        return [
            m.span(1) for m in re.finditer(rf"(?:列席|参加|出席|参会|在)[^，,；;。]{{0,8}}?({names})", text)
        ]

    @staticmethod
    def _attribute(
        text: str, start: int, end: int, key: str, kept: list[tuple[int, int, str, float]]
    ) -> bool:
        """A term before 的 that qualifies a noun ("全县登记的宗教活动场所…巡查全覆盖") says which things the deed
        was done to, not the deed, when the line names another part's term as well."""
        if not re.match(r"的(?!话)[\u4e00-\u9fff]", text[end:]):
            return False
        return any(k != key and not (s < end and start < e) for s, e, k, _ in kept)

    def _verbs(self, text: str, kept: list[tuple[int, int, str, float]]):  # noqa: ANN202
        """Terms the tagger reads as a verb, as a function of a later term's start: (end, key, in one clause)."""
        from drafting.text.tokens import tokens

        verb_spans, pos = set(), 0
        for word, tag in tokens(text):
            if tag == "v":
                verb_spans.add((pos, pos + len(word)))
            pos += len(word)
        # A generic verb ("执法", "检查") names no activity of its own: "开展执法培训" is still training.
        # A verb before 的 qualifies a noun ("登记的场所"): it is no predicate.
        found = [
            (e, k)
            for s, e, k, _ in kept
            if (s, e) in verb_spans and text[s:e] not in self.generic and not text.startswith("的", e)
        ]

        def before(start: int) -> list[tuple[int, str, bool]]:
            return [(e, k, not re.search(r"[，,；;。！？!?]", text[e:start])) for e, k in found]

        return before

    def _beyond_field(self, text: str, label: str, scores: dict[str, float]) -> dict[str, float]:
        """The line's scores with the bureau's field words (in a quarter of the notes' lines) left out."""
        common = sorted(
            (t for t, share in self.line_share.items() if share >= 0.25 and t not in self.generic),
            key=len,
            reverse=True,
        )
        if not any(t in text + label for t in common):
            return scores
        for term in common:
            text, label = text.replace(term, "，"), label.replace(term, "，")
        return {k: v for k, v in self._topic_scores(text, label).items() if k in self.measures_keys}

    def _field_factor(self, text: str, term: str, key: str, kept: list[tuple[int, int, str, float]]) -> float:
        """What was done decides, not the field it was done in: a field word ("应急", "医疗", outline.toml
        field_words) or a word in a quarter of the notes' lines (every line of that bureau says it) weighs a
        tenth when a specific term of another part in the same clause names the activity ("应急宣传材料8000份"
        is 普法)."""
        # Generic terms weigh little already; a specific one in a quarter of the lines is the bureau's field.
        common = term not in self.generic and self.line_share.get(term, 0.0) >= 0.25
        if term not in self.field_words and not common:
            return 1.0
        clause_of = _clause_spans(text)
        mine = next((c for c in clause_of if c[0] <= text.find(term) < c[1]), (0, len(text)))
        for s, e, k, _ in kept:
            other = text[s:e]
            # A generic term ("检查", "执法") beside a listed field word names no activity of its own: "消防检查"
            # stays 消防's. Beside a word in a quarter of the lines it does: "校外培训机构检查" in an education
            # bureau's notes is 执法.
            if k == key or not mine[0] <= s < mine[1] or other in self.field_words:
                continue
            if other in self.generic and not common:
                continue
            if self.line_share.get(other, 0.0) >= 0.25:
                continue
            return 0.1
        return 1.0

    def _modifier_factor(
        self, text: str, start: int, end: int, key: str, kept: list[tuple[int, int, str, float]]
    ) -> float:
        """A term that only qualifies the noun after it says little about the line: in "安全生产执法检查",
        "行政执法案卷评查", "卫生监督员法律培训" the last term is the head and the first a modifier. A term of
        another area starting at most two characters later (no punctuation between) is that head; a generic
        head ("案件", "制度") leaves the modifier half its weight."""
        heads = [
            (s, k)
            for s, _, k, _ in kept
            if k != key and 0 <= s - end <= 2 and re.fullmatch(r"[\u4e00-\u9fff]*", text[end:s])
        ]
        if not heads:
            return 1.0
        head_start, _ = min(heads)
        head_term = next(text[s:e] for s, e, _, _ in kept if s == head_start)
        if head_term in self.reviews:
            return 1.0  # "规范性文件合法性审查": a review is of its object, and the object names the work
        if re.search(r"[了过着]", text[end:head_start]):
            return 1.0  # "方案都经过风险评估": a verb stands between, the first term is the subject
        return 0.5 if head_term in self.generic else 0.35

    def _topic_scores(self, text: str, label: str) -> dict[str, float]:
        # A document's name says less about the line than what the line did with it.
        untitled = TITLE.sub("", text)
        doc_types = self.outline.extra.get("placement", {}).get("document_types", {})
        # "印发…工作要点", "修订…预案": a document the line makes, named without 《》, by its kind. The words
        # of its name ("法治宣传教育要点") qualify the document, as in a 《title》: they weigh little.
        named = ""
        if m := PUBLISHING.search(untitled):
            for ending in sorted(doc_types, key=len, reverse=True):
                if ending in m.group(1) and doc_types[ending] in self.outline.keys:
                    named = m.group(1)[: m.group(1).rfind(ending) + len(ending)]
                    break
        scores: dict[str, float] = dict(self.lexicon(untitled.replace(named, "，") if named else untitled))
        if named:
            ending = max((e for e in doc_types if named.endswith(e) or e in named), key=len)
            scores[doc_types[ending]] = scores.get(doc_types[ending], 0.0) + 2.0
            for k, v in self.lexicon(named).items():
                scores[k] = scores.get(k, 0.0) + 0.2 * v
        # A law taught in a lesson ("给执法人员讲新修订的《…办法》") is what was learnt; its kind names no work.
        lesson = any(w in untitled for w in self.teaching) or self._lecture(untitled)
        for title in TITLE.findall(text):
            core = PAREN.sub("", title.strip("《》"))
            ending = max((e for e in doc_types if core.endswith(e)), key=len, default="")
            if ending and doc_types[ending] in self.outline.keys and not lesson:
                scores[doc_types[ending]] = scores.get(doc_types[ending], 0.0) + 2.0
            for k, v in self.lexicon(title).items():
                scores[k] = scores.get(k, 0.0) + (0.2 if ending else 0.4) * v
        self._acted_on(untitled, scores)
        # A topic named in speech at the line's start ("普法嘛，……", "信访这块，……") is a label said aloud.
        spoken = SPOKEN_TOPIC.match(untitled.lstrip("，,；;。 "))
        for said in (label, spoken.group(1) if spoken else ""):
            if said:
                for k, v in self.lexicon(said).items():
                    scores[k] = scores.get(k, 0.0) + 1.5 * v
        return scores

    def _acted_on(self, text: str, scores: dict[str, float]) -> None:
        """Who the work is done to decides between parts whose words look alike (outline.toml [placement.who]):
        a lesson is the bureau's own 学法 only when it is for the bureau's own people; for anyone else it names
        (商户, 缴存单位经办人, 村医) it is 普法. An inspection of public bodies (预算单位, 乡镇, 下属单位) is
        supervision of the administration (权力制约监督), not enforcement against the regulated."""
        study, publicity, decisions = "measures.study", "measures.publicity", "measures.decisions"
        enforcement, oversight = "measures.enforcement", "measures.oversight"
        for sentence in re.split(r"[；;。！？!?]", text):
            audience = self._taught(sentence)
            if audience and self._lecture(sentence):
                scores.pop(decisions, None)  # what an invited lawyer speaks on is taught, not advised
            if audience == "outsiders":
                scores[publicity] = scores.get(publicity, 0.0) + scores.pop(study, 0.0) + 2.0
                break
            if audience == "insiders" and self._lecture(sentence):
                scores[study] = scores.get(study, 0.0) + 2.0
                break
        for sentence in re.split(r"[；;。！？!?]", text):
            if self._overseen(sentence):
                scores[oversight] = scores.get(oversight, 0.0) + scores.pop(enforcement, 0.0) + 2.0
                return
        for clause in re.split(r"[，,；;。！？!?]", text):
            if self._inspects_public_bodies(clause):
                scores[oversight] = scores.get(oversight, 0.0) + scores.pop(enforcement, 0.0)
                break

    def _taught_others(self, text: str, key: str) -> bool:
        """A lesson for people outside the bureau under a 学法 label or heading ("学法用法：…组织救生员开展法规培训")
        is still 普法: who was taught outranks where the writer filed it."""
        return key == "measures.study" and any(
            self._taught(s) == "outsiders" for s in re.split(r"[；;。！？!?]", text)
        )

    def _lecture(self, sentence: str) -> bool:
        """ "请律所律师讲…", "邀请省厅专家解读…": someone invited to speak gives a lesson."""
        if not self.lecturers:
            return False
        who = "|".join(map(re.escape, self.lecturers))
        return bool(
            re.search(
                rf"(?:请|邀)[^，,；;。]{{0,14}}?(?:{who})[^，,；;。]{{0,14}}?(?:讲|授|解读|辅导)", sentence
            )
        )

    def _audience_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the audience of a lesson is named: "给全局持证执法人员讲…" says who learnt, not that it was 执法."""
        spans = []
        for m in re.finditer(r"[^；;。！？!?]+", text):
            if self._taught(m.group(0)) is None:
                continue
            for c in re.finditer(r"[^，,]+", m.group(0)):
                at = m.start() + c.start()
                spans += [(at + a, at + b) for a, b in self._named(c.group(0))]
        return spans

    def _named(self, clause: str) -> list[tuple[int, int]]:
        """Spans of the people a clause names as the audience of a lesson: from an opening word, the shortest
        stretch up to a stop that names people (an insider word, or ending as `audience_ends` do)."""
        out = []
        for opening, stop in AUDIENCE:
            for o in opening.finditer(clause):
                run = AUDIENCE_CHARS.match(clause, o.end())
                if not run:
                    continue
                for end in range(o.end() + 1, min(run.end(), o.end() + 24) + 1):
                    x = clause[o.end() : end]
                    if stop.match(clause, end) and (
                        any(w in x for w in self.insiders) or x.rstrip("等们").endswith(self.audience_ends)
                    ):
                        out.append((o.end(), end))
                        break
        return out

    def _taught(self, sentence: str) -> str | None:
        """The audience of a teaching act in the sentence: "insiders" when it names the bureau's own people,
        "outsiders" when it names anyone else, None when it is no lesson or names no one."""
        spans = [
            (c, a, b)
            # "为各乡镇专职委员、村（社区）协会主席举办…": an aside in the audience's name does not end it.
            for said in dict.fromkeys((sentence, PAREN.sub("", sentence)))
            for c in re.split(r"[，,]", said)
            for a, b in self._named(c)
        ]
        told = any(TOLD.match(c, b) for c, _, b in spans)
        if not (any(w in sentence for w in self.teaching) or self._lecture(sentence) or told):
            return None
        named = [c[a:b] for c, a, b in spans]
        if any(self._insider(x) for x in named):
            return "insiders"
        if named:
            return "outsiders"
        # "普法讲座5场": the lesson's own name says it is taught to the public, though it names no audience;
        # the teaching word is only its form.
        kinds = "|".join(map(re.escape, self.public_lessons))
        forms = "|".join(map(re.escape, self.teaching))
        if kinds and re.search(rf"(?:{kinds})[\u4e00-\u9fff]{{0,2}}?(?:{forms})", sentence):
            return "outsiders"
        return None

    def _insider(self, audience: str) -> bool:
        """The audience names the bureau's own people. An insider word inside the name of a public body
        ("机关" in "到机关单位开展讲座") names other bodies of the administration, not the bureau's staff."""
        for body in self.public_bodies:
            audience = audience.replace(body, "，")
        return any(w in audience for w in self.insiders)

    def _overseen(self, sentence: str) -> bool:
        """The bureau answering its overseer: 人大/政协/审计/巡察 examined it and found or said something
        ("人大执法检查指出的3个问题已整改2个"), and the bureau acts on it. Its 执法检查 is the overseer's, so the
        line is oversight of the administration, not enforcement. An overseer's word in a quarter of the notes'
        lines is the bureau's own field (an audit bureau's 审计): then the bureau is the one examining. The
        overseer coming to examine ("县人大常委会来开展执法检查1次，…已制定整改清单") is its act as a finding is."""
        if not (self.overseers and self.findings) or not any(w in sentence for w in self.answers):
            return False
        who = [w for w in self.overseers if self.line_share.get(w, 0.0) < 0.25]
        if not who:
            return False
        # The overseer found something, or came to examine the bureau: either is its act, the bureau answers it.
        # One named as a partner of the work ("会同市局开展联合执法检查") examines no one.
        acts = "|".join(map(re.escape, (*self.findings, *self.examines)))
        partners = [m.span(1) for m in PARTNERS.finditer(sentence)]
        for m in re.finditer(rf"(?:{'|'.join(map(re.escape, who))})[^，,；;。]{{0,10}}?(?:{acts})", sentence):
            if not any(a <= m.start() < b for a, b in partners):
                return True
        return False

    def _inspects_public_bodies(self, clause: str) -> bool:
        """ "检查预算单位23家", "对全县14个乡镇统计工作交叉检查": an inspection whose object is a public body."""
        if not self.public_bodies or not any(w in clause for w in self.inspecting) or "执法" in clause:
            return (
                False  # "对各部门档案执法检查": the line calls it enforcement (the bureau regulates bodies)
            )
        bodies = "|".join(map(re.escape, self.public_bodies))
        checks = "|".join(map(re.escape, self.inspecting))
        after = re.search(rf"(?:{checks})了?[^，,；;。]{{0,8}}?(?:{bodies})", clause)
        before = re.search(rf"对([^，,；;。]{{0,16}}?(?:{bodies})[^，,；;。]{{0,12}}?)(?:{checks})", clause)
        object_ = after.group(0) if after else before.group(1) if before else ""
        return bool(object_) and not any(w in object_ for w in self.regulated)

    def _strong_topic(self, clause: str) -> bool:
        """The clause names its own area: a section's name, or one specific term (not a generic one) in a clause
        long enough to be a statement of its own ("国土空间总体规划按重大行政决策走的")."""
        scores = self._topic_scores(clause, "")
        if self._leadership(clause, "") or any(v >= 2 for v in scores.values()):
            return True
        return len(HAN.findall(clause)) >= 6 and any(scores.get(k, 0) >= 1 for k in self.measures_keys)

    def _leadership(self, text: str, label: str) -> float:
        """The head's own acts. A rate of them over a wider scope ("全县行政机关负责人出庭应诉率100%") is the
        area's statistic, not the head's act; a group the head chairs is the group's matter."""
        wide = any(w in text or w in label for w in self.cues.wider_scope)
        # "成立以局长为组长的领导小组": the head only qualifies the group; the line is about the group.
        text, label = HEADED_BY.sub("", text), HEADED_BY.sub("", label)
        # "经局长办公会审议": a meeting named after the head is the body that decided, not the head acting.
        named_meetings = [m for m in self.meetings if any(w in m for w in self.cues.subject)]
        for m in named_meetings:
            text, label = text.replace(m, "会议"), label.replace(m, "会议")
        words = []
        for w in self.cues.subject:
            for where in (text, label):
                at = where.find(w)
                if at >= 0 and not (wide and re.match(r"[^，,。；;：:、]{0,8}?率", where[at + len(w) :])):
                    words.append(w)
                    break
        # The head as the subject of an act of their own ("局长主持", "主要负责人带队", "局长亲自督办"): the
        # line says what the head did, whatever the meeting or the inspection was about.
        acting = any(
            re.match(
                rf"[^，,。；;：:、]{{0,4}}?(?:{'|'.join(map(re.escape, self.head_verbs))})",
                where[at + len(w) :],
            )
            for w in words
            for where in (text, label)
            if self.head_verbs and (at := where.find(w)) >= 0
        )
        m = self._opening_meeting(text) if words and not acting else None
        if m is not None and all(text.find(w) < 0 or text.find(w) >= m for w in words):
            return 0.0  # the head spoke at the meeting the line opens on: the line is the meeting's matter
        return 3.0 * len(words) + (6.0 if acting else 0.0)

    def _opening_meeting(self, text: str) -> int | None:
        """Where the meeting a line opens on ("1月6日：局党组会。…") ends; a meeting named later ("在…会议上述法")
        is only where the subject acted."""
        for m in self.meetings:
            at = text.find(m)
            if at >= 0 and re.fullmatch(r"(?:\d{1,2}月\d{1,2}日[：:\s]*)?[^，,。；;：:]{0,4}", text[:at]):
                return at + len(m)
        return None

    def _head_goes_on(self, clause: str) -> bool:
        """A clause with no subject of its own that opens on an act of the head ("全年主持召开…", "现场交办…")
        after a clause whose subject is the head: the head is still acting."""
        verbs = "|".join(map(re.escape, self.head_verbs))
        m = re.match(rf"^[^，,。；;：:]{{0,4}}?(?:{verbs})", clause.lstrip("，,；; ")) if verbs else None
        # "会议审定…": the meeting is the subject of that act, not the head.
        return bool(m) and not any(w in m.group(0) for w in self.meetings)

    def _own_account(self, text: str, headings: list[str]) -> bool:
        """A line in the first person singular ("我", not "我们"/"我局") under a heading that names the head:
        the head speaking of their own acts. A third-person heading ("一把手抓法治") is only the writer's topic
        and its lines keep their own parts."""
        if not re.search(r"我(?![们局单司厅委办])", text):
            return False
        return any(self._leadership(h, "") for h in headings)

    def _keywords_hit(self, text: str, key: str) -> list[str]:
        e = self.outline.get(key)
        return [w for w in dict.fromkeys((*e.aliases, *e.keywords)) if w in text]

    def _fact(self, line: NoteLine, text: str, ev: _Evidence) -> Fact:
        figures = [f.text for f in find_figures(text, year=self.year)]
        return Fact(
            text=text,
            raw=text if text != line.text else line.raw,
            key=ev.key,
            figures=figures,
            line_no=line.line_no,
            assigned_by=ev.by,
            origin=line.origin,
            # The head's heading does not speak for the unit's totals said under it: a one-section draft of
            # the head's part leaves them to their own parts.
            headings=[h for h in line.headings if not (_unit_totals(line.text) and self._leadership(h, ""))],
            reason=ev.reason,
            confidence=round(max(0.05, min(1.0, ev.confidence)), 3),
        )


def _said(cue: str, text: str) -> bool:
    """The cue stands in the text as a word, not made another word by one character before it: "差不多150人"
    (about 150) holds "不多" (too few) inside the word 差不多. A cue across two words ("执法/人员少"), at a
    word's start, or closing a phrase of two words the tagger keeps whole ("力量薄弱", "严重不足") is said."""
    starts, _ = word_bounds(text)
    at = text.find(cue)
    while at >= 0:
        word_start = max((b for b in starts if b <= at), default=0)
        next_start = min((b for b in starts if b > at), default=len(text))
        if word_start == at or next_start < at + len(cue) or at - word_start > 1:
            return True
        at = text.find(cue, at + 1)
    return False


def _group_row(line: NoteLine) -> bool:
    """A table's group row fills only its first cells, with a name and no figure ("四	普法与政务公开")."""
    cells = [c for c in re.split(r"\t+| {2,}|\u3000{2,}|\|", line.raw) if c.strip()]
    return line.kind == "fact" and len(cells) <= 2 and not line.figures


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[，,；;。！？!?]", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _top(scores: dict[str, float], keys: list[str]) -> tuple[str | None, float]:
    pool = [(v, k) for k, v in scores.items() if k in keys]
    if not pool:
        return None, 0.0
    v, k = max(pool)
    return k, v


# -- the LLM review ---------------------------------------------------------------------------------------------

CLASSIFIED = re.compile(r"^\s*(\d+)\s*[\t ：:,，]\s*([a-z_]+(?:\.[a-z]+)?|none)\b")


# Roles the reviewing model may give a fact line instead of a part: it can only take a line out of the text
# (to 待确认 or the set-aside list), never bring a set-aside clause in (those are not shown to it).
REVIEW_ROLES = ("earlier", "unconfirmed", "not_done", "remark", "wrapping")


def review_with_llm(
    model: ChatModel, outline: Outline, facts: list[Fact], set_aside: list[Clause] | None = None
) -> int:
    """One call: the model sees every placed line with its key and may move any of them, or say that a line
    is not this year's fact (a role of REVIEW_ROLES: the line leaves `facts` for `set_aside`, waiting for the user
    when it holds a figure or a task).

    Its answer is validated: unknown keys, line numbers out of range and changes to lines the user placed are
    ignored. Returns how many lines changed; LLMUnavailable propagates (the caller reports it once and keeps
    the placement as it was).
    """
    from drafting.prompting import render

    if not facts:
        return 0
    keys = "\n".join(f"{e.key}：{e.title}" for e in outline.entries)
    lines = "\n".join(f"{i}\t{f.key}\t{f.text}" for i, f in enumerate(facts, 1))
    reply = model.complete([("user", render("classify", keys=keys, lines=lines))])
    moved = 0
    shown = list(facts)
    for row in reply.splitlines():
        m = CLASSIFIED.match(row)
        if not m or not 1 <= int(m.group(1)) <= len(shown):
            continue
        fact, key = shown[int(m.group(1)) - 1], m.group(2)
        if key in REVIEW_ROLES and set_aside is not None and fact.assigned_by not in DECIDED_BY_USER:
            if fact in facts:
                facts.remove(fact)
                set_aside.append(
                    Clause(
                        line_no=fact.line_no,
                        text=fact.text,
                        role=key,
                        cue="llm",
                        figures=list(fact.figures),
                        pending=key in ("earlier", "unconfirmed", "not_done"),
                        reason="大模型复核认为这不是本年度已完成的事实，请确认",
                    )
                )
                moved += 1
            continue
        if key not in outline.keys:
            continue
        if key == fact.key or fact.assigned_by in DECIDED_BY_USER:
            continue
        was = outline.get(fact.key).title
        fact.key, fact.assigned_by = key, "llm"
        fact.reason = f"大模型复核：由“{was}”改为“{outline.get(key).title}”"
        fact.confidence = 0.7
        moved += 1
    return moved


def ask_where_unsure(parsed: ParsedNotes, outline: Outline, among: list[Fact] | None = None) -> int:
    """Fail closed on a line's part: a line placed with less than LOW_CONFIDENCE (two parts equally likely) or with
    no word of its own for any part (only its likeness to a past report's sentence) is not written anywhere; it waits in 待确认 with the best guess and its reason,
    and the user writes it into the part they choose. Returns how many lines wait."""
    asked = {id(f) for f in (parsed.facts if among is None else among)}
    unsure = [
        f
        for f in parsed.facts
        if id(f) in asked
        and (f.confidence < LOW_CONFIDENCE or f.assigned_by in WEAK_BY)
        and f.assigned_by not in DECIDED_BY_USER
    ]
    for fact in unsure:
        parsed.facts.remove(fact)
        parsed.set_aside.append(
            Clause(
                line_no=fact.line_no,
                text=fact.text,
                role="unplaced",
                cue=fact.assigned_by,
                confidence=fact.confidence,
                figures=list(fact.figures),
                pending=True,
                reason=f"不能确定归入哪一部分（最接近“{outline.get(fact.key).title}”：{fact.reason}），请选择后写入",
            )
        )
    return len(unsure)
