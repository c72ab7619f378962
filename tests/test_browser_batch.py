"""The batch page (单位批量核算) in headless Chromium against the built site: a generated unit of
50 people with a few bad rows is dropped on the page, and what the page shows and exports is
compared with `python -m ruleset batch` on the same file."""
from __future__ import annotations

import base64
import csv
import io
import json
import random
import subprocess
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

import browser_helpers as bh
from ruleset.batch import layout, read
from ruleset.batch.compute import Checker

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
H = {c.key: c.header for c in layout().columns}  # case key -> the template's header
HEADERS = layout().headers
STORE_KEY = "ce-checker.case.v1"  # STORE_KEY of site_src/js/checker/store.js
REGIONS = ["青海省", "青岛市", "常德市", "滨州市"]
TITLES = ["初级", "中级", "副高级", "正高级"]


def unit_rows(people: int, seed: int = 3) -> list[dict]:
    """A unit's sheet ({header: value} rows): each person's region and profile on their first row,
    common activities; three bad rows and one person with two regions."""
    rng = random.Random(seed)
    rows = []
    for n in range(people):
        name = f"职工{n + 1:03d}"
        first = {H["person"]: name, H["region"]: REGIONS[n % 4], H["profile.target_title"]: rng.choice(TITLES),
                 H["profile.apply_year"]: 2024}
        for i in range(rng.randint(3, 8)):
            year = rng.randint(2020, 2024)
            kind = rng.random()
            if kind < 0.4:
                act = {H["kind"]: "公需科目学习", H["year"]: year, H["hours"]: rng.choice([20, 30, 45])}
            elif kind < 0.8:
                act = {H["kind"]: "培训班、研修班、进修班", H["year"]: year, H["days"]: rng.choice([2, 3, 5]),
                       H["subject"]: "专业科目"}
            else:
                act = {H["kind"]: "网络课程", H["year"]: year, H["hours"]: rng.choice([8, 16, 32])}
            rows.append({**(first if i == 0 else {H["person"]: name}), **act})
    rows.insert(5, {H["person"]: "职工001", H["kind"]: "公需科目学习", H["year"]: "二〇二三", H["hours"]: 30})
    rows.insert(20, {H["person"]: "职工004", H["kind"]: "旅游", H["year"]: 2023})
    rows.insert(40, {H["person"]: "职工007", H["kind"]: "网络课程", H["year"]: 2022, H["hours"]: -5})
    rows.append({H["person"]: "职工010", H["region"]: "青海省", H["kind"]: "网络课程", H["year"]: 2023, H["hours"]: 8})
    return rows


def as_csv(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row[h] for h in HEADERS])
    return text.getvalue().encode(encoding)


