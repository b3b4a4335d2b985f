"""Issue 27 item 2: the gap check works neighbourhood by neighbourhood, with the answer of the whole.

The narrow spaces the gap check starts from are what a closing by half the gap width fills
around the union of the suspects. Here that closing is written out plainly, for the whole layer
at once (one union, GEOS's own mitred buffers), and compared with the neighbourhood-by-neighbourhood
work of ``topology._narrow_spaces``, with the neighbourhoods made tiny so that tiles, windows and
the spaces that run out of their window are all exercised; on a zoning fabric digitised polygon by
polygon, a jittered fabric with planted slivers (in metres and in lon/lat), and a parcel with
hundreds of holes. The findings must be those of one neighbourhood (the check as it was).
"""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from benchmarks.fabric import make_fabric
from benchmarks.zoning import zoning
from landkit import topology
from tests.geodesy import geodesic_area_m2

RADIUS, HALF = 1.0, topology.SNAP_M / 2  # the default gap width 2 m, the default snapping 10 cm


def closing_of_the_whole(polys: np.ndarray, radius: float, grow: float) -> np.ndarray:
    """What a closing by ``radius`` fills around the union of ``polys`` each grown by ``grow``: one union."""
    grown = shapely.buffer(polys, grow, join_style="mitre") if grow else polys
    union = shapely.union_all(grown)
    closed = shapely.buffer(shapely.buffer(union, radius, join_style="mitre"), -radius, join_style="mitre")
    parts = shapely.get_parts(shapely.difference(closed, union))
    return parts[~shapely.is_empty(parts)]


def assert_same_spaces(found: np.ndarray, expected: np.ndarray) -> None:
    """The same land, each piece of it once, to a millionth of a square metre per space.

    Spaces under 0.01 m² (a hundredth of the least gap: where a corner's noise leaves a crack of a
    few square millimetres, GEOS's rounding decides whether it is there, or whether a crack of no
    area joins two spaces into one) are not compared.

    The land may differ by hairlines only: GEOS draws a buffer to 1 % of its distance (it smooths
    away dents shallower than that before it offsets a line), and landkit works the closing out
    as the opening of the land around the polygons, whose dents are the polygons' bumps. So every
    piece of land one has and the other has not is thinner than 1 % of the 1 m radius (its
    inscribed circle under 5 mm) or a crack not compared, and all of them together under 0.001 m²
    a space.
    """
    found = found[shapely.area(found) > 0.01]
    expected = expected[shapely.area(expected) > 0.01]
    assert len(expected) and abs(len(found) - len(expected)) <= max(2, len(expected) // 100)
    one, other = shapely.union_all(found), shapely.union_all(expected)
    apart = shapely.get_parts(shapely.symmetric_difference(one, other))
    apart = apart[shapely.area(apart) > 0]
    assert shapely.area(apart).sum() < 1e-3 * len(expected)
    thin = shapely.length(shapely.maximum_inscribed_circle(apart, tolerance=1e-4)) < 0.005
    assert np.all(thin | (shapely.area(apart) < 0.01))
    assert shapely.area(found).sum() == pytest.approx(shapely.area(one), abs=1e-6)  # none kept twice


@pytest.fixture
def tiny_neighbourhoods(monkeypatch):
    """Neighbourhoods of a few suspects, and windows reaching 5 m beyond: long spaces run out of them."""
    monkeypatch.setattr(topology, "_HOOD_SUSPECTS", 20)
    monkeypatch.setattr(topology, "_HOOD_MARGIN", 5.0)
    calls = []
    closing = topology._closing_leftovers
    monkeypatch.setattr(topology, "_closing_leftovers", lambda *a: calls.append(len(a[0])) or closing(*a))
    return calls


def suspects_of(layer: gpd.GeoDataFrame) -> np.ndarray:
    cov = topology.coverage(layer)
    return cov.snapped[cov.suspects]


def test_the_spaces_of_a_zoning_fabric_by_neighbourhood_are_those_of_one_closing_of_the_whole(tiny_neighbourhoods):
    polys = suspects_of(zoning(600, seed=5))
    assert len(polys) > 400  # digitised polygon by polygon: almost every one is a suspect
    spaces, pieces = topology._narrow_spaces(polys, RADIUS, HALF)
    assert len(tiny_neighbourhoods) > 30  # many windows, the late ones included
    assert_same_spaces(spaces, closing_of_the_whole(polys, RADIUS, HALF))
    assert_same_spaces(pieces, closing_of_the_whole(polys, RADIUS, 0.0))
    assert len(pieces) > 100


def test_a_long_sliver_across_many_neighbourhoods_is_one_space_with_its_whole_area(tiny_neighbourhoods):
    # two long parcels 0.5 m apart over 600 m, and a row of small parcels along each: the sliver
    # runs through many tiles and out of every window (5 m beyond its tile)
    x0, y0 = 400000.0, 3736000.0
    south = [shapely.box(x0 + 10 * k, y0 - 30, x0 + 10 * (k + 1), y0 - 20) for k in range(60)]
    north = [shapely.box(x0 + 10 * k, y0 + 20.5, x0 + 10 * (k + 1), y0 + 30.5) for k in range(60)]
    long = [shapely.box(x0, y0 - 20, x0 + 600, y0), shapely.box(x0, y0 + 0.5, x0 + 600, y0 + 20.5)]
    polys = np.array([*south, *north, *long], dtype=object)
    spaces, pieces = topology._narrow_spaces(polys, RADIUS, HALF)
    assert len(tiny_neighbourhoods) > 3
    sliver = pieces[shapely.area(pieces) > 1]
    assert len(sliver) == 1
    assert shapely.area(sliver[0]) == pytest.approx(600 * 0.5, abs=1e-6)  # drawn: 0.5 m by 600 m
    assert_same_spaces(spaces, closing_of_the_whole(polys, RADIUS, HALF))
    # the same layer as parcels: one gap, its area Karney's area of the sliver as drawn
    layer = gpd.GeoDataFrame(geometry=polys, index=[f"P{k:03d}" for k in range(len(polys))], crs="EPSG:4547")
    found = topology.gaps(layer)
    assert [sorted(i) for i in found["ids"]] == [["P120", "P121"]]
    drawn = gpd.GeoSeries([shapely.box(x0, y0, x0 + 600, y0 + 0.5)], crs="EPSG:4547")
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_area_m2(drawn)[0], abs=1e-3)


