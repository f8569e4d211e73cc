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
# Verbs jieba's dictionary tags as nouns ("印发/nz", "深化/j" before a quote).
MISTAGGED_VERBS = frozenset(("印发", "出台", "制发", "深化"))
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


# The notes' own wrapping: markdown marks, table bars, 【…】 labels and list numbers at a sentence's start.
MARKUP = re.compile(r"\*\*|__|^\s*[-+•·#>]\s|\||【[^】]*】|(?:^|(?<=[。；]))\s*(?:\d{1,2}[.、．)）]|[①-⑩])")


def wrapping_left(notes: str, text: str) -> list[str]:
    """What of the notes' wrapping the text pasted in: markup, a 【label】 or a chat speaker ("张科长：")."""
    found = [m[0].strip() for line in text.splitlines() for m in MARKUP.finditer(line)]
    speakers = set(re.findall(r"(?m)^\s*([\u4e00-\u9fff]{1,3}(?:科长|局长|主任|队长|股长|所长))[：:]", notes))
    return found + [s for s in speakers if f"{s}：" in text or f"{s}:" in text]


def doubled_verbs(text: str) -> list[str]:
    """A verb said twice in a row ("开展开展", "组织开展组织开展"): a verb added before one the clause had."""
    toks = [t for t in tokens(CITATION.sub("", text)) if t[0].strip()]
    doubled = [
        w
        for (w, f), (nxt, _g) in zip(toks, toks[1:], strict=False)
        if w == nxt and f.startswith("v") and len(w) > 1
    ]
    return doubled + re.findall(r"(组织开展|开展|推进|落实|实施|组织|办理|核发)\1", text)


def prose_problems(notes: str, text: str, year: int = 2024) -> list[str]:
    """Everything a user needs of a composed text, as a list of what is wrong (empty when nothing is):
    every counted figure kept next to its subject noun, no spoken-register word, a predicate in every
    sentence, nothing of the notes' wrapping, no verb said twice in a row."""
    problems = figures_lost_or_parted(notes, text, year)
    problems += [f"spoken: {w}" for w in spoken_left(text)]
    problems += [f"no predicate: {s}" for s in sentences(text) if not has_predicate(s)]
    problems += [f"wrapping: {w}" for w in wrapping_left(notes, text)]
    problems += [f"doubled verb: {w}" for w in doubled_verbs(text)]
    return problems
