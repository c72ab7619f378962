"""Sharing a case without a server (复制链接, site_src/js/checker/share.js), in headless Chromium.

The link's fragment is `case=1.<base64url(deflate-raw(JSON envelope))>`: the tests read and
craft it with Python's zlib (an encoder and decoder independent of the page's), open links in
fresh browser contexts (another person's browser), and decode the page's QR code with jsQR
(npm, a dev dependency) run in the page.
"""
from __future__ import annotations

import base64
import json
import random
import time
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

STORE_KEY = "ce-checker.case.v1"
JSQR = bh.ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js"

# Two cases: the one saved in the browser, and the one in the link.
SAVED = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2024, "tenure_start_year": 2019},
    "activities": [{"kind": "public_course", "year": 2023, "hours": 32, "completed": True}],
}
SHARED = {
    "region": "qinghai",
    "profile": {"target_title": "intermediate", "apply_year": 2024, "tenure_start_year": 2019},
    "activities": [
        {"kind": "public_course", "year": 2022, "hours": 30, "completed": True},
        {"kind": "training", "year": 2022, "subject": "professional", "days": 5, "category": "regular",
         "title": "省水利厅业务培训"},
        {"kind": "paper", "year": 2022, "authors": 1, "rank": 1, "venue": "journal", "level": "national",
         "has_cn_number": True},
        {"kind": "public_course", "year": 2023, "hours": 24, "completed": True},
        {"kind": "conference", "year": 2023, "days": 2.5},
    ],
}


# ----------------------------------------------------------------- the link format, in Python

def encode(envelope: dict) -> str:
    """The fragment value (after `case=`) of an envelope, as casefragment.js writes it."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = raw.compress(json.dumps(envelope, ensure_ascii=False).encode("utf-8")) + raw.flush()
    return "1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(link: str) -> dict:
    value = link.split("#case=", 1)[1]
    body = value.split(".", 1)[1]
    return json.loads(zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), -15))


def current_bundle() -> str:
    from ruleset import api

    return api.metadata()["bundle"]["version"]


# ----------------------------------------------------------------- fixtures and helpers

@pytest.fixture
def person(browser, site):
    """new() -> a fresh browser context (another person's browser) with its page and recorder."""
    contexts = []

    def new(saved: dict | None = None):
        context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                      service_workers="block", accept_downloads=True)
        rec = bh.Recorder()
        rec.attach_context(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("dialog", lambda dialog: dialog.accept())
        text = None
        if saved is not None:
            text = json.dumps(saved, ensure_ascii=False)
            page.goto(site.origin + "/checker/")
            page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, text])
            page.goto("about:blank")  # the next page load reads it
        contexts.append(context)
        return SimpleNamespace(context=context, page=page, rec=rec, saved_text=text)

    yield new
    for context in contexts:
        context.close()


def assert_clean(p, origin: str) -> None:
    assert p.rec.console_errors == [], "console errors:\n" + "\n".join(p.rec.console_errors)
    assert p.rec.foreign_requests(origin) == []


def settled(page) -> None:
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)


def case_on_page(page) -> dict:
    return json.loads(page.evaluate("JSON.stringify(window.__ceChecker.caseData)"))


def stored(page) -> str | None:
    return page.evaluate("k => localStorage.getItem(k)", STORE_KEY)


