"""The project file: its layers, their columns and allowed values (the checks against them are
:mod:`landkit.checks`).

One GeoPackage holds one planning project. Layer names and core columns are a public contract;
this module defines them once, and the README's table is generated from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .i18n import named, t

if TYPE_CHECKING:
    import pandas as pd

# The vocabularies and the contract are read by the fast paths (``landkit record``), so this
# module imports pandas, geopandas and shapely only inside the functions that check data.

#: Reserve lifecycle of a parcel, in order (储备地块状态). Values are stored in English.
PARCEL_STATUSES: dict[str, str] = {
    "planned": "规划储备",  # in this year's acquisition plan
    "acquiring": "征收中",  # acquisition (征收) under way
    "acquired": "已征收",  # acquired and compensated, not yet submitted
    "submitted": "已报批",  # submitted for approval
    "approved": "已批复",  # approval granted
    "reserved": "已入库",  # entered into the land reserve
    "developing": "前期开发",  # preliminary development
    "transferred": "已出让",  # supplied by sale of use rights
    "allocated": "已划拨",  # supplied by allocation
}
COMPENSATION_MODES: dict[str, str] = {"cash": "货币补偿", "equity": "土地入股", "staged": "分期补偿"}
RELOCATION_STATUSES: dict[str, str] = {
    "planned": "待搬迁",
    "agreement_signed": "已签协议",
    "moved": "已搬迁",
    "demolished": "已拆除",
}
ROAD_STATUSES: dict[str, str] = {"planned": "规划", "under_construction": "在建", "built": "建成"}
EVENT_TYPES: dict[str, str] = {
    "transition": "状态变更",
    "revocation": "撤销",
    "correction": "更正",
    "opening": "期初",  # the opening balance of a project whose history starts from its layer
    "retired": "注销",  # a parcel retired by a survey (split, merged, re-surveyed): see landkit.lineage
    "created": "新设",  # a parcel created by a survey, in place of the ones it replaces
}
RELOCATION_EVENT_TYPES: dict[str, str] = {"transition": "状态变更", "opening": "期初"}
#: 《国土空间调查、规划、用途管制用地用海分类指南》(自然资发〔2023〕234号): the first-level
#: classes (two digits) and the second-level classes of the land (four digits) that a current
#: land-use survey (三调) codes its polygons with. ``land_use.code`` must be one of them.
LAND_USE_SOURCE = "国土空间调查、规划、用途管制用地用海分类指南（自然资发〔2023〕234号）"
LAND_USE_CODES: dict[str, str] = {
    "01": "耕地", "0101": "水田", "0102": "水浇地", "0103": "旱地",
    "02": "园地", "0201": "果园", "0202": "茶园", "0203": "橡胶园地", "0204": "其他园地",
    "03": "林地", "0301": "乔木林地", "0302": "竹林地", "0303": "灌木林地", "0304": "其他林地",
    "04": "草地", "0401": "天然牧草地", "0402": "人工牧草地", "0403": "其他草地",
    "05": "湿地", "0501": "森林沼泽", "0502": "灌丛沼泽", "0503": "沼泽草地", "0504": "其他沼泽地",
    "0505": "沿海滩涂", "0506": "内陆滩涂", "0507": "红树林地",
    "06": "农业设施建设用地", "0601": "乡村道路用地", "0602": "种植设施建设用地", "0603": "畜禽养殖设施建设用地",
    "0604": "水产养殖设施建设用地",
    "07": "居住用地", "0701": "城镇住宅用地", "0702": "城镇社区服务设施用地", "0703": "农村宅基地",
    "0704": "农村社区服务设施用地",
    "08": "公共管理与公共服务用地", "0801": "机关团体用地", "0802": "科研用地", "0803": "文化用地",
    "0804": "教育用地", "0805": "体育用地", "0806": "医疗卫生用地", "0807": "社会福利用地",
    "09": "商业服务业用地", "0901": "商业用地", "0902": "商务金融用地", "0903": "娱乐用地",
    "0904": "其他商业服务业用地",
    "10": "工矿用地", "1001": "工业用地", "1002": "采矿用地", "1003": "盐田",
    "11": "仓储用地", "1101": "物流仓储用地", "1102": "储备库用地",
    "12": "交通运输用地", "1201": "铁路用地", "1202": "公路用地", "1203": "机场用地", "1204": "港口码头用地",
    "1205": "管道运输用地", "1206": "城市轨道交通用地", "1207": "城镇道路用地", "1208": "交通场站用地",
    "1209": "其他交通设施用地",
    "13": "公用设施用地", "1301": "供水用地", "1302": "排水用地", "1303": "供电用地", "1304": "供燃气用地",
    "1305": "供热用地", "1306": "通信用地", "1307": "邮政用地", "1308": "广播电视设施用地", "1309": "环卫用地",
    "1310": "消防用地", "1311": "水工设施用地", "1312": "其他公用设施用地",
    "14": "绿地与开敞空间用地", "1401": "公园绿地", "1402": "防护绿地", "1403": "广场用地",
    "15": "特殊用地", "1501": "军事设施用地", "1502": "使领馆用地", "1503": "宗教用地", "1504": "文物古迹用地",
    "1505": "监教场所用地", "1506": "殡葬用地", "1507": "其他特殊用地",
    "16": "留白用地",
    "17": "陆地水域", "1701": "河流水面", "1702": "湖泊水面", "1703": "水库水面", "1704": "坑塘水面",
    "1705": "沟渠", "1706": "冰川及常年积雪",
    "18": "渔业用海", "19": "工矿通信用海", "20": "交通运输用海", "21": "游憩用海", "22": "特殊用海",
    "23": "其他土地", "2301": "空闲地", "2302": "田坎", "2303": "田间道", "2304": "盐碱地", "2305": "沙地",
    "2306": "裸土地", "2307": "裸岩石砾地",
    "24": "其他海域",
}  # fmt: skip
#: 三区三线: the constraint layers, what a reserve parcel must not do with each, and the default
#: severity of a conflict (changeable in the rules file).
CONSTRAINT_LAYERS: dict[str, tuple[str, str, str]] = {
    "basic_farmland": ("永久基本农田", "inside", "error"),
    "eco_redline": ("生态保护红线", "inside", "error"),
    "urban_boundary": ("城镇开发边界", "outside", "warning"),
}

#: A target is a task (these parcels, to reach a status by a date) or a stock (mu held in a status).
TARGET_KINDS: dict[str, str] = {"task": "任务", "stock": "存量"}

#: Tables that are history: rows are appended, never changed or removed.
APPEND_ONLY = ("events", "relocation_events", "payments", "parcels_history")
#: What a survey delivery did to the parcels it replaced (``parcels_history.change``).
LINEAGE_CHANGES: dict[str, str] = {"resurvey": "重新测量", "split": "分割", "merge": "合并", "reparcel": "重新划分"}

#: Audit rules and severities, by code; planners read them in the catalogue's words
#: (``rule.<code>``, ``severity.<code>`` in landkit/i18n/zh_words.py and en_words.py).
RULES: tuple[str, ...] = (
    "schema", "empty_geometry", "duplicate_id", "crs_zone", "invalid_geometry", "overlap", "gap", "outside_zone",
    "outside_county", "area_mismatch", "ledger", "lineage", "capacity", "basic_farmland", "eco_redline",
    "urban_boundary", "illegal_building", "idle_land", "investment_intensity", "digitising_overlap",
)  # fmt: skip
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def as_code(value, vocabulary: Mapping[str, str]) -> str | None:
    """A vocabulary's code from the code or its Chinese label, spaces around ignored (已批复 → approved);
    None when the value is neither (a blank, a stray word). The one reading of a status everywhere.

    Examples
    --------
    >>> as_code(" 已批复", PARCEL_STATUSES), as_code("approved", PARCEL_STATUSES), as_code("sold", PARCEL_STATUSES)
    ('approved', 'approved', None)
    """
    if value is None or value != value:
        return None
    text = str(value).strip()
    if text in vocabulary:
        return text
    return next((code for code, name in vocabulary.items() if name == text), None)


def layer_label(name, lang: str = "zh") -> str:
    """A layer as planners read it: its Chinese label (永久基本农田 is the layer, 占用永久基本农田 the
    rule about it; ``project`` is the file as a whole), or its name with ``lang="en"``."""
    return named(str(name), {"project": "项目文件"} | LAYER_NAMES, lang)


def label(code, lang: str = "zh") -> str:
    """A rule, severity, parcel status, compensation mode or layer as planners read it."""
    if not isinstance(code, str):
        return "" if code is None or code != code else str(code)  # None and NaN: nothing to say
    for kind, codes in (("rule", RULES), ("severity", SEVERITIES)):
        if code in codes:
            return t(f"{kind}.{code}", lang)
    return named(code, LAYER_NAMES | COMPENSATION_MODES | PARCEL_STATUSES, lang)


#: What the optional ``project_info`` table (key, value) may say about the project, for maps,
#: reports and QGIS: only what the data says is shown (a 示意 note only on illustrative data).
PROJECT_INFO = {
    "title": "项目名称（地图标题）",
    "title_en": "English title",
    "organisation": "制图单位",
    "source": "数据来源与版权（地图署名）",
    "illustrative": "示意数据：是/否",
}
_YES = {"是", "yes", "true", "1", "y"}


def trusted_stated(parcels: pd.DataFrame) -> pd.DataFrame:
    """The parcels with their stated areas as every output shows them (to 0.01 mu, half up), and
    a stated area that is not a positive, finite number set to NaN, so that no sum takes it in
    (the schema check names those parcels)."""
    if "stated_area_mu" not in parcels:
        return parcels
    import pandas as pd

    stated = pd.to_numeric(parcels["stated_area_mu"], errors="coerce")
    from .units import shown

    usable = stated.notna() & (stated > 0) & (stated.abs() != float("inf"))
    return parcels.assign(stated_area_mu=shown(stated.where(usable)))  # to the 0.01 mu every output shows


def project_info(layers: Mapping[str, Any]) -> dict[str, str]:
    """The project's ``project_info`` table as a dict (empty when the project has none)."""
    table = layers.get("project_info")
    if table is None or "value" not in table:
        return {}
    if "key" in table.columns:  # read as a plain table rather than keyed
        table = table.set_index("key")
    return {str(k): str(v).strip() for k, v in table["value"].items() if v is not None and v == v and str(v).strip()}


