"""Chinese first: every audit finding says the same thing in Chinese (``message_zh``), with the same ids
and the same figures as its English ``message``, in words a county planner reads."""

import json
import re
from importlib import resources

import geopandas as gpd
import jsonschema
import pandas as pd
import pyproj
import pytest
from click.testing import CliRunner

import landkit
from benchmarks.fabric import make_fabric
from landkit import audit, report, topology
from landkit.cli import main
from landkit.schema import LAYERS, PARCEL_STATUSES, RELOCATION_STATUSES, RULES, check_project

SCHEMA = json.loads((resources.files("landkit") / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: ASCII that Chinese messages may hold besides ids: units, commands, functions, codes
ALLOWED = {"m", "km", "EPSG", "E", "landkit", "sync", "apply", "as", "of", "repair_geometry", "x", "y"}
ALLOWED |= set(LAYERS) | set(RULES) | {"project"}


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def without(text: str, parts) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text


def check(row, *, embedded=()) -> None:
    """One finding: Chinese, the same ids and figures as the English, no English words of the template.

    ``embedded`` are texts kept in English inside the Chinese on purpose (schema.py's and ledger.py's).
    """
    en, zh = row["message"], row["message_zh"]
    assert isinstance(zh, str) and zh.strip() and CJK.search(zh), (en, zh)
    for i in row["ids"]:
        assert (str(i) in en) == (str(i) in zh), (i, en, zh)
    ids = sorted(map(str, row["ids"]), key=len, reverse=True)
    assert numbers(without(en, ids)) == numbers(without(zh, ids)), (en, zh)
    rest = without(zh, sorted([*ids, *embedded], key=len, reverse=True))
    leaked = set(WORD.findall(rest)) - ALLOWED
    assert not leaked, (leaked, zh)


def identifiers() -> list[str]:
    """What a planner types as it is, so the Chinese names it as it is: layer and column names, and
    coded values (statuses …)."""
    from landkit.schema import LAYERS

    names = set(LAYERS)
    for layer in LAYERS.values():
        names |= {layer.id, *(c.name for c in layer.columns)}
        names |= {str(v) for c in layer.columns for v in (c.allowed or {})}
    return sorted(names, key=len, reverse=True)


def check_all(found: pd.DataFrame, *, embedded=()) -> None:
    assert list(found.columns[:8]) == audit.COLUMNS
    for _, row in found.iterrows():
        check(row, embedded=[e for e in embedded if e in row["message_zh"]])


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_every_finding_of_the_sample_says_it_in_chinese_with_the_same_figures(sample_layers):
    found = audit.audit(sample_layers)
    assert {"overlap", "gap", "outside_zone", "area_mismatch"} <= set(found["rule"])
    check_all(found)
    by_rule = dict(zip(found["rule"], found["message_zh"], strict=False))
    assert re.fullmatch(r"CB01591 与 CB01662：重叠 932\.1 m²（1\.40 亩）被重复计算", by_rule["overlap"])
    assert re.fullmatch(r"CB01988 与 CB01989 之间有 1\.00 m 宽的缝隙，面积 52\.2 m²；应使两块地相接", by_rule["gap"])
    assert re.fullmatch(r"CB00087：有 4,27\d\.\d m²（6\.4\d 亩，占 41%）超出规划范围", by_rule["outside_zone"])
    assert by_rule["area_mismatch"].startswith(
        "CB00648：登记 16.67 亩，实测 13.17 亩（椭球面积），相差 +3.50 亩，超过允许的"
    )
    assert by_rule["area_mismatch"].endswith(" m²；请核对权属资料或图形")


def test_ledger_findings_name_the_statuses_in_chinese(sample_layers):
    layers = {k: v.copy() for k, v in sample_layers.items()}
    parcels, events = layers["parcels"], layers["events"]
    reserved = parcels.index[parcels["status"] == "reserved"]
    layers["parcels"].loc["CB00001", "status"] = "transferred"  # the layer says one thing, the ledger another
    said = sample_layers["parcels"].loc["CB00001", "status"]
    layers["villages"].iloc[0, layers["villages"].columns.get_loc("relocation_status")] = "planned"
    village, village_was = layers["villages"].index[0], sample_layers["villages"]["relocation_status"].iloc[0]
    quiet = parcels.index[parcels["status"] == "planned"][:7]  # seven parcels whose events are lost
    late = pd.Timestamp.today().normalize() + pd.Timedelta(days=400)
    extra = pd.DataFrame(
        {
            "parcel_id": ["CB99999", reserved[0], reserved[1]],
            "date": pd.to_datetime(["2026-01-05", "2026-11-19", late]).astype(events["date"].dtype),
            "event_type": "transition",
            "status": ["planned", "planned", "developing"],
            "document_ref": "",
            "note": "",
        },
        index=pd.Index([90001, 90002, 90003], name="event_id"),
    )
    layers["events"] = pd.concat([events[~events["parcel_id"].isin(quiet)], extra])
    layers["villages"]["target_community"] = "HY"  # every village into one community: over capacity
    found = audit.audit(layers)
    ledger = found[found["rule"].isin(["ledger", "capacity"])]
    refused = [m.split("不符合状态流程：", 1)[1] for m in ledger["message_zh"] if "不符合状态流程：" in m]
    assert refused, ledger["message_zh"].tolist()
    check_all(ledger, embedded=refused)
    zh = "\n".join(ledger["message_zh"])
    ledger_says = PARCEL_STATUSES[said]
    transferred, planned = PARCEL_STATUSES["transferred"], RELOCATION_STATUSES["planned"]
    assert f"CB00001：台账为 {ledger_says}，储备地块图层为 {transferred}；运行 landkit sync 使图层跟随台账" in zh
    assert f"{village}：台账为 {RELOCATION_STATUSES[village_was]}，搬迁村庄图层为 {planned}" in zh
    assert f"{reserved[1]}：事件 90003 不符合状态流程：" not in zh  # a future date is not a refusal ...
    assert f"{reserved[0]}：事件 90002 不符合状态流程：已入库 → 规划储备 不允许" in zh
    assert f"条储备台账事件的日期晚于今天（最晚为 {late.date()}）" in zh  # ... but a finding of its own
    assert "储备台账事件中有 1 个地块不在储备地块图层中：CB99999" in zh
    assert "7 个地块没有台账事件" in zh
    capacity = found.loc[found["rule"] == "capacity", "message_zh"]
    assert len(capacity) and all("批搬迁后安置" in m and "超出安置容量" in m for m in capacity)


def test_schema_problems_have_the_layers_chinese_label_and_keep_their_english_inside(sample_layers):
    layers = {k: v for k, v in sample_layers.items() if k != "roads"}
    layers["parcels"] = sample_layers["parcels"].assign(status="sold")
    layers["villages"] = sample_layers["villages"].set_crs(4546, allow_override=True)
    problems = check_project(layers)
    found = audit.audit(layers)
    schema = found[found["rule"].isin(["schema", "duplicate_id", "empty_geometry", "crs_zone"])]
    assert len(schema) >= 3
    assert all(p.problem_zh and p.fix_zh for p in problems)  # every schema problem has its Chinese
    # the file's own value, quoted; CRS names and the code to run, as they are
    names = [pyproj.CRS(e).name for e in (4546, 4547)] + ["gdf.set_crs('EPSG:4547', allow_override=True)", "gdf.to_crs"]
    check_all(schema, embedded=[*names, *identifiers(), "'sold'"])
    by_layer = {(r.layer, r.rule): r.message_zh for r in schema.itertuples()}
    roads = by_layer[("roads", "schema")]
    assert roads == "道路：缺少该图层。处理：添加 roads 图层（道路）"
    assert by_layer[("parcels", "schema")].startswith("储备地块（要素 ") and "另有 " in by_layer[("parcels", "schema")]
    assert by_layer[("project", "crs_zone")].startswith("项目文件：各图层的坐标系不一致")


def real_shaped(n=2_500, crs="EPSG:4490"):
    """A jittered fabric (every parcel digitised on its own) with every kind of planted problem, in lon/lat."""
    fabric = make_fabric(n, kind="jittered", seed=4)
    parcels = fabric.parcels
    measured = landkit.area(parcels.set_geometry(parcels.geometry.make_valid()), unit="mu")
    stated = measured.round(2)
    stated.iloc[[5, 50, 500]] += [2.0, -1.5, 0.75]  # stated areas the ground does not have
    parcels = parcels.assign(stated_area_mu=stated.to_numpy())
    zone = gpd.GeoSeries([fabric.zone], crs=parcels.crs).to_crs(crs).iloc[0]
    return parcels.to_crs(crs), zone


def test_every_kind_of_topology_finding_on_a_lon_lat_fabric_says_it_in_chinese():
    parcels, zone = real_shaped()
    found = pd.concat(topology.parcel_checks(parcels, audit.load_rules(), zone=zone))
    assert {"invalid_geometry", "overlap", "gap", "outside_zone", "area_mismatch"} <= set(found["rule"])
    for _, row in found.iterrows():
        check(row)
    zh = "\n".join(found["message_zh"])
    for kind in ("重复图形", "包含", "重叠 ", "自相交，位置 [", "m 宽的缝隙", "超出规划范围", "（椭球面积）"):
        assert kind in zh, kind
    assert found["message_zh"].str.contains("图形无效").sum() == (found["rule"] == "invalid_geometry").sum()


def test_the_audit_of_a_lon_lat_layer_says_everything_in_chinese():
    parcels, zone = real_shaped(900)
    zones = gpd.GeoDataFrame({"version": [1]}, geometry=[zone], crs=parcels.crs, index=pd.Index(["Z1"], name="zone_id"))
    found = audit.audit({"parcels": parcels, "planning_zones": zones})
    problems = check_project({"parcels": parcels, "planning_zones": zones})
    assert {"schema", "overlap", "gap", "outside_zone"} <= set(found["rule"])
    assert problems and all(p.problem_zh and p.fix_zh for p in problems)
    check_all(found, embedded=identifiers())


def test_partitions_give_the_same_chinese():
    pytest.importorskip("dask_geopandas")
    from landkit import parallel

    parcels, zone = real_shaped(900, crs="EPSG:4547")
    rules = audit.load_rules()

    def said(found):  # a pair may be named in either order
        f = pd.concat(found)
        ids = f["ids"].map(lambda i: tuple(sorted(i)))
        zh = [without(m, i) for m, i in zip(f["message_zh"], ids, strict=True)]
        return sorted(zip(f["rule"], ids, zh, strict=True))

    single = said(topology.parcel_checks(parcels, rules, zone=zone))
    assert single and said(parallel.parcel_checks(parcels, rules, zone=zone, partitions=2)) == single


def test_tables_show_chinese_by_default_and_english_on_request(sample_layers):
    found = audit.audit(sample_layers)
    zh, en = report.findings_table(found, "zh"), report.findings_table(found, "en")
    assert list(zh["message"]) == list(found["message_zh"]) and list(en["message"]) == list(found["message"])
    assert "message_zh" not in zh and "message_zh" not in en
    older = found.drop(columns="message_zh")  # findings made before message_zh: the English, not a KeyError
    assert list(report.findings_table(older, "zh")["message"]) == list(found["message"])


def test_cli_json_carries_both_and_follows_the_schema_and_text_is_chinese_first(sample_copy):
    out = json.loads(run("audit", sample_copy, "--format", "json").stdout)
    jsonschema.validate(out, SCHEMA)
    assert all(CJK.search(f["message_zh"]) for f in out["findings"])
    assert "message_zh" in SCHEMA["properties"]["findings"]["items"]["required"]
    text = run("audit", sample_copy, "--quiet").stdout
    assert "CB01591 与 CB01662：重叠 932.1 m²（1.40 亩）被重复计算" in text
    english = run("audit", sample_copy, "--quiet", "--lang", "en").stdout
    assert "CB01591 and CB01662: the parcels overlap" in english and "重叠 932.1" not in english
    csv = run("audit", sample_copy, "--format", "csv").stdout
    assert "CB01591 与 CB01662：重叠" in csv


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Self-intersection[450012.5 3700020.25]", "自相交，位置 [450012.5 3700020.25]"),
        ("Ring Self-intersection[1 2]", "环自相交，位置 [1 2]"),
        ("Too few points in geometry component[3 4]", "图形的点数过少，位置 [3 4]"),
        ("Something GEOS may say one day", "Something GEOS may say one day"),  # kept as GEOS says it
    ],
)
def test_geos_reasons_in_chinese(reason, expected):
    assert topology._reason_zh(reason) == expected


