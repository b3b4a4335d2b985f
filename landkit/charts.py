"""The pack's charts: progress against the targets and relocation by batch, as PNG, in Chinese
(drawn with the fonts of :mod:`landkit.fonts`: the system's, else the one from PyPI), stamped like
every file of the pack. A label with a character no font has is refused, never drawn as a box."""

from __future__ import annotations

import io as _io
import warnings
from typing import TYPE_CHECKING

import pandas as pd

from .i18n import columns
from .i18n import t as say

if TYPE_CHECKING:
    from .report import Stamp


def _chart(draw, stamp: Stamp, lang: str = "zh") -> bytes:
    """A landscape PNG chart: ``draw(ax, lang)`` draws on the axes in ``lang``; the legend, the stamp
    and the layout are the same on every chart. Every character has a glyph (:func:`landkit.fonts.require`)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from . import fonts

    cjk = fonts.chinese_fonts()
    buffer = _io.BytesIO()
    with rc_context({"font.family": fonts.families(cjk)}):  # a Figure of its own: no pyplot, no backend switch
        fig = Figure(figsize=(8, 4), dpi=120)
        ax = fig.subplots()
        draw(ax, lang)
        ax.legend(loc="lower right", fontsize=8)
        fig.text(0.01, 0.01, stamp.text(lang)[:150], fontsize=5, color="#666")
        with warnings.catch_warnings():  # laying out draws the tick labels (the names) once: a glyph missing
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # there is refused just below
            fig.tight_layout(rect=(0, 0.03, 0.95, 1))
        fonts.require(fonts.figure_texts(fig), cjk)  # every text, tick labels included: a box is never saved
        fig.savefig(buffer, format="png", metadata={"Software": "landkit"})
    return buffer.getvalue()


def progress_png(progress: pd.DataFrame, stamp: Stamp) -> bytes:
    """A bar chart of progress against each target (stated mu), in Chinese."""

    def draw(ax, lang: str) -> None:
        labels = columns.localised(progress, "name", lang)
        done = progress["done_mu"].clip(upper=progress["target_mu"])
        ax.barh(labels, progress["target_mu"], color="#dddddd", label=say("chart.target", lang))
        ax.barh(labels, done, color="#3182bd", label=say("chart.done", lang))
        mu = say("unit.mu", lang)
        for y, (d, goal) in enumerate(zip(progress["done_mu"], progress["target_mu"], strict=True)):
            of = f" / {goal:,.2f}" if goal == goal else ""  # a stock without a figure: done, and no target
            ax.text(goal if goal == goal else d, y, f" {d:,.2f}{of} {mu}", va="center", fontsize=8)
        ax.set_xlabel(say("chart.stated_mu", lang))
        ax.set_title(say("chart.targets_title", lang, as_of=progress.attrs.get("as_of", "")))

    return _chart(draw, stamp)


def _cjk_fonts(font_manager=None) -> list[str]:
    """The families of the Chinese fonts found (see :mod:`landkit.fonts`), best first."""
    from . import fonts

    return [f.family for f in fonts.chinese_fonts()]


def relocation_png(progress: pd.DataFrame, stamp: Stamp) -> bytes:
    """Households by relocation status, batch by batch (stacked bars), in Chinese."""
    from .schema import RELOCATION_STATUSES

    table = progress.pivot_table(index="批次", columns="搬迁状态", values="户数", aggfunc="sum", fill_value=0)
    table = table[[s for s in RELOCATION_STATUSES.values() if s in table.columns]]
    colours = {"待搬迁": "#cccccc", "已签协议": "#fdae6b", "已搬迁": "#6baed6", "已拆除": "#31a354"}

    def draw(ax, lang: str) -> None:
        left = pd.Series(0, index=table.index)
        labels = [say("chart.batch", lang, batch=b) for b in table.index]
        for column in table.columns:
            code = {v: k for k, v in RELOCATION_STATUSES.items()}[column]
            said = say(f"chart.relocation.{code}", lang)
            ax.barh(labels, table[column], left=left, color=colours.get(column, "#999"), label=said)
            left += table[column]
        ax.set_xlabel(say("unit.households", lang))
        ax.set_title(say("chart.relocation_title", lang))
        ax.invert_yaxis()

    return _chart(draw, stamp)
