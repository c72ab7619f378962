"""The JSON Schema of the case format, generated from case.yaml (labels and help in Chinese)."""
from __future__ import annotations

from .loader import bundle as load_bundle
from .validate import field_spec

_TYPES = {"int": "integer", "number": "number", "bool": "boolean", "str": "string"}

# What the schema adds for the checker page, all from case.yaml:
# - `x-units`: the units of the result document (`years.Y.unit`, `periods[].unit`) -> label
#   (zh), the first being the unit of a result that names none (case.yaml `units`);
# - `x-depends-on: {field, value}` on a profile field that applies only when another holds a
#   value: case.yaml's `needed_with_flag: F` reads {field: flags, value: F}; the checker shows
#   such a field only then and drops its value otherwise (validate.py requires it then);
#   on a kind's field, case.yaml's `shown_if: {F: V}` reads {field: F, value: V} (V a value or a
#   list of values): the form shows the field while that holds, or while the field has a value or
#   an engine message; display only (the engine asks for a field a rule needs);
# - `x-unit`: the counting word the form shows after an input (case.yaml's `suffix`: 年, 天, 门).


def units(bundle) -> dict:
    """{unit: label} of case.yaml's units, the default first."""
    return {name: spec["label"] for name, spec in bundle.case["units"].items()}


def _field(spec: dict, bool_labels: dict) -> dict:
    out: dict = {}
    kind = spec["type"]
    if kind == "enum":
        out["enum"] = list(spec["enum"]) + ([None] if spec.get("nullable") else [])
        out["x-enum-labels"] = {str(k): v for k, v in (spec.get("enum_labels") or {}).items()}
        if spec.get("nullable") and spec.get("null_label"):
            out["x-null-label"] = spec["null_label"]
    elif kind == "flags":
        out["type"] = "array"
        out["items"] = {"enum": list(spec["enum"])}
        out["uniqueItems"] = True
        out["x-enum-labels"] = dict(spec.get("enum_labels") or {})
    else:
        out["type"] = [_TYPES[kind], "null"] if spec.get("nullable") else _TYPES[kind]
        if kind == "bool" and "default" not in spec:
            # no default: "not answered" is not "no", so the form asks 是/否 (a rule may need the answer)
            out["enum"] = [True, False]
            out["x-enum-labels"] = {"true": bool_labels["true"], "false": bool_labels["false"]}
    for key, target in (("minimum", "minimum"), ("maximum", "maximum"), ("multiple_of", "multipleOf"),
                        ("max_length", "maxLength"), ("default", "default")):
        if spec.get(key) is not None:
            out[target] = spec[key]
    if spec.get("label"):
        out["title"] = spec["label"]
    if spec.get("help"):
        out["description"] = spec["help"]
    if spec.get("suffix"):
        out["x-unit"] = spec["suffix"]
    if spec.get("shown_if"):
        (field, value), = spec["shown_if"].items()
        out["x-depends-on"] = {"field": field, "value": value}
    return out


def _profile_field_schema(spec: dict, bool_labels: dict) -> dict:
    out = _field(spec, bool_labels)
    if spec.get("needed_with_flag"):
        out["x-depends-on"] = {"field": "flags", "value": spec["needed_with_flag"]}
    return out


