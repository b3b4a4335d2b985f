"""Parcel lineage: splits, merges and re-surveys kept as history, and any past date's parcels.

A survey delivery (勘测定界成果) lists new parcels, each with the ids of the parcels it replaces
(``replaces``). :func:`resurvey` retires those parents into ``parcels_history`` (each row the
parent as it was on its last day, with ``valid_from``/``valid_to``, the document that retired it
and the ids that replaced it), inserts the children into ``parcels``, appends a ``retired`` event
for each parent and a ``created`` event for each child to the ledger, and lets every target that
lists a parent list its children: one transaction, after every check has passed.

A parcel's lifespan is ``[valid_from, valid_to)``: it is valid on ``valid_from`` (the survey's
date) and no longer on ``valid_to``. Today's parcels have no ``valid_to``; their ``valid_from`` is
the date of the survey that created them (blank for parcels older than any recorded survey).
:func:`parcels_as_of` gives the parcels valid on a date, with their status on that date.

This module imports pandas and GDAL only in the functions that need them: the ledger asks it
(:func:`lineage_refusal`, :func:`unknown_or_retired`) on ``landkit record``'s fast path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import DataError, LedgerError

#: what separates the ids in ``replaces``: ; ； , ， and white space
SEPARATORS = re.compile(r"[;；,，\s]+")
HISTORY = "parcels_history"
#: the delivery's columns, by the names a survey office writes them
_ID_NAMES = ("parcel_id", "地块编号", "宗地编号")
_REPLACES_NAMES = ("replaces", "原地块编号", "被替代地块", "原地块")
#: columns a child never inherits: its geometry's own figures, or its place in the ledger
_NOT_INHERITED = {"stated_area_mu", "status"}


def split_ids(value: Any) -> list[str]:
    """The ids in a ``replaces`` cell, in order, each once.

    Examples
    --------
    >>> split_ids("CB00001；CB00002, CB00003  CB00001")
    ['CB00001', 'CB00002', 'CB00003']
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    out: list[str] = []
    for part in SEPARATORS.split(str(value).strip()):
        if part and part not in out:
            out.append(part)
    return out


def _listed(ids: Sequence[str]) -> Any:
    """Ids as a message lists them: 、 between them in Chinese, a comma in English; - for none."""
    from .i18n import t
    from .ledger import Phrase

    return Phrase(lambda lang: t("ledger.list_sep", lang).join(ids) or "-")


# -- the ledger's questions (no pandas) ------------------------------------------------------------


def lineage_refusal(history: Sequence[tuple[str, str, str]], event: Mapping[str, Any], current: Any) -> Any:
    """Why a lineage event cannot follow a parcel's ``history`` [(date, event_type, status) …], or None.

    ``retired`` keeps the parcel's status and is its last event; ``created`` is a parcel's first
    event, or follows its own ``retired`` (a re-survey keeps the id)."""
    if history and history[-1][1] == "retired" and event["event_type"] != "created":
        return LedgerError(code="lineage.refusal.after_retired")
    if event["event_type"] == "retired":  # without history, the status is the layer's
        ok = not history or event["status"] == current
        return None if ok else LedgerError(code="lineage.refusal.retired_status")
    if history and history[-1][1] != "retired":
        return LedgerError(code="lineage.refusal.created_not_first")
    return None


def unknown_or_retired(writer: Any, ledger: Any, key: str) -> LedgerError:
    """Why ``key`` is not a feature of the ledger's layer: retired (naming its successors) or unknown."""
    if ledger.layer == "parcels" and writer.has(HISTORY) and {"parcel_id", "replaced_by"} <= writer.columns(HISTORY):
        have = writer.columns(HISTORY)
        wanted = ["parcel_id", "replaced_by"] + [c for c in ("valid_to", "retired_by") if c in have]
        rows = writer.rows(HISTORY, wanted, "parcel_id", [key])
        if rows:
            last = dict(zip(wanted, rows[-1], strict=True))
            successors = successors_of(writer, key)
            return LedgerError(
                code="lineage.retired_parcel",
                key=key,
                date=str(last.get("valid_to") or "")[:10],
                doc=last.get("retired_by") or "-",
                successors=_listed(successors),
            )
    return LedgerError(code=f"ledger.unknown_{ledger.noun}", key=key)


