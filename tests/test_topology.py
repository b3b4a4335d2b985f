"""Topology findings: the sample's documented defects are found, and nothing else."""

import geopandas as gpd
import numpy as np
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


def test_digitising_noise_is_not_an_overlap_but_a_deeper_overlap_is():
    f = fabric()
    f.loc["B", "geometry"] = shapely.box(400049.92, 3736000, 400100, 3736050)  # 8 cm into A: 4 m²
    assert topology.overlaps(f).empty  # within the 10 cm snapping tolerance
    assert len(topology.overlaps(f, snap_m=0)) == 1  # without it, 4 m² counted twice
    assert topology.overlaps(f, snap_m=0, min_area_m2=10).empty
    f.loc["B", "geometry"] = shapely.box(400049.7, 3736000, 400100, 3736050)  # 30 cm: a real overlap
    (found,) = topology.overlaps(f).itertuples()
    assert sorted(found.ids) == ["A", "B"] and found.area_m2 == pytest.approx(15, rel=1e-3)


def test_sample_gap_is_found_and_nothing_else(sample_layers):
    p = sample_layers["parcels"]
    zone = sample_layers["planning_zones"].geometry["Z3"]
    found = topology.gaps(p, within=zone)
    # the 1 m sliver ends where CB02047 meets CB01989: CB02047 borders it for 1 m only
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


def test_an_isolated_duplicate_and_a_merged_parcel_kept_beside_its_parts_are_found():
    # both were missed by an order-free edge hash: every edge appears exactly twice
    f = fabric()
    lone = shapely.box(401000, 3737000, 401040, 3737040)  # touches no other parcel
    merged = shapely.union(f.geometry["A"], f.geometry["B"])
    extra = gpd.GeoDataFrame(geometry=[lone, lone, merged], crs=f.crs, index=["L1", "L2", "AB"])
    found = topology.overlaps(gpd.GeoDataFrame(gpd.pd.concat([f, extra]), crs=f.crs))
    by_ids = {tuple(sorted(ids)): msg for ids, msg in zip(found["ids"], found["message"], strict=True)}
    assert set(by_ids) == {("L1", "L2"), ("A", "AB"), ("AB", "B")}
    assert "registered twice" in by_ids[("L1", "L2")] and "inside the other" in by_ids[("A", "AB")]


def test_an_enclosed_sliver_between_touching_neighbours_is_a_gap():
    # E's right edge bows 0.4 m inward between its two corners: E and F still touch at both
    # ends, and the lens between them is land nobody registered
    f = fabric()
    x, y0, y1 = 400100, 3736050, 3736100
    f.loc["E", "geometry"] = shapely.Polygon([(400050, y0), (x, y0), (x - 0.4, (y0 + y1) / 2), (x, y1), (400050, y1)])
    assert f.geometry["E"].touches(f.geometry["F"])
    (found,) = topology.gaps(f).itertuples()
    assert sorted(found.ids) == ["E", "F"]
    lens = shapely.Polygon([(x, y0), (x - 0.4, (y0 + y1) / 2), (x, y1)])
    assert found.area_m2 == pytest.approx(geodesic_m2(lens, f.crs), abs=1e-3)


def test_centimetre_noise_is_neither_overlap_nor_gap_but_a_decimetre_sliver_is_a_gap():
    # every parcel digitised on its own: each copy of a corner moved 1-5 cm, as in real surveys
    rng = np.random.default_rng(5)
    f = fabric()
    moved = []
    for geom in f.geometry:
        xy = np.asarray(geom.exterior.coords)[:-1]
        r, t = rng.uniform(0.01, 0.05, len(xy)), rng.uniform(0, 2 * np.pi, len(xy))
        xy = xy + np.column_stack([r * np.cos(t), r * np.sin(t)])
        moved.append(shapely.Polygon(xy))
    noisy = f.set_geometry(moved)
    assert not shapely.coverage_is_valid(noisy.geometry.to_numpy())  # nothing is shared exactly
    assert topology.overlaps(noisy).empty and topology.gaps(noisy).empty
    assert len(topology.overlaps(noisy, snap_m=0)) > 0  # without the tolerance, noise is reported
    cut = noisy.geometry["E"].difference(shapely.box(400099.7, 3736000, 400200, 3736200))  # 30 cm back from F
    noisy.loc["E", "geometry"] = cut
    (found,) = topology.gaps(noisy).itertuples()
    assert sorted(found.ids) == ["E", "F"] and found.area_m2 == pytest.approx(15, rel=0.05)


def test_snap_merges_close_vertices_and_keeps_far_ones():
    a = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    b = shapely.Polygon([(10.03, 0.02), (20, 0), (20, 10), (9.98, 10.04)])  # 3-4 cm off A's corners
    c = shapely.Polygon([(10.5, 20), (20, 20), (20, 30), (10.5, 30)])  # 50 cm from anything
    d = shapely.Polygon([(0, 10), (5, 10.02), (10, 10), (10, 20), (0, 20)])  # a 2 cm bend A lacks
    out = topology.snap(np.array([a, b, c, d], dtype=object), 0.1)
    assert shapely.coverage_is_valid(out[[0, 1]]) and not shapely.coverage_is_valid(np.array([a, b]))
    assert out[2].equals_exact(c, 0) and len(out[3].exterior.coords) == 5
    assert abs(out[0].area - a.area) < 0.1 * 10 * 2  # moved within the tolerance only


