"""Check a case against the vocabulary in case.yaml; never raise.

validate_case checks region and profile and gives errors {index, field, message}
in Chinese; validate_activity checks one activity on its own (no index), so its
outcome can be reused wherever the activity stands. Numbers become exact
Fractions; an activity with an error is kept (marked invalid) so nothing is
silently dropped.
"""
from __future__ import annotations

import math
import reprlib
from functools import lru_cache

from .numbers import exact, is_multiple, show


def _problem(index, field, message):
    return {"index": index, "field": field, "message": message}


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = 4
_REPR.maxlevel = 2
_HUGE = 10 ** 15


def shown(value) -> str:
    """An input value as a message quotes it: short whatever its size, a huge number not spelled out."""
    if isinstance(value, int) and not isinstance(value, bool) and not -_HUGE < value < _HUGE:
        return "绝对值过大的数"
    try:
        return _REPR.repr(value)
    except (ValueError, RecursionError):  # an int past Python's digit limit deep inside
        return type(value).__name__


def field_spec(bundle, kind: str | None, name: str) -> dict | None:
    if kind is None:
        return bundle.fields.get(name)
    return bundle.kind_fields[kind].get(name)


@lru_cache(maxsize=None)
def _exact_step(step):
    return exact(step)


def check_value(spec: dict, value):
    """The normalised value, or raise ValueError with a Chinese message."""
    label = spec.get("label", "")
    kind = spec["type"]
    if value is None:
        if spec.get("nullable"):
            return None
        raise ValueError(f"“{label}”不能为空")
    if kind == "int":
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"“{label}”应为整数，收到 {shown(value)}")
            if isinstance(value, float):
                if not math.isfinite(value) or not value.is_integer():
                    raise ValueError(f"“{label}”应为整数，收到 {shown(value)}")
                value = int(value)
        _range(spec, value, label)
        return value
    if kind == "number":
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"“{label}”应为数字，收到 {shown(value)}")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"“{label}”应为有限的数字")
        number = exact(value)
        _range(spec, number, label)
        step = spec.get("multiple_of")
        if step is not None and not is_multiple(number, _exact_step(step)):
            raise ValueError(f"“{label}”应为 {step} 的整数倍（如 1、1.5、2），收到 {show(number)}")
        return number
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"“{label}”应为 true 或 false，收到 {shown(value)}")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise ValueError(f"“{label}”应为文字")
        longest = spec.get("max_length", 500)
        if len(value) > longest:
            raise ValueError(f"“{label}”过长（最多 {longest} 字）")
        return value
    if kind == "enum":
        allowed = spec.get("enum") or []
        if isinstance(value, bool) or value not in allowed:
            labels = spec.get("enum_labels") or {}
            choices = "、".join(f"{a}（{labels.get(str(a), a)}）" for a in allowed)
            raise ValueError(f"“{label}”的值 {shown(value)} 无效，可选：{choices}")
        if type(value) is float:
            value = next(a for a in allowed if a == value)  # JSON 1.0 for the choice 1 is that choice
        return value
    if kind == "flags":
        if not isinstance(value, list):
            raise ValueError(f"“{label}”应为列表")
        bad = [v for v in value if v not in spec["enum"]]
        if bad:
            raise ValueError(f"“{label}”含未知选项：{'、'.join(map(shown, bad[:5]))}{' 等' if len(bad) > 5 else ''}")
        return list(dict.fromkeys(value))
    raise AssertionError(kind)


def _range(spec, value, label):
    lo, hi = spec.get("minimum"), spec.get("maximum")
    if lo is not None and value < lo:
        raise ValueError(f"“{label}”不能小于 {lo}，收到 {_number(value)}")
    if hi is not None and value > hi:
        raise ValueError(f"“{label}”不能大于 {hi}，收到 {_number(value)}")


def _number(value) -> str:
    return "绝对值过大的数" if not -_HUGE < value < _HUGE else show(value)


