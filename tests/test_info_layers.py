"""`landkit info` on a file of many layers: listed as GDAL lists them, read as GDAL reads them, with
GDAL shown only the layer it reads (its open is proportional to all the file's tables).

The timing itself is a benchmark (``python benchmarks/info.py``), not a test."""

import sqlite3
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main
from landkit.store import describe_project, gpkg


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def _few_parcels(path):
    return pyogrio.read_dataframe(path, layer="parcels").head(5)[["parcel_id", "geometry"]]


def gdal_names(path) -> list[str]:
    return [str(name) for name, _ in pyogrio.list_layers(path)]


def test_layers_are_listed_in_gdals_order_with_tables_and_odd_names(sample_copy):
    parcels = _few_parcels(sample_copy)
    for name in ("zeta", "Alpha", "o'brien", "地块 二", "mid"):
        pyogrio.write_dataframe(parcels, sample_copy, layer=name)
    pyogrio.write_dataframe(pd.DataFrame({"note": ["a", "b"]}), sample_copy, layer="a_table")
    pyogrio.write_dataframe(parcels.to_crs(4490), sample_copy, layer="lonlat")
    described = gpkg.describe(Path(sample_copy))
    assert list(described) == gdal_names(sample_copy)
    assert described["a_table"]["geometry_type"] is None and described["a_table"]["features"] == 2
    assert described["lonlat"]["crs"].to_epsg() == 4490 and described["o'brien"]["features"] == 5


def test_a_table_gpkg_contents_does_not_name_is_listed_when_gdal_lists_it(tmp_path):
    # GDAL lists tables outside gpkg_contents only in a file that registers no attribute table
    path = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(_few_parcels(landkit.SAMPLE_PATH), path, layer="parcels")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO notes (text) VALUES ('x'), ('y'), ('z')")
    described = gpkg.describe(path)
    assert list(described) == gdal_names(path) == ["parcels", "notes"]
    assert described["notes"] == {
        "features": pyogrio.read_info(path, layer="notes")["features"],
        "geometry_type": None,
        "crs": None,
        "geometry": None,
        "registered": False,
    }
    # a file that registers an attribute table: GDAL does not list the stray table
    other = tmp_path / "with_table.gpkg"
    pyogrio.write_dataframe(_few_parcels(landkit.SAMPLE_PATH), other, layer="parcels")
    pyogrio.write_dataframe(pd.DataFrame({"key": ["k"], "value": ["v"]}), other, layer="project_info")
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    assert list(gpkg.describe(other)) == gdal_names(other) == ["parcels", "project_info"]


@pytest.mark.parametrize("layer", ["parcels", "events", "land_use", "project_info", "o'brien", "地块 二"])
def test_a_layer_read_alone_is_the_layer_gdal_reads(sample_copy, layer):
    parcels = _few_parcels(sample_copy)
    for name in ("o'brien", "地块 二", "other"):
        pyogrio.write_dataframe(parcels, sample_copy, layer=name)
    alone = gpkg.read_table(sample_copy, layer, engine="pyogrio", fid=True, only=True)
    seen = gpkg.read_table(sample_copy, layer, engine="pyogrio", fid=True)
    pd.testing.assert_frame_equal(alone, seen)
    assert len(alone) == pyogrio.read_info(sample_copy, layer=layer)["features"] > 0


def test_a_name_gdal_cannot_be_given_alone_is_read_with_every_table_shown():
    assert gpkg.alone("a;b") == {}
    options = gpkg.alone("o'brien")
    assert "'o''brien'" in options["PRELUDE_STATEMENTS"] and options["LIST_ALL_TABLES"] == "NO"


def test_info_opens_gdal_only_for_landkits_layers_each_alone(sample_copy, monkeypatch):
    parcels = _few_parcels(sample_copy)
    for i in range(30):
        pyogrio.write_dataframe(parcels, sample_copy, layer=f"extra_{i}")
    expected = {name: pyogrio.read_info(sample_copy, layer=name)["features"] for name in gdal_names(sample_copy)}
    opened = []
    read = pyogrio.read_dataframe

    def counted(path, layer=None, **options):
        opened.append((layer, options.get("PRELUDE_STATEMENTS", "")))
        return read(path, layer=layer, **options)

    def refused(*args, **kwargs):
        raise AssertionError("info opened the whole file with GDAL")

    monkeypatch.setattr(pyogrio, "read_dataframe", counted)
    monkeypatch.setattr(pyogrio, "list_layers", refused)
    monkeypatch.setattr(pyogrio, "read_info", refused)
    layers, about = describe_project(sample_copy)
    ours = [n for n in expected if n in landkit.LAYERS]
    assert sorted(layer for layer, _ in opened) == sorted(ours)  # once each, and no other layer
    assert all(f"lower('{layer}')" in prelude for layer, prelude in opened)
    assert {n: a["features"] for n, a in about.items()} == expected and list(about) == list(expected)
    assert len(layers["extra_29"]) == 5 and layers["extra_29"].crs == parcels.crs


def test_info_output_lists_every_extra_layer_as_gdal_counts_it(sample_copy):
    parcels = _few_parcels(sample_copy)
    for i in range(12):
        pyogrio.write_dataframe(parcels.head(i % 5 + 1), sample_copy, layer=f"extra_{i:02d}")
    result = run("info", sample_copy)
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    rows = {words[0]: words[1] for words in lines if words and words[0] in gdal_names(sample_copy)}
    assert list(rows) == gdal_names(sample_copy)
    assert rows == {n: str(pyogrio.read_info(sample_copy, layer=n)["features"]) for n in gdal_names(sample_copy)}


def test_read_project_reads_every_layer_alone_and_as_gdal_lists_it(sample_copy, monkeypatch):
    parcels = _few_parcels(sample_copy)
    for i in range(5):
        pyogrio.write_dataframe(parcels, sample_copy, layer=f"extra_{i}")
    names = gdal_names(sample_copy)
    plain = {n: pyogrio.read_dataframe(sample_copy, layer=n, use_arrow=True) for n in names}
    opened = []
    read = pyogrio.read_dataframe

    def counted(path, layer=None, **options):
        opened.append(options.get("PRELUDE_STATEMENTS", ""))
        return read(path, layer=layer, **options)

    monkeypatch.setattr(pyogrio, "read_dataframe", counted)
    layers = landkit.read_project(sample_copy)
    assert list(layers) == names and len(opened) == len(names) and all("TEMP VIEW" in p for p in opened)
    assert {n: len(df) for n, df in layers.items()} == {n: len(df) for n, df in plain.items()}
    assert layers["extra_4"].geometry.reset_index(drop=True).equals(plain["extra_4"].geometry)
