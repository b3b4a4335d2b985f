"""The command line in Chinese (the default): help, click's own words, usage errors, the guard's lines.

One code, one meaning: the same code in en.py says the same thing in English, with the same fields.
Terms as a county land office uses them: 工程文件 is the GeoPackage project, 图层 a layer, 台账 a
ledger, 审核 the audit, 会议材料包 the meeting pack.
"""

MESSAGES: dict[str, str] = {
    # click's own words, in help pages
    "click.usage": "用法：",
    "click.options": "选项：",
    "click.commands": "命令：",
    "click.arguments": "参数：",
    "click.options_metavar": "[选项]",
    "click.command_metavar": "命令 [参数]...",
    "click.help": "显示本帮助并退出。",
    "click.version": "显示版本号并退出。",
    "click.default": "默认：{value}",
    "click.required": "必填",
    "click.envvar": "环境变量：{names}",
    "click.separator": "；",
    # click's usage errors
    "usage.no_such_command": "没有 {name} 这个命令",
    "usage.no_such_option": "没有 {name} 这个选项",
    "usage.did_you_mean": "（您要的是不是 {names}？）",
    "usage.missing_argument": "缺少参数 {name}",
    "usage.missing_option": "缺少选项 {name}",
    "usage.missing_parameter": "缺少 {name}",
    "usage.missing_command": "缺少命令",
    "usage.invalid_value": "{param} 的值无效：{message}",
    "usage.invalid_value_plain": "值无效：{message}",
    "usage.not_a_choice": "{value} 不在可选值 {choices} 之中",
    "usage.not_in_range": "{value} 不在范围 {range} 之内",
    "usage.not_an_integer": "{value} 不是整数",
    "usage.not_a_number": "{value} 不是数字",
    "usage.path_missing": "{kind} {name} 不存在",
    "usage.path_is_dir": "{kind} {name} 是文件夹，这里要的是文件",
    "usage.path_is_file": "{kind} {name} 是文件，这里要的是文件夹",
    "usage.path_unreadable": "{kind} {name} 无法读取（没有权限）",
    "usage.kind.file": "文件",
    "usage.kind.directory": "文件夹",
    "usage.kind.path": "路径",
    "usage.needs_value": "选项 {name} 后面要跟一个值",
    "usage.needs_values": "选项 {name} 后面要跟 {count} 个值",
    "usage.takes_no_value": "选项 {name} 不带值",
    "usage.extra_args": "多余的参数：{args}",
    "usage.other": "命令行有误：{message}",
    # the error guard's lines
    "guard.error": "landkit: 错误：{message}",
    "guard.usage": "landkit: 错误：{message}（见 `{help}`）",
    "guard.warning": "landkit: 警告：{message}",
    "guard.interrupted": "landkit: 已中断；没有留下写了一半的文件",
    "guard.terminated": "landkit: 已终止；没有留下写了一半的文件",
    "guard.os_error": "landkit: 错误：{where}{reason}；没有留下写了一半的文件",
    "guard.bug": "landkit: 运行 `{command}` 时出现内部错误（{kind}: {said}）。这是 landkit 的缺陷：{where}",
    "guard.report_with": "请报告此问题，并附上崩溃报告文件 {crash}",
    "guard.report_without": "请报告此问题（崩溃报告文件无法写入；`landkit --debug …` 可显示完整的回溯信息）",
    # arguments
    "arg.project": "工程文件（GeoPackage），或 postgresql:// 地址。",
    "arg.import.source": "要导入的 Shapefile、GeoJSON 或报部格式坐标文本 .txt（只读取，不改动）。",
    "arg.import.project": "导入到的工程文件，或 postgresql:// 地址。",
    "arg.push.source": "要复制的工程：工程文件，或 postgresql:// 地址。",
    "arg.push.url": "复制到的数据库：postgresql://用户@主机/库名?schema=模式名",
    "arg.database": "数据库中的工程：postgresql://用户@主机/库名?schema=模式名",
    "arg.pull.output": "要写的工程文件（GeoPackage），或另一个 postgresql:// 地址。",
    "arg.record.feature_id": "地块编号（加 --village 时为村：村代码、村名，带不带“村”字均可，或拼音）。",
    "arg.record.status": "新状态，中文或英文均可，如 已批复 或 approved。",
    # options several commands share
    "opt.debug": "内部错误时显示完整的回溯信息，而不是写入崩溃报告文件。",
    "opt.lang": "输出和帮助的语言：zh 中文，en 英文；不给时看环境变量 LANDKIT_LANG，默认 zh。",
    "opt.format": "输出格式。",
    "opt.rules": "TOML 规则文件，覆盖各规则的严重程度和阈值（UTF-8 或 GB18030 编码）。",
    "opt.overwrite": "替换一个不是 landkit 写的已有文件。",
    # sample, info, import
    "opt.sample.output": "复制到哪里：新的工程文件，或 postgresql:// 地址（新建一个模式）。",
    "opt.sample.overwrite": "用示意数据替换已有工程的图层。",
    "opt.import.layer": "要写入的工程图层，如 parcels。",
    "opt.import.encoding": "Shapefile 的文字编码（默认自动识别）。",
    "opt.import.overwrite": "工程中已有该图层时替换它。",
    "opt.import.datum_transform": (
        "从西安80或北京54坐标转换：七参数 '+towgs84=dx,dy,dz,rx,ry,rz,ds'，或 PROJ 转换管道。"
    ),
    "opt.import.accept_ballpark": "接受 PROJ 的粗略基准转换（误差可达数十米）。",
    # the database
    "opt.push.overwrite": "替换模式中已有的图层（台账只追加事件）。",
    "opt.pull.overwrite": "替换已有的工程文件。",
    "opt.grant.reader": "可读取工程的角色。",
    "opt.grant.recorder": "还可录入事件（并设置状态）的角色。",
    # measuring
    "opt.areas.layer": "要量算的面状图层。",
    "opt.areas.unit": "面积单位：mu 亩，ha 公顷，m2 平方米，km2 平方千米。",
    "opt.areas.method": (
        "量算方法：ellipsoidal 椭球面（CGCS2000），cn2008 按 2008 公式，planar 在 --zone 投影中按平面。"
    ),
    "opt.areas.zone": "--method planar 所用的投影，如 EPSG:4547。",
    "opt.areas.densify": "cn2008：先按此米数加密边界（默认按原有节点）。",
    "opt.areas.id": "编号列（不是工程文件的编号列时给出）。",
    "opt.zones.rules": "审核规则文件：其中三区三线的容差（snap_m、min_area_m2）。",
    # the audit
    "opt.audit.output": "写入此文件而不显示在屏幕上（xlsx 格式必须给出）。",
    "opt.audit.quiet": "不显示进度条。",
    "opt.audit.partitions": "在 dask 上把地块分成这么多个空间分区来检查（需要安装 landkit[dask]）。",
    "opt.audit.scheduler": "运行这些分区的 dask 调度器地址。",
    # the ledgers
    "opt.progress.as_of": "重建台账在此日期（YYYY-MM-DD）的状况。",
    "opt.progress.target": "列出此储备目标（编号或名称）下的地块。",
    "opt.progress.rules": "TOML 规则文件（其中 [idle_land] days 规定多少天算闲置，与审核相同）。",
    "opt.record.date": "事件日期：2026-11-27、2026年11月27日、2026/11/27 或 2026.11.27。",
    "opt.record.type": "事件类型：状态变更、撤销、更正或期初（也可写 transition、revocation、correction、opening）。",
    "opt.record.doc": "文号。",
    "opt.record.note": "备注。",
    "opt.record.village": "FEATURE_ID 是村（村代码、村名或拼音）：记录一步搬迁进度。",
    "opt.record.from": "把 CSV 或 XLSX 文件的每一行在一个事务中录入（可用中文表头；出错的行按 Excel 行号指出）。",
    "opt.record.future": "允许一年以后的日期。",
    "opt.sync.apply": "写入这些更改（默认只列出）。",
    "opt.sync.as_of": "为没有历史的要素补记期初事件所用的日期。",
    "opt.changes.since": "时期的起点（当天的事件不计入），如 2026-10-31。",
    "opt.changes.until": "时期的终点（默认：数据日期）；--as-of 与之相同：截至该日的项目（当日有效的地块）。",
    "opt.relocate.split": "一个村能否分到几个安置社区？",
    "opt.relocate.min_part": "拆分的村最小一部分的户数。",
    # maps, the paper map, QGIS, lists, the pack
    "opt.map.output": "要写的 HTML 文件（默认：maps/zone.html，另为每个安置社区写 maps/community-编号.html）。",
    "opt.map.community": "只画这个安置社区：编号、名称（露峰、露峰社区）或拼音（Lufeng）。",
    "opt.map.village": "只画这个村及其地块：村代码、村名（沈庄）或拼音。",
    "opt.map.zone_version": "只画这一版规划范围（1、2、3 …）。",
    "opt.map.tiles": "底图；none 表示完全离线。",
    "opt.map.tianditu_key": "您的天地图密钥（也可用环境变量 TIANDITU_KEY）。",
    "opt.qgis.output": "要写的 QGIS 工程，如 鲁山.qgz（按相对路径打开工程文件）。",
    "opt.qgis.no_findings": "QGIS 工程中不放审核问题。",
    "opt.qgis.overwrite": "替换已有的 QGIS 工程。",
    "opt.print.output": "要写的 PDF，如 规划图-A3.pdf。",
    "opt.print.size": "纸张大小。",
    "opt.print.village": "只出这个村的图（村代码或村名，带不带“村”字均可）。",
    "opt.print.zone_version": "只出这一版规划范围的图（1、2、3 …）。",
    "opt.export.output": ".xlsx 工作簿（每组一个工作表）、.csv 表格，或报部格式坐标文本 .txt。",
    "opt.export.by": "分组：village 按村，status 按状态，target 按储备目标。",
    "opt.report.output": "会议材料包所在的文件夹。",
    "opt.report.overwrite": "替换文件夹中不是 landkit 写的文件。",
    "opt.report.as_of": "按台账在此日期的状况生成材料包。",
    # the commands: .short in the list of `landkit --help`, .help on the command's own page
    "cmd.main.short": "土地储备与搬迁安置规划工具",
    "cmd.main.help": (
        "土地储备与搬迁安置规划：工程文件、精确面积、审核与地图。\n"
        "先用 `landkit sample` 复制示意工程，再对它运行各个命令；每个命令的用法见 `landkit 命令 --help`。\n"
        "默认用中文；要英文，设环境变量 LANDKIT_LANG=en，或在有 --lang 选项的命令后加 --lang en。\n"
        "示例：landkit sample && landkit audit lushan.gpkg"
    ),
    "cmd.sample.short": "复制鲁山示意工程（示意数据）",
    "cmd.sample.help": (
        "把鲁山示意工程（示意数据）复制到 OUTPUT。\n"
        "新文件与随包附带的工程文件逐字节相同，数据戳也相同；postgresql:// 地址则复制成一个新模式。\n"
        "示例：landkit sample -o lushan.gpkg"
    ),
    "cmd.info.short": "查看工程文件的图层、要素数、坐标系和校验结果",
    "cmd.info.help": (
        "查看工程（文件或数据库）的图层、要素数、坐标系和校验摘要。\n"
        "退出码：0 校验通过，1 有问题，2 无法读取。\n"
        "示例：landkit info lushan.gpkg --format json"
    ),
    "cmd.import.short": "把 Shapefile、GeoJSON 或报部格式坐标文本导入工程文件",
    "cmd.import.help": (
        "把 Shapefile、GeoJSON 图层或报部格式坐标文本（勘测定界成果）复制到工程文件中（源文件只读取，不改动）。\n"
        "西安80、北京54 坐标要给 --datum-transform，或用 --accept-ballpark 接受粗略转换。\n"
        "示例：landkit import 村界.shp lushan.gpkg --layer survey"
    ),
    "cmd.push.short": "把工程复制到 PostgreSQL/PostGIS 数据库",
    "cmd.push.help": (
        "把工程文件（或数据库中的工程）复制到 PostgreSQL/PostGIS 的一个模式中，在一个事务内完成。\n"
        "示例：landkit push lushan.gpkg postgresql:///land?schema=lushan"
    ),
    "cmd.pull.short": "从数据库取回工程的 GeoPackage 快照",
    "cmd.pull.help": (
        "把 PostgreSQL/PostGIS 中的工程写成 GeoPackage 快照（供开会用的笔记本电脑使用）。\n"
        "OUTPUT 是 postgresql:// 地址时，改为复制到那个模式中。\n"
        "示例：landkit pull postgresql:///land?schema=lushan 会议.gpkg"
    ),
    "cmd.grant.short": "在数据库中设置只读角色和录入角色",
    "cmd.grant.help": (
        "在 PostgreSQL 中为工程设置只读角色和录入角色（再用 GRANT 授予具体人员）。\n"
        "示例：landkit grant postgresql:///land?schema=lushan --reader viewer"
    ),
    "cmd.areas.short": "量算面状图层每个要素的面积",
    "cmd.areas.help": (
        "量算面状图层每个要素的面积；合计等于所列各项之和。\n"
        "没有几何、几何无效或坐标超出其坐标系范围的要素会列出，但不计入合计。\n"
        "示例：landkit areas lushan.gpkg --unit mu --method cn2008"
    ),
    "cmd.zones.short": "各版规划范围：面积、新增用地、三区三线冲突",
    "cmd.zones.help": (
        "列出各版规划范围：面积，每次扩大新增的内容（用地、耕地、三区三线冲突），储备覆盖情况。\n"
        "示例：landkit zones lushan.gpkg --format csv"
    ),
    "cmd.audit.short": "对工程文件运行全部审核检查",
    "cmd.audit.help": (
        "对工程文件运行全部审核检查。\n"
        "退出码：0 没有错误，1 有错误级别的问题，2 无法读取。\n"
        "示例：landkit audit lushan.gpkg --format xlsx -o 审核.xlsx"
    ),
    "cmd.progress.short": "储备台账：各状态合计、目标进度、闲置土地、补偿",
    "cmd.progress.help": (
        "储备台账：各状态地块合计，每个储备目标的完成 / 目标，闲置土地，补偿方式；"
        "有期限的目标给出进度预警（剩余月数、需每月完成、近三月月均完成、是否滞后）和滞后村庄。\n"
        "示例：landkit progress lushan.gpkg --as-of 2026-10-31"
    ),
    "cmd.record.short": "向台账追加事件（按生命周期检查）",
    "cmd.record.help": (
        "向台账追加事件，按生命周期检查；图层中的状态随之更新。\n"
        "一条：PATH 地块编号 状态 --date 日期（状态中英文均可，如 已批复）。\n"
        "多条：PATH --from 事件.xlsx，列为 地块编号/parcel_id（或 村代码/village_code）、日期/date、"
        "新状态/status，可选 事件类型/event_type、文号/document_ref、备注/note；村也可用 村名 一列。"
        "无法识别的表头（如多了空格的“备 注”）整批拒收，并指出正确表头。\n"
        "示例：landkit record lushan.gpkg CB00944 已批复 --date 2026-11-27\n"
        "示例：landkit record lushan.gpkg 沈庄 已签协议 --village --date 2026-11-27\n"
        "示例：landkit record lushan.gpkg --from 本月事件.xlsx"
    ),
    "cmd.sync.short": "让地块和村的状态与台账一致（默认只列出）",
    "cmd.sync.help": (
        "让 parcels.status 和 villages.relocation_status 与台账一致；不加 --apply 时只列出要做的更改。\n"
        "示例：landkit sync lushan.gpkg --apply"
    ),
    "cmd.changes.short": "一段时期内的变化（本月变化）",
    "cmd.changes.help": (
        "一段时期内的变化：事件，状态变化的地块，各状态亩数，新出现和已解决的审核问题。\n"
        "示例：landkit changes lushan.gpkg --since 2026-10-31"
    ),
    "cmd.relocate.short": "搬迁安置方案：分配、容量、进度",
    "cmd.relocate.help": (
        "搬迁安置方案：各村分配到安置社区，每批的安置容量，按批次的搬迁进度。\n"
        "示例：landkit relocate lushan.gpkg --whole"
    ),
    "cmd.map.short": "生成可离线打开的会议用 HTML 地图",
    "cmd.map.help": (
        "生成独立的 HTML 会议地图，从文件打开即可离线查看。\n"
        "不给 -o 时写到 maps/：一张规划范围图，每个安置社区各一张。\n"
        "示例：landkit map lushan.gpkg --community 露峰 -o 露峰.html"
    ),
    "cmd.qgis.short": "生成 QGIS 工程：样式、审核问题图层、A3 版式",
    "cmd.qgis.help": (
        "在 QGIS 中打开：把 landkit 的样式写入工程文件（保留您自己的样式），并生成 QGIS 工程，"
        "审核问题单独成一个图层，含 A3 版式和按村分页的图集。\n"
        "数据库中的工程，QGIS 工程打开它的模式（不写入密码）。\n"
        "示例：landkit qgis lushan.gpkg -o 鲁山.qgz"
    ),
    "cmd.print.short": "出图：横版 PDF 纸质图",
    "cmd.print.help": (
        "出图：横版 PDF 一页，含图名、图例、比例尺、1:N 比例、指北针和制图单位等。\n"
        "示例：landkit print lushan.gpkg -o 规划图-A3.pdf --size A3"
    ),
    "cmd.export.short": "导出外业用的地块清单或报部格式坐标文本",
    "cmd.export.help": (
        "导出外业用的地块清单，按村、状态或储备目标分组，面积与各报表一致；\n"
        "或导出报部格式坐标文本（.txt，GBK，面积按 2008 椭球方法，公顷）。\n"
        "示例：landkit export lushan.gpkg -o 地块清单.xlsx --by village\n"
        "示例：landkit export lushan.gpkg -o 报批.txt --target T-approval"
    ),
    "cmd.report.short": "生成会议材料包",
    "cmd.report.help": (
        "生成会议材料包：地图，HTML 和 XLSX 格式的审核结果，进度图表，汇总页。\n"
        "材料包先在临时文件夹中生成，最后移入目标文件夹（index.html 最后）：中途中断时，原有材料包不变。\n"
        "示例：landkit report lushan.gpkg -o 会议材料"
    ),
}
