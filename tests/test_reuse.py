"""The start-of-month audit (本月变化) takes the geometry checks from the audit of the project as it
is only where their input is the same, coordinate for coordinate (landkit.reuse): every finding
and every 本月变化 figure is what a fresh audit gives, and a parcel redrawn, even by a centimetre,
is checked again."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from landkit import period, reserve
from landkit.audit import audit
from landkit.reuse import Reuse, same_geometry


@pytest.fixture(scope="module")
def now(sample_layers):
    """The sample audited as it is, with a Reuse that has that audit's geometry checks."""
    reuse = Reuse()
    return audit(sample_layers, reuse=reuse), reuse


def _start(layers):
    return period.as_of(layers, period.month_start(reserve.data_date(layers["events"])))


def _keys(findings: pd.DataFrame) -> set[str]:
    return set(period._finding_keys(findings))


def _redrawn(layers, parcel: str, dx: float) -> dict:
    """The project with one parcel moved ``dx`` metres east (the others as they are)."""
    parcels = layers["parcels"].copy()
    parcels.loc[parcel, "geometry"] = shapely.affinity.translate(parcels.loc[parcel, "geometry"], dx, 0)
    return {**layers, "parcels": parcels}


def _neighbour_pair(layers) -> tuple[str, str]:
    """Two parcels of the start of the month that share an edge (an east-west pair)."""
    parcels = _start(layers)["parcels"]
    g = parcels.geometry.to_numpy()
    tree = shapely.STRtree(g)
    left, right = tree.query(g, predicate="touches")
    for i, j in zip(left, right, strict=True):
        a, b = g[i], g[j]
        shared = shapely.intersection(a.boundary, b.boundary).length
        if shared > 20 and b.centroid.x > a.centroid.x + 10:
            return str(parcels.index[i]), str(parcels.index[j])
    raise AssertionError("the sample has no parcels side by side")


def test_the_start_of_the_month_is_audited_as_a_fresh_audit_would(sample_layers, now):
    """On the sample, 95 parcels entered the ledger in the month: the start has fewer parcels, so
    the parcel checks (overlaps and gaps depend on neighbours) run again, and each remaining
    parcel's 三区三线 conflicts and the zone versions' conflicts carry over; the findings are
    exactly a fresh audit's."""
    found, reuse = now
    start = _start(sample_layers)
    assert len(start["parcels"]) < len(sample_layers["parcels"])
    reuse.hits.clear()
    again = audit(start, reuse=reuse)
    assert reuse.hits == ["conflicts", "zone_conflicts"]
    pd.testing.assert_frame_equal(again, audit(start))
    assert _keys(again) != _keys(found)  # the start differs from the end: the comparison means something


def test_the_month_s_changes_are_those_of_two_fresh_audits(sample_layers, now):
    """本月变化's new and resolved findings (the figures changes.new_findings and
    changes.resolved_findings) are those of two audits that share nothing, for the month and for
    a period that starts before the first event (no parcel on the ledger yet)."""
    found, _ = now
    day = reserve.data_date(sample_layers["events"])
    first = sample_layers["events"]["date"].min() - pd.Timedelta(days=1)
    assert len(period.as_of(sample_layers, first)["parcels"]) == 0
    for since in (period.month_start(day), first):
        for given in (None, Reuse()):  # landkit changes makes its own; the pack gives the one its audit had
            if given is not None:
                audit(sample_layers, reuse=given)
            shared = period.period_changes(sample_layers, since, day, now=found, reuse=given)
            then = audit(_start_on(sample_layers, since))  # a fresh audit of the start
            new, resolved = (
                ~period._finding_keys(found).isin(_keys(then)),
                ~period._finding_keys(then).isin(_keys(found)),
            )
            pd.testing.assert_frame_equal(shared["new_findings"], found[new])
            pd.testing.assert_frame_equal(shared["resolved_findings"], then[resolved])
    assert len(shared["new_findings"]) and len(shared["resolved_findings"])  # both tables have rows to compare


def _start_on(layers, since):
    return period.as_of(layers, since)


def test_a_status_change_alone_reuses_the_parcel_checks(sample_layers, now):
    """Same parcels, same geometry, other statuses (what a month of approvals does): the parcel
    checks are not run again, and the findings are a fresh audit's."""
    _, reuse = now
    layers = {**sample_layers, "parcels": sample_layers["parcels"].assign(status="reserved")}
    reuse.hits.clear()
    again = audit(layers, reuse=reuse)
    assert "parcel_checks" in reuse.hits
    pd.testing.assert_frame_equal(again, audit(layers))


@pytest.mark.parametrize("dx", [3.0, 0.01])
def test_a_redrawn_parcel_is_checked_again(sample_layers, now, dx):
    """A parcel moved 3 m onto its neighbour (a new overlap), or 1 cm (real data is redrawn by
    centimetres; no new finding): nothing about parcels is reused, and the findings are a fresh
    audit's."""
    _, reuse = now
    west, east = _neighbour_pair(sample_layers)
    moved = _redrawn(sample_layers, west, dx)
    reuse.hits.clear()
    again = audit(moved, reuse=reuse)
    assert "parcel_checks" not in reuse.hits and "conflicts" not in reuse.hits
    pd.testing.assert_frame_equal(again, audit(moved))
    overlap = again[(again["rule"] == "overlap") & again["ids"].map(lambda ids: {west, east} <= set(ids))]
    assert len(overlap) == (1 if dx > 1 else 0)
    # the start of the month with the same parcel moved: its conflicts are not taken from the end
    start = _start(moved)
    reuse.hits.clear()
    pd.testing.assert_frame_equal(audit(start, reuse=reuse), audit(start))
    assert "conflicts" not in reuse.hits


