"""The figures a meeting sees, defined once: what each one means, and its value for one project state.

A figure has an id (``target.done_mu``), a unit (亩, 块, 户, 人, 条), a basis — *stated* (the area
registered in the ledger's own column), *measured* (the ellipsoidal area of the outline),
*planned* (what the plan assigns, not what has happened), *ledger* (what the ledgers say has
happened by the data's date), *capacity* or a *count* — and words in the catalogue
(``figure.<id>`` is its label, ``figure.<id>.means`` its definition, both in Chinese and English).
Figures that repeat per target, status or community carry a ``key`` (the target id, the status
code, the community id) and fill ``{name}`` in their label.

:func:`table` computes every figure of a meeting's :class:`~landkit.analysis.Analysis` once;
every output of the pack (index.html's cards, the workbook's 会议数字 sheet, ``figures.json``)
renders from that table, and the other sheets and JSON outputs show the same values
(tests/test_figures.py renders a pack and checks each figure everywhere it appears). Two
different quantities never share a label: a target's area is said to be stated or measured, a
community's people to be assigned by the plan, not moved in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .i18n import t

if TYPE_CHECKING:
    from .analysis import Analysis


@dataclass(frozen=True)
class Figure:
    """One figure's kind: its unit and basis (the words are the catalogue's ``figure.<id>``)."""

    unit: str  # a catalogue code under unit.: mu, parcels, households, people, items (findings, events), date
    basis: str  # stated, measured, planned, ledger, capacity, count, date


_MU_STATED, _MU_MEASURED = Figure("mu", "stated"), Figure("mu", "measured")
_PARCELS, _FINDINGS = Figure("parcels", "count"), Figure("items", "count")

#: every figure a meeting sees, by id
REGISTRY: dict[str, Figure] = {
    "data_date": Figure("date", "date"),
    "parcels.count": _PARCELS,
    "parcels.stated_mu": _MU_STATED,
    "parcels.measured_mu": _MU_MEASURED,
    "status.count": _PARCELS,
    "status.stated_mu": _MU_STATED,
    "status.measured_mu": _MU_MEASURED,
    "findings.count": _FINDINGS,
    "findings.error": _FINDINGS,
    "findings.warning": _FINDINGS,
    "findings.info": _FINDINGS,
    "target.target_mu": _MU_STATED,
    "target.done_mu": _MU_STATED,
    "target.done_measured_mu": _MU_MEASURED,
    "target.remaining_mu": _MU_STATED,
    "target.parcels": _PARCELS,
    "target.parcels_done": _PARCELS,
    "relocation.households": Figure("households", "planned"),
    "relocation.people": Figure("people", "planned"),
    "relocation.signed_households": Figure("households", "ledger"),
    "relocation.signed_people": Figure("people", "ledger"),
    "relocation.moved_households": Figure("households", "ledger"),
    "relocation.moved_people": Figure("people", "ledger"),
    "relocation.demolished_households": Figure("households", "ledger"),
    "relocation.demolished_people": Figure("people", "ledger"),
    "community.assigned_people": Figure("people", "planned"),
    "community.capacity_people": Figure("people", "capacity"),
    "community.assigned_households": Figure("households", "planned"),
    "community.capacity_households": Figure("households", "capacity"),
    "changes.parcels": _PARCELS,
    "changes.events": Figure("items", "count"),
    "changes.new_findings": _FINDINGS,
    "changes.resolved_findings": _FINDINGS,
    # pace: what each deadline needs per month against the ledger's last three full months (reserve.pace)
    "target.months_left": Figure("months", "pace"),
    "target.needed_per_month_mu": Figure("mu", "pace"),
    "target.achieved_per_month_mu": Figure("mu", "ledger"),
    "targets.behind": Figure("targets", "pace"),
    "relocation.late_villages": Figure("villages", "ledger"),
    "relocation.late_households": Figure("households", "ledger"),
}
#: the target figures of the pace, given for each target with a deadline
PACE = ("months_left", "needed_per_month_mu", "achieved_per_month_mu")

COLUMNS = [
    "figure", "key", "name", "name_en", "value", "unit", "basis", "label", "label_en", "means", "means_en", "as_of",
]  # fmt: skip


def label(figure: str, lang: str | None = None, name: object = "") -> str:
    """The figure's label in ``lang``, its ``{name}`` (a target's, status's or community's) filled in."""
    return t(f"figure.{figure}", lang, name=name)


def number(value: object, unit: str) -> str:
    """A figure's number as people read it: areas to 2 decimals, counts whole, both with thousands
    separators; a date as it is; nothing known: ``—``."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if unit == "date":
        return str(value)
    figure = float(value)  # type: ignore[arg-type]
    return f"{figure:,.2f}" if unit in ("mu", "months") else f"{int(figure):,}"


