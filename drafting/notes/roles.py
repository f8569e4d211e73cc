"""Roles: every clause of a fact line is a fact of the report year unless a cue says it is something else.

The roles are few and general (CLAUSE_ROLES in core/types.py): wrapping of a mail or an app, a remark to the
writer, filler of speech, a corrected-away figure, a doubted one, a task not done, another year's figure. The cues
are data (roles.toml, each with examples that are its tests) and look at what a clause says, not at the shape of
the notes. A clause set aside never reaches the text: it is listed, and what the user must decide (a doubted
figure, an unfinished task, a correction whose target cannot be found) waits in 待确认.

This runs after the reader (it needs the lines, headings and table columns) and before placement; one more step
after placement (`settle_not_done`) keeps an unfinished task that landed in 不足 or 安排 where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.types import Clause, ParsedNotes
from drafting.notes.cues import Cue, cues_of
from drafting.notes.reading import FIGURE_KINDS, STEERING, NoteLine, ReadNotes, chat_speaker, withdrawal
from drafting.text.names import only_people, person_spans, without_names
from drafting.text.numbers import Figure, find_figures
from drafting.text.tokens import tokens

# A question mark inside square brackets ("[?]", "【？】") is an outline's mark on its node, not the end of a question.
CLAUSE_SEP = re.compile(r"(?<=[，,；;。！!？?])(?![\]】］])")
# A drawn status mark ("[×]", "[✓]"): once its role is read it is no words of the report.
DRAWN_MARK = re.compile(r"\s*[\[【［]\s*[×✗✘╳✓√✔]\s*[\]】］]\s*")
# Words that make a clause about another year a comparison that says so ("较上年增加12件", "同比下降3%").
COMPARISON = re.compile(
    r"同比|环比|较|比上|相比|增加|减少|增长|下降|提高|降低|上升|持平|翻[一两]番|多了|少了"
)
# A comparison that states the other year's value ("比2024年的9场多了5场", "较上年的8场增加4场").
OLD_VALUE_COMPARED = re.compile(
    r"(?:比|较|同|与|和|跟)\s*(?:上年度?|去年|前年|往年|(?:19|20)\d\d\s*年)(?:同期|全年)?的?\s*[\d０-９]"
)
# A task named in a line that is not done may stay in the parts about shortfalls and next year's work.
NOT_DONE_PARTS = ("shortcomings", "plans")
# Any amount said, even one find_figures does not take as a figure ("五十几万", "二十来家"); a date ("9月",
# "2023年") is when, not how much.
NUMERAL = re.compile(
    r"(?:[\d０-９]+(?:\.[\d０-９]+)?|[一二两三四五六七八九十百千万几]{2,})(?![\d０-９.]|\s*[月日年号])"
)
# "刘敏（办信股）：", "王队说，", "陈建国（局长）：": who speaks, before what is said.
SPEAKER_LABEL = re.compile(
    r"^(?P<who>[\u4e00-\u9fff]{2,4}(?:[（(][^）)]{1,10}[）)])?)\s*(?:[：:]|(?:说|讲|报|补充|介绍)[：:，,])\s*"
)
QUOTED = re.compile(r"“[^”]{1,30}”|\"[^\"]{1,30}\"")
STRUCK = re.compile(
    r"~~([^~]{1,80})~~|<(?:del|s|strike)>([^<]{1,80})</(?:del|s|strike)>"
    r"|[\[［【]\s*(?:删除(?:的内容)?|已删除|Deleted)\s*[:：]\s*([^\]］】]{1,200})[\]］】]"
)
# Text a reviewer inserted (Word's tracked changes copied out): it stands, without its marks.
INSERTED = re.compile(
    r"[\[［【]\s*(?:插入(?:的内容)?|已插入|新增|Inserted)\s*[:：]\s*([^\]］】]{1,400})[\]］】]"
)
# Who revised and when: "｛杨帆 2026/11/26 09:14｝".
REVISION_STAMP = re.compile(r"[｛{][^｛｝{}]{0,30}\d{1,4}[-/.:：]\d{1,2}[^｛｝{}]{0,20}[｝}]")
# A dash between two statements ("全年立案4件——三季度报的3件里有1件已撤销") breaks the clause like a comma, so
# each side takes its own role; a dash before a name alone ("——钱科") signs the line, and a dash between
# numbers ("1——9月") is a range.
STATEMENT_DASH = re.compile(r"(?<=[\u4e00-\u9fff%）)])\s*[—]{2}\s*(?=[^，,；;。！!？?\s—]{5})")
CHECKBOX_OPEN = re.compile(r"^\s*[-*+]?\s*\[\s\]")
YEAR_IN_HEADING = re.compile(r"((?:19|20)\d\d)\s*年|上年|去年|前年")


def first_cue(
    text: str, role: str, scope: str | None = None, *, year: int | None = None
) -> tuple[Cue, re.Match[str]] | None:
    """The first cue of `role` that fires in `text` (for another year: a year that is not the report year's)."""
    # A quoted name ("“延期办”", "“上年度之星”") says nothing of the clause's role.
    # The quote marks stay: "这句“调整充实”删掉" names a quoted phrase, whatever the phrase says.
    searched = text if role == "wrapping" else QUOTED.sub(_masked_quote, text)
    for cue in cues_of(role, scope):
        for m in cue.pattern.finditer(searched):
            if role == "earlier" and not (_other_year(m, year) and _whole_words(searched, m)):
                continue
            if role == "not_done" and _denied(searched, m):
                continue
            return cue, m
    return None


def _denied(text: str, m: re.Match[str]) -> bool:
    """The cue is the object of a denial ("不算没完成"): what is said is that the task is not unfinished."""
    return any(n.end() == m.start() for c in cues_of("negation") for n in c.pattern.finditer(text))


def _masked_quote(q: re.Match[str]) -> str:
    quoted = q.group(0)
    return quoted[0] + "\ue000" * (len(quoted) - 2) + quoted[-1]


def _whole_words(text: str, m: re.Match[str]) -> bool:
    """The cue is words of the clause, not the inside of one ("网上年审" holds no 上年)."""
    starts, ends, at = set(), set(), 0
    for word, _ in tokens(text):
        starts.add(at)
        at += len(word)
        ends.add(at)
    return m.start() in starts and m.end() in ends


def _other_year(m: re.Match[str], year: int | None) -> bool:
    named = m.groupdict().get("year")
    if named is None:
        return True  # 上年, 去年, 同期 …
    return year is not None and int(named) < year


def _figures(text: str, year: int | None) -> list[Figure]:
    return find_figures(text, year=year)


def _amounts(text: str, year: int | None) -> list[Figure]:
    """Figures that count something (a date says when)."""
    return [f for f in _figures(text, year) if f.unit not in DATE_UNITS]


def _unit(fig: Figure) -> str:
    return fig.unit


def _end(fig: Figure) -> int:
    return fig.start + len(fig.text)


def _clauses(text: str) -> list[str]:
    return [c for c in CLAUSE_SEP.split(text) if c]


BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _aside_in_brackets(text: str, at: int) -> str:
    """The bracketed aside ("（2024年为22份）") holding offset `at`, or ""."""
    for m in BRACKETED.finditer(text):
        if m.start() < at < m.end():
            return m.group(0)
    return ""


def _talk_aside(aside: str, year: int | None) -> bool:
    """A bracketed aside with no amount whose every clause is a remark or filler."""
    pieces = [c for c in _clauses(aside[1:-1]) if _cjk(c)]
    return (
        bool(pieces)
        and not _amounts(aside, year)
        and all(first_cue(c, "remark", "clause") or first_cue(c, "filler", "clause") for c in pieces)
    )


def _cjk(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


def tidy_clause(text: str) -> str:
    """A clause with a part taken out: no doubled or leading commas, no empty brackets, no trailing comma."""
    text = re.sub(r"[，,；;]{2,}", "，", text)
    text = re.sub(r"^[，,；;。、\s]+", "", text)
    text = re.sub(r"[（(]\s*[）)]", "", text)
    return text.strip().rstrip("，,；;、 ")


# -- the pass over the reader's lines ------------------------------------------------------------------------------


def assign_roles(read: ReadNotes, year: int | None) -> list[Clause]:
    """Give every clause of every fact line its role; lines left with no fact are set aside whole."""
    out: list[Clause] = [
        Clause(line_no=n, text=note, role="remark", cue="annotation", reason="审稿人写给起草人的批注")
        for n, note in read.remarks
    ]
    lines = read.lines
    for n, note in read.remarks:
        line = next((ln for ln in lines if ln.line_no == n and ln.kind == "fact"), None)
        if line is None:
            continue
        if NOT_TO_USE.search(note):
            # "【批注：第三部分另有材料，这段不用】": the reviewer takes the passage out of the report.
            out.append(_set_aside(line, line.text, "remark", None, year, reason=f"批注说这段不用：{note}"))
            line.text, line.kind = "", "set_aside"
            continue
        if (
            NO_COMPARISON.search(note)
            and (clause := _clause_before(line, note))
            and COMPARISON.search(clause)
        ):
            # "较上年的8场增加4场。〔批：跟去年比的统一不放〕": the comparison the remark follows goes.
            line.text = tidy_clause(line.text.replace(clause, "", 1))
            out.append(_set_aside(line, clause, "earlier", None, year, reason=f"批注说不作比较：{note}"))
            continue
        if _reviewer_corrects(line, note, year, out):
            continue
        if any(re.search(TO_WRITE + re.escape(f.text), note) for f in _amounts(line.text, year) if f.unit):
            continue  # "照实写58人就行": the reviewer confirms the line's figure
        if first_cue(note, "not_done") and (clause := _clause_before(line, note)):
            # "完成中心改造，〔批：没完成！！验收还没过〕": the task the remark follows is not done.
            line.text = tidy_clause(line.text.replace(clause, "", 1))
            out.append(
                _set_aside(
                    line, clause, "not_done", None, year, pending=True, reason=f"批注说尚未完成：{note}"
                )
            )
            continue
        if (m := SUPPLIED.search(note)) and _amounts(m.group("facts"), year):
            # "这段太虚了……写实：党课是6月27日讲的，听课86人": what the reviewer supplies is the line's fact.
            line.text = tidy_clause(f"{line.text.rstrip('。；，')}。{m.group('facts').strip('。；， ')}")
            continue
        # "〔批：86个里面还有9个没改完〕": the reviewer disputes what the line says of that figure's kind, with a
        # figure the line does not state ("失效的4件列个名单" names the line's own 4件: no dispute).
        if SETTLED.search(note) and not first_cue(note, "unconfirmed"):
            continue  # "原稿写的28份，12月又审了3份，……已改": the figure of the line is the one settled on
        stated = {f.text for f in _amounts(line.text, year)}
        doubting = bool(first_cue(note, "unconfirmed") or re.search(r"别写|不要写|不能写|不宜写|存疑", note))
        units = {f.unit for f in _amounts(note, year) if f.unit and (doubting or f.text not in stated)}
        if doubting:
            # "〔存疑：650是估的〕": a bare number the line states with a unit names that figure.
            for f in _amounts(note, year):
                if not f.unit and (same := _same_figure(f.text, line.text, year)):
                    units |= {g.unit for g in _amounts(same, year) if g.unit}
        pieces = _clauses(line.text)
        hit = []
        for k, c in enumerate(pieces if units else []):
            if any(f.unit in units for f in _amounts(c, year)):
                hit.append(c)
            elif hit and hit[-1] == pieces[k - 1] and not _amounts(c, year) and not hit[-1].endswith("。"):
                hit.append(c)  # "发现问题86个，已全部整改": what follows the figure is said of it
        if hit:
            line.text = tidy_clause("".join(c for c in pieces if c not in hit))
            out.append(
                Clause(
                    line_no=n,
                    text=tidy_clause("".join(hit)),
                    role="unconfirmed",
                    cue="annotation",
                    figures=[f.text for c in hit for f in _amounts(c, year)],
                    pending=True,
                    reason=f"审稿人的批注对此有意见：{note}",
                )
            )
        elif clause := _disputed_phrase(pieces, note):
            # "覆盖全部场馆。〔批：“全部”不对，照实写〕": the clause holding the phrase the reviewer disputes waits.
            line.text = tidy_clause("".join(c for c in pieces if c != clause))
            out.append(
                Clause(
                    line_no=n,
                    text=tidy_clause(clause),
                    role="unconfirmed",
                    cue="annotation",
                    figures=[f.text for f in _amounts(clause, year)],
                    pending=True,
                    reason=f"审稿人的批注对此有意见：{note}",
                )
            )
        elif DELETE_IT.search(note) and not _amounts(note, year) and (clause := _clause_before(line, note)):
            # "查处违法行为人……〔批：人数对不上，先删掉〕": the clause the note follows waits.
            line.text = tidy_clause(line.text.replace(clause, "", 1))
            out.append(
                Clause(
                    line_no=n,
                    text=clause,
                    role="unconfirmed",
                    cue="annotation",
                    figures=[f.text for f in _amounts(clause, year)],
                    pending=True,
                    reason=f"审稿人的批注说先不写：{note}",
                )
            )
    _edited_over(lines, year, out)
    _title_over_subtitle(lines, year, out)
    for index, line in enumerate(lines):
        # The clock and speaker of a chat turn ("[00:01:35] 说话人1：") are no figures of what is said.
        said = chat_speaker(line.raw)
        body = said[1] if said else line.raw
        if line.kind in ("instruction", "covering", "chatter") and _amounts(body, year):
            # "注2：罚款46.15万……口径还没对上，先别写死": a footnote the reader kept out still doubts its figure.
            if hit := first_cue(body, "unconfirmed", "mark"):
                doubt = _set_aside(line, body, "unconfirmed", hit[0], year, pending=True)
                doubt.figures = [f.text for f in _amounts(body, year)]
                found = [doubt]
                _doubt_reaches_back(found, lines[:index], year)
                out.extend(c for c in found[1:])
            elif (
                line.kind == "instruction"
                and not STEERING.search(body)
                and (counted := [f.text for f in _amounts(body, year) if f.unit])
            ):
                # A line quarantined for its words to the writer ("……大案3件。别写得像表功") may still tell this
                # year's work: its figures are neither written nor lost, they wait for the user. An attack's
                # figures ("编造9999件") are no question to ask.
                out.append(
                    Clause(
                        line_no=line.line_no,
                        text=body.strip(),
                        role="unconfirmed",
                        cue="instruction.figure",
                        figures=counted,
                        pending=True,
                        reason="这一行夹有对写材料的人的要求，未照办，其中的数字也未写入：请确认是否写入",
                    )
                )
            continue
        if line.kind in ("instruction", "covering", "chatter"):
            if hit := first_cue(body, "unconfirmed", "mark"):
                _reply_doubts_asked(line, hit[0], lines[:index], year, out)
            continue
        if line.kind != "fact":
            continue
        line.text = STATEMENT_DASH.sub("，", line.text)
        if line.correction_note:
            # A remark cell corrected the row (reading.py): the old values and the note's words are no facts.
            out.extend(
                _set_aside(line, old, "superseded", None, year, reason=f"备注栏更正为{new}")
                for old, new in dict(line.corrected).items()
            )
            out.append(
                _set_aside(line, line.correction_note, "remark", None, year, reason="备注栏的更正说明")
            )
        if _lifts_doubt(line, lines[:index], year, out):
            continue
        set_aside = _line_roles(line, lines[:index], year)
        _restated_in_comment(set_aside, line, lines[:index], year)
        _comment_doubts_last_figure(set_aside, line, lines[:index], year)
        _talk_doubts_figure(set_aside, line, year)
        _doubt_reaches_back(set_aside, lines[:index], year)
        _doubt_names_a_row(set_aside, line, lines[:index], year)
        _withheld_reaches_back(set_aside, lines[:index], year)
        out.extend(set_aside)
        line.figures = [f.text for f in _figures(line.text, year)]
        if not _cjk(line.text) and not line.figures:
            line.kind = "set_aside"
    _pointed_reach(lines, year, out)
    _reaches_forward(lines, year, out)
    _part_of_year(lines, year, out)
    _doubts_wait(out)
    return out


def _doubts_wait(out: list[Clause]) -> None:
    """A doubted clause that still counts something waits in 待确认: a line set aside whole for a correction inside
    it ("被申请复议3件……一开始登的是维持3件") also holds the figures that stand, which must not vanish."""
    for clause in out:
        if clause.role == "unconfirmed" and clause.figures and not clause.pending:
            clause.pending = True
            clause.reason = clause.reason or "这一句里的数字有更正或疑问，核实后再写入"


# A line shaped as a title: no sentence punctuation, no figure, a few words ("让法治阳光温暖每一个家庭").
TITLE_SHAPE = re.compile(r"^[^，,。；;：:！!？?、]{4,30}$")
DASH_LED = re.compile(r"^\s*(?:—{2}|─{2}|-{2})")


def _title_over_subtitle(lines: list[NoteLine], year: int | None, out: list[Clause]) -> None:
    """A subtitle led by a dash ("——某县水利局“八五”普法工作情况") says the line right above it is the material's
    title: both name the material, neither states the year's work."""
    for line, below in zip(lines, lines[1:], strict=False):
        if (
            line.kind == "fact"
            and below.line_no == line.line_no + 1
            and DASH_LED.match(below.raw)
            and any(c.pattern.search(below.raw) for c in cues_of("wrapping", "title"))
            and TITLE_SHAPE.match(line.text)
            and not _amounts(line.text, year)
        ):
            out.append(_set_aside(line, line.raw, "wrapping", None, year, reason="材料的标题"))
            line.text, line.kind = "", "set_aside"


def _reaches_forward(lines: list[NoteLine], year: int | None, out: list[Clause]) -> None:
    """A covering note over pasted material doubts or corrects a figure the material states further down
    ("注意：办件1286件是窗口自己统计的，还没核清楚", "“取消证明事项4项”是印错了，应为3项"): the doubt holds that
    figure, and the correction replaces it, wherever a later line states it with the same words before it."""
    at = {id(ln): k for k, ln in enumerate(lines)}
    origin = {ln.line_no: ln for ln in lines if ln.kind in ("fact", "set_aside")}
    for clause in [c for c in out if c.role in ("unconfirmed", "superseded") and len(c.figures) == 1]:
        source = origin.get(clause.line_no)
        if source is None:
            continue
        said = clause.figures[0]
        right = re.search(r"已更正为(\S+)$", clause.reason) if clause.role == "superseded" else None
        # A corrected figure is set aside alone: its words are those before the value that replaced it.
        subject = _words_before(source.text, right.group(1)) if right else _words_before(clause.text, said)
        if right and len(subject) < 2:
            # "总结第2页“取消证明事项4项”是印错了，应为3项": the sentence is talk about a page and left the line's
            # text; the words before the old value, as written, name what it counts.
            subject = _words_before(source.raw, said)
        elsewhere = clause.reason.startswith("别处的数字")
        if (len(subject) < 2 and not elsewhere) or (clause.role == "superseded" and right is None):
            continue
        stating = [
            (line, fig)
            for line in lines[at[id(source)] + 1 :]
            if line.kind == "fact" and (fig := _same_figure(said, line.text, year))
        ]
        chosen = [
            (line, fig)
            for line, fig in stating
            if len(subject) >= 2 and _words_before(line.text, fig)[-len(subject) :] == subject
        ]
        if not chosen and elsewhere and len(stating) == 1:
            # "公物仓那条简报印错了，写成681件": the only line stating the value named is the one it corrects.
            chosen = stating
        for line, fig in chosen:
            if right is not None:
                k = line.text.find(fig)
                line.text = line.text[:k] + right.group(1) + line.text[k + len(fig) :]
                line.figures = [f.text for f in _figures(line.text, year)]
                out.append(
                    _set_aside(
                        line,
                        fig,
                        "superseded",
                        None,
                        year,
                        reason=f"第{clause.line_no}行更正为{right.group(1)}",
                    )
                )
            else:
                out.append(_doubted_earlier(line, fig, clause, year))


# What points at something another line says: "数字化那个126万画幅", "水库那句“实现全覆盖”", "“罚没款63.5万元”这个
# 数". The words before the pointer (or the quoted words) name what is pointed at.
POINT_WORD = r"那个|这个|那条|这条|那句|这句|那段|这段|那项|这项|那笔|这笔|那处|这处|那一块|这一块"
TOPIC_POINTER = re.compile(rf"(?P<topic>[\u4e00-\u9fff]{{2,12}}?)(?:{POINT_WORD})")
# Words that open a turn of talk, not the name of a topic ("另外温湿度监控那个").
TOPIC_OPENER = re.compile(r"^(?:另外|还有|然后|再就是|对了|关于|至于|就是|还是|你把|把)")
QUOTE = re.compile(r"[“\"「]([^”\"」]{2,40})[”\"」]")
QUOTE_POINTED_BEFORE = re.compile(rf"(?:{POINT_WORD}|写的|写了|写成|说的|报的|提的|里的)\s*$")
QUOTE_POINTED_AFTER = re.compile(
    rf"^\s*(?:{POINT_WORD}|[这那此该]一?个?数字?|的说法|这个说法|这种说法|的提法|这个提法|这几个字|几个字"
    r"|(?:要|得|就|先)?(?:删掉|删了|删去|去掉|拿掉)|不对|有误|不准确?|不实|别写|不要写|不能写|不能说|你确定)"
)
# "别写成建成了", "不能说成已完成": what the pointed task is said not to be.
NOT_AS_DONE = re.compile(r"(?:别|不要|不能|不宜|不可)(?:写|说|报)成")
# Share of the pointer's words a clause must hold to be the one pointed at (no figure to find it by).
POINTED_SHARE = 0.7
SENTENCE = re.compile(r"(?<=[。；;！!？?])")


@dataclass
class _Pointer:
    words: str  # what names the thing pointed at: the topic and the quoted words
    figure: str  # the figure pointed at, "" when a task or a phrase is


def _pointers(sentence: str, year: int | None) -> list[_Pointer]:
    """What a sentence points at elsewhere: a topic with "那个/那句…" before a figure, a quote or a remark, or a
    quoted phrase said to be what was written ("写的“检查36家”", "“实现全覆盖”删掉")."""
    found: list[_Pointer] = []
    used: list[tuple[int, int]] = []
    for m in TOPIC_POINTER.finditer(sentence):
        topic = TOPIC_OPENER.sub("", m.group("topic"))
        after = sentence[m.end() :]
        quoted = QUOTE.match(after)
        words = topic + (quoted.group(1) if quoted else "")
        said = quoted.group(1) if quoted else after[:16]
        figs = [f for f in _amounts(said, year) if f.unit]
        figure = figs[0].text if figs and (quoted or figs[0].start == 0) else ""
        found.append(_Pointer(words=_cjk(words), figure=figure))
        if quoted:
            used.append((m.end() + quoted.start(), m.end() + quoted.end()))
    for q in QUOTE.finditer(sentence):
        if any(a <= q.start() < b for a, b in used):
            continue
        if not (
            QUOTE_POINTED_BEFORE.search(sentence[: q.start()])
            or QUOTE_POINTED_AFTER.match(sentence[q.end() :])
        ):
            continue
        figs = [f for f in _amounts(q.group(1), year) if f.unit]
        found.append(_Pointer(words=_cjk(q.group(1)), figure=figs[0].text if figs else ""))
    return [p for p in found if p.figure or len(p.words) >= 3]


def _pointed_role(sentence: str, figure: str) -> tuple[str, str] | None:
    """The role a pointing sentence gives what it points at, with the cue's id: a doubt holds a figure, a task
    not done or not to be written as done is unfinished, a bare "删掉" takes it out."""
    doubt = first_cue(sentence, "unconfirmed", "mark")
    undone = first_cue(sentence, "not_done")
    if doubt and (figure or not undone):
        return "unconfirmed", doubt[0].id
    if undone:
        return "not_done", undone[0].id
    if NOT_AS_DONE.search(sentence):
        return ("unconfirmed", "") if figure else ("not_done", "")
    if DELETE_IT.search(sentence) or NOT_TO_USE.search(sentence):
        return "remark", ""
    return None


def _pointed_clauses(
    pointer: _Pointer, lines: list[NoteLine], source: NoteLine, year: int | None
) -> list[tuple[NoteLine, str]]:
    """The clauses (line, clause) a pointer names: those stating its figure about the same thing
    (or the only one stating it), else those holding most of its words."""
    words = set(_grams(pointer.words))
    scored = []
    for line in lines:
        if line is source or line.kind != "fact":
            continue
        for clause in _clauses(line.text):
            if pointer.figure and not _same_figure(pointer.figure, clause, year):
                continue
            share = len(words & set(_grams(clause))) / len(words) if words else 0.0
            scored.append((share, line, clause))
    if pointer.figure:
        chosen = [(ln, c) for share, ln, c in scored if share >= 0.5]
        return chosen or ([(scored[0][1], scored[0][2])] if len(scored) == 1 else [])
    best = max((share for share, *_ in scored), default=0.0)
    if best < POINTED_SHARE or len(words) < 2:
        return []
    return [(ln, c) for share, ln, c in scored if share == best]


def _pointed_reach(lines: list[NoteLine], year: int | None, out: list[Clause]) -> None:
    """A remark that points at what another line says and doubts it, says it is not done or strikes it ("数字化那个
    126万画幅像是建馆以来累计的，你再核一下", "那句“实现全覆盖”删掉，乡镇还没查") gives that role to the clause it
    points at, above or below it; the remark itself is talk about the notes. A correction is left to the
    corrections, which give the right value its place."""
    for source in lines:
        if source.kind not in ("fact", "set_aside", "instruction", "covering", "chatter"):
            continue
        for sentence in SENTENCE.split(source.raw):
            pointers = _pointers(sentence, year)
            if not pointers or ((found := _correction_in(sentence, year)) and found[3] is not None):
                continue
            reached: list[str] = []
            for pointer in pointers:
                role = _pointed_role(sentence, pointer.figure)
                if role is None:
                    continue
                for line, clause in _pointed_clauses(pointer, lines, source, year):
                    if _set_pointed_aside(line, clause, pointer, role, source, year, out):
                        reached.append(pointer.figure)
            if reached:
                _pointing_is_talk(source, sentence, [f for f in reached if f], year, out)


def _set_pointed_aside(
    line: NoteLine,
    clause: str,
    pointer: _Pointer,
    role: tuple[str, str],
    source: NoteLine,
    year: int | None,
    out: list[Clause],
) -> bool:
    """Take the clause pointed at out of its line with the role the remark gives it; False when an earlier
    pointer of the same remark already took it."""
    pieces = _clauses(line.text)
    if clause not in pieces:
        return False
    k = pieces.index(clause)
    fig = _same_figure(pointer.figure, clause, year) if pointer.figure else ""
    if pointer.figure and not fig:
        return False
    # A task's clauses after it in its sentence with no figure of their own are said of it ("……已完成招标，
    # 年底投用"); a figure is taken out with the clauses that state it.
    taken = [k]
    while not pointer.figure and _goes_on(pieces[taken[-1]]) and taken[-1] + 1 < len(pieces):
        if _amounts(pieces[taken[-1] + 1], year):
            break
        taken.append(taken[-1] + 1)
    if fig:
        text = _take_out(line, fig, year)
    else:
        text = tidy_clause("".join(pieces[i] for i in taken))
        line.text = tidy_clause("".join(p for i, p in enumerate(pieces) if i not in taken))
        line.figures = [f.text for f in _figures(line.text, year)]
        if not _cjk(line.text) and not line.figures:
            line.kind = "set_aside"
    what, cue = role
    reason = {
        "unconfirmed": f"第{source.line_no}行对这个数字或说法有疑问，核实后再写入",
        "not_done": f"第{source.line_no}行说这件事尚未完成，不能写成已完成：可写入“存在的不足”或“下一年度主要安排”",
        "remark": f"第{source.line_no}行说这句删掉",
    }[what]
    out.append(
        Clause(
            line_no=line.line_no,
            text=text,
            role=what,
            cue=cue,
            figures=[f.text for f in _amounts(text, year)],
            pending=what != "remark",
            reason=reason,
        )
    )
    return True


def _pointing_is_talk(
    source: NoteLine, sentence: str, figures: list[str], year: int | None, out: list[Clause]
) -> None:
    """The pointing sentence of a fact line is a remark: what is left of it leaves the text, and a doubt already
    taken from it, or of the figures it points at, no longer waits (the clause it points at waits once)."""
    said = _cjk(sentence)
    for clause in out:
        if clause.line_no != source.line_no or not clause.pending:
            continue
        # "……“下降4.2%”我印象里是3点几": a bare number said beside the figure is the doubt's own guess.
        counted = [f.text for f in _amounts(clause.text, year) if f.unit]
        pointed = counted and all(any(_same_figure(f, g, year) for g in figures) for f in counted)
        if _cjk(clause.text) in said or pointed:
            clause.pending = False
    if source.kind != "fact":
        return
    pieces = _clauses(source.text)
    talk = [p for p in pieces if _cjk(p) and _cjk(p) in said]
    if not talk:
        return
    for p in talk:
        out.append(_set_aside(source, p, "remark", None, year, reason="对别处内容的意见，不是工作情况"))
    source.text = tidy_clause("".join(p for p in pieces if p not in talk))
    source.figures = [f.text for f in _figures(source.text, year)]
    if not _cjk(source.text) and not source.figures:
        source.kind = "set_aside"
        source.not_done, source.not_done_clauses = "", []


def _words_before(text: str, fig: str) -> str:
    """The Chinese words right before a figure in its clause: what it counts ("取消证明事项" of "取消证明事项4项")."""
    k = text.find(fig)
    if k < 0:
        return ""
    clause = re.split(r"[，,；;。：:、“”\"（）()]", text[:k])[-1]
    return _cjk(clause)[-4:]


WHOLE_YEAR = re.compile(r"全年|全年度|本年度|年度合计|1\s*[-—–－~～至到]\s*12\s*月")
PERIOD_WORDS = re.compile(
    r"本月|当月|上月|这个月|本季度?|当季|季度|上半年|下半年|半年|累计|截至|截止|全年|月底|月末|共|合计|总计|[\d一二三四]"
)


def _period(clause: str, fig: Figure) -> str:
    """The part of the year a clause's figure counts: "segment" (本月, 三季度), "running" (累计, 1—9月), "year"
    (全年), or "" when the clause does not say."""
    before = clause[: fig.start]
    if WHOLE_YEAR.search(before):
        return "year"
    for scope in ("segment", "running"):
        if first_cue(before, "partial", scope):
            return scope
    return ""


def _subject(line: NoteLine, clause: str, fig: Figure) -> set[str]:
    """What a figure counts: the words before it in its clause, else the line's words before its first figure."""
    words = _cjk(PERIOD_WORDS.sub("", clause[: fig.start]))
    if len(words) < 2:
        first = _figures(line.text, None)
        head = line.text[: first[0].start] if first else line.text
        words = _cjk(PERIOD_WORDS.sub("", head))
    return {words[i : i + 2] for i in range(len(words) - 1)}


# The title of a report over part of the year ("……第三季度……推进情况", "上半年工作小结") and of one over the whole
# year ("第四季度暨全年……", "全年工作总结"): a running total under the first runs to that quarter's end.
EARLY_SPAN = re.compile(r"第?[一二三1-3]季度|上半年|前三季度|1\s*[-—–－~～至到]\s*(?:[1-9]|1[01])\s*月")
WHOLE_SPAN = re.compile(r"第?[四4]季度|全年|年度")
REPORT_TITLE = re.compile(r"(?:情况|总结|小结|报告|汇报|进展)\s*[）)]?\s*$")


def _span_titles(lines: list[NoteLine], year: int | None) -> dict[int, str]:
    """For each line, the span of the report title above it: "early", "year", or "" under none."""
    span, spans = "", {}
    for k, line in enumerate(lines):
        said = line.text or line.raw
        if (
            line.kind in ("fact", "heading", "covering")
            and not _amounts(said, year)
            and REPORT_TITLE.search(said)
        ):
            if WHOLE_SPAN.search(said):
                span = "year"
            elif EARLY_SPAN.search(said):
                span = "early"
        spans[k] = span
    return spans


def _part_of_year(lines: list[NoteLine], year: int | None, out: list[Clause]) -> None:
    """A month's or a quarter's figure, or a running total a later one replaces, is not the year's figure
    ("本月6起，累计47起" under September when November says "累计58起"). A figure the notes give for a whole year
    or a later running total of the same thing (same unit, shared words) takes its place; a month's or a quarter's
    figure with none waits in 待确认; the last running total stands (the notes say how far it goes)."""
    said = []  # (index, line, clause, figure, period, subject)
    for k, line in enumerate(lines):
        if line.kind != "fact":
            continue
        for clause in _clauses(line.text):
            if COMPARISON.search(clause):
                continue
            for f in _amounts(clause, year):
                if f.unit:
                    said.append((k, line, clause, f, _period(clause, f), _subject(line, clause, f)))
    if not any(p in ("segment", "running") for *_, p, _ in said):
        return
    spans = _span_titles(lines, year)
    taken: dict[int, list[tuple[str, str, bool, str]]] = {}
    for k, _line, clause, f, period, subject in said:
        if period not in ("segment", "running"):
            continue
        later = [
            (k2, line2)
            for k2, line2, _c2, f2, p2, s2 in said
            if f2.unit == f.unit
            # The same line's whole-year figure of that unit is what its quarter's figure is part of
            # ("全年立案4件，三季度报的3件里有1件已撤销"), whatever words each is counted in.
            and (len(subject & s2) >= 2 or (k2 == k and p2 == "year"))
            and ((p2 == "year") or (p2 == "running" and (k2 > k or (k2 == k and period == "segment"))))
            and (k2, f2.start) != (k, f.start)
        ]
        if later:
            by = later[-1][1]
            taken.setdefault(k, []).append(
                (clause, f.text, False, f"不是全年数，第{by.line_no}行有更新的累计数或全年数")
            )
        elif (
            period == "running"
            and spans[k] == "early"
            and (after := next((j for j in range(k + 1, len(lines)) if spans[j] == "year"), None))
        ):
            # Quarterly reports pasted one after another: a running total under a quarter's title is replaced
            # by the whole year's report below it, whatever words that report counts it in.
            taken.setdefault(k, []).append(
                (clause, f.text, False, f"只累计到季度末，第{lines[after].line_no}行起是全年的材料")
            )
        elif period == "segment":
            taken.setdefault(k, []).append(
                (clause, f.text, True, "只是某月或某季度的数字，不是全年数，请确认怎么写")
            )
    for k, items in taken.items():
        line = lines[k]
        pieces = _clauses(line.text)
        for clause, fig, pending, reason in items:
            out.append(
                Clause(
                    line_no=line.line_no,
                    text=tidy_clause(clause),
                    role="partial",
                    cue="partial",
                    figures=[fig],
                    pending=pending,
                    reason=reason,
                )
            )
        gone = {c for c, *_ in items}
        left = [c for c in pieces if c not in gone]
        text = tidy_clause("".join(left))
        if not _amounts(text, year) and len(_cjk(text)) <= 8:
            # "林业行政案件：" is all that is left of "林业行政案件：本月3起，累计3起": a topic with nothing said of it
            if _cjk(text):
                out.append(
                    _set_aside(line, text, "partial", None, year, reason="只剩下标题，数字都不是全年数")
                )
            line.text, line.kind, line.figures = "", "set_aside", []
        else:
            line.text = text
            line.figures = [f.text for f in _figures(text, year)]


# A reviewer's remark that takes the passage out ("这段不用", "此段删去", "不要写进报告").
NOT_TO_USE = re.compile(
    r"(?:这段|这一段|此段|本段|这部分|这几句|这句)(?:话)?(?:就|也|可以)?(?:不用|不要|别用|不写|删(?:掉|去|除)?|去掉|拿掉)"
    r"|(?:不要|别|不用)(?:写进|写入|放进|放入)(?:报告|材料|正文)"
)
# A reviewer's remark that supplies the facts to write ("写实：党课是6月27日讲的，听课86人").
SUPPLIED = re.compile(r"(?:写实|写具体|补上|补充|加上|补进去|改成)[^：:]{0,12}[：:](?P<facts>[^】〕］\]]+)")


# A line typed over an old text ("【改】今年党组会专题研究法治建设5次" under last year's sentence).
EDIT_MARK = re.compile(r"^\s*[【\[［](?:改|修改|更新|新|今年)[】\]］]")
INLINE_EDIT = re.compile(r"(?<=[。；;！？!?])\s*[【\[［](?:改|修改|更新|今年)[】\]］]\s*")


def _edited_over(lines: list[NoteLine], year: int | None, out: list[Clause]) -> None:
    """Where the notes mark this year's edits over an old text, the unmarked lines with figures just above an edit
    are the old text (last year's report kept for its wording): their figures are not this year's."""
    if not any(EDIT_MARK.match(ln.raw) or INLINE_EDIT.search(ln.text) for ln in lines):
        return
    for line in lines:
        # "制定《2025年工作要点》。【改】今年印发的是……": the sentence before the mark is the old text it replaces.
        if line.kind == "fact" and (m := INLINE_EDIT.search(line.text)):
            old, line.text = line.text[: m.start()].strip(), line.text[m.end() :].strip()
            out.append(_set_aside(line, old, "earlier", None, year, reason="旧稿原文，本年以标注修改的为准"))
            line.figures = [f.text for f in _figures(line.text, year)]
    for k, line in enumerate(lines):
        if not EDIT_MARK.match(line.raw):
            continue
        if line.label and re.fullmatch(r"改|修改|更新|新|今年", line.label):
            line.text = re.sub(rf"^{line.label}[：:]", "", line.text)  # the mark is no topic of the line
            line.label = ""
        j = k - 1
        while j >= 0 and lines[j].kind == "fact" and not EDIT_MARK.match(lines[j].raw):
            old = lines[j]
            if _amounts(old.text, year):
                out.append(
                    _set_aside(old, old.text, "earlier", None, year, reason="旧稿原文，本年以标注修改的为准")
                )
                old.text, old.kind = "", "set_aside"
            j -= 1


def _clause_before(line: NoteLine, note: str) -> str:
    """The clause of the line that a reviewer's remark follows, as it stands in the line's text."""
    at = line.raw.find(note)
    if at <= 0:
        return ""
    before = REVIEW_BRACKETS.sub("", line.raw[:at]).rstrip("，,；;。 ")
    clause = re.split(r"[，,；;。]", before)[-1].strip()
    return clause if clause and clause in line.text else ""


REVIEW_BRACKETS = re.compile(r"[〔【［\[][^〕】］\]]{0,8}(?:批|注|按)[^〕】］\]]*[〕】］\]]")
# The value a reviewer says to write ("是203.4万元", "写7件", "应为4次", "按11个写").
TO_WRITE = r"(?<![别不勿])(?<!不要)(?<!不能)(?:是|写|写成|应为|应是|改为|改成|按|为)\s*"


# A reviewer's remark that says the line's figure has been set right already ("……已改", "核过，无误").
SETTLED = re.compile(
    r"已(?:改|更正|修改|调整|核|核对|核实)(?!为)|核过|改好了|(?:数字|数据|这个数)?(?:无误|没问题|准确)"
)


def _reviewer_corrects(line: NoteLine, note: str, year: int | None, out: list[Clause]) -> bool:
    """ "【批注：这个数不对，查了会议记录是4次】", "〔批：跟财务核了，是203.4万元〕": the reviewer's figure takes the
    place of the line's figure of that unit; the old one is superseded. Only when the line holds exactly one figure
    of that unit and the remark corrects (a correction cue, or "是/写/应为" before a different value)."""
    hit = first_cue(note, "superseded", "mark")
    # "写9件" is one of TO_WRITE's own: as a cue it would let any figure of the note correct the line.
    cue = bool(hit) and hit[0].id != "superseded.dictated"
    for new in _amounts(note, year):
        if not cue and not re.search(TO_WRITE + re.escape(new.text), note):
            continue
        olds = [f for f in _amounts(line.text, year) if f.unit == new.unit and f.text != new.text]
        if len(olds) > 1:
            olds = [f for f in olds if f.text in note]  # "9件含2件不予受理的，受理的是7件": the one it names
        if len(olds) != 1:
            continue
        old = olds[0]
        line.text = line.text.replace(old.text, new.text, 1)
        out.append(
            _set_aside(line, old.text, "superseded", None, year, reason=f"批注更正为{new.text}：{note}")
        )
        return True
    return False


# A reviewer's remark that comparisons with another year stay out ("跟去年比的统一不放", "同比的都不写").
NO_COMPARISON = re.compile(
    r"(?:(?:跟|和|与|同)(?:去年|上年|往年|前年|\d{4}年)(?:比|对比|相比|比较)的?|同比的?|对比的?|比较的?)"
    r"(?:都|统一|一律|就|也)?(?:不放|不写|不要|不用|去掉|删掉|拿掉|别写|别放)"
)
# A reviewer striking what the note follows ("先删掉", "别写"), not a phrase it quotes.
DELETE_IT = re.compile(
    r"(?:先|就|直接)?(?:删掉|删去|删了|去掉|拿掉)|(?<![不没])(?:别|不要)写(?![成为进入“\"])"
)
# A reviewer disputing a phrase ("“全部”不对", "“均已”你确定吗？", "不能说“均已办结”").
DISPUTES = re.compile(
    r"不对|有误|不准确|不确切|不规范|别写|不要写|不能写|不能说|别说|你确定|确定吗|不确定|存疑"
)


def _disputed_phrase(pieces: list[str], note: str) -> str:
    """The clause of the line that holds a phrase the reviewer quotes and disputes; "" when none."""
    if not DISPUTES.search(note):
        return ""
    for quoted in re.findall(r"[“\"]([^”\"]{2,12})[”\"]", note):
        for piece in pieces:
            if quoted in piece:
                return piece
    return ""


def _status_cell(raw: str) -> tuple[Cue, re.Match[str]] | None:
    """A not-done status the reader kept out of the line's text (a task list's 状态 cell, a "- [ ]" box): a cue
    whose own cell or clause says little else. A clause the roles already set aside does not count."""
    # An aside in brackets ("（废止的还要上党组会，暂未发文）") is said of a part of the line, not a status cell.
    for piece in re.split(r"\t+| {2,}|[，,；;。]", BRACKETED.sub("", raw)):
        hit = first_cue(piece, "not_done", "line")
        if hit and len(_cjk(hit[1].re.sub("", piece))) <= 4:
            return hit
    return None


def _talk(heading: str) -> bool:
    """A heading that is a remark to the writer or wrapping, not a topic."""
    return any(first_cue(heading, role, scope) for role, scope in (("remark", "line"), ("wrapping", "line")))


# A figure the notes say is not for the report ("储备规模3.2万吨属于涉密数据，报告里不写").
WITHHELD = re.compile(
    r"涉密|保密|不宜公开|不能公开|不得公开|不对外|(?:报告|材料)(?:里|中)?(?:不写|不要写|别写|不用写)"
)


def _same_figure(said: str, text: str, year: int | None) -> str:
    """The figure of `text` that `said` names: the same number with the same or a shortened unit ("46.15万" for
    "46.15万元"); "" when none."""
    for f in _amounts(said, year) or _figures(said, year):
        for g in _figures(text, year):
            if g.number == f.number and (
                g.unit == f.unit or g.unit.startswith(f.unit) or f.unit.startswith(g.unit)
            ):
                return g.text
    return ""


FIGURE_THEN_COLON = re.compile(r"(?<=[\d０-９%％][：:])")


def _take_out(line: NoteLine, fig: str, year: int | None) -> str:
    """The clauses of an earlier line that state `fig` leave it; the line is set aside when nothing is left."""
    # A colon after a figure ends a statement ("按时办结率：98.8%：回访满意率：93.2%", cells joined): a label
    # comes before a colon, never a value.
    pieces = [p for c in _clauses(line.text) for p in FIGURE_THEN_COLON.split(c)]
    line.text = tidy_clause("".join(c for c in pieces if fig not in c)).rstrip("：:")
    line.figures = [f.text for f in _figures(line.text, year)]
    if not _cjk(line.text) and not line.figures:
        line.kind = "set_aside"
    return tidy_clause("".join(c for c in pieces if fig in c))


def _withheld_reaches_back(found: list[Clause], before: list[NoteLine], year: int | None) -> None:
    """The clause stating a figure the notes withhold, on an earlier line, goes aside with it (nothing to confirm)."""
    for clause in [
        c for c in found if c.role in ("remark", "wrapping") and c.figures and WITHHELD.search(c.text)
    ]:
        for fig in clause.figures:
            for line in before:
                if line.kind != "fact" or fig not in line.text:
                    continue
                taken = _take_out(line, fig, year)
                found.append(
                    _set_aside(
                        line,
                        taken,
                        "remark",
                        None,
                        year,
                        reason=f"第{clause.line_no}行说这个数字不写入报告",
                    )
                )


# A comment that names "this figure" ("这个数跟市局通报的对不上，请再核"): the figure said just before it.
THIS_FIGURE = re.compile(
    r"这个数|这一数|此数|该数|这个比例|这个金额|这个百分比|(?:这个|这一|该|此)(?P<kind>人次|人数|件数|次数|场次|户数|金额|数字|数据)"
)


def _comment_doubts_last_figure(
    found: list[Clause], line: NoteLine, before: list[NoteLine], year: int | None
) -> None:
    """A comment line set aside whole that doubts "this figure" holds the last figure of the fact line before it."""
    whole = [c for c in found if c.role in ("remark", "wrapping") and c.text == line.raw]
    own = any(f.unit for f in _amounts(line.raw, year))  # "意见书38份？印象中是这个数": its own figure
    if not whole and not own and (not line.text.strip("（）() ") or WHOLE_ASIDE.fullmatch(line.raw)):
        # "（这个人次是登记簿上的，系统里统计是3000出头，……还没定。）": a line that is all an aside, or all set aside,
        # is a comment on what came before it.
        whole = [c for c in found if c.line_no == line.line_no and c.role == "unconfirmed"]
        for c in whole:
            c.pending = False  # asked once, with the figure it doubts
    pointed = THIS_FIGURE.search(line.raw)
    if not whole or not pointed or not first_cue(line.raw, "unconfirmed", "mark"):
        return
    if any(f.unit for q in QUOTE.finditer(line.raw) for f in _amounts(q.group(1), year)):
        return  # "“罚没款合计63.5万元”这个数……待核实": it names its figure, found where stated (_pointed_reach)
    # "系统里是21.9万元，……这个数别直接用": a comment that gives another count of "this figure" names its unit.
    units = {f.unit for f in _amounts(line.raw, year) if f.unit}
    if pointed.group("kind") and pointed.group("kind") in FIGURE_KINDS:
        units = set(FIGURE_KINDS[pointed.group("kind")]) or units  # "这个人次": the count of people it doubts

    def doubted(ln: NoteLine) -> list[Figure]:
        # "1296万" against "1327.6万元": a unit said short is the same unit.
        def like(u: str) -> bool:
            return not units or any(u.startswith(w) or w.startswith(u) for w in units)

        return [f for f in _amounts(ln.text, year) if like(f.unit)] if ln.kind == "fact" else []

    prev = next((ln for ln in reversed(before) if doubted(ln)), None)
    if prev is None:
        return
    fig = doubted(prev)[-1].text
    found.append(
        Clause(
            line_no=prev.line_no,
            text=_take_out(prev, fig, year),
            role="unconfirmed",
            cue=whole[0].cue,
            figures=[fig],
            pending=True,
            reason=f"第{line.line_no}行对这个数字有疑问，核实后再写入",
        )
    )


WHOLE_ASIDE = re.compile(r"\s*[（(][^（()）]*[）)]\s*[。.]?\s*")
APPROXIMATE = re.compile(r"[余多来]|^[二两三四五六七八九]成$")
ESTIMATED = re.compile(r"估|大概|大约|约")


def _reply_doubts_asked(
    line: NoteLine, cue: Cue, before: list[NoteLine], year: int | None, out: list[Clause]
) -> None:
    """A reply with no figure that doubts ("不太确定，我是估的") answers the question just before it ("两成……你这个
    比例确定吗？"), whose figure already waits. Said to be estimated, the doubt also holds the round figures the
    statement asked about gives with it ("十来件，大概占两成"): one estimate made them both."""
    prev = next((ln for ln in reversed(before) if ln.kind != "covering"), None)
    if prev is None or not prev.raw.rstrip("。 ").endswith(("？", "?")) or not ESTIMATED.search(line.raw):
        return
    asked = {f for c in out if c.line_no == prev.line_no and c.role == "unconfirmed" for f in c.figures}
    # The statement asked about: its clause with that figure was taken out when the question doubted it.
    stated_at = {
        c.line_no
        for c in out
        if c.role == "unconfirmed" and c.line_no < prev.line_no and asked & set(c.figures)
    }
    held = {(c.line_no, f) for c in out if c.role == "unconfirmed" for f in c.figures}
    doubt = Clause(line_no=line.line_no, text=line.raw, role="unconfirmed", cue=cue.id, figures=[])
    for stated in (ln for ln in before if ln.line_no in stated_at and ln.kind == "fact"):
        for fig in _amounts(stated.text, year):
            if APPROXIMATE.search(fig.text) and (stated.line_no, fig.text) not in held:
                out.append(_doubted_earlier(stated, fig.text, doubt, year))
                held.add((stated.line_no, fig.text))


SETTLED_BY = re.compile(r"以\S{1,12}为准")


def _talk_doubts_figure(found: list[Clause], line: NoteLine, year: int | None) -> None:
    """A line set aside whole as talk ("备注：走访慰问的352户好像重复算了，再核一下") that doubts a figure it states
    doubts that figure where the notes state it; the talk itself waits for nothing."""
    whole = [c for c in found if c.role in ("remark", "wrapping") and c.text == line.raw]
    if not whole or THIS_FIGURE.search(line.raw) or not (hit := first_cue(line.raw, "unconfirmed", "mark")):
        return
    if any(c.role == "superseded" for c in found):
        # "账上是25.7万元，27.5是录反了，以财务为准": the source that gives the right value, or is named to settle
        # it, is the correction's ground; it doubts nothing. Any other doubt still holds.
        rest = SETTLED_BY.sub("", line.raw)
        for cue in cues_of("unconfirmed", "mark"):
            rest = re.sub(f"(?:{cue.pattern.pattern})" + r"\s*[\d０-９]", "", rest)
        if not (hit := first_cue(rest, "unconfirmed", "mark")):
            return
    figures = [f.text for f in _amounts(line.raw, year) if f.unit]
    if figures:
        found.append(
            Clause(line_no=line.line_no, text=line.raw, role="unconfirmed", cue=hit[0].id, figures=figures)
        )


def _doubted_earlier(line: NoteLine, fig: str, doubt: Clause, year: int | None) -> Clause:
    """The clause of an earlier line stating `fig`, taken out of it to wait for the user because of `doubt`."""
    return Clause(
        line_no=line.line_no,
        text=_take_out(line, fig, year),
        role="unconfirmed",
        cue=doubt.cue,
        figures=[fig],
        pending=True,
        reason=f"第{doubt.line_no}行对这个数字有疑问，核实后再写入",
    )


def _restated_in_comment(
    found: list[Clause], line: NoteLine, before: list[NoteLine], year: int | None
) -> None:
    """A comment to the writer ("另外强制执行去年是0件，今年3件是头一回，可以写一下") that says again a figure
    an earlier line states speaks about that figure: what it says of it is no new fact of the year, nor a plan."""
    if not any(c.role == "remark" and c.line_no == line.line_no for c in found):
        return
    pieces = _clauses(line.text)
    said = [
        c
        for c in pieces
        if (figs := [f for f in _amounts(c, year) if f.unit])
        and all(_stated_before(before, f, year) for f in figs)
    ]
    if not said:
        return
    for clause in said:
        found.append(_set_aside(line, clause, "remark", None, year, reason="批注里重提前面已写的数字"))
    line.text = tidy_clause("".join(c for c in pieces if c not in said))


def _lifts_doubt(line: NoteLine, before: list[NoteLine], year: int | None, out: list[Clause]) -> bool:
    """A later line that says a doubted figure holds ("服务科确认4.3万件是去重以后的，没问题") lifts the doubt: the
    figure is the year's fact again, back in its own line. Only a figure the confirmation names counts (by its
    number, or by its unit when it is the only doubted figure of that unit); a line that still hedges lifts
    nothing."""
    hit = first_cue(line.text, "remark", "confirm")
    if hit is None or first_cue(line.text, "unconfirmed"):
        return False
    doubted = [c for c in out if c.role == "unconfirmed" and c.figures]
    lifted: list[Clause] = []
    for f in _amounts(line.text, year):
        same = [c for c in doubted if any(_same_figure(f.text, g, year) for g in c.figures)]
        if not same and f.unit:
            # "确认是4.3万件" against a doubt of "4.3万余件": the one doubted figure of that unit.
            of_unit = {
                g
                for c in doubted
                for g in c.figures
                if _amounts(g, year) and _amounts(g, year)[0].unit == f.unit
            }
            same = [c for c in doubted if len(of_unit) == 1 and of_unit & set(c.figures)]
        lifted += [c for c in same if c not in lifted]
    if not lifted:
        return False
    by_no = {ln.line_no: ln for ln in before}
    for clause in lifted:
        out.remove(clause)
        source = by_no.get(clause.line_no)
        if clause.pending and source is not None and clause.line_no != line.line_no:
            _put_back(source, confirmed_text(clause), year)
        else:
            # The words that raised the doubt are talk about the notes once it is lifted.
            out.append(
                _set_aside(
                    source or line, clause.text, "remark", None, year, reason=f"第{line.line_no}行已确认"
                )
            )
    out.append(_set_aside(line, line.raw, "remark", hit[0], year, reason="确认了存疑的数字"))
    line.text, line.kind = "", "set_aside"
    return True


def _put_back(line: NoteLine, clause: str, year: int | None) -> None:
    """A clause taken out of `line` returns where it stood in what was written."""
    pieces = _clauses(line.text)
    at = line.raw.find(clause.rstrip("，,；;。"))
    k = next(
        (i for i, p in enumerate(pieces) if at >= 0 and line.raw.find(p.rstrip("，,；;。")) > at),
        len(pieces),
    )
    if k == len(pieces) and pieces and not pieces[-1].endswith(("，", ",", "；", ";", "。")):
        pieces[-1] += "，"
    elif k < len(pieces) and not clause.endswith(("，", ",", "；", ";", "。")):
        clause += "，"
    pieces.insert(k, clause)
    line.text = tidy_clause("".join(pieces))
    line.kind = "fact"
    line.figures = [f.text for f in _figures(line.text, year)]


def _doubt_reaches_back(found: list[Clause], before: list[NoteLine], year: int | None) -> None:
    """A doubt about a figure said on an earlier line ("98.6%是平台算的，数可能会变") sets that clause aside too: the
    nearest line stating it, and any other that counts the same thing with it (a summary above the detail)."""
    for clause in [c for c in found if c.role == "unconfirmed"]:
        words = set(_grams(clause.text))
        for said in clause.figures:
            if _names_a_thing(said, clause.text):
                continue
            nearest = True
            for line in reversed(before):
                if line.kind != "fact" or not (fig := _same_figure(said, line.text, year)):
                    continue
                counted = re.split(r"[，,；;。]", line.text[: line.text.find(fig)])[-1]
                if not nearest and len(words & set(_grams(counted))) < 2:
                    continue  # the same value of another thing ("悬挂光荣牌352户" beside "走访慰问352户")
                found.append(_doubted_earlier(line, fig, clause, year))
                clause.pending = False  # the doubt itself is talk about the notes; the figure waits once
                nearest = False


# A note on a table that names a row by its place and its name ("第4行网上信访本年数为系统导出数"): the row's name
# runs from the place to the first word about its figure.
ROW_NAMED = re.compile(
    r"第\s*[\d０-９]{1,2}\s*(?:行|项|栏)[：:，,\s]*(?P<name>[\u4e00-\u9fff《》“”]{2,12}?)"
    r"(?=本年|本期|今年|的|数|为|是|占|率|[，,。；;（(]|$)"
)


def _doubt_names_a_row(found: list[Clause], line: NoteLine, before: list[NoteLine], year: int | None) -> None:
    """A doubt in a note that names a table's row ("第4行网上信访……待市局口径明确后再核") doubts that row's figures:
    the row waits with it. The row is the last earlier table row whose words hold the name."""
    doubts = [c for c in found if c.role == "unconfirmed" and c.line_no == line.line_no]
    if not doubts or line.table:
        return
    for m in ROW_NAMED.finditer(line.raw):
        name = m.group("name")
        row = next(
            (ln for ln in reversed(before) if ln.kind == "fact" and ln.table and name in ln.text),
            None,
        )
        if row is None:
            continue
        for fig in [f.text for f in _amounts(row.text, year)]:
            found.append(_doubted_earlier(row, fig, doubts[0], year))
        doubts[0].pending = False  # the doubt is asked once, with the row
        if line.text and not _amounts(line.text, year):
            # The note's other words give the doubt's grounds ("系统10月调整统计口径"): about the row, no deed.
            found.append(
                _set_aside(line, line.text, "remark", None, year, reason="表格说明里对这一行数字的说明")
            )
            line.text = ""


def _doubt_reaches_its_clause(line: NoteLine, kept: list[str], out: list[Clause], year: int | None) -> None:
    """A doubt that names a figure the same line states elsewhere ("追发工资约1860万元" … "1860万是监察大队口径，待核",
    a remark cell on a ledger row) doubts the clause stating it: that clause waits too, and the question is asked
    once."""
    for doubt in [c for c in out if c.line_no == line.line_no and c.role == "unconfirmed" and c.pending]:
        for said in doubt.figures:
            if _names_a_thing(said, doubt.text) or not any(f.unit for f in _amounts(said, year)):
                continue
            k = next((k for k, c in enumerate(kept) if _same_figure(said, c, year)), None)
            if k is None:
                continue
            clause, fig = kept[k], _same_figure(said, kept[k], year)
            others = [f for f in _amounts(clause, year) if f.text != fig]
            if others and (m := re.search(rf"(?:约|共|计|达|近|超过?)?{re.escape(fig)}", clause)):
                # "为1960余名劳动者追发工资约1860万元": the other count of the clause stands without the doubted one.
                kept[k] = clause[: m.start()] + clause[m.end() :]
            else:
                kept.pop(k)
            out.append(
                _set_aside(
                    line,
                    clause,
                    "unconfirmed",
                    None,
                    year,
                    pending=True,
                    reason=f"同一行对这个数字有疑问（{doubt.text}），核实后再写入",
                )
            )
            doubt.pending = False


def _names_a_thing(said: str, text: str) -> bool:
    """A number without a unit right before a noun ("12345那边的统计", "110指挥中心") names a hotline or a body; it
    counts nothing, so it doubts no figure said elsewhere."""
    at = text.find(said)
    after = text[at + len(said) : at + len(said) + 1] if at >= 0 else ""
    return bool(re.fullmatch(r"[\d０-９]+", said)) and bool(re.match(r"[\u4e00-\u9fff]", after))


def _set_aside(line: NoteLine, text: str, role: str, cue: Cue | None, year: int | None, **kw) -> Clause:  # type: ignore[no-untyped-def]
    return Clause(
        line_no=line.line_no,
        text=text.strip(),
        role=role,
        cue=cue.id if cue else "",
        figures=[f.text for f in _figures(text, year)],
        **kw,
    )


def _line_roles(line: NoteLine, before: list[NoteLine], year: int | None) -> list[Clause]:
    out: list[Clause] = []
    text = line.text
    # A remark or wrapping over a block ("【批注：下面这段可以用】") is no heading of the report.
    line.headings = [h for h in line.headings if not _talk(h)]
    # Whole-line wrapping: a mail header, an app's "last edited", a recorder's header; a note to whoever speaks or
    # writes ("[演讲者备注] …", "【批注：…】").
    for role in ("wrapping", "remark"):
        for cue in cues_of(role, "line") + cues_of(role, "title"):
            if cue.pattern.search(line.raw) or cue.pattern.search(text):
                line.text = ""
                # "@写报告的同志：……初稿写的10期不对，是8期": a note set aside whole still corrects what it names.
                named = []
                for piece in re.split(r"[；;。]", text):
                    found = _correction_in(piece, year)
                    if (
                        found
                        and found[2] is not None
                        and found[3] is not None
                        and (
                            _named(piece, found[2]) or found[2].start >= _sep_before(piece, found[1].start())
                        )
                    ):
                        count = len(named)
                        _named_correction(line, found[0], found[2], found[3], piece, before, year, named)
                        if not _named(piece, found[2]):
                            # A slip a comment names ("27.3是把数字打反了") is corrected where stated, and the old
                            # value is still put to the user once: the comment, not the notes' author, changed it.
                            for c in named[count:]:
                                c.pending = True
                                c.reason = f"批注说这个数字有误，已按批注改为{found[3].text}，请确认"
                return [_set_aside(line, line.raw, role, cue, year), *named]
    # A leader's opinion said aloud ("这个事，我一直讲，不是挂个名。") states nothing of the year's work: the
    # sentence goes, and with it the line when nothing else is left.
    sentences = re.split(r"(?<=[。！!？?])", text)
    said = [t for t in sentences if t.strip() and not _figures(t, year) and first_cue(t, "filler", "line")]
    if said:
        for t in said:
            out.append(_set_aside(line, t, "filler", first_cue(t, "filler", "line")[0], year))  # type: ignore[index]
        text = "".join(t for t in sentences if t not in said)
        if not _cjk(text):
            line.text = ""
            return out
    # A sigh or a complaint ("唉，今天又熬夜赶表") opens the writer's private aside: the sentence goes; a figure in
    # it waits in 待确认 (the sigh is no proof the figure is not the year's).
    sentences = re.split(r"(?<=[。！!？?])", text)
    sighs = [t for t in sentences if t.strip() and first_cue(t, "filler", "aside")]
    for t in sighs:
        counted = bool(_amounts(t, year))
        out.append(
            _set_aside(
                line,
                t,
                "filler",
                first_cue(t, "filler", "aside")[0],  # type: ignore[index]
                year,
                pending=counted,
                reason="日记里的感叹或牢骚，其中的数字确认后再写入" if counted else "",
            )
        )
    if sighs:
        text = "".join(t for t in sentences if t not in sighs)
        if not _cjk(text):
            line.text = ""
            return out
    # Words of wrapping inside a clause: a link's address, a tag, a tick box, an e-mail address.
    for cue in cues_of("wrapping", "strip"):
        text = cue.pattern.sub("", text)
    # Whoever speaks or wrote a line ("刘敏（办信股）：", "王队说") is its origin; a report names no staff.
    if (
        (m := SPEAKER_LABEL.match(text))
        and person_spans(m.group("who"))
        and not _figures(m.group("who"), year)
    ):
        out.append(_set_aside(line, m.group("who"), "wrapping", None, year, reason="说话人或报送人"))
        text = text[m.end() :]
    text = re.sub(r"\[([^\]]+)\]", r"\1", text) if "](" in line.raw or "]（" in line.raw else text
    # A stage direction ("（脱稿：……）") says the words were said off the script: the marker and the aside's words of
    # mood go; a clause with a figure, or one that doubts, keeps the role its own words give it.
    if offscript := first_cue(text, "filler", "offscript"):
        out.append(
            _set_aside(line, offscript[1].group(0), "filler", offscript[0], year, reason="讲话的舞台提示")
        )
        pieces = _clauses(re.sub(r"[）)]\s*$", "", text[offscript[1].end() :]))
        moods = [
            c
            for c in pieces
            if not _figures(c, year) and not first_cue(c, "unconfirmed") and not first_cue(c, "not_done")
        ]
        for c in moods:
            out.append(_set_aside(line, c, "filler", offscript[0], year, reason="脱稿时的感想，不是工作情况"))
        text = tidy_clause("".join(c for c in pieces if c not in moods))
        if not _cjk(text):
            line.text = ""
            return out
    # A block under a heading that names another year: its figures are that year's.
    if _heading_year(line.headings, year) and _figures(text, year):
        line.text = ""
        return [
            _set_aside(
                line,
                text,
                "earlier",
                None,
                year,
                pending=True,
                reason="这一块的标题写的是往年，确认是本年度的情况再写入",
            )
        ]
    # Another year's columns of a table row.
    for cell in line.other_columns:
        out.append(_set_aside(line, cell, "earlier", None, year, reason="表格中往年一栏的数字"))
    # Struck-through text (~~112~~ in Markdown, a crossed-out value in a transcription) is deleted text: what
    # it says never stands, and a figure in it was corrected by what follows.
    text = REVISION_STAMP.sub("", text)
    for m in list(STRUCK.finditer(text)):
        deleted = m.group(1) or m.group(2) or m.group(3)
        out.append(_set_aside(line, deleted, "superseded", None, year, reason="材料中划掉的内容"))
    text = INSERTED.sub(r"\1", STRUCK.sub("", text))
    if (head := CORRECTION_HEADER.match(text)) and _correction_in(text[head.end() :], year) is None:
        # "【11月26日更正】经核对，全年实际查处案件93起……": the header says what follows is the corrected
        # statement. Its clauses are the year's facts; each figure takes the place of the one an earlier line states
        # of the same thing, which is superseded.
        text = text[head.end() :]
        out.extend(_header_supersedes(text, line, before, year))
    text, corrections = _corrections(text, line, before, year)
    out.extend(corrections)
    for aside in BRACKETED.findall(text):
        # "全县83所……全部配齐（原台账写97所，把撤并的教学点也算进去了）": the aside about an earlier version
        # goes whole; the clause it hangs on stays.
        if (hit := first_cue(aside, "superseded", "clause")) and _amounts(aside, year):
            out.append(_set_aside(line, aside, "superseded", hit[0], year, reason="旧版材料里的数字"))
            text = tidy_clause(text.replace(aside, "", 1))
        elif (hit := first_cue(aside[1:], "remark", "reported")) and first_cue(aside, "remark", "clause"):
            # "（通报说我们“研究不够”，依据是上半年只开过1次，……这个我们有意见。）": what another body said and the
            # writer's view of it; a figure in it waits for the user.
            figured = bool(_amounts(aside, year))
            out.append(
                _set_aside(
                    line,
                    aside,
                    "unconfirmed" if figured else "remark",
                    hit[0],
                    year,
                    pending=figured,
                    reason="括号里转述别人的说法和写稿人的看法，确认后再写入"
                    if figured
                    else "括号里是写稿人的看法",
                )
            )
            text = tidy_clause(text.replace(aside, "", 1))
        elif (
            (hit := first_cue(aside, "earlier", "mark", year=year))
            and _amounts(aside, year)
            and not COMPARISON.search(aside)
            and _amounts(text.replace(aside, "", 1), year)
        ):
            # "办结28件（2024年同期21件，供对比）": the bracket, commas and all, is last year's; the clause stands.
            out.append(_set_aside(line, aside, "earlier", hit[0], year, reason="往年的数字，不是本年度的"))
            text = tidy_clause(text.replace(aside, "", 1))
        elif (
            (hit := first_cue(aside, "not_done"))
            and not first_cue(aside, "unconfirmed")  # "（还没对账，先别写死）" doubts the figure: it waits
            and _amounts(text.replace(aside, "", 1), year)
        ):
            # "修订规范性文件3件（另有1件预计明年印发）": the aside is the part not done; what was done stands.
            out.append(
                _set_aside(
                    line,
                    aside,
                    "not_done",
                    hit[0],
                    year,
                    pending=True,
                    reason="未完成的部分，不能写成已完成：可写入“存在的不足”或“下一年度主要安排”",
                )
            )
            text = tidy_clause(text.replace(aside, "", 1))
        elif (
            re.search(r"[，,；;？?]", aside)
            and (hit := first_cue(aside, "unconfirmed", "mark"))
            and (at := text.find(aside)) >= 0
            and _amounts(text[(start := max(text.rfind(c, 0, at) for c in "，,；;。") + 1) : at], year)
        ):
            # "追回基金318.7万元（手写：基金科账上是290多万，待对）": a doubt in an aside of several clauses doubts
            # the clause it hangs on; the two wait together, as one question.
            out.append(
                _set_aside(
                    line,
                    text[start : at + len(aside)].lstrip("，,；;"),
                    "unconfirmed",
                    hit[0],
                    year,
                    pending=True,
                    reason="括号里对这个数字有疑问，核实后再写入",
                )
            )
            text = tidy_clause(text[:start] + text[at + len(aside) :])
        elif _talk_aside(aside, year):
            # "学法9次（我数的会议纪要，应该没错）": an aside that only talks to the writer goes whole.
            out.append(_set_aside(line, aside, "remark", None, year, reason="括号里是对写稿人说的话"))
            text = tidy_clause(text.replace(aside, "", 1))
    kept: list[str] = []
    clauses = _clauses(text)
    last = ""  # the role of the clause just before: a doubt said twice is one doubt
    kept_count = 0
    last_earlier = False  # the sentence so far speaks of another year
    opens, ended = True, True  # the clause opens a sentence
    years_long = False  # the sentence so far speaks of a total over several years
    doubted_here = False  # the sentence so far already doubted a figure
    sentence_from = 0  # the first kept clause of the sentence
    for clause in clauses:
        opens, ended = ended, not _goes_on(clause)
        doubted_here = doubted_here and not opens
        if opens:
            sentence_from = len(kept)
        years_long = (years_long and not opens) or bool(_multi_year(clause, year))
        last = out[-1].role if out and out[-1].line_no == line.line_no and kept_count == len(kept) else "fact"
        kept_count = len(kept)
        body = clause
        for cue in cues_of("filler", "strip"):
            body = cue.pattern.sub("", body)
        if last != "fact" and body.lstrip().startswith("其中"):
            # "…五年累计146场，其中今年32场": the whole 其中 took its part of is not in the text.
            body = body.lstrip()[2:].lstrip("，,、 ")
        if not _cjk(body) and not _figures(body, year):
            if _cjk(clause):
                out.append(_set_aside(line, clause, "filler", None, year))
            continue
        if (hit := first_cue(clause, "filler", "clause")) and not _figures(clause, year):
            out.append(_set_aside(line, clause, "filler", hit[0], year))  # "然后是执法。": a topic said aloud
            continue
        if (hit := first_cue(body, "wrapping", "clause")) and not _amounts(body, year):
            out.append(_set_aside(line, body, "wrapping", hit[0], year))  # a time, a room, who attended
            continue
        if only_people(body):
            out.append(_set_aside(line, body, "wrapping", None, year, reason="人员名单"))
            continue
        if person_spans(body):
            body = without_names(body)
        if hit := first_cue(body, "remark", "question"):
            if _amounts(body, year):
                out.append(
                    _set_aside(
                        line,
                        body,
                        "unconfirmed",
                        hit[0],
                        year,
                        pending=True,
                        reason="问句里的数字，确认后再写入",
                    )
                )
            else:
                out.append(_set_aside(line, body, "remark", hit[0], year, reason="问句，不是陈述"))
            continue
        hit = first_cue(body, "remark", "clause")
        if hit and hit[0].id == "remark.place_or_version" and first_cue(body, "unconfirmed", "mark"):
            # "第10项“约1.5万人次”是现场估的": talk about a place that doubts its figure is that figure's doubt.
            hit = None
        if hit and hit[0].id == "remark.hearsay" and _amounts(body, year):
            # "人社那边说是120件": a figure heard from another office waits for the user.
            out.append(
                _set_aside(
                    line,
                    body,
                    "unconfirmed",
                    hit[0],
                    year,
                    pending=True,
                    reason="别的单位的说法，核实后再写入",
                )
            )
            continue
        if hit:
            out.append(_set_aside(line, body, "remark", hit[0], year))
            if kept and (k := _withdrawn(kept, body, year)) is not None:
                # "……2023年那次是分管领导去的，这个不用提": "this" is the clause just said; it goes with the remark.
                # "去了30多人，具体人数不用写": what the remark names (人数) is the clause that counts people.
                out.append(_set_aside(line, kept.pop(k), "remark", None, year, reason=f"材料说不写：{body}"))
            continue
        if hit := first_cue(body, "unconfirmed", "mark"):
            # "19份？这个数我拿不准，等财务股回话": once a figure is doubted, more doubt without a figure is the same
            # doubt; a doubt that took no figure yet ("有一笔缴款还没对上，这个数先别用死") still reaches back.
            doubted = [c for c in out if c.line_no == line.line_no and c.role == "unconfirmed"]
            said_again = last == "unconfirmed" or (last == "filler" and out[-1].cue.startswith("unconfirmed"))
            if said_again and doubted and doubted[-1].figures and not _amounts(body, year):
                out.append(
                    _set_aside(line, body, "filler", hit[0], year)
                )  # "……，等财务股回话": the same doubt
                continue
            target = body
            unitless = not any(f.unit for f in _amounts(body, year))
            if unitless and line.table and not _only_about_what_was_said(body, hit[1]):
                # A table row's remark cell that doubts ("本期为预估数，以整改报告为准") doubts the row's value.
                prev = next((k for k in range(len(kept) - 1, -1, -1) if _amounts(kept[k], year)), None)
                if prev is not None:
                    out.append(_set_aside(line, body, "filler", hit[0], year))
                    target = kept.pop(prev)
            if not _amounts(body, year) and _only_about_what_was_said(body, hit[1]):
                # "……120家，这个数再核一下": the doubt is about the amount said last before it, unless the
                # clause just before already doubted an amount ("好像是40多次吧，再核一下": one doubt).
                # Once the sentence doubted a figure, more doubt reaches no further back than the sentence: "网上
                # 信访是812件，不过这个数我心里不踏实，……，重复件没剔" says nothing of the total said before it.
                floor = sentence_from if doubted_here else 0
                prev = next((k for k in range(len(kept) - 1, floor - 1, -1) if _amounts(kept[k], year)), None)
                doubted_amount = last == "unconfirmed"  # "有个二十来次吧，具体的看台账": one doubt
                if doubted_amount or (doubted_here and prev is None):
                    out.append(_set_aside(line, body, "filler", hit[0], year))
                    continue
                if prev is not None:
                    target = kept.pop(prev)
                    out.append(_set_aside(line, body, "filler", hit[0], year))
                elif last == "unconfirmed":
                    out.append(_set_aside(line, body, "filler", hit[0], year))  # the same doubt said again
                    continue
            out.append(
                _set_aside(
                    line,
                    target,
                    "unconfirmed",
                    hit[0],
                    year,
                    pending=True,
                    reason="材料对这个说法或数字有疑问，核实后再写入",
                )
            )
            doubted_here = doubted_here or bool(_amounts(target, year))
            continue
        if (
            (span := _multi_year(body, year))
            and _goes_on(clause)
            and not _amounts(body, year)
            and len(_cjk(body.replace(span.group(0), ""))) <= 4
        ):
            # "“八五”普法启动以来，": only the span of the totals it opens; the figures it dates are not the year's,
            # and alone it dates nothing.
            out.append(_set_aside(line, body, "earlier", None, year, reason="多年累计数的起止，随其数字不写"))
            continue
        if (
            years_long
            and _amounts(body, year)
            and not THIS_YEAR.search(body)
            and not _names_year(body, year)
            and not _pointers(body, year)  # "数字化那个126万画幅像是建馆以来累计的": talk about a figure
        ):
            # "“八五”普法启动以来，……五年累计开展普法活动146场，受益5万人次": a total over several years reads as
            # this year's in the report; it stays out unless the clause says it is the year's ("其中今年32场").
            out.append(
                _set_aside(
                    line, body, "earlier", None, year, reason="多年累计数，不是本年度数字；如要写入请注明起止"
                )
            )
            continue
        if (hit := first_cue(body, "superseded", "clause")) and _amounts(body, year):
            # "那版写的已办结5件": a figure of an earlier version of the material
            out.append(_set_aside(line, body, "superseded", hit[0], year, reason="旧版材料里的数字"))
            continue
        if (
            last_earlier
            and _amounts(body, year)
            and not first_cue(body, "earlier", "mark", year=year)
            and not THIS_YEAR.search(body)
            and not COMPARISON.search(body)
        ):
            # "去年全年查处186辆，罚款51.6万元": the clause goes on with the year the one before it named.
            out.append(
                _set_aside(
                    line, body, "earlier", None, year, reason="同一句前文说的是往年，这个数字也是往年的"
                )
            )
            last_earlier = _goes_on(body)
            continue
        last_earlier = False
        hit = first_cue(body, "earlier", "mark", year=year)
        if hit and OLD_VALUE_COMPARED.search(body):
            # "比2024年的9场多了5场": a comparison that states the other year's value says it of that year.
            out.append(
                _set_aside(line, body, "earlier", hit[0], year, reason="对比中的往年数字，不是本年度的")
            )
            continue
        if hit and NUMERAL.search(body) and not COMPARISON.search(body):
            aside = _aside_in_brackets(body, hit[1].start())
            if aside and _amounts(body.replace(aside, ""), year):
                # "审核合同27份（2024年为22份）": the bracket is last year's, the clause around it this year's.
                out.append(
                    _set_aside(line, aside, "earlier", hit[0], year, reason="往年的数字，不是本年度的")
                )
                body = body.replace(aside, "")
            else:
                out.append(_set_aside(line, body, "earlier", hit[0], year, reason="往年的数字，不是本年度的"))
                # Only a clause that opens its sentence gives the year to the clauses after it ("，上年为50件；罚没款
                # 486.3万元" is an aside on the clause before).
                last_earlier = opens and _goes_on(body)
                continue
        kept.append(body)
    _doubt_reaches_its_clause(line, kept, out, year)
    text = tidy_clause("".join(kept))
    unremarked = REVIEW_BRACKETS.sub("", line.raw)
    if text and (hit := first_cue(text, "not_done", "line") or _status_cell(unremarked)):
        # Placement still decides its part: an unfinished task may be a shortfall or next year's work.
        line.not_done = hit[0].id
        pieces = _clauses(text)
        unfinished = [c for c in pieces if first_cue(c, "not_done")]
        for k, c in enumerate(pieces):
            # "另有17件跨年，明年1月前审结不了": the unfinished clause is said of the count just before it.
            prev = pieces[k - 1] if k else ""
            # Only a clause of the same sentence ("，") is said of; a deed ended by "；" or "。" is its own.
            counted = prev and _amounts(prev, year) and _goes_on(prev) and prev not in unfinished
            if c in unfinished and counted and not _amounts(c, year):
                unfinished.insert(unfinished.index(c), prev)
        done = [c for c in pieces if c not in unfinished and any(f.unit for f in _amounts(c, year))]
        # A bare status ("未启动", "进行中" in a task list's column) is said of the whole line, unless a clause of
        # the line names what is unfinished ("已征求12个部门意见；尚未提请常务会审议" + "未完成"): it is said of that.
        said = [c for c in unfinished if first_cue(c, "not_done")]
        bare = (
            (line.table or "状态" in line.raw)
            and any(_bare_status(c, year) for c in said)
            and all(_bare_status(c, year) for c in said)
        )
        if done and not bare and not CHECKBOX_OPEN.match(line.raw):
            # "行政诉讼11件：已判决10件；1件还在审": only the clause that is not done waits.
            line.not_done_clauses = [DRAWN_MARK.sub("", c) for c in unfinished]
        elif not bare and not CHECKBOX_OPEN.match(line.raw):
            # "修订《林木采伐审批办法》，经局务会审议通过；《古树名木保护细则》还在征求意见": deeds joined by "；"
            # each keep their own state; a deed that says it was finished stays, with all its clauses.
            deeds = [d for d in DEED_SEP.split(text) if _cjk(d)]
            waiting = [d for d in deeds if first_cue(d, "not_done")]
            finished = [d for d in deeds if d not in waiting and FINISHED.search(d)]
            if waiting and finished:
                line.not_done_clauses = [DRAWN_MARK.sub("", d) for d in waiting]
    line.text = DRAWN_MARK.sub("", text)
    return out


def _bare_status(clause: str, year: int | None) -> bool:
    """A clause that is only a not-done status ("未完成", "进行中"), naming no task and no amount."""
    hit = first_cue(clause, "not_done")
    return bool(hit) and len(_cjk(hit[1].re.sub("", clause))) <= 2 and not _amounts(clause, year)  # type: ignore[index]


# Deeds of one line are joined by "；" or "。"; the commas inside one hold its steps ("按……程序，经……审议通过").
DEED_SEP = re.compile(r"(?<=[；;。])")
# Words that say a deed was carried through, not only named ("修订《……办法》" alone may be the task still open).
FINISHED = re.compile(
    r"已|完成|通过|印发|出台|下发|办结|建成|上线|投用|投入使用|审结|结案|发布|施行|签订|签署|召开|举办|批复|备案"
)


def _goes_on(clause: str) -> bool:
    """The sentence goes on after this clause (it ends with a comma, not 。；！？)."""
    return clause.rstrip().endswith(("，", ","))


def _multi_year(text: str, year: int | None) -> re.Match[str] | None:
    """A cue of a total over several years ("五年累计", "建馆以来", "2021年以来"); a named year counts only when it
    is before the report year ("2026年以来" in a 2026 report is this year)."""
    for cue in cues_of("earlier", "span"):
        for m in cue.pattern.finditer(text):
            named = m.groupdict().get("year")
            if named is None or (year is not None and int(named) < year):
                return m
    return None


def _names_year(clause: str, year: int | None) -> bool:
    """The clause names the report year itself ("2025年，……") and so speaks of it."""
    return year is not None and re.search(rf"{year}\s*年(?!\s*以来|\s*至今)", clause) is not None


# A header that opens a line of corrected statements, set apart by brackets or a date: "【11月26日更正】",
# "〔勘误〕", "12月2日更正：". A bare "更正：" opens a correction that names its old value ("更正：126个是10月底的
# 数，年底是132个"), which the corrections read.
CORRECTION_HEADER = re.compile(
    r"^\s*(?:[【\[〔]\s*[^【】\[\]〔〕：:，,。；;]{0,12}?(?:更正|订正|勘误|纠正|修正)(?:说明)?\s*[】\]〕]\s*[:：]?"
    r"|(?:(?:19|20)\d\d\s*[年.\-/]\s*)?\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*[日号]?\s*(?:更正|订正|勘误|纠正|修正)(?:说明)?\s*[:：])\s*"
)
# Bigrams the subjects of a corrected figure and of the figure it replaces must share ("查处涉烟违法案件").
SAME_SUBJECT = 3


def _header_supersedes(text: str, line: NoteLine, before: list[NoteLine], year: int | None) -> list[Clause]:
    """The figures an earlier line states of what a correction's statements count again, each with a new value:
    their clauses leave those lines as superseded. A clause about the old version ("初报数含2起已撤销的") states
    nothing new and replaces nothing."""
    out: list[Clause] = []
    for clause in _clauses(text):
        if first_cue(clause, "remark", "clause"):
            continue
        for fig in _amounts(clause, year):
            if not fig.unit:
                continue
            words = set(_grams(_words_of(clause, fig)))
            best: tuple[int, NoteLine, Figure] | None = None
            for earlier in before[-60:]:
                if earlier.kind != "fact":
                    continue
                for old in _amounts(earlier.text, year):
                    if old.unit != fig.unit or old.number == fig.number:
                        continue
                    shared = len(words & set(_grams(_words_of(earlier.text, old))))
                    if shared >= SAME_SUBJECT and (best is None or shared > best[0]):
                        best = (shared, earlier, old)
            if best is None:
                continue
            _, earlier, old = best
            taken = _take_out(earlier, old.text, year)
            out.append(
                Clause(
                    line_no=earlier.line_no,
                    text=taken,
                    role="superseded",
                    cue="superseded.correction",
                    figures=[old.text],
                    reason=f"第{line.line_no}行更正为{fig.text}",
                )
            )
    return out


def _words_of(text: str, fig: Figure) -> str:
    """The words of the clause before a figure: what it counts ("全年实际查处涉烟违法案件" of "……93起")."""
    return re.split(r"[，,；;。：:]", text[: fig.start])[-1]


# Words that say a clause is of the report year ("今年", "本年度"): no other year goes on into it.
# A remark that the clause just said is not for the report: "这个不用提", "这条就别写了", "这句不写".
THIS_ONE_NOT = re.compile(
    r"^(?:这个|这条|这句|这件|这事|那个|这)(?:就|也)?(?:不用|不要|别|不必|不|甭)(?:提|写|说)"
)
THIS_YEAR = re.compile(r"今年|本年|当年|全年")


def _withdrawn(kept: list[str], remark: str, year: int | None) -> int | None:
    """Which clause said before a withdrawing remark it takes back: the one just before when the remark only
    points ("这个不用提"); else the last one holding all it names — a kind of figure (人数: a count of people), a
    number (零), or words of the clause ("败诉那个…"). None when it names nothing said: the clauses stay."""
    if THIS_ONE_NOT.match(remark):
        return len(kept) - 1
    named = withdrawal(remark)
    if named is None:
        return None
    if not named:
        return len(kept) - 1
    for k in range(len(kept) - 1, -1, -1):
        if all(_names(kept[k], word, year) for word in named):
            return k
    return None


def _names(clause: str, word: str, year: int | None) -> bool:
    """The clause holds what a word of a withdrawing remark names."""
    amounts = _amounts(clause, year)
    units = next((u for kind, u in FIGURE_KINDS.items() if word.endswith(kind)), None)
    if units is not None:
        # "30多人", "近百名": an approximate count's unit still names what it counts.
        return bool(amounts) and (not units or any(f.unit.lstrip("余多来近约") in units for f in amounts))
    if word in ZERO_WORDS:
        return any(_value(f) == 0 for f in amounts)
    return len(word) >= 2 and word in clause


ZERO_WORDS = ("零", "0", "０", "为零", "是零")


# What a doubt may say besides its cue and still be only about what was said before it ("这个数再核一下").
ABOUT_WHAT_WAS_SAID = re.compile(
    r"这个|这|那个|那|数字?|数据|个数|具体|的|了|吧|啊|呢|一下|我|你|再|还|要|得|需要"
)


def _only_about_what_was_said(clause: str, cue: re.Match[str]) -> bool:
    rest = clause[: cue.start()] + clause[cue.end() :]
    return len(_cjk(ABOUT_WHAT_WAS_SAID.sub("", rest))) <= 2


def _heading_year(headings: list[str], year: int | None) -> bool:
    for heading in headings:
        for m in YEAR_IN_HEADING.finditer(heading):
            if m.group(1) is None or (year is not None and int(m.group(1)) < year):
                return True
    return False


def _corrections(
    text: str, line: NoteLine, before: list[NoteLine], year: int | None
) -> tuple[str, list[Clause]]:
    """ "立案38件，不对，是35件" → "立案35件": the corrected value takes the place of the one it corrects."""
    out: list[Clause] = []
    text = _reconciled(text, line, year, out)
    # "（更正：初稿中罚款写成476.3万元，有误）": a value named as written wrongly elsewhere; the aside goes.
    while m := WRONGLY_WRITTEN.search(text):
        figs = _figures(m.group("said"), year)
        if not figs:
            break
        out.append(_set_aside(line, figs[0].text, "superseded", None, year, reason="材料说这个数字写错了"))
        start, end = _aside_around(text, m.start(), m.end())
        out.append(_set_aside(line, text[start:end], "remark", None, year, reason="更正前稿的话"))
        text = tidy_clause(text[:start] + text[end:])
    applied = False
    for _ in range(4):  # a line rarely corrects more than once
        found = _correction_in(text, year)
        if found is None:
            break
        cue, m, wrong, right = found
        if right is None and applied:
            # "是165人，上次表格抄错了": after a correction, the words about the mistake are talk about it.
            start, end = _sep_before(text, m.start()), _sep_after(text, m.end())
            while (more := REPEATED_VALUE.match(text, end)) and _said_again(
                _figures(more.group(0), year)[0], _figures(text[:start], year)
            ):
                end = more.end()  # "……，我看反了，1430。": the bare value said once more
            out.append(_set_aside(line, text[start:end], "remark", cue, year, reason="说明更正的话"))
            text = tidy_clause(text[:start] + text[end:])
            continue
        if right is None and (told := _old_version_told(text, m.start(), year)) is not None:
            # "复议3件：维持2件，撤回1件。一开始登的是维持3件，后来核了，登错了": the sentence the correction words
            # sit in names the old value itself; the sentences before it state the values that stand.
            start, olds = told
            # An old value the standing sentences also state ("复议3件" beside "维持3件") is no figure to guard
            # the text against: the remark keeps its words out.
            standing = {f.text for f in _amounts(text[:start], year)}
            out.extend(
                _set_aside(line, f, "superseded", cue, year, reason="更正前的数字")
                for f in olds
                if f not in standing
            )
            out.append(_set_aside(line, text[start:], "remark", cue, year, reason="说明更正的话"))
            text = tidy_clause(text[:start])
            applied = True
            continue
        if right is None:
            # "这个数不对" with no new value: the figure it speaks of is in doubt.
            out.append(_doubt(line, text, cue, year, "材料说这个数字不对，但没给出正确的数字"))
            return "", out
        if right is not None and _named(text, right) and (newer := _newer_value(text, right, [], year)):
            # "（更正：评论里说的9个是6月份的数，年底是12个）": the value named as said is the old one.
            wrong, right = right, newer
        if wrong is not None and _named(text, wrong) and wrong.number != right.number:
            # "写成681件，实际是618件", "“52项”那个是我手误……以46项为准": the line speaks of a figure said elsewhere.
            _named_correction(line, cue, wrong, right, text, before, year, out)
            if "（" in text[: wrong.start] or "(" in text[: wrong.start]:
                start, end = _aside_around(text, wrong.start, _end(right))
            else:
                start, end = _sep_before(text, wrong.start), _sep_after(text, _end(right))
                start = 0 if start == wrong.start else start
            out.append(_set_aside(line, text[start:end], "remark", cue, year, reason="更正别处数字的话"))
            text = tidy_clause(text[:start] + text[end:])
            applied = True
            continue
        if _stated_before(before, right, year) and (newer := _newer_value(text, right, before, year)):
            # "更正：126个是10月底的数，年底是132个，用132个": the value named first is the old one an earlier line
            # states; a value of its unit said after it, stated nowhere before, is the new one.
            right, wrong = newer, None
        if _stated_before(before, right, year):
            # A change log ("立案数由38件改为42件") of a value an earlier line already states: talk, no fact.
            old = wrong or _corrected_on_earlier_line(before, text, right, year)[1]
            if old is not None and old.text != right.text:
                out.append(
                    _set_aside(line, old.text, "superseded", cue, year, reason=f"已更正为{right.text}")
                )
            out.append(_set_aside(line, text, "remark", cue, year, reason="改动记录，改后的数字前文已有"))
            return "", out
        if wrong is not None and _stated_before(before, wrong, year):
            # "更正：16日报的结案数135件有误，应为139件": the line names a figure an earlier line stated.
            wrong = None
        if wrong is not None:
            out.append(_set_aside(line, wrong.text, "superseded", cue, year, reason=f"已更正为{right.text}"))
            if cue.id == "superseded.crossed_out":  # "58件 64件 原数划掉": the old value, the new, the cue
                text = text[: wrong.start] + text[_end(wrong) : m.start()].lstrip() + text[m.end() :]
                continue
            # From the first correction words after the old value ("，不对，说错了，是35件" goes whole).
            first = min(
                [m.start()]
                + [
                    x.start()
                    for c in cues_of("superseded", "mark")
                    for x in c.pattern.finditer(text)
                    if x.start() >= _end(wrong)
                ]
            )
            cut_from = max(_sep_before(text, first), _end(wrong))
            if not re.search(r"\w", text[_end(wrong) : cut_from]):
                cut_from = _end(
                    wrong
                )  # "14人 → ❌ 写错了 改：16人": an arrow or a mark is the correction's too
            # "检查52项（经……核对，应为46项）": a correction in an aside goes with the aside's words.
            opening = max(text.rfind("（", _end(wrong), first), text.rfind("(", _end(wrong), first))
            if (
                opening >= 0
                and text[_end(right) : _end(right) + 1] in "）)"
                and text[_end(right) : _end(right) + 1]
            ):
                cut_from = opening
            cut_to = _sep_after(text, _end(right))
            text = text[: wrong.start] + right.text + text[_end(wrong) : cut_from] + text[cut_to:]
            applied = True
            continue
        # The value it corrects was said on an earlier line ("更正：立案数应为271件" in a chat).
        target, old = _corrected_on_earlier_line(before, text, right, year)
        if target is None or old is None:
            out.append(_doubt(line, text, cue, year, "更正了一个数字，但找不到更正的是哪一条"))
            return "", out
        out.append(
            _set_aside(
                target, old.text, "superseded", cue, year, reason=f"第{line.line_no}行更正为{right.text}"
            )
        )
        target.text = target.text[: old.start] + right.text + target.text[_end(old) :]
        target.figures = [f.text for f in _figures(target.text, year)]
        out.append(_set_aside(line, text, "remark", cue, year, reason="更正前文的话"))
        # Only a clause that states another figure of its own is more than talk about the correction.
        rest = [
            c
            for c in _clauses(text)
            if c.find(right.text) < 0
            and old.number not in c
            and not first_cue(c, "superseded", "mark")
            and not KEPT_VALUE.search(c)  # "已缴存到位16家没错": a value the correction leaves as it was
            and any(f.unit and f.unit not in DATE_UNITS for f in _figures(c, year))
        ]
        text = tidy_clause("".join(rest))
        if not text:
            break
    return text, out


def _reconciled(text: str, line: NoteLine, year: int | None, out: list[Clause]) -> str:
    """ "审查合同46份（上半年报的是39份，后来又审了7份，以46份为准）" → "审查合同46份": an aside that corrects to a
    value the line already states outside it only explains that figure. Nothing in it is replaced, and the aside
    goes whole: the value reported before and the arithmetic (又审了7份) are no facts of the year."""
    for br in reversed(list(BRACKETED.finditer(text))):
        found = _correction_in(br.group(0), year)
        if found is None or found[3] is None:
            continue
        right = found[3]
        outside = text[: br.start()] + text[br.end() :]
        if not any(f.number == right.number and _unit(f) == _unit(right) for f in _figures(outside, year)):
            continue
        out.append(
            _set_aside(line, br.group(0), "remark", found[0], year, reason="核对数字的说明，核对后的数字已写")
        )
        text = tidy_clause(outside)
    return text


SAID_AS = re.compile(
    r"(?:原(?:填|报|写|登|记)|写的|写成|写为|写了|印成|印的|印了|报的|报成|报了|填的|填成|说的|记的|记成)\s*$"
)
POINTED_BEFORE = re.compile(r"(?:那个|这个|那|这)\s*$")
POINTED_AFTER = re.compile(r"\s*(?:的数字?|这个数|那个数|这个数字|那个数字)")
OPEN_QUOTES, CLOSE_QUOTES = '“"「‘', '”"」’'


def _named(text: str, fig: Figure) -> bool:
    """The figure is named as said or written somewhere ("写成681件", "“52项”那个"), not stated as the line's fact."""
    quoted = (
        fig.start > 0
        and text[fig.start - 1] in OPEN_QUOTES
        and text[_end(fig) : _end(fig) + 1] in CLOSE_QUOTES
    )
    # "我们那个12起的数写错了": a figure pointed at as "that number" is named, not stated.
    pointed = bool(POINTED_BEFORE.search(text[max(0, fig.start - 3) : fig.start])) and bool(
        POINTED_AFTER.match(text[_end(fig) :])
    )
    return quoted or pointed or bool(SAID_AS.search(text[max(0, fig.start - 4) : fig.start]))


def _named_correction(
    line: NoteLine,
    cue: Cue,
    wrong: Figure,
    right: Figure,
    text: str,
    before: list[NoteLine],
    year: int | None,
    out: list[Clause],
) -> None:
    """A correction naming a value said elsewhere puts the right value in its place: on an earlier line that
    shares the correction's words, or the only earlier line stating it; a later line is left to
    `_reaches_forward`, which reads the reason."""
    stating = [
        (ln, f)
        for ln in before[-60:]
        if ln.kind == "fact"
        for f in _figures(ln.text, year)
        # "46.8" names "46.8万元": a value said without its unit is the one stated with it.
        if f.text == wrong.text or (not wrong.unit and f.unit and f.number == wrong.number)
    ]
    words = set(_grams(text))
    sharing = [c for c in stating if words & set(_grams(c[0].text[max(0, c[1].start - 12) : c[1].start]))]
    chosen = sharing[-1] if sharing else stating[0] if len(stating) == 1 else None
    if chosen is None:
        out.append(
            _set_aside(line, wrong.text, "superseded", cue, year, reason=f"别处的数字已更正为{right.text}")
        )
        return
    target, old = chosen
    out.append(
        _set_aside(target, old.text, "superseded", cue, year, reason=f"第{line.line_no}行更正为{right.text}")
    )
    target.text = target.text[: old.start] + right.text + target.text[_end(old) :]
    target.figures = [f.text for f in _figures(target.text, year)]


def _newer_value(text: str, right: Figure, before: list[NoteLine], year: int | None) -> Figure | None:
    """A value of the same unit said after `right` in a correction and stated on no earlier line, or None."""
    # "……应为46项）；“双随机”抽查9次，责令整改3项": a value after the correction's sentence is another fact.
    stop = min([p for s in "；;。）)" if (p := text.find(s, _end(right))) >= 0] or [len(text)])
    later = [
        f
        for f in _figures(text, year)
        if right.start < f.start < stop
        and _unit(f) == _unit(right)
        and f.number != right.number
        and not _stated_before(before, f, year)
    ]
    return later[-1] if later else None


# Units of a date or a time: "16日报的结案数" names when a figure was sent, not a figure.
DATE_UNITS = frozenset({"年", "月", "日", "号", "天", "周"})


def _correction_in(
    text: str, year: int | None
) -> tuple[Cue, re.Match[str], Figure | None, Figure | None] | None:
    """The last correction cue of the text with the value it gives and the one it corrects (None: not here)."""
    masked = QUOTED.sub(lambda q: "\ue000" * len(q.group(0)), text)
    figures = [f for f in _figures(text, year) if f.unit not in DATE_UNITS and not _post_ref(text, f)]
    best = None
    for cue in cues_of("superseded", "mark"):
        for m in cue.pattern.finditer(masked):
            if cue.id == "superseded.crossed_out":
                prior = [f for f in figures if _end(f) <= m.start()]
                if len(prior) >= 2 and _unit(prior[-1]) == _unit(prior[-2]):
                    cand = (cue, m, prior[-2], prior[-1])
                else:
                    continue
            else:
                after = [f for f in figures if f.start >= m.end()]
                right = after[0] if after else None
                if right is not None and _said_again(right, [f for f in figures if _end(f) <= m.start()]):
                    right = (
                        None  # "是1430个，我看反了，1430": the value said again after the words on the slip
                    )
                wrong = None
                if right is None and (slip := _slip_named(text, figures, m)) is not None:
                    # "罚款我们对账是48.6万元，46.8是把数字打反了": the clause of the slip names the wrong value,
                    # the sentence before it the right one.
                    wrong, right = slip
                elif right is not None:
                    prior = [f for f in figures if _end(f) <= m.start() and _unit(f) == _unit(right)]
                    # "口述为“5次”，……记录为6次，以6次为准": the same value said again is not the one corrected
                    # when another value of its unit was named.
                    prior = [f for f in prior if f.number != right.number] or prior
                    wrong = prior[-1] if prior else None
                    # "重大事项17项里有2项是人事任免，不算，写15项": the whole a part is taken from is the figure
                    # corrected, not the part.
                    whole = [
                        a
                        for a in prior
                        for b in prior
                        if a is not b
                        and None not in (va := _value(a), vb := _value(b))
                        and va - vb == _value(right)  # type: ignore[operator]
                    ]
                    if whole:
                        wrong = whole[0]
                cand = (cue, m, wrong, right)
            # The cue nearest before the new value decides ("更正：……135件有误……应为139件").
            if best is None or (cand[3] is not None and (best[3] is None or m.start() > best[1].start())):
                best = cand
    return best


def _slip_named(text: str, figures: list[Figure], cue: re.Match[str]) -> tuple[Figure, Figure] | None:
    """(wrong, right) when the clause of a slip names its value ("46.8是把数字打反了") and the sentence before it
    gives another of the same kind ("对账是48.6万元"); None otherwise."""
    start = _sep_before(text, cue.start())
    named = [f for f in figures if start <= f.start < cue.start()]
    said = [f for f in figures if f.start < start and _end(f) <= start]
    if len(named) != 1 or not said:
        return None
    wrong = named[0]
    like = [
        f
        for f in said
        if f.number != wrong.number
        and (not wrong.unit or f.unit == wrong.unit or f.unit.startswith(wrong.unit))
        and sorted(f.number.replace(".", "")) == sorted(wrong.number.replace(".", ""))
    ]
    return (wrong, like[-1]) if like else None


# A clause that is only a bare number ("，1430。"), as a speaker repeats the value to make it clear.
REPEATED_VALUE = re.compile(r"[，,]\s*[\d０-９]+(?:\.[\d０-９]+)?\s*(?=[，,；;。]|$)")


def _said_again(fig: Figure, before: list[Figure]) -> bool:
    """A bare number that repeats a value with its unit said before it ("1430个 …… 1430") is that value again."""
    return not fig.unit and any(f.unit and f.number == fig.number for f in before)


WRONGLY_WRITTEN = re.compile(
    r"(?:写成|写为|报成|报为|误写为|误作|填成)\s*(?P<said>[\d０-９.]+\s*[^\s，,；;。）)]{0,4})\s*[，,]?\s*(?:有误|错了|不对|是错的|写错了)"
)


def _aside_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bracketed aside, or else the sentence, that holds text[start:end]."""
    opening = max(text.rfind("（", 0, start), text.rfind("(", 0, start))
    if opening >= 0:
        closing = min([p for p in (text.find("）", end), text.find(")", end)) if p >= 0] or [len(text) - 1])
        return opening, closing + 1
    return _sep_before(text, start), _sep_after(text, end)


def _stated_before(before: list[NoteLine], fig: Figure, year: int | None) -> bool:
    return any(
        line.kind == "fact" and any(f.text == fig.text for f in _figures(line.text, year))
        for line in before[-60:]
    )


def _corrected_on_earlier_line(
    before: list[NoteLine], text: str, right: Figure, year: int | None
) -> tuple[NoteLine | None, Figure | None]:
    """The earlier figure a correction replaces: the one whose value it names ("刚才那个263"), else the one whose
    subject it shares most, else the last one said with the same unit."""
    candidates = []
    for line in before[-60:]:
        if line.kind != "fact":
            continue
        for f in _figures(line.text, year):
            if _unit(f) == _unit(right) and f.text != right.text:
                candidates.append((line, f))
    if not candidates:
        return None, None
    at = text.find(right.text)
    # "（消费者代表8名不变）": a value the correction says stays is not the one it corrects.
    kept = set(KEPT_VALUE.findall(text))
    said_before = _values_named(text[:at], right, year) - kept
    said = _values_named(text[:at] + text[at + len(right.text) :], right, year) - kept
    # The value named before the new one ("原来报的19名有误，……为21名") outranks one named after it.
    named = [c for c in candidates if c[1].number in said_before] or [
        c for c in candidates if c[1].number in said
    ]
    if named:
        return named[-1]
    words = set(_grams(text[: text.find(right.text)]))

    def overlap(c: tuple[NoteLine, Figure]) -> int:
        line, f = c
        # The figure's own clause names its subject: "；局长述法1次" does not share "学法" with "中心组学法".
        window = re.split(r"[，,；;。]", line.text[max(0, f.start - 12) : f.start])[-1]
        return len(words & set(_grams(window)))

    best = max(range(len(candidates)), key=lambda i: (overlap(candidates[i]), i))
    return candidates[best]


def _post_ref(text: str, fig: Figure) -> bool:
    """ "1楼" (a post of a chat thread) or "第3条" names where something was said, not a value."""
    return text[_end(fig) : _end(fig) + 1] == "楼" or text[max(0, fig.start - 1) : fig.start] == "第"


def _values_named(text: str, right: Figure, year: int | None) -> set[str]:
    """The numbers a correction names that may be the old value: bare ("刚才那个263") or of the new value's unit;
    "更正1楼" or "第3条" names where the old value was said, not the value."""
    other = {f.number for f in _figures(text, year) if f.unit and _unit(f) != _unit(right)}
    for m in re.finditer(r"第\s*(\d+)|(\d+)\s*楼", text):
        other.add(m.group(1) or m.group(2))
    return set(re.findall(r"\d+(?:\.\d+)?", text)) - other


KEPT_VALUE = re.compile(
    r"(\d+(?:\.\d+)?)\s*[^\d\s，,；;。）)]{0,3}?(?:不变|没变|未变|照旧|保持不变|不动|没错|没有错|无误|是对的|没问题)"
)


def _grams(text: str) -> list[str]:
    han = _cjk(text)
    return [han[i : i + 2] for i in range(len(han) - 1)]


def _value(fig: Figure) -> float | None:
    try:
        return float(fig.number)
    except (TypeError, ValueError):
        return None


def _doubt(line: NoteLine, text: str, cue: Cue, year: int | None, reason: str) -> Clause:
    """A correction the reader cannot apply: the whole line waits in 待确认."""
    return _set_aside(line, text, "unconfirmed", cue, year, pending=True, reason=reason)


# Words that say a figure is the one first recorded, before a correction ("一开始登的是", "原来报的", "初稿写的").
OLD_VERSION = re.compile(
    r"一开始|开始时|起初|最初|原先|原来|本来|初稿|初报|之前登|之前报|之前写|先前|原(?:填|报|登|写)(?=\s*[\d０-９])"
)


def _old_version_told(text: str, at: int, year: int | None) -> tuple[int, list[str]] | None:
    """(where the sentence of the correction words at `at` starts, the old figures it names) when that sentence is
    not the line's first, names a figure after a word of the first version, and sentences before it state figures."""
    start = text.rfind("。", 0, at) + 1
    end = text.find("。", at)
    sentence = text[start : end if end >= 0 else len(text)]
    old = OLD_VERSION.search(sentence)
    if old is None:
        return None
    told = sentence[old.end() :]
    if start <= 0 or not _amounts(text[:start], year):
        # "问题金额3.18亿元，原填3.42亿元，……剔除后更正": the old value is told in a clause of its own, after
        # the clauses of the same sentence that state the value standing.
        start = max(text.rfind(s, 0, start + old.start()) for s in "，,；;") + 1
        if start <= 0 or not _amounts(text[:start], year):
            return None
        told = re.split(r"[，,；;]", told)[0]
    olds = [f.text for f in _amounts(told, year) if f.unit]
    return (start, olds) if olds else None


def _sep_before(text: str, at: int) -> int:
    seps = [text.rfind(s, 0, at) for s in "，,；;。（("]
    pos = max(seps)
    return pos if pos >= 0 else at


def _sep_after(text: str, at: int) -> int:
    seps = [p for s in "，,；;。）)" if (p := text.find(s, at)) >= 0]
    if not seps:
        return len(text)
    pos = min(seps)
    return pos + 1 if text[pos] in "）)" else pos


def confirmed_text(clause: Clause) -> str:
    """A clause the user confirmed, as a fact: its hedge ("好像……吧", "再核一下") goes, what it states stays."""
    text = clause.text
    if clause.role == "unconfirmed":
        for cue in cues_of("unconfirmed"):
            if not cue.spans_figure:  # "5名？", "二十来次吧": the cue holds the figure, which stays
                text = cue.pattern.sub("", text)
        text = re.sub(r"[吧呢啊][，,。]?$|[？?]+$", "", text.strip().rstrip("，,。；;"))
    return tidy_clause(text) or clause.text


def settle_not_done(parsed: ParsedNotes, lines: list[NoteLine]) -> None:
    """An unfinished task placed among this year's measures goes to 待确认; in 不足 or 安排 it stays."""
    unfinished = {ln.line_no: ln for ln in lines if ln.not_done}
    if not unfinished:
        return
    reason = "未完成的事项，不能写成已完成：可写入“存在的不足”或“下一年度主要安排”"
    parts: dict[int, set[str]] = {}
    for fact in parsed.facts:
        if fact.line_no in unfinished:
            parts.setdefault(fact.line_no, set()).add(fact.key.split(".")[0])
    outside = {n for n, keys in parts.items() if not keys <= set(NOT_DONE_PARTS)}
    keep = []
    for fact in parsed.facts:
        line = unfinished.get(fact.line_no)
        if line is None or fact.line_no not in outside or fact.key.split(".")[0] in NOT_DONE_PARTS:
            keep.append(fact)
            continue
        if not line.not_done_clauses:
            continue  # the whole line is one task: listed once below
        text = fact.text
        for clause in line.not_done_clauses:
            body = clause.rstrip("，,；;。")
            if body and body in text:
                text = text.replace(body, "", 1)
        fact.text = tidy_clause(text)
        fact.figures = [f.text for f in _figures(fact.text, None)]
        if _cjk(fact.text):
            keep.append(fact)
    parsed.facts = keep
    for n in sorted(outside):
        line = unfinished[n]
        for text in line.not_done_clauses or [line.text]:
            parsed.set_aside.append(
                Clause(
                    line_no=n,
                    text=text.strip("，,；; "),
                    role="not_done",
                    cue=line.not_done,
                    figures=[f.text for f in _figures(text, None)],
                    pending=True,
                    reason=reason,
                )
            )