def successors_of(writer: Any, key: str) -> list[str]:
    """Today's parcels that descend from ``key`` (through every later split or merge)."""
    seen, todo = {key}, [key]
    while todo:
        rows = writer.rows(HISTORY, ["parcel_id", "replaced_by"], "parcel_id", todo)
        todo = []
        for _, replaced in rows:
            for child in split_ids(replaced):
                if child in seen:
                    continue
                seen.add(child)
                todo.append(child)
    current = {str(r[0]) for r in writer.rows("parcels", ["parcel_id"], "parcel_id", sorted(seen - {key}))}
    return sorted(current)


# -- reading a delivery -----------------------------------------------------------------------------


def read_delivery(source: Any, layer: str | None = None) -> Any:
    """A survey delivery: GeoPackage, Shapefile, GeoJSON or the survey-exchange text, indexed by
    ``parcel_id`` with a ``replaces`` column (lists of ids). The exchange text's 地块编号 is the
    ``parcel_id`` and its 地块名称 holds ``replaces`` (the ids it replaces)."""
    from .io import read_source

    where = str(source)
    gdf = read_source(source, layer)
    if str(source).lower().endswith(".txt") and "plot_id" in gdf.columns:
        gdf = gdf.rename(columns={"plot_id": "parcel_id", "name": "replaces"})
    names = {str(c).strip(): c for c in gdf.columns}
    id_col = next((names[n] for n in _ID_NAMES if n in names), None)
    rep_col = next((names[n] for n in _REPLACES_NAMES if n in names), None)
    if gdf.index.name in _ID_NAMES and id_col is None:
        gdf = gdf.reset_index()
        id_col = gdf.columns[0]
    if id_col is None or rep_col is None:
        missing = "parcel_id" if id_col is None else "replaces"
        raise DataError(code="lineage.delivery_column", path=where, column=missing, have=", ".join(map(str, names)))
    gdf = gdf.rename(columns={id_col: "parcel_id", rep_col: "replaces"})
    blank = gdf["parcel_id"].isna() | (gdf["parcel_id"].astype(str).str.strip() == "")
    if blank.any():
        raise DataError(code="lineage.delivery_blank_id", path=where, row=int(blank.to_numpy().argmax()) + 1)
    gdf["parcel_id"] = gdf["parcel_id"].astype(str).str.strip()
    gdf["replaces"] = gdf["replaces"].map(split_ids)
    twice = gdf["parcel_id"][gdf["parcel_id"].duplicated()]
    if len(twice):
        raise DataError(code="lineage.delivery_duplicate", path=where, id=twice.iloc[0])
    none = gdf["parcel_id"][gdf["replaces"].map(len) == 0]
    if len(none):
        raise DataError(code="lineage.delivery_no_replaces", path=where, id=none.iloc[0])
    empty = gdf.geometry.isna() | gdf.geometry.is_empty | ~gdf.geometry.is_valid
    if empty.any():
        raise DataError(code="lineage.delivery_bad_geometry", path=where, id=gdf["parcel_id"][empty].iloc[0])
    return gdf.set_index("parcel_id")


# -- the plan: every check, before anything is written ----------------------------------------------


@dataclass
class Group:
    """One change of a delivery: parents retired, children created (a connected set)."""

    change: str  # resurvey, split, merge, reparcel
    parents: list[str]
    children: list[str]
    parents_m2: float
    children_m2: float
    allowed_m2: float


@dataclass
class Plan:
    """What :func:`resurvey` writes, checked: history rows, children, events, target rows."""

    date: str
    doc: str | None
    groups: list[Group]
    history: Any  # GeoDataFrame: the parents as they were, with their lifespan (disk shape, no history_id)
    children: Any  # GeoDataFrame: the new parcels, in the parcels' CRS (disk shape)
    events: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)  # target_parcels rows to append (no member_id)


