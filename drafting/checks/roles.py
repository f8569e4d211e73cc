"""Claims judged by role: a figure the notes give for another year, correct away or doubt, and a task the notes
say is not done, must not appear in the draft as this year's fact.

The checks read the notes through the reader's roles (ParsedNotes.set_aside), never through a writer: nothing
here rewrites text. A sentence is judged by what it says (its figures, its polarity), so an LLM reply and the
offline composer are held to the same rule.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.types import Clause, Fact, register_problem_kind
from drafting.checks.claims import bigrams
from drafting.text.names import person_spans
from drafting.text.numbers import CITATION, contains_figure, find_figures
from drafting.text.units import split_units

# A sentence that says it compares ("较上年增加12件", "同比下降3%", "比2023年的35件多12件").
COMPARISON = re.compile(
    r"同比|环比|较|比上|相比|上年|去年|前年|增加|减少|增长|下降|提高|降低|持平|(?:19|20)\d\d年(?:的|同期)"
)
UNCONFIRMED_MARK = "待核实"
# A sentence that says a task is not done, is under way or is planned (it may name an unfinished task).
NOT_DONE_WORDS = re.compile(
    r"未|没(?!收)|尚|仍|正在|推进中|有待|将|计划|拟|下一步|明年|下一年度|继续|不足|滞后|延期|推迟"
)
# Share of an unfinished task's words a sentence must hold to be about that task.
TASK_SHARE = 0.6
# Words of aspect and negation are no part of what a task is.
ASPECT = re.compile(
    r"还没|还未|尚未|未完成|没完成|没有完成|未启动|未开展|暂未|未能|没能|没来得及|进行中|推到明年|推迟|延期|顺延"
)
# Polarity a sentence may not turn round: (the note says, the sentence says instead).
OPPOSITES = (
    (re.compile(r"未(?!来)|没有|尚未|还没|没(?!收)"), re.compile(r"已|完成|实现|全面")),
    (re.compile(r"减少|下降|降低|回落"), re.compile(r"增加|增长|上升|提高")),
    (re.compile(r"增加|增长|上升|提高"), re.compile(r"减少|下降|降低|回落")),
)


# A figure counted over more than the report year ("“八五”普法以来累计112场", "近三年共46起", "自2021年以来208份")
# is written only with the span it covers; "今年以来" and "年初以来" are the year itself.
MULTI_YEAR = re.compile(
    r"(?<!今年)(?<!本年)(?<!年初)(?<!全年)(?<!当年)以来|近(?:[一二两三四五六七八九十几]|\d{1,2})年|历年|多年来|"
    r"[一二两三四五六七八九十]年来|自(?:19|20)\d\d年|(?:19|20)\d\d\s*[-—–－~～至到]\s*(?:19|20)\d\d\s*年|[“\"「]?十[三四五]五[”\"」]?期间"
)
# A figure of a month, a quarter or up to a day ("一季度12件", "截至10月底") is written only with its period.
PERIOD_SAID = re.compile(
    r"截至|截止|[一二三四1-4１-４]季度|上半年|下半年|前三季度|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月"
)
CLAUSE_SPLIT = re.compile(r"[，,；;。]")
NOT_THE_YEAR = register_problem_kind(
    "figures_not_the_year", "某月、某季度或多年累计的数字写成了全年数", "red"
).name

# A report names offices and posts, never the staff who wrote or said the notes.
PEOPLE_NAMED = register_problem_kind("people_named", "正文写入了工作人员姓名", "red").name


def people_named(text: str, notes_text: str) -> list[str]:
    """Names of people the notes mention that the section's text repeats."""
    names = {notes_text[a:b] for a, b in person_spans(notes_text)}
    return sorted(n for n in names if n in text)


WRAPPING_FILE = Path(__file__).with_name("wrapping.toml")
WRAPPING_IN_TEXT = register_problem_kind(
    "wrapping_in_text", "材料的包装信息（电话、邮箱、时间戳、文件名、字段名）写进了正文", "red"
).name


@dataclass(frozen=True)
class TextRow:
    """A row of a data file of patterns the checks look for in a text, with its examples and counter-examples."""

    id: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    unlike: tuple[str, ...]
    outside_quotes: bool = False  # a quoted slogan ("你我同参与") is the work's own words


