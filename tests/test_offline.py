"""Offline and installable: the service worker, the update to a new build, the web app manifest.

Against built sites in Debian's Chromium (tests/browser_helpers.py), served under a sub-path
(/ce/, as on GitHub Pages) from a directory whose `ce` entry is a symlink: first to build A, then
to build B (the same sources built with REPO_URL set, so every policy and reference page
changes: they gain 报告错误 links). Service workers are allowed here (test_browser.py blocks them).
"""
from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

SUB = "ce"
REPO_URL = "https://github.com/example-owner/ce-hours"  # a test value; the hook only formats it
STORE_KEY = "ce-checker.case.v1"
CASE = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2024, "tenure_start_year": 2019},
    "activities": [
        {"kind": "public_course", "year": 2022, "hours": 30, "completed": True},
        {"kind": "training", "year": 2022, "subject": "professional", "days": 5, "category": "regular"},
        {"kind": "paper", "year": 2022, "authors": 1, "rank": 1, "venue": "journal", "level": "national",
         "has_cn_number": True},
    ],
}
POLICY = "policies/qinghai-2024-192/"


def _build(dest: Path, site_url: str, repo_url: str | None) -> Path:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("REPO_URL", None)
    if repo_url:
        env["REPO_URL"] = repo_url
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(bh.ROOT / "mkdocs.yml"),
                           "-d", str(dest)], cwd=bh.ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return dest


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    bh.require_prerequisites()
    base = tmp_path_factory.mktemp("offline")
    port = bh.free_port()
    origin = f"http://127.0.0.1:{port}"
    a = _build(base / "a", f"{origin}/{SUB}/", None)
    b = _build(base / "b", f"{origin}/{SUB}/", REPO_URL)
    served = base / "served"
    served.mkdir()
    link = served / SUB
    link.symlink_to(a, target_is_directory=True)

    def switch(to: Path) -> None:
        tmp = served / "next"
        tmp.symlink_to(to, target_is_directory=True)
        tmp.replace(link)

    with bh.SiteServer(served, port) as server:
        yield SimpleNamespace(origin=server.origin, root=f"{server.origin}/{SUB}/", a=a, b=b, switch=switch)


@pytest.fixture(scope="module")
def playwright(sites, playwright_session):
    return playwright_session


@pytest.fixture(scope="module")
def browser(playwright):
    b = bh.launch(playwright)
    yield b
    b.close()


@pytest.fixture
def context(browser, sites):
    sites.switch(sites.a)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN",
                                  service_workers="allow")
    context.add_init_script(  # (not in about:blank, which has no storage)
        f"if (location.protocol === 'http:' && localStorage.getItem({json.dumps(STORE_KEY)}) === null) "
        f"localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(json.dumps(CASE, ensure_ascii=False))});")
    rec = bh.Recorder()
    rec.attach_context(context)
    context.rec = rec
    yield context
    context.close()


def _first_result(page) -> dict[str, str]:
    page.wait_for_selector("#ce-checker[data-ce-dirty=false][data-ce-seq]", timeout=bh.BOOT_TIMEOUT_MS)
    return page.eval_on_selector_all(
        "#ce-checker [data-ce-num]", "els => Object.fromEntries(els.map(e => [e.dataset.ceNum, e.textContent.trim()]))")


def _installed(page) -> str:
    """Waits until the service worker is active and site.js has noted its version; that version."""
    bh.until(page, "navigator.serviceWorker.getRegistration()"
                 ".then(r => !!(r && r.active && r.active.state === 'activated'))")
    return bh.until(page, "localStorage.getItem('ce-site.version')")


def _first_visit(context, sites):
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(sites.root + "checker/")
    numbers = _first_result(page)
    _installed(page)
    return page, numbers


