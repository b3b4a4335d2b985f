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
    facing = topology._facing_open_edges(g, 2.0, parts=1)
    assert 0 < len(facing) < len(g) and np.array_equal(topology._facing_open_edges(g, 2.0, parts=3), facing)


@pytest.mark.parametrize("kind", ["jittered", "zoning"])
def test_snapping_in_strips_equals_snapping_the_whole(kind):
    """Each strip snapped with the polygons within four times the tolerance of its own: every
    polygon exactly as when the layer is snapped whole, however many strips."""
    from benchmarks.fabric import make_fabric
    from benchmarks.zoning import zoning

    layer = make_fabric(5_000, kind="jittered").parcels if kind == "jittered" else zoning(3_000, seed=4)
    g = layer.geometry.to_numpy()
    g = g[shapely.is_valid(g)]
    whole = topology.snap(g, parts=1)
    assert (~shapely.equals_exact(whole, g, 0)).sum() > len(g) / 4  # snapping moved many
    for parts in (2, 3, 7):
        assert np.all(shapely.equals_exact(topology.snap(g, parts=parts), whole, 0)), parts


def test_strips_are_cut_only_when_no_polygon_is_larger_than_a_strip(monkeypatch):
    """A polygon larger than a strip spans every strip: strips would validate it once each, two at
    a time (a 5 M-vertex parcel: 2.3 GB, not 1.3 GB). Just inside the edge the layer is cut."""
    from benchmarks.fabric import make_fabric

    g = make_fabric(2_000, kind="jittered").parcels.geometry.to_numpy()
    seen: list[int] = []

    def fn(part, where):
        assert np.array_equal(g[where], part)
        seen.append(len(part))
        return np.array([], dtype=np.int64)

    largest = int(shapely.get_num_coordinates(g).max())
    monkeypatch.setattr(topology, "_STRIP_VERTICES", largest)  # no polygon larger than a strip: cut
    topology._in_strips(fn, g, 2.0, None)
    assert len(seen) > 1 and max(seen) < len(g)
    seen.clear()
    monkeypatch.setattr(topology, "_STRIP_VERTICES", largest - 1)  # one polygon larger: given whole
    topology._in_strips(fn, g, 2.0, None)
    assert seen == [len(g)]


def test_overlap_checks_in_chunks_find_what_they_find_at_once(monkeypatch):
    """The overlap and digitising-overlap checks intersect :data:`CHUNK_OVERLAPS` pairs at a time:
    chunks of 7 pairs (every chunk edge crossed, 5,000 parcels) give the same findings as one chunk."""
    from benchmarks.fabric import make_fabric

    layer = make_fabric(5_000, kind="digitised").parcels

    def found():
        cov = topology.coverage(layer)
        rows = [topology.overlaps(layer, checked=cov), topology.digitising_overlaps(layer, checked=cov)]
        return [(f["rule"], tuple(f["ids"]), round(f["area_m2"], 9)) for r in rows for f in r.to_dict("records")]

    whole = found()
    assert {rule for rule, _, _ in whole} == {"overlap", "digitising_overlap"}  # both checks found some
    monkeypatch.setattr(topology, "CHUNK_OVERLAPS", 7)
    assert found() == whole


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


# Mutation-testing cases (tests/MUTANTS.md): each pins a behaviour a planner or a caller relies on.

GK, LONLAT = "EPSG:4547", "EPSG:4490"
X0, Y0 = 400000.0, 3736000.0
M2_PER_MU = 10000 / 15  # 1 mu, by definition


def box(x1, y1, x2, y2):
    """A box ``x1..x2`` by ``y1..y2`` metres from (X0, Y0) in EPSG:4547."""
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def poly(*points):
    return shapely.Polygon([(X0 + x, Y0 + y) for x, y in points])


def layer(crs=GK, **geoms):
    return gpd.GeoDataFrame(geometry=list(geoms.values()), index=list(geoms), crs=crs)


def lonlat(geom):
    """One EPSG:4547 geometry in lon/lat (EPSG:4490)."""
    return gpd.GeoSeries([geom], crs=GK).to_crs(LONLAT).iloc[0]


@pytest.mark.parametrize(
    ("reason", "zh"),
    [
        ("Self-intersection[400020 3736020]", "自相交，位置 [400020 3736020]"),
        ("Hole lies outside shell [5 5]", "内环在外环之外，位置 [5 5]"),  # a space before the location
        ("Too few points in geometry component", "图形的点数过少"),  # no location: none added
        ("Some reason GEOS adds later[1 2]", "Some reason GEOS adds later[1 2]"),  # unknown: as GEOS says it
        ("Self-intersection[1\n2]", "Self-intersection[1\n2]"),  # not parsed: as GEOS says it
    ],
)
def test_geos_reasons_are_translated_with_their_location_kept(reason, zh):
    assert topology._reason_zh(reason) == zh


def test_the_location_of_an_invalid_geometry_is_read_from_geos_reason():
    assert topology._reason_point("Self-intersection[400020 3736020]").equals(shapely.Point(400020, 3736020))
    assert topology._reason_point("Ring Self-intersection[-4.5e+05 1e-3]").equals(shapely.Point(-450000, 0.001))
    assert topology._reason_point("Too few points in geometry component") is None


