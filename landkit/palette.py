"""The one palette of landkit's maps (HTML, paper and QGIS) and the words of their legends.

No colour means two things. Parcel statuses run green (acquisition), orange (approval), purple
(reserve and supply), grey (allocated); village batches are browns, zone versions blues (drawn
as outlines), and every other layer has a colour of its own (:data:`LAYER_COLOURS`).
tests/test_maps.py checks that all of them differ, by eye too. The words a legend, tooltip or
title says are catalogue codes ``map.*`` (landkit/i18n/zh_words.py, en_words.py): :func:`words`.
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import language, t

STATUS_COLOURS = {
    "planned": "#c7e9c0",
    "acquiring": "#74c476",
    "acquired": "#238b45",
    "submitted": "#fdae6b",
    "approved": "#e6550d",
    "reserved": "#bcbddc",
    "developing": "#807dba",
    "transferred": "#54278f",
    "allocated": "#969696",
}
BATCH_COLOURS = {1: "#8c510a", 2: "#bf812d", 3: "#f6e8c3"}
ZONE_COLOURS = {1: "#08306b", 2: "#2171b5", 3: "#6baed6"}
LAYER_COLOURS = {
    "county": "#4d4d4d",  # outline only
    "communities": "#01a0a0",
    "roads": "#000000",
    "facilities": "#f781bf",
    "findings": "#e31a1c",  # a dashed outline, thicker than any other
    "distance": "#c51b7d",  # community maps: the straight line from a village to its community
    "unknown": "#ffffff",  # a status, batch or version the palette does not know
    # 三区三线 (zone map): farmland yellow, the red line dark green, the boundary a dark magenta
    # outline, and the part of a parcel in conflict bright magenta
    "basic_farmland": "#ffd700",
    "eco_redline": "#00441b",
    "urban_boundary": "#7a0177",
    "conflicts": "#ff00ff",
}
EDGE = "#333333"  # the edge of filled polygons: a border, not a meaning


def words(lang: str | None) -> Callable[..., str]:
    """The maps' words in ``lang`` (``None``: the command line's): ``w("county")`` is the code
    ``map.county``, ``w("batch_n", n=2)`` fills its fields. An unknown language is a ValueError."""
    lang = language(lang)
    return lambda key, **fields: t(f"map.{key}", lang, **fields)
