"""chromadb EmbeddingFunctions for our embedders, registered so a reopened collection finds them.

We always pass one of these: chromadb's default embedding function would download a model.
"""

from __future__ import annotations

import os
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from retrieval.embed import Embedder, OpenAIEmbedder, UseEmbedder


@register_embedding_function
class ZhibiUseFunction(EmbeddingFunction[Documents]):
    """chromadb face of the bundled USE model."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(UseEmbedder().embed(list(input)))

    @staticmethod
    def name() -> str:
        return "zhibi_use"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ZhibiUseFunction:
        return ZhibiUseFunction()

    def get_config(self) -> dict[str, Any]:
        return {}


@register_embedding_function
class ZhibiOpenAIFunction(EmbeddingFunction[Documents]):
    """chromadb face of an OpenAI-compatible endpoint; the API key is read from ZHIBI_EMBED_API_KEY, never stored."""

    def __init__(self, base_url: str, model: str, embedder: OpenAIEmbedder | None = None) -> None:
        self.base_url = base_url
        self.model = model
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            self._embedder = OpenAIEmbedder(
                self.base_url, self.model, os.environ.get("ZHIBI_EMBED_API_KEY", "")
            )
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "zhibi_openai"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ZhibiOpenAIFunction:
        return ZhibiOpenAIFunction(base_url=config.get("base_url", ""), model=config.get("model", ""))

    def get_config(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "model": self.model}


def chroma_function_for(embedder: Embedder) -> EmbeddingFunction[Documents]:
    """The chromadb face of one of our embedders."""
    if isinstance(embedder, OpenAIEmbedder):
        return ZhibiOpenAIFunction(base_url=embedder.base_url, model=embedder.model, embedder=embedder)
    return ZhibiUseFunction()
