"""Issue 27: topology in memory linear in the vertices, and thin overlaps listed by their area.

The bounded-memory steps (snapping's clusters, the facing open edges, the overlap cores) must give
the answer of the all-pairs methods they replace: those are written out here, plainly (every pair
of points within the tolerance from a k-d tree; every open edge's middle against every other
open edge), and compared on fabrics with dense curves, slivers, holes and centimetre misfits, with
the chunks made tiny so that the chunking itself is exercised. Areas of thin overlaps are checked
against Karney's geodesic area of the overlap drawn by hand (tests/geodesy.py).
"""

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from landkit import audit, topology
from tests.geodesy import geodesic_area_m2

GK, LONLAT = "EPSG:4547", "EPSG:4490"
X0, Y0 = 400000.0, 3736000.0
SNAP = 0.1


def clusters_all_pairs(points: np.ndarray, tol: float) -> np.ndarray:
    """Which points fall in a cluster no wider than ``tol`` (every pair within ``tol`` joined)."""
    return clusters_of(points, cKDTree(points).query_pairs(tol, output_type="ndarray"), tol)


def clusters_of(points: np.ndarray, pairs: np.ndarray, tol: float) -> np.ndarray:
    """The clusters that ``pairs`` join, each kept only if no wider than ``tol`` (else its points alone)."""
    n = len(points)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    k, label = connected_components(graph, directed=False)
    low, high = np.full((k, 2), np.inf), np.full((k, 2), -np.inf)
    np.minimum.at(low, label, points)
    np.maximum.at(high, label, points)
    narrow = np.all(high - low <= tol, axis=1)
    return np.where(narrow[label], label, -1 - np.arange(n))


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a, b, strict=True))) == len(set(a)) == len(set(b))


