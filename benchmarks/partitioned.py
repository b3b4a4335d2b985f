"""The parcel checks on dask partitions, past what one process holds comfortably.

    python benchmarks/partitioned.py --n 10000000 --partitions 40 --workers 2
    python benchmarks/partitioned.py --n 200000 --compare     # and check against one process

Writes a jittered fabric (``benchmarks/fabric.py``, built in row bands so that no step holds all
of it) as a partitioned GeoParquet dataset in a temporary folder, reads it back with
``dask_geopandas.read_parquet`` and runs ``landkit.parallel.parcel_checks`` on a local cluster.
Prints the time, the findings per rule, and each worker's peak memory. With ``--compare`` the
same fabric is also checked in one process and the findings must be equal. The last line:
``n=… partitions=… workers=… seconds=… worker_peak_mb=… findings=…``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def write_fabric(n: int, bands: int, folder: Path):
    """The fabric as ``bands`` row bands (each its own fabric, side by side), one Parquet file each."""
    import geopandas as gpd
    import numpy as np
    import shapely
    import shapely.affinity

    from benchmarks.fabric import CELL, make_fabric

    per = n // bands
    side = int(np.ceil(np.sqrt(per)))
    zones = []
    for b in range(bands):
        fabric = make_fabric(per, seed=100 + b, kind="jittered")
        dy = b * side * CELL  # each band's outer edge is the next one's
        moved = shapely.affinity.translate  # bands stacked north
        p = fabric.parcels.set_geometry([moved(g, 0, dy) for g in fabric.parcels.geometry])
        p.index = [f"{b:03d}{i}" for i in p.index]
        p.index.name = "parcel_id"
        p = gpd.GeoDataFrame(p, crs=fabric.parcels.crs)
        p.to_parquet(folder / f"part.{b:04d}.parquet", write_covering_bbox=True)
        zones.append(shapely.affinity.translate(fabric.zone, 0, dy))
        print(f"  band {b + 1} of {bands} written", file=sys.stderr, flush=True)
    return shapely.union_all(zones)


def main() -> None:
    import shapely.affinity  # noqa: F401  (used by write_fabric)

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=20, help="row bands written, one partition each")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", action="store_true", help="also run in one process and compare")
    args = parser.parse_args()

    import dask_geopandas
    import pandas as pd
    from distributed import Client, LocalCluster

    from landkit import audit, parallel, topology

    rules = audit.load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        zone = write_fabric(args.n, args.partitions, folder)
        print(f"fabric written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        ddf = dask_geopandas.read_parquet(str(folder / "*.parquet"))
        with (
            LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None, silence_logs=40) as c,
            Client(c) as client,
        ):
            t0 = time.perf_counter()
            found = parallel.parcel_checks(ddf, rules, zone=zone, scheduler=c.scheduler_address)
            seconds = time.perf_counter() - t0
            peaks = client.run(_peak_mb)
        findings = pd.concat(found)
        n = int(ddf.map_partitions(len).compute().sum())
        by_rule = findings["rule"].value_counts().to_dict()
        print(f"{n:,} parcels in {ddf.npartitions} partitions on {args.workers} workers: {seconds:.1f} s")
        print(f"findings: {by_rule}")
        for worker, peak in peaks.items():
            print(f"  worker {worker}: peak {peak:,.0f} MB")
        if args.compare:
            whole = ddf.compute()
            t0 = time.perf_counter()
            single = pd.concat(topology.parcel_checks(whole, rules, zone=zone))
            print(f"one process: {time.perf_counter() - t0:.1f} s, peak {_peak_mb():,.0f} MB (this process)")

            def key(df):
                return sorted((r.rule, tuple(sorted(r.ids)), round(r.area_m2, 3)) for r in df.itertuples())

            same = key(single) == key(findings)
            print("the same findings as one process" if same else "DIFFERENT findings from one process")
            if not same:
                sys.exit(1)
        print(
            f"n={n} partitions={ddf.npartitions} workers={args.workers} seconds={seconds:.1f} "
            f"worker_peak_mb={max(peaks.values()):.0f} findings={len(findings)}"
        )


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
