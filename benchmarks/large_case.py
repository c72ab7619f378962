"""Large cases in `make bench`: time against the number of activities (12,500 to 100,000, the
limit of ruleset.reader), and what 100,000 activities cost the CLI and the engine under Pyodide.

The case is what the checker page exports: indented JSON, mixed kinds over ten years, each
activity with its own title (so no two are alike and the engine's memo cannot share work).
Figures and budgets:

1. engine in this process (api.check_json: reading within the limits, computing, the JSON text),
   cold memo, at 12,500 / 25,000 / 50,000 / 100,000 activities: wall time and CPU microseconds per
   activity at each size, and linearity = (CPU time at 100,000 / at 12,500) / 8. Budget: <= 1.25
   (with the garbage collector left on it was 12.7 / 8 = 1.6).
2. CLI, `python -m ruleset check CASE --json` in a process of its own at 100,000 activities: wall
   time and peak resident memory (VmHWM of that process). Budget: <= 10 s, <= 600 MB.
3. engine under Pyodide in Node (benchmarks/pyodide_large.mjs, the wheel of dist/): one check_json
   of 100,000 activities after a warm-up on a small case, as JavaScript calls it, and the part spent
   in Python; the peak resident memory of the Node process, at the end and before the result's text
   (56 million characters, most of them not ASCII) became a JS string. Budget: <= 20 s and <= 2 GB
   as called; <= 10 s and <= 1 GB in Python.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruleset.api import check_json
from ruleset.cache import clear as clear_memo
from ruleset.reader import MAX_ACTIVITIES

from .engine_case import KINDS

REPO = Path(__file__).resolve().parent.parent
SIZES = (12_500, 25_000, 50_000, 100_000)
LINEARITY_MAX = 1.25
CLI_SECONDS, CLI_MB = 10, 600
PYODIDE_SECONDS, PYODIDE_MB = 20, 2048
PYTHON_SECONDS, PYTHON_MB = 10, 1024

# The CLI in a child, reporting its own peak resident memory (rusage would count the forking parent's).
PEAK_RUN = ("import atexit, os, runpy, sys; "
            "atexit.register(lambda: open(os.environ['PEAK_FILE'], 'w').write("
            "next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])); "
            "sys.argv[0] = 'ruleset'; runpy.run_module('ruleset', run_name='__main__', alter_sys=True)")


def large_case(n: int) -> dict:
    acts = [{**KINDS[i % len(KINDS)], "year": 2015 + i % 10, "title": f"第{i + 1}项继续教育活动"} for i in range(n)]
    return {"region": "qinghai",
            "profile": {"target_title": "associate_senior", "apply_year": 2024, "tenure_start_year": 2016},
            "activities": acts}


def large_case_text(n: int) -> str:
    return json.dumps(large_case(n), ensure_ascii=False, indent=2) + "\n"


def bench_scale(row, rounds: int = 3) -> None:
    """Best of `rounds` at each size, the sizes taken in turn (a change in the machine's load hits all
    alike); linearity on the CPU time of this process, which other processes on the machine disturb
    less than the wall time (the garbage collector's passes, which this budget is about, are CPU time)."""
    texts = {n: large_case_text(n) for n in SIZES}
    wall = dict.fromkeys(SIZES, float("inf"))
    cpu = dict.fromkeys(SIZES, float("inf"))
    for _ in range(rounds):
        for n in SIZES:
            clear_memo()
            start, start_cpu = time.perf_counter(), time.process_time()
            answer = check_json(texts[n])
            wall[n] = min(wall[n], time.perf_counter() - start)
            cpu[n] = min(cpu[n], time.process_time() - start_cpu)
            assert json.loads(answer)["errors"] == [], answer[-300:]
            del answer
    for n in SIZES:
        row(f"engine (check_json), CPython, {n:,} activities",
            f"{wall[n]:.2f} s; CPU {cpu[n] / n * 1e6:.1f} µs/activity")
    linearity = cpu[SIZES[-1]] / cpu[SIZES[0]] / (SIZES[-1] / SIZES[0])
    row(f"linearity: CPU time at {SIZES[-1]:,} ÷ CPU time at {SIZES[0]:,} ÷ {SIZES[-1] // SIZES[0]}",
        f"{linearity:.2f}", f"≤ {LINEARITY_MAX}", linearity <= LINEARITY_MAX)


def bench_cli(row) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case, out, peak = Path(tmp) / "case.json", Path(tmp) / "result.json", Path(tmp) / "peak"
        case.write_text(large_case_text(MAX_ACTIVITIES), encoding="utf-8")
        with open(out, "wb") as stdout:
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", PEAK_RUN, "check", str(case), "--json"], stdout=stdout,
                                  stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "PEAK_FILE": str(peak)},
                                  timeout=600)
            seconds = time.perf_counter() - start
        if proc.returncode != 0:
            row(f"CLI, {MAX_ACTIVITIES:,} activities", "FAILED: " + proc.stderr.decode()[-200:])
            return
        rows = len(json.loads(out.read_text(encoding="utf-8"))["activities"])
        assert rows == MAX_ACTIVITIES, rows
        mb = int(peak.read_text()) / 1024
        size = out.stat().st_size / 1e6
    row(f"CLI check --json, {MAX_ACTIVITIES:,} activities (wall, process start to exit; {size:.0f} MB out)",
        f"{seconds:.1f} s", f"≤ {CLI_SECONDS} s", seconds <= CLI_SECONDS)
    row(f"CLI check --json, {MAX_ACTIVITIES:,} activities, peak resident memory", f"{mb:,.0f} MB",
        f"≤ {CLI_MB} MB", mb <= CLI_MB)


