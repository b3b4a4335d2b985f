"""Parcel lineage (landkit.lineage, `landkit resurvey`, `landkit history`, `areas --as-of`): a delivery
built here with shapely from the sample's real parcels (a split by a line, a merge of two neighbours
by union, a re-survey with vertices moved by centimetres), areas checked against pyproj.Geod."""

import json
import shutil
import sqlite3

import numpy as np
import pyproj
import pytest
import shapely
import shapely.ops
from click.testing import CliRunner

import landkit
from landkit import lineage
from landkit.cli import main

DAY, BEFORE = "2026-12-01", "2026-11-30"
GEOD = pyproj.Geod(ellps="GRS80")  # CGCS2000's ellipsoid: a = 6378137, 1/f = 298.257222101
TO_LONLAT = pyproj.Transformer.from_crs("EPSG:4547", "EPSG:4490", always_xy=True)


def geod_m2(geom) -> float:
    """Karney's geodesic area of a polygon drawn in EPSG:4547, edges densified to 5 m."""
    lonlat = shapely.transform(shapely.segmentize(geom, 5.0), lambda xy: np.column_stack(TO_LONLAT.transform(*xy.T)))
    return abs(GEOD.geometry_area_perimeter(lonlat)[0])


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def jitter(geom, seed: int, cm: float = 3.0):
    """Every vertex moved independently by up to ``cm`` centimetres, as a fresh survey draws it."""

    def noise(xy):  # a pseudo-random offset per vertex (the same point moves the same way: rings stay closed)
        h = np.sin(xy[:, :1] * 12.9898 + xy[:, 1:] * 78.233 + seed * np.array([[1.0, 2.0]])) * 43758.5453
        return xy + (h - np.floor(h) - 0.5) * 2 * cm / 100

    return shapely.transform(geom, noise)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "lushan.gpkg"
    shutil.copy(landkit.SAMPLE_PATH, path)
    return path


@pytest.fixture(scope="module")
def parcels():
    return landkit.read_layer(landkit.SAMPLE_PATH, "parcels")


