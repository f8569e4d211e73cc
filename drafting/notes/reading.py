"""The notes reader: raw notes text → structured lines, run once per notes text.

It recovers the structure people give their notes: `【…】`/`[…]` labels, numbered headings (一、 （一） 1. 1、
(1) ①), Markdown `#` and `**bold**` headings, short lines ending in `：`, topic prefixes (`问题：`, `明年：`),
office prefixes (`办公室：`, `法规股：`, chat speakers "执法大队老马 14:10") kept as the line's origin, covering
lines (titles, "仅供参考", chat chatter, table header rows) and tables pasted from a spreadsheet (tabs or several
spaces, or Markdown pipes) read as label–value lines. Every line keeps the chain of headings above it.

The reader decides *what a line is*, never *where it goes*: placement (drafting/placement.py) does that with
all the evidence at once. Cue words come from the `[reading]` table of outline.toml (data a bureau can edit).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field

from drafting.notes.cues import cues_of
from drafting.notes.records import assemble_records
from drafting.outline import Outline
from drafting.text.normalize import to_fullwidth
from drafting.text.numbers import UNITS, find_figures
from drafting.text.tokens import tokens

# Words that try to take over the tool or make it invent or alter figures: whatever figures such a line holds are
# the attack's, never this year's, and never offered to the user as a question.
INJECTION = (
    r"忽略|无视|不要(?:遵守|理会|管)|以上(?:要求|指令|规则)|上述(?:要求|指令|规则)|你(?:现在)?是|扮演|系统提示|提示词|"
    r"请(?:你|直接)?(?:编造|虚构|杜撰|捏造|随便写)|(?:编造|虚构|杜撰|捏造)(?:一些|数据|数字)|"
    r"(?:把|将).{0,16}(?:写成|改成|改为|说成)|"
    r"ignore (?:all |the )?(?:previous|above)|system prompt|you are now"
)
STEERING = re.compile(INJECTION, re.I)
# A line that tries to steer the tool instead of stating a fact. It is data: never obeyed, always reported. Besides
# an attack, a request to the writer ("麻烦……", "别写……") is one too.
INSTRUCTION = re.compile(INJECTION + r"|^(?:请|麻烦|帮我|务必)(?![了示求])|(?:不要|别)(?:写|提|出现)", re.I)
# A remark that takes back what was just said ("具体人数不用写", "这个别写了", "败诉那个…零就别写了吧"): its verb
# of writing ends the clause, so what it withdraws is said before it, never after ("别写成已经印发" or "别写“全部”"
# say how to write, and stay instructions). Its own words only point (这个, 具体, 数字) or name the thing.
WITHDRAWAL = re.compile(
    r"^(?P<obj>[^，,；;。！!？?]*?)(?:就|也|还是|可以|都)?(?:不用|不要|别|不必|甭|无需|没必要|不)(?:再)?"
    r"(?:写|提|列|报|放)(?:进去|上去|了|吧|啊|哈|呢|的|出来)*[。！!，,；;\s]*$"
)
POINTING_WORDS = re.compile(
    r"这个|那个|这条|那条|这句|那句|这项|那项|这些|那些|这|那|具体的?|的|了|吧|啊|嗯|呃|就|也"
)
# What a withdrawal may name without naming a deed: the kind of figure it takes back, by the units it counts in.
FIGURE_KINDS = {
    "人数": ("人", "人次", "名"),
    "人次": ("人次",),
    "金额": ("元", "万元", "亿元"),
    "钱数": ("元", "万元", "亿元"),
    "次数": ("次", "场", "期"),
    "件数": ("件", "起"),
    "个数": ("个",),
    "比例": ("%",),
    "数字": (),
    "数据": (),
    "数": (),
}


def withdrawal(clause: str) -> list[str] | None:
    """The words a withdrawing remark names ("败诉那个零" → 败诉, 零; none when it only points at what was said
    just before), or None when the clause is no withdrawal."""
    m = WITHDRAWAL.match(clause.strip())
    if m is None:
        return None
    return [w for w in POINTING_WORDS.split(m.group("obj").strip(" …—-")) if w.strip(" …—-")]


def withdrawn_line(text: str) -> bool:
    """The line's only words to the writer take back a clause of its own sentence: the rest is no instruction (the
    roles take that clause out). A line of several sentences stays one: fail closed."""
    # A remark speaks of its own sentence: in a line of several, what it takes back is no longer plain.
    if len([t for t in re.split(r"[。！!？?]", text) if t.strip()]) > 1:
        return False
    pieces = [p for p in re.split(r"(?<=[，,；;。！!？?…])", text) if p.strip(" ，,；;。…")]
    kept = [p for p in pieces if withdrawal(p.strip(" …")) is None]
    return len(kept) < len(pieces) and bool(kept) and not INSTRUCTION.search("".join(kept))


EXPLICIT_KEY = re.compile(r"^\s*[【\[]\s*([a-z]+(?:\.[a-z]+)?)\s*[】\]]\s*$")
BULLET = re.compile(r"^\s*(?:[-*+•·●○▪■□◆◇→>]+(?!\*)|[a-zA-Z][.)、](?=\s|[\u4e00-\u9fff]))\s*")
# Numbering styles, outermost first in the usual 公文 hierarchy; the reader ranks styles by first appearance.
NUMBERING = (
    ("cn", re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")),
    ("cn_paren", re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*")),
    ("arabic", re.compile(r"^\s*\d{1,2}\s*(?:[、．]|\.(?!\d))\s*")),
    ("arabic_paren", re.compile(r"^\s*(?:[（(]\s*\d{1,2}\s*[）)]|\d{1,2}\s*[）)])\s*")),
    ("circled", re.compile(r"^\s*[①-⑳]\s*")),
    # Spoken ordinals of a speech or minutes: "第一点，关于……的情况。" announces its block.
    ("ordinal", re.compile(r"^\s*第[一二三四五六七八九十]+(?:点|个方面|部分)\s*[，,、：:]\s*")),
)
TAGS_ONLY = re.compile(
    r"^\s*#[^\s#]+#?(?:\s*#[^\s#]+#?)+\s*$"
)  # two tags or more: "#学法" alone may be a heading
MD_HEADING = re.compile(r"^\s*(#{1,6})\s*(.+?)\s*#*\s*$")
BOLD_ONLY = re.compile(r"^\s*\*\*(.+?)\*\*\s*[:：]?\s*$")
BOLD_LABEL = re.compile(r"^\s*\*\*(.+?)\*\*\s*[:：]?\s*(.+)$")
BRACKET_ONLY = re.compile(r"^\s*[【\[]([^】\]:：]{1,24})[】\]]\s*[:：]?\s*$")
BRACKET_LABEL = re.compile(r"^\s*[【\[]([^】\]:：]{1,24})[】\]]\s*[:：]?\s*(.+)$")
# A chat export names the speaker and the time, in either order: "执法大队老马 14:10 …", "孙中队 9:05：…",
# "孙中队9:05 …", "[09:05] 张三：…", "2024-03-01 09:07 李四：…". Neither is part of the fact.
_DATE = r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*)"
_CLOCK = r"(?:上午|下午|中午|晚上|早上)?\d{1,2}:\d{2}(?::\d{2})?"
_SPEAKER = (
    # "说话人1" of a transcript carries a number; QQ adds "(123456789)"
    r"(?:我|[^\s：:，,。；;\d\[\]【】<>()（）]{2,16}?\d{0,2})(?:[(（][^）)]{1,24}[)）])?"
)
SPEAKER_FIRST = re.compile(rf"^\s*({_SPEAKER})(?:\s+{_DATE}?{_CLOCK}|{_CLOCK}(?=[\s：:]|$))\s*[：:]?\s*(.*)$")
TIME_FIRST = re.compile(
    rf"^\s*(?:[\[【(（]\s*{_DATE}?{_CLOCK}\s*[\]】)）]|{_DATE}{_CLOCK}|{_CLOCK}(?=\s))\s*({_SPEAKER})\s*(?:[：:]\s*(.*))?$"
)
# A transcript names each voice by a numbered role, with no clock ("说话人1：", "发言人2：", "Speaker 1:"): the
# number says it is a voice of the recording, never a topic of the notes.
TRANSCRIPT_VOICE = re.compile(r"^\s*((?:说话人|发言人|讲话人|Speaker|SPK)\s*\d{1,2})\s*[：:]\s*(.*)$", re.I)
# A line that is only a date (the day header of a forwarded chat record, a letter's date): when, not what.
DATE_ONLY = re.compile(rf"^\s*{_DATE}(?:\s*(?:星期|周)[一二三四五六日天])?\s*(?:{_CLOCK})?\s*$")
# A page number a scan or a print-out leaves between two pages: "- 2 -", "—3—", "第2页", "第2页 共5页".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)
# The first cell of a row in a table with a 序号 column: the row's number, not its label.
SERIAL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[（(]\d{1,3}[）)])[.．、]?$")
# Items numbered inside one line ("（1）甲；（2）乙", "1.甲 2.乙"): numbers 1, 2, 3 … in order, the first at the start.
INLINE_NUMBERS = (
    re.compile(r"[（(](\d{1,2})[）)]"),
    re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?!\d)"),
    re.compile(r"(?<![\d.．（(])(\d{1,2})[）)](?!\d)"),
)
# Circled numbers are never figures: any run of them in order numbers items ("①甲 ②乙", "甲②乙" after the reader
# took the line's own ① off).
CIRCLED_RUN = re.compile(r"[①-⑳]")
# The end of a title over the notes ("……2024年法治政府建设工作情况"), which a scan may break over two lines.
TITLE_END = re.compile(r"(?:工作情况|情况报告|工作报告|工作总结|情况汇报|自查报告)$")
LINE_END = "。；;！？!?：:"
PREFIX = re.compile(r"^([^：:，,。；;（(]{1,12}?)\s*[：:]\s*(.+)$")
# A remark to whoever writes the report ("亮点可以写…", "这个建议写进去：…", "可以提一下…"): the words before it name
# the topic, the words after it are the fact; the remark itself is neither.
AUTHORING = re.compile(
    r"^(?P<topic>[^，,：:。；;\s]{1,8}?)?(?:(?:这块|那块|方面|的话)?(?:也|就)?(?:可以|可|建议|重点|最好|要)|(?P<bare>这块|那块|这一块|方面)(?:也|就)?)"
    r"(?:写|提)(?![入进成好明清出])(?:一下|一笔|进去|上)?\s*[：:，,]?\s*"
)
# "补一句 常年法律顾问请了", "再加一条：……": an addition announced to whoever writes; only what follows is said.
ADDENDUM = re.compile(
    r"^(?:再|另外|还有|顺便)?(?:补充?|加|添)(?:一句|一条|一点|一下|两句|几句)\s*[：:，,\s]\s*"
)
# A to-do item's tick box ("- [x] …", "[ ] …"): whether it is done is a role (roles.py), the box is no label.
CHECKBOX = re.compile(r"^\s*\[[ xX✓√✔]?\]\s*")
# A reviewer's note in brackets inside a line: 〔周局批：…〕, 【批注：…】, （批：…）, [注：…].
ANNOTATION = re.compile(
    r"[〔【\[（(]\s*[^〔〕【】\[\]（）()：:]{0,6}?(?:批注|批示|批|按|备注|注|意见|建议|存疑|疑问|提示)\s*[:：][^〔〕【】\[\]]{0,200}?[〕】\]）)]"
)
# An aside in brackets on the figure before it: "（这个数财政局还没对账，先别写死）", "（该数据待核，暂不写）".
FIGURE_ASIDE = re.compile(
    r"[（(][^（）()]{0,30}?(?:这个数|这一?数字?|该数|此数|这数|数据|口径)[^（）()]{0,30}?(?:别|不要|暂不|先不)[^（）()]{0,12}[）)]"
)
PIPE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A tree exported from an outline or mind-map tool: the column of a node's branch mark is its depth.
TREE_NODE = re.compile(r"^([\s│┃|]*)(?:[├└┣┗]\s*[─━—-]+|[|`+]--+)\s*(.*)$")
TREE_STEM = re.compile(r"^[\s│┃|]+$")
COLUMNS = re.compile(r"\t+| {2,}|\u3000{2,}")
YEAR = re.compile(r"(?:19|20)\d\d年?")
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}")
SENTENCE_PUNCT = re.compile(r"[。；;！？!?]")
TOPIC_NOUNS = (
    "情况",
    "方面",
    "工作",
    "统计",
    "一览",
    "数据",
    "汇总",
    "明细",
)  # "监管检查情况" over a table names its topic
PARENTHETICAL = re.compile(r"[（(][^）)]*[）)]")


@dataclass
class NoteLine:
    """One non-empty line of the notes and what the reader made of it."""

    line_no: int
    raw: str  # the line as pasted (stripped)
    kind: str  # fact | heading | covering | chatter | instruction
    text: str = ""  # facts: the content, full-width, bullets and prefixes off; headings: the heading text
    headings: list[str] = field(default_factory=list)  # heading chain above the line, outermost first
    label: str = ""  # a topic prefix or table row label ("问题", "执法", "行政处罚")
    origin: str = ""  # who reported it ("法规股", "执法大队"), never its topic
    explicit_key: str = ""  # 【measures.disputes】 markup of a revision or an expert user
    table: bool = False  # a row of a pasted table
    figures: list[str] = field(default_factory=list)
    why: str = ""  # for covering/chatter lines: why the reader set the line aside
    other_columns: list[str] = field(default_factory=list)  # a table row's cells under another year's column
    not_done: str = ""  # the cue that says the line's task is not done (roles.py)
    not_done_clauses: list[str] = field(default_factory=list)  # only these clauses are not done
    topic: str = ""  # a ledger row's problem cell: what the row is about (its words), not its part nor a fact
    corrected: list[tuple[str, str]] = field(
        default_factory=list
    )  # (old, new) a remark cell corrected in the row
    correction_note: str = ""  # the remark cell that corrected the row's figures (roles.py sets it aside)


@dataclass
class ReadNotes:
    lines: list[NoteLine] = field(default_factory=list)
    remarks: list[tuple[int, str]] = field(default_factory=list)  # reviewers' notes taken out of lines

    @property
    def facts(self) -> list[NoteLine]:
        return [line for line in self.lines if line.kind == "fact"]

    def of_kind(self, *kinds: str) -> list[NoteLine]:
        return [line for line in self.lines if line.kind in kinds]


@dataclass
class _Heading:
    style: str
    text: str
    explicit_key: str = ""
    implicit: bool = False
    direct: bool = False  # fact lines stood right under it, before any office's block
    offices: bool = False  # its content comes in office blocks ("执法大队报来：")


@dataclass
class Lexicon:
    """Reader cue words from outline.toml `[reading]`."""

    offices: tuple[str, ...]  # endings of office names: 科 股 室 办 大队 中心 …
    material: tuple[str, ...]  # words about the notes themselves: 材料 素材 汇总 报表 …
    transmission: tuple[str, ...]  # handing material over: 报来 发来 粘贴 导出 供参考 …
    chatter: tuple[str, ...]  # chat-group talk: 收到 好的 辛苦 …
    addressing: tuple[str, ...]  # talk to colleagues: 各位 大家 谁 一下 …
    duty_verbs: tuple[str, ...]  # verbs of work done or to be done: 开展 制定 推行 …
    judgements: tuple[
        str, ...
    ] = ()  # words that judge the work (不足, 不全, 滞后 …): a line with one says something


def lexicon_of(outline: Outline) -> Lexicon:
    data = outline.extra.get("reading", {})
    return Lexicon(
        offices=tuple(data.get("office_endings", ())),
        material=tuple(data.get("material_words", ())),
        transmission=tuple(data.get("transmission_words", ())),
        chatter=tuple(data.get("chatter_words", ())),
        addressing=tuple(data.get("addressing_words", ())),
        duty_verbs=tuple(data.get("duty_verbs", ())),
        judgements=tuple(
            outline.extra.get("placement", {}).get("cues", {}).get("shortcomings", {}).get("strong", ())
        ),
    )


def read_notes(notes: str, outline: Outline, *, year: int | None = None) -> ReadNotes:
    """Read the notes once: every non-empty line becomes a fact, heading, covering, chatter or instruction line."""
    lex = lexicon_of(outline)
    # A quoted cell over several lines is one cell (the lines it took stay, blank, so numbers still match).
    raw_lines = quoted_cells(bar_rows_to_tabs(csv_to_tabs(assemble_records(notes.splitlines()))))
    raw_lines, pages, furniture = page_furniture(raw_lines)
    raw_lines, numbers, mail_starts = mail_thread(raw_lines)
    numbers = [pages[n - 1] for n in numbers]
    out = ReadNotes()
    out.lines.extend(NoteLine(n, raw.strip(), "covering", why="页码、页眉或页脚") for n, raw in furniture)
    stack: list[_Heading] = []
    styles: list[str] = []  # heading styles in order of first appearance: earlier = outer
    origin = ""  # an office named by a covering line ("监察大队报来的：") reports the lines below it
    # Numbering styles whose lines in the current block were items: "2. 信息化水平不高" after the item
    # "1. 执法人员不足，专业人员少" is an item too, whatever follows it.
    item_styles: set[str] = set()
    page_width = _page_width(raw_lines, printed=bool(furniture))
    # The last row of a table with a 序号 column: a line after it that starts with no number is a cell that ran on.
    numbered_row: NoteLine | None = None

    header: list[str] = []  # the last table header: its columns may name years
    sub_header: list[str] = []  # its second row, when a merged cell spans several columns
    header_line = -1
    first_content = True
    in_contents = False  # inside a deck's contents slide: its lines list the parts, they head nothing
    i = 0
    while i < len(raw_lines):
        line_no, raw = numbers[i], raw_lines[i].strip()
        tree = TREE_NODE.match(raw_lines[i].expandtabs(4))
        if TREE_STEM.match(raw_lines[i]) and "│" in raw_lines[i]:
            i += 1  # a bare stem between a tree's nodes is drawing, not a break in the tree
            continue
        if not tree:
            # The tree's nodes head only the tree: a line after it is outside them.
            while stack and stack[-1].style.startswith("tree"):
                stack.pop()
        if i in mail_starts:
            # A new mail of a thread: the headings, items and office of the mail before it end there.
            stack.clear()
            item_styles.clear()
            origin = ""
        i += 1
        if raw and first_content and i < len(raw_lines) and _title_runs_on(raw, raw_lines[i].strip(), year):
            raw, i = raw + raw_lines[i].strip(), i + 1  # a title broken over two lines is one title
        while (
            raw
            and not tree
            and i < len(raw_lines)
            and _runs_on(raw_lines[i - 1], raw, raw_lines[i], page_width)
        ):
            raw, i = raw + raw_lines[i].strip(), i + 1  # a line a scan broke in mid-sentence
        if not raw:
            # A heading the reader only inferred (a short line over a table or list) covers its block alone.
            while stack and stack[-1].implicit:
                stack.pop()
            continue
        nxt = _next_content(raw_lines, i)
        is_first, first_content = first_content, False
        tree_leaf = False
        if tree:
            depth, raw = len(tree.group(1)), tree.group(2).strip()
            if not raw:
                continue
            below = TREE_NODE.match(_next_tree_line(raw_lines, i).expandtabs(4))
            if below and len(below.group(1)) > depth:
                # A node with children heads them, however it reads: the drawing says so.
                while stack and stack[-1].style.startswith("tree") and int(stack[-1].style[4:]) >= depth:
                    stack.pop()
                chain = [h.text for h in stack]
                text = _plain(_numbering(BULLET.sub("", raw))[1]).rstrip("：: ")
                stack.append(_Heading(f"tree{depth}", text, ""))
                out.lines.append(NoteLine(line_no, raw, "heading", text=text, headings=chain, why="标题行"))
                continue
            while stack and stack[-1].style.startswith("tree") and int(stack[-1].style[4:]) >= depth:
                stack.pop()
            tree_leaf = True

        def heading(style: str, text: str, *, key: str = "", _ln: int = line_no, _raw: str = raw) -> None:
            rank = _rank(styles, style)  # may insert a level between known ones: ranks are read afresh
            while stack and _rank(styles, stack[-1].style) >= rank:
                stack.pop()
            if style != "colon":  # a new block: its numbered lines are judged afresh
                outer = styles[: styles.index(style)] if style in styles else []
                item_styles.intersection_update(outer)
            chain = [h.text for h in stack]
            stack.append(_Heading(style, text, key, implicit=style == "implicit"))
            out.lines.append(NoteLine(_ln, _raw, "heading", text=text, headings=chain, why="标题行"))

        def add(
            kind: str,
            text: str = "",
            *,
            why: str = "",
            _ln: int = line_no,
            _raw: str = raw,
            _from: str = origin,
            **kw,
        ) -> NoteLine:
            if kind == "covering" and LABEL_ALONE.match(_raw):
                # A label of the document's own ("附件：", "说明：") opens a new block at the same level: the
                # label heading above it ("主要领导批示：") heads no line after it.
                while stack and stack[-1].style == "colon":
                    stack.pop()
            chain = [h.text for h in stack]
            explicit = next((h.explicit_key for h in reversed(stack) if h.explicit_key), "")
            line = NoteLine(_ln, _raw, kind, text=text, headings=chain, why=why, **kw)
            if kind == "fact":
                if stack and not stack[-1].offices:
                    stack[-1].direct = True
                line.explicit_key = explicit
                line.origin = line.origin or _from
                line.figures = [f.text for f in find_figures(text, year=year)]
            out.lines.append(line)
            return line

        if (m := EXPLICIT_KEY.match(raw)) and m.group(1) in outline.keys:
            heading("explicit", m.group(1), key=m.group(1))
            continue
        # A reviewer's note inside the line ("〔周局批：这个别写〕", "（批注：数字核过）") speaks to the writer: it is
        # kept apart, so the line's facts are read without it (and it never makes the line an instruction).
        # A note that gives a figure ("〔批：是203.4万元〕") disputes the line's figure: roles.py sets that aside.
        annotations = [m.group(0) for m in ANNOTATION.finditer(raw)]
        rest = raw
        for note in annotations:
            rest = rest.replace(note, "", 1)
        if annotations and rest.strip():
            raw = rest.strip()
            out.remarks.extend((line_no, a) for a in annotations)
        # A letter's salutation ("王科长：") heads nothing, and a form's instructions to the offices that fill it
        # ("反馈要求：请各承办科室……") are its wrapping, no order to the tool: both are set aside before either is
        # taken for a heading or an instruction.
        if _wrapping_cue(raw, "address"):
            add("covering", why="书信或留言的称呼")
            continue
        if _wrapping_cue(BULLET.sub("", raw), "form_note"):
            add("covering", why="表单的填报要求")
            continue
        # A note's "别写" is the reviewer's, not an order; so is the writer's own aside on a figure ("约2100万元
        # （这个数还没对账，先别写死）"): the figure it speaks of waits (roles.py), the line is no instruction.
        # A row of a review form carries the reviewers' words in their own columns ("别写“草案”" under 审核意见):
        # the row's reader sets those cells aside, so they make no instruction of the row.
        reviewed_row = "\t" in raw and any(
            REVIEW_COLUMN.search(h) or DISPOSITION_COLUMN.search(h) for h in header
        )
        if (
            not reviewed_row
            and INSTRUCTION.search(said := FIGURE_ASIDE.sub("", ANNOTATION.sub("", raw)))
            and not withdrawn_line(said)  # "去了30多人，具体人数不用写": roles.py takes that clause out
        ):
            add("instruction", why="指令，不执行")
            continue
        if DATE_ONLY.match(raw):
            add("covering", why="日期行")
            continue
        if PAGE_NUMBER.match(raw):
            add("covering", why="页码")
            continue
        if _menu_line(raw, lex) and not (PIPE_ROW.match(raw) and PIPE_RULE.match(_next_line(raw_lines, i))):
            # A row of short names over a |---| rule is a table's header, not a page's menu.
            add("covering", why="网页或应用的菜单栏")
            continue
        if _form_fields(BULLET.sub("", raw), lex, year):
            add("covering", why="表单的经办信息（承办、时限、状态等）")
            continue
        # -- tables ----------------------------------------------------------------------------------------
        if PIPE_RULE.match(raw):
            add("covering", why="表格分隔行")
            continue
        if m := PIPE_ROW.match(raw):
            cells = [c.strip() for c in m.group(1).split("|")]
            following = _next_line(raw_lines, i)
            if PIPE_RULE.match(following) or (
                # "| 项目 | 数量 |" over rows of figures, with no |---| line: a header all the same.
                _is_header_row(cells, year)
                and PIPE_ROW.match(following)
                and not PIPE_ROW.match(_prev_line(raw_lines, i - 1))
            ):
                add("covering", why="表头")
                header = cells
                continue
            _table_row(cells, add, year, header=header)
            continue
        unbulleted = BULLET.sub("", raw)
        cells = [c.strip() for c in COLUMNS.split(unbulleted) if c.strip()]
        said = chat_speaker(raw)  # "李科长  09:05  今天查了12家" is a chat message, not a table row
        tabular = len(cells) >= 2 and not said and _looks_tabular(unbulleted, cells)
        if (
            numbered_row is not None
            and not said
            and not SERIAL.match(cells[0] if cells else "")
            and not TOTAL_ROW.fullmatch(_plain(cells[0]) if cells else "")
            and (tabular or _numbered_row(_next_content(raw_lines, i)))
        ):
            _run_on_cell(numbered_row, cells, lex, year)
            # Part of the row's own line now, as a line a scan broke is: not a line set aside.
            numbered_row.raw = f"{numbered_row.raw} {raw}"
            continue
        numbered_row = None
        if tabular:
            # A second header row names value columns ("本年 上年 增减"); a group row ("一 组织与学法") does not.
            prev_header = header_line == line_no - 1 and any(_value_column(c, year) for c in cells)
            prev = _prev_line(raw_lines, i - 1)
            if _is_header_row(cells, year) and (
                not _is_table_line(prev) or _form_caption(prev) or prev_header
            ):
                add("covering", why="表头")
                # A second header row under a merged cell ("2024年度" over "本年 上年 增减") names the columns.
                header = [*header, *cells] if prev_header else cells
                sub_header = cells if prev_header else []
                header_line = line_no
                continue
            # A row pasted with its empty cells lines up with the header; the row reader blanks the cells it
            # sets aside (a 序号 cell too), so the list it read is the one asked about below.
            cells = _aligned(raw_lines[i - 1], header, raw) or cells
            row = _table_row(
                cells,
                add,
                year,
                lex,
                header=header,
                values=sub_header or header,
            )
            if len(cells) >= 3 and SERIAL.match(cells[0]) and row is not None:
                numbered_row = row
            continue
        # -- chat exports: "speaker hh:mm [text]" ---------------------------------------------------------
        speaker = ""
        if said:
            speaker, rest = said
            while stack and stack[-1].implicit:  # a new chat message leaves the previous block
                stack.pop()
            if not rest:
                add("covering", why="聊天记录的发言人和时间")
                continue
            if TRANSCRIPT_VOICE.match(raw) and TRANSCRIPT_VOICE.match(re.split(r"[\s\u3000]+", rest)[-1]):
                add(
                    "covering", why="转写的发言人名单"
                )  # "说话人1：某某　说话人2：某某": who speaks, no content
                continue
            if len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) <= 2 and not _has_figure(rest, year):
                add("chatter", why="聊天用语")  # "好" "嗯嗯" "👍": a reply, not a fact
                continue
            raw_body = spaced_clauses(rest)
        else:
            raw_body = raw
        # -- headings --------------------------------------------------------------------------------------
        if not tree_leaf and (m := SLIDE.match(raw_body)):
            # A deck pasted from the outline view: each slide's title heads its bullets and ends the slide
            # before; a slide with no title, or the contents slide, heads nothing.
            title = _plain(m.group(1))
            in_contents = bool(CONTENTS.fullmatch(title))
            stack.clear()
            item_styles.clear()
            if title and not in_contents:
                heading("slide", title)
            else:
                add("covering", why="幻灯片编号或目录页")
            continue
        if in_contents and raw_body:
            add("covering", why="目录页")
            continue
        if TAGS_ONLY.match(raw_body):
            add("covering", why="标签")  # "#法治 #年度": a note app's tags, not a Markdown heading
            continue
        if not tree_leaf and (m := MD_HEADING.match(raw_body)):
            text = _plain(_numbering(m.group(2))[1])  # "##一、学法" is the heading "学法"
            if is_first and _is_title(text, lex, year, loose=True):
                add("covering", why="材料标题")
                continue
            heading(f"md{len(m.group(1))}", text)
            continue
        if not tree_leaf and (m := BOLD_ONLY.match(raw_body)):
            heading("bold", _plain(m.group(1)))
            continue
        if not tree_leaf and (m := BRACKET_ONLY.match(raw_body)):
            heading("bracket", _plain(m.group(1)))
            continue
        style, body = _numbering(raw_body)
        body = BULLET.sub("", body).strip() if not style else body
        ends_colon = body.rstrip().endswith((":", "："))
        core = body.rstrip("：: ").strip()
        has_fig = _has_figure(core, year)
        if (
            not tree_leaf
            and style
            and style not in item_styles
            and _is_heading(style, core, ends_colon, has_fig, nxt, outline)
        ):
            heading(style, _plain(core))
            continue
        if (
            not tree_leaf
            and style in item_styles
            and ends_colon
            and not has_fig
            and len(core) <= 12
            and not SENTENCE_PUNCT.search(core)
            and nxt
            and _numbering(nxt)[0] != style
        ):
            # "二、执法：" among items that state their facts after the label ("一、学法：会前学法10次"): an item
            # that is only its label heads the lines under it; it states nothing itself.
            heading(style, _plain(core))
            continue
        if (
            not tree_leaf
            and not style
            and ends_colon
            and not has_fig
            and len(core) <= 24
            and not SENTENCE_PUNCT.search(core)
        ):
            office = _office_in(core, lex)
            if _is_meta(core, lex) or (
                office and (_office_only(core, office) or not outline.match_heading(core))
            ):
                origin = office or origin
                if office:
                    _office_block(stack)
                add("covering", why="说明材料来源的话")
                continue
            heading("colon", _plain(core))
            continue
        # -- covering lines and chatter ---------------------------------------------------------------------
        if not style and not has_fig and core.endswith(("？", "?")) and not _states_then_asks(core):
            add("chatter", why="问话")
            continue
        # "2024 救助和低保数据（社会救助股）" over a list: its year and its source office do not make it longer.
        topic = YEAR.sub("", PARENTHETICAL.sub("", core), count=1).strip() if not has_fig else core
        if (
            not tree_leaf
            and not style
            and not has_fig
            and 2 <= len(topic) <= 6
            and not re.search(r"[，,。；;：:、\s]", topic)
            and nxt
            and not BULLET.match(raw)
            and not _numbering(raw)[0]
            and not any(v in topic for v in lex.duty_verbs)  # "深化理论学习" is a deed, not a name
            and outline.match_heading(topic)
        ):
            # A part's name alone on its line ("问题", "明年", "执法") heads the lines under it, as "问题：" would.
            heading("colon", _plain(core))
            continue
        if (
            not tree_leaf
            and not style
            and not has_fig
            and 2 <= len(topic) <= 12
            and not re.search(r"[，,。；;：:、]", topic)
            and (_is_table_line(nxt) or BULLET.match(nxt) or _numbering(nxt)[0])
            and not BULLET.match(raw_body)
            and (topic.endswith(TOPIC_NOUNS) or not any(v in topic for v in lex.duty_verbs))
        ):
            heading("implicit", _plain(core))
            continue
        if (
            not style
            and is_first
            and nxt
            and not _counts(core, year)
            and _is_title(_undated(core), lex, year)
        ):
            # "……法治建设材料（截至11月20日）", "……总结素材 2026.12.01": the date says when, not how much.
            add("covering", why="材料标题")
            continue
        if not style and not has_fig:
            if is_first and _is_title(core, lex, year) and nxt:
                add("covering", why="材料标题")
                continue
            if _is_meta(core, lex):
                if office := _office_in(core, lex):
                    origin = office
                    _office_block(stack)
                add("covering", why="说明材料来源的话")
                continue
            if _is_chatter(core, lex, outline):
                add("chatter", why="聊天用语")
                continue
        # -- a fact line, maybe with a bracket label, bold label or prefix ---------------------------------
        label, office, text = "", speaker_office(speaker, lex), CHECKBOX.sub("", body)
        for pattern in (BRACKET_LABEL, BOLD_LABEL):
            if m := pattern.match(text):
                label, text = _plain(m.group(1)), m.group(2).strip()
                break
        text = _without_authoring_remark(text)
        while m := PREFIX.match(text):
            head = _plain(m.group(1))
            if _has_figure(head, year) and not YEAR.fullmatch(head):
                break
            if who := _office_in(head, lex):
                office = who
                if _office_only(head, who):
                    text = _without_authoring_remark(m.group(2).strip())
                    continue
            if label:
                break
            label, text = head, m.group(2).strip()
        if label and (who := _office_in(label, lex)) and _office_only(label, who):
            office, label = who, ""
        if tree_leaf and not label and stack and stack[-1].style.startswith("tree"):
            figs = find_figures(text, year=year)
            if figs and not text[: figs[0].start].strip("约近超逾共计 "):
                # A figure on its own node ("局党组会专题研究法治建设" over "4次") counts what the node above names.
                label = stack[-1].text
        text = _inline_items(to_fullwidth(text).strip().rstrip("；;，,。.、 "))
        if not text:
            add("covering", why="空标签")
            continue
        if label and not _wrapping_label(label, outline, year):
            text = f"{label}：{text}"  # "谁执法谁普法：…" carries meaning; the pipeline strips bare section names
        add("fact", text, label=label, origin=office)
        if style:
            item_styles.add(style)
    return out


def page_furniture(lines: list[str]) -> tuple[list[str], list[int], list[tuple[int, str]]]:
    """A copy of a printed document (a PDF, a scan) carries its pages' furniture: page numbers ("—2—", "第2页") and
    the running header or footer repeated on every page. None of it is the notes' text, and between two pages it
    cuts a sentence (even a figure) in two. When two page numbers or more show the notes are such a copy, the
    page numbers, the lines repeated next to them and the blank lines around them are taken out of the text, so
    the sentence a page break cut reads as one; each line kept keeps its pasted line number, and the lines taken
    out are returned with theirs."""
    numbers = list(range(1, len(lines) + 1))
    marks = [n for n, raw in enumerate(lines) if PAGE_NUMBER.match(raw)]
    if len(marks) < 2:
        return lines, numbers, []

    def neighbour(n: int, step: int) -> int:
        n += step
        while 0 <= n < len(lines) and not lines[n].strip():
            n += step
        return n if 0 <= n < len(lines) else -1

    running: set[str] = set()
    for step in (1, -1):  # the line after each page number (a header), the line before it (a footer)
        near = [lines[k].strip() for n in marks if (k := neighbour(n, step)) >= 0 and k not in marks]
        running |= {t for t in set(near) if near.count(t) >= 2 and not _has_figure(t, None)}
    gone = set(marks) | {n for n, raw in enumerate(lines) if raw.strip() in running}
    # The blank lines between furniture and text belong to the page break.
    for n in sorted(gone):
        for step in (1, -1):
            k = n + step
            while 0 <= k < len(lines) and not lines[k].strip():
                gone.add(k)
                k += step
    kept = [n for n in range(len(lines)) if n not in gone]
    furniture = [(n + 1, lines[n]) for n in sorted(gone) if lines[n].strip()]
    return [lines[n] for n in kept], [n + 1 for n in kept], furniture


# The quote marks of a mail client's reply ("> ", "> > ", ">>"): how many says how many mails back a line was sent.
QUOTE_MARKS = re.compile(r"^\s*((?:>[ \t\u3000]?)+)")
# What opens a quoted mail: its header, a forward marker, or the reply line over it ("在…写道：", "… wrote:").
MAIL_OPENING = re.compile(
    r"^[\s\-—=_*]*(?:发件人?|发送时间|发件时间|From|Sent|Date)\s*[:：]|"
    r"^[\s\-—=_*]*(?:转发的?邮件|原始邮件|邮件原文|Forwarded message|Original Message)[\s\-—=_*]*$"
)
REPLY_LINE = re.compile(r"(?:写道|wrote)\s*[:：]\s*$", re.I)


def quote_depth(raw: str) -> int:
    m = QUOTE_MARKS.match(raw)
    return m.group(1).count(">") if m else 0


def mail_thread(lines: list[str]) -> tuple[list[str], list[int], set[int]]:
    """An e-mail thread pasted as the mail client shows it: the newest mail on top, each earlier mail quoted one
    level deeper ("> ", "> > ", …). Its lines are the notes' text like any other: the quote marks go, and the mails
    are read oldest first, so a later mail's correction comes after the figure it corrects, as in any notes. Every
    line keeps its pasted line number; the indexes where a mail starts are returned, for the reader to close the
    headings of the mail before. Notes that are no such thread (a list with ">" bullets, a reply written between
    the quoted lines) are returned as they are."""
    numbers = list(range(1, len(lines) + 1))
    depths = [quote_depth(raw) if raw.strip() else -1 for raw in lines]
    if max(depths, default=0) < 1:
        return lines, numbers, set()
    blocks: list[list[int]] = []
    depth = 0
    for n, d in enumerate(depths):
        if d < 0:
            if blocks:
                blocks[-1].append(n)
            else:
                blocks.append([n])
            continue
        if d < depth:
            return lines, numbers, set()  # back to a shallower level: a reply between the quotes
        if d > depth or not blocks:
            blocks.append([])
            depth = d
        blocks[-1].append(n)

    def unquoted(n: int) -> str:
        return QUOTE_MARKS.sub("", lines[n], count=1) if depths[n] > 0 else lines[n]

    for k, block in enumerate(blocks[1:], start=1):
        content = [unquoted(n).strip() for n in block if unquoted(n).strip()]
        before = [lines[n].strip() for n in blocks[k - 1] if lines[n].strip()]
        opened = any(MAIL_OPENING.match(c) for c in content[:3]) or bool(
            before and REPLY_LINE.search(before[-1])
        )
        if not opened:
            return lines, numbers, set()  # quoted text that is no earlier mail
    out: list[str] = []
    order: list[int] = []
    starts: set[int] = set()
    for block in reversed(blocks):
        starts.add(len(out))
        out.extend(unquoted(n) for n in block)
        order.extend(n + 1 for n in block)
        out.append("")
        order.append(block[-1] + 1)
    return out, order, starts


def csv_to_tabs(lines: list[str]) -> list[str]:
    """A sheet pasted as CSV ("1,办公室,\"局长述法\",1次,1次,") is a table: its rows become tab-separated, an empty
    cell kept as "—" so the cells still line up with the header; a row with one filled cell is a plain line."""
    rows = {n: cells for n, raw in enumerate(lines) if (cells := _csv_cells(raw))}
    if len(rows) < 3:
        return lines
    out = list(lines)
    for n, cells in rows.items():
        while cells and not cells[-1].strip():
            cells.pop()
        filled = [c for c in cells if c.strip()]
        out[n] = filled[0] if len(filled) == 1 else "\t".join(c.strip() or "—" for c in cells)
    return out


BAR = re.compile(r"\s*[｜|]\s*")


def bar_rows_to_tabs(lines: list[str]) -> list[str]:
    """A table copied out of a form whose rules were lost keeps only its bars ("序号｜原稿内容｜审核意见", no bar at
    either end): lines next to each other with as many bars each are its rows, and become tab-separated. One such
    line alone is no table: an export banner ("语音转文字｜讯飞听见｜时长 09:16") is read as it is."""
    widths = [
        len(BAR.split(raw.strip()))
        if raw.count("｜") + raw.count("|") >= 2 and not PIPE_ROW.match(raw)
        else 0
        for raw in lines
    ]
    out = list(lines)
    for n, width in enumerate(widths):
        beside = (n and widths[n - 1] == width) or (n + 1 < len(widths) and widths[n + 1] == width)
        if width >= 3 and beside and not re.search(r"[【\[][^】\]]*[｜|]", lines[n]):
            out[n] = "\t".join(c or "—" for c in BAR.split(lines[n].strip()))
    return out


def quoted_cells(lines: list[str]) -> list[str]:
    """A spreadsheet's cell with line breaks, pasted, is quoted over several lines ("1\t组织\t\"1.甲；" … "2.乙\"\t附件"):
    each such row becomes one line, the cell's lines joined and its quotes gone; the lines it took stay as blank
    lines, so line numbers still point into the notes."""
    out = list(lines)
    n = 0
    while n < len(out):
        raw = out[n]
        if "\t" in raw and re.search(r'(?:^|\t)"', raw) and raw.count('"') % 2:
            end = n + 1
            while end < len(out) and end - n <= 12 and (out[end].count('"') % 2 == 0):
                end += 1
            if end < len(out) and end - n <= 12:
                joined = raw
                for k in range(n + 1, end + 1):
                    piece = out[k].strip("\r\n ")
                    sep = "" if re.search(r"[，。；、：,;:]$", joined) or not joined.strip() else "；"
                    joined = joined.rstrip() + sep + piece
                    out[k] = ""
                out[n] = "\t".join(_unquote(c) for c in joined.split("\t"))
                n = end
        n += 1
    return out


def _unquote(cell: str) -> str:
    c = cell.strip()
    if len(c) >= 2 and c[0] == '"' and c[-1] == '"':
        return c[1:-1].replace('""', '"').strip()
    return cell


def _csv_cells(raw: str) -> list[str] | None:
    if raw.count(",") < 2 or "\t" in raw:
        return None
    try:
        cells = next(csv.reader([raw]))
    except csv.Error:
        return None
    # Chinese prose uses full-width commas; a line of several ASCII-comma cells, none a long sentence, is a row.
    if len(cells) < 3 or any(len(c) > 80 for c in cells):
        return None
    return cells


def _without_authoring_remark(text: str) -> str:
    """ "亮点可以写甲" → "亮点：甲"; "可以提一下，甲", "建议写：甲" and "补一句 甲" → "甲"."""
    if (m := ADDENDUM.match(text)) and len(text) > m.end():
        text = text[m.end() :]
    m = AUTHORING.match(text)
    if not m or len(text) <= m.end():
        return text
    if m.group("bare") and (find_figures(text[m.end() :]) or not m.group("topic")):
        return text  # "宣传方面写稿件30篇": writing is the work done, not a remark to the writer
    topic = m.group("topic") or ""
    return f"{topic}：{text[m.end() :]}" if topic else text[m.end() :]


def _states_then_asks(core: str) -> bool:
    """ "建了一个法律服务角，在老街社区，这个算普法还是算纠纷化解？": a statement, then a question about it. The
    statement is the notes' (the reader's last gate takes the question out); only a line that is all question is
    chatter."""
    clauses = [c for c in re.split(r"[，,；;。]", core) if c.strip()]
    return len(clauses) >= 2 and not any(
        q in clauses[0] for q in ("吗", "？", "?", "是不是", "要不要", "能不能")
    )


def _office_block(stack: list[_Heading]) -> None:
    """An office's block ("执法大队报来：") opens. Under a heading that so far held its own lines
    ("一、学法培训" with items 1. 2.) it is a sibling of that heading, which therefore ends; under a heading
    whose content comes office by office ("三、存在问题" / "执法大队：" / "法规科：") it stays inside."""
    while stack and stack[-1].direct and not stack[-1].offices and not stack[-1].explicit_key:
        stack.pop()
    if stack:
        stack[-1].offices = True


def chat_speaker(raw: str) -> tuple[str, str] | None:
    """(speaker, what they said) when the line opens a chat message, else None."""
    if m := TIME_FIRST.match(raw):
        return m.group(1), (m.group(2) or "").strip()
    if (m := SPEAKER_FIRST.match(raw)) and not TIME_OF_DAY.match(raw):
        return m.group(1), m.group(2).strip()
    if m := TRANSCRIPT_VOICE.match(raw):
        return m.group(1), m.group(2).strip()
    return None


# A slide of a deck pasted from the outline view ("幻灯片 10　2026年打算", "Slide 3 组织保障"), and its title.
SLIDE = re.compile(r"^(?:幻灯片|Slide)\s*\d{1,3}[\s\u3000:：]*(.*)$", re.IGNORECASE)
CONTENTS = re.compile(r"目录|目\s*录|提纲|Contents|Agenda", re.IGNORECASE)


# A chat turn typed on a phone separates its clauses with spaces ("看了 就这样吧 交了"): the space is a comma there,
# and the reader would otherwise run the clauses together. Only between Chinese words (or after a figure's unit).
TURN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff%％）)])[ \u3000]+(?=[\u4e00-\u9fff\d（(])")


# "权重从5% 提到8%": a change opened by 从/由 and a value runs on to where the value went; the space is no break.
OPEN_CHANGE = re.compile(r"[从由][^，,。；;\s到至为]{0,8}\d[^，,。；;\s到至为]{0,4}$")


def spaced_clauses(said: str) -> str:
    """A chat turn's clauses parted by spaces are parted by commas."""
    said = said.strip()
    return TURN_SPACE.sub(lambda m: "" if OPEN_CHANGE.search(said[: m.start()]) else "，", said)


