"""The audit reading a project from PostGIS vs from a GeoPackage, on a large parcel fabric.

    python benchmarks/postgis.py                      # 20,000 parcels, a throw-away local server
    python benchmarks/postgis.py --parcels 1000000    # the office's scale
    python benchmarks/postgis.py --url 'postgresql://me@db:5432/land?schema=bench'   # a real server

Builds the sample project with its parcels replaced by a jittered fabric (``benchmarks/fabric.py``)
and empty ledgers, writes it as a GeoPackage and pushes it into a PostGIS schema (without
``--url``, a throw-away cluster is started as the tests do: PostgreSQL 15 and PostGIS needed).
Then times ``landkit.read_project`` + ``landkit.audit.audit`` from each (median of ``--repeat``),
and prints both times and the ratio. The last line:
``parcels=… gpkg_read=… pg_read=… gpkg_total=… pg_total=… ratio=…``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_project(n: int) -> dict:
    import landkit
    from benchmarks.fabric import make_fabric

    layers = dict(landkit.read_project(landkit.SAMPLE_PATH))
    parcels = make_fabric(n, kind="jittered").parcels
    parcels.index.name = "parcel_id"
    parcels = parcels[[parcels.active_geometry_name]].assign(
        village_code=None,
        land_use="工业用地",
        status="planned",
        stated_area_mu=landkit.area(parcels, unit="mu").round(2),
    )
    layers["parcels"] = parcels
    for ledger in ("events", "relocation_events", "target_parcels"):  # their rows name the sample's features
        layers[ledger] = layers[ledger].iloc[:0]
    layers["villages"] = layers["villages"].assign(relocation_status="planned")
    return layers


def timed(label: str, path, repeat: int) -> tuple[float, float]:
    import landkit

    reads, totals = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        project = landkit.read_project(path)
        t1 = time.perf_counter()
        findings = landkit.audit.audit(project)
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        totals.append(t2 - t0)
    print(f"{label:10s} read {statistics.median(reads):7.2f} s   read + audit {statistics.median(totals):7.2f} s   "
          f"({len(findings)} findings)")  # fmt: skip
    return statistics.median(reads), statistics.median(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parcels", type=int, default=20_000)
    parser.add_argument("--url", help="a project URL to push into (default: a throw-away local server)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import landkit
    from landkit import store

    cluster = None
    if args.url is None:
        from tests.pg import Cluster, new_schema

        cluster = Cluster()
        import os

        from tests.pg import PASSWORD

        os.environ["PGPASSWORD"] = PASSWORD
        url = cluster.url(new_schema())
    else:
        url = (
            args.url
            if "schema=" in args.url
            else f"{args.url}{'&' if '?' in args.url else '?'}schema=b_{uuid.uuid4().hex[:8]}"
        )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = Path(tmp) / "bench.gpkg"
            t0 = time.perf_counter()
            layers = build_project(args.parcels)
            landkit.write_project(layers, gpkg)
            print(f"fabric of {len(layers['parcels']):,} parcels written in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            store.push(gpkg, url)
            print(f"pushed to {store.display(url)} in {time.perf_counter() - t0:.1f} s")
            g_read, g_total = timed("GeoPackage", gpkg, args.repeat)
            p_read, p_total = timed("PostGIS", url, args.repeat)
            print(
                f"parcels={len(layers['parcels'])} gpkg_read={g_read:.2f} pg_read={p_read:.2f} "
                f"gpkg_total={g_total:.2f} pg_total={p_total:.2f} ratio={p_total / g_total:.2f}"
            )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
