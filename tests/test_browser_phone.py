"""The checker on a phone (390 x 844, touch): a person enters a Qinghai engineer's record of
twelve activities and sees the verdict; the page fits the screen.

The person is a script that acts as a person would and counts what it does:
- a tap is a tap on a control (a button, a chip, a radio, a checkbox; a <select> costs two: open
  the picker, pick the option; a text field costs one to put the cursor in it, none when it
  already has the focus);
- a keystroke is a character typed or a special key (each Backspace that clears a wrong default).
It never scrolls for a control (scrolling is not counted: Playwright brings the control into view)
and it leaves alone a value the page already shows correctly. Where the page offers a shortcut
(a year chip, a one-tap kind, 每年一次) the person takes it; where it does not, the plain way.

The baseline is the same person on main's page (commit ab1ca79, 2026-11-27): the numbers are
BASELINE_TAPS and BASELINE_KEYS below. The entered case must give the CLI's result.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

# Counted on main's page (ab1ca79) by test_engineer_enters_a_dozen_activities, 2026-11-27
# (this file run against a checkout of ab1ca79: 64 taps, 69 keystrokes).
BASELINE_TAPS = 64
BASELINE_KEYS = 69

PHONE = {"width": 390, "height": 844}

PROFILE = {"target_title": "intermediate", "apply_year": 2026, "tenure_start_year": 2020}

# The engineer's record, year by year as the person goes through the certificates:
# (kind, fields, repeat). The yearly public course is one course taken each year at the same
# hours: repeat=N on its first year says it recurs up to year N (where the page offers
# 每年一次, one tap there covers the later years, whose entries are then skipped; repeat=0
# marks such a later entry).
STEPS = [
    ("training", {"year": 2021, "days": 5}, None),
    ("public_course", {"year": 2021, "hours": 30}, 2023),
    ("paper", {"year": 2022, "authors": 1, "has_cn_number": True}, None),
    ("paper", {"year": 2022, "authors": 3, "rank": 2, "has_cn_number": True}, None),
    ("public_course", {"year": 2022, "hours": 30}, 0),
    ("research_project", {"year": 2023, "level": "provincial", "role": "member", "start_year": 2022,
                          "completed": True}, None),
    ("public_course", {"year": 2023, "hours": 30}, 0),
    ("training", {"year": 2024, "hours": 24, "category": "exam_prep"}, None),
    ("public_course", {"year": 2024, "hours": 45}, 2025),
    ("conference", {"year": 2025, "days": 3}, None),
    ("public_course", {"year": 2025, "hours": 45}, 0),
    ("degree", {"year": 2025}, None),
]


def record() -> dict:
    return {"region": "qinghai", "profile": PROFILE,
            "activities": [{"kind": kind, **fields} for kind, fields, _ in STEPS]}


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2,
                                  locale="zh-CN", service_workers="block")
    rec = bh.Recorder()
    rec.attach_context(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: dialog.accept())
    yield SimpleNamespace(context=context, page=page, rec=rec, origin=site.origin)
    context.close()


class Person:
    """Enters values as a person on a phone would, counting taps and keystrokes."""

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.keys = 0
        self.log: list[str] = []

    def tap(self, locator, what: str) -> None:
        locator.tap()
        self.taps += 1
        self.log.append(f"tap {what}")

    def focused(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def type(self, locator, text: str, what: str) -> None:
        current = locator.input_value()
        if current == text:
            return
        if not self.focused(locator):
            self.tap(locator, what)
        locator.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
        for _ in current:
            self.page.keyboard.press("Backspace")
        self.page.keyboard.type(text)
        self.keys += len(current) + len(text)
        self.log.append(f"type {what}: {len(current)} deleted, {text!r}")

    def select(self, select, value: str, what: str) -> None:
        if select.input_value() == value:
            return
        select.select_option(value)
        self.taps += 2  # open the picker, pick the option
        self.log.append(f"select {what} = {value}")

    def set_field(self, field, name: str, value) -> None:
        """One field (a [data-field] element) to a value, by the cheapest control it offers."""
        text = json.dumps(value) if isinstance(value, bool) else str(value)
        chip = field.locator(f"[data-chip='{text}']")
        if chip.count() and chip.first.is_visible():
            if chip.first.get_attribute("aria-pressed") != "true":
                self.tap(chip.first, f"{name} chip {text}")
            return
        radio = field.locator(f"input[type=radio][value='{text}']")
        if radio.count():
            if not radio.is_checked():
                self.tap(field.locator(f"label:has(input[type=radio][value='{text}'])"), f"{name} {text}")
            return
        select = field.locator("select")
        if select.count():
            self.select(select, text, name)
            return
        box = field.locator("input[type=checkbox]")
        if box.count():
            if box.is_checked() != bool(value):
                self.tap(box, name)
            return
        self.type(field.locator("input"), text, name)


def in_view(page, locator) -> bool:
    """Wholly inside the viewport and below Material's header."""
    box = locator.bounding_box()
    header = page.locator(".md-header").bounding_box()
    return bool(box) and box["y"] >= header["y"] + header["height"] - 1 and box["y"] + box["height"] <= PHONE["height"]


