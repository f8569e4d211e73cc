"""The LLM engine: one section's context → prompt within a token budget → streamed reply → clean 公文 text."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field

from core.config import Settings
from core.errors import LLMUnavailable
from core.ports import ChatModel, Message
from core.types import CLAUSE_ROLES, Clause, Fact, Source
from drafting.engines.base import SectionContext, TokenFn
from drafting.engines.llm.client import OpenAICompatibleModel, Thinking, collect
from drafting.engines.llm.hygiene import Cleaned, StreamCleaner, clean
from drafting.prompting import count_tokens, render, truncate_to_tokens

log = logging.getLogger("zhibi.llm")

PRIOR_MIN_TOKENS = 300  # last year's section is cut down to this before it is dropped
QUOTE_CAPS = (320, 160, 80)  # successive caps on each source quote
MESSAGE_OVERHEAD = 4  # tokens the chat format adds per message
ELLIPSIS = "……"
REPORT_TAG = "（往年报告，只借鉴写法）"


@dataclass
class Budget:
    """How the prompt was fitted into settings.llm_context_tokens (kept for the audit record)."""

    limit: int
    tokens: int = 0
    quote_cap: int | None = None
    prior_tokens: int | None = None  # None: kept whole; 0: dropped
    dropped_sources: list[int] = field(default_factory=list)
    dropped_context: list[str] = field(default_factory=list)  # "style", "written", "outline"
    over: bool = False  # facts alone did not fit: sent anyway, facts are never cut


class LLMEngine:
    name = "llm"

    def __init__(self, model: ChatModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings
        self.last_prompt: list[Message] = []
        self.last_raw = ""
        self.last_clean: Cleaned | None = None
        self.last_budget: Budget | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMEngine:
        return cls(OpenAICompatibleModel(settings), settings)

    # Engine ---------------------------------------------------------------------
    def write(self, ctx: SectionContext, on_token: TokenFn | None = None) -> str:
        messages, budget = self.build_messages(ctx)
        self.last_prompt = messages
        self.last_budget = budget
        self.last_raw = ""
        self.last_clean = None
        pieces: list[str] = []
        cleaner = StreamCleaner(ctx.heading, ctx.title)

        def shown(piece: str) -> None:
            if isinstance(piece, Thinking):
                visible = cleaner.feed_reasoning(piece)
            else:
                pieces.append(piece)
                visible = cleaner.feed(piece)
            if on_token is not None and visible:
                on_token(visible)

        try:
            raw = collect(iter(self.model.stream(messages)), shown)
        except BaseException:
            self.last_raw = "".join(pieces)
            raise
        self.last_raw = raw
        cleaned = clean(
            raw,
            heading=ctx.heading,
            title=ctx.title,
            reasoning=getattr(raw, "reasoning", ""),
            truncated=getattr(raw, "truncated", False),
        )
        self.last_clean = cleaned
        try:
            self._accept_or_reject(ctx, cleaned)
        except LLMUnavailable as exc:
            reject = getattr(self.model, "reject", None)
            raise (reject(exc) if reject else exc) from None
        accept = getattr(self.model, "accept", None)
        if accept is not None:
            accept()
        rest = cleaner.finish(cleaned.text)
        if on_token is not None and rest:
            on_token(rest)
        return cleaned.text

    def _accept_or_reject(self, ctx: SectionContext, cleaned: Cleaned) -> None:
        """A reply with no section in it, or not in Chinese, fails like a request that failed."""
        name = ctx.title or ctx.heading
        all_english = not cleaned.text and any(r.startswith("英文") for r in cleaned.removed)
        if all_english:
            cleaned.han_share = 0.0  # say "not Chinese" rather than "empty"
        elif not cleaned.text:
            still = "（回复在推理阶段就达到了长度上限）" if cleaned.unfinished and cleaned.reasoning else ""
            raise LLMUnavailable(
                f"大模型对“{name}”返回了空白内容{still}",
                hint="请检查 ZHIBI_LLM_MODEL 是否为对话模型，推理模型可调大 ZHIBI_LLM_MAX_TOKENS，"
                "或改用离线引擎（--engine offline）",
            )
        if all_english or not cleaned.chinese:
            raise LLMUnavailable(
                f"大模型对“{name}”的回复不是中文（中文字符占 {cleaned.han_share:.0%}）",
                hint="请换用中文能力较好的模型（ZHIBI_LLM_MODEL），或改用离线引擎（--engine offline）",
            )

    # prompt ---------------------------------------------------------------------
    def build_messages(self, ctx: SectionContext) -> tuple[list[Message], Budget]:
        """system + user messages for ctx, fitted to the budget: facts whole; the rest cut in order of need."""
        limit = int(self.settings.llm_context_tokens)
        budget = Budget(limit=limit)
        system = render("section_system")
        sources = list(ctx.sources)
        prior = mask_figures(ctx.prior_text.strip())
        brief = section_brief(self.settings.outline_path, ctx.key)
        parts = {
            "outline": "\n".join(ctx.outline),
            "written": "\n".join(ctx.written),
            "style": brief.style,
        }
        quote_cap: int | None = None

        def build() -> list[Message]:
            user = render(
                "section_user",
                unit=ctx.unit,
                year=ctx.year,
                heading=ctx.title or ctx.heading,
                outline=parts["outline"],
                written=parts["written"],
                must=brief.must,
                facts=format_facts(ctx.facts, ctx.key),
                not_facts=format_not_facts(ctx.not_facts),
                sources=format_sources(sources, quote_cap),
                prior_text=prior,
                style=parts["style"],
                length=target_length(ctx),
                instruction=ctx.instruction.strip(),
                previous_text="" if ctx.repair else ctx.previous_text.strip(),
            )
            if ctx.repair:
                user += "\n" + render(
                    "repair",
                    problems="\n".join(f"{i}. {p}" for i, p in enumerate(ctx.repair, 1)),
                    previous_text=ctx.previous_text.strip(),
                )
            return [("system", system), ("user", user)]

        def size(messages: list[Message]) -> int:
            return sum(count_tokens(content) + MESSAGE_OVERHEAD for _, content in messages)

        messages = build()
        tokens = size(messages)

        def drop(name: str) -> None:
            nonlocal messages, tokens
            if tokens > limit and parts[name]:
                parts[name] = ""
                budget.dropped_context.append(name)
                messages = build()
                tokens = size(messages)

        # 1. last year's section: cut down, never below PRIOR_MIN_TOKENS here
        if tokens > limit and prior:
            have = count_tokens(prior)
            keep = max(PRIOR_MIN_TOKENS, have - (tokens - limit) - 8)
            if keep < have:
                prior = truncate_to_tokens(prior, keep) + ELLIPSIS
                budget.prior_tokens = keep
                messages = build()
                tokens = size(messages)
        # 2. the style example, then the openings of the sections already written
        drop("style")
        drop("written")
        # 3. each quote capped, tighter and tighter
        for cap in QUOTE_CAPS:
            if tokens <= limit or not sources:
                break
            quote_cap = cap
            budget.quote_cap = cap
            messages = build()
            tokens = size(messages)
        # 4. report passages (wording only) dropped, lowest ranked first
        while tokens > limit and any(s.kind == "report" for s in sources):
            victim = max(i for i, s in enumerate(sources) if s.kind == "report")
            budget.dropped_sources.append(sources.pop(victim).id)
            messages = build()
            tokens = size(messages)
        # 5. last year's section dropped
        if tokens > limit and prior:
            prior = ""
            budget.prior_tokens = 0
            messages = build()
            tokens = size(messages)
        # 6. law and policy passages dropped, lowest ranked first
        while tokens > limit and sources:
            budget.dropped_sources.append(sources.pop().id)
            messages = build()
            tokens = size(messages)
        # 7. the outline of the report
        drop("outline")
        budget.tokens = tokens
        if tokens > limit:
            budget.over = True
            log.warning(
                "“%s”的材料本身已超出提示词预算（%d > %d tokens），仍完整发送", ctx.title, tokens, limit
            )
        return messages, budget


# -- formatting -------------------------------------------------------------------
_SPACE = re.compile(r"\s+")
_FIGURE = re.compile(r"\d+(?:[.,，]\d+)*")
_ARTICLE = re.compile(r"(?=第[一二三四五六七八九十百零]+条)")
ARTICLE_MAX_CHARS = 500


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def mask_figures(text: str) -> str:
    """Last year's wording without its figures: "办理案件98件" → "办理案件×件" (its structure is what helps)."""
    return _FIGURE.sub("×", text)


