"""Accounts of a deployment: who may sign in, the unit (单位) each belongs to, and who keeps the shared corpus.

Sources, in order of use:
- `--auth-file FILE`: one account a line, `用户:密码` or `用户:密码:单位:角色` (角色 admin/管理员 or user/用户).
  The password column may hold a `pbkdf2_sha256$迭代次数$盐$摘要` hash instead of the password itself.
- `--auth USER` with the password in `ZHIBI_AUTH_PASSWORD` (never on the command line: argv is public in `ps`).
- A trusted header set by the city's single sign-on proxy (`ZHIBI_TRUSTED_USER_HEADER`, off by default), accepted
  only from the addresses in `ZHIBI_TRUSTED_PROXIES`; its unit comes from `ZHIBI_TRUSTED_UNIT_HEADER`, and the
  accounts named in `ZHIBI_ADMINS` are administrators.

Failed sign-ins are throttled per account: after `MAX_FAILURES` failures within `FAILURE_WINDOW` seconds the
account is refused, whatever the password, for `LOCKOUT` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from core.errors import ZhibiError

ADMIN = "admin"
USER = "user"
ROLE_NAMES = {"admin": ADMIN, "管理员": ADMIN, "user": USER, "用户": USER, "": USER}

MIN_PASSWORD = 10
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60.0
LOCKOUT = 5 * 60.0
PASSWORD_ENV = "ZHIBI_AUTH_PASSWORD"
# Passwords seen first in every leaked list; the length rule alone lets some of them through.
COMMON = {
    "1234567890", "12345678910", "0123456789", "qwertyuiop", "1q2w3e4r5t", "password12", "password123",
    "admin12345", "admin123456", "abc1234567", "a123456789", "1qaz2wsx3edc", "qwerty1234", "iloveyou12",
    "woaini1314", "woaini520", "zhibi12345", "1111111111", "8888888888", "6666666666", "5201314520",
}  # fmt: skip


@dataclass(frozen=True)
class Account:
    name: str
    secret: str  # the password, or a pbkdf2_sha256$… hash of it; "" for accounts from the SSO header
    unit: str = ""  # "" = no unit: sees only the shared corpus and the unit-less documents
    role: str = USER

    @property
    def admin(self) -> bool:
        return self.role == ADMIN


def hash_password(password: str, *, iterations: int = 200_000, salt: bytes | None = None) -> str:
    """A pbkdf2_sha256$… string for the auth file (`zhibi` never needs the password itself then)."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "$".join(
        ["pbkdf2_sha256", str(iterations), base64.b64encode(salt).decode(), base64.b64encode(digest).decode()]
    )


def _matches(secret: str, password: str) -> bool:
    if secret.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = secret.split("$")
            got = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
        except ValueError:
            return False
        return hmac.compare_digest(got, base64.b64decode(digest))
    return hmac.compare_digest(secret.encode(), password.encode())


def password_problem(user: str, password: str) -> str:
    """Why a password is too weak ("" when it is fine). Hashed passwords were checked when they were made."""
    if password.startswith("pbkdf2_sha256$"):
        return ""
    if len(password) < MIN_PASSWORD:
        return f"少于 {MIN_PASSWORD} 个字符"
    low = password.lower()
    if low in COMMON or len(set(password)) <= 2:
        return "是常见的弱密码"
    if len(user) >= 3 and user.lower() in low:
        return "包含账号名"
    if password.isdigit():
        return "只有数字"
    return ""