def as_xlsx(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cli_batch(source: Path, output: Path, site_url: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "ruleset", "batch", str(source), "-o", str(output), "--no-progress",
                           "--site-url", site_url], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode in (0, 2), proc.stderr


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def unit(site, tmp_path_factory):
    """The generated unit as files (UTF-8 CSV, GBK CSV, .xlsx) and the CLI's results for it."""
    tmp = tmp_path_factory.mktemp("batch")
    rows = unit_rows(50)
    files = {"csv": tmp / "单位人员.csv", "gbk": tmp / "单位人员-gbk.csv", "xlsx": tmp / "单位人员.xlsx"}
    files["csv"].write_bytes(as_csv(rows))
    files["gbk"].write_bytes(as_csv(rows, "gbk"))
    files["xlsx"].write_bytes(as_xlsx(rows))
    cli_batch(files["csv"], tmp / "cli.csv", site.origin + "/")
    cli_batch(files["csv"], tmp / "cli.xlsx", site.origin + "/")
    out = {"年度核算": tmp / "cli.csv", "人员汇总": tmp / "cli.people.csv", "各项活动": tmp / "cli.activities.csv",
           "输入问题": tmp / "cli.problems.csv"}
    return SimpleNamespace(rows=rows, files=files, csv={k: p.read_bytes() for k, p in out.items()},
                           xlsx=tmp / "cli.xlsx", tmp=tmp)


def open_batch(browser, site, init_script: str | None = None) -> SimpleNamespace:
    """The batch page in a fresh context (init_script runs in it first); close its .context when done."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN",
                                  service_workers="block", accept_downloads=True)
    if init_script:
        context.add_init_script(init_script)
    rec = bh.Recorder()
    rec.attach_context(context)
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.goto(site.origin + "/batch/")
    return SimpleNamespace(page=p, context=context, rec=rec, origin=site.origin)


@pytest.fixture
def page(browser, site):
    s = open_batch(browser, site)
    yield s
    s.context.close()


def drop(s, path: Path) -> None:
    """Choose the file and wait for the table (or an error)."""
    s.page.set_input_files("#ce-batch-file", str(path))
    s.page.wait_for_selector(".ce-batch__status[data-state=busy]")  # progress at once
    s.page.wait_for_selector(".ce-batch__status[data-state=done], .ce-batch__status[data-state=error]",
                             timeout=bh.BOOT_TIMEOUT_MS)


def table(s) -> list[dict]:
    """The table's rows: person, region, each year's lines, the application verdict, the link."""
    return s.page.eval_on_selector_all(".ce-batch__table:not(.ce-batch__problem-table) tbody tr", """rows => rows.map(r => ({
        person: r.querySelector("th").textContent,
        region: r.children[1].textContent,
        years: Object.fromEntries([...r.querySelectorAll("td[data-year]")].map(td =>
          [td.dataset.year, [...td.querySelectorAll("span")].map(s => s.textContent)])),
        app: r.querySelector(".ce-batch__app").firstChild?.textContent ?? "",
      }))""")


def expected_years(unit) -> dict:
    """{person: {year: [lines as the page prints them]}} from the CLI's 年度核算 CSV."""
    rows = read_csv(unit.csv["年度核算"])
    at = {h: i for i, h in enumerate(rows[0])}
    out: dict = {}
    for r in rows[1:]:
        if not r[at["年度"]]:
            continue
        c = {h: r[i] for h, i in at.items()}
        required = any(c[k] for k in ("要求公需", "要求专业", "要求合计"))
        lines = [f"{zh} {c[zh]}/{c['要求' + zh] or '—'}" if required else f"{zh} {c[zh]}" for zh in ("公需", "专业", "合计")]
        verdict = c["结论"] if c["结论"] != "未达标" else f"未达标，差 {c['差公需']}/{c['差专业']}/{c['差合计']}"
        out.setdefault(c["人员"], {})[c["年度"]] = [*lines, verdict]
    return out


def cli_people(unit) -> dict:
    rows = read_csv(unit.csv["人员汇总"])
    return {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}


def test_the_table_shows_what_the_cli_computes_and_the_problems(page, unit):
    s = page
    drop(s, unit.files["csv"])
    shown = table(s)
    people = cli_people(unit)
    assert [r["person"] for r in shown] == list(people)  # everyone, in the order of the file
    assert len(shown) == 50
    want = expected_years(unit)
    for r in shown:
        assert r["years"] == want.get(r["person"], {}), r["person"]
        assert r["app"] == people[r["person"]]["职称申报"]
        assert r["region"] == (people[r["person"]]["地区"] or "—")
    # the person with two regions is named and not computed; the others are
    assert people["职工010"]["职称申报"] == "未核算" and next(r for r in shown if r["person"] == "职工010")["years"] == {}
    # the problems: row number, column, reason, as the CLI lists them
    problems = read_csv(unit.csv["输入问题"])
    cells = s.page.eval_on_selector_all(".ce-batch__problem-table tbody tr",
                                        "rows => rows.map(r => [...r.children].map(td => td.textContent))")
    assert cells == [[p[1] or "（全文件）", p[2], p[3], p[4], p[5]] for p in problems[1:]]
    assert len(cells) >= 4 and any("二〇二三" in c[3] or "计入年度" in c[1] for c in cells)
    status = s.page.inner_text(".ce-batch__status")
    assert "共 50 人" in status and f"输入问题 {len(cells)} 处" in status
    assert s.rec.console_errors == []
    assert s.rec.foreign_requests(s.origin) == []


def test_gbk_csv_and_xlsx_give_the_same_table(page, unit):
    s = page
    drop(s, unit.files["csv"])
    reference = table(s)
    for name in ("gbk", "xlsx"):
        drop(s, unit.files[name])
        assert s.page.get_attribute(".ce-batch__status", "data-state") == "done", s.page.inner_text(".ce-batch__status")
        assert table(s) == reference, name


def test_filters_and_sort(page, unit):
    s = page
    drop(s, unit.files["csv"])
    want = expected_years(unit)
    people = cli_people(unit)
    s.page.check("#ce-batch-unmet")
    unmet = [p for p, row in people.items()
             if row["职称申报"] == "未核算" or any(v[-1].startswith("未达标") for v in want.get(p, {}).values())]
    assert [r["person"] for r in table(s)] == unmet
    s.page.select_option("#ce-batch-year", "2023")
    shown = table(s)
    assert [r["person"] for r in shown] == [
        p for p in unmet if people[p]["职称申报"] == "未核算" or want.get(p, {}).get("2023", [""])[-1].startswith("未达标")]
    assert all(list(r["years"]) in (["2023"], []) for r in shown)
    s.page.uncheck("#ce-batch-unmet")
    s.page.select_option("#ce-batch-year", "")
    s.page.select_option("#ce-batch-title", "中级")
    assert [r["person"] for r in table(s)] == [p for p, row in people.items() if row["拟申报职称层级"] == "中级"]
    s.page.select_option("#ce-batch-title", "")
    # sort by person, twice: descending
    s.page.click("button[data-sort='人员']")
    s.page.click("button[data-sort='人员']")
    assert [r["person"] for r in table(s)] == sorted(people, reverse=True)
    # sort by a year's total: the computed people by that total, ascending, the others last
    s.page.click("button[data-sort='year:2022']")
    totals = [int(r["years"]["2022"][2].split()[1].split("/")[0]) for r in table(s) if "2022" in r["years"]]
    assert totals == sorted(totals) and len(totals) >= 40


def decode(href: str) -> dict:
    """The envelope of a #case= link (site_src/js/checker/casefragment.js: 1.<base64url deflate-raw JSON>)."""
    value = href.split("#case=", 1)[1]
    version, packed = value.split(".", 1)
    assert version == "1"
    raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
    return json.loads(zlib.decompress(raw, -15).decode("utf-8"))


def test_open_a_person_in_the_checker_by_link(page, unit, site):
    s = page
    saved = json.dumps({"region": "qinghai", "activities": []})
    s.page.evaluate(f"localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(saved)})")
    drop(s, unit.files["csv"])
    link = s.page.locator("tr[data-person='2'] a.ce-batch__open[href]")
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith(site.origin + "/checker/#case=1.")
    assert link.get_attribute("target") == "_blank"
    # the link carries exactly the case the core makes of that person's rows
    _, people = read(unit.files["csv"].read_bytes())
    expected = Checker(layout()).case(people[2])
    assert decode(href)["case"] == json.loads(json.dumps(expected))
    assert expected["person"] == "职工003"
    with s.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    # the checker shows that person's case from the link (share.js), with the bundle version
    # the page has, and does not store it over the saved case
    tab.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)
    assert tab.locator("[data-field=person] input").input_value() == "职工003"
    assert tab.locator(".ce-linkbar").is_visible()
    metadata = json.loads((site.dir / "assets" / "checker" / "metadata.json").read_text(encoding="utf-8"))
    assert decode(href)["bundle"] == metadata["bundle"]["version"]
    assert tab.evaluate(f"localStorage.getItem({json.dumps(STORE_KEY)})") == saved
    tab.close()
    # neither the batch page nor the checker's saved case is touched
    assert s.page.evaluate(f"localStorage.getItem({json.dumps(STORE_KEY)})") == saved
    assert s.page.url == site.origin + "/batch/" and len(table(s)) == 50


