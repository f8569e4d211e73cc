from __future__ import annotations

import contextvars
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.config import Settings
from core.errors import LLMUnavailable, ZhibiError
from core.ports import Corpus
from core.types import (
    Checks,
    Clause,
    Draft,
    Fact,
    ParsedNotes,
    PriorRef,
    Problem,
    Section,
    Source,
    register_problem_kind,
)
from drafting import audit
from drafting.checks.problems import draft_problems, notes_year_problems, section_problems
from drafting.checks.verify import Evidence, missing_figures, verbatim_share, verify_section
from drafting.engines.base import Engine, SectionContext
from drafting.engines.offline.compose import OfflineEngine, lift_headings, outline_formulas
from drafting.inputs import NO_NOTES, check_request
from drafting.notes import parse_notes, strip_label
from drafting.notes.placement import (
    DECIDED_BY_USER,
    SentenceBank,
    ask_where_unsure,
    bank_from_corpus,
    word_bounds,
)
from drafting.notes.roles import confirmed_text
from drafting.outline import Outline, OutlineEntry, load_outline, part_heading, sub_heading
from drafting.plan import SectionPlan, plan_sections, split_scope
from drafting.repair import (
    REPAIR_PREFIXES,
    check_warnings,
    clean,
    is_check_warning,
    needs_repair,
    problem_lines,
    repair,
    severity,
)
from drafting.sources.gather import gather_sources
from drafting.sources.prior import PriorReport, PriorSection, load_prior
from drafting.text.normalize import to_fullwidth
from drafting.text.numbers import CITATION

# A model reply the server stopped at its token limit (finish_reason "length"): red, never amber-as-complete.
REPLY_CUT = register_problem_kind("reply_cut", "大模型回复被截断，本节可能不完整", "red").name

if TYPE_CHECKING:
    from core.ports import ChatModel
    from drafting.moves import MoveResult

# Empty notes and notes of nothing but chatter ("好的收到", "哈哈") are the same mistake and get the same message.
NO_CONTENT = NO_NOTES
REQUIRED_ORDER = ("measures", "leadership", "shortcomings", "plans")


@dataclass
class DraftEvent:
    kind: str  # status | token | section | done
    text: str = ""
    key: str = ""
    draft: Draft | None = None