# A line the reader placed among the shortcomings or plans that a section of deeds still holds (a one-section draft
# keeps the lines of its block): its role is told with it, as the whole report tells it by the part it is drafted in.
NOT_DONE_LABELS = {
    "shortcomings": "材料把这一行归为存在的不足，不是本年度已完成的工作",
    "plans": "材料把这一行归为下一年度安排，不是本年度已完成的工作",
}


def not_done_part(key: str) -> str:
    """The part of `key` when its lines are not deeds of the year (what is still short, what is planned), else ""."""
    part = key.split(".")[0]
    return part if part in NOT_DONE_LABELS else ""


def format_facts(facts: list[Fact], key: str = "") -> str:
    """The 材料 lines of section `key`, each with its notes line and, when it is not a deed, its role."""

    def where(f: Fact) -> str:
        said = [f"第{f.line_no}行"] if f.line_no else []
        part = not_done_part(f.key)
        if key and part and not not_done_part(key):
            said.append(NOT_DONE_LABELS[part])
        return f"（{'，'.join(said)}）" if said else ""

    lines = [f"材料{i}{where(f)}：{_one_line(f.text)}" for i, f in enumerate(facts, 1) if f.text.strip()]
    return "\n".join(lines) if lines else "（本部分没有材料）"


def whole_article(source: Source) -> str:
    """The statute article a clause belongs to, whole (a clause alone loses its conditions and subject).

    Source.context is the retrieved passage; the article is the "第…条" segment holding the quote.
    """
    quote = _one_line(source.quote)
    context = _one_line(source.context or "")
    if source.kind != "law" or not context or quote not in context:
        return quote
    for article in _ARTICLE.split(context):
        if quote in article:
            article = article.strip()
            return article if len(article) <= ARTICLE_MAX_CHARS else quote
    return quote


