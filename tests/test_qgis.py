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
import xml.etree.ElementTree as ET
import zipfile

import pytest

import landkit
from landkit import qgis
from landkit.maps import BATCH_COLOURS, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS
from landkit.schema import PARCEL_STATUSES, RELOCATION_STATUSES, ROAD_STATUSES
from landkit.store import postgis

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
        if layer.geometryType() == QgsWkbTypes.LineGeometry:  # 1 solid, 2 dash, 3 dot (Qt.PenStyle)
            d["pens"] = [int(c.symbol().symbolLayer(0).penStyle()) for c in r.categories()]
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
    "roads": ("status", [(k, v, _rgba(LAYER_COLOURS["roads"], 255)) for k, v in ROAD_STATUSES.items()]),
}
#: roads keep the roads' colour; their status is the pen: planned dashed, under construction dotted, built solid
ROAD_PENS = {"planned": 2, "under_construction": 3, "built": 1}
SINGLE = {
    "basic_farmland": _rgba(LAYER_COLOURS["basic_farmland"], 128),
    "eco_redline": _rgba(LAYER_COLOURS["eco_redline"], 128),
    "urban_boundary": _rgba(LAYER_COLOURS["urban_boundary"], 0),
    "communities": _rgba(LAYER_COLOURS["communities"], 153),
    "facilities": _rgba(LAYER_COLOURS["facilities"], 204),
    "county": _rgba(LAYER_COLOURS["county"], 0),
}
LABELLED = {"villages": "relocation_status", "communities": "name"}  # what the label shows, at least


def _check_renderers(got: dict) -> None:
    for layer, (attr, categories) in EXPECTED.items():
        r = got[layer]
        assert r["type"] == "categorizedSymbol" and r["attr"] == attr, (layer, r)
        assert [tuple(c) for c in r["categories"][: len(categories)]] == categories, layer
        assert r["categories"][-1][:2] == ["", "其他（未识别）"], layer  # everything else, visibly
    for layer, colour in SINGLE.items():
        assert got[layer]["type"] == "singleSymbol" and got[layer]["colour"] == colour, layer
    assert got["roads"]["pens"][: len(ROAD_PENS)] == [ROAD_PENS[k] for k in ROAD_STATUSES]
    for layer, r in got.items():
        assert (LABELLED[layer] in r["labels"]) if layer in LABELLED else r["labels"] is False, layer


def test_qgis_applies_the_default_styles_from_the_file(project, run_qgis):
    assert set(qgis.write_styles(project).values()) == {"default"}
    got = run_qgis(
        f"""
        for name in {sorted(SINGLE) + sorted(EXPECTED)!r}:
            layer = QgsVectorLayer({str(project)!r} + "|layername=" + name, name, "ogr")
            assert layer.isValid(), name
            out[name] = renderer(layer)
        villages = QgsVectorLayer({str(project)!r} + "|layername=villages", "v", "ogr")
        text = QgsExpression(villages.labeling().settings().fieldName)
        out["village_labels"] = {{}}
        for f in villages.getFeatures():
            ctx = QgsExpressionContext()
            ctx.setFeature(f)
            out["village_labels"][f["village_code"]] = text.evaluate(ctx)
        """
    )
    labels = got.pop("village_labels")
    _check_renderers(got)
    villages = landkit.read_layer(project, "villages")
    # each village labelled with its name and, under it, where it stands in its move
    want = (villages["name"] + "\n" + villages["relocation_status"].map(RELOCATION_STATUSES)).to_dict()
    assert labels == want and len(set(villages["relocation_status"])) > 1


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
        ["三区三线", ["生态保护红线", "永久基本农田", "城镇开发边界"]],
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
    assert got["roads"]["attr"] == "status"


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


