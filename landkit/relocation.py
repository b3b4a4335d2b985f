"""Village relocation: who is displaced by which zone version, capacity, and the allocation plan.

Villages move, batch by batch, into the resettlement communities (Lufeng and Huiyuan). The
allocation assigns households to communities within both capacities (people and households),
earlier batches first, minimising the household-kilometres travelled; a village is split
between communities only where it must be. It is solved exactly as a mixed-integer programme
(``scipy.optimize.milp``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import DataError, LandkitWarning
from .measure import GEOD, area
from .units import balanced_round


def displacement(zones: gpd.GeoDataFrame | None, villages: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each village: the first zone version covering most of its footprint, and the land freed.

    Examples
    --------
    >>> import landkit
    >>> p = landkit.read_project(landkit.SAMPLE_PATH)
    >>> displacement(p["planning_zones"], p["villages"])["version"].value_counts().sort_index().tolist()
    [8, 8, 9]
    """
    if zones is None or not len(zones):  # no planning zones: nothing displaces anyone yet
        out = pd.DataFrame({"name": villages["name"], "batch": villages["batch"]}, index=villages.index)
        out["version"], out["share_in_version"] = pd.array([pd.NA] * len(out), dtype="Int64"), np.nan
        freed = area(villages, unit="mu")
        out["freed_mu"] = freed.round(2)
        out.attrs["area_method"] = freed.attrs["area_method"]
        return out
    zones = zones.sort_values("version").to_crs(villages.crs)
    foot = villages.geometry.to_numpy()
    own = shapely.area(foot)
    share = np.column_stack([shapely.area(shapely.intersection(foot, z)) / own for z in zones.geometry])
    covered = share > 0.5
    first = np.where(covered.any(axis=1), covered.argmax(axis=1), -1)
    versions = zones["version"].to_numpy()
    out = pd.DataFrame(index=villages.index)
    out["name"] = villages["name"]
    out["batch"] = villages["batch"]
    out["version"] = pd.array([versions[k] if k >= 0 else pd.NA for k in first], dtype="Int64")
    out["share_in_version"] = [share[i, k] if k >= 0 else np.nan for i, k in enumerate(first)]
    freed = area(villages, unit="mu")
    out["freed_mu"] = freed.round(2)
    out.attrs["area_method"] = freed.attrs["area_method"]
    return out


def distances_km(villages: gpd.GeoDataFrame, communities: gpd.GeoDataFrame) -> pd.DataFrame:
    """Geodesic distance between each village's centre and each community's centre, in km."""
    v = villages.geometry.centroid.to_crs(4490)
    c = communities.geometry.centroid.to_crs(4490)
    vx, cx = np.meshgrid(v.x.to_numpy(), c.x.to_numpy(), indexing="ij")
    vy, cy = np.meshgrid(v.y.to_numpy(), c.y.to_numpy(), indexing="ij")
    _, _, d = GEOD.inv(vx.ravel(), vy.ravel(), cx.ravel(), cy.ravel())
    return pd.DataFrame(np.asarray(d).reshape(vx.shape) / 1000, index=villages.index, columns=communities.index)


def capacity_check(villages: pd.DataFrame, communities: pd.DataFrame) -> pd.DataFrame:
    """Cumulative people and households assigned (``target_community``) per community after each batch.

    Rows where either exceeds the community's capacity have ``over`` set.
    """
    rows = []
    for cid, com in communities.iterrows():
        mine = villages[villages["target_community"] == cid]
        for batch in sorted(villages["batch"].unique()):
            upto = mine[mine["batch"] <= batch]
            people, hh = int(upto["population"].sum()), int(upto["households"].sum())
            rows.append(
                {
                    "community_id": cid,
                    "name": com["name"],
                    "through_batch": int(batch),
                    "people": people,
                    "capacity_people": int(com["capacity_people"]),
                    "households": hh,
                    "capacity_households": int(com["capacity_households"]),
                    "over": people > com["capacity_people"] or hh > com["capacity_households"],
                }
            )
    return pd.DataFrame(rows)


