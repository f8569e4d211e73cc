"""Which outline file the offline engine reads its vocabulary from: the configured one (ZHIBI_OUTLINE), set for
the duration of one write() from SectionContext.outline_path, else the bundled one."""

from __future__ import annotations

from contextvars import ContextVar

from core.config import DEFAULT_OUTLINE

# A context variable, not a global: two drafts with different outlines may run at once on one server.
_OUTLINE: ContextVar[str] = ContextVar("zhibi_outline", default=str(DEFAULT_OUTLINE))


def outline_path() -> str:
    return _OUTLINE.get()


def using_outline(path: str):  # noqa: ANN201 - a contextvars Token
    return _OUTLINE.set(path or str(DEFAULT_OUTLINE))


def done_with_outline(token) -> None:  # noqa: ANN001
    _OUTLINE.reset(token)
