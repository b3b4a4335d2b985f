"""Coordinates that cannot be where their CRS says are caught, and the likely CRS is named."""

import geopandas as gpd
import pytest
import shapely
from pyproj import CRS, Transformer

import landkit
from landkit.crs import CHINA_BOUNDS, _expected_area, diagnose_crs, fitting_crs, misplaced, zone_warning


@pytest.fixture
def parcels(sample_layers):
    return sample_layers["parcels"]


@pytest.fixture
def county(sample_layers):
    return sample_layers["county"]


def test_correct_crs_passes(parcels, county):
    assert diagnose_crs(parcels, reference=county) is None
    assert diagnose_crs(parcels.to_crs(4490)) is None
    assert zone_warning(parcels) is None


def test_zone_off_by_three_degrees(parcels, county):
    msg = diagnose_crs(parcels.set_crs(4546, allow_override=True), reference=county)
    assert "cannot be in EPSG:4546" in msg and "outside the county" in msg and "EPSG:4547" in msg


def test_zone_prefix_missing_and_extra(parcels, county):
    prefixed = parcels.to_crs(4526)
    missing = diagnose_crs(prefixed.set_crs(4547, allow_override=True))
    assert "fit EPSG:4526" in missing
    extra = diagnose_crs(parcels.set_crs(4526, allow_override=True), reference=county)
    assert "fit EPSG:4547" in extra


def test_lat_lon_swapped(parcels):
    ll = parcels.to_crs(4490)
    ll["geometry"] = shapely.transform(ll.geometry.to_numpy(), lambda c: c[:, ::-1])
    assert "swapped" in diagnose_crs(ll)


def test_web_mercator_declared_as_gauss_krueger(parcels, county):
    msg = diagnose_crs(parcels.to_crs(3857).set_crs(4547, allow_override=True), reference=county)
    assert "fit EPSG:3857" in msg


def test_valid_coordinates_stored_in_the_neighbouring_zone_warn(parcels):
    assert "Its own zone is EPSG:4547" in zone_warning(parcels.to_crs(4546))


# -- pinned by mutation testing (tests/MUTANTS.md) ----------------------------------------------

COUNTY = gpd.GeoDataFrame(geometry=[shapely.box(112.6, 33.5, 113.2, 34.0)], crs=4490)
COUNTY_AREA = (112.6 - 0.05, 33.5 - 0.05, 113.2 + 0.05, 34.0 + 0.05)  # the county's box and its margin, by hand
GK111, GK114 = "CGCS2000 / 3-degree Gauss-Kruger CM 111E", "CGCS2000 / 3-degree Gauss-Kruger CM 114E"  # EPSG names
GK114_USE = "China - onshore between 112°30'E and 115°30'E."  # EPSG:4547's area of use, by its EPSG name
CGCS = "China Geodetic Coordinate System 2000"  # EPSG:4490
PARCEL = (400000, 3736000, 400100, 3736100)  # in EPSG:4547, about 112.92E 33.75N: in the county
PREFIXED = (38400000, 3736000, 38400100, 3736100)  # the same with zone 38 in front of the easting (EPSG:4526)
SWAP = "shapely.transform(g, lambda c: c[:, ::-1])"


def _layer(*geoms, crs):
    return gpd.GeoDataFrame(geometry=list(geoms), crs=crs)


def _south_west(bounds, crs):
    """The least longitude and latitude of a box's four corners, by pyproj."""
    xs, ys = [bounds[0], bounds[2], bounds[2], bounds[0]], [bounds[1], bounds[1], bounds[3], bounds[3]]
    lon, lat = Transformer.from_crs(crs, 4490, always_xy=True).transform(xs, ys)
    return min(lon), min(lat)


def _told(layer, *, en: str, zh: str, **options) -> None:
    """``diagnose_crs`` tells ``layer``'s problem in English and in Chinese, word for word."""
    assert diagnose_crs(layer, **options) == en
    assert diagnose_crs(layer, lang="zh", **options) == zh


def _around(bounds, crs, margin=0.05):
    """A county-like box: the box's corners in lon/lat, by pyproj, and a margin."""
    xs, ys = [bounds[0], bounds[2], bounds[2], bounds[0]], [bounds[1], bounds[1], bounds[3], bounds[3]]
    lon, lat = Transformer.from_crs(crs, 4490, always_xy=True).transform(xs, ys)
    return min(lon) - margin, min(lat) - margin, max(lon) + margin, max(lat) + margin


