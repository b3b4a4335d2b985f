"""One analysis per project state: everything a meeting's outputs show, computed once.

:func:`analyse` runs the audit (keeping the overlap, gap and 三区三线 polygons it computes), the
totals, the targets' progress, the relocation tables, what changed since the month began and
the registered figures (:mod:`landkit.figures`); the meeting pack's files — maps, the PDF, the
workbook, index.html, ``figures.json``, the QGIS project — all render from the one
:class:`Analysis`, so they cannot disagree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Analysis:
    """A project's state for a meeting, computed once (see :func:`analyse`)."""

    path: str | os.PathLike
    layers: dict  # the layers as the ledgers stood on the pack's date (today's without one)
    today: dict  # the layers as they are
    day: Any  # the data's date: the ledger's last event by the pack's date
    date: Any  # the pack's date as asked (None: today)
    rules: dict | None
    findings: pd.DataFrame
    conflicts: Any  # the 三区三线 conflicts the audit computed (None when it had no constraint layers)
    zone_conflicts: Any  # the zone versions' 三区三线 conflicts the audit computed (None likewise)
    shapes: Any  # the findings about parcels, drawn on their parcels (None when there are none)
    totals: dict
    goals: tuple
    progress: pd.DataFrame | None  # the targets' progress (None when the project sets none)
    relocation: dict[str, pd.DataFrame]  # 搬迁进度, 按批次, 安置容量 ({} without villages)
    changes: dict  # what changed since the month began (period.period_changes)
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)
    suspects: Any = None  # the suspect buildings the audit found (None when it had no buildings to check)

    def figure(self, figure: str, key: object = "") -> Any:
        """One figure's row (``value``, ``unit``, ``label``…) by id and key."""
        hit = self.figures[(self.figures["figure"] == figure) & (self.figures["key"] == str(key))]
        if len(hit) != 1:
            raise KeyError(f"no figure {figure!r} with key {key!r}")
        return next(hit.itertuples())


def analyse(layers: dict, path: str | os.PathLike, *, rules: dict | None = None, date=None) -> Analysis:
    """The analysis of ``layers`` (read from ``path``) for a meeting, as of ``date`` (None: today).

    With ``date`` the ledgers are read as they stood then (:func:`landkit.period.as_of`); a
    target's goal is still all its parcels, only what is done follows the date.
    """
    from . import audit, figures, period, report, reserve, tables
    from .reuse import Reuse

    today = layers
    if date is not None:
        layers = period.as_of(today, date)
    day = reserve.data_date(layers["events"]) or pd.Timestamp(date).date()
    kept: dict = {}
    reuse = Reuse()  # the start of the month's audit (本月变化) takes the geometry checks from this one where it can
    findings = audit.audit(layers, rules=rules, keep=kept, reuse=reuse)
    goals = reserve.targets(today)
    progress = reserve.progress(today["parcels"], today["events"], goals, as_of=day) if goals else None
    a = Analysis(
        path=path,
        layers=layers,
        today=today,
        day=day,
        date=date,
        rules=rules,
        findings=findings,
        conflicts=kept.get("conflicts"),
        zone_conflicts=kept.get("zone_conflicts"),
        shapes=report.finding_shapes(layers, findings) if len(findings) else None,
        totals=audit.totals(layers, findings),  # with what overlaps count twice, as `landkit audit` says
        goals=goals,
        progress=progress,
        relocation=tables.relocation_tables(layers) if "villages" in layers else {},
        changes=period.period_changes(layers, period.month_start(day), day, rules=rules, now=findings, reuse=reuse),
        suspects=kept.get("suspects"),
    )
    a.figures = figures.table(a)
    return a
