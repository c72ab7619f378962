"""补足建议: for each year of the application window that falls short, what can still close the gap.

Nothing here knows a region. Every figure is found by asking the engine what the
case would give with one more activity added (so caps already used, shared caps
and deemed-complete years count exactly as they would): the candidates are the
common activities listed under `plan` in case.yaml, each grown in steps of its
`scale` field.
"""
from __future__ import annotations

from fractions import Fraction
from math import ceil

from .cache import converted
from .context import CaseContext
from .loader import MissingInput, NotCovered
from .rows import Settled
from .numbers import exact, show, to_json
from .validate import validate_activity

SUBJECTS = ("public", "professional")
ROUNDS = 4  # at most this many activities in one suggestion


def make_plan(rows: list, ctx: CaseContext, years: dict, application: dict | None,
              as_of: int | None, summarise) -> dict | None:
    """The plan section of the result, or None when there is no application window to plan for.

    `rows` and `years` are the case's own (exact numbers); `summarise(converted, ctx, extra_years)` is
    the engine's own evaluation of converted activities, so a suggestion is checked the way the case
    itself is computed. A year's figures depend only on the activities with a share in that year (caps
    and sums are per year), so each trial evaluates those alone, and their shares in that year alone,
    with their conversions taken from `rows`: only the trial's added activity is converted.
    """
    if not application or not application.get("covered") or application.get("met") is not False:
        return None
    start, end = application["window"]
    window = range(start, end + 1)
    planner = _Planner(rows, ctx, summarise)
    out_years = [planner.year(y, years[y], as_of) for y in window if years.get(y, {}).get("met") is False]
    needed = max(0, application["years_required"] - len(application["qualifying_years"]))
    repairable = [y["year"] for y in out_years if y["suggestion"] and y["suggestion"]["closes"]]
    if as_of is None:
        head = "未提供当前年度（as_of_year），未区分已过去的年度"
    else:
        head = f"按当前年度 {as_of} 年计算"
    text = (f"{head}：申报还差 {needed} 个达标年度；"
            + (f"可以补足的年度：{'、'.join(map(str, repairable))}" if repairable else "没有可以按常见活动补足的年度"))
    if len(repairable) < needed:
        text += f"。即使这些年度全部补足，仍差 {needed - len(repairable)} 个达标年度，本次申报年限不够"
    return {"as_of_year": as_of, "years_needed": needed, "years": out_years, "explanation": text}


