"""Sample files of a unit for the batch page's build (site_src/batch_prepare.mjs runs the page's Python over
them to find the standard-library modules it imports) and for tests/test_batch_stdlib.py (the same run on
exactly what the site serves).

    python site_src/batch_samples.py OUT_DIR

Every way in the reader has: CSV in UTF-8 with a BOM, in GB18030 (as Chinese Excel and WPS save it), in
UTF-16, tab-separated; .xlsx with shared strings (as Excel saves it) and as openpyxl saves the template;
rows with bad values and a person with two regions; an empty file and one that is neither format.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks.batch makes the rows


def rows() -> tuple[list[str], list[list]]:
    """(the template's headers, the rows of 12 generated people and a few faulty ones)."""
    from benchmarks.batch import unit_rows
    from ruleset.batch import layout

    headers = layout().headers
    out = list(unit_rows(12, 6, headers, seed=3))
    at = {h: i for i, h in enumerate(headers)}
    bad = [dict(zip(headers, r)) for r in out[:3]]
    bad[0].update({"姓名或工号": "错行", "计入年度": "去年"})
    bad[1].update({"姓名或工号": "错行", "活动类型": "不存在的活动", "地区": "青岛市"})
    bad[2].update({"姓名或工号": "两地", "地区": "常德市"})
    out += [[b.get(h) for h in headers] for b in bad]
    out.append([None] * len(headers))
    out[-1][at["姓名或工号"]] = "两地"
    out[-1][at["地区"]] = "滨州市"
    return headers, out


def _csv(headers, data, delimiter=",") -> str:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([("" if v is None else v) for v in r] for r in data)
    return text.getvalue()


def write(out: Path) -> list[Path]:
    import openpyxl

    from benchmarks.batch import write_xlsx
    from ruleset.batch import template_xlsx

    out.mkdir(parents=True, exist_ok=True)
    headers, data = rows()
    files = {
        "unit-utf8.csv": _csv(headers, data).encode("utf-8-sig"),
        "unit-gb18030.csv": _csv(headers, data).encode("gb18030"),
        "unit-utf16.csv": _csv(headers, data).encode("utf-16"),
        "unit-tabs.csv": _csv(headers, data, "\t").encode("utf-8"),
        "empty.csv": b"",
        "neither.xlsx": b"PK\x03\x04 not a workbook",
    }
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.worksheets[0]
    order = [c.value for c in sheet[1]]
    for r in data:
        by = dict(zip(headers, r))
        sheet.append([by.get(h) for h in order])
    buffer = io.BytesIO()
    book.save(buffer)
    files["unit-openpyxl.xlsx"] = buffer.getvalue()
    written = []
    for name, content in files.items():
        (out / name).write_bytes(content)
        written.append(out / name)
    write_xlsx(out / "unit-shared.xlsx", data, headers)
    written.append(out / "unit-shared.xlsx")
    return written


if __name__ == "__main__":
    write(Path(sys.argv[1]))
