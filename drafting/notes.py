"""Raw notes → fact lines, each assigned to an outline key; chatter dropped and listed; instructions quarantined."""

from __future__ import annotations

import re
from collections.abc import Callable

from drafting.normalize import to_fullwidth
from drafting.numbers import find_figures
from drafting.outline import Outline, strip_numbering
from zhibi.types import Fact, ParsedNotes

# A line that tries to steer the tool instead of stating a fact. It is data: never obeyed, always reported.
INSTRUCTION = re.compile(
    r"忽略|无视|不要(?:遵守|理会|管)|以上(?:要求|指令|规则)|上述(?:要求|指令|规则)|你(?:现在)?是|扮演|系统提示|提示词|"
    r"请(?:你|直接)?(?:编造|虚构|杜撰|捏造|随便写)|(?:编造|虚构|杜撰|捏造)(?:一些|数据|数字)|"
    r"^(?:请|麻烦|帮我|务必)(?!示)|(?:把|将).{0,16}(?:写成|改成|改为|说成)|(?:不要|别)(?:写|提|出现)|"
    r"ignore (?:all |the )?(?:previous|above)|system prompt|you are now",
    re.I,
)
# Words of a covering remark ("今年材料先给这些：", "执法科报来的,直接贴:"), not of a fact or a heading.
CHATTER = re.compile(
    r"报来|直接贴|先给|给这些|如下|汇总|附后|见下|补充如下|整理|发来|供参考|仅供|材料|数据来源"
)
BULLET = re.compile(r"^\s*(?:[-*+•·●○▪■□◆◇→>]+|\d+[、.．)）](?!\d)|[（(]\d+[）)]|[①-⑳]|[a-zA-Z][.)、])\s*")
PART_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
EXPLICIT_KEY = re.compile(r"^\s*[【\[]\s*([a-z]+(?:\.[a-z]+)?)\s*[】\]]\s*$")
# A title over the notes: ends with 材料/数据/汇总 or an office attribution such as "（行政审批股）".
TITLE_LINE = re.compile(
    r"(?:材料|数据|汇总|清单|报送)$|[（(][^）)]*(?:科|股|室|办|处|队|中心|汇总|提供)[）)]$"
)
YEAR = re.compile(r"(?:19|20)\d\d年?")
LABEL = re.compile(r"^([^：，。；]{1,10})：(.+)$")

Classifier = Callable[[str], str | None]


def parse_notes(
    notes: str,
    outline: Outline,
    *,
    year: int | None = None,
    fallback: Classifier | None = None,
) -> ParsedNotes:
    """Split notes into facts. Keys come from the notes' own headings, then keywords, then `fallback`."""
    parsed = ParsedNotes()
    current: str | None = None  # key named by the latest heading
    for line_no, raw in enumerate(notes.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if (m := EXPLICIT_KEY.match(line)) and m.group(1) in outline.keys:
            current = m.group(1)
            continue
        if INSTRUCTION.search(line):
            parsed.instructions.append(line)
            continue
        text = to_fullwidth(BULLET.sub("", line)).strip()
        text = text.rstrip("；;，,。.、 ")
        if not text:
            parsed.dropped.append(raw.strip())
            continue
        heading = _heading_key(line, text, outline, year)
        if heading is not None:
            if heading == "":
                parsed.dropped.append(line)
            else:
                current = heading
            continue
        figures = [f.text for f in find_figures(text, year=year)]
        key, how = _assign(text, current, outline, fallback)
        parsed.facts.append(
            Fact(text=text, raw=line, key=key, figures=figures, line_no=line_no, assigned_by=how)
        )
    return parsed


def _heading_key(raw: str, text: str, outline: Outline, year: int | None) -> str | None:
    """The key a heading line names; "" for a title/chatter line to drop; None for a fact line."""
    # Years name the period a heading covers ("执法这块（2022年）："); they are not figures of a fact.
    has_figure = any(not YEAR.fullmatch(f.text) for f in find_figures(text, year=year))
    ends_colon = raw.rstrip().endswith((":", "："))
    numbered = bool(PART_NUMBER.match(raw))
    core = strip_numbering(text).rstrip("：:")
    short = len(core) <= 24
    if ends_colon and CHATTER.search(core) and not _names_section(core, outline):
        return ""
    if (ends_colon or numbered) and short and not has_figure:
        key = outline.match_heading(_drop_brackets(core))
        if key:
            return key
        return "" if ends_colon or CHATTER.search(core) else None
    if not has_figure and short and TITLE_LINE.search(core) and not re.search(r"[，；。：]", core):
        return ""  # a title line such as "2022年法治政府建设材料（法规科汇总）"
    return None


def _names_section(core: str, outline: Outline) -> bool:
    return outline.match_heading(_drop_brackets(core)) is not None and not CHATTER.search(core)


def _drop_brackets(text: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]", "", text)


def _assign(text: str, current: str | None, outline: Outline, fallback: Classifier | None) -> tuple[str, str]:
    label_key = None
    if m := LABEL.match(text):
        label_key = outline.match_heading(m.group(1))
    if current and outline.children(current):
        # Under a part heading with sub-sections ("二、依法行政"): place the line in one of them.
        if label_key and outline.get(label_key).parent == current:
            return label_key, "heading"
        scores = outline.score_line(text, within=current)
        if scores:
            return _best(scores), "keyword"
        if fallback and (key := fallback(text)) and outline.get(key).parent == current:
            return key, "retrieval"
        return current, "default"  # the heading named only the part: a model may still place it
    if current:
        return current, "heading"
    if label_key:
        return label_key, "heading"
    scores = outline.score_line(text)
    sub_scores = {k: v for k, v in scores.items() if outline.get(k).parent}
    if scores:
        best = _best(scores)
        if not outline.get(best).parent and sub_scores and best == "measures":
            best = _best(sub_scores)
        return best, "keyword"
    if fallback and (key := fallback(text)):
        return key, "retrieval"
    return "measures", "default"


def _best(scores: dict[str, int]) -> str:
    return max(scores.items(), key=lambda kv: kv[1])[0]


def strip_label(text: str, outline: Outline) -> str:
    """ "执法：全年行政处罚326件" → "全年行政处罚326件" when the label only names the section.

    Longer labels ("谁执法谁普法：", "执法信息化：") carry meaning and stay.
    """
    if (m := LABEL.match(text)) and len(m.group(1)) <= 4 and outline.match_heading(m.group(1)):
        return m.group(2).strip()
    return text
