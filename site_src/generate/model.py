"""View models of the generated pages, computed from the rule bundle (no MkDocs here).

Everything a reader sees is Chinese; the wording is derived from each rule's
`method` and `params` plus the labels of the case vocabulary
(bundle["case"]), so the pages change when the rule data changes.

Contracts other code relies on (tests/test_site.py):
- every rule gets a section whose id is `section_id(rule, same_id_count)`:
  "rule-" + rule id with dots replaced by hyphens, plus "-<from year>" when the
  region has several rules of that id (one per period in force);
- every numeric value of a rule's `params` and `cap` is rendered exactly once
  in that section, in an element of class "ref-num"; no other number carries it.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter
from importlib import resources
from pathlib import Path

# --- loading -----------------------------------------------------------------------

BUNDLE_ENV = "RULESET_BUNDLE"  # development override: a bundle.json path


def bundle_path() -> Path:
    override = os.environ.get(BUNDLE_ENV)
    if override:
        return Path(override)
    return Path(str(resources.files("ruleset") / "data" / "bundle.json"))


def load_bundle(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("policies", "regions", "case", "rules"):
        if key not in data:
            raise ValueError(f"{path}: the bundle has no {key!r}")
    return data


# --- vocabulary ----------------------------------------------------------------------

SUBJECT_ZH = {
    "public": "公需科目",
    "professional": "专业科目",
    "choice": "按所填科目（公需或专业）",
    "both": "公需科目和专业科目",
    "total": "合计",
}
UNIT_ZH = {"hour": "学时", "credit": "学分"}
SCOPE_ZH = {
    "year": "当年",
    "tenure": "任现职期间各年度",
    "posting_years": "驻派期间的各完整年度",
}
EFFECT_ZH = {
    "none_required": "对继续教育不作要求",
    "since_field": "按所填年份起的实际年限计算",
    "tenure_years": "按任现职年限计算",
}
SPECIAL_KINDS = {
    "requirement": "年度学时要求",
    "period_requirement": "多年度学时（学分）要求",
    "title": "申报职称的继续教育年限",
    "exemption": "免除与特殊情形",
    "industry": "行业规定与提示",
    "cap": "多类活动共用的学时上限",
}
# Names of params, in Chinese (a key not listed here is shown as it is).
PARAM_ZH = {
    "rate": "每天折算学时",
    "stated_first": "证书载明学时的按载明学时",
    "max_per_day": "每天最多学时",
    "amount": "每项学时",
    "sole": "独著（独立作者）",
    "coauthor": "合作者（每人）",
    "first": "第一作者",
    "other": "其他作者",
    "factor": "倍数",
    "field": "依据",
    "unit": "单位",
    "by": "分档依据",
    "groups": "各档学时",
    "keys": "查表依据",
    "values": "学时表",
    "by_role": "每年学时（按角色）",
    "subjects": "视同完成的科目",
    "scope": "视同完成的范围",
    "min_months": "最少月数",
    "public": "公需科目",
    "professional": "专业科目",
    "total": "合计",
    "years_required": "需具备的年数",
    "extra_years": "窗口可多含的年数",
    "consecutive": "须连续",
    "window_from": "起算年份",
    "end_offset": "截止年度偏移",
    "limit_by_tenure": "任现职不足时按实际年限",
    "message": "说明",
    "effect": "效果",
    "reason": "原因",
    "per_year": "每年最多",
    "from": "起始年度",
    "to": "截止年度",
    "explanation": "说明",
    "hours_per_credit": "每学分折合学时",
    "hours_per_day": "只填天数时每天学时",
    "min": "最低数量",
    "count_unit": "计数单位",
    "min_chars": "最少字数",
    "journal": "期刊论文（按刊物级别）",
    "exchange": "交流论文（按级别和获奖等次）",
    "default_grade": "未评等次时按几等奖",
    "table": "折算表",
    "by_rank": "本人排名对应的等次",
    "mode": "类别",
    "top": "按本人等次计的名次（前几名）",
    "next_grade": "其后人员降为的等次",
    "ungraded": "不分等次时按排名对应的等次",
    "next_level": "降一级别",
    "lowest_after_top": "县区级鉴定成果前几名之后",
    "level_from": "级别依据",
    "grade_from": "等次依据",
    "map": "对照",
    "rank_default": "未填排名时按",
    "steps": "按时长分档",
    "beyond": "超过一年的部分",
    "after": "超过的月数",
    "every": "每满月数",
    "add": "增加",
    "days_per_month": "只填天数时每月天数",
    "method": "折算方法",
    "params": "方法参数",
}
# Params that are metadata of other params (not shown as rows of their own).
HIDDEN_PARAMS = {"column_zh"}
# Values of params that are neither numbers nor case-field values.
VALUE_ZH = {
    "appraised": "鉴定成果（未获奖）档",
    "award": "获奖",
    "excellent": "优秀等次",
    "good": "良好等次",
    "fair": "一般等次",
    "paper": "同级发表论文",
}
METHOD_ZH = {
    "per_day": "按天数",
    "stated_hours": "按载明学时",
    "fixed": "每项定额",
    "multiple": "按倍数",
    "per_count": "按数量",
    "by_authorship": "按作者身份",
    "rank_groups": "按排名分档",
    "table": "查表",
    "per_project_year": "按课题年数",
    "deemed_complete": "视同完成",
    "pro_rata_months": "按月份比例",
    "zero": "不计学时",
    "window": "申报年限",
    "hours_to_credits": "学时折合学分",
    "stated_credits": "按载明学分",
    "as_credits": "以学分计",
    "threshold": "达到数量后定额",
    "duration_steps": "按时长分档",
}
# Params whose keys (per nesting level) are values of a case field.
RANK = "__rank__"
SUBJECT = "__subject__"
GRADE = "__grade__"
COLUMN = "__column__"
MONTHS = "__months__"
PSEUDO_HEAD = {RANK: "排名", SUBJECT: "科目", GRADE: "等次", COLUMN: "等次", MONTHS: "时长"}
GRADE_ZH = {"1": "一等奖", "2": "二等奖", "3": "三等奖"}


def _keyed_by(name: str, params: dict, method: str | None = None) -> list:
    if method == "binzhou_achievement":
        return {"table": ["level", GRADE], "next_grade": [GRADE], "ungraded": [RANK],
                "next_level": ["level"]}.get(name, [])
    if method == "binzhou_paper":
        return {"journal": ["level"], "exchange": ["level", GRADE]}.get(name, [])
    if method == "binzhou_book":
        return {"table": ["level", COLUMN], "by_rank": [RANK]}.get(name, [])
    if method == "duration_steps" and name == "steps":
        return [MONTHS]
    if name == "groups":
        return [params["by"], RANK] if params.get("by") else [RANK]
    if name == "values":
        return list(params.get("keys") or [])
    if name == "by_role":
        return ["role"]
    if name == "years_required":
        return ["target_title"]
    if name == "per_year":
        return [SUBJECT]
    return []


def fmt_num(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_num(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numbers_of(value) -> list:
    """Every numeric leaf of a params/cap structure, in order (bools excluded)."""
    if is_num(value):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_of(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_of(v)]
    return []


def years_label(span: dict) -> str:
    start, until = span.get("from"), span.get("until")
    if start is None:  # open start: the notice sets no first year
        return f"{until} 年及以前"
    if until is None:
        return f"{start} 年起"
    if until == start:
        return f"{start} 年"
    return f"{start}—{until} 年"


def section_id(rule: dict, duplicated: bool) -> str:
    base = "rule-" + rule["id"].replace(".", "-")
    return f"{base}-{rule['in_force'].get('from', 'open')}" if duplicated else base


def md_escape(text: str) -> str:
    """Plain text for Markdown: no HTML, no emphasis, no links, no line breaks."""
    text = html.escape(str(text), quote=False)
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


class Labels:
    """Chinese labels of kinds, fields and values from bundle["case"]."""

    def __init__(self, case: dict):
        self.kinds = case.get("kinds", {})
        self.fields = case.get("fields", {})
        self.profile = case.get("profile", {})
        self.columns: dict = {}  # the current rule's column_zh (set while rendering its params)

    def kind(self, kind: str) -> str:
        if kind in self.kinds:
            return self.kinds[kind].get("label") or kind
        return SPECIAL_KINDS.get(kind, kind)

    def _spec(self, name: str, kind: str | None) -> dict:
        spec = dict(self.fields.get(name) or self.profile.get(name) or {})
        override = ((self.kinds.get(kind) or {}).get("fields") or {}).get(name) if kind else None
        if override:
            spec.update({k: v for k, v in override.items() if v is not None})
        return spec

    def field(self, name: str, kind: str | None = None) -> str:
        if name == "flag":
            return "特殊情形"
        return self._spec(name, kind).get("label") or PARAM_ZH.get(name, name)

    def value(self, name: str, value, kind: str | None = None) -> str:
        if name == RANK:
            return str(value)
        if name == SUBJECT:
            return SUBJECT_ZH.get(value, str(value))
        if name == GRADE:
            return GRADE_ZH.get(str(value), VALUE_ZH.get(str(value), str(value)))
        if name == MONTHS:
            return f"满 {value} 个月" if str(value) != "0" else "不满 1 个月"
        if name == COLUMN:
            return self.columns.get(str(value), VALUE_ZH.get(str(value), str(value)))
        if name == "flag":
            return self.flag(value)
        if isinstance(value, bool):
            return "是" if value else "否"
        labels = self._spec(name, kind).get("enum_labels") or {}
        return labels.get(str(value), str(value))

    def flag(self, flag: str) -> str:
        return ((self.profile.get("flags") or {}).get("enum_labels") or {}).get(flag, flag)


# --- params as HTML tables ---------------------------------------------------------


def _num_html(value) -> str:
    return f'<span class="ref-num">{html.escape(fmt_num(value))}</span>'


def _scalar_html(name: str | None, value, labels: Labels, kind: str | None) -> str:
    """A leaf value; `name` is the param (or field) it belongs to."""
    if is_num(value) and name in ("next_grade", "ungraded", "default_grade"):
        return f"{_num_html(value)}（{html.escape(labels.value(GRADE, str(value), kind))}）"
    if is_num(value):
        return _num_html(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    if isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return "".join("<div>" + (_dict_html(v, [], labels, kind, name) if isinstance(v, dict)
                                      else _scalar_html(name, v, labels, kind)) + "</div>" for v in value)
        return "、".join(_scalar_html(name, v, labels, kind) for v in value)
    text = str(value)
    if name in ("by", "field", "keys"):
        return html.escape(labels.field(text, kind))
    if name == "subjects":
        return html.escape(SUBJECT_ZH.get(text, text))
    if name == "scope":
        return html.escape(SCOPE_ZH.get(text, text))
    if name == "effect":
        return html.escape(EFFECT_ZH.get(text, text))
    if name == "unit":
        return html.escape(UNIT_ZH.get(text, text))
    if name == "method":
        return html.escape(METHOD_ZH.get(text, text))
    if name in ("by_rank", "next_grade"):
        return html.escape(labels.value(COLUMN if name == "by_rank" else GRADE, text, kind))
    if name == "mode":
        return html.escape(VALUE_ZH.get(text, text))
    return html.escape(text)


def _key_html(key, field, labels: Labels, kind: str | None) -> str:
    if field is None:
        return html.escape(PARAM_ZH.get(str(key), str(key)))
    return html.escape(labels.value(field, key, kind))


def _is_flat(d) -> bool:
    return isinstance(d, dict) and all(not isinstance(v, (dict, list)) or
                                       (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v))
                                       for v in d.values())


def _dict_html(d: dict, fields: list, labels: Labels, kind: str | None, name: str | None) -> str:
    """A nested mapping; fields[i] names the case field its level-i keys belong to."""
    field = fields[0] if fields else None
    rest = fields[1:]
    head = PSEUDO_HEAD.get(field) or (html.escape(labels.field(field, kind)) if field else "项目")
    values = list(d.values())
    # A matrix: every value is a flat mapping of scalars (e.g. organizer x prize).
    if values and all(isinstance(v, dict) and v and _is_flat(v) for v in values):
        sub = rest[0] if rest else None
        cols: list = []
        for v in values:
            for k in v:
                if k not in cols:
                    cols.append(k)
        sub_head = PSEUDO_HEAD.get(sub) or (html.escape(labels.field(sub, kind)) if sub else "")
        out = ['<table class="ref-data ref-matrix">', "<thead><tr>",
               f"<th>{head}{(' ＼ ' + sub_head) if sub_head else ''}</th>"]
        out += [f"<th>{_key_html(c, sub, labels, kind)}</th>" for c in cols]
        out.append("</tr></thead><tbody>")
        for k, v in d.items():
            out.append(f"<tr><th>{_key_html(k, field, labels, kind)}</th>")
            for c in cols:
                out.append(f"<td>{_scalar_html(name, v[c], labels, kind)}</td>" if c in v
                           else '<td class="ref-none" title="本条未列">—</td>')
            out.append("</tr>")
        out.append("</tbody></table>")
        return "".join(out)
    out = ['<table class="ref-data">', f"<thead><tr><th>{head}</th><th>数值</th></tr></thead><tbody>"]
    for k, v in d.items():
        cell = (_dict_html(v, rest, labels, kind, name) if isinstance(v, dict)
                else _scalar_html(name, v, labels, kind))
        out.append(f"<tr><th>{_key_html(k, field, labels, kind)}</th><td>{cell}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def params_html(params: dict | None, labels: Labels, kind: str | None, method: str | None = None,
                nested: bool = False) -> str:
    """The params of a rule as a two-column table (nested mappings as small tables)."""
    if not params:
        return ""
    if not nested:
        labels.columns = dict(params.get("column_zh") or {})
    cls = "ref-data" if nested else "ref-data ref-params"
    out = [f'<table class="{cls}">', "<thead><tr><th>参数</th><th>取值</th></tr></thead><tbody>"]
    for name, value in params.items():
        if name in HIDDEN_PARAMS:
            continue
        if name == "params" and isinstance(value, dict):
            cell = params_html(value, labels, kind, params.get("method"), nested=True)
        elif isinstance(value, dict):
            cell = _dict_html(value, _keyed_by(name, params, method), labels, kind, name)
        else:
            cell = _scalar_html(name, value, labels, kind)
        out.append(f"<tr><th>{html.escape(PARAM_ZH.get(name, name))}</th><td>{cell}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def cap_html(cap: dict | None, labels: Labels) -> str:
    if not cap:
        return ""
    out = ['<table class="ref-data ref-cap">', "<thead><tr><th>本类活动上限</th><th>学时</th></tr></thead><tbody>"]
    for name, value in cap.items():
        cell = (_dict_html(value, [SUBJECT], labels, None, name) if isinstance(value, dict)
                else _scalar_html(name, value, labels, None))
        out.append(f"<tr><th>{html.escape(PARAM_ZH.get(name, name))}</th><td>{cell}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


# --- the conversion in words --------------------------------------------------------


def _n(v) -> str:
    return fmt_num(v)


def describe(rule: dict, labels: Labels) -> list[str]:
    """The rule's conversion (or requirement) in Chinese sentences, from method and params."""
    p = rule.get("params") or {}
    kind = rule["kind"]
    method = rule.get("method")
    out: list[str] = []
    if kind == "requirement":
        if p.get("per_year") is False:
            out.append(p.get("explanation") or "不按年度规定学时要求。")
        elif {"public", "professional", "total"} <= p.keys():
            unit = UNIT_ZH.get(p.get("unit", "hour"), "学时")
            out.append(f"每年不少于 {_n(p['total'])} {unit}，其中公需科目不少于 {_n(p['public'])} {unit}，"
                       f"专业科目不少于 {_n(p['professional'])} {unit}。")
    elif kind == "period_requirement" and {"from", "to", "total"} <= p.keys():
        unit = UNIT_ZH.get(p.get("unit", "credit"), "学分")
        out.append(f"{_n(p['from'])}—{_n(p['to'])} 年累计不少于 {_n(p['total'])} {unit}。")
    elif kind == "cap":
        kinds = "、".join(labels.kind(k) for k in rule.get("kinds") or [])
        limits = p.get("per_year")
        if isinstance(limits, dict):
            parts = "，".join(("" if s == "total" else SUBJECT_ZH.get(s, s)) + f"不超过 {_n(v)} 学时"
                             for s, v in limits.items())
        else:
            parts = f"不超过 {_n(limits)} 学时" if limits is not None else ""
        out.append(f"{kinds}合计每年{parts}。" if kinds else f"每年{parts}。")
    elif kind == "exemption":
        effect = p.get("effect")
        text = EFFECT_ZH.get(effect, effect or "")
        if effect == "since_field" and p.get("field"):
            text = f"按{labels.field(p['field'])}起的实际年限计算"
        if rule.get("flag"):
            out.append(f"{labels.flag(rule['flag'])}：{text}。")
        elif text:
            out.append(text + "。")
    elif kind == "industry":
        if p.get("message"):
            out.append(p["message"])
    elif method == "window":
        need = p.get("years_required")
        if isinstance(need, dict):
            parts = "、".join(f"{labels.value('target_title', t)}近 {_n(n)} 年" for t, n in need.items())
        else:
            parts = f"近 {_n(need)} 年" if need is not None else ""
        text = f"申报时须具备{parts}的继续教育学时"
        if "window_from" in p:
            text += f"（自 {_n(p['window_from'])} 年以来计算）"
        text += "，须连续年度" if p.get("consecutive") else "，可不连续"
        if p.get("extra_years"):
            text += f"；本站允许窗口多含 {_n(p['extra_years'])} 年（截至申报前一年也可）"
        out.append(text + "。")
    elif method:
        out.append(_describe_method(method, p, kind, labels, UNIT_ZH.get(p.get("unit", "hour"), "学时")))
    return out


