"""The ledgers: record events, follow them, progress against targets, what changed, relocation."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from .. import __version__
from ..errors import DataError
from ..i18n import named, t
from ..i18n.columns import renamed, yes
from ..store import display, read_project
from . import _warn, main
from .lang import argument, option
from .options import (
    _records,
    _rules,
    format_option,
    lang_now,
    lang_option,
    layer_name,
    project_argument,
    rules_option,
    say,
)


@main.command(help="cmd.progress")
@project_argument
@option("--as-of", default=None, help="opt.progress.as_of")
@lang_option
@format_option("text", "json")
@option("--target", "target_id", default=None, help="opt.progress.target")
@rules_option("opt.progress.rules")
def progress(
    path: Path, as_of: str | None, fmt: str, lang: str, target_id: str | None, rules_file: Path | None
) -> None:
    import pandas as pd

    from .. import reserve
    from ..ledger import parse_date
    from ..schema import check_layer, require_layers

    rules = _rules(rules_file)
    wanted = ("parcels", "events", "parcels_history", "targets", "target_parcels", "villages", "relocation_events")
    layers = read_project(path, only=wanted)  # what progress shows needs no other layer
    require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit progress")
    parcels, events = layers["parcels"], layers["events"]
    for problem in check_layer(parcels, "parcels") + check_layer(events, "events"):
        if problem.severity == "error":  # say what the totals below leave out or cannot vouch for
            warnings.warn(problem.text(lang) + say("cli.progress.see_audit"), stacklevel=1)
    date = pd.Timestamp(parse_date(as_of) if as_of else reserve.data_date(events))
    if as_of and layers.get("parcels_history") is not None:  # the parcels valid on the date (landkit.lineage)
        from ..lineage import parcels_as_of

        parcels = parcels_as_of(parcels, layers["parcels_history"], date)
        layers = {**layers, "parcels": parcels}
    goals = reserve.targets(layers)
    if target_id is not None:
        _target_list(layers, goals, target_id, date, fmt, lang)
        return
    tables = reserve.progress_tables(parcels, events, goals, as_of=date, rules=rules)
    totals, targets, idle, comp = tables["totals"], tables["targets"], tables["idle"], tables["compensation"]
    measured = totals.attrs
    late = _late_villages(layers, date)
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            "as_of": str(date.date()),
            "area_method": measured["area_method"],
            "status_totals": _records(totals),
            "targets": _records(targets),
            "idle_land": _records(idle),
            "compensation": _records(comp),
        }
        out |= {"pace_window": {"since": targets.attrs.get("pace_since"), "until": targets.attrs.get("pace_until")},
                "late_villages": _records(late)}  # fmt: skip
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ..i18n.columns import method_label
    from ..schema import label
    from ..tables import targets_table

    shown_targets = targets_table(targets, lang).set_index("target_name").drop(columns=["done_measured_mu"])
    forms = {"target_mu": "{:,.2f}", "done_mu": "{:,.2f}", "remaining_mu": "{:,.2f}", "share": "{:.1%}"}
    for column, form in forms.items():  # NaN (a stock without a figure): unknown, shown blank
        shown_targets[column] = shown_targets[column].map(lambda v, f=form: "" if v != v else f.format(v))
    shown_targets["due"] = shown_targets["due"].map(lambda d: "" if d is None or d != d else str(d))
    method = method_label(measured["area_method"], lang)
    click.echo(say("cli.progress.header", path=display(path), date=date.date(), method=method))
    click.echo(renamed(totals.rename(index=lambda s: label(s, lang)), lang).to_string())
    click.echo("\n" + say("cli.progress.targets"))
    click.echo(renamed(shown_targets, lang).to_string() if len(targets) else say("cli.progress.no_targets"))
    click.echo("\n" + say("cli.progress.idle", count=len(idle), mu=f"{idle['stated_area_mu'].sum():,.2f}"))
    modes = dict(zip(comp.index, comp.pop("label_zh"), strict=True))  # 未定 for none
    click.echo(renamed(comp.rename(index=lambda m: named(m, modes, lang)), lang).to_string())
    _print_pace(targets, late, lang)


# -- pace: what each deadline needs per month against what was done; villages behind their batch ---


def _late_villages(layers: dict, date):
    """The villages behind their batch's deadline on ``date`` (none without villages)."""
    import pandas as pd

    from ..relocation import late_villages

    villages = layers.get("villages")
    if villages is None:
        return pd.DataFrame(columns=["name", "batch", "due_on", "relocation_status", "households", "days_late"])
    return late_villages(villages, layers.get("relocation_events"), as_of=date)