def test_a_zone_off_by_three_degrees_is_told_where_it_would_lie_and_which_zone_it_fits():
    lon, lat = _south_west(PARCEL, 4546)
    assert (f"{lon:.2f}", f"{lat:.2f}") == ("109.92", "33.75")  # 3 degrees west of the county, as declared
    wrong = _layer(shapely.box(*PARCEL), crs=4546)
    fix = "gdf.set_crs('EPSG:4547', allow_override=True)"
    _told(
        wrong,
        reference=COUNTY,
        en=(
            f"coordinates x 400000..400100, y 3736000..3736100 cannot be in EPSG:4546 ({GK111}): there they would lie "
            f"at 109.92E 33.75N, outside the county. They fit EPSG:4547 ({GK114}): declare it with {fix}"
        ),
        zh=(
            f"坐标 x 400000..400100, y 3736000..3736100 不可能在 EPSG:4546（{GK111}）中：那样它们将位于东经 109.92°、"
            f"北纬 33.75°，县域之外。它们符合 EPSG:4547（{GK114}）：声明为该坐标系，例如 {fix}"
        ),
    )


def test_prefixed_eastings_declared_unprefixed_cannot_be_transformed_and_fit_the_prefixed_zone():
    wrong = _layer(shapely.box(*PREFIXED), crs=4547)
    fix = "gdf.set_crs('EPSG:4526', allow_override=True)"
    zone38 = "CGCS2000 / 3-degree Gauss-Kruger zone 38"
    _told(
        wrong,
        en=(
            f"coordinates x 38400000..38400100, y 3736000..3736100 cannot be in EPSG:4547 ({GK114}): there they would "
            f"lie nowhere (the transform fails), outside the area where {GK114} is used ({GK114_USE}). "
            f"They fit EPSG:4526 ({zone38}): declare it with {fix}"
        ),
        zh=(
            f"坐标 x 38400000..38400100, y 3736000..3736100 不可能在 EPSG:4547（{GK114}）中：那样它们将位于"
            f"无处（无法转换），{GK114} 的使用范围（{GK114_USE}）之外。它们符合 EPSG:4526（{zone38}）：声明为该坐标系，"
            f"例如 {fix}"
        ),
    )


def test_swapped_longitude_and_latitude_are_told_with_the_fix():
    swapped = _layer(shapely.box(33.74, 112.9, 33.75, 112.91), crs=4490)  # x is the latitude, y the longitude
    where = f"outside the area where {CGCS} is used (China - onshore and offshore.)"
    _told(
        swapped,
        en=(
            f"coordinates x 33.74..33.75, y 112.9..112.91 cannot be in EPSG:4490 ({CGCS}): there they would lie at "
            f"33.74E 112.90N, {where}. Longitude and latitude are swapped: swap x and y (e.g. {SWAP})"
        ),
        zh=(
            f"坐标 x 33.74..33.75, y 112.9..112.91 不可能在 EPSG:4490（{CGCS}）中：那样它们将位于东经 33.74°、"
            f"北纬 112.90°，{CGCS} 的使用范围（China - onshore and offshore.）之外。经度和纬度颠倒了：交换 x 和 y"
            f"（例如 {SWAP}）"
        ),
    )


def test_swapped_coordinates_that_would_still_be_south_of_the_county_are_not_called_swapped():
    # swapped back they lie at 112.9E 32.5N, a degree south of the county: no CRS, swap or not, puts them in it
    swapped = _layer(shapely.box(32.5, 112.9, 32.51, 112.91), crs=4490)
    message = diagnose_crs(swapped, reference=COUNTY)
    assert "swapped" not in message
    assert message.endswith("outside the county. No common CRS fits them; check the source of the data")


def test_gauss_krueger_coordinates_in_a_crs_without_an_area_of_use_fit_every_zone_of_china():
    # 100 km west of a central meridian at 33.7N is about 1.08 degrees west of it: in China (73-135.5E) for every
    # zone from CM 75E (EPSG:4534) to CM 135E (EPSG:4554)
    for epsg, cm in ((4534, 75), (4554, 135)):
        lon, _ = _south_west(PARCEL, epsg)
        assert lon == pytest.approx(cm - 1.08, abs=0.01)
    assert fitting_crs(PARCEL, CHINA_BOUNDS) == list(range(4534, 4555))
    longlat = CRS.from_user_input("+proj=longlat +ellps=GRS80 +no_defs")  # no area of use, no EPSG code
    wrong = _layer(shapely.box(*PARCEL), crs=longlat)
    code, listed = longlat.to_string(), "EPSG:4534, EPSG:4535, EPSG:4536, EPSG:4537"  # the first four, not all 21
    # lon/lat on GRS80 to CGCS2000 is the identity: the metres are read as degrees
    _told(
        wrong,
        en=(
            f"coordinates x 400000..400100, y 3736000..3736100 cannot be in {code} (unknown): there they would lie "
            f"at 400000.00E 3736000.00N, outside China. They fit several CRSs ({listed}); the county outline would "
            "tell which"
        ),
        zh=(
            f"坐标 x 400000..400100, y 3736000..3736100 不可能在 {code}（unknown）中：那样它们将位于东经 400000.00°、"
            f"北纬 3736000.00°，中国境外。它们符合多个坐标系（{listed}）；县域范围图层可以判断是哪一个"
        ),
    )