def _describe_method(method: str, p: dict, kind: str, labels: Labels, u: str) -> str:
    """One sentence for a conversion method; amounts are in `u` (学时 or 学分)."""
    if method == "per_day":
        text = f"按天数折算，每天 {_n(p.get('rate'))} {u}"
        if p.get("stated_first", True):
            text = f"证书（通知）载明{u}的按载明{u}认定；未载明的" + text
        if p.get("max_per_day") is not None:
            text += f"；载明{u}每天最多按 {_n(p['max_per_day'])} {u}计"
        return text + "。"
    if method == "stated_hours":
        return "按证书、平台或通知载明的学时认定。"
    if method == "stated_credits":
        return "按结业证书记载的学分认定。"
    if method == "fixed":
        if "amount" in p:
            return f"每项折算 {_n(p['amount'])} {u}。"
        parts = "，".join(f"{SUBJECT_ZH[s]} {_n(p[s])} {u}" for s in ("public", "professional") if p.get(s))
        return f"每项折算{parts}。"
    if method == "multiple":
        return f"按{labels.field(p.get('field', 'hours'), kind)}的 {_n(p.get('factor'))} 倍折算。"
    if method == "per_count":
        unit = p.get("unit", "项")
        return f"按{labels.field(p.get('field', ''), kind)}计，每{unit}折算 {_n(p.get('amount'))} {u}。"
    if method == "by_authorship":
        parts = [f"独著每项 {_n(p['sole'])} {u}"] if "sole" in p else []
        if "coauthor" in p:
            parts.append(f"合作的每人 {_n(p['coauthor'])} {u}")
        if "first" in p:
            parts.append(f"合著第一作者 {_n(p['first'])} {u}")
        if "other" in p:
            parts.append(f"其他作者 {_n(p['other'])} {u}")
        return "按作者身份折算：" + "，".join(parts) + "。"
    if method == "rank_groups":
        by = f"按{labels.field(p['by'], kind)}和" if p.get("by") else "按"
        return f"{by}本人排名分档折算（见下表；表中未列的情形不计{u}）。"
    if method == "table":
        keys = "、".join(labels.field(k, kind) for k in p.get("keys") or [])
        return f"按{keys}查表折算（见下表；表中未列的情形不计{u}）。"
    if method == "per_project_year":
        roles = "，".join(f"{labels.value('role', r, kind)}每年 {_n(v)} {u}"
                         for r, v in (p.get("by_role") or {}).items())
        return f"自立项至结题，每年折算：{roles}。"
    if method == "deemed_complete":
        subjects = "和".join(SUBJECT_ZH.get(s, s) for s in p.get("subjects") or [])
        scope = SCOPE_ZH.get(p.get("scope", "year"), p.get("scope", ""))
        text = f"视同完成{scope}的{subjects}全部学时"
        if p.get("min_months"):
            text += f"（须满 {_n(p['min_months'])} 个月）"
        return text + "。"
    if method == "pro_rata_months":
        parts = "，".join(f"{SUBJECT_ZH[s]}全年 {_n(p[s])} {u}" for s in ("public", "professional") if p.get(s))
        return f"按当年所占月份比例折算（{parts}）。"
    if method == "zero":
        return f"不计{u}：" + (p.get("reason") or "按本条规定不计。")
    if method == "hours_to_credits":
        text = f"学时折合学分：每 {_n(p.get('hours_per_credit'))} 学时折合 1 学分"
        if p.get("hours_per_day") is not None:
            text += f"；只有天数的，每天按 {_n(p['hours_per_day'])} 学时计"
        return text + "。"
    if method == "as_credits":
        inner = dict(p.get("params") or {})
        inner.setdefault("unit", "credit")
        return _describe_method(p.get("method", ""), inner, kind, labels, "学分")
    if method == "threshold":
        what = labels.field(p.get("field", ""), kind)
        return (f"{what}达到 {_n(p.get('min'))}{(p.get('count_unit') or '').strip()}的，"
                f"折算 {_n(p.get('amount'))} {u}；未达到的不计。")
    if method == "duration_steps":
        text = f"按时长（整月）分档折算（见下表）"
        beyond = p.get("beyond")
        if beyond:
            text += (f"；超过 {_n(beyond.get('after'))} 个月的，每满 {_n(beyond.get('every'))} 个月"
                     f"增加 {_n(beyond.get('add'))} {u}")
        if p.get("days_per_month"):
            text += f"；只有天数的，每 {_n(p['days_per_month'])} 天按 1 个月计"
        return text + "。"
    if method == "binzhou_paper":
        text = f"论文须不少于 {_n(p.get('min_chars'))} 字；期刊论文按刊物级别、交流论文按级别和获奖等次折算（见下表）"
        if p.get("default_grade") is not None:
            text += f"；文摘、论文集和未评等次的交流论文按{GRADE_ZH.get(str(p['default_grade']), p['default_grade'])}计"
        return text + f"；合作的按作者人数分配（取整数，余数归排名在前的作者）。"
    if method == "binzhou_book":
        return f"按出版社级别和本人排名对应的等次折算（见下表）。"
    if method == "binzhou_achievement":
        text = "按级别和等次查表折算（见下表）"
        if p.get("top"):
            text += f"；排名前 {_n(p['top'])} 名的按本人等次计，其后人员按下一等次计"
        return text + "。"
    return f"折算方法：{METHOD_ZH.get(method, method)}（参数见下表）。"