def test_an_invalid_parcel_is_named_with_its_reason_its_location_and_its_repaired_area():
    bow = poly((0, 0), (40, 40), (40, 0), (0, 40))  # lobes cross at (20, 20)
    f = layer(A=box(100, 0, 150, 50), X=bow, N=None, E=shapely.Polygon())  # no geometry: not invalid
    (found,) = topology.invalid_geometry(f).itertuples()
    assert (found.rule, found.severity, found.ids) == ("invalid_geometry", "error", ["X"])
    assert found.geometry.equals(shapely.Point(X0 + 20, Y0 + 20))
    lobes = shapely.MultiPolygon([poly((0, 0), (20, 20), (40, 0)), poly((0, 40), (20, 20), (40, 40))])
    assert found.area_m2 == pytest.approx(geodesic_m2(lobes, GK), rel=1e-6)  # 800 m², not the drawn 0
    assert found.area_mu == pytest.approx(found.area_m2 / M2_PER_MU, rel=1e-12)
    assert found.message.startswith("X: invalid geometry (Self-intersection[400020 3736020])")
    assert "repair_geometry()" in found.message
    assert found.message_zh.startswith("X：图形无效（自相交，位置 [400020 3736020]），面积不可信")
    assert topology.invalid_geometry(f.loc[["A", "N", "E"]]).empty


def test_an_invalid_parcel_in_lon_lat_is_located_in_lon_lat():
    bow = lonlat(poly((0, 0), (40, 40), (40, 0), (0, 40)))
    (found,) = topology.invalid_geometry(layer(LONLAT, X=bow)).itertuples()
    crossing = lonlat(shapely.Point(X0 + 20, Y0 + 20))
    assert found.geometry.distance(crossing) < 1e-7  # about 1 cm
    assert found.area_m2 == pytest.approx(geodesic_m2(shapely.make_valid(bow), LONLAT), rel=1e-6)


def test_repair_leaves_valid_and_missing_features_as_they_are():
    line = shapely.LineString([(X0, Y0), (X0 + 10, Y0)])  # valid, not a polygon: not repair's business
    two = shapely.MultiPolygon([box(0, 0, 10, 10), box(20, 0, 30, 10)])
    notch = [(0, 0), (40, 0), (40, 40), (20, 40), (25, 30), (15, 30), (20, 40), (0, 40)]  # self-touching
    f = layer(L=line, M=two, N=None, K=poly(*notch))
    fixed = topology.repair_geometry(f)
    assert fixed.geometry["L"].equals_exact(line, 0) and fixed.geometry["M"].equals_exact(two, 0)
    assert fixed.geometry["N"] is None
    assert fixed.geometry["K"].is_valid


def test_repair_with_no_tolerance_accepts_only_a_repair_that_keeps_the_area_exactly():
    # integer coordinates: both shoelace sums are exact, so "the same area" means bit for bit
    notch = [(0, 0), (40, 0), (40, 40), (20, 40), (25, 30), (15, 30), (20, 40), (0, 40)]
    f = layer(K=poly(*notch))
    fixed = topology.repair_geometry(f, tolerance=0)
    assert fixed.geometry["K"].is_valid and fixed.geometry["K"].area == 40 * 40 - 10 * 10 / 2
    with pytest.raises(landkit.DataError, match=r"repair refused for 1 feature\(s\) \(X\).*more than 0\.0%"):
        topology.repair_geometry(layer(X=poly((0, 0), (40, 40), (40, 0), (0, 40))), tolerance=0)


def test_a_refused_repair_names_the_first_ten_features():
    bows = {f"X{k:02}": poly((100 * k, 0), (100 * k + 40, 40), (100 * k + 40, 0), (100 * k, 40)) for k in range(11)}
    with pytest.raises(landkit.DataError) as refused:
        topology.repair_geometry(layer(**bows))
    message = str(refused.value)
    assert "for 11 feature(s) (X00, X01, X02, X03, X04, X05, X06, X07, X08, X09):" in message
    assert "X10" not in message and "more than 0.1%" in message


def test_a_polygon_collapsed_to_a_line_is_repaired_to_an_empty_polygon():
    flat = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20), (X0, Y0)])  # no area at all
    fixed = topology.repair_geometry(layer(F=flat)).geometry["F"]
    assert fixed.geom_type == "Polygon" and fixed.is_empty  # the layer keeps one geometry type


def zone_and_parcel(d, length=30.0):
    """A 100 m square zone and P reaching ``d`` metres beyond its east side over ``length`` metres."""
    return box(0, 0, 100, 100), layer(P=box(40, 50, 100 + d, 50 + length), Q=box(0, 0, 50, 50))


def test_a_parcel_outside_the_zone_is_reported_with_the_area_and_share_outside():
    zone, f = zone_and_parcel(10.0)  # P: 70 m x 30 m, of which 10 m x 30 m outside
    (found,) = topology.outside(f, zone).itertuples()
    part, whole = geodesic_m2(box(100, 50, 110, 80), GK), geodesic_m2(box(40, 50, 110, 80), GK)
    assert (found.rule, found.severity, found.ids) == ("outside_zone", "error", ["P"])
    assert found.area_m2 == pytest.approx(part, rel=1e-6) and found.geometry.equals(box(100, 50, 110, 80))
    assert found.message == f"P: {part:,.1f} m² ({part / M2_PER_MU:,.2f} mu, 14% of it) lies outside the zone"
    assert round(100 * part / whole) == 14
    assert found.message_zh == f"P：有 {part:,.1f} m²（{part / M2_PER_MU:,.2f} 亩，占 14%）超出规划范围"