def is_illustrative(layers: Mapping[str, Any]) -> bool:
    """Whether the project says its data is illustrative (示意), not a survey."""
    return project_info(layers).get("illustrative", "").strip().lower() in _YES


@dataclass(frozen=True)
class Ledger:
    """One ledger table, the layer whose status column it decides, and its vocabulary."""

    table: str
    key: str
    layer: str
    status_column: str
    statuses: Mapping[str, str]
    event_types: Mapping[str, str]
    noun: str
    start: str | None  # the status of a feature with no event yet (None: no status)


#: The two ledgers. The ledger is the history; the layer's status column follows it.
RESERVE = Ledger("events", "parcel_id", "parcels", "status", PARCEL_STATUSES, EVENT_TYPES, "parcel", None)
RELOCATION = Ledger(
    "relocation_events",
    "village_code",
    "villages",
    "relocation_status",
    RELOCATION_STATUSES,
    RELOCATION_EVENT_TYPES,
    "village",
    "planned",
)
LEDGERS = (RESERVE, RELOCATION)

#: Column kinds and the dtypes that satisfy them.
KINDS = ("text", "int", "float", "date")


@dataclass(frozen=True)
class Column:
    """One column of a layer: its name, kind, whether it must be present and filled, and values."""

    name: str
    kind: str
    label_zh: str
    required: bool = True
    allowed: Mapping[str, str] | None = None
    positive: bool = False  # a count, capacity or area: zero or less is a mistake
    labels: bool = False  # a table planners write by hand (targets): allowed's Chinese labels are accepted too


