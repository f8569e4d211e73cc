"""Hybrid search: dense (Chroma) and BM25 candidate lists, fused, with the same filters on both.

Fusion. The candidates are the union of the dense top 50 and the BM25 top 50. Both scores are known exactly for
every candidate (BM25 scores the whole collection; the few BM25-only candidates get their cosine from their stored
vectors), so the default fusion adds the two z-normalised scores with equal weight. Plain reciprocal rank fusion
(k=60) is kept as `fusion="rrf"`: on bench/queries.toml it ranked below BM25 alone, because RRF rewards chunks that
both lists rank mediocrely over one BM25 ranks first, and the bundled USE model is the weaker of the two signals
on Chinese statutes (bench/retrieval_quality.py prints all four rows).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from core.errors import ZhibiError
from core.types import Chunk, Passage
from retrieval import scope
from retrieval.embed import UseEmbedder, warm_up_async
from retrieval.lexical import top_rows


class Searchable(Protocol):
    """What a search needs of the index (retrieval.index.Index is one); search never imports the index."""

    embedder: Any

    def _collection(self, create: bool = False) -> Any: ...

    def lexical(self, col: Any, count: int) -> Any: ...

    def is_stale_read(self, exc: BaseException) -> bool: ...

    def refresh(self) -> None: ...


MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("zscore", "rrf")
RRF_K = 60
CANDIDATES = 50
LEXICAL_WEIGHT = 0.5  # equal weight of the two standardised scores; not tuned


def rrf(ranked: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1/(k + rank) over the lists an id appears in, best first."""
    scores: dict[str, float] = {}
    best: dict[str, int] = {}
    for ids in ranked:
        for rank, cid in enumerate(ids, 1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
            best[cid] = min(best.get(cid, rank), rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]], kv[0]))


def zscore_fusion(
    ids: list[str], dense: np.ndarray, lexical: np.ndarray, weight: float = LEXICAL_WEIGHT
) -> list[tuple[str, float]]:
    """weight * z(lexical) + (1 - weight) * z(dense) over the candidates, best first."""

    def z(x: np.ndarray) -> np.ndarray:
        sd = float(x.std())
        return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)

    fused = weight * z(lexical) + (1 - weight) * z(dense)
    order = np.argsort(-fused, kind="stable")
    return [(ids[i], float(fused[i])) for i in order]


def _matches(doc: dict, kind: str | None, year: int | None, issuer: str | None) -> bool:
    return (
        (not kind or doc.get("kind") == kind)
        and (not year or int(doc.get("year") or 0) == year)
        and (not issuer or issuer in (doc.get("issuer") or ""))
    )


def search(
    index: Searchable,
    query: str,
    k: int = 5,
    *,
    kind: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    mode: str = "hybrid",
    fusion: str = "zscore",
) -> list[Passage]:
    try:
        return _search(index, query, k, kind=kind, year=year, issuer=issuer, mode=mode, fusion=fusion)
    except ZhibiError:
        raise
    except Exception as exc:
        if problem := index.failure(exc):  # the server went away, the index file is damaged, the disk is full
            raise problem from None
        # Another process wrote between this process's change check and its read: reopen and read again.
        if not index.is_stale_read(exc):
            raise
        index.refresh()
        return _search(index, query, k, kind=kind, year=year, issuer=issuer, mode=mode, fusion=fusion)


