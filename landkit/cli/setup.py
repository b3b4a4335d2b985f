"""Getting a project: the sample, what a project holds, importing a survey layer."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import __version__
from ..store import content_hash, display, open_project, read_project
from . import main
from .options import PROJECT, _crs_name, format_option, overwrite_option, project_argument


@main.command()
@click.option("-o", "--output", type=PROJECT, default="lushan.gpkg", show_default=True,
              help="Where to copy the sample: a new GeoPackage, or a postgresql:// URL (a new schema).")  # fmt: skip
@overwrite_option("Replace the layers of an existing project with the sample's.")
def sample(output: Path | str, overwrite: bool) -> None:
    """Copy the illustrative Lushan sample project (示意数据) to OUTPUT: a new file is the bundled
    file byte for byte, so its stamp is the bundled one's."""
    from ..datasets import write_sample

    project = write_sample(output, overwrite=overwrite)
    counts = ", ".join(f"{len(df)} {name}" for name, df in read_project(project).items())
    click.echo(f"wrote {project}: {counts}; {project.identity} {project.sha256()}")


@main.command()
@project_argument
@format_option("text", "json")
def info(path: Path, fmt: str) -> None:
    """Show a project's layers, feature counts, CRS and validation summary (a file or a database)."""
    from ..schema import LAYERS, check_project

    layers = read_project(path)
    project = open_project(path)
    problems = check_project(layers)
    rows = [
        {
            "name": name,
            "features": len(df),
            "geometry_type": project.geometry_type(name, df),
            "crs": _crs_name(getattr(df, "crs", None)) if hasattr(df, "crs") else None,
        }
        for name, df in layers.items()
    ]
    if fmt == "json":
        out = {
            "landkit_version": __version__,
            "path": display(path),
            project.identity.replace(" ", "_"): project.sha256(),  # as every report stamps it
            "content_hash": content_hash(layers),  # the layers' content, whatever the file's bytes
            "layers": rows,
            "problems": [
                {"layer": p.layer, "features": list(p.features), "problem": p.problem, "fix": p.fix} for p in problems
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{project}  ({project.identity} {project.sha256()})")
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
    if any(p.severity == "error" for p in problems):
        raise click.exceptions.Exit(1)


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("project", type=PROJECT)
@click.option("--layer", required=True, help="Project layer to write, e.g. parcels.")
@click.option("--encoding", default=None, help="Text encoding of a Shapefile (default: detect).")
@overwrite_option("Replace the layer if the project has it.")
@click.option("--datum-transform", default=None,
              help="From Xi'an 1980 / Beijing 1954: '+towgs84=dx,dy,dz,rx,ry,rz,ds' or a PROJ pipeline.")  # fmt: skip
@click.option("--accept-ballpark", is_flag=True, help="Accept PROJ's ballpark datum shift (tens of metres off).")
def import_(source: Path, project: Path, layer: str, encoding: str | None, overwrite: bool, datum_transform: str | None,
            accept_ballpark: bool) -> None:  # fmt: skip
    """Copy a Shapefile or GeoJSON layer into a project file (the source is only read)."""
    from ..io import import_layer

    df = import_layer(source, project, layer, encoding=encoding, overwrite=overwrite,
                      datum_transform=datum_transform, accept_ballpark=accept_ballpark)  # fmt: skip
    click.echo(f"imported {len(df)} features from {source} into {display(project)}, layer {layer}")
