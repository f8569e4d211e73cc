"""Fragments → clauses: the verb a fragment's noun and measure word call for, parallel figures coordinated.

A note line is often a noun phrase with a figure ("全年行政处罚326件", "电子证照") or a list of them. jieba's
part-of-speech tags tell whether a clause already has a predicate; when it has none, the lexicon below gives
the verb that 公文 uses with its head noun and measure word (学习/培训 + 次 → 组织开展; 案件 + 件 → 办理;
证照 + 个/张 → 核发; 车辆/人员 + 辆次/人次 → 出动). Words are only ever added around the note's own words, and
never a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.numbers import find_figures
from drafting.register import tokens


@dataclass(frozen=True)
class VerbRule:
    noun: str  # regex on the clause's nouns (the last one that matches decides)
    measure: str  # regex on the measure word of the clause's figure; "" = the clause has no figure
    verb: str


# With a figure: noun + measure word → verb. General 公文 collocations, most specific first.
COUNTED: tuple[VerbRule, ...] = (
    VerbRule(r"会议|例会|推进会|座谈会|听证会|调度会|专题会|现场会", r"次|场|期", "召开"),
    VerbRule(r"行政处罚|处罚", r"件|起|宗|次", "实施"),
    VerbRule(r"案件|案卷|案", r"件|起|宗", "办理"),
    VerbRule(r"工单|投诉|举报|信访|诉求|建议|提案|咨询|申请", r"件|条|个|次|人次", "办理"),
    VerbRule(r"证照|证件|许可证|执照|经营许可|证书|营运证|电子证", r"个|张|本|件|份", "核发"),
    VerbRule(r"车辆|车|执法人员|人员|警力|志愿者", r"辆次|人次|台次|车次", "出动"),
    VerbRule(r"宣传册|宣传单|资料|手册|宣传品|折页|读本", r"份|册|本|万份", "发放"),
    VerbRule(r"预案", r"个|项|部|件", "修订完善"),
    VerbRule(r"规范性文件|文件|制度|办法|规定|方案|清单|细则", r"件|个|项|份|部", "制定"),
    VerbRule(r"审核|审查|评估|论证", r"件|次|份|项", "开展"),
    VerbRule(r"企业|单位|场所|机构|门店|工地|商户|学校|医院|诊所|码头", r"家次|家|个次|户次|所", "检查"),
    VerbRule(
        r"学习|培训|讲座|授课|宣讲|研讨|活动|演练|比武|竞赛|评查|检查|督查|巡查|行动|宣传|考试|观摩|旁听|普法",
        r"次|场|期|批次|场次|轮|家次|人次",
        "组织开展",
    ),
)
# Without a figure: head noun → verb.
UNCOUNTED: tuple[VerbRule, ...] = (
    VerbRule(r"平台|系统|工程|项目|网络", "", "推进"),
    VerbRule(r"机制|制度|责任制|规则", "", "落实"),
    VerbRule(r"阵地|品牌|基地|窗口|中心", "", "打造"),
    VerbRule(r"专线|热线|专栏|通道", "", "开通"),
    VerbRule(r"清单|方案|办法|要点|计划|规划", "", "制定"),
    VerbRule(r"终端|设备|装备|记录仪", "", "更新配备"),
    VerbRule(r"证照|执照", "", "推广应用"),
    VerbRule(r"改革|建设|创建|整治|治理|攻坚|监管", "", "推进"),
    VerbRule(r"学习|培训|宣传|活动|行动|演练|检查|评查|普法", "", "开展"),
    VerbRule(r"”$", "", "落实"),  # a list of named practices ("一月一法"、"一季一学") is carried out
)
RATE = re.compile(r"(?<![达为到是至])(率)(\s*)(\d+(?:\.\d+)?[%％])")
TIME_WORD = re.compile(r"全年|年内|年度|今年|上半年|下半年|以来|\d{4}年|\d+月|期间|年初|年底|年末|截至|目前")
CLAUSE_SPLIT = re.compile(r"(?<=[，；])")
OFFICE_LABEL = re.compile(
    r"^[^：，。；“”《》]{0,8}?(?:科|股|室|办公室|大队|中队|支队|所|中心|组|站|处)(?:这边|那边|报来的|报来|报送|报|提供|反馈|汇总)?的?[：:]\s*"
)
BREAKDOWN = re.compile(r"^(?P<head>[^：]*\d[^：]*)：(?P<items>[^；]+)(?P<rest>(?:；.*)?)$")
ITEM = re.compile(r"^[^，、\d]{1,14}?\d+(?:\.\d+)?[^\d，、]{0,4}$")


# Transitive verbs jieba often tags as verbal nouns (vn): before an object they are the predicate.
TRANSITIVE = frozenset(
    "调整 组织 制定 修订 建立 健全 完善 开展 推行 实施 落实 出台 印发 召开 举办 聘请 设立 成立 编制 发布 审核 办理 "
    "签订 更新 推进 推动 深化 加强 强化 规范 优化 开通 打造 创建 组建 配备 核发 发放 受理 查处 处置 化解 推广 "
    "收案 审结 结案 立案 受理 抽查 "
    "出具 查办 发展 减少 降低 提高 提升 "
    "改造 升级 研究 首创 检查 专项检查 审核 审查 调处 处理 听取 修改 清理 评查 督办 接入 上线 覆盖 培养".split()
)
# Verbs that are also what is counted: "检查64次" is a number of checks, not "checked 64".
COUNT_NOUNS = r"检查|专项检查|审查|审核|评查|培训|巡查|抽查|督查|调处|处理"
ALWAYS_PREDICATE = frozenset(
    "首创 推出 建成 获得 荣获 获评 入选 被评为 评为 承办 牵头 只有 达到 实现".split()
)
# A clause opening with a preposition is an adverbial ("依托平台，推进…"); one opening with 共/累计 counts what
# its verbal noun did ("共培训210人次"): neither wants a verb of its own.
ADVERBIAL_START = re.compile(
    r"^(?:依托|通过|围绕|按照|依据|根据|对照|针对|结合|借助|利用|以|对|向|在|经|被|共|累计|合计|共计|先后|均|全部|其中)"
)
# Verbs jieba tags as such that, opening a clause, modify the noun after them ("违法建设案件", "执法记录终端").
MODIFIER_VERBS = frozenset(
    "违法 执法 负责 取水 投诉 举报 来信 来访 移动 联合 综合 集中 流动 应急 审批 监督 管理 服务".split()
)
SINGLE_VERBS = frozenset("配 建 买 换 装 发 办 签 设 建成 开 推 抓 管 查".split())
NOMINAL_ENDS = re.compile(r"(?:升级|改造|创建|分离|建设|改革|整治|治理|攻坚|调整|上线|应用|推广|覆盖|通办)$")


def has_predicate(clause: str) -> bool:
    """True when a clause has a verb of its own; a verbal noun (培训, 升级) or a compound (执法记录) does not count.

    Only the first item of a 、-list is read: "VPN线路升级、综合执法系统、5G执法记录终端" is a list of things.
    A clause whose head noun calls for a verb ("违法建设案件17起", "首问负责机制") is a fragment unless it holds
    a transitive verb of its own: jieba tags the modifiers 违法, 负责, 执法 as verbs.
    """
    bare = re.sub(r"《[^》]*》|“[^”]*”", "名", clause)
    first = bare.split("、")[0]
    toks = [t for t in tokens(first) if t[0].strip()]
    whole = [t for t in tokens(bare) if t[0].strip()]
    if ADVERBIAL_START.match(bare):
        return True
    for i, (word, flag) in enumerate(whole):
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
    for i, (word, flag) in enumerate(toks[:2]):
        if i == 1 and not re.match(r"^(?:全年|年内|今年|\d{4}年|上半年|下半年|年初|年底)$", toks[0][0]):
            break
        if (
            flag.startswith("v")
            and word not in MODIFIER_VERBS
            and i < len(toks) - 1
            and not toks[i + 1][1].startswith(("n", "vn", "j"))
        ):
            return True  # a clause that opens with a verb and an adverb has its predicate ("减少重复检查")
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


def _head_calls_for_verb(clause: str) -> bool:
    found = find_figures(clause)
    figures = [f for f in found if f.unit]
    if found and not figures:
        return False  # a bare number ("400多个在建项目"): not a count this lexicon knows
    if figures:
        head = clause[: figures[0].start]
        return any(
            re.search(rf"(?:{r.noun})$", head) and re.fullmatch(rf"(?:{r.measure})", figures[0].unit)
            for r in COUNTED
        )
    first = clause.split("、")[0]
    return any(re.search(rf"(?:{r.noun})$", first) for r in UNCOUNTED)


def verb_for(clause: str) -> str:
    """The verb a predicate-less clause calls for, "" when the lexicon has none."""
    figures = [f for f in find_figures(clause) if f.unit]
    measure = figures[0].unit if figures else ""
    counted_head = clause[: figures[0].start] if figures else ""
    first_item = clause.split("、")[0]
    for rules, head in ((COUNTED, counted_head), (UNCOUNTED, first_item)):
        if not head:
            continue
        best: tuple[int, str] | None = None
        for rule in rules:
            if rule.measure and not re.fullmatch(rf"(?:{rule.measure})", measure):
                continue
            # The noun nearest the figure (or the end) decides: "法治培训" → 培训, "培训基地" → 基地. Without a
            # figure only the head noun (the item's last word) may call for the verb.
            for m in re.finditer(rule.noun, head):
                if rules is UNCOUNTED and m.end() != len(head):
                    continue
                if best is None or m.end() > best[0]:
                    best = (m.end(), rule.verb)
        if best and (best[0] >= len(head) or not NOMINAL_ENDS.search(head)):
            return best[1]
    if NOMINAL_ENDS.search(first_item):
        return "推进"  # "证照分离", "线路升级": a reform or a project is carried forward
    return ""


def clause_from_fragment(clause: str) -> tuple[str, str]:
    """(verb added, clause) for one clause: a verb where it has none, "率达" before a rate."""
    clause = RATE.sub(r"\1达\3", clause)
    if not clause or has_predicate(clause):
        return "", clause
    verb = verb_for(clause)
    if not verb:
        return "", clause
    return verb, clause


def coordinate_breakdown(text: str) -> str:
    """ "处罚326件：甲41件，乙57件，丙23件；罚款…" → "处罚326件，其中甲41件、乙57件、丙23件；罚款…"."""
    m = BREAKDOWN.match(text)
    if not m:
        return text
    items = [i.strip() for i in m.group("items").split("，")]
    if len(items) < 2 or not all(ITEM.match(i) for i in items):
        return text
    return f"{m.group('head')}，其中{'、'.join(items)}{m.group('rest')}"


def drop_office_label(text: str) -> str:
    """ "法规股：出台…" → "出台…": an office prefix says who reported a line, never what it is about."""
    return OFFICE_LABEL.sub("", text, count=1)


def phrase(text: str) -> str:
    """A note line (already in written register) as clauses with predicates; one verb serves parallel figures."""
    text = coordinate_breakdown(text)
    out = ""
    previous_verb = ""
    for part in CLAUSE_SPLIT.split(text):
        if not part:
            continue
        tail = part[-1] if part[-1] in "，；" else ""
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
            # "开展甲检查64次，开展乙检查61次" → "开展甲检查64次、乙检查61次"
            out = out[:-1] + "、" + rest + tail
        else:
            out += lead + verb + rest + tail
        previous_verb = verb if tail == "，" or not tail else ""
    return out


def starts_with_time(text: str) -> bool:
    return bool(TIME_WORD.match(text))
