"""Chinese words of the audit's findings (landkit.topology, landkit.audit), by code; English: en_findings.py.

A finding's ``message`` and ``message_zh`` are both said from its code here (:func:`landkit.i18n.both`),
with the same fields, so that its two texts cannot drift apart."""

MESSAGES: dict[str, str] = {
    "finding.and": " 与 ",
    "finding.invalid_geometry": "{id}：图形无效（{reason}），面积不可信。请重新绘制，或尝试 repair_geometry()",
    "finding.overlap.duplicate": "{a} 与 {b}：重复图形（同一块地登记了两次），{m2:,.1f} m²（{mu:,.2f} 亩）被重复计算",
    "finding.overlap.inside": "{a} 与 {b}：包含（一块地在另一块之内），{m2:,.1f} m²（{mu:,.2f} 亩）被重复计算",
    "finding.overlap.overlap": "{a} 与 {b}：重叠 {m2:,.1f} m²（{mu:,.2f} 亩）被重复计算",
    "finding.digitising_overlap": (
        "{a} 与 {b}：数字化重叠，宽度小于 {snap_m:g} m 的容差，但有 {m2:,.1f} m²（{mu:,.2f} 亩）被两块地重复计算；"
        "请将公共边只绘制一次"
    ),
    "finding.gap.two": "{ids} 之间有 {width:.2f} m 宽的缝隙，面积 {m2:,.1f} m²；应使两块地相接",
    "finding.gap.more": "{ids} 之间有 {width:.2f} m 宽的缝隙，面积 {m2:,.1f} m²；应使这些地块相接",
    "finding.outside": "{id}：有 {m2:,.1f} m²（{mu:,.2f} 亩，占 {share:.0%}）超出{boundary}",
    "finding.boundary.county": "县域",
    "finding.area_mismatch": (
        "{id}：登记 {stated:,.2f} 亩，实测 {measured:,.2f} 亩（椭球面积），相差 {diff:+,.2f} 亩，"
        "超过允许的 {allowed:,.1f} m²；请核对权属资料或图形"
    ),
}
MESSAGES |= {
    # the ledgers against their layers (landkit.audit)
    "finding.noun.parcel": "地块",
    "finding.noun.village": "村庄",
    "finding.etc": "等",
    "finding.ledger.unknown": "{table}中有 {n} 个{noun}不在{layer}图层中：{ids}",
    "finding.ledger.refused": "{id}：事件 {event} 不符合状态流程：{reason}",
    "finding.ledger.future": (
        "{n} 条{table}的日期晚于今天（最晚为 {latest}），是否年份写错？请记录一条日期为今天的更正事件"
    ),
    "finding.ledger.differs": "{id}：台账为 {ledger}，{layer}图层为 {said}；运行 landkit sync 使图层跟随台账",
    "finding.ledger.missing": (
        "{n} 个{noun}没有台账事件：请记录其初始状态（或运行 landkit sync --apply --as-of 日期，记为期初余额）"
    ),
    "finding.capacity": (
        "{name}：第 {batch} 批搬迁后安置 {people:,} 人（容量 {capacity_people:,} 人）、"
        "{households:,} 户（容量 {capacity_households:,} 户），超出安置容量"
    ),
    "finding.gcj02": (
        "县域范围的坐标是 GCJ-02（高德地图的偏移坐标，向东南偏东偏移约 590 m），却声明为 CGCS2000/WGS84："
        "使用前请用 landkit.gcj02_to_wgs84 转换"
    ),
}
