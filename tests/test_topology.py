"""Topology findings: the sample's documented defects are found, and nothing else."""

import geopandas as gpd
import pytest
import shapely

import landkit
from landkit import topology
from tests.geodesy import geodesic_area_m2


def geodesic_m2(geom, crs):
    return geodesic_area_m2(gpd.GeoSeries([geom], crs=crs))[0]


def fabric(crs="EPSG:4547"):
    """Nine edge-matched 50 m squares near the county seat, ids A..I."""
    x0, y0 = 400000, 3736000
    boxes = [
        shapely.box(x0 + 50 * i, y0 + 50 * j, x0 + 50 * (i + 1), y0 + 50 * (j + 1)) for j in range(3) for i in range(3)
    ]
    return gpd.GeoDataFrame(geometry=boxes, crs=crs, index=list("ABCDEFGHI"))


def test_clean_fabric_has_no_findings():
    f = fabric()
    assert topology.overlaps(f).empty and topology.gaps(f).empty and topology.invalid_geometry(f).empty


def test_sample_overlap_is_found_with_its_geodesic_area(sample_layers):
    p = sample_layers["parcels"]
    found = topology.overlaps(p)
    assert [sorted(ids) for ids in found["ids"]] == [["CB01591", "CB01662"]]
    inter = p.geometry["CB01662"].intersection(p.geometry["CB01591"])
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(inter, p.crs), rel=1e-7)
    assert found["area_mu"].iloc[0] == pytest.approx(found["area_m2"].iloc[0] * 15 / 10000)
    assert set(found.columns) >= {"rule", "severity", "ids", "area_m2", "area_mu", "message", "geometry"}


def test_duplicates_and_contained_parcels_are_overlaps():
    f = fabric()
    dup = f.loc[["E"]].rename(index={"E": "E2"})
    inner = gpd.GeoDataFrame(geometry=[f.geometry["A"].buffer(-10)], crs=f.crs, index=["A1"])
    found = topology.overlaps(gpd.GeoDataFrame(gpd.pd.concat([f, dup, inner]), crs=f.crs))
    by_ids = {tuple(sorted(ids)): msg for ids, msg in zip(found["ids"], found["message"], strict=True)}
    assert set(by_ids) == {("E", "E2"), ("A", "A1")}
    assert "registered twice" in by_ids[("E", "E2")] and "inside the other" in by_ids[("A", "A1")]
    assert not f.geometry["E"].overlaps(dup.geometry["E2"])  # why the overlaps predicate is not used


def test_min_area_ignores_digitising_noise():
    f = fabric()
    f.loc["B", "geometry"] = shapely.box(400049.9, 3736000, 400100, 3736050)  # 0.1 m into A: 5 m²
    assert topology.overlaps(f, min_area_m2=10).empty
    assert len(topology.overlaps(f, min_area_m2=1)) == 1


def test_sample_gap_is_found_and_nothing_else(sample_layers):
    p = sample_layers["parcels"]
    zone = sample_layers["planning_zones"].geometry["Z3"]
    found = topology.gaps(p, within=zone)
    assert [sorted(ids) for ids in found["ids"]] == [["CB01988", "CB01989"]]
    assert 30 < found["area_m2"].iloc[0] < 80  # a 1 m sliver along a shared edge of ~50 m


def test_a_planted_sliver_in_the_fabric():
    f = fabric()
    f.loc["E", "geometry"] = f.geometry["E"].difference(f.geometry["F"].buffer(0.5))
    found = topology.gaps(f)
    assert [sorted(ids) for ids in found["ids"]] == [["E", "F"]]
    assert found["area_m2"].iloc[0] == pytest.approx(25, rel=0.05)  # 0.5 m x 50 m


def test_sample_outside_zone_and_county(sample_layers):
    p = sample_layers["parcels"]
    zone = sample_layers["planning_zones"].geometry["Z3"]
    found = topology.outside(p, zone)
    assert list(found["ids"]) == [["CB00087"]]
    part = p.geometry["CB00087"].difference(zone)
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(part, p.crs), rel=1e-6)
    assert topology.outside(p, sample_layers["county"], rule="outside_county").empty


def test_sample_area_mismatch(sample_layers):
    found = topology.area_mismatch(sample_layers["parcels"])
    assert list(found["ids"]) == [["CB00648"]]
    assert found["area_m2"].iloc[0] / (10000 / 15) == pytest.approx(3.50, abs=0.006)
    assert "stated 16.67 mu" in found["message"].iloc[0]


def test_bow_tie_is_invalid_and_its_repair_refused():
    f = fabric()
    x, y = 400000, 3736200
    f.loc["X", "geometry"] = shapely.Polygon([(x, y), (x + 40, y + 40), (x + 40, y), (x, y + 40)])
    found = topology.invalid_geometry(f)
    assert list(found["ids"]) == [["X"]] and "Self-intersection" in found["message"].iloc[0]
    assert found.geometry.iloc[0].distance(shapely.Point(x + 20, y + 20)) < 1e-6
    assert f.geometry["X"].area == 0.0  # why a bow-tie must not be summed
    with pytest.raises(landkit.DataError, match=r"repair refused.*X"):
        topology.repair_geometry(f)


def test_self_touching_ring_is_repaired_when_the_area_is_kept():
    f = fabric()
    x, y = 400000, 3736200
    # a square whose ring touches itself at one point around a notch: invalid, but making it
    # valid (a square with a hole touching its edge) keeps the area
    ring = [(0, 0), (40, 0), (40, 40), (20, 40), (25, 30), (15, 30), (20, 40), (0, 40)]
    ring = [(x + dx, y + dy) for dx, dy in ring]
    f.loc["K", "geometry"] = shapely.Polygon(ring)
    assert not f.geometry["K"].is_valid
    fixed = topology.repair_geometry(f)
    assert fixed.geometry["K"].is_valid
    assert fixed.geometry["K"].area == pytest.approx(f.geometry["K"].area)
    assert f.geometry["K"].is_valid is False  # the input is untouched
