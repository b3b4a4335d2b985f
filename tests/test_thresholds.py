"""Every tolerance and threshold of landkit, pinned just inside and just outside its edge.

Each edge is approached within 1 % of its value from both sides (``EDGE``). Expected values are
computed here, independently of landkit: by hand geometry, with Karney's geodesic area and
distance (pyproj ``Geod``, ``tests/geodesy.py``), or with the rule's formula written out. Each
threshold also has a real-like variant: parcels whose copies of a shared corner are digitised
apart by up to a centimetre (never bit-identical), and/or the same fabric in lon/lat
(EPSG:4490), where widths and tolerances must still be metres.

The fabrics are drawn in EPSG:4547 (CGCS2000 Gauss-Krueger, CM 114E) near the county seat
(112.9E 33.74N), where the plane's scale is 1 + 1.3e-4: far below the 1 % the edges are
approached by, so a distance drawn in the plane is that many metres on the ground.
"""

import warnings
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from pyproj import CRS, Transformer

import landkit
from landkit import audit, constraints, crs, measure, relocation, reserve, topology, units
from landkit.errors import CRSError, DataError, LandkitWarning
from tests.geodesy import GEOD, geodesic_area_m2

GK = "EPSG:4547"  # CGCS2000 3-degree Gauss-Krueger, CM 114E (no zone prefix): the sample's CRS
LONLAT = "EPSG:4490"  # CGCS2000 longitude/latitude
X0, Y0 = 400000.0, 3736000.0  # about 112.9E 33.74N in EPSG:4547
SNAP = 0.1  # the documented default snapping tolerance (README: snap_m = 0.1 m)
MAX_WIDTH = 2.0  # the documented default gap width (README: max_width_m = 2 m)
M2_PER_MU = 10000 / 15  # 1 mu, exactly (shared facts)
EDGE = {"inside": 0.99, "outside": 1.01}  # 1 % either side of an edge
SIDES = list(EDGE)


# --- fabrics -----------------------------------------------------------------------------------


def at(x, y):
    return (X0 + x, Y0 + y)


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def poly(*points):
    return shapely.Polygon([at(x, y) for x, y in points])


def layer(crs=GK, **geoms):
    return gpd.GeoDataFrame(geometry=list(geoms.values()), index=list(geoms), crs=crs)


def jittered(geom, seed, cm=0.5):
    """The polygon with each vertex moved independently by up to ``cm`` centimetres in x and in y
    (a digitiser's hand): two parcels' copies of a shared corner no longer coincide bit for bit."""
    rng = np.random.default_rng(seed)
    ring = np.asarray(geom.exterior.coords)[:-1]
    return shapely.Polygon(ring + rng.uniform(-cm / 100, cm / 100, ring.shape))


def noisy(f, only=None, seed=7):
    """The fabric with the parcels ``only`` (default: all) digitised again, each with its own noise."""
    geoms = [
        jittered(g, seed + k) if only is None or pid in only else g for k, (pid, g) in enumerate(f.geometry.items())
    ]
    return gpd.GeoDataFrame(geometry=geoms, index=f.index, crs=f.crs)


def variant(f, kind, only=None):
    """The fabric as drawn (``exact``), digitised again (``jittered``), or in lon/lat (``lonlat``)."""
    if kind == "jittered":
        return noisy(f, only)
    if kind == "lonlat":
        return f.to_crs(LONLAT)
    return f


def karney(geom, crs=GK):
    """Karney's geodesic area of one geometry (tests/geodesy.py)."""
    return geodesic_area_m2(gpd.GeoSeries([geom], crs=crs))[0]


def found_ids(found):
    return sorted(sorted(ids) for ids in found["ids"])


def row(found, ids):
    (k,) = [k for k, i in enumerate(found["ids"]) if sorted(i) == sorted(ids)]
    return found.iloc[k]


def in_metres(f):
    """The layer's polygons in metres, as landkit checks them (lon/lat in its UTM zone)."""
    return topology.in_metres(f)[0].geometry.to_numpy()


# --- 1. snapping tolerance (topology.snap, coverage) -------------------------------------------


def corner_twice(d):
    """A and B edge-matched along x = 50, but B's copies of the two shared corners drawn ``d``
    metres off, 30 degrees north of east (so each axis is off by less than ``d``)."""
    dx, dy = d * np.cos(np.radians(30)), d * np.sin(np.radians(30))
    return layer(A=box(0, 0, 50, 50), B=poly((50 + dx, dy), (100, 0), (100, 50), (50 + dx, 50 + dy)))


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_snap_merges_a_corner_digitised_twice_closer_than_the_tolerance(side, kind):
    """Two copies of a corner 0.99 x SNAP apart become one vertex; 1.01 x SNAP apart they stay as
    drawn (and GEOS then names both parcels). In lon/lat the tolerance is still metres."""
    f = variant(corner_twice(EDGE[side] * SNAP), kind)
    work = topology.in_metres(f)[0]
    drawn = work.geometry.to_numpy()
    snapped = topology.snap(drawn)
    shared = set(map(tuple, shapely.get_coordinates(snapped[0]))) & set(map(tuple, shapely.get_coordinates(snapped[1])))
    if side == "inside":
        assert len(shared) == 2  # B's copies of A's corners are A's corners now, bit for bit
        assert topology.coverage(work).suspects.size == 0
    else:
        assert not shared
        assert shapely.equals_exact(snapped, drawn, tolerance=0).all()
        assert sorted(topology.coverage(work).suspects) == [0, 1]
    assert shapely.hausdorff_distance(snapped, drawn).max() <= SNAP  # nothing moved beyond the tolerance


