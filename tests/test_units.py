import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from landkit.units import M2_PER_MU, balanced_round, convert_area, format_area


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
