"""The survey-exchange text (报部格式): hand-made files as counties receive them (GBK and UTF-8,
CRLF, stray spaces, old key spellings, with and without the zone prefix and point letters, holes,
multi-part plots) read to the millimetre; broken files refused naming the plot and the line;
what landkit writes reads back to the millimetre with the same attributes."""

from __future__ import annotations

import io
import re
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from pyproj import CRS, Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon

import landkit
from landkit import exchange
from landkit.cli import main
from landkit.errors import CRSError, DataError

# Hand-made plots in CGCS2000 3-degree zone 38 (CM 114E), eastings without the prefix:
# DK-1 a 100 m square with a 20 m square hole, DK-2 two 50 m squares (one plot, two parts).
SQUARE = [(402000, 3740100), (402100, 3740100), (402100, 3740000), (402000, 3740000)]
HOLE = [(402040, 3740060), (402060, 3740060), (402060, 3740040), (402040, 3740040)]
PART_A = [(402200, 3740050), (402250, 3740050), (402250, 3740000), (402200, 3740000)]
PART_B = [(402300, 3740050), (402350, 3740050), (402350, 3740000), (402300, 3740000)]
EXPECTED = {"DK-1": Polygon(SQUARE, [HOLE]), "DK-2": MultiPolygon([Polygon(PART_A), Polygon(PART_B)])}

GBK_FILE = """\
[属性描述]
格式版本号=1.0
数据产生单位=鲁山县测绘队
数据产生日期=2026-11-20
坐标系=2000国家大地坐标系
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=38
精度=0.001
转换参数=,,,,,,
[地块坐标]
10,0.9598,DK-1,马楼一号,面,I49G001001,工业用地,0601,@
J1,1,3740100.000,38402000.000
 J2 , 1 , 3740100.000 , 38402100.000
J3,1,3740000.000,38402100.000
J4,1,3740000.000,38402000.000
J1,1,3740100.000,38402000.000
J5,2,3740060.000,38402040.000
J6,2,3740060.000,38402060.000
J7,2,3740040.000,38402060.000
J8,2,3740040.000,38402040.000
J5,2,3740060.000,38402040.000

10,0.4999,DK-2,马楼二号,面,,工业用地,0601,@
J1,1,3740050.000,38402200.000
J2,1,3740050.000,38402250.000
J3,1,3740000.000,38402250.000
J4,1,3740000.000,38402200.000
J1,1,3740050.000,38402200.000
J5,2,3740050.000,38402300.000
J6,2,3740050.000,38402350.000
J7,2,3740000.000,38402350.000
J8,2,3740000.000,38402300.000
J5,2,3740050.000,38402300.000
"""

# the same plots as another tool writes them: UTF-8 with a BOM, LF, 分带=3度带, an empty 带号 (the
# eastings carry it), bare point numbers, the area with its unit, full-width commas, the hole first
UTF8_FILE = """\
[属性描述]
坐标系 = 2000国家大地坐标系
分带=3度带
带号=
[地块坐标]
10,0.9598公顷,DK-1,马楼一号,面,I49G001001,工业用地,0601,@
5,1,3740060.000,38402040.000
6,1,3740060.000,38402060.000
7,1,3740040.000,38402060.000
8,1,3740040.000,38402040.000
5,1,3740060.000,38402040.000
1，2，3740100.000，38402000.000
2，2，3740100.000，38402100.000
3，2，3740000.000，38402100.000
4，2，3740000.000，38402000.000
1，2，3740100.000，38402000.000
10,4999平方米,DK-2,马楼二号,面,,工业用地,0601,@
1,1,3740050.000,38402200.000
2,1,3740050.000,38402250.000
3,1,3740000.000,38402250.000
4,1,3740000.000,38402200.000
1,1,3740050.000,38402200.000
5,2,3740050.000,38402300.000
6,2,3740050.000,38402350.000
7,2,3740000.000,38402350.000
8,2,3740000.000,38402300.000
5,2,3740050.000,38402300.000
"""


def unprefixed(text: str) -> str:
    """The file with its eastings written without the zone prefix (38402000.000 -> 402000.000)."""
    return re.sub(r"([,，]\s*)38(4\d{5}\.)", r"\g<1>\2", text)


