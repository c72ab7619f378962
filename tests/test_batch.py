"""Batch checking (ruleset.batch): template -> filled sheet -> one result per person, through the public API.

Numbers marked "by hand" are worked out from the rule data (ruleset/rules/*), not from the engine.
"""
from __future__ import annotations

import csv
import io
import random

import openpyxl
import pytest

from ruleset import check
from ruleset.batch import Batch, guide_csv, layout, template_csv, template_xlsx
from ruleset.loader import bundle

HEADERS = layout().headers
H = {c.key: c.header for c in layout().columns}  # case key -> Chinese header (the template's vocabulary)


def cells(**by_key) -> dict:
    """A sheet row given by case keys: {"person": "张三", "profile.apply_year": 2024, "days": 5} -> by header."""
    return {H[k.replace("__", ".")]: v for k, v in by_key.items()}


def fill_xlsx(rows: list[dict]) -> bytes:
    """The downloaded template with `rows` ({header: value}) typed into its first sheet, saved by openpyxl."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill_csv(rows: list[dict], encoding: str = "utf-8-sig", header: list | None = None) -> bytes:
    """A CSV of `rows` under the template's header, in `encoding`."""
    header = header or HEADERS
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in header])
    return text.getvalue().encode(encoding)


def by_person(batch: Batch) -> dict:
    return {r.person: r for r in batch.results}


def year(batch: Batch, person: str, y: int) -> dict:
    return by_person(batch)[person].result["years"][str(y)]


# Person 甲 (青海省, intermediate, 2024), by hand from ruleset/rules/qinghai:
#   2021: public course 30 (stated hours); training 5 days x 7 = 35
#         -> public 30, professional 35: short of 60 by 25, total 65 short of 90 by 25
#   2022: public 30; training 9 days x 7 = 63; papers (annex 2, from 2022) 10 + 10 + 5 = 25, capped at 20
#         -> professional 83, met
#   2023: public 30; training with 60 stated hours (stated first, 3 days ignored) = 60 -> met
#   2024: public 45; training 13 days x 7 = 91 -> met (45/45, 91/90)
#   application (qinghai.title_review_2024): any 3 years of 2020-2024 -> 2022, 2023, 2024: met
JIA = [
    cells(person="甲", region="青海省", profile__target_title="中级", profile__apply_year=2024,
          profile__tenure_start_year=2015, kind="公需科目学习", year=2021, hours=30),
    cells(person="甲", kind="培训班、研修班、进修班", year=2021, days="5天"),
    cells(person="甲", kind="论文", year=2022, authors=1, rank=1, has_cn_number="是"),
    cells(person="甲", kind="paper", year=2022, authors=1, rank=1, has_cn_number=True),
    cells(person="甲", kind="论文", year=2022, authors=3, rank=2, has_cn_number="是"),
    cells(person="甲", kind="公需科目学习", year=2022, hours=30),
    cells(person="甲", kind="培训班、研修班、进修班", year=2022, days=9),
    cells(person="甲", kind="公需科目学习", year=2023, hours=30),
    cells(person="甲", kind="培训班、研修班、进修班", year=2023, days=3, hours=60),
    cells(person="甲", kind="公需科目学习", year=2024, hours=45),
    cells(person="甲", kind="培训班、研修班、进修班", year=2024, days=13),
]
# Person 乙 (常德市, intermediate, 2024), by hand from ruleset/rules/changde:
#   2021-2023: public course 30; training 8 days x 8 = 64 -> 94, met
#   2024: public 30; paper, first of 2 authors = 30; training 4 days x 8 = 32 -> professional 62, met
#   application (changde.title_intermediate): 4 consecutive years to 2024 -> 2021-2024 met
YI = [cells(person="乙", region="常德市", profile__target_title="intermediate", profile__apply_year="2024")]
for _y in (2021, 2022, 2023):
    YI += [cells(person="乙", kind="公需科目学习", year=_y, hours=30),
           cells(person="乙", kind="training", year=_y, days=8, subject="专业科目")]
