"""The meeting pack: the audit as HTML and XLSX, progress charts, the maps, and a summary page.

Every file is stamped with the input's SHA-256, the landkit version and the area method, so
that a figure on a slide can be traced back to the file and the code that produced it.
Everything is built in memory here; :mod:`landkit.io` writes it.
"""

from __future__ import annotations

import html
import io as _io
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError
from .i18n import columns
from .i18n import t as say
from .units import shown
from .units import total as sum_shown

HEADERS_ZH = columns.HEADERS  # the Chinese headers by column code (landkit/i18n/columns.py)


@dataclass(frozen=True)
class Stamp:
    """What every file of the pack says about where its figures come from."""

    path: str
    sha256: str
    version: str
    area_method: str
    identity: str = "file sha256"  # a database has no file bytes: "content sha256"

    def text(self) -> str:
        return f"input {self.path} · {self.identity} {self.sha256} · landkit {self.version} · {self.area_method}"


def stamp_for(path: str | os.PathLike, layers: dict) -> Stamp:
    """The stamp of a project file: its path, the SHA-256 of its bytes, this landkit, the area method."""
    from . import __version__
    from .measure import area
    from .store import open_project

    method = area(layers["parcels"].iloc[:0]).attrs["area_method"] if "parcels" in layers else "n/a"
    # a file's path as the planner gave it (a share, %20, #), never a file:// address; a URL masked
    project = open_project(path)
    return Stamp(project.display(), project.sha256(), __version__, method, project.identity)


def _layer_label(name, lang: str) -> str:
    """A layer as planners read it (永久基本农田 is a layer, 占用永久基本农田 the rule about it)."""
    from .schema import layer_label

    return layer_label(name, lang)


ZONE_HEADERS_ZH = columns.ZONE_HEADERS
method_label = columns.method_label


def zones_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The planning-zone versions with Chinese headers (its codes with ``lang="en"``)."""
    named = columns.headers(lang, "zones")
    axis = named.get("version", str(table.index.name))
    return table.rename(columns=named).rename_axis(index=axis)


def findings_table(findings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The findings as one flat table for CSV and spreadsheets: rule, severity and layer as planners
    read them (``lang``), the rule's code kept for filtering, ids joined by semicolons."""
    from .schema import label

    return findings.drop(columns="message_zh", errors="ignore").assign(
        message=columns.localised(findings, "message", lang),  # Chinese where the check says it in Chinese
        rule=findings["rule"].map(lambda r: label(r, lang)),
        severity=findings["severity"].map(lambda r: label(r, lang)),
        layer=findings["layer"].map(lambda r: _layer_label(r, lang)),
        ids=findings["ids"].map(lambda ids: ";".join(map(str, ids))),
        area_m2=_figure(findings["area_m2"]),
        area_mu=_figure(findings["area_mu"]),
        rule_code=findings["rule"],
    )


def audit_json(findings: pd.DataFrame, totals: dict, stamp: Stamp, layers: dict) -> dict:
    """The audit's JSON contract (landkit/schemas/audit.schema.json)."""
    return {
        "landkit_version": stamp.version,
        "input": {"path": stamp.path, "sha256": stamp.sha256, "layers": {n: len(df) for n, df in layers.items()}},
        "area_method": stamp.area_method if "parcels" in layers else None,
        "totals": totals,
        "findings": findings.assign(
            **{c: _figure(findings[c]).astype(object).where(findings[c].notna(), None) for c in ("area_m2", "area_mu")}
        ).to_dict("records"),
    }


def _figure(values: pd.Series) -> pd.Series:
    """Areas as every output shows them (:func:`landkit.units.shown`)."""
    return pd.Series(shown(values.to_numpy(dtype=float), 2), index=values.index)


def dumps(data) -> str:
    """JSON text, indented, UTF-8 characters as they are; NaN and infinity become null (orjson)."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")


def _table(df: pd.DataFrame) -> str:
    """An HTML table with every value escaped (values are untrusted attribute data)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, body: str, stamp: Stamp) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}th{background:#eee}"
        ".stamp{color:#666;font-size:11px;margin-top:2em}"
    )
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="generator" content="landkit">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        f'<p class="stamp">{html.escape(stamp.text())}</p></body></html>'
    )


