"""python -m ruleset batch: template, CSV and xlsx in and out, stdin/stdout, exit codes, the process pool."""
from __future__ import annotations

import io
import random

import openpyxl
import pytest

from ruleset.batch import Batch, cli as batch_cli, run as batch_run
from ruleset.cli import main
from test_batch import HEADERS, JIA, YI, _as_rows, _random_case, _table, cells, fill_csv, fill_xlsx


def test_template_as_xlsx_and_csv(cli, tmp_path):
    code, _, err = cli("batch", "--template", str(tmp_path / "t.xlsx"))
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[:2] == ["人员活动", "填写说明"]
    code, _, err = cli("batch", "--template", str(tmp_path / "t.csv"))
    assert code == 0, err
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d")  # BOM + 姓名
    assert "填写说明" in (tmp_path / "t.guide.csv").read_text(encoding="utf-8-sig")


def test_good_file_exits_0_and_writes_csv_tables(cli, tmp_path):
    (tmp_path / "staff.csv").write_bytes(fill_csv(JIA + YI, "gbk"))
    code, out, err = cli("batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "results.csv"))
    assert code == 0, err
    assert "已核算 2 人" in err and "Traceback" not in err
    years = _table((tmp_path / "results.csv").read_bytes())
    assert years[0][:7] == ["人员", "地区", "年度", "单位", "公需", "专业", "合计"]
    assert ["甲", "青海省", "2021", "学时", "30", "35", "65"] == years[2][:7]
    for name in ("people", "activities", "problems"):
        assert (tmp_path / f"results.{name}.csv").exists()
    assert len(_table((tmp_path / "results.activities.csv").read_bytes())) == 1 + len(JIA) + len(YI) - 1
    assert _table((tmp_path / "results.problems.csv").read_bytes()) == [["工作表", "行号", "列", "人员", "问题", "类别"]]


def test_text_that_excel_would_run_as_a_formula_stays_text_in_the_csv(cli, tmp_path):
    """A name or title typed as "=…", "+…", "-…" or "@…" gets a leading apostrophe in the CSV tables, so that
    Excel or WPS shows it rather than running it; numbers (negative ones too) and the .xlsx are unchanged."""
    evil = '=HYPERLINK("http://x","点击")'
    rows = [{**row, **cells(person=evil)} for row in JIA]
    rows[1] = {**rows[1], **cells(title="-3 天 @ 某地")}
    rows += [{**row, **cells(person="+86 丙")} for row in YI]
    (tmp_path / "staff.csv").write_bytes(fill_csv(rows))
    code, _, err = cli("batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "r.csv"))
    assert code == 0, err
    people = _table((tmp_path / "r.people.csv").read_bytes())
    assert [row[0] for row in people[1:]] == ["'" + evil, "'+86 丙"]
    activities = _table((tmp_path / "r.activities.csv").read_bytes())
    assert "'-3 天 @ 某地" in [row[5] for row in activities]
    cells_out = [cell for name in ("r.csv", "r.people.csv", "r.activities.csv", "r.problems.csv")
                 for row in _table((tmp_path / name).read_bytes())[1:] for cell in row]
    assert not [c for c in cells_out if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    years = _table((tmp_path / "r.csv").read_bytes())
    assert any(row[0] == "'" + evil and row[2] == "2021" and row[4:7] == ["30", "35", "65"] for row in years)
    code, _, err = cli("batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "r.xlsx"))
    assert code == 0, err
    people = openpyxl.load_workbook(tmp_path / "r.xlsx")["人员汇总"]
    assert [row[0] for row in people.iter_rows(min_row=2, values_only=True)] == [evil, "+86 丙"]


def test_bad_rows_exit_2_with_results_written_and_problems_on_stderr(cli, tmp_path):
    rows = JIA + [cells(person="甲", kind="公需科目学习", year=2022, hours="三十")] + YI
    (tmp_path / "staff.xlsx").write_bytes(fill_xlsx(rows))
    code, _, err = cli("batch", str(tmp_path / "staff.xlsx"), "-o", str(tmp_path / "out.xlsx"))
    assert code == 2
    assert f"工作表“人员活动”第 {len(JIA) + 2} 行“学时”列（甲）" in err and "三十" in err
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["人员汇总", "年度核算", "各项活动", "输入问题"]
    assert len(list(book["人员汇总"].iter_rows())) == 3  # header, 甲, 乙
    assert list(book["输入问题"].iter_rows(values_only=True))[1][:3] == ("人员活动", len(JIA) + 2, "学时")


def test_stdin_to_stdout(cli):
    code, out, err = cli("batch", "-", "-o", "-", stdin=fill_csv(JIA + YI).decode("utf-8-sig"))
    assert code == 0, err
    assert out.startswith("人员,地区,年度")  # no BOM on a pipe
    assert "甲,青海省,2021,学时,30,35,65" in out


def test_unreadable_or_missing_input_exits_2_without_traceback(cli, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    for args in (["batch", str(broken), "-o", str(tmp_path / "r.csv")],
                 ["batch", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "r.csv")],
                 ["batch"]):
        code, _, err = cli(*args)
        assert code == 2 and "Traceback" not in err and err.strip(), args
    assert not (tmp_path / "r.csv").exists()


def _unit_rows(people: int, seed: int, shuffle: bool) -> list[dict]:
    rng = random.Random(seed)
    rows = [row for n in range(people) for row in _as_rows(f"P{n:03d}", _random_case(rng), rng)]
    rows.insert(len(rows) // 2, cells(person="P001", kind="论文", year=2022, authors="两人"))  # one problem
    if shuffle:
        rng.shuffle(rows)
    return rows


def _unit(people: int, seed: int, shuffle: bool) -> bytes:
    return fill_csv(_unit_rows(people, seed, shuffle))


def _plain_xlsx(path, rows: list[dict], sheet_rows: int) -> None:
    """rows as Excel saves them (shared strings), a new sheet (with the header) every `sheet_rows` rows."""
    from benchmarks import batch as bench

    headers = HEADERS
    old = bench.XLSX_ROWS
    bench.XLSX_ROWS = sheet_rows
    try:
        yes_no = {True: "是", False: "否"}
        bench.write_xlsx(path, [[yes_no.get(v, v) if type(v) is bool else v for v in (row.get(h) for h in headers)]
                                for row in rows], headers)
    finally:
        bench.XLSX_ROWS = old


def _outputs(tmp_path, name: str) -> dict:
    return {part: (tmp_path / f"{name}{part}.csv").read_bytes()
            for part in ("", ".people", ".activities", ".problems")}


def test_process_pool_and_streamed_reading_change_no_byte(tmp_path, monkeypatch):
    """Chunks checked by two worker processes, people let go as their last row is read: the same
    files as one process holding the whole sheet (Batch), whether a person's rows are together or not."""
    monkeypatch.setattr(batch_cli, "CHUNK", 9)
    monkeypatch.setattr(batch_cli, "POOL_FROM", 18)
    monkeypatch.setattr(batch_run, "BLOCK_ROWS", 5)
    for shuffle in (False, True):
        source = tmp_path / "unit.csv"
        source.write_bytes(_unit(120, 3, shuffle))
        assert main(["batch", str(source), "-o", str(tmp_path / "pool.csv"), "--jobs", "2"]) == 2
        assert main(["batch", str(source), "-o", str(tmp_path / "one.csv"), "--jobs", "1"]) == 2
        pooled, single = _outputs(tmp_path, "pool"), _outputs(tmp_path, "one")
        assert pooled == single
        whole = Batch(source.read_bytes()).run().export_csv()
        assert pooled[""] == whole["年度核算"] and pooled[".activities"] == whole["各项活动"]
        assert pooled[".people"] == whole["人员汇总"] and pooled[".problems"] == whole["输入问题"]
        assert len(_table(pooled[".people"])) == 121


def test_xlsx_streamed_over_sheets_and_blocks_with_the_pool_changes_no_byte(tmp_path, monkeypatch):
    """An .xlsx read twice (each person's last row first, from the person column alone) and checked by two
    workers, people let go as their last row is read, over several sheets and blocks of XML: the same
    files as one process holding the whole workbook (Batch)."""
    from ruleset.batch import xlsx_rows

    monkeypatch.setattr(batch_cli, "CHUNK", 9)
    monkeypatch.setattr(batch_cli, "POOL_FROM", 18)
    monkeypatch.setattr(batch_run, "BLOCK_ROWS", 5)
    monkeypatch.setattr(xlsx_rows, "_BLOCK", 2000)
    for shuffle in (False, True):
        source = tmp_path / "unit.xlsx"
        _plain_xlsx(source, _unit_rows(120, 5, shuffle), 150)
        assert len(openpyxl.load_workbook(source, read_only=True).sheetnames) >= 3
        assert main(["batch", str(source), "-o", str(tmp_path / "pool.csv"), "--jobs", "2"]) == 2
        pooled = _outputs(tmp_path, "pool")
        whole = Batch(source.read_bytes()).run().export_csv()
        assert pooled[""] == whole["年度核算"] and pooled[".activities"] == whole["各项活动"]
        assert pooled[".people"] == whole["人员汇总"] and pooled[".problems"] == whole["输入问题"]
        assert len(_table(pooled[".people"])) == 121


def test_the_person_column_pass_finds_the_rows_a_full_reading_finds(tmp_path, monkeypatch):
    """Each person's last location from the person column alone (plain blocks searched, others read whole)
    is the last location where a full reading of every sheet finds that person."""
    from ruleset.batch import layout, xlsx_rows
    from ruleset.batch.people import SHEET_SHIFT, person_key
    from ruleset.batch.sources import book_sheets, xlsx_book

    monkeypatch.setattr(xlsx_rows, "_BLOCK", 1500)
    rows = _unit_rows(60, 9, True)
    plain = tmp_path / "plain.xlsx"
    _plain_xlsx(plain, rows, 100)
    for data in (plain.read_bytes(), fill_xlsx(rows)):  # shared strings (searched); inline strings (read whole)
        expected: dict = {}
        book = xlsx_book(io.BytesIO(data))
        for index, sheet in enumerate(s for s in book_sheets(book) if s.name not in ("填写说明", "选项")):
            for number, cells_ in enumerate(sheet.rows, 1):
                who = person_key(cells_[0]) if cells_ and number > 1 else None
                if who is not None:
                    expected[who] = index << SHEET_SHIFT | number
        assert batch_run.xlsx_last_rows(xlsx_book(io.BytesIO(data)), layout()) == expected


def test_a_row_found_after_its_person_was_checked_is_named_not_counted_twice(tmp_path, monkeypatch):
    """A sheet whose cells' positions disagree with their rows' (a damaged file): the first pass takes the
    cell's position, so a person may be let go early; a later row of theirs is a problem, not a second person."""
    import zipfile

    rows = [cells(person="甲", region="青海省", kind="公需科目学习", year=2021, hours=30),
            cells(person="乙", region="青海省", kind="公需科目学习", year=2021, hours=30),
            cells(person="甲", kind="公需科目学习", year=2022, hours=30)]
    source = tmp_path / "plain.xlsx"
    _plain_xlsx(source, rows, 1000)
    damaged = io.BytesIO()
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(damaged, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="4"><c r="A4"', b'<row r="4"><c r="A2"')
            out.writestr(item, data)
    source.write_bytes(damaged.getvalue())
    monkeypatch.setattr(batch_run, "BLOCK_ROWS", 1)  # people are let go after each row
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "--jobs", "1"]) == 2
    people = _table((tmp_path / "out.people.csv").read_bytes())[1:]
    assert sorted(p[0] for p in people) == ["乙", "甲"]
    problems = _table((tmp_path / "out.problems.csv").read_bytes())[1:]
    assert [(p[1], p[3]) for p in problems] == [("4", "甲")] and "之后" in problems[0][4]


def test_xlsx_output_splits_a_table_past_the_row_limit(tmp_path, monkeypatch):
    from ruleset.batch import writers

    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 10)
    source = tmp_path / "staff.csv"
    source.write_bytes(fill_csv(JIA + YI))
    assert main(["batch", str(source), "-o", str(tmp_path / "out.xlsx")]) == 0
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "out.xlsx").read_bytes()))
    parts = [n for n in book.sheetnames if n.startswith("各项活动")]
    assert parts == ["各项活动", "各项活动 2", "各项活动 3"]
    rows = [r for n in parts for r in list(book[n].iter_rows(values_only=True))[1:]]
    assert len(rows) == len(JIA) + len(YI) - 1
    assert all(list(book[n].iter_rows(values_only=True))[0][0] == "人员" for n in parts)


