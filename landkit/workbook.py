"""Excel workbooks a planner keeps: one sheet per table, Chinese headers, bold frozen header rows
with filters, columns as wide as their content, number formats by column; no formula anywhere."""

from __future__ import annotations

import io as _io
from typing import Any

import numpy as np
import pandas as pd

from .i18n import columns

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
    is text, never a formula). Headers in Chinese, or as their English codes
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
