"""Pure formatting: Draft, checks, sources, prior-year comparison and corpus listings to Markdown/HTML.

Nothing here touches gradio or the index, so every function is tested on hand-built Drafts. All text
that came from notes, documents or an engine is HTML-escaped before it is put into markup.
"""

from __future__ import annotations

import difflib
import html
import re
import time
import tomllib
from pathlib import Path

from core.types import (
    CHECK_LABELS,
    CHECK_NAMES,
    Checks,
    DocumentInfo,
    Draft,
    PlanItem,
    Section,
    Source,
    problem_kind,
)

REPORT = "report"

# Outline keys with the labels staff see; drafting/outline.toml, when it carries titles, takes precedence.
SECTION_LABELS: dict[str, str] = {
    "measures": "一、主要举措和成效（整部分）",
    "measures.organization": "加强组织领导",
    "measures.study": "学习贯彻习近平法治思想",
    "measures.functions": "依法全面履行政府职能",
    "measures.rules": "规范性文件和制度建设",
    "measures.decisions": "重大行政决策",
    "measures.enforcement": "严格规范公正文明执法",
    "measures.emergency": "突发事件依法应对",
    "measures.disputes": "化解矛盾纠纷（复议应诉）",
    "measures.oversight": "行政权力制约和监督",
    "measures.digital": "数字法治政府建设",
    "measures.publicity": "普法宣传教育",
    "leadership": "二、主要负责人履行第一责任人职责",
    "shortcomings": "三、存在的不足和原因",
    "plans": "四、下一年度主要安排",
    "other": "五、其他需要报告的情况",
}


KIND_LABELS = {"report": "往年报告", "law": "法律法规", "policy": "政策文件", "other": "其他"}


