"""BM25 (bm25s) over jieba words plus character bigrams of CJK runs.

The index is a cache derived from the Chroma collection, saved under settings.home/bm25/<collection>/<fingerprint>/
(fingerprint: collection id, count and the change stamp that ingest/remove write), so a change made by another
process is noticed and a fresh process loads it in milliseconds. Each cache keeps the tokens of its chunks, so a
rebuild runs jieba only for chunks it has not seen, and a small jieba dictionary of the index's own words, so a
query is segmented without loading jieba's full dictionary (about 1 s).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

_jieba_lock = threading.Lock()
_jieba_ready = False

_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 对 是 为 将 把 被 等 并 其 之 而 以 于 由 从 向 也 都 就 这 那 该 各 个 有 中 上 下 不 "
    "我们 我局 今年 以来 进一步 一是 二是 三是 四是 五是 六是".split()
)
BIGRAM_PREFIX = "#"  # bigrams live in their own namespace so a two-character word is not counted twice
QUERY_DICT = "query_words.txt"
QUERY_FREQ = "query_words.json"
TOKENS = "tokens.json"
TOKENIZER_VERSION = 1  # bump when tokenize() changes, so cached tokens are not reused


def _jieba():
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def tokenize(text: str, segmenter: Any = None) -> list[str]:
    """jieba words (cut_all=False) without punctuation and stopwords, plus #-prefixed CJK character bigrams.

    `segmenter` is a jieba.Tokenizer; by default jieba's full dictionary (about 1 s to load once per process).
    """
    cut = (segmenter or _jieba().dt).lcut
    words = [w.lower() for w in cut(text, cut_all=False) if _WORD.search(w) and w.strip()]
    tokens = [w for w in words if w not in STOPWORDS]
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            continue
        tokens.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
    return tokens


@dataclass
class LexicalIndex:
    """BM25 over the chunks of a collection; `ids[i]` is the chunk id of row i, `docs[i]` its document row."""

    fingerprint: str
    ids: list[str]
    doc_of: np.ndarray  # int32 row -> index into `docs`
    docs: list[dict]  # {"title", "kind", "year", "issuer", "doc_build", "unit"}
    retriever: Any  # bm25s.BM25, None when the collection is empty
    folder: Path | None = None  # where it was saved or loaded from
    _segmenter: Any = None
    _rows: dict[str, int] | None = None

    @classmethod
    def build(
        cls, fingerprint: str, ids: list[str], tokens: list[list[str]], metas: list[dict]
    ) -> LexicalIndex:
        import bm25s

        doc_rows: dict[str, int] = {}
        docs: list[dict] = []
        doc_of = np.zeros(len(ids), dtype=np.int32)
        for i, meta in enumerate(metas):
            title = meta.get("title", "")
            if title not in doc_rows:
                doc_rows[title] = len(docs)
                docs.append(
                    {k: meta.get(k) for k in ("title", "kind", "year", "issuer", "doc_build", "unit")}
                )
            doc_of[i] = doc_rows[title]
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index([t or [""] for t in tokens], show_progress=False)
        return cls(fingerprint, ids, doc_of, docs, retriever)

    def query_tokens(self, query: str) -> list[str]:
        """Tokens of a query. jieba restricted to this index's own words (saved with the cache) segments a query
        like the full dictionary for every word that can score, and loads in milliseconds instead of ~1 s."""
        if self._segmenter is None and self.folder is not None and (self.folder / QUERY_DICT).exists():
            with _jieba_lock:
                if self._segmenter is None:
                    import jieba

                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    segmenter = jieba.Tokenizer(dictionary=str(self.folder / QUERY_DICT))
                    segmenter.tmp_dir = str(self.folder)
                    try:
                        segmenter.initialize()
                        self._segmenter = segmenter
                    except Exception:  # unreadable dictionary: fall back to the full one
                        self._segmenter = False
        return tokenize(query, self._segmenter or None)

    def scores(self, query_tokens: list[str], allowed_docs: set[int] | None = None) -> np.ndarray | None:
        """BM25 score of every row (0 outside allowed_docs), or None when no query token is in the index."""
        if self.retriever is None or not query_tokens:
            return None
        vocab = self.retriever.vocab_dict
        ids = [vocab[t] for t in query_tokens if t in vocab]
        if not ids:
            return None
        scores = np.asarray(self.retriever.get_scores(ids), dtype=np.float32)
        if allowed_docs is not None:
            mask = np.isin(self.doc_of, np.fromiter(allowed_docs, dtype=np.int32))
            scores = np.where(mask, scores, np.float32(0.0))
        return scores

    def row(self, chunk_id: str) -> int | None:
        if self._rows is None:
            self._rows = {cid: i for i, cid in enumerate(self.ids)}
        return self._rows.get(chunk_id)

    # -- persistence -----------------------------------------------------------
    def save(self, folder: Path, tokens: dict[str, str] | None = None) -> None:
        """Write to a temporary folder then rename, so a reader never sees half a cache.

        `tokens` (chunk id -> space-joined tokens) is kept beside it for the next rebuild, never read by search."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.retriever is not None:
            self.retriever.save(str(tmp / "bm25"))
            _write_query_dict(tmp, self.retriever.vocab_dict, _newest(folder.parent, QUERY_FREQ))
        np.save(tmp / "doc_of.npy", self.doc_of)
        if tokens is not None:
            (tmp / TOKENS).write_text(
                json.dumps({"version": TOKENIZER_VERSION, "tokens": tokens}, ensure_ascii=False),
                encoding="utf-8",
            )
        (tmp / "meta.json").write_text(
            json.dumps(
                {"fingerprint": self.fingerprint, "ids": self.ids, "docs": self.docs}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        try:
            os.replace(tmp, folder)
        except OSError:  # another process saved the same fingerprint first
            shutil.rmtree(tmp, ignore_errors=True)
        self.folder = folder

    @classmethod
    def load(cls, folder: Path, fingerprint: str) -> LexicalIndex | None:
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("fingerprint") != fingerprint:
                return None
            doc_of = np.load(folder / "doc_of.npy")
            retriever = None
            if meta["ids"]:
                import bm25s

                retriever = bm25s.BM25.load(str(folder / "bm25"), mmap=False)
        except (OSError, ValueError, KeyError):
            return None
        return cls(fingerprint, meta["ids"], doc_of, meta["docs"], retriever, folder=folder)


def _newest(root: Path, name: str) -> Path | None:
    """The most recently written cache folder under root that has the file `name`."""
    if not root.is_dir():
        return None
    folders = [p for p in root.iterdir() if (p / name).is_file() and not p.name.endswith(".tmp")]
    return max(folders, key=lambda p: (p / name).stat().st_mtime, default=None)


def load_tokens(root: Path) -> dict[str, str]:
    """Chunk id -> tokens from the newest cache under root (any fingerprint), {} when there is none."""
    folder = _newest(root, TOKENS)
    if folder is None:
        return {}
    try:
        data = json.loads((folder / TOKENS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("tokens", {}) if data.get("version") == TOKENIZER_VERSION else {}


def top_rows(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest positive scores as (row, score), best first."""
    k = min(k, int((scores > 0).sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top]


def _write_query_dict(folder: Path, vocab: dict[str, int], previous: Path | None) -> None:
    """jieba dictionary of the index's words that are in jieba's main dictionary, with their frequencies.

    A filler entry (a private-use character no text contains) keeps the dictionary total equal to jieba's, so
    word probabilities and hence segmentations match the full dictionary. Frequencies (0 for words jieba does not
    know) are kept in query_words.json; when every word is already there (e.g. after a removal) jieba's full
    dictionary is not loaded at all."""
    words = [w for w in vocab if w and not w.startswith(BIGRAM_PREFIX) and " " not in w]
    known: dict[str, int] = {}
    total = 0
    if previous is not None:
        try:
            data = json.loads((previous / QUERY_FREQ).read_text(encoding="utf-8"))
            known, total = data["freq"], int(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            known = {}
    if not total or any(w not in known for w in words):
        dt = _jieba().dt
        known, total = {w: int(dt.FREQ.get(w, 0)) for w in words}, int(dt.total)
    freq = {w: known[w] for w in words}
    lines = [f"{w} {f}" for w, f in freq.items() if f > 0]
    lines.append(f"\ue000 {max(1, total - sum(freq.values()))}")
    (folder / QUERY_DICT).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / QUERY_FREQ).write_text(
        json.dumps({"total": total, "freq": freq}, ensure_ascii=False), encoding="utf-8"
    )
