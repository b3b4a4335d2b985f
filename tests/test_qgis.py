"""landkit.qgis in a real QGIS: the styles QGIS applies, the project it opens, the areas it measures.

QGIS's Python runs in a subprocess of the system Python (``/usr/bin/python3``, Debian's
``python3-qgis``), offscreen. Without QGIS these tests skip, unless LANDKIT_REQUIRE_QGIS is set
(CI sets it after installing QGIS): then they fail.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import sqlite3
import subprocess
import textwrap
import zipfile

import pytest

import landkit
from landkit import qgis
from landkit.maps import BATCH_COLOURS, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS
from landkit.schema import PARCEL_STATUSES

QGIS_PYTHON = "/usr/bin/python3"

_PRELUDE = """
import json, os, sys
from qgis.core import *
app = QgsApplication([], False)
app.initQgis()
out = {}
def colour(c):
    return [c.red(), c.green(), c.blue(), c.alpha()]
def renderer(layer):
    r = layer.renderer()
    d = {"type": r.type()}
    if r.type() == "categorizedSymbol":
        d["attr"] = r.classAttribute()
        d["categories"] = [[str(c.value()), c.label(), colour(c.symbol().color())] for c in r.categories()]
    elif r.type() == "singleSymbol":
        d["colour"] = colour(r.symbol().color())
    d["labels"] = layer.labelsEnabled() and layer.labeling().settings().fieldName
    return d
"""


@functools.cache
def _qgis_missing() -> str | None:
    """Why QGIS's Python cannot be used here, or None when it can."""
    if not os.path.exists(QGIS_PYTHON):
        return f"no {QGIS_PYTHON}"
    done = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else f"{QGIS_PYTHON} cannot import qgis.core: {done.stderr.strip()[-200:]}"