YI += [cells(person="乙", kind="公需科目学习", year=2024, hours=30),
       cells(person="乙", kind="论文", year=2024, authors=2, rank=1, has_cn_number="是"),
       cells(person="乙", kind="培训班、研修班、进修班", year=2024, days=4)]


def test_hand_checked_people_from_a_filled_template():
    batch = Batch(fill_xlsx(JIA + YI)).run()
    assert not batch.problems, batch.problems
    y2021 = year(batch, "甲", 2021)
    assert (y2021["public"], y2021["professional"], y2021["total"]) == (30, 35, 65)
    assert y2021["met"] is False and y2021["shortfall"] == {"public": 0, "professional": 25, "total": 25}
    assert [year(batch, "甲", y)["professional"] for y in (2022, 2023, 2024)] == [83, 60, 91]
    assert [year(batch, "甲", y)["met"] for y in (2020, 2021, 2022, 2023, 2024)] == [False, False, True, True, True]
    assert year(batch, "甲", 2024)["required"] == {"public": 45, "professional": 90, "total": 135}
    app = by_person(batch)["甲"].result["application"]
    assert app["qualifying_years"] == [2022, 2023, 2024] and app["met"] is True
    assert [year(batch, "乙", y)["professional"] for y in (2021, 2022, 2023, 2024)] == [64, 64, 64, 62]
    assert by_person(batch)["乙"].result["application"]["met"] is True
    rows = {(r[0], r[2]): r for r in _table(batch.export_csv()["年度核算"])[1:]}
    assert rows["甲", "2021"][4:7] == ["30", "35", "65"] and rows["甲", "2021"][10] == "未达标"
    assert rows["甲", "2021"][11:14] == ["0", "25", "25"]
    people = {r[0]: r for r in _table(batch.export_csv()["人员汇总"])[1:]}
    assert people["甲"][9] == "符合" and people["乙"][9] == "符合" and people["甲"][1] == "青海省"


