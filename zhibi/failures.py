"""Failures of the machine that a user can fix, told as one line: the cause and what to do.

Used at the edges (the CLI's exit code 2, the web page's message) for what escapes the layers that know more:
a full disk while writing history, audit records or exports; a damaged history database.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import ZhibiError
from core.files import disk_error, is_disk_error

_CORRUPT = (
    "file is not a database",
    "database disk image is malformed",
    "file is encrypted or is not a database",
)


def explain(exc: BaseException, history: Path | None = None) -> ZhibiError | None:
    """A ZhibiError for a failure the user can fix, or None (a bug: raise it as it is)."""
    if isinstance(exc, ZhibiError):
        return exc
    if is_disk_error(exc):
        if isinstance(exc, OSError):
            return disk_error(exc, getattr(exc, "filename", None))
        return ZhibiError(
            "磁盘已满（或无法写入），未能保存", hint="请清理磁盘空间后重试，已保存的笔记和草稿未丢失"
        )
    if _is_database_error(exc) and any(m in str(exc) for m in _CORRUPT):
        where = f" {history}" if history else ""
        return ZhibiError(
            f"历史数据库{where}已损坏（{(str(exc).splitlines() or [''])[0][:80]}）",
            hint="请停止服务，把它改名备份后重启（会新建空的历史库；旧库可用 sqlite3 的 .recover 找回内容）",
        )
    return None


def _is_database_error(exc: BaseException) -> bool:
    # sqlite3.DatabaseError, or SQLAlchemy's DatabaseError wrapping it (the history may move to SQLAlchemy)
    return any(c.__name__ == "DatabaseError" for c in type(exc).__mro__)
