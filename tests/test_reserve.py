"""The reserve ledger: refused events, history as of a date, targets, and history never rewritten."""

import json
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import landkit
from landkit import reserve
from landkit.cli import main
from landkit.reserve import LedgerError
from tests.geodesy import geodesic_area_m2


@pytest.fixture
def ledger(sample_copy):
    parcels = landkit.read_layer(sample_copy, "parcels")
    submitted = parcels.index[parcels["status"] == "submitted"][0]
    return sample_copy, submitted


@pytest.mark.parametrize(
    ("parcel", "status", "date", "kind", "doc", "message"),
    [
        ("NOPE", "approved", "2026-11-25", "transition", None, "not in the project's parcels"),
        (None, "sold", "2026-11-25", "transition", None, "unknown status 'sold'"),
        (
            None,
            "reserved",
            "2026-11-25",
            "transition",
            None,
            "submitted -> reserved is not allowed; next can be: approved",
        ),
        (None, "approved", "2020-01-01", "transition", None, "before the parcel's last event"),
        (None, "planned", "2026-11-25", "revocation", None, r"returns to the status before the last one \(acquired\)"),
        (None, "planned", "2026-11-25", "correction", None, "needs the document_ref"),
        (None, "approved", "2026-11-25", "edit", None, "unknown event type 'edit'"),
    ],
)
def test_refused_events_leave_the_file_unchanged(ledger, parcel, status, date, kind, doc, message):
    path, submitted = ledger
    before = path.read_bytes()
    with pytest.raises(LedgerError, match=message):
        landkit.record_event(path, parcel or submitted, status, date, event_type=kind, document_ref=doc)
    assert path.read_bytes() == before


def test_transition_revocation_and_correction_are_appended(ledger):
    path, pid = ledger
    landkit.record_event(path, pid, "approved", "2026-11-21", document_ref="豫政土〔2026〕99号")
    landkit.record_event(path, pid, "submitted", "2026-11-22", event_type="revocation", note="approval withdrawn")
    landkit.record_event(
        path, pid, "approved", "2026-11-23", event_type="correction", document_ref="豫政土〔2026〕100号"
    )
    events = landkit.read_layer(path, "events")
    mine = events[events["parcel_id"] == pid].tail(3)
    assert list(mine["event_type"]) == ["transition", "revocation", "correction"]
    assert reserve.state_as_of(events, "2026-11-22")[pid] == "submitted"
    assert reserve.state_as_of(events)[pid] == "approved"
    assert list(mine.index) == sorted(mine.index) and mine.index[-1] == events.index.max()


def test_state_at_two_dates_differs_exactly_by_the_events_between(sample_layers):
    events = sample_layers["events"]
    d1, d2 = pd.Timestamp("2026-06-30"), pd.Timestamp("2026-09-30")
    s1, s2 = reserve.state_as_of(events, d1), reserve.state_as_of(events, d2)
    between = events[(events["date"] > d1) & (events["date"] <= d2)]
    changed = set(s2.index[s2.ne(s1.reindex(s2.index))])
    assert changed == set(between["parcel_id"])
    last = between.sort_values(["date"], kind="stable").groupby("parcel_id")["status"].last()
    assert (s2[last.index] == last).all()


def _last_status(events, as_of=None):
    """Independently: each parcel's last event on or before the date, by date then recording order."""
    e = events if as_of is None else events[events["date"] <= pd.Timestamp(as_of)]
    return e.sort_values("date", kind="stable").groupby("parcel_id")["status"].last()


