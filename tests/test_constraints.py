"""三区三线 conflicts, land take, suspect buildings, idle land and money, against independent sums.

The independent method: plain shapely intersections per parcel, measured with Karney's geodesic
area (tests/geodesy.py), and the rates applied by hand; never landkit's own figures pasted back.
"""

import numpy as np
import pandas as pd
import pytest
import shapely

from landkit import constraints, money, planning, reserve

from .geodesy import geodesic_area_m2, karney_m2


def _plain_overlaps(parcels, patches):
    """Each parcel's plain intersection with the patches' union, measured by Karney (lon/lat)."""
    union = shapely.union_all(patches.to_crs(parcels.crs).geometry.to_numpy())
    pieces = parcels.geometry.intersection(union)
    pieces = pieces[~pieces.is_empty]
    return pd.Series(geodesic_area_m2(pieces), index=pieces.index)


def test_farmland_and_red_line_conflicts_are_the_planted_ones_with_their_areas(sample_layers):
    parcels = sample_layers["parcels"]
    found = constraints.conflicts(parcels, sample_layers)
    farmland = sample_layers["basic_farmland"]
    planted = _plain_overlaps(parcels, farmland.loc[["JBNT-1", "JBNT-2"]])
    assert sorted(found["basic_farmland"].index) == sorted(planted.index) == ["CB00027", "CB00143"]
    assert found["basic_farmland"]["area_m2"].to_numpy() == pytest.approx(
        planted[found["basic_farmland"].index], abs=0.01
    )
    # the third patch was digitised 5 cm over the zone's edge: it touches parcels, and is no conflict
    noise = _plain_overlaps(parcels, farmland.loc[["JBNT-3"]])
    assert len(noise) >= 1 and (noise > 0.5).any() and not set(noise.index) & set(found["basic_farmland"].index)
    red = _plain_overlaps(parcels, sample_layers["eco_redline"])
    assert list(found["eco_redline"].index) == list(red.index) == ["CB00278"]
    assert found["eco_redline"]["area_m2"].iloc[0] == pytest.approx(red.iloc[0], abs=0.01)


def test_parcels_outside_the_urban_boundary_by_more_than_the_tolerance(sample_layers):
    parcels = sample_layers["parcels"]
    boundary = sample_layers["urban_boundary"].geometry.iloc[0]
    outside = parcels.geometry.difference(boundary)
    plain = pd.Series(geodesic_area_m2(outside[~outside.is_empty]), index=outside[~outside.is_empty].index)
    found = constraints.conflicts(parcels, sample_layers)["urban_boundary"]
    assert "CB00087" in found.index and len(found) > 3  # the planted outside parcel and the NE corner
    assert set(found.index) == set(plain[plain > 1].index)
    assert found["area_m2"].to_numpy() == pytest.approx(plain[found.index].to_numpy(), abs=0.01)


def test_conflicts_hold_on_lon_lat_parcels_and_jittered_constraints(sample_layers):
    """Real surveys: parcels in lon/lat, the farmland layer in Gauss-Kruger with every vertex moved
    by up to 3 cm: the same conflicts, the same areas to a few square decimetres."""
    parcels = sample_layers["parcels"]
    farmland = sample_layers["basic_farmland"].copy()
    farmland["geometry"] = shapely.transform(  # a function of the point: rings stay closed
        farmland.geometry.to_numpy(), lambda xy: xy + 0.03 * np.sin(xy[:, ::-1] * 7.3)
    )
    layers = dict(sample_layers, basic_farmland=farmland)
    base = constraints.conflicts(parcels, sample_layers)["basic_farmland"]
    moved = constraints.conflicts(parcels.to_crs(4490), layers)["basic_farmland"]
    assert list(moved.index) == list(base.index)
    assert moved["area_m2"].to_numpy() == pytest.approx(base["area_m2"].to_numpy(), abs=0.5)
    assert moved.crs.to_epsg() == 4490  # the conflict's part is in the parcels' CRS