def chain(width, n):
    """A and B share a boundary with a step: ``n`` vertices in a row along y = 20 spanning
    ``width`` metres, each a vertex of both parcels (a densely digitised bend, bit-identical)."""
    xs = 50 + np.linspace(0, width, n)
    step = [(x, 20.0) for x in xs]
    a = poly((0, 0), (50, 0), *step, (xs[-1], 50), (0, 50))
    b = poly((50, 0), (100, 0), (100, 50), (xs[-1], 50), *step[::-1])
    return layer(A=a, B=b)


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_a_cluster_of_vertices_no_wider_than_the_tolerance_is_one_corner(side, kind):
    """Three vertices in a row, 0.99 x SNAP wide in all: one corner (merged onto the first);
    1.01 x SNAP wide: a chain, kept as drawn, although each is within SNAP of the next."""
    f = variant(chain(EDGE[side] * SNAP, 3), kind)
    drawn = in_metres(f)
    snapped = topology.snap(drawn)
    if side == "inside":
        assert all(
            len(shapely.get_coordinates(s)) == len(shapely.get_coordinates(d)) - 2
            for s, d in zip(snapped, drawn, strict=True)
        )
    else:
        assert shapely.equals_exact(snapped, drawn, tolerance=0).all()
    assert shapely.hausdorff_distance(snapped, drawn).max() <= SNAP


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("n", [3, 4, 17])
def test_a_chain_of_close_vertices_wider_than_the_tolerance_stays_as_drawn(n, kind):
    """Vertices 0.6 x SNAP apart, spanning 1.2, 1.8 and 9.6 x SNAP: a curve, not a corner digitised
    many times. Merging it would move its last vertex by the whole span, beyond the tolerance."""
    f = variant(chain(0.6 * SNAP * (n - 1), n), kind)
    drawn = in_metres(f)
    snapped = topology.snap(drawn)
    assert shapely.equals_exact(snapped, drawn, tolerance=0).all()
    assert shapely.hausdorff_distance(snapped, drawn).max() <= SNAP


@pytest.mark.parametrize("kind", ["jittered", "lonlat"])
def test_digitising_noise_under_the_tolerance_is_no_finding(kind):
    """Nine 40 m parcels, each digitised on its own (corners up to 0.7 cm apart); snapped, they are
    a valid coverage: no suspect, no overlap, no gap, and no vertex moved beyond the tolerance."""
    grid = {f"P{i}{j}": box(40 * i, 40 * j, 40 * (i + 1), 40 * (j + 1)) for i in range(3) for j in range(3)}
    f = noisy(layer(**grid))
    f = f.to_crs(LONLAT) if kind == "lonlat" else f
    drawn = in_metres(f)
    assert len(set(map(tuple, shapely.get_coordinates(drawn)))) > 16 + 9  # copies of corners differ
    snapped = topology.snap(drawn)
    assert shapely.hausdorff_distance(snapped, drawn).max() <= SNAP
    assert topology.coverage(topology.in_metres(f)[0]).suspects.size == 0
    assert topology.overlaps(f, min_area_m2=0).empty and topology.gaps(f).empty


# --- 5. overlaps: deeper than the snapping tolerance, larger than min_area_m2 -------------------


def overlapping(d):
    """A, and B reaching ``d`` metres into it along its whole east side (B is taller, so no corner
    of B is near one of A's: only the shrinking by half the tolerance tells noise from overlap);
    C shares A's west side."""
    return layer(A=box(0, 0, 50, 50), B=box(50 - d, -10, 100, 60), C=box(-50, 0, 0, 50))


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_an_overlap_deeper_than_the_snapping_tolerance_is_found(side, kind):
    """B 0.99 x SNAP into A is noise; 1.01 x SNAP into A is an overlap (any area: min_area_m2=0),
    reported with its whole area. Jittered: C is digitised again (its copies of A's corners off by
    up to 0.7 cm); the overlap's own edges stay exact, as the edge is 1 mm wide."""
    d = EDGE[side] * SNAP
    f = variant(overlapping(d), kind, only={"C"})
    found = topology.overlaps(f, min_area_m2=0)
    if side == "inside":
        assert found.empty
    else:
        assert found_ids(found) == [["A", "B"]]
        assert found["area_m2"].iloc[0] == pytest.approx(karney(box(50 - d, 0, 50, 50)), rel=1e-3)


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("side", ["reported", "not reported"])
def test_an_overlap_is_reported_when_its_shrunk_core_exceeds_min_area(side, kind):
    """B 5 m into A: each shrunk by SNAP/2 they share a 4.9 m x 49.9 m core (Karney's area here).
    min_area_m2 at 0.99 x the core: reported, with the whole 5 m x 50 m overlap; at 1.01 x: not.
    Jittered: every vertex off by up to 0.7 cm, which moves the core's area by under 0.4 %."""
    d = 5.0
    core = karney(box(50 - d + SNAP / 2, SNAP / 2, 50 - SNAP / 2, 50 - SNAP / 2))
    factor = 0.99 if side == "reported" else 1.01
    f = variant(overlapping(d), kind)
    found = topology.overlaps(f, min_area_m2=factor * core)
    if side == "reported":
        assert found_ids(found) == [["A", "B"]]
        assert found["area_m2"].iloc[0] == pytest.approx(karney(box(50 - d, 0, 50, 50)), rel=5e-3)
    else:
        assert found.empty


# --- 3. gap width max_width_m --------------------------------------------------------------------


