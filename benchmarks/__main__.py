"""make bench: one table of figures measured side by side in one run, each beside its target."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruleset.api import check_json
from ruleset.cache import clear as clear_memo

from .engine_case import benchmark_case, edit_walk

REPO = Path(__file__).resolve().parent.parent
ROWS: list[tuple[str, str, str, str]] = []  # (measure, figure, target, met)


def row(measure: str, figure: str, target: str = "—", met: bool | None = None) -> None:
    ROWS.append((measure, figure, target, "—" if met is None else ("met" if met else "MISSED")))
    print(f"  {measure}: {figure}", file=sys.stderr, flush=True)


def bench_engine_cpython() -> None:
    def rate(texts: list[str], cold: bool = False, seconds: float = 2.5) -> float:
        clear_memo()
        check_json(texts[-1])
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            if cold:
                clear_memo()
            check_json(texts[n % len(texts)])
            n += 1
        return n / (time.perf_counter() - start)

    case = [json.dumps(benchmark_case())]  # 5 years, 40 activities (Qinghai)
    edits = [json.dumps(c) for c in edit_walk()]
    cold = rate(case, cold=True)
    row("engine throughput, CPython, cold (cache cleared before every call)", f"{cold:,.0f} cases/s")
    edited = rate(edits)
    row("engine throughput, CPython, edit pattern (one activity of 40 changes per call)", f"{edited:,.0f} cases/s")
    same = rate(case)
    row("engine throughput, CPython, same case repeated", f"{same:,.0f} cases/s")


def bench_engine_pyodide() -> None:
    wheels = sorted((REPO / "dist").glob("ce_hours_checker-*-py3-none-any.whl"))
    if not wheels or not (REPO / "node_modules" / "pyodide").exists():
        row("engine throughput, Pyodide under Node", "not measured (run make assets)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.json"
        path.write_text(json.dumps([json.dumps(benchmark_case())]), encoding="utf-8")
        proc = subprocess.run(["node", str(REPO / "tests/pyodide/run_cases.mjs"), str(wheels[-1]), str(path),
                               "--repeat", "2000"], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        row("engine throughput, Pyodide under Node", "failed: " + proc.stderr.strip()[-200:])
        return
    rate = json.loads(proc.stdout)["cases_per_second"]
    row("engine throughput, Pyodide under Node", f"{rate:,.0f} cases/s")


def bench_large_cases() -> None:
    from .large_case import run_large_case_benchmarks

    run_large_case_benchmarks(row)


def bench_site_build() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.run([str(REPO / ".venv/bin/mkdocs"), "build", "--strict", "-q", "-d", tmp], cwd=REPO,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
    row("site build (mkdocs build --strict)", f"{seconds:.1f} s" if proc.returncode == 0 else "FAILED")


def bench_browser() -> None:
    from .batch_page import run_batch_page_benchmarks
    from .browser import run_browser_benchmarks

    run_browser_benchmarks(row)
    run_batch_page_benchmarks(row)


def main() -> int:
    print("measuring …", file=sys.stderr)
    bench_engine_cpython()
    bench_engine_pyodide()
    if os.environ.get("BENCH_SKIP_LARGE") != "1":
        bench_large_cases()
    bench_site_build()
    if os.environ.get("BENCH_SKIP_BROWSER") != "1":
        bench_browser()
    if os.environ.get("BENCH_SKIP_BATCH") != "1":
        from .batch import run_batch_benchmarks
        run_batch_benchmarks(row)
    width = [max(len(r[i]) for r in ROWS + [("measure", "figure", "target", "")]) for i in range(4)]
    lines = ["| " + " | ".join(h.ljust(width[i]) for i, h in enumerate(("measure", "figure", "target", "met"))) + " |",
             "|" + "|".join("-" * (w + 2) for w in width) + "|"]
    lines += ["| " + " | ".join(c.ljust(width[i]) for i, c in enumerate(r)) + " |" for r in ROWS]
    table = "\n".join(lines)
    print(table)
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
