"""landkit's areas against Karney's geodesic area (pyproj Geod), computed here independently."""

import re
import warnings

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


# --- inputs the measure refuses, and the CRS it measures in ------------------------------------


def test_a_layer_without_a_crs_is_refused_and_the_message_says_how_to_declare_one():
    with pytest.raises(landkit.errors.CRSError, match=r"^the layer has no coordinate reference system\."):
        landkit.area(gpd.GeoSeries([square(100)]))
    with pytest.raises(landkit.errors.CRSError, match=r"^the layer .*set_crs\('EPSG:4547'\)"):
        landkit.length(gpd.GeoDataFrame(geometry=[shapely.LineString([CENTRE, (CENTRE[0] + 10, CENTRE[1])])]))


def test_a_geodataframe_is_measured_by_its_active_geometry_column():
    """Not by the first column that happens to hold geometries: here `outline` (a 1 km square)
    comes first, the active geometry `parcel` (a 100 m square) second."""
    f = gpd.GeoDataFrame({"outline": [square(1000)], "parcel": [square(100)]}, geometry="parcel", crs="EPSG:4547")
    f["outline"] = gpd.GeoSeries(f["outline"], crs="EPSG:4547")
    assert landkit.area(f).iloc[0] == pytest.approx(karney_m2(series([square(100)]).to_crs(4490).iloc[0]), rel=1e-8)


def laea_centre(crs):
    """The (latitude, longitude) of a Lambert azimuthal equal-area CRS's centre, read from PROJ's parameters."""
    assert crs.coordinate_operation.method_name == "Lambert Azimuthal Equal Area"
    p = {q.name: q.value for q in crs.coordinate_operation.params}
    return p["Latitude of natural origin"], p["Longitude of natural origin"]


def test_the_equal_area_crs_is_centred_on_the_data_on_the_cgcs2000_ellipsoid():
    s = gpd.GeoSeries([shapely.box(112.8, 33.6, 113.0, 33.9), None], crs="EPSG:4490")
    laea = landkit.measure.equal_area_crs(s)
    assert laea_centre(laea) == (pytest.approx(33.75, abs=1e-6), pytest.approx(112.9, abs=1e-6))
    assert laea.ellipsoid.semi_major_metre == 6378137.0
    assert laea.ellipsoid.inverse_flattening == pytest.approx(298.257222101, rel=1e-12)
    # a point has no extent (south == north): its own centre
    point = gpd.GeoSeries([shapely.Point(112.9, 33.74)], crs="EPSG:4490")
    assert laea_centre(landkit.measure.equal_area_crs(point)) == pytest.approx((33.74, 112.9), abs=1e-6)
    # nothing to measure: any centre does, and it is 0, 0 rather than an error
    assert laea_centre(landkit.measure.equal_area_crs(gpd.GeoSeries([None], crs="EPSG:4490"))) == (0, 0)


@pytest.mark.parametrize(
    ("south", "north", "refused"),
    [
        (-90.0, -89.99, None),
        (89.99, 90.0, None),
        (-90.9, -89.99, "90.9"),
        (89.99, 90.9, "90.9"),
        (30.0, 112.9, "112.9"),
    ],
)
def test_the_equal_area_crs_refuses_latitudes_beyond_the_poles(south, north, refused):
    """Latitude 90 (a pole) is on the ellipsoid; 1.01 x 90 is not, nor is 112.9 (a longitude read as a
    latitude): the message names the latitude reached and suggests the axes are swapped."""
    s = gpd.GeoSeries([shapely.box(112.9, south, 112.91, north)], crs="EPSG:4490")
    if refused is None:
        assert laea_centre(landkit.measure.equal_area_crs(s))[0] == pytest.approx((south + north) / 2, abs=1e-6)
    else:
        with pytest.raises(
            landkit.errors.CRSError,
            match=rf"^coordinates reach latitude {refused}: they cannot be in China Geodetic Coordinate System 2000; "
            r"check the declared CRS \(are longitude and latitude swapped\?\)$",
        ):
            landkit.measure.equal_area_crs(s)


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (None, r"^a planar area needs the projection to measure in: --zone / zone=, e\.g\. EPSG:4547$"),
        ("EPSG:999999", r"^'EPSG:999999' is not a CRS PROJ knows; give an EPSG code such as EPSG:4547$"),
        (
            "EPSG:4490",
            r"^EPSG:4490 \(China Geodetic Coordinate System 2000\) is not a projection: its units are degrees, so a "
            r"planar area would be in square degrees\. Give a projected CRS such as EPSG:4547, or use the ellipsoidal "
            r"default$",
        ),
    ],
)
def test_planar_areas_need_a_projection_and_say_which_to_give(zone, message):
    with pytest.raises(landkit.errors.CRSError, match=message):
        landkit.area(series([square(10)]), method="planar", zone=zone)