def numbers(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#ce-checker [data-ce-num]", "els => Object.fromEntries(els.map(e => [e.dataset.ceNum, e.textContent.trim()]))")


def import_case(page, case: dict, path: Path) -> None:
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    page.locator("#ce-checker input[type=file]").set_input_files(str(path))
    page.wait_for_selector(f".ce-act[data-index='{len(case['activities']) - 1}']")
    settled(page)


def open_share(page) -> str:
    page.locator("[data-action=share]").click()
    page.wait_for_selector("dialog.ce-share[open]")
    return page.locator(".ce-share__link").input_value()


def qr_text(page) -> str | None:
    """The text of the dialog's QR code, decoded by jsQR from the canvas's pixels."""
    return page.evaluate(
        "() => { const module = { exports: {} }; const exports = module.exports;\n"
        + JSQR.read_text(encoding="utf-8")
        + "\n; const c = document.querySelector('.ce-share__qr');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);"
        " const r = module.exports(d.data, d.width, d.height); return r ? r.data : null; }"
    )


def assert_numbers_are_the_cli(page, case: dict, tmp_path: Path) -> None:
    expected = bh.cli_result({**case, "as_of_year": page.evaluate("new Date().getFullYear()")}, tmp_path)
    assert expected["errors"] == []
    shown = numbers(page)
    assert {f"years.{y}.total" for y in expected["years"]} <= set(shown)
    mismatches = {path: (text, bh.shown(bh.json_path(expected, path))) for path, text in shown.items()
                  if text != bh.shown(bh.json_path(expected, path))}
    assert mismatches == {}


# ----------------------------------------------------------------- tests

def test_a_link_reopens_the_same_case_and_result_in_another_browser(person, site, tmp_path):
    a = person()
    a.page.goto(site.origin + "/checker/")
    import_case(a.page, SHARED, tmp_path / "shared.json")
    made_with = numbers(a.page)
    a.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    link = open_share(a.page)
    # Before copying, the dialog says who can see the data, and how long the link is.
    dialog = a.page.locator("dialog.ce-share")
    assert dialog.get_attribute("aria-labelledby")
    assert "任何拿到此链接的人都能看到链接中的全部内容" in dialog.inner_text()
    assert a.page.locator(".ce-share__length").get_attribute("data-length") == str(len(link))
    assert a.page.locator(".ce-share__long").count() == 0
    assert link.startswith(site.origin + "/checker/#case=1.")
    a.page.locator("[data-action=share-copy]").click()
    a.page.wait_for_selector(".ce-share__status[data-copied=true]")
    assert a.page.evaluate("navigator.clipboard.readText()") == link
    # The QR code holds exactly the link.
    assert qr_text(a.page) == link
    # The envelope: the case, the rules' version and the result it was made with.
    envelope = decode(link)
    assert envelope["case"] == SHARED
    assert envelope["bundle"] == current_bundle()
    expected = bh.cli_result({**SHARED, "as_of_year": a.page.evaluate("new Date().getFullYear()")}, tmp_path)
    assert {y: s["total"] for y, s in envelope["summary"]["years"].items()} == {
        y: v["total"] for y, v in expected["years"].items()}

    b = person()  # nothing saved there: the link's case is adopted
    b.page.goto(link)
    settled(b.page)
    assert case_on_page(b.page) == SHARED
    # The form shows it (its fields, not only the state behind them).
    assert b.page.locator(".ce-act").count() == len(SHARED["activities"])
    assert b.page.locator(".ce-act[data-index='1'] [data-field=title] input").input_value() == "省水利厅业务培训"
    assert b.page.locator("#ce-checker [data-field=region] select").input_value() == "qinghai"
    assert numbers(b.page) == made_with
    assert_numbers_are_the_cli(b.page, SHARED, tmp_path)
    assert b.page.evaluate("location.hash") == ""  # taken out of the address bar
    assert json.loads(stored(b.page)) == SHARED
    assert "保存为我的案例" in b.page.locator(".ce-notice").inner_text()
    assert b.page.locator(".ce-linkbar").is_hidden()  # same rules, same result: nothing to say
    b.page.reload()
    settled(b.page)
    assert case_on_page(b.page) == SHARED
    for p in (a, b):
        assert_clean(p, site.origin)


def test_opening_a_link_never_replaces_the_saved_case_without_the_click(person, site):
    link = f"{site.origin}/checker/#case={encode({'case': SHARED})}"
    p = person(saved=SAVED)
    saved_text = p.saved_text
    page = p.page

    page.goto(link)
    settled(page)
    assert case_on_page(page) == SHARED
    bar = page.locator(".ce-linkbar[role=region]")
    assert "这是链接中的案例" in bar.inner_text()
    assert bar.get_attribute("aria-label") == "链接中的案例"
    assert stored(page) == saved_text
    # An edit of the link's case is not saved either.
    page.locator(".ce-act[data-index='0'] [data-field=hours] input").fill("31")
    page.wait_for_function("() => window.__ceChecker.caseData.activities[0].hours === 31")
    settled(page)
    assert stored(page) == saved_text
    # A reload shows the saved case: the fragment was taken out of the address bar.
    assert page.evaluate("location.hash") == ""
    page.reload()
    settled(page)
    assert case_on_page(page) == SAVED
    assert page.locator(".ce-linkbar").is_hidden()

    # 放弃: back to the saved case, untouched.
    page.goto(link)
    settled(page)
    assert case_on_page(page) == SHARED
    page.locator("[data-action=link-discard]").click()
    settled(page)
    assert case_on_page(page) == SAVED
    assert stored(page) == saved_text
    assert page.locator(".ce-linkbar").is_hidden()

    # 保存为我的案例: now, and only now, the saved case is the link's.
    page.goto(link)
    settled(page)
    assert stored(page) == saved_text
    page.locator("[data-action=link-save]").click()
    assert json.loads(stored(page)) == SHARED
    assert page.locator(".ce-linkbar").is_hidden()
    page.locator(".ce-act[data-index='0'] [data-field=hours] input").fill("29")
    page.wait_for_function("k => JSON.parse(localStorage.getItem(k)).activities[0].hours === 29", arg=STORE_KEY)
    assert_clean(p, site.origin)


def test_a_link_from_older_rules_says_so_and_lists_what_changed(person, site, tmp_path):
    a = person()
    a.page.goto(site.origin + "/checker/")
    import_case(a.page, SHARED, tmp_path / "shared.json")
    envelope = decode(open_share(a.page))
    summary = json.loads(json.dumps(envelope["summary"]))  # a copy: `envelope` is used again below
    y2022 = summary["years"]["2022"]
    professional = y2022["professional"]
    # As if the rules of the day had credited 2022 with 60 more professional hours.
    y2022["professional"] = professional + 60
    y2022["total"] = y2022["total"] + 60
    y2022["met"] = not y2022["met"]
    older = {**envelope, "bundle": "1.0000000000000000", "made": "2025-03-01", "summary": summary}

    b = person()
    b.page.goto(f"{site.origin}/checker/#case={encode(older)}")
    settled(b.page)
    report = b.page.locator(".ce-linkbar__report[data-state=changed]")
    text = report.inner_text()
    assert report.get_attribute("data-rules-changed") == "true"
    assert "规则已更新" in text and "2025-03-01" in text
    assert "1.0000000000000000" in text and current_bundle() in text
    lines = report.locator("li").all_inner_texts()
    was = "达标" if y2022["met"] else "未达标"
    now = "未达标" if y2022["met"] else "达标"
    assert lines == [f"2022 年：专业科目 {professional + 60} → {professional}，"
                     f"合计 {y2022['total']} → {y2022['total'] - 60} 学时，{was} → {now}"]
    # The case itself opens as it was.
    assert case_on_page(b.page) == SHARED

    # Older rules but the same result: the page says the rules changed, and nothing for this case.
    same = {**envelope, "bundle": "1.0000000000000000"}
    c = person()
    c.page.goto(f"{site.origin}/checker/#case={encode(same)}")
    settled(c.page)
    report = c.page.locator(".ce-linkbar__report[data-state=same]")
    assert "规则已更新" in report.inner_text()
    assert "没有变化" in report.inner_text()
    c.page.locator("[data-action=link-dismiss]").click()
    assert c.page.locator(".ce-linkbar").is_hidden()
    for p in (a, b, c):
        assert_clean(p, site.origin)


def _bomb() -> str:
    """A link whose JSON inflates past the 4 MB bound."""
    return encode({"case": {"region": "qinghai", "activities": [], "pad": "0" * (5 * 1024 * 1024)}})


@pytest.mark.parametrize(("value", "message"), [
    ("cut", "链接已损坏"),
    ("9.AAAA", "链接格式无法识别"),
    ("1.@@@@", "链接已损坏（编码无效）"),
    ("bomb", "超过 4 MB"),
    ("list", "activities 应为列表"),
    ("deep", "嵌套超过 32 层"),
])
def test_a_broken_link_says_why_and_leaves_the_saved_case(person, site, value, message):
    good = encode({"case": SHARED})
    fragment = {
        "cut": good[: len(good) // 2],
        "bomb": _bomb(),
        "list": encode({"case": {"region": "qinghai", "activities": {"kind": "paper"}}}),
        "deep": encode({"case": {"region": "qinghai", "activities": [], "x": json.loads("[" * 40 + "]" * 40)}}),
    }.get(value, value)
    p = person(saved=SAVED)
    saved_text = p.saved_text
    p.page.goto(f"{site.origin}/checker/#case={fragment}")
    settled(p.page)
    notice = p.page.locator(".ce-notice.ce-notice--error")
    assert message in notice.inner_text()
    assert "无法打开链接中的案例" in notice.inner_text() and "本机保存的案例未改动" in notice.inner_text()
    assert case_on_page(p.page) == SAVED
    assert stored(p.page) == saved_text
    assert p.page.evaluate("location.hash") == ""
    assert_clean(p, site.origin)


def _long_case(titles: int, length: int) -> dict:
    """A case with `titles` activities whose titles are random Chinese text (they hardly compress)."""
    rng = random.Random(titles * 1000 + length)
    acts = [{"kind": "public_course", "year": 2023, "hours": 1, "completed": True,
             "title": "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length))} for _ in range(titles)]
    return {**SAVED, "activities": acts}


def test_a_long_link_warns_offers_the_file_and_has_a_qr_only_when_it_fits(person, site, tmp_path):
    p = person()
    page = p.page
    page.goto(site.origin + "/checker/")
    # Between 2,000 characters and what a QR code holds: the warning, and a QR that decodes.
    import_case(page, _long_case(8, 90), tmp_path / "long.json")
    link = open_share(page)
    assert 2000 < len(link) <= 2953
    assert page.locator(".ce-share__length").get_attribute("data-long") == "true"
    warning = page.locator(".ce-share__long").inner_text()
    assert "2,000" in warning and "微信" in warning
    with page.expect_download() as info:
        page.locator("[data-action=share-export]").click()
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == case_on_page(page)
    modules = int(page.locator(".ce-share__qr").get_attribute("data-modules"))
    assert modules >= 17 + 4 * 30  # a link this long needs a version past 30
    assert qr_text(page) == link
    page.locator("[data-action=share-close]").click()
    page.wait_for_selector("dialog.ce-share:not([open])", state="attached")

    # Past what a QR code holds: no QR, and the page says why.
    import_case(page, _long_case(40, 90), tmp_path / "longer.json")
    link = open_share(page)
    assert len(link) > 2953
    assert page.locator(".ce-share__qr").count() == 0
    reason = page.locator(".ce-share__noqr").inner_text()
    assert f"{len(link):,}" in reason and "2,953" in reason
    # Such a link still opens the whole case.
    b = person()
    b.page.goto(link)
    settled(b.page)
    assert case_on_page(b.page) == case_on_page(page)
    for q in (p, b):
        assert_clean(q, site.origin)


def test_the_print_view_hides_the_link_bar(person, site):
    p = person(saved=SAVED)
    p.page.goto(f"{site.origin}/checker/#case={encode({'case': SHARED})}")
    settled(p.page)
    assert p.page.locator(".ce-linkbar").is_visible()
    p.page.emulate_media(media="print")
    assert p.page.locator(".ce-linkbar").is_hidden()
    assert p.page.locator(".ce-years").is_visible()
    p.page.emulate_media(media="screen")


def test_a_link_pasted_into_an_open_page_keeps_a_case_another_tab_saved(person, site):
    p = person()
    page = p.page
    page.goto(site.origin + "/checker/")
    settled(page)  # an empty form: this page has no case of its own
    text = json.dumps(SAVED, ensure_ascii=False)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_KEY, text])  # saved in another tab
    page.evaluate("v => { location.hash = '#case=' + v; }", encode({"case": SHARED}))
    page.wait_for_selector(".ce-linkbar[role=region]")
    settled(page)
    assert case_on_page(page) == SHARED
    assert stored(page) == text
    assert_clean(p, site.origin)


def test_a_link_opens_offline_once_the_site_is_stored(browser, site):
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                  service_workers="allow")
    rec = bh.Recorder()
    rec.attach_context(context)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(site.origin + "/checker/")
        settled(page)
        # Stored for offline use: the service worker is active (site.js notes its version).
        deadline = time.monotonic() + bh.BOOT_TIMEOUT_MS / 1000
        while not page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!(r && r.active &&"
                                " r.active.state === 'activated') && !!localStorage.getItem('ce-site.version'))"):
            assert time.monotonic() < deadline, "the service worker did not store the site"
            time.sleep(0.2)
        context.set_offline(True)
        other = page
        other.goto(site.origin + "/")  # another page of the site first: the link then loads the page anew
        other.goto(f"{site.origin}/checker/#case={encode({'case': SHARED, 'bundle': current_bundle()})}")
        settled(other)
        assert case_on_page(other) == SHARED
        assert other.evaluate("!!navigator.serviceWorker.controller")
        assert other.locator("[data-ce-num='years.2022.total']").inner_text().strip() != ""
        assert rec.console_errors == [], "\n".join(rec.console_errors)
    finally:
        context.close()