def test_whole_site_works_offline_after_one_visit(context, sites, tmp_path):
    page, online = _first_visit(context, sites)
    expected = bh.cli_result(CASE, tmp_path)
    for path in ("years.2022.public", "years.2022.professional", "years.2022.total"):
        assert online[path] == bh.shown(bh.json_path(expected, path))
    # Each row's detail says when its rule was last checked against the notice.
    checked = {row["checked"] for row in expected["activities"]}
    shown = {t.strip() for t in page.locator("#ce-checker .ce-row__checked").all_text_contents()}
    assert shown == {f"核对于 {c}" for c in checked}

    context.set_offline(True)
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")
    offline = _first_result(page)
    assert offline == online
    # A visit the service worker answers: the page's first frame waits for the form's first fields
    # (<link rel="expect"> added by the boot script), and the form draws the element it waits for.
    target = page.evaluate("new URL(document.querySelector('head link[rel=expect]').href).hash.slice(1)")
    assert page.get_attribute("head link[rel=expect]", "blocking") == "render"
    assert page.locator(f"#ce-checker .ce-form #{target}").count() == 1
    # An edit is computed offline too: the paper becomes co-authored (5 hours instead of 10).
    # (at this width, one column: the finished cards are folded; a tap on its line opens one)
    page.locator(".ce-act[data-index='2'] .ce-act__toggle").click()
    page.locator(".ce-act[data-index='2'] [data-field=authors] input").fill("2")
    page.wait_for_function("() => document.getElementById('ce-checker').dataset.ceDirty === 'false' && "
                           "document.querySelector('[data-ce-num=\"years.2022.professional\"]').textContent.trim() === '40'")

    page.goto(sites.root + POLICY)
    assert "青人社厅函〔2024〕192号" in page.locator("article").inner_text()
    page.goto(sites.root + "reference/qinghai/")
    assert page.locator(".ref-rule").count() > 10
    page.goto(sites.root + "no-such-page/")  # not stored: the stored 404 page, not a browser error
    assert page.locator("article h1").inner_text().strip() == "404 - Not found"

    assert context.rec.foreign_requests(sites.origin) == []
    assert context.rec.console_errors == [], "\n".join(context.rec.console_errors)


def test_new_build_is_taken_whole_on_the_next_visit_with_a_notice(context, sites):
    page, _ = _first_visit(context, sites)
    version_a = page.evaluate("localStorage.getItem('ce-site.version')")

    sites.switch(sites.b)  # deploy build B
    page.goto(sites.root + "checker/")
    _first_result(page)
    # This visit is still build A, whole: B installs in the background and waits.
    bh.until(page, "navigator.serviceWorker.getRegistration().then(r => !!(r && r.waiting))")
    assert page.locator(".site-updated").count() == 0
    policy_a = page.evaluate(f"fetch('../{POLICY}').then(r => r.text())")
    assert "report-link" not in policy_a and "report-link" in (sites.b / POLICY / "index.html").read_text()

    page.goto(sites.root + "checker/")  # the next visit: B, with the notice
    page.wait_for_selector(".site-updated", timeout=30_000)
    assert "已更新" in page.locator(".site-updated").inner_text()
    _first_result(page)
    version_b = page.evaluate("localStorage.getItem('ce-site.version')")
    assert version_b and version_b != version_a
    policy_b = page.evaluate(f"fetch('../{POLICY}').then(r => r.text())")
    assert policy_b == (sites.b / POLICY / "index.html").read_text(encoding="utf-8")

    # Offline, B is what is stored: the reload is B, and says nothing more.
    context.set_offline(True)
    page.goto(sites.root + POLICY)
    assert page.locator("article a.report-link").count() > 10
    assert page.locator(".site-updated").count() == 0
    assert context.rec.console_errors == []


