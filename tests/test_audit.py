"""`landkit audit`: findings, the JSON contract, rules from TOML, exit codes and bad inputs."""

import json
from importlib import resources

import jsonschema
import pandas as pd
import pytest
import shapely
import shapely.affinity
from click.testing import CliRunner

import landkit
from landkit import audit
from landkit.cli import main

SCHEMA = json.loads((resources.files("landkit") / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


PLANTED_CONSTRAINTS = {  # data/parcels/README.md: 三区三线, land use, buildings and money
    ("basic_farmland", ("CB00027",)), ("basic_farmland", ("CB00143",)), ("eco_redline", ("CB00278",)),
    ("illegal_building", ("CB00047", "JZ006")), ("illegal_building", ("CB00318", "JZ007")),
    ("illegal_building", ("JZ008",)),
    # per zone version, in the land it adds: Z3 brings the farmland and the red line, Z2 the corner
    ("basic_farmland", ("Z3",)), ("eco_redline", ("Z3",)), ("urban_boundary", ("Z2",)),
}  # fmt: skip


def test_sample_audit_finds_exactly_the_documented_defects(sample_layers):
    found = audit.audit(sample_layers)
    pairs = {(r, tuple(sorted(i))) for r, i in zip(found["rule"], found["ids"], strict=True)}
    parcels = sample_layers["parcels"]
    # independently: the idle parcels (supplied, not started a year after the agreed date) and the
    # one project below 300 万元/亩, and the parcels reaching out of the urban boundary
    due = parcels["start_due_on"] + pd.Timedelta(days=365)
    idle = parcels.index[parcels["status"].isin(["transferred", "allocated"]) & (due < "2026-11-15")
                         & (parcels["started_on"].isna() | (parcels["started_on"] > due))]  # fmt: skip
    project = parcels[parcels["project"] == "海威特种面料"]
    low_output = parcels[parcels["project"] == "海亮产业园"]  # output per mu below 200 万元/亩
    boundary = sample_layers["urban_boundary"].geometry.iloc[0]
    outside = parcels.geometry.difference(boundary)
    outside = outside[~outside.is_empty & (outside.area > 1)]
    assert pairs == {
        ("area_mismatch", ("CB00648",)),
        ("gap", ("CB01988", "CB01989")),
        ("outside_zone", ("CB00087",)),
        ("overlap", ("CB01591", "CB01662")),
        *PLANTED_CONSTRAINTS,
        *(("idle_land", (pid,)) for pid in idle),
        ("investment_intensity", tuple(sorted(project.index))),
        ("investment_intensity", tuple(sorted(low_output.index))),
        *(("urban_boundary", (pid,)) for pid in outside.index),
    }
    assert len(found) == len(pairs) and len(idle) == 11


def test_json_output_follows_the_schema_and_exits_1_on_errors(sample_copy, sample_layers):
    result = run("audit", sample_copy, "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    jsonschema.validate(out, SCHEMA)
    assert out["input"]["layers"]["parcels"] == len(sample_layers["parcels"])
    by_status = out["totals"]["parcels_by_status"]
    assert round(sum(s["area_mu"] for s in by_status.values()), 2) == out["totals"]["layers"]["parcels"]["area_mu"]
    assert round(sum(s["area_m2"] for s in by_status.values()), 2) == out["totals"]["layers"]["parcels"]["area_m2"]


def test_rules_file_changes_severity_and_thresholds(tmp_path, sample_copy):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[overlap]\nseverity = "warning"\n[outside_zone]\nmin_area_m2 = 10000.0\n'
        '[basic_farmland]\nmin_area_m2 = 2000.0\n[eco_redline]\nseverity = "info"\n',
        encoding="utf-8",
    )
    result = run("audit", sample_copy, "--rules", rules, "--format", "json")
    # no error left: the overlap is a warning, the 4,277 m² outside is under 1 ha, both farmland
    # conflicts are under 2,000 m², the red line only informs
    assert result.exit_code == 0
    rules_found = {f["rule"]: f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert rules_found["overlap"] == "warning" and "outside_zone" not in rules_found
    rules.write_text("[overlaps]\nseverity = 'error'\n", encoding="utf-8")
    bad = run("audit", sample_copy, "--rules", rules)
    assert bad.exit_code == 2 and "unknown rule [overlaps]" in bad.output


def test_a_clean_project_exits_0(tmp_path, sample_layers):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].drop(index=["CB01662", "CB00087", "CB00648"])
    layers["events"] = sample_layers["events"][sample_layers["events"]["parcel_id"].isin(layers["parcels"].index)]
    members = sample_layers["target_parcels"]
    layers["target_parcels"] = members[members["parcel_id"].isin(layers["parcels"].index)]
    for name in ("basic_farmland", "eco_redline"):  # the planted 三区三线 errors
        del layers[name]
    path = tmp_path / "clean.gpkg"
    landkit.write_project(layers, path)
    result = run("audit", path, "--quiet")
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output


def test_ledger_and_capacity_findings(sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["parcels"].loc["CB00001", "status"] = "transferred"
    layers["villages"]["target_community"] = "HY"
    found = audit.audit(layers)
    ledger = found[found["rule"] == "ledger"]
    assert any("CB00001" in m and "the ledger says" in m for m in ledger["message"])
    assert (found.loc[found["rule"] == "capacity", "severity"] == "error").any()


def test_csv_and_text_formats(sample_copy):
    csv = run("audit", sample_copy, "--format", "csv")
    assert csv.stdout.splitlines()[0] == "规则,级别,图层,要素编号,面积(m²),面积(亩),说明,规则代码"
    assert "CB01591;CB01662" in csv.stdout and "重叠,错误,储备地块" in csv.stdout
    english = run("audit", sample_copy, "--format", "csv", "--lang", "en")
    assert english.stdout.splitlines()[0] == "rule,severity,layer,ids,area_m2,area_mu,message,rule_code"
    text = run("audit", sample_copy, "--quiet")
    found = audit.audit(landkit.read_project(sample_copy))
    errors = int((found["severity"] == "error").sum())
    assert f"{len(found)} 条问题" in text.stdout and "[错误] 重叠 (overlap)" in text.stdout
    # overlap, outside, 2 farmland, red line; farmland and red line in the land zone version 3 adds
    assert f"{errors} 个错误" in text.stdout and errors == 7
    assert "[error] overlap" in run("audit", sample_copy, "--quiet", "--lang", "en").stdout


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p, s: p.write_text("not a database"), "不是 GeoPackage"),
        (lambda p, s: p.write_bytes(s.read_bytes()[:400_000]), "文件不完整"),
    ],
)
def test_unreadable_input_exits_2(tmp_path, sample_copy, make, expected):
    path = tmp_path / "bad.gpkg"
    make(path, sample_copy)
    result = run("audit", path)
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output


