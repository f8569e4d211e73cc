"""Claims: figures bound to what they count, and named things (titles, honours, organisations, dates).

A figure is checked as a claim, not as a string: its value (Arabic or Chinese numerals, 万/亿 scaled,
approximations such as 百余人次 kept as approximations), its kind of unit, and its subject, the noun phrase of
its clause ("行政处罚案件" for "行政处罚案件326件"). A draft figure whose value the notes give under another
subject, while the notes give another value under the draft's subject, is misattributed.

Named things (《titles》, honours and rankings, organisations, dates) must be found in the notes or in a source
the section cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from drafting.text.numbers import CITATION, CN_DIGITS, Figure, find_figures, mask_non_figures
from drafting.text.tokens import tokens

# Units that count the same kind of thing: "12次" may be written "12场次", never "12人".
UNIT_CLASSES: tuple[frozenset[str], ...] = (
    frozenset("次 场次 场 轮 期 期次 批次 批 届 趟".split()),
    frozenset("人 人次 名 位".split()),
    frozenset("件 起 宗 件次 单 笔 例".split()),
    frozenset("家 户 家次 户次 所 个".split()),
    frozenset("元 元钱".split()),
    frozenset("% ％ 百分点 个百分点".split()),
    frozenset("辆 辆次 台 车次 艘 架次".split()),
    frozenset("份 册 本 张 幅 篇 部".split()),
    frozenset("项 条 条次 类 套".split()),
    frozenset("公里 千米 米".split()),
)
SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}
APPROX = ("余", "多", "来", "近", "约", "超", "逾")  # 来 of speech ("十来件") is 余 in writing

# A single Chinese numeral with a count unit is a figure when it ends its clause ("召开专题会议三次") or follows
# a verb that counts ("召开三次"); elsewhere it is a set phrase ("三项制度", "一件事", "两客一危").
SINGLE_UNITS = "次|场次|场|期|轮|批|件|起|名|人|人次|家|项|个|份|条|篇|部|所|户|辆|艘"
SINGLE_CN = re.compile(
    rf"(?<![{CN_DIGITS}第每])([一二两三四五六七八九十])({SINGLE_UNITS})"
    rf"(?=[，。；、：）)\n]|$)"
    rf"|(?<=召开|举办|举行|组织|开展|出动|进行|完成|发布|印发|出台|制定|修订)(了)?([一二两三四五六七八九十])"
    rf"({SINGLE_UNITS})(?![{CN_DIGITS}])"
)
CLAUSE_STOP = re.compile(r"[，。；：、！？\n（）()“”\"]")
# Words around a figure that say how or when, not what: they are not part of its subject.
FILLER = re.compile(
    r"^(?:全年|年内|当年|本年度|今年|年度|其中|共计|共|累计|合计|总计|先后|全面|分别|已|均|依法|全局|全区|全县|全市|"
    r"办理|查处|处理|完成|开展|组织|召开|举办|实施|出动|受理|检查|发放|印发|制定|清理|整治|接待|培训|对|向|为|"
    r"达到|达|为了|约|近|超过|涉及|覆盖)+"
)

# Verbs that confer an honour or a rank: what follows them is the honour ("获评全国法治政府建设示范单位").
HONOUR_VERB = re.compile(
    r"获评|荣获|获得|被评为|评为|被授予|授予|入选|荣膺|通报表扬|表扬|表彰|嘉奖|位列|名列|排名|位居"
)
# Nouns that name one ("全国示范县", "先进集体", "…称号", "第一名"): what precedes them is its name. An activity
# ("示范创建", "标杆企业创建") is not an honour and is checked as a sentence.
HONOUR_NOUN = re.compile(
    r"示范(?:单位|县|区|市|点|窗口|基地|岗)(?!创建|建设)|先进(?:单位|集体|个人|典型)|称号|"
    r"第[一二三四五六七八九十\d]+名"
)
HONOUR = re.compile(f"{HONOUR_VERB.pattern}|{HONOUR_NOUN.pattern}")
TITLE = re.compile(r"《([^》]{2,60})》")
ORG_SUFFIX = (
    r"(?:人民政府|人民法院|人民检察院|法院|检察院|委员会|办公室|管理局|[^\s，。；、]局|大队|支队|中队|分局|中心|公司|协会|学会|"
    r"研究院|研究所|事务所|律师事务所|司法所|派出所|管理处|管理站|服务站|执法站)"
)
ORG = re.compile(rf"[\u4e00-\u9fff]{{2,14}}?{ORG_SUFFIX}")
# Words before an organisation's name in a clause: the name starts after the last of them.
ORG_LEAD = re.compile(
    r"^.*(?:与|和|同|及|会同|联合|配合|协调|邀请|向|对|在|由|经|被|请|组织|依托|联系|协助|跟|是|为|委托|共建|召开|成立|"
    r"设立|组建|建立|协同|牵头|指导|督促|推动|参加|参与|走访|赴|到|于|日|月|年|等|将|把|了|的)"
)
ORG_GENERIC = re.compile(
    r"^(?:我|本|各|该|全|有关|相关|上级|市级|县级|区级|省级|主管|业务|职能|执法|监管|行政|政府|部门|单位|机关|系统|"
    r"政务服务|服务|指挥|调度|运输|交通|公安|司法|法制|法治|党委|党组|县|区|市|省|乡镇|街道)*"
    r"(?:局|委员会|办公室|中心|大队|支队|中队|分局|法院|检察院|人民法院|人民检察院|人民政府|政府|所|公司|协会)$"
)
CN_DATE = re.compile(
    r"(?:(?:19|20)\d\d年)?([一二三四五六七八九十]{1,3})月(?:份|([一二三四五六七八九十]{1,3})日|底|初|上旬|中旬|下旬|起|以来|前|中)"
)


@dataclass(frozen=True)
class FigureClaim:
    text: str  # as written
    value: float
    approx: bool
    unit: str  # unit word without 余/多 and scale, e.g. "件", "人次"
    subject: str  # the noun phrase it counts, fillers dropped
    start: int


@dataclass(frozen=True)
class NamedClaim:
    kind: str  # title | honour | organisation | date
    text: str
    start: int


# -- values -----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def chinese_value(numeral: str) -> float | None:
    """ "二十三" → 23, "两千" → 2000, "百" → 100; None when it is not a numeral."""
    core = numeral.strip()
    if not core:
        return None
    if core[0] in "十百千万":
        core = "一" + core
    try:
        return float(cn2an.cn2an(core, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def figure_value(number: str, unit: str) -> tuple[float | None, bool, str]:
    """(value, approximate, unit class word) of a figure's number and unit as `find_figures` splits them."""
    approx = False
    num = number
    for mark in APPROX:
        if num.endswith(mark):
            num, approx = num[: -len(mark)], True
    unit_core = unit
    for mark in APPROX:
        if unit_core.startswith(mark):
            unit_core, approx = unit_core[len(mark) :], True
    scale = 1.0
    if unit_core[:1] in SCALE and unit_core not in ("万", "亿") or unit_core in ("万元", "亿元"):
        scale, unit_core = SCALE[unit_core[0]], unit_core[1:]
    elif unit_core in ("万", "亿"):
        scale, unit_core = SCALE[unit_core], ""
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", num):
        value: float | None = float(num.replace(",", ""))
    else:
        value = chinese_value(num)
    if value is None:
        return None, approx, unit_core
    return value * scale, approx, unit_core


