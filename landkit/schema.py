"""The project file: its layers, their columns and allowed values, and the checks against them.

One GeoPackage holds one planning project. Layer names and core columns are a public contract;
this module defines them once, and the README's table is generated from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import SchemaError

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
APPEND_ONLY = ("events", "relocation_events")

#: Audit rules and severities as planners read them (Chinese first; English on request).
RULE_LABELS: dict[str, tuple[str, str]] = {
    "schema": ("数据结构", "schema"), "empty_geometry": ("空图形", "empty geometry"),
    "duplicate_id": ("编号重复", "duplicate id"), "crs_zone": ("坐标系", "CRS and zone"),
    "invalid_geometry": ("图形无效", "invalid geometry"), "overlap": ("重叠", "overlap"), "gap": ("缝隙", "gap"),
    "outside_zone": ("超出规划范围", "outside the zone"), "outside_county": ("超出县域", "outside the county"),
    "area_mismatch": ("面积不符", "stated vs measured area"), "ledger": ("台账", "ledger"),
    "capacity": ("安置容量", "capacity"), "basic_farmland": ("占用永久基本农田", "permanent basic farmland"),
    "eco_redline": ("占用生态保护红线", "ecological red line"),
    "urban_boundary": ("超出城镇开发边界", "outside the urban boundary"),
    "illegal_building": ("疑似违法占地", "suspect building"), "idle_land": ("闲置土地", "idle land"),
    "investment_intensity": ("投资强度不足", "low investment intensity"),
}  # fmt: skip
SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
}


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
    if lang != "zh":
        return str(name)
    return LAYERS[name].label_zh if name in LAYERS else {"project": "项目文件"}.get(name, str(name))


def label(code, lang: str = "zh") -> str:
    """A rule, severity, parcel status, compensation mode or layer as planners read it."""
    if not isinstance(code, str):
        return "" if code is None or code != code else str(code)  # None and NaN: nothing to say
    for table in (RULE_LABELS, SEVERITY_LABELS):
        if code in table:
            return table[code][0 if lang == "zh" else 1]
    if lang != "zh":
        return code
    for names in (PARCEL_STATUSES, COMPENSATION_MODES):
        if code in names:
            return names[code]
    return LAYERS[code].label_zh if code in LAYERS else code


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
        where = self.layer
        if self.features:
            shown = ", ".join(map(str, self.features[:5]))
            more = f" and {len(self.features) - 5} more" if len(self.features) > 5 else ""
            where += f" (feature {shown}{more})"
        return f"{where}: {self.problem}. Fix: {self.fix}."

    def text(self, lang: str = "zh") -> str:
        """The problem in one line: in Chinese (the layer's label, its features, what, 处理), or
        ``str(problem)`` with ``lang="en"``."""
        if lang != "zh":
            return str(self)
        where = layer_label(self.layer)
        if self.features:
            shown = "、".join(map(str, self.features[:5]))
            more = f" 等，另有 {len(self.features) - 5} 个" if len(self.features) > 5 else ""
            where += f"（要素 {shown}{more}）"
        return f"{where}：{self.problem_zh or self.problem}。处理：{self.fix_zh or self.fix}"


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
    if required_missing:
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
        refs = [  # (column, the ids it may name, problem and fix in English, in Chinese)
            ("target_id", _id_set(targets, "target_id"),
             lambda ids: f"rows name target(s) {', '.join(ids[:5])} that targets does not have",
             "add the target to the targets table, or delete those rows",
             lambda ids: f"有行引用了 targets 表中没有的目标 {'、'.join(ids[:5])}",
             "在 targets 表中补上该目标，或删除这些行"),
            ("parcel_id", _id_set(parcels, "parcel_id") if parcels is not None else None,
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

    from .crs import _expected_area, diagnose_crs, fitting_crs, misplaced, old_datum

    county = layers.get("county")
    usable = isinstance(county, gpd.GeoDataFrame) and county.crs is not None and len(county)
    reference = county if usable and diagnose_crs(county) is None else None
    problems = []
    for name, df in layers.items():
        if (
            isinstance(df, gpd.GeoDataFrame)
            and df.crs is not None
            and not shapely.is_missing(df.geometry.to_numpy()).all()
        ):
            ref = reference if name != "county" else None
            reason = diagnose_crs(df, reference=ref)
            if reason:
                problems.append(
                    Problem(
                        name,
                        reason,
                        "declare the CRS the coordinates are in",
                        rule="crs_zone",
                        problem_zh=diagnose_crs(df, reference=ref, lang="zh") or reason,
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
            wrong = misplaced(df, reference=ref)
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
                        problem_zh=f"{len(df)} 个要素中有 {int(wrong.sum())} 个位于"
                        + {"outside the county": "县域之外", "outside China": "中国境外"}.get(
                            where, "坐标系使用范围之外"
                        )
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
    from .errors import DataError

    for name in names:
        df = layers.get(name)
        if df is None or not len(df):  # type: ignore[arg-type]
            state = "has no" if df is None else "has an empty"
            raise DataError(
                f"{where}: {state} {name} layer ({LAYERS[name].label_zh}), which {needed_by} needs; add it with "
                f"`landkit import SOURCE {where} --layer {name}`"
            )


def validate(layers: Mapping[str, pd.DataFrame], *, source: str = "project") -> None:
    """Raise a SchemaError listing every problem of a project, or return None if it has none."""
    problems = [p for p in check_project(layers) if p.severity == "error"]
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise SchemaError(f"{source}: {len(problems)} problem(s)\n{lines}", problems)


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