# --- the ellipsoidal method: areal scale up to 1 km across, Karney's geodesic area beyond ------


@pytest.fixture
def by_scale(monkeypatch):
    """Each call of measure._scale_m2 (the areal-scale method): the CRS it measured in and the areas it gave."""
    calls = []
    real = landkit.measure._scale_m2

    def spy(g, crs):
        out = real(g, crs)
        calls.append((crs, out))
        return out

    monkeypatch.setattr(landkit.measure, "_scale_m2", spy)
    return calls


FEET_TM = "+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=ft +no_defs +type=crs"


def rectangle(crs, east_m, north_m):
    """A rectangle east_m x north_m from 112.9E 33.74N, its sides straight in ``crs``: drawn in the plane
    of a projection (in its own unit), or in lon/lat with sides of that many metres on the ellipsoid."""
    if crs in ("EPSG:4490", "EPSG:3857"):
        east, north = GEOD.fwd(112.9, 33.74, 90, east_m)[0], GEOD.fwd(112.9, 33.74, 0, north_m)[1]
        return gpd.GeoSeries([shapely.box(112.9, 33.74, east, north)], crs="EPSG:4490").to_crs(crs)
    unit = 0.3048 if crs == FEET_TM else 1.0
    x, y = Transformer.from_crs(4490, crs, always_xy=True).transform(112.9, 33.74)
    return gpd.GeoSeries([shapely.box(x, y, x + east_m / unit, y + north_m / unit)], crs=crs)


@pytest.mark.parametrize("crs", ["EPSG:4547", FEET_TM, "EPSG:4490", "EPSG:3857"])
@pytest.mark.parametrize("side", ["inside", "outside"])
def test_features_up_to_1_km_across_are_measured_by_areal_scale_in_any_unit(crs, side, by_scale):
    """A 4:1 rectangle whose diagonal is 0.99 km (in metres, whatever the CRS's unit) is measured by
    areal scale, in the layer's own projection when its scale is exact (Gauss-Krueger in metres or
    feet), and agrees with Karney to 1e-8; at 1.01 km it is Karney's geodesic area itself."""
    diag = 1000 * {"inside": 0.99, "outside": 1.01}[side]
    s = rectangle(crs, diag * 4 / np.sqrt(17), diag / np.sqrt(17))
    got = landkit.area(s).iloc[0]
    expected = karney_m2(s.to_crs(4490).iloc[0])
    if side == "inside":
        ((measured_in, measured),) = by_scale
        assert (measured_in == s.crs) == (crs in ("EPSG:4547", FEET_TM))
        assert got == measured[0]
        assert got == pytest.approx(expected, rel=1e-8)
    else:
        assert by_scale == []
        assert got == pytest.approx(expected, rel=1e-12)


def test_the_1_km_switch_includes_1_km(by_scale):
    """A 600 m x 800 m rectangle drawn in EPSG:4547: its bounding-box diagonal is exactly 1000 m."""
    s = rectangle("EPSG:4547", 600, 800)
    got = landkit.area(s).iloc[0]
    ((measured_in, measured),) = by_scale
    assert measured_in == s.crs and got == measured[0]


