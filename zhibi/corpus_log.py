"""The record of corpus changes: who added, replaced, removed or confirmed which document, when, with which hashes.

One JSON object a line in `$ZHIBI_HOME/corpus-changes.jsonl` (0600), appended under an exclusive lock so
processes sharing a home never interleave lines. A replaced or removed statute or policy document stays
*unconfirmed* until an administrator confirms its current text (`zhibi corpus --confirm TITLE`, or the corpus
page); until then every draft citing it carries a notice.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.errors import ZhibiError
from core.files import disk_error

SHARED_KINDS = ("law", "policy")
MAX_READ = 50 * 1024 * 1024  # a record larger than this is read from its end only


@dataclass
class Change:
    action: str  # add | replace | remove | confirm
    title: str
    who: str  # the account, "cli:<os user>" for the command line
    when: float = field(default_factory=time.time)
    kind: str = ""
    old_sha256: str = ""
    new_sha256: str = ""
    unit: str = ""  # the unit the document belongs to; "" = shared

    def line(self) -> str:
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.when))
        hashes = f"{self.old_sha256[:12] or '—'} → {self.new_sha256[:12] or '—'}"
        return f"{stamp} {self.who} {ACTION_LABELS.get(self.action, self.action)}《{self.title}》（{hashes}）"


ACTION_LABELS = {"add": "新增", "replace": "替换", "remove": "删除", "confirm": "确认"}


class CorpusLog:
    def __init__(self, home: Path) -> None:
        self.path = Path(home) / "corpus-changes.jsonl"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except ImportError:  # Windows: appends of one short line are atomic enough
                pass
            yield fd
        finally:
            os.close(fd)

    def append(self, changes: list[Change]) -> None:
        if not changes:
            return
        data = "".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in changes).encode()
        try:
            with self._locked() as fd:
                os.write(fd, data)
        except OSError as exc:
            raise disk_error(exc, self.path) from None

    def changes(self) -> list[Change]:
        try:
            with open(self.path, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                f.seek(max(0, size - MAX_READ))
                raw = f.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise disk_error(exc, self.path) from None
        out = []
        for line in raw.decode("utf-8", "replace").splitlines():
            try:
                data = json.loads(line)
                out.append(Change(**{k: v for k, v in data.items() if k in Change.__dataclass_fields__}))
            except (ValueError, TypeError):
                continue  # a line cut by a crash (or the head of a record read from its end)
        return out

    def unconfirmed(self) -> dict[str, Change]:
        """Shared documents changed since an administrator last confirmed them: title -> the latest change."""
        pending: dict[str, Change] = {}
        for c in self.changes():
            if c.action == "confirm":
                pending.pop(c.title, None)
            elif c.action in ("replace", "remove") and c.kind in SHARED_KINDS and not c.unit:
                pending[c.title] = c
            elif c.action == "add":
                pending.pop(c.title, None)  # a new title has no earlier text anyone relied on
        return pending

    def confirm(self, title: str, who: str) -> Change:
        pending = self.unconfirmed()
        if title not in pending:
            raise ZhibiError(f"《{title}》没有待确认的改动", hint="用 zhibi corpus --changes 查看改动记录")
        change = Change("confirm", title, who, kind=pending[title].kind, new_sha256=pending[title].new_sha256)
        self.append([change])
        return change


def notice(change: Change) -> str:
    """The line a draft citing a changed statute carries until an administrator confirms it."""
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(change.when))
    done = "删除" if change.action == "remove" else "替换"
    return (
        f"《{change.title}》已于 {stamp} 被 {change.who} {done}，管理员尚未确认新文本；"
        "引用前请核对条文原文，或请管理员在“语料库”页确认"
    )


def who(actor: object | None) -> str:
    """The name a change is recorded under: the account, else the operating-system user of the command line."""
    name = getattr(actor, "name", "")
    if name:
        return name
    import getpass

    try:
        return f"本机:{getpass.getuser()}"
    except (KeyError, OSError):
        return "本机"


def may_ingest(actor: object | None) -> object:
    """The check Index.ingest runs for each document before anything is written.

    No actor (the command line, a server without accounts) and administrators may write anything; an account of
    a unit adds and replaces only its unit's own documents (past reports, uploads), never a statute or policy
    document, and never a title another unit or the shared corpus already holds."""

    def check(doc: object, live: dict | None) -> None:
        if actor is None or getattr(actor, "admin", False):
            return
        meta = getattr(doc, "meta", None)
        title, kind = getattr(meta, "title", ""), getattr(meta, "kind", "")
        unit = getattr(actor, "unit", "")
        if not unit:
            raise ZhibiError(
                "当前账号没有所属单位，不能上传文档", hint="请管理员在账号文件中为该账号填写单位"
            )
        if kind in SHARED_KINDS:
            raise ZhibiError(
                f"《{title}》是法律法规或政策文件，只有管理员可以导入或替换",
                hint="请联系管理员；本单位的往年报告请按“往年报告”类别上传",
            )
        if live is not None and (live.get("unit") or "") != unit:
            owner = "共享语料" if not live.get("unit") else "其他单位"
            raise ZhibiError(
                f"《{title}》已属于{owner}，不能替换", hint="请给本单位的文档另起标题，或请管理员处理"
            )

    return check


def may_remove(actor: object | None) -> object:
    """The check Index.remove runs: administrators remove anything, an account only its unit's documents."""

    def check(live: dict) -> None:
        if actor is None or getattr(actor, "admin", False):
            return
        if not live.get("unit") or live.get("unit") != getattr(actor, "unit", ""):
            raise ZhibiError(
                f"《{live.get('title', '')}》不属于本单位，只有管理员可以删除", hint="请联系管理员"
            )

    return check
