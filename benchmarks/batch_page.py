"""The batch page (单位批量核算) in headless Chromium against the built site: a unit of PEOPLE x 10
activities (benchmarks.batch.unit_rows, as CSV and as .xlsx with shared strings, as Excel saves it)
chosen on the page once its engine is ready; a new page for each format.

    python -m benchmarks.batch_page [--people 10000] [--formats csv,xlsx]

Figures, each beside its target, for each format:
1. progress shown: from the file input's `change` event (a capture listener) to the first frame
   after the status shows the batch as busy (a MutationObserver, then requestAnimationFrame).
   Target <= 200 ms.
2. file drop -> table on screen: from the same event to the first frame after the results table
   is in the document. Target <= 10 s for 10,000 people x 10 activities.
3. export: from the click on the .xlsx export to the download (the CSV input's page only).
Beside them, for the record: how long the page's main worker took to boot (navigation -> ready),
how many workers checked the batch (pool.js: as many as the browser reports cores, up to 3) and
the load average of the machine before the measure.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .batch import unit_rows, write_csv, write_xlsx

REPO = Path(__file__).resolve().parent.parent
PROGRESS_MS = 200
TABLE_SECONDS = 10  # for 10,000 people x 10 activities
TIMEOUT_MS = 600_000

# Installed before the page's own scripts: marks the change event, the busy status and the table.
MARKS = """
window.__bench = {};
document.addEventListener("change", (e) => {
  if (e.target && e.target.id === "ce-batch-file" && !window.__bench.change) window.__bench.change = performance.now();
}, true);
new MutationObserver(() => {
  const b = window.__bench;
  if (!b.change) return;
  const status = document.querySelector(".ce-batch__status");
  if (!b.busy && status && status.dataset.state === "busy" && !status.hidden) {
    b.busy = -1;
    requestAnimationFrame(() => { b.busy = performance.now(); });
  }
  if (!b.table && document.querySelector(".ce-batch__table")) {
    b.table = -1;
    requestAnimationFrame(() => { b.table = performance.now(); });
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


def run_batch_page_benchmarks(row, people: int = 10_000, activities: int = 10, formats=("csv", "xlsx")) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        row("batch page in Chromium", "not measured (make venv installs playwright)")
        return
    sys.path.insert(0, str(REPO / "tests"))
    import browser_helpers as bh

    if not os.access(bh.CHROMIUM, os.X_OK):
        row("batch page in Chromium", f"not measured ({bh.CHROMIUM} missing: bash site_src/setup_browser.sh)")
        return
    if not (REPO / "site_src" / "generated" / "checker" / "build.json").is_file():
        row("batch page in Chromium", "not measured (run make assets)")
        return
    from ruleset.batch import layout

    headers = layout().headers
    target = TABLE_SECONDS * people * activities / 100_000
    with tempfile.TemporaryDirectory(prefix="ce-bench-batch-") as tmp:
        port = bh.free_port()
        origin = f"http://127.0.0.1:{port}"
        site = bh.build_site(Path(tmp) / "site", origin)
        with bh.SiteServerProcess(site, port), sync_playwright() as p:
            browser = bh.launch(p)
            try:
                for fmt in formats:
                    source = Path(tmp) / f"unit.{fmt}"
                    (write_csv if fmt == "csv" else write_xlsx)(source, unit_rows(people, activities, headers), headers)
                    _measure(row, browser, origin, source, fmt, people, activities, target, export=fmt == "csv")
            finally:
                browser.close()


def _load() -> str:
    return "load " + " / ".join(f"{x:.1f}" for x in os.getloadavg()[:2]) + " (1, 5 min)"


def _measure(row, browser, origin, source, fmt, people, activities, target, export) -> None:
    context = browser.new_context(service_workers="block", accept_downloads=True)
    foreign = []
    context.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(origin) else None)
    page = context.new_page()
    page.add_init_script(MARKS)
    page.goto(origin + "/batch/")
    page.wait_for_selector(".ce-batch__drop")
    page.wait_for_selector(".ce-batch__engine", state="hidden", timeout=TIMEOUT_MS)
    boot = page.evaluate("performance.now()")
    page.wait_for_timeout(500)  # (a person takes longer to choose the file)
    load = _load()
    page.set_input_files("#ce-batch-file", str(source))
    page.wait_for_selector(".ce-batch__table, .ce-batch__status[data-state=error]", timeout=TIMEOUT_MS)
    for _ in range(100):  # the frame after the table (no wait_for_function: the CSP has no eval)
        marks = page.evaluate("() => window.__bench")
        if (marks.get("table") or 0) > 0 or page.locator(".ce-batch__status[data-state=error]").count():
            break
        page.wait_for_timeout(50)
    status = page.inner_text(".ce-batch__status")
    workers = page.get_attribute("#ce-batch", "data-workers")
    exported = None
    if export and (marks.get("table") or 0) > 0:
        start = page.evaluate("performance.now()")
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.click("button[data-export=xlsx]")
        download.value.path()
        exported = (page.evaluate("performance.now()") - start) / 1000
    context.close()
    label = f"{people:,} people × {activities} activities ({fmt})"
    if "table" not in marks or marks["table"] <= 0:
        row(f"batch page, {label}: file drop → table on screen", f"failed: {status[:200]}")
        return
    progress = marks["busy"] - marks["change"]
    table = (marks["table"] - marks["change"]) / 1000
    row(f"batch page, {label}: progress shown after the drop", f"{progress:.0f} ms", f"≤ {PROGRESS_MS} ms",
        progress <= PROGRESS_MS)
    row(f"batch page, {label}: file drop → table on screen (engine booted {boot / 1000:.1f} s after navigation; "
        f"{workers} workers; {load})", f"{table:.1f} s", f"≤ {target:.0f} s", table <= target)
    if exported is not None:
        row(f"batch page, {label}: export .xlsx, click → download ({_load()})", f"{exported:.1f} s")
    if foreign:
        row("batch page: requests outside the site's origin", str(len(foreign)), "0", False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=10)
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args(argv)

    def row(measure, figure, target="—", met=None):
        print(f"{measure}: {figure}   target {target}   {'' if met is None else 'met' if met else 'MISSED'}")

    run_batch_page_benchmarks(row, args.people, args.activities, tuple(args.formats.split(",")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
