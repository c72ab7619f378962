"""Results as tables: one row per person, per person-year, per activity, per problem (Chinese headers).

Cells are str, int or float (numbers exactly as the result document gives them) or None.
"""
from __future__ import annotations

from ..loader import Bundle
from ..loader import bundle as _bundle
from .compute import PersonResult
from .people import SHEET_SHIFT, Problem, split_location
from .writers import csv_text

PEOPLE = "人员汇总"
YEARS = "年度核算"
ACTIVITIES = "各项活动"
PROBLEMS = "输入问题"

PEOPLE_HEADER = ["人员", "地区", "核算状态", "拟申报职称层级", "申报年度", "核查年度", "需达标年度数", "已达标年度",
                 "未达标年度", "职称申报", "职称申报说明", "输入问题数", "工作表", "首行"]
YEARS_HEADER = ["人员", "地区", "年度", "单位", "公需", "专业", "合计", "要求公需", "要求专业", "要求合计", "结论",
                "差公需", "差专业", "差合计", "视同完成", "要求依据", "要求条款链接", "职称申报"]
ACTIVITIES_HEADER = ["人员", "工作表", "行号", "活动类型", "计入年度", "名称（备注）", "公需", "专业", "上限核减前公需",
                     "上限核减前专业", "依据规则", "条款链接", "计算说明", "上限核减", "提示", "输入有效"]
PROBLEMS_HEADER = ["工作表", "行号", "列", "人员", "问题", "类别"]


_NONE: dict = {}
_DEEMED = {(False, False): None, (True, False): "公需", (False, True): "专业", (True, True): "公需、专业"}


def _years(values) -> str:
    return "、".join(str(y) for y in values or [])


def application_verdict(result: dict | None) -> str:
    """符合 / 不符合 / 无法核对 / 未填写申报信息 (target title and apply year), or 未核算."""
    if result is None:
        return "未核算"
    app = result.get("application")
    if app is None:
        return "未填写申报信息"
    if app.get("met") is True:
        return "符合"
    if app.get("met") is False:
        return "不符合"
    return "无法核对"


def year_verdict(entry: dict) -> str:
    """The year's verdict in words, as the CLI's table gives it."""
    if entry.get("required"):
        return "达标" if entry.get("met") else "未达标"
    if entry.get("covered"):
        return "学分制，按多年度累计考核" if entry.get("unit") == "credit" else "不设年度要求"
    return "不在已发布政策覆盖范围"


