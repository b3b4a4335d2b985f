"""The command line: output, exit codes, and one-or-two-line errors without tracebacks."""

import hashlib
import json
import re

import pyogrio
import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main


def run(*args, lang="en"):
    """The command line in English unless asked (tests/test_i18n.py and test_records_i18n.py check the Chinese)."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


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
    assert out["problems"] == [] and out["content_hash"] == landkit.content_hash(sample_layers)
    assert out["file_sha256"] == hashlib.sha256(sample_copy.read_bytes()).hexdigest()  # as the reports stamp it


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
        (lambda p: p.write_bytes(b""), "文件为空"),
        (lambda p: p.write_text("not a database"), "不是 GeoPackage"),
        (lambda p: p.write_bytes(landkit.SAMPLE_PATH.read_bytes()[:500_000]), "文件不完整"),
        (None, "文件不存在"),
    ],
)
def test_bad_files_give_a_short_error_and_exit_2(tmp_path, make, expected):
    path = tmp_path / "in.gpkg"
    if make:
        make(path)
    result = run("info", path, lang="zh")
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
    result = run("info", path, lang="zh")
    assert result.exit_code == 2 and "没有坐标参考系" in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_import_then_refuse_to_replace(tmp_path, sample_copy):
    src = tmp_path / "in.geojson"
    landkit.read_layer(sample_copy, "villages").reset_index().to_crs("EPSG:4326").to_file(src)
    assert run("import", src, sample_copy, "--layer", "survey").exit_code == 0
    again = run("import", src, sample_copy, "--layer", "survey")
    assert again.exit_code == 2 and "overwrite" in again.output
    assert run("import", src, sample_copy, "--layer", "survey", "--overwrite").exit_code == 0


def test_areas_csv_totals_add_up_and_match_geodesic_areas(sample_copy, sample_layers):
    import io

    import pandas as pd

    from tests.geodesy import geodesic_area_m2

    result = run("areas", sample_copy, "--unit", "mu")
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout))
    parts, total = table.iloc[:-1], table.iloc[-1]
    assert total["parcel_id"] == "TOTAL"
    assert round(parts["area_mu"].sum(), 2) == total["area_mu"]
    assert round(parts["area_m2"].sum(), 2) == total["area_m2"]
    expected = geodesic_area_m2(sample_layers["parcels"])
    assert abs(parts["area_m2"].to_numpy() - expected).max() < 0.011  # 2 decimals, balanced
    assert (table["area_method"].str.contains("ellipsoidal")).all()


def test_areas_json_and_any_layer_with_id(tmp_path, sample_copy):
    out = json.loads(run("areas", sample_copy, "--layer", "villages", "--unit", "ha", "--format", "json").stdout)
    assert out["id_column"] == "village_code" and len(out["features"]) == 25
    assert round(sum(f["area_ha"] for f in out["features"]), 4) == out["total"]["area_ha"]
    import geopandas as gpd
    import shapely

    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"地块号": ["a", "b"]}, geometry=[shapely.box(400000, 3736000, 400100, 3736100)] * 2,
                     crs="EPSG:4547").to_file(other, layer="fields")  # fmt: skip
    out = json.loads(run("areas", other, "--layer", "fields", "--id", "地块号", "--format", "json").stdout)
    assert [f["id"] for f in out["features"]] == ["a", "b"]
    bad = run("areas", other, "--layer", "fields", "--id", "nope")
    assert bad.exit_code == 2 and "no column 'nope'" in bad.output


def test_areas_reports_missing_geometry_instead_of_summing_it(tmp_path, sample_layers):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].copy()
    layers["parcels"].loc["CB00001", "geometry"] = None
    path = tmp_path / "p.gpkg"
    landkit.write_project(layers, path)
    result = run("areas", path, "--format", "json")
    out = json.loads(result.stdout)
    assert out["excluded"] == [{"id": "CB00001", "reason": "no geometry: not in the total"}]
    assert out["total"]["count"] == len(layers["parcels"]) - 1
    assert "CB00001: no geometry" in result.stderr


def test_areas_on_a_layer_in_the_wrong_zone_is_a_clear_error(tmp_path, sample_layers):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].set_crs(4546, allow_override=True)
    path = tmp_path / "wrongzone.gpkg"
    landkit.write_project(layers, path)
    result = run("areas", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cannot be in EPSG:4546" in result.output and "EPSG:4547" in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_areas_planar_in_the_neighbouring_zone_warns(sample_copy):
    result = run("areas", sample_copy, "--method", "planar", "--zone", "EPSG:4546", lang="zh")
    assert result.exit_code == 0
    assert "警告：地块离 EPSG:4546 的中央经线" in result.stderr and "EPSG:4547" in result.stderr
    assert "平面面积（EPSG:4546" in result.stdout


def test_areas_and_zones_on_a_layer_without_crs(tmp_path):
    import geopandas as gpd
    import shapely

    path = tmp_path / "nocrs.gpkg"
    gdf = gpd.GeoDataFrame({"zone_id": ["Z1"], "version": [1]}, geometry=[shapely.box(0, 0, 1, 1)])
    with pytest.warns(UserWarning):
        pyogrio.write_dataframe(gdf, path, layer="planning_zones")
    for args in (["areas", path, "--layer", "planning_zones"], ["zones", path]):
        result = run(*args, lang="zh")
        assert result.exit_code == 2 and "没有坐标参考系" in result.output
        assert "Traceback" not in result.output


def test_zones_text_and_json(sample_copy):
    text = run("zones", sample_copy, lang="zh")
    assert text.exit_code == 0 and "椭球面积" in text.stdout and "新增永久基本农田(亩)" in text.stdout
    english = run("zones", sample_copy, "--lang", "en")
    assert english.exit_code == 0 and "ellipsoidal" in english.stdout and "added_farmland_mu" in english.stdout
    out = json.loads(run("zones", sample_copy, "--format", "json").stdout)
    assert [round(v["area_km2"], 2) for v in out["versions"]] == [8.6, 16.3, 30.0]
    assert [round(v["added_km2"], 1) for v in out["versions"]] == [8.6, 7.7, 13.7]


def _counted(*targets):
    """Patch each (module, name) with a mock that wraps it, so a test can count its calls."""
    from contextlib import ExitStack
    from unittest import mock

    stack = ExitStack()
    mocks = [stack.enter_context(mock.patch.object(m, n, wraps=getattr(m, n))) for m, n in targets]
    return stack, mocks


def _measured_twice(ellipsoidal) -> list[int]:
    """The sizes of the layers whose ellipsoidal areas were measured more than once (same geometries)."""
    import shapely

    seen = [tuple(shapely.to_wkb(call.args[0].to_numpy())) for call in ellipsoidal.call_args_list]
    return [len(g) for k, g in enumerate(seen) if g in seen[:k]]


def test_zones_checks_the_file_and_computes_each_thing_once(sample_copy):
    # issue 26: `zones` once ran the integrity check 10x (once per layer read and list)
    from landkit import constraints, measure, planning
    from landkit.store import gpkg

    targets = [(gpkg, "check_geopackage"), (planning, "expansions"), (constraints, "zone_conflicts"),
               (measure, "_ellipsoidal_m2")]  # fmt: skip
    stack, (checked, expansions, conflicts, ellipsoidal) = _counted(*targets)
    with stack:
        result = run("zones", sample_copy, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (checked.call_count, expansions.call_count, conflicts.call_count) == (1, 1, 1)
    assert ellipsoidal.call_count >= 4 and _measured_twice(ellipsoidal) == []  # zones, added, cover, conflicts


def test_progress_computes_each_figure_once(sample_copy):
    from landkit import measure, reserve
    from landkit.store import gpkg

    targets = [(gpkg, "check_geopackage"), (reserve, "state_as_of"), (reserve, "status_totals"),
               (reserve, "progress"), (measure, "_ellipsoidal_m2")]  # fmt: skip
    stack, (checked, state, totals, progress, ellipsoidal) = _counted(*targets)
    with stack:
        result = run("progress", sample_copy, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (checked.call_count, totals.call_count, progress.call_count, ellipsoidal.call_count) == (1, 1, 1, 1)
    days = [str(call.args[1]) for call in state.call_args_list]  # the day, and the pace window's two ends
    assert len(days) == len(set(days)) == 3
    assert json.loads(result.stdout)["as_of"] in days[0]


def test_map_writes_the_zone_and_community_maps(tmp_path, monkeypatch, sample_copy):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    result = run("map", sample_copy)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "maps").iterdir())
    assert written == ["community-HY.html", "community-LF.html", "zone.html"]
    one = run("map", sample_copy, "--community", "汇源社区", "-o", tmp_path / "hy.html", "--lang", "en")
    assert one.exit_code == 0 and "Resettlement communities" in (tmp_path / "hy.html").read_text(encoding="utf-8")
    keyless = run("map", sample_copy, "--tiles", "tianditu", "-o", tmp_path / "t.html")
    assert keyless.exit_code == 2 and "TIANDITU_KEY" in keyless.output and not (tmp_path / "t.html").exists()


def test_record_in_chinese_then_sync_finds_nothing_to_do(sample_copy, sample_layers):
    parcels = sample_layers["parcels"]
    pid = parcels.index[parcels["status"] == "submitted"][0]
    out = run("record", sample_copy, pid, "已批复", "--date", "2026年11月25日", "--doc", "豫政土〔2026〕99号")
    assert out.exit_code == 0, out.output
    assert out.output.strip() == f"recorded event {len(sample_layers['events']) + 1}: {pid} -> approved on 2026-11-25"
    again = run("record", sample_copy, pid, "已批复", "--date", "2026-11-26")
    assert again.exit_code == 2 and len(again.output.strip().splitlines()) == 1
    assert "approved -> approved is not allowed; next can be: reserved" in again.output
    synced = run("sync", sample_copy, "--format", "json")
    assert synced.exit_code == 0 and json.loads(synced.output)["changes"] == []
    assert run("sync", sample_copy).output.strip() == "0 change(s) would change"


def test_record_a_village_step_and_refuse_a_bad_date(sample_copy, sample_layers):
    villages = sample_layers["villages"]
    code = villages.index[villages["relocation_status"] == "planned"][0]
    out = run("record", sample_copy, code, "已签协议", "--village", "--date", "2026.11.26")
    assert out.exit_code == 0, out.output
    assert landkit.read_layer(sample_copy, "villages").loc[code, "relocation_status"] == "agreement_signed"
    for bad, says in (("2026-12-01T25:00", "not a date"), ("11/03/2026", "ambiguous"), ("", "empty")):
        refused = run("record", sample_copy, code, "moved", "--village", "--date", bad)
        assert refused.exit_code == 2 and says in refused.output and "Traceback" not in refused.output


def test_progress_leaves_out_stated_areas_it_cannot_trust_and_says_which(tmp_path, sample_layers):
    layers = dict(sample_layers)
    p = sample_layers["parcels"].copy()
    p.loc["CB00001", "stated_area_mu"] = float("inf")
    p.loc["CB00002", "stated_area_mu"] = 0.0
    layers["parcels"] = p
    path = tmp_path / "p.gpkg"
    landkit.write_project(layers, path)
    result = CliRunner().invoke(main, ["progress", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert "CB00001" in result.stderr and "不是有限的数" in result.stderr and "CB00002" in result.stderr
    out = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    status = p.loc["CB00001", "status"]
    row = next(r for r in out["status_totals"] if r["status"] == status)
    trusted = p["stated_area_mu"].where(p.index != "CB00001")  # the other parcels of that status
    assert row["stated_mu"] == pytest.approx(trusted[p["status"] == status].sum(), abs=0.006)