# A fresh checker worker in the page (as checker-boot.js starts one): init, then check_json of the
# case; the "ready" stage message and the result text.
WORKER_RUN = r"""async (caseText) => {
  const meta = JSON.parse(document.querySelector('meta[name="ce-checker"]').content);
  const script = document.querySelector('script[type="module"][src*="assets/js/checker.js"]');
  const src = new URL(script.src);
  const workerURL = new URL("checker-worker.js", src);
  workerURL.search = src.search;
  const root = new URL("../../", new URL(document.querySelector('script[src*="assets/js/site.js"]').src));
  const url = (p) => new URL(p, root).href;
  const worker = new Worker(workerURL, { type: "module" });
  let ready = null;
  const replies = new Map();
  worker.onmessage = (e) => {
    if (e.data.type === "stage" && e.data.stage === "ready") ready = e.data;
    if (e.data.type === "reply") replies.get(e.data.id)(e.data);
  };
  const call = (id, msg) => new Promise((resolve) => { replies.set(id, resolve); worker.postMessage({ id, ...msg }); });
  const init = await call(0, { method: "init", indexURL: url(meta.index_url), lockFileURL: url(meta.lock_url),
                               stdLibURL: url(meta.stdlib_url) });
  const result = await call(1, { method: "check_json", arg: caseText });
  worker.terminate();
  return { init, restored: ready && ready.restored, value: result.value };
}"""
SNAPSHOT_KEYS = "caches.open('ce-pyodide-snapshot').then((c) => c.keys()).then((k) => k.map((r) => r.url))"


def test_return_visits_boot_from_a_memory_snapshot_made_in_this_browser(context, sites, tmp_path):
    page, numbers = _first_visit(context, sites)
    keys = bh.until(page, f"{SNAPSHOT_KEYS}.then((k) => k.length && k)")
    assert len(keys) == 1 and keys[0].startswith(sites.root + "assets/pyodide/")
    dated = {**CASE, "as_of_year": 2026}  # the CLI dates an undated case today; the worker is given the year
    case = json.dumps(dated, ensure_ascii=False)
    expected = bh.cli_result(dated, tmp_path)

    run = page.evaluate(WORKER_RUN, case)
    assert run["init"]["ok"] and run["restored"] is True
    assert json.loads(run["value"]) == expected

    page.reload()  # a return visit: the same result on the page
    assert _first_result(page) == numbers

    # A snapshot that does not restore is dropped and the engine boots as on a first visit.
    page.evaluate("""async (key) => {
      const cache = await caches.open('ce-pyodide-snapshot');
      await cache.put(key, new Response(new Uint8Array(1000)));
    }""", keys[0])
    run = page.evaluate(WORKER_RUN, case)
    assert run["init"]["ok"] and run["restored"] is False
    assert json.loads(run["value"]) == expected
    assert page.evaluate(SNAPSHOT_KEYS) == []
    assert context.rec.console_errors == [], "\n".join(context.rec.console_errors)


# Holds the checker's engine (the worker named "ce-checker" gets no message) while localStorage
# "test.hold" is "1", until window.__ceRelease() (so that a return visit's page can be looked at
# before the engine is ready).
HOLD_ENGINE = r"""
(() => {
  if (location.protocol !== "http:" || localStorage.getItem("test.hold") !== "1") return;
  const Native = window.Worker;
  let held = [];
  window.__ceRelease = () => {
    localStorage.removeItem("test.hold");
    const queued = held;
    held = null;
    for (const f of queued) f();
  };
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    if (options && options.name === "ce-checker") {
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (msg) => (held ? held.push(() => post(msg)) : post(msg));
    }
    return worker;
  };
  window.Worker.prototype = Native.prototype;
})();
"""
KEPT = "Promise.resolve(localStorage.getItem('ce-checker.result.v1') === null ? 0 : 1)"  # lastresult.js
RESULTS_STATUS = "document.querySelector('#ce-checker .ce-results__status').textContent"


