"""Getting a project: the sample, what a project holds, importing a survey layer."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import __version__
from ..store import content_hash, describe_project, display, open_project, read_project
from . import main
from .lang import argument, columns, option
from .options import (
    PROJECT,
    _crs_name,
    format_option,
    identity,
    lang_now,
    lang_option,
    layer_name,
    overwrite_option,
    project_argument,
    say,
)


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(width - columns(text), 1)


@main.command(help="cmd.sample")
@option("-o", "--output", type=PROJECT, default="lushan.gpkg", show_default=True,
              help="opt.sample.output")  # fmt: skip
@overwrite_option("opt.sample.overwrite")
def sample(output: Path | str, overwrite: bool) -> None:
    from ..datasets import write_sample

    project = write_sample(output, overwrite=overwrite)
    lang = lang_now()
    counts = say("ledger.list_sep").join(
        say("cli.layer_count", layer=layer_name(name, lang), count=len(df))
        for name, df in read_project(project).items()
    )
    click.echo(
        say("cli.sample.wrote", project=project, counts=counts, identity=identity(project), sha=project.sha256())
    )


def geometry_word(kind: str, lang: str) -> str:
    """A geometry type as planners read it: 面, 多面, 线 … in Chinese (the OGC name in English); a type the
    catalogue does not name (``3D Polygon``) as it is."""
    from ..i18n import CATALOGUES, language, t

    code = f"geometry.{kind}"
    return t(code, lang) if code in CATALOGUES[language(lang)] else kind


@main.command(help="cmd.info")
@project_argument
@format_option("text", "json")
@lang_option
def info(path: Path, fmt: str, lang: str) -> None:
    from ..i18n import gloss
    from ..schema import LAYER_NAMES, LAYERS, check_project

    # one pass over the file (linear in its layers); JSON's content hash reads every layer in full
    layers, about = describe_project(path) if fmt != "json" else (read_project(path), None)
    project = open_project(path)
    problems = check_project(layers)
    if about is None:  # JSON: every layer read once; the types from the same one pass when the file can
        described = project.describe() or {}
        about = {
            n: described[n] if n in described
            else {"features": len(df), "geometry_type": project.geometry_type(n, df), "crs": getattr(df, "crs", None)}
            for n, df in layers.items()
        }  # fmt: skip
    rows = [
        {
            "name": name,
            "features": a["features"],
            "geometry_type": a["geometry_type"],
            "crs": _crs_name(a["crs"]) if a["geometry_type"] is not None else None,
        }
        for name, a in about.items()
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
        click.echo(say("cli.info.project", project=project, identity=identity(project), sha=project.sha256()))
        head = (say("cli.info.layer"), say("cli.info.features"), say("cli.info.geometry"), say("cli.info.crs"))
        click.echo(f"{_pad(head[0], 16)}{head[1]:>9}  {_pad(head[2], 16)}{head[3]}")
        for r in rows:  # in Chinese each layer with its name (储备地块); a layer that is none of landkit's said so
            if r["name"] not in LAYERS:
                note = say("cli.info.not_a_layer")
            else:
                name = gloss(r["name"], LAYER_NAMES, lang)  # nothing in English: the layer's name says it
                note = f"  {name}" if name else ""
            kind = geometry_word(str(r["geometry_type"]), lang) if r["geometry_type"] else say("cli.info.table")
            click.echo(f"{_pad(str(r['name']), 16)}{r['features']:>9}  {_pad(str(kind), 16)}{r['crs'] or ''}{note}")
        if problems:
            click.echo(say("cli.info.problems", count=len(problems)))
            for p in problems:
                click.echo(f"  - {p.text(lang)}")
        else:
            click.echo(say("cli.info.ok"))
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
    click.echo(say("cli.import.done", count=len(df), source=source, project=display(project), layer=layer))
