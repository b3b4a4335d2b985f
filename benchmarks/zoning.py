"""The gap check at province scale: a real-like zoning fabric, old (global) vs new (local) gap check.

    python benchmarks/zoning.py --n 100000                 # zoning fabric, landkit now vs before
    python benchmarks/zoning.py --n 100000 --sides now     # landkit as it is only
    python benchmarks/zoning.py --holes 100000 --sides now # and the 100,000-holes parcel

The fabric is built like a province's zoning layer (Taiwan's 都市計畫/非都市土地使用分區: some
92,000 polygons), where every polygon was digitised on its own and no two neighbours share
their boundary exactly:

- ``n`` Voronoi cells of points denser in a few town centres (20 m to 300 m across) in TWD97 TM2
  (EPSG:3826) near 121.0E 23.9N, their edges digitised every 6 m;
- each polygon's copy of a shared boundary is moved on its own: a smooth displacement of
  3-12 cm (30-100 cm for 3 % of the polygons, sheets digitised badly; a sum of waves 40-160 m
  long with the polygon's own phases) and up to 1.5 cm of noise per vertex, so that most shared
  boundaries carry slivers and thin overlaps beyond the 10 cm snapping tolerance (almost every
  polygon is a suspect), most too small to be findings, and every corner where three polygons
  meet a small gap or overlap;
- 4 % of the cells left out (rivers, unzoned land: wide spaces, no gaps), 8 % drawn 2.5 m back
  from their neighbours (a road between them: wider than the 2 m gap width, no gap).

Each side runs ``landkit.area`` and ``topology.parcel_checks`` with the audit's default rules in
a process of its own (``resource.getrusage``: its peak resident memory, the layer included) and
prints seconds, peak memory and what it found. ``before`` is landkit as it was at ``--before``
(a git revision, exported with ``git archive`` into a temporary folder; by default the last
commit whose gap check closed the union of all suspects at once); ``now`` is this checkout.
Both must give the same findings; the last line says whether they do.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "62b867f"  # the gap check on the union of all suspects (issue 27 item 2)
ORIGIN = (200000.0, 2640000.0)  # EPSG:3826 (TWD97 TM2), about 121.0E 23.9N


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def zoning(n: int, seed: int = 3):
    """About ``n`` zoning polygons digitised independently (see the module's docstring)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(seed)
    side = 90.0 * np.sqrt(n)  # about 90 m a cell on average
    towns = rng.uniform(0.1 * side, 0.9 * side, (12, 2))
    dense = int(0.45 * n)  # almost half the cells in town centres
    near = towns[rng.integers(len(towns), size=dense)] + rng.normal(0, 0.04 * side, (dense, 2))
    pts = np.vstack([near, rng.uniform(0, side, (n - dense, 2))])
    pts = pts[(pts >= 0).all(axis=1) & (pts <= side).all(axis=1)] + ORIGIN
    frame = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + side, ORIGIN[1] + side)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = cells[shapely.get_type_id(cells) == 3]
    keep = rng.random(len(cells)) > 0.04  # rivers, unzoned land
    cells = cells[keep]
    road = rng.random(len(cells)) < 0.08  # set back from a road
    cells[road] = shapely.buffer(cells[road], -2.5, join_style="mitre")
    cells = cells[(shapely.get_type_id(cells) == 3) & (shapely.area(cells) > 20)]
    cells = shapely.segmentize(cells, 6.0)
    # each polygon digitised on its own: a smooth displacement of its own and a little noise
    xy, owner = shapely.get_coordinates(cells, return_index=True)
    m = len(cells)
    rough = rng.random(m) < 0.03  # a few sheets digitised badly
    amp = np.where(rough, rng.uniform(0.3, 1.0, m), rng.uniform(0.03, 0.12, m))[owner]
    wave = rng.uniform(40, 160, (m, 2))[owner]
    phase = rng.uniform(0, 2 * np.pi, (m, 4))[owner]
    dx = (
        amp
        * 0.5
        * (
            np.sin(2 * np.pi * xy[:, 0] / wave[:, 0] + phase[:, 0])
            + np.sin(2 * np.pi * xy[:, 1] / wave[:, 1] + phase[:, 1])
        )
    )
    dy = (
        amp
        * 0.5
        * (
            np.sin(2 * np.pi * xy[:, 1] / wave[:, 0] + phase[:, 2])
            + np.sin(2 * np.pi * xy[:, 0] / wave[:, 1] + phase[:, 3])
        )
    )
    noise = rng.uniform(-0.015, 0.015, xy.shape)
    ends = np.flatnonzero(np.diff(owner))
    noise[np.r_[ends, len(xy) - 1]] = noise[np.r_[0, ends + 1]]  # each ring stays closed
    cells = shapely.set_coordinates(cells.copy(), xy + np.column_stack([dx, dy]) + noise)
    ids = np.array([f"Z{k:07d}" for k in range(len(cells))])
    return gpd.GeoDataFrame({"zone_code": ids}, geometry=cells, crs="EPSG:3826").set_index("zone_code")