@pytest.mark.parametrize(
    ("name", "name_zh", "expected"),
    [
        ("the county", None, "超出县域"),
        ("the reserve", None, "超出the reserve"),
        ("the reserve", "储备范围", "超出储备范围"),
    ],
)
def test_the_boundary_is_named_in_both_languages(name, name_zh, expected):
    zone, f = zone_and_parcel(10.0)
    (found,) = topology.outside(f, zone, rule="outside_county", name=name, name_zh=name_zh).itertuples()
    assert found.rule == "outside_county" and found.message.endswith(f"lies outside {name}")
    assert found.message_zh.endswith(expected)


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_default_least_area_outside_is_one_square_metre(side):
    # P reaches 0.5 m beyond the zone (five times the tolerance) over 1.98 m or 2.02 m: 0.99 or 1.01 m²
    zone, f = zone_and_parcel(0.5, length=2 * (0.99 if side == "inside" else 1.01))
    found = topology.outside(f, zone)
    assert list(found["ids"]) == ([] if side == "inside" else [["P"]])


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_a_parcel_in_the_zones_corner_may_be_drawn_out_by_the_tolerance_along_both_edges(side):
    # the parcel's corner is off the zone's by d in x and in y (d * sqrt(2) away): each edge only d out
    d = 0.1 * (0.99 if side == "inside" else 1.01)
    zone = box(0, 0, 100, 100)
    f = layer(P=box(50, 50, 100 + d, 100 + d))
    found = topology.outside(f, zone, min_area_m2=0)
    if side == "inside":
        assert found.empty
    else:
        sticking_out = box(50, 50, 100 + d, 100 + d).difference(zone)
        assert list(found["ids"]) == [["P"]]
        assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(sticking_out, GK), rel=1e-6)


def test_a_boundary_layer_in_another_crs_is_dissolved_and_reprojected():
    zone, f = zone_and_parcel(10.0)
    halves = gpd.GeoDataFrame(geometry=[box(0, 0, 50, 100), box(50, 0, 100, 100)], crs=GK).to_crs(LONLAT)
    found = topology.outside(f, halves)
    assert list(found["ids"]) == [["P"]]
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(box(100, 50, 110, 80), GK), rel=1e-6)
    assert found.crs == GK
    # a boundary layer without a CRS is taken to be in the layer's
    assert list(topology.outside(f, gpd.GeoSeries([zone]))["ids"]) == [["P"]]


def test_a_lon_lat_layer_is_found_outside_by_metres_and_reported_in_lon_lat():
    zone, f = zone_and_parcel(10.0)
    found = topology.outside(f.to_crs(LONLAT), lonlat(zone))
    assert list(found["ids"]) == [["P"]] and found.crs == LONLAT
    assert found.geometry.iloc[0].symmetric_difference(lonlat(box(100, 50, 110, 80))).area < 1e-12
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(box(100, 50, 110, 80), GK), rel=1e-5)


def test_a_layer_without_crs_is_refused_by_the_outside_check():
    f = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 110, 10)], index=["P"])
    with pytest.raises(landkit.CRSError, match="set_crs"):
        topology.outside(f, gpd.GeoSeries([shapely.box(0, 0, 100, 100)], crs=GK))


def square_with_stated(stated_mu, crs=GK):
    """P, a 100 m square (Karney's area: about 9,997 m²), with its stated area."""
    p = layer(P=box(0, 0, 100, 100)).to_crs(crs)
    p["stated_area_mu"] = stated_mu
    return p


def test_an_area_mismatch_names_the_stated_and_measured_areas_and_the_allowance():
    measured = geodesic_m2(box(0, 0, 100, 100), GK)
    allowed = 0.0003 * 2000 * np.sqrt(measured) + 0.005 * M2_PER_MU  # the cadastral rule at 1:2000
    f = square_with_stated(16.0)
    (found,) = topology.area_mismatch(f).itertuples()
    diff = 16.0 * M2_PER_MU - measured
    assert (found.rule, found.severity, found.ids) == ("area_mismatch", "warning", ["P"])
    assert found.area_m2 == pytest.approx(diff, rel=1e-6) and found.geometry.equals(f.geometry["P"])
    m = f"{measured / M2_PER_MU:,.2f}"
    assert found.message == (
        f"P: stated 16.00 mu, measured {m} mu (ellipsoidal): +{diff / M2_PER_MU:,.2f} mu, "
        f"more than the {allowed:,.1f} m² allowed; check the documents or the drawing"
    )
    assert found.message_zh == (
        f"P：登记 16.00 亩，实测 {m} 亩（椭球面积），相差 +{diff / M2_PER_MU:,.2f} 亩，"
        f"超过允许的 {allowed:,.1f} m²；请核对权属资料或图形"
    )
    (less,) = topology.area_mismatch(square_with_stated(14.0, LONLAT)).itertuples()
    assert f"{(14.0 * M2_PER_MU - measured) / M2_PER_MU:+,.2f} mu" in less.message
    assert less.message.startswith("P: stated 14.00 mu")
    assert less.area_m2 == pytest.approx(measured - 14.0 * M2_PER_MU, rel=1e-6) and less.geometry.geom_type == "Polygon"


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_default_map_scale_is_1_to_2000(side):
    # 1:2001 would allow 0.03 m² more in 63 m²: the edge is approached within 0.01 %
    measured = geodesic_m2(box(0, 0, 100, 100), GK)
    allowed = 0.0003 * 2000 * np.sqrt(measured) + 0.005 * M2_PER_MU
    k = 0.9999 if side == "inside" else 1.0001
    found = topology.area_mismatch(square_with_stated((measured + k * allowed) / M2_PER_MU))
    assert list(found["ids"]) == ([] if side == "inside" else [["P"]])


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_a_fixed_area_allowance_replaces_the_cadastral_rule(side):
    measured = geodesic_m2(box(0, 0, 100, 100), GK)
    k = 0.99 if side == "inside" else 1.01
    found = topology.area_mismatch(square_with_stated((measured - k * 5.0) / M2_PER_MU), tolerance_m2=5.0)
    assert list(found["ids"]) == ([] if side == "inside" else [["P"]])
    if side == "outside":
        assert found["area_m2"].iloc[0] == pytest.approx(5.05, rel=1e-5)
        assert "more than the 5.0 m² allowed" in found["message"].iloc[0]