def text(value: object, unit: str, lang: str | None = None) -> str:
    """A figure with its unit: ``1,234.56 亩``, ``2,004 户`` (a date or ``—`` as :func:`number`)."""
    shown = number(value, unit)
    return shown if unit == "date" or shown == "—" else f"{shown} {t(f'unit.{unit}', lang)}"


def tag(figure: str, key: object, value: object, lang: str | None = None, *, unit: bool = True) -> str:
    """One figure in HTML: ``<data value=… data-figure=… data-key=…>1,234.56 亩</data>``, so a
    reader (and a test) finds which figure a number on the page is; without ``unit``, the number alone."""
    kind = REGISTRY[figure].unit
    shown = text(value, kind, lang) if unit else number(value, kind)
    return (
        f'<data value="{html.escape(str(_value(value)))}" data-figure="{html.escape(figure)}" '
        f'data-key="{html.escape(str(key))}">{html.escape(shown)}</data>'
    )


def tagged(row: Any, lang: str | None = None, *, unit: bool = True) -> str:
    """A row of :func:`table` as :func:`tag` draws it."""
    return tag(row.figure, row.key, row.value, lang, unit=unit)


def _rows(figure: str, values: pd.Series, names: Any, names_en: Any) -> list[dict]:
    return [
        {"figure": figure, "key": k, "name": names.get(k, ""), "name_en": names_en.get(k, ""), "value": v}
        for k, v in values.items()
    ]