def strip(w, *, suspects=False):
    """A and B, 30 m squares, face each other across a strip ``w`` metres wide open at both ends.
    With ``suspects``, C over A and D over B leave 0.5 m slivers too, so that A and B are checked
    pairwise whatever the strip's width."""
    geoms = {"A": box(0, 0, 30, 30), "B": box(30 + w, 0, 60 + w, 30)}
    if suspects:
        geoms.update(C=box(0, 30.5, 20, 60), D=box(40 + w, 30.5, 60 + w, 60))
    return layer(**geoms)


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat", "suspects"])
@pytest.mark.parametrize("side", SIDES)
def test_a_gap_is_narrower_than_max_width(side, kind):
    """A strip 0.99 x 2 m wide is a gap (with its whole area); 1.01 x 2 m is not (a path, a ditch).
    In lon/lat 2 is still metres; jittered, every vertex is off by up to 0.7 cm; with other
    slivers about, A and B are suspects anyway and the width alone decides."""
    w = EDGE[side] * MAX_WIDTH
    f = variant(strip(w, suspects=kind == "suspects"), kind)
    found = topology.gaps(f)
    others = [["A", "C"], ["B", "D"]] if kind == "suspects" else []
    if side == "inside":
        assert found_ids(found) == sorted([["A", "B"], *others])
        rel = 1e-2 if kind == "jittered" else 1e-4
        assert row(found, ["A", "B"])["area_m2"] == pytest.approx(karney(box(30, 0, 30 + w, 30)), rel=rel)
    else:
        assert found_ids(found) == others


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", ["reported", "not reported"])
def test_a_gap_is_reported_when_more_than_min_area_stays_uncovered_beyond_the_tolerance(side, kind):
    """A and B 1 m apart over 30 m: grown by SNAP/2 each, they leave a 0.9 m x 30.1 m space
    uncovered (Karney's area here). min_area_m2 at 0.99 x that: a gap, with its whole 1 m x 30 m
    area; at 1.01 x: none."""
    space = karney(box(30 + SNAP / 2, -SNAP / 2, 31 - SNAP / 2, 30 + SNAP / 2))
    f = variant(strip(1.0), kind)
    found = topology.gaps(f, min_area_m2=space * (0.99 if side == "reported" else 1.01))
    if side == "reported":
        assert found_ids(found) == [["A", "B"]]
        assert found["area_m2"].iloc[0] == pytest.approx(karney(box(30, 0, 31, 30)), rel=1e-4)
    else:
        assert found.empty


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_the_rules_gap_width_moves_the_edge(side, kind):
    """With ``[gap] max_width_m = 3`` in the rules, the audit's parcel checks take a strip 0.99 x
    3 m wide for a gap and one 1.01 x 3 m wide for a path."""
    rules = audit.load_rules("[gap]\nmax_width_m = 3.0\n")
    f = variant(strip(EDGE[side] * 3.0), kind)
    gaps = [found_ids(df) for df in topology.parcel_checks(f, rules) if len(df) and (df["rule"] == "gap").all()]
    assert gaps == ([[["A", "B"]]] if side == "inside" else [])


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_slivers_opening_onto_a_path_just_wider_than_max_width_are_still_gaps(side, kind):
    """A and B across a strip 0.99 x 2 m wide: with the 0.5 m slivers between A and C and between
    B and D, which open onto it, it is one gap of all four. 1.01 x 2 m wide, the strip is a path,
    not a gap, and the two slivers are gaps of their own (each with its Karney area): the path
    must not make them too wide to report."""
    w = EDGE[side] * MAX_WIDTH
    f = layer(
        A=box(0, 0, 30, 30), B=box(30 + w, 0, 60 + w, 30), C=box(0, 30.5, 30, 60), D=box(30 + w, 30.5, 60 + w, 60)
    )
    found = topology.gaps(variant(f, kind))
    if side == "inside":
        assert found_ids(found) == [["A", "B", "C", "D"]]
    else:
        assert found_ids(found) == [["A", "C"], ["B", "D"]]
        rel = 3e-2 if kind == "jittered" else 1e-3
        assert row(found, ["A", "C"])["area_m2"] == pytest.approx(karney(box(0, 30, 30, 30.5)), rel=rel)
        assert row(found, ["B", "D"])["area_m2"] == pytest.approx(karney(box(30 + w, 30, 60 + w, 30.5)), rel=rel)


# --- 2. a sliver is at least four times as long as wide -----------------------------------------


def staircase(w, length):
    """Two corners coming close: A's east side and B's west side face each other over ``length``
    metres across a gap ``w`` wide, open at both ends. C shares A's west side, D B's east side."""
    return layer(
        A=box(0, 0, 30, 30),
        B=box(30 + w, 30 - length, 60 + w, 60 - length),
        C=box(-30, 0, 0, 30),
        D=box(60 + w, 30 - length, 90 + w, 60 - length),
    )


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("ratio", [4 * EDGE["inside"], 4 * EDGE["outside"]])
def test_a_sliver_is_at_least_four_times_as_long_as_wide(ratio, kind):
    """A 1.5 m gap 1.01 x 4 x 1.5 m long is a sliver (reported, with its Karney area); 0.99 x 4 x
    1.5 m long it is two corners coming close (not reported). Jittered: C and D are digitised
    again (their copies of A's and B's corners are off by up to 0.7 cm)."""
    w = 1.5
    f = variant(staircase(w, ratio * w), kind, only={"C", "D"})
    found = topology.gaps(f)
    if ratio > 4:
        assert found_ids(found) == [["A", "B"]]
        expected = karney(box(30, 30 - ratio * w, 30 + w, 30))
        assert found["area_m2"].iloc[0] == pytest.approx(expected, rel=1e-4)
    else:
        assert found.empty


# --- 4. a gap runs along at least two parcels ----------------------------------------------------


