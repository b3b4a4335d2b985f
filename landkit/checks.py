"""The checks of a project against its contract (:mod:`landkit.schema`): per layer, its columns,
values and geometry; across layers, ids, targets and coordinate systems. Each finding is a
:class:`Problem`; :func:`validate` raises them as one SchemaError.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import DataError, Phrase, SchemaError
from .i18n import t
from .schema import GEOMETRY_ONLY, LAYERS, TARGET_KINDS, Column, Layer, as_code, layer_label

if TYPE_CHECKING:
    import pandas as pd

_GEOM_TYPES = {
    "Polygon": {"Polygon", "MultiPolygon"},
    "LineString": {"LineString", "MultiLineString"},
    "Any": {"Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString", "MultiLineString"},
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a project: where it is, what it is, and how to fix it."""

    layer: str
    problem: str
    fix: str
    features: tuple[str, ...] = ()
    severity: str = "error"
    rule: str = "schema"  # the audit rule it belongs to: schema, duplicate_id, empty_geometry, crs_zone
    exclude: bool = False  # these features cannot be measured: left out of the other checks and totals
    problem_zh: str = ""  # the problem and the fix as a planner reads them (the English where empty)
    fix_zh: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The problem in one line: in Chinese (the layer's label, its features, what, 处理), or
        ``str(problem)`` with ``lang="en"``."""
        where = layer_label(self.layer, lang)
        if self.features:
            shown = t("ledger.list_sep", lang).join(map(str, self.features[:5]))
            more = t("problem.more", lang, n=len(self.features) - 5) if len(self.features) > 5 else ""
            where = t("problem.features", lang, where=where, shown=shown, more=more)
        problem, fix = (
            (self.problem_zh or self.problem, self.fix_zh or self.fix) if lang == "zh" else (self.problem, self.fix)
        )
        return t("problem.line", lang, where=where, problem=problem, fix=fix)


def _ids(df: pd.DataFrame, layer: Layer) -> pd.Series:
    import pandas as pd

    if layer.id in df.columns:
        return df[layer.id]
    return pd.Series(df.index, index=df.index)


def _kind_ok(values: pd.Series, kind: str) -> bool:
    import pandas as pd
    from pandas.api import types as ptypes

    present = values.dropna()
    if kind == "text":
        return ptypes.is_string_dtype(values) and ptypes.infer_dtype(present, skipna=True) in ("string", "empty")
    if kind == "date":
        if ptypes.is_datetime64_any_dtype(values):
            return True
        return bool(pd.to_datetime(present.astype(str), errors="coerce", format="ISO8601").notna().all())
    if not ptypes.is_numeric_dtype(values) or ptypes.is_bool_dtype(values):
        return False
    return kind == "float" or bool((present == present.round()).all())


#: Column kinds as planners read them.
_KINDS_ZH = {"text": "文本", "int": "整数", "float": "数值", "date": "日期"}


def _choices(allowed: Mapping[str, str]) -> tuple[str, str]:
    """The allowed values of a column, in English and in Chinese (code and label)."""
    return ", ".join(allowed), "、".join(f"{code}（{name}）" for code, name in allowed.items())


def check_layer(df: pd.DataFrame, name: str) -> list[Problem]:
    """Return every way ``df`` breaks the contract of project layer ``name`` (empty if none)."""
    import pandas as pd

    layer = LAYERS[name]
    problems: list[Problem] = []
    present = set(df.columns) | {df.index.name}
    ids = _ids(df, layer).astype(object).where(_ids(df, layer).notna(), "(no id)").astype(str)

    def add(problem: str, fix: str, zh: tuple[str, str], mask: pd.Series | None = None, rule: str = "schema") -> None:
        features = tuple(ids[mask.to_numpy()]) if mask is not None else ()
        problems.append(Problem(name, problem, fix, features, rule=rule, problem_zh=zh[0], fix_zh=zh[1]))

    if not len(df):
        problems.append(
            Problem(
                name,
                "layer is empty (0 features)",
                f"bring its features in (landkit import SOURCE PROJECT --layer {name}) or remove the layer",
                severity="error" if name == "parcels" else "warning",
                problem_zh="图层为空（0 个要素）",
                fix_zh=f"导入它的要素（landkit import SOURCE PROJECT --layer {name}），或删除该图层",
            )
        )
    missing = [c for c in layer.column_names if c not in present]
    required_missing = [c for c in missing if c == layer.id or _column(layer, c).required]
    if required_missing and name in GEOMETRY_ONLY:
        # a real layer as it comes (永久基本农田 with its own columns): checked on its geometry all the same
        problems.append(_own_columns(df, name, required_missing))
    elif required_missing:
        add(
            f"missing column(s) {', '.join(required_missing)}",
            f"add them; the layer's columns are {', '.join(layer.column_names)}",
            (
                f"缺少字段 {'、'.join(required_missing)}",
                f"补上这些字段；该图层的字段为 {'、'.join(layer.column_names)}",
            ),
        )
    if layer.id in present:
        key = _ids(df, layer)
        if key.isna().any():
            add(
                f"{layer.id} is empty",
                f"give every feature a {layer.id}",
                (f"{layer.id}（编号）为空", f"为每个要素填写 {layer.id}"),
                key.isna(),
            )
        dup = key.duplicated(keep=False) & key.notna()
        if dup.any():
            add(
                f"duplicate {layer.id}",
                f"give each feature its own {layer.id}",
                (f"{layer.id}（编号）重复", f"每个要素使用各自的 {layer.id}"),
                dup,
                rule="duplicate_id",
            )
        if layer.id_kind == "text" and pd.api.types.is_numeric_dtype(key):
            add(
                f"{layer.id} holds numbers; ids are text (a number loses its leading zeros and no longer "
                "matches the ledger's ids)",
                f"store {layer.id} as text",
                (
                    f"{layer.id} 存的是数字；编号应为文本（数字会丢掉前导零，与台账的编号对不上）",
                    f"把 {layer.id} 存为文本",
                ),
            )
        if layer.id_kind == "int" and not _kind_ok(key, "int"):
            add(
                f"{layer.id} should hold whole numbers (1, 2, 3 …) but holds {key.dtype}",
                "number the events 1, 2, 3 … in the order they were recorded",
                (f"{layer.id} 应为整数（1、2、3 …），实为 {key.dtype}", "按记录的先后给事件编号 1、2、3 …"),
            )
    for col in layer.columns:
        if col.name not in df.columns:
            continue
        values = df[col.name]
        what = f"{col.name}（{col.label_zh}）"
        if col.kind in ("float", "int") and (texts := df.attrs.get(TEXT_IN_NUMBERS, {}).get(col.name)):
            problems.append(_text_in_number(name, col, texts))
        if not _kind_ok(values, col.kind):
            add(
                f"column {col.name} should hold {col.kind} values but is {values.dtype}",
                f"convert {col.name} to {col.kind}",
                (
                    f"字段 {what} 应为{_KINDS_ZH[col.kind]}，实为 {values.dtype}",
                    f"把 {col.name} 转为{_KINDS_ZH[col.kind]}",
                ),
            )
            continue
        if col.required and values.isna().any():
            add(f"{col.name} is empty", f"fill in {col.name}", (f"{what}为空", f"填写 {what}"), values.isna())
        if col.kind in ("float", "int") and (infinite := values.notna() & (values.abs() == float("inf"))).any():
            add(
                f"{col.name} is not a finite number",
                f"give {col.name} ({col.label_zh}) its real value",
                (f"{what}不是有限的数", f"填写 {what}的实际值"),
                infinite,
            )
        if col.positive and (values.notna() & (values <= 0)).any():
            add(
                f"negative or zero {col.name}",
                f"give {col.name} ({col.label_zh}) its real, positive value",
                (f"{what}为负数或零", f"填写 {what}的实际值（正数）"),
                values.notna() & (values <= 0),
            )
        if col.allowed is not None:
            allowed = col.allowed
            known = (
                values.map(lambda v, a=allowed: as_code(v, a) is not None) if col.labels else values.isin(list(allowed))
            )
            bad = values.notna() & ~known.astype(bool)
            if bad.any():
                unknown = ", ".join(sorted(map(repr, values[bad].unique()))[:5])
                choices, choices_zh = _choices(allowed)
                add(
                    f"unknown {col.name} value(s) {unknown}",
                    f"use one of {choices}",
                    (f"{what}的值 {unknown} 不是允许的值", f"使用其中之一：{choices_zh}"),
                    bad,
                )
    if layer.geometry is not None:
        problems += _check_geometry(df, layer, ids)
    return problems


#: ``df.attrs`` key the GeoPackage reader sets: a layer's number cells held as text, column -> id -> text.
TEXT_IN_NUMBERS = "landkit.text_in_numbers"
#: The number a text begins with: what SQLite, so GDAL and QGIS, read from it in a number column
#: (ASCII digits only: SQLite reads ``１２００`` as 0).
_LEADING_NUMBER = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)", re.ASCII)


def _text_in_number(layer: str, col: Column, texts: Mapping) -> Problem:
    """A number column's cells stored as text, said with what other programs read and what to write:
    ``4.6万`` in a GeoPackage REAL column is 4.6 in QGIS and GDAL; written 46000 it is 46000 everywhere."""
    from decimal import Decimal

    from .errors import LedgerError
    from .payments import read_yuan

    shown, misread, fixed = [], [], []
    for text in list(texts.values())[:5]:  # a line names five, as for features
        lead = _LEADING_NUMBER.match(text)
        shown.append(repr(text))
        misread.append(f"{Decimal(lead[1]).normalize():f}" if lead else "0")
        try:
            fixed.append(f"{text} → {read_yuan(text).normalize():f}")
        except LedgerError:
            fixed.append(f"{text} → ?")
    said = {"what": col.name, "label": col.label_zh}
    return Problem(
        layer,
        t("check.text_in_number", "en", values=", ".join(shown), misread=", ".join(misread), **said),
        t("check.text_in_number_fix", "en", fixed="; ".join(fixed)),
        tuple(map(str, texts)),
        problem_zh=t("check.text_in_number", "zh", values="、".join(shown), misread="、".join(misread), **said),
        fix_zh=t("check.text_in_number_fix", "zh", fixed="；".join(fixed)),
    )


def _own_columns(df: pd.DataFrame, name: str, missing: list[str]) -> Problem:
    """A warning for a :data:`~landkit.schema.GEOMETRY_ONLY` layer without some of landkit's columns:
    what is missing, what its features are named by (its own id column, else the feature number)."""
    layer = LAYERS[name]
    code = "schema.own_columns_code" if name == "land_use" and "code" in missing else "schema.own_columns"

    def said(lang: str) -> tuple[str, str]:
        sep = t("ledger.list_sep", lang)
        named = (
            t("schema.own_id", lang, column=df.index.name) if df.index.name else t("schema.fid_id", lang, id=layer.id)
        )
        fix = t("schema.own_columns_fix", lang, columns=sep.join(layer.column_names))
        return t(code, lang, columns=sep.join(missing), named=named), fix

    (problem, fix), (problem_zh, fix_zh) = said("en"), said("zh")
    return Problem(name, problem, fix, severity="warning", problem_zh=problem_zh, fix_zh=fix_zh)


def _column(layer: Layer, name: str) -> Column:
    return next(c for c in layer.columns if c.name == name)


def _check_geometry(df: pd.DataFrame, layer: Layer, ids: pd.Series) -> list[Problem]:
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    name = layer.name
    if not isinstance(df, gpd.GeoDataFrame) or df.active_geometry_name not in df.columns:
        return [
            Problem(
                name,
                "has no geometry column",
                f"give it {layer.geometry} geometries",
                problem_zh="没有图形字段",
                fix_zh=f"为它存入 {layer.geometry} 图形",
            )
        ]
    geometry = df.geometry
    problems = []
    if df.crs is None:
        problems.append(
            Problem(
                name,
                "has no coordinate reference system",
                "declare the CRS the coordinates are in, e.g. gdf.set_crs('EPSG:4547') "
                "(CGCS2000 Gauss-Krueger CM 114E) or 'EPSG:4490' (CGCS2000 lon/lat)",
                rule="crs_zone",
                problem_zh="没有声明坐标参考系",
                fix_zh="声明坐标所在的坐标系，例如 gdf.set_crs('EPSG:4547')（CGCS2000 高斯-克吕格，中央经线 114°E）"
                "或 'EPSG:4490'（CGCS2000 经纬度）",
            )
        )
    null = geometry.isna().to_numpy()
    empty = ~null & geometry.is_empty.to_numpy()
    for mask, what, fix, what_zh in (
        (null, "feature(s) without geometry", "draw or delete them", "要素没有图形"),
        (empty, "empty geometry", "draw or delete these features", "图形为空"),
    ):
        if mask.any():
            blank = tuple(ids[mask])
            problems.append(
                Problem(name, what, fix, blank, rule="empty_geometry", problem_zh=what_zh, fix_zh="补画或删除这些要素")
            )
    types = geometry.geom_type.to_numpy()
    allowed = _GEOM_TYPES[layer.geometry or "Any"]
    wrong = ~null & ~empty & ~pd.Series(types).isin(list(allowed)).to_numpy()
    if wrong.any():
        found = ", ".join(sorted(set(types[wrong])))
        problems.append(
            Problem(
                name,
                f"{found} geometry where {layer.geometry} belongs",
                f"store only {layer.geometry} geometries in {name}",
                tuple(ids[wrong]),
                problem_zh=f"图形类型为 {found}，应为 {layer.geometry}",
                fix_zh=f"{name} 中只存 {layer.geometry} 图形",
            )
        )
    coords, owner = shapely.get_coordinates(geometry.to_numpy(), return_index=True)
    bad_coords = np.bincount(owner[~np.isfinite(coords).all(axis=1)], minlength=len(df)) > 0
    if bad_coords.any():
        problems.append(
            Problem(
                name,
                "coordinates that are not numbers (NaN or infinity)",
                "redraw these features or re-export them from the source; they are left out of the other checks",
                tuple(ids[bad_coords]),
                rule="invalid_geometry",
                exclude=True,
                problem_zh="坐标不是数（NaN 或无穷大）",
                fix_zh="重画这些要素，或从源数据重新导出；它们不参加其他检查",
            )
        )
    has_m = ~null & ~empty & shapely.has_m(geometry.to_numpy())
    if has_m.any():
        problems.append(
            Problem(
                name,
                "measured (M) coordinates",
                "drop M with shapely.force_2d before importing; areas are measured in 2D",
                tuple(ids[has_m]),
                problem_zh="坐标带测量值（M）",
                fix_zh="导入前用 shapely.force_2d 去掉 M；面积按二维量算",
            )
        )
    has_z = ~null & ~empty & geometry.has_z.to_numpy()
    if has_z.any():
        problems.append(
            Problem(
                name,
                "3D coordinates (Z)",
                "drop Z with shapely.force_2d before importing; areas are measured in 2D",
                tuple(ids[has_z]),
                problem_zh="三维坐标（Z）",
                fix_zh="导入前用 shapely.force_2d 去掉 Z；面积按二维量算",
            )
        )
    return problems


def check_project(layers: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Return every way a project breaks the contract: per layer, then across layers."""
    from pyproj import CRS

    problems: list[Problem] = []
    for name in LAYERS:
        if name not in layers and LAYERS[name].optional:
            continue
        if name not in layers:  # only parcels make a project; a command that needs another says so
            severity = "error" if name == "parcels" else "warning"
            problems.append(
                Problem(
                    name,
                    "layer is missing",
                    f"add a {name} layer ({LAYERS[name].label_zh})",
                    severity=severity,
                    problem_zh="缺少该图层",
                    fix_zh=f"添加 {name} 图层（{LAYERS[name].label_zh}）",
                )
            )
        else:
            problems += check_layer(layers[name], name)
    problems += _crs_problems(layers) + _target_problems(layers)
    crss = {name: CRS.from_user_input(df.crs) for name, df in layers.items() if getattr(df, "crs", None) is not None}
    if len({c.to_wkt() for c in crss.values()}) > 1:
        described = "; ".join(f"{n}: {c.to_string()}" for n, c in crss.items())
        problems.append(
            Problem(
                "project",
                f"layers are in different CRSs ({described})",
                "reproject every layer to one CRS with gdf.to_crs(...) before writing",
                rule="crs_zone",
                problem_zh=f"各图层的坐标系不一致（{described}）",
                fix_zh="写入前用 gdf.to_crs(...) 把所有图层转到同一坐标系",
            )
        )
    return problems


def _id_set(df: pd.DataFrame, key: str) -> set[str]:
    """A layer's ids as text, whether the id is its index (read by landkit) or a column."""
    return set(df.index.astype(str)) if df.index.name == key else set(map(str, df.get(key, [])))


def _target_problems(layers: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Targets whose parcels are not in the project, tasks without parcels, stocks without a figure."""
    import pandas as pd

    targets, members = layers.get("targets"), layers.get("target_parcels")
    if targets is None or not {"kind", "status"} <= set(targets.columns):
        return []
    problems: list[Problem] = []

    def add(layer: str, ids, en: tuple[str, str], zh: tuple[str, str]) -> None:
        problems.append(Problem(layer, en[0], en[1], tuple(map(str, ids)), problem_zh=zh[0], fix_zh=zh[1]))

    listed: set[str] = set()
    if members is not None and {"target_id", "parcel_id"} <= set(members.columns):
        parcels = layers.get("parcels")
        old = layers.get("parcels_history")  # a retired parcel stays listed: targets as of past dates
        retired = _id_set(old, "parcel_id") if old is not None else set()
        refs = [  # (column, the ids it may name, problem and fix in English, in Chinese)
            ("target_id", _id_set(targets, "target_id"),
             lambda ids: f"rows name target(s) {', '.join(ids[:5])} that targets does not have",
             "add the target to the targets table, or delete those rows",
             lambda ids: f"有行引用了 targets 表中没有的目标 {'、'.join(ids[:5])}",
             "在 targets 表中补上该目标，或删除这些行"),
            ("parcel_id", _id_set(parcels, "parcel_id") | retired if parcels is not None else None,
             lambda ids: f"{len(ids)} parcel id(s) that the parcels layer does not have",
             "correct the parcel ids, or delete those rows",
             lambda ids: f"{len(ids)} 个地块编号在储备地块图层中没有", "更正这些地块编号，或删除这些行"),
        ]  # fmt: skip
        for column, known, en, en_fix, zh, zh_fix in refs:
            if known is None:
                continue
            stray = list(members.loc[~members[column].astype(str).isin(known), column].astype(str).unique())
            if stray:
                add("target_parcels", stray[:20], (en(stray), en_fix), (zh(stray), zh_fix))
        listed = set(members["target_id"].astype(str))
    table = targets.reset_index() if targets.index.name == "target_id" else targets
    figure = pd.to_numeric(table.get("target_mu", pd.Series(index=table.index, dtype=float)), errors="coerce")
    for tid, kind, mu in zip(table["target_id"].astype(str), table["kind"], figure, strict=True):  # a handful
        kind = as_code(kind, TARGET_KINDS)
        if kind == "task" and tid not in listed:
            add(
                "targets",
                [tid],
                (f"task {tid} lists no parcels", "list its parcels in target_parcels (target_id, parcel_id)"),
                (f"任务 {tid} 没有列出地块", "在 target_parcels（target_id, parcel_id）中列出它的地块"),
            )
        if kind == "stock" and not mu > 0:  # NaN (blank, a stray word) is not a figure either
            add(
                "targets",
                [tid],
                (f"stock {tid} has no target_mu", "give the mu to hold in target_mu"),
                (f"存量目标 {tid} 没有目标面积（target_mu）", "在 target_mu 中填写要保有的亩数"),
            )
    return problems


def _crs_problems(layers: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Coordinates that cannot be where their CRS says, checked against the county (or the CRS's area of use).

    When most of a layer fits, the features that do not are a finding of their own and the
    rest of the layer is checked as usual; when most do not, the layer is.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    from .crs import _expected_area, county_box, crs_diagnosis, diagnose_crs, fitting_crs, misplaced, old_datum

    county = layers.get("county")
    usable = isinstance(county, gpd.GeoDataFrame) and county.crs is not None and len(county)
    # the county reprojected once, however many layers are checked against it
    reference = county_box(county) if usable and diagnose_crs(county) is None else None
    problems = []
    for name, df in layers.items():
        if (
            isinstance(df, gpd.GeoDataFrame)
            and df.crs is not None
            and not shapely.is_missing(df.geometry.to_numpy()).all()
        ):
            ref = reference if name != "county" else None
            wrong = misplaced(df, reference=ref)
            said = crs_diagnosis(df, reference=ref) if wrong.any() else None  # None when every feature fits
            if said is not None:
                problems.append(
                    Problem(
                        name,
                        said.text("en"),
                        "declare the CRS the coordinates are in",
                        rule="crs_zone",
                        problem_zh=said.text("zh"),
                        fix_zh="声明坐标实际所在的坐标系",
                    )
                )
                continue
            if datum := old_datum(df.crs):
                problems.append(
                    Problem(
                        name,
                        f"declared on the {datum} datum: comparing it with CGCS2000 data, or measuring it on "
                        "the CGCS2000 ellipsoid, needs a datum transformation PROJ only knows as a ballpark "
                        "(tens of metres)",
                        "reproject it with your surveying bureau's 7 parameters (landkit import --datum-transform)",
                        severity="warning",
                        rule="crs_zone",
                        problem_zh=f"声明为 {datum} 坐标系：与 CGCS2000 数据比较、或在 CGCS2000 椭球上量算，"
                        "需要坐标转换，而 PROJ 只有粗略的转换（误差数十米）",
                        fix_zh="用测绘部门提供的 7 参数重新投影（landkit import --datum-transform）",
                    )
                )
            if wrong.any():
                area, where = _expected_area(_crs_of(df), ref)
                bounds = np.asarray(shapely.total_bounds(df.geometry.to_numpy()[wrong]), dtype=float)
                fits = fitting_crs(bounds, area, exclude=_crs_of(df).to_epsg())
                guess = f"; their coordinates would fit EPSG:{fits[0]}" if len(fits) == 1 else ""
                problems.append(
                    Problem(
                        name,
                        f"{int(wrong.sum())} of {len(df)} features lie {where} in {_crs_of(df).name}{guess}",
                        "check where these features were digitised (another CRS, or a typo in a coordinate) and "
                        "correct or delete them; they are left out of the other checks and of the totals",
                        tuple(_ids(df, LAYERS[name]).astype(str)[wrong])
                        if name in LAYERS
                        else tuple(df.index.astype(str)[wrong]),
                        rule="crs_zone",
                        exclude=True,
                        problem_zh=f"{len(df)} 个要素中有 {int(wrong.sum())} 个位于{where.text('zh')}"
                        + f"（{_crs_of(df).name}）"
                        + (f"；其坐标符合 EPSG:{fits[0]}" if len(fits) == 1 else ""),
                        fix_zh="核查这些要素是在哪里数字化的（另一个坐标系，或坐标输错）并更正或删除；它们不参加其他检查和合计",
                    )
                )
    return problems


def _crs_of(df):
    from pyproj import CRS

    return CRS.from_user_input(df.crs)


def require_layers(layers: Mapping[str, object], names: tuple[str, ...], *, where: object, needed_by: str) -> None:
    """Raise a DataError naming the first project layer a command needs that is missing or empty."""
    for name in names:
        df = layers.get(name)
        if df is None or not len(df):  # type: ignore[arg-type]
            code = "checks.no_layer" if df is None else "checks.empty_layer"
            raise DataError(code=code, where=where, layer=name, label=LAYERS[name].label_zh, needed_by=needed_by)


def validate(layers: Mapping[str, pd.DataFrame], *, source: str = "project") -> None:
    """Raise a SchemaError listing every problem of a project, or return None if it has none."""
    problems = [p for p in check_project(layers) if p.severity == "error"]
    if problems:
        raise SchemaError(code="checks.invalid", problems=problems, source=source, count=len(problems),
                          lines=_Listed(problems))  # fmt: skip


class _Listed(Phrase):
    """Problems, one a line, in the language the message around them is said in."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems, self.code, self.fields = problems, None, {}

    def text(self, lang: str | None = None) -> str:
        from .i18n import language

        return "\n".join(f"  - {p.text(language(lang))}" for p in self.problems)
