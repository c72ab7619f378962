"""End-to-end tests of the self-service checker (自助核算) in headless Chromium.

Against the BUILT site: a session fixture runs `mkdocs build --strict` with
SITE_URL set to the 127.0.0.1 origin it then serves the site from (so Material's
instant navigation is on), and Playwright drives Debian's Chromium. Every test
records all requests and console messages: nothing may leave 127.0.0.1 and no
console error may appear. Needs `make assets` and site_src/setup_browser.sh
(`make test` runs both); a missing browser fails the tests, it never skips them.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

# A multi-year, multi-kind case entered through the form. Qinghai, whose rules
# cover every kind used here; papers in 2022 run into the 20-hour yearly cap.
FORM_CASE = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2024, "tenure_start_year": 2019},
    "activities": [
        {"kind": "public_course", "year": 2022, "hours": 30, "completed": True},
        {"kind": "training", "year": 2022, "subject": "professional", "days": 5, "category": "regular"},
        {"kind": "paper", "year": 2022, "authors": 1, "rank": 1, "venue": "journal", "level": "national",
         "has_cn_number": True},
        {"kind": "paper", "year": 2022, "authors": 1, "rank": 1, "venue": "journal", "level": "national",
         "has_cn_number": True},
        {"kind": "paper", "year": 2022, "authors": 2, "rank": 1, "venue": "journal", "level": "provincial",
         "has_cn_number": False, "indexed": True, "title": "合作论文"},
        {"kind": "public_course", "year": 2023, "hours": 24, "completed": True},
        {"kind": "conference", "year": 2023, "days": 2.5},
        {"kind": "lecture", "year": 2023, "hours": 8},
        {"kind": "online_course", "year": 2021, "subject": "public", "hours": 12.5},
        {"kind": "degree", "year": 2021},
    ],
}

# Imported from a file and exported back: must come out identical.
IMPORT_CASE = {
    "region": "qinghai",
    "profile": {
        "target_title": "associate_senior",
        "apply_year": 2025,
        "application_type": "review",
        "tenure_start_year": 2020,
        "flags": ["civil_service_transfer", "doctorate"],
        "transfer_year": 2021,
    },
    "activities": [
        {"kind": "training", "year": 2023, "subject": "public", "hours": 18, "category": "regular",
         "title": "公需科目专题培训"},
        {"kind": "book", "year": 2024, "authors": 3, "rank": 2, "level": "provincial"},
        {"kind": "research_project", "year": 2024, "level": "provincial", "role": "pi", "rank": 1,
         "start_year": 2022, "completed": True},
        {"kind": "mentoring", "year": 2022, "days": 4},
    ],
}


# ----------------------------------------------------------------- fixtures

# `site` (the built site, served) and `browser` (Chromium) are session fixtures of
# tests/conftest.py, shared with tests/test_browser_faults.py: Playwright's sync API runs one
# instance per process.


@pytest.fixture
def session(browser, site):
    """A fresh browser context (empty storage and cache) with a request/console recorder."""
    context = browser.new_context(
        viewport={"width": 1360, "height": 1000},
        locale="zh-CN",
        service_workers="block",
        accept_downloads=True,
    )
    rec = bh.Recorder()
    rec.attach_context(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    yield SimpleNamespace(context=context, page=page, rec=rec, origin=site.origin, checker=Checker(page, site.origin))
    context.close()


def assert_clean(s) -> None:
    assert s.rec.console_errors == [], "console errors:\n" + "\n".join(s.rec.console_errors)
    foreign = s.rec.foreign_requests(s.origin)
    assert foreign == [], "requests outside the site's origin:\n" + "\n".join(foreign)


# ----------------------------------------------------------------- page driver

class Checker:
    def __init__(self, page, origin):
        self.page = page
        self.origin = origin

    def open(self):
        self.page.goto(self.origin + "/checker/")
        self.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")

    def wait_ready(self):
        self.page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)

    def reveal(self, locator):
        """Scroll to it as a reader would; cards out of view are rendered in the next frame (content-visibility)."""
        locator.scroll_into_view_if_needed()
        self.page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def settle(self):
        """Wait until the result for the latest input is on the page."""
        self.page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)

    def field(self, scope: str, name: str):
        return self.page.locator(f"{scope} [data-field={name}]").first

    def set(self, scope: str, name: str, value) -> None:
        field = self.field(scope, name)
        if name == "flags":
            for box in field.locator("input[type=checkbox]").all():
                box.set_checked(box.get_attribute("value") in value)
            return
        radio = field.locator("input[type=radio]")
        if radio.count():  # an enum of a few values: radio buttons ("true" / "false" for a yes/no question)
            text = "" if value is None else json.dumps(value) if isinstance(value, bool) else str(value)
            field.locator(f"input[type=radio][value='{text}']").check()
            return
        select = field.locator("select")
        if select.count():  # a yes/no question is a select too: its options are "true" / "false"
            select.select_option("" if value is None else json.dumps(value) if isinstance(value, bool) else str(value))
            return
        box = field.locator("input[type=checkbox]")
        if box.count():
            box.set_checked(bool(value))
            return
        field.locator("input").fill("" if value is None else str(value))

    def set_region(self, region: str) -> None:
        self.page.locator("#ce-checker [data-field=region] select").select_option(region)

    def set_profile(self, name: str, value) -> None:
        self.set(".ce-profile", name, value)

    def add(self, kind: str) -> int:
        before = self.page.locator(".ce-act").count()
        self.page.locator("#ce-add-kind").select_option(kind)
        self.page.locator("[data-action=add]").click()
        self.page.wait_for_selector(f".ce-act[data-index='{before}']")
        return before

    def act(self, index: int) -> str:
        return f".ce-act[data-index='{index}']"

    def enter_case(self, case: dict) -> None:
        self.set_region(case["region"])
        profile = case.get("profile", {})
        for name in ("target_title", "apply_year", "application_type", "tenure_start_year", "flags"):
            if name in profile:
                self.set_profile(name, profile[name])
        if "transfer_year" in profile:
            self.set_profile("transfer_year", profile["transfer_year"])
        for act in case["activities"]:
            i = self.add(act["kind"])
            for name, value in act.items():
                if name != "kind":
                    self.set(self.act(i), name, value)

    def case_on_page(self) -> dict:
        return json.loads(self.page.evaluate("JSON.stringify(window.__ceChecker.caseData)"))

    def numbers(self) -> dict[str, str]:
        return self.page.eval_on_selector_all(
            "#ce-checker [data-ce-num]",
            "els => Object.fromEntries(els.map(e => [e.dataset.ceNum, e.textContent.trim()]))",
        )

    def error_text(self, scope: str, name: str) -> str:
        el = self.field(scope, name).locator(".ce-field__error")
        return el.inner_text().strip() if el.is_visible() else ""


def without_defaults_not_entered(case_on_page: dict, wanted: dict) -> dict:
    """The page fills schema defaults into new activities (e.g. subject, venue): compare on the wanted keys."""
    out = json.loads(json.dumps(case_on_page))
    for got, want in zip(out.get("activities", []), wanted["activities"]):
        for key in list(got):
            if key not in want:
                del got[key]
    return out


# ----------------------------------------------------------------- tests

def test_form_entry_matches_cli(session, tmp_path):
    s, c = session, session.checker
    c.open()
    c.enter_case(FORM_CASE)
    c.wait_ready()
    c.settle()

    entered = c.case_on_page()
    assert without_defaults_not_entered(entered, FORM_CASE) == FORM_CASE
    # The page sends the current year with every check (as_of_year, for the plan).
    expected = bh.cli_result({**entered, "as_of_year": s.page.evaluate("new Date().getFullYear()")}, tmp_path)
    assert expected["errors"] == [], expected["errors"]

    shown = c.numbers()
    # Every number the page shows is the CLI's number at the same place...
    mismatches = {path: (text, bh.shown(bh.json_path(expected, path))) for path, text in shown.items()
                  if text != bh.shown(bh.json_path(expected, path))}
    assert mismatches == {}, mismatches
    # ...and every number of the CLI's result that a person needs is shown.
    needed = set()
    for year, y in expected["years"].items():
        needed |= {f"years.{year}.{k}" for k in ("public", "professional", "total")}
        if y.get("required"):
            needed |= {f"years.{year}.required.{k}" for k in ("public", "professional", "total")}
        for k, v in (y.get("shortfall") or {}).items():
            if v:
                needed.add(f"years.{year}.shortfall.{k}")
    for row in expected["activities"]:
        needed |= {f"activities.{row['index']}.public", f"activities.{row['index']}.professional"}
        for k, cap in enumerate(row.get("caps") or []):
            needed.add(f"activities.{row['index']}.caps.{k}.cut")
    app = expected.get("application")
    if app and app.get("window"):
        needed |= {"application.window.0", "application.window.1", "application.years_required"}
    missing = sorted(needed - set(shown))
    assert missing == [], f"numbers of the CLI result not shown on the page: {missing}"
    assert any(row.get("caps") for row in expected["activities"]), "the case should exercise a cap"

    # Verdict, qualifying years and per-year outcome.
    if app:
        verdict = s.page.locator(".ce-verdict")
        assert verdict.get_attribute("data-met") == json.dumps(app.get("met"))
        chips = verdict.locator(".ce-chip--ok").all_inner_texts()
        assert [int(x) for x in chips] == app.get("qualifying_years", [])
    for year, y in expected["years"].items():
        row = s.page.locator(f".ce-years tr[data-year='{year}'] .ce-years__verdict")
        text = row.inner_text()
        if y.get("met") is True:
            assert "达标" in text and "未达标" not in text
        elif y.get("met") is False:
            assert "未达标" in text
    # Per activity: explanation, warnings and a link to the clause, from the site root.
    for row in expected["activities"]:
        card = s.page.locator(c.act(row["index"]))
        c.reveal(card)
        result = card.locator(".ce-act__result")
        assert row["explanation"] in result.inner_text()
        for w in row["warnings"]:
            assert w in result.inner_text()
        if row.get("source"):
            href = card.locator(".ce-row__source a.ce-source").get_attribute("href")
            assert href == f"{s.origin}/{row['source']}"
        for cap in row.get("caps") or []:
            assert cap["explanation"] in result.inner_text()

    bh.ARTIFACTS.mkdir(exist_ok=True)
    s.page.evaluate("window.scrollTo(0, 0)")
    s.page.wait_for_timeout(500)  # Material's header title transition
    s.page.screenshot(path=str(bh.ARTIFACTS / "checker-filled.png"))
    s.page.screenshot(path=str(bh.ARTIFACTS / "checker-filled-full.png"), full_page=True)
    s.page.emulate_media(media="print")
    s.page.screenshot(path=str(bh.ARTIFACTS / "checker-print.png"), full_page=True)
    assert s.page.locator(".ce-form").is_hidden(), "the print layout hides the form"
    assert s.page.locator(".ce-print-head").is_visible()
    assert s.page.locator(".ce-years").is_visible()
    s.page.emulate_media(media="screen")
    assert_clean(s)


def test_import_then_export_gives_the_same_json(session, tmp_path):
    s, c = session, session.checker
    c.open()
    src = tmp_path / "案例.json"
    src.write_text(json.dumps(IMPORT_CASE, ensure_ascii=False, indent=2), encoding="utf-8")
    s.page.locator("#ce-checker input[type=file]").set_input_files(str(src))
    s.page.wait_for_selector(f".ce-act[data-index='{len(IMPORT_CASE['activities']) - 1}']")
    assert s.page.locator(".ce-act").count() == len(IMPORT_CASE["activities"])
    # The form shows what was imported.
    assert c.field(".ce-profile", "transfer_year").is_visible()
    assert c.field(".ce-profile", "transfer_year").locator("input").input_value() == "2021"
    assert c.field(c.act(1), "rank").locator("input").input_value() == "2"
    assert c.field(c.act(0), "title").locator("input").input_value() == "公需科目专题培训"
    c.wait_ready()
    c.settle()
    with s.page.expect_download() as info:
        s.page.locator("[data-action=export]").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported == IMPORT_CASE
    # The exported file is exactly what the CLI reads.
    expected = bh.cli_result(exported, tmp_path)
    shown = c.numbers()
    for year in expected["years"]:
        assert shown[f"years.{year}.total"] == bh.shown(expected["years"][year]["total"])
    assert_clean(s)


def test_faulty_file_is_imported_whole_with_its_errors_shown(session, tmp_path):
    """Bad entries are shown with the engine's messages, never dropped; export returns the file unchanged."""
    s, c = session, session.checker
    faulty = {
        "region": "qinghai",
        "profile": {"flags": ["no_such_flag"], "apply_year": "2024"},
        "activities": [1, {"kind": "no_such_kind", "year": 2020}, {"kind": "paper"},
                       {"kind": "training", "year": 2022, "hours": "abc", "extra": 1}],
    }
    src = tmp_path / "faulty.json"
    src.write_text(json.dumps(faulty, ensure_ascii=False), encoding="utf-8")
    c.open()
    s.page.locator("#ce-checker input[type=file]").set_input_files(str(src))
    c.wait_ready()
    c.settle()
    assert s.page.locator(".ce-act").count() == 4
    expected = bh.cli_result(faulty, tmp_path)
    for err in expected["errors"]:
        if err["index"] is None:
            name = err["field"].removeprefix("profile.")
            assert c.error_text(".ce-profile", name) == err["message"]
        else:
            card = s.page.locator(c.act(err["index"]))
            c.reveal(card)
            assert err["message"] in card.inner_text(), (err, card.inner_text())
    with s.page.expect_download() as info:
        s.page.locator("[data-action=export]").click()
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == faulty
    assert_clean(s)


