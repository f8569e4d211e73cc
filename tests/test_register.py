"""The register table on judgements of shortfalls (drafting/register.py, "# Judgements of shortfalls.").

Table-driven, on lines in the wording of bureaus none of the bench notes come from (民政局, 文旅局, 统计局,
退役军人事务局, 档案馆 …); each row names the rule it checks, and the damage rows check what must stay as it is.
A row's written form is a reviewed one, not a pin: a rewrite passes when it keeps its figures and negations and
drops the words of speech it dropped (tests/prose_properties.py); exact wording is pinned only by the rules'
own example rows (drafting/engines/offline/rules/*.toml).
"""

from __future__ import annotations

from collections import Counter

import pytest
from prose_properties import rewrite_problems

from drafting.engines.offline.register import close_lists, to_written
from drafting.text.numbers import find_figures

# (spoken, written, unit)
SHORTFALL_CASES = [
    # 只有/就 + a head count → 仅.
    ("养老服务中心护理员只有6人，床位有120张", "养老服务中心护理员仅6人，床位有120张", "某县民政局"),
    ("就业困难人员只有12人", "就业困难人员仅12人", "某县人力资源和社会保障局"),
    # "一个" + noun + 就 + a head count is said of every one; V不过来 → 难以 + the written verb.
    (
        "一个服务站就1个人，来访多的时候管不过来",
        "每个服务站仅1个人，来访较多时难以兼顾",
        "某区退役军人事务局",
    ),
    ("节假日游客多，执法队员忙不过来", "节假日游客较多，执法队员难以应对", "某县文化和旅游局"),
    # 太 + an adjective → 偏/过.
    # 翻了N倍 → 增长N倍; 以后 after an event → 后; 不够 ending a judgement → 不足.
    (
        "优抚对象信息采集以后数据量翻了两倍，经办人员不够",
        "优抚对象信息采集后数据量增长两倍，经办人员不足",
        "某区退役军人事务局",
    ),
    ("2022年以后新建的场馆", "2022年后新建的场馆", "某县文化和旅游局"),
    # 要 + a workload with a figure, inside the line → 需; a bare degree predicate → 较.
    (
        "服务站只有3名专职人员，要负责全镇2100名退役军人的服务保障，压力大",
        "服务站仅3名专职人员，需负责全镇2100名退役军人的服务保障，压力较大",
        "某区退役军人事务局",
    ),
    ("档案员只有2人，要管全馆9万卷档案", "档案员仅2人，需监管全馆9万卷档案", "某县档案馆"),
    # 的问题还有/还存在 → 等问题仍然存在; 还有 + a trouble word → 仍存在.
    ("部分普查员填报还有差错", "部分普查员填报仍存在差错", "某县统计局"),
    ("殡葬服务收费不透明的问题还有", "殡葬服务收费不透明等问题仍然存在", "某县民政局"),
    # 新人 with an amount → 新进人员; a vehicle word cut from its noun → 车辆.
    ("去年机构改革以后新人多", "2023年机构改革后新进人员较多", "某县文化和旅游局"),
    ("巡查车也老化了", "巡查车辆也老化", "某县文化和旅游局"),
    # Unfinished and finished: 还做不到 → 尚不能实现, 没法 → 无法, V完 → V完成, 都搞了 → 均已开展.
    ("档案数字化还做不到", "档案数字化尚不能实现", "某县档案馆"),
    ("低保数据没法跨部门比对", "低保数据无法跨部门比对", "某县民政局"),
    ("普查底册2024年6月整理完", "普查底册2024年6月整理完成", "某县统计局"),
    ("政策宣讲、入户走访都搞了", "政策宣讲、入户走访均已开展", "某区退役军人事务局"),
    ("经费用完了", "经费用完", "某县统计局"),  # a one-character verb: "用完成" is no word
    # 不够 ending a judgement: after a verb 不充分, after 还 仍显不足; V不了 with a one-character verb → 无法V.
    ("村级文化协管员作用发挥不够", "村级文化协管员作用发挥不充分", "某县文化和旅游局"),
    ("统计执法力量还不够", "统计执法力量仍显不足", "某县统计局"),
    ("老档案扫描件上不了平台", "老档案扫描件无法上平台", "某县档案馆"),
    ("这项经费少不了", "这项经费少不了", "某县民政局"),  # a set word: its 了 stays
    # 才/已 + 完 → 完成; 谈 with a party → 洽谈.
    ("场馆改造2023年底才完", "场馆改造2023年底完成", "某县文化和旅游局"),
    ("正在与软件公司谈系统升级", "正在与软件公司洽谈系统升级", "某县统计局"),
    ("找当事人谈", "找当事人谈", "某县民政局"),  # no party to talks with: no 洽谈
    ("参加人数不太多", "参加人数不太多", "某县文化和旅游局"),  # negated: no "不过多"
    # 是 + a date + …的: 于 + the date; 合起来 → 整合.
    ("服务中心是2023年6月机构改革后才挂牌的", "服务中心于2023年6月机构改革后挂牌", "某县民政局"),
    ("两个调查队是去年合起来的", "两个调查队于2023年整合", "某县统计局"),
    ("这是2023年的数据", "这是2023年的数据", "某县统计局"),  # not a clause end: no 是……的 of speech
    ("把学习和实践结合起来", "把学习和实践结合起来", "某县民政局"),
    # Damage cases: a word holding the spoken characters, a condition, a preposition, a title, a quoted term.
    ("就3个议题进行协商", "就3个议题进行协商", "某县民政局"),
    ("只有加强培训才能提高能力", "只有加强培训才能提高能力", "某县统计局"),
    ("学习《只有一个地球》读本", "学习《只有一个地球》读本", "某县文化和旅游局"),
    ("破解“人少事多”难题", "破解“人少事多”难题", "某县民政局"),
    ("开展太极拳比赛3场", "开展太极拳比赛3场", "某县文化和旅游局"),
    ("宣传不够深入", "宣传不够深入", "某县统计局"),
    ("一个窗口就办结", "一个窗口办结", "某县民政局"),  # no head count: "一个" stays
    ("图书馆以前的藏书", "图书馆以前的藏书", "某县文化和旅游局"),
    ("2024年要完成3项普查", "2024年要完成3项普查", "某县统计局"),  # an intention, not a workload
    ("人少事多", "人少事多", "某县民政局"),  # a set phrase: no "较" inside it
]


