"""The notes' own conventions: what a document says its marks mean.

Offices mark their figures and items and say so once, in a legend: "说明：标★的数字是估算的，还要再核", "带△的
事项年底前还没办完", "注：括号内为上年数", "打√的已完成". The mark is this document's cue; no list of cues can
know it beforehand. This step reads the legend, gives every clause that bears the mark the role the legend names
(unconfirmed, not done, another year, part of the year, not to be written, done) and takes the mark out of the
text. A legend that names what a paste loses ("红字为上年数", "标黄的待核") cannot be followed: the marks are gone,
so which figures it meant waits for the user, and the draft cannot be vouched for until they say.

Runs after the role cues (roles.py) and before placement, on the reader's lines.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.types import Clause
from drafting.notes.reading import ReadNotes
from drafting.text.numbers import find_figures

DATA = Path(__file__).with_name("conventions.toml")
# Roles a legend can name, in the order a meaning is tried: "还没核实" is a doubt before it is a task not done.
ORDER = ("remark", "unconfirmed", "partial", "earlier", "not_done", "done")
PENDING = ("unconfirmed", "not_done")
SYMBOLS = "*＊★☆▲△▼▽●○◆◇■□#＃※?？√✓✔×✗✘"
# A legend line: it speaks of marks ("标★的", "带有△号的", "打问号的", "凡加（估）的") and what they mean.
MARK_AT = r"(?:标有|标注|标了|标|带有|带|加了|加|打了|打|画了|画|注有|凡是|凡|用)\s*"
CLAUSE_SEP = re.compile(r"(?<=[，,；;。！!])")
END_PUNCT = "，,；;。.！!、 \t"


@dataclass(frozen=True)
class Convention:
    marks: tuple[str, ...]  # the drawn marks ("★"), or ("()",) for "括号内的数"
    role: str  # a key of ORDER
    said: str  # the legend's words, shown to the user
    line_no: int


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    words = sorted(_data()["marks"], key=len, reverse=True)
    symbol = f"[{re.escape(SYMBOLS)}]{{1,2}}"
    tag = r"[（(【\[][\u4e00-\u9fff?？*]{1,2}[）)】\]]|“[\u4e00-\u9fff]{1,2}”"
    mark = rf"(?P<mark>{symbol}|{tag}|{'|'.join(words)})"
    legend = re.compile(
        MARK_AT + mark + r"\s*(?:号|符号|标记|记号)?\s*(?:的|者|处)\s*(?P<meaning>[^；;。\n]{2,40})"
    )
    # "图例：★待核实 △未完成", "注：* 表示预估数": a mark, then what it means, in a legend line.
    keyed = re.compile(
        rf"(?P<mark>{symbol})\s*(?:表示|代表|为|是|=|：|:)?\s*(?P<meaning>[\u4e00-\u9fff][^；;。，,\s★☆▲△●○◆◇※#＃*＊]{{1,20}})"
    )
    brackets = re.compile(
        r"(?:括号|括弧)(?:内|里|中)的?(?:数字?|数据|内容)?\s*(?:为|是|系|均为|都是|表示)(?P<meaning>[^；;。\n]{2,30})"
    )
    lost = re.compile(
        rf"(?P<fmt>{_data()['lost']['pattern']})[^；;。\n]{{0,8}}?(?:为|是|表示|系|均为|都是|代表)"
        r"(?P<meaning>[^；;。\n]{2,30})"
    )
    # "以下数据均截至11月20日", "表中数字为1—10月": the period of every figure of the notes, said once.
    period = re.compile(
        r"(?:以下|下列|本表|本材料|上述|表中|文中|各项|所有|材料中|报表)的?(?:数据|数字|数|统计)(?:均|都|全部|一律)?"
        r"(?P<meaning>(?:为|是|截至|截止到?|统计至|统计到)[^；;。，,\n）)]{2,20})"
    )
    return legend, keyed, brackets, lost, period


# The notes' own title ("……法治建设材料", "……情况汇总"): what it says of the figures is all it adds.
TITLE = re.compile(r"(?:材料|情况|汇总|报告|总结|台账|清单|报表)(?:[（(][^（）()]*[）)])?\s*$")
COLOUR = re.compile(r"红色|黄色|蓝色|绿色|灰色|颜色")
LEGEND_LINE = re.compile(
    r"^\s*[（(]?\s*(?:说明|注|备注|图例|符号说明|标注说明|标记说明|填表说明|ps|PS)\s*\d*\s*[：:]"
)


def meaning_role(meaning: str) -> str:
    """The role a legend's words name ("是估算的，还要再核" → unconfirmed); "" when they name none."""
    rows = {row["role"]: re.compile(row["pattern"]) for row in _data()["meaning"]}
    for role in ORDER:
        if rows[role].search(meaning):
            return role
    return ""


