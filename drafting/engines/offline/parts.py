"""The two parts a report writes as numbered points: 存在的不足和原因 and 下一年度主要安排.

不足 (what published reports do): each problem is a point "一是……。" opened by its own judgement ("执法信息化标准
不高。"), then the facts behind it ("目前，……"; "虽然……，但……"); the countermeasures are not another problem: they
close the part ("对策建议：……" or "下一步，我局将……"). The lead is never invented: it is the notes' own
judging clause (a predicate of the `judgement` list in outline.toml: 有待/不高/单一/老化/薄弱 …), either the
clause that opens the line (moved in front, the facts follow as a new sentence) or the main clause after a
concession ("虽然……，综合执法能力还要提高": stated first, then repeated as "但……" after the concession).

安排: each plan is a point with a verb ("二是进一步规范……。"), a label of the notes ("智慧监管：…") becomes the
point's lead with a verb, and the time words the part heading says already (明年, 2025年, 下一步, 将) go.

Every rule here moves, drops or joins the notes' own clauses or adds a function word; no figure is ever added.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from drafting.engines.offline.data import outline_path
from drafting.engines.offline.phrasing import (
    ADVERBIAL_START,
    AIMING,
    MODIFIER_VERBS,
    SEEKING,
    TIME_WORD,
    TRANSITIVE,
    has_predicate,
    opens_on_verb,
    phrase,
    share_verb,
    turned_plan,
    unbind,
    verb_for,
)
from drafting.engines.offline.phrasing import (
    WORDS as VERB_WORDS,
)
from drafting.engines.offline.register import DEMONSTRATIVES, close_lists
from drafting.outline import strip_numbering
from drafting.text.numbers import cn_numeral, find_figures
from drafting.text.tokens import tokens, word_frequency


@dataclass(frozen=True)
class PartWords:
    judgement: tuple[str, ...] = ()
    # a judgement of speech → (its written form as the lead, after a concession)
    spoken_judgement: dict[str, tuple[str, str]] = field(default_factory=dict)
    concession: tuple[str, ...] = ()
    ongoing: tuple[str, ...] = ()
    remedy_labels: dict[str, str] = field(default_factory=dict)
    cause_labels: tuple[str, ...] = ()
    remedy_starts: tuple[str, ...] = ()
    remedy_cues: tuple[str, ...] = ()
    plan_prefixes: tuple[str, ...] = ()
    plan_adverbs: tuple[str, ...] = ()
    further_verbs: tuple[str, ...] = ()
    plan_spoken_verbs: dict[str, str] = field(default_factory=dict)
    system_verbs: dict[str, str] = field(default_factory=dict)
    system_ends: tuple[str, ...] = ()
    nominal_verbs: dict[str, str] = field(default_factory=dict)
    plan_modals: tuple[str, ...] = ()
    plan_again: dict[str, str] = field(default_factory=dict)
    plan_connectives: tuple[str, ...] = ()
    thing_changes: tuple[str, ...] = ()


def part_words(path: str = "") -> PartWords:
    return _part_words(path or outline_path())


@lru_cache(maxsize=4)
def _part_words(path: str) -> PartWords:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("parts", {})
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        data = {}
    return PartWords(
        judgement=tuple(data.get("judgement", ())),
        spoken_judgement={k: (v[0], v[1]) for k, v in data.get("spoken_judgement", {}).items()},
        concession=tuple(data.get("concession", ())),
        ongoing=tuple(data.get("ongoing", ())),
        remedy_labels=dict(data.get("remedy_labels", {})),
        cause_labels=tuple(data.get("cause_labels", ())),
        remedy_starts=tuple(data.get("remedy_starts", ())),
        remedy_cues=tuple(data.get("remedy_cues", ())),
        plan_prefixes=tuple(data.get("plan_prefixes", ())),
        plan_adverbs=tuple(data.get("plan_adverbs", ())),
        further_verbs=tuple(data.get("further_verbs", ())),
        plan_spoken_verbs=dict(data.get("plan_spoken_verbs", {})),
        system_verbs=dict(data.get("system_verbs", {})),
        system_ends=tuple(data.get("system_ends", ())),
        nominal_verbs=dict(data.get("nominal_verbs", {})),
        plan_modals=tuple(data.get("plan_modals", ())),
        plan_again=dict(data.get("plan_again", {})),
        plan_connectives=tuple(data.get("plan_connectives", ())),
        thing_changes=tuple(data.get("thing_changes", ())),
    )


def ordinal(i: int) -> str:
    return cn_numeral(i + 1) + "是"


# -- clauses ----------------------------------------------------------------------------------------------------

_OPEN, _CLOSE = "“《（(「", "”》）)」"


def split_clauses(text: str) -> list[tuple[str, str]]:
    """(clause, the mark that ended it) on ，；。 outside quotes, titles and brackets."""
    out: list[tuple[str, str]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "，；。" and depth == 0:
            piece = text[start:i].strip()
            if piece:
                out.append((piece, ch))
            start = i + 1
    piece = text[start:].strip().rstrip("，；。、 ")
    if piece:
        out.append((piece, "。"))
    return out


def judges(clause: str, words: PartWords | None = None) -> bool:
    """Whether a clause states a judgement of the notes' own (有待提高, 标准不高, 队伍老龄化 …)."""
    words = words or part_words()
    bare = re.sub(r"《[^》]*》|“[^”]*”", "", clause)
    return any(w in bare for w in words.judgement)


# A clause that says only that there is a problem ("存在不足", "问题是") carries nothing of its own.
EMPTY_JUDGEMENT = re.compile(
    r"^(?:主要)?(?:是|有|存在|还有|还存在)?(?:一些|几个)?(?:不足|问题|短板|差距)(?:的话|就是|是|如下)?$"
)
# A clause that opens by announcing its problem ("不足的话就是……", "问题主要是……"): the announcement goes.
ANNOUNCED = re.compile(
    r"^(?:主要)?(?:存在的)?(?:不足|问题|短板|差距)(?:的话|方面)?(?:主要)?(?:就是|是|在于)[，：:]?"
)
# The notes' own enumeration at the start of an item ("一是", "其次", "2、"): the part numbers its points itself.
OWN_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|第[一二三四五六七八九十]+[，、]?|\d{1,2}[、.．)）]\s*)"
)
DATED = re.compile(r"\d{4}年|\d{1,2}月|年初|年底|年中")