def child(case: str, n: int, code: str) -> None:
    sys.path.insert(0, code)  # landkit as it is in this checkout, or as it was (``--before``)
    import hashlib

    import landkit
    from landkit import audit, topology

    if case == "zoning":
        layer = zoning(n)
    else:
        sys.path.insert(1, str(ROOT / "benchmarks"))
        from extreme import holes

        layer = holes(n)
    built = _peak_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    areas = landkit.area(layer)
    found = topology.parcel_checks(layer, audit.load_rules())
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = sorted(
        (r, tuple(i), round(a, 2)) for f in found for r, i, a in zip(f["rule"], f["ids"], f["area_m2"], strict=True)
    )
    print(
        json.dumps(
            {
                "case": case,
                "n": len(layer),
                "landkit": str(Path(landkit.__file__).parent),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "peak_mb": round(_peak_mb()),
                "peak_mb_after_building": round(built),
                "findings": {r: sum(1 for x in rows if x[0] == r) for r in sorted({x[0] for x in rows})},
                "digest": hashlib.sha256(repr(rows).encode()).hexdigest()[:16],
                "area_m2": round(float(areas.sum()), 1),
            },
            ensure_ascii=False,
        )
    )


def _side(case: str, n: int, code: str) -> dict:
    cmd = [sys.executable, __file__, "--child", case, "--n", str(n), "--code", code]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode:
        print(out.stderr[-2000:], file=sys.stderr)
        return {"case": case, "n": n, "failed": out.returncode}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="zoning polygons (0: none)")
    parser.add_argument("--holes", type=int, default=0, help="also one parcel with this many holes")
    parser.add_argument("--sides", nargs="+", default=["before", "now"], choices=["before", "now"])
    parser.add_argument("--before", default=BEFORE, help="the git revision to compare with")
    parser.add_argument("--child", choices=["zoning", "holes"], help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.n, args.code)
        return
    cases = [("zoning", args.n)] * bool(args.n) + [("holes", args.holes)] * bool(args.holes)
    with tempfile.TemporaryDirectory() as tmp:
        code = {"now": str(ROOT)}
        if "before" in args.sides:
            archive = subprocess.run(
                ["git", "archive", args.before, "landkit"], cwd=ROOT, capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            code["before"] = tmp
        print("| case | features | side | seconds | CPU seconds | peak MB | findings | digest |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for case, n in cases:
            got = {}
            for side in args.sides:
                print(f"{case} {n}: {side} …", file=sys.stderr, flush=True)
                r = got[side] = _side(case, n, code[side])
                if "failed" in r:
                    print(f"| {case} | {n:,} | {side} | failed ({r['failed']}) | | | | |")
                    continue
                found = ", ".join(f"{k} {v:,}" for k, v in r["findings"].items())
                print(
                    f"| {case} | {r['n']:,} | {side} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_mb']:,} "
                    f"| {found} | {r['digest']} |",
                    flush=True,
                )
            if len(got) == 2 and all("digest" in r for r in got.values()):
                same = got["before"]["digest"] == got["now"]["digest"]
                b, w = got["before"], got["now"]
                print(
                    f"case={case} n={w['n']} before_s={b['seconds']} now_s={w['seconds']} "
                    f"before_mb={b['peak_mb']} now_mb={w['peak_mb']} speedup={b['seconds'] / w['seconds']:.2f} "
                    f"same_findings={same}"
                )


if __name__ == "__main__":
    main()