def test_stock_targets_equal_sums_computed_here(sample_layers):
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    table = reserve.progress(parcels, events, reserve.targets(sample_layers))
    last = _last_status(events)
    held = last[last == "reserved"].index
    assert table.loc["S-reserve", "done_mu"] == round(parcels.loc[held, "stated_area_mu"].sum(), 2)
    # each parcel's figure rounded once (half up), the total their sum: what every output shows
    mu = geodesic_area_m2(parcels.loc[held]) * 15 / 10000
    figures = np.floor(mu * 100 + 0.5) / 100
    assert table.loc["S-reserve", "done_measured_mu"] == pytest.approx(figures.sum(), abs=1e-6)
    assert abs(figures.sum() - mu.sum()) <= 0.005 * len(held)  # the bound on what rounding parts can add
    logistics = parcels.loc[held][parcels.loc[held, "project"] == "北环路物流园"]
    assert table.loc["S-logistics", "done_mu"] == round(logistics["stated_area_mu"].sum(), 2) == 1000.0
    assert table.loc["S-reserve", "remaining_mu"] == round(7700 - table.loc["S-reserve", "done_mu"], 2)


def test_the_samples_targets_are_the_reports_figures_at_the_samples_date(sample_layers):
    """domain.md: 5,000 mu acquired awaiting approval, 10,000 mu to acquire this year,
    +4,200 mu new reserve -> 7,700 mu, 1,000 mu logistics park; none of this year's tasks done yet."""
    table = reserve.progress(sample_layers["parcels"], sample_layers["events"], reserve.targets(sample_layers))
    assert table["target_mu"].to_dict() == {"T-approval": 5000, "T-acquisition": 10000, "S-reserve": 7700,
                                            "S-logistics": 1000}  # fmt: skip
    assert table.loc[["T-approval", "T-acquisition"], "done_mu"].tolist() == [0, 0]
    assert table.loc["S-reserve", "remaining_mu"] == 4200
    last = _last_status(sample_layers["events"])
    awaiting = last[last.isin(["acquired", "submitted"])].index
    assert set(reserve.targets(sample_layers)[0].parcels) == set(awaiting)


def test_a_task_counts_its_parcels_that_reached_its_status_or_later(sample_layers, tmp_path):
    """Approve some of the task's parcels, supply one of them, revoke another: done is exactly the
    approved-or-later ones, and a parcel outside the task never counts."""
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    task = reserve.targets(sample_layers)[0]
    ids = sorted(task.parcels)[:6]
    outsider = parcels.index[~parcels.index.isin(task.parcels) & (parcels["status"] == "submitted")]
    assert not len(outsider)  # every submitted parcel is in this year's task
    outsider = _last_status(events)[lambda s: s == "reserved"].index[:1]
    new = [(pid, "2026-11-25", "transition", "approved") for pid in ids]
    new += [(ids[0], "2026-11-26", "transition", "reserved"), (ids[1], "2026-11-27", "revocation", "submitted")]
    new += [(outsider[0], "2026-11-27", "transition", "developing")]
    more = pd.DataFrame(new, columns=["parcel_id", "date", "event_type", "status"]).assign(
        date=lambda d: pd.to_datetime(d["date"])
    )
    after = pd.concat([events, more], ignore_index=True)
    table = reserve.progress(parcels, after, (task,), as_of="2026-11-30")
    done = [pid for pid in ids if pid != ids[1]]
    assert table.loc[task.id, "parcels_done"] == 5
    assert table.loc[task.id, "done_mu"] == round(parcels.loc[done, "stated_area_mu"].sum(), 2)
    listed = reserve.target_parcels(parcels, after, task, as_of="2026-11-30")
    assert set(listed.index[listed["done"]]) == set(done) and len(listed) == len(task.parcels)
    before = reserve.progress(parcels, after, (task,), as_of="2026-11-24")
    assert before.loc[task.id, "done_mu"] == 0
    late = reserve.progress(parcels, after, (task,), as_of="2027-01-05")
    assert bool(late.loc[task.id, "overdue"]) and not bool(table.loc[task.id, "overdue"])


def test_a_project_without_targets_shows_none(sample_layers):
    bare = {k: v for k, v in sample_layers.items() if k not in ("targets", "target_parcels")}
    assert reserve.targets(bare) == ()
    assert reserve.progress(bare["parcels"], bare["events"], ()).empty