def test_bad_value_shows_its_message_next_to_its_field(session, tmp_path):
    s, c = session, session.checker
    c.open()
    c.set_region("qinghai")
    i = c.add("training")
    c.set(c.act(i), "year", 2023)
    c.set(c.act(i), "days", -2)
    c.set(c.act(i), "hours", "十二")  # not a number
    c.set_profile("apply_year", 1800)
    # A message shows at once for text that is not a number, before the engine is ready.
    assert "数字" in c.error_text(c.act(i), "hours")
    c.wait_ready()
    c.settle()
    case = c.case_on_page()
    expected = bh.cli_result(case, tmp_path)
    by_field = {(e["index"], e["field"]): e["message"] for e in expected["errors"]}
    assert (i, "days") in by_field and (None, "profile.apply_year") in by_field, expected["errors"]
    assert c.error_text(c.act(i), "days") == by_field[(i, "days")]
    assert c.error_text(c.act(i), "hours") == by_field[(i, "hours")]
    assert c.error_text(".ce-profile", "apply_year") == by_field[(None, "profile.apply_year")]
    days_input = c.field(c.act(i), "days").locator("input")
    assert days_input.get_attribute("aria-invalid") == "true"
    described = days_input.get_attribute("aria-describedby") or ""
    assert any(s.page.locator(f"#{d}").inner_text().strip() == by_field[(i, "days")] for d in described.split())
    # Correcting the value clears the message.
    c.set(c.act(i), "days", 2)
    c.settle()
    assert c.error_text(c.act(i), "days") == ""
    assert_clean(s)