def test_return_visit_shows_the_kept_result_marked_until_the_engine_confirms(context, sites):
    page, numbers = _first_visit(context, sites)
    page.add_init_script(HOLD_ENGINE)
    bh.until(page, KEPT)  # kept once the page has settled on the result

    page.evaluate("localStorage.setItem('test.hold', '1')")
    page.reload()  # the engine is held: what shows is the kept result, marked as such
    page.wait_for_selector("#ce-checker[data-ce-provisional=true][data-ce-dirty=false]", timeout=30_000)
    assert _first_result(page) == numbers
    assert "本机保存的上次核算结果" in page.evaluate(RESULTS_STATUS)
    assert not page.evaluate("window.__ceChecker.engine.ready")
    page.evaluate("window.__ceRelease()")  # the engine's own result confirms it
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]:not([data-ce-provisional])",
                           timeout=bh.BOOT_TIMEOUT_MS)
    assert _first_result(page) == numbers and page.evaluate(RESULTS_STATUS) == ""

    # An edit before the engine is ready drops the kept result (it is no longer this case's).
    page.evaluate("localStorage.setItem('test.hold', '1')")
    page.reload()
    page.wait_for_selector("#ce-checker[data-ce-provisional=true]", timeout=30_000)
    authors = page.locator(".ce-act[data-index='2'] [data-field=authors] input")
    if not authors.is_visible():  # (a finished card is folded in the one-column layout)
        page.locator(".ce-act[data-index='2'] .ce-act__toggle").click()
    authors.fill("2")
    page.wait_for_selector("#ce-checker[data-ce-dirty=true]:not([data-ce-provisional])")
    assert page.locator("#ce-checker [data-ce-num]").count() == 0
    assert "上次核算" not in page.evaluate(RESULTS_STATUS)
    page.evaluate("window.__ceRelease()")
    page.wait_for_function("() => document.getElementById('ce-checker').dataset.ceDirty === 'false' && "
                           "document.querySelector('[data-ce-num=\"years.2022.professional\"]').textContent.trim() === '40'")

    # A saved case the kept result was not computed for (the edit above, not yet kept, or any
    # other) shows nothing before the engine.
    page.evaluate("""() => { const c = JSON.parse(localStorage.getItem('ce-checker.case.v1'));
                             c.activities[0].hours = 31; localStorage.setItem('ce-checker.case.v1', JSON.stringify(c));
                             localStorage.setItem('test.hold', '1'); }""")
    page.reload()
    page.wait_for_selector("#ce-checker [data-field=region] select")
    page.wait_for_timeout(1000)
    assert page.evaluate("document.getElementById('ce-checker').dataset.ceDirty") == "true"
    assert page.locator("#ce-checker[data-ce-provisional]").count() == 0
    page.evaluate("window.__ceRelease()")
    _first_result(page)

    # A case without a region (清空 too) deletes the kept result.
    bh.until(page, KEPT)
    page.locator("#ce-checker [data-field=region] select").select_option("")
    bh.until(page, f"{KEPT}.then((n) => n === 0)", timeout_s=10)
    assert context.rec.console_errors == [], "\n".join(context.rec.console_errors)


def test_checker_page_starts_the_search_worker_only_when_the_search_is_used(context, sites):
    """On the checker page Material's search worker (which builds the whole index) waits for the reader."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(sites.root + "checker/")
    _first_result(page)
    page.wait_for_timeout(500)
    search_workers = lambda: [w.url for w in page.workers if "/workers/search." in w.url]  # noqa: E731
    assert search_workers() == []
    assert any("checker-worker.js" in w.url for w in page.workers)
    page.locator(".md-search__input").first.click()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("初始化"), timeout=60_000)
    page.locator(".md-search__input").fill("驻村")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    assert len(search_workers()) == 1
    assert context.rec.console_errors == [], "\n".join(context.rec.console_errors)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_linked_from_every_page_and_valid(playwright, sites, tmp_path):
    site = sites.a
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    for key in ("name", "short_name", "start_url", "scope", "display", "icons"):
        assert manifest[key], key
    sizes = {}
    for icon in manifest["icons"]:
        assert not icon["src"].startswith(("/", "http")), "icons relative to the manifest (sub-path sites)"
        w, h = _png_size(site / icon["src"])
        assert f"{w}x{h}" == icon["sizes"]
        sizes.setdefault(icon.get("purpose", "any"), set()).add(w)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert text.count('rel="manifest"') == 1, path

    # Chrome's own verdict, in a profile on disk (Playwright's usual contexts are incognito, where
    # nothing installs).
    sites.switch(sites.a)
    persistent = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=bh.CHROMIUM, args=bh.CHROMIUM_ARGS, headless=True)
    try:
        page = persistent.new_page()
        page.goto(sites.root)
        _installed(page)
        cdp = persistent.new_cdp_session(page)
        got = cdp.send("Page.getAppManifest")
        assert got["url"] == sites.root + "manifest.webmanifest"
        assert got["errors"] == []
        assert json.loads(got["data"])["name"] == manifest["name"]
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        persistent.close()
