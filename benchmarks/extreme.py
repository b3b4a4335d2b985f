"""Peak memory and time of the parcel checks on extreme parcels: one dense outline, many holes.

    python benchmarks/extreme.py dense --n 5000000            # 5 M vertices, Gauss-Krueger
    python benchmarks/extreme.py dense --n 5000000 --lonlat   # the same in lon/lat (EPSG:4490)
    python benchmarks/extreme.py holes --n 100000             # one parcel with 100,000 holes

Each case runs in its own process, which prints its seconds and peak resident memory
(``resource.getrusage``; not on Windows). The layer:

- ``dense``: a circle-ish parcel of radius 500 m whose outline has ``n`` vertices (about 0.6 mm
  apart at 5 M, each moved up to 0.2 mm off the circle), and four neighbours around it (a ring
  cut in quarters, each digitised with its own 2,000 vertices along the shared boundary, a
  few centimetres off the dense parcel's line), all in EPSG:4547 near 113.46E 33.43N;
- ``holes``: a 4 km square parcel with ``n`` small square holes (1 m, 4 m apart, as ponds or
  graves) and four neighbours along its sides, each a few centimetres off.

What runs is ``topology.parcel_checks`` with the audit's default rules (invalid geometry,
coverage with snapping, overlaps, thin overlaps, gaps) and the ellipsoidal areas.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CENTRE = (450000.0, 3700000.0)  # EPSG:4547, about 113.46E 33.43N


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dense(n: int, lonlat: bool = False):
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(1)
    r = 500.0
    # built in place (the same coordinates as CENTRE + rr * (cos t, sin t)): 460 MB with the
    # imports at 5 M vertices, not the 613 MB of plain expressions
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rr = rng.uniform(-2e-4, 2e-4, n)
    rr += r
    xy = np.empty((n, 2))
    for axis, f in ((0, np.cos), (1, np.sin)):
        f(t, out=xy[:, axis])
        xy[:, axis] *= rr
        xy[:, axis] += CENTRE[axis]
    del t, rr
    geoms = [shapely.Polygon(xy)]
    del xy
    for q in range(4):  # a ring around it in quarters, each with its own vertices a few cm off
        a = np.linspace(q * np.pi / 2, (q + 1) * np.pi / 2, 2000)
        inner = r + rng.uniform(-0.03, 0.03, len(a))
        outer = np.full(len(a), r + 50.0)
        xy_in = np.column_stack([CENTRE[0] + inner * np.cos(a), CENTRE[1] + inner * np.sin(a)])
        xy_out = np.column_stack([CENTRE[0] + outer * np.cos(a), CENTRE[1] + outer * np.sin(a)])[::-1]
        geoms.append(shapely.Polygon(np.vstack([xy_in, xy_out])))
    # the quarters' ends are shared exactly (what a topology-aware editor writes)
    gdf = gpd.GeoDataFrame(geometry=geoms, index=["DENSE", "Q1", "Q2", "Q3", "Q4"], crs="EPSG:4547")
    return gdf.to_crs("EPSG:4490") if lonlat else gdf


def holes(n: int, lonlat: bool = False):
    import geopandas as gpd
    import numpy as np
    import shapely

    side = int(np.ceil(np.sqrt(n)))
    size = 4.0 * side + 10
    x0, y0 = CENTRE
    i, j = np.divmod(np.arange(n), side)
    hx, hy = x0 + 5 + 4.0 * i, y0 + 5 + 4.0 * j
    rings = [np.array([[a, b], [a, b + 1], [a + 1, b + 1], [a + 1, b], [a, b]]) for a, b in zip(hx, hy, strict=True)]
    shell = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    parcel = shapely.Polygon(shell, rings)
    rng = np.random.default_rng(2)
    off = rng.uniform(0.01, 0.04, 4)
    nbrs = [
        shapely.box(x0 - 50, y0 - 50, x0 + size + 50, y0 - off[0]),
        shapely.box(x0 - 50, y0 + size + off[1], x0 + size + 50, y0 + size + 50),
        shapely.box(x0 - 50, y0 - off[0], x0 - off[2], y0 + size + off[1]),
        shapely.box(x0 + size + off[3], y0 - off[0], x0 + size + 50, y0 + size + off[1]),
    ]
    gdf = gpd.GeoDataFrame(geometry=[parcel, *nbrs], index=["HOLES", "S", "N", "W", "E"], crs="EPSG:4547")
    return gdf.to_crs("EPSG:4490") if lonlat else gdf


def child(case: str, n: int, lonlat: bool) -> None:
    import landkit
    from landkit import audit, topology

    layer = {"dense": dense, "holes": holes}[case](n, lonlat)
    built = _peak_mb()
    t0 = time.perf_counter()
    areas = landkit.area(layer)
    found = topology.parcel_checks(layer, audit.load_rules())
    seconds = time.perf_counter() - t0
    rows = [(f["rule"].iloc[0], len(f)) for f in found if len(f)]
    print(
        json.dumps(
            {
                "case": case,
                "n": n,
                "lonlat": lonlat,
                "seconds": round(seconds, 2),
                "peak_mb": round(_peak_mb()),
                "peak_mb_after_building": round(built),
                "findings": rows,
                "area_m2": round(float(areas.sum()), 3),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", choices=["dense", "holes"])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--lonlat", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.case, args.n, args.lonlat)
        return
    cmd = [sys.executable, __file__, args.case, "--n", str(args.n), "--child"] + (["--lonlat"] if args.lonlat else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        print(out.stderr[-2000:], file=sys.stderr)
        print(json.dumps({"case": args.case, "n": args.n, "failed": out.returncode}))
        sys.exit(1)
    print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