def test_coordinates_no_common_crs_fits_are_shown_in_whole_units():
    # 999,999.6 is shown as 1000000, not 1e+06; about 118.54E 9.01N as declared, far from the county in any zone
    lon, lat = _south_west((999_999.6, 1_000_000, 1_000_100, 1_000_100), 4547)
    assert (f"{lon:.2f}", f"{lat:.2f}") == ("118.54", "9.01")
    wrong = _layer(shapely.box(999_999.6, 1_000_000, 1_000_100, 1_000_100), crs=4547)
    _told(
        wrong,
        reference=COUNTY,
        en=(
            f"coordinates x 1000000..1000100, y 1000000..1000100 cannot be in EPSG:4547 ({GK114}): there they would "
            "lie at 118.54E 9.01N, outside the county. No common CRS fits them; check the source of the data"
        ),
        zh=(
            f"坐标 x 1000000..1000100, y 1000000..1000100 不可能在 EPSG:4547（{GK114}）中：那样它们将位于东经 118.54°、"
            "北纬 9.01°，县域之外。没有常用坐标系符合；请核查数据来源"
        ),
    )


def test_the_layer_is_diagnosed_only_when_more_than_half_of_its_present_features_are_misplaced():
    right, wrong = shapely.box(*PARCEL), shapely.box(*PREFIXED)
    assert misplaced(_layer(right, wrong, crs=4547)).tolist() == [False, True]
    assert diagnose_crs(_layer(right, wrong, crs=4547)) is None  # exactly half: the one is a finding of its own
    for absent in (None, shapely.Polygon()):  # a missing or empty geometry is not a feature that fits
        layer = _layer(wrong, absent, crs=4547)
        assert misplaced(layer).tolist() == [True, False]
        assert "They fit EPSG:4526 " in diagnose_crs(layer)


@pytest.mark.parametrize("check", [diagnose_crs, misplaced])
def test_a_layer_without_a_crs_is_asked_to_declare_one_by_the_crs_check(check):
    with pytest.raises(landkit.CRSError) as refused:
        check(gpd.GeoDataFrame(geometry=[shapely.box(*PARCEL)]))
    assert str(refused.value).startswith("the layer has no coordinate reference system. Declare")


E = 1e-9  # landkit.crs.EDGE_DEG: floating-point noise past 180 degrees (0.1 mm)


@pytest.mark.parametrize(
    ("epsg", "box"),
    [
        (4547, (112.5 - 1.5, 21.52 - 1.5, 115.5 + 1.5, 45.45 + 1.5)),  # projected: 1.5 degrees beyond its area of use
        # geographic: 0.5 degree; CGCS2000 lon/lat: China's whole territory, the Paracels and Spratlys too
        (4490, (73.62 - 0.5, 3.4, 134.77 + 0.5, 53.56 + 0.5)),
        # the world: the margin stops at the poles and at 180 degrees, plus a hair (x = 180.00000000000006)
        (4326, (-180.0 - E, -90.0 - E, 180.0 + E, 90.0 + E)),
        (32601, (-180.0 - E, -1.5, -174.0 + 1.5, 84.0 + 1.5)),  # UTM zone 1N begins at 180W
        (32660, (174.0 - 1.5, -1.5, 180.0 + E, 84.0 + 1.5)),  # UTM zone 60N ends at 180E
        (3994, (-180.0 - E, -60.0 - 1.5, 180.0 + E, -25.0 + 1.5)),  # Mercator 41, 155E to 170W: any longitude
        (4764, (-180.0 - E, -90.0 - E, 180.0 + E, -59.99 + 0.5)),  # RSRGD2000, across 180 degrees and down to the pole
    ],
)
def test_coordinates_are_expected_in_the_crs_area_of_use_and_a_margin(epsg, box):
    # the areas of use are those of the EPSG registry
    area, where = _expected_area(CRS.from_epsg(epsg))
    assert area == pytest.approx(box, abs=1e-12)
    assert str(where).startswith(f"outside the area where {CRS.from_epsg(epsg).name} is used (")
    assert where.text("zh").startswith(f"{CRS.from_epsg(epsg).name} 的使用范围（")


