"""Names everywhere and batch files as planners save them (issue 28, item 6): villages by code, name
with or without 村, or pinyin in `record --village` and in `record --from`; the README's documented
headers (新状态 for villages too); errors citing the row as the spreadsheet numbers it (the header
is row 1); unknown headers refused by name, a stray space shown, with the headers there are.

The files are written as Excel and a Chinese Windows PC write them: XLSX through openpyxl, CSV in
GBK and in UTF-8 with a BOM. Row numbers are found by reading the file back with openpyxl or the
csv module, not from landkit."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main


def run(*args, lang: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


@pytest.fixture
def villages(sample_copy):
    """The sample's villages: code -> (name, status)."""
    layer = landkit.read_layer(sample_copy, "villages")
    return sample_copy, layer


def _xlsx(path, rows):
    """A workbook with ``rows`` from row 1, cell by cell (a row of None stays a blank row between)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def _csv(path, rows, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _relocation(path):
    return landkit.read_layer(path, "relocation_events")


def test_an_xlsx_of_villages_by_name_with_the_documented_headers(villages, tmp_path):
    """村名 with and without 村, pinyin, a code, and the README's 新状态 header: each row lands on its code."""
    path, layer = villages
    planned = layer.index[layer["relocation_status"] == "planned"]
    names = layer["name"]
    shen, chu, wei, zhu = "410423101023", "410423101020", "410423101021", "410423101025"
    assert {shen, chu, wei, zhu} <= set(planned)
    assert (names[shen], names[chu], names[wei], names[zhu]) == ("沈庄村", "褚庄村", "卫岗村", "朱营村")
    rows = [
        ["村名", "日期", "新状态", "文号", "备注"],
        ["沈庄", "2026-11-25", "已签协议", "鲁搬〔2026〕1号", "去掉“村”字"],
        ["褚庄村", "2026年11月25日", "已签协议", None, None],
        ["Weigang", "2026/11/25", "agreement_signed", None, "拼音"],
        [zhu, "2026-11-25", "已签协议", None, "村代码写在村名一列"],
    ]
    made = run("record", path, "--from", _xlsx(tmp_path / "本月搬迁.xlsx", rows))
    assert made.exit_code == 0, made.output
    assert "录入 4 条事件" in made.output
    events = _relocation(path).tail(4)
    assert list(events["village_code"]) == [shen, chu, wei, zhu]
    assert set(events["status"]) == {"agreement_signed"}
    now = landkit.read_layer(path, "villages")["relocation_status"]
    assert (now[[shen, chu, wei, zhu]] == "agreement_signed").all()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_csv_of_villages_with_the_documented_headers_in_gbk_and_utf8_bom(villages, tmp_path, encoding):
    """村代码, 日期, 新状态 (as the README documents for both ledgers), and both codes and names in one file."""
    path, layer = villages
    signed = layer.index[layer["relocation_status"] == "agreement_signed"][0]
    rows = [["村代码", "村名", "日期", "新状态", "备注"]]
    rows += [[signed, layer.at[signed, "name"], "2026-11-26", "已搬迁", "整村搬迁"]]
    made = run("record", path, "--from", _csv(tmp_path / "moves.csv", rows, encoding))
    assert made.exit_code == 0, made.output
    last = _relocation(path).iloc[-1]
    assert (last["village_code"], last["status"], last["note"]) == (signed, "moved", "整村搬迁")


def test_a_name_beside_a_code_must_name_the_same_village(villages, tmp_path):
    path, layer = villages
    before = path.read_bytes()
    signed = layer.index[layer["relocation_status"] == "agreement_signed"]
    rows = [["村代码", "村名", "日期", "新状态"], [signed[0], layer.at[signed[1], "name"], "2026-11-26", "已搬迁"]]
    made = run("record", path, "--from", _csv(tmp_path / "moves.csv", rows, "gbk"))
    assert made.exit_code == 2 and "Traceback" not in made.output
    assert layer.at[signed[1], "name"] in made.output and signed[0] in made.output and "不是同一个村" in made.output
    assert path.read_bytes() == before