@pytest.fixture
def run_qgis():
    """Run a script in QGIS's Python (offscreen); it fills the dict ``out``, returned here."""
    why = _qgis_missing()
    if why:
        if os.environ.get("LANDKIT_REQUIRE_QGIS"):
            pytest.fail(f"LANDKIT_REQUIRE_QGIS is set but QGIS is unavailable: {why}")
        pytest.skip(f"QGIS is not installed ({why}); apt-get install qgis python3-qgis")

    def run(script: str) -> dict:
        # os._exit: QGIS 3.22 can crash in exitQgis() while layers are alive; the result is out by then
        code = _PRELUDE + textwrap.dedent(script) + "\nprint('@@' + json.dumps(out), flush=True)\nos._exit(0)\n"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""}
        done = subprocess.run(
            [QGIS_PYTHON, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("@@")]
        assert done.returncode == 0 and lines, f"QGIS script failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return json.loads(lines[-1][2:])

    return run


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "data" / "lushan.gpkg"
    path.parent.mkdir()
    shutil.copy(landkit.SAMPLE_PATH, path)
    return path


def _rgba(colour: str, alpha: int) -> list[int]:
    h = colour.lstrip("#")
    return [int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha]


EXPECTED = {
    "parcels": ("status", [(s, PARCEL_STATUSES[s], _rgba(c, 153)) for s, c in STATUS_COLOURS.items()]),
    "villages": ("batch", [(str(b), f"第{b}批", _rgba(c, 153)) for b, c in BATCH_COLOURS.items()]),
    "planning_zones": ("version", [(str(v), f"第{v}版", _rgba(c, 0)) for v, c in ZONE_COLOURS.items()]),
}
SINGLE = {
    "communities": _rgba(LAYER_COLOURS["communities"], 153),
    "facilities": _rgba(LAYER_COLOURS["facilities"], 204),
    "roads": _rgba(LAYER_COLOURS["roads"], 255),
    "county": _rgba(LAYER_COLOURS["county"], 0),
}
LABELLED = {"villages": "name", "communities": "name"}


def _check_renderers(got: dict) -> None:
    for layer, (attr, categories) in EXPECTED.items():
        r = got[layer]
        assert r["type"] == "categorizedSymbol" and r["attr"] == attr, (layer, r)
        assert [tuple(c) for c in r["categories"][: len(categories)]] == categories, layer
        assert r["categories"][-1][:2] == ["", "其他（未识别）"], layer  # everything else, visibly
    for layer, colour in SINGLE.items():
        assert got[layer]["type"] == "singleSymbol" and got[layer]["colour"] == colour, layer
    for layer, r in got.items():
        assert r["labels"] == LABELLED.get(layer, False), layer


def test_qgis_applies_the_default_styles_from_the_file(project, run_qgis):
    assert set(qgis.write_styles(project).values()) == {"default"}
    got = run_qgis(
        f"""
        for name in {sorted(SINGLE) + sorted(EXPECTED)!r}:
            layer = QgsVectorLayer({str(project)!r} + "|layername=" + name, name, "ogr")
            assert layer.isValid(), name
            out[name] = renderer(layer)
        """
    )
    _check_renderers(got)


def test_the_project_opens_with_every_layer_grouped_and_measures_like_landkit(project, tmp_path, run_qgis):
    out = qgis.write_project(project, tmp_path / "qgis" / "lushan.qgz")
    with zipfile.ZipFile(out) as z:
        (name,) = z.namelist()
        xml = z.read(name).decode()
    assert str(tmp_path) not in xml and "../data/lushan.gpkg|layername=parcels" in xml  # relative
    moved = tmp_path / "elsewhere"  # the folder moves as a whole: it still opens
    shutil.copytree(tmp_path / "data", moved / "data")
    shutil.copytree(tmp_path / "qgis", moved / "qgis")
    parcels = landkit.read_layer(project, "parcels")
    expected = landkit.area(parcels)
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(moved / "qgis" / "lushan.qgz")!r}), "the project does not open"
        out["crs"] = p.crs().authid()
        out["ellipsoid"] = p.ellipsoid()
        out["groups"] = [[g.name(), [l.layer().name() for l in g.findLayers()]]
                         for g in p.layerTreeRoot().children()]
        out["layers"] = {{}}
        for l in p.mapLayers().values():
            out["layers"][l.id()] = [l.isValid(), l.source(), l.featureCount(), renderer(l)]
        d = QgsDistanceArea()
        d.setSourceCrs(p.mapLayer("parcels_landkit").crs(), p.transformContext())
        assert d.setEllipsoid(p.ellipsoid())
        out["semi_major"], out["inv_f"] = d.ellipsoidSemiMajor(), d.ellipsoidInverseFlattening()
        out["areas"] = {{f["parcel_id"]: d.measureArea(f.geometry())
                         for f in p.mapLayer("parcels_landkit").getFeatures()}}
        """
    )
    assert got["crs"] == "EPSG:4547" and got["ellipsoid"] == "EPSG:1024"
    assert (got["semi_major"], got["inv_f"]) == (6378137.0, 298.257222101)  # CGCS2000, not GRS 1980
    assert got["groups"] == [
        ["搬迁", ["安置社区", "搬迁村庄"]],
        ["储备", ["储备地块"]],
        ["规划", ["配套设施", "道路", "规划范围"]],
        ["底图", ["县域范围"]],
    ]
    with contextlib.closing(sqlite3.connect(project)) as db:
        counts = dict(db.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents").fetchall())
    for lid, (valid, source, count, _) in got["layers"].items():
        layer = lid.removesuffix("_landkit")
        assert valid and source.startswith(str(moved / "data" / "lushan.gpkg")), (lid, source)
        assert count == counts[layer], lid
    _check_renderers({lid.removesuffix("_landkit"): v[3] for lid, v in got["layers"].items()})
    assert len(got["areas"]) == len(parcels) == 2458
    worst = max(abs(got["areas"][pid] / expected[pid] - 1) for pid in parcels.index)
    assert worst < 1e-6, worst
    print(f"QGIS vs landkit.area, worst relative difference: {worst:.2e}")


def test_a_users_own_style_survives_and_stays_the_default(project, run_qgis):
    # the user saves their own default style of parcels in QGIS (single symbol, red) and another of villages
    run_qgis(
        f"""
        for name in ("parcels", "roads"):
            layer = QgsVectorLayer({str(project)!r} + "|layername=" + name, name, "ogr")
            symbol = QgsFillSymbol.createSimple({{"color": "255,0,0,255"}}) if name == "parcels" else \\
                QgsLineSymbol.createSimple({{"line_color": "255,0,0,255"}})
            layer.setRenderer(QgsSingleSymbolRenderer(symbol))
            assert layer.saveStyleToDatabase("我的样式", "mine", name == "parcels", "") == ""
        """
    )
    db = sqlite3.connect(project)
    before = db.execute("SELECT * FROM layer_styles ORDER BY id").fetchall()
    db.close()
    result = qgis.write_styles(project)
    assert result["parcels"] == "kept 我的样式" and result["roads"] == "default" and result["villages"] == "default"
    qgis.write_styles(project)  # again: landkit replaces its own rows, never adds or touches others
    db = sqlite3.connect(project)
    after = db.execute("SELECT * FROM layer_styles ORDER BY id").fetchall()
    rows = db.execute("SELECT f_table_name, styleName, useAsDefault FROM layer_styles ORDER BY id").fetchall()
    db.close()
    assert after[: len(before)] == before  # the user's rows, byte for byte
    assert sorted(r for r in rows if r[0] in ("parcels", "roads")) == [
        ("parcels", "landkit", 0),
        ("parcels", "我的样式", 1),
        ("roads", "landkit", 1),
        ("roads", "我的样式", 0),
    ]
    got = run_qgis(
        f"""
        for name in ("parcels", "villages", "roads"):
            out[name] = renderer(QgsVectorLayer({str(project)!r} + "|layername=" + name, name, "ogr"))
        """
    )
    assert got["parcels"]["type"] == "singleSymbol" and got["parcels"]["colour"] == [255, 0, 0, 255]
    assert got["villages"]["attr"] == "batch"
    assert got["roads"]["colour"] == SINGLE["roads"]


def test_the_styles_table_is_created_as_qgis_creates_it(project, tmp_path, run_qgis):
    qgis.write_styles(project)
    theirs = tmp_path / "theirs.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, theirs)
    run_qgis(
        f"""
        layer = QgsVectorLayer({str(theirs)!r} + "|layername=parcels", "parcels", "ogr")
        assert layer.saveStyleToDatabase("x", "", False, "") == ""
        """
    )
    sql = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'layer_styles' ORDER BY type, name"
    meta = "SELECT data_type, identifier, description, srs_id FROM gpkg_contents WHERE table_name = 'layer_styles'"
    mine, qgis_own = sqlite3.connect(project), sqlite3.connect(theirs)
    norm = [(t, n, " ".join((s or "").replace("IF NOT EXISTS ", "").split())) for t, n, s in qgis_own.execute(sql)]
    assert [(t, n, " ".join((s or "").split())) for t, n, s in mine.execute(sql)] == norm
    assert mine.execute(meta).fetchall() == qgis_own.execute(meta).fetchall()
    mine.close()
    qgis_own.close()


def test_outputs_never_replace_inputs(project, tmp_path):
    with pytest.raises(landkit.DataError, match=r"\.qgz"):
        qgis.write_project(project, project)
    out = qgis.write_project(project, tmp_path / "p.qgz")
    with pytest.raises(landkit.DataError, match="exists"):
        qgis.write_project(project, out)
    assert qgis.write_project(project, out, overwrite=True) == out
    with pytest.raises(landkit.DataError, match=r"\.qgz"):
        qgis.write_project(project, tmp_path / "p.qgs")


def test_the_project_has_an_a3_print_layout_that_exports(project, tmp_path, run_qgis):
    out = qgis.write_project(project, tmp_path / "lushan.qgz")
    pdf = tmp_path / "lushan-A3.pdf"
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        (layout,) = p.layoutManager().layouts()
        page = layout.pageCollection().page(0)
        out["name"] = layout.name()
        out["page"] = [page.pageSize().width(), page.pageSize().height()]
        items = [i for i in layout.items() if isinstance(i, QgsLayoutItem) and not isinstance(i, QgsLayoutItemPage)]
        out["items"] = sorted([type(i).__name__, i.id()] for i in items)
        m = layout.itemById("地图")
        out["map"] = [m.crs().authid(), m.scale(), m.extent().contains(p.mapLayer("parcels_landkit").extent())]
        out["linked"] = [layout.itemById(n).linkedMap() is m for n in ("图例", "比例尺", "指北针")]
        out["title"] = layout.itemById("图名").text()
        out["pdf"] = QgsLayoutExporter(layout).exportToPdf({str(pdf)!r}, QgsLayoutExporter.PdfExportSettings())
        """
    )
    assert got["name"] == "鲁山县产业集聚区 A3" and got["page"] == [420, 297]
    assert got["items"] == [
        ["QgsLayoutItemLabel", "图名"],
        ["QgsLayoutItemLabel", "说明"],
        ["QgsLayoutItemLegend", "图例"],
        ["QgsLayoutItemMap", "地图"],
        ["QgsLayoutItemPicture", "指北针"],
        ["QgsLayoutItemScaleBar", "比例尺"],
    ]
    crs, scale, covers = got["map"]
    assert crs == "EPSG:4547" and 5_000 < scale < 100_000 and covers
    assert got["linked"] == [True, True, True] and got["title"] == "鲁山县产业集聚区"
    assert got["pdf"] == 0 and pdf.stat().st_size > 10_000


def test_landkit_qgis_writes_styles_and_a_project(tmp_path, sample_copy):
    import sqlite3
    import zipfile

    from click.testing import CliRunner

    from landkit.cli import main

    out = tmp_path / "qgis" / "鲁山.qgz"
    result = CliRunner().invoke(main, ["qgis", str(sample_copy), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(sample_copy) as db:
        styled = {r[0] for r in db.execute("SELECT f_table_name FROM layer_styles WHERE styleName = 'landkit'")}
    assert {"parcels", "villages", "planning_zones"} <= styled
    with zipfile.ZipFile(out) as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode("utf-8")
    assert "../project.gpkg" in qgs and "EPSG:1024" in qgs
    again = CliRunner().invoke(main, ["qgis", str(sample_copy), "-o", str(out)])
    assert again.exit_code == 2 and "overwrite" in again.output
