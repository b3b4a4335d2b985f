"""A shared office database: push, pull and the roles of a project in PostgreSQL/PostGIS."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from ..store import display
from . import main
from .lang import argument, option
from .options import PROJECT, overwrite_option


@main.command("push", help="cmd.push")
@argument("source", type=PROJECT, help="arg.push.source")
@argument("url", type=PROJECT, help="arg.push.url")
@overwrite_option("opt.push.overwrite")
def push(source: Path | str, url: str, overwrite: bool) -> None:
    from ..store import push as push_project

    counts = push_project(source, url, overwrite=overwrite)
    click.echo(f"pushed {display(source)} to {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("pull", help="cmd.pull")
@argument("url", type=PROJECT, help="arg.database")
@argument("output", type=PROJECT, help="arg.pull.output")
@overwrite_option("opt.pull.overwrite")
def pull(url: str, output: Path | str, overwrite: bool) -> None:
    from ..store import pull as pull_project

    counts = pull_project(url, output, overwrite=overwrite)
    click.echo(f"wrote {display(output)} from {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("grant", help="cmd.grant")
@argument("url", help="arg.database")
@option("--reader", default=None, help="opt.grant.reader")
@option("--recorder", default=None, help="opt.grant.recorder")
def grant(url: str, reader: str | None, recorder: str | None) -> None:
    from ..store import grant as grant_roles

    if not reader and not recorder:
        raise DataError("name a --reader role, a --recorder role, or both")
    grant_roles(url, reader=reader, recorder=recorder)
    roles = " and ".join(f"{kind} {name}" for kind, name in (("reader", reader), ("recorder", recorder)) if name)
    click.echo(f"granted {roles} on {display(url)}; give them to people with GRANT role TO person")
