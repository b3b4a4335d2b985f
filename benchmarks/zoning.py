"""The gap check at province scale: a real-like zoning fabric, landkit now against two revisions.

    python benchmarks/zoning.py --n 100000                 # zoning fabric: pre, before and now
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
prints seconds, peak memory and what it found. The sides, each landkit as it was at a git
revision (exported with ``git archive`` into a temporary folder), or as it is:

- ``pre`` (``--pre``): before the regression of issue 27 item 2, the last revision whose gap check
  worked pair by pair (before 28719f5 closed the union of all suspects with one
  ``shapely.difference``): no snapping and no coverage check then, so it finds digitising noise
  as overlaps, and its findings are not those of the others; its audit ran
  ``invalid_geometry``, ``overlaps`` and ``gaps``, run here the same way;
- ``before`` (``--before``): the last revision whose gap check closed the union of all suspects
  at once (the regressed code);
- ``now``: this checkout. ``before`` and ``now`` must give the same findings.

The last line gives ``now``'s ratios to each other side (seconds, CPU seconds, peak memory:
above 1, ``now`` is faster or leaner) and whether ``before`` and ``now`` found the same.
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
PRE = "f1e1e60"  # the gap check pair by pair: the parent of 28719f5, before the regression
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
    rules = audit.load_rules()
    if hasattr(topology, "parcel_checks"):
        found = topology.parcel_checks(layer, rules)
    else:  # ``pre``: the topology checks as its audit ran them
        found = [
            topology.invalid_geometry(layer),
            topology.overlaps(layer, min_area_m2=rules["overlap"]["min_area_m2"]),
            topology.gaps(layer, max_width_m=rules["gap"]["max_width_m"], min_area_m2=rules["gap"]["min_area_m2"]),
        ]
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
    parser.add_argument("--sides", nargs="+", default=["pre", "before", "now"], choices=["pre", "before", "now"])
    parser.add_argument("--pre", default=PRE, help="the git revision before the regression")
    parser.add_argument("--before", default=BEFORE, help="the regressed git revision")
    parser.add_argument("--child", choices=["zoning", "holes"], help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.n, args.code)
        return
    cases = [("zoning", args.n)] * bool(args.n) + [("holes", args.holes)] * bool(args.holes)
    with tempfile.TemporaryDirectory() as tmp:
        code = {"now": str(ROOT)}
        for side in {"pre", "before"} & set(args.sides):
            rev, folder = getattr(args, side), Path(tmp, side)
            folder.mkdir()
            archive = subprocess.run(["git", "archive", rev, "landkit"], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
            code[side] = str(folder)
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
            w = got.get("now", {})
            if "seconds" not in w:
                continue
            line = [f"case={case}", f"n={w['n']}"]
            for side in ("pre", "before"):
                b = got.get(side, {})
                if "seconds" in b:
                    line += [
                        f"{side}_s={b['seconds']} {side}_cpu_s={b['cpu_seconds']} {side}_mb={b['peak_mb']}",
                        f"speedup_vs_{side}={b['seconds'] / w['seconds']:.2f}",
                        f"cpu_ratio_vs_{side}={b['cpu_seconds'] / w['cpu_seconds']:.2f}",
                        f"memory_ratio_vs_{side}={b['peak_mb'] / w['peak_mb']:.2f}",
                    ]
            line += [f"now_s={w['seconds']} now_cpu_s={w['cpu_seconds']} now_mb={w['peak_mb']}"]
            if "digest" in got.get("before", {}):
                line.append(f"same_findings={got['before']['digest'] == w['digest']}")
            print(" ".join(line), flush=True)


if __name__ == "__main__":
    main()