def notched(*, split, sliver=True, chamfered=False, w=1.0):
    """A 30 m square with a notch ``w`` wide and 10 m deep in its north side, facing open land; E
    shares its east side exactly. With ``split`` the square is two parcels (A1, A2) meeting on the
    notch's axis, so that the notch runs between them. With ``sliver``, S lies 0.5 m south of the
    square: a real gap, which makes the square's parcels suspects so that the notch is looked at.
    With ``chamfered``, E's far (north-east) corner is cut by a 1.4 m edge: two of E's own edges
    within the gap width of each other, which must not make E a suspect either."""
    lo, hi = 15 - w / 2, 15 + w / 2
    if split:
        geoms = {
            "A1": poly((0, 0), (15, 0), (15, 20), (lo, 20), (lo, 30), (0, 30)),
            "A2": poly((15, 0), (30, 0), (30, 30), (hi, 30), (hi, 20), (15, 20)),
        }
    else:
        geoms = {"A": poly((0, 0), (30, 0), (30, 30), (hi, 30), (hi, 20), (lo, 20), (lo, 30), (0, 30))}
    geoms["E"] = poly((30, 0), (60, 0), (60, 29), (59, 30), (30, 30)) if chamfered else box(30, 0, 60, 30)
    if sliver:
        geoms["S"] = box(0, -30.5, 30, -0.5)
    return layer(**geoms)


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("chamfered", [False, True], ids=["square E", "chamfered E"])
@pytest.mark.parametrize("split", [False, True], ids=["one parcel", "two parcels"])
def test_a_notch_in_one_parcel_is_no_gap_but_the_same_space_between_two_is(split, chamfered, kind):
    """A 1 m x 10 m notch along one parcel only (its own indentation facing open land) is not a
    gap, even when that parcel is checked pairwise for its sliver with S; the same space between
    two parcels is (with its Karney area). E, which only touches the sliver's end with its corner,
    is never named, also when it has a short edge of its own. Jittered: every vertex off by up to
    0.7 cm."""
    f = variant(notched(split=split, chamfered=chamfered), kind)
    found = topology.gaps(f)
    if split:
        assert found_ids(found) == [["A1", "A2"], ["A1", "A2", "S"]]
        rel = 3e-2 if kind == "jittered" else 1e-4
        assert row(found, ["A1", "A2"])["area_m2"] == pytest.approx(karney(box(14.5, 20, 15.5, 30)), rel=rel)
    else:
        assert found_ids(found) == [["A", "S"]]


@pytest.mark.parametrize("kind", ["exact", "jittered", "lonlat"])
@pytest.mark.parametrize("chamfered", [False, True], ids=["square E", "chamfered E"])
@pytest.mark.parametrize("split", [False, True], ids=["one parcel", "two parcels"])
def test_only_other_parcels_edges_across_a_narrow_space_make_suspects(split, chamfered, kind):
    """The pairwise checks look at parcels with an unshared edge facing ANOTHER parcel's within the
    gap width: the two sides of one parcel's notch do not face each other (no suspect, nothing
    checked pairwise), the same sides belonging to two parcels do."""
    f = variant(notched(split=split, sliver=False, chamfered=chamfered), kind)
    suspects = topology.coverage(topology.in_metres(f)[0]).suspects
    assert sorted(f.index[suspects]) == (["A1", "A2"] if split else [])
    assert found_ids(topology.gaps(f)) == ([["A1", "A2"]] if split else [])


@pytest.mark.xfail(
    strict=True,
    reason="known bug: a gap's width is its widest inscribed circle, which at a junction of slivers "
    "(2.5 m here) exceeds each sliver's width, so a T of 1.8 m gaps is dropped as too wide",
)
def test_a_t_of_gaps_narrower_than_max_width_is_reported():
    """A and B side by side 1.8 m apart, C over both 1.8 m above: every gap is 0.9 x 2 m wide."""
    w = 0.9 * MAX_WIDTH
    f = layer(A=box(0, 0, 30, 30), B=box(30 + w, 0, 60 + w, 30), C=box(0, 30 + w, 60 + w, 60 + w))
    assert found_ids(topology.gaps(f)) == [["A", "B", "C"]]


# --- outside the zone or the county: more than snap_m beyond, more than min_area_m2 outside ----


def reaching(d):
    """A zone (a 100 m square) and P, a parcel reaching ``d`` metres beyond its east side over 30 m."""
    return box(0, 0, 100, 100), layer(P=box(50, 50, 100 + d, 80), Q=box(0, 0, 50, 50))


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", SIDES)
def test_a_parcel_is_outside_when_it_reaches_beyond_the_snapping_tolerance(side, kind):
    d = EDGE[side] * SNAP
    zone, f = reaching(d)
    if kind == "lonlat":
        zone = gpd.GeoSeries([zone], crs=GK).to_crs(LONLAT).iloc[0]
        f = f.to_crs(LONLAT)
    found = topology.outside(f, zone)
    if side == "inside":
        assert found.empty
    else:
        assert found_ids(found) == [["P"]]
        assert found["area_m2"].iloc[0] == pytest.approx(karney(box(100, 50, 100 + d, 80)), rel=1e-3)


@pytest.mark.parametrize("kind", ["exact", "lonlat"])
@pytest.mark.parametrize("side", ["reported", "not reported"])
def test_a_part_outside_is_reported_above_min_area(side, kind):
    part = karney(box(100, 50, 101, 80))  # P reaches 1 m out over 30 m
    zone, f = reaching(1.0)
    if kind == "lonlat":
        zone = gpd.GeoSeries([zone], crs=GK).to_crs(LONLAT).iloc[0]
        f = f.to_crs(LONLAT)
    found = topology.outside(f, zone, min_area_m2=part * (0.99 if side == "reported" else 1.01))
    assert found_ids(found) == ([["P"]] if side == "reported" else [])


# --- 6. stated vs measured area: dP = 0.0003 M sqrt(P) + 0.005 mu ---------------------------------


