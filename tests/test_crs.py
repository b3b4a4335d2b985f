import numpy as np
import pytest
import shapely
from pyproj import Transformer

import landkit
from landkit.crs import gcj02_to_wgs84, wgs84_to_gcj02


def test_gcj02_forward_matches_the_check_vector():
    # the vector in shared/facts.md
    lon, lat = wgs84_to_gcj02(112.9, 33.74)
    assert lon == pytest.approx(112.90588917018114, abs=1e-12)
    assert lat == pytest.approx(33.738311018698624, abs=1e-12)


def test_gcj02_round_trip_is_below_1e_9_degrees_over_the_county():
    lon, lat = np.meshgrid(np.linspace(112.2, 113.3, 60), np.linspace(33.5, 34.05, 40))
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon.ravel(), lat.ravel()))
    assert np.max(np.abs(back_lon - lon.ravel())) < 1e-9
    assert np.max(np.abs(back_lat - lat.ravel())) < 1e-9


def test_gcj02_offset_near_the_county_is_about_600_m_east_south_east():
    from pyproj import Geod

    glon, glat = wgs84_to_gcj02(112.9, 33.74)
    az, _, dist = Geod(ellps="GRS80").inv(112.9, 33.74, float(glon), float(glat))
    assert 570 <= dist <= 600
    assert 90 < az < 135


@pytest.mark.parametrize(("lon", "plain", "prefixed"), [(112.9, 4547, 4526), (112.4, 4546, 4525), (113.6, 4547, 4526)])
def test_gauss_krueger_zone_for_a_longitude(lon, plain, prefixed):
    assert landkit.gk_zone_epsg(lon) == plain
    assert landkit.gk_zone_epsg(lon, prefixed=True) == prefixed


def test_a_longitude_outside_china_is_refused():
    with pytest.raises(landkit.CRSError, match="outside"):
        landkit.gk_zone_epsg(10.0)


# -- pinned by mutation testing (tests/MUTANTS.md) ----------------------------------------------

CHECK = (112.90588917018114, 33.738311018698624)  # the GCJ-02 check vector of (112.9, 33.74)


def test_gcj02_passes_missing_coordinates_through_as_nan():
    lon, lat = wgs84_to_gcj02([112.9, None], [33.74, None])
    assert lon[0] == pytest.approx(CHECK[0], abs=1e-12) and lat[0] == pytest.approx(CHECK[1], abs=1e-12)
    assert np.isnan(lon[1]) and np.isnan(lat[1])
    lon, lat = gcj02_to_wgs84([CHECK[0], None], [CHECK[1], None])
    assert lon[0] == pytest.approx(112.9, abs=1e-10) and lat[0] == pytest.approx(33.74, abs=1e-10)
    assert np.isnan(lon[1]) and np.isnan(lat[1])


def test_gcj02_of_no_coordinates_is_no_coordinates():
    for convert in (wgs84_to_gcj02, gcj02_to_wgs84):
        lon, lat = convert([], [])
        assert lon.shape == (0,) and lat.shape == (0,)


def test_geometries_are_shifted_vertex_by_vertex_lon_then_lat():
    from landkit.crs import geometry_gcj02_to_wgs84, geometry_wgs84_to_gcj02

    ring = [(112.9, 33.74), (112.91, 33.74), (112.91, 33.75), (112.9, 33.74)]
    shifted = geometry_wgs84_to_gcj02(shapely.Polygon(ring))
    xy = shapely.get_coordinates(shifted)
    assert xy[0] == pytest.approx(CHECK, abs=1e-12)
    lon, lat = np.array(ring).T
    expected = np.column_stack(wgs84_to_gcj02(lon, lat))
    assert np.array_equal(xy, expected)
    back = geometry_gcj02_to_wgs84(np.array([shifted, shapely.Point(CHECK)]))
    assert np.abs(shapely.get_coordinates(back[0]) - np.array(ring)).max() < 1e-10
    assert shapely.get_coordinates(back[1])[0] == pytest.approx((112.9, 33.74), abs=1e-10)


