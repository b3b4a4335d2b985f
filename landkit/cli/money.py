"""Money: record payments (``pay``) and see what is due, paid, owed and overdue (``money``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import DataError
from ..store import display, read_project
from . import main
from .lang import argument, option
from .options import format_option, lang_option, project_argument, say


@main.command(help="cmd.pay")
@project_argument
@argument("target", required=False, help="arg.pay.target")
@argument("amount", required=False, help="arg.pay.amount")
@option("--date", default=None, help="opt.pay.date")
@option("--doc", "document_ref", default=None, help="opt.pay.doc")
@option("--kind", default=None, help="opt.pay.kind")
@option("--correct", "corrects", type=int, default=None, help="opt.pay.correct")
@option("--note", default=None, help="opt.pay.note")
@option("--from", "batch", type=click.Path(dir_okay=False, path_type=Path), default=None, help="opt.pay.from")
@option("--future", is_flag=True, help="opt.pay.future")
def pay(path, target, amount, date, document_ref, kind, corrects, note, batch, future) -> None:
    from ..payments import parse_yuan, record_payments, yuan_text

    if batch is not None:
        if target or amount:
            raise DataError(code="cli.pay.both")
        from ..io import read_table

        ids = record_payments(path, read_table(batch), future=future)
        click.echo(say("cli.pay.batch", count=len(ids), source=batch, path=display(path), first=ids[0], last=ids[-1])
                   if ids else say("cli.pay.empty", source=batch))  # fmt: skip
        return
    if not (target and amount) or date is None:
        raise DataError(code="cli.pay.needs")
    row = {"target": target, "amount": amount, "date": date, "kind": kind, "document_ref": document_ref,
           "corrects": corrects, "note": note}  # fmt: skip
    (payment_id,) = record_payments(path, [row], future=future)
    click.echo(say("cli.pay.done", id=payment_id, target=target, yuan=yuan_text(parse_yuan(amount))))


@main.command("money", help="cmd.money")
@project_argument
@option("--as-of", default=None, help="opt.money.as_of")
@option("--by", type=click.Choice(["village", "month", "kind"]), default="village", show_default=True,
        help="opt.money.by")  # fmt: skip
@format_option("text", "json")
@lang_option
def money_(path: Path, as_of: str | None, by: str, fmt: str, lang: str) -> None:
    import pandas as pd

    from .. import money
    from ..i18n import named, t
    from ..ledger import parse_date
    from ..payments import PAYMENT_KINDS, yuan_text
    from ..tables import village_names

    layers = read_project(path)
    try:
        table = money.money_owed(layers, as_of=parse_date(as_of) if as_of else None, by=by)
    except DataError as exc:
        raise DataError(code="cli.in_project", path=display(path), reason=exc) from None
    keys = pd.Series(table.index[:-1], index=table.index[:-1])
    if by == "village":
        names = village_names(layers, keys.where(keys != "", None)).fillna("")
    elif by == "kind":
        names = keys.map(lambda k: named(k, PAYMENT_KINDS, lang))
    else:
        names = keys
    names = names.where(keys != "", t("cli.money.no_key", lang))
    fields = {"due_fen": "due_yuan", "paid_fen": "paid_yuan", "owed_fen": "owed_yuan", "overdue_fen": "overdue_yuan"}
    if fmt == "json":

        def row(values) -> dict:
            return {fields[c]: float(yuan_text(int(values[c])).replace(",", "")) for c in fields}

        out = {
            "path": display(path),
            "as_of": table.attrs["as_of"],
            "by": by,
            "rows": [{"key": k, "name": str(names[k]), **row(table.loc[k])} for k in keys],
            "total": row(table.iloc[-1]),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    shown = pd.DataFrame({t(f"cli.money.{c}", lang): table[c].map(lambda f: yuan_text(int(f))) for c in fields})
    shown.index = [*names.astype(str).tolist(), t("cli.money.total", lang)]
    click.echo(
        t("cli.money.head", lang, path=display(path), date=table.attrs["as_of"], by=t(f"cli.money.by.{by}", lang))
    )
    click.echo(shown.to_string())


def steps_and_payments(found: dict, layers: dict, lang: str) -> None:
    """Print the period's relocation steps and payments (for ``landkit changes``), before → after."""
    import pandas as pd

    from ..i18n import t
    from ..payments import yuan_text
    from ..period import _steps_and_payments_shown

    steps, paid = _steps_and_payments_shown(found, layers, lang)
    if len(steps):
        click.echo(t("cli.changes.steps", lang, count=len(steps)))
    for s in steps.to_dict("records"):
        households = "" if pd.isna(s["households"]) else int(s["households"])
        click.echo(t("cli.changes.step", lang, village=s["village"], was=s["before"], now=s["after"],
                     date=s["date"], households=households))  # fmt: skip
    if len(paid):
        total = yuan_text(int(found["payments"]["amount_yuan"].mul(100).round().astype("int64").sum()))
        click.echo(t("cli.changes.payments", lang, count=len(paid), yuan=total))
    for p in paid.itertuples():
        click.echo(t("cli.changes.payment", lang, village=p.village, amount=p.amount_yuan, kind=p.kind, date=p.date,
                     before=p.paid_before_yuan, after=p.paid_after_yuan))  # fmt: skip
