"""The meeting pack: every file written and stamped, the XLSX agrees with the JSON, HTML escaped."""

import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import landkit
from benchmarks.browser import visit
from landkit import maps, report
from landkit.cli import main
from landkit.schema import PARCEL_STATUSES
from tests.geodesy import geodesic_area_m2

XSS = "<img src=x onerror=alert(1)>"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_report_writes_the_pack_stamped(tmp_path, sample_copy):
    result = run("report", sample_copy, "-o", tmp_path / "pack")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert names == [
        "audit.html", "audit.xlsx", "changes.html", "community-HY.html", "community-LF.html", "figures.json",
        "index.html", "progress.png", "project-findings.gpkg", "project.gpkg", "project.qgz", "relocation.png",
        "zone-A3.pdf",
        "zone.html",
    ]  # fmt: skip
    sha = json.loads(run("audit", sample_copy, "--format", "json").stdout)["input"]["sha256"]
    for name in ("audit.html", "index.html", "zone.html", "community-LF.html"):
        text = (tmp_path / "pack" / name).read_text(encoding="utf-8")
        # the stamp in the run's language, Chinese (tests/test_stamp_lang.py has both languages)
        assert f"文件 sha256 {sha}" in text and f"landkit {landkit.__version__}" in text and "椭球面积" in text
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    assert any(sha in str(c.value) for row in book["说明"].iter_rows() for c in row)
    assert (tmp_path / "pack" / "progress.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_the_pack_shows_relocation_and_a_dashboard(tmp_path, sample_copy, sample_layers):
    from landkit.relocation import village_status

    assert run("report", sample_copy, "-o", tmp_path / "pack").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    rows = list(book["搬迁进度"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    villages = sample_layers["villages"]
    status = village_status(villages, sample_layers["relocation_events"])
    moved = int(villages.loc[status.isin(["moved", "demolished"]), "households"].sum())
    assert len(body) == len(villages)
    households, state = header.index("户数"), header.index("搬迁状态")
    assert sum(r[households] for r in body if r[state] in ("已搬迁", "已拆除")) == moved > 0
    capacity = {r[0]: r for r in book["安置容量"].iter_rows(min_row=2, values_only=True)}
    for cid, com in sample_layers["communities"].iterrows():
        people = int(villages.loc[villages["target_community"] == cid, "population"].sum())
        assert capacity[com["name"]][1:3] == (people, int(com["capacity_people"]))
    batches = {r[0]: r for r in book["按批次"].iter_rows(values_only=True)}
    head = batches["批次"]
    signed = status.isin(["agreement_signed", "moved", "demolished"])
    for b, mine in villages.groupby("batch"):
        row = batches[f"第{b}批"]
        assert row[head.index("已签协议户数")] == int(mine.loc[signed[mine.index], "households"].sum())
        assert row[head.index("已拆除人口")] == int(mine.loc[status[mine.index] == "demolished", "population"].sum())
    assert batches["合计"][head.index("已搬迁户数")] == moved
    index = re.sub(r"<data [^>]*>|</data>", "", (tmp_path / "pack" / "index.html").read_text(encoding="utf-8"))
    total = int(villages["households"].sum())
    lf = sample_layers["communities"].loc["LF"]
    people = int(villages.loc[villages["target_community"] == "LF", "population"].sum())
    assert f"{lf['name']}规划安置（非已入住）" in index and f"{people:,} / {int(lf['capacity_people']):,} 人" in index
    assert f"{moved:,} / {total:,} 户" in index and 'class="card"' in index and 'src="relocation.png"' in index
    assert "2026年度报批任务" in index and "S-reserve" not in index and " error" not in index
    last = sample_layers["events"].sort_values("date", kind="stable").groupby("parcel_id")["status"].last()
    reserved = sample_layers["parcels"].loc[last[last == "reserved"].index, "stated_area_mu"].sum()
    assert f"{reserved:,.2f} / 7,700.00 亩" in index  # the stock card: done / target, from the ledger


def test_xlsx_totals_equal_the_json_totals(tmp_path, sample_copy):
    out = json.loads(run("audit", sample_copy, "--format", "json").stdout)
    assert run("audit", sample_copy, "--format", "xlsx", "-o", tmp_path / "a.xlsx").exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames[:3] == ["问题", "按状态", "图层"]
    rows = list(book["按状态"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("状态", "要素数", "登记面积(亩)", "实测面积(m²)", "实测面积(亩)")  # each area says which
    by_status = {r[0]: r for r in body}
    for status, t in out["totals"]["parcels_by_status"].items():
        assert by_status[PARCEL_STATUSES[status]][1:5] == (t["count"], t["stated_mu"], t["area_m2"], t["area_mu"])
    total = by_status["合计"]
    assert total[4] == out["totals"]["layers"]["parcels"]["area_mu"]
    assert round(sum(r[4] for r in body if r[0] != "合计"), 2) == total[4]
    assert len(list(book["问题"].iter_rows())) - 1 == len(out["findings"])


def test_the_workbook_holds_what_pandas_would_write(tmp_path):
    """Streamed row by row, the cells are those pandas writes (numbers, missing values as empty,
    infinity as text, lists as their text), except what a finance office reads otherwise: yes/no
    for True/False, a day for a datetime at midnight; text that starts with = stays text."""
    import datetime

    import numpy as np

    table = pd.DataFrame(
        {
            "parcel_id": ['=HYPERLINK("x")', None, "合计 2 块"],
            "area_mu": [1.5, np.nan, np.inf],
            "due": [pd.Timestamp("2026-01-02"), pd.NaT, pd.Timestamp("2026-03-04 05:06")],
            "day": [datetime.date(2026, 1, 1), None, datetime.date(2026, 2, 2)],
            "done": [True, False, None],
            "count": pd.array([1, None, 3], dtype="Int64"),
            "ids": [["a", "b"], "c", 3],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(report.workbook({"t": table}, lang="en")))["t"]
    table.to_excel(tmp_path / "pandas.xlsx", sheet_name="t", index=False)
    plain = openpyxl.load_workbook(tmp_path / "pandas.xlsx")["t"]
    ours, theirs = list(book.iter_rows(values_only=True)), list(plain.iter_rows(values_only=True))
    assert [r[:2] + r[3:4] + r[5:] for r in ours] == [r[:2] + r[3:4] + r[5:] for r in theirs]
    assert [r[4] for r in ours] == ["done", "yes", "no", None] and [r[4] for r in theirs][1:3] == [True, False]
    assert [r[2] for r in ours] == [r[2] for r in theirs]  # the same instants …
    assert book["C2"].number_format == "yyyy-mm-dd" and book["C4"].number_format == "yyyy-mm-dd hh:mm:ss"  # … shown so
    assert book["A2"].data_type == "s" and plain["A2"].data_type == "f"  # pandas would write a formula
    assert [c.font.bold for c in book[4]] == [True] * 7 and not any(c.font.bold for c in book[2])
    assert book["B2"].number_format == "#,##0.00" and book["D2"].is_date and book["C2"].is_date
    assert book.auto_filter.ref == "A1:G4" and book.freeze_panes == "A2"


def test_the_workbook_opens_formatted(tmp_path, sample_copy, sample_layers):
    assert run("audit", sample_copy, "--format", "xlsx", "-o", tmp_path / "a.xlsx").exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["按状态"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert all(c.font.bold for c in sheet[1]) and all(c.font.bold for c in sheet[sheet.max_row])  # the 合计 row
    assert not any(c.font.bold for c in sheet[2])
    header = [c.value for c in sheet[1]]
    area = header.index("实测面积(亩)") + 1
    assert sheet.cell(2, area).number_format == "#,##0.00" and isinstance(sheet.cell(2, area).value, float)
    assert sheet.column_dimensions["A"].width >= len("合计 total")
    findings = book["问题"]
    message = [c.value for c in findings[1]].index("说明") + 1
    widest = max(len(str(c.value)) for (c,) in findings.iter_rows(min_row=2, min_col=message, max_col=message))
    assert findings.column_dimensions[openpyxl.utils.get_column_letter(message)].width >= min(60, widest)
    layers = {r[0]: r for r in book["图层"].iter_rows(min_row=2, values_only=True)}
    zones = sample_layers["planning_zones"]
    latest = zones.loc[[zones["version"].idxmax()]]
    area_mu = [c.value for c in book["图层"][1]].index("面积(亩)")
    by_hand = geodesic_area_m2(latest)[0] / (10000 / 15)  # Karney's area of the latest version only
    assert layers["规划范围"][area_mu] == pytest.approx(by_hand, abs=0.006)  # not the nested sum
    assert not any(str(r[0]).startswith("合计") for r in layers.values())  # layers do not add up


def test_xlsx_needs_an_output_file(sample_copy):
    result = run("audit", sample_copy, "--format", "xlsx")
    assert result.exit_code == 2 and "-o" in result.output


def test_html_report_escapes_attribute_values_in_a_browser(tmp_path, sample_layers, chromium):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["parcels"] = layers["parcels"].rename(index={"CB00648": XSS})  # the mismatch parcel gets the payload
    layers["events"]["parcel_id"] = layers["events"]["parcel_id"].replace({"CB00648": XSS})
    path = tmp_path / "xss.gpkg"
    landkit.write_project(layers, path)
    assert run("audit", path, "--format", "html", "-o", tmp_path / "audit.html").exit_code == 1
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    html_map = maps.save_map(maps.zone_map(layers), tmp_path / "zone.html")
    v = visit(chromium, html_map)
    assert v.dialogs == [] and v.page.eval_on_selector_all('img[src="x"]', "e => e.length") == 0
    page, dialogs = chromium.new_page(), []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((tmp_path / "audit.html").as_uri())
    assert dialogs == [] and page.eval_on_selector_all('img[src="x"]', "e => e.length") == 0
    assert XSS in page.inner_text("body")  # shown as text


def test_the_same_figure_is_the_same_everywhere(sample_copy, sample_layers):
    def run(*args):  # in English: the areas' CSV with its columns' names
        return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": "en"})

    progress = json.loads(run("progress", sample_copy, "--format", "json").stdout)
    audited = json.loads(run("audit", sample_copy, "--format", "json").stdout)
    by_status = {r["status"]: r["measured_mu"] for r in progress["status_totals"]}
    assert by_status == {s: v["area_mu"] for s, v in audited["totals"]["parcels_by_status"].items()}
    assert round(sum(by_status.values()), 2) == audited["totals"]["layers"]["parcels"]["area_mu"]
    csv = pd.read_csv(io.StringIO(run("areas", sample_copy, "--format", "csv").stdout), dtype={"parcel_id": str})
    csv = csv[csv["parcel_id"].str.startswith("CB")].set_index("parcel_id")
    on_map = maps._measured(sample_layers["parcels"])
    assert (csv["area_mu"] == on_map.loc[csv.index, "_mu"]).all()
    assert (csv["area_m2"] == on_map.loc[csv.index, "_m2"]).all()
    assert round(csv["area_mu"].sum(), 2) == audited["totals"]["layers"]["parcels"]["area_mu"]


def test_export_writes_parcel_lists_by_village_and_status(tmp_path, sample_copy, sample_layers):
    audited = json.loads(run("audit", sample_copy, "--format", "json").stdout)
    assert run("export", sample_copy, "-o", tmp_path / "v.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "v.xlsx")
    villages = sample_layers["villages"]["name"]
    assert {n.split(" ")[0] for n in book.sheetnames if n != "说明"} >= set(
        villages[villages.index.isin(sample_layers["parcels"]["village_code"])]
    )
    totals, ids = 0.0, []
    for name in book.sheetnames[:-1]:
        rows = list(book[name].iter_rows(values_only=True))
        header, body, total = rows[0], rows[1:-1], rows[-1]
        mu = header.index("实测面积(亩)")
        assert total[0] == f"合计 {len(body)} 块" and total[mu] == round(sum(r[mu] for r in body), 2)
        totals += total[mu]
        ids += [r[0] for r in body]
    assert sorted(ids) == sorted(sample_layers["parcels"].index)
    assert round(totals, 2) == audited["totals"]["layers"]["parcels"]["area_mu"]
    assert run("export", sample_copy, "-o", tmp_path / "s.csv", "--by", "status").exit_code == 0
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "已入库".encode() in raw  # BOM for Excel, statuses in Chinese
    assert run("export", sample_copy, "-o", tmp_path / "x.docx").exit_code == 2


@pytest.mark.slow
def test_a_pack_without_villages_leaves_out_what_needs_them(tmp_path, sample_layers):
    layers = {k: v for k, v in sample_layers.items() if k not in ("villages", "relocation_events")}
    landkit.write_project(layers, tmp_path / "p.gpkg")
    result = run("report", tmp_path / "p.gpkg", "-o", tmp_path / "pack")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert names == [
        "audit.html",
        "audit.xlsx",
        "changes.html",
        "figures.json",
        "index.html",
        "progress.png",
        "project-findings.gpkg",
        "project.gpkg",
        "project.qgz",
        "zone-A3.pdf",
        "zone.html",
    ]
    one = run("map", tmp_path / "p.gpkg", "--community", "LF", "-o", tmp_path / "lf.html")
    assert one.exit_code == 2 and "villages" in one.output


@pytest.mark.slow
def test_report_as_of_rebuilds_last_months_figures(tmp_path, sample_copy, sample_layers):
    from landkit import reserve

    assert run("report", sample_copy, "-o", tmp_path / "pack", "--as-of", "2026-10-31").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    rows = list(book["目标进度"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    shown = {r[header.index("目标")]: r[header.index("完成(亩)")] for r in body}
    goals = reserve.targets(sample_layers)
    then = reserve.progress(sample_layers["parcels"], sample_layers["events"], goals, as_of="2026-10-31")
    assert shown == dict(zip(then["name"], then["done_mu"], strict=True))
    last = sample_layers["events"][sample_layers["events"]["date"] <= "2026-10-31"]
    last = last.sort_values("date", kind="stable").groupby("parcel_id")["status"].last()
    reserved = sample_layers["parcels"].loc[last[last == "reserved"].index, "stated_area_mu"]
    assert shown["储备库存"] == round(reserved.sum(), 2)
    by_status = {r[0]: r[1] for r in book["按状态"].iter_rows(min_row=2, values_only=True)}
    counts = reserve.state_as_of(sample_layers["events"], "2026-10-31").value_counts()
    assert {PARCEL_STATUSES[s]: n for s, n in counts.items()} == {k: v for k, v in by_status.items() if k != "合计"}
    assert "2026-10-31" in (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")


def test_export_sheet_names_always_end_unique_and_never_take_the_stamps_sheet(tmp_path, sample_layers):
    from landkit import report

    names = ["A" * 31, "A" * 28 + "_2", "a" * 31, "说明", "'q'", "History"]
    lists = {name: pd.DataFrame({"a": [1]}) for name in names}
    stamp = report.Stamp("p", "x", "0", "m")
    book = openpyxl.load_workbook(io.BytesIO(report.parcel_lists_xlsx(lists, stamp)))
    names = book.sheetnames
    assert len(names) == 7 and len({n.lower() for n in names}) == 7 and names[-1] == "说明"
    assert list(book["说明"].iter_rows(values_only=True))[1] == ("数据来源（工程）", "p")
    assert not any(n.startswith("'") or n.lower() == "history" for n in names)


def test_a_village_without_a_batch_is_a_finding_not_a_crash(tmp_path, sample_layers):
    layers = dict(sample_layers)
    layers["villages"] = sample_layers["villages"].copy()
    layers["villages"].iloc[0, layers["villages"].columns.get_loc("batch")] = None
    landkit.write_project(layers, tmp_path / "p.gpkg")
    result = run("audit", tmp_path / "p.gpkg", "--quiet")
    assert result.exit_code == 1 and "batch" in result.output


@pytest.mark.slow
def test_the_pack_has_a_page_of_what_changed_this_month(tmp_path, sample_copy, sample_layers):
    """The 本月变化 page covers the month before the data's date: the parcels on it are exactly those
    whose last status differs between the two ends, computed here from the events."""
    assert run("report", sample_copy, "-o", tmp_path / "pack").exit_code == 0
    page = (tmp_path / "pack" / "changes.html").read_text(encoding="utf-8")
    page = re.sub(r"<data [^>]*>|</data>", "", page)  # its counts are tagged figures
    events = sample_layers["events"].sort_values("date", kind="stable")
    latest = events["date"].max()
    since = (latest - pd.offsets.MonthEnd(1)).normalize()
    assert since.month == (latest.month - 2) % 12 + 1 and since.is_month_end
    before = events[events["date"] <= since].groupby("parcel_id")["status"].last()
    after = events.groupby("parcel_id")["status"].last()
    moved = [p for p in after.index if before.get(p) != after[p]]
    assert f"{since.date()} → {latest.date()}" in page and f"{len(moved)} 块地状态变化" in page
    assert all(f"<td>{p}</td>" in page for p in moved)
    index = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    assert 'href="changes.html"' in index and f"{len(moved)} 块" in index


@pytest.mark.slow
def test_findings_new_in_a_period_are_those_the_project_did_not_have_at_its_start(sample_layers):
    """The overlap CB01662/CB01591 is planted; put CB01662 on the ledger only in November and the
    overlap is new in November, while nothing found at the start of the month has gone."""
    from landkit import report

    layers = dict(sample_layers)
    events = sample_layers["events"].copy()
    mine = events["parcel_id"] == "CB01662"
    events.loc[mine, "date"] = pd.Timestamp("2026-11-10")
    layers["events"] = events
    found = report.period_changes(layers, "2026-10-31", "2026-11-15")
    new = {tuple(sorted(ids)) for ids in found["new_findings"]["ids"]}
    assert ("CB01591", "CB01662") in new and found["resolved_findings"].empty
    same = report.period_changes(sample_layers, "2026-10-31", "2026-11-15")
    assert ("CB01591", "CB01662") not in {tuple(sorted(i)) for i in same["new_findings"]["ids"]}
    text = CliRunner().invoke(main, ["changes", str(landkit.SAMPLE_PATH), "--since", "2026-12-01"])
    assert text.exit_code == 0 and "0 条事件" in text.output  # a period after the data: empty, not an error


def test_an_english_workbook_has_english_sheets_and_headers(tmp_path, sample_copy):
    assert run("audit", sample_copy, "--format", "xlsx", "--lang", "en", "-o", tmp_path / "a.xlsx").exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["findings", "by status", "layers", "about"]
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert not any(any(ord(ch) > 0x2E80 for ch in str(h)) for h in header), (sheet.title, header)
    statuses = [r[0] for r in book["by status"].iter_rows(min_row=2, values_only=True)]
    assert "reserved" in statuses and statuses[-1] == "total"


def _sheet(book, name) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.slow
def test_an_as_of_pack_keeps_each_tasks_whole_target_idles_by_the_rules_and_labels_layers_as_layers(
    tmp_path, sample_copy, sample_layers
):
    """In June the 2026 tasks' parcels are not all on the ledger yet: the task is still all of them
    (only what is done follows the date); land is idle after the rules' 200 days, as the audit
    says; the 图层 sheet names the 三区三线 layers, not the rules about them."""
    rules = tmp_path / "rules.toml"
    rules.write_text("[idle_land]\ndays = 200\n", encoding="utf-8")
    result = run("report", sample_copy, "-o", tmp_path / "pack", "--as-of", "2026-06-30", "--rules", rules)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    parcels, events, members = (sample_layers[n] for n in ("parcels", "events", "target_parcels"))
    on_ledger = set(events.loc[events["date"] <= "2026-06-30", "parcel_id"])
    targets = {r["目标"]: r for r in _sheet(book, "目标进度")}
    for tid, name in (("T-approval", "2026年度报批任务"), ("T-acquisition", "2026年度征收任务")):
        ids = members.loc[members["target_id"] == tid, "parcel_id"]
        assert not set(ids) <= on_ledger  # the case: some of the task's parcels are not on the ledger yet
        stated = parcels.loc[ids, "stated_area_mu"]
        assert targets[name]["目标(亩)"] == pytest.approx(round(stated.sum(), 2), abs=1e-9)
        assert targets[name]["地块数"] == len(ids)
        listed = [r for r in _sheet(book, "目标地块") if r["目标"] == name]
        assert sorted(r["地块编号"] for r in listed) == sorted(ids)
    day = events.loc[events["date"] <= "2026-06-30", "date"].max()
    last = events[events["date"] <= day].sort_values("date", kind="stable").groupby("parcel_id")["status"].last()
    supplied = last.reindex(parcels.index).isin(["transferred", "allocated"])

    def idle(days):
        due = parcels["start_due_on"] + pd.Timedelta(days=days)
        late = parcels["started_on"].isna() | (parcels["started_on"] > due)
        return set(parcels.index[supplied & (due < day) & late])

    assert len(idle(200)) > len(idle(365)) > 0  # the setting changes the answer here
    assert {r["地块编号"] for r in _sheet(book, "闲置土地")} == idle(200)
    layers = [r["图层"] for r in _sheet(book, "图层")]
    assert {"永久基本农田", "生态保护红线", "城镇开发边界", "现状地类", "建筑物", "征地区片"} <= set(layers)
    assert not {"占用永久基本农田", "占用生态保护红线", "超出城镇开发边界"} & set(layers)


def test_layers_are_labelled_as_layers_in_either_language():
    from landkit import report

    row = {"count": 1, "not_measured": 0, "area_m2": 1.0, "area_mu": 0.0}
    names = ("basic_farmland", "eco_redline", "urban_boundary", "parcels")
    totals = {"layers": dict.fromkeys(names, row), "parcels_by_status": {}}
    zh, _ = report.totals_tables(totals, "zh")
    assert zh["layer"].tolist() == ["永久基本农田", "生态保护红线", "城镇开发边界", "储备地块"]
    en, _ = report.totals_tables(totals, "en")
    assert en["layer"].tolist() == ["basic_farmland", "eco_redline", "urban_boundary", "parcels"]


def test_the_pack_audits_the_end_of_its_period_once_and_only_when_it_is_the_project_as_it_stands(
    sample_layers, monkeypatch
):
    """Compute once: the pack's own audit is the end of 本月变化 when the project on the data date
    is the project as it stands; otherwise (a status the ledger does not give) the end is audited
    as it stood, and the two ways agree where they may."""
    from landkit import audit, reserve

    day = reserve.data_date(sample_layers["events"])
    since = report.month_start(day)
    findings = audit.audit(sample_layers)
    real, calls = audit.audit, []
    monkeypatch.setattr(audit, "audit", lambda layers, **kw: calls.append(len(layers["parcels"])) or real(layers, **kw))
    reused = report.period_changes(sample_layers, since, day, now=findings)
    assert len(calls) == 1  # the start of the period only
    fresh = report.period_changes(sample_layers, since, day)
    assert len(calls) == 3
    for key in ("new_findings", "resolved_findings"):
        assert sorted(report._finding_keys(reused[key])) == sorted(report._finding_keys(fresh[key]))
    # a parcel whose layer status is not the ledger's: the project as it stands is another state
    drifted = dict(sample_layers)
    pid = sample_layers["parcels"].index[0]
    other = next(s for s in landkit.PARCEL_STATUSES if s != sample_layers["parcels"].at[pid, "status"])
    drifted["parcels"] = sample_layers["parcels"].assign(status=lambda p: p["status"].where(p.index != pid, other))
    calls.clear()
    report.period_changes(drifted, since, day, now=audit.audit(drifted))
    assert len(calls) == 3  # its own audit, then both ends of the period


def test_a_month_with_events_finds_what_a_full_audit_of_each_end_finds(sample_layers):
    """In the sample's last month parcels changed status and entered the ledger: 本月变化's new and
    resolved findings are, row for row, those of a full audit of the project at each end."""
    from landkit import audit, reserve

    day = reserve.data_date(sample_layers["events"])
    since = report.month_start(day)
    start, end = report.as_of(sample_layers, since), report.as_of(sample_layers, day)
    assert (sample_layers["events"]["date"] > since).sum() > 0 and len(start["parcels"]) < len(end["parcels"])
    then, now = audit.audit(start), audit.audit(end)
    then_keys, now_keys = report._finding_keys(then), report._finding_keys(now)
    new, gone = now[~now_keys.isin(set(then_keys))], then[~then_keys.isin(set(now_keys))]
    assert len(new) or len(gone)  # the month changed what the audit finds
    for given in (None, audit.audit(sample_layers)):
        found = report.period_changes(sample_layers, since, day, now=given)
        pd.testing.assert_frame_equal(found["new_findings"], new)
        pd.testing.assert_frame_equal(found["resolved_findings"], gone)


def test_a_period_in_which_nothing_was_recorded_is_not_audited_again(sample_layers, monkeypatch):
    """No event in the period: the project at its start is the project at its end, so is its audit
    (nothing new, nothing resolved), and it is not run a second time."""
    from landkit import audit, reserve

    day = pd.Timestamp(reserve.data_date(sample_layers["events"]))
    later = day + pd.Timedelta(days=20)
    start, end = report.as_of(sample_layers, day), report.as_of(sample_layers, later)
    assert report._finding_keys(audit.audit(start)).tolist() == report._finding_keys(audit.audit(end)).tolist()
    findings = audit.audit(sample_layers)
    real, calls = audit.audit, []
    monkeypatch.setattr(audit, "audit", lambda layers, **kw: calls.append(len(layers["parcels"])) or real(layers, **kw))
    found = report.period_changes(sample_layers, day, later, now=findings)
    assert calls == [] and found["new_findings"].empty and found["resolved_findings"].empty
    assert report.period_changes(sample_layers, day, later)["resolved_findings"].empty and len(calls) == 1
    moved = dict(sample_layers)  # a village moved in the period, and nothing else: its start is audited
    rows = sample_layers["relocation_events"]
    moved["relocation_events"] = rows.assign(date=rows["date"].where(rows.index != rows["date"].idxmax(), later))
    calls.clear()
    report.period_changes(moved, day, later, now=findings)
    assert len(calls) == 1  # the start; the end is the project as it stands


def test_the_pack_computes_the_conflicts_once_per_state_and_draws_what_the_audit_found(sample_layers, monkeypatch):
    """One computation of 三区三线 conflicts for the project as it stands (the audit's, kept); the
    start of 本月变化 takes each of its parcels' conflicts from it, as their geometry is the same
    (landkit.reuse; tests/test_reuse.py checks them against a fresh audit); the map, the QGIS
    layers and the workbook show those same parts."""
    from landkit import audit, constraints, qgis
    from landkit.i18n import t

    real, calls = constraints.conflicts, []
    monkeypatch.setattr(constraints, "conflicts", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    real_zones, zone_calls = constraints.zone_conflicts, []
    monkeypatch.setattr(constraints, "zone_conflicts", lambda *a, **kw: zone_calls.append(1) or real_zones(*a, **kw))
    files = report.meeting_pack(sample_layers, landkit.SAMPLE_PATH)
    assert len(calls) == 1 and len(zone_calls) == 1  # now (kept); the period's start reuses them
    kept: dict = {}
    audit.audit(sample_layers, keep=kept)
    expected = real(constraints._usable(sample_layers["parcels"]), sample_layers)  # the same parts, computed apart
    ids = {k: sorted(v.index) for k, v in expected.items()}
    assert {k: sorted(v.index) for k, v in kept["conflicts"].items()} == ids
    layers = qgis.audit_layers(sample_layers, findings=audit.audit(sample_layers), conflicts=kept["conflicts"])
    drawn = layers["conflicts"].groupby("constraint")["area_m2"].sum().sort_index()
    counted = {t(f"map.{k}", "zh"): v["area_m2"].sum() for k, v in expected.items() if len(v)}
    assert drawn.to_dict() == pytest.approx(counted)
    assert "三区三线冲突" in openpyxl.load_workbook(io.BytesIO(files["audit.xlsx"])).sheetnames


def test_the_audit_json_contract_names_every_rule_the_audit_has():
    """A rule added to the audit (lineage, digitising_overlap …) is in the published JSON contract,
    else a finding of it fails validation in a script that checks the contract."""
    import importlib.resources
    import json

    from landkit.schema import RULES

    contract = json.loads(importlib.resources.files("landkit").joinpath("schemas/audit.schema.json").read_text("utf-8"))
    enum = contract["properties"]["findings"]["items"]["properties"]["rule"]["enum"]
    assert sorted(enum) == sorted(RULES)


def test_the_pack_is_built_with_fewer_garbage_collections_and_the_collector_is_as_before_after(
    sample_layers, monkeypatch
):
    """Inside the pack Python's collector looks at young objects every 10,000 allocations, not 700;
    after it (an error included) its thresholds are as they were; a collector switched off stays off."""
    import gc

    from landkit import pack

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's defaults
        with pack.fewer_collections():
            assert gc.get_threshold() == (10_000, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        with pytest.raises(ZeroDivisionError), pack.fewer_collections():
            _ = 1 / 0
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0, 10, 10)  # off: thresholds of 0 collect nothing
        with pack.fewer_collections():
            assert gc.get_threshold() == (0, 10, 10)
        gc.set_threshold(700, 10, 10)
        seen = []
        monkeypatch.setattr(pack, "pack_files", lambda a, **kw: seen.append(gc.get_threshold()) or {})
        monkeypatch.setattr("landkit.analysis.analyse", lambda *args, **kw: None)
        assert pack.meeting_pack(sample_layers, landkit.SAMPLE_PATH) == {}
        assert seen == [(10_000, 10, 10)] and gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
