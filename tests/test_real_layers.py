"""Real layers as they come (issue 27, item 5): constraint, land-use and boundary layers with their
own columns, nulls, a missing geometry and lon/lat coordinates are checked on their geometry; a
plain polygon layer exports; a Shapefile's .cpg may name any code page Python or GDAL knows."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Geod

import landkit
from landkit.audit import audit
from landkit.cli import main
from landkit.io import cpg_codec, read_source

GEOD = Geod(ellps="GRS80")  # CGCS2000's ellipsoid


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def _geod_m2(geoms, crs) -> np.ndarray:
    """Karney's area of each geometry (lon/lat on GRS80): independent of landkit."""
    lonlat = gpd.GeoSeries(geoms, crs=crs).to_crs(4490)
    return np.array([abs(GEOD.geometry_area_perimeter(g)[0]) if g is not None else np.nan for g in lonlat])


def _farmland_as_it_comes(tmp_path, *, bsm=(1001, 1002, None, 1004)):
    """The sample's 永久基本农田 as a county's 三调-style Shapefile: lon/lat, its own columns (BSM,
    TBBH, DLMC, JBNTMJ) with nulls, GBK text, and one feature without geometry."""
    tidy = landkit.read_layer(landkit.SAMPLE_PATH, "basic_farmland").to_crs(4490)
    # vertices moved by up to 3 cm, as a layer digitised elsewhere is (a function of the vertex: rings stay closed)
    moved = shapely.transform(tidy.geometry.to_numpy(), lambda c: c + 3e-7 * np.sin(c[:, ::-1] * 7e4))
    real = gpd.GeoDataFrame(
        {"BSM": list(bsm), "TBBH": ["0012", None, "0013", "0014"], "DLMC": ["水田", "旱地", None, "水田"],
         "JBNTMJ": [1.5, None, 2.0, 3.1]},
        geometry=[*moved, None], crs=4490,
    )  # fmt: skip
    shp = tmp_path / "永久基本农田.shp"
    real.to_file(shp, encoding="GBK")
    return shp


def _conflicts(found):
    rows = found[(found["rule"] == "basic_farmland") & (found["layer"] == "parcels")]
    return {ids[0]: m2 for ids, m2 in zip(rows["ids"], rows["area_m2"], strict=True)}


def test_a_farmland_layer_without_patch_id_gives_its_conflicts(tmp_path, sample_copy):
    tidy = _conflicts(audit(landkit.read_project(landkit.SAMPLE_PATH)))
    assert tidy  # the sample has conflicts with its farmland
    shp = _farmland_as_it_comes(tmp_path)
    assert run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite").exit_code == 0
    layers = landkit.read_project(sample_copy)
    assert "patch_id" not in layers["basic_farmland"] and layers["basic_farmland"].index.name is None
    found = audit(layers)
    got = _conflicts(found)
    # the same parcels in conflict, their areas within the few centimetres the vertices moved
    assert set(got) == set(tidy)
    for pid, m2 in got.items():
        assert m2 == pytest.approx(tidy[pid], rel=2e-3), pid
    # independently: each conflict is the parcel's intersection with the farmland, measured by Karney
    parcels = layers["parcels"]
    farm = layers["basic_farmland"].to_crs(parcels.crs)
    union = shapely.union_all(farm.geometry.dropna().to_numpy())
    ids = sorted(got)
    karney = _geod_m2(shapely.intersection(parcels.geometry.loc[ids].to_numpy(), union), parcels.crs)
    assert np.array([got[i] for i in ids]) == pytest.approx(karney, rel=1e-6)
    # the missing columns: one warning, saying the features are named by their number
    schema = found[(found["rule"] == "schema") & (found["layer"] == "basic_farmland")]
    assert list(schema["severity"]) == ["warning"] and "fid" in schema["message"].iloc[0]
    assert "patch_id" in schema["message"].iloc[0] and "要素序号" in schema["message_zh"].iloc[0]
    # the feature without geometry is named by its fid (GeoPackage numbers from 1), as QGIS shows it
    empty = found[(found["rule"] == "empty_geometry") & (found["layer"] == "basic_farmland")]
    assert list(empty["ids"]) == [["4"]]
    assert landkit.read_layer(sample_copy, "basic_farmland").index.tolist() == [1, 2, 3, 4]