def pick(parcels):
    """A merge pair (neighbours of one status sharing > 20 m of edge), a parcel to split and one to
    re-survey, none of them touching another of the three."""
    g = parcels.geometry.to_numpy()
    left, right = parcels.sindex.query(g, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        same = parcels["status"].iloc[a] == parcels["status"].iloc[b]
        if a < b and same and shapely.length(shapely.intersection(g[a], g[b])) > 20:
            merge = [parcels.index[a], parcels.index[b]]
            break
    near = parcels.iloc[np.unique(right[np.isin(left, [parcels.index.get_loc(m) for m in merge])])].index
    rest = [i for i in parcels.index if i not in near]
    return merge, rest[10], rest[400]


def build(parcels, *, resurvey_cm=3.0):
    """The delivery: (GeoDataFrame, merge, split, resurveyed)."""
    import geopandas as gpd

    merge, split, again = pick(parcels)
    poly = parcels.geometry[split]
    c = poly.centroid
    _xmin, ymin, _xmax, ymax = poly.bounds
    cut = shapely.LineString([(c.x, ymin - 10), (c.x, ymax + 10)])
    pieces = list(shapely.ops.split(poly, cut).geoms)
    assert len(pieces) == 2
    merged = shapely.union(parcels.geometry[merge[0]], parcels.geometry[merge[1]])
    rows = [
        {"parcel_id": f"{split}-1", "replaces": split, "geometry": pieces[0]},
        {"parcel_id": f"{split}-2", "replaces": split, "geometry": pieces[1]},
        {"parcel_id": "M0001", "replaces": f"{merge[0]}；{merge[1]}", "geometry": merged},
        {"parcel_id": again, "replaces": again, "geometry": jitter(parcels.geometry[again], 1, resurvey_cm)},
    ]
    return gpd.GeoDataFrame(rows, crs=parcels.crs), merge, split, again


def areas(path, day):
    result = run("areas", path, "--as-of", day, "--unit", "m2", "--format", "json")
    assert result.exit_code == 0, result.output
    return {f["id"]: f["area_m2"] for f in json.loads(result.output)["features"]}


def test_split_merge_resurvey_in_one_delivery(project, parcels, tmp_path):
    delivery, merge, split, again = build(parcels)
    source = tmp_path / "survey.gpkg"
    delivery.to_file(source, layer="survey")
    events_before = len(landkit.read_layer(project, "events"))
    result = run("resurvey", project, "--from", source, "--date", DAY, "--doc", "鲁勘〔2026〕12号")
    assert result.exit_code == 0, result.output
    now = landkit.read_layer(project, "parcels")
    history = landkit.read_layer(project, "parcels_history")
    parents = [split, *merge, again]
    # the parents are gone from today's parcels and present in history; the children are in
    assert not ({split, *merge} & set(now.index))
    assert {f"{split}-1", f"{split}-2", "M0001", again} <= set(now.index)
    assert len(now) == len(parcels) - 3 + 3
    assert sorted(history["parcel_id"]) == sorted(parents)
    row = history.set_index("parcel_id").loc[split]
    assert row["replaced_by"] == f"{split}-1;{split}-2" and row["change"] == "split"
    assert str(row["valid_to"])[:10] == DAY and row["retired_by"] == "鲁勘〔2026〕12号"
    assert history.set_index("parcel_id").loc[merge[0], "change"] == "merge"
    assert history.set_index("parcel_id").loc[again, "change"] == "resurvey"
    assert shapely.equals(history.set_index("parcel_id").geometry[split], parcels.geometry[split])
    # statuses inherited, the ledger appended (3 + 1 retired, 3 + 1 created)
    assert now.loc[f"{split}-1", "status"] == parcels.loc[split, "status"]
    assert now.loc["M0001", "status"] == parcels.loc[merge[0], "status"]
    events = landkit.read_layer(project, "events")
    assert len(events) == events_before + 8
    new = events.iloc[events_before:]
    assert sorted(new[new["event_type"] == "retired"]["parcel_id"]) == sorted(parents)
    # areas --as-of: the day before lists the parents, the day lists the children
    old, today = areas(project, BEFORE), areas(project, DAY)
    assert {split, *merge, again} <= set(old) and not ({f"{split}-1", "M0001"} & set(old))
    assert {f"{split}-1", f"{split}-2", "M0001", again} <= set(today) and not ({split, *merge} & set(today))
    assert len(old) == len(today) == len(parcels)  # a split adds one, a merge takes one
    assert old[split] == pytest.approx(geod_m2(parcels.geometry[split]), abs=0.01)
    # a split keeps the measured total to 0.01 m² (Geod, independently)
    kids = [geod_m2(g) for g in delivery.geometry[:2]]
    assert today[f"{split}-1"] + today[f"{split}-2"] == pytest.approx(geod_m2(parcels.geometry[split]), abs=0.01)
    assert today[f"{split}-1"] == pytest.approx(kids[0], abs=0.01)
    # history names parents and children
    said = run("history", project, "M0001", "--format", "json")
    assert said.exit_code == 0, said.output
    found = json.loads(said.output)
    assert sorted(found["ancestors"]) == sorted(merge) and found["current"]
    said = json.loads(run("history", project, split, "--format", "json").output)
    assert said["descendants"] == [f"{split}-1", f"{split}-2"] and not said["current"]
    zh = run("history", project, split, lang="zh")
    assert zh.exit_code == 0 and "已注销" in zh.output and f"{split}-1" in zh.output and "分割" in zh.output
    # recording on a parent is refused, naming the children; on a child it works
    refused = run("record", project, split, "approved", "--date", "2026-12-02")
    assert refused.exit_code == 2 and f"{split}-1" in refused.output and f"{split}-2" in refused.output
    zh = run("record", project, merge[0], "已批复", "--date", "2026-12-02", lang="zh")
    assert zh.exit_code == 2 and "已于 2026-12-01 注销" in zh.output and "M0001" in zh.output


def test_record_from_rows_on_retired_ids_are_listed(project, parcels, tmp_path):
    delivery, merge, split, _again = build(parcels)
    delivery.to_file(tmp_path / "s.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "s.gpkg", "--date", DAY).exit_code == 0
    import pandas as pd

    rows = pd.DataFrame({"parcel_id": [split, merge[1]], "date": ["2026-12-02"] * 2, "status": ["approved"] * 2})
    rows.to_csv(tmp_path / "rows.csv", index=False)
    result = run("record", project, "--from", tmp_path / "rows.csv")
    assert result.exit_code == 2
    assert f"{split}-1" in result.output and "M0001" in result.output and "row 2" in result.output.lower()


def _file_state(path):
    with sqlite3.connect(path) as db:
        return (db.execute("SELECT count(*) FROM parcels").fetchone(),
                db.execute("SELECT count(*) FROM events").fetchone(),
                sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master")))  # fmt: skip


def test_area_change_is_refused_without_the_flag(project, parcels, tmp_path):
    _, _, _, again = build(parcels)
    poly = parcels.geometry[again]
    p_m2 = geod_m2(poly)
    allowed = 0.0003 * 2000 * np.sqrt(p_m2)  # ΔP ≤ 0.0003·M·√P at 1:2000 (the area-mismatch rule's scale)
    factor = np.sqrt((p_m2 - 1.2 * allowed) / p_m2)  # shrunk about its centroid: 1.2 tolerances less land
    import geopandas as gpd

    d = gpd.GeoDataFrame({"parcel_id": [again], "replaces": [again]},
                         geometry=[shapely.affinity.scale(poly, factor, factor)], crs=parcels.crs)  # fmt: skip
    d.to_file(tmp_path / "shrunk.gpkg")
    before = _file_state(project)
    refused = run("resurvey", project, "--from", tmp_path / "shrunk.gpkg", "--date", DAY)
    assert refused.exit_code == 2 and "--accept-area-change" in refused.output, refused.output
    assert f"{p_m2:,.2f}" in refused.output and f"{allowed:,.2f}" in refused.output  # the figures, said
    assert _file_state(project) == before
    accepted = run("resurvey", project, "--from", tmp_path / "shrunk.gpkg", "--date", DAY, "--accept-area-change")
    assert accepted.exit_code == 0, accepted.output
    now = areas(project, DAY)[again]
    assert now == pytest.approx(p_m2 - 1.2 * allowed, abs=0.01)
    assert areas(project, BEFORE)[again] == pytest.approx(p_m2, abs=0.01)


@pytest.mark.parametrize(("share", "ok"), [(0.97, True), (1.03, False), (-0.97, True), (-1.03, False)])
def test_survey_tolerance_edges(project, parcels, share, ok):
    """Just inside and just outside ΔP = 0.0003·M·√P, growing (a neighbour's overlap ignored) and shrinking."""
    import geopandas as gpd

    _, _, _, again = build(parcels)
    poly = parcels.geometry[again]
    p_m2 = geod_m2(poly)
    allowed = 0.0003 * 2000 * np.sqrt(p_m2)
    factor = np.sqrt((p_m2 + share * allowed) / p_m2)
    d = gpd.GeoDataFrame({"parcel_id": [again], "replaces": [[again]]},
                         geometry=[shapely.affinity.scale(poly, factor, factor)], crs=parcels.crs)  # fmt: skip
    d = d.set_index("parcel_id")
    layers = landkit.read_project(project)
    if ok:
        plan = lineage.plan_resurvey(layers, d, DAY, rules=_no_overlap_rules())
        assert plan.groups[0].change == "resurvey"
        assert plan.groups[0].allowed_m2 == pytest.approx(allowed, rel=1e-6)
    else:
        with pytest.raises(landkit.errors.DataError) as err:
            lineage.plan_resurvey(layers, d, DAY, rules=_no_overlap_rules())
        assert err.value.code == "lineage.area_changed"


def test_child_overlapping_a_neighbour_is_refused_with_nothing_written(project, parcels, tmp_path):
    delivery, _merge, _split, again = build(parcels)
    g = parcels.geometry.to_numpy()
    i = parcels.index.get_loc(again)
    neighbour = parcels.index[next(j for j in parcels.sindex.query(g[i], predicate="intersects") if j != i)]
    # the re-surveyed outline takes a 3 m deep bite of its neighbour (with the area flag: only the overlap refuses)
    bite = shapely.intersection(parcels.geometry[neighbour], parcels.geometry[again].buffer(3.0))
    delivery.loc[3, "geometry"] = shapely.union(delivery.geometry[3], bite)
    delivery.to_file(tmp_path / "bad.gpkg")
    before = _file_state(project)
    digest = landkit.store.file_sha256(project)
    result = run("resurvey", project, "--from", tmp_path / "bad.gpkg", "--date", DAY, "--accept-area-change")
    assert result.exit_code == 2, result.output
    assert "overlaps" in result.output and neighbour in result.output and "Traceback" not in result.output
    assert _file_state(project) == before and landkit.store.file_sha256(project) == digest
    zh = run("resurvey", project, "--from", tmp_path / "bad.gpkg", "--date", DAY, "--accept-area-change", lang="zh")
    assert zh.exit_code == 2 and "重叠" in zh.output and len(zh.output.strip().splitlines()) <= 2


def test_centimetre_misfits_are_not_overlaps(project, parcels, tmp_path):
    """Every child drawn afresh, vertices off by up to 3 cm: slivers under the snap tolerance pass."""
    delivery, *_ = build(parcels)
    delivery["geometry"] = [jitter(g, 7 + k) for k, g in enumerate(delivery.geometry)]
    delivery.to_file(tmp_path / "noisy.gpkg")
    result = run("resurvey", project, "--from", tmp_path / "noisy.gpkg", "--date", DAY)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda d: d.assign(replaces=d["replaces"].where(d.index != 0, "NOPE1")), "no_such_parent"),
        (lambda d: d.assign(parcel_id=d["parcel_id"].where(d.index != 2, "CB00999")), "id_taken"),
    ],
)
def test_bad_deliveries_are_refused(project, parcels, tmp_path, mutate, code):
    delivery, *_ = build(parcels)
    mutate(delivery).to_file(tmp_path / "d.gpkg")
    before = _file_state(project)
    result = run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert _file_state(project) == before


