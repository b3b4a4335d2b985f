"""The ``landkit`` command: parse, call the library, print, and exit with a meaningful code.

Exit codes: 0 success; 1 the input was read but has problems (``info`` found schema errors);
2 the input cannot be used (missing, damaged, not a project file) or a write was refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pyogrio

from . import __version__
from .errors import LandkitError
from .io import content_hash, import_layer, read_project
from .sample import SAMPLE_PATH, write_sample
from .schema import LAYERS, check_project


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
    layers = read_project(path)
    problems = check_project(layers)
    rows = [
        {
            "name": name,
            "features": len(df),
            "geometry_type": pyogrio.read_info(path, layer=name)["geometry_type"]
            if hasattr(df, "crs")
            else None,
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
                {"layer": p.layer, "features": list(p.features), "problem": p.problem, "fix": p.fix}
                for p in problems
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
    df = import_layer(source, project, layer, encoding=encoding, overwrite=overwrite)
    click.echo(f"imported {len(df)} features from {source} into {project}, layer {layer}")