def speaker_office(speaker: str, lex: Lexicon) -> str:
    """The office in a chat speaker's name ("执法监察大队老马" → "执法监察大队"); the speaker when none."""
    if not speaker:
        return ""
    speaker = re.sub(r"[(（]\d+[)）]$", "", speaker)  # a QQ number says nothing about who reported
    return _office_in(speaker, lex) or speaker


def _wrapping_label(label: str, outline: Outline, year: int | None) -> bool:
    """A prefix that only says which part a line is for ("问题", "明年", "2025年", "亮点"): not part of the fact."""
    if re.fullmatch(r"(?:19|20)\d\d年?(?:度)?(?:打算|计划|安排|工作|思路)?", label):
        return True
    if PROGRESS_LABEL.fullmatch(label):
        return True  # "落实情况：…" is a form's field for what was done: the value is the fact, the label no word of it
    key = outline.match_heading(label)
    if key and not outline.get(key).parent and key != "measures" and len(label) <= 6:
        return True
    cues = outline.extra.get("placement", {}).get("cues", {})
    words = [w for part in cues.values() for w in (*part.get("strong", ()), *part.get("weak", ()))]
    return len(label) <= 4 and any(w in label for w in words if len(w) >= 2)


# A form's field for what was done about a task ("落实情况", "进展说明", "完成情况"): its value states the work.
PROGRESS_LABEL = re.compile(
    r"(?:工作|任务|具体)?(?:落实|完成|进展|推进|办理|执行|开展|整改|办结)(?:情况|说明|进度)(?:及成效)?|进展|工作成效"
)
# A form's field about the handling of a task, not the task: who handles it, by when, in what state, on what
# evidence, under which number, from where.
PROCESS_LABEL = re.compile(
    r"时限|期限|截止|是否|编号|文号|来源|佐证|证明材料|承办|牵头|配合|协办|主办|责任(?:人|单位|科室|股室|部门|领导)?|"
    r"(?<!主要)负责人|经办|状态|签发|下发|发文|印发日期|日期|时间|附件|分值|得分|序号|类别|类型|优先级|紧急程度|密级|作者|浏览"
)
EVIDENCE_LABEL = re.compile(r"佐证|证明材料|支撑材料|附件")
# A line of fields: "label：value" pieces apart by wide spaces, tabs or bars.
FIELD = re.compile(r"^\s*([^\s：:，,。；;（）()]{1,10})\s*[：:]\s*(.*?)\s*$")
FIELD_GAP = re.compile(r"\t+| {2,}|\u3000+|\s*[|｜]\s*")
# A field's value that is a state, not a deed ("已办结", "未完成", "是", "否").
STATUS_VALUE = re.compile(r"^(?:是|否|有|无|(?:已|未|待|尚未|正在|暂未|均已)[\u4e00-\u9fff]{1,4})$")