@pytest.mark.parametrize(
    ("west", "meridian"),
    [(112.4985, 111), (112.4996, 114), (115.4985, 114), (115.4996, 117), (73.4996, 75)],
)
def test_a_small_lonlat_parcel_is_measured_in_the_transverse_mercator_of_its_3_degree_band(west, meridian, by_scale):
    """A 0.001-degree parcel (about 90 m x 110 m) in lon/lat or Web Mercator: the areal scale of the
    transverse Mercator on CGCS2000 centred on its 3-degree band (3n - 1.5 <= centre < 3n + 1.5)."""
    box = shapely.box(west, 33.74, west + 0.001, 33.741)
    for crs in ("EPSG:4490", "EPSG:3857"):
        by_scale.clear()
        s = gpd.GeoSeries([box], crs="EPSG:4490").to_crs(crs)
        got = landkit.area(s).iloc[0]
        ((tm, measured),) = by_scale
        op = tm.coordinate_operation
        params = {p.name: p.value for p in op.params}
        assert op.method_name == "Transverse Mercator" and params["Longitude of natural origin"] == meridian
        assert params["Scale factor at natural origin"] == 1
        assert tm.ellipsoid.semi_major_metre == 6378137.0
        assert tm.ellipsoid.inverse_flattening == pytest.approx(298.257222101, rel=1e-12)
        assert got == measured[0] == pytest.approx(karney_m2(box), rel=1e-8)


def test_a_parcel_in_feet_is_measured_in_square_metres():
    """A 100 m x 60 m parcel drawn in a transverse Mercator in international feet: ellipsoidal, and
    planar in that projection (6000 m2 by hand)."""
    s = rectangle(FEET_TM, 100, 60)
    got = landkit.area(s, unit="m2").iloc[0]
    assert got == pytest.approx(karney_m2(s.to_crs(4490).iloc[0]), rel=1e-8)
    assert got == pytest.approx(6000, rel=1e-3)  # the plane's scale there is 1 + 1.5e-4
    assert landkit.area(s, method="planar", zone=FEET_TM).iloc[0] == pytest.approx(6000, rel=1e-10)


@pytest.mark.parametrize("method", ["ellipsoidal", "cn2008"])
def test_a_collection_is_measured_by_its_polygons_and_one_without_any_has_no_area(method):
    """An overlay's output: a GeometryCollection of a polygon and a line is the polygon's area; one of
    a line and a point has none (NaN, not 0); each row keeps its own."""
    p, q, big = square(100), square(300, dx=2000), square(2000, dx=-5000)
    line = shapely.LineString([CENTRE, (CENTRE[0] + 50, CENTRE[1])])
    s = series(
        [
            shapely.GeometryCollection([line, shapely.Point(CENTRE)]),
            shapely.GeometryCollection([p, line]),
            q,
            shapely.GeometryCollection([shapely.Point(CENTRE), shapely.MultiPolygon([q])]),
            line,
            shapely.GeometryCollection([line, big]),
        ]
    )
    got = landkit.area(s, method=method).to_numpy()
    expected = [np.nan] + [karney_m2(g) for g in series([p, q, q]).to_crs(4490)] + [np.nan]
    expected.append(karney_m2(series([big]).to_crs(4490).iloc[0]))
    np.testing.assert_allclose(got, expected, rtol=1e-8)


@pytest.mark.parametrize("method", ["ellipsoidal", "cn2008"])
def test_a_layer_of_missing_geometries_has_no_areas_and_no_warnings(method):
    s = series([None, shapely.Polygon()])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = landkit.area(s, method=method, densify_m=5 if method == "cn2008" else None)
        assert np.isnan(got).all() and len(got) == 2
        assert np.isnan(landkit.area(s, method=method)).all()


@pytest.mark.parametrize("lat", [0.0, 20.0, 40.0, 60.0])
@pytest.mark.parametrize("dlat", [1e-3, 1.0])
def test_the_band_factor_is_the_notices_series_to_the_last_digit(lat, dlat):
    """measure._band_area_factor against the notice's closed form written out here (_sheet_m2) for one
    radian of longitude: to a few units of the last place, so that each coefficient of the series,
    down to the e^8 terms (a few 1e-14 of the area), is the notice's."""
    got = landkit.measure._band_area_factor(np.radians(lat), np.radians(lat + dlat))
    assert got == pytest.approx(_sheet_m2(0.0, lat, np.degrees(1.0), dlat), rel=4e-15)


