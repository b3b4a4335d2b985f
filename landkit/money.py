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
    rates = checked_rates(rates)
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
    rates = checked_rates(rates)
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


# -- exact money: due by the schedule, paid by the payments ledger, in fen ---------------------------

#: Each mode's instalments as (years after acquisition, numerator, denominator): exact shares, so
#: that a parcel's instalments add up to its compensation to the fen (the last takes the rest).
SHARES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "cash": ((0, 1, 1),),
    "staged": ((0, 4, 10), (1, 3, 10), (2, 3, 10)),
    "equity": (),
}
#: Days after its due date an unpaid instalment counts as overdue (逾期); a county may pass its own.
OVERDUE_DAYS = 90
_UNITS = 10_000  # a rate in ten-thousandths of a yuan per mu: exact for any rate written to 0.0001 yuan


def checked_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """The compensation rates with their amounts as numbers: a rate written ``4.6万`` or ``52,000`` is
    read as 46,000 and 52,000 yuan; a rate that is negative, zero or no amount at all is refused
    with its row named (a :class:`~landkit.errors.DataError`)."""
    from .checks import TEXT_IN_NUMBERS
    from .errors import DataError
    from .payments import read_yuan
    from .schema import LAYERS

    out = rates.copy()
    labels = {c.name: c.label_zh for c in LAYERS["compensation_rates"].columns}
    stored = rates.attrs.get(TEXT_IN_NUMBERS, {})  # 4.6万 in a GeoPackage's REAL column: read as written
    for column in ("yuan_per_mu", "yuan_per_household"):
        if column not in out:
            continue
        values = []
        for rid, value in out[column].items():  # a handful of rates: one per kind and zone
            value = stored.get(column, {}).get(rid, value)
            if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() in ("", "nan"):
                values.append(np.nan)
                continue
            said = {"id": rid, "column": column, "label": labels[column], "value": str(value)}
            try:
                yuan = read_yuan(value)
            except DataError:
                raise DataError(code="money.rate_unreadable", **said) from None
            if yuan <= 0:
                raise DataError(code="money.rate_not_positive", **said)
            values.append(float(yuan))
        out[column] = pd.Series(values, index=out.index, dtype=float)
    return out


def _rate_units(value) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(repr(float(value))) * _UNITS).quantize(Decimal(1), ROUND_HALF_UP))