class Drafter:
    """Drafts from notes with a corpus (retrieval) and, when an endpoint is configured, a chat model.

    It is all the state drafting keeps between runs: the model client (built on first use unless one is
    handed in) and whether the corpus is warm. `load_ms` counts loading, not drafting work.
    """

    def __init__(
        self,
        corpus: Corpus,
        settings: Settings,
        model: ChatModel | None = None,
        *,
        load_ms: float = 0.0,
        wrap_model: Callable[[ChatModel], ChatModel] | None = None,
    ) -> None:
        self.corpus = corpus
        self.settings = settings
        self._model = model
        # what the chat client is seen through (the Workspace's: the worker's fair queue and shared breaker)
        self._wrap_model = wrap_model
        self.load_ms = load_ms
        self._warmed = False
        self._lock = threading.Lock()
        self._banks: dict[tuple, SentenceBank] = {}

    def bank(self, outline: Outline, year: int) -> SentenceBank:
        """The labelled sentences of the past reports before `year`, built once per set of indexed reports."""
        reports = tuple(
            sorted(
                (d.title, d.chunks)
                for d in self.corpus.documents()
                if d.kind == "report" and (d.year or 0) < year
            )
        )
        key = (year, reports, id(outline))
        with self._lock:
            if key not in self._banks:
                t = time.perf_counter()
                self._banks[key] = bank_from_corpus(self.corpus, outline, before_year=year)
                self.load_ms += (time.perf_counter() - t) * 1000  # built once per set of reports: loading
            return self._banks[key]

    def read(self, notes: str, outline: Outline, year: int) -> ParsedNotes:
        """Read and place the notes (once per notes text: the Draft keeps the result as its placement)."""
        return parse_notes(notes, outline, year=year, bank=self.bank(outline, year))

    @property
    def model(self) -> ChatModel:
        with self._lock:
            if self._model is None:
                from drafting.engines.llm.client import OpenAICompatibleModel

                client: ChatModel = OpenAICompatibleModel(self.settings)
                self._model = self._wrap_model(client) if self._wrap_model else client
            return self._model

    def warm(self) -> None:
        """Load the index and embedder once; counted as load_ms, not as drafting work."""
        if self._warmed:
            return
        t = time.perf_counter()
        self.corpus.search("法治政府建设", 1)
        word_bounds("法治政府建设")  # jieba's dictionary, which placement segments with
        self.load_ms += (time.perf_counter() - t) * 1000
        self._warmed = True

    def engines(self, engine: str) -> tuple[Engine, Engine]:
        """The engine asked for and the one that stands in when it fails."""
        offline = OfflineEngine()
        if engine == "offline":
            return offline, offline
        if engine not in ("auto", "llm"):
            raise ZhibiError(f"未知的引擎 {engine}", hint="可用 auto、offline、llm")
        if engine == "auto" and not self.settings.llm_configured:
            return offline, offline
        if engine == "llm" and not self.settings.llm_configured:
            raise ZhibiError(
                "没有配置大模型接口",
                hint="设置 ZHIBI_LLM_BASE_URL（及 ZHIBI_LLM_API_KEY、ZHIBI_LLM_MODEL），或用 --engine offline",
            )
        from drafting.engines.llm.client import GuardedModel
        from drafting.engines.llm.engine import LLMEngine

        # One engine per run: its last_prompt/last_raw feed this run's audit record, even with concurrent drafts.
        # The guard is per run too: a model that keeps failing is switched off for the rest of this run only.
        guarded = GuardedModel(
            self.model, self.settings.llm_failures_before_offline, self.settings.llm_draft_deadline
        )
        return LLMEngine(guarded, self.settings), offline

    # -- public API -------------------------------------------------------------------------------------------

    def draft(
        self,
        notes: str,
        *,
        unit: str,
        year: int,
        section: str | None = None,
        engine: str = "auto",
        on_token: Callable[[str], None] | None = None,
        placement: ParsedNotes | None = None,
    ) -> Draft:
        result: Draft | None = None
        events = self.stream_draft(
            notes, unit=unit, year=year, section=section, engine=engine, placement=placement
        )
        for event in events:
            if event.kind == "token" and on_token:
                on_token(event.text)
            if event.kind == "done":
                result = event.draft
        assert result is not None
        return result

    def stream_draft(
        self,
        notes: str,
        *,
        unit: str,
        year: int,
        section: str | None = None,
        engine: str = "auto",
        placement: ParsedNotes | None = None,
    ) -> Iterator[DraftEvent]:
        """Draft from the notes; `placement` (a stored, maybe corrected placement) spares reading them again."""
        scope = section or "report"
        # Notes read now are reviewed whole; a placement handed in (the user's answers) was reviewed before.
        reviewed = set() if placement is None else {f.text for f in placement.facts}
        run = _start(self, notes, unit, year, scope, engine, placement, reviewed=reviewed)
        started = time.perf_counter()
        keys = _plan_keys(run, scope)
        title = f"{unit}{year}年法治政府建设情况报告"
        result = Draft(unit=unit, year=year, engine=run.engine.name, title=title, scope=scope, notes=notes)
        result.prior_title = run.prior.doc.title if run.prior else ""
        yield DraftEvent("status", _status_line(run, keys))
        for key in keys:
            sec = yield from _streamed_section(run, key, scope)
            result.sections.append(sec)
            run.written.append(sec)
            yield DraftEvent("section", sec.text, key)
        _finish(run, result, started)
        yield DraftEvent("done", draft=result)

    def regenerate(
        self,
        current: Draft,
        key: str,
        *,
        notes: str | None = None,
        instruction: str = "",
        engine: str = "auto",
        variant: int | None = None,
        concise: bool | None = None,
        placement: ParsedNotes | None = None,
    ) -> Draft:
        """Redraft one section; the others, their text, citations and source numbers stay as they are.

        The draft's stored placement is used unless the notes changed (then they are read again, keeping the
        user's moves of lines whose text is unchanged) or a new `placement` is given.
        """
        target = current.section(key)
        if target is None:
            raise ZhibiError(f"当前稿件中没有章节 {key}", hint="先起草全文或该节，再重新生成")
        if target.locked:
            raise ZhibiError(f"章节“{target.heading}”已锁定", hint="先解锁该节再重新生成")
        new_notes = current.notes if notes is None else notes
        if placement is None and new_notes == current.notes:
            placement = stored_placement(current)
        # The lines the draft's own LLM review saw are not reviewed again; the rest (lines edited or added since,
        # or every line of a draft the offline engine wrote) are.
        seen = {f.text for f in current.placement} if "llm" in current.engine else set()
        run = _start(
            self,
            new_notes,
            current.unit,
            current.year,
            current.scope,
            engine,
            placement,
            reviewed=seen,
            moved=current.placement if placement is None else None,
        )
        run.sources = [replace(s) for s in current.sources]
        run.written = [s for s in current.sections if s.key != key]
        started = time.perf_counter()
        sec = _draft_section(
            run,
            key,
            current.scope,
            instruction=instruction,
            previous_text=target.text,
            variant=variant or 0,
            concise=bool(concise),
        )
        sections = [sec if s.key == key else replace(s) for s in current.sections]
        result = replace(current, sections=sections, notes=new_notes, engine=run.engine.name, timings={})
        _finish(run, result, started)
        return result

    def section_lines(self, current: Draft, key: str) -> list[Fact]:
        """The facts the draft placed in section `key` (and its sub-sections), from its stored placement."""
        placement = stored_placement(current)
        if placement is None:
            if not current.notes.strip():
                return []
            outline = load_outline(self.settings.outline_path)
            placement = self.read(current.notes, outline, current.year)
        return [f for f in placement.facts if f.key == key or f.key.startswith(key + ".")]

    def with_section_lines(self, current: Draft, key: str, edited: str) -> tuple[str, ParsedNotes] | None:
        """Notes and placement after the user rewrote the lines of one section; None when nothing changed.

        The section's own lines are replaced by the edited ones as plain text (no markup in the user's
        notes); the edited lines are placed in `key` as the user's decision, every other line as before.
        """
        own = self.section_lines(current, key)
        if not edited.strip() or edited.strip() == "\n".join(f.raw for f in own).strip():
            return None
        outline = load_outline(self.settings.outline_path)
        elsewhere = {f.line_no for f in (stored_placement(current) or ParsedNotes()).facts if f not in own}
        own_lines = {f.line_no for f in own} - elsewhere
        kept = [line for n, line in enumerate(current.notes.splitlines(), 1) if n not in own_lines]
        start = len(kept)
        notes = "\n".join(kept).rstrip() + "\n" + edited.strip() + "\n"
        placement = self.read(notes, outline, current.year)
        keep_user_moves(placement, current.placement)
        title = outline.get(key).title
        for fact in placement.facts:
            if fact.line_no > start and not (fact.key == key or fact.key.startswith(key + ".")):
                fact.key, fact.assigned_by, fact.confidence = key, "user", 1.0
                fact.reason = f"在“{title}”的材料中修改"
        return notes, placement

    def move(self, current: Draft, rows: list[int], key: str, *, engine: str = "auto") -> Draft:
        """Move placement rows (indexes into current.placement) to `key`: only the part each line leaves and
        the part it joins are redrafted, every other part keeps its text (drafting/moves.py)."""
        return self.move_result(current, rows, key, engine=engine).draft

    def move_result(self, current: Draft, rows: list[int], key: str, *, engine: str = "auto") -> MoveResult:
        """move() with what it did, for the message the page shows (parts named by their headings)."""
        from drafting.moves import move_lines

        return move_lines(self, stored_placement(current), current, rows, key, engine=engine)

    def confirm(self, current: Draft, index: int, key: str, *, engine: str = "auto") -> Draft:
        """The user says a clause waiting in 待确认 (current.pending[index]) is this year's and belongs in `key`:
        it becomes a fact of that section (the user's decision, recorded in the placement) and the section is
        redrafted; every other section keeps its text. A question about the notes as a whole (`about_notes`) is
        answered by checking: it leaves 待确认, nothing is written, and the checks run again."""
        outline = load_outline(self.settings.outline_path)
        placement = stored_placement(current)
        pending = current.pending
        if placement is None or not 0 <= index < len(pending):
            raise ZhibiError("待确认列表里没有这一条", hint="请刷新页面后重新选择")
        clause = pending[index]
        if not clause.about_notes:
            entry = outline.get(key)  # raises with the list of keys
        placement.set_aside = [c for c in placement.set_aside if c is not clause and c != clause]
        if clause.about_notes:
            return self._checked(current, placement)  # the user has checked the whole notes: nothing to write
        text = confirmed_text(clause)
        placement.facts.append(
            Fact(
                text=text,
                raw=clause.text,
                key=key,
                figures=list(clause.figures),
                line_no=clause.line_no,
                assigned_by="user",
                reason=f"用户确认后写入“{entry.title}”",
            )
        )
        placement.facts.sort(key=lambda f: f.line_no)
        if current.scope != "report" or current.section(key) is not None:
            return self.regenerate(
                current,
                current.scope if current.scope != "report" else key,
                engine=engine,
                placement=placement,
            )
        return self.draft(
            current.notes, unit=current.unit, year=current.year, engine=engine, placement=placement
        )

    def recheck(self, current: Draft) -> Draft:
        """Run the checks again after a hand edit; the text is kept exactly as edited."""
        return self._checked(current, stored_placement(current))

    def _checked(self, current: Draft, placement: ParsedNotes | None) -> Draft:
        """The checks, once, over the draft's text as it is, with `placement` as the reading of the notes."""
        run = _start(self, current.notes, current.unit, current.year, current.scope, "offline", placement)
        run.sources = list(current.sources)
        started = time.perf_counter()
        # The caller's draft stays as it was.
        result = replace(current, sections=[replace(s) for s in current.sections])
        for sec in result.sections:
            if sec.placeholder or sec.key == "preamble":
                continue
            sec.citations = sorted({int(n) for n in CITATION.findall(sec.text)})
        _finish(run, result, started, write_audit=False)  # the checks, once, over the text as it now is
        return result


