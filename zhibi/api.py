"""The one Python API that the CLI, the UI and the tests all call.

A Workspace holds the warm parts (index, embedder, BM25 cache) and its Drafter (which holds the LLM client)
so a server drafts fast; everything it returns is one of our dataclasses from core.types.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config import Settings, resolve_settings
from core.errors import ZhibiError
from core.offline import prepare_offline
from core.types import Chunk, DocumentInfo, Draft, Fact, IngestReport, Passage, PlanItem
from zhibi.accounts import Account

if TYPE_CHECKING:
    from drafting.drafter import Drafter, DraftEvent
    from drafting.moves import MoveResult
    from retrieval.index import Index

ProgressFn = Callable[[str, int, int], None]  # (stage label, done, total)

# Documents a bureau's report leans on; the corpus page says which of them the index lacks.
KEY_DOCUMENTS = (
    "法治政府建设实施纲要（2021－2025年）",
    "法治政府建设与责任落实督察工作规定",
    "党政主要负责人履行推进法治建设第一责任人职责规定",
    "重大行政决策程序暂行条例",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政复议法",
    "中华人民共和国行政诉讼法",
    "中华人民共和国政府信息公开条例",
    "优化营商环境条例",
)


class Workspace:
    def __init__(self, settings: Settings | None = None, **overrides: object) -> None:
        prepare_offline()
        self.settings = settings or resolve_settings(**overrides)
        self._index: Index | None = None
        self._drafter: Drafter | None = None
        self.load_ms = 0.0

    # -- corpus ---------------------------------------------------------------
    @property
    def index(self) -> Index:
        if self._index is None:
            started = time.perf_counter()
            from retrieval.index import Index

            self._index = Index(self.settings)
            self.load_ms += (time.perf_counter() - started) * 1000
        return self._index

    def ingest(
        self,
        paths: list[str | Path],
        *,
        title: str | None = None,
        kind: str | None = None,
        year: int | None = None,
        issuer: str | None = None,
        progress: ProgressFn | None = None,
        replace: bool = False,
        actor: Account | None = None,
        unit: str = "",
    ) -> IngestReport:
        """Index files, folders or http(s) URLs; unchanged files are skipped. A title already indexed with
        different content is replaced only with `replace`, else ReplaceNeeded names what would be replaced.

        `actor`: the account doing it (None: the command line). An account of a unit writes its unit's own
        documents only; statutes and policy documents need an administrator. Every change is recorded.
        `unit`: for the command line or an administrator, the unit a past report belongs to ("" = shared)."""
        from zhibi.corpus_log import may_ingest

        overrides = {
            k: v for k, v in {"title": title, "kind": kind, "year": year, "issuer": issuer}.items() if v
        }
        admin = actor is None or actor.admin
        report = self.index.ingest(
            [str(p) for p in paths],
            overrides=overrides,
            progress=progress,
            replace=replace,
            unit=unit if admin else actor.unit,  # type: ignore[union-attr]
            authorize=may_ingest(actor),  # type: ignore[arg-type]
        )
        self._record(report, actor)
        return report

    def _record(self, report: IngestReport, actor: Account | None) -> None:
        from zhibi.corpus_log import Change, CorpusLog, who

        CorpusLog(self.settings.home).append(
            [
                Change(
                    "replace" if c["old_sha256"] else "add",
                    c["title"],
                    who(actor),
                    kind=c["kind"],
                    old_sha256=c["old_sha256"],
                    new_sha256=c["new_sha256"],
                    unit=c["unit"],
                )
                for c in report.changes
            ]
        )

    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def remove(self, title: str, actor: Account | None = None) -> int:
        """Delete a document (an account of a unit: only its unit's own); the removal is recorded."""
        from zhibi.corpus_log import Change, CorpusLog, may_remove, who

        seen: dict = {}

        def check(live: dict) -> None:
            may_remove(actor)(live)  # type: ignore[operator]
            seen.update(live)

        n = self.index.remove(title, authorize=check)
        CorpusLog(self.settings.home).append(
            [
                Change(
                    "remove",
                    seen.get("title", title),
                    who(actor),
                    kind=seen.get("kind", ""),
                    old_sha256=seen.get("doc_sha", ""),
                    unit=seen.get("unit", "") or "",
                )
            ]
        )
        return n

    def corpus_changes(self) -> list:
        from zhibi.corpus_log import CorpusLog

        return CorpusLog(self.settings.home).changes()

    def confirm(self, title: str, actor: Account | None = None) -> object:
        """An administrator confirms the current text of a changed statute; its notice leaves the drafts."""
        from zhibi.corpus_log import CorpusLog, who

        if actor is not None and not actor.admin:
            raise ZhibiError("只有管理员可以确认法规文本的改动", hint="请联系管理员")
        return CorpusLog(self.settings.home).confirm(title, who(actor))

    def changed_notices(self, current: Draft) -> Draft:
        """Mark a draft citing a statute or policy document changed since an administrator last confirmed it:
        a remark on the draft and a warning in each section that cites it (kept until confirmed)."""
        from zhibi.corpus_log import CorpusLog, notice

        pending = CorpusLog(self.settings.home).unconfirmed()
        if not pending:
            return current
        cited = {s.id: s.title for s in current.sources if s.title in pending}
        titles = sorted(set(cited.values()))
        for title in titles:
            line = notice(pending[title])
            if line not in current.remarks:
                current.remarks.append(line)
        for section in current.sections:
            marks = {int(m) for m in re.findall(r"\[(\d+)\]", section.text)} | set(section.citations)
            for n in sorted(marks):
                if n in cited and (line := notice(pending[cited[n]])) not in section.warnings:
                    section.warnings.append(line)
        return current

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: str | None = None,
        year: int | None = None,
        issuer: str | None = None,
        mode: str = "hybrid",
    ) -> list[Passage]:
        return self.index.search(query, k, kind=kind, year=year, issuer=issuer, mode=mode)

    def chunks(self, title: str) -> list[Chunk]:
        return self.index.chunks(title)

    def missing_key_documents(self) -> list[str]:
        """Key documents (纲要, 督察工作规定, core statutes) that no indexed title contains."""
        titles = [d.title for d in self.documents()]
        return [key for key in KEY_DOCUMENTS if not any(_core(key) in _core(t) for t in titles)]

    # -- drafting -------------------------------------------------------------
    @property
    def drafter(self) -> Drafter:
        """The drafter over this corpus; a new one (and a new LLM client) when the settings are replaced."""
        drafter = self._drafter
        if drafter is None or drafter.settings is not self.settings:
            from drafting.drafter import Drafter

            corpus = self.index
            drafter = self._drafter = Drafter(
                corpus, self.settings, load_ms=self.load_ms, wrap_model=self._shared_model
            )
        return drafter

    def _shared_model(self, model: Any) -> Any:
        """The chat client behind this worker's fair LLM queue and the breaker every worker shares."""
        from zhibi.llm_queue import shared_model

        return shared_model(model, self.settings)

    def draft(
        self,
        notes: str,
        unit: str,
        year: int,
        section: str | None = None,
        engine: str = "auto",
        on_token: Callable[[str], None] | None = None,
    ) -> Draft:
        """Draft the whole report (section None or "report") or one outline key from raw notes."""
        result = self.drafter.draft(
            notes, unit=unit, year=year, section=section, engine=engine, on_token=on_token
        )
        return self.settle(None, result)[0]

    def stream_draft(
        self,
        notes: str,
        unit: str,
        year: int,
        section: str | None = None,
        engine: str = "auto",
        keep: Draft | None = None,
    ) -> Iterator[DraftEvent]:
        """Same as draft(), yielding progress and text events; the last event carries the Draft.

        `keep` is the draft this one replaces: its locked sections come back unchanged.
        """
        for event in self.drafter.stream_draft(notes, unit=unit, year=year, section=section, engine=engine):
            if event.kind == "done" and event.draft is not None:
                event.draft = self.settle(keep, event.draft)[0]
            yield event

    def settle(self, previous: Draft | None, new: Draft) -> tuple[Draft, list[str]]:
        """Every path that makes a draft ends here: locked sections of `previous` put back (and the checks
        run again over them), sources renumbered from what the text cites. Returns the keys restored."""
        from drafting.citations import renumber
        from drafting.locks import keep_locked

        new, restored = keep_locked(previous, new)
        new = renumber(new)
        if restored:
            timings, engine = dict(new.timings), new.engine
            new = self.drafter.recheck(new)
            new.timings, new.engine = timings, engine
        return self.changed_notices(new), restored

    def regenerate(
        self,
        current: Draft,
        key: str,
        *,
        notes: str | None = None,
        instruction: str = "",
        engine: str = "auto",
        section_lines: str | None = None,
    ) -> Draft:
        """Redraft one section, keeping the others, their citations and numbering; locked sections are kept.

        `section_lines`: the section's note lines as the user edited them (they replace its lines in the notes).
        """
        placement = None
        if section_lines is not None and (
            edit := self.drafter.with_section_lines(current, key, section_lines)
        ):
            notes, placement = edit
        result = self.drafter.regenerate(
            current, key, notes=notes, instruction=instruction, engine=engine, placement=placement
        )
        return self.settle(current, result)[0]

    def section_lines(self, current: Draft, key: str) -> list[Fact]:
        """The notes lines the draft placed in section `key` (from its stored placement)."""
        return self.drafter.section_lines(current, key)

    def move_lines(self, current: Draft, rows: list[int], key: str, engine: str = "auto") -> Draft:
        """Move notes lines (rows of current.placement) to another part; only the part each line leaves and
        the part it joins are redrafted, every other part keeps its text."""
        return self.move(current, rows, key, engine=engine).draft

    def move(self, current: Draft, rows: list[int], key: str, engine: str = "auto") -> MoveResult:
        """move_lines() with what it did, for the message the page shows (parts named by their headings)."""
        result = self.drafter.move_result(current, rows, key, engine=engine)
        result.draft = self.settle(current, result.draft)[0]
        return result

    def confirm_pending(self, current: Draft, index: int, key: str, engine: str = "auto") -> Draft:
        """Write a clause waiting in 待确认 (current.pending[index]) into section `key`, as the user decided."""
        return self.settle(current, self.drafter.confirm(current, index, key, engine=engine))[0]

    def recheck(self, current: Draft) -> Draft:
        """Run the checks again after a hand edit; the text is kept exactly as edited, sources renumbered."""
        from drafting.citations import renumber

        return self.changed_notices(self.drafter.recheck(renumber(current)))

    def prior_plans(self, current: Draft) -> list[PlanItem]:
        """Last year's 下一年度主要安排 as a checklist: which promises this year's notes answer."""
        from drafting.outline import load_outline
        from drafting.sources.prior import plans_checklist

        outline = load_outline(self.settings.outline_path)
        # The draft's own placement: the checklist agrees with where the draft put each line.
        facts = current.placement or self.drafter.read(current.notes, outline, current.year).facts
        return plans_checklist(self.index, outline, current, facts)

    def revise(self, current: Draft, message: str, engine: str = "auto") -> tuple[Draft, str]:
        """Apply a follow-up message ("第二部分再精简些", "补充：…"); returns the new draft and a reply."""
        from drafting.revise import revise

        new, reply = revise(self.drafter, current, message, engine=engine)
        if new is current:  # nothing was changed (a request the engine cannot do): the same draft back
            return new, reply
        new, restored = self.settle(current, new)
        if restored:
            names = "、".join(f"“{s.heading or s.key}”" for s in current.sections if s.key in restored)
            reply = f"{names}已锁定，保持原文未改（要修改请先取消锁定）。{reply}"
        return new, reply


def _core(title: str) -> str:
    """Title without the 中华人民共和国 prefix and bracketed version notes, for loose matching."""
    import re

    title = title.removeprefix("中华人民共和国")
    return re.sub(r"[（(][^）)]*[）)]", "", title).replace("－", "-").strip()