def same(got, want) -> bool:
    """The same outline to the millimetre: every vertex within 1 mm, the same area to 1 cm²."""
    return shapely.hausdorff_distance(got, want) <= 0.001 and abs(got.area - want.area) < 1e-4


VARIANTS = {
    "gbk crlf, prefix, J names": GBK_FILE.replace("\n", "\r\n").encode("gbk"),
    "utf-8 bom lf, 分带=3度带, empty 带号, numbers, hole first": b"\xef\xbb\xbf" + UTF8_FILE.encode("utf-8"),
    "gb18030, no prefix": unprefixed(GBK_FILE).encode("gb18030"),
    "utf-8 without bom, no prefix, 带号 given": unprefixed(UTF8_FILE).replace("带号=", "带号=38").encode("utf-8"),
}
assert "38402" not in unprefixed(GBK_FILE) + unprefixed(UTF8_FILE)


def lines_of(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_hand_made_variants_read_to_the_millimetre(name):
    gdf, findings = exchange.read(VARIANTS[name])
    assert findings == []
    assert gdf.crs == CRS.from_epsg(4547)  # CGCS2000 3-degree CM 114E, the prefix taken off
    assert gdf["plot_id"].tolist() == ["DK-1", "DK-2"]
    for pid, geom in zip(gdf["plot_id"], gdf.geometry, strict=True):
        want = EXPECTED[pid]
        assert geom.geom_type == want.geom_type
        assert shapely.equals_exact(shapely.normalize(geom), shapely.normalize(want), tolerance=0.001), pid
    assert gdf["name"].tolist() == ["马楼一号", "马楼二号"]
    assert gdf["land_use"].tolist() == ["工业用地", "工业用地"] and gdf["land_class"].tolist() == ["0601", "0601"]
    assert gdf["map_sheet"].tolist() == ["I49G001001", ""]
    assert gdf["stated_area_ha"].tolist() == pytest.approx([0.9598, 0.4999])
    assert gdf["stated_area_mu"].tolist() == pytest.approx([0.9598 * 15, 0.4999 * 15])


def test_six_degree_zones_and_old_datums_get_their_own_crs():
    # a point near Lushan in CGCS2000 6-degree zone 19 (CM 111E), computed by PROJ here
    e, n = Transformer.from_crs(4490, 4497, always_xy=True).transform(112.9, 33.74)  # zone 19, prefixed
    ring = [(e, n), (e + 80, n), (e + 80, n - 60), (e, n - 60), (e, n)]
    points = "\n".join(f"J{k % 4 + 1},1,{y:.3f},{x:.3f}" for k, (x, y) in enumerate(ring))
    text = f"[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=6\n带号=19\n[地块坐标]\n5,0.4800,A,甲,面,,,,@\n{points}\n"
    gdf, findings = exchange.read(text)
    assert findings == [] and gdf.crs.to_epsg() == 4508 and "CM 111E" in gdf.crs.name
    assert shapely.equals_exact(gdf.geometry[0], Polygon([(x - 19e6, y) for x, y in ring]), tolerance=0.001)
    xian, _ = exchange.read(unprefixed(GBK_FILE).replace("2000国家大地坐标系", "1980西安坐标系"))
    assert xian.crs.to_epsg() == 2383 and "Xian 1980" in xian.crs.name and "114E" in xian.crs.name
    beijing, _ = exchange.read(GBK_FILE.replace("2000国家大地坐标系", "北京54").replace("几度分带=3", "几度分带="))
    assert beijing.crs.to_epsg() == 2435 and "Beijing 1954" in beijing.crs.name


def test_the_tables_epsg_codes_are_what_pyproj_calls_them():
    for (datum, band), (first, prefixed, cm) in exchange.GK.items():
        words = {"cgcs2000": "CGCS2000", "xian80": "Xian 1980", "beijing54": "Beijing 1954"}[datum]
        last = first + len(exchange.ZONES[band]) - 1
        assert CRS.from_epsg(prefixed).name.startswith(words) and CRS.from_epsg(prefixed).name.endswith(f"zone {first}")
        assert CRS.from_epsg(prefixed + last - first).name.endswith(f"zone {last}")
        assert CRS.from_epsg(cm).name.endswith("CM 75E") and CRS.from_epsg(cm + last - first).name.endswith("CM 135E")
        assert ("3-degree" in CRS.from_epsg(cm).name) == (band == 3)


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line (after line ``after``) that holds ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if i > after and needle in line)