def facing_all_pairs(geoms: np.ndarray, width: float) -> np.ndarray:
    """Every unshared edge's middle against every other polygon's unshared edge (the quadratic method)."""
    owner_edges, segments = [], []
    for k, g in enumerate(geoms):
        for ring in [g.exterior, *g.interiors]:
            xy = np.asarray(ring.coords)
            for a, b in itertools.pairwise(xy):
                owner_edges.append(k)
                segments.append((tuple(a), tuple(b)))
    keys = pd.Series([frozenset(s) for s in segments])
    open_ = ~keys.duplicated(keep=False).to_numpy()
    owner = np.array(owner_edges)[open_]
    segs = [segments[i] for i in np.flatnonzero(open_)]
    lines = shapely.linestrings([list(s) for s in segs])
    mids = shapely.points([((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in segs])
    out = set()
    for i in range(len(segs)):
        d = shapely.distance(mids[i], lines)
        hit = (d <= width) & (owner != owner[i])
        if hit.any():
            out |= {owner[i], *owner[hit]}
    return np.array(sorted(out), dtype=np.int64)


def dense_fabric():
    """A parcel with a curve digitised every 2 mm beside neighbours a few cm off, a 0.5 m sliver,
    a pond (hole) and an island in it: what the bounded steps must handle as the quadratic ones do."""
    rng = np.random.default_rng(5)
    t = np.linspace(0, np.pi / 2, 800)
    arc = np.column_stack([X0 + 100 * np.cos(t), Y0 + 100 * np.sin(t)])  # 157 m of arc, every 0.2 m
    fine = np.linspace(0, np.pi / 2, 80_000)  # and every 2 mm
    dense_arc = np.column_stack([X0 + 100 * np.cos(fine), Y0 + 100 * np.sin(fine)])
    inside = shapely.Polygon(np.vstack([[X0, Y0], dense_arc]))
    wiggle = arc + rng.uniform(-0.03, 0.03, arc.shape)
    outside = shapely.Polygon(np.vstack([wiggle, [[X0, Y0 + 150], [X0 + 150, Y0 + 150], [X0 + 150, Y0]]]))
    pond = shapely.box(X0 + 20, Y0 + 20, X0 + 30, Y0 + 30)
    island = shapely.box(X0 + 22, Y0 + 22, X0 + 28.5, Y0 + 28)  # 0.5 m from the pond's east shore
    inside = shapely.Polygon(inside.exterior, [pond.exterior])
    east = shapely.box(X0 + 150.5, Y0, X0 + 200, Y0 + 150)  # a 0.5 m sliver beside `outside`
    corner = shapely.box(X0 + 150.02, Y0 + 150.01, X0 + 200, Y0 + 200)  # its corner 2 cm off
    return np.array([inside, outside, island, east, corner], dtype=object)


def snap_targets_as_every_pair_does(geoms, tol, monkeypatch, chunk_vertices=1000):
    """Snapping's targets against the all-pairs clusters: the same partition, each cluster moved
    onto its south-west-most point; the pairs found in bounded chunks and all at once alike."""
    monkeypatch.setattr(topology, "CHUNK_PAIRS", 50)  # many chunks
    monkeypatch.setattr(topology, "CHUNK_VERTICES", chunk_vertices)
    coords = shapely.get_coordinates(geoms)
    codes, uniques = pd.factorize(np.ascontiguousarray(coords).view(np.complex128).ravel())
    points = np.column_stack([uniques.real, uniques.imag])
    monkeypatch.setattr(topology, "_PAIRS_AT_ONCE", 1e9)  # all at once
    at_once = topology._snap_targets(points, coords, codes, tol)
    monkeypatch.setattr(topology, "_PAIRS_AT_ONCE", 0.0)  # more pairs than CHUNK_PAIRS: in chunks
    monkeypatch.setattr(topology, "CHUNK_PAIRS", 0)  # a point at a time
    target = topology._snap_targets(points, coords, codes, tol)
    assert np.array_equal(at_once, target)
    reference = clusters_all_pairs(points, tol)
    assert same_partition(target, reference)
    for label in np.unique(reference[reference >= 0]):
        members = np.flatnonzero(reference == label)
        south_west = members[np.lexsort((points[members, 1], points[members, 0]))[0]]
        assert np.all(target[members] == south_west)
    assert np.all(target[reference < 0] == np.flatnonzero(reference < 0))  # wide clusters stay
    return reference


def test_snapping_in_bounded_memory_clusters_as_every_pair_does(monkeypatch):
    geoms = dense_fabric()
    for tol in (SNAP, 0.5):
        reference = snap_targets_as_every_pair_does(geoms, tol, monkeypatch)
        assert (reference >= 0).sum() > 2  # some corners do merge (the 2 cm corner, the wiggle's ends)
        assert (reference < 0).sum() > 80_000  # and the dense curve stays as drawn


def test_a_wide_chain_joined_through_a_shared_vertex_stays(monkeypatch):
    """Two short runs of close vertices, each narrower than the tolerance, drawn by two parcels that
    share their middle vertex: together wider than the tolerance, so nothing moves; a corner digitised
    twice 3 cm apart beside it merges; a vertex repeated inside a dense run does not break the run."""
    x0, y0 = X0, Y0
    a = shapely.Polygon([(x0, y0), (x0 + 0.06, y0), (x0 + 10, y0 + 10), (x0 - 10, y0 + 10)])  # a run 6 cm wide
    b = shapely.Polygon([(x0 + 0.06, y0), (x0 + 0.12, y0), (x0 + 10, y0 - 10), (x0 - 10, y0 - 10)])  # and one more
    c = shapely.box(x0 + 20, y0, x0 + 30, y0 + 10)
    d = shapely.Polygon([(x0 + 30.03, y0), (x0 + 40, y0), (x0 + 40, y0 + 10), (x0 + 30, y0 + 10)])
    t = np.linspace(0, np.pi, 400)
    arc = np.column_stack([x0 + 60 + 5 * np.cos(t), y0 + 5 * np.sin(t)])  # 4 cm apart: one wide run
    arc = np.insert(arc, 200, arc[199], axis=0)  # a vertex repeated
    e = shapely.Polygon(arc)
    f = shapely.Polygon([(x0 + 65.02, y0 + 0.01), (x0 + 70, y0), (x0 + 70, y0 + 5)])  # 2 cm off the arc's end
    geoms = np.array([a, b, c, d, e, f])
    reference = snap_targets_as_every_pair_does(geoms, SNAP, monkeypatch, chunk_vertices=7)
    assert (reference >= 0).sum() > 0 and (reference < 0).sum() >= 400 + 3
    snapped = topology.snap(geoms)
    assert shapely.equals_exact(snapped[0], geoms[0], 0)  # the chain through the shared vertex stays
    assert [x0 + 0.06, y0] in shapely.get_coordinates(snapped[1]).tolist()
    assert shapely.get_coordinates(snapped[3])[0].tolist() == [x0 + 30, y0]  # the corner 3 cm off merged


def test_vertex_codes_merge_equal_coordinates():
    rng = np.random.default_rng(3)
    xy = rng.integers(0, 5, (2000, 2)).astype(float)
    xy[::7, 0] = -0.0 * xy[::7, 0]  # -0.0 and 0.0 are one coordinate
    codes, points = topology._vertex_codes(xy)
    reference, _ = pd.factorize(pd.Series(list(map(tuple, xy + 0.0))))
    assert same_partition(codes, reference) and np.array_equal(points[codes], xy)
    assert len(points) == len(np.unique(xy + 0.0, axis=0)) == 25


def test_facing_open_edges_in_bounded_memory_are_the_quadratic_ones(monkeypatch):
    monkeypatch.setattr(topology, "CHUNK_PAIRS", 7)
    geoms = topology.snap(dense_fabric())
    thin = geoms.copy()
    thin[0] = shapely.Polygon(shapely.get_coordinates(geoms[0].exterior)[::400], [geoms[0].interiors[0]])
    for width in (2.0, 0.3):  # the quadratic reference is too slow for the 80,000-vertex curve: thinned
        expected = facing_all_pairs(thin, width)
        assert np.array_equal(topology._facing_open_edges(thin, width), expected)
        assert np.array_equal(topology._facing_open_edges(geoms, width), expected)
    # the pond and its island, the sliver, the corners a centimetre or two apart; at 0.3 m not the sliver
    assert set(facing_all_pairs(thin, 2.0)) == {0, 1, 2, 3, 4} and set(facing_all_pairs(thin, 0.3)) == {0, 1, 3, 4}


def rectangles(width, length=200.0, crs=GK, jitter=0.0):
    """A and B, 200 m long, B drawn ``width`` into A along their whole shared side."""
    rng = np.random.default_rng(9)
    a = np.array([[0, 0], [50, 0], [50, length], [0, length], [0, 0]], float)
    b = np.array([[50 - width, 0], [100, 0], [100, length], [50 - width, length], [50 - width, 0]], float)
    if jitter:
        a[:-1] += rng.uniform(-jitter, jitter, (4, 2))
        b[:-1] += rng.uniform(-jitter, jitter, (4, 2))
        a[-1], b[-1] = a[0], b[0]
    origin = np.array([X0, Y0])
    geoms = [shapely.Polygon(a + origin), shapely.Polygon(b + origin)]
    layer = gpd.GeoDataFrame(geometry=geoms, index=["A", "B"], crs=GK)
    truth = geodesic_area_m2(gpd.GeoSeries([shapely.intersection(*geoms)], crs=GK))[0]
    return (layer.to_crs(crs) if crs != GK else layer), truth


@pytest.mark.parametrize("crs", [GK, LONLAT])
@pytest.mark.parametrize("width", [0.05, SNAP * 0.99, SNAP * 1.01])
def test_an_overlap_thinner_than_the_snap_is_listed_with_its_area(width, crs):
    layer, truth = rectangles(width, crs=crs)
    assert topology.overlaps(layer).empty  # shrunk by half the tolerance each, they share < 1 m²
    (found,) = topology.digitising_overlaps(layer).itertuples()
    assert found.rule == "digitising_overlap" and found.severity == "warning" and found.ids == ["A", "B"]
    assert found.area_m2 == pytest.approx(truth, rel=1e-6) and truth == pytest.approx(200 * width, rel=1e-3)
    assert f"{truth:,.1f} m²" in found.message_zh and "数字化重叠" in found.message_zh


def test_a_thin_overlap_on_digitised_corners_is_listed_too():
    layer, truth = rectangles(0.05, jitter=0.01)  # every corner a centimetre off
    (found,) = topology.digitising_overlaps(layer).itertuples()
    assert found.area_m2 == pytest.approx(truth, rel=1e-6) and 8 < truth < 12


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_the_least_area_of_a_digitising_overlap(side):
    length = topology.DIGITISING_MIN_M2 / 0.05 * (0.99 if side == "inside" else 1.01)  # 99 m or 101 m
    layer, truth = rectangles(0.05, length=length)
    found = topology.digitising_overlaps(layer)
    assert len(found) == (0 if side == "inside" else 1)
    assert (truth > topology.DIGITISING_MIN_M2) == (side == "outside")


def test_an_overlap_is_never_also_a_digitising_overlap():
    layer, truth = rectangles(0.12)  # shrunk, they still share (0.12 - 0.1) x 200 m = 4 m²
    (over,) = topology.overlaps(layer).itertuples()
    assert over.area_m2 == pytest.approx(truth, rel=1e-6)
    assert topology.digitising_overlaps(layer).empty


def test_totals_say_what_overlaps_count_twice():
    layer, truth = rectangles(0.05)
    layers = {"parcels": layer}
    findings = audit.audit(layers)
    thin = findings[findings["rule"] == "digitising_overlap"]
    assert len(thin) == 1 and thin["severity"].iloc[0] == "warning"
    sums = audit.totals(layers, findings)
    each = geodesic_area_m2(layer.geometry)
    union = geodesic_area_m2(gpd.GeoSeries([shapely.union_all(layer.geometry.to_numpy())], crs=GK))[0]
    assert sums["layers"]["parcels"]["area_m2"] == pytest.approx(each.sum(), abs=0.01)  # the parts' sum
    twice = sums["counted_twice"]["parcels"]
    assert twice["pairs"] == 1 and twice["area_m2"] == pytest.approx(truth, abs=0.01)
    assert twice["area_once_m2"] == pytest.approx(union, abs=0.02)  # the land, counted once
    assert "counted_twice" not in audit.totals(layers)


def test_a_dense_outline_is_checked_like_a_plain_one():
    """One parcel digitised every 5 mm (40,000 vertices) beside a neighbour 5 cm over it along 200 m:
    the same findings as with the outline drawn with 4 vertices."""
    layer, truth = rectangles(0.05)
    a = layer.geometry["A"]
    x = np.linspace(X0, X0 + 50, 10_001)
    y = np.linspace(Y0, Y0 + 200, 40_001)
    ring = np.vstack(
        [
            np.column_stack([x, np.full_like(x, Y0)]),
            np.column_stack([np.full_like(y, X0 + 50), y])[1:],
            np.column_stack([x[::-1], np.full_like(x, Y0 + 200)])[1:],
            np.column_stack([np.full_like(y, X0), y[::-1]])[1:],
        ]
    )
    dense = layer.copy()
    dense.loc["A", "geometry"] = shapely.Polygon(ring)
    assert dense.geometry["A"].equals(a)
    rules = audit.load_rules()
    plain = topology.parcel_checks(layer, rules)
    found = topology.parcel_checks(dense, rules)
    key = lambda fs: sorted((r.rule, tuple(r.ids), round(r.area_m2, 4)) for f in fs for r in f.itertuples())  # noqa: E731
    assert key(found) == key(plain) == [("digitising_overlap", ("A", "B"), round(truth, 4))]


@pytest.mark.parametrize("distance", [-0.05, 0.05, 1.0])
def test_buffers_in_tiles_and_ring_by_ring_are_geos_buffers(monkeypatch, distance):
    """A large polygon is buffered in tiles, one with many holes grown ring by ring: the shapes are
    GEOS's own buffers (what differs is rounding, under a square millimetre)."""
    monkeypatch.setattr(topology, "_TILE_VERTICES", 500)
    monkeypatch.setattr(topology, "_MANY_HOLES", 3)
    geoms = dense_fabric()[:3]
    rng = np.random.default_rng(4)
    holes = [
        shapely.box(X0 + x, Y0 + y, X0 + x + 1.5, Y0 + y + 0.8).exterior
        for x, y in rng.uniform(40, 60, (6, 2)) * (1, 1)
    ]
    holes = [
        h
        for k, h in enumerate(holes)
        if not any(shapely.intersects(shapely.Polygon(h), shapely.Polygon(o)) for o in holes[:k])
    ]
    geoms[1] = shapely.Polygon(shapely.box(X0 + 30, Y0 + 30, X0 + 70, Y0 + 70).exterior, holes)
    assert shapely.get_num_interior_rings(geoms[1]) > 3 and shapely.get_num_coordinates(geoms[0]) > 500
    expected = shapely.buffer(geoms, distance, join_style="mitre")
    got = topology._grow(geoms, distance) if distance > 0 else topology._buffer(geoms, distance)
    assert np.all(shapely.is_valid(got))
    assert np.all(shapely.area(shapely.symmetric_difference(got, expected)) < 1e-6)


@pytest.mark.parametrize("width", [0.03, 0.044, 0.046, 0.099, 0.101, 0.3])
def test_the_shrunk_overlap_of_a_dense_outline_is_geos_s(monkeypatch, width):
    """A parcel whose east side is digitised every 10 mm, each vertex up to 0.2 mm off the line, and a
    neighbour drawn ``width`` into it: the shrunk shapes' common part is GEOS's, each buffered whole. A sliver
    within 0.9 of half the tolerance of the neighbour's edge (0.045 m) is known empty without buffers."""
    rng = np.random.default_rng(8)
    y = np.linspace(Y0, Y0 + 200, 20_001)
    east = np.column_stack([X0 + 50 + rng.uniform(-2e-4, 2e-4, len(y)), y])
    a = shapely.Polygon(np.vstack([[[X0, Y0]], east, [[X0, Y0 + 200]]]))
    b = shapely.box(X0 + 50 - width, Y0 + 10, X0 + 100, Y0 + 190)
    g = np.array([a, b], dtype=object)
    half = SNAP / 2
    reference = shapely.area(
        shapely.intersection(shapely.buffer(a, -half, join_style="mitre"), shapely.buffer(b, -half, join_style="mitre"))
    )
    buffered = []
    shrink = topology._buffer
    monkeypatch.setattr(topology, "_buffer", lambda *args: buffered.append(1) or shrink(*args))
    core = topology._shrunk_overlap(g, np.array([[0, 1]]), np.array([shapely.intersection(a, b)]), half)
    assert shapely.area(core[0]) == pytest.approx(reference, abs=1e-6)
    assert (reference > 0) == (width > 2 * half)
    assert bool(buffered) == (width > 0.9 * half + 2e-4)  # the band's edge, less the digitising noise


def test_work_spread_over_the_cores_comes_back_whole_and_in_order():
    # topology._on_cores cuts the arrays in one part per core and runs them in threads: the result
    # must be the element-wise call itself, element for element, whatever the number of parts
    rng = np.random.default_rng(7)
    n = 5001  # not a multiple of any number of parts
    x, y = rng.uniform(0, 1000, n), rng.uniform(0, 1000, n)
    a = shapely.box(x, y, x + rng.uniform(1, 20, n), y + rng.uniform(1, 20, n))
    b = shapely.box(x + 0.5, y - 0.5, x + 10, y + 10)
    expected = shapely.intersection(a, b)
    for per_part in (1, 100, 2500, 10_000):
        got = topology._on_cores(shapely.intersection, a, b, per_part=per_part)
        assert len(got) == n and shapely.equals_exact(got, expected, 0).all()
    assert len(topology._on_cores(shapely.intersection, a[:0], b[:0])) == 0