def _value(v: object) -> object:
    """A value as JSON and Excel hold it: whole numbers as int, areas as float, nothing as None."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        v = v.item()  # type: ignore[union-attr]
    return v


def table(a: Analysis) -> pd.DataFrame:
    """Every registered figure of the analysis, one row per (figure, key), with its words in both languages."""
    from .schema import label as status_label
    from .units import total

    rows: list[dict] = [{"figure": "data_date", "key": "", "name": "", "value": str(a.day)}]
    by_status = pd.DataFrame(a.totals["parcels_by_status"]).T
    if len(by_status):
        names: Any = {s: status_label(s) for s in by_status.index}
        names_en: Any = {s: status_label(s, "en") for s in by_status.index}
        rows += _rows("status.count", by_status["count"].astype(int), names, names_en)
        rows += _rows("status.stated_mu", by_status["stated_mu"].astype(float), names, names_en)
        rows += _rows("status.measured_mu", by_status["area_mu"].astype(float), names, names_en)
    parcels = a.layers["parcels"]
    rows.append({"figure": "parcels.count", "key": "", "name": "", "value": len(parcels)})
    if len(by_status):  # the totals are the sums of the parts shown
        rows.append({"figure": "parcels.stated_mu", "key": "", "value": total(by_status["stated_mu"].astype(float))})
        rows.append({"figure": "parcels.measured_mu", "key": "", "value": total(by_status["area_mu"].astype(float))})
    severity = a.findings["severity"].value_counts()
    rows.append({"figure": "findings.count", "key": "", "value": len(a.findings)})
    for level in ("error", "warning", "info"):
        rows.append({"figure": f"findings.{level}", "key": "", "value": int(severity.get(level, 0))})
    if a.progress is not None and len(a.progress):
        goals = a.progress  # indexed by target id
        names, names_en = goals["name"].astype(str), goals["name_en"].astype(str)
        for column in ("target_mu", "done_mu", "done_measured_mu", "remaining_mu", "parcels", "parcels_done"):
            rows += _rows(f"target.{column}", goals[column], names, names_en)
    if a.relocation:
        whole: dict = a.relocation["按批次"].set_index("批次").loc["合计"].to_dict()  # the 合计 row: every batch
        steps = {"signed": "已签协议", "moved": "已搬迁", "demolished": "已拆除"}
        rows.append({"figure": "relocation.households", "key": "", "value": int(whole["户数"])})
        rows.append({"figure": "relocation.people", "key": "", "value": int(whole["人口"])})
        for step, said in steps.items():
            rows.append({"figure": f"relocation.{step}_households", "key": "", "value": int(whole[f"{said}户数"])})
            rows.append({"figure": f"relocation.{step}_people", "key": "", "value": int(whole[f"{said}人口"])})
        capacity = a.relocation["安置容量"]  # indexed by community id
        names = capacity["安置社区"].astype(str)
        for figure, column in (
            ("assigned_people", "已安排人口"),
            ("capacity_people", "容纳人口"),
            ("assigned_households", "已安排户数"),
            ("capacity_households", "容纳户数"),
        ):
            rows += _rows(f"community.{figure}", capacity[column].astype(int), names, names)
    rows += _pace_rows(a)
    found = a.changes
    for figure, part in (
        ("parcels", "parcels"),
        ("events", "events"),
        ("new_findings", "new_findings"),
        ("resolved_findings", "resolved_findings"),
    ):
        rows.append({"figure": f"changes.{figure}", "key": "", "value": len(found[part])})
    out = pd.DataFrame(rows)
    out["name"] = out.get("name", pd.Series(index=out.index, dtype=object)).fillna("")
    out["name_en"] = out.get("name_en", pd.Series(index=out.index, dtype=object)).fillna("")
    kinds = out["figure"].map(REGISTRY)
    out["value"] = out["value"].map(_value)
    out["unit"] = kinds.map(lambda k: k.unit)
    out["basis"] = kinds.map(lambda k: k.basis)
    for lang, suffix in (("zh", ""), ("en", "_en")):
        names = out["name" + suffix]
        out[f"label{suffix}"] = [label(f, lang, n) for f, n in zip(out["figure"], names, strict=True)]
        out[f"means{suffix}"] = [t(f"figure.{f}.means", lang) for f in out["figure"]]
    out["as_of"] = str(a.day)
    out["key"] = out["key"].astype(str)
    return out[COLUMNS].reset_index(drop=True)


def sheet(figures: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The workbook's 会议数字 sheet: label, value, unit, basis, definition, as of, code."""
    from .i18n.columns import localised

    return pd.DataFrame(
        {
            t("figure.head.label", lang): localised(figures, "label", lang),
            t("figure.head.value", lang): figures["value"],
            t("figure.head.unit", lang): figures["unit"].map(lambda u: t(f"unit.{u}", lang)),
            t("figure.head.basis", lang): figures["basis"].map(lambda b: t(f"basis.{b}", lang)),
            t("figure.head.means", lang): localised(figures, "means", lang),
            t("figure.head.as_of", lang): figures["as_of"],
            t("figure.head.id", lang): figures["figure"] + figures["key"].map(lambda k: f"[{k}]" if k else ""),
        }
    )


def records(figures: pd.DataFrame) -> list[dict]:
    """The figures as JSON records (``figures.json`` of the pack)."""
    return [{k: _value(v) for k, v in row.items()} for row in figures.to_dict("records")]


def late_villages(a: Analysis) -> pd.DataFrame:
    """The villages behind their batch's deadline on the analysis's date (:func:`landkit.relocation.late_villages`)."""
    from .relocation import late_villages as late

    villages = a.layers.get("villages")
    if villages is None or not a.relocation:
        return pd.DataFrame(columns=["name", "batch", "due_on", "relocation_status", "households", "days_late"])
    return late(villages, a.layers.get("relocation_events"), as_of=a.day)


def _pace_rows(a: Analysis) -> list[dict]:
    """The pace's figures: each target with a deadline (months left, needed and achieved per month),
    how many targets are behind, and the villages behind their batch's deadline."""
    rows: list[dict] = []
    goals = a.progress
    if goals is not None and len(goals) and "behind" in goals:
        due = goals[goals["due"].notna()]
        names, names_en = due["name"].astype(str), due["name_en"].astype(str)
        for column in PACE:
            rows += _rows(f"target.{column}", due[column], names, names_en)
        rows.append({"figure": "targets.behind", "key": "", "value": int((due["behind"] == True).sum())})  # noqa: E712
    if a.relocation:
        late = late_villages(a)
        rows.append({"figure": "relocation.late_villages", "key": "", "value": len(late)})
        rows.append({"figure": "relocation.late_households", "key": "", "value": int(late["households"].sum())})
    return rows