def test_without_openpyxl_xlsx_gets_a_message_and_csv_still_works(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    (tmp_path / "staff.xlsx").write_bytes(fill_xlsx(JIA))
    (tmp_path / "staff.csv").write_bytes(fill_csv(JIA))
    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    assert main(["batch", "--template", str(tmp_path / "t.xlsx")]) == 2
    assert main(["batch", str(tmp_path / "staff.xlsx"), "-o", str(tmp_path / "r.csv")]) == 2
    assert main(["batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "r.xlsx")]) == 2
    assert main(["batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "r.csv")]) == 0
    assert main(["batch", "--template", str(tmp_path / "t.csv")]) == 0
    err = capsys.readouterr().err
    assert err.count("需要安装 openpyxl") == 3 and "Traceback" not in err


def test_checking_leaves_no_reference_cycles():
    """The CLI runs with the cycle collector off: checking and rendering must leave no cycles behind."""
    import gc

    from ruleset.batch import layout, report
    from ruleset.batch.compute import Checker

    collector, people = batch_run.read(_unit(60, 11, True))
    checker = Checker(layout())
    tables = report.Tables(layout().bundle, collector.sheet_names)
    gc.collect()
    gc.disable()
    try:
        batch_run.check_and_render(people, checker, tables, as_csv=True)
        batch_run.check_and_render(people, checker, tables, as_csv=False)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("variant", ["plain", "crlf", "tab", "quoted", "spaces", "column_moved", "blank_lines",
                                     "gbk", "lone_cr"])
def test_the_first_pass_over_a_csv_finds_what_the_csv_module_finds(variant, monkeypatch):
    """Each person's last row by the first pass without the csv module (a CSV with no quote) is the csv
    module's; a quote or a lone \\r sends it to the csv module."""
    from ruleset.batch import layout
    from ruleset.batch.sources import detect_encoding

    header = ",".join(HEADERS)
    body = ["张三,青海省,,,,,,,公需科目学习,2021", " 李四 ,,,,,,,,公需科目学习,2022", ",,,,,,,,公需科目学习,2022",
            "张三,,,,,,,,公需科目学习,2023", "", "李四,,,,,,,,网络课程,2023", "王五", "张三,,,,,,,,网络课程,2024"]
    lines = ["", header] + body if variant == "blank_lines" else [header] + body
    text = "\n".join(lines) + "\n"
    encoding = "utf-8"
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "tab":
        text = text.replace(",", "\t")
    elif variant == "quoted":
        text = text.replace("王五", '"王,五"')
    elif variant == "spaces":
        text = text.replace("张三,", "张三 ,")
    elif variant == "column_moved":
        text = "\n".join(",".join([line.split(",")[1] if "," in line else "", line.split(",")[0]]
                                  + line.split(",")[2:]) for line in text.split("\n"))
    elif variant == "gbk":
        encoding = "gb18030"
    elif variant == "lone_cr":
        text = text.replace("王五\n", "王五\r")
    data = text.encode(encoding)
    stream = io.BytesIO(data)
    plain = batch_run.last_rows(stream, layout(), detect_encoding(stream))
    assert stream.tell() == 0
    monkeypatch.setattr(batch_run, "_plain_last_rows", lambda *args: None)
    assert plain == batch_run.last_rows(io.BytesIO(data), layout(), detect_encoding(io.BytesIO(data)))
    assert plain  # people were found