def settle(page) -> None:
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)


def add_activity(person: Person, page, kind: str) -> int:
    """A new card of a kind: a one-tap kind button where the page shows one (opening 更多类型
    first when it is there), else the select and 添加活动."""
    before = page.locator(".ce-act").count()
    quick = page.locator(f"#ce-checker [data-add-kind='{kind}']")
    more = page.locator("#ce-checker details.ce-add__more")
    if quick.count() and not quick.first.is_visible() and more.count() and more.get_attribute("open") is None:
        person.tap(more.locator("summary"), "更多类型")
    if quick.count() and quick.first.is_visible():
        person.tap(quick.first, f"add {kind}")
    else:
        person.select(page.locator("#ce-add-kind"), kind, "kind to add")
        person.tap(page.locator("[data-action=add]"), "添加活动")
    page.wait_for_selector(f".ce-act[data-index='{before}']")
    return before


def fill_card(person: Person, card, fields: dict) -> None:
    """The fields of a card; the one that has the focus first (no tap to reach it)."""
    order = list(fields)
    focused = card.evaluate("el => el.querySelector('[data-field]:focus-within')?.dataset.field || null")
    if focused in fields:
        order.remove(focused)
        order.insert(0, focused)
    for name in order:
        person.set_field(card.locator(f"[data-field={name}]").first, name, fields[name])


def enter_record(person: Person, page) -> None:
    root = page.locator("#ce-checker")
    person.select(root.locator("[data-field=region] select"), "qinghai", "region")
    for name, value in PROFILE.items():
        person.set_field(root.locator(f".ce-profile [data-field={name}]"), name, value)
    repeated = False  # the page's 每年一次 covered the later years of the series
    for kind, fields, repeat in STEPS:
        if repeat == 0 and repeated:
            continue
        i = add_activity(person, page, kind)
        card = page.locator(f".ce-act[data-index='{i}']")
        fill_card(person, card, fields)
        if repeat:
            chip = card.locator(f"[data-repeat-until='{repeat}']")
            repeated = chip.count() > 0
            if repeated:
                person.tap(chip.first, f"每年一次 until {repeat}")


def test_engineer_enters_a_dozen_activities(phone, tmp_path):
    page = phone.page
    page.goto(phone.origin + "/checker/")
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    person = Person(page)
    enter_record(person, page)
    page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    settle(page)
    print(f"\nphone entry: {person.taps} taps, {person.keys} keystrokes")
    print("\n".join(person.log))

    # The case on the page is the record (the page fills schema defaults the person did not enter).
    wanted = record()
    case = json.loads(page.evaluate("JSON.stringify(window.__ceChecker.caseData)"))
    assert case["region"] == wanted["region"] and case["profile"] == wanted["profile"]
    assert len(case["activities"]) == len(wanted["activities"]) == 12
    # Each activity of the record once (a 每年一次 series sits together; the plain way keeps the years' order).
    left = list(case["activities"])
    for want in wanted["activities"]:
        k = next((k for k, got in enumerate(left) if {f: got.get(f) for f in want} == want), None)
        assert k is not None, f"not entered: {want}"
        left.pop(k)
    # The page's result is the CLI's for the same case.
    as_of = page.evaluate("new Date().getFullYear()")
    expected = bh.cli_result({**case, "as_of_year": as_of}, tmp_path)
    assert expected["errors"] == []
    shown = json.loads(page.evaluate("JSON.stringify(window.__ceChecker.view.result)"))
    assert shown == expected

    # The verdict is in view while a card is being edited, without scrolling for it.
    field = page.locator(".ce-act[data-index='0'] [data-field=year] input")
    field.evaluate("el => { el.closest('.ce-act').querySelector('.ce-act__toggle').click(); el.focus(); }")
    bar = page.locator(".ce-vbar")
    assert in_view(page, bar) and in_view(page, field)
    assert "尚不符合" in bar.inner_text() and expected["application"]["met"] is False
    for year in expected["application"]["missing_years"]:
        assert str(year) in bar.inner_text()
    # Its jump takes the reader to the results.
    person.tap(bar.locator("[data-action=jump]"), "查看结果")
    page.wait_for_timeout(300)
    heading = page.locator("#ce-h-results")
    assert in_view(page, heading) and heading.evaluate("el => el === document.activeElement")

    # Half today's taps and keystrokes, or fewer.
    assert person.taps * 2 <= BASELINE_TAPS, (person.taps, BASELINE_TAPS)
    assert person.keys * 2 <= BASELINE_KEYS, (person.keys, BASELINE_KEYS)
    assert phone.rec.console_errors == []


