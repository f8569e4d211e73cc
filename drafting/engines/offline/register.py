"""Spoken → written register, word by word on jieba tokens: never inside a word, never on a figure.

A rule matches a run of whole tokens ("搞" + "了"), optionally only when the next token is of a kind (a verb, a
noun, a number, a document) or is absent (clause end). Tokens inside 《titles》 and “quoted terms” and tokens
that overlap a figure are never rewritten, so "跟踪" stays "跟踪", "首违不罚" stays a term and "12万" is untouched.

Relative times are resolved against the report year where that is unambiguous (去年 → the year before); other
relative times (上个月, 前年 …) are kept and reported so an editor can fix them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from drafting.engines.offline.approximations import written_approximations
from drafting.engines.offline.firing import fire
from drafting.text.normalize import to_simplified
from drafting.text.numbers import find_figures
from drafting.text.tokens import tokens

RULES_DIR = Path(__file__).with_name("rules")
# Word classes the conditions and handlers read: field vocabulary, kept as data in rules/register.toml [words].
WORDS = tomllib.loads((RULES_DIR / "register.toml").read_text(encoding="utf-8"))["words"]


def _starting(words: list[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(re.escape(w) for w in words) + ")")


MEETING_ENDS = tuple(WORDS["meeting_ends"])
TOPIC_FOLLOWERS = frozenset(WORDS["topic_followers"])
EVENT_ENDINGS = tuple(WORDS["event_endings"])
REVIEW_WORDS = _starting(WORDS["review_starts"])
IMPROVE_WORDS = re.compile(_starting(WORDS["improve_words"]).pattern + "$")
ACTIVITY_WORDS = _starting(WORDS["activity_starts"])
TROUBLE_WORDS = _starting(WORDS["trouble_starts"])
TROUBLE_END = re.compile("(?:" + "|".join(WORDS["trouble_ends"]) + ")$")
DOCUMENT_WORDS = _starting(WORDS["document_starts"])
DOCUMENT_ENDINGS = tuple(WORDS["document_ends"])
PAPER_ENDINGS = tuple(WORDS["paper_ends"])
NOUNS_TAGGED_AS_VERBS = frozenset(WORDS["nouns_tagged_as_verbs"])
BARE_DEGREE = tuple(WORDS["bare_degree"])
OPENING_FILLERS = frozenset(WORDS["opening_fillers"])
AMBIGUOUS_TIMES = tuple(WORDS["ambiguous_times"])
RESOLVABLE_TIMES: dict[str, int] = WORDS["resolvable_times"]
OVERLOAD: dict[str, str] = WORDS["overload"]
DEMONSTRATIVES = tuple(WORDS["demonstratives"])
PART_TOPIC = re.compile(_starting(WORDS["part_topics"]).pattern + "$")
THING_TOPIC = re.compile("(?:" + "|".join(re.escape(w) for w in WORDS["thing_topic_ends"]) + ")$")
WE: dict[str, str] = WORDS["we"]

# Next-token conditions.
ANY, VERB, NOUN, NUMBER, DOC, END, TROUBLE = "any", "verb", "noun", "number", "doc", "end", "trouble"
ACTIVITY = "activity"
PREDICATE = "predicate"  # a verb or an adverb: what follows a topic, not a noun it modifies
ADVERB = "adverb"  # "平台这块已经全覆盖": the topic is the subject of what follows
MEETING = "meeting"  # a meeting is convened, not carried out ("开展座谈会" → "召开座谈会")
# A head count and nothing done after it in the clause ("只有11人", "就两三个人"), not "就2项议题进行协商".
COUNT = "count"
# A head count of the next noun ("一个所就两三个人": said of every 所, not of one).
EACH = "each"
# A predicate of degree at the end of its clause or before "的时候" ("压力大", "图斑多的时候").
DEGREE_END = "degree_end"
MULTIPLE = "multiple"  # a multiple ("一倍", "两倍")
# A verb whose object holds a figure: a workload ("要管全县18个乡镇"), not an intention ("要加强培训").
WORKLOAD = "workload"
AMOUNT = "amount"  # "多" / "少" and their written forms after the run
# Conditions on the token before the run.
AFTER_WORD = "word"  # any word of the same clause ("改革以后"), not the clause start ("以后再说")
AFTER_NOUN = "noun"  # a noun of two characters or more ("压力大"), not half of a four-character set phrase ("人少事多")
AFTER_COMMA = "comma"  # the start of a clause inside the line
AFTER_START = "start"  # the start of the line
AFTER_PARTNER = "partner"  # "与/跟/和/同 + a party" earlier in the clause ("与移动公司谈"), not "找当事人谈"
AFTER_UNNEGATED = "unnegated"  # not after 不 ("不太多" is no "不过多")
AFTER_VERB = "verb"  # a verb of two characters ("作用发挥不够" → "不充分"), not a noun ("车辆不够" → "不足")
# A verb (jieba tags some as nouns) of two characters or a date ("组建完", "9月完"), not "用完" nor a verb glued
# to its negation ("没修/完": a task not finished stays said as it is).
AFTER_DONE = "done"
AFTER_SUBJECT = "subject"  # not a complement of degree ("用得不够" stays: "用得不足" is no written form)
AFTER_CLAUSE = "clause"  # the start of a clause, or after 是 ("二是有的护林员…")
AFTER_EVENT = "event"  # an event or a date ("机构调整以后", "9月以后"), not a place ("图书馆以前的藏书")
AFTER_FROM = "from"  # "从/由 + a value" just before, in the same clause ("从5%提到8%"), not "会上提到"
IMPROVE = "improve"
REVIEW = "review"
TITLE = "title"  # a 《title》 comes next ("学《条例》")
FEE = "fee"  # a fee or a tax ahead in the clause, before its figure ("补偿费156万元")


@dataclass(frozen=True)
class Rule:
    id: str
    spoken: tuple[str, ...]  # whole jieba tokens, in order
    written: str  # "{we}" is the unit's own name for itself (我局 / 我委 / 我办 …)
    when: str = ANY  # condition on the token after the run
    pos: str = ""  # required POS tag prefix of the first token ("" = any): tells 都 (adverb) from 都 (city)
    after: str = ""  # condition on the token before the run ("" = any)
    priority: int = 0  # among rules of the same first token and length, the higher is tried first
    examples: tuple[tuple[str, str], ...] = ()
    # The id of a general row whose output would damage the text where this narrower row applies ("做了2500多辆"
    # would read "开展了2500多辆"): a guard is kept though it fires on no notes file, and a test shows the damage.
    guards: str = ""


RULES_FILE = RULES_DIR / "register.toml"
NEGATION_FILE = RULES_DIR / "negation.toml"
NEGATION = re.compile(r"没|未|无|不|非|难以")
PAPER = "paper"  # a paper issued named ahead in the clause ("出了述法报告"), not an event ("出了事故")
# Conditions a row may name: on the token after the run (`when`) and on the one before it (`after`).
DOC_COUNT = "doc_count"  # a figure next, and a document named before the verb ("规范性文件发了4个")
ACTIVITY_OR_MEETING = "activity_or_meeting"  # an activity next, or a meeting named ahead ("开了推进会")
IMPROVE_AHEAD = "improve_ahead"  # a verb of improvement next, or after 再/进一步 ("还要再完善")
SUM = "sum"  # a sum of money next ("罚了12万元"), not a count ("罚了326件", "罚了4家")
WHEN = frozenset(
    (
        ANY,
        VERB,
        NOUN,
        NUMBER,
        DOC,
        END,
        TROUBLE,
        ACTIVITY,
        PREDICATE,
        ADVERB,
        MEETING,
        COUNT,
        EACH,
        DEGREE_END,
    )
    + (MULTIPLE, WORKLOAD, AMOUNT, IMPROVE, REVIEW, TITLE, FEE, DOC_COUNT, ACTIVITY_OR_MEETING, SUM, PAPER)
    + (IMPROVE_AHEAD,)
)
AFTER = frozenset(
    ("", AFTER_WORD, AFTER_NOUN, AFTER_COMMA, AFTER_START, AFTER_PARTNER, AFTER_UNNEGATED, AFTER_VERB)
    + (AFTER_DONE, AFTER_SUBJECT, AFTER_CLAUSE, AFTER_EVENT, AFTER_FROM)
)


def load_rules(path: Path = RULES_FILE, *, negation: bool = False) -> tuple[Rule, ...]:
    """One rule per row of a rules file, checked against the known conditions; a row of the negation table must
    keep a negation in its output."""
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
    rules = []
    for row in rows:
        rule = Rule(
            id=row["id"],
            spoken=tuple(row["tokens"]),
            written=row["output"],
            when=row.get("when", ANY),
            pos=row.get("pos", ""),
            after=row.get("after", ""),
            priority=row.get("priority", 0),
            examples=tuple((ex["in"], ex["out"]) for ex in row.get("example", ())),
            guards=row.get("guards", ""),
        )
        if rule.when not in WHEN or rule.after not in AFTER:
            raise ValueError(f"{path.name}: rule {rule.id}: unknown condition {rule.when!r} / {rule.after!r}")
        if negation != bool(NEGATION.search("".join(rule.spoken))) or (
            negation and not NEGATION.search(rule.written)
        ):
            raise ValueError(
                f"{path.name}: rule {rule.id}: a negation belongs in negation.toml and must stay one"
            )
        rules.append(rule)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: duplicate rule ids")
    return tuple(rules)


RULES = load_rules() + load_rules(NEGATION_FILE, negation=True)
SPOKEN_BEFORE_LE = "出做搞罚弄"
if unknown := {r.guards for r in RULES if r.guards} - {r.id for r in RULES}:
    raise ValueError(f"register rules guard rows that do not exist: {sorted(unknown)}")


def _index(rules: tuple[Rule, ...]) -> dict[str, tuple[Rule, ...]]:
    """Rules by their first token, longest first: a token is only tried against the rules that can start on it."""
    by_first: dict[str, tuple[Rule, ...]] = {}
    for rule in sorted(rules, key=lambda r: (-len(r.spoken), -r.priority)):
        by_first[rule.spoken[0]] = (*by_first.get(rule.spoken[0], ()), rule)
    return by_first


_BY_FIRST = _index(RULES)


@contextmanager
def without(*rule_ids: str) -> Iterator[None]:
    """The register table without some rows, inside the block (the tests of guards and the rule report)."""
    global _BY_FIRST
    kept = _BY_FIRST
    _BY_FIRST = _index(tuple(r for r in RULES if r.id not in rule_ids))
    try:
        yield
    finally:
        _BY_FIRST = kept


QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")


@dataclass
class Converted:
    text: str
    flags: list[str] = field(default_factory=list)  # relative times kept, for the editor


def we_of(unit: str) -> str:
    """How a body refers to itself: 我局 / 我委 / 我办 …, else 本单位."""
    for suffix, we in WE.items():
        if unit.endswith(suffix):
            return we
    return "本单位"


def is_verb(word: str, flag: str) -> bool:
    return flag.startswith("v") and flag != "vn" or word in ("开展", "组织", "召开", "完成", "办理")


def _next_kind(word: str, flag: str) -> set[str]:
    kinds = {ANY}
    if TROUBLE_WORDS.match(word) or TROUBLE_END.search(word):
        kinds.add(TROUBLE)
    if ACTIVITY_WORDS.match(word) or word.endswith(("会", "会议")):  # "推进会", "座谈会"
        kinds.add(ACTIVITY)
    if IMPROVE_WORDS.match(word):
        kinds.add(IMPROVE)
    if REVIEW_WORDS.match(word):
        kinds.add(REVIEW)
    if flag.startswith("v") or word.startswith(("开展", "组织", "完成")):
        kinds.add(VERB)
    if word in TOPIC_FOLLOWERS or (
        flag.startswith("v") and flag != "vn" and word not in ("没有", "没", "未", "无")
    ):
        kinds.add(PREDICATE)
    if word in TOPIC_FOLLOWERS or flag.startswith("d"):
        kinds.add(ADVERB)
    if word.endswith(MEETING_ENDS):
        kinds.add(MEETING)
    if flag.startswith(("n", "vn", "j", "l", "nz")):
        kinds.add(NOUN)
    if re.match(r"^[\d０-９一二两三四五六七八九十百千]", word) and flag in ("m", "x", "mq"):
        kinds.add(NUMBER)
    if re.match(r"^\d", word):
        kinds.add(NUMBER)
    if DOCUMENT_WORDS.match(word):
        kinds.add(DOC)
    return kinds


def to_written(text: str, *, unit: str = "", year: int | None = None) -> Converted:
    """The text in written register; figures, titles and quoted terms are never touched."""
    flags: list[str] = []
    text = to_simplified(text)  # "開了3次會": OpenCC first, so no rule reads a traditional verb
    text = written_approximations(text, year=year)  # "大概12次" → "约12次" before any rule reads 大概
    text = apply_clause_rules(text, "before")
    text = _verb_endings(text)
    protected = _protected_spans(text, year)
    toks = tokens(text)
    starts = []
    pos = 0
    for word, _flag in toks:
        starts.append(pos)
        pos += len(word)
    out: list[str] = []
    i = 0
    we = we_of(unit) if unit else "本单位"
    while i < len(toks):
        word, flag = toks[i]
        span = (starts[i], starts[i] + len(word))
        if word == "次会" and out and re.search(r"[\d一二两三四五六七八九十]$", out[-1]):
            out.append("次会议")  # "开了3次会": jieba cuts 次会, the figure "3次" is left as it is
            i += 1
            continue
        if _overlaps(span, protected):
            out.append(word)
            i += 1
            continue
        if not out and word in OPENING_FILLERS and i + 1 < len(toks) and toks[i + 1][0] not in "，,：:":
            i += 1
            continue
        if year is not None and word in RESOLVABLE_TIMES:
            out.append(f"{year + RESOLVABLE_TIMES[word]}年")
            i += 1
            continue
        if word in AMBIGUOUS_TIMES:
            flags.append(f"相对时间“{word}”无法按报告年度换算，请核实后改为具体时间")
        if (
            word == "了"
            and out
            and len(toks[i - 1][0]) >= 2
            and toks[i - 1][0][-1] in SPOKEN_BEFORE_LE
            and toks[i - 1][1].startswith("v")
        ):
            i += 1  # "推出了" → "推出": "出了", "做了" … read as speech even inside a longer verb
            continue
        if (
            word == "不了"
            and out
            and len(toks[i - 1][0]) == 1
            and re.match(r"[\u4e00-\u9fff]", toks[i - 1][0])
            and toks[i - 1][1].startswith(("v", "f"))
            and i + 1 < len(toks)
            and not CLAUSE_END.match(toks[i + 1][0])
        ):
            out[-1] = (
                "无法" + out[-1]
            )  # "上不了云" → "无法上云": a one-character verb with its object after it
            i += 1
            continue
        if (
            word == "了"
            and out
            and len(toks[i - 1][0]) >= 2
            and toks[i - 1][1].startswith("v")
            and i + 1 < len(toks)
            and re.match(r"^\d", toks[i + 1][0])
        ):
            i += 1  # "查处了9起" → "查处9起": a count after its verb needs no 了 in writing
            continue
        if (
            word in ("一遍", "一下")
            and out
            and len(toks[i - 1][0]) >= 2
            and toks[i - 1][1].startswith(("v", "n"))  # jieba tags 轮训, 规范 as nouns
            and (i + 1 == len(toks) or re.match(r"^[，。；、,;]", toks[i + 1][0]))
        ):
            i += 1  # "轮训一遍", "规范一下" at a clause end: how often, said in speech; a 1-character verb keeps it
            continue
        if word == "不了" and out and toks[i - 1][1].startswith("v") and len(toks[i - 1][0]) >= 2:
            out[-1] = "无法" + out[-1]  # "实现不了" → "无法实现": any verb, not a list of them
            i += 1
            continue
        if word.endswith("不过来") and len(word) >= 4:
            out.append("难以" + OVERLOAD.get(word[:-3], "应对"))  # "忙不过来" is one jieba word
            i += 1
            continue
        if (
            word == "不"
            and i + 1 < len(toks)
            and toks[i + 1][0] == "过来"
            and out
            and toks[i - 1][1].startswith("v")
            and (len(toks[i - 1][0]) == 1 or toks[i - 1][0] == toks[i - 1][0][0] * 2)
        ):
            # "管/不/过来"; "靠人查查不过来" said "查，查不过来"
            out[-1] = "难以" + OVERLOAD.get(toks[i - 1][0][0], "应对")
            i += 2
            continue
        if word.endswith("不了") and len(word) >= 4 and flag.startswith("v"):
            out.append("无法" + word[:-2])  # "解决不了" is one jieba word
            i += 1
            continue
        rule = _match(toks, i, starts, protected)
        if rule is None:
            out.append(word)
            i += 1
            continue
        out.append(rule.written.replace("{we}", we))
        i += len(rule.spoken)
    written = "".join(out)
    written = apply_clause_rules(written, "after")
    written = close_lists(written)
    written = re.sub(r"([，,])[，,]+", r"\1", written)  # an aside of speech gone from between two commas
    written = apply_clause_rules(written, "clauses")
    return Converted(written, flags)


def _one_word(text: str, kinds: tuple[str, ...], whole: bool = True) -> bool:
    """The text is one jieba word of one of `kinds` (or, not `whole`, words all of those kinds: a noun phrase)."""
    toks = tokens(text)
    if whole and len(toks) != 1:
        return False
    return all(flag in kinds or (flag[:1] == "n" and "n" in kinds) for _w, flag in toks)


# "甲、乙、丙这些/几个制度" → "甲、乙、丙等制度": after a 、-list even a bare 几个 closes it.
LIST_CLOSER = re.compile(
    rf"(、[^，。；、]{{1,20}}?)(?:{'|'.join(DEMONSTRATIVES)}|几个|几项)(?=[\u4e00-\u9fff])"
)
# Before what it closes: a demonstrative that ends its clause ("甲、乙这些，还有丙") is left to the reader of that
# clause, which joins the list taken up again.
DEMONSTRATIVE = re.compile(f"(?:{'|'.join(DEMONSTRATIVES)})(?=[\u4e00-\u9fff])")


def close_lists(text: str) -> str:
    """ "甲、乙这几个制度" → "甲、乙等制度"; "甲和乙这些" / "A级评定这几项工作" → "甲和乙等" / "A级评定等工作".

    A demonstrative closes what comes before it only when that is a thing named: after a verb ("解决这些问题")
    or a preposition ("对这些企业") it points at something and stays. A clause that counts keeps its words
    (only a 、-list is closed there), so a figure's neighbours never change.
    """
    text = LIST_CLOSER.sub(r"\1等", text)
    out, last = [], 0
    for m in DEMONSTRATIVE.finditer(text):
        clause_start = max(text.rfind(mark, 0, m.start()) for mark in "，。；：\n") + 1
        before = text[clause_start : m.start()]
        clause_end = min(
            (i for i in (text.find(c, m.end()) for c in "，。；\n") if i >= 0), default=len(text)
        )
        toks = [t for t in tokens(before) if t[0].strip()]
        if not toks or find_figures(text[clause_start:clause_end]) or before[-1] in "把对将给向为让被从在":
            continue
        flag = toks[-1][1]
        named = len(toks) > 1 and (toks[-2][1].startswith(("n", "j", "vn")) or toks[-2][0][-1] in "”》")
        last_item = len(toks) > 1 and toks[-2][0] in ("和", "及", "与", "、")  # whatever jieba tags it
        pointing = flag.startswith(("p", "d", "r", "a", "u", "c")) or (
            flag.startswith("v") and flag != "vn" and not named  # "景区复核这几项" names an event
        )
        if pointing and not last_item:
            continue
        out.append(text[last : m.start()] + "等")
        last = m.end()
    return "".join(out) + text[last:]


def _topic_of_speech(m: re.Match[str]) -> str:
    if CONDITIONAL.search(m[2]):
        return m[0]  # "要是下雨的话": a condition, not a topic
    return m[1] if PART_TOPIC.match(m[2]) else f"{m[1]}在{m[2]}方面，"


CONDITIONAL = re.compile(r"^(?:如果|要是|若|假如|万一|一旦|要|不|没)|是|有|这样|那样|实话")


def _aspect_of_speech(m: re.Match[str]) -> str:
    toks = [t for t in tokens(m[2]) if t[0].strip()]
    if PART_TOPIC.match(m[2]) or any(f.startswith(("r", "d", "p", "c", "u", "m", "q")) for _, f in toks):
        return m[0]
    if THING_TOPIC.search(m[2]) or re.match(r"[\u4e00-\u9fff]{1,2}得", m.string[m.end() :]):
        # "平台方面上线了", "救助方面抓得紧": a body or a system does it, a degree is said of the topic itself.
        return m[1] + m[2]
    after = next((t for t in tokens(m.string[m.end() : m.end() + 6]) if t[0].strip()), ("", ""))
    if after[1].startswith("d") or after[0][:1] in "未不没无均都已":
        return m[0]  # "执法方面未出现问题": the topic is the subject of its predicate, written as it is
    return f"{m[1]}在{m[2]}方面，"


def _mainly_is(m: re.Match[str]) -> str:
    toks = [t for t in tokens(m[2]) if t[0].strip()]
    # Only a task named (nouns, ending on the activity): "主要是人员不足" judges and stays.
    if (
        not toks
        or not all(f.startswith(("n", "v", "j", "b", "x", "eng")) for _, f in toks)
        or re.search(r"[不没未无]", m[2])
        or (toks[-1][1].startswith("v") and toks[-1][1] != "vn" and len(toks) == 1)
    ):
        return m[0]
    before = re.split(r"[。；\n]", m.string[: m.start()])[-1]
    if m[1] == "，" and find_figures(before):
        # After a count, "主要是X" says what the count is mostly made of ("投诉增加46件，主要是物业"), not the
        # task: the written "主要为X" keeps that meaning.
        return f"{m[1]}主要为{m[2]}"
    task = m[2] if m[2].endswith("工作") else m[2] + "工作"
    return f"{m[1]}重点做好{task}"


def _followed_route(m: re.Match[str]) -> str:
    route = m.group(1)
    if route.endswith(("程序", "流程", "规定", "要求", "规矩")):
        return f"按照{route}办理"
    return f"按照{route}程序办理" if route.endswith("决策") else f"按照{route}执行"


def _dated_cleft(m: re.Match) -> str:
    return "于" + re.sub(r"(?<=[后前月年日底初])才(?=[\u4e00-\u9fff])", "", m.group(1))


def _verb_endings(text: str) -> str:
    """ "在物流园开的" → "在物流园开", "均坚持着" → "均坚持": 的 / 着 of speech after a clause-final verb (not in
    a clause with 是, where 的 belongs to 是……的), before the register table reads the verb."""
    out = []
    for clause in re.split(r"(?<=[，。；])", text):
        body, end = (clause[:-1], clause[-1]) if clause and clause[-1] in "，。；" else (clause, "")
        toks = [t for t in tokens(body) if t[0].strip()]
        if (
            len(toks) >= 2
            and "是" not in body
            and (toks[-1][0] == "的" or (toks[-1][0] == "着" and len(toks[-2][0]) >= 2))
            and toks[-2][1].startswith("v")
            and toks[-2][1] != "vn"
        ):
            body = body[: -len(toks[-1][0])]
        out.append(body + end)
    return "".join(out)


def _match(toks: tuple[tuple[str, str], ...], i: int, starts: list[int], protected: list[tuple[int, int]]):
    for rule in _BY_FIRST.get(toks[i][0], ()):
        n = len(rule.spoken)
        if tuple(w for w, _ in toks[i : i + n]) != rule.spoken:
            continue
        if rule.pos and not toks[i][1].startswith(rule.pos):
            continue
        end = starts[i + n - 1] + len(toks[i + n - 1][0])
        if _overlaps((starts[i], end), protected):
            continue
        if rule.after == AFTER_PARTNER:
            if not _partner_before(toks, i):
                continue
        elif rule.after == AFTER_FROM:
            if not _from_value_before(toks, i):
                continue
        elif rule.after and not _after(rule.after, toks[i - 1] if i else None):
            continue
        nxt = toks[i + n] if i + n < len(toks) else None
        if rule.when in SHAPES:
            if SHAPES[rule.when](toks, i + n):
                return _fired(rule)
            continue
        if rule.when == END:
            if nxt is None or re.match(r"^[，。；、：！？,.;]", nxt[0]):
                return _fired(rule)
            continue
        if rule.when == DOC and _doc_ahead(toks, i + n):
            return _fired(rule)
        if rule.when == DOC_COUNT and not _doc_behind(toks, i):
            continue  # "执照发了2.3万张" is 发放; only documents are 印发 ("文件发了4个")
        if rule.when == ACTIVITY_OR_MEETING and _meeting_ahead(toks, i + n):
            return _fired(rule)  # "开了推进会": jieba splits 推进/会
        if rule.when == SUM and not _sum_ahead(toks, i + n):
            continue  # "罚了12万元" is a sum (罚款); "罚了326件", "罚了4家" count penalties (处罚)
        kind = {DOC_COUNT: NUMBER, ACTIVITY_OR_MEETING: ACTIVITY, SUM: NUMBER}.get(rule.when, rule.when)
        if kind != ANY and (nxt is None or kind not in _next_kind(*nxt)):
            continue
        return _fired(rule)
    return None


def _fired(rule: Rule) -> Rule:
    fire(rule.id)
    return rule


CLAUSE_END = re.compile(r"^[，。；、：！？,.;:!?]")
CONTENT_POS = ("n", "v", "a", "j", "l", "s")


def _after(kind: str, prev: tuple[str, str] | None) -> bool:
    if kind == AFTER_START:
        return prev is None
    if kind == AFTER_CLAUSE:
        return prev is None or bool(CLAUSE_END.match(prev[0])) or prev[0] == "是"
    if kind == AFTER_DONE:
        return prev is not None and (
            (
                len(prev[0]) >= 2
                and prev[1].startswith(("v", "n"))
                and not prev[0].startswith(("没", "未", "不"))
            )
            or prev[0] in ("才", "已", "已经", "刚", "都", "均", "全部")
            or prev[0].endswith(("年", "月", "日", "底"))
        )
    if kind == AFTER_UNNEGATED:
        return prev is None or not prev[0].endswith("不")
    if kind == AFTER_VERB:
        return (
            prev is not None
            and len(prev[0]) >= 2
            and prev[1].startswith("v")
            and prev[1] != "vn"
            and prev[0] not in NOUNS_TAGGED_AS_VERBS
        )
    if kind == AFTER_SUBJECT:
        return prev is None or prev[0] != "得"
    if kind == AFTER_COMMA:
        return prev is not None and prev[0] in ("，", ",")
    if kind == AFTER_EVENT:
        return prev is not None and (
            prev[1].startswith(("v", "l"))
            or prev[0].endswith(EVENT_ENDINGS)
            or prev[0] in ("年", "月", "日", "号")
        )
    if prev is None or CLAUSE_END.match(prev[0]) or not re.match(r"^[\u4e00-\u9fff]", prev[0]):
        return kind == AFTER_WORD and prev is not None and bool(re.match(r"^[\dA-Za-z]", prev[0]))
    if kind == AFTER_NOUN:
        return len(prev[0]) >= 2 and prev[1].startswith(CONTENT_POS)
    return True


def _partner_before(toks: tuple[tuple[str, str], ...], i: int) -> bool:
    """ "与/跟/和/同" within the few words before, in the same clause: the verb is said of talks with a party."""
    for word, _flag in reversed(toks[max(0, i - 5) : i]):
        if CLAUSE_END.match(word):
            return False
        if word in ("与", "跟", "和", "同"):
            return True
    return False


def _from_value_before(toks: tuple[tuple[str, str], ...], i: int) -> bool:
    """ "从/由" and a figure within the few words before, in the same clause: the verb says where a value went."""
    figure = False
    for word, _flag in reversed(toks[max(0, i - 5) : i]):
        if CLAUSE_END.match(word):
            return False
        if word in ("从", "由"):
            return figure
        figure = figure or any(ch.isdigit() for ch in word)
    return False


def _rest_of_clause(toks: tuple[tuple[str, str], ...], start: int) -> list[tuple[str, str]]:
    rest = []
    for tok in toks[start:]:
        if CLAUSE_END.match(tok[0]):
            break
        rest.append(tok)
    return rest


def _paper_ahead(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """The object's head noun is a paper issued ("出了书面审查意见", "出了整改报告"): the head, not a word inside
    the object, chooses the verb, so "审查意见" is 出具 although "意见" alone can start a policy document."""
    rest = _rest_of_clause(toks, start)[:8]
    words = [w for w, _ in rest]
    return any("".join(words[: i + 1]).endswith(PAPER_ENDINGS) for i in range(len(words)))


def _is_count(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """A figure comes next and nothing is done after it in the clause: the clause states a head count."""
    rest = _rest_of_clause(toks, start)
    return bool(rest) and NUMBER in _next_kind(*rest[0]) and not any(is_verb(w, f) for w, f in rest[1:])


def _each(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """ "一个" + one noun + "就/只有/才" + a head count ("一个站就1名"): said of every one of them."""
    rest = _rest_of_clause(toks, start)
    return len(rest) >= 3 and rest[1][0] in ("就", "只有", "才", "仅") and _is_count(toks, start + 2)


def _degree_end(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    nxt = toks[start] if start < len(toks) else None
    if nxt is None or CLAUSE_END.match(nxt[0]) or nxt[0] in ("时", "（", "("):
        return True  # "定点机构多（全县400多家）": a bracket after the predicate says how many
    return nxt[0] == "的" and start + 1 < len(toks) and toks[start + 1][0] == "时候"


def _multiple(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    return start < len(toks) and toks[start][0].endswith("倍")


def _workload(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    rest = _rest_of_clause(toks, start)
    return (
        bool(rest)
        and (is_verb(*rest[0]) or rest[0][1] == "vn")
        and any(NUMBER in _next_kind(*tok) for tok in rest[1:])
    )


def _amount(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    return start < len(toks) and toks[start][0] in (
        *BARE_DEGREE,
        "较多",
        "较少",
        "偏多",
        "偏少",
        "太多",
        "太少",
    )


SHAPES = {
    IMPROVE_AHEAD: lambda toks, start: any(
        IMPROVE_WORDS.match(toks[j][0]) and all(w in ("再", "进一步") for w, _ in toks[start:j])
        for j in range(start, min(start + 2, len(toks)))
    ),
    PAPER: lambda toks, start: _paper_ahead(toks, start),
    FEE: lambda toks, start: any(
        w.endswith(("费", "税", "金", "租金", "罚没款")) for w, _ in _rest_of_clause(toks, start)[:6]
    ),
    TITLE: lambda toks, start: start < len(toks) and toks[start][0] == "《",
    COUNT: _is_count,
    EACH: _each,
    DEGREE_END: _degree_end,
    MULTIPLE: _multiple,
    WORKLOAD: _workload,
    AMOUNT: _amount,
}


def _meeting_ahead(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """A meeting named within the next few words of the clause ("推进/会", "专题/会议")."""
    for word, _flag in toks[start : start + 12]:
        if re.match(r"^[，。；、,;]", word):
            return False
        if word.endswith(("会", "会议")) and not word.endswith(
            ("协会", "学会", "工会", "商会", "基金会", "委员会")
        ):
            return True
    return False


def _sum_ahead(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """A number at `start` whose unit is money ("12万元", "8万"): a sum, not a count of cases or parties ("8万人")."""
    rest = "".join(w for w, _ in _rest_of_clause(toks, start)[:3])
    return bool(
        re.match(r"^[\d.,]+(?:(?:万|千|百|亿)?元|万(?![\u4e00-\u9fff]))", rest)
    )  # "罚了8万": 万 alone is money


def _doc_ahead(toks: tuple[tuple[str, str], ...], start: int) -> bool:
    """A document word in the object after a verb ("出了法治建设工作要点"), before the clause ends; a 、-list
    of them ("出了甲、乙、丙几个制度") is one object."""
    return _names_document((w for w, _ in toks[start : start + 14]), through_lists=True)


def _doc_behind(toks: tuple[tuple[str, str], ...], end: int) -> bool:
    """A document word in the subject before a verb ("规范性文件发了4个"), within the clause."""
    return _names_document((w for w, _ in reversed(toks[max(0, end - 6) : end])), extra=("文件",))


def _names_document(words: Iterable[str], extra: tuple[str, ...] = (), through_lists: bool = False) -> bool:
    """Whether a document word comes before the clause ends, reading `words` outward from the verb."""
    for word in words:
        if re.match(r"^[，。；,;]", word) or (word == "、" and not through_lists):
            return False
        if DOCUMENT_WORDS.match(word) or word.endswith(DOCUMENT_ENDINGS + extra):
            return True
    return False


def _protected_spans(text: str, year: int | None) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    for fig in find_figures(text, year=year, mask=False):
        spans.append((fig.start, fig.start + len(fig.text)))
    return spans


def _overlaps(span: tuple[int, int], protected: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in protected)


# -- clause rules (rules/clauses.toml) ---------------------------------------------------------------------------

CLAUSES_FILE = RULES_DIR / "clauses.toml"
STAGES = ("before", "after", "clauses")


@dataclass(frozen=True)
class ClauseRule:
    id: str
    stage: str
    pattern: re.Pattern[str]
    output: str = ""  # the replacement template, when no handler writes it
    handler: str = ""
    priority: int = 0
    negation: bool = False
    examples: tuple[tuple[str, str], ...] = ()


def _perfective_le(m: re.Match[str]) -> str:
    return {"已经": "已", "全部": "已全部"}.get(m[1], m[1] + "已") + m[2]


def _all_is(m: re.Match[str]) -> str:
    return m[1] + "为" + re.sub(r"(?<!办)办$", "办理", m[2])


def _still_is(m: re.Match[str]) -> str:
    return f"仍为{m[1]}" if _one_word(m[1], ("v", "n", "vn", "b", "a")) else m[0]


def _none_after(m: re.Match[str]) -> str:
    return f"{m[1]}无{m[2]}" if _one_word(m[2], ("n", "l", "nz", "vn", "j"), whole=False) else m[0]


def _rate_reached(m: re.Match[str]) -> str:
    return f"{m[1]}{m[2]}达到" if m[2] else f"{m[1]}达"


HANDLERS = {
    "perfective_le": _perfective_le,
    "all_is": _all_is,
    "followed_route": _followed_route,
    "topic_of_speech": _topic_of_speech,
    "aspect_of_speech": _aspect_of_speech,
    "mainly_is": _mainly_is,
    "dated_cleft": _dated_cleft,
    "still_is": _still_is,
    "none_after": _none_after,
    "rate_reached": _rate_reached,
}


def load_clause_rules(path: Path = CLAUSES_FILE) -> tuple[ClauseRule, ...]:
    """The clause rules, highest priority first; a bad pattern, stage or handler fails here, not on a user's notes."""
    rules = []
    for row in tomllib.loads(path.read_text(encoding="utf-8"))["clause"]:
        rule = ClauseRule(
            id=row["id"],
            stage=row["stage"],
            pattern=re.compile(row["pattern"]),
            output=row.get("output", ""),
            handler=row.get("handler", ""),
            priority=row.get("priority", 0),
            negation=row.get("negation", False),
            examples=tuple((ex["in"], ex["out"]) for ex in row.get("example", ())),
        )
        if rule.stage not in STAGES or (rule.handler and rule.handler not in HANDLERS):
            raise ValueError(f"{path.name}: clause rule {rule.id}: unknown stage or handler")
        read = re.sub(r"\(\?<!\[[^\]]*\]\)", "", rule.pattern.pattern)  # "(?<![不])" only keeps a match out
        if rule.negation != bool(NEGATION.search(read)):
            raise ValueError(
                f"{path.name}: clause rule {rule.id}: a rule that reads a negation says negation = true"
            )
        rules.append(rule)
    return tuple(sorted(rules, key=lambda r: -r.priority))


CLAUSE_RULES = load_clause_rules()


def apply_clause_rules(text: str, stage: str) -> str:
    """Every clause rule of `stage`, in priority order; a rule fires where it changes the text."""
    for rule in CLAUSE_RULES:
        if rule.stage != stage:
            continue

        def replace(m: re.Match[str], rule: ClauseRule = rule) -> str:
            new = HANDLERS[rule.handler](m) if rule.handler else m.expand(rule.output)
            if new != m[0]:
                fire(rule.id)
            return new

        text = rule.pattern.sub(replace, text)
    return text
