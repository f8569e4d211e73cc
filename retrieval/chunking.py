"""Structure-aware chunking of 公文 reports and statutes.

Reports: heading levels 一、 / （一） / 1、 / （1）, run-in sub-headings ("（四）严格规范公正文明执法。以…"), and the
damaged web copy where "(一)" became ")". One chunk per smallest numbered unit (a 1、 item is the citable unit),
long units split at sentence ends; a chunk never crosses a top-level part.
Statutes: 第X章 / 第X节 / 第X条, one chunk per article, long articles split at 。 and ；.

Locators: reports join the labels of the heading path, e.g. "一（四）", "一（二）1", "三1"; text before 一、 is
"开头". Laws use the article, e.g. "第三条"; the part is the chapter line, e.g. "第一章 总则".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import cn2an

CHUNKER_VERSION = 1

_NUM = "一二三四五六七八九十"
_L1 = re.compile(rf"^([{_NUM}]{{1,3}})、\s*(.*)$")
_L2 = re.compile(rf"^[（(]([{_NUM}]{{1,3}})[）)]\s*(.*)$")
_L3 = re.compile(r"^(\d{1,2})[、．.](?!\d)\s*(.*)$")
_L4 = re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")
_DAMAGED = re.compile(r"^[)）]\s*(\S.*)$")
_CN = f"{_NUM}百零〇两"
_CHAPTER = re.compile(rf"^(第[{_CN}]+[章编])\s*(.*)$")
_SECTION = re.compile(rf"^(第[{_CN}]+节)\s*(.*)$")
_ARTICLE = re.compile(rf"^(第[{_CN}]+条(?:之[{_NUM}]+)?)[\s\u3000]*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])[”’」』）)]*")
_HEADING_MAX = 60


@dataclass
class Piece:
    """A chunk before it gets its id and document metadata."""

    locator: str
    heading: str
    part: str
    text: str
    cont: bool = False  # continues the previous piece's paragraph (joined without a line break)


@dataclass
class _Unit:
    locator: str
    heading: str
    part: str
    lines: list[str] = field(default_factory=list)
    heading_only: bool = False  # just a heading line, nothing under it yet
    level: int = 0


# --------------------------------------------------------------------------- tokens

_encoder = None


def count_tokens(text: str) -> int:
    """Tokens of o200k_base (tiktoken; prepare_offline() points it at the bundled files)."""
    global _encoder
    if _encoder is None:
        from core.offline import prepare_offline

        prepare_offline()
        import tiktoken

        _encoder = tiktoken.get_encoding("o200k_base")
    return len(_encoder.encode(text, disallowed_special=()))


# --------------------------------------------------------------------------- entry point


def is_statute(text: str) -> bool:
    return len(re.findall(rf"(?m)^第[{_CN}]+条", text)) >= 3


def chunk_text(text: str, chunk_tokens: int = 320, *, statute: bool | None = None) -> list[Piece]:
    """Split cleaned text (one paragraph per line) into pieces of at most ~chunk_tokens tokens."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if statute is None:
        statute = is_statute(text)
    units = _statute_units(lines) if statute else _report_units(lines)
    units = _attach_bare_headings(units)
    pieces: list[Piece] = []
    for unit in units:
        pieces.extend(_split_unit(unit, chunk_tokens))
    return pieces


# --------------------------------------------------------------------------- reports


def parse_heading(line: str) -> tuple[int, str, str, bool] | None:
    """(level, label, heading text, heading_only) of a 公文 heading line, or None for a body line."""
    for level, pattern, fmt in ((1, _L1, "{}"), (2, _L2, "（{}）"), (3, _L3, "{}"), (4, _L4, "（{}）")):
        m = pattern.match(line)
        if m:
            label, rest = fmt.format(m.group(1)), m.group(2).strip()
            if not rest:
                return None
            heading, only = _heading_of(rest)
            return level, label, heading, only
    return None


def _heading_of(rest: str) -> tuple[str, bool]:
    """Heading text is up to the first 。 (run-in) or the whole line; heading_only when nothing follows."""
    stop = rest.find("。")
    if stop == -1:
        return rest.rstrip("：:；;"), len(rest) <= _HEADING_MAX
    return rest[:stop], False