@pytest.mark.parametrize(("paper", "size"), [("A3", [420, 297]), ("A4", [297, 210])])
def test_the_project_has_a3_and_a4_print_layouts_that_export(project, tmp_path, run_qgis, paper, size):
    out = qgis.write_project(project, tmp_path / "lushan.qgz")
    pdf = tmp_path / f"lushan-{paper}.pdf"
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        layout = p.layoutManager().layoutByName("鲁山县产业集聚区 {paper}")
        page = layout.pageCollection().page(0)
        out["name"] = layout.name()
        out["page"] = [page.pageSize().width(), page.pageSize().height()]
        items = [i for i in layout.items() if isinstance(i, QgsLayoutItem) and not isinstance(i, QgsLayoutItemPage)]
        out["items"] = sorted([type(i).__name__, i.id()] for i in items)
        m = layout.itemById("地图")
        out["map"] = [m.crs().authid(), m.scale(), m.extent().contains(p.mapLayer("parcels_landkit").extent())]
        out["linked"] = [layout.itemById(n).linkedMap() is m for n in ("图例", "比例尺", "指北针")]
        out["title"] = layout.itemById("图名").text()
        out["inside"] = all(  # every item on the page
            layout.pageCollection().page(0).sceneBoundingRect().contains(i.sceneBoundingRect()) for i in items
        )
        out["pdf"] = QgsLayoutExporter(layout).exportToPdf({str(pdf)!r}, QgsLayoutExporter.PdfExportSettings())
        """
    )
    assert got["name"] == f"鲁山县产业集聚区 {paper}" and got["page"] == size and got["inside"]
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


def test_landkit_qgis_writes_styles_a_project_and_the_findings(tmp_path, sample_copy, run_qgis):
    from click.testing import CliRunner

    from landkit.cli import main

    out = tmp_path / "qgis" / "鲁山.qgz"
    result = CliRunner().invoke(main, ["qgis", str(sample_copy), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with contextlib.closing(sqlite3.connect(sample_copy)) as db:
        styled = {r[0] for r in db.execute("SELECT f_table_name FROM layer_styles WHERE styleName = 'landkit'")}
    assert {"parcels", "villages", "planning_zones", "basic_farmland", "eco_redline", "urban_boundary"} <= styled
    with zipfile.ZipFile(out) as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode("utf-8")
    assert "../project.gpkg" in qgs and "EPSG:1024" in qgs and "./鲁山-findings.gpkg|layername=findings" in qgs
    # the findings: what the audit finds about parcels, each drawn on the parcels it names
    layers = landkit.read_project(sample_copy)
    found = landkit.audit.audit(layers)
    about_parcels = found[found["layer"] == "parcels"]
    named = about_parcels["ids"].map(lambda ids: bool(ids) and set(ids) <= set(layers["parcels"].index))
    about_parcels = about_parcels[named]
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        out["group"] = [g.name() for g in p.layerTreeRoot().children()[0].children()]
        f = p.mapLayer("findings_landkit")
        out["valid"] = [f.isValid(), p.mapLayer("conflicts_landkit").isValid()]
        out["aliases"] = {{fl.name(): fl.alias() for fl in f.fields()}}
        out["rows"] = [[x["rule_code"], x["ids"], x["message"], x.geometry().area()] for x in f.getFeatures()]
        s = f.renderer().symbol().symbolLayer(0)
        out["outline"] = [s.strokeStyle() == 2, colour(s.strokeColor())]  # 2: Qt.DashLine
        d = QgsDistanceArea()
        c = p.mapLayer("conflicts_landkit")
        d.setSourceCrs(c.crs(), p.transformContext())
        d.setEllipsoid(p.ellipsoid())
        out["conflicts"] = [[x["parcel_id"], x["constraint"], x["area_m2"], d.measureArea(x.geometry())]
                            for x in c.getFeatures()]
        """
    )
    assert got["valid"] == [True, True] and got["group"] == ["审核问题", "三区三线冲突"]
    assert got["outline"] == [True, _rgba(LAYER_COLOURS["findings"], 255)]  # dashed, as on zone.html
    assert got["aliases"]["rule"] == "规则" and got["aliases"]["message"] == "说明"
    assert len(got["rows"]) == len(about_parcels) > 0
    parcels = layers["parcels"]
    for (rule, ids, message, area), (_, f) in zip(got["rows"], about_parcels.iterrows(), strict=True):
        assert rule == f["rule"] and ids == ";".join(f["ids"]) and message == f["message_zh"]
        # drawn on exactly the parcels it names: the union's planar area, independently
        assert area == pytest.approx(parcels.geometry.loc[list(f["ids"])].union_all().area, rel=1e-9)
    # the conflict parts: every parcel the audit names for 三区三线, each part's area as QGIS measures it
    conflict_rules = {"basic_farmland": "永久基本农田", "eco_redline": "生态保护红线", "urban_boundary": "城镇开发边界"}
    named = {(i, conflict_rules[r]) for r, ids in zip(found["rule"], found["ids"], strict=True)
             if r in conflict_rules for i in ids if i in parcels.index}  # fmt: skip
    assert named and {(pid, layer) for pid, layer, _, _ in got["conflicts"]} == named
    for pid, layer, stated, measured in got["conflicts"]:
        assert measured == pytest.approx(stated, rel=1e-6), (pid, layer)
    again = CliRunner().invoke(main, ["qgis", str(sample_copy), "-o", str(out)])
    assert again.exit_code == 2 and "overwrite" in again.output
    clean = CliRunner().invoke(main, ["qgis", str(sample_copy), "-o", str(tmp_path / "clean.qgz"), "--no-findings"])
    assert clean.exit_code == 0 and not (tmp_path / "clean-findings.gpkg").exists()


