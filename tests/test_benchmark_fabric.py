"""The benchmark's planted problems are all found by landkit, and nothing else is."""

from benchmarks.fabric import make_fabric
from benchmarks.qa import check, run_landkit


def test_every_planted_problem_is_found_and_nothing_else():
    fabric = make_fabric(20_000, seed=7)
    result = run_landkit(fabric)
    assert check(result, fabric.planted) == []
    assert result["schema_problems"] == 0
    assert result["area_nan"] == len(fabric.planted["bow_tie"])  # an invalid polygon has no area, not a wrong one
    dup = fabric.planted["duplicate"]
    assert any(set(pair) <= dup for pair in result["overlap_pairs"]), "duplicates are reported as overlaps"


def test_the_check_itself_catches_a_miss_and_a_stray():
    fabric = make_fabric(10_000, seed=3)
    result = run_landkit(fabric)
    result["overlap_pairs"] = [*result["overlap_pairs"][1:], ["B0000000", "B0000001"]]
    issues = check(result, fabric.planted)
    assert any("missed overlaps" in i for i in issues) and any("not planted" in i for i in issues)