def conditions(rule: dict, labels: Labels) -> list[str]:
    """applies_if and flag in words, e.g. "出国（境）：是"."""
    out = []
    kind = rule["kind"] if rule["kind"] in labels.kinds else None
    for name, value in (rule.get("applies_if") or {}).items():
        values = value if isinstance(value, list) else [value]
        shown = "、".join(labels.value(name, v, kind) for v in values)
        out.append(f"{labels.field(name, kind)}：{shown}")
    if rule.get("flag") and rule["kind"] not in ("exemption",):
        out.append(f"特殊情形：{labels.flag(rule['flag'])}")
    return out


# --- page models --------------------------------------------------------------------


def policy_link(rule: dict, bundle: dict, from_dir: str) -> str:
    """A Markdown link target to the cited clause, relative to a page in docs/<from_dir>/."""
    policy, _, anchor = rule["cite"].partition("#")
    page = bundle["policies"][policy]["page"]
    up = "../" * len([p for p in from_dir.split("/") if p])
    return f"{up}{page}#{anchor}"


def rule_view(rule: dict, bundle: dict, labels: Labels, dup: Counter, shared_caps: list,
              from_dir: str) -> dict:
    policy, _, anchor = rule["cite"].partition("#")
    pol = bundle["policies"].get(policy, {})
    span = rule["in_force"]
    kind = rule["kind"]
    caps = []
    for cap in shared_caps:
        if kind in (cap.get("kinds") or []) and _overlap(cap["in_force"], span):
            caps.append({"text": "；".join(describe(cap, labels)), "years": years_label(cap["in_force"]),
                         "anchor": section_id(cap, dup[cap["id"]] > 1)})
    return {
        "id": rule["id"],
        "section": section_id(rule, dup[rule["id"]] > 1),
        "kind": kind,
        "from": span.get("from", 0),  # data-from: an open start is in force from any year
        "until": span.get("until"),
        "years": years_label(span),
        "subject": SUBJECT_ZH.get(rule.get("subject"), "") if rule.get("subject") else "",
        "summary": rule.get("summary") or "",
        "title": _title(rule, labels),
        "describe": describe(rule, labels),
        "conditions": conditions(rule, labels),
        "requires": [r.get("message", "") for r in rule.get("requires") or []],
        "params_html": params_html(rule.get("params"), labels, kind if kind in labels.kinds else None,
                                   rule.get("method")),
        "cap_html": cap_html(rule.get("cap"), labels),
        "shared_caps": caps,
        "during_tenure": bool(rule.get("during_tenure")),
        "evidence": rule.get("evidence") or "",
        "notes": list(rule.get("notes") or []),
        "text": rule.get("text") or "",
        "cite": rule["cite"],
        "checked": rule["checked"],  # the day the rule was last checked against the notice
        "link": policy_link(rule, bundle, from_dir),
        "cite_label": f"{pol.get('doc_number', policy)} · {anchor}",
        "numbers": [fmt_num(n) for n in numbers_of(rule.get("params")) + numbers_of(rule.get("cap"))],
    }


