"""Synthetic parcel fabrics with planted problems, for the benchmarks and the tests.

An edge-matched fabric of jittered quadrilaterals (about 60 m across, like village plots) in
CGCS2000 Gauss-Krueger CM 114E, with a known set of planted problems: parcels drawn over their
neighbours, duplicate registrations, parcels inside others, bow-ties, and parcels reaching
outside the zone. Deterministic for a given ``n`` and ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

CELL = 60.0
ORIGIN = (450000.0, 3700000.0)  # about 113.46E 33.43N, zone CM 114E


@dataclass
class Fabric:
    parcels: gpd.GeoDataFrame
    zone: shapely.Polygon
    planted: dict[str, set[str]] = field(default_factory=dict)


def make_fabric(n: int, *, seed: int = 1, problems_per_kind: int | None = None) -> Fabric:
    """Return about ``n`` parcels (a square grid) and the ids of each planted problem."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    k = problems_per_kind if problems_per_kind is not None else max(3, side // 50)
    gx, gy = np.meshgrid(np.arange(side + 1, dtype=float), np.arange(side + 1, dtype=float))
    vx = ORIGIN[0] + CELL * gx
    vy = ORIGIN[1] + CELL * gy
    inner = (gx > 0) & (gx < side) & (gy > 0) & (gy < side)
    vx[inner] += rng.uniform(-0.25, 0.25, inner.sum()) * CELL  # shared vertices: edge-matched
    vy[inner] += rng.uniform(-0.25, 0.25, inner.sum()) * CELL
    i, j = np.meshgrid(np.arange(side), np.arange(side))
    i, j = i.ravel(), j.ravel()
    corners = [(j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i), (j, i)]
    ring = np.stack([np.column_stack([vx[a, b], vy[a, b]]) for a, b in corners], axis=1)  # (m, 5, 2)
    ids = np.array([f"B{t:07d}" for t in range(len(ring))])
    zone = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + CELL * side, ORIGIN[1] + CELL * side)

    interior = np.flatnonzero((i > 2) & (i < side - 3) & (j > 2) & (j < side - 3))
    chosen = rng.choice(interior, size=4 * k, replace=False)
    over, bow, dup, inside = np.split(chosen, 4)
    ring[over, 2] += 8.0  # the far corner drawn 8 m into the neighbours
    ring[bow, 1], ring[bow, 2] = ring[bow, 2].copy(), ring[bow, 1].copy()  # a bow-tie
    geoms = shapely.polygons(ring)
    edge = rng.choice(np.flatnonzero((j == 0) & (i > 0) & (i < side - 1)), size=k, replace=False)
    x0, x1 = ring[edge, 0, 0], ring[edge, 1, 0]
    geoms[edge] = shapely.union(geoms[edge], shapely.box(x0, ORIGIN[1] - 20.0, x1, ORIGIN[1]))  # 20 m out
    extra_geoms = np.concatenate([geoms[dup], shapely.buffer(geoms[inside], -15.0)])
    extra_ids = np.array([f"D{t:07d}" for t in range(2 * k)])
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": np.concatenate([ids, extra_ids]),
            "land_use": "工业用地",
            "status": "planned",
        },
        geometry=np.concatenate([geoms, extra_geoms]),
        crs="EPSG:4547",
    ).set_index("parcel_id")
    parcels["stated_area_mu"] = np.round(parcels.area.to_numpy() * 15 / 10000, 2)
    planted = {
        "overlap": set(ids[over]),
        "bow_tie": set(ids[bow]),
        "duplicate": set(ids[dup]) | set(extra_ids[:k]),
        "contained": set(ids[inside]) | set(extra_ids[k:]),
        "outside": set(ids[edge]),
    }
    return Fabric(parcels, zone, planted)
