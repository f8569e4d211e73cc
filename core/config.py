"""Settings in one place: explicit argument, then environment variable (ZHIBI_*), then default."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = PROJECT_ROOT / "corpus"
PROMPTS_DIR = PROJECT_ROOT / "prompts"
DEFAULT_OUTLINE = PROJECT_ROOT / "drafting" / "outline.toml"


def default_home() -> Path:
    """~/.local/share/zhibi (XDG_DATA_HOME respected); ZHIBI_HOME moves it."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "zhibi"


@dataclass(frozen=True)
class Settings:
    home: Path
    chroma_url: str = ""  # http(s)://host:port of a Chroma server; "" = embedded PersistentClient
    collection: str = "zhibi"
    embed_base_url: str = ""  # OpenAI-compatible /v1 embeddings endpoint; "" = bundled USE model
    embed_model: str = ""
    embed_api_key: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = ""
    llm_timeout: float = 60.0
    llm_retries: int = 2
    llm_context_tokens: int = 8000  # budget for the prompt of one section
    llm_temperature: float = 0.2
    llm_max_tokens: int = 4096  # longest reply in tokens, sent as max_tokens; 0 = the server's default
    llm_max_chars: int = 8000  # characters of one section's reply, enforced on the stream; 0 = no cap
    llm_request_deadline: float = 300.0  # wall-clock seconds for one request, however slowly it streams
    llm_draft_deadline: float = 1800.0  # wall-clock seconds of LLM work per draft, then the offline engine
    # JSON object merged into every chat request body, e.g. {"chat_template_kwargs": {"enable_thinking": false}}
    llm_extra_body: str = ""
    # failed requests in a row (retries included) before the rest of a draft goes to the offline engine; 0 = never
    llm_failures_before_offline: int = 3
    chunk_tokens: int = 320
    url_timeout: float = 60.0  # seconds for a whole page download in `zhibi ingest URL`
    lock_timeout: float = 60.0  # seconds a write waits for another process's index lock (0 = for ever)
    outline_path: Path = DEFAULT_OUTLINE
    # -- a city deployment (issue 20): shared database, stateless workers, one LLM server for all --
    # postgresql+psycopg://user:pass@host:5432/db; "" = the SQLite file under home (db_path)
    database_url: str = ""
    db_pool_size: int = 5  # pooled connections per worker (plus as many again on bursts)
    history_quota_mb: float = (
        100.0  # per owner: past it, the owner's oldest sessions are pruned (0 = no quota)
    )
    # LLM requests in flight at once from this worker, queued fairly across owners; 0 = no limit
    llm_concurrency: int = 4
    # failed LLM requests in a row, over every worker, after which all of them stop sending for a cool-down
    llm_breaker_failures: int = 5
    llm_breaker_cooldown: float = 30.0  # seconds before one worker tries the server again
    job_heartbeat: float = 5.0  # seconds between a running job's heartbeats
    job_stale: float = 30.0  # a running job whose heartbeat is older than this is failed (its worker died)
    job_max_seconds: float = 1800.0  # no draft job runs longer than this, heartbeat or not

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def audit_dir(self) -> Path:
        return self.home / "audit"

    @property
    def db_path(self) -> Path:
        return self.home / "workspace.sqlite3"

    @property
    def database(self) -> str:
        """Where the history, open work, jobs and secrets live: ZHIBI_DATABASE_URL, else the SQLite file."""
        return self.database_url or str(self.db_path)

    @property
    def llm_extra(self) -> dict[str, object]:
        """ZHIBI_LLM_EXTRA_BODY parsed (validated when the settings were built)."""
        import json

        return json.loads(self.llm_extra_body) if self.llm_extra_body.strip() else {}

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)


