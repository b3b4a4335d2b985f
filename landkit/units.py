"""Area units and their exact conversions.

1 mu (亩) is exactly 10000/15 m²; 666.67 would be off by 5e-6, which shows in a 10,000 mu total.
"""

from __future__ import annotations

from fractions import Fraction

M2_PER_MU: float = 10000 / 15
M2_PER_HA: float = 10_000.0
M2_PER_KM2: float = 1_000_000.0

#: Square metres in one unit, exact as fractions.
UNITS: dict[str, Fraction] = {
    "m2": Fraction(1),
    "mu": Fraction(10000, 15),
    "ha": Fraction(10_000),
    "km2": Fraction(1_000_000),
}


def convert_area(value, from_unit: str = "m2", to_unit: str = "mu"):
    """Convert an area (a number, array or Series) between m2, mu, ha and km2.

    Examples
    --------
    >>> convert_area(1, "km2", "mu")
    1500.0
    """
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise ValueError(f"unknown area unit {unit!r}; use one of {', '.join(UNITS)}")
    ratio = UNITS[from_unit] / UNITS[to_unit]
    return value * ratio.numerator / ratio.denominator
