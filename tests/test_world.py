"""World layers (issue 27, item 4): Natural Earth's countries (the fixture shipped with pyogrio:
177 polygons in EPSG:4326, Antarctica around the pole, Russia and Fiji across 180°, Russia with
x = 180.00000000000006; public domain) are measured and checked without invented findings; the
antimeridian and non-finite vertices are handled; EPSG:4490's test covers China's whole territory."""

from __future__ import annotations

import os
import warnings

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Geod

import landkit
from landkit.audit import audit
from landkit.cli import main
from landkit.crs import CHINA_TERRITORY, map_crs, metric_crs, misplaced
from landkit.measure import area

NE = os.path.join(
    os.path.dirname(pyogrio.__file__), "tests", "fixtures", "naturalearth_lowres", "naturalearth_lowres.shp"
)
WGS84 = Geod(ellps="WGS84")


def karney(geoms) -> np.ndarray:
    """Karney's geodesic area of each polygon's vertices as given (|signed|: shells and holes apart)."""
    out = []
    for g in geoms:
        parts = shapely.get_parts(g)
        total = 0.0
        for p in parts:
            total += abs(WGS84.polygon_area_perimeter(*np.asarray(p.exterior.coords).T)[0])
            total -= sum(abs(WGS84.polygon_area_perimeter(*np.asarray(r.coords).T)[0]) for r in p.interiors)
        out.append(total)
    return np.array(out)


@pytest.fixture(scope="module")
def countries():
    if not os.path.exists(NE):
        pytest.skip("pyogrio's Natural Earth fixture is not installed")
    ne = pyogrio.read_dataframe(NE)
    return ne.rename(columns={"name": "parcel_id"}).set_index("parcel_id")[["geometry"]]


def test_the_fixture_is_what_the_tests_say(countries):
    assert len(countries) == 177 and countries.crs.to_epsg() == 4326
    xs = shapely.get_coordinates(countries.geometry.loc["Russia"])[:, 0]
    assert xs.max() > 180.0 and xs.max() - 180.0 < 1e-12  # 180.00000000000006
    assert countries.geometry.loc["Antarctica"].bounds[1] == -90.0


def test_country_areas_agree_with_karney_antarctica_included(countries):
    got = area(countries.geometry).to_numpy()
    want = karney(countries.geometry)
    assert np.isfinite(got).all()
    assert got == pytest.approx(want, rel=1e-2)  # the bound; in fact far tighter:
    assert np.abs(got / want - 1).max() < 1e-6
    ant = countries.index.get_loc("Antarctica")
    assert got[ant] == pytest.approx(want[ant], rel=1e-6) and 1.2e13 < got[ant] < 1.3e13


def test_a_world_layer_is_not_checked_in_one_utm_zone(countries):
    frame = metric_crs(countries)
    assert frame is not None and frame.coordinate_operation.method_name == "Equidistant Cylindrical"
    # the frame is affine in lon/lat: a valid country stays valid there, which one UTM zone broke
    projected = countries.to_crs(frame).geometry
    assert shapely.is_valid(countries.geometry.to_numpy()).all() and shapely.is_valid(projected.to_numpy()).all()
    assert not shapely.is_valid(countries.to_crs(countries.estimate_utm_crs()).geometry.to_numpy()).all()
    # a county still is checked in its own zone (one UTM zone fits it)
    county = landkit.read_layer(landkit.SAMPLE_PATH, "parcels").to_crs(4490)
    assert metric_crs(county).to_epsg() == 32649


def test_natural_earth_countries_give_no_invented_findings(countries):
    found = audit({"parcels": countries})
    rules = set(found["rule"])
    # no overlaps (none in the data: every shared border is a line), nothing invalid, Russia not misplaced
    assert "overlap" not in rules and "invalid_geometry" not in rules and "crs_zone" not in rules, found
    pairs = [tuple(ids) for ids in found.loc[found["rule"] == "gap", "ids"]]
    g = countries.geometry
    # the gaps left are wedges in the data as given (Egypt's and Israel's coast vertices 0.1 m apart at
    # Aqaba), not made by the frame: the two countries never overlap in lon/lat
    for a, b in pairs:
        assert shapely.intersection(g[a], g[b]).geom_type in ("LineString", "MultiLineString", "Point", "MultiPoint")
    assert len(pairs) <= 2


def test_non_finite_vertices_are_findings_not_crashes(countries):
    g = countries.geometry.to_numpy().copy()
    names = countries.index
    c = shapely.get_coordinates(g[5])
    c[3] = [np.inf, 10.0]
    c2 = shapely.get_coordinates(g[7])
    c2[2] = [np.nan, np.nan]
    with warnings.catch_warnings():  # shapely may warn of the NaN it is given
        warnings.simplefilter("ignore", RuntimeWarning)
        g[5], g[7] = shapely.Polygon(c), shapely.Polygon(c2)
    broken = countries.set_geometry(g)
    found = audit({"parcels": broken})
    bad = found[(found["rule"] == "invalid_geometry") & found["ids"].map(lambda i: names[5] in i)]
    assert len(bad) == 1 and set(bad["ids"].iloc[0]) == {names[5], names[7]}
    assert "overlap" not in set(found["rule"])
    m2 = area(broken.geometry)
    assert np.isnan(m2.iloc[5]) and np.isnan(m2.iloc[7]) and np.isfinite(m2.drop(m2.index[[5, 7]])).all()


