"""Fragments → clauses: the verb a fragment's noun and measure word call for, parallel figures coordinated.

A note line is often a noun phrase with a figure ("全年行政处罚326件", "电子证照") or a list of them. jieba's
part-of-speech tags tell whether a clause already has a predicate; when it has none, the lexicon below gives
the verb that 公文 uses with its head noun and measure word (学习/培训 + 次 → 组织开展; 案件 + 件 → 办理;
证照 + 个/张 → 核发; 车辆/人员 + 辆次/人次 → 出动). Words are only ever added around the note's own words, and
never a figure.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from drafting.engines.offline.data import outline_path
from drafting.engines.offline.firing import fire
from drafting.text.numbers import find_figures
from drafting.text.tokens import tokens


@dataclass(frozen=True)
class VerbRule:
    noun: str  # regex on the clause's nouns (the last one that matches decides)
    measure: str  # regex on the measure word of the clause's figure; "" = the clause has no figure
    verb: str
    # The word an activity named by a verbal noun is carried out as ("开展……创建工作", "开展……攻坚行动"):
    # added only when the fragment ends in the noun itself, never after a figure.
    suffix: str = ""
    id: str = ""
    priority: int = 0  # on a tie (both nouns end as near the figure), the higher priority decides
    examples: tuple[tuple[str, str], ...] = ()


VERBS_FILE = Path(__file__).with_name("rules") / "verbs.toml"  # the verb rows and [words]


def load_verb_rules(path: Path = VERBS_FILE) -> tuple[tuple[VerbRule, ...], tuple[VerbRule, ...]]:
    """(counted, uncounted): the rows of `rules/verbs.toml`, highest priority first."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = []
    for name in ("counted", "uncounted"):
        rules = [
            VerbRule(
                noun=row["noun"],
                measure=row.get("measure", ""),
                verb=row["verb"],
                suffix=row.get("suffix", ""),
                id=row["id"],
                priority=row.get("priority", 0),
                examples=tuple((ex["in"], ex["out"]) for ex in row.get("example", ())),
            )
            for row in data[name]
        ]
        if name == "counted" and any(not r.measure for r in rules):
            raise ValueError(f"{path.name}: a counted rule without a measure word")
        for rule in rules:
            (
                re.compile(rule.noun),
                re.compile(rule.measure),
            )  # a bad pattern fails at load, not on a user's notes
        tables.append(tuple(sorted(rules, key=lambda r: -r.priority)))
    return tables[0], tables[1]


# With a figure: noun + measure word → verb. Without a figure: head noun → verb.
COUNTED, UNCOUNTED = load_verb_rules()
QUOTED_NAMES = next(r for r in UNCOUNTED if r.id == "uncounted:named-practices→落实")
RATE = re.compile(r"(?<![达为到是至])(率)(\s*)(\d+(?:\.\d+)?[%％])")
# A date is one time word: "10月10日" never takes a verb between its month and its day.
TIME_WORD = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|全年|年内|年度|今年|上半年|下半年|以来|\d{4}年|\d+月|期间|年初|年底|年末|截至|目前"
)
CLAUSE_SPLIT = re.compile(r"(?<=[，；。])")
OFFICE_LABEL = re.compile(
    r"^[^：，。；“”《》]{0,8}?(?:科|股|室|办公室|大队|中队|支队|所|中心|组|站|处)(?:这边|那边|报来的|报来|报送|报|提供|反馈|汇总)?的?[：:]\s*"
)
BREAKDOWN = re.compile(r"^(?P<head>[^：]*\d[^：]*)：(?P<items>[^；]+)(?P<rest>(?:；.*)?)$")
ITEM = re.compile(r"^[^，、\d]{1,14}?\d+(?:\.\d+)?[^\d，、]{0,4}$")


RULES_DIR = Path(__file__).with_name("rules")
# Word classes of the lexicon: field vocabulary, kept as data in rules/verbs.toml [words].
WORDS = tomllib.loads((RULES_DIR / "verbs.toml").read_text(encoding="utf-8"))["words"]
TRANSITIVE = frozenset(WORDS["transitive"])
COUNT_UNITS = frozenset(WORDS["count_units"])
SEEKING = frozenset(WORDS["seeking"])
AIMING = frozenset(WORDS["aiming"])
PLACING = frozenset(WORDS["placing"])
OPENING_TRANSITIVE = frozenset(WORDS["opening_transitive"])
COUNT_NOUNS = "|".join(WORDS["count_nouns"])
ALWAYS_PREDICATE = frozenset(WORDS["always_predicate"])
MODIFIER_VERBS = frozenset(WORDS["modifier_verbs"])
ASPECT_ADVERBS = frozenset(WORDS["aspect_adverbs"])
SINGLE_VERBS = frozenset(WORDS["single_verbs"])
NOMINAL_ENDS = re.compile("(?:" + "|".join(WORDS["nominal_ends"]) + ")$")
SPOKEN_CONNECTIVE = re.compile(r"^(?:还有|另外|再有|再就是|然后)")
PERSON = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,2}|小[\u4e00-\u9fff]|老[\u4e00-\u9fff])?(?:科长|副科长|局长|副局长|主任|副主任|队长|"
    r"股长|所长|站长|书记|处长|部长|同志|老师|主席|委员)$"
)
# A clause opening with a preposition is an adverbial ("依托平台，推进…"); one opening with 共/累计 counts what
# its verbal noun did ("共培训210人次"): neither wants a verb of its own.
ADVERBIAL_START = re.compile(
    r"^(?:依托|通过|围绕|按照|依据|根据|对照|针对|结合|借助|利用|以|对|向|给|为|在|经|被|共|累计|合计|共计|先后|均|全部|其中)"
)


