"""Money on small made-up projects whose every figure is worked out here by hand (landkit.money)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from landkit import money

GK = "EPSG:4547"  # CGCS2000 Gauss-Krueger CM 114E, near the county seat
X0, Y0 = 400000.0, 3736000.0


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def zones(crs=GK):
    # two price zones (区片) side by side, named by their index as read from a project
    z = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], index=["A", "B"], crs=GK)
    return z.to_crs(crs)


def parcels():
    return gpd.GeoDataFrame(
        {"stated_area_mu": [1.234, 2.0, 0.5, -1.0]},  # 1.234 is shown (and paid) as 1.23 mu; -1 is no area
        geometry=[box(10, 10, 20, 20), box(150, 10, 160, 20), box(300, 0, 310, 10), box(20, 20, 30, 30)],
        index=pd.Index(["p1", "p2", "p3", "p4"], name="parcel_id"),
        crs=GK,
    )


RATES = pd.DataFrame(
    {
        "kind": ["land", "land", "crops", "crops", "structures", "structures", "structures", "relocation"],
        "applies_to": ["A", "B", "", None, "A", "A", "  ", None],
        "yuan_per_mu": [50_000.0, 40_000.0, 1_000.555, 500.0, 1_500.0, 500.0, 300.0, np.nan],
        "yuan_per_household": [np.nan] * 7 + [100_000.0],
    }
)


@pytest.mark.parametrize("zone_crs", [GK, "EPSG:4490"])
def test_compensation_is_the_stated_mu_times_the_rates_of_the_zone_and_of_everywhere(zone_crs):
    out = money.compensation(parcels(), RATES, zones(zone_crs))
    assert out.index.tolist() == ["p1", "p2", "p3", "p4"]
    assert out["zone"].tolist()[:2] == ["A", "B"] and pd.isna(out.loc["p3", "zone"])
    crops = 1_000.555 + 500.0  # "" and None both mean every zone
    # p1: 1.23 mu in zone A; p2: 2 mu in zone B; p3: 0.5 mu in no zone (only the rates for everywhere)
    assert out["land_yuan"].tolist()[:3] == [61_500.0, 80_000.0, 0.0]
    assert out["crops_yuan"].tolist()[:3] == [round(1.23 * crops, 2), round(2 * crops, 2), round(0.5 * crops, 2)]
    assert out["crops_yuan"].tolist()[:3] == [1_845.68, 3_001.11, 750.28]  # 1845.68265, 3001.11, 750.2775
    assert out["structures_yuan"].tolist()[:3] == [1.23 * 2_300.0, 2 * 300.0, 0.5 * 300.0]
    assert out["total_yuan"].tolist()[:3] == [66_174.68, 83_601.11, 900.28]
    assert out.loc["p4"].isna()[["stated_mu", "land_yuan", "total_yuan"]].tolist() == [True, True, False]
    kinds = [c for c in out.columns if c.endswith("_yuan")]
    assert kinds == ["land_yuan", "crops_yuan", "structures_yuan", "total_yuan"]


def test_without_price_zones_only_the_rates_for_everywhere_apply():
    for no_zones in (None, zones().iloc[:0]):
        out = money.compensation(parcels().iloc[:3], RATES, no_zones)
        assert out["zone"].isna().all()
        assert out["land_yuan"].tolist() == [0.0, 0.0, 0.0]
        assert out["total_yuan"].tolist() == [round(1.23 * 1_800.555, 2), round(2 * 1_800.555, 2), 900.28]


def test_a_parcel_is_in_the_zone_its_point_lies_in_not_in_the_zones_bounding_box():
    ell = shapely.Polygon(
        [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 20), (X0 + 20, Y0 + 20), (X0 + 20, Y0 + 100), (X0, Y0 + 100)]
    )
    bare = gpd.GeoDataFrame(geometry=[ell], index=["A"])  # no CRS declared: taken as the parcels'
    out = money.compensation(parcels().iloc[:3], RATES, bare)
    # p1 (10..20) lies in the L; p2 (150..160) is east of it; the L's box would hold (50..60, 50..60)
    assert out["zone"].tolist()[0] == "A" and out["zone"].iloc[1:].isna().all()
    inside_box = parcels().iloc[:1].set_geometry([box(50, 50, 60, 60)], crs=GK)
    assert money.compensation(inside_box, RATES, bare)["zone"].isna().all()


def test_a_rates_table_without_applies_to_applies_every_rate_everywhere():
    rates = RATES[RATES["kind"] == "crops"].drop(columns="applies_to")
    out = money.compensation(parcels().iloc[:3], rates, zones())
    assert out["crops_yuan"].tolist() == [1_845.68, 3_001.11, 750.28]


def acquired():
    return pd.DataFrame(
        {
            "compensation": ["cash", "staged", "equity", "cash", "staged"],
            "acquired_on": pd.to_datetime(["2025-03-15", "2025-03-15", "2025-03-15", None, "2024-02-29"]),
        },
        index=pd.Index(["c", "s", "e", "later", "leap"], name="parcel_id"),
    )


AMOUNTS = pd.DataFrame({"total_yuan": [1_000.0, 1_000.0, 500.0, 700.0, 10.1]}, index=["c", "s", "e", "later", "leap"])


def test_payments_follow_each_mode_from_the_acquisition_date():
    out = money.payments(acquired(), AMOUNTS, as_of="2026-03-15")
    due = out["due_on"].dt.strftime("%Y-%m-%d")
    rows = sorted(zip(out["parcel_id"], out["mode"], due, out["yuan"], out["paid"], strict=True))
    assert rows == [
        ("c", "cash", "2025-03-15", 1_000.0, True),
        ("leap", "staged", "2024-02-29", 4.04, True),  # 40 % of 10.10
        ("leap", "staged", "2025-02-28", 3.03, True),  # a year after 29 February is 28 February
        ("leap", "staged", "2026-02-28", 3.03, True),
        ("s", "staged", "2025-03-15", 400.0, True),
        ("s", "staged", "2026-03-15", 300.0, True),  # due on the day: paid
        ("s", "staged", "2027-03-15", 300.0, False),
    ]  # equity pays no cash; a parcel not acquired has nothing due
    assert list(out.columns) == ["parcel_id", "mode", "due_on", "yuan", "paid"]
    assert out.index.tolist() == list(range(7))  # one row per instalment, numbered
    before = money.payments(acquired(), AMOUNTS, as_of="2024-02-28")  # before the first acquisition
    assert len(before) == 7 and not before["paid"].any()


def test_payments_as_of_today_by_default():
    parcels = pd.DataFrame(
        {"compensation": ["staged"], "acquired_on": [pd.Timestamp.today().normalize() - pd.DateOffset(days=1)]},
        index=["s"],
    )
    out = money.payments(parcels, pd.DataFrame({"total_yuan": [100.0]}, index=["s"]))
    assert out["paid"].tolist() == [True, False, False]


def test_by_month_splits_paid_and_due_and_its_total_is_the_sum_of_the_months():
    instalments = pd.DataFrame(
        {
            "due_on": pd.to_datetime(["2025-03-01", "2025-03-31", "2026-03-15", "2026-03-16", "2027-01-01"]),
            "yuan": [0.1, 0.2, 300.0, 0.7, 300.004],
            "paid": [True, True, True, False, False],
        }
    )
    table = money.by_month(instalments)
    assert table.index.tolist() == ["2025-03", "2026-03", "2027-01", "合计"]
    assert table["paid_yuan"].tolist() == [0.3, 300.0, 0.0, 300.3]  # 0.1 + 0.2 is 0.30000000000000004 unrounded
    assert table["due_yuan"].tolist() == [0.0, 0.7, 300.0, 300.7]  # 300.004 is 300.00 yuan


def test_relocation_cost_is_households_times_the_rates_per_household():
    villages = pd.DataFrame({"households": ["12", None, "unknown", 3]}, index=["v1", "v2", "v3", "v4"])
    rates = pd.DataFrame(
        {"kind": ["relocation", "relocation", "land"], "yuan_per_household": [80_000.254, 20_000.0, 5.0]}
    )
    out = money.relocation_cost(villages, rates)
    assert out.index.tolist() == ["v1", "v2", "v3", "v4"]
    assert out["households"].tolist() == [12, 0, 0, 3] and out["households"].dtype.kind == "i"
    assert out["yuan_per_household"].tolist() == [100_000.254] * 4
    assert out["cost_yuan"].tolist() == [1_200_003.05, 0.0, 0.0, 300_000.76]  # 1,200,003.048 and 300,000.762


def supplied():
    return pd.DataFrame(
        {
            "project": ["X", "X", "Y", "Z", "W", None, "V", "X"],
            "stated_area_mu": [1.004, 2.0, 1.0, 3.0, 2.0, 5.0, 3.0, 4.0],
            "investment_yuan": [1_000_000.0, 2_000_000.0, 999_000.0, None, None, 9e9, 2_000_000.0, None],
            "output_yuan": [6_000_000.0, None, 1_990_000.0, None, 5_000_000.0, 9e9, "n/a", None],
        },
        index=[f"p{i}" for i in range(8)],
    )


def test_investment_intensity_is_per_project_in_wan_per_mu_with_its_thresholds():
    table = money.investment_intensity(supplied(), minimum_wan_per_mu=100.0, minimum_output_wan_per_mu=200.0)
    # Z has no figure, nor has X's 4 mu parcel p7; a parcel with no project is no project
    assert table.index.tolist() == ["V", "W", "X", "Y"]
    # X: 100 + 200 万元 over 1.00 + 2.00 mu (1.004 is shown as 1.00); Y: 99.9 万元 over 1 mu; V: 200 over 3
    assert table["mu"].tolist() == [3.0, 2.0, 3.0, 1.0]
    assert table["wan_per_mu"].tolist()[2:] == [100.0, 99.9]
    assert table.loc["V", "wan_per_mu"] == 66.67  # 66.666… to 0.01
    assert table["below"].tolist() == [True, False, False, True]  # at the threshold is not below; W has no figure
    assert np.isnan(table.loc["W", "wan_per_mu"]) and np.isnan(table.loc["V", "output_wan_per_mu"])
    assert table.loc["W", "output_wan_per_mu"] == 250.0 and table.loc["X", "output_wan_per_mu"] == 200.0
    assert table.loc["Y", "output_wan_per_mu"] == 199.0
    assert table["output_below"].tolist() == [False, False, False, True]
    assert list(table.columns) == [
        "mu",
        "yuan",
        "output_yuan",
        "wan_per_mu",
        "below",
        "output_wan_per_mu",
        "output_below",
    ]


def test_output_per_mu_is_rounded_to_0_01_and_the_default_output_threshold_is_zero():
    parcels = pd.DataFrame(
        {"project": ["T", "U"], "stated_area_mu": [3.0, 1.0], "investment_yuan": [1.0, 1.0],
         "output_yuan": [2_000_000.0, 5_000.0]}
    )  # fmt: skip
    table = money.investment_intensity(parcels, minimum_wan_per_mu=0.0)
    assert table["output_wan_per_mu"].tolist() == [66.67, 0.5]  # 66.666… ; 0.5 万元 per mu is above 0
    assert not table["output_below"].any()


def test_investment_intensity_without_output_figures_flags_investment_only():
    table = money.investment_intensity(supplied().drop(columns="output_yuan"), minimum_wan_per_mu=100.0)
    assert table.index.tolist() == ["V", "X", "Y"]
    assert table["output_wan_per_mu"].isna().all() and not table["output_below"].any()
    table = money.investment_intensity(supplied(), minimum_wan_per_mu=0.0)  # the output threshold is 0 by default
    assert not table["output_below"].any() and not table["below"].any()


def test_the_schedules_pay_each_mode_in_full_or_not_at_all():
    assert money.SCHEDULES == {"cash": ((0, 1.0),), "staged": ((0, 0.4), (1, 0.3), (2, 0.3)), "equity": ()}
