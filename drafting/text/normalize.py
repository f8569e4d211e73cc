"""公文 style text hygiene: full-width punctuation, no stray spaces or Markdown, figures untouched."""

from __future__ import annotations

import re

from drafting.text.numbers import normalise_digits

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_OR_FW = rf"[{CJK}\u3000-\u303f\uff00-\uffef“”‘’《》]"

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s|^\s*[-*+•·]\s|^\s*>\s|`", re.M)


def to_fullwidth(text: str) -> str:
    """ASCII punctuation next to Chinese text becomes full-width; decimals, times and 12:30 stay as they are."""
    text = normalise_digits(text)
    # Quotes: pair ASCII double quotes into “…” within a line.
    text = re.sub(r'"([^"\n]*)"', r"“\1”", text)
    text = re.sub(rf"'([^'\n]*[{CJK}][^'\n]*)'", r"‘\1’", text)
    out = []
    for i, ch in enumerate(text):
        full = _ASCII_TO_FULL.get(ch)
        if full is None:
            out.append(ch)
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == ":" and prev.isdigit() and nxt.isdigit():
            out.append(ch)  # a time such as 9:30
        elif ch == "," and prev.isdigit() and re.match(r"\d{3}(?!\d)", text[i + 1 : i + 5]):
            out.append(ch)  # a thousands separator (12,307) is part of the figure as written
        elif ch in "()":
            out.append(full if _near_cjk(text, i) else ch)
        else:
            out.append(full)
    text = "".join(out)
    # A sentence-final ASCII full stop after Chinese text.
    text = re.sub(rf"(?<=[{CJK}”）])\.(?!\d)", "。", text)
    return tidy(text)


def _near_cjk(text: str, i: int) -> bool:
    window = text[max(0, i - 12) : i + 12]
    return re.search(f"[{CJK}]", window) is not None


def tidy(text: str) -> str:
    """Collapse doubled punctuation and remove spaces around Chinese text."""
    text = re.sub(r"([。，；：、！？])\1+", r"\1", text)
    text = re.sub(r"[，；、]+([。！？])", r"\1", text)
    text = re.sub(rf"\s+(?={_CJK_OR_FW})", "", text)
    text = re.sub(rf"(?<={_CJK_OR_FW})[ \t\u3000]+", "", text)
    return text.strip()


def strip_markdown(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*#{1,6}\s*", "", line)
        line = re.sub(r"^\s*(?:[-*+•·]|>)\s+", "", line)
        line = line.replace("**", "").replace("__", "").replace("`", "")
        lines.append(line)
    return "\n".join(lines)


def ascii_punct_in_chinese(text: str) -> list[str]:
    """ASCII punctuation that touches Chinese text (the style check); decimals and % are not punctuation here."""
    hits = []
    for m in re.finditer(r"[,;:!?()\"']", text):
        i = m.start()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if re.match(f"[{CJK}]", prev) or re.match(f"[{CJK}]", nxt):
            hits.append(text[max(0, i - 6) : i + 6])
    return hits


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s), before any rule reads the text: "開了3次會" → "开了3次会"."""
    if not text.isascii():
        text = _t2s().convert(text)
    return text


_CONVERTER = []


def _t2s():
    if not _CONVERTER:
        import opencc

        _CONVERTER.append(opencc.OpenCC("t2s"))
    return _CONVERTER[0]
