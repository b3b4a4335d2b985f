"""Reading never changes a file; writing is atomic; damaged files raise clear errors."""

import hashlib
import signal
import subprocess
import sys
import time

import geopandas as gpd
import pyogrio
import pytest
import shapely

import landkit
from tests.conftest import another_program_writing


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parcels_frame(n=3, crs="EPSG:4547"):
    return gpd.GeoDataFrame(
        {"parcel_id": [f"P{i}" for i in range(n)], "户主姓名": ["张三", "李四", "王五"][:n]},
        geometry=[shapely.box(400000 + 100 * i, 3736000, 400050 + 100 * i, 3736050) for i in range(n)],
        crs=crs,
    )


def test_project_round_trips_with_either_engine(tmp_path, sample_layers, engine):
    out = tmp_path / "copy.gpkg"
    landkit.write_project(sample_layers, out, engine=engine)
    again = landkit.read_project(out, engine=engine)
    assert landkit.content_hash(again) == landkit.content_hash(sample_layers)
    assert again["parcels"].index.name == "parcel_id"
    assert landkit.check_project(again) == []


def test_reading_never_modifies_the_file(sample_copy, engine):
    before = sha(sample_copy)
    landkit.read_project(sample_copy, engine=engine)
    assert sha(sample_copy) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"parcel_id,area\nP1,3\n", "not a GeoPackage"),
    ],
)
def test_not_a_geopackage(tmp_path, engine, content, message):
    path = tmp_path / "bad.gpkg"
    path.write_bytes(content)
    with pytest.raises(landkit.DataError, match=message) as info:
        landkit.read_layer(path, "parcels", engine=engine)
    assert str(path) in str(info.value)


def test_truncated_geopackage(sample_copy, engine):
    data = sample_copy.read_bytes()
    sample_copy.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(landkit.DataError, match="truncated"):
        landkit.read_project(sample_copy, engine=engine)


def test_geopackage_zeroed_in_the_middle(sample_copy, engine):
    data = bytearray(sample_copy.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 65536] = bytes(65536)
    sample_copy.write_bytes(bytes(data))
    with pytest.raises(landkit.DataError, match="damaged"):
        landkit.read_project(sample_copy, engine=engine)


def test_missing_layer_names_the_layers_there(sample_copy, engine):
    with pytest.raises(landkit.DataError, match=r"no layer 'parcel'.*parcels"):
        landkit.read_layer(sample_copy, "parcel", engine=engine)


def test_layer_without_crs_is_refused_with_how_to_declare_one(tmp_path, engine):
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="crs"):  # the way such files are made
        pyogrio.write_dataframe(parcels_frame(crs=None), path, layer="parcels")
    with pytest.raises(landkit.CRSError, match=r"no coordinate reference system.*set_crs\('EPSG:4547'\)"):
        landkit.read_layer(path, "parcels", engine=engine)
    with pytest.raises(landkit.CRSError):
        landkit.write_layer(parcels_frame(crs=None), tmp_path / "new.gpkg", "parcels", engine=engine)


def test_existing_layer_is_replaced_only_when_asked(sample_copy, engine):
    before = sha(sample_copy)
    new = parcels_frame()
    with pytest.raises(landkit.LayerExistsError, match="overwrite=True"):
        landkit.write_layer(new, sample_copy, "parcels", engine=engine)
    assert sha(sample_copy) == before
    landkit.write_layer(new, sample_copy, "parcels", overwrite=True, engine=engine)
    assert list(landkit.read_layer(sample_copy, "parcels").index) == ["P0", "P1", "P2"]
    assert len(landkit.read_layer(sample_copy, "villages")) == 25  # other layers kept


def test_a_new_project_does_not_replace_a_file(sample_copy, sample_layers):
    with pytest.raises(landkit.LayerExistsError):
        landkit.write_project(sample_layers, sample_copy)


def test_write_leaves_no_temporary_files(tmp_path, engine):
    landkit.write_layer(parcels_frame(), tmp_path / "p.gpkg", "parcels", engine=engine)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["p.gpkg"]


def test_a_failed_write_leaves_the_file_as_it_was(sample_copy, engine, monkeypatch):
    from landkit.store import gpkg

    before = sha(sample_copy)
    real = gpkg._copy_layer

    def copy_then_fail(db, table, keep):
        real(db, table, keep)  # the layer is in the project, inside the open transaction
        raise OSError("No space left on device")

    monkeypatch.setattr(gpkg, "_copy_layer", copy_then_fail)
    with pytest.raises(OSError, match="No space"):
        landkit.write_layer(parcels_frame(), sample_copy, "extra", engine=engine)
    assert sha(sample_copy) == before  # SQLite rolled the transaction back
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == [sample_copy.name]


def test_a_second_writer_is_told_the_project_is_busy(sample_copy, short_wait):
    busy = pytest.raises(landkit.ProjectLockedError, match="being written by another program; try again")
    with another_program_writing(sample_copy), busy:
        landkit.write_layer(parcels_frame(), sample_copy, "extra")
    landkit.write_layer(parcels_frame(), sample_copy, "extra")  # once it has finished, the write goes through
    assert len(landkit.read_layer(sample_copy, "extra")) == 3