def test_the_atlas_prints_one_page_per_village_from_qgis(project, tmp_path, run_qgis):
    import pypdfium2

    out = qgis.write_project(project, tmp_path / "lushan.qgz")
    pdf = tmp_path / "村庄图集.pdf"
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        layout = p.layoutManager().layoutByName("鲁山县产业集聚区 搬迁村庄图集")
        atlas = layout.atlas()
        out["atlas"] = [atlas.enabled(), atlas.coverageLayer().id(), atlas.updateFeatures()]
        m = layout.itemById("地图")
        out["driven"] = [m.atlasDriven(), m.atlasScalingMode() == QgsLayoutItemMap.Auto]
        out["pdf"] = QgsLayoutExporter.exportToPdf(atlas, {str(pdf)!r}, QgsLayoutExporter.PdfExportSettings())[0]
        """
    )
    villages = landkit.read_layer(project, "villages")
    villages = villages.assign(code=villages.index).sort_values(["batch", "code"])
    assert got["atlas"] == [True, "villages_landkit", len(villages)] and got["driven"] == [True, True]
    assert got["pdf"] == 0
    doc = pypdfium2.PdfDocument(pdf)
    pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    assert len(pages) == len(villages) == 25
    # each page is titled with its own village, in batch order, and carries the map's notes
    for text, (code, v) in zip(pages, villages.iterrows(), strict=True):
        title = f"鲁山县产业集聚区：{v['name']}（{code}）第{v['batch']}批"
        assert text.splitlines()[0] == title, (text[:80], title)
        assert "图例" in text and "面积为CGCS2000椭球面积" in text and "示意数据，非测绘成果" in text
    # the legend lists only what the page shows: a first-batch village's page names no other batch
    first = pages[0]
    assert "第1批" in first.split("图例")[0] or "第1批" in first
    assert "第3批" not in first.splitlines()[1:] and "其他（未识别）" not in first


def test_the_sld_beside_each_style_reads_in_qgis_as_the_same_categories(project, tmp_path, run_qgis):
    qgis.write_styles(project)
    with contextlib.closing(sqlite3.connect(project)) as db:
        slds = dict(db.execute("SELECT f_table_name, styleSLD FROM layer_styles WHERE styleName = 'landkit'"))
    files = {}
    for layer, sld in slds.items():
        files[layer] = tmp_path / f"{layer}.sld"
        files[layer].write_text(sld, encoding="utf-8")
    probes = {layer: [v for v, _, _ in categories] + ["不认识", None] for layer, (_, categories) in EXPECTED.items()}
    attrs = {layer: attr for layer, (attr, _) in EXPECTED.items()}
    paths = {layer: str(path) for layer, path in files.items()}
    got = run_qgis(
        f"""
        probes = {probes!r}
        for name, path in {paths!r}.items():
            layer = QgsVectorLayer({str(project)!r} + "|layername=" + name, name, "ogr")
            message, ok = layer.loadSldStyle(path)
            assert ok, (name, message)
            r = layer.renderer()
            out[name + "_labels"] = layer.labelsEnabled() and layer.labeling().settings().fieldName
            if r.type() == "singleSymbol":  # one rule without a filter: QGIS makes it a single symbol
                out[name] = [["", [], colour(r.symbol().color())]]
                continue
            attr = {attrs!r}[name]
            rules = []
            for rule in r.rootRule().children():
                if not rule.symbol():
                    continue
                matched = []  # which of the probe values the rule's filter, as QGIS reads it, draws
                for value in probes[name]:
                    f = QgsFeature(layer.fields())
                    f[attr] = value
                    ctx = QgsExpressionContext()
                    ctx.setFeature(f)
                    if QgsExpression(rule.filterExpression()).evaluate(ctx):
                        matched.append(value)
                rules.append([rule.label(), matched, colour(rule.symbol().color())])
            out[name] = rules
        """
    )
    for layer, (_, categories) in EXPECTED.items():
        rules = got[layer]
        assert len(rules) == len(categories) + 1, layer
        for (label, matched, rgba), (value, name, colour) in zip(rules, categories, strict=False):
            assert (label, rgba[:3]) == (name, colour[:3]), layer
            assert [str(m) for m in matched] == [str(value)], (layer, label, matched)  # its own value only
        # the last rule draws what the palette does not know, and nothing it does
        assert rules[-1][0] == "其他（未识别）" and rules[-1][1] == ["不认识", None], (layer, rules[-1])
    for layer, colour in SINGLE.items():
        (rule,) = got[layer]
        assert rule[2][:3] == colour[:3], layer
    assert got["villages_labels"] == "name" and got["communities_labels"] == "name"


def test_edits_made_in_qgis_are_seen_and_qgis_own_additions_survive_landkit_writes(project, tmp_path, run_qgis):
    """The round trip: a planner moves a parcel and retypes a status in QGIS (PyQGIS here), saves
    the project into the GeoPackage and adds a layer of their own; landkit's audit and sync see
    the edits, and landkit's writes leave QGIS's additions as they were."""
    from landkit.audit import audit

    qgis.write_styles(project)
    parcels = landkit.read_layer(project, "parcels")
    events = landkit.read_layer(project, "events")
    history = events.groupby("parcel_id").size()
    # X: a parcel with a neighbour, moved 25 m east onto it; Y: a planned parcel retyped as 已批复
    touching = parcels.sindex.query(parcels.geometry, predicate="touches")
    x = parcels.index[touching[0][0]]
    y = parcels.index[(parcels["status"] == "planned") & parcels.index.isin(history.index)][0]
    assert not audit(landkit.read_project(project)).pipe(lambda f: f[f["ids"].map(lambda i: x in i)]).size
    run_qgis(
        f"""
        path = {str(project)!r}
        layer = QgsVectorLayer(path + "|layername=parcels", "parcels", "ogr")
        assert layer.startEditing()
        for f in layer.getFeatures(QgsFeatureRequest(QgsExpression("parcel_id = {x!r}"))):
            g = f.geometry()
            assert g.translate(25, 0) == 0
            assert layer.changeGeometry(f.id(), g)
        for f in layer.getFeatures(QgsFeatureRequest(QgsExpression("parcel_id = {y!r}"))):
            assert layer.changeAttributeValue(f.id(), layer.fields().indexOf("status"), "已批复")
        assert layer.commitChanges(), layer.commitErrors()
        # the planner's own layer, in the same file
        mine = QgsVectorLayer("Point?crs=EPSG:4547&field=note:string", "我的标注", "memory")
        f = QgsFeature(mine.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(38400000, 3736000)))
        f["note"] = "现场核实"
        mine.dataProvider().addFeatures([f])
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName, options.layerName = "GPKG", "我的标注"
        options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
        error = QgsVectorFileWriter.writeAsVectorFormatV2(mine, path, QgsCoordinateTransformContext(), options)
        assert error[0] == QgsVectorFileWriter.NoError, error
        # and the project, stored in the GeoPackage
        p = QgsProject.instance()
        p.addMapLayer(QgsVectorLayer(path + "|layername=parcels", "储备地块", "ogr"))
        assert p.write("geopackage:" + path + "?projectName=鲁山工作"), p.error()
        """
    )
    db = sqlite3.connect(project)
    qgis_own = {
        "project": db.execute("SELECT name, content FROM qgis_projects").fetchall(),
        "layer": db.execute('SELECT * FROM "我的标注"').fetchall(),
        "styles": db.execute("SELECT * FROM layer_styles WHERE styleName != 'landkit'").fetchall(),
    }
    db.close()
    assert qgis_own["project"] and qgis_own["layer"]
    # landkit sees the moved parcel (an overlap) and the retyped status (sync lists it)
    found = audit(landkit.read_project(project))
    overlaps = found[(found["rule"] == "overlap") & found["ids"].map(lambda i: x in i)]
    assert len(overlaps) >= 1
    moved = landkit.read_layer(project, "parcels").geometry.loc[x]
    assert moved.centroid.x == pytest.approx(parcels.geometry.loc[x].centroid.x + 25, abs=1e-6)
    changes = landkit.sync(project)
    assert {"layer": "parcels", "id": y, "change": "status", "from": "已批复", "to": "planned"} in changes
    # landkit writes: the ledger, sync, its styles and a project; QGIS's additions stay as they were
    z = parcels.index[(parcels["status"] == "planned") & parcels.index.isin(history.index)][1]
    landkit.record_event(project, z, "acquiring", "2026-11-27", document_ref="测试")
    landkit.sync(project, apply=True)
    qgis.write_styles(project)
    qgis.write_project(project, tmp_path / "again.qgz")
    db = sqlite3.connect(project)
    assert db.execute("SELECT name, content FROM qgis_projects").fetchall() == qgis_own["project"]
    assert db.execute('SELECT * FROM "我的标注"').fetchall() == qgis_own["layer"]
    assert db.execute("SELECT * FROM layer_styles WHERE styleName != 'landkit'").fetchall() == qgis_own["styles"]
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    assert landkit.read_layer(project, "parcels").loc[y, "status"] == "planned"  # the ledger's, after sync
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read("geopackage:" + {str(project)!r} + "?projectName=鲁山工作")
        out["layers"] = sorted(l.name() for l in p.mapLayers().values() if l.isValid())
        mine = QgsVectorLayer({str(project)!r} + "|layername=我的标注", "m", "ogr")
        out["note"] = [f["note"] for f in mine.getFeatures()]
        """
    )
    assert got == {"layers": ["储备地块"], "note": ["现场核实"]}


