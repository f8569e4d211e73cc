"""Shared dataclasses: every stage speaks these, never langchain or chromadb objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("report", "law", "policy", "other")


@dataclass
class DocMeta:
    """What is known about a document: from its manifest, inferred from its text, or given by the user."""

    title: str
    kind: str
    year: int | None = None
    issuer: str = ""
    path: str = ""  # file path or URL it came from


@dataclass
class Chunk:
    """A piece of a document as stored in the index."""

    id: str
    title: str
    kind: str
    year: int | None
    issuer: str
    locator: str  # heading path such as "一（四）" or "第三十三条"
    heading: str  # heading text of the innermost part, e.g. "严格规范公正文明执法"
    text: str
    order: int  # position within its document
    part: str = ""  # top-level part heading (一、…) the chunk belongs to, "" when none


@dataclass
class Passage:
    """A chunk returned by a search, with its score."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None

    @property
    def title(self) -> str:
        return self.chunk.title

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def locator(self) -> str:
        return self.chunk.locator

    @property
    def kind(self) -> str:
        return self.chunk.kind

    @property
    def year(self) -> int | None:
        return self.chunk.year

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "title": c.title,
            "kind": c.kind,
            "year": c.year,
            "issuer": c.issuer,
            "locator": c.locator,
            "heading": c.heading,
            "text": c.text,
            "score": round(self.score, 6),
        }


@dataclass
class DocumentInfo:
    title: str
    kind: str
    year: int | None
    issuer: str
    chunks: int
    path: str = ""
    sha256: str = ""
    unit: str = ""  # "" = shared; else the unit whose own document (past report, upload) it is


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # titles newly indexed
    replaced: list[str] = field(default_factory=list)  # titles whose file changed
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # links in a folder that lead outside it, not read
    # one entry per document written: title, kind, old_sha256 ("" when new), new_sha256, unit
    changes: list[dict] = field(default_factory=list)
    # sentences addressing the model ("忽略以上要求") taken out of the documents: "《title》：sentence"
    flagged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"新增 {len(self.added)} 篇，更新 {len(self.replaced)} 篇，未变 {len(self.unchanged)} 篇，"
            f"写入 {self.chunks} 个片段，用时 {self.seconds:.1f} 秒"
        )
        if self.skipped:
            line += f"\n跳过 {len(self.skipped)} 个指向文件夹外的链接（未导入）：" + "、".join(self.skipped)
        if self.flagged:
            line += f"\n删去 {len(self.flagged)} 句针对大模型的指令（不进入检索和提示词）：" + "；".join(
                self.flagged
            )
        return line


