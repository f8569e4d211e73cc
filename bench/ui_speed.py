"""How fast the web workspace feels, measured in a real Chromium with playwright.

  page interactive   from the server being up to the draft button being clickable   target < 2 s
  draft on screen    from the click to an offline whole-report draft in #draft-output   target < 3 s
  regenerate         from the click to one regenerated section in #draft-output         target < 1 s

Runs over a temporary ZHIBI_HOME with the bundled corpus ingested (or --home to use an existing one),
prints a table and writes bench/results/ui_speed.json. Needs /usr/bin/chromium (tests/install_browser.sh).

    .venv/bin/python bench/ui_speed.py [--runs 3] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
TARGETS = {"page_interactive_s": 2.0, "draft_on_screen_s": 3.0, "regenerate_s": 1.0}
UNIT = "东昌府区交通运输局"
NOTES = """执法：全年办理行政处罚案件326件，罚没款218.6万元
执法：开展治超专项行动15次，查处超限车辆87辆
复议应诉：行政复议案件5件，行政诉讼案件2件，无败诉
普法：开展“八五”普法宣传活动12场，发放资料3000余份
学法：组织领导干部集中学法4次
决策：重大行政决策全部经过合法性审查，共审查3件
政务服务：办理道路运输许可事项1860件，网上办理率98%
不足：执法人员专业能力有待提升
明年：推进执法规范化建设，加强执法队伍培训"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--home", help="an existing ZHIBI_HOME with an index (default: a temp one with the bundled corpus)"
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "ui_speed.json"))
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} missing (run tests/install_browser.sh as root)")
        return 0

    from core.config import BUNDLED_CORPUS
    from zhibi.api import Workspace

    home = args.home or tempfile.mkdtemp(prefix="zhibi-bench-ui-")
    # The offline engine whatever the environment says: the bench measures the UI, not an LLM endpoint.
    ws = Workspace(home=home, llm_base_url="", llm_api_key="")
    if not ws.documents():
        print(f"ingesting the bundled corpus into {home} …", flush=True)
        ws.ingest([BUNDLED_CORPUS])

    from playwright.sync_api import sync_playwright

    from ui.app import free_port, launch, warm

    started = time.perf_counter()
    warm_ms = warm(ws)
    demo = launch(ws, "127.0.0.1", free_port(), prevent_thread_lock=True)
    startup_s = time.perf_counter() - started
    url = f"http://127.0.0.1:{demo.server_port}/"
    samples: dict[str, list[float]] = {k: [] for k in TARGETS}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(args.runs):
                page = browser.new_page(viewport={"width": 1600, "height": 1100})
                page.set_default_timeout(60_000)
                t0 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#draft-button:not([disabled])")
                page.locator("#notes-input textarea").wait_for()
                samples["page_interactive_s"].append(time.perf_counter() - t0)

                page.locator("#notes-input textarea").fill(NOTES)
                page.locator("#unit-input").locator("textarea, input").first.fill(f"{UNIT}")
                page.locator("#year-input input").fill("2024")
                t0 = time.perf_counter()
                page.click("#draft-button")
                page.wait_for_function(
                    "document.querySelector('#draft-output').innerText.includes('218.6万元')"
                )
                samples["draft_on_screen_s"].append(time.perf_counter() - t0)

                page.locator("#regenerate-section input").first.click()
                page.get_by_role("option").filter(has_text="严格规范公正文明执法").first.click()
                page.wait_for_function(
                    "document.querySelector('#section-text textarea').value.includes('326')"
                )
                extra = f"执法：开展联合执法行动{8 + run}次"
                box = page.locator("#regenerate-notes textarea")
                box.fill((box.input_value() + "\n" + extra).strip())
                t0 = time.perf_counter()
                page.click("#regenerate-button")
                page.wait_for_function(
                    f"document.querySelector('#draft-output').innerText.includes('联合执法行动{8 + run}次')"
                )
                samples["regenerate_s"].append(time.perf_counter() - t0)
                page.close()
            browser.close()
    finally:
        demo.close()

    result = {
        "runs": args.runs,
        "cores": os.cpu_count(),
        "server_start_s": round(startup_s, 3),
        "warm_ms": round(warm_ms, 1),
        "metrics": {
            name: {
                "median_s": round(statistics.median(values), 3),
                "max_s": round(max(values), 3),
                "samples_s": [round(v, 3) for v in values],
                "target_s": TARGETS[name],
                "ok": statistics.median(values) < TARGETS[name],
            }
            for name, values in samples.items()
        },
    }
    print(f"\n{'metric':<22}{'median s':>10}{'max s':>10}{'target s':>10}  ok")
    for name, m in result["metrics"].items():
        print(
            f"{name:<22}{m['median_s']:>10.3f}{m['max_s']:>10.3f}{m['target_s']:>10.1f}  {'yes' if m['ok'] else 'NO'}"
        )
    print(f"(server start incl. warm-up {startup_s:.2f} s; {args.runs} runs; {os.cpu_count()} cores)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0 if all(m["ok"] for m in result["metrics"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
