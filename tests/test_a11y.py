"""Accessibility of the built site: axe-core audits and the checker by keyboard (issue 14 §4).

axe-core (npm, pinned in package.json; the site does not ship it) is evaluated into each page
from node_modules by the test and run (with target-size, 24 px touch targets, switched on) on
the home page, the search with results, two policy pages (Qinghai 2024's annex tables, Binzhou's
wide tables), the changes and 案例格式 pages, a rule reference page and the checker (while the
engine loads, ready and empty, with a case showing results, reading alternatives, the plan and
an input error, and after a failed load of the engine or of the form's data), at 390x844
(touch) and 1280x900, in the light and then, on the same page, the dark (Material's slate)
scheme, applied as Material applies a palette (its body attributes; that a reader whose system
prefers dark gets it at once is tested in test_browser.py). Any serious or critical violation
fails the test and is printed: rule, impact, target, summary. Re-run after
a merge: `pytest tests/test_a11y.py`.

The keyboard test tabs through the checker with a case: every control is reached by Tab, shows
a visible focus, and adding an activity, changing its kind, choosing a reading and opening a
details block work from the keyboard alone.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import browser_helpers as bh

pytestmark = pytest.mark.browser

AXE_JS = bh.ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")
STORE_KEY = "ce-checker.case.v1"  # STORE_KEY of site_src/js/checker/store.js

# Qinghai, applying in 2024 (the page's clock is fixed in 2024, so the plan is shown): a
# provincial project member (a reading with another number), papers and training short of the
# requirement, and an activity with a bad value (its message at its field).
CASE = {
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
        {"kind": "paper", "year": 2024, "authors": 3, "rank": 1, "venue": "journal", "has_cn_number": True},
        {"kind": "training", "year": 2024, "subject": "professional", "days": 3},
        {"kind": "lecture", "year": 2024, "hours": -2, "title": "学时填错的讲座"},
    ],
}
NOW = "2024-06-15T10:00:00"


# ----------------------------------------------------------------- axe

def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: run `npm ci` (axe-core is pinned in package.json)", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def audit(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    # Two frames: what site.js does after a page is shown (scroll boxes) is done.
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")  # evaluated by DevTools: the page's CSP does not apply
    return page.evaluate(
        """async (blocking) => {
          // target-size (WCAG 2.2 AA, 24 px targets for touch) is off by default: on here.
          const r = await axe.run(document, { resultTypes: ["violations"], rules: { "target-size": { enabled: true } } });
          return r.violations.filter((v) => blocking.includes(v.impact)).map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })),
          }));
        }""",
        list(BLOCKING),
    )


def describe(violations: list[dict], where: str) -> str:
    lines = [f"axe-core: {len(violations)} serious/critical rule(s) violated on {where}"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)]")
        for n in v["nodes"][:8]:
            summary = " ".join(n["summary"].split())
            lines.append(f"    {n['target']}\n      {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# The dark palette of mkdocs.yml applied as Material's palette toggle applies it: the chosen
# palette input's data-md-color-* attributes on <body>.
TO_DARK = """() => {
  const input = [...document.querySelectorAll("[data-md-component=palette] input[data-md-color-scheme]")]
    .find((i) => i.getAttribute("data-md-color-scheme") === "slate");
  if (!input) return false;
  for (const key of ["media", "scheme", "primary", "accent"]) {
    document.body.setAttribute(`data-md-color-${key}`, input.getAttribute(`data-md-color-${key}`));
  }
  return true;
}"""


def to_dark(page) -> None:
    # (not by emulating the media: Material answers its change by re-applying the chosen palette)
    # Without colour transitions: mid-way colours are no one's, and those of a block the browser
    # skips rendering (content-visibility) would stay mid-way until it is scrolled into view.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    assert page.evaluate(TO_DARK), "no dark (slate) palette on the page"


# ----------------------------------------------------------------- page states

def open_all_details(page) -> None:
    page.evaluate("document.querySelectorAll('article details').forEach((d) => { d.open = true; })")


def seed(context, case: dict) -> None:
    context.add_init_script(f"localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(json.dumps(case))});")


def open_checker(page, origin: str) -> None:
    page.goto(origin + "/checker/")
    page.wait_for_selector("#ce-checker[data-ce-mounted=ready]")


def wait_ready(page) -> None:
    page.wait_for_selector(".ce-status[data-stage=ready]", timeout=bh.BOOT_TIMEOUT_MS)
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)


def state_home(s):
    s.page.goto(s.origin + "/")


def state_policy(s):
    s.page.goto(s.origin + "/policies/qinghai-2024-192/")
    open_all_details(s.page)


def state_policy_wide_tables(s):
    s.page.goto(s.origin + "/policies/binzhou-2021-7/")
    open_all_details(s.page)


def state_changes(s):
    s.page.goto(s.origin + "/changes/qinghai/")


def state_case_format(s):
    s.page.goto(s.origin + "/case-format/")


def state_reference(s):
    s.page.goto(s.origin + "/reference/qinghai/")
    open_all_details(s.page)


def state_search(s):
    s.page.goto(s.origin + "/")
    button = s.page.locator("label.md-header__button[for=__search]").first  # phones: the magnifier
    (button if button.is_visible() else s.page.locator("input.md-search__input")).click()
    s.page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')",
                             timeout=60_000)  # the index is built
    s.page.locator("input.md-search__input").fill("学时")
    s.page.keyboard.press("End")  # Material queries on key events, which fill() does not send
    s.page.wait_for_selector(".md-search-result__item", timeout=60_000)


def state_checker_loading(s):
    # The worker's download is held until the audit is done: the form and the loading stages.
    s.page.route("**/pyodide.asm.wasm*", lambda route: None)
    open_checker(s.page, s.origin)
    s.page.wait_for_selector(".ce-status[data-stage]")


def state_checker_empty(s):
    open_checker(s.page, s.origin)
    wait_ready(s.page)


def state_checker_case(s):
    s.page.clock.set_fixed_time(NOW)
    seed(s.context, CASE)
    open_checker(s.page, s.origin)
    wait_ready(s.page)
    s.page.wait_for_selector(".ce-plan")
    s.page.wait_for_selector("details.ce-alt")
    # Cards far from the viewport show only their heading (cards.js): bring the activities into view.
    s.page.locator(".ce-act").last.scroll_into_view_if_needed()
    s.page.wait_for_selector(".ce-field--invalid")
    open_all_details(s.page)


def state_checker_engine_failed(s):
    s.page.route("**/pyodide.asm.wasm*", lambda route: route.fulfill(status=500, body="server error"))
    open_checker(s.page, s.origin)
    s.page.wait_for_selector(".ce-status[data-stage=error]", timeout=bh.BOOT_TIMEOUT_MS)
    open_all_details(s.page)


def state_checker_form_failed(s):
    bh.without_form_data(s.page, s.origin)  # (the page carries the form's data: downloaded without it)
    s.page.route("**/assets/checker/schema.json*", lambda route: route.fulfill(status=500, body="server error"))
    s.page.goto(s.origin + "/checker/")
    s.page.wait_for_selector("#ce-checker[data-ce-mounted=error] .ce-load-failure", timeout=40_000)
    open_all_details(s.page)


def state_batch_empty(s):
    s.page.goto(s.origin + "/batch/")
    s.page.wait_for_selector("#ce-batch-file", state="attached")


def state_batch_results(s):
    from test_browser_batch import as_csv, unit_rows

    state_batch_empty(s)
    s.page.set_input_files("#ce-batch-file", {"name": "staff.csv", "mimeType": "text/csv",
                                              "buffer": as_csv(unit_rows(12))})
    s.page.wait_for_selector(".ce-batch__status[data-state=done]", timeout=bh.BOOT_TIMEOUT_MS)
    open_all_details(s.page)


STATES = {
    "home": state_home,
    "search": state_search,
    "policy": state_policy,
    "policy-wide-tables": state_policy_wide_tables,
    "changes": state_changes,
    "case-format": state_case_format,
    "reference": state_reference,
    "checker-loading": state_checker_loading,
    "checker-empty": state_checker_empty,
    "checker-case": state_checker_case,
    "checker-engine-failed": state_checker_engine_failed,
    "checker-form-failed": state_checker_form_failed,
    "batch-empty": state_batch_empty,
    "batch-results": state_batch_results,
}


def new_session(browser, site, viewport: str, scheme: str):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        color_scheme=scheme,
        locale="zh-CN",
        service_workers="block",
        has_touch=viewport == "390",
        is_mobile=False,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return SimpleNamespace(context=context, page=page, origin=site.origin)


@pytest.fixture(params=list(VIEWPORTS))
def session(request, browser, site):
    s = new_session(browser, site, request.param, "light")
    s.where = f"{request.param}px"
    yield s
    s.context.close()


# ----------------------------------------------------------------- tests

@pytest.mark.parametrize("state", list(STATES))
def test_no_serious_or_critical_axe_violation(session, state):
    page = session.page
    STATES[state](session)
    failures = []
    for scheme in SCHEMES:
        if scheme == "dark":
            to_dark(page)
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == ("slate" if scheme == "dark" else "default"), (scheme, shown)
        violations = audit(page)
        if violations:
            failures.append(describe(violations, f"{state} ({session.where}, {scheme}, {page.url})"))
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


# ----------------------------------------------------------------- keyboard

# What can take the focus, and a signature of how it looks (to tell a visible focus).
FOCUSABLE = ('a[href], button, input:not([type=hidden]), select, textarea, summary, '
             '[tabindex]:not([tabindex="-1"])')
LOOK = ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor", "borderTopColor",
        "borderBottomColor", "color", "textDecorationLine")

# The controls of the checker a person must reach: enabled, shown, not a hidden stand-in
# (tabindex -1 and aria-hidden: the file input behind 导入 JSON), not inside a closed <details>
# (its summary excepted); of a group of radio buttons one stands for the group (arrow keys move
# within it). Each gets data-kb, its key, and is returned as {key: description}.
_TAG_CONTROLS = """(sel) => {
  const root = document.getElementById("ce-checker");
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const hiddenInDetails = (el) => {
    for (let d = el.closest("details:not([open])"); d; d = d.parentElement?.closest("details:not([open])")) {
      if (!(el.tagName === "SUMMARY" && el.parentElement === d)) return true;
    }
    return false;
  };
  const out = {};
  let n = 0;
  for (const el of root.querySelectorAll(sel)) {
    const standIn = el.tabIndex < 0 && el.getAttribute("aria-hidden") === "true";
    if (el.disabled || standIn || el.closest("[inert], [hidden]") || !shown(el) || hiddenInDetails(el)) continue;
    const key = el.type === "radio" ? `radio:${el.name}` : `el:${n++}`;
    el.dataset.kb = key;
    out[key] = `${el.tagName.toLowerCase()}${el.type ? `[type=${el.type}]` : ""} "${(el.getAttribute("aria-label") || el.textContent || el.name || el.id || "").trim().slice(0, 40)}"`
      + (el.closest("[data-field]") ? ` in field ${el.closest("[data-field]").dataset.field}` : "")
      + (el.closest(".ce-act") ? ` of activity ${el.closest(".ce-act").dataset.index}` : "");
  }
  return out;
}"""

_ACTIVE = """(props) => {
  const el = document.activeElement;
  const root = document.getElementById("ce-checker");
  if (!el || !root.contains(el)) return { inside: false };
  const cs = getComputedStyle(el);
  return { inside: true, key: el.dataset.kb || null, visible: el.matches(":focus-visible"),
           look: props.map((p) => cs[p]), tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim().slice(0, 30) };
}"""


def focus_checker_start(page) -> None:
    """Sequential focus starts just before the checker (a focused tabindex=-1 element is the start point)."""
    page.evaluate("""() => { const r = document.getElementById("ce-checker");
      r.setAttribute("tabindex", "-1"); r.focus(); r.removeAttribute("tabindex"); }""")


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def case_on_page(page) -> dict:
    return json.loads(page.evaluate("JSON.stringify(window.__ceChecker.caseData)"))


@pytest.fixture(params=["1280", "390"])
def keyboard_session(request, browser, site):
    s = new_session(browser, site, request.param, "light")
    s.page.clock.set_fixed_time(NOW)
    seed(s.context, CASE)
    open_checker(s.page, s.origin)
    wait_ready(s.page)
    s.page.wait_for_selector(".ce-plan")
    yield s
    s.context.close()


def test_every_checker_control_is_reached_by_tab_with_a_visible_focus(keyboard_session):
    page = keyboard_session.page
    controls = page.evaluate(_TAG_CONTROLS, FOCUSABLE)
    assert len(controls) > 50, controls  # form, cards, readings, results, plan
    focus_checker_start(page)
    reached, looks, entered = {}, {}, False
    for _ in range(1500):
        page.keyboard.press("Tab")
        now = page.evaluate(_ACTIVE, list(LOOK))
        if not now["inside"]:
            if entered:
                break
            continue
        entered = True
        key = now["key"] or f"untagged {now['tag']} {now['text']!r}"
        reached[key] = now
        looks[key] = now["look"]
    else:
        raise AssertionError("Tab kept the focus inside the checker (a focus trap?)")
    missing = [v for k, v in controls.items() if k not in reached]
    if missing:
        pytest.fail("controls of the checker that Tab never reaches:\n" + "\n".join(missing), pytrace=False)

    # Visible focus: focused by the keyboard, each control looks different from the same control unfocused.
    page.evaluate("document.activeElement?.blur()")
    unfocused = page.evaluate(
        """(props) => Object.fromEntries([...document.querySelectorAll("#ce-checker [data-kb]")].map((el) => {
             const cs = getComputedStyle(el); return [el.dataset.kb, props.map((p) => cs[p])]; }))""",
        list(LOOK))
    invisible = [controls[k] for k, look in looks.items()
                 if k in controls and (not reached[k]["visible"] or look == unfocused.get(k))]
    if invisible:
        pytest.fail("controls without a visible focus:\n" + "\n".join(invisible), pytrace=False)


def test_the_checker_is_operated_by_keyboard_alone(keyboard_session):
    page = keyboard_session.page
    before = case_on_page(page)["activities"]
    focus_checker_start(page)

    # Add an activity: the kind list, an arrow key, Tab to 添加, Enter.
    tab_to(page, "#ce-add-kind")
    kind = page.eval_on_selector("#ce-add-kind", "(el) => el.value")
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#ce-add-kind", "(el) => el.value")
    assert chosen != kind
    tab_to(page, "[data-action=add]", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_selector(f".ce-act[data-index='{len(before)}']")
    added = case_on_page(page)["activities"]
    assert len(added) == len(before) + 1 and added[-1]["kind"] == chosen, added[-1]

    # Change its kind: Tab reaches the card's kind list, an arrow key changes it.
    card = f".ce-act[data-index='{len(before)}']"
    tab_to(page, f"{card} [data-field=kind] select")
    page.keyboard.press("ArrowDown")
    changed = page.eval_on_selector(f"{card} [data-field=kind] select", "(el) => el.value")
    assert changed != chosen
    page.wait_for_function("([i, k]) => window.__ceChecker.caseData.activities[i]?.kind === k",
                           arg=[len(before), changed])
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)

    # Choose the other reading of a clause: Tab reaches the chosen radio button, an arrow key moves the choice.
    reading = "qinghai.project_member_per_year"
    box = f"fieldset.ce-reading[data-reading='{reading}']"
    tab_to(page, f"{box} input[type=radio]")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("(r) => (window.__ceChecker.caseData.readings || {})[r] === 'per_year'", arg=reading)
    page.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)
    assert page.locator(f"{box} input[value=per_year]").is_checked()

    # Open a details block (the plan's options): Tab to its summary, Enter.
    summary = "details.ce-plan__options > summary"
    focus_checker_start(page)
    tab_to(page, summary)
    assert not page.eval_on_selector(summary, "(el) => el.parentElement.open")
    page.keyboard.press("Enter")
    assert page.eval_on_selector(summary, "(el) => el.parentElement.open")
    page.keyboard.press(" ")
    assert not page.eval_on_selector(summary, "(el) => el.parentElement.open")