def _tolerance_m2(parents_m2: Any, rules: Mapping[str, Any]) -> Any:
    """The survey tolerance of a total: ΔP ≤ 0.0003·M·√P (城镇地籍调查规程), the audit's area-mismatch
    rule with its map scale (``[area_mismatch] map_scale``)."""
    import numpy as np

    return 0.0003 * float(rules["area_mismatch"]["map_scale"]) * np.sqrt(np.asarray(parents_m2, dtype=float))


def born(parcels_index: Any, history: Any) -> Any:
    """Each id's ``valid_from``: the latest ``valid_to`` of a history row that lists it in ``replaced_by``
    (NaT for a parcel older than any recorded survey); a Series on ``parcels_index``."""
    import pandas as pd

    if history is None or not len(history):
        return pd.Series(pd.NaT, index=parcels_index, dtype="datetime64[ns]")
    edges = history[["replaced_by", "valid_to"]].assign(child=history["replaced_by"].map(split_ids)).explode("child")
    latest = pd.to_datetime(edges["valid_to"]).groupby(edges["child"]).max()
    return latest.reindex(parcels_index)


def _groups(delivery: Any) -> list[tuple[list[str], list[str]]]:
    """The delivery's connected sets of (parents, children), in the delivery's order."""
    parent_of: dict[str, str] = {}  # union-find over ids, children and parents alike

    def root(x: str) -> str:
        while parent_of.setdefault(x, x) != x:
            parent_of[x] = parent_of[parent_of[x]]
            x = parent_of[x]
        return x

    for child, parents in delivery["replaces"].items():
        for p in parents:
            parent_of[root(("p", p))] = root(("c", child))  # type: ignore[arg-type,index]
    sets: dict[Any, tuple[list[str], list[str]]] = {}
    for child, parents in delivery["replaces"].items():
        mine = sets.setdefault(root(("c", child)), ([], []))  # type: ignore[arg-type]
        mine[1].append(child)
        mine[0].extend(p for p in parents if p not in mine[0])
    return list(sets.values())


def _change(parents: list[str], children: list[str]) -> str:
    if len(parents) == 1 and len(children) == 1:
        return "resurvey" if parents == children else "reparcel"
    if len(parents) == 1:
        return "split"
    return "merge" if len(children) == 1 else "reparcel"


