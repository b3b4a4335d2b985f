"""Open a saved map in headless Chromium (Debian's package) with the network cut off.

Used by the browser tests and the map benchmark. Every request that is not the map file
itself is recorded and aborted; console errors, page errors and dialogs (an XSS payload's
``alert``) are recorded too.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("LANDKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip

FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"


@dataclass
class Visit:
    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    wall_seconds: float = 0.0
    all_drawn_seconds: float = 0.0


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: apt-get install chromium (CI's .ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def visit(b, path: Path, *, width: int = 1400, height: int = 1000) -> Visit:
    """Open ``path`` from file://; time the first frame (interactive) and the last chunk drawn."""
    page = b.new_page(viewport={"width": width, "height": height})
    url = Path(path).resolve().as_uri()
    v = Visit(page)

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            v.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: v.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: v.errors.append(str(exc)))

    def on_dialog(d):
        v.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    start = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function(f"typeof L !== 'undefined' && {FIND_MAP} !== undefined", timeout=120_000)
    # times from navigation start, as the page measures them: when the map script has run and
    # the map answers the mouse (landkitInteractive), and when the last chunk of features is in
    page.wait_for_function("window.landkitInteractive !== undefined && window.landkitPending === 0", timeout=300_000)
    v.seconds = page.evaluate("() => window.landkitInteractive") / 1000
    v.all_drawn_seconds = (
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
        )
        / 1000
    )
    v.wall_seconds = time.perf_counter() - start
    return v


def overlay_names(page) -> list[str]:
    """The overlay layers' names as the layer control shows them."""
    return page.eval_on_selector_all(
        ".leaflet-control-layers-overlays label > span > span", "els => els.map(e => e.textContent.trim())"
    )


def hover_feature(page, key: str, value: str) -> str:
    """Move the mouse onto the feature whose property ``key`` is ``value``; return the tooltip text."""
    box = page.evaluate(
        f"""([key, value]) => {{
        const map = {FIND_MAP};
        let found = null;
        map.eachLayer(l => {{ if (l.feature && l.feature.properties[key] === value) found = l; }});
        if (!found) return null;
        map.fitBounds(found.getBounds(), {{maxZoom: 17}});
        return true;
    }}""",
        [key, value],
    )
    if box is None:
        raise LookupError(f"no feature with {key} = {value!r}")
    page.wait_for_timeout(300)
    x, y = page.evaluate(
        f"""([key, value]) => {{
        const map = {FIND_MAP};
        let found = null;
        map.eachLayer(l => {{ if (l.feature && l.feature.properties[key] === value) found = l; }});
        const p = map.latLngToContainerPoint(found.getCenter ? found.getCenter() : found.getBounds().getCenter());
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }}""",
        [key, value],
    )
    page.mouse.move(x, y)
    page.mouse.move(x + 1, y + 1)
    page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    return page.inner_text(".leaflet-tooltip")
