"""The benchmark case: five years, 40 activities of mixed kinds (Qinghai)."""

KINDS = [
    {"kind": "public_course", "hours": 30},
    {"kind": "training", "days": 2.5},
    {"kind": "paper", "authors": 2, "rank": 1},
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
