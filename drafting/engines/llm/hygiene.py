"""Reply hygiene: the one stage between the model's raw reply and verification.

Real models wrap the section they were asked for: a reasoning block (<think>… of DeepSeek-R1, Qwen3, QwQ, or
the separate `reasoning_content` field), a preamble ("好的，以下是……："), a sign-off ("希望对您有所帮助"),
code fences or a JSON object, Markdown headings, bold and lists, the section heading repeated, a paragraph
given twice, English, or a reply cut off by the token limit. `clean()` turns that into 公文 paragraphs (one a
line) and says what it removed, for the audit; `StreamCleaner` does the same as the reply arrives, so the
user never sees a <think> block or a preamble flash by.

The rules are about the shape of a reply (where a line sits, what it addresses, its markup), not about the
wording of any particular bureau's notes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from drafting.text.numbers import cn_numeral

CJK = r"\u3400-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{CJK}]")
LATIN = re.compile(r"[A-Za-z]")
THINKING_NOTE = "（思考中……）"

# -- reasoning blocks -----------------------------------------------------------------------------------
_TAGS = "think|thinking|reasoning|reflection"
_BLOCK = re.compile(rf"<({_TAGS})>(.*?)</\1>", re.S | re.I)
_OPEN = re.compile(rf"<({_TAGS})>", re.I)
_CLOSE = re.compile(rf"</({_TAGS})>", re.I)


def split_reasoning(raw: str) -> tuple[str, str, bool]:
    """(answer, reasoning, unfinished): reasoning blocks taken out of a reply.

    DeepSeek-R1's template puts the opening <think> in the prompt, so a reply may carry only the closing
    tag: everything before it is reasoning. An opening tag never closed (the reply stopped while the model
    was still thinking) makes the rest reasoning and the answer unfinished.
    """
    thoughts: list[str] = []

    def keep(m: re.Match[str]) -> str:
        thoughts.append(m.group(2).strip())
        return "\n"

    answer = _BLOCK.sub(keep, raw)
    unfinished = False
    close = _CLOSE.search(answer)
    if close and not _OPEN.search(answer[: close.start()]):
        thoughts.insert(0, answer[: close.start()].strip())
        answer = answer[close.end() :]
    opening = _OPEN.search(answer)
    if opening:
        thoughts.append(answer[opening.end() :].strip())
        answer = answer[: opening.start()]
        unfinished = True
    return answer, "\n\n".join(t for t in thoughts if t), unfinished


# -- JSON and code fences -----------------------------------------------------------------------------------
_FENCE_LINE = re.compile(r"^\s*(```|~~~)\s*([A-Za-z]*)\s*$")
_TEXT_KEYS = ("正文", "内容", "content", "text", "body", "answer", "section", "paragraphs", "段落", "output")
_META_KEYS = ("标题", "title", "heading", "说明", "note", "notes", "备注", "explanation", "comment")


def _unwrap_json(text: str) -> str | None:
    """The prose inside a reply that is one JSON object or array (fenced or not); None when it is not JSON."""
    body = "\n".join(line for line in text.strip().split("\n") if not _FENCE_LINE.match(line)).strip()
    if not body or body[0] not in "{[":
        return None
    try:
        data = json.loads(body)
    except ValueError:
        # A reply cut off inside the JSON: take the string values that did arrive.
        values = [_unescape(v) for v in re.findall(r'"(?:[^"\\]|\\.)*"\s*:\s*"((?:[^"\\]|\\.)*)', body)]
        prose = [v for v in values if HAN.search(v) and len(v) > 12]
        return "\n".join(prose) if prose else None
    return "\n".join(_json_prose(data)) or None


def _unescape(value: str) -> str:
    try:
        return json.loads(f'"{value}"')
    except ValueError:
        return value.replace("\\n", "\n")


def _json_prose(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [p for item in data for p in _json_prose(item)]
    if isinstance(data, dict):
        lowered = {str(k).lower(): v for k, v in data.items()}
        for key in _TEXT_KEYS:
            if key in lowered:
                return _json_prose(lowered[key])
        return [p for k, v in lowered.items() if k not in _META_KEYS for p in _json_prose(v)]
    return []


# -- line shapes ------------------------------------------------------------------------------------------------
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^\s*>\s?")
_BULLET = re.compile(r"^\s*[-*+•·●○▪■◆]\s+")
# "1." "2、" "(3)" "（4）" "①"; never "1.5万元" or "2024年"
_ORDINAL = re.compile(r"^\s*(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|\d{1,2}[)）]|[①-⑳])\s*")
_CN_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
)
# bold around 2+ characters; "**市**区" (a place name masked in a published report) is not markup
_BOLD = re.compile(r"(\*\*|__)(?=\S)([^*\n]{2,}?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^*\s])([^*\n]{2,}?)(?<=\S)\*(?!\*)")
_CODE = re.compile(r"`([^`\n]*)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/|#)[^)\s]*\)")
_END_PUNCT = "。！？；…”’）)】"
_SENTENCE_END = re.compile(r"(?<=[。！？；])")

# A preamble speaks about the reply ("以下是……：", "根据您提供的材料……如下：") or only acknowledges ("好的。").
_ACK = re.compile(
    r"^(?:好的|好|当然|当然可以|没问题|可以|明白|收到|了解|OK|Okay|Sure|Certainly|Alright)[，,。！!.\s]*$",
    re.I,
)
_ACK_LEAD = re.compile(r"^(?:好的|当然|没问题|明白了?|收到|OK|Okay|Sure|Certainly)[，,。！!、\s]", re.I)
_META_STRONG = re.compile(
    r"以下是|以下为|下面是|下面为|为您|为你|我将|我会|我已|我来|根据(?:您|你)|按照(?:您|你)|"
    r"起草了|撰写了|草拟|Here (?:is|are)|as follows",
    re.I,
)
# "如下：" may end a body sentence ("具体做法如下："): it only makes a preamble of a line with little else in it
_META_WEAK = re.compile(r"如下|正文[:：]|^[【\[]?正文[】\]]?$|below", re.I)
_META = re.compile(
    f"{_META_STRONG.pattern}|{_META_WEAK.pattern}", re.I
)  # lines worth holding while streaming
# A sign-off speaks to the reader or about the text above.
_SIGN_OFF = re.compile(
    r"[您你]|希望(?:以上|上述|这|本)|如需|如有(?:任何|其他)?(?:需要|疑问|问题|修改|调整)|供(?:您)?参考|"
    r"请(?:告知|告诉|指正|提出|随时)|^(?:注|说明|备注|提示|附注)[:：]|^[（(](?:注|说明|备注)|"
    r"^以上(?:是|为|就是|内容|正文|草稿|稿件|文字)|^---|Let me know|Hope (?:this|it)|feel free",
    re.I,
)
_ADDRESS = re.compile(r"[您你]|希望|如需|如有|请|Let me know|Hope|feel free", re.I)
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"|《[^》]*》")


def _unquoted(text: str) -> str:
    """Text outside quotes and titles: "“您有事我来办”服务" speaks to no one."""
    return _QUOTED.sub("", text)


def _is_sign_off(text: str) -> bool:
    """A trailing line that speaks to the reader or about the text above; a note with figures in it
    ("注：以上数据截至2024年11月底") is kept unless it also addresses the reader."""
    bare = _unquoted(_inline(text))
    if len(text) > 160 or not _SIGN_OFF.search(bare):
        return False
    return not re.search(r"\d", bare) or bool(_ADDRESS.search(bare))


@dataclass
class Cleaned:
    text: str  # 公文 paragraphs, one a line
    reasoning: str = ""  # the model's reasoning (kept for the audit, never drafted)
    removed: list[str] = field(default_factory=list)  # "开场白：好的……" – what was dropped, for the audit
    reshaped: list[str] = field(default_factory=list)  # markup turned into prose: "Markdown 标题", "列表"…
    unfinished: bool = False  # the reply stopped before its end (token limit, or still reasoning)
    han_share: float = 1.0  # Chinese characters among letters of the answer

    @property
    def chinese(self) -> bool:
        """A reply in Chinese: mostly Han characters, and enough of them to be a section."""
        return self.han_share >= 0.8 and len(HAN.findall(self.text)) >= 2

    def audit(self) -> dict[str, object]:
        return {
            "reasoning": self.reasoning,
            "removed": self.removed,
            "reshaped": self.reshaped,
            "unfinished": self.unfinished,
            "han_share": round(self.han_share, 3),
        }


def han_share(text: str) -> float:
    han = len(HAN.findall(text))
    latin = len(LATIN.findall(text))
    return han / (han + latin / 4) if han + latin else 1.0  # ~4 letters make an English word


def _bare(text: str) -> str:
    text = _MD_HEADING.sub("", text)
    text = _BOLD.sub(r"\2", text).replace("**", "")
    text = _CN_NUMBERING.sub("", _ORDINAL.sub("", text.strip()))
    return text.strip().strip("“”\"'《》【】[]").rstrip("。：:；;，, ").strip()


@dataclass
class _Line:
    text: str
    kind: str  # "text" | "heading" | "item"


def clean(
    raw: str, *, heading: str = "", title: str = "", reasoning: str = "", truncated: bool = False
) -> Cleaned:
    """Turn a model's reply into the section's body: 公文 paragraphs, one per line.

    heading/title: the section heading as printed and its bare title (a repeat of either is dropped);
    reasoning: a separate reasoning field the server sent; truncated: the server stopped at the token limit.
    """
    out = Cleaned(text="")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u200b", "")
    text, thought, unfinished = split_reasoning(text)
    out.reasoning = "\n\n".join(t for t in (reasoning.strip(), thought) if t)
    if thought:
        out.removed.append(f"推理过程（{len(thought)} 字）")
    out.unfinished = unfinished or truncated

    unwrapped = _unwrap_json(text)
    if unwrapped is not None:
        text = unwrapped
        out.reshaped.append("JSON 外壳")

    names = {n for n in (_bare(heading), _bare(title)) if n}
    lines = _lines(text, out)
    lines = _drop_preamble(lines, names, out)
    lines = _drop_sign_off(lines, out)
    lines = _drop_repeats(lines, names, out)
    paragraphs = _paragraphs(lines, out)
    paragraphs = _drop_english(paragraphs, out)
    if out.unfinished and paragraphs:
        paragraphs = _cut_unfinished(paragraphs, out)
    paragraphs = [p if p[-1] in _END_PUNCT or p.endswith(("：", ":")) else p + "。" for p in paragraphs]
    # A list lead ("主要包括：") left at the very end has nothing to lead into.
    while paragraphs and paragraphs[-1].endswith(("：", ":")):
        out.removed.append("末尾的引导语：" + paragraphs.pop())
    out.text = "\n".join(paragraphs)
    out.han_share = han_share(out.text) if out.text else han_share(text)
    return out


def _inline(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _BOLD.sub(r"\2", line)
    line = _ITALIC.sub(r"\1", line)
    # an unpaired marker left at either end of the line ("**规范执法：" with the closing pair lost)
    return re.sub(r"^(?:\*\*|__)|(?:\*\*|__)$", "", line.strip())


def _inline_stream(piece: str) -> str:
    """Inline markup off a piece of a line still arriving (its pairs may be split over pieces)."""
    return _CODE.sub(r"\1", piece).replace("**", "").replace("__", "").replace("`", "")


def _lines(text: str, out: Cleaned) -> list[_Line]:
    lines: list[_Line] = []
    marks: set[str] = set()
    for raw in text.split("\n"):
        if _FENCE_LINE.match(raw):
            marks.add("代码块")
            continue
        if _RULE.match(raw) or _TABLE_SEP.match(raw):
            marks.add("分隔线")
            continue
        line = raw.rstrip()
        kind = "text"
        if _MD_HEADING.match(line) and line.lstrip().startswith("#"):
            line, kind = _MD_HEADING.sub("", line), "heading"
            marks.add("Markdown 标题")
        line = _QUOTE.sub("", line)
        if "|" in line and line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
            line = "，".join(cells)
            marks.add("表格")
        if _BULLET.match(line):
            line, kind = _BULLET.sub("", line), "item"
            marks.add("列表")
        elif _ORDINAL.match(line) and not re.match(r"^\s*\d{1,2}[.．](?=\d)", line):
            line, kind = _ORDINAL.sub("", line), "item"
            marks.add("编号列表")
        stripped = line.strip()
        if stripped.startswith(("**", "__")) and _BOLD.fullmatch(stripped.rstrip("：:")):
            kind = "heading" if kind == "text" else kind  # a bold line on its own is a heading
            marks.add("加粗")
        elif "**" in line or "__" in line:
            marks.add("加粗")
        line = _inline(line).strip().strip("\u3000").strip()
        if line:
            lines.append(_Line(line, kind))
    out.reshaped.extend(sorted(marks))
    return lines


def _is_preamble(line: str) -> bool:
    if _ACK.match(line):
        return True
    if len(line) > 120:
        return False
    if _ACK_LEAD.match(line):
        return True
    bare = _unquoted(line)
    if _META_STRONG.search(bare):
        return line.endswith(("：", ":", "。")) or len(line) <= 30
    rest = re.sub(rf"{_META_WEAK.pattern}|[^{CJK}A-Za-z0-9]", "", bare, flags=re.I)
    return bool(_META_WEAK.search(bare)) and len(rest) <= 6 and not re.search(r"\d", rest)


def _drop_preamble(lines: list[_Line], names: set[str], out: Cleaned) -> list[_Line]:
    while lines:
        first = lines[0]
        if _is_preamble(first.text) and not _starts_with_name(first.text, names):
            out.removed.append("开场白：" + first.text)
            lines = lines[1:]
            continue
        break
    return lines


def _drop_sign_off(lines: list[_Line], out: Cleaned) -> list[_Line]:
    while lines and _is_sign_off(lines[-1].text):
        out.removed.append("结束语：" + lines[-1].text)
        lines = lines[:-1]
    return lines


def _starts_with_name(text: str, names: set[str]) -> bool:
    bare = _bare(text)
    return any(bare.startswith(n) for n in names)


def _drop_repeats(lines: list[_Line], names: set[str], out: Cleaned) -> list[_Line]:
    """The section heading given again (alone, run in, or leading a list) and paragraphs given twice."""
    kept: list[_Line] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        bare = _bare(line.text)
        if names and bare in names:
            out.removed.append("重复的标题：" + line.text)
            continue
        if names and i == 0:
            rest = _strip_heading(line.text, names)
            if rest != line.text:
                out.removed.append("重复的标题：" + (line.text if not rest else line.text[: -len(rest)]))
                if not rest:
                    continue
                line = _Line(rest, line.kind)
        key = re.sub(rf"[^{CJK}A-Za-z0-9]", "", line.text)
        if len(key) >= 12 and key in seen:
            out.removed.append("重复的段落：" + line.text[:40])
            continue
        seen.add(key)
        kept.append(line)
    return kept


def _strip_heading(text: str, names: set[str]) -> str:
    """The text without a repeat of the heading run into it: "（四）严格规范公正文明执法。以……" → "以……";
    "……不足和原因主要包括：" (a lead into a list that only restates the heading) → ""."""
    body = _CN_NUMBERING.sub("", _inline(text)).strip()
    for name in sorted(names, key=len, reverse=True):
        if not body.startswith(name) or len(body) == len(name):
            continue
        rest = body[len(name) :]
        if rest[0] in "。：:":
            return rest[1:].strip()
        if len(rest) <= 16 and rest.endswith(("：", ":")):
            return ""
        break
    return text


def _ordinal(n: int) -> str:
    return cn_numeral(n)


_LABEL = re.compile(rf"^([{CJK}A-Za-z0-9“”、]{{2,20}})[：:]\s*(?=\S)")


def _paragraphs(lines: list[_Line], out: Cleaned) -> list[str]:
    """Headings run into the paragraph they head; a list becomes "一是……；二是……" (short items, one paragraph)
    or one paragraph an item ("一是……。") when its items are sentences."""
    paragraphs: list[str] = []
    i = 0
    pending_heading = ""
    while i < len(lines):
        line = lines[i]
        if line.kind == "heading":
            pending_heading = line.text.rstrip("。：:；;，, ")
            i += 1
            continue
        if line.kind == "item":
            items: list[str] = []
            while i < len(lines) and lines[i].kind == "item":
                items.append(lines[i].text)
                i += 1
            lead = ""
            if paragraphs and paragraphs[-1].endswith(("：", ":")):
                lead = paragraphs.pop()
            if pending_heading:
                lead = pending_heading + "。" + lead
                pending_heading = ""
            paragraphs.extend(_list_to_prose(lead, items))
            continue
        text = line.text
        if pending_heading:
            text = pending_heading + "。" + text
            pending_heading = ""
        paragraphs.append(text)
        i += 1
    if pending_heading:
        paragraphs.append(pending_heading)
    return [p for p in paragraphs if p.strip()]


def _list_to_prose(lead: str, items: list[str]) -> list[str]:
    items = [_LABEL.sub(lambda m: m.group(1) + "。", item.strip()) for item in items]
    # Phrases ("执法人员年龄结构偏大") join into one sentence; items that are sentences stay paragraphs.
    short = all(len(item) <= 40 and not re.search("[。！？]", item) for item in items)
    if short and len(items) > 1:
        parts = [f"{_ordinal(n)}是{item.rstrip('。；;，, ')}" for n, item in enumerate(items, 1)]
        return [lead + "；".join(parts) + "。"]
    prose = [f"{_ordinal(n)}是{item}" for n, item in enumerate(items, 1)] if len(items) > 1 else items
    return ([lead] if lead else []) + prose


def _drop_english(paragraphs: list[str], out: Cleaned) -> list[str]:
    kept = []
    for p in paragraphs:
        sentences = [s for s in re.split(r"(?<=[。！？；.!?])\s*", p) if s.strip()]
        good = []
        for s in sentences:
            latin, han = len(LATIN.findall(s)), len(HAN.findall(s))
            if latin >= 8 and latin > han * 2:
                out.removed.append("英文：" + s[:60])
            else:
                good.append(s)
        text = "".join(good).strip().lstrip("，,；;。")
        if text:
            kept.append(text)
    return kept


def _cut_unfinished(paragraphs: list[str], out: Cleaned) -> list[str]:
    last = paragraphs[-1]
    if last[-1] in _END_PUNCT:
        return paragraphs
    sentences = _SENTENCE_END.split(last)
    whole = "".join(s for s in sentences[:-1])
    out.removed.append("截断的半句：" + sentences[-1][:60])
    return paragraphs[:-1] + ([whole] if whole else [])


# -- streaming -------------------------------------------------------------------------------------------------
_THINK_START = re.compile(rf"^\s*<(?:{_TAGS})>", re.I)
_MAYBE_TAG = re.compile(r"<[/a-zA-Z]{0,10}$")
# How reasoning reads when the template already sent the opening <think> (it talks about the task).
_REASONING_START = re.compile(
    r"^\s*(?:嗯|好的，用户|用户|我需要|我要|我得|我应该|让我|Okay|Alright|Let me|The user|We need)", re.I
)
_HOLD_START = re.compile(
    r"^\s*(?:[#>|`~{\[*_\-+•·]|\d{1,2}[.．、)）]|[（(]\d|[①-⑳]|好|当然|没问题|可以|明白|收到|以下|下面|根据|按照|"
    r"希望|如需|如有|以上|注|说明|备注|提示|OK|Sure|Here|Certainly|Hope|Let)",
    re.I,
)


class StreamCleaner:
    """Clean a reply as it streams: show what is surely body, hold what may yet turn out to be wrapping.

    feed() takes each raw piece and returns the text to show now; reasoning (tagged, or in a separate field
    via feed_reasoning) shows at most once as THINKING_NOTE. A line that may be a preamble, a sign-off, a
    heading or a list marker is held until it is complete; the final text is clean() of the whole reply,
    which replaces what was shown.
    """

    def __init__(self, heading: str = "", title: str = "") -> None:
        self.heading, self.title = heading, title
        self.names = {n for n in (_bare(heading), _bare(title)) if n}
        self.raw = ""
        self.pos = 0  # raw[:pos] has been dealt with
        self.thinking = False
        self.said_thinking = False
        self.line = ""  # the current answer line, not yet complete
        self.line_shown = 0  # characters of self.line already shown
        self.held: list[str] = []  # complete lines held back (possible sign-off)
        self.items: list[str] = []  # the list being received (shown when it ends)
        self.lead_wait = ""  # a line ending in "：" waiting to see whether a list follows
        self.heading_wait = ""  # a Markdown heading waiting to run into the next paragraph
        self.lines_out = 0  # answer lines shown so far
        self.shown_keys: list[str] = []  # the start of each line shown (a paragraph given twice is held)
        self.wrapped = False  # the reply is a JSON object: nothing to show until clean() unwraps it
        self.shown = ""  # answer text shown so far (without the thinking note)

    def feed_reasoning(self, piece: str) -> str:
        return self._note_thinking() if piece else ""

    def _note_thinking(self) -> str:
        if self.said_thinking:
            return ""
        self.said_thinking = True
        return THINKING_NOTE + "\n"

    def feed(self, piece: str) -> str:
        visible = self._feed(piece)
        self.shown += (
            visible.replace(THINKING_NOTE + "\n", "", 1) if visible.startswith(THINKING_NOTE) else visible
        )
        return visible

    def finish(self, final: str) -> str:
        """What is left to show of the final clean text, when what was shown is its beginning."""
        if final.startswith(self.shown):
            rest = final[len(self.shown) :]
            self.shown = final
            return rest
        return ""

    def _feed(self, piece: str) -> str:
        self.raw += piece
        shown: list[str] = []
        while self.pos < len(self.raw) and not self.wrapped:
            rest = self.raw[self.pos :]
            if self.thinking:
                close = _CLOSE.search(rest)
                if not close:
                    # keep the last few characters: "</thi" may be the start of the closing tag
                    self.pos = max(self.pos, len(self.raw) - 16)
                    break
                self.thinking = False
                self.pos += close.end()
                continue
            at_start = not self.lines_out and not self.line_shown
            if at_start and not rest.strip():
                break
            if at_start:
                stripped = rest.lstrip()
                if _THINK_START.match(rest):
                    self.thinking = True
                    self.pos += _OPEN.search(rest).end()  # type: ignore[union-attr]
                    shown.append(self._note_thinking())
                    continue
                if len(stripped) < 12 and ("<" in stripped[:1] or _MAYBE_TAG.search(stripped)):
                    break  # may be "<think>" still arriving
                if _REASONING_START.match(stripped) and not _CLOSE.search(rest):
                    # Reasoning without its opening tag: wait for "</think>" (or the end, when clean() decides).
                    shown.append(self._note_thinking())
                    break
                if stripped[:1] in "{[" or re.match(r"^(```|~~~)\s*json", stripped, re.I):
                    self.wrapped = True
                close = _CLOSE.search(rest)
                if close:  # everything up to a lone closing tag was reasoning
                    self.pos += close.end()
                    continue
            newline = rest.find("\n")
            if newline < 0:
                self.line = rest
                shown.append(self._partial())
                break
            self.line = rest[:newline]
            shown.append(self._complete_line())
            self.pos += newline + 1
            self.line, self.line_shown = "", 0
        return "".join(shown)

    def _partial(self) -> str:
        line = self.line
        if self.line_shown == 0 and (self._hold(line) or re.search("[：:]$", line)):
            return ""
        # hold a trailing "*", "_", "`", "<" or "[": it may open markup
        safe = len(line)
        while safe > self.line_shown and line[safe - 1] in "*_`<[":
            safe -= 1
        if safe <= self.line_shown:
            return ""
        if self.line_shown:
            piece = _inline_stream(line[self.line_shown : safe])
            self.line_shown = safe
            return piece
        self.line_shown = safe
        return self._start_line(_inline_stream(line[:safe]).lstrip())

    def _hold(self, line: str) -> bool:
        """Whether the start of a line may still turn out to be wrapping, markup, English or a repeat."""
        stripped = line.strip()
        if len(stripped) < 6 or _HOLD_START.match(line) or _MAYBE_TAG.search(line):
            return True
        if _CLOSE.search(line) or _OPEN.search(line):
            return True
        if self.lines_out == 0 and (len(stripped) < 12 or _META.search(stripped)):
            return True  # the first line may still turn out to be a preamble
        bare = _bare(line)
        if any(n.startswith(bare) or bare.startswith(n) for n in self.names):
            return True  # the heading, repeated
        if len(LATIN.findall(line)) > len(HAN.findall(line)):
            return True
        return any(seen.startswith(_key(stripped)) for seen in self.shown_keys)

    def _start_line(self, text: str) -> str:
        """Begin a paragraph: whatever was waiting for it (a list, a lead, a heading) goes first."""
        prefix = self._flush()
        if self.heading_wait:
            text = self.heading_wait + "。" + text
            self.heading_wait = ""
        return prefix + self._line_out(text)

    def _line_out(self, text: str) -> str:
        out = ("\n" if self.lines_out else "") + text
        self.lines_out += 1
        return out

    def _flush(self) -> str:
        """Held lines followed by more body: a list with its lead, a lone lead, lines that looked like a
        sign-off (they were body after all)."""
        out = ""
        for held in self.held:
            out += self._line_out(held)
        self.held = []
        if self.items:
            lead = (self.heading_wait + "。" if self.heading_wait else "") + self.lead_wait
            self.heading_wait = self.lead_wait = ""
            for paragraph in _list_to_prose(lead, self.items):
                out += self._line_out(paragraph if paragraph[-1] in _END_PUNCT + "：:" else paragraph + "。")
            self.items = []
        elif self.lead_wait:
            out += self._line_out(self.lead_wait)
            self.lead_wait = ""
        return out

    def _complete_line(self) -> str:
        line = self.line
        if self.line_shown:
            tail = _inline_stream(line[self.line_shown :])
            self.line_shown = len(line)
            self.shown_keys.append(_key(line))
            ends = (self.shown + tail).rstrip()
            return tail if not ends or ends[-1] in _END_PUNCT + "：:" else tail + "。"
        if not line.strip() or _FENCE_LINE.match(line) or _RULE.match(line) or _TABLE_SEP.match(line):
            return ""
        if _CLOSE.search(line) or _OPEN.search(line):
            line = _BLOCK.sub("", line)
            line = _CLOSE.split(line)[-1] if _CLOSE.search(line) else _OPEN.split(line)[0]
        text = _inline(line).strip()
        if not self.lines_out and not self.items and not self.lead_wait:
            if _is_preamble(text):
                return ""
            text = _strip_heading(text, self.names) if self.names else text
        if not text or _bare(text) in self.names or _key(text) in self.shown_keys:
            return ""
        latin, han = len(LATIN.findall(text)), len(HAN.findall(text))
        if latin >= 8 and latin > han * 2:
            return ""
        if _is_sign_off(text):
            self.held.append(text)
            return ""
        self.shown_keys.append(_key(text))
        if line.lstrip().startswith("#"):
            out = self._flush()
            self.heading_wait = _MD_HEADING.sub("", text).rstrip("。：:；;，, ")
            return out
        if _BULLET.match(line) or (_ORDINAL.match(line) and not re.match(r"^\s*\d{1,2}[.．]\d", line)):
            # a list shows when it ends: short items become one sentence, sentences one paragraph each
            out = "".join(self._line_out(h) for h in self.held)
            self.held = []
            self.items.append(_ORDINAL.sub("", _BULLET.sub("", text)))
            return out
        if text.endswith(("：", ":")):
            out = self._flush()
            self.lead_wait = text
            return out
        return self._start_line(text if text[-1] in _END_PUNCT else text + "。")


def _key(text: str) -> str:
    return re.sub(rf"[^{CJK}A-Za-z0-9]", "", text)[:24]
