"""jieba's part-of-speech tagger, the one tokenizer of drafting: readers, writers and checks all tag with it."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(word, POS) pairs of jieba's tagger; cached because a section's text is tagged several times."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    return tuple((p.word, p.flag) for p in pseg.cut(text))
