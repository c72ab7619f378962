"""Named readings (解读): where a clause can honestly be read two ways.

The rule data as written is the default reading, the one that cannot credit
more than the clause gives. A reading names its alternatives; each alternative
is a set of overrides on the rules it concerns:

    - reading: qinghai.project_member_per_year
      cite: qinghai-2024-192#annex2-project-provincial
      question: 省部级课题“其他参与成员认定为30学时”未写“每年”：只认定一次，还是每年认定？
      default: once
      options:
        once: {label: 只认定一次（计入结题年度）}
        per_year:
          label: 每年认定（与国家级同一句式）
          rules: {qinghai.project_provincial: {params: {once: null}}}

An override replaces a rule's top-level field (null removes it); `params` is
merged one level deep. Stdlib only: the compiler and the engine share it.
"""
from __future__ import annotations


def override_rule(rule: dict, changes: dict) -> dict:
    """`rule` with `changes` applied (a new dict; `rule` is not changed)."""
    out = dict(rule)
    for key, value in changes.items():
        if key == "params" and isinstance(value, dict):
            params = dict(rule.get("params") or {})
            for name, v in value.items():
                if v is None:
                    params.pop(name, None)
                else:
                    params[name] = v
            out["params"] = params
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def apply_readings(rules: list[dict], readings: dict, choice: dict) -> list[dict]:
    """The rule list under `choice` ({reading id: option}); options that are the default change nothing."""
    changes: dict[str, list[dict]] = {}
    for reading_id, option in choice.items():
        reading = readings[reading_id]
        if option == reading["default"]:
            continue
        for rule_id, change in (reading["options"][option].get("rules") or {}).items():
            changes.setdefault(rule_id, []).append(change)
    if not changes:
        return rules
    out = []
    for rule in rules:
        for change in changes.get(rule["id"], ()):
            rule = override_rule(rule, change)
        out.append(rule)
    return out


def parse_choice(raw, bundle, region) -> tuple[dict, list[dict]]:
    """A case's `readings` ({reading id: option}) checked against the bundle -> (choice, errors)."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [{"index": None, "field": "readings", "message": "readings 应为对象（{解读编号: 选项}）"}]
    choice, errors = {}, []
    for rid, option in raw.items():
        field = f"readings.{rid}"
        reading = bundle.readings.get(rid) if isinstance(rid, str) else None
        if reading is None:
            errors.append({"index": None, "field": field, "message": f"未知的解读 {rid!r}"})
        elif region is not None and reading["region"] != region:
            errors.append({"index": None, "field": field,
                           "message": f"解读 {rid} 属于{bundle.regions[reading['region']]['name']}，不适用于本案例的地区"})
        elif not isinstance(option, str) or option not in reading["options"]:
            shown = "、".join(f"{k}（{v['label']}）" for k, v in reading["options"].items())
            errors.append({"index": None, "field": field, "message": f"解读 {rid} 没有选项 {option!r}，可选：{shown}"})
        else:
            choice[rid] = option
    return choice, errors