def test_gbk_shapefile_without_cpg_reads_correctly(tmp_path, engine):
    shp = tmp_path / "村庄.shp"
    pyogrio.write_dataframe(parcels_frame(), shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink()
    df = landkit.io.read_source(shp, "村庄", engine=engine)
    assert list(df["户主姓名"]) == ["张三", "李四", "王五"]


def test_import_keeps_chinese_field_names_and_values(tmp_path, engine):
    shp = tmp_path / "parcels.shp"
    pyogrio.write_dataframe(parcels_frame(), shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink()
    before = {p.name: sha(p) for p in tmp_path.iterdir()}
    project = tmp_path / "project.gpkg"
    landkit.import_layer(shp, project, "survey", engine=engine)
    back = landkit.read_layer(project, "survey")
    assert list(back["户主姓名"]) == ["张三", "李四", "王五"]
    assert {p.name: sha(p) for p in tmp_path.iterdir() if p.name in before} == before


def test_geojson_import_is_reprojected_to_the_project_crs(tmp_path, sample_copy):
    src = tmp_path / "in.geojson"
    parcels_frame().to_crs("EPSG:4326").to_file(src)
    landkit.import_layer(src, sample_copy, "survey")
    assert landkit.read_layer(sample_copy, "survey").crs.to_epsg() == 4547


WRITER = """
import sys, geopandas as gpd, shapely, numpy as np, landkit
n = int(sys.argv[2])
x = 400000 + (np.arange(n) % 1000) * 30.0
y = 3730000 + (np.arange(n) // 1000) * 30.0
gdf = gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(n)]},
                       geometry=shapely.box(x, y, x + 25, y + 25), crs="EPSG:4547")
print("writing", flush=True)
landkit.write_layer(gdf, sys.argv[1], "parcels", overwrite=True)
print("done", flush=True)
"""


@pytest.mark.parametrize("delay", [0.2, 0.6, 1.0])
def test_killed_mid_write_leaves_the_original_readable_and_unchanged(sample_copy, delay):
    before = sha(sample_copy)
    n_parcels = len(landkit.read_layer(sample_copy, "parcels"))
    args = [sys.executable, "-c", WRITER, str(sample_copy), "400000"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the writer finished before it was killed"
    # the next read lets SQLite roll back an interrupted transaction: the bytes are the old ones again
    assert len(landkit.read_layer(sample_copy, "parcels")) == n_parcels
    assert sha(sample_copy) == before
    # the next write cleans up nothing of ours but succeeds, leaving one project file
    landkit.write_layer(landkit.read_layer(sample_copy, "villages"), sample_copy, "v2")
    assert len(landkit.read_layer(sample_copy, "v2")) == 25


def test_content_hash_ignores_file_bytes_but_not_features(tmp_path, sample_layers):
    changed = dict(sample_layers)
    changed["parcels"] = sample_layers["parcels"].assign(stated_area_mu=lambda d: d["stated_area_mu"] + 0.01)
    assert landkit.content_hash(changed) != landkit.content_hash(sample_layers)


def test_an_xlsx_batch_is_read_from_the_sheet_that_holds_it(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"  # a cover sheet left empty, the rows on the second
    rows = book.create_sheet("事件")
    rows.append(["地块编号", "日期", "状态"])
    rows.append(["CB00001", "2026-11-21", "已批复"])
    book.save(tmp_path / "batch.xlsx")
    table = landkit.io.read_table(tmp_path / "batch.xlsx")
    assert list(table.columns) == ["地块编号", "日期", "状态"] and table.iloc[0, 0] == "CB00001"
    book["说明"].append(["another table"])
    book.save(tmp_path / "two.xlsx")
    with pytest.raises(landkit.DataError, match=r"2 sheets hold rows \(说明, 事件\)"):
        landkit.io.read_table(tmp_path / "two.xlsx")


def test_a_pack_whose_file_is_held_open_is_left_as_it_was(tmp_path, monkeypatch):
    """On Windows a file another program holds open (QGIS's GeoPackage of the pack) cannot be moved
    or replaced: the pack is then left exactly as it was, and the message says what to do."""
    import os

    from landkit import io as lk_io

    folder = tmp_path / "maps"
    folder.mkdir()
    for name in ("index.html", "project-findings.gpkg", "zone.html"):
        (folder / name).write_bytes(f"old {name}".encode())
    real = os.replace

    def held_open(src, dst):
        if str(src) == str(folder / "project-findings.gpkg"):  # as Windows refuses it while QGIS reads it
            raise PermissionError(13, "The process cannot access the file", str(src))
        return real(src, dst)

    monkeypatch.setattr(lk_io.os, "replace", held_open)
    refused = pytest.raises(landkit.DataError, match=r"project-findings\.gpkg.*close it and run again")
    with refused, lk_io.output_folder(folder, overwrite=True) as put:
        for name in ("index.html", "project-findings.gpkg", "zone.html"):
            put(name, f"new {name}")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        name: f"old {name}".encode() for name in ("index.html", "project-findings.gpkg", "zone.html")
    }