# --- the report's figures: each feature rounded once, and what is left out with the reason -----


def gk_box(w, h, dx=0.0, dy=0.0):
    """A w x h rectangle drawn in EPSG:4547 near the county seat: its planar area there is w x h, by hand."""
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    return shapely.box(x, y, x + w, y + h)


P_M2 = 25 * 49.38268  # 1234.567 m2: 1.8518505 mu, 0.1234567 ha, 0.001234567 km2
GK_LABEL = "planar (EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E), not ellipsoidal"


@pytest.mark.parametrize(
    ("unit", "expected"), [("m2", 1234.57), ("mu", 1.85), ("ha", 0.1235), ("km2", 0.001235)], ids=str
)
def test_area_report_rounds_each_feature_once_to_its_units_decimals(unit, expected):
    """m2 and mu to 0.01, ha to 0.0001, km2 to 0.000001 (one digit more would show 1234.567, 1.852,
    0.12346, 0.0012346), and always area_m2 to 0.01 beside it."""
    f = gpd.GeoDataFrame(geometry=[gk_box(25, 49.38268)], index=["P"], crs="EPSG:4547")
    shown, excluded, label = landkit.measure.area_report(f, unit=unit, method="planar", zone="EPSG:4547")
    assert list(shown.columns) == (["area_m2"] if unit == "m2" else ["area_m2", f"area_{unit}"])
    assert shown.loc["P", "area_m2"] == 1234.57
    assert shown.loc["P", f"area_{unit}"] == expected
    assert list(shown.index) == ["P"] and excluded.empty and list(excluded.columns) == ["reason"]
    assert label == GK_LABEL


def test_area_report_passes_the_method_and_its_options_on():
    f = gpd.GeoDataFrame(geometry=[square(1000)], index=["P"], crs="EPSG:4547")
    karney = karney_m2(f.to_crs(4490).geometry.iloc[0])
    shown, _, label = landkit.measure.area_report(f, unit="ha")
    assert label == landkit.measure.ELLIPSOIDAL and "CGCS2000 ellipsoid" in label
    assert shown.loc["P", "area_m2"] == pytest.approx(karney, abs=0.005)
    assert shown.loc["P", "area_ha"] == pytest.approx(karney / 1e4, abs=0.00005)
    shown, _, label = landkit.measure.area_report(f, method="cn2008", densify_m=5)
    assert label == "ellipsoidal (CGCS2000 ellipsoid, 国土调查办发〔2008〕32号 formula, edges densified to 5 m)"
    assert shown.loc["P", "area_mu"] == pytest.approx(karney / (10000 / 15), abs=0.005)
    _, _, label = landkit.measure.area_report(f, method="cn2008")
    assert label.endswith("formula, vertices as given)")


def test_area_report_leaves_out_what_it_cannot_measure_with_the_reason():
    bow_tie = shapely.Polygon([(CENTRE[0] + x, CENTRE[1] + y) for x, y in [(0, 0), (50, 50), (50, 0), (0, 50)]])
    county = gpd.GeoDataFrame(geometry=[gk_box(10_000, 10_000, dx=-5000, dy=-5000)], crs="EPSG:4547")
    f = gpd.GeoDataFrame(
        geometry=[
            gk_box(25, 49.38268),
            None,
            shapely.Polygon(),
            shapely.LineString([CENTRE, (CENTRE[0] + 50, CENTRE[1])]),
            gk_box(50, 50, dx=20_000),  # 20 km east: in EPSG:4547's area of use, not in the county
            bow_tie,
            shapely.GeometryCollection([gk_box(25, 49.38268, dy=100), shapely.Point(CENTRE)]),
        ],
        index=list("ABCDEFG"),
        crs="EPSG:4547",
    )
    shown, excluded, _ = landkit.measure.area_report(f, unit="mu", method="planar", zone="EPSG:4547", reference=county)
    assert list(shown.index) == ["A", "G"]
    assert shown["area_mu"].tolist() == [1.85, 1.85]
    assert excluded["reason"].to_dict() == {
        "B": "no geometry: not in the total",
        "C": "no geometry: not in the total",
        "D": "not a polygon: not in the total",
        "E": "coordinates its CRS cannot hold (outside the county or the CRS's area of use): not in the total",
        "F": "invalid geometry: not in the total",
    }
    # without the county, the parcel 20 km east is where EPSG:4547 can hold it
    shown, excluded, _ = landkit.measure.area_report(f, unit="mu", method="planar", zone="EPSG:4547")
    assert list(shown.index) == ["A", "E", "G"] and shown.loc["E", "area_mu"] == round(2500 / (10000 / 15), 2)


