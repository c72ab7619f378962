"""Batch checking (python -m ruleset batch): time and peak memory of the CLI on a generated unit.

    python -m benchmarks.batch [--people 300000] [--activities 10] [--formats csv,xlsx]

`make bench` runs `run_batch_benchmarks(row)`. The input is made here: people of the five regions
with ten activities each of the common kinds, filled as an officer would (region and profile on the
person's first row only), as CSV (UTF-8 with BOM) and as .xlsx written the way Excel and WPS save it
(shared strings; a new sheet every 1,048,575 rows).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60        # 300,000 people x 10 activities, CLI, this 2-core machine
PYODIDE_TARGET_SECONDS = 10  # 10,000 people x 10 activities, the core in Pyodide
XLSX_ROWS = 1_048_576


def _activity(rng: random.Random, region: str) -> dict:
    """One activity as the sheet's cells (Chinese labels, as an officer types them)."""
    year = rng.randint(2019, 2024)
    choice = rng.random()
    if choice < 0.3:
        return {"活动类型": "公需科目学习", "计入年度": year, "学时": rng.choice([10, 20, 24, 30, 30, 30, 40]),
                "已完成（结题、合格）": "是"}
    if choice < 0.55:
        days = rng.choice([1, 1.5, 2, 3, 5, 7])
        return {"活动类型": "培训班、研修班、进修班", "计入年度": year, "天数": days, "学时": int(days * 8),
                "科目": rng.choice(["专业科目", "专业科目", "公需科目"]), "已完成（结题、合格）": "是"}
    if choice < 0.7:
        return {"活动类型": "网络课程", "计入年度": year, "学时": rng.choice([8, 12, 16, 24, 32]), "已完成（结题、合格）": "是"}
    if choice < 0.8:
        days = rng.choice([0.5, 1, 2, 3])
        return {"活动类型": "学术会议、讲座、交流", "计入年度": year, "天数": days, "学时": int(days * 8),
                "已完成（结题、合格）": "是"}
    if choice < 0.9:
        return {"活动类型": "论文", "计入年度": year, "作者（完成人）总数": rng.choice([1, 1, 2, 3, 4]),
                "本人排名": rng.choice([1, 1, 2]), "发表形式": "期刊（报刊）发表", "刊物（会议）级别": "国家级",
                "刊物有国内统一刊号（CN）": "是", "字数": rng.choice([3000, 5000, 8000])}
    if choice < 0.95:
        return {"活动类型": "课题（项目）研究", "计入年度": year, "课题级别": rng.choice(["省部级", "市厅级"]),
                "本人角色": rng.choice(["主持人", "参与成员"]), "开始年份": year - rng.choice([0, 1, 2]),
                "本人排名": rng.choice([1, 2, 3]), "已按期结题": "是"}
    return {"活动类型": "专利", "计入年度": year, "专利类型": rng.choice(["发明专利", "实用新型专利"]),
            "本人排名": rng.choice([1, 2, 3])}


def unit_rows(people: int, activities: int, headers: list[str], seed: int = 7):
    """The rows of a generated unit's sheet, in the template's column order (None for blank)."""
    rng = random.Random(seed)
    regions = ["青海省", "青岛市", "常德市", "滨州市", "青海省"]
    titles = ["初级", "中级", "副高级", "正高级"]
    at = {h: i for i, h in enumerate(headers)}
    # activity fields named by their kind's label in case.yaml: map them to the template's columns
    alias = {"已按期结题": "已完成（结题、合格）", "课题级别": "级别", "刊物（会议）级别": "级别"}
    for n in range(people):
        region = regions[n % len(regions)]
        profile = {"姓名或工号": f"{n + 1:06d}", "地区": region, "拟申报职称层级": rng.choice(titles),
                   "申报年度": 2024, "任现职起始年份": rng.randint(2010, 2021)}
        for i in range(activities):
            cells = [None] * len(headers)
            values = {"姓名或工号": profile["姓名或工号"], **(profile if i == 0 else {}), **_activity(rng, region)}
            for key, value in values.items():
                cells[at[alias.get(key, key)]] = value
            yield cells


