"""The area audit: every check on a project file, as findings with stable rule names.

Rules and thresholds have defaults (``DEFAULT_RULES``) that a TOML file can override, e.g.::

    [overlap]
    min_area_m2 = 5.0
    [gap]
    severity = "error"

Findings have at least ``rule``, ``severity``, ``layer``, ``ids``, ``area_m2``, ``message`` (English,
for ``--lang en`` and scripts) and ``message_zh`` (the same finding, with the same ids and figures,
as a county planner reads it).
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from . import ledger, relocation, topology
from .crs import metric_crs, zone_warning
from .errors import DataError
from .i18n import both
from .i18n import t as say
from .lineage import HISTORY, lineage_findings, retired_ids
from .measure import figures
from .schema import check_project, layer_label, trusted_stated
from .units import M2_PER_MU, total
from .units import shown as shown_figures

if TYPE_CHECKING:
    from .reuse import Reuse

SEVERITIES = ("info", "warning", "error")
DEFAULT_RULES: dict[str, dict] = {
    "schema": {"severity": "error"},
    "empty_geometry": {"severity": "error"},
    "duplicate_id": {"severity": "error"},
    "crs_zone": {"severity": "error"},
    "invalid_geometry": {"severity": "error"},
    "overlap": {"severity": "error", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    # overlaps thinner than the overlap rule's tolerance, listed by area (the land is in both parcels)
    "digitising_overlap": {"severity": "warning", "min_area_m2": topology.DIGITISING_MIN_M2},
    "gap": {"severity": "warning", "max_width_m": 2.0, "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "outside_zone": {"severity": "error", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "outside_county": {"severity": "error", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "area_mismatch": {"severity": "warning", "map_scale": 2000},
    "ledger": {"severity": "error"},
    "lineage": {"severity": "error"},  # parcels_history: successors, no cycle, children cover parents (landkit.lineage)
    "capacity": {"severity": "error"},
    # 三区三线 and the other questions (layers the project may have), per parcel and per zone
    # version. The thresholds of investment (投资强度, 万元/亩; 工业项目建设用地控制指标,
    # 国土资发〔2008〕24号, and your province's own) and of yearly output per mu (亩均产值, your
    # province's 亩均效益评价) are illustrative: set your county's in the rules file
    "basic_farmland": {"severity": "error", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "eco_redline": {"severity": "error", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "urban_boundary": {"severity": "warning", "min_area_m2": 1.0, "snap_m": topology.SNAP_M},
    "illegal_building": {"severity": "warning"},
    "idle_land": {"severity": "warning", "days": 365},
    "investment_intensity": {"severity": "warning", "min_wan_per_mu": 300.0, "min_output_wan_per_mu": 200.0},
}
#: Upper bounds: a gap is a sliver, not a street; larger values would only exhaust memory.
_LIMITS = {"max_width_m": 50.0, "min_area_m2": 1e6, "map_scale": 1e7, "snap_m": 5.0}
COLUMNS = ["rule", "severity", "layer", "ids", "area_m2", "area_mu", "message", "message_zh"]


def load_rules(text: str | bytes | None = None, *, source: str = "rules") -> dict[str, dict]:
    """Return the default rules, updated from TOML ``text`` (bytes: UTF-8, else GB18030).

    Every rule and setting is checked against the defaults, and every problem is listed at once:
    unknown rules or settings, a severity that is not one of info/warning/error, a number given
    as text or as true/false, a negative number, a map scale that is not positive.
    """
    rules = copy.deepcopy(DEFAULT_RULES)
    if not text:
        return rules
    if isinstance(text, bytes):
        try:
            decoded = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            decoded = text.decode("gb18030", errors="replace")
    else:
        decoded = text
    try:
        data = tomllib.loads(decoded)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(code="audit.rules_not_toml", path=source, detail=exc) from None
    problems = []
    for name, values in data.items():
        if name not in rules or not isinstance(values, dict):
            problems.append(f"unknown rule [{name}]; the rules are {', '.join(rules)}")
            continue
        for key, value in values.items():
            default = rules[name].get(key)
            where = f"[{name}] {key} = {value!r}"
            if key not in rules[name]:
                problems.append(f"rule [{name}] has no setting {key!r}; it has {', '.join(rules[name])}")
            elif key == "severity":
                if value not in SEVERITIES:
                    problems.append(f"{where}: the severity must be one of {', '.join(SEVERITIES)}")
                else:
                    rules[name][key] = value
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{where}: must be a number like {default!r} (no quotes, not true/false)")
            elif value < 0 or (key == "map_scale" and value <= 0) or value != value:
                problems.append(f"{where}: must be {'positive' if key == 'map_scale' else 'zero or more'}")
            elif value > _LIMITS.get(key, 1e12):
                problems.append(f"{where}: must be at most {_LIMITS.get(key, 1e12):g} (a threshold, in metres or m²)")
            else:
                rules[name][key] = value
    if problems:
        raise DataError(code="audit.rules_wrong", path=source, problems="; ".join(problems))
    return rules


def gcj02_suspect(county: gpd.GeoDataFrame) -> str | None:
    """Say so when a county layer is the bundled outline still in GCJ-02 (AMap's offset datum).

    The layer is compared with landkit's own copy of the same county (by its ``admin_code``),
    converted exactly from GCJ-02: if shifting the layer out of GCJ-02 makes it match, it was
    never converted.
    """
    import shapely

    from .crs import geometry_gcj02_to_wgs84
    from .datasets import load_county

    if "410423" not in set(county.index.astype(str)):
        return None
    ref = shapely.union_all(load_county().geometry.to_numpy())
    raw = shapely.union_all(county.to_crs("EPSG:4490").geometry.to_numpy())

    def overlap(g) -> float:
        return float(shapely.area(shapely.intersection(g, ref)) / shapely.area(shapely.union(g, ref)))

    if overlap(raw) < 0.995 and overlap(geometry_gcj02_to_wgs84(raw)) > 0.995:
        return say("finding.gcj02", "en")  # the finding says it in Chinese too
    return None


def _status_zh(statuses: Mapping[str, str], status) -> str:
    if status is None or status != status:
        return "（空）"
    return statuses.get(status, str(status))


def _zone_warning_zh(layer: str, note: str) -> str:
    """:func:`landkit.crs.zone_warning`'s note in Chinese (as given, in Chinese framing, if it says something else)."""
    m = re.search(r"EPSG:(\d+) \(central meridian ([\d.]+)E\) but reaches ([\d.]+) degrees from it.*EPSG:(\d+)", note)
    if not m:
        return f"{layer_label(layer)}：{note}"
    epsg, cm, far, right = m.groups()
    return (
        f"{layer_label(layer)}存储在 EPSG:{epsg}（中央经线 {cm}°E），但离中央经线最远达 {far} 度，"
        f"那里的平面量算会变形；它所在的投影带是 EPSG:{right}"
    )


def _rows(rule, layer, ids, area_m2, messages, messages_zh) -> pd.DataFrame:
    area_m2 = np.asarray(area_m2, dtype=float)
    return pd.DataFrame(
        {
            "rule": rule,
            "layer": layer,
            "ids": list(ids),
            "area_m2": area_m2,
            "message": list(messages),
            "message_zh": list(messages_zh),
        }
    )


def _from_topology(found: gpd.GeoDataFrame, layer: str) -> pd.DataFrame:
    zh = found["message_zh"] if "message_zh" in found else found["message"]
    return _rows(found["rule"].to_numpy(), layer, found["ids"], found["area_m2"], found["message"], zh)


def _ledger(layer: pd.DataFrame, events: pd.DataFrame, which: ledger.Ledger, retired=()) -> pd.DataFrame:
    """Events the lifecycle refuses, and features whose status is not the ledger's (one truth).
    ``retired``: ids in the parcels' history (a survey retired them), known though not in the layer."""
    key, names = which.key, which.statuses
    langs = ("en", "zh")
    noun = {lang: say(f"finding.noun.{which.noun}", lang) for lang in langs}
    table = {"en": which.table, "zh": layer_label(which.table)}
    layer_said = {"en": which.layer, "zh": layer_label(which.layer)}
    codes: list[str] = []  # each finding's message: its code, its fields, the ids it names
    said: list[dict] = []
    ids: list[list] = []

    def add(code: str, found: list, **fields) -> None:
        codes.append(code)
        said.append(fields)
        ids.append(found)

    unknown = sorted(set(events[key].astype(str)) - set(layer.index.astype(str)) - set(retired))
    if unknown:
        more = {lang: say("finding.etc", lang) if len(unknown) > 5 else "" for lang in langs}
        listed = {lang: say("ledger.list_sep", lang).join(unknown[:5]) + more[lang] for lang in langs}
        add("finding.ledger.unknown", unknown, table=table, n=len(unknown), noun=noun, layer=layer_said, ids=listed)
    kinds = events["event_type"] if "event_type" in events else pd.Series(None, index=events.index, dtype=object)
    rows = zip(events.index, events[key], events["date"].astype(str), kinds, events["status"],
               events.get("document_ref", kinds), strict=True)  # fmt: skip
    state, refused = ledger.replay(which, rows)
    for k, event_id, reason in refused:
        why = {"en": str(reason), "zh": reason.text("zh")}
        add("finding.ledger.refused", [k], id=k, event=str(event_id), reason=why)
    future = events["date"] > pd.Timestamp.today().normalize()
    if future.any():
        latest = events.loc[future, "date"].max().date()
        late = sorted(set(events.loc[future, key].astype(str)))
        add("finding.ledger.future", late, n=int(future.sum()), table=table, latest=latest)
    state_of = pd.Series(state, dtype=object).reindex(layer.index.astype(str))
    on_layer = layer[which.status_column].to_numpy()
    differs = state_of.notna().to_numpy() & (state_of.to_numpy() != on_layer)
    for k, s, t in zip(layer.index[differs], on_layer[differs], state_of[differs], strict=True):
        s_said, t_said = {"en": s, "zh": _status_zh(names, s)}, {"en": t, "zh": _status_zh(names, t)}
        add("finding.ledger.differs", [str(k)], id=k, layer=layer_said, said=s_said, ledger=t_said)
    missing = state_of.isna().to_numpy() & (pd.Series(on_layer).fillna("").to_numpy() != (which.start or ""))
    if missing.any():
        add("finding.ledger.missing", [str(k) for k in layer.index[missing]], n=int(missing.sum()), noun=noun)
    messages, messages_zh = both(codes, said)
    return _rows("ledger", which.table, ids, [np.nan] * len(ids), messages, messages_zh)


def _capacity(villages, communities) -> pd.DataFrame:
    # a village without batch, households or people is a schema finding already; it cannot be counted here
    villages = villages.dropna(subset=[c for c in ("batch", "households", "population") if c in villages])
    communities = communities.dropna(subset=[c for c in ("capacity_people", "capacity_households") if c in communities])
    cap = relocation.capacity_check(villages, communities)
    over = cap[cap["over"]]
    fields = ("name", "people", "capacity_people", "households", "capacity_households")
    messages, messages_zh = both(
        "finding.capacity", ({"batch": r["through_batch"], **{f: r[f] for f in fields}} for _, r in over.iterrows())
    )
    ids = [[c] for c in over["community_id"]]
    return _rows("capacity", "communities", ids, [np.nan] * len(over), messages, messages_zh)


def audit(
    layers: Mapping[str, pd.DataFrame],
    *,
    rules: dict[str, dict] | None = None,
    step: Callable[[str], None] | None = None,
    partitions: int | None = None,
    scheduler: str | None = None,
    keep: dict | None = None,
    reuse: Reuse | None = None,
) -> pd.DataFrame:
    """Run every check on a project; return the findings, one row each, in rule order.

    ``step`` is called with the name of each check before it runs (for progress bars). With
    ``partitions``, the parcel checks run on dask in that many spatial partitions (on a local
    cluster, or the dask ``scheduler`` at that address) and give the same findings. With ``keep``
    (a dict), what the checks computed and the outputs draw goes into it: the 三区三线 conflicts'
    geometries (:func:`landkit.constraints.findings`), so that a pack computes them once. With
    ``reuse`` (a :class:`landkit.reuse.Reuse` given to two audits of one project), the second takes
    the geometry checks from the first where their input is the same (本月变化's start of month).
    """
    rules = rules or load_rules()
    step = step or (lambda name: None)
    found = []
    step("schema")
    problems = check_project(layers)
    found.append(
        pd.DataFrame(
            {
                "rule": [p.rule for p in problems],
                "severity": [None if p.severity == "error" else p.severity for p in problems],
                "layer": [p.layer for p in problems],
                "ids": [list(p.features) for p in problems],
                "area_m2": np.nan,
                "message": [str(p) for p in problems],
                "message_zh": [p.text("zh") for p in problems],
            }
        )
    )
    # layers whose coordinates or geometry cannot be trusted are not measured further, and
    # layers with missing or mistyped columns are not used where those columns are read
    layers = _without(layers, problems)  # features that cannot be measured leave the other checks
    broken = {
        p.layer
        for p in problems
        if (p.rule == "crs_zone" and not p.exclude and p.severity == "error") or "geometry column" in p.problem
    }
    # layers in different CRSs are a finding of their own (the file should hold one); each layer
    # is reprojected where it meets another, so every other check still runs
    columns_bad = broken | {
        p.layer
        for p in problems
        if p.severity == "error" and ("missing column" in p.problem or "should hold" in p.problem)
    }
    county = layers.get("county")
    step("crs_zone")
    for name, df in layers.items():
        if isinstance(df, gpd.GeoDataFrame) and df.crs is not None and len(df) and name not in broken:
            note = zone_warning(df) if name != "county" else None  # the county is context, not measured
            if note:
                zh = _zone_warning_zh(name, note)
                found.append(_rows("crs_zone", name, [[]], [np.nan], [note], [zh]).assign(severity="warning"))
    if isinstance(county, gpd.GeoDataFrame) and county.crs is not None and "county" not in broken:
        reason = gcj02_suspect(county)
        if reason:
            broken.add("county")
            ids = [list(county.index.astype(str))]
            found.append(_rows("crs_zone", "county", ids, [np.nan], [reason], [say("finding.gcj02", "zh")]))
    parcels = layers.get("parcels")
    if isinstance(parcels, gpd.GeoDataFrame) and "parcels" not in broken:
        zones = layers.get("planning_zones")
        if len(parcels) and (metric := metric_crs(parcels)) is not None:
            # widths and tolerances are metres whatever the CRS: lon/lat, feet or Web Mercator
            # data is checked in its UTM zone (areas stay ellipsoidal, the same in any CRS)
            parcels = parcels.to_crs(metric)
            zones = zones.to_crs(metric) if isinstance(zones, gpd.GeoDataFrame) else zones
            county = county.to_crs(metric) if isinstance(county, gpd.GeoDataFrame) else county
        if isinstance(zones, gpd.GeoDataFrame) and zones.crs is not None and zones.crs != parcels.crs:
            zones = zones.to_crs(parcels.crs)  # a project whose layers disagree on the CRS
        if isinstance(county, gpd.GeoDataFrame) and county.crs is not None and county.crs != parcels.crs:
            county = county.to_crs(parcels.crs)
        latest = None
        if isinstance(zones, gpd.GeoDataFrame) and len(zones) and "planning_zones" not in broken and "version" in zones:
            latest = zones.sort_values("version").geometry.iloc[-1]
        usable_county = county if isinstance(county, gpd.GeoDataFrame) and "county" not in broken else None
        checks = parcels if "parcels" not in columns_bad else parcels.drop(columns="stated_area_mu", errors="ignore")
        if partitions:
            from . import parallel

            step("overlap")
            results = parallel.parcel_checks(
                checks, rules, zone=latest, county=usable_county, partitions=partitions, scheduler=scheduler
            )
        elif reuse is not None:
            run = lambda: topology.parcel_checks(checks, rules, zone=latest, county=usable_county, step=step)  # noqa: E731
            results = reuse.parcel_checks(checks, rules, latest, usable_county, run)
        else:
            results = topology.parcel_checks(checks, rules, zone=latest, county=usable_county, step=step)
        found += [_from_topology(r, "parcels") for r in results]
    step("ledger")
    for which in ledger.LEDGERS:
        table, layer = layers.get(which.table), layers.get(which.layer)
        if (
            isinstance(table, pd.DataFrame)
            and isinstance(layer, pd.DataFrame)
            and not {which.table, which.layer} & columns_bad
        ):
            retired = retired_ids(layers.get(HISTORY)) if which.layer == "parcels" else ()
            found.append(_ledger(layer, table, which, retired))
    if isinstance(layers.get("parcels"), gpd.GeoDataFrame) and "parcels_history" in layers:
        step("lineage")
        found.append(lineage_findings(layers, rules))
    if (
        {"villages", "communities"} <= set(layers)
        and len(layers["villages"])
        and len(layers["communities"])
        and not {"villages", "communities"} & columns_bad
    ):
        step("capacity")
        found.append(_capacity(layers["villages"], layers["communities"]))
    if isinstance(layers.get("parcels"), gpd.GeoDataFrame) and not {"parcels"} & columns_bad:
        step("constraints")
        from . import constraints

        # a bad layer is a finding already; the zones need only their geometry and version
        skip = (columns_bad - {"planning_zones"}) | broken
        usable = {k: v for k, v in layers.items() if k not in skip}
        found.append(constraints.findings(usable, rules, keep=keep, reuse=reuse))
    table = pd.concat([f for f in found if len(f)], ignore_index=True) if any(len(f) for f in found) else None
    if table is None:
        return pd.DataFrame(columns=COLUMNS)
    default = table["rule"].map(lambda r: rules[r]["severity"]).astype(object)
    given = (
        table["severity"].astype(object) if "severity" in table else pd.Series(None, index=table.index, dtype=object)
    )
    table["severity"] = given.where(given.notna(), default)
    table["area_mu"] = table["area_m2"] / M2_PER_MU
    # every check says it in Chinese; a row that does not (a check added without) shows its English
    said = table["message_zh"] if "message_zh" in table else pd.Series(None, index=table.index, dtype=object)
    table["message_zh"] = said.where(said.notna() & (said.astype(str) != ""), table["message"])
    order = {r: i for i, r in enumerate(DEFAULT_RULES)}
    return table[COLUMNS].sort_values("rule", key=lambda r: r.map(order), kind="stable").reset_index(drop=True)


def _without(layers: Mapping[str, pd.DataFrame], problems) -> dict[str, pd.DataFrame]:
    """The layers without the features that problems exclude (in no CRS's reach, NaN vertices)."""
    out = dict(layers)
    for p in problems:
        if p.exclude and p.layer in out and p.features:
            df = out[p.layer]
            out[p.layer] = df[~df.index.astype(str).isin(p.features)]
    return out


def totals(layers: Mapping[str, pd.DataFrame], findings: pd.DataFrame | None = None) -> dict:
    """Per polygon layer and per parcel status: feature count, area in m² and mu (ellipsoidal).

    Each feature's figure is rounded once and every total is the sum of the figures under it,
    so parts add up exactly to the total shown; features without a
    usable geometry are counted apart and not summed, and layers whose coordinates cannot be
    where their CRS says (or that disagree on the CRS) are not measured at all.

    Land two parcels overlap is in both parcels' figures, so a sum of parcels counts it twice.
    With the audit's ``findings``, ``counted_twice`` says how much: per layer, the pairs and the
    area of its ``overlap`` and ``digitising_overlap`` findings (every overlap larger than those
    rules' least areas, however thin), and ``area_once_m2``/``area_once_mu``, the layer's total
    with that area counted once (exact unless three parcels overlap at one place).
    """
    from .schema import _crs_problems

    found = _crs_problems(layers)
    untrusted = {p.layer for p in found if not p.exclude and p.severity == "error"}
    full = {name: len(df) for name, df in layers.items()}
    layers = _without(layers, found)
    if len({str(df.crs) for df in layers.values() if isinstance(df, gpd.GeoDataFrame) and df.crs is not None}) > 1:
        untrusted |= set(layers)
    out: dict = {"layers": {}, "parcels_by_status": {}, "not_measured_layers": sorted(untrusted & set(layers))}
    for name, df in layers.items():
        if name in untrusted or not isinstance(df, gpd.GeoDataFrame) or df.crs is None or not len(df):
            continue
        if not df.geom_type.isin(["Polygon", "MultiPolygon"]).any():
            continue
        usable = ~df.geometry.isna() & ~df.geometry.is_empty & df.geometry.is_valid
        shown = figures(df[usable])  # each feature's figure, rounded once; totals are their sums
        nested = name == "planning_zones" and "version" in df.columns and usable.any()
        if nested:  # zone versions contain each other: their sum means nothing, the latest is the zone
            latest = df.loc[usable, "version"].astype(float).idxmax()
            shown = shown.loc[[latest]]
        out["layers"][name] = {
            "count": full[name],
            "not_measured": int((~usable).sum()) + full[name] - len(df),
            "area_m2": total(shown["area_m2"]),
            "area_mu": total(shown["area_mu"]),
        }
        if nested:
            out["layers"][name]["area_of"] = f"最新版本 the latest version ({latest})"
        if name == "parcels" and {"status", "stated_area_mu"} <= set(df.columns):
            by = shown.groupby(df.loc[usable, "status"])
            stated = trusted_stated(df).groupby("status")["stated_area_mu"].sum()
            for status, part in by:
                out["parcels_by_status"][status] = {
                    "count": int((df["status"] == status).sum()),
                    "stated_mu": total([stated.get(status, 0.0)]),
                    "area_m2": total(part["area_m2"]),
                    "area_mu": total(part["area_mu"]),
                }
    if findings is not None and len(findings):
        twice = findings[findings["rule"].isin(["overlap", "digitising_overlap"]) & findings["area_m2"].notna()]
        out["counted_twice"] = {}
        for layer_name, part in twice.groupby("layer"):
            name = str(layer_name)
            if name not in out["layers"]:
                continue
            m2 = total(shown_figures(part["area_m2"].to_numpy(dtype=float)))
            mu = total(shown_figures(part["area_m2"].to_numpy(dtype=float) / M2_PER_MU))
            out["counted_twice"][name] = {
                "pairs": len(part),
                "area_m2": m2,
                "area_mu": mu,
                "area_once_m2": total([out["layers"][name]["area_m2"], -m2]),
                "area_once_mu": total([out["layers"][name]["area_mu"], -mu]),
            }
    return out