# A comparison with 比/较 and its change: the change is the predicate ("投诉比上年少了12件", "较上年增长8%").
SAYS_MORE_OR_LESS = re.compile(r"(?:比|较)[^，；。]{1,12}?(?:多|少|增加|减少|增长|下降|提高|降低|上升)")


# "X为Y" with its subject before it (not "为群众…" opening a clause): a copula, the clause's predicate.
COPULA = re.compile(r"(?<=[\u4e00-\u9fff])(?<!以|因|作|成)为(?=[“\u4e00-\u9fff\d])")


def has_predicate(clause: str) -> bool:
    """True when a clause has a verb of its own; a verbal noun (培训, 升级) or a compound (执法记录) does not count.

    Only the first item of a 、-list is read: "监管平台升级、移动执法终端、视频监控探头" is a list of things.
    A clause whose head noun calls for a verb ("违法建设案件17起", "首问负责机制") is a fragment unless it holds
    a transitive verb of its own: jieba tags the modifiers 违法, 负责, 执法 as verbs.
    """
    bare = re.sub(r"《[^》]*》|“[^”]*”", "名", clause)
    first = bare.split("、")[0]
    toks = [t for t in tokens(first) if t[0].strip()]
    whole = [t for t in tokens(bare) if t[0].strip()]
    untimed = bare[m.end() :] if (m := TIME_WORD.match(bare)) else bare
    if ADVERBIAL_START.match(bare) or ADVERBIAL_START.match(untimed):
        return True  # "全年共作出行政处罚326件" as much as "共培训210人次"
    if COPULA.search(clause):
        return True  # "评议等次为“好”": the copula after its subject is the predicate, nothing is 落实ed
    if SAYS_MORE_OR_LESS.search(bare):
        return True  # "信访件比去年多了40件": a comparison is the clause's predicate, nobody 办理s it
    for i, (word, flag) in enumerate(whole):
        if (
            word in ASPECT_ADVERBS
            and (i or word != "在")  # "在开展…" opens an adverbial, "示范县在创建" is progressive
            and any(t[1].startswith("v") for t in whole[i + 1 : i + 3])
        ):
            return True  # "示范县在创建", "清单已调整": an adverb makes the verbal noun a predicate
        if word in ALWAYS_PREDICATE or (word in SINGLE_VERBS and flag.startswith("v") and i < len(whole) - 1):
            return True
        if word not in TRANSITIVE and len(word) > 2 and word[-2:] in TRANSITIVE:
            word = word[-2:]  # "执法检查企业": a verb compound still takes its object
        if word in TRANSITIVE and i < len(whole) - 1:
            nxt = whole[i + 1][0]
            if nxt in ("、", "，", "；", "和", "及"):
                continue  # "线路升级、综合执法系统": a list of things, the verb ends its item
            if not re.match(r"^[\d一二三四五六七八九十两]", nxt) or not re.fullmatch(COUNT_NOUNS, word):
                return True  # "调整领导小组成员", "办理9件"; but "检查64次" is a count of checks
    if len(whole) > 1 and whole[0][0] in AIMING:
        return True
    if len(whole) > 1 and whole[0][0] in SEEKING and not re.match(r"^\d", whole[1][0]):
        return True  # "申请培训、信息化经费": a request is made, not a training held
    if (
        len(whole) > 2
        and whole[0][0] in OPENING_TRANSITIVE
        and whole[1][1].startswith(("n", "r"))
        and not whole[1][0].startswith(("班", "课", "会", "中心", "基地"))
    ):
        return True  # a verbal noun that acts on the noun after it
    for i, (word, flag) in enumerate(toks[:2]):
        if i == 1 and not re.match(r"^(?:全年|年内|今年|\d{4}年|上半年|下半年|年初|年底)$", toks[0][0]):
            break
        if (
            flag.startswith("v")
            and word not in MODIFIER_VERBS
            and i < len(toks) - 1
            and not toks[i + 1][1].startswith(("n", "vn", "j"))
            and not (flag == "vn" and toks[i + 1][0] in ("和", "及", "与"))  # "防汛和防火演练": two things
        ):
            return True  # a clause that opens with a verb and an adverb has its predicate ("减少重复检查")
    if whole and (rule := rule_for(clause)) and whole[0][0] == rule.verb:
        return True  # "出动巡查人员310人次": the verb its noun and measure word call for already opens it
    if toks and PERSON.match(toks[0][0]) and any(f.startswith("v") and f != "vn" for _w, f in toks[1:]):
        return True  # "局长带头旁听庭审1次": a person does it, nobody organises it for them
    if _organ_acts(whole):
        return True  # "县残联坚持“谁执法谁普法”": a body of the state names who acts, a verb says what
    if _head_calls_for_verb(clause):
        return False
    if toks and (toks[-1][1].startswith("a") or re.match(r"^不.", toks[-1][0])):
        return True  # an adjective predicate at the end: "标准不高", "专业单一"
    for i, (word, flag) in enumerate(toks):
        if flag.startswith("v") and flag != "vn" and word not in ("联合", "综合", "集中", "流动"):
            if i == len(toks) - 1 and i and NOMINAL_ENDS.search(word):
                continue  # "场站“标杆企业”创建", "证照分离": an event named, not done
            return True
    return False


def _organ_acts(toks: list[tuple[str, str]]) -> bool:
    """A clause that opens with a body of the state and then a verb: the body is the subject, it acts."""
    for i in range(1, min(len(toks), 5)):
        word, flag = toks[i]
        if word in MODIFIER_VERBS:
            continue  # "执法", "监督": jieba's verbs that name a kind of thing
        if flag == "v" or word in TRANSITIVE:
            return bool(ORGAN_END.search("".join(w for w, _f in toks[:i])))
    return False


