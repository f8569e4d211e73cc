"""The offline composer: register table, verb lexicon, sentence plan, and the rule that no figure is invented."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from prose_properties import doubled_verbs, has_predicate, rewrite_problems, sentences

from core.config import DEFAULT_OUTLINE
from core.types import Chunk, Fact, Passage, Source
from drafting.engines.base import SectionContext
from drafting.engines.offline import patterns
from drafting.engines.offline.compose import (
    OfflineEngine,
    clause_of,
    officialise,
    phrase_bank,
    plan_groups,
    topic_of,
)
from drafting.engines.offline.phrasing import (
    clause_from_fragment,
    drop_office_label,
    label_lead,
    phrase,
    quote_programmes,
    separate_counts,
    share_verb,
    verb_for,
)
from drafting.engines.offline.register import to_written, we_of
from drafting.sources.gather import in_force, same_unit
from drafting.sources.prior import PriorSection
from drafting.text.numbers import find_figures
from drafting.text.tokens import tokens


def _verbs(text: str) -> Counter:
    return Counter(w for w, f in tokens(text) if f == "v" and len(w) > 1)


def _like(spoken: str, out: str, reviewed: str) -> list[str]:
    """What a composed clause got wrong, judged against a reviewed form without pinning its wording: the figures,
    negations and dropped words of rewrite_problems; every noun of the notes the reviewed form keeps is kept;
    its verbs are said as often as the reviewed form says them (one verb serves parallel figures, none is
    doubled); every sentence has a predicate; no clause is said twice."""
    problems = rewrite_problems(spoken, out, reviewed)
    nouns = {w for w, f in tokens(reviewed) if f.startswith(("n", "vn")) and len(w) > 1 and w in spoken}
    problems += [f"lost: {w}" for w in sorted(nouns) if w not in out]
    if _verbs(out) != _verbs(reviewed):
        problems.append(f"verbs {dict(_verbs(out))} ≠ {dict(_verbs(reviewed))}")
    problems += [f"no predicate: {x}" for x in sentences(out) if not has_predicate(x)]
    problems += [f"doubled verb: {v}" for v in doubled_verbs(out)]
    clauses = [c for c in re.split(r"[，；。]", out) if c]
    if len(clauses) != len(set(clauses)):
        problems.append("a clause said twice")
    return problems


# (spoken, unit, year, written): the register table on whole jieba tokens, never inside a word or a figure.
REGISTER_CASES = [
    ("违规的罚了8万", "某局", 2023, "违规的罚款8万"),
    ("出了《行政执法公示办法》", "某局", 2023, "出台《行政执法公示办法》"),
    ("培训搞了3期", "某局", 2023, "培训开展3期"),
    ("咱们跟市场监管部门联合检查", "某区发展和改革委员会", 2023, "我委与市场监管部门联合检查"),
    ("我们牵头协调", "某县人民政府办公室", 2023, "我办牵头协调"),
    ("我们牵头协调", "某区民政局", 2023, "我局牵头协调"),
    ("机构改革去年6月份才完成", "某局", 2023, "机构改革2022年6月完成"),
    ("明年争取再招5人", "某局", 2023, "2024年争取再招5人"),
    ("推出了3项便民举措", "某局", 2023, "推出3项便民举措"),
    ("平台老旧，实现不了数据共享", "某县医疗保障局", 2024, "平台老旧，无法实现数据共享"),
    ("个别投诉解决不了", "某局", 2024, "个别投诉无法解决"),
    ("电子营业执照累计发了2.3万张", "某局", 2024, "电子营业执照累计发放2.3万张"),
    ("还有案卷评查，抽查执法案卷30卷", "某局", 2024, "案卷评查，抽查执法案卷30卷"),
    ("另外局长今年出庭应诉1次", "某局", 2024, "局长2024年出庭应诉1次"),
    ("许可12件，都是网上办的", "某局", 2024, "许可12件，均为网上办理"),
    ("还有：执法车辆不足", "某局", 2024, "还有：执法车辆不足"),
    ("再生资源回收网点建成3个", "某局", 2024, "再生资源回收网点建成3个"),
    ("宣传资料发了1.5万份", "某局", 2024, "宣传资料发放1.5万份"),
    ("规章草案都过了合法性审核", "某局", 2024, "规章草案均通过合法性审核"),
    ("正和电信公司商量升级方案", "某局", 2024, "正和电信公司协商升级方案"),
    ("提案承办了17件，全办完了", "某局", 2024, "提案承办17件，已全部办结"),
    ("几个普法阵地都建起来了", "某局", 2024, "几个普法阵地均已建成"),
    ("培训费和信息化的钱要多争取", "某局", 2024, "培训费和信息化资金积极争取"),
    ("全局持证执法人员才9人", "某局", 2024, "全局持证执法人员仅9人"),
    ("窗口服务被省里评为示范窗口了", "某局", 2024, "窗口服务被省里评为示范窗口"),
    ("清单按要求全部公示了，群众可查询", "某局", 2024, "清单按要求已全部公示，群众可查询"),
    # Damage cases: words that contain a spoken character stay whole.
    ("跟踪督办信访件", "某局", 2023, "跟踪督办信访件"),
    ("持续跟进整改", "某局", 2023, "持续跟进整改"),
    ("无论城区还是乡镇均已覆盖", "某局", 2023, "无论城区还是乡镇均已覆盖"),
    ("数据还是本地保存", "某局", 2023, "数据还是本地保存"),
    ("都江堰市交通运输局来访", "某局", 2023, "都江堰市交通运输局来访"),
    ("首违不罚清单动态调整", "某局", 2023, "首违不罚清单动态调整"),
    ("推行“不罚轻罚”清单", "某局", 2023, "推行“不罚轻罚”清单"),
    ("罚款12万元", "某局", 2023, "罚款12万元"),
    ("为了方便群众办事", "某局", 2024, "为了方便群众办事"),
    ("除了节假日均正常受理", "某局", 2024, "除了节假日均正常受理"),
    ("过了汛期再组织复查", "某局", 2024, "过了汛期再组织复查"),
    ("了解群众诉求", "某局", 2024, "了解群众诉求"),
    # A topic marker of speech goes before what is said of the topic; before a noun it is 方面.
    ("低保审批系统这块已经全覆盖", "某局", 2024, "低保审批系统已实现全覆盖"),
    ("救助这块抓得紧", "某局", 2024, "救助抓得紧"),
    ("在养老服务这块", "某局", 2024, "在养老服务方面"),
    ("防汛期间没出安全事故", "某局", 2024, "防汛期间未出现安全事故"),
    ("年度要点2月就制定", "某局", 2024, "年度要点2月制定"),
    ("就业援助月活动", "某局", 2024, "就业援助月活动"),  # 就 inside a word
    ("就这个问题约谈2次", "某局", 2024, "就这个问题约谈2次"),  # 就 as a preposition
    # A document or a measure put out: 出台, also across a 、-list closed by a demonstrative (→ 等).
    ("年初出了3项惠老措施", "某局", 2024, "年初出台3项惠老措施"),
    ("出了救助审批、资金发放、档案管理几个制度", "某局", 2024, "出台救助审批、资金发放、档案管理等制度"),
    ("低保系统、电子证照这些都在推", "某局", 2024, "低保系统、电子证照等均在推进"),
    # Clause endings of speech: 的 / 着 after a verb, 是……的 around what the unit did first.
    ("现场会在我局养老中心开的", "某局", 2024, "现场会在我局养老中心召开"),
    ("三项制度都坚持着", "某局", 2024, "三项制度均坚持"),
    ("“时间银行”是我局首创的", "某局", 2024, "“时间银行”为我局首创"),
    ("他是在党校学的", "某局", 2024, "他是在党校学的"),  # not a unit's first: left alone
    ("这个不是我们做的", "某局", 2024, "这个不是我局做的"),
    (
        "救助资金发放86万元，分开说，其中临时救助12万元",
        "某局",
        2024,
        "救助资金发放86万元，其中临时救助12万元",
    ),
    ("殡葬审批均是他签批", "某局", 2024, "殡葬审批均由其签批"),
    ("他是主任", "某局", 2024, "他是主任"),  # 是 + a noun: not a decision
    ("养老服务平台用起来", "某局", 2024, "养老服务平台投入使用"),
    # Plans and intentions.
    ("完成剩下的3个乡镇退役军人服务站提升", "某县退役军人事务局", 2024, "完成剩余3个乡镇退役军人服务站提升"),
    ("名录库清理接着做", "某县统计局", 2024, "名录库清理继续做"),
    ("智慧养老平台用起来了", "某县民政局", 2024, "智慧养老平台投入使用"),
    ("把文旅执法改革推下去", "某县文化和旅游局", 2024, "把文旅执法改革持续推进"),
    # Damage cases: a plan word inside another word, or after the thing it qualifies, stays.
    ("剩下来的两项整改年底前完成", "某局", 2024, "剩下来的两项整改年底前完成"),
    ("《“八五”普法规划》印发", "某局", 2024, "《“八五”普法规划》印发"),
    ("系统用起来很方便", "某局", 2024, "系统用起来很方便"),
    ("紧接着召开推进会", "某局", 2024, "紧接着召开推进会"),
    ("殡葬设施规划按重大行政决策走的", "某局", 2024, "殡葬设施规划按照重大行政决策程序办理"),
    ("救助审批按流程走", "某局", 2024, "救助审批按照流程办理"),
    ("抽查按一单两库走", "某局", 2024, "抽查按照一单两库执行"),
    ("按时走访困难群众", "某局", 2024, "按时走访困难群众"),  # 走访 is a word
    # 开了 convenes a meeting and sets up anything else; 罚了 + cases is 处罚, + a sum is 罚款.
    ("开了推进会", "某局", 2024, "召开推进会"),
    ("开了2次座谈会", "某局", 2024, "召开2次座谈会"),
    ("社区开了法律服务窗口", "某局", 2024, "社区开设法律服务窗口"),
    ("全年罚了41件", "某局", 2024, "全年处罚41件"),
    ("罚了3.2万元", "某局", 2024, "罚款3.2万元"),
    ("建了《救助资金管理制度》", "某局", 2024, "建立《救助资金管理制度》"),
    ("我们设了法律顾问室", "某局", 2024, "我局设立法律顾问室"),
]


@pytest.mark.parametrize(("spoken", "unit", "year", "written"), REGISTER_CASES)
def test_register_table(spoken, unit, year, written):
    assert not rewrite_problems(spoken, to_written(spoken, unit=unit, year=year).text, written, year)


def test_register_never_writes_a_spoken_form_and_keeps_figures():
    out = to_written("搞清楚底数后搞了2次排查，罚了3家，都做了登记", unit="某局", year=2024).text
    for spoken in ("搞了", "罚了", "做了", "出了", "的案子", "这块", "咱们"):
        assert spoken not in out
    assert [f.text for f in find_figures(out)] == ["2次", "3家"]


def test_ambiguous_relative_time_is_kept_and_flagged():
    converted = to_written("上个月开了2次会", unit="某局", year=2024)
    assert converted.text.startswith("上个月") and "上个月" in converted.flags[0]
    assert to_written("前年完成改革", unit="某局", year=2024).flags


def test_we_of_names_the_body():
    assert we_of("某区发展和改革委员会") == "我委"
    assert we_of("某县人民政府办公室") == "我办"
    assert we_of("某市司法局") == "我局"
    assert we_of("某县图书馆公司") == "本单位"


# (fragment, verb the lexicon gives): one row per verb rule.
VERB_CASES = [
    ("行政处罚45件", "实施"),
    ("违法建设案件17起", "办理"),
    ("群众来信来访工单230件", "办理"),
    ("取水许可证12张", "核发"),
    ("执法车辆80辆次", "出动"),
    ("规范性文件2件", "制定"),
    ("公平竞争审查9件", "开展"),
    ("加油站企业45家", "检查"),
    ("养老机构备案11家", "办理"),  # the filing is the head, not the body filed
    ("殡葬服务机构备案5家", "办理"),
    ("专题法治讲座4场", "组织开展"),
    ("不动产登记信息平台", "推进"),
    ("首问负责机制", "落实"),
    ("社区法治文化阵地", "打造"),
    ("普法微信专栏", "开通"),
    ("移动执法终端", "更新配备"),
    ("电子营业执照", "推广应用"),
    ("农村集体产权制度改革", "推进"),
    ("安全生产大检查", "开展"),
    ("校外培训机构全流程监管", "实施"),
]


@pytest.mark.parametrize(("fragment", "verb"), VERB_CASES)
def test_verb_rule(fragment, verb):
    assert verb_for(fragment) == verb
    assert clause_from_fragment(fragment) == (verb, fragment)


@pytest.mark.parametrize(
    ("fragment", "written"),
    [
        # A numbered five-year plan of legal education is a plan carried out, never an activity.
        ("“八五”普法", "落实“八五”普法规划"),
        ("“七五”普法规划", "落实“七五”普法规划"),
        ("统计普法", "开展统计普法活动"),
        # A verb of aim is a predicate already: no verb goes before it.
        ("力争“零投诉”", "力争“零投诉”"),
        ("确保“三个不发生”", "确保“三个不发生”"),
        ("继续开展欠薪排查，力争“两清零”", "继续开展欠薪排查，力争“两清零”"),
    ],
)
def test_plans_and_aims_take_the_right_verb(fragment, written):
    assert not _like(fragment, phrase(fragment), written)


# (fragment, clause written): an activity named by its verbal noun is carried out as work, a campaign, an event;
# an act done with others is carried out with its partners.
ACTIVITY_CASES = [
    ("农村人居环境整治", "开展农村人居环境整治工作"),
    ("河道“四乱”清理", "开展河道“四乱”清理工作"),
    ("城镇燃气安全隐患排查", "开展城镇燃气安全隐患排查工作"),
    ("违法建设整治“回头看”", "开展违法建设整治“回头看”工作"),
    ("禁毒宣传", "开展禁毒宣传活动"),
    ("校园周边环境综合治理", "开展校园周边环境综合治理工作"),
    ("与市场监管部门联合执法", "开展与市场监管部门联合执法"),
    ("同相邻县区交叉检查", "开展同相邻县区交叉检查"),
    ("安全生产专项整治行动", "开展安全生产专项整治行动"),  # already names the campaign: no 工作 added
]


# A list of things takes the verb most of its items call for.
LIST_CASES = [
    ("村居普法、文化广场法治阵地、法治公园阵地", "打造村居普法、文化广场法治阵地、法治公园阵地"),
    # Items that call for different verbs, one of them equipment: each group its own verb.
    ("办案系统升级、案件管理平台、移动终端", "推进办案系统升级、案件管理平台，更新配备移动终端"),
    ("民政信息平台、婚姻登记系统、电子证照", "推进民政信息平台、婚姻登记系统，推广应用电子证照"),
    ("执法记录仪、移动执法终端", "更新配备执法记录仪、移动执法终端"),  # one verb for all
]


@pytest.mark.parametrize(("fragment", "written"), LIST_CASES)
def test_list_takes_the_verb_of_most_items(fragment, written):
    assert not _like(fragment, phrase(fragment), written)


@pytest.mark.parametrize(("fragment", "written"), ACTIVITY_CASES)
def test_activity_rule(fragment, written):
    verb, clause = clause_from_fragment(fragment)
    assert not _like(fragment, verb + clause, written)
    assert verb  # the activity is carried out: a verb opens the clause


# (line as noted, clause as written): register and phrasing together on whole lines.
LINE_CASES = [
    ("社区开了法律服务窗口", "社区开设法律服务窗口"),  # 开设 is a predicate: no verb added
    ("省厅在我县养老中心开了全省民政法治工作现场交流会", "省厅在我县养老中心召开全省民政法治工作现场交流会"),
    ("一年下来共罚了41件", "全年共处罚41件"),
    ("完成殡葬设施规划审批3个", "完成殡葬设施规划审批3个"),  # 完成 is the predicate
    ("查处了9起", "查处9起"),  # a count after its verb needs no 了
    ("网格员全员轮训一遍", "开展网格员全员轮训"),  # how often, said in speech
    ("台账过一遍", "台账过一遍"),  # a one-character verb keeps it
    ("普法的话，开展宣传3场", "在普法方面，开展宣传3场"),  # a topic of speech
    ("救助的话中心组学了2次", "在救助方面，组织开展中心组学习2次"),
    ("要是下雨的话延期", "要是下雨的话延期"),  # a condition, not a topic
    ("养老机构消防隐患老是反复", "养老机构消防隐患经常反复"),
    ("他是老党员", "他是老党员"),
    ("把信访积案清零", "实现信访积案清零"),
    ("受理了28件，调解成功25件", "受理28件，调解成功25件"),
    (
        "救灾和消防应急演练各2次",
        "组织开展救灾和消防应急演练各2次",
    ),  # 各 shares the count; 救灾和… is two things
    ("减少和避免重复检查", "减少和避免重复检查"),  # a verb before 和 is still a predicate
    ("村居法律顾问请了", "聘请村居法律顾问"),  # the people engaged go after the verb
    ("社会监督员已经聘任", "已经聘任社会监督员"),
    ("群众聘请律师", "群众聘请律师"),
    ("主任带头去法院旁听了2次庭审", "主任带头到法院旁听2次庭审"),  # a person acts: nobody organises it
    # A task named first and its verb of carrying out last: the verb goes first, with its time and adverb.
    ("“一件事一次办”改革推进", "推进“一件事一次办”改革"),
    ("救助资金监管办法2024年制定", "2024年制定救助资金监管办法"),
    ("社会救助公平竞争审查开展", "开展社会救助公平竞争审查"),
    ("殡葬服务网格长制全面推开", "全面推行殡葬服务网格长制"),
    # Left: what acts or is done by someone, a work or an outcome named, an object with a verb of its own.
    ("局长年终述法也开展", "局长年终述法也开展"),
    ("各项救助工作均已完成", "各项救助工作均已完成"),
    ("与公安的数据共享也打通", "与公安的数据共享也打通"),
]


# Two counts run together are two clauses when the second has a verb, a fine or a rate of its own.
SEPARATE_CASES = [
    ("全年查处违规殡葬12起罚款3.5万元", "全年查处违规殡葬12起，罚款3.5万元"),
    ("办理救助申请860件办结率100%", "办理救助申请860件，办结率100%"),
    ("走访养老机构41家发现问题17个", "走访养老机构41家，发现问题17个"),
    ("培训3期共150人次", "培训3期，共150人次"),
    ("推出5项便民措施", "推出5项便民措施"),  # a measure word and its noun
    ("2024年完成剩余2个片区改造", "2024年完成剩余2个片区改造"),  # a year is not a count
]


@pytest.mark.parametrize(("line", "written"), LINE_CASES)
def test_whole_lines_in_written_form(line, written):
    assert not rewrite_problems(line, officialise(line, unit="某县民政局", year=2024), written)


@pytest.mark.parametrize(("text", "written"), SEPARATE_CASES)
def test_counts_run_together_are_separated(text, written):
    assert separate_counts(text) == written


# (text, 公文 text): the coined name of a national programme is quoted; titles, quoted terms and a sentence that
# quotes a source ([n]) are not touched.
PROGRAMME_CASES = [
    ("深化放管服改革，推进跨省通办、证照分离", "深化“放管服”改革，推进“跨省通办”、“证照分离”改革"),
    # A name that ends its clause is completed with what it names; not where the notes say it.
    ("落实谁执法谁普法，持续推进放管服", "落实“谁执法谁普法”普法责任制，持续推进“放管服”改革"),
    ("落实谁执法谁普法责任制", "落实“谁执法谁普法”责任制"),
    ("开展双随机一公开检查64次", "开展“双随机一公开”检查64次"),
    ("落实双随机一公开监管和双随机抽查", "落实“双随机一公开”监管和“双随机”抽查"),  # the longer name first
    ("落实八五普法规划，总结七五普法", "落实“八五”普法规划，总结“七五”普法"),
    ("认真落实“谁执法谁普法”普法责任制", "认真落实“谁执法谁普法”普法责任制"),  # quoted already
    ("依据《关于深化放管服改革的意见》", "依据《关于深化放管服改革的意见》"),
    ("推进放管服改革[2]。推进一网通办。", "推进放管服改革[2]。推进“一网通办”。"),
    ("一次办结率达98%", "一次办结率达98%"),  # not a name
]


@pytest.mark.parametrize(("text", "written"), PROGRAMME_CASES)
def test_programme_names_quoted(text, written):
    assert quote_programmes(text) == written


def test_fragment_with_its_own_verb_is_left_alone():
    for clause in (
        "调整安全生产委员会成员",
        "聘请常年法律顾问",
        "与公安部门联合执法检查企业12家",
        "首创“企业吹哨”机制",
        "培训网格员和调解员320人次",  # a verbal noun acting on the people after it
        "安全生产写入年度工作要点",  # not "制定…要点": the clause has its verb
        "示范县在创建",  # an aspect adverb makes the verbal noun a predicate
        "与公安、交警也联合执法",
        "申请培训、信息化专项经费",  # a request, not a training held
        "全年共作出行政处罚326件",  # 共 after a time word is still an adverbial
        "“一网通办”平台方面已经全覆盖",
        "出动人防疏散演练志愿者460人次",  # the verb its noun and measure word call for is already there
    ):
        assert clause_from_fragment(clause) == ("", clause)


# (label, body, sentence): a line's topic label in 公文 form.
LABEL_CASES = [
    ("三亮", "执法证件统一规范管理", "落实“三亮”要求，执法证件统一规范管理"),
    ("“三亮”", "执法证件统一规范管理", "落实“三亮”要求，执法证件统一规范管理"),
    ("规范性文件", "本年度未制定，清理旧文件7件", "在规范性文件方面，本年度未制定，清理旧文件7件"),
    ("双随机", "抽查商户40家", "落实“双随机”要求，抽查商户40家"),
    ("谁执法谁普法", "开通公交专线", "落实“谁执法谁普法”要求，开通公交专线"),
    ("领导小组调整", "已调整", "领导小组已调整"),
    ("年度工作要点", "印发工作要点2份", "印发工作要点2份"),  # the body names its topic
    ("制度", "修订实施细则", "在制度方面，修订实施细则"),  # a one-word topic is not an act
    ("宣传", "发放资料8000份", "开展宣传活动，发放资料8000份"),  # never "在“宣传”方面"
    ("三项制度", "执法记录仪配备率达100%", "落实三项制度，执法记录仪配备率达100%"),
    ("违法占地整治“回头看”", "复查图斑12个", "开展违法占地整治“回头看”工作，复查图斑12个"),
    ("信用监管", "开展信用监管", "开展信用监管"),  # the body says it already
    ("执法信息化", "改造VPN专线", "在执法信息化方面，改造VPN专线"),
    ("亲自抓", "重要案件亲自督办", "重要案件亲自督办"),
    ("校外托管机构", "检查86家次", "检查校外托管机构86家次"),  # the label is what the verb counts
    ("不动产登记“一窗办理”", "已推行", "不动产登记“一窗办理”已推行"),  # a status after its label
    ("医保异地结算", "纳入跨省通办", "医保异地结算纳入跨省通办"),
    ("执法中队", "检查12次", "在执法中队方面，检查12次"),  # an office is never made an object
    ("李科长", "工单办结437件", "工单办结437件"),  # who said it, not a topic
    ("专题研究", "党组会研究法治建设4次", "党组会研究法治建设4次"),  # one word whose head the body says
    ("数字化", "推进一体化平台", "在数字化方面，推进一体化平台"),  # 一体化 is not a count
    ("公交普法", "打造8路公交普法专线", "打造8路公交普法专线"),  # 8路 names a line, not a count
]


# (label, body, heading, sentence): a topic the heading already names is not said again.
HEADED_LABEL_CASES = [
    ("数字化", "推进一体化平台", "（十）加快推进数字法治政府建设", "推进一体化平台"),
    ("学习", "中心组学法6次", "（二）抓好学法用法，提升法治素养", "中心组学法6次"),  # a one-word topic
    ("领导", "党组研究法治工作3次", "（一）加强党对法治政府建设的领导", "党组研究法治工作3次"),
    ("规范性文件", "本年度未制定", "（四）完善依法行政制度体系", "在规范性文件方面，本年度未制定"),
    ("执法中队", "检查12次", "（五）严格规范公正文明执法", "在执法中队方面，检查12次"),  # an office stays
]


@pytest.mark.parametrize(("label", "body", "heading", "written"), HEADED_LABEL_CASES)
def test_label_the_heading_names_is_dropped(label, body, heading, written):
    out = label_lead(label, body, heading)
    assert not _like(f"{label}：{body}", out, written)
    assert (label in out) == (label in written)  # the heading says the topic already


@pytest.mark.parametrize(("label", "body", "written"), LABEL_CASES)
def test_label_lead(label, body, written):
    out = label_lead(label, body)
    assert not _like(f"{label}：{body}", out, written)
    assert out.count("“") == written.count("“")  # never quotes the notes did not have, none lost
    assert ("方面" in out) == ("方面" in written)  # a topic, not an act


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("日常检查52次，专项检查18次", "组织开展日常检查52次、专项检查18次"),  # one verb for parallel figures
        ("行政许可办结率100%", "行政许可办结率达100%"),
        (
            "全年查处案件60件：无证经营22件，超范围经营30件，其他8件；罚款9.5万元",
            "全年查处案件60件，其中无证经营22件、超范围经营30件、其他8件；罚款9.5万元",
        ),
    ],
)
def test_phrase_coordinates_parallel_figures_and_rates(line, written):
    out = phrase(line)
    assert not _like(line, out, written)
    assert "：" not in out  # a breakdown is coordinated, not a label and its items


def test_office_label_goes():
    assert drop_office_label("综合股：印发工作要点") == "印发工作要点"
    assert drop_office_label("执法大队报来：查处案件3件") == "查处案件3件"
    assert drop_office_label("双随机：检查9次") == "双随机：检查9次"


# Damage found on other notes: what a line became before, and what it must become.
DAMAGE_CASES = [
    # a table row of two label–value pairs, as the reader joins it
    ("检查企业212家次，处罚案件，31件", "检查企业212家次，办理处罚案件31件"),
    ("双随机抽查企业212家次：处罚案件31件", "双随机抽查企业212家次，办理处罚案件31件"),
    # a list clause after a clause with the same verb keeps its comma: no "、" inside a "、" list
    ("与邻县交叉执法，与公安、交警联合执法", "开展与邻县交叉执法，与公安、交警联合执法"),
    ("违法用地整治“回头看”，复查图斑12个", "开展违法用地整治“回头看”工作，复查图斑12个"),
    (
        "队员培训4天，还有法治集中培训2批次",
        "组织队员开展为期4天的培训，组织开展法治集中培训2批次",
    ),  # no verb before 还有
]


@pytest.mark.parametrize(("line", "written"), DAMAGE_CASES)
def test_damage_cases(line, written):
    out = phrase(line)
    assert not rewrite_problems(line, out, written)
    assert all(has_predicate(c) for c in re.split(r"[，；。]", out) if c)  # every clause has its verb


def test_spoken_taken_up_becomes_the_verb():
    spoken = "明年把信用监管搞起来"
    out = phrase(to_written(spoken).text)
    assert not _like(spoken, out, "明年开展信用监管") and "把" not in out
    line = "宣传：发放资料8000份，开展讲座3场"
    assert not _like(line, clause_of(Fact(line, "", "k")), "开展宣传活动，发放资料8000份，开展讲座3场")


def _ctx(facts, **kw):
    base = dict(
        key="measures.enforcement",
        heading="（二）严格规范公正文明执法",
        title="严格规范公正文明执法",
        unit="某县水利局",
        year=2024,
        level=2,
        facts=facts,
        sources=[],
        leads=["{we}坚持严格规范公正文明执法。"],
    )
    base.update(kw)
    return SectionContext(**base)


def test_groups_follow_the_notes_headings_then_topics():
    facts = [
        Fact("河道巡查1200公里", "", "k", ["1200公里"], headings=["执法", "河湖巡查"]),
        Fact("立案查处非法采砂3起", "", "k", ["3起"], headings=["执法", "案件办理"]),
        Fact("罚款4.2万元", "", "k", ["4.2万元"], headings=["执法", "案件办理"]),
    ]
    groups = plan_groups(facts)
    assert [g.lead for g in groups] == ["河湖巡查", "案件办理"] and len(groups[1].facts) == 2
    flat = [Fact(t, "", "k") for t in ("查处案件5件", "罚款2万元", "开展双随机抽查8次", "推行说理式执法")]
    topics = plan_groups(flat)
    assert len(topics) >= 2 and all(g.lead for g in topics)


def test_a_topic_of_speech_the_heading_says_is_not_repeated():
    fact = Fact("学法的话中心组学了4次", "", "k", ["4次"])
    ctx = _ctx([fact], heading="（二）抓好学法用法，提升法治素养")
    assert not _like(fact.text, clause_of(fact, ctx), "组织开展中心组学习4次")
    assert "学法" not in clause_of(fact, ctx)  # the heading says the topic
    other = _ctx([fact], heading="（五）深入推进法治宣传教育")
    assert clause_of(fact, other).startswith("在学法方面，")  # elsewhere the topic is said, in 公文 form
    # A topic the notes name the section by (its alias), not a word of its heading.
    told = Fact("普法方面送法进村42场", "", "k", ["42场"])
    publicity = _ctx([told], key="measures.publicity", heading="（五）深入推进法治宣传教育")
    assert not _like(told.text, clause_of(told, publicity), "送法进村42场")
    assert "普法" not in clause_of(told, publicity)
    assert clause_of(told, _ctx([told])).startswith("在普法方面，")
    run_on = Fact("信访方面接了来信来访126件", "", "k", ["126件"])
    assert not _like(run_on.text, clause_of(run_on, _ctx([run_on])), "在信访方面，受理来信来访126件")


def test_topic_is_the_head_not_a_modifier_of_a_place_or_body():
    bank = phrase_bank(str(DEFAULT_OUTLINE))
    assert topic_of("检查养老培训机构52家次，责令整改9家", bank) == topic_of("检查养老院52家次", bank)
    assert topic_of("检查养老培训机构52家次", bank) != topic_of("组织开展护理员培训3期", bank)
    assert topic_of("建成智慧监管平台", bank) == topic_of("建成智慧养老系统", bank)


def test_openings_vary_and_only_the_first_sub_section_names_the_bureau():
    facts = [Fact("立案查处非法采砂3起", "", "k", ["3起"])]
    first = OfflineEngine().write(_ctx(facts, heading="（一）严格规范公正文明执法"))
    second = OfflineEngine().write(_ctx(facts))
    again = OfflineEngine().write(_ctx(facts, variant=1))
    assert first.startswith("我局") and not second.startswith("我局") and again != second


def test_statute_cited_only_for_the_sentence_it_supports():
    src = Source(1, "中华人民共和国水法", "law", "第三十九条", "国家实行河道采砂许可制度", role="basis")
    facts = [Fact("开展防汛演练2次", "", "k", ["2次"]), Fact("核发河道采砂许可证3个", "", "k", ["3个"])]
    text = OfflineEngine().write(_ctx(facts, sources=[src]))
    assert "核发河道采砂许可证3个[1]。" in text and text.count("[1]") == 1
    unrelated = OfflineEngine().write(_ctx(facts[:1], sources=[src]))
    assert "[1]" not in unrelated


WORDS = ["检查", "案件", "培训", "工单", "预案", "许可证", "宣传册", "会议", "车辆", "企业", "罚款", "平台"]
UNITS = ["件", "次", "个", "家", "场", "份", "辆次", "万元", "%", "人次", "张"]
SPOKEN = ["搞了", "做了", "罚了", "都", "这块", "我们", "去年", "没有", "跟", "的案子"]
WORDS += ["整治", "宣传", "监管", "创建", "攻坚"]
LABELS = ["", "", "三亮：", "宣传：", "信用监管：", "整治“回头看”：", "制度：", "与公安联合执法："]


def test_property_no_number_the_facts_do_not_hold():
    """Random note lines through the whole composer: every number written is a number of the facts."""
    rng = random.Random(8)
    for _ in range(150):
        facts = []
        for _ in range(rng.randint(1, 6)):
            parts = []
            for _ in range(rng.randint(1, 3)):
                figure = (
                    f"{rng.choice([rng.randint(1, 9999), round(rng.uniform(0, 500), 1)])}{rng.choice(UNITS)}"
                )
                shape = rng.randrange(4)
                if shape == 0:
                    parts.append(f"{rng.choice(SPOKEN)}{rng.choice(WORDS)}{figure}")
                elif shape == 1:  # a table row's label and value split apart by the reader
                    parts.append(f"{rng.choice(WORDS)}，{figure}")
                elif shape == 2:  # an object put first, with a figure or not
                    parts.append(f"{rng.choice(WORDS)}{rng.choice(['按要求落实', '按时推送平台'])}{figure}")
                else:
                    parts.append(f"{rng.choice(WORDS)}{figure}：{rng.choice(WORDS)}{figure}")
            text = rng.choice(LABELS) + "，".join(parts)
            facts.append(Fact(text, text, "k", [f.text for f in find_figures(text)]))
        key = rng.choice(["measures.enforcement", "shortcomings", "plans", "other"])
        out = OfflineEngine().write(_ctx(facts, key=key, year=2024, variant=rng.randint(0, 3)))
        allowed = {f.number for fact in facts for f in find_figures(fact.text)} | {"2023", "2024", "2025"}
        written = set(re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?m)^\d+、", "", out)))
        assert written <= allowed, (facts, out)
        for fact in facts:
            for fig in fact.figures:
                assert fig in out, (fig, out)


def test_clause_of_office_and_topic_labels():
    for line, reviewed in (
        ("办公室：人大建议办了9件", "办理人大建议9件"),  # who reported it goes, the verb goes first
        ("问题：人员少", "人员较少"),
        ("双随机：抽查商户40家", "落实“双随机”要求，抽查商户40家"),  # a coined practice is carried out
    ):
        out = clause_of(Fact(line, "", "k"))
        assert not _like(line, out, reviewed) and "：" not in out, (line, out)


def _law(title: str, year: int | None, text: str = "行政处罚遵循公正、公开的原则") -> Passage:
    return Passage(Chunk("id-" + title, title, "law", year, "全国人大常委会", "第五条", "", text, 0), 1.0)


def test_statute_in_the_version_in_force_in_the_report_year():
    hits = [
        _law("中华人民共和国道路运输条例（2023年修订）", 2023),
        _law("中华人民共和国道路运输条例（2022年修订）", 2022),
        _law("中华人民共和国道路运输条例（2019年修订）", 2019),
        _law("优化营商环境条例", 2019),
        _law("某省规定", None),
    ]
    titles = [h.title for h in in_force(hits, 2022)]
    assert titles == ["中华人民共和国道路运输条例（2022年修订）", "优化营商环境条例", "某省规定"]
    assert [h.title for h in in_force(hits, 2021)][0] == "中华人民共和国道路运输条例（2019年修订）"
    assert "中华人民共和国道路运输条例（2023年修订）" in [h.title for h in in_force(hits, 2024)]


def test_another_units_report_is_never_cited_wording():
    chunk = Chunk(
        "c",
        "东昌府区交通运输局2023年法治政府建设情况报告",
        "report",
        2023,
        "东昌府区交通运输局",
        "一（四）",
        "",
        "x",
        0,
    )
    prior = PriorSection("measures.enforcement", "（四）", "一（四）", [chunk])
    assert same_unit(prior, "东昌府区交通运输局")
    assert not same_unit(prior, "某县交通运输局")


PAST = (
    "全年林木采伐许可证核发412个，其中网上核发390个。组织开展林区巡查检查86次，查处滥伐案件19起，"
    "罚款金额23.5万元。"
)


def test_patterns_lend_wording_never_figures():
    mined = patterns.mine(PAST, year=2023)
    assert all(not re.search(r"\d", re.sub(r"\{\d+\}", "", p.template)) for p in mined)
    # Same nouns, same measure word: the pattern's 全年 is lent, the figure is the fact's.
    assert patterns.apply("林木采伐许可证核发377个", mined, year=2024) == "全年林木采伐许可证核发377个"
    # A pattern word the fact does not hold (网上, 查处) would change the claim: no match.
    assert patterns.apply("核发180个", mined, year=2024) is None
    assert patterns.apply("检查滥伐案件7起", mined, year=2024) is None
    ctx = _ctx(
        [Fact("林木采伐许可证核发377个，罚款金额8.1万元", "", "k", ["377个", "8.1万元"])],
        prior_text=PAST,
        key="measures.functions",
    )
    out = OfflineEngine().write(ctx)
    assert "全年林木采伐许可证核发377个" in out
    for figure in ("412", "390", "86", "19", "23.5"):
        assert figure not in out


def test_clauses_that_need_no_verb():
    for clause in (
        "执法人员只有23人",  # a count of staff, not a dispatch
        "依托政务服务平台",  # an adverbial opening
        "共培训210人次",  # 共 + verbal noun counts what was done
        "县仲裁院被评为全省先进",
        "安全生产执法检查企业1186家次",  # a verb compound with its object
    ):
        assert clause_from_fragment(clause) == ("", clause), clause
    assert (
        phrase("发资料8000份") == "发资料8000份"
        or phrase(to_written("发资料8000份").text) == "发放资料8000份"
    )


def test_short_counts_of_adjacent_lines_make_one_sentence():
    from drafting.engines.offline.compose import sentences_of

    def fact(text, line_no, figures):
        return Fact(text=text, raw=text, key="measures.enforcement", figures=figures, line_no=line_no)

    rows = [
        fact("检查企业1186家次", 3, ["1186家次"]),
        fact("发现隐患4321条", 4, ["4321条"]),
        fact("实施行政处罚96件", 6, ["96件"]),
        fact("聘请执法监督员12名，公开监督电话，每季度召开一次监督员座谈会", 7, ["12名"]),
        fact("罚款213.8万元", 20, ["213.8万元"]),
    ]
    ctx = _ctx(rows)
    text = sentences_of(rows, ctx, [])
    assert "检查企业1186家次，发现隐患4321条，实施行政处罚96件。" in text
    assert "。聘请执法监督员12名" in text  # a long line is a sentence of its own
    assert text.endswith("。罚款213.8万元。")  # a line far from the others is not joined to them


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("开展林地巡护，开展防火宣传", "开展林地巡护、防火宣传"),
        ("组织开展水政培训2次，组织开展防汛演练3次", "组织开展水政培训2次、防汛演练3次"),
        ("修订审计制度5项，修订内控规程3个。", "修订审计制度5项、内控规程3个。"),
        ("全年开展医保稽核，开展飞行检查", "全年开展医保稽核、飞行检查"),  # a time before the first verb
        ("出台《河道管理办法》，出台《取水许可细则》", "出台《河道管理办法》《取水许可细则》"),
        # Left as they are: a count beside none, a preposition, an object with a verb of its own, a second time,
        # a different verb, clauses across "；".
        ("开展医保稽核12次，开展政策宣传", "开展医保稽核12次，开展政策宣传"),
        ("开展与公安联合执法，开展与市场监管联合检查", "开展与公安联合执法，开展与市场监管联合检查"),
        ("开展稽核发现问题，开展整改", "开展稽核发现问题，开展整改"),
        ("开展林地巡护，下半年开展防火宣传", "开展林地巡护，下半年开展防火宣传"),
        ("开展林地巡护，组织防火宣传", "开展林地巡护，组织防火宣传"),
        ("开展林地巡护；开展防火宣传", "开展林地巡护；开展防火宣传"),
    ],
)
def test_a_verb_repeated_at_the_head_of_adjacent_clauses_is_said_once(text, written):
    assert not _like(text, share_verb(text), written)
