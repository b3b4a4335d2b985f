"""Crash safety under random kills, two writers at once, and fuzzing with random polygons."""

import subprocess
import sys
import time

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import landkit
from landkit import audit, topology


@pytest.mark.slow
def test_two_writers_at_once_both_land(tmp_path, sample_copy):
    big = """
import sys, numpy as np, geopandas as gpd, shapely, landkit
n = 400000
x = 400000 + (np.arange(n) % 1000) * 30.0
y = 3730000 + (np.arange(n) // 1000) * 30.0
gdf = gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(n)]}, geometry=shapely.box(x, y, x + 25, y + 25), crs=4547)
print("writing", flush=True)
landkit.write_layer(gdf, sys.argv[1], "bulk")
print("done", flush=True)
"""
    second = "import sys, landkit; landkit.write_layer(landkit.read_layer(sys.argv[1], 'villages'), sys.argv[1], 'v2')"
    with subprocess.Popen([sys.executable, "-c", big, str(sample_copy)], stdout=subprocess.PIPE, text=True) as first:
        assert first.stdout.readline().strip() == "writing"
        time.sleep(0.3)
        other = subprocess.run([sys.executable, "-c", second, str(sample_copy)], capture_output=True, text=True)
        assert first.wait(timeout=120) == 0
    assert other.returncode == 0, other.stderr  # it waited for the first writer's transaction, then wrote
    names = landkit.list_layers(sample_copy)
    assert "bulk" in names and "v2" in names
    assert len(landkit.read_layer(sample_copy, "bulk")) == 400000
    assert len(landkit.read_layer(sample_copy, "v2")) == 25


coord = st.floats(-200, 200, allow_nan=False, allow_infinity=False)
ring = st.lists(st.tuples(coord, coord), min_size=3, max_size=8)


@settings(max_examples=40, deadline=None)
@given(st.lists(ring, min_size=1, max_size=6))
def test_random_polygons_through_areas_overlaps_and_the_audit(rings):
    geoms = [shapely.Polygon([(400000 + x, 3736000 + y) for x, y in r]) for r in rings]
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": [f"F{i}" for i in range(len(geoms))],
            "land_use": "工业用地",
            "status": "planned",
            "stated_area_mu": 1.0,
        },
        geometry=geoms,
        crs="EPSG:4547",
    ).set_index("parcel_id")
    # no escape hatch: a random polygon (bow-ties, slivers, collapsed rings) is measured or is a
    # finding, never an error, so any exception here fails the example
    areas = landkit.area(parcels)
    valid = parcels.is_valid.to_numpy() & ~parcels.is_empty.to_numpy()
    assert (areas.to_numpy()[valid] >= 0).all()
    hull = landkit.area(parcels.convex_hull).to_numpy()
    assert (areas.to_numpy()[valid] <= hull[valid] * (1 + 1e-9) + 1e-6).all()
    found = topology.overlaps(parcels)
    assert (found["area_m2"] > 0).all()
    findings = audit.audit({"parcels": parcels})
    sums = audit.totals({"parcels": parcels})
    assert set(findings["rule"]) <= set(audit.DEFAULT_RULES)
    for layer in sums["layers"].values():
        assert not any(np.isnan(v) for v in layer.values())
    invalid = set(parcels.index[~parcels.is_valid])
    flagged = {i for ids in findings.loc[findings["rule"] == "invalid_geometry", "ids"] for i in ids}
    assert invalid == flagged


def test_an_empty_parcels_layer_audits_cleanly():
    parcels = gpd.GeoDataFrame(
        {"parcel_id": [], "land_use": [], "status": [], "stated_area_mu": []}, geometry=[], crs="EPSG:4547"
    ).set_index("parcel_id")
    findings = audit.audit({"parcels": parcels})
    assert set(findings["rule"]) == {"schema"}  # only the missing layers
