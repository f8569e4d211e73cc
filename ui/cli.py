"""`zhibi` command line: thin calls into zhibi.api.Workspace, errors turned into one line and an exit code."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from core.errors import ZhibiError
from drafting.inputs import NO_NOTES, NO_NOTES_CLI, parse_year, safe_filename


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


# argparse's own messages, as they reach error(): English pattern → Chinese.
_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.+)"), "缺少必填参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
        "参数 {0} 的值“{1}”无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid (\w+) value: '?([^']*)'?"), "参数 {0} 的值“{2}”无效"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), "选项 {0} 有歧义，可能是：{1}"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),
]


def translate_argparse(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if m := pattern.fullmatch(message.strip()):
            return chinese.format(*m.groups()).replace("'", "")
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help headings, a Chinese -h and Chinese error lines (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}：{translate_argparse(message)}（用 {self.prog} -h 查看用法）\n")


def year_arg(text: str) -> int:
    try:
        return parse_year(text)
    except ZhibiError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="zhibi", description="执笔：法治政府建设情况报告起草助手")
    p.add_argument(
        "--home", metavar="文件夹", help="数据文件夹（默认 $ZHIBI_HOME，否则 ~/.local/share/zhibi）"
    )
    sub = p.add_subparsers(
        dest="command",
        required=True,
        title="子命令",
        metavar="子命令",
        help="用 zhibi 子命令 -h 查看各自的用法",
    )

    ing = sub.add_parser(
        "ingest",
        help="导入文件、文件夹或 http(s) 网址（不给路径则导入自带语料）",
        description="导入文档到索引",
    )
    ing.add_argument("paths", nargs="*", metavar="路径", help="文件、文件夹或网址，可多个")
    ing.add_argument("--title", help="文档标题（只导入一个文件时可用）")
    ing.add_argument(
        "--kind",
        choices=["report", "law", "policy", "other"],
        help="类别：往年报告、法律法规、政策文件、其他",
    )
    ing.add_argument("--year", type=year_arg, help="文档年份，例如 2023")
    ing.add_argument("--issuer", help="发布机关")
    ing.add_argument("--unit", help="文档属于哪个单位（只有该单位的账号起草时使用）；不给则为共享文档")
    ing.add_argument("--if-empty", action="store_true", help="索引中已有文档时什么也不做")
    ing.add_argument(
        "--replace",
        action="store_true",
        help="替换索引里同名但内容不同的文档（不加则列出将被替换的文档并退出）",
    )

    cor = sub.add_parser("corpus", help="列出已导入的文档", description="列出或删除已导入的文档")
    cor.add_argument("--remove", metavar="标题", help="按标题删除一篇文档")
    cor.add_argument(
        "--changes", action="store_true", help="列出语料库的改动记录（谁、何时、标题、新旧哈希）"
    )
    cor.add_argument(
        "--confirm", metavar="标题", help="确认一篇被替换的法规或政策文件的新文本（确认前引用它的草稿带提示）"
    )
    cor.add_argument("--json", action="store_true", help="以 JSON 输出")

    se = sub.add_parser("search", help="在索引中检索", description="混合检索（向量＋关键词）")
    se.add_argument("query", metavar="检索词", help="要检索的词语或句子")
    se.add_argument("-k", type=int, default=5, help="返回条数（默认 5）")
    se.add_argument("--kind", help="只查某一类别：report、law、policy、other")
    se.add_argument("--year", type=year_arg, help="只查某一年份的文档")
    se.add_argument("--issuer", help="只查某一发布机关的文档")
    se.add_argument(
        "--mode", choices=["hybrid", "dense", "lexical"], default="hybrid", help="检索方式（默认 hybrid）"
    )
    se.add_argument("--json", action="store_true", help="以 JSON 输出")

    dr = sub.add_parser(
        "draft", help="根据工作笔记起草全文或一节", description="根据工作笔记起草法治政府建设情况报告"
    )
    dr.add_argument("notes", metavar="笔记", help="笔记文件（.txt/.md/.docx），- 表示从标准输入读取")
    dr.add_argument("--unit", required=True, help="报告单位，例如“某某县交通运输局”")
    dr.add_argument("--year", type=year_arg, required=True, help="报告年度，例如 2023、二〇二三")
    dr.add_argument("--section", default=None, help="只起草一节：提纲键，例如 measures.enforcement；默认全文")
    dr.add_argument(
        "--engine", choices=["auto", "offline", "llm"], default="auto", help="起草引擎（默认 auto）"
    )
    dr.add_argument("--format", choices=["md", "json", "docx"], default="md", help="输出格式（默认 md）")
    dr.add_argument("--publish", action="store_true", help="发布稿：去掉 [n] 引注和来源清单")
    dr.add_argument("-o", "--output", metavar="文件", help="写入文件；docx 不给时按单位、年度和范围命名")
    dr.add_argument(
        "--placement", action="store_true", help="只列出每行材料归入的部分、理由和把握（不输出稿件）"
    )

    ev = sub.add_parser("eval", help="运行评测用例", description="运行评测用例并打分")
    ev.add_argument("cases_dir", metavar="用例文件夹", help="每个用例一个子文件夹（格式见 eval/README.md）")
    ev.add_argument(
        "--engine", choices=["auto", "offline", "llm"], default="offline", help="起草引擎（默认 offline）"
    )
    ev.add_argument("--json", action="store_true", help="以 JSON 输出")

    ck = sub.add_parser(
        "llm-check",
        help="向已配置的大模型发一条简短请求：模型、耗时、速度、回复是否干净",
        description="检查已配置的大模型接口",
    )
    ck.add_argument("--json", action="store_true", help="以 JSON 输出")

    dbp = sub.add_parser(
        "db",
        help="工作台数据库（历史记录、任务）：查看结构版本，或升级到最新",
        description="工作台数据库：ZHIBI_DATABASE_URL，未设置时为 ZHIBI_HOME 下的 SQLite 文件",
    )
    dbp.add_argument(
        "action", nargs="?", choices=["status", "upgrade"], default="status", help="status 或 upgrade"
    )
    sv = sub.add_parser("serve", help="启动网页工作台", description="启动网页工作台")
    sv.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只限本机）")
    sv.add_argument("--port", type=int, default=7860, help="端口（默认 7860）")
    sv.add_argument("--auth", metavar="用户:密码", help="一个登录账号")
    sv.add_argument(
        "--auth-file", metavar="文件", help="账号文件，每行一个 用户:密码；各账号的历史记录互不可见"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from core.files import restrict_umask

    restrict_umask()  # history, audit records and exports are private to this user (0600 / 0700)
    try:
        code = _dispatch(args)
        sys.stdout.flush()
        return code
    except ZhibiError as exc:
        print(f"zhibi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`zhibi … | head`): stop quietly. stdout is pointed at /dev/null so the
        # interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        # A full disk or a damaged database: one line naming the cause and the fix, never a traceback.
        from zhibi.failures import explain

        problem = explain(exc, _history_path(args))
        if problem is None:
            raise
        print(f"zhibi: {problem}", file=sys.stderr)
        return 2


def _history_path(args: argparse.Namespace) -> Path | None:
    try:
        from core.config import resolve_settings

        return resolve_settings(home=args.home).db_path
    except ZhibiError:
        return None


def _workspace(args: argparse.Namespace):
    from zhibi.api import Workspace

    return Workspace(home=args.home)


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "ingest":
        return _ingest(args)
    if cmd == "corpus":
        return _corpus(args)
    if cmd == "search":
        return _search(args)
    if cmd == "draft":
        return _draft(args)
    if cmd == "eval":
        from zhibi.evaluate import run_cli

        return run_cli(_workspace(args), Path(args.cases_dir), engine=args.engine, as_json=args.json)
    if cmd == "llm-check":
        return _llm_check(args)
    if cmd == "db":
        return _db(args)
    if cmd == "serve":
        from ui.app import serve

        return serve(
            _workspace(args), host=args.host, port=args.port, auth=args.auth, auth_file=args.auth_file
        )
    raise AssertionError(cmd)


def _db(args: argparse.Namespace) -> int:
    """`zhibi db [status|upgrade]`: where the database is and whether its schema is the newest (exit 1 if not)."""
    from sqlalchemy.exc import OperationalError

    from core.config import resolve_settings
    from zhibi.store import _safe, open_store, unreachable
    from zhibi.store.migrate import current, head

    settings = resolve_settings(home=args.home)
    store = open_store(settings.database, migrate=args.action == "upgrade")
    try:
        now = current(store)
    except OperationalError as exc:
        raise unreachable(exc, store.url) from None
    newest = head()
    print(f"数据库：{_safe(store.url)}")
    print(f"结构版本：{now or '未建立'}（最新：{newest}）")
    if now != newest:
        print("需要升级：运行 zhibi db upgrade，或启动任一工作进程（启动时自动升级）")
        return 1
    return 0


def _llm_check(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from core.config import resolve_settings
    from drafting.engines.llm.engine import check_llm

    settings = resolve_settings(home=args.home)
    if not settings.llm_configured:
        raise ZhibiError(
            "没有配置大模型接口",
            hint="设置 ZHIBI_LLM_BASE_URL（及 ZHIBI_LLM_MODEL、ZHIBI_LLM_API_KEY）后再检查",
        )
    result = check_llm(settings)
    if args.json:
        print(json.dumps(asdict(result) | {"clean": result.clean}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(result.lines()))
    return 1 if result.error else 0


def _ingest(args: argparse.Namespace) -> int:
    from core.config import BUNDLED_CORPUS

    ws = _workspace(args)
    if args.if_empty and ws.documents():
        print(f"索引已有 {len(ws.documents())} 篇文档，跳过导入（{ws.settings.home}）")
        return 0
    paths = args.paths or [str(BUNDLED_CORPUS)]
    from retrieval.progress import ProgressPrinter

    with ProgressPrinter() as progress:
        report = ws.ingest(
            paths,
            title=args.title,
            kind=args.kind,
            year=args.year,
            issuer=args.issuer,
            progress=progress,
            replace=args.replace,
            unit=args.unit or "",
        )
    print(report.summary())
    return 0


def _corpus(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    if args.remove:
        n = ws.remove(args.remove)
        print(f"已删除《{args.remove}》的 {n} 个片段")
        return 0
    if args.confirm:
        ws.confirm(args.confirm)
        print(f"已确认《{args.confirm}》的当前文本；引用它的草稿不再带提示")
        return 0
    if args.changes:
        from dataclasses import asdict

        from zhibi.corpus_log import CorpusLog

        log = CorpusLog(ws.settings.home)
        changes, pending = log.changes(), log.unconfirmed()
        if args.json:
            print(json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2))
            return 0
        for c in changes:
            print(c.line())
        if pending:
            print("待管理员确认：" + "、".join(f"《{t}》" for t in pending))
        return 0
    docs = ws.documents()
    if args.json:
        print(json.dumps([d.__dict__ for d in docs], ensure_ascii=False, indent=2))
        return 0
    if not docs:
        print("索引为空：运行 zhibi ingest 导入自带语料")
        return 0
    for d in docs:
        print(f"{d.kind:<7}{d.year or '-':<6}{d.chunks:>5}  {d.title}")
    print(f"共 {len(docs)} 篇，{sum(d.chunks for d in docs)} 个片段")
    return 0


def _search(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    hits = ws.search(args.query, args.k, kind=args.kind, year=args.year, issuer=args.issuer, mode=args.mode)
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关片段" if ws.documents() else "索引为空：运行 zhibi ingest 导入自带语料")
        return 0
    for i, h in enumerate(hits, 1):
        print(f"{i}. 《{h.title}》 {h.locator}  ({h.score:.4f})")
        print(f"   {h.text[:160]}")
    return 0


def _read_notes(spec: str) -> str:
    if spec == "-":
        return sys.stdin.read()
    from retrieval.ingest import read_text_file

    return read_text_file(Path(spec))


def _draft(args: argparse.Namespace) -> int:
    from drafting import export

    ws = _workspace(args)
    notes = _read_notes(args.notes)
    try:
        result = ws.draft(notes, unit=args.unit, year=args.year, section=args.section, engine=args.engine)
    except ZhibiError as exc:
        if exc.message != NO_NOTES[0]:
            raise
        where = "标准输入" if args.notes == "-" else f"笔记文件 {args.notes} "
        raise ZhibiError(f"{where}中没有可起草的材料", hint=NO_NOTES_CLI) from None
    if args.placement:
        print(placement_table(result))
        return 0
    if args.format == "docx":
        out = Path(args.output or f"{docx_stem(result)}.docx")
        export.to_docx(result, out, publish=args.publish)
        print(f"已导出 {out}")
    else:
        text = (
            json.dumps(result.to_json(), ensure_ascii=False, indent=2)
            if args.format == "json"
            else export.to_markdown(result, publish=args.publish)
        )
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            print(f"已写入 {args.output}")
        else:
            print(text)
    status = result.status
    if args.format != "json":
        # What waits for the user is not in the text: said where it cannot be missed (JSON has "pending").
        for line in pending_lines(result):
            print(line, file=sys.stderr)
        # The same verdict as the web workspace and the .docx appendix; details in --format json.
        print(f"核查：{status.summary()}", file=sys.stderr)
    return 0


def pending_lines(result) -> list[str]:  # noqa: ANN001
    """待确认: each clause the draft left out because the tool cannot vouch for it, with why."""
    pending = result.pending
    if not pending:
        return []
    rows = [f"待确认（{len(pending)} 条，未写入正文）："]
    rows.extend(f"  第{c.line_no}行｜{c.text}｜{c.reason}" for c in pending)
    return rows


def docx_stem(result) -> str:  # type: ignore[no-untyped-def]
    """File name for a draft without -o: the report's title, or the section's heading for a one-section draft.

    Built from user text (the unit), so it is sanitised: it can never name a folder or climb out of this one.
    """
    if result.scope == "report":
        return safe_filename(result.title or f"{result.unit}{result.year}年法治政府建设情况报告")
    section = result.section(result.scope)
    heading = re.sub(
        r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", "", section.heading if section else ""
    )
    return safe_filename(f"{result.unit}{result.year}年法治政府建设情况报告（{heading or result.scope}）")


def placement_table(result) -> str:  # noqa: ANN001
    """One line per placed notes line: line number, key, confidence (? when low), reason, origin, text."""
    rows = []
    for f in result.placement:
        mark = "?" if f.low_confidence else " "
        origin = f"［{f.origin}］" if f.origin else ""
        rows.append(
            f"{f.line_no:>4}  {f.key:<22} {f.confidence:.2f}{mark} {f.reason}{origin}｜{f.raw or f.text}"
        )
    rows.extend(f"   -  {'（未写入正文）':<20}        {line}" for line in result.checks.lines_dropped)
    rows.extend(
        f"   -  {'（指令，未执行）':<19}        {line}" for line in result.checks.instructions_ignored
    )
    rows.extend(
        f"{c.line_no:>4}  {'（' + ROLE_WORDS.get(c.role, c.role) + ('，待确认' if c.pending else '') + '）':<20} {c.text}"
        for c in result.set_aside
    )
    return "\n".join(rows)


ROLE_WORDS = {
    "earlier": "往年",
    "partial": "非全年",
    "superseded": "已更正",
    "unplaced": "归属不确定",
    "unconfirmed": "存疑",
    "not_done": "未完成",
    "wrapping": "包装",
    "remark": "对起草人说的话",
    "filler": "口头语",
}


if __name__ == "__main__":
    sys.exit(main())