def plan_resurvey(
    layers: Mapping[str, Any],
    delivery: Any,
    date: str,
    *,
    doc: str | None = None,
    accept_area_change: bool = False,
    status: str | None = None,
    rules: Mapping[str, Any] | None = None,
    where: str = "-",
) -> Plan:
    """Check a delivery against the project and return what :func:`resurvey` would write.

    Refused (coded errors, with the figures): a ``replaces`` naming a parcel that does not exist
    or is already retired; a child id taken by another parcel (today's or a retired one); a
    group whose children's measured (ellipsoidal) total differs from its parents' by more than
    the survey tolerance, unless ``accept_area_change``; a child that overlaps a parcel outside
    the delivery (or another child) beyond the audit's overlap tolerance; parents whose statuses
    differ, unless ``status`` is given.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from . import topology
    from .measure import area
    from .schema import PARCEL_STATUSES, as_code

    if rules is None:  # the audit's defaults (imported by name: the audit imports this module)
        import importlib

        rules = importlib.import_module("landkit.audit").DEFAULT_RULES
    parcels = layers["parcels"]
    history = layers.get(HISTORY)
    retired = set(history["parcel_id"].astype(str)) if history is not None and len(history) else set()
    current = set(parcels.index.astype(str))
    children_ids = list(delivery.index)
    parents_all = list(dict.fromkeys(p for ps in delivery["replaces"] for p in ps))
    for p in parents_all:
        if p not in current:
            if p in retired:
                last = history[history["parcel_id"].astype(str) == p].iloc[-1]  # type: ignore[index]
                day = str(last.get("valid_to"))[:10]
                raise DataError(code="lineage.parent_retired", path=where, id=p, date=day, by=last.get("replaced_by"))
            raise DataError(code="lineage.no_such_parent", path=where, id=p)
    for c in children_ids:
        if c in current and c not in parents_all:
            raise DataError(code="lineage.id_taken", path=where, id=c)
        if c in retired and c not in parents_all:
            raise DataError(code="lineage.id_retired", path=where, id=c)
    if status is not None:
        code = as_code(status, PARCEL_STATUSES)
        if code is None:
            raise LedgerError(code="ledger.unknown_status", value=status, choices=", ".join(PARCEL_STATUSES))
        status = code
    crs = parcels.crs
    kids = delivery.to_crs(crs) if delivery.crs != crs else delivery
    kids_m2 = area(kids)
    olds = parcels.loc[parents_all]
    olds_m2 = area(olds)
    groups: list[Group] = []
    for parents, children in _groups(delivery):
        p_m2, c_m2 = float(olds_m2[parents].sum()), float(kids_m2[children].sum())
        allowed = float(_tolerance_m2(p_m2, rules))
        groups.append(Group(_change(parents, children), parents, children, p_m2, c_m2, allowed))
    off = [g for g in groups if abs(g.children_m2 - g.parents_m2) > g.allowed_m2]
    if off and not accept_area_change:
        g = off[0]
        raise DataError(
            code="lineage.area_changed", path=where, parents=_listed(g.parents), children=_listed(g.children),
            before=f"{g.parents_m2:,.2f}", after=f"{g.children_m2:,.2f}", diff=f"{g.children_m2 - g.parents_m2:+,.2f}",
            allowed=f"{g.allowed_m2:,.2f}", count=len(off),
        )  # fmt: skip
    # overlaps: the children against today's parcels outside the delivery, and against each other
    outside = parcels.drop(index=parents_all)
    near = outside.iloc[np.unique(outside.sindex.query(kids.geometry.to_numpy(), predicate="intersects")[1])]
    both = gpd.GeoDataFrame(
        geometry=np.concatenate([kids.geometry.to_numpy(), near.geometry.to_numpy()]),
        index=pd.Index([*kids.index.astype(str), *near.index.astype(str)], name="parcel_id"), crs=crs,
    )  # fmt: skip
    rule = rules["overlap"]
    found = topology.overlaps(both, min_area_m2=float(rule["min_area_m2"]), snap_m=float(rule["snap_m"]))
    kid_set = set(children_ids)
    for ids, m2 in zip(found["ids"], found["area_m2"], strict=True):
        if kid_set & set(ids):
            child = next(i for i in ids if i in kid_set)
            other = next((i for i in ids if i != child), child)
            raise DataError(
                code="lineage.overlap", path=where, child=child, other=other, m2=f"{m2:,.2f}",
                min_m2=rule["min_area_m2"], snap_m=rule["snap_m"],
            )  # fmt: skip
    # statuses and attributes
    born_on = born(pd.Index(parents_all), history)
    columns = [c for c in parcels.columns if c != parcels.geometry.name]
    rows, hist_rows, events = [], [], []
    for g in groups:
        said = parcels.loc[g.parents, "status"] if "status" in parcels else pd.Series(dtype=object)
        statuses = sorted({str(s) for s in said.dropna()})
        if status is None and len(statuses) > 1:
            raise DataError(
                code="lineage.statuses_differ", path=where, parents=_listed(g.parents), statuses=_listed(statuses)
            )
        kid_status = status or (statuses[0] if statuses else None)
        for c in g.children:
            given = delivery.loc[c]
            row: dict[str, Any] = {"parcel_id": c}
            for col in columns:
                value = given.get(col) if col in delivery.columns else None
                if value is not None and not (isinstance(value, float) and value != value) and str(value).strip():
                    row[col] = value
                elif col not in _NOT_INHERITED:
                    values = parcels.loc[g.parents, col]
                    uniq = values.dropna().astype(str).unique() if values.notna().all() else []
                    row[col] = values.iloc[0] if len(uniq) == 1 else None
                else:
                    row[col] = None
            row["status"] = kid_status
            if row.get("stated_area_mu") is None:  # a new outline's area is the survey's figure
                same = len(g.parents) == 1 and len(g.children) == 1
                kept = parcels.loc[g.parents[0], "stated_area_mu"] if same and "stated_area_mu" in parcels else None
                row["stated_area_mu"] = kept if kept is not None else round(float(kids_m2[c]) * 15 / 10000, 2)
            rows.append(row)
            events.append({"parcel_id": c, "date": date, "event_type": "created", "status": kid_status,
                           "document_ref": doc, "note": "← " + ";".join(g.parents)})  # fmt: skip
        for p in g.parents:
            old = parcels.loc[p]
            hist_rows.append(
                {"parcel_id": p, "valid_from": born_on.get(p), "valid_to": date, "retired_by": doc,
                 "replaced_by": ";".join(g.children), "change": g.change}
                | {col: old[col] for col in columns}
            )  # fmt: skip
            events.insert(
                0,
                {"parcel_id": p, "date": date, "event_type": "retired", "status": old.get("status"),
                 "document_ref": doc, "note": "→ " + ";".join(g.children)},
            )  # fmt: skip
    kid_ids = [r["parcel_id"] for r in rows]  # by group: not the delivery's order
    children = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=list(kids.geometry.loc[kid_ids]), crs=crs)
    hist = gpd.GeoDataFrame(
        pd.DataFrame(hist_rows), geometry=list(parcels.geometry.loc[[r["parcel_id"] for r in hist_rows]]), crs=crs
    )
    members = []
    tp = layers.get("target_parcels")
    if tp is not None and len(tp):
        listed = tp[tp["parcel_id"].astype(str).isin(parents_all)]
        have = set(zip(tp["target_id"].astype(str), tp["parcel_id"].astype(str), strict=True))
        for target, parent in zip(listed["target_id"].astype(str), listed["parcel_id"].astype(str), strict=True):
            for c in next(g for g in groups if parent in g.parents).children:
                if (target, c) not in have:
                    have.add((target, c))
                    members.append({"target_id": target, "parcel_id": c})
    return Plan(date, doc, groups, hist, children, events, members)


# -- writing ----------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as SQLite takes it: numpy scalars as Python numbers, NaN/NaT as None, timestamps as dates."""
    import pandas as pd

    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _apply(plan: Plan, where: str):
    """The row work of a resurvey, given a writer inside the transaction."""
    from . import store
    from .ledger import _next_id, _refusal
    from .schema import RESERVE

    parents = [p for g in plan.groups for p in g.parents]
    children = [c for g in plan.groups for c in g.children]

    def apply(writer: Any) -> None:
        found = {str(r[0]) for r in writer.rows("parcels", ["parcel_id"], "parcel_id", parents + children)}
        if gone := [p for p in parents if p not in found]:  # changed since the checks read the file
            raise DataError(code="lineage.changed_meanwhile", path=where, id=gone[0])
        if taken := [c for c in children if c in found and c not in parents]:
            raise DataError(code="lineage.id_taken", path=where, id=taken[0])
        # the parents' rows as they are, with their lifespan, into the history
        have = writer.columns(HISTORY)
        hist = plan.history
        for col in hist.columns:
            if col != hist.geometry.name and col not in have:
                writer.add_column(HISTORY, col)
        first = int(writer.max(HISTORY, "history_id") or 0) + 1
        cols = [c for c in hist.columns if c != hist.geometry.name]
        rows = [
            {"history_id": first + i} | {c: _plain(v) for c, v in zip(cols, vals, strict=True)}
            for i, vals in enumerate(hist[cols].itertuples(index=False, name=None))
        ]
        writer.insert_features(HISTORY, rows, list(hist.geometry))
        writer.delete("parcels", "parcel_id", parents)
        kids = plan.children
        have = writer.columns("parcels")
        cols = [c for c in kids.columns if c != kids.geometry.name and c in have]
        rows = [
            {c: _plain(v) for c, v in zip(cols, vals, strict=True)}
            for vals in kids[cols].itertuples(index=False, name=None)
        ]
        writer.insert_features("parcels", rows, list(kids.geometry))
        # the ledger: each event checked against the parcel's history, as recording does
        if writer.has("events"):
            history = store.ledger_history(writer, RESERVE, parents + children)
            for event in plan.events:
                mine = history.setdefault(event["parcel_id"], [])
                if reason := _refusal(RESERVE, mine, event):
                    raise LedgerError(code="ledger.refused", key=event["parcel_id"], reason=reason)
                mine.append((event["date"], event["event_type"], event["status"]))
            if "event_type" not in writer.columns("events"):
                writer.add_column("events", "event_type")
            first = _next_id(writer, RESERVE, where)
            writer.insert("events", [{"event_id": first + i, **e} for i, e in enumerate(plan.events)])
        if plan.members and writer.has("target_parcels"):
            first = int(writer.max("target_parcels", "member_id") or 0) + 1
            writer.insert("target_parcels", [{"member_id": first + i, **m} for i, m in enumerate(plan.members)])

    return apply


