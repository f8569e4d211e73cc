"""The real langchain ChatOpenAI client against tests/fake_openai.py: streaming, retries, clear failures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import LLMUnavailable
from drafting.engines.llm.client import FakeChatModel, OpenAICompatibleModel, Reply, collect

try:
    from tests.fake_openai import FakeOpenAI, fake_llm  # noqa: F401
except ImportError:  # tests/ itself on sys.path (pytest rootdir-less import)
    from fake_openai import FakeOpenAI, fake_llm  # noqa: F401

MESSAGES = [("system", "你是机关公文写作人员。"), ("user", "请起草正文。")]


def make_model(
    fake: FakeOpenAI, tmp_path: Path, **overrides: object
) -> tuple[OpenAICompatibleModel, list[float]]:
    values: dict[str, object] = {"llm_base_url": fake.base_url, "llm_timeout": 1.0, "llm_retries": 2}
    values.update(overrides)
    waits: list[float] = []
    model = OpenAICompatibleModel(Settings(home=tmp_path, **values), sleep=waits.append)  # type: ignore[arg-type]
    return model, waits


def test_stream_tokens_arrive_in_order(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    text = "全年办理行政处罚案件326件，罚没款218.6万元。"
    fake_llm.script([("text", text)])
    model, waits = make_model(fake_llm, tmp_path)
    pieces: list[str] = []
    assert collect(model.stream(MESSAGES), pieces.append) == text
    assert len(pieces) > 5 and "".join(pieces) == text
    assert model.attempts == 1 and waits == []
    body = fake_llm.chat_requests()[0]
    assert body["stream"] is True and body["model"] == "gpt-4o-mini" and body["temperature"] == 0.2
    assert body["messages"] == [
        {"role": "system", "content": "你是机关公文写作人员。"},
        {"role": "user", "content": "请起草正文。"},
    ]
    headers = {k.lower(): v for k, v in fake_llm.requests[0]["headers"].items()}
    assert headers["authorization"] == "Bearer not-needed"


def test_settings_reach_the_request(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("text", "好")])
    model, _ = make_model(fake_llm, tmp_path, llm_model="qwen2.5-7b-instruct", llm_api_key="sk-test")
    assert model.complete(MESSAGES) == "好"
    body = fake_llm.chat_requests()[0]
    assert body["model"] == "qwen2.5-7b-instruct" and not body.get("stream")
    headers = {k.lower(): v for k, v in fake_llm.requests[0]["headers"].items()}
    assert headers["authorization"] == "Bearer sk-test"


def test_500_then_success_is_retried(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 500), ("status", 503), ("text", "依法行政。")])
    model, waits = make_model(fake_llm, tmp_path)
    assert collect(model.stream(MESSAGES)) == "依法行政。"
    assert model.attempts == 3 and waits == [0.5, 1.0]
    assert len(fake_llm.chat_requests()) == 3


def test_429_is_retried_for_complete(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 429, "rate limited"), ("text", "依法行政。")])
    model, waits = make_model(fake_llm, tmp_path)
    assert model.complete(MESSAGES) == "依法行政。"
    assert waits == [0.5]


def test_backoff_doubles(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 502)] * 4)
    model, waits = make_model(fake_llm, tmp_path, llm_retries=3)
    with pytest.raises(LLMUnavailable) as info:
        model.complete(MESSAGES)
    assert waits == [0.5, 1.0, 2.0] and model.attempts == 4
    message = str(info.value)
    assert "ZHIBI_LLM_BASE_URL" in message and fake_llm.base_url in message and "HTTP 502" in message


def test_timeout_is_retried_then_unavailable(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("sleep", 5)] * 2)
    model, waits = make_model(fake_llm, tmp_path, llm_timeout=0.3, llm_retries=1)
    started = time.perf_counter()
    with pytest.raises(LLMUnavailable) as info:
        collect(model.stream(MESSAGES))
    assert time.perf_counter() - started < 3
    assert len(fake_llm.chat_requests()) == 2 and waits == [0.5]
    assert "超时" in str(info.value) and "ZHIBI_LLM_BASE_URL" in str(info.value)


def test_slow_reply_within_timeout_succeeds(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("sleep", 0.1, "依法行政。")])
    model, waits = make_model(fake_llm, tmp_path)
    assert collect(model.stream(MESSAGES)) == "依法行政。" and waits == []


def test_stream_cut_short_is_retried_without_repeating_shown_text(
    fake_llm: FakeOpenAI, tmp_path: Path
) -> None:
    full = "全年办理行政处罚案件326件，罚没款218.6万元。"
    fake_llm.script([("cut", full[:10]), ("text", full)])
    model, waits = make_model(fake_llm, tmp_path)
    pieces: list[str] = []
    assert collect(model.stream(MESSAGES), pieces.append) == full
    assert "".join(pieces) == full  # the retried prefix is not shown twice
    assert model.attempts == 2 and waits == [0.5]


def test_stream_ending_without_finish_reason_is_cut_short(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("cut_clean", "全年办理"), ("text", "全年办理行政处罚案件326件。")])
    model, _ = make_model(fake_llm, tmp_path)
    assert collect(model.stream(MESSAGES)) == "全年办理行政处罚案件326件。"
    assert model.attempts == 2


def test_retried_stream_that_differs_returns_the_new_reply(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("cut", "甲乙丙丁戊己庚"), ("text", "子丑寅卯辰巳午未申酉")])
    model, _ = make_model(fake_llm, tmp_path)
    assert collect(model.stream(MESSAGES)) == "子丑寅卯辰巳午未申酉"


def test_cut_every_time_gives_unavailable(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("cut", "半句"), ("cut_clean", "半句"), ("cut", "半句")])
    model, _ = make_model(fake_llm, tmp_path)
    with pytest.raises(LLMUnavailable, match="ZHIBI_LLM_BASE_URL"):
        collect(model.stream(MESSAGES))
    assert model.attempts == 3


def test_error_event_in_stream_is_retried(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("error_event", "overloaded"), ("text", "好")])
    model, _ = make_model(fake_llm, tmp_path)
    assert collect(model.stream(MESSAGES)) == "好"


def test_401_fails_at_once_naming_the_key(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 401, "Incorrect API key"), ("text", "不应到达")])
    model, waits = make_model(fake_llm, tmp_path)
    with pytest.raises(LLMUnavailable) as info:
        collect(model.stream(MESSAGES))
    assert "ZHIBI_LLM_API_KEY" in str(info.value) and "Incorrect API key" in str(info.value)
    assert len(fake_llm.chat_requests()) == 1 and waits == []


def test_404_fails_at_once_naming_the_model(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 404, "model not found")])
    model, waits = make_model(fake_llm, tmp_path, llm_model="no-such-model")
    with pytest.raises(LLMUnavailable) as info:
        model.complete(MESSAGES)
    assert "ZHIBI_LLM_MODEL" in str(info.value) and "no-such-model" in str(info.value)
    assert len(fake_llm.chat_requests()) == 1 and waits == []


def test_400_fails_at_once(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("status", 400, "context too long")])
    model, waits = make_model(fake_llm, tmp_path)
    with pytest.raises(LLMUnavailable, match="context too long"):
        collect(model.stream(MESSAGES))
    assert waits == []


def test_nothing_listening_is_unavailable(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        url = fake.base_url  # the port is free again once closed
    settings = Settings(home=tmp_path, llm_base_url=url, llm_timeout=1.0, llm_retries=1)
    model = OpenAICompatibleModel(settings, sleep=lambda _s: None)
    with pytest.raises(LLMUnavailable) as info:
        collect(model.stream(MESSAGES))
    assert "连接失败" in str(info.value) and "ZHIBI_LLM_BASE_URL" in str(info.value)


def test_no_langchain_objects_leak(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    fake_llm.script([("text", "好"), ("text", "好")])
    model, _ = make_model(fake_llm, tmp_path)
    reply = model.complete(MESSAGES)
    assert type(reply) is Reply and str(reply) == "好"  # a plain str subclass, nothing of langchain
    assert all(type(p) is str for p in model.stream(MESSAGES))


def test_fake_server_embeddings_and_models(fake_llm: FakeOpenAI) -> None:
    import openai

    client = openai.OpenAI(base_url=fake_llm.base_url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["fake-model"]
    texts = ["行政处罚案件326件", "行政处罚案件326件", "行政复议决定书"]
    got = client.embeddings.create(model="fake-embed", input=texts)  # base64 by default in the SDK
    vectors = [d.embedding for d in got.data]
    assert len(vectors) == 3 and len(vectors[0]) == 64
    assert vectors[0] == pytest.approx(vectors[1])
    assert abs(sum(v * v for v in vectors[2]) - 1.0) < 1e-5
    floats = client.embeddings.create(model="fake-embed", input="行政处罚案件326件", encoding_format="float")
    assert floats.data[0].embedding == pytest.approx(vectors[0], abs=1e-6)
    assert fake_llm.requests[-1]["path"].endswith("/embeddings")


def test_fake_server_script_exhausted_and_validation(fake_llm: FakeOpenAI, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        fake_llm.script([("bogus", 1)])
    model, _ = make_model(fake_llm, tmp_path, llm_retries=0)
    with pytest.raises(LLMUnavailable, match="script exhausted"):
        model.complete(MESSAGES)
    fake_llm.default = ("text", "默认回复")
    assert model.complete(MESSAGES) == "默认回复"


def test_fake_chat_model_queues_and_records() -> None:
    fake = FakeChatModel(["第一", RuntimeError("boom"), lambda msgs: f"收到{len(msgs)}条"], piece_chars=1)
    assert fake.complete(MESSAGES) == "第一"
    with pytest.raises(RuntimeError):
        collect(fake.stream(MESSAGES))
    pieces: list[str] = []
    assert collect(fake.stream(MESSAGES), pieces.append) == "收到2条" and pieces == ["收", "到", "2", "条"]
    assert len(fake.calls) == 3 and fake.last_messages == MESSAGES
    with pytest.raises(AssertionError, match="no reply queued"):
        fake.complete(MESSAGES)
    fake.default = "默认"
    assert fake.complete(MESSAGES) == "默认"