def test_the_callers_measured_areas_are_used_as_given():
    f = square_with_stated(15.0)
    f.loc["Q", "geometry"] = box(200, 0, 300, 100)
    f.loc["Q", "stated_area_mu"] = 15.0
    measured = gpd.pd.Series([15.0 * M2_PER_MU, 12.0 * M2_PER_MU], index=f.index)  # Q measured otherwise
    found = topology.area_mismatch(f, measured=measured, tolerance_m2=0)
    assert list(found["ids"]) == [["Q"]]  # P's stated area equals its measured one exactly: no difference
    assert found["area_m2"].iloc[0] == pytest.approx(3.0 * M2_PER_MU, rel=1e-12)


def test_stated_areas_read_as_text_are_compared_as_numbers():
    f = square_with_stated("16.00")  # as a text ledger gives them
    (found,) = topology.area_mismatch(f).itertuples()
    assert found.area_m2 == pytest.approx(16.0 * M2_PER_MU - geodesic_m2(box(0, 0, 100, 100), GK), rel=1e-6)


def test_area_mismatch_without_the_stated_column_says_how_to_name_it():
    with pytest.raises(landkit.DataError, match=r"no column 'area_登记'.*stated="):
        topology.area_mismatch(square_with_stated(15.0), stated="area_登记")


def audited_fabric(crs=GK):
    """Parcels with one defect of each kind, a zone and a county (a layer), all in ``crs``.

    A-B overlap 10 m x 50 m, J-K 0.2 m x 50 m; B-C are 0.5 m apart over 50 m (in the zone), F-G
    too (outside it); C reaches 0.3 m beyond the zone's east side, E, F and G lie beyond it; A
    reaches 10 m beyond the county's west side, D 0.3 m. B's stated area is 100 m² too large, C's
    20 m² (within the 1:2000 allowance of 33 m², beyond the 1:500 one of 11 m²)."""
    f = layer(
        A=box(0, 0, 50, 50),
        B=box(40, 0, 90, 50),
        C=box(90.5, 0, 140, 50),
        D=box(9.7, 200, 50, 250),
        E=box(200, 0, 250, 50),
        F=box(200, 100, 250, 150),
        G=box(250.5, 100, 300, 150),
        J=box(20, 100, 70, 150),
        K=box(69.8, 100, 120, 150),
    )
    off = {"B": 100.0, "C": 20.0}
    f["stated_area_mu"] = [(geodesic_m2(g, GK) + off.get(i, 0.0)) / M2_PER_MU for i, g in f.geometry.items()]
    zone, county = box(-50, -50, 139.7, 300), gpd.GeoDataFrame(geometry=[box(10, -100, 400, 400)], crs=GK)
    if crs == GK:
        return f, zone, county
    return f.to_crs(crs), lonlat(zone), county.to_crs(crs)


AUDITED = {
    "invalid_geometry": [],
    "outside_zone": [("C",), ("E",), ("F",), ("G",)],
    "outside_county": [("A",), ("D",)],
    "area_mismatch": [("B",)],
    "overlap": [("A", "B"), ("J", "K")],
    "gap": [("B", "C")],
}


def audit_findings(crs=GK, rules_text="", **kwargs):
    f, zone, county = audited_fabric(crs)
    found = topology.parcel_checks(f, landkit.audit.load_rules(rules_text), zone=zone, county=county, **kwargs)
    by_rule = {}
    for df in found:
        assert len(df) == 0 or df.crs == f.crs
        for r in df.itertuples():
            by_rule.setdefault(r.rule, []).append(tuple(sorted(r.ids)))
    return {rule: sorted(by_rule.get(rule, [])) for rule in AUDITED}, found