def test_reload_keeps_data_and_instant_navigation_keeps_the_engine(session):
    s, c = session, session.checker
    page = s.page
    c.open()
    c.set_region("qinghai")
    i = c.add("conference")
    c.set(c.act(i), "year", 2023)
    c.set(c.act(i), "days", 3)
    c.set(c.act(i), "title", "全省学术年会")
    c.wait_ready()
    c.settle()
    total = c.numbers()["years.2023.total"]

    workers_before = sum("/assets/js/checker-worker.js" in u for u in s.rec.requests)
    page.reload()
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    # The worker the inline boot script started in <head> is the engine's: one worker.
    assert page.evaluate("window.__ceBoot.taken === true && window.__ceChecker.engine.worker === window.__ceBoot.worker")
    assert sum("/assets/js/checker-worker.js" in u for u in s.rec.requests) == workers_before + 1
    assert page.locator("#ce-checker [data-field=region] select").input_value() == "qinghai"
    assert c.field(c.act(0), "title").locator("input").input_value() == "全省学术年会"
    c.wait_ready()
    c.settle()
    assert c.numbers()["years.2023.total"] == total

    # Instant navigation: away to the home page and back; no reload, same worker.
    page.evaluate("window.__noReload = true; window.__ceChecker.engine.__mark = 'first'")
    wasm_before = sum("pyodide.asm.wasm" in u for u in s.rec.requests)
    page.locator("a.md-header__button.md-logo, a.md-logo").first.click()
    page.wait_for_selector("#ce-checker", state="detached")  # (wait_for_function polls by eval: the CSP forbids it)
    assert page.evaluate("window.__noReload === true"), "navigation reloaded the page (instant navigation off?)"
    page.go_back()
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    assert page.evaluate("window.__noReload === true")
    assert page.evaluate("window.__ceChecker.engine.__mark") == "first"
    c.wait_ready()
    c.settle()
    assert c.numbers()["years.2023.total"] == total
    c.set(c.act(0), "days", 4)
    c.settle()
    assert c.numbers()["years.2023.total"] != total
    assert sum("pyodide.asm.wasm" in u for u in s.rec.requests) == wasm_before, "Pyodide was loaded twice"

    # 清空 (with confirm) empties the form and the stored copy.
    page.locator("[data-action=clear]").click()
    page.wait_for_selector(".ce-empty")
    assert page.locator(".ce-act").count() == 0
    assert page.evaluate("localStorage.getItem('ce-checker.case.v1')") is None
    assert_clean(s)


