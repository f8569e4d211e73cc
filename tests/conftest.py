"""Shared fixtures: isolated ZHIBI_HOME, and Workspaces with a corpus ingested once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _workspace(home: Path):
    from zhibi.api import Workspace

    # Explicit values so a developer's ZHIBI_CHROMA_URL / ZHIBI_EMBED_* never leak into tests.
    return Workspace(home=str(home), chroma_url="", embed_base_url="", collection="zhibi")


@pytest.fixture
def zhibi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ZHIBI_HOME for this test; Chroma and embedding settings cleared."""
    home = tmp_path / "home"
    monkeypatch.setenv("ZHIBI_HOME", str(home))
    for var in (
        "ZHIBI_CHROMA_URL",
        "ZHIBI_EMBED_BASE_URL",
        "ZHIBI_EMBED_MODEL",
        "ZHIBI_EMBED_API_KEY",
        "ZHIBI_COLLECTION",
    ):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus (the 2 reports and 10 statutes), or skip."""
    corpus = SHARED / "corpus"
    if not (corpus / "manifest.toml").exists():
        pytest.skip(f"needs the shared corpus at {corpus}")
    return corpus


@pytest.fixture(scope="session")
def shared_workspace(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path):
    """A Workspace over a temporary home with ../shared/corpus ingested (once per session). Do not modify it."""
    ws = _workspace(tmp_path_factory.mktemp("shared-home"))
    ws.ingest([str(shared_corpus)])
    return ws


@pytest.fixture(scope="session")
def bundled_workspace(tmp_path_factory: pytest.TempPathFactory):
    """A Workspace over a temporary home with the project's own corpus/ ingested (once per session)."""
    from core.config import BUNDLED_CORPUS

    ws = _workspace(tmp_path_factory.mktemp("bundled-home"))
    ws.ingest([str(BUNDLED_CORPUS)])
    return ws


@pytest.fixture(scope="module")
def ui_workspace(request, tmp_path_factory):
    """The bundled-corpus Workspace for the UI tests; an offline one of its own when the environment sets an LLM."""
    ws = request.getfixturevalue("bundled_workspace")
    if not ws.settings.llm_configured:
        return ws
    from core.config import BUNDLED_CORPUS
    from zhibi.api import Workspace

    home = tmp_path_factory.mktemp("zhibi-home")
    ws = Workspace(home=str(home), chroma_url="", embed_base_url="", llm_base_url="", llm_api_key="")
    ws.ingest([BUNDLED_CORPUS])
    return ws


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for this test session (Debian package), or skip saying why it cannot run."""
    from pgserver import PostgresServer, unavailable

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server


@pytest.fixture
def pg_url(postgres_server, request) -> str:
    """A fresh, empty PostgreSQL database for this test: its SQLAlchemy URL."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + f"_{id(request) % 100000}"
    return postgres_server.create_database(name)
