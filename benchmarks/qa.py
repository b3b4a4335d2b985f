"""Time landkit's full parcel QA against the plain geopandas way, on a synthetic fabric.

    python benchmarks/qa.py --n 100000

Each side runs in its own process (so peak memory is its own) on the same fabric: validation,
ellipsoidal areas, overlaps (duplicates and contained parcels included), gaps and containment.
Both must find every planted problem. The last line is machine-readable:
speedup_vs_geopandas=<ratio> landkit_s=<s> baseline_s=<s> peak_mb=<mb> n=<parcels>
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _involved(ids_column) -> set[str]:
    return {i for ids in ids_column for i in ids}


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
    over = topology.overlaps(p)
    gaps = topology.gaps(p, within=fabric.zone)
    outside = topology.outside(p, fabric.zone)
    elapsed = time.perf_counter() - t0
    return {
        "seconds": elapsed,
        "areas_seconds": t_area,
        "schema_problems": len(problems),
        "area_nan": int(areas.isna().sum()),
        "invalid": sorted(_involved(invalid["ids"])),
        "overlap_pairs": [sorted(x) for x in over["ids"]],
        "gaps": len(gaps),
        "outside": sorted(_involved(outside["ids"])),
    }


def run_baseline(fabric) -> dict:
    import geopandas as gpd
    import numpy as np

    p = fabric.parcels.reset_index()
    t0 = time.perf_counter()
    valid = p.is_valid
    invalid = set(p.loc[~valid, "parcel_id"])
    areas = p.to_crs("EPSG:4547").area  # what a user would write: planar, in the zone
    good = p[valid]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pairs = gpd.overlay(good, good, how="intersection", keep_geom_type=True)
    pairs = pairs[pairs["parcel_id_1"] < pairs["parcel_id_2"]]
    pairs = pairs[pairs.area > 1.0]
    zone = gpd.GeoSeries([fabric.zone], crs=p.crs)
    outside_area = good.difference(zone.iloc[0]).area
    outside = set(good.loc[outside_area > 1.0, "parcel_id"])
    elapsed = time.perf_counter() - t0
    return {
        "seconds": elapsed,
        "invalid": sorted(invalid),
        "overlap_pairs": [sorted(x) for x in pairs[["parcel_id_1", "parcel_id_2"]].to_numpy().tolist()],
        "outside": sorted(outside),
        "area_sum": float(np.nansum(areas)),
    }


def check(result: dict, planted: dict) -> list[str]:
    """Say which planted problems were missed and which findings were not planted."""
    issues = []
    overlapping = planted["overlap"] | planted["duplicate"] | planted["contained"]
    involved = {i for pair in result["overlap_pairs"] for i in pair}
    if missed := overlapping - involved:
        issues.append(f"missed overlaps: {sorted(missed)[:5]}")
    if stray := [pair for pair in result["overlap_pairs"] if not set(pair) & overlapping]:
        issues.append(f"overlaps not planted: {stray[:5]}")
    if set(result["invalid"]) != planted["bow_tie"]:
        issues.append("invalid geometries differ from the planted bow-ties")
    if set(result["outside"]) != planted["outside"]:
        issues.append("parcels outside the zone differ from the planted ones")
    if result.get("gaps"):
        issues.append(f"{result['gaps']} gaps where none were planted")
    return issues


def child(side: str, n: int) -> None:
    from benchmarks.fabric import make_fabric

    fabric = make_fabric(n)
    result = (run_landkit if side == "landkit" else run_baseline)(fabric)
    result["issues"] = check(result, fabric.planted)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["n"] = len(fabric.parcels)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of parcels (10000, 100000, 1000000)")
    parser.add_argument("--child", choices=["landkit", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.n)
        return
    results = {}
    for side in ("landkit", "baseline"):
        print(f"running {side} on {args.n:,} parcels ...", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--n", str(args.n), "--child", side], capture_output=True, text=True, check=True
        )
        results[side] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[side]
        found = "every planted problem found, nothing else" if not r["issues"] else "; ".join(r["issues"])
        print(f"{side:9s} {r['seconds']:8.2f} s  peak {r['peak_mb']:8.0f} MB  {found}")
    lk, base = results["landkit"], results["baseline"]
    print(f"landkit ellipsoidal areas alone: {lk['areas_seconds']:.2f} s")
    print(
        f"speedup_vs_geopandas={base['seconds'] / lk['seconds']:.2f} landkit_s={lk['seconds']:.2f} "
        f"baseline_s={base['seconds']:.2f} peak_mb={lk['peak_mb']:.0f} n={lk['n']}"
    )
    if lk["issues"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