def test_missing_layer_and_crs_and_schema_errors_are_findings(tmp_path, sample_layers):
    layers = {k: v for k, v in sample_layers.items() if k != "roads"}
    layers["parcels"] = sample_layers["parcels"].assign(status="sold")
    layers["villages"] = sample_layers["villages"].set_crs(4546, allow_override=True)
    path = tmp_path / "bad.gpkg"
    landkit.write_project(layers, path)
    out = json.loads(run("audit", path, "--format", "json").stdout)
    jsonschema.validate(out, SCHEMA)
    rules = {(f["rule"], f["layer"]) for f in out["findings"]}
    assert ("schema", "roads") in rules and ("schema", "parcels") in rules
    assert ("crs_zone", "project") in rules  # mixed CRS


def test_not_a_project_and_missing_crs_exit_2(tmp_path):
    import geopandas as gpd
    import pyogrio

    other = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(400000, 3736000, 400100, 3736100)], crs=4547).to_file(
        other, layer="fields"
    )
    result = run("audit", other)
    assert result.exit_code == 2 and "not a landkit project file" in result.output
    nocrs = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning):
        pyogrio.write_dataframe(
            gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)]), nocrs, layer="parcels"
        )
    result = run("audit", nocrs)
    assert result.exit_code == 2 and "没有坐标参考系" in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_html_to_stdout_and_other_command_formats(sample_copy):
    page = run("audit", sample_copy, "--format", "html", "--quiet")
    assert page.exit_code == 1 and page.stdout.startswith("<!doctype html>")
    zones = run("zones", sample_copy, "--format", "csv")
    assert zones.exit_code == 0 and zones.stdout.splitlines()[0].startswith("version,")
    relocate = run("relocate", sample_copy)
    assert relocate.exit_code == 0 and "户·公里" in relocate.stdout