@pytest.mark.parametrize("crs", [GK, LONLAT])
def test_parcel_checks_find_each_defect_with_the_zone_and_the_county(crs):
    steps = []
    by_rule, found = audit_findings(crs, step=steps.append)
    assert by_rule == AUDITED and steps == ["invalid_geometry", "overlap", "gap"]
    assert [df["rule"].iloc[0] for df in found if len(df)] == [
        "outside_zone",
        "outside_county",
        "area_mismatch",
        "overlap",
        "gap",
    ]
    rows = {(r.rule, tuple(sorted(r.ids))): r for df in found for r in df.itertuples()}
    assert rows["outside_zone", ("C",)].message.endswith("lies outside the zone")
    assert rows["outside_county", ("A",)].message.endswith("lies outside the county")
    assert rows["outside_county", ("A",)].message_zh.endswith("超出县域")
    assert rows["outside_county", ("A",)].area_m2 == pytest.approx(geodesic_m2(box(0, 0, 10, 50), GK), rel=1e-4)
    assert rows["outside_zone", ("C",)].area_m2 == pytest.approx(geodesic_m2(box(139.7, 0, 140, 50), GK), rel=1e-3)
    assert rows["gap", ("B", "C")].area_m2 == pytest.approx(geodesic_m2(box(90, 0, 90.5, 50), GK), rel=1e-3)
    assert rows["area_mismatch", ("B",)].area_m2 == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize(
    ("rules_text", "rule", "changed"),
    [
        ("[overlap]\nsnap_m = 0.3", "overlap", [("A", "B")]),  # 0.2 m deep: within this tolerance
        ("[overlap]\nmin_area_m2 = 100", "overlap", [("A", "B")]),  # J-K's shrunk core: 5 m²
        ("[gap]\nsnap_m = 0.6", "gap", []),  # 0.5 m wide: within this tolerance
        ("[gap]\nmin_area_m2 = 30", "gap", []),  # 20 m² uncovered beyond the 0.1 m tolerance
        ("[outside_zone]\nsnap_m = 0.5", "outside_zone", [("E",), ("F",), ("G",)]),  # C: 0.3 m out
        ("[outside_zone]\nmin_area_m2 = 20", "outside_zone", [("E",), ("F",), ("G",)]),  # C: 15 m² out
        ("[outside_county]\nsnap_m = 0.5", "outside_county", [("A",)]),  # D: 0.3 m out
        ("[outside_county]\nmin_area_m2 = 20", "outside_county", [("A",)]),  # D: 15 m² out
        ("[area_mismatch]\nmap_scale = 500", "area_mismatch", [("B",), ("C",)]),  # C: 20 m² > 11 m²
    ],
)
def test_parcel_checks_take_each_threshold_from_the_rules(rules_text, rule, changed):
    by_rule, _ = audit_findings(GK, rules_text)
    assert by_rule == {**AUDITED, rule: changed}


def test_parcel_checks_share_one_coverage_when_the_tolerances_agree(monkeypatch):
    calls = []
    original = topology.coverage

    def spy(gdf, **kwargs):
        calls.append(kwargs["snap_m"])
        return original(gdf, **kwargs)

    monkeypatch.setattr(topology, "coverage", spy)
    assert audit_findings(GK)[0] == AUDITED and calls == [0.1]
    calls.clear()
    by_rule, _ = audit_findings(GK, "[overlap]\nsnap_m = 0.3")
    assert by_rule["gap"] == [("B", "C")] and calls == [0.3, 0.1]  # the gaps' own, at their tolerance


def overlap_message(i, j, kind, kind_zh, m2):
    return (
        f"{i} and {j}: {kind}, {m2:,.1f} m² ({m2 / M2_PER_MU:,.2f} mu) counted twice",
        f"{i} 与 {j}：{kind_zh}{m2:,.1f} m²（{m2 / M2_PER_MU:,.2f} 亩）被重复计算",
    )


def test_each_kind_of_overlap_is_told_with_its_area_in_both_languages():
    f = fabric()
    f.loc["B", "geometry"] = box(45, 0, 100, 50)  # 5 m into A
    extra = layer(E2=f.geometry["E"], A1=box(10, 10, 40, 40))  # E registered twice, A1 inside A
    found = topology.overlaps(gpd.GeoDataFrame(gpd.pd.concat([f, extra]), crs=GK))
    rows = {tuple(r.ids): r for r in found.itertuples()}
    assert set(rows) == {("A", "B"), ("E", "E2"), ("A", "A1")}
    expected = {
        ("A", "B"): ("the parcels overlap", "重叠 ", box(45, 0, 50, 50)),
        ("E", "E2"): (
            "duplicate: the same land is registered twice",
            "重复图形（同一块地登记了两次），",
            f.geometry["E"],
        ),
        ("A", "A1"): ("one parcel lies inside the other", "包含（一块地在另一块之内），", box(10, 10, 40, 40)),
    }
    for ids, (kind, kind_zh, shape) in expected.items():
        m2, r = geodesic_m2(shape, GK), rows[ids]
        assert (r.rule, r.severity) == ("overlap", "error")
        assert r.area_m2 == pytest.approx(m2, rel=1e-6) and r.area_mu == pytest.approx(m2 / M2_PER_MU, rel=1e-6)
        assert (r.message, r.message_zh) == overlap_message(*ids, kind, kind_zh, m2)
        assert r.geometry.symmetric_difference(shape).area < 1e-6


def test_a_duplicate_digitised_again_is_still_a_duplicate_and_a_parcel_sticking_out_is_an_overlap():
    rng = np.random.default_rng(11)
    f = fabric()
    again = np.asarray(f.geometry["E"].exterior.coords)[:-1] + rng.uniform(-0.01, 0.01, (4, 2))  # within 1 cm
    # P lies in C but for 0.5 m x 1.5 m beyond C's east side: beyond the tolerance, it is not inside
    extra = layer(E2=shapely.Polygon(again), P=box(120, 10, 150.5, 11.5))
    found = topology.overlaps(gpd.GeoDataFrame(gpd.pd.concat([f, extra]), crs=GK))
    rows = {tuple(r.ids): r.message for r in found.itertuples()}
    assert set(rows) == {("E", "E2"), ("C", "P")}
    assert "registered twice" in rows["E", "E2"] and "the parcels overlap" in rows["C", "P"]


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_default_least_overlap_is_one_square_metre_of_shrunk_core(side):
    # B reaches 0.6 m into A over L metres: shrunk by 5 cm each, they share 0.5 m x (L - 0.1 m)
    scale = geodesic_m2(box(0, 0, 50, 50), GK) / 2500  # the plane's area scale here (Karney)
    k = 0.99 if side == "inside" else 1.01
    length = 0.1 + k / (0.5 * scale)
    f = layer(A=box(0, 0, 50, 50), B=box(49.4, 10, 100, 10 + length))
    assert geodesic_m2(box(49.45, 10.05, 49.95, 9.95 + length), GK) == pytest.approx(k, rel=1e-6)
    found = topology.overlaps(f)
    assert [list(i) for i in found["ids"]] == ([] if side == "inside" else [["A", "B"]])


