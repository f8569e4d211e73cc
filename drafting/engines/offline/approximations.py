"""An approximate figure in the words of a report: "大概12次" → "约12次", "差不多150人左右" → "150人左右",
"十来件" → "十余件", "占两成" → "约占两成", "三十出头" → "三十余".

An approximation is no doubt: the figure is written, with one marker that says it is approximate (约/近 before it,
左右/余/多 after it), never two ("约150人左右"), never none. The value and its unit word are never changed.
"""

from __future__ import annotations

import re

from drafting.text.numbers import find_figures
from drafting.text.tokens import tokens

# Hedges of speech before a figure and their written form; 约 and 近 are written already.
WRITTEN_BEFORE = {"大概": "约", "大约": "约", "差不多": "约", "约莫": "约", "大致": "约", "将近": "近"}
BEFORE = re.compile(r"(?P<hedge>大概|大约|差不多|约莫|大致|将近|约|近)(?P<verb>有|为|达|是)?$")
AFTER = re.compile(r"左右|上下(?![\u4e00-\u9fff])|出头")
# A share in tenths with its own bound or hedge ("七成以上", "超过两成", "近三成") says how near it is already.
TENTHS_BOUNDED_AFTER = re.compile(r"[以多余左上]")
TENTHS_BOUNDED_BEFORE = re.compile(r"(?:约|近|超|逾|超过|不到|不足|达到约)$")
# A clause that hedges already ("差不多完成了任务的九成") is not given a second hedge.
HEDGED = re.compile(r"差不多|大概|大约|大致|约莫|将近|左右")
CN = "零〇一二两三四五六七八九十百千"
# "三十出头" has no unit word, so it is no figure the finder reads; "三十余" says the same in writing.
ROUND_TENS_OVER = re.compile(rf"(?<![{CN}\d])([一二两三四五六七八九]?十|[1-9]0)出头")
# "大概三次": a single numeral with its unit, which the finder leaves to set phrases ("三项制度").
SINGLE_COUNT = re.compile(
    r"(大概|大约|差不多|约莫|大致)(?=(?:有|为|达)?[一二两三四五六七八九十][次件个人家起项场名份条篇期])"
)


def _hedge_before(text: str, start: int) -> re.Match[str] | None:
    """The hedge word that ends right before `start`, as a word of its own (约 of 签约 or 节约 is none)."""
    m = BEFORE.search(text[max(0, start - 6) : start])
    if m is None:
        return None
    window = text[max(0, start - 8) : start]
    words = [w for w, _f in tokens(window) if w.strip()]
    if m["verb"] and words and words[-1] == m["verb"]:
        words.pop()
    return m if words and words[-1] == m["hedge"] else None


def written_approximations(text: str, *, year: int | None = None) -> str:
    """Every approximate figure of `text` with one written marker; the rest of the text unchanged."""
    for fig in reversed(find_figures(text, year=year)):
        if not fig.approximate:
            continue
        start, end = fig.start, fig.start + len(fig.text)
        number, unit = fig.number, fig.unit
        if number.endswith("来"):
            number = number[:-1] + "余"  # "十来件", "二十来家": speech rounds with 来, writing with 余
        elif not unit and text[end : end + 1] == "来":
            end += 1  # "10来件": 来 sits between the number and a unit word the finder did not take
            number += "余"
        after = AFTER.match(text, end)
        m = _hedge_before(text, start)
        lead = start - (len(m["hedge"]) + len(m["verb"] or "")) if m else start
        if after and after[0] == "出头":
            body, tail = number + "余" + unit, ""  # "30人出头" → "30余人"
        elif after:
            body, tail = number + unit + "左右", ""  # one marker: 左右 stays, the hedge before it goes
        else:
            body, tail = number + unit, ""
        written_lead = ""
        own = _marked(number, unit) or (not unit and text[end : end + 1] in ("余", "多"))
        if m and not after and not own:
            written_lead = WRITTEN_BEFORE.get(m["hedge"], m["hedge"]) + (m["verb"] or "")
        elif not m and not after and unit == "成" and not TENTHS_BOUNDED_AFTER.match(text, end):
            clause = re.split(r"[，。；,;]", text[:start])[-1]
            if not TENTHS_BOUNDED_BEFORE.search(clause) and not HEDGED.search(clause):
                if text[:start].endswith("占"):
                    lead, written_lead = start - 1, "约占"  # "占两成" → "约占两成"
                else:
                    written_lead = "约"
        stop = after.end() if after else end
        text = text[:lead] + written_lead + body + tail + text[stop:]
    text = ROUND_TENS_OVER.sub(r"\1余", text)
    return SINGLE_COUNT.sub("约", text)


def _marked(number: str, unit: str) -> bool:
    """The figure carries its own marker (40余起, 30多家, 十余件): a hedge before it would be a second one."""
    return number.endswith(("余", "多")) or unit.startswith(("余", "多"))