def test_retired_parent_is_refused_the_second_time(project, parcels, tmp_path):
    delivery, _merge, _split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    again_ = delivery.iloc[:2].assign(parcel_id=["X1", "X2"])
    again_.to_file(tmp_path / "d2.gpkg")
    result = run("resurvey", project, "--from", tmp_path / "d2.gpkg", "--date", "2026-12-03")
    assert result.exit_code == 2 and "retired on 2026-12-01" in result.output


def test_statuses_differ_needs_status(project, parcels, tmp_path):
    import geopandas as gpd

    g = parcels.geometry.to_numpy()
    left, right = parcels.sindex.query(g, predicate="intersects")
    a, b = next((a, b) for a, b in zip(left, right, strict=True)
                if a < b and parcels["status"].iloc[a] != parcels["status"].iloc[b]
                and shapely.length(shapely.intersection(g[a], g[b])) > 20)  # fmt: skip
    ids = [parcels.index[a], parcels.index[b]]
    d = gpd.GeoDataFrame({"parcel_id": ["M9"], "replaces": [" ".join(ids)]},
                         geometry=[shapely.union(g[a], g[b])], crs=parcels.crs)  # fmt: skip
    d.to_file(tmp_path / "m.gpkg")
    result = run("resurvey", project, "--from", tmp_path / "m.gpkg", "--date", DAY)
    assert result.exit_code == 2 and "--status" in result.output
    result = run("resurvey", project, "--from", tmp_path / "m.gpkg", "--date", DAY, "--status", "planned")
    assert result.exit_code == 0, result.output
    assert landkit.read_layer(project, "parcels").loc["M9", "status"] == "planned"


