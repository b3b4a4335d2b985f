"""Excel a finance office keeps (landkit.workbook): read back with openpyxl from `landkit export`'s
workbook and the pack's audit.xlsx: print setup, number formats, 是/否 not booleans, dates without
a time, a Chinese 说明 sheet, and a column the office added (``备 注``) kept."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import landkit
from landkit import report
from landkit.cli import main
from landkit.workbook import header_format, workbook

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _printable(book) -> None:
    """Every sheet: landscape, fit to one page wide (any number of pages down), header row on every page."""
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        # fitToWidth absent is 1, the file format's default (ECMA-376's CT_PageSetup): XlsxWriter leaves it out
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title


def _no_booleans_and_days_only(book) -> int:
    """No cell is a boolean; every date cell is shown as a day and holds midnight. Returns the dates seen."""
    dates = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "b" and not isinstance(cell.value, bool), (sheet.title, cell.coordinate)
                if cell.is_date:
                    dates += 1
                    assert cell.number_format == "yyyy-mm-dd", (sheet.title, cell.coordinate, cell.number_format)
                    assert cell.value.time() == datetime.time(0), (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):  # a date left as text with a time: 2026-03-26 00:00:00
                    assert not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", cell.value), cell.value
    return dates


def _about_is_chinese(book) -> None:
    about = list(book["说明"].iter_rows(values_only=True))
    assert about[0] == ("项目", "内容")
    items = dict(about[1:])
    assert all(CJK.search(k) for k in items), items
    assert "椭球面积" in items["面积口径"] and items["软件版本"].startswith("landkit ")
    assert "千分位" in items["金额"] and "万元" in items["金额"]
    assert not any("input " in str(v) or "ellipsoidal" in str(v) for v in items.values())  # the English stamp


def test_export_workbook_prints_formats_money_and_dates_and_keeps_the_offices_column(tmp_path, sample_layers):
    layers = dict(sample_layers)
    parcels = layers["parcels"].copy()
    parcels["备 注"] = None  # a column the office added, its header with a stray space
    parcels.loc["CB00001", "备 注"] = "待核 =1+1"
    layers["parcels"] = parcels
    project = tmp_path / "p.gpkg"
    landkit.write_project(layers, project)
    result = run("export", project, "-o", tmp_path / "e.xlsx")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    _printable(book)
    assert _no_booleans_and_days_only(book) > 100  # the sample's 征收日期 and 批复日期, as days
    _about_is_chinese(book)
    rows = {}
    for sheet in book.worksheets[:-1]:
        header = [c.value for c in sheet[1]]
        assert header[-1] == "备 注", header  # kept, headed as the office wrote it
        for row in sheet.iter_rows(min_row=2):
            rows[row[0].value] = dict(zip(header, row, strict=True))
        total = next(sheet.iter_rows(min_row=sheet.max_row))
        assert str(total[0].value).startswith("合计") and all(c.font.bold for c in total)
    note = rows["CB00001"]["备 注"]
    assert note.value == "待核 =1+1" and note.data_type == "s"
    assert rows["CB00001"]["实测面积(亩)"].number_format == "#,##0.00"
    acquired = next(r["征收日期"] for r in rows.values() if r["征收日期"].value is not None)
    assert acquired.is_date and acquired.number_format == "yyyy-mm-dd"


def test_money_yes_no_and_dates_by_column(tmp_path):
    """The issue's 30000000005 元: a number with thousands separators and 2 decimals; 万元 with 4;
    True/False as 是/否; a midnight datetime, or its text, as a day; a real time kept."""
    table = pd.DataFrame(
        {
            "项目": ["甲", "乙", "合计"],
            "投资额(元)": [30000000005, 1.5, 30000000006.5],
            "投资强度(万元/亩)": [332.14, 0.0001, None],
            "低于标准": [True, False, None],
            "征收日期": ["2026-03-26T00:00:00", "2026-03-26 00:00:00", "2026-02-30"],
            "登记时刻": [pd.Timestamp("2026-03-26"), pd.Timestamp("2026-03-26 08:30"), pd.NaT],
            "地块数": [3, 4, 7],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook({"表": table})))
    sheet = book["表"]
    _printable(book)
    money, wan = sheet["B2"], sheet["C2"]
    assert money.value == 30000000005 and money.number_format == "#,##0.00"
    assert wan.value == 332.14 and wan.number_format == "#,##0.0000"
    assert [c.value for c in sheet["D"]] == ["低于标准", "是", "否", None]  # None: empty
    assert [c.value for c in sheet["E"][1:3]] == [datetime.datetime(2026, 3, 26)] * 2
    assert all(c.number_format == "yyyy-mm-dd" for c in sheet["E"][1:3])
    assert sheet["E4"].value == "2026-02-30" and sheet["E4"].data_type == "s"  # not in the calendar: text
    assert sheet["F2"].number_format == "yyyy-mm-dd" and sheet["F3"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["F3"].value == datetime.datetime(2026, 3, 26, 8, 30)
    assert sheet["G2"].number_format == "#,##0"
    assert all(c.font.bold for c in sheet[4]) and not any(c.font.bold for c in sheet[3])
    english = openpyxl.load_workbook(io.BytesIO(workbook({"t": table[["低于标准"]]}, lang="en")))["t"]
    assert [c.value for c in english["A"]][1:3] == ["yes", "no"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("投资额(元)", "#,##0.00"),
        ("元/户", "#,##0.00"),
        ("已付（元）", "#,##0.00"),  # full-width brackets
        ("投资强度(万元/亩)", "#,##0.0000"),
        ("补偿(万元)", "#,##0.0000"),
        ("面积(km²)", "#,##0.0000"),
        ("面积(m²)", "#,##0.00"),
        ("01 耕地(亩)", "#,##0.00"),
        ("地块数", "#,##0"),
        ("(户)", "#,##0"),
        ("批次", None),
        ("项目", None),
        ("元(备注)", None),  # the unit is the last bracket's: 备注 names none
        ("total_yuan", "#,##0.00"),  # the English workbook's codes
        ("due_wan_yuan", "#,##0.0000"),
        ("area_km2", "#,##0.0000"),
        ("community", None),  # no unit hidden in a word (mu)
        ("paid (yuan)", "#,##0.00"),
    ],
)
def test_a_header_names_its_unit_and_gets_its_format(header, expected):
    assert header_format(header) == expected


def test_the_figures_sheet_formats_each_value_in_its_own_unit():
    figures = pd.DataFrame(
        {
            "指标": ["数据日期", "已征收地块数", "已征收登记面积", "应付补偿"],
            "数值": ["2026-11-15", 170, 1552.13, 593880],
            "单位": ["日期", "块", "亩", "元"],
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(workbook({"会议数字": figures})))["会议数字"]
    cells = [sheet.cell(r, 2) for r in range(2, 6)]
    assert cells[0].is_date and cells[0].number_format == "yyyy-mm-dd"
    assert [c.number_format for c in cells[1:]] == ["#,##0", "#,##0.00", "#,##0.00"]


def test_the_about_sheet_says_the_stamp_in_chinese_and_english():
    stamp = report.Stamp("D:/工程/鲁山.gpkg", "ab" * 32, "9.9", "ellipsoidal (CGCS2000 ellipsoid; equal-area)")
    zh = dict(report.about_sheet(stamp).itertuples(index=False))
    assert zh["数据来源（工程）"] == "D:/工程/鲁山.gpkg" and zh["文件校验码（SHA-256）"] == "ab" * 32
    assert zh["面积口径"].startswith("椭球面积")
    database = report.Stamp("postgresql://u:***@h/db", "cd" * 32, "9.9", "m", identity="content sha256")
    assert "内容校验码（SHA-256）" in dict(report.about_sheet(database).itertuples(index=False))
    en = report.about_sheet(stamp, "en")
    assert list(en.columns) == ["item", "value"] and not any(CJK.search(str(v)) for v in en["item"])


@pytest.mark.slow
def test_the_packs_workbook_prints_and_formats_money_dates_and_flags(tmp_path, sample_copy):
    assert run("report", sample_copy, "-o", tmp_path / "pack").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    _printable(book)
    assert _no_booleans_and_days_only(book) > 0
    _about_is_chinese(book)
    invest = list(book["投资强度与亩均产值"].iter_rows())
    header = [c.value for c in invest[0]]
    for row in invest[1:]:
        cell = dict(zip(header, row, strict=True))
        assert cell["投资额(元)"].number_format == "#,##0.00" and cell["年产值(元)"].number_format == "#,##0.00"
        assert cell["投资强度(万元/亩)"].number_format == "#,##0.0000"
        assert cell["低于投资强度标准"].value in ("是", "否")
    costs = list(book["补偿费用"].iter_rows())
    paid = [c.value for c in costs[0]].index("已付(元)")
    assert all(r[paid].number_format == "#,##0.00" for r in costs[1:])
    idle = list(book["闲置土地"].iter_rows())
    due = [c.value for c in idle[0]].index("约定开工日期")
    assert any(r[due].is_date for r in idle[1:]) and all(
        r[due].number_format == "yyyy-mm-dd" for r in idle[1:] if r[due].is_date
    )


def test_a_village_name_with_a_control_character_gives_a_workbook_that_opens(sample_copy, tmp_path):
    """A control character pasted into a village's name: no XML can hold it, in a cell or a sheet name."""
    import sqlite3

    from landkit.store import gpkg

    code = landkit.read_layer(sample_copy, "villages").index[0]
    with sqlite3.connect(sample_copy) as db:
        gpkg._register_functions(db)
        db.execute("UPDATE villages SET name = '大' || char(1) || '王庄村' WHERE village_code = ?", (code,))
    said = run("export", sample_copy, "-o", tmp_path / "lists.xlsx")
    assert said.exit_code == 0, said.output
    book = openpyxl.load_workbook(tmp_path / "lists.xlsx")  # parses: no raw control character anywhere
    (sheet,) = [name for name in book.sheetnames if code in name]
    assert "\x01" not in sheet and sheet.startswith("大_王庄村")