def test_burndown_never_rises_and_ends_at_the_progress_figure(sample_layers):
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    goals = reserve.targets(sample_layers)
    bd = reserve.burndown(parcels, events, goals)
    for month, left in bd["S-reserve"].items():  # independently: what was reserved at each month's end
        last = _last_status(events, pd.Timestamp(month) + pd.offsets.MonthEnd(0))
        held = parcels.loc[last[last == "reserved"].index, "stated_area_mu"].sum()
        assert left == pytest.approx(max(7700 - held, 0), abs=0.005)
    month_end = pd.Timestamp(bd.index[-1]) + pd.offsets.MonthEnd(0)
    final = reserve.progress(parcels, events, goals, as_of=month_end)
    assert bd.iloc[-1].to_dict() == final["remaining_mu"].to_dict()


def test_idle_land_is_the_unstarted_supplied_parcels(sample_layers):
    idle = reserve.idle_land(sample_layers["parcels"], as_of="2026-11-20")
    assert len(idle) and set(idle["project"]) == {"海威特种面料"}
    assert (idle["days_overdue"] > 0).all() and idle["started_on"].isna().all()


def test_history_is_never_rewritten(ledger, sample_layers):
    path, pid = ledger
    old = landkit.read_layer(path, "events")
    landkit.record_event(path, pid, "approved", "2026-11-25")
    landkit.write_layer(sample_layers["villages"], path, "villages", overwrite=True)
    landkit.import_layer(path, path.with_name("other.gpkg"), "parcels")
    new = landkit.read_layer(path, "events")
    assert landkit.content_hash({"e": new.iloc[: len(old)]}) == landkit.content_hash({"e": old})
    with pytest.raises(LedgerError, match="append-only"):
        landkit.write_layer(new.iloc[1:], path, "events", overwrite=True)
    edited = new.copy()
    edited.loc[edited.index[0], "status"] = "approved"
    with pytest.raises(LedgerError, match="append-only"):
        landkit.write_project({**sample_layers, "events": edited}, path, overwrite=True)
    landkit.write_layer(new, path, "events", overwrite=True)  # the same history, rewritten as is: allowed
    assert len(landkit.read_layer(path, "events")) == len(new)


def test_cli_progress_and_record(ledger):
    path, pid = ledger
    runner = CliRunner()
    out = json.loads(runner.invoke(main, ["progress", str(path), "--as-of", "2026-10-31", "--format", "json"]).stdout)
    assert out["as_of"] == "2026-10-31" and {t["target"] for t in out["targets"]} >= {"T-approval", "S-reserve"}
    assert sum(r["parcels"] for r in out["status_totals"]) <= 2458
    bad = runner.invoke(main, ["record", str(path), pid, "planned", "--date", "2026-11-26"])
    assert bad.exit_code == 2 and "不允许" in bad.output and "Traceback" not in bad.output
    ok = runner.invoke(main, ["record", str(path), pid, "approved", "--date", "2026-11-26", "--doc", "X"])
    assert ok.exit_code == 0 and "已录入事件" in ok.output
    text = runner.invoke(main, ["progress", str(path)])
    assert text.exit_code == 0 and "目标进度" in text.output and "已入库" in text.output
    row = next(line for line in text.output.splitlines() if line.startswith("2026年度报批任务"))
    assert pid in reserve.targets(landkit.read_project(path))[0].parcels  # a submitted parcel: in the task
    assert row.split()[8] == "1" and "0.0%" not in row  # the approval just recorded counts: 1 parcel done
    listed = runner.invoke(main, ["progress", str(path), "--target", "2026年度报批任务"])
    assert listed.exit_code == 0 and pid in listed.output and "已完成" in listed.output
    unknown = runner.invoke(main, ["progress", str(path), "--target", "nope"])
    assert unknown.exit_code == 2 and "T-approval（2026年度报批任务）" in unknown.output
    wrong = runner.invoke(main, ["progress", str(path), "--as-of", "yesterday"])
    assert wrong.exit_code == 2 and "不是日期；请写成 2026-11-27" in wrong.output