def test_targets_list_the_children(project, parcels, tmp_path):
    members = landkit.read_layer(project, "target_parcels")
    delivery, merge, split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    after = landkit.read_layer(project, "target_parcels")
    for parent, kids in ((split, [f"{split}-1", f"{split}-2"]), (merge[0], ["M0001"])):
        for target in members[members["parcel_id"] == parent]["target_id"]:
            listed = set(after[after["target_id"] == target]["parcel_id"])
            assert set(kids) <= listed and parent in listed


@pytest.mark.parametrize(
    ("text", "ids"),
    [("A;B", ["A", "B"]), ("A；B", ["A", "B"]), ("A,B", ["A", "B"]), ("A，B", ["A", "B"]), ("A  B", ["A", "B"]),
     (" A ; B ;", ["A", "B"]), (None, []), ("A;A", ["A"])],
)  # fmt: skip
def test_replaces_separators(text, ids):
    assert lineage.split_ids(text) == ids


@pytest.mark.parametrize(("depth_m", "refused"), [(0.06, False), (0.6, True)])
def test_overlap_tolerance_edges(project, parcels, depth_m, refused):
    """A re-surveyed outline reaching ``depth_m`` into its neighbour: within the snap tolerance (0.1 m)
    a survey misfit, beyond it (over 1 m²) an overlap."""
    _, _, _, again = build(parcels)
    g = parcels.geometry.to_numpy()
    i = parcels.index.get_loc(again)
    near = [j for j in parcels.sindex.query(g[i], predicate="intersects") if j != i]
    bites = [shapely.intersection(g[j], g[i].buffer(depth_m, join_style="mitre")) for j in near]
    outline = shapely.union_all([g[i], *bites])
    import geopandas as gpd

    d = gpd.GeoDataFrame({"parcel_id": [again], "replaces": [[again]]}, geometry=[outline], crs=parcels.crs)
    layers = landkit.read_project(project)
    if refused:
        with pytest.raises(landkit.errors.DataError) as err:
            lineage.plan_resurvey(layers, d.set_index("parcel_id"), DAY, accept_area_change=True)
        assert err.value.code == "lineage.overlap"
    else:
        assert lineage.plan_resurvey(layers, d.set_index("parcel_id"), DAY, accept_area_change=True).groups


def _no_overlap_rules():
    from landkit import audit

    rules = audit.load_rules()
    rules["overlap"]["min_area_m2"] = 1e6  # the area rule alone
    return rules


