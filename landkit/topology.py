"""Topology checks on parcels: each returns findings and never changes the data.

A finding is a row of a GeoDataFrame with ``rule``, ``severity``, ``ids`` (the features
involved), ``area_m2`` and ``area_mu`` (ellipsoidal, CGCS2000), ``message`` (English),
``message_zh`` (the same, with the same figures, in Chinese) and the problem ``geometry`` in the
layer's CRS. Parcel fabrics are checked as a polygon coverage first: the
vertices are snapped under a tolerance (digitising noise is not a finding), GEOS's coverage
validator names the parcels whose edges are not shared exactly, and only those are checked
pairwise. Distances and tolerances are metres in any CRS (lon/lat, feet and Web Mercator
layers are checked in their UTM zone).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .crs import metric_crs
from .errors import DataError
from .i18n import both
from .i18n import t as say
from .measure import area
from .units import M2_PER_MU

FINDING_COLUMNS = ["rule", "severity", "ids", "area_m2", "area_mu", "message", "message_zh", "geometry"]
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon


def _findings(rule, severity, ids, geometry, messages, crs, *, area_m2, messages_zh) -> gpd.GeoDataFrame:
    """A check's findings: each with its ids, geometry, area (m², as the check measured it: the
    ellipsoidal area of the geometry, or a difference of areas) and its message in both languages."""
    geometry = np.asarray(geometry, dtype=object)
    area_m2 = np.asarray(area_m2, dtype=float)
    return gpd.GeoDataFrame(
        {
            "rule": rule,
            "severity": severity,
            "ids": list(ids),
            "area_m2": area_m2,
            "area_mu": area_m2 / M2_PER_MU,
            "message": list(messages),
            "message_zh": list(messages_zh),
        },
        geometry=gpd.GeoSeries(geometry, crs=crs),
        columns=FINDING_COLUMNS,
    )


def empty_findings(crs=None) -> gpd.GeoDataFrame:
    """Return a findings table with no rows (the columns every check returns)."""
    return _findings("", "", [], [], [], crs, area_m2=[], messages_zh=[])


def _ids(gdf) -> np.ndarray:
    return gdf.index.astype(str).to_numpy()


def _polygons(gdf) -> np.ndarray:
    """Indices of features that are valid, non-empty polygons: the ones checks can rely on."""
    g = gdf.geometry.to_numpy()
    ok = np.isin(shapely.get_type_id(g), _POLYGONAL) & ~shapely.is_empty(g) & shapely.is_valid(g)
    return np.flatnonzero(ok)


def invalid_geometry(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Find invalid polygons (bow-ties, self-touching rings, …) with GEOS's reason and location.

    Their areas cannot be trusted: a bow-tie's planar area is 0 because its lobes cancel.
    """
    g = gdf.geometry.to_numpy()
    present = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    bad = np.flatnonzero(present & ~shapely.is_valid(g))
    reasons = shapely.is_valid_reason(g[bad])
    where = [_reason_point(r) for r in reasons]
    ids = _ids(gdf)[bad]
    rows = ({"id": i, "reason": {"en": r, "zh": _reason_zh(r)}} for i, r in zip(ids, reasons, strict=True))
    messages, messages_zh = both("finding.invalid_geometry", rows)
    fixed_area = area(gpd.GeoSeries(shapely.make_valid(g[bad]), crs=gdf.crs)).to_numpy() if len(bad) else np.array([])
    return _findings(
        "invalid_geometry",
        "error",
        [[i] for i in ids],
        where,
        messages,
        gdf.crs,
        area_m2=fixed_area,
        messages_zh=messages_zh,
    )


#: GEOS's reasons for an invalid geometry (``shapely.is_valid_reason``), as planners read them.
_REASONS_ZH = {
    "Ring Self-intersection": "环自相交",
    "Self-intersection": "自相交",
    "Too few points in geometry component": "图形的点数过少",
    "Interior is disconnected": "内部不连通",
    "Hole lies outside shell": "内环在外环之外",
    "Holes are nested": "内环相互嵌套",
    "Nested shells": "外环相互嵌套",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
    "Repeated Point": "重复点",
}


def _reason_zh(reason: str) -> str:
    """GEOS's reason in Chinese, its location (``[x y]``) kept as given; an unknown reason as GEOS says it."""
    m = re.match(r"\s*([^\[]*?)\s*(\[.*)?$", reason)
    text, where = (m.group(1), m.group(2) or "") if m else (reason, "")
    if text not in _REASONS_ZH:
        return reason
    return _REASONS_ZH[text] + (f"，位置 {where}" if where else "")


def _reason_point(reason: str):
    m = re.search(r"\[([-\d.e+]+) ([-\d.e+]+)", reason)
    return shapely.Point(float(m.group(1)), float(m.group(2))) if m else None


def repair_geometry(gdf: gpd.GeoDataFrame, *, tolerance: float = 0.001) -> gpd.GeoDataFrame:
    """Return a copy with invalid polygons made valid, refusing any repair that moves the area.

    A repair is accepted when the repaired area differs from the drawn (shoelace) area by at
    most ``tolerance`` (relative). A bow-tie's drawn area is its lobes' difference, so making it
    valid changes the area and is refused: such a parcel must be redrawn by a person.
    """
    g = gdf.geometry.to_numpy()
    bad = np.flatnonzero(~shapely.is_missing(g) & ~shapely.is_valid(g))
    fixed = shapely.make_valid(g[bad])
    fixed = np.array([_polygonal_part(f) for f in fixed], dtype=object)
    before, after = shapely.area(g[bad]), shapely.area(fixed)
    refused = np.abs(after - before) > tolerance * np.maximum(np.abs(before), 1e-9)
    if refused.any():
        ids = ", ".join(_ids(gdf)[bad][refused][:10])
        raise DataError(code="topology.repair_refused", count=refused.sum(), ids=ids, tolerance=f"{tolerance:.1%}")
    out = gdf.copy()
    out.iloc[bad, out.columns.get_loc(out.geometry.name)] = fixed
    return out


def _polygonal_part(geom):
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


#: Boundaries closer than this are the same line: two independent surveys of a first-class
#: boundary point (界址点, ±5 cm) differ by up to 10 cm, and digitising noise is smaller.
SNAP_M = 0.1