@pytest.mark.parametrize(("crs", "scale"), [(GK, 2000), (GK, 500), (LONLAT, 2000)])
@pytest.mark.parametrize("sign", [1, -1], ids=["stated more", "stated less"])
@pytest.mark.parametrize("side", SIDES)
def test_area_mismatch_tolerance_is_the_cadastral_rule(side, sign, crs, scale):
    """城镇地籍调查规程: two measurements of P m² on a 1:M map may differ by 0.0003 M sqrt(P), plus
    half a unit of the stated figure's last digit (0.005 mu). A stated area 0.99 x that away from
    the measured (Karney) area is fine, 1.01 x that away is a finding, with the difference."""
    parcel = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], index=["P"], crs=GK).to_crs(crs)
    p = karney(parcel.geometry.iloc[0], crs)
    allowed = 0.0003 * scale * np.sqrt(p) + 0.005 * M2_PER_MU
    parcel["stated_area_mu"] = (p + sign * EDGE[side] * allowed) / M2_PER_MU
    found = topology.area_mismatch(parcel, map_scale=scale)
    if side == "inside":
        assert found.empty
    else:
        assert found_ids(found) == [["P"]]
        assert found["area_m2"].iloc[0] == pytest.approx(EDGE[side] * allowed, rel=1e-5)


# --- 7. repair tolerances: measure._ambiguous (1e-6) and topology.repair_geometry (0.001) -------


def bow_tie(k, crs=GK, length=50.0):
    """A bow-tie (0,0) (L,L) (L,0) (0,k): by hand its lobes are L³/(2(L+k)) and k²L/(2(L+k)), so
    its raw (shoelace) area is their difference L(L-k)/2 and its repaired area their sum. In lon/lat
    it is the same shape through an affine map, which keeps these ratios exactly."""
    pts = [(0, 0), (length, length), (length, 0), (0, k)]
    if crs == LONLAT:
        return shapely.Polygon([(112.9 + x / 92600.0, 33.74 + y / 110900.0) for x, y in pts])
    return poly(*pts)


def k_for(rel, *, of_repaired, length=50.0):
    """The small lobe's height that makes raw and repaired areas differ by ``rel``, relative to the
    repaired area (2k²/(L²+k²)) or to the raw area (2k²/(L²-k²))."""
    return length * np.sqrt(rel / (2 - rel) if of_repaired else rel / (2 + rel))


@pytest.mark.parametrize(
    ("method", "crs"),
    [("ellipsoidal", GK), ("ellipsoidal", LONLAT), ("cn2008", GK), ("planar", GK)],
)
@pytest.mark.parametrize("rel", [0.5e-6, 0.99e-6, 1.01e-6, 2e-6, 1e-3])
def test_an_invalid_polygon_keeps_its_area_only_when_its_repair_agrees_to_1e_6(rel, method, crs):
    """A polygon invalid only by float noise keeps its area when raw and repaired areas agree to
    1e-6; beyond (a bow-tie), it has none: NaN, never the lobes' difference."""
    k = k_for(rel, of_repaired=True)
    g = bow_tie(k, crs)
    assert not shapely.is_valid(g) and shapely.get_num_geometries(shapely.make_valid(g)) == 2
    got = landkit.area(gpd.GeoSeries([g], crs=crs), method=method, zone=GK if method == "planar" else None).iloc[0]
    if rel > 1e-6:
        assert np.isnan(got)
    elif method == "planar":
        assert got == pytest.approx(50.0 * (50.0 - k) / 2, rel=1e-9)  # the raw area, by hand
    else:
        assert got == pytest.approx(karney(shapely.make_valid(g), crs), rel=2e-6 if method == "ellipsoidal" else 2e-5)


@pytest.mark.parametrize("crs", [GK, LONLAT])
@pytest.mark.parametrize("tolerance", [None, 0.01], ids=["default 0.001", "0.01"])
@pytest.mark.parametrize("side", SIDES)
def test_repair_is_refused_when_it_would_move_the_area_beyond_its_tolerance(side, tolerance, crs):
    """repair_geometry() accepts a repair that changes the drawn area by 0.99 x its tolerance
    (relative to the drawn area) and refuses 1.01 x."""
    limit = 0.001 if tolerance is None else tolerance
    k = k_for(EDGE[side] * limit, of_repaired=False)
    f = gpd.GeoDataFrame(geometry=[bow_tie(k, crs)], index=["X"], crs=crs)
    kwargs = {} if tolerance is None else {"tolerance": tolerance}
    if side == "inside":
        fixed = topology.repair_geometry(f, **kwargs).geometry["X"]
        assert fixed.is_valid
        drawn = shapely.area(f.geometry["X"])
        assert shapely.area(fixed) == pytest.approx(drawn * (1 + EDGE[side] * limit), rel=1e-9)
    else:
        with pytest.raises(DataError, match=r"repair refused.*X"):
            topology.repair_geometry(f, **kwargs)


# --- 8. CRS margins: the county (+0.05 degree), the CRS's area of use (+1.5 / +0.5 degree) ------


COUNTY = gpd.GeoDataFrame(geometry=[shapely.box(112.6, 33.5, 113.2, 34.0)], index=["C"], crs=LONLAT)


def tiny(west, south, size=0.0004):
    """A parcel of 0.0004 degrees (about 40 m), in lon/lat."""
    return gpd.GeoDataFrame(geometry=[shapely.box(west, south, west + size, south + size)], index=["P"], crs=LONLAT)