class _Planner:
    def __init__(self, rows: list, ctx: CaseContext, summarise):
        self.rows = rows
        self.focus: list = []  # the conversions of the activities with a share in the year being planned
        self.base: list = []  # their rows in that year, capped, without any trial activity
        self.ctx = ctx
        self.summarise = summarise
        self.templates = ctx.bundle.case.get("plan") or []
        self._split: dict = {}

    def _focus(self, year: int) -> None:
        self.focus = [row.converted for row in self.rows if _touches(row, year)]
        self.base = self.summarise(self.focus, self.ctx, (year,), only=year)[0]
        self._split = {}

    def _entry(self, extra: list, year: int) -> tuple[dict, list]:
        """The year's entry with the `extra` activities added, and their rows. Only the activities a cap
        could let the extra ones change are evaluated again; the others are summed once (rows.Settled)."""
        added = converted(extra, self.ctx)
        indices, settled = self._settled(added, year)
        rows, years = self.summarise([self.focus[i] for i in indices] + added, self.ctx, (year,), only=year,
                                     settled=settled)
        return years[year], rows[len(indices):]

    def _settled(self, added: list, year: int) -> tuple[list, tuple]:
        """(positions of the activities that share a cap with the added ones, the others as one settled row).

        Caps are the only thing that makes one activity's hours depend on another's: a per-kind cap
        groups the activities of one rule, a shared cap those of its kinds (applied after the per-kind
        caps of its members, so a shared cap takes in the kinds of every shared cap it meets)."""
        rules = frozenset(c.rule.id for c in added if c.rule is not None and c.rule.get("cap"))
        kinds = {c.activity.get("kind") for c in added}
        shared = self.ctx.bundle.rules_of_type(self.ctx.region, "cap")
        reached: set = set()
        grown = True
        while grown:
            grown = False
            for cap in shared:
                members = set(cap["kinds"])
                if members & (kinds | reached) and not members <= reached:
                    reached |= members
                    grown = True
        key = rules, frozenset(reached)
        found = self._split.get(key)
        if found is None:
            indices = [i for i, c in enumerate(self.focus)
                       if (c.rule is not None and c.rule.id in rules) or c.activity.get("kind") in reached]
            apart = set(indices)
            found = self._split[key] = (indices, (Settled([row for i, row in enumerate(self.base) if i not in apart], year),))
        return found


    def year(self, year: int, entry: dict, as_of: int | None) -> dict:
        self._focus(year)
        out = {"year": year, "unit": entry["unit"], "shortfall": _json(entry["shortfall"]), "past": False,
               "options": [], "deemed": [], "suggestion": None}
        if as_of is not None and year < as_of:
            out["past"] = True
            out["explanation"] = (f"{year} 年已过去：常见的培训、课程、会议只在举办当年计入，已无法为该年补足；"
                                  "若有跨年度的课题（项目）等在该年有份额，请按实际填写")
            return out
        candidates = []
        for template in self.templates:
            activity = self._activity(template, year, template["step"])
            normalised = validate_activity(activity, self.ctx.bundle)[0]  # with case.yaml's defaults
            rule = self.ctx.bundle.kind_rule(self.ctx.region, template["kind"], year, normalised, self.ctx.flags)
            if isinstance(rule, (NotCovered, MissingInput)):
                continue
            after, rows = self._entry([activity], year)
            gain = _gain(entry, after)
            if not any(gain.values()):
                continue
            option = {"kind": template["kind"], "label": template["label"], "scale": template["scale"],
                      "step": to_json(exact(template["step"])), "per_step": _json(gain), "rule": rule.id,
                      "source": rule["source"], "evidence": rule.get("evidence")}
            caps = [c["explanation"] for row in rows for c in row.caps]
            if caps:
                option["limited_by"] = caps
            out["options"].append(option)
            candidates.append((template, gain))
        out["deemed"] = self._deemed(year)
        out["suggestion"] = self._suggest(year, entry, candidates)
        if out["suggestion"]:
            out["explanation"] = out["suggestion"]["text"]
        elif out["options"]:
            out["explanation"] = f"{year} 年：常见活动无法单独补足，请参看各项可计入的学时"
        else:
            out["explanation"] = f"{year} 年：本地区规则在该年没有可按常见活动补足的途径"
        return out

    def _activity(self, template: dict, year: int, amount) -> dict:
        amount = exact(amount)
        value = amount if isinstance(amount, int) else float(amount)
        return {"kind": template["kind"], "year": year, **(template.get("fields") or {}), template["scale"]: value}

    def _deemed(self, year: int) -> list[dict]:
        """Kinds whose rule in force that year deems the year (or a subject of it) complete."""
        out = []
        for kind, spec in self.ctx.bundle.kinds.items():
            for rule in self.ctx.bundle.in_force(self.ctx.region, kind, year):
                if rule.get("method") in ("deemed_complete", "posting_deemed"):
                    out.append({"kind": kind, "label": spec["label"], "rule": rule.id, "source": rule["source"],
                                "explanation": rule.get("summary") or rule["text"]})
        return out

    def _suggest(self, year: int, entry: dict, candidates: list) -> dict | None:
        """The fewest common activities (then the smallest amounts) that make the year met, checked by the engine."""
        chosen: list[tuple[dict, object, dict]] = []  # (template, amount, activity)
        current = entry
        for _ in range(ROUNDS):
            if current["met"]:
                break
            best = None
            for template, per_step in candidates:
                if any(template is t for t, _, _ in chosen):
                    continue
                found = self._amount(year, current, template, per_step, [a for _, _, a in chosen])
                if found is None:
                    continue
                amount, after = found
                score = _remaining(after)  # ties: the earlier entry of case.yaml's list
                if best is None or score < best[0]:
                    best = (score, template, amount, after)
            if best is None or _remaining(best[3]) >= _remaining(current):
                break
            _, template, amount, current = best
            chosen.append((template, amount, self._activity(template, year, amount)))
        if not chosen:
            return None
        parts, acts = [], []
        unit = self.ctx.bundle.unit_label(entry["unit"])
        previous = entry
        extra: list = []
        for template, amount, activity in chosen:
            extra.append(activity)
            after, _ = self._entry(extra, year)
            gain = _gain(previous, after)
            previous = after
            credited = sum(gain.values())
            field_unit = self.ctx.bundle.fields[template["scale"]].get("suffix", "")
            if template["scale"] == "hours":
                parts.append(f"{template['label']} {show(amount)} {self.ctx.bundle.unit_label('hour')}")
            else:
                parts.append(f"{show(amount)} {field_unit}{template['label']}（{show(credited)} {unit}）")
            acts.append({"activity": activity, "label": template["label"], "amount": to_json(exact(amount)),
                         "public": to_json(gain["public"]), "professional": to_json(gain["professional"])})
        closes = bool(current["met"])
        text = f"{year}：再参加 " + " + ".join(parts)
        if not closes:
            text += f"，仍差 {show(_remaining(current))} {unit}（受上限或科目限制）"
        return {"activities": acts, "closes": closes, "text": text}

    def _amount(self, year: int, current: dict, template: dict, per_step: dict, extra: list):
        """The smallest amount of `template` that does the most it can for this year -> (amount, entry after)."""
        step = exact(template["step"])
        limit = self.ctx.bundle.fields[template["scale"]].get("maximum", 1000)
        max_steps = int(exact(limit) / step)

        def after(steps: int) -> dict:
            return self._entry(extra + [self._activity(template, year, steps * step)], year)[0]

        best = after(max_steps)
        target = _remaining(best)
        if target >= _remaining(current):
            return None
        gain_per_step = sum(per_step.values()) or 1
        guess = min(max_steps, max(1, ceil((_remaining(current) - target) / gain_per_step)))
        lo, hi = 0, max_steps  # invariant: _remaining(after(hi)) == target; lo is not enough
        probe = after(guess)
        if _remaining(probe) == target:
            hi = guess
            below = after(guess - 1) if guess > 1 else None
            if below is None or _remaining(below) > target:
                return guess * step, probe
        else:
            lo = guess
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _remaining(after(mid)) == target:
                hi = mid
            else:
                lo = mid
        return hi * step, after(hi)


def _touches(row, year: int) -> bool:
    """Whether an activity has a share in `year` (before any cap), deems it complete, or counts in it."""
    return (row.activity.get("year") == year or any(c.year == year for c in row.converted.credits)
            or any(year in d.years for d in row.deemed))


def _gain(before: dict, after: dict) -> dict:
    return {s: after[s] - before[s] for s in SUBJECTS}


def _remaining(entry: dict) -> Fraction | int:
    """What still keeps the year short: the larger of the subject gaps summed and the total gap."""
    short = entry.get("shortfall") or {}
    return max(short.get("public", 0) + short.get("professional", 0), short.get("total", 0))


def _json(value):
    if isinstance(value, dict):
        return {k: to_json(v) if isinstance(v, (int, Fraction)) and not isinstance(v, bool) else v
                for k, v in value.items()}
    return value