@pytest.mark.parametrize(("spoken", "written", "unit"), SHORTFALL_CASES)
def test_shortfall_register(spoken, written, unit):
    assert not rewrite_problems(spoken, to_written(spoken, unit=unit, year=2024).text, written)


@pytest.mark.parametrize(("spoken", "written", "unit"), SHORTFALL_CASES)
def test_shortfall_register_keeps_every_figure(spoken, written, unit):
    """No rule adds, drops or alters a figure (a relative year resolved to the report's year aside)."""
    out = to_written(spoken, unit=unit, year=2024).text
    before = Counter(f.text for f in find_figures(spoken.replace("去年", "2023年"), year=2024))
    assert Counter(f.text for f in find_figures(out, year=2024)) == before


# A demonstrative of speech that closes a list (or names one item's kind) → 等; one that points stays.
LIST_CLOSING_CASES = [
    ("水库、河道、堤防这几类工程要再排查", "水库、河道、堤防等工程要再排查"),
    ("取水许可和河道采砂这些要规范", "取水许可和河道采砂等要规范"),
    (
        "水土保持补偿费征收这几项工作",
        "水土保持补偿费征收等工作",
    ),  # an event named: jieba's verb is a noun here
    ("医保、民政几个窗口", "医保、民政等窗口"),  # after a 、-list even a bare 几个 closes it
    # Left as they are: a demonstrative that points after a verb, a preposition, an adverb or a possessive,
    # at a clause's start, and in a clause that counts.
    ("要解决这些问题", "要解决这些问题"),
    ("针对这些问题", "针对这些问题"),
    ("对这些企业开展检查", "对这些企业开展检查"),
    ("落实好这些要求", "落实好这些要求"),
    ("群众的这些诉求", "群众的这些诉求"),
    ("这些年来", "这些年来"),
    ("水库、河道这些，还有堤防要排查", "水库、河道这些，还有堤防要排查"),  # the plan reader joins the list
    ("养老院这几类机构检查了30家", "养老院这几类机构检查了30家"),
]