def test_a_parcel_with_hundreds_of_holes_is_cut_into_neighbourhoods_with_the_same_spaces(monkeypatch):
    # 625 holes of 1 m (more than topology._MANY_HOLES: grown ring by ring), neighbours a few cm
    # off one side and 0.6 m off another; neighbourhoods of at most 300 vertices cut the parcel
    monkeypatch.setattr(topology, "_HOOD_VERTICES", 300)
    monkeypatch.setattr(topology, "_HOOD_MARGIN", 2.0)
    x0, y0, side = 400000.0, 3736000.0, 104.0
    holes = [
        shapely.box(x0 + 2 + 4 * i, y0 + 2 + 4 * j, x0 + 3 + 4 * i, y0 + 3 + 4 * j).exterior
        for i in range(25)
        for j in range(25)
    ]
    parcel = shapely.Polygon(shapely.box(x0, y0, x0 + side, y0 + side).exterior, holes)
    south = shapely.box(x0 - 5, y0 - 20, x0 + side + 5, y0 - 0.03)
    east = shapely.box(x0 + side + 0.6, y0 - 0.03, x0 + side + 20, y0 + side)
    polys = np.array([parcel, south, east], dtype=object)
    calls = []
    closing = topology._closing_leftovers
    monkeypatch.setattr(topology, "_closing_leftovers", lambda *a: calls.append(len(a[0])) or closing(*a))
    spaces, pieces = topology._narrow_spaces(polys, RADIUS, HALF)
    assert len(calls) >= 4
    assert_same_spaces(spaces, closing_of_the_whole(polys, RADIUS, HALF))
    assert_same_spaces(pieces, closing_of_the_whole(polys, RADIUS, 0.0))
    assert (np.isclose(shapely.area(pieces), 1.0)).sum() == 625  # every hole, once
    # and as a layer: the 0.6 m sliver along the east side is the one gap; the holes are not gaps
    layer = gpd.GeoDataFrame(geometry=polys, index=["HOLES", "S", "E"], crs="EPSG:4547")
    found = topology.gaps(layer)
    assert [sorted(i) for i in found["ids"]] == [["E", "HOLES"]]
    # the gap as drawn: the 0.6 m sliver, and the 3 cm crack along the south side it opens into
    sliver = shapely.box(x0 + side, y0 - 0.03, x0 + side + 0.6, y0 + side)
    drawn = gpd.GeoSeries([shapely.union(sliver, shapely.box(x0, y0 - 0.03, x0 + side, y0))], crs="EPSG:4547")
    assert found["area_m2"].iloc[0] == pytest.approx(geodesic_area_m2(drawn)[0], abs=1e-3)


def findings(layer: gpd.GeoDataFrame, zone=None) -> list[tuple]:
    found = topology.gaps(layer, within=zone)
    return sorted(
        (tuple(i), round(a, 6), m) for i, a, m in zip(found["ids"], found["area_m2"], found["message_zh"], strict=True)
    )


