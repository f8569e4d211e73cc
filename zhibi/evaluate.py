"""`zhibi eval CASES_DIR`: draft every case and measure it against its expectations (../shared/eval/README.md).

The measures are computed here from the draft's text and the original corpus files, independently of the
checks the drafting pipeline ran on itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import tomllib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ZhibiError
from core.types import Draft
from drafting.checks.verify import squash
from drafting.text.normalize import MARKDOWN, ascii_punct_in_chinese, to_fullwidth
from drafting.text.numbers import CITATION, contains_figure, find_figures

if TYPE_CHECKING:
    from zhibi.api import Workspace

PART_NUMBERS = {"measures": "一、", "leadership": "二、", "shortcomings": "三、", "plans": "四、"}
# Spoken register a published report never keeps (README: "搞了" → 开展, "罚了" → 罚款, "的案子" → 案件 …).
SPOKEN = (
    "搞了",
    "搞的",
    "罚了",
    "做了",
    "出了",
    "弄了",
    "整了",
    "的案子",
    "案子",
    "这块",
    "那块",
    "咱们",
    "咱",
    "啥",
)
LABEL_MARK = re.compile(r"【(?!待补充)[^】]{1,30}】")
NOTE_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|\*\*)"
)


@dataclass
class CaseResult:
    name: str
    scope: str
    facts_kept: int = 0
    facts_total: int = 0
    facts_missing: list[str] = field(default_factory=list)
    carried_over: list[str] = field(default_factory=list)
    numbers_unsupported: list[str] = field(default_factory=list)
    citations_unresolved: list[str] = field(default_factory=list)
    placeholders_missing: list[str] = field(default_factory=list)
    placeholders_unexpected: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # [[place]] lines in no section but waiting in 待确认
    placed: int = 0
    place_total: int = 0
    wrapping: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)
    structure: list[str] = field(default_factory=list)
    style: list[str] = field(default_factory=list)
    bigram_f1: float | None = None
    seconds: float = 0.0
    roles: list[str] = field(default_factory=list)  # a figure or task stated against its role in the notes
    facts_pending: list[str] = field(default_factory=list)  # facts not in the text but waiting in 待确认
    status: str = ""

    @property
    def clean(self) -> bool:
        return not (
            self.facts_missing
            or self.carried_over
            or self.numbers_unsupported
            or self.citations_unresolved
            or self.placeholders_missing
            or self.placeholders_unexpected
            or self.misplaced
            or self.asked
            or self.wrapping
            or self.spoken
            or self.structure
            or self.style
            or self.roles
            or (self.status == "green" and bool(self.facts_missing or self.carried_over or self.roles))
        )


def run_cli(ws: Workspace, cases_dir: Path, *, engine: str = "offline", as_json: bool = False) -> int:
    results = run_cases(ws, cases_dir, engine=engine)
    if as_json:
        print(json.dumps([asdict(r) | {"clean": r.clean} for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(format_case(r))
        print(summary_line(results))
    return 0 if all(r.clean for r in results) else 1


def run_cases(ws: Workspace, cases_dir: Path, *, engine: str = "offline") -> list[CaseResult]:
    cases_dir = Path(cases_dir)
    folders = (
        sorted(p for p in cases_dir.iterdir() if (p / "case.toml").exists()) if cases_dir.is_dir() else []
    )
    if not folders:
        raise ZhibiError(f"{cases_dir} 下没有评测用例（case.toml）", hint="指向 eval/cases 文件夹")
    corpus = cases_dir.parent.parent / "corpus"
    return [run_case(ws, folder, corpus, engine=engine) for folder in folders]


def run_case(ws: Workspace, folder: Path, corpus: Path, *, engine: str = "offline") -> CaseResult:
    case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    notes = (folder / "notes.md").read_text(encoding="utf-8")
    files = sorted({str(p) for pattern in case.get("index", []) for p in corpus.glob(pattern) if p.is_file()})
    case_ws = workspace_for(ws, files)
    scope = case.get("section") if case.get("scope") == "section" else None
    started = time.perf_counter()
    result_draft = case_ws.draft(
        notes, unit=case["unit"], year=int(case["year"]), section=scope, engine=engine
    )
    seconds = time.perf_counter() - started
    result = measure(result_draft, case, notes, corpus, folder.name)
    result.seconds = round(seconds, 2)
    return result


_workspaces: dict[str, Workspace] = {}


def workspace_for(ws: Workspace, files: list[str]) -> Workspace:
    """A workspace whose index holds exactly `files`, cached under $ZHIBI_HOME/eval/<hash> across runs."""
    from core.config import resolve_settings
    from zhibi.api import Workspace as _Workspace

    digest = hashlib.sha256()
    for f in files:
        stat = Path(f).stat()
        digest.update(f"{Path(f).name}:{stat.st_size}:{_file_hash(f)}".encode())
    key = digest.hexdigest()[:16]
    if key in _workspaces:
        return _workspaces[key]
    home = ws.settings.home / "eval" / key
    settings = resolve_settings(
        home=home,
        chroma_url="",
        embed_base_url=ws.settings.embed_base_url,
        embed_model=ws.settings.embed_model,
        llm_base_url=ws.settings.llm_base_url,
        llm_api_key=ws.settings.llm_api_key,
        llm_model=ws.settings.llm_model,
    )
    case_ws = _Workspace(settings)
    if not case_ws.documents():
        case_ws.ingest(files)
    _workspaces[key] = case_ws
    return case_ws


def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def measure(draft: Draft, case: dict, notes: str, corpus: Path, name: str) -> CaseResult:
    year = int(case["year"])
    r = CaseResult(name=name, scope=case.get("section") or case.get("scope", "report"))
    text = "\n".join(f"{s.heading}\n{s.text}" for s in draft.sections)
    body = CITATION.sub("", text)
    facts = list(case.get("facts", []))
    r.facts_total = len(facts)
    r.facts_missing = [f for f in facts if not contains_figure(body, f)]
    r.facts_kept = r.facts_total - len(r.facts_missing)
    waiting = "\n".join(c.text for c in draft.pending)
    r.facts_pending = [f for f in r.facts_missing if contains_figure(to_fullwidth(waiting), f)]
    r.facts_missing = [f for f in r.facts_missing if f not in r.facts_pending]
    # An unfinished task may be written in the parts about shortfalls and next year's work.
    done_parts = "\n".join(
        CITATION.sub("", s.text)
        for s in draft.sections
        if s.key.split(".")[0] not in ("shortcomings", "plans")
    )
    r.roles = _role_errors(body, case, year, done_parts)
    r.status = draft.status.level
    r.carried_over = [s for s in case.get("must_not_contain", []) if s in body]
    expected = case.get("expect_placeholder_for", [])
    for key in expected:
        sec = draft.section(key)
        if sec is None or not sec.placeholder or "待补充" not in sec.text:
            r.placeholders_missing.append(key)
    notes_norm = to_fullwidth(notes)
    sources = {s.id: s for s in draft.sources}
    originals = _original_texts(corpus)
    for sec in draft.sections:
        cited = [int(n) for n in CITATION.findall(sec.text)]
        quotes = [sources[n].quote for n in cited if n in sources]
        for fig in find_figures(sec.heading + "\n" + sec.text, year=year):
            if contains_figure(notes_norm, fig.text) or contains_figure(notes_norm, fig.number):
                continue
            if any(contains_figure(q, fig.text) for q in quotes):
                continue
            r.numbers_unsupported.append(fig.text)
        for n in cited:
            src = sources.get(n)
            doc = originals.get(src.title, "") if src else ""
            if src is None or not doc or squash(src.quote) not in doc:
                r.citations_unresolved.append(f"[{n}]")
    allowed = set(expected) | set(case.get("may_be_placeholder", []))
    if case.get("scope") == "report":
        r.structure = _structure_problems(draft, allowed)
        r.placeholders_unexpected = [
            s.key for s in draft.sections if s.placeholder and s.level <= 1 and s.key not in allowed
        ]
    r.place_total = len(case.get("place", []))
    r.misplaced = _misplaced(draft, case.get("place", []))
    # A line the tool asks about is neither placed nor placed wrongly: it waits for the user.
    waiting_loose = _loose(to_fullwidth(waiting))
    r.asked = [
        m
        for m in r.misplaced
        if m.endswith("：不在任何一节") and _loose(to_fullwidth(m[: -len("：不在任何一节")])) in waiting_loose
    ]
    r.misplaced = [m for m in r.misplaced if m not in r.asked]
    r.placed = r.place_total - len(r.misplaced) - len(r.asked)
    r.wrapping = _wrapping_pasted(draft, notes)
    for sec in draft.sections:
        r.spoken.extend(f"{w}（{sec.key}）" for w in SPOKEN if w in sec.text)
    for sec in draft.sections:
        for hit in ascii_punct_in_chinese(sec.text):
            r.style.append(f"ASCII 标点：{hit}")
        if MARKDOWN.search(sec.text) or MARKDOWN.search(sec.heading):
            r.style.append(f"Markdown 标记：{sec.key}")
    if ref := case.get("reference"):
        reference = _reference_text(corpus / ref, case.get("reference_heading", ""))
        if reference:
            r.bigram_f1 = round(bigram_f1(delivered_text(draft), reference), 3)
    return r


# Written here, not taken from the checks: the evaluation must not share the judgement it measures.
_SAYS_COMPARISON = re.compile(r"同比|环比|较|比上|相比|上年|去年|增加|减少|增长|下降|提高|降低|持平")
_SAYS_NOT_DONE = re.compile(
    r"未|没(?!收)|尚|仍|正在|有待|将|计划|拟|下一步|继续|不足|滞后|延期|推迟|明年|下一年度"
)


def _role_errors(body: str, case: dict, year: int, done_parts: str) -> list[str]:
    """A case's role fields (eval/README.md): superseded figures never, another year's only as a comparison,
    doubted ones only marked 待核实, unfinished tasks never as done."""
    sentences = [s for s in re.split(r"(?<=[。；！？\n])", body) if s.strip()]
    out = []

    def figures_of(text: str) -> list[str]:
        return [f.text for f in find_figures(to_fullwidth(text), year=year) if f.unit] or [text]

    for item in case.get("superseded", []):
        out += [f"已更正的数字：{f}" for f in figures_of(item) if contains_figure(body, f)]
    for item in case.get("earlier_year", []):
        for f in figures_of(item):
            if any(contains_figure(s, f) and not _SAYS_COMPARISON.search(s) for s in sentences):
                out.append(f"往年数字：{f}")
    for item in case.get("unconfirmed", []):
        for f in figures_of(item):
            if any(contains_figure(s, f) and "待核实" not in s for s in sentences):
                out.append(f"存疑数字：{f}")
    for item in case.get("not_done", []):
        core = re.sub(r"[^\u4e00-\u9fff]", "", item)
        if len(core) >= 4 and any(
            core in re.sub(r"[^\u4e00-\u9fff]", "", s) and not _SAYS_NOT_DONE.search(s)
            for s in re.split(r"(?<=[。；！？\n])", done_parts)
        ):
            out.append(f"未完成写成完成：{item}")
    facts = case.get("facts", [])
    return [e for e in dict.fromkeys(out) if not any(e.endswith(f"：{f}") for f in facts)]


def _misplaced(draft: Draft, places: list[dict]) -> list[str]:
    """[[place]] lines not in a section whose key is in `in` (a key names itself and its sub-sections),
    or also in another section."""
    out = []
    for place in places:
        text, wanted = _loose(to_fullwidth(place["text"])), place["in"]
        holders = [s.key for s in draft.sections if text in _loose(CITATION.sub("", s.text))]

        if not holders:
            out.append(f"{place['text']}：不在任何一节")
        elif not all(any(k == w or k.startswith(w + ".") for w in wanted) for k in holders):
            out.append(f"{place['text']}：在 {'、'.join(holders)}，应在 {'、'.join(wanted)}")
    return out


def _loose(text: str) -> str:
    """A phrase as written either way: "配备率100%" and "配备率达100%" are the same line of the notes."""
    return re.sub(r"(?:达到|达|为|至)(?=\d)", "", text)


def _wrapping_pasted(draft: Draft, notes: str) -> list[str]:
    """The notes' own wrapping in the draft: 【…】 labels, the notes' title, heading lines and covering lines.

    Read from the notes here, independently of the pipeline's reader: the first line when it states no figure,
    heading-shaped lines (numbered, Markdown, bold, or short and ending in ：) with no figure.
    """
    body = CITATION.sub("", "\n".join(s.text for s in draft.sections if not s.placeholder))
    problems = [f"标签：{m}" for m in LABEL_MARK.findall(body)]
    lines = [line.strip() for line in notes.splitlines() if line.strip()]
    for n, line in enumerate(lines):
        if find_figures(to_fullwidth(line)):
            continue
        shaped = NOTE_HEADING.match(line) or line.rstrip().endswith((":", "：")) or n == 0
        if not shaped or "|" in line:
            continue
        core = to_fullwidth(re.sub(r"^[#*\s]+|[*\s]+$", "", NOTE_HEADING.sub("", line))).rstrip("：: ")
        if len(core) < 6:
            continue
        if core in body:
            problems.append(f"材料的标题或说明：{core}")
    return problems


def _structure_problems(draft: Draft, allowed: set[str] | None = None) -> list[str]:
    problems = []
    keys = [s.key for s in draft.sections]
    order = [k for k in keys if k in PART_NUMBERS]
    if order != list(PART_NUMBERS):
        problems.append("部分缺失或顺序不对：" + " ".join(order))
    for key, number in PART_NUMBERS.items():
        sec = draft.section(key)
        if sec is not None and not sec.heading.startswith(number):
            problems.append(f"{key} 的标题应以“{number}”开头：{sec.heading}")
    spoken = {k.split(".")[0] for k in keys}
    for key in spoken & set(PART_NUMBERS):
        own = [s for s in draft.sections if s.key == key or s.key.startswith(key + ".")]
        if key in (allowed or set()):
            continue
        if all(s.placeholder or len(s.text.strip()) < 10 for s in own) and not any(
            s.placeholder for s in own
        ):
            problems.append(f"{key} 没有正文")
    return problems


def _original_texts(corpus: Path) -> dict[str, str]:
    """Title → whitespace-squashed text of the original file, from the corpus manifest."""
    manifest = corpus / "manifest.toml"
    out: dict[str, str] = {}
    if not manifest.exists():
        return out
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    for doc in data.get("document", []):
        path = corpus / doc["file"]
        if path.exists():
            out[doc["title"]] = squash(path.read_text(encoding="utf-8"))
    return out


def delivered_text(draft: Draft) -> str:
    """The draft as a reader gets it, headings included and [n] markers left out: the published reference is
    compared with its own headings too (a section's reference starts at its heading line)."""
    return CITATION.sub(
        "", "\n".join(filter(None, (line for s in draft.sections for line in (s.heading, s.text))))
    )


def _reference_text(path: Path, heading: str) -> str:
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    if not heading:
        return text
    start = text.find(heading)
    if start < 0:
        return ""
    rest = text[start:]
    level = r"^（[一二三四五六七八九十]+）" if heading.startswith("（") else r"^[一二三四五六七八九十]+、"
    following = [m.start() for m in re.finditer(level, rest, re.M) if m.start() > 0]
    return rest[: following[0]] if following else rest


def bigram_f1(candidate: str, reference: str) -> float:
    def grams(t: str) -> Counter[str]:
        han = re.sub(r"[^\u4e00-\u9fff0-9]", "", t)
        return Counter(han[i : i + 2] for i in range(len(han) - 1))

    c, r = grams(candidate), grams(reference)
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def format_case(r: CaseResult) -> str:
    status = "clean" if r.clean else "NOT CLEAN"
    parts = [
        f"{r.name:<28} {status:<9}",
        f"facts {r.facts_kept}/{r.facts_total}",
        f"carried-over {len(r.carried_over)}",
        f"unsupported {len(r.numbers_unsupported)}",
        f"unresolved {len(r.citations_unresolved)}",
        f"placeholders-missing {len(r.placeholders_missing)}",
        f"placed {r.placed}/{r.place_total}",
        f"asked {len(r.asked)}",
        f"wrapping {len(r.wrapping)}",
        f"spoken {len(r.spoken)}",
        f"structure {len(r.structure)}",
        f"style {len(r.style)}",
        f"roles {len(r.roles)}",
        f"pending {len(r.facts_pending)}",
        f"status {r.status}",
        f"bigram-F1 {r.bigram_f1 if r.bigram_f1 is not None else '-'}",
        f"{r.seconds:.2f}s",
    ]
    line = "  ".join(parts)
    details = []
    for label, items in (
        ("missing", r.facts_missing),
        ("pending", r.facts_pending),
        ("roles", r.roles),
        ("carried", r.carried_over),
        ("unsupported", r.numbers_unsupported),
        ("unresolved", r.citations_unresolved),
        ("placeholders", r.placeholders_missing),
        ("unexpected placeholders", r.placeholders_unexpected),
        ("misplaced", r.misplaced),
        ("asked", r.asked),
        ("wrapping", r.wrapping),
        ("spoken", r.spoken),
        ("structure", r.structure),
        ("style", r.style),
    ):
        if items:
            details.append(f"    {label}: {'; '.join(items)}")
    return "\n".join([line, *details])


def summary_line(results: list[CaseResult]) -> str:
    clean = sum(r.clean for r in results)
    kept = sum(r.facts_kept for r in results)
    total = sum(r.facts_total for r in results)
    f1s = [r.bigram_f1 for r in results if r.bigram_f1 is not None]
    f1 = f"{sum(f1s) / len(f1s):.3f}" if f1s else "-"
    return (
        f"eval: {clean}/{len(results)} clean; facts {kept}/{total}; "
        f"carried-over {sum(len(r.carried_over) for r in results)}; "
        f"unsupported {sum(len(r.numbers_unsupported) for r in results)}; "
        f"unresolved {sum(len(r.citations_unresolved) for r in results)}; "
        f"placeholders-missing {sum(len(r.placeholders_missing) for r in results)}; "
        f"placeholders-unexpected {sum(len(r.placeholders_unexpected) for r in results)}; "
        f"placed {sum(r.placed for r in results)}/{sum(r.place_total for r in results)}; "
        f"asked {sum(len(r.asked) for r in results)}; "
        f"wrapping {sum(len(r.wrapping) for r in results)}; spoken {sum(len(r.spoken) for r in results)}; "
        f"structure {sum(len(r.structure) for r in results)}; style {sum(len(r.style) for r in results)}; "
        f"roles {sum(len(r.roles) for r in results)}; pending {sum(len(r.facts_pending) for r in results)}; "
        f"green {sum(r.status == 'green' for r in results)}; "
        f"bigram-F1 mean {f1}"
    )