def case_schema() -> dict:
    b = load_bundle()
    kinds = b.kinds
    yes_no = b.case["bool_labels"]

    def _field_schema(spec):
        return _field(spec, yes_no)
    branches = []
    x_kinds = {}
    for name, kind in kinds.items():
        fields = list((kind.get("fields") or {}).keys())
        props = {"kind": {"const": name}, "year": _field_schema(b.fields["year"]),
                 "title": _field_schema(b.fields["title"])}
        for f in fields:
            props[f] = _field_schema(field_spec(b, name, f))
        branches.append({"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                         "then": {"properties": props}})
        x_kinds[name] = {"label": kind["label"], "help": kind.get("help"), "fields": fields,
                         "properties": {f: props[f] for f in fields}}
    activity = {
        "type": "object",
        "title": "活动",
        "required": ["kind", "year"],
        "properties": {
            "kind": {"enum": list(kinds), "title": "活动类型",
                     "x-enum-labels": {k: v["label"] for k, v in kinds.items()}},
            "year": _field_schema(b.fields["year"]),
            "title": _field_schema(b.fields["title"]),
            **{f: _field_schema(spec) for f, spec in b.fields.items() if f not in ("kind", "year", "title")},
        },
        "allOf": branches,
    }
    profile = {
        "type": "object",
        "title": "个人信息",
        "description": "申报职称的核对需要拟申报层级和申报年度。",
        "properties": {k: _profile_field_schema(v, yes_no) for k, v in b.case["profile"].items()},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "ruleset/case.schema.json",
        "title": "继续教育学时核算案例",
        "description": "一个人的地区、个人信息和继续教育活动（见本站“案例格式”页）。",
        "type": "object",
        "required": ["region"],
        "properties": {
            "region": {"enum": list(b.regions), "title": "地区",
                       "x-enum-labels": {k: v["name"] for k, v in b.regions.items()}},
            "person": _field_schema(b.case["case_fields"]["person"]),
            "profile": profile,
            "activities": {"type": "array", "title": "继续教育活动", "items": activity},
        },
        "x-kinds": x_kinds,
        "x-units": units(b),
    }


def _obj(title: str, props: dict, required=(), description: str | None = None) -> dict:
    out = {"type": "object", "title": title, "properties": props, "required": list(required),
           "additionalProperties": False}
    if description:
        out["description"] = description
    return out


_NUM = {"type": "number"}
_STR = {"type": "string"}
_INT = {"type": "integer"}
_STRS = {"type": "array", "items": _STR}
_INTS = {"type": "array", "items": _INT}
_OPT_STR = {"type": ["string", "null"]}
_SUBJECTS = {"enum": ["public", "professional"]}


def _alternatives(extra: dict | None = None) -> dict:
    props = {"reading": {**_STR, "title": "解读编号"}, "option": {**_STR, "title": "另一种理解的选项"},
             "label": {**_STR, "title": "另一种理解"}, "public": _NUM, "professional": _NUM, "total": _NUM,
             **(extra or {})}
    return {"type": "array", "title": "另一种理解下的学时",
            "description": "按案例所用解读以外的理解计算时，此处数字会不同",
            "items": _obj("另一种理解", props, ["reading", "option", "label", "public", "professional", "total"])}


def result_schema() -> dict:
    """JSON Schema of the result document (python -m ruleset check --json; the page shows the same)."""
    b = load_bundle()
    cite = {"rule": {**_STR, "title": "规则编号"}, "source": {**_STR, "title": "条款链接（相对站点根目录）"}}
    cap = _obj("上限核减", {**cite, "year": _INT, "subject": _SUBJECTS, "limit": _NUM, "cut": _NUM,
                          "explanation": _STR},
               ["rule", "source", "year", "subject", "limit", "cut", "explanation"])
    deemed = _obj("视同完成", {"years": _INTS, "subjects": {"type": "array", "items": _SUBJECTS},
                           "explanation": _STR}, ["years", "subjects", "explanation"])
    by_year = {"type": "object", "title": "分年度计入",
               "additionalProperties": _obj("年度份额", {"public": _NUM, "professional": _NUM},
                                            ["public", "professional"])}
    activity = _obj("活动核算结果", {
        "index": {**_INT, "title": "活动序号（从 0 起）"},
        "kind": {"type": ["string", "null"], "title": "活动类型"},
        "kind_label": {**_STR, "title": "活动类型（中文）"},
        "year": {"type": ["integer", "null"], "title": "计入年度"},
        "title": {**_STR, "title": "名称（用户填写）"},
        "public": {**_NUM, "title": "公需科目学时（上限核减后）"},
        "professional": {**_NUM, "title": "专业科目学时（上限核减后）"},
        "rule": {**_OPT_STR, "title": "折算所依据的规则编号；无规则时为 null"},
        "source": {**_OPT_STR, "title": "条款链接"},
        "cite": {**_STR, "title": "引用（政策编号#条款锚点）"},
        "clause": {**_STR, "title": "条款原文"},
        "checked": {**_STR, "format": "date", "title": "规则数据最后一次对照原文核对的日期"},
        "evidence": {**_OPT_STR, "title": "需保存的凭证"},
        "notes": {**_STRS, "title": "本站解读"},
        "readings": {**_STRS, "title": "涉及本条规则的解读编号"},
        "explanation": {**_STR, "title": "计算说明"},
        "warnings": {**_STRS, "title": "提示"},
        "valid": {"type": "boolean", "title": "输入是否有效"},
        "before_caps": _obj("上限核减前", {"public": _NUM, "professional": _NUM}, ["public", "professional"]),
        "caps": {"type": "array", "title": "上限核减", "items": cap},
        "by_year": by_year,
        "deemed_complete": {"type": "array", "title": "视同完成", "items": deemed},
        "alternatives": _alternatives(),
    }, ["index", "kind", "year", "public", "professional", "rule", "source", "explanation", "warnings", "valid",
        "before_caps", "caps", "deemed_complete"])
    subject_numbers = _obj("公需/专业/合计", {"public": _NUM, "professional": _NUM, "total": _NUM},
                           ["public", "professional", "total"])
    year = _obj("年度核算结果", {
        "unit": {"enum": list(units(b)), "title": "单位：" + "或".join(units(b).values())},
        "covered": {"type": "boolean", "title": "是否在已发布政策覆盖范围内"},
        "public": _NUM, "professional": _NUM, "total": _NUM,
        "required": {"oneOf": [{"type": "null"}, subject_numbers], "title": "当年要求；无年度要求时为 null"},
        "deemed_complete": _obj("视同完成", {"public": {"type": "boolean"}, "professional": {"type": "boolean"}},
                                ["public", "professional"]),
        "met": {"type": ["boolean", "null"], "title": "是否达标；无要求时为 null"},
        "shortfall": {"oneOf": [{"type": "null"}, subject_numbers], "title": "差额"},
        **cite,
        "explanation": _STR,
        "alternatives": _alternatives({"met": {"type": ["boolean", "null"]}}),
    }, ["unit", "covered", "public", "professional", "total", "required", "deemed_complete", "met", "shortfall",
        "explanation"])
    application = _obj("职称申报核对", {
        "target_title": {"enum": list(b.case["profile"]["target_title"]["enum"])},
        "apply_year": _INT,
        "application_type": {"enum": list(b.case["profile"]["application_type"]["enum"])},
        "covered": {"type": "boolean"},
        "window": {"oneOf": [{"type": "null"}, {**_INTS, "minItems": 2, "maxItems": 2}],
                   "title": "核查年度范围 [起, 止]"},
        "years_required": {"type": ["integer", "null"], "title": "需达标的年度数"},
        "consecutive": {"type": "boolean", "title": "是否须连续"},
        "qualifying_years": {**_INTS, "title": "已达标年度"},
        "missing_years": {**_INTS, "title": "未达标年度"},
        "met": {"type": ["boolean", "null"]},
        **cite,
        "exemptions": {"type": "array", "items": _obj("免除或减少", {**cite, "explanation": _STR},
                                                      ["rule", "source", "explanation"])},
        "notes": _STRS, "summary": _STR, "explanation": _STR,
        "alternatives": {"type": "array", "items": _obj("另一种理解下的结论", {
            "reading": _STR, "option": _STR, "label": _STR, "met": {"type": ["boolean", "null"]},
            "qualifying_years": _INTS}, ["reading", "option", "label", "met"])},
    }, ["target_title", "apply_year", "application_type", "covered", "window", "years_required", "met",
        "qualifying_years", "explanation"])
    reading = _obj("解读", {
        "id": {**_STR, "title": "解读编号"}, "question": {**_STR, "title": "问题"},
        "cite": _STR, "source": _STR, "rules": _STRS,
        "default": {**_STR, "title": "默认（不会多算学时的）理解"}, "used": {**_STR, "title": "本次计算所用理解"},
        "is_default": {"type": "boolean"}, "changes_numbers": {"type": "boolean", "title": "另一种理解是否改变本案例的数字"},
        "options": {"type": "array", "items": _obj("选项", {"id": _STR, "label": _STR}, ["id", "label"])},
        "notes": _STRS,
    }, ["id", "question", "cite", "source", "rules", "default", "used", "is_default", "changes_numbers", "options"])
    option = _obj("可计入的常见活动", {
        "kind": _STR, "label": _STR, "scale": {**_STR, "title": "按此字段增加"}, "step": _NUM,
        "per_step": _obj("每增加一步计入", {"public": _NUM, "professional": _NUM}, ["public", "professional"]),
        **cite, "evidence": _OPT_STR, "limited_by": {**_STRS, "title": "受到的上限"}},
        ["kind", "label", "scale", "step", "per_step", "rule", "source"])
    suggestion = _obj("补足建议", {
        "activities": {"type": "array", "items": _obj("建议的活动", {
            "activity": {"type": "object", "title": "可直接加入案例的活动"}, "label": _STR, "amount": _NUM,
            "public": _NUM, "professional": _NUM}, ["activity", "label", "amount", "public", "professional"])},
        "closes": {"type": "boolean", "title": "按建议补足后该年度是否达标"}, "text": _STR},
        ["activities", "closes", "text"])
    plan_year = _obj("年度补足建议", {
        "year": _INT, "unit": {"enum": list(units(b))},
        "shortfall": _obj("差额", {"public": _NUM, "professional": _NUM, "total": _NUM}),
        "past": {"type": "boolean", "title": "该年度已过去"},
        "options": {"type": "array", "items": option},
        "deemed": {"type": "array", "title": "可能适用的视同完成规定", "items": _obj("视同完成规定", {
            "kind": _STR, "label": _STR, **cite, "explanation": _STR}, ["kind", "label", "rule", "source"])},
        "suggestion": {"oneOf": [{"type": "null"}, suggestion]},
        "explanation": _STR}, ["year", "unit", "shortfall", "past", "options", "deemed", "suggestion"])
    plan = _obj("补足建议", {
        "as_of_year": {"type": ["integer", "null"], "title": "当前年度"},
        "years_needed": {**_INT, "title": "申报还差的达标年度数"},
        "years": {"type": "array", "items": plan_year}, "explanation": _STR},
        ["as_of_year", "years_needed", "years", "explanation"],
        "申报年限尚未满足时：窗口内每个未达标年度还能计入什么、补足需要什么（由规则数据经引擎试算得出）")
    error = _obj("输入错误", {"index": {"type": ["integer", "null"], "title": "活动序号；案例级问题为 null"},
                          "field": {**_STR, "title": "字段"}, "message": {**_STR, "title": "说明（中文）"}},
                 ["index", "field", "message"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "ruleset/result.schema.json",
        "title": "继续教育学时核算结果",
        "description": "python -m ruleset check CASE --json 输出的文档；自助核算页面显示同样的内容。",
        **_obj("核算结果", {
            "region": {"enum": list(b.regions) + [None], "title": "地区"},
            "region_name": _STR,
            "person": {**_field(b.case["case_fields"]["person"], b.case["bool_labels"]), "title": "人员（案例所填姓名或工号）"},
            "activities": {"type": "array", "title": "各项活动", "items": activity},
            "years": {"type": "object", "title": "各年度", "propertyNames": {"pattern": "^[0-9]{4}$"},
                      "additionalProperties": year},
            "errors": {"type": "array", "title": "输入错误", "items": error},
            "notices": {"type": "array", "title": "行业规定提示", "items": _obj("提示", {
                **cite, "message": _STR, "clause": _STR}, ["rule", "source", "message"])},
            "periods": {"type": "array", "title": "多年度累计要求", "items": _obj("多年度要求", {
                **cite, "years": {**_INTS, "minItems": 2, "maxItems": 2}, "unit": {"enum": list(units(b))},
                "required": _NUM, "total": _NUM, "met": {"type": "boolean"}, "explanation": _STR},
                ["rule", "source", "years", "unit", "required", "total", "met"])},
            "application": application,
            "readings": {"type": "array", "title": "涉及本案例的解读", "items": reading},
            "plan": plan,
        }, ["region", "activities", "years", "errors"]),
    }