def resurvey(
    path: Any,
    source: Any,
    *,
    date: Any,
    layer: str | None = None,
    doc: str | None = None,
    accept_area_change: bool = False,
    status: str | None = None,
    rules: Mapping[str, Any] | None = None,
    future: bool = False,
) -> Plan:
    """Apply a survey delivery to a project in one transaction (see the module); return the plan written.

    ``date`` more than a year ahead is refused unless ``future`` (as recording refuses it)."""
    from .ledger import parse_date
    from .store import display, open_project

    day = parse_date(date, future=future)
    project = open_project(path)
    where = display(path)
    delivery = read_delivery(source, layer)
    names = project.layers()
    layers = {name: project.read(name) for name in ("parcels", HISTORY, "target_parcels") if name in names}
    if "parcels" not in layers:
        raise DataError(code="lineage.no_parcels", path=where)
    plan = plan_resurvey(
        layers, delivery, day, doc=doc, accept_area_change=accept_area_change, status=status, rules=rules, where=where
    )
    project.write_lineage({HISTORY: _history_shape(plan.history)}, _apply(plan, where))
    return plan


def _history_shape(history: Any) -> Any:
    """One row that gives GDAL the history layer's column types, should the project lack the layer
    (the row itself is not kept): dates as dates, text as text, numbers as numbers."""
    import datetime as dt

    import pandas as pd

    from .schema import LAYERS

    kinds = {c.name: c.kind for c in LAYERS[HISTORY].columns}
    row = history.iloc[:1].copy()
    row.insert(0, "history_id", [1])
    for col in row.columns:
        if col == row.geometry.name:
            continue
        kind = kinds.get(col)
        if kind == "date":
            row[col] = [dt.date(2000, 1, 1)]
        elif kind == "text" or (row[col].dtype == object and pd.isna(row[col].iloc[0])):
            row[col] = [""]
        elif kind == "float":
            row[col] = [0.5]
    return row