@pytest.mark.parametrize(
    ("lon", "plain", "prefixed"),
    [(73.5, 4534, 4513), (76.49, 4534, 4513), (133.5, 4554, 4533), (136.49, 4554, 4533)],
)
def test_the_first_and_last_gauss_krueger_zones_of_china(lon, plain, prefixed):
    # zone n spans [3n - 1.5, 3n + 1.5) degrees: 25 is CM 75E (EPSG:4534/4513), 45 is CM 135E (4554/4533)
    assert landkit.gk_zone_epsg(lon) == plain
    assert landkit.gk_zone_epsg(lon, prefixed=True) == prefixed


@pytest.mark.parametrize("lon", [73.49, 136.5])
def test_beyond_the_first_and_last_zone_is_refused(lon):
    with pytest.raises(landkit.CRSError) as refused:
        landkit.gk_zone_epsg(lon)
    assert str(refused.value) == f"longitude {lon} is outside China's 3-degree Gauss-Krueger zones 25-45"


def _layer_at(lon, lat, epsg):
    import geopandas as gpd

    x, y = Transformer.from_crs(4490, epsg, always_xy=True).transform(lon, lat)
    return gpd.GeoDataFrame(geometry=[shapely.Point(x, y)], crs=epsg)


@pytest.mark.parametrize(
    ("epsg", "lon", "lat", "cm", "own"),
    [
        (4513, 78.0, 40.0, 75, 4514),  # prefixed zone 25, the first
        (4533, 132.0, 45.0, 135, 4532),  # prefixed zone 45, the last prefixed
        (4534, 78.0, 40.0, 75, 4535),  # CM 75E, the first unprefixed
        (4554, 132.0, 45.0, 135, 4553),  # CM 135E, the last
        (4526, 112.0, 33.7, 114, 4525),
    ],
)
def test_a_layer_far_from_its_zones_meridian_is_told_its_own_zone(epsg, lon, lat, cm, own):
    from landkit.crs import zone_warning

    far = abs(lon - cm)  # a point: its box is itself
    assert zone_warning(_layer_at(lon, lat, epsg)) == (
        f"the layer is stored in EPSG:{epsg} (central meridian {cm}E) but reaches {far:.2f} degrees from "
        f"it; planar measures there are distorted. Its own zone is EPSG:{own}"
    )


@pytest.mark.parametrize(("epsg", "lon", "lat"), [(4513, 76.4, 40.0), (4533, 133.6, 45.0), (4534, 73.6, 40.0)])
def test_a_layer_within_its_zones_band_has_no_warning(epsg, lon, lat):
    from landkit.crs import zone_warning

    assert zone_warning(_layer_at(lon, lat, epsg)) is None


def test_a_layer_in_no_gauss_krueger_zone_has_no_zone_warning():
    from landkit.crs import zone_warning

    assert zone_warning(_layer_at(112.9, 33.74, 4490)) is None
    assert zone_warning(_layer_at(116.0, 40.0, 4555)) is None  # New Beijing, the EPSG code after the zones


def test_a_layer_without_a_crs_is_asked_to_declare_one():
    import geopandas as gpd

    from landkit.crs import zone_warning

    with pytest.raises(landkit.CRSError) as refused:
        zone_warning(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]))
    assert str(refused.value) == (
        "the layer has no coordinate reference system. Declare the one the coordinates are in, e.g. "
        "gdf.set_crs('EPSG:4547') for CGCS2000 Gauss-Krueger CM 114E or 'EPSG:4490' for CGCS2000 "
        "longitude/latitude, then write it again."
    )


@pytest.mark.parametrize(
    ("crs", "datum"),
    [("EPSG:2383", "Xian 1980"), (4610, "Xian 1980"), (4214, "Beijing 1954"), (4555, "New Beijing"), (4547, None)],
)
def test_the_old_datums_are_recognised_by_name(crs, datum):
    from landkit.crs import old_datum

    assert old_datum(crs) == datum


XIAN80_GK = "EPSG:2383"  # Xi'an 1980 3-degree Gauss-Krueger CM 114E