def test_an_overlap_that_also_touches_along_a_line_is_reported_as_an_area():
    # B fills the top of A's U-shaped notch, overlapping its west arm and touching the notch's floor and east side
    u = poly((0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30))
    f = layer(U=u, B=box(5, 10, 20, 40))
    (found,) = topology.overlaps(f).itertuples()
    assert shapely.get_type_id(shapely.intersection(u, f.geometry["B"])) == 7  # a polygon and lines
    assert found.geometry.geom_type == "Polygon" and found.geometry.equals(box(5, 10, 10, 30))
    assert found.area_m2 == pytest.approx(geodesic_m2(box(5, 10, 10, 30), GK), rel=1e-6)


def test_overlaps_of_a_lon_lat_layer_are_given_back_in_lon_lat():
    f = fabric()
    f.loc["B", "geometry"] = box(45, 0, 100, 50)
    ll = f.to_crs(LONLAT)
    (found,) = topology.overlaps(ll).itertuples()
    assert found.ids == ["A", "B"] and found.area_m2 == pytest.approx(geodesic_m2(box(45, 0, 50, 50), GK), rel=1e-6)
    assert topology.overlaps(ll).crs == LONLAT and found.geometry.within(ll.geometry["A"].buffer(1e-7))
    assert topology.overlaps(fabric().to_crs(LONLAT)).crs == LONLAT  # no suspect: nothing
    f.loc["B", "geometry"] = box(49.95, 0, 100, 50)  # 5 cm into A: noise, but a suspect
    assert topology.overlaps(f.to_crs(LONLAT)).crs == LONLAT


def test_a_gap_is_told_with_its_width_and_area_in_both_languages():
    f = layer(A=box(0, 0, 30, 50), B=box(31, 0, 60, 50))  # 1 m apart over 50 m
    (found,) = topology.gaps(f).itertuples()
    m2 = geodesic_m2(box(30, 0, 31, 50), GK)
    assert (found.rule, found.severity, found.ids) == ("gap", "warning", ["A", "B"])
    assert found.area_m2 == pytest.approx(m2, rel=1e-6) and found.area_mu == pytest.approx(m2 / M2_PER_MU, rel=1e-6)
    assert found.message == f"A and B: a 1.00 m wide sliver of {m2:,.1f} m² between them; make them meet"
    assert found.message_zh == f"A 与 B 之间有 1.00 m 宽的缝隙，面积 {m2:,.1f} m²；应使两块地相接"


def test_a_gap_along_three_parcels_names_them_all():
    # A and B 1 m apart, C 1 m above both: a T of 1 m slivers, 1 m x 31 m and 60 m x 1 m sharing 1 m²
    f = layer(A=box(0, 0, 30, 30), B=box(31, 0, 60, 30), C=box(0, 31, 60, 60))
    (found,) = topology.gaps(f).itertuples()
    m2 = geodesic_m2(shapely.union(box(30, 0, 31, 31), box(0, 30, 60, 31)), GK)
    assert found.ids == ["A", "B", "C"] and found.area_m2 == pytest.approx(m2, rel=1e-6)
    assert found.message.startswith("A and B and C: a ") and f"sliver of {m2:,.1f} m² between them" in found.message
    assert found.message_zh.startswith("A 与 B 与 C 之间有 ") and found.message_zh.endswith("；应使这些地块相接")


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_default_least_gap_is_one_square_metre_beyond_the_tolerance(side):
    # A and B 0.3 m apart over L metres: grown by 5 cm each, 0.2 m x (L + 0.1 m) stays uncovered
    scale = geodesic_m2(box(0, 0, 50, 50), GK) / 2500
    k = 0.99 if side == "inside" else 1.01
    length = k / (0.2 * scale) - 0.1
    f = layer(A=box(0, 0, 30, length), B=box(30.3, 0, 60, length))
    assert geodesic_m2(box(30.05, -0.05, 30.25, length + 0.05), GK) == pytest.approx(k, rel=1e-6)
    found = topology.gaps(f)
    assert [list(i) for i in found["ids"]] == ([] if side == "inside" else [["A", "B"]])


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_a_gap_width_given_to_gaps_alone_moves_the_edge(side):
    # without the rules' coverage: gaps() validates the coverage itself at its own width
    w = 3.0 * (0.99 if side == "inside" else 1.01)
    f = layer(A=box(0, 0, 30, 30), B=box(30 + w, 0, 60 + w, 30))
    found = topology.gaps(f, max_width_m=3.0)
    assert [list(i) for i in found["ids"]] == ([["A", "B"]] if side == "inside" else [])
    assert topology.gaps(f).empty  # wider than the default 2 m either way