def _starts(clause: str, cues: tuple[str, ...]) -> str:
    for cue in sorted(cues, key=len, reverse=True):
        if clause.startswith(cue):
            return cue
    return ""


# -- 不足 -------------------------------------------------------------------------------------------------------


@dataclass
class Point:
    lead: str  # "" when the line has no judgement of its own that could open it
    sentences: list[str]  # whole sentences, each ending in 。


@dataclass
class Shortcomings:
    points: list[Point]
    remedies: list[str]  # countermeasure clauses, in order
    remedy_label: str  # "对策建议" / "整改措施" …, "" = "下一步"


CAUSE = "原因"  # the role of a line that gives the cause of the problems (not a label any remedy is written under)


def role_of(
    raw: str, headings: list[str] | None = None, words: PartWords | None = None, *, text: str = ""
) -> str | None:
    """None for a problem line, CAUSE for a cause, else the label its countermeasure is written under.

    raw is the line as pasted, text the line as read (a chat speaker or an office prefix gone)."""
    words = words or part_words()
    remedy = remedy_label_of(raw, headings, words)
    if remedy is None and text:
        remedy = remedy_label_of(text, None, words)
    if remedy is not None:
        return remedy
    for line in [_bare_line(raw), _bare_line(text)] + [strip_numbering(h) for h in (headings or [])[-1:]]:
        if any(re.match(rf"^{re.escape(c)}\s*(?:[】\]|]|[：:]|$)", line) for c in words.cause_labels):
            return CAUSE
    if any(re.match(r"^(?:究其原因|(?:主要)?原因(?:主要)?(?:是|在于))", _bare_line(t)) for t in (raw, text)):
        return CAUSE  # "原因主要是编制未增加": a line of its own that gives the cause
    return None


def _bare_line(raw: str) -> str:
    line = re.sub(r"^\s*(?:[-+•·]|>)\s+", "", raw.strip()).replace("**", "").replace("__", "")
    line = re.sub(r"^\|\s*", "", line)  # a table row: its first cell is the label
    return strip_numbering(line).lstrip("【[")


def remedy_label_of(
    raw: str, headings: list[str] | None = None, words: PartWords | None = None
) -> str | None:
    """The written label when a line (or its notes heading) is a countermeasure, "" for an unnamed one, else None."""
    words = words or part_words()
    for text in [_bare_line(raw)] + [strip_numbering(h) for h in (headings or [])[-1:]]:
        for label in sorted(words.remedy_labels, key=len, reverse=True):
            if re.match(rf"^{re.escape(label)}\s*(?:[】\]|]|[：:]|$)", text):
                return words.remedy_labels[label]
    return None


def problem_point(written: str, words: PartWords | None = None) -> tuple[Point, list[str]]:
    """One problem line (written register) as a point, and any countermeasure clauses it carries at its end."""
    words = words or part_words()
    clauses = [(ANNOUNCED.sub("", c), m) for c, m in split_clauses(written) if not EMPTY_JUDGEMENT.match(c)]
    clauses = [(OWN_ORDINAL.sub("", c) if i == 0 else c, m) for i, (c, m) in enumerate(clauses) if c]
    clauses = [(c, m) for c, m in clauses if c]
    remedies: list[str] = []
    for i, (clause, _mark) in enumerate(clauses):
        if cue := _starts(clause, words.remedy_cues):
            rest = clause[len(cue) :].lstrip("，：: ")
            remedies = ([rest] if rest else []) + [c for c, _m in clauses[i + 1 :]]
            clauses = clauses[:i]
            break
    if not clauses:
        return Point("", []), remedies
    lead = ""
    body = list(clauses)
    run = 0
    while run < len(body) and judges(body[run][0], words):
        run += 1
    if 0 < run < len(body) or (run == len(body) == 1):
        # The line opens with its judgement ("标准不高。平台……"): that is the lead, the facts follow.
        lead = "，".join(c for c, _m in body[:run])
        body = body[run:]
        if len(body) >= 2 and body[0][1] == "，" and _names_a_thing(body[0][0]):
            # "标准不高。如音视频记录平台，数据……": a bare noun phrase after the judgement names its instance.
            body[0] = ("如" + body[0][0], body[0][1])
    concession = next((i for i, (c, _m) in enumerate(body) if _starts(c, words.concession)), None)
    main = (
        next((j for j in range(concession + 1, len(body)) if judges(body[j][0], words)), None)
        if concession is not None
        else None
    )
    if main is not None:
        # "虽然……，能力还要提高": the main clause after a concession reads "但仍……"; when the line has no
        # lead yet it is the point, stated first and repeated after the concession (as published reports do).
        core = re.sub(r"^(?:但是|但|可是|可|还是|却)", "", body[main][0])
        if not lead and not find_figures(core):
            lead = core
        still = _written_judgement(core, words, 1)
        body[main] = ("但" + (_still(core, words) if still == core else still), body[main][1])
    return Point(_written_judgement(lead, words, 0), _sentences(body, words)), remedies


SPOKEN_ADVERBS = "还是|还|也|都|就是|总是|老是|一直"


def _written_judgement(clause: str, words: PartWords, role: int) -> str:
    """A judgement of speech at the end of a clause in written words ("能力还是跟不上" → "能力有待提高" as the lead,
    "能力仍难以适应工作需要" after a concession); judges() has found the clause by its spoken word already."""
    for spoken in sorted(words.spoken_judgement, key=len, reverse=True):
        m = re.search(rf"(?:{SPOKEN_ADVERBS})?{re.escape(spoken)}$", clause)
        if m and m.start() > 0:
            return clause[: m.start()] + words.spoken_judgement[spoken][role]
    return clause