def _xian_layer():
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[shapely.box(400000, 3736000, 400100, 3736100), shapely.Point(401000, 3737000)],
        crs=XIAN80_GK,
    )


def test_reprojecting_within_a_datum_is_plain_proj():
    from landkit.crs import reproject

    layer = _xian_layer().set_crs(4547, allow_override=True)
    out = reproject(layer, 4490)
    x, y = Transformer.from_crs(4547, 4490, always_xy=True).transform(401000, 3737000)
    assert out.crs.to_epsg() == 4490 and out["name"].tolist() == ["a", "b"]
    assert shapely.get_coordinates(out.geometry.iloc[1])[0] == pytest.approx((x, y), abs=1e-12)


def test_crossing_from_an_old_datum_needs_the_parameters_or_accepting_the_ballpark():
    from landkit.crs import reproject

    with pytest.raises(landkit.CRSError) as refused:
        reproject(_xian_layer(), "EPSG:4547", where="parcels: ")
    assert str(refused.value) == (
        "parcels: the layer is on the Xian 1980 datum and the project on CGCS2000 / 3-degree Gauss-Kruger CM 114E: "
        "PROJ knows no transformation between them of survey accuracy (its ballpark shift is off by tens of metres "
        "to 100 m). Give the 7 parameters from your surveying bureau with --datum-transform "
        "'+towgs84=dx,dy,dz,rx,ry,rz,ds', or accept the ballpark shift with --accept-ballpark"
    )
    with pytest.raises(
        landkit.CRSError, match=r"^the layer is on the Beijing 1954 datum and the project on the Xian 1980 datum: "
    ):
        reproject(_xian_layer().to_crs(4214), XIAN80_GK)  # between two old datums too
    with pytest.raises(
        landkit.CRSError,
        match=r"^the layer is on CGCS2000 / 3-degree Gauss-Kruger CM 114E and the project "
        r"on the Xian 1980 datum: PROJ knows no transformation between them of survey accuracy",
    ):
        reproject(_xian_layer().set_crs(4547, allow_override=True), 4610)  # and into one: each side named as it is
    ballpark = reproject(_xian_layer(), "EPSG:4547", accept_ballpark=True)
    expected = Transformer.from_crs(XIAN80_GK, 4547, always_xy=True).transform(401000, 3737000)
    assert ballpark.crs.to_epsg() == 4547
    assert shapely.get_coordinates(ballpark.geometry.iloc[1])[0] == pytest.approx(expected, abs=1e-6)


def test_a_pipeline_given_as_the_datum_transform_is_run_as_given():
    from landkit.crs import reproject

    out = reproject(_xian_layer(), "EPSG:4547", datum_transform=" +proj=affine +xoff=10 +yoff=-5 ")
    assert out.crs.to_epsg() == 4547 and out["name"].tolist() == ["a", "b"]
    assert shapely.get_coordinates(out.geometry.iloc[1])[0].tolist() == [401010.0, 3736995.0]
    assert shapely.equals(out.geometry.iloc[0], shapely.box(400010, 3735995, 400110, 3736095))
    # the parameters win over the ballpark, when both are given
    again = reproject(_xian_layer(), "EPSG:4547", datum_transform="+proj=affine +xoff=10", accept_ballpark=True)
    assert shapely.get_coordinates(again.geometry.iloc[1])[0].tolist() == [401010.0, 3737000.0]


def test_seven_parameters_move_the_layer_by_their_geocentric_shift():
    from pyproj import Proj

    from landkit.crs import reproject

    lon, lat = Transformer.from_crs(XIAN80_GK, 4610, always_xy=True).transform(401000, 3737000)
    zero = reproject(_xian_layer(), "EPSG:4547", datum_transform="+towgs84=0,0,0,0,0,0,0")
    moved = reproject(_xian_layer(), "EPSG:4547", datum_transform="+towgs84=100,0,0,0,0,0,0")
    dx, dy = shapely.get_coordinates(moved.geometry.iloc[1])[0] - shapely.get_coordinates(zero.geometry.iloc[1])[0]
    # 100 m along the geocentric X axis is -sin(lon) * 100 m east and -sin(lat) cos(lon) * 100 m north, turned
    # into the grid by the meridian convergence
    east = -np.sin(np.radians(lon)) * 100
    north = -np.sin(np.radians(lat)) * np.cos(np.radians(lon)) * 100
    gamma = np.radians(Proj("EPSG:4547").get_factors(lon, lat).meridian_convergence)
    assert dx == pytest.approx(east * np.cos(gamma) - north * np.sin(gamma), abs=0.05)
    assert dy == pytest.approx(east * np.sin(gamma) + north * np.cos(gamma), abs=0.05)
    assert moved.crs.to_epsg() == 4547