def test_lon_lat_projects_reuse_alike(sample_layers):
    """A project in CGCS2000 lon/lat is checked in metres (reprojected each audit): the same
    coordinates reproject to the same values, so a status change still reuses, with a fresh audit's findings."""
    lonlat = {
        k: (v.to_crs(4490) if hasattr(v, "to_crs") and v.crs is not None else v) for k, v in sample_layers.items()
    }
    reuse = Reuse()
    audit(lonlat, reuse=reuse)
    changed = {**lonlat, "parcels": lonlat["parcels"].assign(status="reserved")}
    reuse.hits.clear()
    pd.testing.assert_frame_equal(audit(changed, reuse=reuse), audit(changed))
    assert "parcel_checks" in reuse.hits


def test_same_geometry_is_value_for_value(sample_layers):
    parcels = sample_layers["parcels"]
    assert same_geometry(parcels, parcels.copy())
    nudged = parcels.copy()
    first = nudged.index[0]
    nudged.loc[first, "geometry"] = shapely.affinity.translate(nudged.loc[first, "geometry"], 1e-6, 0)
    assert not same_geometry(parcels, nudged)  # a micrometre is a change
    assert not same_geometry(parcels, parcels.iloc[::-1])  # the same features in another order
    assert not same_geometry(parcels, parcels.set_crs(4547, allow_override=True).to_crs(4546))
    missing = parcels.copy()
    missing.loc[first, "geometry"] = None
    assert not same_geometry(parcels, missing) and same_geometry(missing, missing.copy())


def test_a_changed_stated_area_is_checked_again(sample_layers, now):
    """Same geometry, one stated area 10 mu larger (a register corrected in the month): the parcel
    checks run again and the mismatch is found, as a fresh audit finds it."""
    _, reuse = now
    parcels = sample_layers["parcels"].copy()
    pid = parcels.index[5]
    parcels.loc[pid, "stated_area_mu"] = parcels.loc[pid, "stated_area_mu"] + 10
    layers = {**sample_layers, "parcels": parcels}
    reuse.hits.clear()
    again = audit(layers, reuse=reuse)
    assert "parcel_checks" not in reuse.hits
    pd.testing.assert_frame_equal(again, audit(layers))
    assert ((again["rule"] == "area_mismatch") & again["ids"].map(lambda ids: str(pid) in map(str, ids))).any()


def test_the_parcel_checks_read_no_column_outside_the_list(sample_layers):
    """The guard behind PARCEL_CHECK_COLUMNS: the parcel checks give the same findings when every
    other column is dropped, or has its values reversed; a check that comes to read another column
    (status, land use …) fails here until that column is listed (else the start of the month would
    be given today's answer)."""
    from geopandas.testing import assert_geodataframe_equal

    from landkit import topology
    from landkit.audit import DEFAULT_RULES
    from landkit.reuse import PARCEL_CHECK_COLUMNS

    parcels = sample_layers["parcels"]
    zone = sample_layers["planning_zones"].sort_values("version").geometry.iloc[-1]
    county = sample_layers["county"]
    other = [c for c in parcels.columns if c not in (*PARCEL_CHECK_COLUMNS, parcels.geometry.name)]
    assert {"status", "land_use", "project", "village_code"} <= set(other)

    def checks(frame):
        return topology.parcel_checks(frame, DEFAULT_RULES, zone=zone, county=county)

    found = checks(parcels)
    rules = {rule for f in found for rule in f["rule"]}  # the sample's planted problems: the comparison means something
    assert {"overlap", "gap", "outside_zone", "area_mismatch"} <= rules
    reversed_ = parcels.assign(**{c: parcels[c].to_numpy()[::-1] for c in other})
    for frame in (parcels.drop(columns=other), reversed_):
        for got, want in zip(checks(frame), found, strict=True):
            assert_geodataframe_equal(got, want)


@pytest.mark.parametrize("changed", ["status", "land_use", "stated_area_mu", "parcel_id"])
def test_only_a_change_in_a_listed_column_runs_the_parcel_checks_again(sample_layers, changed):
    """One value changed: in a column the checks read (PARCEL_CHECK_COLUMNS; the ids are the index)
    the checks run again, in any other column they are reused."""
    from landkit.reuse import PARCEL_CHECK_COLUMNS

    parcels = sample_layers["parcels"]
    reuse = Reuse()
    reuse.parcel_checks(parcels, {}, None, None, lambda: [])
    other = parcels.copy()
    if changed == parcels.index.name:
        other.index = other.index.where(other.index != other.index[3], "CB99999")
    else:
        value = other[changed].iloc[3]
        other.loc[other.index[3], changed] = value + 10 if isinstance(value, float) else f"{value}改"
        assert not other[changed].equals(parcels[changed])
    reuse.parcel_checks(other, {}, None, None, lambda: [])
    assert reuse.hits == ([] if changed in PARCEL_CHECK_COLUMNS else ["parcel_checks"])