def validate_case(raw, bundle) -> tuple[str | None, dict, list, list[dict]]:
    """Everything but the activities themselves -> (region, profile, raw activities, errors)."""
    errors: list[dict] = []
    if not isinstance(raw, dict):
        errors.append(_problem(None, "", "案例应为 JSON 对象（包含 region、profile、activities）"))
        return None, {}, [], errors
    known = {"region", "profile", "activities", "readings", "as_of_year", "person", "$schema", "version", "title", "note"}
    for key in raw:
        if key not in known:
            errors.append(_problem(None, str(key), f"未知的字段“{key}”（可用：region、profile、activities）"))
    region = raw.get("region")
    if region is None:
        errors.append(_problem(None, "region", "缺少地区（region）"))
    elif not isinstance(region, str) or region not in bundle.regions:
        choices = "、".join(f"{k}（{v['name']}）" for k, v in bundle.regions.items())
        errors.append(_problem(None, "region", f"未知地区 {shown(region)}，可选：{choices}"))
        region = None
    for name in ("as_of_year", "person"):
        if name not in raw:
            continue
        try:
            check_value(bundle.case["case_fields"][name], raw[name])
        except ValueError as exc:
            errors.append(_problem(None, name, str(exc)))
    profile = _validate_profile(raw.get("profile"), bundle, errors)
    activities_raw = raw.get("activities", [])
    if not isinstance(activities_raw, list):
        errors.append(_problem(None, "activities", "activities 应为列表"))
        activities_raw = []
    return region, profile, activities_raw, errors


def case_person(raw, bundle) -> str | None:
    """The case's `person` (name or staff number) when it is given and valid, else None."""
    if not isinstance(raw, dict) or raw.get("person") is None:
        return None
    try:
        return check_value(bundle.case["case_fields"]["person"], raw["person"])
    except ValueError:
        return None


def _validate_profile(raw, bundle, errors) -> dict:
    """The profile's fields checked, with case.yaml's defaults filled in."""
    if raw is None:
        raw = {}
    elif not isinstance(raw, dict):
        errors.append(_problem(None, "profile", "profile 应为对象"))
        raw = {}
    out = {}
    specs = bundle.case["profile"]
    for key, value in raw.items():
        spec = specs.get(key)
        if spec is None:
            errors.append(_problem(None, f"profile.{key}", f"未知的个人信息字段“{key}”"))
            continue
        try:
            out[key] = check_value(spec, value)
        except ValueError as exc:
            errors.append(_problem(None, f"profile.{key}", str(exc)))
    for key, spec in specs.items():
        if "default" in spec and key not in out:
            default = spec["default"]
            out[key] = list(default) if isinstance(default, list) else default
    for key, spec in specs.items():
        flag = spec.get("needed_with_flag")
        if flag in out["flags"] and out.get(key) is None:
            shown = specs["flags"]["enum_labels"][flag]
            errors.append(_problem(None, f"profile.{key}", f"勾选“{shown}”时需要填写{spec['label']}"))
    return out


def validate_activity(item, bundle) -> tuple[dict, list[str], list[tuple[str, str]]]:
    """One activity -> (normalised activity, warnings, problems as (field, message)); needs no index."""
    warnings: list[str] = []
    problems: list[tuple[str, str]] = []
    if not isinstance(item, dict):
        problems.append(("", "每条活动应为对象"))
        return {"kind": None, "year": None, "_invalid": True}, warnings, problems
    act: dict = {}
    bad = False
    kind = item.get("kind")
    if kind is None:
        problems.append(("kind", "缺少活动类型（kind）"))
        bad = True
    elif not isinstance(kind, str) or kind not in bundle.kinds:
        problems.append(("kind", f"未知的活动类型 {shown(kind)}"))
        bad, kind = True, None
    act["kind"] = kind
    year = item.get("year")
    if year is None:
        problems.append(("year", "缺少计入年度（year）"))
        bad = True
    else:
        try:
            act["year"] = check_value(bundle.fields["year"], year)
        except ValueError as exc:
            problems.append(("year", str(exc)))
            bad = True
    act.setdefault("year", None)
    if "title" in item:
        try:
            act["title"] = check_value(bundle.fields["title"], item["title"])
        except ValueError as exc:
            problems.append(("title", str(exc)))
    if kind is not None:
        specs = bundle.kind_fields[kind]
        for name, value in item.items():
            if name in ("kind", "year", "title"):
                continue
            spec = specs.get(name)
            if spec is None:
                label = bundle.fields.get(name, {}).get("label", name)
                warnings.append(f"字段“{label}”（{name}）不适用于“{bundle.kinds[kind]['label']}”，已忽略")
                continue
            try:
                act[name] = check_value(spec, value)
            except ValueError as exc:
                problems.append((name, str(exc)))
                bad = True
        for name, default in bundle.kind_defaults[kind].items():
            if name not in act:
                act[name] = default
    if bad:
        act["_invalid"] = True
    return act, warnings, problems