# A quoted name or a title, whose 、 lists nothing of the clause ("坚持“谁执法谁普法、谁服务谁普法”").
ENCLOSED = re.compile(r"“[^”]*”|《[^》]*》|（[^）]*）")


def first_item(clause: str) -> str:
    """The first item of a 、-list, a 、 inside quotes, a title or brackets not counting."""
    cut = next((m.start() for m in re.finditer("、", ENCLOSED.sub(lambda m: "x" * len(m[0]), clause))), None)
    return clause if cut is None else clause[:cut]


# "甲和乙演练各1次", "培训共3期": a word between the noun and its count that says how the count is shared.
DISTRIBUTIVE = re.compile(r"(?:各|共|共计|累计|合计|分别)$")


def _head_calls_for_verb(clause: str) -> bool:
    found = find_figures(clause)
    figures = [f for f in found if f.unit]
    if found and not figures:
        return False  # a bare number ("400多个在建项目"): not a count this lexicon knows
    if figures:
        head = DISTRIBUTIVE.sub("", clause[: figures[0].start])
        found = next(
            (
                r
                for r in COUNTED
                if re.search(rf"(?:{r.noun})$", head) and re.fullmatch(rf"(?:{r.measure})", figures[0].unit)
            ),
            None,
        )
    else:
        first = first_item(clause)
        found = next((r for r in UNCOUNTED if re.search(rf"(?:{r.noun})$", first)), None)
    if found:
        fire(found.id)
    return found is not None


def rule_for(clause: str) -> VerbRule | None:
    """The lexicon's rule for a predicate-less clause, None when it has none.

    A list of things takes the verb most of its items call for ("605路公交流动普法、服务区法治文化阵地、物流园
    法治教育阵地" → 打造), the first item's when they all differ.
    """
    items = [i for i in re.sub(r"“[^”]*”", lambda m: m[0].replace("、", "/"), clause).split("、") if i]
    counts = any(f.start + len(f.text) >= len(i) for i in items for f in find_figures(i))
    if len(items) > 2 and not counts:  # a list of things, not of counts ("甲3件、乙5件")
        found = [_item_rule(i) for i in items]
        best = max(found, key=lambda r: (found.count(r) if r else 0, r is found[0]))
        if best and found.count(best) * 2 > len(items):
            return best
    return _item_rule(clause)


def _item_rule(clause: str) -> VerbRule | None:
    figures = [f for f in find_figures(clause) if f.unit]
    measure = figures[0].unit if figures else ""
    counted_head = DISTRIBUTIVE.sub("", clause[: figures[0].start]) if figures else ""
    first = first_item(clause)
    for rules, head in ((COUNTED, counted_head), (UNCOUNTED, first)):
        if not head:
            continue
        best: tuple[int, VerbRule] | None = None
        for rule in rules:
            if rule.measure and not re.fullmatch(rf"(?:{rule.measure})", measure):
                continue
            # The noun nearest the figure (or the end) decides: "法治培训" → 培训, "培训基地" → 基地. Without a
            # figure only the head noun (the item's last word) may call for the verb.
            for m in re.finditer(rule.noun, head):
                if rules is UNCOUNTED and m.end() != len(head):
                    continue
                if best is None or m.end() > best[0]:
                    best = (m.end(), rule)
        if best and (best[0] >= len(head) or not NOMINAL_ENDS.search(head)):
            fire(best[1].id)
            return best[1]
    if NOMINAL_ENDS.search(first):
        return CARRIED_FORWARD  # "证照分离", "线路升级": a reform or a project is carried forward
    return None


# Verbs of things put in hands, not of work carried forward: an item calling for one is not "推进"-ed.
EQUIPPING = frozenset(("更新配备", "推广应用", "开通"))


def _by_verb(clause: str) -> str:
    """ "办案系统升级、管理平台、移动终端" → "推进办案系统升级、管理平台，更新配备移动终端": a list whose items call for
    different verbs, where one of them is equipment, each group with its own verb ("" when not such a list)."""
    items = [i for i in re.sub(r"“[^”]*”", lambda m: m[0].replace("、", "/"), clause).split("、") if i]
    if len(items) < 2 or find_figures(clause):
        return ""
    rules = [_item_rule(i) for i in items]
    if not all(rules) or len({r.verb for r in rules}) < 2 or not any(r.verb in EQUIPPING for r in rules):
        return ""
    groups: dict[str, list[str]] = {}
    for item, rule in zip(items, rules, strict=True):
        groups.setdefault(rule.verb, []).append(item.replace("/", "、"))
    return "，".join(verb + "、".join(group) for verb, group in groups.items())


def verb_for(clause: str) -> str:
    """The verb a predicate-less clause calls for, "" when the lexicon has none."""
    rule = rule_for(clause)
    return rule.verb if rule else ""


CARRIED_FORWARD = VerbRule("", "", "推进")
# -- word orders turned round (rules/reorder.toml) ---------------------------------------------------------------

REORDER_FILE = RULES_DIR / "reorder.toml"
REORDER_DATA = tomllib.loads(REORDER_FILE.read_text(encoding="utf-8"))
REORDER_WORDS = REORDER_DATA["words"]


def _ending(words: list[str]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(words) + ")$")


# A subject (an office, the unit itself, people) before its verb does the act: "执法大队按要求落实" stays.
SUBJECT_END = _ending(REORDER_WORDS["subject_ends"])
AGENT_END = _ending(REORDER_WORDS["subject_ends"] + REORDER_WORDS["agent_ends"])
# What a body of the state is called at its end (局, 大队, 残联, 党组, 委员会 …): before a verb it is who acts.
# People and firms ("群众来信", "企业申报") are more often what a count is of than who acts.
ORGAN_END = _ending(
    [w for w in REORDER_WORDS["subject_ends"] if w not in ("人员", "群众", "企业")]
    + ["联", "协", "会", "党组", "党委"]
)
RECORD = re.compile("^(?:" + "|".join(REORDER_WORDS["record_starts"]) + ")")
FIRST_ACTS = frozenset(REORDER_WORDS["first_acts"])
SENT_DOCUMENT = _ending(REORDER_WORDS["document_ends"])