def instalments_fen(
    parcels: gpd.GeoDataFrame, rates: pd.DataFrame, zones: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Every instalment due by the schedule, exact to the fen: one row per parcel, rate kind and
    instalment with ``parcel_id``, ``village_code``, ``kind``, ``mode``, ``due_on`` and ``fen`` (an int).

    A parcel's amount for a kind is its stated mu (as shown, 0.01 mu) times the kind's rates for its
    zone and for everywhere, rounded half up to the fen; its mode (:data:`SHARES`) splits it into
    instalments from its ``acquired_on`` (a parcel not acquired has nothing due; equity pays no cash).
    """
    rates = checked_rates(rates)
    parcels = trusted_stated(parcels)
    columns = ["parcel_id", "village_code", "kind", "mode", "due_on", "fen"]
    if "acquired_on" not in parcels or "compensation" not in parcels:
        return pd.DataFrame(columns=columns)
    start = pd.to_datetime(parcels["acquired_on"], errors="coerce")
    mu_cents = np.rint(parcels["stated_area_mu"].to_numpy(dtype=float) * 100)
    live = start.notna().to_numpy() & np.isfinite(mu_cents)
    zone = _zone_of(parcels, zones).astype(object).to_numpy()
    per_mu = rates[(rates["kind"] != "relocation") & rates["yuan_per_mu"].notna()]
    applies = per_mu.get("applies_to", pd.Series(None, index=per_mu.index)).astype(object)
    applies = applies.where(applies.notna() & (applies.astype(str).str.strip() != ""), None)
    village = parcels["village_code"] if "village_code" in parcels else pd.Series(None, index=parcels.index)
    mode = parcels["compensation"].astype(object).to_numpy()
    cents = np.where(live, mu_cents, 0).astype(np.int64)
    rows = []
    for kind, group in per_mu.groupby("kind", sort=False):  # a few kinds, each for every parcel at once
        units = np.zeros(len(parcels), dtype=np.int64)
        for rid in group.index:
            rate = _rate_units(group.at[rid, "yuan_per_mu"])
            where = applies[rid]
            units += rate if where is None else np.where(zone == str(where).strip(), rate, 0).astype(np.int64)
        fen = (cents * units + _UNITS // 2) // _UNITS  # mu in 0.01 × yuan in 0.0001 = 0.000001 yuan; half up
        for name, steps in SHARES.items():
            mine = live & (mode == name) & (fen > 0)
            left = fen[mine].copy()
            for n, (years, num, den) in enumerate(steps):
                part = left if n == len(steps) - 1 else (fen[mine] * num * 2 + den) // (2 * den)
                left = left - part
                rows.append(
                    pd.DataFrame(
                        {
                            "parcel_id": parcels.index[mine],
                            "village_code": village[mine].to_numpy(),
                            "kind": str(kind),
                            "mode": name,
                            "due_on": (start[mine] + pd.DateOffset(years=years)).to_numpy(),
                            "fen": part,
                        }
                    )
                )
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True)
    out["fen"] = out["fen"].astype("int64")
    return out


def _payments_fen(payments: pd.DataFrame | None) -> pd.DataFrame:
    if payments is None or not len(payments):
        return pd.DataFrame(
            {"village_code": pd.Series(dtype=object), "kind": pd.Series(dtype=object),
             "date": pd.Series(dtype="datetime64[ns]"), "fen": pd.Series(dtype="int64")}
        )  # fmt: skip
    return pd.DataFrame(
        {
            "village_code": payments["village_code"].to_numpy() if "village_code" in payments else None,
            "kind": payments["kind"].to_numpy() if "kind" in payments else None,
            "date": pd.to_datetime(payments["date"], errors="coerce").to_numpy(),
            "fen": pd.to_numeric(payments["amount_fen"], errors="coerce").fillna(0).astype("int64").to_numpy(),
        }
    )


def money_owed(layers: dict, *, as_of=None, by: str = "village", overdue_days: int = OVERDUE_DAYS) -> pd.DataFrame:
    """应付, 已付, 欠付 and 逾期 in fen (ints), one row per village, month or kind, and a last row
    ``合计`` that is the sum of the rows above it.

    - ``due_fen`` (应付): the instalments of the schedule (:func:`instalments_fen`) due on or before ``as_of``;
    - ``paid_fen`` (已付): the payments recorded on or before ``as_of`` (the ``payments`` ledger, corrections included);
    - ``owed_fen`` (欠付): due less paid (negative when more was paid than is due yet);
    - ``overdue_fen`` (逾期): what is still unpaid of the instalments due ``overdue_days`` days or more
      before ``as_of`` (payments go to the oldest instalments first), never below nothing.

    ``by``: ``village`` (a parcel's village; a payment's village), ``month`` (of the due date; of the
    payment) or ``kind`` (the rate's kind; the payment's kind). The row's key is the index (the
    village code, ``YYYY-MM`` or the kind); a row without one has an empty key.
    """
    as_of = pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.today().normalize()
    rates = layers.get("compensation_rates")
    parcels = layers.get("parcels")
    if rates is not None and len(rates) and parcels is not None:
        due = instalments_fen(parcels, rates, layers.get("price_zones"))
    else:
        due = pd.DataFrame(columns=["parcel_id", "village_code", "kind", "mode", "due_on", "fen"])
    paid = _payments_fen(layers.get("payments"))
    due = due[pd.to_datetime(due["due_on"]) <= as_of]
    paid = paid[paid["date"] <= as_of]
    late = pd.to_datetime(due["due_on"]) <= as_of - pd.Timedelta(days=overdue_days)
    if by == "month":
        due_key = pd.to_datetime(due["due_on"]).dt.strftime("%Y-%m")
        paid_key = paid["date"].dt.strftime("%Y-%m")
    elif by in ("village", "kind"):
        column = "village_code" if by == "village" else "kind"
        due_key, paid_key = due[column], paid[column]
    else:
        raise ValueError(f"by must be village, month or kind, not {by!r}")

    def summed(values: pd.Series, keys: pd.Series) -> pd.Series:
        keys = keys.astype(object).where(keys.notna(), "").astype(str)
        return values.astype("int64").groupby(keys.to_numpy()).sum()

    table = pd.DataFrame(
        {
            "due_fen": summed(due["fen"], due_key),
            "paid_fen": summed(paid["fen"], paid_key),
            "late_fen": summed(due["fen"][late], due_key[late]),
        }
    )
    table = table.fillna(0).astype("int64").sort_index()
    table["owed_fen"] = table["due_fen"] - table["paid_fen"]
    table["overdue_fen"] = (table["late_fen"] - table["paid_fen"]).clip(lower=0)
    table = table[["due_fen", "paid_fen", "owed_fen", "overdue_fen"]]
    table.loc["合计"] = table.sum()
    table.index.name = by
    table.attrs["as_of"] = str(as_of.date())
    return table.astype("int64")