def _marks_of(said: str) -> tuple[str, ...]:
    named = _data()["marks"].get(said)
    if named:
        return tuple(named)
    inner = said.strip("“”")
    return (inner,) if said.startswith("“") else (said,)


def read_legend(read: ReadNotes) -> tuple[list[Convention], list[Clause]]:
    """The conventions the notes declare, and the questions for those a paste cannot keep."""
    legend, keyed, brackets, lost, period = _patterns()
    found: list[Convention] = []
    asked: list[Clause] = []
    for line in read.lines:
        raw = line.raw
        if m := lost.search(raw):
            role = meaning_role(m.group("meaning"))
            # "红色教育基地是去年建的" names a colour, not a mark: a colour word counts in a legend line or brackets.
            colour_only = COLOUR.fullmatch(m.group("fmt")) and not (
                LEGEND_LINE.match(raw) or re.search(r"[（(【\[][^）)】\]]*$", raw[: m.start()])
            )
            if role and role != "done" and not colour_only:
                asked.append(
                    Clause(
                        line_no=line.line_no,
                        text=m.group(0).strip("（）()【】[] "),
                        role=role if role in PENDING or role == "earlier" else "unconfirmed",
                        cue="legend.lost",
                        pending=True,
                        about_notes=True,
                        reason=(
                            f"材料说明“{m.group(0)}”，但粘贴后已看不出{m.group('fmt')}：请逐一核对哪些数字或事项属于"
                            "这一类，核对前本稿不能算核查通过"
                        ),
                    )
                )
        if (m := period.search(raw)) and meaning_role(m.group("meaning")) == "partial":
            asked.append(
                Clause(
                    line_no=line.line_no,
                    text=m.group(0),
                    role="partial",
                    cue="legend.period",
                    pending=True,
                    about_notes=True,
                    reason=(
                        f"材料说明“{m.group(0)}”：材料中的数字不是全年数，定稿前请换成全年数，"
                        "或在文中写明统计截止时间"
                    ),
                )
            )
        for m in legend.finditer(raw):
            if role := meaning_role(m.group("meaning")):
                found.append(Convention(_marks_of(m.group("mark")), role, m.group(0), line.line_no))
        if LEGEND_LINE.match(raw) and not any(c.line_no == line.line_no for c in found):
            for m in keyed.finditer(raw):
                if role := meaning_role(m.group("meaning")):
                    found.append(Convention(_marks_of(m.group("mark")), role, m.group(0), line.line_no))
        if (m := brackets.search(raw)) and (role := meaning_role(m.group("meaning"))):
            found.append(Convention(("()",), role, m.group(0), line.line_no))
    return found, asked


def _bears(text: str, mark: str) -> list[int]:
    """Where `text` bears the mark as a mark: not a Markdown bullet or emphasis ("* ", "**"), nor a heading "#"."""
    at = []
    for m in re.finditer(re.escape(mark), text):
        i, j = m.start(), m.end()
        if mark in "*＊#＃" and (
            text[i - 1 : i] == mark or text[j : j + 1] == mark or (i == 0 and text[j : j + 1] in " \t")
        ):
            continue
        at.append(i)
    return at