def _is_subject(text: str) -> bool:
    toks = [t for t in tokens(text) if t[0].strip()]
    return bool(SUBJECT_END.search(text)) or bool(toks and toks[-1][1] in ("nt", "r", "nr"))


def _names_a_thing(text: str) -> bool:
    """A noun phrase, not an adverbial ("依法", "按时"): it opens on no adverb or preposition and holds a noun."""
    toks = [t for t in tokens(re.sub(r"《[^》]*》|“[^”]*”", "名称", text)) if t[0].strip()]
    if re.match(r"^(?:依法|依规|依纪|按期|按时|如期|及时|当场|现场|逐一|全部|一律)", text):
        return False  # adverbs jieba tags as nouns
    if text in FIRST_ACTS:
        return False  # "立案查处56件": an act done first, not the thing handled ("查处立案" reads backwards)
    if SENT_DOCUMENT.search(text):
        return True  # "……清单": jieba may tag the head noun of a document as an adjective
    return (
        bool(toks)
        and not toks[0][1].startswith(("d", "p", "c"))
        and any(flag.startswith(("n", "vn", "j", "l")) for _w, flag in toks)
    )


def _object_first(obj: str) -> bool:
    """An object put first: a noun phrase that neither acts (an office, people) nor has a verb of its own."""
    if _is_subject(obj) or TIME_WORD.match(obj) or ADVERBIAL_START.match(obj) or obj.endswith("的"):
        return False
    toks = [t for t in tokens(obj) if t[0].strip()]
    # A verb that ends a 、-list item names a thing ("许可、处罚、监管信息"), as does one before a record noun
    # ("处罚信息", "检查结果"); a modifier ("执法证件") too.
    return not any(
        flag == "v"
        and word not in MODIFIER_VERBS
        and not (i + 1 == len(toks) and i and re.fullmatch(COUNT_NOUNS, word))  # "随机抽查": an activity
        and (i + 1 == len(toks) or (toks[i + 1][0] != "、" and not RECORD.match(toks[i + 1][0])))
        for i, (word, flag) in enumerate(toks)
    )


def _first_word(text: str) -> str:
    return next((w for w, _f in tokens(text) if w.strip()), "")


# Adverbs a verb of the lexicon may open on ("全面推行", "加快推进"); jieba joins some into one noun.
LEADING_ADVERB = re.compile(r"^(?:全面|加快|深入|持续|进一步|继续|大力|积极|稳步|扎实|着力|切实|逐步)")


def opens_on_verb(text: str) -> bool:
    """The words open on a verb of the lexicon ("推进林长制", "全面推行河长制"): they have their verb, and a verb
    after them ("推进林长制落实") is said of their object, not one to bring before them."""
    first = _first_word(LEADING_ADVERB.sub("", text))
    return first in TRANSITIVE and first not in MODIFIER_VERBS


# What a row's `checks` may ask of a group: tests that read tokens or the figure finder, which a regex cannot.
CHECKS: dict[str, Callable[[str], bool]] = {
    "figure": lambda v: bool(find_figures(v)),
    "subject": _is_subject,
    "subject_end": lambda v: bool(SUBJECT_END.search(v)),
    "agent": lambda v: bool(AGENT_END.search(v)),
    "time": lambda v: bool(TIME_WORD.match(v)),
    "adverbial": lambda v: bool(ADVERBIAL_START.match(v)),
    "thing": _names_a_thing,
    "object_first": _object_first,
    # a task named: an object put first, or a system (河长制: 制 is no verb); never words that have their verb
    "task": lambda v: (
        not opens_on_verb(v) and (_object_first(re.sub(r"“[^”]*”", "名称", v)) or v.endswith("制"))
    ),
    "person": lambda v: bool(PERSON.search(v)),
    "person_first": lambda v: bool(PERSON.match(_first_word(v))),
    "preposition": lambda v: any(f.startswith("p") for _w, f in tokens(v)),  # "我局按规定落实"
    "aspect": lambda v: any(w in ASPECT_ADVERBS for w, _f in tokens(v)),
    "document": lambda v: bool(SENT_DOCUMENT.search(v)),
    "filled": bool,
}
CHECK = re.compile(r"^(?P<neg>not )?(?P<name>\w+)\((?P<group>\w+)\)$")
REORDER_STAGES = ("bind", "clause", "verb", "plan")


@dataclass(frozen=True)
class ReorderRule:
    id: str
    stage: str
    pattern: re.Pattern[str]
    output: str = ""
    verb: str = ""
    priority: int = 0
    checks: tuple[tuple[bool, str, str], ...] = ()  # (wanted, check name, group)
    match: tuple[tuple[str, re.Pattern[str]], ...] = ()
    unless: tuple[tuple[str, re.Pattern[str]], ...] = ()
    map: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    split: tuple[str, re.Pattern[str], str, int] | None = None  # (group, find, into, keep)
    guards: str = ""  # the general row this narrower one keeps from damaging the text
    examples: tuple[tuple[str, str], ...] = ()

    def written(self, m: re.Match[str]) -> str | None:
        """The clause this row writes for a match, None when a check says the row does not apply."""
        values = {k: v or "" for k, v in m.groupdict().items()} | {"clause": m.string}
        if not all(CHECKS[name](values[group]) == wanted for wanted, name, group in self.checks):
            return None
        if any(not p.search(values[g]) for g, p in self.match) or any(
            p.search(values[g]) for g, p in self.unless
        ):
            return None
        if self.split:
            group, find, into, keep = self.split
            values[into] = ""
            if t := find.search(values[group]):
                values[group], values[into] = values[group][: t.start()] + values[group][t.end() :], t[0]
            if len(values[group]) < keep:
                return None
        for group, table in self.map:
            values[group] = dict(table).get(values[group], values[group])
        return self.output.format_map(values)


