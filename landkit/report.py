"""The meeting pack: the audit as HTML and XLSX, progress charts, the maps, and a summary page.

Every file is stamped with the input's SHA-256, the landkit version and the area method, so
that a figure on a slide can be traced back to the file and the code that produced it.
Everything is built in memory here; :mod:`landkit.io` writes it.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .i18n import columns
from .i18n import t as say
from .tables import _figure, findings_table, targets_table, totals_tables
from .workbook import workbook

HEADERS_ZH = columns.HEADERS  # the Chinese headers by column code (landkit/i18n/columns.py)


@dataclass(frozen=True)
class Stamp:
    """What every file of the pack says about where its figures come from."""

    path: str
    sha256: str
    version: str
    area_method: str
    identity: str = "file sha256"  # a database has no file bytes: "content sha256"

    def text(self, lang: str | None = None) -> str:
        """The stamp line, in ``lang`` (else the run's language: ``LANDKIT_LANG``, else Chinese):
        ``数据来源 PATH · 文件 sha256 … · landkit 0.1.0 · 椭球面积（…）``."""
        kind = self.identity.split()[0]  # "file" or "content"
        return say(
            "stamp.line", lang, path=self.path, identity=say(f"stamp.identity.{kind}", lang), sha=self.sha256,
            version=self.version, method=columns.method_label(self.area_method, lang),
        )  # fmt: skip


def stamp_for(path: str | os.PathLike, layers: dict) -> Stamp:
    """The stamp of a project file: its path, the SHA-256 of its bytes, this landkit, the area method."""
    from . import __version__
    from .measure import area
    from .store import open_project

    method = area(layers["parcels"].iloc[:0]).attrs["area_method"] if "parcels" in layers else "n/a"
    # a file's path as the planner gave it (a share, %20, #), never a file:// address; a URL masked
    project = open_project(path)
    return Stamp(project.display(), project.sha256(), __version__, method, project.identity)


ZONE_HEADERS_ZH = columns.ZONE_HEADERS
method_label = columns.method_label


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


def _page(title: str, body: str, stamp: Stamp, lang: str | None = None) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}th{background:#eee}"
        ".stamp{color:#666;font-size:11px;margin-top:2em}"
    )
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="generator" content="landkit">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        f'<p class="stamp">{html.escape(stamp.text(lang))}</p></body></html>'
    )


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
    return _page(say("pack.audit_title", lang), body, stamp, lang)


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
    sheets[say("sheet.about", lang)] = about_sheet(stamp, lang)
    return workbook(sheets, lang)


def about_sheet(stamp: Stamp, lang: str = "zh") -> pd.DataFrame:
    """A workbook's 说明 sheet: where its figures come from (the stamp, in words) and how to read
    them (units and decimals of money and areas, dates, 是/否, 合计 rows, printing)."""
    import datetime

    rows = [
        ("about.input", stamp.path),
        (f"about.{stamp.identity}", stamp.sha256),
        ("about.software", f"landkit {stamp.version}"),
        ("about.area_method", columns.method_label(stamp.area_method, lang)),
        ("about.made", datetime.date.today().isoformat()),
        *(
            (f"about.{k}", say(f"about.{k}_rule", lang))
            for k in ("money", "areas", "dates", "flags", "totals", "print")
        ),
    ]
    return pd.DataFrame(
        [(say(k, lang), v) for k, v in rows], columns=[say("about.item", lang), say("about.value", lang)]
    )


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


def parcel_lists_xlsx(lists: dict[str, pd.DataFrame], stamp: Stamp, lang: str = "zh") -> bytes:
    """The parcel lists as a workbook, one sheet each (Excel's sheet names: 31 characters, no []:*?/\\
    nor control characters, which no XML file can hold)."""
    sheets: dict[str, pd.DataFrame] = {}
    about = say("sheet.about", lang)
    used: set[str] = {about, "history"}  # the stamp's sheet, and a name Excel keeps for itself
    for name, df in lists.items():
        base = "".join("_" if ch in "[]:*?/\\" or ord(ch) < 32 else ch for ch in name).strip("'")[:31] or "_"
        title, n = base, 1
        while title.lower() in used:  # a counter that only goes up: always ends
            n += 1
            title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
        used.add(title.lower())
        sheets[title] = df
    sheets[about] = about_sheet(stamp, lang)
    return workbook(sheets, lang)


#: what moved out of this module, by the module it lives in now: ``report.meeting_pack`` and the
#: like still work (notebooks and scripts use them); landkit's own code imports them from there
_MOVED = {
    "charts": ("progress_png", "relocation_png", "_chart", "_cjk_fonts"),
    "pack": ("meeting_pack", "pack_files", "pack_cards", "target_card", "index_html"),
    "period": ("as_of", "period_changes", "month_start", "changes_html", "_finding_keys", "_same_state"),
    "tables": (
        "zones_table", "target_lists", "relocation_tables", "land_tables", "village_names", "parcel_lists",
    ),
    "workbook": ("NUMBER_FORMATS",),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    import importlib

    for module, names in _MOVED.items():
        if name in names:
            return getattr(importlib.import_module(f".{module}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
