import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from landkit.units import M2_PER_MU, balanced_round, convert_area, format_area, shown, total


def test_a_mu_is_exactly_ten_thousand_fifteenths_of_a_square_metre():
    assert M2_PER_MU == 10000 / 15
    assert convert_area(1, "km2", "mu") == 1500
    assert convert_area(15, "mu", "ha") == pytest.approx(1.0, abs=1e-15)
    assert convert_area(5000, "mu", "km2") == pytest.approx(10 / 3)
    with pytest.raises(ValueError, match="unknown area unit"):
        convert_area(1, "acre", "mu")


def test_format_area():
    assert format_area(5000, "mu") == "5,000.00 mu"


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=50), st.integers(0, 3))
def test_balanced_parts_sum_to_the_rounded_total(values, decimals):
    parts = balanced_round(values, decimals)
    scale = 10**decimals
    assert round(parts.sum() * scale) == np.floor(np.sum(values) * scale + 0.5)
    assert np.all(np.abs(parts - np.asarray(values)) < 1.0 / scale + 1e-9)  # each moved by < 1 unit


def test_balanced_round_refuses_nan():
    with pytest.raises(ValueError, match="NaN"):
        balanced_round([1.0, float("nan")])


# -- pinned by mutation testing (tests/MUTANTS.md): defaults, messages, the largest-remainder order


def test_the_defaults_are_square_metres_to_mu_and_two_decimals():
    assert convert_area(10_000) == 15.0  # m2 -> mu: 10,000 m2 is 15 mu
    assert convert_area(1, "km2") == 1500.0  # to mu by default
    assert convert_area(1.5, to_unit="ha") == pytest.approx(0.00015)  # from m2 by default
    assert format_area(1234.5) == "1,234.50 mu"
    assert shown([1.2345]).tolist() == [1.23]
    assert total([1.111, 2.222]) == 3.33  # 3.333 to two decimals
    assert balanced_round([1.006]).tolist() == [1.01]


def test_an_unknown_unit_names_the_units_there_are():
    with pytest.raises(ValueError, match=r"^unknown area unit 'acre'; use one of m2, mu, ha, km2$"):
        convert_area(1, "m2", "acre")


def test_a_missing_figure_is_left_out_of_a_total_and_shown_as_nan():
    assert total([1.25, None, 2.5]) == 3.75
    out = shown([1.006, None])
    assert out[0] == 1.01 and np.isnan(out[1])


def test_balanced_round_of_one_part_is_that_part_rounded_half_up():
    assert balanced_round([2.675], 1).tolist() == [2.7]
    assert balanced_round([0.125], 2).tolist() == [0.13]  # 12.5 hundredths: half up


def test_balanced_round_refuses_a_missing_part_as_not_a_number():
    with pytest.raises(ValueError, match=r"^cannot balance parts that include NaN or infinity; report them first$"):
        balanced_round([1.0, None])


def test_the_units_missing_go_to_the_largest_remainders_and_ties_to_the_earlier_part():
    # exact binary fractions (quarters) at 0 decimals: every remainder is exact
    remainders = [0.5, 0.75, 0.75, 0.25, 0.25, 0.75, 0.75, 0.25, 0.25, 0.75, 0.5, 0.25, 0.75, 0.25,
                  0.5, 0.5, 0.5, 0.25, 0.25, 0.75, 0.75, 0.75, 0.5, 0.75, 0.25, 0.5, 0.75]  # fmt: skip
    values = [10 * k + r for k, r in enumerate(remainders)]
    missing = int(sum(remainders) + 0.5)  # 14 units to hand out
    winners = sorted(range(len(values)), key=lambda i: (-remainders[i], i))[:missing]
    expected = [10 * k + (1 if k in winners else 0) for k in range(len(values))]
    assert balanced_round(values, 0).tolist() == expected
    # the largest remainder first, not the smallest: 0.6 gets the one unit missing
    assert balanced_round([1.006, 2.003, 3.004], 2).tolist() == [1.01, 2.0, 3.0]