BROKEN = {
    # name: (a change to GBK_FILE, the finding's code, the plot, the text of the line it names)
    "unclosed ring": ("J5,2,3740060.000,38402040.000\n\n", "exchange.unclosed", "DK-1", "J8,2,3740040.000"),
    "count": ("10,0.4999,DK-2", "exchange.count", "DK-2", "9,0.4999,DK-2"),
    "zero-length edge": ("J7,2,3740040.000,38402060.000\n", "exchange.zero_length", "DK-1", "J7,2,3740040.000"),
    "bow-tie": ("J3,1,3740000.000,38402100.000\nJ4,1,3740000.000,38402000.000\n", "exchange.self_intersection",
                "DK-1", "J1,1,3740100.000"),
    "prefix off 带号": ("J6,2,3740050.000,38402350.000", "exchange.prefix", "DK-2", "J6,2,3740050.000,39402350.000"),
    "swapped": ("J3,1,3740000.000,38402250.000", "exchange.swapped", "DK-2", "J3,1,38402250.000,3740000.000"),
    "line kind": ("面,,工业用地,0601,@\nJ1,1,3740050", "exchange.not_area", "DK-2", "线,,工业用地"),
    "unreadable point": ("J7,2,3740000.000,38402350.000", "exchange.bad_point", "DK-2", "J7,2,374OOOO.000"),
    "thousands separators": ("J7,2,3740000.000,38402350.000", "exchange.bad_point", "DK-2", "J7,2,3740000.000,38,"),
    "hole crossing the outer ring": ("J6,2,3740060.000,38402060.000", "exchange.rings_cross", "DK-1", "10,0.9598,DK-1"),
}  # fmt: skip


def broken(name: str) -> str:
    old = BROKEN[name][0]
    replacement = {
        "unclosed ring": "\n",  # DK-1's hole loses its closing point (and the count follows)
        "count": "9,0.4999,DK-2",
        "zero-length edge": "J7,2,3740040.000,38402060.000\nJ7,2,3740040.000,38402060.000\n",
        "bow-tie": "J4,1,3740000.000,38402000.000\nJ3,1,3740000.000,38402100.000\n",
        "prefix off 带号": "J6,2,3740050.000,39402350.000",
        "swapped": "J3,1,38402250.000,3740000.000",
        "line kind": "线,,工业用地,0601,@\nJ1,1,3740050",
        "unreadable point": "J7,2,374OOOO.000,38402350.000",
        "thousands separators": "J7,2,3740000.000,38,402,350.000",  # six fields: never read as the first four
        "hole crossing the outer ring": "J6,2,3740060.000,38402160.000",
    }[name]
    text = GBK_FILE.replace(old, replacement, 1)
    if name == "unclosed ring":
        text = text.replace("10,0.9598,DK-1", "9,0.9598,DK-1")
    if name == "zero-length edge":
        text = text.replace("10,0.9598,DK-1", "11,0.9598,DK-1")
    assert text != GBK_FILE
    return text


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_refused_naming_the_plot_and_the_line(name):
    text = broken(name)
    _, code, plot, shown = BROKEN[name]
    line = line_of(text, shown, after=line_of(text, "[地块坐标]")) if name != "zero-length edge" else (
        line_of(text, shown, after=line_of(text, shown))  # the second, repeating copy
    )  # fmt: skip
    gdf, findings = exchange.read(text.replace("\n", "\r\n").encode("gbk"))
    errors = [f for f in findings if f.severity == "error"]
    assert [(f.code, f.plot, f.line) for f in errors] == [(code, plot, line)], [str(f) for f in findings]
    assert gdf.geometry[gdf["plot_id"] == plot].isna().all()  # never a plot placed from a broken file
    other = "DK-2" if plot == "DK-1" else "DK-1"
    assert shapely.equals_exact(
        shapely.normalize(gdf.geometry[gdf["plot_id"] == other].iloc[0]), shapely.normalize(EXPECTED[other]), 0.001
    )
    assert f"第 {line} 行（地块 {plot}）" in errors[0].text("zh") and f"line {line} (plot {plot})" in str(errors[0])


