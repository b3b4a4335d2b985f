"""Figures with one meaning: every figure a meeting sees is registered once (landkit/figures.py)
and has one value across the pack — index.html, the workbook, the PDF's text, figures.json —
and the JSON of `landkit audit` and `landkit progress`. Numbers are read back from each file
as a planner's tool would (HTML parsing, openpyxl, pdfium's text), not from landkit's objects."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from html.parser import HTMLParser

import openpyxl
import pyogrio
import pytest
from click.testing import CliRunner

import landkit
from landkit import figures
from landkit.cli import main
from landkit.i18n import CATALOGUES
from landkit.schema import PARCEL_STATUSES

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": None})


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The sample's meeting pack, rendered once by the command a planner runs, and its audit and progress JSON."""
    where = tmp_path_factory.mktemp("figures")
    project = where / "lushan.gpkg"
    shutil.copyfile(landkit.SAMPLE_PATH, project)
    made = run("report", project, "-o", where / "pack")
    assert made.exit_code == 0, made.output
    audit = run("audit", project, "--format", "json")
    progress = run("progress", project, "--format", "json")
    assert progress.exit_code == 0, progress.output
    said = json.loads((where / "pack" / "figures.json").read_text(encoding="utf-8"))
    values = {(f["figure"], f["key"]): f["value"] for f in said["figures"]}
    return {
        "dir": where / "pack",
        "project": project,
        "json": said,
        "values": values,
        "audit": json.loads(audit.stdout),
        "progress": json.loads(progress.stdout),
    }


class _Tags(HTMLParser):
    """Every <data data-figure=…> of a page: its attributes and the text shown."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "data":
            self._open = dict(attrs) | {"text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "data" and self._open is not None:
            self.found.append(self._open)
            self._open = None


def shown(value, unit: str) -> str:
    """How a figure is written, by this test's own rule: areas 2 decimals, counts whole, separators."""
    if value is None:
        return "—"
    if unit == "date":
        return value
    return f"{value:,.2f}" if unit in ("mu", "months") else f"{int(value):,}"


def test_every_registered_figure_has_words_in_both_languages_and_a_unit():
    for figure, kind in figures.REGISTRY.items():
        for lang in ("zh", "en"):
            assert f"figure.{figure}" in CATALOGUES[lang] and f"figure.{figure}.means" in CATALOGUES[lang]
            assert f"unit.{kind.unit}" in CATALOGUES[lang] and f"basis.{kind.basis}" in CATALOGUES[lang]
        if kind.unit == "mu":  # an area says which area it is
            assert re.search("登记|实测", CATALOGUES["zh"][f"figure.{figure}"]), figure
            assert re.search("stated|measured", CATALOGUES["en"][f"figure.{figure}"]), figure


def test_two_quantities_never_share_a_label(pack):
    rows = pack["json"]["figures"]
    assert {r["figure"] for r in rows} == set(figures.REGISTRY)  # the sample shows every registered figure
    for column in ("label", "label_en"):
        labels = [r[column] for r in rows]
        assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})
    assert all(CJK.search(r["label"]) for r in rows)


def test_index_html_shows_each_figure_with_its_one_value(pack):
    page = _Tags()
    page.feed((pack["dir"] / "index.html").read_text(encoding="utf-8"))
    assert len(page.found) > 40
    units = {f: k.unit for f, k in figures.REGISTRY.items()}
    for tag in page.found:
        key = (tag["data-figure"], tag["data-key"])
        assert key in pack["values"], key
        value = pack["values"][key]
        assert tag["value"] == str(value), (key, tag["value"], value)
        assert tag["text"].split(" ")[0] == shown(value, units[key[0]]), (key, tag["text"])
    on_page = {(t["data-figure"], t["data-key"]) for t in page.found}
    for must in ("data_date", "parcels.measured_mu", "parcels.stated_mu", "findings.count", "changes.parcels"):
        assert (must, "") in on_page, must
    assert {k for k in on_page if k[0] == "target.done_mu"} == {k for k in pack["values"] if k[0] == "target.done_mu"}
    assert {k for k in on_page if k[0].startswith("community.")} == {
        k for k in pack["values"] if k[0].startswith("community.")
    }


#: the 目标进度 sheet's column for each target figure
TARGET_COLUMNS = {
    "done_mu": "完成(亩)", "target_mu": "目标(亩)", "done_measured_mu": "完成·实测(亩)", "remaining_mu": "剩余(亩)",
    "parcels_done": "完成地块数", "parcels": "地块数",
}  # fmt: skip