@pytest.mark.parametrize(
    ("geoms", "kinds"),
    [
        ([shapely.Point(CENTRE), None, shapely.LineString([CENTRE, (CENTRE[0] + 1, CENTRE[1])])], "LineString, Point"),
        ([None, None], "no geometry"),
    ],
)
def test_area_report_refuses_a_layer_without_polygons_naming_what_it_holds(geoms, kinds):
    f = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4547")
    with pytest.raises(
        landkit.errors.CRSError,
        match=rf"^the layer holds {kinds}: areas are measured on polygon layers; choose one \(e\.g\. parcels\)$",
    ):
        landkit.measure.area_report(f)


def test_figures_round_the_areas_given_once_and_carry_their_method():
    f = gpd.GeoDataFrame(geometry=[gk_box(25, 49.38268), None], index=["P", "Q"], crs="EPSG:4547")
    planar = landkit.measure.figures(f, landkit.area(f, method="planar", zone="EPSG:4547"))
    assert planar.loc["P"].tolist() == [1234.57, 1.85] and planar.loc["Q"].isna().all()
    assert list(planar.index) == ["P", "Q"] and planar.attrs["area_method"] == GK_LABEL
    default = landkit.measure.figures(f)  # measured here: ellipsoidal
    karney = karney_m2(f.to_crs(4490).geometry.iloc[0])
    assert default.loc["P", "area_m2"] == pytest.approx(karney, abs=0.005)
    assert default.loc["P", "area_mu"] == pytest.approx(karney / (10000 / 15), abs=0.005)
    assert default.attrs["area_method"] == landkit.measure.ELLIPSOIDAL


def test_length_of_multipart_lines_in_metres_aligned_to_the_index():
    """Parts are summed without the gap between them; missing and empty lines have no length (NaN)."""
    x, y = CENTRE
    a = shapely.LineString([(x, y), (x + 300, y), (x + 300, y + 400)])
    b = shapely.MultiLineString([[(x, y), (x, y + 1000)], [(x + 2000, y), (x + 2000, y + 500)]])
    f = gpd.GeoDataFrame(geometry=[a, b, None, shapely.LineString()], index=["a", "b", "c", "d"], crs="EPSG:4547")
    lonlat = f.to_crs(4490).geometry
    expected = [GEOD.geometry_length(lonlat["a"]), sum(GEOD.geometry_length(p) for p in lonlat["b"].geoms)]
    got = landkit.length(f, unit="m")
    assert got.name == "length_m" and list(got.index) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(got.to_numpy()[:2], expected, rtol=1e-12)
    assert expected[0] == pytest.approx(700, rel=1e-3) and expected[1] == pytest.approx(1500, rel=1e-3)  # by hand
    assert got[["c", "d"]].isna().all()
    assert got.attrs["length_method"] == "geodesic (CGCS2000 ellipsoid, Karney)"
    km = landkit.length(f)
    assert km.name == "length_km" and km["b"] == pytest.approx(expected[1] / 1000, rel=1e-12)


# --- planar areas: warnings where the projection distorts ---------------------------------------


def _area_and_warning(s, **options):
    """The areas and the one LandkitWarning that measuring ``s`` gives."""
    with pytest.warns(LandkitWarning) as record:
        got = landkit.area(s, **options)
    (message,) = [str(w.message) for w in record]
    return got, message


