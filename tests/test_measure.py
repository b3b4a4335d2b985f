"""landkit's areas against Karney's geodesic area (pyproj Geod), computed here independently."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

import landkit
from landkit.errors import LandkitWarning
from tests.geodesy import GEOD, karney_m2

CENTRE = Transformer.from_crs(4490, 4547, always_xy=True).transform(112.9, 33.74)


def square(side_m, *, dx=0.0, dy=0.0):
    """A square drawn in the EPSG:4547 plane around 112.9E 33.74N, edges densified to 10 m."""
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    h = side_m / 2
    return shapely.segmentize(shapely.box(x - h, y - h, x + h, y + h), 10)


def series(geoms, crs="EPSG:4547"):
    return gpd.GeoSeries(list(geoms), crs=crs)


# Reference values from shared/facts.md (independent: measured with GeographicLib/PostGIS).
@pytest.mark.parametrize(
    ("side", "expected"),
    [
        (np.sqrt(10000 / 15), 666.495977),
        (np.sqrt(100 * 10000 / 15), 66649.5976),
        (1000.0, 999743.9628),
        (np.sqrt(30e6), 29992317.10),
    ],
)
@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:4547", "EPSG:4526"])
def test_reference_squares_in_three_crss(side, expected, crs):
    s = series([square(side)]).to_crs(crs)
    got = landkit.area(s).iloc[0]
    assert got == pytest.approx(expected, rel=2e-9, abs=1e-6)
    assert got == pytest.approx(karney_m2(s.to_crs(4490).iloc[0]), rel=1e-7)


@pytest.mark.parametrize("side", [np.sqrt(10000 / 15), 1000.0, np.sqrt(30e6)])
def test_cn2008_agrees_with_karney_to_1e_8(side):
    s = series([square(side)])
    got = landkit.area(s, method="cn2008").iloc[0]
    assert got == pytest.approx(karney_m2(s.to_crs(4490).iloc[0]), rel=1e-8)


def test_holes_multipart_and_clockwise_rings():
    outer = square(1000)
    hole = square(200, dx=100)
    with_hole = shapely.Polygon(outer.exterior, [hole.exterior])
    clockwise = shapely.Polygon(list(outer.exterior.coords)[::-1])
    same_orientation_hole = shapely.Polygon(outer.exterior, [list(hole.exterior.coords)[::-1]])
    multi = shapely.MultiPolygon([square(300, dx=-2000), square(400, dx=2000)])
    s = series([with_hole, clockwise, same_orientation_hole, multi])
    expected = [karney_m2(g) for g in s.to_crs(4490)]
    hole_m2 = karney_m2(series([hole]).to_crs(4490).iloc[0])
    for method in ({}, {"method": "cn2008", "densify_m": 5}):
        got = landkit.area(s, **method).to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-7)
        # landkit's own figures: the hole is subtracted whichever way its ring runs, and by its own area
        assert got[2] == pytest.approx(got[0], rel=1e-9)
        assert got[1] - got[0] == pytest.approx(hole_m2, rel=1e-5)


def test_sample_parcels_agree_with_karney(sample_layers):
    p = sample_layers["parcels"]
    expected = np.array([karney_m2(g) for g in p.to_crs(4490).geometry])
    np.testing.assert_allclose(landkit.area(p).to_numpy(), expected, rtol=1e-7)
    # the notice's formula over the vertices as given: its mean-longitude quadrature is off by up
    # to 7e-6 on parcel edges (under 0.01 m² here); densified to 5 m it follows Karney to 1e-7
    np.testing.assert_allclose(landkit.area(p, method="cn2008").to_numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(landkit.area(p, method="cn2008", densify_m=5).to_numpy(), expected, rtol=1e-7)


def test_result_is_index_aligned_named_and_says_its_method(sample_layers):
    z = sample_layers["planning_zones"]
    a = landkit.area(z, unit="mu")
    assert a.name == "area_mu" and list(a.index) == list(z.index)
    assert "ellipsoidal" in a.attrs["area_method"] and "CGCS2000" in a.attrs["area_method"]
    assert "2008" in landkit.area(z, method="cn2008").attrs["area_method"]
    planar = landkit.area(z, method="planar", zone="EPSG:4547")
    assert "EPSG:4547" in planar.attrs["area_method"] and "not ellipsoidal" in planar.attrs["area_method"]


def test_missing_and_empty_geometry_give_nan_not_zero():
    s = series([square(100), None, shapely.Polygon()])
    a = landkit.area(s)
    assert a.iloc[0] > 0 and np.isnan(a.iloc[1]) and np.isnan(a.iloc[2])


def test_planar_area_in_the_right_zone_and_a_warning_in_the_wrong_one():
    s = series([square(1000)])
    ellipsoidal = landkit.area(s).iloc[0]
    right = landkit.area(s, method="planar", zone="EPSG:4547").iloc[0]
    assert right / ellipsoidal - 1 == pytest.approx(2.561e-4, rel=1e-3)  # shared/facts.md
    with pytest.warns(LandkitWarning, match=r"1\.\d\d degrees from the central meridian 111E.*EPSG:4547"):
        wrong = landkit.area(s, method="planar", zone="EPSG:4546").iloc[0]
    assert wrong / ellipsoidal - 1 == pytest.approx(7.643e-4, rel=1e-3)
    with pytest.warns(LandkitWarning, match="Pseudo-Mercator are about 45% too large"):
        landkit.area(s, method="planar", zone="EPSG:3857")


def test_planar_needs_a_zone_and_methods_are_checked():
    with pytest.raises(ValueError, match="zone="):
        landkit.area(series([square(10)]), method="planar")
    with pytest.raises(ValueError, match="unknown area method"):
        landkit.area(series([square(10)]), method="shoelace")


def test_geodesic_length_of_roads(sample_layers):
    roads = sample_layers["roads"]
    expected = [GEOD.geometry_length(g) / 1000 for g in roads.to_crs(4490).geometry]
    np.testing.assert_allclose(landkit.length(roads).to_numpy(), expected, rtol=1e-9)


# Property tests: random triangles to hexagons of parcel size, drawn around the local origin
# (so that GEOS's overlays run on small coordinates) and measured near the county seat.
coord = st.floats(-300, 300, allow_nan=False, allow_infinity=False)
polygon = st.lists(st.tuples(coord, coord), min_size=3, max_size=6).map(
    lambda pts: shapely.convex_hull(shapely.MultiPoint(pts))
)
polygonal = polygon.filter(lambda g: g.geom_type == "Polygon" and g.area > 1.0)


def placed(geoms):
    return series([shapely.affinity.translate(g, *CENTRE) for g in geoms])


@settings(max_examples=60, deadline=None)
@given(polygonal, polygonal)
def test_area_of_union_is_inclusion_exclusion(a, b):
    union, inter = shapely.union(a, b), shapely.intersection(a, b)
    # An edge straight in the Gauss-Krueger plane is a hair curved on the ellipsoid, so a
    # vertex the overlay inserts on it moves the area by up to ~1e-7 of the polygon; densified
    # to 1 m, every piece follows the same curve and additivity is exact to rounding.
    pieces = shapely.segmentize([union, a, b, inter], 1.0)
    got = landkit.area(placed(pieces)).fillna(0).to_numpy()
    assert got[0] == pytest.approx(got[1] + got[2] - got[3], rel=1e-9, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(polygonal, st.integers(0, 10))
def test_area_ignores_orientation_and_starting_vertex(poly, shift):
    ring = list(poly.exterior.coords)[:-1]
    k = shift % len(ring)
    rotated = shapely.Polygon(ring[k:] + ring[:k])
    reversed_ = shapely.Polygon(ring[::-1])
    for method in ("ellipsoidal", "cn2008"):
        got = landkit.area(placed([poly, rotated, reversed_]), method=method).to_numpy()
        # abs: rounding in the projection is ~1e-9 m on a coordinate, ~1e-8 m2 on a small polygon
        assert got[1] == pytest.approx(got[0], rel=1e-9, abs=1e-7)
        assert got[2] == pytest.approx(got[0], rel=1e-9, abs=1e-7)


def _sheet_m2(west, south, dlon_deg, dlat_deg):
    """A map sheet's theoretical area, the notice's closed form S = 2b²ΔL[A sin(dB/2)cos Bm − …] (facts.md)."""
    a, f = 6378137.0, 1 / 298.257222101
    e2 = 2 * f - f * f
    b = a * (1 - f)
    ca = 1 + 3 / 6 * e2 + 30 / 80 * e2**2 + 35 / 112 * e2**3 + 630 / 2304 * e2**4
    cb = 1 / 6 * e2 + 15 / 80 * e2**2 + 21 / 112 * e2**3 + 420 / 2304 * e2**4
    cc = 3 / 80 * e2**2 + 7 / 112 * e2**3 + 180 / 2304 * e2**4
    cd = 1 / 112 * e2**3 + 45 / 2304 * e2**4
    ce = 5 / 2304 * e2**4
    b1, b2 = np.radians(south), np.radians(south + dlat_deg)
    db, bm = b2 - b1, (b1 + b2) / 2
    series_ = (
        ca * np.sin(db / 2) * np.cos(bm)
        - cb * np.sin(3 * db / 2) * np.cos(3 * bm)
        + cc * np.sin(5 * db / 2) * np.cos(5 * bm)
        - cd * np.sin(7 * db / 2) * np.cos(7 * bm)
        + ce * np.sin(9 * db / 2) * np.cos(9 * bm)
    )
    return 2 * b**2 * np.radians(dlon_deg) * series_


#: China's topographic map sheets: scale -> (longitude, latitude) extent in degrees (GB/T 13989)
SHEETS = {
    5_000: (1.875 / 60, 1.25 / 60),
    10_000: (3.75 / 60, 2.5 / 60),
    25_000: (7.5 / 60, 5 / 60),
    50_000: (15 / 60, 10 / 60),
    100_000: (30 / 60, 20 / 60),
    250_000: (1.5, 1.0),
    500_000: (3.0, 2.0),
    1_000_000: (6.0, 4.0),
}


@pytest.mark.parametrize("scale", list(SHEETS))
@pytest.mark.parametrize("south", [20.0, 33.5, 44.0])
def test_cn2008_reproduces_the_theoretical_sheet_areas(scale, south):
    """A sheet given by its 4 corners: the notice's formula over the vertices gives the closed form."""
    dlon, dlat = SHEETS[scale]
    west = 111.0
    sheet = gpd.GeoSeries([shapely.box(west, south, west + dlon, south + dlat)], crs="EPSG:4490")
    expected = _sheet_m2(west, south, dlon, dlat)
    assert landkit.area(sheet, method="cn2008").iloc[0] == pytest.approx(expected, rel=1e-12)
    assert "vertices as given" in landkit.area(sheet, method="cn2008").attrs["area_method"]
