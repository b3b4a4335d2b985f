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

from .errors import (
    DataError,
    LedgerError,  # noqa: F401  (re-exported: landkit.reserve.LedgerError)
)
from .ledger import TRANSITIONS  # noqa: F401  (re-exported: the lifecycle is data, defined in ledger)
from .measure import figures
from .schema import COMPENSATION_MODES, PARCEL_STATUSES, TARGET_KINDS, as_code, trusted_stated
from .units import total

_ORDER = {s: i for i, s in enumerate(PARCEL_STATUSES)}
SUPPLIED = ("transferred", "allocated")


@dataclass(frozen=True)
class Target:
    """A reserve target, as the project's ``targets`` table defines it (one meaning everywhere).

    A **task** (任务) is a named set of parcels and the status they must reach by a date:
    年度报批任务 = these parcels, approved by 31 December. Its target is the set's stated mu; a
    parcel is done when its status is ``status`` or any later one in the lifecycle.
    A **stock** (存量) is mu held in ``status`` on the date (7,700 mu 已入库), optionally
    of one ``project``; its target is ``mu`` (None when the table gives no positive figure: unknown).
    Kinds and statuses may be written as codes or in Chinese (任务, 已批复), as the ledger accepts them.
    """

    id: str
    name: str
    kind: str
    status: str
    mu: float | None = None
    due: pd.Timestamp | None = None
    project: str | None = None
    name_en: str | None = None
    parcels: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return (self.name_en or self.id) if lang == "en" else self.name


def _text(value) -> str | None:
    return None if value is None or value != value or not str(value).strip() else str(value).strip()


def targets(layers: dict) -> tuple[Target, ...]:
    """The project's targets (its ``targets`` and ``target_parcels`` tables); none when it has none.

    Examples
    --------
    >>> import landkit
    >>> [t.name for t in targets(landkit.read_project(landkit.SAMPLE_PATH))]
    ['2026年度报批任务', '2026年度征收任务', '储备库存', '北环路物流园储备']
    """
    table = layers.get("targets")
    if table is None or not len(table):
        return ()
    members = layers.get("target_parcels")
    listed = (
        members.groupby(members["target_id"].astype(str), sort=False)["parcel_id"].agg(lambda s: tuple(map(str, s)))
        if members is not None and len(members)
        else pd.Series(dtype=object)
    )
    out = []
    figures = pd.to_numeric(table.get("target_mu", pd.Series(index=table.index, dtype=float)), errors="coerce")
    for (tid, row), mu in zip(table.iterrows(), figures, strict=True):  # a handful of targets
        kind, status = as_code(row.get("kind"), TARGET_KINDS), as_code(row.get("status"), PARCEL_STATUSES)
        if kind is None or status is None:
            from .ledger import _choices

            raise DataError(
                code="reserve.not_a_target", target=tid, kind=_text(row.get("kind")),
                status=_text(row.get("status")), statuses=_choices(PARCEL_STATUSES),
            )  # fmt: skip
        due = row.get("due_on")
        out.append(
            Target(
                id=str(tid),
                name=_text(row.get("name")) or str(tid),
                kind=kind,
                status=status,
                mu=float(mu) if 0 < mu < float("inf") else None,
                due=pd.Timestamp(due) if due is not None and due == due else None,
                project=_text(row.get("project")),
                name_en=_text(row.get("name_en")),
                parcels=listed.get(str(tid), ()),
            )
        )
    return tuple(out)


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


def status_totals(
    parcels: gpd.GeoDataFrame, events: pd.DataFrame, *, as_of=None, state=None, measured=None
) -> pd.DataFrame:
    """Parcels, stated mu and measured (ellipsoidal) mu per status on ``as_of``, in lifecycle order.

    A stated area that is not a positive, finite number counts in no sum (the schema check
    names the parcel). ``state`` (:func:`state_as_of` on ``as_of``) and ``measured``
    (:func:`landkit.measure.figures` of the parcels): when the caller has them already."""
    parcels = trusted_stated(parcels)
    state = (state_as_of(events, as_of) if state is None else state).reindex(parcels.index)
    measured = (figures(parcels) if measured is None else measured)["area_mu"]  # each parcel's figure as shown
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