def test_land_take_adds_up_to_each_parcel_and_cultivated_is_class_01(sample_layers):
    parcels = sample_layers["parcels"].iloc[::40]
    land_use = sample_layers["land_use"]
    take = constraints.land_take(parcels, land_use)
    classes = [c for c in take.columns if c != "cultivated_mu"]
    assert (
        take["cultivated_mu"].tolist() == take[[c for c in classes if c.startswith("01")]].sum(axis=1).round(2).tolist()
    )
    whole = geodesic_area_m2(parcels) / 666.6666666666666
    assert take[classes].sum(axis=1).to_numpy() == pytest.approx(whole, abs=0.005 * len(classes) + 1e-6)
    for pid in take.index[:8]:  # independently: one parcel at a time, by hand
        geom = parcels.geometry[pid]
        mine = land_use[land_use.intersects(geom) & land_use["code"].str.startswith("01")]
        pieces = mine.geometry.intersection(geom).to_frame("geometry").set_geometry("geometry", crs=parcels.crs)
        by_hand = geodesic_area_m2(pieces).sum() / 666.6666666666666 if len(mine) else 0.0
        assert take.loc[pid, "cultivated_mu"] == pytest.approx(by_hand, abs=0.01)


def test_each_zone_expansion_says_the_farmland_it_takes(sample_layers):
    table = planning.zone_versions(
        sample_layers["planning_zones"], land_use=sample_layers["land_use"],
        basic_farmland=sample_layers["basic_farmland"],
    )  # fmt: skip
    zones = sample_layers["planning_zones"].sort_values("version").geometry.to_numpy()
    added = shapely.difference(zones, np.r_[[shapely.Polygon()], zones[:-1]])
    # the planted patches; JBNT-3 reaches 5 cm over the zone's edge: a sliver, not farmland taken
    farmland = shapely.union_all(sample_layers["basic_farmland"].geometry[["JBNT-1", "JBNT-2"]].to_numpy())
    for k, g in enumerate(added):
        piece = shapely.intersection(g, farmland)
        by_hand = 0.0 if piece.is_empty else karney_m2(_lonlat(piece, sample_layers)) / 666.6666666666666
        assert table["added_farmland_mu"].iloc[k] == pytest.approx(by_hand, abs=0.005)
    assert table["added_cultivated_mu"].gt(0).all()


def _lonlat(geom, layers):
    import geopandas as gpd

    return gpd.GeoSeries([geom], crs=layers["parcels"].crs).to_crs(4490).iloc[0]


def test_buildings_on_unapproved_or_open_land_are_suspects(sample_layers):
    parcels = sample_layers["parcels"]
    zone = sample_layers["planning_zones"].sort_values("version").geometry.iloc[-1]
    found = constraints.suspect_buildings(
        sample_layers["buildings"], parcels, zone=zone,
        exempt=(sample_layers["villages"], sample_layers["facilities"]),
    )  # fmt: skip
    # by hand: the building's parcel and its status
    status = {}
    for bid, geom in sample_layers["buildings"].geometry.items():
        hit = parcels[parcels.intersects(geom)]
        status[bid] = set(hit["status"]) or {"open land"}
    suspects = {b for b, s in status.items() if s - {"transferred", "allocated"}}
    assert set(found["building"]) == suspects == {"JZ006", "JZ007", "JZ008"}
    assert found.loc[found["building"] == "JZ008", "parcel"].isna().all()
    assert found["area_m2"].to_numpy() == pytest.approx(
        geodesic_area_m2(sample_layers["buildings"].loc[found["building"]]), abs=0.01
    )


def test_idle_land_becomes_recoverable_two_years_after_the_agreed_start(sample_layers):
    parcels = sample_layers["parcels"]
    now = reserve.idle_land(parcels, as_of="2026-11-20")
    later = reserve.idle_land(parcels, as_of="2027-07-15")
    assert set(now["stage"]) == {"闲置"} and len(now) == len(later)
    due = parcels.loc[later.index, "start_due_on"] + pd.Timedelta(days=730)
    assert (later["stage"] == np.where(due < pd.Timestamp("2027-07-15"), "可无偿收回", "闲置")).all()
    assert (later["stage"] == "可无偿收回").any()


