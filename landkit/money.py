"""Money: compensation from the county's standards, what is paid and due, investment and output per mu.

Standards are data in the project, each row naming its source document: the ``price_zones``
layer (区片, polygons with a ``zone_code``) and the ``compensation_rates`` table (``kind``:
``land`` 区片综合地价 per zone, ``crops`` 青苗费, ``structures`` 地上附着物 and any item a county
adds, in yuan per mu, ``applies_to`` a zone code or empty for every zone; ``relocation`` in
yuan per household). A parcel's compensation is its stated mu times the rates of the zone its
representative point lies in; how it is paid follows its ``compensation`` mode: cash when the
land is acquired, staged in three yearly instalments from then, equity as shares (no cash).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .schema import trusted_stated

#: How each compensation mode pays: instalments as (years after acquisition, share).
SCHEDULES: dict[str, tuple[tuple[int, float], ...]] = {
    "cash": ((0, 1.0),),
    "staged": ((0, 0.4), (1, 0.3), (2, 0.3)),
    "equity": (),  # converted into shares of the collective: no cash
}


def _zone_of(parcels: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None) -> pd.Series:
    if zones is None or not len(zones):
        return pd.Series(None, index=parcels.index, dtype=object)
    zones = zones.to_crs(parcels.crs) if zones.crs is not None and zones.crs != parcels.crs else zones
    points = shapely.point_on_surface(parcels.geometry.to_numpy())
    shapes = shapely.make_valid(zones.geometry.to_numpy())  # an invalid zone is the audit's finding; used repaired
    p, z = shapely.STRtree(shapes).query(points, predicate="within")
    first = pd.Series(zones.index.astype(str).to_numpy()[z], index=p).groupby(level=0).first()
    return pd.Series(first.reindex(range(len(parcels))).to_numpy(), index=parcels.index, dtype=object)


def compensation(parcels: gpd.GeoDataFrame, rates: pd.DataFrame, zones: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Each parcel's compensation in yuan: per rate kind (``land``, ``crops``, ``structures`` …)
    and ``total_yuan``, from its stated mu (as shown, 0.01 mu) and the rates of its price zone.
    A parcel in no zone gets only the rates that apply everywhere; ``zone`` says which applied."""
    parcels = trusted_stated(parcels)
    zone = _zone_of(parcels, zones)
    per_mu = rates[rates["kind"] != "relocation"]
    applies = per_mu.get("applies_to", pd.Series(None, index=per_mu.index)).astype(object)
    applies = applies.where(applies.notna() & (applies.astype(str).str.strip() != ""), None)
    out = pd.DataFrame({"zone": zone, "stated_mu": parcels["stated_area_mu"]})
    for kind, group in per_mu.groupby("kind", sort=False):
        everywhere = float(group.loc[applies[group.index].isna(), "yuan_per_mu"].sum())
        by_zone = group[applies[group.index].notna()].groupby(applies[group.index].dropna().astype(str))
        zoned = zone.map(by_zone["yuan_per_mu"].sum()).fillna(0.0)
        out[f"{kind}_yuan"] = np.round(out["stated_mu"] * (everywhere + zoned), 2)
    kinds = [c for c in out.columns if c.endswith("_yuan")]
    out["total_yuan"] = out[kinds].sum(axis=1).round(2)
    return out


def payments(parcels: gpd.GeoDataFrame, amounts: pd.DataFrame, *, as_of=None) -> pd.DataFrame:
    """Instalments of every parcel's compensation by its mode (:data:`SCHEDULES`), dated from
    its ``acquired_on``: ``parcel_id``, ``due_on``, ``yuan`` and ``paid`` (due on or before
    ``as_of``). Parcels not yet acquired have nothing due; equity pays no cash."""
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    start = parcels["acquired_on"]
    rows = []
    for mode, steps in SCHEDULES.items():
        mine = (parcels["compensation"] == mode) & start.notna()
        for years, share in steps:  # a mode's few instalments, each for every parcel at once
            rows.append(
                pd.DataFrame(
                    {
                        "parcel_id": parcels.index[mine],
                        "mode": mode,
                        "due_on": (start[mine] + pd.DateOffset(years=years)).to_numpy(),
                        "yuan": np.round(amounts.loc[mine, "total_yuan"].to_numpy() * share, 2),
                    }
                )
            )
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["parcel_id", "mode", "due_on", "yuan"])
    out["paid"] = out["due_on"] <= as_of
    return out


def by_month(instalments: pd.DataFrame) -> pd.DataFrame:
    """Paid and due yuan per month (``YYYY-MM``), with a 合计 row equal to the sum of the months."""
    month = pd.to_datetime(instalments["due_on"]).dt.strftime("%Y-%m")
    table = (
        instalments.assign(month=month, paid_yuan=instalments["yuan"].where(instalments["paid"], 0.0))
        .assign(due_yuan=lambda d: d["yuan"] - d["paid_yuan"])
        .groupby("month")[["paid_yuan", "due_yuan"]]
        .sum()
        .round(2)
    )
    table.loc["合计"] = table.sum().round(2)
    return table


def relocation_cost(villages: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Relocation cost per village: households times the ``relocation`` rates (yuan per household)."""
    per_household = float(rates.loc[rates["kind"] == "relocation", "yuan_per_household"].sum())
    households = pd.to_numeric(villages["households"], errors="coerce").fillna(0)
    return pd.DataFrame(
        {"households": households.astype(int), "yuan_per_household": per_household,
         "cost_yuan": (households * per_household).round(2)}
    )  # fmt: skip


def investment_intensity(
    parcels: pd.DataFrame, *, minimum_wan_per_mu: float, minimum_output_wan_per_mu: float = 0.0
) -> pd.DataFrame:
    """投资强度 and 亩均产值 per project of supplied land: investment (``investment_yuan``) and
    yearly output (``output_yuan``, when the parcels have it) in 万元 over the project's stated mu,
    and whether each is below the county's threshold (``below``, ``output_below``; from the rules).

    A project is every parcel with its name and an investment or an output figure; a figure a
    project lacks is NaN, never 0, and is never below a threshold.
    """
    parcels = trusted_stated(parcels)
    output = parcels["output_yuan"] if "output_yuan" in parcels else pd.Series(np.nan, index=parcels.index)
    parcels = parcels.assign(output_yuan=pd.to_numeric(output, errors="coerce"))
    supplied = parcels[
        parcels["project"].notna() & (parcels["investment_yuan"].notna() | parcels["output_yuan"].notna())
    ]
    table = supplied.groupby("project").agg(
        mu=("stated_area_mu", "sum"),
        yuan=("investment_yuan", lambda s: s.sum(min_count=1)),
        output_yuan=("output_yuan", lambda s: s.sum(min_count=1)),
    )
    table["mu"] = table["mu"].round(2)
    table["wan_per_mu"] = (table["yuan"] / 10_000 / table["mu"]).round(2)
    table["below"] = table["wan_per_mu"] < minimum_wan_per_mu
    table["output_wan_per_mu"] = (table["output_yuan"] / 10_000 / table["mu"]).round(2)
    table["output_below"] = table["output_wan_per_mu"] < minimum_output_wan_per_mu
    return table