def _names_a_thing(clause: str) -> bool:
    """A bare noun phrase with no number and no predicate ("医保智能监控系统")."""
    toks = [t for t in tokens(clause) if t[0].strip()]
    return (
        bool(toks)
        and toks[-1][1].startswith("n")
        # A number may name the thing ("一网通办…平台"), not count it later ("一个所就两三个人").
        and not any(flag.startswith(("m", "d", "p", "c")) or flag == "q" for _w, flag in toks[1:])
        and not find_figures(clause)
        and not DATED.search(clause)
        and not has_predicate(clause)
    )


def _still(clause: str, words: PartWords) -> str:
    """ "能力有待提高" → "能力仍有待提高": after a concession the judgement holds still."""
    if re.search(r"[仍还尚依]", clause):
        return clause
    at = min((clause.find(w) for w in words.judgement if w in clause), default=-1)
    return clause[:at] + "仍" + clause[at:] if at > 0 else clause


def _sentences(clauses: list[tuple[str, str]], words: PartWords) -> list[str]:
    """The facts of a point as sentences: "目前，" after a dated past event, an ongoing step its own sentence."""
    out: list[str] = []
    current: list[str] = []
    said_now = False
    for i, (clause, mark) in enumerate(clauses):
        ongoing = _starts(clause, words.ongoing)
        if ongoing and current:
            out.append("，".join(current))
            current = []
        if ongoing and not clause.startswith("目前") and not said_now:
            clause = "目前，" + clause
            said_now = True
        elif (
            i == 1
            and DATED.search(clauses[0][0])
            and not DATED.search(clause)
            and not _starts(clause, words.concession)
            and judges(clause, words)
            and not said_now
        ):
            clause = (
                "目前，" + clause
            )  # "改革2021年9月完成，目前，队伍……": the event is past, the state is now
            said_now = True
        # The facts of a problem are states, not things done: no verb is supplied ("平台……数据还是原始存储").
        current.append(clause)
        if mark in "；。":
            out.append("，".join(current))
            current = []
    if current:
        out.append("，".join(current))
    return [s.rstrip("，；、 ") + "。" for s in out if s.strip("，；、 ")]


def _separate(text: str, is_item) -> list[str]:
    """A line of several items joined by "；" ("甲不充分；乙薄弱", "推进甲；加强乙") as one line per item, when every
    part is an item of its own; otherwise the line as it is (a "；" inside one problem joins its facts)."""
    segments = [seg for seg in _top_level(text, "；") if seg.strip("，。 ")]
    if len(segments) >= 2 and all(is_item(seg) for seg in segments):
        return segments
    return [text]


def _top_level(text: str, mark: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == mark and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


INLINE_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]是[，,]?|[①②③④⑤⑥⑦⑧⑨⑩]|\d{1,2}[.．、](?=\D))")
INLINE_BREAK = re.compile(
    r"[；;。，,]\s*(?=[二三四五六七八九十]是|[②③④⑤⑥⑦⑧⑨⑩])|[；;。]\s*(?=\d{1,2}[.．、]\D)"
)
# A short label before numbered items ("没完成的：1.甲；2.乙"): it heads the items, it is no plan of its own.
ITEMS_LABEL = re.compile(
    r"^[^：:，,。；;\d]{1,10}[：:]\s*(?=[一二三四五六七八九十]是|[①②③④⑤⑥⑦⑧⑨⑩]|\d{1,2}[.．、]\D)"
)


def inline_items(text: str) -> list[str]:
    """ "一是甲；二是乙" on one line → ["甲", "乙"]: points the notes numbered inline are points of their own."""
    text = ITEMS_LABEL.sub("", text)
    if not INLINE_ORDINAL.match(text) and not INLINE_BREAK.search(text):
        return [text]  # (the reader may have taken the first number off as the line's own: "①甲；②乙")
    return [
        INLINE_ORDINAL.sub("", part).strip("，,；; ") for part in INLINE_BREAK.split(text) if part.strip()
    ]


# A line that only names this part ("问题，就是不足", "存在的不足：", "短板方面"): what the lines after it are,
# said as a heading; it states no problem. Fillers of speech (就是, 主要) and marks between the names.
PART_NAME_ONLY = re.compile(
    r"(?:(?:就是|主要|还|存在的?|有|方面|的话|一些|几个|的)*(?:问题|不足|短板|差距|困难|薄弱环节)(?:方面|的话)?[，,：:；。\s]*)+"
)