def test_exports_equal_the_cli(page, unit):
    s = page
    drop(s, unit.files["csv"])
    for name, data in unit.csv.items():
        with s.page.expect_download() as dl:
            s.page.click(f"button[data-export=csv][data-table='{name}']")
        download = dl.value
        assert download.suggested_filename == f"单位人员-{name}.csv"
        got = Path(download.path()).read_bytes()
        assert read_csv(got) == read_csv(data), name
        assert got.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel needs
    with s.page.expect_download() as dl:
        s.page.click("button[data-export=xlsx]")
    assert dl.value.suggested_filename == "单位人员-核算结果.xlsx"
    got = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()), read_only=True)
    want = openpyxl.load_workbook(unit.xlsx, read_only=True)
    assert got.sheetnames == want.sheetnames == ["人员汇总", "年度核算", "各项活动", "输入问题"]
    for name in want.sheetnames:
        assert list(got[name].values) == list(want[name].values), name


def test_print_summary_has_one_section_per_person(page, unit):
    s = page
    drop(s, unit.files["csv"])
    s.page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    s.page.check("#ce-batch-unmet")
    count = len(table(s))
    s.page.click("button[data-action=print]")
    assert s.page.evaluate("window.__printed") == 1
    sections = s.page.locator(".ce-batch-print__person")
    assert sections.count() == count
    assert "职称申报：" in sections.first.inner_text()
    s.page.emulate_media(media="print")
    assert s.page.locator(".ce-batch-print").is_visible() and not s.page.locator("#ce-batch").is_visible()