def load_reorder_rules(path: Path = REORDER_FILE) -> tuple[ReorderRule, ...]:
    """The rows of `rules/reorder.toml`, highest priority first; a bad row fails here, not on a user's notes."""
    rules = []
    for row in tomllib.loads(path.read_text(encoding="utf-8"))["reorder"]:
        pattern = re.compile(row["pattern"])
        groups = set(pattern.groupindex) | {"clause"}
        checks = []
        for check in row.get("checks", ()):
            c = CHECK.match(check)
            if not c or c["name"] not in CHECKS or c["group"] not in groups:
                raise ValueError(f"{path.name}: reorder rule {row['id']}: bad check {check!r}")
            checks.append((not c["neg"], c["name"], c["group"]))
        split = row.get("split")
        into = {split["into"]} if split else set()
        named = [*row.get("match", {}), *row.get("unless", {}), *row.get("map", {})]
        if row["stage"] not in REORDER_STAGES or any(g not in groups | into for g in named):
            raise ValueError(f"{path.name}: reorder rule {row['id']}: unknown stage or group")
        rule = ReorderRule(
            id=row["id"],
            stage=row["stage"],
            pattern=pattern,
            output=row.get("output", ""),
            verb=row.get("verb", ""),
            priority=row.get("priority", 0),
            checks=tuple(checks),
            match=tuple((g, re.compile(p)) for g, p in row.get("match", {}).items()),
            unless=tuple((g, re.compile(p)) for g, p in row.get("unless", {}).items()),
            map=tuple((g, tuple(t.items())) for g, t in row.get("map", {}).items()),
            split=(split["group"], re.compile(split["find"]), split["into"], split.get("keep", 0))
            if split
            else None,
            guards=row.get("guards", ""),
            examples=tuple((ex["in"], ex["out"]) for ex in row.get("example", ())),
        )
        if rule.stage != "verb":
            rule.output.format_map(dict.fromkeys(groups | into, ""))  # an unknown {group} fails here
        rules.append(rule)
    return tuple(sorted(rules, key=lambda r: -r.priority))


REORDER_RULES = load_reorder_rules()
_ACTIVE_REORDER = REORDER_RULES


@contextmanager
def without_reorder(*rule_ids: str) -> Iterator[None]:
    """The reorder rows without some of them, inside the block (the tests of guards)."""
    global _ACTIVE_REORDER
    kept = _ACTIVE_REORDER
    _ACTIVE_REORDER = tuple(r for r in REORDER_RULES if r.id not in rule_ids)
    try:
        yield
    finally:
        _ACTIVE_REORDER = kept


def unbind(clause: str) -> str:
    """The 把 phrases of speech in verb-object order: 把X搞起来 → 开展X, 把X清零 → 实现X清零, 把要点发下去 → 印发要点."""
    for rule in _ACTIVE_REORDER:
        if rule.stage != "bind":
            continue

        def replace(m: re.Match[str], rule: ReorderRule = rule) -> str:
            new = rule.written(m)
            if new is None or new == m[0]:
                return m[0]
            fire(rule.id)
            return new

        clause = rule.pattern.sub(replace, clause)
    return clause


def reorder(clause: str) -> str:
    """The object-first orders of notes in 公文 order; anything else unchanged."""
    clause = unbind(clause)
    if opens_on_verb(clause):
        # "推动预案修订", "完成办法修订": the clause has its verb in front; the verb word after the object names it
        # ("修订推动…" would turn the wrong verb round).
        return clause
    for rule in _ACTIVE_REORDER:
        if (
            rule.stage == "clause"
            and (m := rule.pattern.match(clause))
            and (new := rule.written(m)) is not None
        ):
            fire(rule.id)
            return new
    return clause


def turned_plan(text: str) -> str | None:
    """A plan said as speech says it, written by the first "plan" row that applies; None when none does."""
    for rule in _ACTIVE_REORDER:
        if rule.stage == "plan" and (m := rule.pattern.match(text)) and (new := rule.written(m)) is not None:
            fire(rule.id)
            return new
    return None


def _verb_kept_order(clause: str) -> str:
    """The verb a "verb" row puts before a clause that keeps its order ("与公安联合执法" → 开展), "" for none."""
    for rule in _ACTIVE_REORDER:
        if rule.stage == "verb" and (m := rule.pattern.match(clause)) and rule.written(m) is not None:
            fire(rule.id)
            return rule.verb
    return ""


def clause_from_fragment(clause: str) -> tuple[str, str]:
    """(verb added, clause) for one clause: a verb where it has none, "率达" before a rate.

    An activity named by its verbal noun is carried out as a piece of work ("货运场站创建" → "开展货运场站
    创建工作"): the clause returned then carries the rule's 工作/行动/活动. Object-first orders are turned
    round ("X按Y落实" → "按照Y的要求落实X").
    """
    clause = RATE.sub(r"\1达\3", clause)
    if not clause:
        return "", clause
    reordered = reorder(clause)
    if reordered != clause:
        return "", reordered
    if verb := _verb_kept_order(clause):
        return verb, clause
    if has_predicate(clause):
        return "", clause
    if grouped := _by_verb(clause):
        return "", grouped
    rule = rule_for(clause)
    if not rule:
        return "", clause
    clause = SPOKEN_CONNECTIVE.sub("", clause)  # "还有法治培训2批次" → "组织开展法治培训2批次"
    if (
        rule.suffix
        and re.search(rf"(?:{rule.noun})$", clause)
        and not re.search(r"(?:工作|活动|行动)$", clause)
        and not clause.endswith(rule.suffix)
    ):
        clause += rule.suffix
    return rule.verb, clause


