"""Figures: find them, compare them, never change them.

A figure is a number with its unit word ("326件", "218.6万元", "100%", "十五次"). Checks compare figures
and bare numbers with digit boundaries, so "6件" is never found inside "326件".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Longest first so "万元" wins over "万" and "人次" over "人".
UNITS = sorted(
    """万元 亿元 千元 元 个百分点 百分点 人次 辆次 车次 家次 批次 场次 件次 架次 户次 余人次 余人 余件 余次 余家 余份
    余个 余万元 多万元 多人 多家 多次 多件 个 件 次 家 人 辆 吨 天 项 条 场 份 名 起 张 期 篇 户 台 套 所 处 公里 千米
    米 小时 分钟 周 个月 月 日 年 万 亿 % ％ 倍 类 支 部 本 册 块 座 间 路 号 批 轮 组 站 艘 单 宗 笔 元钱 平方米 亩
    册 幅 条次 期次 卷""".split(),
    key=len,
    reverse=True,
)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"

# Thousands separators are part of a figure as written ("12,307辆"): kept, never stripped. A digit and one capital
# letter name a thing ("5G终端", "4K屏", "3D打印"), not a count.
ARABIC = re.compile(
    rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])(?![A-Z](?![A-Za-z]))\s*((?:{_UNIT_RE})?)"
)
# Chinese numerals count as figures only when two or more long or approximate, with a unit word ("十五次",
# "两千余份", "百余人次"); single ones are part of set phrases ("三项制度", "一件事", "一法两条例").
# Speech rounds with 来 after a round place ("十来件", "二十来家", "百来人"): an approximate figure like 余 and 多.
CHINESE = re.compile(
    rf"(?<![{CN_DIGITS}])([{CN_DIGITS}]{{2,}}|[{CN_DIGITS}](?=[余多]|(?<=[十百千万])来))(余|多|(?<=[十百千万])来)?"
    rf"((?:{_UNIT_RE}))"
)
# A share in tenths said aloud ("占两成", "七成以上") is a figure; "一成不变" and 成员/成为/成本… are words.
TENTHS = re.compile(
    rf"(?<![{CN_DIGITS}\d])([二两三四五六七八九])成(?![员为立功本果绩熟型交就效长品年人都分材套批片文规色群])"
)
TITLE_SPAN = re.compile(r"《[^》]*》")
CITATION = re.compile(r"\[(\d+)\]")
# "11是" at the start of a clause is the eleventh point (an ordinal), not a figure: masked like an item label.
ITEM_LABEL = re.compile(r"(?:^|(?<=[\n。；：]))\s*(?:[（(]\d+[）)]|\d+[、.．](?!\d)|\d{1,2}是(?![\d万亿]))")
# A label that numbers its items ("不足1：", "2023年安排2：", "问题3:"): the digits after the label word, before
# the colon that ends the label, count items and are not a figure.
NUMBERED_LABEL = re.compile(
    r"(?:^|(?<=[\n。；]))[^\S\n]*[^\n。；：:，,]{0,10}?[\u4e00-\u9fff](\d{1,2})[^\S\n]*(?=[：:])"
)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# A figure given as approximate says so in a word before it ("约12次", "大概150人", "差不多有150人", "将近200人")
# or after it ("150人左右", "40余起", "30多家", "三十出头"), read as whole words: "签约30家" and "节约12万元" are
# exact. "近3年" is the last three years, not about three.
HEDGES_BEFORE = frozenset("约 大约 大概 大致 约莫 差不多 将近 接近 近 估计".split())
_HEDGE_TAIL = re.compile(r"(?:约|概|致|莫|差不多|近|估计)(?:有|为|达|是)?$")
_HEDGE_AFTER = re.compile(r"(?:左右|上下(?![\u4e00-\u9fff])|出头)")
# 余/多/来 between a number and its unit word ("40余起", "10来件"), where the unit list does not hold them.
_MARK_AFTER = re.compile(r"[余多来](?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Figure:
    text: str  # as written, e.g. "218.6万元"
    number: str  # the numeric part, e.g. "218.6"
    unit: str
    start: int
    chinese: bool = False
    approximate: bool = (
        False  # given as about so much (约/左右/余/多/来, a share in tenths): not an exact count
    )


def normalise_digits(text: str) -> str:
    """Full-width digits to ASCII and a full-width point between digits to "."; the value never changes."""
    text = text.translate(_FULLWIDTH_DIGITS)
    return re.sub(r"(?<=\d)[．｡](?=\d)", ".", text)


def mask_non_figures(text: str) -> str:
    """Blank out what is not a figure: 《titles》, [n] markers and item labels (1、 （2）), keeping offsets."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    text = TITLE_SPAN.sub(blank, text)
    text = CITATION.sub(blank, text)
    text = NUMBERED_LABEL.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + " " * len(m.group(1)), text)
    return ITEM_LABEL.sub(blank, text)


