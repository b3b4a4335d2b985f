"""The ``landkit`` command: parse, call the library, print, and exit with a meaningful code.

Exit codes: 0 success; 1 the input was read but has problems (``info`` found schema errors);
2 the input cannot be used (missing, damaged, not a project file) or a write was refused.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from . import __version__
from .datasets import SAMPLE_PATH
from .errors import CRSError, DataError, LandkitError
from .store import content_hash, file_sha256, list_layers, read_layer, read_project
from .units import UNITS

# Commands import what they compute with inside themselves: `landkit record` then starts
# without loading pandas and GDAL (a few tenths of a second on every call).


class _Group(click.Group):
    """Print landkit's own errors in a line or two, without a traceback, and exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LandkitError as exc:
            click.echo(f"landkit: error: {exc}", err=True)
            raise click.exceptions.Exit(2) from None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="landkit")
def main() -> None:
    """Land-reserve and resettlement planning: project files, exact areas, audits and maps."""


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=SAMPLE_PATH,
              show_default=True, help="Where to write the sample project.")  # fmt: skip
def sample(output: Path) -> None:
    """Generate the illustrative Lushan sample project (deterministic)."""
    from .sample import write_sample

    click.echo("building the illustrative Lushan sample (about 10 s) ...", err=True)
    path = write_sample(output)
    layers = read_project(path)
    counts = ", ".join(f"{len(df)} {name}" for name, df in layers.items())
    click.echo(f"wrote {path}: {counts}; content sha256 {content_hash(layers)}")


