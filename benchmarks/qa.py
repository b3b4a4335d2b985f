"""Time landkit's full parcel QA against two baseline scripts, on three kinds of fabric.

    python benchmarks/qa.py --n 100000 --repeat 3
    python benchmarks/qa.py --n 1000000 --kinds matched jittered --repeat 1

Fabrics (``benchmarks/fabric.py``): ``matched`` (neighbours share bit-identical corners),
``jittered`` (every copy of a corner moved 1-5 cm on its own), ``digitised`` (jittered, and a
third of the parcels with an extra vertex near one edge that the neighbour lacks). Each carries
planted overlaps, duplicates, parcels inside others, merged parcels kept beside their parts,
bow-ties, parcels outside the zone, slivers and wedge gaps.

Sides, each in its own process (so time and peak memory are its own), alternating:

- ``landkit``: schema check, ellipsoidal areas, invalid geometry, the coverage check with a
  10 cm snapping tolerance, overlaps, overlaps thinner than the tolerance (digitising overlaps:
  counted in the time, their number printed, not judged against the planted problems: on the
  noisy fabrics they are the noise's real double counting), gaps, outside the zone, stated vs
  measured area;
- ``overlay``: the plain geopandas script (``is_valid``, planar ``area``, ``overlay(gdf, gdf)``,
  ``difference``); it has no gap check;
- ``vectorised``: the tightest script a competent shapely >= 2.1 user would write: GEOS's
  coverage validator first, then an STRtree query on the unique pairs of suspects and a
  vectorised intersection, planar areas, gaps as what a 1 m closing of the suspects' union fills.

Every side must find every planted problem and nothing else; the table says what each missed
or invented. The last lines are machine-readable, one per fabric:
``n=… fabric=… landkit_s=… best_baseline_s=… ratio=…`` (ratio = best correct baseline / landkit,
or the fastest baseline when none is correct).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIDES = ("landkit", "overlay", "vectorised")


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_landkit(fabric) -> dict:
    import landkit
    from landkit import topology

    p = fabric.parcels
    t0 = time.perf_counter()
    problems = landkit.check_layer(p, "parcels")
    t_area = time.perf_counter()
    areas = landkit.area(p)
    t_area = time.perf_counter() - t_area
    invalid = topology.invalid_geometry(p)
    checked = topology.coverage(p)
    over = topology.overlaps(p, checked=checked)
    thin = topology.digitising_overlaps(p, checked=checked)  # listed apart: noise crossings over 5 m²
    gaps = topology.gaps(p, within=fabric.zone, checked=checked)
    outside = topology.outside(p, fabric.zone)
    topology.area_mismatch(p, measured=areas)
    elapsed = time.perf_counter() - t0
    return {
        "seconds": elapsed,
        "areas_seconds": t_area,
        "schema_problems": len(problems),
        "area_nan": int(areas.isna().sum()),
        "invalid": sorted({i for ids in invalid["ids"] for i in ids}),
        "overlap_pairs": [sorted(x) for x in over["ids"]],
        "digitising_overlaps": len(thin),
        "gaps": [sorted(x) for x in gaps["ids"]],
        "outside": sorted({i for ids in outside["ids"] for i in ids}),
    }


def run_overlay(fabric) -> dict:
    import geopandas as gpd

    p = fabric.parcels.reset_index()
    t0 = time.perf_counter()
    valid = p.is_valid
    invalid = set(p.loc[~valid, "parcel_id"])
    _ = p.area  # what a user writes: planar, in the zone's projection
    good = p[valid]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pairs = gpd.overlay(good, good, how="intersection", keep_geom_type=True)
    pairs = pairs[pairs["parcel_id_1"] < pairs["parcel_id_2"]]
    pairs = pairs[pairs.area > 1.0]
    outside_area = good.difference(fabric.zone).area
    outside = set(good.loc[outside_area > 1.0, "parcel_id"])
    return {
        "seconds": time.perf_counter() - t0,
        "invalid": sorted(invalid),
        "overlap_pairs": [sorted(x) for x in pairs[["parcel_id_1", "parcel_id_2"]].to_numpy().tolist()],
        "gaps": None,
        "outside": sorted(outside),
    }


def run_vectorised(fabric) -> dict:
    import numpy as np
    import shapely

    ids = fabric.parcels.index.to_numpy()
    g = fabric.parcels.geometry.to_numpy()
    t0 = time.perf_counter()
    valid = shapely.is_valid(g)
    shapely.area(g)
    ids, g = ids[valid], g[valid]
    bad = shapely.coverage_invalid_edges(g, gap_width=2.0)
    suspects = np.flatnonzero(~shapely.is_empty(bad))
    tree = shapely.STRtree(g)
    left, right = tree.query(g[suspects], predicate="intersects")
    a, b = suspects[left], right
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)])[a != b], axis=0)
    inter = shapely.area(shapely.intersection(g[pairs[:, 0]], g[pairs[:, 1]]))
    pairs = pairs[inter > 1.0]
    union = shapely.union_all(g[suspects])
    closed = shapely.buffer(shapely.buffer(union, 1.0, join_style="mitre"), -1.0, join_style="mitre")
    holes = shapely.get_parts(shapely.difference(closed, union))  # narrow spaces, enclosed or not
    holes = holes[shapely.area(holes) > 1.0]
    hole_of, parcel_of = tree.query(holes, predicate="dwithin", distance=0.01)
    gaps = [sorted(set(ids[parcel_of[hole_of == k]])) for k in range(len(holes))]
    zone = fabric.zone
    shapely.prepare(zone)
    out = np.flatnonzero(~shapely.covers(zone, g))
    out = out[shapely.area(shapely.difference(g[out], zone)) > 1.0]
    return {
        "seconds": time.perf_counter() - t0,
        "invalid": sorted(fabric.parcels.index[~valid]),
        "overlap_pairs": [sorted([ids[i], ids[j]]) for i, j in pairs],
        "gaps": gaps,
        "outside": sorted(ids[out]),
    }


def check(result: dict, fabric) -> list[str]:
    """Say which planted problems were missed and which findings were not planted."""
    planted = fabric.planted
    issues = []
    overlapping = planted["overlap"] | planted["duplicate"] | planted["contained"] | planted["merged"]
    involved = {i for pair in result["overlap_pairs"] for i in pair}
    if missed := overlapping - involved:
        issues.append(f"missed {len(missed)} overlapping parcels, e.g. {sorted(missed)[:3]}")
    if stray := [pair for pair in result["overlap_pairs"] if not set(pair) & overlapping]:
        issues.append(f"{len(stray)} overlaps not planted, e.g. {stray[:2]}")
    if set(result["invalid"]) != planted["bow_tie"]:
        issues.append("invalid geometries differ from the planted bow-ties")
    if set(result["outside"]) != planted["outside"]:
        issues.append("parcels outside the zone differ from the planted ones")
    if result["gaps"] is None:
        issues.append("no gap check")
    else:
        found = [frozenset(x) for x in result["gaps"]]
        if missed := [sorted(p) for p in fabric.gaps if not any(p <= f for f in found)]:
            issues.append(f"missed {len(missed)} gaps, e.g. {missed[:2]}")
        if stray := [sorted(f) for f in found if not any(p <= f for p in fabric.gaps)]:
            issues.append(f"{len(stray)} gaps not planted, e.g. {stray[:2]}")
    return issues


def child(side: str, n: int, kind: str) -> None:
    from benchmarks.fabric import make_fabric

    fabric = make_fabric(n, kind=kind)
    result = {"landkit": run_landkit, "overlay": run_overlay, "vectorised": run_vectorised}[side](fabric)
    result["issues"] = check(result, fabric)
    result["peak_mb"] = _peak_mb()
    result["n"] = len(fabric.parcels)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of parcels (10000, 100000, 1000000)")
    parser.add_argument("--kinds", nargs="+", default=["matched", "jittered", "digitised"])
    parser.add_argument("--sides", nargs="+", default=list(SIDES), choices=SIDES)
    parser.add_argument("--repeat", type=int, default=1, help="runs per side, alternating; the median is shown")
    parser.add_argument("--child", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.n, args.kind)
        return
    summary = []
    print("| fabric | side | median s | peak MB | found |")
    print("| --- | --- | --- | --- | --- |")
    for kind in args.kinds:
        runs: dict[str, list[dict]] = {side: [] for side in args.sides}
        for round_ in range(args.repeat):
            for side in args.sides if round_ % 2 == 0 else args.sides[::-1]:
                print(f"{kind}: {side}, run {round_ + 1} of {args.repeat} …", file=sys.stderr, flush=True)
                cmd = [sys.executable, __file__, "--n", str(args.n), "--child", side, "--kind", kind]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True)
                runs[side].append(json.loads(out.stdout.strip().splitlines()[-1]))
        medians = {side: statistics.median(r["seconds"] for r in rs) for side, rs in runs.items()}
        for side, rs in runs.items():
            r = rs[-1]
            found = "every planted problem, nothing else" if not r["issues"] else "; ".join(r["issues"])
            if r.get("digitising_overlaps"):
                found += f" (and {r['digitising_overlaps']} digitising overlaps)"
            print(f"| {kind} | {side} | {medians[side]:.2f} | {max(x['peak_mb'] for x in rs):,.0f} | {found} |")
        baselines = [s for s in runs if s != "landkit"]
        correct = [s for s in baselines if not runs[s][-1]["issues"]] or baselines
        if "landkit" in runs and correct:
            best = min(correct, key=medians.__getitem__)
            n = runs["landkit"][-1]["n"]
            summary.append(
                f"n={n} fabric={kind} landkit_s={medians['landkit']:.2f} best_baseline_s={medians[best]:.2f} "
                f"best_baseline={best} ratio={medians[best] / medians['landkit']:.2f}"
            )
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
