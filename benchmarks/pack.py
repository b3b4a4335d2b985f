"""Time the meeting pack against the audit it is built on, on the bundled sample, in the same run.

    python benchmarks/pack.py [--repeat 3]

Each command runs as a whole process, as a planner runs it, on a copy of the sample in a
temporary folder: ``landkit audit COPY --quiet`` and ``landkit report COPY -o pack`` (the pack:
maps, the paper map, the workbook, the QGIS project, 本月变化), landkit's modules compiled first
(as ``pip install`` compiles them). The goal (issue 26): the pack
costs about one audit plus drawing, ``report`` ≤ 3 × ``audit``. The last line is machine-readable:
``what=report_vs_audit audit_s=… report_s=… ratio=…`` (medians of the wall-clock times), then the
processes' CPU times (user + system, medians) and their ratio, ``audit_cpu_s=… report_cpu_s=…
cpu_ratio=…``: on a machine other jobs load, the CPU times move less than the wall-clock ones
(``os.times`` gives no child CPU time on Windows: there they print as ``nan``).
"""

from __future__ import annotations

import argparse
import compileall
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


def _cpu() -> float:
    """CPU seconds (user + system) of the child processes that have ended."""
    t = os.times()
    return t.children_user + t.children_system


def _time(args: list[str], cwd: Path, cpu: list[float]) -> float:
    start, used = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-m", "landkit", *args], cwd=cwd, capture_output=True, text=True, env=ENV)
    took = time.perf_counter() - start
    cpu.append(_cpu() - used if sys.platform != "win32" else float("nan"))
    # 1: the audit found an error, as it does on the sample; a traceback is no result
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise SystemExit(f"landkit {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return took


def main() -> None:
    import landkit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    # landkit's modules compiled, as pip compiles them when it installs landkit: each process then
    # reads them as a planner's does (with PYTHONDONTWRITEBYTECODE set, as on the 2-core machine,
    # every process would otherwise compile the modules it imports again: about 0.3 s for all)
    compileall.compile_dir(ROOT / "landkit", quiet=1)
    audits, reports, audit_cpu, report_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copy(landkit.SAMPLE_PATH, folder / "lushan.gpkg")
        for i in range(repeat):  # interleaved, so that a busy machine slows both alike
            audits.append(_time(["audit", "lushan.gpkg", "--quiet"], folder, audit_cpu))
            reports.append(_time(["report", "lushan.gpkg", "-o", f"pack{i}"], folder, report_cpu))
            if not (folder / f"pack{i}" / "index.html").is_file():
                raise SystemExit("landkit report wrote no pack")
            print(
                f"run {i + 1}: audit {audits[-1]:.1f} s ({audit_cpu[-1]:.1f} s CPU), "
                f"report {reports[-1]:.1f} s ({report_cpu[-1]:.1f} s CPU)",
                flush=True,
            )
    audit_s, report_s = statistics.median(audits), statistics.median(reports)
    audit_c, report_c = statistics.median(audit_cpu), statistics.median(report_cpu)
    print(
        f"what=report_vs_audit audit_s={audit_s:.2f} report_s={report_s:.2f} ratio={report_s / audit_s:.2f} "
        f"audit_cpu_s={audit_c:.2f} report_cpu_s={report_c:.2f} cpu_ratio={report_c / audit_c:.2f}"
    )


if __name__ == "__main__":
    main()
