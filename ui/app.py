"""The Gradio workspace: one gr.Blocks over zhibi.api.Workspace. It lays out and wires; it never drafts.

Left: notes and settings. Centre: the conversation the draft streams into, the current draft and the
per-section tools. Right: the checks banner, then sources, prior-year comparison and export tabs.
A second tab manages the corpus. `serve()` is what `zhibi serve` calls.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import gradio as gr  # ui/__init__.py has run prepare_offline() first

from core.errors import ZhibiError
from core.files import private_dir, restrict_umask, secure_home
from ui import format as fmt
from ui import pending, placement, security
from ui.handlers import Handlers, default_year, owner_of
from zhibi.accounts import Accounts, TrustedHeader, read_accounts
from zhibi.history import History

BROWSER_KEY = "zhibi-browser"
# pages following a draft at once, per worker: each a cheap wait (the jobs themselves run in threads)
FOLLOWERS = 200
BROWSER_STATE_KEY = "zhibi-browser-state"

TITLE = "执笔 · 法治政府建设情况报告起草"
NOTES_PLACEHOLDER = (
    "粘贴本年度的工作笔记，一行一条，可带小标题，例如：\n"
    "执法：全年办理行政处罚案件326件，罚没款218.6万元\n"
    "复议应诉：行政复议案件5件，无败诉\n"
    "普法：开展“八五”普法宣传活动12场"
)
CHAT_PLACEHOLDER = "起草后可以继续说：“第二部分再精简些”“补充：全年办理行政复议案件5件”“执法部分换个开头”"


def instruction_hint(settings: Any) -> str:
    """What 重写要求 can ask for: the offline engine rewrites from the section's notes and takes no
    instruction, so it is not offered requests it would then refuse."""
    if getattr(settings, "llm_configured", False):
        return "例如：换个开头；更简洁；突出“首违不罚”"
    return "离线引擎按本节笔记重写，不接受改写要求；可改“本节笔记”后重写，或在对话中说“精简些”“换个开头”"


def theme() -> gr.themes.Base:
    """Local CJK fonts only (nothing fetched from the web), red accents for the actions, quiet labels."""
    cjk = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]
    return gr.themes.Soft(
        primary_hue="red", secondary_hue="slate", neutral_hue="slate", font=cjk, font_mono=["monospace"]
    ).set(
        block_label_background_fill="*neutral_100",
        block_label_text_color="*neutral_700",
        block_title_text_color="*neutral_700",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        button_primary_text_color="white",
    )


def browser_secret(home: Path) -> str:
    """The server-side key that seals browser ids (kept in ZHIBI_HOME, 0600; see ui/security.py)."""
    return security.browser_secret(home)


def shared_browser_secret(h: Handlers, home: Path) -> str:
    """With a database URL every worker seals browser ids with one key from the database; else the file."""
    return h.secret


def build_app(
    ws: Any,
    history: History | None = None,
    *,
    accounts: Accounts | None = None,
    registry: security.Registry | None = None,
    export_root: Path | None = None,
) -> gr.Blocks:
    """The Blocks app over a shared Workspace (and its history database)."""
    h = Handlers(ws, history, export_root=export_root, accounts=accounts, registry=registry)
    section_choices = fmt.section_choices(h.labels)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        draft_state = gr.State(None)  # the current Draft shown on this page
        session_state = gr.State(None)  # its history session id
        # A mirror of the conversation, so handlers read it without it becoming an API parameter.
        chat_state = gr.State([])
        # Whose work this page shows: the account, or this browser (its id sealed in localStorage).
        owner_state = gr.State(None)
        # The stored value is sealed by the server (ui/security.py); BrowserState's own key is sent to every
        # client in the page config, so it is a fixed public value here and seals nothing.
        browser_id = gr.BrowserState(None, storage_key=BROWSER_KEY, secret=BROWSER_STATE_KEY)

        # Marks the end of each chain of events (data-settled counts them) and of the page's load chain
        # (data-loaded), for automation that must read the panels once the page has settled; hidden.
        page_state = gr.HTML("", elem_id="page-state", elem_classes=["zb-hidden"])
        with gr.Row(elem_id="header"):
            gr.Markdown(f"## {TITLE}")
            with gr.Column():
                gr.Markdown(h.engine_line(), elem_id="engine-line")
                corpus_line = gr.Markdown("", elem_id="corpus-line")

        with gr.Tabs():
            with gr.Tab("起草", id="draft-tab"), gr.Row(equal_height=False):
                # -- left: notes and settings ------------------------------------------
                with gr.Column(scale=3, min_width=280):
                    notes = gr.Textbox(
                        label="工作笔记",
                        placeholder=NOTES_PLACEHOLDER,
                        lines=16,
                        max_lines=30,
                        elem_id="notes-input",
                    )
                    notes_file = gr.UploadButton(
                        "上传笔记文件（.txt / .md / .docx）",
                        file_types=[".txt", ".md", ".docx"],
                        file_count="single",
                        size="sm",
                        elem_id="notes-upload",
                    )
                    unit = gr.Textbox(
                        label="单位", placeholder="例如：某某县交通运输局", elem_id="unit-input"
                    )
                    year = gr.Textbox(
                        label="报告年度",
                        value=str(default_year()),
                        placeholder=f"例如 {default_year()} 或 二〇二三",
                        max_lines=1,
                        elem_id="year-input",
                    )
                    section = gr.Dropdown(
                        choices=section_choices,
                        value=fmt.REPORT,
                        label="起草范围",
                        allow_custom_value=True,  # the handler names the valid keys when one is unknown
                        elem_id="section-select",
                    )
                    draft_btn = gr.Button("起草", variant="primary", elem_id="draft-button")
                    with gr.Accordion("历史记录", open=False, elem_id="history-panel"):
                        hist = gr.Dropdown(
                            label="以往的起草", choices=[], allow_custom_value=True, elem_id="history-select"
                        )
                        hist_open = gr.Button("打开", size="sm", elem_id="history-open")
                        versions = gr.Dropdown(
                            label="版本", choices=[], allow_custom_value=True, elem_id="version-select"
                        )

                # -- centre: conversation and draft ------------------------------------
                with gr.Column(scale=5, min_width=420):
                    chatbot = gr.Chatbot(
                        label="对话",
                        height=420,
                        placeholder="粘贴工作笔记、填写单位和年度后点击“起草”，草稿会在这里逐段写出。",
                        buttons=["copy"],
                        feedback_options=None,
                        latex_delimiters=[],  # "$" and "\\(" in notes are text, not formulas
                        elem_id="chat",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            show_label=False,
                            placeholder=CHAT_PLACEHOLDER,
                            lines=1,
                            max_lines=4,
                            scale=5,
                            elem_id="chat-input",
                        )
                        send = gr.Button("发送", scale=1, min_width=80, elem_id="chat-send")
                    gr.HTML(
                        '<div class="zb-subhead">当前稿<span class="zb-loc">（点正文中的 [n] 查看它的来源）</span></div>',
                        elem_id="draft-output-label",
                    )
                    draft_out = gr.HTML(fmt.EMPTY_DRAFT, max_height=640, padding=True, elem_id="draft-output")
                    with gr.Accordion("分节修改：重写、锁定或手改一节", open=True, elem_id="section-tools"):
                        sec_key = gr.Dropdown(
                            label="选择部分",
                            choices=[],
                            allow_custom_value=True,
                            elem_id="regenerate-section",
                        )
                        with gr.Row():
                            sec_instruction = gr.Textbox(
                                label="重写要求（可空）",
                                placeholder=instruction_hint(ws.settings),
                                scale=3,
                                elem_id="regenerate-instruction",
                            )
                            sec_locked = gr.Checkbox(label="锁定本节", scale=1, elem_id="section-lock")
                        sec_notes = gr.Textbox(
                            label="本节笔记（可修改后重写；留空则用全文笔记中属于本节的条目）",
                            lines=3,
                            max_lines=10,
                            elem_id="regenerate-notes",
                        )
                        regen_btn = gr.Button("重写本节", variant="primary", elem_id="regenerate-button")
                        sec_text = gr.Textbox(
                            label="本节正文（可直接修改后保存）",
                            lines=6,
                            max_lines=20,
                            elem_id="section-text",
                        )
                        save_edit = gr.Button("保存手改", elem_id="section-save")
                        sec_status = gr.Markdown("", elem_id="section-status")

                # -- right: checks, sources, comparison, export -------------------------
                with gr.Column(scale=4, min_width=320):
                    checks = gr.HTML(fmt.checks_html(None), elem_id="checks-panel")
                    with gr.Tabs():
                        with gr.Tab("来源", id="sources-tab"):
                            sources = gr.HTML(fmt.sources_html(None), elem_id="sources-panel")
                        with gr.Tab("材料归类", id="placement-tab", elem_id="placement-tab"):
                            placement_parts = placement.build(h)
                            pending_parts = pending.build(h)
                        with gr.Tab("对照去年", id="compare-tab", elem_id="compare-tab"):
                            plans = gr.HTML("", elem_id="plans-panel")
                            compare = gr.HTML(fmt.compare_html(None), elem_id="compare-panel")
                        with gr.Tab("导出", id="export-tab", elem_id="export-tab"):
                            publish = gr.Checkbox(
                                label="发布稿（去掉 [n] 引注和来源清单）", value=False, elem_id="publish-mode"
                            )
                            docx_btn = gr.DownloadButton(
                                "下载 Word（.docx）", variant="primary", elem_id="export-docx-button"
                            )
                            md_btn = gr.DownloadButton("下载 Markdown（.md）", elem_id="export-md-button")
                            txt_btn = gr.DownloadButton("下载纯文本（.txt）", elem_id="export-txt-button")
                            # /export for API clients (gradio_client, the load bench); hidden on the page
                            export_file = gr.File(visible=False, elem_id="export-api-file")
                            export_api = gr.Button(visible=False, elem_id="export-api")
                            plain = gr.Textbox(
                                label="纯文本（可复制）",
                                lines=10,
                                max_lines=24,
                                buttons=["copy"],
                                elem_id="plain-text",
                            )

            with gr.Tab("语料库", id="corpus-tab", elem_id="corpus-tab") as corpus_tab:
                corpus_md = gr.Markdown("", elem_id="corpus-summary")
                with gr.Row(equal_height=True):
                    kind = gr.Dropdown(
                        label="新文档的类别",
                        choices=[("自动识别", ""), *((v, k) for k, v in fmt.KIND_LABELS.items())],
                        value="",
                        scale=1,
                        elem_id="corpus-kind",
                    )
                    issuer = gr.Textbox(
                        label="发布机关（可空，空则从文档中识别）",
                        max_lines=1,
                        scale=1,
                        elem_id="corpus-issuer",
                    )
                    upload = gr.UploadButton(
                        "上传并导入文档（.txt / .md / .docx / .html，可多选）",
                        file_count="multiple",
                        file_types=[".txt", ".md", ".docx", ".html", ".htm"],
                        variant="primary",
                        scale=2,
                        elem_id="corpus-upload",
                    )
                    replace_same = gr.Checkbox(
                        label="替换同名文档", value=False, scale=1, elem_id="corpus-replace"
                    )
                    remove_title = gr.Dropdown(
                        label="删除文档", choices=[], scale=2, elem_id="corpus-remove-select"
                    )
                    remove_btn = gr.Button("删除所选文档", variant="stop", scale=1, elem_id="corpus-remove")
                with gr.Row(visible=False, elem_id="corpus-remove-confirm") as confirm_row:
                    confirm_text = gr.HTML("", elem_id="corpus-remove-question")
                    confirm_yes = gr.Button("确认删除", variant="stop", scale=0, elem_id="corpus-remove-yes")
                    confirm_no = gr.Button("取消", scale=0, elem_id="corpus-remove-no")
                corpus_status = gr.Markdown("", elem_id="corpus-status")
                docs = gr.HTML("", elem_id="corpus-table")
                with gr.Accordion("改动记录与确认（管理员）", open=False, elem_id="corpus-changes"):
                    changes_md = gr.Markdown("", elem_id="corpus-changes-list")
                    with gr.Row():
                        confirm_title = gr.Dropdown(
                            label="待确认的法规或政策文件",
                            choices=[],
                            scale=3,
                            elem_id="corpus-confirm-select",
                        )
                        confirm_btn = gr.Button("确认新文本", scale=1, elem_id="corpus-confirm")

        # -- wiring ---------------------------------------------------------------------
        panel_outputs = [
            sources, checks, compare, plans, sec_key, sec_text, sec_locked, sec_notes,
            docx_btn, md_btn, txt_btn, plain, hist,
        ]  # fmt: skip
        private = {"api_visibility": "private", "show_progress": "hidden"}
        panel_inputs = [draft_state, publish, sec_key, owner_state]

        def refresh(event: Any) -> Any:
            event = event.then(h.panels, panel_inputs, panel_outputs, **private)
            panel = placement_parts["panel"]
            event = event.then(
                panel.view, [draft_state], placement.refresh_outputs(placement_parts), **private
            )
            waiting = pending_parts["panel"]
            event = event.then(waiting.view, [draft_state], pending.refresh_outputs(pending_parts), **private)
            # The page has settled: every panel follows the change (see page_state).
            return event.then(h.settled, [page_state], [page_state], **private)

        placement.wire(placement_parts, draft_state, session_state, owner_state, draft_out, refresh)
        pending.wire(pending_parts, draft_state, session_state, owner_state, draft_out, refresh)

        streaming = {"concurrency_id": "engine", "show_progress": "minimal"}
        # A draft runs as a job in a thread of its own; its event only follows the job. Following takes no slot
        # of the engine group, so drafts being followed never keep a regeneration or a revision waiting.
        following = {"concurrency_id": "follow", "concurrency_limit": FOLLOWERS, "show_progress": "minimal"}
        draft_outputs = [draft_out, chatbot, chat_state, draft_state, session_state]

        refresh(
            draft_btn.click(
                h.draft,
                [notes, unit, year, section, draft_state, owner_state],
                draft_outputs,
                api_name="draft",
                **following,
            )
        )
        refresh(
            regen_btn.click(
                h.regenerate,
                [sec_key, sec_instruction, sec_notes, draft_state, session_state, chat_state, owner_state],
                [draft_out, draft_state, chatbot, chat_state, session_state, sec_status],
                api_name="regenerate",
                **streaming,
            )
        )
        revise_io = (
            [msg, draft_state, session_state, chat_state, owner_state],
            [chatbot, chat_state, msg, draft_out, draft_state, session_state],
        )
        refresh(msg.submit(h.revise, *revise_io, api_name="revise", **streaming))
        refresh(send.click(h.revise, *revise_io, api_visibility="private", **streaming))
        refresh(
            save_edit.click(
                h.edit_section,
                [sec_key, sec_text, draft_state, session_state, owner_state],
                [draft_out, draft_state, session_state, sec_status],
                api_visibility="private",
            )
        )
        refresh(
            sec_locked.input(
                h.set_locked,
                [sec_key, sec_locked, draft_state, session_state, owner_state],
                [draft_out, draft_state, session_state, sec_status],
                api_visibility="private",
            )
        )
        export_api.click(
            h.export_api, [publish, draft_state], [export_file], api_name="export", show_progress="hidden"
        )
        sec_key.input(h.select_section, [sec_key, draft_state], [sec_text, sec_locked, sec_notes], **private)
        publish.input(h.panels, panel_inputs, panel_outputs, **private)
        notes_file.upload(h.read_notes_file, [notes_file, notes], [notes], **private)
        # What is typed lives on the server per owner: a reload or another tab finds it.
        for box in (notes, unit, year, section):
            box.change(
                h.remember,
                [notes, unit, year, section, owner_state],
                None,
                trigger_mode="always_last",
                **private,
            )
        refresh(
            hist_open.click(
                h.open_session,
                [hist, owner_state],
                [
                    notes,
                    unit,
                    year,
                    section,
                    draft_out,
                    chatbot,
                    chat_state,
                    draft_state,
                    session_state,
                    versions,
                ],
                **private,
            )
        )
        refresh(
            versions.input(
                h.open_version,
                [versions, chat_state, owner_state],
                [draft_out, draft_state, session_state, chatbot, chat_state],
                **private,
            )
        )

        corpus_outputs = [docs, corpus_md, remove_title]

        def refresh_corpus_line(event: Any) -> Any:
            return event.then(h.corpus_line, None, corpus_line, **private)

        def ingest(
            files: list[str] | None,
            kind: str | None,
            issuer: str | None,
            replace: bool,
            request: gr.Request,
            progress: gr.Progress = gr.Progress(),  # noqa: B008
        ) -> tuple:
            return h.ingest(files, kind, issuer, progress, replace=replace, request=request)

        refresh_corpus_line(
            upload.upload(
                ingest,
                [upload, kind, issuer, replace_same],
                [*corpus_outputs, corpus_status],
                api_visibility="private",
                show_progress="full",
                show_progress_on=[corpus_status],  # one bar, where the result line appears
            )
        )
        remove_btn.click(h.ask_remove, [remove_title], [confirm_row, confirm_text], **private)
        confirm_no.click(lambda: gr.update(visible=False), None, confirm_row, **private)
        refresh_corpus_line(
            confirm_yes.click(
                h.remove_document, [remove_title], [*corpus_outputs, corpus_status, confirm_row], **private
            )
        )
        corpus_tab.select(h.corpus_view, None, corpus_outputs, **private).then(
            h.corpus_changes, None, [changes_md, confirm_title], **private
        )
        confirm_btn.click(
            h.confirm_change, [confirm_title], [changes_md, confirm_title, corpus_status], **private
        )

        def history(request: gr.Request) -> list[dict]:
            """Your drafting sessions, newest first (id, created, unit, year, versions, scope); only your own."""
            return h.history_list(owner_of(None, request))

        gr.api(history, api_name="history")
        # A load shows the restored work with its panels at once, then follows a running draft (if any) and
        # refreshes the panels after it; the last step marks the page as settled.
        loaded = refresh(
            demo.load(
                h.restore,
                [browser_id],
                [browser_id, owner_state, notes, unit, year, section, *draft_outputs, hist, corpus_line],
                **private,
            )
        ).then(h.resume, [owner_state, draft_state], draft_outputs, api_visibility="private", **following)
        refresh(loaded).then(h.loaded, [page_state], [page_state], **private)
    demo.zhibi_handlers = h  # type: ignore[attr-defined]  # for tests and benches
    return demo


def concurrency_limit() -> int:
    """Events run at once: drafting is CPU-bound offline, so a little above the core count."""
    return max(4, (os.cpu_count() or 2) * 2)


def launch(
    ws: Any,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: Accounts | list[tuple[str, str]] | None = None,
    *,
    trusted: TrustedHeader | None = None,
    prevent_thread_lock: bool = False,
    quiet: bool = True,
) -> gr.Blocks:
    """Build, queue and launch the app (never share=True). With prevent_thread_lock it returns at once.

    `auth`: the accounts (or plain (user, password) pairs); `trusted`: sign-in by the SSO proxy's header.
    Uploads and exports live in $ZHIBI_HOME/files (0700), not in Gradio's shared temp folder."""
    accounts = Accounts.of_pairs(auth) if isinstance(auth, list) else auth
    # Read by every Block when it is made: uploads and cached outputs go to this private folder. Set once per
    # process (Gradio reads it again at request time, so two apps in one process must share it) and never
    # over a folder the administrator chose, which is used as it is.
    if not os.environ.get("GRADIO_TEMP_DIR"):
        os.environ["GRADIO_TEMP_DIR"] = str(private_dir(Path(ws.settings.home) / "files"))
    export_root = private_dir(Path(os.environ["GRADIO_TEMP_DIR"]) / "exports")
    registry = security.Registry(quota=upload_quota())
    demo = build_app(ws, accounts=accounts, registry=registry, export_root=export_root)
    secret = demo.zhibi_handlers.secret  # type: ignore[attr-defined]
    from starlette.middleware import Middleware

    guard = Middleware(
        security.Guard,
        registry=registry,
        accounts=accounts,
        trusted=trusted,
        export_root=export_root,
        export_secret=secret,
    )
    demo.queue(default_concurrency_limit=concurrency_limit())
    sign_in: dict[str, Any] = {}
    if trusted is not None:
        sign_in["auth_dependency"] = _trusted_user(trusted, demo.zhibi_handlers)  # type: ignore[attr-defined]
    elif accounts:
        sign_in = {"auth": accounts.check, "auth_message": "执笔：请输入账号和密码"}
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            share=False,
            **sign_in,
            prevent_thread_lock=prevent_thread_lock,
            show_error=True,
            quiet=quiet,
            ssr_mode=False,
            enable_monitoring=False,
            mcp_server=False,
            theme=theme(),
            css=fmt.CSS,
            head=fmt.CITE_SCRIPT,
            footer_links=["api"],
            run_history=False,  # notes stay out of the browser's storage
            max_file_size="50mb",
            app_kwargs={"middleware": [guard]},
        )
    except OSError as exc:
        raise ZhibiError(f"无法在 {host}:{port} 启动：{exc}", hint="端口可能被占用，换一个 --port") from exc
    from ui.health import add_health_route

    add_health_route(demo)
    demo.zhibi_handlers._keep_beating()  # this worker's heartbeats, and dead jobs failed without anyone looking
    return demo