def test_compensation_is_stated_mu_times_the_zone_and_county_rates(sample_layers):
    parcels, rates = sample_layers["parcels"], sample_layers["compensation_rates"]
    amounts = money.compensation(parcels, rates, sample_layers["price_zones"])
    zones = sample_layers["price_zones"]
    for pid in parcels.index[::300]:
        point = parcels.geometry[pid].representative_point()
        zone = next(z for z, g in zones.geometry.items() if g.contains(point))
        land = rates.loc[(rates["kind"] == "land") & (rates["applies_to"] == zone), "yuan_per_mu"].sum()
        flat = rates.loc[rates["kind"].isin(["crops", "structures"]), "yuan_per_mu"].sum()
        assert amounts.loc[pid, "total_yuan"] == pytest.approx(
            parcels.loc[pid, "stated_area_mu"] * (land + flat), abs=0.02
        )
    instalments = money.payments(parcels, amounts, as_of="2026-11-20")
    staged = parcels.index[(parcels["compensation"] == "staged") & parcels["acquired_on"].notna()][0]
    mine = instalments[instalments["parcel_id"] == staged]
    assert mine["yuan"].sum() == pytest.approx(amounts.loc[staged, "total_yuan"], abs=0.02) and len(mine) == 3
    assert instalments[instalments["mode"] == "equity"].empty  # shares, not cash
    months = money.by_month(instalments)
    assert months.loc["合计", "paid_yuan"] == pytest.approx(
        instalments.loc[instalments["paid"], "yuan"].sum(), abs=0.05
    )
    assert months.drop(index="合计").sum().round(2).tolist() == months.loc["合计"].tolist()


def test_investment_intensity_below_the_threshold_is_flagged(sample_layers):
    parcels = sample_layers["parcels"]
    table = money.investment_intensity(parcels, minimum_wan_per_mu=300)
    mine = parcels[parcels["project"] == "海威特种面料"]
    by_hand = mine["investment_yuan"].sum() / 10_000 / mine["stated_area_mu"].sum()
    assert table.loc["海威特种面料", "wan_per_mu"] == pytest.approx(by_hand, abs=0.01)
    assert table["below"].to_dict() == (table["wan_per_mu"] < 300).to_dict() and table["below"].any()


@pytest.mark.slow
def test_the_pack_workbook_lists_conflicts_costs_idle_and_suspect_buildings(tmp_path, sample_copy, sample_layers):
    import openpyxl
    from click.testing import CliRunner

    from landkit.cli import main

    assert CliRunner().invoke(main, ["report", str(sample_copy), "-o", str(tmp_path / "pack")]).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "pack" / "audit.xlsx")
    rows = list(book["三区三线冲突"].iter_rows(values_only=True))
    by_parcel = {(r[0], r[1]): r[3] for r in rows[1:]}
    farmland = _plain_overlaps(sample_layers["parcels"], sample_layers["basic_farmland"].loc[["JBNT-1", "JBNT-2"]])
    for pid, m2 in farmland.items():
        assert by_parcel[("永久基本农田", pid)] == pytest.approx(m2, abs=0.01)
    suspects = {r[0] for r in book["违法占地疑点"].iter_rows(min_row=2, values_only=True)}
    assert suspects == {"JZ006", "JZ007", "JZ008"}
    costs = list(book["补偿费用"].iter_rows(values_only=True))
    assert costs[-1][0] == "合计" and costs[-1][1] == pytest.approx(sum(r[1] for r in costs[1:-1]), abs=0.01)
    take = list(book["耕地占用"].iter_rows(values_only=True))
    head, total = take[0], take[-1]
    cultivated = head.index("其中耕地(亩)")
    assert total[0] == "合计" and total[cultivated] == pytest.approx(sum(r[cultivated] for r in take[1:-1]), abs=0.01)
    assert {r[0] for r in book["闲置土地"].iter_rows(min_row=2, values_only=True)} == set(
        reserve.idle_land(sample_layers["parcels"], as_of=reserve.data_date(sample_layers["events"])).index
    )


def test_cultivated_land_per_target_and_relocation_cost_per_village(sample_layers):
    from landkit import report

    tables = report.land_tables(sample_layers)
    per_target = tables["目标耕地占用"].set_index("目标")
    task = reserve.targets(sample_layers)[0]
    parcels = sample_layers["parcels"].loc[sorted(task.parcels)]
    take = constraints.land_take(parcels, sample_layers["land_use"])
    assert per_target.loc[task.name, "地块数"] == len(task.parcels)
    assert per_target.loc[task.name, "其中耕地(亩)"] == pytest.approx(take["cultivated_mu"].sum(), abs=0.01)
    cost = tables["搬迁费用"].set_index("村")
    households = int(sample_layers["villages"]["households"].sum())
    rates = sample_layers["compensation_rates"]
    per_household = rates.loc[rates["kind"] == "relocation", "yuan_per_household"].sum()
    assert cost.loc["合计", "户数"] == households and cost.loc["合计", "费用(元)"] == households * per_household