# -- outline ------------------------------------------------------------------
def load_labels(outline_path: Path | None) -> dict[str, str]:
    """Dropdown labels per outline key: the outline's short titles (numbered parts), else SECTION_LABELS.

    Keys the outline adds appear too, so a bureau's own outline shows up in the section choices.
    """
    labels = dict(SECTION_LABELS)
    if not outline_path or not Path(outline_path).is_file():
        return labels
    try:
        data = tomllib.loads(Path(outline_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return labels  # drafting reports a broken outline with a ZhibiError; the labels just fall back
    entries = [e for e in data.get("section", []) if isinstance(e, dict) and isinstance(e.get("key"), str)]
    if not entries:
        return labels
    out: dict[str, str] = {}
    part = 0
    for e in entries:
        title = str(e.get("title") or e.get("heading") or e["key"])
        if e.get("parent"):
            out[e["key"]] = title
        else:
            part += 1
            out[e["key"]] = f"{_CN[part - 1] if part <= len(_CN) else part}、{title}"
    return out


_CN = "一二三四五六七八九十"


def section_choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """Dropdown choices: (label, value) with the whole report first."""
    out = [("全文（整篇报告）", REPORT)]
    for key, label in labels.items():
        out.append((("　" + label) if "." in key else label, key))
    return out


def draft_section_choices(draft: Draft | None) -> list[tuple[str, str]]:
    """The sections of a draft that can be regenerated, locked or edited (the title block excluded)."""
    if draft is None:
        return []
    out = []
    for s in draft.sections:
        if s.level == 0 and not s.heading:
            continue
        mark = "🔒 " if s.locked else ""
        indent = "　" if s.level >= 2 else ""
        out.append((f"{indent}{mark}{s.heading or s.key}", s.key))
    return out


# -- the draft ----------------------------------------------------------------
# The page shows the same document model the exports write (title, parts, run-in sub-headings, paragraphs),
# rendered as HTML: Markdown would need emphasis marks around a run-in heading ending in 。, which CommonMark
# does not close before a CJK character, so "**（一）…。**我局" reached the screen as it was.
_MD_SPECIAL = re.compile(r"([\\`*_<>])")
_CITE = re.compile(r"[\[［](\d+)[\]］]")


def md_escape(text: str) -> str:
    """Escape what Markdown would eat in prose, keeping [n] citations readable as they are."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("](", "]\\(")  # "[3](" would become a link
    return re.sub(r"(?m)^(\s*)([#>+\-]|\d+[.)])(?=\s)", r"\1\\\2", text)


def prose_html(text: str) -> str:
    """Escaped text with each [n] a link that opens source n in the sources panel (see CITE_SCRIPT)."""
    out, pos = [], 0
    for m in _CITE.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        n = m.group(1)
        out.append(f'<a class="zb-cite" href="#zb-src-{n}" data-n="{n}" title="查看来源 [{n}]">[{n}]</a>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _paras(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def section_html(section: Section) -> str:
    """One section: part headings as <h3>, sub-headings as <h4> or run-in bold, then paragraphs."""
    paras = _paras(section.text)
    heading = section.heading.strip()
    lock = (
        ' <span class="zb-lock" title="已锁定：重新起草、重写和对话修改都不会改动本节">🔒</span>'
        if section.locked
        else ""
    )
    body = [f"<p>{prose_html(p)}</p>" for p in paras]
    if section.level == 0 or not heading:
        head = f'<h2 class="zb-title">{html.escape(heading)}</h2>' if heading else ""
        return head + "".join(body)
    if section.level >= 2 and section.run_in and paras:
        stop = "" if heading[-1:] in "。：；！？" else "。"
        first = (
            f'<p><strong class="zb-h2">{prose_html(heading + stop)}</strong>{lock}{prose_html(paras[0])}</p>'
        )
        return (
            f'<div class="zb-sec" data-key="{html.escape(section.key)}">'
            + first
            + "".join(body[1:])
            + "</div>"
        )
    tag = "h3" if section.level == 1 else "h4"
    return (
        f'<div class="zb-sec" data-key="{html.escape(section.key)}"><{tag} class="zb-h{section.level}">'
        f"{prose_html(heading)}{lock}</{tag}>" + "".join(body) + "</div>"
    )


def draft_html(draft: Draft | None) -> str:
    """The whole draft as HTML, [n] clickable; "" for no draft."""
    if draft is None:
        return ""
    parts = []
    if (
        draft.title
        and draft.scope == REPORT
        and not any(s.level == 0 and s.heading == draft.title for s in draft.sections)
    ):
        parts.append(f'<h2 class="zb-title">{html.escape(draft.title)}</h2>')
    parts.extend(section_html(s) for s in draft.sections)
    return '<article class="zb-doc">' + "".join(p for p in parts if p) + "</article>"


EMPTY_DRAFT = '<div class="zb-empty">尚未起草</div>'


def draft_panel(draft: Draft | None) -> str:
    return draft_html(draft) if draft is not None else EMPTY_DRAFT


def streaming_html(sections_done: list[Section], partial: str, status: str = "") -> str:
    """What the conversation shows while a draft streams: finished sections, then the text so far."""
    parts = [section_html(s) for s in sections_done]
    parts.extend(f"<p>{prose_html(p)}</p>" for p in _paras(partial))
    if status:
        parts.append(f'<p class="zb-status"><em>{html.escape(status)}…</em></p>')
    return '<div class="zb-doc">' + "".join(parts) + "</div>"


def chat_text(text: str) -> str:
    """A plain line for the conversation (which renders HTML): escaped, no Markdown marks."""
    return "<p>" + "<br>".join(html.escape(line) for line in text.strip().split("\n")) + "</p>"


LLM_DOWN = "大模型不可用"


def llm_fallbacks(draft: Draft) -> list[str]:
    """Section warnings saying the LLM endpoint failed and the offline engine wrote the section."""
    return [w for s in draft.sections for w in s.warnings if w.startswith(LLM_DOWN)]


def status_line(draft: Draft) -> str:
    """The one verdict after a follow-up or a redrafted section, as the checks panel shows it."""
    status = draft.status
    tail = "，见核查栏" if status.level != "green" else ""
    return f"（{LEVEL_MARKS[status.level]} {status.headline}{tail}）"


def draft_summary(draft: Draft) -> str:
    """One line for the conversation under a finished draft (and a warning when the LLM was down)."""
    section = draft.section(draft.scope)
    scope = "全文" if draft.scope == REPORT else (section.heading if section else draft.scope)
    c = draft.checks
    status = draft.status
    engine = {"offline": "离线引擎", "llm": "大模型", "llm+offline": "大模型＋离线引擎"}.get(
        draft.engine, draft.engine
    )
    total_ms = draft.timings.get("total_ms")
    took = f"，用时 {total_ms / 1000:.1f} 秒" if total_ms else ""
    check = f"{LEVEL_MARKS[status.level]} {html.escape(status.headline)}" + (
        "，见核查栏" if status.level != "green" else ""
    )
    placeholders = f"，{len(c.placeholders)} 处待补充" if c.placeholders else ""
    line = (
        f'<p class="zb-summary">（{html.escape(scope)} · {engine} · 引用 {len(draft.sources)} 条来源{took}；'
        f"{check}{placeholders}）</p>"
    )
    for remark in draft.remarks:
        line += f'<p class="zb-remark">提示：{html.escape(remark)}</p>'
    down = llm_fallbacks(draft)
    if down:
        line += (
            f"<p><strong>注意：大模型接口不可用，{len(down)} 节已改用离线引擎起草。</strong>"
            f"{html.escape(down[0])}</p>"
        )
    return line


# -- checks -------------------------------------------------------------------
LEVEL_MARKS = {"green": "🟢", "amber": "🟡", "red": "🔴"}


def check_counts(checks: Checks) -> dict[str, int]:
    return {n: len(checks.listed(n)) for n in (*CHECK_NAMES, *checks.extra, "repairs")}


def _label(name: str) -> str:
    return CHECK_LABELS.get(name) or problem_kind(name).label


def checks_html(draft: Draft | None) -> str:
    """A red/amber/green banner with counts, then each check's items and each section's warnings."""
    if draft is None:
        return '<div class="zb-banner zb-idle">起草后在这里显示核查结果</div>'
    # Everything below comes from the draft's one list of problems (Draft.problems): the banner's verdict,
    # the lists by kind, each section's warnings and 逐句依据 cannot disagree.
    checks = Checks.from_problems(draft.problems, draft.checks.repairs) if draft.problems else draft.checks
    counts = check_counts(checks)
    status = draft.status
    section_warnings = [(s, s.warnings) for s in draft.sections if s.warnings]
    level = f"zb-{status.level}"
    head = status.headline + ("：数字均有出处，引注均可对应" if status.level == "green" else "")
    names = [*checks.kinds(), *(["repairs"] if checks.repairs else [])]
    chips = "".join(
        f'<span class="zb-chip {_severity(n)}">{_label(n)} {counts[n]}</span>' for n in names if counts[n]
    )
    out = [f'<div class="zb-banner {level}" role="alert"><strong>{html.escape(head)}</strong>']
    if chips:
        out.append(f'<div class="zb-chips">{chips}</div>')
    out.append("</div>")
    for name in names:
        items = checks.listed(name)
        if not items:
            continue
        lis = "".join(f"<li>{html.escape(str(i))}</li>" for i in items)
        opened = " open" if _severity(name) == "zb-red" else ""
        out.append(
            f'<details class="zb-check {_severity(name)}"{opened}><summary>{_label(name)}'
            f"（{len(items)}）</summary><ul>{lis}</ul></details>"
        )
    if draft.remarks:
        lis = "".join(f"<li>{html.escape(r)}</li>" for r in draft.remarks)
        out.append(f'<div class="zb-remarks"><div class="zb-subhead">整稿提示</div><ul>{lis}</ul></div>')
    if section_warnings:
        out.append('<div class="zb-sec-warn"><div class="zb-subhead">分节提示</div>')
        for s, warnings in section_warnings:
            lis = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
            out.append(f"<div><strong>{html.escape(s.heading or s.key)}</strong><ul>{lis}</ul></div>")
        out.append("</div>")
    out.append(evidence_html(draft))
    return "\n".join(out)


EVIDENCE_WORDS = {
    "supported": "材料",
    "source": "来源",
    "formula": "套语",
    "unsupported": "无依据",
    "flagged": "有问题",
}


def evidence_html(draft: Draft) -> str:
    """Each section's sentence → evidence table: note line numbers, cited sources, or 无依据."""
    blocks = []
    for s in draft.sections:
        if not s.evidence:
            continue
        rows = []
        for e in s.evidence:
            where = []
            if e.note_lines:
                where.append("材料第 " + "、".join(str(n) for n in e.note_lines) + " 行")
            if e.sources:
                where.append("来源 " + "".join(f"[{n}]" for n in e.sources))
            problems = "；".join(e.problems)
            cls = "zb-red" if e.status in ("unsupported", "flagged") else "zb-info"
            rows.append(
                f'<tr class="{cls}"><td>{html.escape(e.sentence)}</td>'
                f"<td>{html.escape(EVIDENCE_WORDS.get(e.status, e.status))}</td>"
                f"<td>{html.escape('；'.join(where) or '—')}</td><td>{html.escape(problems)}</td></tr>"
            )
        bad = sum(1 for e in s.evidence if e.status in ("unsupported", "flagged"))
        blocks.append(
            f'<details class="zb-evidence"{" open" if bad else ""}><summary>{html.escape(s.heading or s.key)}'
            f"（{len(s.evidence)} 句，{bad} 句无依据或有问题）</summary>"
            "<table><thead><tr><th>句子</th><th>依据</th><th>出处</th><th>问题</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></details>"
        )
    if not blocks:
        return ""
    total = sum(len(s.evidence) for s in draft.sections)
    bad = sum(1 for s in draft.sections for e in s.evidence if e.status in ("unsupported", "flagged"))
    tally = f"{total} 句" + (f"，{bad} 句无依据或有问题" if bad else "，均有依据")
    return (
        f'<details class="zb-sec-evidence"><summary class="zb-subhead">逐句依据（{tally}）</summary>'
        + "".join(blocks)
        + "</details>"
    )


def _severity(name: str) -> str:
    if name == "repairs":
        return "zb-info"
    return {"red": "zb-red", "amber": "zb-amber"}.get(problem_kind(name).severity, "zb-info")


# -- sources ------------------------------------------------------------------
def sources_html(draft: Draft | None) -> str:
    """Each numbered source: document, locator, verbatim quote, and the passage in its context."""
    if draft is None:
        return '<div class="zb-empty">起草后在这里列出引用的来源</div>'
    if not draft.sources:
        return '<div class="zb-empty">本稿未引用来源</div>'
    cited_by: dict[int, list[str]] = {}
    for s in draft.sections:
        for n in s.citations:
            cited_by.setdefault(n, []).append(s.heading or s.key)
    out = [f'<div class="zb-subhead">共 {len(draft.sources)} 条来源，正文中以 [n] 标注</div>']
    for src in draft.sources:
        out.append(source_html(src, cited_by.get(src.id, [])))
    return "\n".join(out)


def source_html(src: Source, cited_in: list[str] | None = None) -> str:
    kind = KIND_LABELS.get(src.kind, src.kind)
    where = "、".join(html.escape(h) for h in cited_in or [])
    context = context_html(src.context, src.quote) if src.context else ""
    return (
        f'<details class="zb-src" id="zb-src-{src.id}"><summary><span class="zb-n">[{src.id}]</span> '
        f'《{html.escape(src.title)}》 <span class="zb-loc">{html.escape(src.locator)}</span> '
        f'<span class="zb-kind">{html.escape(kind)}</span></summary>'
        f'<blockquote class="zb-quote">{html.escape(src.quote)}</blockquote>'
        + (f'<div class="zb-cited">引用于：{where}</div>' if where else "")
        + (f'<div class="zb-ctx"><div class="zb-subhead">原文上下文</div>{context}</div>' if context else "")
        + "</details>"
    )


def context_html(context: str, quote: str) -> str:
    """The passage with the quoted span marked; the whole passage escaped."""
    at = context.find(quote) if quote else -1
    if at < 0:
        return f"<p>{_br(context)}</p>"
    end = at + len(quote)
    return f"<p>{_br(context[:at])}<mark>{_br(context[at:end])}</mark>{_br(context[end:])}</p>"


def _br(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


# -- prior year ---------------------------------------------------------------
def diff_html(old: str, new: str, min_equal: int = 3) -> tuple[str, str]:
    """Character-level differences: (last year's text with <del>, this year's with <ins>), escaped.

    Runs of fewer than `min_equal` shared characters between two changes count as changed, so a rewritten
    sentence reads as one deletion and one insertion rather than confetti of single matching characters.
    """
    left, right = [], []
    for same, a, b in diff_segments(old, new, min_equal):
        if same:
            left.append(f'<span class="zb-same">{_br(a)}</span>')
            right.append(f'<span class="zb-same">{_br(b)}</span>')
            continue
        if a:
            left.append(f"<del>{_br(a)}</del>")
        if b:
            right.append(f"<ins>{_br(b)}</ins>")
    return "".join(left), "".join(right)


def diff_segments(old: str, new: str, min_equal: int = 3) -> list[tuple[bool, str, str]]:
    """(same?, old part, new part) segments of a character diff, short equal runs folded into changes."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    raw = [(op == "equal", old[a0:a1], new[b0:b1]) for op, a0, a1, b0, b1 in matcher.get_opcodes()]
    out: list[tuple[bool, str, str]] = []
    for i, (same, a, b) in enumerate(raw):
        inner = 0 < i < len(raw) - 1
        if same and inner and len(a) < min_equal:
            same = False
        if out and not same and not out[-1][0]:
            _, pa, pb = out.pop()
            a, b = pa + a, pb + b
        out.append((same, a, b))
    return out


def verbatim_share(old: str, new: str) -> float:
    """Share of the new text's characters that stand in runs of 8+ copied from the old (fallback only)."""
    if not new:
        return 0.0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    same = sum(b.size for b in matcher.get_matching_blocks() if b.size >= 8)
    return same / len(new)


def compare_html(draft: Draft | None, key: str | None = None) -> str:
    """Each section beside last year's matching section, differences marked, verbatim share shown."""
    if draft is None:
        return '<div class="zb-empty">起草后在这里对照去年的报告</div>'
    if not draft.prior_title and not any(s.prior for s in draft.sections):
        return '<div class="zb-empty">索引中没有去年的报告，无法对照（可在“语料库”页导入）</div>'
    sections = [s for s in draft.sections if s.level > 0 or s.heading]
    if key and key != REPORT:
        sections = [s for s in sections if s.key == key] or sections
    head = f"对照：《{html.escape(draft.prior_title)}》" if draft.prior_title else "对照去年报告"
    out = [
        f'<div class="zb-subhead">{head}　<span class="zb-legend"><del>去年有、今年删去</del> '
        '<ins>今年新写</ins> <span class="zb-same">与去年相同</span></span></div>'
    ]
    for s in sections:
        out.append(compare_section_html(s))
    return "\n".join(out)


def compare_section_html(s: Section) -> str:
    title = html.escape(s.heading or s.key)
    if s.prior is None or not s.prior.text:
        return (
            f'<details class="zb-cmp"><summary>{title} <span class="zb-share zb-info">去年无对应部分</span>'
            "</summary></details>"
        )
    share = s.prior.verbatim_share
    tone = "zb-red" if share >= 0.5 else "zb-amber" if share >= 0.2 else "zb-green"
    left, right = diff_html(s.prior.text, s.text)
    where = html.escape(" ".join(x for x in (s.prior.title and f"《{s.prior.title}》", s.prior.locator) if x))
    return (
        f'<details class="zb-cmp"{" open" if share >= 0.2 else ""}><summary>{title} <span class="zb-share {tone}">'
        f"与去年逐字相同 {share:.0%}</span></summary>"
        f'<div class="zb-cols"><div><div class="zb-subhead">去年 {where}</div><div class="zb-diff">{left}</div></div>'
        f'<div><div class="zb-subhead">今年草稿</div><div class="zb-diff">{right}</div></div></div></details>'
    )


def plans_html(items: list[PlanItem] | None, prior_title: str = "") -> str:
    """Last year's 下一年度主要安排 as a checklist against this year's notes."""
    if items is None:
        return ""
    if not items:
        return '<div class="zb-empty">去年报告中没有找到“下一年度主要安排”</div>'
    answered = sum(1 for i in items if i.answered)
    not_done = sum(1 for i in items if i.not_done)
    unseen = len(items) - answered - not_done
    src = f"《{html.escape(prior_title)}》" if prior_title else "去年报告"
    tail = []
    if not_done:
        tail.append(f'<span class="zb-red-text">{not_done} 项今年材料说尚未完成</span>')
    if unseen:
        tail.append(f'<span class="zb-red-text">{unseen} 项未见落实</span>')
    out = [
        f'<div class="zb-subhead">{src}的下一年度安排 {len(items)} 项，今年笔记回应 {answered} 项'
        + "".join(f"，{t}" for t in tail)
        + '</div><ul class="zb-plans">'
    ]
    for item in items:
        mark = "☑" if item.answered else "☒" if item.not_done else "☐"
        cls = "zb-done" if item.answered else "zb-open"
        evidence = "".join(f"<li>{html.escape(e)}</li>" for e in item.evidence)
        evidence += "".join(f'<li class="zb-red-text">未完成：{html.escape(e)}</li>' for e in item.not_done)
        loc = f' <span class="zb-loc">{html.escape(item.locator)}</span>' if item.locator else ""
        out.append(
            f'<li class="{cls}"><span class="zb-box">{mark}</span> {html.escape(item.text)}{loc}'
            + (f'<ul class="zb-evidence">{evidence}</ul>' if evidence else "")
            + "</li>"
        )
    out.append("</ul>")
    return "".join(out)


# -- corpus and history -------------------------------------------------------
DOC_HEADERS = ["标题", "类别", "年份", "发布机关", "片段数"]


def documents_html(docs: list[DocumentInfo]) -> str:
    """The indexed documents as a table (escaped), laws and policies first, then reports by year."""
    if not docs:
        return '<div class="zb-empty">索引中还没有文档</div>'
    order = {"law": 0, "policy": 1, "report": 2, "other": 3}
    rows = sorted(docs, key=lambda d: (order.get(d.kind, 9), -(d.year or 0), d.title))
    head = "".join(f"<th>{h}</th>" for h in DOC_HEADERS)
    body = "".join(
        "<tr>"
        + f"<td>{html.escape(d.title)}</td><td>{html.escape(KIND_LABELS.get(d.kind, d.kind))}</td>"
        + f'<td>{d.year or ""}</td><td>{html.escape(d.issuer)}</td><td class="zb-num">{d.chunks}</td>'
        + "</tr>"
        for d in rows
    )
    return f'<table class="zb-docs"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def corpus_summary(docs: list[DocumentInfo], missing: list[str]) -> str:
    chunks = sum(d.chunks for d in docs)
    head = (
        f"索引中共 **{len(docs)}** 篇文档、{chunks} 个片段。"
        if docs
        else "**索引为空**：请在下方上传文档，或运行 `zhibi ingest` 导入自带语料。"
    )
    if not missing:
        return head + "\n\n重点文件均已导入。"
    lines = "\n".join(f"- {md_escape(m)}" for m in missing)
    return f"{head}\n\n**缺少以下重点文件**（起草时无法引用，建议导入）：\n\n{lines}"


def session_label(
    sid: int,
    created: float,
    unit: str,
    year: int,
    drafts: int,
    scope: str = "",
    labels: dict[str, str] | None = None,
) -> str:
    when = time.strftime("%m-%d %H:%M:%S", time.localtime(created))
    what = "全文" if scope in ("", REPORT) else (labels or SECTION_LABELS).get(scope, scope)
    state = f"{drafts} 稿" if drafts else "仅笔记"
    # The record number (the one failure messages give) makes two drafts of the same minute two entries.
    return f"第 {sid} 条 · {when} · {unit} · {year}年度 · {what} · {state}"


def version_label(index: int, created: float, kind: str) -> str:
    names = {"draft": "起草", "regenerate": "重写一节", "revise": "对话修改", "edit": "手工修改"}
    when = time.strftime("%H:%M:%S", time.localtime(created))
    return f"第 {index} 版 · {names.get(kind, kind)} · {when}"


CSS = """
/* An error is shown as a toast (and, for drafting, in the conversation); gradio's opaque "Error" overlay
   would hide the conversation and the last good draft, so it is not drawn. */
.gradio-container .wrap.full:has(> .error), .gradio-container .wrap:has(> span.error) { display: none !important; }
.zb-doc { font-size: 15px; line-height: 1.85; }
.zb-doc p { margin: 0 0 .5em; text-indent: 2em; }
.zb-doc .zb-title { text-align: center; font-size: 20px; font-weight: 700; margin: .4em 0 .8em; }
.zb-doc h3.zb-h1 { font-size: 16px; font-weight: 700; margin: .8em 0 .3em; text-indent: 2em; }
.zb-doc h4.zb-h2 { font-size: 15px; font-weight: 700; margin: .6em 0 .3em; text-indent: 2em; }
.zb-doc strong.zb-h2 { font-weight: 700; }
.zb-doc .zb-status { text-indent: 0; color: #6b7280; }
.zb-summary { text-indent: 0 !important; color: #4b5563; font-size: 14px; }
a.zb-cite { color: #1d4ed8; text-decoration: none; cursor: pointer; font-size: .85em; vertical-align: super; }
a.zb-cite:hover { text-decoration: underline; }
details.zb-src.zb-flash { outline: 2px solid #2563eb; background: #eff6ff; }
#draft-output { padding: 4px 8px; }
@media (max-width: 720px) {
  .zb-doc { font-size: 16px; }
  .zb-cols { grid-template-columns: 1fr; }
  #chat .message { padding-top: 28px; }  /* the copy button sits above the text, not over the title */
}
.zb-banner { padding: 10px 12px; border-radius: 8px; margin-bottom: 8px; font-size: 15px; }
.zb-red { background: #fde8e8; color: #9b1c1c; border: 1px solid #f8b4b4; }
.zb-amber { background: #fdf6e3; color: #8a5a00; border: 1px solid #f5d38a; }
.zb-green { background: #e7f6ec; color: #1d6b3a; border: 1px solid #a7dcb8; }
.zb-info { background: #eef2f7; color: #3b4a5e; border: 1px solid #cfd8e3; }
.zb-idle { background: #f3f4f6; color: #6b7280; }
.zb-chips { margin-top: 6px; }
.zb-chip { display: inline-block; padding: 1px 8px; margin: 2px 4px 2px 0; border-radius: 10px; font-size: 13px; }
details.zb-check, details.zb-src, details.zb-cmp { margin: 6px 0; padding: 6px 10px; border-radius: 6px; }
details.zb-src, details.zb-cmp { border: 1px solid #e5e7eb; background: transparent; color: inherit; }
.zb-subhead { font-weight: 600; margin: 6px 0; }
.zb-n { font-weight: 700; color: #1d4ed8; }
.zb-loc, .zb-kind, .zb-cited { color: #6b7280; font-size: 13px; }
.zb-quote { margin: 6px 0; padding-left: 8px; border-left: 3px solid #93c5fd; }
.zb-ctx mark { background: #fef08a; }
.zb-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.zb-diff { white-space: normal; line-height: 1.8; font-size: 14px; }
.zb-diff del { background: #fde2e2; color: #9b1c1c; }
.zb-diff ins { background: #dcfce7; color: #14532d; text-decoration: none; }
.zb-same { background: #fef9c3; }
.zb-legend del { background: #fde2e2; } .zb-legend ins { background: #dcfce7; text-decoration: none; }
.zb-share { font-size: 13px; padding: 1px 8px; border-radius: 10px; margin-left: 6px; }
.zb-plans { list-style: none; padding-left: 0; } .zb-plans li { margin: 4px 0; }
.zb-open { color: #9b1c1c; } .zb-red-text { color: #9b1c1c; }
.zb-evidence { color: #374151; font-size: 13px; list-style: disc; padding-left: 22px; }
.zb-empty { color: #6b7280; padding: 10px; }
.zb-hidden { display: none !important; }
/* The right-hand column is narrow: long panels scroll inside themselves so the tabs below stay in view. */
#checks-panel { max-height: 42vh; overflow-y: auto; }
#placement-panel { max-height: 60vh; overflow: auto; }
.zb-placement { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 13px; }
.zb-placement th, .zb-placement td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.zb-placement .zb-c-line { width: 3em; } .zb-placement .zb-c-key { width: 38%; }
.zb-placement tr.zb-low td { background: #fdf6e3; }
.zb-sec-evidence table { width: 100%; table-layout: fixed; font-size: 13px; }
.zb-sec-evidence td { overflow-wrap: anywhere; vertical-align: top; }
.zb-docs { width: 100%; border-collapse: collapse; font-size: 14px; }
.zb-docs th, .zb-docs td { border-bottom: 1px solid #e5e7eb; padding: 6px 8px; text-align: left; }
.zb-docs .zb-num { text-align: right; }
"""

# [n] in the draft or the conversation opens the sources tab at source n (event delegation: the panels are
# re-rendered on every change, so listeners on the links themselves would be lost).
CITE_SCRIPT = """
<script>
document.addEventListener("click", function (ev) {
  const link = ev.target.closest && ev.target.closest("a.zb-cite");
  if (!link) return;
  ev.preventDefault();
  const n = link.dataset.n;
  const tab = Array.from(document.querySelectorAll("button[role=tab]")).find(b => b.textContent.trim() === "来源");
  if (tab) tab.click();
  let tries = 0;
  const reveal = function () {
    const item = document.getElementById("zb-src-" + n);
    if (!item) { if (tries++ < 40) setTimeout(reveal, 50); return; }
    document.querySelectorAll("details.zb-src.zb-flash").forEach(d => d.classList.remove("zb-flash"));
    item.open = true;
    item.classList.add("zb-flash");
    item.scrollIntoView({ block: "center" });
  };
  reveal();
}, true);

// gradio titles every toast with its type in English ("Error", "Warning", "Info") whatever title the server
// sends; the page speaks Chinese, so those words are replaced as they appear.
(function () {
  const words = { "Error": "无法完成", "Warning": "注意", "Info": "提示" };
  const fix = function (root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll(".toast-title, span.error").forEach(function (el) {
      el.childNodes.forEach(function (node) {
        const word = node.nodeType === 3 ? node.textContent.trim() : "";
        if (words[word]) node.textContent = words[word] + " ";
      });
    });
  };
  const start = function () {
    fix(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (c) { fix(c.target.nodeType === 1 ? c.target : c.target.parentElement || document.body); });
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
</script>
"""
