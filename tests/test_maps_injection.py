"""A value in the project is text on a map, never code: branca compiles what each part of a map
rendered as a Jinja template once more, so a parcel attribute, a village or community name or the
project's title written as ``{{ … }}`` ran as Python on the PC that drew the map (found while
timing the pack). Every such value now goes in with its braces as character references."""

from __future__ import annotations

import pandas as pd
import pytest

from landkit import maps
from landkit.webpage import esc, escape

#: What Jinja would make of it if a value reached a template (``{{ cycler.__init__.__globals__.os… }}``
#: reaches the os module the same way): RAN42, which the page must not show.
PAYLOAD = '{{ "RAN" ~ (6 * 7) }}'
EVALUATED = "RAN42"


@pytest.fixture(scope="module")
def hostile(sample_layers):
    layers = dict(sample_layers)
    parcels = layers["parcels"].copy()
    parcels.loc[parcels.index[0], "project"] = f"甲{PAYLOAD}乙"
    layers["parcels"] = parcels
    villages = layers["villages"].copy()
    villages.loc[villages.index[0], "name"] = f"沈{PAYLOAD}庄"
    layers["villages"] = villages
    communities = layers["communities"].copy()
    communities.loc["LF", "name"] = f"露峰{PAYLOAD}社区"
    layers["communities"] = communities
    info = layers["project_info"].copy()
    info.loc["title", "value"] = f"规划{PAYLOAD}图"
    info.loc["organisation", "value"] = "单位{% for i in range(3) %}X{% endfor %}"
    info.loc["source", "value"] = f"来源{PAYLOAD}"
    layers["project_info"] = info
    return layers


def _page_has_no_evaluation(page: str) -> None:
    assert "(6 * 7)" in page  # the value is on the page …
    assert EVALUATED not in page  # … not what a template makes of it
    assert "XXX" not in page  # a {% for %} did not run either
    assert "{{ &quot;RAN" not in page and '{{ "RAN' not in page  # no brace pair is left as template syntax


def test_values_on_the_zone_map_are_text_not_templates(hostile):
    page = maps.to_html(maps.zone_map(hostile))
    _page_has_no_evaluation(page)
    assert "&amp;#123;&amp;#123;" not in page  # escaped once, not twice: the page shows {{


def test_values_on_a_community_map_are_text_not_templates(hostile):
    page = maps.to_html(maps.community_map(hostile, "LF"))
    _page_has_no_evaluation(page)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("{{ 7*7 }}", "&#123;&#123; 7*7 &#125;&#125;"),
        ("<b>{%x%}</b>", "&lt;b&gt;&#123;%x%&#125;&lt;/b&gt;"),
        ("沈庄村", "沈庄村"),  # nothing else changes
        ("a&b \"c\" 'd'", "a&amp;b &quot;c&quot; &#x27;d&#x27;"),
    ],
)
def test_escape_keeps_braces_as_references(value, shown):
    assert escape(value) == shown
    assert esc(value) == shown


def test_esc_still_formats_numbers_and_blanks():
    assert esc(45.865365000000004) == "45.87"
    assert esc(None) == "" and esc(float("nan")) == "" and esc(pd.NaT) == ""