def _table(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _random_case(rng: random.Random) -> dict:
    region = rng.choice(["qinghai", "qingdao", "changde", "binzhou", "national"])
    acts = []
    for _ in range(rng.randint(0, 12)):
        y = rng.randint(2018, 2024)
        kind = rng.choice(["public_course", "training", "paper", "conference", "online_course", "patent"])
        act = {"kind": kind, "year": y}
        if kind in ("public_course", "online_course"):
            act["hours"] = rng.choice([6, 10, 12.5, 24, 30, 45])
            if kind == "public_course":
                act["completed"] = True
        elif kind in ("training", "conference"):
            act["days"] = rng.choice([0.5, 1, 2.5, 5])
            act["hours"] = rng.choice([4, 8, 20, 40])
        elif kind == "paper":
            act.update(authors=rng.randint(1, 4), rank=1, chars=6000, venue="journal", level="national",
                       has_cn_number=True)
        else:
            act.update(patent_type=rng.choice(["invention", "utility_model", "design"]), rank=rng.randint(1, 3))
        if kind in ("training", "online_course") and rng.random() < 0.3:
            act["subject"] = "public"
        acts.append(act)
    profile = {"target_title": rng.choice(["junior", "intermediate", "associate_senior", "full_senior"]),
               "apply_year": rng.choice([2023, 2024]), "tenure_start_year": rng.randint(2012, 2022)}
    return {"region": region, "profile": profile, "activities": acts}


def _as_rows(person: str, case: dict, rng: random.Random) -> list[dict]:
    """A case as sheet rows with Chinese labels (or codes, at random), profile on one random row."""
    b = bundle()
    lay = layout()

    def label(key: str, kind: str | None, value):
        col = lay.columns[lay.index[key]]
        spec = b.kind_fields[kind].get(key, col.spec) if kind and key not in ("kind", "year") else col.spec
        labels = spec.get("enum_labels") or {}
        if str(value) in labels and rng.random() < 0.8:
            return labels[str(value)]
        return value

    rows = [{H["person"]: person, **{H[k]: label(k, k_, v) for k, v in a.items() for k_ in [a["kind"]]}}
            for a in case["activities"]] or [{H["person"]: person}]
    at = rng.randrange(len(rows))
    rows[at][H["region"]] = b.regions[case["region"]]["name"] if rng.random() < 0.7 else case["region"]
    for k, v in case["profile"].items():
        rows[at][H[f"profile.{k}"]] = label(f"profile.{k}", None, v)
    return rows


def without_optional_sections(result: dict) -> dict:
    """A result document without what the batch leaves out: plan, readings and every `alternatives`."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "alternatives"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip({k: v for k, v in result.items() if k not in ("plan", "readings")})


def test_several_hundred_people_equal_the_engine_on_their_cases():
    """Each person's result is the engine's result document for the same case given as JSON, less the
    plan and the alternative readings, which the batch's tables do not show (Checker's defaults)."""
    rng = random.Random(20240601)
    cases = {f"P{n:04d}": _random_case(rng) for n in range(400)}
    rows = [row for person, case in cases.items() for row in _as_rows(person, case, rng)]
    rng.shuffle(rows)  # a person's rows need not be next to each other
    batch = Batch(fill_xlsx(rows)).run()
    assert [p for p in batch.problems if p.error] == []
    got = by_person(batch)
    assert set(got) == set(cases)
    for person, case in cases.items():
        expected = without_optional_sections(check({**case, "person": person}))
        result = got[person].result
        assert "plan" not in result and "readings" not in result
        assert result["years"] == expected["years"], person
        assert result.get("application") == expected.get("application"), person
        # activities come in the sheet's order, which the shuffle changed: compare as multisets
        key = lambda a: (a["kind"], a["year"], a["public"], a["professional"], a["explanation"])  # noqa: E731
        assert sorted(map(key, result["activities"])) == sorted(map(key, expected["activities"])), person
        assert result["person"] == person


def test_csv_in_utf8_with_and_without_bom_and_gbk_read_alike():
    rows = JIA + YI
    results = []
    for encoding in ("utf-8", "utf-8-sig", "gbk"):
        data = fill_csv(rows, encoding)
        if encoding == "gbk":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")  # really GBK bytes
        batch = Batch(data).run()
        assert not batch.problems, (encoding, batch.problems)
        results.append(batch.export_csv())
    assert results[0] == results[1] == results[2]
    assert year(Batch(fill_csv(rows, "gbk")).run(), "甲", 2022)["professional"] == 83


def test_xlsx_and_csv_of_the_same_data_give_the_same_results():
    rng = random.Random(5)
    rows = [row for n in range(60) for row in _as_rows(f"人{n}", _random_case(rng), rng)]
    rows.append(cells(person="人1", kind="培训班、研修班、进修班", year=2022, days="abc"))  # a problem in both
    from_xlsx = Batch(fill_xlsx(rows)).run()
    from_csv = Batch(fill_csv(rows)).run()
    assert [r.result for r in from_xlsx.results] == [r.result for r in from_csv.results]
    xlsx_tables, csv_tables = from_xlsx.export_csv(), from_csv.export_csv()
    sheet_columns = {"人员汇总": 12, "各项活动": 1, "输入问题": 0}  # the .xlsx names its sheet, a CSV has none
    for name, data in xlsx_tables.items():
        a, b = _table(data), _table(csv_tables[name])
        if name in sheet_columns:
            at = sheet_columns[name]
            assert {r[at] for r in a[1:]} == {"人员活动"} and {r[at] for r in b[1:]} == {""}
            a = [r[:at] + r[at + 1:] for r in a]
            b = [r[:at] + r[at + 1:] for r in b]
        assert a == b, name


def test_bad_rows_among_good_ones_name_row_and_column_and_the_rest_is_computed():
    rows = JIA[:2] + [
        cells(person="甲", kind="培训班、研修班、进修班", year=2022, days="两天"),   # row 4: not a number
        cells(person="甲", kind="讲座", year=2022),                                 # row 5: unknown kind
        cells(person="甲", kind="公需科目学习", year=1890, hours=30),               # row 6: year out of range
        cells(region="青海省", kind="公需科目学习", year=2022, hours=30),            # row 7: nobody named
    ] + JIA[2:] + YI
    batch = Batch(fill_csv(rows)).run()
    problems = {(p.loc & 0xFFFFFFFFFF, p.column): p for p in batch.problems}
    assert set(problems) == {(4, "天数"), (5, "活动类型"), (6, "计入年度"), (7, "姓名或工号")}
    assert "两天" in problems[4, "天数"].message and problems[4, "天数"].person == "甲"
    assert "讲座" in problems[5, "活动类型"].message
    assert "1890" in problems[6, "计入年度"].message
    assert all(p.error for p in batch.problems)
    # the rest of 甲 and everyone else are computed as if the bad rows were not there
    assert year(batch, "甲", 2021)["professional"] == 35 and year(batch, "甲", 2024)["professional"] == 91
    assert by_person(batch)["乙"].result["application"]["met"] is True
    table = _table(batch.export_csv()["输入问题"])
    assert table[0] == ["工作表", "行号", "列", "人员", "问题", "类别"]
    assert [r[1:3] for r in table[1:]] == [["4", "天数"], ["5", "活动类型"], ["6", "计入年度"], ["7", "姓名或工号"]]
    activities = _table(batch.export_csv()["各项活动"])
    bad = [r for r in activities[1:] if r[2] == "4"]
    assert bad and bad[0][-1] == "否"  # the bad row is listed, not counted


def test_a_person_in_two_regions_is_an_error_named_and_not_computed():
    rows = JIA + [cells(person="甲", region="青岛市", kind="公需科目学习", year=2022, hours=10)] + YI
    batch = Batch(fill_csv(rows)).run()
    conflict = [p for p in batch.problems if p.person == "甲"]
    assert len(conflict) == 1 and conflict[0].column == "地区" and conflict[0].error
    assert conflict[0].loc & 0xFFFFFFFFFF == len(JIA) + 2
    assert "第 2 行" in conflict[0].message and "青海省" in conflict[0].message and "青岛市" in conflict[0].message
    jia = by_person(batch)["甲"]
    assert jia.result is None and jia.blocked
    assert by_person(batch)["乙"].result["application"]["met"] is True
    people = {r[0]: r for r in _table(batch.export_csv()["人员汇总"])[1:]}
    assert people["甲"][2].startswith("未核算") and people["甲"][9] == "未核算"


def test_conflicting_profile_values_are_an_error_but_a_repeated_value_is_not():
    repeated = JIA + [cells(person="甲", profile__target_title="intermediate", profile__apply_year="2024年",
                            profile__flags="破格申报、已取得博士学位"),
                      cells(person="甲\u3000", profile__flags="doctorate, exceptional_promotion")]
    batch = Batch(fill_csv(repeated)).run()
    assert not batch.problems  # same value, as label, code, with its unit, in another order
    assert [r.person for r in batch.results] == ["甲"]
    conflicting = JIA + [cells(person="甲", profile__target_title="副高级")]
    batch = Batch(fill_csv(conflicting)).run()
    assert [(p.column, p.person) for p in batch.problems] == [("拟申报职称层级", "甲")]
    assert by_person(batch)["甲"].result is None


def test_chinese_labels_and_codes_give_the_same_result():
    labels = [cells(person="丙", region="青岛市", profile__target_title="副高级", profile__apply_year=2024,
                    profile__flags="高技能领军人才（中华技能大奖、全国技术能手等）、已取得博士学位、破格申报", kind="专利", year=2023, patent_type="发明专利", rank=1),
              cells(person="丙", kind="培训班、研修班、进修班", year=2023, hours=40, subject="公需科目", category="一般培训"),
              cells(person="丙", kind="课题（项目）研究", year=2023, level="省部级",
                    role="主持人", completed="是", rank=1, start_year=2022)]
    codes = [cells(person="丙", region="qingdao", profile__target_title="associate_senior", profile__apply_year=2024,
                   profile__flags="high_skill_leader,doctorate,exceptional_promotion", kind="patent", year=2023,
                   patent_type="invention", rank=1),
             cells(person="丙", kind="training", year=2023, hours=40, subject="public", category="regular"),
             cells(person="丙", kind="research_project", year=2023, level="provincial", role="pi", completed="true",
                   rank=1, start_year=2022)]
    from_labels, from_codes = Batch(fill_csv(labels)).run(), Batch(fill_csv(codes)).run()
    assert not from_labels.problems and not from_codes.problems
    assert from_labels.results[0].result == from_codes.results[0].result
    expected = without_optional_sections(check({"person": "丙", "region": "qingdao",
                      "profile": {"target_title": "associate_senior", "apply_year": 2024,
                                  "flags": ["high_skill_leader", "doctorate", "exceptional_promotion"]},
                      "activities": [{"kind": "patent", "year": 2023, "patent_type": "invention", "rank": 1},
                                     {"kind": "training", "year": 2023, "hours": 40, "subject": "public",
                                      "category": "regular"},
                                     {"kind": "research_project", "year": 2023, "level": "provincial", "role": "pi",
                                      "completed": True, "rank": 1, "start_year": 2022}]}))
    assert from_labels.results[0].result == expected


def test_headers_by_code_and_unknown_columns():
    header = [c.key for c in layout().columns] + ["部门"]
    data = fill_csv([{"person": "甲", "region": "qinghai", "kind": "public_course", "year": 2022, "hours": 30,
                      "部门": "办公室"}], header=header)
    batch = Batch(data).run()
    assert year(batch, "甲", 2022)["public"] == 30
    assert [(p.loc & 0xFFFFFFFFFF, p.column) for p in batch.problems] == [(1, "部门")]
    assert "部门" in batch.problems[0].message


def test_a_sheet_without_the_person_column_and_an_empty_file():
    batch = Batch(fill_csv([{"地区": "青海省"}], header=["地区", "活动类型"])).run()
    assert batch.failed and "姓名或工号" in batch.problems[0].message and not batch.results
    empty = Batch(template_csv()).run()
    assert empty.failed and not empty.results and "没有任何人员" in empty.problems[0].message


def test_template_is_derived_from_case_yaml():
    b = bundle()
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames[:2] == ["人员活动", "填写说明"]
    header = [c.value for c in book["人员活动"][1]]
    assert header == HEADERS
    assert header[0] == b.case["case_fields"]["person"]["label"]
    assert {b.fields[f]["label"] for f in b.fields} <= set(header)
    assert {spec["label"] for spec in b.case["profile"].values()} <= set(header)
    guide = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    for kind, spec in b.kinds.items():
        assert kind in guide and spec["label"] in guide
    assert "发明专利 = invention" in guide and "青海省 = qinghai" in guide
    assert template_csv().decode("utf-8-sig").strip() == ",".join(HEADERS)
    assert "活动类型" in guide_csv().decode("utf-8-sig")


def test_rows_of_one_person_apart_and_in_several_sheets_are_one_person():
    book = openpyxl.load_workbook(io.BytesIO(fill_xlsx(JIA[:6])))
    second = book.create_sheet("第二页")
    second.append(HEADERS)
    for row in JIA[6:]:
        second.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    batch = Batch(out.getvalue()).run()
    assert not batch.problems
    assert [year(batch, "甲", y)["met"] for y in (2022, 2023, 2024)] == [True, True, True]
    rows = _table(batch.export_csv()["各项活动"])[1:]
    assert {(r[1], r[2]) for r in rows} >= {("人员活动", "2"), ("第二页", "2")}


def test_export_xlsx_has_the_four_tables():
    batch = Batch(fill_csv(JIA + [cells(person="甲", kind="论文", year=2022, authors="x")])).run()
    book = openpyxl.load_workbook(io.BytesIO(batch.export_xlsx()))
    assert book.sheetnames == ["人员汇总", "年度核算", "各项活动", "输入问题"]
    years = list(book["年度核算"].iter_rows(values_only=True))
    row = next(r for r in years if r[0] == "甲" and r[2] == 2021)
    assert row[4:7] == (30, 35, 65)  # numbers, not text
    problems = list(book["输入问题"].iter_rows(values_only=True))
    assert problems[1][1:3] == (len(JIA) + 2, "作者（完成人）总数")
    links = [r[11] for r in book["各项活动"].iter_rows(values_only=True, min_row=2)]
    assert all(link is None or link.startswith("policies/") for link in links)


def test_case_field_person_is_checked_and_passed_to_the_result():
    from jsonschema import Draft202012Validator

    from ruleset.schema import case_schema, result_schema

    case = {"region": "qinghai", "person": "张三（1001）",
            "activities": [{"kind": "public_course", "year": 2023, "hours": 30}]}
    result = check(case)
    assert result["person"] == "张三（1001）" and result["errors"] == []
    Draft202012Validator(result_schema()).validate(result)
    Draft202012Validator(case_schema()).validate(case)
    assert "person" not in check({**case, "person": None})
    for bad in ("长" * 101, 1001, ["张三"]):
        result = check({**case, "person": bad})
        assert "person" not in result
        assert [(e["index"], e["field"]) for e in result["errors"]] == [(None, "person")]
        assert result["years"]["2023"]["public"] == 30  # the rest is computed
    assert "100" in check({**case, "person": "长" * 101})["errors"][0]["message"]
    assert case_schema()["properties"]["person"]["maxLength"] == 100


def test_tables_for_a_page_match_the_export():
    batch = Batch(fill_csv(JIA + YI + [cells(person="甲", kind="论文", year=2022, authors="x")])).run()
    shown = batch.tables()
    exported = batch.export_csv()
    for name, rows in shown.items():
        as_text = [["" if c is None else str(c) for c in row] for row in rows]
        assert as_text == _table(exported[name]), name


def test_activity_rows_as_csv_from_the_engine_rows_equal_those_of_the_result_document():
    """The CSV export makes a row's text once per conversion (from the engine's rows); it is the text of
    the result document's activities, row for row, caps and shared conversions included."""
    from ruleset.batch import PersonResult
    from ruleset.batch.report import Tables
    from ruleset.batch.writers import csv_text

    rng = random.Random(7)
    cases = {}
    for n in range(60):  # each case twice: as it is, and with its activities three times (caps cut more)
        case = _random_case(rng)
        cases[f"P{n:03d}"] = case
        cases[f"Q{n:03d}"] = {**case, "activities": case["activities"] * 3}
    rows = [row for person, case in cases.items() for row in _as_rows(person, case, rng)]
    batch = Batch(fill_csv(rows)).run()
    tables = Tables(bundle(), ["人员活动"], "https://example.org/site/")
    capped = 0
    for r in batch.results:
        if not r.computed:
            continue
        fast = tables.activity_csv(r)
        document = PersonResult(r.person, r.first, r.rows, r.result, r.problems)  # no engine rows
        assert document.engine_rows is None
        assert fast == tables.activity_csv(document) == csv_text(tables.activity_rows(r)), r.person
        capped += any(a["caps"] for a in r.result["activities"])
    assert capped > 10  # many rows were cut by a cap, their conversions shared with rows that were not


def test_xlsx_without_openpyxl_or_a_module_it_needs_is_named(monkeypatch):
    """No openpyxl: how to install it; openpyxl there but a module it needs missing: that module, by name."""
    import builtins

    from ruleset.batch import UnreadableInput
    from ruleset.batch.writers import NeedsOpenpyxl, XlsxBook

    real = builtins.__import__
    data = fill_xlsx([{H["person"]: "甲"}])
    for missing, said in (("openpyxl", "需要安装 openpyxl"), ("xml.etree", "所需的模块 xml.etree 无法载入")):
        def fake(name, *args, missing=missing, **kwargs):
            if name == missing or name.startswith(missing + ".") or (name == "openpyxl" and missing != "openpyxl"):
                raise ImportError(f"No module named {missing!r}", name=missing)
            return real(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", fake)
        with pytest.raises(UnreadableInput, match=said):
            Batch(data).run()
        with pytest.raises(NeedsOpenpyxl, match=said):
            XlsxBook()
        monkeypatch.setattr(builtins, "__import__", real)