def _members(
    target: Target, parcels: pd.DataFrame, state: pd.Series, listed: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """The parcels a target is about and those of them that count as done, as boolean masks
    (``listed``: a task's parcels, when already found)."""
    if target.kind == "task":
        members = listed if listed is not None else pd.Series(parcels.index.isin(target.parcels), index=parcels.index)
        done = members & (state.map(_ORDER).fillna(-1) >= _ORDER[target.status])
    else:
        members = state == target.status
        if target.project is not None:
            members &= parcels.get("project", pd.Series(index=parcels.index, dtype=object)) == target.project
        done = members
    return members, done


def progress(
    parcels: gpd.GeoDataFrame,
    events: pd.DataFrame,
    targets: tuple[Target, ...],
    *,
    as_of=None,
    pace: bool = True,
    state=None,
    measured=None,
) -> pd.DataFrame:
    """Done / target for each target on ``as_of`` (default: the data's date), stated mu and measured.

    ``target_mu`` is a task's parcels' stated total (all of them, whatever the date), or a stock's
    figure: NaN (unknown, never 0) for a stock without one, and so are its ``share`` and
    ``remaining_mu``; ``done_mu`` the stated
    mu of the parcels that count (a task's parcels now in its status or later; a stock's parcels
    in its status); ``done_measured_mu`` the same parcels measured on the ellipsoid. Every sum
    is of figures as shown (0.01 mu). :func:`target_parcels` lists the parcels behind a row.
    With ``pace`` (the default), each target with a deadline also gets its pace (:func:`pace`):
    ``months_left``, ``needed_per_month_mu``, ``achieved_per_month_mu`` and ``behind``.
    ``state`` and ``measured``: as for :func:`status_totals`, when the caller has them already.
    """
    as_of = pd.Timestamp(as_of if as_of is not None else data_date(events))
    parcels = trusted_stated(parcels)
    state = (state_as_of(events, as_of) if state is None else state).reindex(parcels.index)
    measured = (figures(parcels) if measured is None else measured)["area_mu"]
    stated = parcels["stated_area_mu"]
    rows = []
    for t in targets:  # a handful of targets
        members, done = _members(t, parcels, state)
        goal = total(stated[members]) if t.kind == "task" else (t.mu if t.mu is not None else float("nan"))
        done_mu = total(stated[done])
        remaining = round(max(goal - done_mu, 0.0), 2) if goal == goal else float("nan")
        rows.append(
            {
                "target": t.id,
                "name": t.name,
                "name_en": t.name_en or t.id,
                "kind": t.kind,
                "status": t.status,
                "due": t.due,
                "target_mu": goal,
                "done_mu": done_mu,
                "done_measured_mu": total(measured[done]),
                "share": round(done_mu / goal, 4) if goal == goal and goal else float("nan"),
                "remaining_mu": remaining,
                "parcels": int(members.sum()),
                "parcels_done": int(done.sum()),
                "overdue": bool(t.due is not None and as_of > t.due and remaining > 0),
            }
        )
    columns = ["target", "name", "name_en", "kind", "status", "due", "target_mu", "done_mu", "done_measured_mu",
               "share", "remaining_mu", "parcels", "parcels_done", "overdue"]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns).set_index("target")
    out.attrs.update(as_of=str(as_of.date()), area_method=measured.attrs["area_method"])
    if pace:
        out = _with_pace(out, parcels, events, targets, as_of)
    return out


# -- pace: what a deadline needs per month, against what the ledger shows was done -------------

#: the achieved pace is the average of this many full calendar months before the date
PACE_MONTHS = 3
#: a month of the months left: the mean calendar month, in days (365.25 / 12)
DAYS_PER_MONTH = 30.4375
PACE_COLUMNS = ["months_left", "needed_per_month_mu", "achieved_per_month_mu", "behind"]


