"""Planning-zone versions (8.6 -> 16.3 -> 30 km²): their areas and what each expansion adds."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataError, LandkitWarning
from .measure import area
from .units import M2_PER_KM2, M2_PER_MU


def expansions(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return, per version, the land it adds to the previous one, with its ellipsoidal area.

    Examples
    --------
    >>> import landkit
    >>> zones = landkit.read_layer(landkit.SAMPLE_PATH, "planning_zones")
    >>> expansions(zones)["added_km2"].round(1).tolist()
    [8.6, 7.7, 13.7]
    """
    if "version" not in zones.columns:
        raise DataError(code="planning.no_version")
    zones = zones.sort_values("version", kind="stable")
    geoms = zones.geometry.to_numpy()
    previous = np.r_[[shapely.Polygon()], geoms[:-1]]
    added = shapely.difference(geoms, previous)
    out = gpd.GeoDataFrame({"version": zones["version"].to_numpy()}, geometry=added, crs=zones.crs, index=zones.index)
    out["added_km2"] = area(out, unit="km2")
    out["added_mu"] = out["added_km2"] * M2_PER_KM2 / M2_PER_MU
    return out


def zone_versions(
    zones: gpd.GeoDataFrame,
    *,
    parcels: gpd.GeoDataFrame | None = None,
    villages: gpd.GeoDataFrame | None = None,
    land_use: gpd.GeoDataFrame | None = None,
    basic_farmland: gpd.GeoDataFrame | None = None,
    eco_redline: gpd.GeoDataFrame | None = None,
    urban_boundary: gpd.GeoDataFrame | None = None,
    rules: dict | None = None,
) -> pd.DataFrame:
    """Tabulate the zone versions: stated and measured area, what each adds, and reserve cover.

    Parcels and villages are "newly inside" a version when their representative point is in
    it and not in the previous version. The reserve cover is the area of the union of parcels
    inside the version (overlaps counted once). With the current ``land_use`` (三调), each
    expansion's ``added_cultivated_mu`` is the 耕地 (class 01) it takes. With the 三区三线 layers,
    the conflicts of the land each version adds (:func:`landkit.constraints.zone_conflicts`, slivers
    under the rules' tolerance left out): ``added_farmland_m2``/``_mu`` inside 永久基本农田,
    ``added_redline_m2``/``_mu`` inside 生态保护红线, ``added_outside_boundary_m2``/``_mu`` outside
    the 城镇开发边界. All areas are ellipsoidal on CGCS2000.
    """
    zones = zones.sort_values("version", kind="stable")
    table = pd.DataFrame(index=pd.Index(zones["version"].to_numpy(), name="version"))
    table["name"] = zones["name"].to_numpy() if "name" in zones else None
    table["stated_km2"] = zones["stated_area_km2"].to_numpy() if "stated_area_km2" in zones else np.nan
    measured = area(zones, unit="km2")
    table["area_km2"] = measured.to_numpy()
    table["area_mu"] = table["area_km2"] * M2_PER_KM2 / M2_PER_MU
    table["stated_minus_measured_km2"] = table["stated_km2"] - table["area_km2"]
    added = expansions(zones)
    table["added_km2"] = added["added_km2"].to_numpy()
    table["added_mu"] = added["added_mu"].to_numpy()
    geoms = zones.geometry.to_numpy()
    for label, layer in (("parcels", parcels), ("villages", villages)):
        if layer is None:
            continue
        layer = layer.to_crs(zones.crs)
        points = layer.geometry.representative_point().to_numpy()
        inside = np.column_stack([shapely.contains(g, points) for g in geoms])
        first = np.where(inside.any(axis=1), inside.argmax(axis=1), -1)
        table[f"{label}_newly_inside"] = [int((first == k).sum()) for k in range(len(geoms))]
        if label == "villages" and "name" in layer:
            names = layer["name"].to_numpy()
            table["villages_newly_inside_names"] = ["、".join(names[first == k]) for k in range(len(geoms))]
    if parcels is not None:
        from .constraints import _in_crs

        drawn = parcels.geometry.to_numpy()
        bad = ~shapely.is_valid(drawn) & ~shapely.is_missing(drawn)
        if bad.any():  # a bow-tie would stop the union: repaired (as every layer here is), and named
            ids = "、".join(map(str, parcels.index[bad][:5])) + ("…" if bad.sum() > 5 else "")
            warnings.warn(LandkitWarning(code="planning.invalid_parcels", n=int(bad.sum()), ids=ids), stacklevel=2)
        union = shapely.union_all(_in_crs(parcels, zones.crs))
        cover = gpd.GeoSeries(shapely.intersection(geoms, union), crs=zones.crs)
        table["reserve_km2"] = area(cover, unit="km2").to_numpy()
        table["reserve_mu"] = table["reserve_km2"] * M2_PER_KM2 / M2_PER_MU
        table["reserve_share"] = table["reserve_km2"] / table["area_km2"]
    if land_use is not None and len(land_use) and "code" in land_use:
        from .constraints import land_codes

        layer = land_use.to_crs(zones.crs)
        layer = layer[land_codes(layer["code"]).str.startswith("01")]
        union = shapely.union_all(shapely.make_valid(layer.geometry.to_numpy()))
        taken = gpd.GeoSeries(shapely.intersection(added.geometry.to_numpy(), union), crs=zones.crs)
        table["added_cultivated_mu"] = area(taken, unit="mu").fillna(0).round(2).to_numpy()
    given = {"basic_farmland": basic_farmland, "eco_redline": eco_redline, "urban_boundary": urban_boundary}
    given = {k: v for k, v in given.items() if v is not None and len(v)}
    if given:
        from .constraints import zone_conflicts

        found = zone_conflicts(zones, given, rules=rules, added=added)
        names = {"basic_farmland": "added_farmland", "eco_redline": "added_redline",
                 "urban_boundary": "added_outside_boundary"}  # fmt: skip
        for layer in given:
            m2 = found[found["layer"] == layer].set_index("version")["area_m2"].reindex(table.index).fillna(0.0)
            table[f"{names[layer]}_m2"] = m2.round(2).to_numpy()
            table[f"{names[layer]}_mu"] = (m2 / M2_PER_MU).round(2).to_numpy()
    table.attrs["area_method"] = measured.attrs["area_method"]
    return table
