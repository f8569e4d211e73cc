"""The CLI speaks Chinese (help, argparse errors), exits quietly on a closed pipe, names files safely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.types import Draft, Section
from ui.cli import build_parser, docx_stem, main

ROOT = Path(__file__).resolve().parents[1]
NOTES = "执法：全年办理行政处罚案件326件，罚没款218.6万元\n普法：开展普法宣传活动12场\n"


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("command", [[], ["ingest"], ["corpus"], ["search"], ["draft"], ["eval"], ["serve"]])
def test_help_is_chinese(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([*command, "-h"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项" in out and "显示本帮助并退出" in out
    for english in ("usage:", "show this help", "positional arguments", "options:"):
        assert english not in out
    # every argument has a Chinese help line
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    target = sub.choices[command[0]] if command else parser
    for action in target._actions:
        assert action.help and _cjk(action.help), (command, action.dest)


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["draft", "notes.txt", "--unit", "甲局"], "缺少必填参数：--year"),
        (["draft", "notes.txt", "--unit", "甲局", "--year", "23"], "四位年份"),
        (["draft", "notes.txt", "--unit", "甲局", "--year", "2024", "--format", "pdf"], "无效，可选"),
        (["frobnicate"], "无效，可选"),
        (["corpus", "--bogus"], "无法识别的参数：--bogus"),
    ],
)
def test_argparse_errors_are_chinese(argv, expect, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert expect in err and len(err.splitlines()) == 1, err
    assert "error:" not in err and "invalid" not in err and "usage" not in err


def test_year_written_in_chinese_numerals():
    args = build_parser().parse_args(["draft", "n.txt", "--unit", "甲局", "--year", "二〇二三"])
    assert args.year == 2023
    assert build_parser().parse_args(["draft", "n.txt", "--unit", "甲局", "--year", "２０２４"]).year == 2024


def test_docx_name_of_a_section_and_of_a_hostile_unit():
    report = Draft(
        "../../../x/甲局", 2024, "offline", "../../../x/甲局2024年法治政府建设情况报告", scope="report"
    )
    stem = docx_stem(report)
    assert "/" not in stem and not stem.startswith(".") and stem.endswith("甲局2024年法治政府建设情况报告")
    one = Draft(
        "甲局",
        2024,
        "offline",
        "甲局2024年法治政府建设情况报告",
        sections=[Section("measures.enforcement", "（二）严格规范公正文明执法", "x", level=2)],
        scope="measures.enforcement",
    )
    assert docx_stem(one) == "甲局2024年法治政府建设情况报告（严格规范公正文明执法）"


def _run(args: list[str], home: Path, **kwargs):
    env = {**os.environ, "ZHIBI_HOME": str(home), "ZHIBI_LLM_BASE_URL": "", "OPENAI_BASE_URL": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", *args], cwd=kwargs.pop("cwd", ROOT), env=env, **kwargs
    )


def test_closed_pipe_exits_quietly(tmp_path, bundled_workspace):
    """`zhibi draft … --format json | head -c 1`: no BrokenPipeError traceback, exit 0."""
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    home = bundled_workspace.settings.home
    proc = _run(
        ["draft", str(notes), "--unit", "甲县交通运输局", "--year", "2024", "--format", "json"],
        home,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away before the rest is written
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 0


def test_docx_without_output_stays_in_the_folder(tmp_path, bundled_workspace):
    notes = tmp_path / "notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    proc = _run(
        ["draft", str(notes), "--unit", "../../../x/", "--year", "2024", "--format", "docx",
         "--section", "measures.enforcement"],
        bundled_workspace.settings.home,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode("utf-8")
    written = list(work.iterdir())
    assert len(written) == 1 and written[0].suffix == ".docx", written
    assert "严格规范公正文明执法" in written[0].name
    assert not (tmp_path / "x").exists()