def test_a_postgis_project_opens_in_qgis_without_its_password_and_measures_like_landkit(pg_project, tmp_path, run_qgis):
    from click.testing import CliRunner

    from landkit.cli import main
    from tests.pg import PASSWORD

    out = tmp_path / "办公室.qgz"
    result = CliRunner().invoke(main, ["qgis", pg_project, "-o", str(out)])
    assert result.exit_code == 0 and PASSWORD not in result.output, result.output
    assert (tmp_path / "办公室-findings.gpkg").exists()  # the audit's findings, beside it
    with zipfile.ZipFile(out) as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode("utf-8")
    assert PASSWORD not in qgs and "password" not in qgs  # QGIS reads PGPASSWORD, as landkit does
    layers = landkit.read_project(pg_project)
    expected = landkit.area(layers["parcels"])
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        out["ellipsoid"] = p.ellipsoid()
        out["layers"] = {{l.id(): [l.isValid(), l.providerType(), l.featureCount(), renderer(l)]
                         for l in p.mapLayers().values()}}
        parcels = p.mapLayer("parcels_landkit")
        d = QgsDistanceArea()
        d.setSourceCrs(parcels.crs(), p.transformContext())
        assert d.setEllipsoid(p.ellipsoid())
        out["areas"] = {{f["parcel_id"]: d.measureArea(f.geometry()) for f in parcels.getFeatures()}}
        atlas = p.layoutManager().layoutByName("鲁山县产业集聚区 搬迁村庄图集").atlas()
        out["atlas"] = atlas.updateFeatures()
        """
    )
    assert got["ellipsoid"] == "EPSG:1024"
    for output in ("findings_landkit", "conflicts_landkit"):  # files of their own: outputs, not the database's
        valid, provider, count, _ = got["layers"].pop(output)
        assert valid and provider == "ogr" and count > 0, output
    for lid, (valid, provider, count, _) in got["layers"].items():
        layer = lid.removesuffix("_landkit")
        assert valid and provider == "postgres" and count == len(layers[layer]), (lid, count)
    _check_renderers({lid.removesuffix("_landkit"): v[3] for lid, v in got["layers"].items()})
    assert got["atlas"] == len(layers["villages"])
    worst = max(abs(got["areas"][pid] / expected[pid] - 1) for pid in layers["parcels"].index)
    assert len(got["areas"]) == len(expected) and worst < 1e-6, worst


def test_the_meeting_pack_has_a_qgis_project_that_opens_beside_the_data(project, tmp_path, run_qgis):
    from click.testing import CliRunner

    from landkit.cli import main
    from landkit.io import is_landkit_output

    pack = tmp_path / "maps"
    result = CliRunner().invoke(main, ["report", str(project), "-o", str(pack)])
    assert result.exit_code == 0, result.output
    assert is_landkit_output(pack / "project.qgz") and is_landkit_output(pack / "project-findings.gpkg")
    assert not is_landkit_output(project)  # the project itself is never taken for an output
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert 'href="project.qgz"' in index
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(pack / "project.qgz")!r})
        out["layers"] = sorted([l.id(), l.isValid(), l.source().split("|")[0]] for l in p.mapLayers().values())
        out["layouts"] = sorted(l.name() for l in p.layoutManager().layouts())
        """
    )
    sources = {lid: (valid, source) for lid, valid, source in got["layers"]}
    assert all(valid for valid, _ in sources.values())
    # the pack's own snapshot of the project, not the project: the folder travels (`landkit qgis` opens the project)
    assert sources["parcels_landkit"][1] == str(pack / "project.gpkg") and sources["findings_landkit"][1] == str(
        pack / "project-findings.gpkg"
    )
    assert got["layouts"] == ["鲁山县产业集聚区 A3", "鲁山县产业集聚区 A4", "鲁山县产业集聚区 搬迁村庄图集"]
    # a pack rebuilt over itself replaces its own project; a planner's own project file is never replaced
    again = CliRunner().invoke(main, ["report", str(project), "-o", str(pack)])
    assert again.exit_code == 0, again.output
    # the planner saves a style into the findings file: still landkit's output, replaced next month
    run_qgis(
        f"""
        layer = QgsVectorLayer({str(pack / "project-findings.gpkg")!r} + "|layername=findings", "f", "ogr")
        assert layer.saveStyleToDatabase("我的", "", True, "") == ""
        """
    )
    assert CliRunner().invoke(main, ["report", str(project), "-o", str(pack)]).exit_code == 0
    # the planner adjusts the pack's project in QGIS and saves it (Ctrl+S): now it is theirs, never replaced
    run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(pack / "project.qgz")!r})
        p.layoutManager().layouts()[0].setName("县长办公会")
        assert p.write()
        """
    )
    saved = (pack / "project.qgz").read_bytes()
    english = {"LANDKIT_LANG": "en"}  # the refusals below are read in English
    kept = CliRunner().invoke(main, ["report", str(project), "-o", str(pack)], env=english)
    assert kept.exit_code == 2 and "project.qgz" in kept.output and "not a file landkit wrote" in kept.output
    assert (pack / "project.qgz").read_bytes() == saved
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "project.qgz").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: the planner's own
    refused = CliRunner().invoke(main, ["report", str(project), "-o", str(mine)], env=english)
    assert refused.exit_code == 2 and "not a file landkit wrote" in refused.output


def test_an_as_of_pack_has_a_qgis_project_of_that_date(project, tmp_path, run_qgis):
    """`report --as-of` also writes its QGIS project (issue 29): its snapshot holds the parcels on the
    ledger by that date with the statuses their last event by then gave them (replayed here from the
    events table), and every layer opens in QGIS."""
    import sqlite3

    import pyogrio
    from click.testing import CliRunner

    from landkit.cli import main

    day, pack = "2026-06-30", tmp_path / "june"
    with sqlite3.connect(project) as db:
        rows = db.execute("SELECT parcel_id, substr(date, 1, 10), status FROM events ORDER BY date, event_id")
        then: dict[str, str] = {}
        for pid, when, status in rows:
            if when <= day:
                then[pid] = status
        today = dict(db.execute("SELECT parcel_id, status FROM parcels"))
    assert then and any(today[p] != s for p, s in then.items()) and len(then) < len(today)  # the past differs
    past = CliRunner().invoke(main, ["report", str(project), "-o", str(pack), "--as-of", day])
    assert past.exit_code == 0, past.output
    snapshot = pyogrio.read_dataframe(pack / "project.gpkg", layer="parcels", read_geometry=False)
    assert dict(zip(snapshot["parcel_id"], snapshot["status"], strict=True)) == then
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(pack / "project.qgz")!r})
        out["layers"] = sorted([l.id(), l.isValid()] for l in p.mapLayers().values())
        out["parcels"] = p.mapLayer("parcels_landkit").featureCount()
        """
    )
    assert got["layers"] and all(valid for _, valid in got["layers"]) and got["parcels"] == len(then)


