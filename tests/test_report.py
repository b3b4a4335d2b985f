"""The meeting pack: every file written and stamped, the XLSX agrees with the JSON, HTML escaped."""

import io
import json

import openpyxl
import pandas as pd
from click.testing import CliRunner

import landkit
from benchmarks.browser import browser, visit
from landkit import maps
from landkit.cli import main

XSS = "<img src=x onerror=alert(1)>"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_report_writes_the_pack_stamped(tmp_path, sample_copy):
    result = run("report", sample_copy, "-o", tmp_path / "pack")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert names == [
        "audit.html", "audit.xlsx", "community-HY.html", "community-LF.html", "index.html", "progress.png", "zone.html",
    ]  # fmt: skip
    sha = json.loads(run("audit", sample_copy, "--format", "json").stdout)["input"]["sha256"]
    for name in ("audit.html", "index.html", "zone.html", "community-LF.html"):
        text = (tmp_path / "pack" / name).read_text(encoding="utf-8")
        assert sha in text and f"landkit {landkit.__version__}" in text and "ellipsoidal" in text
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    assert any(sha in str(c.value) for row in book["说明"].iter_rows() for c in row)
    assert (tmp_path / "pack" / "progress.png").read_bytes()[:4] == b"\x89PNG"


def test_xlsx_totals_equal_the_json_totals(tmp_path, sample_copy):
    out = json.loads(run("audit", sample_copy, "--format", "json").stdout)
    assert run("audit", sample_copy, "--format", "xlsx", "-o", tmp_path / "a.xlsx").exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames[:3] == ["问题", "按状态", "图层"]
    rows = list(book["按状态"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("status", "要素数", "登记面积(亩)", "面积(m²)", "面积(亩)")
    by_status = {r[0]: r for r in body}
    for status, t in out["totals"]["parcels_by_status"].items():
        assert by_status[status][1:5] == (t["count"], t["stated_mu"], t["area_m2"], t["area_mu"])
    total = by_status["合计 total"]
    assert total[4] == out["totals"]["layers"]["parcels"]["area_mu"]
    assert round(sum(r[4] for r in body if r[0] != "合计 total"), 2) == total[4]
    assert len(list(book["问题"].iter_rows())) - 1 == len(out["findings"])


def test_xlsx_needs_an_output_file(sample_copy):
    result = run("audit", sample_copy, "--format", "xlsx")
    assert result.exit_code == 2 and "-o" in result.output


def test_html_report_escapes_attribute_values_in_a_browser(tmp_path, sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["parcels"] = layers["parcels"].rename(index={"CB00648": XSS})  # the mismatch parcel gets the payload
    layers["events"]["parcel_id"] = layers["events"]["parcel_id"].replace({"CB00648": XSS})
    path = tmp_path / "xss.gpkg"
    landkit.write_project(layers, path)
    assert run("audit", path, "--format", "html", "-o", tmp_path / "audit.html").exit_code == 1
    page = (tmp_path / "audit.html").read_text(encoding="utf-8")
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    html_map = maps.save_map(maps.zone_map(layers), tmp_path / "zone.html")
    with browser() as b:
        v = visit(b, html_map)
        assert v.dialogs == [] and v.page.eval_on_selector_all('img[src="x"]', "e => e.length") == 0
        page, dialogs = b.new_page(), []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((tmp_path / "audit.html").as_uri())
        assert dialogs == [] and page.eval_on_selector_all('img[src="x"]', "e => e.length") == 0
        assert XSS in page.inner_text("body")  # shown as text


def test_the_same_figure_is_the_same_everywhere(sample_copy, sample_layers):
    def run(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

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