def test_changes_in_a_period_agree_with_the_ledger_at_both_ends(sample_copy, sample_layers):
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    found = reserve.changes(parcels, events, since="2026-10-31", until="2026-11-15")
    inside = events[(events["date"] > "2026-10-31") & (events["date"] <= "2026-11-15")]
    assert list(found["events"].index) == list(inside.sort_values("date", kind="stable").index)
    # independently: each parcel's last event on or before each end
    ordered = events.sort_values("date", kind="stable")
    before = ordered[ordered["date"] <= "2026-10-31"].groupby("parcel_id")["status"].last()
    after = ordered[ordered["date"] <= "2026-11-15"].groupby("parcel_id")["status"].last()
    moved = sorted(p for p in after.index if before.get(p) != after[p])
    assert sorted(found["parcels"].index) == moved and len(moved) > 0
    for end, column in (("2026-10-31", "mu_before"), ("2026-11-15", "mu_after")):
        totals = reserve.status_totals(parcels, events, as_of=end)["measured_mu"]
        assert found["by_status"][column].reindex(totals.index).tolist() == totals.tolist()
    result = CliRunner().invoke(main, ["changes", str(sample_copy), "--since", "2026-10-31", "--until", "2026-11-15"])
    assert result.exit_code == 0 and f"{len(inside)} 条事件" in result.output and "nan" not in result.output
    bad = CliRunner().invoke(main, ["changes", str(sample_copy), "--since", "2026-11-15", "--until", "2026-10-31"])
    assert bad.exit_code == 2 and "--until 2026-10-31 早于 --since 2026-11-15" in bad.output


def _with_targets(sample_layers, **changes):
    """The sample with its targets table changed: {target_id: {column: value}}."""
    table = sample_layers["targets"].copy()
    for tid, values in changes.items():
        for column, value in values.items():
            table.loc[tid, column] = value
    return {**sample_layers, "targets": table}


def test_a_stock_without_a_figure_has_an_unknown_target_not_zero(sample_layers, tmp_path):
    from landkit import report

    layers = _with_targets(sample_layers, **{"S-reserve": {"target_mu": None}})
    assert any("S-reserve" in p.features for p in landkit.check_project(layers))  # the schema check says so
    table = reserve.progress(layers["parcels"], layers["events"], reserve.targets(layers))
    row = table.loc["S-reserve"]
    assert np.isnan(row["target_mu"]) and np.isnan(row["remaining_mu"]) and np.isnan(row["share"])
    last = _last_status(layers["events"])
    assert row["done_mu"] == round(layers["parcels"].loc[last[last == "reserved"].index, "stated_area_mu"].sum(), 2)
    assert not row["overdue"] and table.loc["S-logistics", "remaining_mu"] == 0  # a figure met is still 0
    shown = report.targets_table(table).set_index("target_name")
    assert np.isnan(shown.loc["储备库存", "remaining_mu"]) and np.isnan(shown.loc["储备库存", "target_mu"])
    card = report.target_card(next(t for t in table.itertuples() if t.Index == "S-reserve"))
    assert "nan" not in str(card) and card["share"] is None
    assert not re.search(r"(?<![\d,.])0\.00 亩", card["note"])  # no remaining 0.00 for an unknown target
    landkit.write_project(layers, tmp_path / "p.gpkg")
    text = CliRunner().invoke(main, ["progress", str(tmp_path / "p.gpkg")])
    assert text.exit_code == 0, text.output
    line = next(line for line in text.stdout.splitlines() if line.startswith("储备库存"))
    assert "nan" not in line and "0.00" not in line.split()  # remaining: blank, not 0.00
    out = json.loads(CliRunner().invoke(main, ["progress", str(tmp_path / "p.gpkg"), "--format", "json"]).stdout)
    mine = next(t for t in out["targets"] if t["target"] == "S-reserve")
    assert mine["target_mu"] is None and mine["remaining_mu"] is None