@pytest.mark.parametrize(("spoken", "written"), LIST_CLOSING_CASES)
def test_a_demonstrative_closes_a_list_but_one_that_points_stays(spoken, written):
    assert close_lists(spoken) == written


# (spoken, written): a topic said with 方面 at a clause's start, the main task said with 主要是, a task 弄好了.
TOPIC_CASES = [
    ("林政方面办理采伐许可312件", "在林政方面，办理采伐许可312件"),
    ("防火这块今年巡山1200人次", "在防火方面，2024年巡山1200人次"),  # 这块 before a non-predicate
    ("执法方面主要是林木采伐检查，查处案件9起", "在执法方面，重点做好林木采伐检查工作，查处案件9起"),
    ("防火这块巡山1200人次", "在防火方面，巡山1200人次"),  # 这块 before a verb: a topic said first
    ("林政这块办了采伐许可312件", "在林政方面，办理采伐许可312件"),
    ("护林站这块已经全覆盖", "护林站已实现全覆盖"),  # before an adverb: the subject
    ("监测系统这块上线了", "监测系统上线"),  # a system does it
    ("防火这块抓得紧", "防火抓得紧"),  # a degree said of the topic
    ("主要是古树名木保护工作", "重点做好古树名木保护工作"),
    ("护林站都弄好了", "护林站均已完成"),
    ("护林员分工里明确了巡护责任", "护林员分工中明确了巡护责任"),
    ("系统里录入采伐证", "系统中录入采伐证"),
    ("县里要求", "县里要求"),  # the county government: one word
    ("防火宣传进了14个行政村", "防火宣传深入14个行政村"),
    ("局长在林业工作会上述了法", "局长在林业工作会上述法"),  # 了 splits the verb; jieba cuts 上述|了法
    ("碰到火情及时处置", "遇到火情及时处置"),
    ("护林员去林场培训", "护林员到林场培训"),
    ("林权改革9月才收尾", "林权改革9月才完成"),
    ("去年", "2023年"),  # 去 of 去年 is no going
    # Left as they are: 方面 after a determiner or a verb, a part's own name, a judgement after 主要是.
    ("自觉接受各方面监督", "自觉接受各方面监督"),
    ("这方面做得不够", "这方面做得不够"),
    ("多方面开展宣传", "多方面开展宣传"),
    ("其他方面还有", "其他方面还有"),
    ("问题主要是护林员年龄偏大", "问题主要是护林员年龄偏大"),
    ("主要是人员不足", "主要是人员不足"),
]


@pytest.mark.parametrize(("spoken", "written"), TOPIC_CASES)
def test_topics_and_tasks_of_speech_in_written_form(spoken, written):
    assert not rewrite_problems(spoken, to_written(spoken, unit="某县林业局", year=2024).text, written)


