"""The reader's last gate: a fact whose clause still reads as talk is not written (drafting/notes/register.toml).

The roles decide each clause by its cues; notes in a shape nobody foresaw still slip a remark to the writer ("这回
只写…那一节"), a pointer at the page ("上面说的那几件"), a speaker's aside ("我觉得…") or a question through as a
fact. Whatever of a fact still reads that way is taken out of it here: fail closed. Its figures wait in 待确认, and
a word of speech ("说实话", "反正", "…啊") is only struck out. The checks hold the written text to the same
standard on their own (drafting/checks/talk.py).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from core.types import Clause, ParsedNotes
from drafting.notes.cues import Cue, load_cues
from drafting.notes.reading import chat_speaker
from drafting.notes.roles import tidy_clause
from drafting.text.numbers import find_figures

REGISTER_FILE = Path(__file__).with_name("register.toml")
# A clause ends at a comma, semicolon, colon or stop; a bracketed aside is a clause of its own.
PIECES = re.compile(r"[（(][^（()）]*[）)]|[^，,；;。！!？?：:（(]+[，,；;。！!？?：:]*")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》")
CJK = re.compile(r"[\u4e00-\u9fff]")
REASON = {
    "remark": "像是写给起草人的话或对材料本身的说明，未写入正文；如是本年度事实，请写入",
    "unconfirmed": "材料里是估计、存疑或提问的语气，未写入正文；核实后请写入",
    "person": "材料以第一人称“我”叙述，看不出是谁（如是主要负责人，请写入第二部分）",
    "not_done": "未完成的事项，不能写成已完成：可写入“存在的不足”或“下一年度主要安排”",
}
NOT_DONE_PARTS = ("shortcomings", "plans")
HEAD_WORDS = "主要负责人"
TOP_LINES = 12  # a first-person account says whose it is in its heading or covering words


def register_cues() -> tuple[Cue, ...]:
    return load_cues(REGISTER_FILE)


def _unquoted(text: str) -> str:
    """Quoted words are the work's own ("写的时候别说“全部化解”" still says 别说), so they are blanked out."""
    return QUOTED.sub(lambda m: "　" * len(m.group(0)), text)


@lru_cache(maxsize=1)
def _head() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = tomllib.loads(REGISTER_FILE.read_text(encoding="utf-8"))["head"]
    return re.compile(data["titles"]), re.compile(data["account"]), re.compile(data["duty"])


def head_speaks(lines: list[str]) -> bool:
    """The notes are the head's own first-person account ("刘局长……讲话的录音整理稿", "大队长述法报告")."""
    titles, account, _ = _head()
    top = [ln for ln in lines if ln.strip()][:TOP_LINES]
    return any(titles.search(ln) and account.search(ln) for ln in top)


def _speaker_is_head(raw: str, account: bool) -> bool:
    """Whose 我 a line's is: its chat speaker's when it has one, else the account's."""
    said = chat_speaker(raw)
    if said is None:
        return account
    return bool(_head()[0].search(said[0]))