def _row_of(book_path, value) -> int:
    """The row number Excel shows for the cell holding ``value``."""
    sheet = openpyxl.load_workbook(book_path).active
    return next(cell.row for row in sheet.iter_rows() for cell in row if cell.value == value)


def test_errors_cite_the_row_as_excel_numbers_it(sample_copy, tmp_path):
    """Bad rows after a blank row: each is cited by the number Excel shows beside it."""
    before = sample_copy.read_bytes()
    parcels = landkit.read_layer(sample_copy, "parcels")
    submitted = parcels.index[parcels["status"] == "submitted"][:2]
    rows = [
        ["地块编号", "日期", "新状态"],
        [submitted[0], "2026-11-25", "已批复"],
        [None, None, None],  # a row left blank between
        [submitted[1], "2026-13-01", "已批复"],
        ["NOPE-1", "2026-11-25", "已批复"],
    ]
    book = _xlsx(tmp_path / "报批.xlsx", rows)
    made = run("record", sample_copy, "--from", book)
    assert made.exit_code == 2 and "Traceback" not in made.output
    assert "3 条事件中有 2 条被拒绝" in made.output  # the blank row is not an event
    assert f"第 {_row_of(book, '2026-13-01')} 行：" in made.output and _row_of(book, "2026-13-01") == 4
    assert f"第 {_row_of(book, 'NOPE-1')} 行：" in made.output and _row_of(book, "NOPE-1") == 5
    assert "第 3 行" not in made.output  # one less, as before: the row a data-frame counts from 1
    english = run("record", sample_copy, "--from", book, lang="en")
    assert "row 4:" in english.output and "row 5:" in english.output
    assert sample_copy.read_bytes() == before


def test_errors_cite_csv_rows_as_excel_opens_them(sample_copy, tmp_path):
    parcels = landkit.read_layer(sample_copy, "parcels")
    submitted = parcels.index[parcels["status"] == "submitted"][0]
    rows = [["地块编号", "日期", "新状态"], [submitted, "2026-11-25", "已批复"], [submitted, "11/03/2026", "已入库"]]
    made = run("record", sample_copy, "--from", _csv(tmp_path / "batch.csv", rows, "gbk"))
    lines = list(csv.reader(io.StringIO((tmp_path / "batch.csv").read_bytes().decode("gbk"))))
    bad = next(i for i, row in enumerate(lines, start=1) if "11/03/2026" in row)  # Excel's row number
    assert made.exit_code == 2 and f"第 {bad} 行：" in made.output and bad == 3


@pytest.mark.parametrize(
    ("header", "shown", "fix"),
    [
        ("新状态 ", "C 列 '新状态 '", "应为 新状态"),  # a stray space after
        (" 新状态", "C 列 ' 新状态'", "应为 新状态"),  # and before
        ("新\u3000状态", "C 列 '新\\u3000状态'", "应为 新状态"),  # a full-width space inside, shown as its code
        ("新的状态", "C 列 '新的状态'", None),  # a word landkit does not know
    ],
)
def test_an_unknown_header_is_refused_by_name_with_the_headers_there_are(sample_copy, tmp_path, header, shown, fix):
    before = sample_copy.read_bytes()
    parcels = landkit.read_layer(sample_copy, "parcels")
    pid = parcels.index[parcels["status"] == "submitted"][0]
    book = _xlsx(tmp_path / "b.xlsx", [["地块编号", "日期", header], [pid, "2026-11-25", "已批复"]])
    made = run("record", sample_copy, "--from", book)
    assert made.exit_code == 2 and "Traceback" not in made.output, made.output
    assert shown in made.output and "日期/date" in made.output and "新状态" in made.output
    assert (fix in made.output) if fix else ("应为" not in made.output)
    assert len(made.output.strip().splitlines()) <= 2
    assert sample_copy.read_bytes() == before
    exact = _xlsx(tmp_path / "ok.xlsx", [["地块编号", "日期", "新状态"], [pid, "2026-11-25", "已批复"]])
    assert run("record", sample_copy, "--from", exact).exit_code == 0  # the header as documented: accepted