# -- reading the past -------------------------------------------------------------------------------


def parcels_as_of(parcels: Any, history: Any, date: Any, events: Any = None) -> Any:
    """The parcels valid on ``date``: today's born on or before it, and retired ones alive on it
    (``valid_from`` ≤ date < ``valid_to``), indexed by ``parcel_id`` with the parcels' columns; with
    ``events``, ``status`` is each parcel's status in the ledger on that date."""
    import geopandas as gpd
    import pandas as pd

    day = pd.Timestamp(date)
    out = parcels
    if history is not None and len(history):
        start = born(parcels.index, history)
        out = parcels[start.isna().to_numpy() | (start <= day).to_numpy()]
        h = history
        vf, vt = pd.to_datetime(h["valid_from"]), pd.to_datetime(h["valid_to"])
        alive = h[(vf.isna() | (vf <= day)) & (vt > day)]
        if len(alive):
            old = alive.set_index("parcel_id")
            old.index = old.index.astype(str)
            old = old.rename_geometry(parcels.geometry.name) if old.geometry.name != parcels.geometry.name else old
            old = old.reindex(columns=parcels.columns)
            old = old.to_crs(parcels.crs) if old.crs != parcels.crs else old
            out = gpd.GeoDataFrame(pd.concat([out, old]), geometry=parcels.geometry.name, crs=parcels.crs)
            out.index.name = parcels.index.name
    if events is not None and "status" in out:
        from .reserve import state_as_of

        state = state_as_of(events, day)
        out = out.assign(status=state.reindex(out.index).where(lambda s: s.notna(), out["status"]))
    return out