def test_the_area_and_a_count_without_closing_points_are_warnings():
    text = GBK_FILE.replace("10,0.4999,DK-2", "8,0.5200,DK-2")
    gdf, findings = exchange.read(text)
    got = {(f.code, f.severity, f.plot, f.line) for f in findings}
    header = line_of(text, "8,0.5200,DK-2")
    assert got == {("exchange.count_open", "warning", "DK-2", header), ("exchange.area", "warning", "DK-2", header)}
    assert gdf.geometry.notna().all()
    # the area's tolerance: 1e-3 of the computed area plus the last stated digit; 0.4999 is in, 0.4993 out
    to_lonlat = Transformer.from_crs(4547, 4490, always_xy=True)
    lonlat = shapely.transform(EXPECTED["DK-2"], lambda c: np.column_stack(to_lonlat.transform(c[:, 0], c[:, 1])))
    computed = Geod(ellps="GRS80").geometry_area_perimeter(lonlat)[0]
    assert abs(computed) / 1e4 == pytest.approx(0.49988, abs=1e-5)  # scale at 98 km from the CM: 2.4e-4
    assert not exchange.read(GBK_FILE.replace("0.4999,DK-2", "0.4994,DK-2"))[1]
    assert exchange.read(GBK_FILE.replace("0.4999,DK-2", "0.4992,DK-2"))[1][0].code == "exchange.area"


def test_files_without_a_crs_landkit_can_name_are_refused():
    with pytest.raises(CRSError) as caught:
        exchange.read(unprefixed(GBK_FILE).replace("带号=38", "带号="))
    assert caught.value.code == "exchange.no_zone"
    with pytest.raises(CRSError, match="not one landkit knows"):
        exchange.read(GBK_FILE.replace("2000国家大地坐标系", "WGS84"))
    with pytest.raises(CRSError) as caught:
        exchange.read(GBK_FILE.replace("几度分带=3", "几度分带=6"))  # zone 38 is no 6-degree zone
    assert caught.value.code == "exchange.band_zone"
    with pytest.raises(DataError) as caught:
        exchange.read("地块,面积\n1,2\n")
    assert caught.value.code == "exchange.not_exchange"


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "lushan.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, path)
    return path


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="landkit", env=env or {"LANDKIT_LANG": "zh"})


def test_landkit_import_reads_the_file_and_refuses_a_broken_one(project, tmp_path):
    good = tmp_path / "勘测定界.txt"
    good.write_bytes(VARIANTS["gbk crlf, prefix, J names"])
    result = run("import", good, project, "--layer", "survey")
    assert result.exit_code == 0, result.output
    survey = landkit.read_layer(project, "survey")
    assert survey.crs.to_epsg() == 4547 and survey["plot_id"].tolist() == ["DK-1", "DK-2"]
    assert same(survey.geometry[0], EXPECTED["DK-1"]) and same(survey.geometry[1], EXPECTED["DK-2"])
    bad = tmp_path / "退回.txt"
    text = broken("swapped")
    bad.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    before = project.read_bytes()
    result = run("import", bad, project, "--layer", "survey2")
    line = line_of(text, "J3,1,38402250.000")
    assert result.exit_code == 2 and f"第 {line} 行（地块 DK-2）" in result.output and "写反" in result.output
    assert project.read_bytes() == before
    # Xi'an 1980 is not moved onto the project's CGCS2000 by guesswork
    xian = tmp_path / "西安80.txt"
    xian.write_bytes(GBK_FILE.replace("2000国家大地坐标系", "1980西安坐标系").encode("gbk"))
    result = run("import", xian, project, "--layer", "xian", env={"LANDKIT_LANG": "en"})
    assert result.exit_code == 2 and "Xian 1980" in result.output and "--datum-transform" in result.output


