"""Pace against deadlines (issue 28, item 4): for each target with a deadline, the months left, the
mu a month the deadline needs, the mu a month the ledger's last three full months achieved, and
whether the target is behind; the villages behind their batch's deadline (滞后).

Expected numbers are computed here by hand from the events the test writes (plain Python over
the event rows and the parcels' stated areas), never read back from landkit."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import landkit
from landkit import reserve
from landkit.cli import main
from landkit.relocation import late_villages

ORDER = ["planned", "acquiring", "acquired", "submitted", "approved", "reserved"]
DAYS_PER_MONTH = 365.25 / 12


def run(*args, lang: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def done_by_hand(events: list[tuple[str, str, str]], areas: dict[str, float], status: str, day: str) -> float:
    """Stated mu of the parcels whose last event on or before ``day`` is ``status`` or later."""
    last: dict[str, str] = {}
    for pid, date, reached in sorted(events, key=lambda e: e[1]):  # stable: recording order within a day
        if date <= day:
            last[pid] = reached
    return round(sum(round(areas[p], 2) for p, s in last.items() if ORDER.index(s) >= ORDER.index(status)), 2)


# -- the window and the pace, at their edges -----------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        ("2026-11-20", "2026-08-01", "2026-10-31"),
        ("2026-11-01", "2026-08-01", "2026-10-31"),  # November has not ended
        ("2026-10-31", "2026-08-01", "2026-10-31"),  # October has ended on its last day
        ("2026-10-30", "2026-07-01", "2026-09-30"),
        ("2026-03-15", "2025-12-01", "2026-02-28"),  # across a year
    ],
)
def test_the_window_is_the_last_three_full_months(as_of, first, last):
    start, end = reserve.pace_window(as_of)
    assert (str(start.date()), str(end.date())) == (first, last)


def _pace(remaining, achieved_mu_in_window, as_of, due="2026-12-31"):
    table = pd.DataFrame({"due": [pd.Timestamp(due)], "remaining_mu": [remaining]}, index=["T"])
    return reserve.pace(
        table, as_of=as_of, done_before=pd.Series([0.0], index=["T"]),
        done_after=pd.Series([achieved_mu_in_window], index=["T"]),
    ).loc["T"]  # fmt: skip


def test_behind_is_achieved_below_needed_as_shown():
    """Due in 30.4375 days is one month: needed = remaining. Achieved just at needed is on pace;
    0.01 mu a month below is behind."""
    as_of = pd.Timestamp("2026-12-31") - pd.Timedelta(days=30)  # 30 days: 0.99 month
    months = 30 / DAYS_PER_MONTH
    needed = round(300 / months, 2)
    at = _pace(300.0, needed * 3, as_of)
    assert at["months_left"] == round(months, 2) and at["needed_per_month_mu"] == needed
    assert at["achieved_per_month_mu"] == needed and at["behind"] is False
    below = _pace(300.0, (needed - 0.01) * 3, as_of)
    assert below["achieved_per_month_mu"] == round(needed - 0.01, 2) and below["behind"] is True


@pytest.mark.parametrize(
    ("as_of", "remaining", "months", "needed", "behind"),
    [
        ("2026-12-30", 10.0, round(1 / DAYS_PER_MONTH, 2), round(10 * DAYS_PER_MONTH, 2), True),  # a day left
        ("2026-12-31", 10.0, 0.0, None, True),  # the deadline's day: no month left, mu remaining
        ("2027-01-01", 10.0, 0.0, None, True),  # past it
        ("2027-01-01", 0.0, 0.0, 0.0, False),  # past it, nothing left: not behind
        ("2026-06-30", 0.0, round(184 / DAYS_PER_MONTH, 2), 0.0, False),
    ],
)
def test_the_deadline_edges(as_of, remaining, months, needed, behind):
    row = _pace(remaining, 0.0, as_of)
    assert row["months_left"] == months
    assert (
        (row["needed_per_month_mu"] != row["needed_per_month_mu"])
        if needed is None
        else (row["needed_per_month_mu"] == needed)
    )
    assert row["behind"] is behind


def test_a_target_without_a_deadline_or_a_figure_has_no_verdict():
    table = pd.DataFrame(
        {"due": [pd.NaT, pd.Timestamp("2026-12-31")], "remaining_mu": [100.0, float("nan")]}, index=["A", "B"]
    )
    zero = pd.Series([0.0, 0.0], index=["A", "B"])
    out = reserve.pace(table, as_of="2026-11-20", done_before=zero, done_after=zero)
    assert out["behind"].tolist() == [None, None]
    assert out.loc["A", ["months_left", "needed_per_month_mu", "achieved_per_month_mu"]].isna().all()


# -- the pace from the ledger's dated events -----------------------------------------------------


@pytest.fixture(scope="module")
def few(sample_layers):
    """Six of the sample's parcels, their stated areas, and a task: all six approved by 2026-12-31."""
    parcels = sample_layers["parcels"].iloc[100:106]
    return parcels, parcels["stated_area_mu"].to_dict()