def test_cancel_mid_way_then_a_new_file(page, unit):
    s = page
    big = unit.tmp / "大单位.csv"
    rows = []
    for copy in range(600):  # 30,000 people: still checking when 取消 is clicked (3,000 could finish first)
        rows += [{**r, H["person"]: f"{r[H['person']]}-{copy}"} for r in unit.rows]
    big.write_bytes(as_csv(rows))
    s.page.set_input_files("#ce-batch-file", str(big))
    s.page.wait_for_selector(".ce-batch__status[data-stage=check]", timeout=bh.BOOT_TIMEOUT_MS)
    assert "正在核算" in s.page.inner_text(".ce-batch__status")
    s.page.click("button[data-action=cancel]")
    s.page.wait_for_selector(".ce-batch__status[data-state=info]")
    assert "已取消" in s.page.inner_text(".ce-batch__status")
    s.page.wait_for_timeout(1500)  # a late reply of the cancelled batch must not show it
    assert s.page.locator(".ce-batch__results").is_hidden()
    drop(s, unit.files["csv"])
    assert len(table(s)) == 50


def test_a_phone_short_of_memory_runs_one_worker(browser, site, unit):
    """4 cores but 2 GB (navigator.deviceMemory): one worker (each holds a Pyodide and the file), and it does
    the whole batch; with 8 GB reported, one a core up to the cap (the offline test runs two on two cores)."""
    s = open_batch(browser, site, "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 });"
                                  "Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 2 });")
    try:
        assert s.page.get_attribute("#ce-batch", "data-pool-size") == "1"
        drop(s, unit.files["csv"])
        assert s.page.get_attribute(".ce-batch__status", "data-state") == "done"
        assert [r["person"] for r in table(s)] == list(cli_people(unit))
        assert s.page.get_attribute("#ce-batch", "data-workers") == "1"
        assert s.rec.console_errors == []
    finally:
        s.context.close()


def test_unreadable_files_get_a_chinese_message(page, unit):
    s = page
    old = unit.tmp / "旧格式.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0not really")
    s.page.set_input_files("#ce-batch-file", str(old))
    s.page.wait_for_selector(".ce-batch__status[data-state=error]")
    assert "另存为" in s.page.inner_text(".ce-batch__status")
    broken = unit.tmp / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken zip")
    drop(s, broken)
    text = s.page.inner_text(".ce-batch__status")
    assert "未能核算 坏文件.xlsx" in text and "Traceback" not in text
    drop(s, unit.files["csv"])  # the page goes on
    assert len(table(s)) == 50


def test_the_checker_shows_edits_prints_and_names_the_export_by_person(browser, site):
    """The case field `person` (姓名或工号, from case.yaml) in the one-person checker."""
    context = browser.new_context(locale="zh-CN", service_workers="block", accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(60_000)
    case = {"person": "工号A-17", "region": "qinghai", "activities": [{"kind": "public_course", "year": 2023, "hours": 30}]}
    p.goto(site.origin + "/checker/")
    p.evaluate(f"localStorage.setItem({json.dumps(STORE_KEY)}, {json.dumps(json.dumps(case))})")
    p.reload()
    p.wait_for_selector("#ce-checker[data-ce-dirty=false]", timeout=bh.BOOT_TIMEOUT_MS)
    field = p.locator("[data-field=person] input")
    assert field.input_value() == "工号A-17"
    assert "姓名或工号" in p.inner_text("[data-field=person]")
    p.emulate_media(media="print")
    head = p.inner_text(".ce-print-head")
    assert "姓名或工号" in head and "工号A-17" in head
    p.emulate_media(media="screen")
    with p.expect_download() as dl:
        p.click("button[data-action=export]")
    assert dl.value.suggested_filename.startswith("继续教育学时-工号A-17-")
    assert json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))["person"] == "工号A-17"
    field.fill("李四")
    field.blur()
    p.wait_for_selector("#ce-checker[data-ce-dirty=false]")
    stored = json.loads(p.evaluate(f"localStorage.getItem({json.dumps(STORE_KEY)})"))
    assert stored["person"] == "李四"
    context.close()