def _title(rule: dict, labels: Labels) -> str:
    """A short heading: the rule's summary, else its flag or first sentence."""
    if rule.get("summary"):
        return rule["summary"]
    if rule.get("label"):
        return rule["label"]
    if rule.get("flag"):
        return labels.flag(rule["flag"])
    words = describe(rule, labels)
    return words[0] if words else labels.kind(rule["kind"])


def _overlap(a: dict, b: dict) -> bool:
    inf = 10 ** 6
    return a.get("from", -inf) <= b.get("until", inf) and b.get("from", -inf) <= a.get("until", inf)


def _region_rules(bundle: dict, region: str) -> list[dict]:
    rules = [r for r in bundle["rules"] if r.get("region") == region]
    return sorted(rules, key=lambda r: (_start(r["in_force"]), r["id"]))


def _start(span: dict) -> int:
    """The first year of a span; an open start ({until: Y}) is shown from its last year Y."""
    return span.get("from", span.get("until"))


def covered_years(bundle: dict, region: str) -> str:
    spans = [r["in_force"] for r in bundle["rules"]
             if r.get("region") == region and r["kind"] == "requirement"]
    if not spans:
        return ""
    ends = [s.get("until") for s in spans]
    if any("from" not in s for s in spans):
        return "至今" if any(e is None for e in ends) else years_label({"until": max(ends)})
    start = min(s["from"] for s in spans)
    if any(e is None for e in ends):
        return f"{start} 年起"
    return years_label({"from": start, "until": max(ends)})