@pytest.mark.parametrize("crs_", [LONLAT, GK])
@pytest.mark.parametrize("where", ["east", "south"])
@pytest.mark.parametrize("side", SIDES)
def test_coordinates_may_lie_a_little_beyond_the_county(side, where, crs_):
    """The county check allows 0.05 degree beyond the county's bounding box: a parcel reaching
    0.99 x that beyond fits, 1.01 x does not, whatever CRS the parcel is stored in."""
    reach = 0.05 * EDGE[side]
    p = tiny(113.2 + reach - 0.0004, 33.7) if where == "east" else tiny(112.9, 33.5 - reach)
    assert crs.misplaced(p.to_crs(crs_), reference=COUNTY).tolist() == [side == "outside"]


@pytest.mark.parametrize(
    ("crs_", "margin", "where"),
    [
        (GK, 1.5, "west"),  # a projected CRS: 1.5 degrees beyond its area of use
        (LONLAT, 0.5, "east"),  # a geographic one: 0.5 degree
        ("+proj=longlat +ellps=GRS80 +no_defs", 0.0, "east"),  # no area of use: China's bounds
    ],
)
@pytest.mark.parametrize("side", SIDES)
def test_coordinates_may_lie_a_little_beyond_the_crs_area_of_use(side, crs_, margin, where):
    aou = CRS.from_user_input(crs_).area_of_use
    if where == "west":
        p = tiny(aou.west - margin * EDGE[side], 33.7)
    else:  # no area of use: China's extent, 73-135.5E 18-54N, without a margin: 0.005 degree either side
        east = aou.east + margin * EDGE[side] if aou is not None else 135.5 + (0.005 if side == "outside" else -0.005)
        p = tiny(east - 0.0004, 33.7)
    layer_ = p.to_crs(crs_)
    assert crs.misplaced(layer_).tolist() == [side == "outside"]


@pytest.mark.parametrize("side", SIDES)
def test_a_gauss_krueger_layer_warns_beyond_1_5_degrees_from_its_meridian(side):
    """A layer stored in EPSG:4547 (CM 114E) reaching 0.99 x 1.5 degrees west of the meridian is
    in its band; 1.01 x 1.5 degrees west, the zone warning names its own zone, EPSG:4546. Planar
    areas in that zone warn the same way."""
    p = tiny(114 - 1.5 * EDGE[side], 33.7)
    message = crs.zone_warning(p.to_crs(GK))
    if side == "inside":
        assert message is None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert np.isfinite(landkit.area(p, method="planar", zone=GK).iloc[0])
    else:
        assert "EPSG:4546" in message
        with pytest.warns(LandkitWarning, match="central meridian 114E"):
            landkit.area(p, method="planar", zone=GK)


@pytest.mark.parametrize(
    ("lon", "epsg"),
    [
        # zone n covers [3n - 1.5, 3n + 1.5): CM 111E is zone 37 (EPSG:4546), CM 114E zone 38 (4547)
        (112.5 - 0.015, 4546),
        (112.5, 4547),
        (112.5 + 0.015, 4547),
        (115.5 - 0.015, 4547),
        (115.5, 4548),
        (73.5, 4534),  # zone 25, the first
        (136.5 - 0.015, 4554),  # zone 45, the last
    ],
)
def test_gauss_krueger_zone_edges(lon, epsg):
    assert crs.gk_zone_epsg(lon) == epsg
    assert crs.gk_zone_epsg(lon, prefixed=True) == epsg - 21  # EPSG:4513-4533: the same zones, prefixed


@pytest.mark.parametrize("lon", [73.5 - 0.015, 136.5])
def test_gauss_krueger_zones_end_with_china(lon):
    with pytest.raises(CRSError, match="outside China"):
        crs.gk_zone_epsg(lon)


@pytest.mark.parametrize(("wrong", "diagnosed"), [(49, False), (51, True)])
def test_a_layer_is_diagnosed_when_most_of_its_features_cannot_be_where_its_crs_says(wrong, diagnosed):
    """Of 100 parcels, 49 with a zone prefix in their eastings are findings of their own; 51 make
    the layer's CRS wrong, and the diagnosis says which one they fit."""
    boxes = [box(100 * k, 0, 100 * k + 50, 50) for k in range(100)]
    prefixed = [shapely.affinity.translate(b, 38_000_000) if k < wrong else b for k, b in enumerate(boxes)]
    f = gpd.GeoDataFrame(geometry=prefixed, crs=GK)
    assert int(crs.misplaced(f).sum()) == wrong
    message = crs.diagnose_crs(f)
    assert (message is not None) == diagnosed
    if diagnosed:
        assert "EPSG:4526" in message  # the same zone with the prefix


# --- the ellipsoidal method's switch at 1 km: areal scale below, Karney's exact area above ------


@pytest.mark.parametrize("crs_", [GK, LONLAT])
@pytest.mark.parametrize("side", SIDES)
def test_features_over_1_km_are_measured_by_karney_exactly(side, crs_):
    """A square whose bounding-box diagonal is 0.99 km is measured by areal scale (agreeing with
    Karney to 1e-8, as documented); 1.01 km, by Karney's geodesic area itself (to 1e-12)."""
    side_m = 1000 * EDGE[side] / np.sqrt(2)
    if crs_ == GK:
        g = box(0, 0, side_m, side_m)
    else:  # drawn in lon/lat, its sides side_m long on the ellipsoid
        lon, lat = 112.9, 33.74
        east = GEOD.fwd(lon, lat, 90, side_m)[0]
        north = GEOD.fwd(lon, lat, 0, side_m)[1]
        g = shapely.box(lon, lat, east, north)
    got = landkit.area(gpd.GeoSeries([g], crs=crs_)).iloc[0]
    assert got == pytest.approx(karney(g, crs_), rel=1e-8 if side == "inside" else 1e-12)


# --- 9. idle land: not started within a year (365 days, the rules' [idle_land] days) ------------


DUE = pd.Timestamp("2024-03-01")  # the agreed start; 365 days on is the calendar anniversary, 2025-03-01


