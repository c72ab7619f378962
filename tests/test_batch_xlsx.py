""".xlsx rows (ruleset/batch/xlsx_rows.py) are the values openpyxl's read-only rows hold, whatever wrote the file."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from ruleset.batch import Batch
from ruleset.batch.sources import UnreadableInput, sheets
from test_batch import JIA, YI, fill_csv, fill_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def ours(data: bytes) -> dict:
    return {sheet.name: [tuple(row) for row in sheet.rows] for sheet in sheets(io.BytesIO(data), "xlsx")}


def openpyxl_rows(data: bytes) -> dict:
    """openpyxl's own read-only reading, rows from row 1 (its empty rows as empty tuples)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = {}
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
        out[sheet.title] = rows
    book.close()
    return out


def handmade(sheet_xml: str, strings: list[str] | None = None, styles: str | None = None,
             date1904: bool = False) -> bytes:
    """An .xlsx with one worksheet whose XML is `sheet_xml` (inside <worksheet>), as other programs write."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.sharedStrings+xml"/>' if strings is not None else "")
                   + ('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.styles+xml"/>' if styles else "") + "</Types>")
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
                   + ('<workbookPr date1904="1"/>' if date1904 else "")
                   + '<sheets><sheet name="人员活动" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                   + (f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                      if strings is not None else "")
                   + (f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>' if styles else "")
                   + "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}"'
                   f' xmlns:x="{MAIN}">{sheet_xml}</worksheet>')
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}">'
                       + "".join(f"<si>{s if s.startswith('<') else f'<t>{s}</t>'}</si>" for s in strings)
                       + "</sst>")
        if styles:
            z.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
    return out.getvalue()


DATE_STYLES = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;"/></numFmts>'
               '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
               '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/>'
               '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>'
               '<xf numFmtId="46" applyNumberFormat="1"/></cellXfs>')

SHEETS = {
    "plain, as Excel saves it": ('<dimension ref="A1:D3"/><sheetData><row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c>'
                                 '<c r="B1" s="0" t="s"><v>1</v></c><c r="D1"><v>2024</v></c></row>'
                                 '<row r="3"><c r="B3"><v>1.5</v></c><c r="C3" t="b"><v>1</v></c>'
                                 '<c r="D3" t="e"><v>#N/A</v></c></row></sheetData>', ["甲", "A&amp;B &lt;1&gt;"]),
    "no dimension, gaps, empty and self-closing rows": ('<sheetData><row r="2"/><row r="4"><c r="C4"><v>7</v></c>'
                                                        '<c r="A4"/></row><row r="5"></row><row r="7">'
                                                        '<c r="AB7" t="s"><v>0</v></c></row></sheetData>', ["x"]),
    "cells and rows without positions": ('<sheetData><row><c t="s"><v>0</v></c><c><v>3</v></c></row><row>'
                                         '<c r="C2"><v>4</v></c><c><v>5</v></c></row></sheetData>', ["甲"]),
    "inline strings, runs, phonetic text, line ends": (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> 张 三 </t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>课题</t></r><r><t>（省级）</t></r><rPh sb="0" eb="1">'
        '<t>カダイ</t></rPh></is></c><c r="C1" t="inlineStr"><is><t>a\r\nb&#13;c&amp;d</t></is></c>'
        '<c r="D1" t="inlineStr"/></row></sheetData>', None),
    "formula results, typed text, ISO dates, CDATA, comments, whitespace": (
        '<sheetData>\n  <!-- made by hand -->\n  <row r="1">\n    <c r="A1"><f>1+1</f><v>2</v></c>\n'
        '    <c r="B1" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c>\n    <c r="C1" t="d"><v>2023-05-01T00:00:00</v></c>\n'
        '    <c r="D1" t="str"><v><![CDATA[x<y & z]]></v></c>\n    <c r="E1"><f>A1</f></c>\n  </row>\n</sheetData>',
        None),
    "rich and phonetic shared strings": ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
                                         '</c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row></sheetData>',
                                         ['<r><rPr><b/></rPr><t>课题</t></r><r><t xml:space="preserve"> 省级 </t></r>'
                                          '<rPh sb="0" eb="2"><t>カダイ</t></rPh>', '<t/>', 'a_x005F_x000D_b',
                                          '<t xml:space="preserve">x&amp;y\r\nz</t>']),
    "a namespace prefix and single quotes": (
        "<x:sheetData><x:row r='1'><x:c r='A1' t='s'><x:v>0</x:v></x:c><x:c r='B1'><x:v>12</x:v></x:c></x:row>"
        "</x:sheetData>", ["乙"]),
    "rows out of order": ('<sheetData><row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
                          '<row r="5"><c r="A5"><v>5</v></c></row></sheetData>', None),
    "other attributes on cells": ('<sheetData><row r="1" ht="20" customHeight="1"><c r="A1" s="0" t="s" cm="1"><v>0</v>'
                                  '</c><c r="B1" vm="1"><v>2</v></c><c r="C1" ph="1" t="n"><v>1E3</v></c></row>'
                                  '</sheetData>', ["丙"]),
}


@pytest.mark.parametrize("name", SHEETS)
def test_handmade_sheets_read_as_openpyxl_reads_them(name):
    xml, strings = SHEETS[name]
    data = handmade(xml, strings)
    assert ours(data) == openpyxl_rows(data)


def test_date_formatted_numbers_are_dates_in_both_epochs():
    xml = ('<sheetData><row r="1"><c r="A1" s="1"><v>44927</v></c><c r="B1" s="2"><v>45292</v></c>'
           '<c r="C1" s="3"><v>1.25</v></c><c r="D1" s="0"><v>44927</v></c><c r="E1" s="1"><v>9999999999</v></c>'
           '</row></sheetData>')
    for date1904 in (False, True):
        data = handmade(xml, styles=DATE_STYLES, date1904=date1904)
        got = ours(data)
        assert got == openpyxl_rows(data)
        assert isinstance(got["人员活动"][0][0], dt.datetime) and got["人员活动"][0][3] == 44927


def test_a_workbook_openpyxl_writes_reads_alike():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "第一"
    sheet.append(["姓名或工号", "计入年度", "天数", "是否", "日期", None, "公式"])
    sheet.append(["张三", 2023, 2.5, True, dt.datetime(2023, 5, 1), None, "=B2+1"])
    sheet.append([])
    sheet.append(["a,b \"c\"\nd", -1, 1e-7, False, dt.date(2020, 1, 2)])
    sheet.append([CellRichText(TextBlock(InlineFont(b=True), "加粗"), "普通")])
    other = book.create_sheet("第二")
    other["C5"] = "远处"
    stream = io.BytesIO()
    book.save(stream)
    data = stream.getvalue()
    assert ours(data) == openpyxl_rows(data)


def test_the_filled_template_gives_the_results_of_the_same_csv():
    from_xlsx, from_csv = Batch(fill_xlsx(JIA + YI)).run(), Batch(fill_csv(JIA + YI)).run()
    assert [r.result for r in from_xlsx.results] == [r.result for r in from_csv.results]


def test_a_damaged_sheet_is_unreadable_input_not_a_traceback():
    data = handmade('<sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData>', ["only one"])
    with pytest.raises(UnreadableInput, match="共享字符串"):
        ours(data)
