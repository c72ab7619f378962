"""The benchmark case: five years, 40 activities of mixed kinds (Qinghai)."""

KINDS = [
    {"kind": "public_course", "hours": 30},
    {"kind": "training", "days": 2.5},
    {"kind": "paper", "authors": 2, "rank": 1, "has_cn_number": True},
    {"kind": "conference", "days": 1},
    {"kind": "patent", "patent_type": "invention", "rank": 5},
    {"kind": "online_course", "hours": 12},
    {"kind": "mentoring", "days": 3},
    {"kind": "lecture", "hours": 2},
]


def benchmark_case() -> dict:
    acts = []
    for i in range(40):
        year = 2020 + i % 5
        acts.append({**KINDS[i % len(KINDS)], "year": year})
    acts[7] = {"kind": "research_project", "year": 2023, "level": "provincial", "role": "pi",
               "start_year": 2021, "completed": True}
    return {"region": "qinghai",
            "profile": {"target_title": "associate_senior", "apply_year": 2024, "tenure_start_year": 2018},
            "activities": acts}


def edit_walk(values: int = 174) -> list[dict]:
    """The benchmark case as a user edits it: each case differs from the one before in one activity.

    One activity with stated hours or days at a time gets `values` new numbers, half a unit apart,
    then its own number back; then the next such activity. The last case is the benchmark case, one
    edit away from the first. With 29 such activities the walk has 5,075 cases, more than the
    engine's memo holds, so each edit but the 29 put-backs brings an activity the memo has not seen
    or has forgotten.
    """
    base = benchmark_case()
    out = []
    for i, act in enumerate(base["activities"]):
        for name in ("hours", "days"):
            if name in act:
                for step in range(1, values + 1):
                    acts = list(base["activities"])
                    acts[i] = {**act, name: act[name] + step / 2}
                    out.append({**base, "activities": acts})
                out.append(base)
    return out