def supplied(started=None, status="transferred"):
    return pd.DataFrame(
        {
            "project": ["X"],
            "status": [status],
            "stated_area_mu": [12.5],
            "supplied_on": [DUE - pd.Timedelta(days=90)],
            "start_due_on": [DUE],
            "started_on": [DUE + pd.Timedelta(days=started) if started is not None else pd.NaT],
        },
        index=["P"],
    )


@pytest.mark.parametrize(
    ("today", "started", "idle"),
    [
        (365, None, False),  # the year's last day: not idle yet
        (366, None, True),  # the day after: idle, one day overdue
        (2000, 365, False),  # started on the year's last day: never idle
        (2000, 366, True),  # started a day late: idle from the day after the year
    ],
)
def test_land_is_idle_the_day_after_a_year_without_construction(today, started, idle):
    assert DUE + pd.Timedelta(days=365) == pd.Timestamp("2025-03-01")  # a year, by the calendar too
    found = reserve.idle_land(supplied(started), as_of=DUE + pd.Timedelta(days=today))
    assert list(found.index) == (["P"] if idle else [])
    if idle:
        assert found["idle_since"].iloc[0] == pd.Timestamp("2025-03-01")
        assert found["days_overdue"].iloc[0] == today - 365


@pytest.mark.parametrize(("today", "stage"), [(730, "闲置"), (731, "可无偿收回")])
def test_idle_land_is_recoverable_the_day_after_two_years(today, stage):
    found = reserve.idle_land(supplied(), as_of=DUE + pd.Timedelta(days=today))
    assert found["stage"].tolist() == [stage]
    assert found["recoverable_from"].iloc[0] == DUE + pd.Timedelta(days=730)


@pytest.mark.parametrize(("today", "idle"), [(200, False), (201, True)])
def test_the_rules_idle_period_moves_the_edge(today, idle):
    days = reserve.idle_days(audit.load_rules("[idle_land]\ndays = 200\n"))
    assert days == 200
    found = reserve.idle_land(supplied(), as_of=DUE + pd.Timedelta(days=today), period_days=days)
    assert list(found.index) == (["P"] if idle else [])


def test_land_not_yet_supplied_is_never_idle():
    assert reserve.idle_land(supplied(status="reserved"), as_of=DUE + pd.Timedelta(days=2000)).empty
    assert list(reserve.idle_land(supplied(status="allocated"), as_of=DUE + pd.Timedelta(days=2000)).index) == ["P"]


# --- 10. rounding: half up, once; parts add up to the total shown ------------------------------


def half_up(value, decimals):
    """The exact binary value rounded half away from zero (四舍五入), by Python's decimal module."""
    return float(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("value", "decimals"),
    [
        (0.125, 2),  # exactly half a cent: up
        (np.nextafter(0.125, 0), 2),  # a hair under half: down
        (np.nextafter(0.125, 1), 2),
        (-0.125, 2),  # half: away from zero
        (0.375, 2),
        (2.5, 0),
        (np.nextafter(2.5, 0), 0),
        (3.5, 0),
        (2975.6477, 2),
        (666.0625, 3),  # 1/16: exactly half a unit of the third decimal
    ],
)
def test_a_figure_is_rounded_half_up_once(value, decimals):
    assert units.shown([value], decimals)[0] == half_up(value, decimals)


