"""kill -9 during re-ingests, at random points of the write phase; the index is checked after every kill.

Run by tests/test_index_processes.py as `python reingest_kill.py HOME FOLDER TRIALS SEED`; prints one JSON line.
The parent imports everything once and forks a writer per trial (it never opens Chroma itself, so the fork is
clean); each writer is a real process killed with SIGKILL, and a fresh forked process checks the index after.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

TITLE = "中华人民共和国示例处罚法（测试）"
ARTICLE = "第{n}条 行政机关实施行政处罚，应当遵循公正、公开的原则，依法办理第{n}类案件，并告知当事人依法享有的权利。"


def version_text(tag: str) -> str:
    """A statute of ~40 articles; the two versions differ in every article (so no chunk is shared) and in a
    marker sentence only one of them has."""
    lines = [TITLE]
    for n in range(1, 41):
        lines.append(ARTICLE.format(n=n) + f"本条为{tag}版本的规定。")
    lines.append(f"第四十一条 本法{tag}版本自公布之日起施行，{tag}专用标记句。")
    return "\n".join(lines) + "\n"


def workspace(home: str):
    from zhibi.api import Workspace

    return Workspace(home=home, chroma_url="", embed_base_url="", collection="zhibi")


def write(home: str, folder: Path, tag: str, signal_fd: int) -> None:
    """Child: ingest version `tag` over whatever is live, telling the parent when the writing starts."""
    import retrieval.index as index_module

    index_module.WRITE_BATCH = 3  # many small writes: many places for the kill to land
    bump = index_module.Index._bump
    started = []

    def announced(self, *args, **kwargs):
        if not started:  # the first write of the write phase (each phase starts with a new stamp)
            started.append(True)
            os.write(signal_fd, b"w")
        bump(self, *args, **kwargs)

    index_module.Index._bump = announced
    (folder / "law.txt").write_text(version_text(tag), encoding="utf-8")
    workspace(home).ingest([str(folder / "law.txt")], title=TITLE, kind="law", replace=True)
    os.write(signal_fd, b"d")


def check(home: str, out_fd: int) -> None:
    """Child: what a fresh reader sees."""
    ws = workspace(home)
    docs = [d for d in ws.documents() if d.title == TITLE]
    text = ws.index.document_text(TITLE) if docs else ""
    live = "A" if "A专用标记句" in text else "B" if "B专用标记句" in text else "?"
    hits = ws.search("行政机关实施行政处罚应当遵循公正公开的原则", 20)
    keys = [(h.title, h.text) for h in hits]
    marker_hits = {t: any(f"{t}专用标记句" in h.text for h in ws.search(f"{t}专用标记句", 5)) for t in "AB"}
    col = ws.index._collection()
    result = {
        "titles": len(docs),
        "live": live,
        "both_markers": "A专用标记句" in text and "B专用标记句" in text,
        "chunks": docs[0].chunks if docs else 0,
        "hits": len(hits),
        "duplicate_hits": len(keys) - len(set(keys)),
        "other_version_hits": sum(("A" if live == "B" else "B") + "版本" in h.text for h in hits),
        "debug": [h.chunk.id for h in hits if ("A" if live == "B" else "B") + "版本" in h.text][:3]
        + [h.chunk.id for h in hits][:3]
        + [ws.chunks(TITLE)[0].id]
        if docs
        else [],
        "marker_hits": marker_hits,
        "stored": col.count(),
    }
    os.write(out_fd, json.dumps(result, ensure_ascii=False).encode())


def fork_run(target, *args) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        code = 0
        try:
            target(*args, write_fd)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def run_check(home: str) -> dict:
    pid, fd = fork_run(check, home)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return {"error": f"checker failed with status {status}"}
    return json.loads(data)


def main() -> None:
    home, folder, trials, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    folder.mkdir(parents=True, exist_ok=True)
    # Everything heavy is imported once, before any fork; Chroma is opened only in the children.
    import chromadb  # noqa: F401

    import retrieval.index  # noqa: F401
    from retrieval.embed import use_model
    from retrieval.lexical import _jieba

    use_model()
    _jieba()
    rng = random.Random(seed)

    def writer(tag: str, kill_after: float | None) -> tuple[str, float]:
        pid, fd = fork_run(write, home, folder, tag)
        assert os.read(fd, 1) == b"w", "the writer died before writing"
        started = time.perf_counter()
        outcome = "finished"
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)
            outcome = "killed"
        while os.read(fd, 1):
            pass
        committed = time.perf_counter() - started  # to the end of ingest(), BM25 cache included
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        if kill_after is None and status != 0:
            raise SystemExit(f"writer failed with status {status}")
        if kill_after is not None and os.WIFEXITED(status):
            outcome = "finished before the kill"
        return outcome, committed

    writer("A", None)
    first = run_check(home)
    _, write_seconds = writer("B", None)  # calibration: how long the write phase lasts
    second = run_check(home)
    runs = []
    for trial in range(trials):
        live = runs[-1]["check"]["live"] if runs else second["live"]
        tag = "A" if live == "B" else "B"
        # Stratified: trial i lands in the i-th slice of the write phase, so the kills cover all of it.
        delay = write_seconds * (trial + rng.random()) / trials
        outcome, _ = writer(tag, delay)
        runs.append(
            {
                "trial": trial,
                "target": tag,
                "delay": round(delay, 3),
                "outcome": outcome,
                "check": run_check(home),
            }
        )
    print(
        json.dumps(
            {"first": first, "second": second, "write_seconds": write_seconds, "runs": runs},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