def test_export_of_the_approval_task_reads_back_to_the_millimetre(project, tmp_path):
    out = tmp_path / "报批.txt"
    result = run("export", project, "-o", out, "--target", "T-approval")
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    text = raw.decode("gbk")  # GBK, CRLF: every line ends in CRLF
    assert raw.count(b"\r\n") == raw.count(b"\n") == len(text.splitlines())
    layers = landkit.read_project(project)
    task = layers["target_parcels"]
    wanted = sorted(task.loc[task["target_id"] == "T-approval", "parcel_id"])
    head = text.split("[地块坐标]")[0]
    assert "坐标系=2000国家大地坐标系" in head and "几度分带=3" in head and "带号=38" in head
    assert f"数据产生单位={layers['project_info'].loc['organisation', 'value']}" in head
    back, findings = exchange.read(raw)
    assert findings == [] and sorted(back["plot_id"]) == wanted and back.crs.to_epsg() == 4547
    parcels = layers["parcels"].loc[back["plot_id"]]
    distance = shapely.hausdorff_distance(back.geometry.to_numpy(), parcels.geometry.to_numpy())
    assert distance.max() <= 0.001
    assert back["land_use"].tolist() == parcels["land_use"].tolist()
    # every point line: a J name, the easting with the zone prefix, millimetres
    points = [line for line in text.splitlines() if line.startswith("J")]
    assert all(len(p.split(",")[3].split(".")[0]) == 8 and p.split(",")[3].startswith("38") for p in points)
    assert all(len(p.split(",")[2].split(".")[1]) == 3 for p in points)
    # the areas are `landkit areas --method cn2008 --unit ha` to 0.0001 ha
    areas = run("areas", project, "--method", "cn2008", "--unit", "ha", "--format", "csv", env={"LANDKIT_LANG": "en"})
    table = pd.read_csv(io.StringIO(areas.stdout), dtype={"parcel_id": str}).set_index("parcel_id")
    assert (back["stated_area_ha"].to_numpy() == table.loc[back["plot_id"], "area_ha"].to_numpy()).all()
    # imported back, the outlines are the same to 1 mm
    assert run("import", out, project, "--layer", "approval").exit_code == 0
    imported = landkit.read_layer(project, "approval")
    assert shapely.hausdorff_distance(imported.geometry.to_numpy(), parcels.geometry.to_numpy()).max() <= 0.001


def test_written_holes_and_parts_read_back_with_their_attributes():
    parcels = gpd.GeoDataFrame(
        {"name": ["马楼一号", "马楼二号"], "land_use": ["工业用地", "仓储用地"], "land_class": ["0601", "0602"]},
        geometry=[EXPECTED["DK-1"], EXPECTED["DK-2"]],
        index=pd.Index(["DK-1", "DK-2"], name="parcel_id"),
        crs="EPSG:4547",
    )
    raw = exchange.write(
        parcels, info={"organisation": "鲁山县自然资源局"}, encoding="utf-8", newline="\n", date="2026-11-27"
    )
    text = raw.decode("utf-8")
    assert "数据产生日期=2026-11-27" in text and "\r" not in text
    plot = text.splitlines()[line_of(text, "DK-1") - 1]
    assert plot.startswith("10,") and plot.endswith(",DK-1,马楼一号,面,,工业用地,0601,@")
    back, findings = exchange.read(raw)
    assert findings == []
    assert back[["plot_id", "name", "land_use", "land_class"]].to_dict("list") == {
        "plot_id": ["DK-1", "DK-2"], "name": ["马楼一号", "马楼二号"], "land_use": ["工业用地", "仓储用地"],
        "land_class": ["0601", "0602"],
    }  # fmt: skip
    for got, want in zip(back.geometry, parcels.geometry, strict=True):
        assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(want), tolerance=0.001)
    # outer rings clockwise as surveyors draw them (X north, Y east), holes anticlockwise
    ring_1 = [
        tuple(map(float, line.split(",")[2:])) for line in text.splitlines() if line.startswith("J") and ",1," in line
    ][:5]
    north, east = np.array(ring_1).T
    assert np.sum(east[:-1] * north[1:] - east[1:] * north[:-1]) < 0  # shoelace in (E, N): negative = clockwise


