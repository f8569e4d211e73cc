"""The LLM engine: one section's context → prompt within a token budget → streamed reply → clean 公文 text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from drafting.engine import SectionContext, TokenFn
from drafting.llm import ChatModel, Message, OpenAICompatibleModel, collect
from drafting.prompting import count_tokens, render, truncate_to_tokens
from zhibi.config import Settings
from zhibi.errors import LLMUnavailable
from zhibi.types import Fact, Source

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
    over: bool = False  # facts alone did not fit: sent anyway, facts are never cut


class LLMEngine:
    name = "llm"

    def __init__(self, model: ChatModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings
        self.last_prompt: list[Message] = []
        self.last_raw = ""
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
        pieces: list[str] = []

        def shown(piece: str) -> None:
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)

        try:
            raw = collect(iter(self.model.stream(messages)), shown)
        except BaseException:
            self.last_raw = "".join(pieces)
            raise
        self.last_raw = raw
        text = clean_reply(raw, ctx.heading, ctx.title)
        if not text:
            raise LLMUnavailable(
                f"大模型对“{ctx.title or ctx.heading}”返回了空白内容",
                hint="请检查 ZHIBI_LLM_MODEL 是否为对话模型，或改用离线引擎（--engine offline）",
            )
        return text

    # prompt ---------------------------------------------------------------------
    def build_messages(self, ctx: SectionContext) -> tuple[list[Message], Budget]:
        """system + user messages for ctx, fitted to the budget: facts whole; quotes, prior text, sources cut."""
        limit = int(self.settings.llm_context_tokens)
        budget = Budget(limit=limit)
        system = render("section_system")
        sources = list(ctx.sources)
        prior = ctx.prior_text.strip()
        quote_cap: int | None = None

        def build() -> list[Message]:
            user = render(
                "section_user",
                unit=ctx.unit,
                year=ctx.year,
                heading=ctx.title or ctx.heading,
                facts=format_facts(ctx.facts),
                sources=format_sources(sources, quote_cap),
                prior_text=prior,
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

        # 1. last year's section: cut down, never below PRIOR_MIN_TOKENS here
        if tokens > limit and prior:
            have = count_tokens(prior)
            keep = max(PRIOR_MIN_TOKENS, have - (tokens - limit) - 8)
            if keep < have:
                prior = truncate_to_tokens(prior, keep) + ELLIPSIS
                budget.prior_tokens = keep
                messages = build()
                tokens = size(messages)
        # 2. each quote capped, tighter and tighter
        for cap in QUOTE_CAPS:
            if tokens <= limit or not sources:
                break
            quote_cap = cap
            budget.quote_cap = cap
            messages = build()
            tokens = size(messages)
        # 3. report passages (wording only) dropped, lowest ranked first
        while tokens > limit and any(s.kind == "report" for s in sources):
            victim = max(i for i, s in enumerate(sources) if s.kind == "report")
            budget.dropped_sources.append(sources.pop(victim).id)
            messages = build()
            tokens = size(messages)
        # 4. last year's section dropped
        if tokens > limit and prior:
            prior = ""
            budget.prior_tokens = 0
            messages = build()
            tokens = size(messages)
        # 5. law and policy passages dropped, lowest ranked first
        while tokens > limit and sources:
            budget.dropped_sources.append(sources.pop().id)
            messages = build()
            tokens = size(messages)
        budget.tokens = tokens
        if tokens > limit:
            budget.over = True
            log.warning(
                "“%s”的材料本身已超出提示词预算（%d > %d tokens），仍完整发送", ctx.title, tokens, limit
            )
        return messages, budget


# -- formatting -------------------------------------------------------------------
_SPACE = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def format_facts(facts: list[Fact]) -> str:
    lines = [f"材料{i}：{_one_line(f.text)}" for i, f in enumerate(facts, 1) if f.text.strip()]
    return "\n".join(lines) if lines else "（本部分没有材料）"


def format_sources(sources: list[Source], quote_cap: int | None = None) -> str:
    lines = []
    for s in sources:
        quote = _one_line(s.quote)
        if quote_cap is not None and count_tokens(quote) > quote_cap:
            quote = truncate_to_tokens(quote, quote_cap) + ELLIPSIS
        tag = REPORT_TAG if s.kind == "report" else ""
        lines.append(f"[{s.id}]《{s.title}》{s.locator}{tag}：{quote}")
    return "\n".join(lines)


# -- cleaning the reply ---------------------------------------------------------------
_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:[-*+•·]\s+|>\s*)")
# bold/underline pairs around 2+ characters; "**市**区" style masks (one character) are left alone
_EMPHASIS = re.compile(r"(\*\*|__)([^*_\n]{2,}?)\1")
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*"
)
_PREAMBLE = re.compile(
    r"^(?:(?:好的|好|当然|以下是|下面是|根据(?:您|你)?提供的).{0,60}[：:]|(?:好的|当然|没问题)[。！!，,]?)$"
)
_TRAILING_PUNCT = "。：:；;，, "


def _bare(line: str) -> str:
    return _NUMBERING.sub("", line).strip().rstrip(_TRAILING_PUNCT).strip()


def clean_reply(raw: str, heading: str = "", title: str = "") -> str:
    """Strip code fences, Markdown marks, bullets, a leading preamble and a repeated heading; one paragraph a line."""
    lines: list[str] = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line):
            continue
        line = _MD_HEADING.sub("", line)
        line = _BULLET.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        line = line.strip().strip("\u3000").strip()
        if line:
            lines.append(line)
    names = {_bare(n) for n in (heading, title) if n and _bare(n)}
    for _ in range(2):  # "好的。" then the heading, or the heading then "以下是正文："
        if lines and _PREAMBLE.match(lines[0]):
            lines.pop(0)
        if lines and names:
            first = lines[0]
            if _bare(first) in names:
                lines.pop(0)
                continue
            # run-in heading repeated: "（四）严格规范公正文明执法。以…" → "以…"
            body = _NUMBERING.sub("", first)
            for name in sorted(names, key=len, reverse=True):
                if body.startswith(name) and len(body) > len(name) and body[len(name)] in "。：:":
                    lines[0] = body[len(name) + 1 :].strip()
                    break
    return "\n".join(line for line in lines if line)