def open_with(phone, case: dict) -> None:
    """The checker with a case saved in the browser before the page loads."""
    phone.context.add_init_script(
        "if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem('ce-checker.case.v1', {json.dumps(json.dumps(case))}); }}")
    phone.page.goto(phone.origin + "/checker/")
    phone.page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")
    phone.page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    settle(phone.page)


def scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_checker_fits_the_phone_and_back_returns_to_the_place(phone):
    page = phone.page
    open_with(phone, record())
    # Folded cards: one line each, none open, the verdict bar there.
    cards = page.locator(".ce-act")
    assert cards.count() == 12 and page.locator(".ce-act--folded").count() == 12
    assert all(b["height"] < 80 for b in (c.bounding_box() for c in cards.all()))
    # Nothing wider than the screen: the years and the activities as stacked cards.
    assert scroll_width(page) <= PHONE["width"]
    years = page.locator(".ce-years tr[data-year]")
    assert years.count() >= 5
    for row in years.all():
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        verdict = row.locator(".ce-years__verdict").bounding_box()
        assert verdict["x"] + verdict["width"] <= PHONE["width"] and verdict["width"] > 150
    detail = page.locator(".ce-detail__table tbody tr").first
    detail.scroll_into_view_if_needed()
    assert detail.bounding_box()["x"] + detail.bounding_box()["width"] <= PHONE["width"]
    # An open card: its radios and checkboxes are at least 24 px; still nothing wider than the screen.
    page.locator(".ce-act[data-index='5'] .ce-act__toggle").tap()
    page.wait_for_selector(".ce-act[data-index='5']:not(.ce-act--folded) [data-field=level] input[type=radio]")
    boxes = page.locator("#ce-checker input[type=radio], #ce-checker input[type=checkbox]")
    sizes = [b.bounding_box() for b in boxes.all() if b.is_visible()]
    assert sizes and all(b["width"] >= 24 and b["height"] >= 24 for b in sizes), sizes
    assert scroll_width(page) <= PHONE["width"]

    # To a clause and back: the checker returns to the same place.
    link = page.locator(".ce-act[data-index='5'] .ce-row__source a.ce-source")
    link.scroll_into_view_if_needed()
    y = page.evaluate("window.scrollY")
    assert y > 1000
    card_top = page.locator(".ce-act[data-index='5']").bounding_box()["y"]
    link.tap()
    page.wait_for_selector("#ce-checker", state="detached")
    page.go_back()
    page.wait_for_selector("#ce-checker[data-ce-returned=true]", timeout=bh.BOOT_TIMEOUT_MS)
    # The same card at the same place on the screen (what is above it may be drawn otherwise).
    assert page.evaluate("window.scrollY") > 1000
    assert abs(page.locator(".ce-act[data-index='5']").bounding_box()["y"] - card_top) < 50
    assert link.is_visible() and 0 < link.bounding_box()["y"] < PHONE["height"]
    assert phone.rec.console_errors == []


def test_policy_page_fits_and_a_cited_clause_clears_the_header(phone):
    page = phone.page
    for anchor in ("annex2-paper", "s6-8", "annex2-reading"):
        page.goto(f"{phone.origin}/policies/qinghai-2024-192/#{anchor}")
        page.wait_for_timeout(500)
        target = page.locator(f"[id='{anchor}']")
        el = target.evaluate_handle("el => el.closest('tr') || el")
        box = el.as_element().bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert box["y"] >= header["y"] + header["height"], (anchor, box, header)
        assert scroll_width(page) <= PHONE["width"]
    # Annex tables keep their text columns readable (wider than five characters).
    narrow = page.evaluate("""() => [...document.querySelectorAll('.md-typeset table td')]
        .filter((td) => td.textContent.trim().length > 40 && td.getBoundingClientRect().width < 110).length""")
    assert narrow == 0
    # Material's back-to-top button covers no heading: it sits in a corner, out of the text.
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(600)
    top = page.locator(".md-top")
    if top.is_visible():
        box = top.bounding_box()
        assert box["x"] > PHONE["width"] / 2 and box["y"] > PHONE["height"] / 2, box
    assert phone.rec.console_errors == []