def test_no_request_leaves_the_origin_and_no_console_error(session):
    s, c = session, session.checker
    page = s.page
    page.goto(s.origin + "/")
    # Arrive at the checker by instant navigation from another page.
    page.evaluate("window.__noReload = true")
    page.locator("a[href$='checker/']:visible").first.click()
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    assert page.evaluate("window.__noReload === true"), "instant navigation did not reach the checker"
    c.set_region("qinghai")
    c.wait_ready()
    c.settle()
    boot_ms = int(s.page.get_attribute(".ce-status", "data-boot-ms"))
    assert boot_ms < bh.BOOT_TIMEOUT_MS
    version = json.loads((bh.ROOT / "site_src/generated/checker/build.json").read_text())["pyodide_version"]
    runtime = [u for u in s.rec.requests if "/assets/pyodide/" in u]
    for name in ("pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", ".whl"):
        assert any(name in u for u in runtime), f"{name} not loaded from the site: {runtime}"
    # pyodide.mjs comes bundled in the worker script, not as a request of its own.
    assert not any(u.split("?")[0].endswith("/pyodide.mjs") for u in runtime), runtime
    assert any("/assets/js/checker-worker.js" in u for u in s.rec.requests)
    assert all(f"/assets/pyodide/{version}/" in u for u in runtime)
    csp = s.page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert re.search(r"script-src 'self' 'wasm-unsafe-eval'", csp)
    assert "unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", "")
    assert_clean(s)


