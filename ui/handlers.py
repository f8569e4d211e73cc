"""Event handlers: validate input, call the Workspace, save history, hand formatted values to the page.

Handlers never draft; they call zhibi.api.Workspace. ZhibiError becomes gr.Error with its message (one
Chinese line, no traceback in the log); anything unexpected is logged with its traceback and the page gets a
short message, the conversation staying usable. Every handler is a plain method, tested without a browser.

Work belongs to an owner (the account under --auth, else the browser): a draft runs as a job on the server,
saved to that owner's history when it finishes whether or not a page is still watching; a page that loads
while a job of its owner runs follows it to the end; a second 起草 while one runs does nothing. The job's record
and progress are in the database (zhibi.jobs), so a page served by another worker follows it too, and a job
whose worker died is failed with its notes saved.
"""

from __future__ import annotations

import functools
import html
import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import gradio as gr

from core.errors import ReplaceNeeded, ZhibiError, book_title
from core.types import Draft, Section
from drafting.inputs import MAX_NOTES_CHARS, InputError, check_request, last_year, safe_filename
from drafting.revise import regenerate_reply
from retrieval import scope
from ui import format as fmt
from ui import security
from zhibi.accounts import Account, Accounts
from zhibi.failures import explain
from zhibi.history import History
from zhibi.jobs import OVERTIME_MESSAGE, STALE_MESSAGE, JobRecord, JobStore, section_from_row, section_row
from zhibi.llm_queue import ask_as, asking, queue_message

log = logging.getLogger("zhibi.ui")

MAX_MESSAGE_CHARS = 5_000
# Popup titles of the inputs a drafting request can get wrong.
INPUT_TITLES = {"notes": "没有笔记", "unit": "缺少单位", "year": "报告年度", "section": "未知的部分"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NOTE_SUFFIXES = (".txt", ".md", ".docx")
STREAM_INTERVAL = 0.08  # seconds between conversation updates while tokens stream
KEPT_MESSAGES = 40  # the conversation a reload shows again: its latest messages
PARTIAL_WRITE_INTERVAL = 0.5  # seconds between writes of the streamed text to the job's record
REMOTE_POLL = 0.25  # seconds between reads of a job that another worker runs

Chat = list[dict[str, Any]]


INTERNAL = "内部错误：本次操作没有完成，已记入服务器日志；已有的笔记和草稿不受影响，可以重试"


def default_year() -> int:
    return last_year()


def error(message: str, title: str = "无法完成") -> gr.Error:
    """A message for the page; gr.Error renders HTML, so the text (which may quote input) is escaped."""
    return gr.Error(html.escape(message, quote=False), title=title, print_exception=False)


def user_error(exc: ZhibiError, title: str = "无法完成") -> gr.Error:
    return error(str(exc), title=title)


def internal_error(where: str) -> gr.Error:
    """Log the exception being handled with its traceback; the page gets one short line."""
    log.exception("内部错误（%s）", where)
    return error(INTERNAL, title="出错了")


def guarded(fn: Callable) -> Callable:
    """User errors pass as they are; anything else is logged with its trace and shown as one short line."""
    if _is_generator(fn):

        @functools.wraps(fn)
        def gen(*args: Any, **kwargs: Any) -> Iterator:
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as exc:
                if (problem := explain(exc)) is not None:  # a full disk, a damaged database: say so
                    raise user_error(problem) from exc
                raise internal_error(fn.__name__) from exc

        return gen

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:
            if (problem := explain(exc)) is not None:
                raise user_error(problem) from exc
            raise internal_error(fn.__name__) from exc

    return call


def _is_generator(fn: Callable) -> bool:
    import inspect

    return inspect.isgeneratorfunction(fn)


def info(message: str) -> None:
    gr.Info(html.escape(message, quote=False), title="提示")


def owner_of(owner_state: str | None, request: Any = None) -> str:
    """Whose work this is: the signed-in account, else the browser (its id kept in localStorage), else the
    connection (API callers without a browser); "" when called outside a request (tests, scripts)."""
    user = getattr(request, "username", None) if request is not None else None
    if user:
        return f"user:{user}"
    if owner_state and str(owner_state).startswith("browser:"):
        return str(owner_state)
    session = getattr(request, "session_hash", None) if request is not None else None
    return f"session:{session}" if session else ""


@dataclass
class Job:
    """A draft running on the server for one owner; followers read snapshots of its progress."""

    owner: str
    session_id: int
    opening: list[dict[str, Any]]
    keep: Draft | None = None
    job_id: int = 0  # its record in the jobs table
    done: list[Section] = field(default_factory=list)
    partial: str = ""
    status: str = "正在读取笔记"
    result: Draft | None = None
    failure: str = ""  # the conversation's text when it failed
    chat: Chat = field(default_factory=list)  # the conversation once the job ended (saved for a reload)
    user_error: ZhibiError | None = None
    internal: bool = False
    finished: bool = False
    version: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)

    def changed_since(self, version: int) -> bool:
        return self.version != version or self.finished

    def update(self, notify: bool = True, **changes: Any) -> None:
        """Apply changes; followers are woken for sections and the outcome, and poll for streamed tokens
        (waking a follower thread per token would crowd the server's event loop out of the GIL)."""
        with self.cond:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1
            if notify:
                self.cond.notify_all()


