import numpy as np
import pytest
import shapely

from landkit.planning import expansions, zone_versions
from tests.geodesy import geodesic_area_m2


def test_zone_versions_table(sample_layers):
    zones, parcels, villages = (sample_layers[k] for k in ("planning_zones", "parcels", "villages"))
    table = zone_versions(zones, parcels=parcels, villages=villages)
    assert list(table.index) == [1, 2, 3]
    np.testing.assert_allclose(table["area_km2"], geodesic_area_m2(zones.sort_values("version")) / 1e6, rtol=1e-7)
    np.testing.assert_allclose(table["added_km2"], [8.6, 7.7, 13.7], atol=0.01)
    assert table["parcels_newly_inside"].sum() == len(parcels)
    assert table["villages_newly_inside"].tolist() == [8, 8, 9]
    assert "大王庄村" in table.loc[1, "villages_newly_inside_names"]
    assert (table["reserve_share"].between(0, 1)).all()
    assert "ellipsoidal" in table.attrs["area_method"]


def test_expansion_polygons_do_not_overlap_and_add_up(sample_layers):
    added = expansions(sample_layers["planning_zones"])
    g = added.geometry.to_numpy()
    assert shapely.area(shapely.intersection(g[0], g[1])) < 1.0
    assert added["added_km2"].sum() == pytest.approx(30.0, abs=0.01)


def test_a_bow_tie_parcel_is_repaired_for_the_reserve_area_and_named(sample_layers):
    """One self-crossing parcel (digitised as a bow-tie) stopped `landkit zones` with a GEOS error: now
    the reserve area counts it as repaired (its two triangles), between the reserve without it and
    that plus its triangles' area, and a warning names it."""
    import warnings

    from landkit.errors import LandkitWarning

    zones, parcels = sample_layers["planning_zones"], sample_layers["parcels"].copy()
    pid = parcels.index[40]
    x, y = parcels.geometry[pid].centroid.coords[0]
    bow_tie = shapely.Polygon([(x, y), (x + 30, y + 30), (x + 30, y), (x, y + 30)])
    assert not bow_tie.is_valid
    parcels.loc[pid, "geometry"] = bow_tie
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        table = zone_versions(zones, parcels=parcels)
    (warned,) = [w.message for w in said if isinstance(w.message, LandkitWarning)]
    assert pid in str(warned) and warned.code == "planning.invalid_parcels"
    without = zone_versions(zones, parcels=parcels.drop(index=pid))["reserve_km2"]
    triangles_km2 = 2 * 0.5 * 15 * 30 / 1e6  # two triangles of base 30 m and height 15 m, planar
    assert (table["reserve_km2"] >= without - 1e-9).all()
    assert (table["reserve_km2"] <= without + triangles_km2 * 1.01).all()
    assert (table["reserve_km2"] > without + triangles_km2 * 0.5).any()  # it is counted, not dropped