def test_search_finds_chinese_terms_in_the_browser(session):
    """Material's search, on the UTF-8 index the build writes, finds a domain term and links to its page."""
    from playwright.sync_api import expect

    page = session.page
    page.goto(session.origin + "/")
    page.locator(".md-search__input").first.click()
    meta_el = page.locator(".md-search-result__meta")
    expect(meta_el).not_to_have_text(re.compile("初始化"), timeout=60_000)  # the index is built
    # Material runs a query on key events; Chinese typed through an input method ends with one,
    # while fill() sends none: a key press stands for it.
    page.locator(".md-search__input").fill("驻村")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    meta = meta_el.inner_text()
    assert re.search(r"\d+ 个符合条件的结果", meta), meta
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    assert any("policies/" in h or "reference/" in h for h in hrefs), hrefs
    page.keyboard.press("Escape")
    assert_clean(session)


# ----------------------------------------------------------------- readings (解读) and the plan

READING = "qinghai.project_member_per_year"

# A provincial project member (2022–2023): the clause does not say whether the member's 30 hours
# count once or every year. Under the default (once) 2022 falls short and so does the application;
# under the other reading (per year) 2022 is met and so is the application.
READING_CASE = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2024, "tenure_start_year": 2019},
    "activities": [
        {"kind": "public_course", "year": 2022, "hours": 30},
        {"kind": "training", "year": 2022, "subject": "professional", "days": 5},
        {"kind": "research_project", "year": 2023, "level": "provincial", "role": "member",
         "start_year": 2022, "completed": True, "title": "省级课题"},
        {"kind": "public_course", "year": 2023, "hours": 30},
        {"kind": "training", "year": 2023, "subject": "professional", "days": 5},
        {"kind": "public_course", "year": 2024, "hours": 45},
        {"kind": "training", "year": 2024, "subject": "professional", "days": 13},
    ],
}

# Applying in the current year (fixed at PLAN_NOW in the browser): 2023 and 2024 are met, 2026
# is not, and one more year is needed; 2026 can still be made up.
PLAN_NOW = "2026-06-15T10:00:00"
PLAN_CASE = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2026, "tenure_start_year": 2019},
    "activities": [
        {"kind": "public_course", "year": 2023, "hours": 30},
        {"kind": "training", "year": 2023, "subject": "professional", "days": 9},
        {"kind": "public_course", "year": 2024, "hours": 45},
        {"kind": "training", "year": 2024, "subject": "professional", "days": 13},
        {"kind": "public_course", "year": 2026, "hours": 20},
        {"kind": "training", "year": 2026, "subject": "professional", "days": 4},
    ],
}


def import_case(s, case: dict, path: Path) -> None:
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    s.page.locator("#ce-checker input[type=file]").set_input_files(str(path))
    s.page.wait_for_selector(f".ce-act[data-index='{len(case['activities']) - 1}']")
    s.checker.wait_ready()
    s.checker.settle()


def page_year(s) -> int:
    return s.page.evaluate("new Date().getFullYear()")


def assert_numbers_match(c, expected: dict) -> dict[str, str]:
    """Every number on the page is the CLI's number at the same place; returns them."""
    def cli(path):
        try:
            return bh.shown(bh.json_path(expected, path))
        except (KeyError, IndexError, TypeError):
            return "(not in the CLI's result)"

    shown = c.numbers()
    mismatches = {path: (text, cli(path)) for path, text in shown.items() if text != cli(path)}
    assert mismatches == {}, mismatches
    return shown