KILL_LOOP = """
import sys, datetime as dt, geopandas as gpd, landkit, shapely
from landkit import lineage
path, pid, out, start = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
parcels = landkit.read_layer(path, "parcels")
print("ready", flush=True)
for k in range(300):
    poly = shapely.affinity.translate(parcels.geometry[pid], 0.01 * (k % 2), 0)  # a centimetre each way
    gpd.GeoDataFrame({"parcel_id": [pid], "replaces": [pid]}, geometry=[poly], crs=parcels.crs).to_file(out)
    lineage.resurvey(path, out, date=dt.date(2026, 11, 20) + dt.timedelta(days=start + k), future=True)
    print(k, flush=True)
"""


@pytest.mark.slow
def test_killed_during_a_resurvey_leaves_the_old_or_the_new_state(project, parcels, tmp_path):
    """kill -9 at random points of a loop of re-surveys: the file is intact and each re-survey is whole
    (its history row, its two events and its parcel all there, or none)."""
    import random
    import subprocess
    import sys
    import time

    pid = parcels.index[5]
    rng = random.Random(29)
    seen = []
    for round_ in range(3):
        loop = [
            str(project),
            pid,
            str(tmp_path / "d.geojson"),
            str(300 * round_),
        ]  # each round's dates after the last's
        with subprocess.Popen([sys.executable, "-c", KILL_LOOP, *loop], stdout=subprocess.PIPE) as proc:
            assert proc.stdout.readline().strip() == b"ready"
            assert proc.stdout.readline().strip() == b"0"  # one re-survey landed, however loaded the machine
            time.sleep(rng.uniform(0.0, 1.5))  # then killed at a random point of a later one
            proc.kill()
            proc.wait()
        layers = landkit.read_project(project)
        with sqlite3.connect(project) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        history = layers.get("parcels_history")
        done = 0 if history is None else int((history["parcel_id"] == pid).sum())
        events = layers["events"]
        mine = events[events["parcel_id"] == pid]["event_type"]
        assert (mine == "retired").sum() == (mine == "created").sum() == done
        assert int((layers["parcels"].index == pid).sum()) == 1
        assert len(layers["parcels"]) == len(parcels)
        seen.append(done)
    assert (
        proc.returncode != 0 and seen[0] > 0 and seen[-1] > seen[1] > seen[0]
    )  # killed each round, after re-surveys had landed


def test_a_delivery_in_the_survey_exchange_text(project, parcels, tmp_path):
    """The 报部 text: 地块编号 is the parcel id, 地块名称 the ids it replaces (its coordinates to the mm)."""
    from landkit import exchange

    delivery, merge, split, _again = build(parcels)
    d = delivery.set_index("parcel_id").rename(columns={"replaces": "name"})
    (tmp_path / "成果.txt").write_bytes(exchange.write(d))
    result = run("resurvey", project, "--from", tmp_path / "成果.txt", "--date", DAY, lang="zh")
    assert result.exit_code == 0, result.output
    assert "合并：" in result.output and f"{merge[0]}、{merge[1]} → M0001" in result.output
    now = landkit.read_layer(project, "parcels")
    assert {"M0001", f"{split}-1"} <= set(now.index) and split not in now.index


def test_the_audit_after_a_resurvey_is_clean_and_checks_lineage(project, parcels, tmp_path):
    from landkit import audit

    delivery, merge, split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY, "--doc", "D1").exit_code == 0
    layers = landkit.read_project(project)
    before = audit.audit(landkit.read_project(landkit.SAMPLE_PATH))
    after = audit.audit(layers)
    # the retired ids are known to the ledger and the targets; the lineage is sound
    assert sorted(after["rule"]) == sorted(before["rule"])
    rules = audit.load_rules()
    assert lineage.lineage_findings(layers, rules).empty
    # a retirement with neither successors nor a document, a cycle, children short of their parents
    h = layers["parcels_history"].copy()
    first = h.index[0]
    h.loc[first, ["replaced_by", "retired_by"]] = [None, None]
    found = lineage.lineage_findings({**layers, "parcels_history": h}, rules)
    assert list(found["ids"]) == [[h.loc[first, "parcel_id"]]] and "既无后继地块也无注销文号" in found["message_zh"][0]
    h = layers["parcels_history"].copy()
    row = h[h["parcel_id"] == split].iloc[0].copy()
    row["parcel_id"], row["replaced_by"] = f"{split}-1", split  # the child said to be its parent's parent
    cyc = __import__("pandas").concat([h, row.to_frame().T.set_axis([999])])
    cyc = __import__("geopandas").GeoDataFrame(cyc, geometry="geometry", crs=h.crs)
    found = lineage.lineage_findings({**layers, "parcels_history": cyc}, rules)
    assert any(set(ids) == {split, f"{split}-1"} for ids in found["ids"])
    short = layers["parcels"].copy()
    short.loc["M0001", "geometry"] = parcels.geometry[merge[0]]  # the merge's child lost its second half
    found = lineage.lineage_findings({**layers, "parcels": short}, rules)
    assert len(found) == 1 and found["severity"][0] == "warning"
    # the half it lost, less the tolerance's strip along the lost half's outline (0.15 m × its perimeter)
    lost = parcels.geometry[merge[1]]
    assert found["area_m2"][0] == pytest.approx(geod_m2(lost) - 0.15 * lost.length, rel=0.01)


