"""Files private to the service's user, and disk failures turned into one line that names the fix.

History, audit records, exports and uploads hold other people's notes: they are created 0600 in folders 0700,
whatever the umask of the shell that started the server. `restrict_umask()` makes every new file private;
`secure_home()` tightens what an older version left readable.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from core.errors import ZhibiError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# Under ZHIBI_HOME: what holds user data (the index is the corpus, shared by design but still the service's own).
PRIVATE_CHILDREN = ("audit", "files", "workspace.sqlite3", "workspace.sqlite3-wal", "workspace.sqlite3-shm")


def restrict_umask() -> int:
    """New files 0600 and folders 0700 from now on in this process; returns the previous umask."""
    return os.umask(0o077)


def private_dir(path: Path) -> Path:
    """Create the folder (and parents) if needed and make it 0700."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    try:
        path.chmod(PRIVATE_DIR)
    except OSError as exc:
        raise disk_error(exc, path) from None
    return path


def secure_home(home: Path) -> None:
    """ZHIBI_HOME 0700; the history database, audit records and served files 0600 (folders 0700)."""
    home = Path(home)
    if not home.exists():
        return
    try:
        home.chmod(PRIVATE_DIR)
        for name in PRIVATE_CHILDREN:
            child = home / name
            if child.is_dir():
                for folder, _dirs, files in os.walk(child):
                    os.chmod(folder, PRIVATE_DIR)
                    for f in files:
                        p = os.path.join(folder, f)
                        if not os.path.islink(p):
                            os.chmod(p, PRIVATE_FILE)
            elif child.is_file():
                child.chmod(PRIVATE_FILE)
    except OSError as exc:
        raise disk_error(exc, home) from None


def mode_of(path: Path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


def disk_error(exc: OSError, where: Path | str | None = None) -> ZhibiError:
    """A ZhibiError naming the cause and the fix for the disk failures a user can do something about;
    any other OSError is returned unchanged in meaning (a generic message with its text)."""
    place = f"（{where}）" if where else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ZhibiError(
            f"磁盘已满，无法写入{place}",
            hint="请清理磁盘空间或把 ZHIBI_HOME 移到空间充足的磁盘后重试，已有内容未丢失",
        )
    if exc.errno == errno.EROFS:
        return ZhibiError(f"磁盘是只读的，无法写入{place}", hint="请把 ZHIBI_HOME 设到可写的文件夹")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ZhibiError(
            f"没有写入权限{place}", hint="请用拥有 ZHIBI_HOME 的用户运行，或把 ZHIBI_HOME 设到自己的文件夹"
        )
    return ZhibiError(f"读写文件失败{place}：{exc.strerror or exc}", hint="请检查磁盘和 ZHIBI_HOME 后重试")


def is_disk_error(exc: BaseException) -> bool:
    """An OSError a user fixes on the machine (full, read-only, no permission), also when sqlite reports it."""
    if isinstance(exc, OSError) and exc.errno in (
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
    ):
        return True
    text = str(exc).lower()
    # sqlite says "disk I/O error" when its journal cannot grow on a full disk
    return any(m in text for m in ("database or disk is full", "no space left", "disk i/o error"))