@dataclass(frozen=True)
class Layer:
    """One layer of the project file: its id column, geometry type and columns."""

    name: str
    label_zh: str
    id: str
    geometry: str | None  # "Polygon", "LineString", "Any" or None for a table
    columns: tuple[Column, ...] = field(default_factory=tuple)
    id_kind: str = "text"  # the ledgers number their events: "int"
    must_have_features: bool = False  # an empty layer cannot be the project's (parcels)
    optional: bool = False  # no warning when the project has none (project_info)

    @property
    def column_names(self) -> list[str]:
        return [self.id] + [c.name for c in self.columns]


def _text(name: str, label: str, **kw) -> Column:
    return Column(name, "text", label, **kw)


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            "county",
            "县域范围",
            "admin_code",
            "Polygon",
            (
                _text("name", "名称"),
                _text("source", "来源"),
                _text("licence", "许可"),
                _text("datum_note", "基准说明"),
            ),
        ),
        Layer(
            "planning_zones",
            "规划范围",
            "zone_id",
            "Polygon",
            (
                Column("version", "int", "版本"),
                _text("name", "名称"),
                Column("stated_area_km2", "float", "批复面积(km²)", positive=True),
                Column("approved_on", "date", "批复日期", required=False),
            ),
        ),
        Layer(
            "parcels",
            "储备地块",
            "parcel_id",
            "Polygon",
            (
                _text("village_code", "村代码", required=False),
                _text("land_use", "用途"),
                _text("status", "状态", allowed=PARCEL_STATUSES),
                Column("stated_area_mu", "float", "登记面积(亩)", positive=True),
                _text("compensation", "补偿方式", required=False, allowed=COMPENSATION_MODES),
                Column("acquired_on", "date", "征收日期", required=False),
                Column("approved_on", "date", "批复日期", required=False),
                Column("supplied_on", "date", "供地日期", required=False),
                Column("start_due_on", "date", "约定开工日期", required=False),
                Column("started_on", "date", "实际开工日期", required=False),
                _text("project", "项目", required=False),
                Column("investment_yuan", "float", "投资额(元)", required=False),
                Column("output_yuan", "float", "年产值(元)", required=False),
            ),
        ),
        Layer(
            "villages",
            "搬迁村庄",
            "village_code",
            "Polygon",
            (
                _text("name", "村名"),
                Column("batch", "int", "批次"),
                Column("households", "int", "户数", positive=True),
                Column("population", "int", "人口", positive=True),
                _text("target_community", "安置社区", required=False),
                _text("relocation_status", "搬迁状态", allowed=RELOCATION_STATUSES),
                Column("due_on", "date", "搬迁期限", required=False),  # the village's batch must have moved by then
            ),
        ),
        Layer(
            "communities",
            "安置社区",
            "community_id",
            "Polygon",
            (
                _text("name", "名称"),
                Column("capacity_people", "int", "容纳人口", positive=True),
                Column("capacity_households", "int", "容纳户数", positive=True),
            ),
        ),
        Layer(
            "roads",
            "道路",
            "road_id",
            "LineString",
            (
                _text("name", "名称"),
                Column("planned_length_km", "float", "规划长度(km)", positive=True),
                _text("status", "状态", allowed=ROAD_STATUSES),
            ),
        ),
        Layer(
            "facilities",
            "配套设施",
            "facility_id",
            "Any",
            (_text("kind", "类型"), _text("name", "名称")),
        ),
        Layer(
            "events",
            "储备台账事件",
            "event_id",
            None,
            (
                _text("parcel_id", "地块编号"),
                Column("date", "date", "日期"),
                _text("event_type", "事件类型", allowed=EVENT_TYPES),
                _text("status", "新状态", allowed=PARCEL_STATUSES),
                _text("document_ref", "文号", required=False),
                _text("note", "备注", required=False),
            ),
            id_kind="int",
        ),
        Layer(
            "project_info",
            "项目信息",
            "key",
            None,
            (_text("value", "值", required=False),),
            optional=True,
        ),
        *(
            Layer(
                name,
                label,
                "patch_id",
                "Polygon",
                (_text("name", "名称", required=False), _text("source", "来源", required=False)),
                optional=True,
            )
            for name, (label, _, _) in CONSTRAINT_LAYERS.items()
        ),
        Layer(
            "land_use",
            "现状地类",
            "plot_id",
            "Polygon",
            (_text("code", "地类编码", allowed=LAND_USE_CODES), _text("source", "来源", required=False)),
            optional=True,
        ),
        Layer(
            "buildings",
            "建筑物",
            "building_id",
            "Polygon",
            (Column("surveyed_on", "date", "调查日期", required=False), _text("source", "来源", required=False)),
            optional=True,
        ),
        Layer(
            "price_zones",
            "征地区片",
            "zone_code",
            "Polygon",
            (_text("name", "名称"), _text("source", "来源", required=False)),
            optional=True,
        ),
        Layer(
            "compensation_rates",
            "补偿标准",
            "rate_id",
            None,
            (
                _text("kind", "项目类型"),  # land 区片综合地价, crops 青苗费, structures 地上附着物, relocation …
                _text("name", "名称"),
                Column("yuan_per_mu", "float", "元/亩", required=False, positive=True),
                Column("yuan_per_household", "float", "元/户", required=False, positive=True),
                _text("applies_to", "适用区片", required=False),
                _text("source", "依据文件"),
            ),
            optional=True,
        ),
        Layer(
            "targets",
            "储备目标",
            "target_id",
            None,
            (
                _text("name", "目标名称"),
                _text("name_en", "English name", required=False),
                _text("kind", "类型", allowed=TARGET_KINDS, labels=True),
                _text("status", "目标状态", allowed=PARCEL_STATUSES, labels=True),
                Column("target_mu", "float", "目标面积(亩)", required=False, positive=True),
                Column("due_on", "date", "期限", required=False),
                _text("project", "项目", required=False),
            ),
            optional=True,
        ),
        Layer(
            "target_parcels",
            "目标地块",
            "member_id",
            None,
            (_text("target_id", "目标编号"), _text("parcel_id", "地块编号")),
            id_kind="int",
            optional=True,
        ),
        Layer(
            "relocation_events",
            "搬迁台账事件",
            "event_id",
            None,
            (
                _text("village_code", "村代码"),
                Column("date", "date", "日期"),
                _text("status", "搬迁状态", allowed=RELOCATION_STATUSES),
                _text("event_type", "事件类型", required=False, allowed=RELOCATION_EVENT_TYPES),
                _text("document_ref", "文号", required=False),
                _text("note", "备注", required=False),
            ),
            id_kind="int",
        ),
    )
}
#: the payments ledger (补偿款支付台账): money paid to a village (or for one of its parcels), in fen,
#: appended by ``landkit pay``; a negative amount only as the correction of a payment it names
LAYERS["payments"] = Layer(
    "payments",
    "补偿支付台账",
    "payment_id",
    None,
    (
        _text("village_code", "村代码", required=False),
        _text("parcel_id", "地块编号", required=False),
        Column("date", "date", "支付日期"),
        Column("amount_fen", "int", "金额(分)"),
        _text("kind", "款项", required=False),
        _text("document_ref", "凭证号", required=False),
        Column("corrects", "int", "更正的支付编号", required=False),
        _text("note", "备注", required=False),
    ),
    id_kind="int",
    optional=True,
)
# the parcels a survey retired (landkit.lineage): each as it was on its last day, with its lifespan
# [valid_from, valid_to) and what retired it; ``parcels`` stays today's parcels
LAYERS["parcels_history"] = Layer(
    "parcels_history",
    "历史地块",
    "history_id",
    "Polygon",
    (
        _text("parcel_id", "地块编号"),
        Column("valid_from", "date", "生效日期", required=False),  # blank: from before any survey recorded
        Column("valid_to", "date", "注销日期"),
        _text("retired_by", "注销文号", required=False),
        _text("replaced_by", "后继地块"),
        _text("change", "变更类型", allowed=LINEAGE_CHANGES),
        *(replace(c, required=False) for c in LAYERS["parcels"].columns),
    ),
    id_kind="int",
    optional=True,
)
#: each layer's Chinese name (储备地块), by layer name
LAYER_NAMES: dict[str, str] = {name: layer.label_zh for name, layer in LAYERS.items()}