def test_a_project_in_several_crss_is_framed_in_its_own_zone_and_titles_stay_text(project, tmp_path, run_qgis):
    """三区三线 and the county delivered in lon/lat, parcels in Gauss-Krüger, no findings: the project
    and its paper map are in the parcels' CRS, framing the parcels; a fully lon/lat project is drawn
    in its Gauss-Krüger zone; a title holding ``[% … %]`` is printed as written, not evaluated."""
    import pyogrio

    for name in ("eco_redline", "basic_farmland", "urban_boundary", "county"):
        layer = landkit.read_layer(project, name)
        pyogrio.write_dataframe(layer.to_crs(4490).reset_index(), project, layer=name, driver="GPKG")
    title = "鲁山 [% 6*7 %] [% @project_path %] 'x'"
    with contextlib.closing(sqlite3.connect(project)) as db, db:
        db.execute("UPDATE project_info SET value = ? WHERE key = 'title'", (title,))
    lonlat = tmp_path / "lonlat.gpkg"
    for name, layer in landkit.read_project(project).items():
        frame = layer.to_crs(4490) if hasattr(layer, "crs") and layer.crs is not None else layer
        pyogrio.write_dataframe(frame.reset_index(), lonlat, layer=name, driver="GPKG")
    mixed = qgis.write_project(project, tmp_path / "mixed.qgz")
    everywhere = qgis.write_project(lonlat, tmp_path / "lonlat.qgz")
    got = run_qgis(
        f"""
        for key, path in (("mixed", {str(mixed)!r}), ("lonlat", {str(everywhere)!r})):
            p = QgsProject.instance()
            p.clear()
            assert p.read(path)
            layout = p.layoutManager().layouts()[0]
            m = layout.itemById("地图")
            parcels = p.mapLayer("parcels_landkit")
            box = QgsCoordinateTransform(parcels.crs(), m.crs(), p).transformBoundingBox(parcels.extent())
            out[key] = [p.crs().authid(), m.crs().authid(), m.extent().contains(box), m.scale() < 100_000,
                        layout.itemById("图名").currentText(), all(l.isValid() for l in p.mapLayers().values())]
        """
    )
    assert got["mixed"] == ["EPSG:4547", "EPSG:4547", True, True, title, True]
    assert got["lonlat"] == ["EPSG:4547", "EPSG:4547", True, True, title, True]