def test_coordinates_are_expected_in_the_county_else_in_china():
    area, where = _expected_area(CRS.from_epsg(4547), COUNTY.to_crs(4547))
    assert area == pytest.approx(COUNTY_AREA, abs=1e-7) and str(where) == "outside the county"
    assert where.text("zh") == "县域之外"
    area, where = _expected_area(CRS.from_user_input("+proj=longlat +ellps=GRS80 +no_defs"))
    assert (area, str(where), where.text("zh")) == (CHINA_BOUNDS, "outside China", "中国境外")
    area, where = _expected_area(CRS.from_epsg(4547))
    assert str(where) == f"outside the area where {GK114} is used ({GK114_USE})"


@pytest.mark.parametrize("crs_", [4490, 4547])
@pytest.mark.parametrize("where", ["west", "north"])
@pytest.mark.parametrize("side", ["inside", "outside"])
def test_coordinates_may_lie_0_05_degree_west_or_north_of_the_county(side, where, crs_):
    # tests/test_thresholds.py does the east and the south
    reach, size = 0.05 * (0.99 if side == "inside" else 1.01), 0.0004
    west, south = (112.6 - reach, 33.7) if where == "west" else (112.9, 34.0 + reach - size)
    parcel = _layer(shapely.box(west, south, west + size, south + size), crs=4490).to_crs(crs_)
    assert misplaced(parcel, reference=COUNTY).tolist() == [side == "outside"]


def test_a_feature_on_the_edge_of_the_margin_is_not_misplaced_and_each_feature_is_judged_alone():
    w, s, e, n = COUNTY_AREA
    nudge = 1e-9  # a millionth of the margin
    assert misplaced(_layer(shapely.box(w, s, e, n), crs=4490), reference=COUNTY).tolist() == [False]
    beyond = [(w - nudge, s, e, n), (w, s - nudge, e, n), (w, s, e + nudge, n), (w, s, e, n + nudge)]
    layer = _layer(shapely.box(112.9, 33.7, 112.91, 33.71), *(shapely.box(*b) for b in beyond), crs=4490)
    assert misplaced(layer, reference=COUNTY).tolist() == [False, True, True, True, True]


def test_a_box_on_the_edge_of_the_area_fits_and_a_hair_beyond_does_not():
    # EPSG:4490 to itself is the identity: the box is compared as given
    w, s, e, n = COUNTY_AREA
    assert fitting_crs(COUNTY_AREA, COUNTY_AREA) == [4490]
    nudge = 1e-9
    for beyond in [(w - nudge, s, e, n), (w, s - nudge, e, n), (w, s, e + nudge, n), (w, s, e, n + nudge)]:
        assert fitting_crs(beyond, COUNTY_AREA) == []
    assert fitting_crs((112.9, 33.7, 112.91, 33.71), COUNTY_AREA) == [4490]  # lon/lat is EPSG:4490, and only it


@pytest.mark.parametrize(
    ("epsg", "prefixed", "north"),
    [(4534, 4513, 3736000), (4554, 4533, 5300000)],  # zone 25 (CM 75E, Kashgar) and 45 (CM 135E, Fuyuan)
)
def test_the_first_and_last_gauss_krueger_zones_fit_with_and_without_their_prefix(epsg, prefixed, north):
    zone = 25 if epsg == 4534 else 45
    plain = (500000, north, 500100, north + 100)  # on the central meridian
    area = _around(plain, epsg)
    assert fitting_crs(plain, area) == [epsg]
    assert fitting_crs((zone * 1e6 + 500000, north, zone * 1e6 + 500100, north + 100), area) == [prefixed]


def test_a_prefixed_easting_is_read_by_its_millions():
    # 38,000,000 is zone 38's (EPSG:4526) easting 0; a tenth of a metre less is zone 37's (EPSG:4525) 999,999.9
    first = (38_000_000.0, 3736000, 38_000_100, 3736100)
    assert fitting_crs(first, _around(first, 4526)) == [4526]
    last = (37_999_999.9, 3736000, 37_999_999.95, 3736100)
    assert fitting_crs(last, _around(last, 4525)) == [4525]
    beyond = (46_500_000, 3736000, 46_500_100, 3736100)  # zone 46 would be CM 138E: no CGCS2000 zone
    assert fitting_crs(beyond, CHINA_BOUNDS) == []
