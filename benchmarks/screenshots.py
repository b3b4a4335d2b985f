"""Regenerate the README's pictures from the sample: the pack's index, the zone map, the paper map
and the A3 layout as QGIS itself exports it from the pack's project.

    python benchmarks/screenshots.py          # writes maps/index.png, zone-map.png, print-A3.png, qgis-A3.png

The pack is built in a temporary folder (nothing else is written into the checkout); the pages
are opened in headless Chromium with the network cut off, as the browser tests do, at 1280×720
(a meeting-room projector); the PDF is rendered with pdfium; the QGIS layout is exported by
QGIS (Debian's ``python3-qgis``, offscreen) from ``project.qgz``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _only(inside: str):
    """A route handler that lets the pack's own files through and cuts off the network."""

    def allow(route):
        return route.continue_() if route.request.url.startswith(inside) else route.abort()

    return allow


def main() -> None:
    import pypdfium2 as pdfium
    from click.testing import CliRunner

    import landkit
    from benchmarks.browser import ARGS, CHROMIUM
    from landkit.cli import main as cli

    out = ROOT / "maps"
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "pack"
        result = CliRunner().invoke(cli, ["report", str(landkit.SAMPLE_PATH), "-o", str(pack)])
        assert result.exit_code == 0, result.output
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for name, shot, full in (("index.html", "index.png", True), ("zone.html", "zone-map.png", False)):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.route("**/*", _only(pack.resolve().as_uri()))
                page.goto((pack / name).resolve().as_uri())
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / shot), full_page=full)
                print("wrote", out / shot)
            browser.close()
        pdf = pdfium.PdfDocument(str(pack / "zone-A3.pdf"))
        pdf[0].render(scale=1.2).to_pil().save(out / "print-A3.png")
        print("wrote", out / "print-A3.png")
        _qgis_layout(pack / "project.qgz", out / "qgis-A3.png")


_EXPORT = """
import os, sys
from qgis.core import QgsApplication, QgsLayoutExporter, QgsProject
app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()
assert project.read(sys.argv[1]), "the project does not open"
layout = next(l for l in project.layoutManager().layouts() if l.name().endswith(" A3"))
settings = QgsLayoutExporter.ImageExportSettings()
settings.dpi = 110
result = QgsLayoutExporter(layout).exportToImage(sys.argv[2], settings)
print("exported" if result == QgsLayoutExporter.Success else f"failed: {result}", flush=True)
os._exit(0 if result == QgsLayoutExporter.Success else 1)
"""


def _qgis_layout(project: Path, png: Path) -> None:
    """The project's A3 layout as QGIS exports it (the system Python's QGIS, offscreen)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""}
    done = subprocess.run(
        ["/usr/bin/python3", "-c", _EXPORT, str(project), str(png)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"QGIS could not export the layout: {done.stdout[-500:]} {done.stderr[-1500:]}")
    print("wrote", png)


if __name__ == "__main__":
    main()
