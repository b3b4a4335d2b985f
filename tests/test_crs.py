import numpy as np
import pytest

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