def test_a_parcel_that_would_be_rejected_refuses_the_export_by_id(project, tmp_path):
    layers = landkit.read_project(project)
    parcels = layers["parcels"].iloc[:3].copy()
    bow_tie = Polygon([(402000, 3740000), (402100, 3740100), (402100, 3740000), (402000, 3740100)])
    parcels.loc[parcels.index[1], "geometry"] = bow_tie
    parcels.loc[parcels.index[2], "land_use"] = "工业用地,仓储"
    with pytest.raises(exchange.ExchangeRefused) as caught:
        exchange.write(parcels)
    named = {f.plot for f in caught.value.findings}
    assert named == {parcels.index[1], parcels.index[2]}
    assert parcels.index[1] in caught.value.text("zh") and "未写出文件" in caught.value.text("zh")
    with pytest.raises(exchange.ExchangeRefused) as caught:
        exchange.write(layers["parcels"].iloc[:1].assign(name="𠀀村"))  # not in GBK
    assert caught.value.findings[0].code == "exchange.unencodable"
    assert exchange.write(layers["parcels"].iloc[:1].assign(name="𠀀村"), encoding="utf-8")


def test_export_selects_by_status_village_and_ids(project, tmp_path):
    out = tmp_path / "a.txt"
    layers = landkit.read_project(project)
    parcels = layers["parcels"]
    ids = list(parcels.index[:3])
    assert run("export", project, "-o", out, "--parcels", ",".join(ids), "--encoding", "utf-8").exit_code == 0
    back, _ = exchange.read(out.read_bytes())
    assert sorted(back["plot_id"]) == sorted(ids)
    assert run("export", project, "-o", out, "--status", "已批复", "--overwrite").exit_code == 0
    assert sorted(exchange.read(out.read_bytes())[0]["plot_id"]) == sorted(
        parcels.index[parcels["status"] == "approved"]
    )
    village = parcels["village_code"].iloc[0]
    chosen = exchange.select(layers, village=str(village), status="planned")
    assert set(chosen.index) == set(
        parcels.index[(parcels["village_code"] == village) & (parcels["status"] == "planned")]
    )
    result = run("export", project, "-o", tmp_path / "b.txt", "--parcels", "CB00001,NOPE")
    assert result.exit_code == 2 and "NOPE" in result.output and not (tmp_path / "b.txt").exists()
    # the selection also narrows the Excel lists
    assert run("export", project, "-o", tmp_path / "c.csv", "--parcels", ",".join(ids)).exit_code == 0
    listed = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", dtype=str)
    assert set(listed.iloc[:, 0]) - {x for x in listed.iloc[:, 0] if x.startswith("合计")} == set(ids)


def test_the_example_in_data_reads_clean():
    from pathlib import Path

    example = Path(__file__).parent.parent / "data" / "exchange" / "example.txt"
    raw = example.read_bytes()
    assert b"\r\n" in raw and raw.decode("gbk")
    gdf, findings = exchange.read(raw)
    assert findings == [] and len(gdf) == 2 and gdf.crs.to_epsg() == 4547


def test_a_file_without_a_readable_point_is_refused_and_a_short_line_is_a_finding(tmp_path):
    head = GBK_FILE.split("[地块坐标]")[0] + "[地块坐标]\n10,0.9598,DK-1,马楼一号,面,,工业用地,0601,@\n"
    for text in (head, head + "J1,1\n"):  # no point line at all; only a line of two fields
        with pytest.raises(DataError) as refused:
            exchange.read(text.encode("gbk"))
        assert refused.value.code == "exchange.no_point_lines"
    short = GBK_FILE.replace("J3,1,3740000.000,38402100.000\n", "J3,1\n", 1)  # among readable lines
    _, findings = exchange.read(short.encode("gbk"))
    assert ("exchange.bad_point", "DK-1") in {(f.code, f.plot) for f in findings if f.severity == "error"}
    (tmp_path / "empty.txt").write_bytes(head.encode("gbk"))
    result = run("import", tmp_path / "empty.txt", tmp_path / "p.gpkg", "--layer", "survey")
    assert result.exit_code == 2 and "没有一行能读的界址点" in result.output and "empty.txt" in result.output