def _print_pace(targets, late, lang: str) -> None:
    """The pace of each target with a deadline, then the villages behind (滞后), as planners read them."""
    from ..schema import RELOCATION_STATUSES

    due = targets[targets["due"].notna()] if "months_left" in targets else targets.iloc[:0]
    window = {"since": targets.attrs.get("pace_since"), "until": targets.attrs.get("pace_until")}
    click.echo("\n" + t("pace.heading", lang, **window))
    if not len(due):
        click.echo(t("pace.no_deadlines", lang))
    from ..i18n.columns import localised

    for name, row in zip(localised(due, "name", lang), due.itertuples(), strict=True):
        needed = "—" if row.needed_per_month_mu != row.needed_per_month_mu else f"{row.needed_per_month_mu:,.2f}"
        verdict = {True: "pace.behind", False: "pace.on_pace", None: "pace.unknown"}[row.behind]
        code = "pace.row" if row.months_left else "pace.row_due"  # no month left: nothing to spread over
        click.echo(
            t(code, lang, name=name, due=row.due.date(), remaining=f"{row.remaining_mu:,.2f}",
              months=f"{row.months_left:,.2f}", needed=needed, achieved=f"{row.achieved_per_month_mu:,.2f}",
              verdict=t(verdict, lang))
        )  # fmt: skip
    click.echo(t("pace.late_villages", lang, count=len(late), households=f"{int(late['households'].sum()):,}"))
    for code, v in late.iterrows():
        status = named(v["relocation_status"], RELOCATION_STATUSES, lang)
        click.echo(
            t("pace.late_village", lang, village=code, name=v["name"], batch=v["batch"], due=v["due_on"].date(),
              status=status, households=v["households"], days=v["days_late"])
        )  # fmt: skip