# A table row's cells joined by the reader: "处罚案件，31件" is one label and its value.
LONE_VALUE = re.compile(
    r"(?:^|(?<=[，；]))(?P<label>[^，；：\d]{2,20})，(?P<value>\d+(?:\.\d+)?[^\d，；：、]{1,4})(?=[，；]|$)"
)


def rejoin_cells(text: str) -> str:
    """ "检查企业212家次，处罚案件，31件" → "检查企业212家次，处罚案件31件": a value goes back to its label."""
    return LONE_VALUE.sub(lambda m: m["label"] + m["value"] if find_figures(m["value"]) else m[0], text)


def coordinate_breakdown(text: str) -> str:
    """ "处罚326件：甲41件，乙57件，丙23件；罚款…" → "处罚326件，其中甲41件、乙57件、丙23件；罚款…".

    One item after the colon is not a breakdown but a second label and value of the same row ("检查企业
    212家次：处罚案件31件"): the two become coordinated clauses.
    """
    m = BREAKDOWN.match(text)
    if not m:
        return text
    items = [i.strip() for i in m.group("items").split("，")]
    if len(items) == 1 and ITEM.match(items[0]) and find_figures(m.group("head")[-8:]):
        return f"{m.group('head')}，{items[0]}{m.group('rest')}"
    if len(items) < 2 or not all(ITEM.match(i) for i in items):
        return text
    return f"{m.group('head')}，其中{'、'.join(items)}{m.group('rest')}"


def drop_office_label(text: str) -> str:
    """ "法规股：出台…" → "出台…": an office prefix says who reported a line, never what it is about."""
    return OFFICE_LABEL.sub("", text, count=1)


# A comparison's base ("比2025年的21场", "较上年38件"): the change after it belongs to the same clause.
COMPARED = re.compile(r"(?:比|较|相比|同比)[^，；。]{0,12}$")


def separate_counts(text: str) -> str:
    """ "处罚326件罚款218.6万元" → "处罚326件，罚款218.6万元": two counts run together, the second with a verb or a
    rate of its own, are two clauses. "出台3项惠老措施" (a measure word and its noun) is one."""
    figures = [
        f for f in find_figures(text) if f.unit and not re.fullmatch(r"年度?|月份?|日|号|时|点", f.unit)
    ]
    for prev, nxt in reversed(list(zip(figures, figures[1:], strict=False))):
        gap_start = prev.start + len(prev.text)
        gap = text[gap_start : nxt.start]
        if not gap or len(gap) > 8 or re.search(r"[^\u4e00-\u9fff]", gap):
            continue
        toks = [t for t in tokens(gap) if t[0].strip()]
        first = toks[0] if toks else ("", "")
        if COMPARED.search(re.split(r"[，；。]", text[: prev.start])[-1]):
            continue  # "比上年的21场增加11场": the first count is what the second is compared with
        if (
            (first[1].startswith("v") and first[1] != "vn")
            or first[0] in TRANSITIVE
            or re.match(r"^(?:罚款|罚没|共|累计|合计|其中)", gap)
            or re.search(r"率达?$", gap)
        ):
            text = text[:gap_start] + "，" + text[gap_start:]
    return text


# A note in brackets between a thing and its count ("受理投诉（办结141件）143件"): 公文 puts it after the count.
NOTE_BEFORE_COUNT = re.compile(r"(（[^（）]*）)(\d+(?:\.\d+)?(?:余|多)?[\u4e00-\u9fff]{1,3})")
BRACKETED = re.compile(r"（[^（）]*）")
HIDDEN = "\ue000"  # where a bracketed note stands while its clause is phrased


def _count_first(m: re.Match[str]) -> str:
    count = m[2]
    figure = next((f for f in find_figures(count) if f.start == 0 and f.unit), None)
    if figure is None:
        return m[0]
    return count[: len(figure.text)] + m[1] + count[len(figure.text) :]


def phrase(text: str) -> str:
    """A note line (already in written register) as clauses with predicates; one verb serves parallel figures.

    A bracketed note is the notes' own aside: it goes after the count it sits before, and no rule reads inside
    it (its commas end no clause, its figures count nothing of the clause)."""
    notes = [m[0] for m in BRACKETED.finditer(NOTE_BEFORE_COUNT.sub(_count_first, text))]
    if notes and HIDDEN not in text:
        hidden = BRACKETED.sub(HIDDEN, NOTE_BEFORE_COUNT.sub(_count_first, text))
        out = _phrase(hidden)
        if out.count(HIDDEN) == len(notes):
            for note in notes:
                out = out.replace(HIDDEN, note, 1)
            return out
    return _phrase(text)


def _phrase(text: str) -> str:
    text = separate_counts(coordinate_breakdown(rejoin_cells(text)))
    out = ""
    previous_verb = ""
    for part in CLAUSE_SPLIT.split(text):
        if not part:
            continue
        tail = part[-1] if part[-1] in "，；。" else ""
        body = part[:-1] if tail else part
        verb, body = clause_from_fragment(body)
        time = TIME_WORD.match(body)
        lead, rest = (body[: time.end()], body[time.end() :]) if time else ("", body)
        last_clause = re.split(r"[，；]", out[:-1])[-1] if out.endswith("，") else ""
        if (
            verb
            and not lead
            and (verb == previous_verb or last_clause.startswith(verb))
            and out.endswith("，")
        ):
            # "开展甲检查64次，开展乙检查61次" → "开展甲检查64次、乙检查61次"; a clause that is a list itself
            # keeps its comma: "开展与甲交叉执法，与乙、丙联合执法".
            out = (out if "、" in rest or "、" in last_clause else out[:-1] + "、") + rest + tail
        else:
            out += lead + verb + rest + tail
        previous_verb = verb if tail == "，" or not tail else ""
    return share_verb(out)