class Handlers:
    """Everything the page does, bound to one shared Workspace and its history database."""

    def __init__(
        self,
        ws: Any,
        history: History | None = None,
        export_root: Path | None = None,
        accounts: Accounts | None = None,
        registry: security.Registry | None = None,
    ) -> None:
        self.ws = ws
        settings = ws.settings
        self.history = history or History(
            getattr(settings, "database", settings.db_path),
            pool_size=getattr(settings, "db_pool_size", 5),
            quota_mb=getattr(settings, "history_quota_mb", 0.0),
        )
        self.job_store = JobStore(
            self.history.store,
            stale=getattr(settings, "job_stale", 30.0),
            max_seconds=getattr(settings, "job_max_seconds", 1800.0),
        )
        self._heartbeat_every = getattr(settings, "job_heartbeat", 5.0)
        self._heartbeat: threading.Thread | None = None
        self.labels = fmt.load_labels(getattr(ws.settings, "outline_path", None))
        self.export_root = Path(export_root or tempfile.mkdtemp(prefix="zhibi-export-"))
        self.export_root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Accounts (units, roles) and who uploaded what; the secret seals browser ids and names owners' folders.
        self.accounts = accounts if accounts is not None else Accounts()
        self.registry = registry or security.Registry()
        store = getattr(self.history, "store", None)
        if store is not None and getattr(store, "shared", False):
            # Several workers over one database seal browser ids and name export folders with one key, which
            # is never sent to a client (see ui/security.py).
            self.secret = store.secret("browser-seal", lambda: secrets.token_hex(32))
        else:
            self.secret = security.browser_secret(ws.settings.home)
        self._export_lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self._jobs_lock = threading.Lock()

    # -- accounts -------------------------------------------------------------
    def account_of(self, request: Any) -> Account | None:
        """The signed-in account (its unit and role), or None on a server without accounts."""
        user = getattr(request, "username", None) if request is not None else None
        if not self.accounts and not user:
            return None
        return self.accounts.get(user) or Account(user or "", "", "")

    def viewing(self, request: Any) -> Any:
        """Searches under it see the shared corpus and the account's own unit's documents (all without accounts)."""
        account = self.account_of(request)
        return scope.viewing(None if account is None else account.unit)

    # -- validation -----------------------------------------------------------
    def check_request(
        self, notes: str | None, unit: str | None, year: Any, section: str | None
    ) -> tuple[str, str, int, str | None]:
        """Clean inputs or raise gr.Error naming what to fix (the rules are the pipeline's, drafting/inputs.py)."""
        try:
            req = check_request((notes or "").strip(), unit, year, section, self.labels)
        except InputError as exc:
            raise user_error(exc, title=INPUT_TITLES.get(exc.field, "无法完成")) from None
        return req.notes, req.unit, req.year, req.section

    # -- drafting -------------------------------------------------------------
    @guarded
    def draft(
        self,
        notes: str,
        unit: str,
        year: Any,
        section: str = fmt.REPORT,
        current: Draft | None = None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> Iterator[tuple]:
        """Start a draft on the server and stream it into the conversation.

        Yields (draft html, chat, chat state, draft state, session id). The notes are saved before the
        engine runs; the draft is saved to the history when it finishes even if the page went away; on
        failure the conversation says so and the previous draft stays. Locked sections of `current` come
        back unchanged. While a draft of the same owner runs, another click does nothing on this worker, and
        follows that draft when it runs on another worker.
        """
        owner = owner_of(owner_state, request)
        with self._jobs_lock:
            running = self.jobs.get(owner)
            if running is not None and not running.finished:
                return  # a second click (or a second tab) while this owner's draft runs: nothing to do
            notes, unit, year_int, key = self.check_request(notes, unit, year, section)
            account = self.account_of(request)
            viewer = None if account is None else account.unit
            job = self._start_job(owner, notes, unit, year_int, key, current, viewer)
        if job is None:  # this owner's draft runs on another worker: follow it rather than start a second
            remote = self.job_store.running(owner)
            if remote is not None:
                yield from self._follow_remote(remote)
            return
        yield from self._follow(job)

    def _start_job(
        self,
        owner: str,
        notes: str,
        unit: str,
        year: int,
        key: str | None,
        current: Draft | None,
        viewer: str | None = None,
    ) -> Job | None:
        if self.job_store.running(owner) is not None:
            return None
        session_id = self.history.start_session(unit, year, notes, owner=owner)
        self.history.save_state(
            owner, notes=notes, unit=unit, year=str(year), scope=key or fmt.REPORT, session_id=session_id
        )
        scope = "全文" if key is None else self.labels.get(key, key)
        opening = [
            {
                "role": "user",
                "content": fmt.chat_text(f"起草{scope}：{unit} {year} 年度（笔记 {len(notes):,} 字）"),
            }
        ]
        keep = current if current is not None and any(s.locked for s in current.sections) else None
        job_id = self.job_store.start(owner, session_id, opening)
        if job_id is None:  # another worker started one for this owner a moment ago
            self.history.delete_session(session_id)
            return None
        job = Job(owner=owner, session_id=session_id, opening=opening, keep=keep, job_id=job_id)
        self.jobs[owner] = job
        self._keep_beating()
        worker = threading.Thread(
            target=self._run_job,
            args=(job, notes, unit, year, key, viewer),
            name=f"zhibi-job-{session_id}",
            daemon=True,
        )
        worker.start()
        return job

    def _run_job(
        self, job: Job, notes: str, unit: str, year: int, key: str | None, viewer: str | None = None
    ) -> None:
        locked = {s.key: s for s in (job.keep.sections if job.keep else []) if s.locked}
        store, written = self.job_store, 0.0

        def queued(place: int) -> None:  # the draft's place in this worker's LLM queue, shown as its status
            job.update(status=queue_message(place) if place else "正在起草")
            store.progress(job.job_id, status=job.status)

        # This thread is the job's: its LLM requests are the owner's in the fair queue (section threads inherit it).
        ask_as(job.owner, queued)
        try:
            with scope.viewing(viewer):  # a thread starts with no viewer: the account's unit is set here
                for ev in self.ws.stream_draft(notes, unit=unit, year=year, section=key, keep=job.keep):
                    kind = getattr(ev, "kind", "")
                    if kind == "status":
                        job.update(status=getattr(ev, "text", "") or job.status)
                        store.progress(job.job_id, status=job.status)
                    elif kind == "token":
                        job.update(
                            notify=False, partial=job.partial + (getattr(ev, "text", "") or ""), status=""
                        )
                        if time.monotonic() - written > PARTIAL_WRITE_INTERVAL:  # followers elsewhere poll
                            store.progress(job.job_id, partial=job.partial, status="")
                            written = time.monotonic()
                    elif kind == "section":
                        sec = self._streamed_section(ev, year)
                        job.update(done=[*job.done, locked.get(sec.key, sec)], partial="")
                        store.progress(job.job_id, sections=[section_row(s) for s in job.done], partial="")
                    elif kind == "done":
                        result = ev.draft
                        result.notes = result.notes or notes
                        draft_id = self.history.save_draft(job.session_id, "draft", result)
                        if not store.finish(job.job_id, draft_id):
                            log.warning(
                                "起草任务 %s 已被判定中断，草稿仍已保存（第 %s 版）", job.job_id, draft_id
                            )
                        chat = [
                            *job.opening,
                            {
                                "role": "assistant",
                                "content": fmt.draft_html(result) + fmt.draft_summary(result),
                            },
                        ]
                        self.keep_chat(job.owner, chat)
                        job.update(result=result, chat=chat, finished=True)
                        break
                else:
                    raise RuntimeError("stream_draft ended without a done event")
        except ZhibiError as exc:
            failure = failure_message(exc, job.session_id)
            self._keep_failure(job, failure)
            job.update(user_error=exc, failure=failure, finished=True)
            self._record_failure(job, error=str(exc))
        except Exception as exc:
            if (problem := explain(exc)) is not None:  # a full disk, a damaged database: say so
                failure = failure_message(problem, job.session_id)
                self._keep_failure(job, failure)
                job.update(user_error=problem, failure=failure, finished=True)
                self._record_failure(job, error=str(problem))
                return
            log.exception("起草任务出错（历史记录第 %s 条）", job.session_id)
            failure = failure_text(INTERNAL, job.session_id)
            self._keep_failure(job, failure)
            job.update(internal=True, failure=failure, finished=True)
            self._record_failure(job, error="")
        finally:
            with self._jobs_lock:
                if self.jobs.get(job.owner) is job:
                    del self.jobs[job.owner]

    def _keep_failure(self, job: Job, failure: str) -> None:
        try:
            self.keep_chat(job.owner, [*job.opening, {"role": "assistant", "content": failure}])
        except Exception:  # noqa: BLE001 - the failure itself is what the page must see
            log.exception("无法保存对话（历史记录第 %s 条）", job.session_id)

    def keep_chat(self, owner: str, chat: Chat | None) -> None:
        """Keep the owner's conversation on the server, so a reload or another tab shows it again."""
        if owner and isinstance(chat, list):
            self.history.save_state(owner, chat=chat[-KEPT_MESSAGES:])

    def _follow(self, job: Job) -> Iterator[tuple]:
        """Snapshots of a running job for the page, at most one per STREAM_INTERVAL, then its outcome."""
        seen = -1
        while True:
            with job.cond:
                job.cond.wait_for(functools.partial(job.changed_since, seen), timeout=STREAM_INTERVAL * 4)
                seen = job.version
                finished = job.finished
                body = fmt.streaming_html(job.done, job.partial, job.status)
            if finished:
                break
            chat = [*job.opening, {"role": "assistant", "content": body}]
            yield gr.skip(), chat, chat, gr.skip(), job.session_id
            time.sleep(STREAM_INTERVAL)
        if job.result is None:
            chat = [*job.opening, {"role": "assistant", "content": job.failure}]
            yield gr.skip(), chat, chat, gr.skip(), job.session_id
            if job.user_error is not None:
                raise user_error(job.user_error, title="起草中断")
            raise error(INTERNAL, title="出错了")
        result = job.result
        warn_if_llm_down(result)
        chat = list(job.chat)
        yield fmt.draft_panel(result), chat, chat, result, job.session_id

    def asking(self, owner: str) -> Any:
        """LLM requests of this handler call are `owner`'s; a wait in the queue shows once as a toast."""
        told: list[int] = []

        def queued(place: int) -> None:
            if place and not told:
                told.append(place)
                info(queue_message(place))

        return asking(owner, queued)

    def _record_failure(self, job: Job, *, error: str) -> None:
        """The failure in the job's record, for followers on other workers (never hides the first error)."""
        try:
            self.job_store.fail(job.job_id, error=error, failure=job.failure)
        except Exception:
            log.exception("无法记录起草任务 %s 的失败", job.job_id)

    def _keep_beating(self) -> None:
        """One thread per worker beats for its running jobs (a job past its time limit gets no more beats) and
        fails the dead jobs of any worker. Started by `zhibi serve`, and by the first job otherwise."""
        if self._heartbeat is not None and self._heartbeat.is_alive():
            return

        def beat() -> None:
            while True:
                time.sleep(self._heartbeat_every)
                with self._jobs_lock:
                    ids = [j.job_id for j in self.jobs.values() if not j.finished and j.job_id]
                try:
                    self.job_store.beat(ids)
                    # and any worker's dead jobs are failed now, even those of owners who never come back
                    self.job_store.reap()
                except Exception:  # the database is away: the jobs go stale, as they should; keep trying
                    log.exception("起草任务心跳写入失败")

        self._heartbeat = threading.Thread(target=beat, name="zhibi-job-heartbeat", daemon=True)
        self._heartbeat.start()

    def running_job(self, owner: str) -> Job | JobRecord | None:
        """This owner's running draft: this worker's own job, else one running on another worker."""
        job = self.jobs.get(owner)
        if job is not None and not job.finished:
            return job
        return self.job_store.running(owner) if owner else None

    def _follow_remote(self, record: JobRecord) -> Iterator[tuple]:
        """Follow a job that another worker runs, from its record (polled), to its end."""
        seen = -1
        while True:
            current = self.job_store.get(record.id)
            if current is None:
                return
            if not current.running:
                break
            if current.version != seen:
                seen = current.version
                body = fmt.streaming_html(
                    [section_from_row(r) for r in current.sections], current.partial, current.status
                )
                chat = [*current.opening, {"role": "assistant", "content": body}]
                yield gr.skip(), chat, chat, gr.skip(), current.session_id
            time.sleep(REMOTE_POLL)
        opening = current.opening
        saved = self.history.draft(current.draft_id, owner=current.owner) if current.draft_id else None
        if current.state != "done" or saved is None:
            chat = [*opening, {"role": "assistant", "content": job_failure(current)}]
            yield gr.skip(), chat, chat, gr.skip(), current.session_id
            if current.error:
                raise error(current.error, title="起草中断")
            raise error(INTERNAL, title="出错了")
        result = saved.draft
        warn_if_llm_down(result)
        chat = [
            *opening,
            {"role": "assistant", "content": fmt.draft_html(result) + fmt.draft_summary(result)},
        ]
        yield fmt.draft_panel(result), chat, chat, result, current.session_id

    @guarded
    def regenerate(
        self,
        key: str | None,
        instruction: str | None,
        notes: str | None,
        current: Draft | None,
        session_id: int | None,
        chat: Chat | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Redraft one section: (draft html, draft state, chat, chat state, session id, status line)."""
        current = self._need_draft(current)
        key = (key or "").strip()
        section = current.section(key)
        if section is None:
            choices = "、".join(f"“{s.heading}”" for s in current.sections if s.heading and s.level)
            raise error(f"本稿没有所选的部分；可选：{choices}", title="未知的部分")
        if section.locked:
            raise error(f"“{section.heading}”已锁定；先取消“锁定本节”再重写", title="本节已锁定")
        instruction = (instruction or "").strip()
        if instruction and len(instruction) > MAX_MESSAGE_CHARS:
            raise error(f"修改要求超过上限 {MAX_MESSAGE_CHARS:,} 字，请精简后再试", title="要求过长")
        if notes and len(notes) > MAX_NOTES_CHARS:
            raise error(f"本节笔记超过上限 {MAX_NOTES_CHARS:,} 字符，请精简后再试", title="笔记过长")
        try:
            with self.asking(owner_of(owner_state, request)), self.viewing(request):
                new = self.ws.regenerate(current, key, section_lines=notes, instruction=instruction)
        except ZhibiError as exc:
            raise user_error(exc) from exc
        new.notes = new.notes or current.notes
        session_id = self._ensure_session(session_id, new, owner_of(owner_state, request))
        self.history.save_draft(session_id, "regenerate", new)
        warn_if_llm_down(new, key)
        heading = (new.section(key) or section).heading
        chat = list(chat or [])
        asked = f"重写“{heading}”" + (f"：{instruction}" if instruction else "")
        chat.append({"role": "user", "content": fmt.chat_text(asked)})
        body = new.section(key)
        changed = body is not None and body.text != section.text
        line = regenerate_reply(section, body, instruction, new.engine)
        chat.append(
            {
                "role": "assistant",
                "content": fmt.chat_text(line)
                + (fmt.section_html(body) if changed else "")
                + fmt.chat_text(fmt.status_line(new)),
            }
        )
        status = f"已重写“{heading}”" if changed else f"“{heading}”没有变化"
        self.keep_chat(owner_of(owner_state, request), chat)
        return fmt.draft_panel(new), new, chat, chat, session_id, status

    @guarded
    def revise(
        self,
        message: str | None,
        current: Draft | None,
        session_id: int | None,
        chat: Chat | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> Iterator[tuple]:
        """A follow-up message. Yields (chat, chat state, message box, draft html, draft state, session id)."""
        message = (message or "").strip()
        chat = list(chat or [])
        if not message:
            raise error(
                "请输入修改要求，例如“第二部分再精简些”或“补充：全年办理行政复议案件5件”", title="没有内容"
            )
        if len(message) > MAX_MESSAGE_CHARS:
            raise error(
                f"一次修改要求不超过 {MAX_MESSAGE_CHARS:,} 字；较长的材料请放进“工作笔记”后重新起草",
                title="要求过长",
            )
        chat.append({"role": "user", "content": fmt.chat_text(message)})
        if current is None:
            chat.append(
                {"role": "assistant", "content": fmt.chat_text("还没有草稿：请先粘贴笔记，点击“起草”。")}
            )
            yield chat, chat, "", gr.skip(), gr.skip(), gr.skip()
            return
        chat.append({"role": "assistant", "content": fmt.chat_text("正在修改…")})
        yield chat, chat, "", gr.skip(), gr.skip(), gr.skip()
        try:
            with self.asking(owner_of(owner_state, request)), self.viewing(request):
                new, reply = self.ws.revise(current, message)
        except ZhibiError as exc:
            chat[-1] = {"role": "assistant", "content": fmt.chat_text(f"未能修改：{exc}。当前稿保持不变。")}
            yield chat, chat, message, gr.skip(), gr.skip(), gr.skip()
            raise user_error(exc) from exc
        except Exception as exc:
            chat[-1] = {"role": "assistant", "content": fmt.chat_text(f"{INTERNAL}。当前稿保持不变。")}
            yield chat, chat, message, gr.skip(), gr.skip(), gr.skip()
            raise internal_error("revise") from exc
        changed = changed_sections(current, new)
        new.notes = new.notes or current.notes
        if changed or new.to_json() != current.to_json():
            session_id = self._ensure_session(session_id, new, owner_of(owner_state, request))
            self.history.save_draft(session_id, "revise", new)
        parts = [fmt.chat_text(reply or ("已修改。" if changed else "没有改动。"))]
        parts.extend(fmt.section_html(s) for s in changed)
        if changed:
            parts.append(fmt.chat_text(fmt.status_line(new)))  # the same verdict as the checks panel
        chat[-1] = {"role": "assistant", "content": "".join(parts)}
        self.keep_chat(owner_of(owner_state, request), chat)
        yield chat, chat, "", fmt.draft_panel(new), new, session_id

    @guarded
    def edit_section(
        self,
        key: str | None,
        text: str | None,
        current: Draft | None,
        session_id: int | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Replace one section's text by hand, re-run the checks. Returns (draft html, draft state, session, status)."""
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
        with self.viewing(request):
            new = recheck(self.ws, new)
        session_id = self._ensure_session(session_id, new, owner_of(owner_state, request))
        self.history.save_draft(session_id, "edit", new)
        return fmt.draft_panel(new), new, session_id, f"已保存对“{section.heading}”的修改"

    @guarded
    def set_locked(
        self,
        key: str | None,
        locked: bool,
        current: Draft | None,
        session_id: int | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Lock or unlock a section. Returns (draft html, draft state, session, status)."""
        if current is None or not key or current.section(key) is None:
            return gr.skip(), gr.skip(), gr.skip(), ""
        if current.section(key).locked == bool(locked):  # type: ignore[union-attr]
            return gr.skip(), gr.skip(), gr.skip(), ""
        new = copy_draft(current)
        target = new.section(key)
        assert target is not None
        target.locked = bool(locked)
        session_id = self._ensure_session(session_id, new, owner_of(owner_state, request))
        self.history.save_draft(session_id, "edit", new)
        word = "已锁定" if locked else "已解锁"
        effect = "重新起草、重写和对话修改都保留原文" if locked else "可以改写"
        return fmt.draft_panel(new), new, session_id, f"{word}“{target.heading}”：{effect}"

    # -- panels -----------------------------------------------------------------
    @guarded
    def panels(
        self,
        current: Draft | None,
        publish: bool,
        key: str | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
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
                self.history_update(owner_of(owner_state, request)),
            )
        if key not in keys:
            # After a load nothing is chosen yet: show a locked section first, so its ticked box is in view.
            locked = [s.key for s in current.sections if s.locked and s.key in keys]
            key = (locked or keys or [None])[0]
        section = current.section(key) if key else None
        plans = fmt.plans_html(self._plans(current), current.prior_title)
        docx, mdfile, txt, plain = self.exports(current, publish, owner_of(owner_state, request))
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
            self.history_update(owner_of(owner_state, request)),
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
        """The note lines the draft placed in this section (its stored placement), for editing."""
        if current is None or not key:
            return ""
        return "\n".join(f.raw.strip() for f in self.ws.section_lines(current, key))

    def _plans(self, current: Draft) -> list | None:
        if not current.prior_title:
            return None
        try:
            return self.ws.prior_plans(current)
        except ZhibiError:
            return None

    @guarded
    def export_api(
        self,
        publish: bool | None,
        current: Draft | None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> str:
        """The /export endpoint: the current draft as .docx (draft mode, or publish mode), its file."""
        return self.exports(self._need_draft(current), bool(publish), owner_of(None, request))[0]

    def exports(self, current: Draft, publish: bool, owner: str = "") -> tuple[str, str, str, str]:
        """Write .docx, .md and .txt to a fresh folder of the owner's; returns their paths and the plain text.

        The owner's folder is named by a key only the server can compute; under accounts the file route
        serves it to that account only (ui/security.py)."""
        from drafting import export

        with self._export_lock:
            self._prune_exports()
        mine = self.export_root / security.owner_key(owner, self.secret)
        mine.mkdir(mode=0o700, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=mine))
        mode = "发布稿" if publish else "草稿"
        stem = safe_filename(f"{export_title(current)}（{mode}）")
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
        for owner in self.export_root.iterdir():
            for child in owner.iterdir() if owner.is_dir() else []:
                try:
                    if child.is_dir() and child.stat().st_mtime < cutoff:
                        shutil.rmtree(child, ignore_errors=True)
                except FileNotFoundError:
                    continue

    # -- history and the owner's workspace --------------------------------------------
    def history_update(self, owner: str = "", select: int | None = None) -> Any:
        """The history dropdown: the owner's 50 latest sessions (no one else's)."""
        choices = [
            (fmt.session_label(s.id, s.created, s.unit, s.year, s.drafts, s.scope, self.labels), s.id)
            for s in self.history.sessions(50, owner=owner)
        ]
        if select is not None:
            return gr.update(choices=choices, value=select)
        return gr.update(choices=choices)

    def history_list(self, owner: str, limit: int = 50) -> list[dict[str, Any]]:
        """The owner's sessions for the API: id, created (epoch s), unit, year, versions, scope."""
        return [
            {
                "id": s.id,
                "created": s.created,
                "unit": s.unit,
                "year": s.year,
                "versions": s.drafts,
                "scope": s.scope,
            }
            for s in self.history.sessions(limit, owner=owner)
        ]

    @guarded
    def remember(
        self,
        notes: str | None,
        unit: str | None,
        year: Any,
        section: str | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> None:
        """Keep what is typed on the server, so a reload or another tab of the same owner finds it."""
        owner = owner_of(owner_state, request)
        if not owner:
            return
        self.history.save_state(
            owner,
            notes=(notes or "")[: MAX_NOTES_CHARS + 1000],
            unit=(unit or "")[:200],
            year=str(year if year is not None else "")[:20],
            scope=(section or fmt.REPORT)[:100],
        )

    @guarded
    def restore(self, client_id: str | None, request: gr.Request = None) -> tuple:  # type: ignore[assignment]
        """On page load: who this is, and their open work as they left it.

        Returns (browser id, owner, notes, unit, year, section, draft html, chat, chat state, draft state,
        session id, history dropdown, corpus line).
        """
        # The browser keeps its id sealed by a secret that never leaves the server: an id a client makes up
        # (or copies without its seal) opens a fresh, empty workspace.
        browser = security.unseal(client_id, self.secret) or secrets.token_hex(16)
        client_id = security.seal(browser, self.secret)
        owner = owner_of(f"browser:{browser}", request)
        state = self.history.state(owner)
        record = self.history.draft(state.draft_id, owner=owner) if state.draft_id else None
        draft = record.draft if record else None
        running = self.running_job(owner)
        chat: Any = list(state.chat)
        if draft is not None and not chat:  # a conversation saved before it was kept: show the draft
            chat = [{"role": "assistant", "content": fmt.draft_html(draft)}]
        if draft is not None:
            notice = "已恢复上次的工作：笔记、单位、年度、当前稿和对话。"
            if running is not None:
                notice += "正在起草的新稿完成后会显示在这里。"
            chat = [*chat, {"role": "assistant", "content": fmt.chat_text(notice)}]
        elif running is None and not chat:
            chat = gr.skip()
        failed = self._interrupted(owner, state.session_id, record) if running is None else None
        if failed is not None:  # the last draft died with its worker: say so; 起草 runs it again
            chat = [*(chat if isinstance(chat, list) else []), *failed.opening]
            chat.append({"role": "assistant", "content": job_failure(failed)})
        session_id = record.session_id if record else state.session_id
        scope = state.scope if state.scope == fmt.REPORT or state.scope in self.labels else fmt.REPORT
        return (
            client_id,
            owner,
            state.notes if state.notes else gr.skip(),
            state.unit if state.unit else gr.skip(),
            state.year if state.year else gr.skip(),
            scope,
            fmt.draft_panel(draft) if draft is not None else gr.skip(),
            chat,
            chat,
            draft if draft is not None else gr.skip(),
            session_id,
            self.history_update(owner, select=session_id),
            self.corpus_line(),
        )

    def _interrupted(self, owner: str, session_id: int | None, shown: Any) -> JobRecord | None:
        """The owner's last job when it failed and the page would otherwise show no trace of it."""
        if not owner or session_id is None:
            return None
        last = self.job_store.latest(owner)
        if last is None or last.state != "failed" or last.session_id != session_id:
            return None
        if last.error not in (STALE_MESSAGE, OVERTIME_MESSAGE):  # its own worker kept the failure in the chat
            return None
        return None if shown is not None and shown.session_id == last.session_id else last

    def resume(
        self,
        owner_state: str | None,
        shown: Draft | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> Iterator[tuple]:
        """After a load: follow this owner's running draft to its end.

        A draft that finished between the restore and now (the restore showed the one before it) is shown
        too. Otherwise it yields skips: a generator that ends without yielding would have gradio set every
        output to empty, blanking the draft and conversation the load has just restored.
        """
        owner = owner_of(owner_state, request)
        job = self.running_job(owner)
        if job is not None:
            yield from self._follow(job) if isinstance(job, Job) else self._follow_remote(job)
            return
        state = self.history.state(owner) if owner else None
        record = self.history.draft(state.draft_id, owner=owner) if state and state.draft_id else None
        if record is not None and not _same_draft(record.draft, shown):
            chat = list(state.chat) if state else []
            yield fmt.draft_panel(record.draft), chat, chat, record.draft, record.session_id
            return
        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()

    def settled(self, marker: str | None, loaded: bool = False) -> str:
        """A hidden marker (see ui/app.py): how many events of this page have run to their end, and whether
        its load chain has ended."""
        import re

        count = re.search(r'data-settled="(\d+)"', marker or "")
        was_loaded = "data-loaded" in (marker or "")
        n = int(count.group(1)) + 1 if count else 1
        mark = ' data-loaded="1"' if loaded or was_loaded else ""
        return f'<span data-settled="{n}"{mark}></span>'

    def loaded(self, marker: str | None) -> str:
        return self.settled(marker, loaded=True)

    @guarded
    def open_session(
        self,
        session_id: int | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Reopen a saved session: (notes, unit, year, section, draft html, chat, chat state, draft, session, versions)."""
        if session_id in (None, ""):
            raise error("请先在下拉框中选择一条历史记录", title="未选择")
        owner = owner_of(owner_state, request)
        try:
            wanted = int(session_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise error("请在下拉框中选择一条历史记录", title="历史记录") from None
        info_ = self.history.session(wanted, owner=owner)
        if info_ is None:
            raise error("这条历史记录不存在或不属于当前账号", title="历史记录")
        records = self.history.drafts(info_.id, owner=owner)
        versions = gr.update(
            choices=[(fmt.version_label(i, r.created, r.kind), r.id) for i, r in enumerate(records, 1)],
            value=records[-1].id if records else None,
        )
        latest = records[-1].draft if records else None
        if latest is None:
            text = fmt.chat_text("已打开：这次起草没有完成，笔记已恢复到“工作笔记”，可以直接重新起草。")
        else:
            text = fmt.chat_text(
                f"已打开历史稿（共 {len(records)} 个版本，显示最新一版）。"
            ) + fmt.draft_html(latest)
        chat = [{"role": "assistant", "content": text}]
        section = latest.scope if latest else fmt.REPORT
        self.history.save_state(
            owner,
            notes=info_.notes,
            unit=info_.unit,
            year=str(info_.year),
            scope=section,
            session_id=info_.id,
            draft_id=records[-1].id if records else None,
            chat=chat,
        )
        return (
            info_.notes,
            info_.unit,
            str(info_.year),
            section,
            fmt.draft_panel(latest) if latest else gr.skip(),
            chat,
            chat,
            latest if latest else gr.skip(),
            info_.id,
            versions,
        )

    @guarded
    def open_version(
        self,
        draft_id: int | None,
        chat: Chat | None,
        owner_state: str | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Show one saved version: (draft html, draft state, session, chat, chat state)."""
        if draft_id in (None, ""):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        owner = owner_of(owner_state, request)
        record = self.history.draft(int(draft_id), owner=owner)  # type: ignore[arg-type]
        if record is None:
            raise error("这个版本不存在或不属于当前账号", title="历史记录")
        chat = list(chat or []) + [{"role": "assistant", "content": fmt.chat_text("已切换到所选版本。")}]
        self.history.save_state(
            owner, session_id=record.session_id, draft_id=record.id, chat=chat[-KEPT_MESSAGES:]
        )
        return fmt.draft_panel(record.draft), record.draft, record.session_id, chat, chat

    # -- notes upload -------------------------------------------------------------
    def read_notes_file(
        self,
        path: str | None,
        current_notes: str | None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> str:
        """Text of an uploaded .txt/.md/.docx, appended to what is already in the notes box."""
        if not path:
            return gr.skip()
        self.check_upload_owner(path, request)
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
        info(f"已读入“{p.name}”（{len(text):,} 字）")
        return combined

    def check_upload_owner(self, path: str, request: Any) -> None:
        """Under accounts an uploaded file is read only for the account that uploaded it (a path copied from
        another account's page names a file this account never sent)."""
        if not self.accounts:
            return
        holder = self.registry.upload_owner(path)
        user = getattr(request, "username", None) if request is not None else None
        if holder is not None and holder != f"user:{user}":
            raise error("这个文件不是当前账号上传的，请重新上传", title="无法读取")

    # -- corpus -------------------------------------------------------------------
    def corpus_view(self, request: gr.Request = None) -> tuple:  # type: ignore[assignment]
        """(documents table, summary markdown, removable titles dropdown): what this account may see."""
        with self.viewing(request):
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

    @guarded
    def ingest(
        self,
        files: list[str] | None,
        kind: str | None,
        issuer: str | None = None,
        progress: Any = None,
        replace: bool = False,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """Index uploaded files with one progress bar; returns the refreshed corpus view plus a report line.

        Under accounts an account of a unit adds its unit's own documents; statutes and policy documents
        need an administrator (zhibi/corpus_log.py); every change is recorded with who did it.

        `issuer` (发布机关) applies to every file of this upload; left empty, it is read from each document.
        A file whose title is already indexed with other content is refused unless `replace` (the page's
        “替换同名文档” box) is ticked; the message names the documents it would replace.
        """
        paths = [str(f) for f in files or []]
        if not paths:
            raise error("请先选择要导入的文件（.txt、.md、.docx、.html）", title="没有文件")
        for path in paths:
            self.check_upload_owner(path, request)
        issuer = (issuer or "").strip()[:100] or None

        def report(stage: str, done: int, total: int) -> None:
            if progress is not None:
                progress((done, max(total, 1)), desc=stage, unit="项")

        try:
            with self.viewing(request):
                result = self.ws.ingest(
                    paths,
                    kind=(kind or None),
                    issuer=issuer,
                    progress=report,
                    replace=bool(replace),
                    actor=self.account_of(request),
                )
        except ReplaceNeeded as exc:
            raise error(
                f"{exc.message}；如确认替换，请勾选“替换同名文档”后重新上传", title="需要确认替换"
            ) from exc
        except ZhibiError as exc:
            raise user_error(exc, title="无法导入") from exc
        rows, summary, titles = self.corpus_view(request)
        return rows, summary, titles, result.summary()

    @guarded
    def ask_remove(self, title: str | None, request: gr.Request = None) -> tuple:  # type: ignore[assignment]
        """First step of a deletion: (confirmation row visibility, its question). Nothing is deleted yet."""
        if not title:
            raise error("请先在“删除文档”中选择要删除的文档", title="未选择")
        with self.viewing(request):
            doc = next((d for d in self.ws.documents() if d.title == title), None)
        if doc is None:
            raise error(f"索引中没有{book_title(title)}，请刷新列表后重选", title="未找到")
        kind = fmt.KIND_LABELS.get(doc.kind, doc.kind)
        question = (
            f"确定从索引中删除{html.escape(book_title(title))}（{kind}，{doc.chunks} 个片段）吗？删除后起草时不再引用它，"
            "需要时可重新上传。"
        )
        return gr.update(visible=True), question

    @guarded
    def remove_document(
        self,
        title: str | None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> tuple:
        """The confirmed deletion: (documents, summary, titles, status, confirmation row hidden)."""
        if not title:
            raise error("请先在“删除文档”中选择要删除的文档", title="未选择")
        try:
            with self.viewing(request):
                n = self.ws.remove(title, actor=self.account_of(request))
        except ZhibiError as exc:
            raise user_error(exc, title="无法删除") from exc
        rows, summary, titles = self.corpus_view(request)
        return rows, summary, titles, f"已删除{book_title(title)}的 {n} 个片段", gr.update(visible=False)

    def corpus_changes(self, request: gr.Request = None) -> tuple:  # type: ignore[assignment]
        """(the latest corpus changes as Markdown, the dropdown of statutes waiting for an administrator)."""
        from zhibi.corpus_log import CorpusLog

        log = CorpusLog(self.ws.settings.home)
        changes, pending = log.changes()[-20:], log.unconfirmed()
        lines = [f"- {md(c.line())}" for c in reversed(changes)] or ["（还没有改动记录）"]
        if pending:
            lines.insert(
                0, f"**待管理员确认**：{'、'.join(md(f'《{t}》') for t in pending)}（引用它们的草稿带提示）\n"
            )
        return "\n".join(lines), gr.update(choices=list(pending), value=None)

    @guarded
    def confirm_change(self, title: str | None, request: gr.Request = None) -> tuple:  # type: ignore[assignment]
        """An administrator confirms the current text of a changed statute: (changes, dropdown, status)."""
        if not title:
            raise error("请先选择要确认的文档", title="未选择")
        try:
            self.ws.confirm(title, actor=self.account_of(request))
        except ZhibiError as exc:
            raise user_error(exc, title="无法确认") from exc
        listing, choices = self.corpus_changes(request)
        return listing, choices, f"已确认《{title}》的当前文本"

    # -- helpers ------------------------------------------------------------------
    def _need_draft(self, current: Draft | None) -> Draft:
        if current is None:
            raise error("还没有草稿：请先粘贴笔记并点击“起草”", title="没有草稿")
        return current

    def _ensure_session(self, session_id: int | None, current: Draft, owner: str = "") -> int:
        """The session a new version goes to: the page's own when it is the owner's, else a new one."""
        if session_id and self.history.owner_of(int(session_id)) == owner:
            return int(session_id)
        return self.history.start_session(current.unit, current.year, current.notes, owner=owner)

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
        gr.Warning(
            html.escape(f"大模型接口不可用，{len(down)} 节已改用离线引擎起草。{down[0]}", quote=False),
            title="注意",
        )


def _same_draft(saved: Draft, shown: Draft | None) -> bool:
    if shown is None:
        return False
    if saved.id and shown.id:
        return saved.id == shown.id
    return saved.to_json() == shown.to_json()


def failure_message(exc: ZhibiError, session_id: int) -> str:
    return failure_text(str(exc), session_id)


def job_failure(record: JobRecord) -> str:
    """The conversation's text for a failed job: as its worker wrote it, else made from its error."""
    if record.failure:
        return record.failure
    return failure_text(record.error or INTERNAL, record.session_id) + RERUN


RERUN = "<p>点击“起草”即可按已保存的笔记重新起草。</p>"


def failure_text(reason: str, session_id: int) -> str:
    return (
        f"<p><strong>起草中断</strong>：{html.escape(reason)}</p>"
        f"<p>笔记已保存（历史记录第 {session_id} 条，可随时在“历史记录”中重新打开），上一版草稿保持不变。</p>"
    )


def export_title(current: Draft) -> str:
    """The exported file's name: the report's title, or for a one-section draft the section it holds."""
    base = f"{current.unit}{current.year}年法治政府建设情况报告"
    if current.scope == fmt.REPORT:
        return current.title or base
    section = current.section(current.scope)
    heading = section.heading if section else current.scope
    heading = heading.split("、", 1)[-1] if "、" in heading[:4] else heading
    return f"{base}·{heading}"


def copy_draft(current: Draft) -> Draft:
    """A deep copy through JSON so the state of other events never sees a half-made change."""
    new = Draft.from_json(current.to_json())
    new.notes = current.notes
    return replace(new)


def changed_sections(old: Draft, new: Draft) -> list:
    before = {s.key: s.text for s in old.sections}
    return [s for s in new.sections if before.get(s.key) != s.text]


def recheck(ws: Any, current: Draft) -> Draft:
    """Re-run the drafting checks after a hand edit (the text is kept as edited, sources renumbered)."""
    try:
        return ws.recheck(current)
    except ZhibiError as exc:
        raise user_error(exc) from exc