def snap(geoms: np.ndarray, tolerance_m: float = SNAP_M, parts: int | None = None) -> np.ndarray:
    """Return the polygons with digitising noise under ``tolerance_m`` taken out of their vertices
    (:func:`_snapped`), in vertical strips on every core.

    A large layer is cut in the strips of :func:`_in_strips` (``parts`` if given), each snapped
    with every polygon within four times the tolerance of its own, two strips at a time (threads:
    the k-d tree, numpy and GEOS release Python's lock), and each strip keeps its own polygons.
    That is the answer of the whole: a cluster no wider than the tolerance that holds a vertex of
    a strip's own polygon lies within the tolerance of it, and a cluster cut at the strip's reach
    spans more than twice the tolerance inside it, so it is wide there as in the whole (and stays).
    """
    plan = _strips(geoms, 4 * tolerance_m, parts) if tolerance_m > 0 else None
    if plan is None:
        return _snapped(geoms, tolerance_m)
    out = geoms.copy()

    def one(job: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        own, near = job
        return own, _snapped(geoms[near], tolerance_m)[np.searchsorted(near, own)]

    with ThreadPoolExecutor(min(os.cpu_count() or 1, len(plan))) as pool:
        for own, got in pool.map(one, plan):
            out[own] = got
    return out


def _snapped(geoms: np.ndarray, tolerance_m: float = SNAP_M) -> np.ndarray:
    """Return the polygons with digitising noise under ``tolerance_m`` taken out of their vertices.

    Vertices no farther apart than the tolerance are merged into one (the cluster's south-west-most
    vertex), so that independently digitised neighbours share their corners exactly; a chain
    of close vertices wider than the tolerance (a densely digitised curve) stays as drawn, so
    no vertex moves further than the tolerance. Then, in polygons without holes, a vertex no
    other polygon has that lies closer than the tolerance to the line through its two neighbours
    (a bend the neighbour did not digitise) is dropped, never two in a row, and so long as three
    vertices are left.
    Clusters are found with a k-d tree over the distinct vertices (:func:`_snap_targets`). A polygon
    that snapping would make invalid is kept as drawn. Memory: about 160 bytes a vertex at the
    peak, the snapped polygons included (per-vertex steps run :data:`CHUNK_VERTICES` vertices at a time).
    """
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if not len(coords) or tolerance_m <= 0:
        return geoms
    codes, points = _vertex_codes(coords)
    target = _snap_targets(points, coords, codes, tolerance_m)
    vertex = target[codes]  # each vertex as the distinct vertex it moves onto (itself if it stays)
    del codes, target
    xy = points[vertex]
    del points
    n = len(xy)
    first = np.r_[True, owner[1:] != owner[:-1]]
    closing = np.r_[first[1:], True]
    simple = (shapely.get_type_id(geoms) == 3) & (shapely.get_num_interior_rings(geoms) == 0)
    # consecutive vertices merged into one: keep one (the closing vertex always stays)
    drop = np.r_[(vertex[:-1] == vertex[1:]) & ~first[1:], False]
    drop &= simple[owner]
    # a lone bend: a vertex no other polygon shares, within the tolerance of its neighbours' chord
    counts = np.bincount(vertex[~closing], minlength=vertex.max() + 1)
    bend = simple[owner] & ~closing & ~first & ~drop
    for s in range(0, n, CHUNK_VERTICES):
        e = min(s + CHUNK_VERTICES, n)
        here = np.arange(s, e)
        prev = _previous(here, first, closing)
        nxt = np.minimum(here + 1, n - 1)
        chord, to_point = xy[nxt] - xy[prev], xy[s:e] - xy[prev]
        length = np.hypot(chord[:, 0], chord[:, 1])
        off = np.abs(chord[:, 0] * to_point[:, 1] - chord[:, 1] * to_point[:, 0]) / np.where(length > 0, length, 1)
        bend[s:e] &= (counts[vertex[s:e]] <= 1) & (length > 0) & (off < tolerance_m)
    del counts, vertex
    lone = bend.copy()  # never two in a row
    for s in range(0, n, CHUNK_VERTICES):
        e = min(s + CHUNK_VERTICES, n)
        lone[s:e] &= ~bend[_previous(np.arange(s, e), first, closing)]
    drop |= lone
    del bend, lone
    left = np.bincount(owner[~drop & ~closing], minlength=len(geoms))
    drop &= left[owner] >= 3
    changed = np.zeros(len(geoms), bool)
    changed[owner[drop | (xy != coords).any(axis=1)]] = True
    out = geoms.copy()
    rebuild = changed & simple
    s = 0
    while s < n:  # about CHUNK_VERTICES vertices at a time, each polygon whole
        e = int(np.searchsorted(owner, owner[min(s + CHUNK_VERTICES, n) - 1], side="right"))
        keep = rebuild[owner[s:e]] & ~drop[s:e]
        if keep.any():
            kept = owner[s:e][keep]
            ring = np.cumsum(np.r_[False, kept[1:] != kept[:-1]])  # the owners are in order
            out[np.unique(kept)] = shapely.polygons(shapely.linearrings(xy[s:e][keep], indices=ring))
        s = e
    other = changed & ~simple
    if other.any():  # holes and multipolygons: merged vertices only
        moved = shapely.set_coordinates(geoms[other].copy(), xy[other[owner]])
        try:
            out[other] = shapely.remove_repeated_points(moved)
        except shapely.errors.GEOSException:  # a hole or part smaller than the tolerance collapsed
            for k, geom in zip(np.flatnonzero(other), moved, strict=True):
                with contextlib.suppress(shapely.errors.GEOSException):
                    out[k] = shapely.remove_repeated_points(geom)
    broken = np.flatnonzero(changed)[~shapely.is_valid(out[changed])]
    out[broken] = geoms[broken]
    return out


#: Pairs of points handled at once by the bounded-memory steps (about 50 MB of indices).
CHUNK_PAIRS = 2_000_000
#: Vertices handled at once by the per-vertex steps of snapping (about 60 MB of temporaries).
CHUNK_VERTICES = 1_000_000
#: Snapping finds all pairs of close points in one pass when they are no more than this many a
#: point (or :data:`CHUNK_PAIRS`): 32 bytes a point at most; else a bounded number at a time.
_PAIRS_AT_ONCE = 1.0


def _previous(here: np.ndarray, first: np.ndarray, closing: np.ndarray) -> np.ndarray:
    """The vertex before each of ``here`` in its ring (a ring's first vertex: its last distinct one)."""
    prev = here - 1
    start = first[here]
    if start.any():
        # the closing vertex of the ring that starts at each such vertex: the next closing one
        ends = np.flatnonzero(closing)
        prev[start] = ends[np.searchsorted(ends, here[start])] - 1
    return prev


def _vertex_codes(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each coordinate's number among the distinct coordinates, and those (a view, no copy).

    ``pandas.factorize`` of the coordinates as complex numbers: its hash table (about 90 bytes a
    vertex while it runs) is three times faster than a sort, and no larger than the steps after it.
    """
    codes, uniques = pd.factorize(np.ascontiguousarray(xy).view(np.complex128).ravel())
    return codes, np.ascontiguousarray(uniques).view(np.float64).reshape(-1, 2)


def _snap_targets(points: np.ndarray, coords: np.ndarray, codes: np.ndarray, tolerance_m: float) -> np.ndarray:
    """For each of the distinct ``points``, the point it moves onto: its cluster's south-west-most
    point when the cluster (every pair within ``tolerance_m`` joined) is no wider than the tolerance,
    else itself. ``coords`` are the vertices in drawing order, ``codes`` their points.

    In memory linear in the points, whatever their density. A densely digitised curve (vertices a
    millimetre apart) has hundreds of points within the tolerance of each: all its pairs would not
    fit in memory. A run of consecutive vertices each within the tolerance of the next, wider than
    the tolerance, lies in a wide cluster, so its points stay: they are found by one pass over the
    vertices and never looked up. Every pair among the other points is found with a k-d tree, a
    bounded number of pairs at a time, and the ones within the tolerance of a wide run's point are
    marked: a cluster touching a wide run is wide too. A cluster no wider than the tolerance holds
    no point of a wide run, so it comes out whole. When the pairs are few (the tree counts them
    first: :data:`_PAIRS_AT_ONCE` a point), they are found in one dual-tree pass, about 5x faster.
    """
    n, m = len(points), len(coords)
    target = np.arange(n)
    wide = np.zeros(n, bool)
    near = np.zeros(m, bool)  # near[i]: vertex i lies within the tolerance of vertex i + 1
    for s in range(0, m - 1, CHUNK_VERTICES):
        e = min(s + CHUNK_VERTICES, m - 1)
        d = coords[s + 1 : e + 1] - coords[s:e]
        near[s:e] = d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] <= tolerance_m * tolerance_m
    starts = np.flatnonzero(near & ~np.r_[False, near[:-1]])  # runs of two vertices or more
    if len(starts):
        ends = np.flatnonzero(near & ~np.r_[near[1:], False]) + 1  # the run's last vertex
        edges = np.column_stack([starts, ends + 1]).ravel()
        edges = edges[edges < m]  # reduceat: a run ending at the last vertex runs to the end
        x, y = coords[:, 0], coords[:, 1]
        span_x = np.maximum.reduceat(x, edges)[::2] - np.minimum.reduceat(x, edges)[::2]
        span_y = np.maximum.reduceat(y, edges)[::2] - np.minimum.reduceat(y, edges)[::2]
        is_wide = (span_x > tolerance_m) | (span_y > tolerance_m)
        mark = np.zeros(m + 1, np.int8)
        mark[starts[is_wide]] = 1
        mark[ends[is_wide] + 1] -= 1
        in_wide = np.cumsum(mark[:m], dtype=np.int8).view(bool)
        wide[codes[in_wide]] = True
        del mark, in_wide, edges
    del near
    rest = np.flatnonzero(~wide)
    if not len(rest):
        return target
    mine = points if len(rest) == n else points[rest]
    tree = cKDTree(mine, balanced_tree=False)  # built in half the time, queried as fast
    touches = np.zeros(len(rest), bool)  # within the tolerance of a wide run's point
    others = np.flatnonzero(wide)
    for s in range(0, len(others), CHUNK_VERTICES):
        chunk = others[s : s + CHUNK_VERTICES]
        close = chunk[tree.query_ball_point(points[chunk], tolerance_m, return_length=True) > 0]
        step = max(1, CHUNK_PAIRS // 64)  # a point of a wide run has few rest points near it
        for t in range(0, len(close), step):
            part = close[t : t + step]
            hits = cKDTree(points[part]).sparse_distance_matrix(tree, tolerance_m, output_type="ndarray")
            touches[hits["j"]] = True
    r = len(rest)
    if (tree.count_neighbors(tree, tolerance_m) - r) / 2 <= max(CHUNK_PAIRS, _PAIRS_AT_ONCE * r):
        pairs = tree.query_pairs(tolerance_m, output_type="ndarray")  # few pairs: all at once (dual tree)
    else:
        found = []
        done = np.r_[0, np.cumsum(tree.query_ball_point(mine, tolerance_m, return_length=True))]
        start = 0
        while start < r:  # a bounded number of pairs at a time
            stop = max(start + 1, int(np.searchsorted(done, done[start] + CHUNK_PAIRS, side="right")) - 1)
            hits = cKDTree(mine[start:stop]).sparse_distance_matrix(tree, tolerance_m, output_type="ndarray")
            i, j = hits["i"] + start, hits["j"]
            found.append(np.column_stack([i, j])[i < j])
            start = stop
        pairs = np.concatenate(found)
    del tree
    if not len(pairs):
        return target
    graph = coo_matrix((np.ones(len(pairs), np.int8), (pairs[:, 0], pairs[:, 1])), shape=(r, r))
    k, label = connected_components(graph, directed=False)
    del graph, pairs
    low = np.full((k, 2), np.inf)
    high = np.full((k, 2), -np.inf)
    np.minimum.at(low, label, mine)
    np.maximum.at(high, label, mine)
    tight = np.all((high - low) <= tolerance_m, axis=1)
    tight[label[touches]] = False
    # each cluster moves onto its south-west-most point: the same whatever order the points come
    # in, so that a layer checked in parts snaps exactly as it does whole
    tight &= np.bincount(label, minlength=k) > 1  # a point alone stays where it is
    member = np.flatnonzero(tight[label])
    west = member[mine[member, 0] == low[label[member], 0]]  # the cluster's westmost points
    south = np.full(k, np.inf)
    np.minimum.at(south, label[west], mine[west, 1])
    lead = west[mine[west, 1] == south[label[west]]]  # and of those the southmost: one (the points are distinct)
    anchor = np.empty(k, np.int64)
    anchor[label[lead]] = rest[lead]
    target[rest[member]] = anchor[label[member]]
    return target


@dataclass
class Coverage:
    """A parcel fabric checked as a polygon coverage, in metres: what the pairwise checks need."""

    valid: np.ndarray  # positions of the valid polygons in the layer
    geoms: np.ndarray  # those polygons, as drawn
    snapped: np.ndarray  # and with their vertices snapped
    suspects: np.ndarray  # positions (into geoms) of polygons whose edges GEOS finds invalid
    tree: shapely.STRtree
    snap_m: float


def coverage(gdf: gpd.GeoDataFrame, *, snap_m: float = SNAP_M, max_width_m: float = 2.0) -> Coverage:
    """Check the layer (in a CRS in metres) as a coverage: snap, then GEOS's coverage validator.

    A polygon none of whose edges is invalid (each shared exactly with a neighbour, none
    inside another polygon, none along a gap narrower than ``max_width_m``) cannot take part
    in an overlap or a gap, so only the suspects are checked pairwise. The validator sees
    every polygon against all its neighbours: duplicates, parcels inside others and merged
    parcels kept beside their parts are all suspects.
    """
    valid = _polygons(gdf)
    geoms = gdf.geometry.to_numpy()[valid]
    snapped = snap(geoms, snap_m)
    invalid = _invalid(snapped, max_width_m)
    suspects = np.union1d(invalid, _facing_open_edges(snapped, max_width_m, known=invalid))
    return Coverage(valid, geoms, snapped, suspects, shapely.STRtree(geoms), snap_m)


def _facing_open_edges(
    geoms: np.ndarray, width: float, parts: int | None = None, known: np.ndarray | None = None
) -> np.ndarray:
    """:func:`_facing_whole` in strips (:func:`_in_strips`): an edge is open or facing another by
    what lies within ``width`` of it only. Two polygons both ``known`` (positions) to be suspects
    already are not compared: what comes back, with those, is the same."""
    sure = np.zeros(len(geoms), bool)
    if known is not None:
        sure[known] = True
    return _in_strips(lambda g, where: _facing_whole(g, width, sure[where]), geoms, width, parts)


def _facing_whole(geoms: np.ndarray, width: float, sure: np.ndarray | None = None) -> np.ndarray:
    """Positions of the polygons with an edge no neighbour shares lying within ``width`` of
    another polygon's such edge: the sides of every gap narrower than ``width``.

    GEOS's validator flags a narrow gap only where two edges run side by side for longer than
    the gap is wide, which a boundary digitised every metre or two (a curve) never does; this
    looks at every unshared edge. Its middle must lie within ``width`` of the other edge.

    Memory is linear in the vertices (about 150 bytes a vertex at the peak): the unshared edges
    are found by sorting (each edge once, whichever way it runs), joined into lines per polygon,
    and only polygons whose lines come within ``width`` of each other are compared, middles
    against the other polygon's lines (prepared: GEOS indexes their segments), at most
    :data:`_FACING_POINTS` middles at a time, until one is close enough. An edge is never paired
    with the hundreds of edges of its own polygon that lie within ``width`` on a densely
    digitised curve.
    """
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    del parts, rings  # copies of the polygons
    none = np.array([], dtype=np.int64)
    if len(xy) < 2:
        return none
    vertex = _vertex_codes(xy)[0]
    along = np.flatnonzero(ring_of[:-1] == ring_of[1:])  # edge k runs from vertex k to k + 1
    a, b = vertex[along], vertex[along + 1]
    del vertex
    key = np.minimum(a, b)
    key *= int(max(a.max(), b.max())) + 1
    key += np.maximum(a, b)
    del a, b
    order = np.argsort(key)
    key = key[order]
    single = np.r_[True, key[1:] != key[:-1]] & np.r_[key[1:] != key[:-1], True]
    del key
    is_open = np.zeros(len(xy), bool)
    is_open[along[order[single]]] = True  # an edge no other ring has
    del order, single, along
    if not is_open.any():
        return none
    owner_of = part_owner[ring_part[ring_of]]  # the polygon of each vertex, in order
    del ring_of
    # the unshared edges as lines: runs of consecutive open edges, per polygon
    used = is_open | np.r_[False, is_open[:-1]]
    starts = used & ~np.r_[False, is_open[:-1]]
    run = np.cumsum(starts)[used] - 1
    lines = shapely.linestrings(xy[used], indices=run)
    run_owner = owner_of[used][np.r_[True, run[1:] != run[:-1]]]
    del used, starts
    owners, run_rank = np.unique(run_owner, return_inverse=True)
    per_owner = shapely.multilinestrings(lines, indices=run_rank)
    del lines, run, run_owner, run_rank
    near_a, near_b = shapely.STRtree(per_owner).query(per_owner, predicate="dwithin", distance=width)
    keep = near_a < near_b
    if sure is not None:  # two suspects already: nothing to learn from them
        keep &= ~(sure[owners[near_a]] & sure[owners[near_b]])
    near_a, near_b = near_a[keep], near_b[keep]
    if not len(near_a):
        return none
    # the open edges, by polygon (the vertices come polygon by polygon): their middles are made as needed
    edge = np.flatnonzero(is_open)
    del is_open
    first = np.searchsorted(owner_of[edge], owners)
    first = np.r_[first, len(edge)]
    del owner_of
    shapely.prepare(per_owner)
    box = shapely.bounds(per_owner) + np.array([-width, -width, width, width])
    # each pair both ways: the middles of one polygon's open edges against the other's lines
    frm, to = np.r_[near_a, near_b], np.r_[near_b, near_a]
    pair = np.r_[np.arange(len(near_a)), np.arange(len(near_a))]
    facing = np.zeros(len(near_a), bool)
    size = first[frm + 1] - first[frm]
    done = np.r_[0, np.cumsum(size)]
    start, step = 0, 4096
    most = max(1, min(CHUNK_PAIRS, _FACING_POINTS))
    while start < done[-1]:  # a bounded number of middles at a time (more each time), until a pair is found
        rows = np.arange(start, min(start + step, done[-1]))
        k = np.searchsorted(done, rows, side="right") - 1
        rows, k = rows[~facing[pair[k]]], k[~facing[pair[k]]]
        e = edge[first[frm[k]] + rows - done[k]]
        m = (xy[e] + xy[e + 1]) / 2
        t = to[k]
        inside = (m[:, 0] >= box[t, 0]) & (m[:, 0] <= box[t, 2]) & (m[:, 1] >= box[t, 1]) & (m[:, 1] <= box[t, 3])
        m, t, k = m[inside], t[inside], k[inside]
        if len(k):
            hit = shapely.dwithin(per_owner[t], shapely.points(m), width)
            facing[pair[k[hit]]] = True
        start, step = start + step, min(2 * step, most)
    return np.unique(owners[np.r_[near_a[facing], near_b[facing]]])


#: Middles of open edges made into points at once by :func:`_facing_open_edges` (a GEOS point and its
#: Python object take about 150 bytes).
_FACING_POINTS = 65_536


def _invalid(geoms: np.ndarray, gap_width: float, parts: int | None = None) -> np.ndarray:
    """Positions of the polygons GEOS's coverage validator finds invalid edges in (in strips:
    :func:`_in_strips`)."""

    def invalid(g: np.ndarray, where: np.ndarray) -> np.ndarray:
        bad = shapely.coverage_invalid_edges(g, gap_width=gap_width)
        return np.flatnonzero(~shapely.is_empty(bad) & ~shapely.is_missing(bad))

    return _in_strips(invalid, geoms, gap_width, parts)


def _in_strips(fn: Callable[[np.ndarray, np.ndarray], np.ndarray], geoms: np.ndarray, width: float, parts: int | None):
    """``fn(geoms, positions)``, the positions of the polygons that something near them (within
    ``width``) makes suspect, in vertical strips (``fn`` is given the polygons and their positions).

    The layer is cut into strips (:func:`_strips`) and each strip is given to ``fn`` with every
    polygon within ``width`` of its own, a strip per core at a time: the same answer, on every
    core, in memory bounded by the strip.
    """
    plan = _strips(geoms, width, parts)
    if plan is None:
        return fn(geoms, np.arange(len(geoms)))

    def one(job: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        own, near = job
        found = near[fn(geoms[near], near)]
        return found[np.isin(found, own)]

    with ThreadPoolExecutor(min(os.cpu_count() or 1, len(plan))) as pool:
        return np.sort(np.concatenate(list(pool.map(one, plan)))).astype(np.int64)


def _strips(geoms: np.ndarray, width: float, parts: int | None) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The layer cut in vertical strips by centroid: each strip's own polygons and those within
    ``width`` of them (positions, ascending), or None for one strip (the layer whole).

    Strips of at most :data:`_STRIP_VERTICES` vertices, one a core at least from 50,000 polygons
    (``parts`` strips if given). A layer with a polygon larger than a strip is given whole (a
    5 M-vertex parcel spans every strip: validated once, 1.3 GB, not in each strip two at a time,
    2.3 GB).
    """
    cores = os.cpu_count() or 1
    counts = shapely.get_num_coordinates(geoms)
    if parts is None and len(counts) and counts.max() > _STRIP_VERTICES:
        return None  # a polygon larger than a strip is in every strip it spans
    many = int(np.ceil(counts.sum() / _STRIP_VERTICES))
    parts = parts or max(min(cores, len(geoms) // 50_000), many, 1)
    if parts == 1:
        return None
    bounds = shapely.bounds(geoms)
    middle = (bounds[:, 0] + bounds[:, 2]) / 2
    cuts = np.quantile(middle, np.linspace(0, 1, parts + 1)[1:-1])
    strip = np.searchsorted(cuts, middle)
    plan = []
    for k in range(parts):
        own = np.flatnonzero(strip == k)
        if not len(own):
            continue
        lo, hi = bounds[own, 0].min() - width, bounds[own, 2].max() + width
        plan.append((own, np.flatnonzero((bounds[:, 2] >= lo) & (bounds[:, 0] <= hi))))
    return plan


#: Vertices in a strip of :func:`_in_strips` (the coverage validator takes about 230 bytes a vertex,
#: the facing edges 150).
_STRIP_VERTICES = 500_000


def _in_metres(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    metric = metric_crs(gdf) if gdf.crs is not None and len(gdf) else None
    return gdf.to_crs(metric) if metric is not None else gdf


def _back(found: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    return found.to_crs(crs) if crs is not None and found.crs is not None and found.crs != crs else found


def _intersections(g: np.ndarray, pairs: np.ndarray):
    """The polygonal part of each pair's intersection, :data:`CHUNK_OVERLAPS` pairs at a time on both
    cores: (the first pair's position, their intersections) for each chunk."""
    for s in range(0, len(pairs), CHUNK_OVERLAPS):
        these = pairs[s : s + CHUNK_OVERLAPS]
        inter = _on_cores(shapely.intersection, g[these[:, 0]], g[these[:, 1]])
        mixed = shapely.get_type_id(inter) == 7
        inter[mixed] = [_polygonal_part(x) for x in inter[mixed]]  # only where lines came with the area
        yield s, inter


#: Pairs of polygons intersected and measured at once by the overlap checks (their intersections
#: and shrunk shapes are freed before the next ones are made).
CHUNK_OVERLAPS = 50_000


#: Polygons with more vertices than this are shrunk near each overlap rather than whole.
_LARGE = 1000
#: GEOS's mitre limit: a mitred corner reaches at most this many times the buffer distance.
_MITRE_LIMIT = 5.0


def _shrunk_overlap(g: np.ndarray, pairs: np.ndarray, inter: np.ndarray, half: float) -> np.ndarray:
    """What the polygons of each pair (positions into ``g``), each shrunk by ``half`` (mitred), share:
    their overlap ``inter`` shrunk by ``half``.

    Shrinking distributes over intersection: a point is in both shrunk shapes when it is in the
    shrunk overlap (the overlap's boundary is made of the two boundaries, its reflex corners are
    theirs, and its other corners are where they cross, which a shrinking cuts off alike). With
    mitred corners, a sharp notch of one polygon whose tip lies just outside the other keeps a
    wedge in the shrunk overlap that the two shrunk shapes do not share (0.017 m² in a constructed
    case; never less than they share). So only the overlap, a sliver of a few vertices, is
    buffered; a parcel with a hundred thousand holes or a dense outline is never shrunk whole.

    A point lies in both shapes shrunk by ``half`` (round) only when the disk of that radius around
    it lies in both; a mitred shrink takes more. So where a large polygon (a dense outline, whose
    buffer GEOS computes in time growing faster than the square of the vertices' density) overlaps
    a neighbour by a sliver lying wholly within 0.9 ``half`` of the neighbour's boundary (a band
    GEOS draws inside the true one; the margin covers its buffers' 1 % accuracy), no such disk fits
    and the shrunk shapes share nothing: nothing is buffered. The band is drawn around the boundary
    of the polygon of the pair with fewer vertices.
    """
    if not len(inter):
        return inter
    count = shapely.get_num_coordinates(g[pairs])
    heavy = np.flatnonzero(count.max(axis=1) > _LARGE)
    empty = np.zeros(len(inter), bool)
    if len(heavy):
        spare = half + 1.0
        box = shapely.bounds(inter[heavy]) + np.array([-spare, -spare, spare, spare])
        lean = g[pairs[heavy, np.argmin(count[heavy], axis=1)]]
        edge = shapely.intersection(shapely.boundary(lean), shapely.box(*box.T))
        band = shapely.buffer(edge, 0.9 * half)
        empty[heavy] = shapely.covers(band, inter[heavy])
    core = np.full(len(inter), shapely.Polygon(), dtype=object)
    rest = np.flatnonzero(~empty)
    if len(rest):
        core[rest] = _on_cores(lambda x: _buffer(x, -half), inter[rest])
    return core


def _pair_overlaps(
    gdf: gpd.GeoDataFrame,
    *,
    min_area_m2: float,
    digitising_min_m2: float,
    snap_m: float,
    checked: Coverage | None,
    thin_only: bool = False,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """:func:`overlaps` and :func:`digitising_overlaps` at once: each pair's overlap is found and
    measured once for both (``digitising_min_m2`` infinite: the overlaps only; ``thin_only``: the
    overlaps are not described, and come back empty)."""
    work = _in_metres(gdf)
    cov = checked or coverage(work, snap_m=snap_m)
    sus, g, snapped = cov.suspects, cov.geoms, cov.snapped
    none = empty_findings(gdf.crs)
    if not len(g):
        return none, none
    half = cov.snap_m / 2
    # what each parcel reaches beyond its snapped shape: two parcels whose snapped shapes meet
    # without overlapping can share, as drawn, only that; a suspect's snapped shape may overlap
    beyond = np.zeros(len(g))
    beyond[sus] = np.inf
    least = min(min_area_m2, digitising_min_m2)
    if np.isfinite(digitising_min_m2):
        large = shapely.get_num_coordinates(g) > _LARGE  # measured with each neighbour directly, not whole
        beyond[large] = np.inf
        changed = np.flatnonzero(np.isfinite(beyond))
        changed = changed[~shapely.equals_exact(g[changed], snapped[changed], 0)]
        for s in range(0, len(changed), CHUNK_OVERLAPS):
            these = changed[s : s + CHUNK_OVERLAPS]
            beyond[these] = shapely.area(_on_cores(shapely.difference, g[these], snapped[these]))
    floor = digitising_min_m2 * (1 - 1e-9)
    probe = np.flatnonzero(np.isinf(beyond) | (beyond > floor / 2))  # one of a pair holds at least half
    left, right = cov.tree.query(g[probe], predicate="intersects")
    a, b = probe[left], right
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)])[a != b], axis=0).reshape(-1, 2)
    suspect = np.zeros(len(g), bool)
    suspect[sus] = True
    pairs = pairs[suspect[pairs].any(axis=1) | (beyond[pairs[:, 0]] + beyond[pairs[:, 1]] > floor)]
    # each pair's overlap, kept when it may hold the least area of either check (planar: half of it)
    kept, inters = [np.array([], np.int64)], [np.array([], dtype=object)]
    for s, inter in _intersections(g, pairs):
        some = shapely.area(inter) > least / 2 if least > 0 else shapely.area(inter) > 0
        kept.append(s + np.flatnonzero(some))
        inters.append(inter[some])
    pairs, inter = pairs[np.concatenate(kept)].reshape(-1, 2), np.concatenate(inters)
    core = _shrunk_overlap(g, pairs, inter, half)
    # measured on the ellipsoid where the plane says they may pass a threshold (twice over)
    core_m2, inter_m2 = np.zeros(len(core)), np.zeros(len(inter))
    for m2, geoms, floor in ((core_m2, core, min_area_m2), (inter_m2, inter, least)):
        some = np.flatnonzero(shapely.area(geoms) > floor / 2 if floor > 0 else shapely.area(geoms) > 0)
        m2[some] = area(gpd.GeoSeries(geoms[some], crs=work.crs)).fillna(0).to_numpy()
    ids = _ids(gdf)[cov.valid]
    over = suspect[pairs].any(axis=1) & (core_m2 > min_area_m2) & (not thin_only)
    thin = ~(core_m2 > min_area_m2) & (inter_m2 > digitising_min_m2)
    return (
        _back(_overlap_findings(g, ids, pairs[over], inter[over], inter_m2[over], half, work.crs), gdf.crs),
        _back(_thin_findings(ids, pairs[thin], inter[thin], inter_m2[thin], cov.snap_m, work.crs), gdf.crs),
    )


def _overlap_findings(g, ids, pairs, inter, inter_m2, half, crs) -> gpd.GeoDataFrame:
    # what of each parcel lies outside the other, beyond the tolerance: nothing on either side is a
    # duplicate, nothing on one side a parcel inside the other
    beyond = [
        _on_cores(lambda x, y: shapely.buffer(shapely.difference(x, y), -half), g[pairs[:, a]], g[pairs[:, 1 - a]])
        for a in (0, 1)
    ]
    within = np.column_stack([shapely.is_empty(b) | (shapely.area(b) <= 0) for b in beyond]).reshape(-1, 2)
    kinds = np.select([within.all(axis=1), within.any(axis=1)], ["duplicate", "inside"], "overlap")
    words = {"codes": [f"finding.overlap.{k}" for k in kinds], "rule": "overlap", "severity": "error"}
    return _pair_findings(ids, pairs, inter, inter_m2, crs, **words)


def _thin_findings(ids, pairs, inter, inter_m2, snap_m, crs) -> gpd.GeoDataFrame:
    pairs = pairs.copy()
    swap = ids[pairs[:, 0]] > ids[pairs[:, 1]]  # each pair named in id order, however the layer is ordered
    pairs[swap] = pairs[swap][:, ::-1]
    words = {"codes": "finding.digitising_overlap", "rule": "digitising_overlap", "severity": "warning"}
    return _pair_findings(ids, pairs, inter, inter_m2, crs, snap_m=snap_m, **words)


def _pair_findings(ids, pairs, inter, inter_m2, crs, *, codes, rule, severity, **extra) -> gpd.GeoDataFrame:
    """One finding a pair (positions into ``ids``): its overlap, its area, its words by ``codes``."""
    messages, messages_zh = both(
        codes,
        (
            {"a": ids[i], "b": ids[j], "m2": m2, "mu": m2 / M2_PER_MU, **extra}
            for (i, j), m2 in zip(pairs, inter_m2, strict=True)
        ),
    )
    found = [[ids[i], ids[j]] for i, j in pairs]
    return _findings(rule, severity, found, inter, messages, crs, area_m2=inter_m2, messages_zh=messages_zh)


def overlaps(
    gdf: gpd.GeoDataFrame, *, min_area_m2: float = 1.0, snap_m: float = SNAP_M, checked: Coverage | None = None
) -> gpd.GeoDataFrame:
    """Find parcels whose interiors overlap beyond the snapping tolerance ``snap_m``.

    Identical duplicates and parcels inside others are overlaps too (the ``overlaps``
    predicate misses both); the message says which kind. Digitising noise is not an overlap:
    each parcel is shrunk by half the tolerance, and a pair is reported when their shrunk
    shapes still share more than ``min_area_m2`` (ellipsoidal), with the area of their whole
    overlap. ``checked`` is this layer's :func:`coverage`, when the caller has it.
    """
    return _pair_overlaps(gdf, min_area_m2=min_area_m2, digitising_min_m2=np.inf, snap_m=snap_m, checked=checked)[0]


#: A digitising overlap smaller than this (m²) is not listed: 5 cm along 100 m. Parcels digitised
#: one by one cross their neighbours by 1-5 cm along every edge; along a 60 m edge that is at
#: most 3 m², noise in both directions (as much gap as overlap), not land counted twice.
DIGITISING_MIN_M2 = 5.0


def digitising_overlaps(
    gdf: gpd.GeoDataFrame,
    *,
    min_area_m2: float = DIGITISING_MIN_M2,
    overlap_min_area_m2: float = 1.0,
    snap_m: float = SNAP_M,
    checked: Coverage | None = None,
) -> gpd.GeoDataFrame:
    """Find overlaps too thin to be :func:`overlaps` (within the snapping tolerance) but larger than
    ``min_area_m2``: land the drawing counts in two parcels, whatever its width.

    :func:`overlaps` reports a pair when the parcels, each shrunk by half the tolerance, still
    share more than ``overlap_min_area_m2``; an overlap 5 cm wide and 200 m long shares nothing
    once shrunk, yet 10 m² are in both parcels' areas (and in every total that sums them). Each
    such pair is listed with the area the drawn parcels share (ellipsoidal), rule
    ``digitising_overlap``, severity ``warning``.

    Only pairs that can share that much are measured: a pair with a suspect of the coverage
    check, or two parcels whose drawn shapes reach beyond their snapped ones by more than
    ``min_area_m2`` together (two parcels whose snapped shapes meet without overlapping can share,
    as drawn, only what lies beyond their snapped shapes).
    """
    return _pair_overlaps(
        gdf,
        min_area_m2=overlap_min_area_m2,
        digitising_min_m2=min_area_m2,
        snap_m=snap_m,
        checked=checked,
        thin_only=True,
    )[1]


def both_overlaps(
    gdf: gpd.GeoDataFrame,
    *,
    min_area_m2: float = 1.0,
    digitising_min_m2: float = DIGITISING_MIN_M2,
    snap_m: float = SNAP_M,
    checked: Coverage | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """:func:`overlaps` and :func:`digitising_overlaps` of the layer, each pair's overlap found once."""
    return _pair_overlaps(
        gdf, min_area_m2=min_area_m2, digitising_min_m2=digitising_min_m2, snap_m=snap_m, checked=checked
    )


#: Vertices per tile when a polygon is buffered in tiles (:func:`_buffer`).
_TILE_VERTICES = 20_000


def _buffer(geoms: np.ndarray, distance: float) -> np.ndarray:
    """``shapely.buffer(geoms, distance, join_style="mitre")``, each large polygon in tiles.

    GEOS's buffer of a densely digitised, jagged outline (vertices under a millimetre apart, the
    distance many times that) nodes every mitred corner against its neighbours' and needs memory
    far beyond linear (8 GB for a 2 M-vertex parcel). A buffer is local: a polygon of more than
    :data:`_TILE_VERTICES` vertices is buffered in tiles (:func:`_tiles`) and the tiles are joined.
    """
    out = np.empty(len(geoms), dtype=object)
    large = shapely.get_num_coordinates(geoms) > _TILE_VERTICES
    out[~large] = shapely.buffer(geoms[~large], distance, join_style="mitre")
    for k in np.flatnonzero(large):
        out[k] = shapely.union_all(_tiles(geoms[k], distance))
    return out


def _tiles(geom, distance: float, skip: Callable[..., bool] | None = None) -> list:
    """``geom`` buffered (mitred) in pieces, each cut back to its tile: together, its buffer.

    The polygon is cut in quarters (with the mitre's reach to spare), again and again until each
    piece has at most :data:`_TILE_VERTICES` vertices, each piece is buffered and cut back to its
    tile. With ``skip`` (given the polygon's piece in a tile and the tile's bounds, true where the
    buffer holds nothing in the tile), the tiles are cut finer (down to :data:`_LARGE` vertices)
    and those it skips are not buffered.
    """
    spare = (_MITRE_LIMIT + 1) * abs(distance) + 0.01
    most = _TILE_VERTICES if skip is None else _LARGE
    x0, y0, x1, y1 = shapely.bounds(geom)  # the tiles cover the polygon and what it may grow into
    pieces: list = []
    todo = [(geom, (x0 - spare, y0 - spare, x1 + spare, y1 + spare))]
    while todo:
        part, (a, b, c, d) = todo.pop()
        if shapely.is_empty(part):
            continue
        if skip is not None and skip(shapely.intersection(part, shapely.box(a, b, c, d)), (a, b, c, d)):
            continue
        if shapely.get_num_coordinates(part) <= most or max(c - a, d - b) < 8 * spare:
            tile = shapely.box(a, b, c, d)
            pieces.append(shapely.intersection(shapely.buffer(part, distance, join_style="mitre"), tile))
            continue
        mx, my = (a + c) / 2, (b + d) / 2
        for box in ((a, b, mx, my), (mx, b, c, my), (a, my, mx, d), (mx, my, c, d)):
            near = shapely.box(box[0] - spare, box[1] - spare, box[2] + spare, box[3] + spare)
            todo.append((shapely.intersection(part, near), box))
    return pieces


#: Polygons with more holes than this are grown ring by ring (GEOS's buffer slows down as the
#: square of the rings of one polygon).
_MANY_HOLES = 64


def _grow(geoms: np.ndarray, distance: float) -> np.ndarray:
    """``shapely.buffer(geoms, distance, join_style="mitre")`` for ``distance`` > 0, in time linear in the holes.

    Growing a polygon shrinks its holes, each on its own: the outline is grown, each hole shrunk
    as a polygon of its own (what is left of it stays a hole), and the pieces are put together
    without an overlay. Polygons with few holes are buffered by GEOS directly.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    holes_of = np.zeros(len(geoms), np.int64)
    np.maximum.at(holes_of, part_of, shapely.get_num_interior_rings(parts))
    many = holes_of > _MANY_HOLES
    out = np.empty(len(geoms), dtype=object)
    out[~many] = _buffer(geoms[~many], distance)
    for k in np.flatnonzero(many):
        built = []
        for part in shapely.get_parts(geoms[k]):
            shell = shapely.buffer(shapely.Polygon(part.exterior), distance, join_style="mitre")
            holes = shapely.polygons(shapely.get_interior_ring(part, np.arange(shapely.get_num_interior_rings(part))))
            left = shapely.get_parts(shapely.buffer(holes, -distance, join_style="mitre"))
            left = left[~shapely.is_empty(left)]
            rings = [*shapely.get_interior_ring(shell, np.arange(shapely.get_num_interior_rings(shell)))]
            built.append(shapely.Polygon(shell.exterior, [*rings, *shapely.get_exterior_ring(left)]))
        out[k] = shapely.union_all(built) if len(built) > 1 else built[0]
    return out


def gaps(
    gdf: gpd.GeoDataFrame,
    *,
    within=None,
    max_width_m: float = 2.0,
    min_area_m2: float = 1.0,
    snap_m: float = SNAP_M,
    checked: Coverage | None = None,
) -> gpd.GeoDataFrame:
    """Find slivers narrower than ``max_width_m`` between parcels that should meet.

    A gap is land no parcel covers, narrower than ``max_width_m``, running along at least two
    parcels: enclosed slivers between touching neighbours included. Digitising noise is not a
    gap: each parcel is grown by half the snapping tolerance ``snap_m``, and a gap is
    reported when more than ``min_area_m2`` stays uncovered, with its whole area. Wider spaces
    (roads, villages, land outside the reserve) are not gaps, and neither is the space where two corners come close (a
    sliver is at least four times as long as it is wide). With ``within`` (a zone polygon in
    the layer's CRS), only gaps inside it are reported.
    """
    work = _in_metres(gdf)
    cov = checked or coverage(work, snap_m=snap_m, max_width_m=max_width_m)
    if not len(cov.suspects):
        return empty_findings(gdf.crs)
    if within is not None and work.crs != gdf.crs:
        within = gpd.GeoSeries([within], crs=gdf.crs).to_crs(work.crs).iloc[0]
    half, radius = cov.snap_m / 2, max_width_m / 2
    # the suspects, each grown by half the tolerance so that noise closes; what a closing
    # by half the width fills is a narrow space between them (the spaces); and the same
    # closing of the suspects as drawn (the pieces): worked out neighbourhood by neighbourhood
    spaces, pieces = _narrow_spaces(cov.snapped[cov.suspects], radius, half, min_area_m2 / 2)
    if within is not None:
        spaces = shapely.get_parts(shapely.intersection(spaces, within))
    spaces = spaces[(shapely.get_type_id(spaces) == 3) & (shapely.area(spaces) > min_area_m2 / 2)]
    beyond = area(gpd.GeoSeries(spaces, crs=work.crs)).fillna(0).to_numpy()  # what the tolerance does not explain
    spaces = spaces[beyond > min_area_m2]
    # the whole gap, as drawn (snapped): the narrow uncovered piece each significant space lies in
    hit_space, hit_piece = shapely.STRtree(pieces).query(spaces, predicate="intersects")
    # each space is measured where it lies in the piece: grown, the parcels close spaces up to a
    # tolerance wider than max_width_m, and such a space (a path) must not lend its width to the
    # narrow pieces on either side of it, which would then be dropped as too wide; a piece the
    # space only grazes (less than the least area) takes no width from it
    inside = shapely.intersection(spaces[hit_space], pieces[hit_piece])
    mixed = shapely.get_type_id(inside) == 7
    inside[mixed] = [_polygonal_part(x) for x in inside[mixed]]
    measured = np.isin(shapely.get_type_id(inside), _POLYGONAL) & (shapely.area(inside) > min_area_m2 / 2)
    width_of_hit = np.full(len(inside), np.nan)
    width_of_hit[measured] = 2 * _inscribed(inside[measured]) + cov.snap_m
    width_by_piece = pd.Series(width_of_hit).groupby(hit_piece).max().dropna()
    # the part of each piece wider than the tolerance: a piece can trail hair-thin slivers
    # along edges that do not quite meet, and those say nothing about who borders the gap
    # (each piece's spaces as one multipolygon: their buffer is that of their union)
    mine = np.isin(hit_piece, width_by_piece.index.to_numpy())
    order = np.argsort(hit_piece[mine], kind="stable")
    rank = np.searchsorted(width_by_piece.index.to_numpy(), hit_piece[mine][order])
    thick = shapely.multipolygons(spaces[hit_space[mine][order]], indices=rank)
    core = shapely.buffer(thick, half * 1.5 + 1e-3, join_style="mitre")
    pieces, width = pieces[width_by_piece.index.to_numpy()], width_by_piece.to_numpy()
    near_piece, near_parcel = cov.tree.query(pieces, predicate="intersects")
    # the pieces lie outside every suspect already (they are what the suspects leave uncovered):
    # only the other parcels can take something from them (a parcel with 100,000 holes is not
    # subtracted from each of the pieces in its holes)
    other = ~np.isin(near_parcel, cov.suspects)
    near_piece, near_parcel = near_piece[other], near_parcel[other]
    gap = pieces.copy()
    for k, parcels in pd.Series(near_parcel).groupby(near_piece):  # the few pieces another parcel reaches into
        gap[k] = shapely.difference(pieces[k], shapely.union_all(cov.snapped[parcels.to_numpy()]))
    gap_m2 = area(gpd.GeoSeries(gap, crs=work.crs)).fillna(0).to_numpy()
    keep = (gap_m2 >= 4 * width**2) & (width <= max_width_m + cov.snap_m)
    gap, gap_m2, width, core = gap[keep], gap_m2[keep], width[keep], core[keep]
    # a parcel borders a gap when it runs along its thick part for more than twice its width
    band = max(cov.snap_m, 0.01)  # a thin band along the gap measures how far a parcel runs along it
    reach = shapely.buffer(shapely.intersection(gap, core), band)
    band_gap, band_parcel = cov.tree.query(reach, predicate="intersects")
    shared = shapely.area(shapely.intersection(reach[band_gap], cov.geoms[band_parcel]))
    along = shared / band > 2 * width[band_gap]
    ids = _ids(gdf)[cov.valid]
    bordering = pd.Series(ids[band_parcel[along]]).groupby(band_gap[along]).agg(sorted)
    rows = [k for k in range(len(gap)) if len(bordering.get(k, [])) >= 2]
    joined = {lang: say("finding.and", lang) for lang in ("en", "zh")}
    messages, messages_zh = both(
        ["finding.gap.two" if len(bordering[k]) == 2 else "finding.gap.more" for k in rows],
        (
            {"ids": {lang: sep.join(bordering[k]) for lang, sep in joined.items()}, "width": width[k], "m2": gap_m2[k]}
            for k in rows
        ),
    )
    found = _findings(
        "gap",
        "warning",
        [bordering[k] for k in rows],
        gap[rows],
        messages,
        work.crs,
        area_m2=gap_m2[rows],
        messages_zh=messages_zh,
    )
    return _back(found, gdf.crs)


#: A neighbourhood of the gap check holds at most this many suspects and vertices (:func:`_narrow_spaces`).
_HOOD_SUSPECTS = 1000
_HOOD_VERTICES = 1_000_000
#: How far beyond its reach a neighbourhood sees: a narrow space longer than this across the edge
#: of a neighbourhood is worked out again in a window around it.
_HOOD_MARGIN = 50.0


def _closing_leftovers(
    polys: np.ndarray, radius: float, half: float, least: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """What a closing by ``radius`` fills around the union of ``polys`` each grown by ``half``
    (the spaces), and around their union as drawn (the pieces): the narrow uncovered land.

    Worked out on the land the union leaves free, part by part, with one overlay (the union):
    what a closing fills around a shape is what an opening takes from the land around it (a
    mitred buffer of a polygon is, outside it, the same lines as the mitred shrinking of the land
    around it), so the pieces are each free part less its opening by ``radius``, and the spaces
    the same of each free part shrunk by ``half`` (the land the grown polygons leave free). A part
    narrower than twice ``radius`` everywhere is all space, with no overlay at all. With
    ``least`` (m²), only the pieces holding a space larger than that are worked out.
    """
    plain = shapely.union_all(polys)
    if shapely.is_empty(plain):
        return np.array([], dtype=object), np.array([], dtype=object)
    pad = 2 * (_MITRE_LIMIT + 1) * (radius + half) + 1.0  # the land beyond the polygons: wide, never a space
    x0, y0, x1, y1 = shapely.bounds(plain)
    free = shapely.get_parts(shapely.difference(shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad), plain))
    dense = shapely.get_num_coordinates(polys) > _TILE_VERTICES
    spaces = _narrow(_shrunk(free, half, polys[~dense] if dense.any() else None), radius)
    if least is not None:
        spaces = spaces[shapely.area(spaces) > least]
        free = free[np.unique(shapely.STRtree(free).query(spaces, predicate="intersects")[1])]
    return spaces, _narrow(free, radius)


def _shrunk(parts: np.ndarray, distance: float, lean: np.ndarray | None = None) -> np.ndarray:
    """Each of ``parts`` shrunk by ``distance`` (mitred), as polygons: the empty ones dropped.

    With ``lean`` (the polygons around the parts, but the densely digitised ones), a part lying
    wholly within 0.9 ``distance`` of the lean polygons (a sliver between a dense outline and a
    neighbour drawn a few centimetres off it) is not buffered: no point of it lies farther than
    ``distance`` from land, so it shrinks to nothing. A part of more than :data:`_LARGE` vertices
    is shrunk in tiles (:func:`_tiles`, cut down to :data:`_LARGE` vertices), each tested so. GEOS's
    buffer of a jagged outline takes about 1 ms a vertex at 0.6 mm (see :func:`_shrunk_overlap`
    for the band, drawn inside the true one).
    """
    out = _buffer(parts, -distance) if lean is None else np.empty(len(parts), dtype=object)
    if lean is not None:
        heavy = shapely.get_num_coordinates(parts) > _LARGE
        tree = shapely.STRtree(lean)
        # the other parts, each tested whole: the lean outlines within reach of it, as one band
        light = np.flatnonzero(~heavy)
        reach = shapely.bounds(parts[light]) + np.array([-distance, -distance, distance, distance])
        boxes = shapely.box(*reach.T)
        at, near = tree.query(boxes, predicate="intersects")
        order = np.lexsort((near, at))
        at, near = at[order], near[order]
        held = np.unique(at)
        edges = shapely.geometrycollections(shapely.boundary(lean[near]), indices=np.searchsorted(held, at))
        band = shapely.buffer(shapely.intersection(edges, boxes[held]), 0.9 * distance)
        gone = np.zeros(len(light), bool)
        gone[held] = shapely.covers(band, parts[light[held]])
        out[light] = shapely.Polygon()
        out[light[~gone]] = _buffer(parts[light[~gone]], -distance)

        def empty(piece, box) -> bool:
            reach = shapely.box(*(np.asarray(box) + np.array([-distance, -distance, distance, distance])))
            near = tree.query(reach, predicate="intersects")
            if not len(near):
                return False
            edge = shapely.intersection(shapely.boundary(shapely.multipolygons(shapely.get_parts(lean[near]))), reach)
            return bool(shapely.covers(shapely.buffer(edge, 0.9 * distance), piece))

        for k in np.flatnonzero(heavy):
            out[k] = shapely.union_all(_tiles(parts[k], -distance, skip=empty))
    out = shapely.get_parts(out)
    return out[np.isin(shapely.get_type_id(out), _POLYGONAL) & ~shapely.is_empty(out)]


#: What an opening gives back is the part's own outline up to GEOS's rounding: taken from the part,
#: it leaves hairlines along it (a fraction of a millimetre wide) that join slivers opening into
#: the same wide space. :func:`_narrow` opens what is left by this much (m) to take them out.
_HAIR = 1e-3


def _narrow(parts: np.ndarray, radius: float) -> np.ndarray:
    """What an opening by ``radius`` (mitred) takes from each of ``parts``: their narrow land."""
    out = parts.copy()
    core = _buffer(parts, -radius)
    wide = np.flatnonzero(~shapely.is_empty(core))
    if len(wide):
        # the opening's vertices snapped onto the part's where it gives the part's outline back
        opened = shapely.snap(_grow(core[wide], radius), parts[wide], _HAIR)
        out[wide] = shapely.difference(parts[wide], opened)
    out = shapely.get_parts(out)
    return out[(shapely.get_type_id(out) == 3) & (shapely.area(out) > 0)]


def _clip(polys: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The polygons cut to ``box`` (those inside it untouched), empty ones dropped."""
    b = shapely.bounds(polys)
    meets = (b[:, 2] >= box[0]) & (b[:, 3] >= box[1]) & (b[:, 0] <= box[2]) & (b[:, 1] <= box[3])
    polys, b = polys[meets], b[meets]
    inside = (b[:, 0] >= box[0]) & (b[:, 1] >= box[1]) & (b[:, 2] <= box[2]) & (b[:, 3] <= box[3])
    out = polys.copy()
    cut = shapely.clip_by_rect(polys[~inside], *box)  # linear in the vertices, holes and all
    bad = ~shapely.is_valid(cut)  # in rare cases GEOS's rectangle clipping is not valid: cut again
    cut[bad] = shapely.intersection(polys[~inside][bad], shapely.box(*box))
    out[~inside] = cut
    out = shapely.get_parts(out)
    return out[np.isin(shapely.get_type_id(out), _POLYGONAL) & ~shapely.is_empty(out)]


def _narrow_spaces(
    polys: np.ndarray, radius: float, half: float, least: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_closing_leftovers` of all ``polys`` (in metres), worked out neighbourhood by neighbourhood.

    A closing by ``radius`` (grown and shrunk with mitred corners) decides a point from the
    polygons within :data:`_MITRE_LIMIT` times twice ``radius`` + ``half`` of it only. The extent
    is cut in halves, again and again, until each tile holds few suspects and vertices
    (:data:`_HOOD_SUSPECTS`, :data:`_HOOD_VERTICES`; a parcel with many holes is cut too); each
    tile's window (the tile, its reach and :data:`_HOOD_MARGIN`) is closed on its own, from the
    polygons cut to the window, and keeps the spaces that meet the tile and lie, with their reach,
    inside the window: those are what the closing of the whole gives, up to GEOS's buffer
    rounding (a crack of a few millimetres by tens of metres, 0.3 m², may be found by one and not
    the other; the 0.5 m² gap floor is well above it, so the findings are the same). A space that runs
    out of its window is worked out again in a window around it, wider each time. A space two
    windows kept is kept once (:func:`_distinct`; whether a crack of no area joins two spaces
    may differ between windows, by GEOS's rounding, and the area kept is the same either way).
    Time and memory are linear in the suspects (one giant union took 1,206 s and 4.65 GB on
    all-Taiwan zoning); a fabric of one tile is closed as a whole, as before. The windows are
    closed in a thread per core (GEOS releases Python's lock), their results taken in order.
    """
    none = np.array([], dtype=object)
    if not len(polys):
        return none, none
    reach = 2 * (_MITRE_LIMIT + 1) * (radius + half) + 1.0
    x0, y0 = shapely.bounds(polys)[:, :2].min(axis=0)
    x1, y1 = shapely.bounds(polys)[:, 2:].max(axis=0)
    extent = (x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0)
    found: list[tuple[np.ndarray, np.ndarray]] = []  # (spaces, pieces) kept by each window
    late: list = []  # spaces and pieces that ran out of their window

    def window(core, margin):
        return (
            max(core[0] - reach - margin, extent[0]),
            max(core[1] - reach - margin, extent[1]),
            min(core[2] + reach + margin, extent[2]),
            min(core[3] + reach + margin, extent[3]),
        )

    def whole(geoms, win):
        """Which of ``geoms``, with their reach, lie inside ``win`` (or where it is the extent's edge)."""
        b = shapely.bounds(geoms)
        return (
            ((b[:, 0] - reach >= win[0]) | (win[0] <= extent[0]))
            & ((b[:, 1] - reach >= win[1]) | (win[1] <= extent[1]))
            & ((b[:, 2] + reach <= win[2]) | (win[2] >= extent[2]))
            & ((b[:, 3] + reach <= win[3]) | (win[3] >= extent[3]))
        )

    def close(job):
        """The spaces and pieces of one window that meet ``hit`` (a tile, or spaces that ran out):
        those that lie, with their reach, inside the window, and those that ran out of it."""
        hit, win, near = job
        kept, out = [], []
        for geoms in _closing_leftovers(near, radius, half, least):
            if isinstance(hit, tuple):
                b = shapely.bounds(geoms)
                mine = (b[:, 2] >= hit[0]) & (b[:, 0] <= hit[2]) & (b[:, 3] >= hit[1]) & (b[:, 1] <= hit[3])
            else:
                mine = np.zeros(len(geoms), bool)
                mine[shapely.STRtree(hit).query(geoms, predicate="intersects")[0]] = True
            ok = whole(geoms, win)
            out.extend(geoms[mine & ~ok])
            kept.append(geoms[mine & ok])
        return (kept[0], kept[1]), out

    tiles = []
    todo = [(extent, polys)]
    while todo:  # the tiles: halves of halves until each is small
        core, near = todo.pop()
        win = window(core, _HOOD_MARGIN)
        near = _clip(near, win)
        if not len(near):
            continue
        w, h = core[2] - core[0], core[3] - core[1]
        small = len(near) <= _HOOD_SUSPECTS and shapely.get_num_coordinates(near).sum() <= _HOOD_VERTICES
        if not small and max(w, h) > 4 * (reach + _HOOD_MARGIN):
            if w >= h:
                m = (core[0] + core[2]) / 2
                todo += [((core[0], core[1], m, core[3]), near), ((m, core[1], core[2], core[3]), near)]
            else:
                m = (core[1] + core[3]) / 2
                todo += [((core[0], core[1], core[2], m), near), ((core[0], m, core[2], core[3]), near)]
            continue
        tiles.append((core, win, near))
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # the windows side by side: GEOS releases the lock
        for kept, out in pool.map(close, tiles):
            found.append(kept)
            late.extend(out)
        del tiles
        margin = 2 * _HOOD_MARGIN
        while late:  # the spaces that ran out of their window, again in windows around them, wider each time
            lost = np.array(late, dtype=object)
            late = []
            b = shapely.bounds(lost) + np.array([-1, -1, 1, 1]) * (reach + margin)
            boxes = shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
            i, j = shapely.STRtree(boxes).query(boxes, predicate="intersects")
            _, group = connected_components(
                coo_matrix((np.ones(len(i)), (i, j)), shape=(len(lost),) * 2), directed=False
            )
            jobs = []
            for k in np.unique(group):
                these = lost[group == k]
                tb = shapely.bounds(these)
                win = window((tb[:, 0].min(), tb[:, 1].min(), tb[:, 2].max(), tb[:, 3].max()), margin)
                jobs.append((these, win, _clip(polys, win)))
            for kept, out in pool.map(close, jobs):
                found.append(kept)
                late.extend(out)
            margin *= 2
    spaces = np.concatenate([f[0] for f in found]) if found else none
    pieces = np.concatenate([f[1] for f in found]) if found else none
    return _distinct(spaces), _distinct(pieces)


def _inscribed(geoms: np.ndarray, precision: float = 0.001) -> np.ndarray:
    """The radius of each polygon's largest inscribed circle, to ``precision`` (m).

    The largest distance a polygon can be shrunk by (rounded corners) and still hold land: found
    by halving the interval from 0 to the radius of a disk of the polygon's area, each step one
    buffer of every polygon not yet known to ``precision``, on every core. GEOS's grid search
    (``maximum_inscribed_circle``) refines along the whole length of a long sliver of even width
    (6-15 ms each at 5 mm); a buffer of a sliver of a few dozen vertices takes some 30 µs, and a
    dozen steps give the radius to half a millimetre. The arcs are drawn with 16 segments a
    quarter circle: a chord falls within 0.2 % of the radius of its arc.
    """
    low = np.zeros(len(geoms))
    high = np.sqrt(shapely.area(geoms) / np.pi) * (1 + 1e-9) + precision
    todo = np.arange(len(geoms))
    while len(todo):
        mid = (low[todo] + high[todo]) / 2
        gone = shapely.is_empty(_on_cores(lambda g, d: shapely.buffer(g, -d, quad_segs=16), geoms[todo], mid))
        high[todo[gone]] = mid[gone]
        low[todo[~gone]] = mid[~gone]
        todo = todo[high[todo] - low[todo] > precision]
    return (low + high) / 2


def _on_cores(fn: Callable[..., np.ndarray], *arrays: np.ndarray, per_part: int = 2000) -> np.ndarray:
    """``fn(*arrays)`` for an element-wise shapely function, the arrays cut in one part per core
    (at least ``per_part`` elements each), each part in a thread of its own: GEOS releases
    Python's lock, and shapely's geometries are immutable, so the parts run side by side and
    come back in order."""
    n = len(arrays[0])
    parts = min(os.cpu_count() or 1, max(1, n // per_part))
    if parts == 1:
        return fn(*arrays)
    cuts = np.linspace(0, n, parts + 1).astype(int)
    with ThreadPoolExecutor(parts) as pool:
        done = pool.map(lambda k: fn(*(a[cuts[k] : cuts[k + 1]] for a in arrays)), range(parts))
        return np.concatenate(list(done))


def _distinct(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` with each piece kept once: two windows may both have kept the same space."""
    if len(geoms) < 2:
        return geoms
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    a, b = a[a < b], b[a < b]
    same = shapely.area(shapely.intersection(geoms[a], geoms[b])) > 0
    return np.delete(geoms, np.unique(b[same]))


def outside(
    gdf: gpd.GeoDataFrame,
    boundary,
    *,
    rule: str = "outside_zone",
    name: str = "the zone",
    name_zh: str | None = None,
    min_area_m2: float = 1.0,
    snap_m: float = SNAP_M,
) -> gpd.GeoDataFrame:
    """Find features (or parts of them) outside ``boundary``, with the area outside.

    ``name`` and ``name_zh`` say what the boundary is in the messages (English, Chinese; 规划范围
    and 县域 for "the zone" and "the county").

    ``boundary`` is a polygon in the layer's CRS (a planning zone, the county) or a
    GeoDataFrame/GeoSeries whose features are dissolved. A feature is outside when it reaches
    more than ``snap_m`` beyond the boundary and more than ``min_area_m2`` lies outside.
    """
    if isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries):
        if boundary.crs is not None and gdf.crs is not None and boundary.crs != gdf.crs:
            boundary = boundary.to_crs(gdf.crs)
        boundary = shapely.union_all(boundary.geometry.to_numpy())
    valid = _polygons(gdf)
    g = gdf.geometry.to_numpy()[valid]
    work = _in_metres(gdf)
    edge = gpd.GeoSeries([boundary], crs=gdf.crs).to_crs(work.crs).iloc[0] if work is not gdf else boundary
    reach = shapely.buffer(edge, snap_m, join_style="mitre")  # an edge drawn a few cm out is noise
    shapely.prepare(reach)  # a prepared boundary answers covers() for every parcel at once
    sticking = np.flatnonzero(~shapely.covers(reach, work.geometry.to_numpy()[valid]))
    part = shapely.difference(g[sticking], boundary)
    part_m2 = area(gpd.GeoSeries(part, crs=gdf.crs)).fillna(0).to_numpy()
    keep = part_m2 > min_area_m2
    ids = _ids(gdf)[valid][sticking][keep]
    part, part_m2 = part[keep], part_m2[keep]
    whole = area(gpd.GeoSeries(g[sticking][keep], crs=gdf.crs)).to_numpy()
    boundary = {"en": name, "zh": name_zh or (say(_BOUNDARIES[name], "zh") if name in _BOUNDARIES else name)}
    messages, messages_zh = both(
        "finding.outside",
        (
            {"id": i, "m2": m2, "mu": m2 / M2_PER_MU, "share": m2 / w, "boundary": boundary}
            for i, m2, w in zip(ids, part_m2, whole, strict=True)
        ),
    )
    return _findings(
        rule, "error", [[i] for i in ids], part, messages, gdf.crs, area_m2=part_m2, messages_zh=messages_zh
    )


#: the boundaries the audit names (``outside``'s default names): their words by code
_BOUNDARIES = {"the zone": "map.zone", "the county": "finding.boundary.county"}


def area_mismatch(
    gdf: gpd.GeoDataFrame,
    *,
    stated: str = "stated_area_mu",
    map_scale: float = 2000,
    tolerance_m2: float | None = None,
    measured: pd.Series | None = None,
) -> gpd.GeoDataFrame:
    """Find parcels whose stated area differs from the measured ellipsoidal area too much.

    The default tolerance is the cadastral rule ΔP ≤ 0.0003·M·√P (城镇地籍调查规程; P in m²,
    M the map scale denominator, 1:2000 by default), plus half a unit of the stated figure's
    last digit (0.005 mu), which rounding alone can account for. ``tolerance_m2`` replaces it
    with a fixed allowance. ``measured`` is :func:`landkit.area` of the layer, when the caller has it.
    """
    if stated not in gdf.columns:
        raise DataError(code="topology.no_stated", column=stated)
    measured_m2 = np.asarray(area(gdf) if measured is None else measured, dtype=float)
    stated_m2 = gdf[stated].to_numpy(dtype=float) * M2_PER_MU
    allowed = (
        np.full(len(gdf), tolerance_m2)
        if tolerance_m2 is not None
        else 0.0003 * map_scale * np.sqrt(measured_m2) + 0.005 * M2_PER_MU
    )
    diff = stated_m2 - measured_m2
    bad = np.flatnonzero(np.abs(diff) > allowed)
    ids = _ids(gdf)[bad]
    messages, messages_zh = both(
        "finding.area_mismatch",
        (
            {"id": i, "stated": s / M2_PER_MU, "measured": m / M2_PER_MU, "diff": d / M2_PER_MU, "allowed": a}
            for i, s, m, d, a in zip(ids, stated_m2[bad], measured_m2[bad], diff[bad], allowed[bad], strict=True)
        ),
    )
    return _findings(
        "area_mismatch",
        "warning",
        [[i] for i in ids],
        gdf.geometry.to_numpy()[bad],
        messages,
        gdf.crs,
        area_m2=np.abs(diff[bad]),
        messages_zh=messages_zh,
    )


def parcel_checks(
    parcels: gpd.GeoDataFrame,
    rules: dict[str, dict],
    *,
    zone=None,
    county=None,
    checked: Coverage | None = None,
    step=None,
) -> list[gpd.GeoDataFrame]:
    """Every parcel check of the audit, in one process: invalid geometry, overlaps, gaps, parts
    outside the ``zone`` (a polygon) and the ``county`` (a layer), stated vs measured area.

    ``rules`` holds the thresholds by rule name (``landkit.audit.DEFAULT_RULES``); layers not in
    metres are checked in their UTM zone and the findings given back in the layer's CRS.
    :func:`landkit.parallel.parcel_checks` gives the same findings from partitions.
    """
    step = step or (lambda name: None)
    o, g = rules["overlap"], rules["gap"]
    work, zone, county = in_metres(parcels, zone, county)
    if work is not parcels:  # measured in metres; a coverage given for the layer as it was is not passed on
        found = parcel_checks(work, rules, zone=zone, county=county, step=step)
        return [_back(f, parcels.crs) for f in found]
    step("invalid_geometry")
    found = per_feature_checks(parcels, rules, zone=zone, county=county)
    step("overlap")
    if checked is None:
        checked = coverage(parcels, snap_m=o["snap_m"], max_width_m=g["max_width_m"])
    with ThreadPoolExecutor(1) as pool:  # the overlaps beside the gaps: GEOS releases Python's lock
        pairs = pool.submit(  # and, in the same step, the pairs too thin to be overlaps
            both_overlaps,
            parcels,
            min_area_m2=o["min_area_m2"],
            digitising_min_m2=rules["digitising_overlap"]["min_area_m2"],
            checked=checked,
        )
        step("gap")
        gap = gaps(
            parcels,
            within=zone,
            max_width_m=g["max_width_m"],
            min_area_m2=g["min_area_m2"],
            snap_m=g["snap_m"],
            checked=checked if g["snap_m"] == o["snap_m"] else None,
        )
        found.extend(pairs.result())
    return [*found, gap]


def in_metres(parcels: gpd.GeoDataFrame, zone=None, county=None):
    """The parcels, a zone polygon and a county layer in a CRS in metres (the parcels' own when it
    is one; lon/lat, feet and Web Mercator layers in their UTM zone)."""
    work = _in_metres(parcels)
    if work is parcels:
        return parcels, zone, county
    if zone is not None:
        zone = gpd.GeoSeries([zone], crs=parcels.crs).to_crs(work.crs).iloc[0]
    if isinstance(county, gpd.GeoDataFrame | gpd.GeoSeries):
        county = county.to_crs(work.crs)
    return work, zone, county


def per_feature_checks(parcels: gpd.GeoDataFrame, rules: dict[str, dict], *, zone=None, county=None):
    """The parcel checks that need no neighbours: invalid geometry, outside the zone and the
    county, stated vs measured area (this last only when the parcels have the columns)."""
    found = [invalid_geometry(parcels)]
    for rule, boundary, name in (("outside_zone", zone, "the zone"), ("outside_county", county, "the county")):
        if boundary is not None:
            r = rules[rule]
            found.append(
                outside(parcels, boundary, rule=rule, name=name, min_area_m2=r["min_area_m2"], snap_m=r["snap_m"])
            )
    if "stated_area_mu" in parcels:
        found.append(area_mismatch(parcels, map_scale=rules["area_mismatch"]["map_scale"]))
    return found
