"""What several commands share: the project argument, the shared options, reading a project and its rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from ..i18n import language, t
from ..store import display, location, read_project
from .lang import Argument, Option, cli_language


def lang_now() -> str:
    """The language of the running command line (--lang, else LANDKIT_LANG, else zh)."""
    return cli_language(click.get_current_context(silent=True))


def say(code: str, **fields: object) -> str:
    """A line of a command's output, from the catalogue, in the command line's language."""
    return t(code, lang_now(), **fields)


def layer_name(name: str, lang: str) -> str:
    """A layer as planners read it: its Chinese name (储备地块) in Chinese, its name in English."""
    from ..i18n import named
    from ..schema import LAYER_NAMES

    return named(name, LAYER_NAMES, lang)


def identity(project: Any) -> str:
    """How a project's identity is named (file sha256, content sha256), in the command line's language."""
    return say(f"cli.identity.{project.identity.split()[0]}")


class _Project(click.ParamType):
    """A project: a GeoPackage path, or a PostgreSQL URL (postgresql://user@host/db?schema=name),
    passed on as the string it is (a URL is not a path)."""

    name = "project"

    def convert(self, value, param, ctx):
        return value if isinstance(value, Path) else location(value)


PROJECT = _Project()


def _project(path: Path) -> dict:
    """Read a project file, refusing a GeoPackage that holds no parcels: it is not a project."""
    layers = read_project(path)
    if "parcels" not in layers:
        raise DataError(
            f"{display(path)}: not a landkit project file (no parcels layer; it has "
            f"{', '.join(layers) or 'no layers'}). "
            "Bring parcels in with `landkit import SOURCE PROJECT --layer parcels`"
        )
    return layers


def _rules(rules_file: Path | None) -> dict:
    from .. import audit

    if rules_file is not None and (not rules_file.resolve().is_file() or rules_file.stat().st_size > 1 << 20):
        raise DataError(f"{rules_file}: not a rules file (a TOML file under 1 MB)")
    return audit.load_rules(rules_file.read_bytes() if rules_file else None, source=str(rules_file or "rules"))


def _records(df) -> list[dict]:
    """Rows as JSON objects; dates as "2026-11-20" (the ledgers keep days, not instants)."""
    flat = df.reset_index()
    for column in flat.columns[flat.dtypes.map(lambda t: t.kind == "M")]:
        flat[column] = flat[column].dt.strftime("%Y-%m-%d")
    return json.loads(flat.to_json(orient="records", force_ascii=False))


def _crs_name(crs) -> str:
    if crs is None:
        return "none"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


# -- the options several commands share, defined once ------------------------------------------
# (every help is a code of the catalogue, landkit/i18n, said in the command line's language)

#: The project a command works on: a GeoPackage, or a postgresql:// URL.
project_argument = click.argument("path", type=PROJECT, cls=Argument, help="arg.project")


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    return language(value)  # not given: LANDKIT_LANG, else zh


#: Labels (and the help) in Chinese (the default) or English.
lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, callback=_language, cls=Option, help="opt.lang"
)


def format_option(*choices: str) -> Any:
    """``--format``: the first choice is the default (text for people, the others for programs)."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True, cls=Option,
        help="opt.format",
    )  # fmt: skip


def rules_option(help: str = "opt.rules") -> Any:
    """``--rules FILE.toml``: the audit's rules (thresholds, severities); ``help`` a catalogue code."""
    return click.option(
        "--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
        cls=Option, help=help,
    )  # fmt: skip


def overwrite_option(help: str = "opt.overwrite") -> Any:
    """``--overwrite``: what may be replaced, said per command (``help`` a catalogue code)."""
    return click.option("--overwrite", is_flag=True, cls=Option, help=help)
