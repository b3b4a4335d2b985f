"""A shared office database: push, pull and the roles of a project in PostgreSQL/PostGIS."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from ..store import display
from . import main
from .lang import argument, option
from .options import PROJECT, lang_now, layer_name, overwrite_option, say


def _counts(counts: dict) -> str:
    """What was copied, layer by layer (each layer's Chinese name in Chinese)."""
    lang = lang_now()
    return say("ledger.list_sep").join(
        say("cli.layer_count", layer=layer_name(k, lang), count=n) for k, n in counts.items()
    )


@main.command("push", help="cmd.push")
@argument("source", type=PROJECT, help="arg.push.source")
@argument("url", type=PROJECT, help="arg.push.url")
@overwrite_option("opt.push.overwrite")
def push(source: Path | str, url: str, overwrite: bool) -> None:
    from ..store import push as push_project

    counts = push_project(source, url, overwrite=overwrite)
    click.echo(say("cli.push.done", source=display(source), url=display(url), counts=_counts(counts)))


@main.command("pull", help="cmd.pull")
@argument("url", type=PROJECT, help="arg.database")
@argument("output", type=PROJECT, help="arg.pull.output")
@overwrite_option("opt.pull.overwrite")
def pull(url: str, output: Path | str, overwrite: bool) -> None:
    from ..store import pull as pull_project

    counts = pull_project(url, output, overwrite=overwrite)
    click.echo(say("cli.pull.done", output=display(output), url=display(url), counts=_counts(counts)))


@main.command("grant", help="cmd.grant")
@argument("url", help="arg.database")
@option("--reader", default=None, help="opt.grant.reader")
@option("--recorder", default=None, help="opt.grant.recorder")
def grant(url: str, reader: str | None, recorder: str | None) -> None:
    from ..store import grant as grant_roles

    if not reader and not recorder:
        raise DataError(code="cli.grant.no_role")
    grant_roles(url, reader=reader, recorder=recorder)
    roles = say("ledger.and").join(
        say(f"cli.grant.{kind}", name=name) for kind, name in (("reader", reader), ("recorder", recorder)) if name
    )
    click.echo(say("cli.grant.done", roles=roles, url=display(url)))