def test_a_zone_warning_in_chinese():
    note = (
        "the layer is stored in EPSG:4547 (central meridian 114E) but reaches 2.31 degrees from it; planar "
        "measures there are distorted. Its own zone is EPSG:4546"
    )
    zh = audit._zone_warning_zh("parcels", note)
    assert zh == (
        "储备地块存储在 EPSG:4547（中央经线 114°E），但离中央经线最远达 2.31 度，那里的平面量算会变形；"
        "它所在的投影带是 EPSG:4546"
    )
    assert numbers(zh) == numbers(note)
    assert audit._zone_warning_zh("roads", "something else") == "道路：something else"  # framed, kept as said


def test_schema_problems_say_what_and_the_fix_in_chinese(sample_layers):
    """Each kind of schema problem, as a planner reads it: Chinese around the column names, codes,
    ids and values it names; English only with lang="en"."""
    layers = {k: v.copy() for k, v in sample_layers.items() if k != "roads"}
    layers["parcels"].loc["CB00010", "status"] = "sold"
    layers["parcels"].loc["CB00011", "stated_area_mu"] = float("inf")
    layers["parcels"].loc["CB00003", "geometry"] = None
    layers["villages"] = layers["villages"].drop(columns="batch")
    layers["communities"] = layers["communities"].assign(capacity_people=-1)
    layers["facilities"]["name"] = 1.5  # a number where text belongs
    layers["target_parcels"] = layers["target_parcels"].assign(target_id="T-nope")
    layers["targets"].loc["S-reserve", "target_mu"] = None
    problems = landkit.check_project(layers)
    assert len(problems) >= 9
    names = {c.name for layer in LAYERS.values() for c in layer.columns} | {layer.id for layer in LAYERS.values()}
    allowed = ALLOWED | names | set(PARCEL_STATUSES) | {"sold", "float64", "T", "nope", "S", "reserve", "CB", "SOURCE"}
    allowed |= {"PROJECT", "layer", "import", "target_id", "parcel_id"}
    for p in problems:
        zh = p.text("zh")
        assert CJK.search(zh) and zh.startswith(LAYERS[p.layer].label_zh), zh
        leaked = set(WORD.findall(without(zh, p.features))) - allowed
        assert not leaked, (leaked, zh)
        assert p.text("en") == str(p) and not CJK.search(p.problem)
    said = "\n".join(p.text("zh") for p in problems)
    for words in ("status（状态）的值 'sold' 不是允许的值", "缺少字段 batch", "不是有限的数", "要素没有图形",
                  "缺少该图层", "为负数或零", "应为文本", "targets 表中没有的目标 T-nope", "没有目标面积"):  # fmt: skip
        assert words in said, words


