"""`zhibi` command line: thin calls into zhibi.api.Workspace, errors turned into one line and an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zhibi.errors import ZhibiError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhibi", description="执笔：法治政府建设情况报告起草助手")
    p.add_argument("--home", help="state folder (default $ZHIBI_HOME or ~/.local/share/zhibi)")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="index files, folders or http(s) URLs (no PATH = bundled corpus)")
    ing.add_argument("paths", nargs="*")
    ing.add_argument("--title")
    ing.add_argument("--kind", choices=["report", "law", "policy", "other"])
    ing.add_argument("--year", type=int)
    ing.add_argument("--issuer")
    ing.add_argument(
        "--if-empty", action="store_true", help="do nothing when the index already has documents"
    )
    ing.add_argument(
        "--replace",
        action="store_true",
        help="替换索引里同名但内容不同的文档（不加则列出将被替换的文档并退出）",
    )

    cor = sub.add_parser("corpus", help="list indexed documents")
    cor.add_argument("--remove", metavar="TITLE", help="remove one document by title")
    cor.add_argument("--json", action="store_true")

    se = sub.add_parser("search", help="hybrid search of the index")
    se.add_argument("query")
    se.add_argument("-k", type=int, default=5)
    se.add_argument("--kind")
    se.add_argument("--year", type=int)
    se.add_argument("--issuer")
    se.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    se.add_argument("--json", action="store_true")

    dr = sub.add_parser("draft", help="draft the report or one section from notes (NOTES may be -)")
    dr.add_argument("notes")
    dr.add_argument("--unit", required=True)
    dr.add_argument("--year", type=int, required=True)
    dr.add_argument(
        "--section", default=None, help="outline key, e.g. measures.enforcement; default whole report"
    )
    dr.add_argument("--engine", choices=["auto", "offline", "llm"], default="auto")
    dr.add_argument("--format", choices=["md", "json", "docx"], default="md")
    dr.add_argument("--publish", action="store_true", help="strip citations")
    dr.add_argument("-o", "--output")

    ev = sub.add_parser("eval", help="run evaluation cases")
    ev.add_argument("cases_dir")
    ev.add_argument("--engine", choices=["auto", "offline", "llm"], default="offline")
    ev.add_argument("--json", action="store_true")

    ck = sub.add_parser("llm-check", help="向已配置的大模型发一条简短请求：模型、耗时、速度、回复是否干净")
    ck.add_argument("--json", action="store_true", help="以 JSON 输出")

    sv = sub.add_parser("serve", help="start the web workspace")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=7860)
    sv.add_argument("--auth", metavar="USER:PASS")
    sv.add_argument("--auth-file", metavar="FILE", help="lines of USER:PASS")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ZhibiError as exc:
        print(f"zhibi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


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
        from drafting.evaluate import run_cli

        return run_cli(_workspace(args), Path(args.cases_dir), engine=args.engine, as_json=args.json)
    if cmd == "llm-check":
        return _llm_check(args)
    if cmd == "serve":
        from ui.app import serve

        return serve(
            _workspace(args), host=args.host, port=args.port, auth=args.auth, auth_file=args.auth_file
        )
    raise AssertionError(cmd)


def _llm_check(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from drafting.engine_llm import check_llm
    from zhibi.config import resolve_settings

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
    from zhibi.config import BUNDLED_CORPUS

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
        )
    print(report.summary())
    return 0


def _corpus(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    if args.remove:
        n = ws.remove(args.remove)
        print(f"已删除《{args.remove}》的 {n} 个片段")
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
    result = ws.draft(notes, unit=args.unit, year=args.year, section=args.section, engine=args.engine)
    if args.format == "docx":
        out = Path(args.output or f"{result.title or 'draft'}.docx")
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
        # The same verdict as the web workspace and the .docx appendix; details in --format json.
        print(f"核查：{status.summary()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
