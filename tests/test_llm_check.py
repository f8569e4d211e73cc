"""`zhibi llm-check`: one short request, reported with model, latency, speed and whether the reply was clean."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from ui.cli import main

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401


@pytest.fixture
def llm_env(fake_llm: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    monkeypatch.setenv("ZHIBI_HOME", str(tmp_path))
    monkeypatch.setenv("ZHIBI_LLM_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("ZHIBI_LLM_MODEL", "qwen3-8b")
    return fake_llm


def test_clean_reply_is_reported_clean(llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    llm_env.script([("text", "行政机关应当坚持依法行政，严格按照法定权限和程序行使权力。")])
    assert main(["llm-check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["clean"] is True and report["model"] == "qwen3-8b"
    assert report["output_tokens"] > 0 and report["seconds"] > 0 and report["first_token_seconds"] is not None
    assert llm_env.chat_requests()[0]["stream"] is True and len(llm_env.chat_requests()) == 1


def test_reasoning_and_wrapping_are_named(llm_env: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    llm_env.script(
        [
            (
                "text",
                "<think>用户要一句话。</think>好的，以下是正文：\n**依法行政**是基本要求。\n希望对您有帮助！",
            )
        ]
    )
    assert main(["llm-check"]) == 0
    out = capsys.readouterr().out
    assert "推理" in out and "enable_thinking" in out  # how to turn it off
    assert "需要清理" in out and "开场白" in out and "结束语" in out
    assert "正文：依法行政是基本要求。" in out


def test_dead_server_fails_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ZHIBI_HOME", str(tmp_path))
    monkeypatch.setenv("ZHIBI_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("ZHIBI_LLM_TIMEOUT", "2")
    assert main(["llm-check"]) == 1
    assert "失败" in capsys.readouterr().out


def test_not_configured_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("ZHIBI_LLM_BASE_URL", "OPENAI_BASE_URL", "ZHIBI_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ZHIBI_HOME", str(tmp_path))
    assert main(["llm-check"]) == 2
    assert "ZHIBI_LLM_BASE_URL" in capsys.readouterr().err
