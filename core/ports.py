"""What drafting needs from outside, as protocols: the corpus (retrieval's Index is one) and a chat model
(drafting/engines/llm/client.py has the OpenAI-compatible one). Drafting sees these, never chromadb or langchain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from core.types import Chunk, DocumentInfo, Passage

Message = tuple[str, str]  # (role, content)


class Corpus(Protocol):
    """What drafting needs of retrieval (retrieval.index.Index is one)."""

    def search(self, query: str, k: int = 5, *, kind: str | None = None) -> list[Passage]: ...

    def documents(self) -> list[DocumentInfo]: ...

    def chunks(self, title: str) -> list[Chunk]: ...

    def document_text(self, title: str) -> str: ...


class ChatModel(Protocol):
    def complete(self, messages: list[Message]) -> str:
        """The whole reply to `messages`."""
        ...

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """The reply in pieces as they arrive."""
        ...
