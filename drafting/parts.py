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

from drafting.numbers import find_figures
from drafting.outline import strip_numbering
from drafting.phrasing import MODIFIER_VERBS, TRANSITIVE, has_predicate, phrase, verb_for
from drafting.register import tokens

ORDINALS = "一二三四五六七八九十"
DATA = Path(__file__).with_name("outline.toml")


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


@lru_cache(maxsize=4)
def part_words(path: str = str(DATA)) -> PartWords:
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
    )


def ordinal(i: int) -> str:
    return (ORDINALS[i] if i < len(ORDINALS) else str(i + 1)) + "是"


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
        # A number may name the thing ("三项制度…平台"), not count it later ("一个所就两三个人").
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
        for problem in _separate(text, lambda seg: judges(seg, words)):
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
        problem = lead if lead.endswith("问题") else lead + "的问题"
        parts.append(f"主要存在{problem}。" + "".join(points[0].sentences))
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
    """Whether a phrase opens on its verb ("深化理论学习"), not on a verb that modifies a noun ("执法装备")."""
    toks = [t for t in tokens(text) if t[0].strip()]
    if not toks:
        return False
    word, flag = toks[0]
    if word in MODIFIER_VERBS:
        return False
    # "把……提到10%" is a verb phrase that puts its object first.
    return word in TRANSITIVE or word == "把" or (flag.startswith("v") and flag != "vn")


def plan_point(written: str, next_year: int | None = None, words: PartWords | None = None) -> tuple[str, str]:
    """(lead, rest) of one plan; rest "" when the plan is one sentence."""
    words = words or part_words()
    text = strip_plan_prefix(written, next_year, words)
    if (m := LABEL.match(text)) and not find_figures(m.group(1)):
        label, rest = m.group(1), m.group(2)
        if re.search(r"(?:领域|方面|板块)$", label):
            # "殡葬领域：推进……": an area, not a task; the plan says what it does there.
            return _further(f"在{label}，{phrase(rest).rstrip('，；。 ')}", words), ""
        lead = label if _verb_first(label) else (verb_for(label) or "推进") + label
        rest = phrase(rest).rstrip("，；。 ")
        if lead.startswith("推进") and rest.startswith("推进"):
            lead = "加快" + lead  # "加快推进执法信息化。推进……": the point, then its steps
        return _further(lead, words), rest
    clauses = split_clauses(text)
    body = phrase(text).rstrip("，；。 ")
    if len(clauses) >= 3 and len(clauses[0][0]) <= 16 and _verb_first(clauses[0][0]):
        # A long plan: its first verb phrase leads, the steps follow as a sentence of their own.
        rest = "，".join(c for c, _m in clauses[1:])
        return _further(phrase(clauses[0][0]), words), phrase(rest).rstrip("，；。 ")
    return _further(body, words), ""


def _further(text: str, words: PartWords) -> str:
    """A plan that opens on a bare verb of improvement reads as the next step: "进一步规范……"."""
    if _starts(text, words.plan_adverbs):
        return text
    if _starts(text, words.further_verbs):
        return "进一步" + text
    return text


def write_plans(items: list[str], *, opening: str = "", next_year: int | None = None) -> str:
    words = part_words()
    lines = [
        seg for t in items for seg in _separate(t, lambda seg: _verb_first(strip_plan_prefix(seg, next_year)))
    ]
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