def test_lineage_events_are_not_recorded_by_hand(project, parcels):
    pid = parcels.index[0]
    result = run("record", project, pid, parcels.loc[pid, "status"], "--date", "2026-12-02", "--type", "retired")
    assert result.exit_code == 2 and "landkit resurvey" in result.output


def test_the_day_before_is_the_project_as_it_was(project, parcels, tmp_path):
    """`progress`, `areas` and the pack's as-of view (period.as_of) on the day before the survey give
    exactly what the untouched sample gives on that day; on the day they differ."""
    from landkit import period

    delivery, merge, split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    sample = landkit.SAMPLE_PATH

    def progress(path, day):
        result = run("progress", path, "--as-of", day, "--format", "json")
        assert result.exit_code == 0, result.output
        return {k: v for k, v in json.loads(result.output).items() if k != "path"}

    assert progress(project, BEFORE) == progress(sample, BEFORE)
    assert progress(project, DAY)["status_totals"] != progress(sample, DAY)["status_totals"]
    assert areas(project, BEFORE) == areas(sample, BEFORE)
    then = period.as_of(landkit.read_project(project), BEFORE)
    was = period.as_of(landkit.read_project(sample), BEFORE)
    assert sorted(then["parcels"].index) == sorted(was["parcels"].index)
    assert shapely.equals(then["parcels"].geometry[split], was["parcels"].geometry[split])
    assert set(then["target_parcels"]["parcel_id"]) == set(was["target_parcels"]["parcel_id"])
    now = period.as_of(landkit.read_project(project), DAY)
    assert "M0001" in now["parcels"].index and merge[0] not in now["parcels"].index


@pytest.mark.postgis
def test_a_resurvey_in_a_database(pg_server, pg_project, parcels, tmp_path):
    """The same delivery into a project in PostgreSQL: one transaction, the same rules, history kept."""
    url = pg_project
    delivery, merge, split, again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    bad = delivery.copy()
    i = parcels.index.get_loc(again)
    g = parcels.geometry.to_numpy()
    neighbour = next(j for j in parcels.sindex.query(g[i], predicate="intersects") if j != i)
    bad.loc[3, "geometry"] = shapely.union(bad.geometry[3], shapely.intersection(g[neighbour], g[i].buffer(3.0)))
    bad.to_file(tmp_path / "bad.gpkg")
    before = landkit.store.file_sha256(url)
    refused = run("resurvey", url, "--from", tmp_path / "bad.gpkg", "--date", DAY, "--accept-area-change")
    assert refused.exit_code == 2 and "overlaps" in refused.output
    assert landkit.store.file_sha256(url) == before  # nothing written
    result = run("resurvey", url, "--from", tmp_path / "d.gpkg", "--date", DAY, "--doc", "D1")
    assert result.exit_code == 0, result.output
    now = landkit.read_layer(url, "parcels")
    history = landkit.read_layer(url, "parcels_history")
    assert {f"{split}-1", "M0001", again} <= set(now.index) and split not in now.index
    assert sorted(history["parcel_id"]) == sorted([split, *merge, again])
    assert shapely.equals(history.set_index("parcel_id").geometry[split], parcels.geometry[split])
    assert areas(url, BEFORE)[split] == pytest.approx(geod_m2(parcels.geometry[split]), abs=0.01)
    assert "M0001" in areas(url, DAY)
    refused = run("record", url, merge[0], "approved", "--date", "2026-12-02")
    assert refused.exit_code == 2 and "M0001" in refused.output
    # the history is append-only in the database too
    import psycopg

    schema = url.split("schema=")[1]
    with pytest.raises(psycopg.Error):
        pg_server.sql(f'DELETE FROM "{schema}".parcels_history')