def test_the_snapping_tolerance_is_a_rule_setting(sample_layers):
    # 4 cm of digitising noise on one parcel's corners is no finding at the default 10 cm, and is
    # an overlap or a gap with snap_m = 0 in the rules file
    layers = dict(sample_layers)
    p = sample_layers["parcels"].copy()
    pid = "CB01000"
    p.loc[pid, "geometry"] = shapely.affinity.translate(p.geometry[pid], 0.04, 0.03)
    layers["parcels"] = p
    base = sorted(zip(audit.audit(sample_layers)["rule"], strict=True))
    assert sorted(zip(audit.audit(layers)["rule"], strict=True)) == base
    exact = audit.load_rules("[overlap]\nsnap_m = 0\n[gap]\nsnap_m = 0\n")
    noisy = audit.audit(layers, rules=exact)
    assert any(pid in ids for ids in noisy.loc[noisy["rule"].isin(["overlap", "gap"]), "ids"])
    with pytest.raises(landkit.DataError, match="snap_m"):
        audit.load_rules("[overlap]\nsnap_m = 50\n")


def test_a_mixed_crs_project_keeps_every_other_check(sample_layers):
    """Layers in different CRSs are a finding, and every check still runs, each layer reprojected
    where it meets another: the same findings as the project in one CRS."""
    base = audit.audit(sample_layers)
    mixed = dict(sample_layers)
    for name in ("basic_farmland", "planning_zones", "buildings", "price_zones"):
        mixed[name] = sample_layers[name].to_crs(4490)
    mixed["eco_redline"] = sample_layers["eco_redline"].to_crs(32649)
    found = audit.audit(mixed)
    key = lambda f: sorted((r, tuple(sorted(i))) for r, i in zip(f["rule"], f["ids"], strict=True))  # noqa: E731
    assert ("crs_zone", ()) in key(found) and (found["layer"] == "project").any()
    assert [k for k in key(found) if k[0] != "crs_zone"] == key(base)
    both = found[found["rule"] != "crs_zone"].reset_index(drop=True)
    assert both["area_m2"].to_numpy() == pytest.approx(base["area_m2"].to_numpy(), rel=1e-5, abs=0.5, nan_ok=True)


@pytest.mark.parametrize(
    ("layer", "spoil"),
    [
        ("basic_farmland", lambda df: df.set_crs(None, allow_override=True)),  # no CRS
        ("land_use", lambda df: df.drop(columns="code")),  # a column missing
        ("planning_zones", lambda df: df.drop(columns="version")),
        ("buildings", lambda df: df.assign(geometry=None)),  # no geometry at all
        ("urban_boundary", lambda df: df.iloc[:0]),  # empty
    ],
)
def test_a_bad_layer_is_a_finding_and_the_other_checks_still_run(sample_layers, layer, spoil):
    layers = dict(sample_layers)
    layers[layer] = spoil(sample_layers[layer])
    found = audit.audit(layers)
    rules = set(found["rule"])
    assert {"overlap", "gap", "area_mismatch", "idle_land", "investment_intensity", "eco_redline"} <= rules
    if len(layers[layer]):
        assert (found["layer"] == layer).any(), found[["rule", "layer"]]


def test_the_readme_states_the_sample_audit_as_it_is(sample_layers):
    """The README's sentence about the sample's audit, with the figures counted here."""
    import re
    from pathlib import Path

    found = audit.audit(sample_layers)
    errors = int((found["severity"] == "error").sum())
    warnings = int((found["severity"] == "warning").sum())
    assert errors + warnings == len(found) and errors > 0  # so the audit exits 1
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8").split())
    said = f"On the sample, the audit finds {len(found)} findings ({errors} errors, {warnings} warnings; exit 1)"
    assert said in readme, re.findall(r"On the sample, the audit finds[^.]*", readme)
    planted = (Path(__file__).parents[1] / "data" / "parcels" / "README.md").read_text(encoding="utf-8")
    topology = [r for r in found["rule"] if r in ("overlap", "gap", "outside_zone", "area_mismatch")]
    assert len(topology) == len(re.findall(r"^\| (overlap|outside|stated|gap)", planted, re.M)) == 4
    assert "the four planted topology and area defects" in readme


def test_a_status_that_differs_from_the_ledger_names_its_layer_in_english(sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    layers["parcels"].loc["CB00001", "status"] = "transferred"
    found = audit.audit(layers)
    (message,) = [m for m in found["message"] if m.startswith("CB00001: the ")]
    assert message.startswith("CB00001: the parcels layer says transferred, the ledger says ")
