"""Parcel lineage: `landkit resurvey` (a survey delivery splits, merges, re-surveys) and `landkit history`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..store import display, list_layers, read_layer
from . import main
from .lang import argument, option
from .options import _rules, format_option, lang_now, project_argument, rules_option, say


def as_of_layers(layers: dict, as_of: str | None, path) -> dict:
    """The project as it stood on ``as_of`` (``--as-of``: the parcels valid then, their statuses then), or as it is."""
    if as_of is None:
        return layers
    from ..ledger import parse_date
    from ..period import as_of as then
    from ..schema import require_layers

    require_layers(layers, ("parcels", "events"), where=display(path), needed_by="--as-of")
    return then(layers, parse_date(as_of))


def _sep() -> str:
    return say("ledger.list_sep")


def _change(code: str) -> str:
    return say(f"lineage.change.{code}")


@main.command(help="cmd.resurvey")
@project_argument
@option("--from", "source", required=True, type=click.Path(dir_okay=False, path_type=Path),
        help="opt.resurvey.from")  # fmt: skip
@option("--layer", default=None, help="opt.resurvey.layer")
@option("--date", required=True, help="opt.resurvey.date")
@option("--doc", "document_ref", default=None, help="opt.resurvey.doc")
@option("--accept-area-change", is_flag=True, help="opt.resurvey.accept_area_change")
@option("--status", default=None, help="opt.resurvey.status")
@rules_option("opt.resurvey.rules")
def resurvey(path, source, layer, date, document_ref, accept_area_change, status, rules_file) -> None:
    from ..lineage import resurvey as apply

    plan = apply(path, source, date=date, layer=layer, doc=document_ref, accept_area_change=accept_area_change,
                 status=status, rules=_rules(rules_file))  # fmt: skip
    parents = sum(len(g.parents) for g in plan.groups)
    children = sum(len(g.children) for g in plan.groups)
    click.echo(say("cli.resurvey.done", path=display(path), date=plan.date, parents=parents, children=children,
                   doc=plan.doc or "-"))  # fmt: skip
    for g in plan.groups:
        click.echo(say("cli.resurvey.group", change=_change(g.change), parents=_sep().join(g.parents),
                       children=_sep().join(g.children), before=f"{g.parents_m2:,.2f}", after=f"{g.children_m2:,.2f}",
                       diff=round(g.children_m2 - g.parents_m2, 2) + 0.0, allowed=f"{g.allowed_m2:,.2f}"))  # fmt: skip


@main.command(help="cmd.history")
@project_argument
@argument("parcel_id", help="arg.history.parcel")
@format_option("text", "json")
def history(path, parcel_id: str, fmt: str) -> None:
    from ..i18n import named
    from ..lineage import HISTORY, history_of
    from ..schema import EVENT_TYPES, label, require_layers

    names = list_layers(path)
    layers = {n: read_layer(path, n) for n in ("parcels", HISTORY, "events") if n in names}
    require_layers(layers, ("parcels",), where=display(path), needed_by="landkit history")
    found = history_of(layers, parcel_id)
    if fmt == "json":
        click.echo(json.dumps({"path": display(path), **found}, ensure_ascii=False, indent=2, default=str))
        return
    lang = lang_now()
    none = say("cli.history.none")
    state = say("cli.history.current" if found["current"] else "cli.history.retired")
    click.echo(say("cli.history.head", id=found["parcel_id"], state=state))
    click.echo(say("cli.history.ancestors", ids=_sep().join(found["ancestors"]) or none))
    click.echo(say("cli.history.descendants", ids=_sep().join(found["descendants"]) or none))
    if not found["current"]:
        click.echo(say("cli.history.today", ids=_sep().join(found["today"]) or none))
    for s in found["surveys"]:
        click.echo(say("cli.history.survey", date=s["date"], change=_change(s["change"]) if s["change"] else "",
                       parents=_sep().join(s["parents"]), children=_sep().join(s["children"]),
                       doc=s["document_ref"] or "-"))  # fmt: skip
    click.echo(say("cli.history.events"))
    for e in found["events"]:
        kind = named(e.get("event_type") or "transition", EVENT_TYPES, lang)
        click.echo(say("cli.history.event", date=e["date"], kind=kind, status=label(e.get("status"), lang),
                       doc=e.get("document_ref") or ""))  # fmt: skip