def _report_units(lines: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    path: list[tuple[int, str, str]] = []  # (level, label, heading)
    part = ""
    l2_seen = 0
    current = _Unit(locator="开头", heading="", part="")
    units.append(current)
    for line in lines:
        parsed = parse_heading(line)
        if parsed is None:
            damaged = _DAMAGED.match(line)
            if damaged and len(damaged.group(1)) <= _HEADING_MAX and "。" not in damaged.group(1)[:-1]:
                # A web copy lost "(一" of "(一)": a lone ")" before a short heading line is the next level-2 heading.
                parsed = (2, f"（{_cn_number(l2_seen + 1)}）", damaged.group(1).rstrip("：:"), True)
        if parsed is None:
            current.lines.append(line)
            current.heading_only = False
            continue
        level, label, heading, only = parsed
        if level == 1:
            part = line if only else f"{label}、{heading}"
            l2_seen = 0
        elif level == 2:
            l2_seen = _cn_value(label.strip("（）")) or l2_seen + 1
        path = [p for p in path if p[0] < level] + [(level, label, heading)]
        locator = "".join(p[1] for p in path)
        current = _Unit(
            locator=locator, heading=heading, part=part, lines=[line], heading_only=only, level=level
        )
        units.append(current)
    return [u for u in units if u.lines]


def _cn_number(n: int) -> str:
    """12 → 十二: the label of a heading the web copy lost."""
    return cn2an.an2cn(n)


def _cn_value(s: str) -> int:
    """ "十二" → 12; 0 for a label that is no numeral, so the count of headings seen goes on instead."""
    try:
        return int(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return 0


# --------------------------------------------------------------------------- statutes


def _statute_units(lines: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    chapter, chapter_heading, section_heading = "", "", ""
    current = _Unit(locator="开头", heading="", part="")
    units.append(current)
    for line in lines:
        if m := _CHAPTER.match(line):
            chapter, chapter_heading, section_heading = line, _squash(m.group(2)), ""
            current = _Unit(
                locator=m.group(1),
                heading=chapter_heading,
                part=chapter,
                lines=[line],
                heading_only=True,
                level=1,
            )
            units.append(current)
        elif m := _SECTION.match(line):
            section_heading = _squash(m.group(2))
            current = _Unit(
                locator=m.group(1),
                heading=section_heading,
                part=chapter,
                lines=[line],
                heading_only=True,
                level=2,
            )
            units.append(current)
        elif m := _ARTICLE.match(line):
            current = _Unit(
                locator=m.group(1),
                heading=section_heading or chapter_heading,
                part=chapter,
                lines=[line],
                level=3,
            )
            units.append(current)
        else:
            current.lines.append(line)
            current.heading_only = False
    return [u for u in units if u.lines]


def _squash(heading: str) -> str:
    """ "总 则" -> "总则": statute headings are often letter-spaced."""
    return re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "", heading).strip()


# --------------------------------------------------------------------------- splitting


def _attach_bare_headings(units: list[_Unit]) -> list[_Unit]:
    """A heading line with nothing under it joins the next unit when that unit is inside it (same part)."""
    out: list[_Unit] = []
    pending: list[_Unit] = []
    for unit in units:
        if pending and (unit.part != pending[-1].part or unit.level <= pending[-1].level):
            out.extend(pending)
            pending = []
        if unit.heading_only and len(unit.lines) == 1:
            pending.append(unit)
            continue
        if pending:
            unit.lines = [ln for p in pending for ln in p.lines] + unit.lines
            pending = []
        out.append(unit)
    out.extend(pending)
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, ending at 。；！？ (closing quotes stay with their sentence)."""
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        end = m.end()
        if end > start:
            parts.append(paragraph[start:end])
            start = end
    if start < len(paragraph):
        parts.append(paragraph[start:])
    return [p for p in parts if p]


def _split_unit(unit: _Unit, limit: int) -> list[Piece]:
    text = "\n".join(unit.lines)
    if count_tokens(text) <= limit:
        return [Piece(unit.locator, unit.heading, unit.part, text)]
    # Segments: sentences, each knowing whether it starts a new paragraph.
    segments: list[tuple[str, bool, int]] = []
    for line in unit.lines:
        for i, sentence in enumerate(_hard_split(split_sentences(line), limit)):
            segments.append((sentence, i == 0, count_tokens(sentence)))
    total = sum(s[2] for s in segments)
    target = total / math.ceil(total / limit)
    pieces: list[Piece] = []
    buf: list[tuple[str, bool, int]] = []
    size = 0

    def flush() -> None:
        nonlocal buf, size
        if not buf:
            return
        body = "".join(("\n" if new and j else "") + s for j, (s, new, _) in enumerate(buf))
        pieces.append(Piece(unit.locator, unit.heading, unit.part, body, cont=not buf[0][1]))
        buf, size = [], 0

    for seg in segments:
        if buf and (size + seg[2] > limit or size + seg[2] / 2 > target):
            flush()
        buf.append(seg)
        size += seg[2]
    flush()
    return pieces


def _hard_split(sentences: list[str], limit: int) -> list[str]:
    """A sentence longer than the limit is cut at ， or, failing that, every ~limit characters."""
    out: list[str] = []
    for s in sentences:
        if count_tokens(s) <= limit:
            out.append(s)
            continue
        buf = ""
        for clause in re.split(r"(?<=[，,、：:])", s):
            while count_tokens(clause) > limit:  # no comma for a long stretch: cut by length
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(clause[:limit])
                clause = clause[limit:]
            if buf and count_tokens(buf + clause) > limit:
                out.append(buf)
                buf = ""
            buf += clause
        if buf:
            out.append(buf)
    return out