def _search(
    index: Searchable,
    query: str,
    k: int,
    *,
    kind: str | None,
    year: int | None,
    issuer: str | None,
    mode: str,
    fusion: str,
) -> list[Passage]:
    if mode not in MODES:
        raise ZhibiError(f"检索方式 {mode!r} 无效", hint="可选 hybrid、dense、lexical")
    if fusion not in FUSIONS:
        raise ZhibiError(f"融合方式 {fusion!r} 无效", hint="可选 zscore、rrf")
    query = (query or "").strip()
    if not query or k <= 0:
        return []
    if mode != "lexical" and isinstance(index.embedder, UseEmbedder):
        warm_up_async()  # loads the model while Chroma and the BM25 cache load
    col = index._collection()
    if col is None:
        return []
    count = col.count()
    if count == 0:
        return []

    lex = index.lexical(col, count)
    if not lex.ids:
        return []
    # Chunks of builds that are not live (being written by another process, or left by a crash) are in Chroma
    # but not in the BM25 cache, which holds exactly the live chunks.
    dead_chunks = count != len(lex.ids)
    allowed: set[int] | None = None
    viewer = scope.current()
    if kind or year or issuer or viewer is not None:
        allowed = {
            i for i, d in enumerate(lex.docs) if _matches(d, kind, year, issuer) and scope.visible(d, viewer)
        }
        if not allowed:
            return []

    dense_ids: list[str] = []
    dense_score: dict[str, float] = {}
    vector = None
    if mode != "lexical":
        vector = index.embedder.embed([query])
        res = col.query(
            query_embeddings=vector,
            n_results=min(CANDIDATES, count),
            where=_where(kind, year, issuer, lex, live_only=dead_chunks, viewer=viewer),
            include=["distances"],  # texts and metadata only for the final top k, below
        )
        for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            if lex.row(cid) is None:
                continue  # not live (written after the cache was read)
            dense_ids.append(cid)
            dense_score[cid] = 1.0 - float(dist)

    bm25 = lex.scores(lex.query_tokens(query), allowed) if mode != "dense" else None
    lexical_hits = (
        [(lex.ids[row], score) for row, score in top_rows(bm25, CANDIDATES)] if bm25 is not None else []
    )
    lexical_ids = [cid for cid, _ in lexical_hits]

    if mode == "dense":
        fused = [(cid, dense_score[cid]) for cid in dense_ids]
    elif mode == "lexical":
        fused = lexical_hits
    elif fusion == "rrf":
        fused = rrf([dense_ids, lexical_ids])
    else:
        fused = _fuse_scores(col, vector, dense_ids, dense_score, lexical_ids, bm25, lex)
    top = fused[:k]

    rows: dict[str, tuple[str, dict]] = {}
    if top:
        got = col.get(ids=[cid for cid, _ in top], include=["documents", "metadatas"])
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            rows[cid] = (text, meta)

    dense_rank = {cid: i for i, cid in enumerate(dense_ids, 1)}
    lexical_rank = {cid: i for i, cid in enumerate(lexical_ids, 1)}
    out = []
    for cid, score in top:
        if cid not in rows:  # removed by another process between the BM25 cache and now
            continue
        text, meta = rows[cid]
        out.append(
            Passage(
                chunk=to_chunk(cid, text, meta),
                score=score,
                dense_rank=dense_rank.get(cid),
                lexical_rank=lexical_rank.get(cid),
            )
        )
    return out


def _fuse_scores(
    col: Any,
    vector: np.ndarray | None,
    dense_ids: list[str],
    dense_score: dict[str, float],
    lexical_ids: list[str],
    bm25: np.ndarray | None,
    lex: Any,
) -> list[tuple[str, float]]:
    """Both scores for every candidate of either list, then z-score fusion."""
    ids = list(dict.fromkeys(dense_ids + lexical_ids))
    if not ids:
        return []
    missing = [cid for cid in ids if cid not in dense_score]
    if missing and vector is not None:
        got = col.get(ids=missing, include=["embeddings"])
        if got["ids"]:
            sims = np.asarray(got["embeddings"], dtype=np.float32) @ np.asarray(vector[0], dtype=np.float32)
            dense_score.update(zip(got["ids"], map(float, sims), strict=True))
    dense = np.array([dense_score.get(cid, 0.0) for cid in ids], dtype=np.float32)
    lexical = np.zeros(len(ids), dtype=np.float32)
    if bm25 is not None:
        for i, cid in enumerate(ids):
            row = lex.row(cid)
            if row is not None:
                lexical[i] = bm25[row]
    return zscore_fusion(ids, dense, lexical)


def _where(
    kind: str | None,
    year: int | None,
    issuer: str | None,
    lex: Any,
    live_only: bool = False,
    viewer: scope.Viewer | None = None,
) -> dict | None:
    conditions: list[dict] = []
    if viewer is not None:
        # By build, not by a "unit" key: chunks written before units existed have none, and are shared.
        builds = sorted({d.get("doc_build") or "" for d in lex.docs if scope.visible(d, viewer)})
        conditions.append({"doc_build": {"$in": builds}})
    elif live_only:
        conditions.append({"doc_build": {"$in": sorted({d.get("doc_build") or "" for d in lex.docs})}})
    if kind:
        conditions.append({"kind": kind})
    if year:
        conditions.append({"year": int(year)})
    if issuer:
        issuers = sorted({d.get("issuer") or "" for d in lex.docs if issuer in (d.get("issuer") or "")})
        conditions.append({"issuer": {"$in": issuers or [issuer]}})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def to_chunk(cid: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        id=cid,
        title=meta.get("title", ""),
        kind=meta.get("kind", "other"),
        year=meta.get("year") or None,
        issuer=meta.get("issuer", ""),
        locator=meta.get("locator", ""),
        heading=meta.get("heading", ""),
        text=text or "",
        order=int(meta.get("order", 0)),
        part=meta.get("part", ""),
    )
