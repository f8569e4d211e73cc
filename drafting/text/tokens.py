"""jieba's part-of-speech tagger, the one tokenizer of drafting: readers, writers and checks all tag with it.

Field terms jieba's dictionary cuts apart ("首违不罚", "双随机一公开", "证照分离") are one word each: they are
data in `field_terms.txt` (jieba's user-dictionary format: word, frequency, POS), loaded once into a tagger of
drafting's own, so the retrieval index's jieba is not changed under it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FIELD_TERMS = Path(__file__).with_name("field_terms.txt")


@lru_cache(maxsize=1)
def _tagger():
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(FIELD_TERMS))
    return pseg.POSTokenizer(tokenizer)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(word, POS) pairs of jieba's tagger; cached because a section's text is tagged several times."""
    return tuple((p.word, p.flag) for p in _tagger().cut(text))


def word_frequency(word: str) -> int:
    """How often jieba's dictionary has seen the word (0 when it does not know it)."""
    tokenizer = _tagger().tokenizer
    tokenizer.check_initialized()
    return tokenizer.FREQ.get(word) or 0