def policies_of(bundle: dict, region: str, from_dir: str) -> list[dict]:
    up = "../" * len([p for p in from_dir.split("/") if p])
    out = []
    for pid in bundle["regions"][region].get("policies", []):
        pol = bundle["policies"].get(pid, {})
        out.append({"id": pid, "title": pol.get("title", pid), "doc_number": pol.get("doc_number", pid),
                    "issuer": pol.get("issuer", ""), "date": pol.get("date", ""), "years": pol.get("years", ""),
                    "link": up + pol.get("page", f"policies/{pid}.md")})
    return out


def reference_model(bundle: dict, region: str) -> dict:
    labels = Labels(bundle["case"])
    rules = _region_rules(bundle, region)
    dup = Counter(r["id"] for r in rules)
    shared = [r for r in rules if r["kind"] == "cap"]
    view = lambda r: rule_view(r, bundle, labels, dup, shared, "reference")  # noqa: E731
    by_kind: dict[str, list] = {}
    for r in rules:
        by_kind.setdefault(r["kind"], []).append(r)
    kind_groups = []
    for kind, spec in labels.kinds.items():
        if kind in by_kind:
            kind_groups.append({"kind": kind, "label": labels.kind(kind), "help": spec.get("help") or "",
                                "anchor": f"kind-{kind}", "rules": [view(r) for r in by_kind[kind]]})
    special = {k: [view(r) for r in by_kind.get(k, [])] for k in SPECIAL_KINDS}
    other = [{"kind": k, "label": k, "anchor": f"kind-{k}", "rules": [view(r) for r in rs]}
             for k, rs in by_kind.items() if k not in labels.kinds and k not in SPECIAL_KINDS]
    years = sorted({y for r in rules for y in _years(r["in_force"], rules)})
    return {
        "region": region,
        "name": bundle["regions"][region]["name"],
        "policies": policies_of(bundle, region, "reference"),
        "has_rules": bool(rules),
        "rule_count": len(rules),
        "covered": covered_years(bundle, region),
        "requirements": special["requirement"],
        "period_requirements": special["period_requirement"],
        "titles": special["title"],
        "exemptions": special["exemption"],
        "industry": special["industry"],
        "shared_caps": special["cap"],
        "kind_groups": kind_groups,
        "other_groups": other,
        "unrecognised": [{"kind": k, "label": labels.kind(k)} for k in labels.kinds if k not in by_kind],
        "years": years,
        "special_labels": SPECIAL_KINDS,
    }


