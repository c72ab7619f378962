"""Browser figures of `make bench`: the checker page in headless Chromium, against the BUILT site.

Set-up (all scripted): the site is built with `mkdocs build` into a temporary directory with
SITE_URL set to the 127.0.0.1 origin it is then served from (a threaded http.server in a process
of its own, so that serving does not compete with Playwright for this interpreter's lock), after
`make assets` (run here only when site_src/generated is missing). Chromium is Debian's
/usr/bin/chromium (site_src/setup_browser.sh), driven by Playwright; no request may leave
127.0.0.1 (checked: any foreign request fails the run).

Figures (each beside its target):

1. start-up: from navigation start (performance.timeOrigin of the document) to the first
   result of the checker on the page, with a saved case (benchmarks.engine_case: 40 activities)
   pre-seeded in localStorage, median of COLD loads (a new browser context each time: empty
   HTTP, code and wasm caches, empty storage). Beside it the same measure of a bare page
   generated into the temporary site that only boots the stock npm Pyodide from the same
   /assets/pyodide/<version>/ files (checked byte-identical to node_modules/pyodide) in a
   module worker and runs `1+1`. Checker and bare loads are interleaved. Target: ratio <= 0.5.
2. form accepts input: from navigation start to the first moment the form's first control (the
   region <select> of #ce-checker) is in the document, enabled and rendered (has a layout box),
   so that it can take focus and keyboard input, as seen in the next animation frame (so the
   harness forces no layout of its own); median of the same cold loads. Target <= 1 s.
3. recalculation: 50 edits of one activity's `hours` field (Playwright fill(), a real input
   event); from the input event (a capture listener on document) to the moment the result for
   that input is shown: the root's data-ce-dirty turns "false" with a new data-ce-seq (a
   MutationObserver), then the next frame has been produced (requestAnimationFrame, then a
   task). Median and p95. Target p95 <= 50 ms.
4. bytes: every response of one cold load of the checker page (until the first result and the
   network idle), each body compressed as a static host serves it: gzip level 6 for text types
   (html, css, js, json, svg, xml) and wasm, as is for the rest (zip, whl, images); summed.
   Target <= 7 MB (10^6 bytes).
5. return visit: service workers allowed (the other loads block them). One first visit of the
   checker page stores the site (sw.js) and, in a worker of its own, the engine's memory snapshot;
   then RETURN_LOADS visits in new pages of the same browser context: navigation -> form accepts
   input (target <= 200 ms) and -> first result painted (the frame after it is on the page, as
   the recalculation figure's "shown"; target <= 600 ms), medians, and how many of the return
   visit's responses came from the network rather than the service worker.
6. a long case: the benchmark case repeated to 2,000 activities, saved; the longest main-thread
   task (the Long Tasks API: every task over 50 ms, the browser's own included, such as its
   autofill scan of the page's form controls) from the start of a reload of the page until its
   result is shown and one more second has passed; and from a click on 添加活动 (its button
   scrolled into view, as a person would) or on the first card's 删除 until the result is
   shown and one more second has passed; LARGE_REPEATS adds and deletes, the longest of each.
   Target <= 200 ms.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .engine_case import benchmark_case

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "site_src" / "generated"
COLD_LOADS = int(os.environ.get("BENCH_COLD_LOADS", "5"))
EDITS = int(os.environ.get("BENCH_EDITS", "50"))
EDIT_IDLE_MS = 2000  # after the first result, before the first edit: a person reads the result first
EDIT_PAUSE_MS = 100  # between edits (the result of one is shown before the next)
STORE_KEY = "ce-checker.case.v1"  # STORE_KEY of site_src/assets/js/checker.js
TIMEOUT_MS = 120_000

START_RATIO = 0.5
INPUT_READY_MS = 1000
RECALC_P95_MS = 50
BYTES_MAX = 7_000_000
LARGE_ACTIVITIES = 2000
LARGE_REPEATS = int(os.environ.get("BENCH_LARGE_REPEATS", "3"))
LONG_TASK_MAX_MS = 200
RETURN_LOADS = int(os.environ.get("BENCH_RETURN_LOADS", "5"))
RETURN_INPUT_MS = 200
RETURN_FIRST_MS = 600
SNAPSHOTS = "ce-pyodide-snapshot"  # SNAPSHOTS of site_src/js/checker-worker.js
KEPT = "ce-checker.result.v1"  # RESULT_KEY of site_src/js/checker/lastresult.js

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/wasm",
                "image/svg+xml", "application/xml", "application/manifest+json")

# Runs in every document before its own scripts: seeds the saved case and records, with
# performance.now() (ms since navigation start), when the form accepts input and when each
# result is on the page.
INIT_SCRIPT = r"""
(() => {
  const seed = %(seed)s;
  if (seed !== null && localStorage.getItem(%(key)s) === null) localStorage.setItem(%(key)s, seed);
  const B = (window.__ceBench = { inputReady: null, firstResult: null, firstShown: null, provisional: false,
                                   confirmed: null, results: [], editAt: null, lastSeq: null });
  document.addEventListener("input", () => { B.editAt = performance.now(); }, true);
  // Whether the select has a layout box is asked in an animation frame, where the frame's
  // layout happens anyway: asking in the observer itself would force a synchronous layout
  // on every batch of mutations (measured: 130-190 ms of main-thread time per cold load
  // that the bare page does not pay). The figure is therefore up to one frame late.
  // Python learns that both marks are in from a console message, not by polling the page
  // (Playwright's wait_for_selector polls every animation frame, on the main thread the
  // checker needs: measured 50-60 ms of it per cold load).
  // A return visit may first show the result kept from the last visit (data-ce-provisional):
  // firstResult is then that one, and confirmed the engine's own; "loaded" waits for both.
  // firstShown: when the first result has been painted (the next frame after firstResult).
  const loaded = () => {
    if (B.inputReady !== null && B.firstShown !== null && B.confirmed !== null) console.debug("ce-bench:loaded");
  };
  let probing = false;
  const probeInput = () => {
    probing = false;
    const el = document.querySelector("#ce-checker [data-field=region] select");
    if (B.inputReady !== null || !el || el.disabled) return;
    if (el.getClientRects().length) {
      B.inputReady = performance.now();
      document.documentElement.dataset.benchInput = "1";
      loaded();
    } else if (!probing) {
      probing = true;
      requestAnimationFrame(probeInput);
    }
  };
  const check = () => {
    const root = document.getElementById("ce-checker");
    if (!root) return;
    if (B.inputReady === null && !probing) {
      const el = root.querySelector("[data-field=region] select");
      if (el && !el.disabled) {
        probing = true;
        requestAnimationFrame(probeInput);
      }
    }
    const seq = root.dataset.ceSeq;
    if (seq && root.dataset.ceDirty === "false" && seq !== B.lastSeq) {
      B.lastSeq = seq;
      const entry = { seq: Number(seq), dom: performance.now(), editAt: B.editAt, shown: null };
      B.results.push(entry);
      const provisional = root.dataset.ceProvisional === "true";
      if (B.firstResult === null) {
        B.firstResult = entry.dom;
        B.provisional = provisional;
        document.documentElement.dataset.benchFirst = "1";
      }
      if (B.confirmed === null && !provisional) B.confirmed = entry.dom;
      loaded();
      const n = B.results.length;
      requestAnimationFrame(() => setTimeout(() => {
        entry.shown = performance.now();
        if (B.firstShown === null) {
          B.firstShown = entry.shown;
          loaded();
        }
        document.documentElement.dataset.benchShown = String(n);
        if (B.onShown) { const f = B.onShown; B.onShown = null; f(entry); }
      }, 0));
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-ce-seq", "data-ce-dirty", "data-ce-mounted", "data-ce-provisional", "disabled"],
  });
})();
"""

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'">
<script type="module" src="bare.js"></script></head>
<body><p>stock Pyodide: loadPyodide() and 1+1 in a module worker</p></body></html>
"""
BARE_JS = """// Boots the stock Pyodide in a module worker (as the checker does) and reports when 1+1 is done.
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  const t = performance.now();
  document.body.dataset.value = String(event.data);
  document.body.dataset.done = String(t);
  console.debug("ce-bench:loaded");
};
"""
BARE_WORKER = """import { loadPyodide } from "%(index)spyodide.mjs";
const pyodide = await loadPyodide({ indexURL: new URL("%(index)s", self.location.href).href });
self.postMessage(pyodide.runPython("1+1"));
"""