@pytest.mark.qgis
def test_qgis_shows_the_history_with_a_time_filter(project, parcels, tmp_path, run_qgis):  # noqa: F811
    """The QGIS project has the retired parcels as their own layer, whose temporal properties (from
    valid_from/valid_to) show the parents on the day before the survey and none on its day."""
    from landkit import qgis

    delivery, merge, split, again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    out = qgis.write_project(project, tmp_path / "qgis" / "lushan.qgz")
    got = run_qgis(
        f"""
        p = QgsProject.instance()
        assert p.read({str(out)!r})
        layer = p.mapLayer("parcels_history_landkit")
        t = layer.temporalProperties()
        out["valid"], out["count"], out["name"] = layer.isValid(), layer.featureCount(), layer.name()
        out["active"], out["mode"] = t.isActive(), int(t.mode())
        out["fields"] = [t.startField(), t.endField()]
        out["groups"] = [[g.name(), [l.layer().name() for l in g.findLayers()]] for g in p.layerTreeRoot().children()]
        from qgis.PyQt.QtCore import QDate, QDateTime, QTime
        def alive(day):
            start = QDateTime(QDate.fromString(day, "yyyy-MM-dd"), QTime(12, 0))
            rng = QgsDateTimeRange(start, start)
            expr = t.createFilterString(QgsVectorLayerTemporalContext(), rng)
            return sorted(f["parcel_id"] for f in layer.getFeatures(QgsFeatureRequest(QgsExpression(expr))))
        out["before"], out["day"] = alive({BEFORE!r}), alive({DAY!r})
        """
    )
    assert got["valid"] and got["count"] == 4 and got["name"] == "历史地块"
    assert got["active"] and got["mode"] == 2 and got["fields"] == ["valid_from", "valid_to"]
    assert ["储备", ["储备地块", "历史地块"]] in got["groups"]
    assert got["before"] == sorted([split, *merge, again]) and got["day"] == []


from tests.test_qgis import run_qgis  # noqa: E402, F401  (the fixture: QGIS's Python in a subprocess)


def test_lon_lat_geojson_and_a_gbk_shapefile_with_chinese_columns(project, parcels, tmp_path):
    """A delivery in CGCS2000 lon/lat (GeoJSON) and one as a GBK Shapefile with 地块编号/原地块编号:
    the same plan, with the attributes inherited and a split child's stated area its measured one."""
    delivery, merge, split, again = build(parcels)
    delivery.to_crs(4490).to_file(tmp_path / "d.geojson")
    layers = landkit.read_project(project)
    plan = lineage.plan_resurvey(layers, lineage.read_delivery(tmp_path / "d.geojson"), DAY)
    assert [g.change for g in plan.groups] == ["split", "merge", "resurvey"]
    chinese = delivery.rename(columns={"parcel_id": "地块编号", "replaces": "原地块编号"})
    chinese.to_file(tmp_path / "成果.shp", encoding="GBK")
    result = run("resurvey", project, "--from", tmp_path / "成果.shp", "--date", DAY)
    assert result.exit_code == 0, result.output
    now = landkit.read_layer(project, "parcels")
    kid = now.loc[f"{split}-1"]
    assert kid["village_code"] == parcels.loc[split, "village_code"]
    assert kid["land_use"] == parcels.loc[split, "land_use"]
    assert kid["stated_area_mu"] == round(geod_m2(delivery.geometry[0]) * 15 / 10000, 2)
    assert now.loc[again, "stated_area_mu"] == parcels.loc[again, "stated_area_mu"]  # a re-survey keeps its figure
    both = parcels.loc[merge, "land_use"]
    assert now.loc["M0001", "land_use"] == (both.iloc[0] if both.nunique() == 1 else None)


def test_the_history_survives_a_rewrite_and_refuses_to_lose_a_row(project, parcels, tmp_path):
    delivery, *_ = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    layers = landkit.read_project(project)
    landkit.write_project(layers, project, overwrite=True)  # the same rows back: accepted
    assert len(landkit.read_layer(project, "parcels_history")) == 4
    with pytest.raises(landkit.errors.LedgerError):
        landkit.write_layer(layers["parcels_history"].iloc[1:], project, "parcels_history", overwrite=True)
    assert len(landkit.read_layer(project, "parcels_history")) == 4


@pytest.mark.postgis
def test_a_project_with_history_pushes_and_pulls(pg_server, project, parcels, tmp_path):
    from tests.pg import new_schema

    delivery, merge, split, again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    url = pg_server.url(new_schema())
    landkit.store.push(project, url)
    assert sorted(landkit.read_layer(url, "parcels_history")["parcel_id"]) == sorted([split, *merge, again])
    assert areas(url, BEFORE) == areas(project, BEFORE)
    refused = run("record", url, split, "approved", "--date", "2026-12-02")
    assert refused.exit_code == 2 and f"{split}-1" in refused.output
    back = tmp_path / "back.gpkg"
    landkit.store.pull(url, back)
    assert landkit.store.content_hash({"h": landkit.read_layer(back, "parcels_history")}) == landkit.store.content_hash(
        {"h": landkit.read_layer(project, "parcels_history")}
    )


