"""`landkit sync --apply` sets the parcels' date columns as `landkit record` does (issue 28, item 2).

A clerk who appends a transition to the events table (in QGIS, say) and runs `sync --apply` gets the
parcel's status and the matching date (acquired_on, approved_on, supplied_on) in one transaction;
a dry run writes neither. The expected days are the events' own dates, written by the test.
"""

import sqlite3

import pytest
from click.testing import CliRunner

import landkit
from landkit.cli import main
from landkit.errors import LandkitWarning
from landkit.store.gpkg import transaction


def run(*args, lang="en"):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LANDKIT_LANG": lang})


def _cell(path, parcel, column):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {column} FROM parcels WHERE parcel_id = ?", (parcel,)).fetchone()[0]


def _append(path, parcel, status, day, event_type="transition"):
    with transaction(path) as db:
        (last,) = db.execute("SELECT MAX(event_id) FROM events").fetchone()
        db.execute(
            "INSERT INTO events (event_id, parcel_id, date, event_type, status) VALUES (?, ?, ?, ?, ?)",
            (last + 1, parcel, day, event_type, status),
        )


@pytest.fixture
def acquiring(sample_copy):
    parcels = landkit.read_layer(sample_copy, "parcels")
    pid = parcels.index[(parcels["status"] == "acquiring") & parcels["acquired_on"].isna()][0]
    return sample_copy, pid


def test_sync_apply_sets_the_date_of_a_transition_appended_to_the_ledger(acquiring):
    path, pid = acquiring
    _append(path, pid, "acquired", "2026-11-20")
    said = run("sync", path)
    assert said.exit_code == 0 and pid in said.output
    assert (_cell(path, pid, "status"), _cell(path, pid, "acquired_on")) == ("acquiring", None)  # a dry run
    assert run("sync", path, "--apply").exit_code == 0
    assert (_cell(path, pid, "status"), _cell(path, pid, "acquired_on")) == ("acquired", "2026-11-20")
    assert run("sync", path).output == run("sync", path).output and "CB" not in run("sync", path).output


def test_sync_apply_sets_every_date_a_chain_of_transitions_reaches_and_no_other(acquiring):
    path, pid = acquiring
    for status, day in (("acquired", "2026-11-02"), ("submitted", "2026-11-09"), ("approved", "2026-11-16")):
        _append(path, pid, status, day)
    assert run("sync", path, "--apply").exit_code == 0
    assert [_cell(path, pid, c) for c in ("status", "acquired_on", "approved_on", "supplied_on")] == [
        "approved", "2026-11-02", "2026-11-16", None
    ]  # fmt: skip
    assert landkit.read_layer(path, "parcels").at[pid, "approved_on"].isoformat()[:10] == "2026-11-16"


def test_sync_apply_clears_the_date_a_revocation_takes_back(acquiring):
    path, pid = acquiring
    assert run("record", path, pid, "acquired", "--date", "2026-11-20").exit_code == 0
    assert _cell(path, pid, "acquired_on") == "2026-11-20"
    _append(path, pid, "acquiring", "2026-11-21", event_type="revocation")
    assert run("sync", path, "--apply").exit_code == 0
    assert (_cell(path, pid, "status"), _cell(path, pid, "acquired_on")) == ("acquiring", None)


def test_replacing_the_events_table_sets_the_dates_its_new_transitions_give(acquiring):
    """A ledger replaced whole (``write_layer(events, overwrite=True)``, e.g. edited in a spreadsheet):
    the layer's statuses follow it, and so do the dates."""
    path, pid = acquiring
    import pandas as pd

    events = landkit.read_layer(path, "events")
    row = {"parcel_id": pid, "date": pd.Timestamp("2026-11-20"), "event_type": "transition", "status": "acquired"}
    added = pd.DataFrame([row], index=pd.Index([events.index.max() + 1], name=events.index.name))
    events = pd.concat([events, added.astype(events.dtypes[list(row)].to_dict())])
    with pytest.warns(LandkitWarning, match="1 parcel"):
        landkit.write_layer(events, path, "events", overwrite=True)
    assert (_cell(path, pid, "status"), _cell(path, pid, "acquired_on")) == ("acquired", "2026-11-20")


def test_the_project_as_of_a_day_has_no_date_of_a_step_taken_after_it(sample_copy, tmp_path):
    """`report --as-of` (and every as-of view, `period.as_of`): a parcel acquired after the day was
    not acquired then, so its snapshot has no `acquired_on`; one acquired before keeps its day."""
    from landkit import period

    day = "2026-06-30"
    with sqlite3.connect(sample_copy) as db:
        acquired = dict(
            db.execute("SELECT parcel_id, substr(acquired_on, 1, 10) FROM parcels WHERE acquired_on IS NOT NULL")
        )
    later = {p for p, d in acquired.items() if d > day}
    earlier = {p for p, d in acquired.items() if d <= day}
    assert later and earlier  # the sample has both
    then = period.as_of(landkit.read_project(sample_copy), day)["parcels"]
    kept = then["acquired_on"].dropna()
    assert not (set(kept.index) & later) and set(kept.index) >= earlier & set(then.index)
    assert all(kept[p].isoformat()[:10] == acquired[p] for p in kept.index)
    assert run("report", sample_copy, "-o", tmp_path / "june", "--as-of", day).exit_code == 0
    with sqlite3.connect(tmp_path / "june" / "project.gpkg") as db:
        snapshot = dict(db.execute("SELECT parcel_id, acquired_on FROM parcels WHERE acquired_on IS NOT NULL"))
    assert snapshot == {p: acquired[p] for p in kept.index}
