"""Topology checks on parcels: each returns findings and never changes the data.

A finding is a row of a GeoDataFrame with ``rule``, ``severity``, ``ids`` (the features
involved), ``area_m2`` and ``area_mu`` (ellipsoidal, CGCS2000), ``message`` and the problem
``geometry`` in the layer's CRS. Parcel fabrics are checked as a polygon coverage first (is
every inner edge shared by exactly two parcels?), and only the parcels with unshared edges are
intersected pairwise: an edge-matched fabric of a million parcels is audited in seconds, and a
fabric that is not edge-matched is still checked completely, only more slowly.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataError
from .measure import area
from .units import M2_PER_MU

FINDING_COLUMNS = ["rule", "severity", "ids", "area_m2", "area_mu", "message", "geometry"]
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon


def _findings(rule, severity, ids, geometry, messages, crs, *, area_m2=None) -> gpd.GeoDataFrame:
    geometry = np.asarray(geometry, dtype=object)
    if area_m2 is None:
        area_m2 = area(gpd.GeoSeries(geometry, crs=crs)).to_numpy() if len(geometry) else np.array([])
    area_m2 = np.asarray(area_m2, dtype=float)
    return gpd.GeoDataFrame(
        {
            "rule": rule,
            "severity": severity,
            "ids": list(ids),
            "area_m2": area_m2,
            "area_mu": area_m2 / M2_PER_MU,
            "message": list(messages),
        },
        geometry=gpd.GeoSeries(geometry, crs=crs),
        columns=FINDING_COLUMNS,
    )


def empty_findings(crs=None) -> gpd.GeoDataFrame:
    """Return a findings table with no rows (the columns every check returns)."""
    return _findings("", "", [], [], [], crs)


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
    messages = [
        f"{i}: invalid geometry ({r}); its area cannot be trusted. Redraw it, or try repair_geometry()"
        for i, r in zip(ids, reasons, strict=True)
    ]
    fixed_area = area(gpd.GeoSeries(shapely.make_valid(g[bad]), crs=gdf.crs)).to_numpy() if len(bad) else None
    return _findings("invalid_geometry", "error", [[i] for i in ids], where, messages, gdf.crs, area_m2=fixed_area)


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
        raise DataError(
            f"repair refused for {refused.sum()} feature(s) ({ids}): making them valid would change "
            f"their area by more than {tolerance:.1%}. Redraw them (a bow-tie has two possible shapes)"
        )
    out = gdf.copy()
    out.iloc[bad, out.columns.get_loc(out.geometry.name)] = fixed
    return out


def _polygonal_part(geom):
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _mix(bits: np.ndarray, k1: int, k2: int) -> np.ndarray:
    x = bits[:, 0] * np.uint64(k1) + (bits[:, 1] ^ (bits[:, 1] >> np.uint64(29))) * np.uint64(k2)
    return x ^ (x >> np.uint64(31))


def _suspects(g: np.ndarray) -> np.ndarray:
    """Positions (into g) of polygons with an edge that is not shared by exactly one neighbour.

    In an edge-matched fabric every inner edge belongs to exactly two parcels. Overlaps,
    duplicates, parcels inside others and slivers all break that, and so do the fabric's outer
    edges: only these parcels need pairwise checks. Edges are matched by two independent 64-bit
    hashes of their end points (order-free), in linear time.
    """
    with np.errstate(over="ignore"):
        units, owner = shapely.get_parts(g, return_index=True)
        if shapely.get_num_interior_rings(units).any():
            units, ring_owner = shapely.get_rings(units, return_index=True)
            owner = owner[ring_owner]
        coords, unit = shapely.get_coordinates(units, return_index=True)
        bits = np.ascontiguousarray(coords).view(np.uint64)
        p1 = _mix(bits, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)
        p2 = _mix(bits, 0x165667B19E3779F9, 0x27D4EB2F165667C5)
        edge = unit[:-1] == unit[1:]
        h1, h2 = (p1[:-1] + p1[1:])[edge], (p2[:-1] ^ p2[1:])[edge]
        codes, uniques = pd.factorize(h1)
        first = np.empty(len(uniques), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        unmatched = (np.bincount(codes)[codes] != 2) | (h2 != h2[first[codes]])
    return np.unique(owner[unit[:-1][edge][unmatched]])


def _candidate_pairs(gdf, predicate: str, **kwargs):
    """Valid polygons, their tree, and the unique pairs (i < j) of a suspect with a neighbour."""
    valid = _polygons(gdf)
    g = gdf.geometry.to_numpy()[valid]
    suspects = _suspects(g)
    tree = shapely.STRtree(g)
    left, right = tree.query(g[suspects], predicate=predicate, **kwargs)
    a, b = suspects[left], right
    a, b = np.minimum(a, b), np.maximum(a, b)
    return valid, g, tree, np.unique(np.column_stack([a, b])[a != b], axis=0)


def overlaps(gdf: gpd.GeoDataFrame, *, min_area_m2: float = 1.0) -> gpd.GeoDataFrame:
    """Find parcels whose interiors overlap by more than ``min_area_m2`` (ellipsoidal).

    Identical duplicates and parcels inside others are overlaps too (the ``overlaps``
    predicate misses both); the message says which kind. ``min_area_m2`` ignores digitising
    noise.
    """
    valid, g, _, pairs = _candidate_pairs(gdf, "intersects")
    if not len(pairs):
        return empty_findings(gdf.crs)
    inter = shapely.intersection(g[pairs[:, 0]], g[pairs[:, 1]])
    inter = np.array([_polygonal_part(x) for x in inter], dtype=object)
    inter_m2 = area(gpd.GeoSeries(inter, crs=gdf.crs)).fillna(0).to_numpy()
    keep = inter_m2 > min_area_m2
    pairs, inter, inter_m2 = pairs[keep], inter[keep], inter_m2[keep]
    involved = np.unique(pairs)
    own = pd.Series(area(gpd.GeoSeries(g[involved], crs=gdf.crs)).to_numpy(), index=involved)
    smaller = np.minimum(own[pairs[:, 0]].to_numpy(), own[pairs[:, 1]].to_numpy())
    larger = np.maximum(own[pairs[:, 0]].to_numpy(), own[pairs[:, 1]].to_numpy())
    ids = _ids(gdf)[valid]
    messages = []
    for (i, j), m2, small, large in zip(pairs, inter_m2, smaller, larger, strict=True):
        if large - m2 <= min_area_m2:
            kind = "duplicate: the same land is registered twice"
        elif small - m2 <= min_area_m2:
            kind = "one parcel lies inside the other"
        else:
            kind = "the parcels overlap"
        messages.append(f"{ids[i]} and {ids[j]}: {kind}, {m2:,.1f} m² ({m2 / M2_PER_MU:,.2f} mu) counted twice")
    return _findings(
        "overlap", "error", [[ids[i], ids[j]] for i, j in pairs], inter, messages, gdf.crs, area_m2=inter_m2
    )


def gaps(gdf: gpd.GeoDataFrame, *, within=None, max_width_m: float = 2.0, min_area_m2: float = 1.0) -> gpd.GeoDataFrame:
    """Find slivers narrower than ``max_width_m`` between parcels that should meet.

    Wider spaces (roads, villages, land outside the reserve) are not gaps, and neither is the
    space where two corners come close (a sliver is at least four times as long as it is wide). With ``within`` (a
    zone polygon in the layer's CRS), only gaps inside it are reported. Gaps are found between
    pairs of parcels; a parcel split by a sliver along part of a shared edge is not detected.
    """
    valid, g, tree, pairs = _candidate_pairs(gdf, "dwithin", distance=max_width_m)
    if not len(pairs):
        return empty_findings(gdf.crs)
    dist = shapely.distance(g[pairs[:, 0]], g[pairs[:, 1]])
    pairs, dist = pairs[dist > 0], dist[dist > 0]
    reach = dist * 1.01 + 1e-3
    between = shapely.intersection(
        shapely.buffer(g[pairs[:, 0]], reach, join_style="mitre"),
        shapely.buffer(g[pairs[:, 1]], reach, join_style="mitre"),
    )
    near = tree.query(between, predicate="intersects")
    others = pd.Series(near[1]).groupby(near[0]).agg(list)
    gap = np.array(
        [shapely.difference(between[k], shapely.union_all(g[others.get(k, [])])) for k in range(len(pairs))],
        dtype=object,
    )
    if within is not None:
        gap = shapely.intersection(gap, within)
    gap_m2 = area(gpd.GeoSeries(gap, crs=gdf.crs)).fillna(0).to_numpy()
    # A sliver runs along the edges it separates; where two corners merely come close, the
    # space between them is about as long as it is wide and is not reported.
    keep = (gap_m2 > min_area_m2) & (gap_m2 >= 4 * dist**2)
    ids = _ids(gdf)[valid]
    pairs, gap, gap_m2, dist = pairs[keep], gap[keep], gap_m2[keep], dist[keep]
    messages = [
        f"{ids[i]} and {ids[j]}: a {d:.2f} m wide sliver of {m2:,.1f} m² between them; make them meet"
        for (i, j), d, m2 in zip(pairs, dist, gap_m2, strict=True)
    ]
    return _findings("gap", "warning", [[ids[i], ids[j]] for i, j in pairs], gap, messages, gdf.crs, area_m2=gap_m2)


def outside(
    gdf: gpd.GeoDataFrame,
    boundary,
    *,
    rule: str = "outside_zone",
    name: str = "the zone",
    min_area_m2: float = 1.0,
) -> gpd.GeoDataFrame:
    """Find features (or parts of them) outside ``boundary``, with the area outside.

    ``boundary`` is a polygon in the layer's CRS (a planning zone, the county) or a
    GeoDataFrame/GeoSeries whose features are dissolved.
    """
    if isinstance(boundary, gpd.GeoDataFrame | gpd.GeoSeries):
        if boundary.crs is not None and gdf.crs is not None and boundary.crs != gdf.crs:
            boundary = boundary.to_crs(gdf.crs)
        boundary = shapely.union_all(boundary.geometry.to_numpy())
    valid = _polygons(gdf)
    g = gdf.geometry.to_numpy()[valid]
    shapely.prepare(boundary)
    sticking = np.flatnonzero(~shapely.covered_by(g, boundary))
    part = shapely.difference(g[sticking], boundary)
    part_m2 = area(gpd.GeoSeries(part, crs=gdf.crs)).fillna(0).to_numpy()
    keep = part_m2 > min_area_m2
    ids = _ids(gdf)[valid][sticking][keep]
    part, part_m2 = part[keep], part_m2[keep]
    whole = area(gpd.GeoSeries(g[sticking][keep], crs=gdf.crs)).to_numpy()
    messages = [
        f"{i}: {m2:,.1f} m² ({m2 / M2_PER_MU:,.2f} mu, {m2 / w:.0%} of it) lies outside {name}"
        for i, m2, w in zip(ids, part_m2, whole, strict=True)
    ]
    return _findings(rule, "error", [[i] for i in ids], part, messages, gdf.crs, area_m2=part_m2)


def area_mismatch(
    gdf: gpd.GeoDataFrame,
    *,
    stated: str = "stated_area_mu",
    map_scale: float = 2000,
    tolerance_m2: float | None = None,
) -> gpd.GeoDataFrame:
    """Find parcels whose stated area differs from the measured ellipsoidal area too much.

    The default tolerance is the cadastral rule ΔP ≤ 0.0003·M·√P (城镇地籍调查规程; P in m²,
    M the map scale denominator, 1:2000 by default), plus half a unit of the stated figure's
    last digit (0.005 mu), which rounding alone can account for. ``tolerance_m2`` replaces it
    with a fixed allowance.
    """
    if stated not in gdf.columns:
        raise DataError(f"no column {stated!r} to compare with; name the stated-area column with stated=")
    measured = area(gdf).to_numpy()
    stated_m2 = gdf[stated].to_numpy(dtype=float) * M2_PER_MU
    allowed = (
        np.full(len(gdf), tolerance_m2)
        if tolerance_m2 is not None
        else 0.0003 * map_scale * np.sqrt(measured) + 0.005 * M2_PER_MU
    )
    diff = stated_m2 - measured
    bad = np.flatnonzero(np.abs(diff) > allowed)
    ids = _ids(gdf)[bad]
    messages = [
        f"{i}: stated {s / M2_PER_MU:,.2f} mu, measured {m / M2_PER_MU:,.2f} mu (ellipsoidal): "
        f"{d / M2_PER_MU:+,.2f} mu, more than the {t:,.1f} m² allowed; check the documents or the drawing"
        for i, s, m, d, t in zip(ids, stated_m2[bad], measured[bad], diff[bad], allowed[bad], strict=True)
    ]
    return _findings(
        "area_mismatch",
        "warning",
        [[i] for i in ids],
        gdf.geometry.to_numpy()[bad],
        messages,
        gdf.crs,
        area_m2=np.abs(diff[bad]),
    )