#: Layers landkit reads only for their geometry (三区三线, the current land use, the county outline):
#: one brought as it comes keeps its own columns. A landkit column it lacks is a warning, never a
#: disabled check, and its features are named by its own id column (the first of
#: :data:`OWN_ID_COLUMNS` whose values are all given and distinct) or else by their number (fid).
GEOMETRY_ONLY: tuple[str, ...] = (*CONSTRAINT_LAYERS, "land_use", "county")
#: The id columns real survey layers carry (标识码 BSM, 图斑编号 TBBH, 图斑预编号 TBYBH …), in order.
OWN_ID_COLUMNS: tuple[str, ...] = ("BSM", "标识码", "TBBH", "图斑编号", "TBYBH", "OBJECTID", "ID", "编号")


def own_id_column(df: Any, layer: str) -> str | None:
    """The column that names the features of a :data:`GEOMETRY_ONLY` layer without its landkit id:
    the first of :data:`OWN_ID_COLUMNS` (any case) whose values are all given and distinct."""
    if layer not in GEOMETRY_ONLY or LAYERS[layer].id in df.columns:
        return None
    by_upper = {str(c).upper(): c for c in df.columns}
    for name in OWN_ID_COLUMNS:
        col = by_upper.get(name.upper())
        if col is not None and df[col].notna().all() and df[col].is_unique:
            return str(col)
    return None


#: the checks, now in :mod:`landkit.checks`, still importable from here
_CHECKS = ("Problem", "check_layer", "check_project", "require_layers", "validate", "_crs_problems")


def __getattr__(name: str) -> Any:
    if name in _CHECKS:
        from . import checks

        return getattr(checks, name)
    raise AttributeError(f"module 'landkit.schema' has no attribute {name!r}")


def contract_markdown() -> str:
    """Return the project-file contract as the Markdown table the README shows."""
    lines = ["| layer | id | geometry | columns (* = required) |", "| --- | --- | --- | --- |"]
    for layer in LAYERS.values():
        cols = ", ".join(
            f"`{c.name}`{'*' if c.required else ''} {c.kind}" + (f" ({' / '.join(c.allowed)})" if c.allowed else "")
            for c in layer.columns
        )
        geometry = layer.geometry or "none (table)"
        lines.append(f"| `{layer.name}` {layer.label_zh} | `{layer.id}` | {geometry} | {cols} |")
    return "\n".join(lines)
