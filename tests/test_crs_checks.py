"""Coordinates that cannot be where their CRS says are caught, and the likely CRS is named."""

import pytest
import shapely

from landkit.crs import diagnose_crs, zone_warning


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
