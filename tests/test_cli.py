"""The command line: output, exit codes, and one-or-two-line errors without tracebacks."""

import json
import re

import pyogrio
import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and landkit.__version__ in result.output


def test_info_on_the_sample(sample_copy, sample_layers):
    result = run("info", sample_copy)
    assert result.exit_code == 0, result.output
    assert re.search(rf"^parcels\s+{len(sample_layers['parcels'])}\s", result.output, re.M)
    assert "EPSG:4547" in result.output and "validation: ok" in result.output


def test_info_json(sample_copy, sample_layers):
    result = run("info", sample_copy, "--format", "json")
    assert result.exit_code == 0
    out = json.loads(result.output)
    counts = {layer["name"]: layer["features"] for layer in out["layers"]}
    assert counts == {name: len(df) for name, df in sample_layers.items()}
    assert out["problems"] == [] and out["content_sha256"] == landkit.content_hash(sample_layers)


def test_info_exits_1_and_lists_schema_problems(tmp_path, sample_layers):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].assign(status="sold")
    path = tmp_path / "bad.gpkg"
    landkit.write_project(layers, path)
    result = run("info", path)
    assert result.exit_code == 1
    assert "unknown status value(s) 'sold'" in result.output and "CB00001" in result.output


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("not a database"), "not a GeoPackage"),
        (lambda p: p.write_bytes(landkit.SAMPLE_PATH.read_bytes()[:500_000]), "truncated"),
        (None, "no such file"),
    ],
)
def test_bad_files_give_a_short_error_and_exit_2(tmp_path, make, expected):
    path = tmp_path / "in.gpkg"
    if make:
        make(path)
    result = run("info", path)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert 1 <= len(result.output.strip().splitlines()) <= 2


def test_missing_crs_gives_a_short_error(tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "nocrs.gpkg"
    gdf = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)])
    with pytest.warns(UserWarning):
        pyogrio.write_dataframe(gdf, path, layer="parcels")
    result = run("info", path)
    assert result.exit_code == 2 and "no coordinate reference system" in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_import_then_refuse_to_replace(tmp_path, sample_copy):
    src = tmp_path / "in.geojson"
    landkit.read_layer(sample_copy, "villages").reset_index().to_crs("EPSG:4326").to_file(src)
    assert run("import", src, sample_copy, "--layer", "survey").exit_code == 0
    again = run("import", src, sample_copy, "--layer", "survey")
    assert again.exit_code == 2 and "overwrite" in again.output
    assert run("import", src, sample_copy, "--layer", "survey", "--overwrite").exit_code == 0
