"""Batch checking for a unit's officer (单位经办人): everyone's activities in one sheet -> each person's result.

    from ruleset.batch import Batch, template_xlsx
    batch = Batch(data)           # bytes of the filled .xlsx or .csv (GBK, UTF-8 with or without BOM)
    for done, total in batch.steps(): ...
    batch.export_xlsx()           # 人员汇总 / 年度核算 / 各项活动 / 输入问题

Pure Python over bytes and rows (openpyxl only for .xlsx, imported when needed); the command line
(`python -m ruleset batch`) adds files, a process pool and a progress bar (ruleset/batch/cli.py).
"""
from __future__ import annotations

import io

from .columns import Layout, layout
from .compute import Checker, PersonResult
from .people import Problem
from .run import Batch, Output, read
from .sources import UnreadableInput
from .template import write_csv, write_guide_csv, write_xlsx

__all__ = ["Batch", "Checker", "Layout", "Output", "PersonResult", "Problem", "UnreadableInput", "layout", "read",
           "template_csv", "template_xlsx", "guide_csv"]


def template_xlsx() -> bytes:
    """The empty template as .xlsx bytes (the sheet to fill, the guide, the drop-down lists)."""
    stream = io.BytesIO()
    write_xlsx(layout(), stream)
    return stream.getvalue()


def template_csv() -> bytes:
    """The empty template as CSV bytes: the header row, UTF-8 with BOM."""
    stream = io.BytesIO()
    write_csv(layout(), stream)
    return stream.getvalue()


def guide_csv() -> bytes:
    """The guide to every column and kind, as CSV bytes (UTF-8 with BOM)."""
    stream = io.BytesIO()
    write_guide_csv(layout(), stream)
    return stream.getvalue()
