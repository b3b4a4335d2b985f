"""Relocation: displacement by zone version, capacity checks, and an allocation that is optimal."""

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

import landkit
from landkit import LedgerError, relocation
from landkit.cli import main
from tests.geodesy import geodesic_area_m2


def small_instance(hh, pop, batch, cap_hh, cap_people):
    """Villages on a line east of two communities, in EPSG:4547, 1 km apart."""
    x0, y0 = 400000, 3736000
    villages = gpd.GeoDataFrame(
        {"name": [f"v{i}" for i in range(len(hh))], "batch": batch, "households": hh, "population": pop},
        geometry=[shapely.box(x0 + 1000 * (i + 1), y0, x0 + 1000 * (i + 1) + 50, y0 + 50) for i in range(len(hh))],
        crs="EPSG:4547",
        index=[f"V{i}" for i in range(len(hh))],
    )
    communities = gpd.GeoDataFrame(
        {"name": ["A", "B"], "capacity_households": cap_hh, "capacity_people": cap_people},
        geometry=[shapely.box(x0, y0, x0 + 50, y0 + 50), shapely.box(x0 + 4000, y0 + 3000, x0 + 4050, y0 + 3050)],
        crs="EPSG:4547",
        index=["A", "B"],
    )
    return villages, communities


def brute_force(villages, communities, *, split, min_part=10):
    """Every allocation, best by (fewest parts, least household-km), parts never under min_part households."""
    d = relocation.distances_km(villages, communities).to_numpy()
    hh, pop = villages["households"].to_numpy(), villages["population"].to_numpy()
    best = (np.inf, np.inf)
    if split:
        choices = [[a for a in range(h + 1) if a in (0, h) or min(a, h - a) >= min(min_part, h)] for h in hh]
    else:
        choices = [(0, h) for h in hh]
    for to_a in itertools.product(*choices):
        x = np.column_stack([to_a, hh - np.array(to_a)])
        people = (x * (pop / hh)[:, None]).sum(axis=0)
        if (x.sum(axis=0) <= communities["capacity_households"].to_numpy()).all() and (
            people <= communities["capacity_people"].to_numpy() + 1e-9
        ).all():
            best = min(best, (int((x > 0).sum()), float((x * d).sum())))
    return best


@pytest.mark.parametrize("split", [True, False])
def test_allocation_is_optimal_against_brute_force(split):
    villages, communities = small_instance([4, 3, 5, 2], [14, 9, 16, 7], [1, 1, 1, 1], [7, 9], [24, 40])
    plan = relocation.allocate(villages, communities, split=split, min_part=2)
    parts, expected = brute_force(villages, communities, split=split, min_part=2)
    assert len(plan) == parts
    got = float((plan["households"] * relocation.distances_km(villages, communities).stack()[
        list(zip(plan["village_code"], plan["community_id"], strict=True))
    ].to_numpy()).sum())  # fmt: skip
    assert got == pytest.approx(expected, rel=1e-9)
    assert plan.groupby("village_code")["households"].sum().to_dict() == villages["households"].to_dict()
    assert plan.groupby("village_code")["people"].sum().to_dict() == villages["population"].to_dict()
    assert (plan.groupby("community_id")["households"].sum() <= communities["capacity_households"]).all()
    if not split:
        assert not plan["village_code"].duplicated().any()


def test_earlier_batches_are_placed_first():
    # community A is nearer to everyone but holds only 4 households: batch 1 gets it
    villages, communities = small_instance([3, 4], [9, 12], [2, 1], [4, 10], [100, 100])
    plan = relocation.allocate(villages, communities).set_index("village_code")
    assert plan.loc["V1", "community_id"] == "A" and plan.loc["V1", "households"] == 4


def test_a_batch_that_cannot_fit_is_a_clear_error():
    villages, communities = small_instance([4, 3], [14, 9], [1, 1], [3, 3], [100, 100])
    with pytest.raises(landkit.DataError, match="batch 1 does not fit: it needs 7 households"):
        relocation.allocate(villages, communities)


def test_capacity_check_flags_an_overfull_community(sample_layers):
    villages = sample_layers["villages"].copy()
    ok = relocation.capacity_check(villages, sample_layers["communities"])
    assert not ok["over"].any()
    villages["target_community"] = "HY"
    over = relocation.capacity_check(villages, sample_layers["communities"])
    hy = over[over["community_id"] == "HY"].set_index("through_batch")
    assert hy.loc[3, "over"] and hy.loc[3, "people"] == villages["population"].sum()
    assert hy.loc[1, "over"] == (villages.loc[villages["batch"] == 1, "population"].sum() > 8000)


def test_displacement_and_freed_land(sample_layers):
    d = relocation.displacement(sample_layers["planning_zones"], sample_layers["villages"])
    assert (d.loc[d["batch"] == 1, "version"] == 1).all()
    by_hand = geodesic_area_m2(sample_layers["villages"].loc[d.index]) / (10000 / 15)  # Karney's, not landkit's
    assert sorted(d.index) == sorted(sample_layers["villages"].index)
    assert d["freed_mu"].to_numpy() == pytest.approx(by_hand, abs=0.005)  # each village, rounded to 2 decimals