def _form_fields(raw: str, lex: Lexicon, year: int | None) -> bool:
    """A line made only of a form's fields about handling ("承办股室：法规股　　办结时限：6月30日　　是否办结：已办结",
    "牵头单位：…　配合单位：…"), each value short, with no deed and no count in it: wrapping of the form, however
    many fields. A field whose value states the work ("落实情况：开展…12次") keeps the line a fact."""
    pieces = [p for p in FIELD_GAP.split(raw.strip()) if p.strip()]
    fields = [FIELD.match(p) for p in pieces]
    if not fields or not all(fields):
        return False
    process = 0
    for m in fields:
        label, value = _plain(m.group(1)), m.group(2)  # type: ignore[union-attr]
        if PROGRESS_LABEL.fullmatch(label) or SENTENCE_PUNCT.search(value) or re.search(r"[，,]", value):
            return False
        if _counts(value, year) or len(PARENTHETICAL.sub("", value)) > 24:
            return False
        handling = bool(PROCESS_LABEL.search(label))
        # An evidence field's value names documents ("检查通报、照片"), whatever its words; any other value with a
        # deed in it ("局长带头述法") states work, a state ("已办结") does not.
        deed = any(v in value for v in lex.duty_verbs) and not STATUS_VALUE.match(value)
        if deed and not EVIDENCE_LABEL.search(label):
            return False
        process += handling
    # One field is wrapping only when its label names the handling; several short verbless fields are a form's.
    short = all(len(PARENTHETICAL.sub("", m.group(2))) <= 12 for m in fields)  # type: ignore[union-attr]
    return process >= 1 and (len(fields) >= 2 or process == len(fields)) or (len(fields) >= 3 and short)