def _head_verb(clause: str) -> str:
    """The verb a clause opens on ("开展", "组织开展"), after a time of its own; "" when it opens otherwise."""
    time = TIME_WORD.match(clause)
    toks = [t for t in tokens(clause[time.end() :] if time else clause) if t[0].strip()]
    if (
        not toks
        or len(toks[0][0]) < 2
        or not ((toks[0][1].startswith("v") and toks[0][1] != "vn") or toks[0][0] in TRANSITIVE)
    ):
        return ""
    # "组织开展" is one head; a second verb is otherwise the object's modifier ("开展防火宣传").
    verb = toks[0][0] + (
        toks[1][0] if len(toks) > 1 and toks[1][0] in ("开展", "实施", "召开", "举办") else ""
    )
    return (clause[: time.end()] if time else "") + verb


def _bare_object(text: str) -> bool:
    """Whether a verb's object only names things: no preposition, adverb or particle, and no verb inside it that
    acts on what follows ("稽核发现问题"). jieba tags modifiers as verbs ("防火宣传", "取水许可"), so a verb
    first (a modifier) or last (the event named: "林地巡护") does not count."""
    bare = re.sub(r"《[^》]*》|“[^”]*”", "名", text)
    toks = [t for t in tokens(bare) if t[0].strip()]
    figures = re.compile(r"^[\d.]+$")
    for i, (word, flag) in enumerate(toks):
        if flag.startswith(("p", "d", "u", "c")) or word in ALWAYS_PREDICATE:
            return False
        inner = 0 < i < len(toks) - 1 and not figures.match(toks[i + 1][0])
        if inner and ((flag.startswith("v") and flag != "vn") or word in TRANSITIVE):
            return False
    return bool(toks)


def share_verb(text: str) -> str:
    """ "开展消防检查，开展燃气排查" → "开展消防检查、燃气排查"; "组织培训2次，组织演练3次" → "组织培训2次、演练3次".

    A verb the notes repeat at the head of adjacent clauses is said once. Only bare objects join: an object with a
    verb of its own, one that opens on a preposition ("与公安联合执法") or a clause with a count beside one
    without stays a clause of its own.
    """
    out: list[str] = []
    head, counted = "", False
    for part in CLAUSE_SPLIT.split(text):
        if not part:
            continue
        tail = part[-1] if part[-1] in "，；。" else ""
        body = part[:-1] if tail else part
        verb = _head_verb(body)
        bare = verb[len(TIME_WORD.match(verb)[0]) :] if verb and TIME_WORD.match(verb) else verb
        obj = body[len(verb) :]
        joinable = bool(verb and obj and _bare_object(obj))
        if (
            joinable
            and out
            and out[-1].endswith("，")
            and head
            and bare == head
            and verb == bare
            and counted == bool(find_figures(obj))
        ):
            # Titles in a row take no 、 between them: "出台《甲》《乙》".
            mark = "" if out[-1][-2] == "》" and obj.startswith("《") else "、"
            out[-1] = out[-1][:-1] + mark + obj + tail
        else:
            out.append(part)
            head, counted = (bare, bool(find_figures(obj))) if joinable else ("", False)
        if tail != "，":
            head = ""
    return "".join(out)


def starts_with_time(text: str) -> bool:
    return bool(TIME_WORD.match(text))


def named_practice(label: str) -> bool:
    """A coined name of a practice ("三亮", "双随机", "四基四化", "谁执法谁普法"), not a word of the language."""
    bare = label.strip("“”")
    toks = [t for t in tokens(bare) if t[0].strip()]
    if len(bare) > 8 or len(toks) < 2 or find_figures(bare):
        return False
    return (
        label.startswith("“")
        or toks[0][1] == "m"
        or toks[0][0] in ("双", "多", "全")
        or bool(re.match(r"^谁.+谁.+$", bare))
    )


# Bigrams every heading of the report shares: a label holding one of them is not about the heading's topic.
COMMON_TOPIC = frozenset("法治 建设 政府 依法 推进 工作 加强 深入 提升 完善 全面 坚持".split())


def heading_names(label: str, heading: str) -> bool:
    """Whether a topic label repeats its section heading ("数字化" under 加快推进数字法治政府建设)."""
    pairs = {label[i : i + 2] for i in range(len(label) - 1)} - COMMON_TOPIC
    return any(p in heading for p in pairs)


