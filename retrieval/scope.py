"""Whose documents a search may see: shared documents (no unit) and the documents of the viewer's own unit.

The viewer is set around a request (`with viewing(unit): ...`) by the web server, which knows the account; it is
a context variable, so every search, document list and chunk read under it is filtered without each caller of
the index passing the unit along. No viewer (the CLI, a server without accounts) sees everything.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    unit: str  # "" = an account of no unit: shared documents only


_viewer: contextvars.ContextVar[Viewer | None] = contextvars.ContextVar("zhibi_viewer", default=None)


def current() -> Viewer | None:
    return _viewer.get()


@contextlib.contextmanager
def viewing(unit: str | None) -> Iterator[None]:
    """Within the block, only shared documents and those of `unit` are visible (None: no filter)."""
    token = _viewer.set(None if unit is None else Viewer(unit))
    try:
        yield
    finally:
        _viewer.reset(token)


def visible(meta: dict, viewer: Viewer | None = None) -> bool:
    """Whether a document (its metadata) may be seen by the viewer (the current one by default)."""
    viewer = viewer if viewer is not None else current()
    if viewer is None:
        return True
    owner = str(meta.get("unit") or "")
    return not owner or owner == viewer.unit
