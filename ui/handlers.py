"""Event handlers: validate input, call the Workspace, save history, hand formatted values to the page.

Handlers never draft; they call zhibi.api.Workspace. ZhibiError becomes gr.Error with its message;
anything unexpected propagates. Every handler is a plain method, tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from drafting.revise import regenerate_reply
from ui import format as fmt
from zhibi.errors import ReplaceNeeded, ZhibiError
from zhibi.history import History
from zhibi.types import Draft, Section

MAX_NOTES_CHARS = 200_000
MAX_MESSAGE_CHARS = 5_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NOTE_SUFFIXES = (".txt", ".md", ".docx")
STREAM_INTERVAL = 0.08  # seconds between conversation updates while tokens stream

Chat = list[dict[str, Any]]


def default_year() -> int:
    return dt.date.today().year - 1


def error(message: str, title: str = "无法完成") -> gr.Error:
    """A message for the page; gr.Error renders HTML, so the text (which may quote input) is escaped."""
    return gr.Error(html.escape(message, quote=False), title=title, print_exception=False)


def user_error(exc: ZhibiError) -> gr.Error:
    return error(str(exc))


class Handlers:
    """Everything the page does, bound to one shared Workspace and its history database."""

    def __init__(self, ws: Any, history: History | None = None, export_root: Path | None = None) -> None:
        self.ws = ws
        self.history = history or History(ws.settings.db_path)
        self.labels = fmt.load_labels(getattr(ws.settings, "outline_path", None))
        self.export_root = Path(export_root or tempfile.mkdtemp(prefix="zhibi-export-"))
        self.export_root.mkdir(parents=True, exist_ok=True)
        self._export_lock = threading.Lock()

    # -- validation -----------------------------------------------------------
    def check_request(
        self, notes: str | None, unit: str | None, year: float | None, section: str | None
    ) -> tuple[str, str, int, str | None]:
        """Clean inputs or raise gr.Error naming what to fix."""
        notes = (notes or "").strip()
        unit = (unit or "").strip()
        if not notes:
            raise error("请先粘贴或上传本年度的工作笔记（要点、数字、典型做法）", title="没有笔记")
        if len(notes) > MAX_NOTES_CHARS:
            raise error(
                f"笔记有 {len(notes):,} 个字符，超过上限 {MAX_NOTES_CHARS:,} 字符；请只保留本年度的要点后再起草",
                title="笔记过长",
            )
        if not unit:
            raise error("请填写单位名称，例如“某某县交通运输局”", title="缺少单位")
        if len(unit) > 100:
            raise error("单位名称过长（上限 100 字）", title="单位名称")
        if year is None or year == "":
            raise error("请填写报告年度，例如 2024", title="缺少年度")
        try:
            year_int = int(year)
        except (TypeError, ValueError):
            raise error(f"年度 {year!r} 不是数字", title="年度") from None
        this_year = dt.date.today().year
        if not 2000 <= year_int <= this_year + 1:
            raise error(f"年度 {year_int} 不在 2000–{this_year + 1} 之间", title="年度")
        section = (section or fmt.REPORT).strip()
        if section != fmt.REPORT and section not in self.labels:
            known = "、".join(self.labels)
            raise error(f"未知的部分“{section}”；可选 report（全文）或：{known}", title="未知的部分")
        return notes, unit, year_int, (None if section == fmt.REPORT else section)

    # -- drafting -------------------------------------------------------------
    def draft(self, notes: str, unit: str, year: float, section: str = fmt.REPORT) -> Iterator[tuple]:
        """Stream a new draft into the conversation.

        Yields (draft markdown, chat, chat state, draft state, session id). The notes are saved before
        the engine runs; on failure the conversation says so and the previous draft stays.
        """
        notes, unit, year_int, key = self.check_request(notes, unit, year, section)
        session_id = self.history.start_session(unit, year_int, notes)
        scope = "全文" if key is None else self.labels.get(key, key)
        chat: Chat = [
            {
                "role": "user",
                "content": f"起草{md(scope)}：{md(unit)} {year_int} 年度（笔记 {len(notes):,} 字）",
            },
            {"role": "assistant", "content": "*正在读取笔记…*"},
        ]
        yield gr.skip(), chat, chat, gr.skip(), session_id
        done: list[Any] = []
        partial = ""
        status = "正在检索依据"
        last = 0.0
        result: Draft | None = None
        try:
            for ev in self.ws.stream_draft(notes, unit=unit, year=year_int, section=key):
                kind = getattr(ev, "kind", "")
                if kind == "status":
                    status = getattr(ev, "text", "") or status
                elif kind == "token":
                    partial += getattr(ev, "text", "") or ""
                    status = ""
                elif kind == "section":
                    done.append(self._streamed_section(ev, year_int))
                    partial = ""
                elif kind == "done":
                    result = ev.draft
                    break
                now = time.monotonic()
                if kind != "token" or now - last >= STREAM_INTERVAL:
                    last = now
                    chat[-1] = {"role": "assistant", "content": fmt.streaming_markdown(done, partial, status)}
                    yield gr.skip(), chat, chat, gr.skip(), session_id
        except ZhibiError as exc:
            chat[-1] = {"role": "assistant", "content": failure_message(exc, session_id)}
            yield gr.skip(), chat, chat, gr.skip(), session_id
            raise user_error(exc) from exc
        if result is None:
            raise RuntimeError("stream_draft ended without a done event")
        result.notes = result.notes or notes
        self.history.save_draft(session_id, "draft", result)
        warn_if_llm_down(result)
        chat[-1] = {
            "role": "assistant",
            "content": fmt.draft_markdown(result) + "\n\n" + fmt.draft_summary(result),
        }
        yield fmt.draft_markdown(result), chat, chat, result, session_id

    def regenerate(
        self,
        key: str | None,
        instruction: str | None,
        notes: str | None,
        current: Draft | None,
        session_id: int | None,
        chat: Chat | None,
    ) -> tuple:
        """Redraft one section: (draft markdown, draft state, chat, chat state, session id, status line)."""
        current = self._need_draft(current)
        key = (key or "").strip()
        section = current.section(key)
        if section is None:
            choices = "、".join(s.key for s in current.sections)
            raise error(f"本稿没有“{key}”这一部分；可选：{choices}", title="未知的部分")
        if section.locked:
            raise error(f"“{section.heading}”已锁定；先取消锁定再重写", title="本节已锁定")
        instruction = (instruction or "").strip()
        section_notes = self.merged_notes(current, key, notes)
        if instruction and len(instruction) > MAX_MESSAGE_CHARS:
            raise error(f"修改要求超过上限 {MAX_MESSAGE_CHARS:,} 字", title="要求过长")
        if section_notes and len(section_notes) > MAX_NOTES_CHARS:
            raise error(f"本节笔记超过上限 {MAX_NOTES_CHARS:,} 字符", title="笔记过长")
        try:
            new = self.ws.regenerate(current, key, notes=section_notes, instruction=instruction)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        new.notes = new.notes or current.notes
        session_id = self._ensure_session(session_id, new)
        self.history.save_draft(session_id, "regenerate", new)
        warn_if_llm_down(new, key)
        heading = (new.section(key) or section).heading
        chat = list(chat or [])
        asked = f"重写“{heading}”" + (f"：{instruction}" if instruction else "")
        chat.append({"role": "user", "content": md(asked)})
        body = new.section(key)
        line = regenerate_reply(section, body, instruction, new.engine)
        changed = body is not None and body.text != section.text
        chat.append(
            {"role": "assistant", "content": line + ("\n\n" + fmt.section_markdown(body) if changed else "")}
        )
        return fmt.draft_markdown(new), new, chat, chat, session_id, f"已重写“{heading}”"

    def revise(
        self, message: str | None, current: Draft | None, session_id: int | None, chat: Chat | None
    ) -> Iterator[tuple]:
        """A follow-up message. Yields (chat, chat state, message box, draft markdown, draft state, session id)."""
        message = (message or "").strip()
        chat = list(chat or [])
        if not message:
            raise error(
                "请输入修改要求，例如“第二部分再精简些”或“补充：全年办理行政复议案件5件”", title="没有内容"
            )
        if len(message) > MAX_MESSAGE_CHARS:
            raise error(
                f"一次修改要求不超过 {MAX_MESSAGE_CHARS:,} 字；较长的材料请放进左侧笔记后重新起草",
                title="要求过长",
            )
        chat.append({"role": "user", "content": md(message)})
        if current is None:
            chat.append({"role": "assistant", "content": "还没有草稿：请先在左侧粘贴笔记，点击“起草”。"})
            yield chat, chat, "", gr.skip(), gr.skip(), gr.skip()
            return
        chat.append({"role": "assistant", "content": "*正在修改…*"})
        yield chat, chat, "", gr.skip(), gr.skip(), gr.skip()
        try:
            new, reply = self.ws.revise(current, message)
        except ZhibiError as exc:
            chat[-1] = {"role": "assistant", "content": f"未能修改：{md(str(exc))}\n\n当前稿保持不变。"}
            yield chat, chat, message, gr.skip(), gr.skip(), gr.skip()
            raise user_error(exc) from exc
        changed = changed_sections(current, new)
        new.notes = new.notes or current.notes
        if changed:
            session_id = self._ensure_session(session_id, new)
            self.history.save_draft(session_id, "revise", new)
        parts = [md(reply or ("已修改。" if changed else "没有改动。"))]
        for s in changed:
            parts.append(fmt.section_markdown(s))
        chat[-1] = {"role": "assistant", "content": "\n\n".join(parts)}
        yield chat, chat, "", fmt.draft_markdown(new), new, session_id

    def edit_section(
        self, key: str | None, text: str | None, current: Draft | None, session_id: int | None
    ) -> tuple:
        """Replace one section's text by hand, re-run the checks. Returns (draft md, draft state, session, status)."""
        current = self._need_draft(current)
        section = current.section(key or "")
        if section is None:
            raise error("请先在“分节修改”中选择一个部分", title="未选择部分")
        text = (text or "").strip()
        if not text:
            raise error("本节内容不能为空；若要删去本节，请在对话中说明", title="内容为空")
        if text == section.text.strip():
            return gr.skip(), gr.skip(), gr.skip(), "内容未改动"
        new = copy_draft(current)
        target = new.section(section.key)
        assert target is not None
        target.text = text
        new = recheck(self.ws, new)
        session_id = self._ensure_session(session_id, new)
        self.history.save_draft(session_id, "edit", new)
        return fmt.draft_markdown(new), new, session_id, f"已保存对“{section.heading}”的修改"

    def set_locked(
        self, key: str | None, locked: bool, current: Draft | None, session_id: int | None
    ) -> tuple:
        """Lock or unlock a section. Returns (draft md, draft state, session, status)."""
        if current is None or not key or current.section(key) is None:
            return gr.skip(), gr.skip(), gr.skip(), ""
        if current.section(key).locked == bool(locked):  # type: ignore[union-attr]
            return gr.skip(), gr.skip(), gr.skip(), ""
        new = copy_draft(current)
        target = new.section(key)
        assert target is not None
        target.locked = bool(locked)
        session_id = self._ensure_session(session_id, new)
        self.history.save_draft(session_id, "edit", new)
        word = "已锁定" if locked else "已解锁"
        return (
            fmt.draft_markdown(new),
            new,
            session_id,
            f"{word}“{target.heading}”：重新起草和重写时{'保留原文' if locked else '可以改写'}",
        )

    # -- panels -----------------------------------------------------------------
    def panels(self, current: Draft | None, publish: bool, key: str | None) -> tuple:
        """Everything that follows the current draft.

        Returns (sources, checks, compare, plans, section dropdown, section text, locked, section notes,
        docx file, md file, txt file, plain text, history dropdown).
        """
        choices = fmt.draft_section_choices(current)
        keys = [c[1] for c in choices]
        if current is None:
            return (
                fmt.sources_html(None),
                fmt.checks_html(None),
                fmt.compare_html(None),
                "",
                gr.update(choices=[], value=None),
                "",
                False,
                "",
                None,
                None,
                None,
                "",
                self.history_update(),
            )
        if key not in keys:
            key = keys[0] if keys else None
        section = current.section(key) if key else None
        plans = fmt.plans_html(self._plans(current), current.prior_title)
        docx, mdfile, txt, plain = self.exports(current, publish)
        return (
            fmt.sources_html(current),
            fmt.checks_html(current),
            fmt.compare_html(current),
            plans,
            gr.update(choices=choices, value=key),
            section.text if section else "",
            bool(section and section.locked),
            self.section_notes(current, key),
            docx,
            mdfile,
            txt,
            plain,
            self.history_update(),
        )

    def select_section(self, key: str | None, current: Draft | None) -> tuple:
        """(section text, locked, section notes) for the chosen section."""
        section = current.section(key) if current and key else None
        if section is None:
            return "", False, ""
        return section.text, section.locked, self.section_notes(current, key)

    def _streamed_section(self, ev: Any, year: int) -> Section:
        """A finished section from a "section" event (key and text; the heading comes from the outline)."""
        section = getattr(ev, "section", None)
        if isinstance(section, Section):
            return section
        key = getattr(ev, "key", "") or ""
        heading, level = "", 0
        entry = self._outline_entry(key)
        if entry is not None:
            heading = entry.render_heading(year)
            level = entry.level
        return Section(key=key, heading=heading, text=getattr(ev, "text", "") or "", level=level)

    def _outline_entry(self, key: str) -> Any:
        from drafting.outline import load_outline

        try:
            return load_outline(self.ws.settings.outline_path).get(key)
        except ZhibiError:
            return None

    def section_notes(self, current: Draft | None, key: str | None) -> str:
        """The note lines drafting assigned to this section, for editing before a regeneration."""
        if current is None or not key or not current.notes:
            return ""
        from drafting.notes import parse_notes
        from drafting.outline import load_outline

        parsed = parse_notes(current.notes, load_outline(self.ws.settings.outline_path), year=current.year)
        lines = [f.raw.strip() for f in parsed.facts if f.key == key or f.key.startswith(key + ".")]
        return "\n".join(lines)

    def merged_notes(self, current: Draft, key: str, edited: str | None) -> str | None:
        """Whole notes for a regeneration whose section lines were edited; None when they were not.

        ws.regenerate takes the notes of the whole report, so the section's own lines are swapped for
        the edited ones (under an explicit 【key】 marker) and every other line stays as it was.
        """
        edited = (edited or "").strip()
        original = self.section_notes(current, key)
        if not edited or edited == original.strip():
            return None
        own = {line.strip() for line in original.splitlines() if line.strip()}
        kept = [line for line in (current.notes or "").splitlines() if line.strip() not in own]
        return "\n".join(kept).rstrip() + f"\n【{key}】\n" + edited

    def _plans(self, current: Draft) -> list | None:
        if not current.prior_title:
            return None
        try:
            return self.ws.prior_plans(current)
        except ZhibiError:
            return None

    def exports(self, current: Draft, publish: bool) -> tuple[str, str, str, str]:
        """Write .docx, .md and .txt to a fresh temp folder; returns their paths and the plain text."""
        from drafting import export

        with self._export_lock:
            self._prune_exports()
        folder = Path(tempfile.mkdtemp(dir=self.export_root))
        mode = "发布稿" if publish else "草稿"
        stem = safe_filename(f"{current.unit}{current.year}年度法治政府建设情况报告（{mode}）")
        try:
            docx = export.to_docx(current, folder / f"{stem}.docx", publish=publish)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        text = export.to_markdown(current, publish=publish)
        plain = export.to_plain(current, publish=publish)
        mdfile = folder / f"{stem}.md"
        mdfile.write_text(text + "\n", encoding="utf-8")
        txt = folder / f"{stem}.txt"
        txt.write_text(plain + "\n", encoding="utf-8")
        return str(docx), str(mdfile), str(txt), plain

    def _prune_exports(self, keep_seconds: float = 3600) -> None:
        cutoff = time.time() - keep_seconds
        for child in self.export_root.iterdir():
            try:
                if child.is_dir() and child.stat().st_mtime < cutoff:
                    shutil.rmtree(child, ignore_errors=True)
            except FileNotFoundError:
                continue

    # -- history ----------------------------------------------------------------
    def history_update(self, select_latest: bool = False) -> Any:
        """The history dropdown: the 50 latest sessions; on page load the latest is preselected."""
        choices = [
            (fmt.session_label(s.id, s.created, s.unit, s.year, s.drafts, s.scope), s.id)
            for s in self.history.sessions(50)
        ]
        if select_latest:
            return gr.update(choices=choices, value=choices[0][1] if choices else None)
        return gr.update(choices=choices)

    def history_on_load(self) -> Any:
        return self.history_update(select_latest=True)

    def open_session(self, session_id: int | None) -> tuple:
        """Reopen a saved session: (notes, unit, year, section, draft md, chat, chat state, draft, session, versions)."""
        if session_id in (None, ""):
            raise error("请先在下拉框中选择一条历史记录", title="未选择")
        info = self.history.session(int(session_id))  # type: ignore[arg-type]
        if info is None:
            raise error("这条历史记录已不存在", title="历史记录")
        records = self.history.drafts(info.id)
        versions = gr.update(
            choices=[(fmt.version_label(i, r.created, r.kind), r.id) for i, r in enumerate(records, 1)],
            value=records[-1].id if records else None,
        )
        latest = records[-1].draft if records else None
        if latest is None:
            text = "已打开：这次起草没有完成，笔记已恢复到左侧，可以直接重新起草。"
        else:
            text = (
                f"已打开历史稿（共 {len(records)} 个版本，显示最新一版）。"
                + "\n\n"
                + fmt.draft_markdown(latest)
            )
        chat = [{"role": "assistant", "content": text}]
        section = latest.scope if latest else fmt.REPORT
        return (
            info.notes,
            info.unit,
            info.year,
            section,
            fmt.draft_markdown(latest) if latest else gr.skip(),
            chat,
            chat,
            latest if latest else gr.skip(),
            info.id,
            versions,
        )

    def open_version(self, draft_id: int | None, chat: Chat | None) -> tuple:
        """Show one saved version: (draft md, draft state, session, chat, chat state)."""
        if draft_id in (None, ""):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        record = self.history.draft(int(draft_id))  # type: ignore[arg-type]
        if record is None:
            raise error("这个版本已不存在", title="历史记录")
        chat = list(chat or []) + [{"role": "assistant", "content": "已切换到所选版本。"}]
        return fmt.draft_markdown(record.draft), record.draft, record.session_id, chat, chat

    # -- notes upload -------------------------------------------------------------
    def read_notes_file(self, path: str | None, current_notes: str | None) -> str:
        """Text of an uploaded .txt/.md/.docx, appended to what is already in the notes box."""
        if not path:
            return gr.skip()
        p = Path(path)
        if p.suffix.lower() not in NOTE_SUFFIXES:
            raise error(f"只支持 .txt、.md、.docx 笔记文件，收到的是“{p.name}”", title="文件类型")
        if p.stat().st_size > MAX_UPLOAD_BYTES:
            raise error(
                f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请只上传本年度的工作笔记", title="文件过大"
            )
        from retrieval.ingest import read_text_file

        try:
            text = read_text_file(p)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        if "\x00" in text:
            raise error(f"“{p.name}”看起来不是文本文件", title="无法读取")
        combined = ((current_notes or "").rstrip() + "\n\n" + text.strip()).strip()
        if len(combined) > MAX_NOTES_CHARS:
            raise error(
                f"加入“{p.name}”后笔记有 {len(combined):,} 个字符，超过上限 {MAX_NOTES_CHARS:,} 字符",
                title="笔记过长",
            )
        gr.Info(f"已读入“{p.name}”（{len(text):,} 字）")
        return combined

    # -- corpus -------------------------------------------------------------------
    def corpus_view(self) -> tuple:
        """(documents table, summary markdown, removable titles dropdown)."""
        docs = self.ws.documents()
        missing = self.ws.missing_key_documents()
        titles = [d.title for d in docs]
        return (
            fmt.documents_html(docs),
            fmt.corpus_summary(docs, missing),
            gr.update(choices=titles, value=None),
        )

    def corpus_line(self) -> str:
        """One line under the header: how much the index holds and whether key documents are missing."""
        docs = self.ws.documents()
        if not docs:
            return "**语料库为空**：起草时没有依据和往年报告可引，请先在“语料库”页导入文档。"
        missing = self.ws.missing_key_documents()
        line = f"语料库：{len(docs)} 篇文档"
        if missing:
            line += f"，缺 {len(missing)} 个重点文件（见“语料库”页）"
        return line

    def ingest(
        self, files: list[str] | None, kind: str | None, progress: Any = None, replace: bool = False
    ) -> tuple:
        """Index uploaded files with a progress bar; returns the refreshed corpus view plus a report line.

        A file whose title is already indexed with other content is refused unless `replace` (the page's
        “替换同名文档” box) is ticked; the message names the documents it would replace."""
        paths = [str(f) for f in files or []]
        if not paths:
            raise error("请先选择要导入的文件（.txt、.md、.docx、.html）", title="没有文件")

        def report(stage: str, done: int, total: int) -> None:
            if progress is not None:
                progress((done, max(total, 1)), desc=stage)

        try:
            result = self.ws.ingest(paths, kind=(kind or None), progress=report, replace=bool(replace))
        except ReplaceNeeded as exc:
            raise error(
                f"{exc.message}\n如确认替换，请勾选“替换同名文档”后重新上传。", title="需要确认替换"
            ) from exc
        except ZhibiError as exc:
            raise user_error(exc) from exc
        rows, summary, titles = self.corpus_view()
        return rows, summary, titles, result.summary()

    def remove_document(self, title: str | None) -> tuple:
        if not title:
            raise error("请先选择要删除的文档", title="未选择")
        try:
            n = self.ws.remove(title)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        rows, summary, titles = self.corpus_view()
        return rows, summary, titles, f"已删除《{title}》的 {n} 个片段"

    # -- helpers ------------------------------------------------------------------
    def _need_draft(self, current: Draft | None) -> Draft:
        if current is None:
            raise error("还没有草稿：请先粘贴笔记并点击“起草”", title="没有草稿")
        return current

    def _ensure_session(self, session_id: int | None, current: Draft) -> int:
        if session_id:
            return int(session_id)
        return self.history.start_session(current.unit, current.year, current.notes)

    def engine_line(self) -> str:
        s = self.ws.settings
        if s.llm_configured:
            model = s.llm_model or "默认模型"
            return f"引擎：大模型（{md(model)}），不可用时自动改用离线引擎"
        return "引擎：离线（未配置大模型接口；按笔记逐条成文，对话中的改写类要求需配置大模型）"


