"""The index: chunks of every document in one Chroma collection, plus a BM25 cache derived from it.

Opening an Index is free; it connects on first use. Chroma is embedded (PersistentClient under settings.home)
unless ZHIBI_CHROMA_URL names a server. chromadb objects never leave this package.

Several processes share one index (a server, CLI commands, other workers):
- Which version of a document is live is decided by the stored chunks alone: the newest *complete* build of each
  title (all `doc_chunks` chunks present). A re-ingest writes the new build in full, then deletes the old one, so
  a crash at any point leaves exactly one live version; leftovers of other builds are invisible to readers and
  removed by the next writer.
- Writers take a file lock (settings.home/index.lock), so writes from different processes never interleave.
- Embedded Chroma keeps the vector index in each process's memory and never re-reads what another process wrote
  ("Error finding id"). Every read compares the collection's change stamp and count with what this process's
  client last saw, and reopens the client when another process changed them.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.config import Settings
from core.errors import ReplaceNeeded, ZhibiError
from core.offline import prepare_offline
from core.types import KINDS, Chunk, DocumentInfo, IngestReport, Passage
from retrieval import scope
from retrieval.chunking import CHUNKER_VERSION, Piece, chunk_text
from retrieval.embed import Embedder, make_embedder
from retrieval.ingest import SourceDoc, collect
from retrieval.injection import VERSION as INJECTION_VERSION
from retrieval.injection import strip_injections
from retrieval.lexical import LexicalIndex, load_tokens, tokenize
from retrieval.search import search, to_chunk

ProgressFn = Callable[[str, int, int], None]
SCHEMA = 1
PAGE = 2000
EMBED_BATCH = 32
WRITE_BATCH = 1000  # chunks per Chroma write (also capped by the server's max batch size)
CACHE_FORMAT = 3  # part of the BM25 cache fingerprint: 2 = live builds only, 3 = documents carry their unit
_connect_lock = threading.Lock()  # chromadb's client cache is process-wide
RETIRE_AFTER = 60.0  # seconds a replaced embedded client stays open for calls still using it
log = logging.getLogger(__name__)


def _lock_file(handle: Any, timeout: float | None = None) -> None:
    """Wait until this process holds the exclusive lock on the open file (POSIX flock, or msvcrt on Windows).

    After `timeout` seconds (None: forever) a ZhibiError says another process is writing: a stuck writer then
    costs one clear message instead of a command or an upload that waits for ever."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                return
            except OSError:
                continue
    if timeout is None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ZhibiError(
                    f"另一个进程正在写入索引，等待 {timeout:g} 秒后仍未结束",
                    hint="请等它完成后重试；若该进程已卡住，结束它（索引不会损坏）后重试，"
                    "或用 ZHIBI_LOCK_TIMEOUT 延长等待",
                ) from None
            time.sleep(0.1)


def _unlock_file(handle: Any) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(handle, fcntl.LOCK_UN)


def _close_client(client: Any) -> None:
    try:
        client._server.stop()  # the Rust bindings: their memory goes with them
    except Exception:  # closing a client nobody uses any more must not take a server down; say so in the log
        log.exception("closing a replaced Chroma client failed")


@dataclass
class LiveState:
    """What readers see: the live build of each title, and the chunk ids of every other (dead) build."""

    firsts: dict[str, dict]  # title -> metadata of the live build's first chunk
    live_ids: list[str]
    dead_ids: list[str]
    all_ids: list[str] = field(repr=False, default_factory=list)


