"""Time ``landkit info`` on the sample and on a copy with 400 extra layers, in the same run.

    python benchmarks/info.py [--repeat 3] [--layers 400]

Each run is a whole ``landkit info`` process of this checkout, as a planner runs it. The copy holds
the sample plus ``--layers`` small layers (five of the sample's parcels each, as GDAL writes
them). The goal (issue 27): linear in layers, the copy's ``info`` ≤ 4 × the sample's. The last
line is machine-readable: ``what=info_layers sample_s=… layers_s=… ratio=…`` (medians).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the processes import this checkout's landkit, not whichever one is installed
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _time(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "landkit", *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise SystemExit(f"landkit {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return took, done.stdout


def add_layers(path: Path, count: int) -> None:
    """``count`` small layers (five parcels each) added to the GeoPackage at ``path``, by GDAL."""
    import pyogrio

    parcels = pyogrio.read_dataframe(path, layer="parcels").head(5)[["parcel_id", "geometry"]]
    for i in range(count):
        pyogrio.write_dataframe(parcels, path, layer=f"extra_{i:03d}")


def main() -> None:
    import landkit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layers", type=int, default=400)
    options = parser.parse_args()
    plain, many = [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copy(landkit.SAMPLE_PATH, folder / "lushan.gpkg")
        shutil.copy(landkit.SAMPLE_PATH, folder / "layers.gpkg")
        start = time.perf_counter()
        add_layers(folder / "layers.gpkg", options.layers)
        print(f"{options.layers} layers added in {time.perf_counter() - start:.1f} s", flush=True)
        for i in range(options.repeat):  # interleaved, so that a busy machine slows both alike
            took, _ = _time(["info", "lushan.gpkg"], folder)
            plain.append(took)
            took, out = _time(["info", "layers.gpkg"], folder)
            many.append(took)
            if f"extra_{options.layers - 1:03d}" not in out:
                raise SystemExit("landkit info did not list the extra layers")
            print(f"run {i + 1}: sample {plain[-1]:.2f} s, +{options.layers} layers {many[-1]:.2f} s", flush=True)
    sample_s, layers_s = statistics.median(plain), statistics.median(many)
    print(f"what=info_layers sample_s={sample_s:.2f} layers_s={layers_s:.2f} ratio={layers_s / sample_s:.2f}")


if __name__ == "__main__":
    main()
