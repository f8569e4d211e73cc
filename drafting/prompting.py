"""Prompt templates (prompts/<name>.md, `{{ variable }}` placeholders) and tiktoken-based token counting."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from core import config
from core.errors import ZhibiError

ENCODING = "o200k_base"


class PromptError(ZhibiError, KeyError):
    """A prompt template is missing, or a variable it uses was not given."""


def prompt_path(name: str) -> Path:
    return Path(config.PROMPTS_DIR) / f"{name}.md"


@functools.cache
def _environment(prompts_dir: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )


def _template(name: str) -> jinja2.Template:
    env = _environment(str(config.PROMPTS_DIR))
    try:
        return env.get_template(f"{name}.md")
    except jinja2.TemplateNotFound:
        raise PromptError(
            f"找不到提示词模板 {prompt_path(name)}", hint="请检查 prompts/ 目录是否完整"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(
            f"提示词模板 {prompt_path(name)} 第 {exc.lineno} 行语法错误：{exc.message}"
        ) from None


def variables(name: str) -> set[str]:
    """The placeholder names a template uses (for tests and callers that build variables generically)."""
    env = _environment(str(config.PROMPTS_DIR))
    source = prompt_path(name).read_text(encoding="utf-8")
    return set(jinja2.meta.find_undeclared_variables(env.parse(source)))


def render(name: str, **values: Any) -> str:
    """Render prompts/<name>.md; a placeholder without a value raises PromptError, extra values are ignored."""
    template = _template(name)
    try:
        text = template.render(**values)
    except jinja2.UndefinedError as exc:
        missing = sorted(variables(name) - set(values))
        what = "、".join(missing) if missing else str(exc)
        raise PromptError(
            f"提示词模板 {name}.md 缺少变量：{what}", hint="调用 render() 时须提供全部变量"
        ) from None
    return text.strip() + "\n"


# -- tokens -------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _encoder():
    from core.offline import prepare_offline

    prepare_offline()
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    if not text:
        return 0
    return len(_encoder().encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, n: int) -> str:
    """The longest prefix of `text` that is at most n tokens, never ending in half a character."""
    if n <= 0 or not text:
        return ""
    enc = _encoder()
    tokens = enc.encode(text, disallowed_special=())
    if len(tokens) <= n:
        return text
    return enc.decode_bytes(tokens[:n]).decode("utf-8", errors="ignore")
