"""Measuring: areas of any polygon layer, the planning-zone versions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import CRSError, DataError
from ..store import display, read_layer, read_project
from ..units import UNITS
from . import _warn, main
from .lang import option
from .options import _rules, format_option, lang_now, lang_option, project_argument, rules_option, say


def _layer_for_measuring(layers: dict, path: Path, layer: str, id_column: str | None):
    """The polygon layer ``layer`` of ``layers`` (read from ``path``) indexed by its id, refusing a layer
    most of whose features its CRS cannot hold (checked against the county outline when read too)."""
    import geopandas as gpd

    from ..crs import crs_diagnosis, zone_warning

    df = layers[layer] if layer in layers else read_layer(path, layer)  # read_layer: the missing layer's error
    where = {"path": display(path), "layer": layer}
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(code="cli.measure.no_geometry", **where)
    if not len(df):
        raise DataError(code="cli.measure.empty", **where)
    if id_column is not None and df.index.name != id_column:
        if id_column not in df.columns or id_column == df.geometry.name:
            cols = ", ".join(c for c in df.columns if c != df.geometry.name)
            raise DataError(code="cli.measure.no_id_column", column=id_column, columns=cols, **where)
        df = df.set_index(id_column)
    reference = layers.get("county") if layer != "county" else None
    said = crs_diagnosis(df, reference=reference)  # in either language
    if said is not None:
        raise CRSError(code="cli.measure.crs", reason=said, **where)
    note = zone_warning(df)
    if note:
        _warn(note)
    return df


@main.command(help="cmd.areas")
@project_argument
@option("--layer", default="parcels", show_default=True, help="opt.areas.layer")
@option("--unit", type=click.Choice(list(UNITS)), default="mu", show_default=True, help="opt.areas.unit")
@option("--method", type=click.Choice(["ellipsoidal", "cn2008", "planar"]), default="ellipsoidal",
              show_default=True, help="opt.areas.method")  # fmt: skip
@option("--zone", default=None, help="opt.areas.zone")
@option("--densify", "densify_m", type=click.FloatRange(min=0, min_open=True), default=None,
              help="opt.areas.densify")  # fmt: skip
@option("--id", "id_column", default=None, help="opt.areas.id")
@option("--as-of", "as_of", default=None, help="opt.areas.as_of")
@format_option("csv", "json")
@lang_option
def areas(
    path: Path, layer: str, unit: str, method: str, zone: str | None, densify_m: float | None, id_column: str | None,
    as_of: str | None, fmt: str, lang: str,
) -> None:  # fmt: skip
    import pandas as pd

    from ..measure import area_report, planar_crs

    if method == "planar":
        planar_crs(zone)  # before reading anything: a wrong --zone is the user's first fix
    from ..lineage import HISTORY

    history = (HISTORY,) if as_of is not None else ()
    layers = read_project(path, only=(layer, "county", *history))  # the file checked once, for every layer
    df = _layer_for_measuring(layers, path, layer, id_column)
    if as_of is not None:  # the parcels valid on that date (lineage)
        from ..ledger import parse_date
        from ..lineage import parcels_as_of

        if layer != "parcels":
            raise DataError(code="lineage.as_of_layer", layer=layer)
        df = parcels_as_of(df, layers.get(HISTORY), parse_date(as_of))
    reference = layers.get("county") if layer != "county" else None
    shown, excluded, label = area_report(
        df, unit=unit, method=method, zone=zone, densify_m=densify_m, reference=reference
    )
    from ..measure import EXCLUDED

    codes = {reason: code for code, reason in EXCLUDED.items()}
    excluded["reason_said"] = [say(f"measure.excluded.{codes[reason]}") for reason in excluded["reason"]]
    for fid, reason in excluded["reason_said"].items():
        _warn(f"{fid}: {reason}")
    total = {"count": len(shown), "area_m2": round(float(shown["area_m2"].sum()), 2),
             f"area_{unit}": round(float(shown[f"area_{unit}"].sum()), 6)}  # fmt: skip
    if fmt == "json":
        out = {
            "path": display(path),
            "layer": layer,
            "id_column": df.index.name,
            "unit": unit,
            "area_method": label,
            "features": [
                {"id": str(i), "area_m2": float(a), f"area_{unit}": float(u)}
                for i, a, u in zip(shown.index, shown["area_m2"], shown[f"area_{unit}"], strict=True)
            ],
            "excluded": [{"id": str(i), "reason": r} for i, r in excluded["reason"].items()],
            "total": total,
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ..report import method_label

    rows = pd.concat([shown.assign(note=""), excluded[["reason_said"]].rename(columns={"reason_said": "note"})])
    table = pd.DataFrame(
        {
            df.index.name or "id": [*rows.index.astype(str), say("cli.areas.total")],
            say("cli.areas.area_m2"): [*rows["area_m2"], total["area_m2"]],
            say(f"cli.areas.area_{unit}"): [*rows[f"area_{unit}"], total[f"area_{unit}"]],
            say("cli.areas.note"): [*rows["note"], say("cli.areas.features", count=len(shown))],
        }
    )
    table[say("cli.areas.method")] = method_label(label, lang_now())
    decimals = {"m2": 2, "mu": 2, "ha": 4, "km2": 6}[unit]
    from ..io import inert

    click.echo(table.map(inert).to_csv(index=False, float_format=f"%.{decimals}f"), nl=False)


@main.command(help="cmd.zones")
@project_argument
@format_option("text", "csv", "json")
@rules_option("opt.zones.rules")
@lang_option
def zones(path: Path, fmt: str, rules_file: Path | None, lang: str) -> None:
    from ..planning import zone_versions

    more = ("parcels", "villages", "land_use", "basic_farmland", "eco_redline", "urban_boundary")
    layers = read_project(path, only=("planning_zones", "county", *more))  # the file checked once, for every layer
    zones = _layer_for_measuring(layers, path, "planning_zones", None)
    table = zone_versions(zones, **{n: layers[n] for n in more if n in layers}, rules=_rules(rules_file))
    if fmt == "json":
        out = {
            "path": display(path),
            "area_method": table.attrs["area_method"],
            "versions": json.loads(table.reset_index().to_json(orient="records", force_ascii=False)),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(table.to_csv(float_format="%.6f"), nl=False)
    else:
        from ..i18n.columns import method_label
        from ..tables import zones_table

        method = method_label(table.attrs["area_method"], lang)
        where = display(path)
        click.echo(say("cli.zones.header", path=where, method=method))
        shown = table.drop(columns=[c for c in ("name", "villages_newly_inside_names") if c in table])
        click.echo(zones_table(shown.round(4), lang).to_string())