def test_readings_show_other_numbers_switch_and_persist(session, tmp_path):
    from playwright.sync_api import expect

    s, c = session, session.checker
    page = s.page
    c.open()
    import_case(s, READING_CASE, tmp_path / "reading.json")
    year = page_year(s)
    expected = bh.cli_result({**READING_CASE, "as_of_year": year}, tmp_path)
    assert expected["errors"] == []
    reading = next(r for r in expected["readings"] if r["id"] == READING)
    assert reading["is_default"] and reading["changes_numbers"]
    other = next(o for o in reading["options"] if o["id"] != reading["default"])

    # Under the default reading: the other reading's numbers under the project row, the year
    # 2022 and the verdict, and nothing marked as non-default.
    shown = assert_numbers_match(c, expected)
    row = expected["activities"][2]
    assert row["alternatives"] and expected["years"]["2022"]["alternatives"] and expected["application"]["alternatives"]
    for path in ("activities.2.alternatives.0.professional", "years.2022.alternatives.0.professional",
                 "years.2022.alternatives.0.total"):
        assert path in shown, path
    card = page.locator(c.act(2))
    c.reveal(card)
    alt = card.locator("details.ce-alt")
    assert other["label"] in alt.inner_text()
    alt.locator("summary").click()
    assert reading["question"] in alt.inner_text()
    # Its link leads to the reading's switch in the 解读 section, on the same page.
    page.evaluate("window.__noReload = true")
    alt.locator("a.ce-alt__switch").click()
    expect(page.locator(f"fieldset.ce-reading[data-reading='{READING}']")).to_be_in_viewport()
    assert page.evaluate("window.__noReload === true")
    verdict = page.locator(".ce-verdict")
    assert verdict.get_attribute("data-met") == "false" and verdict.get_attribute("data-nondefault") == "false"
    assert other["label"] in verdict.locator("details.ce-alt").inner_text()
    assert page.locator("#ce-checker .ce-tag--reading").count() == 0
    # The 解读 section: the question, the clause (from the site root), the default chosen.
    box = page.locator(f"fieldset.ce-reading[data-reading='{READING}']")
    assert reading["question"] in box.inner_text()
    assert box.locator("a.ce-source").get_attribute("href") == f"{s.origin}/{reading['source']}"
    assert box.locator(f"input[value='{reading['default']}']").is_checked()

    # Switch the reading for the whole case: stored in the case, recomputed at once, marked.
    box.locator(f"input[value='{other['id']}']").check()
    c.settle()
    assert c.case_on_page()["readings"] == {READING: other["id"]}
    switched = bh.cli_result({**READING_CASE, "readings": {READING: other["id"]}, "as_of_year": year}, tmp_path)
    assert switched["application"]["met"] is True and expected["application"]["met"] is False

    def assert_switched():
        numbers = assert_numbers_match(c, switched)
        assert numbers["years.2022.professional"] != shown["years.2022.professional"]
        assert numbers["activities.2.professional"] != shown["activities.2.professional"]
        verdict = page.locator(".ce-verdict")
        assert verdict.get_attribute("data-met") == "true" and verdict.get_attribute("data-nondefault") == "true"
        assert "按非默认解读计算" in verdict.locator(".ce-verdict__head").inner_text()
        assert page.locator(".ce-alert--reading").is_visible()
        assert page.locator(".ce-years tr[data-year='2022'][data-nondefault=true] .ce-tag--reading").count() == 1
        card = page.locator(c.act(2))
        c.reveal(card)
        assert "按非默认解读计算" in card.locator(".ce-credit").inner_text()
        assert page.locator(f"fieldset.ce-reading[data-reading='{READING}'] input[value='{other['id']}']").is_checked()

    assert_switched()
    page.emulate_media(media="print")
    assert "按非默认解读计算" in page.locator(".ce-print-head").inner_text()
    assert page.locator(".ce-verdict .ce-tag--reading").is_visible()
    page.emulate_media(media="screen")

    # It survives a reload...
    page.reload()
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    c.wait_ready()
    c.settle()
    assert_switched()
    # ...and an export and an import (the current year is sent to the engine, never saved).
    with page.expect_download() as info:
        page.locator("[data-action=export]").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported == {**READING_CASE, "readings": {READING: other["id"]}}
    assert "as_of_year" not in json.loads(page.evaluate("localStorage.getItem('ce-checker.case.v1')"))
    page.locator("[data-action=clear]").click()
    page.wait_for_selector(".ce-empty")
    import_case(s, exported, tmp_path / "exported.json")
    assert_switched()

    # Choosing the default again removes the choice from the case.
    page.locator(f"fieldset.ce-reading[data-reading='{READING}'] input[value='{reading['default']}']").check()
    c.settle()
    assert "readings" not in c.case_on_page()
    assert page.locator("#ce-checker .ce-tag--reading").count() == 0
    assert_numbers_match(c, expected)
    assert_clean(s)


def test_a_faulty_reading_choice_is_shown_and_can_be_removed(session, tmp_path):
    s, c = session, session.checker
    c.open()
    import_case(s, {**READING_CASE, "readings": {READING: "no_such_option"}}, tmp_path / "faulty.json")
    expected = bh.cli_result({**READING_CASE, "readings": {READING: "no_such_option"}}, tmp_path)
    message = next(e["message"] for e in expected["errors"] if e["field"] == f"readings.{READING}")
    errors = s.page.locator(".ce-readings__errors")
    assert message in errors.inner_text()
    assert message not in s.page.locator(".ce-profile").inner_text()
    errors.locator("[data-action=drop-reading]").click()
    c.settle()
    assert "readings" not in c.case_on_page()
    assert s.page.locator(".ce-readings__errors").count() == 0
    assert_clean(s)


