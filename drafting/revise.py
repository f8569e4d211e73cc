"""Follow-up messages in the conversation: revise only what the message names.

The offline engine handles the common requests itself (shorten, add facts, another opening, drop a sentence)
and says plainly which requests need an LLM endpoint; it never ignores one silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafting.outline import CN_NUMERALS, Outline, load_outline
from zhibi.errors import ZhibiError
from zhibi.types import Draft

if TYPE_CHECKING:
    from zhibi.api import Workspace

ADD = re.compile(r"^\s*(?:补充|增加|新增|加上|添加)(?:一条|材料|内容|数据)?[：:，,]?\s*(.+)$", re.S)
SHORTEN = re.compile(r"精简|简短|压缩|缩短|短一些|短些|简练|删繁就简")
REOPEN = re.compile(r"换个开头|换一个开头|开头换|重写开头|换个开场|另一个开头")
DROP = re.compile(r"(?:删掉|删除|去掉|删去)(?:“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|这句|最后一句|第一句)")
REGENERATE = re.compile(r"重新生成|重写|再写一遍|重新起草")
PART_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)部分")
SUB_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)(?:小节|节|项)")


@dataclass
class Request:
    key: str | None
    action: str  # add | shorten | reopen | drop | regenerate | other
    payload: str = ""


def parse_request(message: str, current: Draft, outline: Outline) -> Request:
    text = message.strip()
    if not text:
        raise ZhibiError("修改意见为空", hint="例如“第二部分再精简些”或“补充：全年办理行政复议案件5件”")
    key = target_key(text, current, outline)
    if m := ADD.match(text):
        return Request(key, "add", m.group(1).strip())
    if m := DROP.search(text):
        quoted = next((g for g in m.groups() if g), "")
        which = "last" if "最后一句" in text else "first" if "第一句" in text else quoted
        return Request(key, "drop", which)
    if REOPEN.search(text):
        return Request(key, "reopen")
    if SHORTEN.search(text):
        return Request(key, "shorten")
    if REGENERATE.search(text):
        return Request(key, "regenerate")
    return Request(key, "other", text)


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
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + CN_NUMERALS.index(token[1]) + 1
    return CN_NUMERALS.index(token[0]) + 1 if len(token) == 1 else 0


def revise(ws: Workspace, current: Draft, message: str, *, engine: str = "auto") -> tuple[Draft, str]:
    drafter = ws.drafter
    outline = load_outline(ws.settings.outline_path)
    req = parse_request(message, current, outline)
    llm = engine != "offline" and ws.settings.llm_configured
    if req.action == "add":
        from drafting.notes import parse_notes

        added = parse_notes(req.payload, outline, year=current.year)
        if not added.facts:
            raise ZhibiError("补充的内容里没有可用的事实", hint="例如“补充：全年办理行政复议案件5件”")
        key = req.key or _key_for_addition(added.facts[0].key, current)
        heading_line = f"【{key}】"
        notes = current.notes.rstrip() + "\n" + heading_line + "\n" + req.payload.strip() + "\n"
        if current.section(key) is None:
            raise ZhibiError(
                f"当前稿件中没有“{outline.get(key).title}”一节",
                hint="请起草全文后再补充，或在材料中加入后重新起草",
            )
        new = drafter.regenerate(current, key, notes=notes, engine=engine)
        return new, f"已将“{req.payload.strip()}”补充到“{new.section(key).heading}”，并重新核查了数字。"
    if req.key is None:
        keys = "、".join(s.heading for s in current.sections if s.level == 1)
        raise ZhibiError(
            "没看出要修改哪一部分", hint=f"请点明部分，例如“第二部分……”或“执法部分……”（现有：{keys}）"
        )
    section = current.section(req.key)
    assert section is not None
    if req.action == "shorten":
        if llm:
            new = drafter.regenerate(
                current, req.key, instruction="在不删减任何事实和数字的前提下精简文字", engine=engine
            )
        else:
            new = drafter.regenerate(current, req.key, engine="offline", concise=True)
        return new, f"已精简“{section.heading}”：保留全部事实和数字，去掉了开头和结尾的套话。"
    if req.action == "reopen":
        if llm:
            new = drafter.regenerate(
                current, req.key, instruction="换一种开头的写法，其余内容和数字保持不变", engine=engine
            )
        else:
            variant = _next_variant(section.warnings)
            new = drafter.regenerate(current, req.key, engine="offline", variant=variant)
            new.section(req.key).warnings.append(f"开头写法 #{variant + 1}")
        return new, f"已为“{section.heading}”换了一个开头。"
    if req.action == "drop":
        new_text = drop_sentence(section.text, req.payload)
        if new_text == section.text:
            raise ZhibiError(
                f"在“{section.heading}”中没有找到要删除的句子", hint="请用引号写出该句中的几个字"
            )
        edited = _with_text(current, req.key, new_text)
        return drafter.recheck(
            edited
        ), f"已从“{section.heading}”删除该句，并重新核查（删掉材料数字会在核查中标出）。"
    if req.action == "regenerate":
        new = drafter.regenerate(current, req.key, engine=engine)
        return new, f"已重新生成“{section.heading}”。"
    if llm:
        new = drafter.regenerate(current, req.key, instruction=req.payload, engine=engine)
        return new, f"已按“{req.payload}”修改“{section.heading}”。"
    return current, (
        f"离线引擎无法处理“{req.payload}”这类修改（可处理：精简、补充材料、换个开头、删除某句、重新生成）。"
        "请配置大模型接口 ZHIBI_LLM_BASE_URL 后再试，或直接在该节中手工修改。"
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


def drop_sentence(text: str, which: str) -> str:
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s]
    if not sentences:
        return text
    if which == "last":
        sentences = sentences[:-1]
    elif which == "first":
        sentences = sentences[1:]
    else:
        sentences = [s for s in sentences if which not in s]
    out = "".join(sentences).strip()
    if out.endswith("；"):
        out = out[:-1] + "。"
    return out


def _with_text(current: Draft, key: str, text: str) -> Draft:
    from dataclasses import replace

    return replace(
        current,
        sections=[replace(s, text=text) if s.key == key else s for s in current.sections],
    )