@pytest.mark.parametrize("edge", [180.0, 180.00000000000006, 180.0000000001])
def test_a_vertex_on_the_antimeridian_is_accepted_within_a_hair(edge):
    poly = shapely.Polygon([(179.99, 60.0), (edge, 60.0), (edge, 60.01), (179.99, 60.01)])
    layer = gpd.GeoDataFrame(geometry=[poly], crs=4326)
    assert misplaced(layer).tolist() == [edge > 180.000000001]
    if edge < 180.000000001:
        want = abs(WGS84.geometry_area_perimeter(poly)[0])
        assert area(layer.geometry).iloc[0] == pytest.approx(want, rel=1e-9)


def test_a_parcel_across_the_antimeridian_measures_right():
    # drawn with longitudes past 180 (as Fiji is in many files) and as two parts split at 180
    across = shapely.Polygon([(179.995, -17.0), (180.005, -17.0), (180.005, -16.99), (179.995, -16.99)])
    split = shapely.MultiPolygon(
        [shapely.box(179.995, -17.0, 180.0, -16.99), shapely.box(-180.0, -17.0, -179.995, -16.99)]
    )
    want = abs(WGS84.geometry_area_perimeter(shapely.box(-0.005, -17.0, 0.005, -16.99))[0])  # the same cell at 0°
    got = area(gpd.GeoSeries([across, split], crs=4326)).to_numpy()
    assert got == pytest.approx([want, want], rel=1e-8)  # Karney's own rounding on 1 km²: ~1e-9


@pytest.mark.parametrize(
    ("where", "lon", "lat", "inside"),
    [("西沙 Paracels, Triton Island", 111.2, 15.78, True), ("南沙 Spratlys, Yongshu Reef", 112.88, 9.55, True),
     ("曾母暗沙 James Shoal", 112.28, 3.97, True), ("just south of the territory's box", 112.28, 3.35, False),
     ("Sumatra", 100.0, 2.0, False), ("漠河 Mohe", 122.5, 53.3, True)],
)  # fmt: skip
def test_cgcs2000_lonlat_covers_chinas_whole_territory(where, lon, lat, inside):
    cell = shapely.box(lon, lat, lon + 0.01, lat + 0.01)
    assert misplaced(gpd.GeoDataFrame(geometry=[cell], crs=4490)).tolist() == [not inside], where
    assert CHINA_TERRITORY[1] < 3.97 < 15.78


def test_map_frames_any_lonlat_extent():
    assert map_crs((112.5, 33.5, 113.2, 34.0)).to_epsg() == 4547  # the county: its Gauss-Krüger zone
    assert map_crs((-74.1, 40.6, -73.8, 40.9)).to_epsg() == 32618  # New York: its UTM zone
    assert map_crs((-70.0, -34.0, -69.0, -33.0)).to_epsg() == 32719  # Santiago: south
    for wide in ((-180.0, -90.0, 180.0, 83.6), (170.0, -20.0, 190.0, -10.0), (0.0, 85.0, 10.0, 89.0)):
        assert map_crs(wide).coordinate_operation.method_name == "Equidistant Cylindrical", wide


def test_landkit_qgis_writes_a_project_for_the_world(tmp_path, countries):
    project = tmp_path / "world.gpkg"
    landkit.write_layer(countries, project, "parcels")
    out = tmp_path / "world.qgz"
    result = CliRunner().invoke(main, ["qgis", str(project), "-o", str(out)], env={"LANDKIT_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "world-findings.gpkg").exists()
    # the web map and the paper map too: a plain layer of countries, no status, no county
    for command, name in (("map", "world.html"), ("print", "world.pdf")):
        drawn = CliRunner().invoke(
            main, [command, str(project), "-o", str(tmp_path / name)], env={"LANDKIT_LANG": "en"}
        )
        assert drawn.exit_code == 0, drawn.output
        assert (tmp_path / name).stat().st_size > 10_000


@pytest.mark.parametrize(
    ("extent", "one_zone"),
    [((100.0, 30.0, 111.9, 35.0), True), ((100.0, 30.0, 112.1, 35.0), False),  # 12 degrees of longitude
     ((100.0, 10.0, 101.0, 29.9), True), ((100.0, 10.0, 101.0, 30.1), False),  # 20 of latitude
     ((20.0, 80.0, 21.0, 83.9), True), ((20.0, 80.0, 21.0, 84.1), False)],  # UTM stops at 84N
)  # fmt: skip
def test_one_zone_up_to_its_edges_then_the_world_frame(extent, one_zone):
    layer = gpd.GeoDataFrame(geometry=[shapely.box(*extent)], crs=4326)
    method = metric_crs(layer).coordinate_operation.method_name
    assert (method == "Transverse Mercator") is one_zone and (method == "Equidistant Cylindrical") is not one_zone
    assert (map_crs(extent).coordinate_operation.method_name == "Equidistant Cylindrical") is not one_zone