def find_figures(text: str, *, year: int | None = None, mask: bool = True) -> list[Figure]:
    """Every figure in text; with `year`, the report's own years (year-1..year+1 followed by 年) are skipped."""
    scan = mask_non_figures(text) if mask else text
    found: list[Figure] = []
    for m in ARABIC.finditer(scan):
        number, unit = m.group(1), m.group(2)
        if year is not None and _is_report_year(number, unit, year):
            continue
        found.append(Figure(text=number + unit, number=number, unit=unit, start=m.start()))
    for m in CHINESE.finditer(scan):
        number = m.group(1) + (m.group(2) or "")
        found.append(
            Figure(text=number + m.group(3), number=number, unit=m.group(3), start=m.start(), chinese=True)
        )
    for m in TENTHS.finditer(scan):
        found.append(Figure(text=m.group(0), number=m.group(1), unit="成", start=m.start(), chinese=True))
    found.sort(key=lambda f: f.start)
    return [replace(f, approximate=True) if _approximate(text, f) else f for f in found]


def _approximate(text: str, fig: Figure) -> bool:
    """Whether the figure is given as approximate: by its own marker (百余人, 30多家, 十来件, 两成) or a hedge word
    right before or after it."""
    end = fig.start + len(fig.text)
    if fig.unit == "成" or fig.number.endswith(("余", "多", "来")) or fig.unit.startswith(("余", "多")):
        return True
    if _HEDGE_AFTER.match(text, end) or (not fig.unit and _MARK_AFTER.match(text, end)):
        return True
    window = text[max(0, fig.start - 8) : fig.start]
    if not _HEDGE_TAIL.search(window):
        return False
    from drafting.text.tokens import tokens  # jieba only where a hedge may stand: 约 of 签约 is no hedge

    words = [w for w, _f in tokens(window) if w.strip()]
    if len(words) >= 2 and words[-1] in ("有", "为", "达", "是"):
        words.pop()
    if not words or words[-1] not in HEDGES_BEFORE:
        return False
    return not (words[-1] == "近" and fig.unit == "年")


def _is_report_year(number: str, unit: str, year: int) -> bool:
    return len(number) == 4 and number.isdigit() and abs(int(number) - year) <= 1 and unit in ("年", "")


def contains_figure(text: str, figure: str) -> bool:
    """True when `figure` occurs in text as a whole figure: "6件" is not inside "326件" nor "6件次"."""
    fig = figure.replace("％", "%")
    hay = text.replace("％", "%")
    lead = r"(?<![\d.])(?<!\d,)" if fig[:1].isdigit() else rf"(?<![{CN_DIGITS}])"
    tail = r"(?![\d]|,\d)" if fig[-1:].isdigit() else ""
    return re.search(lead + re.escape(fig) + tail, hay) is not None


def numbers_in(text: str, *, year: int | None = None) -> set[str]:
    """The numeric parts of every figure (bare numbers included), for support checks."""
    return {f.number for f in find_figures(text, year=year)}


def figure_texts(text: str, *, year: int | None = None, with_unit_only: bool = False) -> list[str]:
    out = []
    for f in find_figures(text, year=year):
        if with_unit_only and not f.unit:
            continue
        if f.text not in out:
            out.append(f.text)
    return out


def cn_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十: a count or an ordinal written in Chinese (cn2an)."""
    import cn2an

    return cn2an.an2cn(n)


def cn_digits(number: int | str) -> str:
    """2024 → 二〇二四: a year read digit by digit, as a 公文 date writes it."""
    import cn2an

    return cn2an.an2cn(str(number), "direct").replace("零", "〇")


def cn_value(numeral: str) -> int | None:
    """ "十一" → 11, "7" → 7; None when the text is no numeral (cn2an)."""
    import cn2an

    try:
        value = cn2an.cn2an(numeral.strip(), "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if value == int(value) else None
