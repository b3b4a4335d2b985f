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
from .schema import CONSTRAINT_LAYERS, LAND_USE_CODES, LAYERS
from .units import M2_PER_MU, shown


def land_codes(codes: pd.Series) -> pd.Series:
    """Land-use codes as text, with the leading zero a spreadsheet or a DBF dropped (101 -> "0101")."""
    text = codes.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    return text.where(text.str.len() % 2 == 0, "0" + text)


def _usable(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features whose geometry can be measured: present, not empty, valid (an invalid one is
    the audit's invalid_geometry finding, not a conflict)."""
    g = gdf.geometry.to_numpy()
    return gdf[~shapely.is_missing(g) & ~shapely.is_empty(g) & shapely.is_valid(g)]


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
    metric = _in_metres(parcels.iloc[ok])  # the overlay in metres: a lines' long edges stay as drawn
    work = metric.crs
    mg = metric.geometry.to_numpy()
    patches = _in_crs(other, work)
    union = shapely.union_all(patches) if len(patches) else shapely.Polygon()
    core = shapely.buffer(mg, -snap_m)  # a few cm across the line is noise
    shapely.prepare(union)
    if inside:
        tree = shapely.STRtree(patches)
        hit = np.unique(tree.query(core, predicate="intersects")[0]) if len(patches) else np.array([], dtype=int)
        hit = hit[shapely.intersects(union, core[hit])]
        part = shapely.intersection(mg[hit], union)
    else:
        hit = np.flatnonzero(~shapely.covers(union, core))
        part = shapely.difference(mg[hit], union)
    m2 = area(gpd.GeoSeries(part, crs=work)).fillna(0).to_numpy()
    whole = area(gpd.GeoSeries(mg[hit], crs=work)).to_numpy()
    out = gpd.GeoDataFrame(
        {"area_m2": m2, "area_mu": m2 / M2_PER_MU, "share": m2 / whole},
        geometry=np.asarray(part),  # by position: a GeoSeries would be aligned on its index (and lost)
        crs=work,
        index=parcels.index[ok][hit],
    )
    out = out.to_crs(crs) if work != crs else out  # the part in the parcels' CRS
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


def zone_conflicts(
    zones: gpd.GeoDataFrame, layers: dict, *, rules: dict | None = None, added: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """三区三线 conflicts per planning-zone version, in the land each version adds to the one before
    (:func:`landkit.planning.expansions`): each conflict is counted once, by the version that brings
    it in, and when versions nest the rows up to a version add up to that version's whole conflict.

    A piece of conflict that reaches no more than ``snap_m`` metres into the added land (a line
    digitised a few centimetres off), or of ``min_area_m2`` or less, is a sliver and not counted
    (``rules[layer]``, defaults 0.1 m and 1 m², as for parcels). One row per version and
    constraint layer with a conflict: ``version``, ``layer``, ``area_m2`` and ``area_mu``
    (ellipsoidal) and the conflict's ``geometry`` in the zones' CRS, indexed by the zone's id.
    ``added``: the zones' expansions when the caller has them already.
    """
    from .planning import expansions
    from .topology import _in_metres

    rules = rules or {}
    added = expansions(zones) if added is None else added
    metric = _in_metres(added)  # tolerances in metres whatever the CRS
    g = metric.geometry.to_numpy()
    frames = []
    for name, (_, side, _) in CONSTRAINT_LAYERS.items():
        layer = layers.get(name)
        if layer is None or not len(layer):
            continue
        rule = rules.get(name, {})
        snap, floor = float(rule.get("snap_m", 0.1)), float(rule.get("min_area_m2", 1.0))
        patches = _in_crs(layer, metric.crs)
        union = shapely.union_all(patches) if len(patches) else shapely.Polygon()
        piece = shapely.intersection(g, union) if side == "inside" else shapely.difference(g, union)
        parts, owner = shapely.get_parts(piece, return_index=True)
        keep = (shapely.get_type_id(parts) == 3) & shapely.intersects(parts, shapely.buffer(g, -snap)[owner])
        part_m2 = area(gpd.GeoSeries(parts, crs=metric.crs)).fillna(0).to_numpy()
        keep &= part_m2 > floor
        m2 = np.bincount(owner[keep], weights=part_m2[keep], minlength=len(g))
        kept = [shapely.union_all(parts[keep & (owner == k)]) for k in range(len(g))]  # one per version: a few
        frame = gpd.GeoDataFrame(
            {"version": added["version"].to_numpy(), "layer": name, "area_m2": m2, "area_mu": m2 / M2_PER_MU},
            geometry=np.asarray(kept, dtype=object),
            crs=metric.crs,
            index=added.index,
        )
        frames.append(frame[frame["area_m2"] > 0])
    if not frames:
        empty: dict[str, list] = {"version": [], "layer": [], "area_m2": [], "area_mu": []}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=zones.crs), index=zones.index[:0])
    out = pd.concat(frames)
    return out.to_crs(zones.crs) if out.crs != zones.crs else out


#: Layers whose invalid polygons the computations use repaired (``make_valid``): each is a finding.
REPAIRED_LAYERS = (*CONSTRAINT_LAYERS, "land_use", "price_zones", "buildings")


def repaired(layers: dict) -> pd.DataFrame:
    """The invalid polygons of the layers landkit measures repaired (:data:`REPAIRED_LAYERS`): one
    row per feature with ``layer``, ``id``, GEOS's ``reason`` and the ellipsoidal ``area_m2`` of
    the shape the computations used (``make_valid``'s); that shape may not be what was meant."""
    from .topology import _reason_zh

    rows = []
    for name in REPAIRED_LAYERS:
        layer = layers.get(name)
        if not isinstance(layer, gpd.GeoDataFrame) or not len(layer):
            continue
        g = layer.geometry.to_numpy()
        bad = np.flatnonzero(~shapely.is_missing(g) & ~shapely.is_empty(g) & ~shapely.is_valid(g))
        if not len(bad):
            continue
        fixed = area(gpd.GeoSeries(shapely.make_valid(g[bad]), crs=layer.crs)).to_numpy()
        reasons = shapely.is_valid_reason(g[bad])
        rows.append(
            pd.DataFrame(
                {"layer": name, "id": layer.index[bad].astype(str), "reason": reasons,
                 "reason_zh": [_reason_zh(r) for r in reasons], "area_m2": fixed}
            )
        )  # fmt: skip
    columns = ["layer", "id", "reason", "reason_zh", "area_m2"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


def land_take(parcels: gpd.GeoDataFrame, land_use: gpd.GeoDataFrame, *, level: int = 1) -> pd.DataFrame:
    """The current land use each parcel takes: mu per class (first-level codes such as ``01`` 耕地,
    or second-level ``0101`` 水田 with ``level=2``), each figure rounded once (0.01 mu), and
    ``cultivated_mu`` (耕地, class 01: what 占补平衡 must compensate). Rows are parcels, in order.

    Land-use polygons are intersected with every parcel they touch (one overlay, no loop per
    parcel); a parcel on no land-use polygon gets zeros, one without usable geometry (missing,
    empty, invalid) NaN: it cannot be measured, and a sum must not count it as 0.
    """
    crs = parcels.crs
    whole = parcels
    parcels = _usable(parcels)
    measurable = whole.index.isin(parcels.index)
    use = land_use.to_crs(crs) if land_use.crs is not None and crs is not None and land_use.crs != crs else land_use
    codes = land_codes(use["code"]).to_numpy()
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
        .reindex(whole.index, fill_value=0.0)
    )
    table = table.apply(shown)  # each figure as every output shows it
    table.columns = [str(c) for c in table.columns]
    table["cultivated_mu"] = table[[c for c in table.columns if c.startswith("01")]].sum(axis=1).round(2)
    table.loc[~measurable] = np.nan
    table.index.name = whole.index.name
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
    parcels = _usable(parcels)
    b = buildings.to_crs(crs) if buildings.crs is not None and crs is not None and buildings.crs != crs else buildings
    b = b[~shapely.is_missing(b.geometry.to_numpy()) & ~shapely.is_empty(b.geometry.to_numpy())]
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


def findings(layers: dict, rules: dict, *, keep: dict | None = None, reuse=None) -> pd.DataFrame:
    """The audit's findings for the planner's other questions, for the layers the project has:
    三区三线 conflicts (``basic_farmland``, ``eco_redline``, ``urban_boundary``) per parcel and per
    planning-zone version (in the land it adds), invalid polygons of the layers used repaired
    (``invalid_geometry``), suspect buildings (``illegal_building``), idle land (``idle_land``) and
    investment or output per mu below the county's thresholds (``investment_intensity``). Columns
    as the audit's, with ``message_zh`` beside ``message``. With ``keep`` (a dict), the conflicts'
    geometries go into it too (``conflicts``: :func:`conflicts`; ``zone_conflicts``), for the
    outputs that draw or list them: computed once, the same parts everywhere; the suspect buildings
    too (``suspects``: :func:`suspect_buildings`). With ``reuse`` (:class:`landkit.reuse.Reuse`), a
    second audit of the project takes the conflicts from the first where their input is the same."""
    from . import money, reserve
    from .schema import PARCEL_STATUSES

    parcels = _usable(layers["parcels"])
    rows: list[dict] = []

    def add(rule, layer, ids, m2, en, zh) -> None:
        rows.append({"rule": rule, "layer": layer, "ids": ids, "area_m2": m2, "message": en, "message_zh": zh})

    hits = (
        conflicts(parcels, layers, rules=rules)
        if reuse is None
        else reuse.conflicts(parcels, layers, rules, lambda: conflicts(parcels, layers, rules=rules))
    )
    if keep is not None:
        keep["conflicts"] = hits
    for name, hit in hits.items():
        label, side, _ = CONSTRAINT_LAYERS[name]
        for pid, r in zip(hit.index.astype(str), hit.itertuples(), strict=True):  # one row per conflict found
            where = "inside" if side == "inside" else "outside"
            add(name, "parcels", [pid], r.area_m2,
                f"{pid}: {r.area_m2:,.1f} m² ({r.area_mu:,.2f} mu, {r.share:.0%} of it) lies {where} {name}",
                f"{pid}：{r.area_m2:,.1f} m²（{r.area_mu:,.2f} 亩，占 {r.share:.0%}）"
                + (f"位于{label}内" if side == "inside" else f"位于{label}外"))  # fmt: skip
    zones = layers.get("planning_zones")
    if not isinstance(zones, gpd.GeoDataFrame) or "version" not in zones or not len(zones):
        zones = None
    if zones is not None:
        per_zone = (
            zone_conflicts(zones, layers, rules=rules)
            if reuse is None
            else reuse.zone_conflicts(layers, rules, lambda: zone_conflicts(zones, layers, rules=rules))
        )
        if keep is not None:
            keep["zone_conflicts"] = per_zone
        for zid, r in per_zone.iterrows():  # a few versions × 3 layers
            label, side, _ = CONSTRAINT_LAYERS[r["layer"]]
            v, where = int(r["version"]), "inside" if side == "inside" else "outside"
            add(r["layer"], "planning_zones", [str(zid)], r["area_m2"],
                f"zone version {v} ({zid}): {r['area_m2']:,.1f} m² ({r['area_mu']:,.2f} mu) of the land it adds "
                f"lies {where} {r['layer']}",
                f"规划范围第{v}版（{zid}）新增范围内有 {r['area_m2']:,.1f} m²（{r['area_mu']:,.2f} 亩）"
                + (f"位于{label}内" if side == "inside" else f"位于{label}外"))  # fmt: skip
    for r in repaired(layers).to_dict("records"):  # invalid polygons are rare
        name, fid, m2 = str(r["layer"]), str(r["id"]), float(r["area_m2"])
        add("invalid_geometry", name, [fid], m2,
            f"{name} {fid}: invalid polygon ({r['reason']}); the checks used it repaired (make_valid, "
            f"{m2:,.1f} m²), which may not be what was meant. Fix it in the source and re-import it "
            "(or landkit.topology.repair_geometry)",
            f"{LAYERS[name].label_zh} {fid}：图形无效（{r['reason_zh']}）；计算时已自动修复（make_valid，"
            f"{m2:,.1f} m²），修复结果未必是原意。请在源数据中改正后重新导入"
            "（或使用 landkit.topology.repair_geometry）")  # fmt: skip
    if "buildings" in layers and len(layers["buildings"]) and "status" in parcels:
        zone = zones.to_crs(parcels.crs).sort_values("version").geometry.iloc[-1] if zones is not None else None
        exempt = tuple(layers[n] for n in ("villages", "facilities", "communities") if n in layers)
        lawful = tuple(s for s in PARCEL_STATUSES if s in BUILDABLE)
        found = suspect_buildings(layers["buildings"], parcels, zone=zone, lawful=lawful, exempt=exempt)
        if keep is not None:
            keep["suspects"] = found
        for b in found.to_dict("records"):  # a few buildings
            building, parcel, m2 = str(b["building"]), b["parcel"], float(b["area_m2"])
            if not isinstance(parcel, str):
                add("illegal_building", "buildings", [building], m2,
                    f"{building}: {m2:,.1f} m² built on open land of the zone (no reserve parcel)",
                    f"{building}：{m2:,.1f} m² 建在规划区内未储备的土地上，疑似违法占地")  # fmt: skip
            else:
                status = str(b["status"])
                add("illegal_building", "buildings", [building, parcel], m2,
                    f"{building}: {m2:,.1f} m² built on {parcel}, which is {status} (not supplied)",
                    f"{building}：{m2:,.1f} m² 建在 {parcel}（{PARCEL_STATUSES.get(status, status)}，"
                    "尚未供地）上，疑似违法占地")  # fmt: skip
    events = layers.get("events")
    if {"start_due_on", "started_on", "status"} <= set(parcels.columns):
        date = reserve.data_date(events) if events is not None and len(events) else None
        idle = reserve.idle_land(parcels, events, as_of=date, period_days=reserve.idle_days(rules))
        for pid, r in idle.iterrows():  # a handful of idle parcels
            add("idle_land", "parcels", [str(pid)], np.nan,
                f"{pid}: idle since {r['idle_since'].date()} ({r['project']}); recoverable from "
                f"{r['recoverable_from'].date()}",
                f"{pid}：{r['project']}，自 {r['idle_since'].date()} 起闲置；"
                f"{r['recoverable_from'].date()} 起可无偿收回" + ("（已到期）" if r["stage"] == "可无偿收回" else ""),
            )  # fmt: skip
    if {"project", "investment_yuan", "stated_area_mu"} <= set(parcels.columns):
        rule = rules.get("investment_intensity", {})
        floor, output_floor = float(rule.get("min_wan_per_mu", 0)), float(rule.get("min_output_wan_per_mu", 0))
        table = money.investment_intensity(parcels, minimum_wan_per_mu=floor, minimum_output_wan_per_mu=output_floor)
        for project, r in table[table["below"] | table["output_below"]].iterrows():  # a few projects
            ids = sorted(parcels.index[parcels["project"] == project].astype(str))
            for what, zh, value, limit, below in (
                ("investment", "投资强度", r["wan_per_mu"], floor, r["below"]),
                ("output per mu (a year)", "亩均年产值", r["output_wan_per_mu"], output_floor, r["output_below"]),
            ):
                if below:
                    add("investment_intensity", "parcels", ids, np.nan,
                        f"{project}: {what} {value:,.2f} wan yuan/mu, below {limit:,.0f}",
                        f"{project}：{zh} {value:,.2f} 万元/亩，低于 {limit:,.0f} 万元/亩")  # fmt: skip
    return pd.DataFrame(rows, columns=["rule", "layer", "ids", "area_m2", "message", "message_zh"])