def _years(span: dict, rules: list) -> range:
    last = max([r["in_force"].get("until", _start(r["in_force"])) for r in rules] +
               [_start(r["in_force"]) for r in rules])
    return range(_start(span), (span.get("until") or last) + 1)


def changes_model(bundle: dict, region: str) -> dict:
    """What applied in the first year, and what began and ended in each later year."""
    labels = Labels(bundle["case"])
    rules = _region_rules(bundle, region)
    if not rules:
        raise ValueError(f"region {region!r} has no rules")
    dup = Counter(r["id"] for r in rules)
    first = min(_start(r["in_force"]) for r in rules)
    last = max([_start(r["in_force"]) for r in rules] +
               [r["in_force"]["until"] + 1 for r in rules if "until" in r["in_force"]])
    years = list(range(first, last + 1))

    def in_force(r, y):
        s = r["in_force"]
        return s.get("from", y) <= y and ("until" not in s or y <= s["until"])

    def item(r):
        return {"id": r["id"], "kind": r["kind"], "kind_label": labels.kind(r["kind"]),
                "years": years_label(r["in_force"]),
                "summary": r.get("summary") or "；".join(describe(r, labels)) or _title(r, labels),
                "conditions": conditions(r, labels),
                "ref": f"../reference/{region}.md#{section_id(r, dup[r['id']] > 1)}",
                "link": policy_link(r, bundle, "changes"),
                "cite_label": bundle["policies"].get(r["cite"].split("#")[0], {}).get("doc_number", r["cite"])}

    order = {k: i for i, k in enumerate(["requirement", "period_requirement", "title", "exemption", "industry",
                                          "cap", *labels.kinds])}
    sort = lambda rs: sorted(rs, key=lambda r: (order.get(r["kind"], 999), r["id"]))  # noqa: E731

    baseline = [item(r) for r in sort([r for r in rules if in_force(r, first)])]
    steps = []
    for y in years[1:]:
        began = [r for r in rules if r["in_force"].get("from") == y]
        ended = [r for r in rules if r["in_force"].get("until") == y - 1]
        began_ids = {r["id"] for r in began}
        ended_ids = {r["id"] for r in ended}
        replaced = [{"old": item(o), "new": item(n)} for o in sort(ended) for n in began
                    if o["id"] == n["id"]]
        added = [item(r) for r in sort(began) if r["id"] not in ended_ids]
        stopped = [item(r) for r in sort(ended) if r["id"] not in began_ids]
        kinds_before = {r["kind"] for r in rules if in_force(r, y - 1)}
        kinds_now = {r["kind"] for r in rules if in_force(r, y)}
        steps.append({
            "year": y,
            "added": added,
            "replaced": replaced,
            "ended": stopped,
            "new_kinds": [labels.kind(k) for k in sorted(kinds_now - kinds_before, key=lambda k: order.get(k, 999))],
            "gone_kinds": [labels.kind(k) for k in sorted(kinds_before - kinds_now, key=lambda k: order.get(k, 999))],
        })
    kinds = sorted({r["kind"] for r in rules}, key=lambda k: order.get(k, 999))
    matrix = []
    for k in kinds:
        cells = []
        prev = None
        for y in years:
            ids = sorted(section_id(r, dup[r["id"]] > 1) for r in rules if r["kind"] == k and in_force(r, y))
            cells.append({"year": y, "count": len(ids), "changed": prev is not None and ids != prev})
            prev = ids
        matrix.append({"kind": k, "label": labels.kind(k), "cells": cells})
    return {
        "region": region,
        "name": bundle["regions"][region]["name"],
        "first": first,
        "last": last,
        "years": years,
        "policies": policies_of(bundle, region, "changes"),
        "baseline": baseline,
        "steps": steps,
        "matrix": matrix,
    }


def regions_model(bundle: dict) -> list[dict]:
    out = []
    for region, spec in bundle["regions"].items():
        rules = [r for r in bundle["rules"] if r.get("region") == region]
        out.append({"region": region, "name": spec["name"], "policies": policies_of(bundle, region, ""),
                    "covered": covered_years(bundle, region), "rule_count": len(rules),
                    "reference": f"reference/{region}.md"})
    return out
