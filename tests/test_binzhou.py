"""Binzhou specifics the vector format cannot state: co-author shares and credit-era wording."""
from ruleset import check
from ruleset.methods.binzhou_paper import share


def test_shares_are_whole_and_add_up_to_the_paper_total():
    for total in (1, 5, 6, 15, 25):
        for authors in range(1, 12):
            parts = [share(total, authors, rank) for rank in range(1, authors + 1)]
            assert sum(parts) == total
            assert max(parts) - min(parts) <= 1
            assert parts == sorted(parts, reverse=True)  # the remainder goes to the first authors
    assert [share(15, 4, r) for r in range(1, 5)] == [4, 4, 4, 3]


def test_credit_era_rows_speak_of_credits():
    acts = [
        {"kind": "public_course", "year": 2019, "completed": True},
        {"kind": "self_study_exam", "year": 2019, "subjects_passed": 2},
        {"kind": "degree_study", "year": 2018, "courses_passed": 1},
        {"kind": "study_visit", "year": 2018, "overseas": True, "months": 14},
        {"kind": "award", "year": 2017, "level": "county", "grade": 1, "rank": 1},
        {"kind": "paper", "year": 2017, "authors": 2, "rank": 1, "level": "national", "chars": 2000},
        {"kind": "book", "year": 2017, "authors": 1, "level": "municipal"},
        {"kind": "advanced_seminar", "year": 2017, "credits": 6},
    ]
    result = check({"region": "binzhou", "activities": acts})
    assert result["errors"] == []
    for row in result["activities"]:
        assert "学分" in row["explanation"], row["explanation"]
        assert "学时" not in row["explanation"].split("：", 1)[1], row["explanation"]
    assert {y["unit"] for y in result["years"].values()} == {"credit"}


def test_hours_era_rows_speak_of_hours():
    result = check({"region": "binzhou", "activities": [
        {"kind": "self_study_exam", "year": 2021, "subjects_passed": 2},
        {"kind": "study_visit", "year": 2021, "overseas": True, "months": 2}]})
    for row in result["activities"]:
        assert "学时" in row["explanation"] and "学分" not in row["explanation"]
