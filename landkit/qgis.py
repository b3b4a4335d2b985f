"""Open a project in QGIS and see what the meeting maps show: styles in the file, and a project file.

:func:`write_styles` stores a QGIS style (QML) for every map layer in the GeoPackage's own
``layer_styles`` table, the table QGIS reads and writes itself, as the layer's default: so
whoever adds ``parcels`` to QGIS sees the statuses in the palette of the HTML maps
(:data:`landkit.palette.STATUS_COLOURS`) with their Chinese names. Only landkit's own rows (style
name ``landkit``) are ever written or replaced, in one transaction inside the file; a style
the user saved is never touched and stays the default when it is one.

:func:`write_project` writes a QGIS project (``.qgz``) that opens the GeoPackage by a relative
path, its layers grouped (底图, 规划, 储备, 搬迁), in the layers' CRS, with areas and lengths
measured on the CGCS2000 ellipsoid (QGIS's ``EPSG:1024``), like landkit's own. The meeting
pack's opens a snapshot of the project beside it instead (:func:`project_files` with
``snapshot``), so that its folder opens in QGIS on another PC. Coded columns (statuses) are
value maps: QGIS's attribute tables and forms show their Chinese names.

Both build the XML in Python: neither needs QGIS or its Python (the tests check the result in
a real QGIS).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .io import GENERATOR
from .palette import BATCH_COLOURS, EDGE, LAYER_COLOURS, STATUS_COLOURS, ZONE_COLOURS, words
from .schema import PARCEL_STATUSES, RELOCATION_STATUSES, ROAD_STATUSES
from .store import MapSources, qgis_layer_path

__all__ = [
    "CGCS2000_ELLIPSOID",
    "GROUPS",
    "STYLE_NAME",
    "audit_layers",
    "layer_qml",
    "layer_sld",
    "project_files",
    "qgis_layer_path",
    "write_project",
    "write_styles",
]

#: The ``styleName`` of landkit's rows in ``layer_styles``: the only rows landkit writes.
STYLE_NAME = "landkit"
#: QGIS's name for the CGCS2000 ellipsoid (EPSG:1024; EPSG:7019 is GRS 1980, which differs in f).
CGCS2000_ELLIPSOID = "EPSG:1024"
#: The project's layer tree, top to bottom: (group, layers drawn top to bottom).
GROUPS: list[tuple[str, list[str]]] = [
    ("审核", ["findings", "conflicts"]),
    ("三区三线", ["eco_redline", "basic_farmland", "urban_boundary"]),
    ("搬迁", ["communities", "villages"]),
    ("储备", ["parcels", "parcels_history"]),  # the retired parcels under today's, with a time filter
    ("规划", ["facilities", "roads", "planning_zones"]),
    ("底图", ["county"]),
]
_QGIS_VERSION = "3.22.16-Białowieża"  # what the files say they were written for; older and newer QGIS read them
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
_FONT = "Microsoft YaHei"  # on every Chinese Windows; QGIS substitutes a CJK font elsewhere
_W = words("zh")  # QGIS projects and styles are in Chinese: what a planner opens


@dataclass(frozen=True)
class _Style:
    """How one layer is drawn: a fill, outline or line; one colour or categories of a column."""

    title: str
    kind: str  # "fill", "outline" or "line"
    colour: str = ""
    attr: str = ""
    categories: tuple[tuple[object, str, str], ...] = ()  # (value, label, colour)
    opacity: float = 0.6
    width_mm: float = 0.26
    label_field: str = ""
    label_expression: str = ""  # QGIS's label, when more than the field (SLD labels show the field)
    dashed: bool = False
    pens: tuple[str, ...] = ()  # lines: each category's pen ("solid", "dash", "dot")


_ROAD_PENS = {"planned": "dash", "under_construction": "dot", "built": "solid"}  # the colour stays roads'


def _styles() -> dict[str, _Style]:
    """Every styled layer, from the one palette of landkit.maps (the HTML and paper maps')."""
    return {
        "county": _Style(_W("county"), "outline", LAYER_COLOURS["county"], width_mm=0.8),
        "planning_zones": _Style(
            _W("zone"),
            "outline",
            attr="version",
            categories=tuple((v, _W("version", n=v), c) for v, c in ZONE_COLOURS.items()),
            width_mm=0.8,
        ),
        "parcels": _Style(
            _W("parcels"),
            "fill",
            attr="status",
            categories=tuple((s, PARCEL_STATUSES[s], c) for s, c in STATUS_COLOURS.items()),
            width_mm=0.1,
        ),
        "villages": _Style(
            _W("villages"),
            "fill",
            attr="batch",
            categories=tuple((b, _W("batch_n", n=b), c) for b, c in BATCH_COLOURS.items()),
            label_field="name",
            # the name, and under it where the village stands in its move (待搬迁 … 已拆除)
            label_expression="\"name\" || '\\n' || CASE "
            + " ".join(f"WHEN \"relocation_status\" = '{k}' THEN '{v}'" for k, v in RELOCATION_STATUSES.items())
            + " ELSE '' END",
        ),
        "communities": _Style(_W("communities"), "fill", LAYER_COLOURS["communities"], label_field="name"),
        "roads": _Style(
            _W("roads"),
            "line",
            attr="status",
            categories=tuple((k, v, LAYER_COLOURS["roads"]) for k, v in ROAD_STATUSES.items()),
            pens=tuple(_ROAD_PENS.get(k, "solid") for k in ROAD_STATUSES),
            width_mm=0.6,
        ),
        "facilities": _Style(_W("facilities"), "fill", LAYER_COLOURS["facilities"], opacity=0.8),
        "basic_farmland": _Style(_W("basic_farmland"), "fill", LAYER_COLOURS["basic_farmland"], opacity=0.5),
        "eco_redline": _Style(_W("eco_redline"), "fill", LAYER_COLOURS["eco_redline"], opacity=0.5),
        "urban_boundary": _Style(_W("urban_boundary"), "outline", LAYER_COLOURS["urban_boundary"], width_mm=0.8),
        # the parcels a survey retired (landkit.lineage): outlines, shown by QGIS's time filter
        "parcels_history": _Style(_W("parcels_history"), "outline", EDGE, width_mm=0.3, dashed=True),
        # the part of each parcel in conflict with 三区三线, as on zone.html
        "conflicts": _Style(_W("conflicts"), "fill", LAYER_COLOURS["conflicts"], opacity=0.8),
        # as on the HTML maps: a thick dashed outline over the parcels a finding names
        "findings": _Style(_W("findings"), "fill", LAYER_COLOURS["findings"], opacity=0.2, width_mm=0.8, dashed=True),
    }


def _rgba(colour: str, alpha: float = 1.0) -> str:
    """'#c7e9c0' -> '199,233,192,255' (QGIS's colour notation)."""
    h = colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{round(alpha * 255)}"


def _options(parent: ET.Element, props: dict[str, str]) -> None:
    """A symbol layer's properties, both as QGIS ≥ 3.10 writes them (Option) and as older QGIS reads them (prop)."""
    box = ET.SubElement(parent, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(box, "Option", name=k, value=v, type="QString")
    for k, v in props.items():
        ET.SubElement(parent, "prop", k=k, v=v)


def _symbol(name: str, style: _Style, colour: str, pen: str = "solid") -> ET.Element:
    symbol = ET.Element("symbol", type="line" if style.kind == "line" else "fill", name=name, alpha="1")
    symbol.set("clip_to_extent", "1")
    symbol.set("force_rhr", "0")
    if style.kind == "line":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleLine", "enabled": "1", "locked": "0", "pass": "0"})
        props = {"line_color": _rgba(colour), "line_style": pen, "line_width": f"{style.width_mm:g}",
                 "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round"}  # fmt: skip
    else:
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
        outline = style.kind == "outline"
        props = {
            "color": _rgba(colour, 0.0 if outline else style.opacity),
            "style": "no" if outline else "solid",
            "outline_color": _rgba(colour if outline or style.dashed else EDGE),
            "outline_style": "dash" if style.dashed else "solid",
            "outline_width": f"{style.width_mm:g}",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        }
    _options(layer, props)
    return symbol


def _renderer(style: _Style) -> ET.Element:
    if not style.categories:
        renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0")
        renderer.set("enableorderby", "0")
        symbols = ET.SubElement(renderer, "symbols")
        symbols.append(_symbol("0", style, style.colour))
        return renderer
    renderer = ET.Element("renderer-v2", type="categorizedSymbol", attr=style.attr, symbollevels="0")
    renderer.set("forceraster", "0")
    renderer.set("enableorderby", "0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (value, label, colour) in enumerate(style.categories):
        ET.SubElement(categories, "category", value=str(value), label=label, symbol=str(i), render="true")
        symbols.append(_symbol(str(i), style, colour, style.pens[i] if style.pens else "solid"))
    # anything the palette does not know: drawn in its "unknown" colour, labelled as such
    n = len(style.categories)
    ET.SubElement(categories, "category", value="", label=_W("unknown"), symbol=str(n), render="true")
    symbols.append(_symbol(str(n), style, LAYER_COLOURS["unknown"]))
    return renderer


def _labeling(style: _Style) -> ET.Element:
    labeling = ET.Element("labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    field, expression = style.label_expression or style.label_field, "1" if style.label_expression else "0"
    text = ET.SubElement(settings, "text-style", fieldName=field, isExpression=expression, fontFamily=_FONT)
    for k, v in {"fontSize": "10", "fontSizeUnit": "Point", "textColor": "0,0,0,255", "textOpacity": "1",
                 "fontWeight": "75", "namedStyle": "Bold", "allowHtml": "0"}.items():  # fmt: skip
        text.set(k, v)
    buffer = ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="1", bufferSizeUnits="MM")
    buffer.set("bufferColor", "255,255,255,255")
    buffer.set("bufferOpacity", "0.8")
    # 1 = over the centroid, inside the polygon: where the HTML maps put their labels
    ET.SubElement(settings, "placement", placement="1", centroidInside="1", centroidWhole="0", dist="0")
    rendering = ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", displayAll="0")
    rendering.set("upsidedownLabels", "0")
    return labeling


#: The layers of the findings file (what the audit found, not the project's data): their columns
#: as planners read them (the project layers' come from the schema).
_OUTPUTS = {
    "findings": {"rule": "规则", "severity": "严重程度", "layer": "图层", "ids": "编号", "message": "说明",
                 "area_m2": "面积(m²)", "area_mu": "面积(亩)", "rule_code": "规则代码"},
    "conflicts": {"parcel_id": "地块编号", "constraint": "约束", "area_m2": "冲突面积(m²)", "area_mu": "冲突面积(亩)"},
}  # fmt: skip


def _aliases(layer: str) -> ET.Element:
    """The attribute table's Chinese column names: the schema's labels (QGIS's field aliases)."""
    from .schema import LAYERS

    if layer in _OUTPUTS:
        names = _OUTPUTS[layer]
    else:
        spec = LAYERS[layer]
        names = {spec.id: "编号", **{c.name: c.label_zh for c in spec.columns}}
    aliases = ET.Element("aliases")
    for i, (field, alias) in enumerate(names.items()):
        ET.SubElement(aliases, "alias", field=field, name=alias, index=str(i))
    return aliases


def _value_maps(layer: str) -> ET.Element | None:
    """Each coded column's editor widget as a QGIS value map (规划储备 → planned …): the attribute
    table and the form show and offer the Chinese names, and store the codes; None without one."""
    from .schema import LAYERS

    coded = [c for c in LAYERS[layer].columns if c.allowed] if layer in LAYERS else []
    if not coded:
        return None
    fields = ET.Element("fieldConfiguration")
    for column in coded:
        field = ET.SubElement(fields, "field", name=column.name, configurationFlags="None")
        widget = ET.SubElement(field, "editWidget", type="ValueMap")
        config = ET.SubElement(ET.SubElement(widget, "config"), "Option", type="Map")
        entries = ET.SubElement(config, "Option", type="List", name="map")
        for code, name in (column.allowed or {}).items():  # one map per entry: QGIS keeps their order
            ET.SubElement(ET.SubElement(entries, "Option", type="Map"), "Option", type="QString", name=name, value=code)
    return fields


def _style_elements(layer: str) -> list[ET.Element]:
    """The elements a layer's style is made of (renderer, labels, value maps, field aliases): the
    QML's and the project's."""
    style = _styles()[layer]
    parts = [_renderer(style)]
    if style.label_field:
        parts.append(_labeling(style))
    widgets = _value_maps(layer)
    parts += [widgets] if widgets is not None else []
    parts.append(_aliases(layer))
    if layer == "parcels_history":
        parts.append(_temporal())
    return parts


def _temporal() -> ET.Element:
    """QGIS's temporal properties of the parcels' history: each feature lives from ``valid_from`` (blank:
    from before any survey recorded) to ``valid_to`` (excluded), as :func:`landkit.lineage.parcels_as_of`."""
    # mode 2: start and end from fields; limitMode 0: the start included, the end excluded
    temporal = ET.Element(
        "temporal", enabled="1", mode="2", startField="valid_from", endField="valid_to", limitMode="0",
        accumulate="0", durationUnit="min", durationField="", startExpression="", endExpression="",
        fixedDuration="0",
    )  # fmt: skip
    fixed = ET.SubElement(temporal, "fixedRange")
    ET.SubElement(fixed, "start")
    ET.SubElement(fixed, "end")
    return temporal


def layer_qml(layer: str) -> str:
    """Return landkit's QGIS style (QML) for a project layer: what :func:`write_styles` stores.

    Examples
    --------
    >>> qml = layer_qml("parcels")
    >>> 'attr="status"' in qml and 'label="规划储备"' in qml and '199,233,192,153' in qml
    True
    """
    if layer not in _styles():
        raise DataError(code="qgis.no_style", layer=layer, styled=", ".join(_styles()))
    root = ET.Element("qgis", version=_QGIS_VERSION, styleCategories="AllStyleCategories")
    parts = _style_elements(layer)
    root.set("labelsEnabled", "1" if _styles()[layer].label_field else "0")
    root.extend(parts)
    ET.SubElement(root, "layerGeometryType").text = "1" if _styles()[layer].kind == "line" else "2"
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


_SE, _OGC = "http://www.opengis.net/se", "http://www.opengis.net/ogc"


_DASHES = {"dash": "6 3", "dot": "1 3"}  # SLD's stroke-dasharray, pixels


def _sld_symbolizer(rule: ET.Element, style: _Style, colour: str, pen: str = "solid") -> None:
    """A rule's symbolizer in SLD 1.1 (Symbology Encoding): widths in pixels, as QGIS exports them."""
    px = f"{style.width_mm * 3.7795:.2f}"  # 1 mm at 96 dpi
    if style.kind == "line":
        stroke = ET.SubElement(ET.SubElement(rule, f"{{{_SE}}}LineSymbolizer"), f"{{{_SE}}}Stroke")
        params = {"stroke": colour, "stroke-width": px, "stroke-linejoin": "round", "stroke-linecap": "round"}
        if pen in _DASHES:
            params["stroke-dasharray"] = _DASHES[pen]
    else:
        symbolizer = ET.SubElement(rule, f"{{{_SE}}}PolygonSymbolizer")
        if style.kind == "fill":
            fill = ET.SubElement(symbolizer, f"{{{_SE}}}Fill")
            for k, v in {"fill": colour, "fill-opacity": f"{style.opacity:g}"}.items():
                ET.SubElement(fill, f"{{{_SE}}}SvgParameter", name=k).text = v
        stroke = ET.SubElement(symbolizer, f"{{{_SE}}}Stroke")
        edge = colour if style.kind == "outline" or style.dashed else EDGE
        params = {"stroke": edge, "stroke-width": px, "stroke-linejoin": "bevel"}
        if style.dashed:
            params["stroke-dasharray"] = _DASHES["dash"]
    for k, v in params.items():
        ET.SubElement(stroke, f"{{{_SE}}}SvgParameter", name=k).text = v


def layer_sld(layer: str) -> str:
    """Return landkit's style of a project layer as SLD 1.1, for programs other than QGIS
    (GeoServer, ArcGIS Pro; QGIS reads it too): the same categories, colours and labels as
    :func:`layer_qml`, stored beside it in ``layer_styles.styleSLD``.

    Examples
    --------
    >>> sld = layer_sld("parcels")
    >>> "<se:Title>规划储备</se:Title>" in sld and "#c7e9c0" in sld and "<ogc:Literal>planned</ogc:Literal>" in sld
    True
    """
    style = _styles()[layer]
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    root = ET.Element("StyledLayerDescriptor", xmlns="http://www.opengis.net/sld", version="1.1.0")
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, f"{{{_SE}}}Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, f"{{{_SE}}}Name").text = style.title
    features = ET.SubElement(user, f"{{{_SE}}}FeatureTypeStyle")
    rules = [(value, label, colour) for value, label, colour in style.categories] or [(None, style.title, style.colour)]
    for i, (value, label, colour) in enumerate(rules):
        rule = ET.SubElement(features, f"{{{_SE}}}Rule")
        ET.SubElement(rule, f"{{{_SE}}}Name").text = label
        ET.SubElement(ET.SubElement(rule, f"{{{_SE}}}Description"), f"{{{_SE}}}Title").text = label
        if value is not None:
            equal = ET.SubElement(ET.SubElement(rule, f"{{{_OGC}}}Filter"), f"{{{_OGC}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{_OGC}}}PropertyName").text = style.attr
            ET.SubElement(equal, f"{{{_OGC}}}Literal").text = str(value)
        _sld_symbolizer(rule, style, colour, style.pens[i] if style.pens else "solid")
    if style.categories:  # anything else: the palette's "unknown", as in the QML
        rule = ET.SubElement(features, f"{{{_SE}}}Rule")
        ET.SubElement(rule, f"{{{_SE}}}Name").text = _W("unknown")
        ET.SubElement(ET.SubElement(rule, f"{{{_SE}}}Description"), f"{{{_SE}}}Title").text = _W("unknown")
        # spelt out rather than ElseFilter, which QGIS 3.22 reads as "everything"
        either = ET.SubElement(ET.SubElement(rule, f"{{{_OGC}}}Filter"), f"{{{_OGC}}}Or")
        ET.SubElement(ET.SubElement(either, f"{{{_OGC}}}PropertyIsNull"), f"{{{_OGC}}}PropertyName").text = style.attr
        known = ET.SubElement(ET.SubElement(either, f"{{{_OGC}}}Not"), f"{{{_OGC}}}Or")
        for value, _, _ in style.categories:
            equal = ET.SubElement(known, f"{{{_OGC}}}PropertyIsEqualTo")
            ET.SubElement(equal, f"{{{_OGC}}}PropertyName").text = style.attr
            ET.SubElement(equal, f"{{{_OGC}}}Literal").text = str(value)
        _sld_symbolizer(rule, style, LAYER_COLOURS["unknown"])
    if style.label_field:
        rule = ET.SubElement(features, f"{{{_SE}}}Rule")
        text = ET.SubElement(rule, f"{{{_SE}}}TextSymbolizer")
        ET.SubElement(ET.SubElement(text, f"{{{_SE}}}Label"), f"{{{_OGC}}}PropertyName").text = style.label_field
        font = ET.SubElement(text, f"{{{_SE}}}Font")
        for k, v in {"font-family": _FONT, "font-size": "13", "font-weight": "bold"}.items():
            ET.SubElement(font, f"{{{_SE}}}SvgParameter", name=k).text = v
        halo = ET.SubElement(text, f"{{{_SE}}}Halo")
        ET.SubElement(halo, f"{{{_SE}}}Radius").text = "2"
        ET.SubElement(ET.SubElement(halo, f"{{{_SE}}}Fill"), f"{{{_SE}}}SvgParameter", name="fill").text = "#ffffff"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- the GeoPackage -------------------------------------------------------------------------------


def write_styles(path: str | os.PathLike) -> dict[str, str]:
    """Store landkit's QGIS style of every map layer in the GeoPackage, as the layer's default.

    Writes the QGIS table ``layer_styles`` (creating it as QGIS does when absent), in one
    transaction inside the file. Only rows named :data:`STYLE_NAME` are written or replaced;
    landkit's style becomes a layer's default only when no other style of that layer is.
    Returns, per layer styled, ``"default"`` or ``"kept <name>"`` (the user's default kept).
    A project in a database is refused: its styles travel in the QGIS project file.
    """
    from .store import open_project

    styles = {
        layer: (layer_qml(layer), layer_sld(layer), f"landkit: {style.title}") for layer, style in _styles().items()
    }
    return open_project(path).write_styles(styles, STYLE_NAME)


# -- the project ----------------------------------------------------------------------------------


def _crs_element(parent: ET.Element, tag: str, crs) -> None:
    """A CRS as QGIS writes one: its WKT and its authority id."""
    box = ET.SubElement(ET.SubElement(parent, tag), "spatialrefsys")
    ET.SubElement(box, "wkt").text = crs.to_wkt()
    authority = crs.to_authority()
    ET.SubElement(box, "authid").text = ":".join(authority) if authority else ""
    if authority and authority[0] == "EPSG":
        ET.SubElement(box, "srid").text = authority[1]
    ET.SubElement(box, "description").text = crs_name_zh(crs)
    ET.SubElement(box, "geographicflag").text = "true" if crs.is_geographic else "false"


def crs_name_zh(crs) -> str:
    """A CRS as a Chinese map says it: CGCS2000 经纬度, CGCS2000 3度带高斯-克吕格 (中央经线), else its name.

    Examples
    --------
    >>> import pyproj
    >>> crs_name_zh(pyproj.CRS(4547))
    'CGCS2000 3度带高斯-克吕格投影，中央经线 114°E（EPSG:4547）'
    >>> crs_name_zh(pyproj.CRS(4526)), crs_name_zh(pyproj.CRS(4490))
    ('CGCS2000 3度带高斯-克吕格投影，第 38 带，中央经线 114°E（EPSG:4526）', 'CGCS2000 经纬度（EPSG:4490）')
    """
    epsg = crs.to_epsg() or 0
    if epsg == 4490:
        return "CGCS2000 经纬度（EPSG:4490）"
    if 4513 <= epsg <= 4554:
        zone = epsg - (4513 if epsg <= 4533 else 4534) + 25
        band = f"第 {zone} 带，" if epsg <= 4533 else ""
        return f"CGCS2000 3度带高斯-克吕格投影，{band}中央经线 {3 * zone}°E（EPSG:{epsg}）"
    return str(crs.name)


#: The layers the project's CRS is taken from, in this order: the zone's own data, never context
#: (a county outline or a 三区三线 layer delivered in lon/lat).
_ANCHORS = ("parcels", "planning_zones", "villages", "communities", "roads", "facilities", "county")
#: Layers that may reach far beyond the zone: the paper map frames the rest when it can.
_CONTEXT = ("county", "urban_boundary", "eco_redline", "basic_farmland")


def _project_crs(crs: dict, boxes: dict):
    """The project's CRS: its main layer's; a lon/lat one gives way to the 3° Gauss-Krüger zone of
    its centre, so that the paper map is not stretched east-west."""
    import pyproj

    from .crs import map_crs

    main = crs[next((n for n in _ANCHORS if n in crs), next(iter(crs)))]
    if not main.is_geographic:
        return main
    shown = [b for n, b in boxes.items() if b[0] is not None and crs[n].is_geographic]
    if not shown:
        return main
    lon = sorted((b[0] + b[2]) / 2 for b in shown)[len(shown) // 2]
    extent = (min(b[0] for b in shown), min(b[1] for b in shown), max(b[2] for b in shown), max(b[3] for b in shown))
    return pyproj.CRS(map_crs(extent, lon))  # any lon/lat extent: its zone, else a world frame


def _shown_first(crs: dict, boxes: dict, target) -> tuple[float, float, float, float]:
    """The box the paper map shows, in the project's CRS ``target``: the landkit layers' but the
    context's (else all of them), each layer's box taken from its own CRS."""
    import pyproj

    shown = [n for g in GROUPS for n in g[1] if n in boxes]
    for names in ([n for n in shown if n not in _CONTEXT], shown, list(boxes)):
        found = []
        for name in names:
            if boxes[name][0] is None:
                continue
            move = pyproj.Transformer.from_crs(crs[name], target, always_xy=True)
            found.append(move.transform_bounds(*boxes[name]))
        if found:
            return (min(b[0] for b in found), min(b[1] for b in found),
                    max(b[2] for b in found), max(b[3] for b in found))  # fmt: skip
    raise DataError(code="qgis.no_features")


_PAGE_W, _PAGE_H = 420.0, 297.0  # A3 landscape, mm
_MAP = (10.0, 24.0, 300.0, 263.0)  # x, y, width, height of the map frame on the page, mm
#: Each paper size, landscape, mm: A4 is A3 scaled by 1/√2 (its items are A3's, scaled).
_PAPER = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}


def _item(parent: ET.Element, kind: int, uuid: str, box: tuple[float, float, float, float], **attrs: str) -> ET.Element:
    x, y, w, h = box
    item = ET.SubElement(parent, "LayoutItem", type=str(kind), uuid=uuid, templateUuid=uuid)
    for k, v in {"position": f"{x:g},{y:g},mm", "positionOnPage": f"{x:g},{y:g},mm", "size": f"{w:g},{h:g},mm",
                 "referencePoint": "0", "visibility": "1", "opacity": "1", "frame": "false",
                 "background": "false", "zValue": "1", "id": attrs.pop("id", ""), **attrs}.items():  # fmt: skip
        item.set(k, v)
    return item


def _layout(
    layouts: ET.Element,
    name: str,
    title: str,
    notes: list[str],
    extent: tuple[float, float, float, float],
    atlas: dict[str, str] | None = None,
    paper: str = "A3",
) -> None:
    """A landscape print layout (出图) on A3 or A4 paper (``paper``; A4 is A3 scaled by 1/√2, the
    text a little less): title, map, legend, scale bar, north arrow, notes.

    With ``atlas`` (the attributes of QGIS's ``Atlas`` element) the map follows the atlas's
    feature, one page per feature, and ``title`` may hold QGIS expressions (``[% "name" %]``).
    """
    page_w, page_h = _PAPER[paper]
    k = page_w / _PAGE_W
    pt = k**0.5  # text shrinks less than the page: 9 pt on A3 is 7.6 pt on A4

    def mm(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        return round(x * k, 2), round(y * k, 2), round(w * k, 2), round(h * k, 2)

    layout = ET.SubElement(layouts, "Layout", name=name, units="mm", printResolution="300")
    key = ("atlas" if atlas else "map") + ("" if paper == "A3" else f"-{paper.lower()}")  # uuids unique in the project
    pages = ET.SubElement(layout, "PageCollection")
    _item(pages, 65638, f"{{landkit-{key}-page}}", (0, 0, page_w, page_h), background="true", zValue="0")
    x, y, w, h = mm(*_MAP)
    xmin, ymin, xmax, ymax = extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half_w = max(xmax - xmin, (ymax - ymin) * w / h) * 1.05 / 2  # the frame's aspect, 5 % margin
    half_h = half_w * h / w
    for _ in range(20):  # the north arrow (16 × 20 mm, 6 mm in from the top right) covers nothing framed
        f = 2 * half_w / w  # ground units per mm
        if cx - half_w + (w - 22 * k) * f >= xmax or cy + half_h - 24 * k * f >= ymax:
            break
        half_w, half_h = half_w * 1.05, half_h * 1.05
    map_uuid = f"{{landkit-{key}-map}}"
    item = _item(layout, 65639, map_uuid, (x, y, w, h), id="地图", frame="true", background="true")
    ET.SubElement(item, "Extent", xmin=f"{cx - half_w:.3f}", ymin=f"{cy - half_h:.3f}",
                  xmax=f"{cx + half_w:.3f}", ymax=f"{cy + half_h:.3f}")  # fmt: skip
    ET.SubElement(item, "LayerSet")  # empty: the project's visible layers
    if atlas:  # each page zooms to its feature, with a fifth of its size around it
        ET.SubElement(item, "AtlasMap", margin="0.2", atlasDriven="1", scalingMode="2")
    font = f"{_FONT},{{size}},-1,5,{{weight}},0,0,0,0,0"
    label = _item(layout, 65641, f"{{landkit-{key}-title}}", mm(10, 6, 400, 14), id="图名", labelText=title,
                  halign="4", valign="128", htmlState="0", marginX="0", marginY="0")  # fmt: skip
    ET.SubElement(label, "LabelFont", style="", description=font.format(size=round(24 * pt), weight=75))
    legend = _item(layout, 65642, f"{{landkit-{key}-legend}}", mm(318, 24, 92, 200), id="图例", title=_W("legend"),
                   map_uuid=map_uuid, resizeToContents="1", columnCount="2", splitLayer="1", titleAlignment="1",
                   symbolWidth=f"{6 * k:.2f}", symbolHeight=f"{3.5 * k:.2f}", equalColumnWidth="0",
                   columnSpace=f"{3 * k:.2f}", legendFilterByMap="1")  # fmt: skip
    styles = ET.SubElement(legend, "styles")
    for name, size, weight in (("title", 14, 75), ("group", 11, 75), ("subgroup", 10, 75), ("symbol", 9, 50),
                               ("symbolLabel", 9, 50)):  # fmt: skip
        style = ET.SubElement(styles, "style", name=name, alignment="1", marginTop="1.5" if size > 10 else "0.8")
        ET.SubElement(style, "styleFont", style="", description=font.format(size=round(size * pt, 1), weight=weight))
    _item(layout, 65646, f"{{landkit-{key}-scalebar}}", mm(318, 248, 80, 12), id="比例尺", mapUuid=map_uuid,
          style="Single Box", unitType="meters", unitLabel="m", numSegments="2", numSegmentsLeft="0",
          segmentSizeMode="1", minBarWidth=f"{40 * k:.0f}", maxBarWidth=f"{70 * k:.0f}", height=f"{3 * k:.1f}",
          numUnitsPerSegment="1000", numMapUnitsPerScaleBarUnit="1", alignment="0", labelBarSpace="3",
          zValue="2")  # fmt: skip
    _item(layout, 65640, f"{{landkit-{key}-north}}", (x + w - 22 * k, y + 4 * k, 16 * k, 20 * k), id="指北针",
          mapUuid=map_uuid, file=":/images/north_arrows/layout_default_north_arrow.svg", mode="2", resizeMode="0",
          northMode="0", northOffset="0", pictureRotation="0", zValue="2")  # fmt: skip
    note = _item(layout, 65641, f"{{landkit-{key}-note}}", mm(318, 263, 92, 24), id="说明",
                 labelText="\n".join(notes), halign="1", valign="128", htmlState="0")  # fmt: skip
    ET.SubElement(note, "LabelFont", style="", description=font.format(size=round(8 * pt, 1), weight=50))
    if atlas:
        ET.SubElement(layout, "Atlas", atlas)


#: What GDAL's SQLite (QGIS opens a GeoPackage only to read with NOLOCK, as a ``file:`` address)
#: decodes in a path: ``%`` and two hex digits.
_URI_ESCAPE = re.compile("%[0-9A-Fa-f]{2}")


def _literal(text: str) -> str:
    """Text a QGIS layout label shows as it is: a label evaluates ``[% … %]`` as an expression, so
    each ``[%`` of the text (a title from project_info, say) is written as an expression giving it."""
    return text.replace("[%", "[% '[%' %]")


def _project_xml(src: MapSources, findings: str | None = None, outputs: tuple[str, ...] = ()) -> str:
    """The project's XML; ``findings``: the name of the findings GeoPackage beside the project,
    holding the layers ``outputs``."""
    import pandas as pd

    from .schema import is_illustrative

    crs, sources = dict(src.crs), dict(src.sources)  # the source has no layer of the outputs' names
    project_crs = _project_crs(crs, src.boxes) if crs else None
    for name in outputs if findings and "parcels" in crs else ():  # drawn on parcels, in their CRS
        crs[name] = crs["parcels"]
        sources[name] = f"./{findings}|layername={name}"
    title = src.info.get("title", src.name)
    ordered = [(group, [n for n in names if n in crs]) for group, names in GROUPS]
    ordered = [(group, names) for group, names in ordered if names]
    if not ordered:
        raise DataError(code="qgis.nothing_to_show", name=src.name, layers=", ".join(_styles()))
    root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    _crs_element(root, "projectCrs", project_crs)
    tree = ET.SubElement(root, "layer-tree-group")
    ET.SubElement(ET.SubElement(tree, "customproperties"), "Option")
    maplayers = ET.Element("projectlayers")
    order = ET.Element("layerorder")
    for group, names in ordered:
        node = ET.SubElement(tree, "layer-tree-group", name=group, checked="Qt::Checked", expanded="1")
        ET.SubElement(ET.SubElement(node, "customproperties"), "Option")
        for name in names:
            lid, style = f"{name}_landkit", _styles()[name]
            provider = "ogr" if name in _OUTPUTS else src.provider
            ET.SubElement(node, "layer-tree-layer", id=lid, name=style.title, source=sources[name],
                          providerKey=provider, checked="Qt::Checked", expanded="1")  # fmt: skip
            m = ET.SubElement(
                maplayers, "maplayer", type="vector", geometry="Line" if style.kind == "line" else "Polygon"
            )
            m.set("labelsEnabled", "1" if style.label_field else "0")
            m.set("styleCategories", "AllStyleCategories")
            ET.SubElement(m, "id").text = lid
            ET.SubElement(m, "datasource").text = sources[name]
            ET.SubElement(m, "layername").text = style.title
            _crs_element(m, "srs", crs[name])
            ET.SubElement(m, "provider", encoding="UTF-8").text = provider
            m.extend(_style_elements(name))
            ET.SubElement(order, "layer", id=lid)
    root.append(maplayers)
    root.append(order)
    props = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(props, "Paths"), "Absolute", type="bool").text = "false"
    ET.SubElement(ET.SubElement(props, "landkit"), "generator", type="QString").text = GENERATOR  # whose file it is
    # without it QGIS reads no project CRS (a leftover of on-the-fly reprojection being optional)
    ET.SubElement(ET.SubElement(props, "SpatialRefSys"), "ProjectionsEnabled", type="int").text = "1"
    ET.SubElement(ET.SubElement(props, "Measure"), "Ellipsoid", type="QString").text = CGCS2000_ELLIPSOID
    units = ET.SubElement(props, "Measurement")
    ET.SubElement(units, "DistanceUnits", type="QString").text = "meters"
    ET.SubElement(units, "AreaUnits", type="QString").text = "m2"
    notes = [f"{_W('datum')}: {root.findtext('projectCrs/spatialrefsys/description') or ''}", _W("measured_note")]
    if src.info.get("organisation"):
        notes.append(_W("made_by", organisation=src.info["organisation"]))
    if is_illustrative({"project_info": pd.DataFrame({"key": list(src.info), "value": list(src.info.values())})}):
        notes.append(_W("illustrative"))
    layouts = ET.SubElement(root, "Layouts")
    extent = _shown_first(src.crs, src.boxes, project_crs)
    _layout(layouts, f"{title} A3", _literal(title), [_literal(n) for n in notes], extent)
    _layout(layouts, f"{title} A4", _literal(title), [_literal(n) for n in notes], extent, paper="A4")
    if "villages" in crs:  # 图集: one page per village, by batch, then code
        atlas = {
            "enabled": "1",
            "coverageLayer": "villages_landkit",
            "coverageLayerName": _styles()["villages"].title,
            "coverageLayerSource": sources["villages"],
            "coverageLayerProvider": src.provider,
            "hideCoverage": "0",
            "pageNameExpression": "name",
            "sortFeatures": "1",
            "sortKey": 'lpad(to_string("batch"), 3, \'0\') || "village_code"',
            "sortAscending": "1",
            "filterFeatures": "0",
            "filenamePattern": "'村_' || \"village_code\"",
        }
        page_title = f'{_literal(title)}：[% "name" %]（[% "village_code" %]）第[% "batch" %]批'
        _layout(layouts, f"{title} {_W('atlas')}", page_title, [_literal(n) for n in notes], extent, atlas)
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def audit_layers(layers: dict, *, rules: dict | None = None, findings=None, conflicts: dict | None = None) -> dict:
    """What the audit found, as map layers for QGIS: ``findings`` (each finding about parcels,
    drawn on the parcels it names, in Chinese) and ``conflicts`` (the part of each parcel in
    三区三线 conflict, :func:`landkit.constraints.conflicts`); only those with features.
    ``findings`` (the table, or its shapes: :func:`landkit.report.finding_shapes`) and ``conflicts``:
    the audit's, when already made (its ``keep``; else computed)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    from . import constraints
    from .audit import audit
    from .report import finding_shapes, findings_table

    out: dict[str, gpd.GeoDataFrame] = {}
    parcels = layers.get("parcels")
    if not isinstance(parcels, gpd.GeoDataFrame) or not len(parcels):
        return out
    if conflicts is None:
        conflicts = constraints.conflicts(parcels, layers, rules=rules)
    found = audit(layers, rules=rules) if findings is None else findings
    shapes = found if isinstance(found, gpd.GeoDataFrame) or not len(found) else finding_shapes(layers, found)
    if shapes is not None and len(shapes):
        table = findings_table(shapes, "zh")
        keep = [c for c in _OUTPUTS["findings"] if c in table]
        # a finding about a parcel without geometry has no shape: null, so the layer stays polygons
        g = shapes.geometry.to_numpy()
        g = np.where(np.isin(shapely.get_type_id(g), (3, 6)) & ~shapely.is_empty(g), g, np.array(None))
        out["findings"] = gpd.GeoDataFrame(table[keep], geometry=gpd.GeoSeries(g, crs=parcels.crs).to_numpy(),
                                           crs=parcels.crs)  # fmt: skip
    parts = [
        gpd.GeoDataFrame(
            {"parcel_id": hit.index.astype(str), "constraint": _W(name), "area_m2": hit["area_m2"].to_numpy(),
             "area_mu": hit["area_mu"].to_numpy()},
            geometry=hit.geometry.to_crs(parcels.crs).to_numpy(), crs=parcels.crs,
        )
        for name, hit in conflicts.items()
        if len(hit)
    ]  # fmt: skip
    if parts:
        out["conflicts"] = pd.concat(parts, ignore_index=True)
    return out


def _outputs_gpkg(audit: dict) -> bytes:
    """The audit's layers as one GeoPackage's bytes (a file of its own: an output never goes
    into the project)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "findings.gpkg"
        for name, frame in audit.items():
            # the description marks the file as landkit's output (landkit.io.is_landkit_output)
            # one geometry type (MultiPolygon), whatever the rows: a layer of type Unknown shows nothing in QGIS
            frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio", promote_to_multi=True,
                          geometry_type="MultiPolygon",
                          layer_options={"DESCRIPTION": f"{GENERATOR}: {_styles()[name].title}"})  # fmt: skip
        return path.read_bytes()


def _snapshot_gpkg(layers: dict, path: Path) -> None:
    """Write the project's layers (``layers``, as read) into the new GeoPackage ``path``: the
    store's own writer, one transaction; each layer's description marks the file as landkit's
    output (:func:`landkit.io.is_landkit_output`: the next pack replaces it), and landkit's styles
    are its defaults (a layer added to QGIS by hand is drawn as in the project)."""
    from .schema import LAYERS, layer_label
    from .store import write_project, writing

    write_project({name: frame for name, frame in layers.items() if name.lower() in LAYERS}, path)
    with writing(path) as w:
        rows = w.rows("gpkg_contents", ["rowid", "table_name"])
        w.update("gpkg_contents", "description", {i: f"{GENERATOR}: {layer_label(n)}" for i, n in rows})
    write_styles(path)


def project_files(
    path: str | os.PathLike, out_qgz: str | os.PathLike, *, audit: dict | None = None, snapshot: dict | None = None
) -> dict[str, bytes]:
    """The QGIS project ``out_qgz`` and, with ``audit`` (:func:`audit_layers`), the audit's
    layers in ``NAME-findings.gpkg`` beside it: each file's bytes by name, for
    :func:`write_project` and the meeting pack. ``path`` is a GeoPackage (opened by a path
    relative to the project) or a PostGIS project URL (opened without its password).

    With ``snapshot`` (the project's layers, as read from ``path``) the project opens a copy of
    them instead, ``NAME.gpkg`` beside it (``./NAME.gpkg``): a folder that travels, as the
    meeting pack's does; the copy is the project as of then, not the project."""
    import io
    import tempfile

    from .store import open_project

    out = Path(out_qgz)
    if out.suffix.lower() != ".qgz":
        raise DataError(code="qgis.not_qgz", path=str(out))
    wanted = [n for n in _styles() if n not in _OUTPUTS]
    files: dict[str, bytes] = {}
    project = open_project(path)
    if snapshot is None:
        src = project.map_sources(wanted, Path(os.path.abspath(out)).parent)
        local = project.local_file
    else:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / f"{out.stem}.gpkg"
            _snapshot_gpkg(snapshot, copy)
            src = open_project(copy).map_sources(wanted, Path(scratch))  # ./NAME.gpkg
            src.name = project.map_sources([], Path(scratch)).name  # the title's fallback: the project's name
            files[copy.name] = copy.read_bytes()
        local = Path(os.path.abspath(out.with_name(copy.name)))
    audit = {k: v for k, v in (audit or {}).items() if k in _OUTPUTS and len(v)}
    name = f"{out.stem}-findings.gpkg" if audit else None
    opened = [p for p in [local] if p] + ([Path(os.path.abspath(out.with_name(name)))] if name else [])
    for where in [p for p in opened if _URI_ESCAPE.search(str(p))]:
        import warnings

        from .errors import LandkitWarning

        warnings.warn(LandkitWarning(code="qgis.percent_path", path=str(where)), stacklevel=2)
    if name:
        files[name] = _outputs_gpkg(audit)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{out.stem}.qgs", _project_xml(src, findings=name, outputs=tuple(audit)).encode("utf-8"))
    files[out.name] = buffer.getvalue()
    return files


def write_project(
    path: str | os.PathLike, out_qgz: str | os.PathLike, *, audit: dict | None = None, overwrite: bool = False
) -> Path:
    """Write a QGIS project (``.qgz``) that opens the project ``path``: a GeoPackage by a
    relative path, or a PostGIS project URL (the password left out: QGIS reads PGPASSWORD or
    pgpass, or asks).

    Layers grouped 审核/搬迁/储备/规划/底图 and styled as :func:`write_styles` styles them;
    project CRS the layers'; ellipsoid CGCS2000, so that QGIS measures areas as landkit does; A3
    and A4 print layouts and an atlas of the villages. With ``audit`` (:func:`audit_layers`) the
    audit's findings and 三区三线 conflicts go into ``NAME-findings.gpkg`` beside the project,
    as layers of their own. Existing files are
    replaced only with ``overwrite`` (never the project's GeoPackage); each is written aside and
    moved into place. Returns the project's path.
    """
    from .io import is_landkit_output, write_bytes
    from .store import open_project

    out = Path(out_qgz)
    files = project_files(path, out, audit=audit)
    source = open_project(path).local_file
    source = source.resolve() if source else None
    for name in files:
        target = out.with_name(name)
        if not target.exists():
            continue
        if target.resolve() == source or (name != out.name and not is_landkit_output(target)):
            raise DataError(code="qgis.not_ours", path=str(target))
        if not overwrite:
            raise DataError(code="qgis.exists", path=str(target))
    for name, data in files.items():  # each aside, in a new file of a random name, then moved into place
        write_bytes(data, out.with_name(name))
    return out