def _helpers():
    sys.path.insert(0, str(REPO / "tests"))
    import browser_helpers  # noqa: PLC0415 - the browser tests' build/serve/launch helpers

    return browser_helpers


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def _p95(xs):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, round(0.95 * len(xs) + 0.5) - 1))  # nearest-rank
    return xs[k]


def _ensure_assets() -> dict:
    build = GENERATED / "checker" / "build.json"
    if not build.is_file():
        subprocess.run(["make", "assets"], cwd=REPO, check=True)
    return json.loads(build.read_text(encoding="utf-8"))


def _write_bare_page(site: Path, info: dict) -> list[str]:
    """The bare-Pyodide page; returns the runtime files that differ from node_modules/pyodide."""
    index = "/" + info["index_url"]
    bare = site / "bench-bare"
    bare.mkdir(parents=True, exist_ok=True)
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bare / "bare-worker.js").write_text(BARE_WORKER % {"index": index}, encoding="utf-8")
    stock = REPO / "node_modules" / "pyodide"
    differ = []
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        served = site / info["index_url"] / name
        if not served.is_file() or hashlib.sha256(served.read_bytes()).digest() != \
                hashlib.sha256((stock / name).read_bytes()).digest():
            differ.append(name)
    return differ


def _new_context(browser, seed: str | None, service_workers: str = "block"):
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                  service_workers=service_workers)
    context.add_init_script(INIT_SCRIPT % {"seed": json.dumps(seed), "key": json.dumps(STORE_KEY)})
    return context