@lru_cache(maxsize=4)
def load_rows(path: Path) -> tuple[TextRow, ...]:
    """The [[pattern]] rows of one of the checks' data files (wrapping.toml, talk.toml)."""
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["pattern"]
    return tuple(
        TextRow(
            r["id"],
            re.compile(r["pattern"]),
            tuple(r.get("examples", ())),
            tuple(r.get("unlike", ())),
            bool(r.get("outside_quotes", False)),
        )
        for r in rows
    )


def wrapping_patterns() -> tuple[TextRow, ...]:
    return load_rows(WRAPPING_FILE)


def wrapping_in_text(text: str) -> list[str]:
    """The notes' wrapping a section's text holds: contacts, links, clock times, ids, file names, field labels, a
    word addressed to the writer."""
    body = CITATION.sub("", text)
    unquoted = re.sub(r"“[^”]*”|\"[^\"]*\"", "", body)
    found = (
        m.group(0)
        for row in wrapping_patterns()
        for m in row.pattern.finditer(unquoted if row.outside_quotes else body)
    )
    return list(dict.fromkeys(found))


@dataclass
class RoleFindings:
    other_year: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)
    not_the_year: list[str] = field(default_factory=list)  # a period's or several years' figure as the year's


def role_findings(
    text: str, set_aside: list[Clause], facts: list[Fact], *, year: int | None, tasks: bool = True
) -> RoleFindings:
    """What of the set-aside clauses the section states as this year's fact."""
    found = RoleFindings()
    this_year = "\n".join(f.text for f in facts)
    sentences = [CITATION.sub("", u.text) for u in split_units(text)]
    for clause in set_aside:
        if clause.role in ("earlier", "superseded", "unconfirmed"):
            for fig in clause.figures:
                if contains_figure(this_year, fig):
                    continue  # the notes also state it as this year's: the value is supported as such
                for sentence in sentences:
                    if not contains_figure(sentence, fig):
                        continue
                    if clause.role == "earlier" and COMPARISON.search(sentence):
                        continue
                    if clause.role == "unconfirmed" and UNCONFIRMED_MARK in sentence:
                        continue
                    bucket = {
                        "earlier": found.other_year,
                        "superseded": found.superseded,
                        "unconfirmed": found.unconfirmed,
                    }[clause.role]
                    if fig not in bucket:
                        bucket.append(fig)
        elif clause.role == "partial":
            for fig in clause.figures:
                if contains_figure(this_year, fig):
                    continue
                for sentence in sentences:
                    said = contains_figure(sentence, fig) and not PERIOD_SAID.search(sentence)
                    if said and fig not in found.not_the_year:
                        found.not_the_year.append(fig)
        elif clause.role == "not_done" and clause.pending and tasks:
            task = bigrams(ASPECT.sub("", re.sub(r"[（(][^）)]*[）)]", "", clause.text)))
            if len(task) < 3:
                continue
            for sentence in sentences:
                shared = len(task & bigrams(sentence)) / len(task)
                stated = shared >= TASK_SHARE and not NOT_DONE_WORDS.search(sentence)
                if stated and sentence not in found.not_done:
                    found.not_done.append(sentence)
    _spans_kept(facts, sentences, year, found)
    return found


def _spans_kept(facts: list[Fact], sentences: list[str], year: int | None, found: RoleFindings) -> None:
    """A figure the notes count over several years is written with its span, never as the year's."""
    clauses = [c for f in facts for c in CLAUSE_SPLIT.split(f.text) if c.strip()]
    plain = "\n".join(c for c in clauses if not MULTI_YEAR.search(c))
    for clause in clauses:
        if not MULTI_YEAR.search(clause):
            continue
        for fig in (f.text for f in find_figures(clause, year=year) if f.unit):
            if contains_figure(plain, fig):
                continue  # the notes also state it without the span
            for sentence in sentences:
                stated = contains_figure(sentence, fig) and not MULTI_YEAR.search(sentence)
                if stated and fig not in found.not_the_year:
                    found.not_the_year.append(fig)


def turns_round(note: str, sentence: str) -> bool:
    """The sentence says the opposite of its note line (未 → 已, 减少 → 增加)."""
    for said, opposite in OPPOSITES:
        if said.search(note) and not said.search(sentence) and opposite.search(sentence):
            return True
    return False