def test_web_mercator_warns_by_how_much_at_the_layers_latitude():
    s = series([square(1000)])
    planar, message = _area_and_warning(s, method="planar", zone="EPSG:3857")
    planar = planar.iloc[0]
    found = re.fullmatch(
        r"planar areas in WGS 84 / Pseudo-Mercator are about (\d+)% too large at 33\.7N; "
        r"use the ellipsoidal default or a Gauss-Krueger zone",
        message,
    )
    assert found, message
    assert int(found[1]) == pytest.approx(100 * (planar / karney_m2(s.to_crs(4490).iloc[0]) - 1), abs=1)


@pytest.mark.parametrize("hemisphere", [1, -1], ids=["north", "south"])
def test_the_meridian_warning_gives_the_largest_distortion_in_the_layer(hemisphere):
    """Two parcels 2.1 degrees west of EPSG:4547's meridian, at 20 and 45 degrees of latitude: planar
    areas are too large by about 1.2e-3 at 20 (Karney here), 6.7e-4 at 45; the warning gives the larger.
    Mirrored south of the equator, the same."""
    lats = [hemisphere * lat for lat in (20.0, 45.0)]
    s = gpd.GeoSeries([shapely.box(111.9, lat, 111.901, lat + 0.001) for lat in lats], crs="EPSG:4490")
    planar, message = _area_and_warning(s, method="planar", zone="EPSG:4547")
    worst = max(planar.to_numpy() / [karney_m2(g) for g in s] - 1)
    found = re.fullmatch(
        r"parcels lie up to 2\.10 degrees from the central meridian 114E of EPSG:4547: planar areas there are up to "
        r"(\S+) too large \((\S+) m2 per hectare\)\. Use the ellipsoidal default, or the zone EPSG:4546",
        message,
    )
    assert found, message
    assert float(found[1]) == pytest.approx(worst, rel=0.03)  # shown to 2 significant digits
    assert float(found[2]) == pytest.approx(worst * 1e4, rel=0.03)


def test_a_parcel_on_its_zones_western_edge_is_in_the_zone():
    """Zone 38 (EPSG:4547, CM 114E) begins at 112.5E: a parcel from exactly there is 1.5 degrees from
    the meridian and in its zone (no warning); 1.01 x 1.5 degrees is not."""
    inside = gpd.GeoSeries([shapely.box(112.5, 33.7, 112.501, 33.701)], crs="EPSG:4490")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert landkit.area(inside, method="planar", zone="EPSG:4547").iloc[0] > 0
    outside = gpd.GeoSeries([shapely.box(114 - 1.515, 33.7, 114 - 1.514, 33.701)], crs="EPSG:4490")
    with pytest.warns(LandkitWarning, match=r"up to 1\.5[12] degrees from the central meridian 114E"):
        landkit.area(outside, method="planar", zone="EPSG:4547")


def test_an_equal_area_projection_without_a_central_meridian_parameter_does_not_warn():
    """Albers (China's usual equal-area projection, lon_0 = 105E): its planar areas are ellipsoidal ones
    to a few 1e-7 even 8 degrees from 105E, and it has no 3-degree zone to warn about."""
    albers = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs"
    s = series([square(1000)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = landkit.area(s, method="planar", zone=albers).iloc[0]
    assert got == pytest.approx(karney_m2(s.to_crs(4490).iloc[0]), rel=1e-6)


def test_a_layer_on_an_old_datum_is_measured_with_a_warning_that_says_how_to_do_better():
    """The same numbers read as Xian 1980 / GK CM 114E (EPSG:2383) instead of CGCS2000 (EPSG:4547):
    measured on CGCS2000 after PROJ's ballpark shift, within 1e-5 of Karney's area of the CGCS2000 reading."""
    s = gpd.GeoSeries([square(1000)], crs="EPSG:2383")
    got, message = _area_and_warning(s)
    got = got.iloc[0]
    assert message == (
        "the layer is on the Xian 1980 datum: its areas are taken on the CGCS2000 ellipsoid after PROJ's ballpark "
        "shift (positions off by tens of metres; areas by about 1e-5). Reproject it with your surveying bureau's "
        "parameters (landkit import --datum-transform) for survey-grade figures"
    )
    assert got == pytest.approx(karney_m2(series([square(1000)]).to_crs(4490).iloc[0]), rel=1e-5)