def totals_tables(totals: dict, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The audit totals as two tables: per layer, and parcels per status with a 合计 row."""
    from .schema import label

    layers = pd.DataFrame(totals["layers"]).T.rename_axis("layer").reset_index()
    if not len(layers):
        layers = pd.DataFrame(columns=["layer", "count", "not_measured", "area_m2", "area_mu"])
    layers["layer"] = layers["layer"].map(lambda n: _layer_label(n, lang))
    status = pd.DataFrame(totals["parcels_by_status"]).T.rename_axis("status").reset_index()
    status = status.rename(columns={"area_m2": "measured_m2", "area_mu": "measured_mu"})  # said as measured
    if len(status):
        status["status"] = status["status"].map(lambda n: label(n, lang))
        total: dict[str, Any] = {"status": say("pack.total", lang), "count": int(status["count"].sum())}
        for col in ("stated_mu", "measured_m2", "measured_mu"):
            total[col] = sum_shown(status[col])
        status = pd.concat([status, pd.DataFrame([total])], ignore_index=True)
    return layers, status


def targets_table(progress: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Done / target for each target as planners read it: name, kind, the status to reach, the due
    date, target, done (stated and measured), share, remaining, parcels done of all, overdue."""
    from .schema import PARCEL_STATUSES, label

    return pd.DataFrame(
        {
            "target_name": columns.localised(progress, "name", lang),
            "kind": progress["kind"].map(lambda k: say(f"target_kind.{k}", lang)),
            "target_status": progress["status"].map(lambda s: label(s, lang) if s in PARCEL_STATUSES else s),
            "due": pd.to_datetime(progress["due"]).dt.date,
            "target_mu": progress["target_mu"],
            "done_mu": progress["done_mu"],
            "done_measured_mu": progress["done_measured_mu"],
            "share": progress["share"],
            "remaining_mu": progress["remaining_mu"],
            "parcels_done": progress["parcels_done"],
            "parcels": progress["parcels"],
            "overdue": progress["overdue"].map({True: say("pack.yes", lang), False: ""}),
        }
    ).reset_index(drop=True)


def target_lists(layers: dict, targets: tuple, progress: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The parcels behind every target, one row per parcel and target (the list behind each figure)."""
    from . import reserve
    from .schema import label

    rows = []
    for goal in targets:  # a handful of targets
        members = reserve.target_parcels(layers["parcels"], layers["events"], goal, as_of=progress.attrs.get("as_of"))
        rows.append(
            pd.DataFrame(
                {
                    "target_name": goal.label(lang),
                    "parcel_id": members.index,
                    "village": village_names(layers, members["village_code"]).to_numpy(),
                    "status": members["status"].map(lambda s: label(s, lang)).to_numpy(),
                    "done": members["done"].map({True: say("pack.yes", lang), False: ""}).to_numpy(),
                    "stated_mu": members["stated_mu"].to_numpy(),
                    "measured_mu": members["measured_mu"].to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def severity_counts(findings: pd.DataFrame, lang: str = "zh") -> str:
    """ "2 个错误、1 个警告、0 个提示" (or "2 errors, 1 warnings, 0 notices")."""
    counts = findings["severity"].value_counts()
    return say("card.findings_note", lang, **{k: counts.get(s, 0) for k, s in _LEVELS.items()})


_LEVELS = {"errors": "error", "warnings": "warning", "infos": "info"}


def audit_html(findings: pd.DataFrame, totals: dict, stamp: Stamp, lang: str = "zh") -> str:
    """The audit as one self-contained HTML page (no script, every value escaped)."""
    layers, status = totals_tables(totals, lang)
    table = findings_table(findings, lang).assign(ids=findings["ids"].map(lambda ids: ", ".join(map(str, ids))))
    named = columns.headers(lang)
    layers, status, table = (df.rename(columns=named) for df in (layers, status, table))
    counts = say("pack.findings_line", lang, count=len(findings), counts=severity_counts(findings, lang))
    body = (
        f"<p>{html.escape(counts)}</p>"
        f"<h2>{say('sheet.findings', lang)}</h2>{_table(table)}"
        f"<h2>{say('sheet.by_status', lang)}</h2>{_table(status)}"
        f"<h2>{say('sheet.layers', lang)}</h2>{_table(layers)}"
    )
    return _page(say("pack.audit_title", lang), body, stamp)


def audit_xlsx(
    findings: pd.DataFrame,
    totals: dict,
    stamp: Stamp,
    *,
    progress: pd.DataFrame | None = None,
    lang: str = "zh",
    more: dict[str, pd.DataFrame] | None = None,
    first: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    """The audit as an Excel workbook: one sheet per table, Chinese headers, a 说明 sheet;
    ``first`` sheets (the pack's 会议数字) before the findings."""
    layers, status = totals_tables(totals, lang)
    sheets = dict(first or {}) | {
        say("sheet.findings", lang): findings_table(findings, lang).assign(
            ids=findings["ids"].map(lambda ids: ", ".join(map(str, ids)))
        ),
        say("sheet.by_status", lang): status,
        say("sheet.layers", lang): layers,
    }
    if progress is not None:
        sheets[say("sheet.targets", lang)] = targets_table(progress, lang)
    sheets |= more or {}
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(v):  # control characters pasted into an id: XLSX cannot store them
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v

    sheets = {name: df.map(clean) for name, df in sheets.items()}
    about = say("sheet.about", lang)
    sheets[about] = pd.DataFrame({about: stamp.text().split(" · ")})
    return workbook(sheets, lang)


#: Excel number formats by column: areas to 2 decimals, shares as percentages, counts whole.
NUMBER_FORMATS = {
    **dict.fromkeys(
        ["area_m2", "area_mu", "stated_mu", "measured_mu", "measured_m2", "target_mu", "remaining_mu"], "#,##0.00"
    ),
    **dict.fromkeys(["登记面积(亩)", "实测面积(亩)", "实测面积(m²)"], "#,##0.00"),
    **dict.fromkeys(["stated_km2", "measured_km2"], "#,##0.0000"),
    **dict.fromkeys(["count", "not_measured", "parcels", "households", "population"], "#,##0"),
    **dict.fromkeys(["done_mu", "done_measured_mu"], "#,##0.00"),
    **dict.fromkeys(["share_stated", "share"], "0.0%"),
    **dict.fromkeys(["parcels_done"], "#,##0"),
    **dict.fromkeys(["人口占用", "户数占用"], "0.0%"),
    **dict.fromkeys(["户数", "人口", "已安排人口", "容纳人口", "已安排户数", "容纳户数", "村数"], "#,##0"),
    **dict.fromkeys(["冲突面积(m²)", "冲突面积(亩)", "占地面积(m²)", "其中耕地(亩)"], "#,##0.00"),
    **dict.fromkeys(["已付(元)", "待付(元)", "费用(元)", "元/户"], "#,##0.00"),
    **{f"{s}{n}": "#,##0" for s in ("已签协议", "已搬迁", "已拆除") for n in ("户数", "人口")},
}


def workbook(sheets: dict[str, pd.DataFrame], lang: str = "zh") -> bytes:
    """An XLSX workbook a planner keeps: one sheet per table, Chinese headers, bold frozen header
    with filters, columns as wide as their content, areas to 2 decimals, shares as %, dates as
    dates, a bold 合计 row where the table has one; no formula anywhere (text that starts with =
    is text, as :func:`inert_workbook` makes it). Headers in Chinese, or as their English codes
    with ``lang="en"``. Values are written as pandas writes them (missing ones as empty text),
    streamed row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.creator = "landkit"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    headers: dict[Any, str] = columns.headers(lang)
    number_formats: dict[Any, str] = NUMBER_FORMATS
    for name, df in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        series = [df.iloc[:, k] for k in range(len(df.columns))]
        letters = [get_column_letter(k) for k in range(1, len(series) + 1)]
        for letter, column in zip(letters, series, strict=True):
            texts = [str(headers.get(column.name, column.name)), *(_cell_text(v) for v in column.head(2000))]
            sheet.column_dimensions[letter].width = min(60, max(8, max(map(_width, texts)) + 2))
        if len(df) and series:
            sheet.auto_filter.ref = f"A1:{letters[-1]}{len(df) + 1}"
        names = [_excel_value(headers.get(c.name, c.name))[0] for c in series] or [None]
        sheet.append([_cell(sheet, v, font=bold, fill=fill) for v in names])
        totals = [isinstance(v, str) and v.startswith(("合计", "total")) for v in series[0]] if series else []
        formats = [number_formats.get(c.name) for c in series]
        values = [[_excel_value(v) for v in c.tolist()] for c in series]  # every cell: a file's worth
        for total, row in zip(totals, zip(*values, strict=True), strict=True):
            font = bold if total else None
            sheet.append(
                [
                    _cell(sheet, v, fmt=formats[k] or fmt, font=font)
                    if font or fmt or formats[k] or (isinstance(v, str) and v.startswith("="))
                    else v
                    for k, (v, fmt) in enumerate(row)
                ]
            )
    buffer = _io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, *, fmt=None, font=None, fill=None):
    """A styled cell of a write-only sheet; text that starts with = stays text (no formula anywhere)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":  # attribute text, never a formula (OWASP, CSV/formula injection)
        cell.data_type = "s"
    if fmt:
        cell.number_format = fmt
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _excel_value(value) -> tuple[Any, str | None]:
    """A value as pandas writes it to Excel, with the number format it gives it: Python numbers,
    datetimes and dates, "" where missing, "inf" for infinity, text for anything else."""
    import datetime
    import math
    from decimal import Decimal

    if isinstance(value, str):
        return value, None
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "", None
    if isinstance(value, Decimal):
        return value, None
    if isinstance(value, bool | np.bool_):
        return bool(value), None
    if isinstance(value, int | np.integer):
        return int(value), None
    if isinstance(value, float | np.floating):
        return (float(value) if math.isfinite(value) else "inf" if value > 0 else "-inf"), None
    if isinstance(value, datetime.datetime):
        return value, "YYYY-MM-DD HH:MM:SS"
    if isinstance(value, datetime.date):
        return value, "YYYY-MM-DD"
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400, "0"
    return str(value), None


def _cell_text(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None or value is pd.NaT else str(value)


def _width(text: str) -> int:
    """Columns in Excel's units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def inert_workbook(book) -> None:
    """Make every cell that would be a formula a plain string, and sign the workbook as landkit's.

    landkit writes no formulas: a cell that starts with = (say a parcel id "=HYPERLINK(…)") is
    attribute text, and Excel must show it, not run it (OWASP, CSV/formula injection).
    """
    book.properties.creator = "landkit"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _chart(draw, stamp: Stamp) -> bytes:
    """A landscape PNG chart: ``draw(ax, lang)`` draws on the axes in ``lang`` (Chinese when a CJK
    font is there to draw it, else English); the legend, the stamp and the layout are the same on every chart."""
    from matplotlib import font_manager, rc_context
    from matplotlib.figure import Figure

    cjk = _cjk_fonts(font_manager)
    buffer = _io.BytesIO()
    with rc_context({"font.family": cjk[0]} if cjk else {}):  # a Figure of its own: no pyplot, no backend switch
        fig = Figure(figsize=(8, 4), dpi=120)
        ax = fig.subplots()
        draw(ax, "zh" if cjk else "en")
        ax.legend(loc="lower right", fontsize=8)
        fig.text(0.01, 0.01, stamp.text()[:150], fontsize=5, color="#666")
        fig.tight_layout(rect=(0, 0.03, 0.95, 1))
        fig.savefig(buffer, format="png", metadata={"Software": "landkit"})
    return buffer.getvalue()


def progress_png(progress: pd.DataFrame, stamp: Stamp) -> bytes:
    """A bar chart of progress against each target (stated mu), in Chinese when a CJK font is installed."""

    def draw(ax, lang: str) -> None:
        labels = columns.localised(progress, "name", lang)
        done = progress["done_mu"].clip(upper=progress["target_mu"])
        ax.barh(labels, progress["target_mu"], color="#dddddd", label=say("chart.target", lang))
        ax.barh(labels, done, color="#3182bd", label=say("chart.done", lang))
        mu = say("unit.mu", lang)
        for y, (d, goal) in enumerate(zip(progress["done_mu"], progress["target_mu"], strict=True)):
            of = f" / {goal:,.2f}" if goal == goal else ""  # a stock without a figure: done, and no target
            ax.text(goal if goal == goal else d, y, f" {d:,.2f}{of} {mu}", va="center", fontsize=8)
        ax.set_xlabel(say("chart.stated_mu", lang))
        ax.set_title(say("chart.targets_title", lang, as_of=progress.attrs.get("as_of", "")))

    return _chart(draw, stamp)


def _cjk_fonts(font_manager) -> list[str]:
    """Names of installed CJK fonts; a font installed after matplotlib built its cache is added."""

    def names() -> list[str]:
        return [f.name for f in font_manager.fontManager.ttflist if "WenQuanYi" in f.name or "Noto Sans CJK" in f.name]

    if not names():
        for path in font_manager.findSystemFonts():
            if "wqy" in path.lower() or "notosanscjk" in path.lower():
                font_manager.fontManager.addfont(path)
    return names()


def relocation_tables(layers: dict) -> dict[str, pd.DataFrame]:
    """搬迁进度 (each village: batch, households, people, status from the ledger, community) and
    安置容量 (each community: people and households assigned against its capacity)."""
    from .relocation import capacity_check, village_status
    from .schema import RELOCATION_STATUSES

    villages, communities = layers["villages"], layers["communities"]
    status = village_status(villages, layers.get("relocation_events"))
    names = communities["name"]
    progress = pd.DataFrame(
        {
            "村": villages["name"],
            "批次": villages["batch"],
            "户数": villages["households"],
            "人口": villages["population"],
            "搬迁状态": status.map(lambda s: RELOCATION_STATUSES.get(s, s)),
            "安置社区": villages["target_community"].map(lambda c: names.get(c, c)),
        }
    ).sort_values(["批次", "村"])
    last = capacity_check(villages, communities)
    last = last[last["through_batch"] == last["through_batch"].max()]
    capacity = pd.DataFrame(
        {
            "安置社区": last["name"].to_numpy(),
            "已安排人口": last["people"].to_numpy(),
            "容纳人口": last["capacity_people"].to_numpy(),
            "人口占用": (last["people"] / last["capacity_people"].where(last["capacity_people"] > 0))
            .round(3)
            .to_numpy(),
            "已安排户数": last["households"].to_numpy(),
            "容纳户数": last["capacity_households"].to_numpy(),
            "户数占用": (last["households"] / last["capacity_households"].where(last["capacity_households"] > 0))
            .round(3)
            .to_numpy(),
        },
        index=pd.Index(last["community_id"].astype(str).to_numpy(), name="community_id"),
    )
    return {"搬迁进度": progress, "按批次": _by_batch(villages, status), "安置容量": capacity}


def land_tables(
    layers: dict, *, rules: dict | None = None, as_of=None, today: dict | None = None, kept: dict | None = None
) -> dict[str, pd.DataFrame]:
    """The planner's other questions as workbook sheets, for the layers the project has:
    三区三线冲突 (each parcel's conflict with permanent basic farmland, the ecological red line or
    the urban development boundary, m² and mu), 耕地占用 (the current land use each village's and
    target's parcels take, 耕地 for 占补平衡), 补偿费用 (paid and due by month), 闲置土地 and
    违法占地疑点 (buildings on land not yet approved or supplied, or on open land of the zone).
    Land is idle after the rules' ``[idle_land] days``, as the audit says. ``today`` is the project
    as it is now when ``layers`` is it as of a past date (:func:`as_of`): a target's parcels are
    all of them whatever the date. ``kept``: what the audit computed (its ``keep``), used as it is."""
    from . import constraints, money, reserve
    from .schema import CONSTRAINT_LAYERS, LAND_USE_CODES, label

    parcels = layers["parcels"]
    tables: dict[str, pd.DataFrame] = {}
    kept = kept or {}
    found = kept["conflicts"] if "conflicts" in kept else constraints.conflicts(parcels, layers, rules=rules)
    if found:
        rows = [
            pd.DataFrame(
                {
                    "约束": CONSTRAINT_LAYERS[name][0],
                    "地块编号": hit.index.astype(str),
                    "状态": parcels.loc[hit.index, "status"].map(lambda s: label(s)).to_numpy(),
                    "冲突面积(m²)": shown(hit["area_m2"].to_numpy()),
                    "冲突面积(亩)": shown(hit["area_mu"].to_numpy()),
                }
            )
            for name, hit in found.items()
        ]
        tables["三区三线冲突"] = pd.concat(rows, ignore_index=True)
    zones = layers.get("planning_zones")
    if zones is not None and len(zones) and "version" in zones:  # what each version's added land conflicts with
        per_zone = (
            kept["zone_conflicts"]
            if "zone_conflicts" in kept
            else constraints.zone_conflicts(zones, layers, rules=rules)
        )
        if len(per_zone):
            tables["规划范围三区三线冲突"] = pd.DataFrame(
                {
                    "规划版本": [f"第{int(v)}版" for v in per_zone["version"]],
                    "约束": [CONSTRAINT_LAYERS[n][0] for n in per_zone["layer"]],
                    "新增范围冲突面积(m²)": shown(per_zone["area_m2"].to_numpy()),
                    "新增范围冲突面积(亩)": shown(per_zone["area_mu"].to_numpy()),
                }
            )
    if {"project", "investment_yuan"} <= set(parcels.columns):
        from .audit import load_rules

        rule = (rules or load_rules()).get("investment_intensity", {})
        intensity = money.investment_intensity(
            parcels,
            minimum_wan_per_mu=float(rule.get("min_wan_per_mu", 0)),
            minimum_output_wan_per_mu=float(rule.get("min_output_wan_per_mu", 0)),
        )
        if len(intensity):
            tables["投资强度与亩均产值"] = intensity.reset_index().rename(
                columns={"project": "项目", "mu": "登记面积(亩)", "yuan": "投资额(元)",
                         "wan_per_mu": "投资强度(万元/亩)", "below": "低于投资强度标准", "output_yuan": "年产值(元)",
                         "output_wan_per_mu": "亩均年产值(万元/亩)", "output_below": "低于亩均产值标准"}
            )  # fmt: skip
    today = today if today is not None else layers
    if "land_use" in layers and len(layers["land_use"]):
        everyone = constraints.land_take(today["parcels"], layers["land_use"])  # a target's parcels: all of them
        take = everyone[everyone.index.isin(parcels.index)]
        by_village = constraints.take_by(take, village_names(layers, parcels.get("village_code")))
        by_village = by_village.loc[:, by_village.loc["合计"] > 0]  # classes the parcels take
        names = {c: f"{c} {LAND_USE_CODES.get(c, '')}(亩)" for c in by_village.columns}
        names["cultivated_mu"] = "其中耕地(亩)"
        tables["耕地占用"] = by_village.rename(columns=names).rename_axis("村").reset_index()
        goals = reserve.targets(today)
        if goals:  # the same per target: what each task or stock takes (a parcel may be in several)
            per_target = []
            for t in goals:
                date = as_of or reserve.data_date(layers["events"])
                members = reserve.target_parcels(today["parcels"], today["events"], t, as_of=date).index
                part = everyone.loc[everyone.index.isin(members), ["cultivated_mu"]].sum().round(2)
                per_target.append(
                    {"目标": t.name, "地块数": len(members), "其中耕地(亩)": float(part["cultivated_mu"])}
                )
            tables["目标耕地占用"] = pd.DataFrame(per_target)
    rates = layers.get("compensation_rates")
    if rates is not None and len(rates) and "compensation" in parcels:
        amounts = money.compensation(parcels, rates, layers.get("price_zones"))
        date = as_of or reserve.data_date(layers["events"])
        months = money.by_month(money.payments(parcels, amounts, as_of=date))
        tables["补偿费用"] = (
            months.rename(columns={"paid_yuan": "已付(元)", "due_yuan": "待付(元)"}).rename_axis("月份").reset_index()
        )
        if "villages" in layers and (rates["kind"] == "relocation").any():
            cost = money.relocation_cost(layers["villages"], rates)
            cost.index = village_names(layers, pd.Series(cost.index, index=cost.index)).to_numpy()
            cost.loc["合计"] = [int(cost["households"].sum()), float("nan"), round(cost["cost_yuan"].sum(), 2)]
            tables["搬迁费用"] = (
                cost.rename(columns={"households": "户数", "yuan_per_household": "元/户", "cost_yuan": "费用(元)"})
                .rename_axis("村")
                .reset_index()
            )
    date = as_of or reserve.data_date(layers["events"])
    idle = reserve.idle_land(parcels, as_of=date, period_days=reserve.idle_days(rules))
    if len(idle):
        tables["闲置土地"] = idle.reset_index()[
            ["parcel_id", "project", "stated_area_mu", "start_due_on", "idle_since", "recoverable_from", "stage"]
        ].rename(columns={"parcel_id": "地块编号", "project": "项目", "stated_area_mu": "登记面积(亩)",
                          "start_due_on": "约定开工日期", "idle_since": "认定闲置日期",
                          "recoverable_from": "可无偿收回日期", "stage": "处置阶段"})  # fmt: skip
    if "buildings" in layers and len(layers["buildings"]):
        zones = layers.get("planning_zones")
        zone = zones.sort_values("version").geometry.iloc[-1] if zones is not None and len(zones) else None
        exempt = tuple(layers[n] for n in ("villages", "facilities", "communities") if n in layers)
        suspects = constraints.suspect_buildings(layers["buildings"], parcels, zone=zone, exempt=exempt)
        tables["违法占地疑点"] = pd.DataFrame(
            {
                "建筑物": suspects["building"],
                "所在地块": suspects["parcel"].fillna("（规划区内未储备土地）"),
                "地块状态": suspects["status"].map(lambda s: label(s) if isinstance(s, str) else ""),
                "占地面积(m²)": shown(suspects["area_m2"].to_numpy()),
            }
        )
    return tables


def _by_batch(villages: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Households and people per batch that have signed, moved and been demolished (each step
    counts the villages that reached it or a later one), with a 合计 row."""
    from .schema import RELOCATION_STATUSES

    order = {s: i for i, s in enumerate(RELOCATION_STATUSES)}
    reached = status.map(order).fillna(-1)
    households = pd.to_numeric(villages["households"], errors="coerce").fillna(0).astype(int)
    people = pd.to_numeric(villages["population"], errors="coerce").fillna(0).astype(int)
    columns = {"村数": pd.Series(1, index=villages.index), "户数": households, "人口": people}
    for step in ("agreement_signed", "moved", "demolished"):
        label = RELOCATION_STATUSES[step]
        columns[f"{label}户数"] = households.where(reached >= order[step], 0)
        columns[f"{label}人口"] = people.where(reached >= order[step], 0)
    table = pd.DataFrame(columns).groupby(villages["batch"]).sum()
    table.index = [f"第{b}批" for b in table.index]
    table.loc["合计"] = table.sum()
    return table.rename_axis("批次").reset_index()


def relocation_png(progress: pd.DataFrame, stamp: Stamp) -> bytes:
    """Households by relocation status, batch by batch (stacked bars), in Chinese when a CJK font is installed."""
    from .schema import RELOCATION_STATUSES

    table = progress.pivot_table(index="批次", columns="搬迁状态", values="户数", aggfunc="sum", fill_value=0)
    table = table[[s for s in RELOCATION_STATUSES.values() if s in table.columns]]
    colours = {"待搬迁": "#cccccc", "已签协议": "#fdae6b", "已搬迁": "#6baed6", "已拆除": "#31a354"}

    def draw(ax, lang: str) -> None:
        left = pd.Series(0, index=table.index)
        labels = [say("chart.batch", lang, batch=b) for b in table.index]
        for column in table.columns:
            code = {v: k for k, v in RELOCATION_STATUSES.items()}[column]
            said = say(f"chart.relocation.{code}", lang)
            ax.barh(labels, table[column], left=left, color=colours.get(column, "#999"), label=said)
            left += table[column]
        ax.set_xlabel(say("unit.households", lang))
        ax.set_title(say("chart.relocation_title", lang))
        ax.invert_yaxis()

    return _chart(draw, stamp)


def index_html(files: dict[str, str], summary: dict[str, str], stamp: Stamp, cards: list[dict] | None = None) -> str:
    """The pack's front page, for a projector: the headline figures as cards (with a progress bar
    where there is a target), the charts, a link to every file, the stamp. Card texts and summary
    values are HTML already escaped, their numbers tagged as figures (:func:`pack_cards`)."""
    tiles = []
    for card in cards or []:
        bar = ""
        if card.get("share") is not None:
            width = max(0.0, min(1.0, float(card["share"]))) * 100
            bar = f'<div class="bar"><div style="width:{width:.1f}%"></div></div>'
        tiles.append(
            f'<div class="card"><div class="label">{card["label"]}</div>'
            f'<div class="value">{card["value"]}</div>{bar}'
            f'<div class="note">{card.get("note", "")}</div></div>'
        )
    facts = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in summary.items())
    images = "".join(
        f'<img src="{html.escape(f)}" alt="{html.escape(label)}">' for f, label in files.items() if f.endswith(".png")
    )
    links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(label)}</a></li>' for f, label in files.items())
    style = (
        "<style>.cards{display:flex;flex-wrap:wrap;gap:16px;margin:1em 0}.card{flex:1 1 260px;border:1px solid #ccd;"
        "border-radius:8px;padding:14px 18px;background:#f8f9fc}.label{font-size:18px;color:#333}"
        ".value{font-size:30px;font-weight:bold;margin:6px 0}.note{font-size:15px;color:#555}"
        ".bar{height:12px;background:#e3e6ee;border-radius:6px;overflow:hidden}.bar div{height:100%;background:#3182bd}"
        "img{max-width:48%;margin:8px 1% 8px 0}ul{font-size:18px;line-height:1.8}</style>"
    )
    body = f'{style}<div class="cards">{"".join(tiles)}</div>{images}<table>{facts}</table><ul>{links}</ul>'
    return _page("会议材料", body, stamp)


def finding_shapes(layers: dict, findings: pd.DataFrame):
    """The findings about parcels, drawn on the parcels they name (None if there are none)."""
    import geopandas as gpd

    parcels = layers["parcels"]
    rows = findings[findings["layer"] == "parcels"]
    named = rows["ids"].map(lambda i: bool(i) and all(x in parcels.index for x in i))
    if not named.any():
        return None
    shapes = [parcels.geometry.loc[list(i)].union_all() for i in rows.loc[named, "ids"]]
    return gpd.GeoDataFrame(rows[named], geometry=shapes, crs=parcels.crs)


def as_of(layers: dict, date) -> dict:
    """The project as its ledgers stood on ``date``: events after it left out, each parcel's and
    village's status rebuilt from the events up to it, parcels with no event by then left out
    (and their ``target_parcels`` rows, so that the audit of it is of the ledger then). The
    geometry is today's: a parcel redrawn since shows its new shape. A target's figures come from
    the project as it is (``reserve.progress(..., as_of=date)``, :func:`meeting_pack` with
    ``date``): a task's target is all its parcels whatever the date."""
    from .relocation import village_status
    from .reserve import state_as_of

    date = pd.Timestamp(date)
    out = dict(layers)
    events = layers["events"]
    out["events"] = events[events["date"] <= date]
    state = state_as_of(events, date)
    parcels = layers["parcels"]
    out["parcels"] = parcels[parcels.index.isin(state.index)].assign(status=state)
    members = layers.get("target_parcels")
    if members is not None and "parcel_id" in members:  # a task's parcels that were not yet on the ledger
        out["target_parcels"] = members[members["parcel_id"].isin(state.index)]
    moves = layers.get("relocation_events")
    if moves is not None and "villages" in layers:
        out["relocation_events"] = moves[moves["date"] <= date]
        out["villages"] = layers["villages"].assign(
            relocation_status=village_status(layers["villages"], moves, as_of=date)
        )
    return out


def _finding_keys(findings: pd.DataFrame) -> pd.Series:
    return findings["rule"] + "|" + findings["layer"] + "|" + findings["ids"].map(lambda i: ";".join(map(str, i)))


def period_changes(layers: dict, since, until=None, *, rules: dict | None = None, now=None) -> dict:
    """What changed between two dates (本月变化): the ledger's events, the parcels whose status
    changed, parcels and mu per status at both ends (:func:`landkit.reserve.changes`), and the
    audit findings that are new at the end or resolved since the start (an audit of the project
    as it stood on each date, :func:`as_of`, so that both ends are judged alike).

    ``now``: the audit's findings of ``layers`` as they stand (the pack has them already); used
    for the end of the period when the project on ``until`` is the project as it stands (no later
    or future-dated event, every parcel on the ledger, every status the ledger's), else the end is
    audited as it stood. A period in which the ledgers recorded nothing starts as it ends: its
    start is not audited again."""
    from . import audit, reserve

    found = reserve.changes(layers["parcels"], layers["events"], since=since, until=until)
    until = found["events"].attrs["until"]
    end = as_of(layers, until)
    if now is None or not _same_state(layers, end):
        now = audit.audit(end, rules=rules)
    start = as_of(layers, since)
    then = now if _same_state(end, start) else audit.audit(start, rules=rules)
    now_keys, then_keys = _finding_keys(now), _finding_keys(then)
    found["new_findings"] = now[~now_keys.isin(set(then_keys))]
    found["resolved_findings"] = then[~then_keys.isin(set(now_keys))]
    return found


def _same_state(layers: dict, then: dict) -> bool:
    """Whether :func:`as_of` left the project as it is: the same events, parcels and statuses
    (``then`` is ``layers`` as of a date, or ``layers`` are as of a later date than ``then``)."""
    for name in ("events", "relocation_events", "target_parcels"):
        if name in layers and len(then[name]) != len(layers[name]):
            return False
    parcels, kept = layers["parcels"], then["parcels"]
    if not kept.index.equals(parcels.index) or not kept["status"].astype(str).equals(parcels["status"].astype(str)):
        return False
    if "villages" in layers and "relocation_status" in layers["villages"]:
        moved = then["villages"]["relocation_status"].astype(str)
        return bool(moved.equals(layers["villages"]["relocation_status"].astype(str)))
    return True


def month_start(date) -> pd.Timestamp:
    """The last day of the month before ``date``: a monthly meeting's period starts after it."""
    return pd.Timestamp(date).normalize() - pd.offsets.MonthEnd(1)


def changes_html(found: dict, layers: dict, stamp: Stamp, lang: str = "zh") -> str:
    """The 本月变化 page: the period, status totals at both ends, the parcels that changed, the
    events, new and resolved findings (its counts tagged as the registered figures); every value escaped."""
    from . import figures
    from .schema import label

    since, until = found["events"].attrs["since"], found["events"].attrs["until"]
    none = say("pack.none", lang)
    names = village_names(layers, layers["parcels"].get("village_code"))
    by_status = found["by_status"].rename(index=lambda s: label(s, lang)).reset_index()
    moved = (
        found["parcels"]
        .assign(
            village=names.reindex(found["parcels"].index).to_numpy(),
            before=found["parcels"]["before"].map(lambda s: label(s, lang) or none),
            after=found["parcels"]["after"].map(lambda s: label(s, lang) or none),
        )
        .reset_index()
    )
    events = found["events"].assign(
        date=found["events"]["date"].dt.date,
        event_type=found["events"]["event_type"].map(lambda s: label(s, lang)),
        status=found["events"]["status"].map(lambda s: label(s, lang)),
    )
    headers = columns.headers(lang, "all", "changes")
    new, resolved = (findings_table(found[k], lang) for k in ("new_findings", "resolved_findings"))
    keep = ["severity", "rule", "layer", "ids", "area_mu", "message"]
    tables = {
        "changes.by_status": by_status,
        "changes.moved": moved,
        "changes.events": events.reset_index()[["parcel_id", "date", "event_type", "status", "document_ref"]],
        "changes.new": new[keep],
        "changes.resolved": resolved[keep],
    }
    body = "<p>" + say(
        "changes.summary",
        lang,
        since=html.escape(since),
        until=html.escape(until),
        events=figures.tag("changes.events", "", len(found["events"]), lang),
        parcels=figures.tag("changes.parcels", "", len(found["parcels"]), lang, unit=False),
        new=figures.tag("changes.new_findings", "", len(new), lang),
        resolved=figures.tag("changes.resolved_findings", "", len(resolved), lang),
    )
    body += "</p>"
    for title, df in tables.items():
        shown_df = df.rename(columns=headers)
        body += f"<h2>{html.escape(say(title, lang))}</h2>" + (_table(shown_df) if len(df) else f"<p>{none}</p>")
    return _page(say("changes.title", lang, since=since, until=until), body, stamp)


def meeting_pack(
    layers: dict, path: str | os.PathLike, *, rules: dict | None = None, date=None, out_dir=None
) -> dict[str, Any]:
    """Every file of the meeting pack, by file name: maps, the audit as HTML and XLSX, the chart,
    the figures as JSON, the index — all rendered from one :func:`landkit.analysis.analyse`.

    With ``date``, the pack as the ledgers stood on that date (:func:`as_of`); a task's target is
    still all its parcels, only what is done follows the date. Community maps are named from a
    safe form of the community id (never a path). With ``out_dir`` (where the pack goes) and no
    ``date``, the pack has a QGIS project, ``project.qgz``, opening ``path`` relative to that
    folder, with the audit's findings and 三区三线 conflicts in ``project-findings.gpkg``
    (:mod:`landkit.qgis`); an as-of pack has none, as QGIS would show the project as it is today.
    """
    from .analysis import analyse
    from .schema import require_layers

    require_layers(layers, ("parcels", "events", "communities"), where=path, needed_by="landkit report")
    return pack_files(analyse(layers, path, rules=rules, date=date), out_dir=out_dir)


def pack_files(a, *, out_dir=None) -> dict[str, Any]:
    """The meeting pack's files rendered from one :class:`~landkit.analysis.Analysis` (see :func:`meeting_pack`)."""
    from . import figures, maps
    from .io import safe_name
    from .paper import print_map

    layers, findings, stamp = a.layers, a.findings, stamp_for(a.path, a.layers)
    files: dict[str, Any] = {}
    labels = {"zone.html": "规划与储备总图 Zone map"}
    zone = maps.zone_map(layers, findings=a.shapes, rules=a.rules, conflicts=a.conflicts)
    files["zone.html"] = _stamped(maps.to_html(zone), stamp)
    taken: set[str] = set()
    for cid, row in layers["communities"].iterrows() if "villages" in layers else ():  # maps of who moves where
        name = f"community-{safe_name(cid, taken=taken)}.html"
        files[name] = _stamped(maps.to_html(maps.community_map(layers, str(cid))), stamp)
        labels[name] = f"{row['name']} 安置社区"
    files["audit.html"] = audit_html(findings, a.totals, stamp)
    files["zone-A3.pdf"] = print_map(layers, size="A3", findings=a.shapes)
    labels["zone-A3.pdf"] = "打印图（A3，PDF）"
    files["changes.html"] = changes_html(a.changes, layers, stamp)
    labels["changes.html"] = "本月变化"
    if out_dir is not None and a.date is None:
        from . import qgis

        drawn = a.shapes if a.shapes is not None else findings
        outputs = qgis.audit_layers(layers, rules=a.rules, findings=drawn, conflicts=a.conflicts)
        files |= qgis.project_files(a.path, os.path.join(out_dir, "project.qgz"), audit=outputs)
        labels["project.qgz"] = "QGIS 项目（同一张图，含 A3 出图和村庄图集）"
    lists = {"目标地块": target_lists(a.today, a.goals, a.progress)} if a.goals else {}
    lists |= land_tables(layers, rules=a.rules, as_of=a.day, today=a.today, kept=_kept(a))
    first = {say("figure.sheet"): figures.sheet(a.figures)}
    files["audit.xlsx"] = audit_xlsx(
        findings, a.totals, stamp, progress=a.progress, more=lists | a.relocation, first=first
    )
    labels |= {"audit.html": "面积审核", "audit.xlsx": "审核与进度表格（Excel）"}
    if a.progress is not None:
        files["progress.png"] = progress_png(a.progress, stamp)
        labels["progress.png"] = "目标进度图"
    if a.relocation:
        files["relocation.png"] = relocation_png(a.relocation["搬迁进度"], stamp)
        labels["relocation.png"] = "搬迁进度图"
    about = {"landkit_version": stamp.version, "input": stamp.path, "sha256": stamp.sha256, "as_of": str(a.day)}
    files["figures.json"] = dumps(about | {"area_method": stamp.area_method, "figures": figures.records(a.figures)})
    labels["figures.json"] = "会议数字（JSON，供脚本核对）"
    files["index.html"] = index_html(labels, _summary(a), stamp, pack_cards(a))
    return files


def _kept(a) -> dict:
    """What the audit computed and kept, as :func:`land_tables` takes it."""
    return {k: v for k, v in (("conflicts", a.conflicts), ("zone_conflicts", a.zone_conflicts)) if v is not None}


def _summary(a) -> dict[str, str]:
    """The facts table under the cards: label → HTML with the figures tagged."""
    from .figures import tagged

    f = a.figure
    return {
        f("data_date").label: tagged(f("data_date")),
        say("card.parcels"): say(
            "card.parcels_value",
            count=tagged(f("parcels.count")),
            measured=tagged(f("parcels.measured_mu")),
            stated=tagged(f("parcels.stated_mu")),
        ),
        say("card.findings"): _severity_html(a),
    }


def _severity_html(a) -> str:
    from .figures import tagged

    f = a.figure
    return say(
        "card.findings_note",
        errors=tagged(f("findings.error"), unit=False),
        warnings=tagged(f("findings.warning"), unit=False),
        infos=tagged(f("findings.info"), unit=False),
    )


def pack_cards(a) -> list[dict]:
    """The cards of index.html, each number a registered figure (tagged), each label saying its meaning."""
    from .figures import tagged

    f = a.figure
    cards = [target_card(row) for row in a.progress.itertuples()] if a.progress is not None else []
    if a.relocation:
        moved, everyone = f("relocation.moved_households"), f("relocation.households")
        cards.append(
            {
                "label": say("card.relocation"),
                "value": f"{tagged(moved, unit=False)} / {tagged(everyone)}",
                "share": moved.value / everyone.value if everyone.value else None,
                "note": say(
                    "card.relocation_note",
                    signed=tagged(f("relocation.signed_households")),
                    demolished=tagged(f("relocation.demolished_households")),
                    people=tagged(f("relocation.people")),
                ),
            }
        )
        for cid in a.relocation["安置容量"].index:
            people, room = f("community.assigned_people", cid), f("community.capacity_people", cid)
            cards.append(
                {
                    "label": say("card.community", name=html.escape(people.name)),
                    "value": f"{tagged(people, unit=False)} / {tagged(room)}",
                    "share": people.value / room.value if room.value else None,
                    "note": say(
                        "card.community_note",
                        households=tagged(f("community.assigned_households", cid), unit=False),
                        capacity=tagged(f("community.capacity_households", cid)),
                    ),
                }
            )
    cards.append({"label": say("card.findings"), "value": tagged(f("findings.count")), "note": _severity_html(a)})
    cards.append(
        {
            "label": say("card.changes", since=html.escape(str(a.changes["events"].attrs["since"]))),
            "value": tagged(f("changes.parcels")),
            "note": say(
                "card.changes_note",
                events=tagged(f("changes.events")),
                new=tagged(f("changes.new_findings")),
                resolved=tagged(f("changes.resolved_findings")),
            ),
        }
    )
    return cards


def target_card(row) -> dict:
    """One target as a card of index.html (HTML, its numbers tagged as registered figures): done /
    target, the share as a bar, what is left and by when, the measured area of what is done."""
    from .figures import tag
    from .schema import label

    key = row.Index

    def said(figure: str, value, unit: bool = True) -> str:
        return tag(f"target.{figure}", key, value, unit=unit)

    status = html.escape(label(row.status))
    if row.kind == "task":
        note = say(
            "card.task_note",
            done=said("parcels_done", row.parcels_done, unit=False),
            parcels=said("parcels", row.parcels, unit=False),
            status=status,
            remaining=said("remaining_mu", row.remaining_mu),
        )
        if row.due is not None and row.due == row.due:
            note += say("card.due", due=html.escape(str(row.due.date())))
        note += say("card.overdue") if row.overdue else ""
    else:
        note = say("card.stock_note", status=status, done=said("parcels_done", row.parcels_done, unit=False))
        if row.target_mu != row.target_mu:
            note += say("card.stock_no_goal")
        elif row.remaining_mu:
            note += say("card.stock_left", remaining=said("remaining_mu", row.remaining_mu))
    note += say("card.measured", measured=said("done_measured_mu", row.done_measured_mu))
    if row.target_mu == row.target_mu:
        value = f"{said('done_mu', row.done_mu, unit=False)} / {said('target_mu', row.target_mu)}"
    else:
        value = said("done_mu", row.done_mu)
    return {
        "label": html.escape(str(row.name)),
        "value": value,
        "share": row.share if row.share == row.share else None,
        "note": note,
    }


def _stamped(page: str, stamp: Stamp) -> str:
    return page.replace("</body>", f"<!-- {html.escape(stamp.text())} --></body>", 1)


_LIST_COLUMNS = {
    "parcel_id": "地块编号", "village": "村", "status_zh": "状态", "done": "已完成", "stated_area_mu": "登记面积(亩)",
    "area_mu": "实测面积(亩)", "area_m2": "实测面积(m²)", "land_use": "地类", "compensation_zh": "补偿方式",
    "project": "项目", "acquired_on": "征收日期", "approved_on": "批复日期",
}  # fmt: skip


def village_names(layers: dict, codes: pd.Series | None) -> pd.Series:
    """Village codes as planners read them: "沈庄村 410423101023" (the code alone when the project
    does not name it, 未落村 where a parcel has no village)."""
    villages = layers.get("villages")
    names = villages["name"] if villages is not None and "name" in villages else pd.Series(dtype=object)
    names = pd.Series(names.to_numpy(), index=names.index.astype(str)).dropna()
    codes = pd.Series(dtype=object) if codes is None else codes
    return codes.map(lambda c: f"{names.get(str(c), '')} {c}".strip() if c is not None and c == c else "未落村")


def _status_now(layers: dict, parcels: pd.DataFrame) -> pd.Series:
    """Each parcel's status as the ledger has it (the layer's where the ledger has no history)."""
    from . import reserve

    events = layers.get("events")
    if events is None or not len(events):
        return parcels["status"]
    return reserve.state_as_of(events).reindex(parcels.index).fillna(parcels["status"])


def parcel_lists(layers: dict, by: str = "village") -> dict[str, pd.DataFrame]:
    """Parcel lists for field work, one table per village, status or target: id, village, status,
    stated and measured area (the same figures as every other output), land use, compensation,
    project and dates, with a 合计 row. ``by`` is "village", "status" or "target" (a target's
    list says which of its parcels are done)."""
    from . import reserve
    from .measure import figures
    from .schema import COMPENSATION_MODES, PARCEL_STATUSES, trusted_stated

    if by not in ("village", "status", "target"):
        raise ValueError("by must be 'village', 'status' or 'target'")
    parcels = trusted_stated(layers["parcels"])
    shown = figures(parcels)
    table = pd.DataFrame(
        {
            "parcel_id": parcels.index.astype(str),
            "village": village_names(layers, parcels.get("village_code")).to_numpy(),
            "status_zh": _status_now(layers, parcels).map(lambda s: PARCEL_STATUSES.get(s, s)).to_numpy(),
            "stated_area_mu": parcels["stated_area_mu"].to_numpy(),
            "area_mu": shown["area_mu"].to_numpy(),
            "area_m2": shown["area_m2"].to_numpy(),
        }
    )
    for column in ("land_use", "project", "acquired_on", "approved_on"):
        if column in parcels:
            table[column] = parcels[column].to_numpy()
    if "compensation" in parcels:
        table["compensation_zh"] = parcels["compensation"].map(lambda m: COMPENSATION_MODES.get(m, "未定")).to_numpy()
    if by == "target":
        groups = {}
        for t in reserve.targets(layers):  # a handful of targets
            members = reserve.target_parcels(layers["parcels"], layers["events"], t)
            done = table["parcel_id"].map(members["done"].map({True: "是", False: ""}))
            groups[t.name] = table[table["parcel_id"].isin(members.index)].assign(done=done)
        if not groups:
            raise DataError("the project has no targets (储备目标); add the targets and target_parcels tables")
    else:
        key = "village" if by == "village" else "status_zh"
        order = list(PARCEL_STATUSES.values()) if by == "status" else sorted(table[key].unique())
        groups = {group: table[table[key] == group] for group in order}
    lists = {}
    for group, part in groups.items():
        part = part.sort_values("parcel_id")
        if not len(part):
            continue
        total_row = {"parcel_id": f"合计 {len(part)} 块", "stated_area_mu": sum_shown(part["stated_area_mu"])}
        total_row |= {"area_mu": sum_shown(part["area_mu"]), "area_m2": sum_shown(part["area_m2"])}
        part = pd.concat([part, pd.DataFrame([total_row])], ignore_index=True)
        lists[str(group)] = part[[c for c in _LIST_COLUMNS if c in part]].rename(columns=_LIST_COLUMNS)
    return lists


def parcel_lists_xlsx(lists: dict[str, pd.DataFrame], stamp: Stamp) -> bytes:
    """The parcel lists as a workbook, one sheet each (Excel's sheet names: 31 characters, no []:*?/\\)."""
    sheets: dict[str, pd.DataFrame] = {}
    about = say("sheet.about", "zh")
    used: set[str] = {about, "history"}  # the stamp's sheet, and a name Excel keeps for itself
    for name, df in lists.items():
        base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")[:31] or "_"
        title, n = base, 1
        while title.lower() in used:  # a counter that only goes up: always ends
            n += 1
            title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
        used.add(title.lower())
        sheets[title] = df
    sheets[about] = pd.DataFrame({about: stamp.text().split(" · ")})
    return workbook(sheets)