class _Guard:
    """Every request of a context must stay on the origin."""

    def __init__(self, origin: str):
        self.allowed = (origin + "/", "blob:" + origin + "/", "data:", "about:")
        self.foreign: list[str] = []

    def attach(self, context):
        context.on("request", lambda r: None if r.url.startswith(self.allowed) else self.foreign.append(r.url))


def _cold_checker(browser, origin, seed, guard, *, keep_open=False, bytes_out=None):
    context = _new_context(browser, seed)
    guard.attach(context)
    responses = []
    if bytes_out is not None:
        context.on("response", lambda r: responses.append(r))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
        page.goto(origin + "/checker/")
    marks = page.evaluate("({first: __ceBench.firstResult, input: __ceBench.inputReady})")
    if bytes_out is not None:
        page.wait_for_load_state("networkidle")
        bytes_out.extend(_compressed_sizes(responses))
    if keep_open:
        return context, page, marks
    context.close()
    return None, None, marks


def _cold_bare(browser, origin, guard):
    context = _new_context(browser, None)
    guard.attach(context)
    page = context.new_page()
    with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
        page.goto(origin + "/bench-bare/")
    done = float(page.evaluate("document.body.dataset.done"))
    value = page.evaluate("document.body.dataset.value")
    context.close()
    if value != "2":
        raise RuntimeError(f"bare Pyodide page computed 1+1 = {value!r}")
    return done


def _compressed_sizes(responses) -> list[tuple[str, int, int]]:
    """(url, raw bytes, bytes as served compressed) of every response with a body."""
    out = []
    for r in responses:
        if r.status in (204, 304) or r.url.startswith(("data:", "blob:")) or r.request.method != "GET":
            continue
        try:
            body = r.body()
        except Exception as exc:  # noqa: BLE001 - Playwright's error type varies by version
            raise RuntimeError(f"no body for {r.url}: {exc}") from exc
        ctype = (r.headers.get("content-type") or "").split(";")[0].strip().lower()
        sent = len(gzip.compress(body, 6)) if ctype.startswith(COMPRESSIBLE) else len(body)
        out.append((r.url, len(body), sent))
    return out