def _events(rows):
    return pd.DataFrame(rows, columns=["parcel_id", "date", "status"]).assign(date=lambda d: pd.to_datetime(d["date"]))


def test_a_tasks_pace_from_its_events_by_hand(few):
    """Approvals the day before the window, on its first and last days, one approved and revoked
    inside it, one after it: only the window's net counts as achieved; all count as done."""
    parcels, areas = few
    p = list(parcels.index)
    rows = [(pid, "2026-01-05", "submitted") for pid in p]
    rows += [
        (p[0], "2026-07-31", "approved"),  # before the window
        (p[1], "2026-08-01", "approved"),  # its first day
        (p[2], "2026-10-31", "approved"),  # its last day
        (p[3], "2026-09-10", "approved"),
        (p[3], "2026-09-20", "submitted"),  # revoked inside it: nets to nothing
        (p[4], "2026-11-01", "approved"),  # after it (done, not in the pace)
    ]
    task = reserve.Target("T", "年度报批", "task", "approved", due=pd.Timestamp("2026-12-31"), parcels=tuple(p))
    table = reserve.progress(parcels, _events(rows), (task,), as_of="2026-11-20").loc["T"]
    goal = round(sum(round(a, 2) for a in areas.values()), 2)
    done = done_by_hand(rows, areas, "approved", "2026-11-20")
    assert done == pytest.approx(round(sum(round(areas[x], 2) for x in (p[0], p[1], p[2], p[4])), 2), abs=0.005)
    achieved = round((done_by_hand(rows, areas, "approved", "2026-10-31")
                      - done_by_hand(rows, areas, "approved", "2026-07-31")) / 3, 2)  # fmt: skip
    assert achieved == pytest.approx(round((round(areas[p[1]], 2) + round(areas[p[2]], 2)) / 3, 2), abs=0.006)
    months = (dt.date(2026, 12, 31) - dt.date(2026, 11, 20)).days / DAYS_PER_MONTH  # 41 days
    remaining = round(goal - done, 2)
    assert table["done_mu"] == pytest.approx(done, abs=0.005)
    assert table["remaining_mu"] == pytest.approx(remaining, abs=0.005)
    assert table["months_left"] == round(months, 2) == 1.35
    assert table["needed_per_month_mu"] == pytest.approx(remaining / months, abs=0.006)
    assert table["achieved_per_month_mu"] == pytest.approx(achieved, abs=0.006)
    assert table["behind"] is (achieved < round(remaining / months, 2))


def test_a_stocks_pace_is_its_net_change_and_may_fall(few):
    """A stock of 已入库 land: two parcels enter in the window, one leaves (supplied): net one."""
    parcels, areas = few
    p = list(parcels.index)
    rows = [(pid, "2026-01-05", "approved") for pid in p]
    rows += [(p[0], "2026-03-01", "reserved"), (p[1], "2026-08-15", "reserved"), (p[2], "2026-09-15", "reserved")]
    rows += [(p[0], "2026-10-01", "transferred")]
    stock = reserve.Target("S", "储备库存", "stock", "reserved", mu=10_000.0, due=pd.Timestamp("2027-06-30"))
    table = reserve.progress(parcels, _events(rows), (stock,), as_of="2026-11-20").loc["S"]
    net = round(areas[p[1]], 2) + round(areas[p[2]], 2) - round(areas[p[0]], 2)
    assert table["achieved_per_month_mu"] == pytest.approx(net / 3, abs=0.006)
    falling = [(p[1], "2026-08-20", "transferred"), (p[2], "2026-09-20", "transferred")]
    down = reserve.progress(parcels, _events(rows + falling), (stock,), as_of="2026-11-20").loc["S"]
    assert down["achieved_per_month_mu"] == pytest.approx(-round(areas[p[0]], 2) / 3, abs=0.006)
    assert down["achieved_per_month_mu"] < 0
    assert down["behind"] is True