# A web page's or an app's menu: short items apart by bars, dots, slashes or wide spaces.
MENU_GAP = re.compile(r"\s*[|｜·•/]\s*|\t+| {2,}|\u3000+")
# Words only a site's or an app's menu holds: a menu line names one of them.
MENU_WORDS = re.compile(
    r"^(?:网站)?首页$|^主页$|^退出(?:登录)?$|^登录$|^注册$|^注销$|^搜索$|^网站地图$|^联系我们$|^设为首页$|^加入收藏$|"
    r"^个人(?:中心|办公|设置)$|^下载中心$|^无障碍$|^English$|^工作台$|^通讯录$|^消息中心$|^帮助中心?$|^我的$"
)


def _menu_line(raw: str, lex: Lexicon) -> bool:
    """A site's or an app's menu copied with the page ("首页 | 通知公告 | 工作动态 | 下载中心 | 退出"): four short
    items or more with no figure, one of them a word only menus hold (or six items or more apart by bars or dots,
    none a deed); the first item may be the site's name."""
    items = [i.strip() for i in MENU_GAP.split(raw.strip()) if i.strip()]
    if len(items) < 4:
        return False
    rest = items[1:] if len(items[0]) > 8 else items
    if len(rest) < 3 or any(len(i) > 8 or re.search(r"[\d，,。；;：:！!？?]", i) for i in rest):
        return False
    if any(MENU_WORDS.search(i) for i in items):
        return True  # "政务公开" of a menu holds a verb, but no list of work holds "首页" or "退出"
    # Without such a word, only a long run of bars or dots: short cells apart by tabs or spaces are a table's header.
    bars = len(re.findall(r"[|｜·•]", raw))
    return (
        len(rest) >= 6
        and bars >= len(items) - 1
        and "\t" not in raw
        and not any(v in i for i in items for v in lex.duty_verbs)
    )