def _stored(page, timeout_s: float = TIMEOUT_MS / 1000) -> None:
    """Waits until the service worker is active, the engine's memory snapshot is stored and the
    result is kept for the next visit (as a person who read it: it is kept 1.5 s after it is shown)."""
    expr = (f"Promise.all([navigator.serviceWorker.getRegistration().then(r => !!(r && r.active && "
            f"r.active.state === 'activated')), caches.open({json.dumps(SNAPSHOTS)}).then(c => c.keys())"
            f".then(k => k.length > 0)]).then(([a, b]) => a && b && localStorage.getItem({json.dumps(KEPT)}) !== null)")
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expr):
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker or the memory snapshot was not stored in time")
        time.sleep(0.25)


def _return_visits(browser, origin, seed, guard, n: int):
    """One first visit with service workers allowed, then n return visits in new pages of the same
    context: [{first, input, confirmed (ms), provisional (whether the first result was the one kept
    from the last visit), network (responses from the network)}]."""
    context = _new_context(browser, seed, service_workers="allow")
    guard.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
        page.goto(origin + "/checker/")
    _stored(page)
    page.close()
    out = []
    for _ in range(n):
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
            page.goto(origin + "/checker/")
        marks = page.evaluate("({first: __ceBench.firstShown, input: __ceBench.inputReady, "
                              "confirmed: __ceBench.confirmed, provisional: __ceBench.provisional})")
        if not page.evaluate("!!navigator.serviceWorker.controller"):
            raise RuntimeError("return visit not served by the service worker")
        network = [r.url for r in responses if not r.from_service_worker and not r.url.startswith(("data:", "blob:"))]
        out.append({**marks, "network": len(network)})
        page.close()
    context.close()
    return out


EDIT_LOOP = r"""
async ({n, idleMs, pauseMs}) => {
  const B = window.__ceBench;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const input = document.querySelector("#ce-checker .ce-act[data-index='0'] [data-field=hours] input");
  if (!input) throw new Error("no hours field in activity 1");
  input.scrollIntoView({ block: "center" });
  input.focus();
  await sleep(idleMs);
  const out = [];
  for (let k = 0; k < n; k++) {
    const shown = new Promise((resolve) => { B.onShown = resolve; });
    input.value = String(10 + (k % 2) * 5 + (k % 7));
    input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
    const e = await shown;
    out.push({ shown: e.shown - e.editAt, dom: e.dom - e.editAt });
    await sleep(pauseMs);
  }
  return out;
}
"""


def _edits(page, n: int) -> tuple[list[float], list[float]]:
    """n edits of activity 1's hours, driven inside the page (no Playwright traffic while
    measuring): per edit (shown ms, dom ms) from the input event."""
    out = page.evaluate(EDIT_LOOP, {"n": n, "idleMs": EDIT_IDLE_MS, "pauseMs": EDIT_PAUSE_MS})
    return [e["shown"] for e in out], [e["dom"] for e in out]


# Records every long task of the document (startTime, duration in ms) in __ceLongTasks.
LONG_TASKS_SCRIPT = r"""
(() => {
  const tasks = (window.__ceLongTasks = []);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
})();
"""

# One edit of the long case driven inside the page: the control scrolled into view and left
# to settle, then clicked; -> the longest task from the click until the result is shown and
# one more second has passed.
LARGE_EDIT = r"""
async (action) => {
  const B = window.__ceBench;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const target = action === "add"
    ? document.querySelector("#ce-checker [data-action=add]")
    : document.querySelector("#ce-checker .ce-act[data-index='0'] [data-action=delete]");
  if (!target) throw new Error("no control for " + action);
  target.scrollIntoView({ block: "center" });
  await sleep(1500);
  const shown = new Promise((resolve) => { B.onShown = resolve; });
  const t0 = performance.now();
  setTimeout(() => target.click(), 0); // a task of its own, as a person's click
  await shown;
  await sleep(1000);
  const after = window.__ceLongTasks.filter(([start, d]) => start + d > t0).map(([, d]) => d);
  return Math.max(0, ...after);
}
"""


