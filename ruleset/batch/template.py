"""The template a unit officer fills: the columns of columns.py, and a guide to every column and kind.

.xlsx: the sheet to fill (header, drop-down lists of the Chinese labels), the guide, and the lists;
.csv: the header row (UTF-8 with BOM), with the guide as a CSV of its own.
"""
from __future__ import annotations

from typing import BinaryIO

from ..loader import bundle as load_bundle
from .columns import ACTIVITY, CASE, PERSON, PROFILE, Column, Layout
from .writers import CsvTable, openpyxl_workbook

DATA_SHEET = "人员活动"
GUIDE_SHEET = "填写说明"
LISTS_SHEET = "选项"
NOT_DATA = (GUIDE_SHEET, LISTS_SHEET)  # sheets of the template the reader passes over

INSTRUCTIONS = [
    "每行填写一个人的一项继续教育活动；同一人的多项活动写成多行，不必相邻。",
    "“{person}”用来区分人员：同一人每行填写相同的内容，重名时请填工号。不需要身份证号。",
    "“{region}”和个人信息各列（{profile}）每人只需在其中一行填写；多行都填时必须一致，否则此人不核算，并列为错误。",
    "只填“{person}”和个人信息、不填“{kind}”的行，用来登记没有活动记录的人员（各年度按 0 学时核对）。",
    "选项列可以填中文名称，也可以填代码（见下表“可填的值”）；是/否列填“是”或“否”；数字可以带单位（如“2 天”）。",
    "某类活动用不到的列留空；填了也不会计算，结果的“提示”中会说明。",
    "核对职称申报的继续教育年限需要填写“{title}”和“{apply_year}”。",
    "文件可保存为 .xlsx，或 CSV（UTF-8，或 Excel、WPS 默认的 GBK 编码）。",
]
GUIDE_HEADER = ["列名", "代码", "填写", "类型", "可填的值", "适用的活动类型", "说明"]
KINDS_HEADER = ["活动类型", "代码", "需要填写的列", "说明"]
_GROUP = {PERSON: "每行必填", CASE: "每人一行", PROFILE: "每人一行", ACTIVITY: "活动"}


def _type(spec: dict) -> str:
    kind = spec["type"]
    if kind in ("int", "number"):
        words = "整数" if kind == "int" else "数字"
        lo, hi = spec.get("minimum"), spec.get("maximum")
        if lo is not None and hi is not None:
            words += f"（{lo}—{hi}）"
        if spec.get("multiple_of"):
            words += f"，{spec['multiple_of']} 的整数倍"
        if spec.get("suffix"):
            words += f"，单位：{spec['suffix']}"
        return words
    if kind == "str":
        return f"文字（最多 {spec.get('max_length', 500)} 字）"
    return {"bool": "是 / 否", "enum": "选项", "flags": "多选（用顿号分隔）"}[kind]


def _values(spec: dict) -> str:
    if spec["type"] not in ("enum", "flags"):
        return ""
    labels = spec.get("enum_labels") or {}
    words = [f"{labels.get(str(code), code)} = {code}" for code in spec["enum"]]
    if spec.get("nullable") and spec.get("null_label"):
        words.append(f"{spec['null_label']}（与留空不同：留空是未填写）")
    return "；".join(words)


def _kind_values(layout: Layout, column: Column) -> str:
    """The values of an enum column; where kinds define their own list, each list with its kinds."""
    if column.group != ACTIVITY or column.key in ("kind", "year", "title"):
        return _values(column.spec)
    variants: dict[str, list[str]] = {}
    for kind in layout.kinds_using(column.name):
        spec = layout.bundle.kind_fields[kind][column.name]
        variants.setdefault(_values(spec), []).append(layout.bundle.kinds[kind]["label"])
    if len(variants) <= 1:
        return next(iter(variants), "")
    return "\n".join(f"{'；'.join(kinds)}：{values}" for values, kinds in variants.items())