_ENV = {
    "home": ("ZHIBI_HOME",),
    "chroma_url": ("ZHIBI_CHROMA_URL",),
    "collection": ("ZHIBI_COLLECTION",),
    "embed_base_url": ("ZHIBI_EMBED_BASE_URL",),
    "embed_model": ("ZHIBI_EMBED_MODEL",),
    "embed_api_key": ("ZHIBI_EMBED_API_KEY",),
    "llm_base_url": ("ZHIBI_LLM_BASE_URL", "OPENAI_BASE_URL"),
    "llm_api_key": ("ZHIBI_LLM_API_KEY", "OPENAI_API_KEY"),
    "llm_model": ("ZHIBI_LLM_MODEL",),
    "llm_timeout": ("ZHIBI_LLM_TIMEOUT",),
    "llm_retries": ("ZHIBI_LLM_RETRIES",),
    "llm_context_tokens": ("ZHIBI_LLM_CONTEXT_TOKENS",),
    "llm_temperature": ("ZHIBI_LLM_TEMPERATURE",),
    "llm_max_tokens": ("ZHIBI_LLM_MAX_TOKENS",),
    "llm_max_chars": ("ZHIBI_LLM_MAX_CHARS",),
    "llm_request_deadline": ("ZHIBI_LLM_DEADLINE",),
    "llm_draft_deadline": ("ZHIBI_LLM_DRAFT_DEADLINE",),
    "llm_extra_body": ("ZHIBI_LLM_EXTRA_BODY",),
    "llm_failures_before_offline": ("ZHIBI_LLM_FAILURES_BEFORE_OFFLINE",),
    "chunk_tokens": ("ZHIBI_CHUNK_TOKENS",),
    "url_timeout": ("ZHIBI_URL_TIMEOUT",),
    "lock_timeout": ("ZHIBI_LOCK_TIMEOUT",),
    "outline_path": ("ZHIBI_OUTLINE",),
    "database_url": ("ZHIBI_DATABASE_URL",),
    "db_pool_size": ("ZHIBI_DB_POOL_SIZE",),
    "history_quota_mb": ("ZHIBI_HISTORY_QUOTA_MB",),
    "llm_concurrency": ("ZHIBI_LLM_CONCURRENCY",),
    "llm_breaker_failures": ("ZHIBI_LLM_BREAKER_FAILURES",),
    "llm_breaker_cooldown": ("ZHIBI_LLM_BREAKER_COOLDOWN",),
    "job_heartbeat": ("ZHIBI_JOB_HEARTBEAT",),
    "job_stale": ("ZHIBI_JOB_STALE",),
    "job_max_seconds": ("ZHIBI_JOB_MAX_SECONDS",),
}


def resolve_settings(env: dict[str, str] | None = None, **explicit: object) -> Settings:
    """Build Settings: explicit keyword (when not None) > ZHIBI_* variable (> OPENAI_* fallback) > default."""
    from core.errors import ZhibiError

    env = os.environ if env is None else env
    values: dict[str, object] = {}
    types = {f.name: f.type for f in fields(Settings)}
    for name in types:
        if explicit.get(name) is not None:
            values[name] = explicit[name]
            continue
        for var in _ENV.get(name, ()):
            raw = env.get(var, "").strip()
            if raw:
                values[name] = _coerce(name, raw, var, ZhibiError)
                break
    unknown = set(explicit) - set(types)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    values.setdefault("home", default_home())
    values["home"] = Path(values["home"]).expanduser()  # type: ignore[arg-type]
    if "outline_path" in values:
        values["outline_path"] = Path(values["outline_path"]).expanduser()  # type: ignore[arg-type]
    if values.get("llm_extra_body"):
        values["llm_extra_body"] = _check_extra_body(values["llm_extra_body"], ZhibiError)
    return Settings(**values)  # type: ignore[arg-type]


def _check_extra_body(raw: object, error: type[Exception]) -> str:
    """ZHIBI_LLM_EXTRA_BODY must be a JSON object (a dict given explicitly is accepted and stored as JSON)."""
    import json

    if isinstance(raw, dict):
        return json.dumps(raw, ensure_ascii=False)
    try:
        parsed = json.loads(str(raw))
    except ValueError as exc:
        raise error(
            f"ZHIBI_LLM_EXTRA_BODY 不是合法的 JSON：{exc}",
            hint='请写成 JSON 对象，例如 {"chat_template_kwargs": {"enable_thinking": false}}',
        ) from None
    if not isinstance(parsed, dict):
        raise error(
            "ZHIBI_LLM_EXTRA_BODY 必须是 JSON 对象（{…}）",
            hint='例如 Ollama 关闭思考：{"think": false}',
        )
    return str(raw)


def _coerce(name: str, raw: str, var: str, error: type[Exception]) -> object:
    numeric = {
        "url_timeout": float,
        "lock_timeout": float,
        "llm_timeout": float,
        "llm_retries": int,
        "llm_context_tokens": int,
        "chunk_tokens": int,
        "llm_temperature": float,
        "llm_max_tokens": int,
        "llm_max_chars": int,
        "llm_request_deadline": float,
        "llm_draft_deadline": float,
        "llm_failures_before_offline": int,
        "db_pool_size": int,
        "history_quota_mb": float,
        "llm_concurrency": int,
        "llm_breaker_failures": int,
        "llm_breaker_cooldown": float,
        "job_heartbeat": float,
        "job_stale": float,
        "job_max_seconds": float,
    }
    if name in numeric:
        try:
            return numeric[name](raw)
        except ValueError:
            raise error(f"环境变量 {var}={raw!r} 不是数字", hint=f"请把 {var} 设为数字或删除它") from None
    return raw