def bench_pyodide(row) -> None:
    wheels = sorted((REPO / "dist").glob("ce_hours_checker-*-py3-none-any.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels or not (REPO / "node_modules" / "pyodide").exists():
        row(f"engine under Pyodide in Node, {MAX_ACTIVITIES:,} activities", "not measured (run make assets)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(large_case_text(MAX_ACTIVITIES), encoding="utf-8")
        proc = subprocess.run(["node", str(REPO / "benchmarks" / "pyodide_large.mjs"), str(wheels[-1]), str(case)],
                              capture_output=True, text=True, cwd=REPO, timeout=900)
    if proc.returncode != 0:
        row(f"engine under Pyodide in Node, {MAX_ACTIVITIES:,} activities", "FAILED: " + proc.stderr.strip()[-200:])
        return
    report = json.loads(proc.stdout)
    assert report["activities"] == MAX_ACTIVITIES and report["errors"] == 0, report
    name = f"engine under Pyodide in Node (check_json), {MAX_ACTIVITIES:,} activities"
    seconds, mb = report["seconds"], report["peak_kb"] / 1024
    py_seconds, py_mb = report["python_seconds"], report["python_peak_kb"] / 1024
    row(f"{name}, in Python", f"{py_seconds:.1f} s", f"≤ {PYTHON_SECONDS} s", py_seconds <= PYTHON_SECONDS)
    row(f"{name}, in Python, peak resident memory of Node", f"{py_mb:,.0f} MB", f"≤ {PYTHON_MB:,} MB",
        py_mb <= PYTHON_MB)
    row(f"{name}, as called from JS (+ the result's text made a JS string)", f"{seconds:.1f} s",
        f"≤ {PYODIDE_SECONDS} s", seconds <= PYODIDE_SECONDS)
    row(f"{name}, as called from JS, peak resident memory of Node", f"{mb:,.0f} MB", f"≤ {PYODIDE_MB:,} MB",
        mb <= PYODIDE_MB)


def run_large_case_benchmarks(row) -> None:
    bench_scale(row)
    bench_cli(row)
    bench_pyodide(row)