def same_unit_kind(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    return any(a in cls and b in cls for cls in UNIT_CLASSES)


# -- figures with subjects --------------------------------------------------------------------------------------


def figure_claims(text: str, *, year: int | None = None) -> list[FigureClaim]:
    """Every figure of `text` with value and subject, single Chinese numerals that end a clause included."""
    return list(_figure_claims(text, year))


@lru_cache(maxsize=8192)
def _figure_claims(text: str, year: int | None) -> tuple[FigureClaim, ...]:
    masked = mask_non_figures(text)
    figures = list(find_figures(text, year=year))
    taken = {f.start for f in figures}
    for m in SINGLE_CN.finditer(masked):
        if m.group(1):
            numeral, unit, start = m.group(1), m.group(2), m.start(1)
        else:
            numeral, unit, start = m.group(4), m.group(5), m.start(4)
        if start in taken:
            continue
        figures.append(Figure(text=numeral + unit, number=numeral, unit=unit, start=start, chinese=True))
    out = []
    for fig in sorted(figures, key=lambda f: f.start):
        value, approx, unit = figure_value(fig.number, fig.unit)
        if value is None:
            continue
        end = fig.start + len(fig.text)
        # "5.2万人次": the unit after 万 belongs to the figure.
        if not unit and fig.unit in ("万", "亿"):
            tail = re.match(r"(人次|人|元|户|册|份|件|次|辆次|辆|吨|平方米|公里)", masked[end:])
            if tail:
                unit, end = tail.group(1), end + len(tail.group(1))
        out.append(
            FigureClaim(
                text=text[fig.start : end],
                value=value,
                approx=approx,
                unit=unit,
                subject=subject_of(masked, fig.start, end),
                start=fig.start,
            )
        )
    return tuple(out)


def subject_of(text: str, start: int, end: int) -> str:
    """The noun phrase a figure counts: its clause before it, else the words right after it."""
    left = text[:start]
    cut = max((m.end() for m in CLAUSE_STOP.finditer(left)), default=0)
    before = _strip_filler(re.sub(r"\s+", "", left[cut:]))
    # A list under a heading ("行政处罚326件：一超四罚41件") names the kind before each figure.
    before = re.sub(r"[\d.,]+[^\d]{0,3}$", "", before) or before
    if len(_cjk(before)) >= 2:
        return before[-14:]
    after = text[end:]
    stop = CLAUSE_STOP.search(after)
    return (before + _strip_filler(after[: stop.start() if stop else len(after)]))[:14]


def _strip_filler(text: str) -> str:
    text = CITATION.sub("", text)
    return FILLER.sub("", text)


_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")


def _cjk(text: str) -> str:
    return _NON_CJK.sub("", text)


@lru_cache(maxsize=16384)
def bigrams(text: str) -> frozenset[str]:
    chars = _cjk(text)
    if len(chars) == 1:
        return frozenset({chars})
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1))