def test_a_layers_own_id_column_names_its_features(tmp_path, sample_copy):
    shp = _farmland_as_it_comes(tmp_path, bsm=(1001, 1002, 1003, 1004))  # BSM complete and distinct
    assert run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite").exit_code == 0
    layers = landkit.read_project(sample_copy)
    assert layers["basic_farmland"].index.name == "BSM"
    found = audit(layers)
    empty = found[(found["rule"] == "empty_geometry") & (found["layer"] == "basic_farmland")]
    assert list(empty["ids"]) == [["1004"]]
    schema = found[(found["rule"] == "schema") & (found["layer"] == "basic_farmland")]
    assert "own id column BSM" in schema["message"].iloc[0] and "BSM" in schema["message_zh"].iloc[0]
    assert _conflicts(found)  # and still its conflicts
    # a BSM with a duplicate is no id: the features are numbered instead
    shp = _farmland_as_it_comes(tmp_path, bsm=(1001, 1001, 1003, 1004))
    assert run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite").exit_code == 0
    assert landkit.read_layer(sample_copy, "basic_farmland").index.name is None


def test_info_says_a_warning_not_an_error_for_a_real_constraint_layer(tmp_path, sample_copy):
    shp = _farmland_as_it_comes(tmp_path)
    assert run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite").exit_code == 0
    result = run("info", sample_copy)
    assert "patch_id" in result.output
    # the missing geometry is an error of its own; the missing columns alone would not be
    assert result.exit_code == 1 and "without geometry" in result.output


def test_a_land_use_layer_without_code_or_plot_id_is_still_checked(tmp_path, sample_copy):
    use = landkit.read_layer(landkit.SAMPLE_PATH, "land_use").to_crs(4490).reset_index(drop=True)
    bow = shapely.Polygon([(113.0, 33.8), (113.001, 33.801), (113.001, 33.8), (113.0, 33.801)])  # a bow-tie
    real = gpd.GeoDataFrame({"DLBM": [*use["code"].tolist(), "0101"]}, geometry=[*use.geometry, bow], crs=4490)
    src = tmp_path / "三调.geojson"
    real.to_file(src)
    assert run("import", src, sample_copy, "--layer", "land_use", "--overwrite").exit_code == 0
    found = audit(landkit.read_project(sample_copy))
    schema = found[(found["rule"] == "schema") & (found["layer"] == "land_use")]
    assert list(schema["severity"]) == ["warning"] and "land-use code" in schema["message"].iloc[0]
    # its invalid polygon is still a finding (a missing column no longer disables the layer's checks)
    bad = found[(found["rule"] == "invalid_geometry") & (found["layer"] == "land_use")]
    assert list(bad["ids"]) == [[str(len(real))]]
    result = run("zones", sample_copy, "--format", "json")
    assert result.exit_code == 0, result.output


def test_export_of_a_plain_polygon_layer_is_one_list(tmp_path, sample_copy):
    parcels = landkit.read_layer(landkit.SAMPLE_PATH, "parcels").to_crs(4490)
    plain = gpd.GeoDataFrame({"parcel_id": parcels.index[:30]}, geometry=parcels.geometry.to_numpy()[:30], crs=4490)
    plain.loc[7, "geometry"] = None  # a parcel without geometry: listed, not measured
    src = tmp_path / "plain.geojson"
    plain.to_file(src)
    assert run("import", src, sample_copy, "--layer", "parcels", "--overwrite").exit_code == 0
    out = tmp_path / "list.csv"
    result = run("export", sample_copy, "-o", out)
    assert result.exit_code == 0, result.output
    import pandas as pd

    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"地块编号": str})
    assert set(table["分组(村)"]) == {"全部地块"}  # one list, no village grouping
    assert "村" not in table.columns and "登记面积(亩)" not in table.columns
    rows, total = table.iloc[:-1], table.iloc[-1]
    assert len(rows) == 30 and total["地块编号"] == "合计 30 块"
    karney = _geod_m2(plain.geometry.to_numpy(), 4490)
    measured = rows.set_index("地块编号")["实测面积(m²)"].reindex(plain["parcel_id"]).to_numpy()
    assert np.isnan(measured[7]) and measured[~np.isnan(karney)] == pytest.approx(karney[~np.isnan(karney)], abs=0.006)
    assert total["实测面积(m²)"] == pytest.approx(rows["实测面积(m²)"].sum(), abs=1e-6)
    for by in ("status", "target"):
        again = run("export", sample_copy, "-o", tmp_path / f"by-{by}.xlsx", "--by", by)
        assert again.exit_code == 0, again.output


@pytest.mark.parametrize(
    ("named", "codec"),
    [("ISO-8859-1", "iso8859-1"), ("8859_1", "iso8859-1"), ("88591", "iso8859-1"), ("ISO 88591", "iso8859-1"),
     ("ANSI 1252", "cp1252"), ("1252", "cp1252"), ("LATIN1", "iso8859-1"), ("8859_15", "iso8859-15"),
     ("65001", "utf-8"), ("UTF8", "utf-8"), ("936", "gb18030"), ("ANSI 936", "gb18030"), ("big5", "big5"),
     ("no such page", None)],
)  # fmt: skip
def test_cpg_names_as_writers_spell_them(named, codec):
    assert cpg_codec(named) == codec


