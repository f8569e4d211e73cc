"""Names of people in the notes: a report names offices and posts, never the staff who wrote the notes.

jieba tags person names `nr`, but it tags field words too ("法律援助", "宣传册"), so a name is an `nr` word that
starts with a common surname, or a surname with the informal post people call each other by in speech
("李股长", "周局", "王队"). The surnames are data (`surnames.txt`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from drafting.text.tokens import tokens, word_frequency

SURNAMES_FILE = Path(__file__).with_name("surnames.txt")

# The posts a colleague is called by after the surname ("周局", "李股长", "孙主任"): speech, never a report's words.
POSTS = (
    "局长",
    "局",
    "副局",
    "股长",
    "科长",
    "主任",
    "队长",
    "队",
    "所长",
    "站长",
    "律师",
    "书记",
    "处长",
    "部长",
    "老师",
    "总",
    "工",
    "姐",
    "哥",
)
# The full posts after a surname ("严局长"); the short ones ("局", "队") are too often a word's end.
FULL_POSTS = ("局长", "副局长", "股长", "科长", "主任", "队长", "所长", "站长", "处长", "部长", "书记")
# Words jieba tags as preposition, conjunction, verb, adverb, numeral…: "向局长汇报", "和科长一起".
NOT_A_SURNAME = ("p", "c", "v", "vn", "d", "u", "uj", "ul", "m", "q", "x", "f")
# jieba splits a name it does not know into the surname and the given name, and tags the surname as a name, a
# morpheme or an abbreviation ("谭/zg 劲松", "罗/j 建军"); a given name is then known by where it ends.
SURNAME_FLAGS = ("nr", "zg", "j")
# Before a word jieba tags a given name, a surname tagged a verb is still one ("蒙/v 志远/nrfg"); a preposition or a
# conjunction is not ("向志强汇报" is read 向 + 志强 by no one).
NOT_BEFORE_NAME = ("p", "c", "d", "u", "uj", "ul", "m", "q", "x", "f")
# What a speaker does right after their name in minutes ("孟建国插话：", "王立新补充"): the name ends there.
SPOKE = ("插话", "说", "讲", "补充", "发言", "表示", "强调", "指出", "要求", "汇报", "提出", "答复", "回应")
# "小陈", "老孙": how colleagues call each other, never a report's words.
FAMILIAR = ("小", "老")
# What may stand beside names in a list of people and still make it only a list ("赵佳（记录）", "陈建国（局长）").
ROSTER_WORDS = re.compile(
    r"[（(][^）)]{0,12}[）)]|[、，,；;：:。\s]|等|同志|及|和|与|列席|出席|参加|参会|记录|主持|汇报人?|"
    r"局长|副局长|书记|主任|科长|股长|队长|所长|站长|律师|组长|成员"
)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    text = SURNAMES_FILE.read_text(encoding="utf-8")
    return frozenset(ch for line in text.splitlines() if not line.startswith("#") for ch in line.strip())


def person_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every person's name in `text`: full names and surname + informal post."""
    spans: list[tuple[int, int]] = []
    toks = tokens(text)
    pos = 0
    starts = []
    for word, _ in toks:
        starts.append(pos)
        pos += len(word)
    names = surnames()
    for k, (word, flag) in enumerate(toks):
        at = starts[k]
        nxt = toks[k + 1][0] if k + 1 < len(toks) else ""
        if word in FAMILIAR and len(nxt) == 1 and nxt in names and toks[k + 1][1] == "nr":
            spans.append((at, at + 2))  # "小" + "陈", "老" + "孙": a colleague called by surname
            continue
        if len(word) == 2 and word[0] in FAMILIAR and word[1] in names and flag == "nr":
            spans.append((at, at + 2))  # "老孙" as one word
            continue
        if word[0] not in names:
            continue
        if word[1:2] == "长" and k and LEVEL_BEFORE.search(toks[k - 1][0]):
            continue  # "村级路长", "镇级林长": a 长制 post under a level or a place, however jieba tags it
        if flag == "nr" and 2 <= len(word) <= 3:
            if _named_person(word, nxt):
                spans.append((at, at + len(word)))
        elif len(word) >= 2 and word[1:] in POSTS and word_frequency(word) <= COMMON_WORD:
            # "周局", "王队": one word to jieba; not the end of an office's name ("县民宗局": 民 + 宗局)
            if not (k and toks[k - 1][1].startswith("n") and toks[k - 1][0][-1] not in "，。、；：:, "):
                spans.append((at, at + len(word)))
        elif len(word) == 1 and nxt in FULL_POSTS and flag != "nr" and flag not in NOT_A_SURNAME:
            # "严局长", "何科长": jieba may tag the surname as an adjective or a pronoun; "向局长汇报" is a preposition
            if not (k and toks[k - 1][1].startswith("n") and toks[k - 1][0][-1] not in "，。、；：:, "):
                spans.append((at, at + 1 + len(nxt)))
        elif len(word) == 1 and _given_name(word, flag, toks, k):
            spans.append(
                (at, at + 1 + len(nxt))
            )  # "蒙" + "志远": jieba knows the given name, not the surname
        elif flag in SURNAME_FLAGS and len(word) == 1:
            if nxt in POSTS and flag == "nr":
                spans.append((at, at + 1 + len(nxt)))  # "李" + "股长"
            elif 1 <= len(nxt) <= 2 and nxt[-1] not in PLACE_ENDS and _ends_name(toks, k + 1):
                spans.append((at, at + 1 + len(nxt)))  # "王" + "立新", then 、 or （ or the end
    titles = [m.span() for m in TITLE.finditer(text)]
    return [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in titles)]