def subject_score(a: str, b: str) -> float:
    """Overlap of two subjects (bigrams over the smaller): 1.0 when one names the other ("处罚" / "行政处罚案件")."""
    ba, bb = bigrams(a), bigrams(b)
    if not ba or not bb:
        return 0.0
    return len(ba & bb) / min(len(ba), len(bb))


def matches_value(claim: FigureClaim, other: FigureClaim) -> bool:
    return (
        abs(claim.value - other.value) < 1e-9
        and claim.approx == other.approx
        and same_unit_kind(claim.unit, other.unit)
    )


@dataclass(frozen=True)
class Misattribution:
    claim: FigureClaim  # the draft's figure
    noted_as: FigureClaim  # the notes' figure of that value (under another subject)
    expected: FigureClaim  # the notes' figure under the draft's subject

    def describe(self) -> str:
        return (
            f"“{self.claim.subject}{self.claim.text}”：材料中{self.claim.text}属于“{self.noted_as.subject}”，"
            f"“{self.expected.subject}”为{self.expected.text}"
        )


def misattributed(draft: list[FigureClaim], notes: list[FigureClaim]) -> list[Misattribution]:
    """Draft figures whose value the notes give another subject while the draft's subject has another value."""
    out = []
    # Indexes instead of comparing every draft figure with every notes figure: notes figures by value, and by
    # the bigrams of their subject (a rival must share a subject bigram to score the 0.75 asked below).
    by_value: dict[float, list[FigureClaim]] = {}
    by_gram: dict[str, list[int]] = {}
    for i, n in enumerate(notes):
        by_value.setdefault(round(n.value, 6), []).append(n)
        for g in bigrams(n.subject):
            by_gram.setdefault(g, []).append(i)
    for claim in draft:
        grams = bigrams(claim.subject)
        if len(grams) < 2:
            continue  # no subject to compare ("共3件" after a list)
        same = [n for n in by_value.get(round(claim.value, 6), ()) if matches_value(claim, n)]
        if not same:
            continue
        best_same = max(same, key=lambda n: subject_score(claim.subject, n.subject))
        s_same = subject_score(claim.subject, best_same.subject)
        near = sorted({i for g in grams for i in by_gram.get(g, ())})
        rivals = [
            notes[i]
            for i in near
            if same_unit_kind(claim.unit, notes[i].unit) and abs(notes[i].value - claim.value) > 1e-9
        ]
        if not rivals:
            continue
        rival = max(rivals, key=lambda n: subject_score(claim.subject, n.subject))
        s_rival = subject_score(claim.subject, rival.subject)
        # Only when the notes clearly put another value under this subject: rephrased subjects stay quiet.
        if s_rival >= 0.75 and s_rival - s_same >= 0.4:
            out.append(Misattribution(claim, best_same, rival))
    return out


# Parts of speech that do not begin an organisation's name: leading words of these kinds are the clause's own
# ("推进我局" → "局", "此外中心" → "中心", "共建行政争议调解中心" → "行政争议调解中心"); inside a name a verb is
# normal (调解中心), so only the leading run is dropped.
NOT_A_NAME_START = frozenset(("v", "vd", "r", "p", "c", "d", "m", "u", "ul", "uj", "y", "e"))