# -- helpers ----------------------------------------------------------------------------------------------------


def _next_content(lines: list[str], start: int) -> str:
    for raw in lines[start:]:
        if raw.strip():
            return raw.strip()
    return ""


def _prev_line(lines: list[str], index: int) -> str:
    return lines[index - 1].strip() if index >= 1 else ""


def _is_table_line(raw: str) -> bool:
    if not raw:
        return False
    if PIPE_ROW.match(raw):
        return True
    cells = [c.strip() for c in COLUMNS.split(raw) if c.strip()]
    return len(cells) >= 2 and _looks_tabular(raw, cells)


def _next_tree_line(lines: list[str], start: int) -> str:
    return next((line for line in lines[start:] if line.strip() and not TREE_STEM.match(line)), "")


def _next_line(lines: list[str], start: int) -> str:
    return lines[start].strip() if start < len(lines) else ""


def _rank(styles: list[str], style: str) -> int:
    if style == "explicit":
        return 0
    if style not in styles:
        # Markdown levels rank by their number of #, whichever comes first: "###执法" before "##学法" is deeper.
        deeper_md = [
            i for i, s in enumerate(styles) if style.startswith("md") and s.startswith("md") and s > style
        ]
        styles.insert(deeper_md[0] if deeper_md else len(styles), style)
    return styles.index(style) + 1