def test_plan_shows_for_a_short_case_and_its_activities_make_the_year_met(session, tmp_path):
    s, c = session, session.checker
    page = s.page
    page.clock.set_fixed_time(PLAN_NOW)
    c.open()
    import_case(s, PLAN_CASE, tmp_path / "plan.json")
    assert page_year(s) == 2026
    expected = bh.cli_result({**PLAN_CASE, "as_of_year": 2026}, tmp_path)
    plan = expected["plan"]
    assert expected["application"]["met"] is False and plan["as_of_year"] == 2026
    assert_numbers_match(c, expected)

    block = page.locator(".ce-plan")
    assert plan["explanation"] in block.inner_text()
    for y in plan["years"]:
        entry = block.locator(f".ce-plan__year[data-year='{y['year']}']")
        assert entry.get_attribute("data-past") == json.dumps(y["past"])
        if y["past"]:
            assert "已过去" in entry.inner_text() and y["explanation"] in entry.inner_text()
    short = next(y for y in plan["years"] if not y["past"])
    assert short["year"] == 2026 and short["suggestion"]["closes"]
    entry = block.locator(".ce-plan__year[data-year='2026']")
    assert short["suggestion"]["text"] in entry.inner_text()
    entry.locator("details.ce-plan__options summary").click()
    options = entry.locator("details.ce-plan__options li")
    assert options.count() == len(short["options"])
    for k, option in enumerate(short["options"]):
        li = options.nth(k)
        assert option["label"] in li.inner_text()
        assert li.locator("a.ce-source").get_attribute("href") == f"{s.origin}/{option['source']}"
        for text in option.get("limited_by") or []:
            assert text in li.inner_text()
    entry.locator("details.ce-plan__deemed summary").click()
    for d in short["deemed"]:
        assert d["label"] in entry.locator("details.ce-plan__deemed").inner_text()

    # 加入这些活动: the suggestion's activities become cards, and the year is met.
    before = page.locator(".ce-act").count()
    entry.locator("[data-action=add-plan]").click()
    added = short["suggestion"]["activities"]
    page.wait_for_selector(f".ce-act[data-index='{before + len(added) - 1}']")
    c.settle()
    acts = c.case_on_page()["activities"]
    assert acts[before:] == [a["activity"] for a in added]
    row = page.locator(".ce-years tr[data-year='2026'] .ce-years__verdict")
    assert "达标" in row.inner_text() and "未达标" not in row.inner_text()
    after = bh.cli_result({**c.case_on_page(), "as_of_year": 2026}, tmp_path)
    assert after["years"]["2026"]["met"] is True and "plan" not in after
    assert page.locator(".ce-plan").count() == 0
    assert_numbers_match(c, after)
    assert "as_of_year" not in json.loads(page.evaluate("localStorage.getItem('ce-checker.case.v1')"))
    assert_clean(s)


# ----------------------------------------------------------------- the return visit's path

FORM_AT = """
(() => {
  new MutationObserver((_, observer) => {
    if (document.querySelector("#ce-checker [data-field=region] select")) {
      window.__formAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
})();
"""


def material_bundle_requested_at(page) -> float:
    """When Material's bundle was requested (ms on the page's clock)."""
    return page.evaluate(
        "performance.getEntriesByType('resource').find((e) => /javascripts\\/bundle\\.[0-9a-f]+\\.min\\.js/"
        ".test(e.name)).startTime")


def test_an_edit_redraws_the_sections_it_changed_and_leaves_the_others_in_place(session, tmp_path):
    """An edit that changes the application's verdict and the plan, the sections before the years table,
    redraws them; the years table and the activity detail keep their nodes in place (taken out and put back,
    the whole results column was restyled and laid out again after every such edit)."""
    s, c = session, session.checker
    page = s.page
    page.clock.set_fixed_time(PLAN_NOW)
    c.open()
    import_case(s, PLAN_CASE, tmp_path / "plan.json")
    page.evaluate("""() => {
      const body = document.querySelector("#ce-checker .ce-results__body");
      window.__sections = [...body.children];
      window.__added = [];
      new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) window.__added.push(n.className); })
        .observe(body, { childList: true });
    }""")
    plan_before = page.locator(".ce-plan").inner_text()
    c.set(c.act(4), "hours", 28)
    c.settle()
    assert page.locator(".ce-plan").inner_text() != plan_before
    added = page.evaluate("window.__added")
    assert any("ce-plan" in name for name in added), added
    assert not [name for name in added if "ce-table-wrap" in name or "ce-detail" in name], added
    kept = page.evaluate("""() => ["ce-table-wrap", "ce-detail"].map((name) =>
      window.__sections.some((el) => el.classList.contains(name) && el.isConnected))""")
    assert kept == [True, True]
    assert_clean(s)


def test_checker_page_carries_its_form_data_and_runs_material_after_the_form(session):
    """The form mounts from the data in the page (no schema.json / metadata.json request); Material's
    bundle is requested only once the form is there, and still runs the site (document$, instant navigation)."""
    s, c = session, session.checker
    s.page.add_init_script(FORM_AT)
    c.open()
    # A first visit's frames do not wait for the form (a return visit's do: tests/test_offline.py).
    assert s.page.locator("head link[rel=expect]").count() == 0
    c.set_region("qinghai")
    bh.until(s.page, "typeof window.document$?.subscribe === 'function'", 30)
    requested = [u.split("?")[0].rsplit("/", 1)[-1] for u in s.rec.requests]
    assert "schema.json" not in requested and "metadata.json" not in requested, requested
    bundle_start = material_bundle_requested_at(s.page)
    assert bundle_start > s.page.evaluate("window.__formAt"), "Material's bundle was requested before the form"
    # Material runs: its instant navigation swaps the page in without a reload, and back.
    s.page.evaluate("window.__noReload = true")
    s.page.locator("a.md-header__button.md-logo, a.md-logo").first.click()
    s.page.wait_for_selector("#ce-checker", state="detached")
    s.page.go_back()
    s.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    assert s.page.evaluate("window.__noReload === true")
    assert s.page.locator("#ce-checker [data-field=region] select").input_value() == "qinghai"
    assert_clean(s)