@dataclass
class _Run:
    """State of one drafting run, shared by its sections."""

    drafter: Drafter
    outline: Outline
    unit: str
    year: int
    notes: str
    parsed: ParsedNotes
    prior: PriorReport | None
    evidence: Evidence
    engine: Engine
    fallback: Engine
    sources: list[Source] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    audit: dict[str, object] = field(default_factory=dict)
    engine_used: set[str] = field(default_factory=set)
    doc_cache: dict[str, str] = field(default_factory=dict)
    pending_warning: str = ""  # a model failure before any section (the placement review), said once
    # sections whose model reply the server stopped at its token limit: red until redrafted (key -> item)
    cut_replies: dict[str, str] = field(default_factory=dict)
    plans: dict[str, SectionPlan] = field(default_factory=dict)  # scope → its plan, made once
    written: list[Section] = field(default_factory=list)  # sections of this draft already written

    def doc_text(self, title: str) -> str:
        if title not in self.doc_cache:
            self.doc_cache[title] = self.drafter.corpus.document_text(title)
        return self.doc_cache[title]

    def tick(self, stage: str, started: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + (time.perf_counter() - started) * 1000


_END = object()


def _streamed_section(run: _Run, key: str, scope: str) -> Iterator[DraftEvent]:
    """Draft one section in a worker thread so its tokens reach the caller as the engine produces them."""
    pieces: queue.Queue[object] = queue.Queue()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["section"] = _draft_section(run, key, scope, on_token=pieces.put)
        except BaseException as exc:  # re-raised in the caller's thread below
            outcome["error"] = exc
        finally:
            pieces.put(_END)

    # the caller's context variables (whose request this is, for the LLM queue) follow into the thread
    context = contextvars.copy_context()
    worker = threading.Thread(target=context.run, args=(work,), name=f"zhibi-draft-{key}", daemon=True)
    worker.start()
    while (piece := pieces.get()) is not _END:
        yield DraftEvent("token", str(piece), key)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["section"]  # type: ignore[return-value]


# -- one run ----------------------------------------------------------------------------------------------------


def stored_placement(current: Draft) -> ParsedNotes | None:
    """The placement a draft was made with (None for a draft saved before placements were stored)."""
    if not current.placement:
        return None
    return ParsedNotes(
        facts=[replace(f, figures=list(f.figures), headings=list(f.headings)) for f in current.placement],
        dropped=[line for line in current.checks.lines_dropped if line not in current.covering],
        instructions=list(current.checks.instructions_ignored),
        covering=list(current.covering),
        set_aside=list(current.set_aside),
    )


def keep_user_moves(parsed: ParsedNotes, before: list[Fact]) -> None:
    """After the notes changed: a line the user moved keeps its part while its text is unchanged."""
    moved = {f.text: f for f in before if f.assigned_by in DECIDED_BY_USER}
    for fact in parsed.facts:
        if (old := moved.get(fact.text)) is not None:
            fact.key, fact.assigned_by, fact.reason, fact.confidence = (
                old.key,
                old.assigned_by,
                old.reason,
                1.0,
            )


def _start(
    drafter: Drafter,
    notes: str,
    unit: str,
    year: int,
    scope: str,
    engine: str,
    placement: ParsedNotes | None = None,
    *,
    reviewed: set[str] | None = None,
    moved: list[Fact] | None = None,
) -> _Run:
    """One run's state. `reviewed`: the texts of the lines an earlier LLM review already saw (None: no review);
    `moved`: the draft's previous placement, whose user moves are kept in notes read again."""
    outline = load_outline(drafter.settings.outline_path)
    # The same rules and messages as the web page and the CLI check before they call us.
    request = check_request(notes, unit, year, scope, outline.keys)
    unit = request.unit
    drafter.warm()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    loaded = drafter.load_ms
    parsed = placement if placement is not None else drafter.read(notes, outline, year)
    # Building the sentence bank the first time is loading (load_ms), not reading these notes.
    timings["notes"] = (time.perf_counter() - t) * 1000 - (drafter.load_ms - loaded)
    if not parsed.facts and not parsed.pending:
        # Everything the notes state is another year's: say which year, not "the notes are empty".
        for problem in notes_year_problems(notes, year):
            raise ZhibiError(problem.item, hint=f"请把报告年度改为材料所写的年份，或粘贴 {year} 年的材料")
        raise ZhibiError(NO_CONTENT[0], hint=NO_CONTENT[1])
    t = time.perf_counter()
    corpus = drafter.corpus
    prior = load_prior(corpus, outline, unit, year)
    past_reports = [
        corpus.document_text(d.title)
        for d in corpus.documents()
        if d.kind == "report" and (d.year or 0) < year
    ]
    timings["prior"] = (time.perf_counter() - t) * 1000
    chosen, fallback = drafter.engines(engine)
    if moved:
        # Before the review and the questions: what the user decided is no rule's or model's to change.
        keep_user_moves(parsed, moved)
    review_failure = ""
    # Every draft the LLM writes, of the whole report or of one section, has its reading of the notes reviewed
    # once: the lines no earlier review saw (all of them when the notes were just read).
    unseen = [f for f in parsed.facts if f.text not in reviewed] if reviewed is not None else []
    if chosen.name == "llm" and unseen:
        from drafting.engines.llm.review import review_placement

        t = time.perf_counter()
        try:
            review_placement(getattr(chosen, "model", drafter.model), outline, parsed, unseen)
        except LLMUnavailable as exc:
            # The placement stays as the rules made it; the first section drafted reports the failure.
            review_failure = f"大模型不可用，本节改用离线引擎：{exc}" if _says_once(exc) else ""
        timings["notes"] += (time.perf_counter() - t) * 1000
    if placement is None:
        # A one-section draft of notes pasted for that section keeps their unsure lines; it asks about the
        # unsure lines it would leave to other parts (the user may write them into this one).
        among = None if scope == "report" else split_scope(outline, parsed.facts, scope, parsed.set_aside)[1]
        ask_where_unsure(parsed, outline, among)
    evidence = Evidence(
        notes_text=to_fullwidth(notes),
        facts=parsed.facts,
        past_reports=past_reports,
        year=year,
        quarantined=list(parsed.instructions),  # their figures never count as support
        all_facts=parsed.facts,
        formulas=outline_formulas(outline, unit, year, str(drafter.settings.outline_path)),
        unit=unit,
        set_aside=list(parsed.set_aside),
    )
    run = _Run(
        drafter, outline, unit, year, notes, parsed, prior, evidence, chosen, fallback, timings=timings
    )
    run.audit = audit.start_record(notes, parsed, prior.doc.title if prior else None)
    run.pending_warning = review_failure
    return run


def _plan(run: _Run, scope: str) -> SectionPlan:
    """The plan of a draft of `scope`, made once per run: which sections, written from which lines."""
    if scope not in run.plans:
        run.plans[scope] = plan_sections(run.outline, run.parsed.facts, scope, run.parsed.set_aside)
    return run.plans[scope]


def _plan_keys(run: _Run, scope: str) -> list[str]:
    return _plan(run, scope).keys


def _facts_for_scope(run: _Run, scope: str) -> list[Fact]:
    return _plan(run, scope).facts


def _facts_elsewhere(run: _Run, scope: str) -> list[Fact]:
    return _plan(run, scope).elsewhere


def _section_facts(run: _Run, key: str, scope: str) -> list[Fact]:
    return _plan(run, scope).facts_of(key)


def _evidence_for(run: _Run, key: str, scope: str) -> Evidence:
    return replace(run.evidence, facts=_section_facts(run, key, scope))


# Roles the LLM is told about for the lines of its section: what it must not state as this year's fact.
NOT_FACT_ROLES = ("earlier", "partial", "superseded", "unconfirmed", "not_done")


def _not_facts(run: _Run, facts: list[Fact]) -> list[Clause]:
    lines = {f.line_no for f in facts}
    return [c for c in run.parsed.set_aside if c.role in NOT_FACT_ROLES and c.line_no in lines]


def _heading(run: _Run, entry: OutlineEntry, scope: str) -> tuple[str, int]:
    outline = run.outline
    text = entry.render_heading(run.year)
    planned = [k for k in _plan_keys(run, scope) if k != "preamble"]
    if entry.parent:
        siblings = [k for k in planned if outline.get(k).parent == entry.parent]
        index = siblings.index(entry.key) + 1 if entry.key in siblings else 1
        return sub_heading(index, text), 2
    # A part keeps its number in the whole report even when drafted alone ("三、…存在的不足和原因").
    parts = [p.key for p in outline.parts if p.key in _plan_keys(run, "report")]
    index = parts.index(entry.key) + 1 if entry.key in parts else 1
    return part_heading(index, text), 1


def _draft_section(
    run: _Run,
    key: str,
    scope: str,
    *,
    on_token: Callable[[str], None] | None = None,
    instruction: str = "",
    previous_text: str = "",
    variant: int = 0,
    concise: bool = False,
) -> Section:
    if key == "preamble":
        return _preamble(run)
    entry = run.outline.get(key)
    heading, level = _heading(run, entry, scope)
    facts = [replace(f, text=strip_label(f.text, run.outline)) for f in _section_facts(run, key, scope)]
    facts = lift_headings(facts)  # a "【调解】" line heads the lines after it; alone it is no content
    prior_sec = run.prior.section(key) if run.prior else None
    has_children = any(k != "preamble" and run.outline.get(k).parent == key for k in _plan_keys(run, scope))
    if not facts:
        if has_children:
            text = _part_lead(run, entry)
            return Section(key=key, heading=heading, text=text, level=level, prior=_prior_ref(run, key, text))
        placeholder = f"【待补充：{entry.title}，材料中未提供】"
        return Section(
            key=key,
            heading=heading,
            text=placeholder,
            placeholder=True,
            level=level,
            warnings=[f"材料中没有“{entry.title}”的内容，已留待补充"],
            prior=_prior_ref(run, key, ""),
        )
    t = time.perf_counter()
    used = {src.quote for src in run.sources if src.role == "basis"}
    local_sources = gather_sources(
        run.drafter.corpus, entry, facts, prior_sec, avoid=used, year=run.year, unit=run.unit
    )
    run.tick("retrieve", t)
    ctx = SectionContext(
        key=key,
        heading=heading,
        title=entry.render_heading(run.year),
        unit=run.unit,
        year=run.year,
        level=level,
        facts=facts,
        sources=local_sources,
        prior_text=prior_sec.text if prior_sec else "",
        prior_title=run.prior.doc.title if run.prior else "",
        instruction=instruction,
        previous_text=previous_text,
        leads=list(entry.lead),
        outline=_outline_lines(run, key),
        written=_openings(run.written),
        variant=variant,
        concise=concise,
        not_facts=_not_facts(run, facts),
        outline_path=str(run.drafter.settings.outline_path),
    )
    t = time.perf_counter()
    engine = run.engine
    warnings: list[str] = []
    if run.pending_warning:
        warnings.append(run.pending_warning)
        run.pending_warning = ""
    try:
        raw = engine.write(ctx, on_token)
    except LLMUnavailable as exc:
        if _says_once(exc):
            warnings.append(f"大模型不可用，本节改用离线引擎：{exc}")
        engine = run.fallback
        raw = engine.write(ctx, on_token)
    run.engine_used.add(engine.name)
    warnings.extend(getattr(engine, "last_flags", []))  # relative times the register table could not resolve
    run.tick("compose", t)
    t = time.perf_counter()
    text, global_ids = _to_global(run, clean(raw), local_sources)
    section = Section(key=key, heading=heading, text=text, level=level, run_in=level == 2)
    checks = verify_section(section, _by_id(run.sources), _evidence_for(run, key, scope), run.doc_text)
    repairs: list[str] = []
    if needs_repair(checks) and engine.name == "llm":
        ctx.repair = problem_lines(checks)
        ctx.previous_text = text
        try:
            raw2 = engine.write(ctx, None)
            text2, _ = _to_global(run, clean(raw2), local_sources)
            section2 = replace(section, text=text2)
            checks2 = verify_section(
                section2, _by_id(run.sources), _evidence_for(run, key, scope), run.doc_text
            )
            repairs.append("已请大模型按核查结果重写一次")
            if severity(checks2) <= severity(checks):
                section, checks = section2, checks2
        except LLMUnavailable as exc:
            if _says_once(exc):
                warnings.append(f"重写请求失败：{exc}")
    if needs_repair(checks):
        section, fixed = repair(section, checks, facts, _by_id(run.sources), year=run.year, unit=run.unit)
        repairs.extend(fixed)
        checks = verify_section(section, _by_id(run.sources), _evidence_for(run, key, scope), run.doc_text)
    run.tick("verify", t)
    section.citations = sorted({int(n) for n in CITATION.findall(section.text)})
    cleaned = getattr(engine, "last_clean", None) if engine is run.engine else None
    if cleaned is not None and cleaned.unfinished and section.text:
        # The server stopped the reply at its token limit: what is left may miss the end of the section, so it
        # is never passed as complete (red), whatever the other checks say.
        run.cut_replies[key] = (
            f"“{heading}”的大模型回复达到长度上限被截断，可能缺少结尾（可调大 ZHIBI_LLM_MAX_TOKENS 后重写本节）"
        )
        checks.listed(REPLY_CUT).append(run.cut_replies[key])
    else:
        run.cut_replies.pop(key, None)
    section.warnings = warnings + repairs + check_warnings(checks)
    section.prior = _prior_ref(run, key, section.text)
    run.audit["sections"][key] = audit.section_record(  # type: ignore[index]
        engine=engine.name,
        facts=facts,
        passages=local_sources,
        prompt=getattr(engine, "last_prompt", None),
        raw_output=raw,
        reply=getattr(run.engine, "last_raw", None),
        hygiene=run.engine.last_clean.audit() if getattr(run.engine, "last_clean", None) else None,
        citation_map={str(s.id): global_ids.get(s.id) for s in local_sources},
        repairs=repairs,
        checks=checks,
    )
    return section


def _outline_lines(run: _Run, key: str) -> list[str]:
    """The report's planned headings, the section being drafted marked "→" (its place in the whole)."""
    lines = []
    for k in _plan_keys(run, "report"):
        if k == "preamble":
            continue
        heading, level = _heading(run, run.outline.get(k), "report")
        lines.append(("→ " if k == key else "  ") + ("  " if level == 2 else "") + heading)
    if key not in _plan_keys(run, "report"):
        lines.append("→ " + run.outline.get(key).render_heading(run.year))
    return lines


def _openings(written: list[Section], most: int = 8) -> list[str]:
    """Heading and first sentence of the sections already written: the model should open differently."""
    out = []
    for sec in written:
        if sec.key == "preamble" or sec.placeholder or not sec.text.strip():
            continue
        first = re.split(r"(?<=[。；！？])", sec.text.strip(), maxsplit=1)[0][:60]
        out.append(f"{sec.heading}：{first}")
    return out[-most:]


def _says_once(exc: LLMUnavailable) -> bool:
    """Whether a model failure gets its own warning: once the model is switched off for the run, the section
    where that happened says so and the rest go offline without repeating it."""
    from drafting.engines.llm.client import LLMSwitchedOff

    return not isinstance(exc, LLMSwitchedOff) or exc.opened


def _preamble(run: _Run) -> Section:
    from drafting.engines.offline.compose import preamble_text

    return Section(
        key="preamble",
        heading="",
        text=preamble_text(run.unit, run.year, str(run.drafter.settings.outline_path)),
        level=0,
    )


def _part_lead(run: _Run, entry: OutlineEntry) -> str:
    from drafting.engines.offline.compose import we_of

    if not entry.lead:
        return ""
    return entry.lead[0].format(
        unit=run.unit, we=we_of(run.unit), year=run.year, next_year=run.year + 1, basis=""
    )


def _to_global(run: _Run, text: str, local: list[Source]) -> tuple[str, dict[int, int]]:
    """Renumber [local] markers to draft-wide ids, reusing the id of a source already cited elsewhere."""
    mapping: dict[int, int] = {}
    by_local = {s.id: s for s in local}

    def sub(m) -> str:
        n = int(m.group(1))
        src = by_local.get(n)
        if src is None:
            # Unresolvable: left for the check to flag and drop, under a number no real source uses.
            taken = {s.id for s in run.sources}
            return f"[{n}]" if n not in taken else f"[{1000 + n}]"
        if n not in mapping:
            for existing in run.sources:
                if (existing.title, existing.locator, existing.quote) == (src.title, src.locator, src.quote):
                    mapping[n] = existing.id
                    break
            else:
                new_id = max((s.id for s in run.sources), default=0) + 1
                run.sources.append(replace(src, id=new_id))
                mapping[n] = new_id
        return f"[{mapping[n]}]"

    return CITATION.sub(sub, text), mapping


def _owner(facts: list[Fact], figure: str, present: list[str], scope: str) -> str:
    """The section a missing figure belongs to: that of the notes line stating it (when the draft has it)."""
    for f in facts:
        if (figure in f.figures or figure in f.text) and f.key in present:
            return f.key
    return scope if scope in present else ""


def _by_id(sources: list[Source]) -> dict[int, Source]:
    return {s.id: s for s in sources}


def _prior_ref(run: _Run, key: str, text: str) -> PriorRef | None:
    if run.prior is None:
        return None
    sec = run.prior.section(key) or _by_content(run.prior, text)
    if sec is None:
        return None
    return PriorRef(
        title=run.prior.doc.title,
        locator=sec.locator,
        verbatim_share=verbatim_share(text, sec.text),
        text=sec.text,
        year=run.prior.doc.year,
    )


def _by_content(prior: PriorReport, text: str, least: float = 0.3) -> PriorSection | None:
    """Last year's section that says most of what `text` says, when none has its heading: last year's report
    may hold the same work under another heading."""
    from drafting.sources.prior import bigrams

    want = bigrams(CITATION.sub("", text))
    if len(want) < 8:
        return None
    scored = [(len(want & bigrams(s.text)) / len(want), s) for s in prior.sections.values() if s.text]
    share, best = max(scored, key=lambda t: t[0], default=(0.0, None))
    return best if share >= least else None


def _status_line(run: _Run, keys: list[str]) -> str:
    prior = f"对照往年报告《{run.prior.doc.title}》" if run.prior else "索引中没有本单位的往年报告可对照"
    return f"已整理材料 {len(run.parsed.facts)} 条，起草 {len([k for k in keys if k != 'preamble'])} 节，{prior}。"


def _no_prior_remark(run: _Run) -> str:
    return (
        f"索引中没有 {run.year} 年以前的往年报告（{run.unit}本单位的），无法对照去年的写法和安排；"
        "其他单位的报告只借鉴措辞"
    )


def _finish(run: _Run, result: Draft, started: float, *, write_audit: bool = True) -> None:
    """The draft's one list of problems, computed once over its final text, and all that follows from it:
    the checks by kind, the verdict, each section's warnings and its 逐句依据 rows."""
    per_section: list[list[Problem]] = []
    for sec in result.sections:
        if sec.key == "preamble":
            continue
        if sec.placeholder:
            per_section.append(
                [Problem("placeholders", sec.heading or run.outline.get(sec.key).title, sec.key)]
            )
            continue
        sec_checks = verify_section(
            sec, _by_id(run.sources), _evidence_for(run, sec.key, result.scope), run.doc_text
        )
        if sec.key in run.cut_replies:
            sec_checks.listed(REPLY_CUT).append(run.cut_replies[sec.key])
        per_section.append(section_problems(sec.key, sec_checks, sec.evidence))
    # A figure of the notes must appear somewhere in the drafted scope; it is listed under its line's section.
    text_all = "\n".join(s.text for s in result.sections)
    in_scope = _facts_for_scope(run, result.scope)
    present = [s.key for s in result.sections]
    missing = [
        (fig, _owner(in_scope, fig, present, result.scope))
        for fig in missing_figures(in_scope, text_all, year=run.year)
    ]
    parts_missing = (
        [run.outline.get(k).title for k in REQUIRED_ORDER if k not in present]
        if result.scope == "report"
        else []
    )
    repairs = [w for sec in result.sections for w in sec.warnings if w.startswith(REPAIR_PREFIXES)]
    problems = draft_problems(
        per_section,
        missing=missing,
        omitted=result.omitted,
        parts_missing=parts_missing,
        instructions=list(run.parsed.instructions),
        # Every notes line not drafted is listed: the notes' wrapping (titles, headings) and chat chatter.
        dropped=list(dict.fromkeys(run.parsed.covering + run.parsed.dropped)),
        elsewhere=[(f.raw.strip() or f.text, result.scope) for f in _facts_elsewhere(run, result.scope)],
        pending=[c.text for c in run.parsed.pending],
    )
    problems.extend(notes_year_problems(run.notes, run.year))
    result.problems = problems
    checks = Checks.from_problems(problems, repairs)
    for sec in result.sections:
        # A section's warnings are its notices (engine, repairs, times) and its share of the one list.
        mine = Checks.from_problems([p for p in problems if p.section == sec.key])
        sec.warnings = [w for w in sec.warnings if not is_check_warning(w)] + check_warnings(mine)
    result.placement = [
        replace(f, figures=list(f.figures), headings=list(f.headings)) for f in run.parsed.facts
    ]
    result.covering = list(run.parsed.covering)
    result.set_aside = list(run.parsed.set_aside)
    # About the whole draft, so it belongs to the draft: under a section it repeated after every redraft.
    result.remarks = [] if run.prior else [_no_prior_remark(run)]
    result.checks = checks
    result.sources = run.sources
    if "llm" in run.engine_used and "offline" in run.engine_used:
        result.engine = "llm+offline"
    elif run.engine_used:
        result.engine = sorted(run.engine_used)[0]
    if run.prior and not result.prior_title:
        result.prior_title = run.prior.doc.title
    total = (time.perf_counter() - started) * 1000 + run.timings.get("notes", 0) + run.timings.get("prior", 0)
    result.timings = {k: round(v, 1) for k, v in run.timings.items()}
    result.timings["total_ms"] = round(total, 1)
    result.timings["load_ms"] = round(run.drafter.load_ms, 1)
    result.id = result.id or uuid.uuid4().hex[:12]
    if write_audit:
        try:
            result.audit_path = str(audit.write_record(run.drafter.settings.audit_dir, run.audit, result))
        except OSError as exc:
            # The draft is whole and is returned; only its record is missing, and the draft says so.
            from core.files import disk_error

            result.remarks.append(f"审计记录未能保存：{disk_error(exc, run.drafter.settings.audit_dir)}")
