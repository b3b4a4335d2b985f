"""What goes to the meeting and the file: maps, the paper map, the QGIS project, lists, the pack."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from ..i18n import t
from ..store import display, open_project, read_project
from . import main
from .lang import option
from .lineage import as_of_layers
from .options import _project, _rules, lang_option, overwrite_option, project_argument, rules_option, say


@main.command("map", help="cmd.map")
@project_argument
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="opt.map.output")  # fmt: skip
@option("--community", default=None, help="opt.map.community")
@option("--village", default=None, help="opt.map.village")
@option("--zone-version", type=int, default=None, help="opt.map.zone_version")
@option("--tiles", type=click.Choice(["none", "osm", "tianditu", "gaode"]), default="none", show_default=True,
              help="opt.map.tiles")  # fmt: skip
@option("--tianditu-key", default=None, envvar="TIANDITU_KEY", help="opt.map.tianditu_key")
@lang_option
@overwrite_option()
@option("--as-of", "as_of", default=None, help="opt.map.as_of")
def map_(
    path: Path, output: Path | None, community: str | None, village: str | None, zone_version: int | None,
    tiles: str, tianditu_key: str | None, lang: str, overwrite: bool, as_of: str | None,
) -> None:  # fmt: skip
    from .. import maps
    from ..io import check_output, output_folder, safe_name, write_text

    if sum(x is not None for x in (community, village, zone_version)) > 1:
        raise DataError("draw one thing at a time: give --community, --village or --zone-version, not several")
    if output is not None:
        check_output(output, inputs=(path,), overwrite=overwrite)
    layers = as_of_layers(read_project(path), as_of, path)  # the parcels valid then (landkit.lineage)
    options: dict = {"tiles": tiles, "lang": lang, "tianditu_key": tianditu_key}
    pages: dict[str, str] = {}
    taken: set[str] = set()
    if community is not None:
        cid = maps.find_community(layers.get("communities"), community)
        pages[f"community-{safe_name(cid, taken=taken)}.html"] = maps.to_html(
            maps.community_map(layers, cid, **options)
        )
    elif village is not None:
        code = maps.find_village(layers.get("villages"), village)
        pages[f"village-{safe_name(code, taken=taken)}.html"] = maps.to_html(maps.village_map(layers, code, **options))
    elif zone_version is not None:
        pages[f"zone-v{zone_version}.html"] = maps.to_html(maps.zone_map(layers, version=zone_version, **options))
    else:
        pages["zone.html"] = maps.to_html(maps.zone_map(layers, **options))
        if output is None and "communities" in layers:
            for cid in layers["communities"].index:
                page = maps.to_html(maps.community_map(layers, str(cid), **options))
                pages[f"community-{safe_name(cid, taken=taken)}.html"] = page
    if output is not None:
        click.echo(say("cli.wrote", path=write_text(next(iter(pages.values())), output)))
        return
    with output_folder(Path("maps"), inputs=(path,), overwrite=overwrite) as put:
        written = [put(name, page) for name, page in pages.items()]
    for w in written:
        click.echo(say("cli.wrote", path=w))


@main.command("qgis", help="cmd.qgis")
@project_argument
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="opt.qgis.output")  # fmt: skip
@rules_option()
@option("--no-findings", is_flag=True, help="opt.qgis.no_findings")
@overwrite_option("opt.qgis.overwrite")
def qgis_(path, output: Path, rules_file: Path | None, no_findings: bool, overwrite: bool) -> None:
    from ..qgis import audit_layers, write_project, write_styles

    found = {} if no_findings else audit_layers(_project(path), rules=_rules(rules_file))
    written = write_project(
        path, output, audit=found, overwrite=overwrite
    )  # first: a refusal leaves the file as it was
    if open_project(path).holds_styles:  # a database's styles travel in the project file
        styles = write_styles(path)
        kept = [f"{layer} ({how})" for layer, how in styles.items() if how != "default"]
        mine = f"；保留您自己的默认样式：{', '.join(kept)}" if kept else ""
        click.echo(f"已写入 {len(styles)} 个图层的样式：{display(path)}{mine}")
    click.echo(f"已写入 {written}")
    if found:
        what = {"findings": "审核问题", "conflicts": "三区三线冲突"}
        counts = "，".join(f"{len(frame)} 处{what[name]}" for name, frame in found.items())
        click.echo(f"{counts}：{output.with_name(output.stem + '-findings.gpkg')}")


@main.command("print", help="cmd.print")
@project_argument
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="opt.print.output")  # fmt: skip
@option(
    "--size",
    type=click.Choice(["A3", "A4"], case_sensitive=False),
    default="A3",
    show_default=True,
    help="opt.print.size",
)
@option("--village", default=None, help="opt.print.village")
@option("--zone-version", type=int, default=None, help="opt.print.zone_version")
@lang_option
@overwrite_option()
@option("--as-of", "as_of", default=None, help="opt.print.as_of")
def print_(
    path: Path, output: Path, size: str, village: str | None, zone_version: int | None, lang: str, overwrite: bool,
    as_of: str | None,
) -> None:  # fmt: skip
    from ..io import check_output, write_bytes
    from ..paper import print_map

    if output.suffix.lower() != ".pdf":
        raise DataError(f"{output}: give a .pdf file")
    check_output(output, inputs=(path,), overwrite=overwrite)
    layers = as_of_layers(_project(path), as_of, path)  # the parcels valid then (landkit.lineage)
    pdf = print_map(layers, size=size.upper(), village=village, zone_version=zone_version, lang=lang)
    click.echo(say("cli.wrote", path=write_bytes(pdf, output)))


@main.command("export", help="cmd.export")
@project_argument
@option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="opt.export.output")  # fmt: skip
@option(
    "--by",
    type=click.Choice(["village", "status", "target"]),
    default="village",
    show_default=True,
    help="opt.export.by",
)
@option("--target", default=None, help="opt.export.target")
@option("--status", default=None, help="opt.export.status")
@option("--village", default=None, help="opt.export.village")
@option("--parcels", "parcel_ids", default=None, help="opt.export.parcels")
@option("--encoding", type=click.Choice(["gbk", "gb18030", "utf-8"], case_sensitive=False), default="gbk",
              show_default=True, help="opt.export.encoding")  # fmt: skip
@overwrite_option()
@option("--as-of", "as_of", default=None, help="opt.export.as_of")
def export(
    path: Path, output: Path, by: str, target: str | None, status: str | None, village: str | None,
    parcel_ids: str | None, encoding: str, overwrite: bool, as_of: str | None,
) -> None:  # fmt: skip
    import pandas as pd

    from .. import exchange, report, tables
    from ..io import check_output, write_bytes, write_csv
    from ..schema import require_layers

    if output.suffix.lower() not in (".xlsx", ".csv", ".txt"):
        raise DataError(code="cli.export.not_a_table_file", path=str(output))
    check_output(output, inputs=(path,), overwrite=overwrite)
    layers = as_of_layers(_project(path), as_of, path)  # the parcels valid then (landkit.lineage)
    require_layers(layers, ("parcels",), where=display(path), needed_by="landkit export")
    if (target, status, village, parcel_ids) != (None,) * 4:
        chosen = exchange.select(layers, target=target, status=status, village=village, parcels=parcel_ids)
        layers = {**layers, "parcels": chosen}
    if output.suffix.lower() == ".txt":  # the survey-exchange text, see landkit.exchange
        info = layers["project_info"]["value"].to_dict() if "project_info" in layers else {}
        data = exchange.write(layers["parcels"], info=info, encoding=encoding.lower())
        written = write_bytes(data, output)
        click.echo(t("exchange.wrote", None, path=written, count=len(layers["parcels"])))
        return
    lists = tables.parcel_lists(layers, by=by)
    if output.suffix.lower() == ".xlsx":
        written = write_bytes(report.parcel_lists_xlsx(lists, report.stamp_for(path, layers)), output)
    else:
        key = {"village": "村", "status": "状态", "target": "目标"}[by]
        table = pd.concat([df.assign(**{f"分组({key})": name}) for name, df in lists.items()], ignore_index=True)
        written = write_csv(table, output, float_format="%.2f")
    click.echo(say("cli.wrote", path=written))


@main.command("report", help="cmd.report")
@project_argument
@option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"),
              show_default=True, help="opt.report.output")  # fmt: skip
@rules_option()
@overwrite_option("opt.report.overwrite")
@option("--as-of", "as_of", default=None, help="opt.report.as_of")
def report_(path: Path, out_dir: Path, rules_file: Path | None, overwrite: bool, as_of: str | None) -> None:
    from .. import pack as making
    from ..io import output_folder

    layers = _project(path)
    if as_of:
        from ..ledger import parse_date
        from ..schema import require_layers

        require_layers(layers, ("parcels", "events"), where=display(path), needed_by="landkit report --as-of")
        as_of = parse_date(as_of)
    with output_folder(out_dir, inputs=(path,), overwrite=overwrite) as put:
        pack = making.meeting_pack(layers, path, rules=_rules(rules_file), date=as_of, out_dir=out_dir)
        for name, data in pack.items():
            put(name, data)
    click.echo(say("cli.report.wrote", path=out_dir / "index.html"))
