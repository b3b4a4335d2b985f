"""Areas in any CRS and unit, anywhere on Earth, each feature independent of the others, each
compared in the test with Karney's geodesic area (pyproj Geod) or a closed form."""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from pyproj import CRS

import landkit
from landkit.cli import main
from tests.geodesy import geodesic_area_m2

A, F = 6378137.0, 1 / 298.257222101


def parcels_at(lon, lat, crs, *, n=6, size_m=60.0, seed=1):
    """Irregular parcels (about size_m across) around lon/lat, drawn in metres and stored in ``crs``."""
    rng = np.random.default_rng(seed)
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=GRS80 +units=m")
    shapes = []
    for i in range(n):
        cx, cy = (i % 3) * size_m * 1.5, (i // 3) * size_m * 1.5
        angles = np.sort(rng.uniform(0, 2 * np.pi, 7))
        r = size_m / 2 * rng.uniform(0.7, 1.0, 7)
        shapes.append(shapely.Polygon(np.column_stack([cx + r * np.cos(angles), cy + r * np.sin(angles)])))
    # densified where the parcel is small (metres, around its own centre), then stored in ``crs``: its
    # edges are 20 m long in every CRS, also in lon/lat across the antimeridian, where densifying in
    # degrees would run the ring the other way round the globe. 20 m: straight and geodesic 20 m edges
    # differ by far less than 1e-9, so the independent reference follows the same edges
    dense = gpd.GeoSeries(shapely.segmentize(np.asarray(shapes, dtype=object), 20.0), crs=local)
    return gpd.GeoDataFrame({"pid": [f"P{i}" for i in range(n)]}, geometry=dense.to_crs(crs).to_numpy(),
                            crs=crs).set_index("pid")  # fmt: skip


def assert_drawn_as_meant(parcels, size_m):
    """What is measured is the parcel drawn: a few hundred vertices, and no wider than it is."""
    vertices = shapely.get_num_coordinates(parcels.geometry.to_numpy())
    assert vertices.max() <= 4 * math.pi * size_m / 20 + 16, vertices
    circle = math.pi * (size_m / 2) ** 2  # every parcel lies within a circle of this size
    assert (geodesic_area_m2(parcels) < circle).all()


@pytest.mark.parametrize(
    ("where", "lon", "lat", "crs"),
    [
        ("US-feet state plane (Los Angeles)", -118.3, 34.05, "EPSG:2229"),
        ("Web Mercator at 25N", 113.0, 25.0, "EPSG:3857"),
        ("Web Mercator at 37N", 127.0, 37.5, "EPSG:3857"),
        ("lon/lat CGCS2000", 112.9, 33.74, "EPSG:4490"),
        ("UTM 49N", 112.9, 33.74, "EPSG:32649"),
        ("Gauss-Krueger CM 114E", 112.9, 33.74, "EPSG:4547"),
        ("Gauss-Krueger with zone prefix", 112.9, 33.74, "EPSG:4526"),
        ("Taiwan TWD97", 121.5, 25.03, "EPSG:3826"),
        ("near the North Pole, polar stereographic", 10.0, 86.0, "EPSG:3413"),
        ("near the North Pole, lon/lat", 10.0, 86.0, "EPSG:4326"),
        ("at the antimeridian, lon/lat", 179.9995, -16.5, "EPSG:4326"),
        ("at the antimeridian, UTM 60S", 179.9995, -16.5, "EPSG:32760"),
    ],
)
def test_parcel_areas_agree_with_karney_in_any_crs(where, lon, lat, crs):
    # parcels of about 7 ha: Karney's own rounding (about 1e-4 m² on a densified ring) is then
    # below 1e-8 of the area, so the comparison can hold landkit to 1e-8
    parcels = parcels_at(lon, lat, crs, size_m=300.0)
    assert_drawn_as_meant(parcels, 300.0)
    if "antimeridian, lon/lat" in where:  # the parcels do straddle ±180°
        x = shapely.get_coordinates(parcels.geometry.to_numpy())[:, 0]
        assert x.max() > 179.999 and x.min() < -179.999
    got = landkit.area(parcels).to_numpy()
    expected = geodesic_area_m2(parcels)
    assert got == pytest.approx(expected, rel=1e-8), where
    small = parcels_at(lon, lat, crs, size_m=40.0)  # 0.1 ha village plots: Karney's rounding is ~5e-8 there
    assert landkit.area(small).to_numpy() == pytest.approx(geodesic_area_m2(small), rel=2e-7), where


@pytest.mark.parametrize("crs", ["EPSG:2229", "EPSG:3857"])
def test_landkit_areas_on_feet_and_web_mercator_layers(tmp_path, crs):
    parcels = parcels_at(-118.3 if crs == "EPSG:2229" else 113.0, 34.05 if crs == "EPSG:2229" else 25.0, crs, n=9)
    path = tmp_path / "foreign.gpkg"
    landkit.write_layer(parcels, path, "lots")
    out = CliRunner().invoke(
        main, ["areas", str(path), "--layer", "lots", "--id", "pid", "--unit", "m2", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    import json

    got = {f["id"]: f["area_m2"] for f in json.loads(out.stdout)["features"]}
    expected = dict(zip(parcels.index, geodesic_area_m2(parcels), strict=True))
    for pid, value in expected.items():
        assert got[pid] == pytest.approx(value, rel=1e-6, abs=0.01)  # shown to the centimetre²


def test_an_octant_is_an_eighth_of_the_ellipsoid():
    """A closed form: the ellipsoid's area is 2πa²(1 + (1−e²)/e·atanh e); an octant is an eighth."""
    e = math.sqrt(F * (2 - F))
    total = 2 * math.pi * A**2 * (1 + (1 - e**2) / e * math.atanh(e))
    octant = gpd.GeoSeries([shapely.Polygon([(0, 0), (90, 0), (0, 90)])], crs="EPSG:4490")
    assert landkit.area(octant).iloc[0] == pytest.approx(total / 8, rel=1e-9)


def test_a_china_sized_box_with_geodesic_edges():
    box = gpd.GeoSeries([shapely.box(73.5, 18.0, 135.0, 53.5)], crs="EPSG:4490")
    assert landkit.area(box).iloc[0] == pytest.approx(geodesic_area_m2(box)[0], rel=1e-9)


def test_an_area_does_not_depend_on_the_other_features_in_the_call():
    """A 30 km square measured alone and together with a feature 1,700 km away."""
    square = shapely.box(400000, 3720000, 430000, 3750000)
    far = shapely.box(1500000, 4900000, 1500100, 4900100)
    alone = landkit.area(gpd.GeoSeries([square], crs="EPSG:4547")).iloc[0]
    both = landkit.area(gpd.GeoSeries([square, far], crs="EPSG:4547")).iloc[0]
    assert both == alone
    lonlat = gpd.GeoSeries([square, far], crs="EPSG:4547").to_crs(4490)
    assert landkit.area(lonlat).iloc[0] == landkit.area(lonlat.iloc[:1]).iloc[0]
    square_alone = gpd.GeoSeries([square], crs=4547)
    assert alone == pytest.approx(geodesic_area_m2(square_alone)[0], rel=1e-9)  # geodesic edges between vertices
    dense = gpd.GeoSeries([shapely.segmentize(square, 10.0)], crs=4547)  # edges straight in the plane instead
    assert landkit.area(dense).iloc[0] == pytest.approx(geodesic_area_m2(dense)[0], rel=1e-9)
    assert abs(landkit.area(dense).iloc[0] - alone) / alone > 1e-6  # the two readings differ, and it shows


def test_areas_of_data_outside_china_are_measured_not_refused(tmp_path):
    parcels = parcels_at(121.5, 25.03, "EPSG:3826")
    path = tmp_path / "taiwan.gpkg"
    landkit.write_layer(parcels, path, "zoning")
    out = CliRunner().invoke(main, ["areas", str(path), "--layer", "zoning", "--id", "pid"])
    assert out.exit_code == 0, out.output
    assert "\n合计," in out.output


def test_a_large_polygon_across_the_antimeridian():
    across = gpd.GeoSeries([shapely.Polygon([(179, -10), (-179, -10), (-179, -12), (179, -12)])], crs="EPSG:4326")
    got = landkit.area(across).iloc[0]
    assert got == pytest.approx(geodesic_area_m2(across)[0], rel=1e-9)
    assert got < 6e10  # the 2-degree square across the date line, not the rest of the world


def test_the_same_audit_in_three_crss_gives_the_same_findings(sample_layers):
    """Gauss-Krueger (metres), lon/lat (degrees) and UTM: every threshold is metres in each."""
    from landkit import audit

    results = {}
    for crs in ("EPSG:4547", "EPSG:4490", "EPSG:32649"):
        layers = {k: (v.to_crs(crs) if isinstance(v, gpd.GeoDataFrame) else v) for k, v in sample_layers.items()}
        found = audit.audit(layers)
        results[crs] = found.assign(ids=found["ids"].map(lambda ids: tuple(sorted(ids)))).set_index(["rule", "ids"])
    base = results["EPSG:4547"]
    assert {"overlap", "gap", "outside_zone", "area_mismatch"} <= set(base.index.get_level_values("rule"))
    for crs, found in results.items():
        assert sorted(found.index) == sorted(base.index), crs
        # an edge kilometres long (the zone's) is straight in whichever CRS the layer is in: the part of a
        # parcel outside it moves by about 1 m² of 4,276 between CRSs; the findings themselves are the same
        np.testing.assert_allclose(found.loc[base.index, "area_m2"], base["area_m2"], rtol=1e-3)


# GeographicLib's published polygon areas (WGS84), from the test suite Karney ships with the
# library (geodtest.c: Planimeter0) and the geographiclib-rs documentation. landkit measures on
# CGCS2000, whose flattening differs from WGS84's by 1.6e-11; the difference is computed with
# Karney's algorithm on both ellipsoids and added, so the published figure is the reference.
PUBLISHED = [
    ("diamond around 0N 0E", [(0, -1), (-1, 0), (0, 1), (1, 0)], 24619419146.0, 1.0),
    ("a one-degree square at the equator", [(0, 0), (0, 1), (1, 1), (1, 0)], 12308778361.469452, 1e-3),
    ("an octant: the pole and two points on the equator", [(90, 0), (0, 0), (0, 90)], 63758202715511.0, 1.0),
    # around the North Pole: in the lon/lat plane these vertices lie on one line (an invalid ring,
    # area 0); on the ellipsoid their geodesic edges enclose a cap of the pole
    ("around the pole at 89N", [(89, 0), (89, 90), (89, 180), (89, -90)], 24952305678.0, 1.0),
    ("around the pole, crossing the antimeridian", [(89, 0.1), (89, 90.1), (89, -179.9)], 12476152838.5, 1.0),
]


@pytest.mark.parametrize(("name", "lat_lon", "published_m2", "tolerance_m2"), PUBLISHED)
def test_geographiclib_published_polygon_areas(name, lat_lon, published_m2, tolerance_m2):
    from pyproj import Geod

    lats, lons = [p[0] for p in lat_lon], [p[1] for p in lat_lon]
    wgs84 = abs(Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)[0])
    cgcs2000 = abs(Geod(a=A, rf=1 / F).polygon_area_perimeter(lons, lats)[0])
    assert wgs84 == pytest.approx(published_m2, abs=tolerance_m2)  # the reference itself
    assert abs(cgcs2000 - wgs84) < 1e-8 * published_m2
    polygon = shapely.Polygon(list(zip(lons, lats, strict=True)))
    measured = landkit.area(gpd.GeoSeries([polygon], crs="EPSG:4326")).iloc[0]
    assert measured == pytest.approx(published_m2 + (cgcs2000 - wgs84), abs=tolerance_m2)