def test_a_snapping_tolerance_given_to_gaps_alone_is_used():
    f = layer(A=box(0, 0, 30, 30), B=box(30.5, 0, 60, 30))  # 0.5 m apart
    assert [list(i) for i in topology.gaps(f)["ids"]] == [["A", "B"]]
    assert topology.gaps(f, snap_m=0.6).empty  # grown by 0.3 m each, they close it


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_coverage_names_the_sides_of_gaps_narrower_than_2_m_by_default(side):
    w = 2.0 * (0.99 if side == "inside" else 1.01)
    f = layer(A=box(0, 0, 30, 30), B=box(30 + w, 0, 60 + w, 30))
    assert list(topology.coverage(f).suspects) == ([0, 1] if side == "inside" else [])


def test_gaps_in_a_lon_lat_layer_are_limited_to_a_lon_lat_zone_and_given_back_in_lon_lat():
    f = layer(A=box(0, 0, 30, 30), B=box(31, 0, 60, 30), C=box(0, 100, 30, 130), D=box(31, 100, 60, 130))
    ll, zone = f.to_crs(LONLAT), lonlat(box(-10, -10, 70, 50))  # around A-B's gap, not C-D's
    found = topology.gaps(ll, within=zone)
    assert [list(i) for i in found["ids"]] == [["A", "B"]] and found.crs == LONLAT
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_m2(box(30, 0, 31, 30), GK), rel=1e-4)
    assert found.geometry.iloc[0].symmetric_difference(lonlat(box(30, 0, 31, 30))).area < 1e-12
    assert topology.gaps(fabric().to_crs(LONLAT)).crs == LONLAT  # no suspect: nothing, in the layer's CRS


def test_an_empty_layer_has_empty_findings_with_every_column_in_its_crs():
    empty = gpd.GeoDataFrame(geometry=[], crs=LONLAT)
    for found in [topology.empty_findings(LONLAT), *topology.parcel_checks(empty, landkit.audit.load_rules())]:
        assert found.empty and list(found.columns) == topology.FINDING_COLUMNS and found.crs == LONLAT


def test_features_that_are_not_valid_polygons_are_left_out_of_the_pairwise_checks():
    f = fabric()
    x, y = 400050, 3736050  # a bow-tie over E, a line and a point across A and B, an empty and a missing polygon
    odd = layer(
        X=shapely.Polygon([(x, y), (x + 40, y + 40), (x + 40, y), (x, y + 40)]),
        L=shapely.LineString([(400010, 3736010), (400090, 3736010)]),
        Pt=shapely.Point(400050, 3736025),
        Em=shapely.Polygon(),
        N=None,
    )
    g = gpd.GeoDataFrame(gpd.pd.concat([f, odd]), crs=GK)
    assert topology.overlaps(g).empty and topology.gaps(g).empty
    assert [list(i) for i in topology.invalid_geometry(g)["ids"]] == [["X"]]
    assert list(topology.coverage(g).valid) == list(range(9))  # A..I only


def test_a_gap_between_sides_digitised_every_metre_is_found():
    # A's east side and B's west side, 1.5 m apart, each with a vertex every metre (a survey's
    # chainage): GEOS's validator flags a gap only where edges run side by side for longer than it is wide
    ys = np.arange(0, 30.001, 1.0)
    a = poly((0, 0), *[(30, y) for y in ys], (0, 30))
    b = poly((31.5, 0), (60, 0), (60, 30), *[(31.5, y) for y in ys[::-1]][:-1])
    assert len(topology._invalid(np.array([a, b]), 2.0)) == 0
    (found,) = topology.gaps(layer(A=a, B=b)).itertuples()
    assert found.ids == ["A", "B"] and found.area_m2 == pytest.approx(geodesic_m2(box(30, 0, 31.5, 30), GK), rel=1e-6)
    assert "a 1.50 m wide sliver" in found.message


def test_a_parcel_registered_twice_alone_is_a_duplicate():
    sq = box(0, 0, 40, 40)  # every edge shared exactly, by the copy
    (found,) = topology.overlaps(layer(L1=sq, L2=sq)).itertuples()
    assert found.ids == ["L1", "L2"] and "registered twice" in found.message
    assert found.area_m2 == pytest.approx(geodesic_m2(sq, GK), rel=1e-6)


def test_snapping_does_not_depend_on_the_order_of_the_parcels():
    # B's copy of A's north-east corner lies 5 cm east of it, on the same line: the west one is kept
    a = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    b = shapely.Polygon([(10, 0), (20, 0), (20, 10), (10.05, 10)])
    ab, ba = topology.snap(np.array([a, b])), topology.snap(np.array([b, a]))
    assert ab[0].equals_exact(ba[1], 0) and ab[1].equals_exact(ba[0], 0)
    assert (10.0, 10.0) in set(map(tuple, shapely.get_coordinates(ab[1])))


def test_a_parcel_with_a_hole_is_snapped_too():
    # a plot around a pond, its corner 3 cm off its neighbour's: snapped, they share it exactly
    plot = shapely.Polygon([(0, 0), (30, 0), (30.03, 30), (0, 30)], [[(10, 10), (20, 10), (20, 20), (10, 20)]])
    east = shapely.Polygon([(30, 0), (60, 0), (60, 30), (30, 30)])
    out = topology.snap(np.array([plot, east]))
    assert not shapely.coverage_is_valid(np.array([plot, east])) and shapely.coverage_is_valid(out)
    assert len(out[0].interiors) == 1 and out[0].area == pytest.approx(plot.area, abs=0.03 * 30)