# -- the command line, the pack ------------------------------------------------------------------


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, sample_layers):
    """A copy of the sample with four of 2026's approvals recorded around the window of 2026-11-20,
    and batch deadlines on its villages (batch 1 by 2026-08-31, batch 2 by 2027-06-30)."""
    path = tmp_path_factory.mktemp("pace") / "lushan.gpkg"
    shutil.copyfile(landkit.SAMPLE_PATH, path)
    events = sample_layers["events"]
    last = events.sort_values("date", kind="stable").groupby("parcel_id")["date"].last()
    task = reserve.targets(sample_layers)[0]
    assert task.id == "T-approval" and task.due == pd.Timestamp("2026-12-31")
    status = sample_layers["parcels"]["status"]
    early = [p for p in sorted(task.parcels) if status[p] == "submitted" and last[p] < pd.Timestamp("2026-07-01")]
    chosen = dict(zip(early[:4], ["2026-07-31", "2026-08-01", "2026-10-31", "2026-11-01"], strict=True))
    landkit.record_events(path, [{"地块编号": p, "日期": d, "新状态": "已批复"} for p, d in chosen.items()])
    villages = sample_layers["villages"].copy()
    villages["due_on"] = villages["batch"].map(
        {1: pd.Timestamp("2026-08-31"), 2: pd.Timestamp("2027-06-30"), 3: pd.NaT}
    )
    landkit.write_layer(villages, path, "villages", overwrite=True)
    return path, chosen, task


def test_progress_json_has_the_pace_of_every_target_with_a_deadline(recorded, sample_layers):
    path, chosen, _ = recorded
    out = run("progress", path, "--as-of", "2026-11-20", "--format", "json")
    assert out.exit_code == 0, out.output
    said = json.loads(out.stdout)
    assert said["pace_window"] == {"since": "2026-08-01", "until": "2026-10-31"}
    areas = sample_layers["parcels"]["stated_area_mu"]
    members = sample_layers["target_parcels"]
    goal = round(sum(round(areas[p], 2) for p in members.loc[members["target_id"] == "T-approval", "parcel_id"]), 2)
    done = round(sum(round(areas[p], 2) for p in chosen), 2)  # all four approved by 2026-11-20
    in_window = [p for p, d in chosen.items() if "2026-08-01" <= d <= "2026-10-31"]
    achieved = round(sum(round(areas[p], 2) for p in in_window) / 3, 2)
    months = 41 / DAYS_PER_MONTH
    by_id = {t["target"]: t for t in said["targets"]}
    for target in said["targets"]:  # the pace fields, given wherever there is a deadline
        assert {"months_left", "needed_per_month_mu", "achieved_per_month_mu", "behind"} <= set(target)
        assert (target["due"] is not None) == (target["behind"] is not None)
    assert by_id["T-acquisition"]["due"] == "2026-12-31" and by_id["S-reserve"]["months_left"] is None
    mine = by_id["T-approval"]
    assert mine["done_mu"] == pytest.approx(done, abs=0.005)
    assert mine["remaining_mu"] == pytest.approx(goal - done, abs=0.005)
    assert mine["months_left"] == 1.35
    assert mine["needed_per_month_mu"] == pytest.approx((goal - done) / months, abs=0.006)
    assert mine["achieved_per_month_mu"] == pytest.approx(achieved, abs=0.006)
    assert mine["behind"] is True  # two parcels in three months against thousands of mu
    # --as-of moves the window and what is done: on 2026-08-31, only July's approval is before it
    earlier = json.loads(run("progress", path, "--as-of", "2026-08-31", "--format", "json").stdout)
    assert earlier["pace_window"] == {"since": "2026-06-01", "until": "2026-08-31"}
    then = next(t for t in earlier["targets"] if t["target"] == "T-approval")
    first_two = [p for p, d in chosen.items() if d <= "2026-08-31"]
    assert then["achieved_per_month_mu"] == pytest.approx(sum(round(areas[p], 2) for p in first_two) / 3, abs=0.006)
    assert then["months_left"] == round(122 / DAYS_PER_MONTH, 2)