def upload_quota() -> int:
    """ZHIBI_UPLOAD_QUOTA_MB (200): upload bytes per owner per rolling day."""
    raw = os.environ.get("ZHIBI_UPLOAD_QUOTA_MB", "").strip()
    try:
        return int(float(raw) * 1024 * 1024) if raw else security.UPLOAD_QUOTA_BYTES
    except ValueError:
        raise ZhibiError(
            f"环境变量 ZHIBI_UPLOAD_QUOTA_MB={raw!r} 不是数字", hint="设为每日上传配额的兆字节数，例如 200"
        ) from None


def _trusted_user(trusted: TrustedHeader, h: Handlers) -> Any:
    """Gradio's auth_dependency: the SSO header's account when the request comes from a trusted proxy."""

    def user(request: Any) -> str | None:
        client = request.client.host if request.client else None
        account = trusted.account(client, request.headers)
        if account is None:
            return None
        h.accounts.by_name[account.name] = account  # its unit and role, for the handlers
        return account.name

    return user


def warm(ws: Any) -> float:
    """Load the index and the embedder, and import the drafting code, so the first click is fast (ms)."""
    started = time.perf_counter()
    ws.index  # noqa: B018
    if ws.documents():
        ws.drafter.warm()
    import drafting.drafter  # noqa: F401, I001
    import drafting.export  # noqa: F401

    return (time.perf_counter() - started) * 1000


