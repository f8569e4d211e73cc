"""Text in an indexed document that addresses the model instead of stating anything ("忽略以上要求", "系统提示").

A past report or a downloaded page may carry such a sentence, by malice or by a careless paste. Passages go into
the LLM's prompt verbatim, so these sentences are taken out of a document when it is ingested — before it is
chunked, embedded or BM25-tokenised — and listed in the ingest summary. The pattern is narrower than the notes'
instruction check (drafting/reading.py): statutes and policy documents say "按照以上要求" and "请各单位……"
legitimately; what is flagged here speaks to an AI, to its prompt, or orders the earlier instructions away.
"""

from __future__ import annotations

import re

VERSION = 1  # part of a document's build key: a better pattern re-cleans documents at their next ingest

ADDRESSING_MODEL = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要(?:遵守|理会|遵循))(?:掉)?(?:你)?(?:以上|上述|之前|此前|前面|先前|所有|全部|原有|原来)"
    r"(?:的|所有的?)?(?:全部|所有)?(?:要求|指令|指示|内容|规则|提示|设定|约束|说明)"
    r"|系统提示|系统指令|提示词|(?:以下|下面)(?:是|为)新的(?:指令|要求|任务)"
    r"|你(?:现在)?(?:是|扮演|作为)(?:一个|一名)?(?:AI|人工智能|智能助手|助手|语言模型|大模型|模型|ChatGPT)"
    r"|作为(?:一个|一名)?(?:AI|人工智能|语言模型|大模型)"
    r"|(?:大模型|语言模型|AI|人工智能)(?:必须|应当|应该|请)"
    r"|(?:在|于)(?:你的)?(?:回答|回复|输出|生成的?(?:内容|文本|报告))(?:中|里|时)(?:必须|务必|一定|请)"
    r"|ignore (?:all |any )?(?:the )?(?:previous|above|prior|earlier)|system prompt|you are now|as an ai\b"
    r"|disregard (?:all |the )?(?:previous|above)",
    re.I,
)
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]?\n?")


def strip_injections(text: str) -> tuple[str, list[str]]:
    """The text without sentences that address the model, and those sentences (stripped) in order."""
    if not ADDRESSING_MODEL.search(text):
        return text, []
    kept: list[str] = []
    flagged: list[str] = []
    for sentence in _SENTENCE.findall(text):
        if sentence.strip() and ADDRESSING_MODEL.search(sentence):
            flagged.append(sentence.strip())
            if sentence.endswith("\n"):
                kept.append("\n")
        else:
            kept.append(sentence)
    return "".join(kept), flagged
