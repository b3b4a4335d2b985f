"""Each kind of schema problem is reported, naming the layer, the features and the fix."""

import geopandas as gpd
import pytest
import shapely

import landkit


@pytest.fixture
def layers(sample_layers):
    return {name: df.copy() for name, df in sample_layers.items()}


def only_problem(layers, layer):
    problems = [p for p in landkit.check_project(layers) if p.layer == layer]
    assert len(problems) == 1, problems
    return problems[0]


def test_the_sample_has_no_problems(sample_layers):
    assert landkit.check_project(sample_layers) == []
    landkit.validate(sample_layers)


def test_missing_column(layers):
    layers["parcels"] = layers["parcels"].drop(columns="status")
    p = only_problem(layers, "parcels")
    assert "missing column(s) status" in p.problem and "parcel_id" in p.fix


def test_wrong_type(layers):
    layers["villages"]["households"] = layers["villages"]["households"].astype(str)
    p = only_problem(layers, "villages")
    assert "households should hold int" in p.problem


def test_unknown_status(layers):
    layers["parcels"].loc["CB00010", "status"] = "sold"
    p = only_problem(layers, "parcels")
    assert "'sold'" in p.problem and p.features == ("CB00010",) and "reserved" in p.fix


def test_duplicate_parcel_id(layers):
    parcels = layers["parcels"]
    layers["parcels"] = parcels.rename(index={"CB00002": "CB00001"})
    p = only_problem(layers, "parcels")
    assert "duplicate parcel_id" in p.problem and p.features == ("CB00001", "CB00001")


def test_null_and_empty_geometry(layers):
    parcels = layers["parcels"]
    parcels.loc["CB00003", "geometry"] = None
    parcels.loc["CB00004", "geometry"] = shapely.Polygon()
    problems = [p for p in landkit.check_project(layers) if p.layer == "parcels"]
    assert [(p.problem, p.features) for p in problems] == [
        ("feature(s) without geometry", ("CB00003",)),
        ("empty geometry", ("CB00004",)),
    ]


def test_wrong_geometry_type(layers):
    parcels = layers["parcels"]
    parcels.loc["CB00005", "geometry"] = parcels.loc["CB00005", "geometry"].boundary
    p = only_problem(layers, "parcels")
    assert "LineString geometry where Polygon belongs" in p.problem and p.features == ("CB00005",)


def test_3d_geometry(layers):
    parcels = layers["parcels"]
    parcels.loc["CB00006", "geometry"] = shapely.force_3d(parcels.loc["CB00006", "geometry"])
    assert "3D" in only_problem(layers, "parcels").problem


def test_mixed_crs_between_layers(layers):
    layers["roads"] = layers["roads"].to_crs("EPSG:4490")
    p = only_problem(layers, "project")
    assert "different CRSs" in p.problem and "roads: EPSG:4490" in p.problem and "to_crs" in p.fix


def test_missing_crs(layers):
    layers["villages"] = gpd.GeoDataFrame(layers["villages"], crs=None).set_crs(None, allow_override=True)
    p = only_problem(layers, "villages")
    assert "no coordinate reference system" in p.problem and "set_crs('EPSG:4547')" in p.fix


def test_missing_layer(layers):
    del layers["roads"]
    assert "layer is missing" in only_problem(layers, "roads").problem


def test_validate_reports_every_problem_at_once(layers):
    layers["parcels"].loc["CB00010", "status"] = "sold"
    layers["villages"] = layers["villages"].drop(columns="batch")
    layers["communities"] = layers["communities"].assign(capacity_people=-1)
    del layers["facilities"]  # an optional layer: a warning, not a reason to refuse
    with pytest.raises(landkit.SchemaError) as info:
        landkit.validate(layers, source="x.gpkg")
    assert len(info.value.problems) == 3
    text = str(info.value)
    assert text.startswith("x.gpkg: 3 problem(s)")
    assert "CB00010" in text and "batch" in text and "negative or zero capacity_people" in text
    assert "facilities" not in text
    assert isinstance(info.value, ValueError)


def test_problems_survive_a_round_trip_through_either_engine(tmp_path, layers, engine):
    parcels = layers["parcels"]
    parcels.loc["CB00010", "status"] = "sold"
    parcels.loc["CB00003", "geometry"] = None
    layers["parcels"] = parcels.rename(index={"CB00002": "CB00001"})
    layers["villages"]["households"] = layers["villages"]["households"].astype(str)
    path = tmp_path / "bad.gpkg"
    landkit.write_project(layers, path, engine=engine)
    found = {
        (p.layer, p.problem.split(" ")[0]) for p in landkit.check_project(landkit.read_project(path, engine=engine))
    }
    assert found == {
        ("parcels", "unknown"),
        ("parcels", "feature(s)"),
        ("parcels", "duplicate"),
        ("villages", "column"),
        ("target_parcels", "1"),  # CB00002 renamed away: a task lists a parcel the layer lost
    }


def test_target_problems_name_the_target_or_parcels_in_both_languages(layers):
    """Every target problem, from one helper: stray target ids, lost parcels, a task without parcels,
    a stock without a figure (also when the figure is a stray word), each with its Chinese."""
    members = layers["target_parcels"]
    members.loc[members.index[0], "target_id"] = "T-ghost"
    members.loc[members.index[1], "parcel_id"] = "CB99999"
    layers["target_parcels"] = members[members["target_id"] != "T-acquisition"]
    layers["targets"] = layers["targets"].astype({"target_mu": object})
    layers["targets"].loc["S-reserve", "target_mu"] = "七千七"
    problems = landkit.check_project(layers)
    found = {(p.layer, p.features, p.problem, p.problem_zh) for p in problems if "target" in p.layer}
    assert found >= {
        ("target_parcels", ("T-ghost",), "rows name target(s) T-ghost that targets does not have",
         "有行引用了 targets 表中没有的目标 T-ghost"),
        ("target_parcels", ("CB99999",), "1 parcel id(s) that the parcels layer does not have",
         "1 个地块编号在储备地块图层中没有"),
        ("targets", ("T-acquisition",), "task T-acquisition lists no parcels", "任务 T-acquisition 没有列出地块"),
        ("targets", ("S-reserve",), "stock S-reserve has no target_mu", "存量目标 S-reserve 没有目标面积（target_mu）"),
    }  # fmt: skip
    assert all(p.fix_zh for p in problems)