@dataclass
class Throttle:
    """Failed sign-ins per key (an account or an address): too many in a window lock the key for a while."""

    max_failures: int = MAX_FAILURES
    window: float = FAILURE_WINDOW
    lockout: float = LOCKOUT
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked(self, key: str) -> bool:
        with self._lock:
            return self._locked_until.get(key, 0.0) > self.clock()

    def failed(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
            self._failures[key] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout
                self._failures[key] = []
            # Bounded memory under a flood of invented names: forget the oldest keys.
            if len(self._failures) > 10_000:
                for old in list(self._failures)[:5_000]:
                    del self._failures[old]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


@dataclass
class Accounts:
    """The accounts of one server, and the sign-in check Gradio calls (`auth=accounts.check`)."""

    by_name: dict[str, Account] = field(default_factory=dict)
    throttle: Throttle = field(default_factory=Throttle)

    def __bool__(self) -> bool:
        return bool(self.by_name)

    def get(self, name: str | None) -> Account | None:
        return self.by_name.get(name or "")

    def check(self, username: str, password: str) -> bool:
        """Gradio's login callback: right password, account not locked by recent failures."""
        name = (username or "").strip()
        if self.throttle.locked(name):
            return False
        account = self.by_name.get(name)
        if account is not None and account.secret and _matches(account.secret, password or ""):
            self.throttle.succeeded(name)
            return True
        self.throttle.failed(name)
        return False

    @classmethod
    def of_pairs(cls, pairs: list[tuple[str, str]]) -> Accounts:
        return cls({u: Account(u, p) for u, p in pairs})


def parse_line(line: str, where: str) -> Account:
    """`用户:密码` or `用户:密码:单位:角色`; a plain password may contain ":" only in the two-column form."""
    parts = line.split(":")
    if len(parts) >= 4 and parts[-1].strip().lower() in ROLE_NAMES and parts[-1].strip():
        user, unit, role = parts[0], parts[-2], parts[-1]
        password = ":".join(parts[1:-2])
    else:
        user, _, password = line.partition(":")
        unit, role = "", ""
        if len(parts) == 3:
            raise ZhibiError(
                f"{where} 有三列", hint="写成 用户:密码 或 用户:密码:单位:角色（角色为 admin 或 user）"
            )
    user = user.strip()
    if not user or not password:
        raise ZhibiError(f"{where} 的账号格式不对", hint="应为 用户:密码 或 用户:密码:单位:角色")
    return Account(user, password, unit.strip(), ROLE_NAMES[role.strip().lower()])


def read_accounts(
    auth: str | None,
    auth_file: str | None,
    env: Mapping[str, str] | None = None,
    *,
    check_strength: bool = True,
) -> Accounts | None:
    """Accounts from `--auth USER` (password in ZHIBI_AUTH_PASSWORD) and `--auth-file`; None when neither."""
    env = os.environ if env is None else env
    found: list[Account] = []
    if auth:
        if ":" in auth:
            raise ZhibiError(
                "密码不能写在命令行里（其他用户可在进程列表中看到）",
                hint=f"改为 --auth 用户名，并把密码放在环境变量 {PASSWORD_ENV} 中，或使用 --auth-file",
            )
        password = env.get(PASSWORD_ENV, "")
        if not password:
            raise ZhibiError(f"--auth {auth} 没有密码", hint=f"把密码放在环境变量 {PASSWORD_ENV} 中")
        found.append(
            Account(auth.strip(), password, role=ADMIN)
        )  # the one account of a server keeps its corpus
    if auth_file:
        path = Path(auth_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ZhibiError(
                f"无法读取账号文件 {path}：{exc.strerror or exc}", hint="检查 --auth-file 的路径"
            ) from None
        before = len(found)
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if line and not line.startswith("#"):
                found.append(parse_line(line, f"{path} 第 {n} 行"))
        if len(found) == before:
            raise ZhibiError(f"账号文件 {path} 中没有账号", hint="每行写一个 用户:密码:单位:角色")
    if not found:
        return None
    if check_strength:
        for account in found:
            if problem := password_problem(account.name, account.secret):
                raise ZhibiError(
                    f"账号 {account.name} 的密码{problem}",
                    hint=f"请换一个至少 {MIN_PASSWORD} 个字符、不含账号名、不只是数字的密码",
                )
    names = [a.name for a in found]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ZhibiError(f"账号重复：{'、'.join(twice)}", hint="每个账号只写一行")
    return Accounts({a.name: a for a in found})


@dataclass(frozen=True)
class TrustedHeader:
    """Sign-in by a header of the single sign-on proxy; only requests from the proxy's own addresses count."""

    user_header: str
    proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    unit_header: str = ""
    admins: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TrustedHeader | None:
        env = os.environ if env is None else env
        header = env.get("ZHIBI_TRUSTED_USER_HEADER", "").strip()
        if not header:
            return None
        raw = [p.strip() for p in env.get("ZHIBI_TRUSTED_PROXIES", "").split(",") if p.strip()]
        if not raw:
            raise ZhibiError(
                "设置了 ZHIBI_TRUSTED_USER_HEADER，但没有设置 ZHIBI_TRUSTED_PROXIES",
                hint="把单点登录代理的地址写进 ZHIBI_TRUSTED_PROXIES（逗号分隔），否则任何人都能冒充账号",
            )
        try:
            proxies = tuple(ipaddress.ip_network(p, strict=False) for p in raw)
        except ValueError as exc:
            raise ZhibiError(f"ZHIBI_TRUSTED_PROXIES 中有无效地址：{exc}", hint="写成 IP 或网段") from None
        admins = frozenset(a.strip() for a in env.get("ZHIBI_ADMINS", "").split(",") if a.strip())
        unit = env.get("ZHIBI_TRUSTED_UNIT_HEADER", "").strip()
        return cls(header, proxies, unit, admins)

    def trusted(self, host: str | None) -> bool:
        try:
            addr = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(addr in net for net in self.proxies)

    def account(self, host: str | None, headers: Mapping[str, str]) -> Account | None:
        """The account a request names, or None (not from a trusted proxy, or no user header)."""
        if not self.trusted(host):
            return None
        name = (headers.get(self.user_header) or "").strip()[:100]
        if not name:
            return None
        # Header values are Latin-1 on the wire: a proxy sends a Chinese unit name percent-encoded.
        unit = unquote((headers.get(self.unit_header) or "").strip())[:100] if self.unit_header else ""
        return Account(name, "", unit, ADMIN if name in self.admins else USER)
