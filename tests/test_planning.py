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