class Tables:
    """Row builders for one batch: locations print with the sheet names; links get the site's address."""

    def __init__(self, bundle: Bundle, sheet_names: list, site_url: str = ""):
        self.bundle = bundle
        self.sheet_names = sheet_names
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._csv_tails: dict[tuple, str] = {}  # an activity row's cells after its location -> their CSV text
        self._csv_by_conversion: dict[int, tuple] = {}  # id(Converted) -> (it, its row's CSV text)
        self._unit_labels: dict[str, str] = {}

    def _where(self, loc: int | None) -> tuple[str | None, int | None]:
        if loc is None:
            return None, None
        sheet, row = split_location(loc)
        return (self.sheet_names[sheet] if sheet < len(self.sheet_names) else None), row

    def _link(self, source: str | None) -> str | None:
        return self.site_url + source if source else None

    def person_row(self, r: PersonResult) -> list:
        res = r.summary
        sheet, row = self._where(r.first)
        errors = sum(1 for p in r.problems if p.error)
        if res is None:
            status = "未核算：" + ("地区或个人信息前后不一致" if r.blocked else "输入有误（见“输入问题”）")
            return [r.person, None, status, None, None, None, None, None, None, "未核算", None, errors, sheet, row]
        app = res.get("application") or {}
        window = app.get("window")
        profile_title = app.get("target_title")
        return [r.person, res.get("region_name"), "已核算" if not errors else "已核算（部分输入有误）",
                profile_title and self._title_label(profile_title), app.get("apply_year"),
                f"{window[0]}—{window[1]}" if window else None, app.get("years_required"),
                _years(app.get("qualifying_years")), _years(app.get("missing_years")),
                application_verdict(res), app.get("explanation"), errors, sheet, row]

    def _title_label(self, code: str) -> str:
        return self.bundle.case["profile"]["target_title"]["enum_labels"].get(code, code)

    def year_rows(self, r: PersonResult) -> list[list]:
        res = r.summary
        if res is None:
            return [[r.person, None, None, None, None, None, None, None, None, None, "未核算（见“输入问题”）",
                     None, None, None, None, None, None, "未核算"]]
        verdict = application_verdict(res)
        person, region, link, units = r.person, res.get("region_name"), self.site_url, self._unit_labels
        out = []
        for year, e in res["years"].items():
            req = e.get("required") or _NONE
            short = e.get("shortfall") or _NONE
            deemed = e.get("deemed_complete") or _NONE
            unit, source = e["unit"], e.get("source")
            label = units.get(unit)
            if label is None:
                label = units[unit] = _bundle().unit_label(unit)
            out.append([person, region, int(year), label, e["public"], e["professional"], e["total"],
                        req.get("public"), req.get("professional"), req.get("total"), year_verdict(e),
                        short.get("public"), short.get("professional"), short.get("total"),
                        _DEEMED[bool(deemed.get("public")), bool(deemed.get("professional"))], e.get("rule"),
                        link + source if source else None, verdict])
        if not out:
            out.append([person, region, None, None, None, None, None, None, None, None,
                        "没有年度可核算", None, None, None, None, None, None, verdict])
        return out

    def activity_rows(self, r: PersonResult) -> list[list]:
        res = r.result
        if res is None:
            return []
        person, names, mask = r.person, self.sheet_names, (1 << SHEET_SHIFT) - 1
        out = []
        for a, loc in zip(res["activities"], r.rows):
            sheet = loc >> SHEET_SHIFT
            out.append([person, names[sheet] if sheet < len(names) else None, loc & mask, *self._activity_tail(a)])
        return out

    def _activity_tail(self, a: dict) -> list:
        """An activity row's cells after its location (person, sheet, row): the result row's own."""
        before, source, caps, warnings = a["before_caps"], a["source"], a["caps"], a["warnings"]
        return [a.get("kind_label") or a["kind"], a["year"], a.get("title"), a["public"], a["professional"],
                before["public"], before["professional"], a["rule"], self.site_url + source if source else None,
                a["explanation"], "；".join(c["explanation"] for c in caps) if caps else None,
                "；".join(warnings) if warnings else None, _bundle().bool_label(a["valid"])]

    def activity_csv(self, r: PersonResult) -> str:
        """activity_rows(r) as CSV text (csv_text's). The cells after the location repeat across people and
        are made into text once: for a row no cap cut, they are its conversion's (the engine's rows say
        which conversion; a result document without them, what the cells are made of)."""
        if not r.computed:
            return ""
        names, mask = self.sheet_names, (1 << SHEET_SHIFT) - 1
        heads: dict[int, str] = {}  # sheet -> "person,sheet" as CSV
        lines = []
        tails = self._tails_of_rows(r) if r.engine_rows is not None else self._tails_of_document(r.result)
        for tail, loc in zip(tails, r.rows):
            sheet = loc >> SHEET_SHIFT
            head = heads.get(sheet)
            if head is None:
                head = heads[sheet] = csv_text([[r.person, names[sheet] if sheet < len(names) else None]])[:-2]
            lines.append(f"{head},{loc & mask},{tail}")
        return "".join(lines)

    def _tails_of_rows(self, r: PersonResult):
        """The CSV text of each activity row's cells after its location, from the engine's rows: a row no cap
        cut is its conversion's row (Row.as_dict), so its text is kept by the conversion (held beside it,
        so its id is not reused while kept)."""
        by_conversion, used = self._csv_by_conversion, r.used
        for row in r.engine_rows:
            if row.caps:
                yield csv_text([self._activity_tail(row.as_dict(used))])
                continue
            converted = row.converted
            kept = by_conversion.get(id(converted))
            if kept is None or kept[0] is not converted:
                if len(by_conversion) > 100_000:
                    by_conversion.clear()
                kept = by_conversion[id(converted)] = (converted, csv_text([self._activity_tail(row.as_dict(used))]))
            yield kept[1]

    def _tails_of_document(self, res: dict):
        """The same from a result document's activities (key: what a row without caps is made of)."""
        tails = self._csv_tails
        for a in res["activities"]:
            key = None
            if not a["caps"]:
                key = (a["kind"], a["year"], a.get("title"), type(a["public"]), a["public"],
                       type(a["professional"]), a["professional"], a["rule"], a["source"], a["explanation"],
                       tuple(a["warnings"]), a["valid"])
                tail = tails.get(key)
                if tail is not None:
                    yield tail
                    continue
            tail = csv_text([self._activity_tail(a)])
            if key is not None:
                if len(tails) > 100_000:
                    tails.clear()
                tails[key] = tail
            yield tail

    def problem_row(self, p: Problem) -> list:
        sheet, row = self._where(p.loc)
        return [sheet, row, p.column or None, p.person or None, p.message, "错误" if p.error else "提示"]