def _after_leading_function_words(name: str) -> str:
    words = list(tokens(name))
    while words and words[0][1] in NOT_A_NAME_START:
        words.pop(0)
    return "".join(w for w, _ in words)


def supported_by(claim: FigureClaim, claims: list[FigureClaim]) -> bool:
    return any(matches_value(claim, n) for n in claims)


# -- named things -----------------------------------------------------------------------------------------------


def named_claims(text: str) -> list[NamedClaim]:
    body = CITATION.sub(lambda m: " " * len(m.group(0)), text)
    out: list[NamedClaim] = []
    for m in TITLE.finditer(body):
        out.append(NamedClaim("title", m.group(0), m.start()))
    masked_titles = re.sub(r"《[^》]*》", lambda m: " " * len(m.group(0)), body)
    honour_end = -1
    for m in HONOUR.finditer(masked_titles):
        if m.start() < honour_end:
            continue  # one honour per clause ("荣获“全国文明单位”称号")
        core, honour_end = _honour_core(masked_titles, m)
        out.append(NamedClaim("honour", core, m.start()))
    for m in ORG.finditer(masked_titles):
        name = ORG_LEAD.sub("", m.group(0))
        name = re.sub(r"^(?:了|的|地|并|及|在|和|与)+", "", name)
        name = _after_leading_function_words(name)
        if len(_cjk(name)) < 4 or ORG_GENERIC.match(name):
            continue
        out.append(NamedClaim("organisation", name, m.start() + m.group(0).find(name)))
    for m in CN_DATE.finditer(masked_titles):
        out.append(NamedClaim("date", m.group(0), m.start()))
    return out


def _honour_core(text: str, m: re.Match[str]) -> tuple[str, int]:
    """The honour's own words: after a conferring verb to the clause end, else the name before the noun."""
    clause_start = max((c.end() for c in re.finditer(r"[，。；！？\n]", text[: m.start()])), default=0)
    _, right = _clause_around(text, m.start(), m.end())
    after = text[m.end() : right]
    verb = HONOUR_VERB.fullmatch(m.group(0)) is not None
    if verb and len(_cjk(after)) >= 2:
        return (m.group(0) + after).strip(), right
    before = text[max(clause_start, m.start() - 10) : m.start()]
    return (before + m.group(0) + (after if verb else "")).strip(), right


def _clause_around(text: str, start: int, end: int) -> tuple[str, int]:
    left = max((m.end() for m in re.finditer(r"[，。；！？\n]", text[:start])), default=0)
    stop = re.search(r"[，。；！？\n]", text[end:])
    right = end + stop.start() if stop else len(text)
    return text[left:right].strip(), right


def named_supported(claim: NamedClaim, support: str) -> bool:
    """A named thing is supported when the notes or a cited quote name it (honours: most of their wording)."""
    hay = re.sub(r"\s+", "", support)
    if claim.kind == "title":
        inner = claim.text.strip("《》")
        return inner in hay or inner.removeprefix("中华人民共和国") in hay
    if claim.kind == "organisation":
        return claim.text in hay
    if claim.kind == "date":
        return _date_in(claim.text, hay)
    core = claim.text
    grams = bigrams(core)
    if not grams:
        return True
    hay_grams = bigrams_of_lines(hay)
    return len(grams & hay_grams) / len(grams) >= 0.75


def bigrams_of_lines(text: str) -> set[str]:
    out: set[str] = set()
    for line in re.split(r"[\n。；]", text):
        out |= bigrams(line)
    return out


def _date_in(date: str, hay: str) -> bool:
    m = CN_DATE.search(date)
    if not m:
        return date in hay
    month = chinese_value(m.group(1))
    day = chinese_value(m.group(2)) if m.group(2) else None
    if month is None:
        return date in hay
    wanted = f"{int(month)}月" + (f"{int(day)}日" if day else "")
    arabic = re.sub(r"\s+", "", hay)
    return wanted in arabic or date in hay or _to_arabic_dates(arabic).find(wanted) >= 0


def _to_arabic_dates(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        month = chinese_value(m.group(1))
        day = chinese_value(m.group(2)) if m.group(2) else None
        if month is None:
            return m.group(0)
        return f"{int(month)}月" + (f"{int(day)}日" if day else m.group(0)[len(m.group(1)) + 1 :])

    return CN_DATE.sub(sub, text)
