"""The batch page (单位批量核算) offline: after one visit of the site (the checker page, which stores
the site and makes the engine's memory snapshot), with the network cut, the batch page, never
visited before, reads a CSV and an .xlsx, shows the table and exports, as the CLI computes.

Against the session's built site in Debian's Chromium with service workers allowed; the page runs
two workers (the machine's cores are set to 2) so that the helpers' path is taken offline too.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

import browser_helpers as bh
from test_browser_batch import as_csv, as_xlsx, cli_batch, read_csv, unit_rows

pytestmark = pytest.mark.browser

TWO_CORES = "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 });"


def test_batch_page_works_offline_after_one_visit_of_the_site(browser, site, tmp_path):
    rows = unit_rows(120)
    files = {"csv": tmp_path / "离线.csv", "xlsx": tmp_path / "离线.xlsx"}
    files["csv"].write_bytes(as_csv(rows))
    files["xlsx"].write_bytes(as_xlsx(rows))
    cli_batch(files["csv"], tmp_path / "cli.csv", site.origin + "/")
    want_people = read_csv((tmp_path / "cli.people.csv").read_bytes())
    want_problems = read_csv((tmp_path / "cli.problems.csv").read_bytes())

    context = browser.new_context(locale="zh-CN", service_workers="allow", accept_downloads=True)
    context.add_init_script(TWO_CORES)
    rec = bh.Recorder()
    rec.attach_context(context)
    try:
        page = context.new_page()
        page.set_default_timeout(bh.BOOT_TIMEOUT_MS)
        page.goto(site.origin + "/checker/")  # the one visit: the site is stored, the snapshot made
        bh.until(page, "navigator.serviceWorker.getRegistration()"
                     ".then(r => !!(r && r.active && r.active.state === 'activated'))")
        bh.until(page, "localStorage.getItem('ce-site.version')")
        bh.until(page, "caches.open('ce-pyodide-snapshot').then((c) => c.keys()).then((k) => k.length)")
        stored = page.evaluate("caches.keys().then(async (names) => (await Promise.all(names.map(async (n) => "
                               "(await (await caches.open(n)).keys()).map((r) => r.url)))).flat())")
        build = json.loads((site.dir / "assets" / "checker" / "build.json").read_text(encoding="utf-8"))
        for key in ("batch_modules_url", "stdlib_url", "wheel_url"):
            assert any(url.startswith(f"{site.origin}/{build[key]}") for url in stored), key
        assert any("/openpyxl-" in url for url in stored) and any("/et_xmlfile-" in url for url in stored)
        assert not any(url.endswith(f"/{build['index_url']}python_stdlib.zip") for url in stored)

        context.set_offline(True)
        page.goto(site.origin + "/batch/")
        page.wait_for_selector(".ce-batch__engine", state="hidden")
        # Both workers ready before the drop, so that the helper's path is surely taken (a helper
        # still booting when 120 people are done would leave the main worker to check them all).
        page.wait_for_selector("#ce-batch[data-ready-workers='2']")
        for name in ("xlsx", "csv"):  # (the export below is of the CSV, as the CLI read it)
            page.set_input_files("#ce-batch-file", str(files[name]))
            page.wait_for_selector(".ce-batch__status[data-state=done], .ce-batch__status[data-state=error]")
            assert page.get_attribute(".ce-batch__status", "data-state") == "done", page.inner_text(".ce-batch__status")
            shown = page.eval_on_selector_all(".ce-batch__table:not(.ce-batch__problem-table) tbody th",
                                              "cells => cells.map(c => c.textContent)")
            assert shown == [r[0] for r in want_people[1:101]], name  # the first page of 100
            problems = page.eval_on_selector_all(".ce-batch__problem-table tbody tr",
                                                 "rows => rows.map(r => [...r.children].map(td => td.textContent))")
            want = [[p[1] or "（全文件）", p[2], p[3], p[4], p[5]] for p in want_problems[1:]]
            # (the first 200, then 显示更多; an .xlsx's problems name the sheet in a first column)
            assert [r[-5:] for r in problems] == want[:200] and len(want) > 4, name
            assert f"输入问题（{len(want)} 处）" in page.inner_text(".ce-batch__problems h3")
        assert page.get_attribute("#ce-batch", "data-workers") == "2"  # both workers checked people
        with page.expect_download() as dl:
            page.click("button[data-export=xlsx]")
        book = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()), read_only=True)
        people = [[("" if v is None else str(v)) for v in row] for row in book["人员汇总"].values]
        assert people == [[str(c) for c in row] for row in want_people]
        assert page.evaluate("!!navigator.serviceWorker.controller")
        assert rec.foreign_requests(site.origin) == []
        assert rec.console_errors == [], "\n".join(rec.console_errors)
    finally:
        context.close()