def write_shortcomings(
    items: list[tuple[str, str | None]], *, we: str, opening: str = "", variant: int = 0
) -> str:
    """items: (written line, its role_of). The part as published reports write it."""
    words = part_words()
    points: list[Point] = []
    remedies: list[str] = []
    causes: list[tuple[int, str]] = []  # (number of problems before it, cause)
    label = ""
    role_labels = "|".join(
        re.escape(w) for w in sorted([*words.remedy_labels, *words.cause_labels], key=len, reverse=True)
    )
    for text, remedy in items:
        if PART_NAME_ONLY.fullmatch(text.strip()):
            continue  # "问题，就是不足": the part named aloud, a heading of the lines after it
        if remedy is not None:
            text = re.sub(rf"^(?:{role_labels})\s*[：:]\s*", "", text)
        if remedy == CAUSE and any(_starts(c, words.concession) for c, _m in split_clauses(text)):
            remedy = None  # "原因：虽然……，能力还是跟不上": a concession and its judgement make a problem
        if remedy == CAUSE:
            # "原因：……" is said of the problem before it ("主要原因是……"), not a problem of its own.
            labels = "|".join(re.escape(c) for c in sorted(words.cause_labels, key=len, reverse=True))
            cause = re.sub(rf"^(?:{labels})?\s*[：:]?\s*(?:主要)?(?:是|在于)?", "", text).strip("，：: ")
            if cause:
                causes.append((len(points), cause))
            continue
        if remedy is None and _starts(text, words.remedy_starts) and not judges(text, words):
            remedy = (
                ""  # "积极争取经费，招录新人": what will be done, with no problem stated, is a countermeasure
            )
        if remedy is not None:
            label = label or remedy
            remedies += [c for c, _m in split_clauses(text)]
            continue
        problems = [
            seg for part in inline_items(text) for seg in _separate(part, lambda seg: judges(seg, words))
        ]
        for problem in problems:
            point, carried = problem_point(problem, words)
            if point.lead or point.sentences:
                points.append(point)
            remedies += carried
    general = []
    for at, cause in causes:
        if at == len(points) and len(points) >= 2:
            general.append(cause)  # after all the problems: said of them all
        elif at:
            points[at - 1].sentences.append(f"主要原因是{cause}。")  # said of the problem before it
        else:
            points.insert(0, Point("", [f"主要原因是{cause}。"]))
    parts: list[str] = []
    led = any(p.lead for p in points)
    if len(points) == 1 and points[0].lead:
        lead = points[0].lead.replace("，", "、")  # "主要存在甲、乙的问题": one noun phrase
        listed, support = _more_problems(points[0].sentences, words)
        if listed:
            # "执法车辆老化，山区巡查难以到位": two judgements of one line are one list of problems, not a
            # problem and a stray sentence after it.
            problem = "、".join([re.sub(r"的?问题$", "", lead), *listed]) + "等问题"
        else:
            problem = lead if lead.endswith("问题") else lead + "的问题"
        parts.append(f"主要存在{problem}。" + "".join(support))
    elif points:
        # Points that open with their own judgement need no generic sentence before them; "换个开头" adds it.
        if opening and (not led or variant % 2 == 1):
            parts.append(opening)
        if len(points) == 1:
            parts.append("主要是" + "".join(points[0].sentences))
        else:
            for i, p in enumerate(points):
                head = f"{p.lead}。" if p.lead else ""
                parts.append(ordinal(i) + head + "".join(p.sentences))
    if general:
        parts.append("产生上述问题的主要原因是" + "；".join(general) + "。")
    if remedies:
        steps = [phrase(r).rstrip("，；。 ") for r in remedies if r.strip("，；。 ")]
        joiner = "；" if any("，" in s for s in steps) else "，"
        if label:
            parts.append(f"{label}：" + joiner.join(steps) + "。")
        else:
            first = re.sub(r"^(?:将|要|拟|应)", "", steps[0])
            parts.append(f"下一步，{we}将" + joiner.join([first] + steps[1:]) + "。")
    return "".join(parts)


def _more_problems(sentences: list[str], words: PartWords) -> tuple[list[str], list[str]]:
    """(judgements to list beside the lead, sentences that stay facts): a short sentence that only judges
    ("山区巡查难以到位") names a problem; one that counts or explains keeps its own sentence."""
    listed: list[str] = []
    for i, sentence in enumerate(sentences):
        bare = sentence.rstrip("。")
        said = judges(bare, words) or any(w in bare for w in VERB_WORDS["shortfall_words"])
        if said and not find_figures(bare) and not re.search(r"[，；：]", bare) and len(bare) <= 16:
            listed.append(bare)
            continue
        return listed, sentences[i:]
    return listed, []


# -- 安排 -------------------------------------------------------------------------------------------------------

LABEL = re.compile(r"^([^：，。；“”《》]{2,12})：(.+)$")


def strip_plan_prefix(text: str, next_year: int | None = None, words: PartWords | None = None) -> str:
    """ "2025年要把…", "下一步将…", "明年安排1：…" → the plan itself: the part heading says when."""
    words = words or part_words()
    years = rf"{next_year}年(?:度)?|" if next_year else ""
    prefixes = "|".join(re.escape(p) for p in sorted(words.plan_prefixes, key=len, reverse=True))
    pattern = re.compile(rf"^(?:(?:{years}{prefixes})[，,：:]?\s*)+")
    text = pattern.sub("", text.strip())
    text = re.sub(r"^(?:安排|打算|计划|任务)\s*[\d一二三四五六七八九十]*\s*[：:]", "", text)
    text = re.sub(r"^(?:我局|我们|我委|我办|本单位)", "", OWN_ORDINAL.sub("", text))
    return re.sub(r"^(?:将要|将|要|拟|计划|打算|准备|想)(?=\S{2})", "", text).lstrip("，, ")


def _verb_first(text: str) -> bool:
    """Whether a phrase opens on its verb ("健全救助制度"), not on a verb that modifies a noun ("执法装备")."""
    toks = [t for t in tokens(text) if t[0].strip()]
    if not toks:
        return False
    word, flag = toks[0]
    if word in MODIFIER_VERBS:
        return False
    # "把……提到10%" is a verb phrase that puts its object first.
    return word in TRANSITIVE or word == "把" or (flag.startswith("v") and flag != "vn")


# -- a plan said as speech says it, turned into the order of a report ("V + object") ----------------------------

# Verbs a plan's object may stand before ("X再完善", "把X规范一下"); the lexicon's transitive verbs and these.
PLAN_VERBS = TRANSITIVE | frozenset(VERB_WORDS["plan_verbs"])
# Verbs of a task that turn a whole clause round even with nothing before them ("责任制落实" → "落实责任制").
TASK_VERBS = frozenset(VERB_WORDS["task_verbs"])
# What a plan's verb may be followed by in speech; none is a figure ("搞一遍" says "all of it", not a count).
TAILS = ("一下", "一遍", "一步", "一点", "起来", "下去", "好", "完成", "完", "点", "些")

PLAN_TIME = re.compile(
    r"^(?P<time>\d{4}年(?:底前|年底前|上半年|下半年|内)?|年内|年底前|上半年|下半年)[，,]?"
    r"(?:还有|将要|将|还要|还得|需要|也要|要|得|拟|计划|打算|准备|想|力争在)?"
)