# A first visit with a short case saved: when the engine's first result is on the page.
FIRST_RESULT_AT = """
(() => {
  localStorage.setItem("ce-checker.case.v1", %s);
  new MutationObserver((_, observer) => {
    const root = document.querySelector("#ce-checker");
    if (root && root.dataset.ceSeq && root.dataset.ceDirty === "false") {
      window.__firstResultAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ce-seq", "data-ce-dirty"] });
})();
"""


def test_material_waits_for_a_short_cases_first_result(session):
    """A first visit with a saved case of a few activities: Material's bundle is requested only once
    the engine's result is on the page (on two cores it slowed the engine's start), and then runs."""
    s, c = session, session.checker
    s.page.add_init_script(FIRST_RESULT_AT % json.dumps(json.dumps(FORM_CASE, ensure_ascii=False)))
    c.open()
    c.settle()
    bh.until(s.page, "typeof window.document$?.subscribe === 'function'", 30)
    bundle_start = material_bundle_requested_at(s.page)
    first = s.page.evaluate("window.__firstResultAt")
    assert first is not None and bundle_start > first, (bundle_start, first)
    assert_clean(s)


# Chooses 青海 in the very task the region select is mounted in, before the form's first paint
# (when the add area below the cards is not drawn yet): a person on a fast touch screen, or
# a browser's form restore.
REGION_AT_MOUNT = """
new MutationObserver((_, observer) => {
  const select = document.querySelector("#ce-checker [data-field=region] select");
  if (!select) return;
  observer.disconnect();
  select.value = "qinghai";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.dispatchEvent(new Event("input", { bubbles: true }));
  window.__regionAtMount = true;
}).observe(document, { childList: true, subtree: true });
"""


def test_region_chosen_before_the_first_paint_of_the_form(session):
    """A region chosen before the add area is drawn: no error; the add area then offers the region's kinds."""
    s, c = session, session.checker
    s.page.add_init_script(REGION_AT_MOUNT)
    c.open()
    assert s.page.evaluate("window.__regionAtMount === true")
    s.page.wait_for_selector("#ce-add-kind")
    assert s.page.locator("#ce-checker [data-field=region] select").input_value() == "qinghai"
    bh.until(s.page, "document.querySelectorAll('.ce-add__quick [data-add-kind]').length > 0", 30)
    assert_clean(s)


RESULT_KEY = "ce-checker.result.v1"  # RESULT_KEY of site_src/js/checker/lastresult.js

FILL_STORAGE = """() => {
  // Fills localStorage until the browser refuses one more character.
  let i = 0;
  for (let size = 1 << 20; size >= 1; size >>= 1) {
    const chunk = "x".repeat(size);
    for (;;) {
      try { localStorage.setItem(`test.fill.${i}`, chunk); i += 1; } catch { break; }
    }
  }
  return i;
}"""


def test_a_save_refused_for_quota_gives_the_kept_result_up(session):
    """The result kept for the next visit shares localStorage with the saved case: the case comes first."""
    s, c = session, session.checker
    c.open()
    c.set_region("qinghai")
    i = c.add("conference")
    c.set(c.act(i), "year", 2023)
    c.set(c.act(i), "days", 3)
    c.wait_ready()
    c.settle()
    bh.until(s.page, f"localStorage.getItem({json.dumps(RESULT_KEY)}) !== null", 30)  # kept 1.5 s after the result
    assert s.page.evaluate(FILL_STORAGE) > 0
    c.set(c.act(i), "title", "全省学术年会" * 40)  # a longer case than the full storage can take
    saved = json.loads(s.page.evaluate("localStorage.getItem('ce-checker.case.v1')"))
    assert saved["activities"][i]["title"] == "全省学术年会" * 40
    assert s.page.evaluate(f"localStorage.getItem({json.dumps(RESULT_KEY)})") is None
    assert s.page.locator(".ce-storage__save").count() == 0
    assert_clean(s)


def test_checker_page_has_the_dark_scheme_before_material_runs(browser, site):
    """Material's bundle runs after the form on the checker page: the scheme a reader's system
    prefers is applied before the first paint all the same (site_src/inline/palette-early.js)."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                  color_scheme="dark", service_workers="block")
    try:
        page = context.new_page()
        page.add_init_script("""
          new MutationObserver((_, observer) => {
            if (document.querySelector("#ce-checker [data-field=region] select")) {
              window.__schemeAtForm = document.body.getAttribute("data-md-color-scheme");
              window.__materialAtForm = typeof window.document$ !== "undefined";
              observer.disconnect();
            }
          }).observe(document, { subtree: true, childList: true });
        """)
        page.goto(site.origin + "/checker/")
        page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
        assert page.evaluate("window.__materialAtForm") is False
        assert page.evaluate("window.__schemeAtForm") == "slate"
    finally:
        context.close()