def _solve_batch(hh, size, dist, cap_hh, cap_people, split: bool, min_part: int) -> np.ndarray:
    """Households x[v, c] within both capacities: fewest village splits first, then least household-km.

    Exact MILP. With ``split`` a village may be divided, but no part is smaller than
    ``min_part`` households (or the whole village, if smaller); each extra part costs more than
    any distance it could save, so a village is split only where capacity forces it.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    nv, nc = dist.shape
    one_each = np.kron(np.eye(nv), np.ones(nc))  # variables are v-major: x[v, c] at v * nc + c
    if not split:  # each village whole: y[v, c] in {0, 1}
        constraints = [
            LinearConstraint(one_each, 1, 1),
            LinearConstraint(_weights(hh, nc), 0, cap_hh),
            LinearConstraint(_weights(hh * size, nc), 0, cap_people),
        ]
        cost, n = (dist * hh[:, None]).ravel(), nv * nc
        res = milp(cost, constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1))
        if not res.success:
            raise DataError("infeasible")
        return np.round(res.x).reshape(nv, nc) * hh[:, None]
    n = nv * nc  # variables: households x (n), then "village v has a part in c" y (n)
    penalty = float(hh.sum() * dist.max() + 1.0)
    eye = np.eye(n)
    smallest = np.minimum(min_part, hh)
    constraints = [
        LinearConstraint(np.hstack([one_each, np.zeros((nv, n))]), hh, hh),
        LinearConstraint(np.hstack([_weights(np.ones(nv), nc), np.zeros((nc, n))]), 0, cap_hh),
        LinearConstraint(np.hstack([_weights(size, nc), np.zeros((nc, n))]), 0, cap_people),
        LinearConstraint(np.hstack([eye, -np.diag(np.repeat(hh, nc))]), -np.inf, 0),  # x <= hh * y
        LinearConstraint(np.hstack([eye, -np.diag(np.repeat(smallest, nc))]), 0, np.inf),  # x >= part * y
    ]
    cost = np.concatenate([dist.ravel(), np.full(n, penalty)])
    upper = np.concatenate([np.repeat(hh, nc), np.ones(n)])
    res = milp(cost, constraints=constraints, integrality=np.ones(2 * n), bounds=Bounds(0, upper))
    if not res.success:
        raise DataError("infeasible")
    return np.round(res.x[:n]).reshape(nv, nc)


def _weights(w: np.ndarray, nc: int) -> np.ndarray:
    """Rows per community summing ``w`` over villages placed there (variables ordered v-major)."""
    m = np.zeros((nc, len(w) * nc))
    for c in range(nc):
        m[c, c::nc] = w
    return m


def allocate(
    villages: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame,
    *,
    split: bool = True,
    min_part: int = 10,
    events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The relocation plan: villages already on the move stay where they go; the rest are optimised.

    A village whose relocation has started (agreement signed, moved or demolished, by the
    relocation ledger ``events`` when given, else the villages layer) keeps its
    ``target_community``: those are facts. Villages still planned are placed batch by batch
    (earlier batches first) within the capacity the facts leave, in people and households,
    fewest splits first and then least household-kilometres (geodesic distance between
    centres). A village is split only where capacity forces it, never into a part under
    ``min_part`` households; with ``split=False`` villages move whole. A batch that cannot fit
    raises a DataError saying by how much; facts that already exceed a community's capacity are
    listed in ``plan.attrs["over_capacity"]`` (each a coded :class:`LandkitWarning`: ``str()`` in English,
    ``text(lang)``) instead of moving people who have moved.
    """
    dist = distances_km(villages, communities)
    status = village_status(villages, events)
    fixed = (status != "planned") & villages.get("target_community", pd.Series(index=villages.index)).isin(
        communities.index
    )
    size_all = (villages["population"] / villages["households"]).to_numpy(dtype=float)
    rows = []
    left_hh = communities["capacity_households"].to_numpy(dtype=float)
    left_people = communities["capacity_people"].to_numpy(dtype=float)
    for vid in villages.index[fixed]:
        c = communities.index.get_loc(villages.at[vid, "target_community"])
        moving_hh, moving_people = int(villages.at[vid, "households"]), int(villages.at[vid, "population"])
        rows.append(_row(villages, vid, communities.index[c], moving_hh, moving_people, dist, fixed=True))
        left_hh[c] -= moving_hh
        left_people[c] -= moving_people
    over = [
        LandkitWarning(
            code="relocation.over_capacity",
            community=communities["name"].iloc[c],
            households=f"{-left_hh[c]:,.0f}",
            people=f"{-left_people[c]:,.0f}",
        )
        for c in range(len(communities))
        if left_hh[c] < 0 or left_people[c] < 0
    ]
    left_hh, left_people = np.maximum(left_hh, 0), np.maximum(left_people, 0)
    todo = villages[~fixed]
    for batch in sorted(todo["batch"].unique()):
        v = todo[todo["batch"] == batch]
        hh = v["households"].to_numpy(dtype=float)
        size = size_all[villages.index.get_indexer(v.index)]
        try:
            x = _solve_batch(hh, size, dist.loc[v.index].to_numpy(), left_hh, left_people, split, min_part)
        except DataError:
            raise DataError(
                code="relocation.batch_does_not_fit", batch=batch, households=int(hh.sum()),
                people=int(v["population"].sum()), left_households=int(left_hh.sum()),
                left_people=int(left_people.sum()),
            ) from None  # fmt: skip
        for i, vid in enumerate(v.index):
            placed = np.flatnonzero(x[i] > 0)
            people = balanced_round(v["population"].iloc[i] * x[i, placed] / hh[i], 0)
            for c, k, p in zip(placed, x[i, placed], people, strict=True):
                rows.append(_row(villages, vid, communities.index[c], int(k), int(p), dist, fixed=False))
            left_hh -= x[i]
            left_people -= np.bincount(placed, weights=people, minlength=len(left_people))
    plan = pd.DataFrame(rows).sort_values(["batch", "village_code"], kind="stable").reset_index(drop=True)
    plan["household_km"] = (plan["households"] * plan["distance_km"]).round(3)
    plan.attrs["household_km"] = float(plan["household_km"].sum())
    plan.attrs["over_capacity"] = over
    return plan