@dataclass
class _Spoken:
    obj: str  # what the plan acts on
    again: str  # the written adverb of repetition ("进一步", "继续", "持续") or ""
    modal: bool  # a modal word stood between object and verb ("要", "还得", "争取")
    verb: str  # the verb as spoken ("推", "改造", "规范")
    tail: str  # "一下", "起来", "下去" …


def _split_verb(text: str, words: PartWords, *, disposal: bool = False) -> _Spoken | None:
    """ "X要再规范一下" → (X, 进一步, True, 规范, 一下): a clause that ends on its verb after its object.

    After 把 the grammar says the clause ends on a verb: any verb jieba tags as one ("把档案再梳理一下")."""
    tail = next((t for t in TAILS if text.endswith(t)), "")
    head = text[: len(text) - len(tail)] if tail else text
    toks = [t for t in tokens(head) if t[0].strip()]
    tagged = toks[-1][0] if disposal and toks and toks[-1][1] == "v" and len(toks[-1][0]) >= 2 else ""
    for n in (4, 3, 2, 1):
        verb = head[-n:]
        if len(head) <= n or not (_plan_verb(verb, words) or verb == tagged):
            continue
        if n == 1 and not (tail or _ends(head[:-1], tuple(words.plan_again) + words.plan_modals)):
            continue  # "推", "用" alone at a clause's end end a word ("投入使用"), not a plan
        before = head[:-n]
        again = modal = ""
        for _round in range(3):  # "还得继续", "要再", "再": modal and adverb in either order
            if not again and (a := _ends(before, tuple(words.plan_again))):
                again, before = words.plan_again[a], before[: -len(a)]
            elif not modal and (m := _ends(before, words.plan_modals)):
                modal, before = m, before[: -len(m)]
        before = re.sub(r"(?:均|都|全部)$", "", before)  # "甲和乙都要升级": both are the object
        if re.search(r"(?:[没未不]|没有)$", before):
            return None  # "场地一直没落实" says a verb was not done: no plan to turn round ("落实场地一直没")
        if len(before) < 2:
            return None
        return _Spoken(before, again, bool(modal), verb, tail)
    return None


def _ends(text: str, cues: tuple[str, ...]) -> str:
    return next(
        (c for c in sorted(cues, key=len, reverse=True) if text.endswith(c) and len(text) > len(c)), ""
    )


def _plan_verb(verb: str, words: PartWords) -> bool:
    """A verb a plan acts with: a known one, a spoken one-syllable one, or two of them ("充实加强", "抓规范")."""
    if len(verb) == 1 or verb in words.plan_spoken_verbs:
        return verb in words.plan_spoken_verbs
    if verb in PLAN_VERBS or verb in words.nominal_verbs or verb in words.further_verbs:
        return True
    return any(_plan_verb(verb[:i], words) and _plan_verb(verb[i:], words) for i in range(1, len(verb)))


def _written_verb(verb: str, obj: str, words: PartWords) -> str:
    """The written verb for a spoken one: "推" → 推进 (推行 for a rule), "抓规范" → 规范, "充实加强" stays."""
    if len(verb) == 1:
        if verb in words.system_verbs and obj.endswith(words.system_ends):
            return words.system_verbs[verb]
        return words.plan_spoken_verbs.get(verb, verb)
    if verb in words.plan_spoken_verbs:
        return words.plan_spoken_verbs[verb]  # "抓紧" → 抓紧推进
    for done in (verb[:1], verb[:2]):
        rest = verb[len(done) :]
        if done in (*words.plan_spoken_verbs, "开展") and len(rest) >= 2 and _plan_verb(rest, words):
            return rest  # "抓规范", "开展规范" (搞规范 in speech): the first verb only says that it is done
    return verb


# The last word of a body that acts ("执法大队要加强" is said of the brigade, not done to it).
ACTOR = re.compile(
    r"^(?:局|委|办|科|股|室|队|大队|中队|院|所|站|中心|部门|单位|班子|领导|小组|各级|我们|大家)$"
)


def _acts_on(obj: str) -> bool:
    """Whether the words before a plan's verb can be its object: a thing, not a body, a time or a verb phrase."""
    if TIME_WORD.match(obj) or ADVERBIAL_START.match(obj) or find_figures(obj) or opens_on_verb(obj):
        return False
    if re.match(r"^(?:我|本|各|全局|全员|大家|他们|你们)", obj):
        return False
    toks = [t for t in tokens(re.sub(r"“[^”]*”|《[^》]*》", "名", obj)) if t[0].strip()]
    if not toks or ACTOR.match(toks[-1][0]) or toks[-1][1] in ("nt", "nr", "r"):
        return False
    if toks[0][0] in AIMING or toks[0][0] in SEEKING or (len(toks) == 1 and toks[0][1] == "v"):
        return False  # "做到全覆盖", "争取落地": a verb of its own, not a thing
    # A verb that acts on something inside the words before makes them a clause of their own ("争取增加执法编制",
    # "每季度组织一次安全检查"); a modifier ("听证范围") or a list item ("机房改造、平台") does not.
    return not any(
        (word in PLAN_VERBS or word in AIMING or word in SEEKING)
        and word not in MODIFIER_VERBS
        and (flag.startswith("v") and flag != "vn" or i == 0 or word in AIMING)
        and i + 1 < len(toks)
        and toks[i + 1][0] not in ("、", "和", "及", "与")
        for i, (word, flag) in enumerate(toks)
    )