def label_lead(label: str, body: str, heading: str = "") -> str:
    """A line's topic label ("三亮：…", "宣传：…") as the opening of its sentence, in 公文 form.

    A label the body repeats adds nothing; a coined practice is a requirement carried out ("落实“三亮”要求，");
    a label the verb lexicon knows becomes a clause of its own ("开展宣传活动，", "实施信用监管，"); any other
    topic is "在…方面，" (never with quotes the notes did not have).
    """
    quoted = label.startswith("“") and label.endswith("”") and label.count("“") == 1
    bare = label[1:-1] if quoted else label
    toks = [t for t in tokens(bare) if t[0].strip()]
    if (
        toks
        and len(toks) > 1
        and re.match(rf"^(?:{'|'.join(ASPECT_ADVERBS)})*{re.escape(toks[-1][0])}", body)
    ):
        return bare[: -len(toks[-1][0])] + body  # "领导小组调整：已调整" → "领导小组已调整"
    if (
        PERSON.match(bare)
        or re.fullmatch(r"[小老][\u4e00-\u9fff]", bare)
        or (len(toks) == 1 and toks[0][1] == "nr")
    ):
        return body  # "张科长：…": who said it, not what it is about
    opening = re.split(r"[，；]", body)[0]
    body_toks = [t for t in tokens(opening) if t[0].strip()]
    if (
        label
        and len(body_toks) >= 2
        and body_toks[0][0] in TRANSITIVE
        and any(
            f.start == len(body_toks[0][0])
            and f.start + len(f.text) == len(opening)
            and f.unit in COUNT_UNITS
            for f in find_figures(opening)
        )
        and toks
        and toks[-1][1].startswith("n")
        and not _is_subject(bare)
    ):
        return body_toks[0][0] + label + body[len(body_toks[0][0]) :]  # "校外培训机构：检查214家次"
    if (
        label
        and body_toks
        and (body_toks[0][0] in ASPECT_ADVERBS or body_toks[0][0] in PLACING)
        and len(opening) <= 12
    ):
        return label + body  # "货运从业资格证：纳入跨省通办", "高效办成一件事：已推行"
    head = toks[-1][0] if len(toks) > 1 else bare[-2:]  # "专题研究" is one word: its head is 研究
    if not label or bare in body or (len(bare) > 2 and len(head) > 1 and head in opening):
        return body  # "年度工作要点：印发…工作要点各1份": the body names the topic itself
    slogan = bool(re.match(r"^谁.+谁.+$", bare))  # "谁执法谁普法" is a principle, not an activity
    rule = None if has_predicate(label) or slogan else rule_for(label)
    if rule and rule.noun == QUOTED_NAMES.noun and named_practice(label):
        rule = None  # "“三亮”": a requirement carried out, below
    # A one-word topic ("制度", "学习") is a heading, not an act: only an activity is turned into one.
    if rule and rule is not CARRIED_FORWARD and (len(toks) > 1 or rule.suffix):
        verb, clause = clause_from_fragment(label)
        return f"{verb}{clause}，{body}"
    if named_practice(label):
        return f"落实“{bare}”要求，{body}"
    if toks and toks[-1][1] == "v" and len(toks[-1][0]) == 1:
        return body  # "亲自抓：…": a saying, not a topic; the body tells what was done
    if (
        heading
        and (len(bare) <= 2 or heading_names(bare, heading))
        and not (len(bare) > 2 and _is_subject(bare))
    ):
        # "在学习方面，" under 抓好学法用法: a one-word topic, or the heading's own, is said by the heading already.
        return body
    if said_to_writer(toks):
        return body  # "补一句：…", "再说明一下：…": how the line is said, not what it is about
    if len(label) <= 8:
        return f"在{label}方面，{body}"
    return f"{label}，{body}"


# Labels of a note about the note: "说明：", "备注：".
NOTE_LABELS = frozenset(("说明", "备注", "注", "补充", "附注", "另外", "顺便"))


def said_to_writer(toks: list[tuple[str, str]]) -> bool:
    """A label that says how a line is told ("补一句", "再说明一下"): it ends on a quantity or a particle, or opens
    on an adverb, or is a note's own label; a topic ends on a noun."""
    if not toks:
        return False
    if len(toks) == 1 and toks[0][0] in NOTE_LABELS:
        return True
    return toks[-1][1].startswith(("m", "q", "u", "y")) or toks[0][1].startswith(("d", "ad", "c"))


# “八五”普法, “七五”普法规划: a numbered five-year 普法 plan.
FIVE_YEAR_PUFA = re.compile(r"(?<!“)([一二三四五六七八九十]五)(?=普法)")
# Spans never touched: titles, quoted terms, and a sentence quoting a source ([n]) verbatim.
UNTOUCHED = re.compile(r"《[^》]*》|“[^”]*”|[^。\n]*\[\d+\][^。\n]*。?")


@lru_cache(maxsize=1)
def programme_names() -> tuple[str, ...]:
    data = _outline_data(outline_path()).get("programmes", {})
    return tuple(sorted(data.get("names", ()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _programme_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in programme_names())
    # Not inside a longer name: "双随机" of "双随机一公开" is taken by the longer name first.
    return re.compile(rf"(?<!“)(?:{names})(?!”)" if names else r"(?!x)x")


def quote_programmes(text: str) -> str:
    """ "推进放管服改革" → "推进“放管服”改革": the coined name of a national programme in quotes, as 公文 writes it.

    Titles, terms already quoted and sentences that quote a source verbatim ([n]) are left as they are.
    """
    out, last = [], 0
    for m in UNTOUCHED.finditer(text):
        out.append(_quote(text[last : m.start()]))
        out.append(m[0])
        last = m.end()
    out.append(_quote(text[last:]))
    return "".join(out)


@lru_cache(maxsize=1)
def programme_completions() -> dict[str, str]:
    data = _outline_data(outline_path()).get("programmes", {})
    return dict(data.get("completions", {}))


# What may follow a programme's name and already says what it is.
NAMED_KIND = re.compile(
    r"^(?:改革|普法|责任制|监管|工作|要求|机制|制度|清单|平台|事项|服务|模式|检查|抽查|抽检)"
)


def _quote(segment: str) -> str:
    segment = FIVE_YEAR_PUFA.sub(r"“\1”", segment)
    return _programme_pattern().sub(lambda m: _quoted(m, segment), segment)


def _quoted(m: re.Match[str], segment: str) -> str:
    """ "落实谁执法谁普法" → "落实“谁执法谁普法”普法责任制": a name that ends its clause is completed."""
    name = m[0]
    kind = programme_completions().get(name, "")
    after = segment[m.end() :]
    if kind and not NAMED_KIND.match(after) and re.match(r"^(?:$|[，。；、和及与])", after):
        return f"“{name}”{kind}"
    return f"“{name}”"


@lru_cache(maxsize=4)
def _outline_data(path: str) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))