def guide_rows(layout: Layout) -> list[list]:
    """The guide: instructions, every column with its allowed values, every kind with its columns."""
    by_key = {c.key: c.header for c in layout.columns}
    words = {"person": by_key["person"], "region": by_key["region"], "kind": by_key["kind"],
             "profile": "、".join(c.header for c in layout.columns if c.group == PROFILE),
             "title": layout.bundle.case["profile"]["target_title"]["label"],
             "apply_year": layout.bundle.case["profile"]["apply_year"]["label"]}
    rows: list[list] = [["填写说明"]] + [[f"{i}. {text.format(**words)}"] for i, text in enumerate(INSTRUCTIONS, 1)]
    rows += [[], ["各列说明"], GUIDE_HEADER]
    all_kinds = len(layout.bundle.kinds)
    for column in layout.columns:
        spec = column.spec
        kinds = layout.kinds_using(column.name) if column.group == ACTIVITY else []
        if column.key == "kind" or len(kinds) == all_kinds:
            used = "全部"
        else:
            used = "；".join(layout.bundle.kinds[k]["label"] for k in kinds)
            overrides = [f"{layout.bundle.kinds[k]['label']}：{layout.bundle.kind_fields[k][column.name]['label']}"
                         for k in kinds if layout.bundle.kind_fields[k][column.name].get("label") != spec.get("label")]
            if overrides:
                used += "\n（在这些活动中的含义：" + "；".join(overrides) + "）"
        values = "见下方“活动类型”表" if column.key == "kind" else _kind_values(layout, column)
        rows.append([column.header, column.key, _GROUP[column.group], _type(spec), values,
                     used if column.group == ACTIVITY else "", spec.get("help") or ""])
    rows += [[], ["活动类型"], KINDS_HEADER]
    for code, kind in layout.bundle.kinds.items():
        fields = [layout.headers[layout.index[name]] for name in layout.bundle.kind_fields[code]]
        rows.append([kind["label"], code, "、".join(fields) or "（只需活动类型和计入年度）", kind.get("help") or ""])
    return rows


def write_csv(layout: Layout, stream: BinaryIO) -> None:
    """The template as CSV: the header row, UTF-8 with BOM."""
    CsvTable(stream, layout.headers).flush()


def write_guide_csv(layout: Layout, stream: BinaryIO) -> None:
    """The guide as CSV (the .csv template's companion)."""
    rows = guide_rows(layout)
    table = CsvTable(stream, rows[0])
    table.add(rows[1:])
    table.flush()


def write_xlsx(layout: Layout, stream: BinaryIO) -> None:
    """The template as .xlsx: the sheet to fill with drop-down lists, the guide, the lists."""
    book = openpyxl_workbook()
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    data = book.active
    data.title = DATA_SHEET
    guide = book.create_sheet(GUIDE_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    bold = Font(bold=True)
    data.append(layout.headers)
    list_col = 0
    for i, column in enumerate(layout.columns, 1):
        letter = get_column_letter(i)
        data[f"{letter}1"].font = bold
        data.column_dimensions[letter].width = max(10, 2 * len(column.header) + 2)
        if column.spec["type"] == "str":
            data.column_dimensions[letter].number_format = "@"  # 工号 0012 stays 0012
        options = _options(layout, column)
        if options:
            list_col += 1
            for r, text in enumerate([column.header] + options, 1):
                lists.cell(row=r, column=list_col, value=text)
            at = get_column_letter(list_col)
            ref = f"{quote_sheetname(LISTS_SHEET)}!${at}$2:${at}${len(options) + 1}"
            check = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=False)
            check.add(f"{letter}2:{letter}1048576")
            data.add_data_validation(check)
    data.freeze_panes = "B2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in guide_rows(layout):
        guide.append(row)
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if cell.value in ("填写说明", "各列说明", "活动类型") or cell.value in GUIDE_HEADER + KINDS_HEADER:
                cell.font = bold
    for letter, width in zip("ABCDEFG", (18, 16, 10, 22, 50, 40, 40)):
        guide.column_dimensions[letter].width = width
    lists.sheet_state = "hidden"
    book.save(stream)


def _options(layout: Layout, column: Column) -> list[str]:
    """The drop-down choices of a column: Chinese labels of its values (all kinds' own labels too)."""
    spec = column.spec
    if spec["type"] == "bool":
        return [load_bundle().bool_label(True), load_bundle().bool_label(False)]
    if spec["type"] != "enum":
        return []
    seen: list[str] = []
    specs = [spec]
    if column.group == ACTIVITY and column.key != "kind":
        specs += [layout.bundle.kind_fields[k][column.name] for k in layout.kinds_using(column.name)]
    for s in specs:
        labels = s.get("enum_labels") or {}
        for code in s["enum"]:
            text = str(labels.get(str(code), code))
            if text not in seen:
                seen.append(text)
        if s.get("nullable") and s.get("null_label") and s["null_label"] not in seen:
            seen.append(s["null_label"])
    return seen