def format_not_facts(clauses: list[Clause]) -> str:
    """Each set-aside clause with its role, so the model knows it is not this year's fact."""
    return "\n".join(f"（{CLAUSE_ROLES.get(c.role, c.role)}）{_one_line(c.text)}" for c in clauses)


def format_sources(sources: list[Source], quote_cap: int | None = None) -> str:
    lines = []
    for s in sources:
        quote = whole_article(s) if quote_cap is None else _one_line(s.quote)
        if quote_cap is not None and count_tokens(quote) > quote_cap:
            quote = truncate_to_tokens(quote, quote_cap) + ELLIPSIS
        tag = REPORT_TAG if s.kind == "report" else ""
        lines.append(f"[{s.id}]《{s.title}》{s.locator}{tag}：{quote}")
    return "\n".join(lines)


def target_length(ctx: SectionContext) -> str:
    """ "篇幅约N字" from the same bureau's section last year, never less than the facts need."""
    if not ctx.prior_text.strip() or ctx.repair:
        return ""
    prior_chars = len(re.sub(r"\s", "", ctx.prior_text))
    fact_chars = sum(len(f.text) for f in ctx.facts)
    # As long as last year's, but within what the notes can fill: a long target on few facts invites padding.
    target = min(max(prior_chars, int(fact_chars * 1.2)), int(fact_chars * 2.5) + 120)
    target = max(100, round(target / 50) * 50)
    return f"篇幅约{target}字（参照本单位往年同一部分）"


@dataclass(frozen=True)
class Brief:
    must: str = ""
    style: str = ""


def section_brief(outline_path: object, key: str) -> Brief:
    """What the part must contain and a house-style example, from the [[brief]] tables of the outline file."""
    briefs = _briefs(str(outline_path))
    own = briefs.get(key) or Brief()
    default = briefs.get("*", Brief())
    return Brief(must=own.must or default.must, style=own.style or default.style)


@functools.lru_cache(maxsize=4)
def _briefs(path: str) -> dict[str, Brief]:
    import tomllib
    from pathlib import Path

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # the outline loader reports a broken file; the prompt just goes without briefs
    return {
        str(b.get("key", "")): Brief(
            must=str(b.get("must", "")).strip(), style=str(b.get("style", "")).strip()
        )
        for b in data.get("brief", [])
        if b.get("key")
    }


