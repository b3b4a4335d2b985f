"""Getting a project: the sample, what a project holds, importing a survey layer."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import __version__
from ..store import content_hash, display, open_project, read_project
from . import main
from .lang import argument, option
from .options import PROJECT, _crs_name, format_option, overwrite_option, project_argument


@main.command(help="cmd.sample")
@option("-o", "--output", type=PROJECT, default="lushan.gpkg", show_default=True,
              help="opt.sample.output")  # fmt: skip
@overwrite_option("opt.sample.overwrite")
def sample(output: Path | str, overwrite: bool) -> None:
    from ..datasets import write_sample

    project = write_sample(output, overwrite=overwrite)
    counts = ", ".join(f"{len(df)} {name}" for name, df in read_project(project).items())
    click.echo(f"wrote {project}: {counts}; {project.identity} {project.sha256()}")


@main.command(help="cmd.info")
@project_argument
@format_option("text", "json")
def info(path: Path, fmt: str) -> None:
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


@main.command("import", help="cmd.import")
@argument("source", type=click.Path(path_type=Path), help="arg.import.source")
@argument("project", type=PROJECT, help="arg.import.project")
@option("--layer", required=True, help="opt.import.layer")
@option("--encoding", default=None, help="opt.import.encoding")
@overwrite_option("opt.import.overwrite")
@option("--datum-transform", default=None,
              help="opt.import.datum_transform")  # fmt: skip
@option("--accept-ballpark", is_flag=True, help="opt.import.accept_ballpark")
def import_(source: Path, project: Path, layer: str, encoding: str | None, overwrite: bool, datum_transform: str | None,
            accept_ballpark: bool) -> None:  # fmt: skip
    from ..io import import_layer

    df = import_layer(source, project, layer, encoding=encoding, overwrite=overwrite,
                      datum_transform=datum_transform, accept_ballpark=accept_ballpark)  # fmt: skip
    click.echo(f"imported {len(df)} features from {source} into {display(project)}, layer {layer}")
