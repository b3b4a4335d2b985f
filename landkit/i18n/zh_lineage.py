"""Chinese words of parcel lineage (`landkit resurvey`, `landkit history`); English: en_lineage.py."""

MESSAGES: dict[str, str] = {
    # the commands
    "cmd.resurvey.short": "按勘测成果分割、合并或重测地块（旧地块转入历史）",
    "cmd.resurvey.help": (
        "按勘测定界成果更新地块：每个新地块有 parcel_id（地块编号）和 replaces（被替代的原地块编号，"
        "用 ; ； , ， 或空格分隔）。1→1 同号为重新测量，1→n 为分割，n→1 为合并，n→m 为重新划分。"
        "在一个事务中：原地块转入历史图层（parcels_history，附注销日期、文号和后继地块），新地块写入 parcels，"
        "台账追加注销和新设事件，列有原地块的目标改列新地块。写入前检查：面积差超过测量限差（面积核对规则的 "
        "0.0003·M·√P）须加 --accept-area-change；新地块与交付范围外的地块重叠、原地块不存在或已注销、编号冲突，"
        "均拒绝，不写入任何内容。\n"
        "示例：landkit resurvey lushan.gpkg --from 勘测成果.gpkg --date 2026-12-01 --doc 鲁勘〔2026〕12号"
    ),
    "opt.resurvey.from": "勘测成果文件（.gpkg、.shp、.geojson 或报部格式 .txt）。",
    "opt.resurvey.layer": "成果文件中的图层（默认第一个）。",
    "opt.resurvey.date": "变更日期：原地块注销、新地块生效的日期。",
    "opt.resurvey.doc": "变更依据的文号（记入历史和台账）。",
    "opt.resurvey.accept_area_change": "允许新地块的实测总面积与原地块相差超过测量限差。",
    "opt.resurvey.status": "新地块的状态（原地块状态不一致时必填）。",
    "cmd.history.short": "地块的来历：祖先、后继和事件",
    "cmd.history.help": (
        "列出地块的祖先（它由哪些地块分割、合并而来）、后继（它被哪些地块取代）、历次变更和台账事件。\n"
        "示例：landkit history lushan.gpkg CB00001"
    ),
    "arg.history.parcel": "地块编号（现有或已注销的）。",
    "opt.resurvey.rules": "规则文件（TOML）：面积核对的比例尺（测量限差）和重叠容差。",
    "opt.map.as_of": "按该日的地块绘图：当日有效的地块（已注销的按历史取回）及其当日状态。",
    "opt.print.as_of": "按该日的地块出图：当日有效的地块（已注销的按历史取回）及其当日状态。",
    "opt.export.as_of": "导出该日的地块：当日有效的地块（已注销的按历史取回）及其当日状态。",
    "opt.areas.as_of": "量算该日有效的地块（已注销的按历史图层取回）；仅用于 parcels 图层。",
    "rule.lineage": "地块来历",
    "map.parcels_history": "历史地块",
    # the command's output
    "cli.resurvey.done": "{path}：{date} 注销 {parents} 个地块，新设 {children} 个地块（文号 {doc}）",
    "cli.resurvey.group": (
        "  {change}：{parents} → {children}；面积 {before} → {after} m²（{diff:+,.2f}，限差 {allowed}）"
    ),
    "cli.history.head": "地块 {id}（{state}）",
    "cli.history.current": "现有",
    "cli.history.retired": "已注销",
    "cli.history.ancestors": "祖先：{ids}",
    "cli.history.descendants": "后继：{ids}",
    "cli.history.today": "现有后继：{ids}",
    "cli.history.survey": "  {date} {change}：{parents} → {children}（文号 {doc}）",
    "cli.history.events": "台账事件：",
    "cli.history.event": "  {date} {kind}：{status}（文号 {doc}）",
    "cli.history.none": "无",
    "lineage.change.resurvey": "重新测量",
    "lineage.change.split": "分割",
    "lineage.change.merge": "合并",
    "lineage.change.reparcel": "重新划分",
    # refusals
    "lineage.refusal.after_retired": "该地块已注销；请在其后继地块上录入",
    "lineage.refusal.retired_status": "注销事件的状态须是地块当时的状态",
    "lineage.refusal.created_not_first": "新设只能是地块的第一条事件（或紧随其注销）",
    "lineage.retired_parcel": (
        "地块 {key!r} 已于 {date} 注销（文号 {doc}），现由 {successors} 取代；请在这些地块上录入"
    ),
    "lineage.delivery_column": "{path}：勘测成果没有 {column} 列（现有：{have}）；请加上 parcel_id 和 replaces 两列",
    "lineage.delivery_blank_id": "{path}：第 {row} 个要素没有地块编号；请填写 parcel_id",
    "lineage.delivery_duplicate": "{path}：地块编号 {id} 出现了两次；每个新地块一个编号",
    "lineage.delivery_no_replaces": (
        "{path}：地块 {id} 没有填写 replaces（被替代的原地块）；新增地块请用 landkit import"
    ),
    "lineage.delivery_bad_geometry": "{path}：地块 {id} 的图形为空或无效；请在成果中修正后再交付",
    "lineage.parent_retired": "{path}：原地块 {id} 已于 {date} 注销（由 {by} 取代）；请改为替代其后继地块",
    "lineage.no_such_parent": "{path}：原地块 {id} 不在本工程文件中；请检查 replaces 中的编号",
    "lineage.id_taken": "{path}：新地块编号 {id} 已被另一个现有地块使用；请换一个编号",
    "lineage.id_retired": "{path}：新地块编号 {id} 是一个已注销地块的编号，编号不能复用；请换一个编号",
    "lineage.recorded_by_resurvey": "注销和新设事件由 landkit resurvey 按勘测成果写入，不能手工录入",
    "lineage.area_changed": (
        "{path}：{parents} → {children} 实测面积 {before} → {after} m²，相差 {diff} m²，超过测量限差 {allowed} m²"
        "（共 {count} 组超限）；请核对成果，确属面积变更时加 --accept-area-change。没有写入任何内容"
    ),
    "lineage.overlap": (
        "{path}：新地块 {child} 与地块 {other} 重叠 {m2} m²（超过容差：{snap_m} m 内的偏差不计，"
        "重叠须大于 {min_m2} m²）；请修正成果后再交付。没有写入任何内容"
    ),
    "lineage.statuses_differ": "{path}：原地块 {parents} 的状态不一致（{statuses}）；请用 --status 指定新地块的状态",
    "lineage.changed_meanwhile": "{path}：地块 {id} 在检查后被另一程序改动；请重新运行",
    "lineage.no_parcels": "{path}：工程文件没有地块图层（parcels）",
    "lineage.no_such_parcel": "地块 {id!r} 既不是现有地块，也不在历史中；请检查编号",
    "lineage.as_of_layer": "--as-of 只用于 parcels 图层（{layer} 没有历史）",
    "store.lineage_backend": "{where}：这种工程暂不支持地块变更（resurvey）；请在 GeoPackage 中进行",
    "store.no_geometry_column": "图层 {layer} 没有几何列",
}
