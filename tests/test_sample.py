"""The sample reproduces the county report, measured here independently with pyproj's geodesics."""

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

import landkit
from tests.geodesy import GEOD, geodesic_area_m2

MAKE_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "make_sample.py"


@pytest.fixture(scope="module")
def make_sample():
    """The repository's sample generator (data/make_sample.py: not part of the installed package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample", MAKE_SAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MU = 10000 / 15


def test_the_county_outline_is_converted_from_gcj02(sample_layers):
    assert geodesic_area_m2(sample_layers["county"])[0] / 1e6 == pytest.approx(2410.50, abs=0.01)


def test_planning_zones_measure_8_6_16_3_and_30_km2_and_nest(sample_layers):
    zones = sample_layers["planning_zones"].sort_values("version")
    assert list(zones["version"]) == [1, 2, 3]
    np.testing.assert_allclose(geodesic_area_m2(zones) / 1e6, [8.6, 16.3, 30.0], atol=0.01)
    v1, v2, v3 = zones.geometry
    assert v1.difference(v2).area < 1.0  # nested to within a square metre (mm rounding)
    assert v2.difference(v3).area < 1.0
    county = sample_layers["county"].geometry.iloc[0]
    assert county.contains(v3)


def test_reserve_totals_match_the_report(sample_layers):
    p = sample_layers["parcels"]
    by_status = p.groupby("status")["stated_area_mu"].sum()
    assert round(by_status[["acquired", "submitted"]].sum(), 2) == 5000.00
    assert round(by_status[["planned", "acquiring"]].sum(), 2) == 10000.00
    logistics = p[p["project"] == "北环路物流园"]
    assert round(logistics["stated_area_mu"].sum(), 2) == 1000.00
    ring = sample_layers["roads"].set_index("name").geometry["北环路"]
    centroids = logistics.geometry.centroid.to_numpy()
    on_road = shapely.line_interpolate_point(ring, shapely.line_locate_point(ring, centroids))
    north = shapely.get_y(centroids) > shapely.get_y(on_road)
    assert north.any() and (~north).any(), "the logistics reserve lies on both sides of the road"
    assert 1000 <= len(p) <= 5000


def test_stated_areas_agree_with_geodesic_areas_except_the_documented_mismatch(sample_layers):
    p = sample_layers["parcels"]
    measured_mu = geodesic_area_m2(p) / MU
    off = np.abs(p["stated_area_mu"].to_numpy() - measured_mu) > 0.006
    assert list(p.index[off]) == ["CB00648"]


def test_villages_communities_roads_and_facilities(sample_layers, make_sample):
    v = sample_layers["villages"]
    assert len(v) == 25
    assert sorted(v.loc[v["batch"] == 1, "name"]) == sorted(make_sample.FIRST_BATCH)
    c = sample_layers["communities"]
    assert set(c["name"]) == {"露峰社区", "汇源社区"}
    assert 15000 <= c["capacity_people"].sum() <= 20000
    roads = sample_layers["roads"]
    assert len(roads) == 13
    lengths = [GEOD.geometry_length(g) for g in roads.to_crs("EPSG:4490").geometry]
    assert sum(lengths) / 1000 == pytest.approx(21.5, abs=0.2)
    assert {"鲁兴路", "同盟路", "保障路", "北环路"} <= set(roads["name"])
    f = sample_layers["facilities"]
    assert {"service_centre", "sewage_plant", "substation", "factory_buildings", "plaza"} <= set(f["kind"])
    plaza = f[f["kind"] == "plaza"]
    assert geodesic_area_m2(plaza)[0] == pytest.approx(10_000, abs=1)


def test_sample_is_stored_in_gauss_krueger_cm_114(sample_layers):
    for name, df in sample_layers.items():
        if hasattr(df, "crs"):
            assert df.crs.to_epsg() == 4547, name


def test_the_documented_defects_are_the_generated_ones(make_sample):
    _, defects = make_sample.build_sample()
    readme = (Path(landkit.SAMPLE_PATH).parent / "README.md").read_text(encoding="utf-8")
    for d in defects:
        row = next(line for line in readme.splitlines() if all(pid in line for pid in d["parcels"]))
        assert row.startswith("| ")
    assert len(re.findall(r"^\| (overlap|outside|stated|gap)", readme, re.M)) == len(defects)


@pytest.mark.slow
def test_the_generator_makes_the_committed_file(tmp_path, sample_layers, make_sample):
    out = make_sample.write_sample(tmp_path / "again.gpkg")
    assert landkit.content_hash(landkit.read_project(out)) == landkit.content_hash(sample_layers)


def test_landkit_sample_copies_the_bundled_file_byte_for_byte(tmp_path):
    from click.testing import CliRunner

    from landkit.cli import main

    out = tmp_path / "示例 项目" / "mine.gpkg"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["sample", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == Path(landkit.SAMPLE_PATH).read_bytes()
    assert hashlib.sha256(out.read_bytes()).hexdigest() in result.output  # its stamp is the bundled file's
    again = CliRunner().invoke(main, ["sample", "-o", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output
    bundled = CliRunner().invoke(main, ["sample", "-o", str(landkit.SAMPLE_PATH), "--overwrite"])
    assert bundled.exit_code == 2 and "这就是要复制的工程" in bundled.output


def test_the_generator_is_not_in_the_package():
    import importlib.util
    import tomllib

    assert importlib.util.find_spec("landkit.sample") is None
    config = tomllib.loads((MAKE_SAMPLE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/parcels/lushan.gpkg" in str(config["tool"]["setuptools"]["data-files"])


def test_the_sample_money_layers_are_valid_and_projects_have_outputs(sample_layers):
    import geopandas as gpd

    for name in ("price_zones", "basic_farmland", "eco_redline", "urban_boundary", "land_use", "buildings"):
        g = sample_layers[name].geometry
        assert g.is_valid.all(), (name, list(g.index[~g.is_valid]))
    p = sample_layers["parcels"]
    with_output = p[p["output_yuan"].notna()]
    assert set(with_output["project"]) == {"石材建材城", "海亮产业园", "中德纺织产业园"}
    per_mu = with_output.groupby("project").apply(
        lambda d: d["output_yuan"].sum() / 10_000 / d["stated_area_mu"].sum(), include_groups=False
    )
    assert per_mu["海亮产业园"] < 200 < per_mu.drop("海亮产业园").min()  # the one planted below the default
    # the price zones cover every parcel (by a point inside each): each gets its zone's rate
    zones = shapely.union_all(sample_layers["price_zones"].geometry.to_numpy())
    assert gpd.GeoSeries(p.representative_point()).within(zones).all()