def _turn_round(spoken: _Spoken, words: PartWords, *, disposal: bool) -> str | None:
    """The plan as "(进一步)V + object"; None when speech put nothing before the verb that marks it a plan."""
    obj, verb, tail = spoken.obj, spoken.verb, spoken.tail
    written = _written_verb(verb, obj, words)
    adverb = spoken.again or ("持续" if tail == "下去" else "进一步" if tail == "一步" else "")
    if not disposal and not (
        spoken.modal or spoken.again or tail in ("下去", "一步", "起来", "完", "完成", "一下")
    ):
        # Nothing marks the words before the verb as its object: only a verb of a task turns a whole clause
        # round ("责任制落实" → "落实责任制"), or a change the plan carries forward ("标准化建设" → "推进……").
        if carrier := _carrier(written, words):
            return f"{carrier}{obj}{written}" if not has_predicate(obj) else None
        if written not in TASK_VERBS and written not in words.further_verbs:
            return None
    if verb == "用" and tail == "起来":
        return f"推动{obj}投入使用"
    if tail in ("完", "完成"):
        # "把档案数字化弄完": a verb that only says "do" leaves the task itself as the object.
        return f"完成{obj}" if verb in ("弄", "搞", "做", "干", "开展") else f"完成{obj}{written}"
    if written == "准备" and tail == "好":
        return f"做好{obj}准备"
    if written in ("开展", "组织", "组织开展"):
        return f"{adverb}开展{obj}"  # "把执法人员轮训搞一遍": the training is carried out
    if (carrier := _carrier(written, words)) and (
        written not in PLAN_VERBS or not (spoken.again or disposal)
    ):
        # "机房要改造" → "推进机房改造"; "平台争取落地" → "推动平台落地": the change is the plan's object.
        return f"{carrier}{obj}{adverb}{written}"
    return f"{adverb}{written}{obj}"


def _carrier(verb: str, words: PartWords) -> str:
    """The verb that carries forward a change named by `verb` ("改造" → 推进), also of two ("升级改造"); else ""."""
    if verb in words.nominal_verbs:
        return words.nominal_verbs[verb]
    for i in range(2, len(verb) - 1):
        if verb[:i] in words.nominal_verbs and verb[i:] in words.nominal_verbs:
            return words.nominal_verbs[verb[i:]]
    return ""


def plan_clause(clause: str, words: PartWords | None = None) -> str:
    """One clause of a plan (written register) in the order and words of a report; anything else unchanged.

    "把X再V一下" → "进一步VX"; "X要改造" → "推进X改造"; "X再完善" → "进一步完善X"; "推X" → "推进X";
    "再开展X" → "进一步开展X"; "X均接入Y" → "推动X全部接入Y". Only words of speech go; every word of the
    object stays, and a figure is never touched (a clause that counts is left as it is).
    """
    words = words or part_words()
    text = clause.strip()
    if not text:
        return clause
    if (m := PLAN_TIME.match(text)) and len(text) > m.end() + 1:
        # "2025年要把……": the time stays, the intention word of speech goes, the plan is turned round after it.
        rest = text[m.end() :]
        turned = plan_clause(rest, words)
        return m["time"] + turned if turned != rest else clause
    again = ""
    if (a := _starts(text, tuple(words.plan_again))) and len(text) > len(a) + 1 and a != "进一步":
        rest = text[len(a) :]
        if _verb_first(rest) or rest.startswith("把") or _plan_verb(rest[:1], words):
            again, text = words.plan_again[a], rest
    if (md := _starts(text, words.plan_modals)) and text[len(md) :].startswith("把"):
        text = text[len(md) :]  # "得把……充实一下": the modal of speech goes, 把 turns the plan round
    text = close_lists(text)
    text = _rewrite_plan(text, words)
    if again and not _starts(text, words.plan_adverbs):
        text = again + text
    return text


def _rewrite_plan(text: str, words: PartWords) -> str:
    if (turned := turned_plan(text)) is not None:
        return turned  # the "plan" rows of rules/reorder.toml ("全员过一次……")
    if text.startswith("把") and not find_figures(text):
        spoken = _split_verb(text[1:], words, disposal=True)
        if spoken and (turned := _turn_round(spoken, words, disposal=True)):
            return turned
        return text
    if (
        not find_figures(text)
        and (spoken := _split_verb(text, words))
        and _acts_on(spoken.obj)
        # "推动预案修订", "完成办法修订": a clause that opens on its verb is in a report's order already; the
        # verbal noun at its end names the object ("修订推动预案" turns the wrong verb round).
        and not _opens_on_own_verb(spoken.obj, words)
        and (turned := _turn_round(spoken, words, disposal=False))
    ):
        return turned
    toks = [t for t in tokens(text) if t[0].strip()]
    rest = text[1:]
    rest_toks = [t for t in tokens(rest) if t[0].strip()]
    if (
        len(toks) >= 2
        and toks[0][0] in words.plan_spoken_verbs
        and (not toks[1][1].startswith(("u", "x")) or toks[1][0] == "“")
        and toks[1][0] not in ("好", "起来", "下去", "完", "了", "到", "上", "出")
    ) or (
        # jieba joins the verb to the object's first character ("推文旅市场" → 推文/n): read as verb + object.
        text[0] in words.plan_spoken_verbs
        and toks
        and len(toks[0][0]) == 2
        and not _in_dictionary(toks[0][0])
        and rest_toks
        and rest_toks[0][1].startswith("n")
        and rest_toks[0][0].startswith(toks[0][0][1])
        and len(rest_toks[0][0]) > 1
    ):
        return _written_verb(text[0], rest, words) + rest  # "推殡葬监管制度" → "推行殡葬监管制度"
    changes = "|".join(re.escape(w) for w in sorted(words.thing_changes, key=len, reverse=True))
    changed = re.match(
        rf"^(?P<subj>[^，；]{{2,20}}?)(?P<adv>均|都|全部|全|逐步|陆续)?(?P<verb>{changes})", text
    )
    if changes and changed and _acts_on(changed["subj"]):
        adv = "全部" if changed["adv"] in ("均", "都", "全") else (changed["adv"] or "")
        return f"推动{changed['subj']}{adv}{text[changed.start('verb') :]}"
    return text


def _opens_on_own_verb(text: str, words: PartWords) -> bool:
    """ "推动预案", "完成办法", "抓配套": a transitive verb of the lexicon or a spoken one opens the phrase (not a
    word jieba calls a verb that names a thing: "调解室场地")."""
    toks = [t for t in tokens(text) if t[0].strip()]
    if not toks:
        return False
    word = toks[0][0]
    return (word in TRANSITIVE and word not in MODIFIER_VERBS) or word in words.plan_spoken_verbs