# (spoken, written, unit): verbs, clause endings and words of speech, in the words of bureaus none of the bench
# notes come from (农业农村局, 气象局, 粮食和物资储备局, 商务局, 人防办, 城市管理局).
SPOKEN_CASES = [
    # One-character verbs + 了 → the written verb their object calls for.
    ("农药经营许可批了46家", "农药经营许可审批46家", "某县农业农村局"),
    ("年初印了农机安全监管工作方案", "年初印发农机安全监管工作方案", "某县农业农村局"),
    ("组织执法人员学《气象灾害防御条例》", "组织执法人员学习《气象灾害防御条例》", "某县气象局"),
    ("施放气球检查记录都按程序报上去了", "施放气球检查记录均按程序上报", "某县气象局"),
    ("请市气象局的专家来讲了一回气象法", "邀请市气象局的专家讲授一次气象法", "某县气象局"),
    ("种子质量抽检搞了40批次", "种子质量抽检40批次", "某县农业农村局"),  # the verb is already said
    ("局务会开了2次会研究人防工程审批", "局务会召开2次会议研究人防工程审批", "某县人民防空办公室"),
    ("储备粮库存检查覆盖率到了95%", "储备粮库存检查覆盖率达95%", "某县粮食和物资储备局"),
    ("收公共资源交易服务费37.5万元", "征收公共资源交易服务费37.5万元", "某县机关事务管理局"),
    ("技术合同认定登记率要到90%", "技术合同认定登记率要达到90%", "某县科学技术局"),
    ("科技特派员联络机制搞起来", "开展科技特派员联络机制", "某县科学技术局"),
    # Clauses of speech: 还是……的, 没有……的, "X没有", 都过了……会, 把……搞起来.
    ("乡镇农技员大部分还是兼职的", "乡镇农技员大部分仍为兼职", "某县农业农村局"),
    ("储备粮全部按期轮换，没有超期的", "储备粮全部按期轮换，未出现超期情况", "某县粮食和物资储备局"),
    ("行政复议2件；行政诉讼没有", "行政复议2件；无行政诉讼", "某县气象局"),
    ("人防工程竣工验收都过了联审会", "人防工程竣工验收均经联审会审议", "某县人民防空办公室"),
    ("明年把农资打假培训搞起来", "2025年开展农资打假培训", "某县农业农村局"),
    # Judgements of shortfalls.
    ("有的网格员业务不熟", "部分网格员业务不熟悉", "某县城市管理局"),
    ("二是有的协管员年纪大，法律知识不够", "二是部分协管员年龄偏大，法律知识不足", "某县城市管理局"),
    ("懂农业的懂法律的都少", "懂农业的懂法律的均较少", "某县农业农村局"),
    ("商务执法专业人员缺", "商务执法专业人员紧缺", "某县商务局"),
    ("商户多（全县3000多户），靠人查查不过来", "商户较多（全县3000多户），靠人难以全面检查", "某县商务局"),
    # Damage cases: a count of meetings, a question, a set word, an intention, a verb that is said once.
    ("开过了两次会", "开过了两次会", "某县人民防空办公室"),
    ("请示报告3份", "请示报告3份", "某县商务局"),
    ("还是要加强培训", "还是要加强培训", "某县农业农村局"),
    ("查查资料", "查查资料", "某县气象局"),
    ("这个还是对的", "这个还是对的", "某县商务局"),
    ("所有的商户", "所有的商户", "某县商务局"),  # 有的 inside 所有的: not "部分"
    ("收到群众来信15件", "收到群众来信15件", "某县科学技术局"),
]


@pytest.mark.parametrize(("spoken", "written", "unit"), SPOKEN_CASES, ids=[c[0] for c in SPOKEN_CASES])
def test_spoken_register(spoken, written, unit):
    assert not rewrite_problems(spoken, to_written(spoken, unit=unit, year=2024).text, written)


@pytest.mark.parametrize(("spoken", "written", "unit"), SPOKEN_CASES, ids=[c[0] for c in SPOKEN_CASES])
def test_spoken_register_keeps_every_figure(spoken, written, unit):
    out = to_written(spoken, unit=unit, year=2024).text
    before = Counter(f.text for f in find_figures(spoken.replace("明年", "2025年"), year=2024))
    assert Counter(f.text for f in find_figures(out, year=2024)) == before
