"""三区三线 and the current land use: where reserve parcels conflict, and what land they take.

The constraint layers (永久基本农田 ``basic_farmland``, 生态保护红线 ``eco_redline``, 城镇开发边界
``urban_boundary``) and the current land use (``land_use``, 三调 polygons coded by the 用地用海分类
guide) are optional layers of the project. Every area is ellipsoidal on CGCS2000; a conflict is
only a conflict beyond the snapping tolerance (a boundary digitised a few centimetres off is not
one), so each parcel is shrunk by ``snap_m`` metres before it is tested and the conflict's area is
then measured on the whole parcel.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .measure import area
from .schema import CONSTRAINT_LAYERS, LAND_USE_CODES
from .units import M2_PER_MU, shown


def _in_crs(layer: gpd.GeoDataFrame, crs) -> np.ndarray:
    layer = layer.to_crs(crs) if layer.crs is not None and crs is not None and layer.crs != crs else layer
    g = layer.geometry.to_numpy()
    return shapely.make_valid(g[~shapely.is_missing(g) & ~shapely.is_empty(g)])


def parts(
    parcels: gpd.GeoDataFrame, other: gpd.GeoDataFrame, *, inside: bool = True, snap_m: float = 0.1
) -> gpd.GeoDataFrame:
    """Each parcel's part inside ``other``'s polygons (or, with ``inside=False``, outside all of
    them), where it reaches more than ``snap_m`` metres in (out), with its ellipsoidal area.

    Returns one row per parcel that has such a part: its id as index, ``geometry`` (the part, in
    the parcels' CRS), ``area_m2``, ``area_mu`` and ``share`` of the parcel.
    """
    from .topology import _in_metres

    crs = parcels.crs
    g = parcels.geometry.to_numpy()
    ok = np.flatnonzero(~shapely.is_missing(g) & ~shapely.is_empty(g) & shapely.is_valid(g))
    patches = _in_crs(other, crs)
    union = shapely.union_all(patches) if len(patches) else shapely.Polygon()
    metric = _in_metres(parcels.iloc[ok])
    core = shapely.buffer(metric.geometry.to_numpy(), -snap_m)  # a few cm across the line is noise
    core = gpd.GeoSeries(core, crs=metric.crs).to_crs(crs).to_numpy() if metric.crs != crs else core
    tree = shapely.STRtree(patches)
    if inside:
        hit = np.unique(tree.query(core, predicate="intersects")[0]) if len(patches) else np.array([], dtype=int)
        shapely.prepare(union)
        hit = hit[shapely.intersects(union, core[hit])]
        part = shapely.intersection(g[ok][hit], union)
    else:
        shapely.prepare(union)
        hit = np.flatnonzero(~shapely.covers(union, core))
        part = shapely.difference(g[ok][hit], union)
    m2 = area(gpd.GeoSeries(part, crs=crs)).fillna(0).to_numpy()
    whole = area(gpd.GeoSeries(g[ok][hit], crs=crs)).to_numpy()
    out = gpd.GeoDataFrame(
        {"area_m2": m2, "area_mu": m2 / M2_PER_MU, "share": m2 / whole},
        geometry=gpd.GeoSeries(part, crs=crs),
        index=parcels.index[ok][hit],
    )
    return out[out["area_m2"] > 0]


def conflicts(parcels: gpd.GeoDataFrame, layers: dict, *, rules: dict | None = None) -> dict[str, gpd.GeoDataFrame]:
    """三区三线 conflicts of the parcels, by constraint layer the project has: the part of each
    parcel inside 永久基本农田 or 生态保护红线, or outside the 城镇开发边界, beyond ``snap_m``
    and larger than ``min_area_m2`` (from ``rules[layer]``, defaults 0.1 m and 1 m²)."""
    rules = rules or {}
    found = {}
    for name, (_, side, _) in CONSTRAINT_LAYERS.items():
        layer = layers.get(name)
        if layer is None or not len(layer):
            continue
        rule = rules.get(name, {})
        hit = parts(parcels, layer, inside=side == "inside", snap_m=float(rule.get("snap_m", 0.1)))
        found[name] = hit[hit["area_m2"] > float(rule.get("min_area_m2", 1.0))]
    return found


def land_take(parcels: gpd.GeoDataFrame, land_use: gpd.GeoDataFrame, *, level: int = 1) -> pd.DataFrame:
    """The current land use each parcel takes: mu per class (first-level codes such as ``01`` 耕地,
    or second-level ``0101`` 水田 with ``level=2``), each figure rounded once (0.01 mu), and
    ``cultivated_mu`` (耕地, class 01: what 占补平衡 must compensate). Rows are parcels, in order.

    Land-use polygons are intersected with every parcel they touch (one overlay, no loop per
    parcel); a parcel on no land-use polygon gets zeros.
    """
    crs = parcels.crs
    use = land_use.to_crs(crs) if land_use.crs is not None and crs is not None and land_use.crs != crs else land_use
    codes = use["code"].astype(str).str.strip().to_numpy()
    g = use.geometry.to_numpy()
    present = ~shapely.is_missing(g) & ~shapely.is_empty(g)
    pg = parcels.geometry.to_numpy()
    tree = shapely.STRtree(g[present])
    p, u = tree.query(pg, predicate="intersects")
    pieces = shapely.intersection(pg[p], shapely.make_valid(g[present][u]))
    m2 = area(gpd.GeoSeries(pieces, crs=crs)).fillna(0).to_numpy()
    cls = np.array([c[: 2 * level] for c in codes[present][u]], dtype=object) if len(u) else np.array([], dtype=object)
    table = (
        pd.DataFrame({"parcel": parcels.index[p], "code": cls, "mu": m2 / M2_PER_MU})
        .pivot_table(index="parcel", columns="code", values="mu", aggfunc="sum", fill_value=0.0)
        .reindex(parcels.index, fill_value=0.0)
    )
    table = table.apply(shown)  # each figure as every output shows it
    table.columns = [str(c) for c in table.columns]
    table["cultivated_mu"] = table[[c for c in table.columns if c.startswith("01")]].sum(axis=1).round(2)
    table.index.name = parcels.index.name
    table.attrs["labels"] = {c: LAND_USE_CODES.get(c, c) for c in table.columns if c != "cultivated_mu"}
    return table


def take_by(table: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Sum :func:`land_take` rows by a grouping of the parcels (village, status, target), with a
    合计 row; every total is the sum of the figures shown."""
    out = table.groupby(groups.reindex(table.index)).sum().round(2)
    out.loc["合计"] = out.sum().round(2)
    return out


#: Parcel statuses on which a building is lawful by default: land supplied to its user.
BUILDABLE = ("transferred", "allocated")


def suspect_buildings(
    buildings: gpd.GeoDataFrame,
    parcels: gpd.GeoDataFrame,
    *,
    zone=None,
    lawful: tuple[str, ...] = BUILDABLE,
    exempt: tuple[gpd.GeoDataFrame, ...] = (),
    min_area_m2: float = 1.0,
) -> pd.DataFrame:
    """Buildings that suggest 违法占地: on a parcel whose status is not one of ``lawful`` (land not
    yet approved or supplied), or on no parcel at all inside ``zone`` (open land of the zone, not a
    village or a facility: pass those layers as ``exempt``). One row per building and piece of
    land: ``building``, ``parcel`` (None for open land), ``status``, ``area_m2`` of the building on
    it (ellipsoidal) and ``geometry``."""
    crs = parcels.crs
    b = buildings.to_crs(crs) if buildings.crs is not None and crs is not None and buildings.crs != crs else buildings
    bg = shapely.make_valid(b.geometry.to_numpy())
    pg = parcels.geometry.to_numpy()
    bi, pi = shapely.STRtree(pg).query(bg, predicate="intersects")
    status = parcels["status"].to_numpy()[pi]
    bad = ~np.isin(status, lawful)
    pieces = shapely.intersection(bg[bi[bad]], pg[pi[bad]])
    rows = pd.DataFrame(
        {"building": b.index[bi[bad]].astype(str), "parcel": parcels.index[pi[bad]].astype(str),
         "status": status[bad], "geometry": pieces}
    )  # fmt: skip
    if zone is not None:
        cover = [pg, *(_in_crs(e, crs) for e in exempt)]
        taken = shapely.union_all(np.concatenate(cover))
        zone_g = shapely.union_all(_in_crs(zone, crs)) if isinstance(zone, gpd.GeoDataFrame) else zone
        free = shapely.difference(shapely.intersection(bg, zone_g), taken)
        rows = pd.concat(
            [rows, pd.DataFrame({"building": b.index.astype(str), "parcel": None, "status": None, "geometry": free})],
            ignore_index=True,
        )
    rows["area_m2"] = area(gpd.GeoSeries(rows["geometry"].to_numpy(), crs=crs)).fillna(0).to_numpy()
    return rows[rows["area_m2"] > min_area_m2].reset_index(drop=True)
