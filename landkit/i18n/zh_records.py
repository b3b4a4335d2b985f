"""Chinese words of landkit's library (records): see zh.py for the terms and en_records.py for the English."""

MESSAGES: dict[str, str] = {
    # the ledgers (ledger.py): the words inside their messages
    "ledger.noun.events": "地块",
    "ledger.noun.relocation_events": "村",
    "ledger.no_status_yet": "无状态",
    "ledger.list_sep": "、",
    "ledger.and": "和",
    "ledger.choice": "{value}（{name}）",
    "ledger.key_said": "{key}（{said}）",
    # dates
    "ledger.date_empty": "日期为空；请写成 2026-11-27、2026年11月27日、2026/11/27 或 2026.11.27",
    "ledger.date_ambiguous": "日期 {value!r} 有歧义（日和月可能颠倒）；请年份在前，例如 2026-11-03",
    "ledger.not_a_date": "{value!r} 不是日期；请写成 2026-11-27、2026年11月27日、2026/11/27 或 2026.11.27",
    "ledger.not_in_calendar": "{value!r} 不是日历上有的日期；请检查月和日",
    "ledger.far_ahead": "日期 {date} 比今天晚一年以上；请检查年份（计划中的日期请加 --future / future=True）",
    # an event's columns
    "ledger.no_key": "没有填写 {column}",
    "ledger.no_status": "没有填写状态",
    "ledger.unknown_status": "未知的状态 {value!r}；请用以下之一：{choices}",
    "ledger.unknown_event_type": "未知的事件类型 {value!r}；请用以下之一：{choices}",
    "ledger.both_keys": "这批事件同时给出了地块（地块编号/parcel_id）和村（村代码/village_code）；请分开录入",
    "ledger.same_column_twice": "{columns} 两列都给出 {column}；请只保留一列",
    "ledger.no_key_column": "这批事件没有 parcel_id（地块编号）或 village_code（村代码）列；请加上一列",
    # why the lifecycle refuses an event
    "ledger.refusal.unknown_current": (
        "该{noun}最后记录的状态 {current!r} 不是已知状态；请先录入一条更正（附下令更正的文号）改为已知状态"
    ),
    "ledger.refusal.before_last": (
        "事件日期 {date} 早于该{noun}的最后一条事件（{last}）；事件须按日期顺序追加：请改为录入一条今天日期的更正"
    ),
    "ledger.refusal.opening_not_first": "期初只能是{noun}的第一条事件",
    "ledger.refusal.correction_without_doc": "更正须附下令更正的文号（document_ref）",
    "ledger.refusal.revocation": "撤销只能回到上一次之前的状态（{previous}），不能回到 {status}",
    "ledger.refusal.transition": "{current} → {status} 不允许；下一步只能是：{nexts}",
    "ledger.refusal.last_status": "无（该{noun}已到最后的状态）",
    # recording
    "ledger.no_layer": (
        "{path}：工程文件没有 {name} 图层（{layer}）；请先导入（landkit import SOURCE {path} --layer {layer}）再录入"
    ),
    "ledger.row": "第 {n} 行：{reason}",
    "ledger.unknown_parcel": "地块 {key!r} 不在本工程文件的地块图层中；请检查编号",
    "ledger.unknown_village": "村 {key!r} 不在本工程文件的村庄图层中；请检查村代码",
    "ledger.refused": "{key}：{reason}",
    "ledger.refused_before_opening": (
        "{reason}（它还没有任何事件，图层上的状态是 {status}：请先以期初（opening）事件类型录入这个状态，"
        "或运行 `landkit sync {path} --apply --as-of DATE`）"
    ),
    "ledger.nothing_recorded": "{path}：{reason}；没有录入任何事件",
    "ledger.refused_rows": "{path}：{total} 条事件中有 {refused} 条被拒绝；没有录入任何事件：{rows}",
    "ledger.and_more": "\n  … 另有 {count} 条",
    "ledger.event_id_text": (
        "{path}：{table}.event_id 中有文字（{value!r}）；事件编号是顺序号 1、2、3……：请在源数据中重新编号后再导入该表"
    ),
    # sync
    "ledger.sync_unknown": (
        "{path}：有 {count} 个{noun}的 {column} 不是已知状态：{found}；请改为 {statuses} 之一（或其代码），然后再同步"
    ),
    "ledger.sync_needs_as_of": (
        "{path}：有 {count} 个{noun}有状态但没有事件；请用 --as-of DATE（as_of=）给出它们期初的日期"
    ),
    # what the commands print (cli/*.py)
    "cli.identity.file": "文件 sha256",
    "cli.identity.content": "内容 sha256",
    "cli.none": "无",
    "cli.yes": "是",
    "cli.report.wrote": "已写入会议材料包，从 {path} 打开",
    "cli.wrote": "已写入 {path}",
    "cli.in_project": "{path}：{reason}",
    "cli.layer_count": "{layer} {count} 条",
    "cli.sample.wrote": "已写入示例工程文件 {project}：{counts}；{identity} {sha}",
    "cli.info.project": "{project}（{identity} {sha}）",
    "cli.info.layer": "图层",
    "cli.info.features": "要素数",
    "cli.info.geometry": "几何类型",
    "cli.info.crs": "坐标系",
    "cli.info.table": "表格",
    "cli.info.not_a_layer": "  （不是工程文件规范中的图层）",
    "cli.info.problems": "检查：{count} 个问题",
    "cli.info.ok": "检查：通过，工程文件符合工程文件规范",
    "cli.import.done": "已从 {source} 导入 {count} 个要素到 {project} 的 {layer} 图层",
    "cli.push.done": "已把 {source} 上传到 {url}：{counts}",
    "cli.pull.done": "已从 {url} 下载为 {output}：{counts}",
    "cli.grant.no_role": "请给出 --reader 角色、--recorder 角色，或两者都给",
    "cli.grant.reader": "只读角色 {name}",
    "cli.grant.recorder": "录入角色 {name}",
    "cli.grant.done": "已在 {url} 上授权 {roles}；再用 GRANT 角色 TO 用户 把角色授予具体的人",
    "cli.export.not_a_table_file": "{path}：请给出 .xlsx、.csv 或 .txt（报部格式）文件",
    "cli.progress.see_audit": "（每项检查见 `landkit audit`）",
    "cli.progress.header": "{path} 储备台账，截至 {date}（{method}）",
    "cli.progress.targets": "目标进度（完成 / 目标；`--target 编号` 列出目标的地块）",
    "cli.progress.no_targets": "本项目没有储备目标（targets 表）",
    "cli.progress.idle": "闲置土地：{count} 块，{mu} 亩",
    "cli.progress.target_named": "{id}（{name}）",
    "cli.progress.no_such_target": "没有目标 {target!r}；本项目的目标有：{known}",
    "cli.progress.target_done": "{target}：{done} / {total} 块完成，{mu} 亩",
    "cli.record.both": "请给出 地块编号 状态 --date，或 --from 文件，不要两者都给",
    "cli.record.needs": "录入需要 地块编号 状态 --date 日期（或 --from 文件.csv|xlsx）",
    "cli.record.batch": "已从 {source} 录入 {count} 条事件到 {path}（事件编号 {first}-{last}）",
    "cli.record.empty": "{source} 中没有事件；没有录入任何事件",
    "cli.record.done": "已录入事件 {event_id}：{id} → {status}，日期 {date}",
    "cli.sync.opening": "{layer}：{id} 期初状态 {status}",
    "cli.sync.unknown": "{layer}：{id} 的状态 {status!r} 不是已知状态",
    "cli.sync.status": "{layer}：{id} 由 {was} 改为 {now}",
    "cli.sync.changed": "已改动 {count} 处",
    "cli.sync.would_change": "将改动 {count} 处；加 --apply 再运行一次即写入",
    "cli.sync.no_change": "图层与台账一致，无需改动（{count} 处）",
    "cli.relocate.header": (
        "{path} 的搬迁安置方案：已在搬迁中的村（已定）保留其安置社区；其余各村按批次安置，先求拆分最少，再求户·公里最少"
    ),
    "cli.relocate.totals": "合计：{households} 户，{people} 人，{km} 户·公里",
    "cli.relocate.capacity": "按村庄图层中的安置目标核算的社区容量",
    "cli.relocate.progress": "各批次搬迁进度",
    "cli.col.village_code": "村代码",
    "cli.col.name": "名称",
    "cli.col.batch": "批次",
    "cli.col.community_id": "安置社区",
    "cli.col.households": "户数",
    "cli.col.people": "人数",
    "cli.col.distance_km": "距离(km)",
    "cli.col.fixed": "已定",
    "cli.col.household_km": "户·公里",
    "cli.col.through_batch": "至批次",
    "cli.col.capacity_people": "容量(人)",
    "cli.col.capacity_households": "容量(户)",
    "cli.col.over": "超容量",
    "cli.col.villages_by_status": "{status}村数",
    "cli.col.households_by_status": "{status}户数",
    "cli.measure.no_geometry": "{path} 的图层 {layer!r}：没有几何的表格没有面积；请选择面图层",
    "cli.measure.empty": "{path} 的图层 {layer!r}：图层为空（0 个要素），没有可量算的",
    "cli.measure.no_id_column": "{path} 的图层 {layer!r}：没有 --id 要的列 {column!r}；现有的列：{columns}",
    "cli.measure.crs": "{path} 的图层 {layer!r}：{reason}",
    "cli.areas.total": "合计",
    "cli.areas.area_m2": "面积(m²)",
    "cli.areas.area_mu": "面积(亩)",
    "cli.areas.area_ha": "面积(公顷)",
    "cli.areas.area_km2": "面积(km²)",
    "cli.areas.note": "说明",
    "cli.areas.features": "{count} 个要素",
    "cli.areas.method": "面积算法",
    "cli.zones.header": "{path} 的规划范围（{method}）",
    # relocation.py, reserve.py
    "relocation.over_capacity": (
        "{community}：已在搬迁中的村比其容量多出 {households} 户 / {people} 人；请提高容量或核实实际情况"
    ),
    "relocation.batch_does_not_fit": (
        "第 {batch} 批安置不下：需要 {households} 户、{people} 人；"
        "各社区只剩 {left_households} 户、{left_people} 人的容量。"
        "请提高容量，或把部分村移到后面的批次"
    ),
    "reserve.not_a_target": (
        "目标 {target}：类型 {kind!r} 和状态 {status!r} 构不成目标；类型请用 task（任务）或 stock（存量），"
        "状态请用地块状态之一：{statuses}"
    ),
    "reserve.until_before_since": "--until {until} 早于 --since {since}",
    # -- a problem with the project file (landkit.checks.Problem.text) --------------------------------
    "problem.line": "{where}：{problem}。处理：{fix}",
    "problem.features": "{where}（要素 {shown}{more}）",
    "problem.more": " 等，另有 {n} 个",
    # -- landkit audit, landkit changes ----------------------------------------------------------------
    "cli.audit.summary": "{path}: {count} 条问题, {severities}",
    "cli.audit.parcels": "储备地块 {count:,} 块，椭球面积 {mu:,.2f} 亩",
    "cli.changes.head": "{path} 储备台账变化 {period}：{events} 条事件，{parcels} 块地状态变化",
    "cli.changes.empty": "（台账中没有地块）",
    "cli.changes.parcel": "  {id}: {was} → {now}，{mu:,.2f} 亩",
    "cli.changes.none": "无",
    "cli.changes.findings": "新出现的审核问题 {new} 条，已解决 {resolved} 条",
    "cli.changes.new": "新",
    "cli.changes.resolved": "已解决",
    # batch headers and names (issue 28: names everywhere)
    "ledger.unknown_headers": (
        "这批事件有 {count} 个表头无法识别：{headers}；请改为以下表头之一（每组任选其一）：{expected}"
    ),
    "ledger.header_at": "{column} 列 {header}",
    "ledger.header_meant": "{column} 列 {header}（多了空格，应为 {meant}）",
    "ledger.header_blank": "（空表头，下面却有内容）",
    "ledger.no_such_village": (
        "村 {key!r} 不在本工程文件的村庄图层中（既不是村代码，也不是村名）；项目中共有 {count} 个村庄：{names}"
    ),
    "ledger.name_not_code": "村名 {name!r} 与村代码 {key} 不是同一个村；请核对两列",
    # pace: what each deadline needs per month, against the ledger's last three full months
    "pace.heading": "进度预警（近三个完整月：{since} 至 {until}，按台账事件日期）",
    "pace.no_deadlines": "  没有设定期限的目标",
    "pace.row": (
        "  {name}：期限 {due}，剩余 {remaining} 亩，剩余 {months} 个月，需每月完成 {needed} 亩，"
        "近三月月均完成 {achieved} 亩 —— {verdict}"
    ),
    "pace.row_due": "  {name}：期限 {due} 已到，剩余 {remaining} 亩，近三月月均完成 {achieved} 亩 —— {verdict}",
    "pace.behind": "滞后",
    "pace.on_pace": "进度正常",
    "pace.unknown": "无法判断（目标面积未定）",
    "pace.late_villages": "滞后村庄（所在批次搬迁期限已过、尚未搬迁）：{count} 个，{households} 户",
    "pace.late_village": "  {village} {name}：第{batch}批，期限 {due}，{status}，{households} 户，已过期 {days} 天",
    # Chinese by default in info and areas: geometry types, the features an area report leaves out
    "geometry.Point": "点",
    "geometry.MultiPoint": "多点",
    "geometry.LineString": "线",
    "geometry.MultiLineString": "多线",
    "geometry.Polygon": "面",
    "geometry.MultiPolygon": "多面",
    "geometry.GeometryCollection": "几何集合",
    "measure.excluded.no_geometry": "没有几何图形：不计入合计",
    "measure.excluded.not_polygon": "不是面：不计入合计",
    "measure.excluded.misplaced": "坐标超出其坐标系所能容纳的范围（在县域或坐标系适用范围之外）：不计入合计",
    "measure.excluded.invalid": "几何图形无效：不计入合计",
}