def test_villages_behind_their_batch_deadline_by_the_ledger_then(recorded, sample_layers):
    """Batch 1 is due 2026-08-31. On that day nobody is late; the day after, the batch-1 villages
    the relocation ledger had not moved by then are; on 2026-11-20, the two still only signed."""
    path, _, _ = recorded
    villages, ledger = sample_layers["villages"], sample_layers["relocation_events"]

    def by_hand(day: str) -> set[str]:
        moved = set(ledger.loc[(ledger["date"] <= pd.Timestamp(day)) & ledger["status"].isin(["moved", "demolished"]),
                               "village_code"])  # fmt: skip
        return {v for v in villages.index[villages["batch"] == 1] if v not in moved}

    with_due = villages.assign(due_on=villages["batch"].map({1: pd.Timestamp("2026-08-31")}))
    assert late_villages(with_due, ledger, as_of="2026-08-31").empty
    assert set(late_villages(with_due, ledger, as_of="2026-09-01").index) == by_hand("2026-09-01")
    assert len(by_hand("2026-09-01")) == 4 and len(by_hand("2026-11-20")) == 2
    assert late_villages(villages, ledger, as_of="2026-11-20").empty  # no due_on: nobody is late
    said = json.loads(run("progress", path, "--as-of", "2026-11-20", "--format", "json").stdout)
    assert {v["village_code"] for v in said["late_villages"]} == by_hand("2026-11-20")
    assert all(v["due_on"] == "2026-08-31" and v["relocation_status"] == "agreement_signed"
               for v in said["late_villages"])  # fmt: skip
    text = run("progress", path, "--as-of", "2026-11-20")
    assert text.exit_code == 0 and "滞后村庄" in text.output and "2 个" in text.output
    for code in by_hand("2026-11-20"):
        assert code in text.output and villages.at[code, "name"] in text.output
    assert re.search(r"2026年度报批任务：期限 2026-12-31，.*—— 滞后", text.output)
    english = run("progress", path, "--as-of", "2026-11-20", lang="en")
    assert "Villages behind" in english.output and "behind" in english.output and "滞后" not in english.output


def test_the_packs_first_card_says_which_targets_are_behind(recorded, tmp_path):
    path, _, _ = recorded
    made = run("report", path, "-o", tmp_path / "pack", "--as-of", "2026-11-20")
    assert made.exit_code == 0, made.output
    page = (tmp_path / "pack" / "index.html").read_text(encoding="utf-8")
    first = page[page.index('<div class="card">') :].split('<div class="card">')[1]
    text = re.sub(r"<[^>]+>", "", first)
    assert "进度预警" in text and "2 项" in text
    assert "2026年度报批任务：需每月" in text and "2026年度征收任务：需每月" in text
    assert "滞后村庄 2 个村（480 户）：后营村、新华村" in text  # batch 1's two still only signed, by name
    figures = json.loads((tmp_path / "pack" / "figures.json").read_text(encoding="utf-8"))["figures"]
    values = {(f["figure"], f["key"]): f["value"] for f in figures}
    day = values[("data_date", "")]  # the pack's figures stand at the ledger's last event by its date
    said = json.loads(run("progress", path, "--as-of", day, "--format", "json").stdout)
    for target in said["targets"]:
        for field in ("months_left", "needed_per_month_mu", "achieved_per_month_mu"):
            assert values.get((f"target.{field}", target["target"])) == target[field], (target["target"], field)
    assert values[("targets.behind", "")] == sum(bool(t["behind"]) for t in said["targets"]) == 2
    assert values[("relocation.late_villages", "")] == len(said["late_villages"]) == 2
