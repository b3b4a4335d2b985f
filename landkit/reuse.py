"""What a second audit of the same project reuses from the first: the geometry checks.

The meeting pack audits the project twice: as it is, and as it stood when the month began
(本月变化, :func:`landkit.period.period_changes`). Between the two only the ledgers differ: some
parcels' status, and parcels that were not yet on the ledger are left out of the start. The
checks that read nothing but geometry (and the stated area) give the same answer for the same
geometry, so the second audit takes them from the first when — and only when — its input is
the same, compared coordinate for coordinate (``shapely.equals_identical``), never by name or date:

* the parcel checks (:func:`landkit.topology.parcel_checks`: invalid geometry, overlaps, gaps,
  outside the zone and the county, stated vs measured area) when the parcels, their stated
  areas, the zone, the county and the rules are the same; a parcel added, removed or redrawn runs
  them again (an overlap or a gap depends on the neighbours);
* the 三区三线 conflicts per parcel (:func:`landkit.constraints.conflicts`), each parcel's own,
  when every parcel of the second audit is in the first with the same geometry and the
  constraint layers and rules are the same: the first audit's rows for those parcels;
* the conflicts per planning-zone version (:func:`landkit.constraints.zone_conflicts`), which
  read no parcel, when the zones, the constraint layers and the rules are the same.

A :class:`Reuse` is made for one pack and dropped with it; nothing is kept between runs. The
first audit given it (the project as it is) is the one the later ones reuse.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def _identical(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two arrays of geometries are identical feature by feature (the same structure and
    coordinates, value for value; missing where the other is missing)."""
    missing_a, missing_b = shapely.is_missing(a), shapely.is_missing(b)
    if not np.array_equal(missing_a, missing_b):
        return False
    return bool(shapely.equals_identical(a[~missing_a], b[~missing_b]).all())


def same_geometry(a: gpd.GeoDataFrame | gpd.GeoSeries, b: gpd.GeoDataFrame | gpd.GeoSeries) -> bool:
    """Whether two layers have the same features, in the same order, with the same coordinates
    (value for value) in the same CRS."""
    if len(a) != len(b) or a.crs != b.crs or not a.index.equals(b.index):
        return False
    ga = a.geometry.to_numpy() if isinstance(a, gpd.GeoDataFrame) else a.to_numpy()
    gb = b.geometry.to_numpy() if isinstance(b, gpd.GeoDataFrame) else b.to_numpy()
    return _identical(np.asarray(ga, dtype=object), np.asarray(gb, dtype=object))


def _same_shape(a, b) -> bool:
    """Two optional boundaries (a shapely geometry, a layer or None) are the same."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, gpd.GeoDataFrame | gpd.GeoSeries) or isinstance(b, gpd.GeoDataFrame | gpd.GeoSeries):
        return type(a) is type(b) and same_geometry(a, b)
    return bool(shapely.equals_identical(a, b))


def _same_column(a: pd.DataFrame, b: pd.DataFrame, column: str) -> bool:
    if (column in a) != (column in b):
        return False
    return column not in a or bool(a[column].equals(b[column]))


def _same_layers(a: dict, b: dict, names) -> bool:
    """The same layers (the very frames: :func:`landkit.period.as_of` passes untouched layers on)."""
    return all(a.get(n) is b.get(n) for n in names)


#: The columns the parcel checks read besides the geometry and the index (ids): a check that comes
#: to read another column must add it here, or the start of the month would be given today's answer.
PARCEL_CHECK_COLUMNS = ("stated_area_mu", "parcel_id")


class Reuse:
    """The first audit's geometry results, handed to a second audit of the same project (see the module)."""

    def __init__(self) -> None:
        self._checks: tuple | None = None
        self._conflicts: tuple | None = None
        self._zones: tuple | None = None
        self.hits: list[str] = []  # what was reused, for tests and timings

    def parcel_checks(self, parcels: gpd.GeoDataFrame, rules: dict, zone, county, compute: Callable[[], Any]):
        """``compute()`` (the parcel checks of ``parcels``), or the first audit's when its input was the same."""
        if self._checks is not None:
            then, then_rules, then_zone, then_county, found = self._checks
            if (
                rules == then_rules
                and same_geometry(parcels, then)
                and all(_same_column(parcels, then, c) for c in PARCEL_CHECK_COLUMNS)
                and _same_shape(zone, then_zone)
                and _same_shape(county, then_county)
            ):
                self.hits.append("parcel_checks")
                return [f.copy() for f in found]
        found = compute()
        if self._checks is None:  # the first audit's (the project as it is) stays the one reused
            self._checks = (parcels, copy.deepcopy(rules), zone, county, [f.copy() for f in found])
        return found

    def conflicts(self, parcels: gpd.GeoDataFrame, layers: dict, rules: dict, compute: Callable[[], dict]) -> dict:
        """``compute()`` (each parcel's 三区三线 conflicts), or the first audit's rows of these parcels
        when each of them has the same geometry there and the constraint layers are the same."""
        from .schema import CONSTRAINT_LAYERS

        if self._conflicts is not None:
            then, then_layers, then_rules, found = self._conflicts
            if rules == then_rules and _same_layers(layers, then_layers, CONSTRAINT_LAYERS) and _within(parcels, then):
                self.hits.append("conflicts")
                ids = set(parcels.index.to_numpy(dtype=object))
                return {name: hit[[i in ids for i in hit.index]].copy() for name, hit in found.items()}
        found = compute()
        if self._conflicts is None:
            layers_used = {n: layers.get(n) for n in CONSTRAINT_LAYERS}
            self._conflicts = (parcels, layers_used, copy.deepcopy(rules), {k: v.copy() for k, v in found.items()})
        return found

    def zone_conflicts(self, layers: dict, rules: dict, compute: Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
        """``compute()`` (the conflicts per planning-zone version), or the first audit's when the
        zones, the constraint layers and the rules are the same."""
        from .schema import CONSTRAINT_LAYERS

        names = ("planning_zones", *CONSTRAINT_LAYERS)
        if self._zones is not None:
            then_layers, then_rules, found = self._zones
            if rules == then_rules and _same_layers(layers, then_layers, names):
                self.hits.append("zone_conflicts")
                return found.copy()
        found = compute()
        if self._zones is None:
            self._zones = ({n: layers.get(n) for n in names}, copy.deepcopy(rules), found.copy())
        return found


def _within(parcels: gpd.GeoDataFrame, then: gpd.GeoDataFrame) -> bool:
    """Whether every parcel of ``parcels`` is in ``then``, in the same order, with the same geometry
    (``parcels`` is ``then`` less some parcels: each parcel's own results carry over)."""
    if parcels.crs != then.crs or not parcels.index.is_unique or not then.index.is_unique:
        return False
    ids = set(parcels.index.to_numpy(dtype=object))  # isin on an Arrow-backed index goes value by value
    inside = np.fromiter((i in ids for i in then.index.to_numpy(dtype=object)), dtype=bool, count=len(then))
    if inside.sum() != len(parcels) or not then.index[inside].equals(parcels.index):
        return False
    return same_geometry(parcels, then[inside])