def refuse_talk(parsed: ParsedNotes, lines: list[str] | None = None) -> None:
    """Take talk out of every fact; what it held of figures goes to 待确认, the rest is listed as set aside. A
    first-person clause is the head's (written as 主要负责人) only in the head's own account; otherwise it asks."""
    clause_cues = [c for c in register_cues() if c.scope == "clause"]
    strip_cues = [c for c in register_cues() if c.scope == "strip"]
    person = [c for c in register_cues() if c.scope == "person"]
    whole = [c for c in register_cues() if c.scope == "line"]
    account = head_speaks(lines or [])
    keep = []
    for fact in parsed.facts:
        if line_cue := next((c for c in whole if c.pattern.search(_unquoted(fact.text))), None):
            # The whole line is the document's own (a distribution list): set aside, never asked about.
            parsed.set_aside.append(
                Clause(line_no=fact.line_no, text=fact.text, role=line_cue.role, cue=line_cue.id)
            )
            continue
        kept: list[str] = []
        taken: list[tuple[str, Cue]] = []
        # The line's own words or its heading ("一、履行第一责任人职责情况") may say the 我 is the head.
        duty = _head()[2]
        head = (
            _speaker_is_head(fact.raw, account)
            or bool(duty.search(fact.text))
            or any(duty.search(h) for h in fact.headings)
        )
        value_of: Cue | None = None  # a form field's label was taken: its value goes with it
        for piece in PIECES.findall(fact.text):
            bare = _unquoted(piece.strip("，,；;。！!（()） "))
            cue = next(
                (
                    c
                    for c in clause_cues
                    if c.pattern.search(bare)
                    and not (c.role == "not_done" and fact.key.split(".")[0] in NOT_DONE_PARTS)
                ),
                None,
            )
            label = piece.rstrip().endswith(("：", ":"))
            if value_of is not None and not (cue is not None and label):
                taken.append((piece, value_of))
                value_of = None
                continue
            if cue is not None and cue.role == "wrapping" and label:
                value_of = cue
            if cue is None and not head:
                cue = next((c for c in person if c.pattern.search(bare)), None)
            if cue is not None:
                taken.append((piece, cue))
                continue
            for c in strip_cues:
                piece = _strip(piece, c)
            if head:
                for c in person:
                    piece = _strip(piece, c, HEAD_WORDS)
            kept.append(piece)
        text = tidy_clause("".join(kept))
        if not taken and text == tidy_clause(fact.text):
            if len(CJK.findall(text)) >= 4 or fact.figures:
                keep.append(fact)
            else:
                parsed.dropped.append(fact.raw or fact.text)  # "收到", "好的": no statement of work
            continue
        left = {f.text for f in find_figures(text)}
        for piece, cue in taken:
            figures = [f.text for f in find_figures(piece) if f.text not in left]
            # A deed whose doer is unknown is asked about even without a figure: it may be the head's work.
            asks = (
                (bool(figures) and cue.role != "wrapping") or cue.scope == "person" or cue.role == "not_done"
            )
            parsed.set_aside.append(
                Clause(
                    line_no=fact.line_no,
                    text=piece.strip("，,；; "),
                    role=cue.role,
                    cue=cue.id,
                    figures=figures,
                    pending=asks,
                    reason=REASON["person"]
                    if cue.scope == "person"
                    else REASON.get(cue.role, REASON["remark"]),
                )
            )
        if len(CJK.findall(text)) >= 4:
            fact.text = text
            fact.figures = [f.text for f in find_figures(text)]
            keep.append(fact)
    parsed.facts = keep


# Words that call a figure wrong: "46.8是把数字打反了", "原报的312有误", "28处不对".
CALLED_WRONG = re.compile(r"打反|有误|不对|错了|写错|记错|搞错|算错|报错|填错")
# A number called wrong: not a row, a page or a date ("第6行…有误"), and of two characters at least (a lone
# digit matches too many figures of the notes to doubt them all).
BARE_NUMBER = re.compile(r"(?<![\d.第])\d[\d.]*\d(?![\d.]|\s*[行列条项号页月日年]|\s*季度)")
WRONG_REASON = "材料后文说这个数字有误，未写入正文；请核对后写入正确的数"


def doubt_figures_called_wrong(parsed: ParsedNotes) -> None:
    """A set-aside clause that calls a figure wrong ("46.8是把数字打反了") reaches every fact stating it: the
    fact's clause with that figure waits in 待确认, whatever the notes give instead (fail closed)."""
    wrong: set[str] = set()
    for clause in parsed.set_aside:
        for part in re.split(r"[，,；;。]", clause.text):
            if CALLED_WRONG.search(part):
                wrong.update(BARE_NUMBER.findall(part))
    if not wrong:
        return
    keep = []
    for fact in parsed.facts:
        kept, taken = [], []
        for piece in PIECES.findall(fact.text):
            numbers = {
                re.match(r"[\d.]+", f.text).group(0)
                for f in find_figures(piece)
                if re.match(r"[\d.]+", f.text)
            }
            (taken if numbers & wrong else kept).append(piece)
        if not taken:
            keep.append(fact)
            continue
        for piece in taken:
            parsed.set_aside.append(
                Clause(
                    line_no=fact.line_no,
                    text=piece.strip("，,；; "),
                    role="superseded",
                    cue="register.called_wrong",
                    figures=[f.text for f in find_figures(piece)],
                    pending=True,
                    reason=WRONG_REASON,
                )
            )
        text = tidy_clause("".join(kept))
        if len(CJK.findall(text)) >= 4:
            fact.text = text
            fact.figures = [f.text for f in find_figures(text)]
            keep.append(fact)
    parsed.facts = keep


def _strip(piece: str, cue: Cue, instead: str = "") -> str:
    out, last = [], 0
    masked = _unquoted(piece)
    for m in cue.pattern.finditer(masked):
        out.append(piece[last : m.start()] + instead)
        last = m.end()
    out.append(piece[last:])
    return "".join(out)