def write_csv(path: Path, rows, headers: list[str]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows([("" if v is None else v) for v in row] for row in rows)


def write_xlsx(path: Path, rows, headers: list[str]) -> None:
    """An .xlsx as Excel saves it: shared strings, inline numbers; a new sheet past Excel's row limit."""
    strings: dict[str, int] = {}
    letters = [_letter(i) for i in range(len(headers))]

    def cell(col: int, row: int, value) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            index = strings.setdefault(value, len(strings))
            return f'<c r="{letters[col]}{row}" t="s"><v>{index}</v></c>'
        return f'<c r="{letters[col]}{row}"><v>{value}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        sheets = 0
        rows = iter(rows)
        done = False
        while not done:
            sheets += 1
            with z.open(f"xl/worksheets/sheet{sheets}.xml", "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8")
                out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
                          'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                out.write('<row r="1">' + "".join(cell(i, 1, h) for i, h in enumerate(headers)) + "</row>")
                number = 1
                for values in rows:
                    number += 1
                    out.write(f'<row r="{number}">' + "".join(cell(i, number, v) for i, v in enumerate(values))
                              + "</row>")
                    if number == XLSX_ROWS:
                        break
                else:
                    done = True
                out.write("</sheetData></worksheet>")
                out.detach()
        sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                   f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                   f'uniqueCount="{len(strings)}">{sst}</sst>')
        main = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns='
                   f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{main}"><sheets>'
                   + "".join(f'<sheet name="人员活动{"" if i == 1 else i}" sheetId="{i}" r:id="rId{i}"/>'
                             for i in range(1, sheets + 1)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="{main}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, sheets + 1))
                   + f'<Relationship Id="rIdS" Type="{main}/sharedStrings" Target="sharedStrings.xml"/>'
                   "</Relationships>")
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                   f'"{main}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
                   f'"xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}'
                   '.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                             for i in range(1, sheets + 1))
                   + f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>')