def test_land_use_codes_stored_as_numbers_keep_their_cultivated_land(sample_layers):
    """A DBF or a spreadsheet drops the leading zero: 101 is 0101 水田, still 耕地."""
    land_use = sample_layers["land_use"]
    as_numbers = land_use.assign(code=land_use["code"].astype(int))
    parcels = sample_layers["parcels"].iloc[::50]
    text = constraints.land_take(parcels, land_use)["cultivated_mu"]
    numbers = constraints.land_take(parcels, as_numbers)["cultivated_mu"]
    assert numbers.tolist() == text.tolist() and text.sum() > 0
    zones = sample_layers["planning_zones"]
    assert (
        planning.zone_versions(zones, land_use=as_numbers)["added_cultivated_mu"].tolist()
        == planning.zone_versions(zones, land_use=land_use)["added_cultivated_mu"].tolist()
    )


def test_progress_of_a_project_without_targets_says_so(tmp_path, sample_layers):
    from click.testing import CliRunner

    import landkit
    from landkit.cli import main

    bare = {k: v for k, v in sample_layers.items() if k not in ("targets", "target_parcels")}
    landkit.write_project(bare, tmp_path / "bare.gpkg")
    result = CliRunner().invoke(main, ["progress", str(tmp_path / "bare.gpkg")])
    assert result.exit_code == 0 and "没有储备目标" in result.output, result.output


# --- per zone version, invalid constraint polygons, output per mu (issue 15, the rest) ---


def _added(zones):
    """Each version's added land, by hand: the version less the one before (plain shapely)."""
    zones = zones.sort_values("version")
    g = zones.geometry.to_numpy()
    return pd.Series(shapely.difference(g, np.r_[[shapely.Polygon()], g[:-1]]), index=zones.index)


def test_each_zone_version_has_its_conflicts_in_the_land_it_adds(sample_layers):
    import geopandas as gpd

    zones, crs = sample_layers["planning_zones"], sample_layers["planning_zones"].crs
    found = constraints.zone_conflicts(zones, sample_layers).reset_index()
    got = {(r.zone_id, r.layer): r.area_m2 for r in found.itertuples()}
    added = _added(zones)
    farmland = sample_layers["basic_farmland"].geometry
    red = shapely.union_all(sample_layers["eco_redline"].geometry.to_numpy())
    boundary = shapely.union_all(sample_layers["urban_boundary"].geometry.to_numpy())

    def karney(geom):
        return 0.0 if geom.is_empty else karney_m2(gpd.GeoSeries([geom], crs=crs).to_crs(4490).iloc[0])

    # independently: the planted patches (JBNT-1, JBNT-2) cut by each version's added land, Karney's area
    expected = {}
    for zid, g in added.items():
        for layer, piece in (
            ("basic_farmland", shapely.intersection(g, shapely.union_all(farmland[["JBNT-1", "JBNT-2"]].to_numpy()))),
            ("eco_redline", shapely.intersection(g, red)),
            ("urban_boundary", shapely.difference(g, boundary)),
        ):
            if karney(piece) > 1:
                expected[(zid, layer)] = karney(piece)
    assert set(got) == set(expected) == {("Z3", "basic_farmland"), ("Z3", "eco_redline"), ("Z2", "urban_boundary")}
    for key, m2 in expected.items():
        assert got[key] == pytest.approx(m2, abs=0.05), key
    z3 = found[(found["zone_id"] == "Z3") & (found["layer"] == "basic_farmland")].iloc[0]
    assert z3["area_mu"] == pytest.approx(expected[("Z3", "basic_farmland")] / 666.6666666666666, abs=1e-4)
    # JBNT-3's 5 cm band over the zone's edge is in Z3's added land, and is a sliver, not a conflict
    sliver = karney(shapely.intersection(added["Z3"], farmland["JBNT-3"]))
    assert sliver > 0.5 and got[("Z3", "basic_farmland")] < expected[("Z3", "basic_farmland")] + 0.05


