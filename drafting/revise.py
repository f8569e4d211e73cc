"""Follow-up messages in the conversation: revise only what the message names.

The offline composer answers what a deterministic engine can: shorten ("精简些"), another opening ("换个开头"),
additions ("补充：……", placed by the same placement as the notes), dropping a sentence, replacing a word that is
not a figure, putting a named point first ("突出……"). Whatever it cannot do gets one Chinese line naming what
would (an LLM endpoint, ZHIBI_LLM_BASE_URL); it never says it rewrote a section whose text did not change.
Deletions and edits work on whole sentences and clauses, never on a substring that runs across a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.errors import ZhibiError
from core.types import Draft, Section
from drafting.outline import Outline, load_outline
from drafting.sources.prior import bigrams
from drafting.text.numbers import CITATION, cn_value, find_figures

if TYPE_CHECKING:
    from drafting.drafter import Drafter

ADD = re.compile(r"^\s*(?:补充|增加|新增|加上|添加)(?:一条|材料|内容|数据)?[：:，,]?\s*(.+)$", re.S)
SHORTEN = re.compile(r"精简|简短|简洁|简明|精炼|压缩|缩短|短一些|短些|短点|简练|删繁就简")
REOPEN = re.compile(r"换个开头|换一个开头|开头换|重写开头|换个开场|另一个开头|换种开头")
QUOTE = r"(?:“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|‘([^’]+)’)"
DROP = re.compile(rf"(?:删掉|删除|去掉|删去|拿掉)(?:{QUOTE}|这句|最后一句|第一句)")
EDIT = re.compile(
    rf"(?:把|将)\s*{QUOTE}?([^“”\"「」]*?)\s*(?:改成|改为|换成|替换为|写成)\s*{QUOTE}?(.*?)[。！]?$"
)
EMPHASIS = re.compile(rf"(?:突出|强调|重点写|放在前面|提到前面)\s*{QUOTE}?([^，。；“”]*)")
REGENERATE = re.compile(r"重新生成|重写|再写一遍|重新起草")
PART_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)部分")
SUB_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)(?:小节|节|项)")
SENTENCE = re.compile(r"[^。！？\n]*[。！？]|[^。！？\n]+$")
LLM_HINT = "配置大模型接口 ZHIBI_LLM_BASE_URL 后可按此要求改写"


@dataclass
class Request:
    key: str | None
    action: str  # add | shorten | reopen | drop | edit | emphasis | regenerate | other
    payload: str = ""
    replacement: str = ""
    emphasis: str = ""  # "更简洁，突出首违不罚": shorten, then put what names 首违不罚 first


def _quoted(groups: tuple[str | None, ...]) -> str:
    return next((g for g in groups if g), "")


def parse_request(message: str, current: Draft, outline: Outline) -> Request:
    text = message.strip()
    if not text:
        raise ZhibiError("修改意见为空", hint="例如“第二部分再精简些”或“补充：全年办理行政复议案件5件”")
    key = target_key(text, current, outline)
    if m := ADD.match(text):
        return Request(key, "add", m.group(1).strip())
    if m := DROP.search(text):
        quoted = _quoted(m.groups())
        which = "last" if "最后一句" in text else "first" if "第一句" in text else quoted
        return Request(key or _key_holding(current, quoted), "drop", which)
    if m := EDIT.search(text):
        old = _quoted(m.groups()[:4]) or m.group(5).strip()
        new = _quoted(m.groups()[5:9]) or m.group(10).strip()
        old = re.sub(r"^(?:第[一二三四五六七八九十\d]+部分|[^，,]*部分)[的中里]?", "", old).strip()
        return Request(key or _key_holding(current, old), "edit", old, new)
    emphasis = ""
    if m := EMPHASIS.search(text):
        emphasis = (_quoted(m.groups()[:4]) or m.group(5)).strip()
    if REOPEN.search(text):
        return Request(key, "reopen", emphasis=emphasis)
    if SHORTEN.search(text):
        return Request(key or _key_holding(current, emphasis), "shorten", emphasis=emphasis)
    if emphasis:
        return Request(key or _key_holding(current, emphasis), "emphasis", emphasis=emphasis)
    if REGENERATE.search(text):
        return Request(key, "regenerate")
    return Request(key, "other", text)


def _key_holding(current: Draft, phrase: str) -> str | None:
    """The one section whose text holds the phrase (a request may name a sentence instead of a part)."""
    if not phrase:
        return None
    holding = [s.key for s in current.sections if s.key != "preamble" and phrase in CITATION.sub("", s.text)]
    return holding[0] if len(holding) == 1 else None


def target_key(text: str, current: Draft, outline: Outline) -> str | None:
    present = [s.key for s in current.sections if s.key != "preamble"]
    if m := PART_ORDINAL.search(text):
        index = _ordinal(m.group(1))
        parts = [k for k in present if "." not in k]
        if 1 <= index <= len(parts):
            return parts[index - 1]
    if m := SUB_ORDINAL.search(text):
        index = _ordinal(m.group(1))
        subs = [k for k in present if "." in k]
        if 1 <= index <= len(subs):
            return subs[index - 1]
    head = re.split(r"[，,。：:]", text, maxsplit=1)[0]
    key = outline.match_heading(head.replace("部分", ""))
    if key and key in present:
        return key
    return None


def _ordinal(token: str) -> int:
    return cn_value(token) or 0


def revise(drafter: Drafter, current: Draft, message: str, *, engine: str = "auto") -> tuple[Draft, str]:
    outline = load_outline(drafter.settings.outline_path)
    req = parse_request(message, current, outline)
    llm = engine != "offline" and drafter.settings.llm_configured
    if req.action == "add":
        return _add(drafter, current, req, outline, engine)
    if req.action == "edit" and (find_figures(req.payload) or find_figures(req.replacement)):
        return current, (
            f"数字只以材料为准：请在笔记中改为“{req.replacement}”后重新起草该节"
            "（离线引擎和大模型都不会写入材料以外的数字）。"
        )
    if req.key is None:
        keys = "、".join(s.heading for s in current.sections if s.level == 1)
        raise ZhibiError(
            "没看出要修改哪一部分", hint=f"请点明部分，例如“第二部分……”或“执法部分……”（现有：{keys}）"
        )
    section = current.section(req.key)
    assert section is not None
    if section.locked:
        raise ZhibiError(f"“{section.heading}”已锁定", hint="先取消锁定再修改")
    if req.action == "drop":
        new_text, dropped = drop_sentence(section.text, req.payload)
        if not dropped:
            raise ZhibiError(
                f"在“{section.heading}”中没有找到要删除的句子", hint="请用引号写出该句中的几个字"
            )
        without = _with_text(current, req.key, new_text)
        # The figures of the sentence the user asked to delete are their choice: recorded, never a problem.
        gone = [f.text for f in find_figures(CITATION.sub("", dropped)) if f.text not in new_text]
        without.omitted = list(dict.fromkeys([*current.omitted, *gone]))
        edited = drafter.recheck(without)
        return (
            edited,
            f"已从“{section.heading}”删去“{dropped.rstrip('。；，')}”，并重新核查了数字。",
        )
    if req.action == "edit":
        return _edit(drafter, current, req, section)
    if req.action == "emphasis" and not llm:
        new_text = put_first(section.text, req.emphasis)
        if new_text is None:
            raise ZhibiError(f"在“{section.heading}”中没有找到“{req.emphasis}”", hint="请写出该句中的几个字")
        if new_text == section.text:
            return current, f"“{req.emphasis}”已在“{section.heading}”的开头，文字未改动。"
        return _with_text(
            current, req.key, new_text
        ), f"已把写“{req.emphasis}”的句子移到“{section.heading}”正文最前面。"
    if req.action in ("shorten", "reopen", "emphasis") and llm:
        what = {
            "shorten": "在不删减任何事实和数字的前提下精简文字",
            "reopen": "换一种开头的写法，其余内容和数字保持不变",
        }
        instruction = what.get(req.action, "")
        if req.emphasis:
            instruction = (instruction + "；" if instruction else "") + f"突出“{req.emphasis}”"
        new = drafter.regenerate(current, req.key, instruction=instruction, engine=engine)
        return _said(current, new, req.key, f"已按要求改写“{section.heading}”，数字已重新核查。")
    if req.action == "shorten":
        new = drafter.regenerate(current, req.key, engine="offline", concise=True)
        if req.emphasis:
            moved = put_first(new.section(req.key).text, req.emphasis)
            if moved is not None:
                new = _with_text(new, req.key, moved)
        reply = f"已精简“{section.heading}”：去掉开头和结尾的套话，保留全部事实和数字。"
        if req.emphasis:
            reply = reply[:-1] + f"，并把写“{req.emphasis}”的句子放在最前面。"
        return _said(
            current,
            new,
            req.key,
            reply,
            unchanged=f"“{section.heading}”已是最精简的写法，离线引擎无法再压缩；{LLM_HINT}。",
        )
    if req.action == "reopen":
        variant = _next_variant(section.warnings)
        new = drafter.regenerate(current, req.key, engine="offline", variant=variant)
        new_sec = new.section(req.key)
        new_sec.warnings = [w for w in new_sec.warnings if not w.startswith("开头写法 #")]
        new_sec.warnings.append(f"开头写法 #{variant + 1}")
        return _said(
            current,
            new,
            req.key,
            f"已为“{section.heading}”换了一个开头。",
            unchanged=f"离线引擎没有“{section.heading}”的其他开头写法；{LLM_HINT}。",
        )
    if req.action == "regenerate":
        new = drafter.regenerate(current, req.key, engine=engine)
        return _said(
            current,
            new,
            req.key,
            f"已重新生成“{section.heading}”。",
            unchanged=f"重新生成的“{section.heading}”与原文相同（材料未变）。",
        )
    if llm:
        new = drafter.regenerate(current, req.key, instruction=req.payload, engine=engine)
        return _said(current, new, req.key, f"已按“{req.payload}”修改“{section.heading}”。")
    return (
        current,
        f"离线引擎做不了“{req.payload}”这类修改，{LLM_HINT}（离线可做：精简、换个开头、补充、删去某句、把某词改成某词）。",
    )


def regenerate_reply(before: Section, after: Section | None, instruction: str, engine: str) -> str:
    """One line for "重写一节": never "已重写" when the text came back the same."""
    if after is not None and after.text != before.text:
        return "已重写本节，其他部分保持不变："
    if instruction and "llm" not in engine:
        return f"离线引擎不能按“{instruction}”改写，本节文字没有变化；{LLM_HINT}。"
    return "本节文字没有变化（材料未变，离线引擎写法相同）；可在对话中要求“换个开头”或“精简些”。"


def _said(current: Draft, new: Draft, key: str, reply: str, *, unchanged: str = "") -> tuple[Draft, str]:
    """The reply for a regenerated section; a section whose text did not change is said to be unchanged."""
    before, after = current.section(key), new.section(key)
    if before is not None and after is not None and before.text == after.text:
        return current, unchanged or f"“{before.heading}”的文字没有变化；{LLM_HINT}。"
    return new, reply


def _add(drafter: Drafter, current: Draft, req: Request, outline: Outline, engine: str) -> tuple[Draft, str]:
    """An addition goes through the placement the notes go through, then its section is redrafted.

    It joins the notes as plain text (no markup in the user's notes); its part is recorded in the draft's
    placement, where the user sees it and can move it.
    """
    from dataclasses import replace

    from drafting.drafter import stored_placement

    added = drafter.read(req.payload, outline, current.year)
    if not added.facts:
        raise ZhibiError("补充的内容里没有可用的事实", hint="例如“补充：全年办理行政复议案件5件”")
    key = req.key or _key_for_addition(added.facts[0].key, current)
    if current.section(key) is None:
        raise ZhibiError(
            f"当前稿件中没有“{outline.get(key).title}”一节",
            hint="请起草全文后再补充，或在材料中加入后重新起草",
        )
    if current.section(key).locked:
        raise ZhibiError(f"“{current.section(key).heading}”已锁定", hint="先取消锁定再补充")
    placement = stored_placement(current) or drafter.read(current.notes, outline, current.year)
    offset = len(current.notes.rstrip().splitlines())
    title = outline.get(key).title
    for fact in added.facts:
        placement.facts.append(
            replace(
                fact,
                key=key,
                line_no=offset + fact.line_no,
                assigned_by="user",
                reason=f"补充到“{title}”",
                confidence=1.0,
            )
        )
    notes = current.notes.rstrip() + "\n" + req.payload.strip() + "\n"
    new = drafter.regenerate(current, key, notes=notes, engine=engine, placement=placement)
    return new, f"已将“{req.payload.strip()}”补充到“{new.section(key).heading}”，并重新核查了数字。"


def _edit(drafter, current: Draft, req: Request, section) -> tuple[Draft, str]:
    """ "把A改成B": a wording edit inside one sentence; a figure is changed in the notes, never in the text."""
    old, new = req.payload, req.replacement
    text = section.text
    hits = [s for s in SENTENCE.findall(text) if old and old in s]
    if not hits:
        return current, f"在“{section.heading}”中没有找到“{old}”；离线引擎只能替换原文中的词句，{LLM_HINT}。"
    edited = text.replace(old, new)
    return drafter.recheck(_with_text(current, req.key, edited)), (
        f"已在“{section.heading}”中把“{old}”改为“{new}”（{len(hits)} 处），并重新核查了数字。"
    )


def _key_for_addition(key: str, current: Draft) -> str:
    if current.section(key) is not None:
        return key
    parent = key.split(".")[0]
    return parent if current.section(parent) is not None else key


def _next_variant(warnings: list[str]) -> int:
    for w in warnings:
        if m := re.match(r"开头写法 #(\d+)", w):
            return int(m.group(1))
    return 1


def drop_sentence(text: str, which: str) -> tuple[str, str]:
    """(text without the sentence, what was dropped); ("", text) unchanged when nothing matches.

    A quoted phrase drops the whole sentence that holds it when every figure of that sentence is inside the
    quote; otherwise only the clauses the quote covers go, and never a clause holding a figure the quote does
    not name ("删掉“开展…演练”这句" keeps "修订应急预案7个" of the same sentence).
    """
    paragraphs = text.split("\n")
    for p_index, paragraph in enumerate(paragraphs):
        sentences = SENTENCE.findall(paragraph)
        if not sentences:
            continue
        target = None
        if which == "last" and p_index == _last_body(paragraphs):
            target = len(sentences) - 1
        elif which == "first" and p_index == 0:
            target = 0
        elif which not in ("first", "last"):
            target = _sentence_for(sentences, which)
        if target is None:
            continue
        sentence = sentences[target]
        if which in ("first", "last") or _figures_outside(sentence, which) == []:
            dropped = sentence
            sentences.pop(target)
        else:
            kept, dropped = _drop_clauses(sentence, which)
            if not dropped:
                return text, ""
            sentences[target] = kept
        paragraphs[p_index] = "".join(sentences)
        return "\n".join(p for p in paragraphs if p.strip()), dropped
    return text, ""


def _last_body(paragraphs: list[str]) -> int:
    return max(i for i, p in enumerate(paragraphs) if p.strip())


def _sentence_for(sentences: list[str], quote: str) -> int | None:
    plain = [CITATION.sub("", s) for s in sentences]
    for i, s in enumerate(plain):
        if quote in s:
            return i
    want = bigrams(quote)
    if not want:
        return None
    best = max(range(len(plain)), key=lambda i: len(want & bigrams(plain[i])))
    return best if len(want & bigrams(plain[best])) >= 0.6 * len(want) else None


def _figures_outside(sentence: str, quote: str) -> list[str]:
    inside = {f.text for f in find_figures(quote)}
    return [f.text for f in find_figures(CITATION.sub("", sentence)) if f.text not in inside]


def _drop_clauses(sentence: str, quote: str) -> tuple[str, str]:
    """Drop the clauses of a sentence that the quote covers, unless one holds a figure the quote does not."""
    end = sentence[-1] if sentence[-1] in "。！？" else ""
    body = sentence[:-1] if end else sentence
    clauses = re.split(r"(?<=[，；])", body)
    want = bigrams(quote)
    covered = [
        i
        for i, c in enumerate(clauses)
        if quote in c
        or c.strip("，；") in quote
        or (want and len(bigrams(c) & want) >= 0.6 * len(bigrams(c) or {1}))
    ]
    if not covered or any(_figures_outside(clauses[i], quote) for i in covered):
        return sentence, ""
    dropped = "".join(clauses[i] for i in covered)
    rest = "".join(c for i, c in enumerate(clauses) if i not in covered).rstrip("，；")
    return (rest + end) if rest else "", dropped


def put_first(text: str, phrase: str) -> str | None:
    """The section with the sentences naming `phrase` moved to the front of the body (after the opening)."""
    paragraphs = text.split("\n")
    for p_index, paragraph in enumerate(paragraphs):
        sentences = SENTENCE.findall(paragraph)
        hits = [s for s in sentences if phrase and phrase in CITATION.sub("", s)]
        if not hits:
            continue
        rest = [s for s in sentences if s not in hits]
        # The opening sentence (no figure, first) keeps its place in a one-paragraph section.
        lead = (
            rest[:1]
            if rest and p_index == 0 and not find_figures(rest[0]) and sentences[0] not in hits
            else []
        )
        paragraphs[p_index] = "".join(lead + hits + rest[len(lead) :])
        return "\n".join(paragraphs)
    return None


def _with_text(current: Draft, key: str, text: str) -> Draft:
    return replace(
        current,
        sections=[replace(s, text=text) if s.key == key else s for s in current.sections],
    )