def _numbering(text: str) -> tuple[str, str]:
    for style, pattern in NUMBERING:
        if m := pattern.match(text):
            rest = text[m.end() :]
            # "3、5月" is a list of months, not item 3; "2. 12345平台…" (a space after the point) and "2、605路…"
            # (a number no list of months or days has) are items.
            if (
                style == "arabic"
                and re.match(r"^\d", rest)
                and not re.search(r"[.．、]\s+$", m.group(0))
                and not re.match(r"^\d{3,}", rest)
            ):
                continue
            return style, rest.strip()
    return "", text


def _is_heading(style: str, core: str, ends_colon: bool, has_fig: bool, nxt: str, outline: Outline) -> bool:
    """A numbered line is a heading when it is short, states no figure and the next line sits below it."""
    if style == "ordinal":
        core = core.rstrip("。")  # said, not written: a spoken heading ends like a sentence
    if has_fig or not core or len(core) > 30 or SENTENCE_PUNCT.search(core) or "**" in core:
        return False
    if re.search(r"[，,]", core) and not outline.match_heading(core):
        return False  # "4. 开展合同审查42份" is an item
    if ends_colon:
        return True
    next_style, _ = _numbering(nxt)
    if not nxt:
        return False
    deeper = next_style != style and (
        not next_style or _order(next_style) > _order(style) or BULLET.match(nxt) is not None
    )
    if not deeper:
        return False
    if _order(style) <= 2 or style == "ordinal" or outline.match_heading(core):
        return True
    # "1. 推行说理式执法" over a bullet is an item, not a heading; over a deeper numbered line it heads it.
    return bool(next_style) and _order(next_style) > _order(style)


def _order(style: str) -> int:
    return next((i for i, (s, _) in enumerate(NUMBERING) if s == style), len(NUMBERING))


def _plain(text: str) -> str:
    text = re.sub(r"\*\*|__|`", "", text)
    return to_fullwidth(text.strip().rstrip("：: ")).strip()


def _has_figure(text: str, year: int | None) -> bool:
    return any(not YEAR.fullmatch(f.text) for f in find_figures(to_fullwidth(text), year=year))


DATE_TAIL = re.compile(r"\s*(?:(?:19|20)\d\d[.\-/年]\d{1,2}(?:[.\-/月]\d{1,2}日?)?|\d{1,2}月\d{1,2}日)\s*$")
DATE_UNITS = ("年", "月", "日", "号", "时", "点", "分")


def _undated(text: str) -> str:
    return DATE_TAIL.sub("", text)


def _counts(text: str, year: int | None) -> bool:
    """The text holds a figure that counts something: a year, a date or a time stamp says when."""
    return any(
        not YEAR.fullmatch(f.text) and f.unit and f.unit not in DATE_UNITS
        for f in find_figures(to_fullwidth(text), year=year)
    )


def _wrapping_cue(text: str, scope: str) -> bool:
    """A wrapping cue of `scope` (roles.toml) fires on the line: the reader sets it aside before reading it."""
    return any(c.pattern.search(text) for c in cues_of("wrapping", scope))


def _office_in(text: str, lex: Lexicon) -> str:
    """The office a short phrase names ("法规股", "执法大队", "审批股方面"), "" when none."""
    if not lex.offices:
        return ""
    ends = "|".join(re.escape(e) for e in sorted(lex.offices, key=len, reverse=True))
    m = re.search(
        rf"([\u4e00-\u9fff]{{1,8}}?(?:{ends}))(?![\u4e00-\u9fff]{{0,1}}(?:法|行|审|理|保|公))", text
    )
    if m and len(m.group(1)) == 2 and text[m.end() : m.end() + 1] == "长":
        return ""  # "李科长", "王股长": a surname and a title, not an office
    if m and len(m.group(1)) == 2 and (after := tokens(text[m.end() :])) and after[0][1] in ("v", "vn"):
        return ""  # "经办服务", "代办服务": a verb of two characters and the deed it names, not an office
    return m.group(1) if m else ""


def _office_only(text: str, office: str) -> bool:
    """The phrase is only the office (plus a person, "方面" or a reporting verb), naming no topic."""
    rest = text.replace(office, "", 1)
    rest = re.sub(
        r"方面|报来|报送|发来|提供|反馈|的|[A-Za-z\u4e00-\u9fff]?[老小]?[\u4e00-\u9fff]?(?:科长|股长|主任)?$",
        "",
        rest,
    )
    return len(rest) <= 2


def _is_meta(text: str, lex: Lexicon) -> bool:
    """Words about the notes themselves: a material noun or a handing-over verb, and nothing else of substance."""
    core = PARENTHETICAL.sub("", text)
    if SENTENCE_PUNCT.search(text) or len(text) > 36:
        return False
    hits = [w for w in (*lex.material, *lex.transmission) if w in text]
    if not hits or any(w in text for w in lex.judgements):
        return False  # "合同管理台账不全" judges the work: a fact, not a remark about the material
    if len(hits) >= 2:
        return True
    verbs = [v for v in lex.duty_verbs if v in core]
    return not verbs or len(core) <= 12


def _is_title(text: str, lex: Lexicon, year: int | None, *, loose: bool = False) -> bool:
    """A title over the notes: a noun phrase naming the material, often with its compiler in brackets."""
    if SENTENCE_PUNCT.search(text) or len(text) > 48:
        return False
    if PARENTHETICAL.search(text) and any(w in text for w in (*lex.material, *lex.transmission)):
        return True
    core = PARENTHETICAL.sub("", text).strip()
    if any(core.endswith(w) for w in lex.material):
        return True
    if YEAR.search(text) and not _has_figure(core, year):
        if TITLE_END.search(core):
            return True  # "县审计局2024年法治政府建设工作情况": a dated report's title
        if core.endswith("工作") and not any(v in core for v in lex.duty_verbs):
            return True  # "分局法治工作（2024）": a dated topic with nothing done in it
    return loose and any(w in text for w in lex.material)


def _is_chatter(text: str, lex: Lexicon, outline: Outline) -> bool:
    """Talk in a chat group ("收到", "好的👌", "不足和明年的谁写一下"): no duty, no topic of its own."""
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    if not han:
        return True
    if any(w in text for w in lex.addressing) and not any(v in text for v in lex.duty_verbs):
        return True
    if any(w in text for w in lex.chatter):
        rest = han
        for w in lex.chatter:
            rest = rest.replace(w, "")
        return len(rest) <= 2
    return False


def _looks_tabular(raw: str, cells: list[str]) -> bool:
    """Cells separated by tabs or runs of spaces, the first a short label (not a sentence with spaces)."""
    if "\t" not in raw and not re.search(r"\S {2,}\S", raw):
        return False
    return len(cells[0]) <= 20 and not SENTENCE_PUNCT.search(cells[0]) and bool(re.search(r"\w", cells[0]))


# A column named by a period ("1月", "2025年", "一季度"): a header's cell, though it holds digits.
PERIOD_COLUMN = re.compile(
    r"^(?:\d{1,2}月(?:份)?|(?:19|20)\d\d年?度?|第?[一二三四1-4]季度|[上下]半年|全年|合计)$"
)


def _is_header_row(cells: list[str], year: int | None) -> bool:
    # "完成情况（自评说明）": a column's name with a gloss in brackets is still a short name.
    return (
        all(
            len(PARENTHETICAL.sub("", c)) <= 8
            and (not _has_figure(c, year) or PERIOD_COLUMN.match(c.strip()))
            for c in cells
        )
        and len(cells) >= 2
        and not all(PERIOD_COLUMN.match(c.strip()) for c in cells)
    )