# -- cleaning the reply ---------------------------------------------------------------
def clean_reply(raw: str, heading: str = "", title: str = "") -> str:
    """The section body of a raw reply (see drafting.engines.llm.hygiene.clean, which also says what it removed)."""
    return clean(raw, heading=heading, title=title).text


# -- llm-check ----------------------------------------------------------------------------
CHECK_PROMPT = "请用一两句话概括行政机关推进依法行政的要求，直接输出正文，不要标题，不要说明。"


@dataclass
class LLMCheck:
    """One short request to the configured model: who answered, how fast, and whether the reply was clean."""

    model: str
    endpoint: str
    seconds: float = 0.0
    first_token_seconds: float | None = None
    output_tokens: int = 0
    tokens_estimated: bool = False  # the server sent no usage: tokens counted here with tiktoken
    reasoning_chars: int = 0
    reply: str = ""
    text: str = ""
    removed: list[str] = field(default_factory=list)
    reshaped: list[str] = field(default_factory=list)
    chinese: bool = True
    error: str = ""

    @property
    def tokens_per_second(self) -> float:
        return self.output_tokens / self.seconds if self.seconds > 0 else 0.0

    @property
    def clean(self) -> bool:
        return not self.error and self.chinese and not self.removed and not self.reshaped and bool(self.text)

    def lines(self) -> list[str]:
        if self.error:
            return [f"模型：{self.model}（{self.endpoint}）", f"失败：{self.error}"]
        est = "（估算）" if self.tokens_estimated else ""
        first = f"，首个字 {self.first_token_seconds:.2f} 秒" if self.first_token_seconds is not None else ""
        out = [
            f"模型：{self.model}（{self.endpoint}）",
            f"耗时：{self.seconds:.2f} 秒{first}；输出 {self.output_tokens} tokens{est}，"
            f"{self.tokens_per_second:.1f} tokens/秒",
        ]
        if self.reasoning_chars:
            out.append(
                f"推理：回复带有 {self.reasoning_chars} 字推理过程（已从正文中去除）；"
                "不需要时可用 ZHIBI_LLM_EXTRA_BODY 关闭，如 vLLM 上的 Qwen3："
                '{"chat_template_kwargs": {"enable_thinking": false}}，Ollama：{"think": false}'
            )
        if self.clean:
            out.append("回复：干净（中文正文，无开场白、结束语或 Markdown）")
        else:
            problems = self.removed + [f"{r}已改为公文段落" for r in self.reshaped]
            if not self.chinese:
                problems.insert(0, "回复不是中文")
            out.append("回复：需要清理（" + "；".join(problems) + "），起草时会自动清理")
        out.append(f"正文：{self.text or '（空）'}")
        return out


def check_llm(settings: Settings, model: ChatModel | None = None) -> LLMCheck:
    """Send CHECK_PROMPT once (no retries) and measure the reply; errors are reported, not raised."""
    import dataclasses
    import time

    from drafting.engines.llm.client import DEFAULT_MODEL

    endpoint = settings.llm_base_url or "https://api.openai.com/v1"
    result = LLMCheck(model=settings.llm_model or DEFAULT_MODEL, endpoint=endpoint)
    started = time.perf_counter()
    try:
        model = model or OpenAICompatibleModel(dataclasses.replace(settings, llm_retries=0))

        def first(_piece: str) -> None:
            if result.first_token_seconds is None:
                result.first_token_seconds = time.perf_counter() - started

        raw = collect(iter(model.stream([("user", CHECK_PROMPT)])), first)
    except LLMUnavailable as exc:
        result.error = str(exc)
        return result
    result.seconds = time.perf_counter() - started
    reasoning = getattr(raw, "reasoning", "")
    cleaned = clean(raw, reasoning=reasoning, truncated=getattr(raw, "truncated", False))
    usage = getattr(model, "last_usage", None) or {}
    result.output_tokens = int(usage.get("output_tokens") or 0)
    if not result.output_tokens:
        result.output_tokens = count_tokens(str(raw)) + count_tokens(reasoning)
        result.tokens_estimated = True
    result.reasoning_chars = len(cleaned.reasoning)
    result.reply, result.text = str(raw), cleaned.text
    result.removed = [r for r in cleaned.removed if not r.startswith("推理过程")]
    result.reshaped = cleaned.reshaped
    result.chinese = cleaned.chinese
    return result