def large_case(n: int = LARGE_ACTIVITIES) -> dict:
    """The benchmark case with its 40 activities repeated to n."""
    base = benchmark_case()
    acts = base["activities"]
    return {**base, "activities": [dict(acts[i % len(acts)]) for i in range(n)]}


def _long_case(browser, origin, guard) -> dict:
    """Longest tasks (ms) with LARGE_ACTIVITIES activities saved: reload, add, delete."""
    seed = json.dumps(large_case(), ensure_ascii=False)
    context = _new_context(browser, seed)
    context.add_init_script(LONG_TASKS_SCRIPT)
    guard.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    out = {"add": 0.0, "delete": 0.0}
    with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
        page.goto(origin + "/checker/")  # cold: the engine and the browser's caches warm up
    page.wait_for_timeout(1000)
    with page.expect_console_message(lambda m: m.text == "ce-bench:loaded", timeout=TIMEOUT_MS):
        page.reload()
    page.wait_for_timeout(1000)
    out["reload"] = max([d for _, d in page.evaluate("window.__ceLongTasks")], default=0.0)
    for _ in range(LARGE_REPEATS):
        for action in ("add", "delete"):
            out[action] = max(out[action], page.evaluate(LARGE_EDIT, action))
    count = page.evaluate("window.__ceChecker.caseData.activities.length")
    context.close()
    if count != LARGE_ACTIVITIES:
        raise RuntimeError(f"long case: {count} activities after the edits, not {LARGE_ACTIVITIES}")
    return out


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def run_browser_benchmarks(row) -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        row("checker in Chromium", "not measured (make venv installs playwright)")
        return
    bh = _helpers()
    if not os.access(bh.CHROMIUM, os.X_OK):
        row("checker in Chromium", f"not measured ({bh.CHROMIUM} missing: bash site_src/setup_browser.sh)")
        return
    from playwright.sync_api import sync_playwright

    info = _ensure_assets()
    seed = json.dumps(benchmark_case(), ensure_ascii=False)
    tmp = Path(tempfile.mkdtemp(prefix="ce-bench-site-"))
    try:
        port = bh.free_port()
        origin = f"http://127.0.0.1:{port}"
        site = bh.build_site(tmp / "site", origin)
        differ = _write_bare_page(site, info)
        if differ:
            row("bare Pyodide page", f"not stock: {', '.join(differ)} differ from node_modules/pyodide")
        guard = _Guard(origin)
        with bh.SiteServerProcess(site, port), sync_playwright() as p:
            browser = bh.launch(p)
            try:
                # One warm-up load of each (server, OS file cache, browser processes), not counted.
                _cold_checker(browser, origin, seed, guard)
                _cold_bare(browser, origin, guard)
                first, ready, bare = [], [], []
                for i in range(COLD_LOADS):
                    bare.append(_cold_bare(browser, origin, guard))
                    keep = i == COLD_LOADS - 1
                    context, page, marks = _cold_checker(browser, origin, seed, guard, keep_open=keep)
                    first.append(marks["first"])
                    ready.append(marks["input"])
                    print(f"    cold load {i + 1}: checker first result {marks['first']:.0f} ms, "
                          f"form input {marks['input']:.0f} ms; bare Pyodide {bare[-1]:.0f} ms",
                          file=sys.stderr, flush=True)
                shown, dom = _edits(page, EDITS)
                context.close()
                sizes: list[tuple[str, int, int]] = []
                _cold_checker(browser, origin, seed, guard, bytes_out=sizes)
                returns = _return_visits(browser, origin, seed, guard, RETURN_LOADS)
                for k, r in enumerate(returns):
                    print(f"    return visit {k + 1}: first result {r['first']:.0f} ms"
                          f"{' (kept from the last visit)' if r['provisional'] else ''}, confirmed by the engine "
                          f"{r['confirmed']:.0f} ms, form input {r['input']:.0f} ms, {r['network']} responses from "
                          f"the network", file=sys.stderr, flush=True)
                long_case = _long_case(browser, origin, guard)
            finally:
                browser.close()
        if guard.foreign:
            raise RuntimeError("requests left 127.0.0.1:\n" + "\n".join(sorted(set(guard.foreign))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    m_first, m_bare = _median(first), _median(bare)
    ratio = m_first / m_bare
    row(f"checker start-up, cold: navigation → first result (median of {COLD_LOADS})",
        f"{m_first:,.0f} ms", "—")
    row(f"bare stock Pyodide page, cold: navigation → loadPyodide() + 1+1 (median of {COLD_LOADS})",
        f"{m_bare:,.0f} ms", "—")
    row("checker start-up ÷ bare Pyodide", f"{ratio:.3f}", f"≤ {START_RATIO}", ratio <= START_RATIO)
    m_ready = _median(ready)
    row(f"form accepts input, cold: navigation → region select enabled and laid out (median of {COLD_LOADS})",
        f"{m_ready:,.0f} ms", f"≤ {INPUT_READY_MS:,} ms", m_ready <= INPUT_READY_MS)
    p95 = _p95(shown)
    row(f"recalculation after an edit: input event → result shown, next frame ({len(shown)} edits)",
        f"median {_median(shown):.1f} ms, p95 {p95:.1f} ms (DOM updated: p95 {_p95(dom):.1f} ms)",
        f"p95 ≤ {RECALC_P95_MS} ms", p95 <= RECALC_P95_MS)
    total = sum(s for _, _, s in sizes)
    raw = sum(r for _, r, _ in sizes)
    biggest = sorted(sizes, key=lambda x: -x[2])[:4]
    detail = ", ".join(f"{u.rsplit('/', 1)[-1].split('?')[0] or 'page'} {_mb(s)}" for u, _, s in biggest)
    row(f"bytes of a cold checker load, gzip -6 where a host compresses ({len(sizes)} responses)",
        f"{_mb(total)} ({_mb(raw)} uncompressed; {detail})", f"≤ {BYTES_MAX / 1e6:.0f} MB",
        total <= BYTES_MAX)
    worst = max(long_case.values())
    row(f"{LARGE_ACTIVITIES:,} activities: longest task on add / delete / reload "
        f"(longest of {LARGE_REPEATS} adds and deletes)",
        f"{long_case['add']:.0f} / {long_case['delete']:.0f} / {long_case['reload']:.0f} ms",
        f"≤ {LONG_TASK_MAX_MS} ms", worst <= LONG_TASK_MAX_MS)
    r_input = _median([r["input"] for r in returns])
    r_first = _median([r["first"] for r in returns])
    r_confirmed = _median([r["confirmed"] for r in returns])
    kept = sum(1 for r in returns if r["provisional"])
    row(f"return visit (stored by the service worker, engine from its memory snapshot): navigation → form "
        f"accepts input (median of {len(returns)})", f"{r_input:,.0f} ms", f"≤ {RETURN_INPUT_MS} ms",
        r_input <= RETURN_INPUT_MS)
    row(f"return visit: navigation → first result painted (median of {len(returns)}; in {kept} of them the "
        f"result kept from the last visit, marked so until confirmed)", f"{r_first:,.0f} ms",
        f"≤ {RETURN_FIRST_MS} ms", r_first <= RETURN_FIRST_MS)
    row(f"return visit: navigation → the engine's own result (median of {len(returns)})",
        f"{r_confirmed:,.0f} ms", "—")
    row("return visit: responses from the network (not the service worker), per visit",
        f"{max(r['network'] for r in returns)} at most", "—")
