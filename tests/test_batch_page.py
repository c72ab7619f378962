"""ruleset.batch.page: the batch page's driver (in the web worker) gives the core's own rows and cases."""
import csv
import io
import json

from ruleset.batch import Batch, layout, read
from ruleset.batch.compute import Checker
from ruleset.batch.page import PageBatch, start

H = {c.key: c.header for c in layout().columns}


def sheet(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(layout().headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in layout().headers])
    return text.getvalue().encode(encoding)


ROWS = [{H["person"]: "甲", H["region"]: "青海省", H["kind"]: "公需科目学习", H["year"]: 2023, H["hours"]: 30},
        {H["person"]: "乙", H["region"]: "青岛市", H["kind"]: "网络课程", H["year"]: 2023, H["hours"]: 12},
        {H["person"]: "甲", H["kind"]: "培训班、研修班、进修班", H["year"]: 2023, H["days"]: 2},
        {H["person"]: "丙", H["region"]: "常德市", H["kind"]: "公需科目学习", H["year"]: "明年", H["hours"]: 30}]


def test_chunks_view_and_cases_are_the_cores():
    data = sheet(ROWS)
    page = start(data, "https://example.org/", None)
    assert isinstance(page, PageBatch) and page.total == 3
    chunks = [json.loads(page.check(0, 2)), json.loads(page.check(2, 3))]
    tables = Batch(data, site_url="https://example.org/").run().tables()
    people = [p for c in chunks for p in c["people"]]
    assert [p["row"] for p in people] == json.loads(json.dumps(tables["人员汇总"][1:]))
    headers = json.loads(page.headers_json())
    shown = [tables["年度核算"][0].index(h) for h in headers["年度核算"]]
    assert {"年度", "公需", "专业", "合计", "要求合计", "结论", "差合计", "视同完成"} <= set(headers["年度核算"])
    assert [r for p in people for r in p["years"]] == json.loads(json.dumps([[y[i] for i in shown]
                                                                             for y in tables["年度核算"][1:]]))
    problems = json.loads(page.view_problems())
    assert problems == json.loads(json.dumps(tables["输入问题"][1:])) and problems
    assert headers["人员汇总"] == tables["人员汇总"][0] and headers["输入问题"] == tables["输入问题"][0]
    _, read_people = read(data)
    assert json.loads(page.cases_json("[2, 0]")) == [Checker(layout()).case(read_people[i]) for i in (2, 0)]
    assert [name for name, _ in page.export_csv()] == ["人员汇总", "年度核算", "各项活动", "输入问题"]


def unit(people: int) -> bytes:
    """A generated unit (benchmarks.batch: every region, common kinds) with a few faulty rows."""
    from benchmarks.batch import unit_rows

    headers = layout().headers
    rows = [dict(zip(headers, r)) for r in unit_rows(people, 4, headers, seed=11)]
    rows[3][H["year"]] = "明年"
    rows[10][H["kind"]] = "旅游"
    rows.append({H["person"]: "000002", H["region"]: "滨州市"})  # two regions: not computed
    return sheet([{h: ("" if v is None else v) for h, v in r.items()} for r in rows])


def xlsx_parts(data: bytes) -> dict:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_workers_sharing_a_file_give_the_cores_tables_and_exports():
    """Three workers' pages check chunks of one file in any order; the first makes the problems and the
    exports from its chunks and the others' rendered ones (a chunk nobody checked it checks itself): the
    same as the core's Batch, byte for byte."""
    data = unit(40)
    whole = Batch(data, site_url="https://example.org/").run()
    first, second, third = (start(data, "https://example.org/", None) for _ in range(3))
    assert first.total == 40
    views = {}
    for page, (lo, hi) in ((second, (10, 20)), (first, (20, 25)), (third, (0, 10)), (second, (30, 40)),
                           (first, (25, 30))):
        views[lo] = json.loads(page.check(lo, hi))
    tables = whole.tables()
    people = [p for lo in sorted(views) for p in views[lo]["people"]]
    assert [p["row"] for p in people] == json.loads(json.dumps(tables["人员汇总"][1:]))
    others = json.dumps([views[lo]["problems"] for lo in (0, 10, 30)], ensure_ascii=False)
    assert json.loads(first.view_problems(others)) == json.loads(json.dumps(tables["输入问题"][1:]))
    parts = [second.rendered(), third.rendered()]
    assert dict(first.export_csv(parts)) == whole.export_csv()
    assert xlsx_parts(first.export_xlsx(parts)) == xlsx_parts(whole.export_xlsx())
    # without the others' parts, the first checks their people itself
    assert dict(first.export_csv()) == whole.export_csv()
    alone = start(data, "https://example.org/", None)
    assert dict(alone.export_csv()) == whole.export_csv()


def test_gbk_reads_like_utf8_and_an_unreadable_file_is_a_message():
    a, b = start(sheet(ROWS), "", None), start(sheet(ROWS, "gbk"), "", None)
    assert a.check(0, 3) == b.check(0, 3) and a.view_problems() == b.view_problems()
    message = start(b"PK\x03\x04 not a zip", "", None)
    assert isinstance(message, str) and "xlsx" in message