def test_a_spaced_remark_column_is_refused_not_dropped(villages, tmp_path):
    """备 注 (issue 28: dropped silently before): refused, with its column letter, in both languages."""
    path, layer = villages
    before = path.read_bytes()
    planned = layer.index[layer["relocation_status"] == "planned"][0]
    rows = [["序号", "村代码", "日期", "新状态", "备 注"], [1, planned, "2026-11-25", "已签协议", "协议已签"]]
    book = _xlsx(tmp_path / "v.xlsx", rows)
    made = run("record", path, "--from", book)
    assert made.exit_code == 2 and "E 列 '备 注'（多了空格，应为 备注）" in made.output
    english = run("record", path, "--from", book, lang="en")
    assert "column E '备 注' (a stray space: write 备注)" in english.output
    assert path.read_bytes() == before


def test_a_column_without_a_header_is_refused_only_when_it_holds_values(sample_copy, tmp_path):
    parcels = landkit.read_layer(sample_copy, "parcels")
    pids = parcels.index[parcels["status"] == "submitted"][:2]
    empty = _xlsx(tmp_path / "e.xlsx", [["地块编号", "日期", "新状态", None], [pids[0], "2026-11-25", "已批复", None]])
    assert run("record", sample_copy, "--from", empty).exit_code == 0
    full = _xlsx(tmp_path / "f.xlsx", [["地块编号", "日期", "新状态", None], [pids[1], "2026-11-25", "已批复", "x"]])
    made = run("record", sample_copy, "--from", full)
    assert made.exit_code == 2 and "D 列 （空表头，下面却有内容）" in made.output


@pytest.mark.parametrize("typed", ["褚庄", "褚庄村", "Chuzhuang", "chu zhuang", "410423101020"])
def test_record_village_takes_a_code_a_name_or_pinyin(villages, typed):
    path, _ = villages
    made = run("record", path, typed, "已签协议", "--village", "--date", "2026-11-25")
    assert made.exit_code == 0, made.output
    assert _relocation(path).iloc[-1]["village_code"] == "410423101020"


def test_pinyin_that_two_villages_share_is_refused_with_both(villages):
    """申庄村 and 沈庄村 are both Shenzhuang: the pinyin names two, the characters one."""
    path, _ = villages
    before = path.read_bytes()
    two = run("record", path, "Shenzhuang", "已签协议", "--village", "--date", "2026-11-25")
    assert two.exit_code == 2 and "410423101005 (申庄村)" in two.output and "410423101023 (沈庄村)" in two.output
    assert path.read_bytes() == before
    assert run("record", path, "沈庄", "已签协议", "--village", "--date", "2026-11-25").exit_code == 0


def test_record_village_refuses_a_name_that_names_none_or_two(villages):
    path, layer = villages
    before = path.read_bytes()
    none = run("record", path, "庄", "已签协议", "--village", "--date", "2026-11-25")
    assert none.exit_code == 2 and "既不是村代码，也不是村名" in none.output
    assert "410423101001 (大王庄村)" in none.output
    renamed = layer.copy()
    renamed.loc["410423101024", "name"] = "沈庄社区"  # 沈庄 now names two: 沈庄村 and 沈庄社区
    landkit.write_layer(renamed, path, "villages", overwrite=True)
    before = path.read_bytes()
    two = run("record", path, "沈庄", "已签协议", "--village", "--date", "2026-11-25")
    assert two.exit_code == 2 and "410423101023 (沈庄村)" in two.output and "410423101024 (沈庄社区)" in two.output
    assert path.read_bytes() == before
