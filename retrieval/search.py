"""Hybrid search: reciprocal rank fusion of dense (Chroma) and BM25 candidate lists, with the same filters on both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zhibi.errors import ZhibiError
from zhibi.types import Passage

from retrieval.embed import UseEmbedder, warm_up_async

if TYPE_CHECKING:
    from retrieval.index import Index

MODES = ("hybrid", "dense", "lexical")
RRF_K = 60
CANDIDATES = 50


def rrf(ranked: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1/(k + rank) over the lists an id appears in, best first."""
    scores: dict[str, float] = {}
    best: dict[str, int] = {}
    for ids in ranked:
        for rank, cid in enumerate(ids, 1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
            best[cid] = min(best.get(cid, rank), rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]], kv[0]))


def _matches(doc: dict, kind: str | None, year: int | None, issuer: str | None) -> bool:
    return (
        (not kind or doc.get("kind") == kind)
        and (not year or int(doc.get("year") or 0) == year)
        and (not issuer or issuer in (doc.get("issuer") or ""))
    )


def search(
    index: Index,
    query: str,
    k: int = 5,
    *,
    kind: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    mode: str = "hybrid",
) -> list[Passage]:
    if mode not in MODES:
        raise ZhibiError(f"检索方式 {mode!r} 无效", hint="可选 hybrid、dense、lexical")
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

    lex = index.lexical(col, count) if (mode != "dense" or issuer) else None
    filtered = bool(kind or year or issuer)
    allowed: set[int] | None = None
    if lex is not None and filtered:
        allowed = {i for i, d in enumerate(lex.docs) if _matches(d, kind, year, issuer)}
        if not allowed:
            return []

    dense_ids: list[str] = []
    dense_score: dict[str, float] = {}
    if mode != "lexical":
        where = _where(kind, year, issuer, lex)
        vector = index.embedder.embed([query])
        res = col.query(
            query_embeddings=vector,
            n_results=min(CANDIDATES, count),
            where=where,
            include=["distances"],  # texts and metadata only for the final top k, below
        )
        for cid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            dense_ids.append(cid)
            dense_score[cid] = 1.0 - float(dist)

    lexical_ids: list[str] = []
    lexical_score: dict[str, float] = {}
    if mode != "dense" and lex is not None:
        for row, score in lex.search(lex.query_tokens(query), CANDIDATES, allowed):
            cid = lex.ids[row]
            lexical_ids.append(cid)
            lexical_score[cid] = score

    if mode == "dense":
        fused = [(cid, dense_score[cid]) for cid in dense_ids]
    elif mode == "lexical":
        fused = [(cid, lexical_score[cid]) for cid in lexical_ids]
    else:
        fused = rrf([dense_ids, lexical_ids])
    top = fused[:k]

    rows: dict[str, tuple[str, dict]] = {}
    if top:
        got = col.get(ids=[cid for cid, _ in top], include=["documents", "metadatas"])
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            rows[cid] = (text, meta)

    from retrieval.index import to_chunk

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


def _where(kind: str | None, year: int | None, issuer: str | None, lex: Any) -> dict | None:
    conditions: list[dict] = []
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