def follow_conventions(read: ReadNotes, year: int | None) -> list[Clause]:
    """Give every clause bearing a declared mark the role the legend names; returns the clauses set aside (and the
    questions for legends a paste cannot keep). Marks of done items and the legend's own words leave the text."""
    found, out = read_legend(read)
    said_on = {c.line_no: c.said for c in found} | {c.line_no: c.text for c in out}
    for line in read.lines:
        # The legend's own line is about the notes, not the work: it leaves the text when it says nothing else.
        if line.line_no in said_on and line.kind == "fact" and _only_legend(line.text, said_on[line.line_no]):
            out.append(
                Clause(
                    line_no=line.line_no,
                    text=line.raw,
                    role="remark",
                    cue="legend",
                    reason="材料自己的标注说明",
                )
            )
            line.text, line.kind = "", "set_aside"
    if not found:
        return out
    legend_lines = {c.line_no for c in found}
    for line in read.lines:
        if line.line_no in legend_lines:
            continue
        if line.kind != "fact" or not line.text:
            continue
        _marked(line, found, year, out)
        for conv in found:
            if conv.marks == ("()",):
                _brackets(line, conv, year, out)
        line.figures = [f.text for f in find_figures(line.text, year=year)]
        if not re.search(r"[\u4e00-\u9fff]", line.text) and not line.figures:
            line.kind = "set_aside"
    return out


def _only_legend(text: str, said: str) -> bool:
    """The line says nothing but its legend, or is the notes' title with the legend in brackets."""
    rest = text.replace(said.strip("（）() "), "")
    if TITLE.search(rest):
        rest = re.sub(r"[（(][^（）()]*[）)]", "", rest)
    rest = re.sub(r"说明|注|备注|图例|请注意|注意|[：:（）()【】\[\]\s，,；;。.！!]", "", rest)
    if any(f.unit for f in find_figures(rest)):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 6 or bool(TITLE.search(rest))


def _strip(text: str, marks: tuple[str, ...]) -> str:
    for mark in marks:
        for i in reversed(_bears(text, mark)):
            text = text[:i] + text[i + len(mark) :]
    return re.sub(r"\s{2,}", " ", text).strip()


def _marked(line, found: list[Convention], year: int | None, out: list[Clause]) -> None:  # type: ignore[no-untyped-def]
    """A mark at the head of an item governs the item, up to the next mark ("★行政复议2件，▲平台二期验收"); a mark
    anywhere else governs its clause ("检查62家★，整改9份")."""
    text = line.text
    hits = sorted(
        (at, conv, mark)
        for conv in found
        if conv.marks != ("()",)
        for mark in conv.marks
        for at in _bears(text, mark)
    )
    if not hits:
        return
    bounds = [0] + [m.end() for m in CLAUSE_SEP.finditer(text)] + [len(text)]
    spans: list[tuple[int, int, Convention]] = []
    for k, (at, conv, _mark) in enumerate(hits):
        head = max(b for b in bounds if b <= at)
        if not text[head:at].strip(END_PUNCT + "-•·"):
            stop = hits[k + 1][0] if k + 1 < len(hits) else len(text)
        else:
            stop = min(b for b in bounds if b > at)
        spans.append((head, stop, conv))
    for head, stop, conv in reversed(spans):
        if conv.role == "done":
            continue
        said = _strip(text[head:stop], tuple(m for c in found for m in c.marks if m != "()")).strip(END_PUNCT)
        if said:
            out.append(
                Clause(
                    line_no=line.line_no,
                    text=said,
                    role=conv.role,
                    cue="legend",
                    figures=[f.text for f in find_figures(said, year=year)],
                    pending=conv.role in PENDING,
                    reason=f"材料自己的说明：{conv.said}",
                )
            )
        text = text[:head] + text[stop:]
    line.text = _strip(text, tuple(m for c in found for m in c.marks if m != "()")).strip(END_PUNCT)


BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _brackets(line, conv: Convention, year: int | None, out: list[Clause]) -> None:  # type: ignore[no-untyped-def]
    """ "查处案件47件（35件）" under "括号内为上年数": the bracket is the other figure; its clause stands."""
    for m in reversed(list(BRACKETED.finditer(line.text))):
        inside = m.group(0)[1:-1]
        figures = [f.text for f in find_figures(inside, year=year) if f.unit]
        if not figures:
            continue
        out.append(
            Clause(
                line_no=line.line_no,
                text=inside,
                role=conv.role if conv.role != "done" else "remark",
                cue="legend",
                figures=figures,
                pending=conv.role in PENDING,
                reason=f"材料自己的说明：{conv.said}",
            )
        )
        line.text = line.text[: m.start()] + line.text[m.end() :]