def _prefix(chunk_id: str) -> str:
    """'<doc key>-<build>' of a chunk id."""
    return chunk_id.rsplit("-", 1)[0]


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
        self._synced: tuple[str, int] | None = None  # (stamp, count) the embedded client is known to reflect
        self._writing = 0  # writes in progress in this process
        self._live: tuple[str, LiveState] | None = None  # keyed by fingerprint

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
            from chromadb.api.client import SharedSystemClient

            # chromadb shares one client per path within a process; ours is private, so reopening it (below)
            # never pulls the rug from under another Index, and two Index objects behave like two processes.
            with _connect_lock:
                SharedSystemClient.clear_system_cache()
                try:
                    self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
                except Exception as exc:
                    if problem := storage_problem(exc, path):
                        raise problem from None
                    raise
                finally:
                    SharedSystemClient.clear_system_cache()
            self._synced = None
        return self._client

    def _reopen(self) -> None:
        """A fresh embedded client: it loads the vectors other processes wrote. Calls in flight keep the old one,
        which is closed a little later (dropping it alone does not free its vectors: ~2 MB per reopen)."""
        old, self._client = self._client, None
        self._connect()
        if old is not None:
            timer = threading.Timer(RETIRE_AFTER, _close_client, [old])
            timer.daemon = True
            timer.start()

    def _collection(self, create: bool = False) -> Any:
        """The collection (fresh, so another process's changes are seen), or None when it does not exist yet."""
        try:
            col = self._open_collection(create)
            if col is not None and not self.settings.chroma_url:
                col = self._sync(col)
        except ZhibiError:
            raise
        except Exception as exc:
            if problem := self.failure(exc):
                raise problem from None
            raise
        return col

    def failure(self, exc: BaseException) -> ZhibiError | None:
        """The one-line message for a failure of the index a user can fix (server gone, index file damaged, disk
        full); None for anything else, which is a bug and is raised as it is."""
        if self.settings.chroma_url and _unreachable(exc):
            return ZhibiError(
                f"连不上 ZHIBI_CHROMA_URL={self.settings.chroma_url} 的 Chroma 服务（{type(exc).__name__}）",
                hint="请检查该服务是否在运行（chroma run --path 数据目录 --host 主机 --port 端口）后重试，"
                "或删掉 ZHIBI_CHROMA_URL 改用本地索引；已导入的内容不受影响",
            )
        return storage_problem(exc, self.settings.chroma_path)

    def _open_collection(self, create: bool = False) -> Any:
        from chromadb.errors import NotFoundError

        name = self.settings.collection
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]", name):
            raise ZhibiError(
                f"ZHIBI_COLLECTION={name!r} 不能用作集合名",
                hint="请只用英文字母、数字、点、下划线和连字符，3 个字符以上，例如 zhibi",
            )
        client = self._connect()
        from retrieval.chroma_functions import chroma_function_for

        ef = chroma_function_for(self.embedder)
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

    @staticmethod
    def _marker(col: Any) -> tuple[str, int]:
        return str((col.metadata or {}).get("zhibi_stamp", "")), col.count()

    def _sync(self, col: Any) -> Any:
        """The collection through a client that has seen every change (embedded mode; see the module doc)."""
        marker = self._marker(col)
        if self._synced is None:
            self._synced = marker
        if marker == self._synced or self._writing:
            return col  # our own write in progress: this client wrote it
        with self._lock:
            if self._writing:
                return col
            self._reopen()
            col = self._open_collection()
            self._synced = self._marker(col)
            return col

    def refresh(self) -> None:
        """Reopen the embedded client now (after a read failed on vectors another process changed)."""
        if not self.settings.chroma_url:
            with self._lock:
                self._reopen()

    @staticmethod
    def is_stale_read(exc: BaseException) -> bool:
        """chromadb's error for an id its in-memory vector index does not know (written by another process)."""
        return "Error finding id" in str(exc)

    @contextlib.contextmanager
    def _writer(self) -> Iterator[Any]:
        """The collection, for writing: one writer at a time across processes, through an up-to-date client.

        The file lock is taken before the in-process lock, so while another process writes, this process's
        readers (which take the in-process lock to reopen or rebuild the BM25 cache) are not held up."""
        lock_path = self.settings.home / "index.lock"
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(lock_path, "a+b")  # noqa: SIM115  closed below, after the lock is released
        except OSError as exc:
            raise ZhibiError(
                f"无法创建索引锁文件 {lock_path}：{exc.strerror}",
                hint="请用 --home 或 ZHIBI_HOME 指向可写的目录",
            ) from None
        try:
            _lock_file(handle, self.settings.lock_timeout or None)
            with self._lock:
                col = self._collection(create=True)
                self._writing += 1
                try:
                    yield col
                finally:
                    self._writing -= 1
                    if not self.settings.chroma_url:
                        # What this client wrote is what is stored: it is in sync.
                        self._synced = self._marker(self._open_collection())
        finally:
            try:
                _unlock_file(handle)
            finally:
                handle.close()

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
        raw = f"{self.location}|{col.name}|{col.id}|{count}|{stamp}|{CACHE_FORMAT}"
        return hashlib.sha1(raw.encode()).hexdigest()[:20]

    # ------------------------------------------------------------------ ingest
    def ingest(
        self,
        paths: list[str],
        *,
        overrides: dict | None = None,
        progress: ProgressFn | None = None,
        replace: bool = False,
        unit: str = "",
        authorize: Callable[[SourceDoc, dict | None], None] | None = None,
    ) -> IngestReport:
        """Index files, folders and URLs. Every input is read and validated before anything is written.

        A title already indexed with different content is replaced only with `replace`; otherwise ReplaceNeeded
        names each document that would be replaced, and nothing is written. `unit`: the unit the new documents
        belong to ("" = shared). `authorize(doc, live metadata or None)` may refuse a document with a
        ZhibiError before anything is written. The report lists every change with the old and new hash."""
        started = time.perf_counter()
        overrides = dict(overrides or {})
        self._connect()  # an unreachable server is reported before any reading
        report = IngestReport()
        docs = collect(
            paths, overrides, progress, skipped=report.skipped, url_deadline=self.settings.url_timeout
        )
        # Sentences that address the model never reach a chunk, a prompt or the BM25 cache; they are listed.
        for doc in docs:
            doc.text, flagged = strip_injections(doc.text)
            report.flagged.extend(f"《{doc.meta.title}》：{s[:80]}" for s in flagged)
        col = self._collection(create=True)
        # Embed outside the write lock (it is the slow part); an embedding failure (e.g. endpoint down) then
        # writes nothing at all.
        if authorize is not None:  # before ReplaceNeeded, which would describe a document not the caller's
            state = self._live_state(col)
            for doc in self._plan(col, docs, True, state):
                authorize(doc, state.firsts.get(doc.meta.title))
        prepared = self._prepare(self._plan(col, docs, replace), progress)

        with self._writer() as col:
            state = self._live_state(col)
            plan = self._plan(col, docs, replace, state)  # again: another process may have written meanwhile
            if authorize is not None:
                for doc in plan:
                    authorize(doc, state.firsts.get(doc.meta.title))
            prepared.update(self._prepare([d for d in plan if d.meta.title not in prepared], progress))
            now = time.time()
            # Chunks left by an interrupted write of a build about to be written are cleared first, so every
            # chunk added below is new: within one stamp the count then only grows while adding and only shrinks
            # while deleting, and (stamp, count) names one state, which is what the BM25 cache keys on.
            rewritten = {_doc_key(d.meta.title) + "-" + self._build_key(d)[:12] for d in plan}
            leftovers = [cid for cid in state.dead_ids if _prefix(cid) in rewritten]
            if leftovers:
                self._bump(col)
                self._delete(col, leftovers)
            if plan:
                self._bump(col)
            keep = set(state.live_ids)
            for n, doc in enumerate(plan, 1):
                title = doc.meta.title
                pieces, vectors = prepared[title]
                (report.replaced if title in state.firsts else report.added).append(title)
                old = state.firsts.get(title) or {}
                report.changes.append(
                    {
                        "title": title,
                        "kind": doc.meta.kind,
                        "old_sha256": old.get("doc_sha", ""),
                        "new_sha256": doc.sha256,
                        "unit": unit,
                    }
                )
                keep -= {cid for cid in state.live_ids if cid.startswith(_doc_key(title) + "-")}
                keep.update(self._write_doc(col, doc, pieces, vectors, now, unit))
                report.chunks += len(pieces)
                if progress:
                    progress("写入索引", n, len(plan))
            planned = {d.meta.title for d in plan}
            report.unchanged = [d.meta.title for d in docs if d.meta.title not in planned]
            # Only now, with every new version complete, do old versions and leftovers of interrupted writes go.
            gone = set(leftovers)
            stale = [cid for cid in state.all_ids if cid not in keep and cid not in gone]
            if stale:
                self._bump(col)
                self._delete(col, stale)
            changed = bool(plan or stale or leftovers)
            if changed:
                self._bump(col)
        if changed:
            col = self._collection()
            self.lexical(col, col.count())  # build the BM25 cache now, so the first search is fast
        report.seconds = time.perf_counter() - started
        return report

    def _prepare(
        self, docs: list[SourceDoc], progress: ProgressFn | None
    ) -> dict[str, tuple[list[Piece], Any]]:
        """title -> (chunks, their vectors)."""
        pieces_of = {d.meta.title: chunk_text(d.text, self.settings.chunk_tokens) for d in docs}
        for doc in docs:
            if not pieces_of[doc.meta.title]:
                raise ZhibiError(f"{doc.meta.path} 切分后没有内容", hint="请确认文件里有正文")
        contexts = [context_text(d.meta.title, d.meta.kind, p) for d in docs for p in pieces_of[d.meta.title]]
        vectors = self._embed(contexts, progress) if contexts else None
        out: dict[str, tuple[list[Piece], Any]] = {}
        row = 0
        for doc in docs:
            pieces = pieces_of[doc.meta.title]
            out[doc.meta.title] = (pieces, vectors[row : row + len(pieces)])
            row += len(pieces)
        return out

    def _plan(
        self, col: Any, docs: list[SourceDoc], replace: bool, state: LiveState | None = None
    ) -> list[SourceDoc]:
        """The documents to write: new titles, changed builds. A changed text needs `replace`."""
        state = state or self._live_state(col)
        plan: list[SourceDoc] = []
        conflicts: list[str] = []
        for doc in docs:
            live = state.firsts.get(doc.meta.title)
            if live is not None and live.get("doc_build") == self._build_key(doc):
                continue
            if live is not None and live.get("doc_sha") != doc.sha256 and not replace:
                conflicts.append(_describe_replacement(live, doc))
            plan.append(doc)
        if conflicts:
            raise ReplaceNeeded(
                [d.meta.title for d in plan if d.meta.title in state.firsts],
                "索引里已有同名但内容不同的文档，这次导入会替换它：" + "；".join(conflicts),
                hint="确认要替换，请加 --replace 重新导入；不想替换，请用 --title 给新文档另起标题",
            )
        return plan

    def _write_doc(
        self, col: Any, doc: SourceDoc, pieces: list[Piece], vectors: Any, now: float, unit: str = ""
    ) -> list[str]:
        """Add every chunk of one build (the caller has removed any chunk of it a crash left behind)."""
        build = self._build_key(doc)
        ids = [self._chunk_id(doc.meta.title, build, i) for i in range(len(pieces))]
        metas = [self._metadata(doc, build, p, i, len(pieces), now, unit) for i, p in enumerate(pieces)]
        texts = [p.text for p in pieces]
        batch = max(1, min(WRITE_BATCH, self._connect().get_max_batch_size()))
        for s in range(0, len(ids), batch):
            col.add(
                ids=ids[s : s + batch],
                embeddings=vectors[s : s + batch],
                documents=texts[s : s + batch],
                metadatas=metas[s : s + batch],
            )
        return ids

    def _delete(self, col: Any, ids: list[str]) -> None:
        batch = max(1, min(WRITE_BATCH, self._connect().get_max_batch_size()))
        for s in range(0, len(ids), batch):
            col.delete(ids=ids[s : s + batch])

    def add_prepared(self, doc: SourceDoc, pieces: list[Piece], vectors: Any, *, bump: bool = True) -> int:
        """Write a chunked document with precomputed vectors (bench/scale.py reuses the vectors of copied text)."""
        with self._writer() as col:
            key = _doc_key(doc.meta.title) + "-"
            others = [c for c in self._live_state(col).all_ids if c.startswith(key)]
            self._bump(col)
            self._delete(col, [c for c in others if _prefix(c) == key + self._build_key(doc)[:12]])
            self._bump(col)
            ids = self._write_doc(col, doc, pieces, vectors, time.time())
            self._bump(col)
            self._delete(col, [c for c in others if c not in set(ids)])
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
                INJECTION_VERSION,
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
    def _metadata(
        doc: SourceDoc, build: str, p: Piece, order: int, total: int, now: float, unit: str = ""
    ) -> dict:
        m = doc.meta
        return {
            "unit": unit,  # "" = shared (statutes, policy documents); else the unit whose own document it is
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

    def _live_state(self, col: Any) -> LiveState:
        """The live build of each title: its newest complete build (cached per fingerprint)."""
        fp = self.fingerprint(col)
        cached = self._live
        if cached is not None and cached[0] == fp:
            return cached[1]
        all_ids = sorted(self._get_all(col, include=[])["ids"])
        present = Counter(_prefix(cid) for cid in all_ids)
        firsts = self._get_all(col, where={"order": 0}, include=["metadatas"])
        best: dict[str, tuple[str, dict]] = {}
        for cid, meta in zip(firsts["ids"], firsts["metadatas"], strict=True):
            if present[_prefix(cid)] != int(meta.get("doc_chunks", -1)):
                continue  # a build being written, or left half-written or half-deleted by a crash
            title = meta.get("title", "")
            if title not in best or _recency(meta) > _recency(best[title][1]):
                best[title] = (_prefix(cid), meta)
        live_prefixes = {prefix for prefix, _ in best.values()}
        live = [cid for cid in all_ids if _prefix(cid) in live_prefixes]
        dead = [cid for cid in all_ids if _prefix(cid) not in live_prefixes]
        state = LiveState({t: m for t, (_, m) in best.items()}, live, dead, all_ids)
        self._live = (fp, state)
        return state

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
        for title, meta in self._live_state(col).firsts.items():
            if not scope.visible(meta):
                continue
            docs.append(
                DocumentInfo(
                    title=title,
                    kind=meta.get("kind", "other"),
                    year=meta.get("year") or None,
                    issuer=meta.get("issuer", ""),
                    chunks=int(meta.get("doc_chunks", 0)),
                    path=meta.get("doc_path", ""),
                    sha256=meta.get("doc_sha", ""),
                    unit=meta.get("unit", "") or "",
                )
            )
        order = {k: i for i, k in enumerate(KINDS)}
        docs.sort(key=lambda d: (order.get(d.kind, 9), -(d.year or 0), d.title))
        return docs

    def _resolve_title(self, col: Any, title: str) -> str:
        firsts = self._live_state(col).firsts if col is not None else {}
        titles = sorted(t for t, meta in firsts.items() if scope.visible(meta))
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

    def remove(self, title: str, authorize: Callable[[dict], None] | None = None) -> int:
        """Delete a document; `authorize(its metadata)` may refuse with a ZhibiError before anything goes."""
        if self._collection() is None:
            self._resolve_title(None, title)  # the "no such document" message
        with self._writer() as col:
            title = self._resolve_title(col, title)
            if authorize is not None:
                authorize(self._live_state(col).firsts[title])
            chunks = int(self._live_state(col).firsts[title].get("doc_chunks", 0))
            self._bump(col)
            self._delete(col, self._get_all(col, where={"title": title}, include=[])["ids"])
            self._bump(col)
            self.lexical(col, col.count())  # as after ingest: the next search (or process) finds it ready
            return chunks

    def chunks(self, title: str) -> list[Chunk]:
        """Every chunk of a document's live version, in order."""
        col = self._collection()
        title = self._resolve_title(col, title)
        build = self._live_state(col).firsts[title]["doc_build"]
        where = {"$and": [{"title": title}, {"doc_build": build}]}
        got = self._get_all(col, where=where, include=["documents", "metadatas"])
        rows = sorted(
            zip(got["ids"], got["documents"], got["metadatas"], strict=True), key=lambda r: r[2]["order"]
        )
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
        state = self._live_state(col)
        ids = state.live_ids
        docs = {_doc_key(title): meta for title, meta in state.firsts.items()}
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


def _unreachable(exc: BaseException) -> bool:
    import httpx

    text = str(exc)
    return isinstance(exc, (httpx.TransportError, ConnectionError)) or "Could not connect" in text


_CORRUPT = ("file is not a database", "database disk image is malformed", "code: 26", "code: 11")


def storage_problem(exc: BaseException, path: Path) -> ZhibiError | None:
    """A damaged index file or a full disk, as one line with the fix; None for other failures."""
    from core.files import disk_error, is_disk_error

    text = str(exc)
    if any(marker in text for marker in _CORRUPT):
        return ZhibiError(
            f"索引文件 {path / 'chroma.sqlite3'} 已损坏（{text[:80]}）",
            hint=f"请停止服务，把 {path} 改名备份，再运行 zhibi ingest 重新导入语料（原文件和历史记录不受影响）",
        )
    if is_disk_error(exc):
        if isinstance(exc, OSError):
            return disk_error(exc, path)
        return ZhibiError(
            f"磁盘已满，无法写入索引（{path}）", hint="请清理磁盘空间后重试，已导入的内容未丢失"
        )
    return None


def _recency(meta: dict) -> tuple[float, str]:
    return float(meta.get("doc_time", 0)), str(meta.get("doc_build", ""))


def _describe_replacement(live: dict, doc: SourceDoc) -> str:
    when = datetime.fromtimestamp(float(live.get("doc_time", 0))).strftime("%Y-%m-%d %H:%M")
    old = f"{int(live.get('doc_chunks', 0))} 个片段，{when} 导入"
    if live.get("doc_path") == doc.meta.path:
        return f"《{doc.meta.title}》：{doc.meta.path} 的内容已改变，将替换索引里的旧版（{old}）"
    return f"《{doc.meta.title}》：将用 {doc.meta.path} 替换索引里来自 {live.get('doc_path') or '未知来源'} 的一篇（{old}）"


def _doc_key(title: str) -> str:
    """The first part of every chunk id of a document."""
    return hashlib.sha1(title.encode()).hexdigest()[:16]