def test_the_findings_file_and_the_planners_own_layers_are_theirs_to_keep(project, tmp_path):
    import pyogrio

    theirs = tmp_path / "现场核查-findings.gpkg"
    shutil.copy(project, theirs)  # a planner's own file, named as landkit would name the findings
    before = theirs.read_bytes()
    found = qgis.audit_layers(landkit.read_project(project))
    with pytest.raises(landkit.DataError, match="not a file landkit wrote"):
        qgis.write_project(project, tmp_path / "现场核查.qgz", audit=found, overwrite=True)
    assert theirs.read_bytes() == before and not (tmp_path / "现场核查.qgz").exists()
    # a layer of the planner's own without a CRS (srs_id -1) is theirs: the project leaves it out
    cad = landkit.read_layer(project, "facilities").reset_index()
    pyogrio.write_dataframe(cad, project, layer="cad_import", driver="GPKG")
    with contextlib.closing(sqlite3.connect(project)) as db, db:
        db.execute("UPDATE gpkg_geometry_columns SET srs_id = -1 WHERE table_name = 'cad_import'")
        db.execute("UPDATE gpkg_contents SET srs_id = -1 WHERE table_name = 'cad_import'")
    out = qgis.write_project(project, tmp_path / "p.qgz", audit=found)
    with zipfile.ZipFile(out) as z:
        assert "cad_import" not in z.read("p.qgs").decode()


