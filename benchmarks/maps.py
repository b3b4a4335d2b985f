"""Measure the meeting maps: file size, opening time and tooltip response in headless Chromium.

    python benchmarks/maps.py                 # the three sample maps, 10k and 100k parcels
    python benchmarks/maps.py --screenshot maps/zone-map.png   # also regenerate the README image

Maps are built with landkit, opened from file:// with the network cut off (benchmarks/browser.py),
and timed from navigation until Leaflet has drawn; then the mouse is moved onto a parcel and the
time until its tooltip shows is measured. Baseline: geopandas ``explore()`` of the same parcels
(CDN assets, so it is only sized here; it cannot open offline).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geopandas as gpd

import landkit
from benchmarks.browser import browser, hover_feature, visit
from benchmarks.fabric import make_fabric
from landkit import maps


def synthetic_layers(n: int) -> dict:
    fabric = make_fabric(n)
    zone = gpd.GeoDataFrame(
        {"version": [1], "name": ["synthetic"], "stated_area_km2": [0.0]}, geometry=[fabric.zone], crs="EPSG:4547"
    )
    return {"planning_zones": zone, "parcels": fabric.parcels}


def measure(b, label: str, path: Path, parcel_id: str, baseline_mb: float | None = None) -> None:
    v = visit(b, path)
    t = time.perf_counter()
    hover_feature(v.page, "a", parcel_id)
    tooltip = time.perf_counter() - t
    ok = "ok" if not (v.requests or v.errors) else f"requests {v.requests[:2]} errors {v.errors[:2]}"
    base = f"  explore(): {baseline_mb:6.1f} MB" if baseline_mb else ""
    mb = path.stat().st_size / 1e6
    print(
        f"{label:28s} {mb:6.2f} MB  interactive {v.seconds:5.2f} s  all drawn {v.all_drawn_seconds:5.2f} s  "
        f"tooltip {tooltip:5.2f} s  {ok}{base}",
        flush=True,
    )
    v.page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="synthetic parcel counts")
    parser.add_argument("--screenshot", type=Path, help="write a PNG of the sample zone map here")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="landkit-maps-"))
    layers = landkit.read_project(landkit.SAMPLE_PATH)
    with browser() as b:
        zone = maps.save_map(maps.zone_map(layers), out / "zone.html")
        measure(b, "sample zone map", zone, "CB00648")
        for cid in layers["communities"].index:
            path = maps.save_map(maps.community_map(layers, cid), out / f"community-{cid}.html")
            v = visit(b, path)
            print(f"{'sample community ' + cid:28s} {path.stat().st_size / 1e6:6.2f} MB  open {v.seconds:5.2f} s")
            v.page.close()
        for n in (int(x) for x in args.sizes.split(",")):
            synth = synthetic_layers(n)
            t = time.perf_counter()
            path = maps.save_map(maps.zone_map(synth), out / f"synthetic-{n}.html")
            built = time.perf_counter() - t
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                explore = out / f"explore-{n}.html"
                synth["parcels"].explore().save(explore)
            measure(b, f"{n:,} parcels (built {built:.0f} s)", path, "B0000042", explore.stat().st_size / 1e6)
        if args.screenshot:
            v = visit(b, zone)
            v.page.wait_for_timeout(500)
            v.page.screenshot(path=str(args.screenshot))
            print(f"wrote {args.screenshot}")


if __name__ == "__main__":
    main()