def history_as_of(history: Any, date: Any) -> Any:
    """The history as it stood on ``date``: the parcels retired on or before it."""
    import pandas as pd

    return history[pd.to_datetime(history["valid_to"]) <= pd.Timestamp(date)]


def history_of(layers: Mapping[str, Any], parcel_id: str) -> dict[str, Any]:
    """A parcel's ancestors, descendants, the surveys between them and its ledger events."""
    import pandas as pd

    parcels, hist = layers["parcels"], layers.get(HISTORY)
    hist = hist if hist is not None else pd.DataFrame(columns=["parcel_id", "replaced_by", "valid_to"])
    pid = str(parcel_id)
    known = pid in set(parcels.index.astype(str)) or pid in set(hist["parcel_id"].astype(str))
    if not known:
        raise DataError(code="lineage.no_such_parcel", id=pid)
    edges = [
        (str(r.parcel_id), c, str(r.valid_to)[:10], r.get("change"), r.get("retired_by"))
        for _, r in hist.iterrows()
        for c in split_ids(r["replaced_by"])
    ]

    def walk(start: str, forward: bool) -> list[str]:
        seen, todo, order = {start}, [start], []
        while todo:
            x = todo.pop(0)
            for a, b, *_ in edges:
                src, dst = (a, b) if forward else (b, a)
                if src == x and dst not in seen:
                    seen.add(dst)
                    order.append(dst)
                    todo.append(dst)
        return order

    ancestors, descendants = walk(pid, False), walk(pid, True)
    family = {pid, *ancestors, *descendants}
    surveys: dict[tuple, dict] = {}
    for a, b, day, change, doc in edges:
        if a in family or b in family:
            s = surveys.setdefault((day, doc, change, a), {"date": day, "change": change, "document_ref": doc,
                                                           "parents": [], "children": []})  # fmt: skip
            if a not in s["parents"]:
                s["parents"].append(a)
            if b not in s["children"]:
                s["children"].append(b)
    merged: dict[tuple, dict] = {}
    for s in surveys.values():  # a merge is one survey with several parents
        key = (s["date"], s["document_ref"], tuple(s["children"]))
        m = merged.setdefault(key, {**s, "parents": []})
        m["parents"] += [p for p in s["parents"] if p not in m["parents"]]
    events = layers.get("events")
    rows: list[dict] = []
    if events is not None and len(events):
        mine = events[events["parcel_id"].astype(str) == pid].reset_index()
        for r in mine.to_dict("records"):
            rows.append({k: (str(v)[:10] if k == "date" else _plain(v)) for k, v in r.items()})
    return {
        "parcel_id": pid,
        "current": pid in set(parcels.index.astype(str)),
        "ancestors": ancestors,
        "descendants": descendants,
        "today": [d for d in descendants if d in set(parcels.index.astype(str))],
        "surveys": sorted(merged.values(), key=lambda s: s["date"]),
        "events": rows,
    }


def retired_ids(history: Any) -> Iterable[str]:
    """The ids in the history (retired at least once)."""
    return [] if history is None else history["parcel_id"].astype(str).unique().tolist()