def _table_row(
    cells: list[str],
    add,  # noqa: ANN001
    year: int | None,
    lex: Lexicon | None = None,
    header: list[str] | None = None,
    values: list[str] | None = None,
):  # type: ignore[no-untyped-def]
    """A row "label | value | remark" → "label value，remark", the label kept as the line's topic.

    A 序号 column's number is no label ("3	河道执法	巡河…" is labelled 河道执法), and an office in the last
    column ("…	水政监察大队") says who reported the row: its origin, not part of the fact."""
    other: list[str] = []
    if len(cells) >= 3 and all(COLUMN_CODES.match(c) for c in cells) and any(not c.isdigit() for c in cells):
        add("covering", why="表头")
        return None
    if header and len(cells) < len(header):
        # A row whose last cells are empty ("…	6次	5次	" under "…本期	上年同期	备注") lost them in the paste:
        # it still lines up with the header when each column of another year then holds a figure.
        padded = cells + [""] * (len(header) - len(cells))
        others = [j for j, h in enumerate(header) if j and _other_year_column(h, year)]
        if others and all(re.search(r"\d", padded[j]) for j in others):
            cells = padded
    office, topic, note = "", "", ""
    reasons: list[str] = []
    corrected: list[tuple[str, str]] = []
    if header and len(header) == len(cells):
        # A column of codes or of the unit ("指标代码", "计量单位") says nothing the value does not; a column of
        # offices ("股室", "责任科室") says who reported the row: its origin.
        if any(re.fullmatch(r"全年|合计|总计|年度合计|全年合计|本年累计", _plain(h)) for h in header):
            # Months or quarters beside the year's total are its parts: the total is the year's figure.
            for j, head in enumerate(header):
                if j and re.fullmatch(r"\d{1,2}月(?:份)?|第?[一二三四1-4]季度|[上下]半年", _plain(head)):
                    cells[j] = ""
        unit = next(
            (
                cells[j]
                for j, head in enumerate(header)
                if j and UNIT_COLUMN.fullmatch(_plain(head)) and cells[j] in UNITS
            ),
            "",
        )
        if unit:
            # "指标 | 计量单位 | 本年 | 上年" with "件" in the unit column: each bare number of the row counts 件.
            for j, head in enumerate(header):
                if j and _value_column(head, year) and AMOUNT_CELL.match(cells[j]):
                    cells[j] = cells[j] + unit
        for j, head in enumerate(header):
            if j and CODE_COLUMN.search(head) and not AMOUNT_WITH_UNIT.search(cells[j]):
                cells[j] = ""
            elif j and OFFICE_COLUMN.fullmatch(_plain(head)) and cells[j] and not _has_figure(cells[j], year):
                office, cells[j] = cells[j], ""
            elif j and ASIDE_COLUMN.search(head):
                cells[j] = ""  # who is responsible, by when, with what evidence: no fact of the report
            elif j and SCORE_COLUMN.search(_plain(head)) and not REASON_COLUMN.search(head):
                cells[j] = (
                    ""  # a score, a weight, a mark out of some total: how the work was rated, never a fact
                )
            elif j and REASON_COLUMN.search(head) and cells[j]:
                reasons.append(cells[j])  # why points were lost: a failing of the year, the row's shortcoming
                cells[j] = ""
            elif j and DISPOSITION_COLUMN.search(head):
                decision, cells[j] = cells[j], ""
                if DISPOSITION_DROP.search(decision):
                    # Its figures are neither written nor lost: roles.py asks about an instruction's figures.
                    return add("instruction", why="审核意见单：该行已删除或移出本节")
                if m := DISPOSITION_CHANGE.match(decision):
                    changed = _changed_row(cells, m.group(1), year)
                    if changed is None:
                        return add("instruction", why="审核意见单：该行已改写，改后的说法无法确定")
                    cells = changed
                elif DISPOSITION_DOUBT.search(decision):
                    for k, c in enumerate(cells):
                        if k and _has_figure(c, year) and not SERIAL.match(c):
                            cells[k] = c.rstrip("。；; ") + "，该数据待核实"
            elif j and NOTE_COLUMN.search(head) and (fixed := _corrected_by_note(cells, j, year)):
                # "42件系统重复统计了，核：实为39件，办结39件" under 备注: the row's own cells now say what the note
                # says they are; the note is talk about the correction (roles.py lists it and the old values).
                note, cells[j] = cells[j], ""
                corrected.extend(fixed)
            elif j and REVIEW_COLUMN.search(head):
                cells[j] = (
                    ""  # an inspector's or reviewer's comment on the row ("督查组意见"): not the bureau's work
                )
        # A ledger's row states the problem found and what was done about it: the fact is what was done, the
        # problem (often with an earlier year's figure) is the reason for it, not this year's work.
        if SERIAL.match(cells[0]) and re.fullmatch(r"序号|编号|No\.?|#", _plain(header[0])):
            cells[0] = ""  # the row's number under a 序号 header
        for j, head in enumerate(header):
            if j and PROGRESS_COLUMN.search(head) and PROGRESS_CELL.match(cells[j]):
                # A ledger's progress ("完成进度 60%") is how far the office rated its task, never a figure of the
                # work: the row's own words say what was done and what is left ("已整改14个，剩2个…").
                cells[j] = ""
        for j, head in enumerate(header):
            if j and DONE_COLUMN.search(head) and DONE_STATUS.match(cells[j]):
                # "✔已完成" in a 完成情况 column only ticks the row: the row's own words say what was done.
                cells[j] = ""
        done = [j for j, head in enumerate(header) if j and DONE_COLUMN.search(head) and cells[j]]
        if done:
            for j, head in enumerate(header):
                if j and PROBLEM_COLUMN.search(head) and not DONE_COLUMN.search(head):
                    # The problem still names what the row is about ("执法人员持证率不高" is 执法 work): its
                    # words are the row's topic, never its text nor its part.
                    topic = "，".join(x for x in (topic, cells[j]) if x)
                    cells[j] = ""
        # A column headed by another year ("2023年", "上年", "同期") or by a comparison ("增减", "同比") holds no
        # figure of this year: its cells are kept apart (roles.py lists them), never joined into the row.
        name = next((_plain(c) for c in cells if c and not SERIAL.match(c)), "")
        for j, head in enumerate(header):
            if j and cells[j] not in ("", "-", "—", "/") and _other_year_column(head, year):
                other.append(f"{name}（{head}）{cells[j]}")
                cells[j] = ""
    elif values and any(_other_year_column(h, year) for h in values):
        # Cells that do not line up with the header (a merged cell, tabs lost in the paste): the figures of
        # the row, in order, are the value columns in order ("11 9 +2" under "本年 上年 增减").
        names = [h for h in values if _value_column(h, year)]
        numbers = [j for j, c in enumerate(cells) if j and AMOUNT_CELL.match(c)]
        if names and len(numbers) >= len(names):
            label = next((c for c in cells if c and not SERIAL.match(c)), cells[0])
            for j, head in zip(numbers, names, strict=False):
                if _other_year_column(head, year):
                    other.append(f"{_plain(label)}（{head}）{cells[j]}")
                    cells[j] = ""
    cells = [c for c in cells if c and c not in ("-", "—", "/")]
    if reasons:
        label = next((_plain(c) for c in cells if not SERIAL.match(c)), "")
        for reason in reasons:
            line = add("fact", reason, label=label, table=True, other_columns=[], topic=label)
            line.explicit_key = "shortcomings"
    if len(cells) == 1 and TOTAL_ROW.fullmatch(_plain(cells[0])):
        add("covering", why="合计行（只剩分值）")
        return None
    if len(cells) >= 3 and SERIAL.match(cells[0]) and not _has_figure(cells[1], year):
        cells = cells[1:]
    if cells and (m := UNIT_IN_LABEL.match(cells[0])) and m.group(2) in UNITS:
        # "罚没款（万元） | 215.8" → "罚没款215.8万元": the label's unit belongs to each bare number.
        cells = [m.group(1), *(c + m.group(2) if BARE_NUMBER.match(c) else c for c in cells[1:])]
        other = [
            re.sub(r"(\d(?:[\d.]*\d)?)$", r"\g<1>" + m.group(2), o.replace(m.group(0), m.group(1), 1))
            for o in other
        ]
    if len(cells) >= 3 and SERIAL.match(cells[0]) and not _has_figure(cells[1], year):
        cells = cells[1:]
    origin = office or _office_column(cells, lex)
    if origin and not office:
        cells = cells[:-1]
    if not cells:
        add("covering", why="空表格行")
        return None
    label, values = _plain(cells[0]), [to_fullwidth(c) for c in cells[1:]]
    if not values:
        return add("fact", label, label="", table=True, origin=origin, other_columns=other, topic=topic)
    first = values[0]
    joined = (
        label + first
        if _has_figure(first[:8], year) and re.match(r"^[\d０-９一二三四五六七八九十百千两]", first)
        else f"{label}：{first}"
    )
    text = "，".join([joined, *values[1:]]).rstrip("；;，,。.、 ")
    return add(
        "fact",
        text,
        label=label,
        table=True,
        origin=origin,
        other_columns=other,
        topic=topic,
        corrected=corrected,
        correction_note=note,
    )


# A column of remarks on the row ("备注", "说明"): where a ledger's keeper corrects the row after the fact.
NOTE_COLUMN = re.compile(r"备注|附注|^说明$|注释")
CELL_CORRECTION = re.compile(
    r"(?<![确真其])实(?:际)?为|实际(?:上)?是|应为|应该是|更正为|改为|改成|核(?:实|准|定)?为|以(?=\s*\d[\d.]*\s*\S{0,3}\s*为准)"
)


def _corrected_by_note(cells: list[str], j: int, year: int | None) -> list[tuple[str, str]]:
    """A remark cell that corrects the row ("42件系统重复统计了，核：实为39件，办结39件") puts each value it gives
    in its place in the row's other cells: a value after words of the row (办结39件) where those words count; a
    value standing alone where the value the note names as wrong (42件) stands, at every place it does. Nothing
    changes (and the note stays in the row, where roles.py reads it) unless every value finds its place."""
    note = to_fullwidth(cells[j])
    found = list(CELL_CORRECTION.finditer(note))
    if not found:
        return []
    m = found[-1]  # the last correction words give the values that stand
    told = find_figures(note[m.end() :], year=year)
    wrong = [f for f in find_figures(note[: m.start()], year=year) if f.unit]
    if not told or any(not f.unit for f in told):
        return []
    out = [to_fullwidth(c) if k != j else c for k, c in enumerate(cells)]
    changes: list[tuple[str, str]] = []
    after = note[m.end() :]
    for right in told:
        words = re.split(r"[，,；;、。：:]", after[: right.start])[-1]
        label = re.sub(r"[^\u4e00-\u9fff]", "", words)
        placed = False
        for k, cell in enumerate(out):
            if k == j:
                continue
            for f in reversed(find_figures(cell, year=year)):
                said = re.split(r"[，,；;、。：:]", cell[: f.start])[-1]
                if f.unit != right.unit:
                    continue
                if (label and said.endswith(label)) or (not label and any(w.text == f.text for w in wrong)):
                    if f.text != right.text:
                        changes.append((f.text, right.text))
                        cell = cell[: f.start] + right.text + cell[f.start + len(f.text) :]
                    placed = True
            out[k] = cell
        if not placed:
            return []
    if not changes:
        return []
    cells[:] = out
    return changes


def _changed_row(cells: list[str], change: str, year: int | None) -> list[str] | None:
    """The row's cells as a reviewer changed them ("已改为7次", "改为“学习生态环境法典相关内容”"): a figure replaces
    the row's figure of the same unit; words replace the clause of the row they most resemble. None when the
    change fits no single place (the tool cannot tell what the row now says)."""
    out = list(cells)
    for part in (p for p in re.split(r"[，,；;。]", change) if p.strip()):
        figures = find_figures(to_fullwidth(part), year=year)
        if figures and len(_plain(part)) <= len(figures[0].text) + 1:
            unit = figures[0].unit
            hits = [
                (j, f)
                for j, c in enumerate(out)
                for f in find_figures(to_fullwidth(c), year=year)
                if unit and f.unit == unit
            ]
            if len(hits) != 1:
                return None
            j, f = hits[0]
            out[j] = to_fullwidth(out[j]).replace(f.text, figures[0].text, 1)
            continue
        grams = {part[k : k + 2] for k in range(len(part) - 1)}
        best, where, score = "", -1, 1
        for j, c in enumerate(out):
            for clause in re.split(r"(?<=[，,；;。])", c):
                shared = len(grams & {clause[k : k + 2] for k in range(len(clause) - 1)})
                if shared > score:
                    best, where, score = clause, j, shared
        if where < 0:
            return None
        out[where] = out[where].replace(best.rstrip("，,；;。"), part.strip(), 1)
    return out