def test_history_of_an_untouched_parcel_and_of_none(project, parcels):
    pid = parcels.index[0]
    said = json.loads(run("history", project, pid, "--format", "json").output)
    assert said["current"] and said["ancestors"] == said["descendants"] == [] and len(said["events"]) >= 1
    result = run("history", project, "NOPE9", lang="zh")
    assert result.exit_code == 2 and "NOPE9" in result.output and "Traceback" not in result.output


def test_a_delivery_without_replaces_is_refused_in_a_line(project, parcels, tmp_path):
    delivery, *_ = build(parcels)
    delivery.drop(columns="replaces").to_file(tmp_path / "d.gpkg")
    result = run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY, lang="zh")
    assert result.exit_code == 2 and "replaces" in result.output and len(result.output.strip().splitlines()) <= 2


def test_gdal_sees_the_rows_the_resurvey_wrote(project, parcels, tmp_path):
    """Counts, R-tree and extents as GDAL reads them after the row-level writes."""
    import pyogrio

    delivery, merge, _split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    for layer, n in (("parcels", len(parcels)), ("parcels_history", 4)):
        info = pyogrio.read_info(project, layer=layer, force_feature_count=False)
        assert info["features"] == n, layer
    box = tuple(delivery.geometry[2].bounds)  # M0001's: found through the R-tree
    found = pyogrio.read_dataframe(project, layer="parcels", bbox=box)
    assert "M0001" in set(found["parcel_id"]) and merge[0] not in set(found["parcel_id"])
    found = pyogrio.read_dataframe(project, layer="parcels_history", bbox=box)
    assert set(merge) <= set(found["parcel_id"])
    with sqlite3.connect(project) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_and_map_as_of_the_day_before(project, parcels, tmp_path):
    import pandas as pd

    delivery, _merge, split, _ = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    for day, present, absent in ((BEFORE, split, "M0001"), (DAY, "M0001", split)):
        out = tmp_path / f"list-{day}.csv"
        result = run("export", project, "-o", out, "--by", "status", "--as-of", day, "--encoding", "utf-8")
        assert result.exit_code == 0, result.output
        ids = set(pd.read_csv(out, dtype=str).iloc[:, 0])
        assert present in ids and absent not in ids, day
    page = tmp_path / "zone.html"
    assert run("map", project, "-o", page, "--as-of", BEFORE).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert split in html and f"{split}-1" not in html


def test_each_child_keeps_its_own_outline_whatever_the_delivery_order(project, parcels, tmp_path):
    """Children of one split apart in the file (split-1, merge, split-2, re-survey): each gets its outline."""
    delivery, *_ = build(parcels)
    shuffled = delivery.iloc[[0, 2, 1, 3]].reset_index(drop=True)
    shuffled.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0
    now = landkit.read_layer(project, "parcels")
    for k in range(4):
        pid = delivery["parcel_id"][k]
        assert shapely.equals_exact(now.geometry[pid], delivery.geometry[k], tolerance=1e-6), pid


def test_changes_as_of_is_the_project_as_it_stood_that_day(project, parcels, tmp_path):
    """`changes --as-of D` (issue 29's list: areas, progress, changes, map, print, export, report): the
    period ends on D, as `--until D`; the day before the survey it is what the untouched sample says."""
    delivery, _merge, _split, _again = build(parcels)
    delivery.to_file(tmp_path / "d.gpkg")
    assert run("resurvey", project, "--from", tmp_path / "d.gpkg", "--date", DAY).exit_code == 0

    def changes(path, *how):
        result = run("changes", path, "--since", "2026-10-31", *how, "--format", "json")
        assert result.exit_code == 0, result.output
        said = {k: v for k, v in json.loads(result.output).items() if k != "path"}
        return said | {"parcels": sorted(said["parcels"], key=lambda p: p["parcel_id"])}  # restored parents last

    before = changes(project, "--as-of", BEFORE)
    assert before["until"] == BEFORE and before == changes(project, "--until", BEFORE)
    assert before == changes(landkit.SAMPLE_PATH, "--as-of", BEFORE)
    on_the_day, sample = changes(project, "--as-of", DAY), changes(landkit.SAMPLE_PATH, "--as-of", DAY)
    assert on_the_day["until"] == DAY and on_the_day["events"] != sample["events"]
    start = [
        {k: v for k, v in row.items() if k in ("status", "parcels_before", "mu_before")}
        for row in on_the_day["by_status"]
    ]
    assert start == [
        {k: v for k, v in row.items() if k in ("status", "parcels_before", "mu_before")} for row in sample["by_status"]
    ]