@pytest.mark.parametrize("lonlat", [False, True])
def test_gap_findings_by_neighbourhood_are_those_of_one_neighbourhood(monkeypatch, lonlat):
    fabric = make_fabric(900, kind="jittered")
    layer, zone = fabric.parcels, fabric.zone
    if lonlat:
        layer = layer.to_crs("EPSG:4490")
        zone = gpd.GeoSeries([zone], crs="EPSG:4547").to_crs("EPSG:4490").iloc[0]
    monkeypatch.setattr(topology, "_HOOD_SUSPECTS", 10**9)  # one neighbourhood: the whole, as before
    whole = findings(layer, zone)
    monkeypatch.setattr(topology, "_HOOD_SUSPECTS", 8)
    monkeypatch.setattr(topology, "_HOOD_MARGIN", 2.0)
    local = findings(layer, zone)
    assert [(i, m) for i, _, m in local] == [(i, m) for i, _, m in whole]
    assert np.allclose([a for _, a, _ in local], [a for _, a, _ in whole], rtol=1e-9)
    # and they are the planted slivers and wedges, each between its two parcels
    assert {frozenset(i) for i, _, _ in local} == set(fabric.gaps)


def dense_lined_parcel() -> gpd.GeoDataFrame:
    """A quarter disc of radius 100 m whose arc is digitised every 8 mm (20,000 vertices, each up to
    0.2 mm off the circle), lined by a neighbour a few centimetres off it but for 20 m of the arc,
    where the neighbour stands 0.5 m back (a gap); its straight sides face a neighbour 0.3 m off
    (another gap)."""
    rng = np.random.default_rng(11)
    x0, y0 = 400000.0, 3736000.0
    t = np.linspace(0, np.pi / 2, 20_000)
    r = 100 + rng.uniform(-2e-4, 2e-4, len(t))
    dense = shapely.Polygon(np.vstack([[x0, y0], np.column_stack([x0 + r * np.cos(t), y0 + r * np.sin(t)])]))
    a = np.linspace(0, np.pi / 2, 400)
    inner = 100 + rng.uniform(-0.03, 0.03, len(a)) + np.where((a > 0.6) & (a < 0.8), 0.5, 0.0)
    lining = shapely.Polygon(
        np.vstack(
            [
                np.column_stack([x0 + inner * np.cos(a), y0 + inner * np.sin(a)]),
                np.column_stack([x0 + 130 * np.cos(a), y0 + 130 * np.sin(a)])[::-1],
            ]
        )
    )
    corner = shapely.Polygon(
        [
            (x0 + 140, y0 - 0.3),
            (x0 + 140, y0 - 30),
            (x0 - 30, y0 - 30),
            (x0 - 30, y0 + 140),
            (x0 - 0.3, y0 + 140),
            (x0 - 0.3, y0 - 0.3),
        ]
    )
    return gpd.GeoDataFrame(geometry=[dense, lining, corner], index=["DENSE", "LINING", "L"], crs="EPSG:4547")


@pytest.mark.parametrize("above", [0, 1])
def test_the_dense_outline_edge_a_polygon_one_vertex_over_it_is_buffered_in_tiles(monkeypatch, above):
    """Just at the edge (as many vertices as :data:`_TILE_VERTICES`) the dense parcel is shrunk
    whole; one vertex over it, in tiles: GEOS's own buffer either way."""
    free = suspects_of(dense_lined_parcel())[0]
    n = int(shapely.get_num_coordinates(free))
    assert n > 19_000
    monkeypatch.setattr(topology, "_TILE_VERTICES", n - above)
    tiled = []
    tiles = topology._tiles
    monkeypatch.setattr(topology, "_tiles", lambda *a: tiled.append(1) or tiles(*a))
    for distance in (-HALF, -RADIUS):
        got = topology._buffer(np.array([free]), distance)[0]
        expected = shapely.buffer(free, distance, join_style="mitre")
        assert shapely.is_valid(got)
        # GEOS draws a buffer to 1 % of its distance, a tile's outline as the whole's: hairlines apart
        apart = shapely.get_parts(shapely.symmetric_difference(got, expected))
        apart = apart[~shapely.is_empty(apart)]
        assert shapely.area(apart).sum() < 0.01 * abs(distance)
        assert np.all(shapely.length(shapely.maximum_inscribed_circle(apart, 1e-5)) < 0.005 * abs(distance))
    assert bool(tiled) == bool(above)


def test_the_spaces_and_gap_of_a_dense_outline_are_those_of_one_closing_of_the_whole(monkeypatch):
    # windows of 8,000 vertices cut the arc: the dense parcel is grown at their edges too
    monkeypatch.setattr(topology, "_TILE_VERTICES", 2000)
    monkeypatch.setattr(topology, "_HOOD_VERTICES", 8000)
    monkeypatch.setattr(topology, "_HOOD_MARGIN", 5.0)
    layer = dense_lined_parcel()
    polys = suspects_of(layer)
    spaces, pieces = topology._narrow_spaces(polys, RADIUS, HALF)
    assert_same_spaces(spaces, closing_of_the_whole(polys, RADIUS, HALF))
    assert_same_spaces(pieces, closing_of_the_whole(polys, RADIUS, 0.0))
    found = findings(layer)
    assert [i for i, _, _ in found] == [("DENSE", "L", "LINING"), ("DENSE", "LINING")]  # the strip, the 20 m
    monkeypatch.setattr(topology, "_TILE_VERTICES", 10**9)
    assert findings(layer) == found  # as when every polygon is buffered whole
