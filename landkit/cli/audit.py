"""The audit: every check on a project, in text, JSON, CSV, XLSX or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from ..i18n import gloss, section, t
from ..i18n.columns import headers, localised
from ..store import display
from . import main
from .lang import option
from .options import _project, _rules, format_option, lang_option, overwrite_option, project_argument, rules_option


@main.command("audit", help="cmd.audit")
@project_argument
@rules_option()
@format_option("text", "json", "csv", "xlsx", "html")
@option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="opt.audit.output")  # fmt: skip
@overwrite_option()
@option("--quiet", is_flag=True, help="opt.audit.quiet")
@option("--partitions", type=click.IntRange(min=1), default=None,
              help="opt.audit.partitions")  # fmt: skip
@option("--scheduler", default=None, help="opt.audit.scheduler")
@lang_option
def audit_(
    path: Path,
    rules_file: Path | None,
    fmt: str,
    output: Path | None,
    overwrite: bool,
    quiet: bool,
    partitions: int | None,
    scheduler: str | None,
    lang: str,
) -> None:
    from tqdm import tqdm

    from .. import audit, report
    from ..io import check_output, inert, write_bytes, write_csv, write_text

    if fmt == "xlsx" and output is None:
        raise DataError("--format xlsx writes a workbook: give the file with -o audit.xlsx")
    if output is not None:
        check_output(output, inputs=(path, *([rules_file] if rules_file else [])), overwrite=overwrite)
    rules = _rules(rules_file)
    layers = _project(path)
    # None: shown on a terminal, silent in logs and pipes
    bar = tqdm(total=10, desc="audit", disable=True if quiet or fmt != "text" else None, leave=False)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update()

    if scheduler and not partitions:
        raise DataError("--scheduler runs partitions: give --partitions N as well")
    findings = audit.audit(layers, rules=rules, step=step, partitions=partitions, scheduler=scheduler)
    bar.close()
    sums = audit.totals(layers, findings)  # with the area overlaps count twice
    stamp = report.stamp_for(path, layers)
    if fmt == "xlsx" and output is not None:
        click.echo(t("cli.wrote", lang, path=write_bytes(report.audit_xlsx(findings, sums, stamp, lang=lang), output)))
    elif fmt == "html":
        page = report.audit_html(findings, sums, stamp, lang)
        click.echo(t("cli.wrote", lang, path=write_text(page, output)) if output else page)
    elif fmt == "json":
        text = report.dumps(report.audit_json(findings, sums, stamp, layers))
        click.echo(t("cli.wrote", lang, path=write_text(text, output)) if output else text)
    elif fmt == "csv":
        table = report.findings_table(findings, lang)
        table = table.rename(columns=headers(lang))
        if output:
            click.echo(t("cli.wrote", lang, path=write_csv(table, output, float_format="%.2f")))
        else:
            click.echo(table.map(inert).to_csv(index=False, float_format="%.2f"), nl=False)
    else:
        from ..schema import label

        counts = report.severity_counts(findings, lang)
        click.echo(t("cli.audit.summary", lang, path=display(path), count=len(findings), severities=counts))
        messages = localised(findings, "message", lang)  # Chinese where the check says it in Chinese
        rules = section("rule", "zh")
        for severity, code, message in zip(findings["severity"], findings["rule"], messages, strict=True):
            name = gloss(code, rules, lang)  # the rule's Chinese name beside its code; the code alone in English
            click.echo(f"  [{label(severity, lang)}] {f'{name} ({code})' if name else code}: {message}")
        parcels = sums["layers"].get("parcels")
        if parcels:
            click.echo(t("cli.audit.parcels", lang, count=parcels["count"], mu=parcels["area_mu"]))
    if (findings["severity"] == "error").any():
        raise click.exceptions.Exit(1)
