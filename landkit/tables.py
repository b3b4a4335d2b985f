"""The tables a planner reads, built from what the library computed: findings, totals, targets and
the parcels behind them, 三区三线 and land use, relocation, the parcel lists for field work."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .errors import DataError
from .i18n import columns
from .i18n import t as say
from .schema import layer_label
from .units import shown
from .units import total as sum_shown


def zones_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The planning-zone versions with Chinese headers (its codes with ``lang="en"``)."""
    named = columns.headers(lang, "zones")
    axis = named.get("version", str(table.index.name))
    return table.rename(columns=named).rename_axis(index=axis)


def findings_table(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The findings as one flat table for CSV and spreadsheets: rule, severity and layer as planners
    read them (``lang``), the rule's code kept for filtering, ids joined by semicolons."""
    from .schema import label

    return findings.drop(columns="message_zh", errors="ignore").assign(
        message=columns.localised(findings, "message", lang),  # Chinese where the check says it in Chinese
        rule=findings["rule"].map(lambda r: label(r, lang)),
        severity=findings["severity"].map(lambda r: label(r, lang)),
        layer=findings["layer"].map(lambda r: layer_label(r, lang)),
        ids=findings["ids"].map(lambda ids: ";".join(map(str, ids))),
        area_m2=_figure(findings["area_m2"]),
        area_mu=_figure(findings["area_mu"]),
        rule_code=findings["rule"],
    )


def _figure(values: pd.Series) -> pd.Series:
    """Areas as every output shows them (:func:`landkit.units.shown`)."""
    return pd.Series(shown(values.to_numpy(dtype=float), 2), index=values.index)


def totals_tables(totals: dict, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The audit totals as two tables: per layer, and parcels per status with a 合计 row."""
    from .schema import label

    layers = pd.DataFrame(totals["layers"]).T.rename_axis("layer").reset_index()
    if not len(layers):
        layers = pd.DataFrame(columns=["layer", "count", "not_measured", "area_m2", "area_mu"])
    layers["layer"] = layers["layer"].map(lambda n: layer_label(n, lang))
    status = pd.DataFrame(totals["parcels_by_status"]).T.rename_axis("status").reset_index()
    status = status.rename(columns={"area_m2": "measured_m2", "area_mu": "measured_mu"})  # said as measured
    if len(status):
        status["status"] = status["status"].map(lambda n: label(n, lang))
        total: dict[str, Any] = {"status": say("pack.total", lang), "count": int(status["count"].sum())}
        for col in ("stated_mu", "measured_m2", "measured_mu"):
            total[col] = sum_shown(status[col])
        status = pd.concat([status, pd.DataFrame([total])], ignore_index=True)
    return layers, status


def targets_table(progress: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Done / target for each target as planners read it: name, kind, the status to reach, the due
    date, target, done (stated and measured), share, remaining, parcels done of all, overdue."""
    from .schema import PARCEL_STATUSES, label

    return pd.DataFrame(
        {
            "target_name": columns.localised(progress, "name", lang),
            "kind": progress["kind"].map(lambda k: say(f"target_kind.{k}", lang)),
            "target_status": progress["status"].map(lambda s: label(s, lang) if s in PARCEL_STATUSES else s),
            "due": pd.to_datetime(progress["due"]).dt.date,
            "target_mu": progress["target_mu"],
            "done_mu": progress["done_mu"],
            "done_measured_mu": progress["done_measured_mu"],
            "share": progress["share"],
            "remaining_mu": progress["remaining_mu"],
            "parcels_done": progress["parcels_done"],
            "parcels": progress["parcels"],
            "overdue": columns.yes(progress["overdue"], lang),
        }
    ).reset_index(drop=True)


def target_lists(layers: dict, targets: tuple, progress: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The parcels behind every target, one row per parcel and target (the list behind each figure)."""
    from . import reserve
    from .schema import label

    rows = []
    for goal in targets:  # a handful of targets
        members = reserve.target_parcels(layers["parcels"], layers["events"], goal, as_of=progress.attrs.get("as_of"))
        rows.append(
            pd.DataFrame(
                {
                    "target_name": goal.label(lang),
                    "parcel_id": members.index,
                    "village": village_names(layers, members["village_code"]).to_numpy(),
                    "status": members["status"].map(lambda s: label(s, lang)).to_numpy(),
                    "done": columns.yes(members["done"], lang).to_numpy(),
                    "stated_mu": members["stated_mu"].to_numpy(),
                    "measured_mu": members["measured_mu"].to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def relocation_tables(layers: dict) -> dict[str, pd.DataFrame]:
    """搬迁进度 (each village: batch, households, people, status from the ledger, community) and
    安置容量 (each community: people and households assigned against its capacity)."""
    from .relocation import capacity_check, village_status
    from .schema import RELOCATION_STATUSES

    villages, communities = layers["villages"], layers["communities"]
    status = village_status(villages, layers.get("relocation_events"))
    names = communities["name"]
    progress = pd.DataFrame(
        {
            "村": villages["name"],
            "批次": villages["batch"],
            "户数": villages["households"],
            "人口": villages["population"],
            "搬迁状态": status.map(lambda s: RELOCATION_STATUSES.get(s, s)),
            "安置社区": villages["target_community"].map(lambda c: names.get(c, c)),
        }
    ).sort_values(["批次", "村"])
    last = capacity_check(villages, communities)
    last = last[last["through_batch"] == last["through_batch"].max()]
    capacity = pd.DataFrame(
        {
            "安置社区": last["name"].to_numpy(),
            "已安排人口": last["people"].to_numpy(),
            "容纳人口": last["capacity_people"].to_numpy(),
            "人口占用": (last["people"] / last["capacity_people"].where(last["capacity_people"] > 0))
            .round(3)
            .to_numpy(),
            "已安排户数": last["households"].to_numpy(),
            "容纳户数": last["capacity_households"].to_numpy(),
            "户数占用": (last["households"] / last["capacity_households"].where(last["capacity_households"] > 0))
            .round(3)
            .to_numpy(),
        },
        index=pd.Index(last["community_id"].astype(str).to_numpy(), name="community_id"),
    )
    return {"搬迁进度": progress, "按批次": _by_batch(villages, status), "安置容量": capacity}


def land_tables(
    layers: dict, *, rules: dict | None = None, as_of=None, today: dict | None = None, kept: dict | None = None
) -> dict[str, pd.DataFrame]:
    """The planner's other questions as workbook sheets, for the layers the project has:
    三区三线冲突 (each parcel's conflict with permanent basic farmland, the ecological red line or
    the urban development boundary, m² and mu), 耕地占用 (the current land use each village's and
    target's parcels take, 耕地 for 占补平衡), 补偿费用 (due by the schedule, paid by the payments
    ledger, owed and overdue, by month: :func:`landkit.money.money_owed`), 闲置土地 and 违法占地疑点
    (buildings on land not yet approved or supplied, or on open land of the zone).
    Land is idle after the rules' ``[idle_land] days``, as the audit says. ``today`` is the project
    as it is now when ``layers`` is it as of a past date (:func:`as_of`): a target's parcels are
    all of them whatever the date. ``kept``: what the audit computed (its ``keep``), used as it is."""
    from . import constraints, money, reserve
    from .schema import CONSTRAINT_LAYERS, LAND_USE_CODES, label

    parcels = layers["parcels"]
    tables: dict[str, pd.DataFrame] = {}
    kept = kept or {}
    found = kept["conflicts"] if "conflicts" in kept else constraints.conflicts(parcels, layers, rules=rules)
    if found:
        rows = [
            pd.DataFrame(
                {
                    "约束": CONSTRAINT_LAYERS[name][0],
                    "地块编号": hit.index.astype(str),
                    "状态": parcels.loc[hit.index, "status"].map(lambda s: label(s)).to_numpy(),
                    "冲突面积(m²)": shown(hit["area_m2"].to_numpy()),
                    "冲突面积(亩)": shown(hit["area_mu"].to_numpy()),
                }
            )
            for name, hit in found.items()
        ]
        tables["三区三线冲突"] = pd.concat(rows, ignore_index=True)
    zones = layers.get("planning_zones")
    if zones is not None and len(zones) and "version" in zones:  # what each version's added land conflicts with
        per_zone = (
            kept["zone_conflicts"]
            if "zone_conflicts" in kept
            else constraints.zone_conflicts(zones, layers, rules=rules)
        )
        if len(per_zone):
            tables["规划范围三区三线冲突"] = pd.DataFrame(
                {
                    "规划版本": [f"第{int(v)}版" for v in per_zone["version"]],
                    "约束": [CONSTRAINT_LAYERS[n][0] for n in per_zone["layer"]],
                    "新增范围冲突面积(m²)": shown(per_zone["area_m2"].to_numpy()),
                    "新增范围冲突面积(亩)": shown(per_zone["area_mu"].to_numpy()),
                }
            )
    if {"project", "investment_yuan"} <= set(parcels.columns):
        from .audit import load_rules

        rule = (rules or load_rules()).get("investment_intensity", {})
        intensity = money.investment_intensity(
            parcels,
            minimum_wan_per_mu=float(rule.get("min_wan_per_mu", 0)),
            minimum_output_wan_per_mu=float(rule.get("min_output_wan_per_mu", 0)),
        )
        if len(intensity):
            tables["投资强度与亩均产值"] = intensity.reset_index().rename(
                columns={"project": "项目", "mu": "登记面积(亩)", "yuan": "投资额(元)",
                         "wan_per_mu": "投资强度(万元/亩)", "below": "低于投资强度标准", "output_yuan": "年产值(元)",
                         "output_wan_per_mu": "亩均年产值(万元/亩)", "output_below": "低于亩均产值标准"}
            )  # fmt: skip
    today = today if today is not None else layers
    if "land_use" in layers and len(layers["land_use"]) and "code" in layers["land_use"]:
        everyone = constraints.land_take(today["parcels"], layers["land_use"])  # a target's parcels: all of them
        take = everyone[everyone.index.isin(parcels.index)]
        by_village = constraints.take_by(take, village_names(layers, parcels.get("village_code")))
        by_village = by_village.loc[:, by_village.loc["合计"] > 0]  # classes the parcels take
        names = {c: f"{c} {LAND_USE_CODES.get(c, '')}(亩)" for c in by_village.columns}
        names["cultivated_mu"] = "其中耕地(亩)"
        tables["耕地占用"] = by_village.rename(columns=names).rename_axis("村").reset_index()
        goals = reserve.targets(today)
        if goals:  # the same per target: what each task or stock takes (a parcel may be in several)
            per_target = []
            for t in goals:
                date = as_of or reserve.data_date(layers["events"])
                members = reserve.target_parcels(today["parcels"], today["events"], t, as_of=date).index
                part = everyone.loc[everyone.index.isin(members), ["cultivated_mu"]].sum().round(2)
                per_target.append(
                    {"目标": t.name, "地块数": len(members), "其中耕地(亩)": float(part["cultivated_mu"])}
                )
            tables["目标耕地占用"] = pd.DataFrame(per_target)
    rates = layers.get("compensation_rates")
    if rates is not None and len(rates) and "compensation" in parcels:
        date = as_of or reserve.data_date(layers["events"])
        months = money.money_owed(layers, as_of=date, by="month") / 100  # fen to yuan: exact to the fen
        said = {"due_fen": "应付(元)", "paid_fen": "已付(元)", "owed_fen": "欠付(元)", "overdue_fen": "逾期(元)"}
        tables["补偿费用"] = months.rename(columns=said).rename_axis("月份").reset_index()
        if "villages" in layers and (rates["kind"] == "relocation").any():
            cost = money.relocation_cost(layers["villages"], rates)
            cost.index = village_names(layers, pd.Series(cost.index, index=cost.index)).to_numpy()
            cost.loc["合计"] = [int(cost["households"].sum()), float("nan"), round(cost["cost_yuan"].sum(), 2)]
            tables["搬迁费用"] = (
                cost.rename(columns={"households": "户数", "yuan_per_household": "元/户", "cost_yuan": "费用(元)"})
                .rename_axis("村")
                .reset_index()
            )
    date = as_of or reserve.data_date(layers["events"])
    idle = reserve.idle_land(parcels, as_of=date, period_days=reserve.idle_days(rules))
    if len(idle):
        tables["闲置土地"] = idle.reset_index()[
            ["parcel_id", "project", "stated_area_mu", "start_due_on", "idle_since", "recoverable_from", "stage"]
        ].rename(columns={"parcel_id": "地块编号", "project": "项目", "stated_area_mu": "登记面积(亩)",
                          "start_due_on": "约定开工日期", "idle_since": "认定闲置日期",
                          "recoverable_from": "可无偿收回日期", "stage": "处置阶段"})  # fmt: skip
    if "buildings" in layers and len(layers["buildings"]):
        zones = layers.get("planning_zones")
        zone = zones.sort_values("version").geometry.iloc[-1] if zones is not None and len(zones) else None
        exempt = tuple(layers[n] for n in ("villages", "facilities", "communities") if n in layers)
        suspects = (
            kept["suspects"]
            if "suspects" in kept
            else constraints.suspect_buildings(layers["buildings"], parcels, zone=zone, exempt=exempt)
        )
        tables["违法占地疑点"] = pd.DataFrame(
            {
                "建筑物": suspects["building"],
                "所在地块": suspects["parcel"].fillna("（规划区内未储备土地）"),
                "地块状态": suspects["status"].map(lambda s: label(s) if isinstance(s, str) else ""),
                "占地面积(m²)": shown(suspects["area_m2"].to_numpy()),
            }
        )
    return tables


def _by_batch(villages: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Households and people per batch that have signed, moved and been demolished (each step
    counts the villages that reached it or a later one), with a 合计 row."""
    from .schema import RELOCATION_STATUSES

    order = {s: i for i, s in enumerate(RELOCATION_STATUSES)}
    reached = status.map(order).fillna(-1)
    households = pd.to_numeric(villages["households"], errors="coerce").fillna(0).astype(int)
    people = pd.to_numeric(villages["population"], errors="coerce").fillna(0).astype(int)
    columns = {"村数": pd.Series(1, index=villages.index), "户数": households, "人口": people}
    for step in ("agreement_signed", "moved", "demolished"):
        label = RELOCATION_STATUSES[step]
        columns[f"{label}户数"] = households.where(reached >= order[step], 0)
        columns[f"{label}人口"] = people.where(reached >= order[step], 0)
    table = pd.DataFrame(columns).groupby(villages["batch"]).sum()
    table.index = [f"第{b}批" for b in table.index]
    table.loc["合计"] = table.sum()
    return table.rename_axis("批次").reset_index()


_LIST_COLUMNS = {
    "parcel_id": "地块编号", "village": "村", "status_zh": "状态", "done": "已完成", "stated_area_mu": "登记面积(亩)",
    "area_mu": "实测面积(亩)", "area_m2": "实测面积(m²)", "land_use": "地类", "compensation_zh": "补偿方式",
    "project": "项目", "acquired_on": "征收日期", "approved_on": "批复日期",
}  # fmt: skip


def village_names(layers: dict, codes: pd.Series | None) -> pd.Series:
    """Village codes as planners read them: "沈庄村 410423101023" (the code alone when the project
    does not name it, 未落村 where a parcel has no village)."""
    villages = layers.get("villages")
    names = villages["name"] if villages is not None and "name" in villages else pd.Series(dtype=object)
    names = pd.Series(names.to_numpy(), index=names.index.astype(str)).dropna()
    codes = pd.Series(dtype=object) if codes is None else codes
    return codes.map(lambda c: f"{names.get(str(c), '')} {c}".strip() if c is not None and c == c else "未落村")


def _status_now(layers: dict, parcels: pd.DataFrame) -> pd.Series:
    """Each parcel's status as the ledger has it (the layer's where the ledger has no history)."""
    from . import reserve

    events = layers.get("events")
    given = parcels["status"] if "status" in parcels else pd.Series(None, index=parcels.index, dtype=object)
    if events is None or not len(events) or not {"parcel_id", "date", "status"} <= set(events.columns):
        return given
    return reserve.state_as_of(events).reindex(parcels.index).fillna(given)


def parcel_lists(layers: dict, by: str = "village") -> dict[str, pd.DataFrame]:
    """Parcel lists for field work, one table per village, status or target: id, village, status,
    stated and measured area (the same figures as every other output), land use, compensation,
    project and dates, with a 合计 row. ``by`` is "village", "status" or "target" (a target's
    list says which of its parcels are done). Any polygon layer will do: without ``village_code``
    (or ``status``) the parcels make one list, and a column the layer lacks is left out."""
    from . import reserve
    from .measure import figures
    from .schema import COMPENSATION_MODES, PARCEL_STATUSES, trusted_stated

    if by not in ("village", "status", "target"):
        raise ValueError("by must be 'village', 'status' or 'target'")
    parcels = trusted_stated(layers["parcels"])
    shown = figures(parcels)
    status = _status_now(layers, parcels)
    table = pd.DataFrame(
        {
            "parcel_id": parcels.index.astype(str),
            "village": village_names(layers, parcels["village_code"]).to_numpy() if "village_code" in parcels else None,
            "status_zh": status.map(lambda s: PARCEL_STATUSES.get(s, s)).to_numpy(),
            "stated_area_mu": parcels["stated_area_mu"].to_numpy() if "stated_area_mu" in parcels else None,
            "area_mu": shown["area_mu"].to_numpy(),
            "area_m2": shown["area_m2"].to_numpy(),
        }
    )
    for column in ("land_use", "project", "acquired_on", "approved_on"):
        if column in parcels:
            table[column] = parcels[column].to_numpy()
    if "compensation" in parcels:
        table["compensation_zh"] = parcels["compensation"].map(lambda m: COMPENSATION_MODES.get(m, "未定")).to_numpy()
    if "stated_area_mu" not in parcels:
        table = table.drop(columns="stated_area_mu")
    if "village_code" not in parcels:
        table = table.drop(columns="village")
    if "status" not in parcels and status.isna().all():
        table = table.drop(columns="status_zh")
    if by in ("village", "status") and {"village": "village", "status": "status_zh"}[by] not in table:
        by = "plain"  # a plain layer (no village or status to group by): one list of every feature
    extras = _extra_columns(parcels)
    for column, header in extras.items():
        table[header] = parcels[column].to_numpy()
    if by == "target":
        groups = {}
        plain = layers["parcels"]  # a layer without stated areas: its targets still list their parcels
        plain = plain if "stated_area_mu" in plain else plain.assign(stated_area_mu=float("nan"))
        for t in reserve.targets(layers):  # a handful of targets
            members = reserve.target_parcels(plain, layers["events"], t)
            done = table["parcel_id"].map(members["done"].map({True: "是", False: ""}))
            groups[t.name] = table[table["parcel_id"].isin(members.index)].assign(done=done)
        if not groups:
            raise DataError("the project has no targets (储备目标); add the targets and target_parcels tables")
    elif by == "plain":
        groups = {say("table.all_features", "zh"): table}
    else:
        key = "village" if by == "village" else "status_zh"
        order = list(PARCEL_STATUSES.values()) if by == "status" else sorted(table[key].unique())
        groups = {group: table[table[key] == group] for group in order}
    lists = {}
    for group, part in groups.items():
        part = part.sort_values("parcel_id")
        if not len(part):
            continue
        total_row: dict[str, object] = {"parcel_id": f"合计 {len(part)} 块"}
        if "stated_area_mu" in part:
            total_row["stated_area_mu"] = sum_shown(part["stated_area_mu"])
        total_row |= {"area_mu": sum_shown(part["area_mu"]), "area_m2": sum_shown(part["area_m2"])}
        part = pd.concat([part, pd.DataFrame([total_row])], ignore_index=True)
        shown = part[[c for c in _LIST_COLUMNS if c in part]].rename(columns=_LIST_COLUMNS)
        lists[str(group)] = pd.concat([shown, part[list(extras.values())]], axis=1)
    return lists


def _extra_columns(parcels: pd.DataFrame) -> dict[str, str]:
    """The parcels' own columns that the contract does not name (a 备注 the office added, ``备 注``
    with its stray space included), by the header they are listed under: their own name, marked
    （原属性） where it is already a list's header. Kept, never dropped silently."""
    from .schema import LAYERS

    known = {c.name for c in LAYERS["parcels"].columns} | {
        parcels.geometry.name if hasattr(parcels, "geometry") else ""
    }
    taken = set(_LIST_COLUMNS) | set(_LIST_COLUMNS.values())
    extras = {}
    for column in parcels.columns:
        if column in known or str(column).startswith("_"):
            continue
        header = str(column)
        while header in taken:
            header += "（原属性）"
        taken.add(header)
        extras[column] = header
    return extras