def _row(villages, vid, cid, households: int, people: int, dist, *, fixed: bool) -> dict:
    return {
        "village_code": vid,
        "name": villages.at[vid, "name"],
        "batch": int(villages.at[vid, "batch"]),
        "community_id": cid,
        "households": households,
        "people": people,
        "distance_km": round(float(dist.at[vid, cid]), 3),
        "fixed": fixed,
    }


def village_status(villages: pd.DataFrame, events: pd.DataFrame | None = None, *, as_of=None) -> pd.Series:
    """Each village's relocation status on ``as_of``, rebuilt from the relocation events."""
    if events is None:
        if "relocation_status" not in villages:
            return pd.Series("planned", index=villages.index, name="relocation_status")
        return villages["relocation_status"]
    e = events if as_of is None else events[events["date"] <= pd.Timestamp(as_of)]
    last = e.sort_values("date", kind="stable").groupby("village_code")["status"].last()
    return last.reindex(villages.index).fillna("planned").rename("relocation_status")


def relocation_progress(villages: pd.DataFrame, events: pd.DataFrame | None = None, *, as_of=None) -> pd.DataFrame:
    """Villages and households by relocation status, per batch (from the events when given)."""
    status = village_status(villages, events, as_of=as_of)
    table = villages.assign(_s=status).pivot_table(
        index="batch", columns="_s", values="households", aggfunc=["count", "sum"], fill_value=0
    )
    table.columns = [f"{'villages' if col[0] == 'count' else 'households'}_{col[1]}" for col in table.columns]
    return table


#: the relocation steps by which a village has moved (moved, then demolished)
MOVED = ("moved", "demolished")


def late_villages(villages: pd.DataFrame, events: pd.DataFrame | None = None, *, as_of) -> pd.DataFrame:
    """The villages behind (滞后) on ``as_of``: their batch's deadline (the villages layer's optional
    ``due_on``, 搬迁期限) is before ``as_of`` and, by the relocation ledger then (the layer's
    status without one), they have not moved (planned or agreement signed). Columns ``name``,
    ``batch``, ``due_on``, ``relocation_status``, ``households``, ``days_late``; none without ``due_on``."""
    as_of = pd.Timestamp(as_of).normalize()
    columns = ["name", "batch", "due_on", "relocation_status", "households", "days_late"]
    if "due_on" not in villages or not len(villages):
        return pd.DataFrame(columns=columns, index=pd.Index([], name=villages.index.name))
    due = pd.to_datetime(villages["due_on"], errors="coerce")
    status = village_status(villages, events, as_of=as_of)
    late = due.notna() & (due < as_of) & ~status.isin(MOVED)
    out = villages.loc[late, ["name", "batch"]].assign(
        due_on=due[late], relocation_status=status[late], households=villages.loc[late, "households"],
        days_late=(as_of - due[late]).dt.days,
    )  # fmt: skip
    return out.sort_values(["due_on", "batch"], kind="stable")[columns]