# A document's title ("《黄连木保护办法》", "《何首乌种植规范》") names no member of staff: whatever jieba tags in it
# stays, since taking a piece out would change the title the report cites.
TITLE = re.compile(r"《[^《》]{1,60}》")

# A place is named like a person ("白石县", "朱家村", "李集镇"); a word jieba's dictionary knows well ("许可",
# "公正") is no name however it is tagged.
PLACE_ENDS = "县市区镇乡村街路河湖山港湾岛屯寨庄坡岭"
COMMON_WORD = 50
# A level or a place word ("村级", "乡级", "各村"): the "X长" after it is the post of a 长制 (路长, 林长, 河长), no
# surname and 长 of a person.
LEVEL_BEFORE = re.compile(r"(?:级|[县市区镇乡村组街])$")


def _named_person(word: str, nxt: str) -> bool:
    if word[-1] in PLACE_ENDS or (nxt and nxt[0] in PLACE_ENDS):
        return False
    return word_frequency(word) <= COMMON_WORD


def _ends_name(toks: tuple[tuple[str, str], ...], k: int) -> bool:
    after = toks[k + 1][0] if k + 1 < len(toks) else ""
    return toks[k][1] not in ("v", "m", "q", "x", "ul", "uj") and (
        not after or after[0] in "、（(，,：:；;。 " or after.isspace() or after in SPOKE
    )


def _given_name(word: str, flag: str, toks: tuple[tuple[str, str], ...], k: int) -> bool:
    """A surname, however jieba tags it, before a two-character word jieba tags a given name ("蒙" + "志远")."""
    if k + 1 >= len(toks) or word not in surnames() or flag in NOT_BEFORE_NAME:
        return False
    nxt, nflag = toks[k + 1]
    return (
        nflag in ("nr", "nrfg")
        and len(nxt) == 2
        and nxt[-1] not in PLACE_ENDS
        and word_frequency(word + nxt) <= COMMON_WORD
    )


def without_names(text: str) -> str:
    """The text with every name of a person taken out, and brackets left empty by that removed."""
    spans = person_spans(text)
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return re.sub(r"[（(]\s*[）)]", "", text)


def only_people(text: str) -> bool:
    """True when the clause lists people and their posts and says nothing else ("王立新、刘敏（记录）")."""
    if not person_spans(text):
        return False
    rest = ROSTER_WORDS.sub("", without_names(text))
    return not re.search(r"[\u4e00-\u9fff\d]", rest)