def test_progress_changes_and_target_lists_are_chinese_first(tmp_path, sample_copy, sample_layers):
    layers = dict(sample_layers)
    layers["parcels"] = sample_layers["parcels"].copy()
    layers["parcels"].loc["CB00001", "stated_area_mu"] = float("inf")
    landkit.write_project(layers, tmp_path / "p.gpkg")
    zh, en = run("progress", tmp_path / "p.gpkg"), run("progress", tmp_path / "p.gpkg", "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    assert "CB00001" in zh.stderr and "不是有限的数" in zh.stderr and "not a finite number" not in zh.stderr
    assert "not a finite number" in en.stderr
    assert "椭球面积" in zh.stdout.splitlines()[0] and "ellipsoidal" not in zh.stdout
    assert "ellipsoidal" in en.stdout.splitlines()[0]
    listed = run("progress", sample_copy, "--target", "T-approval")
    header = listed.stdout.splitlines()[1]
    assert "项目" in header and not WORD.findall(header), header
    assert "project" in run("progress", sample_copy, "--target", "T-approval", "--lang", "en").stdout
    out = json.loads(run("changes", sample_copy, "--since", "2026-10-31", "--format", "json").stdout)
    findings = out["new_findings"] + out["resolved_findings"]
    assert findings and all("index" not in f for f in findings)
    assert all(set(f) == set(findings[0]) for f in findings) and "rule_code" in findings[0]


def test_zone_table_headers_and_the_area_method_in_chinese(sample_layers):
    from landkit.planning import zone_versions

    table = zone_versions(sample_layers["planning_zones"], parcels=sample_layers["parcels"],
                          villages=sample_layers["villages"], land_use=sample_layers["land_use"],
                          basic_farmland=sample_layers["basic_farmland"])  # fmt: skip
    zh = report.zones_table(table, "zh")
    assert all(CJK.search(c) for c in [*zh.columns, zh.index.name]), list(zh.columns)
    assert list(report.zones_table(table, "en").columns) == list(table.columns)
    assert report.method_label(table.attrs["area_method"]).startswith("椭球面积（CGCS2000 椭球")
    cn = landkit.area(sample_layers["parcels"].head(2), method="cn2008", densify_m=5).attrs["area_method"]
    assert report.method_label(cn) == "椭球面积（CGCS2000 椭球，国土调查办发〔2008〕32号公式，边加密至 5 m）"
    planar = landkit.area(sample_layers["parcels"].head(2), method="planar", zone=4547).attrs["area_method"]
    assert report.method_label(planar).startswith("平面面积（EPSG:4547") and "ellipsoidal" not in report.method_label(
        planar
    )
    assert report.method_label(planar, "en") == planar