def _crs_name(crs) -> str:
    if crs is None:
        return "none"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(path: Path, fmt: str) -> None:
    """Show a project file's layers, feature counts, CRS and validation summary."""
    import pyogrio

    from .schema import LAYERS, check_project

    layers = read_project(path)
    problems = check_project(layers)
    rows = [
        {
            "name": name,
            "features": len(df),
            "geometry_type": pyogrio.read_info(path, layer=name)["geometry_type"] if hasattr(df, "crs") else None,
            "crs": _crs_name(getattr(df, "crs", None)) if hasattr(df, "crs") else None,
        }
        for name, df in layers.items()
    ]
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": str(path),
            "content_sha256": content_hash(layers),
            "layers": rows,
            "problems": [
                {"layer": p.layer, "features": list(p.features), "problem": p.problem, "fix": p.fix} for p in problems
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{path}  (content sha256 {content_hash(layers)[:16]}…)")
        click.echo(f"{'layer':<16}{'features':>9}  {'geometry':<16}crs")
        for r in rows:
            known = "" if r["name"] in LAYERS else "  (not a project layer)"
            kind = r["geometry_type"] or "table"
            click.echo(f"{r['name']:<16}{r['features']:>9}  {kind:<16}{r['crs'] or ''}{known}")
        if problems:
            click.echo(f"validation: {len(problems)} problem(s)")
            for p in problems:
                click.echo(f"  - {p}")
        else:
            click.echo("validation: ok, the project follows the project-file contract")
    if problems:
        raise click.exceptions.Exit(1)


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--layer", required=True, help="Project layer to write, e.g. parcels.")
@click.option("--encoding", default=None, help="Text encoding of a Shapefile (default: detect).")
@click.option("--overwrite", is_flag=True, help="Replace the layer if the project has it.")
def import_(source: Path, project: Path, layer: str, encoding: str | None, overwrite: bool) -> None:
    """Copy a Shapefile or GeoJSON layer into a project file (the source is only read)."""
    from .io import import_layer

    df = import_layer(source, project, layer, encoding=encoding, overwrite=overwrite)
    click.echo(f"imported {len(df)} features from {source} into {project}, layer {layer}")


_DECIMALS = {"m2": 2, "mu": 2, "ha": 4, "km2": 6}


def _warn(message: str) -> None:
    click.echo(f"landkit: warning: {message}", err=True)


def _layer_for_measuring(path: Path, layer: str, id_column: str | None):
    """Read a polygon layer, index it by its id, and refuse coordinates its CRS cannot hold."""
    import geopandas as gpd

    from .crs import diagnose_crs, zone_warning

    df = read_layer(path, layer)
    where = f"{path}, layer {layer!r}"
    if not isinstance(df, gpd.GeoDataFrame):
        raise DataError(f"{where}: a table without geometry has no area; choose a polygon layer")
    if id_column is not None and df.index.name != id_column:
        if id_column not in df.columns:
            cols = ", ".join(c for c in df.columns if c != df.geometry.name)
            raise DataError(f"{where}: no column {id_column!r} for --id; the columns are {cols}")
        df = df.set_index(id_column)
    reference = read_layer(path, "county") if layer != "county" and "county" in list_layers(path) else None
    problem = diagnose_crs(df, reference=reference)
    if problem:
        raise CRSError(f"{where}: {problem}")
    note = zone_warning(df)
    if note:
        _warn(note)
    return df


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--layer", default="parcels", show_default=True, help="Polygon layer to measure.")
@click.option("--unit", type=click.Choice(list(UNITS)), default="mu", show_default=True)
@click.option("--method", type=click.Choice(["ellipsoidal", "cn2008", "planar"]), default="ellipsoidal",
              show_default=True, help="Ellipsoidal (CGCS2000), the 2008 formula, or planar in --zone.")  # fmt: skip
@click.option("--zone", default=None, help="Projection for --method planar, e.g. EPSG:4547.")
@click.option("--id", "id_column", default=None, help="Id column, when not the project file's.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def areas(path: Path, layer: str, unit: str, method: str, zone: str | None, id_column: str | None, fmt: str) -> None:
    """Measure every feature of a polygon layer; totals add up to the parts shown.

    Features without geometry or with invalid geometry are listed and left out of the total.
    """
    import numpy as np
    import pandas as pd

    from .measure import area
    from .units import balanced_round, convert_area

    df = _layer_for_measuring(path, layer, id_column)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m2 = area(df, method=method, zone=zone)
    for w in caught:
        _warn(str(w.message))
    geoms = df.geometry
    missing = (geoms.isna() | geoms.is_empty).to_numpy()
    invalid = ~missing & ~geoms.is_valid.to_numpy()
    ok = ~missing & ~invalid
    decimals = _DECIMALS[unit]
    shown_m2 = np.full(len(df), np.nan)
    shown_unit = np.full(len(df), np.nan)
    shown_m2[ok] = balanced_round(m2.to_numpy()[ok], 2)
    shown_unit[ok] = balanced_round(convert_area(m2.to_numpy()[ok], "m2", unit), decimals)
    reasons = np.where(
        missing, "no geometry: not in the total", np.where(invalid, "invalid geometry: not in the total", "")
    )
    for fid, reason in zip(df.index[~ok], reasons[~ok], strict=True):
        _warn(f"{fid}: {reason}")
    ids = df.index.astype(str)
    method_label = m2.attrs["area_method"]
    total_m2 = round(float(shown_m2[ok].sum()), 2)
    total_unit = round(float(shown_unit[ok].sum()), decimals)
    if fmt == "json":
        out = {
            "path": str(path),
            "layer": layer,
            "id_column": df.index.name,
            "unit": unit,
            "area_method": method_label,
            "features": [
                {"id": i, "area_m2": float(a), f"area_{unit}": float(u)}
                for i, a, u in zip(ids[ok], shown_m2[ok], shown_unit[ok], strict=True)
            ],
            "excluded": [{"id": i, "reason": r} for i, r in zip(ids[~ok], reasons[~ok], strict=True)],
            "total": {"count": int(ok.sum()), "area_m2": total_m2, f"area_{unit}": total_unit},
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = pd.DataFrame(
        {
            df.index.name or "id": [*ids, "TOTAL"],
            "area_m2": [*shown_m2, total_m2],
            f"area_{unit}": [*shown_unit, total_unit],
            "note": [*reasons, f"{int(ok.sum())} features"],
        }
    )
    table["area_method"] = method_label
    click.echo(table.to_csv(index=False, float_format=f"%.{max(decimals, 2)}f"), nl=False)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def zones(path: Path, fmt: str) -> None:
    """Tabulate the planning-zone versions: areas, what each expansion adds, reserve cover."""
    from .planning import zone_versions

    zones = _layer_for_measuring(path, "planning_zones", None)
    names = list_layers(path)
    parcels = read_layer(path, "parcels") if "parcels" in names else None
    villages = read_layer(path, "villages") if "villages" in names else None
    table = zone_versions(zones, parcels=parcels, villages=villages)
    if fmt == "json":
        out = {
            "path": str(path),
            "area_method": table.attrs["area_method"],
            "versions": json.loads(table.reset_index().to_json(orient="records", force_ascii=False)),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(table.to_csv(float_format="%.6f"), nl=False)
    else:
        click.echo(f"planning zones of {path} ({table.attrs['area_method']})")
        shown = table.drop(columns=[c for c in ("name", "villages_newly_inside_names") if c in table])
        click.echo(shown.round(4).to_string())


@main.command("map")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: maps/zone.html and one maps/community-ID.html each).")  # fmt: skip
@click.option("--community", default=None, help="Draw only this community (id or name), e.g. LF or 露峰社区.")
@click.option("--tiles", type=click.Choice(["none", "osm", "tianditu", "gaode"]), default="none", show_default=True,
              help="Base map; none keeps the map fully offline.")  # fmt: skip
@click.option("--tianditu-key", default=None, envvar="TIANDITU_KEY", help="Your Tianditu key (or TIANDITU_KEY).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def map_(
    path: Path, output: Path | None, community: str | None, tiles: str, tianditu_key: str | None, lang: str
) -> None:
    """Write self-contained HTML meeting maps that open offline from a file."""
    from . import maps

    layers = read_project(path)
    options: dict = {"tiles": tiles, "lang": lang, "tianditu_key": tianditu_key}
    if community is not None:
        m = maps.community_map(layers, community, **options)
        cid = maps.find_community(layers["communities"], community)
        written = [maps.save_map(m, output or Path("maps") / f"community-{cid}.html")]
    else:
        written = [maps.save_map(maps.zone_map(layers, **options), output or Path("maps") / "zone.html")]
        if output is None and "communities" in layers:
            for cid in layers["communities"].index:
                m = maps.community_map(layers, str(cid), **options)
                written.append(maps.save_map(m, Path("maps") / f"community-{cid}.html"))
    for w in written:
        click.echo(f"wrote {w}")


def _records(df) -> list[dict]:
    return json.loads(df.reset_index().to_json(orient="records", date_format="iso", force_ascii=False))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--as-of", default=None, help="Rebuild the ledger as it stood on this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def progress(path: Path, as_of: str | None, fmt: str) -> None:
    """Reserve status totals, progress against each target, idle land, compensation modes."""
    import pandas as pd

    from . import reserve
    from .measure import area

    parcels, events = read_layer(path, "parcels"), read_layer(path, "events")
    try:
        date = pd.Timestamp(as_of) if as_of else events["date"].max()
    except ValueError:
        raise DataError(f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD") from None
    state = reserve.state_as_of(events, date).reindex(parcels.index)
    measured = area(parcels, unit="mu")
    totals = pd.DataFrame(
        {
            "parcels": state.value_counts(),
            "stated_mu": parcels.groupby(state)["stated_area_mu"].sum().round(2),
            "measured_mu": measured.groupby(state).sum().round(2),
        }
    ).reindex([s for s in reserve.PARCEL_STATUSES if s in set(state.dropna())])
    totals.index.name = "status"
    targets = reserve.progress(parcels, events, as_of=date)
    idle = reserve.idle_land(parcels, as_of=date)
    comp = reserve.by_compensation(parcels)
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": str(path),
            "as_of": str(date.date()),
            "area_method": measured.attrs["area_method"],
            "status_totals": _records(totals),
            "targets": _records(targets),
            "idle_land": _records(idle),
            "compensation": _records(comp),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(f"reserve ledger of {path} as of {date.date()} ({measured.attrs['area_method']})")
    click.echo(totals.to_string())
    click.echo("\ntargets")
    click.echo(
        targets[["label_zh", "target_mu", "stated_mu", "measured_mu", "share_stated", "remaining_mu"]].to_string()
    )
    click.echo(f"\nidle land: {len(idle)} parcels, {idle['stated_area_mu'].sum():,.2f} mu")
    click.echo(comp.to_string())


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("feature_id", required=False)
@click.argument("status", required=False)
@click.option("--date", default=None, help="Date of the event: 2026-11-27, 2026年11月27日, 2026/11/27 or 2026.11.27.")
@click.option("--type", "event_type", default="transition", show_default=True,
              help="transition, revocation, correction or opening (or 状态变更, 撤销, 更正, 期初).")  # fmt: skip
@click.option("--doc", "document_ref", default=None, help="Document reference (文号).")
@click.option("--note", default=None)
@click.option("--village", is_flag=True, help="FEATURE_ID is a village code: record a relocation step.")
@click.option("--from", "batch", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Record every row of a CSV or XLSX file in one transaction (Chinese headers accepted).")  # fmt: skip
@click.option("--future", is_flag=True, help="Allow a date more than a year ahead.")
def record(path: Path, feature_id, status, date, event_type, document_ref, note, village, batch, future) -> None:
    """Append events to a ledger, checked against the lifecycle; the layer's status follows.

    One event: PATH PARCEL_ID STATUS --date D (statuses in English or Chinese, e.g. 已批复).
    Many: PATH --from events.xlsx, with columns 地块编号/parcel_id (or 村代码/village_code),
    日期/date, 新状态/status and optionally 事件类型/event_type, 文号/document_ref, 备注/note.
    """
    from .ledger import parse_date, record_events

    if batch is not None:
        if feature_id or status:
            raise DataError("give either PARCEL_ID STATUS --date or --from FILE, not both")
        from .io import read_table

        ids = record_events(path, read_table(batch), future=future)
        click.echo(f"recorded {len(ids)} event(s) from {batch} into {path} (event ids {ids[0]}-{ids[-1]})" if ids
                   else f"{batch} holds no events; nothing was recorded")  # fmt: skip
        return
    if not (feature_id and status) or date is None:
        raise DataError("record needs PARCEL_ID STATUS --date DATE (or --from FILE.csv|xlsx)")
    key = "village_code" if village else "parcel_id"
    row = {key: feature_id, "status": status, "date": date, "event_type": event_type,
           "document_ref": document_ref, "note": note}  # fmt: skip
    (event_id,) = record_events(path, [row], future=future)
    click.echo(f"recorded event {event_id}: {feature_id} -> {status} on {parse_date(date, future=future)}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--apply", is_flag=True, help="Write the changes (default: only list them).")
@click.option("--as-of", default=None, help="Date of the opening-balance events for features without history.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sync(path: Path, apply: bool, as_of: str | None, fmt: str) -> None:
    """Make parcels.status and villages.relocation_status follow the ledgers (a dry run unless --apply)."""
    from . import ledger

    changes = ledger.sync(path, apply=apply, as_of=as_of)
    if fmt == "json":
        click.echo(json.dumps({"path": str(path), "applied": apply, "changes": changes}, ensure_ascii=False, indent=2))
        return
    verb = "changed" if apply else "would change"
    for c in changes:
        if c["change"] == "opening":
            click.echo(f"{c['layer']}: {c['id']} opening balance at {c['to']}")
        else:
            click.echo(f"{c['layer']}: {c['id']} {c['from']} -> {c['to']}")
    click.echo(f"{len(changes)} change(s) {verb}" + ("" if apply or not changes else "; run again with --apply"))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--split/--whole", default=True, show_default=True, help="May a village be split between communities?")
@click.option("--min-part", default=10, show_default=True, type=click.IntRange(min=1),
              help="Smallest part of a split village, in households.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def relocate(path: Path, split: bool, min_part: int, fmt: str) -> None:
    """The relocation plan: allocation to communities, capacity per batch, progress by village."""
    from . import relocation

    layers = read_project(path)
    villages, communities = layers["villages"], layers["communities"]
    plan = relocation.allocate(villages, communities, split=split, min_part=min_part,
                               events=layers.get("relocation_events"))  # fmt: skip
    capacity = relocation.capacity_check(villages, communities)
    displaced = relocation.displacement(layers["planning_zones"], villages)
    done = relocation.relocation_progress(villages, layers.get("relocation_events"))
    totals = {
        "households": int(plan["households"].sum()),
        "people": int(plan["people"].sum()),
        "household_km": round(float(plan["household_km"].sum()), 3),
    }
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": str(path),
            "area_method": displaced.attrs["area_method"],
            "plan": _records(plan.set_index("village_code")),
            "totals": totals,
            "over_capacity": plan.attrs["over_capacity"],
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
    click.echo(
        f"relocation plan for {path}: villages already on the move (fixed) keep their community; the rest are "
        "placed batch by batch, fewest splits first, then least household-km"
    )
    click.echo(plan.to_string(index=False))
    for message in plan.attrs["over_capacity"]:
        click.echo(f"landkit: warning: {message}", err=True)
    click.echo(
        f"totals: {totals['households']} households, {totals['people']} people, "
        f"{totals['household_km']:,.1f} household-km"
    )
    click.echo("\ncapacity as targeted in the villages layer")
    click.echo(capacity.to_string(index=False))
    click.echo("\nprogress by batch")
    click.echo(done.to_string())


def _project(path: Path) -> dict:
    """Read a project file, refusing a GeoPackage that holds no parcels: it is not a project."""
    layers = read_project(path)
    if "parcels" not in layers:
        raise DataError(
            f"{path}: not a landkit project file (no parcels layer; it has {', '.join(layers) or 'no layers'}). "
            "Bring parcels in with `landkit import SOURCE PROJECT --layer parcels`"
        )
    return layers


@main.command("audit")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML file overriding rule severities and thresholds.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx", "html"]), default="text",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (needed for xlsx).")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
def audit_(path: Path, rules_file: Path | None, fmt: str, output: Path | None, quiet: bool) -> None:
    """Run every check on a project file; exit 0 clean, 1 if a finding is an error, 2 if unreadable."""
    import pandas as pd
    from tqdm import tqdm

    from . import audit, report
    from .io import write_bytes, write_text
    from .measure import area

    if fmt == "xlsx" and output is None:
        raise DataError("--format xlsx writes a workbook: give the file with -o audit.xlsx")

    rules = audit.load_rules(rules_file.read_text(encoding="utf-8") if rules_file else None, source=str(rules_file))
    layers = _project(path)
    # None: shown on a terminal, silent in logs and pipes
    bar = tqdm(total=9, desc="audit", disable=True if quiet or fmt != "text" else None, leave=False)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update()

    findings = audit.audit(layers, rules=rules, step=step)
    bar.close()
    sums = audit.totals(layers)
    stamp = report.Stamp(
        str(path), file_sha256(path), __version__, area(layers["parcels"].iloc[:0]).attrs["area_method"]
    )
    if fmt == "xlsx" and output is not None:
        click.echo(f"wrote {write_bytes(report.audit_xlsx(findings, sums, stamp), output)}")
    elif fmt == "html":
        page = report.audit_html(findings, sums, stamp)
        click.echo(f"wrote {write_text(page, output)}" if output else page)
    elif fmt == "json":
        out = {
            "landkit_version": __version__,
            "input": {
                "path": str(path),
                "sha256": file_sha256(path),
                "layers": {n: len(df) for n, df in layers.items()},
            },
            "area_method": area(layers["parcels"].iloc[:0]).attrs["area_method"] if "parcels" in layers else None,
            "totals": sums,
            "findings": [
                {
                    **r,
                    "area_m2": None if pd.isna(r["area_m2"]) else round(r["area_m2"], 2),
                    "area_mu": None if pd.isna(r["area_mu"]) else round(r["area_mu"], 4),
                }
                for r in findings.to_dict("records")
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        table = findings.assign(ids=findings["ids"].map(lambda ids: ";".join(map(str, ids))))
        click.echo(table.to_csv(index=False, float_format="%.2f"), nl=False)
    else:
        counts = findings["severity"].value_counts()
        click.echo(
            f"audit of {path}: {len(findings)} finding(s), "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info"))
        )
        for r in findings.itertuples():
            click.echo(f"  [{r.severity}] {r.rule}: {r.message}")
        parcels = sums["layers"].get("parcels")
        if parcels:
            click.echo(f"parcels: {parcels['count']} features, {parcels['area_mu']:,.2f} mu ellipsoidal")
    if (findings["severity"] == "error").any():
        raise click.exceptions.Exit(1)


@main.command("report")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"),
              show_default=True, help="Folder for the meeting pack.")  # fmt: skip
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
def report_(path: Path, out_dir: Path, rules_file: Path | None) -> None:
    """Write the meeting pack: maps, the audit as HTML and XLSX, progress charts, a summary page."""
    from . import audit, maps, report, reserve
    from .io import write_bytes, write_text
    from .measure import area

    layers = _project(path)
    rules = audit.load_rules(rules_file.read_text(encoding="utf-8") if rules_file else None, source=str(rules_file))
    findings = audit.audit(layers, rules=rules)
    sums = audit.totals(layers)
    stamp = report.Stamp(
        str(path), file_sha256(path), __version__, area(layers["parcels"].iloc[:0]).attrs["area_method"]
    )
    target = reserve.progress(layers["parcels"], layers["events"])
    files = {"zone.html": "规划与储备总图 Zone map"}
    found_geo = None
    if len(findings):
        found_geo = _finding_shapes(layers, findings)
    write_text(_stamped(maps.to_html(maps.zone_map(layers, findings=found_geo)), stamp), out_dir / "zone.html")
    for cid, row in layers["communities"].iterrows():
        name = f"community-{cid}.html"
        write_text(_stamped(maps.to_html(maps.community_map(layers, str(cid))), stamp), out_dir / name)
        files[name] = f"{row['name']} 安置社区"
    write_text(report.audit_html(findings, sums, stamp), out_dir / "audit.html")
    write_bytes(report.audit_xlsx(findings, sums, stamp, progress=target), out_dir / "audit.xlsx")
    write_bytes(report.progress_png(target, stamp), out_dir / "progress.png")
    files.update(
        {"audit.html": "面积审核 Audit", "audit.xlsx": "审核表格 Audit workbook", "progress.png": "目标进度 Progress"}
    )
    counts = findings["severity"].value_counts()
    summary = {
        "数据日期 data as of": str(layers["events"]["date"].max().date()),
        "储备地块 parcels": f"{sums['layers']['parcels']['count']:,}, {sums['layers']['parcels']['area_mu']:,.2f} mu",
        "审核问题 findings": ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")),
    }
    for t in target.itertuples():
        summary[f"{t.label_zh} {t.Index}"] = f"{t.stated_mu:,.2f} / {t.target_mu:,.0f} mu"
    write_text(report.index_html(files, summary, stamp), out_dir / "index.html")
    click.echo(f"wrote the meeting pack to {out_dir}/index.html ({len(files) + 1} files)")


def _stamped(page: str, stamp) -> str:
    import html as _html

    return page.replace("</body>", f"<!-- {_html.escape(stamp.text())} --></body>", 1)


def _finding_shapes(layers, findings):
    """The findings about parcels, drawn on the parcels they name."""
    import geopandas as gpd

    parcels = layers["parcels"]
    rows = findings[findings["layer"] == "parcels"]
    ids = [i for i in rows["ids"] if i and all(x in parcels.index for x in i)]
    if not ids:
        return None
    shapes = [parcels.geometry.loc[list(i)].union_all() for i in ids]
    chosen = rows[rows["ids"].map(lambda i: bool(i) and all(x in parcels.index for x in i))]
    return gpd.GeoDataFrame(chosen, geometry=shapes, crs=parcels.crs)