def test_targets_in_chinese_are_the_same_targets(sample_layers):
    """Kinds and statuses as planners type them (任务, 已批复, with a stray space) read as the codes."""
    chinese = _with_targets(
        sample_layers,
        **{"T-approval": {"kind": "任务", "status": "已批复"}, "S-reserve": {"kind": " 存量", "status": "已入库 "}},
    )
    assert landkit.check_project(chinese) == []
    goals = reserve.targets(chinese)
    assert [(t.kind, t.status) for t in goals] == [(t.kind, t.status) for t in reserve.targets(sample_layers)]
    assert goals[0].kind == "task" and goals[0].status == "approved" and goals[2].status == "reserved"
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    pd.testing.assert_frame_equal(
        reserve.progress(parcels, events, goals), reserve.progress(parcels, events, reserve.targets(sample_layers))
    )
    wrong = _with_targets(sample_layers, **{"T-approval": {"status": "已卖出"}})
    assert any(p.layer == "targets" and "已卖出" in p.problem for p in landkit.check_project(wrong))
    with pytest.raises(landkit.DataError, match="已卖出"):
        reserve.targets(wrong)


def test_compensation_modes_follow_the_ledger_as_of_a_date(sample_copy, sample_layers):
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    then = events[events["date"] <= "2026-06-30"]
    on = parcels[parcels.index.isin(set(then["parcel_id"]))]  # independently: parcels on the ledger then
    assert 0 < len(on) < len(parcels)
    table = reserve.by_compensation(parcels, events, as_of="2026-06-30")
    expected = on.groupby(on["compensation"].fillna("none"))["stated_area_mu"].agg(["count", "sum"])
    assert table["parcels"].to_dict() == expected["count"].to_dict()
    assert table["stated_mu"].to_dict() == pytest.approx(expected["sum"].to_dict(), abs=0.005)
    out = json.loads(
        CliRunner().invoke(main, ["progress", str(sample_copy), "--as-of", "2026-06-30", "--format", "json"]).stdout
    )
    assert sum(r["parcels"] for r in out["compensation"]) == sum(r["parcels"] for r in out["status_totals"]) == len(on)
    assert round(sum(r["stated_mu"] for r in out["compensation"]), 2) == round(
        sum(r["stated_mu"] for r in out["status_totals"]), 2
    )


def test_progress_idles_land_after_the_rules_days_by_the_ledger_then(sample_copy, sample_layers, tmp_path):
    parcels, events = sample_layers["parcels"], sample_layers["events"]
    day = pd.Timestamp("2026-06-30")
    last = _last_status(events, day).reindex(parcels.index)

    def idle(days):  # independently: supplied on the ledger then, not started `days` after the agreed date
        due = parcels["start_due_on"] + pd.Timedelta(days=days)
        late = parcels["started_on"].isna() | (parcels["started_on"] > due)
        return sorted(parcels.index[last.isin(["transferred", "allocated"]) & (due < day) & late])

    rules = tmp_path / "rules.toml"
    rules.write_text("[idle_land]\ndays = 200\n", encoding="utf-8")
    args = ["progress", str(sample_copy), "--as-of", "2026-06-30", "--format", "json"]
    configured = json.loads(CliRunner().invoke(main, [*args, "--rules", str(rules)]).stdout)
    default = json.loads(CliRunner().invoke(main, args).stdout)
    assert len(idle(200)) > len(idle(365)) > 0
    assert sorted(r["parcel_id"] for r in configured["idle_land"]) == idle(200)
    assert sorted(r["parcel_id"] for r in default["idle_land"]) == idle(365)