@dataclass
class Fact:
    """One line of the notes that states something, normalised, with the outline key it belongs to."""

    text: str  # normalised text (full-width punctuation, half-width digits)
    raw: str  # the line as pasted
    key: str  # outline key, e.g. "measures.enforcement"
    figures: list[str] = field(default_factory=list)  # figures with unit words, e.g. "326件", "218.6万元"
    line_no: int = 0
    assigned_by: str = "heading"  # heading | keyword | retrieval | llm | user
    origin: str = ""  # who reported the line ("法规股", "执法大队"), never its topic
    headings: list[str] = field(
        default_factory=list
    )  # the notes' own heading chain above the line, outermost first
    reason: str = ""  # why it was placed under `key`, in Chinese, for the placement table
    confidence: float = 1.0  # 0..1; low-confidence lines are marked for the user to check

    def placement_row(self) -> dict[str, Any]:
        return {
            "line": self.line_no,
            "text": self.raw or self.text,
            "key": self.key,
            "reason": self.reason or self.assigned_by,
            "confidence": round(self.confidence, 3),
            "origin": self.origin,
            # enough to draft from the row again without re-reading the notes
            "fact": self.text,
            "figures": list(self.figures),
            "by": self.assigned_by,
            "headings": list(self.headings),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Fact:
        return cls(
            text=row.get("fact") or row["text"],
            raw=row["text"],
            key=row["key"],
            figures=list(row.get("figures", [])),
            line_no=int(row.get("line", 0)),
            assigned_by=row.get("by", "heading"),
            origin=row.get("origin", ""),
            headings=list(row.get("headings", [])),
            reason=row.get("reason", ""),
            confidence=float(row.get("confidence", 1.0)),
        )

    @property
    def low_confidence(self) -> bool:
        return self.confidence < 0.5


# Roles a clause of the notes can have besides a fact of the report year (its part: plan, shortcoming, measure,
# is decided by placement). None of them is written as this year's fact.
CLAUSE_ROLES: dict[str, str] = {
    "earlier": "往年数字或对比",
    "partial": "某月、某季度或截至某月的数字，不是全年数",
    "superseded": "已被更正的数字",
    "unconfirmed": "存疑待核实",
    "not_done": "未完成的事项",
    "wrapping": "材料的包装（邮件头、标签、链接、导出信息）",
    "remark": "对起草人说的话",
    "filler": "口头语",
    "unplaced": "归属不确定",
}


@dataclass
class Clause:
    """A clause of the notes set aside by its role: never written as this year's fact.

    `pending` ones wait in 待确认 for the user (a figure the tool cannot vouch for, a task not done); the rest are
    listed for the record (wrapping, remarks, speech, corrected-away figures)."""

    line_no: int
    text: str
    role: str  # a key of CLAUSE_ROLES
    cue: str = ""  # the words that decided the role
    confidence: float = 1.0
    figures: list[str] = field(default_factory=list)
    pending: bool = False
    reason: str = ""  # in Chinese, for the 待确认 list
    # A question about the notes as a whole (a legend the paste lost, the period of every figure): confirming it
    # writes nothing into the text; it records that the user has checked.
    about_notes: bool = False

    def row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedNotes:
    facts: list[Fact] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # chatter lines, as pasted
    instructions: list[str] = field(default_factory=list)  # lines that try to instruct the tool
    covering: list[str] = field(
        default_factory=list
    )  # the notes' own wrapping: titles, "仅供参考", heading lines
    set_aside: list[Clause] = field(default_factory=list)  # clauses whose role keeps them out of the text

    @property
    def pending(self) -> list[Clause]:
        return [c for c in self.set_aside if c.pending]


@dataclass
class Source:
    """A numbered citation: [id] points at a verbatim quote of a named document."""

    id: int
    title: str
    kind: str
    locator: str
    quote: str
    context: str = ""  # the whole chunk the quote comes from, for the UI
    role: str = ""  # basis (law/policy) | wording (past report) | opening | closing


@dataclass
class PriorRef:
    """Last year's matching section and how much of the draft repeats it verbatim."""

    title: str
    locator: str
    verbatim_share: float
    text: str = ""
    year: int | None = None


@dataclass
class SentenceEvidence:
    """One sentence of a section and what supports it: note lines (by number), cited sources, or nothing."""

    sentence: str
    note_lines: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    status: str = "unsupported"  # supported | source | formula | unsupported | flagged
    problems: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    heading: str
    text: str
    citations: list[int] = field(default_factory=list)
    placeholder: bool = False
    warnings: list[str] = field(default_factory=list)
    prior: PriorRef | None = None
    locked: bool = False
    level: int = 1  # 0 preamble/title, 1 part (一、), 2 sub-section (（一）)
    run_in: bool = False  # heading and text share one paragraph ("（四）严格规范公正文明执法。以…")
    evidence: list[SentenceEvidence] = field(default_factory=list)


CHECK_NAMES = (
    "facts_missing",
    "numbers_unsupported",
    "misattributed",
    "claims_unsupported",
    "citations_unresolved",
    "citations_irrelevant",
    "carried_over",
    "sections_unsupported",
    "parts_missing",
    "placeholders",
    "sentences_unsupported",
    "style",
    "instructions_ignored",
    "lines_elsewhere",
    "lines_dropped",
    "figures_other_year",
    "figures_superseded",
    "figures_unconfirmed",
    "not_done_as_done",
    "pending",
    "user_omitted",
)
# Need a look but are not errors: a placeholder to fill, a sentence no note line states, wording to polish, an
# instruction of the notes that was not obeyed, clauses waiting in 待确认, lines of the notes a one-section draft
# leaves to other parts. Dropped chatter and what the user deleted on purpose are for the record only.
AMBER_CHECKS = (
    "placeholders",
    "sentences_unsupported",
    "style",
    "instructions_ignored",
    "pending",
    "lines_elsewhere",
)
INFO_CHECKS = ("lines_dropped", "user_omitted")
RED_CHECKS = tuple(n for n in CHECK_NAMES if n not in AMBER_CHECKS and n not in INFO_CHECKS)
CHECK_LABELS: dict[str, str] = {
    "facts_missing": "材料数字未写入",
    "numbers_unsupported": "数字在材料中找不到",
    "misattributed": "数字张冠李戴",
    "claims_unsupported": "名称、荣誉、机构或日期无出处",
    "citations_unresolved": "引注无法对应来源",
    "citations_irrelevant": "引注与句子内容无关",
    "carried_over": "沿用往年报告的数字或原句",
    "sections_unsupported": "整节大部分内容在材料中找不到",
    "parts_missing": "缺少必备部分",
    "placeholders": "待补充的占位",
    "sentences_unsupported": "句子在材料中找不到依据",
    "style": "文风需修改",
    "instructions_ignored": "材料中的指令未执行",
    "lines_elsewhere": "属于其他部分、未写入本稿的材料",
    "lines_dropped": "未采用的闲聊行",
    "figures_other_year": "往年数字写成了今年的",
    "figures_superseded": "写入了已被更正的数字",
    "figures_unconfirmed": "存疑数字写成了确定的事实",
    "not_done_as_done": "未完成的事项写成已完成",
    "pending": "待确认的材料",
    "user_omitted": "按用户要求删去",
    "repairs": "已自动修正",
}
LEVEL_WORDS = {"green": "绿", "amber": "黄", "red": "红"}
SEVERITIES = ("red", "amber", "info")


@dataclass(frozen=True)
class ProblemKind:
    """A kind of problem the checks report: its label for people and how much it weighs on the verdict."""

    name: str
    label: str
    severity: str  # red (must be fixed) | amber (needs a look) | info (for the record)


def _severity_of(name: str) -> str:
    return "amber" if name in AMBER_CHECKS else "info" if name in INFO_CHECKS else "red"


PROBLEM_KINDS: dict[str, ProblemKind] = {
    n: ProblemKind(n, CHECK_LABELS[n], _severity_of(n)) for n in CHECK_NAMES
}


def register_problem_kind(name: str, label: str, severity: str) -> ProblemKind:
    """Add a kind of problem (the checks layer calls this for checks of its own); the verdict, the checks
    panel, the .docx and the JSON then count and show it like the built-in ones."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    kind = PROBLEM_KINDS[name] = ProblemKind(name, label, severity)
    return kind


def problem_kind(name: str) -> ProblemKind:
    """The kind registered under `name`; an unknown kind (a draft saved by a newer version) counts as red."""
    return PROBLEM_KINDS.get(name) or ProblemKind(name, name, "red")


@dataclass
class Problem:
    """One thing the checks found: the one list every verdict and every panel is computed from."""

    kind: str  # a key of PROBLEM_KINDS
    item: str  # what is wrong, as listed ("99件", "[3]", a sentence, a notes line)
    section: str = ""  # outline key of the section it is in; "" for the whole draft
    sentence: str = ""  # the sentence of the section it is in, when there is one

    @property
    def severity(self) -> str:
        return problem_kind(self.kind).severity

    @property
    def label(self) -> str:
        return problem_kind(self.kind).label

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "severity": self.severity, "label": self.label}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        kind = str(data["kind"])
        if kind not in PROBLEM_KINDS and data.get("severity") in SEVERITIES:
            # A kind the checks layer registered in the process that saved the draft: known by its record.
            register_problem_kind(kind, str(data.get("label") or kind), str(data["severity"]))
        return cls(
            kind=str(data["kind"]),
            item=str(data.get("item", "")),
            section=str(data.get("section", "")),
            sentence=str(data.get("sentence", "")),
        )


@dataclass
class Status:
    """The one verdict on a draft that the chat, checks panel, JSON, audit record and .docx all show."""

    level: str  # green | amber | red
    problems: int  # red items
    notices: int  # amber items
    repairs: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # non-empty checks only

    @property
    def headline(self) -> str:
        if self.level == "red":
            return f"核查发现 {self.problems} 个问题"
        if self.level == "amber":
            parts = []
            if self.notices:
                parts.append(f"{self.notices} 处需留意")
            if self.repairs:
                parts.append(f"已自动修正 {len(self.repairs)} 处")
            return "核查基本通过：" + "，".join(parts)
        return "核查通过"

    def summary(self) -> str:
        """One line: the level, the headline, the count per check and what was repaired."""
        # Every kind counted, the checks layer's own kinds too (they are red as much as the built-in ones).
        named = "、".join(
            f"{PROBLEM_KINDS[n].label} {c}"
            for n, c in self.counts.items()
            if n != "repairs" and n in PROBLEM_KINDS
        )
        line = f"【{LEVEL_WORDS[self.level]}】{self.headline}"
        if named:
            line += f"（{named}）"
        if self.repairs:
            line += "；修正：" + "；".join(self.repairs)
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "problems": self.problems,
            "notices": self.notices,
            "repairs": list(self.repairs),
            "counts": dict(self.counts),
            "summary": self.summary(),
        }


@dataclass
class Checks:
    facts_missing: list[str] = field(default_factory=list)
    numbers_unsupported: list[str] = field(default_factory=list)
    misattributed: list[str] = field(default_factory=list)  # a figure under a subject the notes give another
    claims_unsupported: list[str] = field(default_factory=list)  # 《titles》, honours, organisations, dates
    citations_unresolved: list[str] = field(default_factory=list)
    citations_irrelevant: list[str] = field(
        default_factory=list
    )  # "[3]" cited for a sentence it does not fit
    carried_over: list[str] = field(default_factory=list)  # last year's figures and event sentences
    sections_unsupported: list[str] = field(default_factory=list)  # sections mostly not stated by the notes
    parts_missing: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    sentences_unsupported: list[str] = field(default_factory=list)
    style: list[str] = field(default_factory=list)
    instructions_ignored: list[str] = field(default_factory=list)
    lines_elsewhere: list[str] = field(default_factory=list)  # one-section draft: lines placed elsewhere
    lines_dropped: list[str] = field(default_factory=list)
    user_omitted: list[str] = field(default_factory=list)  # figures the user deleted on purpose
    repairs: list[str] = field(default_factory=list)  # what was changed to pass the checks
    figures_other_year: list[str] = field(default_factory=list)  # another year's figure stated as this year's
    figures_superseded: list[str] = field(default_factory=list)  # a figure the notes correct
    figures_unconfirmed: list[str] = field(default_factory=list)  # a doubted figure stated as fact
    not_done_as_done: list[str] = field(default_factory=list)  # a not-done task stated as done
    pending: list[str] = field(default_factory=list)  # clauses with figures waiting in 待确认
    # Kinds registered by the checks layer beyond the fields above: kind → items.
    extra: dict[str, list[str]] = field(default_factory=dict)

    def listed(self, name: str) -> list[str]:
        if name in CHECK_NAMES or name == "repairs":
            return getattr(self, name)
        return self.extra.setdefault(name, [])

    def kinds(self) -> list[str]:
        """Every kind with items, red first, then amber, then info (the order the panels list them)."""
        names = [n for n in (*CHECK_NAMES, *self.extra) if self.listed(n)]
        order = {sev: i for i, sev in enumerate(SEVERITIES)}
        return sorted(names, key=lambda n: order[problem_kind(n).severity])

    @classmethod
    def from_problems(cls, problems: list[Problem], repairs: list[str] | None = None) -> Checks:
        """The problems grouped by kind (each item once), as the panels and exports list them."""
        checks = cls(repairs=list(repairs or []))
        for p in problems:
            items = checks.listed(p.kind)
            if p.item not in items:
                items.append(p.item)
        return checks

    def problems(self) -> int:
        """Count of items a reviewer must fix (red); notices, dropped chatter and repairs are not counted."""
        return sum(len(self.listed(n)) for n in self.kinds() if problem_kind(n).severity == "red")

    def status(self) -> Status:
        counts = {n: len(self.listed(n)) for n in self.kinds()}
        if self.repairs:
            counts["repairs"] = len(self.repairs)
        problems = self.problems()
        notices = sum(len(self.listed(n)) for n in self.kinds() if problem_kind(n).severity == "amber")
        if problems:
            level = "red"
        elif notices or self.repairs:
            level = "amber"  # a draft that needed repairs is not clean: the editor should see what changed
        else:
            level = "green"
        return Status(level, problems, notices, list(self.repairs), counts)

    def merge(self, other: Checks) -> None:
        for name in (*CHECK_NAMES, "repairs", *other.extra):
            mine = self.listed(name)
            for item in other.listed(name):
                if item not in mine:
                    mine.append(item)


@dataclass
class Draft:
    unit: str
    year: int
    engine: str
    title: str
    sections: list[Section] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    checks: Checks = field(default_factory=Checks)
    timings: dict[str, float] = field(default_factory=dict)
    scope: str = "report"  # "report" or an outline key
    notes: str = ""
    prior_title: str = ""  # last year's report, "" when none is indexed
    audit_path: str = ""
    id: str = ""
    placement: list[Fact] = field(
        default_factory=list
    )  # every fact of the notes with its key, reason, confidence
    covering: list[str] = field(
        default_factory=list
    )  # the notes' wrapping lines: titles, headings, table heads
    remarks: list[str] = field(default_factory=list)  # notes about the whole draft, not about one section
    set_aside: list[Clause] = field(default_factory=list)  # clauses kept out of the text by their role
    # Everything the checks found, each with its section and sentence: the one list the verdict (status),
    # the checks panel, the section warnings, 逐句依据, the .docx, the CLI and the JSON are all computed from.
    problems: list[Problem] = field(default_factory=list)
    # Figures the user deleted on purpose ("删掉“……”这句"): their choice, recorded, never a problem.
    omitted: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[Clause]:
        """待确认: clauses the tool will not write until the user says where they go."""
        return [c for c in self.set_aside if c.pending]

    @property
    def status(self) -> Status:
        if self.problems:
            return Checks.from_problems(self.problems, self.checks.repairs).status()
        return self.checks.status()

    def problems_in(self, key: str) -> list[Problem]:
        return [p for p in self.problems if p.section == key]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_json(self) -> dict[str, Any]:
        # Each kind is a list under its name, the checks layer's own kinds beside the built-in ones.
        checks = {k: v for k, v in asdict(self.checks).items() if k != "extra"}
        checks.update({k: list(v) for k, v in self.checks.extra.items()})
        return {
            "id": self.id,
            "unit": self.unit,
            "year": self.year,
            "engine": self.engine,
            "scope": self.scope,
            "title": self.title,
            "prior_report": self.prior_title or None,
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "text": s.text,
                    "citations": s.citations,
                    "placeholder": s.placeholder,
                    "warnings": s.warnings,
                    "prior": asdict(s.prior) if s.prior else None,
                    "locked": s.locked,
                    "level": s.level,
                    "run_in": s.run_in,
                    "evidence": [asdict(e) for e in s.evidence],
                }
                for s in self.sections
            ],
            "placement": [f.placement_row() for f in self.placement],
            "covering": list(self.covering),
            "remarks": list(self.remarks),
            "set_aside": [c.row() for c in self.set_aside],
            "pending": [c.row() for c in self.pending],
            "sources": [asdict(src) for src in self.sources],
            "checks": checks,
            "problems": [p.to_json() for p in self.problems],
            "omitted": list(self.omitted),
            "status": self.status.to_json(),
            "timings": self.timings,
            "audit": self.audit_path,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        sections = []
        for s in data.get("sections", []):
            prior = PriorRef(**s["prior"]) if s.get("prior") else None
            sections.append(
                Section(
                    key=s["key"],
                    heading=s["heading"],
                    text=s["text"],
                    citations=list(s.get("citations", [])),
                    placeholder=bool(s.get("placeholder")),
                    warnings=list(s.get("warnings", [])),
                    prior=prior,
                    locked=bool(s.get("locked")),
                    level=int(s.get("level", 1)),
                    run_in=bool(s.get("run_in")),
                    evidence=[SentenceEvidence(**e) for e in s.get("evidence", [])],
                )
            )
        return cls(
            unit=data["unit"],
            year=int(data["year"]),
            engine=data.get("engine", "offline"),
            title=data.get("title", ""),
            sections=sections,
            sources=[Source(**src) for src in data.get("sources", [])],
            checks=_checks_from_json(data.get("checks", {})),
            timings=dict(data.get("timings", {})),
            scope=data.get("scope", "report"),
            prior_title=data.get("prior_report") or "",
            audit_path=data.get("audit", ""),
            id=data.get("id", ""),
            placement=[Fact.from_row(row) for row in data.get("placement", [])],
            covering=list(data.get("covering", [])),
            remarks=list(data.get("remarks", [])),
            set_aside=[
                Clause(**{k: v for k, v in row.items() if k in Clause.__dataclass_fields__})
                for row in data.get("set_aside", [])
            ],
            problems=[Problem.from_json(p) for p in data.get("problems", [])],
            omitted=list(data.get("omitted", [])),
        )


def _checks_from_json(data: dict[str, Any]) -> Checks:
    known = {k: list(v) for k, v in data.items() if k in Checks.__dataclass_fields__ and k != "extra"}
    extra = {
        k: list(v) for k, v in data.items() if k not in Checks.__dataclass_fields__ and isinstance(v, list)
    }
    return Checks(**known, extra=extra)


@dataclass
class PlanItem:
    """One promise of last year's 下一年度主要安排, and whether this year's notes answer it."""

    text: str
    answered: bool
    evidence: list[str] = field(default_factory=list)  # note lines that answer it
    locator: str = ""
    # This year's 问题 or plan lines about the same work: it is not done (shown as such, never answered).
    not_done: list[str] = field(default_factory=list)