@pytest.mark.parametrize(
    ("values", "decimals"),
    [
        ([1.004, 1.004, 1.004], 2),
        ([0.125, 0.125], 2),  # two exact halves
        ([0.25, 0.5], 1),  # the total is exactly half a unit: up
        ([0.125, 0.125], 1),  # 2.5 tenths: up to 0.3 (not to the even 0.2)
        ([0.25, np.nextafter(0.5, 0)], 1),  # a hair under half: down
        ([0.124, 0.124, 0.124, 0.124], 2),
        ([666.6666, 1333.3333, 0.0001], 2),
    ],
)
def test_balanced_parts_add_up_exactly_to_the_total_shown(values, decimals):
    """强制调平: each part is its value rounded down or up by one unit, and the parts add up to the
    parts' exact sum rounded half up (computed here with fractions, not floats)."""
    exact = sum(Fraction(v) for v in values)
    with localcontext() as ctx:
        ctx.prec = 80
        total = Decimal(exact.numerator) / Decimal(exact.denominator)
        total = total.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    scale = 10**decimals
    parts = units.balanced_round(values, decimals)
    steps = np.rint(np.asarray(parts) * scale).astype(int)
    assert np.array_equal(np.asarray(parts), steps / scale)
    assert int(steps.sum()) == int(total * scale)
    floors = np.array([int(Fraction(v) * scale // 1) for v in values])
    bumped = steps == floors + 1
    assert (bumped | (steps == floors)).all()
    # the units missing go to the parts that lost most in rounding down (largest remainder)
    lost = [Fraction(v) * scale - f for v, f in zip(values, floors, strict=True)]
    if bumped.any() and not bumped.all():
        assert min(r for r, b in zip(lost, bumped, strict=True) if b) >= max(
            r for r, b in zip(lost, bumped, strict=True) if not b
        )
    assert units.total(parts, decimals) == float(total)


# --- 11. no geometry: no measure (NaN), never 0 -------------------------------------------------


NOTHING = [None, shapely.Polygon(), shapely.MultiPolygon()]


@pytest.mark.parametrize(
    ("method", "crs_"),
    [
        ("ellipsoidal", GK),
        ("ellipsoidal", LONLAT),
        ("cn2008", GK),
        ("cn2008", LONLAT),
        ("planar", GK),
        ("planar", LONLAT),
    ],
)
@pytest.mark.parametrize("unit", ["m2", "mu"])
def test_a_feature_without_geometry_has_no_area(method, crs_, unit):
    s = gpd.GeoSeries([box(0, 0, 50, 50), *NOTHING], crs=GK).to_crs(crs_)
    got = landkit.area(s, method=method, zone=GK if method == "planar" else None, unit=unit)
    assert got.iloc[1:].isna().all()
    expected = 2500.0 if method == "planar" else karney(box(0, 0, 50, 50))  # the plane's own square metres
    assert got.iloc[0] * (M2_PER_MU if unit == "mu" else 1) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("crs_", [GK, LONLAT])
def test_figures_and_the_area_report_leave_out_features_without_geometry(crs_):
    f = gpd.GeoDataFrame(geometry=[box(0, 0, 50, 50), *NOTHING], index=list("PQRS"), crs=GK).to_crs(crs_)
    fig = measure.figures(f)
    assert fig.loc[["Q", "R", "S"]].isna().all().all()
    assert fig.loc["P", "area_m2"] == pytest.approx(karney(box(0, 0, 50, 50)), abs=0.005)
    assert fig.loc["P", "area_m2"] * 100 == round(fig.loc["P", "area_m2"] * 100)  # rounded to the cent
    shown, excluded, _ = measure.area_report(f)
    assert list(shown.index) == ["P"] and list(excluded.index) == ["Q", "R", "S"]
    assert excluded["reason"].str.startswith("no geometry").all()


@pytest.mark.parametrize("crs_", [GK, LONLAT])
@pytest.mark.parametrize("unit", ["m", "km"])
def test_a_missing_or_empty_line_has_no_length(crs_, unit):
    line = shapely.LineString([at(0, 0), at(300, 400), at(300, 900)])
    s = gpd.GeoSeries([line, None, shapely.LineString(), shapely.MultiLineString()], crs=GK).to_crs(crs_)
    got = landkit.length(s, unit=unit)
    assert got.iloc[1:].isna().all()
    lon, lat = Transformer.from_crs(GK, LONLAT, always_xy=True).transform(*np.asarray(line.coords).T)
    metres = sum(GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2])
    assert got.iloc[0] == pytest.approx(metres / (1000 if unit == "km" else 1), rel=1e-9)


def test_land_take_of_a_parcel_without_geometry_is_unknown_not_zero():
    """A parcel without geometry takes no measurable land: NaN in every class and in 耕地, so that
    no 占补平衡 sum counts it as 0; a parcel on no land-use polygon takes none (0)."""
    parcels = gpd.GeoDataFrame(
        geometry=[box(0, 0, 50, 50), box(500, 0, 550, 50), *NOTHING], index=list("PFQRS"), crs=GK
    )
    use = gpd.GeoDataFrame({"code": ["0101", "0201"]}, geometry=[box(-10, -10, 25, 60), box(25, -10, 60, 60)], crs=GK)
    take = constraints.land_take(parcels, use)
    assert take.loc[["Q", "R", "S"]].isna().all().all()
    assert take.loc["F"].tolist() == [0.0] * len(take.columns)
    assert take.loc["P", "cultivated_mu"] == pytest.approx(karney(box(0, 0, 25, 50)) / M2_PER_MU, abs=0.005)


def test_distance_and_displacement_of_a_village_without_geometry_are_unknown():
    villages = gpd.GeoDataFrame(
        {"name": ["a", "b"], "batch": [1, 1]}, geometry=[box(0, 0, 50, 50), None], index=["V1", "V2"], crs=GK
    )
    communities = gpd.GeoDataFrame(geometry=[box(3000, 4000, 3050, 4050)], index=["C1"], crs=GK)
    km = relocation.distances_km(villages, communities)
    assert np.isnan(km.loc["V2", "C1"])
    lon, lat = Transformer.from_crs(GK, LONLAT, always_xy=True).transform([X0 + 25, X0 + 3025], [Y0 + 25, Y0 + 4025])
    assert km.loc["V1", "C1"] == pytest.approx(GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000, rel=1e-9)
    freed = relocation.displacement(None, villages)["freed_mu"]
    assert np.isnan(freed["V2"]) and freed["V1"] == pytest.approx(karney(box(0, 0, 50, 50)) / M2_PER_MU, abs=0.005)


# --- the rules file's bounds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "key", "edge"),
    [
        ("gap", "max_width_m", 50.0),  # a gap is a sliver, not a street
        ("overlap", "snap_m", 5.0),
        ("overlap", "min_area_m2", 1e6),
        ("area_mismatch", "map_scale", 1e7),
    ],
)
@pytest.mark.parametrize("side", SIDES)
def test_a_rules_threshold_is_refused_beyond_its_bound(side, rule, key, edge):
    text = f"[{rule}]\n{key} = {edge * EDGE[side]!r}\n"
    if side == "inside":
        assert audit.load_rules(text)[rule][key] == edge * EDGE[side]
    else:
        with pytest.raises(DataError, match="must be at most"):
            audit.load_rules(text)


@pytest.mark.parametrize(
    ("rule", "key", "value", "ok"),
    [
        ("gap", "min_area_m2", 0.0, True),  # zero is allowed (report any area)
        ("gap", "min_area_m2", -0.01, False),
        ("overlap", "snap_m", 0.0, True),  # exact geometry
        ("area_mismatch", "map_scale", 0.01, True),
        ("area_mismatch", "map_scale", 0.0, False),  # a scale must be positive
    ],
)
def test_a_rules_threshold_is_refused_below_its_bound(rule, key, value, ok):
    text = f"[{rule}]\n{key} = {value!r}\n"
    if ok:
        assert audit.load_rules(text)[rule][key] == value
    else:
        with pytest.raises(DataError, match="must be"):
            audit.load_rules(text)