def test_zone_conflicts_hold_on_lon_lat_zones_and_jittered_constraints(sample_layers):
    """Real surveys: zones in lon/lat, farmland in Gauss-Kruger with every vertex moved by up to
    3 cm and the red line in lon/lat: the same conflicts, the same areas to a few dm²."""
    base = constraints.zone_conflicts(sample_layers["planning_zones"], sample_layers)
    farmland = sample_layers["basic_farmland"].copy()
    farmland["geometry"] = shapely.transform(
        farmland.geometry.to_numpy(), lambda xy: xy + 0.03 * np.sin(xy[:, ::-1] * 7.3)
    )
    layers = dict(sample_layers, basic_farmland=farmland, eco_redline=sample_layers["eco_redline"].to_crs(4490))
    moved = constraints.zone_conflicts(sample_layers["planning_zones"].to_crs(4490), layers)
    assert list(zip(moved.index, moved["layer"], strict=True)) == list(zip(base.index, base["layer"], strict=True))
    # the zone's edges kilometres long are straight in whichever CRS the zones are in: the 197,022 m²
    # outside the boundary moves by under a square metre (4e-6), the small patches by centimetres
    assert moved["area_m2"].to_numpy() == pytest.approx(base["area_m2"].to_numpy(), rel=1e-5, abs=0.5)
    assert moved.crs.to_epsg() == 4490  # the conflict in the zones' CRS


def test_zone_conflicts_severity_and_tolerance_come_from_the_rules(sample_layers):
    from landkit import audit

    found = audit.audit(sample_layers)
    zones = found[found["layer"] == "planning_zones"]
    assert sorted(zip(zones["rule"], zones["severity"], strict=True)) == [
        ("basic_farmland", "error"), ("eco_redline", "error"), ("urban_boundary", "warning")]  # fmt: skip
    assert any("规划范围第3版（Z3）新增范围内有" in m and "永久基本农田内" in m for m in zones["message_zh"])
    rules = audit.load_rules('[eco_redline]\nseverity = "info"\n[basic_farmland]\nmin_area_m2 = 1000.0\n')
    again = audit.audit(sample_layers, rules=rules)
    zones = again[again["layer"] == "planning_zones"].set_index("rule")
    assert zones.loc["eco_redline", "severity"] == "info"
    # JBNT-1 (about 1,254 m²) is over 1,000 m², JBNT-2 (about 706 m²) is not: only JBNT-1 is counted
    jbnt1 = karney_m2(_lonlat(shapely.intersection(
        sample_layers["basic_farmland"].geometry["JBNT-1"], _added(sample_layers["planning_zones"])["Z3"]),
        sample_layers))  # fmt: skip
    assert zones.loc["basic_farmland", "area_m2"] == pytest.approx(jbnt1, abs=0.05)


