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


def test_steps_view_and_cases_are_the_cores():
    data = sheet(ROWS)
    page = start(data, "https://example.org/", None)
    assert isinstance(page, PageBatch) and page.total == 3 and not page.finished
    assert page.step(2) == 2 and page.step(2) == 3 and page.finished
    view = json.loads(page.view_json())
    tables = Batch(data, site_url="https://example.org/").run().tables()
    assert [p["row"] for p in view["people"]] == json.loads(json.dumps(tables["人员汇总"][1:]))
    assert [r for p in view["people"] for r in p["years"]] == json.loads(json.dumps(tables["年度核算"][1:]))
    assert view["problems"] == json.loads(json.dumps(tables["输入问题"][1:])) and view["problems"]
    assert view["headers"]["年度核算"] == tables["年度核算"][0]
    _, people = read(data)
    assert json.loads(page.cases_json("[2, 0]")) == [Checker(layout()).case(people[i]) for i in (2, 0)]
    assert [name for name, _ in page.export_csv()] == ["人员汇总", "年度核算", "各项活动", "输入问题"]


def test_gbk_reads_like_utf8_and_an_unreadable_file_is_a_message():
    a, b = start(sheet(ROWS), "", None), start(sheet(ROWS, "gbk"), "", None)
    for p in (a, b):
        while not p.finished:
            p.step()
    assert a.view_json() == b.view_json()
    message = start(b"PK\x03\x04 not a zip", "", None)
    assert isinstance(message, str) and "xlsx" in message