def _in_dictionary(word: str) -> bool:
    """Whether jieba knows a word from its dictionary, not one its HMM made up by joining two characters.

    Asked of the tagger's own dictionary (the one that cut the word): jieba's global one is loaded only when some
    other part of the process happens to use it, and empty it called every "推进" a made-up word."""
    return word_frequency(word) > 0


def _merge_lists(text: str) -> str:
    """ "甲、乙这些，还有丙要规范" → "甲、乙、丙要规范": a list that speech broke off and took up again."""
    clauses = split_clauses(text)
    out: list[tuple[str, str]] = []
    for clause, mark in clauses:
        if out and clause.startswith("还有") and len(clause) > 2 and out[-1][1] == "，":
            prev = out[-1][0]
            closed = re.sub(f"(?:{'|'.join(DEMONSTRATIVES)})$", "", prev)
            if closed != prev or (prev.startswith("把") and "，" not in prev):  # "把甲、乙，还有丙再规范"
                out[-1] = (f"{closed}、{clause[2:]}", mark)
                continue
        out.append((clause, mark))
    return "".join(c + m for c, m in out).rstrip("。")


def plan_lines(text: str, next_year: int | None = None, words: PartWords | None = None) -> list[str]:
    """A plan line as one line per plan: "推进甲，再开展乙" holds two plans, each its own point."""
    words = words or part_words()
    text = strip_plan_prefix(text, next_year, words)
    if LABEL.match(text):
        return [text]
    text = _merge_lists(text)
    segments: list[list[str]] = [[]]
    for clause, mark in split_clauses(text):
        cue = _starts(clause, words.plan_connectives)
        bare = clause[len(cue) :]
        # "还有" names a task of its own even without a verb ("……，还有网格化管理"); the others a step.
        if (
            cue
            and segments[-1]
            and (cue == "还有" or _opens_plan(segments[-1][0].rstrip("，；。"), words))
            and (cue == "还有" or _opens_plan(bare, words) or bare.startswith("把"))
        ):
            segments.append([])
            clause = clause if cue == "再" else bare  # "再" says "further", the others only "and"
        segments[-1].append(clause + mark)
    return ["".join(seg).rstrip("，；。") for seg in segments if seg]


def _opens_plan(clause: str, words: PartWords) -> bool:
    """Whether a clause, turned round, opens on its verb (after a time of its own: "2025年推进……")."""
    turned = plan_clause(clause, words)
    return _verb_first(turned[m.end() :] if (m := PLAN_TIME.match(turned)) else turned)


def plan_point(written: str, next_year: int | None = None, words: PartWords | None = None) -> tuple[str, str]:
    """(lead, rest) of one plan; rest "" when the plan is one sentence."""
    words = words or part_words()
    text = strip_plan_prefix(written, next_year, words)
    if (m := LABEL.match(text)) and not find_figures(m.group(1)):
        label, rest = m.group(1), _phrase_plan(split_clauses(m.group(2)), words)
        if re.search(r"(?:领域|方面|板块)$", label):
            # "殡葬领域：推进……": an area, not a task; the plan says what it does there.
            return _further(f"在{label}，{rest}", words), ""
        lead = label if _verb_first(label) else (verb_for(label) or "推进") + label
        if lead.startswith("推进") and rest.startswith("推进"):
            lead = "加快" + lead  # "加快推进执法信息化。推进……": the point, then its steps
        return _further(lead, words), rest
    clauses = split_clauses(_merge_lists(text))
    first = clauses[0][0] if clauses else ""
    # Only a first step the notes wrote verb first is the plan's aim; one turned round is a step among others.
    if len(clauses) >= 3 and len(first) <= 16 and _verb_first(first):
        # A long plan: its first verb phrase leads, the steps follow as a sentence of their own.
        return _further(_phrase_plan(clauses[:1], words), words), _phrase_plan(clauses[1:], words)
    return _further(_phrase_plan(clauses, words, needs_verb=True), words), ""


def _phrase_plan(clauses: list[tuple[str, str]], words: PartWords, *, needs_verb: bool = False) -> str:
    """The clauses of a plan with their verbs: each turned round where speech put it (it has its verb then),
    the others through phrase() (a fragment gets the verb its noun calls for; parallel verbs are shared).
    needs_verb: the plan is a point of its own, so a first clause that only names its task gets "推进"."""
    out, run = "", ""
    for i, (clause, mark) in enumerate(clauses):
        turned = plan_clause(clause, words)
        if turned == clause:
            if i == 0 and needs_verb:
                clause = _with_verb(clause)
            run += clause + mark
            if mark == "。":
                out, run = out + phrase(run[:-1]) + "。", ""
            continue
        out += (phrase(run) if run else "") + unbind(turned) + mark
        run = ""
    out = share_verb(out + (phrase(run) if run else ""))
    # "进一步" once in a plan: its later clauses are steps of the same further effort.
    first = out.find("进一步")
    if first >= 0:
        out = out[: first + 3] + re.sub(r"(?<=[，；])进一步", "", out[first + 3 :])
    return out.rstrip("，；。 ")


def _with_verb(plan: str) -> str:
    """A plan that names only its task ("网格化管理") is carried forward: "推进网格化管理"."""
    first = split_clauses(plan)[0][0] if plan else ""
    if not first or has_predicate(first) or _verb_first(first) or find_figures(first):
        return plan
    if _starts(first, part_words().plan_adverbs) or "把" in first:
        return plan  # "进一步把积案清零": an adverb or a 把 phrase opens a plan that has its verb
    return (verb_for(first) or "推进") + plan


def _further(text: str, words: PartWords) -> str:
    """A plan that opens on a bare verb of improvement reads as the next step: "进一步规范……"."""
    if _starts(text, words.plan_adverbs):
        return text
    if _starts(text, words.further_verbs):
        return "进一步" + text
    return text


def _alternatives(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(VERB_WORDS[key], key=len, reverse=True))