OFFICE_COLUMN = re.compile(
    r"股室|科室|处室|部门|责任(?:股室|科室|处室|单位|部门)|填报(?:单位|股室|科室)|承办(?:股室|科室|单位)"
)
ASIDE_COLUMN = re.compile(
    r"责任人|联系人|经办人|填报人|(?:审核|审批|复核|核稿|报送|记录)人|时限|截止|期限|完成时间|佐证|证明材料|附件"
)
# A review form's column of what was done with each row ("处理情况": 删 / 移出 / 已改为7次 / 待核): the reviewers'
# decision about the row, which governs it; never words of the report.
DISPOSITION_COLUMN = re.compile(r"处理(?:情况|意见|结果)|采纳情况|修改情况|修改意见")
# The row is taken out of the text it was reviewed for: deleted, or moved to another part the form does not say.
DISPOSITION_DROP = re.compile(r"删|移出|移至|移到|调出|不写|不予?采用|不采纳|撤下|拿掉")
DISPOSITION_CHANGE = re.compile(r"^(?:已|均已)?(?:改为|改成|更正为|修改为|调整为|应为)\s*[“\"]?(.+?)[”\"]?$")
DISPOSITION_DOUBT = re.compile(r"待核|待定|待查|存疑|再核|核实后")
REVIEW_COLUMN = re.compile(
    r"(?:督查|督导|督察|审核|考核|检查|评审|评查|审查)组?(?:意见|评价)|点评|评语|批注|批示"
)
# A column of scores ("分值", "自评分", "得分", "权重"): how an assessment rated the row, never a fact of the year.
SCORE_COLUMN = re.compile(
    r"分值|(?:自评|考核|评估|核定|实际|最终)?得分|(?:自|考|初|复)评分|标准分|满分|权重|扣分$|加分$"
)
# The column that says why points were lost ("扣分原因", "扣分说明", "失分情况"): the row's failings.
REASON_COLUMN = re.compile(r"(?:扣分|失分|减分)(?:原因|说明|情况|事由|理由)")
TOTAL_ROW = re.compile(r"合计|总计|小计|总分|合\s*计")
DONE_STATUS = re.compile(
    r"^[\s✔✓√☑]*(?:已|均已|全部|已经)?(?:完成|办结|落实|整改|到位|达标|实现)?(?:完毕)?[\s✔✓√☑]*$|^\s*是\s*$"
)
DONE_COLUMN = re.compile(r"进度|进展|完成情况|整改情况|落实情况|办理情况|成效")
PROGRESS_COLUMN = re.compile(r"进度|进展")
PROGRESS_CELL = re.compile(r"^\s*\d{1,3}(?:\.\d+)?\s*[%％]\s*$")
PROBLEM_COLUMN = re.compile(r"问题")
CODE_COLUMN = re.compile(r"代码|编码|编号|计量单位|^单位$")
UNIT_COLUMN = re.compile(r"计量单位|单位")
LABEL_ALONE = re.compile(r"^[\u4e00-\u9fff\s]{1,10}[：:]$")
AMOUNT_WITH_UNIT = re.compile(r"\d[\u4e00-\u9fff%％]")
# The row of column codes under a statistical form's header ("甲	乙	丙	丁	1	2	3").
COLUMN_CODES = re.compile(r"^(?:[甲乙丙丁戊己庚辛壬癸]|\d{1,2})$")
UNIT_IN_LABEL = re.compile(r"^(.+?)\s*[（(]\s*([^）)]{1,4})\s*[）)]$")
# A cell may give its count in Chinese numerals ("二十三" under "活动（场）"): a number all the same.
BARE_NUMBER = re.compile(
    r"^(?:约|近|超|逾)?(?:[\d０-９]+(?:[.．][\d０-９]+)?|[一二两三四五六七八九十百千万零〇]+)(?:余|多)?$"
)
OTHER_YEAR_COLUMN = re.compile(r"上年|去年|前年|同期|上一年|往年|增减|增幅|同比|变化|对比|比较")


# A cell that is an amount: digits (full-width too), a sign, a point, or Chinese numerals.
AMOUNT_CELL = re.compile(r"^[+\-−＋－]?(?:[\d０-９]+(?:[.．][\d０-９]+)?%?|[一二两三四五六七八九十百千万]+)$")
VALUE_COLUMN = re.compile(r"本年|今年|本期|本年度|当年|累计|数量|合计|(?:19|20)\d\d")


def _value_column(head: str, year: int | None) -> bool:
    return bool(VALUE_COLUMN.search(head)) or _other_year_column(head, year)


def _other_year_column(head: str, year: int | None) -> bool:
    if OTHER_YEAR_COLUMN.search(head):
        return True
    m = re.search(r"((?:19|20)\d\d)", head)
    return bool(m and year is not None and int(m.group(1)) < year)


def _aligned(pasted: str, header: list[str], raw: str) -> list[str] | None:
    """A row pasted from a spreadsheet with one tab between cells, as many as the header's: its cells in place,
    the empty ones too ("1	组织领导	10	10	…	附件1	" has an empty last cell), so each lines up with its column."""
    if pasted.strip() != raw:
        return None  # the row was joined with a line after it: its cells are read as they are
    raw = pasted.strip("\r\n ")
    if not header or "\t" not in raw or raw.count("\t") != len(header) - 1:
        return None
    cells = [c.strip() for c in raw.split("\t")]
    return cells if cells[0] else None


def _form_caption(raw: str) -> bool:
    """A form's caption line over its header ("填报单位（盖章）：某局	填报日期：…"): each cell a name and its value."""
    cells = [c.strip() for c in COLUMNS.split(raw) if c.strip()]
    return len(cells) >= 2 and all(re.search(r"[:：]", c) for c in cells)


def _office_column(cells: list[str], lex: Lexicon | None, min_cells: int = 3) -> str:
    """The office named alone in a row's last cell (a 责任股室 column), "" when none."""
    if lex is None or len(cells) < min_cells:
        return ""
    office = _office_in(cells[-1], lex)
    return office if office and _office_only(cells[-1], office) and not _has_figure(cells[-1], None) else ""


def _numbered_row(raw: str) -> bool:
    """A row of a table with a 序号 column: a number alone in its first cell."""
    cells = [c.strip() for c in COLUMNS.split(BULLET.sub("", raw)) if c.strip()]
    return len(cells) >= 3 and bool(SERIAL.match(cells[0]))


def _run_on_cell(row: NoteLine, cells: list[str], lex: Lexicon, year: int | None) -> None:
    """A Word table's cell that ran on to a second line ("罚款合计21万元…	水政监察大队") joins its row."""
    if office := _office_column(cells, lex, min_cells=2):
        row.origin = row.origin or office
        cells = cells[:-1]
    more = "，".join(to_fullwidth(c).strip().rstrip("；;，,。.、 ") for c in cells if c.strip())
    if more:
        row.text = f"{row.text.rstrip('；;，,。.、 ')}，{more}"
        row.figures = [f.text for f in find_figures(row.text, year=year)]


def _inline_items(text: str) -> str:
    """ "（1）甲；（2）乙；（3）丙" and "1.甲 2.乙" → "甲；②乙；③丙": items numbered inside one line, in the circled
    numbers the composer splits points on. Only a run 1, 2, 3 … in order from the line's start is numbering:
    "1.5万元" and "第2、3季度" are figures."""
    circled = [m for m in CIRCLED_RUN.finditer(text)]
    if circled and all(ord(b[0]) - ord(a[0]) == 1 for a, b in zip(circled, circled[1:], strict=False)):
        text = re.sub(r"^①\s*", "", text)
        return re.sub(r"[\s；;，,。]*([②-⑳])\s*", r"；\1", text).lstrip("；")
    for pattern in INLINE_NUMBERS:
        hits = list(pattern.finditer(text))
        if len(hits) < 2 or hits[0].start() != 0:
            continue
        run = []
        for n, m in enumerate(hits, start=1):
            if m.group(1) != str(n):
                break
            run.append(m)
        if len(run) < 2 or run[-1].end() >= len(text):
            continue
        pieces = [
            text[m.end() : (run[k + 1].start() if k + 1 < len(run) else len(text))] for k, m in enumerate(run)
        ]
        pieces = [p.strip().strip("；;，,。 ") for p in pieces]
        if not all(pieces):
            continue
        return pieces[0] + "".join(f"；{chr(0x2460 + k)}{p}" for k, p in enumerate(pieces[1:], start=1))
    return text


def _title_runs_on(first: str, second: str, year: int | None) -> bool:
    """The notes' first line and a short second line make one title ("县审计局2024年法治政府建设" / "工作情况")."""
    return (
        bool(second)
        and len(second) <= 8
        and not SENTENCE_PUNCT.search(first + second)
        and not re.search(r"[，,：:]", first + second)
        and not _numbering(second)[0]
        and not _has_figure(first + second, year)
        and TITLE_END.search(first + second) is not None
        and TITLE_END.search(first) is None
    )


def _width(line: str) -> int:
    """Display width: a Chinese character or full-width mark takes two columns; spaces inside a line are OCR
    noise, an indent at its start is part of the page."""
    body = line.rstrip()
    indent = len(body) - len(body.lstrip())
    indent_width = sum(2 if ch == "\u3000" else 1 for ch in body[:indent])
    return indent_width + sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in body[indent:] if not ch.isspace()
    )


def _page_width(lines: list[str], *, printed: bool = False) -> int:
    """The width from which a scanned page's line reaches its right edge, when the notes are a page; else 0. On a
    page, the lines that stop in mid-sentence all reach the right edge (within a character), and paragraphs end in
    。 short of it; typed notes end their lines where a fact ends, at any width. A copy that carried page numbers
    and running headers (`printed`) is a page for certain; its figures, Latin letters and quotes are narrower or
    wider than a character, and its punctuation is squeezed, so its edge is ragged by a few characters."""
    stopped = [_width(line) for line in lines if line.strip() and not line.rstrip().endswith(tuple(LINE_END))]
    stopped = [w for w in stopped if w >= 30]
    if not stopped or not any(line.rstrip().endswith("。") for line in lines):
        return 0
    widest = max(stopped)
    slack = widest // 6 if printed else 2
    at_edge = sum(w >= widest - slack for w in stopped)
    # A printed page holds at most about 42 characters a line (44 with squeezed punctuation); longer lines were
    # typed, not scanned.
    fits = widest <= (92 if printed else 84)
    return widest - slack if fits and at_edge >= 3 and at_edge * 2 >= len(stopped) else 0


def _runs_on(last: str, line: str, following: str, page_width: int) -> bool:
    """The next line continues this one: a scan broke the sentence at the page's edge, or the line stops on a
    comma. A next line that opens an item, a heading, a table row or a chat message starts something new."""
    nxt = following.strip()
    if not nxt or line.endswith(tuple(LINE_END)) or not line:
        return False
    if (
        _numbering(nxt)[0]
        or BULLET.match(nxt)
        or nxt.startswith(("#", "|", "【", "[", "**", ">"))
        or "\t" in following
        or chat_speaker(nxt)
        or chat_speaker(line)
        or PAGE_NUMBER.match(nxt)
        or DATE_ONLY.match(nxt)
    ):
        return False
    if re.match(r"^[^：:，,。；;]{1,10}[：:]", nxt):
        return False  # "问题：…" opens a topic of its own
    if line.endswith(("，", ",", "、")) or nxt.startswith(tuple("，。；、）》”」,;)")):
        return True  # a line stopped on a comma, or the next one opens on the punctuation that ends this one
    return page_width > 0 and _width(last) >= page_width