def test_no_snapping_tolerance_leaves_every_vertex_as_drawn():
    drawn = shapely.Polygon([(0, 0), (10, 0), (10, 0), (10, 10), (5, 10.01), (0, 10)])  # a repeated vertex, a bend
    assert topology.snap(np.array([drawn]), 0)[0].equals_exact(drawn, 0)
    assert len(topology.snap(np.array([drawn]), 0)[0].exterior.coords) == 7


@pytest.mark.parametrize("axis", ["horizontal", "vertical"])
def test_a_lone_bend_within_the_tolerance_of_a_straight_edge_is_dropped(axis):
    # a vertex 2 cm off the 10 m edge through its neighbours, shared with no one: digitising noise
    ring = [(0, 0), (10, 0), (10, 10), (5, 10.02), (0, 10)]
    bend = (5, 10.02) if axis == "horizontal" else (10.02, 5)
    ring = ring if axis == "horizontal" else [(y, x) for x, y in ring]
    assert bend in ring
    out = topology.snap(np.array([shapely.Polygon(ring)]))[0]
    assert len(out.exterior.coords) == 5 and bend not in set(map(tuple, out.exterior.coords))
    assert out.equals(shapely.box(0, 0, 10, 10))


def test_an_overlap_under_the_minimum_area_is_no_finding_and_the_empty_result_keeps_the_crs():
    # two 50 m squares overlapping by a 0.4 m strip 1 m long: 0.4 m² beyond the 0.1 m snap, under 1 m²
    a = shapely.box(500_000, 3_700_000, 500_050, 3_700_050)
    b = shapely.Polygon([(500_049.6, 3_700_049), (500_100, 3_700_049), (500_100, 3_700_100), (500_049.6, 3_700_100)])
    gdf = gpd.GeoDataFrame({"parcel_id": ["A", "B"]}, geometry=[a, b], crs="EPSG:4547").set_index("parcel_id")
    assert shapely.area(shapely.intersection(a, b)) == pytest.approx(0.4)
    none = topology.overlaps(gdf, min_area_m2=1.0)
    assert len(none) == 0 and none.crs == gdf.crs
    found = topology.overlaps(gdf, min_area_m2=0.01)  # the same pair, with a smaller minimum
    assert [sorted(ids) for ids in found["ids"]] == [["A", "B"]]


def test_strips_validate_each_parcel_with_its_neighbours_across_the_cut():
    """The coverage validator, run in vertical strips, sees a parcel's neighbours in the next strip:
    a 0.5 m gap between the third and fourth of six 100 m squares (in a row far east of the origin,
    so that x and y ranges differ) makes both invalid, whatever the number of strips."""
    squares = [shapely.box(1000 + 100 * k, 0, 1100 + 100 * k, 100) for k in range(3)]
    squares += [shapely.box(1300.5 + 100 * k, 0, 1400.5 + 100 * k, 100) for k in range(3)]
    geoms = np.array(squares, dtype=object)
    whole = topology._invalid(geoms, 2.0, parts=1)
    assert list(whole) == [2, 3]
    for parts in (2, 3):
        assert list(topology._invalid(geoms, 2.0, parts=parts)) == [2, 3], parts
    wide = topology._invalid(geoms, 0.4, parts=2)  # a gap wider than gap_width is no invalid edge
    assert list(wide) == []
    for parts in (1, 2, 3):  # the edges facing across the gap, whatever the strips
        assert list(topology._facing_open_edges(geoms, 2.0, parts=parts)) == [2, 3], parts
        assert list(topology._facing_open_edges(geoms, 0.4, parts=parts)) == [], parts


def test_snapping_at_exactly_the_tolerance():
    """The tolerance's edge, where floats make it exact (coordinates near 0): corners exactly 0.1 m
    apart are one corner (a k-d tree pair at distance ≤ r, a cluster no wider than the tolerance);
    a bend exactly 0.1 m off its chord is kept (dropped only when closer); a bend 0.099 m off is dropped."""
    left, right = shapely.box(-10, 0, 0, 10), shapely.box(0.1, 0, 10.1, 10)
    assert right.distance(left) == 0.1
    merged = topology.snap(np.array([left, right], dtype=object), 0.1)
    assert shapely.bounds(merged[1]).tolist() == [0.0, 0.0, 10.1, 10.0]  # onto the south-west-most corner
    on_edge = shapely.Polygon([(0, 0), (1, 0.1), (2, 0), (2, 2), (0, 2)])  # 0.1 off the chord (0,0)-(2,0), exactly
    kept = topology.snap(np.array([on_edge], dtype=object), 0.1)[0]
    assert shapely.get_coordinates(kept).tolist() == shapely.get_coordinates(on_edge).tolist()
    inside = shapely.Polygon([(0, 0), (1, 0.099), (2, 0), (2, 2), (0, 2)])
    dropped = topology.snap(np.array([inside], dtype=object), 0.1)[0]
    assert dropped.equals(shapely.box(0, 0, 2, 2))


def test_a_bend_is_dropped_from_a_quadrilateral_that_becomes_a_triangle():
    """Dropping a bend may leave three vertices: still a polygon, so the bend goes."""
    bent = shapely.Polygon([(0, 0), (50, 0.02), (100, 0), (0, 100)])
    (snapped,) = topology.snap(np.array([bent], dtype=object), 0.1)
    assert shapely.get_coordinates(snapped).tolist() == [[0, 0], [100, 0], [0, 100], [0, 0]]
