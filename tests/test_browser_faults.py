"""The checker page under faults, in headless Chromium: it never loses data without saying so
and never hangs.

- Corrupt saved cases (junk, null, a list, a save cut short, shape errors): a message, the text
  kept under a second localStorage key and downloadable, a form that works.
- Bad imports (numbers a JavaScript number cannot hold, invalid UTF-8, GBK, nesting too deep):
  a message naming the reason, nothing changed without the person's yes.
- Storage refusing the case (QuotaExceededError from Storage.prototype.setItem, overridden in the
  page by an init script): an error, never "已导入".
- Downloads that fail (HTTP 500 or aborted, by Playwright routes): pyodide.asm.wasm, the standard
  library, the worker script, schema.json, metadata.json, and one that never answers (the
  watchdog): an error with 重试 and the technical detail within the bound, and 重试 works once
  the route is gone.

Against the BUILT site, like tests/test_browser.py (same helpers); waits use wait_for_selector
(the page's CSP forbids the eval behind wait_for_function).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

STORE_KEY = "ce-checker.case.v1"  # STORE_KEY of site_src/js/checker/store.js
ASIDE_KEY = STORE_KEY + ".unreadable"  # ASIDE_KEY of store.js
WATCHDOG_MS = 60_000  # WATCHDOG_MS of site_src/js/checker/engine.js: the bound of every load
SHORT_WATCHDOG_MS = 4_000  # set through the build info for the test of a download that never ends

VALID = {"region": "qinghai", "profile": {"apply_year": 2024},
         "activities": [{"kind": "lecture", "year": 2023, "hours": 8, "title": "原有的讲座"}]}


# ----------------------------------------------------------------- fixtures

# `site` and `browser`: session fixtures of tests/conftest.py (shared with tests/test_browser.py).


class Session(SimpleNamespace):
    def seed(self, text: str | None) -> None:
        """The saved case, as stored before the first page load (not again on a reload)."""
        self.context.add_init_script(
            "if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1');"
            f" localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(text)}); }}")

    def open(self) -> None:
        self.page.goto(self.origin + "/checker/")
        self.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
        # the activity cards come after the form's first paint (view.drawRest)
        self.page.evaluate("async () => { const v = window.__ceChecker.view; await v.drawRest; await v.form.settled(); }")

    def stored(self, key: str = STORE_KEY):
        return self.page.evaluate(f"localStorage.getItem({json.dumps(key)})")

    def kept(self) -> list[dict]:
        return json.loads(self.stored(ASIDE_KEY) or "[]")

    def case_on_page(self) -> dict:
        return json.loads(self.page.evaluate("JSON.stringify(window.__ceChecker.caseData)"))

    def notice(self) -> str:
        el = self.page.locator(".ce-notice")
        return el.inner_text() if el.is_visible() else ""

    def import_file(self, path: Path) -> None:
        self.page.locator("#ce-checker input[type=file]").set_input_files(str(path))

    def settle(self) -> None:
        self.page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)


@pytest.fixture
def session(browser, site):
    """A fresh context; a dialog is accepted when s.answer(message) is true, and recorded in s.dialogs."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                  service_workers="block", accept_downloads=True)
    rec = bh.Recorder()
    rec.attach_context(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    s = Session(context=context, page=page, rec=rec, origin=site.origin, answer=lambda message: True, dialogs=[])

    def on_dialog(dialog):
        s.dialogs.append(dialog.message)
        dialog.accept() if s.answer(dialog.message) else dialog.dismiss()

    page.on("dialog", on_dialog)
    yield s
    context.close()


def assert_not_broken(s, allow_failed_loads: bool = False) -> None:
    """No uncaught exception, no request off the origin; console errors only for the downloads a
    test made fail."""
    def expected(e: str) -> bool:  # the failed download itself, and Pyodide's log of it in the worker
        return allow_failed_loads and not e.startswith("pageerror") and (
            "Failed to load resource" in e or "/assets/js/checker-worker.js" in e)

    errors = [e for e in s.rec.console_errors if not expected(e)]
    assert errors == [], "console errors:\n" + "\n".join(errors)
    assert s.rec.foreign_requests(s.origin) == []


def assert_form_usable(s) -> None:
    """Region, a new activity and a field can be entered, and the edit is saved."""
    page = s.page
    page.locator("#ce-checker [data-field=region] select").select_option("qinghai")
    before = page.locator(".ce-act").count()
    page.locator("#ce-add-kind").select_option("lecture")
    page.locator("[data-action=add]").click()
    card = page.locator(f".ce-act[data-index='{before}']")
    card.locator("[data-field=hours] input").fill("6")
    case = s.case_on_page()
    assert case["region"] == "qinghai"
    assert case["activities"][before]["hours"] == 6
    assert json.loads(s.stored()) == case, "the edit was not saved"


# ----------------------------------------------------------------- corrupt saves

CORRUPT = {
    "junk": ("这不是 JSON {{{", "unreadable"),
    "null": ("null", "unreadable"),
    "array": ('[{"region": "qinghai"}]', "unreadable"),
    "truncated": (json.dumps(VALID, ensure_ascii=False)[:40], "unreadable"),
    "shape": ('{"region":"qinghai","activities":"oops"}', "shape"),
}


@pytest.mark.parametrize("name", list(CORRUPT))
def test_corrupt_save_is_kept_aside_reported_and_downloadable(session, name):
    s = session
    text, kind = CORRUPT[name]
    s.seed(text)
    s.open()
    problem = s.page.locator(f".ce-storage [data-problem={kind}]")
    problem.wait_for()
    message = problem.inner_text()
    assert ("无法读取" if kind == "unreadable" else "不符合案例格式") in message, message
    assert "另存" in message
    # Kept under the second key, exactly as it was...
    assert [e["text"] for e in s.kept()] == [text]
    # ...and downloadable, byte for byte.
    with s.page.expect_download() as info:
        s.page.locator("[data-action=download-unreadable]").click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == text
    assert info.value.suggested_filename.endswith(".json" if kind == "shape" else (".txt", ".json"))
    if kind == "shape":
        # Not a broken page: the shape error is shown at the list, the engine runs, add works.
        err = s.page.locator("[data-field=activities] .ce-acts__error")
        assert err.is_visible() and "activities 应为列表" in err.inner_text()
        assert s.case_on_page()["activities"] == "oops"  # shown, not dropped before an edit
        s.page.wait_for_selector(".ce-status[data-stage]")
    assert_form_usable(s)
    # The original survives the save that replaced it, and is still offered after a reload.
    assert [e["text"] for e in s.kept()] == [text]
    s.page.reload()
    s.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    assert s.page.locator(".ce-storage [data-problem]").count() == 0, "the new save reads fine"
    assert s.page.locator(".ce-storage__kept").get_attribute("data-kept") == "1"
    assert_not_broken(s)


def test_shape_errors_show_at_their_fields_and_the_page_works(session):
    s = session
    saved = {"region": "qinghai", "profile": "张三",
             "activities": [1, None, {"kind": "lecture", "year": "二〇二三", "hours": 8}]}
    s.seed(json.dumps(saved, ensure_ascii=False))
    s.open()
    assert s.page.locator(".ce-storage [data-problem=shape]").is_visible()
    assert s.page.locator(".ce-act").count() == 3
    assert s.page.locator(".ce-act[data-bad=true]").count() == 2  # shown, to be deleted by hand
    assert "profile 应为对象" in s.page.locator(".ce-profile .ce-errors").inner_text()
    s.page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    s.settle()
    year = s.page.locator(".ce-act[data-index='2'] [data-field=year] .ce-field__error")
    assert "整数" in year.inner_text()
    assert "每条活动应为对象" in s.page.locator(".ce-act[data-index='0'] .ce-errors").inner_text()
    s.page.locator(".ce-act[data-index='0'] [data-action=delete]").click()
    assert s.page.locator(".ce-act").count() == 2
    assert_form_usable(s)
    assert_not_broken(s)


def test_unreadable_save_that_cannot_be_kept_aside_is_not_overwritten(session):
    """When the copy under the second key fails too (storage full), saving waits for the download."""
    s = session
    s.seed("{不完整")
    s.context.add_init_script(
        "const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {"
        f" if (k === {json.dumps(ASIDE_KEY)}) throw new DOMException('full', 'QuotaExceededError');"
        " return set.call(this, k, v); };")
    s.open()
    assert "未能另存" in s.page.locator(".ce-storage [data-problem=unreadable]").inner_text()
    s.page.locator("#ce-checker [data-field=region] select").select_option("qinghai")
    assert s.stored() == "{不完整", "the unreadable save was overwritten before it was downloaded"
    assert s.page.locator(".ce-storage [data-problem=save]").is_visible()
    with s.page.expect_download() as info:
        s.page.locator("[data-action=download-unreadable]").click()
    assert Path(info.value.path()).read_text(encoding="utf-8") == "{不完整"
    s.page.locator("#ce-checker [data-field=region] select").select_option("qinghai")
    assert json.loads(s.stored())["region"] == "qinghai"  # saved once the person has it
    assert_not_broken(s)


def test_storage_the_browser_refuses_is_reported_and_the_page_works(session):
    s = session
    s.context.add_init_script(
        "Object.defineProperty(window, 'localStorage', { get() {"
        " throw new DOMException('The operation is insecure.', 'SecurityError'); } });")
    s.open()
    alert = s.page.locator(".ce-storage [data-problem=unavailable]")
    assert "不会保存" in alert.inner_text(), alert.inner_text()
    s.page.locator("#ce-checker [data-field=region] select").select_option("qinghai")
    s.page.locator("#ce-add-kind").select_option("lecture")
    s.page.locator("[data-action=add]").click()
    s.page.locator(".ce-act[data-index='0'] [data-field=hours] input").fill("6")
    assert s.case_on_page()["activities"][0]["hours"] == 6
    assert alert.is_visible()
    # Material's own inline scripts read localStorage unguarded (__md_get("__palette")): its
    # errors, not the checker's, which guards every access.
    s.rec.console_errors = [e for e in s.rec.console_errors if e != "pageerror: The operation is insecure."]
    assert_not_broken(s)


# ----------------------------------------------------------------- imports

def _deep(depth: int) -> str:
    return ('{"region": "qinghai", "activities": [{"kind": "lecture", "year": 2023, "hours": 2, "x": '
            + "[" * depth + "]" * depth + "}]}")


BAD_IMPORTS = {
    # name: (bytes, words the refusal or question must contain, asked (confirm) or refused)
    "overflow": (b'{"region": "qinghai", "activities": [{"kind": "lecture", "year": 2023, "hours": 1e400}]}',
                 ["1e400", "第 1 项活动的 hours"], True),
    "20-digit": (b'{"region": "qinghai", "activities": [{"kind": "lecture", "year": 2023, '
                 b'"hours": 12345678901234567890}]}',
                 ["12345678901234567890", "12345678901234567000"], True),
    "gbk": (json.dumps({"region": "qinghai", "activities": [{"kind": "lecture", "year": 2023, "hours": 2,
                                                             "title": "专业技术讲座"}]},
                       ensure_ascii=False).encode("gbk"), ["GBK", "UTF-8"], False),
    "invalid-utf8": (b'{"region": "qinghai", "activities": [{"kind": "lecture", "title": "\xff\xfe\xfd"}]}',
                     ["UTF-8"], False),
    "too-deep": (_deep(100_000).encode(), ["嵌套", "第 1 项活动的 x"], False),
}


@pytest.mark.parametrize("name", list(BAD_IMPORTS))
def test_bad_import_changes_nothing_without_a_yes(session, tmp_path, name):
    s = session
    data, words, asks = BAD_IMPORTS[name]
    s.seed(json.dumps(VALID, ensure_ascii=False))
    s.open()
    before_stored, before_case = s.stored(), s.case_on_page()
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    s.answer = lambda message: "将替换当前填写的内容" in message  # "取消" to every other question
    s.import_file(path)
    s.page.wait_for_selector(".ce-notice--error")
    notice = s.notice()
    assert "未导入" in notice or "无法导入" in notice, notice
    for word in words:
        assert word in notice, (word, notice)
    assert "已导入" not in notice
    assert bool(s.dialogs) == asks, s.dialogs  # refused before the question of replacing the form
    if asks:
        assert all(word in s.dialogs[0] for word in words), s.dialogs
    # Nothing changed: the form, the saved case, the cards.
    assert s.stored() == before_stored
    assert s.case_on_page() == before_case
    assert s.page.locator(".ce-act").count() == 1
    assert s.page.locator(".ce-act [data-field=title] input").input_value() == "原有的讲座"
    if asks:
        # With a yes the file is imported, and the changed values are named in the notice.
        s.answer = lambda message: True
        s.dialogs.clear()
        s.import_file(path)
        s.page.wait_for_selector(".ce-notice:not(.ce-notice--error)")
        notice = s.notice()
        assert "已导入" in notice and words[0] in notice, notice
        assert json.loads(s.stored()) == s.case_on_page()
    assert_not_broken(s)


def test_import_that_storage_cannot_hold_is_not_reported_as_imported(session, tmp_path):
    s = session
    s.seed(json.dumps(VALID, ensure_ascii=False))
    # Storage full for anything bigger than the saved case (as with a file too large for it).
    s.context.add_init_script(
        "const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {"
        " if (String(v).length > 2000) throw new DOMException('The quota has been exceeded.',"
        " 'QuotaExceededError'); return set.call(this, k, v); };")
    s.open()
    big = {"region": "qinghai", "activities": [{"kind": "lecture", "year": 2023, "hours": 2, "title": f"讲座 {i}"}
                                               for i in range(60)]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
    before = s.stored()
    s.answer = lambda message: "将替换当前填写的内容" in message
    s.import_file(path)
    s.page.wait_for_selector(".ce-notice--error")
    assert "未导入" in s.notice() and "空间已满" in s.notice(), s.notice()
    assert "已导入" not in s.notice()
    assert s.stored() == before and s.page.locator(".ce-act").count() == 1
    # Opened anyway when the person says so: an error that it is not saved, still no "已导入".
    s.answer = lambda message: True
    s.import_file(path)
    s.page.wait_for_selector(".ce-act[data-index='59']")
    assert "未保存到本机" in s.notice() and "已导入" not in s.notice(), s.notice()
    assert s.page.locator(".ce-storage [data-problem=save]").is_visible()
    assert s.stored() == before
    assert_not_broken(s)


def test_a_save_the_browser_refuses_is_reported_until_one_succeeds(session):
    s = session
    s.context.add_init_script(
        "const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {"
        " if (window.__full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');"
        " return set.call(this, k, v); };")
    s.open()
    s.page.evaluate("window.__full = true")
    s.page.locator("#ce-checker [data-field=region] select").select_option("qinghai")
    alert = s.page.locator(".ce-storage [data-problem=save]")
    assert alert.is_visible() and "空间已满" in alert.inner_text()
    s.page.locator("#ce-add-kind").select_option("lecture")
    s.page.locator("[data-action=add]").click()
    assert alert.is_visible(), "a later edit's notice replaced the storage error"
    s.page.evaluate("window.__full = false")
    s.page.locator(".ce-act[data-index='0'] [data-field=hours] input").fill("3")
    alert.wait_for(state="detached")
    assert json.loads(s.stored())["activities"][0]["hours"] == 3
    assert_not_broken(s)


# ----------------------------------------------------------------- downloads that fail

ENGINE_FAULTS = {
    "wasm-500": ("**/pyodide.asm.wasm*", "500", "pyodide.asm.wasm"),
    "wasm-abort": ("**/pyodide.asm.wasm*", "abort", "pyodide.asm.wasm"),
    "stdlib-500": ("**/python_stdlib.zip*", "500", "python_stdlib.zip"),
    "wheel-abort": ("**/ce_hours_checker-*.whl*", "abort", ".whl"),
    "worker-500": ("**/checker-worker.js*", "500", "checker-worker.js"),
}


def _fail(how: str):
    def handler(route):
        if how == "abort":
            route.abort()
        else:
            route.fulfill(status=500, body="server error")
    return handler


def _retry_until_ready(s, route_pattern) -> None:
    s.page.unroute(route_pattern)
    s.page.locator(".ce-status [data-action=retry]").click()
    s.page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    s.settle()
    assert s.page.locator(".ce-years").is_visible(), "no result after 重试"


@pytest.mark.parametrize("name", list(ENGINE_FAULTS))
def test_engine_download_failure_ends_in_an_error_with_retry(session, name):
    s = session
    pattern, how, what = ENGINE_FAULTS[name]
    s.seed(json.dumps(VALID, ensure_ascii=False))
    s.page.route(pattern, _fail(how))
    s.open()
    status = s.page.locator(".ce-status[data-stage=error]")
    status.wait_for(timeout=WATCHDOG_MS + 10_000)
    assert "加载失败" in status.inner_text() and "超时" not in status.inner_text()
    assert s.page.locator(".ce-status [data-action=retry]").is_visible()
    detail = s.page.locator(".ce-status__details pre").text_content()
    assert what in detail, detail
    if how == "500" and name != "worker-500":
        assert "HTTP 500" in detail, detail
    assert "核算引擎未能加载" in s.page.locator(".ce-results__status").inner_text()
    _retry_until_ready(s, pattern)
    assert_not_broken(s, allow_failed_loads=True)


def test_a_download_that_never_ends_is_stopped_by_the_watchdog(session):
    s = session
    s.seed(json.dumps(VALID, ensure_ascii=False))

    def shorter_watchdog(route):
        # The build info in <meta name="ce-checker"> may set the watchdog; a short one for the test.
        response = route.fetch()
        text = response.text()
        m = re.search(r'<meta name="ce-checker" content="([^"]*)"', text)
        build = json.loads(html.unescape(m.group(1)))
        build["watchdog_ms"] = SHORT_WATCHDOG_MS
        meta = f'<meta name="ce-checker" content="{html.escape(json.dumps(build), quote=True)}"'
        route.fulfill(response=response, body=text[:m.start()] + meta + text[m.end():])

    s.page.route(s.origin + "/checker/", shorter_watchdog)
    s.page.route("**/pyodide.asm.wasm*", lambda route: None)  # never answered
    s.open()
    status = s.page.locator(".ce-status[data-stage=error]")
    status.wait_for(timeout=SHORT_WATCHDOG_MS + 10_000)
    assert "超时" in status.inner_text(), status.inner_text()
    assert "秒内未就绪" in s.page.locator(".ce-status__details pre").text_content()
    _retry_until_ready(s, "**/pyodide.asm.wasm*")
    assert_not_broken(s, allow_failed_loads=True)


@pytest.mark.parametrize("name,how", [("schema.json", "500"), ("metadata.json", "abort")])
def test_form_data_failure_ends_in_an_error_with_retry(session, name, how):
    s = session
    s.seed(json.dumps(VALID, ensure_ascii=False))
    pattern = f"**/assets/checker/{name}*"
    bh.without_form_data(s.page, s.origin)  # (the page carries the data: a download happens without it)
    s.page.route(pattern, _fail(how))
    s.page.goto(s.origin + "/checker/")
    failure = s.page.locator("#ce-checker[data-ce-mounted=error] .ce-load-failure")
    failure.wait_for(timeout=40_000)  # FETCH_TIMEOUT_MS of assets.js bounds a download that hangs
    assert "未能加载" in failure.inner_text()
    detail = failure.locator("pre").text_content()
    assert name in detail and ("HTTP 500" in detail if how == "500" else detail), detail
    s.page.unroute(pattern)
    failure.locator("[data-action=retry]").click()
    s.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    assert s.page.locator(".ce-act [data-field=title] input").input_value() == "原有的讲座"
    assert_not_broken(s, allow_failed_loads=True)