def test_relocation_progress_from_events(sample_layers):
    table = relocation.relocation_progress(sample_layers["villages"], sample_layers["relocation_events"])
    assert table.loc[1, "villages_demolished"] == 3 and table.loc[3, "villages_planned"] == 9
    early = relocation.relocation_progress(
        sample_layers["villages"], sample_layers["relocation_events"], as_of="2000-01-01"
    )
    assert list(early.columns) == ["villages_planned", "households_planned"]


def test_relocation_history_is_append_only(sample_copy):
    events = landkit.read_layer(sample_copy, "relocation_events")
    with pytest.raises(LedgerError, match="append-only"):
        landkit.write_layer(events.iloc[:-1], sample_copy, "relocation_events", overwrite=True)


def test_cli_relocate_json(sample_copy, sample_layers):
    out = json.loads(CliRunner().invoke(main, ["relocate", str(sample_copy), "--format", "json"]).stdout)
    assert out["totals"]["people"] == sample_layers["villages"]["population"].sum()
    assert round(sum(p["household_km"] for p in out["plan"]), 3) == pytest.approx(out["totals"]["household_km"])
    assert {c["community_id"] for c in out["capacity"]} == {"LF", "HY"}


def test_relocation_events_are_checked_and_appended(sample_copy, sample_layers):
    from landkit import record_relocation_event

    villages = sample_layers["villages"]
    status = relocation.village_status(villages, sample_layers["relocation_events"])
    signed = status.index[status == "agreement_signed"][0]
    planned = status.index[status == "planned"][0]
    with pytest.raises(LedgerError, match="planned -> moved is not allowed; next can be: agreement_signed"):
        record_relocation_event(sample_copy, planned, "moved", "2026-11-25")
    with pytest.raises(LedgerError, match="not in the project's villages"):
        record_relocation_event(sample_copy, "000", "moved", "2026-11-25")
    with pytest.raises(LedgerError, match="before the village's last event"):
        record_relocation_event(sample_copy, signed, "moved", "2001-01-01")
    record_relocation_event(sample_copy, signed, "moved", "2026-11-25", document_ref="鲁搬迁〔2026〕99号")
    events = landkit.read_layer(sample_copy, "relocation_events")
    assert len(events) == len(sample_layers["relocation_events"]) + 1
    assert relocation.village_status(villages, events)[signed] == "moved"
    # one truth: the villages layer follows the ledger in the same transaction
    assert landkit.read_layer(sample_copy, "villages").loc[signed, "relocation_status"] == "moved"


def test_the_plan_keeps_villages_already_on_the_move_where_the_layer_sends_them(sample_copy, sample_layers):
    """Signed, moved and demolished villages are facts: the plan never moves them elsewhere."""
    out = json.loads(CliRunner().invoke(main, ["relocate", str(sample_copy), "--format", "json"]).stdout)
    villages = sample_layers["villages"]
    started = villages.index[villages["relocation_status"] != "planned"]
    assert len(started) == 10
    plan = {}
    for row in out["plan"]:
        plan.setdefault(row["village_code"], []).append(row)
    for code in started:
        (row,) = plan[code]  # one part: not split
        assert row["community_id"] == villages.loc[code, "target_community"] and row["fixed"]
        assert row["households"] == villages.loc[code, "households"]
    assert out["over_capacity"] == []
    assert all(r["households"] >= 10 for r in out["plan"])  # no household split off alone
    assert not any(len(rows) > 1 for rows in plan.values())  # the sample fits without splitting anyone


def test_a_village_is_split_only_where_capacity_forces_it_and_never_into_crumbs():
    # 45 households, A holds 30 and B 15: one village must be split, and no part may be under min_part
    villages, communities = small_instance([25, 20], [80, 60], [1, 1], [30, 15], [1000, 1000])
    plan = relocation.allocate(villages, communities, min_part=8)
    assert len(plan) == 3 and plan["households"].min() >= 8  # one split, no crumbs (5 + 15 is refused)
    assert plan.groupby("community_id")["households"].sum().to_dict() == {"A": 30, "B": 15}
    with pytest.raises(landkit.DataError, match="does not fit"):  # every split would leave a part under 11
        relocation.allocate(villages, communities, min_part=11)
    roomy = communities.assign(capacity_households=[30, 100])
    assert len(relocation.allocate(villages, roomy, min_part=8)) == 2  # room enough: nobody is split


def test_facts_over_capacity_are_reported_not_moved(sample_layers):
    villages = sample_layers["villages"].copy()
    started = villages["relocation_status"] != "planned"
    communities = sample_layers["communities"].copy()
    communities.loc["LF", "capacity_households"] = 1300  # less than the first batch already in LF (1,373)
    communities.loc["HY", ["capacity_households", "capacity_people"]] = [4000, 20000]
    plan = relocation.allocate(villages, communities)
    fixed = plan[plan["fixed"]].set_index("village_code")
    assert (fixed["community_id"] == villages.loc[started, "target_community"].reindex(fixed.index)).all()
    assert len(plan.attrs["over_capacity"]) == 1 and "露峰社区" in str(plan.attrs["over_capacity"][0])
    assert set(plan.loc[~plan["fixed"], "community_id"]) == {"HY"}  # nothing more goes to the full LF
