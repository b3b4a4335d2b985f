"""Column headers as planners read them: each table's column codes with their Chinese header.

English keeps the codes themselves (``area_mu``, ``stated_mu``): what scripts and the JSON use.
:func:`headers` gives the renaming for a language; :func:`method_label` says an area method.
"""

from __future__ import annotations

import re

from . import language

#: every table's columns (findings, totals, targets, lists)
HEADERS = {
    "rule": "规则", "severity": "级别", "layer": "图层", "ids": "要素编号", "area_m2": "面积(m²)",
    "area_mu": "面积(亩)", "message": "说明", "count": "要素数", "not_measured": "未量算",
    "stated_mu": "登记面积(亩)", "target": "目标", "label_zh": "名称", "target_mu": "目标(亩)",
    "measured_mu": "实测面积(亩)", "measured_m2": "实测面积(m²)", "share_stated": "完成比例",
    "remaining_mu": "剩余(亩)",
    "status": "状态", "parcels": "地块数", "stated_km2": "登记面积(km²)", "measured_km2": "实测面积(km²)",
    "kind": "类型", "statuses": "状态", "area_of": "面积口径", "rule_code": "规则代码",
    "target_name": "目标", "due": "期限", "done_mu": "完成(亩)", "done_measured_mu": "完成·实测(亩)",
    "share": "完成比例", "parcels_done": "完成地块数", "overdue": "逾期", "done": "已完成",
    "parcel_id": "地块编号", "village": "村", "target_status": "目标状态", "project": "项目",
    "compensation": "补偿方式",
}  # fmt: skip

#: the planning-zone table (:func:`landkit.planning.zone_versions`)
ZONE_HEADERS = {
    "version": "版本", "name": "名称", "stated_km2": "批复面积(km²)", "area_km2": "实测面积(km²)",
    "area_mu": "实测面积(亩)", "stated_minus_measured_km2": "批复减实测(km²)", "added_km2": "新增面积(km²)",
    "added_mu": "新增面积(亩)", "parcels_newly_inside": "新纳入地块数", "villages_newly_inside": "新纳入村数",
    "villages_newly_inside_names": "新纳入村庄", "reserve_km2": "储备面积(km²)", "reserve_mu": "储备面积(亩)",
    "reserve_share": "储备占比", "added_cultivated_mu": "新增耕地(亩)", "added_farmland_m2": "新增永久基本农田(m²)",
    "added_farmland_mu": "新增永久基本农田(亩)", "added_redline_m2": "新增生态保护红线(m²)",
    "added_redline_mu": "新增生态保护红线(亩)", "added_outside_boundary_m2": "新增城镇开发边界外(m²)",
    "added_outside_boundary_mu": "新增城镇开发边界外(亩)",
}  # fmt: skip

#: the 本月变化 page's own columns
CHANGES_HEADERS = {
    "parcels_before": "期初地块", "mu_before": "期初实测(亩)", "parcels_after": "期末地块",
    "mu_after": "期末实测(亩)", "mu_change": "实测变化(亩)", "before": "原状态", "after": "新状态",
    "area_mu": "实测面积(亩)", "date": "日期",
    "event_type": "事件类型", "document_ref": "文号", "note": "备注", "index": "状态",
}  # fmt: skip

#: the ``landkit changes`` summary by status (shorter than the 本月变化 page's)
PERIOD_HEADERS = {
    "parcels_before": "期初地块", "mu_before": "期初(亩)", "parcels_after": "期末地块", "mu_after": "期末(亩)",
    "mu_change": "变化(亩)",
}  # fmt: skip

_TABLES = {"all": HEADERS, "zones": ZONE_HEADERS, "changes": CHANGES_HEADERS, "period": PERIOD_HEADERS}


def headers(lang: str | None = None, *tables: str) -> dict[str, str]:
    """The renaming of columns for ``lang``: Chinese headers (``tables``: ``all`` first, then
    ``zones`` or ``changes`` over it), or none in English (the codes are the headers)."""
    if language(lang) != "zh":
        return {}
    out: dict[str, str] = {}
    for name in tables or ("all",):
        out |= _TABLES[name]
    return out


def renamed(table, lang: str | None = None, *tables: str):
    """``table`` with its headers for ``lang`` (see :func:`headers`): its columns and its index's name
    in Chinese, as it is in English."""
    names = headers(lang, *tables)
    return table.rename(columns=names).rename_axis(names.get(table.index.name, table.index.name))


def localised(table, column: str, lang: str | None = None):
    """``column`` of ``table`` in ``lang``: its twin for the language (``message_zh``, ``name_en``)
    where the table has one and it says something, else the column itself."""
    twin = f"{column}_{language(lang)}"
    if twin not in table:
        return table[column]
    said = table[twin]
    return said.where(said.notna() & (said.astype(str) != ""), table[column])


def method_label(method: str, lang: str | None = "zh") -> str:
    """An area method (``attrs["area_method"]``) as planners read it: 椭球面积 …, or as it is with ``lang="en"``."""
    if language(lang) != "zh":
        return method
    if method.startswith("ellipsoidal (CGCS2000 ellipsoid; "):
        return "椭球面积（CGCS2000 椭球；等积投影，或地块按精确面积比例）"
    if m := re.fullmatch(
        r"ellipsoidal \(CGCS2000 ellipsoid, (.*) formula, (?:edges densified to (.*) m|vertices as given)\)", method
    ):
        how = f"边加密至 {m[2]} m" if m[2] else "按原顶点"
        return f"椭球面积（CGCS2000 椭球，{m[1]}公式，{how}）"
    if m := re.fullmatch(r"planar \((.*)\), not ellipsoidal", method):
        return f"平面面积（{m[1]}），非椭球面积"
    return method


def yes(flags, lang: str | None = None):
    """Yes/no values as a planner reads them: 是 (yes) or blank, not True/False."""
    from . import t

    return flags.map({True: t("cli.yes", lang), False: ""})


#: the 本月变化 page's relocation steps and payments (landkit.period)
CHANGES_HEADERS |= {
    "village_code": "村代码", "households": "户数", "payment_id": "支付编号", "kind": "款项",
    "amount_yuan": "金额(元)", "paid_before_yuan": "此前累计已付(元)", "paid_after_yuan": "累计已付(元)",
}  # fmt: skip
