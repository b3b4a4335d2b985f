"""Synthetic parcel fabrics with planted problems, for the benchmarks and the tests.

A fabric of jittered quadrilaterals (about 60 m across, like village plots) in CGCS2000
Gauss-Krueger CM 114E, in one of three kinds:

- ``matched``: neighbours share bit-identical corners (what a topology-aware editor writes);
- ``jittered``: every parcel's copy of a corner moved 1-5 cm on its own (as when each parcel
  is digitised separately from the same map);
- ``digitised``: jittered, and a third of the parcels carry an extra vertex within 3 cm of
  one edge that the neighbour does not have (a T-junction).

Every kind carries the same planted problems: parcels drawn 8 m over their neighbours,
duplicate registrations, parcels inside others, parcels merged and kept beside their parts,
bow-ties, parcels reaching outside the zone, 0.5 m slivers along a shared edge and 1.5 m wedge
gaps. Deterministic for a given ``n``, ``seed`` and ``kind``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

CELL = 60.0
ORIGIN = (450000.0, 3700000.0)  # about 113.46E 33.43N, zone CM 114E
KINDS = ("matched", "jittered", "digitised")


@dataclass
class Fabric:
    parcels: gpd.GeoDataFrame
    zone: shapely.Polygon
    planted: dict[str, set[str]] = field(default_factory=dict)
    #: pairs of parcels with a planted sliver or gap between them
    gaps: list[frozenset[str]] = field(default_factory=list)
    kind: str = "matched"


def _notch(ring: np.ndarray, depth: float, ends: tuple[float, ...]) -> np.ndarray:
    """The right edge (corner 1 to 2) pulled back by ``depth`` at the fractions ``ends``."""
    a, b = ring[1], ring[2]
    inward = np.array([-(b - a)[1], (b - a)[0]]) / np.hypot(*(b - a))  # left of a->b: inside (CCW)
    pulled = [a + t * (b - a) + depth * inward for t in ends]
    return np.vstack([ring[:2], pulled, ring[2:]])


def make_fabric(n: int, *, seed: int = 1, problems_per_kind: int | None = None, kind: str = "matched") -> Fabric:
    """Return about ``n`` parcels (a square grid) and the ids of each planted problem."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
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
    ring = np.stack([np.column_stack([vx[a, b], vy[a, b]]) for a, b in corners], axis=1)  # (m, 5, 2) CCW
    if kind != "matched":
        r, t = rng.uniform(0.01, 0.05, ring.shape[:2]), rng.uniform(0, 2 * np.pi, ring.shape[:2])
        ring += np.stack([r * np.cos(t), r * np.sin(t)], axis=-1)
        ring[:, 4] = ring[:, 0]
    ids = np.array([f"B{t:07d}" for t in range(len(ring))])
    zone = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + CELL * side, ORIGIN[1] + CELL * side)

    # planted problems sit on every third row and column, so no two touch (a problem and its
    # right neighbour included)
    interior = np.flatnonzero((i > 2) & (i < side - 4) & (j > 2) & (j < side - 3) & (i % 3 == 0) & (j % 3 == 0))
    chosen = rng.choice(interior, size=7 * k, replace=False)
    over, bow, dup, inside, merged, sliver, wedge = np.split(chosen, 7)
    ring[over, 2] += 8.0  # the far corner drawn 8 m into the neighbours
    ring[bow, 1], ring[bow, 2] = ring[bow, 2].copy(), ring[bow, 1].copy()  # a bow-tie
    rings = list(ring)
    for s in sliver:
        rings[s] = _notch(ring[s], 0.5, (0.02, 0.98))  # a 0.5 m sliver along the right neighbour
    for s in wedge:
        rings[s] = _notch(ring[s], 1.5, (0.5,))  # a wedge, 1.5 m at its widest
    if kind == "digitised":
        extra = rng.choice(np.setdiff1d(np.arange(len(ring)), np.concatenate([sliver, wedge])), len(ring) // 3, False)
        for s in extra:  # an extra vertex within 3 cm of one edge, which the neighbour lacks
            e = rng.integers(4)
            a, b = ring[s, e], ring[s, e + 1]
            mid = a + rng.uniform(0.3, 0.7) * (b - a) + rng.uniform(-0.03, 0.03, 2)
            rings[s] = np.vstack([ring[s, : e + 1], mid, ring[s, e + 1 :]])
    geoms = np.array([shapely.Polygon(x) for x in rings], dtype=object)
    edge = rng.choice(np.flatnonzero((j == 0) & (i > 0) & (i < side - 1)), size=k, replace=False)
    x0, x1 = ring[edge, 0, 0], ring[edge, 1, 0]
    geoms[edge] = shapely.union(geoms[edge], shapely.box(x0, ORIGIN[1] - 20.0, x1, ORIGIN[1]))  # 20 m out
    # duplicates, parcels inside others, and a parcel merged with its right neighbour kept beside both
    whole = shapely.union(geoms[merged], geoms[merged + 1], grid_size=0.001)
    extra_geoms = np.concatenate([geoms[dup], shapely.buffer(geoms[inside], -15.0), whole])
    extra_ids = np.array([f"D{t:07d}" for t in range(3 * k)])
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
        "contained": set(ids[inside]) | set(extra_ids[k : 2 * k]) | set(ids[merged]) | set(ids[merged + 1]),
        "merged": set(extra_ids[2 * k :]),
        "outside": set(ids[edge]),
        "gap": set(ids[sliver]) | set(ids[wedge]),
    }
    pairs = [frozenset((ids[s], ids[s + 1])) for s in np.concatenate([sliver, wedge])]
    return Fabric(parcels, zone, planted, pairs, kind)
