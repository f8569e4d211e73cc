"""The index: chunks of every document in one Chroma collection, plus a BM25 cache derived from it.

Opening an Index is free; it connects on first use. Chroma is embedded (PersistentClient under settings.home)
unless ZHIBI_CHROMA_URL names a server. chromadb objects never leave this package.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from retrieval.chunking import CHUNKER_VERSION, Piece, chunk_text
from retrieval.embed import Embedder, make_embedder
from retrieval.ingest import SourceDoc, collect
from retrieval.lexical import LexicalIndex, load_tokens, tokenize
from zhibi.config import Settings
from zhibi.errors import ZhibiError
from zhibi.offline import prepare_offline
from zhibi.types import KINDS, Chunk, DocumentInfo, IngestReport, Passage

ProgressFn = Callable[[str, int, int], None]
SCHEMA = 1
PAGE = 2000
EMBED_BATCH = 32


def context_text(title: str, kind: str, piece: Piece) -> str:
    """What is embedded and BM25-tokenised for a chunk: its text under its document title and headings."""
    head = " ".join(x for x in (title, piece.part, piece.locator if kind == "law" else "") if x)
    return f"{head}\n{piece.text}"


class Index:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Any = None
        self._embedder: Embedder | None = None
        self._lexical: LexicalIndex | None = None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ connection
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        prepare_offline()
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        import retrieval.chroma_functions  # noqa: F401  registers our embedding functions with chromadb

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        if url:
            parts = urlsplit(url if "://" in url else f"http://{url}")
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ZhibiError(
                    f"ZHIBI_CHROMA_URL={url!r} 不是有效地址",
                    hint="请写成 http://主机:端口，例如 http://127.0.0.1:8000",
                )
            try:
                port = parts.port or (443 if parts.scheme == "https" else 8000)
                self._client = chromadb.HttpClient(
                    host=parts.hostname, port=port, ssl=parts.scheme == "https", settings=chroma_settings
                )
            except Exception as exc:  # ValueError, httpx errors or chromadb's own: all mean "not there"
                raise ZhibiError(
                    f"连不上 ZHIBI_CHROMA_URL={url} 的 Chroma 服务（{type(exc).__name__}）",
                    hint="请先启动它（chroma run --path 数据目录 --host 主机 --port 端口），或删掉 ZHIBI_CHROMA_URL 改用本地索引",
                ) from None
        else:
            path = self.settings.chroma_path
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ZhibiError(
                    f"无法创建索引目录 {path}：{exc.strerror}",
                    hint="请用 --home 或 ZHIBI_HOME 指向可写的目录",
                ) from None
            self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return self._client

    def _collection(self, create: bool = False) -> Any:
        """The collection (fresh, so another process's changes are seen), or None when it does not exist yet."""
        from chromadb.errors import NotFoundError

        name = self.settings.collection
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]", name):
            raise ZhibiError(
                f"ZHIBI_COLLECTION={name!r} 不能用作集合名",
                hint="请只用英文字母、数字、点、下划线和连字符，3 个字符以上，例如 zhibi",
            )
        client = self._connect()
        ef = self.embedder.chroma_function()
        try:
            if create:
                col = client.get_or_create_collection(
                    name,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata=self._fresh_metadata(),
                    embedding_function=ef,
                )
            else:
                col = client.get_collection(name, embedding_function=ef)
        except NotFoundError:
            return None
        except ValueError as exc:
            if "onflict" not in str(exc):
                if "does not exist" in str(exc):
                    return None
                raise
            raise self._mismatch(client.get_collection(name, embedding_function=None).metadata) from None
        stored = (col.metadata or {}).get("zhibi_embedder")
        if stored != self.embedder.id:
            raise self._mismatch(col.metadata)
        return col

    def _mismatch(self, metadata: dict | None) -> ZhibiError:
        stored = (metadata or {}).get("zhibi_embedder", "未知")
        return ZhibiError(
            f"索引 {self.location}（集合 {self.settings.collection}）是用嵌入模型 {stored} 建的，当前设置的是 {self.embedder.id}",
            hint="请恢复原来的 ZHIBI_EMBED_* 设置，或换一个 ZHIBI_HOME / ZHIBI_COLLECTION 重新导入",
        )

    def _fresh_metadata(self, version: int = 0) -> dict:
        return {
            "zhibi_embedder": self.embedder.id,
            "zhibi_schema": SCHEMA,
            "zhibi_version": version,
            "zhibi_stamp": uuid.uuid4().hex,
        }

    def _bump(self, col: Any) -> None:
        """Record a change: BM25 caches (here and in other processes) key on the stamp."""
        meta = dict(col.metadata or {})
        meta.update(self._fresh_metadata(int(meta.get("zhibi_version", 0)) + 1))
        col.modify(metadata=meta)
        self._lexical = None

    def fingerprint(self, col: Any, count: int | None = None) -> str:
        count = col.count() if count is None else count
        stamp = (col.metadata or {}).get("zhibi_stamp", "")
        raw = f"{self.location}|{col.name}|{col.id}|{count}|{stamp}"
        return hashlib.sha1(raw.encode()).hexdigest()[:20]

    # ------------------------------------------------------------------ ingest
    def ingest(
        self, paths: list[str], *, overrides: dict | None = None, progress: ProgressFn | None = None
    ) -> IngestReport:
        """Index files, folders and URLs. Every input is read and validated before anything is written."""
        started = time.perf_counter()
        overrides = dict(overrides or {})
        self._connect()  # an unreachable server is reported before any reading
        report = IngestReport()
        docs = collect(
            paths, overrides, progress, skipped=report.skipped, url_deadline=self.settings.url_timeout
        )
        col = self._collection(create=True)
        current = self._versions(col)
        plan: list[tuple[SourceDoc, str, list[Piece]]] = []
        cleaned = False  # stale chunks of an interrupted replace were removed
        for doc in docs:
            build = self._build_key(doc)
            versions = current.get(doc.meta.title, {})
            if build in versions and self._complete(col, doc.meta.title, build, versions[build]):
                report.unchanged.append(doc.meta.title)
                if len(versions) > 1:
                    self._delete_other_builds(col, doc.meta.title, build)
                    cleaned = True
                continue
            pieces = chunk_text(doc.text, self.settings.chunk_tokens)
            if not pieces:
                raise ZhibiError(f"{doc.meta.path} 切分后没有内容", hint="请确认文件里有正文")
            plan.append((doc, build, pieces))
            (report.replaced if versions else report.added).append(doc.meta.title)

        # Embed everything first: an embedding failure (e.g. endpoint down) then writes nothing at all.
        contexts = [context_text(d.meta.title, d.meta.kind, p) for d, _, ps in plan for p in ps]
        vectors = self._embed(contexts, progress)

        if plan:
            row = 0
            batch = max(1, min(1000, self._connect().get_max_batch_size()))
            now = time.time()
            for n, (doc, build, pieces) in enumerate(plan, 1):
                ids = [self._chunk_id(doc.meta.title, build, i) for i in range(len(pieces))]
                metas = [self._metadata(doc, build, p, i, len(pieces), now) for i, p in enumerate(pieces)]
                texts = [p.text for p in pieces]
                for s in range(0, len(ids), batch):
                    col.add(
                        ids=ids[s : s + batch],
                        embeddings=vectors[row + s : row + min(s + batch, len(ids))],
                        documents=texts[s : s + batch],
                        metadatas=metas[s : s + batch],
                    )
                # Only once the new version is fully written does the old one go.
                self._delete_other_builds(col, doc.meta.title, build)
                row += len(pieces)
                report.chunks += len(pieces)
                if progress:
                    progress("写入索引", n, len(plan))
        if plan or cleaned:
            self._bump(col)
            self.lexical(col, col.count())  # build the BM25 cache now, so the first search is fast
        report.seconds = time.perf_counter() - started
        return report

    def add_prepared(self, doc: SourceDoc, pieces: list[Piece], vectors: Any, *, bump: bool = True) -> int:
        """Write a chunked document with precomputed vectors (bench/scale.py reuses the vectors of copied text)."""
        col = self._collection(create=True)
        build = self._build_key(doc)
        now = time.time()
        ids = [self._chunk_id(doc.meta.title, build, i) for i in range(len(pieces))]
        metas = [self._metadata(doc, build, p, i, len(pieces), now) for i, p in enumerate(pieces)]
        col.add(ids=ids, embeddings=vectors, documents=[p.text for p in pieces], metadatas=metas)
        self._delete_other_builds(col, doc.meta.title, build)
        if bump:
            self._bump(col)
        return len(ids)

    def _embed(self, texts: list[str], progress: ProgressFn | None) -> Any:
        import numpy as np

        parts = []
        for s in range(0, len(texts), EMBED_BATCH):
            parts.append(self.embedder.embed(texts[s : s + EMBED_BATCH]))
            if progress:
                progress("嵌入片段", min(s + EMBED_BATCH, len(texts)), len(texts))
        return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)

    def _build_key(self, doc: SourceDoc) -> str:
        m = doc.meta
        raw = json.dumps(
            [
                doc.sha256,
                m.title,
                m.kind,
                m.year,
                m.issuer,
                CHUNKER_VERSION,
                self.settings.chunk_tokens,
                self.embedder.id,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @staticmethod
    def _chunk_id(title: str, build: str, order: int) -> str:
        return f"{_doc_key(title)}-{build[:12]}-{order:05d}"

    @staticmethod
    def _metadata(doc: SourceDoc, build: str, p: Piece, order: int, total: int, now: float) -> dict:
        m = doc.meta
        return {
            "title": m.title,
            "kind": m.kind,
            "year": int(m.year or 0),
            "issuer": m.issuer,
            "locator": p.locator,
            "heading": p.heading,
            "part": p.part,
            "order": order,
            "cont": p.cont,
            "doc_sha": doc.sha256,
            "doc_build": build,
            "doc_path": m.path,
            "doc_chunks": total,
            "doc_time": now,
        }

    def _versions(self, col: Any) -> dict[str, dict[str, dict]]:
        """title -> build -> metadata of its first chunk."""
        out: dict[str, dict[str, dict]] = {}
        for meta in self._get_all(col, where={"order": 0}, include=["metadatas"])["metadatas"]:
            out.setdefault(meta["title"], {})[meta["doc_build"]] = meta
        return out

    def _complete(self, col: Any, title: str, build: str, first: dict) -> bool:
        got = col.get(where={"$and": [{"title": title}, {"doc_build": build}]}, include=[])
        return len(got["ids"]) == int(first.get("doc_chunks", -1))

    def _delete_other_builds(self, col: Any, title: str, keep: str) -> None:
        old = col.get(where={"$and": [{"title": title}, {"doc_build": {"$ne": keep}}]}, include=[])
        if old["ids"]:
            col.delete(ids=old["ids"])

    @staticmethod
    def _get_all(col: Any, *, where: dict | None = None, include: list[str]) -> dict[str, list]:
        """collection.get in pages, so a 20k-chunk collection is not one giant response."""
        out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
        offset = 0
        while True:
            page = col.get(where=where, include=include, limit=PAGE, offset=offset)
            out["ids"].extend(page["ids"])
            for k in include:
                out[k].extend(page[k] or [])
            if len(page["ids"]) < PAGE:
                return out
            offset += PAGE

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[DocumentInfo]:
        col = self._collection()
        if col is None:
            return []
        docs = []
        for title, builds in self._versions(col).items():
            meta = max(builds.values(), key=lambda m: m.get("doc_time", 0))
            docs.append(
                DocumentInfo(
                    title=title,
                    kind=meta.get("kind", "other"),
                    year=meta.get("year") or None,
                    issuer=meta.get("issuer", ""),
                    chunks=int(meta.get("doc_chunks", 0)),
                    path=meta.get("doc_path", ""),
                    sha256=meta.get("doc_sha", ""),
                )
            )
        order = {k: i for i, k in enumerate(KINDS)}
        docs.sort(key=lambda d: (order.get(d.kind, 9), -(d.year or 0), d.title))
        return docs

    def _resolve_title(self, col: Any, title: str) -> str:
        titles = sorted(self._versions(col)) if col is not None else []
        if title in titles:
            return title
        close = [t for t in titles if title and (title in t or t in title)]
        close += [t for t in difflib.get_close_matches(title, titles, n=3, cutoff=0.3) if t not in close]
        hint = (
            "相近的标题：" + "；".join(f"《{t}》" for t in close[:5])
            if close
            else "用 zhibi corpus 查看已导入的文档"
        )
        raise ZhibiError(f"索引里没有标题为《{title}》的文档", hint=hint)

    def remove(self, title: str) -> int:
        with self._lock:
            col = self._collection()
            title = self._resolve_title(col, title)
            ids = self._get_all(col, where={"title": title}, include=[])["ids"]
            for s in range(0, len(ids), 1000):
                col.delete(ids=ids[s : s + 1000])
            self._bump(col)
            self.lexical(col, col.count())  # as after ingest: the next search (or process) finds it ready
            return len(ids)

    def chunks(self, title: str) -> list[Chunk]:
        """Every chunk of a document, in order (the newest complete version when a replace was interrupted)."""
        col = self._collection()
        title = self._resolve_title(col, title)
        got = self._get_all(col, where={"title": title}, include=["documents", "metadatas"])
        builds: dict[str, list[tuple[str, str, dict]]] = {}
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            builds.setdefault(meta["doc_build"], []).append((cid, text, meta))
        complete = [b for b in builds.values() if len(b) == int(b[0][2].get("doc_chunks", -1))] or list(
            builds.values()
        )
        rows = max(complete, key=lambda b: b[0][2].get("doc_time", 0))
        rows.sort(key=lambda r: r[2]["order"])
        return [to_chunk(cid, text, meta) for cid, text, meta in rows]

    def document_text(self, title: str) -> str:
        """The cleaned full text: chunks joined in order (a chunk that continues a paragraph joins without a break)."""
        out: list[str] = []
        for c, cont in self._chunks_with_cont(title):
            out.append(c.text if cont or not out else "\n" + c.text)
        return "".join(out)

    def _chunks_with_cont(self, title: str) -> list[tuple[Chunk, bool]]:
        col = self._collection()
        chunks = self.chunks(title)
        got = col.get(ids=[c.id for c in chunks], include=["metadatas"])
        cont = {cid: bool(m.get("cont")) for cid, m in zip(got["ids"], got["metadatas"], strict=True)}
        return [(c, cont.get(c.id, False)) for c in chunks]

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: str | None = None,
        year: int | None = None,
        issuer: str | None = None,
        mode: str = "hybrid",
    ) -> list[Passage]:
        from retrieval.search import search

        return search(self, query, k, kind=kind, year=year, issuer=issuer, mode=mode)

    def lexical(self, col: Any, count: int) -> LexicalIndex:
        """The BM25 cache for the collection's current contents (memory, then disk, then rebuilt from Chroma)."""
        fp = self.fingerprint(col, count)
        lex = self._lexical
        if lex is not None and lex.fingerprint == fp:
            return lex
        with self._lock:
            if self._lexical is not None and self._lexical.fingerprint == fp:
                return self._lexical
            root = self.settings.home / "bm25" / self.settings.collection
            lex = LexicalIndex.load(root / fp, fp) or self._rebuild_lexical(col, fp, root)
            self._lexical = lex
            return lex

    def _rebuild_lexical(self, col: Any, fp: str, root: Path) -> LexicalIndex:
        """BM25 over every chunk. Chunk ids name their document and change whenever a chunk's text or headings
        do, so tokens the previous cache already had are reused and only new chunks are read and go through jieba."""
        ids = sorted(col.get(include=[])["ids"])
        docs: dict[str, dict] = {}
        for title, builds in self._versions(col).items():
            docs[_doc_key(title)] = max(builds.values(), key=lambda m: m.get("doc_time", 0))
        known = load_tokens(root)
        unseen = [cid for cid in ids if cid not in known or cid.split("-")[0] not in docs]
        fetched: dict[str, tuple[str, dict]] = {}
        for s in range(0, len(unseen), PAGE):
            page = col.get(ids=unseen[s : s + PAGE], include=["documents", "metadatas"])
            for cid, text, meta in zip(page["ids"], page["documents"], page["metadatas"], strict=True):
                fetched[cid] = (text or "", meta)
        ids = [cid for cid in ids if cid in known or cid in fetched]  # deleted meanwhile: skip
        tokens: list[str] = []
        metas: list[dict] = []
        for cid in ids:
            if cid in fetched:
                text, meta = fetched[cid]
                piece = Piece(meta.get("locator", ""), meta.get("heading", ""), meta.get("part", ""), text)
                tokens.append(
                    " ".join(tokenize(context_text(meta.get("title", ""), meta.get("kind", ""), piece)))
                )
            else:
                meta = docs[cid.split("-")[0]]
                tokens.append(known[cid])
            metas.append(meta)
        lex = LexicalIndex.build(fp, ids, [t.split() for t in tokens], metas)
        try:
            lex.save(root / fp, tokens=dict(zip(ids, tokens, strict=True)))
            for other in root.iterdir():
                if other.name != fp and not other.name.endswith(".tmp"):
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass  # a read-only home only costs a rebuild next time
        return lex


def _doc_key(title: str) -> str:
    """The first part of every chunk id of a document."""
    return hashlib.sha1(title.encode()).hexdigest()[:16]


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
