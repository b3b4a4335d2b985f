"""Excel workbooks a planner and a finance office keep: one sheet per table, Chinese headers, bold
frozen header rows with filters, columns as wide as their content, number formats by column (money
with thousands separators, 元 to 2 decimals, 万元 to 4), 是/否, dates without a time, every sheet set
up to print (landscape, fit to width, header row repeated); no formula anywhere."""

from __future__ import annotations

import io as _io
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .i18n import columns
from .i18n import t as say

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


#: the unit a header names (its last bracket: "投资强度(万元/亩)", or the header itself: "元/户") and the
#: number format it gets: money in 元 with thousands separators and 2 decimals, in 万元 with 4, areas
#: to 2 decimals (km² and 公顷 to 4); the first word found wins (万元 before 元, km² before m²)
UNIT_FORMATS = (
    ("万元", "#,##0.0000"),
    ("元", "#,##0.00"),
    ("km²", "#,##0.0000"),
    ("公顷", "#,##0.0000"),
    ("m²", "#,##0.00"),
    ("亩", "#,##0.00"),
)
#: the same for a column's code (the English workbook's headers): total_yuan, due_wan_yuan, area_km2 …
CODE_FORMATS = (("_wan_yuan", "#,##0.0000"), ("_yuan", "#,##0.00"), ("_km2", "#,##0.0000"), ("_m2", "#,##0.00"),
                ("_mu", "#,##0.00"))  # fmt: skip
#: counted things: whole numbers with thousands separators (a header ending in 数, or a unit of these)
COUNT_UNITS = ("块", "户", "人", "条", "个", "处", "宗", "parcels", "households", "people", "items")
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
_UNIT = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
#: the characters XML 1.0 (and so XLSX) cannot hold: control characters but tab, line feed and return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?")


def header_format(header: str) -> str | None:
    """The number format a column's header asks for by the unit it names (see ``UNIT_FORMATS``)."""
    if found := next((fmt for end, fmt in CODE_FORMATS if header.endswith(end)), None):
        return found
    bracket = _UNIT.search(header)
    unit = bracket.group(1) if bracket else header
    if found := next((fmt for word, fmt in UNIT_FORMATS if word in unit), None):
        return found
    if unit.strip().lower() in ("yuan", "mu"):  # an English unit only as the whole bracket: "paid (yuan)"
        return "#,##0.00"
    return "#,##0" if header.endswith("数") or unit in COUNT_UNITS else None


