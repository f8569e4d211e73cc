"""Reading what people type: report years in any of the ways they are written, and safe file names.

Shared by the CLI and the web page so both accept the same input and say the same thing when it is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import ZhibiError
from drafting.text.numbers import cn_digits

MAX_NOTES_CHARS = 200_000
# Lines with text. Reading, placement and the evidence table grow with lines × sentences: 10,000 one-character
# lines (20 KB) once took 227 s and 11.7 GB. A bureau's notes for a year run to a few hundred lines; 1,000
# realistic lines (36 KB) draft in about 6 s (bench/limits.py).
MAX_NOTES_LINES = 1_000
MAX_LINE_CHARS = 5_000  # one pasted line; a longer one is a document, not a note
MAX_UNIT_CHARS = 100
NO_NOTES = (
    "工作笔记为空",
    "请粘贴各科室报送的材料或上传 .txt、.md、.docx 文件后再起草，例如“全年受理行政许可申请412件”",
)
# The command line reads a file or stdin: it cannot paste or upload.
NO_NOTES_CLI = "请在笔记文件中写入各科室报送的材料，例如“全年受理行政许可申请412件”；用 - 可从标准输入读取"

FIRST_YEAR = 2000
# 〇 and 零 both write zero in a year ("二〇二三", "二零二三"); ○ (white circle) is a common stand-in for 〇.
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_YEAR_SUFFIX = re.compile(r"\s*(?:年度|年)\s*$")


def last_year() -> int:
    return dt.date.today().year - 1


def parse_year(value: object) -> int:
    """2023, "2023", "２０２３", "二〇二三", "2023年度" → 2023; anything else raises ZhibiError naming the fix.

    The upper bound is next year (a report may be drafted ahead for planning), the lower one 2000.
    """
    example = last_year()
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ZhibiError("没有填写报告年度", hint=f"请填写四位年份，例如 {example}")
    if isinstance(value, bool):
        raise ZhibiError(f"报告年度“{value}”不是年份", hint=f"请填写四位年份，例如 {example}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ZhibiError(f"报告年度“{value:g}”不是整数年份", hint=f"请填写四位年份，例如 {example}")
        value = int(value)
    text = _YEAR_SUFFIX.sub("", unicodedata.normalize("NFKC", str(value)).strip())
    if text and all(c in _CN_DIGITS for c in text):
        text = "".join(str(_CN_DIGITS[c]) for c in text)
    if not re.fullmatch(r"\d{1,6}", text):
        raise ZhibiError(
            f"报告年度“{str(value).strip()[:20]}”不是年份",
            hint=f"请填写四位年份，例如 {example}、{_cn_year(example)}",
        )
    year = int(text)
    latest = dt.date.today().year + 1
    if len(text) != 4 or not FIRST_YEAR <= year <= latest:
        raise ZhibiError(
            f"报告年度“{text}”不在 {FIRST_YEAR}–{latest} 年之间",
            hint=f"请填写四位年份，例如 {example}",
        )
    return year


def _cn_year(year: int) -> str:
    return cn_digits(year)


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_filename(name: str, fallback: str = "执笔草稿", limit: int = 120) -> str:
    """A file name (no folder part) from user text: separators, control and reserved characters become _.

    "../../x" cannot climb out of the folder it is written to: slashes are replaced and leading dots dropped.
    """
    cleaned = _UNSAFE.sub("_", name)
    cleaned = re.sub(r"_+", "_", cleaned).strip(" ._")
    return cleaned[:limit].rstrip(" .") or fallback


class InputError(ZhibiError):
    """A drafting request the user must correct; `field` names the input (notes, unit, year, section)."""

    def __init__(self, field: str, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.field = field


@dataclass(frozen=True)
class DraftRequest:
    notes: str
    unit: str
    year: int
    section: str | None  # None: the whole report


def check_request(
    notes: str | None, unit: str | None, year: object, section: str | None, sections: Iterable[str]
) -> DraftRequest:
    """The one set of rules for what a drafting request needs; the CLI, the web page and the API share it.

    `sections` are the outline keys a single-section request may name; "" / None / "report" ask for the whole
    report. Raises InputError naming the field and the fix.
    """
    notes = notes or ""
    if not notes.strip():
        raise InputError("notes", NO_NOTES[0], hint=NO_NOTES[1])
    if len(notes) > MAX_NOTES_CHARS:
        raise InputError(
            "notes",
            f"工作笔记过长（{len(notes):,} 字，上限 {MAX_NOTES_CHARS:,} 字）",
            hint="请按章节分批起草，或删去与本年度报告无关的内容",
        )
    lines = [line for line in notes.splitlines() if line.strip()]
    if len(lines) > MAX_NOTES_LINES:
        raise InputError(
            "notes",
            f"工作笔记行数过多（{len(lines):,} 行，上限 {MAX_NOTES_LINES:,} 行）",
            hint="请合并零散的短行，或按章节分批起草",
        )
    longest = max((len(line) for line in lines), default=0)
    if longest > MAX_LINE_CHARS:
        raise InputError(
            "notes",
            f"工作笔记中有一行过长（{longest:,} 字，每行上限 {MAX_LINE_CHARS:,} 字）",
            hint="请按事项分行，每行写一件事",
        )
    unit = (unit or "").strip()
    if not unit:
        raise InputError("unit", "缺少单位名称", hint="请填写报告单位，例如“某区交通运输局”")
    if len(unit) > MAX_UNIT_CHARS:
        raise InputError("unit", f"单位名称过长（上限 {MAX_UNIT_CHARS} 字）", hint="请只写单位全称")
    try:
        year_int = parse_year(year)
    except ZhibiError as exc:
        raise InputError("year", exc.message, hint=exc.hint) from None
    key = (section or "").strip()
    if key in ("", "report"):
        return DraftRequest(notes, unit, year_int, None)
    known = list(sections)
    if key not in known:
        raise InputError(
            "section", f"未知的章节“{key[:40]}”", hint=f"可选 report 即全文，或：{'、'.join(known)}"
        )
    return DraftRequest(notes, unit, year_int, key)
