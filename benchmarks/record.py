"""Time recording into a large project: one event through the CLI, a batch through the API, reads.

    python benchmarks/record.py --n 1000000

Builds a project of ``n`` parcels (the QA fabric) with one opening event per parcel in a
temporary folder, then times, in the same run:

- ``landkit record PROJECT PARCEL approved --date …`` as a whole process (wall time, median of 5),
  against the tightest hand-written equivalent: a Python process that opens the file with
  ``sqlite3``, inserts the event and updates the status (no checks);
- ``landkit.record_events`` of 1,000 events in one transaction (median of 3), against the same
  1,000 rows through plain ``sqlite3``;
- ``landkit.read_project`` against ``pyogrio.read_dataframe`` of every layer.

Targets (issue 10): record ≤ 0.5 s for the whole process, 1,000 events ≤ 2 s at 1M parcels.
The last lines are machine-readable: ``n=… what=… landkit_s=… baseline_s=… ratio=…``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RAW_RECORD = """
import sqlite3, sys
from landkit.store.gpkg import _register_functions  # GDAL's R-tree trigger functions, as QGIS has them
db = sqlite3.connect(sys.argv[1], isolation_level=None)
_register_functions(db)
db.execute("BEGIN IMMEDIATE")
n = db.execute("SELECT max(event_id) FROM events").fetchone()[0] + 1
db.execute("INSERT INTO events (event_id, parcel_id, date, event_type, status) VALUES (?, ?, ?, 'transition', ?)",
           (n, sys.argv[2], "2026-11-25T00:00:00", "approved"))
db.execute("UPDATE parcels SET status = 'approved' WHERE parcel_id = ?", (sys.argv[2],))
db.execute("COMMIT")
"""


def build(n: int, folder: Path) -> tuple[Path, list[str]]:
    import pandas as pd

    import landkit
    from benchmarks.fabric import make_fabric

    parcels = make_fabric(n, problems_per_kind=0).parcels.assign(status="submitted")
    events = pd.DataFrame(
        {
            "event_id": range(1, len(parcels) + 1),
            "parcel_id": parcels.index,
            "date": pd.Timestamp("2026-01-01"),
            "event_type": "opening",
            "status": "submitted",
            "document_ref": None,
            "note": None,
        }
    ).set_index("event_id")
    path = folder / "big.gpkg"
    landkit.write_project({"parcels": parcels, "events": events}, path)
    return path, list(parcels.index)


def wall(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    import pyogrio

    import landkit
    from landkit.store.gpkg import _register_functions

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path, ids = build(args.n, Path(tmp))
        size_mb = path.stat().st_size / 1e6
        took = time.perf_counter() - t0
        print(f"built {len(ids):,} parcels and {len(ids):,} events ({size_mb:,.0f} MB) in {took:.1f} s")
        lk = [sys.executable, "-m", "landkit", "record", str(path)]
        cli = [wall([*lk, ids[10 + k], "approved", "--date", "2026-11-25"]) for k in range(5)]
        raw = [wall([sys.executable, "-c", RAW_RECORD, str(path), ids[20 + k]]) for k in range(5)]

        def batch(k: int) -> list[dict]:
            return [{"parcel_id": p, "status": "approved", "date": "2026-11-26"} for p in ids[1000 * (k + 1) :][:1000]]

        api = []
        for k in range(3):
            rows = batch(k)
            t0 = time.perf_counter()
            landkit.record_events(path, rows)
            api.append(time.perf_counter() - t0)
        plain = []
        import sqlite3

        for k in range(3, 6):
            rows = batch(k)
            t0 = time.perf_counter()
            db = sqlite3.connect(path, isolation_level=None)
            _register_functions(db)
            db.execute("BEGIN IMMEDIATE")
            first = db.execute("SELECT max(event_id) FROM events").fetchone()[0] + 1
            db.executemany(
                "INSERT INTO events (event_id, parcel_id, date, event_type, status) VALUES (?, ?, ?, 'transition', ?)",
                [(first + i, r["parcel_id"], "2026-11-26T00:00:00", "approved") for i, r in enumerate(rows)],
            )
            db.execute(  # one scan for the whole batch, as a careful script would
                "UPDATE parcels SET status = 'approved' WHERE parcel_id IN (SELECT value FROM json_each(?))",
                (json.dumps([r["parcel_id"] for r in rows]),),
            )
            db.execute("COMMIT")
            db.close()
            plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        project = landkit.read_project(path)
        read_lk = time.perf_counter() - t0
        recorded = len(project["events"]) - len(ids)
        assert recorded == 5 + 5 + 6000, f"{recorded} events recorded"  # every timed write really happened
        assert (project["parcels"]["status"] == "approved").sum() == recorded
        t0 = time.perf_counter()
        for layer in ("parcels", "events"):
            pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
        read_raw = time.perf_counter() - t0
    rows = [
        ("record_cli_process", statistics.median(cli), statistics.median(raw)),
        ("record_events_1000", statistics.median(api), statistics.median(plain)),
        ("read_project", read_lk, read_raw),
    ]
    print(f"\n| n = {len(ids):,} | landkit | tightest plain script | ratio |\n| --- | --- | --- | --- |")
    for what, a, b in rows:
        print(f"| {what} | {a:.3f} s | {b:.3f} s | {a / b:.2f} |")
    print()
    for what, a, b in rows:
        print(f"n={len(ids)} what={what} landkit_s={a:.3f} baseline_s={b:.3f} ratio={a / b:.2f}")


if __name__ == "__main__":
    main()