@pytest.mark.parametrize("named", ["ISO-8859-1", "8859_1", "88591", "ANSI 1252", "LATIN1"])
def test_a_latin_shapefile_reads_with_the_code_page_its_cpg_names(tmp_path, named):
    # names whose Latin-1 bytes pair up into GBK ideographs: the Chinese guess must not win
    names = ["Côte d'Ivoire", "São Tomé and Principe", "Curaçao", "Réunion", "Genève"]
    boxes = [shapely.box(113 + i / 100, 33.7, 113.005 + i / 100, 33.705) for i in range(5)]
    shp = tmp_path / "latin.shp"
    gpd.GeoDataFrame({"NAME": names}, geometry=boxes, crs=4490).to_file(shp, encoding="ISO-8859-1")
    shp.with_suffix(".cpg").write_text(named, encoding="ascii")
    assert list(read_source(shp)["NAME"]) == names


def test_a_cpg_that_lies_is_refused_in_a_line(tmp_path, sample_copy):
    shp = tmp_path / "latin.shp"
    gdf = gpd.GeoDataFrame({"NAME": ["Genève"]}, geometry=[shapely.box(113, 33.7, 113.005, 33.705)], crs=4490)
    gdf.to_file(shp, encoding="ISO-8859-1")
    shp.with_suffix(".cpg").write_text("UTF-8", encoding="ascii")
    result = run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "latin.shp" in result.output and "--encoding" in result.output and "UTF-8" in result.output
    zh = run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite", lang="zh")
    assert zh.exit_code == 2 and "编码" in zh.output
    # the fix it gives works
    fixed = run("import", shp, sample_copy, "--layer", "basic_farmland", "--overwrite", "--encoding", "ISO-8859-1")
    assert fixed.exit_code == 0, fixed.output
    assert list(landkit.read_layer(sample_copy, "basic_farmland")["NAME"]) == ["Genève"]


def test_a_findings_layer_keeps_its_polygons_when_a_parcel_has_no_geometry(tmp_path, sample_copy):
    parcels = pyogrio.read_dataframe(sample_copy, layer="parcels")
    parcels.loc[5, "geometry"] = None
    src = tmp_path / "parcels.geojson"
    parcels.to_file(src)
    assert run("import", src, sample_copy, "--layer", "parcels", "--overwrite").exit_code == 0
    out = tmp_path / "p.qgz"
    assert run("qgis", sample_copy, "-o", out).exit_code == 0
    findings = tmp_path / "p-findings.gpkg"
    kinds = dict(pyogrio.list_layers(findings))
    assert kinds == {"findings": "MultiPolygon", "conflicts": "MultiPolygon"}
    found = pyogrio.read_dataframe(findings, layer="findings")
    blank = found[found.geometry.isna()]
    assert list(blank["ids"]) == [parcels.loc[5, "parcel_id"]]  # listed, without a shape
    assert found.geometry.notna().sum() == len(found) - 1 > 0


def test_info_describes_extra_layers_in_one_pass_as_gdal_does(tmp_path, sample_copy):
    from landkit.store import describe_project

    parcels = pyogrio.read_dataframe(sample_copy, layer="parcels").head(5)[["parcel_id", "geometry"]]
    for i in range(6):
        pyogrio.write_dataframe(parcels, sample_copy, layer=f"extra_{i}")
    pyogrio.write_dataframe(parcels.to_crs(4490).explode(), sample_copy, layer="lonlat")
    pyogrio.write_dataframe(parcels.assign(geometry=None), sample_copy, layer="blank")  # no geometry at all
    # a layer whose coordinates cannot be in its CRS: still a finding, though not read by GDAL
    misplaced = parcels.assign(geometry=parcels.geometry.translate(20_000_000, 0))
    pyogrio.write_dataframe(misplaced, sample_copy, layer="misplaced")
    layers, about = describe_project(sample_copy)
    for name, _ in pyogrio.list_layers(sample_copy):
        info = pyogrio.read_info(sample_copy, layer=name)
        got = about[name]
        assert got["features"] == info["features"], name
        assert got["geometry_type"] == info["geometry_type"], name
        assert (got["crs"] is None) == (info["crs"] is None) and (got["crs"] is None or got["crs"] == info["crs"])
    assert layers["extra_3"].geometry.equals(parcels.set_crs(parcels.crs).geometry.set_axis(range(1, 6)))
    result = run("info", sample_copy)
    assert result.exit_code == 1 and "misplaced" in result.output and "extra_5" in result.output