def _sheet(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return rows[0], rows[1:]


def _iso_day(value):
    return value.date().isoformat() if isinstance(value, datetime.datetime) else value


def test_the_workbook_shows_the_same_figures(pack):
    values = pack["values"]
    book = openpyxl.load_workbook(pack["dir"] / "audit.xlsx")
    assert book.sheetnames[0] == "会议数字"
    head, body = _sheet(book, "会议数字")
    # a date is shown as a date (a day, without a time): read back as its ISO text
    listed = {row[head.index("指标代码")]: _iso_day(row[head.index("数值")]) for row in body}
    assert len(listed) == len(values)
    for (figure, key), value in values.items():
        assert listed[figure + (f"[{key}]" if key else "")] == value
    # the other sheets, each read by its own headers
    head, body = _sheet(book, "按状态")
    statuses = {row[0]: row for row in body}
    for code, name in PARCEL_STATUSES.items():
        if ("status.count", code) in values:
            row = statuses[name]
            assert row[head.index("要素数")] == values[("status.count", code)]
            assert row[head.index("登记面积(亩)")] == values[("status.stated_mu", code)]
            assert row[head.index("实测面积(亩)")] == values[("status.measured_mu", code)]
    total = statuses["合计"]
    assert total[head.index("要素数")] == values[("parcels.count", "")]
    assert total[head.index("登记面积(亩)")] == values[("parcels.stated_mu", "")]
    assert total[head.index("实测面积(亩)")] == values[("parcels.measured_mu", "")]
    head, body = _sheet(book, "目标进度")
    for row in body:
        key = next(k for (f, k), v in values.items() if f == "target.done_mu" and _name(pack, k) == row[0])
        for figure, column in TARGET_COLUMNS.items():
            assert row[head.index(column)] == values[(f"target.{figure}", key)], (key, column)
    head, body = _sheet(book, "按批次")
    whole = next(row for row in body if row[0] == "合计")
    for figure, column in (("households", "户数"), ("people", "人口"), ("signed_households", "已签协议户数"),
                           ("moved_households", "已搬迁户数"), ("demolished_people", "已拆除人口")):  # fmt: skip
        assert whole[head.index(column)] == values[(f"relocation.{figure}", "")], figure
    head, body = _sheet(book, "问题")
    assert len(body) == values[("findings.count", "")]
    levels = [row[head.index("级别")] for row in body]
    assert levels.count("错误") == values[("findings.error", "")]
    assert levels.count("警告") == values[("findings.warning", "")]


def _name(pack, key):
    return next(r["name"] for r in pack["json"]["figures"] if r["figure"] == "target.done_mu" and r["key"] == key)


def test_the_pdf_and_the_json_outputs_say_the_same(pack):
    import pypdfium2

    values = pack["values"]
    pdf = pypdfium2.PdfDocument(pack["dir"] / "zone-A3.pdf")
    text = pdf[0].get_textpage().get_text_range()
    assert re.search(rf"数据日期[:：]\s*{values[('data_date', '')]}", text)
    audit = pack["audit"]
    assert len(audit["findings"]) == values[("findings.count", "")]
    for code, row in audit["totals"]["parcels_by_status"].items():
        assert (row["count"], row["stated_mu"], row["area_mu"]) == (
            values[("status.count", code)],
            values[("status.stated_mu", code)],
            values[("status.measured_mu", code)],
        )
    progress = pack["progress"]
    assert progress["as_of"] == values[("data_date", "")] == pack["json"]["as_of"]
    for target in progress["targets"]:
        for figure in ("target_mu", "done_mu", "done_measured_mu", "remaining_mu", "parcels", "parcels_done"):
            assert target[figure] == values[(f"target.{figure}", target["target"])], (target["target"], figure)
        for figure in figures.PACE:  # the pace: given for each target with a deadline, the same in both
            assert target[figure] == values.get((f"target.{figure}", target["target"])), (target["target"], figure)
    assert values[("targets.behind", "")] == sum(t["behind"] is True for t in progress["targets"])


def test_figures_agree_with_the_file_read_apart(pack):
    """Counts read from the GeoPackage with pyogrio, not through landkit."""
    project = pack["project"]
    values = pack["values"]
    assert values[("parcels.count", "")] == pyogrio.read_info(project, layer="parcels")["features"]
    villages = pyogrio.read_dataframe(project, layer="villages", read_geometry=False)
    assert values[("relocation.households", "")] == int(villages["households"].sum())
    assert values[("relocation.people", "")] == int(villages["population"].sum())
    communities = pyogrio.read_dataframe(project, layer="communities", read_geometry=False).set_index("community_id")
    for cid, row in communities.iterrows():
        planned = int(villages.loc[villages["target_community"] == cid, "population"].sum())
        assert values[("community.assigned_people", cid)] == planned
        assert values[("community.capacity_people", cid)] == int(row["capacity_people"])


def test_the_readme_says_the_samples_figures_as_the_pack_has_them(pack):
    """The README's example of two bases is the sample's own figures, not typed numbers."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.search(r"规划储备 is ([\d,.]+) 亩 登记 and\s+([\d,.]+) 亩 实测", readme)
    assert said, "the README's sentence about 规划储备 is gone"
    values = pack["values"]
    assert said[1] == f"{values[('status.stated_mu', 'planned')]:,.2f}"
    assert said[2] == f"{values[('status.measured_mu', 'planned')]:,.2f}"
    assert said[1] != said[2]  # the sample does show two different figures under one status