# When a plan item says a thing happens: "2027年3月", "2027年一季度", "年底前", "上半年".
PLAN_WHEN = (
    r"(?:(?:\d{4}年度?)?(?:\d{1,2}月(?:\d{1,2}日)?(?:底|初|中旬|上旬|下旬)?|[一二三四1-4]季度|上半年|下半年|年初|年中|"
    r"年底|年内|\d{4}年度?)(?:底|初|中|前|内|以前|之前){0,2})"
)
# An object is one clause: words after a comma or a full stop are another statement, not the deferred thing.
CLAUSE_MARK = re.compile(r"[，,；;。：:]")
DEFERRED = re.compile(rf"^(?P<obj>.*?)(?:{_alternatives('plan_deferrals')})(?P<rest>.*)$")
DEFERRED_REST = re.compile(
    rf"^(?:{PLAN_WHEN})?(?:再|才|继续)?(?:{_alternatives('plan_states')}|办理|处理|实施)?$"
)
WAITING = re.compile(rf"^(?P<obj>.*?)(?P<wait>{_alternatives('plan_waiting')})(?P<rest>.+)$")
APPROVAL = re.compile(r"(?:审议|审定|审批|批准|批复|同意|反馈|备案|回复|验收|上会)")
STATED = re.compile(
    rf"^(?P<obj>.*?)(?P<hedge>{_alternatives('plan_hedges')})?(?P<when>{PLAN_WHEN})?(?:再|才能|才|能|可)?"
    rf"(?P<state>{_alternatives('plan_states')})$"
)
SUBMITTED = re.compile(
    rf"^(?P<obj>[^，；]{{2,}}?)(?P<verb>{_alternatives('plan_submissions')})"
    r"(?P<to>[^，；]{1,14}?(?:政府|人大|常委会|人代会|党组|党委|司法局|委员会|常务会|会议))(?P<rest>审议|审定|审批|批准|备案)?$"
)


def plan_task(line: str) -> str | None:
    """A plan item as a task the bureau will do; None when it names no task of its own.

    An item the notes gave only as a date or a state of some thing turns round on its own object ("系统预计2027年3月
    上线" → "推动系统于2027年3月上线", "办法报县政府" → "推动办法报送县政府"); one whose object was said in another
    clause ("拖到2027年", "剩下的2027年一季度到", "尚待县人代会审议批准") is left out: its task cannot be read
    from it, and a plan is never invented. A counted figure keeps its item whatever its shape."""
    text = line.strip("，；。 ")
    if not text or any(f.unit and f.unit not in ("年", "月", "日", "号") for f in find_figures(text)):
        return line
    # A month or a day is a figure the checks hold the draft to: an item carrying one is kept, not left out.
    left_out = line if any(not (f.unit == "年" and len(f.number) == 4) for f in find_figures(text)) else None
    referent = _starts(text, tuple(VERB_WORDS["plan_referents"]))
    body = text[len(referent) :]
    obj_of = lambda m: "" if referent else m["obj"].strip("，、 ")  # noqa: E731 — "剩下的": the object is elsewhere
    if (m := DEFERRED.match(body)) and DEFERRED_REST.match(m["rest"]) and not CLAUSE_MARK.search(m["obj"]):
        obj = obj_of(m)
        return f"继续推进{obj}" if len(obj) >= 2 and not re.fullmatch(PLAN_WHEN, obj) else left_out
    if (m := WAITING.match(body)) and APPROVAL.search(m["rest"]) and not CLAUSE_MARK.search(m["obj"]):
        obj = obj_of(m)
        if not obj:
            return left_out
        if m["wait"] in ("待", "等"):
            return line  # "待" inside a longer clause ("待遇", "待办") is no waiting
        return f"推动{obj}经{m['rest']}"
    if _verb_first(body) and not referent:
        return line
    if (m := STATED.match(body)) and (m["hedge"] or m["when"] or referent or len(m["state"]) >= 2):
        obj = obj_of(m)
        if not obj or re.fullmatch(PLAN_WHEN, obj):
            return left_out
        if CLAUSE_MARK.search(obj) or not _acts_on(obj) or "日" in (m["when"] or ""):
            return (
                line  # an office that issued a paper on a day ("办公室1月8日印发") is no plan to turn round
            )
        if m["state"] == "完成":
            return (
                f"{m['when'] or ''}完成{obj}"  # the bureau completes a task itself: "完成X", not "推动X完成"
            )
        when = f"于{m['when']}" if m["when"] else ""
        return f"推动{obj}{when}{m['state']}"
    if (m := SUBMITTED.match(body)) and not referent:
        verb = "报送" if m["verb"] == "报" else m["verb"]
        return f"推动{m['obj']}{verb}{m['to']}{m['rest'] or ''}"
    return left_out if referent and not body else line


def write_plans(items: list[str], *, opening: str = "", next_year: int | None = None) -> str:
    words = part_words()
    # "一是甲；二是乙" and "甲；乙；丙" on one line are plans of their own.
    items = [
        p for t in items for part in inline_items(t) for p in _top_level(part, "；") if p.strip("，；。 ")
    ]
    lines = [
        line
        for t in items
        for seg in _separate(t, lambda seg: _verb_first(strip_plan_prefix(seg, next_year)))
        for line in plan_lines(seg, next_year, words)
    ]
    lines = [task for t in lines if (task := plan_task(strip_plan_prefix(t, next_year, words)))]
    points = [plan_point(t, next_year, words) for t in lines]
    points = [(lead, rest) for lead, rest in points if lead]
    if not points:
        return ""
    if len(points) == 1:
        lead, rest = points[0]
        return opening + lead + "。" + (rest + "。" if rest else "")
    body = ""
    for i, (lead, rest) in enumerate(points):
        if i and lead.startswith("进一步") and points[i - 1][0].startswith("进一步"):
            lead = lead[len("进一步") :]  # not every point: "进一步" on each would be a tic, not a plan
            points[i] = (lead, rest)
        body += ordinal(i) + lead + "。" + (rest + "。" if rest else "")
    return opening + body
