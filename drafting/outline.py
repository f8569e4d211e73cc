"""The report outline, loaded from outline.toml (data a bureau can edit), and heading ↔ key mapping."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.errors import ZhibiError
from drafting.text import numbers


@dataclass(frozen=True)
class OutlineEntry:
    key: str
    heading: str  # template with {year} / {next_year}
    title: str
    parent: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # words a notes heading names the part by, too loose for a line's own words
    basis: str = ""
    lead: tuple[str, ...] = ()

    @property
    def level(self) -> int:
        return 2 if self.parent else 1

    def render_heading(self, year: int) -> str:
        return self.heading.format(year=year, next_year=year + 1)


@dataclass
class Outline:
    entries: list[OutlineEntry] = field(default_factory=list)
    # Other top-level tables of outline.toml (`[reading]`, `[placement]`): cue words the notes reader and
    # placement use, kept as data beside the outline they serve.
    extra: dict = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    @property
    def parts(self) -> list[OutlineEntry]:
        return [e for e in self.entries if not e.parent]

    def get(self, key: str) -> OutlineEntry:
        for e in self.entries:
            if e.key == key:
                return e
        raise ZhibiError(
            f"未知的章节：{key}",
            hint="可用的章节有 report（全文）、" + "、".join(self.keys),
        )

    def children(self, key: str) -> list[OutlineEntry]:
        return [e for e in self.entries if e.parent == key]

    def part_of(self, key: str) -> str:
        entry = self.get(key)
        return entry.parent or entry.key

    def match_heading(self, text: str) -> str | None:
        """The key a heading line names ("三、不足" → shortcomings, "执法这块" → measures.enforcement)."""
        core = strip_numbering(text)
        best: tuple[int, str] | None = None
        for e in self.entries:
            for alias in e.aliases:
                if alias in core:
                    # Longer aliases are more specific; parts lose ties so "执法监督" beats "监督".
                    score = len(alias) * 10 + (1 if e.parent else 0)
                    if best is None or score > best[0]:
                        best = (score, e.key)
        return best[1] if best else None

    def heading_key(self, text: str) -> str | None:
        """The key a notes heading names, also by a looser word of the field ("五、优化利用服务" → functions).
        Only for placing the lines under a heading: `match_heading` alone decides what is a heading and maps
        past reports, where a loose word would claim too much."""
        if key := self.match_heading(text):
            return key
        core = strip_numbering(text)
        hits = [(len(w), e.key) for e in self.entries for w in e.names if w in core]
        return max(hits)[1] if hits and len({k for _, k in hits}) == 1 else None

    def score_line(self, text: str, within: str | None = None) -> dict[str, int]:
        """Keyword score of a note line for each key (restricted to children of `within` when given)."""
        scores: dict[str, int] = {}
        for e in self.entries:
            if within is not None and e.parent != within:
                continue
            # An alias that is also a keyword counts once; aliases are how notes name a section outright.
            s = sum(1 for k in e.keywords if k in text)
            s += sum(2 for a in e.aliases if a in text and a not in e.keywords)
            if s:
                scores[e.key] = s
        return scores


def load_outline(path: Path | str) -> Outline:
    return _load(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _load(path: str) -> Outline:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ZhibiError(f"找不到提纲文件 {path}", hint="检查 ZHIBI_OUTLINE 的路径") from None
    except tomllib.TOMLDecodeError as exc:
        raise ZhibiError(
            f"提纲文件 {path} 不是合法的 TOML：{exc}", hint="修正该文件或删除 ZHIBI_OUTLINE"
        ) from None
    entries = []
    for raw in data.get("section", []):
        try:
            entries.append(
                OutlineEntry(
                    key=raw["key"],
                    heading=raw["heading"],
                    title=raw.get("title", raw["heading"]),
                    parent=raw.get("parent", ""),
                    required=bool(raw.get("required", False)),
                    aliases=tuple(raw.get("aliases", ())),
                    keywords=tuple(raw.get("keywords", ())),
                    names=tuple(raw.get("names", ())),
                    basis=raw.get("basis", ""),
                    lead=tuple(raw.get("lead", ())),
                )
            )
        except KeyError as exc:
            raise ZhibiError(
                f"提纲文件 {path} 的 [[section]] 缺少 {exc}", hint="每节至少要有 key 和 heading"
            ) from None
    if not entries:
        raise ZhibiError(f"提纲文件 {path} 没有 [[section]]", hint="参照 drafting/outline.toml 的格式")
    return Outline(entries, extra={k: v for k, v in data.items() if k != "section"})


_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．)）]|[（(]\d+[）)]|[①-⑳])\s*"
)


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text).strip()


def cn_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十 (drafting.text.numbers, through cn2an)."""
    return numbers.cn_numeral(n)


def part_heading(index: int, text: str) -> str:
    return f"{cn_numeral(index)}、{text}"


def sub_heading(index: int, text: str) -> str:
    return f"（{cn_numeral(index)}）{text}"