def _letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _tree_rss(pid: int) -> int:
    """Resident kB of a process and all its descendants (from /proc), 0 once it is gone."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_cli(source: Path, output: Path, jobs: int | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak resident MB of the CLI and its workers together, exit status)."""
    extra = ["--jobs", str(jobs)] if jobs else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ruleset", "batch", str(source), "-o", str(output),
                             "--no-progress", *extra], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0, 2):
        raise RuntimeError(err.decode("utf-8", "replace")[-2000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and the workers it waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, peak[0] / 1024, proc.returncode


def run_batch_benchmarks(row, people: int = 300_000, activities: int = 10, formats=("csv", "xlsx"),
                         pyodide_people: int = 10_000) -> None:
    """Generate the unit, run the CLI on it for each input format, report each figure beside its target;
    then the core in Pyodide."""
    from ruleset.batch import layout

    headers = layout().headers
    target = TARGET_SECONDS * people * activities / 3_000_000
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            source = Path(tmp) / f"unit.{fmt}"
            (write_csv if fmt == "csv" else write_xlsx)(source, unit_rows(people, activities, headers), headers)
            size = source.stat().st_size / 1e6
            seconds, cpu, peak, status = run_cli(source, Path(tmp) / "results.csv")
            row(f"batch CLI, {people:,} people × {activities} activities, {fmt} in ({size:,.0f} MB), csv out",
                f"{seconds:.1f} s (CPU {cpu:.0f} s), peak {peak:,.0f} MB (exit {status})", f"≤ {target:.0f} s",
                seconds <= target)
            source.unlink()
    if pyodide_people:
        run_pyodide_benchmark(row, pyodide_people, activities)


PYODIDE_SCRIPT = r"""
// node SCRIPT REPO WHEEL SITE_PACKAGES DATA_DIR: the batch core in Pyodide (what the browser's worker runs)
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
const [repo, wheel, sitePackages, dataDir] = process.argv.slice(2);
const { loadPyodide } = createRequire(path.join(repo, "package.json"))("pyodide");
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
const copy = (from, to) => {  // openpyxl and et_xmlfile are pure Python: the venv's copy, as is
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    if (name === "__pycache__") continue;
    const source = path.join(from, name);
    if (statSync(source).isDirectory()) copy(source, to + "/" + name);
    else pyodide.FS.writeFile(to + "/" + name, readFileSync(source));
  }
};
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const pkg of ["openpyxl", "et_xmlfile"]) copy(path.join(sitePackages, pkg), site + "/" + pkg);
const out = {};
const timed = (code) => {  // wall and CPU seconds of one call into Python
  const wall = performance.now(), cpu = process.cpuUsage();
  pyodide.runPython(code);
  const used = process.cpuUsage(cpu);
  return [(performance.now() - wall) / 1000, (used.user + used.system) / 1e6];
};
for (const name of ["unit.csv", "unit.xlsx"]) {
  pyodide.FS.writeFile("/tmp/" + name, readFileSync(path.join(dataDir, name)));
  const [read, readCpu] = timed(`
from ruleset.batch import Batch
batch = Batch(open("/tmp/${name}", "rb").read()).run()`);
  const [csv, csvCpu] = timed("tables = batch.export_csv()");
  const [xlsx, xlsxCpu] = timed("book = batch.export_xlsx()");
  out[name] = { people: pyodide.runPython("len(batch.results)"), read_and_check: read, read_and_check_cpu: readCpu,
                export_csv: csv, export_xlsx: xlsx, export_xlsx_cpu: xlsxCpu };
}
process.stdout.write(JSON.stringify(out));
"""


def run_pyodide_benchmark(row, people: int = 10_000, activities: int = 10) -> None:
    """The batch core (Batch: read, check, export) in Pyodide under Node, on a CSV and an .xlsx unit."""
    import shutil
    import sysconfig

    from ruleset.batch import layout

    wheels = sorted((REPO / "dist").glob("ce_hours_checker-*-py3-none-any.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels or not (REPO / "node_modules" / "pyodide").exists() or not shutil.which("node"):
        row("batch core in Pyodide under Node", "not measured (run make assets)")
        return
    headers = layout().headers
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(Path(tmp) / "unit.csv", unit_rows(people, activities, headers), headers)
        write_xlsx(Path(tmp) / "unit.xlsx", unit_rows(people, activities, headers), headers)
        script = Path(tmp) / "batch_pyodide.mjs"
        script.write_text(PYODIDE_SCRIPT, encoding="utf-8")
        proc = subprocess.run(["node", str(script), str(REPO), str(wheels[-1]), sysconfig.get_paths()["purelib"],
                               tmp], capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        row("batch core in Pyodide under Node", "failed: " + proc.stderr.strip()[-300:])
        return
    target = PYODIDE_TARGET_SECONDS * people * activities / 100_000
    for name, t in json.loads(proc.stdout).items():
        fmt = name.rsplit(".", 1)[1]
        row(f"batch core in Pyodide under Node, {t['people']:,} people × {activities}, {fmt} in: read + check",
            f"{t['read_and_check']:.1f} s (CPU {t['read_and_check_cpu']:.1f} s); export: csv {t['export_csv']:.1f} s, "
            f"xlsx {t['export_xlsx']:.1f} s (CPU {t['export_xlsx_cpu']:.1f} s)",
            f"≤ {target:.0f} s", t["read_and_check"] <= target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--activities", type=int, default=10)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--pyodide-people", type=int, default=10_000, help="0: skip the Pyodide measurement")
    args = parser.parse_args(argv)

    def row(measure, figure, target="—", met=None):
        print(f"{measure}: {figure}   target {target}   {'' if met is None else 'met' if met else 'MISSED'}")

    if args.people:
        run_batch_benchmarks(row, args.people, args.activities, tuple(args.formats.split(",")), pyodide_people=0)
    if args.pyodide_people:
        run_pyodide_benchmark(row, args.pyodide_people, args.activities)
    return 0


if __name__ == "__main__":
    sys.exit(main())
