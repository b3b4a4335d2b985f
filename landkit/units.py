"""Area units and their exact conversions.

1 mu (亩) is exactly 10000/15 m²; 666.67 would be off by 5e-6, which shows in a 10,000 mu total.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .errors import DataError

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
            raise DataError(code="units.unknown", unit=unit, units=", ".join(UNITS))
    ratio = UNITS[from_unit] / UNITS[to_unit]
    return value * ratio.numerator / ratio.denominator


def shown(values, decimals: int = 2) -> np.ndarray:
    """A figure as every output shows it: its own measured value rounded half up (四舍五入), once.

    One parcel's area is the same figure in the CSV, the workbook, the map and the report, and
    every total landkit shows is the sum of the figures shown under it (:func:`total`), so the
    parts always add up to the total.

    Examples
    --------
    >>> shown([4.4649, 4.4651, -0.125], 2).tolist()
    [4.46, 4.47, -0.13]
    """
    values = np.asarray(values, dtype=float)
    scale = 10.0**decimals
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale


def total(parts_shown, decimals: int = 2) -> float:
    """The total of figures already shown: their sum, to the same decimals (no float dust)."""
    return round(float(np.nansum(np.asarray(parts_shown, dtype=float))), decimals)


def balanced_round(values, decimals: int = 2) -> np.ndarray:
    """Round parts so that they add up exactly to their rounded total (largest remainder).

    Chinese survey summaries require the parts shown to sum to the total shown (强制调平): each
    part is rounded down, then the units still missing go to the parts that lost most.

    Examples
    --------
    >>> balanced_round([1.004, 1.004, 1.004], 2).tolist()
    [1.01, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values.copy()
    if not np.isfinite(values).all():
        raise DataError(code="units.not_finite")
    scale = 10.0**decimals
    scaled = values * scale
    floors = np.floor(scaled)
    total = np.floor(scaled.sum() + 0.5)  # half up (四舍五入), as survey tables round
    missing = int(total - floors.sum())
    order = np.argsort(-(scaled - floors), kind="stable")
    floors[order[:missing]] += 1
    return floors / scale


def format_area(value: float, unit: str = "mu", decimals: int = 2) -> str:
    """Format an area with thousands separators and its unit, e.g. ``'5,000.00 mu'``."""
    return f"{value:,.{decimals}f} {unit}"