def pace_window(as_of) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The last :data:`PACE_MONTHS` full calendar months on ``as_of``: (their first day, their last day).

    A month is full when it has ended on ``as_of`` (on 2026-11-20: 2026-08-01 to 2026-10-31; on
    2026-11-30: 2026-09-01 to 2026-11-30). Events dated on either day or between fall in the window."""
    day = pd.Timestamp(as_of).normalize()
    end = day if day + pd.offsets.MonthEnd(0) == day else day - pd.offsets.MonthEnd(1)
    return end - pd.offsets.MonthEnd(PACE_MONTHS) + pd.Timedelta(days=1), end


def pace(table: pd.DataFrame, *, as_of, done_before: pd.Series, done_after: pd.Series) -> pd.DataFrame:
    """The pace of each target with a deadline (``due``) on ``as_of``; NaN / None for the others.

    - ``months_left``: days from ``as_of`` to the deadline over :data:`DAYS_PER_MONTH`, 0 once
      it is reached (0.01 month);
    - ``needed_per_month_mu``: ``remaining_mu`` over the months left; 0 with nothing remaining,
      NaN (no month to spread it over) on or after the deadline with mu remaining;
    - ``achieved_per_month_mu``: the done mu at the end of the :func:`pace_window` minus the done
      mu the day before it begins (``done_after`` − ``done_before``, stated mu, by the ledger's dated events),
      over :data:`PACE_MONTHS`; for a stock the net change of the stock, which may be negative;
    - ``behind``: True when mu remains and either the deadline is reached or the achieved pace is
      below the needed pace, as both are shown (0.01 mu); False when nothing remains or the pace
      suffices; None when the remainder is unknown (a stock without a figure) or there is no deadline.
    """
    as_of = pd.Timestamp(as_of).normalize()
    due = pd.to_datetime(table["due"])
    days = (due - as_of).dt.days
    has = due.notna()
    remaining = table["remaining_mu"].astype(float)
    months = (days.clip(lower=0) / DAYS_PER_MONTH).where(has)
    needed = (remaining / (days / DAYS_PER_MONTH)).where(days > 0).round(2)
    needed = needed.mask(has & (remaining == 0), 0.0)
    achieved = ((done_after - done_before) / PACE_MONTHS).round(2).where(has)
    late = (remaining > 0) & ((days <= 0) | (achieved < needed))
    known = has & remaining.notna()
    behind = pd.Series([bool(b) if k else None for b, k in zip(late, known, strict=True)], index=table.index)
    return pd.DataFrame(
        {"months_left": months.round(2), "needed_per_month_mu": needed.where(has), "achieved_per_month_mu": achieved,
         "behind": behind.astype(object)},
        index=table.index,
    )  # fmt: skip


def _with_pace(table: pd.DataFrame, parcels, events: pd.DataFrame, targets: tuple[Target, ...], as_of) -> pd.DataFrame:
    """``table`` (of :func:`progress`) with the pace columns (:func:`pace`)."""
    start, end = pace_window(as_of)
    stated = parcels["stated_area_mu"]
    dated = [t.due is not None for t in targets]
    listed = {  # each dated task's parcels, found once for both days
        t.id: pd.Series(parcels.index.isin(t.parcels), index=parcels.index)
        for t, d in zip(targets, dated, strict=True)
        if d and t.kind == "task"
    }

    def done_on(day: pd.Timestamp) -> pd.Series:  # each dated target's done mu on the day, by the ledger
        state = state_as_of(events, day).reindex(parcels.index)
        mu = [
            total(stated[_members(t, parcels, state, listed.get(t.id))[1]]) if d else np.nan
            for t, d in zip(targets, dated, strict=True)
        ]
        return pd.Series(mu, index=table.index, dtype=float)

    if any(dated):  # what was done before the window, and at its end
        before, after = done_on(start - pd.Timedelta(days=1)), done_on(end)
    else:
        before = after = pd.Series(np.nan, index=table.index, dtype=float)
    out = table.join(pace(table, as_of=as_of, done_before=before, done_after=after))
    out.attrs = {**table.attrs, "pace_since": str(start.date()), "pace_until": str(end.date())}
    return out


def target_parcels(parcels: gpd.GeoDataFrame, events: pd.DataFrame, target: Target, *, as_of=None) -> pd.DataFrame:
    """The parcels behind one row of :func:`progress`: each with its status on ``as_of``, whether
    it counts as done, its stated and measured mu (figures as shown)."""
    as_of = pd.Timestamp(as_of if as_of is not None else data_date(events))
    parcels = trusted_stated(parcels)
    state = state_as_of(events, as_of).reindex(parcels.index)
    members, done = _members(target, parcels, state)
    out = pd.DataFrame(
        {
            "village_code": parcels.get("village_code", pd.Series(index=parcels.index, dtype=object))[members],
            "status": state[members],
            "done": done[members],
            "stated_mu": parcels.loc[members, "stated_area_mu"],
            "measured_mu": figures(parcels[members])["area_mu"],
            "project": parcels.get("project", pd.Series(index=parcels.index, dtype=object))[members],
        }
    )
    out.index.name = "parcel_id"
    out.attrs.update(as_of=str(as_of.date()), target=target.id)
    return out


def burndown(
    parcels: gpd.GeoDataFrame, events: pd.DataFrame, targets: tuple[Target, ...], *, year: int | None = None
) -> pd.DataFrame:
    """Mu still to go for each target at the end of every month of ``year`` (default: the data's year)."""
    year = year or int(events["date"].max().year)
    ends = pd.date_range(f"{year}-01-31", f"{year}-12-31", freq="ME")
    ends = ends[ends <= events["date"].max() + pd.offsets.MonthEnd(0)]
    return pd.DataFrame(
        {
            end.strftime("%Y-%m"): progress(parcels, events, targets, as_of=end, pace=False)["remaining_mu"]
            for end in ends
        }
    ).T


#: 闲置土地处置办法: land not started a year after the agreed date is idle (the rules file's
#: ``[idle_land] days`` changes it).
IDLE_DAYS = 365


def idle_days(rules: dict | None = None) -> int:
    """The idle-land period in days: the rules' ``[idle_land] days`` (as the audit rule reads it), else a year."""
    return int((rules or {}).get("idle_land", {}).get("days", IDLE_DAYS))


def idle_land(
    parcels: gpd.GeoDataFrame,
    events: pd.DataFrame | None = None,
    *,
    as_of=None,
    period_days: int = IDLE_DAYS,
    state=None,
) -> pd.DataFrame:
    """Supplied parcels where construction has not started within ``period_days`` of the agreed date.

    Following 闲置土地处置办法 (国土资源部令第53号, 2012): land not started a year after the agreed
    start date (``start_due_on``) is idle (闲置土地: ``idle_since``); two years after it, it may be
    taken back without compensation (``recoverable_from``; ``stage`` 可无偿收回 once that date is
    past, else 闲置). With ``events``, a parcel's status is the ledger's on ``as_of``; without, the
    layer's. ``period_days`` is the rules' ``[idle_land] days`` (:func:`idle_days`); ``state``:
    :func:`state_as_of` on ``as_of``, when the caller has it.
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    if events is not None:
        state = state_as_of(events, as_of) if state is None else state
        parcels = parcels.assign(status=state.reindex(parcels.index))
    due = parcels["start_due_on"] + pd.Timedelta(days=period_days)
    recover = parcels["start_due_on"] + pd.Timedelta(days=2 * period_days)
    started = parcels["started_on"]
    parcels = trusted_stated(parcels)
    idle = parcels["status"].isin(SUPPLIED) & (due < as_of) & (started.isna() | (started > due))
    out = parcels.loc[idle, ["project", "status", "stated_area_mu", "supplied_on", "start_due_on", "started_on"]].copy()
    out["idle_since"] = due[idle]
    out["recoverable_from"] = recover[idle]
    out["days_overdue"] = (as_of - due[idle]).dt.days
    out["stage"] = np.where(recover[idle] < as_of, "可无偿收回", "闲置")
    return out


def progress_tables(parcels: gpd.GeoDataFrame, events: pd.DataFrame, goals, *, as_of, rules=None) -> dict:
    """What ``landkit progress`` shows, as of ``as_of``: ``totals`` (:func:`status_totals`), ``targets``
    (:func:`progress`), ``idle`` (:func:`idle_land`) and ``compensation`` (:func:`by_compensation`),
    each parcel's state and measured area worked out once for all four."""
    state, shown = state_as_of(events, as_of), figures(parcels)
    return {
        "totals": status_totals(parcels, events, as_of=as_of, state=state, measured=shown),
        "targets": progress(parcels, events, goals, as_of=as_of, state=state, measured=shown),
        "idle": idle_land(parcels, events, as_of=as_of, period_days=idle_days(rules), state=state),
        "compensation": by_compensation(parcels, events, as_of=as_of, state=state),
    }


def by_compensation(
    parcels: gpd.GeoDataFrame, events: pd.DataFrame | None = None, *, as_of=None, state=None
) -> pd.DataFrame:
    """Stated mu and parcel count by compensation mode (cash, equity shares, staged).

    With ``events``, the parcels on the ledger on ``as_of`` (default: all events), as
    :func:`status_totals` counts them; without, every parcel. A stated area that is not a
    positive, finite number counts in no sum. ``state``: :func:`state_as_of` on ``as_of``, when
    the caller has it."""
    parcels = trusted_stated(parcels)
    if events is not None:
        state = state_as_of(events, as_of) if state is None else state
        parcels = parcels[parcels.index.isin(state.index)]
    modes = parcels["compensation"].fillna("none")
    table = (
        parcels.groupby(modes)["stated_area_mu"]
        .agg(["count", "sum"])
        .rename(columns={"count": "parcels", "sum": "stated_mu"})
    )
    table["stated_mu"] = table["stated_mu"].round(2)
    table["label_zh"] = [COMPENSATION_MODES.get(m, "未定") for m in table.index]
    return table


def changes(
    parcels: gpd.GeoDataFrame, events: pd.DataFrame, *, since, until=None, then: gpd.GeoDataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """What changed in the reserve ledger after ``since`` up to ``until`` (default: the data's date).

    Returns ``events`` (recorded in the period, in order), ``parcels`` (each parcel whose status
    differs between the two dates: before, after, its measured mu) and ``by_status`` (parcels and
    measured mu per status before and after, and the change). Areas are each parcel's figure as
    every output shows it (:func:`landkit.measure.figures`); the geometry is today's, the
    statuses are rebuilt from the ledger. ``then``: the parcels valid on ``since`` where lineage
    changed them since (:func:`landkit.lineage.parcels_as_of`; ``parcels`` are those valid on
    ``until``): each end is counted on its own parcels, a retired parent at the start only.
    """
    since = pd.Timestamp(since)
    if until is None:  # up to the data's date; a period that starts after it is empty, not an error
        latest = data_date(events)
        until = max(pd.Timestamp(latest), since) if latest is not None else since
    until = pd.Timestamp(until)
    if until < since:
        raise DataError(code="reserve.until_before_since", until=until.date(), since=since.date())
    period = events[(events["date"] > since) & (events["date"] <= until)]
    first = parcels if then is None else then
    ids = parcels.index if then is None else parcels.index.append(then.index.difference(parcels.index))
    before = state_as_of(events, since).reindex(first.index)
    after = state_as_of(events, until).reindex(parcels.index)
    mu = figures(parcels)["area_mu"]
    mu_first = mu if then is None else figures(then)["area_mu"]
    was, now = before.reindex(ids), after.reindex(ids)
    moved = was.fillna("") != now.fillna("")
    area = mu.reindex(ids).fillna(mu_first.reindex(ids))  # a parcel gone by the end: its area at the start
    changed = pd.DataFrame({"before": was[moved], "after": now[moved], "area_mu": area[moved]})
    seen = set(before.dropna()) | set(after.dropna())
    order = [s for s in PARCEL_STATUSES if s in seen]
    by_status = (
        pd.DataFrame(
            {
                "parcels_before": before.value_counts(),
                "mu_before": mu_first.groupby(before).sum().round(2),
                "parcels_after": after.value_counts(),
                "mu_after": mu.groupby(after).sum().round(2),
            }
        )
        .reindex(order)
        .fillna(0)
    )
    by_status[["parcels_before", "parcels_after"]] = by_status[["parcels_before", "parcels_after"]].astype(int)
    by_status["mu_change"] = (by_status["mu_after"] - by_status["mu_before"]).round(2)
    by_status.index.name = "status"
    out = {"events": _sorted(period).drop(columns="_seq"), "parcels": changed, "by_status": by_status}
    for df in out.values():
        df.attrs.update(since=str(since.date()), until=str(until.date()))
    return out