def test_postgis_connection_values_are_quoted_as_qgis_reads_them(run_qgis):
    params = {"dbname": "鲁山 db", "user": "o'brien gis", "host": "db\\server", "password": "p@ss'w"}
    source = postgis.qgis_source(params, 'a"b', "parcels", 4547, "Polygon")
    assert "p@ss" not in source
    got = run_qgis(
        f"""
        uri = QgsDataSourceUri({source!r})
        out["parsed"] = [uri.database(), uri.username(), uri.host(), uri.schema(), uri.table(), uri.srid()]
        """
    )
    assert got["parsed"] == [params["dbname"], params["user"], params["host"], 'a"b', "parcels", "4547"]


#: every coded column of the layers in the QGIS project, and its vocabulary (the Chinese the table shows)
CODED = {
    ("parcels", "status"): PARCEL_STATUSES,
    ("parcels", "compensation"): landkit.schema.COMPENSATION_MODES,
    ("villages", "relocation_status"): RELOCATION_STATUSES,
    ("roads", "status"): ROAD_STATUSES,
}
_VALUE_MAPS = f"""
def value_maps(p, suffix):
    got = {{}}
    for layer, field in {list(CODED)!r}:
        l = p.mapLayer(layer + suffix) if suffix is not None else p[layer]
        i = l.fields().indexOf(field)
        setup = l.editorWidgetSetup(i)
        formatter = QgsApplication.fieldFormatterRegistry().fieldFormatter(setup.type())
        # what the attribute table and the form show for each value of the column in the data
        shown = {{str(v): formatter.representValue(l, i, setup.config(), None, v) for v in l.uniqueValues(i) if v}}
        got[layer + "." + field] = [setup.type(), setup.config().get("map"), shown]
    return got
"""


def _check_value_maps(got: dict, layers: dict) -> None:
    for (layer, field), vocabulary in CODED.items():
        kind, entries, shown = got[f"{layer}.{field}"]
        assert kind == "ValueMap", (layer, field)
        assert [next(iter(e.items())) for e in entries] == [(name, code) for code, name in vocabulary.items()]
        values = set(layers[layer][field].dropna().astype(str))
        assert values and set(shown) == values, (layer, field)  # every value of the data, in Chinese
        assert all(shown[v] == vocabulary[v] for v in values), (layer, field, shown)
    assert got["parcels.status"][2]["acquiring"] == "征收中"