def md(text: str) -> str:
    return fmt.md_escape(text)


def warn_if_llm_down(current: Draft, key: str | None = None) -> None:
    """A toast when the LLM endpoint failed and the offline engine stood in (the draft itself is fine)."""
    sections = [s for s in current.sections if key is None or s.key == key]
    down = [w for s in sections for w in s.warnings if w.startswith(fmt.LLM_DOWN)]
    if down:
        gr.Warning(html.escape(f"大模型接口不可用，{len(down)} 节已改用离线引擎起草。{down[0]}", quote=False))


def failure_message(exc: ZhibiError, session_id: int) -> str:
    return (
        f"**起草中断**：{md(str(exc))}\n\n"
        f"笔记已保存（历史记录第 {session_id} 条，可随时在左侧“历史”中重新打开），上一版草稿保持不变。"
    )


def copy_draft(current: Draft) -> Draft:
    """A deep copy through JSON so the state of other events never sees a half-made change."""
    new = Draft.from_json(current.to_json())
    new.notes = current.notes
    return replace(new)


def changed_sections(old: Draft, new: Draft) -> list:
    before = {s.key: s.text for s in old.sections}
    return [s for s in new.sections if before.get(s.key) != s.text]


def recheck(ws: Any, current: Draft) -> Draft:
    """Re-run the drafting checks after a hand edit (the text is kept as edited)."""
    try:
        return ws.recheck(current)
    except ZhibiError as exc:
        raise user_error(exc) from exc


def safe_filename(name: str) -> str:
    bad = '<>:"/\\|?*\n\r\t'
    return "".join("_" if c in bad else c for c in name).strip()[:120] or "draft"