def _target_list(layers, goals, key: str, date, fmt: str, lang: str) -> None:
    """Print the parcels behind one target."""
    from .. import reserve
    from ..schema import label

    hit = [t for t in goals if key in (t.id, t.name, t.name_en)]
    if not hit:
        known = say("ledger.list_sep").join(say("cli.progress.target_named", id=t.id, name=t.name) for t in goals)
        raise DataError(code="cli.progress.no_such_target", target=key, known=known or say("cli.none"))
    members = reserve.target_parcels(layers["parcels"], layers["events"], hit[0], as_of=date)
    if fmt == "json":
        click.echo(json.dumps({"target": hit[0].id, "as_of": str(date.date()), "parcels": _records(members)},
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    from ..tables import village_names

    shown = members.assign(status=members["status"].map(lambda s: label(s, lang)))
    shown["village_code"] = village_names({"villages": layers.get("villages")}, members["village_code"])
    shown = shown.rename(columns={"village_code": "village"}).fillna("")
    shown["done"] = yes(shown["done"])
    done = members.loc[members["done"], "stated_mu"]
    click.echo(
        say("cli.progress.target_done", target=hit[0].label(lang), done=len(done), total=len(members),
            mu=f"{done.sum():,.2f}")
    )  # fmt: skip
    click.echo(renamed(shown, lang).to_string())


@main.command(help="cmd.record")
@project_argument
@argument("feature_id", required=False, help="arg.record.feature_id")
@argument("status", required=False, help="arg.record.status")
@option("--date", default=None, help="opt.record.date")
@option("--type", "event_type", default="transition", show_default=True,
              help="opt.record.type")  # fmt: skip
@option("--doc", "document_ref", default=None, help="opt.record.doc")
@option("--note", default=None, help="opt.record.note")
@option("--village", is_flag=True, help="opt.record.village")
@option("--from", "batch", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="opt.record.from")  # fmt: skip
@option("--future", is_flag=True, help="opt.record.future")
def record(path: Path, feature_id, status, date, event_type, document_ref, note, village, batch, future) -> None:
    from ..ledger import parse_date, record_events

    if batch is not None:
        if feature_id or status:
            raise DataError(code="cli.record.both")
        from ..io import read_table

        ids = record_events(path, read_table(batch), future=future)
        where = display(path)
        click.echo(say("cli.record.batch", count=len(ids), source=batch, path=where, first=ids[0], last=ids[-1]) if ids
                   else say("cli.record.empty", source=batch))  # fmt: skip
        return
    if not (feature_id and status) or date is None:
        raise DataError(code="cli.record.needs")
    from ..schema import RELOCATION, RESERVE, as_code

    which = RELOCATION if village else RESERVE
    key = which.key
    row = {key: feature_id, "status": status, "date": date, "event_type": event_type,
           "document_ref": document_ref, "note": note}  # fmt: skip
    (event_id,) = record_events(path, [row], future=future)
    code = as_code(status, which.statuses) or status
    shown = named(code, which.statuses, lang_now())
    click.echo(
        say("cli.record.done", event_id=event_id, id=feature_id, status=shown, date=parse_date(date, future=future))
    )


@main.command(help="cmd.sync")
@project_argument
@option("--apply", is_flag=True, help="opt.sync.apply")
@option("--as-of", default=None, help="opt.sync.as_of")
@format_option("text", "json")
@lang_option
def sync(path: Path, apply: bool, as_of: str | None, fmt: str, lang: str) -> None:
    from .. import ledger

    changes = ledger.sync(path, apply=apply, as_of=as_of)
    if fmt == "json":
        out = {"path": display(path), "applied": apply, "changes": changes}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ..schema import LEDGERS

    ledgers = {name: which for which in LEDGERS for name in (which.layer, which.table)}

    def status(layer: str, code: str | None) -> str:  # a status as its Chinese name in Chinese
        return named(code, ledgers[layer].statuses, lang) if code else str(code)

    for c in changes:
        layer = layer_name(c["layer"], lang)
        if c["change"] == "opening":
            click.echo(say("cli.sync.opening", layer=layer, id=c["id"], status=status(c["layer"], c["to"])))
        elif c["change"] == "unknown":
            click.echo(say("cli.sync.unknown", layer=layer, id=c["id"], status=c["from"]))
        else:
            was, now = status(c["layer"], c["from"]), status(c["layer"], c["to"])
            click.echo(say("cli.sync.status", layer=layer, id=c["id"], was=was, now=now))
    done = "cli.sync.changed" if apply else ("cli.sync.would_change" if changes else "cli.sync.no_change")
    click.echo(say(done, count=len(changes)))


@main.command("changes", help="cmd.changes")
@project_argument
@option("--since", required=True, help="opt.changes.since")
@option("--until", "--as-of", "until", default=None, help="opt.changes.until")  # --as-of: as areas, map …
@format_option("text", "json")
@lang_option
def changes_(path: Path, since: str, until: str | None, fmt: str, lang: str) -> None:
    from .. import report
    from ..ledger import parse_date
    from ..period import period_changes
    from ..schema import label, require_layers

    layers = read_project(path)
    require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit changes")
    start = parse_date(since)
    end = parse_date(until) if until else None
    try:
        found = period_changes(layers, start, end)
    except ValueError as exc:
        raise DataError(code="cli.in_project", path=display(path), reason=exc) from None
    period = f"{found['events'].attrs['since']} – {found['events'].attrs['until']}"
    new, resolved = found["new_findings"], found["resolved_findings"]
    if fmt == "json":
        out = {"path": display(path), "since": found["events"].attrs["since"], "until": found["events"].attrs["until"]}
        out |= {name: _records(df) for name, df in found.items() if not name.endswith("findings")}
        out |= {  # one object per finding, its fields only (no row number)
            name: json.loads(report.findings_table(found[name], lang).to_json(orient="records", force_ascii=False))
            for name in ("new_findings", "resolved_findings")
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    events, parcels, by_status = found["events"], found["parcels"], found["by_status"]
    head = {"path": display(path), "period": period, "events": len(events), "parcels": len(parcels)}
    click.echo(t("cli.changes.head", lang, **head))
    shown = renamed(by_status.rename(index=lambda s: label(s, lang)), lang, "all", "period")
    click.echo(shown.to_string() if len(by_status) else t("cli.changes.empty", lang))
    none = t("cli.changes.none", lang)
    for pid, row in parcels.iterrows():
        was, now = label(row["before"], lang) or none, label(row["after"], lang) or none
        click.echo(t("cli.changes.parcel", lang, id=pid, was=was, now=now, mu=row["area_mu"]))
    from .money import steps_and_payments

    steps_and_payments(found, layers, lang)
    click.echo(t("cli.changes.findings", lang, new=len(new), resolved=len(resolved)))
    for tag, df in (("new", new), ("resolved", resolved)):
        for f in report.findings_table(df, lang).itertuples():
            click.echo(f"  [{t(f'cli.changes.{tag}', lang)}] {f.rule} {f.ids}: {f.message}")


def _yes(table):
    """Yes/no columns as a planner reads them: 是 (yes) or blank, not True/False."""
    flags = [c for c in table.columns if table[c].dtype == bool]
    return table.assign(**{c: yes(table[c], lang_now()) for c in flags})


@main.command(help="cmd.relocate")
@project_argument
@option("--split/--whole", default=True, show_default=True, help="opt.relocate.split")
@option("--min-part", default=10, show_default=True, type=click.IntRange(min=1),
              help="opt.relocate.min_part")  # fmt: skip
@format_option("text", "json")
@lang_option
def relocate(path: Path, split: bool, min_part: int, fmt: str, lang: str) -> None:
    from .. import relocation
    from ..schema import require_layers

    layers = read_project(path)
    require_layers(layers, ("villages", "communities"), where=display(path), needed_by="landkit relocate")
    villages, communities = layers["villages"], layers["communities"]
    plan = relocation.allocate(villages, communities, split=split, min_part=min_part,
                               events=layers.get("relocation_events"))  # fmt: skip
    capacity = relocation.capacity_check(villages, communities)
    displaced = relocation.displacement(layers.get("planning_zones"), villages)
    done = relocation.relocation_progress(villages, layers.get("relocation_events"))
    totals = {
        "households": int(plan["households"].sum()),
        "people": int(plan["people"].sum()),
        "household_km": round(float(plan["household_km"].sum()), 3),
    }
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            "area_method": displaced.attrs["area_method"],
            "plan": _records(plan.set_index("village_code")),
            "totals": totals,
            "over_capacity": [str(message) for message in plan.attrs["over_capacity"]],
            "capacity": _records(capacity.set_index("community_id")),
            "displacement": _records(displaced),
            "progress": _records(done),
            "villages": _records(
                villages[["name", "batch"]].assign(
                    relocation_status=relocation.village_status(villages, layers.get("relocation_events"))
                )
            ),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(say("cli.relocate.header", path=display(path)))
    click.echo(_yes(plan).rename(columns=_headers(plan, lang)).to_string(index=False))
    for message in plan.attrs["over_capacity"]:
        _warn(message.text(lang))
    hh_km = f"{totals['household_km']:,.1f}"
    click.echo(say("cli.relocate.totals", households=totals["households"], people=totals["people"], km=hh_km))
    click.echo("\n" + say("cli.relocate.capacity"))
    click.echo(_yes(capacity).rename(columns=_headers(capacity, lang)).to_string(index=False))
    click.echo("\n" + say("cli.relocate.progress"))
    click.echo(done.rename(columns=_headers(done, lang)).rename_axis(say("cli.col.batch")).to_string())


def _headers(table, lang: str) -> dict[str, str]:
    """The relocation tables' column names in the command line's language (villages_moved: 已搬迁村数)."""
    from ..schema import RELOCATION_STATUSES

    out = {}
    for column in table.columns:
        kind, _, status = column.partition("_")
        if kind in ("villages", "households") and status in RELOCATION_STATUSES:
            out[column] = t(f"cli.col.{kind}_by_status", lang, status=named(status, RELOCATION_STATUSES, lang))
        else:
            out[column] = t(f"cli.col.{column}", lang)
    return out