def read_auth(auth: str | None, auth_file: str | None) -> Accounts | None:
    """`--auth USER` (password in ZHIBI_AUTH_PASSWORD) and `--auth-file` lines 用户:密码[:单位:角色]."""
    return read_accounts(auth, auth_file)


def serve(
    ws: Any, host: str = "127.0.0.1", port: int = 7860, auth: str | None = None, auth_file: str | None = None
) -> int:
    """`zhibi serve`: warm the workspace, start the server, print the address, block until Ctrl-C."""
    restrict_umask()  # history, audit records, exports and uploads: 0600 in 0700 folders
    secure_home(ws.settings.home)
    credentials = read_auth(auth, auth_file)
    trusted = TrustedHeader.from_env()
    if credentials and trusted:
        raise ZhibiError(
            "不能同时使用账号文件和单点登录请求头",
            hint="二选一：去掉 --auth/--auth-file，或去掉 ZHIBI_TRUSTED_USER_HEADER",
        )
    for line in serve_warnings(host, bool(credentials or trusted)):
        print(line, file=sys.stderr, flush=True)
    print("执笔：正在加载索引和检索模型…", flush=True)
    ms = warm(ws)
    print(f"执笔：加载完成（{ms / 1000:.1f} 秒）", flush=True)
    demo = launch(ws, host, port, credentials, trusted=trusted, prevent_thread_lock=True)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{demo.server_port}/"
    print(f"执笔已启动：{url}" + ("（需要登录）" if credentials or trusted else ""), flush=True)
    if host in ("0.0.0.0", "::"):
        print(
            f"已监听所有网卡（{host}）；同一网络中的同事可用本机地址访问端口 {demo.server_port}", flush=True
        )
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\n执笔：已停止", file=sys.stderr)
    finally:
        # Jobs of this worker fail now (notes saved, 起草 reruns), not after the heartbeat goes stale.
        demo.zhibi_handlers.job_store.abandon()
        demo.close()
    return 0


def serve_warnings(host: str, signed_in: bool) -> list[str]:
    """What `serve` says before starting: listening beyond this machine without sign-in is open to everyone."""
    if signed_in or _loopback(host):
        return []
    return [
        f"执笔：警告：监听 {host} 且未设置登录，同一网络中的任何人都能使用本服务、上传文档、更改语料库；"
        "请加 --auth-file 账号文件（或 --auth 用户名 与环境变量 ZHIBI_AUTH_PASSWORD）"
    ]


def _loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
