"""The land-reserve ledger: a parcel's status lifecycle as data, events appended, state as of a date.

Every status change is an event in the project's ``events`` table. The table is only ever
appended to: a revocation or a correction is a new event, never an edit of an old one, so the
figures of any past meeting can be rebuilt exactly with :func:`state_as_of`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import LedgerError  # noqa: F401  (re-exported: landkit.reserve.LedgerError)
from .ledger import TRANSITIONS  # noqa: F401  (re-exported: the lifecycle is data, defined in ledger)
from .measure import figures
from .schema import COMPENSATION_MODES, PARCEL_STATUSES, trusted_stated
from .units import M2_PER_KM2, M2_PER_MU

_ORDER = {s: i for i, s in enumerate(PARCEL_STATUSES)}
SUPPLIED = ("transferred", "allocated")


@dataclass(frozen=True)
class Target:
    """A reserve target in mu.

    A "flow" target counts parcels whose transition to ``statuses[0]`` happened during the
    year; a "stock" target counts parcels whose status is one of ``statuses`` on the date.
    """

    name: str
    label_zh: str
    mu: float
    statuses: tuple[str, ...]
    kind: str = "flow"
    project: str | None = None


#: The county report's targets (domain.md); pass your own to progress().
TARGETS = (
    Target("approval", "报批获批", 5000, ("approved",)),
    Target("acquisition", "征收", 10000, ("acquired",)),
    Target("in_reserve", "储备总量", 7700, ("reserved", "developing"), kind="stock"),
    Target("logistics_park", "物流园储备", 1000, ("reserved", "developing"), kind="stock", project="北环路物流园"),
)


def _sorted(events: pd.DataFrame) -> pd.DataFrame:
    return events.assign(_seq=np.arange(len(events))).sort_values(["date", "_seq"], kind="stable")


def state_as_of(events: pd.DataFrame, date=None) -> pd.Series:
    """Return each parcel's status on ``date`` (default: all events), rebuilt from the events.

    Parcels without an event on or before the date are absent.

    Examples
    --------
    >>> import landkit
    >>> events = landkit.read_layer(landkit.SAMPLE_PATH, "events")
    >>> state_as_of(events, "2000-01-01").empty
    True
    """
    e = _sorted(events)
    if date is not None:
        e = e[e["date"] <= pd.Timestamp(date)]
    return e.groupby("parcel_id", sort=True)["status"].last().rename("status")


def data_date(events: pd.DataFrame):
    """The date the data stands at: the latest event not after today (a future-dated event is a finding)."""
    dates = events["date"].dropna() if "date" in events else pd.Series(dtype="datetime64[ns]")
    if not len(dates):
        return None
    past = dates[dates <= pd.Timestamp.today().normalize()]
    return (past.max() if len(past) else dates.min()).date()


def status_totals(parcels: gpd.GeoDataFrame, events: pd.DataFrame, *, as_of=None) -> pd.DataFrame:
    """Parcels, stated mu and measured (ellipsoidal) mu per status on ``as_of``, in lifecycle order.

    A stated area that is not a positive, finite number counts in no sum (the schema check
    names the parcel)."""
    parcels = trusted_stated(parcels)
    state = state_as_of(events, as_of).reindex(parcels.index)
    measured = figures(parcels)["area_mu"]  # each parcel's figure as every output shows it
    totals = pd.DataFrame(
        {
            "parcels": state.value_counts(),
            "stated_mu": parcels.groupby(state)["stated_area_mu"].sum().round(2),
            "measured_mu": measured.groupby(state).sum().round(2),
        }
    ).reindex([s for s in PARCEL_STATUSES if s in set(state.dropna())])
    totals.index.name = "status"
    totals.attrs["area_method"] = measured.attrs["area_method"]
    return totals


def progress(
    parcels: gpd.GeoDataFrame,
    events: pd.DataFrame,
    *,
    as_of=None,
    year: int | None = None,
    targets: tuple[Target, ...] = TARGETS,
) -> pd.DataFrame:
    """Progress against each target, in mu and km², by stated and by measured (ellipsoidal) area.

    A "flow" target counts parcels whose transition to the target's status is dated in ``year``
    (default: the year of ``as_of``) up to ``as_of`` and that have not been revoked below it
    since; a "stock" target counts parcels in one of its statuses on ``as_of``.
    """
    as_of = pd.Timestamp(as_of if as_of is not None else data_date(events))
    year = year or as_of.year
    parcels = trusted_stated(parcels)
    state = state_as_of(events, as_of).reindex(parcels.index)
    measured_mu = figures(parcels)["area_mu"]
    e = events[(events["date"] <= as_of) & (events["date"].dt.year == year) & (events["event_type"] == "transition")]
    rows = []
    for t in targets:
        threshold = _ORDER[t.statuses[0]]
        if t.kind == "stock":
            hit = state.isin(t.statuses)
        else:
            reached = e.loc[e["status"] == t.statuses[0], "parcel_id"].unique()
            hit = pd.Series(parcels.index.isin(reached), index=parcels.index)
            hit &= state.map(_ORDER).fillna(-1) >= threshold  # not since revoked
        if t.project is not None:
            hit &= parcels.get("project", pd.Series(index=parcels.index, dtype=object)) == t.project
        stated = float(parcels.loc[hit, "stated_area_mu"].sum())
        measured = float(measured_mu[hit].sum())
        rows.append(
            {
                "target": t.name,
                "label_zh": t.label_zh,
                "kind": t.kind,
                "statuses": "/".join(t.statuses),
                "target_mu": t.mu,
                "parcels": int(hit.sum()),
                "stated_mu": round(stated, 2),
                "measured_mu": round(measured, 2),
                "stated_km2": round(stated * M2_PER_MU / M2_PER_KM2, 4),
                "measured_km2": round(measured * M2_PER_MU / M2_PER_KM2, 4),
                "share_stated": round(stated / t.mu, 4),
                "remaining_mu": round(max(t.mu - stated, 0.0), 2),
            }
        )
    out = pd.DataFrame(rows).set_index("target")
    out.attrs.update(as_of=str(as_of.date()), year=year, area_method=measured_mu.attrs["area_method"])
    return out


def burndown(
    parcels: gpd.GeoDataFrame, events: pd.DataFrame, *, year: int | None = None, targets=TARGETS
) -> pd.DataFrame:
    """Stated mu still to go for each target at the end of every month of ``year``."""
    year = year or int(events["date"].max().year)
    ends = pd.date_range(f"{year}-01-31", f"{year}-12-31", freq="ME")
    ends = ends[ends <= events["date"].max() + pd.offsets.MonthEnd(0)]
    return pd.DataFrame(
        {
            end.strftime("%Y-%m"): progress(parcels, events, as_of=end, year=year, targets=targets)["remaining_mu"]
            for end in ends
        }
    ).T


def idle_land(parcels: gpd.GeoDataFrame, *, as_of=None, period_days: int = 365) -> pd.DataFrame:
    """Supplied parcels where construction has not started within ``period_days`` of the agreed date."""
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    due = parcels["start_due_on"] + pd.Timedelta(days=period_days)
    started = parcels["started_on"]
    parcels = trusted_stated(parcels)
    idle = parcels["status"].isin(SUPPLIED) & (due < as_of) & (started.isna() | (started > due))
    out = parcels.loc[idle, ["project", "status", "stated_area_mu", "supplied_on", "start_due_on", "started_on"]].copy()
    out["days_overdue"] = (as_of - due[idle]).dt.days
    return out


def by_compensation(parcels: gpd.GeoDataFrame) -> pd.DataFrame:
    """Stated mu and parcel count by compensation mode (cash, equity shares, staged)."""
    parcels = trusted_stated(parcels)
    modes = parcels["compensation"].fillna("none")
    table = (
        parcels.groupby(modes)["stated_area_mu"]
        .agg(["count", "sum"])
        .rename(columns={"count": "parcels", "sum": "stated_mu"})
    )
    table["label_zh"] = [COMPENSATION_MODES.get(m, "未定") for m in table.index]
    return table


def changes(parcels: gpd.GeoDataFrame, events: pd.DataFrame, *, since, until=None) -> dict[str, pd.DataFrame]:
    """What changed in the reserve ledger after ``since`` up to ``until`` (default: the data's date).

    Returns ``events`` (recorded in the period, in order), ``parcels`` (each parcel whose status
    differs between the two dates: before, after, its measured mu) and ``by_status`` (parcels and
    measured mu per status before and after, and the change). Areas are each parcel's figure as
    every output shows it (:func:`landkit.measure.figures`); the geometry is today's, the
    statuses are rebuilt from the ledger.
    """
    since = pd.Timestamp(since)
    until = pd.Timestamp(until if until is not None else data_date(events))
    if until < since:
        raise ValueError(f"--until {until.date()} is before --since {since.date()}")
    period = events[(events["date"] > since) & (events["date"] <= until)]
    before = state_as_of(events, since).reindex(parcels.index)
    after = state_as_of(events, until).reindex(parcels.index)
    mu = figures(parcels)["area_mu"]
    moved = before.fillna("") != after.fillna("")
    changed = pd.DataFrame({"before": before[moved], "after": after[moved], "area_mu": mu[moved]})
    order = [s for s in PARCEL_STATUSES if s in set(before.dropna()) | set(after.dropna())]
    by_status = (
        pd.DataFrame(
            {
                "parcels_before": before.value_counts(),
                "mu_before": mu.groupby(before).sum().round(2),
                "parcels_after": after.value_counts(),
                "mu_after": mu.groupby(after).sum().round(2),
            }
        )
        .reindex(order)
        .fillna(0)
    )
    by_status["mu_change"] = (by_status["mu_after"] - by_status["mu_before"]).round(2)
    by_status.index.name = "status"
    out = {"events": _sorted(period).drop(columns="_seq"), "parcels": changed, "by_status": by_status}
    for df in out.values():
        df.attrs.update(since=str(since.date()), until=str(until.date()))
    return out