def test_landkit_zones_shows_the_conflicts_of_each_version(sample_copy, sample_layers):
    import json

    from click.testing import CliRunner

    from landkit.cli import main

    out = CliRunner().invoke(main, ["zones", str(sample_copy), "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {r["version"]: r for r in json.loads(out.stdout)["versions"]}
    found = constraints.zone_conflicts(sample_layers["planning_zones"], sample_layers)
    for column, layer in (("added_farmland", "basic_farmland"), ("added_redline", "eco_redline"),
                          ("added_outside_boundary", "urban_boundary")):  # fmt: skip
        mine = found[found["layer"] == layer].set_index("version")["area_m2"]
        for v in (1, 2, 3):
            assert rows[v][f"{column}_m2"] == pytest.approx(mine.get(v, 0.0), abs=0.005), (column, v)
            assert rows[v][f"{column}_mu"] == pytest.approx(mine.get(v, 0.0) / 666.6666666666666, abs=0.005)
    assert rows[3]["added_farmland_m2"] > 1900 and rows[2]["added_outside_boundary_mu"] > 290
    rules = sample_copy.parent / "strict.toml"
    rules.write_text("[basic_farmland]\nmin_area_m2 = 5000.0\n", encoding="utf-8")
    strict = CliRunner().invoke(main, ["zones", str(sample_copy), "--format", "json", "--rules", str(rules)])
    assert {r["version"]: r for r in json.loads(strict.stdout)["versions"]}[3]["added_farmland_m2"] == 0


def test_invalid_constraint_and_price_zone_polygons_are_findings_and_used_repaired(sample_layers):
    from landkit import audit

    layers = dict(sample_layers)
    parcels = sample_layers["parcels"]
    target = parcels.geometry["CB00027"]
    (x, y), r = target.centroid.coords[0], 15.0
    bowtie = shapely.Polygon([(x - r, y - r), (x + r, y + r), (x + r, y - r), (x - r, y + r)])  # a survey's bow-tie
    farmland = sample_layers["basic_farmland"].copy()
    farmland.loc["JBNT-1", "geometry"] = bowtie
    layers["basic_farmland"] = farmland
    zones = sample_layers["price_zones"].copy()
    x0, y0, x1, y1 = zones.geometry["II"].bounds
    zones.loc["II", "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # Ⅱ drawn as a bow-tie
    layers["price_zones"] = zones
    found = audit.audit(layers)
    bad = found[found["rule"] == "invalid_geometry"]
    named = {(r.layer, tuple(r.ids)) for r in bad.itertuples()}
    assert ("basic_farmland", ("JBNT-1",)) in named and ("price_zones", ("II",)) in named
    row = bad[bad["layer"] == "basic_farmland"].iloc[0]
    assert "Self-intersection" in row["message"] and "make_valid" in row["message"]
    assert row["message_zh"].startswith("永久基本农田 JBNT-1：图形无效（自相交")
    assert row["area_m2"] == pytest.approx(karney_m2(_lonlat(shapely.make_valid(bowtie), sample_layers)), abs=0.01)
    # the conflict is measured on the repaired bow-tie (both lobes), by hand
    conflict = found[(found["rule"] == "basic_farmland") & found["ids"].map(lambda i: i == ["CB00027"])]
    by_hand = karney_m2(_lonlat(shapely.intersection(target, shapely.make_valid(bowtie)), sample_layers))
    assert len(conflict) == 1 and conflict["area_m2"].iloc[0] == pytest.approx(by_hand, abs=0.01)
    assert not (found["rule"] == "schema").any()  # the other checks all ran
    assert {"overlap", "gap", "idle_land", "illegal_building"} <= set(found["rule"])
    # the money is computed on the repaired zones as well
    amounts = money.compensation(parcels, sample_layers["compensation_rates"], zones)
    points = parcels.representative_point()
    lobes = points.within(shapely.make_valid(zones.geometry["II"])) & ~points.within(zones.geometry["I"])
    assert lobes.any() and (amounts.loc[lobes, "zone"] == "II").all()


def test_output_per_mu_below_the_threshold_is_flagged_from_the_rules(sample_layers):
    from landkit import audit

    parcels = sample_layers["parcels"]
    mine = parcels[parcels["project"] == "海亮产业园"]
    by_hand = mine["output_yuan"].sum() / 10_000 / mine["stated_area_mu"].sum()
    assert by_hand < 200 < mine["investment_yuan"].sum() / 10_000 / mine["stated_area_mu"].sum()
    table = money.investment_intensity(parcels, minimum_wan_per_mu=300, minimum_output_wan_per_mu=200)
    assert table.loc["海亮产业园", "output_wan_per_mu"] == pytest.approx(by_hand, abs=0.01)
    assert table["output_below"].to_dict() == (table["output_wan_per_mu"] < 200).to_dict()
    assert np.isnan(table.loc["海威特种面料", "output_wan_per_mu"])  # no output yet: not 0, not below
    found = audit.audit(sample_layers)
    low = found[found["rule"] == "investment_intensity"]
    output = low[low["message_zh"].str.contains("亩均年产值")]
    assert len(output) == 1 and output["ids"].iloc[0] == sorted(mine.index)
    assert f"{by_hand:,.2f} 万元/亩" in output["message_zh"].iloc[0]
    rules = audit.load_rules("[investment_intensity]\nmin_output_wan_per_mu = 100.0\n")
    again = audit.audit(sample_layers, rules=rules)
    assert not again["message_zh"].str.contains("亩均年产值").any()
    assert again["message_zh"].str.contains("海威特种面料：投资强度").any()  # the other threshold stays
    # a survey's nulls: output missing on some parcels of a project counts only the figures given
    holes = parcels.copy()
    holes.loc[mine.index[:2], "output_yuan"] = np.nan
    partial = money.investment_intensity(holes, minimum_wan_per_mu=300, minimum_output_wan_per_mu=200)
    assert partial.loc["海亮产业园", "output_wan_per_mu"] == pytest.approx(
        holes.loc[mine.index, "output_yuan"].sum() / 10_000 / mine["stated_area_mu"].sum(), abs=0.01
    )
