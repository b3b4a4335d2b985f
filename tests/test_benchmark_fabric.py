"""The benchmark's planted problems are all found by landkit, and nothing else is, on every fabric."""

import pytest

from benchmarks.fabric import KINDS, make_fabric
from benchmarks.qa import check, run_landkit, run_vectorised


@pytest.mark.parametrize("kind", KINDS)
def test_every_planted_problem_is_found_and_nothing_else(kind):
    fabric = make_fabric(20_000, seed=7, kind=kind)
    result = run_landkit(fabric)
    assert check(result, fabric) == []
    assert result["schema_problems"] == 0
    assert result["area_nan"] == len(fabric.planted["bow_tie"])  # an invalid polygon has no area, not a wrong one
    dup = fabric.planted["duplicate"]
    assert any(set(pair) <= dup for pair in result["overlap_pairs"]), "duplicates are reported as overlaps"
    assert len(result["gaps"]) == len(fabric.gaps)  # each sliver and wedge once


def test_the_check_itself_catches_a_miss_and_a_stray():
    fabric = make_fabric(10_000, seed=3)
    result = run_landkit(fabric)
    lost = sorted(fabric.planted["duplicate"])[0]
    result["overlap_pairs"] = [p for p in result["overlap_pairs"] if lost not in p] + [["B0000000", "B0000001"]]
    result["gaps"] = [*result["gaps"][1:], ["B0000000", "B0000001"]]
    issues = check(result, fabric)
    assert any("missed" in i and "overlapping" in i for i in issues) and any(
        "overlaps not planted" in i for i in issues
    )
    assert any("missed 1 gaps" in i for i in issues) and any("gaps not planted" in i for i in issues)


def test_the_vectorised_baseline_is_correct_on_an_edge_matched_fabric_and_reports_noise_otherwise():
    # the baseline the README compares with must itself find the planted problems where it can
    matched = make_fabric(10_000, seed=3)
    assert check(run_vectorised(matched), matched) == []
    jittered = make_fabric(10_000, seed=3, kind="jittered")
    assert any("not planted" in i for i in check(run_vectorised(jittered), jittered))
