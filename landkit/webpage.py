"""The page around a map: the one legend, north arrow, scale bar, title block and credits, and the
self-contained HTML page a map is saved as (Leaflet inlined, no request).

:mod:`landkit.maps` draws the layers onto a ``folium.Map``; this module gives a map its furniture
(:func:`finish`, the title block and credit templates), renders it as one offline page
(:func:`to_html`, :func:`save_map`: Leaflet from the ``django-js-lib-leaflet`` package, BSD-2, its
images as data URIs) and says what it holds (:func:`describe`, :func:`legend_entries`).
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import os
import re
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .palette import EDGE, words


def folium_module():
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a dependency
        raise ImportError("maps need folium: pip install folium") from exc
    return folium


def escape(text: object) -> str:
    """Text as HTML that shows it as it is, and that no template reads as code: branca renders
    each part of a map, then compiles what it rendered as a Jinja template once more, so a value
    such as ``{{ … }}`` would be run (as Python, on the planner's PC); its braces go in as
    character references, which a page shows as braces."""
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def esc(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:,.2f}"  # every number shown is rounded: no 45.865365000000004
    return escape(value)


def _swatch(colour: str, kind: str) -> str:
    """A legend key drawn as the layer is: a filled box, an outline, a dashed outline or a line."""
    box = "display:inline-block;flex:none;box-sizing:border-box;width:18px;height:13px"
    style = {
        "fill": f"{box};background:{colour};border:1px solid {EDGE}",
        "outline": f"{box};background:{colour}26;border:2px solid {colour}",
        "dashed": f"{box};background:{colour}33;border:2px dashed {colour}",
        "line": f"{box};height:0;border-top:4px solid {colour}",
        "dashed-line": f"{box};height:0;border-top:3px dashed {colour}",
    }[kind]
    return f'<span class="landkit-swatch" data-colour="{colour}" style="{style}"></span>'


def legend(m, group, rows: list[tuple[str, str, str]], title: str | None = None) -> None:
    """Give ``group`` its section of the map's one legend: (label, colour, swatch kind) rows.

    The section shows while its layer is on. A section of one row is that row, named after
    the layer; a longer one has the layer's name as its heading.
    """
    m.__dict__.setdefault("_landkit_legend", []).append((group, title, rows))


def legend_entries(m) -> list[tuple[str, str, str]]:
    """What a map's legend says: (section, label, colour) for every row, in order."""
    return [
        (title or label, label, colour)
        for _, title, rows in getattr(m, "_landkit_legend", [])
        for label, colour, _ in rows
    ]


_FURNITURE = """{% macro header(this, kwargs) %}<style>
.landkit-legend {box-sizing:border-box;background:#fff;padding:6px 10px;border-radius:4px;
  box-shadow:0 1px 5px rgba(0,0,0,.4);font:13px/1.4 sans-serif;color:#222;overflow-y:auto;max-width:300px}
.landkit-legend-heading {font-weight:bold;margin-top:4px}
.landkit-legend-row {display:flex;align-items:center;gap:6px;white-space:nowrap}
.landkit-north {background:#fff;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.4);padding:2px 6px;
  text-align:center;font:bold 14px/1.1 sans-serif;color:#222}
.leaflet-control-scale-line {font-size:13px}
.leaflet-control-layers {font-size:13px}
.leaflet-control-attribution {font-size:12px}
.landkit-label-text {position:absolute;transform:translate(-50%,-50%);white-space:nowrap;text-align:center;
  font:13px/1.3 sans-serif;color:#111;background:rgba(255,255,255,.85);border:1px solid #888;border-radius:3px;
  padding:1px 5px;pointer-events:none}
</style>{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  var north = L.control({position: "bottomleft"});
  north.onAdd = function() {
    var div = L.DomUtil.create("div", "landkit-north");
    div.innerHTML = {{ this.north|tojson }};
    return div;
  };
  north.addTo(map);
  var sections = [{% for layer, name, content in this.sections %}
    {layer: {{ layer }}, name: {{ name|tojson }}, html: {{ content|tojson }}},{% endfor %}
  ];
  var legend = L.control({position: "topright"}), div = L.DomUtil.create("div", "landkit-legend");
  legend.onAdd = function() { return div; };
  div.setAttribute("aria-label", {{ this.heading|tojson }});
  L.DomEvent.disableClickPropagation(div);
  L.DomEvent.disableScrollPropagation(div);
  sections.forEach(function(s) {
    s.el = L.DomUtil.create("div", "landkit-legend-section", div);
    s.el.setAttribute("data-layer", s.name);
    s.el.innerHTML = s.html;
  });
  if (sections.length) { legend.addTo(map); }
  function update() {
    var any = false;
    sections.forEach(function(s) {
      var on = map.hasLayer(s.layer);
      s.el.style.display = on ? "" : "none";
      any = any || on;
    });
    div.style.display = any ? "" : "none";
    var box = map.getContainer(), left = 0, bottom = box.getBoundingClientRect().bottom;
    // the credits wrap beside the north arrow and scale bar, not over them
    box.querySelectorAll(".leaflet-bottom.leaflet-left .leaflet-control").forEach(function(c) {
      left = Math.max(left, c.getBoundingClientRect().right - box.getBoundingClientRect().left);
    });
    box.querySelectorAll(".leaflet-control-attribution").forEach(function(c) {
      c.style.maxWidth = Math.max(120, map.getSize().x - left - 20) + "px";
    });
    // the legend scrolls rather than reach the credits (or anything else) in the bottom-right corner
    box.querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-control").forEach(function(c) {
      bottom = Math.min(bottom, c.getBoundingClientRect().top);
    });
    div.style.maxHeight = Math.max(48, bottom - div.getBoundingClientRect().top - 10) + "px";
  }
  map.on("overlayadd overlayremove resize", update);
  update();
})();
{% endmacro %}"""


def macro(name: str, template: str, **attrs) -> Any:
    """A branca element rendering ``template`` (its ``this`` has ``attrs``); branca comes with folium."""
    from branca.element import MacroElement, Template

    element = MacroElement()
    element._name = name
    element._template = Template(template)
    element.__dict__.update(attrs)
    return element


def _furniture(sections, lang: str):
    """The map's one legend (top right, under the layer control), north arrow and metric scale.

    The legend scrolls when it would reach the controls of the bottom-right corner; its
    sections follow the layer control.
    """
    w = words(lang)
    heading = w("legend")
    arrow = (
        '<svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true">'
        '<path d="M8 0 L16 20 L8 15 L0 20 Z" fill="#222"/></svg>'
    )
    north = f"{arrow}<div>{escape(w('north'))}</div>"
    shown = []
    for group, title, rows in sections:
        body = "".join(
            f'<div class="landkit-legend-row">{_swatch(colour, kind)}<span>{escape(label)}</span></div>'
            for label, colour, kind in rows
        )
        if title is not None:
            body = f'<div class="landkit-legend-heading">{escape(title)}</div>{body}'
        name = html.unescape(group.layer_name.replace("&#123;", "&amp;#123;").replace("&#125;", "&amp;#125;"))
        shown.append((group.get_name(), name, body))  # the layer's name as text, its braces kept as references
    return macro("LandkitFurniture", _FURNITURE, heading=heading, north=north, sections=shown)


#: The title block, a Leaflet control at the top left, above the zoom buttons.
TITLE = """{% macro html(this, kwargs) %}<div id="landkit-title" class="landkit-title" style="background:white;
padding:6px 10px;border-radius:4px;font:13px/1.4 sans-serif;box-shadow:0 1px 5px rgba(0,0,0,.4);max-width:560px">
{{ this.block }}</div>{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
  var title = L.control({position: "topleft"});
  title.onAdd = function() { return document.getElementById("landkit-title"); };
  title.addTo({{ this._parent.get_name() }});
  var c = title.getContainer();
  c.parentNode.insertBefore(c, c.parentNode.firstChild);
})();
{% endmacro %}"""
CREDIT_SCRIPT = (  # rendered after the map, so the map exists
    "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.attributionControl"
    ".addAttribution({{ this.text|tojson }});{% endmacro %}"
)


def finish(m, lang: str):
    """The layer control, then the one legend under it, the north arrow and the metric scale bar."""
    folium = folium_module()
    for key, child in list(m._children.items()):  # a map drawn on again gets one set, at the end
        if isinstance(child, folium.LayerControl) or getattr(child, "_name", "") == "LandkitFurniture":
            del m._children[key]
    folium.LayerControl(collapsed=False).add_to(m)
    m.add_child(_furniture(getattr(m, "_landkit_legend", []), lang))
    return m


@functools.cache
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed package, with its images inlined as data URIs (read
    once per process: every map of a pack inlines the same files)."""
    root = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = (root / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        data = base64.b64encode((root / "images" / match.group(1)).read_bytes()).decode()
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return js, css


# Adds features a chunk per frame, the first at once; window.landkitPending counts layers still
# being filled, window.landkitInteractive is when the map script finished and the map responds.
_CHUNKED_ADD = """
window.landkitPending = 0;
function landkitAdd(layer, data) {
  var features = data.features, i = 0, chunk = 1000;
  window.landkitPending++;
  (function step() {
    layer.addData({type: "FeatureCollection", features: features.slice(i, i + chunk)});
    i += chunk;
    if (i < features.length) { requestAnimationFrame(step); } else { window.landkitPending--; }
  })();
  window.landkitInteractive = performance.now();  // the map answers the mouse between chunks
}
"""

CREDIT = "Leaflet (BSD-2)"
#: The code inlined into every page; the data's own credits come from the project (``project_info``).
LICENCES = (
    "Leaflet 1.9.4 © Volodymyr Agafonkin, CloudMade, BSD-2-Clause (inlined from the django-js-lib-leaflet package)"
)


def _text(text: str) -> Any:
    """A branca element that renders as ``text``, as it is: branca's own ``Element(text)`` compiles
    its text as a Jinja template first (150 KB of Leaflet, for nothing)."""
    from branca.element import Element

    class Text(Element):
        def render(self, **kwargs) -> str:
            return text

    return Text()


def to_html(m) -> str:
    """Render a map as one self-contained HTML page: Leaflet inlined, no CDN, no request."""
    m.default_js, m.default_css = [], []
    js, css = _leaflet_assets()
    root = m.get_root()
    root.header.add_child(
        _text(f"<style>{css}</style>\n<script>{js}</script>\n<script>{_CHUNKED_ADD}</script>"),
        name="leaflet_inline",
        index=0,
    )
    root.html.add_child(_text(f"<!-- {html.escape(LICENCES)} -->"), name="licences")
    # GeoJSON goes in as JSON.parse of a string (faster to parse than a JS object literal) and
    # is added in chunks between frames, so a big map can be panned while its parcels appear.
    page = re.sub(
        r"(geo_json_\w+)_add\((\{.*?\})\);\n",
        lambda g: f"landkitAdd({g.group(1)}, JSON.parse({json.dumps(g.group(2))}));\n",
        root.render(),
    )
    page = re.sub(r"<head[^>]*>", lambda h: h.group(0) + '\n<meta name="generator" content="landkit">', page, count=1)
    remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"', page)
    if remote:
        raise RuntimeError(f"the map still loads {remote[0]}; every asset must be inlined")
    return page


def save_map(m, path) -> os.PathLike:
    """Write a map as one self-contained HTML file, atomically."""
    from .io import write_text

    return write_text(to_html(m), path)


def describe(m) -> dict:
    """Return what a map holds, for tests and logs: layer names and feature counts."""
    out = {}
    for child in m._children.values():
        if type(child).__name__ == "FeatureGroup":
            for g in child._children.values():
                if type(g).__name__ == "GeoJson":
                    out[html.unescape(child.layer_name)] = len(g.data["features"])
    return out
