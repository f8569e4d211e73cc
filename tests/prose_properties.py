"""What a user needs of composed prose, as checks that do not pin wording.

Independent of the composer: they read the text with jieba and the figure finder only, never with the rules
that wrote it.
"""

from __future__ import annotations

import re
from collections import Counter

from drafting.text.numbers import CITATION, contains_figure, find_figures
from drafting.text.tokens import tokens

# Spoken register a published report never writes (../shared/eval/README.md quotes the first seven).
SPOKEN = (
    "搞了",
    "罚了",
    "做了",
    "出了",
    "的案子",
    "这块",
    "咱们",
    "那块",
    "这一块",
    "弄了",
    "局里",
    "一把手",
    "啥",
    "咋",
)
NEGATION = re.compile(r"没|未|无|不|非|难以")
# Verbs jieba's dictionary tags as nouns ("印发/nz").
MISTAGGED_VERBS = frozenset(("印发", "出台", "制发"))
# A date is not a count: it may be said otherwise ("11月20日" → "11月").
DATE_UNITS = ("年", "月", "日", "号")


def figures(text: str, year: int) -> Counter:
    return Counter(f.text for f in find_figures(text, year=year))


def spoken_left(text: str) -> list[str]:
    return [w for w in SPOKEN if w in text]


def negations(text: str) -> int:
    return len(NEGATION.findall(text))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])|\n", CITATION.sub("", text)) if s.strip("。；， ")]


def has_predicate(sentence: str) -> bool:
    """A verb (jieba tags many as verbal nouns) or an adjective, or a count stated (a figure: "行政复议0件")."""
    if find_figures(sentence):
        return True
    return any(flag.startswith(("v", "a")) or word in MISTAGGED_VERBS for word, flag in tokens(sentence))


def subject_of(notes: str, start: int) -> str:
    """The noun nearest before a figure in its clause of the notes ("" when there is none)."""
    clause = re.split(r"[，。；：,;:\n、]", notes[:start])[-1]
    nouns = [w for w, f in tokens(clause) if f.startswith(("n", "vn", "j")) and len(w) >= 2]
    return nouns[-1] if nouns else ""


def figures_lost_or_parted(notes: str, text: str, year: int) -> list[str]:
    """Counted figures of the notes missing from the text, or in no sentence that names their subject."""
    found = []
    sents = sentences(text)
    for fig in find_figures(notes, year=year):
        if not fig.unit or fig.unit in DATE_UNITS:
            continue
        hits = [s for s in sents if contains_figure(s, fig.text)]
        subject = subject_of(notes, fig.start)
        before = re.sub(r"[^\u4e00-\u9fff]", "", notes[max(0, fig.start - 6) : fig.start])[-2:]
        if not hits:
            found.append(f"{fig.text} lost")
        elif subject and not any(subject in s or (before and before in s) for s in hits):
            found.append(f"{fig.text} parted from {subject}")
    return found


def rewrite_problems(spoken: str, out: str, reviewed: str, year: int = 2024) -> list[str]:
    """What a rewrite of one line got wrong, judged against a reviewed written form without pinning its wording.

    A line the reviewer left as it is stays exactly as it is; any other keeps the reviewed form's figures and
    negations, leaves no spoken-register word, and drops every word of speech the reviewed form dropped.
    """
    if reviewed == spoken:
        return [] if out == spoken else [f"changed a line that stays: {out}"]
    problems = []
    if figures(out, year) != figures(reviewed, year):
        problems.append(f"figures {dict(figures(out, year))} ≠ {dict(figures(reviewed, year))}")
    if negations(out) != negations(reviewed):
        problems.append("a negation added or lost")
    if left := spoken_left(out):
        problems.append(f"spoken words left: {left}")
    kept = {w for w, _f in tokens(reviewed)}
    dropped = {
        w for w, f in tokens(spoken) if w not in kept and len(w) >= 1 and re.match(r"[\u4e00-\u9fff]", w)
    }
    still = sorted(w for w in dropped if w in {t for t, _f in tokens(out)})
    if still:
        problems.append(f"words of speech left as spoken: {still}")
    if out == spoken:
        problems.append("not rewritten")
    return problems