# -- the audit's lineage rule -------------------------------------------------------------------------


def lineage_findings(layers: Mapping[str, Any], rules: Mapping[str, Any]) -> Any:
    """The audit's ``lineage`` rule: every retired parcel has successors or a retirement document;
    the lineage has no cycle; each survey's children cover its parents within the overlap rule's
    tolerance (``snap_m``, ``min_area_m2``). Rows: rule, layer, ids, area_m2, message, message_zh
    (and severity: a cover short of its parents is a warning, an accepted area change may explain it)."""
    import numpy as np
    import pandas as pd
    import shapely

    from .measure import area

    history, parcels = layers.get(HISTORY), layers.get("parcels")
    out: list[dict] = []
    if history is None or not len(history) or parcels is None:
        return pd.DataFrame(columns=["rule", "layer", "ids", "area_m2", "message", "message_zh", "severity"])
    hist = history.reset_index()
    kids = hist["replaced_by"].map(split_ids)
    doc = hist["retired_by"] if "retired_by" in hist else pd.Series(None, index=hist.index)
    bare = (kids.map(len) == 0) & (doc.isna() | (doc.astype(str).str.strip() == ""))
    for pid in hist.loc[bare, "parcel_id"].astype(str):
        out.append({"ids": [pid], "area_m2": np.nan, "severity": None,
                    "message": f"{pid}: retired without successors or a retirement document; record what retired it",
                    "message_zh": f"{pid}：已注销，但既无后继地块也无注销文号；请补记注销依据"})  # fmt: skip
    edges = {(str(p), c) for p, cs in zip(hist["parcel_id"], kids, strict=True) for c in cs if c != str(p)}
    while True:  # peel off edges from a node without a parent or into a node without a child: a cycle remains
        sources, targets = {a for a, _ in edges}, {b for _, b in edges}
        kept = {(a, b) for a, b in edges if a in targets and b in sources}
        if kept == edges:
            break
        edges = kept
    if edges:
        ring = sorted({n for e in edges for n in e})
        out.append({"ids": ring, "area_m2": np.nan, "severity": None,
                    "message": f"the lineage goes round in a circle: {', '.join(ring)}; "
                               "a parcel cannot descend from itself",
                    "message_zh": f"地块来历成环：{'、'.join(ring)}；地块不能是自己的后代"})  # fmt: skip
    snap, least = float(rules["overlap"]["snap_m"]), float(rules["overlap"]["min_area_m2"])
    hist["_kids"] = kids.map(tuple)
    for (day, children), group in hist.groupby([hist["valid_to"].astype(str).str[:10], "_kids"], sort=True):
        if not children:
            continue
        valid = parcels_as_of(parcels, history, day)
        have = [c for c in children if c in valid.index]
        if len(have) < len(children):
            continue  # a successor retired the same day, or missing: the chain is checked above
        before = shapely.union_all(group.geometry.to_numpy())
        after = shapely.union_all(valid.geometry.loc[have].to_numpy())
        uncovered = shapely.buffer(shapely.difference(before, shapely.buffer(after, snap)), -snap / 2)
        import geopandas as gpd

        m2 = float(area(gpd.GeoSeries([uncovered], crs=parcels.crs)).fillna(0).iloc[0])
        if m2 > least:
            ps = list(group["parcel_id"].astype(str))
            out.append({"ids": ps + list(children), "area_m2": m2, "severity": "warning",
                        "message": f"{', '.join(ps)} → {', '.join(children)} ({day}): {m2:,.1f} m² of the parents "
                                   "is in no child; check the survey (or its accepted area change)",
                        "message_zh": f"{'、'.join(ps)} → {'、'.join(children)}（{day}）：原地块有 {m2:,.1f} m² "
                                      "不在任何新地块内；请核对勘测成果（或其认可的面积变更）"})  # fmt: skip
    frame = pd.DataFrame(out, columns=["ids", "area_m2", "message", "message_zh", "severity"])
    return frame.assign(rule="lineage", layer=HISTORY)