def test_the_coverage_check_in_strips_equals_the_whole():
    from benchmarks.fabric import make_fabric

    g = make_fabric(5_000, kind="jittered").parcels.geometry.to_numpy()
    g = topology.snap(g[shapely.is_valid(g)])
    whole = topology._invalid(g, 2.0, parts=1)
    assert len(whole) > 0 and np.array_equal(topology._invalid(g, 2.0, parts=3), whole)


# Cases from a red-team pass on real-shaped data: each was wrong once.


def arc(r, n=71):
    t = np.radians(np.linspace(250, 290, n))
    return np.column_stack([450000 + r * np.cos(t), 3700200 + r * np.sin(t)])


def test_a_sliver_along_a_curve_digitised_every_metre_and_a_half_is_a_gap():
    # GEOS's validator flags a gap only where two edges run side by side for longer than the
    # gap is wide: a curve digitised every 1.5 m never does
    c = arc(150.0)
    plot = shapely.Polygon(np.vstack([c, [(c[-1, 0], 3700120), (c[0, 0], 3700120)]]))
    road = shapely.Polygon(np.vstack([arc(150.6)[::-1], arc(162.0)]))
    g = gpd.GeoDataFrame(geometry=[plot, road], crs="EPSG:4547", index=["plot", "road"])
    sliver = shapely.difference(shapely.Polygon(np.vstack([c, arc(150.6)[::-1]])), shapely.union(plot, road))
    (found,) = topology.gaps(g).itertuples()
    assert sorted(found.ids) == ["plot", "road"]
    assert found.area_m2 == pytest.approx(geodesic_m2(sliver, g.crs), rel=1e-3)


def test_holes_and_parts_smaller_than_the_tolerance_do_not_break_snapping():
    plot = shapely.box(450000, 3700000, 450050, 3700050)
    well = shapely.Point(450025, 3700025).buffer(0.5)  # 1 m across, vertices 5 cm apart
    crumb = shapely.MultiPolygon(
        [shapely.box(450100, 3700000, 450150, 3700050), shapely.box(450160, 3700000, 450160.04, 3700000.04)]
    )
    g = gpd.GeoDataFrame(
        geometry=[
            shapely.Polygon(plot.exterior, [well.exterior]),
            shapely.box(450050, 3700000, 450100, 3700050),
            crumb,
        ],
        crs="EPSG:4547",
        index=["A", "B", "C"],
    )
    assert topology.overlaps(g).empty and topology.gaps(g).empty
    assert topology.snap(g.geometry.to_numpy())[0].interiors  # the well is still a hole


def test_a_densely_digitised_boundary_is_not_collapsed_by_snapping():
    # plots either side of a line digitised every 8 cm, a real 0.5 m sliver between N2 and N3
    x0, y = 450000.0, 3700000.0
    geoms, ids = [], []
    for i in range(6):
        a, b = x0 + 10 * i, x0 + 10 * (i + 1)
        line = [(x, y) for x in np.arange(a, b - 1e-9, 0.08)]
        left = a + 0.5 if i == 3 else a
        north = shapely.Polygon([(left, y)] + (line[1:] if left == a else []) + [(b, y), (b, y + 40), (left, y + 40)])
        south = shapely.Polygon([(a, y - 40), (b, y - 40), (b, y), *line[::-1][:-1], (a, y)])
        geoms += [north, south]
        ids += [f"N{i}", f"S{i}"]
    g = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4547", index=ids)
    snapped = topology.snap(g.geometry.to_numpy())
    assert np.allclose(shapely.area(snapped), shapely.area(g.geometry.to_numpy()), atol=0.5)
    (found,) = topology.gaps(g).itertuples()
    assert sorted(found.ids) == ["N2", "N3"] and found.area_m2 == pytest.approx(20, rel=1e-3)


def test_parcel_checks_measure_lon_lat_layers_in_metres():
    g = gpd.GeoDataFrame(
        geometry=[
            shapely.box(450000, 3700000, 450050, 3700050),
            shapely.box(450040, 3700000, 450090, 3700050),
            shapely.box(450090.5, 3700000, 450140, 3700050),
        ],
        crs="EPSG:4547",
        index=list("ABC"),
    )
    rules = landkit.audit.load_rules()

    def found(layer):
        return sorted(
            (f.rule, tuple(sorted(f.ids)), round(f.area_m2, 1))
            for df in topology.parcel_checks(layer, rules)
            for f in df.itertuples()
        )

    metres = found(g)
    assert metres == [("gap", ("B", "C"), 25.0), ("overlap", ("A", "B"), 500.0)]
    assert found(g.to_crs("EPSG:4490")) == metres
