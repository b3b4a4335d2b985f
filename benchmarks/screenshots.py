"""Regenerate the README's pictures from the sample: the pack's index, the zone map and the paper map.

    python benchmarks/screenshots.py          # writes maps/index.png, maps/zone-map.png, maps/print-A3.png

The pack is built in a temporary folder (nothing else is written into the checkout); the pages
are opened in headless Chromium with the network cut off, as the browser tests do, at 1280×720
(a meeting-room projector); the PDF is rendered with pdfium.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    main()
