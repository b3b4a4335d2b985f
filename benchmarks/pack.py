"""Time the meeting pack against the audit it is built on, on the bundled sample, in the same run.

    python benchmarks/pack.py [--repeat 3]

Each command runs as a whole process, as a planner runs it, on a copy of the sample in a
temporary folder: ``landkit audit COPY --quiet`` and ``landkit report COPY -o pack`` (the pack:
maps, the paper map, the workbook, the QGIS project, 本月变化). The goal (issue 26): the pack
costs about one audit plus drawing, ``report`` ≤ 3 × ``audit``. The last line is machine-readable:
``what=report_vs_audit audit_s=… report_s=… ratio=…`` (medians).
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


def _time(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "landkit", *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    took = time.perf_counter() - start
    # 1: the audit found an error, as it does on the sample; a traceback is no result
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise SystemExit(f"landkit {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return took


def main() -> None:
    import landkit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    audits, reports = [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copy(landkit.SAMPLE_PATH, folder / "lushan.gpkg")
        for i in range(repeat):  # interleaved, so that a busy machine slows both alike
            audits.append(_time(["audit", "lushan.gpkg", "--quiet"], folder))
            reports.append(_time(["report", "lushan.gpkg", "-o", f"pack{i}"], folder))
            if not (folder / f"pack{i}" / "index.html").is_file():
                raise SystemExit("landkit report wrote no pack")
            print(f"run {i + 1}: audit {audits[-1]:.1f} s, report {reports[-1]:.1f} s", flush=True)
    audit_s, report_s = statistics.median(audits), statistics.median(reports)
    print(f"what=report_vs_audit audit_s={audit_s:.2f} report_s={report_s:.2f} ratio={report_s / audit_s:.2f}")


if __name__ == "__main__":
    main()