@pytest.mark.parametrize("project_url_or_path", ["gpkg", "postgis"], indirect=True)
def test_the_pack_folder_travels_copied_elsewhere_every_layer_of_its_project_opens(
    project_url_or_path, tmp_path, run_qgis
):
    """The meeting pack copied to another PC (another folder, the project out of reach): its QGIS
    project opens the snapshot beside it, every layer valid with every feature, in Chinese."""
    from click.testing import CliRunner

    from landkit.cli import main
    from landkit.schema import LAYERS
    from landkit.store import content_hash

    source = project_url_or_path
    layers = landkit.read_project(source)
    pack = tmp_path / "maps"
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(pack)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(pack / "project.qgz") as z:
        qgs = z.read("project.qgs").decode("utf-8")
    root = ET.fromstring(qgs)
    assert root.findtext("properties/Paths/Absolute") == "false"  # QGIS's relative paths
    sources = [e.text or "" for e in root.iter("datasource")]
    sources += [e.get("source", "") for e in root.iter("layer-tree-layer")]
    sources += [e.get("coverageLayerSource", "") for e in root.iter("Atlas")]
    assert len(sources) == 2 * 12 + 1
    assert all(s.startswith(("./project.gpkg|layername=", "./project-findings.gpkg|layername=")) for s in sources)
    # the snapshot is the project as of the pack: the same features, layer for layer
    snapshot = landkit.read_project(pack / "project.gpkg")
    for name in LAYERS.keys() & layers.keys():
        assert content_hash({name: snapshot[name]}) == content_hash({name: layers[name]}), name
    # another PC: the folder copied under a Chinese name with a space; the project no longer there
    elsewhere = tmp_path / "另一台电脑" / "会议 材料"
    shutil.copytree(pack, elsewhere)
    shutil.rmtree(pack)
    if not str(source).startswith("postgresql"):
        source.rename(source.with_suffix(".moved"))
    got = run_qgis(
        _VALUE_MAPS
        + textwrap.dedent(f"""
        p = QgsProject.instance()
        assert p.read({str(elsewhere / "project.qgz")!r})
        out["layers"] = {{l.id(): [l.isValid(), l.providerType(), l.featureCount(), l.source().split("|")[0]]
                         for l in p.mapLayers().values()}}
        out["maps"] = value_maps(p, "_landkit")
        out["extents"] = {{}}
        for paper in ("A3", "A4"):
            m = [l for l in p.layoutManager().layouts() if l.name().endswith(" " + paper)][0].itemById("地图")
            e = m.extent()
            out["extents"][paper] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
        """)
    )
    assert sorted(got["extents"]) == ["A3", "A4"]
    for paper, (x0, y0, x1, y1) in got["extents"].items():  # each frames every community and the whole zone
        for name in ("communities", "planning_zones", "villages"):
            west, south, east, north = layers[name].total_bounds
            assert x0 < west and east < x1 and y0 < south and north < y1, (paper, name)
    assert len(got["layers"]) == 12  # the 10 of 12 "unavailable", all here
    for lid, (valid, provider, count, path) in got["layers"].items():
        name = lid.removesuffix("_landkit")
        assert valid and provider == "ogr" and os.path.dirname(path) == str(elsewhere), (lid, path)
        if name in layers:
            assert count == len(layers[name]) > 0, (lid, count)
            assert os.path.basename(path) == "project.gpkg", lid
    _check_value_maps(got["maps"], layers)


def test_value_maps_show_the_chinese_names_in_the_attribute_table_from_the_files_own_style(project, run_qgis):
    """A layer added to QGIS by hand from the project (its default style, landkit's): the attribute
    table and the form show 征收中, not ``acquiring``; they store the code."""
    qgis.write_styles(project)
    got = run_qgis(
        _VALUE_MAPS
        + textwrap.dedent(f"""
        path = {str(project)!r}
        layers = {{n: QgsVectorLayer(path + "|layername=" + n, n, "ogr") for n in ("parcels", "villages", "roads")}}
        assert all(l.isValid() for l in layers.values())
        out["maps"] = value_maps(layers, None)
        parcels = layers["parcels"]
        f = next(parcels.getFeatures(QgsFeatureRequest(QgsExpression("status = 'acquiring'"))))
        out["stored"] = f["status"]  # the form writes the code, the table shows the name
        """)
    )
    _check_value_maps(got["maps"], landkit.read_project(project))
    assert got["stored"] == "acquiring"