def workbook(sheets: dict[str, pd.DataFrame], lang: str = "zh") -> bytes:
    """An XLSX workbook a finance office keeps: one sheet per table, Chinese headers, bold frozen header
    with filters, columns as wide as their content; money with thousands separators and 2 decimals
    (元) or 4 (万元), areas to 2 decimals, shares as %, counts whole (by column, see
    ``NUMBER_FORMATS`` and :func:`header_format`; a sheet with a 单位 column formats its 数值 row by
    row); 是/否 for yes/no; dates as dates without a time (a datetime at midnight, or its text, is a
    day); a bold 合计 row where the table has one; every sheet set up to print (landscape A4, fit to
    the page's width, the header row repeated on every page); no formula anywhere (text that starts
    with = is text, never a formula). Headers in Chinese, or as their English codes with
    ``lang="en"``. Missing values are empty cells. Written by XlsxWriter."""
    import xlsxwriter

    buffer = _io.BytesIO()
    # text is text: never a formula, a link or a number (OWASP, CSV/formula injection)
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    book.set_properties({"author": "landkit"})
    styles: dict[tuple, Any] = {}

    def style(fmt: str | None = None, bold: bool = False, head: bool = False):
        if (fmt, bold, head) not in styles:
            props: dict[str, Any] = {"num_format": fmt} if fmt else {}
            props |= {"bold": True} if bold or head else {}
            props |= {"pattern": 1, "bg_color": "#DDE4EE"} if head else {}
            styles[fmt, bold, head] = book.add_format(props) if props else None
        return styles[fmt, bold, head]

    headers: dict[Any, str] = columns.headers(lang)
    number_formats: dict[Any, str] = NUMBER_FORMATS
    words = {True: say("cli.yes", lang), False: say("xlsx.no", lang)}
    value_head, unit_head = say("figure.head.value", lang), say("figure.head.unit", lang)
    for name, df in sheets.items():
        sheet = book.add_worksheet(name)
        _print_setup(sheet)
        sheet.freeze_panes(1, 0)
        series = [df.iloc[:, k] for k in range(len(df.columns))]
        shown = [str(headers.get(c.name, c.name)) for c in series]
        for k, (column, head) in enumerate(zip(series, shown, strict=True)):
            texts = [head, *(_cell_text(v, words) for v in column.head(2000))]
            sheet.set_column(k, k, min(60, max(8, max(map(_width, texts)) + 2)))
        if len(df) and series:
            sheet.autofilter(0, 0, len(df), len(series) - 1)
        for k, head in enumerate([_excel_value(h, words)[0] for h in shown] or [None]):
            _write(sheet, 0, k, head, style(head=True))
        totals = [isinstance(v, str) and v.startswith(("合计", "total")) for v in series[0]] if series else []
        formats: list[Any] = [
            number_formats.get(c.name) or header_format(h) for c, h in zip(series, shown, strict=True)
        ]
        if value_head in shown and unit_head in shown:  # the figures' sheet: each row's value in its own unit
            units = series[shown.index(unit_head)].astype(str)
            formats[shown.index(value_head)] = [header_format(f"({u})") for u in units]
        values = [[_excel_value(v, words) for v in c.tolist()] for c in series]  # every cell: a file's worth
        for i, (total, row) in enumerate(zip(totals, zip(*values, strict=True), strict=True)):
            for k, (f, (v, fmt)) in enumerate(zip(formats, row, strict=True)):
                _write(sheet, i + 1, k, v, style(fmt or (f[i] if isinstance(f, list) else f), total))
    book.close()
    return buffer.getvalue()


def _print_setup(sheet) -> None:
    """Landscape A4, scaled to the page's width (as many pages down as it takes), the header row on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _write(sheet, row: int, col: int, value, fmt) -> None:
    """One cell, by its type (a value of :func:`_excel_value`); text is always text, "" an empty cell."""
    if isinstance(value, str):
        if value:
            sheet.write_string(row, col, value, fmt)
        else:
            sheet.write_blank(row, col, None, fmt)  # nothing written without a format
    elif value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, value, fmt)
    else:  # a date or a datetime
        sheet.write_datetime(row, col, value, fmt)


def _excel_value(value, words: dict[bool, str]) -> tuple[Any, str | None]:
    """A value as a finance office reads it in Excel, with its number format: Python numbers, yes/no
    in ``words`` (是/否), dates as days (a datetime at midnight, or the text of one, is a day), other
    datetimes, "" where missing, "inf" for infinity, text for anything else."""
    import datetime
    import math

    if isinstance(value, str):
        if (day := _ISO_DAY.fullmatch(value)) is not None:
            try:
                return datetime.date.fromisoformat(day.group(1)), DATE_FORMAT
            except ValueError:  # 2026-02-30: text as it is
                pass
        return _CONTROL.sub("\ufffd", value), None  # control characters pasted into an id: XLSX cannot store them
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "", None
    if isinstance(value, Decimal):
        return value, None
    if isinstance(value, bool | np.bool_):
        return words[bool(value)], None
    if isinstance(value, int | np.integer):
        return int(value), None
    if isinstance(value, float | np.floating):
        return (float(value) if math.isfinite(value) else "inf" if value > 0 else "-inf"), None
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date(), DATE_FORMAT
        return value, DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400, "0"
    return _CONTROL.sub("\ufffd", str(value)), None


def _cell_text(value, words: dict[bool, str]) -> str:
    if isinstance(value, bool | np.bool_):
        return words[bool(value)]
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None or value is pd.NaT else str(value)


def _width(text: str) -> int:
    """Columns in Excel's units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