@pytest.mark.parametrize("text", ["+towgs84=1,2,x", "+proj=nonsense"])
def test_a_datum_transform_proj_cannot_run_is_refused(text):
    from landkit.crs import reproject

    with pytest.raises(landkit.CRSError, match=rf"^parcels: --datum-transform '\{text}' is not a transformation PROJ"):
        reproject(_xian_layer(), "EPSG:4547", datum_transform=text, where="parcels: ")


def test_reprojecting_within_an_old_datum_is_plain_proj():
    from landkit.crs import reproject

    out = reproject(_xian_layer(), 4610)  # Xi'an 1980 Gauss-Krueger to Xi'an 1980 lon/lat: no datum is crossed
    lon, lat = Transformer.from_crs(XIAN80_GK, 4610, always_xy=True).transform(401000, 3737000)
    assert out.crs.to_epsg() == 4610
    assert shapely.get_coordinates(out.geometry.iloc[1])[0] == pytest.approx((lon, lat), abs=1e-12)


def test_the_lonlat_box_of_coordinates_is_where_pyproj_puts_their_corners():
    from pyproj import CRS

    from landkit.crs import _lonlat_box

    gk = CRS.from_epsg(4547)
    xs, ys = [400000, 400100, 400100, 400000], [3736000, 3736000, 3736100, 3736100]
    lon, lat = Transformer.from_crs(4547, 4490, always_xy=True).transform(xs, ys)
    box = _lonlat_box((400000, 3736000, 400100, 3736100), gk)
    assert box == pytest.approx((min(lon), min(lat), max(lon), max(lat)), abs=1e-9)  # a 100 m box: its corners
    # a box reaching far beyond the projection's domain is nowhere, not the part PROJ could transform
    assert _lonlat_box((400000, 3.7e6, 1e8, 3.8e6), gk) is None
    assert _lonlat_box((np.nan, np.nan, np.nan, np.nan), gk) is None  # PROJ passes NaN through without an error


def test_an_empty_gauss_krueger_layer_has_no_zone_warning():
    import geopandas as gpd

    from landkit.crs import zone_warning

    assert zone_warning(gpd.GeoDataFrame(geometry=[], crs=4547)) is None
    assert zone_warning(gpd.GeoDataFrame(geometry=[shapely.Polygon()], crs=4547)) is None


@pytest.mark.parametrize(
    ("epsg", "exact"),
    [(4547, True), (3035, True), (3857, False), (4490, False)],  # TM, LAEA; Web Mercator; lon/lat: no projection
)
def test_the_projections_whose_scale_is_exact(epsg, exact):
    from landkit.crs import scale_is_exact

    assert scale_is_exact(epsg) is exact


@pytest.mark.parametrize(
    ("epsg", "lon", "lat", "utm"),
    [
        (4547, 112.9, 33.74, None),  # Gauss-Krueger in metres: the layer's own
        (3857, 112.9, 33.74, 32649),  # Web Mercator is in metres but not conformal enough: UTM 49N (108-114E)
        (2236, -81.0, 28.5, 32617),  # Florida East is Transverse Mercator in US feet: UTM 17N (84-78W)
        (4490, 112.9, 33.74, 32649),  # lon/lat
    ],
)
def test_thresholds_in_metres_are_applied_in_the_layers_crs_or_its_utm_zone(epsg, lon, lat, utm):
    from landkit.crs import metric_crs

    metric = metric_crs(_layer_at(lon, lat, epsg))
    assert (metric if metric is None else metric.to_epsg()) == utm
